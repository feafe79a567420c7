//! Known errors: a problem's root cause and workaround, written down so the service desk can
//! use them, with a small lifecycle of their own (draft, published, retired) and the rule
//! that a published workaround is offered to matching incidents.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Actor, ConfigItemId, ProblemId, ServiceId, UserId};

use crate::error::Error;

/// A known error record's id, defined in `itsm-core` as shared vocabulary (knowledge articles
/// link to known errors too) and re-exported here.
pub use itsm_core::KnownErrorId;

/// Where a known error is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum KnownErrorStatus {
    /// Written, the workaround not yet offered.
    Draft,
    /// The workaround is published: offered to matching incidents.
    Published,
    /// Fixed for good (or obsolete): no longer offered.
    Retired,
}

/// What a known error records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct KnownErrorRecord {
    /// The record's id (made by the host).
    pub id: KnownErrorId,
    /// The problem it comes from, if any (a vendor's known error may come from outside).
    pub problem: Option<ProblemId>,
    /// The symptom users see, as the service desk would match it.
    pub symptom: String,
    /// The root cause.
    pub root_cause: String,
    /// The workaround.
    pub workaround: String,
    /// The vendor's category, for matching.
    pub category: Option<String>,
    /// The configuration items affected.
    pub items: Vec<ConfigItemId>,
    /// The services affected.
    pub services: Vec<ServiceId>,
}

/// A known error: its record, its status and its history's times.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct KnownError {
    record: Arc<KnownErrorRecord>,
    status: KnownErrorStatus,
    updated_at: DateTime<Utc>,
}

impl KnownError {
    /// What it records.
    pub fn record(&self) -> &KnownErrorRecord {
        &self.record
    }
    /// Its status.
    pub fn status(&self) -> KnownErrorStatus {
        self.status
    }
    /// Whether its workaround is published (offered to matching incidents).
    pub fn is_published(&self) -> bool {
        self.status == KnownErrorStatus::Published
    }
    /// When the last event happened.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
}

/// Something asked of a known error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum KnownErrorCommand {
    /// Record a known error (as a draft).
    Record(Box<KnownErrorRecord>),
    /// Publish the workaround.
    Publish,
    /// Revise the workaround (a draft or a published one; a published one stays published).
    Revise {
        /// The new workaround.
        workaround: String,
    },
    /// Retire it (the fix is in, or it is obsolete).
    Retire,
}

