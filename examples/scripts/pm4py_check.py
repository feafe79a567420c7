"""Reads our OCEL 2.0 JSON, XES and PNML files back with pm4py and prints what it finds.

Run by the `pm4py-check` example (examples/src/bin/pm4py-check/), which writes the files,
installs pm4py into target/venv-pm4py and compares these figures with its own:

    python pm4py_check.py LOG.ocel.json LOG.xes NET.pnml HOSTILE.ocel.json HOSTILE.xes [MORE.pnml ...]

(the hostile log's ids and activities are printed back as JSON; the further nets are only
read and counted). It also writes the OCEL and XES logs it read with pm4py's own writers,
beside the XES file (`pm4py-written.xes`, `pm4py-written.ocel.json`), for our readers to
read back.

Each result is one line `pm4py <key>: <value>` on standard output (pm4py may print other
lines, such as its banner; the caller reads only these).
"""

import sys
import time


def say(key, value):
    print(f"pm4py {key}: {value}", flush=True)


def main(argv):
    if len(argv) < 6:
        print(
            "usage: pm4py_check.py LOG.ocel.json LOG.xes NET.pnml HOSTILE.ocel.json HOSTILE.xes [MORE.pnml ...]",
            file=sys.stderr,
        )
        return 2
    ocel_path, xes_path, pnml_path, hostile_ocel, hostile_xes = argv[1:6]
    import json
    import os
    import pm4py

    hostile = pm4py.read_ocel2_json(hostile_ocel)
    say("hostile ocel activities", json.dumps(sorted(set(hostile.events[hostile.event_activity]))))
    say("hostile ocel objects", json.dumps(sorted(set(hostile.objects[hostile.object_id_column]))))
    hostile = pm4py.read_xes(hostile_xes)
    say("hostile xes activities", json.dumps(sorted(set(hostile["concept:name"]))))
    say("hostile xes cases", json.dumps(sorted(set(hostile["case:concept:name"]))))

    for path in argv[6:]:
        more, _, _ = pm4py.read_pnml(path)
        silent = sum(1 for t in more.transitions if t.label is None)
        stem = os.path.splitext(os.path.basename(path))[0]
        say(f"net {stem}", f"{len(more.places)} places, {len(more.transitions)} transitions ({silent} silent)")

    say("version", pm4py.__version__)

    started = time.perf_counter()
    ocel = pm4py.read_ocel2_json(ocel_path)
    say("ocel seconds", f"{time.perf_counter() - started:.2f}")
    say("ocel events", len(ocel.events))
    say("ocel objects", len(ocel.objects))
    say("ocel incidents", int((ocel.objects[ocel.object_type_column] == "incident").sum()))
    say("ocel activities", ocel.events[ocel.event_activity].nunique())
    say("ocel relations", len(ocel.relations))
    say("ocel o2o", len(ocel.o2o))

    started = time.perf_counter()
    log = pm4py.read_xes(xes_path)
    say("xes seconds", f"{time.perf_counter() - started:.2f}")
    say("xes cases", log["case:concept:name"].nunique())
    say("xes events", len(log))
    say("xes activities", log["concept:name"].nunique())

    # pm4py writes the two logs it read in its own way, for our readers to read back.
    out_dir = os.path.dirname(os.path.abspath(xes_path))
    written_xes = os.path.join(out_dir, "pm4py-written.xes")
    written_ocel = os.path.join(out_dir, "pm4py-written.ocel.json")
    started = time.perf_counter()
    pm4py.write_xes(log, written_xes)
    pm4py.write_ocel2_json(ocel, written_ocel)
    say("write seconds", f"{time.perf_counter() - started:.2f}")
    say("wrote xes", written_xes)
    say("wrote ocel", written_ocel)

    net, initial, final = pm4py.read_pnml(pnml_path)
    say("net places", len(net.places))
    say("net transitions", len(net.transitions))
    say("net silent", sum(1 for t in net.transitions if t.label is None))
    say("initial marking", " ".join(f"{p.name}={n}" for p, n in initial.items()))
    say("final marking", " ".join(f"{p.name}={n}" for p, n in final.items()))

    started = time.perf_counter()
    fitness = pm4py.fitness_token_based_replay(log, net, initial, final)
    say("replay seconds", f"{time.perf_counter() - started:.2f}")
    say("log fitness", f"{fitness['log_fitness']:.6f}")
    say("average trace fitness", f"{fitness['average_trace_fitness']:.6f}")
    say("fitting traces percent", f"{fitness['percentage_of_fitting_traces']:.4f}")

    diagnostics = pm4py.conformance_diagnostics_token_based_replay(log, net, initial, final)
    for key in ("missing_tokens", "consumed_tokens", "remaining_tokens", "produced_tokens"):
        say(key.replace("_", " "), sum(d[key] for d in diagnostics))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
