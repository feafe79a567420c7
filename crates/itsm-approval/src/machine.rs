//! The transition table, `decide` and `evolve`.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Actor, Lifecycle, StateSpec, TransitionSpec, UserId};

use crate::command::{Command, CommandKind};
use crate::error::Error;
use crate::event::Event;
use crate::explain::{explain, judge};
use crate::model::{
    Approval, Exclusion, Holder, Plan, Request, Seat, SeatProgress, StagePlan, State, StatusKind,
    Vote,
};
use crate::policy::{Approver, Delegation, Policy, StageSpec};

/// What `decide` needs besides the state and the command: the time, who acts, and the
/// policy. Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command, with the roles they hold (role seats and a stage's required
    /// role are checked against them).
    pub actor: &'a Actor,
    /// The policy a `request` is made under. Later commands follow the plan the request
    /// fixed, so a policy changed in between does not touch a running approval.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call: the host's `now`, the acting user, the policy.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }
}

use CommandKind as C;
use StatusKind as S;

/// The lifecycle, written once: which command may lead from which state to which. An
/// entry whose two states are equal is a command that keeps the state (an answer that does
/// not decide the approval, a delegation); whether `approve` or `reject` moves on depends on
/// the quorum (see [`decide`]). Diagrams ([`lifecycle`]), the docs' tables and the tests'
/// exhaustive exploration are derived from it.
pub const TRANSITIONS: &[(StatusKind, CommandKind, StatusKind)] = &[
    (S::Unrequested, C::Request, S::Pending),
    (S::Pending, C::Approve, S::Pending),
    (S::Pending, C::Approve, S::Approved),
    (S::Pending, C::Reject, S::Pending),
    (S::Pending, C::Reject, S::Refused),
    (S::Pending, C::Delegate, S::Pending),
    (S::Pending, C::Cancel, S::Canceled),
];

/// Whether [`TRANSITIONS`] allows `command` in `state`.
///
/// ```
/// use itsm_approval::{CommandKind, StatusKind, is_allowed};
///
/// assert!(is_allowed(StatusKind::Pending, CommandKind::Delegate));
/// assert!(!is_allowed(StatusKind::Approved, CommandKind::Cancel));
/// ```
pub fn is_allowed(state: StatusKind, command: CommandKind) -> bool {
    TRANSITIONS
        .iter()
        .any(|(from, cmd, _)| *from == state && *cmd == command)
}

/// The commands accepted in `state`, in [`CommandKind::ALL`] order.
pub fn allowed_commands(state: StatusKind) -> Vec<CommandKind> {
    CommandKind::ALL
        .into_iter()
        .filter(|c| is_allowed(state, *c))
        .collect()
}

/// The lifecycle as data, built from the state-changing entries of [`TRANSITIONS`] (a
/// [`Lifecycle`] maps each command out of a state to one state; the entries that keep the
/// state are listed in `docs/approval.md` beside the diagram): for
/// [`Lifecycle::to_mermaid`] and conformance checks of logs.
///
/// ```
/// let diagram = itsm_approval::lifecycle().to_mermaid();
/// assert!(diagram.contains("pending --> refused : reject"));
/// ```
pub fn lifecycle() -> Lifecycle {
    let states = StatusKind::ALL
        .into_iter()
        .map(|s| {
            let spec = if s == S::Unrequested {
                StateSpec::initial(s.name(), s.category())
            } else {
                StateSpec::new(s.name(), s.category())
            };
            if s.is_terminal() {
                spec.terminal()
            } else {
                spec
            }
        })
        .collect();
    let transitions = TRANSITIONS
        .iter()
        .filter(|(from, _, to)| from != to)
        .map(|(from, cmd, to)| TransitionSpec::new(from.name(), cmd.name(), to.name()))
        .collect();
    match Lifecycle::new("approval", states, transitions) {
        Ok(lifecycle) => lifecycle,
        Err(e) => unreachable!("the approval lifecycle is sound: {e}"), // invariant: TRANSITIONS is a constant the tests check (`lifecycle_is_sound`)
    }
}

