//! The `release` harness's own model of `docs/release.md` and the crate's doc comments: a
//! release as plain data, the plan's and the policy's defects, the status table, what
//! `decide` answers (the events, or the error variants a refusal may carry) and what
//! `next_deadline` answers. Written from the rules; where the pages leave an order open (a
//! notice and a phase change due at the same instant), the model puts the phase change
//! first, as the crate's comments say. The fold of events is in `release_state.rs`.

use super::state::{apply, created};
use super::*;

/// Error variants a refusal may carry (any of them where several rules are broken).
pub type Set = BTreeSet<&'static str>;

fn one(kind: &'static str) -> Set {
    BTreeSet::from([kind])
}

/// Closed for a phase's completion: complete, incomplete or skipped.
pub fn closed(s: TaskStatus) -> bool {
    matches!(
        s,
        TaskStatus::ClosedComplete | TaskStatus::ClosedIncomplete | TaskStatus::Skipped
    )
}

/// Taken up and not closed.
pub fn active(s: TaskStatus) -> bool {
    matches!(
        s,
        TaskStatus::Open | TaskStatus::Requested | TaskStatus::InProgress | TaskStatus::Rejected
    )
}

/// A phase may complete on it.
pub fn passes(s: CheckStatus) -> bool {
    matches!(
        s,
        CheckStatus::Compliant | CheckStatus::CompliantWithException
    )
}

/// The first instant of `d` in `z`.
pub fn first_instant(z: &Zone, d: NaiveDate) -> Option<T> {
    z.first_at_or_after(d.and_time(NaiveTime::MIN))
}

/// The first instant of the date after `d`.
pub fn end_instant(z: &Zone, d: NaiveDate) -> Option<T> {
    first_instant(z, d.succ_opt()?)
}

/// The date `t` falls on in `z`.
pub fn date_of(z: &Zone, t: T) -> Option<NaiveDate> {
    z.local(t).map(|x| x.date())
}

/// A key date the release can use (docs: "at least a year inside chrono's range"): its
/// start, its end, the day a year back (notices count back from it) and the day a year on
/// have instants.
pub fn placeable(z: &Zone, d: NaiveDate) -> bool {
    first_instant(z, d).is_some()
        && end_instant(z, d).is_some()
        && d.checked_sub_days(Days::new(366))
            .and_then(|b| first_instant(z, b))
            .is_some()
        && d.checked_add_days(Days::new(366))
            .and_then(|a| end_instant(z, a))
            .is_some()
}

fn holiday(hs: &[Holiday], d: NaiveDate) -> bool {
    hs.iter().any(|h| match h {
        Holiday::Date { date, .. } => *date == d,
        Holiday::Yearly { month, day, .. } => *month == d.month() && *day == d.day(),
        _ => false,
    })
}

/// `d` moved by `days`, then back to the last day that is not a holiday.
pub fn shift(d: NaiveDate, days: i64, hs: &[Holiday]) -> Option<NaiveDate> {
    let mut x = d.checked_add_signed(Duration::try_days(days)?)?;
    for _ in 0..400 {
        if !holiday(hs, x) {
            return Some(x);
        }
        x = x.pred_opt()?;
    }
    None
}

#[derive(Clone, Debug, PartialEq)]
pub struct MTask {
    pub name: String,
    pub due: Option<NaiveDate>,
    pub approver: Option<UserId>,
    pub status: TaskStatus,
    pub noticed: bool,
    pub rejection: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MPhase {
    pub name: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub status: PhaseStatus,
    pub started: Option<T>,
    pub ended: Option<T>,
    pub forced: bool,
    pub restarts: u32,
    pub noticed: bool,
    pub tasks: Vec<MTask>,
    pub checks: Vec<(String, CheckStatus)>,
}

impl MPhase {
    fn done(&self) -> bool {
        self.tasks.iter().all(|t| closed(t.status)) && self.checks.iter().all(|c| passes(c.1))
    }
}

/// A release as the model keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct M {
    pub id: ReleaseId,
    pub name: String,
    pub process: Process,
    pub zone: Zone,
    pub readiness: Option<NaiveDate>,
    pub r_noticed: bool,
    pub holidays: Vec<Holiday>,
    pub status: Status,
    pub phases: Vec<MPhase>,
    pub exceptions: Vec<(String, T, T)>,
    pub review: Option<String>,
    pub cancel: Option<String>,
    pub by: UserId,
    pub started: Option<T>,
    pub last: T,
}

