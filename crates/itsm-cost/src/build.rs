//! From a graph spec and a cost spec to the indexed data the roll-up walks: node ids,
//! classes and locations interned, the carrying arcs by child and by parent, selectors
//! resolved to node numbers.

use std::collections::HashMap;

use itsm_graph::{GraphSpec, NodeKind, Propagation};

use crate::error::Error;
use crate::spec::{PathRule, Selector};

/// No class or location (a group's class, a node without a location).
pub(crate) const NONE: u32 = u32::MAX;
/// The relation of a membership arc (member to group).
pub(crate) const MEMBERSHIP: u32 = u32::MAX;

/// The graph as the roll-up needs it.
#[derive(Debug, Clone)]
pub(crate) struct Nodes {
    pub(crate) ids: Vec<String>,
    pub(crate) index: HashMap<String, u32>,
    pub(crate) kind: Vec<NodeKind>,
    /// Interned class (`NONE` for a group).
    pub(crate) class: Vec<u32>,
    /// Interned location (`NONE` when none).
    pub(crate) location: Vec<u32>,
    pub(crate) classes: HashMap<String, u32>,
    pub(crate) locations: HashMap<String, u32>,
    /// Nodes by class: `by_class_start[c]..by_class_start[c + 1]` in `by_class`.
    pub(crate) by_class_start: Vec<u32>,
    pub(crate) by_class: Vec<u32>,
    pub(crate) by_location_start: Vec<u32>,
    pub(crate) by_location: Vec<u32>,
    pub(crate) relations: Vec<String>,
    /// Each relation's number and the way failure, and so cost, travels along it.
    pub(crate) relation_index: HashMap<String, (u32, Propagation)>,
}

/// The arcs along which cost travels, child to parent, by child (`up`) and by parent
/// (`down`, arc numbers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Arcs {
    pub(crate) up_start: Vec<u32>,
    pub(crate) up_to: Vec<u32>,
    pub(crate) up_relation: Vec<u32>,
    pub(crate) down_start: Vec<u32>,
    pub(crate) down_arc: Vec<u32>,
    /// The child of each arc (by arc number).
    pub(crate) from: Vec<u32>,
}

/// A row of a compressed table, empty when out of range.
pub(crate) fn row<'a, T>(start: &[u32], items: &'a [T], i: usize) -> &'a [T] {
    let lo = start.get(i).copied().unwrap_or(0) as usize;
    let hi = start.get(i + 1).copied().unwrap_or(0) as usize;
    items.get(lo..hi).unwrap_or(&[])
}

/// The start offsets of a table of `n` rows from each item's row, and the items' order.
fn group_by(n: usize, keys: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &k in keys {
        if let Some(c) = start.get_mut(k as usize + 1) {
            *c += 1;
        }
    }
    for i in 0..n {
        let prev = start.get(i).copied().unwrap_or(0);
        if let Some(c) = start.get_mut(i + 1) {
            *c += prev;
        }
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; keys.len()];
    for (item, &k) in keys.iter().enumerate() {
        if let Some(f) = fill.get_mut(k as usize) {
            if let Some(slot) = order.get_mut(*f as usize) {
                *slot = item as u32;
            }
            *f += 1;
        }
    }
    (start, order)
}

fn intern(map: &mut HashMap<String, u32>, s: &str) -> u32 {
    if let Some(&v) = map.get(s) {
        return v;
    }
    let v = map.len() as u32;
    map.insert(s.to_owned(), v);
    v
}

