//! Service availability against a commitment: one test per rule that ServiceNow's Service
//! Portfolio Management documents (and Centreon's, for planned downtime left out), each
//! naming its page; hand-worked cases with a schedule; every error.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_metrics::{
    Availability, Commitment, CreditTier, Degradations, Error, Interval, Ongoing, Outage,
    OutageKind, Period, PlannedOutages, WorkingTime, periods,
};

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

fn outage(begin: DateTime<Utc>, end: DateTime<Utc>, kind: OutageKind) -> Outage {
    Outage::new(begin, Some(end), kind)
}

/// The first ten days of March 2026 (a Sunday, 1 March, to Wednesday 11 March).
fn ten_days() -> Period {
    Period::new(at(1, 0, 0), at(11, 0, 0)).unwrap()
}

fn one(
    commitment: &Commitment,
    outages: &[Outage],
    schedule: Option<&dyn WorkingTime>,
) -> Availability {
    match commitment.measure(outages, &[ten_days()], schedule) {
        Ok(mut all) if all.len() == 1 => all.remove(0),
        other => panic!("one availability expected, got {other:?}"),
    }
}

/// Business hours: 09:00 to 17:00 every day (minute-exact, for the spans these tests use).
struct NineToFive;

impl WorkingTime for NineToFive {
    fn working_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<Duration> {
        let mut total = Duration::zero();
        let mut day = from.date_naive();
        while day <= to.date_naive() {
            let open = day.and_hms_opt(9, 0, 0)?.and_utc();
            let close = day.and_hms_opt(17, 0, 0)?.and_utc();
            let (a, b) = (open.max(from), close.min(to));
            if a < b {
                total += b - a;
            }
            day = day.succ_opt()?;
        }
        Some(total)
    }
}

// ServiceNow, "Log outages in Service Portfolio Management" (create-SPM2-outages): the
// outage type "Outage" is the only type considered when calculating availability; planned
// outages and degradations are not.
#[test]
fn servicenow_only_unplanned_outages_count() {
    let c = Commitment::new(99.0);
    let outages = [
        outage(at(2, 10, 0), at(2, 12, 0), OutageKind::Planned),
        outage(at(3, 10, 0), at(3, 11, 0), OutageKind::Degradation),
        outage(at(4, 10, 0), at(4, 10, 30), OutageKind::Outage),
    ];
    let a = one(&c, &outages, None);
    assert_eq!(a.downtime, Duration::minutes(30));
    assert_eq!(a.total_downtime, Duration::minutes(30));
    assert_eq!(a.outages, 1);
    assert_eq!(a.total_outages, 1);
    assert_eq!(a.scheduled_time, Duration::days(10));
}

// ServiceNow, "View availability results in Service Portfolio Management"
// (SPM2-view-availability-results), Total outages: if an unplanned outage overlaps a planned
// one in full or in part, the overlapping unplanned time does not count toward the outage
// time.
#[test]
fn servicenow_unplanned_time_inside_a_planned_outage_does_not_count() {
    let c = Commitment::new(99.0);
    let outages = [
        outage(at(2, 10, 0), at(2, 12, 0), OutageKind::Planned),
        // One hour of it inside the planned outage, one after.
        outage(at(2, 11, 0), at(2, 13, 0), OutageKind::Outage),
        // Entirely inside: no downtime, no outage.
        outage(at(2, 10, 15), at(2, 10, 45), OutageKind::Outage),
    ];
    let a = one(&c, &outages, None);
    assert_eq!(a.total_downtime, Duration::hours(1));
    assert_eq!(a.downtime, Duration::hours(1));
    assert_eq!(a.total_outages, 1);
}

