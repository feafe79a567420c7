//! Scheduled changes in, a checked and indexed schedule out.

use chrono::{DateTime, Duration, Utc};
use itsm_core::{ChangeId, ConfigItemId, UserId};

use crate::error::Error;
use crate::hash::IdMap;
use crate::tree::{Forest, Slot};
use crate::window::{Window, nanos};

/// A change on the calendar, as the host's records give it: the change, the configuration
/// items it works on, its planned window `[start, end)` (either end may be missing in real
/// data) and who implements it.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_core::{ChangeId, ConfigItemId, UserId};
/// use itsm_schedule::ScheduledChange;
///
/// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
/// let mut change = ScheduledChange::new(ChangeId::from_u128(1), vec![ConfigItemId::from_u128(10)], Some(at(22)), Some(at(23)));
/// change.assignee = Some(UserId::from_u128(7));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScheduledChange {
    /// The change.
    pub change: ChangeId,
    /// The configuration items it works on (order and repeats do not matter).
    #[cfg_attr(feature = "serde", serde(default))]
    pub items: Vec<ConfigItemId>,
    /// Its planned start, if the record has one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub start: Option<DateTime<Utc>>,
    /// Its planned end (excluded), if the record has one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<DateTime<Utc>>,
    /// Who implements it, if anyone is assigned.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub assignee: Option<UserId>,
}

impl ScheduledChange {
    /// A change on `items` planned from `start` to `end`, with no assignee (set
    /// [`assignee`](ScheduledChange::assignee) through the field).
    pub fn new(
        change: ChangeId,
        items: Vec<ConfigItemId>,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
    ) -> Self {
        ScheduledChange {
            change,
            items,
            start,
            end,
            assignee: None,
        }
    }

    /// A change on `items` planned for `window`, with no assignee.
    ///
    /// ```
    /// use chrono::{Duration, TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{ScheduledChange, Window};
    ///
    /// let window = Window::starting(Utc.with_ymd_and_hms(2026, 3, 7, 22, 0, 0).unwrap(), Duration::hours(2))?;
    /// let change = ScheduledChange::planned(ChangeId::from_u128(1), vec![ConfigItemId::from_u128(10)], window);
    /// assert_eq!(change.end, Some(window.end()));
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn planned(change: ChangeId, items: Vec<ConfigItemId>, window: Window) -> Self {
        ScheduledChange::new(change, items, Some(window.start()), Some(window.end()))
    }
}

/// What [`Schedule::build`] accepts: the longest planned window (real calendars carry
/// windows of years, typing mistakes that would block an item for ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Limits {
    /// The longest planned window accepted (ISO 8601 in JSON, `"P366D"`); longer ones are
    /// refused with [`Error::WindowTooLong`]. Default: 366 days.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub longest: Duration,
}

impl Limits {
    /// The default longest window: 366 days.
    pub const DEFAULT_LONGEST: Duration = Duration::days(366);

    /// Windows up to [`Limits::DEFAULT_LONGEST`].
    pub const fn new() -> Limits {
        Limits {
            longest: Limits::DEFAULT_LONGEST,
        }
    }

    /// Windows up to `longest`.
    ///
    /// ```
    /// use chrono::Duration;
    /// use itsm_schedule::Limits;
    ///
    /// assert_eq!(Limits::longest(Duration::days(30)).longest, Duration::days(30));
    /// ```
    pub const fn longest(longest: Duration) -> Limits {
        Limits { longest }
    }
}

impl Default for Limits {
    /// [`Limits::new`].
    fn default() -> Self {
        Limits::new()
    }
}

/// A change the schedule holds: its window checked, its items sorted without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    change: ChangeId,
    window: Window,
    items: Vec<ConfigItemId>,
    assignee: Option<UserId>,
}

impl Booking {
    /// The change.
    pub fn change(&self) -> ChangeId {
        self.change
    }

    /// Its planned window.
    pub fn window(&self) -> Window {
        self.window
    }

    /// Its configuration items, sorted, each once.
    pub fn items(&self) -> &[ConfigItemId] {
        &self.items
    }

    /// Who implements it.
    pub fn assignee(&self) -> Option<UserId> {
        self.assignee
    }
}

