//! Error messages are part of the interface: a vendor fixes a policy file from the message
//! alone. Each one is produced by a real call and pinned here, so a change is a visible diff.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::{Actor, Permissions, Role, UserId};
use itsm_core::{Axis, Error};
use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
use itsm_core::{
    Direction, Impact, Level, MatrixSpec, PriorityMatrix, Rounding, Rule, Scale, Urgency,
};

fn message(result: Result<impl std::fmt::Debug, Error>) -> String {
    result.unwrap_err().to_string()
}

fn formula(offset: i16, divisor: u8) -> MatrixSpec {
    let five = Scale::numbered(Direction::LowerIsMoreSevere, &["a", "b", "c", "d", "e"]);
    MatrixSpec {
        name: "f".into(),
        impact: five.clone(),
        urgency: five.clone(),
        priority: five,
        rule: Rule::Formula {
            offset,
            divisor,
            rounding: Rounding::Floor,
        },
    }
}

fn servicenow_with(impact: u8, urgency: u8, priority: u8) -> MatrixSpec {
    let mut spec = PriorityMatrix::servicenow().spec().clone();
    if let Rule::Table { cells } = &mut spec.rule {
        for c in cells.iter_mut() {
            if (c.impact, c.urgency) == (impact, urgency) {
                c.priority = priority;
            }
        }
    }
    spec
}

#[test]
fn axis_names() {
    assert_eq!(Axis::Impact.to_string(), "impact");
    assert_eq!(Axis::Urgency.to_string(), "urgency");
    assert_eq!(Axis::Priority.to_string(), "priority");
}

#[test]
fn scale_messages() {
    let mut spec = formula(0, 2);
    spec.impact.levels.clear();
    assert_eq!(
        message(PriorityMatrix::new(spec)),
        "the impact scale has no levels; give at least one"
    );

    let mut spec = formula(0, 2);
    spec.urgency.levels.push(Level::new(4, "again"));
    assert_eq!(
        message(PriorityMatrix::new(spec)),
        "the urgency scale lists level 4 twice; each level must be unique"
    );
}

#[test]
fn unknown_level_message_lists_the_scale() {
    assert_eq!(
        message(PriorityMatrix::itop().priority(Impact(7), Urgency(1))),
        "impact 7 is not on the impact scale; allowed: 1, 2, 3"
    );
    assert_eq!(
        message(PriorityMatrix::glpi().explain(Impact(1), Urgency(0))),
        "urgency 0 is not on the urgency scale; allowed: 1, 2, 3, 4, 5"
    );
    assert_eq!(
        message(PriorityMatrix::new(servicenow_with(2, 2, 9))),
        "priority 9 is not on the priority scale; allowed: 1, 2, 3, 4, 5"
    );
}

#[test]
fn table_messages() {
    let mut spec = PriorityMatrix::servicenow().spec().clone();
    if let Rule::Table { cells } = &mut spec.rule {
        cells.retain(|c| (c.impact, c.urgency) != (3, 1));
    }
    assert_eq!(
        message(PriorityMatrix::new(spec)),
        "the priority table has no cell for impact 3 and urgency 1; a table must cover every pair"
    );

    let mut spec = PriorityMatrix::servicenow().spec().clone();
    if let Rule::Table { cells } = &mut spec.rule {
        let copy = cells[5];
        cells.push(copy);
    }
    assert_eq!(
        message(PriorityMatrix::new(spec)),
        "the priority table has two cells for impact 2 and urgency 3; give each pair once"
    );
}

#[test]
fn not_monotone_message() {
    // (1, 1) made 3: urgency 1 is more severe than 2, yet gives 3 where (1, 2) gives 2.
    assert_eq!(
        message(PriorityMatrix::new(servicenow_with(1, 1, 3))),
        "the matrix is not monotone at impact 1, urgency 2: a more severe urgency (1) gives priority 3, less severe than priority 2"
    );
}

