#!/usr/bin/env python3
"""The Python peer of `bench-continuity`: when each service is back after a disruption,
computed the way a user would with networkx (strongly connected components, a topological
pass over them), by the rules of docs/continuity.md.

`cargo run --release -p itsm-examples --bin bench-continuity` installs networkx into the
benchmarks' virtual environment under the Cargo target folder, writes the generated CMDB to
a text file and runs this script with that environment's interpreter.

Input (CMDB_FILE), text:
    nodes N, then per node: KIND (s service, c configuration item, g group) RTA_SECONDS (-1
        none) SITE (- none) NEED (a group's member weight needed to hold, else 0)
    arcs M, then per arc: FROM TO PASSES (1: the failure passes as it is) COUNTS (member
        weight, 0 for none); FROM's failure reaches TO, so TO waits on FROM
    objectives K, then per objective: NODE RTO_SECONDS

The rules, per scenario (everything lost after dependencies, everything side by side, site-03
lost after dependencies): lost configuration items come back their RTA after (or, side by
side, no earlier than their RTA and) what they wait on; other nodes when what they wait on
is; a group when the members back reach its need and its plain waits are back; nodes on a
cycle are recovered side by side, each after what it waits on outside, and are back with the
last (the generated CMDB's cycles are services calling each other); a lost item without an
RTA is never back, nor anything waiting on it.

Stdout, parsed by `bench-continuity`:
    python networkx <version>: graph built in <ms> ms (not timed)
    python <scenario> ms: <median ms of REPS runs>
    python summary <scenario>: ok <n> late <n> never <n> sum <seconds> all <seconds or -1>

Usage: continuity_recover.py CMDB_FILE REPS
"""

import gc
import sys
import time

import networkx as nx

INF = float("inf")


def read(path):
    with open(path) as f:
        head = f.readline().split()
        n = int(head[1])
        kind, rta, site, need = [], [], [], []
        for _ in range(n):
            k, r, s, q = f.readline().split()
            kind.append(k)
            rta.append(int(r))
            site.append(s)
            need.append(int(q))
        m = int(f.readline().split()[1])
        arcs = []
        for _ in range(m):
            u, v, p, c = f.readline().split()
            arcs.append((int(u), int(v), p == "1", int(c)))
        k = int(f.readline().split()[1])
        objectives = []
        for _ in range(k):
            v, r = f.readline().split()
            objectives.append((int(v), int(r)))
    return kind, rta, site, need, arcs, objectives


def recover(g, kind, rta, need, preds, lost, parallel):
    """Times per node: a topological pass over the strongly connected components."""
    n = len(kind)
    comps = list(nx.strongly_connected_components(g))
    cond = nx.condensation(g, scc=comps)
    member_of = cond.graph["mapping"]
    t = [INF] * n

    def own(v, w):
        if w == INF:
            return INF
        if not lost[v]:
            return w
        if rta[v] < 0:
            return INF
        return max(w, rta[v]) if parallel else w + rta[v]

    def alone(v):
        w = 0
        members = []
        for u, passes, counts in preds[v]:
            if passes:
                w = max(w, t[u])
            if counts:
                members.append((t[u], counts))
        if kind[v] == "g":
            members.sort()
            have, kth = 0, INF if need[v] > 0 else 0
            for tu, c in members:
                if tu == INF:
                    break
                have += c
                if have >= need[v]:
                    kth = tu
                    break
            w = max(w, kth)
            return w
        return own(v, w)

    for c in nx.topological_sort(cond):
        nodes = cond.nodes[c]["members"]
        if len(nodes) == 1:
            (v,) = nodes
            t[v] = alone(v)
            continue
        back = 0
        for v in nodes:
            w = 0
            for u, passes, _ in preds[v]:
                if passes and member_of[u] != c:
                    w = max(w, t[u])
            back = max(back, own(v, w))
        for v in nodes:
            t[v] = back
    return t


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    kind, rta, site, need, arcs, objectives = read(path)
    n = len(kind)
    t0 = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from((u, v) for u, v, _, _ in arcs)
    preds = [[] for _ in range(n)]
    for u, v, p, c in arcs:
        preds[v].append((u, p, c))
    print(
        f"python networkx {nx.__version__}: graph built in {(time.perf_counter() - t0) * 1e3:.0f} ms (not timed)",
        flush=True,
    )
    scenarios = [
        ("everything-after", lambda v: kind[v] == "c", False),
        ("everything-parallel", lambda v: kind[v] == "c", True),
        ("site-03", lambda v: kind[v] == "c" and site[v] == "site-03", False),
    ]
    for name, is_lost, parallel in scenarios:
        lost = [is_lost(v) for v in range(n)]
        times = []
        t = None
        for _ in range(reps):
            gc.disable()
            s = time.perf_counter()
            t = recover(g, kind, rta, need, preds, lost, parallel)
            times.append((time.perf_counter() - s) * 1e3)
            gc.enable()
        times.sort()
        print(f"python {name} ms: {times[len(times) // 2]:.0f}", flush=True)
        ok = late = never = total = 0
        for v, rto in objectives:
            if t[v] == INF:
                never += 1
            elif t[v] <= rto:
                ok += 1
                total += t[v]
            else:
                late += 1
                total += t[v]
        down = [t[v] for v in range(n) if t[v] != INF and (t[v] > 0 or lost[v])]
        last = max(down) if down else -1
        print(f"python summary {name}: ok {ok} late {late} never {never} sum {total} all {last}", flush=True)


if __name__ == "__main__":
    main()
