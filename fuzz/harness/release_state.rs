//! What the `release` harness checks of a release's state: the model's fold of events
//! (`evolve` as docs/release.md and the events' doc comments describe it), the invariants of
//! the crate's release whatever the model says, the risk scores (both formulas, exact
//! fractions, halves rounded up), the check-status roll-ups and the status table.

use super::model::{M, MPhase, MTask, active, ahead, closed, date_of, end_instant, passes, shift};
use super::*;

fn new_task(t: &TaskSpec) -> MTask {
    MTask {
        name: t.name.clone(),
        due: t.due,
        approver: t.approver,
        status: TaskStatus::Pending,
        noticed: false,
        rejection: None,
    }
}

pub fn created(id: ReleaseId, plan: &Plan, at: T, by: UserId) -> Option<M> {
    let phases = plan.phases.iter().map(|p| MPhase {
        name: p.name.clone(),
        start: p.start,
        end: p.end,
        status: PhaseStatus::Pending,
        started: None,
        ended: None,
        forced: false,
        restarts: 0,
        noticed: false,
        tasks: p.tasks.iter().map(new_task).collect(),
        checks: p
            .checks
            .iter()
            .map(|c| (c.clone(), CheckStatus::NotRun))
            .collect(),
    });
    Some(M {
        id,
        name: plan.name.clone(),
        process: plan.process,
        zone: plan.zone.as_deref().map_or(Some(Zone::Utc), Zone::parse)?,
        readiness: plan.readiness,
        r_noticed: false,
        holidays: plan.holidays.clone(),
        status: Status::Draft,
        phases: phases.collect(),
        exceptions: Vec::new(),
        review: None,
        cancel: None,
        by,
        started: None,
        last: at,
    })
}

