#!/usr/bin/env python3
"""The peer of `bench-crisis`: an exercise or crisis event run through its recovery plans in
plain Python, as a user would otherwise write it, with the rules of `itsm_crisis` under
`Policy::servicenow()` (docs/crisis.md) for the commands the benchmark sends:

- activation: the plans added to the event are primary (level 1); a primary plan's related
  plans are activated beside it (level 2, once); each task that refers to a plan activates it
  as a child one level below its own plan, once per task, down to `max_levels`; numbered
  primary, then related, then children breadth-first (each plan's tasks by Task ID);
- at the start, first-level plans that wait for no other plan open and their tasks without
  dependencies are triggered; a triggered task that refers to a plan opens that plan; an
  automatic task runs its flow when triggered (in progress at once);
- when a task is done (closed complete, incomplete or skipped; not failed), the tasks that
  depend on it and wait for nothing else are triggered (if its plan runs); a plan closes with
  its last task, incomplete if one was closed incomplete; a plan's closing opens the
  first-level plans that waited only for it, and closes the task that refers to it (if open
  or in progress) as the plan closed, which goes on in the referring plan;
- `work` starts an open task (its plan is then in progress); `close` closes one in progress;
  a failed automatic task tells its backup; `skip` closes a pending, open or in-progress task;
  `trigger` opens a pending task whatever it waits for (and its plan if not running);
  `retrigger` reopens an in-progress or closed task as a manual task (and reopens its plan if
  its last task had closed it; never a plan closed by hand); `retrigger_automation` runs an
  automatic task's flow again; `add_task` adds an ad-hoc task (the plan's highest Task ID plus
  one), open at once if its plan runs; `close_plan` skips the tasks not closed and closes the
  plan (complete only if every task is closed complete or skipped).

Each step is done in place on plain objects (no event records); a worklist (a deque) carries a
cascade, in the same order as the crate's. The counts of what the crate would record (events,
tasks triggered, plans closed and reopened, backups told) are kept as it goes.

Input: the spec `bench-crisis` writes (the crate's JSON), the commands (a code, the activated
plan, the Task ID, an argument, tab-separated), the levels and the repetitions. Each
repetition builds and starts the event (not timed), then runs the commands, the i-th at the
start plus i seconds; prints the median commands/s (wall clock and thread CPU) and a summary
line that must equal the Rust one. The garbage collector is off while timing.

Usage: python3 crisis_run.py SPEC.json COMMANDS.tsv MAX_LEVELS REPETITIONS
"""

import gc
import json
import statistics
import sys
import time
from collections import deque

# Task states; which are done, which closed.
PENDING, OPEN, WIP, CC, CI, CS, CF = range(7)
NAMES = ("pending", "open", "work_in_progress", "closed_complete", "closed_incomplete",
         "closed_skipped", "closed_failed")
DONE = (False, False, False, True, True, True, False)
CLOSED = (False, False, False, True, True, True, True)
# Plan states.
P_PENDING, P_OPEN, P_WIP, P_CC, P_CI = range(5)
# Event states (only these two occur here).
E_PENDING, E_WIP = range(2)
# Work items of a cascade.
W_DONE, W_TRIGGER, W_OPEN, W_CHECK = range(4)

MANAGERS = {"sn_bcm.planner", "sn_bcm.program_manager"}
PROGRAM_MANAGERS = {"sn_bcm.program_manager"}
MAX_TASKS = 4_000_000


class Task:
    __slots__ = ("id", "plan", "status", "waiting", "automatic", "manual", "backup",
                 "started", "ended", "depends_on", "dependents", "child", "name")

    def __init__(self, plan, tid, name, automatic, backup, depends_on):
        self.id = tid
        self.plan = plan
        self.name = name
        self.status = PENDING
        self.automatic = automatic
        self.manual = False
        self.backup = backup
        self.started = None
        self.ended = None
        self.depends_on = depends_on
        self.waiting = len(depends_on)
        self.dependents = []
        self.child = None


class Plan:
    __slots__ = ("name", "kind", "level", "parent", "status", "by_hand", "started", "ended",
                 "tasks", "index", "remaining", "incomplete", "waiting", "dependents")

    def __init__(self, name, kind, level):
        self.name = name
        self.kind = kind
        self.level = level
        self.parent = None
        self.status = P_PENDING
        self.by_hand = False
        self.started = None
        self.ended = None
        self.tasks = []
        self.index = {}
        self.remaining = 0
        self.incomplete = 0
        self.waiting = 0
        self.dependents = []


