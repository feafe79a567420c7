//! Business-time queries of `itsm-calendar` against its peers, on one calendar, in one run:
//! [workclock](https://crates.io/crates/workclock) (Rust, which presents itself as the
//! maintained replacement for businesstimedelta) and the Python package businesstimedelta.
//!
//! The calendar: Monday to Friday 09:00-17:00 with a lunch break 12:00-13:00, closed on the
//! England & Wales bank holidays of 2026 to 2028 (explicit dates). It is compiled twice, in
//! UTC and in Europe/London (daylight saving from the last Sunday of March to the last
//! Sunday of October), and each peer builds the same calendar in the same zone.
//!
//! The workload is generated deterministically (a seeded xorshift, no `rand`), in whole
//! seconds:
//! - [`PAIRS`] duration pairs `(start, end)`: starts uniform over 2026, spans log-uniform from
//!   a minute to 365 days;
//! - [`PAIRS`] deadline pairs `(start, business duration)`: starts likewise, durations
//!   log-uniform from a minute to [`MAX_BUSINESS_HOURS`] (about a business year);
//! - one start, end or duration in ten is put on a whole hour, so that queries starting or
//!   ending exactly on an opening or closing time (the boundary conventions) are frequent.
//!
//! The same pairs are asked in UTC and in Europe/London. "Zoned" queries take their instants
//! as values in the zone (`DateTime<chrono_tz::Tz>`; workclock: `jiff::Zoned`) and give the
//! deadline back in the zone, as a host that shows it to a person does.
//!
//! What is measured, each the median of [`REPS`] samples (min and max printed too): the time of
//! each kind of query over all the pairs, per query. A sample repeats the pass over the pairs
//! until it lasts at least [`MIN_SAMPLE`], so that the clock's resolution does not matter. Two
//! clocks are read: the benchmark thread's on-CPU time (`/proc/thread-self/schedstat`, the
//! headline, because this machine is shared and other processes take CPU time) and the wall
//! clock (printed beside it). Our figures are then repeated per span bucket (minutes to a
//! year) to show that a query does not slow down as its span grows.
//!
//! Every peer's answer is compared with ours (businesstimedelta runs on a prefix of the pairs,
//! within a time budget: it walks day by day). A disagreement is settled by a day-by-day
//! reference written below, independent of `itsm-calendar`'s prefix sums: where the reference
//! agrees with us it is a *peer error* (reported apart, with an example); otherwise it is a
//! *mismatch*. The peers' boundary conventions coincide with ours on these inputs; the
//! `conventions:` lines of the output say which ones were checked and why nothing needed
//! normalising (see also [`CONVENTIONS`]).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-sla`, optionally followed by
//! `--pairs N`, `--python-pairs N`, `--python-budget SECONDS` (per zone) or `--no-python`;
//! `--help` lists them.
//!
//! jiff, whose types workclock's API takes and returns, is deliberately not a dependency of
//! `itsm-examples`: its values are made here by parsing text into the types that workclock's
//! signatures let the compiler infer ([`parser_of`], [`parse_like`]), so no jiff type is
//! named.

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use itsm_examples::bench::{
    Args, Opt, Rng, clock_in_use, cpus_visible, load_average, median_min_max, python_env,
    python_script, run_lines, target_dir, thread_cpu_ns, usage, venv_dir, verdict,
};
use std::collections::BTreeSet;
use std::error::Error;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration as Elapsed, Instant};

use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use chrono_tz::Tz;
use itsm_calendar::{Calendar, CalendarSpec, Holiday, Segment, Week};
use workclock::{Break, Holidays, Schedule, Weekdays, WorkDay};

/// Duration pairs, and as many deadline pairs, in the workload.
const PAIRS: usize = 200_000;
/// Pairs of each kind offered to businesstimedelta (it runs a prefix of them, within the
/// budget below).
const PYTHON_PAIRS: usize = 100_000;
/// businesstimedelta's budget per zone, in seconds of its on-CPU time.
const PYTHON_BUDGET_SECS: f64 = 60.0;
/// Samples of every measurement (odd, so the median is one sample).
const REPS: usize = 7;
/// The shortest sample: the thread's on-CPU clock advances by scheduler ticks of up to 4 ms
/// on this kernel, so a 200 ms sample is read to about 2 %.
const MIN_SAMPLE: Elapsed = Elapsed::from_millis(200);
/// The shortest sample of a per-bucket measurement.
const MIN_BUCKET_SAMPLE: Elapsed = Elapsed::from_millis(100);
/// The seed of the workload.
const SEED: u64 = 0x51A0_CA1E_2026_0001;
/// The longest business duration of a deadline pair: 250 business days of 7 hours.
const MAX_BUSINESS_HOURS: i64 = 250 * 7;
/// The first local day of the compiled horizon, and the day after its last.
const HORIZON: ((i32, u32, u32), (i32, u32, u32)) = ((2026, 1, 1), (2029, 1, 1));

/// The aims.
const AIM_UTC_NS: f64 = 20.0;
const AIM_ZONED_NS: f64 = 60.0;
const AIM_RATIO: f64 = 25.0;

/// England & Wales bank holidays, 2026 to 2028 (substitute days where the day falls on a
/// weekend). The pairs reach into 2027; 2028 is listed too because businesstimedelta's
/// `HolidayRule` fails (`TypeError` on `None`) when no listed holiday follows a date within
/// five years of scanning, and every calendar here must be the same calendar.
const BANK_HOLIDAYS: [(i32, u32, u32); 24] = [
    (2026, 1, 1),
    (2026, 4, 3),
    (2026, 4, 6),
    (2026, 5, 4),
    (2026, 5, 25),
    (2026, 8, 31),
    (2026, 12, 25),
    (2026, 12, 28),
    (2027, 1, 1),
    (2027, 3, 26),
    (2027, 3, 29),
    (2027, 5, 3),
    (2027, 5, 31),
    (2027, 8, 30),
    (2027, 12, 27),
    (2027, 12, 28),
    (2028, 1, 3),
    (2028, 4, 14),
    (2028, 4, 17),
    (2028, 5, 1),
    (2028, 5, 29),
    (2028, 8, 28),
    (2028, 12, 25),
    (2028, 12, 26),
];

/// The boundary conventions compared, and why none needed normalising on these inputs.
const CONVENTIONS: [&str; 6] = [
    "deadline that uses up a segment exactly: all three give the closing time (Monday 17:00, \
     not Tuesday 09:00): itsm-calendar's `add` and workclock's `add` give the earliest instant, \
     businesstimedelta returns `period_start + left` when `period >= left`; compared as is",
    "duration sign: businesstimedelta's `difference` sorts its two instants (it returns the \
     absolute value); ours and workclock's are signed; every pair has start < end, so compared \
     as is",
    "zero durations: businesstimedelta's `start + 0` is the next opening, ours and workclock's \
     are `start`; the generator makes no duration under a minute, so none arise",
    "resolution: businesstimedelta rebuilds a difference from whole days and seconds, dropping \
     microseconds; every instant and duration here is whole seconds, so nothing is rounded",
    "starts and ends in closed time (nights, weekends, lunch, holidays): all three count no \
     business time there and move a deadline's start to the next opening; compared as is",
    "DST: London changes at 01:00 UTC on Sundays, when the calendar is closed, so no open \
     segment changes length; each peer resolves 09:00, 12:00, 13:00 and 17:00 local time \
     through its own time-zone database (chrono-tz, jiff's system tzdb, pytz); compared as is",
];

type Res<T> = Result<T, Box<dyn Error>>;

/// A duration query: business time between two instants, in seconds since the epoch.
#[derive(Clone, Copy, Debug)]
struct SpanPair {
    start: i64,
    end: i64,
}

