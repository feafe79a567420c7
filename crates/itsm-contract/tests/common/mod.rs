//! What the tests share: days, actors and a contract driven command by command.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use itsm_contract::chrono::NaiveDate;
use itsm_contract::{
    Actor, Command, Context, Contract, ContractId, ContractSpec, Error, Event, Model, Policy, Role,
    State, UserId, decide, next_deadline,
};

/// A day of 2027.
pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, d).unwrap()
}

/// A day of any year.
pub fn ymd(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap()
}

pub fn manager() -> Actor {
    Actor::new(
        UserId::from_u128(1),
        [Role::new("contract_manager").unwrap()],
    )
}

pub fn approver() -> Actor {
    Actor::new(
        UserId::from_u128(2),
        [Role::new("contract_manager").unwrap()],
    )
}

pub fn finance() -> Actor {
    Actor::new(
        UserId::from_u128(4),
        [Role::new("financial_mgmt_user").unwrap()],
    )
}

pub fn system() -> Actor {
    Actor::new(UserId::from_u128(3), [])
}

pub fn nobody() -> Actor {
    Actor::new(UserId::from_u128(9), [Role::new("itil").unwrap()])
}

/// A maintenance contract for 2027 approved by [`approver`].
pub fn spec() -> ContractSpec {
    ContractSpec::new(
        "MNT-1",
        Model::Maintenance,
        Some(day(1, 1)),
        Some(day(12, 31)),
    )
    .approver(approver().user)
    .administrator(UserId::from_u128(5))
}

/// A contract under test: the state, the policy, and every event so far.
pub struct Desk {
    pub state: State,
    pub policy: Policy,
    pub events: Vec<Event>,
}

impl Desk {
    pub fn new() -> Self {
        Desk::with(Policy::servicenow())
    }

    pub fn with(policy: Policy) -> Self {
        Desk {
            state: State::new(),
            policy,
            events: Vec::new(),
        }
    }

    /// Created on `on` by the manager.
    pub fn created(spec: ContractSpec, on: NaiveDate) -> Self {
        let mut desk = Desk::new();
        desk.ok(
            on,
            &manager(),
            Command::create(ContractId::from_u128(1), spec),
        );
        desk
    }

    /// Created, submitted and approved on `on`.
    pub fn approved(spec: ContractSpec, on: NaiveDate) -> Self {
        let mut desk = Desk::created(spec, on);
        desk.ok(on, &manager(), Command::Submit { approver: None });
        desk.ok(on, &approver(), Command::Approve);
        desk
    }

    pub fn try_run(
        &mut self,
        today: NaiveDate,
        actor: &Actor,
        command: Command,
    ) -> Result<Vec<Event>, Error> {
        let before = self.state.clone();
        let result = decide(
            &self.state,
            &command,
            &Context::new(today, actor, &self.policy),
        );
        match &result {
            Ok(events) => {
                self.state.apply(events);
                self.events.extend(events.iter().cloned());
            }
            Err(_) => assert_eq!(self.state, before),
        }
        result
    }

    pub fn ok(&mut self, today: NaiveDate, actor: &Actor, command: Command) -> Vec<Event> {
        self.try_run(today, actor, command)
            .unwrap_or_else(|e| panic!("refused: {e}"))
    }

    pub fn err(&mut self, today: NaiveDate, actor: &Actor, command: Command) -> Error {
        match self.try_run(today, actor, command) {
            Ok(events) => panic!("accepted: {events:?}"),
            Err(e) => e,
        }
    }

    pub fn tick(&mut self, today: NaiveDate) -> Vec<Event> {
        self.ok(today, &system(), Command::Tick)
    }

    pub fn contract(&self) -> &Contract {
        self.state.contract().unwrap()
    }

    pub fn deadline(&self) -> Option<NaiveDate> {
        next_deadline(&self.state, &self.policy)
    }

    /// Ticks on every due day up to `until`, as a host following `next_deadline` does.
    pub fn run_until(&mut self, until: NaiveDate) -> Vec<Event> {
        let mut all = Vec::new();
        while let Some(due) = self.deadline() {
            if due > until {
                break;
            }
            let today = due.max(self.state.last.unwrap_or(due));
            let events = self.tick(today);
            assert!(
                !events.is_empty(),
                "next_deadline said {due}, but the tick on {today} did nothing"
            );
            all.extend(events);
        }
        all
    }
}

/// The names of the events.
pub fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(Event::name).collect()
}
