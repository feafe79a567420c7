//! Follow-ups of closed incidents: ServiceNow's "Reopening an incident" (Incident
//! Management > Managing incidents): a closed incident cannot be reopened; a request to reopen
//! it opens a new incident with the fields of `com.snc.incident.clone_fields_on_reopen`
//! copied from the closed one, the sender as caller, e-mail as the channel, in progress.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use itsm_core::{ConfigItemId, Impact, ServiceId, Urgency, UserId};
use itsm_incident::{
    ChangeId, Channel, Command, CommandKind, Context, Error, Event, FollowUpField, FollowUpPolicy,
    IncidentId, Link, Links, Policy, ProblemId, Report, Snapshot, State, Status, StatusKind,
    decide, follow_up,
};

const NEW: IncidentId = IncidentId::from_u128(0x1_00F0);
const SENDER: UserId = UserId::from_u128(0x3_00F0);

/// Runs `commands` as the superuser at `at`, returning the state.
fn run(
    state: State,
    commands: &[Command],
    at: chrono::DateTime<chrono::Utc>,
    policy: &Policy,
) -> State {
    let actor = superuser();
    let ctx = Context::new(at, &actor, policy);
    let mut state = state;
    for command in commands {
        let events = decide(&state, command, &ctx).unwrap_or_else(|e| panic!("{command:?}: {e}"));
        state.apply(&events);
    }
    state
}

/// An incident on a configuration item and a service, linked to a problem and a change,
/// reprioritized to impact 1 and urgency 1, worked by the network group, resolved and
/// closed.
fn closed(policy: &Policy) -> State {
    let mut report = report();
    report.configuration_item = Some(ConfigItemId::from_u128(0x5_0001));
    report.service = Some(ServiceId::from_u128(0x6_0001));
    let state = run(
        State::new(),
        &[
            report.into(),
            Command::Assign {
                group: NETWORK,
                person: Some(ALICE),
            },
            Command::StartWork,
            Command::Reprioritize {
                impact: Impact(1),
                urgency: Urgency(1),
            },
            Command::Link {
                link: Link::Problem(ProblemId::from_u128(0x7_0001)),
            },
            Command::Link {
                link: Link::Change(ChangeId::from_u128(0x8_0001)),
            },
        ],
        t0(),
        policy,
    );
    run(
        state,
        &[
            Command::Resolve {
                code: "solved".into(),
                notes: "new VPN profile".into(),
            },
            Command::Close { resolution: None },
        ],
        t(2),
        policy,
    )
}

/// What the caller wrote, by e-mail.
fn request() -> Report {
    let mut request = Report::new(
        NEW,
        SENDER,
        Impact(3),
        Urgency(3),
        "Please reopen: it is back",
    );
    request.channel = Channel::Email;
    request
}

/// The plan run with the caller asking and the system doing the rest.
fn run_plan(original: &State, policy: &Policy) -> (State, Vec<Event>) {
    let plan = follow_up(original, request(), policy).unwrap();
    let (caller, system) = (caller(), system());
    plan.run(
        &Context::new(day(7), &caller, policy),
        &Context::new(day(7), &system, policy),
    )
    .unwrap()
}

/// ServiceNow, "Reopening an incident": "If the incident is already closed, you cannot
/// reopen that incident."
#[test]
fn servicenow_a_closed_incident_cannot_be_reopened() {
    let policy = Policy::servicenow();
    let closed = closed(&policy);
    let caller = caller();
    let err = decide(
        &closed,
        &Command::Reopen {
            reason: "still broken".into(),
        },
        &Context::new(day(7), &caller, &policy),
    )
    .unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err}");
}