def activate(spec, max_levels):
    """The activations: (library plan, kind, level, parent (plan number, Task ID) or None)."""
    library = spec["plans"]
    index = {p["name"]: n for n, p in enumerate(library)}
    activated, first = [], set()
    for name in spec["activate"]:
        n = index[name]
        first.add(n)
        activated.append((n, "primary", 1, None))
    if max_levels >= 2:
        for n, _, _, _ in list(activated):
            for name in library[n].get("related", []):
                r = index.get(name)
                if r is not None and r not in first:
                    first.add(r)
                    activated.append((r, "related", 2, None))
    total, at = 0, 0
    while at < len(activated):
        n, _, level, _ = activated[at]
        number = at
        at += 1
        tasks = library[n]["tasks"]
        total += len(tasks)
        if total > MAX_TASKS:
            raise ValueError("too many tasks")
        if level >= max_levels:
            continue
        for t in sorted(tasks, key=lambda t: t["id"]):
            r = t.get("refers")
            if r is not None and r in index:
                activated.append((index[r], "child", level + 1, (number, t["id"])))
    return activated


class Crisis:
    def __init__(self, spec, max_levels, order_by_id=False):
        library = spec["plans"]
        self.status = E_PENDING
        self.started = None
        self.plans = plans = []
        self.queue = deque()
        self.now = 0
        self.events = self.triggered = self.plan_closings = self.reopened = self.notified = 0
        activations = activate(spec, max_levels)
        for n, kind, level, _ in activations:
            source = library[n]
            plan = Plan(source["name"], kind, level)
            specs = sorted(source["tasks"], key=lambda t: t["id"])
            ids = {t["id"] for t in specs}
            previous = None
            for t in specs:
                deps = {d for d in t.get("depends_on", ()) if d != t["id"] and d in ids}
                if order_by_id and previous is not None:
                    deps.add(previous)
                previous = t["id"]
                task = Task(plan, t["id"], t["name"], t.get("classification") == "automatic",
                            t.get("backup"), sorted(deps))
                plan.index[task.id] = task
                plan.tasks.append(task)
            for task in plan.tasks:
                for d in task.depends_on:
                    plan.index[d].dependents.append(task)
            plan.remaining = len(plan.tasks)
            plans.append(plan)
        for number, (_, kind, _, parent) in enumerate(activations):
            if kind == "child":
                p, tid = parent
                plans[number].parent = plans[p].index[tid]
                plans[p].index[tid].child = plans[number]
        first = {p.name: n for n, p in enumerate(plans) if p.kind != "child"}
        for n, p in enumerate(plans):
            if p.kind == "child":
                continue
            wanted = library[activations[n][0]].get("depends_on", ())
            for m in sorted({first[w] for w in wanted if w in first and first[w] != n}):
                plans[m].dependents.append(p)
                p.waiting += 1

    # --- changes, each what one event of the crate's does, counted as it would be recorded

    def set_status(self, task, status):
        old = task.status
        task.status = status
        plan = task.plan
        if old == CI:
            plan.incomplete -= 1
        if status == CI:
            plan.incomplete += 1
        if DONE[old] != DONE[status]:
            if DONE[status]:
                plan.remaining -= 1
                for d in task.dependents:
                    d.waiting -= 1
            else:
                plan.remaining += 1
                for d in task.dependents:
                    d.waiting += 1

    def plan_closed(self, plan, complete, by_hand):
        plan.status = P_CC if complete else P_CI
        plan.by_hand = by_hand
        plan.ended = self.now
        for d in plan.dependents:
            d.waiting -= 1
        self.events += 1
        self.plan_closings += 1

    def plan_reopened(self, plan):
        plan.status = P_WIP if plan.started is not None else P_OPEN
        plan.ended = None
        for d in plan.dependents:
            d.waiting += 1
        self.events += 1
        self.reopened += 1

    # --- the cascade

    def open_plan(self, plan):
        if plan.status != P_PENDING:
            return
        plan.status = P_OPEN
        self.events += 1
        queue = self.queue
        for task in plan.tasks:
            if task.waiting == 0 and task.status == PENDING:
                queue.append((W_TRIGGER, task))
        queue.append((W_CHECK, plan))

    def plan_started(self, plan):
        self.open_plan(plan)
        if plan.status == P_OPEN:
            plan.status = P_WIP
            if plan.started is None:
                plan.started = self.now
            self.events += 1

    def trigger(self, task):
        if task.status != PENDING:
            return
        self.open_plan(task.plan)
        self.set_status(task, OPEN)
        self.events += 1
        self.triggered += 1
        if task.automatic and not task.manual:
            self.set_status(task, WIP)
            task.started = self.now
            task.ended = None
            self.events += 1
            self.plan_started(task.plan)
        if task.child is not None:
            self.queue.append((W_OPEN, task.child))

    def close(self, task, status, ended):
        self.set_status(task, status)
        self.events += 1
        if status == CS:
            task.started = None
            task.ended = None
        else:
            task.ended = ended
            if status == CF and task.automatic and not task.manual and task.backup is not None:
                self.events += 1
                self.notified += 1
        if DONE[status]:
            self.queue.append((W_DONE, task))

    def done(self, task):
        plan = task.plan
        if plan.status != P_PENDING and self.status == E_WIP:
            queue = self.queue
            for d in task.dependents:
                if d.waiting == 0 and d.status == PENDING:
                    queue.append((W_TRIGGER, d))
        self.queue.append((W_CHECK, plan))

    def check(self, plan):
        if plan.status >= P_CC or plan.status == P_PENDING or plan.remaining > 0 or not plan.tasks:
            return
        complete = plan.incomplete == 0
        self.plan_closed(plan, complete, False)
        self.closed(plan, complete)

    def closed(self, plan, complete):
        if self.status == E_WIP:
            for d in plan.dependents:
                if d.waiting == 0 and d.status == P_PENDING:
                    self.queue.append((W_OPEN, d))
        parent = plan.parent
        if parent is not None and (parent.status == OPEN or parent.status == WIP):
            self.close(parent, CC if complete else CI, self.now)

    def run(self):
        queue = self.queue
        while queue:
            kind, what = queue.popleft()
            if kind == W_DONE:
                self.done(what)
            elif kind == W_TRIGGER:
                self.trigger(what)
            elif kind == W_OPEN:
                self.open_plan(what)
            else:
                self.check(what)

    # --- commands: True when accepted

    def find(self, p, tid):
        if 0 <= p < len(self.plans):
            return self.plans[p].index.get(tid)
        return None

    def start(self, roles):
        if not roles & MANAGERS or self.status != E_PENDING:
            return False
        self.status = E_WIP
        self.started = self.now
        self.events += 1
        for plan in self.plans:
            if plan.kind != "child" and plan.waiting == 0:
                self.queue.append((W_OPEN, plan))
        self.run()
        return True

    def trigger_command(self, roles, p, tid):
        if not roles & PROGRAM_MANAGERS or self.status != E_WIP:
            return False
        task = self.find(p, tid)
        if task is None or task.status != PENDING:
            return False
        self.queue.append((W_TRIGGER, task))
        self.run()
        return True

    def work(self, roles, p, tid):
        if self.status != E_WIP:
            return False
        task = self.find(p, tid)
        if task is None or not roles & MANAGERS or task.status != OPEN:
            return False
        self.set_status(task, WIP)
        task.started = self.now
        self.events += 1
        self.plan_started(task.plan)
        self.run()
        return True

    def close_command(self, roles, p, tid, how):
        if self.status != E_WIP:
            return False
        task = self.find(p, tid)
        if task is None or not roles & MANAGERS or task.status != WIP:
            return False
        if task.started is not None and self.now < task.started:
            return False
        self.close(task, (CC, CI, CF)[how], self.now)
        self.run()
        return True

    def skip(self, roles, p, tid):
        if not roles & PROGRAM_MANAGERS or self.status != E_WIP:
            return False
        task = self.find(p, tid)
        if task is None or CLOSED[task.status]:
            return False
        self.close(task, CS, None)
        self.run()
        return True

    def retrigger(self, roles, p, tid, automation):
        if not roles & MANAGERS or self.status != E_WIP:
            return False
        task = self.find(p, tid)
        if task is None:
            return False
        plan = task.plan
        if plan.by_hand:
            return False
        if automation and not (task.automatic and not task.manual):
            return False
        if not (task.status == WIP or CLOSED[task.status]):
            return False
        if automation:
            self.set_status(task, WIP)
            task.started = self.now
        else:
            self.set_status(task, OPEN)
            task.manual = True
            task.started = None
        task.ended = None
        self.events += 1
        if plan.status >= P_CC:
            self.plan_reopened(plan)
        if automation:
            self.plan_started(plan)
        else:
            self.open_plan(plan)
        self.run()
        return True

    def add_task(self, roles, p, name):
        if not roles & MANAGERS or self.status not in (E_PENDING, E_WIP):
            return False
        if not 0 <= p < len(self.plans):
            return False
        plan = self.plans[p]
        if not name.strip() or plan.status >= P_CC or len(plan.tasks) >= MAX_TASKS:
            return False
        tid = plan.tasks[-1].id + 1 if plan.tasks else 1
        if tid > 0xFFFF_FFFF:
            return False
        task = Task(plan, tid, name, False, None, [])
        plan.tasks.append(task)
        plan.index[tid] = task
        plan.remaining += 1
        self.events += 1
        if self.status == E_WIP and plan.status != P_PENDING:
            self.set_status(task, OPEN)
            self.events += 1
            self.triggered += 1
        return True

    def close_plan(self, roles, p, complete):
        if not roles & MANAGERS or self.status != E_WIP:
            return False
        if not 0 <= p < len(self.plans):
            return False
        plan = self.plans[p]
        if plan.status >= P_CC:
            return False
        if complete and any(t.status != CC and t.status != CS for t in plan.tasks):
            return False
        for task in plan.tasks:
            if not CLOSED[task.status]:
                self.set_status(task, CS)
                task.started = None
                task.ended = None
                self.events += 1
        self.plan_closed(plan, complete, True)
        self.closed(plan, complete)
        self.run()
        return True

    def summary(self, accepted, refused):
        counts = [0] * 7
        closed = 0
        for plan in self.plans:
            if plan.status >= P_CC:
                closed += 1
            for task in plan.tasks:
                counts[task.status] += 1
        tasks = " ".join(f"{NAMES[s]} {counts[s]}" for s in range(7))
        return (f"accepted {accepted} refused {refused} events {self.events} "
                f"triggered {self.triggered} plan_closings {self.plan_closings} "
                f"reopened {self.reopened} notified {self.notified} tasks {tasks} "
                f"plans {len(self.plans)} closed {closed}")


