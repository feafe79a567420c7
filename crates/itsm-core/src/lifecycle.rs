//! A lifecycle described as data: states, transitions, the command behind each, terminal
//! states. Each practice crate writes its transition table once and derives from it its
//! `decide` guard, its documentation diagram ([`Lifecycle::to_mermaid`]) and conformance
//! checks of real logs ([`Lifecycle::conformance`]). [`explore`] walks a state machine
//! exhaustively to a bounded depth, for tests.
//!
//! ```
//! use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
//!
//! let lc = Lifecycle::new(
//!     "door",
//!     vec![
//!         StateSpec::initial("open", Category::Open),
//!         StateSpec::new("closed", Category::Closed).terminal(),
//!     ],
//!     vec![TransitionSpec::new("open", "close", "closed")],
//! )?;
//! let report = lc.conformance(["open", "open", "closed", "open"]);
//! assert_eq!((report.accepted, report.rejected), (1, 1));
//! assert!(lc.to_mermaid().contains("open --> closed : close"));
//! # Ok::<(), itsm_core::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::error::Error;

/// What a state means, whatever a vendor calls it. SLAs, KPIs and importers work on
/// categories, so vendor-named states stay interoperable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Category {
    /// Recorded, nobody working on it yet.
    New,
    /// Being worked on.
    Open,
    /// Waiting on someone else.
    Pending,
    /// A solution is proposed; it may still be reopened.
    Resolved,
    /// Finished for good.
    Closed,
    /// Withdrawn before a resolution.
    Canceled,
}

impl Category {
    /// Every category, in lifecycle order.
    pub const ALL: [Category; 6] = [
        Category::New,
        Category::Open,
        Category::Pending,
        Category::Resolved,
        Category::Closed,
        Category::Canceled,
    ];

    /// The category's name, as in JSON: `new`, `open`, `pending`, `resolved`, `closed`,
    /// `canceled`.
    pub const fn name(self) -> &'static str {
        match self {
            Category::New => "new",
            Category::Open => "open",
            Category::Pending => "pending",
            Category::Resolved => "resolved",
            Category::Closed => "closed",
            Category::Canceled => "canceled",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Category {
    type Err = Error;
    /// Parses a category's name, as [`Category::name`] writes it.
    ///
    /// ```
    /// use itsm_core::Category;
    ///
    /// assert_eq!("pending".parse::<Category>()?, Category::Pending);
    /// assert!("waiting".parse::<Category>().is_err());
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    fn from_str(name: &str) -> Result<Self, Error> {
        Category::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| Error::UnknownCategory {
                name: name.to_owned(),
            })
    }
}

/// One state of a lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StateSpec {
    /// The state's name as the practice spells it (`in_progress`).
    pub name: String,
    /// What it means.
    pub category: Category,
    /// Whether a new record may start here.
    pub initial: bool,
    /// Whether the lifecycle ends here.
    pub terminal: bool,
}

impl StateSpec {
    /// A state that is neither initial nor terminal.
    pub fn new(name: &str, category: Category) -> Self {
        StateSpec {
            name: name.to_owned(),
            category,
            initial: false,
            terminal: false,
        }
    }

    /// An initial state.
    pub fn initial(name: &str, category: Category) -> Self {
        StateSpec {
            initial: true,
            ..StateSpec::new(name, category)
        }
    }

    /// This state, marked terminal.
    #[must_use]
    pub fn terminal(mut self) -> Self {
        self.terminal = true;
        self
    }
}

/// One transition: in state `from`, command `command` may lead to state `to`. A transition
/// with `from == to` is a command that keeps the state (assign, escalate, ...).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TransitionSpec {
    /// The state before.
    pub from: String,
    /// The command's name.
    pub command: String,
    /// The state after.
    pub to: String,
}

impl TransitionSpec {
    /// A transition.
    pub fn new(from: &str, command: &str, to: &str) -> Self {
        TransitionSpec {
            from: from.to_owned(),
            command: command.to_owned(),
            to: to.to_owned(),
        }
    }
}

/// A checked lifecycle: every transition names listed states, and some state is initial.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Lifecycle {
    name: String,
    states: Vec<StateSpec>,
    transitions: Vec<TransitionSpec>,
}

/// The verdict on one observed change of state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub enum Verdict {
    /// Allowed, by these commands.
    Accepted(Vec<String>),
    /// No command leads from `from` to `to`.
    NoTransition,
    /// A state the lifecycle does not know.
    UnknownState(String),
}

