//! Commands: what someone asks the incident to do. `decide` accepts or rejects them.

use itsm_core::GroupId;
use itsm_core::UserId;
use itsm_core::{Impact, Urgency};

use crate::model::{EscalationKind, HoldReason, Link, Report, Snapshot};
use crate::serde_tagged::tagged_enum;

tagged_enum! {
    #[tagged(tag = "command", rename_all = "snake_case")]
    /// A request to change an incident. The acting user and the time come in the
    /// [`Context`](crate::Context), never in the command.
    // `Serialize` and `Deserialize` come from `tagged_enum!`: objects whose first key is the
    // tag, as `Serialize` writes them, decode without buffering; the tag may come anywhere.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    pub enum Command {
        /// Record a new incident; its priority comes from the policy's matrix.
        Report(Box<Report>),
        /// Bring in an incident from another tool, in whatever state it is.
        Import(Box<Snapshot>),
        /// Assign (or reassign) to a group and optionally a person.
        Assign {
            /// The group.
            group: GroupId,
            /// The person, if any.
            person: Option<UserId>,
        },
        /// Start working on a new incident.
        StartWork,
        /// Put on hold (or change the hold reason).
        PutOnHold {
            /// Why.
            reason: HoldReason,
            /// A comment; required for some reasons (awaiting caller, by default).
            comment: Option<String>,
        },
        /// The caller answered: clears a hold that the caller's response clears; otherwise a
        /// harmless no-op.
        CallerResponded {
            /// What they said, if recorded.
            comment: Option<String>,
        },
        /// Take an incident off hold.
        Resume,
        /// Change impact or urgency; the priority is recomputed.
        Reprioritize {
            /// The new impact.
            impact: Impact,
            /// The new urgency.
            urgency: Urgency,
        },
        /// Escalate to a higher level.
        Escalate {
            /// Functional or hierarchical.
            kind: EscalationKind,
            /// The level to reach (above the current one).
            level: u8,
        },
        /// Declare a major incident.
        DeclareMajor {
            /// Why.
            reason: String,
        },
        /// Stand a major incident down.
        StandDownMajor {
            /// Why.
            reason: String,
        },
        /// Propose the incident as a major-incident candidate (ServiceNow's "Propose Major
        /// Incident"), for a major incident manager to accept or reject.
        ProposeMajor {
            /// Why it should be a major incident (required).
            reason: String,
            /// The business impact, as the proposer sees it (may be empty).
            business_impact: String,
        },
        /// Accept a candidate: it becomes a major incident (ServiceNow's "Promote to Major
        /// Incident" on a candidate). Only a proposed candidate can be accepted; declare an
        /// incident that was not proposed with [`Command::DeclareMajor`].
        AcceptMajor {
            /// Work notes on the decision.
            notes: String,
        },
        /// Reject a candidate (ServiceNow's "Reject Major Incident Candidate"): the incident's
        /// state stays as it is.
        RejectMajor {
            /// Why (required).
            reason: String,
        },
        /// Link to a problem, a change, a parent or a child.
        Link {
            /// The link.
            link: Link,
        },
        /// Resolve, with a code and notes.
        Resolve {
            /// The resolution code.
            code: String,
            /// The resolution notes.
            notes: String,
        },
        /// Reopen a resolved incident (or a closed one, where the policy's workflow allows it).
        Reopen {
            /// Why.
            reason: String,
        },
        /// Close a resolved incident (the caller accepts, or an agent closes it), or, where the
        /// policy's workflow allows closing without a resolve step, an open one.
        Close {
            /// The resolution to close an unresolved incident with (it is resolved and closed
            /// at the same instant); ignored when the incident is resolved already, which keeps
            /// its own. Absent in JSON: `None`.
            #[cfg_attr(feature = "serde", serde(default))]
            resolution: Option<crate::model::Resolution>,
        },
        /// Cancel before resolution.
        Cancel {
            /// Why.
            reason: String,
        },
        /// Return to the queue: clear the assignment (group and person), where the policy's
        /// workflow allows it.
        Unassign,
        /// Take a transition the vendor defined in the policy's workflow, by its name (for
        /// example iTop's `timeout` into `escalated_tto`).
        Transition {
            /// The transition's command name in the workflow.
            name: String,
        },
        /// Let time pass: auto-close when the deadline from [`next_deadline`](crate::next_deadline)
        /// is reached, nothing before.
        Tick,
    }
}