/// Folds one event into the model.
pub fn apply(m: &mut M, e: &Event) {
    m.last = m.last.max(e.at());
    let t = |m: &mut M, r: &TaskRef, f: &dyn Fn(&mut MTask)| {
        if let Some(x) = m
            .phases
            .get_mut(r.phase)
            .and_then(|p| p.tasks.get_mut(r.task))
        {
            f(x);
        }
    };
    match e {
        Event::Started { at, .. } => {
            m.status = Status::InProgress;
            m.started = Some(*at);
        }
        Event::PhaseStarted { phase, at } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.status = PhaseStatus::InProgress;
                p.started = Some(*at);
                p.ended = None;
            }
        }
        Event::TasksOpened { tasks, .. } => {
            for r in tasks {
                t(m, r, &|x| {
                    x.status = if x.approver.is_some() {
                        TaskStatus::Requested
                    } else {
                        TaskStatus::Open
                    }
                });
            }
        }
        Event::TaskStarted { task, .. } => t(m, task, &|x| x.status = TaskStatus::InProgress),
        Event::TaskClosed { task, outcome, .. } => {
            let s = match outcome {
                Outcome::Complete => TaskStatus::ClosedComplete,
                Outcome::Incomplete => TaskStatus::ClosedIncomplete,
                _ => TaskStatus::Skipped,
            };
            t(m, task, &|x| x.status = s);
        }
        Event::TaskApproved { task, .. } => t(m, task, &|x| {
            x.status = TaskStatus::ClosedComplete;
            x.rejection = None;
        }),
        Event::TaskRejected { task, reason, .. } => t(m, task, &|x| {
            x.status = TaskStatus::Rejected;
            x.rejection = Some(reason.clone());
        }),
        Event::TaskRerequested { task, .. } => t(m, task, &|x| {
            x.status = TaskStatus::Requested;
            x.rejection = None;
        }),
        Event::TaskAdded { phase, task, .. } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.tasks.push(new_task(task));
            }
        }
        Event::CheckMapped { phase, check, .. } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.checks.push((check.clone(), CheckStatus::NotRun));
            }
        }
        Event::CheckUnmapped { phase, check, .. } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.checks.retain(|c| c.0 != *check);
            }
        }
        Event::ChecksRequested { phase, checks, .. } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                for c in p.checks.iter_mut().filter(|c| checks.contains(&c.0)) {
                    c.1 = CheckStatus::Running;
                }
            }
        }
        Event::CheckRecorded {
            phase,
            check,
            status,
            ..
        } => {
            let p = m.phases.get_mut(*phase);
            if let Some(c) = p.and_then(|p| p.checks.iter_mut().find(|c| c.0 == *check)) {
                c.1 = *status;
            }
        }
        Event::ExceptionGranted {
            check, from, to, ..
        } => {
            m.exceptions.push((check.clone(), *from, *to));
        }
        Event::PhaseCompleted {
            phase, forced, at, ..
        } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.status = PhaseStatus::Completed;
                p.ended = Some(*at);
                p.forced = *forced;
            }
        }
        Event::Restarted {
            from,
            current,
            tasks,
            at,
            ..
        } => {
            // The phases from the chosen one to the current one (the last when none is).
            let last = current.unwrap_or(m.phases.len().saturating_sub(1));
            if let Some(p) = current.and_then(|c| m.phases.get_mut(c)) {
                p.restarts += 1;
            }
            for (i, p) in m.phases.iter_mut().enumerate() {
                if i < *from || i > last {
                    continue;
                }
                p.status = if i == *from {
                    p.started = Some(*at);
                    PhaseStatus::InProgress
                } else {
                    PhaseStatus::Pending
                };
                (p.ended, p.forced, p.noticed) = (None, false, false);
                p.checks.iter_mut().for_each(|c| c.1 = CheckStatus::NotRun);
                for x in &mut p.tasks {
                    x.status = match (tasks, x.approver) {
                        (RestartTasks::AllOpen, Some(_)) => TaskStatus::Requested,
                        (RestartTasks::AllOpen, None) => TaskStatus::Open,
                        _ => TaskStatus::Pending,
                    };
                    (x.noticed, x.rejection) = (false, None);
                }
            }
        }
        Event::Retargeted { to, days, at, .. } => {
            // A notice goes again for a date that moved and is still ahead (its end not
            // passed at the retarget); a date moved into the past, or the same target, is not
            // announced again.
            let zone = m.zone;
            let still = |d: NaiveDate| end_instant(&zone, d).is_some_and(|e| e > *at);
            if m.readiness != Some(*to) {
                m.readiness = Some(*to);
                m.r_noticed &= !still(*to);
            }
            let hs = m.holidays.clone();
            let mv = |d: &mut Option<NaiveDate>| {
                let n = d.and_then(|x| shift(x, *days, &hs));
                let changed = n.is_some() && n != *d;
                if changed {
                    *d = n;
                }
                changed && n.is_some_and(still)
            };
            for p in m
                .phases
                .iter_mut()
                .filter(|p| ahead(p.status) && *days != 0)
            {
                mv(&mut p.start);
                if mv(&mut p.end) {
                    p.noticed = false;
                }
                for x in p.tasks.iter_mut().filter(|x| !closed(x.status)) {
                    if mv(&mut x.due) {
                        x.noticed = false;
                    }
                }
            }
        }
        Event::PhaseEndReached { phase, .. } => {
            if let Some(p) = m.phases.get_mut(*phase) {
                p.noticed = true;
            }
        }
        Event::TaskDueSoon { task, .. } => t(m, task, &|x| x.noticed = true),
        Event::ReadinessNear { .. } => m.r_noticed = true,
        Event::ReviewStarted { .. } => m.status = Status::Review,
        Event::ReviewFinished { notes, .. } => m.review = Some(notes.clone()),
        Event::Completed { .. } => m.status = Status::Completed,
        Event::Canceled { reason, .. } => {
            m.status = Status::Canceled;
            m.cancel = Some(reason.clone());
            for p in &mut m.phases {
                if ahead(p.status) {
                    p.status = PhaseStatus::Canceled;
                }
                for x in p.tasks.iter_mut().filter(|x| !closed(x.status)) {
                    x.status = TaskStatus::Canceled;
                }
            }
        }
        _ => {}
    }
}

