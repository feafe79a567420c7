//! Every rule, each with a case that fires and a near miss that does not, on the clean
//! organisation of `common` broken in one place.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{clean, clean_deps, date, findings, payroll, today};
use itsm_dimensions::chrono::Duration;
use itsm_dimensions::{
    Dependencies, Dependency, Dimension, Organisation, Raci, RuleId, ServiceRole, Settings,
    Severity, SupportHours, ValueStream, ValueStreamStep, assess,
};

fn settings() -> Settings {
    Settings::new(today())
}

fn only(rule: RuleId, subject: &str) -> Vec<(RuleId, String)> {
    vec![(rule, subject.to_owned())]
}

fn check(spec: &itsm_dimensions::OrganisationSpec) -> Vec<(RuleId, String)> {
    findings(spec, &clean_deps(), &settings())
}

#[test]
fn the_clean_organisation_has_no_finding_and_full_scores() {
    assert_eq!(check(&clean()), []);
    let org = Organisation::new(clean()).unwrap();
    let report = assess(&org, &clean_deps(), &settings()).unwrap();
    let payroll = &report.services[0];
    assert_eq!(payroll.score, 100);
    for d in &payroll.dimensions {
        assert_eq!(d.score, 100, "{}", d.dimension);
        assert_eq!(d.coverage.covered, d.coverage.total, "{}", d.dimension);
        assert!(d.coverage.total > 0, "{}", d.dimension);
    }
    assert!(payroll.concentration.is_empty());
}

#[test]
fn no_owner() {
    let mut spec = clean();
    payroll(&mut spec).owner = None;
    assert_eq!(check(&spec), only(RuleId::NoOwner, "payroll"));
}

#[test]
fn role_unstaffed_and_role_single_person() {
    let mut spec = clean();
    payroll(&mut spec)
        .roles
        .push(ServiceRole::new("auditor", &[]));
    assert_eq!(check(&spec), only(RuleId::RoleUnstaffed, "auditor"));

    let mut spec = clean();
    payroll(&mut spec).roles[0].people = vec!["ana".into()];
    assert_eq!(check(&spec), only(RuleId::RoleSinglePerson, "on-call"));
    // Two people: no finding (the clean organisation's roles all have two).
    assert_eq!(check(&clean()), []);
}

#[test]
fn skill_single_holder() {
    let mut spec = clean();
    spec.people[2].skills.push("cobol".into());
    assert_eq!(check(&spec), only(RuleId::SkillSingleHolder, "cobol"));
    // A second holder among the service's people clears it; one outside the service does not.
    spec.people[0].skills.push("cobol".into());
    assert_eq!(check(&spec), []);
    let mut spec = clean();
    spec.people[2].skills.push("cobol".into());
    spec.people
        .push(itsm_dimensions::Person::new("dee", "Dee").with_skills(&["cobol"]));
    assert_eq!(check(&spec), only(RuleId::SkillSingleHolder, "cobol"));
    // A skill listed twice by one person is still one holder.
    spec.people[2].skills.push("cobol".into());
    assert_eq!(check(&spec), only(RuleId::SkillSingleHolder, "cobol"));
}

#[test]
fn accountability_unclear() {
    let mut spec = clean();
    payroll(&mut spec).roles[1]
        .raci
        .insert("restore service".into(), Raci::Accountable);
    assert_eq!(
        check(&spec),
        only(RuleId::AccountabilityUnclear, "restore service")
    );
    let mut spec = clean();
    payroll(&mut spec).roles[0]
        .raci
        .insert("close".into(), Raci::Responsible);
    assert_eq!(check(&spec), only(RuleId::AccountabilityUnclear, "close"));
    let mut spec = clean();
    payroll(&mut spec).roles[0]
        .raci
        .insert("close".into(), Raci::Accountable);
    assert_eq!(check(&spec), []);
}

#[test]
fn ci_no_support_team() {
    let mut spec = clean();
    spec.configuration_items[1].support_team = None;
    assert_eq!(check(&spec), only(RuleId::CiNoSupportTeam, "app-1"));
    // An item without a team that the service does not use is not the service's finding.
    let mut spec = clean();
    spec.configuration_items
        .push(itsm_dimensions::ConfigurationItem::new(
            "spare", "host", None,
        ));
    assert_eq!(check(&spec), []);
}

#[test]
fn data_asset_no_steward() {
    let mut spec = clean();
    spec.data_assets[0].steward = None;
    assert_eq!(
        check(&spec),
        only(RuleId::DataAssetNoSteward, "payroll-data")
    );
}

