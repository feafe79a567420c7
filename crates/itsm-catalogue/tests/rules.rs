//! The rules, given/when/then: catalogue checks, order validation, entitlements, access and
//! separation of duties, approvals through itsm-approval, the task DAG, the derived request
//! state, cancellation, expiry by tick, SLA hooks, and the service gates. Messages are pinned.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use itsm_catalogue::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_catalogue::{
    AccessSpec, AccessStatus, Actor, AppRole, ApprovalStep, BundleLine, BundleSpec, Catalogue,
    CatalogueSpec, Command, Condition, Context, Entitlement, Error, Event, GroupId, ItemApprover,
    ItemSpec, Order, OrderLine, Permissions, Record, RequestId, Requester, Role, Rule,
    ServiceCommand, ServiceId, ServiceStage, ServiceState, SodRule, Stage, State, TaskSpec,
    TaskStage, UserId, Value, Variable, VariableKind, decide, decide_service, itsm_approval,
    next_deadline,
};

const ADA: UserId = UserId::from_u128(1);
const GRACE: UserId = UserId::from_u128(2);
const OWNER: UserId = UserId::from_u128(3);
const TECH: UserId = UserId::from_u128(4);

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn text(t: &str) -> Value {
    Value::Text(t.into())
}

/// A laptop with a diamond plan and a manager approval; a mouse with one task; payroll
/// access with manager and owner approval; a clerk/approver conflict.
fn catalogue() -> Catalogue {
    let mut laptop = ItemSpec::new("laptop", TaskSpec::new("order", "Order"));
    laptop
        .tasks
        .push(TaskSpec::new("image", "Image").after(["order"]));
    laptop
        .tasks
        .push(TaskSpec::new("tag", "Tag").after(["order"]));
    laptop
        .tasks
        .push(TaskSpec::new("deliver", "Deliver").after(["image", "tag"]));
    laptop
        .approval
        .push(ApprovalStep::new("manager", [ItemApprover::Manager]));
    let mut model = Variable::new(
        "model",
        VariableKind::Choice(vec!["13in".into(), "15in".into()]),
    );
    model.required = true;
    model.default = Some(text("13in"));
    let mut ram = Variable::new("ram", VariableKind::Number);
    ram.rules = vec![Rule::Min(8.into()), Rule::Max(64.into())];
    let mut why = Variable::new("why", VariableKind::Text);
    why.required = true;
    why.rules = vec![Rule::MinLength(10)];
    why.visible_when = Some(Condition::Equals {
        variable: "model".into(),
        value: text("15in"),
    });
    laptop.variables = vec![model, ram, why];

    let mouse = ItemSpec::new("mouse", TaskSpec::new("ship", "Ship"));

    let mut access = ItemSpec::new("payroll", TaskSpec::new("provision", "Provision"));
    access.approval = vec![
        ApprovalStep::new("manager", [ItemApprover::Manager]),
        ApprovalStep::new("owner", [ItemApprover::Owner]),
    ];
    access.entitlement = Entitlement::default();
    access.entitlement.organisations = vec!["finance".into()];
    access.access = Some(AccessSpec::new(
        "payroll",
        OWNER,
        ["clerk", "approver"],
        TaskSpec::new("revoke", "Revoke"),
    ));
    let mut spec = CatalogueSpec::new([laptop, mouse, access]);
    spec.separation_of_duties.push(SodRule::new(
        "four_eyes",
        AppRole::new("payroll", "clerk"),
        AppRole::new("payroll", "approver"),
        "who enters payments may not approve them",
    ));
    spec.bundles
        .push(BundleSpec::new("starter", [BundleLine::new("mouse")]));
    Catalogue::new(spec).unwrap()
}

fn ada() -> Requester {
    let mut r = Requester::new(ADA);
    r.manager = Some(GRACE);
    r.organisation = Some("finance".into());
    r
}

struct World {
    catalogue: Catalogue,
    state: State,
    now: DateTime<Utc>,
}

impl World {
    fn new() -> Self {
        World {
            catalogue: catalogue(),
            state: State::new(),
            now: t0(),
        }
    }

    fn try_as(&self, user: UserId, command: Command) -> Result<Vec<Event>, Error> {
        let actor = Actor::new(user, []);
        decide(
            &self.state,
            &command,
            &Context::new(self.now, &actor, &self.catalogue),
        )
    }

