//! The checked rule set and its evaluation: triggers, rounds, the loop bound, deadlines.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use itsm_calendar::Calendar;
use itsm_core::{TicketView, ViewField};

use crate::assign::{least_loaded, round_robin, skills_match};
use crate::error::Error;
use crate::spec::{Action, Anchor, Mode, Pool, RuleSetSpec, RuleSpec, Strategy, Trigger};

/// Compiled calendars by the names time rules give them.
pub type Calendars = BTreeMap<String, Calendar>;

/// People's current loads (open records each holds), by person, for
/// [`Strategy::LeastLoaded`] and [`Strategy::Skills`].
pub type Loads = BTreeMap<String, u32>;

static NO_CALENDARS: Calendars = BTreeMap::new();
static NO_LOADS: Loads = BTreeMap::new();

/// A checked [`RuleSetSpec`]: ids unique and non-empty, every rule with an action,
/// conditions at most [`MAX_CONDITION_DEPTH`](itsm_core::MAX_CONDITION_DEPTH) deep, delays
/// and windows sensible, pools declared and non-empty, the loop bound at least 1. What can
/// be wrong but still runs (a rule that never fires, conflicts, loops, unknown names) is
/// for [`check`](crate::check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    spec: RuleSetSpec,
}

impl RuleSet {
    /// Checks `spec`.
    ///
    /// # Errors
    /// [`Error::EmptyRuleId`], [`Error::DuplicateRule`], [`Error::NoActions`],
    /// [`Error::ConditionTooDeep`], [`Error::NegativeDelay`], [`Error::InvalidWindow`],
    /// [`Error::InvalidMaxChanges`], [`Error::UnknownPool`], [`Error::EmptyPool`],
    /// [`Error::DuplicateMember`]: the first problem found, in list order.
    ///
    /// ```
    /// use itsm_rules::{Action, Condition, Error, Mode, RuleSet, RuleSetSpec, RuleSpec, Trigger};
    ///
    /// let rule = RuleSpec::new("route", Trigger::Created, Condition::Always,
    ///     vec![Action::AssignGroup("service-desk".into())]);
    /// let twice = RuleSetSpec::new(Mode::FirstMatch, vec![rule.clone(), rule]);
    /// assert_eq!(RuleSet::new(twice), Err(Error::DuplicateRule { id: "route".into() }));
    /// ```
    pub fn new(spec: RuleSetSpec) -> Result<Self, Error> {
        if spec.max_changes == 0 {
            return Err(Error::InvalidMaxChanges);
        }
        for (name, pool) in &spec.pools {
            if pool.members.is_empty() {
                return Err(Error::EmptyPool { pool: name.clone() });
            }
            let mut seen = BTreeSet::new();
            for m in &pool.members {
                if !seen.insert(m.person.as_str()) {
                    return Err(Error::DuplicateMember {
                        pool: name.clone(),
                        person: m.person.clone(),
                    });
                }
            }
        }
        let mut ids = BTreeSet::new();
        for (i, rule) in spec.rules.iter().enumerate() {
            if rule.id.is_empty() {
                return Err(Error::EmptyRuleId {
                    position: i.saturating_add(1),
                });
            }
            if !ids.insert(rule.id.as_str()) {
                return Err(Error::DuplicateRule {
                    id: rule.id.clone(),
                });
            }
            if rule.actions.is_empty() {
                return Err(Error::NoActions {
                    rule: rule.id.clone(),
                });
            }
            let depth = rule.condition.depth();
            if depth > itsm_core::MAX_CONDITION_DEPTH {
                return Err(Error::ConditionTooDeep {
                    rule: rule.id.clone(),
                    depth,
                    max: itsm_core::MAX_CONDITION_DEPTH,
                });
            }
            match &rule.when {
                Trigger::After { delay, .. } if *delay < chrono::Duration::zero() => {
                    return Err(Error::NegativeDelay {
                        rule: rule.id.clone(),
                        delay: *delay,
                    });
                }
                Trigger::Burst { within, .. } if *within <= chrono::Duration::zero() => {
                    return Err(Error::InvalidWindow {
                        rule: rule.id.clone(),
                        within: *within,
                    });
                }
                _ => {}
            }
            for action in &rule.actions {
                if let Action::AssignFrom(pool) = action {
                    if !spec.pools.contains_key(pool) {
                        return Err(Error::UnknownPool {
                            rule: rule.id.clone(),
                            pool: pool.clone(),
                            declared: spec.pools.keys().cloned().collect(),
                        });
                    }
                }
            }
        }
        Ok(RuleSet { spec })
    }

