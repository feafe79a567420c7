//! Errors compose with `?` across the foundation crates, and each message is printed once.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)] // helpers outside #[test] functions

mod common;

use std::error::Error as _;

use chrono::{Duration, NaiveDate, Utc};
use common::*;
use itsm_sla::{
    Calendar, CalendarSpec, Calendars, Definition, Definitions, Error, Segment, Selection, Target,
    Week,
};

/// What a host writes: a duration from its configuration, a calendar, definitions, all with
/// `?` into one error type.
fn host(target: &str, opens: &str) -> Result<(Definitions, Calendars), Error> {
    let mut office = CalendarSpec::always_open("office");
    office.week = Week::weekdays(&[Segment::parse(opens, "17:00")?]);
    let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let to = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
    let mut calendars = Calendars::new();
    calendars.insert("office".into(), Calendar::compile(&office, &Utc, from, to)?);
    let target = itsm_core::duration::parse(target)?;
    let mut d = Definition::new("fix", Target::Resolution, target);
    d.calendar = Some("office".into());
    Ok((Definitions::new(vec![d], Selection::All)?, calendars))
}

#[test]
fn foundation_errors_convert_with_question_mark_and_print_once() {
    let (definitions, _) = host("PT8H", "09:00").unwrap();
    assert_eq!(definitions.list()[0].target, Duration::hours(8));

    let err = host("P1M", "09:00").unwrap_err();
    let core = itsm_core::duration::parse("P1M").unwrap_err();
    assert_eq!(err, Error::Core(core.clone()));
    // Transparent: the message is the inner one, and it is not repeated as a source.
    assert_eq!(err.to_string(), core.to_string());
    assert!(err.source().is_none());

    let err = host("PT8H", "25:00").unwrap_err();
    let Error::Calendar(inner) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(err.to_string(), inner.to_string());
    assert!(err.source().is_none());

    let err = host("-PT1H", "09:00").unwrap_err();
    assert_eq!(
        err.to_string(),
        "SLA definition `fix` has a target of -PT1H; it must be positive"
    );
}

#[test]
fn a_date_overflow_names_the_definition_and_what_was_computed() {
    // Around the clock, an escalation 300 years after the deadline does not fit in the
    // nanoseconds of business time.
    let mut d = resolution("p1", 4, None);
    d.escalations = vec![itsm_sla::EscalationRule::new(
        "never",
        Duration::days(300 * 366),
    )];
    let err = itsm_sla::replay(
        &[(at(MON, 9, 0), view(Open))],
        &defs(vec![d]),
        &calendars(),
        None,
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::DateOverflow {
            id: "p1".into(),
            what: "an escalation"
        }
    );
    assert_eq!(
        err.to_string(),
        "SLA definition `p1`: the date overflows computing an escalation"
    );
}