/// The change calendar: scheduled changes indexed by configuration item and by assignee.
///
/// Built once from the host's records ([`Schedule::build`], which refuses bad windows and
/// keeps the rest), then queried: [`Schedule::check`](Schedule::check) a proposed change,
/// [`Schedule::next_windows`](Schedule::next_windows) for free windows,
/// [`Schedule::scan`](Schedule::scan) and [`Schedule::scan_related`](Schedule::scan_related)
/// for every conflicting pair of the calendar.
///
/// Each item's (and each assignee's) bookings are one implicit interval tree sorted by start,
/// where each node keeps the largest end below it: a check visits only bookings that can
/// overlap, whatever the nesting of long windows, without recursion.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Sorted by change id: a booking's position is its index everywhere below.
    bookings: Vec<Booking>,
    /// Each booking's window in nanoseconds.
    spans: Vec<(i64, i64)>,
    /// Each booking's items as dense indexes: `item_list[item_from[b]..item_from[b + 1]]`.
    item_from: Vec<usize>,
    item_list: Vec<u32>,
    /// Dense item index of each id, and back.
    item_index: IdMap<ConfigItemId, u32>,
    item_ids: Vec<ConfigItemId>,
    by_item: Forest,
    assignee_index: IdMap<UserId, u32>,
    by_assignee: Forest,
    /// Bookings by start, then position.
    by_start: Vec<u32>,
}

/// Why a record is refused, if it is.
fn planned_window(record: &ScheduledChange, limits: &Limits) -> Result<Window, Error> {
    let change = record.change;
    let (Some(start), Some(end)) = (record.start, record.end) else {
        return Err(Error::MissingWindow {
            change,
            start: record.start,
            end: record.end,
        });
    };
    if nanos(start).is_none() || nanos(end).is_none() {
        return Err(Error::PlannedWindowOutOfRange { change, start, end });
    }
    if end <= start {
        return Err(Error::InvalidPlannedWindow { change, start, end });
    }
    let length = end - start;
    if length > limits.longest {
        return Err(Error::WindowTooLong {
            change,
            start,
            end,
            length,
            longest: limits.longest,
        });
    }
    Window::new(start, end)
}

impl Schedule {
    /// Checks and indexes `changes`. Each record whose planned window is missing, does not
    /// end after it starts, lies outside the instants a schedule represents or is longer
    /// than `limits` allow is refused, and so is a second record of the same change; the
    /// rest are kept. The refusals come back beside the schedule, in input order, each an
    /// [`Error`] naming the change.
    ///
    /// O(n log n) for n records.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Error, Limits, Schedule, ScheduledChange};
    ///
    /// let at = |d, h| Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap();
    /// let db = ConfigItemId::from_u128(10);
    /// let (schedule, refused) = Schedule::build(
    ///     [
    ///         ScheduledChange::new(ChangeId::from_u128(1), vec![db], Some(at(7, 22)), Some(at(7, 23))),
    ///         ScheduledChange::new(ChangeId::from_u128(2), vec![db], Some(at(7, 22)), None),
    ///         ScheduledChange::new(ChangeId::from_u128(3), vec![db], Some(at(8, 2)), Some(at(7, 23))),
    ///     ],
    ///     &Limits::new(),
    /// );
    /// assert_eq!(schedule.len(), 1);
    /// assert_eq!(refused[0].to_string(), "change 00000000-0000-0000-0000-000000000002 has no planned end; a scheduled change needs a planned start and end");
    /// assert!(matches!(refused[1], Error::InvalidPlannedWindow { .. }));
    /// ```
    pub fn build(
        changes: impl IntoIterator<Item = ScheduledChange>,
        limits: &Limits,
    ) -> (Schedule, Vec<Error>) {
        let mut refused: Vec<(usize, Error)> = Vec::new();
        let mut kept: Vec<(usize, Booking)> = Vec::new();
        for (position, record) in changes.into_iter().enumerate() {
            match planned_window(&record, limits) {
                Ok(window) => {
                    let mut items = record.items;
                    items.sort_unstable();
                    items.dedup();
                    kept.push((
                        position,
                        Booking {
                            change: record.change,
                            window,
                            items,
                            assignee: record.assignee,
                        },
                    ));
                }
                Err(e) => refused.push((position, e)),
            }
        }
        // By change, the first record of a change first: later ones are duplicates.
        kept.sort_by_key(|(position, b)| (b.change, *position));
        let mut bookings: Vec<Booking> = Vec::with_capacity(kept.len());
        // Item bookings (a change on three items counts three), kept under 2^32 as the
        // changes are: the lookups address them with 32 bits.
        let mut item_bookings = 0u64;
        for (position, booking) in kept {
            let with = item_bookings.saturating_add(booking.items.len() as u64);
            if bookings.last().is_some_and(|b| b.change == booking.change) {
                refused.push((
                    position,
                    Error::DuplicateChange {
                        change: booking.change,
                    },
                ));
            } else if u32::try_from(bookings.len()).is_ok_and(|n| n < u32::MAX)
                && with < u64::from(u32::MAX)
            {
                item_bookings = with;
                bookings.push(booking);
            } else {
                refused.push((
                    position,
                    Error::TooManyChanges {
                        change: booking.change,
                        max: u64::from(u32::MAX),
                    },
                ));
            }
        }
        refused.sort_by_key(|(position, _)| *position);
        let refused = refused.into_iter().map(|(_, e)| e).collect();
        (Schedule::index(bookings), refused)
    }

