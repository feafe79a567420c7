//! A board driven by minutes after a fixed start, for the tests.
#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_alert::{
    Actor, Alert, AlertId, Command, Context, Error, Event, Policy, Role, Severity, Signal, State,
    UserId, decide,
};

pub fn t(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::minutes(minutes)
}

pub struct Board {
    pub state: State,
    pub policy: Policy,
    pub system: Actor,
    pub operator: Actor,
    next_id: u128,
}

impl Board {
    pub fn new(policy: Policy) -> Self {
        let roles = ["evt_mgmt_operator", "user"].map(|r| Role::new(r).unwrap());
        Board {
            state: State::new(),
            policy,
            system: Actor::new(UserId::from_u128(0), []),
            operator: Actor::new(UserId::from_u128(7), roles),
            next_id: 1,
        }
    }

    /// Runs a command at `minutes` as `actor`, folding the events in.
    pub fn run_as(
        &mut self,
        minutes: i64,
        command: Command,
        operator: bool,
    ) -> Result<Vec<Event>, Error> {
        let actor = if operator {
            &self.operator
        } else {
            &self.system
        };
        let ctx = Context::new(t(minutes), actor, &self.policy);
        let events = decide(&self.state, &command, &ctx)?;
        self.state.apply(&events);
        Ok(events)
    }

    /// A signal at `minutes`; a new alert would get the next id.
    pub fn signal(&mut self, minutes: i64, signal: Signal) -> Vec<Event> {
        let id = AlertId::from_u128(self.next_id);
        self.next_id += 1;
        self.run_as(minutes, Command::ingest(signal, id), false)
            .unwrap_or_else(|e| panic!("signal at {minutes} refused: {e}"))
    }

    pub fn tick(&mut self, minutes: i64) -> Vec<Event> {
        self.run_as(minutes, Command::Tick, false).unwrap()
    }

    pub fn only(&self) -> &Alert {
        let all: Vec<&Alert> = self.state.alerts().collect();
        assert_eq!(all.len(), 1, "{all:?}");
        all[0]
    }
}

/// A disk check on `node` at `severity`.
pub fn disk(node: &str, severity: Severity) -> Signal {
    Signal::new("nagios", node, severity)
        .with_kind("Disk")
        .with_resource("/var")
}

/// The names of the events, in order.
pub fn names(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| match e {
            Event::Opened { .. } => "opened",
            Event::Updated { .. } => "updated",
            Event::Repeated { .. } => "repeated",
            Event::Reopened { .. } => "reopened",
            Event::Closed { .. } => "closed",
            Event::FlappingStarted { .. } => "flapping_started",
            Event::FlappingEnded { .. } => "flapping_ended",
            Event::Acknowledged { .. } => "acknowledged",
            Event::AcknowledgementUndone { .. } => "acknowledgement_undone",
            Event::IncidentRequested { .. } => "incident_requested",
            Event::Ignored { .. } => "ignored",
        })
        .collect()
}