/// A deadline query: the instant `business` seconds of business time after `start`.
#[derive(Clone, Copy, Debug)]
struct DeadlinePair {
    start: i64,
    business: i64,
}

struct Workload {
    spans: Vec<SpanPair>,
    deadlines: Vec<DeadlinePair>,
}

fn generate(pairs: usize, year_start: i64) -> Workload {
    const YEAR: i64 = 365 * 86_400;
    let mut rng = Rng::new(SEED);
    let start = |rng: &mut Rng| {
        let t = year_start + i64::try_from(rng.below(YEAR as u64)).unwrap_or(0);
        if rng.one_in_ten() { t - t % 3600 } else { t }
    };
    let mut spans = Vec::with_capacity(pairs);
    let mut deadlines = Vec::with_capacity(pairs);
    for _ in 0..pairs {
        let s = start(&mut rng);
        let mut end = s + rng.log_uniform(60, YEAR);
        if rng.one_in_ten() && end - end % 3600 > s {
            end -= end % 3600;
        }
        spans.push(SpanPair { start: s, end });

        let s = start(&mut rng);
        let mut business = rng.log_uniform(60, MAX_BUSINESS_HOURS * 3600);
        if rng.one_in_ten() && business >= 3600 {
            business -= business % 3600;
        }
        deadlines.push(DeadlinePair { start: s, business });
    }
    Workload { spans, deadlines }
}

/// Span buckets by calendar span (a duration pair's `end - start`, a deadline's `deadline -
/// start`): up to an hour, a day, 30 days, 183 days, and the rest.
const BUCKETS: [(&str, i64); 5] = [
    ("minutes", 3600),
    ("hours", 86_400),
    ("days", 30 * 86_400),
    ("months", 183 * 86_400),
    ("year", i64::MAX),
];

fn bucket_of(span_secs: i64) -> usize {
    BUCKETS
        .iter()
        .position(|&(_, below)| span_secs < below)
        .unwrap_or(BUCKETS.len() - 1)
}

// ---------------------------------------------------------------------------------------
// Measuring

/// A figure in nanoseconds per query: median, min and max over the samples.
#[derive(Clone, Copy, Debug, Default)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    fn of(samples: Vec<f64>) -> Stats {
        let (median, min, max) = median_min_max(samples).unwrap_or((f64::NAN, f64::NAN, f64::NAN));
        Stats { median, min, max }
    }
}

/// One measurement on both clocks.
#[derive(Clone, Copy, Debug, Default)]
struct Measured {
    /// On-CPU time of the thread (the headline), or the wall clock where the kernel does not
    /// report it.
    cpu: Stats,
    wall: Stats,
    samples: usize,
    passes: u32,
    queries: usize,
}

impl Measured {
    fn line(&self) -> String {
        format!(
            "{:.1} ns/query on CPU (min {:.1}, max {:.1}); wall {:.1} (min {:.1}, max {:.1}); \
             median of {} samples of {} x {} queries",
            self.cpu.median,
            self.cpu.min,
            self.cpu.max,
            self.wall.median,
            self.wall.min,
            self.wall.max,
            self.samples,
            self.passes,
            self.queries,
        )
    }
}

/// Runs `query` over `inputs` once untimed (warm-up), sizes the samples (doubling the passes
/// until they last a tenth of `min_sample`), then takes [`REPS`] samples of as many passes as
/// last `min_sample`. Returns the figures and the answers of the last pass. Each answer is
/// stored in place, so the timed loop includes the store (and the drop of the previous answer,
/// which for a `jiff::Zoned` is one atomic decrement).
fn measure<I, O>(inputs: &[I], query: impl Fn(&I) -> O, min_sample: Elapsed) -> (Measured, Vec<O>) {
    let mut out: Vec<O> = inputs.iter().map(|i| query(black_box(i))).collect();
    let run = |out: &mut Vec<O>, passes: u32| {
        for _ in 0..passes {
            for (slot, input) in out.iter_mut().zip(inputs) {
                // `black_box` keeps the compiler from merging the repeated passes.
                *slot = query(black_box(input));
            }
        }
    };
    let mut passes: u32 = 1;
    loop {
        let t0 = Instant::now();
        run(&mut out, passes);
        let took = t0.elapsed();
        if took >= min_sample / 10 || passes >= 1 << 20 {
            let per_pass = (took.as_nanos() / u128::from(passes)).max(1);
            passes = u32::try_from(min_sample.as_nanos().div_ceil(per_pass))
                .unwrap_or(u32::MAX)
                .clamp(1, 1 << 24);
            break;
        }
        passes *= 2;
    }
    let queries = (inputs.len().max(1) as f64) * f64::from(passes);
    let (mut cpu, mut wall) = (Vec::with_capacity(REPS), Vec::with_capacity(REPS));
    for _ in 0..REPS {
        let cpu_start = thread_cpu_ns();
        let wall_start = Instant::now();
        run(&mut out, passes);
        let wall_ns = wall_start.elapsed().as_nanos() as f64;
        let cpu_ns = match (cpu_start, thread_cpu_ns()) {
            (Some(a), Some(b)) => b.saturating_sub(a) as f64,
            _ => wall_ns,
        };
        cpu.push(cpu_ns / queries);
        wall.push(wall_ns / queries);
    }
    (
        Measured {
            cpu: Stats::of(cpu),
            wall: Stats::of(wall),
            samples: REPS,
            passes,
            queries: inputs.len(),
        },
        out,
    )
}

/// The per-query figure of two measurements over the same number of queries each: the mean
/// of their medians (duration and deadline queries weighted equally).
fn combined(a: &Measured, b: &Measured) -> f64 {
    (a.cpu.median + b.cpu.median) / 2.0
}

// ---------------------------------------------------------------------------------------
// The calendar, three times

fn bank_holidays() -> Res<Vec<NaiveDate>> {
    let mut dates = Vec::with_capacity(BANK_HOLIDAYS.len());
    for (y, m, d) in BANK_HOLIDAYS {
        let date = NaiveDate::from_ymd_opt(y, m, d).ok_or("invalid holiday date")?;
        // A holiday on a weekend would be a typo here: England & Wales substitute a weekday.
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return Err(format!("bank holiday {date} falls on a weekend").into());
        }
        dates.push(date);
    }
    Ok(dates)
}

fn spec(holidays: &[NaiveDate]) -> Res<CalendarSpec> {
    let mut spec = CalendarSpec::new(
        "england-office",
        Week::weekdays(&[
            Segment::parse("09:00", "12:00")?,
            Segment::parse("13:00", "17:00")?,
        ]),
    );
    spec.holidays = holidays
        .iter()
        .map(|&date| Holiday::date(date).named("bank holiday"))
        .collect();
    Ok(spec)
}

/// Compiles `spec` in `tz` [`REPS`] times; the calendar and the median compile time (wall
/// clock: one compile is too short for the on-CPU clock).
fn compile<Z: TimeZone>(spec: &CalendarSpec, tz: &Z) -> Res<(Calendar, Elapsed)> {
    let (from, to) = horizon()?;
    let mut times = Vec::with_capacity(REPS);
    let mut calendar = None;
    for _ in 0..REPS {
        let t0 = Instant::now();
        let compiled = Calendar::compile(spec, tz, from, to)?;
        times.push(t0.elapsed());
        calendar = Some(compiled);
    }
    times.sort();
    let median = times.get(REPS / 2).copied().unwrap_or_default();
    Ok((calendar.ok_or("no calendar compiled")?, median))
}

