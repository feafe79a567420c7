//! Conformance with ServiceNow Software Asset Management's documentation: one test per
//! documented rule, each naming its page (ServiceNow product documentation, Australia
//! release, `it-asset-management/software-asset-management/` unless said otherwise).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::NaiveDate;
use itsm_licence::{
    Agreement, Device, Entitlement, Error, Install, Metric, MetricPosition, ModelPosition, Policy,
    Position, Remediation, Rights, Snapshot, SoftwareModel, Status, Subscription, reconcile,
};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn snapshot() -> Snapshot {
    Snapshot::new(day(6, 30))
}

fn run(s: &Snapshot) -> Position {
    reconcile(s, &Policy::servicenow()).unwrap()
}

fn model<'a>(p: &'a Position, m: &str) -> &'a ModelPosition {
    p.model(m).unwrap()
}

fn metric<'a>(p: &'a Position, m: &str) -> &'a MetricPosition {
    &model(p, m).metrics[0]
}

fn devices(ids: &[&str]) -> Vec<Device> {
    ids.iter().map(|d| Device::new(*d)).collect()
}

/// c_SAMLicenseMetrics.md (Software license metrics), Common group, Per Core:
/// "CPU core count * CPU count".
#[test]
fn per_core_is_cores_times_processors() {
    let mut s = snapshot();
    s.devices = vec![Device::new("srv").with_hardware(2, 12)];
    s.installs = vec![Install::new("i1", "DB", "srv")];
    s.entitlements = vec![Entitlement::new(
        "E",
        "DB",
        Metric::PER_CORE,
        Rights::Count(24),
    )];
    let p = run(&s);
    assert_eq!(metric(&p, "DB").rights_used, 24);
    assert_eq!(model(&p, "DB").status, Status::Compliant);
    s.entitlements[0].rights = Rights::Count(23);
    let p = run(&s);
    assert_eq!(model(&p, "DB").unlicensed_installs, 1);
    assert_eq!(model(&p, "DB").purchase_options[0].rights_needed, 24);
}

/// sw-metric-attributes.md (Software model metric attributes): "Licensable cores =
/// Processors * Max (Minimum cores per processor, Cores)" and, with a minimum a server,
/// "Max (Processors * Max (Minimum cores per processor, Cores), Minimum cores per server)".
#[test]
fn per_core_minimums_per_processor_and_server() {
    let metric8 = Metric::PerCore {
        min_cores_per_processor: 8,
        min_cores_per_server: 0,
    };
    let small = Device::new("s").with_hardware(1, 4);
    assert_eq!(metric8.rights_required(Some(&small), 1), Some(8));
    let big = Device::new("b").with_hardware(2, 10);
    assert_eq!(metric8.rights_required(Some(&big), 1), Some(20));
    let with_server = Metric::PerCore {
        min_cores_per_processor: 8,
        min_cores_per_server: 16,
    };
    assert_eq!(with_server.rights_required(Some(&small), 1), Some(16));
    assert_eq!(with_server.rights_required(Some(&big), 1), Some(20));
}

/// sw-metric-attributes.md: Per Processor with "Maximum cores per processor": "Licenses
/// required = Processors * (Cores/Maximum cores per processor)"; a CPU with more cores than
/// the maximum needs more licences.
#[test]
fn per_processor_counts_extra_licences_for_big_processors() {
    let capped = Metric::PerProcessor {
        max_cores_per_processor: Some(10),
    };
    let d = Device::new("d").with_hardware(2, 12);
    assert_eq!(capped.rights_required(Some(&d), 1), Some(4)); // 2 * ceil(12 / 10)
    assert_eq!(Metric::PER_PROCESSOR.rights_required(Some(&d), 1), Some(2));
    let fits = Device::new("f").with_hardware(2, 10);
    assert_eq!(capped.rights_required(Some(&fits), 1), Some(2));
}

/// explanation-rights-post-recon.md (Per Device use case): licensable installs over
/// maximum installs per right, and "the maximum of either the licensable installs
/// calculated or 1", since an unlimited maximum gives 0.
#[test]
fn per_device_needs_at_least_one_right() {
    let mut s = snapshot();
    s.devices = devices(&["mac"]);
    s.installs = vec![
        Install::new("i1", "Office", "mac"),
        Install::new("i2", "Office", "mac"),
        Install::new("i3", "Office", "mac"),
    ];
    s.entitlements = vec![Entitlement::new(
        "E",
        "Office",
        Metric::PER_DEVICE,
        Rights::Count(5),
    )];
    assert_eq!(metric(&run(&s), "Office").rights_used, 1);
    s.entitlements[0].metric = Metric::PerDevice {
        max_installs_per_right: Some(2),
    };
    assert_eq!(metric(&run(&s), "Office").rights_used, 2);
}

