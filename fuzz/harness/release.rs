//! The fuzz harness of release management (`itsm_release`), as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/release.rs` calls [`release`], and so does the
//! stable test `crates/itsm-release/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/release/`.
//!
//! Every answer is compared with this harness's own model of `docs/release.md` and the
//! crate's doc comments, written from the rules, not from the code (`harness/release_model.rs`
//! for `decide`, `harness/release_state.rs` for the fold of events and the risk scores): the
//! plan's and the policy's defects; `decide`'s answer to every command (the clock, the status
//! table, the roles, then the command's rules; what fell due first, each at its instant,
//! phase changes before notices due at the same instant, a change held by the multi-product
//! rules at the command's instant; the command's events; the rules again at `now`), event by
//! event, or the error variants a refusal may carry; the release after each step, field by
//! field; `next_deadline`; both risk formulas (exact fractions, halves rounded up), under the
//! policy's weights and other ones, valid or not; `aggregate`, `phase_check_status` and
//! `allowed_commands`.
//!
//! Independently of the model: no panic; error messages short; `decide` deterministic;
//! events in time order, never before the last event nor after `now`; `evolve` folds as
//! `State::apply`; the invariants of the release (at most one phase in progress, the
//! phases before it completed and after it pending, a completed phase's tasks closed and
//! its checks passing unless forced, a pending phase's tasks pending unless a restart with
//! `all_open` reopened them, one active task at a time under `sequential_tasks`, approval
//! tasks only requested, rejected or approved); `next_deadline` never before the last
//! event and, after a tick at `now`, after `now`; the risk within 0..=100; plans,
//! policies, commands, events and states survive JSON.
//!
//! Its three findings (phases out of order around one without dates, an unbounded list of
//! checks in a message, notices at one instant out of the documented order) are fixed and
//! their inputs saved as `corpus/release/regression-*`.
//!
//! Bytes: see [`decode`] (every choice a byte modulo its options; zeros give a valid
//! one-phase stage plan in UTC created by the admin and ServiceNow's policy).

use std::collections::BTreeSet;

