//! Satisfiability of conditions, exactly as `Condition::eval_at` reads them with an
//! instant: a tableau over the condition tree with one constraint per view field.
//!
//! Every field is independent in a view, so a conjunction of tests is satisfiable exactly
//! when each field's tests are: the values a field may take (the intersection of its `in`
//! lists, minus the lists it must avoid, or anything when it has no `in` list), whether it
//! must be set or empty, and for the two time tests an interval of ages. Each disjunction
//! branches. A budget of steps and a depth limit keep the search bounded: past them the
//! answer is [`Sat::Unknown`], and the checker then reports nothing rather than guess.

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

impl Store {
    /// Adds a test (`holds`: it must hold; else it must fail); false when that makes the
    /// store unsatisfiable.
    fn add(&mut self, atom: Atom, holds: bool) -> bool {
        match atom {
            Atom::In(key, values) => {
                let t = self.text.entry(key.clone()).or_default();
                if holds {
                    t.allowed = Some(match t.allowed.take() {
                        Some(a) => a.intersection(&values).cloned().collect(),
                        None => values,
                    });
                } else {
                    t.denied.extend(values);
                }
                text_ok(&key, t)
            }
            Atom::Set(key) => {
                let t = self.text.entry(key.clone()).or_default();
                if t.set.is_some_and(|s| s != holds) {
                    return false;
                }
                t.set = Some(holds);
                text_ok(&key, t)
            }
            Atom::AgeSet | Atom::IdleSet => {
                let a = if matches!(atom, Atom::AgeSet) {
                    &mut self.age
                } else {
                    &mut self.idle
                };
                if a.set.is_some_and(|s| s != holds) {
                    return false;
                }
                a.set = Some(holds);
                age_ok(a)
            }
            Atom::Age(d) | Atom::Idle(d) => {
                let a = if matches!(atom, Atom::Age(_)) {
                    &mut self.age
                } else {
                    &mut self.idle
                };
                if holds {
                    a.at_least = Some(a.at_least.map_or(d, |l| l.max(d)));
                } else {
                    a.below = Some(a.below.map_or(d, |h| h.min(d)));
                }
                age_ok(a)
            }
        }
    }
}

/// Whether `condition` can hold for some view (at some instant).
pub(crate) fn satisfiable(condition: &Condition) -> Sat {
    let mut budget = MAX_STEPS;
    solve(Store::default(), vec![(condition, true)], &mut budget, 0)
}

fn solve(
    mut store: Store,
    mut goals: Vec<(&Condition, bool)>,
    budget: &mut u32,
    depth: u32,
) -> Sat {
    if depth > MAX_DEPTH {
        return Sat::Unknown;
    }
    while let Some((c, holds)) = goals.pop() {
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
            (Condition::All(cs), false) | (Condition::Any(cs), true) => {
                let mut unknown = false;
                for part in cs {
                    let mut branch = goals.clone();
                    branch.push((part, holds));
                    match solve(store.clone(), branch, budget, depth.saturating_add(1)) {
                        Sat::Yes => return Sat::Yes,
                        Sat::Unknown => unknown = true,
                        Sat::No => {}
                    }
                }
                return if unknown { Sat::Unknown } else { Sat::No };
            }
            (Condition::IsSet(ViewField::State), h) => {
                if !h {
                    return Sat::No;
                }
            }
            (other, h) => match atom(other) {
                Some(a) => {
                    if !store.add(a, h) {
                        return Sat::No;
                    }
                }
                // A test this checker does not know (a later itsm-core's): give up.
                None => return Sat::Unknown,
            },
        }
    }
    Sat::Yes
}
