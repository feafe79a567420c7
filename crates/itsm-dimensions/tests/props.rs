//! Properties: supplier concentration equals a brute-force failure propagation; loading
//! reports every injected dangling or duplicate reference; scores stay within 0 to 100 and
//! never rise as findings are added; an assessment compared with itself shows no change.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{clean, clean_deps, payroll, today};
use itsm_dimensions::{
    ConfigurationItem, Contract, Dependencies, Dependency, Error, Organisation, OrganisationSpec,
    Service, ServiceRole, Settings, Supplier, ValueStream, ValueStreamStep, assess, assess_service,
    compare,
};
use proptest::prelude::*;

const NODES: usize = 8;
const SUPPLIERS: usize = 4;

/// A graph over `svc`, `n0`..`n7` and the suppliers `s0`..`s3` as nodes: each dependency is
/// (from, alternatives), positions 0 = svc, 1..=8 the n's, 9..=12 the suppliers.
type Edges = Vec<(usize, Vec<usize>)>;

fn graph() -> impl Strategy<Value = (Edges, Vec<Option<usize>>)> {
    let n = 1 + NODES + SUPPLIERS;
    (
        prop::collection::vec((0..n, prop::collection::vec(0..n, 1..4)), 0..16),
        prop::collection::vec(prop::option::of(0..SUPPLIERS), NODES),
    )
}

fn name(i: usize) -> String {
    match i {
        0 => "svc".into(),
        i if i <= NODES => format!("n{}", i - 1),
        i => format!("s{}", i - 1 - NODES),
    }
}

/// Does `svc` fail when supplier `s` fails? The least fixpoint, by repeating until stable.
fn brute_force(edges: &[(usize, Vec<usize>)], supplied: &[Option<usize>], s: usize) -> bool {
    let n = 1 + NODES + SUPPLIERS;
    let mut failed = vec![false; n];
    for (i, sup) in supplied.iter().enumerate() {
        failed[1 + i] = *sup == Some(s);
    }
    failed[1 + NODES + s] = true;
    loop {
        let mut changed = false;
        for (from, on) in edges {
            if !failed[*from] && on.iter().all(|a| failed[*a]) {
                failed[*from] = true;
                changed = true;
            }
        }
        if !changed {
            return failed[0];
        }
    }
}

fn graph_org(supplied: &[Option<usize>]) -> Organisation {
    let mut spec = OrganisationSpec::new();
    for s in 0..SUPPLIERS {
        spec.suppliers.push(Supplier::new(&format!("s{s}")));
        spec.contracts
            .push(Contract::new(&format!("c{s}"), &format!("s{s}")));
    }
    for (i, sup) in supplied.iter().enumerate() {
        let mut ci = ConfigurationItem::new(&format!("n{i}"), "host", None);
        ci.supplier = sup.map(|s| format!("s{s}"));
        spec.configuration_items.push(ci);
    }
    spec.services.push(Service::new("svc", "Service"));
    Organisation::new(spec).unwrap()
}

/// A fault added to the clean organisation; each only ever adds findings.
#[derive(Debug, Clone)]
enum Fault {
    NoOwner,
    UnstaffedRole(u8),
    SoloRole(u8),
    RareSkill(u8),
    UnsupportedCi(u8),
    Unsteward,
    ExpiredContract,
    WeakContract,
    BareStep(u8),
    UncarriedPractice(u8),
    Concentration,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        Just(Fault::NoOwner),
        any::<u8>().prop_map(Fault::UnstaffedRole),
        any::<u8>().prop_map(Fault::SoloRole),
        any::<u8>().prop_map(Fault::RareSkill),
        any::<u8>().prop_map(Fault::UnsupportedCi),
        Just(Fault::Unsteward),
        Just(Fault::ExpiredContract),
        Just(Fault::WeakContract),
        any::<u8>().prop_map(Fault::BareStep),
        any::<u8>().prop_map(Fault::UncarriedPractice),
        Just(Fault::Concentration),
    ]
}

fn add_role(spec: &mut OrganisationSpec, role: ServiceRole) {
    let roles = &mut payroll(spec).roles;
    if !roles.iter().any(|r| r.name == role.name) {
        roles.push(role);
    }
}

