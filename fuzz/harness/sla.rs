//! The fuzz harnesses of SLA clocks, as plain functions of bytes.
//!
//! The libFuzzer targets `sla_timeline`, `sla_definitions_json` and `sla_events_json` call
//! these functions, and so does the stable test `crates/itsm-sla/tests/fuzz_corpus.rs`, which
//! replays every saved input of `fuzz/corpus/<target>/` in `cargo test`.
//!
//! Only std, serde_json, chrono, `itsm-core`, `itsm-calendar` and `itsm-sla` are used; bytes
//! are decoded by hand into small domains (conditions from pools, five calendars, a dozen time
//! steps including "exactly at the next deadline" and "a nanosecond before it"), so short
//! inputs reach deep timelines, and the same bytes always mean the same thing.
//!
//! The host's loop is run by hand, the way [`replay`] documents it: before each view, a tick
//! at every deadline in between (and a probe a nanosecond before each, which must do
//! nothing); then the view. After every step: no panic; `decide` is deterministic; events are
//! stamped with their instant; a tick fires exactly the alarms due; folding the events from
//! nothing reproduces the clocks; a clock's `original_deadline` never moves and its deadline
//! never moves in; counters and measures never go down; elapsed and paused time add up to
//! the span; where pauses move the deadline, the time left is the target less the business
//! time elapsed and the breach comes exactly when the target is used up. At the end,
//! [`replay`] gives the same clocks and events as the loop, or the same error.
//!
//! A function returns normally when all is well and panics (through `assert!`) when an
//! invariant breaks.
//!
//! How [`timeline`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the selection (all, first match, shortest target) and, in bit 7, whether two
//!   definitions share an id;
//! - byte 1: 1 + n % 3 definitions, each read by [`definition`];
//! - then up to 24 steps of (time step, view): the time step (0, 1 ns, 1 s, 1 min, 30 min,
//!   1 h, 4 h, 1 day, 3 days, 40 days, at the next deadline, 1 ns before it, or a probe one
//!   second back that must be refused), then the view (see [`view`]);
//! - then the time to replay until (the last view, 1 hour or 30 days later).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Exception, Holiday, Segment, TimeOfDay, Week};
use itsm_core::Category;
use itsm_sla::{
    Agreement, AlarmKind, Calendars, Clock, Clocks, Condition, Context, Definition, Definitions,
    Error, EscalationRule, Event, Input, PauseMode, ReopenMode, Replay, Selection, Stage, Target,
    TicketView, check, counterfactual, decide, evolve, measure, next_deadline, replay,
};

/// 2026-03-02T09:00:00Z, a Monday, where every timeline starts.
const T0: i64 = 1_772_442_000;

