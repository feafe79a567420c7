//! The fuzz harness of exercises and crisis events (`itsm_crisis`), as a plain function of
//! bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/crisis.rs` calls [`crisis`], and so does the
//! stable test `crates/itsm-crisis/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/crisis/`.
//!
//! Every answer is compared with this harness's own model of `docs/crisis.md` and the
//! crate's doc comments, written from the rules, not from the code (`crisis_model.rs` for
//! `decide`; `crisis_spec.rs` for the spec, the activation, the assets and the efforts; the
//! input is decoded in `crisis_decode.rs` and compared in `crisis_checks.rs`): the spec's
//! defects; the activation (which library plan, how, at which level, under which task, in
//! which number order); `decide`'s answer to every command (the events as a multiset, each
//! with its task, plan, status, times and actor, or the error variants a refusal may carry);
//! the event after each accepted command, field by field (its status and times, every
//! plan's status, start, end, dependencies and closing by hand, every task's status,
//! dependencies, child plan, manual flag, assignee and times); the assets' statuses,
//! recovery times and RTO verdicts; the plans' and assets' efforts (or `EffortOverflow`).
//!
//! Independently of the model: no panic; error messages short; `decide` deterministic and
//! the state untouched by a refusal; every event stamped with `now`; events in causal order
//! (a plan closes after its tasks, a referring task closes after its child plan, a task
//! triggered after its plan opened and, by the rules, after the tasks it waits for closed,
//! an automation after its trigger, a plan's start after its opening); the event's status
//! only along `TRANSITIONS`; `evolve` folds as `State::apply`; commands, events and states
//! survive JSON; `planned` and `forecast` answer or refuse with `PlannedOutOfRange` (their
//! figures are not modelled). On events of more than 300 tasks the full checks run every
//! eighth step (the events are compared at every step).
//!
//! Where the docs were silent or the crate and docs differed, the model's choice is marked
//! `KNOWN:` where it is: an event submitted again with no end keeps its first submission's
//! end (`crisis_model.rs`; docs/crisis.md now says so). An asset whose tasks give partial
//! levels only is never recovered (the crate followed the docs after this target found it).
//!
//! Bytes: see [`decode`]. Byte 0 picks the shape: below 244 a small library (2 to 5 plans,
//! 0 to 6 tasks each, random dependencies, references, related plans and plan
//! dependencies); 244 to 247 a chain of up to 2000 tasks; 248 to 250 a fan of up to 2000
//! tasks between two; 251 and 252 a plan referring to itself down 10 levels; 253 a plan
//! whose self-references make more than `MAX_TASKS` tasks; 254 more than `MAX_PLANS` plans;
//! 255 a fan of 600+ tasks worked from chrono's first instant to its last (efforts
//! overflow). Zeros give a valid two-plan event created by a program manager.

use std::collections::BTreeSet;

