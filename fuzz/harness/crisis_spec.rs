//! The `crisis` model's reading of the spec (its defects, the activation of plans, the
//! circular tasks and plans at the start) and of the figures (assets and efforts).

use super::*;

// ---------------------------------------------------------------- the spec

/// The spec's defects (every one present; the crate reports one of them).
pub fn spec_errors(spec: &CrisisSpec, policy: &Policy) -> Set {
    let mut e = Set::new();
    if policy.max_levels == 0 || policy.max_levels > MAX_LEVELS {
        e.insert("InvalidLevels");
    }
    if blank(&spec.name) {
        e.insert("EmptyName");
    }
    if spec.plans.len() > MAX_PLANS {
        e.insert("TooManyPlans");
    }
    let names: BTreeSet<&str> = spec.plans.iter().map(|p| p.name.as_str()).collect();
    if names.len() < spec.plans.len() {
        e.insert("DuplicatePlan");
    }
    let known = |n: &String| names.contains(n.as_str());
    for p in &spec.plans {
        if blank(&p.name) {
            e.insert("EmptyName");
        }
        let ids: BTreeSet<u32> = p.tasks.iter().map(|t| t.id).collect();
        if ids.len() < p.tasks.len() {
            e.insert("DuplicateTaskId");
        }
        for t in &p.tasks {
            if blank(&t.name) {
                e.insert("EmptyName");
            }
            if t.duration.is_some_and(|d| d < Duration::zero()) {
                e.insert("NegativeDuration");
            }
            for d in &t.depends_on {
                if *d == t.id {
                    e.insert("SelfDependency");
                } else if !ids.contains(d) {
                    e.insert("UnknownDependency");
                }
            }
            if t.refers.as_ref().is_some_and(|r| !known(r)) {
                e.insert("UnknownPlan");
            }
        }
        if !p.related.iter().chain(&p.depends_on).all(known) {
            e.insert("UnknownPlan");
        }
    }
    if spec.activate.is_empty() {
        e.insert("NothingActivated");
    }
    if !spec.activate.iter().all(known) {
        e.insert("UnknownPlan");
    }
    let act: BTreeSet<&String> = spec.activate.iter().collect();
    if act.len() < spec.activate.len() {
        e.insert("DuplicateActivation");
    }
    let assets: BTreeSet<&String> = spec.assets.iter().map(|a| &a.name).collect();
    if assets.len() < spec.assets.len() {
        e.insert("DuplicateAsset");
    }
    if spec.assets.iter().any(|a| blank(&a.name)) {
        e.insert("EmptyName");
    }
    if e.is_empty() && activated_tasks(spec, policy) > MAX_TASKS as u128 {
        e.insert("TooManyTasks");
    }
    e
}

pub(super) fn index_of(spec: &CrisisSpec, name: &str) -> Option<usize> {
    spec.plans.iter().position(|p| p.name == name)
}

/// The primary plans (spec indexes) and the related ones, in activation order.
pub(super) fn first_levels(spec: &CrisisSpec, policy: &Policy) -> (Vec<usize>, Vec<usize>) {
    let primary: Vec<usize> = spec
        .activate
        .iter()
        .filter_map(|n| index_of(spec, n))
        .collect();
    let mut related = Vec::new();
    if policy.max_levels >= 2 {
        for &p in &primary {
            for r in spec.plans.get(p).map_or(&[][..], |x| &x.related[..]) {
                if let Some(i) = index_of(spec, r) {
                    if !primary.contains(&i) && !related.contains(&i) {
                        related.push(i);
                    }
                }
            }
        }
    }
    (primary, related)
}

