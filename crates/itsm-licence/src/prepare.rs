//! The snapshot checked and interned: names numbered in sorted order, records filed under
//! their device and user as runs of one sorted array, entitlements in classes of one model
//! and metric.

use std::collections::{HashMap, HashSet};

use itsm_core::Quoted;

use crate::error::Error;
use crate::metric::{Licensee, Metric};
use crate::model::{Agreement, Device, Rights, Snapshot};
use crate::policy::Policy;

/// Which population a record belongs to for a licensee: installs by device, installs by
/// user, subscriptions by user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Pool {
    DeviceInstalls,
    UserInstalls,
    UserSubscriptions,
}

impl Pool {
    pub(crate) fn of(metric: &Metric) -> Pool {
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
pub(crate) struct Rec {
    pub(crate) model: u32,
    pub(crate) device: Option<u32>,
    pub(crate) user: Option<u32>,
    pub(crate) subscription: bool,
    /// The bucket of its device (installs) and of its user.
    pub(crate) device_bucket: Option<u32>,
    pub(crate) user_bucket: Option<u32>,
}

impl Rec {
    pub(crate) fn licensee(&self, pool: Pool) -> Option<u32> {
        match pool {
            Pool::DeviceInstalls => self.device,
            Pool::UserInstalls | Pool::UserSubscriptions => self.user,
        }
    }

    pub(crate) fn fits(&self, pool: Pool) -> bool {
        self.subscription == (pool == Pool::UserSubscriptions)
    }
}

/// The records of one licensee and model: a range of [`Prepared::bucket_recs`].
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Bucket {
    /// Its licensee's slot.
    pub(crate) slot: u32,
    pub(crate) model: u32,
    pub(crate) start: u32,
    pub(crate) len: u32,
}

/// An entitlement, checked and interned.
#[derive(Debug)]
pub(crate) struct Ent {
    pub(crate) model: u32,
    pub(crate) metric: Metric,
    pub(crate) rights: Rights,
    pub(crate) unit_cost: u64,
    pub(crate) active: bool,
    pub(crate) enterprise: bool,
    pub(crate) pool: Pool,
    /// Its model, then the models its downgrade rights cover.
    pub(crate) covers: Vec<u32>,
    /// The same, sorted, to look a model up in.
    pub(crate) sorted_covers: Vec<u32>,
    /// Allocations by licensee index (sorted by licensee name), with quantities.
    pub(crate) allocations: Vec<(u32, u64)>,
    pub(crate) allocated: u64,
}

/// Active entitlements of one model and metric.
#[derive(Debug)]
pub(crate) struct Class {
    /// The first member: its model, metric, pool and covers are the class's.
    pub(crate) rep: u32,
    /// Unlimited members, by entitlement order.
    pub(crate) unlimited: Vec<u32>,
    /// Counted members, cheapest first (unit cost, then entitlement order).
    pub(crate) counted: Vec<u32>,
}

/// The snapshot, checked and interned: names sorted, so index order is name order.
pub(crate) struct Prepared<'a> {
    pub(crate) models: Vec<&'a str>,
    pub(crate) devices: Vec<&'a Device>,
    /// Entitlement indices into the snapshot, sorted by id.
    pub(crate) ent_order: Vec<usize>,
    pub(crate) ents: Vec<Ent>,
    pub(crate) recs: Vec<Rec>,
    /// Buckets sorted by licensee slot then model; a slot's buckets are
    /// `slot_buckets[slot]..slot_buckets[slot + 1]`.
    pub(crate) buckets: Vec<Bucket>,
    pub(crate) bucket_recs: Vec<u32>,
    pub(crate) slot_buckets: Vec<u32>,
    /// Where each pool's licensee slots start: devices, users' installs, users'
    /// subscriptions.
    pub(crate) slot_base: [u32; 3],
    /// Installs and subscriptions by id: their positions in the snapshot.
    pub(crate) install_order: Vec<u32>,
    pub(crate) subscription_order: Vec<u32>,
    /// The active entitlements in classes of one model and metric: the members of a class
    /// license the same records and need the same rights for a licensee.
    pub(crate) classes: Vec<Class>,
    /// Per model: the classes covering it, with whether by a downgrade.
    pub(crate) covering: Vec<Vec<(u32, bool)>>,
    /// Per model: every entitlement covering it, active or not (for prices and options).
    pub(crate) covering_all: Vec<Vec<u32>>,
    /// Per model: its licence cost.
    pub(crate) licence_cost: Vec<Option<u64>>,
}

pub(crate) fn empty(what: impl FnOnce() -> String, id: &str) -> Result<(), Error> {
    if id.is_empty() {
        Err(Error::EmptyId { what: what() })
    } else {
        Ok(())
    }
}

/// Names numbered as first seen (one hash each), then sorted: a million installs name a
/// few hundred models.
#[derive(Default)]
pub(crate) struct Interner<'a> {
    pub(crate) index: HashMap<&'a str, u32>,
    pub(crate) names: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The name's provisional number.
    pub(crate) fn id(&mut self, name: &'a str) -> u32 {
        let names = &mut self.names;
        *self.index.entry(name).or_insert_with(|| {
            names.push(name);
            u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
        })
    }

