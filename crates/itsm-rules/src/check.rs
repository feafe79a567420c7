//! The static checker: rules that can never fire, conflicts, re-triggers and cycles, time
//! rules without a deadline, unknown names. Each finding explains itself.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use itsm_core::{Condition, Quoted, Requirements, ViewField};

use crate::engine::RuleSet;
use crate::sat::{Sat, satisfiable, satisfiable_all};
use crate::spec::{Action, Anchor, Mode, RuleSpec, Trigger};

/// What [`check`] found; its `Display` explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "finding"))]
#[non_exhaustive]
pub enum Finding {
    /// The rule's condition (with what its trigger implies) is a contradiction.
    NeverFires {
        /// The rule.
        rule: String,
    },
    /// Whenever the rule's condition holds, an earlier rule triggered by the same events
    /// holds too and, in first-match mode or with its stop flag, wins.
    Shadowed {
        /// The rule.
        rule: String,
        /// The earlier rules that together always win.
        by: Vec<String>,
    },
    /// Two rules can both fire in one evaluation and set a field to different values: in one
    /// round, or one after the other in a cascade.
    Conflict {
        /// The earlier rule.
        first: String,
        /// The later rule (its value is the one that stays).
        second: String,
        /// The field.
        field: ViewField,
        /// The earlier rule's value.
        first_value: String,
        /// The later rule's value.
        second_value: String,
    },
    /// The rule changes a field its own `updated` trigger watches, and its condition still
    /// holds after the change: it fires again for the same event.
    SelfRetrigger {
        /// The rule.
        rule: String,
        /// The field.
        field: ViewField,
    },
    /// Rules that trigger each other in a cycle: each changes a field the next one watches,
    /// with the next one's condition still able to hold.
    Cycle {
        /// The rules, in the order they trigger each other (the last triggers the first).
        rules: Vec<String>,
    },
    /// A time rule that can never come due.
    NoDeadline {
        /// The rule.
        rule: String,
        /// Why, in words.
        why: String,
    },
    /// A group the vocabulary does not declare.
    UnknownGroup {
        /// The rule.
        rule: String,
        /// The group.
        group: String,
    },
    /// A state the vocabulary does not declare.
    UnknownState {
        /// The rule.
        rule: String,
        /// The state.
        state: String,
    },
    /// A named field the vocabulary does not declare.
    UnknownField {
        /// The rule.
        rule: String,
        /// The field.
        field: String,
    },
    /// A calendar the vocabulary does not declare.
    UnknownCalendar {
        /// The rule.
        rule: String,
        /// The calendar.
        calendar: String,
    },
    /// The rule's condition is too large to check within the checker's budget.
    TooComplex {
        /// The rule.
        rule: String,
    },
}

impl Finding {
    /// The rules the finding is about.
    pub fn rules(&self) -> Vec<&str> {
        match self {
            Finding::Conflict { first, second, .. } => vec![first, second],
            Finding::Cycle { rules } => rules.iter().map(String::as_str).collect(),
            Finding::NeverFires { rule }
            | Finding::Shadowed { rule, .. }
            | Finding::SelfRetrigger { rule, .. }
            | Finding::NoDeadline { rule, .. }
            | Finding::UnknownGroup { rule, .. }
            | Finding::UnknownState { rule, .. }
            | Finding::UnknownField { rule, .. }
            | Finding::UnknownCalendar { rule, .. }
            | Finding::TooComplex { rule } => vec![rule],
        }
    }
}