/// r_LicenseCalculationTypes.md (it-service-management/software-asset-management, legacy
/// calculation types): "UserA has three installs. One license is used by each install, for
/// a total of three licenses" (installs per user) against "UserB, who has three installs,
/// needs only one license" (per named user).
#[test]
fn installs_per_user_against_per_named_user() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2", "d3"]);
    s.installs = vec![
        Install::new("i1", "CAD", "d1").by("userA"),
        Install::new("i2", "CAD", "d2").by("userA"),
        Install::new("i3", "CAD", "d3").by("userA"),
    ];
    let per_install = Metric::PerUser {
        max_installs_per_right: Some(1),
    };
    s.entitlements = vec![Entitlement::new("E", "CAD", per_install, Rights::Count(10))];
    assert_eq!(metric(&run(&s), "CAD").rights_used, 3);
    let named = Metric::PerNamedUser {
        max_installs_per_right: None,
    };
    s.entitlements =
        vec![Entitlement::new("E", "CAD", named, Rights::Count(10)).allocate("userA", 1)];
    let p = run(&s);
    assert_eq!(metric(&p, "CAD").rights_used, 1);
    assert_eq!(model(&p, "CAD").status, Status::Compliant);
}

/// c_SAMLicenseMetrics.md: Per Named Device "Licenses a specific device ... You must add
/// allocations"; license-metric-results-fields.md: "Allocations needed: Number of
/// allocations needed for compliance. Only used for Per Named User and Per Named Device".
#[test]
fn named_device_licenses_only_allocated_devices() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2", "d3"]);
    s.installs = vec![
        Install::new("i1", "Tool", "d1"),
        Install::new("i2", "Tool", "d2"),
        Install::new("i3", "Tool", "d3"),
    ];
    let named = Metric::PerNamedDevice {
        max_installs_per_right: None,
    };
    s.entitlements = vec![Entitlement::new("E", "Tool", named, Rights::Count(3)).allocate("d1", 1)];
    let p = run(&s);
    assert_eq!(model(&p, "Tool").unlicensed_installs, 2);
    let m = metric(&p, "Tool");
    assert_eq!(
        (m.rights_used, m.rights_available, m.allocations_needed),
        (1, 2, 2)
    );
    assert_eq!(p.install("i2").unwrap().entitlement, None);
    assert!(p.install("i1").unwrap().allocated);
}

/// c_SAMLicenseMetrics.md: Per Named User likewise licenses only allocated users.
#[test]
fn named_user_licenses_only_allocated_users() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![
        Install::new("i1", "Tool", "d1").by("ana"),
        Install::new("i2", "Tool", "d2").by("ben"),
    ];
    let named = Metric::PerNamedUser {
        max_installs_per_right: None,
    };
    s.entitlements =
        vec![Entitlement::new("E", "Tool", named, Rights::Count(5)).allocate("ben", 1)];
    let p = run(&s);
    assert_eq!(p.install("i1").unwrap().entitlement, None);
    assert_eq!(p.install("i2").unwrap().entitlement.as_deref(), Some("E"));
    assert_eq!(metric(&p, "Tool").allocations_needed, 1);
}

/// c_SAMLicenseMetrics.md (Adobe, User Subscription): "a right is consumed for each active
/// unique software subscription record assigned to a user"; allocated in use, not
/// allocated in use, allocated not in use; "a user has a user allocation with two rights
/// but only one subscription record ... one right is considered Allocated in use and the
/// second right is considered Allocated not in use".
#[test]
fn user_subscription_allocation_categories() {
    let mut s = snapshot();
    s.subscriptions = vec![
        Subscription::new("s1", "Creative Cloud", "ana"),
        Subscription::new("s2", "Creative Cloud", "ben"),
    ];
    s.entitlements = vec![
        Entitlement::new(
            "E",
            "Creative Cloud",
            Metric::UserSubscription,
            Rights::Count(5),
        )
        .allocate("ana", 2)
        .allocate("cy", 1),
    ];
    let p = run(&s);
    let m = metric(&p, "Creative Cloud");
    assert_eq!(m.allocated_in_use, 1); // Ana: allocation and subscription
    assert_eq!(m.not_allocated_in_use, 1); // Ben: subscription, no allocation
    assert_eq!(m.allocated_not_in_use, 2); // Ana's second right, Cy's right
    assert_eq!(m.rights_used, 2);
    assert_eq!(model(&p, "Creative Cloud").subscriptions, 2);
    assert_eq!(model(&p, "Creative Cloud").installs, 0);
}

