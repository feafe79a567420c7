//! Holiday feeds in iCalendar, one test per rule of RFC 5545 the reader follows (section
//! numbers in the names), then a feed shaped as public holiday feeds are (all-day events
//! with `DTSTART;VALUE=DATE`, an exclusive `DTEND`, `UID`, `DTSTAMP`, `SEQUENCE`), and
//! hostile input.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{NaiveDate, NaiveDateTime};
use itsm_calendar::ics::{self, SkipReason};
use itsm_calendar::{Calendar, CalendarSpec, Error, Holiday, Segment, Week};

fn feed(events: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//itsm-rs//test//EN\r\n{events}END:VCALENDAR\r\n"
    )
}

fn event(lines: &str) -> String {
    format!("BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n{lines}END:VEVENT\r\n")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}

#[test]
fn rfc5545_3_6_1_an_all_day_end_is_exclusive_and_a_missing_one_is_one_day() {
    let read = ics::read(&feed(&format!(
        "{}{}",
        event(
            "DTSTART;VALUE=DATE:20260406\r\nDTEND;VALUE=DATE:20260407\r\nSUMMARY:Easter Monday\r\n"
        ),
        event("DTSTART;VALUE=DATE:20260501\r\nSUMMARY:Labour Day\r\n"),
    )))
    .unwrap();
    assert_eq!(
        read.holidays,
        [
            Holiday::date(day(2026, 4, 6)).named("Easter Monday"),
            Holiday::date(day(2026, 5, 1)).named("Labour Day"),
        ]
    );
}

#[test]
fn rfc5545_3_3_6_a_duration_in_days_or_weeks_gives_each_day() {
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20261224\r\nDURATION:P3D\r\nSUMMARY:Closure\r\n",
    )))
    .unwrap();
    let dates: Vec<&Holiday> = read.holidays.iter().collect();
    assert_eq!(dates.len(), 3);
    assert_eq!(*dates[2], Holiday::date(day(2026, 12, 26)).named("Closure"));
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20260803\r\nDURATION:P1W\r\n",
    )))
    .unwrap();
    assert_eq!(read.holidays.len(), 7);
    assert_eq!(read.holidays[6], Holiday::date(day(2026, 8, 9)));
}

#[test]
fn rfc5545_3_1_folded_lines_are_unfolded_and_lf_alone_ends_a_line() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\n 1225\nSUMMARY:Christ\r\n\tmas\nEND:VEVENT\nEND:VCALENDAR\n";
    let read = ics::read(text).unwrap();
    assert_eq!(
        read.holidays,
        [Holiday::date(day(2026, 12, 25)).named("Christmas")]
    );
}

#[test]
fn rfc5545_3_3_11_text_escapes_are_undone() {
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20260101\r\nSUMMARY:New Year\\, Day 1\\; office\\nclosed \\\\ all\r\n",
    )))
    .unwrap();
    assert_eq!(
        read.holidays[0].name(),
        Some("New Year, Day 1; office\nclosed \\ all")
    );
}

#[test]
fn rfc5545_3_3_10_a_plain_yearly_rule_is_a_yearly_holiday() {
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20201225\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=12;BYMONTHDAY=25\r\nSUMMARY:Christmas\r\n",
    )))
    .unwrap();
    assert_eq!(read.holidays, [Holiday::yearly(12, 25).named("Christmas")]);
}

#[test]
fn rfc5545_3_3_10_count_and_until_bound_the_dates_and_invalid_dates_are_passed_over() {
    // 29 February yearly, three times: 2024, 2028, 2032 (the years without one do not
    // count, as the RFC says of recurrences that fall on invalid dates).
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;COUNT=3\r\n",
    )))
    .unwrap();
    assert_eq!(
        read.holidays,
        [
            Holiday::date(day(2024, 2, 29)),
            Holiday::date(day(2028, 2, 29)),
            Holiday::date(day(2032, 2, 29))
        ]
    );
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20250704\r\nRRULE:FREQ=YEARLY;UNTIL=20270704T000000Z\r\n",
    )))
    .unwrap();
    assert_eq!(read.holidays.len(), 3);
}

#[test]
fn rfc5545_3_3_10_rules_a_spec_cannot_say_are_skipped_with_the_rule() {
    let read = ics::read(&feed(&format!(
        "{}{}{}",
        event("DTSTART;VALUE=DATE:20260504\r\nRRULE:FREQ=YEARLY;BYDAY=1MO;BYMONTH=5\r\nSUMMARY:Early May\r\n"),
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nEXDATE;VALUE=DATE:20270101\r\nSUMMARY:New Year\r\n"),
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=5000\r\n"),
    )))
    .unwrap();
    assert!(read.holidays.is_empty());
    let reasons: Vec<&SkipReason> = read.skipped.iter().map(|s| &s.reason).collect();
    assert_eq!(
        reasons,
        [
            &SkipReason::Recurrence("FREQ=YEARLY;BYDAY=1MO;BYMONTH=5".into()),
            &SkipReason::RecurrenceDates,
            &SkipReason::TooLong,
        ]
    );
    assert_eq!(
        read.skipped[0].to_string(),
        "line 4: `Early May`: its recurrence `FREQ=YEARLY;BYDAY=1MO;BYMONTH=5` is not one a spec can say (a yearly date, plain or with COUNT or UNTIL)"
    );
}

