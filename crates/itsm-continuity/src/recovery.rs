//! When each node is back after a disruption.

use std::collections::HashSet;

use chrono::Duration;
use itsm_graph::{NodeId, NodeKind};

use crate::Error;
use crate::plan::{NONE, Nanos, Plan, duration, node_u32, resolve};
use crate::settle::{NEVER, Run, components, settle};
use crate::spec::{Disruption, Policy};

/// The longest critical path an [`Outcome`] lists; the rest is counted in
/// [`Outcome::path_omitted`].
pub const MAX_PATH: usize = 64;

/// Where an objective's node stands after a disruption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Status {
    /// Never down (or back at once: nothing it needs takes any time).
    Unaffected,
    /// Back within its RTO.
    Met,
    /// Back after its RTO, within its MTPD (or without one).
    Missed,
    /// Back after its MTPD: the damage is past what the business tolerates.
    Intolerable,
    /// Never back as far as the plan knows: a lost node it waits on has no RTA
    /// ([`Outcome::waits_on`] names one).
    NoRecoveryTime,
    /// Never back: it waits on a cycle through a redundancy group that no member breaks (a
    /// member needs its own group) ([`Outcome::waits_on`] names the cycle's first node never
    /// back). A recovery plan must break it.
    Circular,
}

/// One objective's node after a disruption.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Outcome {
    /// The node.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// When it is back, counted from the disruption; `None` when never.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub back_after: Option<Duration>,
    /// Its RTO.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub rto: Duration,
    /// How much later than the RTO it is back (`Missed`, `Intolerable`), else `None`.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub late_by: Option<Duration>,
    /// For `NoRecoveryTime` and `Circular`: the node it waits on.
    pub waits_on: Option<String>,
    /// The chain that sets `back_after`, first to recover first, ending with the node
    /// itself: each node back last among what the next one waits for (a group's member
    /// that brought it back up). At most [`MAX_PATH`] nodes, the latest ones; empty when
    /// the node is unaffected or never back.
    pub critical_path: Vec<String>,
    /// Nodes of the critical path left out before its first listed node.
    pub path_omitted: u64,
}

/// Counts over a [`Recovery`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Summary {
    /// Nodes the disruption took down directly.
    pub lost: u64,
    /// Nodes down for some time: the lost ones and every node (groups included) back only
    /// after some time or never (a node waiting only on lost nodes with a zero RTA is back at
    /// once, not down).
    pub down: u64,
    /// Down nodes never back.
    pub never_back: u64,
    /// Objectives per status.
    pub unaffected: u64,
    /// Objectives back within their RTO.
    pub met: u64,
    /// Objectives back after their RTO, within their MTPD.
    pub missed: u64,
    /// Objectives back after their MTPD.
    pub intolerable: u64,
    /// Objectives waiting on a lost node without an RTA.
    pub no_recovery_time: u64,
    /// Objectives waiting on a cycle.
    pub circular: u64,
    /// When the last down node that comes back is back; `None` when nothing was down or
    /// nothing comes back.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub all_back_after: Option<Duration>,
}

/// A disruption's recovery: every objective's outcome, in the spec's order, and counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Recovery {
    /// Counts.
    pub summary: Summary,
    /// One per objective, in the spec's order.
    pub outcomes: Vec<Outcome>,
}

impl Recovery {
    /// The outcome of node `id`'s objective, if it has one.
    pub fn outcome(&self, id: &str) -> Option<&Outcome> {
        self.outcomes.iter().find(|o| o.id == id)
    }
}

