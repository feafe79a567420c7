//! Shared by the property tests: random calendar specs and a naive reference model.
//!
//! The model is written to be obviously right rather than fast, and shares no code with the
//! crate: it learns the zone only through UTC-to-local offsets (`offset_from_utc_datetime`,
//! which is never ambiguous), finds the zone's transitions by scanning, expands every local
//! day of the horizon (and the days either side, whose open time may fall in it: a segment
//! that crosses midnight, a midnight inside a repeated hour) into a
//! bitmap of 15-minute slots of local time (the day's own 96 and the 96 of the next day
//! that its segments crossing midnight reach: weekly segments unless a holiday, then each
//! exception slot by slot in list order, an open one on its own date only), turns each run
//! of open slots into instants by the rule, and answers every query by a linear walk over
//! those intervals.
//!
//! The rule: an instant is open exactly when the local wall clock reads an open time. So a
//! run of local time `[a, b)` is open at the instants `t` of every stretch of constant
//! offset `o` with `a <= t + o < b`: where the clocks go back it may be open in two
//! stretches; where they jump, a boundary inside the gap moves to its end.
// Helpers shared by several test crates: each uses only some of them.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime,
    Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use itsm_calendar::{CalendarSpec, Error, Exception, Holiday, Segment, TimeOfDay, Week};
use proptest::collection::{btree_set, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed, TestCaseError, TestRunner};

/// Nanoseconds per second.
pub const NS: i64 = 1_000_000_000;
/// The generators' granularity in seconds (and the model's slot): 15 minutes.
pub const SLOT: i64 = 900;
/// Slots in a day.
pub const SLOTS: usize = 96;

/// A proptest configuration with a fixed seed, so every run checks the same cases (the
/// workspace allows no randomness without a seed), and failures saved in `file` (a path
/// from the crate's directory, where `cargo test` runs, such as
/// `proptest-regressions/laws.txt`) and replayed first on every run.
pub fn config(cases: u32, file: &'static str) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x00ca_1e0d_a125),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
        // Failures only: shrink far enough to read the case.
        max_shrink_iters: 4096,
        ..Config::default()
    }
}

/// Runs a property and panics with the minimal failing input, if any.
pub fn run<S: Strategy>(
    config: Config,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(strategy, test) {
        panic!("{e}");
    }
}

/// An instant as nanoseconds since the Unix epoch.
pub fn ns<Z: TimeZone>(t: &DateTime<Z>) -> i64 {
    t.timestamp_nanos_opt().unwrap()
}

