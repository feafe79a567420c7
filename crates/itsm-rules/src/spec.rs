//! The rule set a vendor writes: rules, triggers, actions, pools, the vocabulary.

use std::collections::BTreeMap;

use chrono::Duration;
use itsm_core::{Condition, ViewField};

/// How a rule set picks among the rules an event triggers, in list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Mode {
    /// The first triggered rule whose condition holds fires, and no other in that round
    /// (ServiceNow's assignment rules, GLPI's "stop at first match").
    FirstMatch,
    /// Every triggered rule whose condition holds fires, in list order, until one whose
    /// [`stop`](RuleSpec::stop) flag is set (ServiceNow's business rules, Zammad's triggers).
    AllMatches,
}

/// Where a time rule counts its delay from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Anchor {
    /// [`TicketView::opened_at`](itsm_core::TicketView::opened_at).
    Created,
    /// [`TicketView::updated_at`](itsm_core::TicketView::updated_at).
    Updated,
    /// A key of [`TicketView::times`](itsm_core::TicketView::times) (for example the
    /// instant a state was entered, which the host records there).
    Time(String),
}

/// What makes a rule look at a record. In JSON: `"created"`, `{"updated": {"fields":
/// ["priority"]}}`, `{"state_entered": {"states": ["resolved"]}}`, `{"after": {"anchor":
/// "created", "delay": "PT30M"}}`, `{"burst": {"per": "service", "more_than": 20, "within":
/// "PT1H"}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Trigger {
    /// The record was created ([`Input::Created`](crate::Input::Created)).
    Created,
    /// The record was updated and one of `fields` changed (any field when empty), by the
    /// host ([`Input::Updated`](crate::Input::Updated)) or by an earlier rule.
    Updated {
        /// The fields watched; empty: any.
        #[cfg_attr(feature = "serde", serde(default))]
        fields: Vec<ViewField>,
    },
    /// The record's state changed to one of `states` (any state when empty).
    StateEntered {
        /// The states watched; empty: any.
        #[cfg_attr(feature = "serde", serde(default))]
        states: Vec<String>,
    },
    /// Time: `delay` after the anchor, in business time on `calendar` when one is named.
    /// The host learns when from [`next_deadline`](crate::next_deadline) and sends
    /// [`Input::Tick`](crate::Input::Tick).
    After {
        /// What the delay counts from.
        anchor: Anchor,
        /// How long after. In JSON an ISO 8601 duration.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        delay: Duration,
        /// The calendar's name; `None`: around the clock.
        #[cfg_attr(feature = "serde", serde(default))]
        calendar: Option<String>,
    },
    /// A record was created that makes more than `more_than` records created with the same
    /// value of `per` within `within` (a sliding window over creation instants). It fires on
    /// the record that crosses the threshold, and again only after the count has dropped
    /// back to `more_than` or below. Counts live in the [`Memory`](crate::Memory) the host
    /// carries from one call to the next.
    Burst {
        /// The field whose value groups the records (records without it are not counted).
        per: ViewField,
        /// The count to exceed.
        more_than: u32,
        /// The window. In JSON an ISO 8601 duration.
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        within: Duration,
    },
}

/// What a rule does when it fires: a change to the record (which the host applies through
/// the practice's commands, and which may trigger `updated` rules), an intent for the
/// practice crate, or a notification for the host to deliver. Nothing is sent or applied by
/// this crate.
///
/// | action | change | incident command it maps to |
/// |---|---|---|
/// | `assign_group`, `assign_person`, `assign_from` | group / assignee | `Assign` |
/// | `set_impact`, `set_urgency` | impact / urgency | `Reprioritize` |
/// | `set_field` | a named field | the host's own |
/// | `escalate` | none | `Escalate` |
/// | `propose_major` | none | `ProposeMajor` (then a manager's `AcceptMajor` or `RejectMajor`) |
/// | `add_watcher`, `link` | none | the host's watch list; `Link` |
/// | `notify` | none | nothing: a [`Notification`](crate::Notification) the host delivers |
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Action {
    /// Assign to this group (a fixed group).
    AssignGroup(String),
    /// Assign to this person.
    AssignPerson(String),
    /// Assign to a person of a declared pool, chosen by the pool's strategy (and to the
    /// pool's group, when it has one).
    AssignFrom(String),
    /// Set the impact.
    SetImpact(u8),
    /// Set the urgency.
    SetUrgency(u8),
    /// Set a named field.
    SetField {
        /// The field.
        field: String,
        /// The value.
        value: String,
    },
    /// Escalate to this level.
    Escalate(u8),
    /// Propose the record as a major-incident candidate, with a reason.
    ProposeMajor(String),
    /// Add a watcher.
    AddWatcher(String),
    /// Link the record to another.
    Link {
        /// The relation (`parent`, `problem`, `caused_by`, ...).
        relation: String,
        /// The other record.
        to: String,
    },
    /// Notify someone: an output the host delivers.
    Notify {
        /// Who (people, groups or roles, as the host names them).
        to: Vec<String>,
        /// What (a template name, or the text).
        message: String,
    },
}

