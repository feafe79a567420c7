//! Satisfiability of conditions, exactly as `Condition::eval_at` reads them with an
//! instant: a tableau over the condition tree with one constraint per view field.
//!
//! Every field is independent in a view, so a conjunction of tests is satisfiable exactly
//! when each field's tests are: the values a field may take (the intersection of its `in`
//! lists, minus the lists it must avoid, or anything when it has no `in` list), whether it
//! must be set or empty, and for the two time tests an interval of ages. A disjunction (an
//! `any` that must hold, an `all` that must fail) waits until every conjunction and single
//! test has been absorbed; it is then narrowed by what the store allows: settled when one of
//! its tests must already hold, reduced to one part (no branch) when the store rules out
//! the others, and only branched on when two or more parts are left, the narrowest first.
//! So "this rule, with every earlier rule failing", hundreds of earlier rules, takes a step
//! or two per rule where branching on each was exponential. A budget of steps (a branch's
//! copy of the waiting disjunctions counted) and a depth limit keep the search bounded: past
//! them the answer is [`Sat::Unknown`], and the checker then reports nothing rather than
//! guess.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use itsm_core::{Category, Condition, ViewField};

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sat {
    /// Some view satisfies it.
    Yes,
    /// None does.
    No,
    /// The search gave up.
    Unknown,
}

const MAX_STEPS: u32 = 200_000;
const MAX_DEPTH: u32 = 400;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    State,
    Category,
    Priority,
    Impact,
    Urgency,
    Classification,
    Service,
    ConfigItem,
    Group,
    Assignee,
    Field(String),
}

