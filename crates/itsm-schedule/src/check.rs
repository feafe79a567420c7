//! A proposed change checked against the schedule and the rules; the next free windows.

use std::fmt;
use std::sync::Arc;

use chrono::Duration;
use itsm_core::{ChangeId, ConfigItemId, UserId};

use crate::error::Error;
use crate::index::{Found, ItemTable, NO_CALENDAR};
use crate::inline::Inline;
use crate::rules::Rules;
use crate::schedule::Schedule;
use crate::tree::overlapping;
use crate::window::{Window, instant};

/// How the host says which configuration items are related (parents and children in its
/// CMDB, members of one cluster, ...): this crate knows no graph.
///
/// Any closure `Fn(&ConfigItemId) -> impl IntoIterator<Item = ConfigItemId>` is a topology;
/// [`NoTopology`] relates nothing.
///
/// ```
/// use std::collections::HashMap;
/// use itsm_core::ConfigItemId;
/// use itsm_schedule::Topology;
///
/// let (app, db) = (ConfigItemId::from_u128(1), ConfigItemId::from_u128(2));
/// let cmdb: HashMap<ConfigItemId, Vec<ConfigItemId>> = HashMap::from([(app, vec![db]), (db, vec![app])]);
/// let topology = |item: &ConfigItemId| cmdb.get(item).into_iter().flatten().copied();
/// let mut seen = Vec::new();
/// topology.related(&app, &mut |r| seen.push(r));
/// assert_eq!(seen, [db]);
/// ```
pub trait Topology {
    /// Calls `visit` with each item related to `item` (repeats and `item` itself are
    /// ignored).
    fn related(&self, item: &ConfigItemId, visit: &mut dyn FnMut(ConfigItemId));
}

impl<F, I> Topology for F
where
    F: Fn(&ConfigItemId) -> I,
    I: IntoIterator<Item = ConfigItemId>,
{
    fn related(&self, item: &ConfigItemId, visit: &mut dyn FnMut(ConfigItemId)) {
        for related in self(item) {
            visit(related);
        }
    }
}

/// A topology that relates nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoTopology;

impl Topology for NoTopology {
    fn related(&self, _: &ConfigItemId, _: &mut dyn FnMut(ConfigItemId)) {}
}

/// A change proposed for a window: its items, its assignee and, when it is already on the
/// schedule (being moved), its id, so that it does not conflict with itself.
///
/// ```
/// use chrono::{Duration, TimeZone, Utc};
/// use itsm_core::{ChangeId, ConfigItemId, UserId};
/// use itsm_schedule::{Proposal, Window};
///
/// let window = Window::starting(Utc.with_ymd_and_hms(2026, 3, 7, 22, 0, 0).unwrap(), Duration::hours(2))?;
/// let mut proposal = Proposal::new(vec![ConfigItemId::from_u128(10)], window);
/// proposal.assignee = Some(UserId::from_u128(7));
/// proposal.change = Some(ChangeId::from_u128(1));
/// # Ok::<(), itsm_schedule::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Proposal {
    /// The change, when the schedule already holds it (its own booking is ignored).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub change: Option<ChangeId>,
    /// The configuration items it works on.
    #[cfg_attr(feature = "serde", serde(default))]
    pub items: Vec<ConfigItemId>,
    /// The window it is proposed for; a search for free windows starts at its start and
    /// keeps its length.
    pub window: Window,
    /// Who would implement it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assignee: Option<UserId>,
}

impl Proposal {
    /// A proposal of a change on `items` for `window`, without an id or an assignee.
    pub fn new(items: Vec<ConfigItemId>, window: Window) -> Proposal {
        Proposal {
            change: None,
            items,
            window,
            assignee: None,
        }
    }
}