impl Nodes {
    pub(crate) fn new(graph: &GraphSpec) -> Result<Nodes, Error> {
        let n = graph.nodes.len() + graph.groups.len();
        let mut ids = Vec::with_capacity(n);
        let mut index = HashMap::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut class = Vec::with_capacity(n);
        let mut location = Vec::with_capacity(n);
        let mut classes = HashMap::new();
        let mut locations = HashMap::new();
        let mut add = |id: &str, index: &mut HashMap<String, u32>| -> Result<(), Error> {
            let i = ids.len() as u32;
            if index.insert(id.to_owned(), i).is_some() {
                return Err(Error::DuplicateId { id: id.to_owned() });
            }
            ids.push(id.to_owned());
            Ok(())
        };
        for node in &graph.nodes {
            if node.kind == NodeKind::Group {
                return Err(Error::GroupInNodes {
                    id: node.id.clone(),
                });
            }
            add(&node.id, &mut index)?;
            kind.push(node.kind);
            class.push(intern(&mut classes, &node.class));
            location.push(match &node.location {
                Some(l) => intern(&mut locations, l),
                None => NONE,
            });
        }
        for group in &graph.groups {
            add(&group.id, &mut index)?;
            kind.push(NodeKind::Group);
            class.push(NONE);
            location.push(NONE);
        }
        let keyed = |values: &[u32], count: usize| {
            let items: Vec<u32> = (0..values.len() as u32)
                .filter(|&i| values.get(i as usize).is_some_and(|&v| v != NONE))
                .collect();
            let keys: Vec<u32> = items
                .iter()
                .map(|&i| values.get(i as usize).copied().unwrap_or(0))
                .collect();
            let (start, order) = group_by(count, &keys);
            let nodes = order
                .iter()
                .map(|&k| items.get(k as usize).copied().unwrap_or(0))
                .collect();
            (start, nodes)
        };
        let (by_class_start, by_class) = keyed(&class, classes.len());
        let (by_location_start, by_location) = keyed(&location, locations.len());
        let mut relations: Vec<String> = Vec::with_capacity(graph.relations.len());
        let mut relation_index = HashMap::with_capacity(graph.relations.len());
        for (k, r) in graph.relations.iter().enumerate() {
            if relation_index
                .insert(r.name.clone(), (k as u32, r.propagation))
                .is_some()
            {
                return Err(Error::DuplicateRelation {
                    name: r.name.clone(),
                });
            }
            relations.push(r.name.clone());
        }
        Ok(Nodes {
            ids,
            index,
            kind,
            class,
            location,
            classes,
            locations,
            by_class_start,
            by_class,
            by_location_start,
            by_location,
            relations,
            relation_index,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    pub(crate) fn find(&self, list: &'static str, id: &str) -> Result<u32, Error> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| Error::UnknownNode {
                list,
                id: id.to_owned(),
            })
    }

    pub(crate) fn is_group(&self, i: u32) -> bool {
        self.kind.get(i as usize) == Some(&NodeKind::Group)
    }

    /// A node a cost record may name: known and not a group.
    pub(crate) fn costed(&self, list: &'static str, id: &str) -> Result<u32, Error> {
        let i = self.find(list, id)?;
        if self.is_group(i) {
            return Err(Error::GroupNamed {
                list,
                id: id.to_owned(),
            });
        }
        Ok(i)
    }

    pub(crate) fn id(&self, i: u32) -> &str {
        self.ids.get(i as usize).map_or("", String::as_str)
    }
}

/// A selector with its names resolved: `None` matches anything, `Some` one of the listed
/// (an empty list: nothing, every name given unknown).
#[derive(Debug, Clone)]
pub(crate) struct Sel {
    /// Listed nodes, sorted, each once.
    pub(crate) nodes: Vec<u32>,
    pub(crate) classes: Option<Vec<u32>>,
    pub(crate) locations: Option<Vec<u32>>,
}

impl Sel {
    pub(crate) fn new(
        nodes: &Nodes,
        s: &Selector,
        kind: &'static str,
        name: &str,
        list: &'static str,
    ) -> Result<Sel, Error> {
        if s.nodes.is_empty() && !s.has_condition() {
            return Err(Error::EmptySelector {
                kind,
                name: name.to_owned(),
            });
        }
        let mut listed = Vec::with_capacity(s.nodes.len());
        for id in &s.nodes {
            listed.push(nodes.costed(list, id)?);
        }
        listed.sort_unstable();
        listed.dedup();
        let resolve = |names: &[String], map: &HashMap<String, u32>| {
            (!names.is_empty()).then(|| {
                let mut v: Vec<u32> = names.iter().filter_map(|c| map.get(c).copied()).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
        };
        Ok(Sel {
            nodes: listed,
            classes: resolve(&s.classes, &nodes.classes),
            locations: resolve(&s.locations, &nodes.locations),
        })
    }

    fn condition(&self, nodes: &Nodes, i: u32) -> bool {
        if self.classes.is_none() && self.locations.is_none() || nodes.is_group(i) {
            return false;
        }
        let class = nodes.class.get(i as usize).copied().unwrap_or(NONE);
        let location = nodes.location.get(i as usize).copied().unwrap_or(NONE);
        self.classes
            .as_ref()
            .is_none_or(|c| c.binary_search(&class).is_ok())
            && self
                .locations
                .as_ref()
                .is_none_or(|l| l.binary_search(&location).is_ok())
    }

    /// Whether node `i` is selected.
    pub(crate) fn matches(&self, nodes: &Nodes, i: u32) -> bool {
        self.nodes.binary_search(&i).is_ok() || self.condition(nodes, i)
    }

    /// Every node selected, sorted, each once; `stamp` is a per-node scratch array and
    /// `mark` a value not in it yet.
    pub(crate) fn select(&self, nodes: &Nodes, stamp: &mut [u32], mark: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut take = |i: u32, out: &mut Vec<u32>| {
            if let Some(s) = stamp.get_mut(i as usize) {
                if *s != mark {
                    *s = mark;
                    out.push(i);
                }
            }
        };
        for &i in &self.nodes {
            take(i, &mut out);
        }
        let candidates: &mut dyn Iterator<Item = u32> = match (&self.classes, &self.locations) {
            (Some(c), _) => &mut c
                .iter()
                .flat_map(|&c| row(&nodes.by_class_start, &nodes.by_class, c as usize))
                .copied(),
            (None, Some(l)) => &mut l
                .iter()
                .flat_map(|&l| row(&nodes.by_location_start, &nodes.by_location, l as usize))
                .copied(),
            (None, None) => &mut std::iter::empty(),
        };
        for i in candidates {
            if self.condition(nodes, i) {
                take(i, &mut out);
            }
        }
        out.sort_unstable();
        out
    }
}

/// A path rule with its names resolved (`NONE` in an `Some`: a class no node has).
struct Rule {
    child: Option<u32>,
    parent: Option<u32>,
    relation: Option<u32>,
}

fn class_of(nodes: &Nodes, name: &Option<String>) -> Option<u32> {
    name.as_ref()
        .map(|c| nodes.classes.get(c).copied().unwrap_or(NONE))
}

impl Arcs {
    pub(crate) fn new(
        graph: &GraphSpec,
        nodes: &Nodes,
        paths: Option<&[PathRule]>,
    ) -> Result<Arcs, Error> {
        let relation_index = &nodes.relation_index;
        let rules = match paths {
            None => None,
            Some(list) => {
                let mut rules = Vec::with_capacity(list.len());
                for p in list {
                    let relation = match &p.relation {
                        None => None,
                        Some(name) => {
                            Some(relation_index.get(name.as_str()).map(|r| r.0).ok_or_else(
                                || Error::UnknownRelation {
                                    list: "the relationship paths",
                                    name: name.clone(),
                                },
                            )?)
                        }
                    };
                    rules.push(Rule {
                        child: class_of(nodes, &p.child_class),
                        parent: class_of(nodes, &p.parent_class),
                        relation,
                    });
                }
                Some(rules)
            }
        };
        let carries = |child: u32, parent: u32, relation: u32| -> bool {
            let Some(rules) = &rules else { return true };
            let cc = nodes.class.get(child as usize).copied().unwrap_or(NONE);
            let pc = nodes.class.get(parent as usize).copied().unwrap_or(NONE);
            rules.iter().any(|r| {
                r.child.is_none_or(|c| c != NONE && c == cc)
                    && r.parent.is_none_or(|c| c != NONE && c == pc)
                    && r.relation.is_none_or(|x| x == relation)
            })
        };
        let mut from = Vec::with_capacity(graph.edges.len());
        let mut to = Vec::with_capacity(graph.edges.len());
        let mut relation = Vec::with_capacity(graph.edges.len());
        for e in &graph.edges {
            let a = nodes.find("the graph's edges", &e.from)?;
            let b = nodes.find("the graph's edges", &e.to)?;
            let &(r, propagation) =
                relation_index
                    .get(e.relation.as_str())
                    .ok_or_else(|| Error::UnknownRelation {
                        list: "the graph's edges",
                        name: e.relation.clone(),
                    })?;
            let pairs: &[(u32, u32)] = match propagation {
                Propagation::ToFrom => &[(b, a)],
                Propagation::FromTo => &[(a, b)],
                Propagation::Both => &[(b, a), (a, b)],
            };
            for &(child, parent) in pairs {
                if carries(child, parent, r) {
                    from.push(child);
                    to.push(parent);
                    relation.push(r);
                }
            }
        }
        let mut members = Vec::new();
        for g in &graph.groups {
            let group = nodes.find("the graph's groups", &g.id)?;
            if g.members.is_empty() {
                return Err(Error::EmptyGroup {
                    group: g.id.clone(),
                });
            }
            members.clear();
            for m in &g.members {
                members.push((nodes.find("the graph's groups", m)?, m));
            }
            members.sort_unstable();
            if let Some(w) = members
                .windows(2)
                .find(|w| w.first().map(|a| a.0) == w.get(1).map(|b| b.0))
            {
                return Err(Error::DuplicateMember {
                    group: g.id.clone(),
                    member: w.first().map_or(String::new(), |m| m.1.clone()),
                });
            }
            for &(m, _) in &members {
                from.push(m);
                to.push(group);
                relation.push(MEMBERSHIP);
            }
        }
        // By child; within a child, by parent (then as given): the order the extra cents of
        // an even split follow.
        let n = nodes.len();
        let mut order: Vec<u32> = (0..from.len() as u32).collect();
        order.sort_by_key(|&k| {
            (
                from.get(k as usize).copied().unwrap_or(0),
                to.get(k as usize).copied().unwrap_or(0),
                k,
            )
        });
        let pick = |v: &[u32]| -> Vec<u32> {
            order
                .iter()
                .map(|&k| v.get(k as usize).copied().unwrap_or(0))
                .collect()
        };
        let from = pick(&from);
        let up_to = pick(&to);
        let up_relation = pick(&relation);
        let (up_start, _) = group_by(n, &from);
        let (down_start, down_arc) = group_by(n, &up_to);
        Ok(Arcs {
            up_start,
            up_to,
            up_relation,
            down_start,
            down_arc,
            from,
        })
    }

    pub(crate) fn parents(&self, i: usize) -> std::ops::Range<usize> {
        let lo = self.up_start.get(i).copied().unwrap_or(0) as usize;
        let hi = self.up_start.get(i + 1).copied().unwrap_or(0) as usize;
        lo..hi.max(lo)
    }
}
