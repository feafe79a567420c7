#!/usr/bin/env python3
"""The peer of `bench-oncall`: an on-call schedule as a team would script it in plain Python
(the standard library's `zoneinfo` and `datetime`), by the rules `itsm_oncall::Schedule`
documents (crates/itsm-oncall/src/spec.rs and schedule.rs):

- a layer's turn k starts, for turns of hours, k turns of elapsed time after the first instant
  whose wall clock reads the handover; for turns of days and weeks, at the first instant whose
  wall-clock reading in the schedule's zone is at or past handover + k turns (in the hour the
  clocks skip: the instant of the jump; in the hour they repeat: the earlier pass);
- turn k is members[k mod len]'s; a layer counts from `starts` (included) to `ends`
  (excluded) and while its restriction is open: the wall clock reads a time inside a
  segment of a day that is not a holiday (a segment crossing midnight belongs to the day it
  starts on);
- an override of the layer (the last listed holding t) answers for the layer; otherwise the
  last listed time off of the turn's member holding t hands the turn to its cover, or to
  nobody;
- a schedule-wide override (the last listed holding t) answers alone; otherwise the last
  layer with someone (`last_layer`) or everyone of every layer in layer order, each once
  (`all`);
- shifts: the window cut at every instant an answer may change (turn starts, restriction
  edges, layer dates, time off and override ends), equal neighbours merged; gaps are the
  shifts with nobody; load: each person's time in the shifts, the part outside a business
  calendar, and their stretches on call (a stretch continued across a change counts once).

Instants are whole Unix seconds; wall-clock readings are seconds of a naive local clock.
Dictionaries memoise what a script that wants to finish would: wall clock -> instant(s), and
each layer's turn starts.

Input: the JSON file `bench-oncall` writes (the schedules in the crate's serde format, the
business calendar, the windows, the query instants as little-endian i64 in a side file).
Output, one line per figure, each `python <key>: <median> <unit>; <digest>`; the driver
compares the digests with its own. The garbage collector is off while timing.

Usage: python3 oncall_schedule.py INPUT.json REPETITIONS
"""

import gc
import json
import statistics
import sys
import time
from array import array
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

MASK = (1 << 64) - 1
P = 1_000_003
DAY = 86_400
EPOCH = datetime(1970, 1, 1)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def instant(text):
    """An RFC 3339 UTC instant as Unix seconds."""
    return int(datetime.fromisoformat(text).timestamp())


def wall(text):
    """A naive local date-time as seconds of the wall clock."""
    return (datetime.fromisoformat(text) - EPOCH) // timedelta(seconds=1)


def uid(text):
    return int(text.replace("-", ""), 16)


class Zone:
    def __init__(self, name):
        if name is None or name == "UTC":
            self.tz = timezone.utc
        elif name[0] in "+-":
            h, m = name[1:].split(":")
            sign = 1 if name[0] == "+" else -1
            self.tz = timezone(sign * timedelta(hours=int(h), minutes=int(m)))
        else:
            self.tz = ZoneInfo(name)
        self.memo = {}
        self.every_memo = {}

    def local(self, t):
        """The wall-clock reading of instant t."""
        return t + datetime.fromtimestamp(t, self.tz).utcoffset() // timedelta(seconds=1)

    def first_at_or_after(self, reading):
        """The first instant whose wall clock reads `reading` or later."""
        t = self.memo.get(reading)
        if t is None:
            naive = EPOCH + timedelta(seconds=reading)
            t = int(naive.replace(tzinfo=self.tz).timestamp())  # fold 0: the earlier pass
            if self.local(t) != reading:
                # In the hour the clocks skip: find the jump.
                lo, hi = t - DAY, t
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if self.local(mid) >= reading:
                        hi = mid
                    else:
                        lo = mid
                t = hi
            self.memo[reading] = t
        return t

    def every_at(self, reading):
        """Every instant whose wall clock reads `reading` (two in a repeated hour), or the
        jump of a skipped one."""
        out = self.every_memo.get(reading)
        if out is None:
            first = self.first_at_or_after(reading)
            naive = EPOCH + timedelta(seconds=reading)
            second = int(naive.replace(tzinfo=self.tz, fold=1).timestamp())
            if second != first and self.local(second) == reading:
                out = (first, second)
            else:
                out = (first,)
            self.every_memo[reading] = out
        return out