/// Nanoseconds since the Unix epoch as an instant.
pub fn utc(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// A date.
pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The zone's UTC offsets near a horizon, as pieces of constant offset.
#[derive(Debug, Clone)]
pub struct Offsets {
    /// `(first UTC second, offset in seconds)`; each piece runs to the next one's start.
    pieces: Vec<(i64, i64)>,
}

fn offset_at<Z: TimeZone>(tz: &Z, utc_second: i64) -> i64 {
    let t = DateTime::from_timestamp(utc_second, 0).unwrap().naive_utc();
    i64::from(tz.offset_from_utc_datetime(&t).fix().local_minus_utc())
}

impl Offsets {
    /// Scans the UTC seconds `lo..hi` six hours at a time and bisects every change of offset
    /// to the second (no zone, and no made-up zone here, changes its offset twice in six hours).
    pub fn scan<Z: TimeZone>(tz: &Z, lo: i64, hi: i64) -> Self {
        let mut pieces = vec![(i64::MIN / 4, offset_at(tz, lo))];
        let mut u = lo;
        while u < hi {
            let next = u + 6 * 3600;
            let (before, after) = (offset_at(tz, u), offset_at(tz, next));
            if before != after {
                let (mut a, mut b) = (u, next);
                while b - a > 1 {
                    let m = a + (b - a) / 2;
                    if offset_at(tz, m) == before {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                pieces.push((b, after));
            }
            u = next;
        }
        Offsets { pieces }
    }

    pub fn each(&self) -> impl Iterator<Item = (i64, i64, i64)> + '_ {
        self.pieces.iter().enumerate().map(|(k, &(start, off))| {
            let end = self.pieces.get(k + 1).map_or(i64::MAX / 4, |p| p.0);
            (start, end, off)
        })
    }

    /// How many times the offset changes.
    pub fn transitions(&self) -> usize {
        self.pieces.len() - 1
    }

    /// The first UTC second whose local time is at or after `local` (local seconds since the
    /// epoch, read as if UTC).
    pub fn earliest(&self, local: i64) -> i64 {
        self.each()
            .filter_map(|(start, end, off)| {
                let c = start.max(local - off);
                (c < end).then_some(c)
            })
            .min()
            .unwrap()
    }

    /// The UTC second before which every local time is below `local`, and after which none is.
    pub fn latest(&self, local: i64) -> i64 {
        self.each()
            .filter_map(|(start, end, off)| {
                let c = end.min(local - off);
                (c > start).then_some(c)
            })
            .max()
            .unwrap()
    }
}

/// Local midnight of `d` in seconds since the epoch, read as if UTC.
pub fn local_midnight(d: NaiveDate) -> i64 {
    d.and_time(NaiveTime::MIN).and_utc().timestamp()
}

/// The naive model of a compiled calendar. All instants in nanoseconds since the epoch.
#[derive(Debug, Clone)]
pub struct Model {
    pub name: String,
    pub from: i64,
    pub to: i64,
    /// One interval per run of open slots of a local day, with the day; by day, then time.
    pub raw: Vec<(i64, i64, NaiveDate)>,
    /// The union of `raw`, sorted; intervals that touch are joined.
    pub open: Vec<(i64, i64)>,
    /// Whether some intervals of different local days overlap (a zone whose midnight repeats).
    pub days_overlap: bool,
    /// How many raw intervals daylight saving made longer or shorter than their local length.
    pub stretched: usize,
    pub offsets: Offsets,
}

fn slot_of(seconds: u32) -> usize {
    assert_eq!(
        i64::from(seconds) % SLOT,
        0,
        "the model needs 15-minute boundaries"
    );
    usize::try_from(i64::from(seconds) / SLOT).unwrap()
}

pub fn is_holiday(spec: &CalendarSpec, d: NaiveDate) -> bool {
    spec.holidays.iter().any(|h| match h {
        Holiday::Date { date, .. } => *date == d,
        Holiday::Yearly { month, day, .. } => d.month() == *month && d.day() == *day,
        _ => panic!("a kind of holiday the model does not know: {h:?}"),
    })
}

/// The open slots of the segments of local day `d`: its own 96, then the next day's 96
/// (which its segments that cross midnight reach).
pub fn day_slots(spec: &CalendarSpec, d: NaiveDate) -> [bool; 2 * SLOTS] {
    let mut open = [false; 2 * SLOTS];
    if !is_holiday(spec, d) {
        for s in spec.week.day(d.weekday()) {
            let (start, mut end) = (slot_of(s.start.seconds()), slot_of(s.end.seconds()));
            if end < start {
                end += SLOTS;
            }
            for slot in open.iter_mut().take(end).skip(start) {
                *slot = true;
            }
        }
    }
    // Exceptions in local seconds since the epoch, read as if UTC.
    let local = |t: NaiveDateTime| {
        assert_eq!(t.and_utc().timestamp_subsec_nanos(), 0);
        t.and_utc().timestamp()
    };
    let midnight = local_midnight(d);
    for x in &spec.exceptions {
        let (start, end) = (local(x.start), local(x.end));
        for (k, slot) in open.iter_mut().enumerate() {
            // An open exception opens its own date; a closed one closes whatever it covers.
            if x.open && k >= SLOTS {
                break;
            }
            let t = midnight + SLOT * i64::try_from(k).unwrap();
            if start <= t && t < end {
                assert_eq!(
                    (t - start) % SLOT,
                    0,
                    "the model needs 15-minute exception boundaries"
                );
                *slot = x.open;
            }
        }
    }
    open
}

impl Model {
    pub fn build<Z: TimeZone>(
        spec: &CalendarSpec,
        tz: &Z,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Model {
        let (lo, hi) = (local_midnight(from), local_midnight(to));
        let offsets = Offsets::scan(tz, lo - 3 * 86_400, hi + 3 * 86_400);
        let (h_from, h_to) = (offsets.earliest(lo), offsets.latest(hi));
        let mut raw = Vec::new();
        let mut stretched = 0;
        let mut d = from.pred_opt().unwrap();
        while d <= to {
            let open = day_slots(spec, d);
            let midnight = local_midnight(d);
            let mut k = 0;
            while k < 2 * SLOTS {
                if !open[k] {
                    k += 1;
                    continue;
                }
                let first = k;
                while k < 2 * SLOTS && open[k] {
                    k += 1;
                }
                let local_s = midnight + SLOT * i64::try_from(first).unwrap();
                let local_e = midnight + SLOT * i64::try_from(k).unwrap();
                let mut length = 0;
                for (start, end, off) in offsets.each() {
                    let (a, b) = (start.max(local_s - off), end.min(local_e - off));
                    length += (b - a).max(0);
                    let (a, b) = (a.max(h_from), b.min(h_to));
                    if a < b {
                        raw.push((a * NS, b * NS, d));
                    }
                }
                if length != 0 && length != local_e - local_s {
                    stretched += 1;
                }
            }
            d = d.succ_opt().unwrap();
        }
        let mut sorted: Vec<(i64, i64, NaiveDate)> = raw.clone();
        sorted.sort();
        let mut open: Vec<(i64, i64)> = Vec::new();
        let mut days_overlap = false;
        for w in sorted.windows(2) {
            if w[1].0 < w[0].1 && w[1].2 != w[0].2 {
                days_overlap = true;
            }
        }
        for (s, e, _) in sorted {
            match open.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => open.push((s, e)),
            }
        }
        Model {
            name: spec.name.clone(),
            from: h_from * NS,
            to: h_to * NS,
            raw,
            open,
            days_overlap,
            stretched,
            offsets,
        }
    }

    pub fn total(&self) -> i64 {
        self.open.iter().map(|(s, e)| e - s).sum()
    }

    fn check(&self, t: i64) -> Result<i64, Error> {
        if t < self.from || t > self.to {
            return Err(Error::OutOfHorizon {
                at: utc(t),
                from: utc(self.from),
                to: utc(self.to),
            });
        }
        Ok(t)
    }

    fn past(&self, what: &'static str, at: i64) -> Error {
        Error::PastHorizon {
            what,
            at: utc(at),
            from: utc(self.from),
            to: utc(self.to),
        }
    }

    pub fn is_open(&self, t: i64) -> Result<bool, Error> {
        let t = self.check(t)?;
        Ok(self.open.iter().any(|&(s, e)| s <= t && t < e))
    }

    pub fn next_open(&self, t: i64) -> Result<i64, Error> {
        let t = self.check(t)?;
        self.open
            .iter()
            .find(|&&(_, e)| e > t)
            .map(|&(s, _)| s.max(t))
            .ok_or_else(|| self.past("the next opening", t))
    }

    /// Open time in `[from, t)`.
    fn open_before(&self, t: i64) -> i64 {
        self.open.iter().map(|&(s, e)| t.clamp(s, e) - s).sum()
    }

    pub fn duration(&self, a: i64, b: i64) -> Result<i64, Error> {
        let (a, b) = (self.check(a)?, self.check(b)?);
        Ok(self.open_before(b) - self.open_before(a))
    }

    /// Walks interval by interval, forward or backward, using up `d`.
    pub fn add(&self, t: i64, d: i64) -> Result<i64, Error> {
        let t = self.check(t)?;
        if d == 0 {
            return Ok(t);
        }
        let mut left = d.abs();
        if d > 0 {
            for &(s, e) in self.open.iter().filter(|&&(_, e)| e > t) {
                let from = s.max(t);
                if left <= e - from {
                    // Earliest: a deadline that uses up a segment falls at its close.
                    return Ok(from + left);
                }
                left -= e - from;
            }
        } else {
            for &(s, e) in self.open.iter().rev().filter(|&&(s, _)| s < t) {
                let to = e.min(t);
                if left <= to - s {
                    // Latest: going back over a whole segment stops at its opening.
                    return Ok(to - left);
                }
                left -= to - s;
            }
        }
        Err(self.past("adding the duration", t))
    }

    pub fn end_of_business_day(&self, t: i64) -> Result<i64, Error> {
        let t = self.check(t)?;
        let day = self
            .raw
            .iter()
            .find(|&&(s, e, _)| s <= t && t < e)
            .or_else(|| {
                self.raw
                    .iter()
                    .filter(|&&(s, _, _)| s > t)
                    .min_by_key(|&&(s, _, _)| s)
            })
            .map(|&(_, _, d)| d)
            .ok_or_else(|| self.past("the end of the business day", t))?;
        Ok(self
            .raw
            .iter()
            .filter(|&&(_, _, d)| d == day)
            .map(|&(_, e, _)| e)
            .max()
            .unwrap())
    }

    pub fn covers(&self, a: i64, b: i64) -> Result<bool, Error> {
        let (a, b) = (self.check(a)?, self.check(b)?);
        Ok(a == b || (a < b && self.open.iter().any(|&(s, e)| s <= a && b <= e)))
    }

    pub fn overlaps(&self, a: i64, b: i64) -> Result<bool, Error> {
        let (a, b) = (self.check(a)?, self.check(b)?);
        Ok(a < b && self.open.iter().any(|&(s, e)| s < b && a < e))
    }

    pub fn next_fit(&self, t: i64, length: i64) -> Result<Option<i64>, Error> {
        let t = self.check(t)?;
        Ok(self
            .open
            .iter()
            .filter(|&&(_, e)| e > t)
            .map(|&(s, e)| (s.max(t), e))
            .find(|&(s, e)| e - s >= length)
            .map(|(s, _)| s))
    }
}

/// A time of day on the 15-minute grid (`96` is `24:00`).
pub fn tod(slot: u32) -> TimeOfDay {
    TimeOfDay::hm(slot / 4, slot % 4 * 15).unwrap()
}

pub fn seg(start: u32, end: u32) -> Segment {
    Segment {
        start: tod(start),
        end: tod(end),
    }
}

/// A segment boundary, weighted towards the hours that daylight saving moves (01:00-03:30)
/// and the ends of the day.
fn boundary() -> impl Strategy<Value = u32> {
    prop_oneof![
        3 => 0..=96u32,
        2 => 4..=14u32,
        1 => Just(0u32),
        1 => Just(96u32),
    ]
}

/// A day's segments: closed, around the clock, or up to three segments (lunch breaks), some
/// split in two touching halves, and sometimes one more that crosses midnight; in random
/// order.
pub fn day_segments() -> BoxedStrategy<Vec<Segment>> {
    prop_oneof![
        1 => Just(Vec::new()),
        1 => Just(vec![seg(0, 96)]),
        6 => (btree_set(boundary(), 0..=6), any::<bool>(), proptest::option::weighted(0.3, (boundary(), boundary())))
            .prop_map(|(set, split, night)| {
                let b: Vec<u32> = set.into_iter().collect();
                let mut out = Vec::new();
                for p in b.chunks_exact(2) {
                    let (s, e) = (p[0], p[1]);
                    if split && e - s >= 2 {
                        let m = s + (e - s) / 2;
                        out.push(seg(s, m));
                        out.push(seg(m, e));
                    } else {
                        out.push(seg(s, e));
                    }
                }
                // A segment that crosses midnight, after the day's others: from a
                // boundary past the last end to one earlier in the day.
                if let Some((x, y)) = night {
                    let last = out.iter().map(|s| slot_of(s.end.seconds())).max().unwrap_or(0);
                    let last = u32::try_from(last).unwrap();
                    let (start, end) = (x.max(y), x.min(y));
                    if start >= last && start < 96 && end < start {
                        out.push(seg(start, end));
                    }
                }
                out
            })
            .prop_shuffle(),
    ]
    .boxed()
}

/// Drops the segments of a day that the day before's segment crossing midnight runs into.
fn without_overnight_overlaps(mut days: [Vec<Segment>; 7]) -> [Vec<Segment>; 7] {
    for d in 0..7 {
        let reach = days[d]
            .iter()
            .filter(|s| s.crosses_midnight())
            .map(|s| s.end)
            .max();
        if let Some(reach) = reach {
            days[(d + 1) % 7].retain(|s| s.start >= reach);
        }
    }
    days
}

pub fn week() -> BoxedStrategy<Week> {
    (
        day_segments(),
        day_segments(),
        day_segments(),
        day_segments(),
        day_segments(),
        day_segments(),
        day_segments(),
    )
        .prop_map(|(mon, tue, wed, thu, fri, sat, sun)| {
            let [mon, tue, wed, thu, fri, sat, sun] =
                without_overnight_overlaps([mon, tue, wed, thu, fri, sat, sun]);
            Week {
                mon,
                tue,
                wed,
                thu,
                fri,
                sat,
                sun,
            }
        })
        .boxed()
}

fn name() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(prop_oneof![Just("dated"), Just("yearly"), Just("leap day")])
}

fn holiday(from: NaiveDate, days: i64) -> impl Strategy<Value = Holiday> {
    let named = |h: Holiday, n: Option<&str>| match n {
        Some(n) => h.named(n),
        None => h,
    };
    prop_oneof![
        (0..days, name()).prop_map(move |(k, n)| named(Holiday::date(from + Duration::days(k)), n)),
        (1..=12u32, 1..=28u32, name())
            .prop_map(move |(month, day, n)| named(Holiday::yearly(month, day), n)),
        name().prop_map(move |n| named(Holiday::yearly(2, 29), n)),
    ]
}

fn exception(from: NaiveDate, days: i64) -> impl Strategy<Value = Exception> {
    (-2..days + 2, 0..96i64, 1..=300i64, any::<bool>()).prop_map(move |(k, slot, len, open)| {
        let start =
            from.and_time(NaiveTime::MIN) + Duration::days(k) + Duration::seconds(slot * SLOT);
        let end = start + Duration::seconds(len * SLOT);
        if open {
            Exception::open("open", start, end)
        } else {
            Exception::closed("closed", start, end)
        }
    })
}

/// How a query instant or duration is chosen, once the calendar is known.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    pub kind: u8,
    pub pick: u64,
    pub nudge: u8,
    pub zone: u8,
    pub other: u64,
}

