//! Properties over random snapshots: what any position must satisfy, whatever the rights,
//! allocations, downgrades and the order of the lists.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use itsm_licence::{
    Agreement, Device, Entitlement, Install, Metric, Policy, Position, Rights, Snapshot,
    SoftwareModel, Status, Subscription, reconcile,
};
use proptest::prelude::*;

const MODELS: [&str; 4] = ["A1", "A2", "A3", "B"];

fn metric() -> impl Strategy<Value = Metric> {
    let max = prop_oneof![Just(None), (1u32..4).prop_map(Some)];
    prop_oneof![
        max.clone().prop_map(|m| Metric::PerDevice {
            max_installs_per_right: m
        }),
        max.clone().prop_map(|m| Metric::PerUser {
            max_installs_per_right: m
        }),
        max.clone().prop_map(|m| Metric::PerNamedDevice {
            max_installs_per_right: m
        }),
        max.prop_map(|m| Metric::PerNamedUser {
            max_installs_per_right: m
        }),
        (1u32..10, 0u32..20).prop_map(|(a, b)| Metric::PerCore {
            min_cores_per_processor: a,
            min_cores_per_server: b
        }),
        prop_oneof![Just(None), (1u32..9).prop_map(Some)].prop_map(|m| Metric::PerProcessor {
            max_cores_per_processor: m
        }),
        Just(Metric::DeviceCal),
        Just(Metric::UserCal),
        Just(Metric::UserSubscription),
    ]
}

/// One entitlement: model, metric, rights (None: unlimited), cost, kind (0 perpetual, 1
/// current subscription, 2 expired, 3 retired), enterprise, allocation targets.
type EntSpec = (usize, Metric, Option<u64>, u64, u8, bool, Vec<(usize, u64)>);

fn snapshot() -> impl Strategy<Value = (Snapshot, Policy)> {
    let devices = prop::collection::vec(prop::option::of((1u32..3, 1u32..17)), 1..6);
    let installs =
        prop::collection::vec((0usize..4, 0usize..6, prop::option::of(0usize..4)), 0..25);
    let subs = prop::collection::vec((0usize..4, 0usize..4), 0..8);
    let ent = (
        0usize..4,
        metric(),
        prop::option::weighted(0.85, 0u64..12),
        0u64..500,
        0u8..4,
        prop::bool::weighted(0.1),
        prop::collection::vec((0usize..6, 1u64..4), 0..3),
    );
    let ents = prop::collection::vec(ent, 0..7);
    let downgrades = prop::bool::ANY;
    let install_metric = metric().prop_filter("the default metric prices installs", |m| {
        !m.counts_subscriptions()
    });
    let policy = (prop::bool::weighted(0.8), prop::bool::ANY, install_metric);
    (devices, installs, subs, ents, downgrades, policy).prop_map(
        |(devices, installs, subs, ents, downgrades, (dg, ela, default))| {
            let day = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
            let mut s = Snapshot::new(day);
            if downgrades {
                let mut a3 = SoftwareModel::new("A3");
                a3.downgrades_to = vec!["A2".into(), "A1".into()];
                let mut a2 = SoftwareModel::new("A2");
                a2.downgrades_to = vec!["A1".into()];
                a2.licence_cost = Some(90);
                s.models = vec![a3, a2];
            }
            let n = devices.len();
            s.devices = devices
                .into_iter()
                .enumerate()
                .map(|(i, hw)| {
                    let d = Device::new(format!("d{i}"));
                    match hw {
                        Some((p, c)) => d.with_hardware(p, c),
                        None => d,
                    }
                })
                .collect();
            s.installs = installs
                .into_iter()
                .enumerate()
                .map(|(i, (m, d, u))| {
                    let mut install =
                        Install::new(format!("i{i:02}"), MODELS[m], format!("d{}", d % n));
                    install.user = u.map(|u| format!("u{u}"));
                    install
                })
                .collect();
            s.subscriptions = subs
                .into_iter()
                .enumerate()
                .map(|(i, (m, u))| {
                    Subscription::new(format!("s{i:02}"), MODELS[m], format!("u{u}"))
                })
                .collect();
            s.entitlements = ents
                .into_iter()
                .enumerate()
                .map(|(i, spec)| entitlement(i, spec, n, day))
                .collect();
            let policy = Policy {
                downgrade_rights: dg,
                enterprise_agreement_compliant: ela,
                default_metric: default,
            };
            (s, policy)
        },
    )
}

fn entitlement(i: usize, spec: EntSpec, devices: usize, day: NaiveDate) -> Entitlement {
    let (m, metric, rights, cost, kind, enterprise, allocations) = spec;
    let rights = rights.map_or(Rights::Unlimited, Rights::Count);
    let mut e = Entitlement::new(format!("E{i}"), MODELS[m], metric, rights).costing(cost);
    match kind {
        1 => e = e.subscription(day, day),
        2 => e = e.subscription(day.pred_opt().unwrap(), day.pred_opt().unwrap()),
        3 => e.retired = true,
        _ => {}
    }
    if enterprise {
        e.agreement = Agreement::Enterprise;
    }
    // Allocations to distinct licensees, within the rights.
    let mut left = match rights {
        Rights::Count(n) => n,
        Rights::Unlimited => u64::MAX,
    };
    let mut seen = BTreeSet::new();
    for (to, q) in allocations {
        let to = match metric.licensee() {
            itsm_licence::Licensee::Device => format!("d{}", to % devices),
            itsm_licence::Licensee::User => format!("u{to}"),
        };
        if q <= left && seen.insert(to.clone()) {
            left -= q;
            e = e.allocate(to, q);
        }
    }
    e
}

