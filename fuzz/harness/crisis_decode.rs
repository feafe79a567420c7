//! The `crisis` harness's input: what the bytes decode to (a spec, a policy and steps) and
//! how each step's task, plan and times are picked when it runs. See `decode`.

use super::*;

/// A task, picked when the command runs.
#[derive(Debug, Clone, Copy)]
pub enum TaskSel {
    /// Plan `p` (modulo), its task `t` (modulo, by position).
    Any(u8, u8),
    /// The `k`-th (modulo) task in this status, else `Any(k, k)`.
    In(TaskStatus, u8),
    /// A plan past the last (or `u32::MAX`).
    BadPlan(u8),
    /// A Task ID the plan lacks.
    BadTask(u8),
}

/// A plan, picked when the command runs.
#[derive(Debug, Clone, Copy)]
pub enum PlanSel {
    Any(u8),
    In(PlanStatus),
    Bad(u8),
}

/// An actual start or end given with a command.
#[derive(Debug, Clone, Copy)]
pub enum TimeSel {
    Now,
    Rel(i64),
    Min,
    Max,
    BeforeStart,
}

#[derive(Debug, Clone)]
pub enum CmdSel {
    Create,
    Start,
    Trigger(TaskSel),
    Work(TaskSel, TimeSel),
    Close(TaskSel, Closing, TimeSel),
    Skip(TaskSel),
    Retrigger(TaskSel),
    RetriggerAutomation(TaskSel),
    Assign(TaskSel, UserId),
    AddTask(PlanSel, AdHocTask),
    ClosePlan(PlanSel, Outcome),
    RecordResult(ExerciseResult),
    Submit(TimeSel),
    Approve,
    Reject,
    CloseEvent(Outcome),
    Cancel,
    /// Work and close (complete) every open or in-progress task until none is left, each
    /// from `now` (or chrono's first instant) to `now` (or its last): a run of commands
    /// checked lightly, then everything once.
    Sweep(bool),
    /// `close_plan` on every plan not closed, in number order, by a program manager.
    CloseAll(Outcome),
}

#[derive(Debug, Clone)]
pub struct Step {
    pub who: usize,
    /// Minutes after the step before (negative: back).
    pub minutes: i64,
    pub cmd: CmdSel,
}

pub struct Input {
    /// Too big for a JSON round trip of `create` and a second `decide` on each run.
    pub heavy: bool,
    pub spec: CrisisSpec,
    pub policy: Policy,
    pub steps: Vec<Step>,
}

/// What a run saw, for the corpus test.
#[derive(Default)]
pub struct Seen {
    /// The kinds of the events decided.
    pub events: Vec<String>,
    /// The kinds of the errors met.
    pub errors: Vec<String>,
    /// `event:`, `plan:`, `task:` and `asset:` statuses reached.
    pub statuses: BTreeSet<String>,
    /// Commands accepted, by name.
    pub accepted: BTreeSet<String>,
    /// The policy's order of tasks.
    pub order: Option<Order>,
}

// ---------------------------------------------------------------- decoding

pub(super) fn task_sel(b: &mut Bytes<'_>) -> TaskSel {
    const ST: [TaskStatus; 7] = [
        TaskStatus::Open,
        TaskStatus::Open,
        TaskStatus::WorkInProgress,
        TaskStatus::WorkInProgress,
        TaskStatus::Pending,
        TaskStatus::ClosedFailed,
        TaskStatus::ClosedComplete,
    ];
    match b.pick(16) {
        0..=4 => TaskSel::Any(b.byte(), b.byte()),
        5..=13 => TaskSel::In(ST[b.pick(7)], b.byte()),
        14 => TaskSel::BadPlan(b.byte()),
        _ => TaskSel::BadTask(b.byte()),
    }
}

pub(super) fn plan_sel(b: &mut Bytes<'_>) -> PlanSel {
    match b.pick(8) {
        0..=3 => PlanSel::Any(b.byte()),
        4 => PlanSel::In(PlanStatus::Pending),
        5 => PlanSel::In(PlanStatus::Open),
        6 => PlanSel::In(PlanStatus::WorkInProgress),
        _ => PlanSel::Bad(b.byte()),
    }
}

