//! Size: a generated organisation of many services (10,000 in a debug build, 100,000 in
//! release), a supplier chain 100,000 long, a ladder of 50,000 alternatives that meet
//! again one step down, and two redundant chains of 50,000 that one supplier per level
//! covers on both. Each answer is checked; the timings are printed (`--nocapture`) for
//! docs/dimensions.md. A quadratic step would not finish in the time of `cargo test`.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::print_stderr)]
#![allow(clippy::disallowed_methods, reason = "the test times itself")]

use std::time::Instant;

use itsm_dimensions::chrono::NaiveDate;
use itsm_dimensions::{
    ConfigurationItem, Contract, DataAsset, Dependencies, Dependency, Organisation,
    OrganisationSpec, Person, Practice, Raci, RuleId, Service, ServiceRole, Settings, Supplier,
    Team, ValueStream, ValueStreamStep, assess, assess_service, compare,
};

const SERVICES: usize = if cfg!(debug_assertions) {
    10_000
} else {
    100_000
};
const CHAIN: usize = 100_000;
const LADDER: usize = 50_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

fn organisation(n: usize) -> (OrganisationSpec, Vec<Dependency>) {
    let mut spec = OrganisationSpec::new();
    let people = 2_000;
    for p in 0..people {
        let skills = [
            format!("skill-{}", p % 8),
            format!("skill-{}", 8 + (p * 7) % 9),
        ];
        let mut person = Person::new(&format!("p{p}"), "");
        person.skills = skills.to_vec();
        spec.people.push(person);
    }
    for t in 0..200 {
        let members: Vec<String> = (0..10).map(|i| format!("p{}", t * 10 + i)).collect();
        let mut team = Team::new(&format!("t{t}"), &[], &[]);
        team.members = members;
        team.practices = vec![format!("practice-{}", t % 20)];
        spec.teams.push(team);
    }
    for p in 0..21 {
        spec.practices.push(Practice::new(&format!("practice-{p}")));
    }
    for s in 0..100 {
        spec.suppliers.push(Supplier::new(&format!("sup-{s}")));
        if s % 10 != 0 {
            let mut c = Contract::new(&format!("c-{s}"), &format!("sup-{s}"));
            c.end = NaiveDate::from_ymd_opt(2026, 1 + (s % 12) as u32, 15);
            spec.contracts.push(c);
        }
    }
    let mut edges = Vec::with_capacity(3 * n);
    for i in 0..n {
        let id = format!("svc-{i}");
        let ci = format!("ci-{i}");
        let mut item = ConfigurationItem::new(&ci, "host", (i % 13 != 0).then_some("t1"));
        // Odd services' items come from one supplier; even ones' from either of two.
        item.supplier = (i % 2 == 1).then(|| format!("sup-{}", i % 100));
        spec.configuration_items.push(item);
        let asset = format!("data-{i}");
        spec.data_assets
            .push(DataAsset::new(&asset, (i % 17 != 0).then_some("t2")));
        let mut s = Service::new(&id, "");
        s.owner = (i % 11 != 0).then(|| format!("p{}", i % people));
        s.teams = vec![format!("t{}", i % 200), format!("t{}", (i + 1) % 200)];
        s.roles
            .push(ServiceRole::new("on-call", &[]).with("restore", Raci::Accountable));
        s.roles[0].people = (0..(i % 3))
            .map(|k| format!("p{}", (i + k) % people))
            .collect();
        s.configuration_items = vec![ci.clone()];
        s.data_assets = vec![asset];
        s.value_streams.push(ValueStream::new(
            "run",
            vec![
                ValueStreamStep::new("detect", &[], &[]),
                ValueStreamStep::new("fix", &[], &[]),
            ],
        ));
        s.value_streams[0].steps[0].practices = vec![format!("practice-{}", i % 21)];
        s.value_streams[0].steps[0].teams = vec![format!("t{}", i % 200)];
        spec.services.push(s);
        edges.push(Dependency::new(&id, &[&ci]));
        let backup = format!("sup-{}", (i + 1) % 100);
        if i % 2 == 0 {
            let primary = format!("sup-{}", i % 100);
            edges.push(Dependency::new(&ci, &[&primary, &backup]));
        }
    }
    (spec, edges)
}