def run(crisis, ops, roles):
    """The commands, the i-th (from 0) at the start plus i + 1 seconds."""
    accepted = refused = 0
    # The counts of the start are not the workload's.
    crisis.events = crisis.triggered = crisis.plan_closings = crisis.reopened = 0
    crisis.notified = 0
    for i, (code, p, tid, arg) in enumerate(ops):
        crisis.now = i + 1
        if code == "W":
            ok = crisis.work(roles, p, tid)
        elif code == "C":
            ok = crisis.close_command(roles, p, tid, arg)
        elif code == "R":
            ok = crisis.retrigger(roles, p, tid, False)
        elif code == "S":
            ok = crisis.skip(roles, p, tid)
        elif code == "T":
            ok = crisis.trigger_command(roles, p, tid)
        elif code == "A":
            ok = crisis.retrigger(roles, p, tid, True)
        elif code == "N":
            ok = crisis.add_task(roles, p, f"ad hoc {i}")
        else:
            ok = crisis.close_plan(roles, p, arg == 0)
        if ok:
            accepted += 1
        else:
            refused += 1
    return accepted, refused


def main():
    spec_path, ops_path = sys.argv[1], sys.argv[2]
    max_levels, reps = int(sys.argv[3]), int(sys.argv[4])
    with open(spec_path) as f:
        spec = json.load(f)
    ops = []
    with open(ops_path) as f:
        for line in f:
            code, p, tid, arg = line.rstrip("\n").split("\t")
            ops.append((code, int(p), int(tid), int(arg)))
    roles = {"sn_bcm.program_manager"}
    walls, cpus, summary = [], [], None
    for _ in range(reps):
        crisis = Crisis(spec, max_levels)
        crisis.now = 0
        if not crisis.start(roles):
            raise SystemExit("the start was refused")
        gc.collect()
        gc.disable()
        cpu0, wall0 = time.thread_time(), time.perf_counter()
        accepted, refused = run(crisis, ops, roles)
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.thread_time() - cpu0)
        gc.enable()
        this = crisis.summary(accepted, refused)
        if summary is not None and this != summary:
            raise SystemExit(f"two runs disagree: {summary} / {this}")
        summary = this
        del crisis
    n = len(ops)
    print(f"python commands/s: {n / statistics.median(walls):.0f} "
          f"(median of {reps}, min {n / max(walls):.0f}, max {n / min(walls):.0f}; "
          f"on CPU {n / statistics.median(cpus):.0f})")
    print(f"python summary: {summary}")


if __name__ == "__main__":
    main()
