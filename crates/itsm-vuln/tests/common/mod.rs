//! A desk that runs commands through `decide` and folds their events, as a host would.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use itsm_vuln::chrono::{DateTime, TimeZone, Utc};
use itsm_vuln::{
    Actor, Board, Command, ConfigItemId, Context, Error, Event, Facts, ItemId, Policy, Role,
    Severity, Subject, TaskId, UserId, decide, next_deadline,
};

/// 2027-03-`d` at `h`:00 UTC.
pub fn at(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, d, h, 0, 0).unwrap()
}

/// `n` days after 1 March 2027, 00:00 UTC.
pub fn day(n: i64) -> DateTime<Utc> {
    at(1, 0) + itsm_vuln::chrono::TimeDelta::days(n)
}

fn actor(n: u128, roles: &[&str]) -> Actor {
    Actor::new(
        UserId::from_u128(n),
        roles.iter().map(|r| Role::new(*r).unwrap()),
    )
}

pub fn scanner() -> Actor {
    actor(1, &["sn_vul.integration"])
}
pub fn owner() -> Actor {
    actor(2, &["sn_vul.remediation_owner"])
}
pub fn admin() -> Actor {
    actor(3, &["sn_vul.vulnerability_admin"])
}
pub fn approver() -> Actor {
    actor(4, &["sn_vul.exception_approver"])
}
pub fn system() -> Actor {
    actor(5, &[])
}

pub fn item(n: u128) -> ItemId {
    ItemId::from_u128(n)
}
pub fn task(n: u128) -> TaskId {
    TaskId::from_u128(n)
}
pub fn ti(n: u128) -> Subject {
    Subject::Task(task(n))
}
pub fn it(n: u128) -> Subject {
    Subject::Item(item(n))
}

pub struct Desk {
    pub board: Board,
    pub policy: Policy,
}

impl Desk {
    pub fn new() -> Self {
        Desk::with(Policy::servicenow())
    }

    pub fn with(policy: Policy) -> Self {
        Desk {
            board: Board::new(),
            policy,
        }
    }

    pub fn run(
        &mut self,
        now: DateTime<Utc>,
        actor: &Actor,
        command: Command,
    ) -> Result<Vec<Event>, Error> {
        let events = decide(
            &self.board,
            &command,
            &Context::new(now, actor, &self.policy),
        )?;
        let before = self.board.clone();
        let folded = events.iter().fold(before, itsm_vuln::evolve);
        self.board.apply(&events);
        assert_eq!(folded, self.board, "evolve and apply agree");
        Ok(events)
    }

    pub fn ok(&mut self, now: DateTime<Utc>, actor: &Actor, command: Command) -> Vec<Event> {
        match self.run(now, actor, command.clone()) {
            Ok(events) => events,
            Err(e) => panic!("{command:?} refused: {e}"),
        }
    }

    pub fn err(&mut self, now: DateTime<Utc>, actor: &Actor, command: Command) -> Error {
        let before = self.board.clone();
        let e = self.run(now, actor, command).unwrap_err();
        assert_eq!(before, self.board, "a refusal changes nothing");
        e
    }

    /// The scanner finds `n` (vulnerability `CVE-n` on CI `n`).
    pub fn found(&mut self, now: DateTime<Utc>, n: u128, facts: Facts) -> Vec<Event> {
        self.ok(
            now,
            &scanner(),
            Command::Found {
                item: item(n),
                ci: ConfigItemId::from_u128(n),
                vulnerability: format!("CVE-{n}"),
                facts,
                task: None,
            },
        )
    }

    pub fn high(&mut self, now: DateTime<Utc>, n: u128) -> Vec<Event> {
        self.found(now, n, Facts::new(Severity::High))
    }

    pub fn fixed(&mut self, now: DateTime<Utc>, n: u128) -> Vec<Event> {
        self.ok(now, &scanner(), Command::Fixed { item: item(n) })
    }

    /// A task of these items, assigned to the owner.
    pub fn group(&mut self, now: DateTime<Utc>, t: u128, items: &[u128]) -> Vec<Event> {
        self.ok(
            now,
            &owner(),
            Command::CreateTask {
                task: task(t),
                items: items.iter().map(|&n| item(n)).collect(),
                assigned_to: Some(owner().user),
                group: None,
            },
        )
    }

    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        self.ok(now, &system(), Command::Tick)
    }

    pub fn deadline(&self) -> Option<DateTime<Utc>> {
        next_deadline(&self.board, &self.policy)
    }

    pub fn item(&self, n: u128) -> &itsm_vuln::Item {
        self.board.item(item(n)).unwrap()
    }

    pub fn task(&self, n: u128) -> &itsm_vuln::Task {
        self.board.task(task(n)).unwrap()
    }
}

pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::name).collect()
}
