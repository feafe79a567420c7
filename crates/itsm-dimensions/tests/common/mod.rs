//! A small organisation with no finding at all, which each rule's test breaks in one place.
#![allow(dead_code, clippy::unwrap_used)]

use itsm_dimensions::chrono::{Duration, NaiveDate};
use itsm_dimensions::{
    ConfigurationItem, Contract, DataAsset, Dependencies, Dependency, Organisation,
    OrganisationSpec, Person, Practice, Raci, RuleId, Service, ServiceRole, Settings, Supplier,
    SupportHours, Targets, Team, ValueStream, ValueStreamStep, assess,
};

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Payroll, run by two teams of three people who all hold both skills, on one database with
/// a support team, its data stewarded, its one supplier under an open-ended contract whose
/// targets beat the service's, and a value stream whose steps all have teams and practices
/// that teams carry out.
pub fn clean() -> OrganisationSpec {
    let mut spec = OrganisationSpec::new();
    for (id, name) in [("ana", "Ana"), ("ben", "Ben"), ("cy", "Cy")] {
        spec.people
            .push(Person::new(id, name).with_skills(&["postgres", "linux"]));
    }
    spec.teams.push(Team::new(
        "ops",
        &["ana", "ben"],
        &["incident-management", "change-enablement"],
    ));
    spec.teams
        .push(Team::new("dba", &["ben", "cy"], &["incident-management"]));
    spec.practices.push(Practice::new("incident-management"));
    spec.practices.push(Practice::new("change-enablement"));
    spec.suppliers.push(Supplier::new("cloudco"));
    spec.suppliers.push(Supplier::new("otherco"));
    let mut hosting = Contract::new("hosting", "cloudco");
    let mut promised = Targets::new();
    promised.availability = Some(99.95);
    promised.response = Some(Duration::minutes(15));
    promised.resolution = Some(Duration::hours(4));
    promised.hours = Some(SupportHours::always());
    hosting.targets = Some(promised);
    spec.contracts.push(hosting);
    spec.contracts.push(Contract::new("standby", "otherco"));
    let mut db = ConfigurationItem::new("db-1", "database", Some("dba"));
    db.supplier = Some("cloudco".into());
    spec.configuration_items.push(db);
    spec.configuration_items
        .push(ConfigurationItem::new("app-1", "host", Some("ops")));
    spec.data_assets
        .push(DataAsset::new("payroll-data", Some("dba")));

    let mut payroll = Service::new("payroll", "Payroll");
    payroll.owner = Some("ana".into());
    payroll.teams = vec!["ops".into(), "dba".into()];
    payroll.roles.push(
        ServiceRole::new("on-call", &["ana", "ben"])
            .with("restore service", Raci::Accountable)
            .with("approve change", Raci::Consulted),
    );
    payroll.roles.push(
        ServiceRole::new("change manager", &["ben", "cy"])
            .with("approve change", Raci::Accountable)
            .with("restore service", Raci::Informed),
    );
    payroll.configuration_items = vec!["db-1".into(), "app-1".into()];
    payroll.data_assets = vec!["payroll-data".into()];
    payroll.tools = vec!["servicenow".into()];
    payroll.suppliers = vec!["cloudco".into()];
    payroll.contracts = vec!["hosting".into()];
    payroll.targets.availability = Some(99.9);
    payroll.targets.response = Some(Duration::minutes(30));
    payroll.targets.resolution = Some(Duration::hours(8));
    payroll.targets.hours = Some(SupportHours::weekdays("08:00", "18:00"));
    payroll.value_streams.push(ValueStream::new(
        "restore service",
        vec![
            ValueStreamStep::new("detect", &["incident-management"], &["ops"]),
            ValueStreamStep::new("fix", &["change-enablement"], &["ops", "dba"]),
        ],
    ));
    spec.services.push(payroll);
    spec
}

/// The dependencies of the clean organisation: the database on either supplier.
pub fn clean_deps() -> Dependencies {
    Dependencies::new(vec![
        Dependency::new("payroll", &["db-1", "app-1"]),
        Dependency::new("payroll", &["app-1"]),
        Dependency::new("db-1", &["cloudco", "otherco"]),
    ])
    .unwrap()
}

/// The (rule, subject) of every finding about payroll.
pub fn findings(
    spec: &OrganisationSpec,
    deps: &Dependencies,
    settings: &Settings,
) -> Vec<(RuleId, String)> {
    let org = Organisation::new(spec.clone()).unwrap();
    let report = assess(&org, deps, settings).unwrap();
    report
        .service("payroll")
        .unwrap()
        .findings()
        .map(|f| (f.rule, f.subject.clone()))
        .collect()
}

pub fn payroll(spec: &mut OrganisationSpec) -> &mut Service {
    spec.services
        .iter_mut()
        .find(|s| s.id == "payroll")
        .unwrap()
}
