//! The `vuln` harness's input: what the bytes decode to (a policy and steps) and how each
//! step's time, actor and command are picked when it runs. See [`decode`].

use super::*;

/// How the clock moves before a step.
#[derive(Debug, Clone, Copy)]
pub enum TimeSel {
    Same,
    Minutes(u8),
    Hours(u8),
    Days(u8),
    /// To the crate's `next_deadline`, if later than now.
    Deadline,
    /// One second before `next_deadline`, if later than now.
    BeforeDeadline,
    /// A few hours back, for this step only (`ClockWentBackwards`).
    Back(u8),
    /// A few days before chrono's last instant (`OutOfRange`).
    Far(u8),
}

/// A deferral's date, picked against now and the subject's current deferral.
#[derive(Debug, Clone, Copy)]
pub enum UntilSel {
    Hours(u8),
    Days(u16),
    Now,
    Past,
    /// The subject's current deferral (or now) plus these days (0: `NotLater`).
    Current(u8),
    /// Chrono's last instant.
    Max,
}

/// A command, resolved against the board when it runs. Item and task numbers: 0 to 3 name
/// the harness's items and tasks, 4 one that never exists.
#[derive(Debug, Clone)]
pub enum CmdSel {
    Found {
        item: u8,
        facts: Facts,
        /// Another configuration item than the item's (`ItemMismatch`).
        other_ci: bool,
        empty: bool,
    },
    Fixed(u8),
    Retired(u8),
    CreateTask {
        task: u8,
        /// Bits 0-3: items; bit 4: the first one twice; bit 5: an unknown one.
        mask: u8,
        to: Option<u8>,
        group: bool,
    },
    Split {
        task: u8,
        into: u8,
        mask: u8,
    },
    Assign {
        task: u8,
        to: Option<u8>,
        group: bool,
    },
    StartInvestigation(u8),
    AwaitImplementation(u8),
    Resolve(Sub),
    Defer(Sub, UntilSel, Reason),
    RequestException(Sub, UntilSel, Reason),
    RequestExtension(Sub, UntilSel, Reason),
    MarkFalsePositive(Sub),
    Approve(Sub),
    Reject(Sub, bool),
    Reopen(Sub),
    CloseTask(u8, Closure),
    Tick,
    /// Ticks at the same time until one does nothing (at most 6).
    Ticks,
}

/// A subject by number: an item or a task.
#[derive(Debug, Clone, Copy)]
pub struct Sub {
    pub task: bool,
    pub n: u8,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// 0: the actor the command is meant for; else one of [`WHO`].
    pub who: usize,
    pub time: TimeSel,
    pub cmd: CmdSel,
}

pub struct Input {
    pub policy: Policy,
    pub steps: Vec<Step>,
    pub t0: T,
}

/// What a run saw, for the corpus test.
#[derive(Default, Debug)]
pub struct Seen {
    /// Event names (`Event::name`).
    pub events: BTreeSet<String>,
    /// Error variants met.
    pub errors: BTreeSet<String>,
    /// `item:` and `task:` states reached, `closure:` kinds, paths taken.
    pub statuses: BTreeSet<String>,
    /// Commands accepted, by name.
    pub accepted: BTreeSet<String>,
}

/// The most steps an input decodes to.
pub const MAX_STEPS: usize = 48;

const REASONS: [Reason; 6] = [
    Reason::AwaitingMaintenanceWindow,
    Reason::FixUnavailable,
    Reason::RiskAccepted,
    Reason::MitigatingControl,
    Reason::FalsePositive,
    Reason::Other,
];

const CLOSURES: [Closure; 6] = [
    Closure::Canceled,
    Closure::FixedWithException,
    Closure::Fixed,
    Closure::FalsePositive,
    Closure::Stale,
    Closure::CiDecommissioned,
];

const SEVERITIES: [Severity; 6] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::None,
    Severity::Unknown,
];

const CRITICALITIES: [Criticality; 5] = [
    Criticality::Critical,
    Criticality::High,
    Criticality::Medium,
    Criticality::Low,
    Criticality::None,
];

