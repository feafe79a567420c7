//! A schedule and its rules joined once, for a host that checks many proposals.

use crate::check::{Conflict, Proposal, Search, Topology};
use crate::error::Error;
use crate::index::ItemTable;
use crate::rules::Rules;
use crate::schedule::Schedule;
use crate::window::Window;

impl Schedule {
    /// This schedule and `rules` joined for many checks: [`Checker::check`] answers as
    /// [`Schedule::check`] does, finding each item's bookings and maintenance calendar with
    /// one probe of one table instead of two hash lookups and two tables. Building it costs
    /// an insertion per item of the schedule and per item with a maintenance calendar.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use itsm_core::{ChangeId, ConfigItemId};
    /// use itsm_schedule::{Checks, Limits, NoTopology, Proposal, Rules, Schedule, ScheduledChange, Window};
    ///
    /// let at = |h| Utc.with_ymd_and_hms(2026, 3, 7, h, 0, 0).unwrap();
    /// let db = ConfigItemId::from_u128(10);
    /// let (schedule, _) = Schedule::build([ScheduledChange::new(ChangeId::from_u128(1), vec![db], Some(at(20)), Some(at(23)))], &Limits::new());
    /// let rules = Rules::new(Checks::all(), vec![], vec![])?;
    /// let checker = schedule.checker(&rules);
    /// let upgrade = Proposal::new(vec![db], Window::new(at(22), at(23))?);
    /// assert_eq!(checker.check(&upgrade, &NoTopology)?, schedule.check(&upgrade, &rules, &NoTopology)?);
    /// // What it joined.
    /// assert_eq!(checker.schedule().len(), 1);
    /// assert_eq!(checker.rules().checks(), Checks::all());
    /// # Ok::<(), itsm_schedule::Error>(())
    /// ```
    pub fn checker<'a>(&'a self, rules: &'a Rules) -> Checker<'a> {
        Checker {
            schedule: self,
            rules,
            items: self.item_table(rules),
        }
    }

    /// Every item's bookings and maintenance calendar. `None` (the checker then answers
    /// through the schedule's own lookups) when a slot offset is past 32 bits, which
    /// [`Schedule::build`]'s limit of 2^32 - 1 item bookings rules out, or when the table
    /// is full, which its sizing rules out: a guard, never taken.
    fn item_table(&self, rules: &Rules) -> Option<ItemTable> {
        let mut items = ItemTable::with_room(self.item_count().saturating_add(rules.maintained()));
        for p in 0..=u32::MAX {
            let Some(item) = self.item_id(p) else {
                break;
            };
            let (from, to) = self.by_item().bounds(p as usize)?;
            let found = items.entry(item)?;
            (found.from, found.to) = (from, to);
        }
        for (item, calendar) in rules.maintenance_items() {
            items.entry(item)?.calendar = calendar;
        }
        Some(items)
    }
}

/// A [`Schedule`] and [`Rules`] joined for many checks ([`Schedule::checker`]): a host that
/// checks many proposals, or searches for free windows, against the same schedule and rules
/// builds one and asks it. Its answers are [`Schedule::check`]'s and
/// [`Schedule::next_windows`]'s.
#[derive(Debug, Clone)]
pub struct Checker<'a> {
    schedule: &'a Schedule,
    rules: &'a Rules,
    /// Each item's bookings and maintenance calendar (see [`Schedule::item_table`]).
    items: Option<ItemTable>,
}

impl Checker<'_> {
    /// [`Schedule::check`] of `proposal` against the schedule and the rules.
    ///
    /// # Errors
    /// As [`Schedule::check`].
    pub fn check(
        &self,
        proposal: &Proposal,
        topology: &(impl Topology + ?Sized),
    ) -> Result<Vec<Conflict>, Error> {
        self.schedule
            .check_with(proposal, self.rules, self.items.as_ref(), topology)
    }

    /// [`Schedule::next_windows`] of `proposal` against the schedule and the rules.
    ///
    /// # Errors
    /// As [`Schedule::next_windows`].
    pub fn next_windows(
        &self,
        proposal: &Proposal,
        search: &Search,
        topology: &(impl Topology + ?Sized),
    ) -> Result<Vec<Window>, Error> {
        self.schedule
            .next_windows(proposal, search, self.rules, topology)
    }

    /// The schedule it checks against.
    pub fn schedule(&self) -> &Schedule {
        self.schedule
    }

    /// The rules it checks against.
    pub fn rules(&self) -> &Rules {
        self.rules
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::{Checks, Maintenance, ScheduledChange};
    use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
    use itsm_core::{ChangeId, ConfigItemId};

    /// The table has room for every booked item and every maintained one, overlapping or
    /// not, so a checker never falls back to the schedule's slower lookups (its answers
    /// would be the same: `tests/maintenance.rs` checks those).
    #[test]
    fn the_table_holds_booked_and_maintained_items_alike() {
        let night = Calendar::new(&CalendarSpec::new(
            "nights",
            Week::every_day(&[Segment::parse("22:00", "04:00").unwrap()]),
        ))
        .unwrap();
        let id = ConfigItemId::from_u128;
        let at = |h| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 9, h, 0, 0).unwrap();
        let booked: Vec<ScheduledChange> = (0..40u128)
            .map(|i| {
                ScheduledChange::new(
                    ChangeId::from_u128(i),
                    vec![id(i)],
                    Some(at(1)),
                    Some(at(2)),
                )
            })
            .collect();
        let (schedule, refused) = Schedule::build(booked, &crate::Limits::new());
        assert!(refused.is_empty());
        for maintained in [0u128, 1, 40, 200] {
            let items = (1000..1000 + maintained).map(id).collect();
            let rules = Rules::new(
                Checks::all(),
                vec![Maintenance::new(night.clone(), items)],
                vec![],
            )
            .unwrap();
            let table = schedule.checker(&rules).items;
            let table = table.unwrap_or_else(|| panic!("{maintained} maintained: no table"));
            assert_eq!(
                table.get(&id(1000)).calendar(),
                (maintained > 0).then_some(0)
            );
            assert_eq!(table.get(&id(7)).to - table.get(&id(7)).from, 1);
        }
    }
}
