//! Our choices where ServiceNow's documentation says nothing (docs/licence.md, "The order
//! rights are taken in" and "Our choices"), and every error, each pinned.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::NaiveDate;
use itsm_licence::{
    Device, Entitlement, Error, Install, Metric, Policy, Position, Rights, Snapshot, SoftwareModel,
    Subscription, reconcile,
};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn run(s: &Snapshot) -> Position {
    reconcile(s, &Policy::servicenow()).unwrap()
}

fn err(s: &Snapshot) -> Error {
    reconcile(s, &Policy::servicenow()).unwrap_err()
}

fn base() -> Snapshot {
    let mut s = Snapshot::new(day(6, 30));
    s.devices = vec![
        Device::new("d1"),
        Device::new("d2"),
        Device::new("srv").with_hardware(2, 8),
    ];
    s
}

fn licensed_by(p: &Position, install: &str) -> Option<String> {
    p.install(install)
        .unwrap()
        .entitlement
        .as_deref()
        .map(str::to_owned)
}

/// Each group takes the cheapest right for its whole licensee; ties go to the exact model,
/// then the entitlement id.
#[test]
fn cheapest_then_exact_model_then_id() {
    let mut s = base();
    let mut new = SoftwareModel::new("V2");
    new.downgrades_to = vec!["V1".into()];
    s.models = vec![new];
    s.installs = vec![Install::new("i1", "V1", "d1")];
    s.entitlements = vec![
        Entitlement::new("A", "V2", Metric::PER_DEVICE, Rights::Count(1)).costing(100),
        Entitlement::new("B", "V1", Metric::PER_DEVICE, Rights::Count(1)).costing(100),
        Entitlement::new("C", "V1", Metric::PER_DEVICE, Rights::Count(1)).costing(100),
    ];
    assert_eq!(licensed_by(&run(&s), "i1").as_deref(), Some("B")); // exact before downgrade, B before C
    s.entitlements[0].unit_cost = 99;
    assert_eq!(licensed_by(&run(&s), "i1").as_deref(), Some("A")); // cheaper wins
}

/// A licensee is licensed by one entitlement or none: rights are not split between two.
#[test]
fn rights_are_not_split_between_entitlements() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "DB", "srv")]; // 16 cores
    s.entitlements = vec![
        Entitlement::new("A", "DB", Metric::PER_CORE, Rights::Count(8)),
        Entitlement::new("B", "DB", Metric::PER_CORE, Rights::Count(8)),
    ];
    let p = run(&s);
    assert_eq!(licensed_by(&p, "i1"), None);
    assert_eq!(p.model("DB").unwrap().purchase_options[0].rights_needed, 16);
}

/// An allocation that needs more rights than its entitlement has left licenses nothing and
/// counts as allocated not in use; the device can still be licensed by another entitlement.
#[test]
fn an_allocation_that_does_not_fit() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "DB", "srv")]; // 16 cores
    s.entitlements = vec![
        Entitlement::new("A", "DB", Metric::PER_CORE, Rights::Count(10)).allocate("srv", 4),
        Entitlement::new("B", "DB", Metric::PER_CORE, Rights::Count(16)),
    ];
    let p = run(&s);
    assert_eq!(licensed_by(&p, "i1").as_deref(), Some("B"));
    let m = &p.model("DB").unwrap().metrics[0];
    assert_eq!(
        (
            m.allocated_not_in_use,
            m.not_allocated_in_use,
            m.rights_used
        ),
        (4, 16, 16)
    );
}

/// The downgrade list is taken as written: V3's rights license V2 and V1 only if both are
/// listed, not V1 through V2's list.
#[test]
fn downgrade_lists_are_not_followed_further() {
    let mut s = base();
    let mut v3 = SoftwareModel::new("V3");
    v3.downgrades_to = vec!["V2".into()];
    let mut v2 = SoftwareModel::new("V2");
    v2.downgrades_to = vec!["V1".into()];
    s.models = vec![v3, v2];
    s.installs = vec![Install::new("i1", "V1", "d1")];
    s.entitlements = vec![Entitlement::new(
        "A",
        "V3",
        Metric::PER_DEVICE,
        Rights::Count(1),
    )];
    assert_eq!(licensed_by(&run(&s), "i1"), None);
}

/// Perpetual entitlements ignore their (maintenance) dates; inactive entitlements'
/// allocations are ignored, even beyond their rights.
#[test]
fn perpetual_dates_and_inactive_allocations() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1")];
    let mut perpetual = Entitlement::new("P", "X", Metric::PER_DEVICE, Rights::Count(1));
    perpetual.start = Some(day(1, 1));
    perpetual.end = Some(day(1, 31));
    let mut retired =
        Entitlement::new("R", "X", Metric::PER_DEVICE, Rights::Count(1)).allocate("d1", 5);
    retired.retired = true;
    s.entitlements = vec![perpetual, retired];
    let p = run(&s);
    assert_eq!(licensed_by(&p, "i1").as_deref(), Some("P"));
}