pub(super) fn time_sel(b: &mut Bytes<'_>) -> TimeSel {
    match b.pick(16) {
        0..=8 => TimeSel::Now,
        9..=11 => TimeSel::Rel(-(i64::from(b.byte()) * 7)),
        12 => TimeSel::Rel(i64::from(b.byte()) * 13),
        13 => TimeSel::BeforeStart,
        14 => TimeSel::Min,
        _ => TimeSel::Max,
    }
}

pub(super) fn level(b: &mut Bytes<'_>) -> RecoveryLevel {
    [
        RecoveryLevel::None,
        RecoveryLevel::PartiallyRecovered,
        RecoveryLevel::Recovered,
    ][b.pick(3)]
}

pub(super) fn phase(b: &mut Bytes<'_>) -> Phase {
    [
        Phase::Recovery,
        Phase::Preparation,
        Phase::RecoveryValidation,
        Phase::ReturnToNormal,
        Phase::ReturnToNormalValidation,
        Phase::PostIncidentReview,
    ][b.pick(6)]
}

/// A planned duration: mostly none or hours, sometimes zero, negative or centuries.
pub(super) fn duration(b: &mut Bytes<'_>) -> Option<Duration> {
    match b.pick(16) {
        0..=7 => None,
        8..=12 => Some(Duration::hours(i64::from(b.byte() % 12))),
        13 => Some(Duration::zero()),
        14 => Some(-Duration::minutes(1 + i64::from(b.byte()))),
        _ => Some(Duration::days(36_500 * (1 + i64::from(b.byte())))),
    }
}

pub(super) fn tags(b: &mut Bytes<'_>) -> Vec<String> {
    match b.pick(6) {
        0 | 1 => Vec::new(),
        2 => vec!["db".into()],
        3 => vec!["web".into()],
        4 => vec!["db".into(), "net".into()],
        _ => vec!["dc".into()],
    }
}

pub(super) fn step(b: &mut Bytes<'_>) -> Step {
    let who = [0, 0, 1, 2, 4, 5, 6, 0, 1, 3][b.pick(10)];
    let minutes = match b.pick(8) {
        0 => 0,
        1..=3 => i64::from(b.byte()),
        4 | 5 => 60 * i64::from(b.byte() % 24),
        6 => 1440 * i64::from(1 + b.byte() % 10),
        _ => -60 * i64::from(1 + b.byte() % 5),
    };
    let closing = |b: &mut Bytes<'_>| {
        [
            Closing::Complete,
            Closing::Complete,
            Closing::Incomplete,
            Closing::Failed,
        ][b.pick(4)]
    };
    let outcome = |b: &mut Bytes<'_>| {
        if b.flag() {
            Outcome::Complete
        } else {
            Outcome::Incomplete
        }
    };
    let cmd = match b.pick(40) {
        0..=3 => CmdSel::Work(task_sel(b), time_sel(b)),
        4..=7 => CmdSel::Close(task_sel(b), closing(b), time_sel(b)),
        8 | 9 => CmdSel::Skip(task_sel(b)),
        10 | 11 => CmdSel::Trigger(task_sel(b)),
        12 | 13 => CmdSel::Retrigger(task_sel(b)),
        14 => CmdSel::RetriggerAutomation(task_sel(b)),
        15 => CmdSel::Assign(task_sel(b), [ASSIGNEE, NOBODY, PM][b.pick(3)]),
        16 | 17 => {
            let plan = plan_sel(b);
            let mut t = AdHocTask::new(["call the insurer", " ", "check backups"][b.pick(3)]);
            t.assets = tags(b);
            t.level = level(b);
            t.exclude_from_time = b.pick(4) == 0;
            t.assignee = [None, Some(ASSIGNEE)][b.pick(2)];
            t.phase = phase(b);
            t.duration = duration(b);
            CmdSel::AddTask(plan, t)
        }
        18..=20 => CmdSel::ClosePlan(plan_sel(b), outcome(b)),
        21 => CmdSel::RecordResult(
            [
                ExerciseResult::Successful,
                ExerciseResult::SuccessfulWithIssues,
                ExerciseResult::Unsuccessful,
            ][b.pick(3)],
        ),
        22 | 23 => CmdSel::Submit(time_sel(b)),
        24 => CmdSel::Approve,
        25 => CmdSel::Reject,
        26 | 27 => CmdSel::CloseEvent(outcome(b)),
        28 => CmdSel::Cancel,
        29 => CmdSel::Start,
        30 => CmdSel::Create,
        31 | 32 => CmdSel::Sweep(false),
        33 => CmdSel::CloseAll(outcome(b)),
        34 => CmdSel::Sweep(b.pick(4) == 0),
        35..=37 => CmdSel::Work(TaskSel::In(TaskStatus::Open, b.byte()), TimeSel::Now),
        _ => CmdSel::Close(
            TaskSel::In(TaskStatus::WorkInProgress, b.byte()),
            closing(b),
            TimeSel::Now,
        ),
    };
    Step { who, minutes, cmd }
}