    /// The spec it was built from.
    pub fn spec(&self) -> &RuleSetSpec {
        &self.spec
    }

    /// The rules, in evaluation order.
    pub fn rules(&self) -> &[RuleSpec] {
        &self.spec.rules
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.spec.mode
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&RuleSpec> {
        self.spec.rules.iter().find(|r| r.id == id)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for RuleSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = RuleSetSpec::deserialize(deserializer)?;
        RuleSet::new(spec).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for RuleSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.spec.serialize(serializer)
    }
}

/// The per-call inputs of [`evaluate`] and [`next_deadline`]: the instant, and the data the
/// host keeps (calendars for business time, people's loads).
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The instant of the input (the host's clock).
    pub now: DateTime<Utc>,
    /// Calendars by name, for time rules that count business time.
    pub calendars: &'a Calendars,
    /// People's loads, for the least-loaded and skills strategies.
    pub loads: &'a Loads,
}

impl<'a> Context<'a> {
    /// A context at `now` with no calendars and no loads.
    pub fn new(now: DateTime<Utc>) -> Self {
        Context {
            now,
            calendars: &NO_CALENDARS,
            loads: &NO_LOADS,
        }
    }

    /// The same, with these calendars.
    pub fn with_calendars(mut self, calendars: &'a Calendars) -> Self {
        self.calendars = calendars;
        self
    }

    /// The same, with these loads.
    pub fn with_loads(mut self, loads: &'a Loads) -> Self {
        self.loads = loads;
        self
    }
}

/// What happened to a record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
#[allow(
    clippy::large_enum_variant,
    reason = "an input is built once per call and passed by reference"
)]
pub enum Input {
    /// It was created, as `view` shows it.
    Created(TicketView),
    /// It changed from `before` to `after`.
    Updated {
        /// Before the change.
        before: TicketView,
        /// After it.
        after: TicketView,
    },
    /// Time passed since the previous tick (or since the record was last evaluated): time
    /// rules due in `(since, now]` fire.
    Tick {
        /// The record now.
        view: TicketView,
        /// The previous tick.
        since: DateTime<Utc>,
    },
}

/// Counts and picks carried from one call to the next (state in and out): the creation
/// instants burst triggers count, and the last person each round-robin pool picked. Start
/// from [`Memory::default`] and keep [`Outcome::memory`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
pub struct Memory {
    bursts: BTreeMap<String, BTreeMap<String, Window>>,
    picks: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Window {
    created: Vec<DateTime<Utc>>,
    fired: bool,
}

impl Memory {
    /// The person a round-robin pool picked last.
    pub fn last_pick(&self, pool: &str) -> Option<&str> {
        self.picks.get(pool).map(String::as_str)
    }

    /// How many records a burst rule counts for `key` (after the last call's pruning).
    pub fn burst_count(&self, rule: &str, key: &str) -> usize {
        self.bursts
            .get(rule)
            .and_then(|k| k.get(key))
            .map_or(0, |w| w.created.len())
    }
}

/// One field's change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Change {
    /// The field.
    pub field: ViewField,
    /// Its value before (as [`TicketView::get`] writes it).
    pub from: Option<String>,
    /// Its value after.
    pub to: Option<String>,
}

/// A notification for the host to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Notification {
    /// The rule that asked for it.
    pub rule: String,
    /// Who.
    pub to: Vec<String>,
    /// What.
    pub message: String,
}

/// One action of a firing, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Applied {
    /// The action as written.
    pub action: Action,
    /// What it changed on the record (empty for intents, notifications, and a value that
    /// was already set).
    pub changes: Vec<Change>,
    /// What it did, in words.
    pub note: String,
}

