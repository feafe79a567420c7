//! Random timelines under random definitions, with the invariants checked after every step.
//!
//! Views draw states, categories, priorities, groups and a `vip` field at random, at times
//! that move forward (sometimes not at all); definitions draw their conditions from small
//! pools, and their pause mode, reopen mode, retroactive start, thresholds, escalations and
//! target at random; once around the clock (no calendar, or the 24x7 one) and once on the
//! office calendars. The host's loop is run by hand (`decide` + `evolve`, ticking at
//! `next_deadline`) and compared with `replay`. Seeds are fixed, so every run tries the same
//! cases; failures are persisted in `proptest-regressions/` and replayed first.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_sla::{
    AlarmKind, Calendars, Clocks, Condition, Context, CycleStart, Definition, Definitions, Error,
    EscalationRule, Event, Input, PauseMode, ReopenMode, Selection, Stage, Target, TicketView,
    decide, evolve, measure, next_deadline, replay,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};

const CASES: u32 = 256;
const MAX_STEPS: usize = 18;

// ---------------------------------------------------------------------------------------
// strategies

fn start_condition() -> impl Strategy<Value = Condition> {
    use Condition::*;
    prop::sample::select(vec![
        Always,
        PriorityIn(vec![1]),
        PriorityIn(vec![1, 2]),
        CategoryIn(vec![New, Open, Pending]),
        Not(Box::new(CategoryIn(vec![Canceled]))),
        FieldIn {
            field: "vip".into(),
            values: vec!["yes".into()],
        },
        StateIn(vec!["new".into(), "work".into(), "wait".into()]),
        All(vec![
            PriorityIn(vec![1, 2]),
            Not(Box::new(CategoryIn(vec![Canceled]))),
        ]),
    ])
}

fn stop_condition() -> impl Strategy<Value = Condition> {
    use Condition::*;
    prop::sample::select(vec![
        CategoryIn(vec![Resolved, Closed]),
        CategoryIn(vec![Resolved, Closed, Canceled]),
        StateIn(vec!["done".into(), "closed".into()]),
        Not(Box::new(StateIn(vec!["new".into()]))),
        Any(vec![
            GroupIn(vec!["network".into()]),
            CategoryIn(vec![Closed]),
        ]),
    ])
}

fn pause_condition() -> impl Strategy<Value = Condition> {
    use Condition::*;
    prop::sample::select(vec![
        Never,
        CategoryIn(vec![Pending]),
        StateIn(vec!["wait".into()]),
        FieldIn {
            field: "vip".into(),
            values: vec!["no".into()],
        },
    ])
}

fn definition(calendars: &'static [Option<&'static str>]) -> impl Strategy<Value = Definition> {
    let conditions = (
        start_condition(),
        stop_condition(),
        pause_condition(),
        prop_oneof![3 => Just(None), 1 => Just(Some(Condition::CategoryIn(vec![Open])))],
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(Condition::CategoryIn(vec![Canceled]))),
            1 => Just(Some(Condition::Never)),
        ],
        prop_oneof![4 => Just(Condition::Never), 1 => Just(Condition::GroupIn(vec!["network".into()]))],
    );
    let shape = (
        prop::sample::select(vec![
            Target::Response,
            Target::Resolution,
            Target::Custom("fix".into()),
        ]),
        prop::sample::select(vec![1800i64, 3600, 4 * 3600, 8 * 3600, 24 * 3600]),
        prop::sample::select(calendars.to_vec()),
        prop::sample::select(vec![PauseMode::Pause, PauseMode::Freeze, PauseMode::None]),
        prop::sample::select(vec![
            ReopenMode::NewCycle,
            ReopenMode::Continue,
            ReopenMode::PauseWhileResolved,
        ]),
        any::<bool>(),
        prop::sample::subsequence(vec![25u16, 50, 75, 150], 0..=4),
        prop::sample::subsequence(vec![("pre", -1800i64), ("zero", 0), ("post", 3600)], 0..=3),
    );
    let options = (any::<bool>(), any::<bool>());
    (conditions, shape, options).prop_map(
        |(
            (start, stop, pause, resume, cancel, reset),
            (target, seconds, calendar, pause_mode, reopen, retro, thresholds, escalations),
            (retro_pause, from_field),
        )| {
            let mut d = Definition::new(String::new(), target, Duration::seconds(seconds));
            d.calendar = calendar.map(str::to_owned);
            d.start = start;
            d.stop = stop;
            d.pause = pause;
            d.resume = resume;
            d.cancel = cancel;
            d.reset = reset;
            d.pause_mode = pause_mode;
            d.retroactive_start = retro.then(|| "opened_at".to_owned());
            d.thresholds = thresholds;
            d.escalations = escalations
                .into_iter()
                .map(|(name, offset)| EscalationRule::new(name, Duration::seconds(offset)))
                .collect();
            d.reopen = reopen;
            d.retroactive_pause = retro_pause;
            if from_field {
                d.new_cycle_start = CycleStart::FromField;
            }
            d
        },
    )
}

