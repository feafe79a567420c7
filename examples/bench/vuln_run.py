#!/usr/bin/env python3
"""The peer of `bench-vuln`: a year of vulnerability response in plain Python, as a user would
otherwise write it (there is no Python library for vulnerability response), with the rules of
`itsm_vuln` as its documentation states them, under the policy the benchmark writes:

- found: created on first detection (risk from the first matching calculator rule, the
  target from the most restrictive target rule, counted from now); found again when resolved
  or closed as fixed, stale or decommissioned: reopened (out of its closed tasks, its
  resolved tasks back to under investigation when assigned, else open, its deferred tasks
  open; target afresh from now); otherwise seen (facts and risk refreshed; the target by the
  policy's recalculation when the rating changes, or from the last opening when it had none);
- fixed: closed as fixed (nothing when it is already closed on its own); retired: the
  configuration item's items not closed close as decommissioned;
- tasks: created (the items' states roll up), split (the new task takes the old one's
  state), assigned, investigated (assigned, open), awaiting implementation (under
  investigation), resolved (open or awaiting), deferred by an administrator, exceptions and
  false positives (in review, back where they were on a rejection), extensions (a deferred
  subject, a later date), approved by another approver, reopened (not decommissioned items;
  not a task whose items are all closed on their own), closed by an administrator as canceled
  or fixed with exception (its items not affected);
- roll-down: an item's state is the highest precedence of its own and its counting tasks'
  (closed > deferred > resolved > in review > awaiting implementation > under
  investigation > open; among deferrals the latest date; among closures its own, then the
  first task's); roll-up: all items closed closes the task (one closure, or none), all
  closed or deferred with one deferred defers it until the earliest date (one reason, or
  none); tasks worked in id order until nothing changes;
- the schedule: deferred tasks whose date came open, items' own deferrals end, open items not
  found for the stale period close, reminders and missed targets once each (deferred,
  resolved and closed items have no target running); next_deadline the earliest of these.

Each step is done in place on plain objects; what the crate records as events is counted by
type. Input: the workload `bench-vuln` writes (a JSON header with the start, the end, the
policy and the actors; then one line per command: time, actor and the command in the crate's
JSON, tab-separated). Commands are parsed before the clock starts. Prints the median
milliseconds (wall clock and thread CPU) and a summary line that must equal the Rust one. The
garbage collector is off while timing.

Usage: python3 vuln_run.py WORKLOAD.tsv REPETITIONS
"""

import gc
import heapq
import json
import statistics
import sys
import time
from datetime import datetime

DAY = 86_400
OPEN, UI, AI, IR, RES, DEF, CLO = range(7)
STATUS = ("open", "under_investigation", "awaiting_implementation", "in_review", "resolved",
          "deferred", "closed")
CLOSURES = ("fixed", "false_positive", "canceled", "fixed_with_exception", "stale",
            "ci_decommissioned")
C_FIXED, C_FP, C_CANCELED, C_FWE, C_STALE, C_DECOM = range(6)
LEAVES = (C_CANCELED, C_FWE)
BY_SCAN = (C_FIXED, C_STALE, C_DECOM)
REASONS = ("awaiting_maintenance_window", "fix_unavailable", "risk_accepted",
           "mitigating_control", "false_positive", "other")
SEVERITIES = ("critical", "high", "medium", "low", "none", "unknown")
CRITICALITIES = ("critical", "high", "medium", "low", "none")
# Ratings as ranks: none 0 to critical 4.
RATING = {"critical": 4, "high": 3, "medium": 2, "low": 1, "none": 0}
RATINGS_OUT = ("critical", "high", "medium", "low", "none")
PROGRESS = ("no_target", "on_track", "approaching_target", "target_missed", "target_met",
            "closed_late")
EVENTS = ("created", "seen", "reopened", "closed", "task_created", "split", "assigned", "moved",
          "deferred", "requested", "approved", "rejected", "task_closed", "deferral_ended",
          "approaching", "missed")
(E_CREATED, E_SEEN, E_REOPENED, E_CLOSED, E_TASK_CREATED, E_SPLIT, E_ASSIGNED, E_MOVED,
 E_DEFERRED, E_REQUESTED, E_APPROVED, E_REJECTED, E_TASK_CLOSED, E_DEFERRAL_ENDED,
 E_APPROACHING, E_MISSED) = range(16)