/// A rule that fired, explained: why it looked, which clauses held, what each action did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Firing {
    /// The rule.
    pub rule: String,
    /// The round (0: the input itself; then one per cascade of rule changes).
    pub round: u32,
    /// What triggered it, in words.
    pub trigger: String,
    /// The clauses of its condition that held ([`Condition::explain`](itsm_core::Condition::explain)).
    pub clauses: Vec<String>,
    /// Its actions, in order.
    pub applied: Vec<Applied>,
}

impl Firing {
    /// Whether it changed the record.
    pub fn changed(&self) -> bool {
        self.applied.iter().any(|a| !a.changes.is_empty())
    }
}

/// What one evaluation gives: the record after the rules' changes, every firing explained,
/// the notifications, and the memory to pass next time.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Outcome {
    /// The record with every change applied (the host applies them through its commands).
    pub view: TicketView,
    /// The rules that fired, in order.
    pub firings: Vec<Firing>,
    /// The notifications, in order.
    pub notifications: Vec<Notification>,
    /// The memory after this call.
    pub memory: Memory,
}

impl Outcome {
    /// Every change, in order, with the rule that made it.
    pub fn changes(&self) -> impl Iterator<Item = (&str, &Change)> {
        self.firings.iter().flat_map(|f| {
            f.applied
                .iter()
                .flat_map(move |a| a.changes.iter().map(move |c| (f.rule.as_str(), c)))
        })
    }
}

pub(crate) const WATCHED: [ViewField; 12] = [
    ViewField::State,
    ViewField::Category,
    ViewField::Priority,
    ViewField::Impact,
    ViewField::Urgency,
    ViewField::Classification,
    ViewField::Service,
    ViewField::ConfigItem,
    ViewField::Group,
    ViewField::Assignee,
    ViewField::OpenedAt,
    ViewField::UpdatedAt,
];

/// The fields that differ between two views.
pub(crate) fn changed_fields(before: &TicketView, after: &TicketView) -> Vec<ViewField> {
    let mut out: Vec<ViewField> = WATCHED
        .iter()
        .filter(|f| before.get(f) != after.get(f))
        .cloned()
        .collect();
    let keys: BTreeSet<&String> = before.fields.keys().chain(after.fields.keys()).collect();
    for k in keys {
        if before.fields.get(k) != after.fields.get(k) {
            out.push(ViewField::Field(k.clone()));
        }
    }
    out
}

/// Whether an `updated` trigger watching `fields` sees a change of `changed`.
pub(crate) fn watches(fields: &[ViewField], changed: &[ViewField]) -> bool {
    !changed.is_empty() && (fields.is_empty() || fields.iter().any(|f| changed.contains(f)))
}

fn describe_fields(fields: &[ViewField]) -> String {
    let names: Vec<String> = fields.iter().map(ToString::to_string).collect();
    names.join(", ")
}

/// When a time rule is due for `view`: `None` for other rules, and when the view lacks the
/// anchor.
pub(crate) fn due(
    rule: &RuleSpec,
    view: &TicketView,
    calendars: &Calendars,
) -> Result<Option<DateTime<Utc>>, Error> {
    let Trigger::After {
        anchor,
        delay,
        calendar,
    } = &rule.when
    else {
        return Ok(None);
    };
    let start = match anchor {
        Anchor::Created => view.opened_at,
        Anchor::Updated => view.updated_at,
        Anchor::Time(name) => view.times.get(name).copied(),
    };
    let Some(start) = start else {
        return Ok(None);
    };
    match calendar {
        None => start
            .checked_add_signed(*delay)
            .map(Some)
            .ok_or_else(|| Error::DateOverflow {
                rule: rule.id.clone(),
            }),
        Some(name) => {
            let cal = calendars.get(name).ok_or_else(|| Error::UnknownCalendar {
                rule: rule.id.clone(),
                calendar: name.clone(),
                given: calendars.keys().cloned().collect(),
            })?;
            cal.add(&start, *delay)
                .map(Some)
                .map_err(|e| Error::Calendar {
                    rule: rule.id.clone(),
                    calendar: name.clone(),
                    reason: e.to_string(),
                })
        }
    }
}

