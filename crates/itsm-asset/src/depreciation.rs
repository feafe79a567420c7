//! Depreciation: what an asset is worth on a date.

use chrono::{Months, NaiveDate};

use crate::error::Error;

/// How value is lost (ServiceNow's two depreciation categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Method {
    /// The same amount each year, down to the salvage value at the end of life.
    StraightLine,
    /// Each year this percentage of the value the year began with, never below the
    /// salvage value; the salvage value at the end of life. ServiceNow's example halves
    /// the value yearly (`percent: 50`).
    DecliningBalance {
        /// The yearly percentage, 1 to 100.
        percent: u32,
    },
}

/// A depreciation schedule: the method and the life in years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Schedule {
    /// How value is lost.
    pub method: Method,
    /// The life in years (1 to 100), counted from the effective date.
    pub life_years: u32,
}

/// What an asset is worth on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Valuation {
    /// The value left (ServiceNow's residual value), in minor units.
    pub residual: i64,
    /// The value lost so far (cost minus residual).
    pub depreciated: i64,
    /// When the value reaches the salvage value: the end of life (ServiceNow's residual
    /// date).
    pub residual_date: NaiveDate,
}

/// The value on `on` of an asset that cost `cost` and keeps `salvage` at the end of its
/// life, depreciated from `effective` (amounts in minor units).
///
/// Years are counted from the effective date's anniversaries (a 29 February falls on 28
/// February in other years). Year `j`'s value (at its start) is, rounded to the minor unit
/// half up: straight line, `cost - (cost - salvage) * j / life`; declining balance, the
/// previous year's value less `percent`% of it (rounded each year), never below the salvage
/// value; at the end of life, the salvage value. Within a year the value falls evenly by
/// day from the year's value to the next's: `a - (a - b) * days_elapsed / days_in_year`,
/// rounded half up. Before the effective date
/// nothing is depreciated (ServiceNow: "if the depreciation effective date is in the
/// future, depreciation is 0"); from the end of life on, the value is the salvage value.
///
/// ```
/// use itsm_asset::chrono::NaiveDate;
/// use itsm_asset::{Method, Schedule, value};
///
/// // ServiceNow's example: $1,000.00 straight line, exactly two years into a four-year life.
/// let schedule = Schedule { method: Method::StraightLine, life_years: 4 };
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let v = value(&schedule, 100_000, 0, day(2024, 3, 1), day(2026, 3, 1))?;
/// assert_eq!((v.residual, v.depreciated, v.residual_date), (50_000, 50_000, day(2028, 3, 1)));
/// # Ok::<(), itsm_asset::Error>(())
/// ```
///
/// # Errors
/// A negative cost or salvage value ([`Error::NegativeAmount`]), a salvage value above
/// the cost ([`Error::SalvageAboveCost`], ServiceNow refuses to save it), a life or a
/// percentage out of range ([`Error::InvalidSchedule`]), an end of life past chrono's last
/// date ([`Error::DateOutOfRange`]).
pub fn value(
    schedule: &Schedule,
    cost: i64,
    salvage: i64,
    effective: NaiveDate,
    on: NaiveDate,
) -> Result<Valuation, Error> {
    if cost < 0 {
        return Err(Error::NegativeAmount {
            field: "cost",
            amount: cost,
        });
    }
    if salvage < 0 {
        return Err(Error::NegativeAmount {
            field: "salvage value",
            amount: salvage,
        });
    }
    if salvage > cost {
        return Err(Error::SalvageAboveCost { salvage, cost });
    }
    let life = schedule.life_years;
    if !(1..=100).contains(&life) {
        return Err(Error::InvalidSchedule {
            field: "life_years",
            value: life,
            allowed: "1 to 100",
        });
    }
    if let Method::DecliningBalance { percent } = schedule.method {
        if !(1..=100).contains(&percent) {
            return Err(Error::InvalidSchedule {
                field: "percent",
                value: percent,
                allowed: "1 to 100",
            });
        }
    }
    let out_of_range = Error::DateOutOfRange {
        effective,
        years: life,
    };
    let anniversary = |k: u32| effective.checked_add_months(Months::new(12 * k));
    let end = anniversary(life).ok_or(out_of_range)?;
    let residual = if on <= effective {
        cost
    } else if on >= end {
        salvage
    } else {
        // The year `on` falls in: anniversaries up to `end` all exist, as `end` does, and
        // `on` is before `end`, so the walk stops at a year of the life.
        let mut k = 0;
        while anniversary(k + 1).is_some_and(|a| a <= on) {
            k += 1;
        }
        let start = anniversary(k).unwrap_or(effective);
        let next = anniversary(k + 1).unwrap_or(end);
        let d = i128::from((on - start).num_days());
        let days = i128::from((next - start).num_days()).max(1);
        // Each year's value, rounded to the minor unit half up; the last is the salvage
        // value.
        let full = i128::from(cost);
        let floor = i128::from(salvage);
        let year_value = |j: u32| -> i128 {
            if j >= life {
                return floor;
            }
            match schedule.method {
                Method::StraightLine => {
                    let lost = (full - floor) * i128::from(j);
                    round(full * i128::from(life) - lost, i128::from(life))
                }
                Method::DecliningBalance { percent } => {
                    let mut v = full;
                    for _ in 0..j {
                        v = round(v * i128::from(100 - percent), 100).max(floor);
                    }
                    v
                }
            }
        };
        // Within the year, evenly by day from its value to the next year's, rounded half up.
        let a = year_value(k);
        let b = year_value(k + 1);
        round(a * days - (a - b) * d, days)
            .try_into()
            .unwrap_or(salvage)
    };
    Ok(Valuation {
        residual,
        depreciated: cost - residual,
        residual_date: end,
    })
}

/// `num / den` rounded half up, for `num >= 0` and `den > 0`.
fn round(num: i128, den: i128) -> i128 {
    (num * 2 + den) / (2 * den)
}