/// A small library: 2 to 5 plans of 0 to 6 tasks.
pub(super) fn library(b: &mut Bytes<'_>, kind: Kind) -> CrisisSpec {
    let n = 2 + b.pick(4);
    let name = |i: usize| {
        NAMES
            .get(i % NAMES.len())
            .copied()
            .unwrap_or("x")
            .to_owned()
    };
    let mut plans = Vec::new();
    for i in 0..n {
        let k = b.pick(7);
        let mut ids = Vec::new();
        let mut id = 0u32;
        for _ in 0..k {
            id += 1 + b.pick(3) as u32;
            ids.push(id);
        }
        if k > 0 && b.pick(12) == 0 {
            if let Some(last) = ids.last_mut() {
                *last = u32::MAX;
            }
        }
        let rot = b.pick(k.max(1));
        ids.rotate_left(rot);
        let mut tasks = Vec::new();
        for (j, &id) in ids.iter().enumerate() {
            let mut t = TaskSpec::new(id, format!("step {id}"));
            if b.pick(3) != 0 {
                let mask = b.byte();
                for (x, &other) in ids.iter().enumerate() {
                    if x != j && mask & (1 << (x % 8)) != 0 {
                        t.depends_on.push(other);
                    }
                }
            }
            if b.pick(10) >= 7 {
                t.refers = Some(name(b.pick(n)));
            }
            if b.pick(5) == 0 {
                t = t.automatic([None, Some(BACKUP)][b.pick(2)]);
            }
            t.assets = tags(b);
            t.level = level(b);
            t.exclude_from_time = b.pick(8) == 0;
            if b.pick(4) == 0 {
                t.assignee = Some(ASSIGNEE);
            }
            t.phase = phase(b);
            t.duration = duration(b);
            tasks.push(t);
        }
        let mut p = PlanSpec::new(name(i), tasks);
        for _ in 0..b.pick(3) {
            p.related.push(name(b.pick(n)));
        }
        for _ in 0..[0, 0, 0, 1, 1, 2][b.pick(6)] {
            p.depends_on.push(name(b.pick(n)));
        }
        plans.push(p);
    }
    let first = b.pick(n);
    let activate: Vec<String> = (0..(1 + b.pick(3)).min(n))
        .map(|k| name((first + k) % n))
        .collect();
    let mut spec = CrisisSpec::new("data centre A lost", kind, plans, activate);
    for a in ASSETS {
        if b.flag() {
            let rto = [
                None,
                Some(Duration::hours(1)),
                Some(Duration::hours(4)),
                Some(Duration::zero()),
                Some(Duration::minutes(30)),
            ][b.pick(5)];
            spec.assets.push(AssetSpec::new(a, rto));
        }
    }
    if b.pick(3) == 0 {
        spec.coordinator = Some(COORDINATOR);
    }
    let defect = b.byte();
    if defect >= 220 {
        inject(&mut spec, defect % 16, b);
    }
    spec
}

