#!/usr/bin/env python3
"""The peer of `bench-licence`: the plain Python reconciliation a user would otherwise write,
with the same rules as `itsm_licence::reconcile` under `Policy::servicenow()` (docs/licence.md):
allocations first, by entitlement then licensee; then groups of installs with the same model,
device and user (installs before subscriptions), each taking an unlimited entitlement covering
it, else the counted one with rights left that licenses its whole device or user for the least
cost (exact model before a downgrade, then entitlement order); named metrics only by allocation.

Reads the snapshot `bench-licence` writes (ids are numbers whose order is the Rust ids'
order; one record a line, a tag then tab-separated numbers):
  M model downgrade,downgrade,...      (a model's downgrade list)
  D device processors cores            (0: not discovered)
  I model device user                  (-1: no user)
  S model user                         (a subscription)
  E model metric a b rights cost       (active only; rights -1: unlimited)
  L entitlement licensee quantity      (an allocation of the E line numbered entitlement)
Metric codes: 0 per device, 1 per user, 2 named device, 3 named user (a: installs a right,
0 unlimited), 4 per core (a: cores a processor, b: a server), 5 per processor (a: cores
each, 0 any), 6 device CAL, 7 user CAL, 8 user subscription.

Runs the reconciliation REPETITIONS times and prints the median records/s and a summary that
must equal the Rust one. The garbage collector is off while timing.

Usage: python3 licence_reconcile.py SNAPSHOT.tsv [REPETITIONS]
"""

import gc
import statistics
import sys
import time

DEVICE_METRICS = (0, 2, 4, 5, 6)


def read(path):
    downgrades, devices, installs, subs, ents = {}, {}, [], [], []
    with open(path) as f:
        for line in f:
            tag, *rest = line.rstrip("\n").split("\t")
            if tag == "M":
                downgrades[int(rest[0])] = [int(x) for x in rest[1].split(",") if x]
            elif tag == "D":
                devices[int(rest[0])] = (int(rest[1]), int(rest[2]))
            elif tag == "I":
                installs.append((int(rest[0]), int(rest[1]), int(rest[2])))
            elif tag == "S":
                subs.append((int(rest[0]), int(rest[1])))
            elif tag == "E":
                model, metric, a, b, rights, cost = map(int, rest)
                ents.append([model, metric, a, b, rights, cost, []])
            elif tag == "L":
                ents[int(rest[0])][6].append((int(rest[1]), int(rest[2])))
    return downgrades, devices, installs, subs, ents


def required(metric, a, b, hw, n):
    if n == 0:
        return None
    if metric in (0, 1, 2, 3):
        return max(1, -(-n // a)) if a else 1
    if metric in (4, 5):
        p, c = hw
        if p == 0 or c == 0:
            return None
        if metric == 4:
            return max(p * max(a, c), b)
        return p * -(-c // a) if a else p
    if metric in (6, 7):
        return 1
    return n


def reconcile(snapshot):
    downgrades, devices, installs, subs, ents = snapshot
    # records: (subscription, model, device, user); pools 0 device, 1 user, 2 subscriptions
    recs = [(0, m, d, u) for (m, d, u) in installs] + [(1, m, -1, u) for (m, u) in subs]
    buckets, uncovered, by_lic = {}, {}, {}
    rec_buckets = []
    for i, (sub, m, d, u) in enumerate(recs):
        keys = [(2, u, m)] if sub else ([(0, d, m)] + ([(1, u, m)] if u >= 0 else []))
        for k in keys:
            if k not in buckets:
                buckets[k] = []
                uncovered[k] = 0
                by_lic.setdefault(k[:2], []).append(k)
            buckets[k].append(i)
            uncovered[k] += 1
        rec_buckets.append(keys)
    covered = [None] * len(recs)
    info = []
    for e in ents:
        model, metric = e[0], e[1]
        covers = [model] + (downgrades.get(model, []) if metric != 8 else [])
        pool = 2 if metric == 8 else (0 if metric in DEVICE_METRICS else 1)
        info.append((covers, set(covers), pool))
    remaining = [(r - sum(q for _, q in e[6])) if r >= 0 else None for e in ents for r in [e[4]]]
    used = [0] * len(ents)
    alloc_unused = [0] * len(ents)

    def keys_of(k, lic):
        covers, cset, pool = info[k]
        mine = by_lic.get((pool, lic), ())
        if len(mine) < len(covers):
            return [key for key in mine if key[2] in cset]
        return [key for key in ((pool, lic, m) for m in covers) if key in buckets]

    def count(k, lic):
        return sum(uncovered[key] for key in keys_of(k, lic))

    def need(k, lic, n):
        e = ents[k]
        hw = devices.get(lic, (0, 0)) if info[k][2] == 0 else (0, 0)
        return required(e[1], e[2], e[3], hw, n)

    def cover(k, lic):
        for key in keys_of(k, lic):
            if uncovered[key] == 0:
                continue
            for r in buckets[key]:
                if covered[r] is None:
                    covered[r] = k
                    for other in rec_buckets[r]:
                        uncovered[other] -= 1

    for k, e in enumerate(ents):
        for lic, q in sorted(e[6]):
            r = need(k, lic, count(k, lic))
            if r is None or (remaining[k] is not None and remaining[k] < max(r - q, 0)):
                alloc_unused[k] += q
                continue
            cover(k, lic)
            in_use = min(q, r)
            used[k] += r
            alloc_unused[k] += q - in_use
            if remaining[k] is not None:
                remaining[k] -= r - in_use

    covering = {}
    for k, e in enumerate(ents):
        for j, m in enumerate(info[k][0]):
            covering.setdefault(m, []).append((k, j > 0))
    order = sorted(range(len(recs)), key=lambda i: (recs[i][0], recs[i][1], recs[i][2] if recs[i][2] >= 0 else 1 << 40, recs[i][3] + 1))
    last = None
    for i in order:
        key = recs[i]
        if key == last:
            continue
        last = key
        if covered[i] is not None:
            continue
        sub, m, d, u = key
        best = None
        for k, dg in covering.get(m, ()):
            e = ents[k]
            pool = info[k][2]
            if e[1] in (2, 3) or (pool == 2) != (sub == 1):
                continue
            lic = d if pool == 0 else u
            if lic < 0:
                continue
            r = need(k, lic, count(k, lic))
            if r is None:
                continue
            if remaining[k] is None:
                rank = (0, 0, dg, k)
            elif remaining[k] < r:
                continue
            else:
                rank = (1, r * e[5], dg, k)
            if best is None or rank < best[0]:
                best = (rank, lic, r)
        if best is not None:
            (_, _, _, k), lic, r = best
            cover(k, lic)
            used[k] += r
            if remaining[k] is not None:
                remaining[k] -= r
    n_inst = len(installs)
    unlic_inst = sum(1 for c in covered[:n_inst] if c is None)
    unlic_subs = sum(1 for c in covered[n_inst:] if c is None)
    return (len(installs), len(subs), unlic_inst, unlic_subs, sum(used), sum(alloc_unused))


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    snapshot = read(path)
    records = len(snapshot[2]) + len(snapshot[3])
    rates, summary = [], None
    gc.disable()
    for _ in range(reps):
        start = time.perf_counter()
        summary = reconcile(snapshot)
        rates.append(records / (time.perf_counter() - start))
    gc.enable()
    print(f"python records/s: {statistics.median(rates):.0f}")
    i, s, ui, us, used, unused = summary
    print(f"python summary: installs {i}, subscriptions {s}, unlicensed installs {ui}, unlicensed subscriptions {us}, rights used {used}, allocated not in use {unused}")


if __name__ == "__main__":
    main()