#[test]
fn formula_messages() {
    assert_eq!(
        message(PriorityMatrix::new(formula(-1, 1))),
        "the formula gives 6 for impact 2 and urgency 5, which is not on the priority scale; allowed: 1, 2, 3, 4, 5"
    );
    assert_eq!(
        message(PriorityMatrix::new(formula(-4, 2))),
        "the formula gives -1 for impact 1 and urgency 1, which is not on the priority scale; allowed: 1, 2, 3, 4, 5"
    );
    assert_eq!(
        message(PriorityMatrix::new(formula(0, 0))),
        "the formula divides by zero; the divisor must be at least 1"
    );
}

#[test]
fn permission_messages() {
    let agent = Role::new("agent").unwrap();
    let manager = Role::new("manager").unwrap();
    let perms = Permissions::new().allow("close", [manager.clone(), agent.clone()]);
    let caller = Actor::new(
        UserId::from_u128(1),
        [Role::new("caller").unwrap(), Role::new("approver").unwrap()],
    );
    assert_eq!(
        message(perms.check("close", &caller)),
        "close needs one of the roles agent, manager; the actor has approver, caller"
    );
    let nobody = Actor::new(UserId::from_u128(2), []);
    assert_eq!(
        message(perms.check("close", &nobody)),
        "close needs one of the roles agent, manager; the actor has (none)"
    );
    let alice = Actor::new(UserId::from_u128(3), [agent]);
    assert_eq!(
        message(perms.check("delete", &alice)),
        "no role may delete; the actor has agent"
    );
    assert_eq!(message(Role::new("")), "a role name must not be empty");
}

#[test]
fn lifecycle_messages() {
    let open = || StateSpec::initial("open", Category::Open).terminal();
    assert_eq!(
        message(Lifecycle::new("door", vec![open(), open()], vec![])),
        "lifecycle `door` is invalid: state `open` is listed twice"
    );
    assert_eq!(
        message(Lifecycle::new(
            "door",
            vec![open()],
            vec![TransitionSpec::new("open", "slam", "shut")]
        )),
        "lifecycle `door` is invalid: transition `slam` names unknown state `shut`"
    );
    assert_eq!(
        message(Lifecycle::new(
            "door",
            vec![StateSpec::new("open", Category::Open)],
            vec![]
        )),
        "lifecycle `door` is invalid: no state is initial; mark at least one; no state is terminal; mark at least one"
    );
    assert_eq!(
        message(Lifecycle::new(
            "door",
            vec![
                StateSpec::initial("open", Category::Open),
                StateSpec::new("ajar", Category::Open),
                StateSpec::new("shut", Category::Closed).terminal(),
            ],
            vec![
                TransitionSpec::new("open", "close", "shut"),
                TransitionSpec::new("open", "close", "ajar"),
            ]
        )),
        "lifecycle `door` is invalid: `close` leads from `open` to `shut` and `ajar`; a command may lead to one state only; no terminal state can be reached from state `ajar`"
    );
}

/// Issue 20: messages quote what the user gave capped at 80 characters with the total length,
/// and escape control and invisible characters; the error's field keeps the whole text.
#[test]
fn messages_cap_and_escape_what_they_quote() {
    let huge = "9".repeat(100_000);
    let err = huge.parse::<itsm_core::UserId>().unwrap_err();
    let text = err.to_string();
    assert!(text.len() < 300, "{} bytes", text.len());
    assert!(
        text.contains(&format!("{}… (100000 bytes)", "9".repeat(80))),
        "{text}"
    );
    match err {
        itsm_core::Error::InvalidId { text, .. } => assert_eq!(text.len(), 100_000),
        other => panic!("{other:?}"),
    }
    let hostile = "\u{1b}[31mred\u{202e}txt\0";
    let text = hostile
        .parse::<itsm_core::Category>()
        .unwrap_err()
        .to_string();
    assert!(
        text.starts_with("`\\u{1b}[31mred\\u{202e}txt\\u{0}` is not a state category"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}') && !text.contains('\0'));
}
