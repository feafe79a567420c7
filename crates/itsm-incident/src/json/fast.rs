//! The fast path: events read straight from the text into their fields, in one pass (two
//! when the tag is not the first key), with no intermediate values.
//!
//! It answers `Some(event)` only where `serde_json` gives that very event, and `None` (give
//! up, let the generic path decide) on anything else: an unknown or repeated key, a key or a
//! tag written with escapes, a number that is not a plain integer in the type's range, an
//! enum written as an object where serde also reads a string, an `imported` event (its
//! snapshot goes to serde's derived decoder), and every error. What it accepts:
//! - objects with their keys in any order and any JSON whitespace between tokens;
//! - strings with any escapes, decoded and checked as `serde_json` does;
//! - integers without a fraction, an exponent or a leading zero (`serde_json` refuses `1.0`
//!   and `-0` for integer fields, and leading zeros everywhere);
//! - `null` for an `Option` field, and a missing `Option` field (serde's derive reads both
//!   as `None`), a missing `notes` (`serde(default)`);
//! - ids in every form `uuid` parses (its own parser decides), instants in every form
//!   chrono parses (the canonical form read directly, the others by chrono).
//!
//! Each variant is one arm of [`variant`], listing its keys and how each value is read.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use itsm_core::{
    GroupId, Impact, Level, Priority, PriorityExplanation, Rounding, RuleUsed, Urgency, UserId,
};
use uuid::Uuid;

use super::text::{self, is_space, plain_run_end};
use crate::event::Event;
use crate::model::{
    ChangeId, Channel, EscalationKind, HoldReason, IncidentId, Link, ProblemId, Report, Resolution,
    StatusKind,
};
use crate::serde_tagged::instant::canonical;