fn horizon() -> Res<(NaiveDate, NaiveDate)> {
    let ((fy, fm, fd), (ty, tm, td)) = HORIZON;
    Ok((
        NaiveDate::from_ymd_opt(fy, fm, fd).ok_or("invalid horizon")?,
        NaiveDate::from_ymd_opt(ty, tm, td).ok_or("invalid horizon")?,
    ))
}

/// The same calendar as a workclock schedule in the IANA zone `zone`. The rule times and
/// dates are parsed from text into the jiff types that workclock's constructors take.
fn workclock_schedule(zone: &str, holidays: &[NaiveDate]) -> Res<Schedule> {
    let days = Weekdays::MON_TO_FRI;
    let dates = holidays
        .iter()
        .map(|d| d.to_string().parse())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Schedule::builder()
        .time_zone(zone)
        .rule(WorkDay::new("09:00".parse()?, "17:00".parse()?, days))
        .rule(Break::new("12:00".parse()?, "13:00".parse()?, days))
        .rule(Holidays::new(dates))
        .build()?)
}

/// A parser for the type that `f` both takes and returns: type inference reads it off
/// workclock's signatures (`add` takes any `impl Into<Timestamp>` and returns a `Timestamp`),
/// so `parser_of(|t| schedule.add(t, Default::default()))` parses `jiff::Timestamp`s.
fn parser_of<T: FromStr, E>(_f: impl Fn(T) -> Result<T, E>) -> impl Fn(&str) -> Option<T> {
    |text| text.parse().ok()
}

/// Parses `text` as the type of `_witness`.
fn parse_like<T: FromStr>(_witness: &T, text: &str) -> Option<T> {
    text.parse().ok()
}

/// An instant in seconds since the epoch, as RFC 3339 text in UTC.
fn rfc3339(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map_or_else(
        || format!("(out of range: {secs})"),
        |t| t.to_rfc3339_opts(SecondsFormat::Secs, true),
    )
}

/// An instant in nanoseconds since the epoch, in UTC and in London.
fn show(ns: i64) -> String {
    let t = DateTime::from_timestamp_nanos(ns);
    format!(
        "{} ({} London)",
        t.to_rfc3339_opts(SecondsFormat::Secs, true),
        t.with_timezone(&London).format("%a %Y-%m-%d %H:%M:%S")
    )
}

// ---------------------------------------------------------------------------------------
// The reference: a plain day-by-day walk, used to settle disagreements

/// Business time as a person would count it: for each local day, Monday to Friday and not a
/// holiday, 09:00-12:00 and 13:00-17:00 resolved in the zone with chrono-tz. It shares no
/// code with `itsm-calendar` (no prefix sums, no lookup tables).
struct Reference {
    tz: Tz,
    holidays: BTreeSet<NaiveDate>,
}

impl Reference {
    /// The open intervals of `day`, in nanoseconds since the epoch.
    fn day(&self, day: NaiveDate) -> Vec<(i64, i64)> {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || self.holidays.contains(&day) {
            return Vec::new();
        }
        let at = |hour: u32| {
            let local = day.and_hms_opt(hour, 0, 0)?;
            self.tz
                .from_local_datetime(&local)
                .earliest()?
                .timestamp_nanos_opt()
        };
        [(9, 12), (13, 17)]
            .iter()
            .filter_map(|&(s, e)| Some((at(s)?, at(e)?)))
            .collect()
    }

    fn local_date(&self, ns: i64) -> NaiveDate {
        self.tz.timestamp_nanos(ns).date_naive()
    }