fn probe() -> impl Strategy<Value = Probe> {
    (
        any::<u8>(),
        any::<u64>(),
        any::<u8>(),
        any::<u8>(),
        any::<u64>(),
    )
        .prop_map(|(kind, pick, nudge, zone, other)| Probe {
            kind,
            pick,
            nudge,
            zone,
            other,
        })
}

/// A random calendar over a random horizon around an anchor date, with query probes.
#[derive(Debug, Clone)]
pub struct Case {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub spec: CalendarSpec,
    pub probes: Vec<Probe>,
}

/// Horizons reach up to `reach` days before and after an anchor; sometimes they start or end
/// exactly on it (the day a zone changes its offset at midnight).
pub fn case(anchors: Vec<NaiveDate>, reach: i64) -> impl Strategy<Value = Case> {
    let side = move || prop_oneof![1 => Just(0i64), 1 => Just(1i64), 4 => 0..=reach];
    (proptest::sample::select(anchors), side(), side())
        .prop_flat_map(|(anchor, before, after)| {
            let from = anchor - Duration::days(before);
            let to = anchor + Duration::days(after.max(i64::from(before == 0)));
            let days = (to - from).num_days();
            (
                Just(from),
                Just(to),
                week(),
                vec(holiday(from, days), 0..4),
                vec(exception(from, days), 0..5),
                vec(probe(), 1..24),
            )
        })
        .prop_map(|(from, to, week, holidays, exceptions, probes)| {
            let mut spec = CalendarSpec::new("generated", week);
            spec.holidays = holidays;
            spec.exceptions = exceptions;
            Case {
                from,
                to,
                spec,
                probes,
            }
        })
}

