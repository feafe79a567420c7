//! The exact laws of business time, property-tested on random calendars in real and
//! made-up zones.
//!
//! With `d(a, b)` for [`Calendar::duration`] and `add` for [`Calendar::add`]:
//!
//! - `add(s, d(s, e)) == e` whenever `e` is open and is not the opening instant of a segment
//!   preceded by closed time; more precisely, forward `add` gives the *earliest* instant at
//!   that business distance (the instant just before it is open) and backward `add` the
//!   *latest* (it is open itself), so a backward result is `e` for every open `e`;
//! - `d(s, add(s, x)) == x` for every `x` that stays in the horizon, both signs, and an exact
//!   [`Error::PastHorizon`] for every `x` that does not;
//! - `d` is additive over splits, antisymmetric, monotone in its second argument and never
//!   more than wall time; `add` is monotone in `x` and composes for steps of one sign;
//! - `is_open`, `next_open`, `covers`, `overlaps`, `end_of_business_day` and `next_fit` agree
//!   with `d`;
//! - every answer is the same whatever zone the query instants are written in.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::cell::Cell;

use chrono::{Duration, NaiveDate, TimeZone};
use chrono_tz::{America, Asia, Europe, Tz};
use common::{
    Case, NS, Probe, case, change_days, config, date, modern_anchors, modern_zones, ns,
    random_zone, run, utc, writing_zones, written,
};
use itsm_calendar::{Calendar, Error};
use proptest::prelude::*;

const CASES: u32 = 64;

fn nanos(d: Duration) -> i64 {
    d.num_nanoseconds().unwrap()
}

/// A compiled calendar with its queries on nanoseconds, unwrapped.
struct Cal {
    cal: Calendar,
    from: i64,
    to: i64,
    total: i64,
    intervals: Vec<(i64, i64)>,
}

impl Cal {
    fn d(&self, a: i64, b: i64) -> i64 {
        nanos(self.cal.duration(&utc(a), &utc(b)).unwrap())
    }

    fn pos(&self, t: i64) -> i64 {
        self.d(self.from, t)
    }

    fn add(&self, t: i64, x: i64) -> Result<i64, Error> {
        self.cal
            .add(&utc(t), Duration::nanoseconds(x))
            .map(|r| ns(&r))
    }

    fn open(&self, t: i64) -> bool {
        self.cal.is_open(&utc(t)).unwrap()
    }

    /// Whether `t` opens a segment after closed time (or at the horizon's start).
    fn opens_after_closed(&self, t: i64) -> bool {
        self.open(t) && (t == self.from || !self.open(t - 1))
    }

    /// A query instant in the horizon: on, just around or between interval boundaries.
    fn pick(&self, p: &Probe) -> i64 {
        let span = u64::try_from(self.to - self.from).unwrap();
        let nudge = [-NS, -1, 0, 0, 1, NS, -450 * NS, 450 * NS][usize::from(p.nudge % 8)];
        let t = match p.kind % 5 {
            0 | 1 => {
                let k = usize::try_from(p.pick % self.intervals.len() as u64).unwrap();
                let (s, e) = self.intervals[k];
                if p.pick % 2 == 0 { s } else { e }
            }
            2 => [self.from, self.to][usize::from(p.nudge % 2)],
            _ => self.from + i64::try_from(p.pick % (span + 1)).unwrap(),
        };
        (t + nudge).clamp(self.from, self.to)
    }
}

/// What the generator reached.
#[derive(Debug, Default)]
struct Seen {
    cases: Cell<usize>,
    round_trips: Cell<usize>,
    opening_instants: Cell<usize>,
    backward: Cell<usize>,
    past: Cell<usize>,
}

fn bump(c: &Cell<usize>) {
    c.set(c.get() + 1);
}