// The names of calendars and blackouts are `Arc<str>` shared with the `Rules`, so a check
// that finds a proposal outside one maintenance window on many items copies no text (see
// the crate docs). A plain comment, not a doc comment: the JSON Schema carries the docs.
/// One reason a proposed window conflicts, naming what it conflicts with. The kinds are
/// ServiceNow's conflict types ("CI already scheduled", "parent/child CI already
/// scheduled", "not in maintenance window", "blackout", assignee already scheduled).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "reason", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Conflict {
    /// The item is already scheduled in another change whose window overlaps.
    ItemScheduled {
        /// The proposal's item.
        item: ConfigItemId,
        /// The change it is scheduled in.
        change: ChangeId,
    },
    /// An item related to one of the proposal's is scheduled in a change whose window
    /// overlaps.
    RelatedItemScheduled {
        /// The proposal's item.
        item: ConfigItemId,
        /// The related item.
        related: ConfigItemId,
        /// The change it is scheduled in.
        change: ChangeId,
    },
    /// The window is not wholly inside the item's maintenance window.
    OutsideMaintenance {
        /// The proposal's item.
        item: ConfigItemId,
        /// The maintenance calendar's name.
        calendar: Arc<str>,
    },
    /// The window is not wholly inside the maintenance window of an item related to one of
    /// the proposal's.
    RelatedOutsideMaintenance {
        /// The proposal's item.
        item: ConfigItemId,
        /// The related item.
        related: ConfigItemId,
        /// Its maintenance calendar's name.
        calendar: Arc<str>,
    },
    /// The window overlaps a blackout that applies to the change: to every item (`item`
    /// is `None`) or to this item.
    InBlackout {
        /// The proposal's item the blackout applies to, or `None` for a blackout of every
        /// item.
        item: Option<ConfigItemId>,
        /// The blackout's name.
        blackout: Arc<str>,
    },
    /// The window overlaps a blackout of an item related to one of the proposal's.
    RelatedInBlackout {
        /// The proposal's item.
        item: ConfigItemId,
        /// The related item the blackout applies to.
        related: ConfigItemId,
        /// The blackout's name.
        blackout: Arc<str>,
    },
    /// The assignee is already booked on another change whose window overlaps.
    AssigneeBooked {
        /// The assignee.
        assignee: UserId,
        /// The change they are booked on.
        change: ChangeId,
    },
}

impl Conflict {
    /// The other change this conflict is with, if it is with a change (not with a
    /// maintenance or blackout window).
    pub fn change(&self) -> Option<ChangeId> {
        match self {
            Conflict::ItemScheduled { change, .. }
            | Conflict::RelatedItemScheduled { change, .. }
            | Conflict::AssigneeBooked { change, .. } => Some(*change),
            _ => None,
        }
    }

    /// The proposal's item this conflict is about, if any.
    pub fn item(&self) -> Option<ConfigItemId> {
        match self {
            Conflict::ItemScheduled { item, .. }
            | Conflict::RelatedItemScheduled { item, .. }
            | Conflict::OutsideMaintenance { item, .. }
            | Conflict::RelatedOutsideMaintenance { item, .. }
            | Conflict::RelatedInBlackout { item, .. } => Some(*item),
            Conflict::InBlackout { item, .. } => *item,
            Conflict::AssigneeBooked { .. } => None,
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::ItemScheduled { item, change } => {
                write!(
                    f,
                    "configuration item {item} is already scheduled in change {change}"
                )
            }
            Conflict::RelatedItemScheduled {
                item,
                related,
                change,
            } => write!(
                f,
                "configuration item {related}, related to {item}, is already scheduled in change {change}"
            ),
            Conflict::OutsideMaintenance { item, calendar } => write!(
                f,
                "configuration item {item} is outside its maintenance window `{calendar}`"
            ),
            Conflict::RelatedOutsideMaintenance {
                item,
                related,
                calendar,
            } => write!(
                f,
                "configuration item {related}, related to {item}, is outside its maintenance window `{calendar}`"
            ),
            Conflict::InBlackout {
                item: None,
                blackout,
            } => write!(f, "the window falls in blackout `{blackout}`"),
            Conflict::InBlackout {
                item: Some(item),
                blackout,
            } => write!(f, "configuration item {item} is in blackout `{blackout}`"),
            Conflict::RelatedInBlackout {
                item,
                related,
                blackout,
            } => write!(
                f,
                "configuration item {related}, related to {item}, is in blackout `{blackout}`"
            ),
            Conflict::AssigneeBooked { assignee, change } => {
                write!(
                    f,
                    "assignee {assignee} is already booked on change {change}"
                )
            }
        }
    }
}