/// One observed change of state and its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Step {
    /// Position of the later state in the observed sequence.
    pub index: usize,
    /// The state before.
    pub from: String,
    /// The state after.
    pub to: String,
    /// Whether the lifecycle allows it.
    pub verdict: Verdict,
}

/// The result of [`Lifecycle::conformance`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Conformance {
    /// Whether the first observed state is an initial state.
    pub starts_initial: bool,
    /// Every change of state, in order (repeats of the same state are not changes).
    pub steps: Vec<Step>,
    /// How many steps are allowed.
    pub accepted: usize,
    /// How many are not.
    pub rejected: usize,
}

/// One reason a lifecycle is refused; [`Error::InvalidLifecycle`] lists every one found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "problem", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum LifecycleProblem {
    /// The same state name is listed twice.
    DuplicateState {
        /// The repeated name.
        state: String,
    },
    /// No state is marked initial, so nothing can start.
    NoInitialState,
    /// No state is marked terminal, so nothing can end.
    NoTerminalState,
    /// A transition names a state that is not listed.
    UnknownState {
        /// The transition's command.
        command: String,
        /// The unknown name.
        state: String,
    },
    /// One command leads out of one state to two different states.
    AmbiguousCommand {
        /// The state.
        state: String,
        /// The command.
        command: String,
        /// The states it leads to, in table order.
        targets: Vec<String>,
    },
    /// No path of transitions leads from an initial state to this one.
    Unreachable {
        /// The state.
        state: String,
    },
    /// No path of transitions leads from this state to a terminal one: a record entering it
    /// could never end.
    DeadEnd {
        /// The state.
        state: String,
    },
    /// A practice's own rule, checked by the practice crate (for example which commands a
    /// state of some kind accepts).
    Rule {
        /// The state concerned (empty when the rule is about the whole table).
        state: String,
        /// The command concerned (empty when none).
        command: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
}

impl std::fmt::Display for LifecycleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LifecycleProblem::DuplicateState { state } => {
                write!(f, "state `{state}` is listed twice")
            }
            LifecycleProblem::NoInitialState => {
                f.write_str("no state is initial; mark at least one")
            }
            LifecycleProblem::NoTerminalState => {
                f.write_str("no state is terminal; mark at least one")
            }
            LifecycleProblem::UnknownState { command, state } => {
                write!(f, "transition `{command}` names unknown state `{state}`")
            }
            LifecycleProblem::AmbiguousCommand {
                state,
                command,
                targets,
            } => write!(
                f,
                "`{command}` leads from `{state}` to {}; a command may lead to one state only",
                targets
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            LifecycleProblem::Unreachable { state } => {
                write!(f, "state `{state}` cannot be reached from an initial state")
            }
            LifecycleProblem::DeadEnd { state } => {
                write!(f, "no terminal state can be reached from state `{state}`")
            }
            LifecycleProblem::Rule { reason, .. } => f.write_str(reason),
        }
    }
}

