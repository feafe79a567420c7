//! The workflow: the incident lifecycle a vendor shapes as data (states with their kinds,
//! transitions, and the documented variants as options), checked when the policy is loaded.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use itsm_core::{Lifecycle, LifecycleProblem, StateSpec, TransitionSpec};

use crate::command::CommandKind;
use crate::model::StatusKind;

use CommandKind as C;
use StatusKind as S;

/// The lifecycle, written once: in state `.0`, command `.1` leads to state `.2`. Entries
/// with the same state before and after are commands that keep the state. It is ServiceNow's
/// documented model: the default [`Workflow`] and the rules every workflow's kinds follow.
///
/// Two commands are outside the table: `report` and `import` create the incident (from
/// [`StatusKind::Unreported`]), and `tick` is accepted in every state and only acts when the
/// auto-close deadline has passed (the `resolved --tick--> closed` entry).
pub const TRANSITIONS: &[(StatusKind, CommandKind, StatusKind)] = &[
    (S::New, C::StartWork, S::InProgress),
    (S::New, C::PutOnHold, S::OnHold),
    (S::New, C::Resolve, S::Resolved),
    (S::New, C::Cancel, S::Canceled),
    (S::InProgress, C::PutOnHold, S::OnHold),
    (S::InProgress, C::Resolve, S::Resolved),
    (S::InProgress, C::Cancel, S::Canceled),
    (S::OnHold, C::CallerResponded, S::InProgress),
    (S::OnHold, C::Resume, S::InProgress),
    (S::OnHold, C::Resolve, S::Resolved),
    (S::Resolved, C::Reopen, S::InProgress),
    (S::Resolved, C::Close, S::Closed),
    (S::Resolved, C::Tick, S::Closed),
    // Commands that keep the state.
    (S::New, C::Assign, S::New),
    (S::New, C::CallerResponded, S::New),
    (S::New, C::Reprioritize, S::New),
    (S::New, C::Escalate, S::New),
    (S::New, C::DeclareMajor, S::New),
    (S::New, C::StandDownMajor, S::New),
    (S::New, C::ProposeMajor, S::New),
    (S::New, C::AcceptMajor, S::New),
    (S::New, C::RejectMajor, S::New),
    (S::New, C::Link, S::New),
    (S::InProgress, C::Assign, S::InProgress),
    (S::InProgress, C::CallerResponded, S::InProgress),
    (S::InProgress, C::Reprioritize, S::InProgress),
    (S::InProgress, C::Escalate, S::InProgress),
    (S::InProgress, C::DeclareMajor, S::InProgress),
    (S::InProgress, C::StandDownMajor, S::InProgress),
    (S::InProgress, C::ProposeMajor, S::InProgress),
    (S::InProgress, C::AcceptMajor, S::InProgress),
    (S::InProgress, C::RejectMajor, S::InProgress),
    (S::InProgress, C::Link, S::InProgress),
    (S::OnHold, C::PutOnHold, S::OnHold),
    (S::OnHold, C::Assign, S::OnHold),
    (S::OnHold, C::Reprioritize, S::OnHold),
    (S::OnHold, C::Escalate, S::OnHold),
    (S::OnHold, C::DeclareMajor, S::OnHold),
    (S::OnHold, C::StandDownMajor, S::OnHold),
    (S::OnHold, C::ProposeMajor, S::OnHold),
    (S::OnHold, C::AcceptMajor, S::OnHold),
    (S::OnHold, C::RejectMajor, S::OnHold),
    (S::OnHold, C::Link, S::OnHold),
    (S::Resolved, C::Assign, S::Resolved),
    (S::Resolved, C::StandDownMajor, S::Resolved),
    (S::Resolved, C::RejectMajor, S::Resolved),
    (S::Resolved, C::Link, S::Resolved),
];