impl M {
    pub fn current(&self) -> Option<usize> {
        self.phases
            .iter()
            .position(|p| p.status == PhaseStatus::InProgress)
    }
    pub fn progress(&self) -> usize {
        self.phases
            .iter()
            .take_while(|p| p.status == PhaseStatus::Completed)
            .count()
    }
}

/// What `decide` is given, as the model reads it.
pub struct Ctx<'a> {
    pub now: T,
    pub actor: &'a Actor,
    pub policy: &'a Policy,
    pub main: Option<usize>,
    pub included: &'a [usize],
}

impl Ctx<'_> {
    /// The multi-product rules for completing phase `i`.
    fn sync(&self, i: usize) -> Set {
        let mut out = Set::new();
        if self.main.is_some_and(|m| i > m) {
            out.insert("AheadOfMain");
        }
        if self.included.iter().any(|p| *p < i) {
            out.insert("IncludedBehind");
        }
        out
    }
    fn holds(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.actor.roles.contains(r))
    }
}

/// The commands each status accepts (docs/release.md's lifecycle: work while in progress;
/// plans, checks and dates also before the start; review and cancel in review; nothing
/// after the end but `tick`).
pub fn allowed(s: Status) -> &'static [&'static str] {
    match s {
        Status::Draft => &[
            "start",
            "add_task",
            "map_check",
            "unmap_check",
            "grant_exception",
            "retarget",
            "cancel",
            "tick",
        ],
        Status::InProgress => &[
            "start_task",
            "close_task",
            "approve",
            "reject",
            "rerequest",
            "add_task",
            "map_check",
            "unmap_check",
            "run_checks",
            "record_check",
            "grant_exception",
            "complete_phase",
            "restart",
            "retarget",
            "begin_review",
            "cancel",
            "tick",
        ],
        Status::Review => &["finish_review", "complete", "cancel", "tick"],
        _ => &["tick"],
    }
}

/// The policy's defects.
pub fn policy_defects(p: &Policy) -> Set {
    let mut out = Set::new();
    let w = p.risk_weights;
    if w.overdue.checked_add(w.check_failure) != Some(100) {
        out.insert("InvalidRiskWeights");
    }
    let far = |d: Option<u32>| d.is_some_and(|d| d > MAX_NOTICE_DAYS);
    if far(p.task_notice_days) || far(p.readiness_notice_days) {
        out.insert("NoticeTooEarly");
    }
    out
}

