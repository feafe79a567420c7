//! Large and deep inputs, on a 256 kB stack: a million members, ten thousand layers, a
//! million time-off entries to look through, the longest windows allowed, and instants at the
//! ends of chrono's range. Nothing here recurses, and each answer is checked, not only run.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_oncall::{
    Command, MAX_BREAKPOINTS, Policy, Schedule, ScheduleSpec, Step, Target, TimeOff, Turn, UserId,
};
use itsm_testkit::on_small_stack;

#[test]
fn a_million_members_rotate_in_order() {
    on_small_stack(|| {
        let members: Vec<UserId> = (0..1_000_000u128).map(UserId::from_u128).collect();
        let spec = ScheduleSpec::new(
            "big",
            vec![itsm_oncall::Layer::new(
                "a",
                members,
                itsm_oncall::Rotation {
                    handover: local(2000, 1, 1, 0, 0),
                    turn: Turn::Hours(1),
                },
            )],
        );
        let s = Schedule::new(&spec).unwrap();
        // 2027-01-01 is 236,688 hours after 2000-01-01.
        let at = utc(2027, 1, 1, 0, 30);
        assert_eq!(who(&s, at), vec![UserId::from_u128(236_688)]);
        let shifts = s
            .shifts(utc(2027, 1, 1, 0, 0), utc(2027, 2, 1, 0, 0))
            .unwrap();
        assert_eq!(shifts.len(), 31 * 24);
        assert_eq!(shifts[1].on_call[0].user, UserId::from_u128(236_689));
    });
}

#[test]
fn ten_thousand_layers_and_a_hundred_thousand_time_offs() {
    on_small_stack(|| {
        let h = local(2027, 1, 4, 0, 0);
        let layers = (0..10_000u128)
            .map(|i| layer(&format!("l{i}"), &[UserId::from_u128(i)], h, Turn::Days(1)))
            .collect();
        let mut spec = ScheduleSpec::new("wide", layers);
        spec.time_off = (0..100_000u128)
            .map(|i| TimeOff {
                member: UserId::from_u128(9_999),
                from: utc(2030, 1, 1, 0, 0) + Duration::minutes(i64::try_from(i).unwrap()),
                to: utc(2030, 1, 1, 0, 0) + Duration::minutes(i64::try_from(i).unwrap() + 1),
                cover: None,
            })
            .collect();
        let s = Schedule::new(&spec).unwrap();
        assert_eq!(
            who(&s, utc(2027, 1, 5, 0, 0)),
            vec![UserId::from_u128(9_999)]
        );
        assert_eq!(s.layers_at(utc(2027, 1, 5, 0, 0)).unwrap().len(), 10_000);
        assert_eq!(
            who(&s, utc(2030, 1, 1, 0, 30)),
            vec![UserId::from_u128(9_998)]
        );
    });
}

#[test]
fn a_long_window_answers_and_one_past_the_limit_is_refused() {
    on_small_stack(|| {
        let s = Schedule::new(&ScheduleSpec::new(
            "hourly",
            vec![layer(
                "a",
                &[ANN, BOB],
                local(2027, 1, 1, 0, 0),
                Turn::Hours(1),
            )],
        ))
        .unwrap();
        // Half a million hourly handovers (57 years) answered; past five million refused.
        let from = utc(2027, 1, 1, 0, 0);
        let to = from + Duration::hours(500_000);
        let shifts = s.shifts(from, to).unwrap();
        assert_eq!(shifts.len(), 500_000);
        assert!(matches!(
            s.shifts(
                from,
                from + Duration::hours(i64::try_from(MAX_BREAKPOINTS).unwrap() + 10)
            ),
            Err(itsm_oncall::Error::WindowTooLong { .. })
        ));
    });
}

