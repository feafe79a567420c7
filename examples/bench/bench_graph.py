#!/usr/bin/env python3
"""The Python peers of `bench-graph`: rustworkx, igraph and networkx on the same graphs and seeds.

`cargo run --release -p itsm-examples --bin bench-graph` installs rustworkx, python-igraph and
networkx into a virtual environment under the Cargo target folder, writes each graph to a
binary file, runs this script once per file with that environment's interpreter, then
compares the answers with its own.

Input (GRAPH_FILE): little-endian unsigned 32-bit words, read with the `array` module:
    1, NODES, ARCS, FULL_SEED, REPS_FULL, REPS_SMALL, REPS_MULTI, K_SMALL, K_MULTI,
    K_SMALL single-node seeds, K_MULTI seeds failing together,
    ARCS pairs FROM TO (failure of FROM reaches TO; the graph compiled by itsm-graph, groups
    included as ordinary nodes, duplicates merged).

For each library in turn the script builds the graph (not timed; printed), adds one extra
source node with an arc to each multi-node seed (so that a multi-node failure is one
traversal, as it is for us), then times, on the benchmark thread's on-CPU clock
(`time.thread_time_ns`; the wall clock beside it) with the garbage collector off:
    full    the nodes reachable from FULL_SEED (median of REPS_FULL samples after a warm-up);
    small   the K_SMALL single-node queries one after the other (median of REPS_SMALL samples);
    multi   the nodes reachable from the extra source (median of REPS_MULTI samples).
The calls: `rustworkx.descendants(g, s)`, `igraph.Graph.subcomponent(s, mode="out")`,
`networkx.descendants(G, s)`. networkx (seconds per full traversal of a million nodes: 17 s
in the issue's measurement) runs the full traversal and the multi-node failure once each,
without a warm-up, and no small queries.

Stdout, one line each, parsed by `bench-graph`:
    <peer> <version>: build <ms> ms (not timed in the comparisons); ...
    <peer> <kind>: <cpu ms> ms on CPU (min <ms>, max <ms>; wall <wall ms>; median of <samples>)
    <peer>: skipped (<reason>)
    result <peer> <kind> <index> <count> <crc32 hex>   (one per answer: the number of nodes
        reached, seeds included and the extra source excluded, and the CRC-32 of their sorted
        indices as little-endian u32, as `bench-graph` computes it)

Usage: bench_graph.py GRAPH_FILE [--skip NAME]...
"""

import array
import gc
import importlib
import importlib.metadata
import resource
import statistics
import sys
import time
import zlib


def load(path):
    """The header, seeds and arcs of GRAPH_FILE."""
    words = array.array("I")
    if words.itemsize != 4:
        raise RuntimeError(f"array 'I' has {words.itemsize} bytes on this platform, not 4")
    with open(path, "rb") as f:
        words.frombytes(f.read())
    if sys.byteorder == "big":
        words.byteswap()
    version, n, m, full, reps_full, reps_small, reps_multi, k_small, k_multi = words[:9]
    if version != 1:
        raise RuntimeError(f"graph file version {version}, expected 1")
    at = 9
    small = words[at : at + k_small].tolist()
    at += k_small
    multi = words[at : at + k_multi].tolist()
    at += k_multi
    arcs = words[at : at + 2 * m]
    if len(arcs) != 2 * m:
        raise RuntimeError(f"graph file holds {len(arcs) // 2} arcs, header says {m}")
    return {
        "n": n,
        "m": m,
        "full": full,
        "small": small,
        "multi": multi,
        "reps": {"full": reps_full, "small": reps_small, "multi": reps_multi},
        "arcs": arcs,
    }


def edge_list(g):
    """The arcs as a list of (from, to) tuples, plus one from the extra source to each
    multi-node seed."""
    arcs = g["arcs"]
    pairs = list(zip(arcs[0::2], arcs[1::2]))
    source = g["n"]
    pairs.extend((source, s) for s in g["multi"])
    return pairs


def digest(nodes):
    """(count, CRC-32 of the sorted indices as little-endian u32)."""
    ordered = array.array("I", sorted(nodes))
    if sys.byteorder == "big":
        ordered.byteswap()
    return len(ordered), zlib.crc32(ordered.tobytes())


def timed(call, reps, warm_up=True):
    """Median on-CPU and wall milliseconds of `call()` over `reps` samples, with the
    collector off."""
    gc.collect()
    gc.disable()
    try:
        if warm_up:
            call()
        cpu, wall = [], []
        for _ in range(max(1, reps)):
            c0, w0 = time.thread_time_ns(), time.perf_counter_ns()
            call()
            cpu.append((time.thread_time_ns() - c0) / 1e6)
            wall.append((time.perf_counter_ns() - w0) / 1e6)
    finally:
        gc.enable()
    return statistics.median(cpu), statistics.median(wall), len(cpu), min(cpu), max(cpu)


