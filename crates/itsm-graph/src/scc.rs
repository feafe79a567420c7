//! Strongly connected components without recursion: Pearce's space-efficient variant of
//! Tarjan's algorithm ("A space-efficient algorithm for finding strongly connected
//! components", 2016) with an explicit stack of frames (a node, the position of its next arc
//! and the end of its row), so that a path of a million nodes needs a million small frames on
//! the heap rather than a million calls on the thread's stack. petgraph 0.8's `tarjan_scc`
//! and `TarjanScc` recurse once per node of a path (a chain of about 90,000 nodes overflowed
//! an 8 MB main stack, and the process aborted).
//!
//! Pearce's variant keeps one word per node (`rindex`) where Tarjan's keeps an index, a low
//! link, an on-stack bit and a component number: on a graph larger than the caches each of
//! those is a cache miss per node or per arc, and on a random graph of a million nodes the
//! four arrays made the walk three times slower per node than at 100,000 nodes.

use crate::rows::{NONE, Rows};

/// A frame of the walk: a node, the position of its next arc, the end of its row, and
/// whether it is still the root of its component.
struct Frame {
    v: u32,
    at: u32,
    hi: u32,
    root: bool,
}

/// The strongly connected components of the part of `rows` reachable from `roots`, each
/// handed to `each` as soon as it is complete (a component is found before any component
/// that reaches it: reverse topological order). Returns each node's component number in the
/// order found, [`NONE`] for a node not reached. O(n + m) time, one word of memory a node
/// (plus the stacks).
pub(crate) fn components(
    rows: &Rows,
    roots: impl IntoIterator<Item = u32>,
    mut each: impl FnMut(&[u32]),
) -> Vec<u32> {
    let n = rows.node_count();
    // invariant: a graph holds fewer than 2^31 nodes (`TooLarge` past that).
    let n32 = u32::try_from(n).unwrap_or(NONE - 1);
    // Per node: 0 not yet reached; while on the walk or the stack, the lowest discovery
    // index it reaches (from 1: `index` counts the nodes reached and not yet in a
    // component, so it stays at most n minus the nodes placed); once in a component,
    // `c`, counted down from n. So a placed node's value is above every live index, and
    // `rindex[w] < rindex[v]` holds only for a node w still on the stack.
    let mut rindex = vec![0u32; n];
    let mut index = 1u32;
    let mut c = n32;
    // The nodes visited whose component is not closed yet (Pearce's stack: the non-roots).
    let mut stack: Vec<u32> = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    let mut members: Vec<u32> = Vec::new();
    let at = |rindex: &[u32], v: u32| rindex.get(v as usize).copied().unwrap_or(NONE);
    for root in roots {
        if at(&rindex, root) != 0 {
            continue;
        }
        enter(root, rows, &mut index, &mut rindex, &mut frames);
        while let Some(frame) = frames.last_mut() {
            if frame.at < frame.hi {
                let Some(&w) = rows.cols.get(frame.at as usize) else {
                    frame.at = frame.hi;
                    continue;
                };
                frame.at += 1;
                let rw = at(&rindex, w);
                if rw == 0 {
                    enter(w, rows, &mut index, &mut rindex, &mut frames);
                } else if rw < at(&rindex, frame.v) {
                    if let Some(x) = rindex.get_mut(frame.v as usize) {
                        *x = rw;
                    }
                    frame.root = false;
                }
                continue;
            }
            // Every arc of `v` seen: close its component if it is the root, else leave it on
            // the stack; then pass its value to its parent.
            let Frame { v, root, .. } = *frame;
            frames.pop();
            let rv = at(&rindex, v);
            if root {
                index -= 1;
                members.clear();
                members.push(v);
                while let Some(&w) = stack.last() {
                    if at(&rindex, w) < rv {
                        break;
                    }
                    stack.pop();
                    members.push(w);
                    if let Some(x) = rindex.get_mut(w as usize) {
                        *x = c;
                    }
                    index -= 1;
                }
                if let Some(x) = rindex.get_mut(v as usize) {
                    *x = c;
                }
                c -= 1;
                each(&members);
            } else {
                stack.push(v);
            }
            if let Some(parent) = frames.last_mut() {
                let rv = at(&rindex, v);
                if rv < at(&rindex, parent.v) {
                    if let Some(x) = rindex.get_mut(parent.v as usize) {
                        *x = rv;
                    }
                    parent.root = false;
                }
            }
        }
    }
    // Component numbers in the order found (the first placed got n).
    for x in &mut rindex {
        *x = if *x == 0 { NONE } else { n32 - *x };
    }
    rindex
}

/// Opens a frame for `v`, reached for the first time.
#[inline]
fn enter(v: u32, rows: &Rows, index: &mut u32, rindex: &mut [u32], frames: &mut Vec<Frame>) {
    if let Some(x) = rindex.get_mut(v as usize) {
        *x = *index;
    }
    *index += 1;
    let (lo, hi) = rows.range(v);
    // Read what the walk will read next for each target (its word, its row's start) now,
    // all at once: the reads are independent, so the processor overlaps their cache misses,
    // where the walk would take them one after another, each waiting for the last (on a
    // graph larger than the caches, a descent costs three misses in a row otherwise; reading
    // each target's first arc too did not measurably help). The
    // values are folded and handed to `black_box` only so the reads are not dropped.
    let mut touch = 0u32;
    for &w in rows.cols.get(lo..hi).unwrap_or(&[]) {
        touch ^= rindex.get(w as usize).copied().unwrap_or(0);
        touch ^= rows.start.get(w as usize).copied().unwrap_or(0);
    }
    std::hint::black_box(touch);
    // invariant: arc positions fit in 32 bits (the rows' offsets are `u32`).
    frames.push(Frame {
        v,
        at: u32::try_from(lo).unwrap_or(0),
        hi: u32::try_from(hi).unwrap_or(0),
        root: true,
    });
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