fn facts(b: &mut Bytes) -> Facts {
    let x = b.byte();
    let mut f = Facts::new(SEVERITIES[usize::from(x % 6)])
        .criticality(CRITICALITIES[usize::from((x / 6) % 5)]);
    if x & 0x40 != 0 {
        f = f.exploited();
    }
    if x & 0x80 != 0 {
        f = f.internet_facing();
    }
    f
}

fn until(b: &mut Bytes) -> UntilSel {
    let x = b.byte();
    match x % 10 {
        0 => UntilSel::Hours(x / 10 + 1),
        1 | 2 => UntilSel::Days([1, 7, 30, 90, 400, 40_000][usize::from(x / 10 % 6)]),
        3 => UntilSel::Now,
        4 => UntilSel::Past,
        5 | 6 => UntilSel::Current(x / 10 % 4),
        7 => UntilSel::Max,
        _ => UntilSel::Days(u16::from(x / 10)),
    }
}

fn sub(b: &mut Bytes) -> Sub {
    let x = b.byte();
    Sub {
        task: x & 0x80 != 0,
        n: (x & 0x7F) % 5,
    }
}

fn reason(b: &mut Bytes) -> Reason {
    b.choose(&REASONS, Reason::Other)
}

fn policy(b: &mut Bytes) -> Policy {
    let mut p = Policy::servicenow();
    let x = b.byte();
    p.recalculation = [
        Recalculation::Keep,
        Recalculation::FromChange,
        Recalculation::Earliest,
        Recalculation::EarliestWhenRising,
    ][usize::from(x % 4)];
    p.self_approval = x & 0x04 != 0;
    p.close_retired = x & 0x08 == 0;
    if x & 0x10 != 0 {
        p.calculators = severity_calculator();
    }
    let y = b.byte();
    p.max_exception_days = [None, Some(0), Some(1), Some(30), Some(365), None][usize::from(y % 6)];
    p.stale_days = [None, Some(0), Some(1), Some(7), Some(60), None][usize::from(y / 6 % 6)];
    // Remediation task rules, sometimes: found items grouped into tasks by themselves.
    p.task_rules = match y / 36 {
        1 => vec![TaskRule::new(
            "by cve",
            Condition::any(),
            [GroupBy::Vulnerability],
        )],
        2 => vec![TaskRule::new("by ci", Condition::any(), [GroupBy::Ci])],
        3 => vec![
            TaskRule::new("kev", Condition::any().exploit(true), [GroupBy::Rating]),
            TaskRule::new("rest", Condition::any(), []),
        ],
        _ => vec![],
    };
    p
}

fn time(b: &mut Bytes) -> TimeSel {
    let x = b.byte();
    let k = x / 16;
    match x % 16 {
        0..=3 => TimeSel::Same,
        4 | 5 => TimeSel::Minutes(k * 4 + 1),
        6 | 7 => TimeSel::Hours(k + 1),
        8 | 9 => TimeSel::Days(k * 2 + 1),
        10 | 11 => TimeSel::Deadline,
        12 => TimeSel::BeforeDeadline,
        13 | 14 => TimeSel::Back(k + 1),
        _ => TimeSel::Far(k),
    }
}

fn command(b: &mut Bytes) -> CmdSel {
    let x = b.byte();
    match x % 24 {
        0 | 1 => {
            let item = b.byte();
            CmdSel::Found {
                item: (item & 0x3F) % 5,
                facts: facts(b),
                other_ci: item & 0x40 != 0 && item & 0x80 != 0,
                empty: item & 0xC0 == 0x80,
            }
        }
        2 => CmdSel::Fixed(b.byte() % 5),
        3 => CmdSel::Retired(b.byte() % 3),
        4 | 5 => {
            let task = b.byte();
            let mask = b.byte();
            CmdSel::CreateTask {
                task: (task & 0x0F) % 5,
                mask,
                to: (task & 0x20 == 0).then_some(task / 64),
                group: task & 0x10 != 0,
            }
        }
        6 => {
            let t = b.byte();
            CmdSel::Split {
                task: (t & 0x0F) % 5,
                into: (t >> 4) % 5,
                mask: b.byte(),
            }
        }
        7 => {
            let t = b.byte();
            CmdSel::Assign {
                task: (t & 0x0F) % 5,
                to: (t & 0x20 == 0).then_some(t / 64),
                group: t & 0x10 != 0,
            }
        }
        8 => CmdSel::StartInvestigation(b.byte() % 5),
        9 => CmdSel::AwaitImplementation(b.byte() % 5),
        10 => CmdSel::Resolve(sub(b)),
        11 => CmdSel::Defer(sub(b), until(b), reason(b)),
        12 | 13 => CmdSel::RequestException(sub(b), until(b), reason(b)),
        14 => CmdSel::RequestExtension(sub(b), until(b), reason(b)),
        15 => CmdSel::MarkFalsePositive(sub(b)),
        16 | 17 => CmdSel::Approve(sub(b)),
        18 => CmdSel::Reject(sub(b), b.flag()),
        19 => CmdSel::Reopen(sub(b)),
        20 => {
            let t = b.byte();
            CmdSel::CloseTask((t & 7) % 5, CLOSURES[usize::from((t >> 3) % 6)])
        }
        21 | 22 => CmdSel::Tick,
        _ => CmdSel::Ticks,
    }
}

