#!/usr/bin/env python3
"""The Python peer of `bench-sla`: the package businesstimedelta on the same calendar and pairs.

`cargo run --release -p itsm-examples --bin bench-sla` installs businesstimedelta and pytz into
a virtual environment under the Cargo target folder, writes the pairs, runs this script with
that environment's interpreter, then compares the answers with its own.

The calendar is the one `bench-sla` compiles: Monday to Friday 09:00-17:00 with a lunch break
12:00-13:00 (a `WorkDayRule` and a `LunchTimeRule`), closed on the dates of the `holidays` line
(a `HolidayRule`), every rule in ZONE (`UTC` or an IANA name, through pytz).

Input (PAIRS_FILE), one record a line, instants and durations in whole seconds:
    holidays 2026-01-01 2026-04-03 ...
    d START END        business time between two instants (since the Unix epoch)
    a START SECONDS    the instant SECONDS of business time after START

The pairs are taken in slices of SLICE duration pairs and SLICE deadline pairs, in file order
(the pairs are independent draws, so any prefix is a random subset), until all are done or the
calls have used BUDGET_SECONDS of on-CPU time (`time.thread_time_ns`, so that other processes
on a shared machine do not shorten the run); the script prints how many pairs it ran. Only the
calls to businesstimedelta are timed, one by one (`rules.difference(a, b)` and
`start + BusinessTimeDelta(rules, seconds=d)`); building the aware datetimes before and reading
the answers after are not. Figures are medians over the slices of on-CPU time per query.

Output (RESULTS_FILE), one line a query run: `d INDEX SECONDS NS` or `a INDEX EPOCH_SECONDS NS`
(NS: the call's on-CPU nanoseconds), or `d|a INDEX error TEXT` when businesstimedelta raised.
Stdout: figures that `bench-sla` parses.

Usage: bench_businesstimedelta.py PAIRS_FILE ZONE RESULTS_FILE BUDGET_SECONDS
"""

import datetime
import importlib.metadata
import statistics
import sys
import time

import businesstimedelta
import pytz

SLICE = 500


def load(path):
    """The holiday dates, the duration pairs and the deadline pairs of PAIRS_FILE."""
    holidays, spans, deadlines = [], [], []
    with open(path, encoding="ascii") as lines:
        for line in lines:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "holidays":
                holidays = [datetime.date.fromisoformat(text) for text in fields[1:]]
            elif fields[0] == "d":
                spans.append((int(fields[1]), int(fields[2])))
            elif fields[0] == "a":
                deadlines.append((int(fields[1]), int(fields[2])))
            else:
                raise ValueError(f"unknown record {fields[0]!r}")
    return holidays, spans, deadlines


def rules_for(zone, holidays):
    """The calendar as businesstimedelta rules, every rule in `zone`."""
    tz = pytz.utc if zone == "UTC" else pytz.timezone(zone)
    weekdays = [0, 1, 2, 3, 4]
    workday = businesstimedelta.WorkDayRule(
        start_time=datetime.time(9), end_time=datetime.time(17), working_days=weekdays, tz=tz
    )
    lunch = businesstimedelta.LunchTimeRule(
        start_time=datetime.time(12), end_time=datetime.time(13), working_days=weekdays, tz=tz
    )
    # A frozenset: HolidayRule only asks `date in holidays`, and a set answers it in O(1).
    closed = businesstimedelta.HolidayRule(frozenset(holidays), tz=tz)
    return tz, businesstimedelta.Rules([workday, lunch, closed])


def aware(seconds, tz):
    """The instant `seconds` as an aware datetime in `tz` (as a host in that zone holds it)."""
    return datetime.datetime.fromtimestamp(seconds, tz=pytz.utc).astimezone(tz)


def run_durations(rules, inputs):
    """`rules.difference(a, b)` for each pair: (answer or exception, on-CPU ns) each."""
    clock = time.thread_time_ns
    answers = []
    for a, b in inputs:
        t0 = clock()
        try:
            answer = rules.difference(a, b)
        except Exception as error:  # noqa: BLE001 - a peer failure is a result to report
            answer = error
        answers.append((answer, clock() - t0))
    return answers


def run_deadlines(rules, inputs):
    """`start + BusinessTimeDelta(rules, seconds=d)` for each pair: (answer, on-CPU ns) each."""
    clock = time.thread_time_ns
    delta = businesstimedelta.BusinessTimeDelta
    answers = []
    for start, seconds in inputs:
        t0 = clock()
        try:
            answer = start + delta(rules, seconds=seconds)
        except Exception as error:  # noqa: BLE001 - a peer failure is a result to report
            answer = error
        answers.append((answer, clock() - t0))
    return answers


def describe(error):
    return f"error {type(error).__name__}: {error}".replace("\n", " ")


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    pairs_path, zone, results_path = sys.argv[1], sys.argv[2], sys.argv[3]
    budget = float(sys.argv[4])
    holidays, spans, deadlines = load(pairs_path)
    tz, rules = rules_for(zone, holidays)
    total = min(len(spans), len(deadlines))

    # Per slice: on-CPU microseconds per query of each kind.
    duration_slices, deadline_slices = [], []
    spent = 0.0
    done = 0
    wall_start = time.perf_counter()
    with open(results_path, "w", encoding="utf-8") as out:
        while done < total and spent < budget:
            end = min(done + SLICE, total)
            span_inputs = [(aware(a, tz), aware(b, tz)) for a, b in spans[done:end]]
            deadline_inputs = [(aware(a, tz), d) for a, d in deadlines[done:end]]
            span_answers = run_durations(rules, span_inputs)
            deadline_answers = run_deadlines(rules, deadline_inputs)

            count = end - done
            span_ns = sum(ns for _, ns in span_answers)
            deadline_ns = sum(ns for _, ns in deadline_answers)
            duration_slices.append(span_ns / 1000 / count)
            deadline_slices.append(deadline_ns / 1000 / count)
            spent += (span_ns + deadline_ns) / 1e9

            for index, (answer, ns) in enumerate(span_answers, start=done):
                if isinstance(answer, Exception):
                    out.write(f"d {index} {describe(answer)}\n")
                else:
                    out.write(f"d {index} {round(answer.timedelta.total_seconds())} {ns}\n")
            for index, (answer, ns) in enumerate(deadline_answers, start=done):
                if isinstance(answer, Exception):
                    out.write(f"a {index} {describe(answer)}\n")
                else:
                    out.write(f"a {index} {round(answer.timestamp())} {ns}\n")
            done = end

    both = [d + a for d, a in zip(duration_slices, deadline_slices)]
    print(
        "businesstimedelta versions: "
        f"businesstimedelta {importlib.metadata.version('businesstimedelta')}, "
        f"pytz {importlib.metadata.version('pytz')}, python {sys.version.split()[0]}"
    )
    print(f"businesstimedelta pairs run: {done} of {total} ({len(both)} slices of {SLICE})")
    print(
        f"businesstimedelta seconds: {spent:.1f} on CPU in the calls, "
        f"{time.perf_counter() - wall_start:.1f} wall in all"
    )
    if both:
        # Medians over the slices, of on-CPU time per query.
        print(f"businesstimedelta us/query duration: {statistics.median(duration_slices):.1f}")
        print(f"businesstimedelta us/query add: {statistics.median(deadline_slices):.1f}")
        # The two kinds weighted equally, as bench-sla reports its own figures.
        print(f"businesstimedelta us/query: {statistics.median(both) / 2:.1f}")


if __name__ == "__main__":
    main()