// SPM2-view-availability-results, Total downtime: wall-clock downtime independent of the
// schedule; Total availability %: (uptime - total downtime) / uptime, over the whole
// interval independent of the schedule.
#[test]
fn servicenow_total_figures_ignore_the_schedule() {
    let c = Commitment::new(99.0);
    // 20:00 to 22:00: outside business hours.
    let outages = [outage(at(2, 20, 0), at(2, 22, 0), OutageKind::Outage)];
    let a = one(&c, &outages, Some(&NineToFive));
    assert_eq!(a.total_time, Duration::days(10));
    assert_eq!(a.total_downtime, Duration::hours(2));
    assert_eq!(a.total_outages, 1);
    let expected = (240.0 - 2.0) / 240.0 * 100.0;
    assert!((a.total_availability.unwrap_or(0.0) - expected).abs() < 1e-9);
    // Against the schedule it is no outage at all.
    assert_eq!(a.downtime, Duration::zero());
    assert_eq!(a.outages, 0);
    assert_eq!(a.availability, Some(100.0));
}

// SPM2-view-availability-results, Commitment downtime: outage time in scheduled uptime;
// Commitment availability %: (committed uptime - commitment downtime) / committed uptime;
// Commitment outages: the number of outages in scheduled uptime.
#[test]
fn servicenow_commitment_figures_count_scheduled_time_only() {
    let c = Commitment::new(99.0);
    let outages = [
        // 16:00 to 18:00: one hour of it scheduled.
        outage(at(2, 16, 0), at(2, 18, 0), OutageKind::Outage),
        // 08:00 to 09:30: half an hour scheduled.
        outage(at(4, 8, 0), at(4, 9, 30), OutageKind::Outage),
        // At night: not scheduled.
        outage(at(5, 1, 0), at(5, 2, 0), OutageKind::Outage),
    ];
    let a = one(&c, &outages, Some(&NineToFive));
    assert_eq!(a.scheduled_time, Duration::hours(80));
    assert_eq!(a.downtime, Duration::minutes(90));
    assert_eq!(a.outages, 2);
    assert_eq!(a.total_outages, 3);
    let expected = (80.0 * 60.0 - 90.0) / (80.0 * 60.0) * 100.0;
    assert!((a.availability.unwrap_or(0.0) - expected).abs() < 1e-9);
}

// SPM2-view-availability-results, Acceptable downtime: the scheduled period times the
// share the commitment allows to be down.
#[test]
fn servicenow_acceptable_downtime_is_the_scheduled_time_the_target_leaves() {
    let a = one(&Commitment::new(99.5), &[], Some(&NineToFive));
    // 0.5% of 80 hours.
    assert_eq!(a.acceptable_downtime, Duration::minutes(24));
    assert_eq!(a.budget_left, Duration::minutes(24));
    let a = one(&Commitment::new(99.9), &[], None);
    // 0.1% of 240 hours, to the second.
    assert_eq!(a.acceptable_downtime, Duration::seconds(864));
}

// SPM2-view-availability-results, Met commitment: true when the commitment availability
// reaches the commitment's percentage (here at or above it: exactly the target is met).
#[test]
fn servicenow_met_commitment_compares_with_the_target_exactly() {
    // 24 minutes down in 80 scheduled hours is exactly 99.5%.
    let outages = [outage(at(2, 10, 0), at(2, 10, 24), OutageKind::Outage)];
    let a = one(&Commitment::new(99.5), &outages, Some(&NineToFive));
    assert_eq!(a.met, Some(true));
    assert_eq!(a.budget_left, Duration::zero());
    // One second more misses it.
    let outages = [Outage::new(
        at(2, 10, 0),
        Some(at(2, 10, 24) + Duration::seconds(1)),
        OutageKind::Outage,
    )];
    let a = one(&Commitment::new(99.5), &outages, Some(&NineToFive));
    assert_eq!(a.met, Some(false));
    assert_eq!(a.budget_left, -Duration::seconds(1));
}

// SPM2-view-availability-results, MTBF: total uptime in the period (committed uptime minus
// commitment downtime) divided by the number of commitment outages; MTRS: commitment
// downtime divided by the number of commitment outages.
#[test]
fn servicenow_mtbf_and_mtrs_per_commitment_outage() {
    let outages = [
        outage(at(2, 10, 0), at(2, 11, 0), OutageKind::Outage),
        outage(at(3, 10, 0), at(3, 13, 0), OutageKind::Outage),
    ];
    let a = one(&Commitment::new(99.0), &outages, Some(&NineToFive));
    assert_eq!(a.outages, 2);
    assert_eq!(a.mtrs, Some(Duration::hours(2)));
    assert_eq!(a.mtbf, Some(Duration::hours(38))); // (80 - 4) / 2
    assert_eq!(a.mtbsi, Some(Duration::hours(40))); // MTBF + MTRS
    let quiet = one(&Commitment::new(99.0), &[], Some(&NineToFive));
    assert_eq!((quiet.mtbf, quiet.mtrs, quiet.mtbsi), (None, None, None));
}

