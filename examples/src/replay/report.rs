//! What a replay found, and how the report is printed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use itsm_core::{Impact, PriorityMatrix, Quoted, Urgency};
use itsm_incident::ReassignmentCounting;

/// How many example case ids a rejection kind keeps.
pub(crate) const EXAMPLES: usize = 2;
/// How many counter differences the report lists.
pub(crate) const MISMATCHES: usize = 10;
/// How many kinds of bad rows the report keeps apart (each unmapped value is a kind).
pub(crate) const BAD_KINDS: usize = 100;
/// The kind the bad rows of every further kind are counted under.
pub(crate) const OTHER_BAD_KINDS: &str =
    "(other kinds: more than 100 kinds of bad rows, the rest counted here)";

/// A count with a few examples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// How many.
    pub count: usize,
    /// The first examples (case ids, or lines with values for bad rows).
    pub examples: Vec<String>,
}

impl Tally {
    pub(crate) fn add(&mut self, example: impl FnOnce() -> String, keep: usize) {
        self.count += 1;
        if self.examples.len() < keep {
            let example = example();
            if !self.examples.contains(&example) {
                self.examples.push(example);
            }
        }
    }
}

/// How our count of something compares with the log's counter column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterAgreement {
    /// The log's column.
    pub column: String,
    /// Cases compared (those with a value in the column).
    pub cases: usize,
    /// Cases whose final counts are equal.
    pub agree: usize,
    /// The first cases that differ: (case, ours, the log's).
    pub mismatches: Vec<(String, u32, u32)>,
}

impl CounterAgreement {
    /// Agreement as a percentage of the cases compared; `None` without any.
    pub fn pct(&self) -> Option<f64> {
        pct(self.agree, self.cases)
    }
}

/// How often the policy's matrix gives the priority the log recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriorityAgreement {
    /// Rows compared (those with impact, urgency and priority).
    pub rows: usize,
    /// Rows where the matrix gives the log's priority.
    pub agree: usize,
    /// Rows where it does not, by (impact, urgency, the log's priority): (the matrix's
    /// priority, rows).
    pub disagreements: BTreeMap<(u8, u8, u8), (u8, usize)>,
    /// Rows whose impact or urgency is off the matrix's scales, by (impact, urgency, the
    /// log's priority): rows. They count in `rows` only.
    pub off_scale: BTreeMap<(u8, u8, u8), usize>,
}

impl PriorityAgreement {
    /// Compares one row.
    pub fn add(&mut self, matrix: &PriorityMatrix, impact: u8, urgency: u8, priority: u8) {
        self.rows += 1;
        let key = (impact, urgency, priority);
        match matrix.priority(Impact(impact), Urgency(urgency)) {
            Ok(ours) if ours.0 == priority => self.agree += 1,
            Ok(ours) => self.disagreements.entry(key).or_insert((ours.0, 0)).1 += 1,
            Err(_) => *self.off_scale.entry(key).or_insert(0) += 1,
        }
    }

    /// The share of rows that agree, as a percentage; `None` when none were compared.
    pub fn pct(&self) -> Option<f64> {
        pct(self.agree, self.rows)
    }
}

#[allow(clippy::cast_precision_loss)] // counts far below 2^52
fn pct(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// What a replay found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplayReport {
    /// Rows read (the header not counted).
    pub rows: usize,
    /// Rows replayed.
    pub replayed: usize,
    /// Rows the mapping says to ignore.
    pub ignored: usize,
    /// Rows left out, by [`RowProblem::group`](crate::import::RowProblem::group), with up to
    /// three examples each; past 100 kinds, the rows of further kinds are counted under one
    /// last kind (`(other kinds: ...)`), so the report stays bounded on any log.
    pub bad: BTreeMap<String, Tally>,
    /// Cases replayed.
    pub incidents: usize,
    /// Cases whose first row is not the initial state (seeded with `import`).
    pub seeded_by_import: usize,
    /// Observed changes of state.
    pub transitions: usize,
    /// Of those, accepted by the workflow and the policy.
    pub accepted: usize,
    /// Rejected transitions by kind (`from -> to: reason`), with two example cases each.
    pub rejections: BTreeMap<String, Tally>,
    /// Closures by the auto-close rule (`tick`).
    pub auto_closed: usize,
    /// Closures by `close`.
    pub closed_by_hand: usize,
    /// State-keeping commands derived from snapshot rows, by command.
    pub state_keeping: BTreeMap<String, usize>,
    /// Rows (or `then` entries) mapped to each action.
    pub actions: BTreeMap<String, usize>,
    /// Refused state-keeping commands and actions, by kind, with two example cases each.
    pub command_rejections: BTreeMap<String, Tally>,
    /// Our reopens over all cases.
    pub reopens: u64,
    /// Our reassignments over all cases.
    pub reassignments: u64,
    /// How the policy counts reassignments.
    pub reassignment_counting: Option<ReassignmentCounting>,
    /// Our reopen counts against the log's column, when the mapping names one.
    pub reopen_counter: Option<CounterAgreement>,
    /// Our reassignment counts against the log's column, when the mapping names one.
    pub reassignment_counter: Option<CounterAgreement>,
    /// The matrix against the log's priorities, when the mapping names a priority column.
    pub priority: Option<PriorityAgreement>,
}

