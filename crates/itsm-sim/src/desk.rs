//! The full path: every ticket through itsm-incident's `decide`/`evolve` and itsm-sla's
//! clocks, as a host would drive them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use itsm_core::{Actor, GroupId, Impact, Role, Urgency, UserId};
use itsm_incident::{Command, IncidentId, Report, State};
use itsm_sla::{Calendars, Clocks, Input, Stage, Target, TicketView};

use crate::error::Error;
use crate::model::Model;
use crate::observer::Observer;
use crate::report::Attainment;
use crate::time::instant;

/// One open ticket's state machines.
struct Ticket {
    class: usize,
    counted: bool,
    incident: State,
    clocks: Clocks,
}

/// The observer that drives the real crates.
pub(crate) struct Desk<'m> {
    model: &'m Model,
    agent: Actor,
    calendars: Calendars,
    open: BTreeMap<u64, Ticket>,
    tally: Vec<(Attainment, Attainment)>,
}

impl<'m> Desk<'m> {
    pub(crate) fn new(model: &'m Model) -> Result<Self, Error> {
        let role = Role::new("agent").map_err(|e| Error::Machine {
            ticket: 0,
            machine: "incident",
            reason: e.to_string(),
        })?;
        Ok(Desk {
            model,
            agent: Actor::new(UserId::from_u128(1), [role]),
            calendars: model.calendars(),
            open: BTreeMap::new(),
            tally: vec![(Attainment::default(), Attainment::default()); model.classes.len()],
        })
    }

    fn at(&self, t: f64) -> Result<DateTime<Utc>, Error> {
        instant(self.model.config().start, t).ok_or(Error::DateOverflow)
    }

    /// The assignment to group `group` with agent `agent` as the person (a member of the
    /// group, or of a group that helps it).
    fn assign_to(&self, agent: u32, group: u32) -> Command {
        Command::Assign {
            group: group_id(group),
            person: Some(UserId::from_u128(u128::from(agent) + 1_000)),
        }
    }

    /// Runs `commands` on the ticket's incident, then shows the SLA clocks its new view.
    fn step(&mut self, ticket: u64, commands: &[Command], t: f64) -> Result<(), Error> {
        let now = self.at(t)?;
        let Some(open) = self.open.get_mut(&ticket) else {
            return Ok(());
        };
        let incident_error = |e: itsm_incident::Error| Error::Machine {
            ticket,
            machine: "incident",
            reason: e.to_string(),
        };
        let ctx = itsm_incident::Context::new(now, &self.agent, &self.model.policy);
        for command in commands {
            let events =
                itsm_incident::decide(&open.incident, command, &ctx).map_err(incident_error)?;
            open.incident.apply(&events);
        }
        let kind = open.incident.kind();
        let mut view = TicketView::new(kind.name(), kind.category());
        view.priority = open.incident.incident().map(|i| i.priority().0);
        let ctx = itsm_sla::Context::new(now, &self.model.definitions, &self.calendars);
        let events = itsm_sla::decide(&open.clocks, &Input::Update(view), &ctx).map_err(|e| {
            Error::Machine {
                ticket,
                machine: "sla",
                reason: e.to_string(),
            }
        })?;
        open.clocks.apply(&events);
        Ok(())
    }
}

/// The group id of group `pool` (the desk: 1).
fn group_id(pool: u32) -> GroupId {
    GroupId::from_u128(u128::from(pool) + 1)
}

/// Impact and urgency giving `priority` on ServiceNow's matrix (impact + urgency - 1).
fn impact_urgency(priority: u8) -> (Impact, Urgency) {
    let impact = priority.clamp(1, 3);
    (
        Impact(impact),
        Urgency((priority + 1).saturating_sub(impact).clamp(1, 3)),
    )
}

/// Adds a ticket's clocks to its class's attainment: completed clocks by their breach
/// flag, running ones only when already breached.
fn count(tally: &mut (Attainment, Attainment), clocks: &Clocks) {
    for clock in clocks.clocks() {
        let target = match clock.kind() {
            Target::Response => &mut tally.0,
            Target::Resolution => &mut tally.1,
            Target::Custom(_) => continue,
        };
        match (clock.stage(), clock.is_breached()) {
            (Stage::Completed, false) => target.met += 1,
            (Stage::Completed, true) | (_, true) => target.breached += 1,
            _ => {}
        }
    }
}

