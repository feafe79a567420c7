//! Static checks of definitions: the documented traps, found before they bite.

use std::collections::{BTreeMap, BTreeSet};

use itsm_core::Category;

use crate::definition::{Definition, PauseMode};
use chrono::{DateTime, Utc};
use itsm_core::{Condition, Requirements, TicketView, ViewField};

/// What a check found; its `Display` explains it.
///
/// A result: new checks add variants (`#[non_exhaustive]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Finding {
    /// No ticket can satisfy the start condition.
    NeverStarts {
        /// The definition.
        definition: String,
    },
    /// Every ticket that satisfies start also satisfies stop: nothing ever attaches.
    NeverAttaches {
        /// The definition.
        definition: String,
    },
    /// Every ticket that starts is already paused: the clock is paused for ever.
    PausedFromStart {
        /// The definition.
        definition: String,
    },
    /// A ticket that satisfies the pause condition always satisfies the cancel condition
    /// (by default, start no longer true), so pausing cancels the clock instead.
    PauseCancels {
        /// The definition.
        definition: String,
    },
    /// Two definitions of the same target kind can both attach to one ticket.
    Overlap {
        /// One definition.
        definition: String,
        /// The other.
        other: String,
    },
    /// A threshold that can never fire or fires meaninglessly (0%, duplicates, over 1000%).
    UnreachableThreshold {
        /// The definition.
        definition: String,
        /// The threshold.
        percent: u16,
    },
    /// An escalation before the clock's own start: it fires the moment the clock attaches.
    EscalationBeforeStart {
        /// The definition.
        definition: String,
        /// The escalation.
        escalation: String,
    },
    /// The conditions mention too many values to check exhaustively.
    TooComplex {
        /// The definition.
        definition: String,
    },
    /// The start, stop, pause or cancel condition tests a change
    /// ([`Condition::Changes`], [`Condition::ChangesTo`], [`Condition::ChangesFrom`]),
    /// which depends on the update before: those conditions are not checked (overlaps
    /// with other definitions may go unreported).
    TestsChanges {
        /// The definition.
        definition: String,
    },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::NeverStarts { definition } => write!(
                f,
                "`{definition}`: no ticket can satisfy the start condition, so it never attaches"
            ),
            Finding::NeverAttaches { definition } => write!(
                f,
                "`{definition}`: the start condition is contained in the stop condition: whenever it would start it is already stopped, so it never attaches"
            ),
            Finding::PausedFromStart { definition } => write!(
                f,
                "`{definition}`: the start condition is contained in the pause condition: every clock is paused from the start and never runs"
            ),
            Finding::PauseCancels { definition } => write!(
                f,
                "`{definition}`: whenever the pause condition holds the clock is cancelled (the cancel condition, by default 'start no longer true', also holds), so it never pauses"
            ),
            Finding::Overlap { definition, other } => write!(
                f,
                "`{definition}` and `{other}` measure the same target and can both attach to one ticket; the selection rule decides which apply"
            ),
            Finding::UnreachableThreshold {
                definition,
                percent,
            } => write!(
                f,
                "`{definition}`: threshold {percent}% can never fire usefully (allowed: 1 to 1000, each once)"
            ),
            Finding::EscalationBeforeStart {
                definition,
                escalation,
            } => write!(
                f,
                "`{definition}`: escalation `{escalation}` lies before the clock's start and fires the moment it attaches"
            ),
            Finding::TooComplex { definition } => write!(
                f,
                "`{definition}`: the conditions mention too many values to check exhaustively"
            ),
            Finding::TestsChanges { definition } => write!(
                f,
                "`{definition}`: its conditions test changes, which depend on the update before; they are not checked"
            ),
        }
    }
}

const OTHER: &str = "\u{0}other";
const MAX_CASES: usize = 200_000;

#[derive(Default)]
struct Atoms {
    states: BTreeSet<String>,
    priorities: BTreeSet<u8>,
    groups: BTreeSet<String>,
    fields: BTreeMap<String, BTreeSet<String>>,
    // The view fields added for automation rules: only a field a condition mentions adds
    // cases (its values, one it does not mention, and empty), so definitions that do not
    // use them are checked over exactly the same tickets as before.
    levels: BTreeMap<u8, BTreeSet<u8>>,
    names: BTreeMap<u8, BTreeSet<String>>,
    times: BTreeSet<u8>,
}