/// The plan's defects for `create` at `now`.
pub fn plan_defects(plan: &Plan, now: T, policy: &Policy) -> Set {
    let mut out = Set::new();
    let mut put = |bad: bool, k: &'static str| {
        if bad {
            out.insert(k);
        }
    };
    put(plan.name.trim().is_empty(), "EmptyName");
    let zone = plan.zone.as_deref().map_or(Some(Zone::Utc), Zone::parse);
    put(zone.is_none(), "UnknownZone");
    put(plan.phases.is_empty(), "NoPhases");
    let timeline = plan.process == Process::Timeline;
    let mut latest: Option<NaiveDate> = None;
    for (i, p) in plan.phases.iter().enumerate() {
        put(p.name.trim().is_empty(), "EmptyPhaseName");
        let seen = plan.phases.iter().take(i).any(|q| q.name == p.name);
        put(seen, "DuplicatePhase");
        put(
            timeline && (p.start.is_none() || p.end.is_none()),
            "MissingDates",
        );
        if let (Some(s), Some(e)) = (p.start, p.end) {
            put(e < s, "PhaseEndsBeforeStart");
        }
        // Listed in start order: no start before a start listed earlier.
        if let Some(s) = p.start {
            put(latest.is_some_and(|l| s < l), "PhasesOutOfOrder");
            latest = latest.max(Some(s));
        }
        put(
            p.tasks.iter().any(|t| t.name.trim().is_empty()),
            "EmptyTaskName",
        );
        for (j, c) in p.checks.iter().enumerate() {
            put(c.trim().is_empty(), "EmptyCheckName");
            put(p.checks.iter().take(j).any(|d| d == c), "DuplicateCheck");
        }
    }
    if let Some(z) = zone {
        let dates = plan
            .readiness
            .into_iter()
            .chain(plan.phases.iter().flat_map(|p| {
                p.start
                    .into_iter()
                    .chain(p.end)
                    .chain(p.tasks.iter().filter_map(|t| t.due))
            }));
        put(
            dates.into_iter().any(|d| !placeable(&z, d)),
            "DateOutOfRange",
        );
        // No key date before today (the readiness target, phase dates, due dates).
        let mut keys = plan
            .readiness
            .into_iter()
            .chain(plan.phases.iter().flat_map(|p| {
                p.start
                    .into_iter()
                    .chain(p.end)
                    .chain(p.tasks.iter().filter_map(|t| t.due))
            }));
        let past = date_of(&z, now).is_some_and(|t| keys.any(|d| d < t));
        put(!policy.allow_past_dates && past, "DateInPast");
    }
    put(
        policy.require_readiness && !timeline && plan.readiness.is_none(),
        "ReadinessRequired",
    );
    out
}

pub fn ahead(s: PhaseStatus) -> bool {
    matches!(s, PhaseStatus::Pending | PhaseStatus::InProgress)
}

/// A phase change the rules make without a command.
pub enum Item {
    Open(Vec<TaskRef>),
    Complete(usize),
    Start(usize),
    Review,
}

/// The next phase change the rules make without a command, and its date's instant where
/// it waits for one (a timeline's first start date, a timeline phase's end); `None`: as soon
/// as the rules look. With `c`, the multi-product rules hold it back; without, they allow.
pub fn next_item(m: &M, policy: &Policy, c: Option<&Ctx<'_>>) -> Option<(Option<T>, Item)> {
    if m.status != Status::InProgress {
        return None;
    }
    let Some(i) = m.current() else {
        let k = m.progress();
        return match m.phases.get(k) {
            None if policy.auto_review => Some((None, Item::Review)),
            Some(p) if p.status == PhaseStatus::Pending => {
                if m.process == Process::Timeline && k == 0 {
                    Some((Some(first_instant(&m.zone, p.start?)?), Item::Start(0)))
                } else {
                    Some((None, Item::Start(k)))
                }
            }
            _ => None,
        };
    };
    let p = m.phases.get(i)?;
    // Tasks to open: all pending ones, or the first once none is active.
    let pending = (0..p.tasks.len()).filter(|j| {
        p.tasks
            .get(*j)
            .is_some_and(|t| t.status == TaskStatus::Pending)
    });
    let open: Vec<TaskRef> = if !policy.sequential_tasks {
        pending.map(|j| TaskRef::new(i, j)).collect()
    } else if p.tasks.iter().any(|t| active(t.status)) {
        Vec::new()
    } else {
        pending.take(1).map(|j| TaskRef::new(i, j)).collect()
    };
    if !open.is_empty() {
        return Some((None, Item::Open(open)));
    }
    if !p.done() || c.is_some_and(|c| !c.sync(i).is_empty()) {
        return None;
    }
    match m.process {
        Process::Stage if policy.auto_advance => Some((None, Item::Complete(i))),
        Process::Stage => None,
        _ => Some((Some(end_instant(&m.zone, p.end?)?), Item::Complete(i))),
    }
}