impl Plan<'_> {
    /// When each objective's node is back after `disruption`, under `policy`.
    ///
    /// A lost node comes back its RTA after what it depends on is back
    /// ([`Sequencing::AfterDependencies`](crate::Sequencing::AfterDependencies)), or when
    /// both its RTA has passed and its dependencies are back
    /// ([`Sequencing::Parallel`](crate::Sequencing::Parallel)); a node not lost is back when
    /// its dependencies are; a redundancy group is back when enough members are back for it
    /// to hold (and every plain edge into it), counting a member only once it is back on its
    /// own account. Nodes waiting on each other in a cycle of plain waits are recovered side
    /// by side, each after what it waits for outside the cycle, and are back together; a
    /// cycle through a group that no member breaks is never back ([`Status::Circular`]); a
    /// node waiting on a lost node without an RTA is [`Status::NoRecoveryTime`]. Nodes are
    /// settled in order of time (Knuth's generalisation of Dijkstra's algorithm), cycles
    /// first contracted by Tarjan's algorithm (docs/continuity.md).
    ///
    /// O((n + m) log n) for n nodes and m arcs, without recursion; the same inputs give the
    /// same answer.
    ///
    /// # Errors
    /// [`Error::UnknownNode`], [`Error::GroupNamed`] or [`Error::UnknownLocation`] for a
    /// disruption naming what the graph does not have; [`Error::Overflow`] for a time past
    /// what a duration holds.
    pub fn recover(&self, disruption: &Disruption, policy: &Policy) -> Result<Recovery, Error> {
        let lost = self.lost(disruption)?;
        let run = settle(self.graph, &lost, &self.rta, policy.sequencing);
        self.answer(&lost, &run)
    }

    /// Which nodes `disruption` takes down, as a bit per node.
    fn lost(&self, disruption: &Disruption) -> Result<Vec<bool>, Error> {
        let g = self.graph;
        let n = g.node_count();
        let item = |v: NodeId| g.kind(v) == Some(NodeKind::ConfigurationItem);
        match disruption {
            Disruption::Everything => Ok(g.nodes().map(item).collect()),
            Disruption::Nodes(ids) => {
                let mut lost = vec![false; n];
                for id in ids {
                    let v = resolve(g, id, "the disruption")?;
                    if let Some(s) = lost.get_mut(v.index()) {
                        *s = true;
                    }
                }
                Ok(lost)
            }
            Disruption::Locations(places) => {
                let wanted: HashSet<&str> = places.iter().map(String::as_str).collect();
                let mut found: HashSet<&str> = HashSet::new();
                let mut lost = vec![false; n];
                for v in g.nodes() {
                    if let Some(place) = g.location(v).filter(|p| wanted.contains(p)) {
                        found.insert(place);
                        if let Some(s) = lost.get_mut(v.index()).filter(|_| item(v)) {
                            *s = true;
                        }
                    }
                }
                if let Some(p) = places.iter().find(|p| !found.contains(p.as_str())) {
                    return Err(Error::UnknownLocation {
                        location: p.clone(),
                    });
                }
                Ok(lost)
            }
        }
    }

    /// The answer from the settled times.
    fn answer(&self, lost: &[bool], run: &Run) -> Result<Recovery, Error> {
        let g = self.graph;
        let blocked = self.blocked(lost, run);
        let mut summary = Summary::default();
        let mut last: Option<(Nanos, NodeId)> = None;
        for v in g.nodes() {
            let i = v.index();
            let t = run.time.get(i).copied().unwrap_or(NEVER);
            let was_lost = lost.get(i).copied().unwrap_or(false);
            if was_lost {
                summary.lost += 1;
            }
            if t == NEVER {
                summary.down += 1;
                summary.never_back += 1;
            } else if t > 0 || was_lost {
                summary.down += 1;
                if last.is_none_or(|(l, _)| t > l) {
                    last = Some((t, v));
                }
            }
        }
        summary.all_back_after = last
            .map(|(t, v)| {
                duration(t).ok_or_else(|| Error::Overflow {
                    id: g.id(v).to_owned(),
                })
            })
            .transpose()?;
        let mut outcomes = Vec::with_capacity(self.objectives.len());
        let mut depth = vec![0u32; g.node_count()];
        for o in &self.objectives {
            let i = o.node as usize;
            let id = g.node_at(i).map(|v| g.id(v)).unwrap_or_default().to_owned();
            let t = run.time.get(i).copied().unwrap_or(NEVER);
            let rto = duration(o.rto).unwrap_or(Duration::MAX);
            let mut outcome = Outcome {
                id,
                status: Status::Unaffected,
                back_after: None,
                rto,
                late_by: None,
                waits_on: None,
                critical_path: Vec::new(),
                path_omitted: 0,
            };
            if t == NEVER {
                let (status, on) = blocked.get(i).copied().unwrap_or((Status::Circular, NONE));
                outcome.status = status;
                outcome.waits_on = g.node_at(on as usize).map(|v| g.id(v).to_owned());
            } else {
                let back = duration(t).ok_or_else(|| Error::Overflow {
                    id: outcome.id.clone(),
                })?;
                outcome.back_after = Some(back);
                if t > 0 {
                    outcome.status = if t <= o.rto {
                        Status::Met
                    } else if o.mtpd.is_some_and(|m| t > m) {
                        Status::Intolerable
                    } else {
                        Status::Missed
                    };
                    if t > o.rto {
                        outcome.late_by = duration(t - o.rto);
                    }
                    let (path, omitted) = self.path(o.node, run, &mut depth);
                    outcome.critical_path = path;
                    outcome.path_omitted = omitted;
                }
            }
            match outcome.status {
                Status::Unaffected => summary.unaffected += 1,
                Status::Met => summary.met += 1,
                Status::Missed => summary.missed += 1,
                Status::Intolerable => summary.intolerable += 1,
                Status::NoRecoveryTime => summary.no_recovery_time += 1,
                Status::Circular => summary.circular += 1,
            }
            outcomes.push(outcome);
        }
        Ok(Recovery { summary, outcomes })
    }

    /// The critical path of `node`: `via` links followed back, at most [`MAX_PATH`] kept,
    /// the rest counted from `depth` (each node's path length, memoised: linear over all
    /// objectives).
    fn path(&self, node: u32, run: &Run, depth: &mut [u32]) -> (Vec<String>, u64) {
        let g = self.graph;
        let mut chain: Vec<u32> = Vec::new();
        let mut u = node;
        while u != NONE && chain.len() < MAX_PATH {
            chain.push(u);
            u = run.via.get(u as usize).copied().unwrap_or(NONE);
        }
        let omitted = if u == NONE {
            0
        } else {
            u64::from(path_length(u, &run.via, depth))
        };
        chain.reverse();
        let names = chain
            .iter()
            .filter_map(|&i| g.node_at(i as usize).map(|v| g.id(v).to_owned()))
            .collect();
        (names, omitted)
    }

    /// For each node never back: why, and the node it waits on. Walks forward from the lost
    /// nodes without an RTA over nodes never back (`NoRecoveryTime`); the rest wait on a
    /// cycle of nodes never back (the strongly connected components of the waits among
    /// them, by Tarjan's algorithm), named by its first node, and are walked forward from it
    /// (`Circular`). O(n + m).
    fn blocked(&self, lost: &[bool], run: &Run) -> Vec<(Status, u32)> {
        let g = self.graph;
        let n = g.node_count();
        let never = |i: usize| run.time.get(i) == Some(&NEVER);
        let mut why: Vec<(Status, u32)> = vec![(Status::Unaffected, NONE); n];
        if !(0..n).any(never) {
            return why;
        }
        let mut queue: Vec<u32> = Vec::new();
        let mark =
            |why: &mut Vec<(Status, u32)>, queue: &mut Vec<u32>, i: usize, s: (Status, u32)| {
                if let Some(w) = why.get_mut(i).filter(|w| w.1 == NONE) {
                    *w = s;
                    queue.push(u32::try_from(i).unwrap_or(NONE));
                }
            };
        for v in g.nodes() {
            let i = v.index();
            let rta = self.rta.get(i).copied().flatten();
            if never(i) && lost.get(i) == Some(&true) && rta.is_none() {
                mark(
                    &mut why,
                    &mut queue,
                    i,
                    (Status::NoRecoveryTime, node_u32(v)),
                );
            }
        }
        let walk = |why: &mut Vec<(Status, u32)>, queue: &mut Vec<u32>| {
            let mut head = 0;
            while let Some(&u) = queue.get(head) {
                head += 1;
                let s = why
                    .get(u as usize)
                    .copied()
                    .unwrap_or((Status::Circular, NONE));
                let Some(node) = g.node_at(u as usize) else {
                    continue;
                };
                for arc in g.arcs_from(node) {
                    let v = arc.to.index();
                    if never(v) {
                        if let Some(w) = why.get_mut(v).filter(|w| w.1 == NONE) {
                            *w = s;
                            queue.push(node_u32(arc.to));
                        }
                    }
                }
            }
        };
        walk(&mut why, &mut queue);
        queue.clear();
        let left: Vec<bool> = (0..n)
            .map(|i| never(i) && why.get(i).is_some_and(|w| w.1 == NONE))
            .collect();
        if left.iter().any(|l| *l) {
            let comp = components(g, &left, false);
            let mut size = vec![0u32; n];
            for (i, r) in comp.iter().enumerate() {
                if left.get(i) == Some(&true) {
                    if let Some(c) = size.get_mut(*r as usize) {
                        *c += 1;
                    }
                }
            }
            for v in g.nodes() {
                let i = v.index();
                if left.get(i) != Some(&true) {
                    continue;
                }
                let r = comp.get(i).copied().unwrap_or(NONE);
                let cyclic = size.get(r as usize).is_some_and(|c| *c > 1)
                    || g.arcs_from(v).any(|a| a.to == v);
                if cyclic {
                    mark(&mut why, &mut queue, i, (Status::Circular, r));
                }
            }
            walk(&mut why, &mut queue);
        }
        why
    }
}

/// The length of `v`'s critical path (nodes along `via` to the first with none), memoised
/// in `depth` (0: not known yet). Iterative; a `via` loop (none is made) stops the count.
fn path_length(v: u32, via: &[u32], depth: &mut [u32]) -> u32 {
    let mut chain: Vec<u32> = Vec::new();
    let mut u = v;
    let mut base = 0u32;
    while u != NONE {
        match depth.get(u as usize) {
            Some(&d) if d > 0 => {
                base = d;
                break;
            }
            Some(_) => {}
            None => break,
        }
        if chain.len() > depth.len() {
            break;
        }
        chain.push(u);
        u = via.get(u as usize).copied().unwrap_or(NONE);
    }
    for w in chain.iter().rev() {
        base = base.saturating_add(1);
        if let Some(d) = depth.get_mut(*w as usize) {
            *d = base;
        }
    }
    depth.get(v as usize).copied().unwrap_or(base)
}