fn names(list: &[String]) -> String {
    let v: Vec<String> = list.iter().map(|s| format!("`{}`", Quoted(s))).collect();
    v.join(", ")
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::NeverFires { rule } => write!(
                f,
                "never fires: rule `{}` has a condition no record can meet (a contradiction, with what its trigger implies)",
                Quoted(rule)
            ),
            Finding::Shadowed { rule, by } => write!(
                f,
                "never fires: rule `{}` is shadowed: whenever it matches, earlier rule(s) {}, run by every event that runs it, match too and win",
                Quoted(rule),
                names(by)
            ),
            Finding::Conflict {
                first,
                second,
                field,
                first_value,
                second_value,
            } => write!(
                f,
                "conflict: rules `{}` and `{}` can both fire for one event and set {field} to `{}` and `{}`; which value stays depends on the order",
                Quoted(first),
                Quoted(second),
                Quoted(first_value),
                Quoted(second_value)
            ),
            Finding::SelfRetrigger { rule, field } => write!(
                f,
                "loop: rule `{}` changes {field}, which its own trigger watches, and still matches afterwards: it fires again for the same event",
                Quoted(rule)
            ),
            Finding::Cycle { rules } => {
                write!(
                    f,
                    "loop: rules trigger each other in a cycle: {}",
                    names(rules)
                )?;
                if let Some(first) = rules.first() {
                    write!(f, " -> `{}`", Quoted(first))?;
                }
                Ok(())
            }
            Finding::NoDeadline { rule, why } => {
                write!(
                    f,
                    "no deadline: time rule `{}` never comes due: {why}",
                    Quoted(rule)
                )
            }
            Finding::UnknownGroup { rule, group } => write!(
                f,
                "unknown group: rule `{}` names group `{}`, which the vocabulary does not declare",
                Quoted(rule),
                Quoted(group)
            ),
            Finding::UnknownState { rule, state } => write!(
                f,
                "unknown state: rule `{}` names state `{}`, which the vocabulary does not declare",
                Quoted(rule),
                Quoted(state)
            ),
            Finding::UnknownField { rule, field } => write!(
                f,
                "unknown field: rule `{}` names field `{}`, which the vocabulary does not declare",
                Quoted(rule),
                Quoted(field)
            ),
            Finding::UnknownCalendar { rule, calendar } => write!(
                f,
                "unknown calendar: rule `{}` counts business time on calendar `{}`, which the vocabulary does not declare",
                Quoted(rule),
                Quoted(calendar)
            ),
            Finding::TooComplex { rule } => write!(
                f,
                "too complex: rule `{}` has a condition too large to check; split it",
                Quoted(rule)
            ),
        }
    }
}

/// What a trigger implies about the record, as a condition.
fn implied(when: &Trigger) -> Condition {
    match when {
        Trigger::StateEntered { states } if !states.is_empty() => {
            Condition::StateIn(states.clone())
        }
        Trigger::After {
            anchor: Anchor::Created,
            ..
        } => Condition::IsSet(ViewField::OpenedAt),
        Trigger::After {
            anchor: Anchor::Updated,
            ..
        } => Condition::IsSet(ViewField::UpdatedAt),
        Trigger::Burst { per, .. } => Condition::IsSet(per.clone()),
        _ => Condition::Always,
    }
}

/// Whether every event that triggers `b` also triggers `a`. A burst runs only on the
/// creation that pushes its count over the threshold, so `created` covers every burst; two
/// time rules are due on the same ticks only when their triggers are equal.
pub(crate) fn covers(a: &Trigger, b: &Trigger) -> bool {
    match (a, b) {
        (Trigger::Created, Trigger::Created | Trigger::Burst { .. }) => true,
        (Trigger::Updated { fields: fa }, Trigger::Updated { fields: fb }) => {
            fa.is_empty() || (!fb.is_empty() && fb.iter().all(|f| fa.contains(f)))
        }
        (Trigger::StateEntered { states: sa }, Trigger::StateEntered { states: sb }) => {
            sa.is_empty() || (!sb.is_empty() && sb.iter().all(|s| sa.contains(s)))
        }
        _ => a == b,
    }
}