use itsm_calendar::Zone;
use itsm_release::chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc};
use itsm_release::{
    Actor, CheckStatus, Command, Context, Event, Factors, Holiday, MAX_NOTICE_DAYS, Outcome,
    PhaseSpec, PhaseStatus, Plan, Policy, Process, Release, ReleaseId, RestartTasks, RiskLevel,
    RiskWeights, Role, State, Status, TaskRef, TaskSpec, TaskStatus, UserId, aggregate,
    allowed_commands, decide, evolve, next_deadline, phase_check_status, risk,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

#[path = "release_model.rs"]
pub mod model;
use model::{Ctx, M};

#[path = "release_state.rs"]
mod state;
use state::{blind, check_risk, invariants, seen_as_model, statics};

type T = DateTime<Utc>;

pub const ADMIN: UserId = UserId::from_u128(1);
pub const MANAGER: UserId = UserId::from_u128(2);
pub const NOBODY: UserId = UserId::from_u128(3);
pub const APPROVER: UserId = UserId::from_u128(9);

/// The zones a plan may name; the last two are refused.
pub const ZONES: [&str; 7] = [
    "UTC",
    "+02:00",
    "-05:30",
    "Europe/Berlin",
    "+13:45",
    "Mars/Olympus",
    "+24:00",
];

const BASES: [(i32, u32, u32); 5] = [
    (2027, 3, 1),
    (2027, 3, 26),
    (2027, 10, 29),
    (2027, 12, 30),
    (2027, 6, 14),
];

const PHASES: [&str; 4] = ["build", "test", "deploy", "verify"];
const TASKS: [&str; 4] = ["package", "smoke test", "go/no-go", "notes"];
const CHECKS: [&str; 4] = ["sast", "change_requests", "vulnerabilities", "coverage"];

/// The longest error message allowed.
pub const MAX_MESSAGE: usize = 1000;

/// When a command comes: after the one before, at the release's next deadline (give or
/// take), or at an instant.
#[derive(Debug, Clone, Copy)]
pub enum When {
    After(Duration),
    Deadline(Duration),
    At(T),
}

/// One command, with who sends it, when, and where the other releases of a multi-product
/// release stand.
#[derive(Debug, Clone)]
pub struct Step {
    pub who: usize,
    pub when: When,
    pub main: Option<usize>,
    pub included: Vec<usize>,
    pub command: Command,
}

/// What the input decoded to.
pub struct Input {
    pub plan: Plan,
    pub policy: Policy,
    pub weights: RiskWeights,
    pub start: T,
    pub steps: Vec<Step>,
    pub rollups: Vec<(CheckStatus, Vec<CheckStatus>)>,
}

/// What a run saw, for the corpus test.
pub struct Seen {
    pub input: Input,
    /// The kinds of the events decided, in order.
    pub events: Vec<String>,
    /// The kinds of the errors met, in order.
    pub errors: Vec<String>,
    /// The statuses the release reached.
    pub statuses: BTreeSet<String>,
}

/// The admin (release admin), a product manager, an approver and someone without roles.
pub fn actors() -> [Actor; 4] {
    let role = |n: &str| Role::new(n).ok();
    [
        Actor::new(ADMIN, role("release_admin")),
        Actor::new(MANAGER, role("product_manager")),
        Actor::new(APPROVER, None),
        Actor::new(NOBODY, None),
    ]
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

fn at_least(b: &mut Bytes<'_>, most: u8) -> i64 {
    i64::from(b.byte() % most)
}

fn text(b: &mut Bytes<'_>, good: &str) -> String {
    match b.pick(8) {
        0 => String::new(),
        1 => " \t".to_owned(),
        _ => good.to_owned(),
    }
}

fn check_name(b: &mut Bytes<'_>) -> String {
    match b.pick(10) {
        i @ 0..=4 => CHECKS.get(i % 4).copied().unwrap_or("sast").to_owned(),
        5 => "nope".to_owned(),
        6 => String::new(),
        7 => "policy \u{202e}".repeat(20),
        8 => " sast".to_owned(),
        _ => CHECKS.get(b.pick(4)).copied().unwrap_or("sast").to_owned(),
    }
}

fn notice(b: &mut Bytes<'_>, default: u32) -> Option<u32> {
    match b.pick(16) {
        0..=9 => Some(default),
        10 => None,
        11 => Some(0),
        12 => Some(u32::from(b.byte() % 30)),
        13 => Some(MAX_NOTICE_DAYS),
        14 => Some(MAX_NOTICE_DAYS + 1),
        _ => Some(u32::MAX),
    }
}

fn weights(b: &mut Bytes<'_>, valid: bool) -> RiskWeights {
    let w = |overdue, check_failure| RiskWeights {
        overdue,
        check_failure,
    };
    match b.pick(32) {
        _ if !valid && b.flag() => [w(0, 0), w(u32::MAX, u32::MAX), w(300, 0), w(1, 1000)]
            .get(b.pick(4))
            .copied()
            .unwrap_or_default(),
        25 => w(70, 30),
        26 => w(0, 100),
        27 => w(100, 0),
        28 => w(70, 50),
        29 => w(0, 0),
        30 => w(u32::MAX, 101),
        31 => w(u32::MAX - 99, 199),
        _ => w(50, 50),
    }
}

fn task_spec(b: &mut Bytes<'_>, name: &str, start: NaiveDate, end: NaiveDate) -> TaskSpec {
    let mut t = TaskSpec::new(name);
    match b.pick(6) {
        0 | 1 => {}
        2 => t = t.due(end),
        3 => t = t.due(plus(start, at_least(b, 16) - 3)),
        4 => t = t.due(plus(end, 1 + at_least(b, 4))),
        _ => t = t.due(start),
    }
    match b.pick(6) {
        0 | 1 => t = t.approval(APPROVER),
        2 => t = t.approval(ADMIN),
        _ => {}
    }
    t
}

/// Bytes to a plan, a policy and up to 24 commands.
///
/// Byte 0: the base date ([`BASES`], or from 240 on a date near chrono's first or last
/// date), then the time of `create`, the process, the zone (from 250 an unknown one),
/// 1 + byte % 4 phases (dates, tasks with and without due dates and approvers, checks), the
/// readiness target, holidays, sometimes a phase with 40 checks, a defect byte (from 200:
/// one of 15 plan defects), the policy, extra risk weights, then the commands, and two
/// check-status roll-ups.
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let pick = b.byte();
    let base = if pick >= 240 {
        let k = [0, 1, 2, 3, 365, 366, 367, 400][usize::from(pick % 8)];
        if pick & 8 == 0 {
            NaiveDate::MAX - Days::new(k)
        } else {
            NaiveDate::MIN + Days::new(k)
        }
    } else {
        let (y, m, d) = BASES[usize::from(pick) % BASES.len()];
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    };
    let midnight = base.and_time(NaiveTime::MIN).and_utc();
    let start = midnight
        .checked_add_signed(Duration::hours(at_least(&mut b, 48) - 24))
        .unwrap_or(midnight);
    let process = if b.flag() {
        Process::Timeline
    } else {
        Process::Stage
    };
    let zb = b.byte();
    let zone = match zb {
        250.. => Some(ZONES[5 + usize::from(zb & 1)]),
        _ => [None, Some(0), Some(1), Some(2), Some(3), Some(4)][usize::from(zb % 6)]
            .map(|i: usize| ZONES[i]),
    };
    let mut phases = Vec::new();
    let mut day = plus(base, at_least(&mut b, 4));
    for (i, name) in PHASES.iter().enumerate().take(1 + b.pick(4)) {
        let end = plus(day, at_least(&mut b, 10));
        let mut p = PhaseSpec::new(*name);
        if process == Process::Timeline || b.pick(4) == 0 {
            p = p.dates(day, end);
        }
        for t in TASKS.iter().take(b.pick(4)) {
            p = p.task(task_spec(&mut b, t, day, end));
        }
        for j in 0..b.pick(4) {
            p = p.check(CHECKS[(i + j) % 4]);
        }
        phases.push(p);
        day = plus(day, at_least(&mut b, 8));
    }
    let mut plan = Plan::new("payments 4.2", process, phases);
    plan.zone = zone.map(str::to_owned);
    plan.readiness = match b.pick(8) {
        0..=3 => None,
        4 | 5 => Some(plus(base, at_least(&mut b, 40))),
        6 => Some(plus(base, -at_least(&mut b, 10))),
        _ => Some(NaiveDate::MAX - Days::new(400)),
    };
    for _ in 0..b.pick(4) {
        let d = plus(base, at_least(&mut b, 40) - 5);
        plan.holidays.push(match b.pick(3) {
            0 => Holiday::yearly(d.month(), d.day()),
            _ => Holiday::date(d),
        });
    }
    if b.pick(32) == 31 {
        if let Some(p) = plan.phases.first_mut() {
            p.checks = (0..40)
                .map(|n| format!("no_critical_vulnerabilities_{n:02}"))
                .collect();
        }
    }
    let defect = b.byte();
    let mut require = false;
    if defect >= 200 {
        require = inject(&mut plan, defect % 15, &mut b, base);
    }
    let mut policy = Policy::servicenow();
    let f = b.byte();
    policy.sequential_tasks = f & 1 == 0;
    policy.auto_advance = f & 2 == 0;
    policy.auto_review = f & 4 == 0;
    policy.auto_complete = f & 8 != 0;
    if f & 16 != 0 {
        policy.restart_tasks = RestartTasks::AsPhaseStart;
    }
    policy.allow_past_dates = f & 32 != 0;
    policy.require_readiness = require || f & 192 == 192;
    let g = b.byte();
    if g & 1 != 0 {
        policy
            .override_roles
            .extend(Role::new("product_manager").ok());
    }
    if g & 2 != 0 {
        policy.restart_roles.clone_from(&policy.managers);
    }
    policy.task_notice_days = notice(&mut b, 2);
    policy.readiness_notice_days = notice(&mut b, 1);
    policy.risk_weights = weights(&mut b, true);
    let extra = weights(&mut b, false);
    let mut steps = Vec::new();
    if b.pick(16) != 0 {
        steps.push(Step {
            who: if b.pick(8) == 0 { 3 } else { 0 },
            when: When::After(Duration::zero()),
            main: None,
            included: Vec::new(),
            command: Command::create(ReleaseId::from_u128(7), plan.clone()),
        });
    }
    for _ in 0..b.pick(25) {
        steps.push(step(&mut b, &plan, base));
    }
    let all = [
        CheckStatus::NotRun,
        CheckStatus::Running,
        CheckStatus::Compliant,
        CheckStatus::NonCompliant,
        CheckStatus::CompliantWithException,
    ];
    let status = |b: &mut Bytes<'_>| all[b.pick(5)];
    let rollups = (0..2)
        .map(|_| {
            let primary = status(&mut b);
            (primary, (0..b.pick(4)).map(|_| status(&mut b)).collect())
        })
        .collect();
    Input {
        plan,
        policy,
        weights: extra,
        start,
        steps,
        rollups,
    }
}

/// Breaks one documented rule of the plan; says whether the policy must require a
/// readiness target.
fn inject(plan: &mut Plan, k: u8, b: &mut Bytes<'_>, base: NaiveDate) -> bool {
    let n = plan.phases.len();
    let i = b.pick(n);
    let first = plan
        .phases
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let first_start = plan.phases.first().and_then(|p| p.start).unwrap_or(base);
    let p = plan.phases.get_mut(i);
    match (k, p) {
        (0, _) => plan.name = " ".to_owned(),
        (1, _) => plan.zone = Some(ZONES[5 + b.pick(2)].to_owned()),
        (2, _) => plan.phases.clear(),
        (3, Some(p)) => p.name = String::new(),
        (4, Some(p)) if i > 0 => p.name = first,
        (4, Some(p)) => {
            let copy = p.clone();
            plan.phases.push(copy);
        }
        (5, Some(p)) => {
            plan.process = Process::Timeline;
            p.end = None;
        }
        (6, Some(p)) => {
            let s = p.start.unwrap_or(base);
            (p.start, p.end) = (Some(s), s.pred_opt());
        }
        (7, Some(p)) => {
            let s = plus(first_start, -1 - at_least(b, 3));
            (p.start, p.end) = (Some(s), Some(s));
        }
        (8, Some(p)) => p.tasks.push(TaskSpec::new(" ")),
        (9, Some(p)) => p.checks.push(String::new()),
        (10, Some(p)) => {
            let c = p.checks.first().cloned().unwrap_or_else(|| "sast".into());
            p.checks.extend([c.clone(), c]);
        }
        (11, Some(p)) => match b.pick(4) {
            0 => plan.readiness = Some(NaiveDate::MAX),
            1 => p.tasks.push(TaskSpec::new("late").due(NaiveDate::MIN)),
            2 => p.end = Some(NaiveDate::MAX - Days::new(at_least(b, 3) as u64)),
            _ => plan.readiness = Some(NaiveDate::MIN + Days::new(300)),
        },
        (12, _) => {
            plan.process = Process::Timeline;
            for p in &mut plan.phases {
                p.start = Some(p.start.unwrap_or(base));
                p.end = Some(p.end.unwrap_or(base).max(p.start.unwrap_or(base)));
            }
            if let Some(p) = plan.phases.first_mut() {
                p.start = Some(plus(base, -1 - at_least(b, 30)));
            }
        }
        (13, _) => {
            plan.readiness = None;
            return true;
        }
        (_, _) => {
            // A stage plan whose dated phases are out of order around one without dates.
            plan.process = Process::Stage;
            plan.phases = vec![
                PhaseSpec::new("build").dates(plus(base, 5), plus(base, 6)),
                PhaseSpec::new("test"),
                PhaseSpec::new("deploy").dates(base, plus(base, 9)),
            ];
        }
    }
    false
}

/// A phase index standing for "the phase in progress (else the next to start)", resolved
/// when the command runs ([`resolved`]).
pub const CURRENT: usize = usize::MAX;

/// A phase: mostly the one in progress, else an index (4 is past every plan's phases).
fn phase(b: &mut Bytes<'_>) -> usize {
    match b.pick(8) {
        0 | 1 => b.pick(5),
        _ => CURRENT,
    }
}

/// `cmd` with [`CURRENT`] replaced by the phase in progress (else the next to start).
fn resolved(cmd: &Command, state: &State) -> Command {
    let here = state
        .release()
        .map_or(0, |r| r.current().map_or(r.progress(), |c| c.0));
    let fix = |p: usize| if p == CURRENT { here } else { p };
    let mut cmd = cmd.clone();
    match &mut cmd {
        Command::StartTask { task }
        | Command::CloseTask { task, .. }
        | Command::Approve { task }
        | Command::Reject { task, .. }
        | Command::Rerequest { task } => task.phase = fix(task.phase),
        Command::AddTask { phase, .. }
        | Command::MapCheck { phase, .. }
        | Command::UnmapCheck { phase, .. } => *phase = fix(*phase),
        _ => {}
    }
    cmd
}

fn step(b: &mut Bytes<'_>, plan: &Plan, base: NaiveDate) -> Step {
    let who = [0, 0, 1, 2, 3, 0, 1, 2][b.pick(8)];
    let when = match b.pick(16) {
        0 => When::After(Duration::zero()),
        1..=4 => When::After(Duration::minutes(at_least(b, 255))),
        5..=7 => When::After(Duration::hours(at_least(b, 48))),
        8 | 9 => When::After(Duration::days(1 + at_least(b, 20))),
        10 => When::After(-Duration::minutes(1 + at_least(b, 120))),
        11 | 12 => When::Deadline(Duration::zero()),
        13 => When::Deadline(-Duration::nanoseconds(1)),
        14 => When::Deadline(Duration::seconds(1)),
        _ => When::At(DateTime::<Utc>::MAX_UTC - Duration::minutes(at_least(b, 3) * 1440)),
    };
    let (main, included) = match b.pick(16) {
        13 => (Some(b.pick(5)), Vec::new()),
        14 => (None, vec![b.pick(5)]),
        15 => (Some(b.pick(5)), vec![b.pick(5), b.pick(5)]),
        _ => (None, Vec::new()),
    };
    let task = |b: &mut Bytes<'_>| TaskRef::new(phase(b), b.pick(4));
    let command = match b.pick(24) {
        0 | 1 => Command::Tick,
        2 => Command::Start,
        3 => Command::StartTask { task: task(b) },
        4 | 5 => Command::CloseTask {
            task: task(b),
            outcome: [Outcome::Complete, Outcome::Incomplete, Outcome::Skipped][b.pick(3)],
        },
        6 => Command::Approve { task: task(b) },
        7 => Command::Reject {
            task: task(b),
            reason: text(b, "smoke test failed"),
        },
        8 => Command::Rerequest { task: task(b) },
        9 => {
            let phase = phase(b);
            let name = if b.pick(8) == 0 { " " } else { "hotfix" };
            let mut t = task_spec(b, name, base, plus(base, 5));
            if b.pick(8) == 0 {
                t = t.due(NaiveDate::MAX);
            }
            Command::AddTask { phase, task: t }
        }
        10 => Command::MapCheck {
            phase: phase(b),
            check: check_name(b),
        },
        11 => Command::UnmapCheck {
            phase: phase(b),
            check: check_name(b),
        },
        12 => Command::RunChecks,
        13 | 14 => Command::RecordCheck {
            check: check_name(b),
            compliant: b.flag(),
        },
        15 => {
            let midnight = base.and_time(NaiveTime::MIN).and_utc();
            let from = midnight + Duration::hours(at_least(b, 24));
            let to = from
                .checked_add_signed(Duration::hours(at_least(b, 96) - 4))
                .unwrap_or(from);
            Command::GrantException {
                check: check_name(b),
                from,
                to,
                justification: text(b, "not reachable"),
            }
        }
        16 => Command::CompletePhase,
        17 => Command::Restart { phase: b.pick(5) },
        18 => Command::Retarget {
            readiness: match b.pick(8) {
                0 => NaiveDate::MAX - Days::new(at_least(b, 4) as u64 * 200),
                1 => NaiveDate::MIN + Days::new(360 + at_least(b, 10) as u64),
                2 => plus(base, -at_least(b, 10)),
                _ => plus(plan.readiness.unwrap_or(base), at_least(b, 40) - 15),
            },
        },
        19 => Command::BeginReview,
        20 => Command::FinishReview {
            notes: text(b, "went well"),
        },
        21 => Command::Complete,
        22 => Command::Cancel {
            reason: text(b, "superseded"),
        },
        _ => Command::create(ReleaseId::from_u128(8), plan.clone()),
    };
    Step {
        who,
        when,
        main,
        included,
        command,
    }
}

// ---------------------------------------------------------------- checks

fn kind_of(debug: &str) -> String {
    debug.split([' ', '{', '(']).next().unwrap_or("").to_owned()
}

fn json<S: serde::Serialize>(v: &S) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `v` survives a JSON round trip.
#[track_caller]
fn round_trip<S>(v: &S, what: &str)
where
    S: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = json(v);
    let back: Option<S> = serde_json::from_str(&text).ok();
    assert!(back.as_ref() == Some(v), "{what} JSON round trip: {text}");
}

