//! What the release tests share: actors, dates and a release driven command by command.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use itsm_release::{
    Actor, Command, Context, Error, Event, Outcome, Phase, Plan, Policy, Release, ReleaseId, Role,
    State, TaskRef, TaskSpec, UserId, decide,
};

/// A date in 2027.
pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, d).unwrap()
}

/// An instant in 2027, UTC.
pub fn at(month: u32, d: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, month, d, hour, 0, 0).unwrap()
}

pub const CAB: UserId = UserId::from_u128(9);

pub fn admin() -> Actor {
    Actor::new(UserId::from_u128(1), [Role::new("release_admin").unwrap()])
}

pub fn manager() -> Actor {
    Actor::new(
        UserId::from_u128(2),
        [Role::new("product_manager").unwrap()],
    )
}

pub fn engineer() -> Actor {
    Actor::new(UserId::from_u128(3), [])
}

pub fn approver() -> Actor {
    Actor::new(CAB, [])
}

/// A release and the policy it runs under.
pub struct Run {
    pub state: State,
    pub policy: Policy,
    pub context: Vec<usize>,
    pub main: Option<usize>,
}

impl Run {
    /// A release created at `when` by the admin.
    pub fn new(plan: Plan, policy: Policy, when: DateTime<Utc>) -> Run {
        let mut run = Run {
            state: State::new(),
            policy,
            context: Vec::new(),
            main: None,
        };
        run.ok(
            &admin(),
            when,
            Command::create(ReleaseId::from_u128(1), plan),
        );
        run
    }

    /// The command's events, folded in; or its error, nothing changed.
    pub fn run(
        &mut self,
        who: &Actor,
        when: DateTime<Utc>,
        command: Command,
    ) -> Result<Vec<Event>, Error> {
        let mut ctx = Context::new(when, who, &self.policy).with_included(&self.context);
        if let Some(m) = self.main {
            ctx = ctx.included_in(m);
        }
        let events = decide(&self.state, &command, &ctx)?;
        self.state.apply(&events);
        Ok(events)
    }

    /// As `run`, which must succeed.
    pub fn ok(&mut self, who: &Actor, when: DateTime<Utc>, command: Command) -> Vec<Event> {
        let name = command.name();
        self.run(who, when, command)
            .unwrap_or_else(|e| panic!("`{name}` refused: {e}"))
    }

    /// As `run`, which must fail; returns the message.
    pub fn err(&mut self, who: &Actor, when: DateTime<Utc>, command: Command) -> String {
        let before = self.state.clone();
        let e = self.run(who, when, command).unwrap_err().to_string();
        assert_eq!(self.state, before, "a refused command changed nothing");
        e
    }

    pub fn release(&self) -> &Release {
        self.state.release().unwrap()
    }

    pub fn phase(&self, i: usize) -> &Phase {
        &self.release().phases()[i]
    }
}

/// A task with a name.
pub fn task(name: &str) -> TaskSpec {
    TaskSpec::new(name)
}

/// Closes task `t` of phase `phase`, complete.
pub fn close(phase: usize, t: usize) -> Command {
    Command::CloseTask {
        task: TaskRef::new(phase, t),
        outcome: Outcome::Complete,
    }
}

/// Records a check's result.
pub fn record(check: &str, compliant: bool) -> Command {
    Command::RecordCheck {
        check: check.into(),
        compliant,
    }
}

/// A release created on 1 March at 09:00 and started at 10:00 by the admin.
pub fn started(plan: Plan, policy: Policy) -> Run {
    let mut run = Run::new(plan, policy, at(3, 1, 9));
    run.ok(&admin(), at(3, 1, 10), Command::Start);
    run
}

/// The message `create` refuses `plan` with, on 1 March at 09:00, by the admin.
pub fn plan_err(plan: Plan) -> String {
    let policy = Policy::servicenow();
    let admin = admin();
    let ctx = Context::new(at(3, 1, 9), &admin, &policy);
    decide(
        &State::new(),
        &Command::create(ReleaseId::from_u128(1), plan),
        &ctx,
    )
    .unwrap_err()
    .to_string()
}

/// Each event's kind (its variant's name), in order.
pub fn kinds(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            format!("{e:?}")
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}