/// Whether some event can trigger both in the same round.
fn overlap(a: &Trigger, b: &Trigger) -> bool {
    match (a, b) {
        (Trigger::Created | Trigger::Burst { .. }, Trigger::Created | Trigger::Burst { .. })
        | (Trigger::Updated { .. }, Trigger::Updated { .. })
        | (Trigger::Updated { .. }, Trigger::StateEntered { .. })
        | (Trigger::StateEntered { .. }, Trigger::Updated { .. })
        | (Trigger::After { .. }, Trigger::After { .. }) => true,
        (Trigger::StateEntered { states: sa }, Trigger::StateEntered { states: sb }) => {
            sa.is_empty() || sb.is_empty() || sa.iter().any(|s| sb.contains(s))
        }
        _ => false,
    }
}

/// Whether `rule` (at position `at`) runs after another rule made `change`: it watches the
/// field and can still match.
fn follows(able: &mut Able, at: usize, rule: &RuleSpec, change: &Change) -> bool {
    let Trigger::Updated { fields } = &rule.when else {
        return false;
    };
    (fields.is_empty() || fields.contains(&change.field)) && able.get(at, rule, change)
}

/// A field a rule sets, to a value (`None`: one picked at run time), numbered so that equal
/// changes share a number.
struct Change {
    field: ViewField,
    value: Option<String>,
    id: u32,
    /// The field's number: equal fields share one.
    field_id: u32,
}

/// Whether a rule's condition can hold once a change is made, remembered per rule and
/// change: many rules set the same few values, and every pair of rules asks.
struct Able {
    memo: Vec<BTreeMap<u32, bool>>,
}

impl Able {
    fn get(&mut self, at: usize, rule: &RuleSpec, change: &Change) -> bool {
        if let Some(able) = self.memo.get(at).and_then(|m| m.get(&change.id)) {
            return *able;
        }
        let eq = change
            .value
            .as_deref()
            .and_then(|v| equals(&change.field, v));
        let mut goals = vec![(&rule.condition, true)];
        goals.extend(eq.as_ref().map(|c| (c, true)));
        let able = satisfiable_all(goals) != Sat::No;
        if let Some(m) = self.memo.get_mut(at) {
            m.insert(change.id, able);
        }
        able
    }
}

/// The fields a rule sets and to what (`None`: a value picked at run time).
fn sets(set: &RuleSet, rule: &RuleSpec) -> Vec<(ViewField, Option<String>)> {
    let mut out = Vec::new();
    for a in &rule.actions {
        match a {
            Action::AssignGroup(g) => out.push((ViewField::Group, Some(g.clone()))),
            Action::AssignPerson(p) => out.push((ViewField::Assignee, Some(p.clone()))),
            Action::AssignFrom(pool) => {
                if let Some(g) = set.spec().pools.get(pool).and_then(|p| p.group.clone()) {
                    out.push((ViewField::Group, Some(g)));
                }
                out.push((ViewField::Assignee, None));
            }
            Action::SetImpact(l) => out.push((ViewField::Impact, Some(l.to_string()))),
            Action::SetUrgency(l) => out.push((ViewField::Urgency, Some(l.to_string()))),
            Action::SetField { field, value } => {
                out.push((ViewField::Field(field.clone()), Some(value.clone())));
            }
            _ => {}
        }
    }
    out
}

/// The condition "field has this value", when it can be written.
fn equals(field: &ViewField, value: &str) -> Option<Condition> {
    let v = vec![value.to_owned()];
    Some(match field {
        ViewField::Group => Condition::GroupIn(v),
        ViewField::Assignee => Condition::AssigneeIn(v),
        ViewField::Impact => Condition::ImpactIn(vec![value.parse().ok()?]),
        ViewField::Urgency => Condition::UrgencyIn(vec![value.parse().ok()?]),
        ViewField::Field(name) => Condition::FieldIn {
            field: name.clone(),
            values: v,
        },
        _ => return None,
    })
}

