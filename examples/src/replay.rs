//! Replaying any incident log through `itsm-incident`, one row at a time, in bounded memory.
//!
//! A [`Replayer`] takes the [`Item`]s of an [`import::open`](crate::import::open)ed log and
//! drives each case through `decide` and `evolve`: which observed transitions the policy's
//! workflow accepts, why it rejects the others, the actions and state-keeping commands, and
//! our counters against the log's. [`run`] does it all from file paths, as the `replay`
//! binary does.
//!
//! # How a row becomes commands
//! - The first row of a case seeds the incident: `report` (dated at the opening time when
//!   the mapping has one and it is earlier) when the row maps to the workflow's initial state
//!   or to an action; otherwise the log starts in the middle of the incident's life and the
//!   row is brought in with `import` in the mapped state, with the log's counters at that
//!   point. Seeding is not a transition.
//! - Snapshot logs (`"rows": "snapshots"`): on every row, a change of group or person becomes
//!   `assign` and a change of impact or urgency `reprioritize` (state-keeping commands).
//! - A row that maps to a state other than the previous row's is a **transition**: the
//!   command is the one the workflow's table says leads there from the current state
//!   (`tick` when the auto-close deadline has passed, `caller_responded` from a hold the
//!   caller's answer clears, a vendor transition by its name, ...). A transition the
//!   workflow does not have, or that `decide` refuses, is a rejection, counted by kind; the
//!   replay then resynchronises by importing the incident afresh in the observed state with
//!   the counters we had, so one rejection does not cascade.
//! - A row that maps to an action (or a state's `then` actions) runs the action's command
//!   (`assign`, `unassign`, `reprioritize`, `reopen`, `caller_responded`; a comment sends
//!   nothing); a refusal is counted, and the state is kept.
//! - The log has no notes or comments: where a command needs one, the importer passes
//!   [`NOT_IN_LOG`].
//!
//! # Counters
//! - **reopen_count**, ours: the reopens `itsm-incident` accepted in the replay (a `reopen`
//!   from resolved, or from closed where the workflow allows it), plus the log's count when
//!   the case was seeded by `import`. The log's: its counter column on the case's last row.
//! - **reassignment_count**, ours: assignment changes after the first assignment as the
//!   policy counts them (`group_change`: a change of group; `group_or_person_change`: of
//!   group or person), plus the log's count at an `import` seed. The log's: its counter
//!   column on the case's last row.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};
use itsm_core::{Actor, ConfigItemId, GroupId, Impact, Quoted, Role, Urgency, UserId};
use itsm_incident::{
    Channel, Command, Context, Error, Escalation, IncidentId, Links, Policy, Report, Snapshot,
    State, Status, decide, evolve,
};
use uuid::Uuid;

use crate::import::workflow::{self, Args};
use crate::import::{
    Action, BadRow, Compiled, Item, Layout, ReadError, Row, RowKind, RowProblem, StateTarget,
    Target,
};

pub use crate::import::NOT_IN_LOG;

mod host;
mod report;

pub use host::{PRESETS, Run, RunError, choose_policy, describe_policy, run};
use report::{BAD_KINDS, EXAMPLES, MISMATCHES, OTHER_BAD_KINDS};
pub use report::{CounterAgreement, PriorityAgreement, ReplayReport, Tally};

/// A deterministic id for a foreign key: a name-based (v5) UUID, so the same log always
/// gives the same ids.
pub fn foreign_id(kind: &str, key: &str) -> Uuid {
    let ns = Uuid::new_v5(&Uuid::NAMESPACE_OID, kind.as_bytes());
    Uuid::new_v5(&ns, key.as_bytes())
}

/// Foreign ids already made, so that a name seen on many rows is hashed once. Each table is
/// emptied when it reaches 65,536 names, so memory stays bounded on any log.
#[derive(Debug, Default)]
struct Ids {
    users: HashMap<String, Uuid>,
    groups: HashMap<String, Uuid>,
}

impl Ids {
    const LIMIT: usize = 1 << 16;