    /// Business time from `a` to `b`, negative when `b` is earlier.
    fn duration(&self, a: i64, b: i64) -> i64 {
        let (lo, hi) = (a.min(b), a.max(b));
        let mut total = 0;
        let mut day = self.local_date(lo).pred_opt().unwrap_or(NaiveDate::MIN);
        let last = self.local_date(hi).succ_opt().unwrap_or(NaiveDate::MAX);
        while day <= last {
            for (s, e) in self.day(day) {
                total += (e.min(hi) - s.max(lo)).max(0);
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        if b < a { -total } else { total }
    }

    /// The earliest instant with `business` of business time since `start` (`business > 0`).
    fn add(&self, start: i64, business: i64) -> Option<i64> {
        let mut left = business;
        let mut day = self.local_date(start).pred_opt()?;
        for _ in 0..2000 {
            for (s, e) in self.day(day) {
                if e <= start {
                    continue;
                }
                let from = s.max(start);
                if left <= e - from {
                    return Some(from + left);
                }
                left -= e - from;
            }
            day = day.succ_opt()?;
        }
        None
    }
}

// ---------------------------------------------------------------------------------------
// Comparing answers

/// Answers of one peer for one kind of query in one zone, in nanoseconds (a duration, or a
/// deadline since the epoch); `None` where the peer failed.
struct PeerAnswers<'a> {
    peer: &'a str,
    zone: &'a str,
    kind: &'a str,
    answers: Vec<(usize, Option<i64>)>,
}

#[derive(Default)]
struct Tally {
    compared: usize,
    mismatches: usize,
    peer_errors: usize,
    examples: Vec<String>,
}

/// Compares a peer's answers with ours; a disagreement the reference settles in our favour is
/// a peer error, any other is a mismatch.
fn compare(
    peer: &PeerAnswers<'_>,
    ours: &[Option<i64>],
    reference: impl Fn(usize) -> Option<i64>,
    describe: impl Fn(usize) -> String,
) -> Tally {
    let mut tally = Tally::default();
    for &(index, theirs) in &peer.answers {
        tally.compared += 1;
        let mine = ours.get(index).copied().flatten();
        if mine.is_some() && theirs == mine {
            continue;
        }
        let settled = reference(index);
        let label = if mine.is_some() && settled == mine {
            tally.peer_errors += 1;
            "peer error"
        } else {
            tally.mismatches += 1;
            "MISMATCH"
        };
        if tally.examples.len() < 3 {
            let fmt = |v: Option<i64>| match (v, peer.kind) {
                (None, _) => "no answer".to_owned(),
                (Some(ns), "duration") => format!("{} s", ns / 1_000_000_000),
                (Some(ns), _) => show(ns),
            };
            tally.examples.push(format!(
                "{label}: {} {} {}: {}: {} {}, us {}, day-by-day reference {}",
                peer.peer,
                peer.zone,
                peer.kind,
                describe(index),
                peer.peer,
                fmt(theirs),
                fmt(mine),
                fmt(settled)
            ));
        }
    }
    tally
}

// ---------------------------------------------------------------------------------------
// Running each side

/// Our answers and figures for one zone.
struct OurRun {
    duration: Measured,
    add: Measured,
    /// `add` without turning the deadline into a local time (zoned only).
    add_utc_out: Option<Measured>,
    durations: Vec<Option<i64>>,
    deadlines: Vec<Option<i64>>,
}

/// Our durations in nanoseconds, for comparing.
fn duration_ns(answers: &[Option<Duration>]) -> Vec<Option<i64>> {
    answers
        .iter()
        .map(|d| d.and_then(|d| d.num_nanoseconds()))
        .collect()
}

fn nanos(secs: i64) -> i64 {
    secs.saturating_mul(1_000_000_000)
}

fn run_ours_utc(cal: &Calendar, w: &Workload) -> Res<OurRun> {
    let at = |secs: i64| DateTime::<Utc>::from_timestamp(secs, 0).ok_or("instant out of range");
    let spans = w
        .spans
        .iter()
        .map(|p| Ok((at(p.start)?, at(p.end)?)))
        .collect::<Res<Vec<_>>>()?;
    let deadlines = w
        .deadlines
        .iter()
        .map(|p| Ok((at(p.start)?, Duration::seconds(p.business))))
        .collect::<Res<Vec<_>>>()?;
    let (duration, d_out) = measure(&spans, |(a, b)| cal.duration(a, b).ok(), MIN_SAMPLE);
    let (add, a_out) = measure(&deadlines, |(s, d)| cal.add(s, *d).ok(), MIN_SAMPLE);
    Ok(OurRun {
        duration,
        add,
        add_utc_out: None,
        durations: duration_ns(&d_out),
        deadlines: a_out
            .iter()
            .map(|t| t.and_then(|t| t.timestamp_nanos_opt()))
            .collect(),
    })
}

fn run_ours_zoned(cal: &Calendar, w: &Workload) -> Res<OurRun> {
    let at = |secs: i64| {
        London
            .timestamp_opt(secs, 0)
            .single()
            .ok_or("instant out of range")
    };
    let spans = w
        .spans
        .iter()
        .map(|p| Ok((at(p.start)?, at(p.end)?)))
        .collect::<Res<Vec<_>>>()?;
    let deadlines = w
        .deadlines
        .iter()
        .map(|p| Ok((at(p.start)?, Duration::seconds(p.business))))
        .collect::<Res<Vec<_>>>()?;
    let (duration, d_out) = measure(&spans, |(a, b)| cal.duration(a, b).ok(), MIN_SAMPLE);
    // The deadline back in London time, as a host shows it.
    let (add, a_out) = measure(
        &deadlines,
        |(s, d)| cal.add(s, *d).ok().map(|t| t.with_timezone(&London)),
        MIN_SAMPLE,
    );
    // The same without the conversion, to show what it costs.
    let (add_utc_out, _) = measure(&deadlines, |(s, d)| cal.add(s, *d).ok(), MIN_SAMPLE);
    Ok(OurRun {
        duration,
        add,
        add_utc_out: Some(add_utc_out),
        durations: duration_ns(&d_out),
        deadlines: a_out
            .iter()
            .map(|t| t.and_then(|t| t.timestamp_nanos_opt()))
            .collect(),
    })
}

/// workclock's answers and figures for one zone.
struct PeerRun {
    duration: Measured,
    add: Measured,
    durations: Vec<Option<i64>>,
    deadlines: Vec<Option<i64>>,
}

/// Runs workclock on the pairs: in UTC with `jiff::Timestamp`s, or in `zone` with
/// `jiff::Zoned` inputs and deadlines converted back to the zone.
fn run_workclock(schedule: &Schedule, zone: Option<&str>, w: &Workload) -> Res<PeerRun> {
    let timestamp = parser_of(|t| schedule.add(t, Default::default()));
    let ts = |secs: i64| timestamp(&rfc3339(secs)).ok_or("workclock: unparsable instant");
    let epoch = ts(0)?;
    let zero = schedule.between(epoch, epoch);
    let business = |secs: i64| parse_like(&zero, &format!("PT{secs}S")).ok_or("bad duration");
    let to_i64 = |ns: i128| i64::try_from(ns).ok();
    match zone {
        None => {
            let spans = w
                .spans
                .iter()
                .map(|p| Ok((ts(p.start)?, ts(p.end)?)))
                .collect::<Res<Vec<_>>>()?;
            let deadlines = w
                .deadlines
                .iter()
                .map(|p| Ok((ts(p.start)?, business(p.business)?)))
                .collect::<Res<Vec<_>>>()?;
            let (duration, d_out) = measure(&spans, |(a, b)| schedule.between(*a, *b), MIN_SAMPLE);
            let (add, a_out) = measure(&deadlines, |(s, d)| schedule.add(*s, *d).ok(), MIN_SAMPLE);
            Ok(PeerRun {
                duration,
                add,
                durations: d_out.iter().map(|d| to_i64(d.as_nanos())).collect(),
                deadlines: a_out
                    .iter()
                    .map(|t| t.and_then(|t| to_i64(t.as_nanosecond())))
                    .collect(),
            })
        }
        Some(name) => {
            let zoned = |secs: i64| -> Res<_> { Ok(ts(secs)?.in_tz(name)?) };
            let tz = zoned(0)?.time_zone().clone();
            let spans = w
                .spans
                .iter()
                .map(|p| Ok((zoned(p.start)?, zoned(p.end)?)))
                .collect::<Res<Vec<_>>>()?;
            let deadlines = w
                .deadlines
                .iter()
                .map(|p| Ok((zoned(p.start)?, business(p.business)?)))
                .collect::<Res<Vec<_>>>()?;
            let (duration, d_out) = measure(&spans, |(a, b)| schedule.between(a, b), MIN_SAMPLE);
            // The deadline back in the zone, as for ours.
            let (add, a_out) = measure(
                &deadlines,
                |(s, d)| schedule.add(s, *d).ok().map(|t| t.to_zoned(tz.clone())),
                MIN_SAMPLE,
            );
            Ok(PeerRun {
                duration,
                add,
                durations: d_out.iter().map(|d| to_i64(d.as_nanos())).collect(),
                deadlines: a_out
                    .iter()
                    .map(|t| {
                        t.as_ref()
                            .and_then(|t| to_i64(t.timestamp().as_nanosecond()))
                    })
                    .collect(),
            })
        }
    }
}

/// Our figures per span bucket, for one zone: (duration, add) per bucket, `None` when empty.
fn ours_by_bucket<I: Clone, J: Clone, A, B>(
    spans: &[I],
    deadlines: &[J],
    span_bucket: &[usize],
    deadline_bucket: &[usize],
    duration: impl Fn(&I) -> A,
    add: impl Fn(&J) -> B,
) -> Vec<(usize, Option<Measured>, usize, Option<Measured>)> {
    let pick = |items_bucket: &[usize], b: usize| -> Vec<usize> {
        items_bucket
            .iter()
            .enumerate()
            .filter(|&(_, &k)| k == b)
            .map(|(i, _)| i)
            .collect()
    };
    (0..BUCKETS.len())
        .map(|b| {
            let si: Vec<I> = pick(span_bucket, b)
                .into_iter()
                .filter_map(|i| spans.get(i).cloned())
                .collect();
            let di: Vec<J> = pick(deadline_bucket, b)
                .into_iter()
                .filter_map(|i| deadlines.get(i).cloned())
                .collect();
            let dm = (!si.is_empty()).then(|| measure(&si, &duration, MIN_BUCKET_SAMPLE).0);
            let am = (!di.is_empty()).then(|| measure(&di, &add, MIN_BUCKET_SAMPLE).0);
            (si.len(), dm, di.len(), am)
        })
        .collect()
}

/// Where a UTC query's time goes, measured on the same inputs by proxies: the harness alone,
/// the input conversions that every query pays (`DateTime` to nanoseconds), the lookup of an
/// instant (`is_open`, one per input), and the output conversion of `add` (nanoseconds to a
/// `DateTime`); then both queries on a small cache-resident subset repeated, where the branch
/// predictor learns the inputs (a lower bound, not a workload).
fn where_time_goes(
    cal: &Calendar,
    spans: &[(DateTime<Utc>, DateTime<Utc>)],
    deadlines: &[(DateTime<Utc>, Duration)],
    answers: &[Option<i64>],
) {
    let line = |label: &str, m: &Measured| {
        println!(
            "  {label}: {:.1} ns/query on CPU (wall {:.1})",
            m.cpu.median, m.wall.median
        );
    };
    println!("where the time goes (utc, the same pairs, median of {REPS}):");
    let (m, _) = measure(spans, |(a, _)| *a, MIN_SAMPLE);
    line("harness alone (copy an input to the answer slot)", &m);
    let (m, _) = measure(
        spans,
        |(a, b)| (a.timestamp_nanos_opt(), b.timestamp_nanos_opt()),
        MIN_SAMPLE,
    );
    line(
        "two DateTime<Utc> to nanosecond conversions (a duration's inputs)",
        &m,
    );
    let (m, _) = measure(
        spans,
        |(a, b)| (cal.is_open(a).ok(), cal.is_open(b).ok()),
        MIN_SAMPLE,
    );
    line(
        "two is_open (conversion and lookup of each input; a duration without the subtraction)",
        &m,
    );
    let (m, _) = measure(spans, |(a, b)| cal.duration(a, b).ok(), MIN_SAMPLE);
    line("duration", &m);
    let (m, _) = measure(deadlines, |(s, _)| cal.is_open(s).ok(), MIN_SAMPLE);
    line("one is_open (an add's input)", &m);
    let (m, _) = measure(deadlines, |(s, d)| cal.add(s, *d).ok(), MIN_SAMPLE);
    line("add", &m);
    let ns: Vec<i64> = answers.iter().flatten().copied().collect();
    let (m, _) = measure(&ns, |&t| DateTime::from_timestamp_nanos(t), MIN_SAMPLE);
    line(
        "nanoseconds to DateTime<Utc> (an add's answer, as the crate builds it)",
        &m,
    );
    let small = 4096;
    let (m, _) = measure(
        spans.get(..small).unwrap_or(spans),
        |(a, b)| cal.duration(a, b).ok(),
        MIN_SAMPLE,
    );
    line(
        &format!("duration on the first {small} pairs, repeated (cache-resident, learnt branches)"),
        &m,
    );
    let (m, _) = measure(
        deadlines.get(..small).unwrap_or(deadlines),
        |(s, d)| cal.add(s, *d).ok(),
        MIN_SAMPLE,
    );
    line(
        &format!("add on the first {small} pairs, repeated (cache-resident, learnt branches)"),
        &m,
    );
}

// ---------------------------------------------------------------------------------------
// businesstimedelta

/// The Python packages of the peer, pinned where it matters.
const PYTHON_PACKAGES: [&str; 2] = ["businesstimedelta==1.0.1", "pytz"];

/// Sets up the virtual environment with businesstimedelta in it; the interpreter, or why
/// not.
fn businesstimedelta_env() -> Result<PathBuf, String> {
    println!(
        "businesstimedelta: installing it with pip into the virtual environment {} \
         (python3 -m venv, then pip install {}; never system-wide)",
        venv_dir().display(),
        PYTHON_PACKAGES.join(" ")
    );
    python_env(&PYTHON_PACKAGES)
}

/// What the Python peer reported for one zone.
#[derive(Default)]
struct PythonRun {
    pairs_run: usize,
    us_duration: f64,
    us_add: f64,
    us_query: f64,
    durations: Vec<(usize, Option<i64>)>,
    deadlines: Vec<(usize, Option<i64>)>,
    /// Per query: (kind is add, index, on-CPU ns).
    times: Vec<(bool, usize, u64)>,
    errors: Vec<String>,
}

impl PythonRun {
    /// Reads a figure off one line of the script's report.
    fn read_figure(&mut self, line: &str) {
        let value = |prefix: &str| {
            line.strip_prefix(prefix)
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse::<f64>().ok())
        };
        if let Some(v) = value("businesstimedelta us/query duration: ") {
            self.us_duration = v;
        } else if let Some(v) = value("businesstimedelta us/query add: ") {
            self.us_add = v;
        } else if let Some(v) = value("businesstimedelta us/query: ") {
            self.us_query = v;
        } else if let Some(v) = value("businesstimedelta pairs run: ") {
            self.pairs_run = v as usize;
        }
    }

