//! Dates at the ends of chrono's range (issue 20): a clock attached, paused, resumed and
//! stopped within a year of `DateTime::<Utc>::MAX_UTC` or `MIN_UTC` either works or is refused
//! with an error naming the definition and what overflowed. Never a panic, and never a running
//! clock whose deadline silently disappears (`next_deadline` `None` while a clock runs with an
//! alarm still due).

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_sla::{Clocks, Context, Definition, Error, Input, Stage, Target, decide, next_deadline};
use proptest::prelude::*;

/// An instant within about 400 days of either end of chrono's range.
fn near_a_limit() -> impl Strategy<Value = DateTime<Utc>> {
    let span = 400 * 86_400_i64;
    prop_oneof![
        (0..span).prop_map(|s| DateTime::<Utc>::MAX_UTC - Duration::seconds(s)),
        (0..span).prop_map(|s| DateTime::<Utc>::MIN_UTC + Duration::seconds(s)),
    ]
}

/// The state categories a ticket walks through, as views of a priority-1 ticket.
fn step() -> impl Strategy<Value = Option<itsm_sla::Category>> {
    prop_oneof![
        Just(None), // a tick
        Just(Some(New)),
        Just(Some(Open)),
        Just(Some(Pending)),
        Just(Some(Resolved)),
        Just(Some(Closed)),
    ]
}

