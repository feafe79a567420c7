//! Stored events read fast: [`Event::from_json`], a JSON decoder written for [`Event`] that
//! accepts exactly what `serde_json::from_str::<Event>` accepts and gives the same event.
//!
//! Two paths, one answer:
//! - `fast`: a hand-written reader for the events `Serialize` writes, with keys in any order,
//!   any whitespace and any string escape. It never refuses anything: on whatever it is not
//!   sure of (an unknown or repeated key, a number that is not a plain integer in range, a
//!   key with an escape, an `imported` event, an error of any kind) it gives up, and
//! - `generic`: serde's own `Deserialize` for `Event`, driven by a deserializer that behaves
//!   as `serde_json`'s does (the same tokens, the same numbers, the same string rules, the
//!   same nesting limit of 128), decides: the value, or the error.
//!
//! So the fast path only has to be right on what it accepts; every refusal, and every corner
//! of serde's derived decoders (buffered internally tagged objects, flattened fields, structs
//! given as arrays, enums given as objects), is serde's.

mod fast;
mod generic;
mod text;

#[cfg(test)]
mod tests;

use crate::event::Event;

/// Why [`Event::from_json`] refused a text: what was wrong, where, and what was expected
/// there.
///
/// ```
/// use itsm_incident::{DecodeError, Event};
///
/// let error: DecodeError = Event::from_json(r#"{"type": "resumed", "at": 5}"#).unwrap_err();
/// assert_eq!(error.offset, 27);
/// assert_eq!(error.problem, "invalid type: integer `5`");
/// assert_eq!(error.expected, "an RFC 3339 formatted date and time string");
/// assert_eq!(
///     error.to_string(),
///     "invalid type: integer `5` at byte 27, expected an RFC 3339 formatted date and time string"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[error("{problem} at byte {offset}, expected {expected}")]
#[non_exhaustive]
pub struct DecodeError {
    /// Where: the offset in bytes into the text at which decoding stopped (after the value
    /// at fault when the fault is in a value's meaning, such as an unknown variant).
    pub offset: usize,
    /// What was wrong: `invalid type: integer \`5\``, `missing field \`by\``, `end of input
    /// inside a string`, ...
    pub problem: String,
    /// What was expected there: `a string`, `\`,\` or \`}\``, `field \`by\``, ...
    pub expected: String,
}

impl Event {
    /// Decodes an event from its JSON (as `Serialize` writes it, or any JSON that
    /// `serde_json::from_str::<Event>` accepts: keys in any order, whitespace, escapes).
    ///
    /// The answer is `serde_json`'s (1.0, default features): the same event for every text
    /// it accepts, an error for every text it refuses (the messages differ); differential
    /// tests and the `incident_event_json` fuzz target hold the two together. Events in the
    /// form `Serialize` writes are read straight into their fields, without intermediate
    /// values, so they decode faster than through `serde_json` (figures in
    /// `docs/performance.md`). This crate does not depend on `serde_json`.
    ///
    /// # Errors
    /// [`DecodeError`] when the text is not JSON, not an event, or has text after the event.
    ///
    /// ```
    /// use itsm_incident::{Event, UserId};
    ///
    /// let text = r#"{"type":"work_started","at":"2026-03-02T09:00:00Z",
    ///                "by":"00000000-0000-0000-0000-000000000002"}"#;
    /// let event = Event::from_json(text)?;
    /// assert_eq!(event.name(), "work_started");
    /// assert_eq!(event.by(), UserId::from_u128(2));
    /// assert!(Event::from_json(r#"{"type":"work_started"}"#).is_err());
    /// # Ok::<(), itsm_incident::DecodeError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
    pub fn from_json(text: &str) -> Result<Event, DecodeError> {
        match fast::event(text) {
            Some(event) => Ok(event),
            None => generic::event(text),
        }
    }
}