#[test]
fn rfc5545_3_8_1_11_cancelled_events_are_skipped() {
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20260101\r\nSTATUS:CANCELLED\r\nSUMMARY:Gone\r\n",
    )))
    .unwrap();
    assert!(read.holidays.is_empty());
    assert_eq!(read.skipped[0].reason, SkipReason::Cancelled);
}

#[test]
fn floating_times_are_closed_exceptions_and_zoned_ones_are_skipped() {
    let read = ics::read(&feed(&format!(
        "{}{}{}{}",
        event("DTSTART:20261224T120000\r\nDTEND:20261224T170000\r\nSUMMARY:Christmas Eve afternoon\r\n"),
        event("DTSTART:20261231T130000\r\nDURATION:PT4H30M\r\n"),
        event("DTSTART:20261224T120000Z\r\nDTEND:20261224T170000Z\r\n"),
        event("DTSTART;TZID=Europe/Berlin:20261224T120000\r\nDTEND;TZID=Europe/Berlin:20261224T170000\r\n"),
    )))
    .unwrap();
    assert_eq!(read.exceptions.len(), 2);
    assert_eq!(read.exceptions[0].name, "Christmas Eve afternoon");
    assert!(!read.exceptions[0].open);
    assert_eq!(
        (read.exceptions[0].start, read.exceptions[0].end),
        (at(2026, 12, 24, 12, 0), at(2026, 12, 24, 17, 0))
    );
    assert_eq!(read.exceptions[1].end, at(2026, 12, 31, 17, 30));
    let reasons: Vec<&SkipReason> = read.skipped.iter().map(|s| &s.reason).collect();
    assert_eq!(reasons, [&SkipReason::ZonedTime, &SkipReason::ZonedTime]);
}

#[test]
fn components_other_than_events_are_passed_over() {
    let text = feed(&format!(
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n{}BEGIN:VTODO\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VTODO\r\n",
        event(
            "DTSTART;VALUE=DATE:20260101\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nDTSTART;VALUE=DATE:20300101\r\nEND:VALARM\r\n"
        )
    ));
    let read = ics::read(&text).unwrap();
    assert_eq!(read.holidays, [Holiday::date(day(2026, 1, 1))]);
}

#[test]
fn a_public_holiday_feed_closes_the_calendar_on_its_days() {
    // Shaped as public holiday feeds are: a header, then one all-day event per holiday.
    let mut events = String::new();
    for (date, end, name) in [
        ("20260101", "20260102", "New Year’s Day"),
        ("20260403", "20260404", "Good Friday"),
        ("20260406", "20260407", "Easter Monday"),
        ("20260504", "20260505", "Early May bank holiday"),
        ("20260525", "20260526", "Spring bank holiday"),
        ("20260831", "20260901", "Summer bank holiday"),
        ("20261225", "20261226", "Christmas Day"),
        ("20261228", "20261229", "Boxing Day"),
    ] {
        events.push_str(&format!(
            "BEGIN:VEVENT\r\nDTEND;VALUE=DATE:{end}\r\nDTSTART;VALUE=DATE:{date}\r\nSUMMARY:{name}\r\nUID:{date}-holiday@example.org\r\nSEQUENCE:0\r\nDTSTAMP:20251201T000000Z\r\nEND:VEVENT\r\n"
        ));
    }
    let text = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nPRODID:-//example.org//holidays//EN\r\n{events}END:VCALENDAR\r\n"
    );
    let read = ics::read(&text).unwrap();
    assert_eq!(read.holidays.len(), 8);
    assert!(read.skipped.is_empty());
    let mut spec = CalendarSpec::new(
        "office",
        Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]),
    );
    spec.holidays.extend(read.holidays);
    let calendar = Calendar::new(&spec).unwrap();
    let ten = |d: NaiveDate| d.and_hms_opt(10, 0, 0).unwrap().and_utc();
    assert!(
        !calendar.is_open(&ten(day(2026, 12, 28))).unwrap(),
        "Boxing Day (substitute)"
    );
    assert!(calendar.is_open(&ten(day(2026, 12, 29))).unwrap());
}