/// How many tasks activation makes, counted level by level (saturating): never builds the
/// plans, so an exponential spec costs nothing here.
pub(super) fn activated_tasks(spec: &CrisisSpec, policy: &Policy) -> u128 {
    let n = spec.plans.len();
    let (primary, related) = first_levels(spec, policy);
    let mut count = vec![0u128; n];
    for &p in &primary {
        if let Some(c) = count.get_mut(p) {
            *c += 1;
        }
    }
    let mut total = 0u128;
    let tasks = |s: usize| spec.plans.get(s).map_or(0, |p| p.tasks.len() as u128);
    let mut level = 1u8;
    let mut extra = related;
    loop {
        for (s, c) in count.iter().enumerate() {
            total = total.saturating_add(c.saturating_mul(tasks(s)));
        }
        let mut next = vec![0u128; n];
        for &r in &extra {
            if let Some(c) = next.get_mut(r) {
                *c += 1;
            }
        }
        extra.clear();
        if level < policy.max_levels {
            // The level-2 related plans are counted with the level they are on; their own
            // children come one level further, below.
            for (s, c) in count.iter().enumerate() {
                if *c == 0 {
                    continue;
                }
                for t in spec.plans.get(s).map_or(&[][..], |p| &p.tasks[..]) {
                    if let Some(i) = t.refers.as_ref().and_then(|r| index_of(spec, r)) {
                        if let Some(x) = next.get_mut(i) {
                            *x = x.saturating_add(*c);
                        }
                    }
                }
            }
        } else {
            next.iter_mut().for_each(|x| *x = 0);
        }
        if next.iter().all(|c| *c == 0) || total > MAX_TASKS as u128 {
            return total;
        }
        count = next;
        level += 1;
    }
}

/// The activations in number order: primary plans as `activate` lists them, then their
/// related plans, then child plans breadth-first (each plan's tasks in Task ID order).
pub fn activations(spec: &CrisisSpec, policy: &Policy) -> Vec<Activation> {
    let (primary, related) = first_levels(spec, policy);
    let act = |spec: usize, kind, level, parent| Activation {
        spec: spec as u32,
        kind,
        level,
        parent,
    };
    let mut out: Vec<Activation> = primary
        .iter()
        .map(|&p| act(p, PlanKind::Primary, 1, None))
        .collect();
    out.extend(related.iter().map(|&r| act(r, PlanKind::Related, 2, None)));
    let mut i = 0;
    while let Some(a) = out.get(i).cloned() {
        if a.level < policy.max_levels {
            let mut tasks: Vec<&TaskSpec> = spec
                .plans
                .get(a.spec as usize)
                .map_or(Vec::new(), |p| p.tasks.iter().collect());
            tasks.sort_by_key(|t| t.id);
            for t in tasks {
                if let Some(c) = t.refers.as_ref().and_then(|r| index_of(spec, r)) {
                    let parent = TaskRef::new(i as u32, t.id);
                    out.push(act(c, PlanKind::Child, a.level + 1, Some(parent)));
                }
            }
        }
        i += 1;
    }
    out
}

