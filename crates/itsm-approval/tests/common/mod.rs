//! Shared helpers for the behavioural tests: people, groups, fixed times, a given/when/then
//! `check`, and a small runner.
#![allow(dead_code)] // each test file uses a different part of this module
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_approval::{
    Actor, ApprovalId, Command, Context, Error, Event, GroupId, Policy, Request, Role, State,
    UserId, decide, evolve,
};

/// The approval most tests talk about.
pub const ID: ApprovalId = ApprovalId::from_u128(0xA_0001);

/// Groups.
pub const CAB: GroupId = GroupId::from_u128(0x2_0001);
pub const TECH: GroupId = GroupId::from_u128(0x2_0002);
pub const BUSINESS: GroupId = GroupId::from_u128(0x2_0003);

/// The change's parties.
pub const REQUESTER: UserId = UserId::from_u128(0x3_0001);
pub const IMPLEMENTER: UserId = UserId::from_u128(0x3_0002);

/// Approvers (ids sort in this order, as group members are seated).
pub const ANA: UserId = UserId::from_u128(0x4_0001);
pub const BEN: UserId = UserId::from_u128(0x4_0002);
pub const CAT: UserId = UserId::from_u128(0x4_0003);
pub const DAN: UserId = UserId::from_u128(0x4_0004);
pub const EVE: UserId = UserId::from_u128(0x4_0005);
/// Someone on no list.
pub const OUTSIDER: UserId = UserId::from_u128(0x5_0001);

pub fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

/// `user` acting with `roles`.
pub fn actor(user: UserId, roles: &[&str]) -> Actor {
    Actor::new(user, roles.iter().map(|r| role(r)))
}

/// Monday 2 March 2026, 09:00 UTC: the start of every story.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

/// `minutes` after [`t0`].
pub fn t(minutes: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes)
}

/// A request by [`REQUESTER`] with [`IMPLEMENTER`] and the given group members.
pub fn request(members: &[(GroupId, &[UserId])]) -> Request {
    let mut request = Request::new(ID, REQUESTER).with_implementer(IMPLEMENTER);
    for (group, users) in members {
        request = request.with_members(*group, users.iter().copied());
    }
    request
}

pub fn approve() -> Command {
    Command::Approve { comment: None }
}

pub fn reject(reason: &str) -> Command {
    Command::Reject {
        reason: reason.to_owned(),
    }
}

pub fn delegate(to: UserId) -> Command {
    Command::Delegate { to }
}

/// One step of a story: who sends what (the time advances a minute per step).
pub type Step = (Actor, Command);

/// Runs `steps` from nothing under `policy`, a minute apart, folding every accepted answer;
/// panics on a refusal (for setting the scene). Returns the state and every event.
pub fn given(policy: &Policy, steps: &[Step]) -> (State, Vec<Event>) {
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (actor, command)) in steps.iter().enumerate() {
        let now = t(i64::try_from(i).unwrap());
        let events = decide(&state, command, &Context::new(now, actor, policy))
            .unwrap_or_else(|e| panic!("step {i} ({command:?} by {}) refused: {e}", actor.user));
        state.apply(&events);
        log.extend(events);
    }
    (state, log)
}

/// Given the `steps` (run as in [`given`]), when `actor` sends `command` a minute after the
/// last step, then `decide` answers `then`; returns the state after (the events folded in).
pub fn check(
    policy: &Policy,
    steps: &[Step],
    actor: &Actor,
    command: &Command,
    then: &Result<Vec<Event>, Error>,
) -> State {
    let (state, log) = given(policy, steps);
    let now = t(i64::try_from(steps.len()).unwrap());
    let got = decide(&state, command, &Context::new(now, actor, policy));
    assert_eq!(&got, then, "when {command:?} by {}", actor.user);
    // The fold of the whole log equals the state after (replay reproduces the state).
    let mut after = state.clone();
    if let Ok(events) = &got {
        after.apply(events);
        let replayed = log.iter().chain(events).fold(State::new(), evolve);
        assert_eq!(replayed, after);
    }
    after
}

/// Runs `steps` and returns the result of the last one (the earlier ones must pass).
pub fn last(policy: &Policy, steps: &[Step]) -> Result<Vec<Event>, Error> {
    let (init, tail) = steps.split_at(steps.len() - 1);
    let (state, _) = given(policy, init);
    let (actor, command) = &tail[0];
    let now = t(i64::try_from(init.len()).unwrap());
    decide(&state, command, &Context::new(now, actor, policy))
}

/// The state after `steps`, all of which must pass.
pub fn after(policy: &Policy, steps: &[Step]) -> State {
    given(policy, steps).0
}

/// The requester opening `request` (the usual first step).
pub fn open(request: Request) -> Step {
    (actor(REQUESTER, &[]), request.into())
}

/// `user` (no roles) sending `command`.
pub fn by(user: UserId, command: Command) -> Step {
    (actor(user, &[]), command)
}