/// The command names, without data: what transition tables, permissions and errors speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum CommandKind {
    /// [`Command::Report`].
    Report,
    /// [`Command::Import`].
    Import,
    /// [`Command::Assign`].
    Assign,
    /// [`Command::StartWork`].
    StartWork,
    /// [`Command::PutOnHold`].
    PutOnHold,
    /// [`Command::CallerResponded`].
    CallerResponded,
    /// [`Command::Resume`].
    Resume,
    /// [`Command::Reprioritize`].
    Reprioritize,
    /// [`Command::Escalate`].
    Escalate,
    /// [`Command::DeclareMajor`].
    DeclareMajor,
    /// [`Command::StandDownMajor`].
    StandDownMajor,
    /// [`Command::ProposeMajor`].
    ProposeMajor,
    /// [`Command::AcceptMajor`].
    AcceptMajor,
    /// [`Command::RejectMajor`].
    RejectMajor,
    /// [`Command::Link`].
    Link,
    /// [`Command::Resolve`].
    Resolve,
    /// [`Command::Reopen`].
    Reopen,
    /// [`Command::Close`].
    Close,
    /// [`Command::Cancel`].
    Cancel,
    /// [`Command::Tick`].
    Tick,
    /// [`Command::Unassign`].
    Unassign,
    /// [`Command::Transition`]: a vendor's transition (its own name is in the command).
    Transition,
}

impl CommandKind {
    /// Every command, in declaration order.
    pub const ALL: [CommandKind; 22] = [
        CommandKind::Report,
        CommandKind::Import,
        CommandKind::Assign,
        CommandKind::StartWork,
        CommandKind::PutOnHold,
        CommandKind::CallerResponded,
        CommandKind::Resume,
        CommandKind::Reprioritize,
        CommandKind::Escalate,
        CommandKind::DeclareMajor,
        CommandKind::StandDownMajor,
        CommandKind::ProposeMajor,
        CommandKind::AcceptMajor,
        CommandKind::RejectMajor,
        CommandKind::Link,
        CommandKind::Resolve,
        CommandKind::Reopen,
        CommandKind::Close,
        CommandKind::Cancel,
        CommandKind::Tick,
        CommandKind::Unassign,
        CommandKind::Transition,
    ];

    /// The command's name, as in permissions, diagrams and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            CommandKind::Report => "report",
            CommandKind::Import => "import",
            CommandKind::Assign => "assign",
            CommandKind::StartWork => "start_work",
            CommandKind::PutOnHold => "put_on_hold",
            CommandKind::CallerResponded => "caller_responded",
            CommandKind::Resume => "resume",
            CommandKind::Reprioritize => "reprioritize",
            CommandKind::Escalate => "escalate",
            CommandKind::DeclareMajor => "declare_major",
            CommandKind::StandDownMajor => "stand_down_major",
            CommandKind::ProposeMajor => "propose_major",
            CommandKind::AcceptMajor => "accept_major",
            CommandKind::RejectMajor => "reject_major",
            CommandKind::Link => "link",
            CommandKind::Resolve => "resolve",
            CommandKind::Reopen => "reopen",
            CommandKind::Close => "close",
            CommandKind::Cancel => "cancel",
            CommandKind::Tick => "tick",
            CommandKind::Unassign => "unassign",
            CommandKind::Transition => "transition",
        }
    }
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for CommandKind {
    type Err = crate::Error;
    /// Parses a command's name as [`CommandKind::name`] writes it (`start_work`).
    fn from_str(name: &str) -> Result<Self, crate::Error> {
        CommandKind::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| crate::Error::UnknownCommand {
                name: name.to_owned(),
            })
    }
}

impl From<crate::model::Report> for Command {
    /// [`Command::Report`], so a host writes `decide(&state, &report.into(), &ctx)`.
    fn from(report: crate::model::Report) -> Self {
        Command::Report(Box::new(report))
    }
}

impl Command {
    /// The command's name without data.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Report(_) => CommandKind::Report,
            Command::Import(_) => CommandKind::Import,
            Command::Assign { .. } => CommandKind::Assign,
            Command::StartWork => CommandKind::StartWork,
            Command::PutOnHold { .. } => CommandKind::PutOnHold,
            Command::CallerResponded { .. } => CommandKind::CallerResponded,
            Command::Resume => CommandKind::Resume,
            Command::Reprioritize { .. } => CommandKind::Reprioritize,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::DeclareMajor { .. } => CommandKind::DeclareMajor,
            Command::StandDownMajor { .. } => CommandKind::StandDownMajor,
            Command::ProposeMajor { .. } => CommandKind::ProposeMajor,
            Command::AcceptMajor { .. } => CommandKind::AcceptMajor,
            Command::RejectMajor { .. } => CommandKind::RejectMajor,
            Command::Link { .. } => CommandKind::Link,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::Close { .. } => CommandKind::Close,
            Command::Cancel { .. } => CommandKind::Cancel,
            Command::Tick => CommandKind::Tick,
            Command::Unassign => CommandKind::Unassign,
            Command::Transition { .. } => CommandKind::Transition,
        }
    }

    /// The command's name in the policy's workflow: [`CommandKind::name`], or for
    /// [`Command::Transition`] the vendor's transition name.
    ///
    /// ```
    /// use itsm_incident::Command;
    ///
    /// assert_eq!(Command::StartWork.name(), "start_work");
    /// assert_eq!(Command::Transition { name: "timeout".into() }.name(), "timeout");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Command::Transition { name } => name,
            other => other.kind().name(),
        }
    }
}