/// Anchors for today's rules: the changes of 2024 in the zones under test, and a leap day.
pub fn modern_anchors() -> Vec<NaiveDate> {
    vec![
        date(2024, 3, 10),  // New York and Havana spring forward
        date(2024, 11, 3),  // New York and Havana fall back
        date(2024, 3, 31),  // the European Union springs forward
        date(2024, 10, 27), // and falls back
        date(2024, 4, 7),   // Lord Howe falls back half an hour; Santiago an hour
        date(2024, 10, 6),  // Lord Howe springs forward
        date(2024, 9, 8),   // Santiago springs forward at midnight
        date(2024, 2, 29),
    ]
}

/// The zones of the modern properties.
pub fn modern_zones() -> Vec<Tz> {
    use chrono_tz::{America, Asia, Australia, Europe};
    vec![
        chrono_tz::UTC,
        America::New_York,
        Europe::Berlin,
        Europe::London,
        Asia::Kolkata,
        Australia::Lord_Howe,
    ]
}

/// Query instants: in and just outside the horizon, on and around interval boundaries.
pub fn instant(model: &Model, p: &Probe) -> i64 {
    let span = u64::try_from(model.to - model.from).unwrap();
    let nudge = [-NS, -1, 0, 0, 1, NS, -SLOT * NS / 2, SLOT * NS / 2][usize::from(p.nudge % 8)];
    let raw = |pick: u64| {
        let (s, e, _) = model.raw[usize::try_from(pick % model.raw.len() as u64).unwrap()];
        if pick % 2 == 0 { s } else { e }
    };
    match p.kind % 8 {
        0 => {
            model.from - NS * 3600 + i64::try_from(p.pick % (span + 7200 * 1_000_000_000)).unwrap()
        }
        1 => {
            [model.from, model.to][usize::from(p.nudge % 2)]
                + [-1, 0, 1][usize::try_from(p.pick % 3).unwrap()]
        }
        2..=4 if !model.raw.is_empty() => raw(p.pick) + nudge,
        _ => model.from + i64::try_from(p.pick % (span + 1)).unwrap(),
    }
}