/// c_SAMLicenseMetrics.md: "User CAL: Licenses each user that accesses your server,
/// regardless of the number of devices that each user is using".
#[test]
fn user_cal_counts_users_not_devices() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2", "d3"]);
    s.installs = vec![
        Install::new("a1", "Exchange access", "d1").by("ana"),
        Install::new("a2", "Exchange access", "d2").by("ana"),
        Install::new("a3", "Exchange access", "d3").by("ben"),
    ];
    s.entitlements = vec![Entitlement::new(
        "E",
        "Exchange access",
        Metric::UserCal,
        Rights::Count(2),
    )];
    let p = run(&s);
    assert_eq!(metric(&p, "Exchange access").rights_used, 2);
    assert_eq!(model(&p, "Exchange access").status, Status::Compliant);
}

/// c_SAMLicenseMetrics.md: "Device CAL: Licenses each device that accesses your server,
/// regardless of the number of users that are using each device".
#[test]
fn device_cal_counts_devices_not_users() {
    let mut s = snapshot();
    s.devices = devices(&["kiosk", "d2"]);
    s.installs = vec![
        Install::new("a1", "Exchange access", "kiosk").by("ana"),
        Install::new("a2", "Exchange access", "kiosk").by("ben"),
        Install::new("a3", "Exchange access", "kiosk").by("cy"),
        Install::new("a4", "Exchange access", "d2").by("ana"),
    ];
    s.entitlements = vec![Entitlement::new(
        "E",
        "Exchange access",
        Metric::DeviceCal,
        Rights::Count(2),
    )];
    assert_eq!(metric(&run(&s), "Exchange access").rights_used, 2);
}

/// downgrade-rights.md (Downgrade Rights): "having acquired the rights to the latest version
/// of software but using the rights to license earlier versions of the same software".
#[test]
fn downgrade_rights_license_earlier_versions() {
    let mut s = snapshot();
    let mut v2024 = SoftwareModel::new("Visio 2024");
    v2024.downgrades_to = vec!["Visio 2021".into(), "Visio 2019".into()];
    s.models = vec![v2024];
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![
        Install::new("i1", "Visio 2021", "d1"),
        Install::new("i2", "Visio 2019", "d2"),
    ];
    s.entitlements = vec![Entitlement::new(
        "E",
        "Visio 2024",
        Metric::PER_DEVICE,
        Rights::Count(2),
    )];
    let p = run(&s);
    assert!(p.is_compliant());
    let m = metric(&p, "Visio 2024");
    assert_eq!(m.rights_used, 2);
    assert_eq!(m.downgrades.len(), 2);
    assert!(p.install("i1").unwrap().downgrade);
    // Without downgrade rights (a policy choice), both are unlicensed.
    let mut policy = Policy::servicenow();
    policy.downgrade_rights = false;
    let p = reconcile(&s, &policy).unwrap();
    assert_eq!(model(&p, "Visio 2021").unlicensed_installs, 1);
}

/// downgrade-rights.md: "Downgrade rights aren't supported for the User Subscription
/// license metric regardless of the metric group".
#[test]
fn no_downgrade_for_user_subscriptions() {
    let mut s = snapshot();
    let mut cc = SoftwareModel::new("CC 2026");
    cc.downgrades_to = vec!["CC 2025".into()];
    s.models = vec![cc];
    s.subscriptions = vec![Subscription::new("s1", "CC 2025", "ana")];
    s.entitlements = vec![Entitlement::new(
        "E",
        "CC 2026",
        Metric::UserSubscription,
        Rights::Count(5),
    )];
    let p = run(&s);
    assert_eq!(model(&p, "CC 2025").unlicensed_subscriptions, 1);
    assert_eq!(model(&p, "CC 2025").status, Status::NotCompliant);
}

