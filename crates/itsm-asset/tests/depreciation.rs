//! `value`: the edges of its inputs, and properties over random schedules and dates.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{Duration, NaiveDate};
use itsm_asset::{Error, Method, Schedule, value};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const STRAIGHT: Schedule = Schedule {
    method: Method::StraightLine,
    life_years: 4,
};

#[test]
fn amounts_at_their_edges() {
    let (e, on) = (day(2024, 1, 1), day(2025, 7, 1));
    assert_eq!(
        value(&STRAIGHT, -1, 0, e, on),
        Err(Error::NegativeAmount {
            field: "cost",
            amount: -1
        })
    );
    assert_eq!(
        value(&STRAIGHT, 100, -1, e, on),
        Err(Error::NegativeAmount {
            field: "salvage value",
            amount: -1
        })
    );
    // Nothing to lose: a cost of zero, or a salvage value equal to the cost.
    let v = value(&STRAIGHT, 0, 0, e, on).unwrap();
    assert_eq!((v.residual, v.depreciated), (0, 0));
    let v = value(&STRAIGHT, 500, 500, e, on).unwrap();
    assert_eq!((v.residual, v.depreciated), (500, 0));
    // The largest cost, exactly half way through a two-year life.
    let two = Schedule {
        method: Method::StraightLine,
        life_years: 2,
    };
    let v = value(&two, i64::MAX, 0, e, day(2025, 1, 1)).unwrap();
    assert_eq!(v.residual, i64::MAX / 2 + 1);
}

#[test]
fn schedules_at_their_edges() {
    let (e, on) = (day(2024, 1, 1), day(2025, 1, 1));
    for (life, ok) in [(0, false), (1, true), (100, true), (101, false)] {
        let s = Schedule {
            method: Method::StraightLine,
            life_years: life,
        };
        assert_eq!(value(&s, 100, 0, e, on).is_ok(), ok, "life {life}");
    }
    for (percent, ok) in [(0, false), (1, true), (100, true), (101, false)] {
        let s = Schedule {
            method: Method::DecliningBalance { percent },
            life_years: 5,
        };
        assert_eq!(value(&s, 100, 0, e, on).is_ok(), ok, "percent {percent}");
    }
    // Declining balance of 100% a year: nothing left after the first year but the salvage.
    let all = Schedule {
        method: Method::DecliningBalance { percent: 100 },
        life_years: 5,
    };
    assert_eq!(value(&all, 1_000, 100, e, on).unwrap().residual, 100);
    // A 29 February effective date: its anniversaries fall on 28 February.
    let v = value(&STRAIGHT, 400, 0, day(2024, 2, 29), day(2025, 2, 28)).unwrap();
    assert_eq!(v.residual, 300);
    assert_eq!(v.residual_date, day(2028, 2, 29));
    // The end of life past chrono's last date.
    let late = NaiveDate::MAX - Duration::days(365);
    assert!(matches!(
        value(&STRAIGHT, 100, 0, late, late),
        Err(Error::DateOutOfRange { .. })
    ));
}

fn schedule() -> impl Strategy<Value = Schedule> {
    (any::<bool>(), 1u32..=100, 1u32..=100).prop_map(|(straight, life, percent)| Schedule {
        method: if straight {
            Method::StraightLine
        } else {
            Method::DecliningBalance { percent }
        },
        life_years: life,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Between cost and salvage, never rising with time, the cost up to the effective
    /// date, the salvage value from the end of life, the depreciated amount the rest.
    #[test]
    fn the_value_falls_from_cost_to_salvage(
        s in schedule(),
        cost in 0i64..=i64::MAX,
        salvage_share in 0u32..=100,
        start in 0i64..200_000,
        a in -400i64..40_000,
        b in 0i64..4_000,
    ) {
        let salvage = i64::try_from(i128::from(cost) * i128::from(salvage_share) / 100).unwrap();
        let effective = day(1900, 1, 1) + Duration::days(start);
        let first = effective + Duration::days(a);
        let later = first + Duration::days(b);
        let v1 = value(&s, cost, salvage, effective, first).unwrap();
        let v2 = value(&s, cost, salvage, effective, later).unwrap();
        prop_assert!(salvage <= v1.residual && v1.residual <= cost);
        prop_assert!(v2.residual <= v1.residual, "{:?} then {:?}", v1, v2);
        prop_assert_eq!(v1.depreciated, cost - v1.residual);
        if first <= effective {
            prop_assert_eq!(v1.residual, cost);
        }
        if first >= v1.residual_date {
            prop_assert_eq!(v1.residual, salvage);
        }
    }
}