/// A view without its timestamps.
fn view_shape() -> impl Strategy<Value = TicketView> {
    (
        prop::sample::select(vec!["new", "work", "wait", "done", "closed"]),
        prop::option::weighted(
            0.9,
            prop::sample::select(vec![New, Open, Pending, Resolved, Closed, Canceled]),
        ),
        prop::option::weighted(0.9, 1..=4u8),
        prop::option::of(prop::sample::select(vec!["network", "desk"])),
        prop::option::of(prop::sample::select(vec!["yes", "no"])),
    )
        .prop_map(|(state, category, priority, group, vip)| {
            let mut v = TicketView::default();
            v.state = state.into();
            v.category = category;
            v.priority = priority;
            v.group = group.map(str::to_owned);
            if let Some(vip) = vip {
                v.fields.insert("vip".into(), vip.into());
            }
            v
        })
}

/// Minutes to the next view: often none, often short, sometimes days.
fn gap() -> impl Strategy<Value = i64> {
    prop_oneof![
        1 => Just(0i64),
        3 => 1..=120i64,
        2 => 121..=1440i64,
        1 => 1441..=4320i64,
    ]
}

#[derive(Debug, Clone)]
struct Case {
    definitions: Vec<Definition>,
    selection: Selection,
    timeline: Vec<(DateTime<Utc>, TicketView)>,
    until: DateTime<Utc>,
}

fn case(calendars: &'static [Option<&'static str>]) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(definition(calendars), 1..=4),
        prop::sample::select(vec![
            Selection::All,
            Selection::FirstMatch,
            Selection::ShortestTarget,
            Selection::ShortestTargetRecomputed,
        ]),
        0..7 * 24 * 60i64,
        prop::option::weighted(0.7, 0..=2880i64),
        prop::collection::vec((gap(), view_shape()), 1..=MAX_STEPS),
    )
        .prop_map(|(mut definitions, selection, offset, opened, steps)| {
            for (i, d) in definitions.iter_mut().enumerate() {
                d.id = format!("d{i}");
            }
            let first = at(MON, 0, 0) + Duration::minutes(offset);
            let mut t = first;
            let mut timeline = Vec::new();
            for (gap, mut view) in steps {
                t += Duration::minutes(gap);
                if let Some(before) = opened {
                    view.times
                        .insert("opened_at".into(), first - Duration::minutes(before));
                }
                timeline.push((t, view));
            }
            Case {
                definitions,
                selection,
                timeline,
                until: t + Duration::days(10),
            }
        })
}

// ---------------------------------------------------------------------------------------
// the host's loop, by hand, with the invariants after every step

type Key = (String, u32);

/// The figures that must never go down, per clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Monotone {
    breached: bool,
    paused_business: Duration,
    paused_actual: Duration,
    business_paused: Duration,
    actual_paused: Duration,
    business_elapsed: Duration,
}

struct Host<'a> {
    defs: &'a Definitions,
    calendars: &'a Calendars,
    clocks: Clocks,
    events: Vec<Event>,
    last_input: Option<DateTime<Utc>>,
    seen: BTreeMap<Key, Monotone>,
    /// The last view, as `replay` keeps it for the next one's `previous`.
    before: Option<TicketView>,
}

fn fail(what: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(what.to_string())
}