#[test]
fn faults_name_the_line_and_what_is_allowed() {
    for (text, message) in [
        (
            "BEGIN:VEVENT\r\nEND:VEVENT\r\n".to_owned(),
            "iCalendar line 1: an iCalendar object opens with BEGIN:VCALENDAR",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n".to_owned(),
            "iCalendar line 3: END:VCALENDAR closes BEGIN:VEVENT; components must nest",
        ),
        (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n".to_owned(),
            "iCalendar line 2: the text ends with BEGIN:VEVENT still open",
        ),
        (
            feed("no colon here\r\n"),
            "iCalendar line 4: `no colon here` is not a content line NAME:VALUE",
        ),
        (
            feed(&event("DTSTART;VALUE=DATE:20261332\r\n")),
            "iCalendar line 7: DTSTART `20261332` is not a date (YYYYMMDD), a date-time (YYYYMMDDTHHMMSS, with Z or TZID for a zoned one) or, for DURATION, a duration such as P1D or PT2H",
        ),
        (
            feed(&event("DTSTART;VALUE=DATE:20261201\r\nDURATION:-P1D\r\n")),
            "iCalendar line 8: DURATION `-P1D` is not a date (YYYYMMDD), a date-time (YYYYMMDDTHHMMSS, with Z or TZID for a zoned one) or, for DURATION, a duration such as P1D or PT2H",
        ),
        (
            String::new(),
            "iCalendar line 1: the text holds no BEGIN:VCALENDAR",
        ),
    ] {
        let err = ics::read(&text).unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidIcs { .. } | Error::InvalidIcsValue { .. }
        ));
        assert_eq!(err.to_string(), message, "{text:?}");
    }
    // A long value is quoted capped.
    let long = "9".repeat(100_000);
    let err = ics::read(&feed(&event(&format!("DTSTART:{long}\r\n"))))
        .unwrap_err()
        .to_string();
    assert!(err.contains("… (100000 bytes)") && err.len() < 400, "{err}");
}

#[test]
fn long_and_degenerate_events_are_skipped_not_expanded() {
    let read = ics::read(&feed(&format!(
        "{}{}{}{}{}",
        event("DTSTART;VALUE=DATE:00010101\r\nDTEND;VALUE=DATE:99991231\r\n"),
        event("DTSTART;VALUE=DATE:20260102\r\nDTEND;VALUE=DATE:20260101\r\n"),
        event("SUMMARY:No start\r\n"),
        // Reads as a duration, too long for any calendar: skipped, not an error.
        event("DTSTART;VALUE=DATE:20260101\r\nDURATION:P99999999999W\r\n"),
        event("DTSTART;VALUE=DATE:20260101\r\nDURATION:P99999999999999999999999D\r\n"),
    )))
    .unwrap();
    let reasons: Vec<&SkipReason> = read.skipped.iter().map(|s| &s.reason).collect();
    assert_eq!(
        reasons,
        [
            &SkipReason::TooLong,
            &SkipReason::EndBeforeStart,
            &SkipReason::NoStart,
            &SkipReason::TooLong,
            &SkipReason::TooLong
        ]
    );
    assert_eq!(read.skipped[2].summary.as_deref(), Some("No start"));
}

#[test]
fn a_million_nested_components_and_a_hundred_thousand_events_read_on_a_small_stack() {
    let depth = 1_000_000;
    let nested = feed(&format!(
        "{}{}",
        "BEGIN:X\r\n".repeat(depth),
        "END:X\r\n".repeat(depth)
    ));
    let mut many = String::from("BEGIN:VCALENDAR\r\n");
    for i in 0..100_000u32 {
        many.push_str(&format!(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:{}\r\nEND:VEVENT\r\n",
            day(2026, 1, 1)
                .checked_add_days(chrono::Days::new(u64::from(i % 3650)))
                .unwrap()
                .format("%Y%m%d")
        ));
    }
    many.push_str("END:VCALENDAR\r\n");
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            assert!(ics::read(&nested).unwrap().holidays.is_empty());
            assert_eq!(ics::read(&many).unwrap().holidays.len(), 100_000);
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn rfc5545_3_3_10_what_a_yearly_date_cannot_say_is_skipped_with_why() {
    let read = ics::read(&feed(&format!(
        "{}{}{}{}{}",
        // BYMONTHDAY alone under YEARLY is that day of every month.
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;BYMONTHDAY=1\r\n"),
        // No date at all.
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=0\r\n"),
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;UNTIL=20251231\r\n"),
        // Dates added or removed, with or without a rule.
        event("DTSTART;VALUE=DATE:20261225\r\nRDATE;VALUE=DATE:20271227\r\n"),
        // A yearly event of two days.
        event("DTSTART;VALUE=DATE:20261225\r\nDTEND;VALUE=DATE:20261227\r\nRRULE:FREQ=YEARLY\r\n"),
    )))
    .unwrap();
    assert!(read.holidays.is_empty(), "{:?}", read.holidays);
    let reasons: Vec<&SkipReason> = read.skipped.iter().map(|s| &s.reason).collect();
    assert_eq!(
        reasons,
        [
            &SkipReason::Recurrence("FREQ=YEARLY;BYMONTHDAY=1".into()),
            &SkipReason::NoOccurrence,
            &SkipReason::NoOccurrence,
            &SkipReason::RecurrenceDates,
            &SkipReason::MultiDayRecurrence,
        ]
    );
}

#[test]
fn rfc5545_3_4_a_stream_of_calendars_is_read_whole() {
    let one = feed(&event("DTSTART;VALUE=DATE:20260101\r\n"));
    let two = feed(&event("DTSTART;VALUE=DATE:20261225\r\n"));
    let read = ics::read(&format!("{one}{two}")).unwrap();
    assert_eq!(read.holidays.len(), 2);
    let err = ics::read(&format!("{one}SUMMARY:stray\r\n")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "iCalendar line 10: after END:VCALENDAR only another BEGIN:VCALENDAR may follow"
    );
}

#[test]
fn an_all_day_event_ending_at_a_time_is_refused_with_why() {
    let err = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20261224\r\nDTEND:20261224T120000\r\n",
    )))
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "iCalendar line 8: DTEND is a date-time, but DTSTART is a date; an all-day event ends on a date (DTEND;VALUE=DATE:YYYYMMDD, excluded) or lasts a DURATION"
    );
}

