//! The one predicate language of itsm-rs: a practice-neutral [`TicketView`] of a record and
//! the [`Condition`]s over it that SLA definitions (`itsm-sla`) and automation rules
//! (`itsm-rules`) share.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::lifecycle::Category;

/// A practice-neutral view of a ticket (incident, request, change, a row of a foreign log)
/// at one moment: what conditions look at. Hosts build it from their records.
///
/// It may gain fields (`#[non_exhaustive]`): start from [`TicketView::new`] (or
/// [`TicketView::default`]) and set the public fields. In JSON every field is optional, and
/// the fields added for automation rules (`impact` to `updated_at`) are left out when empty,
/// so the views SLA hosts stored before read and write unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TicketView {
    /// The state, as the practice or vendor names it.
    pub state: String,
    /// What the state means, when known (the state's category, not the ticket's
    /// [`classification`](Self::classification)).
    pub category: Option<Category>,
    /// The priority level.
    pub priority: Option<u8>,
    /// The assignment group.
    pub group: Option<String>,
    /// Any other named field.
    pub fields: BTreeMap<String, String>,
    /// Named timestamps (for an SLA's retroactive start, for example `opened_at`).
    pub times: BTreeMap<String, DateTime<Utc>>,
    /// The impact level.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub impact: Option<u8>,
    /// The urgency level.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub urgency: Option<u8>,
    /// The ticket's category as the tool names it (ServiceNow's `category`, GLPI's ITIL
    /// category): what the ticket is about. Called `classification` because `category` is
    /// the state's meaning.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub classification: Option<String>,
    /// The affected service.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub service: Option<String>,
    /// The affected configuration item.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub config_item: Option<String>,
    /// The assigned person.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub assignee: Option<String>,
    /// When the ticket was opened (what [`Condition::AgeAtLeast`] measures from).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub opened_at: Option<DateTime<Utc>>,
    /// When the ticket was last updated (what [`Condition::IdleAtLeast`] measures from).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub updated_at: Option<DateTime<Utc>>,
    /// The ticket as it was before this change, what the change tests
    /// ([`Condition::Changes`], [`Condition::ChangesTo`], [`Condition::ChangesFrom`]) compare
    /// with. `None`: nothing is known of a change, so those tests are false. For a ticket's
    /// first view pass an empty one (`Some(Box::default())`), so the fields set at creation
    /// count as changed, as ServiceNow's "changes" does on insert. Its own `previous` (and
    /// their [`updated_at`](Self::updated_at)) may carry more history, which an SLA's
    /// retroactive pause reads; a host that needs neither leaves it empty.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub previous: Option<Box<TicketView>>,
}

impl TicketView {
    /// A ticket in `state`, whose meaning is `category`; every other field empty.
    ///
    /// ```
    /// use itsm_core::{Category, TicketView};
    ///
    /// let mut view = TicketView::new("on_hold", Category::Pending);
    /// view.priority = Some(2);
    /// view.fields.insert("vip".into(), "yes".into());
    /// assert_eq!(view.category, Some(Category::Pending));
    /// ```
    pub fn new(state: impl Into<String>, category: Category) -> Self {
        TicketView {
            state: state.into(),
            category: Some(category),
            ..TicketView::default()
        }
    }

    /// The value of `field` as text (`None` when empty): levels as their number, categories
    /// by name, instants in RFC 3339.
    ///
    /// ```
    /// use itsm_core::{Category, TicketView, ViewField};
    ///
    /// let mut view = TicketView::new("new", Category::New);
    /// view.impact = Some(2);
    /// assert_eq!(view.get(&ViewField::Impact).as_deref(), Some("2"));
    /// assert_eq!(view.get(&ViewField::Category).as_deref(), Some("new"));
    /// assert_eq!(view.get(&ViewField::Assignee), None);
    /// ```
    pub fn get(&self, field: &ViewField) -> Option<String> {
        match field {
            ViewField::State => Some(self.state.clone()),
            ViewField::Category => self.category.map(|c| c.name().to_owned()),
            ViewField::Priority => self.priority.map(|p| p.to_string()),
            ViewField::Impact => self.impact.map(|p| p.to_string()),
            ViewField::Urgency => self.urgency.map(|p| p.to_string()),
            ViewField::Classification => self.classification.clone(),
            ViewField::Service => self.service.clone(),
            ViewField::ConfigItem => self.config_item.clone(),
            ViewField::Group => self.group.clone(),
            ViewField::Assignee => self.assignee.clone(),
            ViewField::OpenedAt => self.opened_at.map(|t| t.to_rfc3339()),
            ViewField::UpdatedAt => self.updated_at.map(|t| t.to_rfc3339()),
            ViewField::Field(name) => self.fields.get(name).cloned(),
        }
    }

