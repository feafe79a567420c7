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
//! so a record is looked at once; each decision costs the length of the entitlement's
//! model list (its model and its downgrades), so the whole is linear in the records for a
//! bounded downgrade list.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use itsm_core::Quoted;

use crate::error::Error;
use crate::metric::{Licensee, Metric};
use crate::model::{Agreement, Device, Rights, Snapshot};
use crate::policy::Policy;
use crate::position::{
    Coverage, DowngradeUse, MetricPosition, ModelPosition, Position, PurchaseOption, Remediation,
    Status,
};

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
///     vec![Entitlement::new("E1", "Visio 2021", Metric::PER_DEVICE, Rights::Count(1)).costing(300_00)];
///
/// let position = reconcile(&snapshot, &Policy::servicenow())?;
/// let visio = position.model("Visio 2021").unwrap();
/// assert_eq!((visio.status, visio.unlicensed_installs), (Status::NotCompliant, 1));
/// assert_eq!(visio.true_up_cost, Some(300_00)); // one more right at the entitlement's price
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

/// Which population a record belongs to for a licensee: installs by device, installs by
/// user, subscriptions by user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Pool {
    DeviceInstalls,
    UserInstalls,
    UserSubscriptions,
}

impl Pool {
    fn of(metric: &Metric) -> Pool {
        if metric.counts_subscriptions() {
            Pool::UserSubscriptions
        } else if metric.licensee() == Licensee::Device {
            Pool::DeviceInstalls
        } else {
            Pool::UserInstalls
        }
    }
}

/// An install or subscription, interned.
#[derive(Debug, Clone, Copy)]
struct Rec {
    model: u32,
    device: Option<u32>,
    user: Option<u32>,
    subscription: bool,
    /// The bucket of its device (installs) and of its user.
    device_bucket: Option<u32>,
    user_bucket: Option<u32>,
}

impl Rec {
    fn licensee(&self, pool: Pool) -> Option<u32> {
        match pool {
            Pool::DeviceInstalls => self.device,
            Pool::UserInstalls | Pool::UserSubscriptions => self.user,
        }
    }

    fn fits(&self, pool: Pool) -> bool {
        self.subscription == (pool == Pool::UserSubscriptions)
    }
}

/// The records of one licensee and model: a range of [`Prepared::bucket_recs`].
#[derive(Debug, Default, Clone, Copy)]
struct Bucket {
    /// Its licensee's slot.
    slot: u32,
    model: u32,
    start: u32,
    len: u32,
}

/// An entitlement, checked and interned.
#[derive(Debug)]
struct Ent {
    model: u32,
    metric: Metric,
    rights: Rights,
    unit_cost: u64,
    active: bool,
    enterprise: bool,
    pool: Pool,
    /// Its model, then the models its downgrade rights cover.
    covers: Vec<u32>,
    /// The same, sorted, to look a model up in.
    sorted_covers: Vec<u32>,
    /// Allocations by licensee index (sorted by licensee name), with quantities.
    allocations: Vec<(u32, u64)>,
    allocated: u64,
}

/// Active entitlements of one model and metric.
#[derive(Debug)]
struct Class {
    /// The first member: its model, metric, pool and covers are the class's.
    rep: u32,
    /// Unlimited members, by entitlement order.
    unlimited: Vec<u32>,
    /// Counted members, cheapest first (unit cost, then entitlement order).
    counted: Vec<u32>,
}

/// The snapshot, checked and interned: names sorted, so index order is name order.
struct Prepared<'a> {
    models: Vec<&'a str>,
    devices: Vec<&'a Device>,
    /// Entitlement indices into the snapshot, sorted by id.
    ent_order: Vec<usize>,
    ents: Vec<Ent>,
    recs: Vec<Rec>,
    /// Buckets sorted by licensee slot then model; a slot's buckets are
    /// `slot_buckets[slot]..slot_buckets[slot + 1]`.
    buckets: Vec<Bucket>,
    bucket_recs: Vec<u32>,
    slot_buckets: Vec<u32>,
    /// Where each pool's licensee slots start: devices, users' installs, users'
    /// subscriptions.
    slot_base: [u32; 3],
    /// Installs and subscriptions by id: their positions in the snapshot.
    install_order: Vec<u32>,
    subscription_order: Vec<u32>,
    /// The active entitlements in classes of one model and metric: the members of a class
    /// license the same records and need the same rights for a licensee.
    classes: Vec<Class>,
    /// Per model: the classes covering it, with whether by a downgrade.
    covering: Vec<Vec<(u32, bool)>>,
    /// Per model: every entitlement covering it, active or not (for prices and options).
    covering_all: Vec<Vec<u32>>,
    /// Per model: its licence cost.
    licence_cost: Vec<Option<u64>>,
}

fn empty(what: impl FnOnce() -> String, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        Err(Error::EmptyId { what: what() })
    } else {
        Ok(())
    }
}