/// Per-user and per-core rights cannot license an install without a user or a device
/// without hardware data: counted, and the purchase option that cannot help says so.
#[test]
fn needs_user_and_needs_hardware() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "Y", "d2")];
    s.entitlements = vec![
        Entitlement::new("U", "X", Metric::PER_USER, Rights::Count(5)).costing(10),
        Entitlement::new("C", "Y", Metric::PER_CORE, Rights::Count(5)).costing(10),
    ];
    let p = run(&s);
    let x = p.model("X").unwrap();
    assert_eq!(
        (x.unlicensed_installs, x.needs_user, x.needs_hardware),
        (1, 1, 0)
    );
    assert_eq!(x.purchase_options[0].unlicensable, 1);
    assert_eq!(x.true_up_cost, None);
    let y = p.model("Y").unwrap();
    assert_eq!((y.needs_user, y.needs_hardware), (0, 1));
}

/// Subscriptions without any entitlement are priced per user subscription, installs under
/// the policy's default metric; both halves make the true-up.
#[test]
fn unbought_models_are_priced_by_the_policy() {
    let mut s = base();
    let mut x = SoftwareModel::new("X");
    x.licence_cost = Some(50);
    s.models = vec![x];
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "X", "d1")];
    s.subscriptions = vec![Subscription::new("s1", "X", "ana")];
    let p = run(&s);
    let m = p.model("X").unwrap();
    let options: Vec<_> = m
        .purchase_options
        .iter()
        .map(|o| (o.metric, o.rights_needed))
        .collect();
    assert_eq!(
        options,
        [(Metric::PER_DEVICE, 1), (Metric::UserSubscription, 1)]
    );
    assert_eq!(m.true_up_cost, Some(100));
    let mut policy = Policy::servicenow();
    policy.default_metric = Metric::PerDevice {
        max_installs_per_right: Some(1),
    };
    let p = reconcile(&s, &policy).unwrap();
    assert_eq!(p.model("X").unwrap().true_up_cost, Some(150));
}

/// Every error, with a message that says what is allowed.
#[test]
fn every_error() {
    let cases: Vec<(Snapshot, &str)> = vec![
        (
            {
                let mut s = base();
                s.devices.push(Device::new(""));
                s
            },
            "a device has an empty id",
        ),
        (
            {
                let mut s = base();
                s.devices.push(Device::new("d1"));
                s
            },
            "two devices have the id `d1`",
        ),
        (
            {
                let mut s = base();
                s.installs = vec![Install::new("i", "X", "nowhere")];
                s
            },
            "install `i` names device `nowhere`",
        ),
        (
            {
                let mut s = base();
                s.entitlements = vec![Entitlement::new(
                    "E",
                    "X",
                    Metric::PerDevice {
                        max_installs_per_right: Some(0),
                    },
                    Rights::Count(1),
                )];
                s
            },
            "entitlement `E`: max_installs_per_right is 0",
        ),
        (
            {
                let mut s = base();
                s.entitlements = vec![
                    Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(1))
                        .subscription(day(2, 1), day(1, 1)),
                ];
                s
            },
            "entitlement `E` ends on 2026-01-01, before it starts on 2026-02-01",
        ),
        (
            {
                let mut s = base();
                s.entitlements = vec![
                    Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(1))
                        .allocate("d1", 0),
                ];
                s
            },
            "entitlement `E` allocates 0 rights to `d1`",
        ),
        (
            {
                let mut s = base();
                s.entitlements = vec![
                    Entitlement::new("E", "X", Metric::PER_USER, Rights::Count(5))
                        .allocate("ana", 1)
                        .allocate("ana", 1),
                ];
                s
            },
            "entitlement `E` allocates to `ana` twice",
        ),
        (
            {
                let mut s = base();
                s.entitlements = vec![
                    Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(5))
                        .allocate("ghost", 1),
                ];
                s
            },
            "an allocation of entitlement `E` names device `ghost`",
        ),
        (
            {
                let mut s = base();
                let mut m = SoftwareModel::new("X");
                m.downgrades_to = vec!["X".into()];
                s.models = vec![m];
                s
            },
            "model `X` lists itself in downgrades_to",
        ),
        (
            {
                let mut s = base();
                let mut m = SoftwareModel::new("X");
                m.downgrades_to = vec!["W".into(), "W".into()];
                s.models = vec![m];
                s
            },
            "model `X` lists `W` in downgrades_to twice",
        ),
        (
            {
                let mut s = base();
                s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "X", "d2")];
                s.entitlements = vec![
                    Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(0))
                        .costing(u64::MAX),
                ];
                let mut m = SoftwareModel::new("X");
                m.licence_cost = Some(u64::MAX);
                s.models = vec![m];
                s
            },
            "model `X`: the true-up cost exceeds",
        ),
    ];
    for (s, wanted) in cases {
        let text = err(&s).to_string();
        assert!(text.contains(wanted), "{text:?} lacks {wanted:?}");
    }
    let mut s = base();
    s.entitlements =
        vec![Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(5)).costing(u64::MAX)];
    assert!(matches!(
        err(&s),
        Error::Overflow {
            what: "the over-licensed amount",
            ..
        }
    ));
}