    /// The value of `field` before and after this change, when it changed: `None` when it
    /// did not, or when the view has no [`previous`](Self::previous) to compare with.
    ///
    /// ```
    /// use itsm_core::{Category, TicketView, ViewField};
    ///
    /// let mut before = TicketView::new("new", Category::New);
    /// before.priority = Some(3);
    /// let mut now = before.clone();
    /// now.priority = Some(1);
    /// now.previous = Some(Box::new(before));
    /// assert_eq!(now.change(&ViewField::Priority), Some((Some("3".into()), Some("1".into()))));
    /// assert_eq!(now.change(&ViewField::State), None);
    /// ```
    pub fn change(&self, field: &ViewField) -> Option<(Option<String>, Option<String>)> {
        let previous = self.previous.as_ref()?;
        let (old, new) = (previous.get(field), self.get(field));
        (old != new).then_some((old, new))
    }
}

/// A field of a [`TicketView`], by name. In JSON: `"priority"`, `"assignee"`, ... or
/// `{"field": "vip"}` for a named field.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum ViewField {
    /// [`TicketView::state`].
    State,
    /// [`TicketView::category`] (the state's category).
    Category,
    /// [`TicketView::priority`].
    Priority,
    /// [`TicketView::impact`].
    Impact,
    /// [`TicketView::urgency`].
    Urgency,
    /// [`TicketView::classification`].
    Classification,
    /// [`TicketView::service`].
    Service,
    /// [`TicketView::config_item`].
    ConfigItem,
    /// [`TicketView::group`].
    Group,
    /// [`TicketView::assignee`].
    Assignee,
    /// [`TicketView::opened_at`].
    OpenedAt,
    /// [`TicketView::updated_at`].
    UpdatedAt,
    /// A key of [`TicketView::fields`].
    Field(String),
}

impl fmt::Display for ViewField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ViewField::State => "state",
            ViewField::Category => "category",
            ViewField::Priority => "priority",
            ViewField::Impact => "impact",
            ViewField::Urgency => "urgency",
            ViewField::Classification => "classification",
            ViewField::Service => "service",
            ViewField::ConfigItem => "config_item",
            ViewField::Group => "group",
            ViewField::Assignee => "assignee",
            ViewField::OpenedAt => "opened_at",
            ViewField::UpdatedAt => "updated_at",
            ViewField::Field(name) => return write!(f, "field `{}`", crate::Quoted(name)),
        };
        f.write_str(name)
    }
}

