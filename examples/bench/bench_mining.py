"""The peer side of `bench-mining`: pm4py reading and writing the same XES and OCEL 2.0 files.

    python bench_mining.py LOG.xes LOG.ocel.json OUT_DIR RUNS

Reads the XES file with `pm4py.read_xes` and the OCEL file with `pm4py.read_ocel2_json`,
and writes what it read with `pm4py.write_xes` and `pm4py.write_ocel2_json` into OUT_DIR,
RUNS times each. Prints one JSON line: pm4py's version, each run's wall-clock and process
CPU seconds per operation, and the counts it read (cases, events, objects), which the
caller checks against its own.
"""

import json
import os
import sys
import time


def timed(action):
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv):
    if len(argv) != 5:
        print("usage: bench_mining.py LOG.xes LOG.ocel.json OUT_DIR RUNS", file=sys.stderr)
        return 2
    xes_path, ocel_path, out_dir, runs = argv[1], argv[2], argv[3], int(argv[4])
    import pm4py

    out = {"pm4py": pm4py.__version__}
    for key in ("xes_read", "ocel_read", "xes_write", "ocel_write"):
        out[key] = {"wall": [], "cpu": []}

    def record(key, wall, cpu):
        out[key]["wall"].append(wall)
        out[key]["cpu"].append(cpu)

    for _ in range(runs):
        log, wall, cpu = timed(lambda: pm4py.read_xes(xes_path))
        record("xes_read", wall, cpu)
        ocel, wall, cpu = timed(lambda: pm4py.read_ocel2_json(ocel_path))
        record("ocel_read", wall, cpu)
        _, wall, cpu = timed(lambda: pm4py.write_xes(log, os.path.join(out_dir, "pm4py.xes")))
        record("xes_write", wall, cpu)
        _, wall, cpu = timed(
            lambda: pm4py.write_ocel2_json(ocel, os.path.join(out_dir, "pm4py.ocel.json"))
        )
        record("ocel_write", wall, cpu)
    out["cases"] = int(log["case:concept:name"].nunique())
    out["events"] = len(log)
    out["ocel_events"] = len(ocel.events)
    out["ocel_objects"] = len(ocel.objects)
    out["ocel_relations"] = len(ocel.relations)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