pub fn created(id: CrisisId, spec: &CrisisSpec, policy: &Policy, now: T) -> M {
    let acts = activations(spec, policy);
    // First-level plans (primary and related): (library plan, number).
    let first: Vec<(u32, u32)> = (0u32..)
        .zip(&acts)
        .filter(|(_, a)| first_level(a.kind))
        .map(|(n, a)| (a.spec, n))
        .collect();
    let mut plans: Vec<MPlan> = Vec::with_capacity(acts.len());
    for (n, a) in (0u32..).zip(&acts) {
        let Some(ps) = spec.plans.get(a.spec as usize) else {
            continue;
        };
        let mut specs: Vec<&TaskSpec> = ps.tasks.iter().collect();
        specs.sort_by_key(|t| t.id);
        let mut tasks = Vec::with_capacity(specs.len());
        let mut before: Option<u32> = None;
        for t in specs {
            let mut deps: Vec<u32> = t.depends_on.clone();
            if policy.order == Order::TaskId {
                deps.extend(before);
            }
            deps.sort_unstable();
            deps.dedup();
            before = Some(t.id);
            tasks.push(MTask {
                id: t.id,
                name: t.name.clone(),
                classification: t.classification,
                manual: false,
                ad_hoc: false,
                phase: t.phase,
                status: TaskStatus::Pending,
                depends_on: deps,
                child: None,
                assets: t.assets.clone(),
                level: t.level,
                exclude: t.exclude_from_time,
                assignee: t.assignee,
                backup: t.backup,
                started: None,
                ended: None,
            });
        }
        let mut depends_on = Vec::new();
        if first_level(a.kind) {
            for d in &ps.depends_on {
                let Some(i) = index_of(spec, d) else { continue };
                if let Some((_, num)) = first.iter().find(|(s, _)| *s as usize == i) {
                    if *num != n && !depends_on.contains(num) {
                        depends_on.push(*num);
                    }
                }
            }
        }
        depends_on.sort_unstable();
        plans.push(MPlan {
            name: ps.name.clone(),
            activation: a.clone(),
            status: PlanStatus::Pending,
            by_hand: false,
            tasks,
            started: None,
            ended: None,
            depends_on,
        });
    }
    for (n, a) in (0u32..).zip(&acts) {
        if let Some(parent) = a.parent {
            if let Some(t) = plans
                .get_mut(parent.plan as usize)
                .and_then(|p| p.tasks.iter_mut().find(|t| t.id == parent.task))
            {
                t.child = Some(n);
            }
        }
    }
    M {
        id,
        name: spec.name.clone(),
        kind: spec.kind,
        status: Status::Pending,
        order: policy.order,
        coordinator: spec.coordinator,
        plans,
        assets: spec.assets.clone(),
        created: now,
        started: None,
        ended: None,
        result: None,
        closed: None,
    }
}

/// Whether plans of this kind are first-level for plan dependencies.
pub fn first_level(k: PlanKind) -> bool {
    matches!(k, PlanKind::Primary | PlanKind::Related)
}

/// Tasks that peeling (tasks whose dependencies are all peeled) never reaches, plan by plan
/// (Kahn's order: a counter of dependencies not peeled per task).
pub fn circular(m: &M) -> Vec<TaskRef> {
    let mut out = Vec::new();
    for (n, p) in (0u32..).zip(&m.plans) {
        let at = |id: &u32| p.tasks.binary_search_by_key(id, |t| t.id).ok();
        let mut waiting: Vec<usize> = p.tasks.iter().map(|t| t.depends_on.len()).collect();
        let mut after: Vec<Vec<usize>> = vec![Vec::new(); p.tasks.len()];
        for (i, t) in p.tasks.iter().enumerate() {
            for d in &t.depends_on {
                if let Some(list) = at(d).and_then(|j| after.get_mut(j)) {
                    list.push(i);
                }
            }
        }
        let mut ready: Vec<usize> = (0..p.tasks.len())
            .filter(|i| waiting.get(*i) == Some(&0))
            .collect();
        while let Some(i) = ready.pop() {
            for &j in after.get(i).map_or(&[][..], |v| &v[..]) {
                if let Some(w) = waiting.get_mut(j) {
                    *w -= 1;
                    if *w == 0 {
                        ready.push(j);
                    }
                }
            }
        }
        out.extend(
            p.tasks
                .iter()
                .zip(&waiting)
                .filter(|(_, w)| **w > 0)
                .map(|(t, _)| TaskRef::new(n, t.id)),
        );
    }
    out
}

/// First-level plans that peeling over plan dependencies never reaches.
pub fn circular_plans(m: &M) -> Vec<u32> {
    let mut peeled: BTreeSet<u32> = BTreeSet::new();
    loop {
        let before = peeled.len();
        for (n, p) in (0u32..).zip(&m.plans) {
            if !peeled.contains(&n) && p.depends_on.iter().all(|d| peeled.contains(d)) {
                peeled.insert(n);
            }
        }
        if peeled.len() == before {
            break;
        }
    }
    (0u32..)
        .zip(&m.plans)
        .filter(|(n, p)| first_level(p.activation.kind) && !peeled.contains(n))
        .map(|(n, _)| n)
        .collect()
}

