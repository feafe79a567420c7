//! What the readers ([`xes::from_xes`](crate::xes::from_xes),
//! [`ocel::from_document`](crate::ocel::from_document)) give back: the log, and a word on
//! everything of the document they did not carry over.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::model::{Attribute, EventLog};

/// A document read as an [`EventLog`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Imported {
    /// The log, checked as [`EventLog::new`] checks any log.
    pub log: EventLog,
    /// Attributes of the whole log (XES `log`-level attributes such as its `concept:name`);
    /// empty for OCEL, which has none.
    pub log_attributes: Vec<Attribute>,
    /// What the document held and the log does not, counted by kind and key; empty when
    /// nothing was left out.
    pub skipped: Vec<Skipped>,
}

/// Why part of a document was not carried into the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SkipReason {
    /// An XES event outside any trace: the log has no case to relate it to.
    EventOutsideTrace,
    /// An attribute nested in another (XES meta-attributes): the log's attributes are flat.
    NestedAttribute,
    /// An XES `list` or `container` attribute: the log has no collection values.
    Collection,
    /// An element XES does not define at that place.
    UnknownElement,
    /// A missing value: an OCEL attribute whose value is `null`, or an XES `float` whose value
    /// is `NaN` (how pandas-based tools, pm4py among them, write a value a row lacks). The
    /// log has no missing values.
    MissingValue,
    /// An XES `float` that is infinite (`INF`, or a number past the range of a 64-bit
    /// float): the log's floats are finite.
    InfiniteFloat,
    /// A trace's own `time:timestamp`: a case is an object, which has no time of its own
    /// (its events carry the times).
    CaseTimestamp,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SkipReason::EventOutsideTrace => "event outside any trace",
            SkipReason::NestedAttribute => "attribute nested in another",
            SkipReason::Collection => "list or container attribute",
            SkipReason::UnknownElement => "element XES does not define there",
            SkipReason::MissingValue => "missing value (an OCEL null, an XES NaN)",
            SkipReason::InfiniteFloat => "infinite float",
            SkipReason::CaseTimestamp => {
                "time:timestamp of a trace (a case has no time of its own)"
            }
        })
    }
}

/// One kind of thing left out, with how often and where first.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Skipped {
    /// Why.
    pub reason: SkipReason,
    /// The key or element name concerned (for a nested attribute, its own key).
    pub key: String,
    /// How many were left out.
    pub count: usize,
    /// Where the first one is: the line (XES) or the object or event id (OCEL).
    pub first: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} × {} `{}` (first at {})",
            self.count,
            self.reason,
            itsm_core::Quoted(&self.key),
            itsm_core::Quoted(&self.first)
        )
    }
}

/// Counts what is skipped, in the order first seen.
#[derive(Default)]
pub(crate) struct SkipLog {
    list: Vec<Skipped>,
    /// Where each (reason, key) stands in `list`: looked up by `&str`, so a document with
    /// a missing value per row allocates nothing per skip.
    index: std::collections::BTreeMap<SkipReason, std::collections::BTreeMap<String, usize>>,
}

impl SkipLog {
    pub(crate) fn add(&mut self, reason: SkipReason, key: &str, at: impl FnOnce() -> String) {
        let keys = self.index.entry(reason).or_default();
        if let Some(&i) = keys.get(key) {
            if let Some(s) = self.list.get_mut(i) {
                s.count += 1;
            }
            return;
        }
        keys.insert(key.to_owned(), self.list.len());
        self.list.push(Skipped {
            reason,
            key: key.to_owned(),
            count: 1,
            first: at(),
        });
    }

    pub(crate) fn into_list(self) -> Vec<Skipped> {
        self.list
    }
}

/// An instant as XES (`xs:dateTime`) and OCEL 2.0 write it: RFC 3339 (`T` or a space
/// between date and time, any offset, any fraction of a second); without an offset it is
/// read as UTC. `None` when it is neither.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc());
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_in_the_forms_tools_write() {
        let t = Utc.with_ymd_and_hms(2016, 2, 29, 0, 16, 0).unwrap();
        for text in [
            "2016-02-29T00:16:00.000Z",
            "2016-02-29T01:16:00+01:00",
            "2016-02-29T00:16:00",
            "2016-02-29 00:16:00.000",
            " 2016-02-29T00:16:00Z ",
            "2016-02-29 01:16:00+01:00",
        ] {
            assert_eq!(parse_time(text), Some(t), "{text}");
        }
        for text in ["", "29/2/2016 01:16", "2016-02-30T00:00:00Z", "now"] {
            assert_eq!(parse_time(text), None, "{text}");
        }
    }

    #[test]
    fn skips_are_counted_per_reason_and_key() {
        let mut log = SkipLog::default();
        log.add(SkipReason::Collection, "items", || "line 3".into());
        log.add(SkipReason::Collection, "items", || "line 9".into());
        log.add(SkipReason::MissingValue, "items", || "e1".into());
        let list = log.into_list();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].count, 2);
        assert_eq!(
            list[0].to_string(),
            "2 × list or container attribute `items` (first at line 3)"
        );
    }
}
