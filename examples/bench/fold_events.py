#!/usr/bin/env python3
"""The peer of `bench-incident`: the plain Python fold a user would otherwise write.

Reads the stored incident events as an event store's table holds them, one line per event:
the incident's id, a tab, the event's JSON (written by
`cargo run --release -p itsm-examples --bin bench-incident`), then folds them into one dict
of state and counters per incident, in pure Python (standard library only). Two figures,
each the median of repeated runs: the fold alone (the events decoded beforehand, untimed),
and the rebuild, as a host loading its incidents does it: every line (held in memory as
bytes) split at the tab, the event decoded with `json.loads`, and folded as it is read.

To give the peer its best plain-Python showing, the cyclic garbage collector is off while
loading and while folding (the fold makes no cycles); with it on, the hundreds of thousands
of loaded event dicts are traversed again and again and the fold runs about half as fast.

Usage: python3 fold_events.py EVENTS.tsv [REPETITIONS]
"""

import gc
import json
import statistics
import sys
import time


def decode(lines):
    """The (incident id, event dict) pairs of the stored lines, in stored order, one by one."""
    for line in lines:
        incident_id, event = line.split(b"\t", 1)
        yield incident_id.decode(), json.loads(event)


def fold(records):
    """Per-incident dicts, as `evolve` folds them (same rules, same counters)."""
    incidents = {}
    for incident_id, event in records:
        kind = event["type"]
        if kind == "reported":
            report = event["report"]
            incidents[incident_id] = {
                "status": "new",
                "caller": report["caller"],
                "category": report["category"],
                "impact": report["impact"],
                "urgency": report["urgency"],
                "priority": event["priority"],
                "assignment": None,
                "reassignment_count": 0,
                "reopen_count": 0,
                "hold_reason": None,
                "resolution_code": None,
                "auto_closed": False,
                "escalation": {"functional": 0, "hierarchical": 0},
                "major": False,
                "problems": set(),
                "opened_at": event["at"],
                "updated_at": event["at"],
            }
            continue
        incident = incidents.get(incident_id)
        if incident is None:
            continue
        if kind == "assigned":
            incident["assignment"] = (event["group"], event["person"])
            if event["reassignment"]:
                incident["reassignment_count"] += 1
        elif kind in ("work_started", "resumed", "caller_responded"):
            incident["status"] = "in_progress"
            incident["hold_reason"] = None
        elif kind == "put_on_hold":
            incident["status"] = "on_hold"
            incident["hold_reason"] = event["reason"]
        elif kind == "resolved":
            incident["status"] = "resolved"
            incident["resolution_code"] = event["code"]
            incident["resolved_at"] = event["at"]
        elif kind == "closed":
            incident["status"] = "closed"
            incident["auto_closed"] = event["auto"]
            incident["closed_at"] = event["at"]
        elif kind == "reopened":
            incident["status"] = "in_progress"
            incident["reopen_count"] += 1
        elif kind == "reprioritized":
            incident["impact"] = event["impact"]
            incident["urgency"] = event["urgency"]
            incident["priority"] = event["priority"]
        elif kind == "escalated":
            levels = incident["escalation"]
            levels[event["kind"]] = max(levels[event["kind"]], event["level"])
        elif kind == "canceled":
            incident["status"] = "canceled"
            incident["cancel_reason"] = event["reason"]
        elif kind == "linked":
            link = event["link"]
            if link["kind"] == "problem":
                incident["problems"].add(link["id"])
        elif kind == "major_declared":
            incident["major"] = True
        elif kind == "major_stood_down":
            incident["major"] = False
        incident["updated_at"] = event["at"]
    return incidents


def summary(incidents):
    """The line `bench-incident` prints for its own fold, to cross-check."""
    counts = dict.fromkeys(
        ("new", "in_progress", "on_hold", "resolved", "closed", "canceled"), 0
    )
    auto_closed = reassignments = reopens = priority_sum = 0
    for incident in incidents.values():
        counts[incident["status"]] += 1
        auto_closed += incident["status"] == "closed" and incident["auto_closed"]
        reassignments += incident["reassignment_count"]
        reopens += incident["reopen_count"]
        priority_sum += incident["priority"]
    return (
        f"summary: incidents={len(incidents)} new={counts['new']} "
        f"in_progress={counts['in_progress']} on_hold={counts['on_hold']} "
        f"resolved={counts['resolved']} closed={counts['closed']} "
        f"auto_closed={auto_closed} canceled={counts['canceled']} "
        f"reassignments={reassignments} reopens={reopens} priority_sum={priority_sum}"
    )


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    path = sys.argv[1]
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    gc.disable()
    with open(path, "rb") as file:
        lines = file.read().splitlines()
    started = time.perf_counter()
    records = list(decode(lines))
    loaded = time.perf_counter() - started
    print(f"python loaded {len(records)} events in {loaded:.2f} s (untimed)")
    rates = []
    # Each run's rate divided by the share of the wall time the process was on a CPU: an
    # estimate of the rate on an idle machine, as `bench-incident` prints for its own runs.
    idle_estimates = []
    incidents = {}
    for _ in range(repetitions):
        incidents = {}
        started, cpu = time.perf_counter(), time.process_time()
        incidents = fold(records)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu
        rates.append(len(records) / wall)
        idle_estimates.append(rates[-1] / min(1.0, max(0.01, cpu / wall)))
    print(f"python fold events/s: {statistics.median(rates):.0f}")
    print(
        f"  median of {repetitions} runs (min {min(rates):.0f}, max {max(rates):.0f}); "
        f"Python {sys.version.split()[0]}, gc off during the fold"
    )
    print(f"python fold idle-machine estimate events/s: {statistics.median(idle_estimates):.0f}")
    print(f"python {summary(incidents)}")
    # The rebuild: each line decoded, then folded, as it is read (a host keeps the states,
    # not the decoded events). At most 3 runs: one takes several seconds.
    del records
    rebuild_rates = []
    for _ in range(min(repetitions, 3)):
        started = time.perf_counter()
        rebuilt = fold(decode(lines))
        rebuild_rates.append(len(lines) / (time.perf_counter() - started))
        del rebuilt
    print(f"python rebuild events/s: {statistics.median(rebuild_rates):.0f}")
    print(
        f"  median of {len(rebuild_rates)} runs (min {min(rebuild_rates):.0f}, "
        f"max {max(rebuild_rates):.0f}); every line split at the tab, json.loads of the "
        f"event, then the fold"
    )


if __name__ == "__main__":
    main()