/// At most this many views per input, so each execution stays fast.
const MAX_STEPS: usize = 24;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(T0, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

/// The options whose bit is set in the next byte (the first eight options at most).
fn subset<T: Clone>(b: &mut Bytes<'_>, options: &[T]) -> Vec<T> {
    let mask = b.byte();
    options
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < 8 && mask & (1 << i) != 0)
        .map(|(_, o)| o.clone())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Calendars

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn hm(h: u32, m: u32) -> TimeOfDay {
    TimeOfDay::hm(h, m).unwrap_or(TimeOfDay::MIDNIGHT)
}

fn segment(from: (u32, u32), to: (u32, u32)) -> Segment {
    Segment {
        start: hm(from.0, from.1),
        end: hm(to.0, to.1),
    }
}

fn compile_calendar(
    spec: &CalendarSpec,
    offset: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Calendar> {
    let zone = FixedOffset::east_opt(offset)?;
    Calendar::compile(spec, &zone, from, to).ok()
}

/// The calendars definitions may name: around the clock, an office with a lunch break, an
/// office in Tokyo with a holiday and a Saturday opening, and one that ends on 15 March.
fn calendars() -> &'static Calendars {
    static CALENDARS: OnceLock<Calendars> = OnceLock::new();
    CALENDARS.get_or_init(|| {
        let weekly = |name: &str, segments: &[Segment]| {
            let mut spec = CalendarSpec::always_open(name);
            spec.week = Week::weekdays(segments);
            spec
        };
        let office = weekly("office", &[segment((9, 0), (12, 0)), segment((13, 0), (17, 0))]);
        // A holiday on Wednesday 4 March and an opening on Saturday 7 March, 10:00-14:00,
        // read from their JSON form.
        let mut tokyo = weekly("tokyo", &[segment((8, 30), (17, 30))]);
        tokyo.holidays = serde_json::from_str::<Vec<Holiday>>(
            r#"[{"kind": "date", "date": "2026-03-04", "name": "closed"}]"#,
        )
        .unwrap_or_default();
        tokyo.exceptions = serde_json::from_str::<Vec<Exception>>(
            r#"[{"name": "saturday", "start": "2026-03-07T10:00:00", "end": "2026-03-07T14:00:00", "open": true}]"#,
        )
        .unwrap_or_default();
        assert_eq!(
            (tokyo.holidays.len(), tokyo.exceptions.len()),
            (1, 1),
            "the Tokyo calendar's holiday and exception read"
        );
        let short = weekly("short", &[segment((9, 0), (17, 0))]);
        let year = (day(2026, 1, 1), day(2027, 1, 1));
        [
            ("24x7", CalendarSpec::always_open("24x7"), 0, year),
            ("office", office, 0, year),
            ("tokyo", tokyo, 9 * 3600, year),
            ("short", short, 0, (day(2026, 3, 1), day(2026, 3, 15))),
        ]
        .into_iter()
        .filter_map(|(name, spec, offset, (from, to))| {
            Some((name.to_owned(), compile_calendar(&spec, offset, from, to)?))
        })
        .collect()
    })
}

// ---------------------------------------------------------------------------------------------
// Decoding

fn condition(b: &mut Bytes<'_>, pool: &[Condition], depth: u8) -> Condition {
    let n = pool.len();
    let i = b.pick(n + 3);
    match pool.get(i) {
        Some(c) => c.clone(),
        None if depth == 0 => Condition::Always,
        None => match i - n {
            0 => Condition::All(vec![
                condition(b, pool, depth - 1),
                condition(b, pool, depth - 1),
            ]),
            1 => Condition::Any(vec![
                condition(b, pool, depth - 1),
                condition(b, pool, depth - 1),
            ]),
            _ => Condition::Not(Box::new(condition(b, pool, depth - 1))),
        },
    }
}

fn states(names: &[&str]) -> Condition {
    Condition::StateIn(names.iter().map(|s| (*s).to_owned()).collect())
}

fn start_pool() -> Vec<Condition> {
    use Category::*;
    vec![
        Condition::Always,
        Condition::PriorityIn(vec![1]),
        Condition::PriorityIn(vec![1, 2]),
        Condition::CategoryIn(vec![New, Open, Pending]),
        Condition::Not(Box::new(Condition::CategoryIn(vec![Canceled]))),
        Condition::FieldIn {
            field: "vip".to_owned(),
            values: vec!["yes".to_owned()],
        },
        states(&["new", "work", "wait"]),
        Condition::Never,
    ]
}

fn stop_pool() -> Vec<Condition> {
    use Category::*;
    vec![
        Condition::CategoryIn(vec![Resolved, Closed]),
        Condition::CategoryIn(vec![Resolved, Closed, Canceled]),
        states(&["done", "closed"]),
        Condition::Not(Box::new(states(&["new"]))),
        Condition::GroupIn(vec!["network".to_owned()]),
        Condition::Never,
    ]
}

fn pause_pool() -> Vec<Condition> {
    vec![
        Condition::Never,
        Condition::CategoryIn(vec![Category::Pending]),
        states(&["wait"]),
        Condition::FieldIn {
            field: "vip".to_owned(),
            values: vec!["no".to_owned()],
        },
        Condition::Always,
    ]
}

const TARGETS: [i64; 16] = [
    1,
    60,
    1_800,
    3_600,
    3_600,
    4 * 3_600,
    4 * 3_600,
    8 * 3_600,
    8 * 3_600,
    24 * 3_600,
    7 * 86_400,
    30 * 86_400,
    1_000_000_000_000,
    i64::MAX,
    0,
    -5,
];

/// One definition: its id, target kind, agreement, target (16 choices, two of them not
/// positive), calendar (none, `24x7`, `office`, `tokyo`, `short`, or one that is not given; 8 choices),
/// start, stop and pause conditions (from pools, or two of them combined), resume, cancel
/// and reset, pause mode, retroactive start, thresholds, escalations and reopen mode.
fn definition(b: &mut Bytes<'_>, id: String) -> Definition {
    let target = b.choose(
        &[
            Target::Response,
            Target::Resolution,
            Target::Custom("fix".to_owned()),
        ],
        Target::Resolution,
    );
    let agreement = b.choose(
        &[
            Agreement::Sla,
            Agreement::Ola,
            Agreement::UnderpinningContract,
        ],
        Agreement::Sla,
    );
    let target_seconds = b.choose(&TARGETS, 3_600);
    let calendar = b.choose(
        &[
            None,
            None,
            Some("24x7"),
            Some("office"),
            Some("office"),
            Some("tokyo"),
            Some("short"),
            Some("missing"),
        ],
        None,
    );
    let start = condition(b, &start_pool(), 2);
    let stop = condition(b, &stop_pool(), 2);
    let pause = condition(b, &pause_pool(), 1);
    let resume = match b.pick(4) {
        0 => Some(Condition::CategoryIn(vec![Category::Open])),
        1 => Some(Condition::Never),
        _ => None,
    };
    let cancel = match b.pick(4) {
        0 => Some(Condition::CategoryIn(vec![Category::Canceled])),
        1 => Some(Condition::Never),
        _ => None,
    };
    let reset = match b.pick(5) {
        0 => Condition::GroupIn(vec!["network".to_owned()]),
        1 => Condition::PriorityIn(vec![1]),
        _ => Condition::Never,
    };
    let pause_mode = b.choose(
        &[PauseMode::Pause, PauseMode::Freeze, PauseMode::None],
        PauseMode::Pause,
    );
    let retroactive_start = match b.pick(3) {
        0 => Some("opened_at".to_owned()),
        1 => Some("missing".to_owned()),
        _ => None,
    };
    let thresholds = subset(b, &[50u16, 75, 25, 0, 100, 150, 1_000, 50]);
    let escalations = subset(
        b,
        &[
            ("pre", -1_800i64),
            ("zero", 0),
            ("post", 3_600),
            ("before-start", -40 * 86_400),
            ("late", 5 * 86_400),
            ("overflow", i64::MIN),
        ],
    )
    .into_iter()
    .map(|(name, offset)| EscalationRule::new(name, seconds(offset)))
    .collect();
    let reopen = b.choose(
        &[
            ReopenMode::NewCycle,
            ReopenMode::Continue,
            ReopenMode::PauseWhileResolved,
        ],
        ReopenMode::NewCycle,
    );
    let mut d = Definition::new(id, target, seconds(target_seconds));
    d.agreement = agreement;
    d.calendar = calendar.map(str::to_owned);
    d.start = start;
    d.stop = stop;
    d.pause = pause;
    d.resume = resume;
    d.cancel = cancel;
    d.reset = reset;
    d.pause_mode = pause_mode;
    d.retroactive_start = retroactive_start;
    d.thresholds = thresholds;
    d.escalations = escalations;
    d.reopen = reopen;
    d
}

/// `s` seconds as a duration, saturating at chrono's range (for the overflowing choices).
fn seconds(s: i64) -> Duration {
    Duration::try_seconds(s).unwrap_or(if s < 0 { Duration::MIN } else { Duration::MAX })
}

/// A view: state, category (or none), priority (or none), group (or none), the `vip` field
/// (or none), and `opened_at` (none, the start of the timeline, an hour ago, or an hour
/// ahead).
fn view(b: &mut Bytes<'_>, now: DateTime<Utc>) -> TicketView {
    use Category::*;
    let mut v = TicketView::default();
    v.state = b
        .choose(&["new", "work", "wait", "done", "closed"], "new")
        .to_owned();
    v.category = b.choose(
        &[
            Some(New),
            Some(Open),
            Some(Pending),
            Some(Resolved),
            Some(Closed),
            Some(Canceled),
            None,
        ],
        None,
    );
    v.priority = b.choose(&[Some(1), Some(2), Some(3), None], None);
    v.group = b
        .choose(&[None, Some("network"), Some("desk")], None)
        .map(str::to_owned);
    if let Some(vip) = b.choose(&[None, Some("yes"), Some("no")], None) {
        v.fields.insert("vip".to_owned(), vip.to_owned());
    }
    let opened = match b.pick(4) {
        0 => None,
        1 => Some(t0()),
        2 => now.checked_sub_signed(Duration::hours(1)),
        _ => now.checked_add_signed(Duration::hours(1)),
    };
    if let Some(t) = opened {
        v.times.insert("opened_at".to_owned(), t);
    }
    v
}

// ---------------------------------------------------------------------------------------------
// The host's loop, by hand

type Key = (String, u32);

/// The figures that must never go down, per clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Monotone {
    breached: bool,
    paused_business: Duration,
    paused_actual: Duration,
    business_paused: Duration,
    actual_paused: Duration,
    business_elapsed: Duration,
}

