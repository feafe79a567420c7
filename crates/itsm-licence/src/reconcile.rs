//! Reconciliation: which entitlement's rights license which install and subscription, and
//! the position that follows.
//!
//! The order, written out in `docs/licence.md`:
//! 1. Allocations, by entitlement id then device or user id: an allocated licensee is
//!    licensed by its allocation's entitlement first.
//! 2. Then the rest, in groups of records with the same model, device and user (by model,
//!    device, user id): each group takes an active unlimited entitlement if one covers it,
//!    else the counted one that licenses its whole device or user for the least cost, the
//!    exact model before a downgrade, then by entitlement id. Named metrics license only
//!    allocated licensees.
//!
//! A decision licenses every uncovered record of the licensee that the entitlement covers,
//! so a record is marked once; a group looks at the live classes covering its model, a class
//! whose members are all dry is dropped for good, and a licensee's count under a class is
//! kept until one of its records is licensed (docs/licence.md, "Cost").

use crate::answer::unit_cost;
use crate::error::Error;
use crate::model::{Device, Rights, Snapshot};
use crate::policy::Policy;
use crate::position::Position;
use crate::prepare::{Ent, FxMap, Pool, Prepared, Rec};

/// Reconciles `snapshot` under `policy`: the licence position of every model.
///
/// ```
/// use chrono::NaiveDate;
/// use itsm_licence::{Device, Entitlement, Install, Metric, Policy, Rights, Snapshot, Status, reconcile};
///
/// let mut snapshot = Snapshot::new(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
/// snapshot.devices = vec![Device::new("lap-1"), Device::new("lap-2")];
/// snapshot.installs = vec![
///     Install::new("i1", "Visio 2021", "lap-1"),
///     Install::new("i2", "Visio 2021", "lap-2"),
/// ];
/// snapshot.entitlements =
///     vec![Entitlement::new("E1", "Visio 2021", Metric::PER_DEVICE, Rights::Count(1)).costing(30_000)];
///
/// let position = reconcile(&snapshot, &Policy::servicenow())?;
/// let visio = position.model("Visio 2021").unwrap();
/// assert_eq!((visio.status, visio.unlicensed_installs), (Status::NotCompliant, 1));
/// assert_eq!(visio.true_up_cost, Some(30_000)); // one more right at the entitlement's price
/// assert_eq!(position.install("i1").unwrap().entitlement.as_deref(), Some("E1"));
/// # Ok::<(), itsm_licence::Error>(())
/// ```
///
/// # Errors
/// A policy whose default metric counts subscriptions or has an attribute of 0, or a
/// snapshot that does not hold together: an empty or duplicate id, an install or device
/// allocation naming an unknown device, a metric attribute of 0, a subscription ending
/// before it starts, an allocation of 0 rights or two to the same licensee, allocations
/// beyond the active rights, a model downgrading to itself or to one model twice, or a sum
/// of rights or a cost beyond `u64::MAX` (see [`Error`]).
pub fn reconcile(snapshot: &Snapshot, policy: &Policy) -> Result<Position, Error> {
    let metric = policy.default_metric;
    let reason = if metric.counts_subscriptions() {
        Some("counts subscriptions, not installs")
    } else if metric.zero_attribute().is_some() {
        Some("has an attribute of 0")
    } else {
        None
    };
    if let Some(reason) = reason {
        return Err(Error::DefaultMetric {
            metric: metric.to_string(),
            reason,
        });
    }
    let prepared = Prepared::new(snapshot, policy)?;
    let mut run = Run::new(&prepared);
    run.allocations();
    run.groups();
    run.position(snapshot, policy)
}

/// Rights used from one entitlement.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Use {
    // 128 bits: an unlimited entitlement's sums have no bound (a million servers of
    // `u32::MAX` cores); the position converts them, an error past `u64::MAX`.
    pub(crate) used: u128,
    pub(crate) allocated_in_use: u128,
    pub(crate) not_allocated_in_use: u128,
    pub(crate) allocated_not_in_use: u128,
}