/// Decides what a command does to an approval: the events it produces, or why it is
/// refused.
///
/// - `request` (only before anything happened) resolves the context's policy against the
///   request: each stage's seats (people, one seat per role, each group member, the
///   parties), less the people its separation of duties excludes, and the approvals its
///   quorum needs of them. A stage that could then never be decided is an error
///   ([`Error::Undecidable`]), as is a group without members in the request.
/// - `approve` and `reject` answer the acting user's seat in the open stage: their own seat
///   (or one delegated to them), else the first unanswered seat of a role they hold. The
///   stage is decided as soon as its outcome can no longer change: approved when the quorum
///   is met, refused when too few seats are left to meet it (or on a rejection, when the
///   stage refuses on the first one); then the next stage opens, or the approval is decided.
/// - `delegate` hands the acting user's seat to another person, as the plan's delegation
///   rule allows (no cycles, no excluded party, nobody already seated in the stage).
/// - `cancel` withdraws a pending approval.
///
/// Who may request and cancel is the embedding practice's rule: this crate decides who may
/// answer. The checks run in a fixed order: the state must accept the command; the clock
/// must not go backwards; then the command's own rules.
///
/// # Errors
/// Every variant of [`Error`] but [`Error::InvalidPolicy`] (a [`Policy`] is checked when
/// built); each names what was wrong and what is allowed.
///
/// ```
/// use itsm_approval::chrono::{TimeZone, Utc};
/// use itsm_approval::{Actor, ApprovalId, Context, GroupId, Policy, Request, State, UserId};
/// use itsm_approval::decide;
///
/// let board = GroupId::from_u128(7);
/// let requester = UserId::from_u128(1);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// // The requester is the board's only member: separation of duties leaves nobody.
/// let request = Request::new(ApprovalId::from_u128(1), requester).with_members(board, [requester]);
/// let actor = Actor::new(requester, []);
/// let err = decide(&State::new(), &request.into(), &Context::new(now, &actor, &Policy::cab(board)))
///     .unwrap_err();
/// assert!(err.to_string().starts_with(
///     "stage `cab` cannot be decided for this request: its quorum needs 1 approval and it has 0 eligible seats"
/// ));
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let kind = state.kind();
    if !is_allowed(kind, command.kind()) {
        return Err(Error::NotAllowed {
            state: kind,
            command: command.kind(),
            allowed: allowed_commands(kind),
        });
    }
    let (at, by) = (ctx.now, ctx.actor.user);
    let approval = match (state, command) {
        (State::Unrequested, Command::Request(request)) => {
            let plan = resolve(ctx.policy, request)?;
            return Ok(vec![Event::Requested {
                at,
                by,
                plan: Arc::new(plan),
            }]);
        }
        (State::Requested(approval), _) => approval,
        // invariant: the table accepts only `request` in `unrequested`.
        (State::Unrequested, _) => {
            return Err(Error::NotAllowed {
                state: kind,
                command: command.kind(),
                allowed: allowed_commands(kind),
            });
        }
    };
    if at < approval.updated_at() {
        return Err(Error::ClockWentBackwards {
            last: approval.updated_at(),
            now: at,
        });
    }
    let open = approval.open_stage();
    let found =
        open.and_then(|i| Some((i, approval.plan().stages.get(i)?, approval.stages().get(i)?)));
    let Some((index, plan, progress)) = found else {
        // A pending approval whose open stage is not in its plan can only be a state made by
        // hand (deserialized); nothing can be answered there, it can only be canceled.
        return match command {
            Command::Cancel { reason } => Ok(vec![Event::Canceled {
                at,
                by,
                reason: reason.clone(),
            }]),
            _ => Err(Error::NotAllowed {
                state: kind,
                command: command.kind(),
                allowed: vec![C::Cancel],
            }),
        };
    };
    match command {
        Command::Cancel { reason } => Ok(vec![Event::Canceled {
            at,
            by,
            reason: reason.clone(),
        }]),
        Command::Approve { comment } => {
            let seat = answering_seat(approval.plan(), plan, progress, ctx.actor)?;
            let event = Event::Approved {
                at,
                by,
                stage: index,
                seat,
                comment: comment.clone(),
            };
            Ok(with_decision(approval, event))
        }
        Command::Reject { reason } => {
            if reason.trim().is_empty() {
                return Err(Error::MissingField {
                    command: C::Reject,
                    field: "reason",
                });
            }
            let seat = answering_seat(approval.plan(), plan, progress, ctx.actor)?;
            let event = Event::Rejected {
                at,
                by,
                stage: index,
                seat,
                reason: reason.clone(),
            };
            Ok(with_decision(approval, event))
        }
        Command::Delegate { to } => {
            let seat = delegated_seat(approval.plan(), plan, progress, ctx.actor.user, *to)?;
            Ok(vec![Event::Delegated {
                at,
                by,
                stage: index,
                seat,
                to: *to,
            }])
        }
        // invariant: the table accepts `request` only in `unrequested`, handled above.
        Command::Request(_) => Err(Error::NotAllowed {
            state: kind,
            command: C::Request,
            allowed: allowed_commands(kind),
        }),
    }
}