    fn get(table: &mut HashMap<String, Uuid>, kind: &str, key: &str) -> Uuid {
        if let Some(id) = table.get(key) {
            return *id;
        }
        if table.len() >= Self::LIMIT {
            table.clear();
        }
        let id = foreign_id(kind, key);
        table.insert(key.to_owned(), id);
        id
    }

    fn user(&mut self, name: &str) -> UserId {
        UserId(Self::get(&mut self.users, "user", name))
    }

    fn group(&mut self, name: &str) -> GroupId {
        GroupId(Self::get(&mut self.groups, "group", name))
    }
}

fn role(name: &str) -> Role {
    Role::new(name).unwrap_or_else(|_| unreachable!()) // invariant: non-empty constant
}

/// A case's state name and hold reason, as the log shows it.
type Observed = (String, Option<String>);

fn observed_of(target: &StateTarget) -> Observed {
    (target.state.clone(), target.reason.clone())
}

fn observed_now(state: &State) -> Observed {
    (
        workflow::state_name(state).to_owned(),
        workflow::hold_reason(state).map(|r| r.code().to_owned()),
    )
}

/// One case not yet over.
struct Case {
    id: IncidentId,
    /// The order the case first appeared in, for a deterministic end.
    seq: usize,
    state: State,
    observed: Option<Observed>,
    last_line: u64,
    log_reopens: Option<u32>,
    log_reassignments: Option<u32>,
}

fn case_hash(case: &str) -> u64 {
    // `DefaultHasher::new` has fixed keys: the same id hashes the same within a run. Two
    // ids colliding (about 1 in 2^64 per pair) would report a new case as ended.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    case.hash(&mut hasher);
    hasher.finish()
}

/// Short name of an error's cause, for grouping rejections.
fn cause(error: &Error) -> String {
    match error {
        Error::NotAllowed { command, .. } => format!("`{command}` not allowed"),
        Error::MissingField { field, .. } => format!("missing {field}"),
        Error::ClockWentBackwards { .. } => "clock went backwards".to_owned(),
        other => other.to_string(),
    }
}

fn run_command(
    state: State,
    command: &Command,
    actor: &Actor,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<State, (State, Error)> {
    let ctx = Context::new(now, actor, policy);
    match decide(&state, command, &ctx) {
        Ok(events) => Ok(events.iter().fold(state, evolve)),
        Err(e) => Err((state, e)),
    }
}

/// Drives the items of one log through `itsm-incident` and builds the report.
pub struct Replayer<'p> {
    policy: &'p Policy,
    rows: RowKind,
    layout: Layout,
    agent_role: Role,
    integration: Actor,
    system: Actor,
    fallback_group: GroupId,
    ids: Ids,
    /// The case of the last row, kept out of `open` (consecutive rows are mostly one case's).
    last: Option<(String, Case)>,
    open: HashMap<String, Case>,
    /// Cases over: hash of the id, the line of the last row.
    finished: HashMap<u64, u64>,
    seq: usize,
    report: ReplayReport,
}

impl std::fmt::Debug for Replayer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replayer")
            .field("open", &self.open.len())
            .field("finished", &self.finished.len())
            .finish_non_exhaustive()
    }
}

impl<'p> Replayer<'p> {
    /// A replay of a log read with `compiled` under `policy`.
    pub fn new(policy: &'p Policy, compiled: &Compiled) -> Self {
        let (reopens, reassignments) = compiled.counter_columns();
        let counter = |column: Option<&str>| {
            column.map(|c| CounterAgreement {
                column: c.to_owned(),
                ..CounterAgreement::default()
            })
        };
        Replayer {
            policy,
            rows: compiled.rows,
            layout: compiled.layout,
            agent_role: role("agent"),
            integration: Actor::new(
                UserId(foreign_id("user", "integration")),
                [role("integration")],
            ),
            system: Actor::new(UserId(foreign_id("user", "system")), [role("system")]),
            fallback_group: GroupId(foreign_id("group", NOT_IN_LOG)),
            ids: Ids::default(),
            last: None,
            open: HashMap::new(),
            finished: HashMap::new(),
            seq: 0,
            report: ReplayReport {
                reassignment_counting: Some(policy.reassignment_counting),
                reopen_counter: counter(reopens),
                reassignment_counter: counter(reassignments),
                priority: compiled.has_priority().then(PriorityAgreement::default),
                ..ReplayReport::default()
            },
        }
    }