class Hours:
    """Weekly hours in a zone, with holidays: open when the wall clock reads a time inside a
    segment of a day that is not a holiday."""

    def __init__(self, week, holidays):
        daily = week.get("daily", [])
        workday = week.get("weekdays", daily)
        raw = []
        for i, d in enumerate(DAYS):
            default = workday if i < 5 else daily
            raw.append([self.segment(s) for s in week.get(d, default)])
        self.raw = raw  # per weekday: (start, end) seconds, end past a day when crossing
        self.today = [[(s, min(e, DAY)) for s, e in segs] for segs in raw]
        self.spill = [[e - DAY for s, e in segs if e > DAY] for segs in raw]
        self.dates, self.yearly = set(), set()
        for h in holidays:
            if isinstance(h, dict):
                if h["kind"] == "date":
                    self.dates.add(date.fromisoformat(h["date"]))
                else:
                    self.yearly.add((h["month"], h["day"]))
            elif h.startswith("--"):
                self.yearly.add((int(h[2:4]), int(h[5:7])))
            else:
                self.dates.add(date.fromisoformat(h))
        self.has_holidays = bool(self.dates or self.yearly)

    @staticmethod
    def segment(s):
        if isinstance(s, dict):
            a, b = s["start"], s["end"]
        else:
            a, b = s.split("-")

        def secs(x):
            parts = [int(p) for p in x.split(":")]
            return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)

        a, b = secs(a), secs(b)
        return (a, b + DAY if b < a else b)

    def holiday(self, day):
        d = date.fromordinal(day + EPOCH_ORDINAL)
        return d in self.dates or (d.month, d.day) in self.yearly

    def is_open(self, reading):
        day, sod = divmod(reading, DAY)
        wd = (day + 3) % 7  # 1970-01-01 was a Thursday
        hol = self.has_holidays
        for s, e in self.today[wd]:
            if s <= sod < e and not (hol and self.holiday(day)):
                return True
        for e in self.spill[wd - 1]:
            if sod < e and not (hol and self.holiday(day - 1)):
                return True
        return False

    def edges(self, zone, frm, to):
        """Every instant in (frm, to) at which the hours may open or close."""
        out = []
        first, last = zone.local(frm) // DAY - 1, zone.local(to) // DAY + 1
        for day in range(first, last + 1):
            segs = self.raw[(day + 3) % 7]
            if not segs or (self.has_holidays and self.holiday(day)):
                continue
            base = day * DAY
            for s, e in segs:
                for reading in (base + s, base + e):
                    for t in zone.every_at(reading):
                        if frm < t < to:
                            out.append(t)
        return out

    def intervals(self, zone, frm, to):
        """The open intervals within [frm, to), sorted, touching ones joined."""
        points = sorted(set(self.edges(zone, frm, to)) | {frm})
        out = []
        for i, p in enumerate(points):
            end = points[i + 1] if i + 1 < len(points) else to
            if self.is_open(zone.local(p)):
                if out and out[-1][1] == p:
                    out[-1][1] = end
                else:
                    out.append([p, end])
        return out


class Layer:
    def __init__(self, spec, zone, index):
        self.index = index
        self.name = spec["name"]
        self.members = [uid(m) for m in spec["members"]]
        turn = spec["rotation"]["turn"]
        (kind, n), = turn.items()
        self.kind = kind
        self.handover = wall(spec["rotation"]["handover"])
        self.zone = zone
        if kind == "hours":
            self.length = n * 3600
        else:
            self.length = n * DAY * (7 if kind == "weeks" else 1)
        self.origin = zone.first_at_or_after(self.handover)
        self.starts = instant(spec["starts"]) if spec.get("starts") else None
        self.ends = instant(spec["ends"]) if spec.get("ends") else None
        r = spec.get("restriction")
        self.hours = Hours(r["week"], r.get("holidays", [])) if r else None
        self.overrides = []  # (from, to, user, index), last listed first
        self.starts_memo = {}

    def turn_start(self, k):
        if self.kind == "hours":
            return self.origin + k * self.length
        t = self.starts_memo.get(k)
        if t is None:
            t = self.zone.first_at_or_after(self.handover + k * self.length)
            self.starts_memo[k] = t
        return t

    def turn_at(self, t, reading):
        if self.kind == "hours":
            return (t - self.origin) // self.length
        k = (reading - self.handover) // self.length
        for _ in range(4):
            if self.turn_start(k) > t:
                k -= 1
                continue
            if self.turn_start(k + 1) <= t:
                k += 1
            else:
                return k
        return k