impl Observer for Desk<'_> {
    fn arrived(&mut self, ticket: u64, class: usize, counted: bool, t: f64) -> Result<(), Error> {
        let priority = self.model.classes.get(class).map_or(3, |c| c.priority);
        let (impact, urgency) = impact_urgency(priority);
        self.open.insert(
            ticket,
            Ticket {
                class,
                counted,
                incident: State::new(),
                clocks: Clocks::new(),
            },
        );
        let report = Report::new(
            IncidentId::from_u128(u128::from(ticket) + 1),
            UserId::from_u128(u128::from(ticket) + 1_000_000_000),
            impact,
            urgency,
            "simulated",
        );
        self.step(ticket, &[report.into()], t)
    }

    fn started(
        &mut self,
        ticket: u64,
        _: usize,
        agent: u32,
        group: u32,
        t: f64,
    ) -> Result<(), Error> {
        // The ticket's group, with the agent (who may be a member of another group that
        // helps this one).
        let assign = self.assign_to(agent, group);
        self.step(ticket, &[assign, Command::StartWork], t)
    }

    fn resumed(
        &mut self,
        ticket: u64,
        _: usize,
        agent: u32,
        group: u32,
        t: f64,
    ) -> Result<(), Error> {
        // Still in progress: only the person changes (the same group, so no reassignment
        // is counted).
        let assign = self.assign_to(agent, group);
        self.step(ticket, &[assign], t)
    }

    fn held(&mut self, ticket: u64, _: usize, t: f64) -> Result<(), Error> {
        let hold = Command::PutOnHold {
            reason: itsm_incident::HoldReason::AwaitingCaller,
            comment: Some("waiting for the caller's answer".into()),
        };
        self.step(ticket, &[hold], t)
    }

    fn released(&mut self, ticket: u64, _: usize, t: f64) -> Result<(), Error> {
        // ServiceNow's policy: the caller's answer clears an awaiting-caller hold.
        let answer = Command::CallerResponded {
            comment: Some("answered".into()),
        };
        self.step(ticket, &[answer], t)
    }

    fn finished(&mut self, ticket: u64, _: usize, t: f64, reopens: bool) -> Result<(), Error> {
        let resolve = Command::Resolve {
            code: "solved".into(),
            notes: "simulated".into(),
        };
        self.step(ticket, &[resolve], t)?;
        // A ticket to be reopened keeps its state machines: it is counted at its final
        // resolution, or at the horizon if still open then.
        if reopens {
            return Ok(());
        }
        if let Some(done) = self.open.remove(&ticket) {
            if let (true, Some(tally)) = (done.counted, self.tally.get_mut(done.class)) {
                count(tally, &done.clocks);
            }
        }
        Ok(())
    }

    fn reopened(&mut self, ticket: u64, _: usize, t: f64) -> Result<(), Error> {
        // The caller reopens it; the next agent to take it assigns it to themselves.
        let reopen = Command::Reopen {
            reason: "the caller reports the fault again".into(),
        };
        self.step(ticket, &[reopen], t)
    }

    fn reassigned(&mut self, ticket: u64, _: usize, to: u32, t: f64) -> Result<(), Error> {
        // To the other group, nobody in it yet: the incident counts a reassignment (a new
        // group), and whoever takes it there assigns it to themselves.
        let assign = Command::Assign {
            group: group_id(to),
            person: None,
        };
        self.step(ticket, &[assign], t)
    }

    fn end(&mut self, t: f64) -> Result<Option<Vec<(Attainment, Attainment)>>, Error> {
        let now = self.at(t)?;
        let ctx = itsm_sla::Context::new(now, &self.model.definitions, &self.calendars);
        for (ticket, open) in &mut self.open {
            if !open.counted {
                continue;
            }
            // A tick at the horizon fires the breaches due by then.
            let events =
                itsm_sla::decide(&open.clocks, &Input::Tick, &ctx).map_err(|e| Error::Machine {
                    ticket: *ticket,
                    machine: "sla",
                    reason: e.to_string(),
                })?;
            open.clocks.apply(&events);
            if let Some(tally) = self.tally.get_mut(open.class) {
                count(tally, &open.clocks);
            }
        }
        Ok(Some(std::mem::take(&mut self.tally)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impact_and_urgency_give_each_priority_on_servicenow_matrix() {
        let matrix = itsm_core::PriorityMatrix::servicenow();
        for p in 1..=5u8 {
            let (i, u) = impact_urgency(p);
            assert_eq!(matrix.priority(i, u).map(|x| x.0), Ok(p), "priority {p}");
        }
    }
}