    fn run(&mut self, user: UserId, command: Command) -> Vec<Event> {
        let events = self
            .try_as(user, command.clone())
            .unwrap_or_else(|e| panic!("{} refused: {e}", command.name()));
        self.state.apply(&events);
        events
    }

    fn order(&mut self, lines: Vec<OrderLine>) -> Vec<Event> {
        self.run(
            ADA,
            Order::new(RequestId::from_u128(9), ada(), lines).into(),
        )
    }

    fn item(&self, line: usize) -> &itsm_catalogue::Item {
        &self.state.request().unwrap().items()[line]
    }

    fn task(&self, line: usize, task: &str) -> TaskStage {
        self.item(line).task(task).unwrap().stage
    }
}

fn approve(line: usize) -> Command {
    Command::Approval {
        line,
        answer: itsm_approval::Command::Approve { comment: None },
    }
}

fn complete(line: usize, task: &str) -> Command {
    Command::CompleteTask {
        line,
        task: task.into(),
        notes: String::new(),
    }
}

fn laptop(answers: &[(&str, Value)]) -> OrderLine {
    let mut line = OrderLine::new("laptop");
    for (k, v) in answers {
        line.answers.insert((*k).into(), v.clone());
    }
    line
}

#[test]
fn a_catalogue_is_refused_with_every_problem() {
    let mut a = ItemSpec::new("a", TaskSpec::new("x", "").after(["z"]));
    a.tasks.push(TaskSpec::new("y", "").after(["x"]));
    a.tasks[0].after.push("y".into());
    let mut v = Variable::new("n", VariableKind::Number);
    v.rules = vec![Rule::MaxLength(3)];
    v.default = Some(text("ten"));
    let mut w = Variable::new("w", VariableKind::Choice(vec![]));
    w.visible_when = Some(Condition::IsSet("later".into()));
    a.variables = vec![v, w];
    a.approval
        .push(ApprovalStep::new("o", [ItemApprover::Owner]));
    let dup = ItemSpec::new("a", TaskSpec::new("t", ""));
    let mut spec = CatalogueSpec::new([a, dup]);
    spec.bundles
        .push(BundleSpec::new("b", [BundleLine::new("ghost")]));
    let Err(Error::InvalidCatalogue { problems }) = Catalogue::new(spec) else {
        panic!()
    };
    assert_eq!(
        problems,
        [
            "item `a`: variable `n`: rule `max_length` does not apply to a number variable",
            "item `a`: variable `n`: the default \"ten\" is not a number value",
            "item `a`: variable `w` has no options",
            "item `a`: variable `w`: its condition names `later`, which is not a variable declared before it",
            "item `a`: task `x` comes after `z`, which is not one of its tasks",
            "item `a`: its tasks form a cycle: x -> y -> x",
            "item `a`: approval step `o` names the owner, and only access items have one",
            "item `a` is listed twice",
            "bundle `b` names item `ghost`, which is not in the catalogue",
        ]
    );
}

#[test]
fn a_longer_cycle_is_named_in_order() {
    let mut item = ItemSpec::new("i", TaskSpec::new("a", "").after(["c"]));
    item.tasks.push(TaskSpec::new("b", "").after(["a"]));
    item.tasks.push(TaskSpec::new("c", "").after(["b"]));
    item.tasks.push(TaskSpec::new("d", "").after(["c"]));
    let err = Catalogue::new(CatalogueSpec::new([item])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the catalogue is invalid: item `i`: its tasks form a cycle: a -> c -> b -> a"
    );
}

#[test]
fn every_field_error_comes_at_once() {
    let world = World::new();
    let lines = vec![
        laptop(&[
            ("model", text("15in")),
            ("ram", Value::Number(128)),
            ("colour", text("red")),
        ]),
        laptop(&[("model", text("17in")), ("ram", text("lots"))]),
    ];
    let err = world
        .try_as(
            ADA,
            Order::new(RequestId::from_u128(9), ada(), lines).into(),
        )
        .unwrap_err();
    let Error::InvalidOrder { errors } = &err else {
        panic!("{err}")
    };
    let found: Vec<(usize, &str, &str)> = errors
        .iter()
        .map(|e| (e.line, e.field.as_str(), e.rule.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (0, "colour", "unknown"),
            (0, "ram", "max"),
            (0, "why", "required"),
            (1, "model", "choice"),
            (1, "ram", "type"),
        ]
    );
    assert_eq!(
        errors[3].to_string(),
        "line 1, field `model` (choice): \"17in\" is not an option; allowed: `13in`, `15in`"
    );
    assert_eq!(
        errors[0].to_string(),
        "line 0, field `colour` (unknown): the item has no such variable; allowed: `model`, `ram`, `why`"
    );
}