/// unltd-allocations-rights.md (Unlimited software licenses): unlimited rights "with no
/// true-up cost", results not "non-compliant", and "Unlimited license is given priority
/// over fixed amount license"; "Downgrade rights are supported for unlimited licenses".
#[test]
fn unlimited_licences_come_first_and_never_fall_short() {
    let mut s = snapshot();
    let mut app = SoftwareModel::new("App 2");
    app.downgrades_to = vec!["App 1".into()];
    s.models = vec![app];
    s.devices = (0..50).map(|i| Device::new(format!("d{i:02}"))).collect();
    s.installs = (0..50)
        .map(|i| {
            Install::new(
                format!("i{i:02}"),
                if i % 2 == 0 { "App 2" } else { "App 1" },
                format!("d{i:02}"),
            )
        })
        .collect();
    s.entitlements = vec![
        Entitlement::new("A-fixed", "App 2", Metric::PER_DEVICE, Rights::Count(10)),
        Entitlement::new(
            "Z-unlimited",
            "App 2",
            Metric::PER_DEVICE,
            Rights::Unlimited,
        ),
    ];
    let p = run(&s);
    assert!(p.is_compliant());
    assert_eq!(p.true_up_cost(), Some(0));
    assert!(
        p.installs
            .iter()
            .all(|c| c.entitlement.as_deref() == Some("Z-unlimited"))
    );
    // "License metric results are generated separately for unlimited licenses."
    let results = &model(&p, "App 2").metrics;
    assert_eq!(results.len(), 2);
    let (counted, unlimited) = (&results[0], &results[1]);
    assert!(!counted.unlimited && unlimited.unlimited);
    assert_eq!(
        (
            counted.rights_owned,
            counted.rights_used,
            counted.rights_available
        ),
        (10, 0, 10)
    );
    assert_eq!(
        (
            unlimited.rights_owned,
            unlimited.rights_used,
            unlimited.rights_available
        ),
        (0, 50, 0)
    );
    assert!(unlimited.remediations.is_empty());
}

/// license-metric-results-fields.md (License metric results fields): rights owned "Sum of
/// all active rights", rights used "allocated + not allocated and installed", rights
/// available "rights owned - rights used", not allocated "rights owned - allocated".
#[test]
fn metric_result_sums() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2", "d3"]);
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "X", "d2")];
    s.entitlements = vec![
        Entitlement::new("E1", "X", Metric::PER_DEVICE, Rights::Count(4))
            .allocate("d1", 1)
            .allocate("d3", 1),
        Entitlement::new("E2", "X", Metric::PER_DEVICE, Rights::Count(6)),
    ];
    let p = run(&s);
    let m = metric(&p, "X");
    assert_eq!(m.rights_owned, 10);
    assert_eq!(
        (
            m.allocated_in_use,
            m.not_allocated_in_use,
            m.allocated_not_in_use
        ),
        (1, 1, 1)
    );
    assert_eq!(m.rights_used, m.allocated_in_use + m.not_allocated_in_use);
    assert_eq!(m.rights_available, 8);
    assert_eq!(m.not_allocated, 8);
}

/// license-metric-results-fields.md: not allocated in use above 0 creates "Create
/// Allocations and Remove Unallocated Installs ... except User CAL and Device CAL";
/// allocated not in use above 0 creates "a Remove Allocations remediation option".
#[test]
fn remediation_options() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![
        Install::new("i1", "X", "d1").by("ana"),
        Install::new("i2", "Y", "d1").by("ana"),
    ];
    s.entitlements = vec![
        Entitlement::new("E1", "X", Metric::PER_DEVICE, Rights::Count(2)).allocate("d2", 1),
        Entitlement::new("E2", "Y", Metric::UserCal, Rights::Count(2)),
    ];
    let p = run(&s);
    assert_eq!(
        metric(&p, "X").remediations,
        [
            Remediation::CreateAllocations,
            Remediation::RemoveUnallocatedInstalls,
            Remediation::RemoveAllocations
        ]
    );
    assert_eq!(metric(&p, "Y").not_allocated_in_use, 1);
    assert!(metric(&p, "Y").remediations.is_empty());
}