/// The event in `text`, if the fast path is sure of it.
pub(super) fn event(text: &str) -> Option<Event> {
    let mut c = Cursor {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let tag = c.tag()?;
    let event = variant(&mut c, tag)?;
    c.ws();
    (c.pos == c.bytes.len()).then_some(event)
}

/// Fills an empty slot with a value read; `None` (give up) when the value could not be read
/// or the slot was filled already (a repeated key, which serde refuses).
#[inline]
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// Reads the object at the cursor into one `Option` slot per key, declared here under the
/// given names: `key => slot: how to read its value`. Any other key, a repeated key or a
/// value that does not read gives up (`?` in the enclosing function). With a tag, the
/// object must hold the key `type` once, with that value.
macro_rules! fields {
    ($c:ident, $tag:expr, { $($key:literal => $slot:ident: $read:expr),* $(,)? }) => {
        $(let mut $slot = None;)*
        $c.object($tag, &[$($key as &[u8]),*], |$c, index| {
            // The key's place in the list picks the slot (the comparisons fold away).
            let mut place = 0usize;
            $(
                if index == place {
                    return put(&mut $slot, $read);
                }
                place += 1;
            )*
            let _ = place;
            None
        })?;
    };
}

/// The event of the variant the tag names, from the object at the cursor.
fn variant(c: &mut Cursor<'_>, tag: Tag<'_>) -> Option<Event> {
    Some(match tag.name() {
        "reported" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"report" => report: c.report(),
                b"priority" => priority: c.u8(),
                b"explanation" => explanation: c.explanation(),
            });
            Event::Reported {
                at: at?,
                by: by?,
                report: Arc::new(report?),
                priority: Priority(priority?),
                explanation: Box::new(explanation?),
            }
        }
        "assigned" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"group" => group: c.id(GroupId),
                b"person" => person: c.nullable(|c| c.id(UserId)),
                b"reassignment" => reassignment: c.boolean(),
            });
            Event::Assigned {
                at: at?,
                by: by?,
                group: group?,
                person: person.flatten(),
                reassignment: reassignment?,
            }
        }
        "work_started" => {
            fields!(c, tag, { b"at" => at: c.instant(), b"by" => by: c.id(UserId) });
            Event::WorkStarted { at: at?, by: by? }
        }
        "put_on_hold" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string().map(HoldReason::from),
                b"comment" => comment: c.nullable(Cursor::string),
            });
            Event::PutOnHold {
                at: at?,
                by: by?,
                reason: reason?,
                comment: comment.flatten(),
            }
        }
        "caller_responded" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"comment" => comment: c.nullable(Cursor::string),
            });
            Event::CallerResponded {
                at: at?,
                by: by?,
                comment: comment.flatten(),
            }
        }
        "resumed" => {
            fields!(c, tag, { b"at" => at: c.instant(), b"by" => by: c.id(UserId) });
            Event::Resumed { at: at?, by: by? }
        }
        "reprioritized" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"impact" => impact: c.u8(),
                b"urgency" => urgency: c.u8(),
                b"priority" => priority: c.u8(),
                b"explanation" => explanation: c.explanation(),
            });
            Event::Reprioritized {
                at: at?,
                by: by?,
                impact: Impact(impact?),
                urgency: Urgency(urgency?),
                priority: Priority(priority?),
                explanation: Box::new(explanation?),
            }
        }
        "escalated" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"kind" => kind: c.escalation_kind(),
                b"level" => level: c.u8(),
            });
            Event::Escalated {
                at: at?,
                by: by?,
                kind: kind?,
                level: level?,
            }
        }
        "major_declared" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
            });
            Event::MajorDeclared {
                at: at?,
                by: by?,
                reason: reason?,
            }
        }
        "major_stood_down" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
            });
            Event::MajorStoodDown {
                at: at?,
                by: by?,
                reason: reason?,
            }
        }
        "major_proposed" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
                b"business_impact" => business_impact: c.string(),
                b"trigger" => trigger: c.nullable(Cursor::string),
            });
            Event::MajorProposed {
                at: at?,
                by: by?,
                reason: reason?,
                business_impact: business_impact?,
                trigger: trigger.flatten(),
            }
        }
        "major_rejected" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
            });
            Event::MajorRejected {
                at: at?,
                by: by?,
                reason: reason?,
            }
        }
        "linked" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"link" => link: c.link(),
            });
            Event::Linked {
                at: at?,
                by: by?,
                link: link?,
            }
        }
        "resolved" => {
            // The resolution is flattened: its `code` and `notes` sit beside `at` and `by`.
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"code" => code: c.string(),
                b"notes" => notes: c.string(),
            });
            Event::Resolved {
                at: at?,
                by: by?,
                resolution: Arc::new(Resolution {
                    code: code?,
                    notes: notes.unwrap_or_default(),
                }),
            }
        }
        "reopened" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
                b"by_support" => by_support: c.boolean(),
            });
            Event::Reopened {
                at: at?,
                by: by?,
                reason: reason?,
                by_support: by_support?,
            }
        }
        "closed" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"auto" => auto: c.boolean(),
            });
            Event::Closed {
                at: at?,
                by: by?,
                auto: auto?,
            }
        }
        "canceled" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"reason" => reason: c.string(),
            });
            Event::Canceled {
                at: at?,
                by: by?,
                reason: reason?,
            }
        }
        "unassigned" => {
            fields!(c, tag, { b"at" => at: c.instant(), b"by" => by: c.id(UserId) });
            Event::Unassigned { at: at?, by: by? }
        }
        "entered" => {
            fields!(c, tag, {
                b"at" => at: c.instant(),
                b"by" => by: c.id(UserId),
                b"state" => state: c.string().map(Arc::<str>::from),
                b"kind" => kind: c.status_kind(),
            });
            Event::Entered {
                at: at?,
                by: by?,
                state: state?,
                kind: kind?,
            }
        }
        // `imported` (its snapshot), and names that are no event: the generic path.
        _ => return None,
    })
}

/// The tag of the event's object, as [`Cursor::tag`] found it.
#[derive(Clone, Copy)]
enum Tag<'a> {
    /// Not an event's object: no key `type` (nested objects).
    None,
    /// The tag's value, found after other keys: the object is read from its start, and must
    /// hold the key `type` once, with this value.
    Inside(&'a str),
    /// The tag's value, found as the first key: the object is read on from the position
    /// after it, and must not hold the key `type` again.
    First(&'a str, usize),
}

impl<'a> Tag<'a> {
    fn name(self) -> &'a str {
        match self {
            Tag::None => "",
            Tag::Inside(name) | Tag::First(name, _) => name,
        }
    }
}