class Schedule:
    def __init__(self, spec):
        self.zone = Zone(spec.get("zone"))
        self.all = spec.get("combine", "last_layer") == "all"
        self.layers = [Layer(l, self.zone, i) for i, l in enumerate(spec["layers"])]
        by_name = {l.name: l for l in self.layers}
        self.wide = []
        self.edges = []
        for i, o in enumerate(spec.get("overrides", [])):
            entry = (instant(o["from"]), instant(o["to"]), uid(o["user"]), i)
            self.edges += entry[:2]
            if o.get("layer") is None:
                self.wide.append(entry)
            else:
                by_name[o["layer"]].overrides.append(entry)
        self.wide.reverse()
        for l in self.layers:
            l.overrides.reverse()
        self.away = {}  # member -> [(from, to, cover)], last listed first
        for o in spec.get("time_off", []):
            cover = uid(o["cover"]) if o.get("cover") else None
            f, t = instant(o["from"]), instant(o["to"])
            self.away.setdefault(uid(o["member"]), []).append((f, t, cover))
            self.edges += (f, t)
        for v in self.away.values():
            v.reverse()

    def layer_on_call(self, l, t, reading):
        """(user, layer + 1, why: 0 rotation 1 cover 2 override, member or override index)."""
        if (l.starts is not None and t < l.starts) or (l.ends is not None and t >= l.ends):
            return None
        if l.hours is not None and not l.hours.is_open(reading):
            return None
        for f, to, user, i in l.overrides:
            if f <= t < to:
                return (user, l.index + 1, 2, i)
        member = l.members[l.turn_at(t, reading) % len(l.members)]
        for f, to, cover in self.away.get(member, ()):
            if f <= t < to:
                return None if cover is None else (cover, l.index + 1, 1, member)
        return (member, l.index + 1, 0, 0)

    def on_call(self, t):
        for f, to, user, i in self.wide:
            if f <= t < to:
                return ((user, 0, 2, i),)
        reading = self.zone.local(t)
        per = []
        for l in self.layers:
            e = self.layer_on_call(l, t, reading)
            if e is not None:
                per.append(e)
        if not self.all:
            return tuple(per[-1:])
        out, seen = [], set()
        for e in per:
            if e[0] not in seen:
                seen.add(e[0])
                out.append(e)
        return tuple(out)

    def breakpoints(self, frm, to):
        if frm == to:
            return []
        points = {frm}
        add = points.add
        for l in self.layers:
            for x in (l.starts, l.ends):
                if x is not None and frm < x < to:
                    add(x)
            k = l.turn_at(frm, self.zone.local(frm))
            while True:
                k += 1
                s = l.turn_start(k)
                if s >= to:
                    break
                if s > frm:
                    add(s)
            if l.hours is not None:
                points.update(l.hours.edges(self.zone, frm, to))
        for x in self.edges:
            if frm < x < to:
                add(x)
        return sorted(points)

    def shifts(self, frm, to):
        """[[from, to, answer]]: maximal stretches with the same answer."""
        points = self.breakpoints(frm, to)
        out = []
        on_call = self.on_call
        for i, p in enumerate(points):
            end = points[i + 1] if i + 1 < len(points) else to
            answer = on_call(p)
            if out and out[-1][2] == answer:
                out[-1][1] = end
            else:
                out.append([p, end, answer])
        return out

    def gaps(self, frm, to):
        return [(f, t) for f, t, a in self.shifts(frm, to) if not a]

    def load(self, frm, to, business):
        """{user: [on call, outside hours, stretches]}, business a (zone, Hours) or None."""
        shifts = self.shifts(frm, to)
        inside = None
        if business is not None:
            bzone, bhours = business
            iv = bhours.intervals(bzone, frm, to)
            starts = [a for a, _ in iv]
            cum, total = [], 0
            for a, b in iv:
                cum.append(total)
                total += b - a

            def position(t):
                i = bisect_right(starts, t) - 1
                if i < 0:
                    return 0
                a, b = iv[i]
                return cum[i] + min(t, b) - a

            def inside(a, b):
                return position(b) - position(a)

        loads = {}
        previous = []
        for f, t, answer in shifts:
            length = t - f
            within = inside(f, t) if inside else 0
            users = []
            for e in answer:
                if not users or users[-1] != e[0]:
                    users.append(e[0])
            for u in users:
                load = loads.get(u)
                if load is None:
                    load = loads[u] = [0, 0, 0]
                load[0] += length
                load[1] += length - within
                if u not in previous:
                    load[2] += 1
            previous = users
        return loads