/// Names numbered as first seen (one hash each), then sorted: a million installs name a
/// few hundred models.
#[derive(Default)]
struct Interner<'a> {
    index: HashMap<&'a str, u32>,
    names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The name's provisional number.
    fn id(&mut self, name: &'a str) -> u32 {
        let names = &mut self.names;
        *self.index.entry(name).or_insert_with(|| {
            names.push(name);
            u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
        })
    }

    /// The names sorted, a lookup from name to its final number (its place among them), and
    /// per provisional number the final one.
    fn finish(self) -> (Vec<&'a str>, HashMap<&'a str, u32>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.names.len())
            .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        let name = |i: u32| self.names.get(i as usize).copied().unwrap_or_default();
        order.sort_unstable_by(|&a, &b| name(a).cmp(name(b)));
        let mut remap = vec![0; order.len()];
        for (fin, &prov) in order.iter().enumerate() {
            if let Some(r) = remap.get_mut(prov as usize) {
                *r = u32::try_from(fin).unwrap_or(u32::MAX);
            }
        }
        let mut index = self.index;
        for v in index.values_mut() {
            *v = remap.get(*v as usize).copied().unwrap_or(u32::MAX);
        }
        let names = order.into_iter().map(name).collect();
        (names, index, remap)
    }
}

/// The first id two items share, if any.
fn duplicate<'a>(ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