/// Whether `b` (at position `at`), changed by a rule that makes `changes`, is triggered
/// again with its condition able to hold.
fn retriggers(able: &mut Able, changes: &[Change], at: usize, b: &RuleSpec) -> Option<ViewField> {
    let Trigger::Updated { fields } = &b.when else {
        return None;
    };
    changes
        .iter()
        .filter(|c| fields.is_empty() || fields.contains(&c.field))
        .find(|c| able.get(at, b, c))
        .map(|c| c.field.clone())
}

/// Checks a rule set and explains each finding, in this order: per rule (in list order)
/// never-fires, shadowing, time rules without a deadline, unknown names; then conflicts,
/// self-retriggers and cycles. An empty list means none of these were found.
///
/// The verdicts are exact for the conditions, as
/// [`Condition::eval_at`](itsm_core::Condition::eval_at) reads them with an instant: a
/// condition is checked over every view (the fields are independent), not sampled.
/// Shadowing looks at the earlier rules that run whenever this one would (same trigger,
/// or one that covers it) and win (first-match mode, or their stop flag), together.
///
/// ```
/// use itsm_rules::{Action, Condition, Finding, Mode, RuleSet, RuleSetSpec, RuleSpec, Trigger, check};
///
/// let route = |id: &str, c: Condition, g: &str| {
///     RuleSpec::new(id, Trigger::Created, c, vec![Action::AssignGroup(g.into())])
/// };
/// let set = RuleSet::new(RuleSetSpec::new(Mode::FirstMatch, vec![
///     route("p1-or-p2", Condition::PriorityIn(vec![1, 2]), "major"),
///     route("p1-network", Condition::All(vec![
///         Condition::PriorityIn(vec![1]),
///         Condition::ClassificationIn(vec!["network".into()]),
///     ]), "network"),
/// ]))?;
/// let findings = check(&set);
/// assert_eq!(findings, [Finding::Shadowed { rule: "p1-network".into(), by: vec!["p1-or-p2".into()] }]);
/// assert!(findings[0].to_string().starts_with("never fires: rule `p1-network` is shadowed"));
/// # Ok::<(), itsm_rules::Error>(())
/// ```
pub fn check(set: &RuleSet) -> Vec<Finding> {
    let rules = set.rules();
    let mut out = Vec::new();
    let mut alive = vec![true; rules.len()];
    let implies: Vec<Condition> = rules.iter().map(|r| implied(&r.when)).collect();
    let always = Condition::Always;
    let implied_of = |i: usize| implies.get(i).unwrap_or(&always);
    let required: Vec<Requirements> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| Requirements::of_all(&[(implied_of(i), true), (&r.condition, true)]))
        .collect();
    let nothing = Requirements::default();
    let required_of = |i: usize| required.get(i).unwrap_or(&nothing);
    let mut winners = Compatible::new(&required);
    for (i, b) in rules.iter().enumerate() {
        // What this rule needs to fire: what its trigger implies, and its condition.
        let own = [(implied_of(i), true), (&b.condition, true)];
        let own_sat = satisfiable_all(own.to_vec());
        match own_sat {
            Sat::No => {
                out.push(Finding::NeverFires { rule: b.id.clone() });
                if let Some(a) = alive.get_mut(i) {
                    *a = false;
                }
            }
            Sat::Unknown => out.push(Finding::TooComplex { rule: b.id.clone() }),
            Sat::Yes => {
                // The earlier rules that run whenever this one would and win; of them, only
                // those that can hold together with it matter (one that cannot never wins
                // over it), and they are the ones named.
                let mut by = Vec::new();
                let mut wins: Vec<(&Condition, bool)> = Vec::new();
                for k in winners.candidates(required_of(i)) {
                    let Some(a) = rules.get(k) else { continue };
                    if !covers(&a.when, &b.when) || required_of(i).disjoint(required_of(k)) {
                        continue;
                    }
                    let mut both = own.to_vec();
                    both.push((&a.condition, true));
                    if satisfiable_all(both) != Sat::No {
                        by.push(a.id.clone());
                        wins.push((&a.condition, false));
                    }
                }
                // Shadowed when it cannot hold with every one of them failing. Its own tests
                // go last, so that the search takes them first.
                wins.extend(own);
                if !by.is_empty() && satisfiable_all(wins) == Sat::No {
                    out.push(Finding::Shadowed {
                        rule: b.id.clone(),
                        by,
                    });
                    if let Some(a) = alive.get_mut(i) {
                        *a = false;
                    }
                }
            }
        }
        if let Trigger::After {
            anchor, calendar, ..
        } = &b.when
        {
            let vocabulary = &set.spec().vocabulary;
            if let Anchor::Time(name) = anchor {
                if !vocabulary.times.is_empty() && !vocabulary.times.contains(name) {
                    out.push(Finding::NoDeadline {
                        rule: b.id.clone(),
                        why: format!(
                            "it counts from time `{}`, which the vocabulary does not declare, so no record has it",
                            Quoted(name)
                        ),
                    });
                }
            } else if satisfiable(&b.condition) == Sat::Yes && own_sat == Sat::No {
                let field = if *anchor == Anchor::Created {
                    "opened_at"
                } else {
                    "updated_at"
                };
                out.push(Finding::NoDeadline {
                    rule: b.id.clone(),
                    why: format!(
                        "it counts from {field}, and its condition holds only when {field} is empty"
                    ),
                });
            }
            if let Some(c) = calendar {
                if !vocabulary.calendars.is_empty() && !vocabulary.calendars.contains(c) {
                    out.push(Finding::UnknownCalendar {
                        rule: b.id.clone(),
                        calendar: c.clone(),
                    });
                }
            }
        }
        unknown_names(set, b, &mut out);
        if set.mode() == Mode::FirstMatch || b.stop {
            winners.add(i, required_of(i));
        }
    }
    // Conflicts: two rules that can both fire in one evaluation and set a field to
    // different values: in one round (all-matches mode, no stop flag in between, triggers
    // that one event can share, conditions that can hold together), or in a cascade (one
    // sets the field, which the other watches and still matches with that value; when each
    // re-triggers the other, the cycle finding says it instead).
    let mut numbers: BTreeMap<(ViewField, Option<String>), u32> = BTreeMap::new();
    let mut field_numbers: BTreeMap<ViewField, u32> = BTreeMap::new();
    let sets_of: Vec<Vec<Change>> = rules
        .iter()
        .map(|r| {
            sets(set, r)
                .into_iter()
                .map(|(field, value)| {
                    let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
                    let id = *numbers
                        .entry((field.clone(), value.clone()))
                        .or_insert(next);
                    let next = u32::try_from(field_numbers.len()).unwrap_or(u32::MAX);
                    let field_id = *field_numbers.entry(field.clone()).or_insert(next);
                    Change {
                        field,
                        value,
                        id,
                        field_id,
                    }
                })
                .collect()
        })
        .collect();
    drop(numbers);
    drop(field_numbers);
    let no_sets = Vec::new();
    let sets_at = |i: usize| sets_of.get(i).unwrap_or(&no_sets);
    // Only the pairs that set one field to two values can conflict: rules are grouped by the
    // fields they set to a known value.
    let mut by_field: BTreeMap<&ViewField, Vec<usize>> = BTreeMap::new();
    let mut fields_of: Vec<Vec<&ViewField>> = Vec::with_capacity(rules.len());
    for (i, s) in sets_of.iter().enumerate() {
        let mut fields: Vec<&ViewField> = s
            .iter()
            .filter(|c| c.value.is_some())
            .map(|c| &c.field)
            .collect();
        fields.sort_unstable();
        fields.dedup();
        if alive.get(i) != Some(&true) {
            fields.clear();
        }
        for f in &fields {
            by_field.entry(*f).or_default().push(i);
        }
        fields_of.push(fields);
    }
    let mut able = Able {
        memo: vec![BTreeMap::new(); rules.len()],
    };
    // A pair can conflict in one round only when both can hold together (all-matches mode),
    // and in a cascade only when one of them watches the field: each rule's partners are
    // those, later in the list and on a shared field (`seen` marks those listed for this
    // rule), in order.
    let mut live = Compatible::new(&required);
    for (i, fields) in fields_of.iter().enumerate() {
        if !fields.is_empty() {
            live.add(i, required_of(i));
        }
    }
    let watches = |rule: &RuleSpec, field: &ViewField| matches!(&rule.when, Trigger::Updated { fields } if fields.is_empty() || fields.contains(field));
    let mut watchers: BTreeMap<&ViewField, Vec<usize>> = BTreeMap::new();
    for (f, members) in &by_field {
        let list = members
            .iter()
            .copied()
            .filter(|&j| rules.get(j).is_some_and(|r| watches(r, f)))
            .collect();
        watchers.insert(*f, list);
    }
    let mut seen: Vec<usize> = vec![usize::MAX; rules.len()];
    let mut partners: Vec<usize> = Vec::new();
    for (i, fields) in fields_of.iter().enumerate() {
        partners.clear();
        let Some(a) = rules.get(i) else { continue };
        let mut add = |j: usize, partners: &mut Vec<usize>| {
            if j > i && seen.get(j) != Some(&i) {
                if let Some(mark) = seen.get_mut(j) {
                    *mark = i;
                }
                partners.push(j);
            }
        };
        for f in fields {
            let list = if watches(a, f) {
                by_field.get(f)
            } else {
                watchers.get(f)
            };
            for &j in list.map(Vec::as_slice).unwrap_or(&[]) {
                add(j, &mut partners);
            }
        }
        if !fields.is_empty() && set.mode() == Mode::AllMatches && !a.stop {
            for j in live.candidates(required_of(i)) {
                add(j, &mut partners);
            }
        }
        partners.sort_unstable();
        for &j in &partners {
            let (Some(a), Some(b)) = (rules.get(i), rules.get(j)) else {
                continue;
            };
            let (sa, sb) = (sets_at(i), sets_at(j));
            // Numbers compared, not names: equal numbers are equal (field, value) pairs.
            let clash = sa.iter().find_map(|ca| {
                sb.iter().find_map(|cb| match (&ca.value, &cb.value) {
                    (Some(x), Some(y)) if ca.field_id == cb.field_id && ca.id != cb.id => {
                        Some((ca, cb, x, y))
                    }
                    _ => None,
                })
            });
            let Some((ca, cb, x, y)) = clash else {
                continue;
            };
            let same_round = set.mode() == Mode::AllMatches
                && !a.stop
                && overlap(&a.when, &b.when)
                && !required_of(i).disjoint(required_of(j))
                && satisfiable_all(vec![
                    (implied_of(i), true),
                    (&a.condition, true),
                    (implied_of(j), true),
                    (&b.condition, true),
                ]) == Sat::Yes;
            let ab = follows(&mut able, j, b, ca);
            let ba = follows(&mut able, i, a, cb);
            if same_round || (ab != ba) {
                out.push(Finding::Conflict {
                    first: a.id.clone(),
                    second: b.id.clone(),
                    field: ca.field.clone(),
                    first_value: x.clone(),
                    second_value: y.clone(),
                });
            }
        }
    }
    // Re-triggers: an edge a -> b when a's change triggers b with b able to match.
    // Only the rules watching a field that `a` sets can be re-triggered by it: live rules
    // by the fields their `updated` trigger watches, and those watching every field.
    let n = rules.len();
    let mut watching: BTreeMap<&ViewField, Vec<usize>> = BTreeMap::new();
    let mut watching_all: Vec<usize> = Vec::new();
    for (j, b) in rules.iter().enumerate() {
        if alive.get(j) != Some(&true) {
            continue;
        }
        if let Trigger::Updated { fields } = &b.when {
            if fields.is_empty() {
                watching_all.push(j);
            }
            let mut fields: Vec<&ViewField> = fields.iter().collect();
            fields.sort_unstable();
            fields.dedup();
            for f in fields {
                watching.entry(f).or_default().push(j);
            }
        }
    }
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut watchers_of_a: Vec<usize> = Vec::new();
    for i in 0..n {
        if alive.get(i) != Some(&true) {
            continue;
        }
        watchers_of_a.clear();
        watchers_of_a.extend_from_slice(&watching_all);
        for c in sets_at(i) {
            watchers_of_a.extend(watching.get(&c.field).map(Vec::as_slice).unwrap_or(&[]));
        }
        watchers_of_a.sort_unstable();
        watchers_of_a.dedup();
        for &j in &watchers_of_a {
            let Some(b) = rules.get(j) else { continue };
            if let Some(field) = retriggers(&mut able, sets_at(i), j, b) {
                if i == j {
                    if let Some(a) = rules.get(i) {
                        out.push(Finding::SelfRetrigger {
                            rule: a.id.clone(),
                            field,
                        });
                    }
                } else if let Some(e) = edges.get_mut(i) {
                    e.push(j);
                }
            }
        }
    }
    let mut reported: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..n {
        if let Some(cycle) = shortest_cycle(&edges, start) {
            let mut key = cycle.clone();
            key.sort_unstable();
            if reported.insert(key) {
                out.push(Finding::Cycle {
                    rules: cycle
                        .iter()
                        .filter_map(|i| rules.get(*i).map(|r| r.id.clone()))
                        .collect(),
                });
            }
        }
    }
    out
}