/// A condition over a [`TicketView`]: the predicate language SLA definitions and automation
/// rules share. In JSON: `"always"`, `{"state_in": ["new"]}`, `{"all": [...]}`,
/// `{"not": {...}}`, `{"age_at_least": "PT30M"}`, `{"is_set": "assignee"}`, ...
///
/// A test of a field the view leaves empty is false (documented on each variant), so its
/// negation is true.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Condition {
    /// Always true.
    Always,
    /// Never true.
    Never,
    /// The state is one of these.
    StateIn(Vec<String>),
    /// The state's category is one of these (false when the view has no category).
    CategoryIn(Vec<Category>),
    /// The priority is one of these (false when the view has no priority).
    PriorityIn(Vec<u8>),
    /// The assignment group is one of these (false when the view has no group).
    GroupIn(Vec<String>),
    /// A field has one of these values (false when the view lacks the field).
    FieldIn {
        /// The field.
        field: String,
        /// The values.
        values: Vec<String>,
    },
    /// Every condition holds (true for none).
    All(Vec<Condition>),
    /// Some condition holds (false for none).
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// The impact is one of these (false when the view has no impact).
    ImpactIn(Vec<u8>),
    /// The urgency is one of these (false when the view has no urgency).
    UrgencyIn(Vec<u8>),
    /// The ticket's classification is one of these (false when the view has none).
    ClassificationIn(Vec<String>),
    /// The service is one of these (false when the view has no service).
    ServiceIn(Vec<String>),
    /// The configuration item is one of these (false when the view has none).
    ConfigItemIn(Vec<String>),
    /// The assignee is one of these (false when nobody is assigned).
    AssigneeIn(Vec<String>),
    /// The field has a value (`{"not": {"is_set": "assignee"}}`: nobody is assigned).
    IsSet(ViewField),
    /// At least this long since [`TicketView::opened_at`] (false without an evaluation
    /// instant, see [`Condition::eval_at`], or without `opened_at`). In JSON an ISO 8601
    /// duration.
    AgeAtLeast(
        #[cfg_attr(feature = "serde", serde(with = "crate::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "crate::duration::schema")
        )]
        Duration,
    ),
    /// At least this long since [`TicketView::updated_at`] (false without an evaluation
    /// instant or without `updated_at`). In JSON an ISO 8601 duration.
    IdleAtLeast(
        #[cfg_attr(feature = "serde", serde(with = "crate::duration"))]
        #[cfg_attr(
            feature = "schemars",
            schemars(schema_with = "crate::duration::schema")
        )]
        Duration,
    ),
    /// The field changed in this update (ServiceNow's "changes"): its value differs from
    /// the one in [`TicketView::previous`] (false without a previous view). Unlike the
    /// tests of a value, it holds once, on the update that made the change, so a reset or a
    /// start on it fires once and not on every later update where the value still holds.
    Changes(ViewField),
    /// The field changed in this update to one of these values (ServiceNow's "changes to").
    /// Values are compared as [`TicketView::get`] writes them (levels as numbers).
    ChangesTo {
        /// The field.
        field: ViewField,
        /// The new values that count.
        values: Vec<String>,
    },
    /// The field changed in this update from one of these values (ServiceNow's "changes
    /// from"); an empty previous value matches no value.
    ChangesFrom {
        /// The field.
        field: ViewField,
        /// The old values that count.
        values: Vec<String>,
    },
}

/// The deepest nesting of `all`, `any` and `not` that the crates loading conditions accept
/// (automation rules, SLA definitions): deeper conditions are refused there, so that every
/// walk over a loaded condition (evaluation, explanation, checks, printing) stays within a
/// small, fixed depth of the call stack.
pub const MAX_CONDITION_DEPTH: usize = 64;

/// Dropping a condition takes its nested conditions apart one at a time, so a condition
/// nested a million deep (built in code; JSON stops at 128 levels) is dropped without one
/// call per level on the stack.
impl Drop for Condition {
    fn drop(&mut self) {
        crate::nested::drop_nested(self);
    }
}

impl crate::nested::Nested for Condition {
    fn take_nested(&mut self, out: &mut Vec<Self>) {
        match self {
            Condition::All(list) | Condition::Any(list) => out.append(list),
            Condition::Not(inner) => out.push(std::mem::replace(&mut **inner, Condition::Always)),
            _ => {}
        }
    }
}