// ---------------------------------------------------------------- assets and efforts

/// The model's reading of an asset: its status and when it was recovered.
#[derive(Clone, Debug, PartialEq)]
pub struct MAsset {
    pub name: String,
    pub status: AssetStatus,
    pub recovered_at: Option<T>,
    pub rto: Option<Duration>,
    pub within_rto: Option<bool>,
}

pub(super) fn latest(tasks: &[&MTask]) -> Option<T> {
    tasks.iter().filter_map(|t| t.ended).max()
}

/// Every asset the spec lists or a task tags (the spec's order, then by name), as the docs
/// put it: partially recovered when every task at the partial level is done; recovered when
/// every task at the recovered level is (or, no level given, every task tagged with it);
/// never recovered while one of its tasks failed.
pub fn assets(m: &M) -> Vec<MAsset> {
    let mut names: Vec<(String, Option<Duration>)> =
        m.assets.iter().map(|a| (a.name.clone(), a.rto)).collect();
    let mut tagged: BTreeSet<&str> = BTreeSet::new();
    for t in m.plans.iter().flat_map(|p| &p.tasks) {
        tagged.extend(t.assets.iter().map(String::as_str));
    }
    for n in tagged {
        if !names.iter().any(|(x, _)| x == n) {
            names.push((n.to_owned(), None));
        }
    }
    names
        .into_iter()
        .map(|(name, rto)| {
            let tasks: Vec<&MTask> = m
                .plans
                .iter()
                .flat_map(|p| &p.tasks)
                .filter(|t| t.assets.contains(&name))
                .collect();
            let at = |l: RecoveryLevel| -> Vec<&MTask> {
                tasks.iter().copied().filter(|t| t.level == l).collect()
            };
            let (full, partial) = (
                at(RecoveryLevel::Recovered),
                at(RecoveryLevel::PartiallyRecovered),
            );
            let failed = tasks.iter().any(|t| t.status == TaskStatus::ClosedFailed);
            let all_done = |ts: &[&MTask]| !ts.is_empty() && ts.iter().all(|t| t.status.is_done());
            let recovered = if !full.is_empty() {
                all_done(&full).then(|| latest(&full))
            } else if partial.is_empty() {
                all_done(&tasks).then(|| latest(&tasks))
            } else {
                // Levels given, none of them "recovered": no task brings it all the way back.
                None
            };
            let (status, recovered_at) = match recovered {
                Some(when) if !failed => (AssetStatus::Recovered, when),
                _ if all_done(&partial) => (AssetStatus::PartiallyRecovered, None),
                _ => (AssetStatus::NotRecovered, None),
            };
            let within_rto = match (rto, m.started, recovered_at) {
                (Some(r), Some(s), Some(b)) => Some(b.signed_duration_since(s) <= r),
                _ => None,
            };
            MAsset {
                name,
                status,
                recovered_at,
                rto,
                within_rto,
            }
        })
        .collect()
}

/// The effort of these tasks (those left out of time calculations left out): `Err` when
/// the times overflow a duration, `Ok(None)` while one is not done, else the sum.
pub fn effort<'a>(tasks: impl Iterator<Item = &'a MTask>) -> Result<Option<Duration>, ()> {
    let mut sum = Duration::zero();
    let mut all_done = true;
    for t in tasks.filter(|t| !t.exclude) {
        all_done &= t.status.is_done();
        if let (Some(s), Some(e)) = (t.started, t.ended) {
            sum = sum.checked_add(&e.signed_duration_since(s)).ok_or(())?;
        }
    }
    Ok(all_done.then_some(sum))
}
