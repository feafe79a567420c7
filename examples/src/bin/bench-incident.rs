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
//! What is measured, each the median of [`REPS`] runs (min and max printed too), on one
//! thread, with `black_box` on every result:
//! - `evolve`: fold every incident's events from `State::new()`, incident after incident,
//!   over the whole log held in memory (laid out as a loader leaves it: each event decoded
//!   from its JSON line, so its shared texts are fresh allocations in log order); dropping
//!   each final state is included. Two diagnostic lines: the fold over [`HOT_INCIDENTS`]
//!   incidents whose events are already in the CPU caches, and the fold as the host's loop
//!   runs it, [`CHUNK`] incidents at a time on events just made (the `decide` method).
//! - `decide`: every command against the state it was issued in. [`CHUNK`] incidents at a
//!   time are replayed in waves: the `k`-th command of each is decided against its current
//!   state (timed, with dropping the result), then the events it produced are folded in
//!   and the next command fetched (untimed). No `evolve` time is subtracted: it never runs
//!   inside the timed region. As in the host's loop, the state was just built and the
//!   command just arrived, so both are in cache; a diagnostic line replays all incidents in
//!   one wave, so that every state and command comes from main memory.
//! - `decode+decide`: the same, with each command decoded from its JSON line first (all
//!   commands are serialized beforehand; the actor and the time come from the context).
//! - `event JSON decode`: the stored events as an event store's table holds them, one line
//!   per event, `INCIDENT_ID<TAB>EVENT_JSON` (an id column and the event's JSON column; the
//!   exact bytes the Python peer reads, held in memory), each line split at the tab, the id
//!   parsed with `IncidentId::from_str` and the event decoded with `Event::from_json`. A
//!   diagnostic line gives the same lines with the event decoded by
//!   `serde_json::from_str::<Event>` instead.
//! - `rebuild`: what a host does to load its incidents: the same lines decoded (as above)
//!   and folded with `evolve`, incident after incident from `State::new()` (dropping each
//!   final state included). A diagnostic line gives the command lines decoded alone (no
//!   `decide`).
//! - the Python peer (`examples/bench/fold_events.py`): loads the same lines, then times
//!   its fold into per-incident dicts, and its rebuild (each line split at the tab and the
//!   event `json.loads`ed, then the fold); its summary of the final states is checked
//!   against the one of `evolve`.
//!
//! Each figure is printed with the share of the wall time the thread spent on a CPU (from
//! `/proc/thread-self/schedstat`): below 100%, other load on the machine took the CPU and the
//! figure is understated; an idle-machine estimate (each run's rate divided by its share)
//! is printed beside it. The `target:` verdict uses the wall-clock median only.
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-incident [PART...] [--keep]`, where
//! the parts are `evolve`, `decide`, `decide-cold`, `decode`, `events` and `python` (all by
//! default) and `--keep` keeps the events file for running the Python peer by hand.

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use itsm_examples::bench::{
    self as bench, Rng, cpus_visible, load_average, median_min_max, proc_status, thread_cpu_ns,
    verdict,
};
use std::error::Error;
use std::hint::black_box;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_core::{Actor, Role, UserId};
use itsm_core::{ConfigItemId, GroupId, ServiceId};
use itsm_core::{Impact, Urgency};
use itsm_incident::{
    Channel, EscalationKind, HoldReason, Incident, IncidentId, Link, ProblemId, Report, Resolution,
    Status, StatusKind,
};
use itsm_incident::{
    Command, CommandKind, Context, Event, Policy, State, decide, evolve, next_deadline,
};

/// Incidents in the workload.
const INCIDENTS: usize = 100_000;
/// Repetitions of every measurement (odd, so the median is one run).
const REPS: usize = 7;
/// Incidents replayed together, in waves, by the `decide` passes: few enough that their
/// states stay in the CPU caches, as in the host's loop, where `decide` runs on the state
/// it has just loaded.
const CHUNK: usize = 64;
/// The same for the cold-state diagnostic: all of them, far more than the caches hold.
const CHUNK_COLD: usize = INCIDENTS;
/// The seed of the workload.
const SEED: u64 = 0x1CE5_7A7E_5EED_2026;
/// Runs of the Python fold.
const PYTHON_REPS: u32 = 5;

/// The targets, on one core.
const TARGET_EVOLVE: f64 = 20_000_000.0;
const TARGET_DECIDE: f64 = 5_000_000.0;
const TARGET_JSON: f64 = 2_000_000.0;

type Res<T> = Result<T, Box<dyn Error>>;

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
        let ctx = Context::new(now, actor, self.policy);
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
        rec.run(Command::Close { resolution: None }, agent, 1);
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
        0..=49 => rec.run(
            Command::Close { resolution: None },
            caller,
            rng.between(10, 5000),
        ),
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

/// Writes the stored events as an event store's table holds them: one line per event, the
/// stream (incident) it belongs to, a tab, and the event's JSON.
fn write_events(workload: &Workload<'_>, path: &Path) -> Res<u64> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    for span in &workload.spans {
        for event in workload.events.get(span.events.clone()).unwrap_or(&[]) {
            write!(out, "{}\t", span.id)?;
            serde_json::to_writer(&mut out, event)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// The events as a loader reading the log line by line leaves them: each decoded from its
/// JSON, so that every shared text (`Arc<Report>`, resolution code and notes) is a fresh
/// allocation after the previous event's, not the generator's (a `clone` would only bump the
/// reference counts and keep the generator's scattered layout).
fn reload_events(events: &[Event]) -> Res<Vec<Event>> {
    let mut buf = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        buf.clear();
        serde_json::to_writer(&mut buf, event)?;
        out.push(serde_json::from_slice(&buf)?);
    }
    Ok(out)
}

/// A fresh copy of `event`, with its own shared texts, as `decide` has just produced it.
fn fresh(event: &Event) -> Event {
    match event {
        Event::Reported {
            at,
            by,
            report,
            priority,
            explanation,
        } => Event::Reported {
            at: *at,
            by: *by,
            report: Arc::new(Report::clone(report)),
            priority: *priority,
            explanation: explanation.clone(),
        },
        Event::Resolved { at, by, resolution } => Event::Resolved {
            at: *at,
            by: *by,
            resolution: Arc::new(Resolution::clone(resolution)),
        },
        other => other.clone(),
    }
}

/// `evolve` as the host's loop runs it: [`CHUNK`] incidents at a time, their events made
/// afresh (untimed, as `decide` or a loader has just produced them), then folded (timed).
fn bench_evolve_host(workload: &Workload<'_>) -> (usize, Elapsed) {
    let mut timed = Elapsed::ZERO;
    let mut folded = 0;
    let mut batch: Vec<Event> = Vec::new();
    let mut bounds: Vec<usize> = Vec::with_capacity(CHUNK + 1);
    for spans in workload.spans.chunks(CHUNK) {
        batch.clear();
        bounds.clear();
        for span in spans {
            bounds.push(batch.len());
            let events = workload.events.get(span.events.clone()).unwrap_or(&[]);
            batch.extend(events.iter().map(fresh));
        }
        bounds.push(batch.len());
        let started = Instant::now();
        for pair in bounds.windows(2) {
            if let [from, to] = *pair {
                let events = batch.get(from..to).unwrap_or(&[]);
                black_box(events.iter().fold(State::new(), evolve));
            }
        }
        timed += started.elapsed();
        folded += batch.len();
    }
    (folded, timed)
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

/// Incidents of the hot-cache diagnostic, and how many times they are folded per run.
const HOT_INCIDENTS: usize = 2_000;
const HOT_ROUNDS: usize = 30;

fn bench_evolve_hot(workload: &Workload<'_>) -> (usize, Elapsed) {
    let spans = workload.spans.get(..HOT_INCIDENTS).unwrap_or(&[]);
    // One untimed round brings them into cache.
    let mut folded = 0;
    let mut started = Instant::now();
    for round in 0..=HOT_ROUNDS {
        if round == 1 {
            started = Instant::now();
            folded = 0;
        }
        for span in spans {
            let events = workload.events.get(span.events.clone()).unwrap_or(&[]);
            black_box(events.iter().fold(State::new(), evolve));
            folded += events.len();
        }
    }
    (folded, started.elapsed())
}

/// One incident being replayed command by command for the `decide` passes.
struct Cursor<'w, 'a> {
    state: State,
    steps: std::slice::Iter<'w, Step<'a>>,
    /// The next command (a fresh copy, as a host holds a command that has just arrived, not
    /// one read back from a large log in memory; none when it is decoded from JSON), its
    /// time, its actor and how many events it produced.
    next: Option<(Option<Command>, DateTime<Utc>, &'a Actor, usize)>,
    /// The events not folded yet.
    events: &'w [Event],
    /// The command JSON lines not decoded yet.
    lines: std::str::Lines<'w>,
}

impl Cursor<'_, '_> {
    fn advance(&mut self, copy_command: bool) {
        self.next = self.steps.next().map(|step| {
            let command = copy_command.then(|| step.command.clone());
            (command, step.now, step.actor, step.events)
        });
    }
}

/// Replays `chunk` incidents at a time in waves: in wave `k`, the `k`-th command of every
/// incident of the chunk is decided against that incident's current state (timed), then the
/// events it produced are folded into the state and the next command is fetched (untimed).
/// With `json`, each command is first decoded from its JSON line (timed too). Returns the
/// commands decided and the time.
fn bench_decide(
    workload: &Workload<'_>,
    policy: &Policy,
    chunk: usize,
    json: Option<&str>,
) -> Res<(usize, Elapsed)> {
    let mut timed = Elapsed::ZERO;
    let mut decided = 0;
    let mut cursors = Vec::with_capacity(chunk);
    for spans in workload.spans.chunks(chunk) {
        cursors.clear();
        for span in spans {
            let mut cursor = Cursor {
                state: State::new(),
                steps: workload.steps.get(span.steps.clone()).unwrap_or(&[]).iter(),
                next: None,
                events: workload.events.get(span.events.clone()).unwrap_or(&[]),
                lines: json
                    .and_then(|j| j.get(span.json.clone()))
                    .unwrap_or("")
                    .lines(),
            };
            cursor.advance(json.is_none());
            cursors.push(cursor);
        }
        while cursors.iter().any(|c| c.next.is_some()) {
            let started = Instant::now();
            for cursor in &mut cursors {
                let Some((command, now, actor, _)) = &cursor.next else {
                    continue;
                };
                let ctx = Context::new(*now, actor, policy);
                let result = match command {
                    Some(command) => decide(black_box(&cursor.state), black_box(command), &ctx),
                    None => {
                        let line = cursor.lines.next().unwrap_or("");
                        let command: Command = serde_json::from_str(line)?;
                        decide(black_box(&cursor.state), &command, &ctx)
                    }
                };
                black_box(result).ok();
                decided += 1;
            }
            timed += started.elapsed();
            for cursor in &mut cursors {
                let Some((_, _, _, produced)) = cursor.next else {
                    continue;
                };
                let (now, later) = cursor.events.split_at(produced.min(cursor.events.len()));
                let state = std::mem::replace(&mut cursor.state, State::new());
                cursor.state = now.iter().fold(state, evolve);
                cursor.events = later;
                cursor.advance(json.is_none());
            }
        }
    }
    Ok((decided, timed))
}

/// The permission check `decide` runs for every command but `tick`, alone.
fn bench_permissions(workload: &Workload<'_>, policy: &Policy) -> (usize, Elapsed) {
    let started = Instant::now();
    let mut checked = 0;
    for step in &workload.steps {
        let kind = step.command.kind();
        if kind != CommandKind::Tick {
            black_box(policy.permissions.check(kind.name(), black_box(step.actor))).ok();
            checked += 1;
        }
    }
    (checked, started.elapsed())
}

/// Every command line decoded alone, for the diagnostic beside `decode+decide`.
fn bench_command_decode(json: &str) -> Res<(usize, Elapsed)> {
    let started = Instant::now();
    let mut decoded = 0;
    for line in json.lines() {
        let command: Command = serde_json::from_str(line)?;
        black_box(command);
        decoded += 1;
    }
    Ok((decoded, started.elapsed()))
}

/// How a stored event's JSON is decoded.
#[derive(Clone, Copy)]
enum Decoder {
    /// `Event::from_json`, the crate's own decoder.
    FromJson,
    /// `serde_json::from_str::<Event>`, for comparison.
    SerdeJson,
}

/// One stored line: the incident's id (`IncidentId::from_str`) and its event.
fn decode_line(line: &str, decoder: Decoder) -> Res<(IncidentId, Event)> {
    let (id, json) = line.split_once('\t').ok_or("a stored line without a tab")?;
    let id: IncidentId = id.parse()?;
    let event = match decoder {
        Decoder::FromJson => Event::from_json(json)?,
        Decoder::SerdeJson => serde_json::from_str(json)?,
    };
    Ok((id, event))
}

/// A host's rebuild: each incident's stored lines decoded and folded from `State::new()`.
fn bench_rebuild(lines: &str, workload: &Workload<'_>) -> Res<(usize, Elapsed)> {
    let started = Instant::now();
    let mut rebuilt = 0;
    let mut lines = lines.lines();
    for span in &workload.spans {
        let mut state = State::new();
        for line in lines.by_ref().take(span.events.len()) {
            let (_, event) = decode_line(line, Decoder::FromJson)?;
            state = evolve(state, &event);
            rebuilt += 1;
        }
        black_box(state);
    }
    Ok((rebuilt, started.elapsed()))
}

fn bench_event_decode(lines: &str, decoder: Decoder) -> Res<(usize, Elapsed)> {
    let started = Instant::now();
    let mut decoded = 0;
    for line in lines.lines() {
        black_box(decode_line(line, decoder)?);
        decoded += 1;
    }
    Ok((decoded, started.elapsed()))
}

/// Rates of several runs: median, min, max; the share of the wall time this thread was on
/// a CPU (below 100%: other load on the machine took it, so the rates are understated); and
/// the median of the rates divided by each run's share, an estimate of the rate on an idle
/// machine (it assumes the thread lost the CPU as often inside the timed regions as out).
struct Rates {
    median: f64,
    min: f64,
    max: f64,
    cpu_share: Option<f64>,
    on_cpu_median: Option<f64>,
}

fn measure(mut run: impl FnMut() -> Res<(usize, Elapsed)>) -> Res<(Rates, usize)> {
    let mut rates = Vec::with_capacity(REPS);
    let mut on_cpu_rates = Vec::with_capacity(REPS);
    let mut items = 0;
    let (mut wall_total, mut cpu_total) = (0.0, 0.0);
    for _ in 0..REPS {
        let (wall, cpu) = (Instant::now(), thread_cpu_ns());
        let (n, elapsed) = run()?;
        let wall = wall.elapsed().as_secs_f64();
        items = n;
        let rate = n as f64 / elapsed.as_secs_f64().max(1e-9);
        rates.push(rate);
        if let (Some(before), Some(after)) = (cpu, thread_cpu_ns()) {
            let cpu = after.saturating_sub(before) as f64 / 1e9;
            wall_total += wall;
            cpu_total += cpu;
            on_cpu_rates.push(rate / (cpu / wall.max(1e-9)).clamp(0.01, 1.0));
        }
    }
    let (median, min, max) = median_min_max(rates).unwrap_or_default();
    let measured = on_cpu_rates.len() == REPS;
    Ok((
        Rates {
            median,
            min,
            max,
            cpu_share: measured.then(|| cpu_total / f64::max(wall_total, 1e-9)),
            on_cpu_median: measured.then(|| bench::median(on_cpu_rates).unwrap_or_default()),
        },
        items,
    ))
}

fn cpu_share(rates: &Rates) -> String {
    match (rates.cpu_share, rates.on_cpu_median) {
        (Some(share), Some(estimate)) => format!(
            "; on CPU {:.0}% of the wall time, idle-machine estimate {estimate:.0}/s",
            100.0 * share
        ),
        _ => String::new(),
    }
}

fn report(label: &str, unit: &str, rates: &Rates, items: usize, target: f64) {
    println!("{label} {unit}/s: {:.0}", rates.median);
    println!(
        "  median of {REPS} runs of {items} {unit} (min {:.0}, max {:.0}{}); target: >= {target:.0} {unit}/s: {}",
        rates.min,
        rates.max,
        cpu_share(rates),
        verdict(rates.median >= target),
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

/// What the Python peer reported: its median fold events/s, its idle-machine estimate, and
/// its median rebuild (decode and fold) events/s.
struct PythonFold {
    rate: f64,
    idle_estimate: Option<f64>,
    rebuild: Option<f64>,
}

/// Runs the Python peer; `None` when it could not run.
fn python_peer(events_path: &Path, expected_summary: &str) -> Option<PythonFold> {
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
    if !output.status.success() {
        println!(
            "python peer: failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
        return None;
    }
    let (mut rate, mut idle_estimate, mut rebuild) = (None, None, None);
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        println!("{line}");
        if let Some(value) = line.strip_prefix("python fold events/s: ") {
            rate = value.trim().parse::<f64>().ok();
        }
        if let Some(value) = line.strip_prefix("python fold idle-machine estimate events/s: ") {
            idle_estimate = value.trim().parse::<f64>().ok();
        }
        if let Some(value) = line.strip_prefix("python rebuild events/s: ") {
            rebuild = value.trim().parse::<f64>().ok();
        }
        if let Some(summary) = line.strip_prefix("python summary: ") {
            let same = expected_summary.strip_prefix("summary: ") == Some(summary);
            println!(
                "python fold agrees with evolve: {}",
                if same { "yes" } else { "NO" }
            );
        }
    }
    rate.map(|rate| PythonFold {
        rate,
        idle_estimate,
        rebuild,
    })
}

fn main() -> Res<()> {
    println!(
        "bench-incident: single thread; {} CPUs visible; load average at start {}",
        cpus_visible(),
        load_average()
    );

    // `bench-incident [evolve|decide|decide-cold|decode|events|python]...` runs only those parts (for
    // profiling); no argument runs everything.
    // `--keep` keeps the events file, to run the Python peer by hand.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args.iter().any(|a| a == "--keep");
    let only: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let want = |part: &str| only.is_empty() || only.iter().any(|o| *o == part);

    let policy = Policy::servicenow();
    let mut rng = Rng::new(SEED);
    let cast = Cast::new(&mut rng)?;

    let started = Instant::now();
    let mut workload = generate(&cast, &policy, &mut rng);
    // Command JSON for the decode pass (empty when that part is not run).
    let json = if want("decode") {
        commands_to_json(&mut workload)?
    } else {
        String::new()
    };
    print_workload(&workload, json.len(), started.elapsed());

    let events_path = scratch_dir().join("bench-incident-events.tsv");
    if want("events") || want("python") {
        let bytes = write_events(&workload, &events_path)?;
        println!(
            "events written to {} ({:.1} MB)",
            events_path.display(),
            bytes as f64 / 1e6
        );
    }

    println!(
        "sizes: Event {} B, Command {} B, State {} B, Incident {} B (boxed), Report {} B",
        std::mem::size_of::<Event>(),
        std::mem::size_of::<Command>(),
        std::mem::size_of::<State>(),
        std::mem::size_of::<Incident>(),
        std::mem::size_of::<Report>(),
    );
    // Lay the events out as a loader reading the log in order would (each event's heap data
    // after the previous one's), rather than interleaved with the generator's garbage.
    workload.events = reload_events(&workload.events)?;
    // Warm-up (page faults, allocator pools), untimed.
    black_box(bench_evolve(&workload));

    let evolve_rates = if want("evolve") {
        Some(evolve_part(&workload)?)
    } else {
        None
    };
    if want("decide") {
        decide_part(&workload, &policy)?;
    }
    if want("decide-cold") {
        decide_cold_part(&workload, &policy)?;
    }
    if want("decode") {
        decode_part(&workload, &policy, &json)?;
    }
    drop(json);
    let rebuild_rates = if want("events") {
        Some(events_part(&workload, &events_path)?)
    } else {
        None
    };
    if want("python") {
        python_part(
            &events_path,
            &workload,
            evolve_rates.as_ref(),
            rebuild_rates.as_ref(),
        );
    }
    if keep {
        println!("events kept in {}", events_path.display());
    } else {
        std::fs::remove_file(&events_path).ok();
    }

    match proc_status("VmHWM:") {
        Some(hwm) => println!("peak RSS: {hwm}"),
        None => println!("peak RSS: unknown (no /proc/self/status)"),
    }
    println!("load average at end {}", load_average());
    Ok(())
}

/// The workload's shape, as the first lines of the report.
fn print_workload(workload: &Workload<'_>, json_bytes: usize, took: Elapsed) {
    let o = &workload.outcomes;
    println!(
        "workload: {} incidents, {} commands ({} with events, {} no-ops, {} refused), {} events, {:.1} MB of command JSON; generated in {:.2} s",
        workload.spans.len(),
        workload.steps.len(),
        o.with_events,
        o.no_op,
        o.refused,
        workload.events.len(),
        json_bytes as f64 / 1e6,
        took.as_secs_f64(),
    );
    println!("rust {}", workload.summary);
}

/// `evolve` over the whole log, with two diagnostics: the events in cache, and as the host's
/// loop runs it.
fn evolve_part(workload: &Workload<'_>) -> Res<Rates> {
    let (rates, n) = measure(|| Ok(bench_evolve(workload)))?;
    report("evolve", "events", &rates, n, TARGET_EVOLVE);
    // Diagnostic: the same fold when the events are already in the CPU caches.
    let (hot, n) = measure(|| Ok(bench_evolve_hot(workload)))?;
    println!(
        "  diagnostic: evolve with the events in cache (first {HOT_INCIDENTS} incidents folded {HOT_ROUNDS} times): median {:.0} events/s (min {:.0}, max {:.0}, {n} events per run{})",
        hot.median,
        hot.min,
        hot.max,
        cpu_share(&hot)
    );
    // Diagnostic: as the host's loop runs it, on events just produced.
    let (host, n) = measure(|| Ok(bench_evolve_host(workload)))?;
    println!(
        "  diagnostic: evolve as in the host's loop ({CHUNK} incidents at a time, their events just made, as by decide or a loader): median {:.0} events/s (min {:.0}, max {:.0}, {n} events per run{})",
        host.median,
        host.min,
        host.max,
        cpu_share(&host)
    );
    Ok(rates)
}

/// `decide` in waves of incidents, and the permission check alone.
fn decide_part(workload: &Workload<'_>, policy: &Policy) -> Res<()> {
    println!(
        "  decide method: {CHUNK} incidents at a time are replayed in waves: the k-th command of each is decided against its current state (timed, with dropping the result), then its events are folded in (untimed)"
    );
    let (rates, n) = measure(|| bench_decide(workload, policy, CHUNK, None))?;
    report("decide", "commands", &rates, n, TARGET_DECIDE);
    // Diagnostic: the role check `decide` makes first, alone.
    let (perm, n) = measure(|| Ok(bench_permissions(workload, policy)))?;
    println!(
        "  diagnostic: the permission check alone (Permissions::check for each of {n} commands): median {:.0} ns per check (idle-machine estimate {:.0} ns)",
        1e9 / perm.median.max(1.0),
        1e9 / perm.on_cpu_median.unwrap_or(perm.median).max(1.0),
    );
    Ok(())
}

/// `decide` with states beyond the caches (a diagnostic).
fn decide_cold_part(workload: &Workload<'_>, policy: &Policy) -> Res<()> {
    let (cold, _) = measure(|| bench_decide(workload, policy, CHUNK_COLD, None))?;
    println!(
        "  diagnostic: decide with cold states ({CHUNK_COLD} incidents per wave, beyond the caches): median {:.0} commands/s (min {:.0}, max {:.0}{})",
        cold.median,
        cold.min,
        cold.max,
        cpu_share(&cold)
    );
    Ok(())
}

/// Command JSON decoded then decided, and decoded alone.
fn decode_part(workload: &Workload<'_>, policy: &Policy, json: &str) -> Res<()> {
    let (rates, n) = measure(|| bench_decide(workload, policy, CHUNK, Some(json)))?;
    report("decode+decide", "commands", &rates, n, TARGET_JSON);
    // Diagnostic: the decoding alone.
    let (alone, n) = measure(|| bench_command_decode(json))?;
    println!(
        "  diagnostic: command JSON decode alone ({n} lines): median {:.0} commands/s (min {:.0}, max {:.0}{})",
        alone.median,
        alone.min,
        alone.max,
        cpu_share(&alone)
    );
    Ok(())
}

/// The stored event log: its round trip, its decoding, and a rebuild (decode and fold).
fn events_part(workload: &Workload<'_>, events_path: &Path) -> Res<Rates> {
    let lines = std::fs::read_to_string(events_path)?;
    // The lines round-trip to the very events, through both decoders (checked once,
    // untimed).
    let mut round_trip = true;
    for (line, event) in lines.lines().zip(&workload.events) {
        for decoder in [Decoder::FromJson, Decoder::SerdeJson] {
            let (id, decoded) = decode_line(line, decoder)?;
            round_trip &= decoded == *event && !id.0.is_nil();
        }
    }
    println!(
        "event JSON round trip (Event::from_json and serde_json): {}",
        if round_trip { "identical" } else { "DIFFERS" }
    );
    let (rates, n) = measure(|| bench_event_decode(&lines, Decoder::FromJson))?;
    report("event JSON decode", "events", &rates, n, TARGET_JSON);
    // Diagnostic: the same lines, the events decoded by serde_json.
    let (serde, n) = measure(|| bench_event_decode(&lines, Decoder::SerdeJson))?;
    println!(
        "event JSON decode with serde_json events/s: {:.0}",
        serde.median
    );
    println!(
        "  diagnostic: the same {n} lines, each event decoded by serde_json::from_str::<Event> (min {:.0}, max {:.0}{})",
        serde.min,
        serde.max,
        cpu_share(&serde)
    );
    let (rates, n) = measure(|| bench_rebuild(&lines, workload))?;
    report("rebuild", "events", &rates, n, TARGET_JSON);
    Ok(rates)
}

/// The Python peer over the same events, and the ratios.
fn python_part(
    events_path: &Path,
    workload: &Workload<'_>,
    evolve_rates: Option<&Rates>,
    rebuild_rates: Option<&Rates>,
) {
    let Some(python) = python_peer(events_path, &workload.summary) else {
        return;
    };
    match evolve_rates {
        Some(rust) => {
            println!(
                "ratio evolve vs python: {:.1}",
                rust.median / python.rate.max(1.0)
            );
            if let (Some(rust), Some(python)) = (rust.on_cpu_median, python.idle_estimate) {
                println!(
                    "  ratio of the idle-machine estimates (the two medians were taken at different moments of the machine's load): {:.1}",
                    rust / python.max(1.0)
                );
            }
        }
        None => println!("ratio evolve vs python: not measured (evolve skipped)"),
    }
    if let (Some(rust), Some(python)) = (rebuild_rates, python.rebuild) {
        println!(
            "ratio rebuild vs python rebuild: {:.1}",
            rust.median / python.max(1.0)
        );
    }
}
