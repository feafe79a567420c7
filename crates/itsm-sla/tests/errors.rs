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

/// A relative target is checked with the definitions: a calendar to count business days
/// on, a bounded count, local times that parse.
#[test]
fn a_bad_relative_target_is_refused_by_name() {
    let relative = |rel: itsm_sla::RelativeTarget| {
        let mut d = Definition::new("next-day", Target::Resolution, Duration::hours(8));
        d.calendar = Some("office".into());
        d.relative = Some(rel);
        Definitions::new(vec![d], Selection::All)
    };
    let refused = relative(itsm_sla::RelativeTarget::end_of_day(10_001)).unwrap_err();
    assert_eq!(
        refused,
        Error::RelativeTooLong {
            id: "next-day".into(),
            days: 10_001,
            max: itsm_sla::MAX_BUSINESS_DAYS
        }
    );
    assert_eq!(
        refused.to_string(),
        "SLA definition `next-day` has a relative target of 10001 business days; at most 10000 are supported"
    );
    assert!(matches!(
        relative(itsm_sla::RelativeTarget::by(1, "25:00")),
        Err(Error::Calendar(_))
    ));
    assert!(relative(itsm_sla::RelativeTarget::by(1, "10:30")).is_ok());
    let mut no_calendar = Definition::new("next-day", Target::Resolution, Duration::hours(8));
    no_calendar.relative = Some(itsm_sla::RelativeTarget::end_of_day(1));
    let refused = Definitions::new(vec![no_calendar], Selection::All).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "SLA definition `next-day` has a relative target but no calendar; name one in `calendar` or `calendar_from`"
    );
}

/// The definition's zone is checked with the definitions, as calendars check theirs.
#[test]
fn a_definition_zone_that_is_not_a_zone_is_refused() {
    let mut d = Definition::new("fix", Target::Resolution, Duration::hours(8));
    d.zone = Some("Mars/Olympus".into());
    let refused = Definitions::new(vec![d.clone()], Selection::All).unwrap_err();
    assert!(matches!(refused, Error::Calendar(_)), "{refused:?}");
    assert!(refused.to_string().contains("Mars/Olympus"), "{refused}");
    d.zone = Some("+09:00".into());
    assert!(Definitions::new(vec![d], Selection::All).is_ok());
}