// ServiceNow Community, "Calculating service availability in Digital Portfolio Management"
// (a ServiceNow employee's article): ongoing outages are ignored; an outage needs an end
// date to be counted.
#[test]
fn servicenow_an_outage_without_an_end_is_ignored() {
    let outages = [Outage::new(at(2, 10, 0), None, OutageKind::Outage)];
    let a = one(&Commitment::new(99.0), &outages, None);
    assert_eq!(a.downtime, Duration::zero());
    assert_eq!(a.outages, 0);
    // Read up to the host's "now" instead, on request.
    let mut c = Commitment::new(99.0);
    c.ongoing = Ongoing::Until(at(2, 12, 0));
    let a = one(&c, &outages, None);
    assert_eq!(a.downtime, Duration::hours(2));
    // An ongoing outage that begins after "now" is not counted.
    c.ongoing = Ongoing::Until(at(2, 9, 0));
    assert_eq!(one(&c, &outages, None).outages, 0);
}

// SPM2-view-availability-results, the availability calculator's periods: daily, weekly,
// monthly and annual records, each from the first of its period.
#[test]
fn servicenow_periods_daily_weekly_monthly_annual() -> Result<(), Error> {
    let from = at(4, 12, 0); // a Wednesday
    let to = at(4, 13, 0);
    let start = |interval| periods(interval, &Utc, from, to).map(|mut p| p.next());
    assert_eq!(start(Interval::Daily)?.map(|p| p.start), Some(at(4, 0, 0)));
    assert_eq!(start(Interval::Weekly)?.map(|p| p.start), Some(at(2, 0, 0)));
    assert_eq!(
        start(Interval::Monthly)?.map(|p| (p.start, p.end)),
        Some((
            at(1, 0, 0),
            Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap()
        ))
    );
    assert_eq!(
        start(Interval::Annually)?.map(|p| (p.start, p.end)),
        Some((
            Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()
        ))
    );
    // Whole periods covering the span, each starting where the last ended.
    let days: Vec<Period> = periods(Interval::Daily, &Utc, at(1, 6, 0), at(4, 0, 0))?.collect();
    assert_eq!(days.len(), 3);
    assert!(days.windows(2).all(|w| w[0].end == w[1].start));
    let weeks: Vec<Period> = periods(Interval::Weekly, &Utc, at(1, 0, 0), at(31, 0, 0))?.collect();
    assert_eq!(
        weeks.first().map(|p| p.start),
        Some(Utc.with_ymd_and_hms(2026, 2, 23, 0, 0, 0).unwrap())
    );
    assert_eq!(weeks.len(), 6);
    Ok(())
}

// Centreon MBI, "Concepts" (reporting): time spent in planned downtime is not considered in
// the availability rate; a host up 23 hours and down 1 hour of a day is 95.8% available.
#[test]
fn centreon_planned_downtime_is_left_out_of_the_rate() {
    let day = Period::new(at(2, 0, 0), at(3, 0, 0)).unwrap();
    let down = [outage(at(2, 10, 0), at(2, 11, 0), OutageKind::Outage)];
    let a = &Commitment::new(95.0).measure(&down, &[day], None).unwrap()[0];
    assert!((a.availability.unwrap_or(0.0) - 23.0 / 24.0 * 100.0).abs() < 1e-9);
    assert_eq!(format!("{:.1}", a.availability.unwrap_or(0.0)), "95.8");

    // Two more hours of planned downtime: left out of the measured time, 21 up of 22.
    let mut c = Commitment::new(95.0);
    c.planned = PlannedOutages::Excluded;
    let with_planned = [
        down[0],
        outage(at(2, 14, 0), at(2, 16, 0), OutageKind::Planned),
    ];
    let a = &c.measure(&with_planned, &[day], None).unwrap()[0];
    assert_eq!(a.scheduled_time, Duration::hours(22));
    assert_eq!(a.excluded_time, Duration::hours(2));
    assert!((a.availability.unwrap_or(0.0) - 21.0 / 22.0 * 100.0).abs() < 1e-9);
}