/// The kind a built-in command leads to from a state of kind `from`, under the rules of
/// [`TRANSITIONS`] and of the variants a workflow may switch on (reopen from closed, close
/// without resolve, unassign); `None` where the command cannot run in that kind.
pub(crate) fn kind_rule(from: StatusKind, command: CommandKind) -> Option<StatusKind> {
    let open = matches!(from, S::New | S::InProgress | S::OnHold);
    match command {
        C::Reopen if from == S::Closed => Some(S::InProgress),
        C::Close if open => Some(S::Closed),
        C::Unassign if open => Some(from),
        _ => TRANSITIONS
            .iter()
            .find(|(f, c, _)| *f == from && *c == command)
            .map(|(_, _, to)| *to),
    }
}

/// One state of a workflow: a vendor's name and the built-in state whose rules it follows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WorkflowState {
    /// The vendor's name (`assigned`, `pending`, ...).
    pub name: String,
    /// Its kind: SLAs, KPIs and `decide`'s rules see this (never `unreported`).
    pub kind: StatusKind,
}

impl WorkflowState {
    /// A state named `name` of kind `kind`.
    pub fn new(name: &str, kind: StatusKind) -> Self {
        WorkflowState {
            name: name.to_owned(),
            kind,
        }
    }
}

/// Whether a closed incident may be reopened. ServiceNow: never (a reopen by e-mail after
/// closure creates a new incident); some organisations reopen closed incidents days later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ReopenClosed {
    /// Closed is final.
    #[default]
    Never,
    /// Any time after closure.
    Always,
    /// Within this long after closure; in JSON `{"within": "P30D"}` (ISO 8601).
    Within(
        #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "itsm_core::duration::schema")
        )]
        chrono::Duration,
    ),
}

/// Closing an open incident with no resolve step before. ServiceNow: not allowed (`from`
/// empty); some tools close straight from in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CloseUnresolved {
    /// The states (by name) from which `close` is accepted without a resolve step; each must
    /// be of kind new, in progress or on hold.
    pub from: Vec<String>,
    /// Whether such a close needs a resolution code (in the `close` command).
    pub code_required: bool,
}

impl CloseUnresolved {
    /// Closing without a resolve step from the states named in `from`, with or without a
    /// resolution code.
    pub fn new(from: impl IntoIterator<Item = impl Into<String>>, code_required: bool) -> Self {
        CloseUnresolved {
            from: from.into_iter().map(Into::into).collect(),
            code_required,
        }
    }
}

impl Default for CloseUnresolved {
    fn default() -> Self {
        CloseUnresolved {
            from: Vec::new(),
            code_required: true,
        }
    }
}

/// A workflow as plain data: what a policy file holds. [`Workflow::new`] checks it.
///
/// Every field may be left out of JSON: the states and transitions default to ServiceNow's
/// ([`TRANSITIONS`]) and the variants to ServiceNow's behaviour, so a policy that only allows
/// reopening closed incidents says just that.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WorkflowSpec {
    /// A name that reports and diagrams quote (`servicenow`, `itop`, ...).
    pub name: String,
    /// The states, in order. The first state of kind `new` is where a reported incident
    /// starts; states of kind `closed` and `canceled` are terminal.
    pub states: Vec<WorkflowState>,
    /// The transitions by state name and command name: a built-in command (`assign`,
    /// `resolve`, ...) or a vendor's own (taken with [`Command::Transition`](crate::Command)).
    /// A transition to the same state is a command that keeps the state.
    pub transitions: Vec<TransitionSpec>,
    /// Reopening closed incidents (adds `reopen` from every closed state that has none, to
    /// the first in-progress state).
    pub reopen_closed: ReopenClosed,
    /// Closing without a resolve step (adds `close` from the states listed, to the first
    /// closed state).
    pub close_unresolved: CloseUnresolved,
    /// Whether `unassign` (return to queue) is accepted: it adds `unassign`, keeping the
    /// state, to every new, in-progress and on-hold state that has none.
    pub unassign: bool,
}