#[test]
fn the_ends_of_chronos_range_never_panic() {
    on_small_stack(|| {
        let mut spec = ScheduleSpec::new(
            "edge",
            vec![layer(
                "a",
                &[ANN, BOB],
                local(2027, 1, 1, 0, 0),
                Turn::Weeks(5_000),
            )],
        );
        spec.zone = Some(
            if cfg!(feature = "tz") {
                "Europe/Berlin"
            } else {
                "+01:00"
            }
            .into(),
        );
        let s = Schedule::new(&spec).unwrap();
        for at in [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            utc(-200_000, 1, 1, 0, 0),
            utc(200_000, 1, 1, 0, 0),
        ] {
            let _ = s.on_call(at);
            let _ = s.shifts(
                at,
                at + Duration::days(1).min(DateTime::<Utc>::MAX_UTC - at),
            );
        }
        assert!(!who(&s, utc(200_000, 1, 1, 0, 0)).is_empty());
        // An escalation triggered near the last instant refuses what it cannot schedule.
        let p = Policy::new(
            "p",
            vec![Step::after(vec![Target::User(ANN)], Duration::days(2))],
        );
        let mut run = Run::new(p, schedules(&[spec]));
        let e = run.try_at(
            DateTime::<Utc>::MAX_UTC - Duration::days(1),
            SYSTEM,
            Command::Trigger,
        );
        assert!(matches!(e, Err(itsm_oncall::Error::TimeOverflow { .. })));
    });
}

#[test]
fn fifty_thousand_overrides_and_time_offs_cost_a_log_each() {
    on_small_stack(|| {
        let mut spec = ScheduleSpec::new(
            "busy",
            vec![layer(
                "a",
                &[ANN, BOB],
                local(2027, 1, 1, 0, 0),
                Turn::Days(1),
            )],
        );
        let t0 = utc(2027, 1, 1, 0, 0);
        for i in 0..50_000i64 {
            let from = t0 + Duration::minutes(10 * i);
            spec.overrides.push(itsm_oncall::Override {
                user: UserId::from_u128(10 + u128::try_from(i % 7).unwrap()),
                from,
                to: from + Duration::minutes(25),
                layer: None,
            });
            spec.time_off.push(TimeOff {
                member: if i % 2 == 0 { ANN } else { BOB },
                from: from + Duration::minutes(3),
                to: from + Duration::minutes(40),
                cover: Some(CAT),
            });
        }
        let s = Schedule::new(&spec).unwrap();
        let shifts = s.shifts(t0, t0 + Duration::days(365)).unwrap();
        // Overlapping overrides every ten minutes: the last listed holding each instant wins.
        let m = 10 * 1_000 + 12;
        let last = (0..50_000i64)
            .rev()
            .find(|i| 10 * i <= m && m < 10 * i + 25)
            .unwrap();
        assert_eq!(last, 1_001);
        let at = t0 + Duration::minutes(m);
        assert_eq!(
            who(&s, at),
            vec![UserId::from_u128(10 + u128::try_from(last % 7).unwrap())]
        );
        assert!(shifts.len() > 50_000);
    });
}

#[test]
fn a_step_of_a_hundred_thousand_people_each_with_contact_rules() {
    use itsm_oncall::{Channel, ContactRule, Method, Notify, ProfileSpec, Profiles, Repeat};
    on_small_stack(|| {
        let n = 100_000u128;
        // Ids in a scrambled order, so the notified set is not built in order.
        let people: Vec<UserId> = (0..n)
            .map(|i| UserId::from_u128((i * 7_919) % n + 1))
            .collect();
        let mut rule = ContactRule::new(
            "r",
            vec![
                Notify::new(Duration::zero(), "app"),
                Notify::new(Duration::minutes(2), "phone"),
            ],
        );
        rule.repeat = Some(Repeat {
            every: Duration::minutes(5),
            times: 2,
        });
        let specs: Vec<ProfileSpec> = people
            .iter()
            .map(|u| {
                ProfileSpec::new(
                    *u,
                    vec![
                        Method::new("app", Channel::Push),
                        Method::new("phone", Channel::Voice),
                    ],
                    vec![rule.clone()],
                )
            })
            .collect();
        let policy = Policy::new(
            "all hands",
            vec![Step::after(
                people.iter().map(|u| Target::User(*u)).collect(),
                Duration::minutes(30),
            )],
        );
        let mut run =
            Run::new(policy, schedules(&[])).with_contacts(Profiles::new(&specs).unwrap());
        let t0 = utc(2027, 1, 5, 3, 0);
        run.at(t0, SYSTEM, Command::Trigger);
        assert_eq!(run.state.notified().len(), 100_000);
        assert_eq!(run.state.pending_contacts().len(), 500_000);
        run.tick(plus(t0, 29));
        let contacted = run.contacted();
        assert_eq!(contacted.len(), 600_000);
        assert!(contacted.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!(contacted[0].1, people[0]);
        assert_eq!(contacted.last().unwrap().0, plus(t0, 12));
    });
}