fn allowed(e: &Error) -> bool {
    matches!(
        e,
        Error::DateOverflow { .. } | Error::CalendarQuery { .. } | Error::ClockWentBackwards { .. }
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn clocks_at_the_ends_of_time_work_or_say_what_overflowed(
        start in near_a_limit(),
        target_hours in prop_oneof![Just(1_i64), Just(8), Just(24 * 365), Just(24 * 365 * 200)],
        calendar in prop_oneof![Just(None), Just(Some(ALWAYS))],
        steps in prop::collection::vec((step(), 0..200_i64), 1..12),
    ) {
        let definitions = defs(vec![resolution("p1", target_hours, calendar)]);
        let calendars = calendars();
        let mut clocks = Clocks::new();
        let mut now = start;
        for (category, days) in steps {
            now = now.checked_add_signed(Duration::days(days)).unwrap_or(now);
            let input = match category {
                Some(c) => Input::Update(view(c)),
                None => Input::Tick,
            };
            match decide(&clocks, &input, &Context::new(now, &definitions, &calendars)) {
                Ok(events) => clocks.apply(&events),
                Err(e) => {
                    prop_assert!(allowed(&e), "unexpected error at {now}: {e}");
                    let text = e.to_string();
                    prop_assert!(!text.is_empty());
                    if let Error::DateOverflow { id, .. } = &e {
                        prop_assert_eq!(id.as_str(), "p1");
                        prop_assert!(text.contains("overflows"), "{}", text);
                    }
                }
            }
            // A running clock with an alarm still due always has a deadline to tick at.
            let running = clocks
                .clocks()
                .iter()
                .any(|c| c.stage() == Stage::InProgress && !c.alarms().is_empty());
            prop_assert_eq!(next_deadline(&clocks).is_some(), running);
        }
    }
}

#[test]
fn a_clock_attached_an_hour_before_the_end_of_time_is_refused_by_name() {
    let definitions = defs(vec![resolution("p1", 8, None)]);
    let calendars = calendars();
    let now = DateTime::<Utc>::MAX_UTC - Duration::hours(1);
    let err = decide(
        &Clocks::new(),
        &Input::Update(view(New)),
        &Context::new(now, &definitions, &calendars),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::DateOverflow { ref id, .. } if id == "p1"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "SLA definition `p1`: the date overflows computing a deadline"
    );
}

/// A priority-1 ticket's resolution clock, opened on Monday at 09:00 and paused at 10:00,
/// as JSON (to edit into a hand-made clock), with its definitions and calendars.
#[cfg(feature = "serde")]
#[allow(clippy::unwrap_used)]
fn paused_clock_json() -> (
    itsm_sla::Definitions,
    itsm_sla::Calendars,
    serde_json::Value,
) {
    let definitions = defs(vec![resolution("p1", 8, None)]);
    let calendars = calendars();
    let mut clocks = Clocks::new();
    for (t, c) in [(at(MON, 9, 0), New), (at(MON, 10, 0), Pending)] {
        let events = decide(
            &clocks,
            &Input::Update(view(c)),
            &Context::new(t, &definitions, &calendars),
        )
        .unwrap();
        clocks.apply(&events);
    }
    let json = serde_json::to_value(&clocks).unwrap();
    (definitions, calendars, json)
}

/// A hand-made clock (decoded from JSON) can hold paused totals past what the nanoseconds of
/// business time hold (about 292 years): `measure` names what overflowed instead of
/// clamping the figure, and `decide` refuses to resume it. (With the `serde` feature: the
/// clock is made by editing its JSON.)
#[cfg(feature = "serde")]
#[test]
fn paused_totals_past_292_years_are_named_not_clamped() {
    let (definitions, calendars, mut json) = paused_clock_json();
    let clock = &mut json["clocks"][0];
    assert!(clock.get("paused_business").is_some(), "{clock}");
    let later = at(MON, 11, 0);
    // Under 292 years the figures are exact.
    clock["paused_business"] = serde_json::json!("P36500D");
    let fine: Clocks = serde_json::from_value(json.clone()).unwrap();
    let m = itsm_sla::measure(&fine.clocks()[0], later, &definitions, &calendars).unwrap();
    assert_eq!(
        m.business_paused,
        Duration::days(36_500) + Duration::hours(1)
    );
    // Past it, an error naming the field.
    let clock = &mut json["clocks"][0];
    clock["paused_business"] = serde_json::json!("P109575D");
    refused_by_name(json, &definitions, &calendars, "the paused business time");
}

/// A hand-made clock's own target (decoded from JSON) past about 292 years: `measure` and
/// `decide` name it instead of measuring against a target clamped at `i64::MAX`
/// nanoseconds. (With the `serde` feature: the clock is made by editing its JSON.)
#[cfg(feature = "serde")]
#[test]
fn a_clock_target_past_292_years_is_named_not_clamped() {
    let (definitions, calendars, mut json) = paused_clock_json();
    let later = at(MON, 11, 0);
    // A target of 100 years of its own: measured against it, exactly (one business hour
    // elapsed, the pause since 10:00 excluded).
    json["clocks"][0]["target"] = serde_json::json!("P36500D");
    let fine: Clocks = serde_json::from_value(json.clone()).unwrap();
    let m = itsm_sla::measure(&fine.clocks()[0], later, &definitions, &calendars).unwrap();
    assert_eq!(m.business_elapsed, Duration::hours(1));
    assert_eq!(m.percent_hundredths, 3600 * 10_000 / (36_500 * 86_400));
    // Past 292 years: an error naming the target.
    json["clocks"][0]["target"] = serde_json::json!("P109575D");
    refused_by_name(json, &definitions, &calendars, "the clock's target");
}

/// `measure` at Monday 11:00 and `decide` (resuming then) both refuse the hand-made clock
/// `json` with `DateOverflow` naming `what`.
#[cfg(feature = "serde")]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
fn refused_by_name(
    json: serde_json::Value,
    definitions: &itsm_sla::Definitions,
    calendars: &itsm_sla::Calendars,
    what: &str,
) {
    let later = at(MON, 11, 0);
    let huge: Clocks = serde_json::from_value(json).unwrap();
    let err = itsm_sla::measure(&huge.clocks()[0], later, definitions, calendars).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("SLA definition `p1`: the date overflows computing {what}")
    );
    let err = decide(
        &huge,
        &Input::Update(view(Open)),
        &Context::new(later, definitions, calendars),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::DateOverflow { what: w, .. } if w == what),
        "{err:?}"
    );
}

/// The percentage elapsed is hundredths of a percent in an `i64`: a target of one
/// nanosecond passes it after about 10.7 days (9.2e14 times the target). `measure` says so
/// instead of answering `i64::MAX`; ten days still measure exactly.
#[test]
fn a_percentage_past_i64_is_named_not_clamped() {
    let mut tiny = Definition::new("tiny", Target::Resolution, Duration::nanoseconds(1));
    tiny.start = itsm_sla::Condition::PriorityIn(vec![1]);
    let definitions = defs(vec![tiny]);
    let calendars = calendars();
    let opened = at(MON, 9, 0);
    let events = decide(
        &Clocks::new(),
        &Input::Update(view(New)),
        &Context::new(opened, &definitions, &calendars),
    )
    .unwrap();
    let mut clocks = Clocks::new();
    clocks.apply(&events);
    let clock = &clocks.clocks()[0];
    let m =
        itsm_sla::measure(clock, opened + Duration::days(10), &definitions, &calendars).unwrap();
    assert_eq!(m.percent_hundredths, 10 * 86_400 * 1_000_000_000 * 10_000);
    let err = itsm_sla::measure(clock, opened + Duration::days(11), &definitions, &calendars)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "SLA definition `tiny`: the date overflows computing the percentage of the target elapsed"
    );
}