/// Every problem of a table: duplicates, unknown names, ambiguity, then reachability both
/// ways (over the transitions between known states). Linear in the table's size.
fn check(states: &[StateSpec], transitions: &[TransitionSpec]) -> Vec<LifecycleProblem> {
    let mut problems = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in states.iter().enumerate() {
        // The first listing counts; later ones are reported.
        if index.contains_key(s.name.as_str()) {
            problems.push(LifecycleProblem::DuplicateState {
                state: s.name.clone(),
            });
        } else {
            index.insert(s.name.as_str(), i);
        }
    }
    if !states.iter().any(|s| s.initial) {
        problems.push(LifecycleProblem::NoInitialState);
    }
    if !states.iter().any(|s| s.terminal) {
        problems.push(LifecycleProblem::NoTerminalState);
    }
    let mut edges: Vec<(usize, usize)> = Vec::new();
    let mut by_command: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    // Sets beside the lists, so that each check is a lookup, not a scan of what was listed
    // before (the table stays linear-logarithmic in its size).
    let mut unknown_seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut target_seen: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for t in transitions {
        let mut known = true;
        for state in [&t.from, &t.to] {
            if !index.contains_key(state.as_str()) {
                known = false;
                if unknown_seen.insert((t.command.as_str(), state.as_str())) {
                    problems.push(LifecycleProblem::UnknownState {
                        command: t.command.clone(),
                        state: state.clone(),
                    });
                }
            }
        }
        if target_seen.insert((t.from.as_str(), t.command.as_str(), t.to.as_str())) {
            by_command
                .entry((t.from.as_str(), t.command.as_str()))
                .or_default()
                .push(&t.to);
        }
        if let (true, Some(&a), Some(&b)) =
            (known, index.get(t.from.as_str()), index.get(t.to.as_str()))
        {
            edges.push((a, b));
        }
    }
    // Reported in the order the states are listed, then by command name.
    for s in states {
        for ((from, command), targets) in by_command.range((s.name.as_str(), "")..) {
            if *from != s.name {
                break;
            }
            if targets.len() > 1 {
                problems.push(LifecycleProblem::AmbiguousCommand {
                    state: s.name.clone(),
                    command: (*command).to_owned(),
                    targets: targets.iter().map(|t| (*t).to_owned()).collect(),
                });
            }
        }
    }
    let n = states.len();
    let reach = |starts: Vec<usize>, forward: bool| {
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(a, b) in &edges {
            let (from, to) = if forward { (a, b) } else { (b, a) };
            if let Some(out) = adjacency.get_mut(from) {
                out.push(to);
            }
        }
        let mut seen = vec![false; n];
        let mut stack = starts;
        while let Some(i) = stack.pop() {
            match seen.get_mut(i) {
                Some(flag) if !*flag => *flag = true,
                _ => continue,
            }
            if let Some(next) = adjacency.get(i) {
                stack.extend(next.iter().copied());
            }
        }
        seen
    };
    // Only a state's first listing counts (the graph's nodes are first listings).
    let first = |i: usize, s: &StateSpec| index.get(s.name.as_str()) == Some(&i);
    let initial: Vec<usize> = (0..n)
        .filter(|&i| states.get(i).is_some_and(|s| s.initial && first(i, s)))
        .collect();
    let terminal: Vec<usize> = (0..n)
        .filter(|&i| states.get(i).is_some_and(|s| s.terminal && first(i, s)))
        .collect();
    let (has_initial, has_terminal) = (!initial.is_empty(), !terminal.is_empty());
    let reachable = reach(initial, true);
    let ends = reach(terminal, false);
    for (i, s) in states.iter().enumerate() {
        // A duplicate's second listing is already reported.
        if !first(i, s) {
            continue;
        }
        if has_initial && !reachable.get(i).copied().unwrap_or(false) {
            problems.push(LifecycleProblem::Unreachable {
                state: s.name.clone(),
            });
        }
        if has_terminal && !ends.get(i).copied().unwrap_or(false) {
            problems.push(LifecycleProblem::DeadEnd {
                state: s.name.clone(),
            });
        }
    }
    problems
}

impl Lifecycle {
    /// Checks and builds a lifecycle. The checks: state names unique; at least one initial
    /// and one terminal state; every transition names listed states; no command leads out of
    /// one state to two different states; every state reachable from an initial state; a
    /// terminal state reachable from every state.
    ///
    /// # Errors
    /// [`Error::InvalidLifecycle`], listing every problem found (not only the first).
    ///
    /// ```
    /// use itsm_core::{Category, Lifecycle, LifecycleProblem, StateSpec, TransitionSpec};
    /// use itsm_core::Error;
    ///
    /// let err = Lifecycle::new(
    ///     "door",
    ///     vec![
    ///         StateSpec::initial("open", Category::Open),
    ///         StateSpec::new("ajar", Category::Open),
    ///         StateSpec::new("shut", Category::Closed).terminal(),
    ///     ],
    ///     vec![
    ///         TransitionSpec::new("open", "close", "shut"),
    ///         TransitionSpec::new("open", "close", "locked"),
    ///     ],
    /// );
    /// let Err(Error::InvalidLifecycle { problems, .. }) = err else { panic!() };
    /// assert_eq!(
    ///     problems,
    ///     [
    ///         LifecycleProblem::UnknownState { command: "close".into(), state: "locked".into() },
    ///         LifecycleProblem::AmbiguousCommand {
    ///             state: "open".into(),
    ///             command: "close".into(),
    ///             targets: vec!["shut".into(), "locked".into()],
    ///         },
    ///         LifecycleProblem::Unreachable { state: "ajar".into() },
    ///         LifecycleProblem::DeadEnd { state: "ajar".into() },
    ///     ]
    /// );
    /// ```
    pub fn new(
        name: &str,
        states: Vec<StateSpec>,
        transitions: Vec<TransitionSpec>,
    ) -> Result<Self, Error> {
        let problems = check(&states, &transitions);
        if !problems.is_empty() {
            return Err(Error::InvalidLifecycle {
                lifecycle: name.to_owned(),
                problems,
            });
        }
        Ok(Lifecycle {
            name: name.to_owned(),
            states,
            transitions,
        })
    }