impl Monotone {
    fn never_below(&self, before: &Monotone) -> bool {
        self.breached >= before.breached
            && self.paused_business >= before.paused_business
            && self.paused_actual >= before.paused_actual
            && self.business_paused >= before.business_paused
            && self.actual_paused >= before.actual_paused
            && self.business_elapsed >= before.business_elapsed
    }
}

struct Host<'a> {
    defs: &'a Definitions,
    calendars: &'a Calendars,
    clocks: Clocks,
    events: Vec<Event>,
    /// The time of the last input, events or not (as `replay` keeps it).
    last_input: Option<DateTime<Utc>>,
    seen: BTreeMap<Key, Monotone>,
    originals: BTreeMap<Key, DateTime<Utc>>,
}

/// The alarm an event fires, if it is one: (clock, kind, instant).
fn fired(e: &Event) -> Option<(Key, AlarmKind, DateTime<Utc>)> {
    match e {
        Event::ThresholdReached {
            definition,
            cycle,
            percent,
            at,
        } => Some((
            (definition.clone(), *cycle),
            AlarmKind::Threshold(*percent),
            *at,
        )),
        Event::Breached {
            definition,
            cycle,
            at,
        } => Some(((definition.clone(), *cycle), AlarmKind::Breach, *at)),
        Event::EscalationDue {
            definition,
            cycle,
            name,
            at,
        } => Some((
            (definition.clone(), *cycle),
            AlarmKind::Escalation(name.clone()),
            *at,
        )),
        _ => None,
    }
}

fn json_round_trip<T>(value: &T) -> Option<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).ok()?;
    serde_json::from_str(&text).ok()
}