/// Reconciliation under way.
pub(crate) struct Run<'p, 'a> {
    pub(crate) p: &'p Prepared<'a>,
    /// Per record: the entitlement licensing it, and whether by allocation.
    pub(crate) covered: Vec<Option<(u32, bool)>>,
    pub(crate) uncovered: Vec<u64>,
    /// Per entitlement: counted rights neither used nor allocated.
    pub(crate) remaining: Vec<u64>,
    pub(crate) uses: Vec<Use>,
    /// Per class: its counted members before this have no rights left.
    pub(crate) cursor: Vec<usize>,
    /// Per model and pool (`3 * model + pool`): the classes that may still license a group
    /// (named classes never do; a class whose members are all dry is dropped for good).
    pub(crate) live: Vec<Vec<(u32, bool)>>,
    /// Per licensee slot: bumped whenever one of its records is licensed.
    pub(crate) versions: Vec<u32>,
    /// (class, slot) -> (the slot's version, uncovered records the class covers): a
    /// licensee that keeps failing is counted once, not once per group.
    pub(crate) counts: FxMap<(u32, u32), (u32, u64)>,
}

impl<'p, 'a> Run<'p, 'a> {
    fn new(p: &'p Prepared<'a>) -> Run<'p, 'a> {
        Run {
            p,
            covered: vec![None; p.recs.len()],
            uncovered: p.buckets.iter().map(|b| u64::from(b.len)).collect(),
            remaining: p
                .ents
                .iter()
                .map(|e| match e.rights {
                    Rights::Count(n) => n.saturating_sub(e.allocated),
                    Rights::Unlimited => u64::MAX,
                })
                .collect(),
            uses: vec![Use::default(); p.ents.len()],
            cursor: vec![0; p.classes.len()],
            live: live_classes(p),
            versions: vec![0; p.slot_buckets.len()],
            counts: FxMap::default(),
        }
    }

    /// The licensee's slot.
    fn slot_index(&self, pool: Pool, licensee: u32) -> u32 {
        let base = match pool {
            Pool::DeviceInstalls => self.p.slot_base[0],
            Pool::UserInstalls => self.p.slot_base[1],
            Pool::UserSubscriptions => self.p.slot_base[2],
        };
        base.saturating_add(licensee)
    }

    /// The range of buckets of `licensee` in `pool`, sorted by model.
    fn slot(&self, pool: Pool, licensee: u32) -> std::ops::Range<usize> {
        let slot = self.slot_index(pool, licensee) as usize;
        let at = |i: usize| self.p.slot_buckets.get(i).copied().unwrap_or(0) as usize;
        at(slot)..at(slot + 1)
    }

    /// The buckets of `licensee` that `e` covers, passed to `f`: found by looking the
    /// entitlement's models up among the licensee's, or the licensee's up among the
    /// entitlement's, whichever list is shorter (a long downgrade list meets licensees with
    /// one model; a device with thousands of models meets short lists).
    fn each_bucket(&self, e: &Ent, licensee: u32, mut f: impl FnMut(u32)) {
        let range = self.slot(e.pool, licensee);
        let start = range.start;
        let Some(own) = self.p.buckets.get(range) else {
            return;
        };
        let index = |i: usize| u32::try_from(start + i).unwrap_or(u32::MAX);
        if own.len() < e.covers.len() {
            for (i, b) in own.iter().enumerate() {
                if e.sorted_covers.binary_search(&b.model).is_ok() {
                    f(index(i));
                }
            }
        } else {
            for m in &e.covers {
                if let Ok(i) = own.binary_search_by_key(m, |b| b.model) {
                    f(index(i));
                }
            }
        }
    }

    /// The uncovered records of `licensee` that `e` covers.
    fn count(&self, e: &Ent, licensee: u32) -> u64 {
        let mut n = 0;
        self.each_bucket(e, licensee, |b| {
            n += self.uncovered.get(b as usize).copied().unwrap_or(0);
        });
        n
    }

