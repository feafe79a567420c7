//! Shared helpers for the SLA tests: calendars, fixed instants, views, definitions, a replay
//! helper and a one-line-per-event summary that rules compare against.
#![allow(dead_code)]
// each test file uses a different part of this module
// Helpers outside `#[test]` functions are not covered by clippy.toml's test allowances.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_sla::{
    Calendars, Category, Clock, Condition, Definition, Definitions, Event, Replay, Selection,
    Target, TicketView, replay,
};

/// The around-the-clock calendar's name.
pub const ALWAYS: &str = "24x7";
/// Monday to Friday 09:00-12:00 and 13:00-17:00 (lunch 12:00-13:00): 7 business hours a day.
pub const OFFICE: &str = "office";
/// Monday to Friday 09:00-17:00: 8 business hours a day.
pub const OFFICE8: &str = "office8";

/// Days of March 2026 by weekday: the 2nd is a Monday.
pub const MON: u32 = 2;
pub const TUE: u32 = 3;
pub const WED: u32 = 4;
pub const THU: u32 = 5;
pub const FRI: u32 = 6;
pub const SAT: u32 = 7;
pub const SUN: u32 = 8;
pub const MON2: u32 = 9;

/// An instant in March 2026 (UTC; the calendars are compiled in UTC).
pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

pub fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

pub fn minutes(m: i64) -> Duration {
    Duration::minutes(m)
}

fn compile(spec: &CalendarSpec) -> Calendar {
    Calendar::compile(
        spec,
        &Utc,
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
    )
    .unwrap()
}

/// The three calendars, compiled for 2026.
pub fn calendars() -> Calendars {
    let mut office = CalendarSpec::always_open(OFFICE);
    office.week = Week::weekdays(&[
        Segment::parse("09:00", "12:00").unwrap(),
        Segment::parse("13:00", "17:00").unwrap(),
    ]);
    let mut office8 = CalendarSpec::always_open(OFFICE8);
    office8.week = Week::weekdays(&[Segment::parse("09:00", "17:00").unwrap()]);
    [CalendarSpec::always_open(ALWAYS), office, office8]
        .iter()
        .map(|spec| (spec.name.clone(), compile(spec)))
        .collect()
}

/// A priority-1 ticket in a state of `category` (the state is named after it).
pub fn view(category: Category) -> TicketView {
    let mut v = TicketView::new(format!("{category:?}").to_lowercase(), category);
    v.priority = Some(1);
    v
}

pub fn with_priority(mut v: TicketView, priority: u8) -> TicketView {
    v.priority = Some(priority);
    v
}

pub fn with_field(mut v: TicketView, field: &str, value: &str) -> TicketView {
    v.fields.insert(field.into(), value.into());
    v
}

pub fn with_time(mut v: TicketView, name: &str, t: DateTime<Utc>) -> TicketView {
    v.times.insert(name.into(), t);
    v
}

pub fn with_group(mut v: TicketView, group: &str) -> TicketView {
    v.group = Some(group.into());
    v
}

#[allow(unused_imports)] // not every test file names every category
pub use Category::{Canceled, Closed, New, Open, Pending, Resolved};

/// A priority-1 resolution SLA in the shape of the crate's own example: `Definition::new`'s
/// defaults (stops when resolved or closed, pauses while pending, default cancel, no reset)
/// with a start on priority 1.
pub fn resolution(id: &str, hours: i64, calendar: Option<&str>) -> Definition {
    let mut d = Definition::new(id, Target::Resolution, Duration::hours(hours));
    d.calendar = calendar.map(str::to_owned);
    d.start = Condition::PriorityIn(vec![1]);
    d
}

pub fn defs(list: Vec<Definition>) -> Definitions {
    Definitions::new(list, Selection::All).unwrap()
}

/// Replays `timeline` under `definitions`, ticking up to `until`.
pub fn run(
    definitions: &Definitions,
    timeline: &[(DateTime<Utc>, TicketView)],
    until: Option<DateTime<Utc>>,
) -> Replay {
    replay(timeline, definitions, &calendars(), until).unwrap_or_else(|e| panic!("replay: {e}"))
}

/// `Mon 02 09:00`.
pub fn fmt(t: DateTime<Utc>) -> String {
    t.format("%a %d %H:%M").to_string()
}

/// One line per event, for given/then comparisons.
pub fn summary(events: &[Event]) -> Vec<String> {
    events.iter().map(line).collect()
}

pub fn line(e: &Event) -> String {
    match e {
        Event::Attached { clock } => format!(
            "attached {}#{} at {} from {} due {}",
            clock.definition(),
            clock.cycle(),
            fmt(clock.attached_at()),
            fmt(clock.start()),
            fmt(clock.deadline())
        ),
        Event::Paused {
            definition,
            cycle,
            at,
        } => format!("paused {definition}#{cycle} at {}", fmt(*at)),
        Event::Resumed {
            definition,
            cycle,
            at,
            reopened,
            deadline,
            ..
        } => format!(
            "{} {definition}#{cycle} at {} due {}",
            if *reopened { "reopened" } else { "resumed" },
            fmt(*at),
            fmt(*deadline)
        ),
        Event::ThresholdReached {
            definition,
            cycle,
            percent,
            at,
        } => format!("{percent}% {definition}#{cycle} at {}", fmt(*at)),
        Event::Breached {
            definition,
            cycle,
            at,
        } => format!("breached {definition}#{cycle} at {}", fmt(*at)),
        Event::EscalationDue {
            definition,
            cycle,
            name,
            at,
        } => format!("escalation {name} {definition}#{cycle} at {}", fmt(*at)),
        Event::Completed {
            definition,
            cycle,
            at,
            breached,
        } => format!(
            "completed {definition}#{cycle} at {}{}",
            fmt(*at),
            if *breached { " breached" } else { "" }
        ),
        Event::Canceled {
            definition,
            cycle,
            at,
        } => format!("canceled {definition}#{cycle} at {}", fmt(*at)),
        Event::Retargeted {
            definition,
            cycle,
            at,
            to,
            to_cycle,
            deadline,
            ..
        } => format!(
            "retargeted {definition}#{cycle} to {to}#{to_cycle} at {} due {}",
            fmt(*at),
            fmt(*deadline)
        ),
    }
}

/// The only clock of `r`.
pub fn only_clock(r: &Replay) -> &Clock {
    assert_eq!(r.clocks.clocks().len(), 1, "{:#?}", r.clocks);
    &r.clocks.clocks()[0]
}

/// Nanoseconds of `d`.
pub fn ns(d: Duration) -> i64 {
    d.num_nanoseconds().unwrap()
}