    /// Reads the answers file: `<d|a> <index> <seconds|error> [<on-CPU ns>|<error text>]`.
    fn read_answers(&mut self, text: &str) -> Res<()> {
        for line in text.lines() {
            let mut fields = line.splitn(4, ' ');
            let (Some(kind), Some(index), Some(value)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let index: usize = index.parse()?;
            let rest = fields.next().unwrap_or("");
            let is_add = kind == "a";
            let answer = if value == "error" {
                if self.errors.len() < 3 {
                    self.errors.push(format!("{kind} #{index}: {rest}"));
                }
                None
            } else {
                let secs: i64 = value.parse()?;
                if let Ok(ns) = rest.trim().parse::<u64>() {
                    self.times.push((is_add, index, ns));
                }
                Some(nanos(secs))
            };
            if is_add {
                self.deadlines.push((index, answer));
            } else {
                self.durations.push((index, answer));
            }
        }
        Ok(())
    }
}

/// Writes the peer's input: the holidays, then the first `pairs` pairs of each kind.
fn write_python_input(path: &Path, w: &Workload, holidays: &[NaiveDate], pairs: usize) -> Res<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(f, "holidays")?;
    for d in holidays {
        write!(f, " {d}")?;
    }
    writeln!(f)?;
    for p in w.spans.iter().take(pairs) {
        writeln!(f, "d {} {}", p.start, p.end)?;
    }
    for p in w.deadlines.iter().take(pairs) {
        writeln!(f, "a {} {}", p.start, p.business)?;
    }
    f.flush()?;
    Ok(())
}

fn run_python(
    python: &Path,
    zone: &str,
    w: &Workload,
    holidays: &[NaiveDate],
    pairs: usize,
    budget: f64,
) -> Res<PythonRun> {
    let dir = target_dir();
    let input = dir.join("bench-sla-pairs.txt");
    let output = dir.join(format!("bench-sla-btd-{}.txt", zone.replace('/', "-")));
    write_python_input(&input, w, holidays, pairs)?;
    let mut script = python_script(python, "bench_businesstimedelta.py");
    script
        .arg(&input)
        .arg(zone)
        .arg(&output)
        .arg(format!("{budget}"));
    // The report is printed once the script has succeeded.
    let mut report = Vec::new();
    run_lines(script, |line| {
        report.push(line.to_owned());
        Ok(())
    })?;
    let mut run = PythonRun::default();
    for line in &report {
        println!("  [{zone}] {line}");
        run.read_figure(line);
    }
    run.read_answers(&std::fs::read_to_string(&output)?)?;
    Ok(run)
}

/// Runs businesstimedelta in both zones (each zone's run, or why it was skipped).
fn run_businesstimedelta<'z>(
    opts: &Options,
    w: &Workload,
    holidays: &[NaiveDate],
) -> Vec<(&'z str, PythonRun)> {
    let mut runs = Vec::new();
    if !opts.python {
        return runs;
    }
    let python = match businesstimedelta_env() {
        Ok(python) => python,
        Err(reason) => {
            println!("businesstimedelta: skipped ({reason})");
            return runs;
        }
    };
    println!(
        "businesstimedelta: offered the first {} pairs of each kind per zone, with a budget of \
         {} s of its on-CPU time per zone (it walks day by day)",
        opts.python_pairs.min(w.spans.len()),
        opts.python_budget
    );
    for (label, zone) in [("utc", "UTC"), ("zoned", "Europe/London")] {
        match run_python(
            &python,
            zone,
            w,
            holidays,
            opts.python_pairs,
            opts.python_budget,
        ) {
            Ok(run) => runs.push((label, run)),
            Err(e) => println!("businesstimedelta: skipped in {zone} ({e})"),
        }
    }
    runs
}

// ---------------------------------------------------------------------------------------
// The steps of a run

/// The options allowed on the command line.
const OPTIONS: [Opt; 4] = [
    Opt::value(
        "--pairs",
        "N",
        "duration pairs, and as many deadline pairs (200000)",
    ),
    Opt::value(
        "--python-pairs",
        "N",
        "pairs of each kind offered to businesstimedelta (100000)",
    ),
    Opt::value(
        "--python-budget",
        "SECONDS",
        "businesstimedelta's on-CPU budget per zone (60)",
    ),
    Opt::flag("--no-python", "skip businesstimedelta"),
];