const IMPACT: u8 = 0;
const URGENCY: u8 = 1;
const CLASSIFICATION: u8 = 0;
const SERVICE: u8 = 1;
const CONFIG_ITEM: u8 = 2;
const ASSIGNEE: u8 = 3;
const OPENED_AT: u8 = 0;
const UPDATED_AT: u8 = 1;

fn mention(field: &ViewField, atoms: &mut Atoms) {
    match field {
        ViewField::Impact => _ = atoms.levels.entry(IMPACT).or_default(),
        ViewField::Urgency => _ = atoms.levels.entry(URGENCY).or_default(),
        ViewField::Classification => _ = atoms.names.entry(CLASSIFICATION).or_default(),
        ViewField::Service => _ = atoms.names.entry(SERVICE).or_default(),
        ViewField::ConfigItem => _ = atoms.names.entry(CONFIG_ITEM).or_default(),
        ViewField::Assignee => _ = atoms.names.entry(ASSIGNEE).or_default(),
        ViewField::OpenedAt => _ = atoms.times.insert(OPENED_AT),
        ViewField::UpdatedAt => _ = atoms.times.insert(UPDATED_AT),
        ViewField::Field(name) => _ = atoms.fields.entry(name.clone()).or_default(),
        // State, category, priority and group always have their empty and unmentioned cases.
        _ => {}
    }
}

fn collect(c: &Condition, atoms: &mut Atoms) {
    match c {
        Condition::Always | Condition::Never | Condition::CategoryIn(_) => {}
        Condition::StateIn(s) => atoms.states.extend(s.iter().cloned()),
        Condition::PriorityIn(p) => atoms.priorities.extend(p.iter().copied()),
        Condition::GroupIn(g) => atoms.groups.extend(g.iter().cloned()),
        Condition::FieldIn { field, values } => {
            atoms
                .fields
                .entry(field.clone())
                .or_default()
                .extend(values.iter().cloned());
        }
        Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| collect(c, atoms)),
        Condition::Not(c) => collect(c, atoms),
        Condition::ImpactIn(v) => atoms.levels.entry(IMPACT).or_default().extend(v),
        Condition::UrgencyIn(v) => atoms.levels.entry(URGENCY).or_default().extend(v),
        Condition::ClassificationIn(v) => names(atoms, CLASSIFICATION, v),
        Condition::ServiceIn(v) => names(atoms, SERVICE, v),
        Condition::ConfigItemIn(v) => names(atoms, CONFIG_ITEM, v),
        Condition::AssigneeIn(v) => names(atoms, ASSIGNEE, v),
        Condition::IsSet(field) => mention(field, atoms),
        // Evaluated without an instant in SLAs: always false, nothing to vary. (And any
        // test a later itsm-core adds: none of the cases vary it.)
        _ => {}
    }
}

/// Whether `c` tests a change anywhere: its truth depends on the view before, which the
/// cases of [`universe`] do not have.
fn tests_change(c: &Condition) -> bool {
    match c {
        Condition::Changes(_) | Condition::ChangesTo { .. } | Condition::ChangesFrom { .. } => true,
        Condition::All(cs) | Condition::Any(cs) => cs.iter().any(tests_change),
        Condition::Not(c) => tests_change(c),
        _ => false,
    }
}

fn names(atoms: &mut Atoms, which: u8, values: &[String]) {
    atoms
        .names
        .entry(which)
        .or_default()
        .extend(values.iter().cloned());
}

/// Applies to every view the cases of one added field: `set` writes a value (or empty).
fn vary<T: Clone>(
    views: Vec<TicketView>,
    values: &[Option<T>],
    set: impl Fn(&mut TicketView, Option<T>),
) -> Vec<TicketView> {
    let mut next = Vec::with_capacity(views.len() * values.len());
    for v in &views {
        for value in values {
            let mut w = v.clone();
            set(&mut w, value.clone());
            next.push(w);
        }
    }
    next
}