impl Host<'_> {
    fn ctx(&self, now: DateTime<Utc>) -> Context<'_> {
        Context::new(now, self.defs, self.calendars)
    }

    fn def(&self, id: &str) -> &Definition {
        self.defs.list().iter().find(|d| d.id == id).unwrap()
    }

    fn decide(&self, input: &Input, now: DateTime<Utc>) -> Result<Vec<Event>, TestCaseError> {
        decide(&self.clocks, input, &self.ctx(now))
            .map_err(|e| fail(format!("decide({input:?}) at {now}: {e}")))
    }

    fn fold(&mut self, events: Vec<Event>, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        for e in &events {
            self.clocks = evolve(std::mem::take(&mut self.clocks), e);
            // The figures seen follow a clock when a recomputed goal renames it; a new clock
            // may take a name that was left.
            match e {
                Event::Retargeted {
                    definition,
                    cycle,
                    to,
                    to_cycle,
                    ..
                } => {
                    if let Some(f) = self.seen.remove(&(definition.clone(), *cycle)) {
                        self.seen.insert((to.clone(), *to_cycle), f);
                    }
                }
                Event::Attached { clock } => {
                    self.seen
                        .remove(&(clock.definition().to_owned(), clock.cycle()));
                }
                _ => {}
            }
        }
        self.events.extend(events);
        self.last_input = Some(now);
        self.invariants(now)
    }

    /// Ticks at every deadline before `t` (or up to it, when `inclusive`), the way
    /// `replay` does, checking that a tick just before a deadline does nothing and a tick at
    /// it fires exactly the alarms due.
    fn tick_until(&mut self, t: DateTime<Utc>, inclusive: bool) -> Result<(), TestCaseError> {
        while let Some(due) = next_deadline(&self.clocks) {
            if due > t || (!inclusive && due == t) {
                break;
            }
            if let Some(last) = self.last_input {
                prop_assert!(due >= last, "a deadline {due} before the last input {last}");
                let probe = due - Duration::nanoseconds(1);
                if probe >= last {
                    prop_assert_eq!(self.decide(&Input::Tick, probe)?, vec![]);
                }
            }
            let mut expected: Vec<(Key, AlarmKind, DateTime<Utc>)> = self
                .clocks
                .clocks()
                .iter()
                .filter(|c| c.stage() == Stage::InProgress)
                .flat_map(|c| {
                    c.alarms().iter().filter(|a| a.at() <= due).map(|a| {
                        (
                            (c.definition().to_owned(), c.cycle()),
                            a.kind().clone(),
                            a.at(),
                        )
                    })
                })
                .collect();
            expected.sort();
            let events = self.decide(&Input::Tick, due)?;
            let mut got = Vec::new();
            for e in &events {
                let fired = match e {
                    Event::ThresholdReached {
                        definition,
                        cycle,
                        percent,
                        at,
                    } => (definition, cycle, AlarmKind::Threshold(*percent), at),
                    Event::Breached {
                        definition,
                        cycle,
                        at,
                    } => (definition, cycle, AlarmKind::Breach, at),
                    Event::EscalationDue {
                        definition,
                        cycle,
                        name,
                        at,
                    } => (definition, cycle, AlarmKind::Escalation(name.clone()), at),
                    other => return Err(fail(format!("a tick emitted {other:?}"))),
                };
                got.push(((fired.0.clone(), *fired.1), fired.2, *fired.3));
            }
            prop_assert!(
                got.windows(2).all(|w| w[0].2 <= w[1].2),
                "alarms out of time order: {:?}",
                got
            );
            got.sort();
            prop_assert_eq!(got, expected);
            self.fold(events, due)?;
        }
        Ok(())
    }

    fn update(&mut self, view: &TicketView, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        // What `replay` documents: each view gets the one before as `previous`, dated, with
        // the whole history when a definition pauses retroactively.
        let mut view = view.clone();
        if view.previous.is_none() {
            view.previous = self.before.take().map(Box::new);
        }
        let mut last = view.clone();
        last.updated_at = last.updated_at.or(Some(now));
        if !self.defs.list().iter().any(|d| d.retroactive_pause) {
            last.previous = None;
        }
        self.before = Some(last);
        let view = &view;
        if let Some(last) = self.clocks.last_input() {
            let early = last - Duration::seconds(1);
            let refused = decide(&self.clocks, &Input::Update(view.clone()), &self.ctx(early));
            prop_assert_eq!(refused, Err(Error::ClockWentBackwards { last, now: early }));
        }
        let events = self.decide(&Input::Update(view.clone()), now)?;
        for e in &events {
            let stamped = match e {
                Event::Attached { clock } => clock.attached_at() == now,
                Event::Paused { at, .. }
                | Event::Resumed { at, .. }
                | Event::Completed { at, .. }
                | Event::Canceled { at, .. }
                | Event::Retargeted { at, .. } => *at == now,
                Event::ThresholdReached { at, .. }
                | Event::Breached { at, .. }
                | Event::EscalationDue { at, .. } => *at <= now,
            };
            prop_assert!(stamped, "{e:?} at {now}");
        }
        self.fold(events, now)
    }

    fn invariants(&mut self, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        let mut running: BTreeMap<&str, usize> = BTreeMap::new();
        let mut running_kinds: BTreeMap<Target, usize> = BTreeMap::new();
        for c in self.clocks.clocks() {
            let def = self.def(c.definition()).clone();
            let ctx = format!("{c:#?} at {now}");
            prop_assert!(
                c.deadline() >= c.original_deadline(),
                "deadline moved in: {}",
                ctx
            );
            // (A recomputed goal keeps the pauses of the definition the clock ran under.)
            if def.pause_mode != PauseMode::Pause
                && def.reopen != ReopenMode::PauseWhileResolved
                && c.target().is_none()
            {
                prop_assert_eq!(c.deadline(), c.original_deadline(), "{}", ctx);
            }
            prop_assert!(c.start() <= c.attached_at(), "{}", ctx);
            prop_assert!(c.alarms().windows(2).all(|w| w[0] <= w[1]), "{}", ctx);
            match c.stage() {
                Stage::InProgress => {
                    prop_assert!(
                        c.ended_at().is_none() && c.paused_since().is_none(),
                        "{}",
                        ctx
                    );
                    // Everything due has fired.
                    prop_assert!(c.alarms().iter().all(|a| a.at() > now), "{}", ctx);
                    if c.target().is_none() {
                        prop_assert_eq!(c.is_breached(), c.deadline() <= now, "{}", ctx);
                    } else {
                        // A recomputed goal may move the deadline out after a breach,
                        // which stays.
                        prop_assert!(c.is_breached() || c.deadline() > now, "{}", ctx);
                    }
                }
                Stage::Paused => {
                    prop_assert!(
                        c.ended_at().is_none() && c.paused_since().is_some(),
                        "{}",
                        ctx
                    );
                }
                Stage::Completed | Stage::Canceled => {
                    prop_assert!(c.ended_at().is_some_and(|e| e <= now), "{}", ctx);
                }
            }
            if matches!(c.stage(), Stage::InProgress | Stage::Paused) {
                *running.entry(c.definition()).or_default() += 1;
                *running_kinds.entry(c.kind().clone()).or_default() += 1;
            }
            let m = measure(c, now, self.defs, self.calendars)
                .map_err(|e| fail(format!("measure: {e}; {ctx}")))?;
            let figures = Monotone {
                breached: c.is_breached(),
                paused_business: c.paused_business(),
                paused_actual: c.paused_actual(),
                business_paused: m.business_paused,
                actual_paused: m.actual_paused,
                business_elapsed: m.business_elapsed,
            };
            let key = (c.definition().to_owned(), c.cycle());
            if let Some(before) = self.seen.get(&key) {
                prop_assert!(
                    figures.breached >= before.breached
                        && figures.paused_business >= before.paused_business
                        && figures.paused_actual >= before.paused_actual
                        && figures.business_paused >= before.business_paused
                        && figures.actual_paused >= before.actual_paused
                        && figures.business_elapsed >= before.business_elapsed,
                    "went down: {:?} -> {:?}; {}",
                    before,
                    figures,
                    ctx
                );
            }
            self.seen.insert(key, figures);
            // Elapsed and paused time add up to the span, in business and in wall time.
            let end = c.ended_at().unwrap_or(now).max(c.start());
            prop_assert_eq!(
                m.business_elapsed + m.business_paused,
                business_between(
                    self.calendars,
                    c.calendar().or(def.calendar.as_deref()),
                    c.start(),
                    end
                ),
                "{}",
                ctx
            );
            prop_assert_eq!(
                m.actual_elapsed + m.actual_paused,
                end - c.start(),
                "{}",
                ctx
            );
            let target = c.target().unwrap_or(def.target);
            if def.pause_mode != PauseMode::Freeze {
                // Pausing moves the deadline by exactly the paused business time: the time
                // left is the target less the business time elapsed, and the breach is
                // reported exactly when the target is used up, never early, never late.
                prop_assert_eq!(m.time_left, target - m.business_elapsed, "{}", ctx);
                if c.target().is_none() {
                    prop_assert_eq!(
                        c.is_breached(),
                        m.percent_hundredths >= 10_000,
                        "{:?} {}",
                        m,
                        ctx
                    );
                } else {
                    prop_assert!(c.is_breached() || m.percent_hundredths < 10_000, "{}", ctx);
                }
            } else if c.stage() == Stage::Completed {
                // Frozen or not, a clock completed after its (unmoved) deadline breached.
                prop_assert_eq!(
                    c.is_breached(),
                    c.ended_at().is_some_and(|e| c.deadline() <= e),
                    "{}",
                    ctx
                );
            }
        }
        prop_assert!(running.values().all(|n| *n <= 1), "{:?}", running);
        // Issue 21: reopens of the continue-style modes go through the selection too.
        if self.defs.selection() != Selection::All {
            prop_assert!(
                running_kinds.values().all(|n| *n <= 1),
                "{:?}",
                running_kinds
            );
        }
        Ok(())
    }
}