impl Host<'_> {
    fn new<'a>(defs: &'a Definitions, calendars: &'a Calendars) -> Host<'a> {
        Host {
            defs,
            calendars,
            clocks: Clocks::new(),
            events: Vec::new(),
            last_input: None,
            seen: BTreeMap::new(),
            originals: BTreeMap::new(),
        }
    }

    fn ctx(&self, now: DateTime<Utc>) -> Context<'_> {
        Context::new(now, self.defs, self.calendars)
    }

    fn def(&self, id: &str) -> Option<&Definition> {
        self.defs.list().iter().find(|d| d.id == id)
    }

    /// One input through `decide`, checked, folded with `evolve`, with every invariant
    /// checked after. Refused the way `replay` refuses it.
    fn step(&mut self, input: &Input, now: DateTime<Utc>) -> Result<(), Error> {
        if let Some(last) = self.last_input {
            if now < last {
                return Err(Error::ClockWentBackwards { last, now });
            }
        }
        let result = decide(&self.clocks, input, &self.ctx(now));
        assert_eq!(
            result,
            decide(&self.clocks, input, &self.ctx(now)),
            "decide is not deterministic"
        );
        let events = match result {
            Ok(events) => events,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                return Err(error);
            }
        };
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
            assert!(stamped, "{e:?} at {now}");
            assert_eq!(
                json_round_trip(e).as_ref(),
                Some(e),
                "event JSON round trip"
            );
        }
        if *input == Input::Tick {
            self.check_tick(&events, now);
        }
        self.clocks.apply(&events);
        self.events.extend(events);
        self.last_input = Some(now);
        self.invariants(now);
        Ok(())
    }

    /// A tick fires exactly the alarms due (each kind once per clock), in time order, and
    /// nothing else.
    fn check_tick(&self, events: &[Event], now: DateTime<Utc>) {
        let mut expected: Vec<(Key, AlarmKind, DateTime<Utc>)> = self
            .clocks
            .clocks()
            .iter()
            .filter(|c| c.stage() == Stage::InProgress)
            .flat_map(|c| {
                c.alarms().iter().filter(|a| a.at() <= now).map(|a| {
                    (
                        (c.definition().to_owned(), c.cycle()),
                        a.kind().clone(),
                        a.at(),
                    )
                })
            })
            .collect();
        expected.sort();
        // Two alarms of one kind (a threshold listed twice) fire once.
        expected.dedup_by(|b, a| (&a.0, &a.1) == (&b.0, &b.1));
        let got: Vec<(Key, AlarmKind, DateTime<Utc>)> = events.iter().filter_map(fired).collect();
        assert_eq!(
            got.len(),
            events.len(),
            "a tick emitted more than alarms: {events:?}"
        );
        assert!(
            got.windows(2).all(|w| matches!(w, [a, b] if a.2 <= b.2)),
            "alarms out of time order: {got:?}"
        );
        let mut got = got;
        got.sort();
        assert_eq!(
            got, expected,
            "a tick at {now} fired other alarms than those due"
        );
    }

    /// Ticks at every deadline before `t` (or up to it, when `inclusive`), as `replay` does,
    /// probing a nanosecond before each deadline: that tick does nothing.
    fn tick_until(&mut self, t: DateTime<Utc>, inclusive: bool) -> Result<(), Error> {
        while let Some(due) = next_deadline(&self.clocks) {
            if due > t || (!inclusive && due == t) {
                break;
            }
            if let Some(last) = self.last_input {
                assert!(due >= last, "a deadline {due} before the last input {last}");
                if let Some(probe) = due.checked_sub_signed(Duration::nanoseconds(1)) {
                    if probe >= last {
                        assert_eq!(
                            decide(&self.clocks, &Input::Tick, &self.ctx(probe)),
                            Ok(Vec::new()),
                            "a tick before the deadline {due} did something"
                        );
                    }
                }
            }
            self.step(&Input::Tick, due)?;
        }
        Ok(())
    }

    /// The events of one clock, for failure messages.
    fn history(&self, definition: &str, cycle: u32) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| {
                let key = match e {
                    Event::Attached { clock } => (clock.definition(), clock.cycle()),
                    Event::Paused {
                        definition, cycle, ..
                    }
                    | Event::Resumed {
                        definition, cycle, ..
                    }
                    | Event::ThresholdReached {
                        definition, cycle, ..
                    }
                    | Event::Breached {
                        definition, cycle, ..
                    }
                    | Event::EscalationDue {
                        definition, cycle, ..
                    }
                    | Event::Completed {
                        definition, cycle, ..
                    }
                    | Event::Canceled {
                        definition, cycle, ..
                    }
                    | Event::Retargeted {
                        definition, cycle, ..
                    } => (definition.as_str(), *cycle),
                };
                key == (definition, cycle)
            })
            .collect()
    }

    fn business_between(
        &self,
        calendar: Option<&str>,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Option<Duration> {
        match calendar {
            None => Some(b - a),
            Some(name) => self.calendars.get(name)?.duration(&a, &b).ok(),
        }
    }

    fn invariants(&mut self, now: DateTime<Utc>) {
        let mut running: BTreeMap<&str, usize> = BTreeMap::new();
        let mut running_kinds: BTreeMap<&Target, usize> = BTreeMap::new();
        let clocks = self.clocks.clocks().to_vec();
        for c in &clocks {
            let def = self.def(c.definition()).cloned();
            assert!(def.is_some(), "a clock of an unknown definition: {c:?}");
            let Some(def) = def else { continue };
            let key = (c.definition().to_owned(), c.cycle());
            // The original deadline never moves; the deadline never moves in, and moves at
            // all only where pauses (or time resolved) move it.
            let original = *self
                .originals
                .entry(key.clone())
                .or_insert(c.original_deadline());
            assert_eq!(
                c.original_deadline(),
                original,
                "the original deadline moved: {c:?}"
            );
            assert!(
                c.deadline() >= c.original_deadline(),
                "the deadline moved in: {c:?}"
            );
            if def.pause_mode != PauseMode::Pause && def.reopen != ReopenMode::PauseWhileResolved {
                assert_eq!(c.deadline(), c.original_deadline(), "{c:?}");
            }
            assert!(c.start() <= c.attached_at(), "{c:?}");
            assert!(
                c.alarms().windows(2).all(|w| matches!(w, [a, b] if a <= b)),
                "alarms out of order: {c:?}"
            );
            match c.stage() {
                Stage::InProgress => {
                    assert!(
                        c.ended_at().is_none() && c.paused_since().is_none(),
                        "{c:?}"
                    );
                    // Everything due has fired.
                    assert!(
                        c.alarms().iter().all(|a| a.at() > now),
                        "due alarms left at {now}: {c:?}"
                    );
                    assert_eq!(
                        c.is_breached(),
                        c.deadline() <= now,
                        "breached at {now}: {c:?}"
                    );
                }
                Stage::Paused => {
                    assert!(
                        c.ended_at().is_none() && c.paused_since().is_some(),
                        "{c:?}"
                    );
                }
                Stage::Completed | Stage::Canceled => {
                    assert!(c.ended_at().is_some_and(|e| e <= now), "{c:?}");
                }
            }
            if matches!(c.stage(), Stage::InProgress | Stage::Paused) {
                *running.entry(c.definition()).or_default() += 1;
                *running_kinds.entry(c.kind()).or_default() += 1;
            }
            // A calendar that ends (`short`) may refuse to measure, and so may a span of more
            // than 292 years (`i64` nanoseconds).
            let m = match measure(c, now, self.defs, self.calendars) {
                Ok(m) => m,
                Err(e) => {
                    assert!(
                        matches!(e, Error::CalendarQuery { .. } | Error::DateOverflow { .. }),
                        "measure: {e}; {c:?}"
                    );
                    continue;
                }
            };
            let figures = Monotone {
                breached: c.is_breached(),
                paused_business: c.paused_business(),
                paused_actual: c.paused_actual(),
                business_paused: m.business_paused,
                actual_paused: m.actual_paused,
                business_elapsed: m.business_elapsed,
            };
            if let Some(before) = self.seen.get(&key) {
                assert!(
                    figures.never_below(before),
                    "went down: {before:?} -> {figures:?}; {c:?} at {now}"
                );
            }
            self.seen.insert(key, figures);
            // Elapsed and paused time add up to the span, in business and in wall time.
            let end = c.ended_at().unwrap_or(now).max(c.start());
            // A clock counts on the calendar the ticket chose, else its definition's.
            let calendar = c.calendar().or(def.calendar.as_deref());
            if let Some(span) = self.business_between(calendar, c.start(), end) {
                assert_eq!(
                    m.business_elapsed + m.business_paused,
                    span,
                    "business time does not add up: {m:?} {c:?} at {now}"
                );
            }
            assert_eq!(
                m.actual_elapsed + m.actual_paused,
                end - c.start(),
                "wall time does not add up: {m:?} {c:?} at {now}"
            );
            // `Definitions::new` refuses targets over 200 years, so every target fits.
            if def.pause_mode != PauseMode::Freeze {
                // A relative target is the clock's own.
                let target = c.target().unwrap_or(def.target);
                // Pausing moves the deadline by exactly the paused business time: the time
                // left is the target less the business time elapsed, and the breach is
                // reported exactly when the target is used up.
                assert_eq!(
                    m.time_left,
                    target - m.business_elapsed,
                    "time left: {m:?} {c:?} at {now}"
                );
                assert_eq!(
                    c.is_breached(),
                    m.percent_hundredths >= 10_000,
                    "breach and percentage disagree: {m:?} {c:?} at {now}"
                );
            } else if def.pause_mode == PauseMode::Freeze && c.stage() == Stage::Completed {
                assert_eq!(
                    c.is_breached(),
                    c.ended_at().is_some_and(|e| c.deadline() <= e),
                    "a frozen clock completed: {c:?}; its events: {:?}; {def:?}",
                    self.history(c.definition(), c.cycle())
                );
            }
        }
        assert!(
            running.values().all(|n| *n <= 1),
            "two running clocks of one definition: {running:?}"
        );
        // Issue 21: a reopen of the continue-style modes goes through the selection too, so
        // an exclusive selection holds one running clock per kind whatever the reopen mode.
        if self.defs.selection() != Selection::All {
            assert!(
                running_kinds.values().all(|n| *n <= 1),
                "two running clocks of one target kind: {running_kinds:?}"
            );
        }
    }
}

