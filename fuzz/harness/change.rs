//! The change fuzz harness: command sequences through `decide` and `evolve` with the
//! invariants checked after every step, and policies from JSON. Shared by the fuzz targets
//! (`change_commands`, `change_policy_json`) and the stable corpus replay
//! `crates/itsm-change/tests/fuzz_corpus.rs`.

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_change::{
    Actor, ChangeId, ChangeModel, ChangeTaskId, ChangeTaskKind, Command, ConfigItemId, Context,
    Event, Impact, ModelState, Models, Phase, Policy, Request, ReviewOutcome, RiskFacts, Role,
    State, UserId, Window, decide, evolve,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

fn actor(b: &mut Bytes<'_>) -> Actor {
    let roles: Vec<Role> = [
        "requester",
        "change_manager",
        "implementer",
        "cab",
        "ecab",
        "guest",
    ]
    .iter()
    .filter(|_| b.flag())
    .filter_map(|r| Role::new(*r).ok())
    .collect();
    Actor::new(UserId::from_u128(1 + b.pick(3) as u128), roles)
}

fn instant(b: &mut Bytes<'_>, base: DateTime<Utc>) -> DateTime<Utc> {
    let hours = i64::from(b.byte()) - 16;
    base.checked_add_signed(Duration::hours(hours))
        .unwrap_or(base)
}

fn command(b: &mut Bytes<'_>, now: DateTime<Utc>) -> Command {
    match b.pick(21) {
        0 => {
            let model = b.text(&["normal", "emergency", "standard", "itop", "minor", ""]);
            let mut r = Request::new(ChangeId::from_u128(1), &model, UserId::from_u128(1), "x");
            r.template = b
                .flag()
                .then(|| b.text(&["os_patch", "service_restart", "nope"]));
            r.items = (0..b.pick(4))
                .map(|i| ConfigItemId::from_u128(i as u128))
                .collect();
            if b.flag() {
                r.description.clear();
            }
            r.into()
        }
        1 => Command::Submit,
        2 => Command::Assess(Box::new(RiskFacts {
            model: String::new(),
            items: vec![],
            services: vec![],
            impact: Impact(b.byte() % 5),
            likelihood: b.byte() % 5,
            outside_maintenance: b.flag(),
            answers: vec![],
        })),
        3 => Command::CompleteAssessment,
        4 => Command::Authorize {
            explanation: b.text(&["approved", ""]),
        },
        5 => Command::Reject {
            reason: b.text(&["no", ""]),
        },
        6 => {
            let start = instant(b, now);
            let end = instant(b, start);
            Command::Plan {
                window: Window::new(start, end),
            }
        }
        7 => Command::Implement,
        8 => Command::Complete,
        9 => Command::Close {
            outcome: b.choose(
                &[
                    ReviewOutcome::Successful,
                    ReviewOutcome::SuccessfulWithIssues,
                    ReviewOutcome::Failed,
                    ReviewOutcome::BackedOut,
                ],
                ReviewOutcome::Successful,
            ),
            close_code: b.text(&["successful", "unsuccessful", "successful_with_issues", ""]),
            notes: String::new(),
        },
        10 => Command::PutOnHold {
            reason: b.text(&["wait", ""]),
        },
        11 => Command::Resume,
        12 => Command::Cancel {
            reason: b.text(&["dup", ""]),
        },
        13 => Command::Retype {
            model: b.text(&["normal", "emergency", "standard", "itop", "minor", ""]),
            template: b
                .flag()
                .then(|| b.text(&["os_patch", "service_restart", "nope"])),
        },
        14 => {
            let start = instant(b, now);
            let end = instant(b, start);
            Command::AddTask {
                task: task_id(b),
                kind: b.choose(
                    &[
                        ChangeTaskKind::Planning,
                        ChangeTaskKind::Implementation,
                        ChangeTaskKind::Testing,
                        ChangeTaskKind::Review,
                    ],
                    ChangeTaskKind::Planning,
                ),
                description: b.text(&["do it", ""]),
                window: b.flag().then(|| Window::new(start, end)),
                pending: b.flag(),
            }
        }
        15 => Command::StartTask { task: task_id(b) },
        16 => Command::CloseTask {
            task: task_id(b),
            code: b.text(&["successful", "nope", ""]),
            notes: b.text(&["done", ""]),
        },
        17 => Command::CancelTask {
            task: task_id(b),
            reason: b.text(&["not needed", ""]),
        },
        18 => Command::HoldTask {
            task: task_id(b),
            reason: b.text(&["waiting", ""]),
        },
        19 => Command::ResumeTask { task: task_id(b) },
        _ => Command::Submit,
    }
}

/// One of three task ids.
fn task_id(b: &mut Bytes<'_>) -> ChangeTaskId {
    ChangeTaskId::from_u128(1 + b.pick(3) as u128)
}

/// ServiceNow's policy plus `itop`, a model with a vendor's states (two in assessment, a
/// first and a canceled state under their own names).
fn policy() -> Policy {
    let mut policy = Policy::servicenow();
    let path = vec![
        Phase::New,
        Phase::Assess,
        Phase::Authorize,
        Phase::Scheduled,
        Phase::Implement,
        Phase::Review,
        Phase::Closed,
    ];
    let mut itop = ChangeModel::new("itop", path).with_states([
        ModelState::new("draft", Phase::New),
        ModelState::new("validated", Phase::Assess),
        ModelState::new("assigned", Phase::Assess),
        ModelState::new("planned", Phase::Authorize),
        ModelState::new("approved", Phase::Scheduled),
        ModelState::new("implemented", Phase::Implement),
        ModelState::new("monitored", Phase::Review),
        ModelState::new("closed", Phase::Closed),
        ModelState::new("withdrawn", Phase::Canceled),
    ]);
    itop.authorized_by = Role::new("cab").into_iter().collect();
    let mut models: Vec<ChangeModel> = policy.models.all().to_vec();
    models.push(itop);
    if let Ok(models) = Models::new(models) {
        policy.models = models;
    }
    policy
}

/// Bytes -> a sequence of (actor, time step, command) on ServiceNow's policy plus a model
/// with a vendor's states; after each step: determinism, every move in the change's model
/// (by state name), nothing after a terminal phase, no scheduled change without a window,
/// JSON round trips, and replay equal to the state.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let policy = policy();
    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    while !b.is_empty() {
        let who = actor(&mut b);
        now = instant(&mut b, now);
        let command = command(&mut b, now);
        let ctx = Context::new(now, &who, &policy);
        let result = decide(&state, &command, &ctx);
        assert_eq!(
            result,
            decide(&state, &command, &ctx),
            "decide is not deterministic"
        );
        let events = match result {
            Ok(events) => events,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                continue;
            }
        };
        let after = events.iter().fold(state.clone(), evolve);
        if let (Some(before), Some(change)) = (state.change(), after.change()) {
            assert!(
                !before.stage().is_terminal() || events.is_empty(),
                "{} accepted in {}",
                command.name(),
                before.stage()
            );
            if let Command::Retype { model, template } = &command {
                // A retype takes a new change to the first state of its new model.
                if !events.is_empty() {
                    assert_eq!(before.stage(), Phase::New, "retyped after new");
                    assert_eq!(&change.request().model, model);
                    assert_eq!(&change.request().template, template);
                    let first = policy
                        .models
                        .get(model)
                        .and_then(|m| m.first_state(Phase::New));
                    assert_eq!(
                        first.map(|s| s.name),
                        Some(change.state_name().to_owned()),
                        "retyped into another state than the model's first"
                    );
                }
            } else if before.state_name() != change.state_name() {
                let model = policy.models.get(&change.request().model);
                let to = model.and_then(|m| m.target(before.state_name(), command.name()));
                assert!(
                    to.is_some_and(|s| s.name == change.state_name() && s.phase == change.stage()),
                    "{} --{}--> {} is not in the model",
                    before.state_name(),
                    command.name(),
                    change.state_name()
                );
            }
            assert!(change.stage() != Phase::Scheduled || change.window().is_some());
            // Tasks: a finished one never moves, a closed or canceled change has none
            // active, and a change's hold is on each active task not held by hand.
            for task in before.tasks() {
                let now_task = change.task(task.id);
                assert!(now_task.is_some(), "task {} disappeared", task.id);
                if !task.state.is_active() {
                    assert_eq!(
                        now_task.map(|t| &t.state),
                        Some(&task.state),
                        "a finished task moved"
                    );
                }
            }
            if change.stage().is_terminal() {
                assert_eq!(
                    change.active_tasks().count(),
                    0,
                    "active tasks on a finished change"
                );
            }
            if let Some(reason) = change.on_hold() {
                for task in change.active_tasks() {
                    assert!(
                        task.hold
                            .as_ref()
                            .is_some_and(|h| !h.from_change || h.reason == reason),
                        "task {} does not carry the change's hold",
                        task.id
                    );
                }
            } else {
                assert!(
                    change
                        .tasks()
                        .iter()
                        .all(|t| t.hold.as_ref().is_none_or(|h| !h.from_change)),
                    "a hold copied from the change outlived it"
                );
            }
        }
        for event in &events {
            let json = serde_json::to_string(event).ok();
            let back: Option<Event> = json.and_then(|j| serde_json::from_str(&j).ok());
            assert_eq!(back.as_ref(), Some(event), "event JSON round trip");
        }
        log.extend(events);
        state = after;
        assert_eq!(
            log.iter().fold(State::new(), evolve),
            state,
            "replay differs"
        );
    }
    // Any log `decide` wrote converts to a timeline (what itsm-metrics measures). Its marks
    // are the documented few (a rejection is not one), so only the ends and the hold flag
    // are compared: closed and canceled changes end closed and canceled, a change on hold
    // ends paused.
    if let (Some(change), Some(last)) = (state.change(), log.last()) {
        let timeline = itsm_change::timeline(&log);
        assert!(
            timeline.is_ok(),
            "no timeline of a decided log: {timeline:?}"
        );
        let Ok(timeline) = timeline else {
            return;
        };
        let expected = match (change.stage(), change.on_hold()) {
            (Phase::Closed, _) => Some(itsm_change::Category::Closed),
            (Phase::Canceled, _) => Some(itsm_change::Category::Canceled),
            (_, Some(_)) => Some(itsm_change::Category::Pending),
            _ => None,
        };
        if expected.is_some() {
            assert_eq!(
                timeline.category_at(last.at()),
                expected,
                "the timeline ends elsewhere than the change"
            );
        }
    }
}

/// Bytes -> a policy from JSON; a policy that loads round trips through JSON and has sound
/// models (each model's lifecycle builds).
pub fn policy_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = serde_json::from_str::<Policy>(text) else {
        return;
    };
    for model in policy.models.all() {
        assert!(
            model.lifecycle().is_ok(),
            "model {} loaded unsound",
            model.name
        );
    }
    let json = serde_json::to_string(&policy).ok();
    let back: Option<Policy> = json.and_then(|j| serde_json::from_str(&j).ok());
    assert_eq!(back.as_ref(), Some(&policy), "policy JSON round trip");
}