    /// Takes the next item of the log.
    pub fn feed(&mut self, item: Item) {
        match item {
            Item::Row(row) => {
                self.report.rows += 1;
                self.row(&row);
            }
            Item::End { case, line } => self.finish(&case, line),
            Item::Ignored => {
                self.report.rows += 1;
                self.report.ignored += 1;
            }
            Item::Bad(bad) => {
                self.report.rows += 1;
                self.bad(&bad);
            }
        }
    }

    /// Ends every case still open and returns the report.
    pub fn finish_all(mut self) -> ReplayReport {
        if let Some((id, case)) = self.last.take() {
            self.open.insert(id, case);
        }
        let mut open: Vec<(String, usize, u64)> = self
            .open
            .iter()
            .map(|(id, c)| (id.clone(), c.seq, c.last_line))
            .collect();
        open.sort_by_key(|(_, seq, _)| *seq);
        for (id, _, line) in open {
            self.finish(&id, line);
        }
        self.report
    }

    fn bad(&mut self, bad: &BadRow) {
        let example = || {
            let mut e = format!("line {}", bad.line);
            if let Some(case) = &bad.case {
                let _ = write!(e, " ({})", Quoted(case));
            }
            if let Some(value) = bad.problem.value() {
                let _ = write!(e, ": `{}`", Quoted(value));
            }
            e
        };
        // Each unmapped value is a kind of its own: past `BAD_KINDS` kinds the rest are
        // counted together, so a log of endless distinct values keeps the report bounded.
        let mut kind = bad.problem.group();
        if self.report.bad.len() >= BAD_KINDS && !self.report.bad.contains_key(&kind) {
            kind = OTHER_BAD_KINDS.to_owned();
        }
        self.report.bad.entry(kind).or_default().add(example, 3);
    }

    fn agent(&mut self, name: Option<&str>) -> Actor {
        let user = self.ids.user(name.unwrap_or("unknown"));
        Actor::new(user, [self.agent_role.clone()])
    }

    fn args(&mut self, row: &Row, target: Option<&StateTarget>) -> Args {
        Args {
            group: row.group.as_deref().map(|g| self.ids.group(g)),
            person: row.person.as_deref().map(|p| self.ids.user(p)),
            impact: row.impact.map(Impact),
            urgency: row.urgency.map(Urgency),
            code: row
                .resolution_code
                .clone()
                .or_else(|| target.and_then(|t| t.code.clone())),
            fallback_group: self.fallback_group,
        }
    }

    /// The case `id` taken out for a row, with its id: the last row's, one still open, or a
    /// new one.
    fn take_case(&mut self, id: &str, line: u64) -> (String, Case) {
        if let Some((last_id, case)) = self.last.take() {
            if last_id == id {
                return (last_id, case);
            }
            self.open.insert(last_id, case);
        }
        let case = match self.open.remove(id) {
            Some(case) => case,
            None => {
                self.report.incidents += 1;
                self.seq += 1;
                Case {
                    id: IncidentId(foreign_id("incident", id)),
                    seq: self.seq,
                    state: State::new(),
                    observed: None,
                    last_line: line,
                    log_reopens: None,
                    log_reassignments: None,
                }
            }
        };
        (id.to_owned(), case)
    }

