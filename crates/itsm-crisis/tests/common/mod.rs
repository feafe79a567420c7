//! A small driver shared by the tests: an event, a policy, the people, and a clock in hours.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use itsm_crisis::chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_crisis::{
    Actor, Command, Context, Crisis, CrisisId, CrisisSpec, Error, Event, Policy, Role, State,
    TaskRef, TaskStatus, UserId, decide, evolve,
};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 5, 3, 8, 0, 0).unwrap()
}

pub fn at(hours: i64) -> DateTime<Utc> {
    t0() + Duration::hours(hours)
}

pub const PROGRAM_MANAGER: UserId = UserId::from_u128(1);
pub const PLANNER: UserId = UserId::from_u128(2);
pub const MEMBER: UserId = UserId::from_u128(3);
pub const STRANGER: UserId = UserId::from_u128(4);
pub const BACKUP: UserId = UserId::from_u128(5);

pub fn program_manager() -> Actor {
    Actor::new(
        PROGRAM_MANAGER,
        [Role::new("sn_bcm.program_manager").unwrap()],
    )
}

pub fn planner() -> Actor {
    Actor::new(PLANNER, [Role::new("sn_bcm.planner").unwrap()])
}

pub fn member() -> Actor {
    Actor::new(MEMBER, [])
}

pub fn stranger() -> Actor {
    Actor::new(STRANGER, [])
}

/// An event under test: its state, its policy and the hour on its clock.
pub struct Run {
    pub state: State,
    pub policy: Policy,
    pub hour: i64,
    pub log: Vec<Event>,
}

impl Run {
    pub fn new(spec: CrisisSpec) -> Self {
        Self::with_policy(spec, Policy::servicenow())
    }

    pub fn with_policy(spec: CrisisSpec, policy: Policy) -> Self {
        let mut run = Run {
            state: State::new(),
            policy,
            hour: 0,
            log: Vec::new(),
        };
        run.ok(
            &program_manager(),
            Command::create(CrisisId::from_u128(9), spec),
        );
        run
    }

    /// Runs a command as `who` at the current hour; on success folds the events in (and
    /// checks `evolve` folds them the same way).
    pub fn try_as(&mut self, who: &Actor, command: Command) -> Result<Vec<Event>, Error> {
        let ctx = Context::new(at(self.hour), who, &self.policy);
        let before = self.state.clone();
        let result = decide(&self.state, &command, &ctx);
        assert_eq!(self.state, before);
        if let Ok(events) = &result {
            let folded = events.iter().fold(self.state.clone(), evolve);
            self.state.apply(events);
            assert_eq!(folded, self.state);
            self.log.extend(events.iter().cloned());
        }
        result
    }

    pub fn ok(&mut self, who: &Actor, command: Command) -> Vec<Event> {
        let name = format!("{command:?}");
        self.try_as(who, command)
            .unwrap_or_else(|e| panic!("{name} refused: {e}"))
    }

    pub fn pm(&mut self, command: Command) -> Vec<Event> {
        self.ok(&program_manager(), command)
    }

    pub fn err(&mut self, who: &Actor, command: Command) -> Error {
        self.try_as(who, command).unwrap_err()
    }

    pub fn crisis(&self) -> &Crisis {
        self.state.crisis().unwrap()
    }

    pub fn status(&self, plan: u32, task: u32) -> TaskStatus {
        self.crisis().task(TaskRef::new(plan, task)).unwrap().status
    }

    /// Works on a task and closes it complete, an hour later.
    pub fn complete(&mut self, plan: u32, task: u32) -> Vec<Event> {
        let task = TaskRef::new(plan, task);
        self.pm(Command::Work {
            task,
            started: None,
        });
        self.hour += 1;
        self.pm(Command::Close {
            task,
            closing: itsm_crisis::Closing::Complete,
            ended: None,
        })
    }
}

/// The tasks the events trigger, in order.
pub fn triggered(events: &[Event]) -> Vec<TaskRef> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::TaskTriggered { task, .. } => Some(*task),
            _ => None,
        })
        .collect()
}
