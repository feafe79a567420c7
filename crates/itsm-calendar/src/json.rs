//! The JSON forms of segments, weeks and holidays: a short form people write by hand
//! (`"08:00-12:00"`, `"daily"`, `"2026-12-25"`, `"--12-25"`) next to the long one, and the
//! shortest written back.

use chrono::NaiveDate;
use serde::de::{self, MapAccess, Visitor, value::MapAccessDeserializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;
use crate::spec::{Holiday, Segment, TimeOfDay, Week};

// ---------------------------------------------------------------------------------------------
// Segments

/// The long form of a segment.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "SegmentObject"))]
struct SegmentObject {
    /// Opening time.
    start: TimeOfDay,
    /// Closing time (`24:00`, or earlier than the start for a segment that crosses
    /// midnight).
    end: TimeOfDay,
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SegmentVisitor;
        impl<'de> Visitor<'de> for SegmentVisitor {
            type Value = Segment;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a segment, \"HH:MM-HH:MM\" or {\"start\": .., \"end\": ..}")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Segment, E> {
                text.parse().map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Segment, A::Error> {
                let o = SegmentObject::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Segment {
                    start: o.start,
                    end: o.end,
                })
            }
        }
        deserializer.deserialize_any(SegmentVisitor)
    }
}

#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for Segment {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Segment".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let object = generator.subschema_for::<SegmentObject>();
        schemars::json_schema!({
            "description": "An open segment, start (included) to end (excluded): \"08:00-12:00\"; an end earlier than the start crosses midnight (\"22:00-06:00\").",
            "anyOf": [
                {
                    "type": "string",
                    "pattern": "^[0-9]{2}:[0-9]{2}(:[0-9]{2})?-[0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
                },
                object
            ]
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Weeks

/// A week as written: `daily` and `weekdays` shorten it; named days override them.
#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "Week"))]
pub(crate) struct WeekRepr {
    /// The same segments every day (named days and `weekdays` override it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    daily: Option<Vec<Segment>>,
    /// The same segments Monday to Friday (named days override it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weekdays: Option<Vec<Segment>>,
    /// Monday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mon: Option<Vec<Segment>>,
    /// Tuesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tue: Option<Vec<Segment>>,
    /// Wednesday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wed: Option<Vec<Segment>>,
    /// Thursday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    thu: Option<Vec<Segment>>,
    /// Friday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fri: Option<Vec<Segment>>,
    /// Saturday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sat: Option<Vec<Segment>>,
    /// Sunday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sun: Option<Vec<Segment>>,
}

impl From<WeekRepr> for Week {
    fn from(r: WeekRepr) -> Week {
        let base = r.daily.unwrap_or_default();
        let workday = r.weekdays.unwrap_or_else(|| base.clone());
        let pick = |day: Option<Vec<Segment>>, default: &Vec<Segment>| {
            day.unwrap_or_else(|| default.clone())
        };
        Week {
            mon: pick(r.mon, &workday),
            tue: pick(r.tue, &workday),
            wed: pick(r.wed, &workday),
            thu: pick(r.thu, &workday),
            fri: pick(r.fri, &workday),
            sat: pick(r.sat, &base),
            sun: pick(r.sun, &base),
        }
    }
}

impl From<Week> for WeekRepr {
    /// The shortest form: `daily` when every day is the same, `weekdays` (with the weekend
    /// days that are open) when Monday to Friday are, else the open days one by one.
    fn from(w: Week) -> WeekRepr {
        let some = |v: Vec<Segment>| (!v.is_empty()).then_some(v);
        let workdays_same = [&w.tue, &w.wed, &w.thu, &w.fri]
            .iter()
            .all(|d| **d == w.mon);
        if workdays_same && w.sat == w.mon && w.sun == w.mon {
            return WeekRepr {
                daily: some(w.mon),
                ..WeekRepr::default()
            };
        }
        if workdays_same && !w.mon.is_empty() {
            return WeekRepr {
                weekdays: some(w.mon),
                sat: some(w.sat),
                sun: some(w.sun),
                ..WeekRepr::default()
            };
        }
        WeekRepr {
            mon: some(w.mon),
            tue: some(w.tue),
            wed: some(w.wed),
            thu: some(w.thu),
            fri: some(w.fri),
            sat: some(w.sat),
            sun: some(w.sun),
            ..WeekRepr::default()
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for Week {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WeekRepr::from(self.clone()).serialize(serializer)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de> Deserialize<'de> for Week {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        WeekRepr::deserialize(deserializer).map(Week::from)
    }
}

#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for Week {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Week".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        WeekRepr::json_schema(generator)
    }
}

// ---------------------------------------------------------------------------------------------
// Holidays

/// The long form of a holiday, tagged by `kind`.
#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "HolidayObject"))]
enum HolidayObject {
    /// One date.
    Date {
        /// The date.
        date: NaiveDate,
        /// Its name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The same day every year.
    Yearly {
        /// Month, 1 to 12.
        month: u32,
        /// Day of the month, 1 to 31.
        day: u32,
        /// Its name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
}

/// `YYYY-MM-DD` or `--MM-DD`.
fn holiday_from_text(text: &str) -> Result<Holiday, Error> {
    let bad = || Error::InvalidHolidayText {
        text: text.to_owned(),
    };
    if let Some(rest) = text.strip_prefix("--") {
        let two = |p: &str| {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
        };
        return match rest.split_once('-') {
            Some((m, d)) => match (two(m), two(d)) {
                (Some(month), Some(day)) => Ok(Holiday::yearly(month, day)),
                _ => Err(bad()),
            },
            None => Err(bad()),
        };
    }
    text.parse::<NaiveDate>()
        .map(Holiday::date)
        .map_err(|_| bad())
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for Holiday {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Holiday::Date { date, name: None } => serializer.collect_str(date),
            Holiday::Yearly {
                month,
                day,
                name: None,
            } => serializer.collect_str(&format_args!("--{month:02}-{day:02}")),
            Holiday::Date {
                date,
                name: Some(name),
            } => HolidayObject::Date {
                date: *date,
                name: Some(name.clone()),
            }
            .serialize(serializer),
            Holiday::Yearly {
                month,
                day,
                name: Some(name),
            } => HolidayObject::Yearly {
                month: *month,
                day: *day,
                name: Some(name.clone()),
            }
            .serialize(serializer),
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de> Deserialize<'de> for Holiday {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HolidayVisitor;
        impl<'de> Visitor<'de> for HolidayVisitor {
            type Value = Holiday;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a holiday, \"YYYY-MM-DD\", \"--MM-DD\" or an object tagged by kind")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Holiday, E> {
                holiday_from_text(text).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Holiday, A::Error> {
                Ok(
                    match HolidayObject::deserialize(MapAccessDeserializer::new(map))? {
                        HolidayObject::Date { date, name } => Holiday::Date { date, name },
                        HolidayObject::Yearly { month, day, name } => {
                            Holiday::Yearly { month, day, name }
                        }
                    },
                )
            }
        }
        deserializer.deserialize_any(HolidayVisitor)
    }
}

#[cfg(feature = "schemars")]
#[cfg_attr(docsrs, doc(cfg(feature = "schemars")))]
impl schemars::JsonSchema for Holiday {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Holiday".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let object = generator.subschema_for::<HolidayObject>();
        schemars::json_schema!({
            "description": "A day closed all day: a date \"2026-12-25\", a day every year \"--12-25\", or an object with a name.",
            "anyOf": [
                { "type": "string", "format": "date" },
                { "type": "string", "pattern": "^--[0-9]{2}-[0-9]{2}$" },
                object
            ]
        })
    }
}
