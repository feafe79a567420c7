//! Follow-ups: a closed incident is never reopened; a caller who says it is back gets a new
//! incident linked to it, with the policy's fields copied from the closed one.
//!
//! ServiceNow's documented rule ("Reopening an incident"): a closed incident cannot be
//! reopened; a reply asking to reopen it opens a new incident with the fields listed in the
//! `com.snc.incident.clone_fields_on_reopen` property copied from the closed one, the sender
//! as caller, e-mail as channel, in progress. [`follow_up`] plans exactly that as commands
//! for the new incident; [`FollowUp::run`] runs the plan through [`decide`] and [`evolve`].

use crate::command::Command;
use crate::error::Error;
use crate::event::Event;
use crate::machine::{Context, decide, evolve};
use crate::model::{Link, Report, State, StatusKind};

/// A field of a closed incident that its follow-up copies (ServiceNow's
/// `com.snc.incident.clone_fields_on_reopen`, restricted to what an incident here records).
///
/// The caller and the channel are never copied: they are the follow-up's own (whoever asked,
/// and how). The parent link is not copied either: a parent lists its children, so making the
/// follow-up a child is the host's [`Command::Link`] on both records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum FollowUpField {
    /// The category.
    Category,
    /// The configuration item.
    ConfigurationItem,
    /// The service.
    Service,
    /// The impact, as last assessed (after any reprioritization).
    Impact,
    /// The urgency, as last assessed.
    Urgency,
    /// The description: the closed incident's replaces the request's.
    Description,
    /// The assignment group (not the person): the follow-up is assigned to it.
    AssignmentGroup,
    /// The linked problems.
    Problems,
    /// The linked changes.
    Changes,
}

impl FollowUpField {
    /// Every field, in the order a plan applies them.
    pub const ALL: [FollowUpField; 9] = [
        FollowUpField::Category,
        FollowUpField::ConfigurationItem,
        FollowUpField::Service,
        FollowUpField::Impact,
        FollowUpField::Urgency,
        FollowUpField::Description,
        FollowUpField::AssignmentGroup,
        FollowUpField::Problems,
        FollowUpField::Changes,
    ];
}

/// How a closed incident is followed up ([`Policy::follow_up`](crate::Policy::follow_up)).
///
/// ```
/// use itsm_incident::{FollowUpField, FollowUpPolicy};
///
/// let servicenow = FollowUpPolicy::default();
/// assert_eq!(servicenow.copy.len(), FollowUpField::ALL.len());
/// assert!(servicenow.start_work);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct FollowUpPolicy {
    /// The fields copied from the closed incident (default: all of them, as ServiceNow's
    /// default list copies every one of these it has). Empty: a plain new report, linked.
    #[cfg_attr(feature = "serde", serde(default = "all_fields"))]
    pub copy: Vec<FollowUpField>,
    /// Whether the follow-up starts in progress (ServiceNow's: yes), through
    /// [`Command::StartWork`] after the report, the links and the assignment.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub start_work: bool,
}

#[cfg(feature = "serde")]
fn all_fields() -> Vec<FollowUpField> {
    FollowUpField::ALL.to_vec()
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

impl Default for FollowUpPolicy {
    /// ServiceNow's: every field copied, the follow-up started.
    fn default() -> Self {
        FollowUpPolicy {
            copy: FollowUpField::ALL.to_vec(),
            start_work: true,
        }
    }
}

impl FollowUpPolicy {
    /// Whether `field` is copied.
    pub fn copies(&self, field: FollowUpField) -> bool {
        self.copy.contains(&field)
    }
}

/// The plan for a closed incident's follow-up: what [`follow_up`] returns.
///
/// Run [`report`](FollowUp::report) (as [`Command::Report`]) on a new, unreported incident,
/// as the caller who asked, then each of [`then`](FollowUp::then) in order, as the actor
/// the host uses for automation; or let [`FollowUp::run`] do both.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FollowUp {
    /// The new incident's report: the request's, with the policy's fields copied.
    pub report: Report,
    /// The commands after the report: the link to the closed incident
    /// ([`Link::FollowUpOf`]), the copied problem and change links, the copied assignment
    /// group, then [`Command::StartWork`] where the policy says so and the workflow has it.
    pub then: Vec<Command>,
}