/// allocation-management-sam.md (Overriding license assignment to a host or VM): with fewer
/// cores allocated than the machine has, "counts the exact number of cores present"; with
/// more, "uses the number you entered. However, the surplus is marked as Allocated not in
/// use".
#[test]
fn core_allocations_fewer_or_more_than_the_machine() {
    let mut s = snapshot();
    s.devices = vec![Device::new("vm").with_hardware(1, 8)];
    s.installs = vec![Install::new("i1", "SQL Enterprise", "vm")];
    s.entitlements = vec![
        Entitlement::new("E", "SQL Enterprise", Metric::PER_CORE, Rights::Count(16))
            .allocate("vm", 4),
    ];
    let m = metric(&run(&s), "SQL Enterprise").clone();
    assert_eq!(
        (
            m.rights_used,
            m.allocated_in_use,
            m.not_allocated_in_use,
            m.allocated_not_in_use
        ),
        (8, 4, 4, 0)
    );
    s.entitlements[0].allocations[0].quantity = 12;
    let m = metric(&run(&s), "SQL Enterprise").clone();
    assert_eq!(
        (
            m.rights_used,
            m.allocated_in_use,
            m.not_allocated_in_use,
            m.allocated_not_in_use
        ),
        (8, 8, 0, 4)
    );
}

/// allocation-management-sam.md (Licensing entities with other licenses): an allocation to
/// the Enterprise entitlement licenses the VM with it although Standard would be cheaper.
#[test]
fn allocation_overrides_the_cheaper_choice() {
    let mut s = snapshot();
    let mut ent = SoftwareModel::new("SQL Enterprise");
    ent.downgrades_to = vec!["SQL Standard".into()];
    s.models = vec![ent];
    s.devices = vec![
        Device::new("vm13").with_hardware(1, 4),
        Device::new("vm14").with_hardware(1, 4),
    ];
    s.installs = vec![
        Install::new("i13", "SQL Standard", "vm13"),
        Install::new("i14", "SQL Standard", "vm14"),
    ];
    s.entitlements = vec![
        Entitlement::new("ENT", "SQL Enterprise", Metric::PER_CORE, Rights::Count(8))
            .costing(700_000)
            .allocate("vm13", 4),
        Entitlement::new("STD", "SQL Standard", Metric::PER_CORE, Rights::Count(8))
            .costing(200_000),
    ];
    let p = run(&s);
    assert_eq!(
        p.install("i13").unwrap().entitlement.as_deref(),
        Some("ENT")
    );
    assert!(p.install("i13").unwrap().allocated);
    assert_eq!(
        p.install("i14").unwrap().entitlement.as_deref(),
        Some("STD")
    ); // the cheaper one
}

/// software-entitlement-fields.md (Software entitlement fields): "Allocations available =
/// (number of active rights) - (sum of all allocation quantities)": allocations beyond the
/// rights cannot exist.
#[test]
fn allocations_may_not_exceed_active_rights() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.entitlements = vec![
        Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(2))
            .allocate("d1", 2)
            .allocate("d2", 1),
    ];
    assert_eq!(
        reconcile(&s, &Policy::servicenow()),
        Err(Error::AllocationsExceedRights {
            entitlement: "E".into(),
            allocated: 3,
            rights: 2
        })
    );
}

/// software-entitlement-fields.md: "If the state is Retired, the Active rights field is set
/// to 0"; and a subscription's state follows its start and end dates.
#[test]
fn retired_and_expired_entitlements_grant_nothing() {
    let mut s = snapshot();
    s.devices = devices(&["d1"]);
    s.installs = vec![Install::new("i1", "X", "d1")];
    let mut retired = Entitlement::new("R", "X", Metric::PER_DEVICE, Rights::Count(5));
    retired.retired = true;
    let expired = Entitlement::new("S-old", "X", Metric::PER_DEVICE, Rights::Count(5))
        .subscription(day(1, 1), day(6, 29));
    let future = Entitlement::new("S-new", "X", Metric::PER_DEVICE, Rights::Count(5))
        .subscription(day(7, 1), day(12, 31));
    s.entitlements = vec![retired, expired, future];
    let p = run(&s);
    assert_eq!(model(&p, "X").unlicensed_installs, 1);
    let m = metric(&p, "X");
    assert_eq!(m.rights_owned, 0);
    assert_eq!(m.inactive, ["R", "S-new", "S-old"]);
    // The last day of a subscription still counts.
    s.as_of = day(6, 29);
    assert_eq!(
        run(&s).install("i1").unwrap().entitlement.as_deref(),
        Some("S-old")
    );
}