    fn row(&mut self, row: &Row) {
        if let Some(&ended_at) = self.finished.get(&case_hash(&row.case)) {
            let why = match self.layout {
                Layout::Contiguous => "its block of rows ended",
                Layout::Interleaved => "it reached a final state",
            };
            self.bad(&BadRow {
                line: row.line,
                case: Some(row.case.clone()),
                problem: RowProblem::AfterEnd {
                    case: row.case.clone(),
                    ended_at,
                    why,
                },
            });
            return;
        }
        self.report.replayed += 1;
        if let (Some(p), Some(i), Some(u), Some(pr)) = (
            self.report.priority.as_mut(),
            row.impact,
            row.urgency,
            row.priority,
        ) {
            p.add(&self.policy.matrix, i, u, pr);
        }
        let (key, mut case) = self.take_case(&row.case, row.line);
        case.last_line = row.line;
        if row.reopens.is_some() {
            case.log_reopens = row.reopens;
        }
        if row.reassignments.is_some() {
            case.log_reassignments = row.reassignments;
        }
        self.step(&mut case, row);
        let over = self.layout == Layout::Interleaved
            && case.state.incident().is_some()
            && workflow::is_final(self.policy, workflow::state_name(&case.state));
        let line = case.last_line;
        self.last = Some((key, case));
        if over {
            self.finish(&row.case, line);
        }
    }

    fn step(&mut self, case: &mut Case, row: &Row) {
        let state_target = match &*row.target {
            Target::State(t) => Some(t),
            _ => None,
        };
        let args = self.args(row, state_target);
        let actor = self.agent(row.actor.as_deref());
        let at = row.instant();
        let seeded_now = case.state.incident().is_none();
        if seeded_now && !self.seed(case, row, state_target) {
            return;
        }
        if self.rows == RowKind::Snapshots {
            self.snapshot_changes(case, row, &args, &actor, at);
        }
        match &*row.target {
            Target::State(target) => {
                if !seeded_now && case.observed.as_ref() != Some(&observed_of(target)) {
                    self.transition(case, row, target, &args, &actor, at);
                }
                case.observed = Some(observed_of(target));
                for action in &target.then {
                    self.action(case, row, *action, &args, &actor, at);
                }
            }
            Target::Action(action) => self.action(case, row, *action, &args, &actor, at),
            Target::Ignore | Target::BadData => {}
        }
    }

    /// Brings the case in: `report` or `import`. `false` when it cannot be (the report is
    /// refused), so the next row tries again.
    fn seed(&mut self, case: &mut Case, row: &Row, target: Option<&StateTarget>) -> bool {
        let initial = workflow::initial(self.policy);
        match target.filter(|t| t.state != initial) {
            Some(target) => {
                let Some(status) = workflow::status_for(
                    self.policy,
                    target,
                    row.resolution_code.as_deref().or(target.code.as_deref()),
                    row.instant(),
                ) else {
                    return false;
                };
                let counters = (row.reopens.unwrap_or(0), row.reassignments.unwrap_or(0));
                match self.import(&case.state, case.id, row, status, Some(counters)) {
                    Ok(state) => {
                        self.report.seeded_by_import += 1;
                        case.state = state;
                        case.observed = Some(observed_of(target));
                        true
                    }
                    Err(e) => {
                        self.command_rejected(&format!("import: {}", cause(&e)), &row.case);
                        false
                    }
                }
            }
            None => {
                let (Some(impact), Some(urgency)) = (row.impact, row.urgency) else {
                    self.command_rejected(
                        "report: the row has no impact or urgency and the mapping no default",
                        &row.case,
                    );
                    return false;
                };
                let actor = self.agent(row.actor.as_deref());
                let report = Command::Report(Box::new(report_of(case.id, row, impact, urgency)));
                let at = row
                    .opened_at
                    .map_or(row.instant(), |o| o.with_timezone(&Utc))
                    .min(row.instant());
                match run_command(State::new(), &report, &actor, at, self.policy) {
                    Ok(state) => {
                        case.observed = Some(observed_now(&state));
                        case.state = state;
                        true
                    }
                    Err((_, e)) => {
                        self.command_rejected(&format!("report: {}", cause(&e)), &row.case);
                        false
                    }
                }
            }
        }
    }

    fn command_rejected(&mut self, kind: &str, case: &str) {
        self.report
            .command_rejections
            .entry(kind.to_owned())
            .or_default()
            .add(|| Quoted(case).to_string(), EXAMPLES);
    }

