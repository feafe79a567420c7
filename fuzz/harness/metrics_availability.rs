//! The fuzz harness of service availability, as a plain function of bytes.
//!
//! The libFuzzer target `metrics_availability` calls [`availability`], and so does the
//! stable test `crates/itsm-metrics/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/metrics_availability/`.
//!
//! The bytes are JSON: `[commitment, outages, periods]` (an `itsm_metrics::Commitment`, a
//! list of `Outage`s, a list of `Period`s). Whatever decodes is measured without a schedule
//! and with a toy one (half of every span), and the daily, weekly, monthly and annual periods
//! around the outages are cut (at most 400 walked; in a fixed offset and in a real zone whose
//! history skips midnights and whole days) and measured too. Nothing may panic, and
//! for every answer: downtime within the time measured, scheduled figures within the wall
//! ones, commitment outages at most the total outages, the percentage in `[0, 100]`, `met`
//! exactly when the error budget is not overdrawn, MTBSI = MTBF + MTRS to a nanosecond per
//! outage, and reversing the outages changes nothing.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use itsm_metrics::{Availability, Commitment, Interval, Outage, Period, WorkingTime, periods};

/// Half of every span is scheduled (never fails).
struct Half;

impl WorkingTime for Half {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        Some(Duration::milliseconds(
            to.signed_duration_since(from).num_milliseconds() / 2,
        ))
    }
}

fn check(a: &Availability) {
    let zero = Duration::zero();
    assert!(
        a.downtime >= zero && a.downtime <= a.scheduled_time,
        "{a:?}"
    );
    assert!(
        a.total_downtime >= zero && a.total_downtime <= a.total_time,
        "{a:?}"
    );
    assert!(a.downtime <= a.total_downtime, "{a:?}");
    assert!(a.scheduled_time <= a.total_time + a.excluded_time, "{a:?}");
    assert!(a.outages <= a.total_outages, "{a:?}");
    assert_eq!(a.outages == 0, a.downtime == zero, "{a:?}");
    for p in [a.availability, a.total_availability].into_iter().flatten() {
        assert!((0.0..=100.0).contains(&p), "{a:?}");
    }
    assert_eq!(a.availability.is_some(), a.scheduled_time > zero, "{a:?}");
    assert_eq!(
        a.met,
        a.availability.map(|_| a.budget_left >= zero),
        "{a:?}"
    );
    assert_eq!(a.budget_left, a.acceptable_downtime - a.downtime, "{a:?}");
    assert!(
        a.acceptable_downtime >= zero && a.acceptable_downtime <= a.scheduled_time,
        "{a:?}"
    );
    if let (Some(f), Some(r), Some(i)) = (a.mtbf, a.mtrs, a.mtbsi) {
        let slack = f + r - i;
        assert!(slack <= zero && slack > -Duration::nanoseconds(2), "{a:?}");
    } else {
        assert_eq!(
            (a.mtbf, a.mtrs, a.mtbsi, a.outages),
            (None, None, None, 0),
            "{a:?}"
        );
    }
    if a.credit.is_some() {
        assert!(a.availability.is_some(), "{a:?}");
    }
}

fn measure(c: &Commitment, outages: &[Outage], periods: &[Period]) {
    let mut reversed = outages.to_vec();
    reversed.reverse();
    for schedule in [None, Some(&Half as &dyn WorkingTime)] {
        let Ok(all) = c.measure(outages, periods, schedule) else {
            assert!(c.measure(&reversed, periods, schedule).is_err());
            continue;
        };
        assert_eq!(all.len(), periods.len());
        all.iter().for_each(check);
        let Ok(again) = c.measure(&reversed, periods, schedule) else {
            panic!("reversed outages were refused");
        };
        assert_eq!(again, all);
    }
}

/// JSON `[commitment, outages, periods]`, then every figure: never a panic, every invariant
/// holds.
pub fn availability(data: &[u8]) {
    let Ok((c, outages, given)) =
        serde_json::from_slice::<(Commitment, Vec<Outage>, Vec<Period>)>(data)
    else {
        return;
    };
    measure(&c, &outages, &given);
    let begins = outages.iter().map(|o| o.begin);
    let (Some(from), Some(to)) = (begins.clone().min(), begins.max()) else {
        return;
    };
    let to = outages.iter().filter_map(|o| o.end).fold(to, DateTime::max);
    // A zone from the data: a fixed offset up to a day either side of UTC, or a real zone
    // whose history skips midnights and whole days.
    let pick = data.len();
    let offset = (pick as i32 * 1_237) % 86_399;
    let Some(fixed) = FixedOffset::east_opt(offset) else {
        return;
    };
    let real = [
        chrono_tz::America::Santiago,
        chrono_tz::Pacific::Apia,
        chrono_tz::Africa::Monrovia,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Asia::Kathmandu,
    ];
    let Some(end) = to.checked_add_signed(Duration::nanoseconds(1)) else {
        return;
    };
    for interval in [
        Interval::Daily,
        Interval::Weekly,
        Interval::Monthly,
        Interval::Annually,
    ] {
        cut_and_measure(&c, &outages, interval, &fixed, from, end);
        if let Some(zone) = real.get(pick % real.len()) {
            cut_and_measure(&c, &outages, interval, zone, from, end);
        }
    }
}

/// At most 400 periods of `interval` in `zone` around the outages: they tile time from a
/// start at or before `from`, none empty, and measure like any other periods.
fn cut_and_measure<Tz: chrono::TimeZone>(
    c: &Commitment,
    outages: &[Outage],
    interval: Interval,
    zone: &Tz,
    from: DateTime<Utc>,
    end: DateTime<Utc>,
) {
    let Ok(cut) = periods(interval, zone, from, end) else {
        return;
    };
    let cut: Vec<Period> = cut.take(400).collect();
    assert!(cut.iter().all(|p| p.start < p.end), "{cut:?}");
    assert!(cut.windows(2).all(|w| w[0].end == w[1].start), "{cut:?}");
    if let Some(first) = cut.first() {
        assert!(first.start <= from, "{first:?} {from}");
    }
    measure(c, outages, &cut);
}
