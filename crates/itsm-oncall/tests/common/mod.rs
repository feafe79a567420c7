//! Helpers shared by the test files: people, instants, schedules and a driver for
//! escalations.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use itsm_oncall::{
    Actor, Command, Context, Event, Layer, Policy, Profiles, Rotation, Schedule, ScheduleSpec,
    Schedules, State, Turn, Urgency, UserId,
};

pub const ANN: UserId = UserId::from_u128(1);
pub const BOB: UserId = UserId::from_u128(2);
pub const CAT: UserId = UserId::from_u128(3);
pub const DAN: UserId = UserId::from_u128(4);
pub const EVE: UserId = UserId::from_u128(5);
pub const SYSTEM: UserId = UserId::from_u128(0);

/// A wall-clock reading.
pub fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// An instant in UTC.
pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// A layer of `members` turning every `turn` from `handover`.
pub fn layer(name: &str, members: &[UserId], handover: NaiveDateTime, turn: Turn) -> Layer {
    Layer::new(name, members.to_vec(), Rotation { handover, turn })
}

/// A schedule "ops" of one layer, compiled.
pub fn single(l: Layer) -> Schedule {
    Schedule::new(&ScheduleSpec::new("ops", vec![l])).unwrap()
}

/// The users of an answer.
pub fn users(on_call: &[itsm_oncall::OnCall]) -> Vec<UserId> {
    on_call.iter().map(|e| e.user).collect()
}

/// Who `schedule` has on call at `at`.
pub fn who(schedule: &Schedule, at: DateTime<Utc>) -> Vec<UserId> {
    users(&schedule.on_call(at).unwrap())
}

/// Schedules from specs.
pub fn schedules(specs: &[ScheduleSpec]) -> Schedules {
    specs.iter().map(|s| Schedule::new(s).unwrap()).collect()
}

/// An escalation driven command by command, keeping every event.
pub struct Run {
    pub policy: Policy,
    pub schedules: Schedules,
    pub state: State,
    pub events: Vec<Event>,
    /// Contact profiles handed to every call, if any.
    pub contacts: Option<Profiles>,
    /// The task's urgency.
    pub urgency: Urgency,
}

impl Run {
    pub fn new(policy: Policy, schedules: Schedules) -> Self {
        Run {
            policy,
            schedules,
            state: State::new(),
            events: Vec::new(),
            contacts: None,
            urgency: Urgency::High,
        }
    }

    /// The same run with contact profiles.
    pub fn with_contacts(mut self, contacts: Profiles) -> Self {
        self.contacts = Some(contacts);
        self
    }

    /// `command` by `by` at `now`; the events it gave.
    pub fn try_at(
        &mut self,
        now: DateTime<Utc>,
        by: UserId,
        command: Command,
    ) -> Result<Vec<Event>, itsm_oncall::Error> {
        let actor = Actor::new(by, []);
        let mut ctx =
            Context::new(now, &actor, &self.policy, &self.schedules).with_urgency(self.urgency);
        if let Some(c) = &self.contacts {
            ctx = ctx.with_contacts(c);
        }
        let events = itsm_oncall::decide(&self.state, &command, &ctx)?;
        self.state.apply(&events);
        self.events.extend(events.clone());
        Ok(events)
    }

    pub fn at(&mut self, now: DateTime<Utc>, by: UserId, command: Command) -> Vec<Event> {
        self.try_at(now, by, command).unwrap()
    }

    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Event> {
        self.at(now, SYSTEM, Command::Tick)
    }

    /// Every notice so far: (instant, step, reminder, recipients).
    pub fn notices(&self) -> Vec<(DateTime<Utc>, usize, u32, Vec<UserId>)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Notified {
                    at,
                    step,
                    reminder,
                    recipients,
                    ..
                } => Some((*at, *step, *reminder, recipients.clone())),
                _ => None,
            })
            .collect()
    }
}

impl Run {
    /// Every contact sent so far: (instant, user, method).
    pub fn contacted(&self) -> Vec<(DateTime<Utc>, UserId, String)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Contacted {
                    at, user, method, ..
                } => Some((*at, *user, method.clone())),
                _ => None,
            })
            .collect()
    }

    /// Everyone found unreachable so far, with why.
    pub fn unreachable(&self) -> Vec<itsm_oncall::Unreachable> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::ContactsPlanned { unreachable, .. } => Some(unreachable.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

/// An escalation of `policy` over the schedules of `specs`, triggered at `t0` and ticked
/// `minutes` later.
pub fn paged(policy: Policy, specs: &[ScheduleSpec], t0: DateTime<Utc>, minutes: i64) -> Run {
    let mut run = Run::new(policy, schedules(specs));
    run.at(t0, SYSTEM, Command::Trigger);
    run.tick(plus(t0, minutes));
    run
}

/// `minutes` after `t`.
pub fn plus(t: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    t + Duration::minutes(minutes)
}