/// t_ViewSWModelResults.md (View software model results): "If the agreement type is
/// Enterprise Level Agreement or Unlimited Level Agreement, the Status is Compliant even if
/// there are unlicensed installations".
#[test]
fn enterprise_agreement_is_compliant() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "X", "d2")];
    let mut ela = Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(1));
    ela.agreement = Agreement::Enterprise;
    s.entitlements = vec![ela];
    let p = run(&s);
    assert_eq!(model(&p, "X").status, Status::Compliant);
    assert_eq!(model(&p, "X").unlicensed_installs, 1);
    let mut policy = Policy::servicenow();
    policy.enterprise_agreement_compliant = false;
    assert_eq!(
        reconcile(&s, &policy).unwrap().models[0].status,
        Status::NotCompliant
    );
}

/// t_ViewSWModelResults.md: "True-up cost: Estimated cost of remediating unlicensed
/// installations based on the lowest number of rights needed (rights needed * average price
/// per right from entitlements). The lowest cost from Purchase Rights remediation options."
#[test]
fn true_up_is_the_cheapest_purchase_option() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2", "d3"]);
    s.installs = vec![
        Install::new("i1", "X", "d1").by("ana"),
        Install::new("i2", "X", "d2").by("ana"),
        Install::new("i3", "X", "d3").by("ana"),
    ];
    s.entitlements = vec![
        Entitlement::new("D1", "X", Metric::PER_DEVICE, Rights::Count(1)).costing(100),
        Entitlement::new("D2", "X", Metric::PER_DEVICE, Rights::Count(1)).costing(200),
        Entitlement::new("U", "X", Metric::PER_USER, Rights::Count(1)).costing(250),
        Entitlement::new("U2", "X", Metric::PER_USER, Rights::Count(3)).costing(450),
    ];
    // Each group takes the cheapest right for its licensee: d1 takes D1 (100); d2 then D2
    // (200, cheaper than Ana's user right at 250); d3 finds no device right left and takes
    // U (250, cheaper than U2's 450), which licenses Ana's installs that are still open.
    let p = run(&s);
    assert!(p.is_compliant());
    let by: Vec<_> = p
        .installs
        .iter()
        .map(|c| c.entitlement.as_deref().unwrap())
        .collect();
    assert_eq!(by, ["D1", "D2", "U"]);
    // Now with no rights left: per device needs 3 rights at an average 150 = 450; per user
    // 1 right at (250 * 1 + 450 * 3) / 4 = 400.
    for e in &mut s.entitlements {
        e.retired = true;
    }
    let p = run(&s);
    let x = model(&p, "X");
    let costs: Vec<_> = x
        .purchase_options
        .iter()
        .map(|o| (o.metric, o.rights_needed, o.unit_price, o.cost))
        .collect();
    assert_eq!(
        costs,
        [
            (Metric::PER_DEVICE, 3, Some(150), Some(450)),
            (Metric::PER_USER, 1, Some(400), Some(400)),
        ]
    );
    assert_eq!(x.true_up_cost, Some(400));
}

/// accurate-trueup-cost.md (Accurately reporting your software true-up cost): "Specify the
/// license cost ... in the software model ... If you don't specify a license cost ..., the
/// average software entitlement cost is used".
#[test]
fn model_licence_cost_overrides_the_average() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "X", "d2")];
    s.entitlements =
        vec![Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(1)).costing(100)];
    assert_eq!(model(&run(&s), "X").true_up_cost, Some(100));
    let mut x = SoftwareModel::new("X");
    x.licence_cost = Some(130);
    s.models = vec![x];
    assert_eq!(model(&run(&s), "X").true_up_cost, Some(130));
}

/// sam-license-position-report.md (Software license compliance position): "Over-licensed
/// amount: Total cost of unused rights"; "Rights needed: Rights needed to cover the number of
/// unlicensed installs".
#[test]
fn over_licensed_amount_and_rights_needed() {
    let mut s = snapshot();
    s.devices = devices(&["d1", "d2"]);
    s.installs = vec![Install::new("i1", "X", "d1"), Install::new("i2", "Y", "d2")];
    s.entitlements =
        vec![Entitlement::new("E", "X", Metric::PER_DEVICE, Rights::Count(5)).costing(40)];
    let p = run(&s);
    assert_eq!(model(&p, "X").over_licensed_amount, 4 * 40);
    assert_eq!(p.over_licensed_amount(), 160);
    let y = model(&p, "Y");
    assert_eq!(y.purchase_options[0].rights_needed, 1);
    assert_eq!(y.purchase_options[0].unit_price, None); // nothing to price Y by
    assert_eq!(y.true_up_cost, None);
    assert_eq!(p.true_up_cost(), None);
}
