//! UTC years: where each starts, which year an instant falls in, and the years whose
//! zones keep one offset. The calendar without a horizon ([`crate::lazy`]) compiles and
//! counts time one such year at a time.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};

use crate::rules::NS;

/// Up to this year zones keep one offset: chrono-tz's zones change none before 1845.
pub(crate) const ZONE_EARLY: i32 = 1799;
/// From this year on zones change no more (chrono-tz's last change is in 2099), or repeat
/// yearly rules, which repeat every 400 years.
pub(crate) const ZONE_LATE: i32 = 2101;
/// Years in a Gregorian cycle.
pub(crate) const PERIOD: i32 = 400;

pub(crate) fn min_year() -> i32 {
    NaiveDate::MIN.year()
}

pub(crate) fn max_year() -> i32 {
    NaiveDate::MAX.year()
}

/// Days from 1970-01-01 to 1 January of `y` (proleptic Gregorian).
pub(crate) const fn year_start_days(y: i32) -> i64 {
    let y = y as i64 - 1;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    // 1 January is day 306 of the March-based year before.
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + 306 - 719_468
}

/// The first UTC second of year `y`.
pub(crate) const fn year_start(y: i32) -> i64 {
    year_start_days(y) * 86_400
}

/// The years most queries fall in have their tables in a plain array, found without date
/// arithmetic: `DENSE` years from `DENSE_FROM`.
pub(crate) const DENSE_FROM: i32 = 1900;
pub(crate) const DENSE: usize = 256;

/// The first UTC second of each dense year, and of the year after the last.
// Indexing in a constant: out of bounds fails the build, not a query.
#[allow(clippy::indexing_slicing)]
static DENSE_STARTS: [i64; DENSE + 1] = {
    let mut starts = [0i64; DENSE + 1];
    let mut i = 0;
    while i <= DENSE {
        starts[i] = year_start(DENSE_FROM + i as i32);
        i += 1;
    }
    starts
};

/// A Gregorian year's average length in seconds.
pub(crate) const AVERAGE_YEAR: i64 = 31_556_952;

/// The dense year of UTC second `secs`, if it is one, with its first second and the next
/// year's: a guess from the average year, then a step to the neighbour the table says (a
/// dense year starts at most two days from where the average year puts it, so one step
/// is enough).
#[inline(always)]
pub(crate) fn dense_year(secs: i64) -> Option<(i32, i64, i64)> {
    let first = *DENSE_STARTS.first()?;
    let guess = usize::try_from((secs - first) / AVERAGE_YEAR).ok()?;
    if guess >= DENSE {
        return None;
    }
    let below = usize::from(secs < *DENSE_STARTS.get(guess)?);
    let above = usize::from(secs >= *DENSE_STARTS.get(guess + 1)?);
    let i = (guess + above).checked_sub(below)?;
    let (start, end) = (*DENSE_STARTS.get(i)?, *DENSE_STARTS.get(i + 1)?);
    (start <= secs && secs < end).then_some((DENSE_FROM + i32::try_from(i).ok()?, start, end))
}

/// The year of a day counted from 1970-01-01.
pub(crate) fn year_of_day(z: i64) -> i32 {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let march_based = (5 * doy + 2) / 153;
    let y = yoe + era * 400 + i64::from(march_based >= 10);
    i32::try_from(y).unwrap_or(i32::MAX)
}

/// An instant as its UTC year and nanoseconds since that year began.
#[inline(always)]
pub(crate) fn split<Tz: TimeZone>(t: &DateTime<Tz>) -> (i32, i64) {
    let secs = t.timestamp();
    if let Some((y, start, end)) = dense_year(secs) {
        let rel = (secs - start) * NS + i64::from(t.timestamp_subsec_nanos());
        let len = (end - start) * NS;
        return if rel >= len {
            (y + 1, rel - len)
        } else {
            (y, rel)
        };
    }
    let y = year_of_day(secs.div_euclid(86_400));
    let rel = (secs - year_start(y)) * NS + i64::from(t.timestamp_subsec_nanos());
    // A leap second at the end of a year reads as the next year's first instant.
    let len = (year_start(y + 1) - year_start(y)) * NS;
    if rel >= len {
        (y + 1, rel - len)
    } else {
        (y, rel)
    }
}

/// The instant `rel` nanoseconds after year `y` began (`rel` may lie past the year).
pub(crate) fn to_instant(y: i32, rel: i64) -> Option<DateTime<Utc>> {
    let secs = year_start(y).checked_add(rel.div_euclid(NS))?;
    DateTime::from_timestamp(secs, u32::try_from(rel.rem_euclid(NS)).ok()?)
}

/// Nanoseconds of wall time from `t` to the last instant chrono represents, and from the
/// first one to `t`.
pub(crate) fn wall_left<Tz: TimeZone>(t: &DateTime<Tz>) -> (i128, i128) {
    let ns = |secs: i64, nanos: u32| i128::from(secs) * i128::from(NS) + i128::from(nanos);
    let here = ns(t.timestamp(), t.timestamp_subsec_nanos());
    let max = DateTime::<Utc>::MAX_UTC;
    let min = DateTime::<Utc>::MIN_UTC;
    (
        ns(max.timestamp(), max.timestamp_subsec_nanos()) - here,
        here - ns(min.timestamp(), min.timestamp_subsec_nanos()),
    )
}
