//! A continuity spec checked against its graph, and what every node must achieve.

use std::collections::HashMap;

use chrono::Duration;
use itsm_graph::{Graph, NodeId, NodeKind};

use crate::Error;
use crate::spec::{ContinuitySpec, Objective};

/// No value (an index or a time).
pub(crate) const NONE: u32 = u32::MAX;

/// Time in nanoseconds, wide enough that sums along any path of a graph never overflow
/// (a duration holds at most about 2^83 ns, a graph fewer than 2^31 nodes).
pub(crate) type Nanos = u128;

/// A non-negative duration in nanoseconds.
pub(crate) fn nanos(d: Duration) -> Nanos {
    let secs = u128::try_from(d.num_seconds()).unwrap_or(0);
    let sub = u128::try_from(d.subsec_nanos()).unwrap_or(0);
    secs * 1_000_000_000 + sub
}

/// Nanoseconds as a duration, `None` past what one holds.
pub(crate) fn duration(n: Nanos) -> Option<Duration> {
    let secs = i64::try_from(n / 1_000_000_000).ok()?;
    let sub = i64::try_from(n % 1_000_000_000).ok()?;
    Duration::try_seconds(secs)?.checked_add(&Duration::nanoseconds(sub))
}

/// An objective, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Obj {
    pub(crate) node: u32,
    pub(crate) rto: Nanos,
    pub(crate) rpo: Option<Nanos>,
    pub(crate) mtpd: Option<Nanos>,
}

/// What a node must achieve: the shortest objective of everything that depends on it (itself
/// included), and which objective's node sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Required {
    /// The objective.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub value: Duration,
    /// The node whose objective it is (the node itself, or one that depends on it).
    pub set_by: String,
}

/// A node whose capability, or own objective, falls short of what the nodes depending on
/// it require.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Gap {
    /// The node.
    pub id: String,
    /// What it achieves (its RTA or RPA), or its own objective (RTO or RPO).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub achieves: Duration,
    /// What it must achieve, and whose objective that is.
    pub required: Required,
}

/// A node an objective depends on whose recovery time nobody has given.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Unknown {
    /// The node.
    pub id: String,
    /// What it must achieve.
    pub required: Required,
}

/// What the objectives require of every node, and where the capabilities fall short,
/// before any disruption ([`Plan::gaps`]). Each list in graph order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Gaps {
    /// Nodes whose RTA is longer than the shortest RTO depending on them: on their own they
    /// already take too long, whatever the order of recovery.
    pub rto: Vec<Gap>,
    /// Nodes whose RPA is longer than the shortest RPO depending on them: a restore loses
    /// more data than the business accepts.
    pub rpo: Vec<Gap>,
    /// Nodes whose own RTO is longer than an RTO depending on them: the objective they were
    /// given does not support the business's (ServiceNow colours them red in a plan's
    /// hierarchy).
    pub objective_rto: Vec<Gap>,
    /// Nodes whose own RPO is longer than an RPO depending on them.
    pub objective_rpo: Vec<Gap>,
    /// Configuration items an RTO depends on that have no RTA: nobody knows whether they
    /// make it. (Services need none: they are back when what they depend on is, unless a
    /// disruption names them.)
    pub no_rta: Vec<Unknown>,
}

/// A [`ContinuitySpec`] checked against its [`Graph`]: every node's objectives and
/// capabilities, and what the objectives require of every node (the shortest RTO and RPO of
/// the node and everything that depends on it, along the graph's failure arcs and through
/// redundancy groups).
///
/// Built in O(n + m + k log k) for n nodes, m arcs and k objectives, without recursion.
#[derive(Debug, Clone)]
pub struct Plan<'g> {
    pub(crate) graph: &'g Graph,
    /// The objectives, in the spec's order.
    pub(crate) objectives: Vec<Obj>,
    /// Per node: its RTA (`None`: none given).
    pub(crate) rta: Vec<Option<Nanos>>,
    /// Per node: its RPA.
    rpa: HashMap<u32, Nanos>,
    /// Per node: the objective (index) setting its required RTO, [`NONE`] for none.
    req_rto: Vec<u32>,
    /// Per node: the objective setting its required RPO.
    req_rpo: Vec<u32>,
}