/// Fails naming what differs, and the input, unless `got` is `want`.
#[track_caller]
fn same<A: PartialEq + std::fmt::Debug>(got: A, want: A, what: &str, why: &dyn Fn() -> String) {
    assert!(
        got == want,
        "{what}: got {got:?}, model {want:?}; {}",
        why()
    );
}

fn resolve(when: When, now: T, state: &State, policy: &Policy) -> T {
    match when {
        When::After(d) => now.checked_add_signed(d).unwrap_or(now),
        When::Deadline(d) => next_deadline(state, policy)
            .and_then(|t| t.checked_add_signed(d))
            .unwrap_or(now),
        When::At(t) => t,
    }
}

/// The fuzz target's entry point.
pub fn release(data: &[u8]) {
    run(data);
}

/// Decodes `data`, runs every check, and says what it saw.
pub fn run(data: &[u8]) -> Seen {
    let input = decode(data);
    statics(&input);
    let actors = actors();
    let policy = &input.policy;
    let (mut state, mut m): (State, Option<M>) = (State::new(), None);
    let mut reopened = BTreeSet::new();
    let (mut events_seen, mut errors, mut statuses) = (Vec::new(), Vec::new(), BTreeSet::new());
    let mut now = input.start;
    let mut trail: Vec<String> = Vec::new();
    for step in &input.steps {
        now = resolve(step.when, now, &state, policy);
        let actor = actors.get(step.who).unwrap_or(&actors[0]);
        let mut ctx = Context::new(now, actor, policy).with_included(&step.included);
        if let Some(main) = step.main {
            ctx = ctx.included_in(main);
        }
        let cmd = &resolved(&step.command, &state);
        trail.push(format!(
            "{} at {now:?} by {} main {:?} included {:?}",
            json(cmd),
            actor.user,
            step.main,
            step.included
        ));
        let why = || {
            format!(
                "plan {} policy {} steps {trail:#?}",
                json(&input.plan),
                json(policy)
            )
        };
        round_trip(cmd, "command");
        let got = decide(&state, cmd, &ctx);
        assert!(
            got == decide(&state, cmd, &ctx),
            "decide is not deterministic"
        );
        let mctx = Ctx {
            now,
            actor,
            policy,
            main: step.main,
            included: &step.included,
        };
        let want = model::decide(m.as_ref(), cmd, &mctx);
        let events = match (got, want) {
            (Err(e), Err(kinds)) => {
                let (k, msg) = (kind_of(&format!("{e:?}")), e.to_string());
                let short = !msg.is_empty() && msg.chars().count() <= MAX_MESSAGE;
                assert!(short, "message of {} chars: {msg}", msg.len());
                let what = format!("{e:?}, model {kinds:?}");
                assert!(kinds.contains(k.as_str()), "refused with {what}; {}", why());
                errors.push(k);
                continue;
            }
            (Err(e), Ok((events, _))) => panic!("refused with {e:?}, model {events:?}; {}", why()),
            (Ok(events), Err(k)) => panic!("decided {events:?}, model refuses {k:?}; {}", why()),
            (Ok(events), Ok((want, next))) => {
                same(&events, &want, "events", &why);
                m = next;
                events
            }
        };
        let before = state.release().map(Release::last_at);
        let mut last = before;
        for e in &events {
            let fine = last.is_none_or(|l| l <= e.at()) && e.at() <= now;
            assert!(fine, "event {e:?} after {last:?}, now {now:?}; {}", why());
            last = Some(e.at());
        }
        let folded = events.iter().fold(state.clone(), evolve);
        state.apply(&events);
        assert!(folded == state, "evolve and apply disagree; {}", why());
        round_trip(&events, "events");
        round_trip(&state, "state");
        for e in &events {
            if let Event::Restarted {
                from,
                current,
                tasks,
                ..
            } = e
            {
                let n = state.release().map_or(0, |r| r.phases().len());
                let span = *from..=current.unwrap_or(n.saturating_sub(1));
                match tasks {
                    RestartTasks::AllOpen => reopened.extend(span),
                    _ => span.for_each(|i| {
                        reopened.remove(&i);
                    }),
                }
            }
            events_seen.push(kind_of(&format!("{e:?}")));
        }
        let deadline = next_deadline(&state, policy);
        if let Some(r) = state.release() {
            statuses.insert(r.status().name().to_owned());
            invariants(r, policy, &reopened, &why);
            let mine = seen_as_model(r);
            same(
                mine.as_ref().map(blind),
                m.as_ref().map(blind),
                "release",
                &why,
            );
            let dl = "deadline before the last event";
            assert!(deadline.is_none_or(|d| d >= r.last_at()), "{dl}; {}", why());
            if let Some(i) = r.current().map(|c| c.0) {
                let checks: Vec<CheckStatus> = r.phases().get(i).map_or(Vec::new(), |p| {
                    p.checks().iter().map(|c| c.status()).collect()
                });
                same(
                    phase_check_status(&checks),
                    state::rollup(&checks),
                    "rollup",
                    &why,
                );
            }
            if matches!(cmd, Command::Tick) && r.last_at() <= now {
                let what = format!("deadline {deadline:?} after a tick at {now:?}");
                assert!(deadline.is_none_or(|d| d > now), "{what}; {}", why());
            }
        }
        let want = m.as_ref().and_then(|m| model::deadline(m, policy));
        same(deadline, want, "next_deadline", &why);
        check_risk(&state, m.as_ref(), now, &input, &why);
    }
    Seen {
        input,
        events: events_seen,
        errors,
        statuses,
    }
}