/// The crate's release as the model keeps it (notices sent are not visible).
pub fn seen_as_model(r: &Release) -> Option<M> {
    let phases = r.phases().iter().map(|p| MPhase {
        name: p.name().to_owned(),
        start: p.start(),
        end: p.end(),
        status: p.status(),
        started: p.started_at(),
        ended: p.ended_at(),
        forced: p.forced(),
        restarts: p.restarts(),
        noticed: false,
        tasks: p
            .tasks()
            .iter()
            .map(|t| MTask {
                name: t.name().to_owned(),
                due: t.due(),
                approver: t.approver(),
                status: t.status(),
                noticed: false,
                rejection: t.rejection().map(str::to_owned),
            })
            .collect(),
        checks: p
            .checks()
            .iter()
            .map(|c| (c.name().to_owned(), c.status()))
            .collect(),
    });
    let exceptions = r
        .exceptions()
        .iter()
        .map(|e| (e.check.clone(), e.from, e.to));
    Some(M {
        id: r.id(),
        name: r.name().to_owned(),
        process: r.process(),
        zone: r.zone().map_or(Some(Zone::Utc), Zone::parse)?,
        readiness: r.readiness(),
        r_noticed: false,
        holidays: r.holidays().to_vec(),
        status: r.status(),
        phases: phases.collect(),
        exceptions: exceptions.collect(),
        review: r.review().map(str::to_owned),
        cancel: r.cancel_reason().map(str::to_owned),
        by: r.created_by(),
        started: r.started_at(),
        last: r.last_at(),
    })
}

pub fn blind(m: &M) -> M {
    let mut m = m.clone();
    m.r_noticed = false;
    for p in &mut m.phases {
        p.noticed = false;
        p.tasks.iter_mut().for_each(|t| t.noticed = false);
    }
    m
}

/// The invariants of a release, whatever the model says. `reopened`: the phases a restart
/// with `all_open` reopened.
pub fn invariants(
    r: &Release,
    policy: &Policy,
    reopened: &BTreeSet<usize>,
    why: &dyn Fn() -> String,
) {
    use PhaseStatus as P;
    let ph = r.phases();
    let k = r.progress();
    let statuses: Vec<P> = ph.iter().map(|p| p.status()).collect();
    let rest = statuses.get(k..).unwrap_or_default();
    let shape = match r.status() {
        Status::Draft => rest.len() == ph.len() && rest.iter().all(|s| *s == P::Pending),
        Status::InProgress => match rest.split_first() {
            Some((P::InProgress, tail)) => tail.iter().all(|s| *s == P::Pending),
            _ => rest.iter().all(|s| *s == P::Pending),
        },
        Status::Review | Status::Completed => rest.is_empty(),
        _ => rest.iter().all(|s| *s == P::Canceled),
    };
    assert!(
        shape,
        "phases {statuses:?} in a release {}; {}",
        r.status(),
        why()
    );
    let started = match r.status() {
        Status::Draft => r.started_at().is_none(),
        Status::Canceled => true,
        _ => r.started_at().is_some(),
    };
    assert!(started, "started_at {:?} in {}", r.started_at(), r.status());
    for (i, p) in ph.iter().enumerate() {
        let tasks: Vec<TaskStatus> = p.tasks().iter().map(|t| t.status()).collect();
        let fine = match p.status() {
            P::Pending => {
                p.checks().iter().all(|c| c.status() == CheckStatus::NotRun)
                    && (reopened.contains(&i) || tasks.iter().all(|s| *s == TaskStatus::Pending))
            }
            P::InProgress => {
                let on = tasks.iter().filter(|s| active(**s)).count();
                let prefix = tasks.iter().skip_while(|s| **s != TaskStatus::Pending);
                let ordered = prefix.clone().all(|s| *s == TaskStatus::Pending);
                let one = on <= 1 && ordered;
                p.ended_at().is_none() && (!policy.sequential_tasks || reopened.contains(&i) || one)
            }
            P::Completed => {
                tasks.iter().all(|s| closed(*s))
                    && (p.forced() || p.checks().iter().all(|c| passes(c.status())))
                    && p.ended_at().is_some()
            }
            _ => tasks
                .iter()
                .all(|s| closed(*s) || *s == TaskStatus::Canceled),
        };
        assert!(
            fine,
            "phase {i} {} with tasks {tasks:?}; {}",
            p.status(),
            why()
        );
        for t in p.tasks() {
            let s = t.status();
            let ok = match t.approver() {
                Some(_) => !matches!(
                    s,
                    TaskStatus::Open
                        | TaskStatus::InProgress
                        | TaskStatus::ClosedIncomplete
                        | TaskStatus::Skipped
                ),
                None => !matches!(s, TaskStatus::Requested | TaskStatus::Rejected),
            };
            let rejection = (s == TaskStatus::Rejected) <= t.rejection().is_some()
                && (t.rejection().is_none()
                    || matches!(s, TaskStatus::Rejected | TaskStatus::Canceled));
            assert!(ok && rejection, "task {t:?}; {}", why());
        }
        let names: BTreeSet<&str> = p.checks().iter().map(|c| c.name()).collect();
        assert!(names.len() == p.checks().len(), "a check twice in {p:?}");
    }
}