/// The clocks of the loop so far and the time of its last input.
type Sim = (Clocks, Option<DateTime<Utc>>);

/// One more view through the host's loop without checks (`None` once an input is refused):
/// the clocks and the time of the last input.
fn simulate(
    mut clocks: Clocks,
    mut last: Option<DateTime<Utc>>,
    view: &TicketView,
    now: DateTime<Utc>,
    defs: &Definitions,
    calendars: &Calendars,
) -> Option<Sim> {
    let mut apply = |clocks: Clocks, input: &Input, t: DateTime<Utc>| -> Option<Clocks> {
        if last.is_some_and(|l| t < l) {
            return None;
        }
        let ctx = Context::new(t, defs, calendars);
        let events = decide(&clocks, input, &ctx).ok()?;
        last = Some(t);
        Some(events.iter().fold(clocks, evolve))
    };
    while let Some(due) = next_deadline(&clocks).filter(|d| *d < now) {
        clocks = apply(clocks, &Input::Tick, due)?;
    }
    clocks = apply(clocks, &Input::Update(view.clone()), now)?;
    Some((clocks, last))
}

/// Runs `timeline` through the host's loop and compares with `replay`; then the checks of
/// the whole run. Returns the replay when it succeeded.
fn run(
    defs: &Definitions,
    calendars: &Calendars,
    timeline: &[(DateTime<Utc>, TicketView)],
    probes: &BTreeSet<usize>,
    until: DateTime<Utc>,
) -> Option<Replay> {
    let mut host = Host::new(defs, calendars);
    let mut outcome: Result<(), Error> = Ok(());
    // What `replay` documents: each view without a `previous` gets the one before, dated by
    // its instant, with the whole history when a definition pauses retroactively (the
    // timelines here are shorter than the 512 views `replay` keeps).
    let history = defs.list().iter().any(|d| d.retroactive_pause);
    let mut before: Option<TicketView> = None;
    for (i, (t, view)) in timeline.iter().enumerate() {
        let mut view = view.clone();
        if view.previous.is_none() {
            view.previous = before.take().map(Box::new);
        }
        let mut last = view.clone();
        last.updated_at = last.updated_at.or(Some(*t));
        if !history {
            last.previous = None;
        }
        before = Some(last);
        let view = &view;
        if probes.contains(&i) {
            // An input a second before the clocks' last event is refused.
            if let Some(last) = host.clocks.last_input() {
                if let Some(early) = last.checked_sub_signed(Duration::seconds(1)) {
                    let refused =
                        decide(&host.clocks, &Input::Update(view.clone()), &host.ctx(early));
                    assert_eq!(refused, Err(Error::ClockWentBackwards { last, now: early }));
                }
            }
        }
        outcome = host
            .tick_until(*t, false)
            .and_then(|()| host.step(&Input::Update(view.clone()), *t));
        if outcome.is_err() {
            break;
        }
    }
    if outcome.is_ok() {
        outcome = host.tick_until(until, true);
        if outcome.is_ok() {
            assert_eq!(
                next_deadline(&host.clocks).filter(|d| *d <= until),
                None,
                "a deadline left before {until}"
            );
        }
    }
    // The replay is the same loop: the same clocks and events, or the same error.
    let replayed = replay(timeline, defs, calendars, Some(until));
    assert_eq!(
        outcome.is_ok(),
        replayed.is_ok(),
        "the loop gave {outcome:?}, replay {replayed:?}"
    );
    let replayed = match (outcome, replayed) {
        (Ok(()), Ok(r)) => r,
        (Err(mine), Err(theirs)) => {
            assert_eq!(mine, theirs, "replay failed differently");
            return None;
        }
        _ => return None,
    };
    assert_eq!(
        (&replayed.clocks, &replayed.events),
        (&host.clocks, &host.events),
        "replay differs from the loop"
    );
    // The clocks are the fold of their events.
    let folded = replayed.events.iter().fold(Clocks::new(), evolve);
    assert_eq!(
        folded, replayed.clocks,
        "folding the events does not give the clocks"
    );
    assert_eq!(
        json_round_trip(&replayed.clocks).as_ref(),
        Some(&replayed.clocks),
        "clocks JSON round trip"
    );
    // Each alarm fires at most once per cycle, never before its clock's start (escalations
    // may be set before it); cycles count up from 1 per definition.
    let mut seen: BTreeSet<(Key, AlarmKind)> = BTreeSet::new();
    for e in &replayed.events {
        let Some((key, kind, at)) = fired(e) else {
            continue;
        };
        let clock = replayed
            .clocks
            .clocks()
            .iter()
            .find(|c| c.definition() == key.0 && c.cycle() == key.1);
        assert!(clock.is_some(), "an alarm of no clock: {e:?}");
        if let Some(clock) = clock {
            if !matches!(kind, AlarmKind::Escalation(_)) {
                assert!(at >= clock.start(), "{e:?} before {}", clock.start());
            }
        }
        assert!(seen.insert((key, kind)), "fired twice: {e:?}");
    }
    let mut cycles: BTreeMap<&str, u32> = BTreeMap::new();
    for c in replayed.clocks.clocks() {
        let n = cycles.entry(c.definition()).or_default();
        *n += 1;
        assert_eq!(c.cycle(), *n, "cycles do not count up: {c:?}");
    }
    // A clock of a definition missing from the definitions given cannot be measured.
    let none = Definitions::new(Vec::new(), Selection::All);
    if let (Some(c), Ok(none)) = (replayed.clocks.clocks().first(), none) {
        assert!(matches!(
            measure(c, until, &none, calendars),
            Err(Error::UnknownDefinition { .. })
        ));
    }
    // What `check` says never happens does not happen.
    for finding in check(defs.list()) {
        assert!(!finding.to_string().is_empty());
        let never = match &finding {
            itsm_sla::Finding::NeverStarts { definition }
            | itsm_sla::Finding::NeverAttaches { definition } => Some(definition),
            _ => None,
        };
        if let Some(id) = never {
            assert!(
                !replayed
                    .clocks
                    .clocks()
                    .iter()
                    .any(|c| c.definition() == id),
                "{finding} but a clock attached"
            );
        }
    }
    Some(replayed)
}