impl Default for WorkflowSpec {
    /// ServiceNow's states and transitions, no variant switched on.
    fn default() -> Self {
        WorkflowSpec {
            name: "servicenow".to_owned(),
            states: StatusKind::ALL
                .iter()
                .map(|k| WorkflowState::new(k.name(), *k))
                .collect(),
            transitions: TRANSITIONS
                .iter()
                .map(|(from, cmd, to)| TransitionSpec::new(from.name(), cmd.name(), to.name()))
                .collect(),
            reopen_closed: ReopenClosed::Never,
            close_unresolved: CloseUnresolved::default(),
            unassign: false,
        }
    }
}

/// A checked workflow: what [`Policy`](crate::Policy) holds and `decide` follows.
///
/// `decide` looks the current state and the command up in the workflow's table, runs the
/// command's own rules for the state's kind (the same as ServiceNow's), and when the target
/// is a state the command's events do not name (a vendor's state), adds an
/// [`Event::Entered`](crate::Event).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "WorkflowSpec", into = "WorkflowSpec")
)]
pub struct Workflow {
    spec: WorkflowSpec,
    /// Names shared with incidents in a vendor state (one allocation per state).
    names: Vec<Arc<str>>,
    /// The table with the variants' transitions added: (from, command) to target, by index.
    table: BTreeMap<(usize, String), usize>,
    /// Every transition of `table`, in table order, for diagrams.
    effective: Vec<TransitionSpec>,
    initial: usize,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Workflow {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Workflow".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        WorkflowSpec::json_schema(generator)
    }
}

impl TryFrom<WorkflowSpec> for Workflow {
    type Error = itsm_core::Error;

    fn try_from(spec: WorkflowSpec) -> Result<Self, itsm_core::Error> {
        Workflow::new(spec)
    }
}

impl From<Workflow> for WorkflowSpec {
    fn from(workflow: Workflow) -> Self {
        workflow.spec
    }
}

impl Default for Workflow {
    /// [`Workflow::servicenow`].
    fn default() -> Self {
        Workflow::servicenow()
    }
}

fn problem(state: &str, command: &str, reason: String) -> LifecycleProblem {
    LifecycleProblem::Rule {
        state: state.to_owned(),
        command: command.to_owned(),
        reason,
    }
}