struct Options {
    pairs: usize,
    python_pairs: usize,
    python_budget: f64,
    python: bool,
}

/// The options, or `None` after printing the help that `--help` asks for.
fn options() -> Res<Option<Options>> {
    let args = Args::from_env(&OPTIONS)?;
    if args.help() {
        println!("{}", usage("bench-sla", &OPTIONS));
        return Ok(None);
    }
    Ok(Some(Options {
        pairs: args.value("--pairs")?.unwrap_or(PAIRS),
        python_pairs: args.value("--python-pairs")?.unwrap_or(PYTHON_PAIRS),
        python_budget: args.value("--python-budget")?.unwrap_or(PYTHON_BUDGET_SECS),
        python: !args.flag("--no-python"),
    }))
}

/// The calendar of every side: ours compiled in both zones, workclock's schedules.
struct Calendars {
    holidays: Vec<NaiveDate>,
    utc: Calendar,
    zoned: Calendar,
    workclock_utc: Schedule,
    workclock_zoned: Schedule,
}

/// Builds the calendars, printing what they are and what building them took.
fn calendars() -> Res<Calendars> {
    let holidays = bank_holidays()?;
    let spec = spec(&holidays)?;
    let (from, to) = horizon()?;
    println!(
        "calendar: Monday to Friday 09:00-12:00 and 13:00-17:00 (lunch 12:00-13:00), closed on \
         {} England & Wales bank holidays 2026-2028; horizon: local days {from} to {to} \
         (excluded); in UTC and in Europe/London",
        holidays.len()
    );
    let (utc, compile_utc) = compile(&spec, &Utc)?;
    let (zoned, compile_zoned) = compile(&spec, &London)?;
    println!(
        "compile utc: {:.1} µs, zoned: {:.1} µs (median of {REPS}; {} open intervals)",
        compile_utc.as_secs_f64() * 1e6,
        compile_zoned.as_secs_f64() * 1e6,
        utc.intervals().count()
    );
    let t0 = Instant::now();
    let workclock_utc = workclock_schedule("UTC", &holidays)?;
    let workclock_zoned = workclock_schedule("Europe/London", &holidays)?;
    println!(
        "workclock build (both schedules): {:.1} µs",
        t0.elapsed().as_secs_f64() * 1e6
    );
    Ok(Calendars {
        holidays,
        utc,
        zoned,
        workclock_utc,
        workclock_zoned,
    })
}

/// Generates the pairs and says what they are.
fn workload(pairs: usize) -> Res<Workload> {
    let year_start = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("2026")?
        .timestamp();
    let w = generate(pairs, year_start);
    println!(
        "pairs: {} (start, end) and {} (start, business duration), seed {SEED:#x}; starts uniform \
         over 2026, spans log-uniform from 1 minute to 365 days, business durations \
         log-uniform from 1 minute to {MAX_BUSINESS_HOURS} hours; 1 in 10 starts, ends and \
         durations on a whole hour; whole seconds; the same pairs in both zones",
        w.spans.len(),
        w.deadlines.len()
    );
    Ok(w)
}

/// The day-by-day references: in UTC and in London.
fn references(holidays: &[NaiveDate]) -> [Reference; 2] {
    [Tz::UTC, London].map(|tz| Reference {
        tz,
        holidays: holidays.iter().copied().collect(),
    })
}

/// Counts our failed queries and the boundary cases the pairs exercise, and checks a sample
/// of our answers against the day-by-day references; prints what it found.
fn check_ours(
    cals: &Calendars,
    w: &Workload,
    ours: [&OurRun; 2],
    refs: &[Reference; 2],
) -> Res<()> {
    let failures = ours
        .iter()
        .flat_map(|o| [&o.durations, &o.deadlines])
        .map(|v| v.iter().filter(|a| a.is_none()).count())
        .sum::<usize>();
    println!("our queries that returned an error: {failures}");

    // Boundary cases, to show the conventions are exercised.
    for ((label, cal), ours) in [("utc", &cals.utc), ("zoned", &cals.zoned)]
        .into_iter()
        .zip(ours)
    {
        let (starts, closing) = boundary_cases(cal, w, ours);
        println!(
            "boundary cases {label}: {starts} pairs start or end on an opening or closing time; \
             {closing} deadlines fall exactly on a closing time"
        );
    }

    // Reference sample: ours against the day-by-day walk.
    let mut reference_disagreements = 0usize;
    let sample = 2000.min(w.spans.len());
    for (r, ours) in refs.iter().zip(ours) {
        for i in 0..sample {
            let k = i * (w.spans.len() / sample.max(1)).max(1);
            if let (Some(p), Some(mine)) = (w.spans.get(k), ours.durations.get(k)) {
                if Some(r.duration(nanos(p.start), nanos(p.end))) != *mine {
                    reference_disagreements += 1;
                }
            }
            if let (Some(p), Some(mine)) = (w.deadlines.get(k), ours.deadlines.get(k)) {
                if r.add(nanos(p.start), nanos(p.business)) != *mine {
                    reference_disagreements += 1;
                }
            }
        }
    }
    println!(
        "reference check: {reference_disagreements} disagreements between us and the \
         day-by-day reference on {} sampled queries",
        sample * 4
    );
    Ok(())
}

/// How many pairs start or end on an opening or closing time of `cal`, and how many of our
/// deadlines fall exactly on a closing time.
fn boundary_cases(cal: &Calendar, w: &Workload, ours: &OurRun) -> (usize, usize) {
    let on_boundary = |secs: i64| {
        let t = DateTime::<Utc>::from_timestamp(secs, 0);
        let before = DateTime::<Utc>::from_timestamp(secs - 1, 0);
        match (t, before) {
            (Some(t), Some(b)) => cal.is_open(&t).ok() != cal.is_open(&b).ok(),
            _ => false,
        }
    };
    let starts = w
        .spans
        .iter()
        .filter(|p| on_boundary(p.start) || on_boundary(p.end))
        .count()
        + w.deadlines.iter().filter(|p| on_boundary(p.start)).count();
    let closing = ours
        .deadlines
        .iter()
        .flatten()
        .filter(|&&ns| {
            let t = DateTime::from_timestamp_nanos(ns);
            cal.is_open(&t) == Ok(false) && cal.is_open(&(t - Duration::seconds(1))) == Ok(true)
        })
        .count();
    (starts, closing)
}

fn print_ours(utc: &OurRun, zoned: &OurRun) {
    println!("ours duration utc: {}", utc.duration.line());
    println!("ours add utc: {}", utc.add.line());
    println!("ours duration zoned: {}", zoned.duration.line());
    println!(
        "ours add zoned (deadline converted to London time): {}",
        zoned.add.line()
    );
    if let Some(m) = &zoned.add_utc_out {
        println!("ours add zoned, deadline left in UTC: {}", m.line());
    }
}

/// Runs workclock in both zones and prints its figures.
fn run_workclock_both(cals: &Calendars, w: &Workload) -> Res<[PeerRun; 2]> {
    let utc = run_workclock(&cals.workclock_utc, None, w)?;
    let zoned = run_workclock(&cals.workclock_zoned, Some("Europe/London"), w)?;
    println!("workclock duration utc: {}", utc.duration.line());
    println!("workclock add utc: {}", utc.add.line());
    println!("workclock duration zoned: {}", zoned.duration.line());
    println!(
        "workclock add zoned (deadline converted to London time): {}",
        zoned.add.line()
    );
    Ok([utc, zoned])
}

/// Our figures per span bucket in one zone (see [`ours_by_bucket`]).
type BucketFigures = Vec<(usize, Option<Measured>, usize, Option<Measured>)>;