#[test]
fn hidden_variables_are_dropped_and_defaults_filled() {
    let world = World::new();
    let kept = world
        .catalogue
        .validate(
            "laptop",
            &BTreeMap::from([
                ("why".to_owned(), text("x")),
                ("ram".into(), Value::Number(16)),
            ]),
        )
        .unwrap();
    assert_eq!(
        kept,
        BTreeMap::from([
            ("model".to_owned(), text("13in")),
            ("ram".into(), Value::Number(16))
        ])
    );
}

#[test]
fn typed_variables_check_their_values() {
    let mut item = ItemSpec::new("i", TaskSpec::new("t", ""));
    let mut day = Variable::new("day", VariableKind::Date);
    day.rules = vec![Rule::NotBefore("2026-01-01".parse().unwrap())];
    let mut many = Variable::new(
        "many",
        VariableKind::MultiChoice(vec!["a".into(), "b".into()]),
    );
    many.rules = vec![Rule::MinItems(1)];
    item.variables = vec![
        day,
        many,
        Variable::new("ci", VariableKind::Reference("cmdb_ci".into())),
        Variable::new("ok", VariableKind::Boolean),
    ];
    let catalogue = Catalogue::new(CatalogueSpec::new([item])).unwrap();
    let answers = BTreeMap::from([
        ("day".to_owned(), text("2025-12-31")),
        ("many".into(), Value::List(vec!["a".into(), "a".into()])),
        ("ci".into(), text("not-a-uuid")),
        ("ok".into(), text("yes")),
    ]);
    let Err(Error::InvalidOrder { errors }) = catalogue.validate("i", &answers) else {
        panic!()
    };
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "line 0, field `day` (not_before): 2025-12-31 is before 2026-01-01",
            "line 0, field `many` (choice): `a` is chosen twice; each option at most once",
            "line 0, field `ci` (type): \"not-a-uuid\" is not a reference to `cmdb_ci`; write a UUID",
            "line 0, field `ok` (type): \"yes\" is not a boolean value",
        ]
    );
    let answers = BTreeMap::from([("many".to_owned(), Value::List(vec![]))]);
    let Err(Error::InvalidOrder { errors }) = catalogue.validate("i", &answers) else {
        panic!()
    };
    assert_eq!(
        errors[0].to_string(),
        "line 0, field `many` (min_items): 0 chosen; at least 1 allowed"
    );
}

