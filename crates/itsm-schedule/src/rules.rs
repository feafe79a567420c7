//! The rules a proposed change is checked against: which checks run, maintenance windows
//! per item, blackout (freeze) windows.

use std::sync::Arc;

use itsm_calendar::Calendar;
use itsm_core::ConfigItemId;

use crate::error::Error;
use crate::hash::IdMap;
use crate::tree::{Forest, Slot};
use crate::window::Window;

/// Which conflicts a check looks for; all of them by default. Each is one of ServiceNow's
/// conflict properties (`change.conflict.*`, named beside each field).
///
/// ```
/// use itsm_schedule::Checks;
///
/// let mut checks = Checks::all();
/// checks.related_maintenance = false;
/// assert!(checks.same_item);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields, default))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Checks {
    /// The item already scheduled in another change (`currentci`).
    pub same_item: bool,
    /// A related item already scheduled (parent or child CI already scheduled).
    pub related_items: bool,
    /// The item outside its maintenance window (`currentwindow`, `ci_maint_sched`).
    pub maintenance: bool,
    /// A related item outside its maintenance window (`relatedparentwindow`,
    /// `relatedchildwindow`).
    pub related_maintenance: bool,
    /// The change inside a blackout window that applies to it (`blackout`).
    pub blackout: bool,
    /// A related item inside a blackout window that applies to it
    /// (`relatedparentblackout`, `relatedchildblackout`).
    pub related_blackout: bool,
    /// The assignee already booked on another change (`assigned_to`).
    pub assignee: bool,
}

impl Checks {
    /// Every check.
    pub const fn all() -> Checks {
        Checks {
            same_item: true,
            related_items: true,
            maintenance: true,
            related_maintenance: true,
            blackout: true,
            related_blackout: true,
            assignee: true,
        }
    }

    /// No check (turn on the ones wanted through the fields).
    pub const fn none() -> Checks {
        Checks {
            same_item: false,
            related_items: false,
            maintenance: false,
            related_maintenance: false,
            blackout: false,
            related_blackout: false,
            assignee: false,
        }
    }

    pub(crate) fn any_related(&self) -> bool {
        self.related_items || self.related_maintenance || self.related_blackout
    }
}

impl Default for Checks {
    /// [`Checks::all`].
    fn default() -> Self {
        Checks::all()
    }
}

/// The maintenance windows of some configuration items (one item, or a group sharing a
/// schedule): a calendar whose open time is the window. A change on such an item must lie
/// wholly inside open time ([`Calendar::covers`]); an item without one may change at any
/// time.
///
/// ```
/// use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
/// use itsm_core::ConfigItemId;
/// use itsm_schedule::Maintenance;
///
/// let mut week = Week::default();
/// week.sat = vec![Segment::parse("22:00", "04:00")?];
/// let saturday_nights = Calendar::new(&CalendarSpec::new("saturday-nights", week))?;
/// let group = Maintenance::new(saturday_nights, vec![ConfigItemId::from_u128(10), ConfigItemId::from_u128(11)]);
/// assert_eq!(group.calendar().name(), "saturday-nights");
/// # Ok::<(), itsm_calendar::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    calendar: Calendar,
    items: Vec<ConfigItemId>,
}

impl Maintenance {
    /// The maintenance windows `calendar` gives `items`.
    pub fn new(calendar: Calendar, items: Vec<ConfigItemId>) -> Maintenance {
        Maintenance { calendar, items }
    }

    /// The calendar.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// The items it applies to.
    pub fn items(&self) -> &[ConfigItemId] {
        &self.items
    }
}

/// A blackout (freeze): times when changes must not run, given as a calendar whose open
/// time is the blackout, or as a list of windows; for every item, or only for some.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itsm_core::ConfigItemId;
/// use itsm_schedule::{Blackout, Window};
///
/// let day = |d| Utc.with_ymd_and_hms(2026, 12, d, 0, 0, 0).unwrap();
/// let year_end = Blackout::windows("year-end freeze", vec![Window::new(day(15), day(31))?]);
/// let payroll = Blackout::windows("payroll run", vec![Window::new(day(24), day(26))?])
///     .only_for(vec![ConfigItemId::from_u128(10)]);
/// assert_eq!(payroll.name(), "payroll run");
/// assert!(year_end.items().is_none());
/// # Ok::<(), itsm_schedule::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blackout {
    name: String,
    times: Times,
    items: Option<Vec<ConfigItemId>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Times {
    Calendar(Box<Calendar>),
    Windows(Vec<Window>),
}

impl Blackout {
    /// A blackout during `calendar`'s open time, for every item; its name is the
    /// calendar's.
    pub fn calendar(calendar: Calendar) -> Blackout {
        Blackout {
            name: calendar.name().to_owned(),
            times: Times::Calendar(Box::new(calendar)),
            items: None,
        }
    }

    /// A blackout during `windows`, for every item.
    pub fn windows(name: &str, windows: Vec<Window>) -> Blackout {
        Blackout {
            name: name.to_owned(),
            times: Times::Windows(windows),
            items: None,
        }
    }

    /// The same blackout, for `items` only.
    pub fn only_for(mut self, items: Vec<ConfigItemId>) -> Blackout {
        self.items = Some(items);
        self
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The items it applies to, or `None` for every item.
    pub fn items(&self) -> Option<&[ConfigItemId]> {
        self.items.as_deref()
    }
}

/// A blackout as the rules keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Freeze {
    pub name: Arc<str>,
    /// A calendar blackout (window blackouts are in the rules' tree).
    pub calendar: Option<Calendar>,
    /// The items, sorted, or `None` for every item.
    pub items: Option<Vec<ConfigItemId>>,
}