/// `answer`, followed by the stage's decision when the answer decides it.
fn with_decision(approval: &Approval, answer: Event) -> Vec<Event> {
    let mut after = approval.clone();
    after.apply_event(&answer);
    let mut events = vec![answer];
    if let Some(stage) = after.open_stage() {
        if let (Some(plan), Some(progress)) =
            (after.plan().stages.get(stage), after.stages().get(stage))
        {
            if let Some(decision) = judge(plan, progress) {
                if let Some(last) = events.last() {
                    let (at, by) = (last.at(), last.by());
                    events.push(Event::StageDecided {
                        at,
                        by,
                        explanation: Box::new(explain(stage, plan, progress, decision)),
                    });
                }
            }
        }
    }
    events
}

/// The seat the actor answers in the open stage.
fn answering_seat(
    whole: &Plan,
    plan: &StagePlan,
    progress: &crate::model::StageProgress,
    actor: &Actor,
) -> Result<usize, Error> {
    let user = actor.user;
    let stage = || plan.name.clone();
    let seats = progress.seats();
    if seats
        .iter()
        .any(|s| s.answer().is_some_and(|a| a.by == user))
    {
        return Err(Error::AlreadyAnswered {
            stage: stage(),
            user,
        });
    }
    let own = seats
        .iter()
        .position(|s| s.answer().is_none() && s.holder() == &Holder::Person(user));
    let seat = match own {
        Some(seat) => seat,
        None => {
            if let Some(party) = whole.party_of(user, &plan.separation_of_duties) {
                return Err(Error::SeparationOfDuties {
                    stage: stage(),
                    user,
                    party,
                });
            }
            let by_role = seats.iter().position(|s| {
                s.answer().is_none()
                    && matches!(s.holder(), Holder::Role(role) if actor.roles.contains(role))
            });
            match by_role {
                Some(seat) => seat,
                None => return Err(not_seated(plan, seats, user)),
            }
        }
    };
    if let Some(role) = &plan.required_role {
        if !actor.roles.contains(role) {
            return Err(Error::MissingRole {
                stage: stage(),
                user,
                role: role.clone(),
                held: actor.roles.iter().cloned().collect(),
            });
        }
    }
    Ok(seat)
}

/// Why `user` has no seat to answer or delegate: they handed theirs on, or never had one.
fn not_seated(plan: &StagePlan, seats: &[SeatProgress], user: UserId) -> Error {
    for (seat, live) in plan.seats.iter().zip(seats) {
        let mut chain = chain_of(seat, live);
        // The current holder is the chain's last: anyone before them handed the seat on.
        chain.pop();
        if chain.contains(&user) {
            if let Holder::Person(holder) = live.holder() {
                return Error::SeatDelegated {
                    stage: plan.name.clone(),
                    user,
                    holder: *holder,
                };
            }
        }
    }
    Error::NotAnApprover {
        stage: plan.name.clone(),
        user,
        waiting: seats
            .iter()
            .filter(|s| s.answer().is_none())
            .map(|s| s.holder().clone())
            .collect(),
    }
}