/// The models an entitlement's rights may license under `policy`.
fn covers(s: &Snapshot, policy: &Policy, e: &Entitlement) -> BTreeSet<String> {
    let mut set = BTreeSet::from([e.model.clone()]);
    if policy.downgrade_rights && e.metric.allows_downgrade() {
        for m in s.models.iter().filter(|m| m.id == e.model) {
            set.extend(m.downgrades_to.iter().cloned());
        }
    }
    set
}

fn check(s: &Snapshot, policy: &Policy, p: &Position) -> Result<(), TestCaseError> {
    let ents: BTreeMap<&str, &Entitlement> =
        s.entitlements.iter().map(|e| (e.id.as_str(), e)).collect();
    prop_assert_eq!(p.installs.len(), s.installs.len());
    prop_assert_eq!(p.subscriptions.len(), s.subscriptions.len());
    prop_assert!(p.installs.windows(2).all(|w| w[0].id < w[1].id));
    let mut uncovered: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (list, subscription) in [(&p.installs, false), (&p.subscriptions, true)] {
        for c in list {
            match &c.entitlement {
                None => {
                    let slot = uncovered.entry(&*c.model).or_default();
                    if subscription {
                        slot.1 += 1
                    } else {
                        slot.0 += 1
                    }
                }
                Some(id) => {
                    let e = ents[&**id];
                    prop_assert!(e.is_active(s.as_of), "{} licensed by inactive {}", c.id, id);
                    prop_assert!(
                        covers(s, policy, e).contains(&*c.model),
                        "{} not covered by {}",
                        c.id,
                        id
                    );
                    prop_assert_eq!(e.metric.counts_subscriptions(), subscription);
                    prop_assert_eq!(c.downgrade, *e.model != *c.model);
                    if e.metric.is_named() {
                        prop_assert!(
                            c.allocated,
                            "{} licensed by named {} without allocation",
                            c.id,
                            id
                        );
                    }
                }
            }
        }
    }
    for m in &p.models {
        let (ui, us) = uncovered.get(m.model.as_str()).copied().unwrap_or_default();
        prop_assert_eq!(
            (m.unlicensed_installs, m.unlicensed_subscriptions),
            (ui, us)
        );
        prop_assert!(m.needs_user + m.needs_hardware <= 2 * m.unlicensed_installs);
        if ui + us == 0 {
            prop_assert_eq!(m.status, Status::Compliant);
            prop_assert_eq!(m.true_up_cost, Some(0));
            prop_assert!(m.purchase_options.is_empty());
        } else if !m.enterprise_agreement {
            prop_assert_eq!(m.status, Status::NotCompliant);
        }
        let mut over = 0;
        for mp in &m.metrics {
            prop_assert_eq!(
                mp.rights_used,
                mp.allocated_in_use + mp.not_allocated_in_use
            );
            prop_assert!(mp.rights_available <= mp.rights_owned);
            prop_assert!(mp.not_allocated <= mp.rights_owned);
            if mp.unlimited {
                prop_assert_eq!((mp.rights_owned, mp.over_licensed_amount), (0, 0));
                prop_assert!(mp.remediations.is_empty());
            } else {
                prop_assert!(mp.rights_used <= mp.rights_owned);
                prop_assert_eq!(mp.rights_available, mp.rights_owned - mp.rights_used);
            }
            if !mp.metric.is_named() {
                prop_assert_eq!(mp.allocations_needed, 0);
            }
            over += mp.over_licensed_amount;
        }
        prop_assert_eq!(m.over_licensed_amount, over);
        for o in &m.purchase_options {
            if let (Some(price), Some(cost)) = (o.unit_price, o.cost) {
                prop_assert_eq!(cost, o.rights_needed * price);
            }
            if let Some(t) = m.true_up_cost
                && o.unlicensable == 0
                && let Some(c) = o.cost
                && ui * us == 0
            {
                prop_assert!(t <= c, "true-up {} above option {:?}", t, o);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Every position holds together, does not depend on the order of the lists, and
    /// survives JSON.
    #[test]
    fn positions_hold_together((s, policy) in snapshot(), seed in any::<u64>()) {
        let p = reconcile(&s, &policy).unwrap();
        check(&s, &policy, &p)?;

        let mut shuffled = s.clone();
        let rotate = |n: usize| if n == 0 { 0 } else { (seed as usize) % n };
        let k = rotate(shuffled.installs.len());
        shuffled.installs.rotate_left(k);
        shuffled.installs.reverse();
        shuffled.devices.reverse();
        shuffled.subscriptions.reverse();
        let k = rotate(shuffled.entitlements.len());
        shuffled.entitlements.rotate_left(k);
        for e in &mut shuffled.entitlements {
            e.allocations.reverse();
        }
        shuffled.models.reverse();
        prop_assert_eq!(&reconcile(&shuffled, &policy).unwrap(), &p);

        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&s).unwrap();
            let back: Snapshot = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &s);
            let json = serde_json::to_string(&p).unwrap();
            let back: Position = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &p);
        }
    }

    /// An unlimited per-device entitlement for every model licenses every install (and
    /// changes no subscription's fate).
    #[test]
    fn unlimited_rights_license_every_install((s, policy) in snapshot()) {
        let before = reconcile(&s, &policy).unwrap();
        let mut s = s;
        for (i, m) in MODELS.iter().enumerate() {
            s.entitlements.push(Entitlement::new(format!("U{i}"), *m, Metric::PER_DEVICE, Rights::Unlimited));
        }
        let p = reconcile(&s, &policy).unwrap();
        prop_assert!(p.installs.iter().all(|c| c.entitlement.is_some()));
        prop_assert_eq!(&p.subscriptions, &before.subscriptions);
    }
}
