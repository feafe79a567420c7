//! Handoffs: people going on and off call, and the reminders they asked for before.
//!
//! PagerDuty's "before I go on-call or off-call" notification rules and Opsgenie's schedule
//! start and end notifications remind each person ahead of a change in the final schedule.
//! [`Schedule::handoffs`] lists the changes; [`Profiles::handoff_notices`] the reminders due
//! in a window, from each person's [`HandoffRule`]s.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use itsm_core::UserId;

use crate::contact::{Channel, Profiles};
use crate::error::Error;
use crate::schedule::Schedule;

/// Going on call or off call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum HandoffKind {
    /// The person goes on call (Opsgenie's schedule start).
    OnCall,
    /// The person goes off call (Opsgenie's schedule end).
    OffCall,
}

impl HandoffKind {
    /// Its name in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            HandoffKind::OnCall => "on_call",
            HandoffKind::OffCall => "off_call",
        }
    }
}

/// A change in who is on call: one person going on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Handoff {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub user: UserId,
    /// On or off.
    pub kind: HandoffKind,
}

/// A reminder before a handoff, as a person asks for it: by `method`, `before` the change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HandoffRule {
    /// Before going on call, or off.
    pub kind: HandoffKind,
    /// How long before (zero: at the change; at most
    /// [`MAX_CONTACT_DELAY_DAYS`](crate::MAX_CONTACT_DELAY_DAYS) days; PagerDuty allows 48
    /// hours, Opsgenie a day).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub before: Duration,
    /// The contact method, by name.
    pub method: String,
}

impl HandoffRule {
    /// A reminder by `method`, `before` going on or off call.
    pub fn new(kind: HandoffKind, before: Duration, method: impl Into<String>) -> Self {
        HandoffRule {
            kind,
            before,
            method: method.into(),
        }
    }
}

/// A reminder due: who, by which method, when, and the handoff it announces.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct HandoffNotice {
    /// When to send it.
    pub at: DateTime<Utc>,
    /// Who.
    pub user: UserId,
    /// The method's name.
    pub method: String,
    /// Its kind.
    pub channel: Channel,
    /// The handoff announced.
    pub handoff: Handoff,
}

impl Schedule {
    /// Everyone going on or off call at an instant of `[from, to)` in the final schedule
    /// ([`Schedule::shifts`]): a person on call just before the instant and not at it goes
    /// off, one not on call just before and on call at it goes on (someone changing layers
    /// or covering hands over nothing). At `from` the comparison is with the instant just
    /// before it, so a change at `from` counts and someone on call throughout does not.
    /// Ordered by instant; at one instant those going off first (in the order they were
    /// listed on call), then those going on (in the new order).
    ///
    /// ```
    /// use itsm_oncall::chrono::{NaiveDate, TimeZone, Utc};
    /// use itsm_oncall::{HandoffKind, Layer, Rotation, Schedule, ScheduleSpec, Turn, UserId};
    ///
    /// let (ann, bob) = (UserId::from_u128(1), UserId::from_u128(2));
    /// let handover = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap().and_hms_opt(9, 0, 0).unwrap();
    /// let daily = Layer::new("primary", vec![ann, bob], Rotation { handover, turn: Turn::Days(1) });
    /// let s = Schedule::new(&ScheduleSpec::new("ops", vec![daily]))?;
    /// let from = Utc.with_ymd_and_hms(2027, 1, 4, 12, 0, 0).unwrap();
    /// let h = s.handoffs(from, from + itsm_oncall::chrono::Duration::days(1))?;
    /// assert_eq!(h.len(), 2); // Ann off and Bob on, on the 5th at 09:00
    /// assert_eq!((h[0].user, h[0].kind), (ann, HandoffKind::OffCall));
    /// assert_eq!((h[1].user, h[1].kind), (bob, HandoffKind::OnCall));
    /// # Ok::<(), itsm_oncall::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Schedule::shifts`], and [`Error::OutOfRange`] at the first instant of chrono's
    /// range (nothing is before it).
    pub fn handoffs(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Handoff>, Error> {
        let shifts = self.shifts(from, to)?;
        let just_before = from
            .checked_sub_signed(Duration::nanoseconds(1))
            .ok_or(Error::OutOfRange { at: from })?;
        let mut before: Vec<UserId> = self.on_call(just_before)?.iter().map(|e| e.user).collect();
        let mut before_set: HashSet<UserId> = before.iter().copied().collect();
        let mut out = Vec::new();
        for shift in shifts {
            let now: Vec<UserId> = shift.on_call.iter().map(|e| e.user).collect();
            let now_set: HashSet<UserId> = now.iter().copied().collect();
            // Those listed on one side and missing on the other, off first.
            for (users, other, kind) in [
                (&before, &now_set, HandoffKind::OffCall),
                (&now, &before_set, HandoffKind::OnCall),
            ] {
                out.extend(
                    users
                        .iter()
                        .filter(|u| !other.contains(u))
                        .map(|u| Handoff {
                            at: shift.from,
                            user: *u,
                            kind,
                        }),
                );
            }
            before = now;
            before_set = now_set;
        }
        Ok(out)
    }
}

impl Profiles {
    /// The handoff reminders due in `[from, to)`: for each handoff of `schedule` and each
    /// [`HandoffRule`] of that person's profile of the same kind, a reminder `before` it by the
    /// rule's method, if enabled. Handoffs up to the longest rule's `before` past `to` are
    /// looked at, so asking window after window gives every reminder once. Ordered by instant,
    /// then as the handoffs, then as the rules. An empty or reversed window has none.
    ///
    /// # Errors
    /// As [`Schedule::handoffs`]; [`Error::TimeOverflow`] when `to` plus the longest
    /// `before` falls past chrono's range.
    pub fn handoff_notices(
        &self,
        schedule: &Schedule,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<HandoffNotice>, Error> {
        if to <= from {
            return Ok(Vec::new());
        }
        let Some(longest) = self.longest_handoff_rule() else {
            return Ok(Vec::new());
        };
        let until = to.checked_add_signed(longest).ok_or(Error::TimeOverflow {
            what: "the handoff reminders' window",
            at: to,
        })?;
        let mut out: Vec<(usize, usize, HandoffNotice)> = Vec::new();
        for (i, h) in schedule.handoffs(from, until)?.into_iter().enumerate() {
            for (j, rule, method) in self.handoff_rules(h.user, h.kind) {
                let Some(at) = h.at.checked_sub_signed(rule.before) else {
                    continue;
                };
                if at < from || at >= to {
                    continue;
                }
                out.push((
                    i,
                    j,
                    HandoffNotice {
                        at,
                        user: h.user,
                        method: method.name.clone(),
                        channel: method.channel,
                        handoff: h,
                    },
                ));
            }
        }
        out.sort_by_key(|(i, j, n)| (n.at, *i, *j));
        Ok(out.into_iter().map(|(_, _, n)| n).collect())
    }
}
