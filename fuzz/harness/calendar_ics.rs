//! The fuzz harness of iCalendar holiday feeds (`itsm_calendar::ics::read`), as a plain
//! function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/calendar_ics.rs` calls [`ics`], and so does the
//! stable test `crates/itsm-calendar/tests/fuzz_corpus.rs`, which replays every saved input
//! of `fuzz/corpus/calendar_ics/`.
//!
//! The invariants: reading never panics; every exception read is closed and ends after it
//! starts; each skipped event names a line of the text; the holidays and exceptions read
//! make a calendar with office hours that compiles, and is closed at ten in the morning of
//! every dated holiday it answers for.

use chrono::NaiveTime;
use itsm_calendar::{Calendar, CalendarSpec, Holiday, Segment, Week, ics};

/// Bytes (as text, lossily) -> `ics::read`, and the calendar its answer makes.
pub fn ics(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(feed) = ics::read(&text) else {
        return;
    };
    let lines = text.split('\n').count();
    for e in &feed.exceptions {
        assert!(!e.open, "a feed's timed event closes the calendar");
        assert!(e.start < e.end, "an exception ends after it starts");
    }
    for s in &feed.skipped {
        assert!(s.line >= 1 && s.line <= lines, "line {} of {lines}", s.line);
    }
    let Ok(office) = Segment::parse("09:00", "17:00") else {
        return;
    };
    let mut spec = CalendarSpec::new("feed", Week::weekdays(&[office]));
    spec.holidays.extend(feed.holidays.iter().cloned());
    spec.exceptions.extend(feed.exceptions.iter().cloned());
    let calendar = Calendar::new(&spec);
    assert!(
        calendar.is_ok(),
        "a feed's holidays and exceptions compile: {calendar:?}"
    );
    let Ok(calendar) = calendar else {
        return;
    };
    for h in feed.holidays.iter().take(64) {
        if let Holiday::Date { date, .. } = h {
            let ten = date.and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default());
            // Exceptions from a feed only close, so nothing reopens a holiday.
            if let Ok(open) = calendar.is_open(&ten.and_utc()) {
                assert!(!open, "open on holiday {date}");
            }
        }
    }
}