impl ReplayReport {
    /// Accepted transitions as a percentage; `None` when no transition was observed.
    pub fn accepted_pct(&self) -> Option<f64> {
        pct(self.accepted, self.transitions)
    }

    /// Rows left out, of every kind.
    pub fn bad_rows(&self) -> usize {
        self.bad.values().map(|t| t.count).sum()
    }
}

fn percent(value: Option<f64>, none: &str) -> String {
    value.map_or_else(|| format!("n/a ({none})"), |v| format!("{v:.2}%"))
}

fn tallies(out: &mut String, title: &str, map: &BTreeMap<String, Tally>) {
    if map.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}");
    let mut kinds: Vec<(&String, &Tally)> = map.iter().collect();
    kinds.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    for (kind, tally) in kinds {
        let _ = writeln!(
            out,
            "  {:>6}  {kind}  (e.g. {})",
            tally.count,
            tally.examples.join(", ")
        );
    }
}

fn counts(map: &BTreeMap<String, usize>) -> String {
    if map.is_empty() {
        return "none".to_owned();
    }
    map.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::fmt::Display for ReplayReport {
    /// The report as the `replay` binary prints it (after its header): details first, the
    /// figures last.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "bad rows: {} (left out of the replay)",
            self.bad_rows()
        );
        tallies(&mut out, "bad rows by kind:", &self.bad);
        tallies(&mut out, "rejected transitions by kind:", &self.rejections);
        tallies(
            &mut out,
            "rejected actions and state-keeping commands by kind:",
            &self.command_rejections,
        );
        for (name, counter) in [
            ("reopen_count", &self.reopen_counter),
            ("reassignment_count", &self.reassignment_counter),
        ] {
            if let Some(c) = counter.as_ref().filter(|c| !c.mismatches.is_empty()) {
                let _ = writeln!(
                    out,
                    "{name} differences (first {}; case: ours vs the log's):",
                    MISMATCHES
                );
                for (case, ours, theirs) in &c.mismatches {
                    let _ = writeln!(out, "  {}: {ours} vs {theirs}", Quoted(case));
                }
            }
        }
        if let Some(p) = &self.priority {
            if !p.disagreements.is_empty() || !p.off_scale.is_empty() {
                let _ = writeln!(
                    out,
                    "priority disagreements (impact, urgency, log priority) -> ours x rows:"
                );
                for ((i, u, pr), (ours, n)) in &p.disagreements {
                    let _ = writeln!(out, "  ({i}, {u}, {pr}) -> {ours} x {n}");
                }
                for ((i, u, pr), n) in &p.off_scale {
                    let _ = writeln!(out, "  ({i}, {u}, {pr}) -> off the matrix's scales x {n}");
                }
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "counters (ours, and the log's where it has a column):");
        let _ = writeln!(
            out,
            "  reopen_count: ours = reopens accepted by itsm-incident (plus the log's count at an import seed); the log's = {}",
            self.reopen_counter
                .as_ref()
                .map_or("no column".to_owned(), |c| format!(
                    "column `{}` on the case's last row",
                    Quoted(&c.column)
                ))
        );
        let counting = match self.reassignment_counting {
            Some(ReassignmentCounting::GroupOrPersonChange) => {
                "changes of group or person after the first assignment"
            }
            _ => "changes of group after the first assignment",
        };
        let _ = writeln!(
            out,
            "  reassignment_count: ours = {counting} (plus the log's count at an import seed); the log's = {}",
            self.reassignment_counter
                .as_ref()
                .map_or("no column".to_owned(), |c| format!(
                    "column `{}` on the case's last row",
                    Quoted(&c.column)
                ))
        );
        let _ = writeln!(
            out,
            "rows: {} read, {} replayed, {} bad, {} ignored",
            self.rows,
            self.replayed,
            self.bad_rows(),
            self.ignored
        );
        let _ = writeln!(
            out,
            "seeded by import (log starts mid-life): {}",
            self.seeded_by_import
        );
        let _ = writeln!(
            out,
            "state-keeping commands from snapshots: {}",
            counts(&self.state_keeping)
        );
        let _ = writeln!(out, "actions: {}", counts(&self.actions));
        let _ = writeln!(
            out,
            "closed: {} automatically (tick), {} by hand",
            self.auto_closed, self.closed_by_hand
        );
        let _ = writeln!(
            out,
            "ours: {} reopens, {} reassignments",
            self.reopens, self.reassignments
        );
        let _ = writeln!(
            out,
            "reassignment_count agreement: {}",
            percent(
                self.reassignment_counter
                    .as_ref()
                    .and_then(CounterAgreement::pct),
                "no reassignment counter in the log"
            )
        );
        let _ = writeln!(out, "incidents: {}", self.incidents);
        let _ = writeln!(
            out,
            "transitions: {} observed, {} accepted, {} rejected",
            self.transitions,
            self.accepted,
            self.transitions - self.accepted
        );
        let _ = writeln!(
            out,
            "transitions accepted: {}",
            percent(self.accepted_pct(), "no transitions observed")
        );
        let _ = writeln!(
            out,
            "reopen_count agreement: {}",
            percent(
                self.reopen_counter.as_ref().and_then(CounterAgreement::pct),
                "no reopen counter in the log"
            )
        );
        let _ = write!(
            out,
            "priority agreement: {}",
            percent(
                self.priority.as_ref().and_then(PriorityAgreement::pct),
                "no priority in the log"
            )
        );
        f.write_str(&out)
    }
}