# -------------------------------------------------------------------------------------------
# Digests (as the driver computes them)


def fold_entry(h, e):
    user, layer, why, extra = e
    for x in (user & MASK, layer, why, extra & MASK):
        h = (h * P + x) & MASK
    return h


def answer_hash(answer):
    h = len(answer)
    for e in answer:
        h = fold_entry(h, e)
    return h


def on_call_digest(answers):
    total = sum((i + 1) * answer_hash(a) for i, a in enumerate(answers)) & MASK
    empty = sum(1 for a in answers if not a)
    return f"answers {len(answers)}, empty {empty}, sum {total}"


def shifts_digest(shifts):
    h, gaps, gap_secs = 0, 0, 0
    for f, t, answer in shifts:
        for x in (f, t, len(answer)):
            h = (h * P + x) & MASK
        for e in answer:
            h = fold_entry(h, e)
        if not answer:
            gaps += 1
            gap_secs += t - f
    return f"shifts {len(shifts)}, gaps {gaps}, gap seconds {gap_secs}, hash {h}"


def gaps_digest(gaps):
    h = 0
    for a, b in gaps:
        h = (((h * P + a) & MASK) * P + b) & MASK
    total = sum(b - a for a, b in gaps)
    return f"gaps {len(gaps)}, seconds {total}, hash {h}"


def load_digest(loads):
    h, on, out = 0, 0, 0
    for u in sorted(loads):
        a, b, n = loads[u]
        on += a
        out += b
        for x in (u & MASK, a, b, n):
            h = (h * P + x) & MASK
    return f"people {len(loads)}, on call seconds {on}, outside hours seconds {out}, hash {h}"


def timed(reps, f):
    """Median wall and thread-CPU seconds of `reps` runs of f, and its last answer."""
    times, cpus, out = [], [], None
    gc.disable()
    for _ in range(reps):
        cpu, start = time.thread_time(), time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
        cpus.append(time.thread_time() - cpu)
    gc.enable()
    return (statistics.median(times), statistics.median(cpus)), out


def main():
    path = Path(sys.argv[1])
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    start = time.perf_counter()
    data = json.loads(path.read_text())
    queries = array("q")
    qpath = path.parent / data["queries"]
    with open(qpath, "rb") as f:
        queries.frombytes(f.read())
    if sys.byteorder != "little":
        queries.byteswap()
    queries = queries.tolist()
    team = Schedule(data["team"])
    team_all = Schedule(data["team_all"])
    scale = Schedule(data["scale"])
    b = data["business"]
    business = (Zone(b.get("zone")), Hours(b["week"], b.get("holidays", [])))
    year = data["windows"]["year"]
    month = data["windows"]["scale"]
    print(
        f"python {sys.version.split()[0]}, zoneinfo: input read and schedules built in "
        f"{(time.perf_counter() - start) * 1e3:.0f} ms (not timed)",
        flush=True,
    )

    on_call = team.on_call
    (secs, cpu), answers = timed(reps, lambda: [on_call(t) for t in queries])
    n = max(len(queries), 1)
    print(f"python on_call: {secs * 1e9 / n:.0f} ns per query (CPU {cpu * 1e9 / n:.0f} ns); "
          f"{on_call_digest(answers)}", flush=True)
    del answers
    dst = [on_call(t) for t in data["dst"]]
    total = sum((i + 1) * answer_hash(a) for i, a in enumerate(dst)) & MASK
    print(f"python dst: not timed; answers {len(dst)}, sum {total}", flush=True)
    for key, f, digest in (
        ("shifts", lambda: team.shifts(*year), shifts_digest),
        ("gaps", lambda: team.gaps(*year), gaps_digest),
        ("shifts_all", lambda: team_all.shifts(*year), shifts_digest),
        ("load", lambda: team.load(*year, business), load_digest),
        ("scale", lambda: scale.shifts(*month), shifts_digest),
    ):
        (secs, cpu), out = timed(reps, f)
        print(f"python {key}: {secs * 1e3:.2f} ms (CPU {cpu * 1e3:.2f} ms); {digest(out)}",
              flush=True)

if __name__ == "__main__":
    main()
