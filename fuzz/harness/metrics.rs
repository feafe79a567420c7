//! The fuzz harness of the KPIs, as a plain function of bytes.
//!
//! The libFuzzer target `metrics_timelines` calls [`timelines`], and so does the stable test
//! `crates/itsm-metrics/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/metrics_timelines/` in `cargo test`.
//!
//! The bytes are JSON: an array of timelines (`itsm_core::Timeline`, checked on
//! the way in). Whatever decodes, every KPI is computed under every combination of options,
//! with a toy business clock, and the backlog is sampled at every instant the timelines name.
//! Nothing may panic, and: every ratio has `count <= of`; every duration summary is ordered
//! (`min <= p50 <= p90 <= p95 <= max`, the mean between min and max) and not negative;
//! reversing the timelines changes nothing; each backlog sample's age buckets add up to its
//! open count, which equals the number of ticket-practice timelines whose phase at that instant is new, open
//! or pending.

use chrono::{DateTime, Duration, Utc};
use itsm_core::Category;
use itsm_core::Timeline;
use itsm_metrics::{
    Cycle, DurationStats, FirstContact, Kpis, Options, PausedTime, Ratio, WorkingTime, backlog,
};

/// Half of every span counts as business time (exact, never fails).
struct Half;

impl WorkingTime for Half {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        Some(Duration::milliseconds(
            to.signed_duration_since(from).num_milliseconds() / 2,
        ))
    }
}

fn ratio_ok(r: &Ratio) {
    assert!(r.count <= r.of, "{r:?}");
    if let Some(v) = r.value() {
        assert!((0.0..=1.0).contains(&v), "{r:?}");
    }
}

fn stats_ok(s: &Option<DurationStats>) {
    if let Some(s) = s {
        assert!(s.count > 0);
        assert!(s.min >= Duration::zero(), "{s:?}");
        assert!(
            s.min <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.p95 && s.p95 <= s.max,
            "{s:?}"
        );
        assert!(s.min <= s.mean && s.mean <= s.max, "{s:?}");
    }
}

fn kpis_ok(k: &Kpis) {
    for s in [
        &k.time_to_acknowledge,
        &k.time_to_resolve,
        &k.business_time_to_acknowledge,
        &k.business_time_to_resolve,
        &k.time_to_known_error,
    ] {
        stats_ok(s);
    }
    for r in [
        &k.first_contact_resolution,
        &k.reopen_rate,
        &k.reassignment_rate,
        &k.sla_attainment,
        &k.change_success_rate,
        &k.emergency_change_ratio,
    ] {
        ratio_ok(r);
    }
    k.sla_by_name.values().for_each(ratio_ok);
}

/// JSON timelines, then every KPI and the backlog: never a panic, every invariant holds.
pub fn timelines(data: &[u8]) {
    let Ok(timelines) = serde_json::from_slice::<Vec<Timeline>>(data) else {
        return;
    };
    let mut reversed = timelines.clone();
    reversed.reverse();
    for cycle in [Cycle::First, Cycle::Final] {
        for paused in [PausedTime::Counted, PausedTime::Excluded] {
            for first_contact in [
                FirstContact::FlagElseDerived,
                FirstContact::FlagOnly,
                FirstContact::Derived,
            ] {
                let mut options = Options::default();
                options.cycle = cycle;
                options.paused = paused;
                options.first_contact = first_contact;
                let k = Kpis::compute(&timelines, &options, Some(&Half));
                kpis_ok(&k);
                assert_eq!(k, Kpis::compute(&reversed, &options, Some(&Half)));
                let plain = Kpis::compute(&timelines, &options, None);
                assert_eq!(plain.business_time_to_resolve, None);
                assert_eq!(plain.time_to_resolve, k.time_to_resolve);
            }
        }
    }
    let mut samples: Vec<DateTime<Utc>> = Vec::new();
    for t in &timelines {
        samples.push(t.opened_at());
        samples.extend(t.marks().iter().map(|m| m.at));
    }
    samples.truncate(64);
    let bounds = [Duration::hours(1), Duration::days(1), Duration::days(7)];
    let options = Options::default();
    let Ok(backlog) = backlog(&timelines, &options, &samples, &bounds) else {
        panic!("valid bounds were refused");
    };
    assert_eq!(backlog.len(), samples.len());
    for (s, at) in backlog.iter().zip(&samples) {
        assert_eq!(s.at, *at);
        assert_eq!(s.by_age.len(), bounds.len() + 1);
        assert_eq!(s.by_age.iter().sum::<u64>(), s.open, "{s:?}");
        let naive = timelines
            .iter()
            .filter(|t| options.ticket_practices.contains(&t.practice()))
            .filter(|t| {
                matches!(
                    t.category_at(*at),
                    Some(Category::New | Category::Open | Category::Pending)
                )
            })
            .count();
        assert_eq!(s.open, naive as u64, "{s:?}");
    }
}