#[test]
fn supplier_no_contract() {
    let mut spec = clean();
    spec.suppliers
        .push(itsm_dimensions::Supplier::new("printco"));
    payroll(&mut spec).suppliers.push("printco".into());
    assert_eq!(check(&spec), only(RuleId::SupplierNoContract, "printco"));
    // Through a configuration item too (app-1 has no alternative, so printco is also a
    // concentration).
    let mut spec = clean();
    spec.suppliers
        .push(itsm_dimensions::Supplier::new("printco"));
    spec.configuration_items[1].supplier = Some("printco".into());
    assert_eq!(
        check(&spec),
        [
            (RuleId::SupplierNoContract, "printco".to_owned()),
            (RuleId::SupplierConcentration, "printco".to_owned())
        ]
    );
    assert_eq!(
        findings(&spec, &Dependencies::none(), &settings()),
        only(RuleId::SupplierNoContract, "printco")
    );
    // otherco has a contract: relying on it is fine.
    let mut spec = clean();
    payroll(&mut spec).suppliers.push("otherco".into());
    assert_eq!(check(&spec), []);
}

#[test]
fn contract_expired_and_contract_ending_around_the_notice_period() {
    let with_end = |end| {
        let mut spec = clean();
        spec.contracts[0].end = Some(end);
        check(&spec)
    };
    // Notice is 90 days: 2026-03-02 + 90 days = 2026-05-31.
    assert_eq!(
        with_end(date(2026, 3, 1)),
        only(RuleId::ContractExpired, "cloudco")
    );
    assert_eq!(
        with_end(date(2026, 3, 2)),
        only(RuleId::ContractEnding, "cloudco")
    );
    assert_eq!(
        with_end(date(2026, 5, 31)),
        only(RuleId::ContractEnding, "cloudco")
    );
    assert_eq!(with_end(date(2026, 6, 1)), []);
    // A renewal that runs longer covers the supplier.
    let mut spec = clean();
    spec.contracts[0].end = Some(date(2026, 3, 1));
    let mut renewal = itsm_dimensions::Contract::new("hosting-2027", "cloudco");
    renewal.end = Some(date(2027, 12, 31));
    spec.contracts.push(renewal);
    assert_eq!(check(&spec), []);
    // The notice period is data.
    let mut spec = clean();
    spec.contracts[0].end = Some(date(2026, 5, 31));
    let mut short = settings();
    short.notice = Duration::days(30);
    assert_eq!(findings(&spec, &clean_deps(), &short), []);
}

#[test]
fn underpinning_shortfall_per_target() {
    let mut spec = clean();
    spec.contracts[0].targets.as_mut().unwrap().availability = Some(99.5);
    assert_eq!(check(&spec), only(RuleId::UnderpinningShortfall, "hosting"));
    let mut spec = clean();
    spec.contracts[0].targets.as_mut().unwrap().availability = Some(99.9); // equal: enough
    assert_eq!(check(&spec), []);
    let mut spec = clean();
    spec.contracts[0].targets.as_mut().unwrap().response = Some(Duration::minutes(31));
    assert_eq!(check(&spec), only(RuleId::UnderpinningShortfall, "hosting"));
    let mut spec = clean();
    spec.contracts[0].targets.as_mut().unwrap().resolution = Some(Duration::hours(8));
    assert_eq!(check(&spec), []);
    spec.contracts[0].targets.as_mut().unwrap().resolution = Some(Duration::hours(9));
    assert_eq!(check(&spec), only(RuleId::UnderpinningShortfall, "hosting"));
    let mut spec = clean();
    spec.contracts[0].targets.as_mut().unwrap().hours =
        Some(SupportHours::weekdays("09:00", "17:00"));
    let org = Organisation::new(spec.clone()).unwrap();
    let report = assess(&org, &clean_deps(), &settings()).unwrap();
    let finding = report.services[0].findings().next().unwrap().clone();
    assert_eq!(
        finding.message,
        "underpinning contract `hosting` cannot support the service's targets: support hours \
         mon,tue,wed,thu,fri 09:00-17:00 do not cover the service's mon,tue,wed,thu,fri 08:00-18:00"
    );
    spec.contracts[0].targets.as_mut().unwrap().hours =
        Some(SupportHours::weekdays("08:00", "18:00"));
    assert_eq!(check(&spec), []);
    // A contract without targets, or a target the service does not have, is not compared.
    let mut spec = clean();
    spec.contracts[0].targets = None;
    assert_eq!(check(&spec), []);
    let mut spec = clean();
    payroll(&mut spec).targets.availability = None;
    spec.contracts[0].targets.as_mut().unwrap().availability = Some(10.0);
    assert_eq!(check(&spec), []);
}

