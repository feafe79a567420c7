//! Remediation task rules: found items grouped into tasks automatically (ServiceNow's
//! *Remediation Task Rules*).

use itsm_core::{ConfigItemId, GroupId};

use crate::error::Error;
use crate::model::{Board, Status, TaskId};
use crate::risk::{Condition, Facts, MAX_RULES, Risk, named};

named! {
    /// A field items are grouped by (ServiceNow's *Group by*).
    GroupBy {
        /// The vulnerability (one task per CVE).
        Vulnerability => "vulnerability",
        /// The configuration item (one task per server).
        Ci => "ci",
        /// The severity.
        Severity => "severity",
        /// The risk rating.
        Rating => "rating",
        /// The configuration item's criticality.
        Criticality => "criticality",
    }
}

/// A remediation task rule: the first rule, in order, whose condition an item found or
/// reopened matches puts it into that rule's task for the item's values of `by`, creating
/// the task when none is open.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TaskRule {
    /// Its name (kept on the tasks it makes).
    pub name: String,
    /// Which items it groups (the rating included).
    #[cfg_attr(feature = "serde", serde(default))]
    pub when: Condition,
    /// The fields whose values make one task (none: one task for every item it groups).
    #[cfg_attr(feature = "serde", serde(default))]
    pub by: Vec<GroupBy>,
    /// The assignment group of the tasks it makes.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub group: Option<GroupId>,
}

impl TaskRule {
    /// A rule grouping by these fields.
    pub fn new(
        name: impl Into<String>,
        when: Condition,
        by: impl IntoIterator<Item = GroupBy>,
    ) -> Self {
        TaskRule {
            name: name.into(),
            when,
            by: by.into_iter().collect(),
            group: None,
        }
    }

    /// Its tasks go to this assignment group.
    pub fn assign(mut self, group: GroupId) -> Self {
        self.group = Some(group);
        self
    }
}

/// Which rule made a task, and for which values.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Grouping {
    /// The rule's name.
    pub rule: String,
    /// The item's values of the rule's fields, in the rule's order.
    pub key: Vec<String>,
}

/// What a rule sees of an item found or reopened.
pub(crate) struct Found<'a> {
    pub(crate) vulnerability: &'a str,
    pub(crate) ci: ConfigItemId,
    pub(crate) facts: &'a Facts,
    pub(crate) risk: &'a Risk,
}

fn value(by: GroupBy, item: &Found<'_>) -> String {
    match by {
        GroupBy::Vulnerability => item.vulnerability.to_owned(),
        GroupBy::Ci => item.ci.to_string(),
        GroupBy::Severity => item.facts.severity.name().to_owned(),
        GroupBy::Rating => item.risk.rating.name().to_owned(),
        GroupBy::Criticality => item.facts.criticality.name().to_owned(),
    }
}

/// Where a rule puts an item: the first matching rule's grouping and assignment group.
pub(crate) fn place(rules: &[TaskRule], item: &Found<'_>) -> Option<(Grouping, Option<GroupId>)> {
    let rule = rules
        .iter()
        .find(|r| r.when.matches(item.facts, item.risk.rating))?;
    Some((
        Grouping {
            rule: rule.name.clone(),
            key: rule.by.iter().map(|b| value(*b, item)).collect(),
        },
        rule.group,
    ))
}

/// The open task of a grouping that still takes items: open, under investigation or
/// awaiting implementation.
pub(crate) fn open_task(board: &Board, grouping: &Grouping) -> Option<TaskId> {
    let id = board.index.groups.get(grouping).copied()?;
    board
        .tasks
        .get(&id)
        .filter(|t| t.status.is_actionable() && t.status != Status::InReview)
        .map(|t| t.id)
}

pub(crate) fn check(rules: &[TaskRule]) -> Result<(), Error> {
    if rules.len() > MAX_RULES {
        return Err(Error::TooMany {
            what: "task rules",
            count: rules.len(),
            max: MAX_RULES,
        });
    }
    if rules.iter().any(|r| r.name.trim().is_empty()) {
        return Err(Error::EmptyRuleName);
    }
    Ok(())
}