    /// The names sorted, a lookup from name to its final number (its place among them), and
    /// per provisional number the final one.
    pub(crate) fn finish(self) -> (Vec<&'a str>, HashMap<&'a str, u32>, Vec<u32>) {
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
pub(crate) fn duplicate<'a>(ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    ids.windows(2).find_map(|w| match *w {
        [a, b] if a == b => Some(a),
        _ => None,
    })
}

/// The positions of `ids` in id order, or the first id two share (`kind` names them).
pub(crate) fn sorted_unique(kind: &'static str, ids: &[&str]) -> Result<Vec<u32>, Error> {
    let mut order: Vec<u32> = (0..ids.len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let id = |i: u32| ids.get(i as usize).copied().unwrap_or_default();
    order.sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
    let twice = order.windows(2).find_map(|w| match *w {
        [a, b] if id(a) == id(b) => Some(a),
        _ => None,
    });
    match twice {
        Some(a) => Err(Error::DuplicateId {
            kind,
            id: id(a).to_owned(),
        }),
        None => Ok(order),
    }
}

/// rustc's Fx hash, for the maps keyed by this module's own dense indices (never by
/// strings from the snapshot, which keep the standard hasher). Deterministic; the maps are
/// summed or looked up, never iterated into the output's order.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fx(u64);

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

pub(crate) type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;
pub(crate) type FxSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fx>>;

pub(crate) fn look(index: &HashMap<&str, u32>, name: &str) -> u32 {
    // Every name looked up was interned from the same snapshot.
    index.get(name).copied().unwrap_or(u32::MAX)
}

impl<'a> Prepared<'a> {
    /// Class `c` and the entitlement that stands for it (its metric, pool and covers).
    pub(crate) fn class(&self, c: u32) -> Option<(&Class, &Ent)> {
        let class = self.classes.get(c as usize)?;
        Some((class, self.ents.get(class.rep as usize)?))
    }

    pub(crate) fn new(s: &'a Snapshot, policy: &Policy) -> Result<Prepared<'a>, Error> {
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
            // An inactive entitlement's allocations are not checked (see below).
            let live: &[crate::model::Allocation] = if e.is_active(s.as_of) {
                &e.allocations
            } else {
                &[]
            };
            for a in live {
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
            if m.downgrades_to.contains(&m.id) {
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
            let twice = allocations.windows(2).find_map(|w| match *w {
                [(a, _), (b, _)] if a == b => Some(a),
                _ => None,
            });
            if let Some(to) = twice {
                let name = match licensee {
                    Licensee::Device => devices.get(to as usize).map(|d| d.id.as_str()),
                    Licensee::User => users.get(to as usize).copied(),
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