/// Something that happened to a known error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum KnownErrorEvent {
    /// Recorded as a draft.
    Recorded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The record.
        record: Arc<KnownErrorRecord>,
    },
    /// The workaround published.
    Published {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// The workaround revised.
    Revised {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The new workaround.
        workaround: String,
    },
    /// Retired.
    Retired {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
}

impl KnownErrorEvent {
    fn at(&self) -> DateTime<Utc> {
        match self {
            KnownErrorEvent::Recorded { at, .. }
            | KnownErrorEvent::Published { at, .. }
            | KnownErrorEvent::Revised { at, .. }
            | KnownErrorEvent::Retired { at, .. } => *at,
        }
    }
}

/// Decides a known error's command: draft to published (with a workaround) to retired;
/// revising keeps the status; a retired one accepts nothing. `now` and `actor` as for
/// problems (the problem policy's permissions do not apply: the host decides who edits
/// known errors, usually the problem roles).
///
/// # Errors
/// [`Error::NotAllowed`], [`Error::ClockWentBackwards`], [`Error::MissingField`],
/// [`Error::NoWorkaround`].
///
/// ```
/// use itsm_problem::chrono::{TimeZone, Utc};
/// use itsm_problem::{Actor, KnownErrorCommand, KnownErrorId, KnownErrorRecord, UserId};
/// use itsm_problem::{decide_known_error, evolve_known_error};
///
/// let pm = Actor::new(UserId::from_u128(2), []);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let record = KnownErrorRecord {
///     id: KnownErrorId::from_u128(1), problem: None, symptom: "VPN drops".into(),
///     root_cause: "MTU".into(), workaround: "Set MTU to 1400".into(), category: None,
///     items: vec![], services: vec![],
/// };
/// let events = decide_known_error(None, &KnownErrorCommand::Record(Box::new(record)), now, &pm)?;
/// let draft = events.iter().fold(None, evolve_known_error);
/// let events = decide_known_error(draft.as_ref(), &KnownErrorCommand::Publish, now, &pm)?;
/// let published = events.iter().fold(draft, evolve_known_error);
/// assert!(published.is_some_and(|k| k.is_published()));
/// # Ok::<(), itsm_problem::Error>(())
/// ```
pub fn decide_known_error(
    state: Option<&KnownError>,
    command: &KnownErrorCommand,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Vec<KnownErrorEvent>, Error> {
    let (at, by) = (now, actor.user);
    let name = match command {
        KnownErrorCommand::Record(_) => "record",
        KnownErrorCommand::Publish => "publish",
        KnownErrorCommand::Revise { .. } => "revise",
        KnownErrorCommand::Retire => "retire",
    };
    let refuse = |state: &str, allowed: &[&str]| Error::NotAllowed {
        state: state.to_owned(),
        command: name.to_owned(),
        allowed: allowed.iter().map(|a| (*a).to_owned()).collect(),
    };
    let Some(known) = state else {
        let KnownErrorCommand::Record(record) = command else {
            return Err(refuse("unrecorded", &["record"]));
        };
        if record.symptom.is_empty() {
            return Err(Error::MissingField {
                command: "record",
                field: "symptom",
            });
        }
        return Ok(vec![KnownErrorEvent::Recorded {
            at,
            by,
            record: Arc::new(KnownErrorRecord::clone(record)),
        }]);
    };
    if at < known.updated_at {
        return Err(Error::ClockWentBackwards {
            last: known.updated_at,
            now: at,
        });
    }
    let event = match (known.status, command) {
        (KnownErrorStatus::Draft, KnownErrorCommand::Publish) => {
            if known.record.workaround.is_empty() {
                return Err(Error::NoWorkaround);
            }
            KnownErrorEvent::Published { at, by }
        }
        (
            KnownErrorStatus::Draft | KnownErrorStatus::Published,
            KnownErrorCommand::Revise { workaround },
        ) => {
            if workaround.is_empty() && known.status == KnownErrorStatus::Published {
                return Err(Error::NoWorkaround);
            }
            if *workaround == known.record.workaround {
                return Ok(Vec::new());
            }
            KnownErrorEvent::Revised {
                at,
                by,
                workaround: workaround.clone(),
            }
        }
        (KnownErrorStatus::Draft | KnownErrorStatus::Published, KnownErrorCommand::Retire) => {
            KnownErrorEvent::Retired { at, by }
        }
        (KnownErrorStatus::Draft, _) => {
            return Err(refuse("draft", &["publish", "revise", "retire"]));
        }
        (KnownErrorStatus::Published, _) => return Err(refuse("published", &["revise", "retire"])),
        (KnownErrorStatus::Retired, _) => return Err(refuse("retired", &[])),
    };
    Ok(vec![event])
}

/// Folds one known-error event (total).
pub fn evolve_known_error(
    state: Option<KnownError>,
    event: &KnownErrorEvent,
) -> Option<KnownError> {
    match (state, event) {
        (None, KnownErrorEvent::Recorded { at, record, .. }) => Some(KnownError {
            record: Arc::clone(record),
            status: KnownErrorStatus::Draft,
            updated_at: *at,
        }),
        (None, _) => None,
        (Some(mut known), event) => {
            match event {
                KnownErrorEvent::Recorded { .. } => return Some(known),
                KnownErrorEvent::Published { .. } => known.status = KnownErrorStatus::Published,
                KnownErrorEvent::Revised { workaround, .. } => {
                    Arc::make_mut(&mut known.record)
                        .workaround
                        .clone_from(workaround);
                }
                KnownErrorEvent::Retired { .. } => known.status = KnownErrorStatus::Retired,
            }
            known.updated_at = event.at();
            Some(known)
        }
    }
}

/// An incident as the matching rule sees it: practice-neutral facts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct IncidentFacts {
    /// Its configuration item, if known.
    pub item: Option<ConfigItemId>,
    /// Its service, if known.
    pub service: Option<ServiceId>,
    /// Its category, if any.
    pub category: Option<String>,
    /// Its symptom (a short code or text as the service desk records it).
    pub symptom: Option<String>,
}

/// Why a workaround was offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Match {
    /// The same symptom (and category, where both have one): the strongest.
    Symptom,
    /// The same configuration item.
    Item,
    /// The same service.
    Service,
}

/// A published workaround offered to an incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer<'a> {
    /// The known error.
    pub known_error: &'a KnownError,
    /// Why it matches (the strongest reason).
    pub reason: Match,
}

/// The published workarounds that match an incident, strongest match first (symptom, then
/// item, then service; ties in the order given). Drafts and retired known errors are never
/// offered. Linear in the number of known errors.
///
/// ```
/// use itsm_problem::{IncidentFacts, Match, offer_workarounds};
///
/// let none = offer_workarounds(&[], &IncidentFacts::default());
/// assert!(none.is_empty());
/// ```
pub fn offer_workarounds<'a>(
    known_errors: &'a [KnownError],
    incident: &IncidentFacts,
) -> Vec<Offer<'a>> {
    let mut offers: Vec<Offer<'a>> = known_errors
        .iter()
        .filter(|k| k.is_published())
        .filter_map(|k| {
            let r = &k.record;
            let category_agrees = match (&r.category, &incident.category) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            let reason =
                if incident.symptom.as_deref() == Some(r.symptom.as_str()) && category_agrees {
                    Match::Symptom
                } else if incident.item.is_some_and(|i| r.items.contains(&i)) {
                    Match::Item
                } else if incident.service.is_some_and(|s| r.services.contains(&s)) {
                    Match::Service
                } else {
                    return None;
                };
            Some(Offer {
                known_error: k,
                reason,
            })
        })
        .collect();
    offers.sort_by_key(|o| o.reason);
    offers
}