/// The notices not sent yet, each at the instant it falls due (not before the last event),
/// in time order: the readiness target, tasks near their due dates, the current phase at
/// the end of its end date.
pub fn notices(m: &M, policy: &Policy) -> Vec<Event> {
    let mut out = Vec::new();
    if !matches!(m.status, Status::Draft | Status::InProgress) {
        return out;
    }
    let due = |d: NaiveDate, days: u32| {
        let back = d.checked_sub_days(Days::new(days.into()))?;
        Some(first_instant(&m.zone, back)?.max(m.last))
    };
    let r = m.readiness.filter(|_| !m.r_noticed);
    if let (Some(days), Some(readiness)) = (policy.readiness_notice_days, r) {
        if let Some(at) = due(readiness, days) {
            out.push(Event::ReadinessNear { readiness, at });
        }
    }
    if m.status == Status::InProgress {
        for (i, p) in m.phases.iter().enumerate() {
            for (j, t) in p.tasks.iter().enumerate() {
                let live = !t.noticed && !closed(t.status) && t.status != TaskStatus::Canceled;
                let at = policy
                    .task_notice_days
                    .zip(t.due.filter(|_| live))
                    .and_then(|(days, d)| Some((d, due(d, days)?)));
                if let Some((due, at)) = at {
                    let task = TaskRef::new(i, j);
                    out.push(Event::TaskDueSoon { task, due, at });
                }
            }
        }
        let cur = m.current().and_then(|i| Some((i, m.phases.get(i)?)));
        if let Some((i, p)) = cur.filter(|(_, p)| !p.noticed) {
            if let Some(at) = p.end.and_then(|e| end_instant(&m.zone, e)) {
                let at = at.max(m.last);
                out.push(Event::PhaseEndReached { phase: i, at });
            }
        }
    }
    out.sort_by_key(Event::at);
    out
}

/// When the host should tick next: the earliest notice, or a phase change waiting for a
/// date still ahead of the last event (one due already waits for the host's next command).
pub fn deadline(m: &M, policy: &Policy) -> Option<T> {
    let item = next_item(m, policy, None).and_then(|x| x.0.filter(|t| *t > m.last));
    let notice = notices(m, policy).first().map(Event::at);
    item.into_iter().chain(notice).min()
}

/// Runs what fell due by `c.now`, each at its instant: notices due before a phase change go
/// first. A change without a date of its own follows the one before it at once; found first
/// (held by the multi-product rules until now), it takes the command's instant.
fn advance(m: &mut M, c: &Ctx<'_>, out: &mut Vec<Event>) {
    let mut moved = false;
    for _ in 0..10_000 {
        let item = match next_item(m, c.policy, Some(c)) {
            Some((None, item)) => Some((if moved { m.last } else { c.now }, item)),
            Some((Some(t), item)) if t.max(m.last) <= c.now => Some((t.max(m.last), item)),
            _ => None,
        };
        let due: Vec<Event> = notices(m, c.policy)
            .into_iter()
            .filter(|e| match &item {
                Some((at, _)) => e.at() < *at,
                None => e.at() <= c.now,
            })
            .collect();
        for e in due {
            apply(m, &e);
            out.push(e);
        }
        let Some((at, item)) = item else {
            return;
        };
        let e = match item {
            Item::Open(tasks) => Event::TasksOpened { tasks, at },
            Item::Complete(phase) => Event::PhaseCompleted {
                phase,
                forced: false,
                at,
                by: None,
            },
            Item::Start(phase) => Event::PhaseStarted { phase, at },
            Item::Review => Event::ReviewStarted { at, by: None },
        };
        apply(m, &e);
        out.push(e);
        moved = true;
    }
    panic!("the model's rules ran away");
}