COMMANDS = ("found", "fixed", "retired", "create_task", "split", "assign", "start_investigation",
            "await_implementation", "resolve", "defer", "request_exception", "request_extension",
            "mark_false_positive", "approve", "reject", "reopen", "close_task", "tick")
K_EXCEPTION, K_EXTENSION, K_FP = range(3)


class Refused(Exception):
    pass


def uid(text):
    return int(text.replace("-", ""), 16)


def ts(text):
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


# ---------------------------------------------------------------------------------------
# Risk and targets.

class Cond:
    __slots__ = ("sev", "crit", "rating", "exploit", "inet", "min_epss")

    def __init__(self, j):
        self.sev = [SEVERITIES.index(s) for s in j.get("severity", [])]
        self.crit = [CRITICALITIES.index(c) for c in j.get("criticality", [])]
        self.rating = [RATING[r] for r in j.get("rating", [])]
        self.exploit = j.get("exploit")
        self.inet = j.get("internet_facing")
        self.min_epss = j.get("min_epss")

    def matches(self, f, rating):
        sev, exploit, crit, inet, epss = f
        return ((not self.sev or sev in self.sev) and (not self.crit or crit in self.crit)
                and (not self.rating or rating in self.rating)
                and (self.exploit is None or self.exploit == exploit)
                and (self.inet is None or self.inet == inet)
                and (self.min_epss is None or (epss is not None and epss >= self.min_epss)))


def levels(j):
    return (j["critical"], j["high"], j["medium"], j["low"], j["none"])