/// ServiceNow, "Reopening an incident": a request to reopen a closed incident opens a new
/// incident with the selected fields copied from the closed one; the clone is in progress,
/// its caller the sender, its channel e-mail.
#[test]
fn servicenow_a_request_after_closure_opens_a_new_incident_with_the_fields_copied() {
    let policy = Policy::servicenow();
    let original = closed(&policy);
    let (state, events) = run_plan(&original, &policy);
    let old = original.incident().unwrap();
    let new = state.incident().unwrap();
    assert_eq!(new.id(), NEW);
    assert_eq!(state.kind(), StatusKind::InProgress);
    // The request's own: caller and channel.
    assert_eq!(new.report().caller, SENDER);
    assert_eq!(new.report().channel, Channel::Email);
    // Copied: category, item, service, the impact and urgency as last assessed (and so the
    // priority), description, assignment group (not the person), problems, changes.
    assert_eq!(new.report().category, old.report().category);
    assert_eq!(
        new.report().configuration_item,
        old.report().configuration_item
    );
    assert_eq!(new.report().service, old.report().service);
    assert_eq!((new.impact(), new.urgency()), (Impact(1), Urgency(1)));
    assert_eq!(new.priority(), old.priority());
    assert_eq!(new.report().description, "VPN drops every ten minutes");
    assert_eq!(
        new.assignment().map(|a| (a.group, a.person)),
        Some((NETWORK, None))
    );
    assert_eq!(new.links().problems, old.links().problems);
    assert_eq!(new.links().changes, old.links().changes);
    assert_eq!(new.links().follow_up_of, Some(ID));
    // The closed incident's counters do not carry over: it is a new record.
    assert_eq!((new.reopen_count(), new.reassignment_count()), (0, 0));
    // The events, in order: reported by the caller, then the system's steps.
    let kinds: Vec<&str> = events.iter().map(Event::name).collect();
    assert_eq!(
        kinds,
        [
            "reported",
            "linked",
            "linked",
            "linked",
            "assigned",
            "work_started"
        ]
    );
    assert_eq!(events.first().map(Event::by), Some(caller().user));
    assert!(events.iter().skip(1).all(|e| e.by() == system().user));
    assert_eq!(
        events.get(1),
        Some(&Event::Linked {
            at: day(7),
            by: system().user,
            link: Link::FollowUpOf(ID),
        })
    );
}

/// The follow-up's timeline names the incident it follows, so that itsm-metrics can count
/// it as a reopen of that one (`FollowUps::AsReopens`).
#[test]
fn the_follow_ups_timeline_names_the_incident_it_follows() {
    let policy = Policy::servicenow();
    let (_, events) = run_plan(&closed(&policy), &policy);
    let t = itsm_incident::timeline(&events).unwrap();
    assert_eq!(t.id(), NEW.to_string());
    assert_eq!(t.follow_up_of(), Some(ID.to_string().as_str()));
    // An incident that follows up nothing names nothing.
    let first = events.first().cloned().unwrap();
    assert_eq!(
        itsm_incident::timeline(&[first]).unwrap().follow_up_of(),
        None
    );
}

/// A follow-up migrated from another tool keeps the link in its timeline too.
#[test]
fn an_imported_follow_ups_timeline_names_the_incident_it_follows() {
    let policy = Policy::servicenow();
    let mut report = report();
    report.id = OTHER;
    let mut links = Links::default();
    links.follow_up_of = Some(ID);
    let snapshot = Snapshot {
        report,
        status: Status::InProgress,
        assignment: None,
        reassignment_count: 0,
        reopen_count: 0,
        escalation: Default::default(),
        major: false,
        links,
        opened_at: t0(),
    };
    let actor = superuser();
    let import = Command::Import(Box::new(snapshot));
    let events = decide(
        &State::default(),
        &import,
        &Context::new(t0(), &actor, &policy),
    )
    .unwrap();
    let t = itsm_incident::timeline(&events).unwrap();
    assert_eq!(t.follow_up_of(), Some(ID.to_string().as_str()));
}

#[test]
fn only_the_listed_fields_are_copied() {
    let mut policy = Policy::servicenow();
    policy.follow_up = FollowUpPolicy::default();
    policy.follow_up.copy = vec![FollowUpField::Service, FollowUpField::Changes];
    policy.follow_up.start_work = false;
    let original = closed(&policy);
    let (state, events) = run_plan(&original, &policy);
    let new = state.incident().unwrap();
    assert_eq!(state.kind(), StatusKind::New);
    assert_eq!(
        new.report().service,
        original.incident().unwrap().report().service
    );
    assert_eq!(new.report().category, request().category);
    assert_eq!(new.report().configuration_item, None);
    assert_eq!((new.impact(), new.urgency()), (Impact(3), Urgency(3)));
    assert_eq!(new.report().description, "Please reopen: it is back");
    assert_eq!(new.assignment(), None);
    assert!(new.links().problems.is_empty());
    assert_eq!(new.links().changes, [ChangeId::from_u128(0x8_0001)]);
    assert_eq!(events.len(), 3);

    // Nothing copied, not started: the request reported, linked to the closed one.
    policy.follow_up.copy.clear();
    let plan = follow_up(&original, request(), &policy).unwrap();
    assert_eq!(plan.report, request());
    assert_eq!(
        plan.then,
        [Command::Link {
            link: Link::FollowUpOf(ID)
        }]
    );
}