/// The same definitions with another selection rule, for the counterfactual checks.
fn other(defs: &Definitions) -> Option<Definitions> {
    let selection = match defs.selection() {
        Selection::All => Selection::FirstMatch,
        Selection::FirstMatch => Selection::ShortestTarget,
        _ => Selection::All,
    };
    let mut list = defs.list().to_vec();
    list.reverse();
    Definitions::new(list, selection).ok()
}

/// Counterfactuals: the same definitions change nothing; swapping the two sets swaps the
/// answer.
fn check_counterfactual(
    defs: &Definitions,
    calendars: &Calendars,
    timeline: &[(DateTime<Utc>, TicketView)],
    until: DateTime<Utc>,
) {
    let tickets = vec![("t1".to_owned(), timeline.to_vec())];
    if let Ok(same) = counterfactual(defs, defs, calendars, &tickets, until) {
        assert!(
            same.is_empty(),
            "the same definitions change breaches: {same:?}"
        );
    }
    let Some(b) = other(defs) else { return };
    let ab = counterfactual(defs, &b, calendars, &tickets, until);
    let ba = counterfactual(&b, defs, calendars, &tickets, until);
    assert_eq!(ab.is_ok(), ba.is_ok(), "counterfactual: {ab:?} / {ba:?}");
    if let (Ok(ab), Ok(ba)) = (ab, ba) {
        let swapped: Vec<_> = ba
            .into_iter()
            .map(|mut c| {
                std::mem::swap(&mut c.before, &mut c.after);
                c
            })
            .collect();
        assert_eq!(ab, swapped, "counterfactual is not symmetric");
        for c in &ab {
            let breach = |o: &Option<itsm_sla::Outcome>| o.as_ref().is_some_and(|o| o.breached);
            assert_ne!(breach(&c.before), breach(&c.after), "{c:?}");
        }
    }
}

