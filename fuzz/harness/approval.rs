//! The fuzz harnesses of approvals, as plain functions of bytes.
//!
//! The libFuzzer targets `fuzz/fuzz_targets/approval_commands.rs` and
//! `approval_policy_json.rs` call these functions, and so does the stable test
//! `crates/itsm-approval/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/<target>/`. The state invariants are the crate tests' own
//! (`crates/itsm-approval/tests/invariants/mod.rs`), included here: one copy.
//!
//! A function returns normally when the input is uninteresting or all is well, and panics
//! (through `assert!`) when an invariant breaks.
//!
//! How [`commands`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the number of stages (1 to 3) and the delegation rule (bits 2-3: forbidden,
//!   once, redelegate);
//! - per stage, 4 bytes: the approvers as a bit mask over (Ana, Ben, group CAB, group TECH,
//!   role `cab`, the requester, the implementer); the quorum (any, all, majority, N of M with
//!   N from 0 to 4, a percentage of 0, 1, 34, 50, 60, 100 or 101); bits for first rejection
//!   (bit 0), separation of duties off for the requester (bit 1) and the implementer (bit 2),
//!   and a required role `cab_member` (bit 3); the last byte is spare;
//! - the request, 4 bytes: the requester (the requester or Ana), the implementer (none, the
//!   implementer, Ben), CAB's members as a bit mask over the seven people, TECH's members (a
//!   mask; bit 7 leaves TECH out of the request);
//! - then per step, 4 bytes: the actor (one of the seven people), their roles (bit 0 `cab`,
//!   bit 1 `cab_member`), the time step (0 s, 1 min, 1 h, one minute back), and the command
//!   (request, approve, approve with a comment, reject, reject without a reason, delegate to
//!   the person of the step's actor byte shifted by one, cancel).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use itsm_approval::{
    Actor, ApprovalId, Approver, Command, Context, Delegation, Error, Event, GroupId, Holder,
    Outcome, Party, Policy, PolicySpec, Quorum, RefusalRule, Request, Role, StageSpec, State,
    TRANSITIONS, UserId, decide, evolve,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

#[path = "../../crates/itsm-approval/tests/invariants/mod.rs"]
mod invariants;

/// At most this many commands per input, so each execution stays fast.
const MAX_STEPS: usize = 48;

/// 2026-03-02T09:00:00Z, where every run starts.
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_772_442_000, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

const REQUESTER: UserId = UserId::from_u128(1);
const IMPLEMENTER: UserId = UserId::from_u128(2);
const ANA: UserId = UserId::from_u128(3);
const BEN: UserId = UserId::from_u128(4);
const CAT: UserId = UserId::from_u128(5);
const DAN: UserId = UserId::from_u128(6);
const EVE: UserId = UserId::from_u128(7);
const PEOPLE: [UserId; 7] = [REQUESTER, IMPLEMENTER, ANA, BEN, CAT, DAN, EVE];
const CAB: GroupId = GroupId::from_u128(10);
const TECH: GroupId = GroupId::from_u128(11);

fn role(name: &str) -> Option<Role> {
    Role::new(name).ok()
}

fn people(mask: u8) -> Vec<UserId> {
    PEOPLE
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, u)| *u)
        .collect()
}

fn stage(index: usize, b: &mut Bytes<'_>) -> StageSpec {
    let mask = b.byte();
    let mut approvers = Vec::new();
    let pool = [
        Some(Approver::Person(ANA)),
        Some(Approver::Person(BEN)),
        Some(Approver::Group(CAB)),
        Some(Approver::Group(TECH)),
        role("cab").map(Approver::Role),
        Some(Approver::Party(Party::Requester)),
        Some(Approver::Party(Party::Implementer)),
    ];
    for (i, approver) in pool.into_iter().enumerate() {
        if mask & (1 << i) != 0 {
            approvers.extend(approver);
        }
    }
    let quorum = match b.pick(17) {
        0 => Quorum::Any,
        1 => Quorum::All,
        2 => Quorum::Majority,
        n @ 3..=7 => Quorum::Count(u32::try_from(n - 3).unwrap_or(0)),
        n => Quorum::Percent(
            [0, 1, 34, 50, 60, 100, 101, 50, 60]
                .get((n - 8) % 9)
                .copied()
                .unwrap_or(50),
        ),
    };
    let flags = b.byte();
    let _spare = b.byte();
    let mut stage = StageSpec::new(format!("stage{index}"), approvers, quorum);
    if flags & 1 != 0 {
        stage.refusal = RefusalRule::FirstRejection;
    }
    if flags & 2 != 0 {
        stage.separation_of_duties.remove(&Party::Requester);
    }
    if flags & 4 != 0 {
        stage.separation_of_duties.remove(&Party::Implementer);
    }
    if flags & 8 != 0 {
        stage.required_role = role("cab_member");
    }
    stage
}

