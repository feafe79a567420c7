//! Budgets: planned against actual for a set of cost centres, and where the period is
//! heading (ServiceNow's budget fields).

use chrono::NaiveDate;

use crate::error::Error;

/// Planned spending of one or more cost centres over a period (ServiceNow's budget).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Budget {
    /// Its name.
    pub name: String,
    /// The first day of the period.
    pub start: NaiveDate,
    /// The last day of the period (included).
    pub end: NaiveDate,
    /// The planned amount, in minor units.
    pub planned: i64,
    /// The cost centres whose allocations count as its actual.
    pub cost_centres: Vec<String>,
}

impl Budget {
    /// A budget `name` of `planned` for these cost centres from `start` to `end` (both days
    /// included).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use itsm_cost::Budget;
    ///
    /// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let b = Budget::new("Investments", d(1, 1), d(12, 31), 1_000_000_00, &["Trading"]);
    /// assert_eq!(b.cost_centres, ["Trading"]);
    /// ```
    pub fn new(
        name: &str,
        start: NaiveDate,
        end: NaiveDate,
        planned: i64,
        cost_centres: &[&str],
    ) -> Self {
        Budget {
            name: name.to_owned(),
            start,
            end,
            planned,
            cost_centres: cost_centres.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    /// The budget's standing on `as_of` with `actual` spent so far: remaining (planned minus
    /// actual) and projected (ServiceNow: the average daily expense applied to the rest of
    /// the period, so `actual` times the period's days over the days elapsed, `as_of`
    /// included; rounded to the nearest minor unit, halves away from zero). On or after
    /// the last day the projection is the actual.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use itsm_cost::Budget;
    ///
    /// let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    /// let b = Budget::new("Q1", d(1, 1), d(3, 31), 9_000_00, &["Trading"]);
    /// // 30 of 90 days gone, 2,000.00 spent: heading for 6,000.00.
    /// let s = b.status(2_000_00, d(1, 30))?;
    /// assert_eq!((s.remaining, s.projected), (7_000_00, 6_000_00));
    /// # Ok::<(), itsm_cost::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BudgetEndsBeforeStart`]; [`Error::BeforeBudget`] for an `as_of` before the
    /// start; [`Error::BudgetOverflow`] for an actual so large (past 2^100 or so) that the
    /// projection or the remaining amount leaves 128 bits.
    pub fn status(&self, actual: i128, as_of: NaiveDate) -> Result<BudgetStatus, Error> {
        if self.end < self.start {
            return Err(Error::BudgetEndsBeforeStart {
                name: self.name.clone(),
                start: self.start,
                end: self.end,
            });
        }
        if as_of < self.start {
            return Err(Error::BeforeBudget {
                name: self.name.clone(),
                start: self.start,
                as_of,
            });
        }
        let period = (self.end - self.start).num_days() + 1;
        let elapsed = (as_of.min(self.end) - self.start).num_days() + 1;
        let (period, elapsed) = (i128::from(period), i128::from(elapsed.max(1)));
        let overflow = || Error::BudgetOverflow {
            name: self.name.clone(),
        };
        let scaled = actual.checked_mul(period).ok_or_else(overflow)?;
        let half = elapsed / 2;
        let projected = if scaled >= 0 {
            scaled.checked_add(half)
        } else {
            scaled.checked_sub(half)
        }
        .ok_or_else(overflow)?
            / elapsed;
        Ok(BudgetStatus {
            planned: self.planned,
            actual,
            remaining: i128::from(self.planned)
                .checked_sub(actual)
                .ok_or_else(overflow)?,
            projected,
            elapsed_days: u32::try_from(elapsed).unwrap_or(u32::MAX),
            period_days: u32::try_from(period).unwrap_or(u32::MAX),
        })
    }
}

/// A budget's standing on a day ([`Budget::status`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BudgetStatus {
    /// The planned amount.
    pub planned: i64,
    /// The actual amount given.
    pub actual: i128,
    /// Planned minus actual (negative: over budget).
    pub remaining: i128,
    /// Where the period is heading at the average daily rate so far.
    pub projected: i128,
    /// Days elapsed, the day asked for included (at most the period's).
    pub elapsed_days: u32,
    /// Days in the period.
    pub period_days: u32,
}