impl Condition {
    /// How deep `all`, `any` and `not` nest: 1 for a condition without nesting. Computed
    /// without recursion.
    ///
    /// ```
    /// use itsm_core::Condition;
    ///
    /// let c = Condition::Not(Box::new(Condition::All(vec![Condition::Always, Condition::Never])));
    /// assert_eq!(c.depth(), 3);
    /// assert_eq!(Condition::Always.depth(), 1);
    /// ```
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&Condition, usize)> = vec![(self, 1)];
        while let Some((c, d)) = stack.pop() {
            deepest = deepest.max(d);
            match c {
                Condition::All(list) | Condition::Any(list) => {
                    stack.extend(list.iter().map(|x| (x, d.saturating_add(1))));
                }
                Condition::Not(inner) => stack.push((inner, d.saturating_add(1))),
                _ => {}
            }
        }
        deepest
    }

    /// Whether the condition holds for `view`, with no evaluation instant: the time tests
    /// ([`AgeAtLeast`](Condition::AgeAtLeast), [`IdleAtLeast`](Condition::IdleAtLeast)) are
    /// false. The same as `eval_at(view, None)`.
    ///
    /// ```
    /// use itsm_core::{Category, Condition, TicketView};
    ///
    /// let waiting = Condition::All(vec![
    ///     Condition::CategoryIn(vec![Category::Pending]),
    ///     Condition::Not(Box::new(Condition::StateIn(vec!["awaiting_change".into()]))),
    /// ]);
    /// assert!(waiting.eval(&TicketView::new("awaiting_caller", Category::Pending)));
    /// assert!(!waiting.eval(&TicketView::new("awaiting_change", Category::Pending)));
    /// ```
    pub fn eval(&self, view: &TicketView) -> bool {
        self.eval_at(view, None)
    }

    /// Whether the condition holds for `view` at `now` (the instant the time tests measure
    /// to; `None`: they are false).
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_core::{Category, Condition, TicketView, ViewField};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 2, h, 0, 0).unwrap();
    /// let stale_unassigned = Condition::All(vec![
    ///     Condition::AgeAtLeast(Duration::minutes(30)),
    ///     Condition::Not(Box::new(Condition::IsSet(ViewField::Assignee))),
    /// ]);
    /// let mut view = TicketView::new("new", Category::New);
    /// view.opened_at = Some(at(9));
    /// assert!(stale_unassigned.eval_at(&view, Some(at(10))));
    /// assert!(!stale_unassigned.eval_at(&view, Some(at(9))));
    /// assert!(!stale_unassigned.eval(&view)); // no instant: time tests are false
    /// ```
    pub fn eval_at(&self, view: &TicketView, now: Option<DateTime<Utc>>) -> bool {
        match self {
            Condition::Always => true,
            Condition::Never => false,
            Condition::StateIn(states) => states.contains(&view.state),
            Condition::CategoryIn(cats) => view.category.is_some_and(|c| cats.contains(&c)),
            Condition::PriorityIn(ps) => view.priority.is_some_and(|p| ps.contains(&p)),
            Condition::GroupIn(gs) => view.group.as_ref().is_some_and(|g| gs.contains(g)),
            Condition::FieldIn { field, values } => {
                view.fields.get(field).is_some_and(|v| values.contains(v))
            }
            Condition::All(cs) => cs.iter().all(|c| c.eval_at(view, now)),
            Condition::Any(cs) => cs.iter().any(|c| c.eval_at(view, now)),
            Condition::Not(c) => !c.eval_at(view, now),
            Condition::ImpactIn(ls) => view.impact.is_some_and(|l| ls.contains(&l)),
            Condition::UrgencyIn(ls) => view.urgency.is_some_and(|l| ls.contains(&l)),
            Condition::ClassificationIn(vs) => in_list(view.classification.as_ref(), vs),
            Condition::ServiceIn(vs) => in_list(view.service.as_ref(), vs),
            Condition::ConfigItemIn(vs) => in_list(view.config_item.as_ref(), vs),
            Condition::AssigneeIn(vs) => in_list(view.assignee.as_ref(), vs),
            Condition::IsSet(field) => match field {
                ViewField::State => true,
                ViewField::Field(name) => view.fields.contains_key(name),
                other => view.get(other).is_some(),
            },
            Condition::AgeAtLeast(d) => since(view.opened_at, now).is_some_and(|s| s >= *d),
            Condition::IdleAtLeast(d) => since(view.updated_at, now).is_some_and(|s| s >= *d),
            Condition::Changes(field) => view.change(field).is_some(),
            Condition::ChangesTo { field, values } => view
                .change(field)
                .is_some_and(|(_, new)| in_list(new.as_ref(), values)),
            Condition::ChangesFrom { field, values } => view
                .change(field)
                .is_some_and(|(old, _)| in_list(old.as_ref(), values)),
        }
    }

    /// Why the condition holds for `view` at `now`: the clauses that made it true, each
    /// written as [`Display`](fmt::Display) writes it (for an `all`, every part; for an
    /// `any`, the first part that holds). `None` when it does not hold.
    ///
    /// ```
    /// use itsm_core::{Category, Condition, TicketView};
    ///
    /// let p1_network = Condition::All(vec![
    ///     Condition::PriorityIn(vec![1]),
    ///     Condition::Any(vec![
    ///         Condition::ClassificationIn(vec!["network".into()]),
    ///         Condition::ServiceIn(vec!["vpn".into()]),
    ///     ]),
    /// ]);
    /// let mut view = TicketView::new("new", Category::New);
    /// view.priority = Some(1);
    /// view.service = Some("vpn".into());
    /// assert_eq!(
    ///     p1_network.explain(&view, None),
    ///     Some(vec!["priority in [1]".to_owned(), "service in [\"vpn\"]".to_owned()])
    /// );
    /// view.priority = Some(2);
    /// assert_eq!(p1_network.explain(&view, None), None);
    /// ```
    pub fn explain(&self, view: &TicketView, now: Option<DateTime<Utc>>) -> Option<Vec<String>> {
        if !self.eval_at(view, now) {
            return None;
        }
        let mut out = Vec::new();
        self.witness(view, now, &mut out);
        Some(out)
    }

    fn witness(&self, view: &TicketView, now: Option<DateTime<Utc>>, out: &mut Vec<String>) {
        match self {
            Condition::All(cs) => cs.iter().for_each(|c| c.witness(view, now, out)),
            Condition::Any(cs) => {
                if let Some(c) = cs.iter().find(|c| c.eval_at(view, now)) {
                    c.witness(view, now, out);
                }
            }
            other => out.push(other.to_string()),
        }
    }
}

