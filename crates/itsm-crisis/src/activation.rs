//! Activation: which plans a spec activates (checked at `create`), and the record a
//! `Created` event describes.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::model::{
    ActivatedPlan, Activation, Crisis, PlanKind, PlanStatus, Status, Task, TaskRef, TaskStatus,
};
use crate::policy::{Order, Policy};
use crate::spec::{CrisisSpec, MAX_PLANS, MAX_TASKS};

/// The record a `Created` event describes. The spec was checked by `decide`; whatever a
/// hand-made event holds, this neither panics nor loops.
pub(crate) fn build(
    id: crate::CrisisId,
    spec: &CrisisSpec,
    activated: &[Activation],
    order: Order,
    at: DateTime<Utc>,
) -> Crisis {
    let mut plans: Vec<ActivatedPlan> = activated
        .iter()
        .map(|a| {
            let source = spec.plans.get(a.spec as usize);
            let mut specs: Vec<&crate::TaskSpec> =
                source.map(|p| p.tasks.iter().collect()).unwrap_or_default();
            specs.sort_by_key(|t| t.id);
            specs.dedup_by_key(|t| t.id);
            let ids: Vec<u32> = specs.iter().map(|t| t.id).collect();
            let mut tasks: Vec<Task> = specs
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut depends_on: Vec<u32> = t
                        .depends_on
                        .iter()
                        .copied()
                        .filter(|d| *d != t.id && ids.binary_search(d).is_ok())
                        .collect();
                    if order == Order::TaskId {
                        if let Some(prev) = i.checked_sub(1).and_then(|j| ids.get(j)) {
                            depends_on.push(*prev);
                        }
                    }
                    depends_on.sort_unstable();
                    depends_on.dedup();
                    Task {
                        id: t.id,
                        name: t.name.clone(),
                        classification: t.classification,
                        manual: false,
                        ad_hoc: false,
                        phase: t.phase,
                        status: TaskStatus::Pending,
                        waiting: u32::try_from(depends_on.len()).unwrap_or(u32::MAX),
                        depends_on,
                        child: None,
                        assets: t.assets.clone(),
                        level: t.level,
                        exclude_from_time: t.exclude_from_time,
                        duration: t.duration,
                        assignee: t.assignee,
                        backup: t.backup,
                        started: None,
                        ended: None,
                        dependents: Vec::new(),
                    }
                })
                .collect();
            let mut edges: Vec<(usize, u32)> = Vec::new();
            for (i, t) in tasks.iter().enumerate() {
                for d in &t.depends_on {
                    if let Ok(j) = ids.binary_search(d) {
                        edges.push((j, u32::try_from(i).unwrap_or(u32::MAX)));
                    }
                }
            }
            for (j, i) in edges {
                if let Some(t) = tasks.get_mut(j) {
                    t.dependents.push(i);
                }
            }
            ActivatedPlan {
                name: source.map(|p| p.name.clone()).unwrap_or_default(),
                activation: a.clone(),
                status: PlanStatus::Pending,
                closed_by_hand: false,
                remaining: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
                tasks,
                started: None,
                ended: None,
                depends_on: Vec::new(),
                incomplete: 0,
                waiting: 0,
                dependents: Vec::new(),
            }
        })
        .collect();
    // Child plans hang off the tasks that refer to them.
    for (n, a) in (0u32..).zip(activated) {
        if let (PlanKind::Child, Some(parent)) = (a.kind, a.parent) {
            if let Some(pos) = plans
                .get(parent.plan as usize)
                .and_then(|p| p.position(parent.task))
            {
                if let Some(t) = plans
                    .get_mut(parent.plan as usize)
                    .and_then(|p| p.tasks.get_mut(pos))
                {
                    t.child = Some(n);
                }
            }
        }
    }
    // Dependencies between first-level plans, by name.
    let first: HashMap<&str, u32> = (0u32..)
        .zip(&plans)
        .filter(|(_, p)| p.activation.kind != PlanKind::Child)
        .map(|(n, p)| (p.name.as_str(), n))
        .collect();
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for (n, p) in (0u32..).zip(&plans) {
        if p.activation.kind == PlanKind::Child {
            continue;
        }
        let wanted = spec
            .plans
            .get(p.activation.spec as usize)
            .map(|s| s.depends_on.as_slice())
            .unwrap_or(&[]);
        let mut on: Vec<u32> = wanted
            .iter()
            .filter_map(|name| first.get(name.as_str()).copied())
            .filter(|m| *m != n)
            .collect();
        on.sort_unstable();
        on.dedup();
        edges.extend(on.iter().map(|m| (*m, n)));
    }
    for (m, n) in edges {
        if let Some(p) = plans.get_mut(m as usize) {
            p.dependents.push(n);
        }
        if let Some(p) = plans.get_mut(n as usize) {
            p.depends_on.push(m);
            p.waiting = p.waiting.saturating_add(1);
        }
    }
    Crisis {
        id,
        name: spec.name.clone(),
        kind: spec.kind,
        status: Status::Pending,
        order,
        coordinator: spec.coordinator,
        plans,
        assets: spec.assets.clone(),
        created: at,
        started: None,
        ended: None,
        result: None,
        closed: None,
    }
}