/// When the host should next send [`Input::Tick`] for this record: the earliest instant
/// after `after` at which a time rule of `set` is due (its condition is evaluated then).
/// `None`: no time rule will come due.
///
/// # Errors
/// [`Error::UnknownCalendar`] when a time rule names a calendar not in
/// [`Context::calendars`]; [`Error::Calendar`] when the calendar cannot compute the
/// deadline; [`Error::DateOverflow`] past the range of instants.
///
/// ```
/// use itsm_rules::chrono::{Duration, TimeZone, Utc};
/// use itsm_rules::{Action, Anchor, Category, Condition, Context, Mode, RuleSet, RuleSetSpec,
///     RuleSpec, TicketView, Trigger, next_deadline};
///
/// let at = |h, m| Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap();
/// let escalate = RuleSpec::new(
///     "p1-unowned",
///     Trigger::After { anchor: Anchor::Created, delay: Duration::minutes(30), calendar: None },
///     Condition::PriorityIn(vec![1]),
///     vec![Action::Escalate(1)],
/// );
/// let set = RuleSet::new(RuleSetSpec::new(Mode::AllMatches, vec![escalate]))?;
/// let mut view = TicketView::new("new", Category::New);
/// view.opened_at = Some(at(9, 0));
/// let ctx = Context::new(at(9, 0));
/// assert_eq!(next_deadline(&set, &view, at(9, 0), &ctx)?, Some(at(9, 30)));
/// assert_eq!(next_deadline(&set, &view, at(9, 30), &ctx)?, None);
/// # Ok::<(), itsm_rules::Error>(())
/// ```
pub fn next_deadline(
    set: &RuleSet,
    view: &TicketView,
    after: DateTime<Utc>,
    ctx: &Context<'_>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let mut best: Option<DateTime<Utc>> = None;
    for rule in set.rules() {
        if let Some(d) = due(rule, view, ctx.calendars)? {
            if d > after && best.is_none_or(|b| d < b) {
                best = Some(d);
            }
        }
    }
    Ok(best)
}