/// Plans the follow-up of a closed incident: `request` is the new incident's report as the
/// caller made it (its own id, the caller, the channel, their words), and the policy's
/// [`follow_up`](crate::Policy::follow_up) says which fields the closed incident gives it.
///
/// Nothing is decided here: the plan's commands go through [`decide`] like any other, so
/// the policy's permissions and workflow apply to each. `start_work` is planned only where
/// the workflow has it from the state the plan reaches (iTop's and GLPI's assignment puts
/// the incident in progress already). The workflow's `reopen_closed` is not consulted: where
/// a vendor's workflow reopens closed incidents, the host reopens while it may and plans a
/// follow-up after.
///
/// # Errors
/// - [`Error::FollowUpOfUnreported`] when `original` is unreported;
/// - [`Error::FollowUpOfCanceled`] when it was canceled (nothing was resolved to follow
///   up: report a new incident);
/// - [`Error::FollowUpOfOpen`] when it is not closed (a resolved incident is reopened with
///   [`Command::Reopen`]; an open one needs nothing);
/// - [`Error::FollowUpSameId`] when the request reuses the closed incident's id.
///
/// ```
/// use itsm_incident::chrono::{TimeZone, Utc};
/// use itsm_incident::{
///     Actor, Channel, Command, Context, GroupId, Impact, IncidentId, Link, Policy, Report,
///     Role, State, StatusKind, Urgency, UserId, decide, follow_up,
/// };
///
/// let policy = Policy::servicenow();
/// let agent = Actor::new(UserId::from_u128(2), [Role::new("agent")?]);
/// let caller = Actor::new(UserId::from_u128(9), [Role::new("caller")?]);
/// let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ctx = Context::new(t0, &agent, &policy);
///
/// // An incident, worked and closed.
/// let mut closed = State::new();
/// for command in [
///     Report::new(IncidentId::from_u128(1), UserId::from_u128(9), Impact(1), Urgency(2), "VPN drops")
///         .into(),
///     Command::Assign { group: GroupId::from_u128(7), person: None },
///     Command::StartWork,
///     Command::Resolve { code: "solved".into(), notes: "new profile".into() },
///     Command::Close { resolution: None },
/// ] {
///     let events = decide(&closed, &command, &ctx)?;
///     closed.apply(&events);
/// }
///
/// // A week later the caller writes that it is back.
/// let mut request =
///     Report::new(IncidentId::from_u128(2), UserId::from_u128(9), Impact(3), Urgency(3), "again");
/// request.channel = Channel::Email;
/// let plan = follow_up(&closed, request, &policy)?;
/// let later = t0 + itsm_incident::chrono::Duration::days(7);
/// let (state, _events) = plan.run(
///     &Context::new(later, &caller, &policy),
///     &Context::new(later, &agent, &policy),
/// )?;
/// let new = state.incident().unwrap();
/// assert_eq!(new.links().follow_up_of, Some(IncidentId::from_u128(1)));
/// assert_eq!(new.report().description, "VPN drops"); // copied
/// assert_eq!(new.impact(), Impact(1));
/// assert_eq!(new.assignment().map(|a| a.group), Some(GroupId::from_u128(7)));
/// assert_eq!(state.kind(), StatusKind::InProgress);
/// # Ok::<(), itsm_incident::Error>(())
/// ```
pub fn follow_up(
    original: &State,
    request: Report,
    policy: &crate::Policy,
) -> Result<FollowUp, Error> {
    let Some(closed) = original.incident() else {
        return Err(Error::FollowUpOfUnreported);
    };
    let id = closed.id();
    if closed.status().kind() == StatusKind::Canceled {
        return Err(Error::FollowUpOfCanceled { id });
    }
    if closed.status().kind() != StatusKind::Closed {
        return Err(Error::FollowUpOfOpen {
            id,
            state: closed.state_name().to_owned(),
            kind: closed.status().kind(),
        });
    }
    if request.id == id {
        return Err(Error::FollowUpSameId { id });
    }
    let rules = &policy.follow_up;
    let copied = closed.report();
    let mut report = request;
    let mut then = vec![Command::Link {
        link: Link::FollowUpOf(id),
    }];
    let mut assign = None;
    for field in FollowUpField::ALL {
        if !rules.copies(field) {
            continue;
        }
        match field {
            FollowUpField::Category => report.category.clone_from(&copied.category),
            FollowUpField::ConfigurationItem => {
                report.configuration_item = copied.configuration_item
            }
            FollowUpField::Service => report.service = copied.service,
            FollowUpField::Impact => report.impact = closed.impact(),
            FollowUpField::Urgency => report.urgency = closed.urgency(),
            FollowUpField::Description => report.description.clone_from(&copied.description),
            FollowUpField::AssignmentGroup => {
                assign = closed.assignment().map(|assignment| Command::Assign {
                    group: assignment.group,
                    person: None,
                });
            }
            FollowUpField::Problems => {
                then.extend(closed.links().problems.iter().map(|p| Command::Link {
                    link: Link::Problem(*p),
                }))
            }
            FollowUpField::Changes => {
                then.extend(closed.links().changes.iter().map(|c| Command::Link {
                    link: Link::Change(*c),
                }))
            }
        }
    }
    // The links first, then the assignment (which may move a vendor's workflow on).
    then.extend(assign);
    if rules.start_work {
        // Where the workflow has `start_work` from the state the plan reaches: iTop's and
        // GLPI's assignment already puts the incident in progress, and iTop has no
        // `start_work` at all.
        let workflow = &policy.workflow;
        let mut at = workflow.initial();
        for command in &then {
            at = workflow.target(at, command.name()).unwrap_or(at);
        }
        if workflow.target(at, Command::StartWork.name()).is_some() {
            then.push(Command::StartWork);
        }
    }
    Ok(FollowUp { report, then })
}

impl FollowUp {
    /// Runs the plan on a new incident: the report under `caller` (whoever asked), the rest
    /// under `system` (the host's automation), each through [`decide`] and folded with
    /// [`evolve`]. Returns the follow-up's state and every event, in order, for the host to
    /// store.
    ///
    /// # Errors
    /// The first command [`decide`] refuses, with nothing to store (the events before it
    /// are dropped with the state).
    pub fn run(
        &self,
        caller: &Context<'_>,
        system: &Context<'_>,
    ) -> Result<(State, Vec<Event>), Error> {
        let mut state = State::Unreported;
        let mut events = decide(
            &state,
            &Command::Report(Box::new(self.report.clone())),
            caller,
        )?;
        for event in &events {
            state = evolve(state, event);
        }
        for command in &self.then {
            let more = decide(&state, command, system)?;
            for event in &more {
                state = evolve(state, event);
            }
            events.extend(more);
        }
        Ok((state, events))
    }
}