/// How [`Schedule::next_windows`] searches: how far ahead, how many windows at most, and
/// how far apart their starts are at least. ServiceNow's defaults: 90 days
/// (`change.conflict.next_available.schedule_window`), 100 windows
/// (`change.conflict.next_available.choice_limit`); successive suggestions an hour apart.
///
/// ```
/// use chrono::Duration;
/// use itsm_schedule::Search;
///
/// let search = Search::new();
/// assert_eq!((search.horizon, search.count, search.step), (Duration::days(90), 100, Duration::hours(1)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Search {
    /// How far ahead of the proposal's start a window may end (ISO 8601 in JSON, `"P90D"`).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub horizon: Duration,
    /// How many windows at most.
    pub count: usize,
    /// The least time between the starts of two suggestions (`"PT1H"`).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub step: Duration,
}

impl Search {
    /// 90 days ahead, 100 windows, an hour apart.
    pub const fn new() -> Search {
        Search {
            horizon: Duration::days(90),
            count: 100,
            step: Duration::hours(1),
        }
    }
}

impl Default for Search {
    /// [`Search::new`].
    fn default() -> Self {
        Search::new()
    }
}

/// The proposal's items (sorted, each once), with their related items (each with the
/// proposal's item it is related to, not one of the proposal's own items). Both lists stay
/// on the stack for the usual handful (allocating for them cost more than their lookups).
struct Scope {
    items: Inline<ConfigItemId, 8>,
    related: Inline<(ConfigItemId, ConfigItemId), 16>,
}

impl Scope {
    /// An empty scope. A scope is some 700 bytes: it is made empty where it is used and
    /// filled there ([`Scope::fill`]), as returning a filled one copied it.
    #[inline(always)]
    fn empty() -> Self {
        let nil = ConfigItemId::from_u128(0);
        Scope {
            items: Inline::new(nil),
            related: Inline::new((nil, nil)),
        }
    }

    /// Fills this empty scope with `proposal`'s items and their related items, sorted by
    /// the ids' numbers, which order them as the ids do, with two comparisons, not a memcmp.
    #[inline(always)]
    fn fill(&mut self, proposal: &Proposal, rules: &Rules, topology: &(impl Topology + ?Sized)) {
        let scope = self;
        scope.items.extend(proposal.items.iter().copied());
        scope.items.sort_dedup_by_key(number);
        if rules.checks().any_related() {
            let (own, related) = (scope.items.as_slice(), &mut scope.related);
            for item in own {
                topology.related(item, &mut |r| {
                    if own.binary_search_by_key(&number(&r), number).is_err() {
                        related.push((*item, r));
                    }
                });
            }
            related.sort_dedup_by_key(|(i, r)| (number(i), number(r)));
        }
    }

    /// Into the empty `found`: `find` of each item (when `items`), then of each related
    /// item (when `related`; `find`'s second argument says which), all made before any is
    /// used, so that their cache misses overlap. Filled in place, as the scope is.
    #[inline(always)]
    fn lookups(
        &self,
        found: &mut Lookups,
        items: bool,
        related: bool,
        find: impl Fn(&ConfigItemId, bool) -> Found,
    ) {
        found.split = if items { self.items.len() } else { 0 };
        if items {
            let items = self.items.as_slice().iter();
            found.values.extend(items.map(|i| find(i, false)));
        }
        if related {
            let pairs = self.related.as_slice().iter();
            found.values.extend(pairs.map(|(_, r)| find(r, true)));
        }
    }

    /// How many items and related items: the most conflicts of one kind a check finds
    /// without counting bookings.
    fn len(&self) -> usize {
        self.items.len() + self.related.len()
    }
}