/// The people who held a person's seat, in order (the original holder, then each delegate).
fn chain_of(seat: &Seat, live: &SeatProgress) -> Vec<UserId> {
    let mut chain = Vec::new();
    if let Holder::Person(original) = &seat.holder {
        chain.push(*original);
    }
    chain.extend(live.delegates().iter().copied());
    chain
}

/// The seat `user` delegates to `to`, after the delegation rules.
fn delegated_seat(
    whole: &Plan,
    plan: &StagePlan,
    progress: &crate::model::StageProgress,
    user: UserId,
    to: UserId,
) -> Result<usize, Error> {
    let stage = || plan.name.clone();
    if whole.delegation == Delegation::Forbidden {
        return Err(Error::DelegationForbidden {
            policy: whole.policy.clone(),
        });
    }
    let seats = progress.seats();
    if seats
        .iter()
        .any(|s| s.answer().is_some_and(|a| a.by == user))
    {
        return Err(Error::AlreadyAnswered {
            stage: stage(),
            user,
        });
    }
    let Some(index) = seats
        .iter()
        .position(|s| s.answer().is_none() && s.holder() == &Holder::Person(user))
    else {
        // A role holder answering for the role cannot hand the role's seat on.
        let role = plan.seats.iter().zip(seats).find_map(|(seat, live)| {
            match (&seat.holder, live.answer()) {
                (Holder::Role(role), None) => Some(role.clone()),
                _ => None,
            }
        });
        return Err(match (not_seated(plan, seats, user), role) {
            (Error::NotAnApprover { .. }, Some(role)) => Error::RoleSeatNotDelegable {
                stage: stage(),
                role,
            },
            (other, _) => other,
        });
    };
    let (Some(seat), Some(live)) = (plan.seats.get(index), seats.get(index)) else {
        // invariant: `index` is a position in `seats`, which has one entry per plan seat.
        return Err(not_seated(plan, seats, user));
    };
    let chain = chain_of(seat, live);
    if whole.delegation == Delegation::Once && !live.delegates().is_empty() {
        let from = chain
            .len()
            .checked_sub(2)
            .and_then(|i| chain.get(i))
            .copied()
            .unwrap_or(user);
        return Err(Error::RedelegationForbidden {
            stage: stage(),
            user,
            from,
        });
    }
    if chain.contains(&to) {
        let mut chain = chain;
        chain.push(to);
        return Err(Error::DelegationCycle {
            stage: stage(),
            chain,
        });
    }
    if let Some(party) = whole.party_of(to, &plan.separation_of_duties) {
        return Err(Error::DelegateExcluded {
            stage: stage(),
            to,
            party,
        });
    }
    let seated = seats
        .iter()
        .any(|s| s.holder() == &Holder::Person(to) || s.answer().is_some_and(|a| a.by == to));
    if seated {
        return Err(Error::DelegateAlreadySeated { stage: stage(), to });
    }
    Ok(index)
}

/// The plan of `request` under `policy`: each stage's eligible seats, exclusions and
/// required count, checked to be decidable.
fn resolve(policy: &Policy, request: &Request) -> Result<Plan, Error> {
    let mut stages = Vec::with_capacity(policy.stages().len());
    for spec in policy.stages() {
        stages.push(resolve_stage(spec, request)?);
    }
    Ok(Plan {
        id: request.id,
        policy: policy.name().to_owned(),
        requester: request.requester,
        implementer: request.implementer,
        delegation: policy.delegation(),
        stages,
    })
}