#[test]
fn supplier_concentration_without_and_with_an_alternative() {
    let spec = clean();
    let single = Dependencies::new(vec![
        Dependency::new("payroll", &["db-1"]),
        Dependency::new("db-1", &["cloudco"]),
    ])
    .unwrap();
    assert_eq!(
        findings(&spec, &single, &settings()),
        only(RuleId::SupplierConcentration, "cloudco")
    );
    let org = Organisation::new(spec.clone()).unwrap();
    let report = assess(&org, &single, &settings()).unwrap();
    assert_eq!(report.services[0].concentration[0].via, ["cloudco", "db-1"]);
    assert_eq!(findings(&spec, &clean_deps(), &settings()), []);
    assert_eq!(findings(&spec, &Dependencies::none(), &settings()), []);
}

#[test]
fn no_value_stream() {
    let mut spec = clean();
    payroll(&mut spec).value_streams.clear();
    assert_eq!(check(&spec), only(RuleId::NoValueStream, "payroll"));
}

#[test]
fn step_no_team_and_step_no_practice() {
    let mut spec = clean();
    payroll(&mut spec).value_streams[0].steps[0].teams.clear();
    assert_eq!(
        check(&spec),
        only(RuleId::StepNoTeam, "restore service/detect")
    );
    let mut spec = clean();
    payroll(&mut spec).value_streams[0].steps[1]
        .practices
        .clear();
    // change-enablement is then used by no stream: that is no finding of its own.
    assert_eq!(
        check(&spec),
        only(RuleId::StepNoPractice, "restore service/fix")
    );
}

#[test]
fn practice_not_carried_out() {
    let mut spec = clean();
    spec.practices
        .push(itsm_dimensions::Practice::new("release-management"));
    assert_eq!(check(&spec), [], "declared but unused: no finding");
    payroll(&mut spec).value_streams.push(ValueStream::new(
        "ship",
        vec![
            ValueStreamStep::new("build", &["release-management"], &["ops"]),
            ValueStreamStep::new("deploy", &["release-management"], &["ops"]),
        ],
    ));
    assert_eq!(
        check(&spec),
        only(RuleId::PracticeNotCarriedOut, "release-management")
    );
    spec.teams[0].practices.push("release-management".into());
    assert_eq!(check(&spec), []);
}

#[test]
fn every_rule_has_a_dimension_a_name_and_a_default_severity() {
    let names: std::collections::BTreeSet<&str> = RuleId::ALL.iter().map(|r| r.name()).collect();
    assert_eq!(names.len(), RuleId::ALL.len());
    for d in Dimension::ALL {
        assert!(RuleId::ALL.iter().any(|r| r.dimension() == d), "{d}");
    }
    assert_eq!(RuleId::NoOwner.default_severity(), Severity::Critical);
}

#[test]
fn severities_penalties_and_weights_are_data() {
    let mut spec = clean();
    payroll(&mut spec).owner = None;
    let org = Organisation::new(spec).unwrap();
    let mut s = settings();
    let score = |s: &Settings| {
        let r = assess(&org, &clean_deps(), s).unwrap();
        let p = &r.services[0];
        (
            p.findings().next().unwrap().severity,
            p.dimension(Dimension::OrganizationsAndPeople)
                .unwrap()
                .score,
            p.score,
        )
    };
    assert_eq!(score(&s), (Severity::Critical, 60, 90));
    s.severities.insert(RuleId::NoOwner, Severity::Low);
    assert_eq!(score(&s), (Severity::Low, 98, 100));
    s.penalties.low = 200;
    assert_eq!(score(&s), (Severity::Low, 0, 75));
    s.weights.organizations_and_people = 0;
    assert_eq!(score(&s), (Severity::Low, 0, 100));
}

#[test]
fn settings_are_checked() {
    let org = Organisation::new(clean()).unwrap();
    let deps = Dependencies::none();
    let mut s = settings();
    s.notice = Duration::days(-1);
    assert_eq!(
        assess(&org, &deps, &s).unwrap_err().to_string(),
        "the contract notice period is -P1D; give a period of zero or more (such as P90D)"
    );
    let mut s = settings();
    s.weights.organizations_and_people = 0;
    s.weights.information_and_technology = 0;
    s.weights.partners_and_suppliers = 0;
    s.weights.value_streams_and_processes = 0;
    assert_eq!(
        assess(&org, &deps, &s).unwrap_err().to_string(),
        "every dimension weight is 0; give at least one dimension a weight above 0"
    );
    let mut s = Settings::new(itsm_dimensions::chrono::NaiveDate::MAX);
    s.notice = Duration::days(1);
    assert!(matches!(
        assess(&org, &deps, &s),
        Err(itsm_dimensions::Error::DateOverflow { .. })
    ));
    assert_eq!(
        itsm_dimensions::assess_service(&org, "payrol", &deps, &settings())
            .unwrap_err()
            .to_string(),
        "there is no service `payrol`; name a service the organisation declares"
    );
}