fn parts(f: &Factors) -> Parts {
    match *f {
        Factors::Timeline {
            tasks,
            overdue,
            overdue_score,
            checks,
            failed,
            failure_score,
            elapsed_days,
            total_days,
            ..
        } => Parts::Timeline([
            tasks as i64,
            overdue as i64,
            overdue_score.into(),
            checks as i64,
            failed as i64,
            failure_score.into(),
            elapsed_days,
            total_days,
        ]),
        Factors::Stage {
            tasks,
            closed,
            runs,
            non_compliant,
            days_remaining,
            ..
        } => Parts::Stage([tasks, closed, runs, non_compliant], days_remaining),
        _ => Parts::None,
    }
}

/// The risk of the release at a few instants from `now`, under the policy's weights and
/// the extra ones, against the model.
pub fn check_risk(state: &State, m: Option<&M>, now: T, input: &Input, why: &dyn Fn() -> String) {
    for days in [0, 3, 20] {
        let Some(t) = now.checked_add_signed(Duration::days(days)) else {
            continue;
        };
        for w in [input.policy.risk_weights, input.weights] {
            let mut p = input.policy.clone();
            p.risk_weights = w;
            let got = risk(state, t, &p);
            assert!(got.score <= 100, "risk {got:?}; {}", why());
            let want = risk_of(m, t, w);
            let what = format!("risk at {t:?} under {w:?}");
            same(
                (got.score, got.level, parts(&got.factors)),
                want,
                &what,
                why,
            );
        }
    }
}

/// Checks that do not depend on the commands: JSON of the plan and policy, the status
/// table, the check-status roll-ups.
pub fn statics(input: &Input) {
    round_trip(&input.plan, "plan");
    round_trip(&input.policy, "policy");
    for s in [
        Status::Draft,
        Status::InProgress,
        Status::Review,
        Status::Completed,
        Status::Canceled,
    ] {
        let got: BTreeSet<&str> = allowed_commands(s).iter().copied().collect();
        let want: BTreeSet<&str> = model::allowed(s).iter().copied().collect();
        assert!(
            got == want,
            "allowed_commands({s}): {got:?}, model {want:?}"
        );
    }
    for (primary, included) in &input.rollups {
        let want = if *primary == CheckStatus::NotRun {
            CheckStatus::NotRun
        } else {
            let mut all = vec![*primary];
            all.extend(included);
            rollup(&all)
        };
        assert!(
            aggregate(*primary, included) == want,
            "aggregate({primary}, {included:?})"
        );
        let own = phase_check_status(included);
        assert!(
            own == rollup(included),
            "phase_check_status({included:?}): {own}"
        );
    }
}

// ---------------------------------------------------------------- risk

/// A finished check run: compliant, non-compliant, or compliant with an exception.
fn finished(s: CheckStatus) -> bool {
    passes(s) || s == CheckStatus::NonCompliant
}

/// What the model's risk score was made of.
#[derive(Debug, PartialEq, Eq)]
pub enum Parts {
    None,
    Timeline([i64; 8]),
    Stage([usize; 4], Option<i64>),
}

/// `n / d` rounded half up.
fn round(n: u128, d: u128) -> u128 {
    n / d + u128::from(2 * (n % d) >= d)
}

/// 0 under 10%, 1 from 10% to 40%, 2 over 40%.
fn band(part: usize, whole: usize) -> u32 {
    let (p, w) = (part as u128 * 100, whole as u128);
    if whole == 0 || p < 10 * w {
        0
    } else if p <= 40 * w {
        1
    } else {
        2
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a.max(1) } else { gcd(b, a % b) }
}