class Policy:
    def __init__(self, j):
        self.scanners = set(j["scanners"])
        self.owners = set(j["owners"])
        self.admins = set(j["admins"])
        self.approvers = set(j["approvers"])
        self.self_approval = j["self_approval"]
        self.calculators = []
        for r in j["calculators"]:
            s = r["score"]
            if "fixed" in s:
                score = ("fixed", min(s["fixed"], 100))
            else:
                w = s["weighted"]
                sp = levels(w["severity_points"])
                # By severity index: critical, high, medium, low, none, unknown (as critical).
                sev = (sp[0], sp[1], sp[2], sp[3], sp[4], sp[0])
                score = ("weighted", sev, w["severity"], levels(w["criticality_points"]),
                         w["criticality"], w["exploit"], w["exposure"], w["epss"])
            cond = Cond(r.get("when", {}))
            if not cond.rating:
                self.calculators.append((r["name"], cond, score))
        sc = j["scale"]
        self.scale = (sc["critical"], sc["high"], sc["medium"], sc["low"])
        self.targets = [(t["name"], Cond(t.get("when", {})), t["days"], t.get("remind_days"))
                        for t in j["targets"]]
        self.recalc = j["recalculation"]
        self.max_days = j.get("max_exception_days")
        self.stale = None if j.get("stale_days") is None else j["stale_days"] * DAY
        self.close_retired = j["close_retired"]

    def rate(self, score):
        c, h, m, lo = self.scale
        return 4 if score >= c else 3 if score >= h else 2 if score >= m else 1 if score >= lo else 0

    def assess(self, f):
        for _, cond, score in self.calculators:
            if cond.matches(f, 0):
                if score[0] == "fixed":
                    s = score[1]
                else:
                    _, sev, ws, crit, wc, we, wx, wp = score
                    epss = min(f[4] or 0, 1000) // 10
                    total = (sev[f[0]] * ws + crit[f[2]] * wc + (100 * we if f[1] else 0)
                             + (100 * wx if f[3] else 0) + epss * wp)
                    s = min((total + 50) // 100, 100)
                return s, self.rate(s)
        return 0, 0

    def target(self, f, rating, start):
        best = None
        for _, cond, days, remind in self.targets:
            if not cond.matches(f, rating):
                continue
            due = start + days * DAY
            if best is not None and best.due <= due:
                continue
            best = Target(due, None if remind is None else due - remind * DAY)
        return best


class Target:
    __slots__ = ("due", "remind", "reminded", "missed")

    def __init__(self, due, remind):
        self.due, self.remind, self.reminded, self.missed = due, remind, False, False


# ---------------------------------------------------------------------------------------
# The board.

class Item:
    __slots__ = ("id", "ci", "vuln", "facts", "score", "rating", "target", "status", "closure",
                 "deferral", "own", "request", "tasks", "last_found", "opened", "closed_at",
                 "deferrals", "reopened")


class Task:
    __slots__ = ("id", "status", "closure", "deferral", "request", "assigned", "group", "items",
                 "notes", "deferrals", "n", "closed", "deferred", "closures", "reasons",
                 "untils")

    def __init__(self, tid, status, closure, deferral, assigned, group):
        self.id, self.status, self.closure, self.deferral = tid, status, closure, deferral
        self.request, self.assigned, self.group = None, assigned, group
        self.items, self.notes, self.deferrals = set(), None, 0
        self.n = self.closed = self.deferred = 0
        self.closures, self.reasons, self.untils = {}, {}, {}


def bump(m, key, up):
    if up:
        m[key] = m.get(key, 0) + 1
    else:
        n = m.get(key)
        if n is not None:
            if n <= 1:
                del m[key]
            else:
                m[key] = n - 1


def count(t, v, up):
    status, closure, deferral = v
    d = 1 if up else -1
    t.n = max(0, t.n + d)
    if status == CLO:
        t.closed = max(0, t.closed + d)
        bump(t.closures, closure, up)
    elif status == DEF:
        t.deferred = max(0, t.deferred + d)
        bump(t.reasons, deferral[1] if deferral else None, up)
        if deferral:
            bump(t.untils, deferral[0], up)


def single(m):
    if len(m) == 1:
        for k in m:
            return k
    return None


def rolled_up(t):
    if t.n == 0:
        return None
    if t.closed == t.n:
        return (CLO, single(t.closures), None)
    if t.deferred > 0 and t.closed + t.deferred == t.n:
        if not t.untils:
            return None
        return (DEF, None, (min(t.untils), single(t.reasons)))
    return None


class Work:
    __slots__ = ("heap", "set")

    def __init__(self):
        self.heap, self.set = [], set()

    def add(self, tid):
        if tid not in self.set:
            self.set.add(tid)
            heapq.heappush(self.heap, tid)


def ukey(d):
    return -1 if d is None else d[0]


class Board:
    def __init__(self, policy):
        self.p = policy
        self.items, self.tasks, self.by_ci = {}, {}, {}
        self.sorted_items = True
        self.last_id = 0
        self.counts = [0] * len(EVENTS)

    # Roll-down and roll-up.

    def effective(self, it):
        best = it.own
        tasks = self.tasks
        ts_ = it.tasks
        for tid in (sorted(ts_) if len(ts_) > 1 else ts_):
            t = tasks.get(tid)
            if t is None or (t.status == CLO and t.closure in LEAVES):
                continue
            if best is None or t.status > best[0] or (
                    t.status == DEF and best[0] == DEF and ukey(t.deferral) > ukey(best[2])):
                best = (t.status, t.closure, t.deferral)
        if best is None:
            return (OPEN, None, None)
        s, c, d = best
        return (s, c if s == CLO else None, d if s == DEF else None)

    def refresh(self, ids, at, work):
        items, tasks = self.items, self.tasks
        for iid in ids:
            it = items.get(iid)
            if it is None:
                continue
            old = (it.status, it.closure, it.deferral)
            new = self.effective(it)
            if old == new:
                continue
            for tid in it.tasks:
                t = tasks.get(tid)
                if t is not None:
                    count(t, old, False)
                    count(t, new, True)
                work.add(tid)
            it.status, it.closure, it.deferral = new
            if new[0] == CLO:
                if old[0] != CLO:
                    it.closed_at = at
            else:
                it.closed_at = None

    def settle(self, work, at):
        heap, members, tasks = work.heap, work.set, self.tasks
        while heap:
            tid = heapq.heappop(heap)
            members.discard(tid)
            t = tasks.get(tid)
            if t is None or t.status == CLO:
                continue
            up = rolled_up(t)
            if up is None or up == (t.status, t.closure, t.deferral):
                continue
            # A roll-up never defers to a time already past.
            if up[2] is not None and up[2][0] <= at:
                continue
            self.set_task(t, up, at, work)

    def set_task(self, t, state, at, work):
        t.status, t.closure, t.deferral = state
        if state[0] != IR and state[0] != DEF:
            t.request = None
        # The task is looked at again: its items may decide otherwise.
        work.add(t.id)
        self.refresh(list(t.items), at, work)

    def set_own(self, it, own, at, work):
        it.own = own
        self.refresh((it.id,), at, work)

    def reopen_tasks(self, it, at, work):
        for tid in sorted(it.tasks):
            t = self.tasks.get(tid)
            if t is None:
                continue
            if t.status == RES and (t.assigned is not None or t.group is not None):
                to = UI
            elif t.status == RES or t.status == DEF:
                to = OPEN
            else:
                continue
            self.set_task(t, (to, None, None), at, work)

    # Events folded in place.

    def closed(self, it, closure, at):
        self.counts[E_CLOSED] += 1
        it.request = None
        work = Work()
        self.set_own(it, (CLO, closure, None), at, work)
        self.settle(work, at)

    def reopened(self, it, f, score, rating, target, at):
        self.counts[E_REOPENED] += 1
        work = Work()
        gone = [tid for tid in it.tasks
                if tid in self.tasks and self.tasks[tid].status == CLO]
        v = (it.status, it.closure, it.deferral)
        for tid in gone:
            t = self.tasks[tid]
            count(t, v, False)
            t.items.discard(it.id)
            it.tasks.discard(tid)
        it.facts, it.score, it.rating, it.target = f, score, rating, target
        it.last_found = it.opened = at
        it.request = None
        it.reopened += 1
        self.set_own(it, None, at, work)
        self.reopen_tasks(it, at, work)
        self.settle(work, at)

    def moved(self, subject, to, at, notes=None):
        self.counts[E_MOVED] += 1
        work = Work()
        kind, obj = subject
        if kind == "item":
            self.set_own(obj, (to, None, None), at, work)
        else:
            if notes is not None:
                obj.notes = notes
            self.set_task(obj, (to, None, None), at, work)
        self.settle(work, at)

    def deferred(self, subject, until, reason, at):
        self.counts[E_DEFERRED] += 1
        work = Work()
        kind, obj = subject
        obj.deferrals += 1
        obj.request = None
        own = (DEF, None, (until, reason))
        if kind == "item":
            self.set_own(obj, own, at, work)
        else:
            self.set_task(obj, own, at, work)
        self.settle(work, at)

    def task_closed(self, t, closure, at):
        self.counts[E_TASK_CLOSED] += 1
        work = Work()
        self.set_task(t, (CLO, closure, None), at, work)
        self.settle(work, at)

    # The rules.

    def subject(self, s):
        kind, sid = s
        obj = (self.items if kind == "item" else self.tasks).get(sid)
        if obj is None:
            raise Refused("unknown")
        return kind, obj

    def found(self, now, iid, ci, vuln, f):
        if not vuln.strip():
            raise Refused("empty vulnerability")
        p = self.p
        score, rating = p.assess(f)
        it = self.items.get(iid)
        if it is None:
            self.counts[E_CREATED] += 1
            it = Item()
            it.id, it.ci, it.vuln, it.facts, it.score, it.rating = iid, ci, vuln, f, score, rating
            it.target = p.target(f, rating, now)
            it.status, it.closure, it.deferral, it.own, it.request = OPEN, None, None, None, None
            it.tasks = set()
            it.last_found = it.opened = now
            it.closed_at = None
            it.deferrals = it.reopened = 0
            self.items[iid] = it
            if iid < self.last_id:
                self.sorted_items = False
            self.last_id = max(self.last_id, iid)
            self.by_ci.setdefault(ci, []).append(iid)
            return
        if it.ci != ci or it.vuln != vuln:
            raise Refused("mismatch")
        if it.status == RES or (it.status == CLO and it.closure in BY_SCAN):
            self.reopened(it, f, score, rating, p.target(f, rating, now), now)
            return
        self.counts[E_SEEN] += 1
        old = it.target
        if old is None:
            target = p.target(f, rating, it.opened)
        elif rating == it.rating or p.recalc == "keep":
            target = old
        else:
            fresh = p.target(f, rating, now)
            earlier = fresh if fresh is not None and fresh.due < old.due else old
            if p.recalc == "from_change":
                target = fresh
            elif p.recalc == "earliest":
                target = earlier
            else:
                target = earlier if rating > it.rating else fresh
        it.facts, it.score, it.rating, it.target, it.last_found = f, score, rating, target, now

    def fixed(self, now, iid):
        it = self.items.get(iid)
        if it is None:
            raise Refused("unknown item")
        if it.status == CLO and it.own is not None and it.own[0] == CLO:
            return
        self.closed(it, C_FIXED, now)

    def retired(self, now, ci):
        if not self.p.close_retired:
            return
        items = self.items
        ids = sorted(i for i in self.by_ci.get(ci, ()) if items[i].status != CLO)
        for i in ids:
            self.closed(items[i], C_DECOM, now)

    def distinct(self, ids):
        if not ids:
            raise Refused("no items")
        seen = set()
        for i in ids:
            if i not in self.items:
                raise Refused("unknown item")
            if i in seen:
                raise Refused("duplicate")
            seen.add(i)

    def create_task(self, now, tid, ids, assigned, group):
        if tid in self.tasks:
            raise Refused("exists")
        self.distinct(ids)
        self.counts[E_TASK_CREATED] += 1
        t = Task(tid, OPEN, None, None, assigned, group)
        self.tasks[tid] = t
        items = self.items
        for i in ids:
            it = items[i]
            count(t, (it.status, it.closure, it.deferral), True)
            t.items.add(i)
            it.tasks.add(tid)
        work = Work()
        self.refresh(ids, now, work)
        work.add(tid)
        self.settle(work, now)

    def split(self, now, tid, into, ids):
        t = self.tasks.get(tid)
        if t is None:
            raise Refused("unknown task")
        if t.status == CLO:
            raise Refused("closed")
        if into in self.tasks:
            raise Refused("exists")
        self.distinct(ids)
        if any(i not in t.items for i in ids):
            raise Refused("not in task")
        if len(ids) >= len(t.items):
            raise Refused("takes all")
        self.counts[E_SPLIT] += 1
        new = Task(into, t.status, t.closure, t.deferral, t.assigned, t.group)
        self.tasks[into] = new
        for i in ids:
            it = self.items[i]
            v = (it.status, it.closure, it.deferral)
            count(t, v, False)
            t.items.discard(i)
            new.items.add(i)
            count(new, v, True)
            it.tasks.discard(tid)
            it.tasks.add(into)
        work = Work()
        work.add(tid)
        work.add(into)
        self.settle(work, now)

    def task(self, tid):
        t = self.tasks.get(tid)
        if t is None:
            raise Refused("unknown task")
        return t

    def assign(self, now, tid, to, group):
        t = self.task(tid)
        if t.status == CLO:
            raise Refused("closed")
        self.counts[E_ASSIGNED] += 1
        t.assigned, t.group = to, group

    def start(self, now, tid):
        t = self.task(tid)
        if t.status != OPEN:
            raise Refused("state")
        if t.assigned is None and t.group is None:
            raise Refused("unassigned")
        self.moved(("task", t), UI, now)

    def await_(self, now, tid):
        t = self.task(tid)
        if t.status != UI:
            raise Refused("state")
        self.moved(("task", t), AI, now)

    def resolve(self, now, s, notes):
        kind, obj = self.subject(s)
        if obj.status != OPEN and obj.status != AI:
            raise Refused("state")
        self.moved((kind, obj), RES, now, notes)

    def check_until(self, until, now):
        if until <= now:
            raise Refused("passed")
        if self.p.max_days is not None and until > now + self.p.max_days * DAY:
            raise Refused("too long")

    def defer(self, now, s, until, reason):
        kind, obj = self.subject(s)
        if obj.status > AI:
            raise Refused("state")
        self.check_until(until, now)
        self.deferred((kind, obj), until, reason, now)

    def request(self, now, by, kind, obj, ask, until, reason):
        self.counts[E_REQUESTED] += 1
        if ask == K_EXTENSION:
            back = None
        elif kind == "item":
            back = obj.own
        else:
            back = (obj.status, obj.closure, obj.deferral)
        req = (ask, until, reason, by, now, back)
        if kind == "item":
            obj.request = req
            if ask != K_EXTENSION:
                work = Work()
                self.set_own(obj, (IR, None, None), now, work)
                self.settle(work, now)
        else:
            if ask != K_EXTENSION:
                work = Work()
                self.set_task(obj, (IR, None, None), now, work)
                obj.request = req
                self.settle(work, now)
            else:
                obj.request = req

    def request_exception(self, now, by, s, until, reason):
        kind, obj = self.subject(s)
        if obj.status > AI:
            raise Refused("state")
        self.check_until(until, now)
        self.request(now, by, kind, obj, K_EXCEPTION, until, reason)

    def mark_fp(self, now, by, s):
        kind, obj = self.subject(s)
        if obj.status != OPEN:
            raise Refused("state")
        self.request(now, by, kind, obj, K_FP, None, None)

    def request_extension(self, now, by, s, until, reason):
        kind, obj = self.subject(s)
        if obj.status != DEF:
            raise Refused("state")
        if obj.request is not None:
            raise Refused("pending")
        if obj.deferral is not None and until <= obj.deferral[0]:
            raise Refused("not later")
        self.check_until(until, now)
        self.request(now, by, kind, obj, K_EXTENSION, until, reason)

    def decided(self, by, s):
        kind, obj = self.subject(s)
        req = obj.request
        if req is None:
            raise Refused("no request")
        if req[3] == by and not self.p.self_approval:
            raise Refused("own request")
        return kind, obj, req

    def approve(self, now, by, s):
        kind, obj, req = self.decided(by, s)
        self.counts[E_APPROVED] += 1
        ask, until, reason = req[0], req[1], req[2]
        if ask != K_FP:
            self.deferred((kind, obj), until, reason, now)
        elif kind == "item":
            self.closed(obj, C_FP, now)
        else:
            self.task_closed(obj, C_FP, now)

    def reject(self, now, by, s, comments):
        kind, obj, req = self.decided(by, s)
        if not comments.strip():
            raise Refused("empty comment")
        self.counts[E_REJECTED] += 1
        obj.request = None
        if req[0] == K_EXTENSION:
            return
        work = Work()
        if kind == "item":
            self.set_own(obj, req[5], now, work)
        elif req[5] is not None:
            self.set_task(obj, req[5], now, work)
        self.settle(work, now)

    def reopen(self, now, s):
        kind, obj = self.subject(s)
        if obj.status != DEF and obj.status != RES and obj.status != CLO:
            raise Refused("state")
        if kind == "item":
            if obj.closure == C_DECOM:
                raise Refused("decommissioned")
            score, rating = self.p.assess(obj.facts)
            self.reopened(obj, obj.facts, score, rating,
                          self.p.target(obj.facts, rating, now), now)
            return
        items = self.items
        if all(i not in items or (items[i].status == CLO and items[i].own is not None)
               for i in obj.items):
            raise Refused("all closed")
        self.moved((kind, obj), OPEN, now)

    def close_task(self, now, tid, closure):
        t = self.task(tid)
        if closure not in LEAVES:
            raise Refused("wrong closure")
        if t.status == CLO:
            raise Refused("closed")
        self.task_closed(t, closure, now)

    # The schedule.

    def tick(self, now):
        p = self.p
        stale = p.stale
        due_tasks = sorted(t.id for t in self.tasks.values()
                           if t.status == DEF and t.request is None and t.deferral is not None
                           and t.deferral[0] <= now)
        events = []
        items = self.items.values() if self.sorted_items else [
            self.items[i] for i in sorted(self.items)]
        for it in items:
            own = it.own
            if (own is not None and own[0] == DEF and own[2] is not None and own[2][0] <= now
                    and it.request is None):
                events.append((E_DEFERRAL_ENDED, "item", it.id))
            st = it.status
            if stale is not None and st != CLO and it.last_found + stale <= now:
                events.append((E_CLOSED, "item", it.id))
                continue
            t = it.target
            if t is None or st == DEF or st == RES or st == CLO:
                continue
            if not t.missed and t.due <= now:
                events.append((E_MISSED, "item", it.id))
            elif (not t.reminded and t.remind is not None and t.remind <= now
                  and t.due > now):
                events.append((E_APPROACHING, "item", it.id))
        # Tasks after items, as the crate's schedule.
        events.extend((E_DEFERRAL_ENDED, "task", tid) for tid in due_tasks)
        for kind, what, i in events:
            if kind == E_DEFERRAL_ENDED:
                self.counts[E_DEFERRAL_ENDED] += 1
                work = Work()
                if what == "task":
                    self.set_task(self.tasks[i], (OPEN, None, None), now, work)
                else:
                    self.set_own(self.items[i], None, now, work)
                self.settle(work, now)
            elif kind == E_CLOSED:
                self.closed(self.items[i], C_STALE, now)
            elif kind == E_MISSED:
                self.counts[E_MISSED] += 1
                t = self.items[i].target
                if t is not None:
                    t.reminded = t.missed = True
            else:
                self.counts[E_APPROACHING] += 1
                t = self.items[i].target
                if t is not None:
                    t.reminded = True
        return len(events)

    def next_deadline(self):
        best = None
        for t in self.tasks.values():
            if t.status == DEF and t.request is None and t.deferral is not None:
                u = t.deferral[0]
                if best is None or u < best:
                    best = u
        stale = self.p.stale
        for it in self.items.values():
            own = it.own
            if own is not None and own[0] == DEF and own[2] is not None and it.request is None:
                u = own[2][0]
                if best is None or u < best:
                    best = u
            st = it.status
            if st == CLO:
                continue
            if stale is not None:
                u = it.last_found + stale
                if best is None or u < best:
                    best = u
            t = it.target
            if t is None or st == DEF or st == RES or t.missed:
                continue
            u = t.remind if (t.remind is not None and not t.reminded) else t.due
            if best is None or u < best:
                best = u
        return best


def progress(it, now):
    t = it.target
    if t is None:
        return 0
    if it.status == CLO:
        return 5 if it.closed_at is not None and it.closed_at > t.due else 4
    if it.status == DEF or it.status == RES:
        return 0
    if now >= t.due:
        return 3
    if t.remind is not None and now >= t.remind:
        return 2
    return 1


# ---------------------------------------------------------------------------------------
# The workload.

def facts(j):
    return (SEVERITIES.index(j["severity"]), j["exploit"], CRITICALITIES.index(j["criticality"]),
            j["internet_facing"], j.get("epss"))


def subject(j):
    if "item" in j:
        return ("item", uid(j["item"]))
    return ("task", uid(j["task"]))


def opt_id(v):
    return None if v is None else uid(v)


def parse(j):
    c = j["command"]
    if c == "found":
        return (uid(j["item"]), uid(j["ci"]), j["vulnerability"], facts(j["facts"]))
    if c == "fixed":
        return (uid(j["item"]),)
    if c == "retired":
        return (uid(j["ci"]),)
    if c == "create_task":
        return (uid(j["task"]), [uid(i) for i in j["items"]], opt_id(j.get("assigned_to")),
                opt_id(j.get("group")))
    if c == "split":
        return (uid(j["task"]), uid(j["into"]), [uid(i) for i in j["items"]])
    if c == "assign":
        return (uid(j["task"]), opt_id(j.get("to")), opt_id(j.get("group")))
    if c in ("start_investigation", "await_implementation"):
        return (uid(j["task"]),)
    if c == "resolve":
        return (subject(j["subject"]), j["notes"])
    if c in ("defer", "request_exception", "request_extension"):
        return (subject(j["subject"]), ts(j["until"]), REASONS.index(j["reason"]))
    if c in ("mark_false_positive", "approve", "reopen"):
        return (subject(j["subject"]),)
    if c == "reject":
        return (subject(j["subject"]), j["comments"])
    if c == "close_task":
        return (uid(j["task"]), CLOSURES.index(j["closure"]))
    raise SystemExit(f"unknown command {c}")


def roles_for(p, c):
    if c in ("found", "fixed"):
        return p.scanners
    if c == "retired":
        return p.scanners | p.admins
    if c in ("defer", "close_task"):
        return p.admins
    if c in ("approve", "reject"):
        return p.approvers
    return p.owners | p.admins


def run_command(b, now, user, c, a):
    if c == "found":
        b.found(now, *a)
    elif c == "fixed":
        b.fixed(now, *a)
    elif c == "retired":
        b.retired(now, *a)
    elif c == "create_task":
        b.create_task(now, *a)
    elif c == "split":
        b.split(now, *a)
    elif c == "assign":
        b.assign(now, *a)
    elif c == "start_investigation":
        b.start(now, *a)
    elif c == "await_implementation":
        b.await_(now, *a)
    elif c == "resolve":
        b.resolve(now, *a)
    elif c == "defer":
        b.defer(now, *a)
    elif c == "request_exception":
        b.request_exception(now, user, *a)
    elif c == "request_extension":
        b.request_extension(now, user, *a)
    elif c == "mark_false_positive":
        b.mark_fp(now, user, *a)
    elif c == "approve":
        b.approve(now, user, *a)
    elif c == "reject":
        b.reject(now, user, *a)
    elif c == "reopen":
        b.reopen(now, *a)
    elif c == "close_task":
        b.close_task(now, *a)


class Host:
    def __init__(self):
        self.accepted = 0
        self.refused = {}
        self.ticks = self.idle = self.stuck = self.deadlines = 0


def run_due(b, host, sched, until):
    guard = 0
    while sched[0] is not None and sched[0] <= until:
        now = max(sched[0], sched[1])
        n = b.tick(now)
        host.ticks += 1
        sched[1] = now
        host.deadlines += 1
        sched[0] = b.next_deadline()
        if n == 0:
            host.idle += 1
            if sched[0] is not None and sched[0] <= now:
                host.stuck += 1
                sched[0] = None
        guard += 1
        if guard > 10_000:
            raise SystemExit(f"the schedule does not settle at {now}")


def simulate(header, ops, policy):
    b = Board(policy)
    host = Host()
    sched = [None, header["start"]]
    day = None
    for at, user, roles, c, a in ops:
        d = at // DAY
        if d != day:
            day = d
            host.deadlines += 1
            sched[0] = b.next_deadline()
        run_due(b, host, sched, at)
        try:
            if not roles:
                raise Refused("forbidden")
            run_command(b, at, user, c, a)
            host.accepted += 1
        except Refused:
            host.refused[c] = host.refused.get(c, 0) + 1
        if at > sched[1]:
            sched[1] = at
    end = header["end"] - 1
    host.deadlines += 1
    sched[0] = b.next_deadline()
    run_due(b, host, sched, end)
    return b, host


def summary(b, host, end):
    now = end - 1
    refused = sum(host.refused.values())
    out = [f"accepted {host.accepted} refused {refused} ticks {host.ticks} idle_ticks {host.idle} "
           f"stuck_ticks {host.stuck} deadlines {host.deadlines} events {sum(b.counts)}"]
    for c in COMMANDS:
        out.append(f"refused_{c} {host.refused.get(c, 0)}")
    for name, n in zip(EVENTS, b.counts):
        out.append(f"{name} {n}")
    by_status, by_closure = [0] * 7, [0] * 7
    by_rating, by_progress = [0] * 5, [0] * 6
    missed = reopened = deferrals = requests = own = members = score = 0
    for it in b.items.values():
        by_status[it.status] += 1
        by_closure[6 if it.closure is None else it.closure] += 1
        by_rating[4 - it.rating] += 1
        by_progress[progress(it, now)] += 1
        missed += it.target is not None and it.target.missed
        reopened += it.reopened
        deferrals += it.deferrals
        requests += it.request is not None
        own += it.own is not None
        members += len(it.tasks)
        score += it.score
    out.append(f"items {len(b.items)}")
    out += [f"item_{s} {n}" for s, n in zip(STATUS, by_status)]
    out += [f"item_closure_{c} {n}" for c, n in zip(CLOSURES, by_closure)]
    out += [f"rating_{r} {n}" for r, n in zip(RATINGS_OUT, by_rating)]
    out += [f"progress_{p} {n}" for p, n in zip(PROGRESS, by_progress)]
    out.append(f"targets_missed {missed} reopenings {reopened} item_deferrals {deferrals} "
               f"item_requests {requests} item_own {own} memberships {members} score_sum {score}")
    t_status, t_closure = [0] * 7, [0] * 7
    t_def = t_req = t_items = 0
    for t in b.tasks.values():
        t_status[t.status] += 1
        t_closure[6 if t.closure is None else t.closure] += 1
        t_def += t.deferrals
        t_req += t.request is not None
        t_items += len(t.items)
    out.append(f"tasks {len(b.tasks)}")
    out += [f"task_{s} {n}" for s, n in zip(STATUS, t_status)]
    out += [f"task_closure_{c} {n}" for c, n in zip(CLOSURES, t_closure)]
    out.append(f"task_deferrals {t_def} task_requests {t_req} task_items {t_items}")
    return " ".join(out)


def main():
    path, reps = sys.argv[1], int(sys.argv[2])
    with open(path) as f:
        header = json.loads(f.readline())
        policy = Policy(header["policy"])
        actors = [(uid(a["user"]), set(a["roles"])) for a in header["actors"]]
        ops = []
        for line in f:
            at, actor, text = line.rstrip("\n").split("\t", 2)
            j = json.loads(text)
            c = j["command"]
            user, roles = actors[int(actor)]
            allowed = bool(roles & roles_for(policy, c))
            ops.append((int(at), user, allowed, c, parse(j)))
    walls, cpus, line = [], [], None
    for _ in range(reps):
        gc.collect()
        gc.disable()
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        b, host = simulate(header, ops, policy)
        walls.append((time.perf_counter() - wall0) * 1e3)
        cpus.append((time.thread_time() - cpu0) * 1e3)
        this = summary(b, host, header["end"])
        del b
        gc.enable()
        if line is not None and this != line:
            raise SystemExit(f"two runs disagree: {line} / {this}")
        line = this
    print(f"python run ms: {statistics.median(walls):.0f} (median of {reps}, min {min(walls):.0f}, "
          f"max {max(walls):.0f}; on CPU {statistics.median(cpus):.0f})")
    print(f"python summary: {line}")


if __name__ == "__main__":
    main()
