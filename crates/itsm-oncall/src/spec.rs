//! What a host writes: schedules as data.

use chrono::{DateTime, NaiveDateTime, Utc};
use itsm_calendar::{Holiday, Week};
use itsm_core::UserId;

/// An on-call schedule as data: who is on call when, in one time zone.
///
/// Layers (PagerDuty's layers, Opsgenie's rotations, ServiceNow's rosters) rotate their
/// members turn by turn; restrictions limit a layer to hours of the week; time off hands a
/// member's turns to a cover (ServiceNow); overrides put someone on call for a while
/// whatever the layers say. [`Combine`] says how layers on call at once add up.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScheduleSpec {
    /// The schedule's name: escalation policies name it, errors quote it.
    pub name: String,
    /// The zone handovers and restrictions are read in: an IANA name (`"Europe/Berlin"`,
    /// with the `tz` feature), `"UTC"` or an offset (`"+02:00"`). `None` is UTC.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<String>,
    /// How layers on call at the same time add up.
    #[cfg_attr(feature = "serde", serde(default))]
    pub combine: Combine,
    /// The layers, in order: under [`Combine::LastLayer`] a later layer hides an earlier one.
    pub layers: Vec<Layer>,
    /// Members away, and who covers for them.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub time_off: Vec<TimeOff>,
    /// Someone on call for a while whatever the layers say; a later one wins where two
    /// overlap.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub overrides: Vec<Override>,
}

impl ScheduleSpec {
    /// A schedule in UTC of `layers`, the last layer winning, without time off or overrides.
    pub fn new(name: impl Into<String>, layers: Vec<Layer>) -> Self {
        ScheduleSpec {
            name: name.into(),
            zone: None,
            combine: Combine::LastLayer,
            layers,
            time_off: Vec::new(),
            overrides: Vec::new(),
        }
    }
}

/// How layers on call at the same time add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Combine {
    /// One person at a time: the last layer with someone on call wins (PagerDuty: "the
    /// lowest layer always takes precedence"; the final schedule shows one person).
    #[default]
    LastLayer,
    /// Everyone on call in any layer (Opsgenie: "all on-call users in all the different
    /// rotations are notified"), in layer order, each once.
    All,
}

/// A rotation of members through turns of equal length.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Layer {
    /// The layer's name (a roster's: "primary"); unique in its schedule.
    pub name: String,
    /// Who rotates, in turn order: turn 0 is the first member's.
    pub members: Vec<UserId>,
    /// When turns start and how long they last.
    pub rotation: Rotation,
    /// From when the layer counts (its turns are still counted from the rotation's
    /// handover); `None`: always. PagerDuty's and Opsgenie's start date.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub starts: Option<DateTime<Utc>>,
    /// Until when (exclusive); `None`: no end. A layer edited from a date on is this one
    /// ended there and a new one started, so the past stays as it was.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub ends: Option<DateTime<Utc>>,
    /// The hours of the week the layer is on call, in the schedule's zone (PagerDuty's and
    /// Opsgenie's restrictions, ServiceNow's shift times); `None`: around the clock.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub restriction: Option<Restriction>,
}

impl Layer {
    /// A layer without start, end or restriction.
    pub fn new(name: impl Into<String>, members: Vec<UserId>, rotation: Rotation) -> Self {
        Layer {
            name: name.into(),
            members,
            rotation,
            starts: None,
            ends: None,
            restriction: None,
        }
    }
}

/// When turns start and how long they last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Rotation {
    /// The wall-clock start of turn 0 in the schedule's zone (`"2027-01-04T09:00:00"`): its
    /// time of day is the handover time, its weekday a weekly rotation's handover day.
    #[cfg_attr(feature = "schemars", schemars(with = "String"))]
    pub handover: NaiveDateTime,
    /// How long a turn lasts.
    pub turn: Turn,
}

/// How long a turn lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Turn {
    /// Hours of elapsed time: a 12-hour turn lasts 12 hours across a daylight-saving change,
    /// so its handover moves on the wall clock.
    Hours(u32),
    /// Days on the wall clock: each turn starts at the handover's time of day, 23 or 25
    /// hours apart across a daylight-saving change.
    Days(u32),
    /// Weeks on the wall clock, as days.
    Weeks(u32),
}

/// The hours of the week a layer is on call: weekly segments (`"19:00-07:00"` crosses
/// midnight) and days left out, read in the schedule's zone through `itsm-calendar`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Restriction {
    /// The weekly hours on call.
    pub week: Week,
    /// Days off all day (a shift's holiday calendar).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub holidays: Vec<Holiday>,
}

/// A member away, and who covers their turns (ServiceNow's time off with a proposed cover).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TimeOff {
    /// Who is away.
    pub member: UserId,
    /// From (inclusive).
    pub from: DateTime<Utc>,
    /// To (exclusive).
    pub to: DateTime<Utc>,
    /// Who takes the member's turns meanwhile; `None` leaves them uncovered (a gap where no
    /// other layer covers: ServiceNow's "time off without coverage"). A cover away too hands
    /// on to their own cover, and so on; a chain that ends without one, or comes back to
    /// someone already asked, leaves nobody. The member need not be in a layer (a cover's
    /// own time off).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cover: Option<UserId>,
}

/// Someone on call for a while whatever the layers say.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Override {
    /// Who is on call.
    pub user: UserId,
    /// From (inclusive).
    pub from: DateTime<Utc>,
    /// To (exclusive).
    pub to: DateTime<Utc>,
    /// The layer whose member it replaces (Opsgenie's override of one rotation): only while
    /// that layer is on call (within its dates and restriction), as someone taking over its
    /// turns; `None`: the whole schedule, at any time ("takes precedence over all
    /// rotations").
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub layer: Option<String>,
}
