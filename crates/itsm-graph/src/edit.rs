//! What-if over graph edits: a spec with nodes, groups or edges added or removed, compiled
//! and compared with the original for one scenario, without rebuilding the spec by hand.

use crate::answers::{Scenario, WhatIf};
use crate::error::{Error, NamedIn};
use crate::graph::Graph;
use crate::spec::{EdgeSpec, GraphSpec, GroupSpec, NodeSpec};

/// One edit of a [`GraphSpec`]: add or remove a node, a group or an edge.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum GraphEdit {
    /// Adds a node (its id must be new: checked when the edited spec is compiled).
    AddNode(NodeSpec),
    /// Adds a redundancy group (members by id, checked when compiled).
    AddGroup(GroupSpec),
    /// Removes a node or a group by id, with its edges and its memberships (a group left
    /// with fewer members than it needs is refused when compiled, naming the group).
    RemoveNode(String),
    /// Adds an edge.
    AddEdge(EdgeSpec),
    /// Removes every edge `from -> to` of this relation (at least one must exist).
    RemoveEdge(EdgeSpec),
}

impl GraphSpec {
    /// This spec with `edits` applied in order. Each edit is O(n + m) (a removal rewrites
    /// the lists), so the whole is O(k (n + m)) for k edits; what the edits leave is checked
    /// when it is compiled, as any spec.
    ///
    /// ```
    /// use itsm_graph::{EdgeSpec, Graph, GraphEdit, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec, Scenario};
    ///
    /// let node = |id| NodeSpec::new(id, NodeKind::ConfigurationItem, "ci");
    /// let spec = GraphSpec::new(
    ///     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    ///     vec![NodeSpec::new("app", NodeKind::BusinessService, "service"), node("db"), node("replica")],
    ///     vec![],
    ///     vec![EdgeSpec::new("app", "db", "depends_on")],
    /// );
    /// // Move the app to the replica: the database's outage no longer reaches it.
    /// let diff = spec.what_if_edited(
    ///     &[
    ///         GraphEdit::RemoveEdge(EdgeSpec::new("app", "db", "depends_on")),
    ///         GraphEdit::AddEdge(EdgeSpec::new("app", "replica", "depends_on")),
    ///     ],
    ///     &Scenario::outages(&["db"]),
    /// )?;
    /// assert_eq!(diff.only_first, [("app".to_string(), 2)]);
    /// assert!(diff.only_second.is_empty());
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] (named in [`NamedIn::Edit`]) for a removed node the spec does
    /// not have, [`Error::UnknownEdge`] for a removed edge it does not have.
    pub fn edited(&self, edits: &[GraphEdit]) -> Result<GraphSpec, Error> {
        let mut spec = self.clone();
        for (i, edit) in edits.iter().enumerate() {
            match edit {
                GraphEdit::AddNode(node) => spec.nodes.push(node.clone()),
                GraphEdit::AddGroup(group) => spec.groups.push(group.clone()),
                GraphEdit::AddEdge(edge) => spec.edges.push(edge.clone()),
                GraphEdit::RemoveNode(id) => {
                    let (nodes, groups) = (spec.nodes.len(), spec.groups.len());
                    spec.nodes.retain(|n| n.id != *id);
                    spec.groups.retain(|g| g.id != *id);
                    if (nodes, groups) == (spec.nodes.len(), spec.groups.len()) {
                        return Err(Error::UnknownNode {
                            id: id.clone(),
                            named_in: NamedIn::Edit { edit: i },
                        });
                    }
                    spec.edges.retain(|e| e.from != *id && e.to != *id);
                    for g in &mut spec.groups {
                        g.members.retain(|m| m != id);
                    }
                }
                GraphEdit::RemoveEdge(edge) => {
                    let before = spec.edges.len();
                    spec.edges.retain(|e| e != edge);
                    if spec.edges.len() == before {
                        return Err(Error::UnknownEdge {
                            edit: i,
                            from: edge.from.clone(),
                            to: edge.to.clone(),
                            relation: edge.relation.clone(),
                        });
                    }
                }
            }
        }
        Ok(spec)
    }

    /// The services `scenario` affects in this spec's graph (first) and in the graph with
    /// `edits` applied (second), compared as [`Graph::what_if`] compares two scenarios:
    /// two compilations and two impacts, O(k (n + m)) for the edits plus their cost.
    ///
    /// # Errors
    /// Those of [`GraphSpec::edited`], of [`Graph::from_spec`] for either spec, and of
    /// [`Graph::impact`] in either graph (a scenario naming a removed node is refused).
    pub fn what_if_edited(
        &self,
        edits: &[GraphEdit],
        scenario: &Scenario,
    ) -> Result<WhatIf, Error> {
        let before = Graph::from_spec(self)?;
        let after = Graph::from_spec(&self.edited(edits)?)?;
        let a = before.impact(scenario)?.services();
        let b = after.impact(scenario)?.services();
        Ok(WhatIf::between(&a, &b))
    }
}