/// A position in the text. Every reader skips the whitespace before its token.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if !is_space(byte) {
                break;
            }
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    #[inline]
    fn next(&mut self) -> Option<u8> {
        self.ws();
        let byte = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(byte)
    }

    /// The next byte after whitespace, not consumed.
    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `word` if the text goes on with it.
    #[inline]
    fn word(&mut self, word: &[u8]) -> bool {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// The tag's value, found without moving: the first key's value when that key is
    /// `type` (as `Serialize` writes it), or else the value of the first `type` key of the
    /// object, found by skipping the values before it.
    fn tag(&self) -> Option<Tag<'a>> {
        let mut probe = *self;
        if probe.next()? != b'{' {
            return None;
        }
        if probe.key()? == b"type" {
            let name = probe.raw()?;
            return Some(Tag::First(name, probe.pos));
        }
        loop {
            probe.skip()?;
            if probe.next()? != b',' {
                return None;
            }
            if probe.key()? == b"type" {
                return probe.raw().map(Tag::Inside);
            }
        }
    }

    /// Skips a value, loosely: only the tag's search uses it, and the object is then read
    /// properly from its start.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                b'"' => loop {
                    // To the closing quote, over escapes (a backslash and the byte after it).
                    let end = plain_run_end(self.bytes, self.pos, false);
                    match self.bytes.get(end)? {
                        b'"' => {
                            self.pos = end + 1;
                            break;
                        }
                        _ => self.pos = end + 2,
                    }
                },
                b'{' | b'[' => {
                    depth += 1;
                    continue;
                }
                b'}' | b']' => depth = depth.checked_sub(1)?,
                b',' | b':' if depth > 0 => continue,
                byte if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'+' | b'.') => {
                    while let Some(byte) = self.bytes.get(self.pos) {
                        if !(byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'+' | b'.')) {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return None,
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// Reads an object: `{`, then for each key its value by `field`, then `}`; for an
    /// event's object, with its tag (see [`Tag`]). `keys` are the keys in the order
    /// `Serialize` writes them: each is tried first, before scanning for the key. See
    /// [`fields!`].
    #[inline]
    fn object(
        &mut self,
        tag: Tag<'_>,
        keys: &[&'static [u8]],
        mut field: impl FnMut(&mut Self, usize) -> Option<()>,
    ) -> Option<()> {
        let mut expected = 0;
        let (mut tagged, mut pending) = match tag {
            Tag::First(_, after) => {
                self.pos = after;
                (true, false)
            }
            Tag::None | Tag::Inside(_) => {
                if self.next()? != b'{' {
                    return None;
                }
                if self.peek()? == b'}' {
                    self.pos += 1;
                    return matches!(tag, Tag::None).then_some(());
                }
                (matches!(tag, Tag::None), true)
            }
        };
        loop {
            if pending {
                match keys.get(expected) {
                    Some(key) if self.known_key(key) => {
                        field(self, expected)?;
                        expected += 1;
                    }
                    _ => {
                        let key = self.key()?;
                        if key == b"type" && !matches!(tag, Tag::None) {
                            if tagged || self.raw()? != tag.name() {
                                return None;
                            }
                            tagged = true;
                        } else {
                            let index = keys.iter().position(|known| *known == key)?;
                            field(self, index)?;
                        }
                    }
                }
            }
            pending = true;
            match self.next()? {
                b',' => {}
                b'}' => return tagged.then_some(()),
                _ => return None,
            }
        }
    }

    /// Consumes `"key":` if it comes next, exactly so (the common case: keys in the order
    /// `Serialize` writes them, without whitespace).
    #[inline]
    fn known_key(&mut self, key: &[u8]) -> bool {
        let start = self.pos;
        let end = start + key.len() + 3;
        let matches = match self.bytes.get(start..end) {
            Some([b'"', middle @ .., b'"', b':']) => same(middle, key),
            _ => false,
        };
        if matches {
            self.pos = end;
        }
        matches
    }

    /// A key without escapes, and the colon after it.
    #[inline]
    fn key(&mut self) -> Option<&'a [u8]> {
        if self.next()? != b'"' {
            return None;
        }
        // Keys are short: a byte loop beats the eight-byte scan here.
        let start = self.pos;
        let mut end = start;
        loop {
            match *self.bytes.get(end)? {
                b'"' => break,
                b'\\' | 0..0x20 => return None,
                _ => end += 1,
            }
        }
        self.pos = end + 1;
        // The colon, usually right after the quote.
        if self.bytes.get(self.pos) == Some(&b':') {
            self.pos += 1;
        } else if self.next()? != b':' {
            return None;
        }
        self.bytes.get(start..end)
    }

    /// A string without escapes, borrowed from the text.
    #[inline]
    fn raw(&mut self) -> Option<&'a str> {
        if self.next()? != b'"' {
            return None;
        }
        let start = self.pos;
        let end = plain_run_end(self.bytes, start, true);
        if *self.bytes.get(end)? != b'"' {
            return None;
        }
        self.pos = end + 1;
        self.text.get(start..end)
    }

    /// A string, its escapes decoded.
    #[inline]
    fn string(&mut self) -> Option<String> {
        if self.next()? != b'"' {
            return None;
        }
        let start = self.pos;
        let end = plain_run_end(self.bytes, start, true);
        match self.bytes.get(end)? {
            b'"' => {
                self.pos = end + 1;
                self.text.get(start..end).map(String::from)
            }
            b'\\' => self.escaped(start, end),
            _ => None,
        }
    }

    /// The rest of a string that holds an escape at `end`, decoded as `serde_json` decodes
    /// it (surrogates paired, no control characters).
    #[cold]
    fn escaped(&mut self, start: usize, mut end: usize) -> Option<String> {
        let mut out = Vec::with_capacity(end - start + 16);
        let mut run = start;
        loop {
            out.extend_from_slice(self.bytes.get(run..end)?);
            match self.bytes.get(end)? {
                b'"' => {
                    self.pos = end + 1;
                    return String::from_utf8(out).ok();
                }
                b'\\' => {
                    run = text::escape(self.bytes, end + 1, true, &mut out).ok()?;
                    end = plain_run_end(self.bytes, run, true);
                }
                _ => return None,
            }
        }
    }

    /// `null` as `None`, or the value `read` reads.
    #[inline]
    fn nullable<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        self.ws();
        if self.word(b"null") {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    #[inline]
    fn boolean(&mut self) -> Option<bool> {
        self.ws();
        if self.word(b"true") {
            Some(true)
        } else if self.word(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// Digits at the cursor as `serde_json` reads an integer, at most `max`: no leading
    /// zero, and no fraction or exponent (which make it a float, refused by integer types).
    #[inline]
    fn digits(&mut self, max: u64) -> Option<u64> {
        let start = self.pos;
        let mut value = 0u64;
        while let Some(&byte) = self.bytes.get(self.pos) {
            if !byte.is_ascii_digit() {
                break;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
            self.pos += 1;
        }
        let len = self.pos - start;
        if len == 0 || (len > 1 && self.bytes.get(start) == Some(&b'0')) {
            return None;
        }
        if matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        (value <= max).then_some(value)
    }

    #[inline]
    fn u8(&mut self) -> Option<u8> {
        self.ws();
        u8::try_from(self.digits(u64::from(u8::MAX))?).ok()
    }

    fn i16(&mut self) -> Option<i16> {
        self.ws();
        if self.word(b"-") {
            // `-0` is a float to `serde_json`, refused by integer types.
            let magnitude = self.digits(32_768).filter(|&m| m > 0)?;
            i16::try_from(-i64::try_from(magnitude).ok()?).ok()
        } else {
            i16::try_from(self.digits(32_767)?).ok()
        }
    }

    /// An id: a UUID string in any form `uuid` parses, read by its parser.
    #[inline]
    fn id<T>(&mut self, make: fn(Uuid) -> T) -> Option<T> {
        if self.peek()? != b'"' {
            return None;
        }
        // The hyphenated form (36 characters, as `Serialize` writes it): parsed in place.
        // When the 36 bytes parse they are hex digits and hyphens, so the string is exactly
        // them.
        let start = self.pos + 1;
        if self.bytes.get(start + 36) == Some(&b'"') {
            if let Some(id) = self.bytes.get(start..start + 36).and_then(hyphenated) {
                self.pos = start + 37;
                return Some(make(id));
            }
        }
        let raw = self.raw()?;
        Uuid::try_parse_ascii(raw.as_bytes()).ok().map(make)
    }

    /// An instant as the events' `instant` reads it: the canonical form directly, any
    /// other RFC 3339 form by chrono, converted to UTC.
    #[inline]
    fn instant(&mut self) -> Option<DateTime<Utc>> {
        let raw = self.raw()?;
        canonical(raw.as_bytes()).or_else(|| {
            raw.parse::<DateTime<FixedOffset>>()
                .ok()
                .map(|instant| instant.with_timezone(&Utc))
        })
    }

    fn report(&mut self) -> Option<Report> {
        let c = self;
        fields!(c, Tag::None, {
            b"id" => id: c.id(IncidentId),
            b"caller" => caller: c.id(UserId),
            b"channel" => channel: c.channel(),
            b"category" => category: c.nullable(Cursor::string),
            b"configuration_item" => item: c.nullable(|c| c.id(itsm_core::ConfigItemId)),
            b"service" => service: c.nullable(|c| c.id(itsm_core::ServiceId)),
            b"impact" => impact: c.u8(),
            b"urgency" => urgency: c.u8(),
            b"description" => description: c.string(),
        });
        Some(Report {
            id: id?,
            caller: caller?,
            channel: channel?,
            category: category.flatten(),
            configuration_item: item.flatten(),
            service: service.flatten(),
            impact: Impact(impact?),
            urgency: Urgency(urgency?),
            description: description?,
        })
    }

    /// A channel: a unit variant's name, or `{"other": name}`.
    fn channel(&mut self) -> Option<Channel> {
        if self.peek()? == b'{' {
            self.pos += 1;
            if self.key()? != b"other" {
                return None;
            }
            let name = self.string()?;
            return (self.next()? == b'}').then_some(Channel::Other(name));
        }
        Some(match self.raw()? {
            "phone" => Channel::Phone,
            "email" => Channel::Email,
            "self_service" => Channel::SelfService,
            "chat" => Channel::Chat,
            "walk_in" => Channel::WalkIn,
            "monitoring" => Channel::Monitoring,
            "unspecified" => Channel::Unspecified,
            _ => return None,
        })
    }

    fn explanation(&mut self) -> Option<PriorityExplanation> {
        let c = self;
        fields!(c, Tag::None, {
            b"matrix" => matrix: c.string(),
            b"impact" => impact: c.level(),
            b"urgency" => urgency: c.level(),
            b"priority" => priority: c.level(),
            b"rule" => rule: c.rule(),
        });
        Some(PriorityExplanation {
            matrix: matrix?,
            impact: impact?,
            urgency: urgency?,
            priority: priority?,
            rule: rule?,
        })
    }

    fn level(&mut self) -> Option<Level> {
        let c = self;
        fields!(c, Tag::None, {
            b"value" => value: c.u8(),
            b"label" => label: c.string(),
        });
        Some(Level::new(value?, label?))
    }

    /// The rule of an explanation, tagged by `kind` (first or not: serde reads both).
    fn rule(&mut self) -> Option<RuleUsed> {
        let c = self;
        fields!(c, Tag::None, {
            b"kind" => kind: c.raw(),
            b"offset" => offset: c.i16(),
            b"divisor" => divisor: c.u8(),
            b"rounding" => rounding: c.rounding(),
        });
        match kind? {
            // serde ignores other keys beside a unit variant's tag; here there are none.
            "cell" if offset.is_none() && divisor.is_none() && rounding.is_none() => {
                Some(RuleUsed::Cell)
            }
            "formula" => Some(RuleUsed::Formula {
                offset: offset?,
                divisor: divisor?,
                rounding: rounding?,
            }),
            _ => None,
        }
    }

    fn rounding(&mut self) -> Option<Rounding> {
        Some(match self.raw()? {
            "floor" => Rounding::Floor,
            "ceil" => Rounding::Ceil,
            "half_away_from_zero" => Rounding::HalfAwayFromZero,
            _ => return None,
        })
    }

    fn escalation_kind(&mut self) -> Option<EscalationKind> {
        Some(match self.raw()? {
            "functional" => EscalationKind::Functional,
            "hierarchical" => EscalationKind::Hierarchical,
            _ => return None,
        })
    }

    fn status_kind(&mut self) -> Option<StatusKind> {
        let name = self.raw()?;
        std::iter::once(StatusKind::Unreported)
            .chain(StatusKind::ALL)
            .find(|kind| kind.name() == name)
    }

    /// A link, adjacently tagged: `{"kind": ..., "id": ...}`, in either order.
    fn link(&mut self) -> Option<Link> {
        let c = self;
        fields!(c, Tag::None, {
            b"kind" => kind: c.raw(),
            b"id" => id: c.id(|id| id),
        });
        let id = id?;
        Some(match kind? {
            "problem" => Link::Problem(ProblemId(id)),
            "change" => Link::Change(ChangeId(id)),
            "parent" => Link::Parent(IncidentId(id)),
            "child" => Link::Child(IncidentId(id)),
            "follow_up_of" => Link::FollowUpOf(IncidentId(id)),
            _ => return None,
        })
    }
}

/// Whether two short byte strings of the same length are equal, eight bytes at a time (a
/// call to `memcmp` costs more than the comparison of a key).
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    let (mut a, mut b) = (a, b);
    while let (Some((x, rest_a)), Some((y, rest_b))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if x != y {
            return false;
        }
        (a, b) = (rest_a, rest_b);
    }
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

const ONES: u64 = u64::MAX / 255;
const HIGH: u64 = ONES << 7;

/// The value of eight ASCII hex digits (either case), the first the most significant, or
/// `None` if any byte is not one: eight at a time in a `u64`.
#[inline]
fn hex8(word: u64) -> Option<u32> {
    // Every byte below 0x80: then adding a constant below 0x80 to each carries into no
    // other byte, and each byte's high bit tells whether it reached a bound.
    if word & HIGH != 0 {
        return None;
    }
    let at_least = |x: u64, low: u8| x.wrapping_add(ONES * u64::from(0x80 - low));
    let digit = at_least(word, b'0') & !at_least(word, b'9' + 1);
    let folded = word | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'f' + 1);
    if (digit | letter) & HIGH != HIGH {
        return None;
    }
    // '0'-'9' keep their low nibble; letters have bit 6 set and gain 9 ('a' = 1 + 9).
    let nibbles = (word & (ONES * 0x0F)) + ((word >> 6) & ONES) * 9;
    // The first digit was the lowest byte: reverse, then pack pairs, quads, octets.
    let n = nibbles.swap_bytes();
    let n = (n | (n >> 4)) & 0x00FF_00FF_00FF_00FF;
    let n = (n | (n >> 8)) & 0x0000_FFFF_0000_FFFF;
    let n = (n | (n >> 16)) & 0x0000_0000_FFFF_FFFF;
    u32::try_from(n).ok()
}

/// A UUID in the hyphenated form (`8-4-4-4-12` hex digits, either case), as `uuid` reads
/// it, or `None` (then `uuid`'s own parser decides).
#[inline]
fn hyphenated(text: &[u8]) -> Option<Uuid> {
    let word = |from: usize| -> Option<u64> {
        Some(u64::from_le_bytes(
            <[u8; 8]>::try_from(text.get(from..from + 8)?).ok()?,
        ))
    };
    let half = |from: usize| -> Option<u64> {
        Some(u64::from(u32::from_le_bytes(
            <[u8; 4]>::try_from(text.get(from..from + 4)?).ok()?,
        )))
    };
    if text.len() != 36 || [8, 13, 18, 23].iter().any(|&i| text.get(i) != Some(&b'-')) {
        return None;
    }
    let a = hex8(word(0)?)?;
    let b = hex8(half(9)? | (half(14)? << 32))?;
    let c = hex8(half(19)? | (half(24)? << 32))?;
    let d = hex8(word(28)?)?;
    Some(Uuid::from_u128(
        (u128::from(a) << 96) | (u128::from(b) << 64) | (u128::from(c) << 32) | u128::from(d),
    ))
}

#[cfg(test)]
mod tests {
    use super::hyphenated;
    use uuid::Uuid;

    /// The hyphenated reader agrees with `uuid` on every byte at every place of a UUID, and
    /// on random UUIDs in both cases.
    #[test]
    fn hyphenated_reads_as_uuid_does() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for round in 0..200 {
            let id = Uuid::from_u128((u128::from(next()) << 64) | u128::from(next()));
            let text = if round % 2 == 0 {
                id.hyphenated().to_string()
            } else {
                id.hyphenated().to_string().to_uppercase()
            };
            assert_eq!(hyphenated(text.as_bytes()), Some(id));
            for place in 0..36 {
                for byte in 0..=255u8 {
                    let mut bytes = text.clone().into_bytes();
                    bytes[place] = byte;
                    let ours = hyphenated(&bytes);
                    assert_eq!(ours, Uuid::try_parse_ascii(&bytes).ok(), "{bytes:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 200 * 36 * 256);
    }
}