impl Schedule {
    /// Every conflict of `proposal` with the schedule and the `rules`, with items related
    /// through `topology`: bookings of the same item or of a related one whose windows
    /// overlap the proposal's, maintenance windows that do not cover it, blackouts it
    /// overlaps, the assignee's other bookings. Sorted, each once; empty when the window
    /// is free. Windows are half-open, so a booking that ends when the proposal starts
    /// does not conflict (back-to-back changes are allowed).
    ///
    /// Cost: a hash lookup and a tree query per item and related item (O(log n) plus the
    /// overlaps found), a calendar query per maintenance window and calendar blackout.
    ///
    /// # Errors
    /// [`Error::Calendar`] when a maintenance or blackout calendar cannot answer for the
    /// window (outside its explicit horizon).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Checks, Conflict, Limits, NoTopology, Proposal, Rules, Schedule, ScheduledChange, Window};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let (db, web) = (ConfigItemId::from_u128(10), ConfigItemId::from_u128(11));
    /// let patch = ChangeId::from_u128(1);
    /// let (schedule, _) = Schedule::build([ScheduledChange::new(patch, vec![db], Some(at(20)), Some(at(23)))], &Limits::new());
    /// let rules = Rules::new(Checks::all(), vec![], vec![])?;
    ///
    /// let upgrade = Proposal::new(vec![db, web], Window::new(at(22), at(23))?);
    /// let conflicts = schedule.check(&upgrade, &rules, &NoTopology)?;
    /// assert_eq!(conflicts, [Conflict::ItemScheduled { item: db, change: patch }]);
    /// // Back to back is fine.
    /// let after = Proposal::new(vec![db], Window::new(at(23), at(24 - 1) + chrono::Duration::hours(1))?);
    /// assert!(schedule.check(&after, &rules, &NoTopology)?.is_empty());
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn check(
        &self,
        proposal: &Proposal,
        rules: &Rules,
        topology: &(impl Topology + ?Sized),
    ) -> Result<Vec<Conflict>, Error> {
        self.check_with(proposal, rules, None, topology)
    }

    /// [`Schedule::check`], finding items' bookings and maintenance calendars in `table`
    /// when it is given (a [`Checker`](crate::Checker)'s).
    pub(crate) fn check_with(
        &self,
        proposal: &Proposal,
        rules: &Rules,
        table: Option<&ItemTable>,
        topology: &(impl Topology + ?Sized),
    ) -> Result<Vec<Conflict>, Error> {
        let mut scope = Scope::empty();
        scope.fill(proposal, rules, topology);
        let mut out = Vec::with_capacity(scope.len() + 2);
        self.conflicts(proposal, &scope, proposal.window, rules, table, &mut out)?;
        // Sorted as it comes (see `conflicts`); a booking may list an item twice.
        out.dedup();
        Ok(out)
    }

    fn excluded(&self, proposal: &Proposal) -> Option<u32> {
        let change = proposal.change?;
        let ix = self
            .bookings()
            .binary_search_by(|b| b.change().cmp(&change))
            .ok()?;
        u32::try_from(ix).ok()
    }