impl<'g> Plan<'g> {
    /// Checks `spec` against `graph`.
    ///
    /// # Errors
    /// [`Error::UnknownNode`], [`Error::DuplicateNode`], [`Error::GroupNamed`] for a record
    /// naming a node wrongly; [`Error::NegativeDuration`]; [`Error::MtpdBeforeRto`]. The
    /// first in the spec's order (objectives, then capabilities).
    pub fn new(graph: &'g Graph, spec: &ContinuitySpec) -> Result<Plan<'g>, Error> {
        let n = graph.node_count();
        let mut objectives = Vec::with_capacity(spec.objectives.len());
        let mut seen = vec![false; n];
        for o in &spec.objectives {
            let node = resolve(graph, &o.id, "the objectives")?;
            let slot = seen.get_mut(node.index());
            if slot.as_deref() == Some(&true) {
                return Err(Error::DuplicateNode {
                    list: "the objectives",
                    id: o.id.clone(),
                });
            }
            if let Some(s) = slot {
                *s = true;
            }
            objectives.push(compile_objective(node, o)?);
        }
        seen.iter_mut().for_each(|s| *s = false);
        let mut rta = vec![None; n];
        let mut rpa = HashMap::new();
        for c in &spec.capabilities {
            let node = resolve(graph, &c.id, "the capabilities")?;
            let slot = seen.get_mut(node.index());
            if slot.as_deref() == Some(&true) {
                return Err(Error::DuplicateNode {
                    list: "the capabilities",
                    id: c.id.clone(),
                });
            }
            if let Some(s) = slot {
                *s = true;
            }
            let i = node_u32(node);
            if let Some(d) = c.rta {
                let v = non_negative(&c.id, "rta", d)?;
                if let Some(s) = rta.get_mut(node.index()) {
                    *s = Some(v);
                }
            }
            if let Some(d) = c.rpa {
                rpa.insert(i, non_negative(&c.id, "rpa", d)?);
            }
        }
        let req_rto = propagate(graph, &objectives, |o| Some(o.rto));
        let req_rpo = propagate(graph, &objectives, |o| o.rpo);
        Ok(Plan {
            graph,
            objectives,
            rta,
            rpa,
            req_rto,
            req_rpo,
        })
    }

    /// The graph.
    pub fn graph(&self) -> &'g Graph {
        self.graph
    }

    /// The shortest RTO of node `id` and everything that depends on it; `None` when no
    /// objective depends on it.
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn required_rto(&self, id: &str) -> Result<Option<Required>, Error> {
        let node = resolve_any(self.graph, id)?;
        Ok(self.required(&self.req_rto, node, |o| Some(o.rto)))
    }

    /// The shortest RPO of node `id` and everything that depends on it; `None` when no
    /// objective with an RPO depends on it.
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn required_rpo(&self, id: &str) -> Result<Option<Required>, Error> {
        let node = resolve_any(self.graph, id)?;
        Ok(self.required(&self.req_rpo, node, |o| o.rpo))
    }

    /// Where the capabilities and objectives fall short of the objectives depending on
    /// them, before any disruption: a node slower on its own than an objective depending on
    /// it, or losing more data; a node whose own objective is longer than one depending on
    /// it; the configuration items objectives depend on without an RTA. O(n).
    pub fn gaps(&self) -> Gaps {
        let mut gaps = Gaps::default();
        let g = self.graph;
        let gap = |node: NodeId, achieves: Nanos, required: Required| Gap {
            id: g.id(node).to_owned(),
            achieves: duration(achieves).unwrap_or(Duration::MAX),
            required,
        };
        for (k, o) in self.objectives.iter().enumerate() {
            let Some(node) = g.node_at(o.node as usize) else {
                continue;
            };
            let own = u32::try_from(k).ok();
            if self.req_rto.get(node.index()).copied() != own {
                if let Some(req) = self.required(&self.req_rto, node, |o| Some(o.rto)) {
                    if nanos(req.value) < o.rto {
                        gaps.objective_rto.push(gap(node, o.rto, req));
                    }
                }
            }
            if let Some(rpo) = o
                .rpo
                .filter(|_| self.req_rpo.get(node.index()).copied() != own)
            {
                if let Some(req) = self.required(&self.req_rpo, node, |o| o.rpo) {
                    if nanos(req.value) < rpo {
                        gaps.objective_rpo.push(gap(node, rpo, req));
                    }
                }
            }
        }
        gaps.objective_rto
            .sort_by_key(|x| g.node(&x.id).map(|v| v.index()).unwrap_or(0));
        gaps.objective_rpo
            .sort_by_key(|x| g.node(&x.id).map(|v| v.index()).unwrap_or(0));
        for node in g.nodes() {
            let i = node.index();
            let item = g.kind(node) == Some(NodeKind::ConfigurationItem);
            let rta = self.rta.get(i).copied().flatten();
            if let Some(req) = self.required(&self.req_rto, node, |o| Some(o.rto)) {
                match rta {
                    Some(a) if a > nanos(req.value) => gaps.rto.push(gap(node, a, req)),
                    None if item => gaps.no_rta.push(Unknown {
                        id: g.id(node).to_owned(),
                        required: req,
                    }),
                    _ => {}
                }
            }
            if let Some(&a) = self.rpa.get(&node_u32(node)) {
                if let Some(req) = self.required(&self.req_rpo, node, |o| o.rpo) {
                    if a > nanos(req.value) {
                        gaps.rpo.push(gap(node, a, req));
                    }
                }
            }
        }
        gaps
    }