/// Every distinguishable ticket for the conditions given (each mentioned value, plus one
/// value none of them mentions, plus missing), or `None` when there would be too many.
fn universe(conditions: &[&Condition]) -> Option<Vec<TicketView>> {
    let mut atoms = Atoms::default();
    conditions.iter().for_each(|c| collect(c, &mut atoms));
    let states: Vec<String> = atoms
        .states
        .iter()
        .cloned()
        .chain([OTHER.to_owned()])
        .collect();
    let categories: Vec<Option<Category>> = [
        None,
        Some(Category::New),
        Some(Category::Open),
        Some(Category::Pending),
        Some(Category::Resolved),
        Some(Category::Closed),
        Some(Category::Canceled),
    ]
    .to_vec();
    let other_priority = (0..=u8::MAX).find(|p| !atoms.priorities.contains(p));
    let priorities: Vec<Option<u8>> = atoms
        .priorities
        .iter()
        .map(|p| Some(*p))
        .chain([None, other_priority])
        .collect();
    let groups: Vec<Option<String>> = atoms
        .groups
        .iter()
        .cloned()
        .map(Some)
        .chain([None, Some(OTHER.to_owned())])
        .collect();
    let fields: Vec<(String, Vec<Option<String>>)> = atoms
        .fields
        .iter()
        .map(|(k, vs)| {
            let values = vs
                .iter()
                .cloned()
                .map(Some)
                .chain([None, Some(OTHER.to_owned())])
                .collect();
            (k.clone(), values)
        })
        .collect();
    let levels: Vec<(u8, Vec<Option<u8>>)> = atoms
        .levels
        .iter()
        .map(|(k, vs)| {
            let other = (0..=u8::MAX).find(|p| !vs.contains(p));
            let values = vs.iter().map(|v| Some(*v)).chain([None, other]).collect();
            (*k, values)
        })
        .collect();
    let names: Vec<(u8, Vec<Option<String>>)> = atoms
        .names
        .iter()
        .map(|(k, vs)| {
            let values = vs
                .iter()
                .cloned()
                .map(Some)
                .chain([None, Some(OTHER.to_owned())])
                .collect();
            (*k, values)
        })
        .collect();
    let mut size = states.len() * categories.len() * priorities.len() * groups.len();
    for (_, vs) in &fields {
        size = size.checked_mul(vs.len())?;
    }
    for (_, vs) in &levels {
        size = size.checked_mul(vs.len())?;
    }
    for (_, vs) in &names {
        size = size.checked_mul(vs.len())?;
    }
    for _ in &atoms.times {
        size = size.checked_mul(2)?;
    }
    if size > MAX_CASES {
        return None;
    }
    let mut out = Vec::with_capacity(size);
    for state in &states {
        for category in &categories {
            for priority in &priorities {
                for group in &groups {
                    let mut base = TicketView::default();
                    base.state.clone_from(state);
                    base.category = *category;
                    base.priority = *priority;
                    base.group.clone_from(group);
                    let mut views = vec![base];
                    for (which, values) in &levels {
                        views = vary(views, values, |w, v| match *which {
                            IMPACT => w.impact = v,
                            _ => w.urgency = v,
                        });
                    }
                    for (which, values) in &names {
                        views = vary(views, values, |w, v| match *which {
                            CLASSIFICATION => w.classification = v,
                            SERVICE => w.service = v,
                            CONFIG_ITEM => w.config_item = v,
                            _ => w.assignee = v,
                        });
                    }
                    for which in &atoms.times {
                        let some = Some(DateTime::<Utc>::UNIX_EPOCH);
                        views = vary(views, &[None, some], |w, v| match *which {
                            OPENED_AT => w.opened_at = v,
                            _ => w.updated_at = v,
                        });
                    }
                    for (name, values) in &fields {
                        let mut next = Vec::with_capacity(views.len() * values.len());
                        for v in &views {
                            for value in values {
                                let mut w = v.clone();
                                if let Some(value) = value {
                                    w.fields.insert(name.clone(), value.clone());
                                }
                                next.push(w);
                            }
                        }
                        views = next;
                    }
                    out.extend(views);
                }
            }
        }
    }
    Some(out)
}