#[test]
fn a_large_organisation_is_assessed_in_linear_time() {
    let (spec, edges) = organisation(SERVICES);
    let t = Instant::now();
    let org = Organisation::new(spec).unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let deps = Dependencies::new(edges).unwrap();
    let index = t.elapsed();
    let t = Instant::now();
    let report = assess(&org, &deps, &Settings::new(today())).unwrap();
    let run = t.elapsed();
    let t = Instant::now();
    let diff = compare(&report, &report);
    let cmp = t.elapsed();
    assert!(diff.is_unchanged());
    assert_eq!(report.services.len(), SERVICES);
    let findings: usize = report.services.iter().map(|s| s.findings().count()).sum();
    let count = |rule| {
        report
            .services
            .iter()
            .flat_map(|s| s.findings())
            .filter(|f| f.rule == rule)
            .count()
    };
    assert_eq!(count(RuleId::NoOwner), SERVICES.div_ceil(11));
    assert_eq!(count(RuleId::CiNoSupportTeam), SERVICES.div_ceil(13));
    // Odd services depend on their item's supplier with no alternative.
    assert_eq!(count(RuleId::SupplierConcentration), SERVICES / 2);
    eprintln!(
        "{SERVICES} services: load {load:?}, dependencies {index:?}, assess {run:?} \
         ({findings} findings), compare {cmp:?}"
    );
}

fn one_service(supplier_ids: impl Iterator<Item = String>) -> Organisation {
    let mut spec = OrganisationSpec::new();
    for id in supplier_ids {
        spec.suppliers.push(Supplier::new(&id));
    }
    spec.services.push(Service::new("svc", ""));
    Organisation::new(spec).unwrap()
}

#[test]
fn a_supplier_chain_of_100000_is_linear() {
    // svc -> s0 -> s1 -> ... -> s99999: each supplier's own supplier, none with an alternative.
    let org = one_service((0..CHAIN).map(|i| format!("s{i}")));
    let mut edges = vec![Dependency::new("svc", &["s0"])];
    edges.extend((1..CHAIN).map(|i| Dependency::new(&format!("s{}", i - 1), &[&format!("s{i}")])));
    let deps = Dependencies::new(edges).unwrap();
    let t = Instant::now();
    let report = assess_service(&org, "svc", &deps, &Settings::new(today())).unwrap();
    let run = t.elapsed();
    assert_eq!(report.concentration.len(), CHAIN);
    eprintln!("chain of {CHAIN} suppliers: assess {run:?}");
}

#[test]
fn a_ladder_of_alternatives_is_linear() {
    // svc -> s0; s(i) -> s(i+1) or b(i); b(i) -> s(i+1). Every s is critical (both ways
    // meet again at s(i+1)), no b is.
    let org = one_service(
        (0..LADDER)
            .map(|i| format!("s{i}"))
            .chain((0..LADDER).map(|i| format!("b{i}"))),
    );
    let mut edges = vec![Dependency::new("svc", &["s0"])];
    for i in 0..LADDER - 1 {
        let (s, next, b) = (format!("s{i}"), format!("s{}", i + 1), format!("b{i}"));
        edges.push(Dependency::new(&s, &[&next, &b]));
        edges.push(Dependency::new(&b, &[&next]));
    }
    let deps = Dependencies::new(edges).unwrap();
    let t = Instant::now();
    let report = assess_service(&org, "svc", &deps, &Settings::new(today())).unwrap();
    let run = t.elapsed();
    assert_eq!(report.concentration.len(), LADDER);
    assert!(
        report
            .concentration
            .iter()
            .all(|c| c.supplier.starts_with('s'))
    );
    eprintln!("ladder of {LADDER} alternatives: assess {run:?}");
}

#[test]
fn redundant_chains_sharing_a_supplier_per_level_are_linear() {
    // svc -> a0 or b0; a(i) -> a(i+1); b(i) -> b(i+1); supplier s(i) provides a(i) and b(i),
    // so every s(i) takes both ways down (before: a walk to the service per supplier, 69 s
    // at 16,000 levels).
    let mut spec = OrganisationSpec::new();
    for i in 0..LADDER {
        spec.suppliers.push(Supplier::new(&format!("s{i}")));
        for side in ["a", "b"] {
            let mut ci = ConfigurationItem::new(&format!("{side}{i}"), "host", None);
            ci.supplier = Some(format!("s{i}"));
            spec.configuration_items.push(ci);
        }
    }
    spec.services.push(Service::new("svc", ""));
    let org = Organisation::new(spec).unwrap();
    let mut edges = vec![Dependency::new("svc", &["a0", "b0"])];
    for i in 1..LADDER {
        for side in ["a", "b"] {
            edges.push(Dependency::new(
                &format!("{side}{}", i - 1),
                &[&format!("{side}{i}")],
            ));
        }
    }
    let deps = Dependencies::new(edges).unwrap();
    let t = Instant::now();
    let report = assess_service(&org, "svc", &deps, &Settings::new(today())).unwrap();
    let run = t.elapsed();
    assert_eq!(report.concentration.len(), LADDER);
    let last = format!("s{}", LADDER - 1);
    let deepest = report
        .concentration
        .iter()
        .find(|c| c.supplier == last)
        .unwrap();
    assert_eq!(
        deepest.via,
        [format!("a{}", LADDER - 1), format!("b{}", LADDER - 1)]
    );
    eprintln!("two chains of {LADDER} sharing a supplier per level: assess {run:?}");
}