/// What the model says `decide` answers: the events and the release after them, or the
/// variants a refusal may carry.
pub fn decide(m0: Option<&M>, cmd: &Command, c: &Ctx<'_>) -> Result<(Vec<Event>, Option<M>), Set> {
    let defects = policy_defects(c.policy);
    if !defects.is_empty() {
        return Err(defects);
    }
    let Some(m0) = m0 else {
        return match cmd {
            Command::Create { release, plan } => {
                if !c.holds(&c.policy.managers) {
                    return Err(one("Forbidden"));
                }
                let defects = plan_defects(plan, c.now, c.policy);
                if !defects.is_empty() {
                    return Err(defects);
                }
                let (at, by) = (c.now, c.actor.user);
                let e = Event::Created {
                    release: *release,
                    plan: plan.clone(),
                    at,
                    by,
                };
                Ok((vec![e], created(*release, plan, at, by)))
            }
            Command::Tick => Ok((Vec::new(), None)),
            _ => Err(one("NotCreated")),
        };
    };
    if c.now < m0.last {
        return match cmd {
            Command::Tick => Ok((Vec::new(), Some(m0.clone()))),
            _ => Err(one("ClockWentBackwards")),
        };
    }
    if let Command::Create { .. } = cmd {
        return Err(one("AlreadyCreated"));
    }
    let mut m = m0.clone();
    let mut out = Vec::new();
    advance(&mut m, c, &mut out);
    if let Command::Tick = cmd {
        return Ok((out, Some(m)));
    }
    if !allowed(m.status).contains(&cmd.name()) {
        return Err(one("NotAllowed"));
    }
    let own = command(&m, cmd, c)?;
    if !own.is_empty() {
        for e in &own {
            apply(&mut m, e);
        }
        out.extend(own);
        advance(&mut m, c, &mut out);
    }
    Ok((out, Some(m)))
}

fn phase_at(m: &M, i: usize) -> Result<&MPhase, Set> {
    m.phases.get(i).ok_or_else(|| one("UnknownPhase"))
}