#[test]
fn entitlements_say_who_may_order() {
    let world = World::new();
    let mut bob = Requester::new(UserId::from_u128(7));
    bob.organisation = Some("sales".into());
    let line = OrderLine::new("payroll").access("clerk", None);
    let err = world
        .try_as(
            ADA,
            Order::new(RequestId::from_u128(9), bob, vec![line]).into(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 0: 00000000-0000-0000-0000-000000000007 may not order `payroll`; it is for organisations `finance`"
    );
}

#[test]
fn orders_are_checked_line_by_line() {
    let world = World::new();
    let submit = |lines: Vec<OrderLine>| {
        world
            .try_as(
                ADA,
                Order::new(RequestId::from_u128(9), ada(), lines).into(),
            )
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        submit(vec![]),
        "an order needs at least one line; it has none"
    );
    assert_eq!(
        submit(vec![OrderLine::new("tablet")]),
        "line 0: item `tablet` is not in the catalogue; allowed: `laptop`, `mouse`, `payroll`"
    );
    assert_eq!(
        submit(vec![OrderLine::new("payroll")]),
        "line 0: an access item needs the role asked for (`access`)"
    );
    assert_eq!(
        submit(vec![OrderLine::new("mouse").access("clerk", None)]),
        "line 0: only an access item takes a role (`access`)"
    );
    assert_eq!(
        submit(vec![OrderLine::new("payroll").access("root", None)]),
        "line 0: `root` is not a role of application `payroll`; allowed: `clerk`, `approver`"
    );
    assert_eq!(
        submit(vec![OrderLine::new("payroll").access("clerk", Some(t0()))]),
        "line 0: access until 2026-03-02 09:00:00 UTC ends before now (2026-03-02 09:00:00 UTC); give a later expiry or none"
    );
    let mut no_manager = ada();
    no_manager.manager = None;
    let err = world
        .try_as(
            ADA,
            Order::new(
                RequestId::from_u128(9),
                no_manager,
                vec![OrderLine::new("laptop")],
            )
            .into(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 0: item `laptop` is approved by the manager, and the order names no manager for 00000000-0000-0000-0000-000000000001"
    );
}

#[test]
fn separation_of_duties_is_refused_with_the_reason() {
    let world = World::new();
    let mut holder = ada();
    holder.access.insert(AppRole::new("payroll", "clerk"));
    let line = OrderLine::new("payroll").access("approver", None);
    let err = world
        .try_as(
            ADA,
            Order::new(RequestId::from_u128(9), holder, vec![line]).into(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 0: `payroll/approver` conflicts with `payroll/clerk`, which they hold (separation of duties rule `four_eyes`: who enters payments may not approve them)"
    );
}

#[test]
fn an_item_is_approved_then_its_tasks_open_as_the_dag_allows() {
    let mut w = World::new();
    w.order(vec![laptop(&[])]);
    assert_eq!(w.state.stage(), Some(Stage::AwaitingApproval));
    assert_eq!(w.task(0, "order"), TaskStage::Pending);
    // The requester may not approve their own order (itsm-approval's separation of duties).
    let err = w.try_as(ADA, approve(0)).unwrap_err();
    assert!(err.to_string().contains("(separation of duties)"), "{err}");
    w.run(GRACE, approve(0));
    assert_eq!(w.item(0).stage(), Stage::InFulfilment);
    assert_eq!(w.task(0, "order"), TaskStage::Open);
    assert_eq!(
        w.try_as(TECH, complete(0, "deliver"))
            .unwrap_err()
            .to_string(),
        "task `deliver` of item 0 waits for `image`, `tag`; finish them first"
    );
    w.run(TECH, complete(0, "order"));
    assert_eq!(
        (w.task(0, "image"), w.task(0, "tag")),
        (TaskStage::Open, TaskStage::Open)
    );
    w.run(TECH, complete(0, "image"));
    assert_eq!(w.task(0, "deliver"), TaskStage::Pending);
    w.run(
        TECH,
        Command::SkipTask {
            line: 0,
            task: "tag".into(),
            reason: "tagged at the supplier".into(),
        },
    );
    assert_eq!(w.task(0, "deliver"), TaskStage::Open);
    let events = w.run(TECH, complete(0, "deliver"));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Fulfilled { line: 0, .. }))
    );
    assert_eq!(w.state.stage(), Some(Stage::Fulfilled));
    assert_eq!(
        w.try_as(TECH, complete(0, "deliver"))
            .unwrap_err()
            .to_string(),
        "`complete_task` is not allowed on item 0 in state fulfilled; allowed there: nothing"
    );
}

#[test]
fn unknown_lines_and_tasks_are_named() {
    let mut w = World::new();
    w.order(vec![OrderLine::new("mouse")]);
    assert_eq!(
        w.try_as(TECH, complete(3, "ship")).unwrap_err().to_string(),
        "the request has no line 3; it has 1"
    );
    assert_eq!(
        w.try_as(TECH, complete(0, "wrap")).unwrap_err().to_string(),
        "item 0 has no task `wrap`; allowed: `ship`"
    );
    w.run(
        TECH,
        Command::StartTask {
            line: 0,
            task: "ship".into(),
        },
    );
    assert_eq!(
        w.try_as(
            TECH,
            Command::StartTask {
                line: 0,
                task: "ship".into()
            }
        )
        .unwrap_err()
        .to_string(),
        "`start_task` is not allowed on task `ship` of item 0 in state in_progress; allowed there: `complete_task`, `skip_task`"
    );
}

#[test]
fn a_rejection_rejects_the_item_and_the_request_state_is_derived() {
    let mut w = World::new();
    w.order(vec![laptop(&[]), OrderLine::new("mouse")]);
    assert_eq!(w.state.stage(), Some(Stage::InFulfilment));
    w.run(
        GRACE,
        Command::Approval {
            line: 0,
            answer: itsm_approval::Command::Reject {
                reason: "budget".into(),
            },
        },
    );
    assert_eq!(w.item(0).stage(), Stage::Rejected);
    assert_eq!(w.task(0, "order"), TaskStage::Canceled);
    assert_eq!(w.state.stage(), Some(Stage::InFulfilment));
    w.run(TECH, complete(1, "ship"));
    // One rejected, one fulfilled: the request is fulfilled.
    assert_eq!(w.state.stage(), Some(Stage::Fulfilled));

    let mut w = World::new();
    w.order(vec![laptop(&[])]);
    w.run(
        GRACE,
        Command::Approval {
            line: 0,
            answer: itsm_approval::Command::Reject {
                reason: "budget".into(),
            },
        },
    );
    assert_eq!(w.state.stage(), Some(Stage::Rejected));
}