/// A business duration to add from `t`: exact distances to boundaries, tiny and huge ones,
/// both signs.
pub fn distance(model: &Model, t: i64, p: &Probe) -> i64 {
    let total = model.total();
    let clamp = |x: i64| x.clamp(model.from, model.to);
    let to_other = |other: i64| model.open_before(clamp(other)) - model.open_before(clamp(t));
    match p.other % 7 {
        0 => 0,
        1 => [-1, 1, -NS, NS][usize::try_from(p.other / 7 % 4).unwrap()],
        2 => {
            let q = Probe {
                kind: 2,
                pick: p.other / 7,
                ..*p
            };
            to_other(instant(model, &q))
        }
        3 => {
            let q = Probe {
                kind: 2,
                pick: p.other / 7,
                ..*p
            };
            to_other(instant(model, &q)) + [-1, 1][usize::try_from(p.other % 2).unwrap()]
        }
        4 => [total + 1, -total - 1, i64::MAX / 2, i64::MIN / 2]
            [usize::try_from(p.other / 7 % 4).unwrap()],
        _ => {
            let span = u64::try_from(2 * total + 1).unwrap();
            i64::try_from(p.other % span).unwrap() - total
        }
    }
}

/// A made-up time zone with any transitions: `(first UTC second, offset in seconds)` pieces,
/// the first running from the beginning of time. It gives the cases no real zone has today
/// (a midnight inside a repeated half hour, jumps of odd seconds) and random zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jumpy(pub Arc<Vec<(i64, i32)>>);