    /// The device whose hardware a device metric counts.
    fn device(&self, e: &Ent, licensee: u32) -> Option<&'a Device> {
        match e.pool {
            Pool::DeviceInstalls => self.p.devices.get(licensee as usize).copied(),
            Pool::UserInstalls | Pool::UserSubscriptions => None,
        }
    }

    /// Licenses every uncovered record of `licensee` that entitlement `k` covers.
    fn cover(&mut self, k: u32, licensee: u32, allocated: bool) {
        let Some(e) = self.p.ents.get(k as usize) else {
            return;
        };
        let mut open = Vec::new();
        self.each_bucket(e, licensee, |b| {
            if self.uncovered.get(b as usize).copied().unwrap_or(0) > 0 {
                open.push(b);
            }
        });
        let p = self.p;
        for b in open {
            let Some(bucket) = p.buckets.get(b as usize) else {
                continue;
            };
            let (start, len) = (bucket.start as usize, bucket.len as usize);
            for &r in p.bucket_recs.get(start..start + len).unwrap_or_default() {
                let (Some(slot), Some(rec)) = (
                    self.covered.get_mut(r as usize),
                    self.p.recs.get(r as usize),
                ) else {
                    continue;
                };
                if slot.is_some() {
                    continue;
                }
                *slot = Some((k, allocated));
                for b in [rec.device_bucket, rec.user_bucket].into_iter().flatten() {
                    if let Some(n) = self.uncovered.get_mut(b as usize) {
                        *n = n.saturating_sub(1);
                    }
                    let slot = p
                        .buckets
                        .get(b as usize)
                        .map_or(usize::MAX, |b| b.slot as usize);
                    if let Some(v) = self.versions.get_mut(slot) {
                        *v = v.wrapping_add(1);
                    }
                }
            }
        }
    }

    /// Step 1: allocated licensees first.
    fn allocations(&mut self) {
        let p = self.p;
        for (k, e) in p.ents.iter().enumerate() {
            if !e.active {
                continue;
            }
            let k = u32::try_from(k).unwrap_or(u32::MAX);
            for &(licensee, quantity) in &e.allocations {
                let n = self.count(e, licensee);
                let required = e.metric.rights_required(self.device(e, licensee), n);
                let fits = |remaining: u64, required: u64| match e.rights {
                    Rights::Unlimited => true,
                    Rights::Count(_) => remaining >= required.saturating_sub(quantity),
                };
                let remaining = self.remaining.get(k as usize).copied().unwrap_or(0);
                let Some(required) = required.filter(|&r| fits(remaining, r)) else {
                    if let Some(u) = self.uses.get_mut(k as usize) {
                        u.allocated_not_in_use += u128::from(quantity);
                    }
                    continue;
                };
                self.cover(k, licensee, true);
                if let (Some(u), Some(left)) = (
                    self.uses.get_mut(k as usize),
                    self.remaining.get_mut(k as usize),
                ) {
                    let in_use = quantity.min(required);
                    u.used += u128::from(required);
                    u.allocated_in_use += u128::from(in_use);
                    u.not_allocated_in_use += u128::from(required - in_use);
                    u.allocated_not_in_use += u128::from(quantity - in_use);
                    if let Rights::Count(_) = e.rights {
                        *left -= required - in_use;
                    }
                }
            }
        }
    }

    /// The groups of records (same model, device, user; installs then subscriptions), in
    /// order, as (first record, size).
    fn group_list(&self) -> Vec<(u32, u32)> {
        // Subscription (1 bit), model, device (none last), user (none first) in one number:
        // 1 + 32 + 32 + 33 bits.
        let key = |r: &Rec| {
            (u128::from(r.subscription) << 97)
                | (u128::from(r.model) << 65)
                | (u128::from(r.device.unwrap_or(u32::MAX)) << 33)
                | u128::from(r.user.map_or(0, |u| u64::from(u) + 1))
        };
        let mut order: Vec<(u128, u32)> = self
            .p
            .recs
            .iter()
            .enumerate()
            .map(|(i, r)| (key(r), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        order.sort_unstable();
        let mut groups: Vec<(u32, u32)> = Vec::new();
        let mut last = None;
        for (k, i) in order {
            match groups.last_mut() {
                Some((_, size)) if Some(k) == last => *size += 1,
                _ => groups.push((i, 1)),
            }
            last = Some(k);
        }
        groups
    }

    /// Step 2: every other group takes the best entitlement that licenses its licensee.
    fn groups(&mut self) {
        let p = self.p;
        for (first, _) in self.group_list() {
            let Some(rec) = p.recs.get(first as usize) else {
                continue;
            };
            if self
                .covered
                .get(first as usize)
                .copied()
                .flatten()
                .is_some()
            {
                continue;
            }
            let mut best: Option<(Key, u32, u64)> = None;
            let pools: &[Pool] = match (rec.subscription, rec.user.is_some()) {
                (true, _) => &[Pool::UserSubscriptions],
                (false, true) => &[Pool::DeviceInstalls, Pool::UserInstalls],
                (false, false) => &[Pool::DeviceInstalls],
            };
            for &pool in pools {
                let list = 3 * rec.model as usize + pool as usize;
                let mut i = 0;
                while let Some(&(c, downgrade)) = self.live.get(list).and_then(|l| l.get(i)) {
                    match self.rank(c, downgrade, rec) {
                        Rank::Dead => {
                            // Order in the list does not matter: ranks end with the id.
                            if let Some(l) = self.live.get_mut(list) {
                                l.swap_remove(i);
                            }
                            continue;
                        }
                        Rank::Cannot => {}
                        Rank::Can(rank, licensee, required) => {
                            if best.as_ref().is_none_or(|(b, _, _)| rank < *b) {
                                best = Some((rank, licensee, required));
                            }
                        }
                    }
                    i += 1;
                }
            }
            if let Some(((_, _, _, k), licensee, required)) = best {
                self.cover(k, licensee, false);
                if let Some(u) = self.uses.get_mut(k as usize) {
                    u.used += u128::from(required);
                    u.not_allocated_in_use += u128::from(required);
                }
                if let (Some(left), Some(Rights::Count(_))) = (
                    self.remaining.get_mut(k as usize),
                    p.ents.get(k as usize).map(|e| e.rights),
                ) {
                    *left -= required;
                }
            }
        }
    }

    fn unit_cost(&self, k: u32) -> u64 {
        unit_cost(self.p, k)
    }

    /// How class `c` would license `rec`'s licensee: the best member's rank, the licensee
    /// and the rights; or that it cannot now, or never again.
    fn rank(&mut self, c: u32, downgrade: bool, rec: &Rec) -> Rank {
        let p = self.p;
        let Some((class, e)) = p.class(c) else {
            return Rank::Dead;
        };
        let Some(licensee) = rec.licensee(e.pool) else {
            return Rank::Cannot;
        };
        let left = |run: &Self, k: u32| run.remaining.get(k as usize).copied().unwrap_or(0);
        let unlimited = class.unlimited.first().copied();
        // Members run dry for good, so the cursor skips them once.
        let start = self.cursor.get(c as usize).copied().unwrap_or(0);
        let live = class.counted.get(start..).unwrap_or_default();
        let dry = live.iter().take_while(|&&k| left(self, k) == 0).count();
        if let Some(cursor) = self.cursor.get_mut(c as usize) {
            *cursor = start + dry;
        }
        if unlimited.is_none() && dry == live.len() {
            return Rank::Dead;
        }
        let slot = self.slot_index(e.pool, licensee);
        let version = self.versions.get(slot as usize).copied().unwrap_or(0);
        let n = match self.counts.get(&(c, slot)) {
            Some(&(v, n)) if v == version => n,
            _ => {
                let n = self.count(e, licensee);
                self.counts.insert((c, slot), (version, n));
                n
            }
        };
        let Some(required) = e.metric.rights_required(self.device(e, licensee), n) else {
            return Rank::Cannot;
        };
        if let Some(k) = unlimited {
            return Rank::Can((false, 0, downgrade, k), licensee, required);
        }
        match live.iter().skip(dry).find(|&&k| left(self, k) >= required) {
            Some(&k) => Rank::Can(
                (
                    true,
                    u128::from(required) * u128::from(self.unit_cost(k)),
                    downgrade,
                    k,
                ),
                licensee,
                required,
            ),
            None => Rank::Cannot,
        }
    }
}

/// How a candidate ranks, least first: counted after unlimited, its cost, a downgrade
/// after the exact model, then the entitlement's order.
type Key = (bool, u128, bool, u32);

/// What a class can do for a group.
enum Rank {
    /// License it: the rank, the licensee and the rights.
    Can(Key, u32, u64),
    /// Not this group (no user, no hardware, too few rights left in any member).
    Cannot,
    /// No group ever again (every member dry).
    Dead,
}

/// Per model and pool, the classes that may license groups (not the named ones).
fn live_classes(p: &Prepared<'_>) -> Vec<Vec<(u32, bool)>> {
    let mut live = vec![Vec::new(); 3 * p.models.len()];
    for (m, list) in p.covering.iter().enumerate() {
        for &(c, downgrade) in list {
            let Some((_, e)) = p.class(c) else {
                continue;
            };
            if e.metric.is_named() {
                continue;
            }
            if let Some(l) = live.get_mut(3 * m + e.pool as usize) {
                l.push((c, downgrade));
            }
        }
    }
    live
}
