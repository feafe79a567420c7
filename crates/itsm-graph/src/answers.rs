//! What the queries take and answer: scenarios, failures and maintenance rules, impact
//! reports with their explanations, root-cause candidates and queries, resilience, what-if.

use std::collections::BTreeMap;
use std::sync::Arc;

#[cfg(doc)]
use crate::graph::Graph;
use crate::names::Names;
use crate::spec::NodeKind;

/// A scenario: failed (or degraded) nodes, and nodes in a maintenance window. Built with
/// [`Scenario::outages`] or [`Scenario::new`] (or `default()`), then adjusted through its
/// fields.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Scenario {
    /// Failed nodes by id; the severity level defaults to an outage.
    pub failed: Vec<Failure>,
    /// Nodes in maintenance: left out of incident impact, as `maintenance_rule` says.
    pub maintenance: Vec<String>,
    /// How a node in maintenance counts (default [`MaintenanceRule::Excluded`], iTop's
    /// excluded nodes).
    #[cfg_attr(
        feature = "serde",
        serde(skip_serializing_if = "MaintenanceRule::is_default")
    )]
    pub maintenance_rule: MaintenanceRule,
}

/// How a node in a maintenance window counts. In every convention a node in maintenance
/// neither fails nor passes failure on (its alarms are left out of incident impact, as both
/// ServiceNow and iTop leave them out); the conventions differ in what it does to the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum MaintenanceRule {
    /// It counts as up for its redundancy groups, and what depends on it only through it is
    /// left out (iTop's excluded nodes). The default.
    #[default]
    Excluded,
    /// It counts as a failed member of its redundancy groups (the capacity lost to the
    /// work), so a group with a member in maintenance falls with fewer failures; a group is
    /// still raised only by a failure reaching it.
    LostCapacity,
    /// It puts what depends on it in maintenance too, transitively, whatever the redundancy
    /// (ServiceNow: a child CI in maintenance places its parent in maintenance).
    HidesParents,
}

impl MaintenanceRule {
    /// Whether this is the default ([`MaintenanceRule::Excluded`]).
    pub fn is_default(&self) -> bool {
        *self == MaintenanceRule::Excluded
    }
}

/// One failed node: [`Failure::outage`] or [`Failure::at`] a level.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Failure {
    /// The node's id.
    pub id: String,
    /// The severity level (1 to the scale's top); `None`: an outage.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severity: Option<u8>,
}

impl Failure {
    /// An outage of node `id` (the top of the scale).
    pub fn outage(id: &str) -> Self {
        Failure {
            id: id.to_owned(),
            severity: None,
        }
    }

    /// A failure of node `id` at severity `level` (checked when the scenario runs).
    pub fn at(id: &str, level: u8) -> Self {
        Failure {
            id: id.to_owned(),
            severity: Some(level),
        }
    }
}

impl Scenario {
    /// Outages of these nodes, nothing in maintenance.
    pub fn outages(ids: &[&str]) -> Self {
        Scenario {
            failed: ids.iter().map(|id| Failure::outage(id)).collect(),
            maintenance: Vec::new(),
            maintenance_rule: MaintenanceRule::Excluded,
        }
    }

    /// These failures, with the nodes `maintenance` in a maintenance window.
    ///
    /// ```
    /// use itsm_graph::{Failure, Scenario};
    ///
    /// let change = Scenario::new(vec![Failure::at("db", 1)], &["web-1"]);
    /// assert_eq!(change.maintenance, ["web-1"]);
    /// ```
    pub fn new(failed: Vec<Failure>, maintenance: &[&str]) -> Self {
        Scenario {
            failed,
            maintenance: maintenance.iter().map(|id| (*id).to_owned()).collect(),
            maintenance_rule: MaintenanceRule::Excluded,
        }
    }
}

/// An affected node.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Affected {
    /// Its id.
    pub id: String,
    /// Its kind.
    pub kind: NodeKind,
    /// Its severity level.
    pub severity: u8,
    /// The level's name.
    pub severity_name: String,
}