fn business_between(
    calendars: &Calendars,
    calendar: Option<&str>,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
) -> Duration {
    match calendar {
        None => b - a,
        Some(name) => calendars[name].duration(&a, &b).unwrap(),
    }
}

/// What the cases exercised, so that a generator that stops reaching a path fails the test.
fn tally(events: &[Event], defs: &Definitions, seen: &mut BTreeMap<String, usize>) {
    let mut count = |what: String| *seen.entry(what).or_default() += 1;
    let mode = |id: &str| {
        let d = defs.list().iter().find(|d| d.id == id).unwrap();
        (d.pause_mode, d.reopen)
    };
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::Attached { clock } => {
                count("attached".into());
                if clock.cycle() > 1 {
                    count("attached a later cycle".into());
                }
                if clock.start() < clock.attached_at() {
                    count("retroactive start".into());
                }
                let paused_at_once = events[i..].iter().any(|later| {
                    matches!(later, Event::Paused { definition, cycle, at }
                        if *definition == clock.definition()
                            && *cycle == clock.cycle()
                            && *at == clock.attached_at())
                });
                if paused_at_once {
                    count("paused from the start".into());
                }
            }
            Event::Paused { .. } => count("paused".into()),
            Event::Resumed {
                definition,
                reopened,
                ..
            } => {
                let verb = if *reopened { "reopened" } else { "resumed" };
                count(format!("{verb} {:?}", mode(definition).1));
            }
            Event::ThresholdReached { .. } => count("threshold".into()),
            Event::Breached { definition, .. } => {
                count(format!("breached in {:?} mode", mode(definition).0));
            }
            Event::EscalationDue { .. } => count("escalation".into()),
            Event::Completed { breached, .. } => {
                count(format!("completed breached={breached}"));
            }
            Event::Canceled { .. } => count("canceled".into()),
            Event::Retargeted { .. } => count("retargeted".into()),
        }
    }
}

