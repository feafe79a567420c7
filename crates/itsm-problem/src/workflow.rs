//! The problem lifecycle: ServiceNow's table (the default and the kinds' rules), and a
//! vendor's workflow as data, checked when the policy is loaded.

use std::collections::BTreeMap;
use std::sync::Arc;

use itsm_core::{Lifecycle, LifecycleProblem, StateSpec, TransitionSpec};

use crate::model::ProblemStatus;

use ProblemStatus as P;

/// ServiceNow's problem lifecycle, written once: in status `.0`, command `.1` leads to `.2`
/// (the same status: a command that keeps it). From assessment a problem is confirmed (to
/// root-cause analysis), marked as a duplicate (closed) or canceled; from analysis it gets a
/// fix or its risk is accepted (resolved); a fix resolves it; a resolved problem closes; a
/// failed fix, or a closed, canceled or risk-accepted problem, is re-analysed.
pub const TRANSITIONS: &[(ProblemStatus, &str, ProblemStatus)] = &[
    (P::New, "assess", P::Assess),
    (P::New, "cancel", P::Canceled),
    (P::Assess, "confirm", P::RootCauseAnalysis),
    (P::Assess, "mark_duplicate", P::Closed),
    (P::Assess, "cancel", P::Canceled),
    (P::RootCauseAnalysis, "start_fix", P::FixInProgress),
    (P::RootCauseAnalysis, "accept_risk", P::Resolved),
    (P::RootCauseAnalysis, "cancel", P::Canceled),
    (P::FixInProgress, "resolve", P::Resolved),
    (P::FixInProgress, "accept_risk", P::Resolved),
    (P::FixInProgress, "reanalyse", P::RootCauseAnalysis),
    (P::Resolved, "close", P::Closed),
    (P::Resolved, "reanalyse", P::RootCauseAnalysis),
    (P::Closed, "reanalyse", P::RootCauseAnalysis),
    (P::Canceled, "reanalyse", P::RootCauseAnalysis),
    // Commands that keep the status.
    (P::New, "link", P::New),
    (P::Assess, "link", P::Assess),
    (P::RootCauseAnalysis, "link", P::RootCauseAnalysis),
    (
        P::RootCauseAnalysis,
        "record_root_cause",
        P::RootCauseAnalysis,
    ),
    (P::FixInProgress, "link", P::FixInProgress),
    (P::FixInProgress, "record_root_cause", P::FixInProgress),
    (P::Resolved, "link", P::Resolved),
];

/// The status a built-in command leads to from a status, under [`TRANSITIONS`].
pub(crate) fn kind_rule(from: ProblemStatus, command: &str) -> Option<ProblemStatus> {
    TRANSITIONS
        .iter()
        .find(|(f, c, _)| *f == from && *c == command)
        .map(|(_, _, to)| *to)
}

/// Whether a name is one of the built-in commands of the table.
fn built_in(command: &str) -> bool {
    TRANSITIONS.iter().any(|(_, c, _)| *c == command) || command == "log"
}

/// One state of a workflow: a vendor's name and the status whose rules it follows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WorkflowState {
    /// The vendor's name.
    pub name: String,
    /// Its kind.
    pub kind: ProblemStatus,
}

impl WorkflowState {
    /// A state named `name` of kind `kind`.
    pub fn new(name: &str, kind: ProblemStatus) -> Self {
        WorkflowState {
            name: name.to_owned(),
            kind,
        }
    }
}

/// A workflow as plain data. Absent fields default to ServiceNow's table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct WorkflowSpec {
    /// A name that reports and diagrams quote.
    pub name: String,
    /// The states; the first of kind `new` is where a logged problem starts.
    pub states: Vec<WorkflowState>,
    /// The transitions by state name and command name (a built-in command, or a vendor's
    /// own taken with `Command::Transition`).
    pub transitions: Vec<TransitionSpec>,
}

impl Default for WorkflowSpec {
    /// ServiceNow's states and transitions.
    fn default() -> Self {
        WorkflowSpec {
            name: "servicenow".to_owned(),
            states: ProblemStatus::ALL
                .iter()
                .map(|k| WorkflowState::new(k.name(), *k))
                .collect(),
            transitions: TRANSITIONS
                .iter()
                .map(|(from, cmd, to)| TransitionSpec::new(from.name(), cmd, to.name()))
                .collect(),
        }
    }
}