#[test]
fn a_feed_cannot_make_an_answer_out_of_proportion_to_itself() {
    // Found by review: a 1 MB summary on a thousand recurrences made 1 GB of names.
    let long = "x".repeat(1_000_000);
    let text = feed(&format!(
        "{}{}",
        event(&format!(
            "DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=1000\r\nSUMMARY:{long}\r\n"
        )),
        event("DTSTART;VALUE=DATE:20261225\r\nSUMMARY:Christmas\r\n"),
    ));
    let read = ics::read(&text).unwrap();
    assert_eq!(
        read.holidays,
        [Holiday::date(day(2026, 12, 25)).named("Christmas")]
    );
    assert_eq!(read.skipped[0].reason, SkipReason::OverBudget);
    // A short name recurs freely.
    let read = ics::read(&feed(&event(
        "DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=1000\r\nSUMMARY:New Year\r\n",
    )))
    .unwrap();
    assert_eq!(read.holidays.len(), 1000);
}

#[test]
fn an_event_out_of_place_is_an_error_not_an_event_lost() {
    // Found by the second review: events nested in events, or calendars in calendars,
    // lost the outer event or the inner one without a word.
    for (text, message) in [
        (
            feed(&event(
                "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n",
            )),
            "iCalendar line 7: BEGIN:VEVENT inside another component; an event stands directly in a VCALENDAR",
        ),
        (
            feed("BEGIN:VTODO\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VTODO\r\n"),
            "iCalendar line 5: BEGIN:VEVENT inside another component; an event stands directly in a VCALENDAR",
        ),
        (
            feed(&feed("")),
            "iCalendar line 4: BEGIN:VCALENDAR inside another component; a calendar stands at the top",
        ),
    ] {
        assert_eq!(ics::read(&text).unwrap_err().to_string(), message);
    }
}

#[test]
fn rfc5545_3_3_10_count_with_until_and_two_rules_are_skipped() {
    let read = ics::read(&feed(&format!(
        "{}{}",
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=2;UNTIL=20300101\r\n"),
        event("DTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY;COUNT=2\r\nRRULE:FREQ=YEARLY\r\n"),
    )))
    .unwrap();
    assert!(read.holidays.is_empty(), "{:?}", read.holidays);
    assert!(
        read.skipped
            .iter()
            .all(|s| matches!(s.reason, SkipReason::Recurrence(_))),
        "{:?}",
        read.skipped
    );
    assert_eq!(read.skipped.len(), 2);
}

#[test]
fn a_duration_has_one_t_and_something_after_it() {
    for bad in ["P1DT", "PTT1H", "P", "PT"] {
        let err = ics::read(&feed(&event(&format!(
            "DTSTART;VALUE=DATE:20260101\r\nDURATION:{bad}\r\n"
        ))))
        .unwrap_err();
        assert!(matches!(err, Error::InvalidIcsValue { .. }), "{bad}: {err}");
    }
}

#[test]
fn quoted_values_escape_invisible_characters() {
    let err = ics::read(&feed(&event("DTSTART:2026\u{202e}0101\u{2028}\u{ad}\r\n")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("2026\\u{202e}0101\\u{2028}\\u{ad}"), "{err}");
}