/// Breaks one documented rule of the spec.
pub(super) fn inject(spec: &mut CrisisSpec, k: u8, b: &mut Bytes<'_>) {
    let n = spec.plans.len();
    let i = b.pick(n);
    let other = spec
        .plans
        .get((i + 1) % n.max(1))
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let Some(p) = spec.plans.get_mut(i) else {
        return;
    };
    let first_id = p.tasks.first().map(|t| t.id);
    match k {
        0 => spec.name = " \t".into(),
        1 => p.name = String::new(),
        2 => p.name = other,
        3 => match p.tasks.first_mut() {
            Some(t) => t.name = " ".into(),
            None => p.tasks.push(TaskSpec::new(3, "")),
        },
        4 => match first_id {
            Some(id) => p.tasks.push(TaskSpec::new(id, "again")),
            None => p
                .tasks
                .extend([TaskSpec::new(1, "a"), TaskSpec::new(1, "b")]),
        },
        5 => p.tasks.push(TaskSpec::new(999, "late").after([998])),
        6 => p.tasks.push(TaskSpec::new(999, "loop").after([999])),
        7 => p
            .tasks
            .push(TaskSpec::new(999, "elsewhere").refers("nowhere")),
        8 => p.related.push("nowhere".into()),
        9 => p.depends_on.push("nowhere".into()),
        10 => spec.activate.clear(),
        11 => {
            let a = spec.activate.first().cloned().unwrap_or_default();
            spec.activate.push(a);
        }
        12 => spec
            .assets
            .extend([AssetSpec::new("db", None), AssetSpec::new("db", None)]),
        13 => spec.assets.push(AssetSpec::new(" ", None)),
        14 => spec.activate.push("nowhere".into()),
        _ => spec.activate.push(String::new()),
    }
}

pub(super) fn count(b: &mut Bytes<'_>, lo: usize, span: usize) -> usize {
    let hi = usize::from(b.byte());
    let low = usize::from(b.byte());
    lo + (hi * 256 + low) % span
}