#[test]
fn an_unassigned_closed_incident_gives_no_assignment() {
    // Resolved straight from new (ServiceNow allows it) and closed, never assigned.
    let policy = Policy::servicenow();
    let closed = run(
        State::new(),
        &[
            report().into(),
            Command::Resolve {
                code: "solved".into(),
                notes: "by itself".into(),
            },
            Command::Close { resolution: None },
        ],
        t0(),
        &policy,
    );
    assert_eq!(closed.kind(), StatusKind::Closed);
    let plan = follow_up(&closed, request(), &policy).unwrap();
    assert_eq!(
        plan.then,
        [
            Command::Link {
                link: Link::FollowUpOf(ID)
            },
            Command::StartWork
        ]
    );
}

#[test]
fn only_a_closed_incident_is_followed_up() {
    let policy = Policy::servicenow();
    assert_eq!(
        follow_up(&State::new(), request(), &policy),
        Err(Error::FollowUpOfUnreported)
    );
    let open = run(State::new(), &[report().into()], t0(), &policy);
    let resolved = run(
        open.clone(),
        &[
            Command::Assign {
                group: NETWORK,
                person: None,
            },
            Command::StartWork,
            Command::Resolve {
                code: "solved".into(),
                notes: "n".into(),
            },
        ],
        t0(),
        &policy,
    );
    let canceled = run(
        open.clone(),
        &[Command::Cancel {
            reason: "duplicate".into(),
        }],
        t0(),
        &policy,
    );
    assert_eq!(
        follow_up(&canceled, request(), &policy),
        Err(Error::FollowUpOfCanceled { id: ID })
    );
    assert_eq!(
        follow_up(&canceled, request(), &policy)
            .unwrap_err()
            .to_string(),
        format!(
            "incident {ID} was canceled; a canceled incident is not followed up (report a new incident instead)"
        )
    );
    for (state, kind) in [(&open, StatusKind::New), (&resolved, StatusKind::Resolved)] {
        let err = follow_up(state, request(), &policy).unwrap_err();
        assert_eq!(
            err,
            Error::FollowUpOfOpen {
                id: ID,
                state: kind.name().to_owned(),
                kind
            }
        );
    }
    let err = follow_up(&resolved, request(), &policy).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "incident {ID} is in state `resolved`; only a closed incident is followed up by a new one (reopen a resolved one with `reopen`)"
        )
    );
}

#[test]
fn the_follow_up_needs_its_own_id() {
    let policy = Policy::servicenow();
    let original = closed(&policy);
    let mut same = request();
    same.id = ID;
    let err = follow_up(&original, same, &policy).unwrap_err();
    assert_eq!(err, Error::FollowUpSameId { id: ID });
    assert_eq!(
        err.to_string(),
        format!("the follow-up needs an id of its own; {ID} is the closed incident's")
    );
}