fn in_list(value: Option<&String>, list: &[String]) -> bool {
    value.is_some_and(|v| list.contains(v))
}

fn since(from: Option<DateTime<Utc>>, now: Option<DateTime<Utc>>) -> Option<Duration> {
    Some(now?.signed_duration_since(from?))
}

fn write_list<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    items: &[T],
    quoted: bool,
) -> fmt::Result {
    write!(f, "{name} in [")?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        if quoted {
            write!(f, "\"{}\"", crate::Quoted(&item.to_string()))?;
        } else {
            write!(f, "{item}")?;
        }
    }
    f.write_str("]")
}

fn write_join(f: &mut fmt::Formatter<'_>, sep: &str, cs: &[Condition]) -> fmt::Result {
    f.write_str("(")?;
    for (i, c) in cs.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        write!(f, "{c}")?;
    }
    f.write_str(")")
}

/// A one-line reading of the condition (`priority in [1]`, `not (assignee is set)`,
/// `age at least PT30M`), used in explanations; long values are shortened as
/// [`Quoted`](crate::Quoted) does.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Always => f.write_str("always"),
            Condition::Never => f.write_str("never"),
            Condition::StateIn(v) => write_list(f, "state", v, true),
            Condition::CategoryIn(v) => write_list(f, "category", v, false),
            Condition::PriorityIn(v) => write_list(f, "priority", v, false),
            Condition::GroupIn(v) => write_list(f, "group", v, true),
            Condition::FieldIn { field, values } => write_list(
                f,
                &format!("field `{}`", crate::Quoted(field)),
                values,
                true,
            ),
            Condition::All(cs) if cs.is_empty() => f.write_str("always"),
            Condition::Any(cs) if cs.is_empty() => f.write_str("never"),
            Condition::All(cs) => write_join(f, " and ", cs),
            Condition::Any(cs) => write_join(f, " or ", cs),
            Condition::Not(c) => write!(f, "not ({c})"),
            Condition::ImpactIn(v) => write_list(f, "impact", v, false),
            Condition::UrgencyIn(v) => write_list(f, "urgency", v, false),
            Condition::ClassificationIn(v) => write_list(f, "classification", v, true),
            Condition::ServiceIn(v) => write_list(f, "service", v, true),
            Condition::ConfigItemIn(v) => write_list(f, "config_item", v, true),
            Condition::AssigneeIn(v) => write_list(f, "assignee", v, true),
            Condition::IsSet(field) => write!(f, "{field} is set"),
            Condition::AgeAtLeast(d) => write!(f, "age at least {}", crate::duration::format(*d)),
            Condition::IdleAtLeast(d) => {
                write!(f, "idle at least {}", crate::duration::format(*d))
            }
            Condition::Changes(field) => write!(f, "{field} changes"),
            Condition::ChangesTo { field, values } => {
                write_list(f, &format!("{field} changes to a value"), values, true)
            }
            Condition::ChangesFrom { field, values } => {
                write_list(f, &format!("{field} changes from a value"), values, true)
            }
        }
    }
}