/// A checked workflow: what the policy holds and `decide` follows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "WorkflowSpec", into = "WorkflowSpec")
)]
pub struct Workflow {
    spec: WorkflowSpec,
    names: Vec<Arc<str>>,
    /// Where each (state, command) leads: the index of the target state (the table's first
    /// transition for the pair; a checked table has one target per pair). A step is a
    /// lookup, not a scan of the table.
    steps: BTreeMap<String, BTreeMap<String, usize>>,
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
    /// Checks a workflow, every problem at once: the graph's ([`Lifecycle::new`]: duplicate
    /// and unknown states, ambiguous commands, unreachable states, dead ends); a state of kind
    /// `new` to start in; `log` is not a transition; a built-in command only where its kind
    /// accepts it and to the kind [`TRANSITIONS`] gives; a vendor's own transition keeps the
    /// kind.
    ///
    /// # Errors
    /// [`itsm_core::Error::InvalidLifecycle`].
    ///
    /// ```
    /// use itsm_problem::{ProblemStatus, TransitionSpec, Workflow, WorkflowSpec, WorkflowState};
    ///
    /// let mut spec = WorkflowSpec::default();
    /// spec.states.push(WorkflowState::new("under_observation", ProblemStatus::Resolved));
    /// spec.transitions.push(TransitionSpec::new("resolved", "observe", "under_observation"));
    /// spec.transitions.push(TransitionSpec::new("under_observation", "close", "closed"));
    /// assert!(Workflow::new(spec).is_ok()); // GLPI's "under observation"
    /// ```
    pub fn new(spec: WorkflowSpec) -> Result<Self, itsm_core::Error> {
        let mut problems = Vec::new();
        // A state's first listing names it (duplicates are the graph check's to report).
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in spec.states.iter().enumerate() {
            index.entry(s.name.as_str()).or_insert(i);
        }
        let kind_of = |name: &str| {
            index
                .get(name)
                .and_then(|i| spec.states.get(*i))
                .map(|s| s.kind)
        };
        let initial = spec.states.iter().position(|s| s.kind == P::New);
        if initial.is_none() {
            problems.push(problem(
                "",
                "",
                "no state has kind `new`; the first one is where problems start".to_owned(),
            ));
        }
        for t in &spec.transitions {
            let (Some(from), Some(to)) = (kind_of(&t.from), kind_of(&t.to)) else {
                continue; // the graph check names unknown states
            };
            let wrong = if t.command == "log" {
                Some("`log` creates problems; it is not a transition".to_owned())
            } else if built_in(&t.command) {
                match kind_rule(from, &t.command) {
                    None => Some(format!(
                        "`{}` cannot run in a state of kind `{from}`",
                        t.command
                    )),
                    Some(natural) if natural != to => Some(format!(
                        "from kind `{from}` it leads to kind `{natural}`, not `{to}`"
                    )),
                    Some(_) => None,
                }
            } else if t.command.is_empty() {
                Some("a transition needs a command name".to_owned())
            } else if from != to {
                Some(format!(
                    "a vendor transition keeps the kind; not from `{from}` to `{to}`"
                ))
            } else {
                None
            };
            if let Some(reason) = wrong {
                problems.push(problem(
                    &t.from,
                    &t.command,
                    format!("`{}` --{}--> `{}`: {reason}", t.from, t.command, t.to),
                ));
            }
        }
        let states = lifecycle_states(&spec.states, initial);
        if let Err(itsm_core::Error::InvalidLifecycle {
            problems: graph, ..
        }) = Lifecycle::new(&spec.name, states, spec.transitions.clone())
        {
            problems.extend(graph);
        }
        if !problems.is_empty() {
            return Err(itsm_core::Error::InvalidLifecycle {
                lifecycle: spec.name.clone(),
                problems,
            });
        }
        let names = spec
            .states
            .iter()
            .map(|s| Arc::from(s.name.as_str()))
            .collect();
        let mut steps = BTreeMap::new();
        for t in &spec.transitions {
            if let Some(&to) = index.get(t.to.as_str()) {
                steps
                    .entry(t.from.clone())
                    .or_insert_with(BTreeMap::new)
                    .entry(t.command.clone())
                    .or_insert(to);
            }
        }
        Ok(Workflow { spec, names, steps })
    }

    /// ServiceNow's problem model ([`TRANSITIONS`]): the default.
    pub fn servicenow() -> Self {
        match Workflow::new(WorkflowSpec::default()) {
            Ok(w) => w,
            Err(e) => unreachable!("the ServiceNow table is sound: {e}"), // invariant: tested constant table
        }
    }

    /// The workflow as data.
    pub fn spec(&self) -> &WorkflowSpec {
        &self.spec
    }

    /// The workflow's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// Where `command` leads from the state named `from`, with the target's shared name and
    /// kind.
    pub(crate) fn step(&self, from: &str, command: &str) -> Option<(&Arc<str>, ProblemStatus)> {
        let &i = self.steps.get(from)?.get(command)?;
        Some((self.names.get(i)?, self.spec.states.get(i)?.kind))
    }

    /// The initial state, with its shared name.
    pub(crate) fn initial(&self) -> Option<&Arc<str>> {
        let i = self.spec.states.iter().position(|s| s.kind == P::New)?;
        self.names.get(i)
    }

    /// Where `command` leads from the state named `from`, if the workflow allows it.
    ///
    /// ```
    /// use itsm_problem::Workflow;
    ///
    /// assert_eq!(Workflow::servicenow().target("assess", "confirm"), Some("root_cause_analysis"));
    /// ```
    pub fn target(&self, from: &str, command: &str) -> Option<&str> {
        self.step(from, command).map(|(name, _)| &**name)
    }

    /// The commands accepted in the state named `from`, in table order.
    pub fn commands_from(&self, from: &str) -> Vec<String> {
        let mut seen = std::collections::BTreeSet::new();
        self.spec
            .transitions
            .iter()
            .filter(|t| t.from == from && seen.insert(t.command.as_str()))
            .map(|t| t.command.clone())
            .collect()
    }

    /// The workflow as a generic lifecycle, for diagrams and conformance checks.
    pub fn lifecycle(&self) -> Lifecycle {
        let initial = self.spec.states.iter().position(|s| s.kind == P::New);
        let states = lifecycle_states(&self.spec.states, initial);
        match Lifecycle::new(&self.spec.name, states, self.spec.transitions.clone()) {
            Ok(lc) => lc,
            Err(e) => unreachable!("a checked workflow is a sound lifecycle: {e}"), // invariant: `new` ran the same checks
        }
    }
}

fn lifecycle_states(states: &[WorkflowState], initial: Option<usize>) -> Vec<StateSpec> {
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