fn request(b: &mut Bytes<'_>) -> Request {
    let requester = b.choose(&[REQUESTER, ANA], REQUESTER);
    let implementer = b.choose(&[None, Some(IMPLEMENTER), Some(BEN)], None);
    let cab = people(b.byte());
    let tech = b.byte();
    let mut request = Request::new(ApprovalId::from_u128(99), requester).with_members(CAB, cab);
    if tech & 0x80 == 0 {
        request = request.with_members(TECH, people(tech));
    }
    if let Some(implementer) = implementer {
        request = request.with_implementer(implementer);
    }
    request
}

/// Checks one accepted or refused step and folds it: the step invariants shared by both
/// targets. Returns the events.
fn step(
    state: &mut State,
    log: &mut Vec<Event>,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let result = decide(state, command, ctx);
    assert_eq!(
        result,
        decide(state, command, ctx),
        "decide is deterministic"
    );
    let before = state.clone();
    let events = match result {
        Ok(events) => events,
        Err(e) => {
            if before.kind().is_terminal() {
                assert!(matches!(e, Error::NotAllowed { .. }), "{e}");
            }
            // A refusal prints (no panic in Display).
            assert!(!e.to_string().is_empty());
            return Err(e);
        }
    };
    assert!(
        !before.kind().is_terminal(),
        "a terminal state accepted {command:?}"
    );
    for event in &events {
        assert_eq!(event.at(), ctx.now);
        assert_eq!(event.by(), ctx.actor.user);
    }
    state.apply(&events);
    log.extend(events.iter().cloned());
    let transition = (before.kind(), command.kind(), state.kind());
    assert!(TRANSITIONS.contains(&transition), "{transition:?}");
    let replayed = log.iter().fold(State::new(), evolve);
    assert_eq!(&replayed, state, "replay reproduces the state");
    if let (Some(a), Some(b)) = (before.approval(), state.approval()) {
        let n = a.decisions().len();
        assert_eq!(
            b.decisions().get(..n),
            Some(a.decisions()),
            "decided stages never change"
        );
        assert_eq!(
            b.stages().get(..n),
            a.stages().get(..n),
            "decided stages never change"
        );
    }
    let checked = invariants::check(state);
    assert!(checked.is_ok(), "{checked:?} after {command:?}");
    for event in &events {
        if let Event::StageDecided { explanation, .. } = event {
            assert!(!explanation.to_string().is_empty());
        }
        let json = serde_json::to_string(event).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Event>(&json).ok().as_ref(),
            Some(event),
            "{json}"
        );
    }
    let json = serde_json::to_string(state).unwrap_or_default();
    assert_eq!(
        serde_json::from_str::<State>(&json).ok().as_ref(),
        Some(&*state),
        "{json}"
    );
    Ok(events)
}

/// Bytes -> a policy, a request and up to [`MAX_STEPS`] commands, with every invariant
/// checked after every step.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let head = b.byte();
    let stages: Vec<StageSpec> = (0..=usize::from(head % 3))
        .map(|i| stage(i, &mut b))
        .collect();
    let mut spec = PolicySpec::new("fuzz", stages);
    spec.delegation = match (head >> 2) % 3 {
        0 => Delegation::Forbidden,
        1 => Delegation::Once,
        _ => Delegation::Redelegate,
    };
    let policy = match Policy::new(spec) {
        Ok(policy) => policy,
        Err(e) => {
            assert!(
                matches!(&e, Error::InvalidPolicy { problems, .. } if !problems.is_empty()),
                "Policy::new refused with {e}"
            );
            return;
        }
    };
    let request = request(&mut b);
    let mut state = State::new();
    let mut log = Vec::new();
    let mut now = t0();
    let opening = Actor::new(REQUESTER, []);
    let _ = step(
        &mut state,
        &mut log,
        &request.clone().into(),
        &Context::new(now, &opening, &policy),
    );
    for _ in 0..MAX_STEPS {
        if b.is_empty() {
            break;
        }
        let who = b.pick(PEOPLE.len());
        let roles_byte = b.byte();
        let mut roles = Vec::new();
        if roles_byte & 1 != 0 {
            roles.extend(role("cab"));
        }
        if roles_byte & 2 != 0 {
            roles.extend(role("cab_member"));
        }
        let user = PEOPLE.get(who).copied().unwrap_or(REQUESTER);
        let actor = Actor::new(user, roles);
        now += match b.pick(4) {
            0 => Duration::zero(),
            1 => Duration::minutes(1),
            2 => Duration::hours(1),
            _ => Duration::minutes(-1),
        };
        let command = match b.pick(7) {
            0 => request.clone().into(),
            1 => Command::Approve { comment: None },
            2 => Command::Approve {
                comment: Some("ok".into()),
            },
            3 => Command::Reject {
                reason: "no".into(),
            },
            4 => Command::Reject {
                reason: String::new(),
            },
            5 => Command::Delegate {
                to: PEOPLE.get((who + 1) % PEOPLE.len()).copied().unwrap_or(EVE),
            },
            _ => Command::Cancel {
                reason: "withdrawn".into(),
            },
        };
        let _ = step(
            &mut state,
            &mut log,
            &command,
            &Context::new(now, &actor, &policy),
        );
    }
}

