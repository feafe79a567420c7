//! The time zone a spec names.

use chrono::{
    DateTime, Duration, FixedOffset, MappedLocalTime, NaiveDateTime, Offset, TimeZone, Utc,
};

/// A time zone as specs name it: UTC, a fixed offset, or (with the `tz` feature) an IANA
/// zone. Other crates of the workspace read their specs' zones through it, so every spec
/// takes the same names (`"Europe/Berlin"`, `"UTC"`, `"+02:00"`).
///
/// ```
/// use itsm_calendar::Zone;
/// use itsm_calendar::chrono::{NaiveDate, TimeZone, Utc};
///
/// let zone = Zone::parse("+02:00").unwrap();
/// let local = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap().and_hms_opt(8, 0, 0).unwrap();
/// let at = zone.first_at_or_after(local).unwrap();
/// assert_eq!(at, Utc.with_ymd_and_hms(2027, 3, 1, 6, 0, 0).unwrap());
/// assert_eq!(zone.local(at), Some(local));
/// assert!(Zone::parse("Mars/Olympus").is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Zone {
    /// UTC (`"UTC"`).
    Utc,
    /// A fixed offset (`"+02:00"`).
    Fixed(FixedOffset),
    /// An IANA zone (`"Europe/Berlin"`), with daylight saving.
    #[cfg(feature = "tz")]
    #[cfg_attr(docsrs, doc(cfg(feature = "tz")))]
    Iana(chrono_tz::Tz),
}

/// What a spec's `zone` may be, for the error that refuses one.
#[cfg(feature = "tz")]
pub(crate) const ALLOWED: &str =
    "an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00";
#[cfg(not(feature = "tz"))]
pub(crate) const ALLOWED: &str =
    "UTC or an offset such as +02:00 (IANA names need the `tz` feature)";

impl Zone {
    /// What a zone may be written as, for errors that refuse one: with the `tz` feature
    /// "an IANA name such as Europe/Berlin, UTC, or an offset such as +02:00".
    pub const ALLOWED: &'static str = ALLOWED;

    /// `UTC`, `+HH:MM` / `-HH:MM` (less than 24 hours), or (with the `tz` feature) an IANA
    /// name; `None` for anything else.
    pub fn parse(text: &str) -> Option<Zone> {
        if text == "UTC" {
            return Some(Zone::Utc);
        }
        if let Some(offset) = parse_offset(text) {
            return Some(Zone::Fixed(offset));
        }
        #[cfg(feature = "tz")]
        if let Ok(tz) = text.parse::<chrono_tz::Tz>() {
            return Some(Zone::Iana(tz));
        }
        None
    }
}

impl Zone {
    /// The wall-clock reading of `t` in this zone; `None` when it lies past chrono's range
    /// (near its first or last instant, in a zone ahead of or behind UTC).
    pub fn local(&self, t: DateTime<Utc>) -> Option<NaiveDateTime> {
        match self {
            Zone::Utc => Some(t.naive_utc()),
            Zone::Fixed(offset) => reading(offset, t),
            #[cfg(feature = "tz")]
            Zone::Iana(tz) => reading(tz, t),
        }
    }

    /// The first instant at which this zone's wall clock reads `local` or later: the one
    /// instant reading it; the earlier of two when the clocks go back and the hour repeats;
    /// the instant the clocks jump forward when `local` falls in the skipped hour (a 02:30
    /// handover on the day Berlin skips from 02:00 to 03:00 happens at 03:00). `None` only
    /// at the ends of chrono's range.
    pub fn first_at_or_after(&self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Utc => first_at_or_after(&Utc, local),
            Zone::Fixed(offset) => first_at_or_after(offset, local),
            #[cfg(feature = "tz")]
            Zone::Iana(tz) => first_at_or_after(tz, local),
        }
    }
}

/// The reading of `t` in `tz`, checked (chrono's `naive_local` panics past its range).
fn reading<Tz: TimeZone>(tz: &Tz, t: DateTime<Utc>) -> Option<NaiveDateTime> {
    let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc().checked_add_offset(offset)
}

/// [`Zone::first_at_or_after`] in any chrono zone.
fn first_at_or_after<Tz: TimeZone>(tz: &Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(t) => Some(t.with_timezone(&Utc)),
        MappedLocalTime::Ambiguous(earlier, _) => Some(earlier.with_timezone(&Utc)),
        MappedLocalTime::None => {
            // In a gap the clocks jump past `local`: find the jump, the first instant whose
            // reading is at least `local`. Offsets are under a day, so it lies within a day
            // either side of `local` read as UTC; within two days a zone changes its offset
            // once, so the reading only grows there and a bisection finds the jump.
            let reads_past = |s: i64| {
                DateTime::<Utc>::from_timestamp(s, 0)
                    .and_then(|u| reading(tz, u))
                    .is_some_and(|r| r >= local)
            };
            let day = Duration::days(1);
            let mut lo = local.checked_sub_signed(day)?.and_utc().timestamp();
            let mut hi = local.checked_add_signed(day)?.and_utc().timestamp();
            if reads_past(lo) || !reads_past(hi) {
                return None;
            }
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if reads_past(mid) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            DateTime::<Utc>::from_timestamp(hi, 0)
        }
    }
}

/// `+HH:MM` or `-HH:MM`, less than 24 hours.
fn parse_offset(text: &str) -> Option<FixedOffset> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let two = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<i32>().ok())
            .flatten()
    };
    let (h, m) = (two(h)?, two(m)?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}
