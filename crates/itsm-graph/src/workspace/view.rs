//! [`ImpactView`], the borrowed answer of an impact query.

use super::Workspace;
use crate::graph::NodeId;

/// The result of [`Workspace::run`], borrowed from the workspace until the next query. Its
/// getters answer "unaffected" for a [`NodeId`] of another, larger graph (the ids a query
/// gives were checked by `run`).
#[derive(Debug)]
pub struct ImpactView<'w, 'g> {
    pub(super) ws: &'w Workspace<'g>,
}

impl ImpactView<'_, '_> {
    /// Affected nodes (severity at least 1) in discovery order, seeds included. The order is
    /// deterministic but follows the compiled graph's order (see [`Graph`](crate::Graph)): nodes of one
    /// level are discovered in that order, and on large graphs a wave of outages may be
    /// expanded bottom-up, which discovers that wave's nodes in it too. Where two paths
    /// are equally short, [`ImpactView::via`] follows the first in that order.
    pub fn affected(&self) -> impl Iterator<Item = (NodeId, u8)> + '_ {
        self.affected_inner()
            .map(|(t, s)| (self.ws.graph.outer_of(t), s))
    }

    /// [`ImpactView::affected`] as compiled indices, without turning each into its
    /// [`NodeId`] (a random read per node on a graph larger than the caches).
    pub(crate) fn affected_inner(&self) -> impl Iterator<Item = (u32, u8)> + '_ {
        let touched = self.ws.touched.get(..self.ws.touched_len).unwrap_or(&[]);
        touched.iter().filter_map(|t| {
            let s = self.ws.severity_of(*t as usize);
            (s > 0).then_some((*t, s))
        })
    }

    /// How many nodes are affected.
    pub fn count(&self) -> usize {
        self.ws.affected
    }

    /// The severity of `node` (0: unaffected).
    pub fn severity(&self, node: NodeId) -> u8 {
        self.ws.severity_of(self.ws.graph.inner_of(node) as usize)
    }

    /// The node whose failure raised `node` to its severity (itself for a seed).
    pub fn via(&self, node: NodeId) -> Option<NodeId> {
        self.ws
            .pred_of(self.ws.graph.inner_of(node) as usize)
            .map(|p| self.ws.graph.outer_of(p))
    }

    /// For a group: members failed (at outage) so far, counted in influence when its
    /// members carry one, and with its members in maintenance under
    /// [`MaintenanceRule::LostCapacity`](crate::MaintenanceRule::LostCapacity).
    pub fn failed_members(&self, node: NodeId) -> u32 {
        let i = self.ws.graph.inner_of(node) as usize;
        self.ws.down.get(i).copied().unwrap_or(0)
    }
}