/// Runs a policy through a fixed scenario: a request naming every group with three members,
/// then every seat approves (or, with `approve` false, rejects) in seat order. The request
/// is refused only as undecidable; once accepted, unanimous approval approves and
/// unanimous rejection refuses.
fn scenario(policy: &Policy, approve: bool) {
    let mut request =
        Request::new(ApprovalId::from_u128(1), REQUESTER).with_implementer(IMPLEMENTER);
    for stage in policy.stages() {
        for approver in &stage.approvers {
            if let Approver::Group(group) = approver {
                request = request.with_members(*group, [ANA, BEN, CAT, REQUESTER]);
            }
        }
    }
    let mut state = State::new();
    let mut log = Vec::new();
    let mut now = t0();
    let opening = Actor::new(REQUESTER, []);
    if let Err(e) = step(
        &mut state,
        &mut log,
        &request.into(),
        &Context::new(now, &opening, policy),
    ) {
        assert!(matches!(e, Error::Undecidable { .. }), "{e}");
        return;
    }
    // Each answer decides at most one stage; a stage has at most a few hundred seats here.
    for _ in 0..10_000 {
        let Outcome::Pending { plan, progress, .. } = state.outcome() else {
            break;
        };
        let open = progress.seats().iter().find(|live| live.answer().is_none());
        assert!(open.is_some(), "a pending stage with every seat answered");
        let Some(seat) = open else { return };
        let mut roles: BTreeSet<Role> = plan.required_role.iter().cloned().collect();
        let user = match seat.holder() {
            Holder::Person(user) => *user,
            Holder::Role(role) => {
                roles.insert(role.clone());
                // Someone who answered nothing in this stage and is no party.
                let answered: Vec<UserId> = progress
                    .seats()
                    .iter()
                    .filter_map(|s| s.answer().map(|a| a.by))
                    .collect();
                let holders: Vec<UserId> = progress
                    .seats()
                    .iter()
                    .filter_map(|s| match s.holder() {
                        Holder::Person(u) => Some(*u),
                        Holder::Role(_) => None,
                    })
                    .collect();
                let free = (100..10_000u128)
                    .map(UserId::from_u128)
                    .find(|u| !answered.contains(u) && !holders.contains(u));
                assert!(free.is_some(), "no free user");
                let Some(user) = free else { return };
                user
            }
        };
        now += Duration::minutes(1);
        let actor = Actor::new(user, roles);
        let command = if approve {
            Command::Approve { comment: None }
        } else {
            Command::Reject {
                reason: "no".into(),
            }
        };
        let answered = step(
            &mut state,
            &mut log,
            &command,
            &Context::new(now, &actor, policy),
        );
        assert!(
            answered.is_ok(),
            "a seat holder's answer was refused: {answered:?}"
        );
    }
    let want = if approve { "approved" } else { "refused" };
    assert_eq!(state.kind().name(), want, "{state:?}");
}

/// Bytes -> JSON. A policy that loads round-trips, agrees with `Policy::new` on its spec,
/// and runs the fixed scenario both ways; a state that loads round-trips and takes every
/// command without a panic.
pub fn policy_json(data: &[u8]) {
    if let Ok(spec) = serde_json::from_slice::<PolicySpec>(data) {
        let checked = Policy::new(spec.clone());
        let loaded = serde_json::from_slice::<Policy>(data);
        assert_eq!(
            checked.is_ok(),
            loaded.is_ok(),
            "loading checks like Policy::new"
        );
        if let Ok(policy) = checked {
            let json = serde_json::to_string(&policy).unwrap_or_default();
            assert_eq!(
                serde_json::from_str::<Policy>(&json).ok().as_ref(),
                Some(&policy)
            );
            assert!(!policy.to_mermaid().is_empty());
            scenario(&policy, true);
            scenario(&policy, false);
        }
    }
    if let Ok(state) = serde_json::from_slice::<State>(data) {
        let json = serde_json::to_string(&state).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<State>(&json).ok().as_ref(),
            Some(&state)
        );
        let _ = state.outcome();
        let policy = Policy::cab(CAB);
        for user in PEOPLE {
            let actor = Actor::new(user, role("cab"));
            let ctx = Context::new(t0(), &actor, &policy);
            for command in [
                Command::Approve { comment: None },
                Command::Reject {
                    reason: "no".into(),
                },
                Command::Delegate { to: DAN },
                Command::Cancel { reason: "x".into() },
            ] {
                if let Ok(events) = decide(&state, &command, &ctx) {
                    let mut after = state.clone();
                    after.apply(&events);
                    let _ = after.outcome();
                }
            }
        }
    }
    if let Ok(command) = serde_json::from_slice::<Command>(data) {
        let json = serde_json::to_string(&command).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Command>(&json).ok().as_ref(),
            Some(&command)
        );
    }
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        let json = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(
            serde_json::from_str::<Event>(&json).ok().as_ref(),
            Some(&event)
        );
        let _ = evolve(State::new(), &event);
    }
}