#[test]
fn planned_and_degradation_as_downtime_on_request() {
    let outages = [
        outage(at(2, 10, 0), at(2, 12, 0), OutageKind::Planned),
        outage(at(3, 10, 0), at(3, 11, 0), OutageKind::Degradation),
    ];
    let mut c = Commitment::new(99.0);
    c.planned = PlannedOutages::Downtime;
    assert_eq!(one(&c, &outages, None).downtime, Duration::hours(2));
    c.degradations = Degradations::Downtime;
    let a = one(&c, &outages, None);
    assert_eq!(a.downtime, Duration::hours(3));
    assert_eq!(a.outages, 2);
}

#[test]
fn overlapping_and_touching_records_are_one_outage() {
    let outages = [
        outage(at(2, 10, 0), at(2, 11, 0), OutageKind::Outage),
        outage(at(2, 10, 30), at(2, 11, 30), OutageKind::Outage),
        outage(at(2, 11, 30), at(2, 12, 0), OutageKind::Outage), // touches
        outage(at(2, 10, 40), at(2, 10, 50), OutageKind::Outage), // inside
    ];
    let a = one(&Commitment::new(99.0), &outages, None);
    assert_eq!(a.downtime, Duration::hours(2));
    assert_eq!(a.outages, 1);
    // The order they come in changes nothing.
    let mut reversed = outages;
    reversed.reverse();
    assert_eq!(one(&Commitment::new(99.0), &reversed, None), a);
}

#[test]
fn outages_separated_only_by_unscheduled_time_are_one_commitment_outage() {
    // 16:00 to 18:00 and 07:00 to 10:00 the next day: no business hour up between them.
    let outages = [
        outage(at(2, 16, 0), at(2, 18, 0), OutageKind::Outage),
        outage(at(3, 7, 0), at(3, 10, 0), OutageKind::Outage),
    ];
    let a = one(&Commitment::new(99.0), &outages, Some(&NineToFive));
    assert_eq!(a.total_outages, 2);
    assert_eq!(a.outages, 1);
    assert_eq!(a.downtime, Duration::hours(2));
}

#[test]
fn an_unplanned_outage_cut_by_a_planned_one_is_two_unless_planned_time_is_excluded() {
    let outages = [
        outage(at(2, 10, 0), at(2, 14, 0), OutageKind::Outage),
        outage(at(2, 11, 0), at(2, 12, 0), OutageKind::Planned),
    ];
    // Planned time is uptime: down, up (planned), down.
    let a = one(&Commitment::new(99.0), &outages, None);
    assert_eq!((a.downtime, a.outages), (Duration::hours(3), 2));
    // Planned time is neither: one outage that the planned hour interrupts.
    let mut c = Commitment::new(99.0);
    c.planned = PlannedOutages::Excluded;
    let a = one(&c, &outages, None);
    assert_eq!((a.downtime, a.outages), (Duration::hours(3), 1));
    assert_eq!(a.total_time, Duration::days(10) - Duration::hours(1));
}

#[test]
fn an_outage_across_periods_counts_its_part_in_each() -> Result<(), Error> {
    let outages = [outage(at(2, 22, 0), at(3, 2, 0), OutageKind::Outage)];
    let days: Vec<Period> = periods(Interval::Daily, &Utc, at(2, 0, 0), at(4, 0, 0))?.collect();
    let all = Commitment::new(99.0).measure(&outages, &days, None)?;
    let parts: Vec<(Duration, u64)> = all.iter().map(|a| (a.downtime, a.outages)).collect();
    assert_eq!(parts, [(Duration::hours(2), 1), (Duration::hours(2), 1)]);
    Ok(())
}