    fn conflicts(
        &self,
        proposal: &Proposal,
        scope: &Scope,
        window: Window,
        rules: &Rules,
        table: Option<&ItemTable>,
        out: &mut Vec<Conflict>,
    ) -> Result<(), Error> {
        let checks = rules.checks();
        let (start, end) = window.span();
        let skip = self.excluded(proposal);
        let (from, to) = (window.start(), window.end());
        // The lookups first, all independent of each other, so that their cache misses
        // overlap; then one pass per kind, in the order of `Conflict`'s variants, each by
        // item (the scope's items and pairs are sorted), so that the output comes sorted:
        // only what one lookup finds (bookings by start, not by change; blackouts by
        // window) is sorted on the spot, a handful of conflicts at most.
        // A checker's table answers both lookups of an item with one probe; without one,
        // the schedule's map finds its bookings and the rules' its calendar, each only
        // when a check needs it.
        let items = checks.same_item || checks.maintenance;
        let related = checks.related_items || checks.related_maintenance;
        let mut found = Lookups::new();
        match table {
            Some(table) => scope.lookups(&mut found, items, related, |i, _| table.get(i)),
            None => scope.lookups(&mut found, items, related, |i, is_related| {
                let (bookings, calendar) = if is_related {
                    (checks.related_items, checks.related_maintenance)
                } else {
                    (checks.same_item, checks.maintenance)
                };
                let mut f = Found::NONE;
                if let Some((from, to)) = bookings
                    .then(|| self.item_position(i))
                    .flatten()
                    .and_then(|p| self.by_item().bounds(p as usize))
                {
                    (f.from, f.to) = (from, to);
                }
                if calendar {
                    f.calendar = rules.maintenance_index(i).unwrap_or(NO_CALENDAR);
                }
                f
            }),
        }
        let assignee = proposal
            .assignee
            .filter(|_| checks.assignee)
            .and_then(|a| Some((a, self.assignee_position(&a)?)));
        let slots = |f: &Found| self.by_item().slots(f.from, f.to);
        // The window in the items' span units, worked out once for all their lookups.
        let query = self.by_item().query(start, end);
        if checks.same_item {
            for (&item, f) in scope.items.as_slice().iter().zip(found.items()) {
                let from = out.len();
                overlapping(slots(f), query, |s| {
                    if Some(s.entry) != skip {
                        if let Some(change) = self.change_at(s.entry) {
                            out.push(Conflict::ItemScheduled { item, change });
                        }
                    }
                });
                sort_from(out, from);
            }
        }
        if checks.related_items {
            for (&(item, related), f) in scope.related.as_slice().iter().zip(found.related()) {
                let from = out.len();
                overlapping(slots(f), query, |s| {
                    if Some(s.entry) != skip {
                        if let Some(change) = self.change_at(s.entry) {
                            out.push(Conflict::RelatedItemScheduled {
                                item,
                                related,
                                change,
                            });
                        }
                    }
                });
                sort_from(out, from);
            }
        }
        // Items of one maintenance group share its calendar: each calendar is asked once.
        let mut covered = Covered::new();
        if checks.maintenance {
            for (&item, f) in scope.items.as_slice().iter().zip(found.items()) {
                if let Some(calendar) = covered.outside(rules, f.calendar(), &from, &to)? {
                    out.push(Conflict::OutsideMaintenance { item, calendar });
                }
            }
        }
        if checks.related_maintenance {
            for (&(item, related), f) in scope.related.as_slice().iter().zip(found.related()) {
                if let Some(calendar) = covered.outside(rules, f.calendar(), &from, &to)? {
                    out.push(Conflict::RelatedOutsideMaintenance {
                        item,
                        related,
                        calendar,
                    });
                }
            }
        }
        if checks.blackout || checks.related_blackout {
            let blackouts = out.len();
            let blackout = |ix: u32, out: &mut Vec<Conflict>| {
                let Some(freeze) = rules.freeze(ix) else {
                    return;
                };
                let name = || Arc::clone(&freeze.name);
                if freeze.items.is_none() {
                    if checks.blackout {
                        out.push(Conflict::InBlackout {
                            item: None,
                            blackout: name(),
                        });
                    }
                    return;
                }
                if checks.blackout {
                    for &item in scope
                        .items
                        .as_slice()
                        .iter()
                        .filter(|i| freeze.applies_to(i))
                    {
                        out.push(Conflict::InBlackout {
                            item: Some(item),
                            blackout: name(),
                        });
                    }
                }
                if checks.related_blackout {
                    for &(item, related) in scope
                        .related
                        .as_slice()
                        .iter()
                        .filter(|(_, r)| freeze.applies_to(r))
                    {
                        out.push(Conflict::RelatedInBlackout {
                            item,
                            related,
                            blackout: name(),
                        });
                    }
                }
            };
            rules.window_freezes(start, end, |ix, _| blackout(ix, out));
            for &ix in rules.calendar_freezes() {
                if let Some(calendar) = rules.freeze(ix).and_then(|f| f.calendar.as_ref()) {
                    if calendar.overlaps(&from, &to)? {
                        blackout(ix, out);
                    }
                }
            }
            sort_from(out, blackouts);
        }
        if let Some((assignee, ix)) = assignee {
            let from = out.len();
            self.by_assignee()
                .overlapping(ix as usize, start, end, |s| {
                    if Some(s.entry) != skip {
                        if let Some(change) = self.change_at(s.entry) {
                            out.push(Conflict::AssigneeBooked { assignee, change });
                        }
                    }
                });
            sort_from(out, from);
        }
        Ok(())
    }