use itsm_crisis::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_crisis::{
    Activation, Actor, AdHocTask, AssetSpec, AssetStatus, Classification, Closing, Command,
    Context, Crisis, CrisisId, CrisisSpec, Event, ExerciseResult, Kind, MAX_LEVELS, MAX_PLANS,
    MAX_TASKS, Order, Outcome, Phase, PlanKind, PlanSpec, PlanStatus, Policy, RecoveryLevel, Role,
    State, Status, TRANSITIONS, TaskRef, TaskSpec, TaskStatus, UserId, decide, evolve,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

#[path = "crisis_model.rs"]
pub mod model;
use model::{Ctx, Ev, M, MPlan, MTask};

#[path = "crisis_decode.rs"]
mod decode;
pub use decode::*;

#[path = "crisis_checks.rs"]
mod checks;
use checks::*;

type T = DateTime<Utc>;

pub const PM: UserId = UserId::from_u128(1);
pub const PLANNER: UserId = UserId::from_u128(2);
pub const ASSIGNEE: UserId = UserId::from_u128(20);
pub const BACKUP: UserId = UserId::from_u128(21);
pub const COORDINATOR: UserId = UserId::from_u128(30);
pub const NOBODY: UserId = UserId::from_u128(40);
pub const OTHER: UserId = UserId::from_u128(41);

/// The longest error message allowed.
pub const MAX_MESSAGE: usize = 1000;

const NAMES: [&str; 5] = ["site failover", "comms", "payments", "restore db", "review"];
const ASSETS: [&str; 4] = ["db", "web", "net", "dc"];

/// A program manager, a planner, a task's assignee, its backup, the coordinator (the last
/// three without roles), someone without roles and someone with a role of no use.
pub fn actors() -> [Actor; 7] {
    let role = |n: &str| Role::new(n).ok();
    [
        Actor::new(PM, role("sn_bcm.program_manager")),
        Actor::new(PLANNER, role("sn_bcm.planner")),
        Actor::new(ASSIGNEE, None),
        Actor::new(BACKUP, None),
        Actor::new(COORDINATOR, None),
        Actor::new(NOBODY, None),
        Actor::new(OTHER, role("itil")),
    ]
}

fn t0() -> T {
    Utc.with_ymd_and_hms(2027, 5, 3, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

struct Run<'a> {
    input: &'a Input,
    now: T,
    /// The events of the last command accepted.
    last: Vec<Event>,
    state: State,
    m: Option<M>,
    seen: Seen,
    trail: Vec<(Command, T, UserId)>,
}

/// Whether the step numbered `step` gets the full checks (JSON, a second `decide`, the fold,
/// the state against the model): every step of an event of up to 300 tasks, every eighth of
/// a bigger one (their checks take milliseconds; the events are compared at every step).
fn sampled(state: &State, step: usize) -> bool {
    let tasks = state
        .crisis()
        .map_or(0, |c| c.plans.iter().map(|p| p.tasks.len()).sum::<usize>());
    tasks <= 300 || step % 8 == 0
}

/// The input and the last steps, for a failure's message.
fn why_of(input: &Input, trail: &[(Command, T, UserId)]) -> String {
    let tail: Vec<String> = trail
        .iter()
        .rev()
        .take(40)
        .map(|(cmd, now, user)| {
            let text = if input.heavy {
                cmd.name().to_owned()
            } else {
                json(cmd)
            };
            format!("{text} at {now:?} by {user}")
        })
        .collect();
    format!(
        "policy {} spec {} last steps (newest first) {tail:#?}",
        json(&input.policy),
        if input.spec.plans.len() > 8 {
            format!("({} plans)", input.spec.plans.len())
        } else {
            json(&input.spec)
        }
    )
}

impl Run<'_> {
    fn why(&self) -> String {
        why_of(self.input, &self.trail)
    }

    /// One command: decided by the crate and by the model, compared; lightly (`full`
    /// false) in a sweep.
    fn one(&mut self, cmd: &Command, actor: &Actor, now: T, full: bool) -> bool {
        let policy = &self.input.policy;
        self.trail.push((cmd.clone(), now, actor.user));
        let (input, trail) = (self.input, &self.trail);
        let why = || why_of(input, trail);
        let full = full && !input.heavy && sampled(&self.state, self.trail.len());
        if full {
            round_trip(cmd, "command");
        }
        let ctx = Context::new(now, actor, policy);
        let got = decide(&self.state, cmd, &ctx);
        if full {
            assert!(
                got == decide(&self.state, cmd, &ctx),
                "decide is not deterministic"
            );
        }
        let mctx = Ctx { now, actor, policy };
        // The model moves on in place only when it accepts (it checks every rule first).
        let want = model::decide(&mut self.m, cmd, &mctx);
        let events = match (got, want) {
            (Err(e), Err(kinds)) => {
                let (k, msg) = (kind_of(&format!("{e:?}")), e.to_string());
                let short = !msg.is_empty() && msg.chars().count() <= MAX_MESSAGE;
                assert!(short, "message of {} chars: {msg}", msg.len());
                assert!(
                    kinds.contains(k.as_str()),
                    "refused with {e:?}, model {kinds:?}; {}",
                    why()
                );
                self.seen.errors.push(k);
                return false;
            }
            (Err(e), Ok(ev)) => panic!("refused with {e:?}, model {ev:?}; {}", why()),
            (Ok(events), Err(k)) => panic!("decided {events:?}, model refuses {k:?}; {}", why()),
            (Ok(events), Ok(want)) => {
                let mut got: Vec<Ev> = events.iter().filter_map(model::ev_of).collect();
                got.sort();
                same(got.len(), events.len(), "events known to the harness", &why);
                if got != want {
                    let extra: Vec<&Ev> = got.iter().filter(|e| !want.contains(e)).collect();
                    let missing: Vec<&Ev> = want.iter().filter(|e| !got.contains(e)).collect();
                    panic!(
                        "events differ: extra {extra:?}, missing {missing:?} (got {events:?}); {}",
                        why()
                    );
                }
                events
            }
        };
        for e in &events {
            let at = at_of(e);
            assert!(at == Some(now), "{e:?} not stamped {now:?}; {}", self.why());
        }
        causal(&events, &self.state, &|| self.why());
        let before = self.state.crisis().map(|c| c.status);
        if full {
            let folded = events.iter().fold(self.state.clone(), evolve);
            self.state.apply(&events);
            assert!(
                folded == self.state,
                "evolve and apply disagree; {}",
                self.why()
            );
            round_trip(&events, "events");
        } else {
            self.state.apply(&events);
        }
        // The event's status moves only along `TRANSITIONS`, by this command.
        let after = self.state.crisis().map(|c| c.status);
        if let (Some(from), Some(to)) = (before, after) {
            let listed = TRANSITIONS
                .iter()
                .any(|t| t.from == from && t.to == to && t.command == cmd.name());
            assert!(
                from == to || listed,
                "{from} -> {to} by {} is not in TRANSITIONS; {}",
                cmd.name(),
                self.why()
            );
        }
        for e in &events {
            self.seen.events.push(kind_of(&format!("{e:?}")));
        }
        self.seen.accepted.insert(cmd.name().to_owned());
        self.last = events;
        if full {
            self.check_all();
        }
        true
    }

    /// The state against the model, JSON, figures; the statuses seen.
    fn check_all(&mut self) {
        let why = || self.why();
        {
            round_trip(&self.state, "state");
        }
        let mut s_extra: Vec<String> = Vec::new();
        match (self.state.crisis(), self.m.as_ref()) {
            (Some(c), Some(m)) => {
                compare(c, m, &why);
                compare_figures(c, m, &why);
                // Not modelled: the planned timeline and the forecast; they answer, or refuse
                // a time past chrono's range.
                for (what, got) in [
                    ("planned", c.planned(t0()).map(|_| ())),
                    ("forecast", c.forecast(self.now).map(|_| ())),
                ] {
                    if let Err(e) = got {
                        let k = kind_of(&format!("{e:?}"));
                        assert!(
                            k == "PlannedOutOfRange",
                            "{what} refused with {e:?}; {}",
                            why()
                        );
                        s_extra.push(k);
                    }
                }
                same(c.open_plans(), m.open_plans(), "open plans", &why);
                let mut s = BTreeSet::new();
                s.extend(s_extra.drain(..));
                s.insert(format!("event:{}", c.status));
                for p in &c.plans {
                    s.insert(format!("plan:{}", p.status));
                    s.insert(format!("kind:{}", p.activation.kind));
                    for t in &p.tasks {
                        s.insert(format!("task:{}", t.status));
                    }
                }
                let overflow = c.plans.iter().any(|p| p.progress().is_err());
                if overflow || c.assets().is_err() {
                    s.insert("EffortOverflow".to_owned());
                }
                if let Ok(a) = c.assets() {
                    for a in a {
                        s.insert(format!("asset:{}", a.status));
                        if let Some(w) = a.within_rto {
                            s.insert(format!("within_rto:{w}"));
                        }
                    }
                }
                self.seen.statuses.extend(s);
            }
            (None, None) => {}
            (c, m) => panic!(
                "event {:?}, model {:?}; {}",
                c.map(|c| c.status),
                m.map(|m| m.status),
                why()
            ),
        }
    }

    fn sweep(&mut self, extreme: bool, now: T) {
        let actors = actors();
        let Some(pm) = actors.first() else { return };
        // A queue of the tasks open or in progress, fed by the triggers each command makes
        // (no scan of the whole event per command: a chain of thousands stays linear).
        let mut queue: std::collections::VecDeque<TaskRef> = self
            .state
            .crisis()
            .map_or(Vec::new(), |c| {
                all_tasks(c)
                    .filter(|(_, s)| matches!(s, TaskStatus::Open | TaskStatus::WorkInProgress))
                    .map(|(t, _)| t)
                    .collect()
            })
            .into();
        let mut budget = 30_000usize;
        while let Some(task) = queue.pop_front() {
            let status = self
                .state
                .crisis()
                .and_then(|c| c.task(task))
                .map(|t| t.status);
            if budget == 0 {
                break;
            }
            budget -= 1;
            if status == Some(TaskStatus::Open) {
                let started = extreme.then_some(DateTime::<Utc>::MIN_UTC);
                if !self.one(&Command::Work { task, started }, pm, now, false) {
                    continue;
                }
            } else if status != Some(TaskStatus::WorkInProgress) {
                continue;
            }
            let ended = extreme.then_some(DateTime::<Utc>::MAX_UTC);
            let close = Command::Close {
                task,
                closing: Closing::Complete,
                ended,
            };
            if self.one(&close, pm, now, false) {
                queue.extend(self.last.iter().filter_map(|e| match e {
                    Event::TaskTriggered { task, .. } => Some(*task),
                    _ => None,
                }));
            }
        }
        self.check_all();
    }
}

/// The fuzz target's entry point.
pub fn crisis(data: &[u8]) {
    run(data);
}

/// Decodes `data`, runs every check, and says what it saw.
pub fn run(data: &[u8]) -> Seen {
    let input = decode(data);
    let actors = actors();
    let mut r = Run {
        input: &input,
        now: t0(),
        last: Vec::new(),
        state: State::new(),
        m: None,
        seen: Seen {
            order: Some(input.policy.order),
            ..Seen::default()
        },
        trail: Vec::new(),
    };
    let mut now = t0();
    for step in &input.steps {
        now = now
            .checked_add_signed(Duration::minutes(step.minutes))
            .unwrap_or(now);
        let actor = actors.get(step.who).unwrap_or(&actors[0]);
        r.now = now;
        match &step.cmd {
            CmdSel::Sweep(extreme) => r.sweep(*extreme, now),
            CmdSel::CloseAll(outcome) => {
                let open = r.state.crisis().map_or(Vec::new(), Crisis::open_plans);
                for plan in open {
                    let close = Command::ClosePlan {
                        plan,
                        outcome: *outcome,
                    };
                    r.one(&close, &actors[0], now, true);
                }
            }
            sel => {
                let cmd = resolve(sel, &r.state, now, &input);
                let before = sampled(&r.state, r.trail.len()).then(|| r.state.clone());
                if !r.one(&cmd, actor, now, true) {
                    let same_state = before.is_none_or(|b| b == r.state);
                    assert!(same_state, "a refusal changed the state");
                }
            }
        }
    }
    r.seen
}