impl Workflow {
    /// Checks a workflow and builds its table. Every problem is reported at once:
    /// - the graph's (through [`Lifecycle::new`]'s checks): duplicate or unknown states, a
    ///   command leading out of one state to two states, a state not reachable from the
    ///   initial state, a state from which no closed or canceled state can be reached;
    /// - the kinds': no state of kind `new`, a state of kind `unreported`; a transition with
    ///   `report` or `import` (they create incidents); a built-in command in a state whose
    ///   kind does not accept it, or leading to a kind its rules do not give (it may lead
    ///   instead to a new or in-progress state when it keeps the kind or leads to one of
    ///   these); a vendor command changing the kind other than from new, in progress or on
    ///   hold into new or in progress; `close_unresolved` naming an unknown state or one
    ///   that is not open.
    ///
    /// # Errors
    /// [`itsm_core::Error::InvalidLifecycle`], listing every problem.
    ///
    /// ```
    /// use itsm_incident::{StatusKind, Workflow, WorkflowSpec, WorkflowState};
    /// use itsm_incident::TransitionSpec;
    ///
    /// let mut spec = WorkflowSpec::default();
    /// spec.states.push(WorkflowState::new("limbo", StatusKind::OnHold));
    /// spec.transitions.push(TransitionSpec::new("new", "start_work", "limbo"));
    /// let err = Workflow::new(spec).unwrap_err();
    /// assert!(err.to_string().contains("`new` --start_work--> `limbo`"), "{err}");
    /// assert!(err.to_string().contains("no terminal state can be reached from state `limbo`"));
    /// ```
    pub fn new(spec: WorkflowSpec) -> Result<Self, itsm_core::Error> {
        let mut problems = Vec::new();
        let kind_of: BTreeMap<&str, StatusKind> = spec
            .states
            .iter()
            .rev()
            .map(|s| (s.name.as_str(), s.kind))
            .collect();
        let first_of = |kind: StatusKind| spec.states.iter().position(|s| s.kind == kind);
        for s in &spec.states {
            if s.kind == S::Unreported {
                problems.push(problem(
                    &s.name,
                    "",
                    format!(
                        "state `{}` has kind `unreported`; a workflow state is new, in_progress, on_hold, resolved, closed or canceled",
                        s.name
                    ),
                ));
            }
        }
        let initial = first_of(S::New);
        if initial.is_none() {
            problems.push(problem(
                "",
                "",
                "no state has kind `new`; the first one is where incidents start".to_owned(),
            ));
        }

        // The variants' transitions, added where the table has none for that command.
        let mut transitions = spec.transitions.clone();
        // The (state, command) pairs the table has, so that each variant's check is a lookup
        // (a scan of the table per state made large tables quadratic).
        let mut listed: BTreeSet<(String, String)> = transitions
            .iter()
            .map(|t| (t.from.clone(), t.command.clone()))
            .collect();
        let mut add = |ts: &mut Vec<TransitionSpec>, from: &str, command: &str, to: &str| {
            if listed.insert((from.to_owned(), command.to_owned())) {
                ts.push(TransitionSpec::new(from, command, to));
            }
        };
        let name_of = |i: Option<usize>| i.and_then(|i| spec.states.get(i)).map(|s| s.name.clone());
        if spec.reopen_closed != ReopenClosed::Never {
            if let Some(to) = name_of(first_of(S::InProgress)) {
                for s in spec.states.iter().filter(|s| s.kind == S::Closed) {
                    add(&mut transitions, &s.name, "reopen", &to);
                }
            }
        }
        for from in &spec.close_unresolved.from {
            match kind_of.get(from.as_str()) {
                None => problems.push(problem(
                    from,
                    "close",
                    format!("close_unresolved names unknown state `{from}`"),
                )),
                Some(S::New | S::InProgress | S::OnHold) => {
                    if let Some(to) = name_of(first_of(S::Closed)) {
                        add(&mut transitions, from, "close", &to);
                    }
                }
                Some(kind) => problems.push(problem(
                    from,
                    "close",
                    format!(
                        "close_unresolved names `{from}` of kind `{kind}`; only new, in_progress and on_hold states can be closed without a resolve step"
                    ),
                )),
            }
        }
        if spec.unassign {
            for s in &spec.states {
                if matches!(s.kind, S::New | S::InProgress | S::OnHold) {
                    add(&mut transitions, &s.name, "unassign", &s.name);
                }
            }
        }

        for t in &transitions {
            let (Some(&from), Some(&to)) =
                (kind_of.get(t.from.as_str()), kind_of.get(t.to.as_str()))
            else {
                continue; // unknown states: the graph check names them
            };
            if let Some(reason) = kind_problem(&t.from, from, &t.command, to, &spec) {
                problems.push(problem(
                    &t.from,
                    &t.command,
                    format!("`{}` --{}--> `{}`: {reason}", t.from, t.command, t.to),
                ));
            }
        }

        let lifecycle_states = states_for_lifecycle(&spec.states, initial);
        if let Err(itsm_core::Error::InvalidLifecycle {
            problems: graph, ..
        }) = Lifecycle::new(&spec.name, lifecycle_states, transitions.clone())
        {
            // The kinds always give initial and terminal flags; report only what the table
            // itself gets wrong.
            problems.extend(graph.into_iter().filter(|p| {
                !matches!(
                    p,
                    LifecycleProblem::NoInitialState | LifecycleProblem::NoTerminalState
                ) || initial.is_some()
            }));
        }
        let Some(initial) = initial.filter(|_| problems.is_empty()) else {
            return Err(itsm_core::Error::InvalidLifecycle {
                lifecycle: spec.name.clone(),
                problems,
            });
        };
        let index: BTreeMap<&str, usize> = spec
            .states
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut table = BTreeMap::new();
        for t in &transitions {
            if let (Some(&a), Some(&b)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) {
                table.insert((a, t.command.clone()), b);
            }
        }
        let names = spec
            .states
            .iter()
            .map(|s| Arc::from(s.name.as_str()))
            .collect();
        Ok(Workflow {
            spec,
            names,
            table,
            effective: transitions,
            initial,
        })
    }