/// The offset of a [`Jumpy`] zone (it must name its zone: chrono rebuilds the zone from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JumpyOffset(Jumpy, FixedOffset);

impl Offset for JumpyOffset {
    fn fix(&self) -> FixedOffset {
        self.1
    }
}

impl std::fmt::Display for JumpyOffset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.1)
    }
}

impl Jumpy {
    pub fn new(pieces: Vec<(i64, i32)>) -> Self {
        assert!(pieces.windows(2).all(|w| w[0].0 < w[1].0));
        Jumpy(Arc::new(pieces))
    }

    fn offset(&self, seconds: i32) -> JumpyOffset {
        JumpyOffset(self.clone(), FixedOffset::east_opt(seconds).unwrap())
    }

    fn at_utc(&self, utc: &NaiveDateTime) -> JumpyOffset {
        let u = utc.and_utc().timestamp();
        let k = self
            .0
            .iter()
            .rposition(|&(start, _)| start <= u)
            .unwrap_or(0);
        self.offset(self.0[k].1)
    }
}

impl TimeZone for Jumpy {
    type Offset = JumpyOffset;

    fn from_offset(offset: &JumpyOffset) -> Self {
        offset.0.clone()
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<JumpyOffset> {
        self.offset_from_local_datetime(&local.and_time(NaiveTime::MIN))
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<JumpyOffset> {
        // Every piece whose offset maps the local time back into the piece.
        let mut found: Vec<(NaiveDateTime, i32)> = Vec::new();
        for (k, &(start, off)) in self.0.iter().enumerate() {
            let utc = *local - Duration::seconds(i64::from(off));
            let u = utc.and_utc().timestamp();
            let end = self.0.get(k + 1).map_or(i64::MAX, |p| p.0);
            if (k == 0 || start <= u) && u < end {
                found.push((utc, off));
            }
        }
        found.sort();
        match found.as_slice() {
            [] => LocalResult::None,
            [(_, a)] => LocalResult::Single(self.offset(*a)),
            [(_, a), .., (_, b)] => LocalResult::Ambiguous(self.offset(*a), self.offset(*b)),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> JumpyOffset {
        self.at_utc(&utc.and_time(NaiveTime::MIN))
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> JumpyOffset {
        self.at_utc(utc)
    }
}

/// The zones query instants are written in: the answers must not depend on it.
pub fn writing_zones() -> Vec<Tz> {
    use chrono_tz::{America, Asia, Pacific};
    let mut zones = modern_zones();
    zones.extend([
        America::Havana,
        Pacific::Chatham,
        America::St_Johns,
        Asia::Kathmandu,
    ]);
    zones
}

pub fn written(t: i64, zone: u8) -> DateTime<Tz> {
    let zones = writing_zones();
    utc(t).with_timezone(&zones[usize::from(zone) % zones.len()])
}

/// A random made-up zone: a base offset and up to five transitions, on every other day (so
/// at least 21 hours apart), many of them near midnight, each moving the clocks by a whole
/// number of quarter hours or by an odd number of seconds, either way, by at most 3 hours.
pub fn random_zone() -> impl Strategy<Value = Jumpy> {
    let delta = prop_oneof![(-12..=12i32).prop_map(|q| q * 900), -7200..=7200i32,];
    let second = prop_oneof![0..79_200i64, -7200..7200i64];
    (
        (-12 * 3600..=14 * 3600i32),
        proptest::collection::btree_map(-22..23i64, (second, delta), 1..6),
    )
        .prop_map(|(base, changes)| {
            let anchor = local_midnight(date(2030, 6, 15));
            let mut off = base;
            let mut pieces = vec![(i64::MIN / 4, off)];
            for (day, (second, delta)) in changes {
                // The transition's UTC second: `second` after local midnight, by the offset
                // before it.
                let at = anchor + 2 * day * 86_400 + second - i64::from(off);
                off = (off + delta).clamp(-14 * 3600, 14 * 3600);
                pieces.push((at, off));
            }
            Jumpy::new(pieces)
        })
}

/// The local days on which a made-up zone changes its offset (either side of the change).
pub fn change_days(zone: &Jumpy) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    for w in zone.0.windows(2) {
        let (at, before, after) = (w[1].0, i64::from(w[0].1), i64::from(w[1].1));
        for local in [at + before, at + after] {
            days.push(DateTime::from_timestamp(local, 0).unwrap().date_naive());
        }
    }
    days
}