/// Checks a spec and works out the plans it activates under `policy`: the primary plans,
/// their related plans (level 2), and each task's referred plan one level below its own,
/// down to the policy's levels.
pub(crate) fn activate(spec: &CrisisSpec, policy: &Policy) -> Result<Vec<Activation>, Error> {
    policy.check()?;
    if spec.name.trim().is_empty() {
        return Err(Error::EmptyName { what: "event" });
    }
    if spec.plans.len() > MAX_PLANS {
        return Err(Error::TooManyPlans {
            count: spec.plans.len(),
            max: MAX_PLANS,
        });
    }
    let mut index: HashMap<&str, u32> = HashMap::new();
    for (n, plan) in (0u32..).zip(&spec.plans) {
        if plan.name.trim().is_empty() {
            return Err(Error::EmptyName { what: "plan" });
        }
        if index.insert(plan.name.as_str(), n).is_some() {
            return Err(Error::DuplicatePlan {
                plan: plan.name.clone(),
            });
        }
    }
    let find = |name: &str, by: &dyn Fn() -> String| {
        index.get(name).copied().ok_or_else(|| Error::UnknownPlan {
            plan: name.to_owned(),
            by: by(),
        })
    };
    for plan in &spec.plans {
        let mut ids = HashSet::new();
        for task in &plan.tasks {
            if task.name.trim().is_empty() {
                return Err(Error::EmptyName { what: "task" });
            }
            if !ids.insert(task.id) {
                return Err(Error::DuplicateTaskId {
                    plan: plan.name.clone(),
                    id: task.id,
                });
            }
        }
        for task in &plan.tasks {
            if let Some(duration) = task.duration.filter(|d| *d < chrono::Duration::zero()) {
                return Err(Error::NegativeDuration {
                    what: format!(
                        "task {} of plan `{}`",
                        task.id,
                        itsm_core::Quoted(&plan.name)
                    ),
                    duration,
                });
            }
            for d in &task.depends_on {
                if *d == task.id {
                    return Err(Error::SelfDependency {
                        plan: plan.name.clone(),
                        task: task.id,
                    });
                }
                if !ids.contains(d) {
                    return Err(Error::UnknownDependency {
                        plan: plan.name.clone(),
                        task: task.id,
                        depends_on: *d,
                    });
                }
            }
            if let Some(r) = &task.refers {
                find(r, &|| format!("task {} of plan `{}`", task.id, plan.name))?;
            }
        }
        for r in &plan.related {
            find(r, &|| format!("plan `{}`'s related plans", plan.name))?;
        }
        for r in &plan.depends_on {
            find(r, &|| format!("plan `{}`'s dependencies", plan.name))?;
        }
    }
    let mut assets = HashSet::new();
    for asset in &spec.assets {
        if asset.name.trim().is_empty() {
            return Err(Error::EmptyName { what: "asset" });
        }
        if !assets.insert(asset.name.as_str()) {
            return Err(Error::DuplicateAsset {
                asset: asset.name.clone(),
            });
        }
    }
    if spec.activate.is_empty() {
        return Err(Error::NothingActivated);
    }
    let mut activated: Vec<Activation> = Vec::new();
    let mut first: HashSet<u32> = HashSet::new();
    for name in &spec.activate {
        let n = find(name, &|| "the event's plans to activate".to_owned())?;
        if !first.insert(n) {
            return Err(Error::DuplicateActivation { plan: name.clone() });
        }
        activated.push(Activation {
            spec: n,
            kind: PlanKind::Primary,
            level: 1,
            parent: None,
        });
    }
    if policy.max_levels >= 2 {
        let primaries: Vec<u32> = activated.iter().map(|a| a.spec).collect();
        for p in primaries {
            let related = spec.plans.get(p as usize).map(|s| s.related.as_slice());
            for name in related.unwrap_or(&[]) {
                if let Some(&n) = index.get(name.as_str()) {
                    if first.insert(n) {
                        activated.push(Activation {
                            spec: n,
                            kind: PlanKind::Related,
                            level: 2,
                            parent: None,
                        });
                    }
                }
            }
        }
    }
    // Referred plans, breadth-first: each activated plan's tasks in Task ID order. Each
    // child comes from a task already counted in `total`, so the activations stay under
    // the first-level plans plus `MAX_TASKS`.
    let mut total: usize = 0;
    let mut at = 0usize;
    while let Some(a) = activated.get(at).cloned() {
        let number = u32::try_from(at).map_err(|_| Error::TooManyTasks { max: MAX_TASKS })?;
        at += 1;
        let Some(plan) = spec.plans.get(a.spec as usize) else {
            continue;
        };
        total = total.saturating_add(plan.tasks.len());
        if total > MAX_TASKS {
            return Err(Error::TooManyTasks { max: MAX_TASKS });
        }
        if a.level >= policy.max_levels {
            continue;
        }
        let mut tasks: Vec<&crate::TaskSpec> = plan.tasks.iter().collect();
        tasks.sort_by_key(|t| t.id);
        for task in tasks {
            if let Some(n) = task.refers.as_deref().and_then(|r| index.get(r)) {
                activated.push(Activation {
                    spec: *n,
                    kind: PlanKind::Child,
                    level: a.level.saturating_add(1),
                    parent: Some(TaskRef::new(number, task.id)),
                });
            }
        }
    }
    Ok(activated)
}