fn run_case(
    case: &Case,
    calendars: &Calendars,
    seen: &mut BTreeMap<String, usize>,
) -> Result<(), TestCaseError> {
    let defs = Definitions::new(case.definitions.clone(), case.selection).unwrap();
    let mut host = Host {
        defs: &defs,
        calendars,
        clocks: Clocks::new(),
        events: Vec::new(),
        last_input: None,
        seen: BTreeMap::new(),
        before: None,
    };
    for (t, view) in &case.timeline {
        host.tick_until(*t, false)?;
        host.update(view, *t)?;
    }
    host.tick_until(case.until, true)?;
    prop_assert_eq!(
        next_deadline(&host.clocks).filter(|d| *d <= case.until),
        None
    );

    // The replay is the same loop.
    let replayed = replay(&case.timeline, &defs, calendars, Some(case.until))
        .map_err(|e| fail(format!("replay: {e}")))?;
    prop_assert_eq!(&replayed.clocks, &host.clocks);
    prop_assert_eq!(&replayed.events, &host.events);
    // The clocks are the fold of their events.
    let folded = replayed.events.iter().fold(Clocks::new(), evolve);
    prop_assert_eq!(&folded, &replayed.clocks);
    tally(&replayed.events, &defs, seen);

    // Each alarm fires at most once per cycle, never before its clock's start; cycles count
    // up from 1 per definition.
    let mut fired: BTreeMap<(Key, AlarmKind), usize> = BTreeMap::new();
    // Each clock's start by its current (definition, cycle), followed through renames.
    let mut starts: BTreeMap<Key, DateTime<Utc>> = BTreeMap::new();
    for e in &replayed.events {
        let (definition, cycle, kind, at) = match e {
            Event::Attached { clock } => {
                let key = (clock.definition().to_owned(), clock.cycle());
                fired.retain(|(k, _), _| *k != key);
                starts.insert(key, clock.start());
                continue;
            }
            Event::ThresholdReached {
                definition,
                cycle,
                percent,
                at,
            } => (definition, cycle, AlarmKind::Threshold(*percent), at),
            Event::Breached {
                definition,
                cycle,
                at,
            } => (definition, cycle, AlarmKind::Breach, at),
            Event::EscalationDue {
                definition,
                cycle,
                name,
                at,
            } => (definition, cycle, AlarmKind::Escalation(name.clone()), at),
            // A recomputed goal moves a clock to another (definition, cycle): what it fired
            // and its start move with it.
            Event::Retargeted {
                definition,
                cycle,
                to,
                to_cycle,
                ..
            } => {
                let (old, new) = ((definition.clone(), *cycle), (to.clone(), *to_cycle));
                let moved: Vec<_> = fired.keys().filter(|(k, _)| *k == old).cloned().collect();
                for key in moved {
                    let n = fired.remove(&key).unwrap();
                    fired.insert((new.clone(), key.1), n);
                }
                if let Some(start) = starts.remove(&old) {
                    starts.insert(new, start);
                }
                continue;
            }
            _ => continue,
        };
        let start = starts[&(definition.clone(), *cycle)];
        if !matches!(kind, AlarmKind::Escalation(_)) {
            prop_assert!(*at >= start, "{e:?} before {:?}", start);
        }
        let n = fired
            .entry(((definition.clone(), *cycle), kind))
            .or_default();
        *n += 1;
        prop_assert_eq!(*n, 1, "fired twice: {:?}", e);
    }
    // Per definition, the cycles are 1, 2, ... (in attach order, unless a recomputed goal
    // moved a clock in).
    let mut cycles: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for c in replayed.clocks.clocks() {
        cycles.entry(c.definition()).or_default().push(c.cycle());
    }
    for (definition, mut list) in cycles {
        if defs.selection() != Selection::ShortestTargetRecomputed {
            prop_assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{}: {:?}",
                definition,
                list
            );
        }
        list.sort_unstable();
        let expected: Vec<u32> = (1..).take(list.len()).collect();
        prop_assert_eq!(list, expected, "{}", definition);
    }
    Ok(())
}

