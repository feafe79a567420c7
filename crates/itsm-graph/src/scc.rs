//! Strongly connected components without recursion: Tarjan's algorithm with an explicit
//! stack of frames (a node and the position of its next arc), so that a path of a million
//! nodes needs a million small frames on the heap rather than a million calls on the thread's
//! stack. petgraph 0.8's `tarjan_scc` and `TarjanScc` recurse once per node of a path (a
//! chain of about 90,000 nodes overflowed an 8 MB main stack, and the process aborted).

use crate::rows::{NONE, Rows, bit, set_bit};

/// The strongly connected components of the part of `rows` reachable from `roots`, each
/// handed to `each` as soon as it is complete (a component is found before any component
/// that reaches it: reverse topological order). Returns each node's component number in the
/// order found, [`NONE`] for a node not reached. O(n + m) time, four words of memory a node.
pub(crate) fn components(
    rows: &Rows,
    roots: impl IntoIterator<Item = u32>,
    mut each: impl FnMut(&[u32]),
) -> Vec<u32> {
    let n = rows.node_count();
    // The discovery index of each node (NONE: not yet), and the lowest index it reaches
    // among the nodes still on the component stack.
    let mut index = vec![NONE; n];
    let mut low = vec![NONE; n];
    let mut on_stack = vec![0u64; n.div_ceil(64)];
    let mut comp = vec![NONE; n];
    // The component stack, and the frames of the walk: a node and its next arc.
    let mut stack: Vec<u32> = Vec::new();
    let mut frames: Vec<(u32, usize)> = Vec::new();
    let mut next_index = 0u32;
    let mut next_comp = 0u32;
    for root in roots {
        if index.get(root as usize).is_none_or(|i| *i != NONE) {
            continue;
        }
        enter(
            root,
            rows,
            &mut next_index,
            &mut index,
            &mut low,
            &mut on_stack,
            &mut stack,
            &mut frames,
        );
        while let Some(frame) = frames.last_mut() {
            let (v, at) = *frame;
            let (_, hi) = rows.range(v);
            if at < hi {
                frame.1 = at + 1;
                let Some(&w) = rows.cols.get(at) else {
                    continue;
                };
                match index.get(w as usize).copied() {
                    Some(NONE) => enter(
                        w,
                        rows,
                        &mut next_index,
                        &mut index,
                        &mut low,
                        &mut on_stack,
                        &mut stack,
                        &mut frames,
                    ),
                    Some(iw) if bit(&on_stack, w as usize) => lower(&mut low, v, iw),
                    _ => {}
                }
                continue;
            }
            // Every arc of `v` seen: pass its low link to its parent, and close its
            // component if it is the component's root.
            frames.pop();
            let lv = low.get(v as usize).copied().unwrap_or(NONE);
            if let Some(&(parent, _)) = frames.last() {
                lower(&mut low, parent, lv);
            }
            if lv == index.get(v as usize).copied().unwrap_or(NONE) {
                let start = stack.iter().rposition(|&x| x == v).unwrap_or(0);
                let members = stack.get(start..).unwrap_or(&[]);
                for &x in members {
                    if let Some(w) = on_stack.get_mut(x as usize / 64) {
                        *w &= !(1u64 << (x % 64));
                    }
                    if let Some(c) = comp.get_mut(x as usize) {
                        *c = next_comp;
                    }
                }
                each(members);
                stack.truncate(start);
                next_comp += 1;
            }
        }
    }
    comp
}

/// Opens a frame for `v`, reached for the first time.
#[allow(clippy::too_many_arguments)]
#[inline]
fn enter(
    v: u32,
    rows: &Rows,
    next_index: &mut u32,
    index: &mut [u32],
    low: &mut [u32],
    on_stack: &mut [u64],
    stack: &mut Vec<u32>,
    frames: &mut Vec<(u32, usize)>,
) {
    let i = v as usize;
    if let (Some(x), Some(l)) = (index.get_mut(i), low.get_mut(i)) {
        *x = *next_index;
        *l = *next_index;
    }
    *next_index += 1;
    set_bit(on_stack, i);
    stack.push(v);
    frames.push((v, rows.range(v).0));
}

/// `low[v] = min(low[v], to)`.
#[inline]
fn lower(low: &mut [u32], v: u32, to: u32) {
    if let Some(l) = low.get_mut(v as usize) {
        *l = (*l).min(to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize, arcs: &[(u32, u32)]) -> Rows {
        let mut start = vec![0u32; n + 1];
        let mut sorted = arcs.to_vec();
        sorted.sort_unstable();
        for &(a, _) in &sorted {
            if let Some(s) = start.get_mut(a as usize + 1) {
                *s += 1;
            }
        }
        for i in 0..n {
            let prev = start.get(i).copied().unwrap_or(0);
            if let Some(s) = start.get_mut(i + 1) {
                *s += prev;
            }
        }
        Rows {
            start,
            cols: sorted.iter().map(|(_, b)| *b).collect(),
        }
    }

    fn sorted_components(r: &Rows, roots: impl IntoIterator<Item = u32>) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        components(r, roots, |c| {
            let mut c = c.to_vec();
            c.sort_unstable();
            out.push(c);
        });
        out.sort_unstable();
        out
    }

    /// The same components as petgraph's recursive Tarjan, which runs on the rows through
    /// its visit traits (small graphs: the recursion is harmless there).
    #[test]
    fn components_match_petgraph_on_small_graphs() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..300 {
            let n = 1 + (round % 23);
            let m = (next() % (3 * n as u64 + 1)) as usize;
            let arcs: Vec<(u32, u32)> = (0..m)
                .map(|_| ((next() % n as u64) as u32, (next() % n as u64) as u32))
                .collect();
            let mut arcs = arcs;
            arcs.sort_unstable();
            arcs.dedup();
            let r = rows(n, &arcs);
            let ours = sorted_components(&r, 0..n as u32);
            let mut theirs: Vec<Vec<u32>> = petgraph::algo::tarjan_scc(&r)
                .into_iter()
                .map(|mut c| {
                    c.sort_unstable();
                    c
                })
                .collect();
            theirs.sort_unstable();
            assert_eq!(ours, theirs, "{arcs:?}");
        }
    }

    #[test]
    fn components_come_in_reverse_topological_order_and_only_from_the_roots() {
        // 0 -> 1 <-> 2 -> 3; 4 -> 0 (not reached from 0).
        let r = rows(5, &[(0, 1), (1, 2), (2, 1), (2, 3), (4, 0)]);
        let mut found = Vec::new();
        let comp = components(&r, [0], |c| {
            let mut c = c.to_vec();
            c.sort_unstable();
            found.push(c);
        });
        assert_eq!(found, vec![vec![3], vec![1, 2], vec![0]]);
        assert_eq!(comp, vec![2, 1, 1, 0, NONE]);
    }

    /// A path of a million nodes, on a thread with a 256 kB stack: no recursion.
    #[test]
    fn a_million_long_path_needs_no_deep_stack() {
        let run = || {
            let n = 1_000_000u32;
            let arcs: Vec<(u32, u32)> =
                (0..n - 1).map(|i| (i, i + 1)).chain([(n - 1, 0)]).collect();
            let r = rows(n as usize, &arcs);
            let mut sizes = Vec::new();
            components(&r, 0..n, |c| sizes.push(c.len()));
            sizes
        };
        let sizes = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(run)
            .map(|h| h.join());
        assert!(matches!(sizes, Ok(Ok(ref s)) if s == &[1_000_000]));
    }
}