    /// The first [`Search::count`] windows of the proposal's length, starting at or after
    /// the proposal's start and ending at most [`Search::horizon`] after it, on which
    /// [`Schedule::check`] finds no conflict; each starts at the earliest free instant at
    /// least [`Search::step`] after the previous one's start. Fewer (or none) when the
    /// horizon holds fewer.
    ///
    /// The search jumps rather than steps: from a start that conflicts it moves to the
    /// latest end of the bookings and blackout windows in the way, or to the next start
    /// at which each maintenance window fits the length ([`itsm_calendar::Calendar::next_fit`]),
    /// until nothing is in the way. So it never misses a free start, and its cost grows
    /// with what it jumps over, not with the horizon.
    ///
    /// # Errors
    /// [`Error::InvalidSearchHorizon`], [`Error::InvalidSearchStep`] for a horizon or step
    /// that is not positive; [`Error::Calendar`] as [`Schedule::check`].
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Checks, Limits, NoTopology, Proposal, Rules, Schedule, ScheduledChange, Search, Window};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let db = ConfigItemId::from_u128(10);
    /// let (schedule, _) = Schedule::build([ScheduledChange::new(ChangeId::from_u128(1), vec![db], Some(at(9)), Some(at(12)))], &Limits::new());
    /// let rules = Rules::new(Checks::all(), vec![], vec![])?;
    ///
    /// // Two hours on the database from 08:00: free from 12:00, then every hour.
    /// let wanted = Proposal::new(vec![db], Window::starting(at(8), Duration::hours(2))?);
    /// let mut search = Search::new();
    /// search.count = 3;
    /// let free = schedule.next_windows(&wanted, &search, &rules, &NoTopology)?;
    /// assert_eq!(free.iter().map(|w| w.start()).collect::<Vec<_>>(), [at(12), at(13), at(14)]);
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn next_windows(
        &self,
        proposal: &Proposal,
        search: &Search,
        rules: &Rules,
        topology: &(impl Topology + ?Sized),
    ) -> Result<Vec<Window>, Error> {
        if search.horizon <= Duration::zero() {
            return Err(Error::InvalidSearchHorizon {
                horizon: search.horizon,
            });
        }
        if search.step <= Duration::zero() {
            return Err(Error::InvalidSearchStep { step: search.step });
        }
        let mut scope = Scope::empty();
        scope.fill(proposal, rules, topology);
        let (from, first_end) = proposal.window.span();
        let length = first_end - from;
        let limit = from.saturating_add(search.horizon.num_nanoseconds().unwrap_or(i64::MAX));
        let step = search.step.num_nanoseconds().unwrap_or(i64::MAX);
        let mut out = Vec::new();
        let mut t = from;
        while out.len() < search.count {
            let Some(start) = self.earliest(proposal, &scope, rules, t, length, limit)? else {
                break;
            };
            out.push(Window::from_nanos(start, start + length));
            t = match start.checked_add(step) {
                Some(next) => next,
                None => break,
            };
        }
        Ok(out)
    }

    /// The earliest start `s >= t` with `s + length <= limit` whose window is free.
    fn earliest(
        &self,
        proposal: &Proposal,
        scope: &Scope,
        rules: &Rules,
        mut t: i64,
        length: i64,
        limit: i64,
    ) -> Result<Option<i64>, Error> {
        let checks = rules.checks();
        let skip = self.excluded(proposal);
        loop {
            let Some(end) = t.checked_add(length).filter(|&e| e <= limit) else {
                return Ok(None);
            };
            // Bookings in the way: every start before their end conflicts.
            let mut next_free = t;
            if checks.same_item {
                for item in scope.items.as_slice().iter() {
                    let ix = self.item_position(item);
                    next_free = next_free.max(latest_end(self.by_item(), ix, t, end, skip));
                }
            }
            if checks.related_items {
                for (_, related) in scope.related.as_slice() {
                    let ix = self.item_position(related);
                    next_free = next_free.max(latest_end(self.by_item(), ix, t, end, skip));
                }
            }
            if checks.assignee {
                if let Some(user) = &proposal.assignee {
                    let ix = self.assignee_position(user);
                    next_free = next_free.max(latest_end(self.by_assignee(), ix, t, end, skip));
                }
            }
            // Blackouts that apply.
            if checks.blackout || checks.related_blackout {
                let applies = |ix: u32| {
                    rules.freeze(ix).is_some_and(|f| {
                        (checks.blackout
                            && (f.items.is_none()
                                || scope.items.as_slice().iter().any(|i| f.applies_to(i))))
                            || (checks.related_blackout
                                && f.items.is_some()
                                && scope
                                    .related
                                    .as_slice()
                                    .iter()
                                    .any(|(_, r)| f.applies_to(r)))
                    })
                };
                rules.window_freezes(t, end, |ix, until| {
                    if applies(ix) {
                        next_free = next_free.max(until);
                    }
                });
                let (from, to) = (instant(t), instant(end));
                for &ix in rules.calendar_freezes() {
                    if !applies(ix) {
                        continue;
                    }
                    let Some(calendar) = rules.freeze(ix).and_then(|f| f.calendar.as_ref()) else {
                        continue;
                    };
                    // The last blackout interval met; when it runs past the window, every
                    // start up to the window's end conflicts too.
                    if let Some((_, until)) = calendar.intervals_between(&from, &to)?.last() {
                        let until = crate::window::nanos(*until).unwrap_or(end);
                        next_free = next_free.max(until.min(end).max(t + 1));
                    }
                }
            }
            // Maintenance windows: the next start at which each fits the length.
            let mut calendars: Vec<&itsm_calendar::Calendar> = Vec::new();
            if checks.maintenance {
                calendars.extend(
                    scope
                        .items
                        .as_slice()
                        .iter()
                        .filter_map(|i| rules.maintenance_of(i)),
                );
            }
            if checks.related_maintenance {
                calendars.extend(
                    scope
                        .related
                        .as_slice()
                        .iter()
                        .filter_map(|(_, r)| rules.maintenance_of(r)),
                );
            }
            let span = Duration::nanoseconds(length);
            for calendar in calendars {
                match calendar.next_fit(&instant(t), span)? {
                    Some(fit) => {
                        let fit = crate::window::nanos(fit).unwrap_or(i64::MAX);
                        next_free = next_free.max(fit);
                    }
                    None => return Ok(None),
                }
            }
            if next_free == t {
                return Ok(Some(t));
            }
            t = next_free;
        }
    }
}