/// Per field: the rules by required value, and those that do not constrain the field.
type FieldIndex = BTreeMap<ViewField, (BTreeMap<String, Vec<usize>>, Vec<usize>)>;

/// Rules indexed by the values they require of each field, so that a rule is compared only
/// with those that can hold together with it: a routing table whose rules each require
/// their own classification compares each rule with none, where every pair was compared.
/// The checker keeps one of the earlier rules that can win (first-match mode, or a stop
/// flag), for shadowing, and one of every live rule, for conflicts in one round.
struct Compatible {
    /// Every rule added, in order.
    all: Vec<usize>,
    /// Per field some rule requires: the rules by required value, and those that do not
    /// constrain the field. `None` past 64 such fields (the lists would cost more than
    /// they save): every rule is a candidate then.
    index: Option<FieldIndex>,
}

impl Compatible {
    fn new(required: &[Requirements]) -> Self {
        let keys: BTreeSet<ViewField> = required
            .iter()
            .flat_map(|r| r.iter().map(|(field, _)| field.clone()))
            .collect();
        let index = (keys.len() <= 64).then(|| {
            keys.into_iter()
                .map(|k| (k, (BTreeMap::new(), Vec::new())))
                .collect()
        });
        Compatible {
            all: Vec::new(),
            index,
        }
    }