    /// Snapshot rows: assignment and levels brought to the row's values, by commands that
    /// keep the state (where the workflow leads such a command to another state, as iTop's
    /// `assign` from `new`, it belongs to the row's transition, which carries the row's
    /// values).
    fn snapshot_changes(
        &mut self,
        case: &mut Case,
        row: &Row,
        args: &Args,
        actor: &Actor,
        at: DateTime<Utc>,
    ) {
        let Some(current) = case.state.incident() else {
            return;
        };
        let mut keep = Vec::new();
        if let Some(group) = args.group {
            let now = current.assignment().map(|a| (a.group, a.person));
            if now != Some((group, args.person)) {
                keep.push(Command::Assign {
                    group,
                    person: args.person,
                });
            }
        }
        let impact = args.impact.unwrap_or(current.impact());
        let urgency = args.urgency.unwrap_or(current.urgency());
        if (impact, urgency) != (current.impact(), current.urgency()) {
            keep.push(Command::Reprioritize { impact, urgency });
        }
        for command in keep {
            if workflow::moves(self.policy, &case.state, command.kind().name()) {
                continue;
            }
            *self
                .report
                .state_keeping
                .entry(command.kind().name().to_owned())
                .or_default() += 1;
            let state = std::mem::take(&mut case.state);
            case.state = match run_command(state, &command, actor, at, self.policy) {
                Ok(s) => s,
                Err((s, e)) => {
                    self.command_rejected(&format!("{}: {}", command.kind(), cause(&e)), &row.case);
                    s
                }
            };
        }
    }

    fn transition(
        &mut self,
        case: &mut Case,
        row: &Row,
        target: &StateTarget,
        args: &Args,
        actor: &Actor,
        at: DateTime<Utc>,
    ) {
        self.report.transitions += 1;
        let from = case.observed.as_ref().map_or_else(
            || workflow::state_name(&case.state).to_owned(),
            |o| o.0.clone(),
        );
        let state = std::mem::take(&mut case.state);
        let outcome = match workflow::command_to(self.policy, &state, target, args, at) {
            Err(why) => Err((state, why)),
            Ok(command) => {
                let who = if command == Command::Tick {
                    &self.system
                } else {
                    actor
                };
                match run_command(state, &command, who, at, self.policy) {
                    Ok(next) if observed_now(&next) == observed_of(target) => {
                        match command {
                            Command::Tick => self.report.auto_closed += 1,
                            Command::Close { .. } => self.report.closed_by_hand += 1,
                            _ => {}
                        }
                        Ok(next)
                    }
                    Ok(next) => {
                        let reached = observed_now(&next).0;
                        Err((
                            next,
                            format!("`{}` led to `{}`", command.kind(), Quoted(&reached)),
                        ))
                    }
                    Err((s, e)) => Err((s, cause(&e))),
                }
            }
        };
        case.state = match outcome {
            Ok(next) => {
                self.report.accepted += 1;
                next
            }
            Err((state, why)) => {
                let key = format!("{} -> {}: {why}", Quoted(&from), Quoted(&target.state));
                self.report
                    .rejections
                    .entry(key)
                    .or_default()
                    .add(|| Quoted(&row.case).to_string(), EXAMPLES);
                let status =
                    workflow::status_for(self.policy, target, args.code.as_deref(), row.instant());
                match status {
                    Some(status) => self
                        .import(&state, case.id, row, status, None)
                        .unwrap_or(state),
                    None => state,
                }
            }
        };
    }

    fn action(
        &mut self,
        case: &mut Case,
        row: &Row,
        action: Action,
        args: &Args,
        actor: &Actor,
        at: DateTime<Utc>,
    ) {
        *self
            .report
            .actions
            .entry(action.name().to_owned())
            .or_default() += 1;
        let Some(command) = workflow::action_command(&case.state, action, args) else {
            return;
        };
        let state = std::mem::take(&mut case.state);
        case.state = match run_command(state, &command, actor, at, self.policy) {
            Ok(next) => {
                case.observed = Some(observed_now(&next));
                next
            }
            Err((s, e)) => {
                self.command_rejected(&format!("{}: {}", action.name(), cause(&e)), &row.case);
                s
            }
        };
    }