    /// The lifecycle's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The states, in lifecycle order.
    pub fn states(&self) -> &[StateSpec] {
        &self.states
    }

    /// The transitions, in table order.
    pub fn transitions(&self) -> &[TransitionSpec] {
        &self.transitions
    }

    /// The state named `name`.
    pub fn state(&self, name: &str) -> Option<&StateSpec> {
        self.states.iter().find(|s| s.name == name)
    }

    /// The commands allowed in state `from`, in table order, without repeats.
    pub fn commands_from(&self, from: &str) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.transitions
            .iter()
            .filter(|t| t.from == from && seen.insert(t.command.as_str()))
            .map(|t| t.command.as_str())
            .collect()
    }

    /// The commands that lead from `from` to `to`, in table order, without repeats (a table
    /// may list a transition twice; a conformance verdict names each command once).
    ///
    /// ```
    /// use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
    ///
    /// let lc = Lifecycle::new(
    ///     "ticket",
    ///     vec![
    ///         StateSpec::initial("on_hold", Category::Pending),
    ///         StateSpec::new("in_progress", Category::Open),
    ///         StateSpec::new("closed", Category::Closed).terminal(),
    ///     ],
    ///     vec![
    ///         TransitionSpec::new("on_hold", "resume", "in_progress"),
    ///         TransitionSpec::new("on_hold", "caller_update", "in_progress"),
    ///         TransitionSpec::new("on_hold", "resume", "in_progress"),
    ///         TransitionSpec::new("in_progress", "close", "closed"),
    ///     ],
    /// )?;
    /// assert_eq!(lc.commands_between("on_hold", "in_progress"), ["resume", "caller_update"]);
    /// assert!(lc.commands_between("in_progress", "on_hold").is_empty());
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn commands_between(&self, from: &str, to: &str) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.transitions
            .iter()
            .filter(|t| t.from == from && t.to == to && seen.insert(t.command.as_str()))
            .map(|t| t.command.as_str())
            .collect()
    }

    /// Checks an observed sequence of states (for example from a real log) against the
    /// lifecycle: each change of state is accepted when some command leads there.
    ///
    /// ```
    /// use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec, Verdict};
    ///
    /// let lc = Lifecycle::new(
    ///     "door",
    ///     vec![
    ///         StateSpec::initial("open", Category::Open),
    ///         StateSpec::new("closed", Category::Closed).terminal(),
    ///     ],
    ///     vec![TransitionSpec::new("open", "close", "closed")],
    /// )?;
    /// let report = lc.conformance(["open", "closed", "ajar"]);
    /// assert!(report.starts_initial);
    /// assert_eq!(report.steps[0].verdict, Verdict::Accepted(vec!["close".into()]));
    /// assert_eq!(report.steps[1].verdict, Verdict::UnknownState("ajar".into()));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn conformance<I, S>(&self, observed: I) -> Conformance
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut steps = Vec::new();
        let mut previous: Option<String> = None;
        let mut starts_initial = false;
        for (index, state) in observed.into_iter().enumerate() {
            let state = state.as_ref();
            match &previous {
                None => {
                    starts_initial = self.state(state).is_some_and(|s| s.initial);
                }
                Some(prev) if prev == state => {}
                Some(prev) => {
                    let verdict = if self.state(prev).is_none() {
                        Verdict::UnknownState(prev.clone())
                    } else if self.state(state).is_none() {
                        Verdict::UnknownState(state.to_owned())
                    } else {
                        let commands = self.commands_between(prev, state);
                        if commands.is_empty() {
                            Verdict::NoTransition
                        } else {
                            Verdict::Accepted(commands.into_iter().map(str::to_owned).collect())
                        }
                    };
                    steps.push(Step {
                        index,
                        from: prev.clone(),
                        to: state.to_owned(),
                        verdict,
                    });
                }
            }
            previous = Some(state.to_owned());
        }
        let accepted = steps
            .iter()
            .filter(|s| matches!(s.verdict, Verdict::Accepted(_)))
            .count();
        Conformance {
            starts_initial,
            rejected: steps.len() - accepted,
            steps,
            accepted,
        }
    }

    /// A Mermaid `stateDiagram-v2` of the state-changing transitions; commands that keep the
    /// state are left out (a practice's page lists them in a table). Edges with several
    /// commands show them joined by `/`. Edges come in the order of the states, so the
    /// order of the transition table does not reach the diagram.
    ///
    /// ```
    /// use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
    ///
    /// let lc = Lifecycle::new(
    ///     "door",
    ///     vec![
    ///         StateSpec::initial("open", Category::Open),
    ///         StateSpec::new("closed", Category::Closed).terminal(),
    ///     ],
    ///     vec![
    ///         TransitionSpec::new("open", "close", "closed"),
    ///         TransitionSpec::new("open", "slam", "closed"),
    ///         TransitionSpec::new("open", "wedge", "open"),
    ///     ],
    /// )?;
    /// assert_eq!(
    ///     lc.to_mermaid(),
    ///     "stateDiagram-v2\n    [*] --> open\n    open --> closed : close / slam\n    closed --> [*]\n"
    /// );
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("stateDiagram-v2\n");
        for s in self.states.iter().filter(|s| s.initial) {
            out.push_str(&format!("    [*] --> {}\n", s.name));
        }
        let mut edges: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
        // A state's first listing names it (as in the checks).
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in self.states.iter().enumerate() {
            index.entry(s.name.as_str()).or_insert(i);
        }
        let mut seen = BTreeSet::new();
        for t in self.transitions.iter().filter(|t| t.from != t.to) {
            if let (Some(&a), Some(&b)) = (index.get(t.from.as_str()), index.get(t.to.as_str())) {
                if seen.insert((a, b, t.command.as_str())) {
                    edges.entry((a, b)).or_default().push(&t.command);
                }
            }
        }
        for ((a, b), cmds) in edges {
            if let (Some(from), Some(to)) = (self.states.get(a), self.states.get(b)) {
                out.push_str(&format!(
                    "    {} --> {} : {}\n",
                    from.name,
                    to.name,
                    cmds.join(" / ")
                ));
            }
        }
        for s in self.states.iter().filter(|s| s.terminal) {
            out.push_str(&format!("    {} --> [*]\n", s.name));
        }
        out
    }
}