/// Runs the rule set on one input and explains everything it did.
///
/// Order (docs/rules.md): round 0 takes the rules the input triggers, in list order;
/// each triggered rule's condition is evaluated on the record as it was at the start of
/// the round, at `ctx.now`; in [`Mode::FirstMatch`] the first that holds fires and the
/// round ends, in [`Mode::AllMatches`] each that holds fires until one with the stop flag.
/// Actions apply in order. When the round changed the record, the next round takes the
/// `updated` rules watching a changed field; evaluation ends after a round without
/// changes. Conditions that test a change ([`Condition::ChangesTo`](itsm_core::Condition::ChangesTo)
/// and its kin, shared with SLA definitions) compare with the view's own `previous` when it
/// has one; otherwise with an empty record on creation (the fields set count as changed),
/// with `before` on an update, and in a later round with the record as the round before
/// left it. On a tick they are false.
///
/// # Errors
/// [`Error::LoopBound`] when rule firings would change the record more than
/// [`RuleSetSpec::max_changes`] times, naming the rules; [`Error::ClockWentBackwards`] for
/// a tick whose `since` is after `now`; the errors of [`next_deadline`] for time rules.
///
/// ```
/// use itsm_rules::chrono::{TimeZone, Utc};
/// use itsm_rules::{Action, Category, Condition, Context, Input, Memory, Mode, RuleSet,
///     RuleSetSpec, RuleSpec, TicketView, Trigger, evaluate};
///
/// let route = RuleSpec::new("mail-to-messaging", Trigger::Created,
///     Condition::ServiceIn(vec!["mail".into()]),
///     vec![Action::AssignGroup("messaging".into())]);
/// let set = RuleSet::new(RuleSetSpec::new(Mode::FirstMatch, vec![route]))?;
/// let mut view = TicketView::new("new", Category::New);
/// view.service = Some("mail".into());
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let out = evaluate(&set, &Input::Created(view), &Context::new(now), &Memory::default())?;
/// assert_eq!(out.view.group.as_deref(), Some("messaging"));
/// let firing = &out.firings[0];
/// assert_eq!(firing.clauses, ["service in [\"mail\"]"]);
/// assert_eq!(firing.applied[0].note, "group set from none to `messaging`");
/// # Ok::<(), itsm_rules::Error>(())
/// ```
pub fn evaluate(
    set: &RuleSet,
    input: &Input,
    ctx: &Context<'_>,
    memory: &Memory,
) -> Result<Outcome, Error> {
    let mut memory = memory.clone();
    let now = ctx.now;
    let rules = set.rules();
    let mut view;
    // (rule index, why) for the current round.
    let mut triggered: Vec<(usize, String)> = Vec::new();
    // What the change tests of conditions (`changes`, `changes to`, `changes from`) compare
    // with, when the view carries no `previous` of its own: an empty record on creation
    // (the fields set count as changed), the host's `before` on an update, and in later
    // rounds the record as the round before left it.
    let mut before: Option<TicketView> = match input {
        Input::Created(_) => Some(TicketView::default()),
        Input::Updated { before, .. } => Some(before.clone()),
        Input::Tick { .. } => None,
    };
    match input {
        Input::Created(v) => {
            view = v.clone();
            let crossed = count_bursts(set, &view, now, &mut memory);
            for (i, rule) in rules.iter().enumerate() {
                match &rule.when {
                    Trigger::Created => triggered.push((i, "created".to_owned())),
                    Trigger::Burst { .. } => {
                        if let Some(why) = crossed.get(&i) {
                            triggered.push((i, why.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
        Input::Updated { before, after } => {
            view = after.clone();
            let changed = changed_fields(before, after);
            for (i, rule) in rules.iter().enumerate() {
                match &rule.when {
                    Trigger::Updated { fields } if watches(fields, &changed) => {
                        let hit: Vec<ViewField> = changed
                            .iter()
                            .filter(|c| fields.is_empty() || fields.contains(c))
                            .cloned()
                            .collect();
                        triggered.push((i, format!("updated: {} changed", describe_fields(&hit))));
                    }
                    Trigger::StateEntered { states }
                        if before.state != after.state
                            && (states.is_empty() || states.contains(&after.state)) =>
                    {
                        triggered.push((
                            i,
                            format!("state entered: `{}`", itsm_core::Quoted(&after.state)),
                        ));
                    }
                    _ => {}
                }
            }
        }
        Input::Tick { view: v, since } => {
            if *since > now {
                return Err(Error::ClockWentBackwards { since: *since, now });
            }
            view = v.clone();
            for (i, rule) in rules.iter().enumerate() {
                if let Some(d) = due(rule, &view, ctx.calendars)? {
                    if d > *since && d <= now {
                        triggered.push((i, format!("time: due at {}", d.to_rfc3339())));
                    }
                }
            }
        }
    }

    let mut firings = Vec::new();
    let mut notifications = Vec::new();
    let mut changes: u32 = 0;
    let mut involved: Vec<String> = Vec::new();
    let mut round: u32 = 0;
    loop {
        let mut snapshot = view.clone();
        if snapshot.previous.is_none() {
            snapshot.previous = before.take().map(|mut b| {
                b.previous = None;
                Box::new(b)
            });
        }
        for (i, why) in &triggered {
            let Some(rule) = rules.get(*i) else { continue };
            let Some(clauses) = rule.condition.explain(&snapshot, Some(now)) else {
                continue;
            };
            let mut applied = Vec::with_capacity(rule.actions.len());
            for action in &rule.actions {
                applied.push(apply(
                    set,
                    rule,
                    action,
                    &mut view,
                    ctx,
                    &mut memory,
                    &mut notifications,
                ));
            }
            let firing = Firing {
                rule: rule.id.clone(),
                round,
                trigger: why.clone(),
                clauses,
                applied,
            };
            if firing.changed() {
                if !involved.contains(&rule.id) {
                    involved.push(rule.id.clone());
                }
                changes = changes.saturating_add(1);
                if changes > set.spec.max_changes {
                    return Err(Error::LoopBound {
                        limit: set.spec.max_changes,
                        rules: involved,
                    });
                }
            }
            firings.push(firing);
            if set.mode() == Mode::FirstMatch || rule.stop {
                break;
            }
        }
        let changed = changed_fields(&snapshot, &view);
        if changed.is_empty() {
            break;
        }
        snapshot.previous = None;
        before = Some(snapshot);
        round = round.saturating_add(1);
        triggered.clear();
        for (i, rule) in rules.iter().enumerate() {
            if let Trigger::Updated { fields } = &rule.when {
                if watches(fields, &changed) {
                    let hit: Vec<ViewField> = changed
                        .iter()
                        .filter(|c| fields.is_empty() || fields.contains(c))
                        .cloned()
                        .collect();
                    triggered.push((
                        i,
                        format!("updated by rules: {} changed", describe_fields(&hit)),
                    ));
                }
            }
        }
        if triggered.is_empty() {
            break;
        }
    }
    Ok(Outcome {
        view,
        firings,
        notifications,
        memory,
    })
}

/// Counts the created record in every burst rule's window; returns the rules it pushed over
/// their threshold, with the why.
fn count_bursts(
    set: &RuleSet,
    view: &TicketView,
    now: DateTime<Utc>,
    memory: &mut Memory,
) -> BTreeMap<usize, String> {
    let mut crossed = BTreeMap::new();
    for (i, rule) in set.rules().iter().enumerate() {
        let Trigger::Burst {
            per,
            more_than,
            within,
        } = &rule.when
        else {
            continue;
        };
        let Some(key) = view.get(per) else { continue };
        let from = now.checked_sub_signed(*within);
        let keys = memory.bursts.entry(rule.id.clone()).or_default();
        // The other keys lose what is more than two windows old, and a key left empty is
        // dropped: the memory holds the records of the last two windows, not every key ever
        // seen. Two, so that a creation up to one window late (hosts do not always see
        // records in time order) still counts against whole windows, as it did when only
        // its own key was trimmed. The memory is copied whole on every call anyway, so this
        // pass costs no more than that copy.
        if let Some(f) = from.and_then(|f| f.checked_sub_signed(*within)) {
            keys.retain(|k, w| {
                if *k != key {
                    w.created.retain(|t| *t > f);
                }
                *k == key || !w.created.is_empty()
            });
        }
        let window = keys.entry(key.clone()).or_default();
        window.created.retain(|t| from.is_none_or(|f| *t > f));
        if window.created.is_empty() {
            // A window that has emptied ended its burst, whatever the threshold (with
            // `more_than: 0` the count never falls to it otherwise).
            window.fired = false;
        }
        let at = window.created.partition_point(|t| *t <= now);
        window.created.insert(at, now);
        let count = window.created.iter().filter(|t| **t <= now).count();
        let over = u32::try_from(count).unwrap_or(u32::MAX) > *more_than;
        if over && !window.fired {
            window.fired = true;
            crossed.insert(
                i,
                format!(
                    "burst: {count} records with {per} `{}` within {} (more than {more_than})",
                    itsm_core::Quoted(&key),
                    itsm_core::duration::format(*within)
                ),
            );
        } else if !over {
            window.fired = false;
        }
    }
    crossed
}

fn set_value(
    view: &mut TicketView,
    field: ViewField,
    to: Option<String>,
    changes: &mut Vec<Change>,
    notes: &mut Vec<String>,
) {
    let from = view.get(&field);
    if from == to {
        notes.push(format!(
            "{field} already `{}`",
            itsm_core::Quoted(to.as_deref().unwrap_or(""))
        ));
        return;
    }
    match &field {
        ViewField::Group => view.group.clone_from(&to),
        ViewField::Assignee => view.assignee.clone_from(&to),
        ViewField::Impact => view.impact = to.as_deref().and_then(|t| t.parse().ok()),
        ViewField::Urgency => view.urgency = to.as_deref().and_then(|t| t.parse().ok()),
        ViewField::Field(name) => {
            if let Some(v) = &to {
                view.fields.insert(name.clone(), v.clone());
            }
        }
        // Actions set no other field.
        _ => return,
    }
    let shown = |v: &Option<String>| {
        v.as_deref()
            .map_or("none".to_owned(), |s| format!("`{}`", itsm_core::Quoted(s)))
    };
    notes.push(format!(
        "{field} set from {} to {}",
        shown(&from),
        shown(&to)
    ));
    changes.push(Change { field, from, to });
}

fn apply(
    set: &RuleSet,
    rule: &RuleSpec,
    action: &Action,
    view: &mut TicketView,
    ctx: &Context<'_>,
    memory: &mut Memory,
    notifications: &mut Vec<Notification>,
) -> Applied {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    match action {
        Action::AssignGroup(g) => {
            set_value(
                view,
                ViewField::Group,
                Some(g.clone()),
                &mut changes,
                &mut notes,
            );
        }
        Action::AssignPerson(p) => {
            set_value(
                view,
                ViewField::Assignee,
                Some(p.clone()),
                &mut changes,
                &mut notes,
            );
        }
        Action::AssignFrom(name) => match set.spec.pools.get(name) {
            None => notes.push(format!(
                "pool `{}` is not declared",
                itsm_core::Quoted(name)
            )),
            Some(pool) => match pick(name, pool, ctx, memory) {
                None => notes.push(format!(
                    "nobody in pool `{}` has the skills asked for; nothing assigned",
                    itsm_core::Quoted(name)
                )),
                Some((person, how)) => {
                    notes.push(format!(
                        "pool `{}` picked `{}` ({how})",
                        itsm_core::Quoted(name),
                        itsm_core::Quoted(&person)
                    ));
                    if let Some(g) = &pool.group {
                        set_value(
                            view,
                            ViewField::Group,
                            Some(g.clone()),
                            &mut changes,
                            &mut notes,
                        );
                    }
                    set_value(
                        view,
                        ViewField::Assignee,
                        Some(person),
                        &mut changes,
                        &mut notes,
                    );
                }
            },
        },
        Action::SetImpact(l) => {
            set_value(
                view,
                ViewField::Impact,
                Some(l.to_string()),
                &mut changes,
                &mut notes,
            );
        }
        Action::SetUrgency(l) => {
            set_value(
                view,
                ViewField::Urgency,
                Some(l.to_string()),
                &mut changes,
                &mut notes,
            );
        }
        Action::SetField { field, value } => set_value(
            view,
            ViewField::Field(field.clone()),
            Some(value.clone()),
            &mut changes,
            &mut notes,
        ),
        Action::Escalate(level) => notes.push(format!("intent: escalate to level {level}")),
        Action::ProposeMajor(reason) => notes.push(format!(
            "intent: propose as a major-incident candidate ({})",
            itsm_core::Quoted(reason)
        )),
        Action::AddWatcher(p) => {
            notes.push(format!("intent: add watcher `{}`", itsm_core::Quoted(p)));
        }
        Action::Link { relation, to } => notes.push(format!(
            "intent: link as {} to `{}`",
            itsm_core::Quoted(relation),
            itsm_core::Quoted(to)
        )),
        Action::Notify { to, message } => {
            notes.push(format!(
                "notification to {} recipient(s): {}",
                to.len(),
                itsm_core::Quoted(message)
            ));
            notifications.push(Notification {
                rule: rule.id.clone(),
                to: to.clone(),
                message: message.clone(),
            });
        }
    }
    Applied {
        action: action.clone(),
        changes,
        note: notes.join("; "),
    }
}

fn pick(
    name: &str,
    pool: &Pool,
    ctx: &Context<'_>,
    memory: &mut Memory,
) -> Option<(String, &'static str)> {
    let people: Vec<&str> = pool.members.iter().map(|m| m.person.as_str()).collect();
    match &pool.strategy {
        Strategy::Fixed => people.first().map(|p| ((*p).to_owned(), "fixed")),
        Strategy::RoundRobin => {
            let p = round_robin(&people, memory.last_pick(name))?.to_owned();
            memory.picks.insert(name.to_owned(), p.clone());
            Some((p, "round robin"))
        }
        Strategy::LeastLoaded => {
            least_loaded(&people, ctx.loads).map(|p| (p.to_owned(), "least loaded"))
        }
        Strategy::Skills(required) => skills_match(&pool.members, required, ctx.loads)
            .map(|p| (p.to_owned(), "skills match, least loaded")),
    }
}