/// Bytes to a spec, a policy and up to 48 steps (see the module's comment for byte 0).
///
/// Then: the policy byte (bit 0 orders by Task ID, bit 1 closes without approval, bit 2
/// needs no exercise result, bits 3 to 6 the levels: mostly 2, else 1, 3, 4, 10 or an
/// invalid 0 or 11), the kind, the library, whether the first step creates the event, and
/// the steps (who, how many minutes later, which command with its task, plan and times).
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let mode = b.byte();
    let mut policy = Policy::servicenow();
    let f = b.byte();
    if f & 1 != 0 {
        policy.order = Order::TaskId;
    }
    policy.approval_required = f & 2 == 0;
    policy.exercise_result_required = f & 4 == 0;
    policy.max_levels = match (f >> 3) % 16 {
        0..=5 => 2,
        6 | 7 => 1,
        8..=10 => 3,
        11..=14 => 4,
        _ => [0, MAX_LEVELS + 1][b.pick(2)],
    };
    let kind = if b.flag() {
        Kind::Exercise
    } else {
        Kind::Actual
    };
    let mut prologue = Vec::new();
    // The long shapes cost a hundred times the small ones: one input in four of those
    // bytes takes them, the others a small library.
    let gate = b.byte();
    let mode = match mode {
        244..=252 | 255 if gate >= 224 => mode,
        // More than MAX_TASKS or MAX_PLANS: a hundred milliseconds each, so rarer still.
        253 | 254 if gate == 255 => mode,
        _ => mode % 244,
    };
    let spec = match mode {
        0..=243 => library(&mut b, kind),
        244..=247 => {
            // A chain: each task after the one before (or the one after), or none (by Task
            // ID, a chain again; by dependencies, all at once).
            let n = count(&mut b, 100, 1900);
            let how = b.pick(3);
            let tasks = (1..=n as u32)
                .map(|i| {
                    let mut t = TaskSpec::new(i, "link");
                    match how {
                        0 if i > 1 => t.depends_on.push(i - 1),
                        1 if i < n as u32 => t.depends_on.push(i + 1),
                        _ => {}
                    }
                    if i % 7 == 0 {
                        t = t.asset("db", RecoveryLevel::Recovered);
                    }
                    t
                })
                .collect();
            prologue = vec![CmdSel::Create, CmdSel::Start];
            CrisisSpec::new(
                "chain",
                kind,
                vec![PlanSpec::new("chain", tasks)],
                ["chain"],
            )
        }
        248..=250 | 255 => {
            let n = if mode == 255 {
                600 + b.pick(100)
            } else {
                count(&mut b, 50, 1950)
            } as u32;
            let mut tasks = vec![TaskSpec::new(1, "declare")];
            tasks.extend((2..n + 2).map(|i| {
                TaskSpec::new(i, "fan out")
                    .after([1])
                    .asset("db", RecoveryLevel::None)
            }));
            tasks.push(TaskSpec::new(n + 2, "fan in").after(2..n + 2));
            prologue = vec![CmdSel::Create, CmdSel::Start];
            if mode == 255 {
                policy.order = Order::Dependencies;
                prologue.push(CmdSel::Sweep(true));
            }
            CrisisSpec::new("fan", kind, vec![PlanSpec::new("fan", tasks)], ["fan"])
        }
        251 | 252 => {
            // A plan referring to itself from one or two tasks, 10 levels deep.
            policy.max_levels = MAX_LEVELS;
            let mut tasks = vec![
                TaskSpec::new(1, "go down").refers("nest"),
                TaskSpec::new(2, "work"),
            ];
            if mode == 252 {
                tasks.push(TaskSpec::new(3, "go down again").refers("nest").after([2]));
            }
            prologue = vec![CmdSel::Create, CmdSel::Start];
            CrisisSpec::new("nest", kind, vec![PlanSpec::new("nest", tasks)], ["nest"])
        }
        253 => {
            policy.max_levels = MAX_LEVELS;
            let tasks = (1..=5)
                .map(|i| TaskSpec::new(i, "again").refers("self"))
                .collect();
            prologue = vec![CmdSel::Create];
            CrisisSpec::new(
                "too many",
                kind,
                vec![PlanSpec::new("self", tasks)],
                ["self"],
            )
        }
        254 => {
            let plans = (0..=MAX_PLANS)
                .map(|i| PlanSpec::new(format!("p{i}"), Vec::new()))
                .collect();
            prologue = vec![CmdSel::Create];
            CrisisSpec::new("too many", kind, plans, ["p0"])
        }
    };
    let mut steps: Vec<Step> = prologue
        .into_iter()
        .map(|cmd| Step {
            who: 0,
            minutes: 0,
            cmd,
        })
        .collect();
    if mode <= 243 && b.pick(16) != 0 {
        steps.push(Step {
            who: [0, 0, 0, 1, 1, 1, 1, 5][b.pick(8)],
            minutes: 0,
            cmd: CmdSel::Create,
        });
        if b.pick(4) != 0 {
            steps.push(Step {
                who: [0, 1][b.pick(2)],
                minutes: i64::from(b.byte()),
                cmd: CmdSel::Start,
            });
        }
    }
    if mode < 253 {
        // Steps until the input runs dry (at most 48).
        for _ in 0..48 {
            if b.is_empty() {
                break;
            }
            steps.push(step(&mut b));
        }
    }
    Input {
        heavy: mode == 253 || mode == 254,
        spec,
        policy,
        steps,
    }
}

// ---------------------------------------------------------------- resolving

pub(super) fn all_tasks(c: &Crisis) -> impl Iterator<Item = (TaskRef, TaskStatus)> + '_ {
    (0u32..).zip(&c.plans).flat_map(|(n, p)| {
        p.tasks
            .iter()
            .map(move |t| (TaskRef::new(n, t.id), t.status))
    })
}