fn definitions_are_valid(list: &[Definition]) -> bool {
    let ids: BTreeSet<&str> = list.iter().map(|d| d.id.as_str()).collect();
    let relative_ok = |d: &Definition| {
        d.relative.as_ref().is_none_or(|r| {
            (d.calendar.is_some() || d.calendar_from.is_some())
                && r.business_days <= itsm_sla::MAX_BUSINESS_DAYS
                && [&r.by, &r.cutoff]
                    .into_iter()
                    .flatten()
                    .all(|t| Segment::parse(t, "24:00").is_ok())
        })
    };
    let zone_ok = |d: &Definition| {
        d.zone.as_ref().is_none_or(|z| {
            let mut spec = CalendarSpec::always_open("zone");
            spec.zone = Some(z.clone());
            Calendar::new(&spec).is_ok()
        })
    };
    ids.len() == list.len()
        && list.iter().all(|d| {
            d.target > Duration::zero()
                && d.target <= itsm_sla::MAX_TARGET
                && relative_ok(d)
                && zone_ok(d)
        })
}

/// Bytes -> definitions and a timeline of views, through the host's loop (`decide`,
/// `evolve`, ticks at `next_deadline`) with every invariant checked after every step, then
/// compared with `replay` and counterfactuals.
pub fn timeline(data: &[u8]) {
    let mut b = Bytes::new(data);
    let flags = b.byte();
    let selection = b.choose(
        &[
            Selection::All,
            Selection::FirstMatch,
            Selection::ShortestTarget,
        ],
        Selection::All,
    );
    let count = 1 + b.pick(3);
    let list: Vec<Definition> = (0..count)
        .map(|i| {
            let id = if i == 1 && flags & 0x80 != 0 { 0 } else { i };
            definition(&mut b, format!("d{id}"))
        })
        .collect();
    let defs = Definitions::new(list.clone(), selection);
    assert_eq!(
        defs.is_ok(),
        definitions_are_valid(&list),
        "Definitions::new: {defs:?}"
    );
    let Ok(defs) = defs else { return };
    let calendars = calendars();
    let mut timeline = Vec::new();
    let mut probes = BTreeSet::new();
    let mut now = t0();
    // The clocks as the loop has them so far (no checks), for steps "at the next deadline".
    let mut sim: Option<Sim> = Some((Clocks::new(), None));
    let mut pending: Option<DateTime<Utc>> = None;
    while !b.is_empty() && timeline.len() < MAX_STEPS {
        let gap = match b.pick(13) {
            0 => Duration::zero(),
            1 => Duration::nanoseconds(1),
            2 => Duration::seconds(1),
            3 => Duration::minutes(1),
            4 => Duration::minutes(30),
            5 => Duration::hours(1),
            6 => Duration::hours(4),
            7 => Duration::days(1),
            8 => Duration::days(3),
            9 => Duration::days(40),
            10 => pending.map_or(Duration::zero(), |d| (d - now).max(Duration::zero())),
            11 => pending.map_or(Duration::zero(), |d| {
                (d - now - Duration::nanoseconds(1)).max(Duration::zero())
            }),
            _ => {
                probes.insert(timeline.len());
                Duration::zero()
            }
        };
        now = now.checked_add_signed(gap).unwrap_or(now);
        let v = view(&mut b, now);
        // Where the next deadline is after this view.
        sim = sim.and_then(|(clocks, last)| simulate(clocks, last, &v, now, &defs, calendars));
        pending = sim.as_ref().and_then(|(clocks, _)| next_deadline(clocks));
        timeline.push((now, v));
    }
    let until = now
        .checked_add_signed(b.choose(
            &[Duration::zero(), Duration::hours(1), Duration::days(30)],
            Duration::zero(),
        ))
        .unwrap_or(now);
    if run(&defs, calendars, &timeline, &probes, until).is_some() {
        check_counterfactual(&defs, calendars, &timeline, until);
    }
}

/// A fixed timeline that walks a ticket through every category, priority and group: new,
/// assigned, waiting, back, resolved, reopened, waiting for a vendor, closed.
fn script() -> Vec<(DateTime<Utc>, TicketView)> {
    use Category::*;
    /// Minutes after the start, state, category, priority, group, `vip`.
    type Step = (
        i64,
        &'static str,
        Option<Category>,
        Option<u8>,
        Option<&'static str>,
        Option<&'static str>,
    );
    let steps: [Step; 10] = [
        (0, "new", Some(New), Some(1), None, Some("yes")),
        (30, "work", Some(Open), Some(1), Some("desk"), Some("yes")),
        (90, "wait", Some(Pending), Some(2), Some("desk"), Some("no")),
        (300, "work", Some(Open), Some(2), Some("network"), None),
        (
            1_440,
            "done",
            Some(Resolved),
            Some(2),
            Some("network"),
            None,
        ),
        (
            2_000,
            "work",
            Some(Open),
            Some(1),
            Some("desk"),
            Some("yes"),
        ),
        (
            2_100,
            "wait",
            Some(Pending),
            Some(3),
            Some("desk"),
            Some("no"),
        ),
        (4_000, "work", Some(Open), None, None, None),
        (6_000, "closed", Some(Closed), Some(1), Some("desk"), None),
        (9_000, "new", None, Some(4), None, None),
    ];
    steps
        .iter()
        .map(|(minutes, state, category, priority, group, vip)| {
            let t = t0() + Duration::minutes(*minutes);
            let mut v = TicketView::default();
            v.state = (*state).to_owned();
            v.category = *category;
            v.priority = *priority;
            v.group = group.map(str::to_owned);
            if let Some(vip) = vip {
                v.fields.insert("vip".to_owned(), (*vip).to_owned());
            }
            v.times
                .insert("opened_at".to_owned(), t0() - Duration::hours(2));
            (t, v)
        })
        .collect()
}