    /// ServiceNow's documented model ([`TRANSITIONS`]): the default.
    pub fn servicenow() -> Self {
        match Workflow::new(WorkflowSpec::default()) {
            Ok(w) => w,
            Err(e) => unreachable!("the ServiceNow table is sound: {e}"), // invariant: tested constant table
        }
    }

    /// iTop's incident lifecycle, as its data model (`itop-incident-mgmt-itil`) defines it:
    /// new, escalated_tto, assigned, escalated_ttr, pending, resolved, closed. `assign`
    /// moves a new or pending incident to assigned (iTop's `ev_assign`), `assign` in
    /// assigned reassigns (`ev_reassign`); `put_on_hold` is `ev_pending`; `timeout` (a
    /// vendor transition, sent when the response or resolution clock passes 100%) moves to
    /// the escalated states; `resolve`, `close` and `reopen` (to assigned) as in iTop.
    /// iTop's incidents cannot be canceled. Auto-resolution (`ev_autoresolve`) is `resolve`
    /// by the system actor, from every open state.
    pub fn itop() -> Self {
        let states = vec![
            WorkflowState::new("new", S::New),
            WorkflowState::new("escalated_tto", S::New),
            WorkflowState::new("assigned", S::InProgress),
            WorkflowState::new("escalated_ttr", S::InProgress),
            WorkflowState::new("pending", S::OnHold),
            WorkflowState::new("resolved", S::Resolved),
            WorkflowState::new("closed", S::Closed),
        ];
        let mut t = Vec::new();
        let mut add = |from: &str, cmd: &str, to: &str| t.push(TransitionSpec::new(from, cmd, to));
        add("new", "assign", "assigned");
        add("new", "timeout", "escalated_tto");
        add("new", "resolve", "resolved");
        add("escalated_tto", "assign", "assigned");
        add("escalated_tto", "resolve", "resolved");
        add("assigned", "put_on_hold", "pending");
        add("assigned", "resolve", "resolved");
        add("assigned", "assign", "assigned");
        add("assigned", "timeout", "escalated_ttr");
        add("escalated_ttr", "put_on_hold", "pending");
        add("escalated_ttr", "resolve", "resolved");
        add("escalated_ttr", "assign", "assigned");
        add("pending", "assign", "assigned");
        add("pending", "resolve", "resolved");
        add("resolved", "close", "closed");
        add("resolved", "tick", "closed");
        add("resolved", "reopen", "assigned");
        // What iTop lets an agent edit in every open state (fields, not transitions).
        for state in [
            "new",
            "escalated_tto",
            "assigned",
            "escalated_ttr",
            "pending",
        ] {
            for cmd in [
                "reprioritize",
                "escalate",
                "link",
                "declare_major",
                "stand_down_major",
            ] {
                add(state, cmd, state);
            }
        }
        for cmd in ["link", "stand_down_major"] {
            add("resolved", cmd, "resolved");
        }
        Workflow::preset("itop", states, t)
    }