/// A redundancy group met on an explanation's path, with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GroupCount {
    /// The group.
    pub group: String,
    /// Members failed (with those in maintenance under
    /// [`MaintenanceRule::LostCapacity`]).
    pub failed: u32,
    /// Members in all.
    pub members: u32,
    /// Members that must be up.
    pub min_up: u32,
    /// Whether the group held: enough members up, and not failed through what it depends
    /// on itself.
    pub held: bool,
    /// For a group that failed although enough members are up: the input it failed
    /// through (what the group itself depends on, say its load balancer).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub through: Option<String>,
    /// Whether the counts are influence (ServiceNow's cluster member influence: `failed`,
    /// `members` and `min_up` then count influence, not members).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_false"))]
    pub influence: bool,
}

#[cfg(feature = "serde")]
fn is_false(b: &bool) -> bool {
    !*b
}

impl std::fmt::Display for GroupCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "group `{}`: {} of {} {} up, needs {}: {}",
            self.group,
            self.members.saturating_sub(self.failed),
            self.members,
            if self.influence {
                "influence"
            } else {
                "members"
            },
            self.min_up,
            if self.held { "holds" } else { "fails" }
        )?;
        match &self.through {
            Some(input) => write!(f, " through `{input}`"),
            None => Ok(()),
        }
    }
}

/// Why a business service is affected: a path from a failed node, and the groups on it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Explanation {
    /// The service.
    pub service: String,
    /// Its severity level.
    pub severity: u8,
    /// Ids from a failed node to the service.
    pub path: Vec<String>,
    /// The redundancy groups on the path.
    pub groups: Vec<GroupCount>,
}

/// The impact of a scenario: affected nodes in graph order (the spec's node order, then
/// groups), and an explanation for each affected business service, by id.
///
/// A report made by a [`Graph`] shares that graph's ids (a pointer, not a copy), so
/// [`ImpactReport::severity`] tells an unaffected node from an id the graph does not have.
/// That link is not part of the JSON form, nor of equality: a report read back from JSON
/// knows only the nodes it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ImpactReport {
    /// Affected nodes, seeds included, in graph order.
    pub affected: Vec<Affected>,
    /// One per affected business service, sorted by id.
    pub explanations: Vec<Explanation>,
    /// The ids of the graph that made the report (none for one read from JSON).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(crate) graph: GraphIds,
}

/// The ids of the graph a report came from, shared. Equal to any other (a report's equality
/// is its content), and printed as a count, not as the ids.
#[derive(Clone, Default)]
pub(crate) struct GraphIds(pub(crate) Option<Arc<Names>>);

impl PartialEq for GraphIds {
    fn eq(&self, _: &GraphIds) -> bool {
        true
    }
}

impl Eq for GraphIds {}

impl std::fmt::Debug for GraphIds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(names) => write!(f, "GraphIds({} ids)", names.len()),
            None => f.write_str("GraphIds(none)"),
        }
    }
}

impl ImpactReport {
    /// How badly node `id` is affected: `Some(level)` for an affected node, `Some(0)` for a
    /// node of the report's graph that is not affected, and `None` for an id the graph does
    /// not have (a typo is not "unaffected"). O(log a) for a report of a graph (its affected
    /// nodes are in graph order).
    ///
    /// A report read back from JSON does not carry its graph's ids: it answers `None` for
    /// every id it does not list; [`Graph::severity_in`] answers for any report of a graph.
    ///
    /// ```
    /// # use itsm_graph::{EdgeSpec, Graph, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![NodeSpec::new("app", NodeKind::BusinessService, "service"), NodeSpec::new("db", NodeKind::ConfigurationItem, "db"), NodeSpec::new("dns", NodeKind::ConfigurationItem, "dns")],
    /// #     vec![],
    /// #     vec![EdgeSpec::new("app", "db", "depends_on")],
    /// # ))?;
    /// // app -> db; dns alone.
    /// let report = graph.blast_radius("db")?;
    /// assert_eq!(report.severity("app"), Some(2));
    /// assert_eq!(report.severity("dns"), Some(0));
    /// assert_eq!(report.severity("ddns"), None);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    pub fn severity(&self, id: &str) -> Option<u8> {
        match &self.graph.0 {
            Some(names) => {
                let node = names.find(id)?;
                // The affected nodes are sorted by node: find `id`'s place by theirs.
                let at = self.affected.binary_search_by_key(&node, |a| {
                    names.find(&a.id).unwrap_or(crate::rows::NONE)
                });
                Some(
                    at.ok()
                        .and_then(|k| self.affected.get(k))
                        .map_or(0, |a| a.severity),
                )
            }
            None => self.listed(id),
        }
    }

    /// The severity of `id` if the report lists it (affected), by a scan.
    pub(crate) fn listed(&self, id: &str) -> Option<u8> {
        self.affected
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.severity)
    }

    /// The affected services (business and technical), by id.
    pub fn services(&self) -> BTreeMap<String, u8> {
        self.affected
            .iter()
            .filter(|a| {
                matches!(
                    a.kind,
                    NodeKind::BusinessService | NodeKind::TechnicalService
                )
            })
            .map(|a| (a.id.clone(), a.severity))
            .collect()
    }
}