/// Allocations needed counts the unlicensed licensees without an allocation: one allocated
/// whose allocation could not be honoured needs rights, not another allocation.
#[test]
fn allocations_needed_skips_allocated_licensees() {
    let mut s = base();
    s.installs = vec![
        Install::new("i1", "CAD", "d1").by("ana"),
        Install::new("i2", "CAD", "d1").by("ben"),
    ];
    let named = Metric::PerNamedDevice {
        max_installs_per_right: Some(1),
    };
    // d1 has two installs: it needs 2 rights, its allocation is 1 and no right is left.
    s.entitlements = vec![Entitlement::new("E", "CAD", named, Rights::Count(1)).allocate("d1", 1)];
    let p = run(&s);
    let m = &p.model("CAD").unwrap().metrics[0];
    assert_eq!(p.model("CAD").unwrap().unlicensed_installs, 2);
    assert_eq!((m.allocated_not_in_use, m.allocations_needed), (1, 0));
    assert_eq!(p.model("CAD").unwrap().purchase_options[0].rights_needed, 2);
}

/// An inactive entitlement's allocations are ignored, not checked (the review found a stale
/// allocation to a retired device stopping the whole reconciliation).
#[test]
fn inactive_allocations_are_not_checked() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1")];
    let mut old = Entitlement::new("OLD", "X", Metric::PER_DEVICE, Rights::Count(1))
        .allocate("gone", 1)
        .allocate("d1", 0)
        .allocate("d1", 3);
    old.retired = true;
    s.entitlements = vec![
        old,
        Entitlement::new("NEW", "X", Metric::PER_DEVICE, Rights::Count(1)),
    ];
    assert_eq!(licensed_by(&run(&s), "i1").as_deref(), Some("NEW"));
}

/// Unlimited licences do not set the price of a right (their unit cost is their total) and
/// have a metric result of their own.
#[test]
fn unlimited_licences_do_not_price_rights() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1").by("ana")];
    let mut expired =
        Entitlement::new("U", "X", Metric::PER_DEVICE, Rights::Unlimited).costing(1_000_000);
    expired.retired = true;
    s.entitlements = vec![expired];
    let p = run(&s);
    assert_eq!(p.model("X").unwrap().purchase_options[0].unit_price, None);
    s.entitlements
        .push(Entitlement::new("C", "X", Metric::PER_DEVICE, Rights::Count(0)).costing(300));
    assert_eq!(run(&s).model("X").unwrap().true_up_cost, Some(300));
}

/// A default metric that cannot price installs is refused.
#[test]
fn default_metric_is_checked() {
    let s = base();
    let mut policy = Policy::servicenow();
    policy.default_metric = Metric::UserSubscription;
    let e = reconcile(&s, &policy).unwrap_err().to_string();
    assert!(e.contains("User Subscription counts subscriptions"), "{e}");
    policy.default_metric = Metric::PerUser {
        max_installs_per_right: Some(0),
    };
    assert!(matches!(
        reconcile(&s, &policy),
        Err(Error::DefaultMetric { .. })
    ));
}

/// A model bought under more metric variants than a position lists: the rest are counted,
/// and reconciliation stays linear.
#[test]
fn purchase_options_are_bounded() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1")];
    s.entitlements = (1..=100)
        .map(|k| {
            let metric = Metric::PerDevice {
                max_installs_per_right: Some(k),
            };
            Entitlement::new(format!("E{k:03}"), "X", metric, Rights::Count(0)).costing(10)
        })
        .collect();
    let x = run(&s).models.remove(0);
    assert_eq!(x.purchase_options.len(), itsm_licence::MAX_PURCHASE_OPTIONS);
    assert_eq!(
        x.purchase_options_omitted,
        100 - itsm_licence::MAX_PURCHASE_OPTIONS as u64
    );
    assert_eq!(x.true_up_cost, Some(10));
}