fn laws<Z: TimeZone>(tz: &Z, case: &Case, seen: &Seen) -> Result<(), TestCaseError> {
    let cal = match Calendar::compile(&case.spec, tz, case.from, case.to) {
        Ok(cal) => cal,
        Err(Error::NoOpenTime { .. }) => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("does not compile: {e}"))),
    };
    bump(&seen.cases);
    let c = Cal {
        from: ns(&cal.horizon_start()),
        to: ns(&cal.horizon_end()),
        total: nanos(cal.total_open()),
        intervals: cal.intervals().map(|(s, e)| (ns(&s), ns(&e))).collect(),
        cal,
    };
    prop_assert_eq!(c.pos(c.to), c.total);
    // Every interval lies in the horizon, non-empty, in order, apart.
    prop_assert!(c.from <= c.intervals[0].0 && c.intervals[c.intervals.len() - 1].1 <= c.to);
    prop_assert!(c.intervals.iter().all(|(s, e)| s < e));
    prop_assert!(c.intervals.windows(2).all(|w| w[0].1 <= w[1].0));
    let instants: Vec<i64> = case.probes.iter().map(|p| c.pick(p)).collect();
    let n = instants.len();
    for (k, p) in case.probes.iter().enumerate() {
        let (t, u, v) = (instants[k], instants[(k + 1) % n], instants[(k + 2) % n]);
        let (dtu, duv, dtv) = (c.d(t, u), c.d(u, v), c.d(t, v));

        // add(t, d(t, u)) == u, by the boundary convention.
        let r = c.add(t, dtu).unwrap();
        prop_assert_eq!(c.d(t, r), dtu);
        if dtu > 0 {
            prop_assert!(
                r <= u && c.open(r - 1),
                "forward: earliest, {} for {}",
                r,
                u
            );
        }
        if dtu < 0 {
            prop_assert!(r >= u && c.open(r), "backward: latest, {} for {}", r, u);
        }
        if c.open(u) {
            if c.opens_after_closed(u) {
                bump(&seen.opening_instants);
            } else {
                prop_assert_eq!(r, u, "add(t, d(t, u)) for t = {}", t);
                bump(&seen.round_trips);
            }
            if dtu < 0 {
                prop_assert_eq!(r, u, "backward lands on u itself");
                bump(&seen.backward);
            }
        }

        // d(t, add(t, x)) == x for every x in the horizon; PastHorizon for the others.
        let (lo, hi) = (-c.pos(t), c.total - c.pos(t));
        let x = lo + i64::try_from(p.other % u64::try_from(hi - lo + 1).unwrap()).unwrap();
        let y = lo + i64::try_from(p.pick % u64::try_from(hi - lo + 1).unwrap()).unwrap();
        for x in [x, y, lo, hi, 0, 1.min(hi), (-1).max(lo)] {
            let r = c.add(t, x).unwrap();
            prop_assert!(c.from <= r && r <= c.to);
            prop_assert_eq!(c.d(t, r), x, "d(t, add(t, x)) for t = {}, x = {}", t, x);
        }
        let past = Err(Error::PastHorizon {
            what: "adding the duration",
            at: utc(t),
            from: utc(c.from),
            to: utc(c.to),
        });
        prop_assert_eq!(c.add(t, hi + 1), past.clone());
        prop_assert_eq!(c.add(t, lo - 1), past.clone());
        prop_assert_eq!(c.add(t, i64::MAX), past.clone());
        prop_assert_eq!(c.add(t, i64::MIN), past);
        bump(&seen.past);

        // add is monotone in x, and steps of one sign compose.
        let (a1, a2) = (c.add(t, x.min(y)).unwrap(), c.add(t, x.max(y)).unwrap());
        prop_assert!(a1 <= a2, "add monotone: {} {}", x, y);
        for (x1, x2) in [(x / 3, x - x / 3), (y / 2, y - y / 2)] {
            if (x1 > 0 && x2 > 0) || (x1 < 0 && x2 < 0) {
                let step = c.add(c.add(t, x1).unwrap(), x2).unwrap();
                prop_assert_eq!(step, c.add(t, x1 + x2).unwrap());
            }
        }

        // d: additive, antisymmetric, monotone, at most wall time.
        prop_assert_eq!(dtu + duv, dtv, "additive");
        prop_assert_eq!(c.d(u, t), -dtu, "antisymmetric");
        prop_assert_eq!(c.d(t, t), 0);
        let (near, far) = (u.min(v), u.max(v));
        prop_assert!(c.d(t, near) <= c.d(t, far), "monotone");
        prop_assert!(dtu.abs() <= (u - t).abs(), "at most wall time");

        // The other queries agree with d.
        if t < c.to {
            prop_assert_eq!(c.open(t), c.d(t, t + 1) == 1);
        }
        match c.cal.next_open(&utc(t)) {
            Ok(o) => {
                let o = ns(&o);
                prop_assert!(o >= t && c.open(o) && c.d(t, o) == 0);
            }
            Err(e) => {
                prop_assert_eq!(c.pos(t), c.total, "{}", e);
            }
        }
        let (a, b) = (t.min(u), t.max(u));
        prop_assert_eq!(c.cal.covers(&utc(a), &utc(b)), Ok(c.d(a, b) == b - a));
        prop_assert_eq!(c.cal.covers(&utc(b), &utc(a)), Ok(a == b));
        prop_assert_eq!(c.cal.overlaps(&utc(a), &utc(b)), Ok(c.d(a, b) > 0));
        prop_assert_eq!(c.cal.overlaps(&utc(b), &utc(a)), Ok(false));
        match c.cal.end_of_business_day(&utc(t)) {
            Ok(e) => {
                let e = ns(&e);
                prop_assert!(e > t && c.open(e - 1), "a closing time after t");
            }
            Err(_) => prop_assert_eq!(c.pos(t), c.total),
        }
        let length = x.abs().min(c.total);
        if let Some(f) = c
            .cal
            .next_fit(&utc(t), Duration::nanoseconds(length))
            .unwrap()
        {
            let f = ns(&f);
            prop_assert!(f >= t && f + length <= c.to);
            prop_assert!(c.d(f, f + length) == length, "the window fits");
            prop_assert!(f == t || c.opens_after_closed(f), "a window starts a run");
        }

        // The same answers whatever zone the instants are written in.
        for zone in 0..u8::try_from(writing_zones().len()).unwrap() {
            let (wt, wu) = (written(t, zone), written(u, zone.wrapping_add(3)));
            prop_assert_eq!(c.cal.duration(&wt, &wu).map(nanos), Ok(dtu));
            prop_assert_eq!(c.cal.is_open(&wt), c.cal.is_open(&utc(t)));
            prop_assert_eq!(c.cal.next_open(&wt), c.cal.next_open(&utc(t)));
            prop_assert_eq!(
                c.cal.add(&wt, Duration::nanoseconds(x)).map(|r| ns(&r)),
                c.add(t, x)
            );
            prop_assert_eq!(
                c.cal.end_of_business_day(&wt),
                c.cal.end_of_business_day(&utc(t))
            );
            prop_assert_eq!(c.cal.covers(&wt, &wu), c.cal.covers(&utc(t), &utc(u)));
            prop_assert_eq!(c.cal.overlaps(&wt, &wu), c.cal.overlaps(&utc(t), &utc(u)));
            prop_assert_eq!(
                c.cal.next_fit(&wt, Duration::nanoseconds(length)),
                c.cal.next_fit(&utc(t), Duration::nanoseconds(length))
            );
        }
    }
    Ok(())
}