/// The steps a prelude byte asks for: bits 0-3 the items found (high severity, exploited),
/// bits 4-5 the tasks made of them (none; task 0 of items 0 and 1, assigned; and task 1 of
/// items 1 and 2, not; or task 0 of every item, assigned, and task 1 of item 2).
fn prelude(p: u8) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut cmd = |cmd| {
        steps.push(Step {
            who: 0,
            time: TimeSel::Same,
            cmd,
        })
    };
    for item in (0..4u8).filter(|i| p & (1 << i) != 0) {
        cmd(CmdSel::Found {
            item,
            facts: Facts::new(Severity::High).exploited(),
            other_ci: false,
            empty: false,
        });
    }
    let task = |task, mask, to| CmdSel::CreateTask {
        task,
        mask,
        to,
        group: false,
    };
    match (p >> 4) & 3 {
        1 => cmd(task(0, 0b0011, Some(0))),
        2 => {
            cmd(task(0, 0b0011, Some(0)));
            cmd(task(1, 0b0110, None));
        }
        3 => {
            cmd(task(0, 0b1111, Some(0)));
            cmd(task(1, 0b0100, None));
        }
        _ => {}
    }
    steps
}

/// Bytes: two of the policy (recalculation, self approval, close retired, the severity
/// calculator; longest exception and stale days), one of the start hour, one of the
/// prelude (items found and tasks made at the start, see [`prelude`]), then steps of a
/// time byte, an actor byte and a command byte with its own few bytes, up to
/// [`MAX_STEPS`]. Zeros give the default policy and items found by the scanner.
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let policy = policy(&mut b);
    let t0 = start() + TimeDelta::hours(i64::from(b.byte()));
    let mut steps = prelude(b.byte());
    while !b.is_empty() && steps.len() < MAX_STEPS {
        let time = time(&mut b);
        let w = b.byte();
        let who = if w < 160 { 0 } else { usize::from(w % 8) };
        let cmd = command(&mut b);
        steps.push(Step { who, time, cmd });
    }
    if steps.is_empty() {
        steps.push(Step {
            who: 0,
            time: TimeSel::Same,
            cmd: CmdSel::Found {
                item: 0,
                facts: Facts::new(Severity::High),
                other_ci: false,
                empty: false,
            },
        });
    }
    Input { policy, steps, t0 }
}

/// The harness's start: 1 March 2027, 00:00 UTC.
pub fn start() -> T {
    DateTime::from_timestamp(1_803_945_600, 0).unwrap_or_default()
}

pub fn item_id(n: u8) -> ItemId {
    ItemId::from_u128(if n < 4 { 1 + u128::from(n) } else { 99 })
}

pub fn task_id(n: u8) -> TaskId {
    TaskId::from_u128(if n < 4 { 100 + u128::from(n) } else { 199 })
}

/// The configuration item an item is on: items 0 and 2 on one, 1 and 3 on another.
pub fn ci_of(n: u8) -> ConfigItemId {
    ConfigItemId::from_u128(10 + u128::from(n % 2))
}

fn subject_of(s: Sub) -> Subject {
    if s.task {
        Subject::Task(task_id(s.n))
    } else {
        Subject::Item(item_id(s.n))
    }
}