/// The answers of the maintenance calendars asked in one check, by calendar (a check meets
/// one or two calendars, usually).
struct Covered {
    asked: Inline<(u32, bool), 4>,
}

impl Covered {
    fn new() -> Self {
        Covered {
            asked: Inline::new((u32::MAX, false)),
        }
    }

    fn find(&self, ix: u32) -> Option<bool> {
        self.asked
            .as_slice()
            .iter()
            .find(|(c, _)| *c == ix)
            .map(|&(_, covers)| covers)
    }

    fn remember(&mut self, ix: u32, covers: bool) {
        self.asked.push((ix, covers));
    }

    /// The name of maintenance calendar `ix` (an item's, `None` when it has none) when it
    /// does not cover `[from, to)`.
    #[inline]
    fn outside(
        &mut self,
        rules: &Rules,
        ix: Option<u32>,
        from: &chrono::DateTime<chrono::Utc>,
        to: &chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Arc<str>>, Error> {
        let Some(ix) = ix else {
            return Ok(None);
        };
        let covers = match self.find(ix) {
            Some(covers) => covers,
            None => {
                let covers = match rules.calendar(ix) {
                    Some((calendar, _)) => calendar.covers(from, to)?,
                    None => true,
                };
                self.remember(ix, covers);
                covers
            }
        };
        Ok((!covers)
            .then(|| rules.calendar(ix).map(|(_, name)| Arc::clone(name)))
            .flatten())
    }
}

/// An id's number: ids compare as their numbers do (both are big-endian).
#[inline]
fn number(id: &ConfigItemId) -> u128 {
    id.0.as_u128()
}

/// What [`Scope::lookups`] found: for the items, then for the related items.
struct Lookups {
    values: Inline<Found, 16>,
    split: usize,
}

impl Lookups {
    /// None found yet ([`Scope::lookups`] fills it, and sets which are the items').
    #[inline(always)]
    fn new() -> Self {
        Lookups {
            values: Inline::new(Found::NONE),
            split: 0,
        }
    }

    fn items(&self) -> &[Found] {
        self.values.as_slice().get(..self.split).unwrap_or(&[])
    }

    fn related(&self) -> &[Found] {
        self.values.as_slice().get(self.split..).unwrap_or(&[])
    }
}

/// Sorts what was pushed to `out` since `from`.
fn sort_from(out: &mut [Conflict], from: usize) {
    if let Some(tail) = out.get_mut(from..) {
        if tail.len() > 1 {
            tail.sort_unstable();
        }
    }
}

/// The latest end of the bookings of group `ix` of `forest` that overlap `[start, end)`,
/// other than `skip` (`start` when there are none).
fn latest_end(
    forest: &crate::tree::Forest,
    ix: Option<u32>,
    start: i64,
    end: i64,
    skip: Option<u32>,
) -> i64 {
    let mut latest = start;
    if let Some(ix) = ix {
        forest.overlapping(ix as usize, start, end, |s| {
            if Some(s.entry) != skip {
                latest = latest.max(s.end);
            }
        });
    }
    latest
}
