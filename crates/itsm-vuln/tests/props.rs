//! Properties over random runs of scanners, owners, administrators, approvers and the
//! schedule on a few items and tasks: after every command the board is settled (every
//! item's state is what roll-down gives, every task's what roll-up allows), the fold agrees
//! with `apply`, a board read back from JSON goes on exactly as the original, refusals are
//! pure, and `next_deadline` is exact.
#![cfg(feature = "serde")]
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;
use common::*;
use itsm_vuln::chrono::{DateTime, TimeDelta, Utc};
use itsm_vuln::{
    Board, Closure, Command, ConfigItemId, Context, Facts, Item, Own, Policy, Reason,
    Recalculation, Severity, Status, Subject, decide, next_deadline,
};
use proptest::prelude::*;

const ITEMS: u128 = 6;
const TASKS: u128 = 4;

#[derive(Debug, Clone)]
struct Step {
    hours: i64,
    op: u8,
    a: u8,
    b: u8,
    c: u8,
}

fn step() -> impl Strategy<Value = Step> {
    (0i64..200, 0u8..18, any::<u8>(), any::<u8>(), any::<u8>())
        .prop_map(|(hours, op, a, b, c)| Step { hours, op, a, b, c })
}

fn policy(bits: u8) -> Policy {
    let mut p = Policy::servicenow();
    p.recalculation = match bits % 4 {
        0 => Recalculation::Keep,
        1 => Recalculation::FromChange,
        2 => Recalculation::Earliest,
        _ => Recalculation::EarliestWhenRising,
    };
    p.stale_days = (bits & 4 != 0).then_some(20);
    p.max_exception_days = (bits & 8 != 0).then_some(30);
    p.self_approval = bits & 16 != 0;
    if bits & 32 != 0 {
        p.task_rules = vec![itsm_vuln::TaskRule::new(
            "by cve",
            itsm_vuln::Condition::any(),
            [itsm_vuln::GroupBy::Vulnerability],
        )];
    }
    p
}

/// An existing item or task, mostly (the ids are few, so others come up too).
fn subject(board: &Board, a: u8) -> Subject {
    let pick = |n: usize| usize::from(a / 2) % n.max(1);
    if a % 2 == 0 {
        let ids: Vec<_> = board.items.keys().copied().collect();
        ids.get(pick(ids.len()))
            .map_or(it(0), |i| Subject::Item(*i))
    } else {
        let ids: Vec<_> = board.tasks.keys().copied().collect();
        ids.get(pick(ids.len()))
            .map_or(ti(0), |t| Subject::Task(*t))
    }
}

/// An existing task, mostly.
fn some_task(board: &Board, a: u8) -> itsm_vuln::TaskId {
    let ids: Vec<_> = board.tasks.keys().copied().collect();
    ids.get(usize::from(a) % ids.len().max(1))
        .copied()
        .unwrap_or(task(u128::from(a) % TASKS))
}

/// The existing items a bit mask picks.
fn some_items(board: &Board, mask: u8) -> Vec<itsm_vuln::ItemId> {
    board
        .items
        .keys()
        .enumerate()
        .filter(|(k, _)| (mask >> (k % 8)) & 1 == 1)
        .map(|(_, i)| *i)
        .collect()
}

fn command(
    board: &Board,
    s: &Step,
    now: itsm_vuln::chrono::DateTime<itsm_vuln::chrono::Utc>,
) -> (itsm_core_actor::Who, Command) {
    use itsm_core_actor::Who::*;
    let n = u128::from(s.a) % ITEMS;
    let t = u128::from(s.a) % TASKS;
    let until = now + TimeDelta::hours(1 + i64::from(s.b) * 6);
    let reason =
        [Reason::RiskAccepted, Reason::FixUnavailable, Reason::Other][usize::from(s.c % 3)];
    match s.op {
        0 | 1 => {
            let sev = [
                Severity::Critical,
                Severity::High,
                Severity::Medium,
                Severity::Low,
            ][usize::from(s.b % 4)];
            let mut facts = Facts::new(sev);
            if s.c & 1 != 0 {
                facts = facts.exploited();
            }
            (
                Scanner,
                Command::Found {
                    item: item(n),
                    ci: ConfigItemId::from_u128(n),
                    vulnerability: format!("CVE-{}", n % 2),
                    facts,
                    task: Some(task(u128::from(s.c) % TASKS)),
                },
            )
        }
        2 => (Scanner, Command::Fixed { item: item(n) }),
        3 => {
            let items = some_items(board, s.b);
            (
                Owner,
                Command::CreateTask {
                    task: task(t),
                    items,
                    assigned_to: (s.c % 3 != 0).then(|| owner().user),
                    group: None,
                },
            )
        }
        4 => (
            Owner,
            Command::StartInvestigation {
                task: some_task(board, s.a),
            },
        ),
        5 => (
            Owner,
            Command::AwaitImplementation {
                task: some_task(board, s.a),
            },
        ),
        6 => (
            Owner,
            Command::Resolve {
                subject: subject(board, s.a),
                notes: "done".into(),
            },
        ),
        7 => (
            Admin,
            Command::Defer {
                subject: subject(board, s.a),
                until,
                reason,
            },
        ),
        8 => (
            Owner,
            Command::RequestException {
                subject: subject(board, s.a),
                until,
                reason,
                information: String::new(),
            },
        ),
        9 => (
            Owner,
            Command::RequestExtension {
                subject: subject(board, s.a),
                until,
                reason,
            },
        ),
        10 => (
            Owner,
            Command::MarkFalsePositive {
                subject: subject(board, s.a),
                information: String::new(),
            },
        ),
        11 => (
            if s.b % 4 == 0 { Owner } else { Approver },
            Command::Approve {
                subject: subject(board, s.a),
            },
        ),
        12 => (
            Approver,
            Command::Reject {
                subject: subject(board, s.a),
                comments: "no".into(),
            },
        ),
        13 => (
            Owner,
            Command::Reopen {
                subject: subject(board, s.a),
            },
        ),
        14 => (
            Admin,
            Command::CloseTask {
                task: some_task(board, s.a),
                closure: if s.b % 2 == 0 {
                    Closure::Canceled
                } else {
                    Closure::FixedWithException
                },
            },
        ),
        15 => (
            Scanner,
            Command::Retired {
                ci: ConfigItemId::from_u128(n),
            },
        ),
        16 => {
            let items = some_items(board, s.b);
            (
                Owner,
                Command::Split {
                    task: some_task(board, s.a),
                    into: task(u128::from(s.c) % TASKS),
                    items,
                },
            )
        }
        _ => (System, Command::Tick),
    }
}

