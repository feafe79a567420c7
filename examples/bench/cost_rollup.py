#!/usr/bin/env python3
"""The Python peer of `bench-cost`: a month's costs rolled up a CMDB the way a user would with
networkx (the condensation of the graph, a topological pass over it), by the rules of
docs/cost.md: rate cards per class, distribution costs split evenly over a site's items in
node order, each node's total split evenly over its paths up (the first paths, in the order
of their parents and then the edge list, one minor unit more), nodes that reach each other
costed as one pool whose cost leaves by its paths out, services' costs allocated to cost
centres by units over their total units (largest remainders, the unallocated rest last).

`cargo run --release -p itsm-examples --bin bench-cost` installs networkx into the benchmarks'
virtual environment under the Cargo target folder, writes the generated CMDB to a text file
and runs this script with that environment's interpreter.

Stdout, parsed by `bench-cost`:
    python networkx <version>: input read in <ms> ms (not timed)
    python costing ms: <median ms of REPS runs>
    python summary: services <n> stranded <n> allocated <n> unallocated <n> pools <n> check <n>

Usage: cost_rollup.py CMDB_FILE REPS
"""

import gc
import sys
import time

import networkx as nx


def read(path):
    with open(path) as f:
        _, n_nodes, n_groups = f.readline().split()
        n_nodes, n_groups = int(n_nodes), int(n_groups)
        kind, cls, site = [], [], []
        for _ in range(n_nodes):
            k, c, s = f.readline().split()
            kind.append(k)
            cls.append(c)
            site.append(s)
        for _ in range(n_groups):
            kind.append("g")
            cls.append(None)
            site.append(None)
        m = int(f.readline().split()[1])
        edges = [tuple(map(int, f.readline().split())) for _ in range(m)]
        g = int(f.readline().split()[1])
        groups = [list(map(int, f.readline().split())) for _ in range(g)]
        k = int(f.readline().split()[1])
        cards = []
        for _ in range(k):
            classes, per = f.readline().split()
            cards.append((set(classes.split(",")), int(per)))
        k = int(f.readline().split()[1])
        dists = []
        for _ in range(k):
            sites, amount = f.readline().split()
            dists.append((set(sites.split(",")), int(amount)))
        k = int(f.readline().split()[1])
        expenses = []
        for _ in range(k):
            node, amount = f.readline().split()
            expenses.append((int(node), int(amount)))
        k = int(f.readline().split()[1])
        units = []
        for _ in range(k):
            parts = f.readline().split()
            consumers = []
            for p in parts[2:]:
                c, u = p.rsplit(":", 1)
                consumers.append((c, int(u)))
            units.append((int(parts[0]), int(parts[1]), consumers))
    return n_nodes, n_groups, kind, cls, site, edges, groups, cards, dists, expenses, units


def even(amount, k, rank):
    """The rank-th of k even pieces: rounded towards zero, the first |amount mod k| one more."""
    q = abs(amount) // k
    r = abs(amount) % k
    piece = q + (1 if rank < r else 0)
    return -piece if amount < 0 else piece


def split(amount, weights, denominator):
    """Largest remainders, the rest (denominator minus the weights) as the last piece."""
    mag = abs(amount)
    pieces = list(weights) + [denominator - sum(weights)]
    shares = [(mag * w // denominator, mag * w % denominator) for w in pieces]
    left = mag - sum(s for s, _ in shares)
    order = sorted(range(len(pieces)), key=lambda i: (-shares[i][1], i))
    out = [s for s, _ in shares]
    for i in order[:left]:
        out[i] += 1
    return [-x if amount < 0 else x for x in out]


def cost(data):
    n_nodes, n_groups, kind, cls, site, edges, groups, cards, dists, expenses, units = data
    n = n_nodes + n_groups
    direct = [0] * n
    for classes, per in cards:
        for i in range(n_nodes):
            if cls[i] in classes:
                direct[i] += per
    for sites, amount in dists:
        chosen = [i for i in range(n_nodes) if site[i] in sites]
        for rank, i in enumerate(chosen):
            direct[i] += even(amount, len(chosen), rank)
    for node, amount in expenses:
        direct[node] += amount
    # Arcs child -> parent: every relation here carries cost from `to` up to `from`; a
    # member's cost reaches its group. Order per child: by parent, then as created.
    arcs = [(to, frm, k) for k, (frm, to) in enumerate(edges)]
    base = len(arcs)
    for gi, members in enumerate(groups):
        for m in members:
            arcs.append((m, n_nodes + gi, base))
            base += 1
    arcs.sort()
    up = [[] for _ in range(n)]
    for child, parent, _ in arcs:
        up[child].append(parent)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((c, p) for c, p, _ in arcs)
    cond = nx.condensation(graph)
    inherited = [0] * n
    pooled = [False] * n
    pool_exits = {}
    pools = 0
    for c in nx.topological_sort(cond):
        members = sorted(cond.nodes[c]["members"])
        first = members[0]
        if len(members) == 1 and first not in up[first]:
            total = direct[first] + inherited[first]
            k = len(up[first])
            for rank, p in enumerate(up[first]):
                inherited[p] += even(total, k, rank)
            continue
        pools += 1
        inside = set(members)
        total = sum(direct[m] + inherited[m] for m in members)
        exits = [p for m in members for p in up[m] if p not in inside]
        for rank, p in enumerate(exits):
            inherited[p] += even(total, len(exits), rank)
        for m in members:
            pooled[m] = True
            pool_exits[m] = len(exits)
    totals = [direct[i] + inherited[i] for i in range(n)]
    services = stranded = 0
    for i in range(n):
        if pooled[i]:
            kept = totals[i] if pool_exits[i] == 0 else 0
        else:
            kept = totals[i] if not up[i] else 0
        if kind[i] == "s":
            services += kept
        else:
            stranded += kept
    allocated = unallocated = 0
    for service, total_units, consumers in units:
        pieces = split(totals[service], [u for _, u in consumers], total_units)
        allocated += sum(pieces[:-1])
        unallocated += pieces[-1]
    check = sum(t * (i % 1000 + 1) for i, t in enumerate(totals))
    return (
        f"services {services} stranded {stranded} allocated {allocated} "
        f"unallocated {unallocated} pools {pools} check {check}"
    )


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    data = read(path)
    print(f"python networkx {nx.__version__}: input read in {(time.perf_counter() - t0) * 1e3:.0f} ms (not timed)")
    times = []
    summary = None
    for _ in range(reps):
        gc.collect()
        t = time.perf_counter()
        summary = cost(data)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    print(f"python costing ms: {times[len(times) // 2]:.0f}")
    print(f"python summary: {summary}")


if __name__ == "__main__":
    main()