    fn add(&mut self, rule: usize, required: &Requirements) {
        self.all.push(rule);
        let Some(index) = &mut self.index else { return };
        for (key, (by_value, free)) in index.iter_mut() {
            match required.get(key) {
                Some(values) => {
                    for v in values {
                        by_value.entry(v.clone()).or_default().push(rule);
                    }
                }
                None => free.push(rule),
            }
        }
    }

    /// The rules added that may hold together with a rule requiring `required`, in order (a
    /// superset: each is still checked). Of the fields the rule requires, the one whose
    /// lists are shortest is used.
    fn candidates(&self, required: &Requirements) -> Vec<usize> {
        let Some(index) = &self.index else {
            return self.all.clone();
        };
        let lists = |key: &ViewField| {
            let (by_value, free) = index.get(key)?;
            let values = required.get(key)?;
            let mut lists = vec![free.as_slice()];
            lists.extend(
                values
                    .iter()
                    .filter_map(|v| by_value.get(v).map(Vec::as_slice)),
            );
            Some(lists)
        };
        let best = required
            .iter()
            .filter_map(|(key, _)| lists(key))
            .min_by_key(|lists| lists.iter().map(|l| l.len()).sum::<usize>());
        let Some(best) = best else {
            return self.all.clone();
        };
        let mut out: Vec<usize> = best.concat();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The shortest cycle through `start` using only nodes numbered `start` or higher (so each
/// cycle is found from its smallest node once).
fn shortest_cycle(edges: &[Vec<usize>], start: usize) -> Option<Vec<usize>> {
    let mut parent: Vec<Option<usize>> = vec![None; edges.len()];
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        for &v in edges.get(u)? {
            if v < start {
                continue;
            }
            if v == start {
                let mut path = vec![u];
                let mut at = u;
                while at != start {
                    at = (*parent.get(at)?)?;
                    path.push(at);
                }
                path.reverse();
                return Some(path);
            }
            if parent.get(v)?.is_none() {
                *parent.get_mut(v)? = Some(u);
                queue.push_back(v);
            }
        }
    }
    None
}

fn unknown_names(set: &RuleSet, rule: &RuleSpec, out: &mut Vec<Finding>) {
    let voc = &set.spec().vocabulary;
    let mut groups = BTreeSet::new();
    let mut states = BTreeSet::new();
    let mut fields = BTreeSet::new();
    walk(&rule.condition, &mut groups, &mut states, &mut fields);
    match &rule.when {
        Trigger::Updated { fields: watched } => {
            for f in watched {
                if let ViewField::Field(n) = f {
                    fields.insert(n.clone());
                }
            }
        }
        Trigger::StateEntered { states: s } => states.extend(s.iter().cloned()),
        Trigger::Burst {
            per: ViewField::Field(n),
            ..
        } => _ = fields.insert(n.clone()),
        _ => {}
    }
    for a in &rule.actions {
        match a {
            Action::AssignGroup(g) => _ = groups.insert(g.clone()),
            Action::AssignFrom(p) => {
                if let Some(g) = set.spec().pools.get(p).and_then(|p| p.group.clone()) {
                    groups.insert(g);
                }
            }
            Action::SetField { field, .. } => _ = fields.insert(field.clone()),
            _ => {}
        }
    }
    if !voc.groups.is_empty() {
        for g in groups.into_iter().filter(|g| !voc.groups.contains(g)) {
            out.push(Finding::UnknownGroup {
                rule: rule.id.clone(),
                group: g,
            });
        }
    }
    if !voc.states.is_empty() {
        for s in states.into_iter().filter(|s| !voc.states.contains(s)) {
            out.push(Finding::UnknownState {
                rule: rule.id.clone(),
                state: s,
            });
        }
    }
    if !voc.fields.is_empty() {
        for f in fields.into_iter().filter(|f| !voc.fields.contains(f)) {
            out.push(Finding::UnknownField {
                rule: rule.id.clone(),
                field: f,
            });
        }
    }
}

fn walk(
    c: &Condition,
    groups: &mut BTreeSet<String>,
    states: &mut BTreeSet<String>,
    fields: &mut BTreeSet<String>,
) {
    match c {
        Condition::GroupIn(v) => groups.extend(v.iter().cloned()),
        Condition::StateIn(v) => states.extend(v.iter().cloned()),
        Condition::FieldIn { field, .. } | Condition::IsSet(ViewField::Field(field)) => {
            fields.insert(field.clone());
        }
        Condition::All(cs) | Condition::Any(cs) => {
            cs.iter().for_each(|c| walk(c, groups, states, fields));
        }
        Condition::Not(c) => walk(c, groups, states, fields),
        _ => {}
    }
}