pub(super) fn task_ref(sel: TaskSel, c: Option<&Crisis>) -> TaskRef {
    let Some(c) = c else {
        return TaskRef::new(0, 1);
    };
    let n = c.plans.len().max(1);
    let any = |p: u8, t: u8| {
        let plan = usize::from(p) % n;
        let id = c
            .plans
            .get(plan)
            .and_then(|x| x.tasks.get(usize::from(t) % x.tasks.len().max(1)))
            .map_or(1, |x| x.id);
        TaskRef::new(plan as u32, id)
    };
    match sel {
        TaskSel::Any(p, t) => any(p, t),
        TaskSel::In(s, k) => {
            let hits: Vec<TaskRef> = all_tasks(c)
                .filter(|(_, x)| *x == s)
                .map(|(r, _)| r)
                .collect();
            match hits.len() {
                0 => any(k, k),
                l => hits
                    .get(usize::from(k) % l)
                    .copied()
                    .unwrap_or_else(|| any(k, k)),
            }
        }
        TaskSel::BadPlan(x) => match x % 4 {
            3 => TaskRef::new(u32::MAX, 1),
            k => TaskRef::new((n + usize::from(k)) as u32, 1),
        },
        TaskSel::BadTask(p) => {
            let plan = usize::from(p) % n;
            let max = c
                .plans
                .get(plan)
                .and_then(|x| x.tasks.iter().map(|t| t.id).max());
            let id = match (p % 2, max) {
                (0, Some(m)) => m.wrapping_add(1),
                (0, None) => 1,
                _ => 0,
            };
            let id = if c.plans.get(plan).and_then(|x| x.task(id)).is_some() {
                0
            } else {
                id
            };
            TaskRef::new(plan as u32, id)
        }
    }
}

pub(super) fn plan_no(sel: PlanSel, c: Option<&Crisis>) -> u32 {
    let Some(c) = c else { return 0 };
    let n = c.plans.len().max(1);
    match sel {
        PlanSel::Any(p) => (usize::from(p) % n) as u32,
        PlanSel::In(s) => c.plans.iter().position(|p| p.status == s).unwrap_or(0) as u32,
        PlanSel::Bad(x) => match x % 3 {
            2 => u32::MAX,
            k => (n + usize::from(k)) as u32,
        },
    }
}

pub(super) fn time(sel: TimeSel, now: T, c: Option<&Crisis>) -> Option<T> {
    match sel {
        TimeSel::Now => None,
        TimeSel::Rel(m) => now.checked_add_signed(Duration::minutes(m)),
        TimeSel::Min => Some(DateTime::<Utc>::MIN_UTC),
        TimeSel::Max => Some(DateTime::<Utc>::MAX_UTC),
        TimeSel::BeforeStart => c
            .and_then(|c| c.started)
            .unwrap_or(now)
            .checked_sub_signed(Duration::days(1)),
    }
}

pub(super) fn resolve(sel: &CmdSel, state: &State, now: T, input: &Input) -> Command {
    let c = state.crisis();
    let task = |s: &TaskSel| task_ref(*s, c);
    match sel {
        CmdSel::Create | CmdSel::Sweep(_) | CmdSel::CloseAll(_) => {
            Command::create(CrisisId::from_u128(7), input.spec.clone())
        }
        CmdSel::Start => Command::Start,
        CmdSel::Trigger(s) => Command::Trigger { task: task(s) },
        CmdSel::Work(s, t) => Command::Work {
            task: task(s),
            started: time(*t, now, c),
        },
        CmdSel::Close(s, closing, t) => Command::Close {
            task: task(s),
            closing: *closing,
            ended: time(*t, now, c),
        },
        CmdSel::Skip(s) => Command::Skip { task: task(s) },
        CmdSel::Retrigger(s) => Command::Retrigger { task: task(s) },
        CmdSel::RetriggerAutomation(s) => Command::RetriggerAutomation { task: task(s) },
        CmdSel::Assign(s, user) => Command::Assign {
            task: task(s),
            user: *user,
        },
        CmdSel::AddTask(p, t) => Command::AddTask {
            plan: plan_no(*p, c),
            task: t.clone(),
        },
        CmdSel::ClosePlan(p, outcome) => Command::ClosePlan {
            plan: plan_no(*p, c),
            outcome: *outcome,
        },
        CmdSel::RecordResult(r) => Command::RecordResult { result: *r },
        CmdSel::Submit(t) => Command::Submit {
            ended: time(*t, now, c),
        },
        CmdSel::Approve => Command::Approve,
        CmdSel::Reject => Command::Reject,
        CmdSel::CloseEvent(o) => Command::CloseEvent { outcome: *o },
        CmdSel::Cancel => Command::Cancel,
    }
}
