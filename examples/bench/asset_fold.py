#!/usr/bin/env python3
"""The peer of `bench-asset`: the plain Python asset register a user would otherwise write,
with the same rules as `itsm_asset::Policy::servicenow()` for the commands the benchmark
sends: laptops assigned (from available or reserved, not someone else's reservation),
returned (from in use), reserved (from available), transferred (from in stock to another
stockroom) and advanced through the transfer order stages, set to in maintenance or back in
stock by hand (not while a transfer is under way); consumables consumed from in stock and
available, part of a record split off into a new one unless an identical consumed record
(same model, stockroom and user) takes the items, a record emptied removed.

Reads the workload `bench-asset` writes (a header: laptops, models, rooms, items per
consumable record; then one line per command: a code, a tab, four numbers), builds the
estate, then runs the loop REPETITIONS times on a fresh estate and prints the median
commands/s, again with each event recorded as a tuple (as an event-sourced host keeps what
`decide` returns), and a summary line that must equal the Rust one. The garbage collector is
off while timing.

Usage: python3 asset_fold.py WORKLOAD.tsv [REPETITIONS]
"""

import gc
import statistics
import sys
import time

# record fields: 0 model, 1 quantity, 2 status, 3 substate, 4 room, 5 assigned,
# 6 reserved, 7 transfer ([from, to, stage] or None), 8 consumable
ASSIGNABLE = ("available", "reserved", "pending_install")


def estate(laptops, models, rooms, stock):
    recs, index = {}, {}
    for n in range(1, laptops + 1):
        recs[n] = ["Latitude 5520", 1, "in_stock", "available", f"room-{n % rooms}", None, None, None, False]
    for m in range(models):
        for r in range(rooms):
            i = laptops + 1 + m * rooms + r
            recs[i] = [f"model-{m}", stock, "in_stock", "available", f"room-{r}", None, None, None, True]
            index[(f"model-{m}", "in_stock", "available", f"room-{r}", None)] = i
    return recs, index


def key(rec):
    if not rec[8] or rec[7] is not None or rec[3] == "pending_disposal":
        return None
    return (rec[0], rec[2], rec[3], rec[4], rec[5])


def run(ops, recs, index, log=None):
    """The loop; with `log` (a list), also records each event as a tuple."""
    record = log.append if log is not None else None
    accepted = refused = split = merged = 0
    for code, a, b, c, d in ops:
        rec = recs.get(a)
        if rec is None or (rec[7] is not None and code != "X"):
            refused += 1
            continue
        if code == "A":
            if rec[8] or rec[2] != "in_stock" or rec[3] not in ASSIGNABLE or (rec[6] is not None and rec[6] != b):
                refused += 1
                continue
            rec[2], rec[3], rec[4], rec[5], rec[6] = "in_use", None, None, b, None
            if record:
                record(("moved", a, "in_use", None, None, b))
        elif code == "R":
            if rec[8] or rec[2] != "in_use":
                refused += 1
                continue
            rec[2], rec[3], rec[4], rec[5], rec[6] = "in_stock", "available", f"room-{b}", None, None
            if record:
                record(("moved", a, "in_stock", "available", rec[4], None))
        elif code == "C":
            if not rec[8] or rec[2] != "in_stock" or rec[3] != "available" or b > rec[1] or d in recs:
                refused += 1
                continue
            target_key = (rec[0], "consumed", None, rec[4], c)
            target = index.get(target_key)
            if target is not None and target != a:
                merged += 1
                rec[1] -= b
                if rec[1] == 0:
                    k = key(rec)
                    if index.get(k) == a:
                        del index[k]
                    del recs[a]
                recs[target][1] += b
                if record:
                    record(("merged", a, target, b))
            elif b == rec[1]:
                k = key(rec)
                if index.get(k) == a:
                    del index[k]
                rec[2], rec[3], rec[5] = "consumed", None, c
                index.setdefault(target_key, a)
                if record:
                    record(("moved", a, "consumed", None, rec[4], c))
            else:
                split += 1
                rec[1] -= b
                recs[d] = [rec[0], b, "consumed", None, rec[4], c, None, None, True]
                index.setdefault(target_key, d)
                if record:
                    record(("split", a, d, b))
                    record(("moved", d, "consumed", None, rec[4], c))
        elif code == "V":
            if rec[8] or rec[2] != "in_stock" or rec[3] != "available":
                refused += 1
                continue
            rec[3], rec[6] = "reserved", b
            if record:
                record(("moved", a, "in_stock", "reserved", rec[4], b))
        elif code == "T":
            to = f"room-{b}"
            if rec[2] != "in_stock" or rec[4] == to:
                refused += 1
                continue
            rec[3], rec[6], rec[7] = "pending_transfer", None, [rec[4], to, 0]
            if record:
                record(("moved", a, "in_stock", "pending_transfer", rec[4], to))
        elif code == "X":
            t = rec[7]
            if t is None:
                refused += 1
                continue
            stage = t[2] + 1
            if stage <= 2:
                t[2] = stage
            elif stage == 3:
                rec[2], rec[3], rec[4], rec[5], rec[6] = "in_transit", "reserved", None, None, None
                t[2] = stage
            elif stage == 4:
                rec[2], rec[3], rec[4], rec[5], rec[6] = "in_stock", "available", t[1], None, None
                t[2] = stage
            elif stage == 5:
                rec[2], rec[3], rec[4], rec[5], rec[6] = "in_stock", "reserved", t[1], None, None
                t[2] = stage
            else:
                rec[2], rec[3], rec[4], rec[5], rec[6], rec[7] = "in_stock", "reserved", t[1], None, None, None
            if record:
                record(("moved", a, rec[2], rec[3], rec[4], stage))
        elif code == "M":
            rec[2], rec[3], rec[4], rec[5], rec[6] = "in_maintenance", None, None, None, None
            if record:
                record(("moved", a, "in_maintenance", None, None, None))
        else:
            rec[2], rec[3], rec[4], rec[5], rec[6] = "in_stock", "available", f"room-{b}", None, None
            if record:
                record(("moved", a, "in_stock", "available", rec[4], None))
        accepted += 1
    in_use = sum(r[1] for r in recs.values() if r[2] == "in_use")
    available = sum(r[1] for r in recs.values() if r[2] == "in_stock" and r[3] == "available")
    return (
        f"accepted {accepted} refused {refused} split {split} merged {merged} "
        f"records {len(recs)} in_use {in_use} available {available}"
    )


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, "rb") as f:
        header = [int(x) for x in f.readline().split(b"\t")]
        ops = []
        for line in f:
            code, a, b, c, d = line.rstrip(b"\n").split(b"\t")
            ops.append((code.decode(), int(a), int(b), int(c), int(d)))
    gc.disable()
    times, logged, summary = [], [], None
    for _ in range(reps):
        recs, index = estate(*header)
        start = time.perf_counter()
        summary = run(ops, recs, index)
        times.append(time.perf_counter() - start)
    for _ in range(reps):
        recs, index = estate(*header)
        log = []
        start = time.perf_counter()
        again = run(ops, recs, index, log)
        logged.append(time.perf_counter() - start)
        assert again == summary
        del log
    gc.enable()
    print(f"python commands/s: {len(ops) / statistics.median(times):.0f}")
    print(f"python commands/s with event records: {len(ops) / statistics.median(logged):.0f}")
    print(f"python summary: {summary}")


if __name__ == "__main__":
    main()
