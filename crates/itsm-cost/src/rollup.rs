//! The roll-up: Kahn's order over the carrying arcs, each node's total split evenly among
//! its paths; what Kahn's order cannot reach is refused (naming a cycle) or costed in pools
//! (Tarjan's algorithm with an explicit stack).

use crate::answers::Pool;
use crate::build::{Arcs, NONE, Nodes, row};
use crate::error::{CYCLE_SHOWN, Error};
use crate::money::even_piece;
use crate::spec::Cycles;

/// What the roll-up computes.
pub(crate) struct Rolled {
    pub(crate) inherited: Vec<i64>,
    pub(crate) amount: Vec<i64>,
    pub(crate) pool_of: Vec<u32>,
    pub(crate) pools: Vec<Pool>,
}

/// Splits node or pool `u`'s `total` evenly over `exits` (arc numbers, in order): each arc's
/// amount set, each parent's inheritance raised.
fn pass_up(arcs: &Arcs, exits: &[usize], total: i64, amount: &mut [i64], inherited: &mut [i128]) {
    let k = exits.len() as u64;
    for (rank, &arc) in exits.iter().enumerate() {
        let piece = even_piece(total, k, rank as u64);
        if let Some(a) = amount.get_mut(arc) {
            *a = piece;
        }
        let p = arcs.up_to.get(arc).copied().unwrap_or(0);
        if let Some(slot) = inherited.get_mut(p as usize) {
            // At most 2^32 arcs of at most 2^63 each: no i128 overflows.
            *slot += i128::from(piece);
        }
    }
}

/// A node's total once its inheritance is final: it and its inheritance must fit in 64 bits.
fn total_of(nodes: &Nodes, direct: &[i64], inherited: &[i128], u: u32) -> Result<i64, Error> {
    let ui = u as usize;
    let d = i128::from(direct.get(ui).copied().unwrap_or(0));
    let h = inherited.get(ui).copied().unwrap_or(0);
    let overflow = || Error::Overflow {
        id: nodes.id(u).to_owned(),
    };
    i64::try_from(h).map_err(|_| overflow())?;
    i64::try_from(d + h).map_err(|_| overflow())
}

/// Kahn's order over the carrying arcs: a node's total is final once every child has
/// passed its share; it is then split evenly among its own paths. What Kahn's order cannot
/// reach lies on or after a cycle: refused, or costed in pools.
pub(crate) fn roll_up(
    nodes: &Nodes,
    arcs: &Arcs,
    direct: &[i64],
    cycles: Cycles,
) -> Result<Rolled, Error> {
    let n = nodes.len();
    let mut inherited = vec![0i128; n];
    let mut amount = vec![0i64; arcs.up_to.len()];
    let mut waiting: Vec<u32> = (0..n)
        .map(|i| row(&arcs.down_start, &arcs.down_arc, i).len() as u32)
        .collect();
    let mut queue: Vec<u32> = (0..n as u32)
        .filter(|&i| waiting.get(i as usize) == Some(&0))
        .collect();
    let mut head = 0;
    let mut exits: Vec<usize> = Vec::new();
    while let Some(&u) = queue.get(head) {
        head += 1;
        let total = total_of(nodes, direct, &inherited, u)?;
        exits.clear();
        exits.extend(arcs.parents(u as usize));
        pass_up(arcs, &exits, total, &mut amount, &mut inherited);
        for &arc in &exits {
            let p = arcs.up_to.get(arc).copied().unwrap_or(0);
            if let Some(w) = waiting.get_mut(p as usize) {
                *w -= 1;
                if *w == 0 {
                    queue.push(p);
                }
            }
        }
    }
    let narrow = |inherited: &[i128]| -> Vec<i64> {
        // Every node's inheritance was checked to fit when its total was taken.
        inherited
            .iter()
            .map(|&h| i64::try_from(h).unwrap_or(0))
            .collect()
    };
    if queue.len() == n {
        return Ok(Rolled {
            inherited: narrow(&inherited),
            amount,
            pool_of: Vec::new(),
            pools: Vec::new(),
        });
    }
    if cycles == Cycles::Refuse {
        return Err(cycle(nodes, arcs, &waiting));
    }
    let mut pool_of = vec![NONE; n];
    let mut pools: Vec<Pool> = Vec::new();
    // The nodes left, by strongly connected component, sources first.
    let left: Vec<bool> = waiting.iter().map(|&w| w > 0).collect();
    let components = components(arcs, &left);
    for comp in components.iter().rev() {
        let first = comp.first().copied().unwrap_or(0);
        let self_loop = arcs
            .parents(first as usize)
            .any(|arc| arcs.up_to.get(arc) == Some(&first));
        if comp.len() == 1 && !self_loop {
            let total = total_of(nodes, direct, &inherited, first)?;
            exits.clear();
            exits.extend(arcs.parents(first as usize));
            pass_up(arcs, &exits, total, &mut amount, &mut inherited);
            continue;
        }
        let id = pools.len() as u32;
        for &m in comp {
            if let Some(p) = pool_of.get_mut(m as usize) {
                *p = id;
            }
        }
        let mut wide: i128 = 0;
        for &m in comp {
            wide += i128::from(total_of(nodes, direct, &inherited, m)?);
        }
        let total = i64::try_from(wide).map_err(|_| Error::Overflow {
            id: nodes.id(first).to_owned(),
        })?;
        exits.clear();
        for &m in comp {
            exits.extend(arcs.parents(m as usize).filter(|&arc| {
                let p = arcs.up_to.get(arc).copied().unwrap_or(0);
                pool_of.get(p as usize) != Some(&id)
            }));
        }
        pass_up(arcs, &exits, total, &mut amount, &mut inherited);
        pools.push(Pool {
            members: comp.iter().map(|&m| nodes.id(m).to_owned()).collect(),
            amount: total,
            exits: exits.len(),
        });
    }
    pools.sort_by(|a, b| {
        let key = |p: &Pool| p.members.first().and_then(|m| nodes.index.get(m)).copied();
        key(a).cmp(&key(b))
    });
    // Pool numbers follow the sorted order.
    for (k, p) in pools.iter().enumerate() {
        for m in &p.members {
            if let Some(&i) = nodes.index.get(m) {
                if let Some(slot) = pool_of.get_mut(i as usize) {
                    *slot = k as u32;
                }
            }
        }
    }
    Ok(Rolled {
        inherited: narrow(&inherited),
        amount,
        pool_of,
        pools,
    })
}

