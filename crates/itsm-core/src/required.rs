//! What a condition requires of a ticket's fields, read without a search.

use std::collections::{BTreeMap, BTreeSet};

use crate::view::{Condition, ViewField};

/// The values some fields must take for a set of conditions to hold (or fail, as asked),
/// read from their top-level conjunction only: the parts of an `all` that must hold, of an
/// `any` that must fail, through any number of `not`s. Values are the ones the lists name,
/// as text (a category by its name, a level by its digits).
///
/// It is a quick and sound test that two sets of conditions cannot hold together: every list
/// test is false on a ticket without the field, so a required list is a list the field's
/// value must be in, and two requirements with no common value for a field exclude each
/// other ([`Requirements::disjoint`]). It never claims more: a field constrained only
/// inside an `any` is not required.
///
/// ```
/// use itsm_core::{Condition, Requirements, ViewField};
///
/// let p1_network = Condition::All(vec![
///     Condition::PriorityIn(vec![1]),
///     Condition::ClassificationIn(vec!["network".into(), "wifi".into()]),
/// ]);
/// let storage = Condition::ClassificationIn(vec!["storage".into()]);
/// let a = Requirements::of(&p1_network);
/// assert_eq!(a.get(&ViewField::Priority).map(|v| v.len()), Some(1));
/// assert!(a.disjoint(&Requirements::of(&storage)));
/// // Inside an `any`, nothing is required.
/// let either = Condition::Any(vec![storage, Condition::PriorityIn(vec![2])]);
/// assert!(Requirements::of(&either).is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirements {
    fields: BTreeMap<ViewField, BTreeSet<String>>,
}

impl Requirements {
    /// What `condition` requires for it to hold.
    pub fn of(condition: &Condition) -> Self {
        Self::of_all(&[(condition, true)])
    }

    /// What `goals` require together: `(c, true)` asks that `c` holds, `(c, false)` that it
    /// fails. A field required by several goals must take a value every list names.
    pub fn of_all(goals: &[(&Condition, bool)]) -> Self {
        let mut fields: BTreeMap<ViewField, BTreeSet<String>> = BTreeMap::new();
        let mut todo: Vec<(&Condition, bool)> = goals.to_vec();
        while let Some((c, holds)) = todo.pop() {
            match (c, holds) {
                (Condition::Not(inner), h) => todo.push((inner, !h)),
                (Condition::All(parts), true) | (Condition::Any(parts), false) => {
                    todo.extend(parts.iter().map(|p| (p, holds)));
                }
                (other, true) => {
                    if let Some((field, values)) = list(other) {
                        match fields.entry(field) {
                            std::collections::btree_map::Entry::Vacant(v) => {
                                v.insert(values);
                            }
                            std::collections::btree_map::Entry::Occupied(mut o) => {
                                o.get_mut().retain(|v| values.contains(v));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Requirements { fields }
    }

    /// Whether some field must take a value from two lists with nothing in common: then no
    /// ticket meets both requirements.
    pub fn disjoint(&self, other: &Requirements) -> bool {
        self.fields.iter().any(|(field, mine)| {
            other
                .fields
                .get(field)
                .is_some_and(|theirs| mine.iter().all(|v| !theirs.contains(v)))
        })
    }

    /// The values `field` must take, when it is required (an empty set: no value will do).
    pub fn get(&self, field: &ViewField) -> Option<&BTreeSet<String>> {
        self.fields.get(field)
    }

    /// The required fields, in order, with their values.
    pub fn iter(&self) -> impl Iterator<Item = (&ViewField, &BTreeSet<String>)> + '_ {
        self.fields.iter()
    }

    /// Whether no field is required.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// The field and values of a list test; `None` for any other condition.
fn list(c: &Condition) -> Option<(ViewField, BTreeSet<String>)> {
    fn text(v: &[String]) -> BTreeSet<String> {
        v.iter().cloned().collect()
    }
    fn levels(v: &[u8]) -> BTreeSet<String> {
        v.iter().map(u8::to_string).collect()
    }
    Some(match c {
        Condition::StateIn(v) => (ViewField::State, text(v)),
        Condition::CategoryIn(v) => (
            ViewField::Category,
            v.iter().map(|c| c.name().to_owned()).collect(),
        ),
        Condition::PriorityIn(v) => (ViewField::Priority, levels(v)),
        Condition::ImpactIn(v) => (ViewField::Impact, levels(v)),
        Condition::UrgencyIn(v) => (ViewField::Urgency, levels(v)),
        Condition::GroupIn(v) => (ViewField::Group, text(v)),
        Condition::ClassificationIn(v) => (ViewField::Classification, text(v)),
        Condition::ServiceIn(v) => (ViewField::Service, text(v)),
        Condition::ConfigItemIn(v) => (ViewField::ConfigItem, text(v)),
        Condition::AssigneeIn(v) => (ViewField::Assignee, text(v)),
        Condition::FieldIn { field, values } => (ViewField::Field(field.clone()), text(values)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_through_nots_and_failing_anys() {
        // not(any(not(priority 1), group a)) = priority 1 and not group a.
        let c = Condition::Not(Box::new(Condition::Any(vec![
            Condition::Not(Box::new(Condition::PriorityIn(vec![1]))),
            Condition::GroupIn(vec!["a".into()]),
        ])));
        let r = Requirements::of(&c);
        let fields: Vec<&ViewField> = r.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec![&ViewField::Priority]);
        assert_eq!(
            r.get(&ViewField::Priority),
            Some(&BTreeSet::from(["1".to_owned()]))
        );
    }

    #[test]
    fn goals_intersect_and_failing_goals_require_nothing() {
        let a = Condition::ServiceIn(vec!["mail".into(), "web".into()]);
        let b = Condition::ServiceIn(vec!["web".into(), "db".into()]);
        let r = Requirements::of_all(&[(&a, true), (&b, true), (&a, false)]);
        assert_eq!(
            r.get(&ViewField::Service),
            Some(&BTreeSet::from(["web".to_owned()]))
        );
        let none = Requirements::of_all(&[(&a, false)]);
        assert!(none.is_empty());
        assert!(!r.disjoint(&none) && !none.disjoint(&r));
        let c = Requirements::of(&Condition::ServiceIn(vec!["db".into()]));
        assert!(r.disjoint(&c) && c.disjoint(&r));
    }
}