/// The span bucket of every pair, and our figures per bucket in both zones.
struct Buckets {
    span: Vec<usize>,
    deadline: Vec<usize>,
    utc: BucketFigures,
    zoned: BucketFigures,
}

/// Measures our queries per span bucket (a duration pair's own span, a deadline pair's span
/// to our answer), then where a UTC query's time goes (printed).
fn measure_buckets(cals: &Calendars, w: &Workload, ours_utc: &OurRun) -> Buckets {
    let span: Vec<usize> = w.spans.iter().map(|p| bucket_of(p.end - p.start)).collect();
    let deadline: Vec<usize> = w
        .deadlines
        .iter()
        .zip(&ours_utc.deadlines)
        .map(|(p, t)| bucket_of(t.map_or(i64::MAX, |ns| ns / 1_000_000_000 - p.start)))
        .collect();
    let utc_inputs_spans: Vec<_> = w
        .spans
        .iter()
        .filter_map(|p| {
            Some((
                DateTime::<Utc>::from_timestamp(p.start, 0)?,
                DateTime::<Utc>::from_timestamp(p.end, 0)?,
            ))
        })
        .collect();
    let utc_inputs_deadlines: Vec<_> = w
        .deadlines
        .iter()
        .filter_map(|p| {
            Some((
                DateTime::<Utc>::from_timestamp(p.start, 0)?,
                Duration::seconds(p.business),
            ))
        })
        .collect();
    let zoned_inputs_spans: Vec<_> = utc_inputs_spans
        .iter()
        .map(|(a, b)| (a.with_timezone(&London), b.with_timezone(&London)))
        .collect();
    let zoned_inputs_deadlines: Vec<_> = utc_inputs_deadlines
        .iter()
        .map(|(a, d)| (a.with_timezone(&London), *d))
        .collect();
    let (cal_utc, cal_zoned) = (&cals.utc, &cals.zoned);
    let utc = ours_by_bucket(
        &utc_inputs_spans,
        &utc_inputs_deadlines,
        &span,
        &deadline,
        |(a, b)| cal_utc.duration(a, b).ok(),
        |(s, d)| cal_utc.add(s, *d).ok(),
    );
    let zoned = ours_by_bucket(
        &zoned_inputs_spans,
        &zoned_inputs_deadlines,
        &span,
        &deadline,
        |(a, b)| cal_zoned.duration(a, b).ok(),
        |(s, d)| cal_zoned.add(s, *d).ok().map(|t| t.with_timezone(&London)),
    );
    where_time_goes(
        cal_utc,
        &utc_inputs_spans,
        &utc_inputs_deadlines,
        &ours_utc.deadlines,
    );
    Buckets {
        span,
        deadline,
        utc,
        zoned,
    }
}

/// Compares every peer's answers with ours, zone by zone and kind by kind.
fn compare_all(
    w: &Workload,
    refs: &[Reference; 2],
    ours: [&OurRun; 2],
    workclock: &[PeerRun; 2],
    python_runs: &[(&str, PythonRun)],
) -> Vec<(String, Tally)> {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    for (((label, r), ours), wc) in ["utc", "zoned"]
        .into_iter()
        .zip(refs)
        .zip(ours)
        .zip(workclock)
    {
        let dur_ref = |i: usize| {
            w.spans
                .get(i)
                .map(|p| r.duration(nanos(p.start), nanos(p.end)))
        };
        let add_ref = |i: usize| {
            w.deadlines
                .get(i)
                .and_then(|p| r.add(nanos(p.start), nanos(p.business)))
        };
        let dur_desc = |i: usize| {
            w.spans.get(i).map_or(String::new(), |p| {
                format!("from {} to {}", rfc3339(p.start), rfc3339(p.end))
            })
        };
        let add_desc = |i: usize| {
            w.deadlines.get(i).map_or(String::new(), |p| {
                format!("{} plus {} s", rfc3339(p.start), p.business)
            })
        };
        let enumerate = |v: &[Option<i64>]| v.iter().copied().enumerate().collect::<Vec<_>>();
        let answers = |peer, kind, answers| PeerAnswers {
            peer,
            zone: label,
            kind,
            answers,
        };
        let mut sets = vec![
            answers("workclock", "duration", enumerate(&wc.durations)),
            answers("workclock", "add", enumerate(&wc.deadlines)),
        ];
        if let Some((_, run)) = python_runs.iter().find(|(l, _)| *l == label) {
            sets.push(answers(
                "businesstimedelta",
                "duration",
                run.durations.clone(),
            ));
            sets.push(answers("businesstimedelta", "add", run.deadlines.clone()));
        }
        for set in sets {
            let tally = if set.kind == "duration" {
                compare(&set, &ours.durations, dur_ref, dur_desc)
            } else {
                compare(&set, &ours.deadlines, add_ref, add_desc)
            };
            tallies.push((format!("{} {} {}", set.peer, set.zone, set.kind), tally));
        }
    }
    tallies
}

/// businesstimedelta's mean time per query of one kind in one bucket, in µs, and how many
/// queries it ran there.
fn python_bucket(
    python_runs: &[(&str, PythonRun)],
    buckets: &Buckets,
    label: &str,
    is_add: bool,
    b: usize,
) -> Option<(usize, f64)> {
    let (_, run) = python_runs.iter().find(|(l, _)| *l == label)?;
    let of = if is_add {
        &buckets.deadline
    } else {
        &buckets.span
    };
    let times: Vec<u64> = run
        .times
        .iter()
        .filter(|(a, i, _)| *a == is_add && of.get(*i) == Some(&b))
        .map(|(_, _, ns)| *ns)
        .collect();
    (!times.is_empty()).then(|| {
        (
            times.len(),
            times.iter().sum::<u64>() as f64 / times.len() as f64 / 1000.0,
        )
    })
}

fn print_buckets(buckets: &Buckets, python_runs: &[(&str, PythonRun)]) {
    println!(
        "span buckets (calendar span; ours in ns/query on CPU, median of {REPS}; \
         businesstimedelta in µs/query, one pass):"
    );
    for (b, (name, _)) in BUCKETS.iter().enumerate() {
        let fmt =
            |m: Option<&Measured>| m.map_or("-".to_owned(), |m| format!("{:.1}", m.cpu.median));
        let (Some(u), Some(z)) = (buckets.utc.get(b), buckets.zoned.get(b)) else {
            continue;
        };
        let py = |label: &str, is_add: bool| {
            python_bucket(python_runs, buckets, label, is_add, b)
                .map_or("-".to_owned(), |(n, us)| format!("{us:.0} ({n})"))
        };
        println!(
            "  bucket {name}: {} duration pairs, {} deadline pairs; ns/query duration utc {}, \
             add utc {}, duration zoned {}, add zoned {}; businesstimedelta µs/query (queries) \
             duration utc {}, add utc {}, duration zoned {}, add zoned {}",
            u.0,
            u.2,
            fmt(u.1.as_ref()),
            fmt(u.3.as_ref()),
            fmt(z.1.as_ref()),
            fmt(z.3.as_ref()),
            py("utc", false),
            py("utc", true),
            py("zoned", false),
            py("zoned", true),
        );
    }
}

/// Prints the conventions and every comparison, with the errors businesstimedelta raised.
fn print_agreement(tallies: &[(String, Tally)], python_runs: &[(&str, PythonRun)]) {
    println!("conventions (checked; none needed normalising on these inputs):");
    for c in CONVENTIONS {
        println!("  - {c}");
    }
    let mut mismatches = 0usize;
    let mut peer_errors = 0usize;
    for (label, t) in tallies {
        println!(
            "compared {label}: {} queries, {} mismatches, {} peer errors",
            t.compared, t.mismatches, t.peer_errors
        );
        for e in &t.examples {
            println!("    {e}");
        }
        mismatches += t.mismatches;
        peer_errors += t.peer_errors;
    }
    for (label, run) in python_runs {
        for e in &run.errors {
            println!("    businesstimedelta {label} raised: {e}");
        }
    }
    println!("peer errors: {peer_errors}");
    println!("mismatches: {mismatches}");
}