fn resolve_stage(spec: &StageSpec, request: &Request) -> Result<StagePlan, Error> {
    let mut seats: Vec<Seat> = Vec::new();
    let mut excluded: Vec<Exclusion> = Vec::new();
    let mut people: BTreeSet<UserId> = BTreeSet::new();
    let excluded_party = |user: UserId| {
        spec.separation_of_duties
            .iter()
            .copied()
            .find(|p| request.party(*p) == Some(user))
    };
    let mut seat_person = |user: UserId, via: &Approver, seats: &mut Vec<Seat>| {
        // One seat per person per stage: the first entry naming them counts.
        if !people.insert(user) {
            return;
        }
        match excluded_party(user) {
            Some(party) => excluded.push(Exclusion {
                user,
                via: via.clone(),
                party,
            }),
            None => seats.push(Seat {
                holder: Holder::Person(user),
                via: via.clone(),
            }),
        }
    };
    for approver in &spec.approvers {
        match approver {
            Approver::Person(user) => seat_person(*user, approver, &mut seats),
            Approver::Party(party) => {
                if let Some(user) = request.party(*party) {
                    seat_person(user, approver, &mut seats);
                }
            }
            Approver::Group(group) => {
                let Some(members) = request.members.get(group) else {
                    return Err(Error::MissingMembers {
                        stage: spec.name.clone(),
                        group: *group,
                    });
                };
                for member in members {
                    seat_person(*member, approver, &mut seats);
                }
            }
            Approver::Role(role) => seats.push(Seat {
                holder: Holder::Role(role.clone()),
                via: approver.clone(),
            }),
        }
    }
    let eligible = u32::try_from(seats.len()).unwrap_or(u32::MAX);
    let required = spec.quorum.required(eligible);
    if eligible == 0 || required == 0 || required > eligible {
        return Err(Error::Undecidable {
            stage: spec.name.clone(),
            required: required.max(1),
            eligible,
            excluded,
        });
    }
    Ok(StagePlan {
        name: spec.name.clone(),
        quorum: spec.quorum,
        required,
        refusal: spec.refusal,
        seats,
        excluded,
        separation_of_duties: spec.separation_of_duties.clone(),
        required_role: spec.required_role.clone(),
    })
}

/// Folds one event into the state. Total: it checks no rules, and an event that does not
/// fit the state (an answer to a decided stage, a second request) changes nothing, so any
/// stored log replays.
///
/// ```
/// use itsm_approval::chrono::{TimeZone, Utc};
/// use itsm_approval::{Event, State, StatusKind, UserId, evolve};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// // A cancel before any request changes nothing.
/// let cancel = Event::Canceled { at, by: UserId::from_u128(1), reason: "dup".into() };
/// assert_eq!(evolve(State::new(), &cancel).kind(), StatusKind::Unrequested);
/// ```
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Unrequested => match event {
            Event::Requested { at, plan, .. } => {
                State::Requested(Box::new(Approval::new(plan, *at)))
            }
            _ => State::Unrequested,
        },
        State::Requested(mut approval) => {
            approval.apply_event(event);
            State::Requested(approval)
        }
    }
}

impl Approval {
    /// Applies an event to a requested approval (a second `requested` changes nothing).
    pub(crate) fn apply_event(&mut self, event: &Event) {
        match event {
            Event::Requested { .. } => return,
            Event::Approved {
                at,
                by,
                stage,
                seat,
                comment,
            } => self.answer(
                *stage,
                *seat,
                crate::model::Answer {
                    by: *by,
                    at: *at,
                    vote: Vote::Approve {
                        comment: comment.clone(),
                    },
                },
            ),
            Event::Rejected {
                at,
                by,
                stage,
                seat,
                reason,
            } => self.answer(
                *stage,
                *seat,
                crate::model::Answer {
                    by: *by,
                    at: *at,
                    vote: Vote::Reject {
                        reason: reason.clone(),
                    },
                },
            ),
            Event::Delegated {
                stage, seat, to, ..
            } => self.delegate(*stage, *seat, *to),
            Event::StageDecided {
                at, explanation, ..
            } => self.decide_stage(explanation, *at),
            Event::Canceled { at, by, reason } => self.cancel(*at, *by, reason),
        }
        self.touch(event.at());
    }
}