fn apply(spec: &mut OrganisationSpec, deps: &mut Vec<Dependency>, fault: &Fault) {
    match fault {
        Fault::NoOwner => payroll(spec).owner = None,
        Fault::UnstaffedRole(i) => add_role(spec, ServiceRole::new(&format!("empty-{i}"), &[])),
        Fault::SoloRole(i) => add_role(spec, ServiceRole::new(&format!("solo-{i}"), &["cy"])),
        Fault::RareSkill(i) => {
            let skill = format!("rare-{i}");
            let cy = &mut spec.people[2].skills;
            if !cy.contains(&skill) {
                cy.push(skill);
            }
        }
        Fault::UnsupportedCi(i) => {
            let id = format!("bare-{i}");
            if !spec.configuration_items.iter().any(|c| c.id == id) {
                spec.configuration_items
                    .push(ConfigurationItem::new(&id, "host", None));
                payroll(spec).configuration_items.push(id);
            }
        }
        Fault::Unsteward => spec.data_assets[0].steward = None,
        Fault::ExpiredContract => spec.contracts[0].end = Some(common::date(2020, 1, 1)),
        Fault::WeakContract => {
            spec.contracts[0].targets.as_mut().unwrap().availability = Some(90.0);
        }
        Fault::BareStep(i) => {
            let step = ValueStreamStep::new(&format!("bare-{i}"), &[], &[]);
            let steps = &mut payroll(spec).value_streams[0].steps;
            if !steps.iter().any(|s| s.name == step.name) {
                steps.push(step);
            }
        }
        Fault::UncarriedPractice(i) => {
            let id = format!("orphan-{i}");
            if !spec.practices.iter().any(|p| p.id == id) {
                spec.practices.push(itsm_dimensions::Practice::new(&id));
                payroll(spec).value_streams.push(ValueStream::new(
                    &format!("uses-{i}"),
                    vec![ValueStreamStep::new("step", &[&id], &["ops"])],
                ));
            }
        }
        Fault::Concentration => deps.push(Dependency::new("payroll", &["cloudco"])),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn concentration_is_exactly_the_suppliers_whose_failure_takes_the_service_down(
        (edges, supplied) in graph()
    ) {
        let org = graph_org(&supplied);
        let deps = Dependencies::new(
            edges
                .iter()
                .map(|(from, on)| {
                    let mut d = Dependency::new(&name(*from), &[]);
                    d.on = on.iter().map(|a| name(*a)).collect();
                    d
                })
                .collect(),
        )
        .unwrap();
        let report = assess_service(&org, "svc", &deps, &Settings::new(today())).unwrap();
        let got: Vec<&str> = report.concentration.iter().map(|c| c.supplier.as_str()).collect();
        let reached = reachable(&edges);
        let want: Vec<String> = (0..SUPPLIERS)
            .filter(|s| {
                // A supplier the service does not reach is not a dependency at all.
                let touches = reached.contains(&(1 + NODES + s))
                    || supplied.iter().enumerate().any(|(i, x)| *x == Some(*s) && reached.contains(&(1 + i)));
                touches && brute_force(&edges, &supplied, *s)
            })
            .map(|s| format!("s{s}"))
            .collect();
        prop_assert_eq!(got, want.iter().map(String::as_str).collect::<Vec<_>>());
        for c in &report.concentration {
            prop_assert!(!c.via.is_empty());
            prop_assert!(c.via.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn loading_reports_every_dangling_and_duplicate_reference_at_once(
        bad in prop::collection::vec((0..9usize, 0..1000u32), 0..12)
    ) {
        let mut spec = clean();
        let mut expected = BTreeSet::new();
        for (place, n) in &bad {
            let id = match place {
                6 => "ops".to_owned(),
                7 => "db-1".to_owned(),
                8 => "ana".to_owned(),
                _ => format!("ghost-{n}"),
            };
            expected.insert((*place, id.clone()));
            let p = payroll(&mut spec);
            match place {
                6 => p.teams.push(id),
                7 => p.configuration_items.push(id),
                8 => p.roles[0].people.push(id),
                0 => p.teams.push(id),
                1 => p.configuration_items.push(id),
                2 => p.data_assets.push(id),
                3 => p.suppliers.push(id),
                4 => p.contracts.push(id),
                _ => p.value_streams[0].steps[0].practices.push(id),
            }
        }
        match Organisation::new(spec) {
            Ok(_) => prop_assert!(bad.is_empty()),
            Err(Error::InvalidOrganisation { problems }) => {
                // Each unknown id once per listing (a repeat of an unknown id is unknown again),
                // each known id once per listing beyond its first.
                prop_assert_eq!(problems.len(), bad.len());
                let duplicates = bad.iter().filter(|(p, _)| *p >= 6).count();
                let reported = problems
                    .iter()
                    .filter(|p| matches!(p, itsm_dimensions::ModelProblem::DuplicateReference { .. }))
                    .count();
                prop_assert_eq!(reported, duplicates);
                for (_, id) in &expected {
                    let shown = problems.iter().any(|p| p.to_string().contains(&format!("`{id}`")));
                    prop_assert!(shown, "{} not reported", id);
                }
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }

    #[test]
    fn scores_stay_in_bounds_and_never_rise_as_faults_are_added(
        faults in prop::collection::vec(fault(), 0..24)
    ) {
        let settings = Settings::new(today());
        let mut spec = clean();
        let mut edges = clean_deps().edges().to_vec();
        let mut last: Option<(u32, BTreeMap<String, u32>, usize)> = None;
        for f in &faults {
            apply(&mut spec, &mut edges, f);
            let org = Organisation::new(spec.clone()).unwrap();
            let deps = Dependencies::new(edges.clone()).unwrap();
            let report = assess(&org, &deps, &settings).unwrap();
            let p = &report.services[0];
            prop_assert!(p.score <= 100);
            let mut scores = BTreeMap::new();
            for d in &p.dimensions {
                prop_assert!(d.score <= 100);
                prop_assert!(d.coverage.covered <= d.coverage.total);
                prop_assert!(d.findings.iter().all(|f| f.rule.dimension() == d.dimension));
                scores.insert(d.dimension.to_string(), d.score);
            }
            let count = p.findings().count();
            if let Some((score, before, findings)) = &last {
                prop_assert!(p.score <= *score);
                prop_assert!(count >= *findings);
                for (d, s) in &scores {
                    prop_assert!(s <= &before[d], "{} rose", d);
                }
            }
            // The same inputs give the same answer, one service or all.
            prop_assert_eq!(&assess(&org, &deps, &settings).unwrap(), &report);
            prop_assert_eq!(&assess_service(&org, "payroll", &deps, &settings).unwrap(), p);
            let same = compare(&report, &report);
            prop_assert!(same.is_unchanged());
            last = Some((p.score, scores, count));
        }
        // From clean to all the faults: nothing resolved, every finding new.
        let org = Organisation::new(spec).unwrap();
        let deps = Dependencies::new(edges).unwrap();
        let after = assess(&org, &deps, &settings).unwrap();
        let before = assess(&Organisation::new(clean()).unwrap(), &clean_deps(), &settings).unwrap();
        let diff = compare(&before, &after);
        let payroll = diff.service("payroll").unwrap();
        prop_assert!(payroll.resolved.is_empty());
        prop_assert_eq!(payroll.new.len(), after.services[0].findings().count());
        prop_assert_eq!(payroll.worsened().count() > 0, !faults.is_empty());
        prop_assert_eq!(payroll.improved().count(), 0);
        let back = compare(&after, &before);
        prop_assert_eq!(&back.service("payroll").unwrap().resolved, &payroll.new);
    }
}

fn reachable(edges: &[(usize, Vec<usize>)]) -> BTreeSet<usize> {
    let mut seen = BTreeSet::from([0]);
    let mut stack = vec![0];
    while let Some(n) = stack.pop() {
        for (from, on) in edges {
            if *from == n {
                for a in on {
                    if seen.insert(*a) {
                        stack.push(*a);
                    }
                }
            }
        }
    }
    seen
}

#[test]
fn services_added_and_removed_are_listed() {
    let settings = Settings::new(today());
    let before = assess(
        &Organisation::new(clean()).unwrap(),
        &Dependencies::none(),
        &settings,
    )
    .unwrap();
    let mut spec = clean();
    spec.services.push(Service::new("expenses", "Expenses"));
    let after = assess(
        &Organisation::new(spec).unwrap(),
        &Dependencies::none(),
        &settings,
    )
    .unwrap();
    let diff = compare(&before, &after);
    assert_eq!(diff.added, ["expenses"]);
    assert!(diff.removed.is_empty());
    assert!(!diff.is_unchanged());
    assert_eq!(compare(&after, &before).removed, ["expenses"]);
}