/// Bytes -> JSON -> a list of definitions (or one). Whatever loads survives a JSON round
/// trip and `check`; `Definitions::new` accepts it exactly when ids are unique and targets
/// positive; accepted definitions run a fixed timeline through the host's loop under each
/// selection rule, with every invariant checked.
pub fn definitions_json(data: &[u8]) {
    let list = match serde_json::from_slice::<Vec<Definition>>(data) {
        Ok(list) => list,
        Err(_) => match serde_json::from_slice::<Definition>(data) {
            Ok(one) => vec![one],
            Err(_) => return,
        },
    };
    assert_eq!(
        json_round_trip(&list).as_ref(),
        Some(&list),
        "definitions JSON round trip"
    );
    for finding in check(&list) {
        assert!(!finding.to_string().is_empty());
        assert_eq!(json_round_trip(&finding).as_ref(), Some(&finding));
    }
    let timeline = script();
    let until = t0() + Duration::days(30);
    for selection in [
        Selection::All,
        Selection::FirstMatch,
        Selection::ShortestTarget,
    ] {
        let defs = Definitions::new(list.clone(), selection);
        assert_eq!(
            defs.is_ok(),
            definitions_are_valid(&list),
            "Definitions::new: {defs:?}"
        );
        let Ok(defs) = defs else { return };
        run(&defs, calendars(), &timeline, &BTreeSet::new(), until);
    }
}

/// A plain definition, for running decoded states.
fn plain(id: &str, calendar: Option<&str>) -> Definition {
    let mut d = Definition::new(id, Target::Resolution, Duration::hours(4));
    d.calendar = calendar.map(str::to_owned);
    d.start = Condition::Always;
    d.thresholds = vec![50];
    d.escalations = vec![EscalationRule::new("late", Duration::hours(1))];
    d.reopen = ReopenMode::PauseWhileResolved;
    d
}

/// Runs `decide` on a decoded state: a tick at its next deadline, then updates; whatever
/// comes out folds, and never panics.
fn drive(state: &Clocks) {
    let Ok(defs) = Definitions::new(
        vec![
            plain("d0", None),
            plain("d1", Some("office")),
            plain("d2", Some("short")),
        ],
        Selection::All,
    ) else {
        return;
    };
    let calendars = calendars();
    let now = [state.last_input(), next_deadline(state)]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or_else(t0);
    let ctx = Context::new(now, &defs, calendars);
    let mut s = state.clone();
    for input in [
        Input::Tick,
        Input::Update(TicketView::new("", Category::Pending)),
        Input::Update(TicketView::new("", Category::Open)),
        Input::Update(TicketView::new("", Category::Resolved)),
    ] {
        if let Ok(events) = decide(&s, &input, &ctx) {
            s = events.iter().fold(s, evolve);
        }
    }
    for c in s.clocks() {
        let _ = measure(c, now, &defs, calendars);
    }
}

/// Bytes -> JSON -> an event, a list of events, clocks, a clock, a view or a condition.
/// Whatever loads survives a JSON round trip; events fold into clocks that round trip too;
/// decoded clocks can be measured, ticked and updated without a panic.
pub fn events_json(data: &[u8]) {
    if let Ok(event) = serde_json::from_slice::<Event>(data) {
        assert_eq!(
            json_round_trip(&event).as_ref(),
            Some(&event),
            "event round trip"
        );
        let state = evolve(Clocks::new(), &event);
        assert_eq!(
            json_round_trip(&state).as_ref(),
            Some(&state),
            "clocks round trip"
        );
        drive(&state);
    }
    if let Ok(log) = serde_json::from_slice::<Vec<Event>>(data) {
        let state = log.iter().fold(Clocks::new(), evolve);
        assert_eq!(
            json_round_trip(&state).as_ref(),
            Some(&state),
            "clocks round trip"
        );
        // `last_input` is the latest instant folded in.
        let latest = log
            .iter()
            .map(|e| match e {
                Event::Attached { clock } => clock.attached_at(),
                Event::Paused { at, .. }
                | Event::Resumed { at, .. }
                | Event::ThresholdReached { at, .. }
                | Event::Breached { at, .. }
                | Event::EscalationDue { at, .. }
                | Event::Completed { at, .. }
                | Event::Canceled { at, .. }
                | Event::Retargeted { at, .. } => *at,
            })
            .max();
        assert_eq!(state.last_input(), latest);
        drive(&state);
    }
    if let Ok(state) = serde_json::from_slice::<Clocks>(data) {
        assert_eq!(
            json_round_trip(&state).as_ref(),
            Some(&state),
            "clocks round trip"
        );
        drive(&state);
    }
    if let Ok(clock) = serde_json::from_slice::<Clock>(data) {
        assert_eq!(
            json_round_trip(&clock).as_ref(),
            Some(&clock),
            "clock round trip"
        );
        let state = evolve(
            Clocks::new(),
            &Event::Attached {
                clock: Box::new(clock),
            },
        );
        drive(&state);
    }
    if let Ok(view) = serde_json::from_slice::<TicketView>(data) {
        assert_eq!(
            json_round_trip(&view).as_ref(),
            Some(&view),
            "view round trip"
        );
        for c in start_pool().iter().chain(&stop_pool()).chain(&pause_pool()) {
            let _ = c.eval(&view);
        }
    }
    if let Ok(condition) = serde_json::from_slice::<Condition>(data) {
        assert_eq!(
            json_round_trip(&condition).as_ref(),
            Some(&condition),
            "condition round trip"
        );
        let negated = Condition::Not(Box::new(condition.clone()));
        for (_, view) in script() {
            assert_ne!(condition.eval(&view), negated.eval(&view));
        }
    }
}
