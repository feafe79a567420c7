//! The `crisis` harness's comparisons: the event record against the model's, the assets
//! and efforts, and the causal order of a command's events.

use super::*;

// ---------------------------------------------------------------- checks

pub(super) fn kind_of(debug: &str) -> String {
    debug.split([' ', '{', '(']).next().unwrap_or("").to_owned()
}

pub(super) fn json<S: serde::Serialize>(v: &S) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `v` survives a JSON round trip.
#[track_caller]
pub(super) fn round_trip<S>(v: &S, what: &str)
where
    S: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = json(v);
    let back: Option<S> = serde_json::from_str(&text).ok();
    assert!(back.as_ref() == Some(v), "{what} JSON round trip: {text}");
}

/// Fails naming what differs, and the input, unless `got` is `want`.
#[track_caller]
pub(super) fn same<A: PartialEq + std::fmt::Debug>(
    got: A,
    want: A,
    what: &str,
    why: &dyn Fn() -> String,
) {
    assert!(
        got == want,
        "{what}: got {got:?}, model {want:?}; {}",
        why()
    );
}

pub(super) fn at_of(e: &Event) -> Option<T> {
    Some(match e {
        Event::Created { at, .. }
        | Event::Started { at, .. }
        | Event::PlanOpened { at, .. }
        | Event::PlanStarted { at, .. }
        | Event::PlanClosed { at, .. }
        | Event::PlanReopened { at, .. }
        | Event::TaskTriggered { at, .. }
        | Event::AutomationRequested { at, .. }
        | Event::TaskStarted { at, .. }
        | Event::TaskClosed { at, .. }
        | Event::BackupNotified { at, .. }
        | Event::TaskRetriggered { at, .. }
        | Event::TaskAssigned { at, .. }
        | Event::TaskAdded { at, .. }
        | Event::ResultRecorded { at, .. }
        | Event::Submitted { at, .. }
        | Event::Approved { at, .. }
        | Event::Returned { at, .. }
        | Event::Closed { at, .. }
        | Event::Canceled { at, .. } => *at,
        _ => return None,
    })
}

/// The crate's event record in the model's terms.
pub(super) fn view(c: &Crisis) -> M {
    M {
        id: c.id,
        name: c.name.clone(),
        kind: c.kind,
        status: c.status,
        order: c.order,
        coordinator: c.coordinator,
        plans: c
            .plans
            .iter()
            .map(|p| MPlan {
                name: p.name.clone(),
                activation: p.activation.clone(),
                status: p.status,
                by_hand: p.closed_by_hand,
                tasks: p
                    .tasks
                    .iter()
                    .map(|t| MTask {
                        id: t.id,
                        name: t.name.clone(),
                        classification: t.classification,
                        manual: t.manual,
                        ad_hoc: t.ad_hoc,
                        phase: t.phase,
                        status: t.status,
                        depends_on: t.depends_on.clone(),
                        child: t.child,
                        assets: t.assets.clone(),
                        level: t.level,
                        exclude: t.exclude_from_time,
                        assignee: t.assignee,
                        backup: t.backup,
                        started: t.started,
                        ended: t.ended,
                    })
                    .collect(),
                started: p.started,
                ended: p.ended,
                depends_on: p.depends_on.clone(),
            })
            .collect(),
        assets: c.assets.clone(),
        created: c.created,
        started: c.started,
        ended: c.ended,
        result: c.result,
        closed: c.closed,
    }
}

/// The event equals the model's, field by field (the first difference named).
pub(super) fn compare(c: &Crisis, m: &M, why: &dyn Fn() -> String) {
    let v = view(c);
    if v == *m {
        return;
    }
    same(v.status, m.status, "event status", why);
    same(v.plans.len(), m.plans.len(), "activated plans", why);
    for (n, (a, b)) in v.plans.iter().zip(&m.plans).enumerate() {
        if a == b {
            continue;
        }
        let at = |what: &str| format!("plan {n} {what}");
        same(&a.activation, &b.activation, &at("activation"), why);
        same(a.status, b.status, &at("status"), why);
        same(a.by_hand, b.by_hand, &at("closed by hand"), why);
        same(a.started, b.started, &at("start"), why);
        same(a.ended, b.ended, &at("end"), why);
        same(&a.depends_on, &b.depends_on, &at("dependencies"), why);
        same(a.tasks.len(), b.tasks.len(), &at("tasks"), why);
        for (x, y) in a.tasks.iter().zip(&b.tasks) {
            let at = |what: &str| format!("plan {n} task {} {what}", y.id);
            same(x.status, y.status, &at("status"), why);
            same(x, y, &at(""), why);
        }
        same(a, b, &at(""), why);
    }
    same(&v, m, "event", why);
}