    /// The requirement `table` gives `node`.
    fn required(
        &self,
        table: &[u32],
        node: NodeId,
        value: impl Fn(&Obj) -> Option<Nanos>,
    ) -> Option<Required> {
        let k = *table.get(node.index())?;
        let o = self.objectives.get(k as usize)?;
        let v = value(o)?;
        let set_by = self.graph.node_at(o.node as usize)?;
        Some(Required {
            value: duration(v)?,
            set_by: self.graph.id(set_by).to_owned(),
        })
    }
}

/// Per node, the objective (index into `objectives`) with the least `value` among the node
/// and everything that depends on it ([`NONE`] for none); ties to the earlier objective.
/// Objectives taken by increasing value, each walking breadth-first down the failure arcs
/// (to what its node depends on) over nodes no earlier objective reached: the first to
/// reach a node has the least value. Each node and arc is seen once.
fn propagate(graph: &Graph, objectives: &[Obj], value: impl Fn(&Obj) -> Option<Nanos>) -> Vec<u32> {
    let n = graph.node_count();
    let mut by: Vec<(Nanos, u32)> = objectives
        .iter()
        .enumerate()
        .filter_map(|(k, o)| Some((value(o)?, u32::try_from(k).ok()?)))
        .collect();
    by.sort_unstable();
    let mut set = vec![NONE; n];
    let mut queue: Vec<u32> = Vec::new();
    for (_, k) in by {
        let Some(o) = objectives.get(k as usize) else {
            continue;
        };
        match set.get_mut(o.node as usize) {
            Some(s) if *s == NONE => *s = k,
            _ => continue,
        }
        queue.clear();
        queue.push(o.node);
        let mut head = 0;
        while let Some(&u) = queue.get(head) {
            head += 1;
            let Some(node) = graph.node_at(u as usize) else {
                continue;
            };
            for v in graph.affected_by_unsorted(node) {
                if let Some(s) = set.get_mut(v.index()).filter(|s| **s == NONE) {
                    *s = k;
                    queue.push(node_u32(v));
                }
            }
        }
    }
    set
}

/// `node`'s index as `u32` (a graph holds fewer than 2^31 nodes).
pub(crate) fn node_u32(node: NodeId) -> u32 {
    u32::try_from(node.index()).unwrap_or(NONE)
}

/// The node `id` names, not a group.
pub(crate) fn resolve(graph: &Graph, id: &str, list: &'static str) -> Result<NodeId, Error> {
    let node = graph.node(id).map_err(|_| Error::UnknownNode {
        list,
        id: id.to_owned(),
    })?;
    if graph.group_rule(node).is_some() {
        return Err(Error::GroupNamed {
            list,
            id: id.to_owned(),
        });
    }
    Ok(node)
}

/// The node `id` names, a group or not.
fn resolve_any(graph: &Graph, id: &str) -> Result<NodeId, Error> {
    graph.node(id).map_err(|_| Error::UnknownNode {
        list: "the query",
        id: id.to_owned(),
    })
}

/// `d` in nanoseconds, refused when negative.
fn non_negative(id: &str, field: &'static str, d: Duration) -> Result<Nanos, Error> {
    if d < Duration::zero() {
        return Err(Error::NegativeDuration {
            id: id.to_owned(),
            field,
            value: d,
        });
    }
    Ok(nanos(d))
}

/// An objective checked and compiled.
fn compile_objective(node: NodeId, o: &Objective) -> Result<Obj, Error> {
    let rto = non_negative(&o.id, "rto", o.rto)?;
    let rpo = o.rpo.map(|d| non_negative(&o.id, "rpo", d)).transpose()?;
    let mtpd = o.mtpd.map(|d| non_negative(&o.id, "mtpd", d)).transpose()?;
    if let Some(m) = o.mtpd.filter(|m| *m < o.rto) {
        return Err(Error::MtpdBeforeRto {
            id: o.id.clone(),
            rto: o.rto,
            mtpd: m,
        });
    }
    Ok(Obj {
        node: node_u32(node),
        rto,
        rpo,
        mtpd,
    })
}
