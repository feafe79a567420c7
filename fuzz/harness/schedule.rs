//! The fuzz harness of the change calendar, as plain functions of bytes, with the reference
//! model every answer is compared with.
//!
//! The libFuzzer target `schedule_queries` calls [`queries`]; `schedule_json` calls the JSON
//! harness of `schedule_json.rs`, which uses this file's model. The stable tests of
//! `crates/itsm-schedule` include both files: `tests/fuzz_corpus.rs` replays every saved
//! input of `fuzz/corpus/<target>/`, and `tests/reference.rs` runs the same comparison on
//! calendars proptest generates.
//!
//! The reference model is the rules written the plain way: every booking against every
//! other (pairs), every booking against the proposal (checks), and free windows found by
//! trying every start on the quarter-hour grid all instants of a decoded input lie on.
//!
//! How [`queries`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the longest window (0 a year, 1 six hours, 2 seven and a half hours); byte 1:
//!   the checks (under 128 all, else bit i turns on the i-th of `Checks`' fields);
//! - then n % 13 scheduled changes, each: change id (100 + n % 10, so ids repeat), items
//!   (a mask over six items), start (quarter hours from Monday 2026-03-02 00:00 UTC; 255:
//!   missing), length (0: zero, 255: no end, 254: ends a quarter before it starts, 253:
//!   fifty hours, else n % 64 quarters) and assignee (0-2, 3 none);
//! - then six bytes, one per item, its maintenance calendar (0 none, 1 nights 22:00-04:00,
//!   2 weekdays 09:00-17:00, 3 always open);
//! - then n % 4 window blackouts, each: how many windows (1 or 2), each start and length in
//!   quarters, then its items (bit 7: every item, else a mask); then a byte: bit 0 adds a
//!   lunch-time calendar blackout (12:00-13:00 daily), with its items as above;
//! - then n % 7 edges of the topology (from, to: items), then one byte per item: its related
//!   keys (n % 4: none or key 1-3; bit 4 also key 9);
//! - then n % 4 + 1 proposals (items, start, length 1 + n % 24 quarters, assignee, and whose
//!   change it is: n % 12, 10 and 11 none) and the search (count 1 + n % 4, step 1 + n % 8
//!   quarters, horizon 1 + n quarters).

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Segment, Week};
use itsm_core::{ChangeId, ConfigItemId, UserId};
use itsm_schedule::{
    Blackout, Checks, Conflict, Error, Limits, Maintenance, Pair, Proposal, Rules, Schedule,
    ScheduledChange, Search, Window,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

/// The grid every decoded instant lies on.
pub const QUARTER: i64 = 15 * 60;

/// Monday 2 March 2026, 00:00 UTC.
pub fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// `q` quarter hours after [`base`].
pub fn quarter(q: i64) -> DateTime<Utc> {
    base() + Duration::seconds(q * QUARTER)
}

pub fn item(n: u128) -> ConfigItemId {
    ConfigItemId::from_u128(n)
}

pub fn change(n: u128) -> ChangeId {
    ChangeId::from_u128(n)
}

pub fn user(n: u128) -> UserId {
    UserId::from_u128(n)
}

/// The six items the decoder uses.
pub const ITEMS: u128 = 6;

/// A maintenance calendar by number (0: none).
pub fn maintenance_calendar(choice: u8) -> Option<Calendar> {
    let segment = |a, b| Segment::parse(a, b).ok();
    let spec = match choice % 4 {
        1 => CalendarSpec::new("nights", Week::every_day(&[segment("22:00", "04:00")?])),
        2 => CalendarSpec::new("office", Week::weekdays(&[segment("09:00", "17:00")?])),
        3 => CalendarSpec::new("always", Week::every_day(&[segment("00:00", "24:00")?])),
        _ => return None,
    };
    Calendar::new(&spec).ok()
}

/// The lunch-time freeze, 12:00-13:00 every day.
pub fn lunch() -> Option<Calendar> {
    let spec = CalendarSpec::new(
        "lunch",
        Week::every_day(&[Segment::parse("12:00", "13:00").ok()?]),
    );
    Calendar::new(&spec).ok()
}

/// A blackout as the model keeps it.
#[derive(Debug, Clone)]
pub struct Freeze {
    pub name: String,
    pub calendar: Option<Calendar>,
    pub windows: Vec<Window>,
    pub items: Option<Vec<ConfigItemId>>,
}

impl Freeze {
    fn overlaps(&self, w: &Window) -> bool {
        match &self.calendar {
            Some(c) => c.overlaps(&w.start(), &w.end()).unwrap_or(false),
            None => self.windows.iter().any(|x| x.overlaps(w)),
        }
    }

    fn applies(&self, item: &ConfigItemId) -> bool {
        self.items.as_ref().is_none_or(|items| items.contains(item))
    }

    pub fn blackout(&self) -> Blackout {
        let b = match &self.calendar {
            Some(c) => Blackout::calendar(c.clone()),
            None => Blackout::windows(&self.name, self.windows.clone()),
        };
        match &self.items {
            Some(items) => b.only_for(items.clone()),
            None => b,
        }
    }
}

/// Everything a run is made of.
#[derive(Debug, Clone)]
pub struct Model {
    pub limits: Limits,
    pub checks: Checks,
    pub changes: Vec<ScheduledChange>,
    /// Each item's maintenance calendar.
    pub maintenance: Vec<(ConfigItemId, Calendar)>,
    pub freezes: Vec<Freeze>,
    /// Directed: `(a, b)` makes `b` related to `a`.
    pub edges: Vec<(ConfigItemId, ConfigItemId)>,
    /// Each item's related keys.
    pub keys: Vec<(ConfigItemId, Vec<u8>)>,
}

impl Model {
    pub fn rules(&self) -> Result<Rules, Error> {
        // One group per calendar name, as a host would give them.
        let mut groups: Vec<(Calendar, Vec<ConfigItemId>)> = Vec::new();
        for (item, calendar) in &self.maintenance {
            match groups.iter_mut().find(|(c, _)| c.name() == calendar.name()) {
                Some((_, items)) => items.push(*item),
                None => groups.push((calendar.clone(), vec![*item])),
            }
        }
        let maintenance = groups
            .into_iter()
            .map(|(c, items)| Maintenance::new(c, items))
            .collect();
        Rules::new(
            self.checks,
            maintenance,
            self.freezes.iter().map(Freeze::blackout).collect(),
        )
    }

    pub fn related(&self, item: &ConfigItemId) -> Vec<ConfigItemId> {
        self.edges
            .iter()
            .filter(|(a, _)| a == item)
            .map(|(_, b)| *b)
            .collect()
    }

    pub fn keys_of(&self, item: &ConfigItemId) -> Vec<u8> {
        self.keys
            .iter()
            .filter(|(i, _)| i == item)
            .flat_map(|(_, k)| k.iter().copied())
            .collect()
    }

    fn maintenance_of(&self, item: &ConfigItemId) -> Option<&Calendar> {
        self.maintenance
            .iter()
            .find(|(i, _)| i == item)
            .map(|(_, c)| c)
    }
}

/// A booking of the reference: the record's window, checked.
#[derive(Debug, Clone)]
pub struct Kept {
    pub change: ChangeId,
    pub window: Window,
    pub items: Vec<ConfigItemId>,
    pub assignee: Option<UserId>,
}

/// What `Schedule::build` must keep and refuse, the plain way.
pub fn accept(model: &Model) -> (Vec<Kept>, Vec<Error>) {
    let mut kept: Vec<Kept> = Vec::new();
    let mut refused = Vec::new();
    for r in &model.changes {
        let (Some(start), Some(end)) = (r.start, r.end) else {
            refused.push(Error::MissingWindow {
                change: r.change,
                start: r.start,
                end: r.end,
            });
            continue;
        };
        if start.timestamp_nanos_opt().is_none() || end.timestamp_nanos_opt().is_none() {
            refused.push(Error::PlannedWindowOutOfRange {
                change: r.change,
                start,
                end,
            });
        } else if end <= start {
            refused.push(Error::InvalidPlannedWindow {
                change: r.change,
                start,
                end,
            });
        } else if end - start > model.limits.longest {
            refused.push(Error::WindowTooLong {
                change: r.change,
                start,
                end,
                length: end - start,
                longest: model.limits.longest,
            });
        } else if kept.iter().any(|k| k.change == r.change) {
            refused.push(Error::DuplicateChange { change: r.change });
        } else if let Ok(window) = Window::new(start, end) {
            let items: BTreeSet<ConfigItemId> = r.items.iter().copied().collect();
            kept.push(Kept {
                change: r.change,
                window,
                items: items.into_iter().collect(),
                assignee: r.assignee,
            });
        }
    }
    (kept, refused)
}

/// Every overlapping pair sharing an item, all pairs tried.
pub fn pairs(kept: &[Kept]) -> Vec<Pair> {
    all_pairs(kept, |a, b| a.items.iter().any(|i| b.items.contains(i)))
}

/// Every overlapping pair sharing a related key, all pairs tried.
pub fn related_pairs(model: &Model, kept: &[Kept]) -> Vec<Pair> {
    let keys =
        |k: &Kept| -> BTreeSet<u8> { k.items.iter().flat_map(|i| model.keys_of(i)).collect() };
    all_pairs(kept, |a, b| !keys(a).is_disjoint(&keys(b)))
}

fn all_pairs(kept: &[Kept], share: impl Fn(&Kept, &Kept) -> bool) -> Vec<Pair> {
    let mut out = BTreeSet::new();
    for (i, a) in kept.iter().enumerate() {
        for b in kept.iter().skip(i + 1) {
            if a.window.overlaps(&b.window) && share(a, b) {
                out.extend(Pair::new(a.change, b.change));
            }
        }
    }
    out.into_iter().collect()
}

/// Every conflict of `proposal`, the plain way.
pub fn check(model: &Model, kept: &[Kept], proposal: &Proposal) -> Vec<Conflict> {
    let c = model.checks;
    let w = proposal.window;
    let items: BTreeSet<ConfigItemId> = proposal.items.iter().copied().collect();
    let mut related = BTreeSet::new();
    if c.related_items || c.related_maintenance || c.related_blackout {
        for i in &items {
            for r in model.related(i) {
                if !items.contains(&r) {
                    related.insert((*i, r));
                }
            }
        }
    }
    let others = || {
        kept.iter()
            .filter(|k| Some(k.change) != proposal.change && k.window.overlaps(&w))
    };
    let mut out = Vec::new();
    for &item in &items {
        if c.same_item {
            for k in others().filter(|k| k.items.contains(&item)) {
                out.push(Conflict::ItemScheduled {
                    item,
                    change: k.change,
                });
            }
        }
        if c.maintenance {
            if let Some(cal) = model.maintenance_of(&item) {
                if !cal.covers(&w.start(), &w.end()).unwrap_or(true) {
                    out.push(Conflict::OutsideMaintenance {
                        item,
                        calendar: cal.name().into(),
                    });
                }
            }
        }
    }
    for &(item, r) in &related {
        if c.related_items {
            for k in others().filter(|k| k.items.contains(&r)) {
                out.push(Conflict::RelatedItemScheduled {
                    item,
                    related: r,
                    change: k.change,
                });
            }
        }
        if c.related_maintenance {
            if let Some(cal) = model.maintenance_of(&r) {
                if !cal.covers(&w.start(), &w.end()).unwrap_or(true) {
                    out.push(Conflict::RelatedOutsideMaintenance {
                        item,
                        related: r,
                        calendar: cal.name().into(),
                    });
                }
            }
        }
    }
    for f in model.freezes.iter().filter(|f| f.overlaps(&w)) {
        if f.items.is_none() {
            if c.blackout {
                out.push(Conflict::InBlackout {
                    item: None,
                    blackout: f.name.as_str().into(),
                });
            }
            continue;
        }
        if c.blackout {
            for &item in items.iter().filter(|i| f.applies(i)) {
                out.push(Conflict::InBlackout {
                    item: Some(item),
                    blackout: f.name.as_str().into(),
                });
            }
        }
        if c.related_blackout {
            for &(item, r) in related.iter().filter(|(_, r)| f.applies(r)) {
                out.push(Conflict::RelatedInBlackout {
                    item,
                    related: r,
                    blackout: f.name.as_str().into(),
                });
            }
        }
    }
    if c.assignee {
        if let Some(assignee) = proposal.assignee {
            for k in others().filter(|k| k.assignee == Some(assignee)) {
                out.push(Conflict::AssigneeBooked {
                    assignee,
                    change: k.change,
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The free windows, trying every quarter hour: the proposal's start, its length, the
/// search's horizon and step must lie on the grid.
pub fn next_windows(
    model: &Model,
    kept: &[Kept],
    proposal: &Proposal,
    search: &Search,
) -> Vec<Window> {
    let length = proposal.window.length();
    let limit = proposal.window.start() + search.horizon;
    let mut out = Vec::new();
    let mut t = proposal.window.start();
    while out.len() < search.count {
        let mut s = t;
        let found = loop {
            if s + length > limit {
                break None;
            }
            let Ok(w) = Window::new(s, s + length) else {
                break None;
            };
            let mut p = proposal.clone();
            p.window = w;
            if check(model, kept, &p).is_empty() {
                break Some(w);
            }
            s += Duration::seconds(QUARTER);
        };
        let Some(w) = found else {
            break;
        };
        out.push(w);
        t = w.start() + search.step;
    }
    out
}

/// Builds the schedule and the rules of `model` and compares every query with the
/// reference: refusals, pairs, related pairs, and each proposal's conflicts and free
/// windows.
pub fn compare(model: &Model, proposals: &[Proposal], search: &Search) {
    let (schedule, refused) = Schedule::build(model.changes.clone(), &model.limits);
    let (kept, want_refused) = accept(model);
    assert_eq!(refused, want_refused, "refusals");
    assert_eq!(schedule.len(), kept.len(), "bookings");
    assert_eq!(schedule.scan(), pairs(&kept), "pairs on a shared item");
    let keys = |i: &ConfigItemId| model.keys_of(i);
    assert_eq!(
        schedule.scan_related(keys),
        related_pairs(model, &kept),
        "pairs on a shared key"
    );
    let Ok(rules) = model.rules() else {
        return;
    };
    let topology = |i: &ConfigItemId| model.related(i);
    let checker = schedule.checker(&rules);
    for p in proposals {
        let got = schedule.check(p, &rules, &topology);
        assert_eq!(
            got.as_ref().ok(),
            Some(&check(model, &kept, p)),
            "check of {p:?}"
        );
        assert_eq!(checker.check(p, &topology), got, "checker's check of {p:?}");
        let got = schedule.next_windows(p, search, &rules, &topology);
        assert_eq!(
            checker.next_windows(p, search, &topology),
            got,
            "checker's free windows of {p:?}"
        );
        assert_eq!(
            got.ok(),
            Some(next_windows(model, &kept, p, search)),
            "free windows of {p:?}"
        );
    }
}

fn mask(b: &mut Bytes<'_>) -> Vec<ConfigItemId> {
    let m = b.byte();
    (0..ITEMS)
        .filter(|i| m >> i & 1 == 1)
        .map(|i| item(i + 1))
        .collect()
}

fn scope(b: &mut Bytes<'_>) -> Option<Vec<ConfigItemId>> {
    let m = b.byte();
    if m & 0x80 != 0 {
        None
    } else {
        Some(
            (0..ITEMS)
                .filter(|i| m >> i & 1 == 1)
                .map(|i| item(i + 1))
                .collect(),
        )
    }
}

fn assignee(byte: u8) -> Option<UserId> {
    (byte % 4 < 3).then(|| user(u128::from(byte % 4) + 1))
}

/// A model from bytes, as the module documentation lays them out.
pub fn model_from(b: &mut Bytes<'_>) -> Model {
    let limits = Limits::longest(match b.pick(3) {
        1 => Duration::hours(6),
        2 => Duration::minutes(450),
        _ => Duration::days(366),
    });
    let flags = b.byte();
    let checks = if flags < 128 {
        Checks::all()
    } else {
        let on = |i: u8| flags >> i & 1 == 1;
        let mut c = Checks::none();
        c.same_item = on(0);
        c.related_items = on(1);
        c.maintenance = on(2);
        c.related_maintenance = on(3);
        c.blackout = on(4);
        c.related_blackout = on(5);
        c.assignee = on(6);
        c
    };
    let mut changes = Vec::new();
    for _ in 0..b.pick(13) {
        let id = change(100 + u128::from(b.byte() % 10));
        let items = mask(b);
        let start_q = b.byte();
        let length = b.byte();
        let start = (start_q != 255).then(|| quarter(i64::from(start_q)));
        let end = match (start, length) {
            (_, 255) => None,
            (None, l) => Some(quarter(i64::from(l))),
            (Some(s), 0) => Some(s),
            (Some(s), 254) => Some(s - Duration::seconds(QUARTER)),
            (Some(s), 253) => Some(s + Duration::hours(50)),
            (Some(s), l) => Some(s + Duration::seconds(QUARTER * i64::from(l % 64))),
        };
        let mut record = ScheduledChange::new(id, items, start, end);
        record.assignee = assignee(b.byte());
        changes.push(record);
    }
    let mut maintenance = Vec::new();
    for i in 0..ITEMS {
        if let Some(c) = maintenance_calendar(b.byte()) {
            maintenance.push((item(i + 1), c));
        }
    }
    let mut freezes = Vec::new();
    for n in 0..b.pick(4) {
        let windows = (0..1 + b.pick(2))
            .filter_map(|_| {
                let s = quarter(i64::from(b.byte()));
                Window::new(
                    s,
                    s + Duration::seconds(QUARTER * (1 + i64::from(b.byte() % 32))),
                )
                .ok()
            })
            .collect();
        freezes.push(Freeze {
            name: format!("freeze-{n}"),
            calendar: None,
            windows,
            items: scope(b),
        });
    }
    if b.flag() {
        freezes.push(Freeze {
            name: "lunch".into(),
            calendar: lunch(),
            windows: vec![],
            items: scope(b),
        });
    }
    let edges = (0..b.pick(7))
        .map(|_| {
            (
                item(1 + b.byte() as u128 % ITEMS),
                item(1 + b.byte() as u128 % ITEMS),
            )
        })
        .collect();
    let keys = (0..ITEMS)
        .map(|i| {
            let k = b.byte();
            let mut keys: Vec<u8> = if k % 4 == 0 { vec![] } else { vec![k % 4] };
            if k & 0x10 != 0 {
                keys.push(9);
            }
            (item(i + 1), keys)
        })
        .collect();
    Model {
        limits,
        checks,
        changes,
        maintenance,
        freezes,
        edges,
        keys,
    }
}

/// Proposals and a search from bytes.
pub fn proposals_from(b: &mut Bytes<'_>) -> (Vec<Proposal>, Search) {
    let mut proposals = Vec::new();
    for _ in 0..1 + b.pick(4) {
        let items = mask(b);
        let s = quarter(i64::from(b.byte()));
        let len = Duration::seconds(QUARTER * (1 + i64::from(b.byte() % 24)));
        let Ok(window) = Window::new(s, s + len) else {
            continue;
        };
        let mut p = Proposal::new(items, window);
        p.assignee = assignee(b.byte());
        let whose = b.byte() % 12;
        p.change = (whose < 10).then(|| change(100 + u128::from(whose)));
        proposals.push(p);
    }
    let mut search = Search::new();
    search.count = 1 + b.pick(4);
    search.step = Duration::seconds(QUARTER * (1 + i64::from(b.byte() % 8)));
    search.horizon = Duration::seconds(QUARTER * (1 + i64::from(b.byte())));
    (proposals, search)
}

/// Bytes -> a calendar, rules, a topology, keys and proposals; every answer compared with
/// the reference model.
pub fn queries(data: &[u8]) {
    let mut b = Bytes::new(data);
    let model = model_from(&mut b);
    let (proposals, search) = proposals_from(&mut b);
    compare(&model, &proposals, &search);
}