/// `rights_required` at its edges: an attribute of 0 means unlimited (the public function;
/// `reconcile` refuses such entitlements), zero processors or cores mean no hardware data.
#[test]
fn rights_required_edges() {
    let zero = Device::new("z").with_hardware(0, 8);
    let no_cores = Device::new("n").with_hardware(2, 0);
    let ok = Device::new("o").with_hardware(2, 8);
    for metric in [Metric::PER_CORE, Metric::PER_PROCESSOR] {
        assert_eq!(metric.rights_required(Some(&zero), 1), None);
        assert_eq!(metric.rights_required(Some(&no_cores), 1), None);
        assert_eq!(metric.rights_required(None, 1), None);
        assert!(metric.rights_required(Some(&ok), 1).is_some());
    }
    assert_eq!(
        Metric::PerDevice {
            max_installs_per_right: Some(0)
        }
        .rights_required(None, 5),
        Some(1)
    );
    assert_eq!(
        Metric::PerDevice {
            max_installs_per_right: Some(1)
        }
        .rights_required(None, 5),
        Some(5)
    );
    assert_eq!(
        Metric::PerProcessor {
            max_cores_per_processor: Some(0)
        }
        .rights_required(Some(&ok), 1),
        Some(2)
    );
    assert_eq!(
        Metric::PerProcessor {
            max_cores_per_processor: Some(8)
        }
        .rights_required(Some(&ok), 1),
        Some(2)
    );
    assert_eq!(
        Metric::PerProcessor {
            max_cores_per_processor: Some(7)
        }
        .rights_required(Some(&ok), 1),
        Some(4)
    );
    assert_eq!(Metric::PER_DEVICE.rights_required(None, 0), None);
}

/// Each metric's name, with its attributes when set.
#[test]
fn metric_names() {
    let names: Vec<String> = [
        Metric::PER_DEVICE,
        Metric::PerUser {
            max_installs_per_right: Some(2),
        },
        Metric::PerNamedDevice {
            max_installs_per_right: None,
        },
        Metric::PerNamedUser {
            max_installs_per_right: Some(3),
        },
        Metric::PER_CORE,
        Metric::PerCore {
            min_cores_per_processor: 4,
            min_cores_per_server: 0,
        },
        Metric::PerCore {
            min_cores_per_processor: 1,
            min_cores_per_server: 16,
        },
        Metric::PerCore {
            min_cores_per_processor: 8,
            min_cores_per_server: 16,
        },
        Metric::PER_PROCESSOR,
        Metric::PerProcessor {
            max_cores_per_processor: Some(16),
        },
        Metric::DeviceCal,
        Metric::UserCal,
        Metric::UserSubscription,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names,
        [
            "Per Device",
            "Per User (2 installs a right)",
            "Per Named Device",
            "Per Named User (3 installs a right)",
            "Per Core",
            "Per Core (at least 4 a processor)",
            "Per Core (at least 16 a server)",
            "Per Core (at least 8 a processor, 16 a server)",
            "Per Processor",
            "Per Processor (up to 16 cores each)",
            "Device CAL",
            "User CAL",
            "User Subscription",
        ]
    );
}

/// The position's lookups and totals.
#[test]
fn position_lookups_and_totals() {
    let mut s = base();
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "Y", "d2")];
    s.subscriptions = vec![Subscription::new("s1", "Z", "ana")];
    s.entitlements = vec![
        Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(1)).costing(5),
        Entitlement::new("S", "Z", Metric::UserSubscription, Rights::Count(1)),
        Entitlement::new("Y", "Y", Metric::PER_DEVICE, Rights::Count(0)).costing(7),
    ];
    let p = run(&s);
    assert_eq!(
        p.subscription("s1").unwrap().entitlement.as_deref(),
        Some("S")
    );
    assert!(p.subscription("s2").is_none() && p.install("i9").is_none() && p.model("W").is_none());
    assert!(!p.is_compliant());
    assert_eq!(p.true_up_cost(), Some(7));
    s.entitlements[2].rights = Rights::Count(1);
    let p = run(&s);
    assert!(p.is_compliant());
    assert_eq!(p.true_up_cost(), Some(0));
}

/// The bound on purchase options never cuts off the subscription option (the fuzzer found
/// it sorting last behind a hundred install metrics).
#[test]
fn the_subscription_option_survives_the_bound() {
    let mut s = base();
    s.subscriptions = vec![Subscription::new("s1", "X", "ana")];
    s.entitlements = (1..=100)
        .map(|k| {
            let metric = Metric::PerDevice {
                max_installs_per_right: Some(k),
            };
            Entitlement::new(format!("E{k:03}"), "X", metric, Rights::Count(0))
        })
        .collect();
    s.entitlements
        .push(Entitlement::new("S", "X", Metric::UserSubscription, Rights::Count(0)).costing(9));
    let x = run(&s).models.remove(0);
    assert_eq!(x.purchase_options.len(), 1);
    assert_eq!(x.purchase_options_omitted, 0);
    assert_eq!(x.true_up_cost, Some(9));
}