#[test]
fn the_plan_obeys_permissions() {
    // A caller may report, not assign: running every step as the caller stops at the
    // assignment, with nothing to store.
    let policy = Policy::servicenow();
    let original = closed(&policy);
    let plan = follow_up(&original, request(), &policy).unwrap();
    let caller = caller();
    let ctx = Context::new(day(7), &caller, &policy);
    let err = plan.run(&ctx, &ctx).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Denied {
                command: CommandKind::Link,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_follow_up_link_is_one_and_not_to_itself() {
    let policy = Policy::servicenow();
    let state = run(
        State::new(),
        &[
            report().into(),
            Command::Link {
                link: Link::FollowUpOf(OTHER),
            },
        ],
        t0(),
        &policy,
    );
    assert_eq!(state.incident().unwrap().links().follow_up_of, Some(OTHER));
    let agent = agent();
    let ctx = Context::new(t(1), &agent, &policy);
    // The same link again changes nothing.
    let same = Command::Link {
        link: Link::FollowUpOf(OTHER),
    };
    assert_eq!(decide(&state, &same, &ctx), Ok(Vec::new()));
    // Another is refused, naming both.
    let other = Command::Link {
        link: Link::FollowUpOf(THIRD),
    };
    assert_eq!(
        decide(&state, &other, &ctx),
        Err(Error::FollowUpOfAlreadySet {
            current: OTHER,
            requested: THIRD
        })
    );
    // Itself: refused.
    let itself = Command::Link {
        link: Link::FollowUpOf(ID),
    };
    assert_eq!(
        decide(&state, &itself, &ctx),
        Err(Error::SelfLink { id: ID })
    );
}

#[cfg(feature = "serde")]
#[test]
fn the_policy_reads_from_json() {
    // Absent: ServiceNow's.
    let mut value = serde_json::to_value(Policy::servicenow()).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("follow_up");
    let policy: Policy = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(policy.follow_up, FollowUpPolicy::default());
    // Given: read as written, each part optional.
    value["follow_up"] = serde_json::json!({"copy": ["impact", "assignment_group"]});
    let policy: Policy = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(
        policy.follow_up.copy,
        [FollowUpField::Impact, FollowUpField::AssignmentGroup]
    );
    assert!(policy.follow_up.start_work);
    // A field that is not copyable is refused, naming the ones that are.
    value["follow_up"] = serde_json::json!({"copy": ["caller"]});
    let err = serde_json::from_value::<Policy>(value.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown variant `caller`"), "{err}");
    assert!(err.contains("assignment_group"), "{err}");
    // So is an unknown key.
    value["follow_up"] = serde_json::json!({"copy": [], "starts": true});
    assert!(serde_json::from_value::<Policy>(value).is_err());
}

#[cfg(feature = "serde")]
#[test]
fn a_follow_up_link_round_trips_through_json() {
    let event = Event::Linked {
        at: t0(),
        by: system().user,
        link: Link::FollowUpOf(OTHER),
    };
    let json = serde_json::to_string(&event).unwrap();
    assert!(json.contains(r#""kind":"follow_up_of""#), "{json}");
    assert_eq!(Event::from_json(&json).unwrap(), event);
    assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
}

/// iTop's and GLPI's workflows: assignment puts the incident in progress (iTop's
/// `assigned`, GLPI's `assigned`), and neither has `start_work` from there (iTop has none
/// at all), so the plan has none; run through `decide`, it is accepted and ends in progress
/// when a group is copied.
#[test]
fn the_plan_fits_vendor_workflows() {
    for policy in [Policy::itop(), Policy::glpi()] {
        let name = policy.workflow.name().to_owned();
        let closed = closed_under(&policy);
        let plan = follow_up(&closed, request(), &policy).unwrap();
        assert!(
            !plan.then.contains(&Command::StartWork),
            "{name}: {:?}",
            plan.then
        );
        let (caller, system) = (caller(), system());
        let (state, _) = plan
            .run(
                &Context::new(day(7), &caller, &policy),
                &Context::new(day(7), &system, &policy),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(state.kind(), StatusKind::InProgress, "{name}");
        assert_eq!(
            state.incident().unwrap().links().follow_up_of,
            Some(ID),
            "{name}"
        );
        // Nothing copied, nothing assigned: GLPI starts work from `new` (into its
        // `assigned`), iTop cannot, so there the follow-up waits in `new`.
        let mut bare = policy.clone();
        bare.follow_up.copy.clear();
        let plan = follow_up(&closed, request(), &bare).unwrap();
        let (state, _) = plan
            .run(
                &Context::new(day(7), &caller, &bare),
                &Context::new(day(7), &system, &bare),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = if name == "glpi" { "assigned" } else { "new" };
        assert_eq!(state.incident().unwrap().state_name(), expected, "{name}");
    }
}

/// An incident worked and closed under `policy` (its own resolve and close path).
fn closed_under(policy: &Policy) -> State {
    let actor = superuser();
    let mut state = State::new();
    let mut step = |command: Command, at| {
        let ctx = Context::new(at, &actor, policy);
        let events = decide(&state, &command, &ctx).unwrap_or_else(|e| panic!("{command:?}: {e}"));
        state.apply(&events);
    };
    step(report().into(), t0());
    step(
        Command::Assign {
            group: NETWORK,
            person: Some(ALICE),
        },
        t0(),
    );
    let code = policy
        .resolution_codes
        .first()
        .cloned()
        .unwrap_or_else(|| "solved".into());
    step(
        Command::Resolve {
            code,
            notes: "fixed".into(),
        },
        t(1),
    );
    step(Command::Close { resolution: None }, t(2));
    assert_eq!(
        state.kind(),
        StatusKind::Closed,
        "{}",
        policy.workflow.name()
    );
    state
}