#[test]
fn credits_take_the_largest_tier_the_availability_is_under() {
    let mut c = Commitment::new(99.9);
    c.credits = vec![
        CreditTier {
            below: 99.9,
            credit: 10.0,
        },
        CreditTier {
            below: 99.0,
            credit: 25.0,
        },
        CreditTier {
            below: 95.0,
            credit: 100.0,
        },
    ];
    let down = |minutes| {
        [outage(
            at(2, 0, 0),
            at(2, 0, 0) + Duration::minutes(minutes),
            OutageKind::Outage,
        )]
    };
    // 240 hours: 0.1% is 14.4 minutes, 1% is 144.
    assert_eq!(one(&c, &down(14), None).credit, None);
    assert_eq!(one(&c, &down(15), None).credit, Some(10.0));
    assert_eq!(one(&c, &down(144), None).credit, Some(10.0)); // exactly 99.0: not below it
    assert_eq!(one(&c, &down(145), None).credit, Some(25.0));
    assert_eq!(one(&c, &down(721), None).credit, Some(100.0));
}

#[test]
fn nothing_scheduled_gives_no_percentage_and_no_verdict() -> Result<(), Error> {
    // A night: no business hours.
    let night = Period::new(at(2, 20, 0), at(3, 6, 0))?;
    let outages = [outage(at(2, 21, 0), at(2, 22, 0), OutageKind::Outage)];
    let a = &Commitment::new(99.0).measure(&outages, &[night], Some(&NineToFive))?[0];
    assert_eq!(a.scheduled_time, Duration::zero());
    assert_eq!((a.availability, a.met, a.credit), (None, None, None));
    assert_eq!(a.total_downtime, Duration::hours(1));
    Ok(())
}

#[test]
fn daylight_saving_periods_have_their_local_length() -> Result<(), Error> {
    use chrono_tz::America::Santiago;
    use chrono_tz::Europe::Paris;
    // Paris's March 2026 loses an hour.
    let march: Vec<Period> =
        periods(Interval::Monthly, &Paris, at(10, 0, 0), at(11, 0, 0))?.collect();
    assert_eq!(march.len(), 1);
    assert_eq!(
        march[0].end - march[0].start,
        Duration::days(31) - Duration::hours(1)
    );
    assert_eq!(
        march[0].start,
        Utc.with_ymd_and_hms(2026, 2, 28, 23, 0, 0).unwrap()
    );
    // Santiago skips the midnight of 6 September 2026: that day starts at 01:00 local.
    let from = Utc.with_ymd_and_hms(2026, 9, 5, 12, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2026, 9, 7, 12, 0, 0).unwrap();
    let days: Vec<Period> = periods(Interval::Daily, &Santiago, from, to)?.collect();
    let lengths: Vec<i64> = days.iter().map(|p| (p.end - p.start).num_hours()).collect();
    assert_eq!(lengths, [24, 23, 24]);
    assert_eq!(
        days[1].start,
        Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap()
    );
    Ok(())
}

#[test]
fn every_error_names_what_was_wrong() {
    let c = Commitment::new(99.0);
    let backwards = [outage(at(2, 10, 0), at(2, 9, 0), OutageKind::Outage)];
    assert!(matches!(
        c.measure(&backwards, &[ten_days()], None),
        Err(Error::OutageEndsBeforeBegin { index: 0, .. })
    ));
    let empty = Period {
        start: at(2, 0, 0),
        end: at(2, 0, 0),
    };
    assert!(matches!(
        c.measure(&[], &[ten_days(), empty], None),
        Err(Error::EmptyPeriod { index: 1, .. })
    ));
    assert!(matches!(
        Period::new(at(3, 0, 0), at(2, 0, 0)),
        Err(Error::EmptyPeriod { .. })
    ));
    for target in [f64::NAN, -0.1, 100.1, f64::INFINITY] {
        let e = Commitment::new(target).measure(&[], &[ten_days()], None);
        assert!(
            matches!(
                e,
                Err(Error::InvalidValue {
                    what: "availability target",
                    ..
                })
            ),
            "{target}"
        );
    }
    let mut c = Commitment::new(99.0);
    c.credits = vec![CreditTier {
        below: 0.0,
        credit: 10.0,
    }];
    assert!(matches!(
        c.check(),
        Err(Error::InvalidValue {
            what: "credit tier's availability",
            ..
        })
    ));
    c.credits = vec![CreditTier {
        below: 99.0,
        credit: 101.0,
    }];
    assert!(matches!(
        c.check(),
        Err(Error::InvalidValue {
            what: "service credit",
            ..
        })
    ));

    struct Nothing;
    impl WorkingTime for Nothing {
        fn working_time(&self, _: DateTime<Utc>, _: DateTime<Utc>) -> Option<Duration> {
            None
        }
    }
    let e = Commitment::new(99.0).measure(&[], &[ten_days()], Some(&Nothing));
    assert!(matches!(e, Err(Error::Unmeasured { .. })));
    let message = e.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("give a schedule that covers it"),
        "{message}"
    );

    assert!(matches!(
        periods(Interval::Daily, &Utc, at(2, 0, 0), at(2, 0, 0)),
        Err(Error::EmptyPeriod { .. })
    ));
    let e = periods(
        Interval::Annually,
        &Utc,
        DateTime::<Utc>::MAX_UTC - Duration::days(1),
        DateTime::<Utc>::MAX_UTC,
    );
    assert!(matches!(e, Err(Error::OutOfRange { .. })));
    let e = periods(
        Interval::Weekly,
        &Utc,
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MIN_UTC + Duration::days(1),
    );
    assert!(matches!(e, Err(Error::OutOfRange { .. })));
}