    /// GLPI's ticket lifecycle: New, Processing (assigned), Processing (planned), Pending,
    /// Solved, Closed. Assigning a technician moves a new ticket to assigned; planning a task
    /// (`plan`, a vendor transition) moves it to planned and `unplan` back; pending and back;
    /// the requester approves the solution (`close`) or refuses it (`reopen`, back to
    /// assigned); solved tickets close after a delay (`tick`). Removing the technician
    /// (`unassign`) is accepted and keeps the status, as GLPI keeps it. GLPI's per-profile
    /// matrix of allowed status changes is the policy's permissions.
    pub fn glpi() -> Self {
        let states = vec![
            WorkflowState::new("new", S::New),
            WorkflowState::new("assigned", S::InProgress),
            WorkflowState::new("planned", S::InProgress),
            WorkflowState::new("pending", S::OnHold),
            WorkflowState::new("solved", S::Resolved),
            WorkflowState::new("closed", S::Closed),
        ];
        let mut t = Vec::new();
        let mut add = |from: &str, cmd: &str, to: &str| t.push(TransitionSpec::new(from, cmd, to));
        add("new", "assign", "assigned");
        add("new", "start_work", "assigned");
        add("new", "put_on_hold", "pending");
        add("new", "resolve", "solved");
        add("assigned", "plan", "planned");
        add("assigned", "assign", "assigned");
        add("assigned", "put_on_hold", "pending");
        add("assigned", "resolve", "solved");
        add("planned", "unplan", "assigned");
        add("planned", "assign", "planned");
        add("planned", "put_on_hold", "pending");
        add("planned", "resolve", "solved");
        add("pending", "resume", "assigned");
        add("pending", "assign", "pending");
        add("pending", "resolve", "solved");
        add("solved", "close", "closed");
        add("solved", "tick", "closed");
        add("solved", "reopen", "assigned");
        for state in ["new", "assigned", "planned", "pending"] {
            for cmd in [
                "reprioritize",
                "escalate",
                "link",
                "declare_major",
                "stand_down_major",
            ] {
                add(state, cmd, state);
            }
        }
        for cmd in ["link", "stand_down_major"] {
            add("solved", cmd, "solved");
        }
        let spec = WorkflowSpec {
            name: "glpi".to_owned(),
            states,
            transitions: t,
            unassign: true,
            ..WorkflowSpec::default()
        };
        match Workflow::new(spec) {
            Ok(w) => w,
            Err(e) => unreachable!("the GLPI table is sound: {e}"), // invariant: tested constant table
        }
    }

    fn preset(name: &str, states: Vec<WorkflowState>, transitions: Vec<TransitionSpec>) -> Self {
        let spec = WorkflowSpec {
            name: name.to_owned(),
            states,
            transitions,
            ..WorkflowSpec::default()
        };
        match Workflow::new(spec) {
            Ok(w) => w,
            Err(e) => unreachable!("the preset tables are sound: {e}"), // invariant: tested constant tables
        }
    }

    /// The workflow as data, as it was given.
    pub fn spec(&self) -> &WorkflowSpec {
        &self.spec
    }

    /// The workflow's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The state where a reported incident starts: the first state of kind `new`.
    pub fn initial(&self) -> &str {
        self.names.get(self.initial).map_or("new", |n| n)
    }

    /// The kind of the state named `name`, if the workflow has it.
    pub fn kind_of(&self, name: &str) -> Option<StatusKind> {
        self.spec
            .states
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.kind)
    }

    /// Where `command` (a built-in command's or a vendor transition's name) leads from the
    /// state named `from`, if the workflow allows it there.
    ///
    /// ```
    /// use itsm_incident::Workflow;
    ///
    /// let itop = Workflow::itop();
    /// assert_eq!(itop.target("new", "assign"), Some("assigned"));
    /// assert_eq!(itop.target("new", "cancel"), None); // iTop cannot cancel incidents
    /// ```
    pub fn target(&self, from: &str, command: &str) -> Option<&str> {
        let from = self.position(from)?;
        self.table
            .get(&(from, command.to_owned()))
            .and_then(|&to| self.names.get(to))
            .map(|n| &**n)
    }

    /// The target's shared name and kind, for `decide`.
    pub(crate) fn step(&self, from: &str, command: &str) -> Option<(&Arc<str>, StatusKind)> {
        let from = self.position(from)?;
        let to = *self.table.get(&(from, command.to_owned()))?;
        Some((self.names.get(to)?, self.spec.states.get(to)?.kind))
    }

    /// The first state of a kind, with its shared name (where `import` puts an incident).
    pub(crate) fn first_of(&self, kind: StatusKind) -> Option<(&Arc<str>, StatusKind)> {
        let i = self.spec.states.iter().position(|s| s.kind == kind)?;
        Some((self.names.get(i)?, kind))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.spec.states.iter().position(|s| s.name == name)
    }

    /// The commands accepted in the state named `from`, by name: the built-in ones in
    /// [`CommandKind::ALL`] order (`tick` included: it is accepted everywhere), then the
    /// vendor's own in table order.
    ///
    /// ```
    /// use itsm_incident::Workflow;
    ///
    /// assert_eq!(
    ///     Workflow::itop().commands_from("new"),
    ///     ["assign", "reprioritize", "escalate", "declare_major", "stand_down_major", "link",
    ///      "resolve", "tick", "timeout"]
    /// );
    /// ```
    pub fn commands_from(&self, from: &str) -> Vec<String> {
        let here: Vec<&str> = self
            .effective
            .iter()
            .filter(|t| t.from == from)
            .map(|t| t.command.as_str())
            .collect();
        let mut out: Vec<String> = CommandKind::ALL
            .iter()
            .filter(|k| **k == C::Tick || here.contains(&k.name()))
            .map(|k| k.name().to_owned())
            .collect();
        for name in here {
            if name.parse::<CommandKind>().is_err() && !out.iter().any(|o| o == name) {
                out.push(name.to_owned());
            }
        }
        out
    }

    /// The workflow as a generic lifecycle, for [`Lifecycle::to_mermaid`] diagrams and
    /// [`Lifecycle::conformance`] checks of real logs; it includes the variants' transitions.
    ///
    /// ```
    /// use itsm_incident::Workflow;
    ///
    /// let diagram = Workflow::itop().lifecycle().to_mermaid();
    /// assert!(diagram.contains("resolved --> assigned : reopen"));
    /// ```
    pub fn lifecycle(&self) -> Lifecycle {
        let states = states_for_lifecycle(&self.spec.states, Some(self.initial));
        match Lifecycle::new(&self.spec.name, states, self.effective.clone()) {
            Ok(lc) => lc,
            Err(e) => unreachable!("a checked workflow is a sound lifecycle: {e}"), // invariant: `new` ran the same checks
        }
    }
}

