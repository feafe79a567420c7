//! The JSON formats, pinned in `docs/schema/`, and the formats as users write them.
//! After an intended change: `UPDATE_SCHEMAS=1 cargo test -p itsm-vuln --all-features --test schema`.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_vuln::{Command, Policy, Reason, Recalculation, Score, Severity, Subject};
use serde_json::json;

#[cfg(feature = "schemars")]
#[test]
fn schemas_are_pinned() {
    use itsm_testkit::pin_schema;
    const UPDATE: &str = "UPDATE_SCHEMAS=1 cargo test -p itsm-vuln --all-features --test schema";
    pin_schema::<Policy>("vuln-policy.json", UPDATE);
    pin_schema::<Command>("vuln-command.json", UPDATE);
    pin_schema::<itsm_vuln::Event>("vuln-event.json", UPDATE);
    pin_schema::<itsm_vuln::Board>("vuln-board.json", UPDATE);
}

const ID: &str = "00000000-0000-0000-0000-000000000007";

/// A policy and commands as a user writes them, optional fields left out.
#[test]
fn hand_written_inputs_read() {
    let policy: Policy = serde_json::from_value(json!({
        "calculators": [
            {"name": "kev", "when": {"exploit": true}, "score": {"fixed": 100}},
            {"name": "severity", "score": {"weighted": {
                "severity": 80,
                "severity_points": {"critical": 100, "high": 75, "medium": 50, "low": 25, "none": 0},
                "criticality": 20,
                "criticality_points": {"critical": 100, "high": 75, "medium": 50, "low": 25, "none": 0},
                "exploit": 0, "exposure": 0, "epss": 0}}}
        ],
        "targets": [{"name": "critical", "when": {"rating": ["critical"]}, "days": 7, "remind_days": 2}],
        "recalculation": "earliest_when_rising",
        "max_exception_days": 180
    }))
    .unwrap();
    policy.check().unwrap();
    assert_eq!(policy.calculators[0].score, Score::Fixed(100));
    assert_eq!(policy.recalculation, Recalculation::EarliestWhenRising);
    assert_eq!(policy.max_exception_days, Some(180));
    assert_eq!(
        policy.scale,
        itsm_vuln::RatingScale::servicenow(),
        "defaults kept"
    );

    let found: Command = serde_json::from_value(json!({
        "command": "found", "item": ID, "ci": ID, "vulnerability": "CVE-2024-3094",
        "facts": {"severity": "critical", "exploit": true, "criticality": "high", "internet_facing": false}
    }))
    .unwrap();
    assert!(
        matches!(found, Command::Found { facts, .. } if facts.severity == Severity::Critical && facts.epss.is_none())
    );
    let ask: Command = serde_json::from_value(json!({
        "command": "request_exception", "subject": {"task": ID},
        "until": "2027-06-30T00:00:00Z", "reason": "fix_unavailable"
    }))
    .unwrap();
    assert!(matches!(
        ask,
        Command::RequestException {
            subject: Subject::Task(_),
            reason: Reason::FixUnavailable,
            ..
        }
    ));
    let back: Command = serde_json::from_value(serde_json::to_value(&ask).unwrap()).unwrap();
    assert_eq!(back, ask);
}

/// A board survives JSON with its derived tallies rebuilt: commands after a round trip
/// roll up as before.
#[test]
fn a_board_read_back_rolls_up_as_before() {
    use itsm_vuln::chrono::{TimeZone, Utc};
    use itsm_vuln::{
        Actor, Board, ConfigItemId, Context, Facts, ItemId, Role, Status, TaskId, UserId, decide,
    };
    let now = Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
    let policy = Policy::servicenow();
    let scanner = Actor::new(
        UserId::from_u128(1),
        [Role::new("sn_vul.integration").unwrap()],
    );
    let owner = Actor::new(
        UserId::from_u128(2),
        [Role::new("sn_vul.remediation_owner").unwrap()],
    );
    let mut board = Board::new();
    let run = |board: &mut Board, actor: &Actor, command: Command| {
        let events = decide(board, &command, &Context::new(now, actor, &policy)).unwrap();
        board.apply(&events);
    };
    for n in 1..=2 {
        run(
            &mut board,
            &scanner,
            Command::Found {
                item: ItemId::from_u128(n),
                ci: ConfigItemId::from_u128(n),
                vulnerability: "CVE-1".into(),
                facts: Facts::new(Severity::Low),
                task: None,
            },
        );
    }
    run(
        &mut board,
        &owner,
        Command::CreateTask {
            task: TaskId::from_u128(9),
            items: vec![ItemId::from_u128(1), ItemId::from_u128(2)],
            assigned_to: None,
            group: None,
        },
    );
    run(
        &mut board,
        &scanner,
        Command::Fixed {
            item: ItemId::from_u128(1),
        },
    );
    let mut back: Board = serde_json::from_str(&serde_json::to_string(&board).unwrap()).unwrap();
    assert_eq!(back, board);
    run(
        &mut back,
        &scanner,
        Command::Fixed {
            item: ItemId::from_u128(2),
        },
    );
    assert_eq!(
        back.task(TaskId::from_u128(9)).unwrap().status,
        Status::Closed
    );
}

/// A board read back from JSON rebuilds its agenda on the next fold: its deadlines are the
/// original's (mutation testing: a board whose agenda was never rebuilt forgot them).
#[test]
fn a_board_read_back_keeps_its_deadlines() {
    use itsm_vuln::chrono::{TimeDelta, TimeZone, Utc};
    use itsm_vuln::{
        Actor, Board, ConfigItemId, Context, Facts, ItemId, Reason, Role, UserId, decide,
        next_deadline,
    };
    let now = Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
    let policy = Policy::servicenow();
    let scanner = Actor::new(
        UserId::from_u128(1),
        [Role::new("sn_vul.integration").unwrap()],
    );
    let admin = Actor::new(
        UserId::from_u128(3),
        [Role::new("sn_vul.vulnerability_admin").unwrap()],
    );
    let run = |board: &mut Board, actor: &Actor, command: Command| {
        let events = decide(board, &command, &Context::new(now, actor, &policy)).unwrap();
        board.apply(&events);
    };
    let mut board = Board::new();
    for n in 1..=2 {
        run(
            &mut board,
            &scanner,
            Command::Found {
                item: ItemId::from_u128(n),
                ci: ConfigItemId::from_u128(n),
                vulnerability: "CVE-1".into(),
                facts: Facts::new(Severity::Critical),
                task: None,
            },
        );
    }
    let until = now + TimeDelta::days(2);
    run(
        &mut board,
        &admin,
        Command::Defer {
            subject: Subject::Item(ItemId::from_u128(1)),
            until,
            reason: Reason::Other,
        },
    );
    assert_eq!(next_deadline(&board, &policy), Some(until));
    let mut back: Board = serde_json::from_str(&serde_json::to_string(&board).unwrap()).unwrap();
    // Read back, before any fold: one pass over it.
    assert_eq!(next_deadline(&back, &policy), Some(until));
    // After a fold (the second item fixed), from the rebuilt agenda.
    run(
        &mut back,
        &scanner,
        Command::Fixed {
            item: ItemId::from_u128(2),
        },
    );
    run(
        &mut board,
        &scanner,
        Command::Fixed {
            item: ItemId::from_u128(2),
        },
    );
    assert_eq!(next_deadline(&back, &policy), Some(until));
    assert_eq!(
        next_deadline(&back, &policy),
        next_deadline(&board, &policy)
    );
}