fn run(name: &'static str, seed: u64, calendars: &'static [Option<&'static str>]) {
    let config = Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/properties.txt"
        )))),
        source_file: Some(file!()),
        test_name: Some(name),
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    };
    let cals = common::calendars();
    let mut runner = TestRunner::new(config);
    let seen = RefCell::new(BTreeMap::new());
    if let Err(e) = runner.run(&case(calendars), |case| {
        run_case(&case, &cals, &mut seen.borrow_mut())
    }) {
        panic!("{e}");
    }
    let seen = seen.into_inner();
    let missing: Vec<&str> = [
        "attached",
        "attached a later cycle",
        "retroactive start",
        "paused from the start",
        "paused",
        "resumed NewCycle",
        "resumed Continue",
        "resumed PauseWhileResolved",
        "reopened Continue",
        "reopened PauseWhileResolved",
        "threshold",
        "escalation",
        "breached in Pause mode",
        "breached in Freeze mode",
        "breached in None mode",
        "completed breached=true",
        "completed breached=false",
        "canceled",
        "retargeted",
    ]
    .into_iter()
    .filter(|k| seen.get(*k).is_none_or(|n| *n < 3))
    .collect();
    assert!(
        missing.is_empty(),
        "rarely or never exercised: {missing:?}; seen: {seen:#?}"
    );
}

#[test]
fn random_timelines_around_the_clock_keep_every_invariant() {
    run("around_the_clock", 0x51a_0001, &[None, Some(ALWAYS)]);
}

#[test]
fn random_timelines_on_office_calendars_keep_every_invariant() {
    run(
        "office_calendars",
        0x51a_0002,
        &[Some(OFFICE), Some(OFFICE8), Some(OFFICE), None],
    );
}
