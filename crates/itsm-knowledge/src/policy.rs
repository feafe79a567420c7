//! Everything a vendor configures, as data.

use std::collections::BTreeSet;

use chrono::Duration;
use itsm_core::{Permissions, Role};

use crate::lifecycle::PublicationMode;

/// How a draft gets published. In JSON `{"mode": "instant"}`, `{"mode": "review"}` or
/// `{"mode": "approval", "policy": {...}}` (an `itsm-approval` policy).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "mode", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Publication {
    /// `publish` publishes the draft at once (ServiceNow's "Knowledge - Instant Publish").
    Instant,
    /// `submit` sends the draft to review; a reviewer (a role the permissions allow for
    /// `approve` and `reject`) approves or rejects it, and nobody who wrote the version (its
    /// author or an editor) may: the reviewer rule.
    Review,
    /// `submit` starts this approval (ServiceNow's "Knowledge - Approval Publish"); its
    /// outcome publishes the version or sends it back to draft. The version's author is the
    /// approval's requester, so the approval policy's separation of duties applies to them.
    Approval {
        /// The approval policy (checked when loaded).
        policy: itsm_approval::Policy,
    },
}

impl Publication {
    /// The mode, without data.
    pub fn mode(&self) -> PublicationMode {
        match self {
            Publication::Instant => PublicationMode::Instant,
            Publication::Review => PublicationMode::Review,
            Publication::Approval { .. } => PublicationMode::Approval,
        }
    }
}

/// The knowledge policy. [`Policy::servicenow`] follows ServiceNow's documented knowledge
/// management; the fields are the places vendors differ.
///
/// It may gain fields (`#[non_exhaustive]`): start from a preset and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// How drafts are published.
    pub publication: Publication,
    /// How long a published version stays valid before it is due for review, counted from
    /// its publication (or its last `reaffirm` or `republish`): ServiceNow's "Article
    /// Validity". `None`: never due. In JSON an ISO 8601 duration (`"P365D"`), positive;
    /// absent: none. Set in code to zero or less, it counts as none.
    #[cfg_attr(
        feature = "serde",
        serde(default, deserialize_with = "positive_duration")
    )]
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "itsm_core::duration::option::serialize")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub review_interval: Option<Duration>,
    /// The article needs attention when it has more open flags than this (0: the first flag
    /// does). Absent in JSON: 0.
    #[cfg_attr(feature = "serde", serde(default))]
    pub flag_threshold: u32,
    /// Which roles may run which command, by name. Feedback and `approval` answers are not
    /// listed: anyone who can read the article may give feedback (who can read is the
    /// host's access control), and the approval's own rules decide who answers. `tick` is
    /// the host's timer.
    pub permissions: Permissions,
    /// Commands the working version's author may run without a listed role (ServiceNow:
    /// only the author, the knowledge base's owner and knowledge administrators edit a
    /// draft, and the author recalls it). Names of commands; absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default, deserialize_with = "command_names"))]
    pub author_may: BTreeSet<String>,
    /// Whether whoever published the current version may retire it without a listed role
    /// (ServiceNow: "the latest publisher"). Absent in JSON: no.
    #[cfg_attr(feature = "serde", serde(default))]
    pub publisher_may_retire: bool,
}

#[cfg(feature = "serde")]
fn positive_duration<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Duration>, D::Error> {
    let value = itsm_core::duration::option::deserialize(deserializer)?;
    match value {
        Some(d) if d <= Duration::zero() => Err(serde::de::Error::custom(format!(
            "review_interval must be positive; got {}",
            itsm_core::duration::format(d)
        ))),
        _ => Ok(value),
    }
}

#[cfg(feature = "serde")]
fn command_names<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeSet<String>, D::Error> {
    let names = <BTreeSet<String> as serde::Deserialize>::deserialize(deserializer)?;
    for name in &names {
        if !crate::Command::NAMES.contains(&name.as_str()) {
            return Err(serde::de::Error::custom(format!(
                "author_may names `{name}`, which is not a command; commands: {}",
                crate::error::names(&crate::Command::NAMES)
            )));
        }
    }
    Ok(names)
}

fn role(name: &str) -> Role {
    match Role::new(name) {
        Ok(role) => role,
        Err(_) => unreachable!("role names in presets are not empty"), // invariant: constant non-empty names
    }
}

impl Default for Policy {
    /// [`Policy::servicenow`].
    fn default() -> Self {
        Policy::servicenow()
    }
}

impl Policy {
    /// ServiceNow's knowledge management with its "Knowledge - Approval Publish" workflow:
    /// a draft is submitted for approval by a knowledge manager (one approval stage, any
    /// holder of the `knowledge_manager` role answers, the first answer decides, the author
    /// excluded); roles `knowledge` (creates, links), `knowledge_manager` (also edits,
    /// checks out, reaffirms, retires, approves) and `knowledge_admin` (everything, and the
    /// only one who republishes a retired article); the author edits, submits, publishes,
    /// recalls and discards their own version; the latest publisher may retire; no review
    /// interval (ServiceNow's blank "Article Validity": valid until 2100); the first flag
    /// calls for attention (each flag becomes a feedback task).
    ///
    /// ```
    /// use itsm_knowledge::{Policy, PublicationMode};
    ///
    /// let policy = Policy::servicenow();
    /// assert_eq!(policy.publication.mode(), PublicationMode::Approval);
    /// assert_eq!(policy.review_interval, None);
    /// ```
    pub fn servicenow() -> Self {
        let manager = role("knowledge_manager");
        let mut stage = itsm_approval::StageSpec::new(
            "knowledge_manager",
            [itsm_approval::Approver::Role(manager)],
            itsm_approval::Quorum::Any,
        );
        stage.refusal = itsm_approval::RefusalRule::FirstRejection;
        let spec = itsm_approval::PolicySpec::new("knowledge-approval-publish", [stage]);
        let policy = match itsm_approval::Policy::new(spec) {
            Ok(policy) => policy,
            Err(e) => unreachable!("the approval preset is sound: {e}"), // invariant: constant policy, tested
        };
        Policy {
            publication: Publication::Approval { policy },
            ..Policy::servicenow_instant()
        }
    }

    /// [`Policy::servicenow`] with the "Knowledge - Instant Publish" workflow: the author
    /// publishes a draft at once.
    pub fn servicenow_instant() -> Self {
        let (contributor, manager, admin) = (
            role("knowledge"),
            role("knowledge_manager"),
            role("knowledge_admin"),
        );
        let everyone = [contributor.clone(), manager.clone(), admin.clone()];
        let managers = [manager, admin.clone()];
        let mut permissions = Permissions::new();
        for command in ["create", "link", "unlink"] {
            permissions = permissions.allow(command, everyone.clone());
        }
        for command in [
            "edit", "submit", "publish", "approve", "reject", "revise", "retire", "reaffirm",
        ] {
            permissions = permissions.allow(command, managers.clone());
        }
        for command in ["recall", "discard", "republish"] {
            permissions = permissions.allow(command, [admin.clone()]);
        }
        Policy {
            publication: Publication::Instant,
            review_interval: None,
            flag_threshold: 0,
            permissions,
            author_may: ["edit", "submit", "publish", "recall", "discard"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            publisher_may_retire: true,
        }
    }

    /// [`Policy::servicenow_instant`]'s roles with the reviewer rule instead of an approval:
    /// a `knowledge_manager` or `knowledge_admin` who did not write the version approves or
    /// rejects it.
    pub fn peer_review() -> Self {
        Policy {
            publication: Publication::Review,
            ..Policy::servicenow_instant()
        }
    }
}