#[test]
fn periods_at_the_ends_of_chronos_range_are_refused_in_any_zone() {
    // In zones either side of UTC (where `with_timezone` would panic), every interval: an
    // error, never a panic, and never a first period that starts after `from` (the fuzzer
    // found a later quarter hour taken for a local midnight before `MIN_UTC`).
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    for hours in [-23, -1, 0, 1, 23] {
        let zone = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
        for interval in [
            Interval::Daily,
            Interval::Weekly,
            Interval::Monthly,
            Interval::Annually,
        ] {
            let high = periods(interval, &zone, max - Duration::days(1), max);
            assert!(
                matches!(high, Err(Error::OutOfRange { .. })),
                "{hours} {interval:?}"
            );
            match periods(
                interval,
                &zone,
                min + Duration::hours(1),
                min + Duration::days(1),
            ) {
                Err(Error::OutOfRange { .. }) => {}
                Err(e) => panic!("{hours} {interval:?}: {e}"),
                Ok(mut p) => {
                    // A local midnight in range starts the first period, at or before
                    // `from`; never a later instant standing in for one out of range.
                    let first = p.next().unwrap();
                    assert!(
                        first.start <= min + Duration::hours(1),
                        "{hours} {interval:?}"
                    );
                    let local = first.start.naive_utc() + Duration::hours(i64::from(hours));
                    assert_eq!(local.time(), chrono::NaiveTime::MIN, "{hours} {interval:?}");
                }
            }
        }
    }
}

#[test]
fn a_hundred_thousand_outages_over_a_year_of_days() -> Result<(), Error> {
    // Deterministic spread: one outage of 1 to 30 minutes every 5 minutes and a bit.
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let outages: Vec<Outage> = (0..100_000i64)
        .map(|i| {
            let begin = start + Duration::seconds(i * 313);
            outage(
                begin,
                begin + Duration::minutes(1 + (i * 7919) % 30),
                OutageKind::Outage,
            )
        })
        .collect();
    let days: Vec<Period> =
        periods(Interval::Daily, &Utc, start, start + Duration::days(365))?.collect();
    let all = Commitment::new(99.0).measure(&outages, &days, None)?;
    assert_eq!(all.len(), 365);
    let total: Duration = all.iter().fold(Duration::zero(), |sum, a| sum + a.downtime);
    let whole = Period::new(start, start + Duration::days(365))?;
    let once = &Commitment::new(99.0).measure(&outages, &[whole], None)?[0];
    assert_eq!(total, once.downtime);
    Ok(())
}