/// A root-cause candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Candidate {
    /// The node.
    pub id: String,
    /// The alarmed services its outage explains, sorted.
    pub explains: Vec<String>,
    /// Business services its outage would affect that are not alarmed.
    pub also_affects: usize,
}

/// An alarm for [`Graph::root_causes_for`]: an alarmed node and the severity seen there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Alarm {
    /// The alarmed node's id.
    pub id: String,
    /// The severity level seen (1 to the scale's top); `None`: an outage. A candidate
    /// explains the alarm when its outage brings the node to this level or above.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severity: Option<u8>,
}

impl Alarm {
    /// An alarm saying node `id` is down (the top of the scale).
    pub fn outage(id: &str) -> Self {
        Alarm {
            id: id.to_owned(),
            severity: None,
        }
    }

    /// An alarm saying node `id` is at severity `level` (checked when the query runs).
    pub fn at(id: &str, level: u8) -> Self {
        Alarm {
            id: id.to_owned(),
            severity: Some(level),
        }
    }
}

/// A root-cause query: alarms with their severities, the nodes in maintenance and how they
/// count, how many candidates to give (`limit`) and how many upstream nodes to search
/// (`search`). Built with [`RootCauseQuery::new`], then adjusted through its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RootCauseQuery {
    /// The alarms.
    pub alarms: Vec<Alarm>,
    /// Nodes in maintenance: they are not candidates, and their alarms are left out.
    #[cfg_attr(feature = "serde", serde(default))]
    pub maintenance: Vec<String>,
    /// How a node in maintenance counts.
    #[cfg_attr(feature = "serde", serde(default))]
    pub maintenance_rule: MaintenanceRule,
    /// At most this many candidates.
    pub limit: usize,
    /// The nearest upstream nodes searched, besides the alarmed nodes themselves.
    pub search: usize,
}

impl RootCauseQuery {
    /// These alarms, nothing in maintenance, at most `limit` candidates among the alarmed
    /// nodes and the `search` nearest upstream nodes.
    pub fn new(alarms: Vec<Alarm>, limit: usize, search: usize) -> Self {
        RootCauseQuery {
            alarms,
            maintenance: Vec::new(),
            maintenance_rule: MaintenanceRule::Excluded,
            limit,
            search,
        }
    }
}

/// How many simultaneous failures a service survives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Resilience {
    /// The smallest set of nodes whose failure takes the service down (exact).
    MinimumSet {
        /// Its size.
        size: usize,
        /// One such set, sorted by id.
        example: Vec<String>,
    },
    /// No set up to `checked` nodes takes it down; larger sets were not searched.
    AtLeast {
        /// The set size searched up to.
        checked: usize,
    },
    /// Nothing upstream can take it down: it depends on nothing, or its redundancy absorbs
    /// even the failure of everything upstream.
    Unbreakable,
}

/// The difference between two scenarios for services.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WhatIf {
    /// Services affected only in the first scenario, with severity.
    pub only_first: Vec<(String, u8)>,
    /// Services affected only in the second.
    pub only_second: Vec<(String, u8)>,
    /// Services affected in both at different severities: (id, first, second).
    pub changed: Vec<(String, u8, u8)>,
}

impl WhatIf {
    /// The difference between the services of two answers, each list by id.
    pub(crate) fn between(a: &BTreeMap<String, u8>, b: &BTreeMap<String, u8>) -> WhatIf {
        let mut out = WhatIf::default();
        for (id, s) in a {
            match b.get(id) {
                None => out.only_first.push((id.clone(), *s)),
                Some(t) if t != s => out.changed.push((id.clone(), *s, *t)),
                Some(_) => {}
            }
        }
        for (id, t) in b {
            if !a.contains_key(id) {
                out.only_second.push((id.clone(), *t));
            }
        }
        out
    }
}