fn task_at(m: &M, r: TaskRef) -> Result<&MTask, Set> {
    phase_at(m, r.phase)?
        .tasks
        .get(r.task)
        .ok_or_else(|| one("UnknownTask"))
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Fails with every broken rule of `rules` at once.
fn rules(rules: &[(bool, &'static str)]) -> Result<(), Set> {
    let set: Set = rules.iter().filter(|r| r.0).map(|r| r.1).collect();
    if set.is_empty() { Ok(()) } else { Err(set) }
}

/// The command's own events, after its status was checked.
fn command(m: &M, cmd: &Command, c: &Ctx<'_>) -> Result<Vec<Event>, Set> {
    let (at, by, p) = (c.now, c.actor.user, c.policy);
    let manager = || {
        if c.holds(&p.managers) {
            Ok(())
        } else {
            Err(one("Forbidden"))
        }
    };
    let status = |t: &MTask, ok: &[TaskStatus]| (!ok.contains(&t.status), "TaskStatus");
    Ok(match cmd {
        Command::Start => {
            manager()?;
            vec![Event::Started { at, by }]
        }
        Command::StartTask { task } => {
            rules(&[status(task_at(m, *task)?, &[TaskStatus::Open])])?;
            vec![Event::TaskStarted {
                task: *task,
                at,
                by,
            }]
        }
        Command::CloseTask { task, outcome } => {
            let t = task_at(m, *task)?;
            let ok = [TaskStatus::Open, TaskStatus::InProgress];
            rules(&[(t.approver.is_some(), "ApprovalTaskCloses"), status(t, &ok)])?;
            let outcome = *outcome;
            vec![Event::TaskClosed {
                task: *task,
                outcome,
                at,
                by,
            }]
        }
        Command::Approve { task } | Command::Reject { task, .. } => {
            let t = task_at(m, *task)?;
            let reason = match cmd {
                Command::Reject { reason, .. } => Some(reason.clone()),
                _ => None,
            };
            rules(&[
                (t.approver.is_none(), "NotApprovalTask"),
                (t.approver.is_some_and(|a| a != by), "NotApprover"),
                status(t, &[TaskStatus::Requested]),
                (reason.as_deref().is_some_and(blank), "MissingField"),
            ])?;
            match reason {
                Some(reason) => vec![Event::TaskRejected {
                    task: *task,
                    reason,
                    at,
                    by,
                }],
                None => vec![Event::TaskApproved {
                    task: *task,
                    at,
                    by,
                }],
            }
        }
        Command::Rerequest { task } => {
            manager()?;
            let t = task_at(m, *task)?;
            let approval = t.approver.is_some();
            let rejected = status(t, &[TaskStatus::Rejected]);
            rules(&[(!approval, "NotApprovalTask"), rejected])?;
            vec![Event::TaskRerequested {
                task: *task,
                at,
                by,
            }]
        }
        Command::AddTask { phase, task } => {
            manager()?;
            let ph = phase_at(m, *phase)?;
            let bad_due = task.due.is_some_and(|d| !placeable(&m.zone, d));
            rules(&[
                (!ahead(ph.status), "PhaseClosed"),
                (blank(&task.name), "EmptyTaskName"),
                (bad_due, "DateOutOfRange"),
            ])?;
            let (phase, task) = (*phase, task.clone());
            vec![Event::TaskAdded {
                phase,
                task,
                at,
                by,
            }]
        }
        Command::MapCheck { phase, check } | Command::UnmapCheck { phase, check } => {
            manager()?;
            let ph = phase_at(m, *phase)?;
            let found = ph.checks.iter().find(|x| x.0 == *check);
            let map = matches!(cmd, Command::MapCheck { .. });
            rules(&[
                (!ahead(ph.status), "PhaseClosed"),
                (map && blank(check), "EmptyCheckName"),
                (map && found.is_some(), "DuplicateCheck"),
                (!map && found.is_none(), "UnknownCheck"),
            ])?;
            let (phase, check) = (*phase, check.clone());
            if map {
                return Ok(vec![Event::CheckMapped {
                    phase,
                    check,
                    at,
                    by,
                }]);
            }
            let rest: Vec<String> = ph
                .checks
                .iter()
                .map(|x| x.0.clone())
                .filter(|x| *x != check)
                .collect();
            let ran = found.is_some_and(|x| x.1 != CheckStatus::NotRun);
            let rerun = ph.status == PhaseStatus::InProgress && ran && !rest.is_empty();
            let mut out = vec![Event::CheckUnmapped {
                phase,
                check,
                at,
                by,
            }];
            if rerun {
                out.push(Event::ChecksRequested {
                    phase,
                    checks: rest,
                    at,
                });
            }
            out
        }
        Command::RunChecks => {
            manager()?;
            let i = m.current().ok_or_else(|| one("NoCurrentPhase"))?;
            let checks: Vec<String> = phase_at(m, i)?.checks.iter().map(|x| x.0.clone()).collect();
            if checks.is_empty() {
                return Ok(Vec::new());
            }
            vec![Event::ChecksRequested {
                phase: i,
                checks,
                at,
            }]
        }
        Command::RecordCheck { check, compliant } => {
            manager()?;
            let i = m.current().ok_or_else(|| one("NoCurrentPhase"))?;
            let known = phase_at(m, i)?.checks.iter().any(|x| x.0 == *check);
            rules(&[(!known, "UnknownCheck")])?;
            let excepted = m
                .exceptions
                .iter()
                .any(|x| x.0 == *check && x.1 <= at && at < x.2);
            let status = match (compliant, excepted) {
                (true, _) => CheckStatus::Compliant,
                (false, true) => CheckStatus::CompliantWithException,
                _ => CheckStatus::NonCompliant,
            };
            let check = check.clone();
            vec![Event::CheckRecorded {
                phase: i,
                check,
                status,
                at,
                by,
            }]
        }
        Command::GrantException {
            check,
            from,
            to,
            justification,
        } => {
            manager()?;
            rules(&[
                (blank(check) || blank(justification), "MissingField"),
                (to <= from, "ExceptionEndsBeforeStart"),
            ])?;
            let (check, justification) = (check.clone(), justification.clone());
            let (from, to) = (*from, *to);
            vec![Event::ExceptionGranted {
                check,
                from,
                to,
                justification,
                at,
                by,
            }]
        }
        Command::CompletePhase => {
            manager()?;
            let i = m.current().ok_or_else(|| one("NoCurrentPhase"))?;
            let ph = phase_at(m, i)?;
            let failing = !ph.checks.iter().all(|x| passes(x.1));
            let may = c.holds(&p.override_roles);
            let open = !ph.tasks.iter().all(|t| closed(t.status));
            let mut set = c.sync(i);
            if open {
                set.insert("TasksOpen");
            }
            if failing && !may {
                set.insert("ChecksNotPassing");
            }
            rules(&set.into_iter().map(|k| (true, k)).collect::<Vec<_>>())?;
            let e = Event::PhaseCompleted {
                phase: i,
                forced: failing,
                at,
                by: Some(by),
            };
            vec![e]
        }
        Command::Restart { phase } => {
            if !c.holds(&p.restart_roles) {
                return Err(one("Forbidden"));
            }
            let timeline = m.process != Process::Stage;
            let ph = m.phases.get(*phase);
            rules(&[
                (timeline, "RestartNeedsStage"),
                (ph.is_none(), "UnknownPhase"),
                (
                    ph.is_some_and(|x| x.status != PhaseStatus::Completed),
                    "RestartFromUncompleted",
                ),
            ])?;
            let (from, current, tasks) = (*phase, m.current(), p.restart_tasks);
            vec![Event::Restarted {
                from,
                current,
                tasks,
                at,
                by,
            }]
        }
        Command::Retarget { readiness } => {
            manager()?;
            let to = *readiness;
            let today = date_of(&m.zone, at).ok_or_else(|| one("DateOutOfRange"))?;
            rules(&[
                (!p.allow_past_dates && to < today, "DateInPast"),
                (!placeable(&m.zone, to), "DateOutOfRange"),
            ])?;
            let days = match (m.process, m.readiness) {
                (Process::Timeline, Some(old)) => (to - old).num_days(),
                _ => 0,
            };
            let mut set = Set::new();
            for ph in m.phases.iter().filter(|x| ahead(x.status) && days != 0) {
                let dues = ph
                    .tasks
                    .iter()
                    .filter(|t| !closed(t.status))
                    .filter_map(|t| t.due);
                for d in ph.start.into_iter().chain(ph.end).chain(dues) {
                    match shift(d, days, &m.holidays) {
                        None => set.insert("CannotMove"),
                        Some(n) => !placeable(&m.zone, n) && set.insert("DateOutOfRange"),
                    };
                }
            }
            rules(&set.into_iter().map(|k| (true, k)).collect::<Vec<_>>())?;
            let from = m.readiness;
            vec![Event::Retargeted {
                from,
                to,
                days,
                at,
                by,
            }]
        }
        Command::BeginReview => {
            manager()?;
            rules(&[(m.progress() < m.phases.len(), "PhasesNotCompleted")])?;
            vec![Event::ReviewStarted { at, by: Some(by) }]
        }
        Command::FinishReview { notes } => {
            manager()?;
            rules(&[(blank(notes), "MissingField")])?;
            let mut out = vec![Event::ReviewFinished {
                notes: notes.clone(),
                at,
                by,
            }];
            if p.auto_complete {
                out.push(Event::Completed { at, by: None });
            }
            out
        }
        Command::Complete => {
            manager()?;
            vec![Event::Completed { at, by: Some(by) }]
        }
        Command::Cancel { reason } => {
            manager()?;
            rules(&[(blank(reason), "MissingField")])?;
            vec![Event::Canceled {
                reason: reason.clone(),
                at,
                by,
            }]
        }
        _ => return Err(one("NotAllowed")),
    })
}