#[test]
fn a_ticket_stands_for_an_outage_from_opening_to_first_resolution() {
    use itsm_core::{Mark, MarkKind, Practice, Timeline, TimelineSpec};
    let ticket = |marks: &[(u32, MarkKind)]| {
        let mut spec = TimelineSpec::new("INC1", Practice::Incident, at(2, 8, 0));
        spec.marks = marks
            .iter()
            .map(|(h, k)| Mark::new(at(2, *h, 0), k.clone()))
            .collect();
        Timeline::new(spec).unwrap()
    };
    let outage = |end: Option<u32>| {
        Some(Outage::new(
            at(2, 8, 0),
            end.map(|h| at(2, h, 0)),
            OutageKind::Outage,
        ))
    };
    // The first resolution ends it, whatever follows.
    let reopened = ticket(&[
        (9, MarkKind::Acknowledged),
        (11, MarkKind::Resolved),
        (12, MarkKind::Reopened),
        (14, MarkKind::Resolved),
    ]);
    assert_eq!(Outage::from_timeline(&reopened), outage(Some(11)));
    // Closed without a resolution: the closure ends it.
    assert_eq!(
        Outage::from_timeline(&ticket(&[(10, MarkKind::Closed)])),
        outage(Some(10))
    );
    // Still open: ongoing.
    assert_eq!(
        Outage::from_timeline(&ticket(&[(9, MarkKind::Acknowledged)])),
        outage(None)
    );
    // Canceled before any resolution: no outage.
    assert_eq!(
        Outage::from_timeline(&ticket(&[(9, MarkKind::Canceled)])),
        None
    );
}

#[test]
fn a_schedule_that_answers_nonsense_is_clamped_to_the_span() {
    // A host's WorkingTime that claims more working time than the span has, or less than
    // none: each answer is clamped, so nothing overflows and the figures stay consistent.
    struct Wild;
    impl WorkingTime for Wild {
        fn working_time(&self, from: DateTime<Utc>, _: DateTime<Utc>) -> Option<Duration> {
            Some(if from.timestamp() % 2 == 0 {
                Duration::MAX
            } else {
                Duration::MIN
            })
        }
    }
    let outages = [
        outage(at(2, 10, 0), at(2, 11, 0), OutageKind::Outage),
        outage(at(3, 10, 0), at(3, 11, 0), OutageKind::Planned),
    ];
    let mut c = Commitment::new(99.0);
    c.planned = PlannedOutages::Excluded;
    let a = one(&c, &outages, Some(&Wild));
    assert!(a.downtime <= a.scheduled_time);
    assert!(a.scheduled_time <= Duration::days(10));
}

#[test]
fn a_skipped_midnight_starts_at_the_first_instant_and_a_skipped_day_has_no_period()
-> Result<(), Error> {
    use chrono_tz::Africa::Monrovia;
    use chrono_tz::Pacific::Apia;
    // Monrovia moved from -0:44:30 to UTC at midnight on 7 January 1972: that day starts
    // at 00:44:30 local, the first instant there is (found by a review: a search by quarter
    // hours started it at 00:45, after an instant of the day).
    let from = Utc.with_ymd_and_hms(1972, 1, 7, 0, 44, 40).unwrap();
    let first = periods(Interval::Daily, &Monrovia, from, from + Duration::hours(1))?
        .next()
        .unwrap();
    assert_eq!(
        first.start,
        Utc.with_ymd_and_hms(1972, 1, 7, 0, 44, 30).unwrap()
    );
    assert!(first.start <= from);
    // Samoa skipped 30 December 2011 (from UTC-10 to UTC+14): no period for it, and no
    // empty one (a review found an empty period that `measure` then refused).
    let from = Utc.with_ymd_and_hms(2011, 12, 29, 12, 0, 0).unwrap();
    let days: Vec<Period> =
        periods(Interval::Daily, &Apia, from, from + Duration::days(2))?.collect();
    assert!(days.iter().all(|p| p.start < p.end), "{days:?}");
    assert!(days.windows(2).all(|w| w[0].end == w[1].start));
    let starts: Vec<String> = days
        .iter()
        .map(|p| {
            p.start
                .with_timezone(&Apia)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .collect();
    assert_eq!(
        starts,
        ["2011-12-29 00:00", "2011-12-31 00:00", "2012-01-01 00:00"]
    );
    assert!(Commitment::new(99.9).measure(&[], &days, None).is_ok());
    Ok(())
}