impl Key {
    /// The size of a finite domain; `None`: unbounded (strings).
    fn domain(&self) -> Option<usize> {
        match self {
            Key::Category => Some(Category::ALL.len()),
            Key::Priority | Key::Impact | Key::Urgency => Some(256),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Text {
    allowed: Option<BTreeSet<String>>,
    denied: BTreeSet<String>,
    set: Option<bool>,
}

#[derive(Debug, Clone, Default)]
struct Age {
    set: Option<bool>,
    at_least: Option<Duration>,
    below: Option<Duration>,
}

#[derive(Debug, Clone, Default)]
struct Store {
    text: BTreeMap<Key, Text>,
    age: Age,
    idle: Age,
}

fn text_ok(key: &Key, t: &Text) -> bool {
    let must_be_set = t.set == Some(true) || *key == Key::State;
    if t.set == Some(false) && (t.allowed.is_some() || *key == Key::State) {
        return false;
    }
    match &t.allowed {
        Some(allowed) => allowed.iter().any(|v| !t.denied.contains(v)),
        None if must_be_set => key.domain().is_none_or(|n| t.denied.len() < n),
        None => true,
    }
}

fn age_ok(a: &Age) -> bool {
    if a.set == Some(false) && a.at_least.is_some() {
        return false;
    }
    if a.set == Some(true) || a.at_least.is_some() {
        return match (a.at_least, a.below) {
            (Some(l), Some(h)) => l < h,
            _ => true,
        };
    }
    true
}

fn key_of(field: &ViewField) -> Option<Key> {
    Some(match field {
        ViewField::State => Key::State,
        ViewField::Category => Key::Category,
        ViewField::Priority => Key::Priority,
        ViewField::Impact => Key::Impact,
        ViewField::Urgency => Key::Urgency,
        ViewField::Classification => Key::Classification,
        ViewField::Service => Key::Service,
        ViewField::ConfigItem => Key::ConfigItem,
        ViewField::Group => Key::Group,
        ViewField::Assignee => Key::Assignee,
        ViewField::Field(n) => Key::Field(n.clone()),
        _ => return None,
    })
}

enum Atom {
    In(Key, BTreeSet<String>),
    Set(Key),
    AgeSet,
    IdleSet,
    Age(Duration),
    Idle(Duration),
}

fn atom(c: &Condition) -> Option<Atom> {
    fn strings(v: &[String]) -> BTreeSet<String> {
        v.iter().cloned().collect()
    }
    fn levels(v: &[u8]) -> BTreeSet<String> {
        v.iter().map(u8::to_string).collect()
    }
    Some(match c {
        Condition::StateIn(v) => Atom::In(Key::State, strings(v)),
        Condition::CategoryIn(v) => Atom::In(
            Key::Category,
            v.iter().map(|c| c.name().to_owned()).collect(),
        ),
        Condition::PriorityIn(v) => Atom::In(Key::Priority, levels(v)),
        Condition::ImpactIn(v) => Atom::In(Key::Impact, levels(v)),
        Condition::UrgencyIn(v) => Atom::In(Key::Urgency, levels(v)),
        Condition::GroupIn(v) => Atom::In(Key::Group, strings(v)),
        Condition::ClassificationIn(v) => Atom::In(Key::Classification, strings(v)),
        Condition::ServiceIn(v) => Atom::In(Key::Service, strings(v)),
        Condition::ConfigItemIn(v) => Atom::In(Key::ConfigItem, strings(v)),
        Condition::AssigneeIn(v) => Atom::In(Key::Assignee, strings(v)),
        Condition::FieldIn { field, values } => {
            Atom::In(Key::Field(field.clone()), strings(values))
        }
        Condition::IsSet(ViewField::OpenedAt) => Atom::AgeSet,
        Condition::IsSet(ViewField::UpdatedAt) => Atom::IdleSet,
        Condition::IsSet(f) => Atom::Set(key_of(f)?),
        Condition::AgeAtLeast(d) => Atom::Age(*d),
        Condition::IdleAtLeast(d) => Atom::Idle(*d),
        _ => return None,
    })
}

impl Text {
    /// Applies a test on this field; false when the field can then take no value.
    fn apply(&mut self, key: &Key, values: Option<&BTreeSet<String>>, holds: bool) -> bool {
        match values {
            Some(values) => {
                if holds {
                    self.allowed = Some(match self.allowed.take() {
                        Some(a) => a.intersection(values).cloned().collect(),
                        None => values.clone(),
                    });
                } else {
                    self.denied.extend(values.iter().cloned());
                }
            }
            None => {
                if self.set.is_some_and(|s| s != holds) {
                    return false;
                }
                self.set = Some(holds);
            }
        }
        text_ok(key, self)
    }

    /// Whether [`Text::apply`] would leave the field a value, without applying it (no copy
    /// of the field's lists).
    fn allows(&self, key: &Key, values: Option<&BTreeSet<String>>, holds: bool) -> bool {
        let state = *key == Key::State;
        match values {
            None => {
                if self.set.is_some_and(|s| s != holds)
                    || (!holds && (self.allowed.is_some() || state))
                {
                    return false;
                }
                match &self.allowed {
                    Some(a) => a.iter().any(|v| !self.denied.contains(v)),
                    None if holds || state => key.domain().is_none_or(|n| self.denied.len() < n),
                    None => true,
                }
            }
            Some(values) if holds => {
                self.set != Some(false)
                    && values.iter().any(|v| {
                        self.allowed.as_ref().is_none_or(|a| a.contains(v))
                            && !self.denied.contains(v)
                    })
            }
            Some(values) => {
                if self.set == Some(false) && (self.allowed.is_some() || state) {
                    return false;
                }
                match &self.allowed {
                    Some(a) => a
                        .iter()
                        .any(|v| !self.denied.contains(v) && !values.contains(v)),
                    None if self.set == Some(true) || state => key
                        .domain()
                        .is_none_or(|n| self.denied.union(values).count() < n),
                    None => true,
                }
            }
        }
    }
}

impl Age {
    /// Applies a test on this age (`at_least`: `None` tests whether it is set).
    fn apply(&mut self, at_least: Option<Duration>, holds: bool) -> bool {
        match at_least {
            None => {
                if self.set.is_some_and(|s| s != holds) {
                    return false;
                }
                self.set = Some(holds);
            }
            Some(d) => {
                if holds {
                    self.at_least = Some(self.at_least.map_or(d, |l| l.max(d)));
                } else {
                    self.below = Some(self.below.map_or(d, |h| h.min(d)));
                }
            }
        }
        age_ok(self)
    }
}

impl Store {
    /// Adds a test (`holds`: it must hold; else it must fail); false when that makes the
    /// store unsatisfiable.
    fn add(&mut self, atom: &Atom, holds: bool) -> bool {
        match atom {
            Atom::In(key, values) => {
                let t = self.text.entry(key.clone()).or_default();
                t.apply(key, Some(values), holds)
            }
            Atom::Set(key) => {
                let t = self.text.entry(key.clone()).or_default();
                t.apply(key, None, holds)
            }
            Atom::AgeSet => self.age.apply(None, holds),
            Atom::IdleSet => self.idle.apply(None, holds),
            Atom::Age(d) => self.age.apply(Some(*d), holds),
            Atom::Idle(d) => self.idle.apply(Some(*d), holds),
        }
    }

    /// Whether the test could be added (the store left as it is, nothing copied but an
    /// age's bounds).
    fn allows(&self, atom: &Atom, holds: bool) -> bool {
        match atom {
            Atom::In(key, values) => {
                self.text
                    .get(key)
                    .unwrap_or(&Text::default())
                    .allows(key, Some(values), holds)
            }
            Atom::Set(key) => self
                .text
                .get(key)
                .unwrap_or(&Text::default())
                .allows(key, None, holds),
            Atom::AgeSet => self.age.clone().apply(None, holds),
            Atom::IdleSet => self.idle.clone().apply(None, holds),
            Atom::Age(d) => self.age.clone().apply(Some(*d), holds),
            Atom::Idle(d) => self.idle.clone().apply(Some(*d), holds),
        }
    }
}

/// Whether `condition` can hold for some view (at some instant).
pub(crate) fn satisfiable(condition: &Condition) -> Sat {
    satisfiable_all(vec![(condition, true)])
}

/// Whether every goal can hold together (`(c, true)`: `c` holds; `(c, false)`: it fails),
/// without building a condition of them: callers pass borrowed parts, no copies.
pub(crate) fn satisfiable_all(goals: Vec<(&Condition, bool)>) -> Sat {
    let mut budget = MAX_STEPS;
    solve(Store::default(), goals, Vec::new(), &mut budget, 0)
}

/// What a choice (`any` that must hold, `all` that must fail) still allows, given the store.
enum Choice<'a> {
    /// One of its parts already holds for every view the store allows: nothing to choose.
    Met,
    /// The parts that can still hold (none: the choice fails).
    Open(Vec<(&'a Condition, bool)>),
}

/// Narrows a choice by the store: a part that is a single test the store rules out is
/// dropped, and a part whose opposite the store rules out settles the choice.
fn narrow<'a>(store: &Store, c: &'a Condition, holds: bool) -> Choice<'a> {
    let parts: &'a [Condition] = match c {
        Condition::Any(cs) | Condition::All(cs) => cs,
        _ => return Choice::Open(vec![(c, holds)]),
    };
    let mut open = Vec::with_capacity(parts.len());
    for part in parts {
        // `not` on a part flips what it must do; a test is read through any number of them.
        let (mut inner, mut h) = (part, holds);
        while let Condition::Not(x) = inner {
            inner = x;
            h = !h;
        }
        let simple = match (inner, h) {
            (Condition::Always, true) | (Condition::Never, false) => return Choice::Met,
            (Condition::Always, false) | (Condition::Never, true) => continue,
            (Condition::IsSet(ViewField::State), h) => {
                if h {
                    return Choice::Met;
                }
                continue;
            }
            (other, _) => atom(other),
        };
        match simple {
            Some(a) => {
                if !store.allows(&a, !h) {
                    return Choice::Met;
                }
                if store.allows(&a, h) {
                    open.push((inner, h));
                }
            }
            None => open.push((inner, h)),
        }
    }
    Choice::Open(open)
}

/// The search: conjunctions and single tests are absorbed into the store first; choices
/// wait in `deferred` until nothing else is left, are then narrowed by the store (settled,
/// reduced to one part, or failed without a branch), and only a choice with two or more
/// parts left branches, the one with the fewest first.
fn solve<'a>(
    mut store: Store,
    mut goals: Vec<(&'a Condition, bool)>,
    mut deferred: Vec<(&'a Condition, bool)>,
    budget: &mut u32,
    depth: u32,
) -> Sat {
    if depth > MAX_DEPTH {
        return Sat::Unknown;
    }
    loop {
        let Some((c, holds)) = goals.pop() else {
            if deferred.is_empty() {
                return Sat::Yes;
            }
            // Narrow every waiting choice; a forced part becomes a goal.
            let mut best: Option<(usize, Vec<(&'a Condition, bool)>)> = None;
            let mut i = 0;
            while let Some(&(c, holds)) = deferred.get(i) {
                // Narrowing reads every part: a step, and one more per 16 parts (so that a
                // choice of thousands of parts, narrowed again after every branch, counts).
                let parts = match c {
                    Condition::Any(cs) | Condition::All(cs) => cs.len(),
                    _ => 1,
                };
                let cost = u32::try_from(1 + parts / 16).unwrap_or(u32::MAX);
                if *budget < cost {
                    return Sat::Unknown;
                }
                *budget -= cost;
                match narrow(&store, c, holds) {
                    Choice::Met => {
                        deferred.swap_remove(i);
                    }
                    Choice::Open(open) => match open.as_slice() {
                        [] => return Sat::No,
                        [one] => {
                            goals.push(*one);
                            deferred.swap_remove(i);
                        }
                        _ => {
                            if best.as_ref().is_none_or(|(_, b)| open.len() < b.len()) {
                                best = Some((i, open));
                            }
                            i += 1;
                        }
                    },
                }
            }
            if !goals.is_empty() {
                continue;
            }
            let Some((at, open)) = best else {
                return Sat::Yes;
            };
            deferred.swap_remove(at);
            let mut unknown = false;
            for part in open {
                // Each branch copies what is left: counted against the budget.
                let cost = u32::try_from(deferred.len()).unwrap_or(u32::MAX);
                *budget = budget.saturating_sub(cost);
                match solve(
                    store.clone(),
                    vec![part],
                    deferred.clone(),
                    budget,
                    depth.saturating_add(1),
                ) {
                    Sat::Yes => return Sat::Yes,
                    Sat::Unknown => unknown = true,
                    Sat::No => {}
                }
                if *budget == 0 {
                    return Sat::Unknown;
                }
            }
            return if unknown { Sat::Unknown } else { Sat::No };
        };
        if *budget == 0 {
            return Sat::Unknown;
        }
        *budget -= 1;
        match (c, holds) {
            (Condition::Always, true) | (Condition::Never, false) => {}
            (Condition::Always, false) | (Condition::Never, true) => return Sat::No,
            (Condition::Not(inner), h) => goals.push((inner, !h)),
            (Condition::All(cs), true) | (Condition::Any(cs), false) => {
                goals.extend(cs.iter().map(|c| (c, holds)));
            }
            (Condition::All(_), false) | (Condition::Any(_), true) => deferred.push((c, holds)),
            (Condition::IsSet(ViewField::State), h) => {
                if !h {
                    return Sat::No;
                }
            }
            (other, h) => match atom(other) {
                Some(a) => {
                    if !store.add(&a, h) {
                        return Sat::No;
                    }
                }
                // A test this checker does not know (a later itsm-core's): give up.
                None => return Sat::Unknown,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// `allows` answers as applying the test to a copy does, over every combination of a
    /// small field's constraint and test (a finite field, a free text field and the state).
    #[test]
    fn allows_agrees_with_apply() {
        let lists: Vec<Option<BTreeSet<String>>> = vec![
            None,
            Some(BTreeSet::new()),
            Some(["1".to_owned()].into()),
            Some(["1".to_owned(), "2".to_owned()].into()),
        ];
        let denials: Vec<BTreeSet<String>> = vec![
            BTreeSet::new(),
            ["1".to_owned()].into(),
            ["2".to_owned(), "3".to_owned()].into(),
            (0..256).map(|i| i.to_string()).collect(),
        ];
        let mut checked = 0;
        for key in [Key::Priority, Key::Group, Key::State] {
            for allowed in &lists {
                for denied in &denials {
                    for set in [None, Some(true), Some(false)] {
                        let t = Text {
                            allowed: allowed.clone(),
                            denied: denied.clone(),
                            set,
                        };
                        for values in lists.iter().map(Option::as_ref) {
                            for holds in [true, false] {
                                let want = t.clone().apply(&key, values, holds);
                                assert_eq!(
                                    t.allows(&key, values, holds),
                                    want,
                                    "{key:?} {t:?} {values:?} {holds}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 4 * 4 * 3 * 4 * 2);
    }
}