/// Checks definitions for the documented traps and explains each finding. Conditions are
/// checked over every distinguishable ticket (each value they mention, one they do not,
/// and missing), treating fields as independent: a finding that says "never" holds for
/// every real ticket; an overlap may involve combinations a real workflow never produces.
///
/// ```
/// use itsm_sla::chrono::Duration;
/// use itsm_sla::{Category, Condition, Definition, Finding, Target, check};
///
/// // Starts on new tickets, but "start no longer true" (the default cancel) then cancels
/// // it the moment the ticket goes on hold instead of pausing it.
/// let mut response = Definition::new("response", Target::Response, Duration::hours(1));
/// response.start = Condition::CategoryIn(vec![Category::New, Category::Open]);
/// let findings = check(&[response]);
/// assert_eq!(findings, [Finding::PauseCancels { definition: "response".into() }]);
/// assert!(findings[0].to_string().contains("it never pauses"));
/// ```
pub fn check(definitions: &[Definition]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for d in definitions {
        let id = || d.id.clone();
        let mut seen = BTreeSet::new();
        for p in &d.thresholds {
            if *p == 0 || *p > 1000 || !seen.insert(*p) {
                findings.push(Finding::UnreachableThreshold {
                    definition: id(),
                    percent: *p,
                });
            }
        }
        for e in &d.escalations {
            if e.offset < -d.target {
                findings.push(Finding::EscalationBeforeStart {
                    definition: id(),
                    escalation: e.name.clone(),
                });
            }
        }
        let mut conds = vec![&d.start, &d.stop, &d.pause];
        if let Some(c) = &d.cancel {
            conds.push(c);
        }
        if conds.iter().any(|c| tests_change(c)) {
            findings.push(Finding::TestsChanges { definition: id() });
            continue;
        }
        let Some(views) = universe(&conds) else {
            findings.push(Finding::TooComplex { definition: id() });
            continue;
        };
        let starting: Vec<&TicketView> = views.iter().filter(|v| d.start.eval(v)).collect();
        if starting.is_empty() {
            findings.push(Finding::NeverStarts { definition: id() });
            continue;
        }
        if starting.iter().all(|v| d.stop.eval(v)) {
            findings.push(Finding::NeverAttaches { definition: id() });
            continue;
        }
        if d.pause_mode != PauseMode::None {
            let running: Vec<&&TicketView> = starting.iter().filter(|v| !d.stop.eval(v)).collect();
            if running.iter().all(|v| d.pause.eval(v)) {
                findings.push(Finding::PausedFromStart { definition: id() });
            }
            let pausing: Vec<&TicketView> = views
                .iter()
                .filter(|v| d.pause.eval(v) && !d.stop.eval(v))
                .collect();
            if !pausing.is_empty() && pausing.iter().all(|v| d.cancels(v)) {
                findings.push(Finding::PauseCancels { definition: id() });
            }
        }
    }
    // What each start requires, so that pairs that can never start together are skipped
    // without listing tickets (a few hundred definitions by priority and service took
    // seconds when every pair was enumerated).
    let starts: Vec<Requirements> = definitions
        .iter()
        .map(|d| Requirements::of(&d.start))
        .collect();
    for (i, a) in definitions.iter().enumerate() {
        for (j, b) in definitions.iter().enumerate().skip(i + 1) {
            if a.kind != b.kind {
                continue;
            }
            if let (Some(ra), Some(rb)) = (starts.get(i), starts.get(j)) {
                if ra.disjoint(rb) {
                    continue;
                }
            }
            let conds = [&a.start, &a.stop, &b.start, &b.stop];
            let both = universe(&conds).is_some_and(|views| {
                views.iter().any(|v| {
                    a.start.eval(v) && !a.stop.eval(v) && b.start.eval(v) && !b.stop.eval(v)
                })
            });
            if both {
                findings.push(Finding::Overlap {
                    definition: a.id.clone(),
                    other: b.id.clone(),
                });
            }
        }
    }
    findings
}