/// A sum of weighted fractions, exactly: `(weight, numerator, denominator)`.
fn weighted(parts: &[(u128, u128, u128)]) -> (u128, u128) {
    parts.iter().fold((0, 1), |(n, d), &(w, a, b)| {
        let (n2, d2) = (n * b + w * a * d, d * b);
        let g = gcd(n2, d2);
        (n2 / g, d2 / g)
    })
}

/// The risk score of `m`'s phase in progress at `now`: score, level and parts.
pub fn risk_of(m: Option<&M>, now: T, w: RiskWeights) -> (u32, Option<RiskLevel>, Parts) {
    let none = (0, None, Parts::None);
    let Some(m) = m.filter(|m| m.status == Status::InProgress) else {
        return none;
    };
    let (Some(ph), Some(today)) = (
        m.current().and_then(|i| m.phases.get(i)),
        date_of(&m.zone, now),
    ) else {
        return none;
    };
    let tasks = ph.tasks.len();
    let nc = ph
        .checks
        .iter()
        .filter(|x| x.1 == CheckStatus::NonCompliant)
        .count();
    if m.process == Process::Timeline {
        let overdue = ph
            .tasks
            .iter()
            .filter(|t| !closed(t.status) && t.due.or(ph.end).is_some_and(|d| today > d))
            .count();
        let first = m.phases.first().and_then(|p| p.start);
        let last = m.phases.last().and_then(|p| p.end);
        let (elapsed, total) = match first.zip(last) {
            Some((f, l)) => {
                let total = (l - f).num_days().max(1);
                (((today - f).num_days()).clamp(0, total), total)
            }
            None => (0, 1),
        };
        let (o, f) = (band(overdue, tasks), band(nc, ph.checks.len()));
        let sum =
            u128::from(o) * u128::from(w.overdue) + u128::from(f) * u128::from(w.check_failure);
        let score = round(sum * elapsed as u128, 100 * total as u128).min(100) as u32;
        let level = match score {
            0 | 1 => RiskLevel::Low,
            2 => RiskLevel::Medium,
            _ => RiskLevel::High,
        };
        let parts = [
            tasks as i64,
            overdue as i64,
            o.into(),
            ph.checks.len() as i64,
            nc as i64,
            f.into(),
            elapsed,
            total,
        ];
        return (score, Some(level), Parts::Timeline(parts));
    }
    let done = ph.tasks.iter().filter(|t| closed(t.status)).count();
    let runs = ph.checks.iter().filter(|x| finished(x.1)).count();
    if tasks == 0 && runs == 0 {
        return none;
    }
    let remaining = m.readiness.map(|d| (d - today).num_days());
    let (t, k) = (tasks as u128, runs as u128);
    let work = if t > 1 { (t - done as u128, t) } else { (0, 1) };
    let checks = if k > 0 { (nc as u128, k) } else { (0, 1) };
    // max(0, 1 - (done / t) / 0.2) = max(0, t - 5 done) / t.
    let progress = if t > 0 {
        (t.saturating_sub(5 * done as u128), t)
    } else {
        (0, 1)
    };
    let mut parts = vec![(40, checks.0, checks.1), (10, progress.0, progress.1)];
    match remaining {
        None => parts.push((50, work.0, work.1)),
        Some(d) => {
            parts.push((30, work.0, work.1));
            let time = if d < 0 {
                14
            } else {
                14u128.saturating_sub(d as u128)
            };
            parts.push((20, time, 14));
        }
    }
    let (n, d) = weighted(&parts);
    let score = round(n, d).min(100) as u32;
    (
        score,
        None,
        Parts::Stage([tasks, done, runs, nc], remaining),
    )
}

/// The check status of several results rolled up: non-compliant, running, not run,
/// compliant with exception, compliant (none: compliant).
pub fn rollup(all: &[CheckStatus]) -> CheckStatus {
    use CheckStatus::*;
    let order = [NonCompliant, Running, NotRun, CompliantWithException];
    order
        .into_iter()
        .find(|s| all.contains(s))
        .unwrap_or(Compliant)
}