/// Prints the headline figures, the ratios to the peers and the aims' verdicts.
fn print_summary(ours: [&OurRun; 2], workclock: &[PeerRun; 2], python_runs: &[(&str, PythonRun)]) {
    let [ours_utc, ours_zoned] = ours;
    let [wc_u, wc_z] = workclock;
    let ns_utc = combined(&ours_utc.duration, &ours_utc.add);
    let ns_zoned = combined(&ours_zoned.duration, &ours_zoned.add);
    let wc_ns_utc = combined(&wc_u.duration, &wc_u.add);
    let wc_ns_zoned = combined(&wc_z.duration, &wc_z.add);
    println!("ns/query utc duration: {:.1}", ours_utc.duration.cpu.median);
    println!("ns/query utc add: {:.1}", ours_utc.add.cpu.median);
    println!(
        "ns/query zoned duration: {:.1}",
        ours_zoned.duration.cpu.median
    );
    println!("ns/query zoned add: {:.1}", ours_zoned.add.cpu.median);
    println!("ns/query utc: {ns_utc:.1}");
    println!("ns/query zoned: {ns_zoned:.1}");
    println!(
        "workclock ns per query utc: {wc_ns_utc:.1} (duration {:.1}, add {:.1})",
        wc_u.duration.cpu.median, wc_u.add.cpu.median
    );
    println!(
        "workclock ns per query zoned: {wc_ns_zoned:.1} (duration {:.1}, add {:.1})",
        wc_z.duration.cpu.median, wc_z.add.cpu.median
    );
    for (zone, ours, wc) in [("utc", ours_utc, wc_u), ("zoned", ours_zoned, wc_z)] {
        println!(
            "ratio vs workclock {zone} duration: {:.1}",
            wc.duration.cpu.median / ours.duration.cpu.median
        );
        println!(
            "ratio vs workclock {zone} add: {:.1}",
            wc.add.cpu.median / ours.add.cpu.median
        );
    }
    let ratio_utc = wc_ns_utc / ns_utc;
    let ratio_zoned = wc_ns_zoned / ns_zoned;
    println!("ratio vs workclock utc: {ratio_utc:.1}");
    println!("ratio vs workclock zoned: {ratio_zoned:.1}");
    for (label, run) in python_runs {
        let ours = if *label == "utc" { ns_utc } else { ns_zoned };
        println!(
            "businesstimedelta {label}: {} pairs of each kind run; µs/query duration {:.1}, \
             add {:.1}; µs/pair (one duration and one add) {:.1}",
            run.pairs_run,
            run.us_duration,
            run.us_add,
            run.us_duration + run.us_add
        );
        println!(
            "ratio vs businesstimedelta {label}: {:.0}",
            run.us_query * 1000.0 / ours
        );
    }
    println!(
        "aims: <= {AIM_UTC_NS} ns/query utc: {}; <= {AIM_ZONED_NS} ns/query zoned: {}; >= \
         {AIM_RATIO}x workclock utc: {}; zoned: {}",
        verdict(ns_utc <= AIM_UTC_NS),
        verdict(ns_zoned <= AIM_ZONED_NS),
        verdict(ratio_utc >= AIM_RATIO),
        verdict(ratio_zoned >= AIM_RATIO),
    );
}

fn main() -> Res<()> {
    let Some(opts) = options()? else {
        return Ok(());
    };
    println!(
        "bench-sla: one thread; {} CPUs visible; load average at start {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());

    let cals = calendars()?;
    let w = workload(opts.pairs)?;

    // Ours, checked against the day-by-day references.
    let ours_utc = run_ours_utc(&cals.utc, &w)?;
    let ours_zoned = run_ours_zoned(&cals.zoned, &w)?;
    let ours = [&ours_utc, &ours_zoned];
    let refs = references(&cals.holidays);
    check_ours(&cals, &w, ours, &refs)?;
    print_ours(&ours_utc, &ours_zoned);

    // The peers.
    let workclock = run_workclock_both(&cals, &w)?;
    let buckets = measure_buckets(&cals, &w, &ours_utc);
    let python_runs = run_businesstimedelta(&opts, &w, &cals.holidays);

    // Agreement and figures.
    let tallies = compare_all(&w, &refs, ours, &workclock, &python_runs);
    print_buckets(&buckets, &python_runs);
    print_agreement(&tallies, &python_runs);
    print_summary(ours, &workclock, &python_runs);
    println!("load average at end: {}", load_average());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_nanos_opt()
            .unwrap()
    }

    fn reference(tz: Tz) -> Reference {
        Reference {
            tz,
            holidays: bank_holidays().unwrap().into_iter().collect(),
        }
    }

    #[test]
    fn buckets_split_at_their_bounds() {
        assert_eq!(bucket_of(60), 0);
        assert_eq!(bucket_of(3600), 1);
        assert_eq!(bucket_of(86_400), 2);
        assert_eq!(bucket_of(365 * 86_400), 4);
    }

    #[test]
    fn reference_counts_hours_lunch_weekends_and_holidays() {
        let r = reference(Tz::UTC);
        let hour = 3_600_000_000_000;
        // Friday 16:00 to Monday 10:00: one hour each side of the weekend.
        let fri = utc("2026-03-06T16:00:00Z");
        assert_eq!(r.duration(fri, utc("2026-03-09T10:00:00Z")), 2 * hour);
        assert_eq!(r.add(fri, 2 * hour), Some(utc("2026-03-09T10:00:00Z")));
        // A deadline that uses up the morning falls at its close, not after lunch.
        let mon = utc("2026-03-09T09:00:00Z");
        assert_eq!(r.add(mon, 3 * hour), Some(utc("2026-03-09T12:00:00Z")));
        assert_eq!(r.duration(mon, utc("2026-03-09T17:00:00Z")), 7 * hour);
        // Thursday 2 April 16:00 plus two hours skips Good Friday, the weekend and Easter
        // Monday.
        let thu = utc("2026-04-02T16:00:00Z");
        assert_eq!(r.add(thu, 2 * hour), Some(utc("2026-04-07T10:00:00Z")));
    }

    #[test]
    fn reference_follows_london_summer_time() {
        let r = reference(London);
        // 09:00 in London on Monday 30 March 2026 (BST) is 08:00 UTC.
        let sunday = utc("2026-03-29T12:00:00Z");
        let hour = 3_600_000_000_000;
        assert_eq!(r.add(sunday, hour), Some(utc("2026-03-30T09:00:00Z")));
    }

    #[test]
    fn disagreements_are_settled_by_the_reference() {
        let peer = PeerAnswers {
            peer: "peer",
            zone: "utc",
            kind: "duration",
            answers: vec![(0, Some(5)), (1, Some(6)), (2, None), (3, Some(7))],
        };
        let ours = [Some(5), Some(5), Some(5), Some(8)];
        // #1 and #2: the reference sides with us (peer errors); #3: with the peer (mismatch).
        let settled = [Some(5), Some(5), Some(5), Some(7)];
        let tally = compare(
            &peer,
            &ours,
            |i| settled.get(i).copied().flatten(),
            |i| format!("pair {i}"),
        );
        assert_eq!(tally.compared, 4);
        assert_eq!(tally.peer_errors, 2);
        assert_eq!(tally.mismatches, 1);
        assert_eq!(tally.examples.len(), 3);
    }
}