fn reached(seen: &Seen) {
    for (what, n) in [
        ("compiled calendars", &seen.cases),
        ("exact round trips", &seen.round_trips),
        ("opening instants after closed time", &seen.opening_instants),
        ("backward round trips", &seen.backward),
        ("additions past the horizon", &seen.past),
    ] {
        assert!(n.get() > 0, "the generator never reached {what}: {seen:?}");
    }
}

fn in_zone(tz: Tz, anchors: Vec<NaiveDate>, reach: i64, file: &'static str) {
    let seen = Seen::default();
    run(config(CASES, file), &case(anchors, reach), |c| {
        laws(&tz, &c, &seen)
    });
    reached(&seen);
}

#[test]
fn laws_hold_in_utc() {
    in_zone(
        modern_zones()[0],
        modern_anchors(),
        300,
        "proptest-regressions/laws-utc.txt",
    );
}

#[test]
fn laws_hold_in_new_york() {
    in_zone(
        America::New_York,
        modern_anchors(),
        300,
        "proptest-regressions/laws-new-york.txt",
    );
}

#[test]
fn laws_hold_in_berlin() {
    in_zone(
        Europe::Berlin,
        modern_anchors(),
        300,
        "proptest-regressions/laws-berlin.txt",
    );
}

#[test]
fn laws_hold_in_london() {
    in_zone(
        Europe::London,
        modern_anchors(),
        300,
        "proptest-regressions/laws-london.txt",
    );
}

#[test]
fn laws_hold_in_kolkata_then_and_now() {
    in_zone(
        Asia::Kolkata,
        vec![
            date(1870, 1, 1),
            date(1906, 1, 1),
            date(1942, 5, 15),
            date(2024, 3, 10),
        ],
        300,
        "proptest-regressions/laws-kolkata.txt",
    );
}

#[test]
fn laws_hold_on_lord_howe() {
    in_zone(
        chrono_tz::Australia::Lord_Howe,
        modern_anchors(),
        300,
        "proptest-regressions/laws-lord-howe.txt",
    );
}

#[test]
fn laws_hold_in_havana_and_santiago() {
    in_zone(
        America::Havana,
        modern_anchors(),
        300,
        "proptest-regressions/laws-havana.txt",
    );
    in_zone(
        America::Santiago,
        modern_anchors(),
        300,
        "proptest-regressions/laws-santiago.txt",
    );
}

#[test]
fn laws_hold_in_made_up_zones() {
    let seen = Seen::default();
    let strategy = random_zone().prop_flat_map(|zone| {
        let days = change_days(&zone);
        (Just(zone), case(days, 10))
    });
    run(
        config(CASES * 2, "proptest-regressions/laws-made-up-zones.txt"),
        &strategy,
        |(zone, c)| laws(&zone, &c, &seen),
    );
    reached(&seen);
}