    /// Indexes bookings sorted by change id, each change once, fewer than 2^32, with fewer
    /// than 2^32 item bookings.
    fn index(bookings: Vec<Booking>) -> Schedule {
        let spans: Vec<(i64, i64)> = bookings.iter().map(|b| b.window.span()).collect();
        let mut item_index: IdMap<ConfigItemId, u32> = IdMap::default();
        let mut item_ids = Vec::new();
        let mut item_from = Vec::with_capacity(bookings.len() + 1);
        let mut item_list = Vec::new();
        let mut item_pairs = Vec::new();
        let mut assignee_index: IdMap<UserId, u32> = IdMap::default();
        let mut assignee_pairs = Vec::new();
        let mut assignees = 0u32;
        item_from.push(0);
        for ((b, booking), &(start, end)) in (0u32..).zip(&bookings).zip(&spans) {
            for item in &booking.items {
                let ix = *item_index.entry(*item).or_insert_with(|| {
                    item_ids.push(*item);
                    u32::try_from(item_ids.len() - 1).unwrap_or(u32::MAX)
                });
                item_list.push(ix);
                item_pairs.push((ix, Slot::new(start, end, b)));
            }
            item_from.push(item_list.len());
            if let Some(user) = booking.assignee {
                let ix = *assignee_index.entry(user).or_insert_with(|| {
                    assignees += 1;
                    assignees - 1
                });
                assignee_pairs.push((ix, Slot::new(start, end, b)));
            }
        }
        // Each booking's dense items sorted, for the scan's merges.
        for b in 0..bookings.len() {
            if let (Some(&from), Some(&to)) = (item_from.get(b), item_from.get(b + 1)) {
                if let Some(list) = item_list.get_mut(from..to) {
                    list.sort_unstable();
                }
            }
        }
        let by_item = Forest::new(item_ids.len(), item_pairs);
        let by_assignee = Forest::new(assignees as usize, assignee_pairs);
        let mut by_start: Vec<u32> = (0u32..).take(bookings.len()).collect();
        by_start.sort_by_key(|&b| (spans.get(b as usize).map_or(i64::MAX, |s| s.0), b));
        Schedule {
            bookings,
            spans,
            item_from,
            item_list,
            item_index,
            item_ids,
            by_item,
            assignee_index,
            by_assignee,
            by_start,
        }
    }

    /// How many changes the schedule holds.
    pub fn len(&self) -> usize {
        self.bookings.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.bookings.is_empty()
    }

    /// The changes it holds, by change id.
    pub fn bookings(&self) -> &[Booking] {
        &self.bookings
    }

    /// The booking of `change`, if the schedule holds it.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Limits, Schedule, ScheduledChange};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let change = ChangeId::from_u128(1);
    /// let (schedule, _) = Schedule::build([ScheduledChange::new(change, vec![], Some(at(22)), Some(at(23)))], &Limits::new());
    /// assert_eq!(schedule.booking(&change).map(|b| b.window().start()), Some(at(22)));
    /// assert!(schedule.booking(&ChangeId::from_u128(2)).is_none());
    /// ```
    pub fn booking(&self, change: &ChangeId) -> Option<&Booking> {
        self.bookings
            .binary_search_by(|b| b.change.cmp(change))
            .ok()
            .and_then(|i| self.bookings.get(i))
    }

    /// How many distinct configuration items the bookings name.
    pub fn item_count(&self) -> usize {
        self.item_ids.len()
    }

    // -- for the queries ------------------------------------------------------------------

    pub(crate) fn change_at(&self, b: u32) -> Option<ChangeId> {
        self.bookings.get(b as usize).map(|b| b.change)
    }

    pub(crate) fn item_position(&self, item: &ConfigItemId) -> Option<u32> {
        self.item_index.get(item).copied()
    }

    pub(crate) fn assignee_position(&self, user: &UserId) -> Option<u32> {
        self.assignee_index.get(user).copied()
    }

    pub(crate) fn by_item(&self) -> &Forest {
        &self.by_item
    }

    pub(crate) fn by_assignee(&self) -> &Forest {
        &self.by_assignee
    }

    pub(crate) fn by_start(&self) -> &[u32] {
        &self.by_start
    }

    pub(crate) fn span(&self, b: u32) -> (i64, i64) {
        self.spans.get(b as usize).copied().unwrap_or((0, 0))
    }

    pub(crate) fn item_id(&self, ix: u32) -> Option<&ConfigItemId> {
        self.item_ids.get(ix as usize)
    }

    /// The dense items of booking `b`, sorted.
    pub(crate) fn items_of(&self, b: u32) -> &[u32] {
        let b = b as usize;
        match (self.item_from.get(b), self.item_from.get(b + 1)) {
            (Some(&from), Some(&to)) => self.item_list.get(from..to).unwrap_or(&[]),
            _ => &[],
        }
    }
}