fn items_of(mask: u8) -> Vec<ItemId> {
    let mut items: Vec<ItemId> = (0..4u8)
        .filter(|i| mask & (1 << i) != 0)
        .map(item_id)
        .collect();
    if mask & 0x10 != 0 {
        if let Some(&first) = items.first() {
            items.push(first);
        }
    }
    if mask & 0x20 != 0 {
        items.push(item_id(4));
    }
    items
}

fn user_of(n: u8) -> UserId {
    [OWNER, OWNER2, ADMIN, NOBODY]
        .get(usize::from(n))
        .copied()
        .unwrap_or(OWNER)
}

fn at_days(now: T, days: i64) -> T {
    plus(now, TimeDelta::days(days))
}

fn until_of(sel: UntilSel, s: Subject, board: &Board, now: T) -> T {
    match sel {
        UntilSel::Hours(h) => plus(now, TimeDelta::hours(i64::from(h))),
        UntilSel::Days(d) => at_days(now, i64::from(d)),
        UntilSel::Now => now,
        UntilSel::Past => now.checked_sub_signed(TimeDelta::days(1)).unwrap_or(now),
        UntilSel::Current(d) => {
            let current = match s {
                Subject::Item(id) => board.item(id).and_then(|i| i.deferral),
                Subject::Task(id) => board.task(id).and_then(|t| t.deferral),
            };
            at_days(current.map_or(now, |c| c.until), i64::from(d))
        }
        UntilSel::Max => DateTime::<Utc>::MAX_UTC,
    }
}

/// The command a step names, against the board at `now`.
pub fn resolve(sel: &CmdSel, board: &Board, now: T) -> Command {
    match *sel {
        CmdSel::Found {
            item,
            facts,
            other_ci,
            empty,
        } => Command::Found {
            item: item_id(item),
            ci: ci_of(if other_ci { item + 1 } else { item }),
            vulnerability: if empty {
                " ".to_owned()
            } else {
                format!("CVE-2027-{}", item % 3)
            },
            facts,
            task: Some(task_id((item + 1) % 5)),
        },
        CmdSel::Fixed(i) => Command::Fixed { item: item_id(i) },
        CmdSel::Retired(c) => Command::Retired { ci: ci_of(c) },
        CmdSel::CreateTask {
            task,
            mask,
            to,
            group,
        } => Command::CreateTask {
            task: task_id(task),
            items: items_of(mask),
            assigned_to: to.map(user_of),
            group: group.then_some(GROUP),
        },
        CmdSel::Split { task, into, mask } => Command::Split {
            task: task_id(task),
            into: task_id(into),
            items: items_of(mask),
        },
        CmdSel::Assign { task, to, group } => Command::Assign {
            task: task_id(task),
            to: to.map(user_of),
            group: group.then_some(GROUP),
        },
        CmdSel::StartInvestigation(t) => Command::StartInvestigation { task: task_id(t) },
        CmdSel::AwaitImplementation(t) => Command::AwaitImplementation { task: task_id(t) },
        CmdSel::Resolve(s) => Command::Resolve {
            subject: subject_of(s),
            notes: "patched".to_owned(),
        },
        CmdSel::Defer(s, u, reason) => Command::Defer {
            subject: subject_of(s),
            until: until_of(u, subject_of(s), board, now),
            reason,
        },
        CmdSel::RequestException(s, u, reason) => Command::RequestException {
            subject: subject_of(s),
            until: until_of(u, subject_of(s), board, now),
            reason,
            information: String::new(),
        },
        CmdSel::RequestExtension(s, u, reason) => Command::RequestExtension {
            subject: subject_of(s),
            until: until_of(u, subject_of(s), board, now),
            reason,
        },
        CmdSel::MarkFalsePositive(s) => Command::MarkFalsePositive {
            subject: subject_of(s),
            information: String::new(),
        },
        CmdSel::Approve(s) => Command::Approve {
            subject: subject_of(s),
        },
        CmdSel::Reject(s, empty) => Command::Reject {
            subject: subject_of(s),
            comments: if empty { " " } else { "no" }.to_owned(),
        },
        CmdSel::Reopen(s) => Command::Reopen {
            subject: subject_of(s),
        },
        CmdSel::CloseTask(t, closure) => Command::CloseTask {
            task: task_id(t),
            closure,
        },
        CmdSel::Tick | CmdSel::Ticks => Command::Tick,
    }
}