/// How a pool picks a person. Ties are broken deterministically: by load, then by the
/// members' order in the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Strategy {
    /// Always the first member.
    Fixed,
    /// The member after the one picked last (state in [`Memory`](crate::Memory)).
    RoundRobin,
    /// The member with the smallest load ([`Context::loads`](crate::Context::loads)).
    LeastLoaded,
    /// The members having every one of these skills, least loaded first.
    Skills(Vec<String>),
}

/// A person of a pool, with their skills.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Member {
    /// The person.
    pub person: String,
    /// Their skills.
    #[cfg_attr(feature = "serde", serde(default))]
    pub skills: Vec<String>,
}

impl Member {
    /// A person with these skills.
    pub fn new(person: impl Into<String>, skills: &[&str]) -> Self {
        Member {
            person: person.into(),
            skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// People to assign from, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Pool {
    /// The group the pool belongs to (also assigned); `None`: the person only.
    #[cfg_attr(feature = "serde", serde(default))]
    pub group: Option<String>,
    /// The members, in order (the order breaks ties).
    pub members: Vec<Member>,
    /// How to pick.
    pub strategy: Strategy,
}

impl Pool {
    /// A pool of `members` picked by `strategy`, without a group.
    pub fn new(members: Vec<Member>, strategy: Strategy) -> Self {
        Pool {
            group: None,
            members,
            strategy,
        }
    }
}

/// One rule: when (trigger), if (condition), then (actions).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RuleSpec {
    /// A unique id, quoted in explanations and findings.
    pub id: String,
    /// What it is for, for people.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
    /// What makes it look.
    pub when: Trigger,
    /// What must hold (in JSON absent: always).
    #[cfg_attr(feature = "serde", serde(default = "always"))]
    pub condition: Condition,
    /// What it does, in order.
    pub actions: Vec<Action>,
    /// In [`Mode::AllMatches`]: no later rule fires in the same round once this one fired.
    #[cfg_attr(feature = "serde", serde(default))]
    pub stop: bool,
}

#[cfg(feature = "serde")]
fn always() -> Condition {
    Condition::Always
}

impl RuleSpec {
    /// A rule with no description and no stop flag.
    pub fn new(
        id: impl Into<String>,
        when: Trigger,
        condition: Condition,
        actions: Vec<Action>,
    ) -> Self {
        RuleSpec {
            id: id.into(),
            description: String::new(),
            when,
            condition,
            actions,
            stop: false,
        }
    }
}

/// The names a rule set may use, for [`check`](crate::check) to report the others. A list
/// left empty is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Vocabulary {
    /// Assignment groups.
    pub groups: Vec<String>,
    /// States.
    pub states: Vec<String>,
    /// Named fields (keys of [`TicketView::fields`](itsm_core::TicketView::fields)).
    pub fields: Vec<String>,
    /// Named times (keys of [`TicketView::times`](itsm_core::TicketView::times)).
    pub times: Vec<String>,
    /// Calendars.
    pub calendars: Vec<String>,
}

/// The default loop bound.
pub const DEFAULT_MAX_CHANGES: u32 = 10;

#[cfg(feature = "serde")]
fn default_max_changes() -> u32 {
    DEFAULT_MAX_CHANGES
}

/// A rule set as a vendor writes it, checked by [`RuleSet::new`](crate::RuleSet::new).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RuleSetSpec {
    /// How rules are picked.
    pub mode: Mode,
    /// The rules, in evaluation order.
    pub rules: Vec<RuleSpec>,
    /// Assignment pools by name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub pools: BTreeMap<String, Pool>,
    /// The loop bound: how many rule firings may change one record for one event (in JSON
    /// absent: [`DEFAULT_MAX_CHANGES`]).
    #[cfg_attr(feature = "serde", serde(default = "default_max_changes"))]
    pub max_changes: u32,
    /// The names rules may use.
    #[cfg_attr(feature = "serde", serde(default))]
    pub vocabulary: Vocabulary,
}

impl RuleSetSpec {
    /// A rule set with no pools, the default loop bound and an empty vocabulary.
    pub fn new(mode: Mode, rules: Vec<RuleSpec>) -> Self {
        RuleSetSpec {
            mode,
            rules,
            pools: BTreeMap::new(),
            max_changes: DEFAULT_MAX_CHANGES,
            vocabulary: Vocabulary::default(),
        }
    }
}