fn states_for_lifecycle(states: &[WorkflowState], initial: Option<usize>) -> Vec<StateSpec> {
    states
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let spec = if Some(i) == initial {
                StateSpec::initial(&s.name, s.kind.category())
            } else {
                StateSpec::new(&s.name, s.kind.category())
            };
            if s.kind.is_terminal() {
                spec.terminal()
            } else {
                spec
            }
        })
        .collect()
}

/// Why a transition breaks the kinds' rules, if it does.
fn kind_problem(
    from_name: &str,
    from: StatusKind,
    command: &str,
    to: StatusKind,
    spec: &WorkflowSpec,
) -> Option<String> {
    let redirectable = |natural: StatusKind| {
        matches!(from, S::New | S::InProgress | S::OnHold)
            && matches!(to, S::New | S::InProgress)
            && (natural == from || matches!(natural, S::New | S::InProgress))
    };
    match command.parse::<CommandKind>() {
        Ok(C::Report | C::Import) => Some(
            "`report` and `import` create incidents; they are not transitions".to_owned(),
        ),
        Ok(C::Transition) => Some(
            "`transition` is how a vendor transition is sent; name the transition instead"
                .to_owned(),
        ),
        Ok(C::Close)
            if matches!(from, S::New | S::InProgress | S::OnHold)
                && !spec.close_unresolved.from.iter().any(|f| f == from_name) =>
        {
            Some(
                "closing an open incident needs `close_unresolved` to list the state".to_owned(),
            )
        }
        Ok(C::Reopen) if from == S::Closed && spec.reopen_closed == ReopenClosed::Never => Some(
            "reopening a closed incident needs `reopen_closed` (ServiceNow: closed is final)"
                .to_owned(),
        ),
        Ok(C::Unassign) if !spec.unassign => {
            Some("`unassign` needs the workflow's `unassign` option".to_owned())
        }
        Ok(kind) => match kind_rule(from, kind) {
            None => Some(format!(
                "`{}` cannot run in a state of kind `{from}`",
                kind.name()
            )),
            Some(natural) if natural == to || redirectable(natural) => None,
            Some(natural) => Some(format!(
                "from kind `{from}` it leads to kind `{natural}`, not `{to}` (it may instead lead to a new or in-progress state when it keeps the kind or leads to one of these)"
            )),
        },
        Err(_) if command.is_empty() => Some("a transition needs a command name".to_owned()),
        // A vendor's own transition.
        Err(_) => (to != from && !redirectable(from)).then(|| {
            format!(
                "a vendor transition keeps the kind, or leads from new, in progress or on hold to new or in progress; not from `{from}` to `{to}`"
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules a vendor's transition is checked against at load, where they differ from
    /// [`TRANSITIONS`]: reopen runs from closed too (as from resolved), close and unassign
    /// from the open kinds only (mutants: each guard made `true`).
    #[test]
    fn reopen_close_and_unassign_run_from_the_kinds_they_name_only() {
        assert_eq!(kind_rule(S::Closed, C::Reopen), Some(S::InProgress));
        assert_eq!(kind_rule(S::Resolved, C::Reopen), Some(S::InProgress));
        assert_eq!(kind_rule(S::OnHold, C::Reopen), None);
        assert_eq!(kind_rule(S::OnHold, C::Close), Some(S::Closed));
        assert_eq!(kind_rule(S::Closed, C::Close), None);
        assert_eq!(kind_rule(S::Canceled, C::Close), None);
        assert_eq!(kind_rule(S::OnHold, C::Unassign), Some(S::OnHold));
        assert_eq!(kind_rule(S::Resolved, C::Unassign), None);
    }

    /// What `Workflow::new` says of a transition the kinds' rules refuse, and accepts
    /// (mutants: the guards on `unassign` and on an empty command made `false`, the vendor
    /// rule's `&&` made `||`).
    #[test]
    fn transitions_are_checked_against_the_options_and_the_kinds() {
        let with = |t: TransitionSpec, unassign: bool| {
            let mut spec = WorkflowSpec {
                unassign,
                ..WorkflowSpec::default()
            };
            spec.transitions.push(t);
            Workflow::new(spec).map_err(|e| e.to_string())
        };
        let unassign = || TransitionSpec::new("in_progress", "unassign", "in_progress");
        let err = with(unassign(), false).unwrap_err();
        assert!(
            err.contains("`unassign` needs the workflow's `unassign` option"),
            "{err}"
        );
        assert!(with(unassign(), true).is_ok());
        let err = with(TransitionSpec::new("in_progress", "", "in_progress"), false).unwrap_err();
        assert!(err.contains("a transition needs a command name"), "{err}");
        // A vendor command that keeps the kind runs from any state, resolved included.
        let note = with(
            TransitionSpec::new("resolved", "annotate", "resolved"),
            false,
        );
        assert!(note.is_ok(), "{note:?}");
        assert!(
            note.unwrap()
                .commands_from("resolved")
                .contains(&"annotate".to_owned())
        );
        let err = with(TransitionSpec::new("resolved", "annotate", "closed"), false).unwrap_err();
        assert!(err.contains("a vendor transition keeps the kind"), "{err}");
    }

    /// A vendor transition given twice is one command (mutant: `commands_from`'s "not
    /// listed yet" `&&` made `||`, which lists it twice).
    #[test]
    fn a_vendor_command_given_twice_is_listed_once() {
        let mut spec = WorkflowSpec::default();
        for _ in 0..2 {
            let note = TransitionSpec::new("resolved", "annotate", "resolved");
            spec.transitions.push(note);
        }
        let commands = Workflow::new(spec).unwrap().commands_from("resolved");
        assert_eq!(commands.iter().filter(|c| *c == "annotate").count(), 1);
    }

    /// Each preset names itself, and its spec round-trips (mutants: `From<Workflow>`
    /// returning a default spec, GLPI's name left out).
    #[test]
    fn presets_name_themselves_and_their_specs_round_trip() {
        for (workflow, name) in [
            (Workflow::servicenow(), "servicenow"),
            (Workflow::itop(), "itop"),
            (Workflow::glpi(), "glpi"),
        ] {
            assert_eq!(workflow.name(), name);
            let spec = WorkflowSpec::from(workflow.clone());
            assert_eq!(&spec, workflow.spec());
            assert_eq!(Workflow::new(spec), Ok(workflow));
        }
    }
}