impl Freeze {
    pub fn applies_to(&self, item: &ConfigItemId) -> bool {
        self.items
            .as_ref()
            .is_none_or(|items| items.binary_search(item).is_ok())
    }
}

/// Everything a proposed change is checked against besides the schedule: which checks run
/// ([`Checks`]), maintenance windows by item ([`Maintenance`]) and blackouts
/// ([`Blackout`]). Built once, checked: an item with two maintenance calendars is refused.
///
/// ```
/// use itsm_schedule::{Checks, Rules};
///
/// // No maintenance windows, no blackouts: only other changes and assignees conflict.
/// let rules = Rules::new(Checks::all(), vec![], vec![])?;
/// assert_eq!(rules.blackout_count(), 0);
/// # Ok::<(), itsm_schedule::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    checks: Checks,
    /// Maintenance calendars and their names (shared by the conflicts that name them).
    calendars: Vec<(Calendar, Arc<str>)>,
    maintenance: IdMap<ConfigItemId, u32>,
    freezes: Vec<Freeze>,
    /// The windows of window blackouts, entry = the blackout's position.
    windows: Forest,
    /// Positions of calendar blackouts.
    calendar_freezes: Vec<u32>,
}

impl Rules {
    /// Rules running `checks`, with `maintenance` windows and `blackouts`.
    ///
    /// # Errors
    /// [`Error::DuplicateMaintenance`] when an item is given two maintenance calendars.
    pub fn new(
        checks: Checks,
        maintenance: Vec<Maintenance>,
        blackouts: Vec<Blackout>,
    ) -> Result<Rules, Error> {
        let mut calendars = Vec::with_capacity(maintenance.len());
        let mut by_item: IdMap<ConfigItemId, u32> = IdMap::default();
        for (ix, group) in (0u32..).zip(maintenance) {
            for item in &group.items {
                if let Some(&other) = by_item.get(item) {
                    if other != ix {
                        let first = calendars
                            .get(other as usize)
                            .map_or_else(String::new, |(c, _): &(Calendar, Arc<str>)| {
                                c.name().to_owned()
                            });
                        return Err(Error::DuplicateMaintenance {
                            item: *item,
                            first,
                            second: group.calendar.name().to_owned(),
                        });
                    }
                }
                by_item.insert(*item, ix);
            }
            let name = Arc::from(group.calendar.name());
            calendars.push((group.calendar, name));
        }
        let mut freezes = Vec::with_capacity(blackouts.len());
        let mut slots = Vec::new();
        let mut calendar_freezes = Vec::new();
        for (ix, blackout) in (0u32..).zip(blackouts) {
            let items = blackout.items.map(|mut items| {
                items.sort_unstable();
                items.dedup();
                items
            });
            let calendar = match blackout.times {
                Times::Calendar(calendar) => {
                    calendar_freezes.push(ix);
                    Some(*calendar)
                }
                Times::Windows(windows) => {
                    for window in windows {
                        let (start, end) = window.span();
                        slots.push((0, Slot::new(start, end, ix)));
                    }
                    None
                }
            };
            freezes.push(Freeze {
                name: Arc::from(blackout.name),
                calendar,
                items,
            });
        }
        Ok(Rules {
            checks,
            calendars,
            maintenance: by_item,
            freezes,
            windows: Forest::new(1, slots),
            calendar_freezes,
        })
    }

    /// The checks that run.
    pub fn checks(&self) -> Checks {
        self.checks
    }

    /// How many blackouts the rules hold.
    pub fn blackout_count(&self) -> usize {
        self.freezes.len()
    }

    /// The maintenance calendar of `item`, if it has one.
    pub fn maintenance_of(&self, item: &ConfigItemId) -> Option<&Calendar> {
        let ix = *self.maintenance.get(item)?;
        self.calendars.get(ix as usize).map(|(c, _)| c)
    }

    pub(crate) fn maintenance_index(&self, item: &ConfigItemId) -> Option<u32> {
        if self.maintenance.is_empty() {
            return None;
        }
        self.maintenance.get(item).copied()
    }

    /// How many items have a maintenance calendar.
    pub(crate) fn maintained(&self) -> usize {
        self.maintenance.len()
    }

    /// Every item with a maintenance calendar, with the calendar (in no set order).
    pub(crate) fn maintenance_items(&self) -> impl Iterator<Item = (&ConfigItemId, u32)> {
        self.maintenance.iter().map(|(item, &ix)| (item, ix))
    }

    pub(crate) fn calendar(&self, ix: u32) -> Option<&(Calendar, Arc<str>)> {
        self.calendars.get(ix as usize)
    }

    pub(crate) fn freeze(&self, ix: u32) -> Option<&Freeze> {
        self.freezes.get(ix as usize)
    }

    /// Calls `hit` with each blackout window overlapping `[start, end)`: the blackout's
    /// position and the window's end.
    pub(crate) fn window_freezes(&self, start: i64, end: i64, mut hit: impl FnMut(u32, i64)) {
        self.windows
            .overlapping(0, start, end, |slot| hit(slot.entry, slot.end));
    }

    pub(crate) fn calendar_freezes(&self) -> &[u32] {
        &self.calendar_freezes
    }
}