def say(line):
    print(line, flush=True)


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Rustworkx:
    name, module, dist = "rustworkx", "rustworkx", "rustworkx"

    def __init__(self, rx):
        self.rx = rx

    def build(self, n, pairs):
        g = self.rx.PyDiGraph(check_cycle=False, multigraph=True)
        g.add_nodes_from([None] * (n + 1))
        g.add_edges_from_no_data(pairs)
        return g

    def reach(self, g, s):
        return self.rx.descendants(g, s)

    def reached(self, result, s, source):
        # descendants leaves out the node itself.
        if s == source:
            return result
        result = set(result)
        result.add(s)
        return result


class Igraph:
    name, module, dist = "igraph", "igraph", "igraph"

    def __init__(self, ig):
        self.ig = ig

    def build(self, n, pairs):
        return self.ig.Graph(n=n + 1, edges=pairs, directed=True)

    def reach(self, g, s):
        return g.subcomponent(s, mode="out")

    def reached(self, result, s, source):
        # subcomponent includes the node itself.
        return [v for v in result if v != source] if s == source else result


class Networkx:
    name, module, dist = "networkx", "networkx", "networkx"

    def __init__(self, nx):
        self.nx = nx

    def build(self, n, pairs):
        g = self.nx.DiGraph()
        g.add_nodes_from(range(n + 1))
        g.add_edges_from(pairs)
        return g

    def reach(self, g, s):
        return self.nx.descendants(g, s)

    def reached(self, result, s, source):
        if s == source:
            return result
        result = set(result)
        result.add(s)
        return result


def run_peer(peer, g, pairs):
    name = peer.name
    n = g["n"]
    source = n
    slow = name == "networkx"
    t0 = time.perf_counter_ns()
    graph = peer.build(n, pairs)
    build_ms = (time.perf_counter_ns() - t0) / 1e6
    say(
        f"{name} {importlib.metadata.version(peer.dist)}: build {build_ms:.0f} ms (not timed in "
        f"the comparisons); python process peak so far {peak_mb():.0f} MB"
    )

    def report(kind, figures):
        cpu, wall, reps, low, high = figures
        say(
            f"{name} {kind}: {cpu:.1f} ms on CPU (min {low:.1f}, max {high:.1f}; wall {wall:.1f}; "
            f"median of {reps})"
        )

    reps = g["reps"]
    full = g["full"]
    report("full", timed(lambda: peer.reach(graph, full), 1 if slow else reps["full"], not slow))
    if slow:
        say(f"{name} small: not run (networkx runs the full traversal and the multi-node failure only)")
    else:
        small = g["small"]

        def small_pass():
            for s in small:
                peer.reach(graph, s)

        report("small", timed(small_pass, reps["small"], False))
    report(
        "multi", timed(lambda: peer.reach(graph, source), 1 if slow else reps["multi"], not slow)
    )

    # Answers, untimed.
    count, crc = digest(peer.reached(peer.reach(graph, full), full, source))
    say(f"result {name} full 0 {count} {crc:08x}")
    if not slow:
        for i, s in enumerate(g["small"]):
            count, crc = digest(peer.reached(peer.reach(graph, s), s, source))
            say(f"result {name} small {i} {count} {crc:08x}")
    count, crc = digest(peer.reached(peer.reach(graph, source), source, source))
    say(f"result {name} multi 0 {count} {crc:08x}")
    del graph
    gc.collect()


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path, skip = args[0], set()
    rest = args[1:]
    while rest:
        if rest[0] == "--skip" and len(rest) > 1:
            skip.add(rest[1])
            rest = rest[2:]
        else:
            sys.exit(f"unknown argument {rest[0]}")
    g = load(path)
    pairs = edge_list(g)
    say(
        f"python {sys.version.split()[0]}: {g['n']} nodes and {g['m']} arcs read, plus an extra "
        f"source with {len(g['multi'])} arcs for the multi-node failure"
    )
    for peer_class in (Rustworkx, Igraph, Networkx):
        name = peer_class.name
        if name in skip:
            continue
        try:
            module = importlib.import_module(peer_class.module)
        except Exception as e:  # noqa: BLE001 - any import failure means the peer is skipped
            say(f"{name}: skipped (import failed: {type(e).__name__}: {e})")
            continue
        try:
            run_peer(peer_class(module), g, pairs)
        except MemoryError:
            gc.collect()
            say(f"{name}: skipped (out of memory)")


if __name__ == "__main__":
    main()
