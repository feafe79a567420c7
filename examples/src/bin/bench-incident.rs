//! Throughput of the incident state machine on one core, against the targets of the issue
//! and against the plain Python fold a user would otherwise write.
//!
//! The workload is generated deterministically (a seeded xorshift, no `rand`): 100,000
//! incidents with a typical lifecycle (report, assign, start work, sometimes a hold and the
//! caller's answer, reassignment, reprioritisation, escalation, a problem link, resolve,
//! sometimes reopen and resolve again, then close by the caller or auto-close by a tick at
//! the deadline), plus a few cancellations and a few refused commands. Every command runs
//! once through `decide` (and its events through `evolve`) to obtain the events; the
//! figures below then replay that fixed workload.
//!
//! What is measured, each the median of [`REPS`] runs (min and max printed too):
//! - `evolve`: fold every incident's events from `State::new()` (dropping the final state
//!   is included, as a host that rebuilds a state and lets it go would pay it).
//! - `decide`: every command against the state it was issued in. The states before each
//!   command are rebuilt untimed, a chunk of [`CHUNK`] incidents at a time (keeping all
//!   of them would take about half a gigabyte); only `decide` and the drop of its result are
//!   timed. No `evolve` time is subtracted: it is never inside the timed region.
//! - `decode+decide`: the same, with each command decoded from its JSON line first.
//! - `event JSON decode`: the stored event lines (`{"incident": id, "event": {...}}`, the
//!   exact bytes the Python peer reads) decoded with `serde_json`.
//! - the Python peer (`examples/bench/fold_events.py`): loads the same lines, then times
//!   only its fold into per-incident dicts.
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-incident`.

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::hint::black_box;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::actor::{Actor, Role, UserId};
use itsm_core::ids::{ConfigItemId, GroupId, ServiceId};
use itsm_core::priority::{Impact, Urgency};
use itsm_incident::model::{
    Channel, EscalationKind, HoldReason, IncidentId, Link, ProblemId, Report, Status, StatusKind,
};
use itsm_incident::{Command, Context, Event, Policy, State, decide, evolve, next_deadline};

/// Incidents in the workload.
const INCIDENTS: usize = 100_000;
/// Repetitions of every measurement (odd, so the median is one run).
const REPS: usize = 7;
/// Incidents whose per-command states are rebuilt at a time for the `decide` passes.
const CHUNK: usize = 2_000;
/// The seed of the workload.
const SEED: u64 = 0x1CE5_7A7E_5EED_2026;
/// Runs of the Python fold.
const PYTHON_REPS: u32 = 5;

/// The targets, on one core.
const TARGET_EVOLVE: f64 = 20_000_000.0;
const TARGET_DECIDE: f64 = 5_000_000.0;
const TARGET_JSON: f64 = 2_000_000.0;

type Res<T> = Result<T, Box<dyn Error>>;

/// xorshift64* (Vigna): small, seeded, good enough to shape a workload.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // A zero state would stay zero.
        Rng(seed | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (the modulo bias is irrelevant at these sizes).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1);
        lo + i64::try_from(self.below(span)).unwrap_or(0)
    }

    /// True with `percent` % probability (fractions via per-mille below).
    fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn per_mille(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    fn pick<T: Copy + Default>(&mut self, items: &[T]) -> T {
        items
            .get(self.index(items.len()))
            .copied()
            .unwrap_or_default()
    }

    fn uuid_bits(&mut self) -> u128 {
        (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
    }
}

const CATEGORIES: &[&str] = &[
    "network", "hardware", "software", "database", "inquiry", "email", "access", "printing",
];
const DESCRIPTIONS: &[&str] = &[
    "Printer offline on floor 3",
    "VPN drops every few minutes",
    "Cannot log in to the HR portal",
    "Outlook keeps asking for the password",
    "Laptop does not boot after update",
    "Shared drive is read-only",
    "Payroll report times out",
    "Wi-Fi slow in meeting room B",
    "Phone handset has no dial tone",
    "Database replica lagging behind",
    "New starter needs an account",
    "Monitor flickers intermittently",
];
const RESOLUTION_CODES: &[&str] = &[
    "solved_permanently",
    "solved_workaround",
    "solved_remotely",
    "not_reproducible",
    "user_error",
];
const RESOLUTION_NOTES: &[&str] = &[
    "Replaced the network cable and verified connectivity with the caller.",
    "Reset the password and cleared the cached credentials.",
    "Rolled back the faulty driver update; a problem record tracks the fix.",
    "Restarted the service; monitoring confirms normal response times.",
    "Explained the procedure to the caller and updated the knowledge article.",
];
const HOLD_COMMENTS: &[&str] = &[
    "Asked the caller for a screenshot of the error.",
    "Waiting for the caller to confirm a time for a remote session.",
    "Need the asset tag of the device.",
];
const CALLER_COMMENTS: &[&str] = &[
    "Screenshot attached.",
    "Any time after 2pm.",
    "Tag is 4471.",
];
const REOPEN_REASONS: &[&str] = &[
    "The problem came back this morning.",
    "Still failing for my colleague too.",
];

/// The people and automation acting on incidents.
struct Cast {
    callers: Vec<Actor>,
    agents: Vec<Actor>,
    system: Actor,
    major_manager: Actor,
    groups: Vec<GroupId>,
    services: Vec<ServiceId>,
    configuration_items: Vec<ConfigItemId>,
    problems: Vec<ProblemId>,
}

impl Cast {
    fn new(rng: &mut Rng) -> Res<Self> {
        let caller = Role::new("caller")?;
        let agent = Role::new("agent")?;
        let mut people = |count: usize, role: &Role| -> Vec<Actor> {
            (0..count)
                .map(|_| Actor::new(UserId::from_u128(rng.uuid_bits()), [role.clone()]))
                .collect()
        };
        let callers = people(5_000, &caller);
        let agents = people(120, &agent);
        let system = Actor::new(UserId::from_u128(rng.uuid_bits()), [Role::new("system")?]);
        let major_manager = Actor::new(
            UserId::from_u128(rng.uuid_bits()),
            [Role::new("major_incident_manager")?, agent],
        );
        Ok(Cast {
            callers,
            agents,
            system,
            major_manager,
            groups: (0..40)
                .map(|_| GroupId::from_u128(rng.uuid_bits()))
                .collect(),
            services: (0..60)
                .map(|_| ServiceId::from_u128(rng.uuid_bits()))
                .collect(),
            configuration_items: (0..2_000)
                .map(|_| ConfigItemId::from_u128(rng.uuid_bits()))
                .collect(),
            problems: (0..300)
                .map(|_| ProblemId::from_u128(rng.uuid_bits()))
                .collect(),
        })
    }
}

fn pick_ref<'a, T>(rng: &mut Rng, items: &'a [T], fallback: &'a T) -> &'a T {
    items.get(rng.index(items.len())).unwrap_or(fallback)
}

/// One command as the host issued it: who, when, and how many events `decide` returned.
struct Step<'a> {
    command: Command,
    actor: &'a Actor,
    now: DateTime<Utc>,
    events: usize,
}

/// Where one incident's steps, events and command JSON lines are.
struct Span {
    id: IncidentId,
    steps: Range<usize>,
    events: Range<usize>,
    json: Range<usize>,
}

#[derive(Default)]
struct Outcomes {
    with_events: usize,
    no_op: usize,
    refused: usize,
}

/// The generated workload.
struct Workload<'a> {
    steps: Vec<Step<'a>>,
    events: Vec<Event>,
    spans: Vec<Span>,
    outcomes: Outcomes,
    /// The final states, summarised as the Python peer prints it.
    summary: String,
}

/// Runs one incident's commands through `decide` and `evolve`, recording everything.
struct Recorder<'a, 'w> {
    policy: &'a Policy,
    steps: &'w mut Vec<Step<'a>>,
    events: &'w mut Vec<Event>,
    outcomes: &'w mut Outcomes,
    state: State,
    now: DateTime<Utc>,
}

impl<'a> Recorder<'a, '_> {
    /// Issues `command` as `actor`, `minutes` after the previous command.
    fn run(&mut self, command: Command, actor: &'a Actor, minutes: i64) {
        self.now += Duration::minutes(minutes);
        self.run_at(command, actor, self.now);
    }

    fn run_at(&mut self, command: Command, actor: &'a Actor, now: DateTime<Utc>) {
        self.now = now;
        let ctx = Context {
            now,
            actor,
            policy: self.policy,
        };
        let produced = match decide(&self.state, &command, &ctx) {
            Ok(events) => {
                if events.is_empty() {
                    self.outcomes.no_op += 1;
                } else {
                    self.outcomes.with_events += 1;
                }
                let state = std::mem::replace(&mut self.state, State::new());
                self.state = events.iter().fold(state, evolve);
                let n = events.len();
                self.events.extend(events);
                n
            }
            Err(_) => {
                self.outcomes.refused += 1;
                0
            }
        };
        self.steps.push(Step {
            command,
            actor,
            now,
            events: produced,
        });
    }

    fn kind(&self) -> StatusKind {
        self.state.kind()
    }
}

fn resolve(rng: &mut Rng) -> Command {
    Command::Resolve {
        code: rng.pick(RESOLUTION_CODES).to_owned(),
        notes: rng.pick(RESOLUTION_NOTES).to_owned(),
    }
}

/// One incident's lifecycle, shaped by `rng`.
fn lifecycle<'a>(rec: &mut Recorder<'a, '_>, rng: &mut Rng, cast: &'a Cast, number: usize) {
    let caller = pick_ref(rng, &cast.callers, &cast.system);
    let agent = pick_ref(rng, &cast.agents, &cast.system);
    let by_phone = rng.percent(35);
    let channel = if by_phone {
        Channel::Phone
    } else {
        match rng.below(4) {
            0 => Channel::Email,
            1 => Channel::Chat,
            2 => Channel::Monitoring,
            _ => Channel::SelfService,
        }
    };
    let report = Report {
        id: IncidentId::from_u128(rng.uuid_bits()),
        caller: caller.user,
        channel,
        category: rng.percent(90).then(|| rng.pick(CATEGORIES).to_owned()),
        configuration_item: rng
            .percent(50)
            .then(|| *pick_ref(rng, &cast.configuration_items, &ConfigItemId::from_u128(0))),
        service: rng
            .percent(60)
            .then(|| *pick_ref(rng, &cast.services, &ServiceId::from_u128(0))),
        impact: Impact(u8::try_from(rng.between(1, 3)).unwrap_or(2)),
        urgency: Urgency(u8::try_from(rng.between(1, 3)).unwrap_or(2)),
        description: format!("{} (INC{number:07})", rng.pick(DESCRIPTIONS)),
    };
    let reporter = if by_phone { agent } else { caller };
    rec.run(Command::Report(Box::new(report)), reporter, 0);

    let group = *pick_ref(rng, &cast.groups, &GroupId::from_u128(0));
    let person = rng.percent(70).then_some(agent.user);
    let assigner = if rng.percent(40) { &cast.system } else { agent };
    rec.run(
        Command::Assign { group, person },
        assigner,
        rng.between(1, 30),
    );

    if rng.percent(3) {
        let reason = "Duplicate of an open incident".to_owned();
        rec.run(Command::Cancel { reason }, agent, rng.between(5, 120));
        return;
    }
    // A refused command now and then: an agent closing before resolution.
    if rng.per_mille(5) {
        rec.run(Command::Close, agent, 1);
    }
    rec.run(Command::StartWork, agent, rng.between(1, 90));

    if rng.percent(30) {
        if rng.percent(60) {
            let comment = Some(rng.pick(HOLD_COMMENTS).to_owned());
            let reason = HoldReason::AwaitingCaller;
            rec.run(
                Command::PutOnHold { reason, comment },
                agent,
                rng.between(5, 60),
            );
            if rng.percent(80) {
                let comment = Some(rng.pick(CALLER_COMMENTS).to_owned());
                rec.run(
                    Command::CallerResponded { comment },
                    caller,
                    rng.between(30, 1440),
                );
            } else {
                rec.run(Command::Resume, agent, rng.between(60, 2880));
            }
        } else {
            let reason = match rng.below(3) {
                0 => HoldReason::AwaitingVendor,
                1 => HoldReason::AwaitingChange,
                _ => HoldReason::AwaitingEvidence,
            };
            rec.run(
                Command::PutOnHold {
                    reason,
                    comment: None,
                },
                agent,
                rng.between(5, 60),
            );
            rec.run(Command::Resume, agent, rng.between(60, 4320));
        }
    }
    // A caller adding a comment while nobody waits for it: a harmless no-op.
    if rng.percent(5) {
        let comment = Some(rng.pick(CALLER_COMMENTS).to_owned());
        rec.run(
            Command::CallerResponded { comment },
            caller,
            rng.between(5, 240),
        );
    }
    if rng.percent(25) {
        let group = *pick_ref(rng, &cast.groups, &GroupId::from_u128(0));
        let other = pick_ref(rng, &cast.agents, &cast.system);
        rec.run(
            Command::Assign {
                group,
                person: Some(other.user),
            },
            agent,
            rng.between(10, 240),
        );
    }
    if rng.percent(20) {
        let impact = Impact(u8::try_from(rng.between(1, 3)).unwrap_or(2));
        let urgency = Urgency(u8::try_from(rng.between(1, 3)).unwrap_or(2));
        rec.run(
            Command::Reprioritize { impact, urgency },
            agent,
            rng.between(5, 120),
        );
    }
    if rng.percent(5) {
        let kind = EscalationKind::Functional;
        rec.run(
            Command::Escalate { kind, level: 1 },
            agent,
            rng.between(30, 240),
        );
        if rng.percent(30) {
            rec.run(
                Command::Escalate { kind, level: 2 },
                agent,
                rng.between(30, 240),
            );
        }
    }
    if rng.per_mille(5) {
        let reason = "Several sites down".to_owned();
        rec.run(Command::DeclareMajor { reason }, &cast.major_manager, 5);
        let reason = "Service restored".to_owned();
        rec.run(Command::StandDownMajor { reason }, &cast.major_manager, 240);
    }
    if rng.percent(3) {
        let problem = *pick_ref(rng, &cast.problems, &ProblemId::from_u128(0));
        let link = Link::Problem(problem);
        rec.run(Command::Link { link }, agent, rng.between(5, 60));
    }
    // A refused command now and then: a caller trying to resolve their own incident.
    if rng.per_mille(5) {
        rec.run(resolve(rng), caller, 1);
    }
    rec.run(resolve(rng), agent, rng.between(10, 480));

    if rng.percent(10) {
        let reason = rng.pick(REOPEN_REASONS).to_owned();
        rec.run(Command::Reopen { reason }, caller, rng.between(60, 4000));
        rec.run(resolve(rng), agent, rng.between(30, 600));
    }
    if rec.kind() != StatusKind::Resolved {
        return;
    }
    match rng.below(100) {
        0..=49 => rec.run(Command::Close, caller, rng.between(10, 5000)),
        50..=94 => {
            // A spurious early wake-up first, sometimes: no events.
            if rng.percent(30) {
                rec.run(Command::Tick, &cast.system, 24 * 60);
            }
            if let Some(due) = next_deadline(&rec.state, rec.policy) {
                let at = due.max(rec.now);
                rec.run_at(Command::Tick, &cast.system, at);
            }
        }
        _ => {} // Still resolved when the log ends.
    }
}

/// The same summary line the Python peer prints, so the two folds are cross-checked.
fn summarize(states: &[State]) -> String {
    let mut by_kind = [0usize; 7];
    let (mut auto_closed, mut reassignments, mut reopens, mut priority_sum) = (0, 0u64, 0u64, 0u64);
    for state in states {
        let slot = match state.kind() {
            StatusKind::Unreported => 0,
            StatusKind::New => 1,
            StatusKind::InProgress => 2,
            StatusKind::OnHold => 3,
            StatusKind::Resolved => 4,
            StatusKind::Closed => 5,
            StatusKind::Canceled => 6,
        };
        if let Some(count) = by_kind.get_mut(slot) {
            *count += 1;
        }
        if let Some(incident) = state.incident() {
            if let Status::Closed { auto: true, .. } = incident.status() {
                auto_closed += 1;
            }
            reassignments += u64::from(incident.reassignment_count());
            reopens += u64::from(incident.reopen_count());
            priority_sum += u64::from(incident.priority().0);
        }
    }
    let [_, new, in_progress, on_hold, resolved, closed, canceled] = by_kind;
    format!(
        "summary: incidents={} new={new} in_progress={in_progress} on_hold={on_hold} \
         resolved={resolved} closed={closed} auto_closed={auto_closed} canceled={canceled} \
         reassignments={reassignments} reopens={reopens} priority_sum={priority_sum}",
        states.len() - by_kind.first().copied().unwrap_or(0),
    )
}

fn generate<'a>(cast: &'a Cast, policy: &'a Policy, rng: &mut Rng) -> Workload<'a> {
    let mut steps = Vec::with_capacity(INCIDENTS * 10);
    let mut events = Vec::with_capacity(INCIDENTS * 10);
    let mut spans = Vec::with_capacity(INCIDENTS);
    let mut outcomes = Outcomes::default();
    let mut finals = Vec::with_capacity(INCIDENTS);
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).single();
    let start = start.unwrap_or(DateTime::<Utc>::MIN_UTC);
    for number in 0..INCIDENTS {
        let (first_step, first_event) = (steps.len(), events.len());
        // Incidents open every 30 seconds or so, around the clock.
        let opened = start + Duration::seconds(30 * i64::try_from(number).unwrap_or(0));
        let mut rec = Recorder {
            policy,
            steps: &mut steps,
            events: &mut events,
            outcomes: &mut outcomes,
            state: State::new(),
            now: opened,
        };
        lifecycle(&mut rec, rng, cast, number);
        let state = rec.state;
        let id = state
            .incident()
            .map_or(IncidentId::from_u128(0), |incident| incident.id());
        finals.push(state);
        spans.push(Span {
            id,
            steps: first_step..steps.len(),
            events: first_event..events.len(),
            json: 0..0,
        });
    }
    Workload {
        steps,
        events,
        spans,
        outcomes,
        summary: summarize(&finals),
    }
}

/// Every command as one JSON line, in step order; fills each span's byte range.
fn commands_to_json(workload: &mut Workload<'_>) -> Res<String> {
    let mut out = Vec::with_capacity(workload.steps.len() * 100);
    for span in &mut workload.spans {
        let start = out.len();
        for step in workload.steps.get(span.steps.clone()).unwrap_or(&[]) {
            serde_json::to_writer(&mut out, &step.command)?;
            out.push(b'\n');
        }
        span.json = start..out.len();
    }
    Ok(String::from_utf8(out)?)
}

/// A stored event: the stream (incident) it belongs to, and the event.
#[derive(serde::Serialize)]
struct StoredRef<'a> {
    incident: IncidentId,
    event: &'a Event,
}

/// The same line, decoded.
#[derive(serde::Deserialize)]
struct Stored {
    incident: IncidentId,
    event: Event,
}

fn write_events(workload: &Workload<'_>, path: &Path) -> Res<u64> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    for span in &workload.spans {
        for event in workload.events.get(span.events.clone()).unwrap_or(&[]) {
            serde_json::to_writer(
                &mut out,
                &StoredRef {
                    incident: span.id,
                    event,
                },
            )?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The states before each command of `spans` (contiguous incidents), rebuilt untimed.
fn states_before(workload: &Workload<'_>, spans: &[Span], out: &mut Vec<State>) {
    out.clear();
    for span in spans {
        let mut state = State::new();
        let mut events = workload
            .events
            .get(span.events.clone())
            .unwrap_or(&[])
            .iter();
        for step in workload.steps.get(span.steps.clone()).unwrap_or(&[]) {
            out.push(state.clone());
            state = events.by_ref().take(step.events).fold(state, evolve);
        }
    }
}

/// The steps of contiguous incidents, and the byte range of their command JSON.
fn chunk_ranges(spans: &[Span]) -> (Range<usize>, Range<usize>) {
    match (spans.first(), spans.last()) {
        (Some(first), Some(last)) => (
            first.steps.start..last.steps.end,
            first.json.start..last.json.end,
        ),
        _ => (0..0, 0..0),
    }
}

fn bench_evolve(workload: &Workload<'_>) -> (usize, Elapsed) {
    let started = Instant::now();
    let mut folded = 0;
    for span in &workload.spans {
        let events = workload.events.get(span.events.clone()).unwrap_or(&[]);
        let state = events.iter().fold(State::new(), evolve);
        black_box(state);
        folded += events.len();
    }
    (folded, started.elapsed())
}

fn bench_decide(
    workload: &Workload<'_>,
    policy: &Policy,
    states: &mut Vec<State>,
) -> (usize, Elapsed) {
    let mut timed = Elapsed::ZERO;
    let mut decided = 0;
    for spans in workload.spans.chunks(CHUNK) {
        states_before(workload, spans, states);
        let (steps, _) = chunk_ranges(spans);
        let steps = workload.steps.get(steps).unwrap_or(&[]);
        let started = Instant::now();
        for (step, state) in steps.iter().zip(states.iter()) {
            let ctx = Context {
                now: step.now,
                actor: step.actor,
                policy,
            };
            black_box(decide(black_box(state), black_box(&step.command), &ctx)).ok();
        }
        timed += started.elapsed();
        decided += steps.len().min(states.len());
    }
    (decided, timed)
}

fn bench_decode_decide(
    workload: &Workload<'_>,
    json: &str,
    policy: &Policy,
    states: &mut Vec<State>,
) -> Res<(usize, Elapsed)> {
    let mut timed = Elapsed::ZERO;
    let mut decided = 0;
    for spans in workload.spans.chunks(CHUNK) {
        states_before(workload, spans, states);
        let (steps, bytes) = chunk_ranges(spans);
        let steps = workload.steps.get(steps).unwrap_or(&[]);
        let lines = json.get(bytes).unwrap_or("");
        let started = Instant::now();
        for ((line, step), state) in lines.lines().zip(steps).zip(states.iter()) {
            let command: Command = serde_json::from_str(line)?;
            let ctx = Context {
                now: step.now,
                actor: step.actor,
                policy,
            };
            black_box(decide(black_box(state), &command, &ctx)).ok();
            decided += 1;
        }
        timed += started.elapsed();
    }
    Ok((decided, timed))
}

fn bench_event_decode(lines: &str) -> Res<(usize, Elapsed)> {
    let started = Instant::now();
    let mut decoded = 0;
    for line in lines.lines() {
        let stored: Stored = serde_json::from_str(line)?;
        black_box(stored);
        decoded += 1;
    }
    Ok((decoded, started.elapsed()))
}

/// Rates of several runs: median, min, max.
struct Rates {
    median: f64,
    min: f64,
    max: f64,
}

fn measure(mut run: impl FnMut() -> Res<(usize, Elapsed)>) -> Res<(Rates, usize)> {
    let mut rates = Vec::with_capacity(REPS);
    let mut items = 0;
    for _ in 0..REPS {
        let (n, elapsed) = run()?;
        items = n;
        rates.push(n as f64 / elapsed.as_secs_f64().max(1e-9));
    }
    rates.sort_by(f64::total_cmp);
    let at = |i: usize| rates.get(i).copied().unwrap_or(0.0);
    Ok((
        Rates {
            median: at(rates.len() / 2),
            min: at(0),
            max: at(rates.len().saturating_sub(1)),
        },
        items,
    ))
}

fn report(label: &str, unit: &str, rates: &Rates, items: usize, target: f64) {
    println!("{label} {unit}/s: {:.0}", rates.median);
    println!(
        "  median of {REPS} runs of {items} {unit} (min {:.0}, max {:.0}); target: >= {target:.0} {unit}/s: {}",
        rates.min,
        rates.max,
        if rates.median >= target {
            "met"
        } else {
            "NOT met"
        },
    );
}

/// Where temporary files go: beside the binary (inside the Cargo target folder), or the
/// system's temporary folder.
fn scratch_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir)
}

fn proc_field(file: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(key))
        .map(|value| value.trim().to_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Runs the Python peer; returns its events/s, or `None` when it could not run.
fn python_peer(events_path: &Path, expected_summary: &str) -> Option<f64> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/fold_events.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(events_path)
        .arg(PYTHON_REPS.to_string())
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("python peer: skipped (python3 not found)");
            return None;
        }
        Err(e) => {
            println!("python peer: skipped ({e})");
            return None;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        println!(
            "python peer: failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    let mut rate = None;
    for line in stdout.lines() {
        println!("{line}");
        if let Some(value) = line.strip_prefix("python fold events/s: ") {
            rate = value.trim().parse::<f64>().ok();
        }
        if let Some(summary) = line.strip_prefix("python ") {
            if summary.starts_with("summary: ") {
                let same = summary == expected_summary;
                println!(
                    "python fold agrees with evolve: {}",
                    if same { "yes" } else { "NO" }
                );
            }
        }
    }
    rate
}

fn main() -> Res<()> {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "bench-incident: single thread; {cpus} CPUs visible; load average at start {}",
        load_average()
    );

    let policy = Policy::servicenow();
    let mut rng = Rng::new(SEED);
    let cast = Cast::new(&mut rng)?;

    let started = Instant::now();
    let mut workload = generate(&cast, &policy, &mut rng);
    let json = commands_to_json(&mut workload)?;
    let o = &workload.outcomes;
    println!(
        "workload: {} incidents, {} commands ({} with events, {} no-ops, {} refused), {} events, {:.1} MB of command JSON; generated in {:.2} s",
        workload.spans.len(),
        workload.steps.len(),
        o.with_events,
        o.no_op,
        o.refused,
        workload.events.len(),
        json.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
    );
    println!("rust {}", workload.summary);

    let events_path = scratch_dir().join("bench-incident-events.jsonl");
    let bytes = write_events(&workload, &events_path)?;
    println!(
        "events written to {} ({:.1} MB)",
        events_path.display(),
        bytes as f64 / 1e6
    );

    // Warm-up (page faults, allocator pools), untimed.
    black_box(bench_evolve(&workload));

    let (evolve_rates, n) = measure(|| Ok(bench_evolve(&workload)))?;
    report("evolve", "events", &evolve_rates, n, TARGET_EVOLVE);

    let mut states = Vec::new();
    println!(
        "  decide method: the state before every command is rebuilt untimed, {CHUNK} incidents at a time; only decide (and dropping its result) is timed"
    );
    let (rates, n) = measure(|| Ok(bench_decide(&workload, &policy, &mut states)))?;
    report("decide", "commands", &rates, n, TARGET_DECIDE);

    let (rates, n) = measure(|| bench_decode_decide(&workload, &json, &policy, &mut states))?;
    report("decode+decide", "commands", &rates, n, TARGET_JSON);
    drop(states);
    drop(json);

    let lines = std::fs::read_to_string(&events_path)?;
    // The lines round-trip to the very events (checked once, untimed).
    let mut round_trip = true;
    for (line, event) in lines.lines().zip(&workload.events) {
        let stored: Stored = serde_json::from_str(line)?;
        round_trip &= stored.event == *event && !stored.incident.0.is_nil();
    }
    println!(
        "event JSON round trip: {}",
        if round_trip { "identical" } else { "DIFFERS" }
    );
    let (rates, n) = measure(|| bench_event_decode(&lines))?;
    report("event JSON decode", "events", &rates, n, TARGET_JSON);
    drop(lines);

    if let Some(python) = python_peer(&events_path, &workload.summary) {
        println!(
            "ratio evolve vs python: {:.1}",
            evolve_rates.median / python.max(1.0)
        );
    }
    std::fs::remove_file(&events_path).ok();

    match proc_field("/proc/self/status", "VmHWM:") {
        Some(hwm) => println!("peak RSS: {hwm}"),
        None => println!("peak RSS: unknown (no /proc/self/status)"),
    }
    println!("load average at end {}", load_average());
    Ok(())
}