/// What [`explore`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exploration {
    /// Distinct states (by key) reached, the initial one included.
    pub states: usize,
    /// Commands tried.
    pub tried: usize,
    /// Commands accepted.
    pub accepted: usize,
    /// The deepest level that found a new state.
    pub depth: usize,
    /// Invariant violations, each with the command path (indices into the alphabet) that led
    /// there. Empty when all is well.
    pub violations: Vec<(Vec<usize>, String)>,
}

/// Explores a state machine breadth-first from `initial`, applying every command of
/// `alphabet` to every distinct state (as told apart by `key`) up to `max_depth` commands
/// deep, and checks `invariant` after every accepted step.
///
/// `step` applies one command (typically `decide` then `evolve`); a rejected command is not an
/// error for exploration, it simply leads nowhere. `invariant` gets the state before, the
/// command, and the state after.
///
/// ```
/// use itsm_core::explore;
///
/// // A counter that may go up to 3.
/// let report = explore(
///     0u8,
///     &[1u8, 2],
///     5,
///     |s| *s,
///     |s, c| if s + c <= 3 { Ok(s + c) } else { Err(()) },
///     |before, _, after| if after > before { Ok(()) } else { Err("went down".into()) },
/// );
/// assert_eq!(report.states, 4);
/// assert!(report.violations.is_empty());
/// ```
pub fn explore<S, C, K, E>(
    initial: S,
    alphabet: &[C],
    max_depth: usize,
    key: impl Fn(&S) -> K,
    step: impl Fn(&S, &C) -> Result<S, E>,
    mut invariant: impl FnMut(&S, &C, &S) -> Result<(), String>,
) -> Exploration
where
    K: Ord,
{
    let mut seen = BTreeSet::new();
    seen.insert(key(&initial));
    let mut queue = VecDeque::new();
    queue.push_back((initial, Vec::<usize>::new()));
    let mut report = Exploration {
        states: 1,
        tried: 0,
        accepted: 0,
        depth: 0,
        violations: Vec::new(),
    };
    while let Some((state, path)) = queue.pop_front() {
        if path.len() >= max_depth {
            continue;
        }
        for (i, command) in alphabet.iter().enumerate() {
            report.tried += 1;
            let Ok(next) = step(&state, command) else {
                continue;
            };
            report.accepted += 1;
            let mut next_path = path.clone();
            next_path.push(i);
            if let Err(why) = invariant(&state, command, &next) {
                report.violations.push((next_path.clone(), why));
            }
            if seen.insert(key(&next)) {
                report.states += 1;
                report.depth = report.depth.max(next_path.len());
                queue.push_back((next, next_path));
            }
        }
    }
    report
}
