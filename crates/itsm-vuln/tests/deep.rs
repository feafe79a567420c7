//! Scale and deep input, on a thread with a 256 kB stack (so that recursion whose depth
//! follows the input fails loudly): a million vulnerable items in one remediation task,
//! moved together, fixed one by one by the scanner (each roll-up O(log n), not a pass over
//! the task) until the last one closes the task, with the schedule's queries over them.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use itsm_vuln::chrono::{DateTime, TimeDelta, TimeZone, Utc};
use itsm_vuln::{
    Actor, Board, Command, ConfigItemId, Context, Facts, ItemId, Policy, Reason, Role, Severity,
    Status, Subject, TaskId, UserId, decide, next_deadline,
};

const MILLION: u128 = 1_000_000;

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn actor(n: u128, role: &str) -> Actor {
    Actor::new(UserId::from_u128(n), [Role::new(role).unwrap()])
}

fn run(
    board: &mut Board,
    policy: &Policy,
    now: DateTime<Utc>,
    actor: &Actor,
    command: Command,
) -> usize {
    let events = decide(board, &command, &Context::new(now, actor, policy)).unwrap();
    board.apply(&events);
    events.len()
}

#[test]
fn a_million_items_in_one_task() {
    on_small_stack(|| {
        let policy = Policy::servicenow();
        let scanner = actor(1, "sn_vul.integration");
        let owner = actor(2, "sn_vul.remediation_owner");
        let admin = actor(3, "sn_vul.vulnerability_admin");
        let system = Actor::new(UserId::from_u128(4), []);
        let t0 = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
        let mut board = Board::new();
        for n in 0..MILLION {
            run(
                &mut board,
                &policy,
                t0,
                &scanner,
                Command::Found {
                    item: ItemId::from_u128(n),
                    ci: ConfigItemId::from_u128(n),
                    vulnerability: "CVE-2021-44228".into(),
                    facts: Facts::new(Severity::Critical),
                    task: None,
                },
            );
        }
        let task = TaskId::from_u128(1);
        run(
            &mut board,
            &policy,
            t0,
            &owner,
            Command::CreateTask {
                task,
                items: (0..MILLION).map(ItemId::from_u128).collect(),
                assigned_to: Some(owner.user),
                group: None,
            },
        );
        run(
            &mut board,
            &policy,
            t0,
            &owner,
            Command::StartInvestigation { task },
        );
        assert_eq!(
            board.item(ItemId::from_u128(MILLION - 1)).unwrap().status,
            Status::UnderInvestigation
        );
        // The schedule's queries over a million targets.
        let first = next_deadline(&board, &policy).unwrap();
        assert!(first > t0);
        assert!(
            run(&mut board, &policy, first, &system, Command::Tick) == MILLION as usize,
            "every item reminded at once"
        );
        let until = first + TimeDelta::days(30);
        run(
            &mut board,
            &policy,
            first,
            &admin,
            Command::Defer {
                subject: Subject::Task(task),
                until,
                reason: Reason::Other,
            },
        );
        assert_eq!(
            board.item(ItemId::from_u128(7)).unwrap().status,
            Status::Deferred
        );
        run(&mut board, &policy, until, &system, Command::Tick);
        assert_eq!(board.task(task).unwrap().status, Status::Open);
        // The scanner fixes them one by one; only the last closes the task.
        for n in 0..MILLION {
            run(
                &mut board,
                &policy,
                until,
                &scanner,
                Command::Fixed {
                    item: ItemId::from_u128(n),
                },
            );
            if n == MILLION - 2 {
                assert_eq!(board.task(task).unwrap().status, Status::Open);
            }
        }
        assert_eq!(board.task(task).unwrap().status, Status::Closed);
        assert_eq!(next_deadline(&board, &policy), None);
    });
}
