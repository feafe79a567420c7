//! The answer: the position of each model and metric, the purchase options and the
//! true-up, from a finished [`Run`].

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::Error;
use crate::metric::Metric;
use crate::model::{Rights, Snapshot};
use crate::policy::Policy;
use crate::position::{
    Coverage, DowngradeUse, MetricPosition, ModelPosition, Position, PurchaseOption, Remediation,
    Status,
};
use crate::prepare::{Ent, FxMap, FxSet, Pool, Prepared};
use crate::reconcile::Run;

impl Run<'_, '_> {
    /// The answer.
    pub(crate) fn position(self, s: &Snapshot, policy: &Policy) -> Result<Position, Error> {
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
                        let Some((class, e)) = p.class(c) else {
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
            // Counted in the first result of the metric (the counted one), not again in
            // the unlimited one: the two must add up.
            mp.allocations_needed = wanted
                .remove(&(model, metric))
                .map_or(0, |s| s.len() as u64);
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
        // Only metrics with something to license, the install ones bounded; the one
        // subscription metric always kept (it sorts last and must not be cut off).
        metrics.retain(|metric, _| wants(metric.counts_subscriptions()) > 0);
        let installs = metrics.keys().filter(|x| !x.counts_subscriptions()).count();
        let omitted = installs.saturating_sub(MAX_PURCHASE_OPTIONS) as u64;
        let mut kept = 0;
        metrics.retain(|metric, _| {
            kept += usize::from(!metric.counts_subscriptions());
            metric.counts_subscriptions() || kept <= MAX_PURCHASE_OPTIONS
        });
        let mut options = Vec::new();
        let (mut best_installs, mut best_subs): (Option<u64>, Option<u64>) = (None, None);
        for (metric, ents) in metrics {
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
                let Some((_, e)) = p.class(c) else {
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

pub(crate) fn entitlement_id(s: &Snapshot, p: &Prepared<'_>, k: u32) -> String {
    p.ent_order
        .get(k as usize)
        .and_then(|&i| s.entitlements.get(i))
        .map(|e| e.id.clone())
        .unwrap_or_default()
}

pub(crate) fn unit_cost(p: &Prepared<'_>, k: u32) -> u64 {
    p.ents.get(k as usize).map_or(0, |e| e.unit_cost)
}

/// The entitlements a purchase under one metric is priced by: those for the model itself
/// that are active, else those for the model, else the active ones covering it by
/// downgrade, else all of them (an Enterprise right's price says little about Standard's).
pub(crate) fn price_basis(p: &Prepared<'_>, model: usize, ents: &[u32]) -> Vec<u32> {
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
pub(crate) fn average_price(p: &Prepared<'_>, ents: &[u32]) -> Result<Option<u64>, ()> {
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