mod itsm_core_actor {
    #[derive(Debug, Clone, Copy)]
    pub enum Who {
        Scanner,
        Owner,
        Admin,
        Approver,
        System,
    }
}

fn actor(w: itsm_core_actor::Who) -> itsm_vuln::Actor {
    use itsm_core_actor::Who::*;
    match w {
        Scanner => scanner(),
        Owner => owner(),
        Admin => admin(),
        Approver => approver(),
        System => system(),
    }
}

/// An item's state and deferral date by the documented roll-down rule, from its public
/// fields.
fn rolled_down(board: &Board, i: &Item) -> (Status, Option<DateTime<Utc>>) {
    let view = |o: Own| (o.status, o.deferral.map(|d| d.until));
    let mut best = i.own.map(view);
    for t in i.tasks.iter().filter_map(|t| board.task(*t)) {
        let counts = !(t.status == Status::Closed
            && matches!(
                t.closure,
                Some(Closure::Canceled | Closure::FixedWithException)
            ));
        if !counts {
            continue;
        }
        let c = (t.status, t.deferral.map(|d| d.until));
        best = Some(match best {
            None => c,
            Some(b) if c.0.precedence() > b.0.precedence() => c,
            Some(b) if c.0 == Status::Deferred && b.0 == Status::Deferred && c.1 > b.1 => c,
            Some(b) => b,
        });
    }
    let (status, until) = best.unwrap_or((Status::Open, None));
    (status, until.filter(|_| status == Status::Deferred))
}

fn earliest_after(items: &[&Item], last: Option<DateTime<Utc>>) -> bool {
    let earliest = items
        .iter()
        .filter_map(|i| i.deferral.map(|d| d.until))
        .min();
    earliest.is_some_and(|e| last.is_none_or(|l| e > l))
}

fn check_settled(board: &Board) {
    for i in board.items.values() {
        let (status, until) = rolled_down(board, i);
        assert_eq!(i.status, status, "item {} rolled down", i.id);
        assert_eq!(i.deferral.map(|d| d.until), until, "item {} deferral", i.id);
        for t in &i.tasks {
            assert!(
                board.task(*t).unwrap().items.contains(&i.id),
                "memberships agree"
            );
        }
    }
    for t in board.tasks.values() {
        let items: Vec<&Item> = t.items.iter().map(|i| board.item(*i).unwrap()).collect();
        for i in &items {
            assert!(i.tasks.contains(&t.id), "memberships agree");
        }
        if t.status == Status::Closed || items.is_empty() {
            continue;
        }
        assert!(
            !items.iter().all(|i| i.status == Status::Closed),
            "task {} should have rolled up to closed",
            t.id
        );
        let settled = items
            .iter()
            .all(|i| matches!(i.status, Status::Closed | Status::Deferred));
        // A roll-up never defers to a time already past (docs/vulnerability.md).
        if settled && earliest_after(&items, board.last) {
            let earliest = items
                .iter()
                .filter_map(|i| i.deferral.map(|d| d.until))
                .min();
            assert_eq!(
                t.status,
                Status::Deferred,
                "task {} should have rolled up to deferred",
                t.id
            );
            assert_eq!(t.deferral.map(|d| d.until), earliest);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::default())]
    #[test]
    fn every_run_stays_settled(bits in any::<u8>(), steps in proptest::collection::vec(step(), 1..60)) {
        let policy = policy(bits);
        let mut board = Board::new();
        let mut now = day(0);
        for s in &steps {
            now += TimeDelta::hours(s.hours);
            // The schedule's deadline is exact: nothing before it, something at it.
            if let Some(deadline) = next_deadline(&board, &policy) {
                if deadline > now {
                    let early = decide(&board, &Command::Tick, &Context::new(now, &system(), &policy)).unwrap();
                    prop_assert!(early.is_empty(), "tick before the deadline did {early:?}");
                } else {
                    let due = decide(&board, &Command::Tick, &Context::new(now, &system(), &policy)).unwrap();
                    prop_assert!(!due.is_empty(), "tick at or after the deadline {deadline} did nothing at {now}");
                }
            }
            let (who, command) = command(&board, s, now);
            let ctx_actor = actor(who);
            let ctx = Context::new(now, &ctx_actor, &policy);
            let first = decide(&board, &command, &ctx);
            prop_assert_eq!(&first, &decide(&board, &command, &ctx), "decide is pure");
            let Ok(events) = first else { continue };
            let folded = events.iter().fold(board.clone(), itsm_vuln::evolve);
            let json: Board = serde_json::from_str(&serde_json::to_string(&board).unwrap()).unwrap();
            let mut read_back = json;
            read_back.apply(&events);
            board.apply(&events);
            prop_assert_eq!(&folded, &board);
            prop_assert_eq!(&read_back, &board, "a board read back from JSON goes on the same");
            check_settled(&board);
        }
    }
}