/// Strongly connected components of the carrying arcs among the nodes `left` marks
/// (Tarjan's algorithm with an explicit stack: no recursion), each sorted, in the order
/// Tarjan's algorithm closes them: every component after those its cost flows into.
fn components(arcs: &Arcs, left: &[bool]) -> Vec<Vec<u32>> {
    /// The walk's state.
    struct Walk {
        index: Vec<u32>,
        low: Vec<u32>,
        on_stack: Vec<bool>,
        stack: Vec<u32>,
        /// (node, its next arc to look at).
        frames: Vec<(u32, usize)>,
        next: u32,
    }
    impl Walk {
        fn open(&mut self, arcs: &Arcs, v: u32) {
            let vi = v as usize;
            if let (Some(i), Some(l), Some(o)) = (
                self.index.get_mut(vi),
                self.low.get_mut(vi),
                self.on_stack.get_mut(vi),
            ) {
                (*i, *l, *o) = (self.next, self.next, true);
            }
            self.next += 1;
            self.stack.push(v);
            self.frames.push((v, arcs.parents(vi).start));
        }
        fn lower(&mut self, v: u32, to: u32) {
            if let Some(l) = self.low.get_mut(v as usize) {
                *l = (*l).min(to);
            }
        }
    }
    let n = left.len();
    let mut w = Walk {
        index: vec![NONE; n],
        low: vec![0u32; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        frames: Vec::new(),
        next: 0,
    };
    let mut out = Vec::new();
    let is_left = |v: u32| left.get(v as usize).copied().unwrap_or(false);
    for s in 0..n as u32 {
        if !is_left(s) || w.index.get(s as usize) != Some(&NONE) {
            continue;
        }
        w.open(arcs, s);
        while let Some(&(v, pos)) = w.frames.last() {
            if pos < arcs.parents(v as usize).end {
                if let Some(f) = w.frames.last_mut() {
                    f.1 += 1;
                }
                let t = arcs.up_to.get(pos).copied().unwrap_or(NONE);
                if !is_left(t) {
                    continue;
                }
                if w.index.get(t as usize) == Some(&NONE) {
                    w.open(arcs, t);
                } else if w.on_stack.get(t as usize) == Some(&true) {
                    let it = w.index.get(t as usize).copied().unwrap_or(0);
                    w.lower(v, it);
                }
                continue;
            }
            w.frames.pop();
            let lv = w.low.get(v as usize).copied().unwrap_or(0);
            if let Some(&(p, _)) = w.frames.last() {
                w.lower(p, lv);
            }
            if lv == w.index.get(v as usize).copied().unwrap_or(NONE) {
                let mut comp = Vec::new();
                while let Some(x) = w.stack.pop() {
                    if let Some(o) = w.on_stack.get_mut(x as usize) {
                        *o = false;
                    }
                    comp.push(x);
                    if x == v {
                        break;
                    }
                }
                comp.sort_unstable();
                out.push(comp);
            }
        }
    }
    out
}

/// A cycle among the nodes Kahn's order never reached (each has a child among them): walk
/// children until a node repeats.
fn cycle(nodes: &Nodes, arcs: &Arcs, waiting: &[u32]) -> Error {
    let start = waiting.iter().position(|&w| w > 0).unwrap_or(0) as u32;
    let mut on_walk = std::collections::HashMap::new();
    let mut walk: Vec<u32> = Vec::new();
    let mut u = start;
    loop {
        if let Some(&at) = on_walk.get(&u) {
            let mut members: Vec<u32> = walk.get(at..).unwrap_or(&[]).to_vec();
            // The walk went from parents to children; cost travels the other way.
            members.reverse();
            let least = members
                .iter()
                .enumerate()
                .min_by_key(|(_, v)| **v)
                .map_or(0, |(k, _)| k);
            members.rotate_left(least);
            let length = members.len();
            return Error::Cycle {
                nodes: members
                    .iter()
                    .take(CYCLE_SHOWN)
                    .map(|&v| nodes.id(v).to_owned())
                    .collect(),
                length,
            };
        }
        on_walk.insert(u, walk.len());
        walk.push(u);
        let next = row(&arcs.down_start, &arcs.down_arc, u as usize)
            .iter()
            .map(|&arc| arcs.from.get(arc as usize).copied().unwrap_or(0))
            .find(|&c| waiting.get(c as usize).is_some_and(|&w| w > 0));
        match next {
            Some(c) => u = c,
            // Cannot happen (every node left has a child left); end with what we have.
            None => {
                return Error::Cycle {
                    nodes: walk
                        .iter()
                        .take(CYCLE_SHOWN)
                        .map(|&v| nodes.id(v).to_owned())
                        .collect(),
                    length: walk.len(),
                };
            }
        }
    }
}