#[test]
fn canceling_stops_approvals_and_tasks() {
    let mut w = World::new();
    w.order(vec![laptop(&[]), OrderLine::new("mouse")]);
    let events = w.run(
        ADA,
        Command::CancelItem {
            line: 0,
            reason: "found one".into(),
        },
    );
    assert!(events.iter().any(|e| matches!(
        e,
        Event::Approval {
            line: 0,
            event: itsm_approval::Event::Canceled { .. }
        }
    )));
    assert_eq!(w.item(0).stage(), Stage::Canceled);
    assert_eq!(w.state.stage(), Some(Stage::InFulfilment));
    w.run(
        ADA,
        Command::Cancel {
            reason: "left".into(),
        },
    );
    assert_eq!(w.state.stage(), Some(Stage::Canceled));
    assert_eq!(w.task(1, "ship"), TaskStage::Canceled);
    assert_eq!(
        w.try_as(
            ADA,
            Command::Cancel {
                reason: "again".into()
            }
        )
        .unwrap_err()
        .to_string(),
        "`cancel` is not allowed on a request that is canceled; allowed there: `tick`"
    );
    assert_eq!(
        w.try_as(
            ADA,
            Command::Cancel {
                reason: String::new()
            }
        )
        .unwrap_err()
        .to_string(),
        "`cancel` needs a non-empty reason"
    );
}

#[test]
fn access_is_approved_provisioned_expired_and_revoked() {
    let mut w = World::new();
    let until = t0() + Duration::days(30);
    w.order(vec![OrderLine::new("payroll").access("clerk", Some(until))]);
    w.run(GRACE, approve(0));
    assert_eq!(w.item(0).stage(), Stage::AwaitingApproval);
    // The manager's stage is decided; the owner's is open, and the manager holds no seat.
    assert!(w.try_as(GRACE, approve(0)).is_err());
    w.run(OWNER, approve(0));
    assert_eq!(w.item(0).stage(), Stage::InFulfilment);
    let events = w.run(TECH, complete(0, "provision"));
    assert!(events.iter().any(|e| matches!(
        e,
        Event::AccessGranted { user: ADA, until: Some(u), .. } if *u == until
    )));
    assert_eq!(next_deadline(&w.state), Some(until));
    w.now = until - Duration::seconds(1);
    assert_eq!(w.run(TECH, Command::Tick), []);
    w.now = until;
    let events = w.run(TECH, Command::Tick);
    assert!(matches!(events[0], Event::AccessExpired { line: 0, .. }));
    assert_eq!(w.task(0, "revoke"), TaskStage::Open);
    assert_eq!(next_deadline(&w.state), None);
    assert_eq!(w.run(TECH, Command::Tick), []);
    assert_eq!(
        w.try_as(
            TECH,
            Command::SkipTask {
                line: 0,
                task: "revoke".into(),
                reason: "keep it".into()
            }
        )
        .unwrap_err()
        .to_string(),
        "`skip_task` is not allowed on the revocation task `revoke` of item 0; allowed there: `start_task`, `complete_task`"
    );
    let events = w.run(TECH, complete(0, "revoke"));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::AccessRevoked { .. }))
    );
    assert_eq!(w.item(0).access().unwrap().status, AccessStatus::Revoked);
    assert_eq!(w.state.stage(), Some(Stage::Fulfilled));
}

#[test]
fn time_must_not_go_backwards_but_a_late_tick_is_harmless() {
    let mut w = World::new();
    w.order(vec![OrderLine::new("mouse")]);
    w.now = t0() - Duration::hours(1);
    assert_eq!(w.run(TECH, Command::Tick), []);
    assert_eq!(
        w.try_as(TECH, complete(0, "ship")).unwrap_err().to_string(),
        "the clock went backwards: now is 2026-03-02 08:00:00 UTC but the record was last updated at 2026-03-02 09:00:00 UTC; time must not decrease"
    );
}