/// Assets and efforts as the model reads them.
pub(super) fn compare_figures(c: &Crisis, m: &M, why: &dyn Fn() -> String) {
    for (n, (p, mp)) in c.plans.iter().zip(&m.plans).enumerate() {
        let want = model::effort(mp.tasks.iter());
        match (p.progress(), want) {
            (Err(e), Err(())) => same(
                kind_of(&format!("{e:?}")),
                "EffortOverflow".into(),
                "plan progress",
                why,
            ),
            (Ok(got), Ok(w)) => {
                let fine = match (got.effort, w) {
                    (Some(g), Some(w)) => g == w,
                    (Some(_), None) => false,
                    // KNOWN-free: the crate leaves the effort blank when no task has an end
                    // (every task skipped) and the plan has none either.
                    (None, Some(_)) => got.ended.is_none(),
                    (None, None) => true,
                };
                assert!(
                    fine,
                    "plan {n} effort: got {:?}, model {w:?}; {}",
                    got.effort,
                    why()
                );
            }
            (got, w) => panic!("plan {n} progress: got {got:?}, model {w:?}; {}", why()),
        }
    }
    let want = model::assets(m);
    let overflow = want.iter().any(|a| {
        model::effort(
            m.plans
                .iter()
                .flat_map(|p| &p.tasks)
                .filter(|t| t.assets.contains(&a.name)),
        )
        .is_err()
    });
    let got = match c.assets() {
        Err(e) => {
            assert!(overflow, "assets refused with {e:?}; {}", why());
            return;
        }
        Ok(got) => got,
    };
    assert!(
        !overflow,
        "assets answered though efforts overflow; {}",
        why()
    );
    let names: Vec<&str> = got.iter().map(|a| a.name.as_str()).collect();
    let wanted: Vec<&str> = want.iter().map(|a| a.name.as_str()).collect();
    same(names, wanted, "assets", why);
    for (a, w) in got.iter().zip(&want) {
        let tasks: Vec<&MTask> = m
            .plans
            .iter()
            .flat_map(|p| &p.tasks)
            .filter(|t| t.assets.contains(&w.name))
            .collect();
        let at = |what: &str| format!("asset {} {what}", w.name);
        same(a.status, w.status, &at("status"), why);
        same(a.recovered_at, w.recovered_at, &at("recovered at"), why);
        same(a.rto, w.rto, &at("rto"), why);
        same(a.within_rto, w.within_rto, &at("within rto"), why);
        let effort = model::effort(tasks.iter().copied()).ok().flatten();
        let fine = match (a.progress.effort, effort) {
            (Some(g), Some(e)) => g == e,
            (Some(_), None) => false,
            (None, Some(_)) => a.progress.ended.is_none(),
            (None, None) => true,
        };
        assert!(
            fine,
            "{}: got {:?}, model {effort:?}; {}",
            at("effort"),
            a.progress.effort,
            why()
        );
    }
}

/// The events come in causal order.
pub(super) fn causal(events: &[Event], state: &State, why: &dyn Fn() -> String) {
    use std::collections::HashMap;
    let c = state.crisis();
    // The first position of each fact in the batch (the last for a task's closing).
    let (mut opened, mut reopened, mut plan_closed) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    let (mut triggered, mut task_closed) = (HashMap::new(), HashMap::new());
    for (i, e) in events.iter().enumerate() {
        match e {
            Event::PlanOpened { plan, .. } => {
                opened.entry(*plan).or_insert(i);
            }
            Event::PlanReopened { plan, .. } => {
                reopened.entry(*plan).or_insert(i);
            }
            Event::PlanClosed { plan, .. } => {
                plan_closed.entry(*plan).or_insert(i);
            }
            Event::TaskTriggered { task, .. } => {
                triggered.entry(*task).or_insert(i);
            }
            Event::TaskClosed { task, .. } => {
                task_closed.insert(*task, i);
            }
            _ => {}
        }
    }
    for (i, e) in events.iter().enumerate() {
        let before = |j: Option<&usize>, what: &str| {
            if let Some(j) = j {
                assert!(*j < i, "{e:?} comes before {what}; {}", why());
            }
        };
        match e {
            Event::PlanClosed { plan, .. } => {
                for (t, j) in &task_closed {
                    if t.plan == *plan {
                        assert!(*j < i, "{e:?} before its task {t} closed; {}", why());
                    }
                }
            }
            Event::TaskClosed { task, by: None, .. } => {
                let child = c.and_then(|c| c.task(*task)).and_then(|t| t.child);
                before(
                    child.and_then(|p| plan_closed.get(&p)),
                    "its child plan closed",
                );
            }
            Event::TaskTriggered { task, by, .. } => {
                before(opened.get(&task.plan), "its plan opened");
                // By hand, a task is triggered whatever it waits for.
                let deps = if by.is_none() { c } else { None };
                for d in deps
                    .and_then(|c| c.task(*task))
                    .map_or(&[][..], |t| &t.depends_on[..])
                {
                    before(
                        task_closed.get(&TaskRef::new(task.plan, *d)),
                        "a task it waits for closed",
                    );
                }
            }
            Event::AutomationRequested { task, .. } => before(triggered.get(task), "its trigger"),
            Event::PlanStarted { plan, .. } => {
                before(opened.get(plan), "its plan opened");
                before(reopened.get(plan), "its plan reopened");
            }
            Event::PlanOpened { plan, .. } => {
                let parent = c
                    .and_then(|c| c.plan(*plan))
                    .and_then(|p| p.activation.parent);
                if let Some(j) = parent.and_then(|t| triggered.get(&t)) {
                    let by_rules =
                        matches!(events.get(*j), Some(Event::TaskTriggered { by: None, .. }));
                    if by_rules {
                        assert!(
                            *j < i,
                            "{e:?} before its referring task was triggered; {}",
                            why()
                        );
                    }
                }
            }
            _ => {}
        }
    }
}