/// The positions of `ids` in id order, or the first id two share (`kind` names them).
fn sorted_unique(kind: &'static str, ids: &[&str]) -> Result<Vec<u32>, Error> {
    let mut order: Vec<u32> = (0..ids.len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let id = |i: u32| ids.get(i as usize).copied().unwrap_or_default();
    order.sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
    match order.windows(2).find(|w| id(w[0]) == id(w[1])) {
        Some(w) => Err(Error::DuplicateId {
            kind,
            id: id(w[0]).to_owned(),
        }),
        None => Ok(order),
    }
}

/// rustc's Fx hash, for the maps keyed by this module's own dense indices (never by
/// strings from the snapshot, which keep the standard hasher). Deterministic; the maps are
/// summed or looked up, never iterated into the output's order.
#[derive(Debug, Clone, Copy, Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;
type FxSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fx>>;

fn look(index: &HashMap<&str, u32>, name: &str) -> u32 {
    // Every name looked up was interned from the same snapshot.
    index.get(name).copied().unwrap_or(u32::MAX)
}

impl<'a> Prepared<'a> {
    fn new(s: &'a Snapshot, policy: &Policy) -> Result<Prepared<'a>, Error> {
        // Ids present and unique.
        for m in &s.models {
            empty(|| "a model".into(), &m.id)?;
            for d in &m.downgrades_to {
                empty(|| format!("model `{}`'s downgrades_to", Quoted(&m.id)), d)?;
            }
        }
        for d in &s.devices {
            empty(|| "a device".into(), &d.id)?;
        }
        for i in &s.installs {
            empty(|| "an install".into(), &i.id)?;
            empty(|| format!("install `{}`'s model", Quoted(&i.id)), &i.model)?;
            empty(
                || format!("install `{}`'s device", Quoted(&i.id)),
                &i.device,
            )?;
            if let Some(u) = &i.user {
                empty(|| format!("install `{}`'s user", Quoted(&i.id)), u)?;
            }
        }
        for x in &s.subscriptions {
            empty(|| "a subscription".into(), &x.id)?;
            empty(
                || format!("subscription `{}`'s model", Quoted(&x.id)),
                &x.model,
            )?;
            empty(
                || format!("subscription `{}`'s user", Quoted(&x.id)),
                &x.user,
            )?;
        }
        for e in &s.entitlements {
            empty(|| "an entitlement".into(), &e.id)?;
            empty(
                || format!("entitlement `{}`'s model", Quoted(&e.id)),
                &e.model,
            )?;
            for a in &e.allocations {
                empty(
                    || format!("an allocation of entitlement `{}`", Quoted(&e.id)),
                    &a.to,
                )?;
            }
        }
        let ids = |v: Vec<&'a str>| v;
        sorted_unique(
            "models",
            &ids(s.models.iter().map(|m| m.id.as_str()).collect()),
        )?;
        sorted_unique(
            "devices",
            &ids(s.devices.iter().map(|d| d.id.as_str()).collect()),
        )?;
        let install_order = sorted_unique(
            "installs",
            &ids(s.installs.iter().map(|i| i.id.as_str()).collect()),
        )?;
        let subscription_order = sorted_unique(
            "subscriptions",
            &ids(s.subscriptions.iter().map(|x| x.id.as_str()).collect()),
        )?;
        sorted_unique(
            "entitlements",
            &ids(s.entitlements.iter().map(|e| e.id.as_str()).collect()),
        )?;

        // Models and their downgrades.
        for m in &s.models {
            if m.downgrades_to.iter().any(|d| *d == m.id) {
                return Err(Error::SelfDowngrade {
                    model: m.id.clone(),
                });
            }
            if let Some(d) = duplicate(m.downgrades_to.iter().map(String::as_str)) {
                return Err(Error::DuplicateDowngrade {
                    model: m.id.clone(),
                    to: d.to_owned(),
                });
            }
        }
        let mut names = Interner::default();
        for m in &s.models {
            names.id(&m.id);
            for d in &m.downgrades_to {
                names.id(d);
            }
        }
        let install_models: Vec<u32> = s.installs.iter().map(|i| names.id(&i.model)).collect();
        let sub_models: Vec<u32> = s.subscriptions.iter().map(|x| names.id(&x.model)).collect();
        for e in &s.entitlements {
            names.id(&e.model);
        }
        let (models, model_index, model_remap) = names.finish();
        let mut downgrades: Vec<Vec<u32>> = vec![Vec::new(); models.len()];
        let mut licence_cost: Vec<Option<u64>> = vec![None; models.len()];
        for m in &s.models {
            let i = look(&model_index, &m.id) as usize;
            if let (Some(list), Some(cost)) = (downgrades.get_mut(i), licence_cost.get_mut(i)) {
                *list = m
                    .downgrades_to
                    .iter()
                    .map(|d| look(&model_index, d))
                    .collect();
                *cost = m.licence_cost;
            }
        }

        // Devices (sorted by id) and users.
        let mut devices: Vec<&Device> = s.devices.iter().collect();
        devices.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let device_index: HashMap<&str, u32> = devices
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.as_str(), u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let mut names = Interner::default();
        let install_users: Vec<Option<u32>> = s
            .installs
            .iter()
            .map(|i| i.user.as_deref().map(|u| names.id(u)))
            .collect();
        let sub_users: Vec<u32> = s.subscriptions.iter().map(|x| names.id(&x.user)).collect();
        for e in &s.entitlements {
            if e.metric.licensee() == Licensee::User {
                for a in &e.allocations {
                    names.id(&a.to);
                }
            }
        }
        let (users, user_index, user_remap) = names.finish();
        let model_of = |prov: Option<&u32>| {
            prov.and_then(|&p| model_remap.get(p as usize))
                .copied()
                .unwrap_or(u32::MAX)
        };
        let user_of = |prov: u32| user_remap.get(prov as usize).copied().unwrap_or(u32::MAX);

        // Entitlements, by id.
        let mut ent_order: Vec<usize> = (0..s.entitlements.len()).collect();
        ent_order.sort_unstable_by(|&a, &b| {
            let id = |i: usize| s.entitlements.get(i).map(|e| e.id.as_str());
            id(a).cmp(&id(b))
        });
        let mut ents = Vec::with_capacity(ent_order.len());
        for &k in &ent_order {
            let Some(e) = s.entitlements.get(k) else {
                continue;
            };
            if let Some(attribute) = e.metric.zero_attribute() {
                return Err(Error::ZeroAttribute {
                    entitlement: e.id.clone(),
                    attribute,
                });
            }
            if let (Some(start), Some(end)) = (e.start, e.end)
                && end < start
            {
                return Err(Error::EndBeforeStart {
                    entitlement: e.id.clone(),
                    start,
                    end,
                });
            }
            let licensee = e.metric.licensee();
            let active = e.is_active(s.as_of);
            let mut allocations = Vec::with_capacity(e.allocations.len());
            let mut total: u128 = 0;
            // An inactive entitlement's allocations are ignored, not checked: a stale one to
            // a device since retired must not stop the reconciliation.
            let live: &[crate::model::Allocation] = if active { &e.allocations } else { &[] };
            for a in live {
                if a.quantity == 0 {
                    return Err(Error::ZeroAllocation {
                        entitlement: e.id.clone(),
                        to: a.to.clone(),
                    });
                }
                let to = match licensee {
                    Licensee::Device => match device_index.get(a.to.as_str()) {
                        Some(&d) => d,
                        None => {
                            return Err(Error::UnknownDevice {
                                referrer: format!(
                                    "an allocation of entitlement `{}`",
                                    Quoted(&e.id)
                                ),
                                device: a.to.clone(),
                            });
                        }
                    },
                    Licensee::User => look(&user_index, &a.to),
                };
                allocations.push((to, a.quantity));
                total += u128::from(a.quantity);
            }
            allocations.sort_unstable();
            if let Some(w) = allocations.windows(2).find(|w| w[0].0 == w[1].0) {
                let name = match licensee {
                    Licensee::Device => devices.get(w[0].0 as usize).map(|d| d.id.as_str()),
                    Licensee::User => users.get(w[0].0 as usize).copied(),
                };
                return Err(Error::DuplicateAllocation {
                    entitlement: e.id.clone(),
                    to: name.unwrap_or_default().to_owned(),
                });
            }
            if let Rights::Count(rights) = e.rights
                && active
                && total > u128::from(rights)
            {
                return Err(Error::AllocationsExceedRights {
                    entitlement: e.id.clone(),
                    allocated: total,
                    rights,
                });
            }
            let model = look(&model_index, &e.model);
            let mut covers = vec![model];
            if policy.downgrade_rights && e.metric.allows_downgrade() {
                covers.extend(downgrades.get(model as usize).into_iter().flatten());
            }
            let mut sorted_covers = covers.clone();
            sorted_covers.sort_unstable();
            ents.push(Ent {
                sorted_covers,
                model,
                metric: e.metric,
                rights: e.rights,
                unit_cost: e.unit_cost,
                active,
                enterprise: e.agreement == Agreement::Enterprise,
                pool: Pool::of(&e.metric),
                covers,
                allocations,
                allocated: u64::try_from(total).unwrap_or(u64::MAX),
            });
        }

        // Records and their buckets.
        let mut recs = Vec::with_capacity(s.installs.len() + s.subscriptions.len());
        // Each record's memberships as (licensee slot, model, record), sorted: runs of one
        // slot and model are the buckets (no hashing, no vector per bucket).
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let slot_base = [
            0,
            to_u32(devices.len()),
            to_u32(devices.len()).saturating_add(to_u32(users.len())),
        ];
        let slots = slot_base[2].saturating_add(to_u32(users.len())) as usize;
        let mut members: Vec<(u64, u32)> =
            Vec::with_capacity(2 * s.installs.len() + s.subscriptions.len());
        let key = |slot: u32, model: u32| (u64::from(slot) << 32) | u64::from(model);
        for (n, i) in s.installs.iter().enumerate() {
            let Some(&device) = device_index.get(i.device.as_str()) else {
                return Err(Error::UnknownDevice {
                    referrer: format!("install `{}`", Quoted(&i.id)),
                    device: i.device.clone(),
                });
            };
            let model = model_of(install_models.get(n));
            let user = install_users.get(n).copied().flatten().map(user_of);
            let n = to_u32(recs.len());
            members.push((key(slot_base[0] + device, model), n));
            if let Some(u) = user {
                members.push((key(slot_base[1] + u, model), n));
            }
            recs.push(Rec {
                model,
                device: Some(device),
                user,
                subscription: false,
                device_bucket: None,
                user_bucket: None,
            });
        }
        for (n, _) in s.subscriptions.iter().enumerate() {
            let model = model_of(sub_models.get(n));
            let user = sub_users.get(n).copied().map_or(u32::MAX, user_of);
            let n = to_u32(recs.len());
            members.push((key(slot_base[2] + user, model), n));
            recs.push(Rec {
                model,
                device: None,
                user: Some(user),
                subscription: true,
                device_bucket: None,
                user_bucket: None,
            });
        }
        members.sort_unstable();
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut bucket_recs: Vec<u32> = Vec::with_capacity(members.len());
        let mut slot_buckets: Vec<u32> = vec![0; slots + 1];
        let mut last = None;
        for &(k, r) in &members {
            if last != Some(k) {
                last = Some(k);
                let slot = (k >> 32) as usize;
                if let Some(c) = slot_buckets.get_mut(slot + 1) {
                    *c += 1;
                }
                buckets.push(Bucket {
                    slot: (k >> 32) as u32,
                    model: k as u32,
                    start: to_u32(bucket_recs.len()),
                    len: 0,
                });
            }
            let b = to_u32(buckets.len() - 1);
            if let Some(bucket) = buckets.last_mut() {
                bucket.len += 1;
            }
            bucket_recs.push(r);
            if let Some(rec) = recs.get_mut(r as usize) {
                if (k >> 32) < u64::from(slot_base[1]) {
                    rec.device_bucket = Some(b);
                } else {
                    rec.user_bucket = Some(b);
                }
            }
        }
        drop(members);
        for i in 1..slot_buckets.len() {
            let before = slot_buckets.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = slot_buckets.get_mut(i) {
                *c += before;
            }
        }
        let mut covering_all: Vec<Vec<u32>> = vec![Vec::new(); models.len()];
        let mut classes: Vec<Class> = Vec::new();
        let mut class_of: FxMap<(u32, Metric), usize> = FxMap::default();
        for (k, e) in ents.iter().enumerate() {
            let k = u32::try_from(k).unwrap_or(u32::MAX);
            for &m in &e.covers {
                if let Some(list) = covering_all.get_mut(m as usize) {
                    list.push(k);
                }
            }
            if e.active {
                let next = classes.len();
                let c = *class_of.entry((e.model, e.metric)).or_insert(next);
                if c == next {
                    classes.push(Class {
                        rep: k,
                        unlimited: Vec::new(),
                        counted: Vec::new(),
                    });
                }
                if let Some(class) = classes.get_mut(c) {
                    match e.rights {
                        Rights::Unlimited => class.unlimited.push(k),
                        Rights::Count(_) => class.counted.push(k),
                    }
                }
            }
        }
        let mut covering: Vec<Vec<(u32, bool)>> = vec![Vec::new(); models.len()];
        for (c, class) in classes.iter_mut().enumerate() {
            class
                .counted
                .sort_unstable_by_key(|&k| (ents.get(k as usize).map_or(0, |e| e.unit_cost), k));
            let c = u32::try_from(c).unwrap_or(u32::MAX);
            let covers = ents.get(class.rep as usize).map(|e| e.covers.as_slice());
            for (j, &m) in covers.into_iter().flatten().enumerate() {
                if let Some(list) = covering.get_mut(m as usize) {
                    list.push((c, j > 0));
                }
            }
        }
        Ok(Prepared {
            models,
            devices,
            ent_order,
            ents,
            recs,
            buckets,
            bucket_recs,
            slot_buckets,
            slot_base,
            install_order,
            subscription_order,
            classes,
            covering,
            covering_all,
            licence_cost,
        })
    }
}

/// Rights used from one entitlement.
#[derive(Debug, Default, Clone, Copy)]
struct Use {
    // 128 bits: an unlimited entitlement's sums have no bound (a million servers of
    // `u32::MAX` cores); the position converts them, an error past `u64::MAX`.
    used: u128,
    allocated_in_use: u128,
    not_allocated_in_use: u128,
    allocated_not_in_use: u128,
}

/// Reconciliation under way.
struct Run<'p, 'a> {
    p: &'p Prepared<'a>,
    /// Per record: the entitlement licensing it, and whether by allocation.
    covered: Vec<Option<(u32, bool)>>,
    uncovered: Vec<u64>,
    /// Per entitlement: counted rights neither used nor allocated.
    remaining: Vec<u64>,
    uses: Vec<Use>,
    /// Per class: its counted members before this have no rights left.
    cursor: Vec<usize>,
    /// Per model and pool (`3 * model + pool`): the classes that may still license a group
    /// (named classes never do; a class whose members are all dry is dropped for good).
    live: Vec<Vec<(u32, bool)>>,
    /// Per licensee slot: bumped whenever one of its records is licensed.
    versions: Vec<u32>,
    /// (class, slot) -> (the slot's version, uncovered records the class covers): a
    /// licensee that keeps failing is counted once, not once per group.
    counts: FxMap<(u32, u32), (u32, u64)>,
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
            // (unlimited first, cost, downgrade, entitlement), licensee, rights.
            let mut best: Option<((bool, u128, bool, u32), u32, u64)> = None;
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
        let Some(class) = p.classes.get(c as usize) else {
            return Rank::Dead;
        };
        let Some(e) = p.ents.get(class.rep as usize) else {
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

    /// The answer.
    fn position(self, s: &Snapshot, policy: &Policy) -> Result<Position, Error> {
        let p = self.p;
        let nm = p.models.len();
        let mut installs = vec![0u64; nm];
        let mut unlicensed = vec![0u64; nm];
        let mut subscriptions = vec![0u64; nm];
        let mut unlicensed_subs = vec![0u64; nm];
        let mut needs_user = vec![0u64; nm];
        let mut needs_hardware = vec![0u64; nm];
        // (entitlement, earlier model) -> installs licensed by downgrade.
        let mut downgrade_uses: BTreeMap<(u32, u32), u64> = BTreeMap::new();
        // Per model: unlicensed records per (pool, licensee); records without one.
        let mut gaps: Vec<FxMap<(Pool, u32), u64>> = vec![FxMap::default(); nm];
        // (entitlement's model, metric) -> licensees a named allocation would license.
        let mut wanted: FxMap<(u32, Metric), FxSet<u32>> = FxMap::default();

        let summaries = model_summaries(p);
        for (i, rec) in p.recs.iter().enumerate() {
            let m = rec.model as usize;
            let (total, gap) = if rec.subscription {
                (&mut subscriptions, &mut unlicensed_subs)
            } else {
                (&mut installs, &mut unlicensed)
            };
            if let Some(t) = total.get_mut(m) {
                *t += 1;
            }
            match self.covered.get(i).copied().flatten() {
                Some((k, _)) => {
                    if let Some(e) = p.ents.get(k as usize)
                        && e.model != rec.model
                    {
                        *downgrade_uses.entry((k, rec.model)).or_default() += 1;
                    }
                }
                None => {
                    if let Some(g) = gap.get_mut(m) {
                        *g += 1;
                    }
                    let pools: &[Pool] = if rec.subscription {
                        &[Pool::UserSubscriptions]
                    } else {
                        &[Pool::DeviceInstalls, Pool::UserInstalls]
                    };
                    if let Some(g) = gaps.get_mut(m) {
                        for &pool in pools {
                            if let Some(l) = rec.licensee(pool) {
                                *g.entry((pool, l)).or_default() += 1;
                            }
                        }
                    }
                    let summary = summaries.get(m);
                    let no_user = !rec.subscription
                        && rec.user.is_none()
                        && summary.is_some_and(|x| x.user_installs);
                    let no_hardware = summary.and_then(|x| x.hardware).is_some_and(|metric| {
                        let device = rec.device.and_then(|d| p.devices.get(d as usize).copied());
                        !rec.subscription && metric.rights_required(device, 1).is_none()
                    });
                    for &c in summary.map(|x| x.named.as_slice()).unwrap_or_default() {
                        let Some(class) = p.classes.get(c as usize) else {
                            continue;
                        };
                        let Some(e) = p.ents.get(class.rep as usize) else {
                            continue;
                        };
                        let Some(l) = rec.licensee(e.pool).filter(|_| rec.fits(e.pool)) else {
                            continue;
                        };
                        // A licensee allocated already needs rights, not an allocation.
                        let allocated = class.unlimited.iter().chain(&class.counted).any(|&k| {
                            p.ents.get(k as usize).is_some_and(|e| {
                                e.allocations
                                    .binary_search_by_key(&l, |&(to, _)| to)
                                    .is_ok()
                            })
                        });
                        if !allocated {
                            wanted.entry((e.model, e.metric)).or_default().insert(l);
                        }
                    }
                    if no_user && let Some(n) = needs_user.get_mut(m) {
                        *n += 1;
                    }
                    if no_hardware && let Some(n) = needs_hardware.get_mut(m) {
                        *n += 1;
                    }
                }
            }
        }

        // Metric positions: the entitlements of each model, grouped by metric.
        // Unlimited licences have results of their own (ServiceNow generates them
        // separately), after the counted ones of the same metric.
        let mut by_metric: BTreeMap<(u32, Metric, bool), Vec<u32>> = BTreeMap::new();
        for (k, e) in p.ents.iter().enumerate() {
            by_metric
                .entry((e.model, e.metric, e.rights == Rights::Unlimited))
                .or_default()
                .push(u32::try_from(k).unwrap_or(u32::MAX));
        }
        let mut metrics: Vec<Vec<MetricPosition>> = vec![Vec::new(); nm];
        let mut over: Vec<u64> = vec![0; nm];
        for ((model, metric, unlimited), list) in by_metric {
            let name = p.models.get(model as usize).copied().unwrap_or_default();
            let overflow = |what| Error::Overflow {
                model: name.to_owned(),
                what,
            };
            let mut mp = MetricPosition {
                metric,
                entitlements: Vec::new(),
                inactive: Vec::new(),
                unlimited,
                rights_owned: 0,
                rights_used: 0,
                rights_available: 0,
                allocated_in_use: 0,
                not_allocated_in_use: 0,
                allocated_not_in_use: 0,
                not_allocated: 0,
                allocations_needed: 0,
                over_licensed_amount: 0,
                downgrades: Vec::new(),
                remediations: Vec::new(),
            };
            let mut downgrades: BTreeMap<u32, u64> = BTreeMap::new();
            for &k in &list {
                let (Some(e), Some(u)) = (p.ents.get(k as usize), self.uses.get(k as usize)) else {
                    continue;
                };
                let id = entitlement_id(s, p, k);
                if !e.active {
                    mp.inactive.push(id);
                    continue;
                }
                mp.entitlements.push(id);
                let add = |a: u64, b: u128, what| {
                    u64::try_from(b)
                        .ok()
                        .and_then(|b| a.checked_add(b))
                        .ok_or_else(|| overflow(what))
                };
                mp.rights_used = add(mp.rights_used, u.used, "the rights used")?;
                mp.allocated_in_use = add(
                    mp.allocated_in_use,
                    u.allocated_in_use,
                    "the rights allocated in use",
                )?;
                mp.not_allocated_in_use = add(
                    mp.not_allocated_in_use,
                    u.not_allocated_in_use,
                    "the rights not allocated in use",
                )?;
                mp.allocated_not_in_use = add(
                    mp.allocated_not_in_use,
                    u.allocated_not_in_use,
                    "the rights allocated not in use",
                )?;
                match e.rights {
                    Rights::Unlimited => {}
                    Rights::Count(n) => {
                        mp.rights_owned = add(mp.rights_owned, u128::from(n), "the rights owned")?;
                        // A counted entitlement never uses more than it has.
                        let unused = n.saturating_sub(u64::try_from(u.used).unwrap_or(u64::MAX));
                        mp.rights_available = add(
                            mp.rights_available,
                            u128::from(unused),
                            "the rights available",
                        )?;
                        mp.not_allocated = add(
                            mp.not_allocated,
                            u128::from(n.saturating_sub(e.allocated)),
                            "the rights not allocated",
                        )?;
                        let cost = unused
                            .checked_mul(unit_cost(p, k))
                            .ok_or_else(|| overflow("the over-licensed amount"))?;
                        mp.over_licensed_amount = add(
                            mp.over_licensed_amount,
                            u128::from(cost),
                            "the over-licensed amount",
                        )?;
                    }
                }
                for (&(_, earlier), &n) in downgrade_uses.range((k, 0)..=(k, u32::MAX)) {
                    *downgrades.entry(earlier).or_default() += n;
                }
            }
            mp.downgrades = downgrades
                .into_iter()
                .map(|(m, installs)| DowngradeUse {
                    model: p
                        .models
                        .get(m as usize)
                        .copied()
                        .unwrap_or_default()
                        .to_owned(),
                    installs,
                })
                .collect();
            mp.allocations_needed = wanted.get(&(model, metric)).map_or(0, |s| s.len() as u64);
            // Nothing to save or buy on an unlimited licence.
            if mp.not_allocated_in_use > 0 && metric.suggests_allocations() && !unlimited {
                mp.remediations.push(Remediation::CreateAllocations);
                mp.remediations.push(Remediation::RemoveUnallocatedInstalls);
            }
            if mp.allocated_not_in_use > 0 && !unlimited {
                mp.remediations.push(Remediation::RemoveAllocations);
            }
            if let Some(o) = over.get_mut(model as usize) {
                *o = o
                    .checked_add(mp.over_licensed_amount)
                    .ok_or_else(|| overflow("the over-licensed amount"))?;
            }
            if let Some(list) = metrics.get_mut(model as usize) {
                list.push(mp);
            }
        }

        let mut models = Vec::with_capacity(nm);
        for (m, name) in p.models.iter().enumerate() {
            let get = |v: &Vec<u64>| v.get(m).copied().unwrap_or(0);
            let enterprise = p.covering.get(m).into_iter().flatten().any(|&(c, _)| {
                p.classes.get(c as usize).is_some_and(|class| {
                    class
                        .unlimited
                        .iter()
                        .chain(&class.counted)
                        .any(|&k| p.ents.get(k as usize).is_some_and(|e| e.enterprise))
                })
            });
            let gap_installs = get(&unlicensed);
            let gap_subs = get(&unlicensed_subs);
            let status = if gap_installs == 0 && gap_subs == 0
                || enterprise && policy.enterprise_agreement_compliant
            {
                Status::Compliant
            } else {
                Status::NotCompliant
            };
            let empty_gaps = FxMap::default();
            let gaps = gaps.get(m).unwrap_or(&empty_gaps);
            let (purchase_options, purchase_options_omitted, true_up_cost) =
                self.purchase(policy, m, name, gaps, gap_installs, gap_subs)?;
            models.push(ModelPosition {
                model: (*name).to_owned(),
                status,
                enterprise_agreement: enterprise,
                installs: get(&installs),
                unlicensed_installs: gap_installs,
                subscriptions: get(&subscriptions),
                unlicensed_subscriptions: gap_subs,
                needs_user: get(&needs_user),
                needs_hardware: get(&needs_hardware),
                metrics: metrics.get_mut(m).map(std::mem::take).unwrap_or_default(),
                purchase_options,
                purchase_options_omitted,
                true_up_cost,
                over_licensed_amount: get(&over),
            });
        }

        // Each model's and entitlement's name once; the records share them.
        let model_names: Vec<Arc<str>> = p.models.iter().map(|m| Arc::from(*m)).collect();
        let ent_names: Vec<Arc<str>> = (0..p.ents.len())
            .map(|k| Arc::from(entitlement_id(s, p, u32::try_from(k).unwrap_or(u32::MAX))))
            .collect();
        let coverage = |rec: usize, id: &str| -> Coverage {
            let covered = self.covered.get(rec).copied().flatten();
            let model = p.recs.get(rec).map_or(0, |r| r.model);
            Coverage {
                id: id.to_owned(),
                model: model_names.get(model as usize).cloned().unwrap_or_default(),
                entitlement: covered.and_then(|(k, _)| ent_names.get(k as usize).cloned()),
                downgrade: covered
                    .is_some_and(|(k, _)| p.ents.get(k as usize).is_some_and(|e| e.model != model)),
                allocated: covered.is_some_and(|(_, a)| a),
            }
        };
        let n = s.installs.len();
        let installs = p
            .install_order
            .iter()
            .filter_map(|&i| Some(coverage(i as usize, &s.installs.get(i as usize)?.id)))
            .collect();
        let subscriptions = p
            .subscription_order
            .iter()
            .filter_map(|&i| {
                Some(coverage(
                    n + i as usize,
                    &s.subscriptions.get(i as usize)?.id,
                ))
            })
            .collect();
        Ok(Position {
            as_of: s.as_of,
            models,
            installs,
            subscriptions,
        })
    }

    /// The purchase options for model `m`'s unlicensed records, and the true-up cost.
    fn purchase(
        &self,
        policy: &Policy,
        m: usize,
        name: &str,
        gaps: &FxMap<(Pool, u32), u64>,
        gap_installs: u64,
        gap_subs: u64,
    ) -> Result<(Vec<PurchaseOption>, u64, Option<u64>), Error> {
        let p = self.p;
        if gap_installs == 0 && gap_subs == 0 {
            return Ok((Vec::new(), 0, Some(0)));
        }
        let overflow = |what| Error::Overflow {
            model: name.to_owned(),
            what,
        };
        // The metrics that could license them, with the entitlements to price by.
        let mut metrics: BTreeMap<Metric, Vec<u32>> = BTreeMap::new();
        for &k in p.covering_all.get(m).into_iter().flatten() {
            if let Some(e) = p.ents.get(k as usize) {
                metrics.entry(e.metric).or_default().push(k);
            }
        }
        let wants = |subscription: bool| if subscription { gap_subs } else { gap_installs };
        // Nothing bought covers them: price in the policy's metric.
        if gap_installs > 0 && !metrics.keys().any(|x| !x.counts_subscriptions()) {
            metrics.insert(policy.default_metric, Vec::new());
        }
        if gap_subs > 0 && !metrics.keys().any(Metric::counts_subscriptions) {
            metrics.insert(Metric::UserSubscription, Vec::new());
        }
        // Each option walks the model's unlicensed licensees: a bounded number of them keeps
        // a model bought under thousands of metric variants linear.
        let omitted = metrics.len().saturating_sub(MAX_PURCHASE_OPTIONS) as u64;
        let mut options = Vec::new();
        let (mut best_installs, mut best_subs): (Option<u64>, Option<u64>) = (None, None);
        for (metric, ents) in metrics.into_iter().take(MAX_PURCHASE_OPTIONS) {
            let subscription = metric.counts_subscriptions();
            let gap = wants(subscription);
            if gap == 0 {
                continue;
            }
            let pool = Pool::of(&metric);
            let mut rights_needed: u64 = 0;
            let mut licensable: u64 = 0;
            for (&(q, licensee), &n) in gaps {
                if q != pool {
                    continue;
                }
                let device = match pool {
                    Pool::DeviceInstalls => p.devices.get(licensee as usize).copied(),
                    _ => None,
                };
                if let Some(r) = metric.rights_required(device, n) {
                    rights_needed = rights_needed
                        .checked_add(r)
                        .ok_or_else(|| overflow("the rights needed"))?;
                    licensable += n;
                }
            }
            let unit_price = p
                .licence_cost
                .get(m)
                .copied()
                .flatten()
                .map_or_else(
                    || average_price(p, &price_basis(p, m, &ents)),
                    |c| Ok(Some(c)),
                )
                .map_err(|()| overflow("the average price"))?;
            let cost = match unit_price {
                Some(price) => Some(
                    rights_needed
                        .checked_mul(price)
                        .ok_or_else(|| overflow("the true-up cost"))?,
                ),
                None => None,
            };
            let unlicensable = gap.saturating_sub(licensable);
            if unlicensable == 0
                && let Some(c) = cost
            {
                let best = if subscription {
                    &mut best_subs
                } else {
                    &mut best_installs
                };
                *best = Some(best.map_or(c, |b| b.min(c)));
            }
            options.push(PurchaseOption {
                metric,
                rights_needed,
                unlicensable,
                unit_price,
                cost,
            });
        }
        let part = |gap: u64, best: Option<u64>| if gap == 0 { Some(0) } else { best };
        let true_up = match (part(gap_installs, best_installs), part(gap_subs, best_subs)) {
            (Some(a), Some(b)) => Some(
                a.checked_add(b)
                    .ok_or_else(|| overflow("the true-up cost"))?,
            ),
            _ => None,
        };
        Ok((options, omitted, true_up))
    }
}

/// The most purchase options a model lists (by metric order); the rest are counted in
/// [`ModelPosition::purchase_options_omitted`].
pub const MAX_PURCHASE_OPTIONS: usize = 64;

/// What the active classes covering a model can do for its unlicensed records.
#[derive(Default)]
struct ModelSummary {
    /// A per-user (not named) class covers it: an install without a user is counted.
    user_installs: bool,
    /// A per-core or per-processor (not named) class covers it, with its metric: an install
    /// on a device without hardware data is counted.
    hardware: Option<Metric>,
    /// The named classes covering it (allocations needed).
    named: Vec<u32>,
}

fn model_summaries(p: &Prepared<'_>) -> Vec<ModelSummary> {
    p.covering
        .iter()
        .map(|list| {
            let mut x = ModelSummary::default();
            for &(c, _) in list {
                let Some(e) = p
                    .classes
                    .get(c as usize)
                    .and_then(|class| p.ents.get(class.rep as usize))
                else {
                    continue;
                };
                if e.metric.is_named() {
                    x.named.push(c);
                } else if e.pool == Pool::UserInstalls {
                    x.user_installs = true;
                } else if matches!(
                    e.metric,
                    Metric::PerCore { .. } | Metric::PerProcessor { .. }
                ) {
                    x.hardware = Some(e.metric);
                }
            }
            x
        })
        .collect()
}

/// What a class can do for a group.
enum Rank {
    /// License it: (unlimited first, cost, downgrade, entitlement), licensee, rights.
    Can((bool, u128, bool, u32), u32, u64),
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
            let Some(e) = p
                .classes
                .get(c as usize)
                .and_then(|class| p.ents.get(class.rep as usize))
            else {
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

fn entitlement_id(s: &Snapshot, p: &Prepared<'_>, k: u32) -> String {
    p.ent_order
        .get(k as usize)
        .and_then(|&i| s.entitlements.get(i))
        .map(|e| e.id.clone())
        .unwrap_or_default()
}

fn unit_cost(p: &Prepared<'_>, k: u32) -> u64 {
    p.ents.get(k as usize).map_or(0, |e| e.unit_cost)
}

/// The entitlements a purchase under one metric is priced by: those for the model itself
/// that are active, else those for the model, else the active ones covering it by
/// downgrade, else all of them (an Enterprise right's price says little about Standard's).
fn price_basis(p: &Prepared<'_>, model: usize, ents: &[u32]) -> Vec<u32> {
    // Unlimited licences are left out: their unit cost is their total cost (ServiceNow).
    let tier = |own: bool, active: bool| -> Vec<u32> {
        ents.iter()
            .copied()
            .filter(|&k| {
                p.ents.get(k as usize).is_some_and(|e| {
                    e.rights != Rights::Unlimited
                        && (!own || e.model as usize == model)
                        && (!active || e.active)
                })
            })
            .collect()
    };
    [(true, true), (true, false), (false, true), (false, false)]
        .into_iter()
        .map(|(own, active)| tier(own, active))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

/// The average price of a right over `ents`, weighted by their counted rights and rounded
/// half up; the plain mean of their unit costs when none has counted rights.
/// `Err(())` when the sums do not fit in 128 bits.
fn average_price(p: &Prepared<'_>, ents: &[u32]) -> Result<Option<u64>, ()> {
    if ents.is_empty() {
        return Ok(None);
    }
    let (mut cost, mut rights): (u128, u128) = (0, 0);
    for &k in ents {
        if let Some(Ent {
            rights: Rights::Count(n),
            ..
        }) = p.ents.get(k as usize)
        {
            let c = u128::from(*n) * u128::from(unit_cost(p, k));
            cost = cost.checked_add(c).ok_or(())?;
            rights += u128::from(*n);
        }
    }
    if rights == 0 {
        cost = ents.iter().map(|&k| u128::from(unit_cost(p, k))).sum();
        rights = ents.len() as u128;
    }
    // Half up: floor((cost + rights / 2) / rights), without doubling the cost.
    let price = cost / rights + u128::from(cost % rights >= rights - rights / 2);
    u64::try_from(price).map(Some).map_err(|_| ())
}