    /// The incident brought in afresh in `status`, keeping what we derived so far (or, for a
    /// new record, the row's values and the given counters).
    fn import(
        &self,
        state: &State,
        id: IncidentId,
        row: &Row,
        status: Status,
        counters: Option<(u32, u32)>,
    ) -> Result<State, Error> {
        let mut snapshot = match state.incident() {
            Some(incident) => incident.snapshot(),
            None => Snapshot {
                report: report_of(
                    id,
                    row,
                    row.impact.unwrap_or_default(),
                    row.urgency.unwrap_or_default(),
                ),
                status: Status::New,
                assignment: None,
                reassignment_count: 0,
                reopen_count: 0,
                escalation: Escalation::default(),
                major: false,
                links: Links::default(),
                opened_at: row
                    .opened_at
                    .map_or(row.instant(), |o| o.with_timezone(&Utc)),
            },
        };
        snapshot.status = status;
        if let Some(impact) = row.impact {
            snapshot.report.impact = Impact(impact);
        }
        if let Some(urgency) = row.urgency {
            snapshot.report.urgency = Urgency(urgency);
        }
        if let Some((reopens, reassignments)) = counters {
            snapshot.reopen_count = reopens;
            snapshot.reassignment_count = reassignments;
        }
        let command = Command::Import(Box::new(snapshot));
        run_command(
            State::new(),
            &command,
            &self.integration,
            row.instant(),
            self.policy,
        )
        .map_err(|(_, e)| e)
    }

    /// Ends a case: its counters are compared, its state dropped, its id kept (hashed) to
    /// report rows that come later.
    fn finish(&mut self, id: &str, line: u64) {
        let case = match self.last.take() {
            Some((last_id, case)) if last_id == id => case,
            other => {
                self.last = other;
                match self.open.remove(id) {
                    Some(case) => case,
                    None => return,
                }
            }
        };
        self.finished.insert(case_hash(id), line);
        let (reopens, reassignments) = case
            .state
            .incident()
            .map_or((0, 0), |i| (i.reopen_count(), i.reassignment_count()));
        self.report.reopens += u64::from(reopens);
        self.report.reassignments += u64::from(reassignments);
        for (counter, ours, theirs) in [
            (&mut self.report.reopen_counter, reopens, case.log_reopens),
            (
                &mut self.report.reassignment_counter,
                reassignments,
                case.log_reassignments,
            ),
        ] {
            if let (Some(c), Some(theirs)) = (counter.as_mut(), theirs) {
                c.cases += 1;
                if ours == theirs {
                    c.agree += 1;
                } else if c.mismatches.len() < MISMATCHES {
                    c.mismatches.push((id.to_owned(), ours, theirs));
                }
            }
        }
    }
}

fn report_of(id: IncidentId, row: &Row, impact: u8, urgency: u8) -> Report {
    let mut report = Report::new(
        id,
        UserId(foreign_id(
            "user",
            row.caller.as_deref().unwrap_or("unknown"),
        )),
        Impact(impact),
        Urgency(urgency),
        NOT_IN_LOG,
    );
    report.channel = row.channel.clone().unwrap_or(Channel::Unspecified);
    report.category.clone_from(&row.category);
    report.configuration_item = row
        .configuration_item
        .as_deref()
        .map(|ci| ConfigItemId(foreign_id("configuration_item", ci)));
    report
}

/// Replays every item of `rows` under `policy`.
///
/// # Errors
/// [`ReadError`] when the log cannot be read on (the items before it are replayed, but the
/// report is not returned).
pub fn replay<R: std::io::Read>(
    rows: crate::import::Rows<R>,
    policy: &Policy,
) -> Result<ReplayReport, ReadError> {
    let mut replayer = Replayer::new(policy, &rows.compiled().clone());
    for item in rows {
        replayer.feed(item?);
    }
    Ok(replayer.finish_all())
}
