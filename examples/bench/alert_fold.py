#!/usr/bin/env python3
"""The peer of `bench-alert`: the plain Python event-management loop a user would otherwise
write, with the same rules as `itsm_alert::Policy::servicenow()` (no incident rule, no
operators, no ticks): alerts by message key, a closed alert reopened within the active
interval of its last update or replaced by a new alert, identical signals within the repeat
window only counted, reopenings counted in a flap window, flapping (clears no longer close)
ended by a signal after the quiet time, clears with nothing to close ignored.

Reads the stream `bench-alert` writes (one line per signal: milliseconds since the start, a
tab, the message key, a tab, the severity 0 to 5, a tab, the description), holds it decoded
in memory, then runs the loop REPETITIONS times and prints the median signals/s, again
with each event recorded as a tuple (as an event-sourced host keeps what `decide` returns),
and a summary line that must equal the Rust one. The garbage collector is off while timing.

Usage: python3 alert_fold.py SIGNALS.tsv [REPETITIONS]
"""

import gc
import statistics
import sys
import time

HOUR = 3_600_000
ACTIVE, REPEAT, FLAP_INTERVAL, FLAP_FREQUENCY, QUIET = HOUR, 24 * HOUR, HOUR, 4, HOUR
CLEAR = 0


def run(signals, log=None):
    """The loop; with `log` (a list), also records each event as a tuple, as an event-sourced
    host stores what happened (what `decide` returns)."""
    record = log.append if log is not None else None
    alerts = {}  # key -> the latest alert (a list, mutated in place)
    opened = repeats = reopens = flapping = ignored = 0
    # alert fields: 0 status, 1 severity, 2 description, 3 updated, 4 flap start,
    # 5 flap count, 6 flap last update
    for at, key, severity, description in signals:
        alert = alerts.get(key)
        if alert is None:
            if severity == CLEAR:
                ignored += 1
                if record:
                    record(("ignored", key, at))
            else:
                alerts[key] = ["open", severity, description, at, None, 0, None]
                opened += 1
                if record:
                    record(("opened", key, at, severity, description))
            continue
        if alert[0] == "flapping" and at - alert[6] >= QUIET:
            alert[0] = "closed" if alert[1] == CLEAR else "reopened"
            alert[3] = at
            alert[4] = None  # the flap window starts afresh
            alert[5] = 0
            if record:
                record(("flapping_ended", key, at, alert[0]))
        status = alert[0]
        if status != "closed":
            if severity == CLEAR and status != "flapping":
                alert[0] = "closed"
                alert[3] = at
                if record:
                    record(("closed", key, at))
            elif severity == alert[1] and description == alert[2] and at - alert[3] < REPEAT:
                repeats += 1
                if status == "flapping":
                    alert[6] = at
                if record:
                    record(("repeated", key, at))
            else:
                alert[1] = severity
                alert[2] = description
                alert[3] = at
                if status == "flapping":
                    alert[6] = at
                if record:
                    record(("updated", key, at, severity, description))
        elif severity == CLEAR:
            ignored += 1
            if record:
                record(("ignored", key, at))
        elif at - alert[3] <= ACTIVE:
            reopens += 1
            if alert[4] is not None and at - alert[4] <= FLAP_INTERVAL:
                alert[5] += 1
            else:
                alert[4] = at
                alert[5] = 1
            alert[6] = at
            alert[0] = "reopened"
            alert[1] = severity
            alert[2] = description
            alert[3] = at
            if record:
                record(("reopened", key, at, severity, description, alert[4], alert[5]))
            if alert[5] >= FLAP_FREQUENCY:
                alert[0] = "flapping"
                flapping += 1
                if record:
                    record(("flapping_started", key, at, alert[5]))
        else:
            alerts[key] = ["open", severity, description, at, None, 0, None]
            opened += 1
            if record:
                record(("opened", key, at, severity, description))
    return f"alerts {opened} repeats {repeats} reopens {reopens} flapping {flapping} ignored {ignored}"


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    signals = []
    with open(path, "rb") as f:
        for line in f:
            at, key, severity, description = line.rstrip(b"\n").split(b"\t")
            signals.append((int(at), key.decode(), int(severity), description.decode()))
    gc.disable()
    times, logged, summary = [], [], None
    for _ in range(reps):
        start = time.perf_counter()
        summary = run(signals)
        times.append(time.perf_counter() - start)
    for _ in range(reps):
        log = []
        start = time.perf_counter()
        again = run(signals, log)
        logged.append(time.perf_counter() - start)
        assert again == summary
        del log
    gc.enable()
    print(f"python signals/s: {len(signals) / statistics.median(times):.0f}")
    print(f"python signals/s with event records: {len(signals) / statistics.median(logged):.0f}")
    print(f"python summary: {summary}")


if __name__ == "__main__":
    main()