#[test]
fn sla_hooks_follow_every_state_change() {
    let mut w = World::new();
    let events = w.order(vec![OrderLine::new("mouse")]);
    let hooks: Vec<(Record, String)> = events
        .iter()
        .filter_map(|e| match e {
            Event::SlaHook { record, state, .. } => Some((record.clone(), state.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        hooks,
        [
            (Record::Request, "in_fulfilment".to_owned()),
            (Record::Item { line: 0 }, "in_fulfilment".to_owned()),
            (
                Record::Task {
                    line: 0,
                    task: "ship".into()
                },
                "open".to_owned()
            ),
        ]
    );
}

#[test]
fn bundles_expand_into_lines() {
    let w = World::new();
    let lines = w
        .catalogue
        .bundle_lines("starter", BTreeMap::new())
        .unwrap();
    assert_eq!(lines, [OrderLine::new("mouse")]);
    assert_eq!(
        w.catalogue
            .bundle_lines("leaver", BTreeMap::new())
            .unwrap_err()
            .to_string(),
        "bundle `leaver` is not in the catalogue; allowed: `starter`"
    );
}

#[test]
fn permissions_when_the_catalogue_has_them() {
    let mut spec = catalogue().spec().clone();
    spec.permissions = Some(Permissions::new().allow("submit", [Role::new("requester").unwrap()]));
    let catalogue = Catalogue::new(spec).unwrap();
    let actor = Actor::new(ADA, []);
    let order = Order::new(
        RequestId::from_u128(9),
        ada(),
        vec![OrderLine::new("mouse")],
    );
    let err = decide(
        &State::new(),
        &order.into(),
        &Context::new(t0(), &actor, &catalogue),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("`submit` refused: "), "{err}");
}

#[test]
fn a_service_goes_live_through_its_gates() {
    let catalogue = catalogue();
    let actor = Actor::new(GRACE, []);
    let ctx = Context::new(t0(), &actor, &catalogue);
    let mut state = ServiceState::new();
    let run = |state: &mut ServiceState, c: ServiceCommand| {
        let events = decide_service(state, &c, &ctx)?;
        state.apply(&events);
        Ok::<_, Error>(())
    };
    assert_eq!(
        run(&mut state, ServiceCommand::GoLive)
            .unwrap_err()
            .to_string(),
        "`go_live` is not allowed before the service is defined; allowed there: `define`"
    );
    run(
        &mut state,
        ServiceCommand::Define {
            id: ServiceId::from_u128(1),
            name: "Workplace".into(),
        },
    )
    .unwrap();
    assert_eq!(
        run(&mut state, ServiceCommand::GoLive).unwrap_err(),
        Error::GateNotMet {
            command: "go_live".into(),
            gate: "ready_for_catalogue".into(),
            unmet: vec![
                "the service has no owner; `set_owner` first".into(),
                "the service has no support group; `set_support_group` first".into(),
                "the service has 0 offerings; at least 1 needed".into(),
                "the service is in stage `strategy`; allowed: `transition`, `operation`".into(),
            ],
        }
    );
    assert_eq!(
        run(
            &mut state,
            ServiceCommand::MoveTo {
                stage: ServiceStage::Operation
            }
        )
        .unwrap_err()
        .to_string(),
        "a service may not move from stage `strategy` to `operation`; allowed: `design`"
    );
    assert_eq!(
        run(
            &mut state,
            ServiceCommand::AddOffering {
                item: "tablet".into()
            }
        )
        .unwrap_err()
        .to_string(),
        "`tablet` is not an item of the catalogue"
    );
    run(&mut state, ServiceCommand::SetOwner { owner: GRACE }).unwrap();
    run(
        &mut state,
        ServiceCommand::SetSupportGroup {
            group: GroupId::from_u128(5),
        },
    )
    .unwrap();
    run(
        &mut state,
        ServiceCommand::AddOffering {
            item: "laptop".into(),
        },
    )
    .unwrap();
    run(
        &mut state,
        ServiceCommand::MoveTo {
            stage: ServiceStage::Design,
        },
    )
    .unwrap();
    run(
        &mut state,
        ServiceCommand::MoveTo {
            stage: ServiceStage::Transition,
        },
    )
    .unwrap();
    run(&mut state, ServiceCommand::GoLive).unwrap();
    run(
        &mut state,
        ServiceCommand::MoveTo {
            stage: ServiceStage::Operation,
        },
    )
    .unwrap();
    run(&mut state, ServiceCommand::Retire).unwrap();
    assert_eq!(
        run(&mut state, ServiceCommand::SetOwner { owner: ADA })
            .unwrap_err()
            .to_string(),
        "`set_owner` is not allowed on a service that is `retired`; allowed there: nothing"
    );
}
