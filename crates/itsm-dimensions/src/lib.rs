//! ITIL 4's four dimensions of service management, modelled as data and assessed.
//!
//! Every service is seen through four dimensions: organizations and people (owner, teams,
//! roles with a RACI chart, people with skills); information and technology (configuration
//! items, data assets, tools); partners and suppliers (suppliers, contracts with end dates,
//! underpinning contracts with targets and support hours); value streams and processes
//! (ordered steps, each mapped to practices and teams). An [`OrganisationSpec`] holds it all
//! as plain data naming records by id; [`Organisation::new`] checks every reference and
//! reports every dangling or duplicate one at once.
//!
//! [`assess`] gives, per service, a [`DimensionReport`] for each dimension: coverage,
//! findings (each with the [`RuleId`] that produced it and a [`Severity`]) and a score, and a
//! balanced score over the four with the weights as data ([`Settings`]). Given the dependency
//! edges as plain data ([`Dependencies`]), it also names the suppliers a service depends on
//! with no alternative. [`compare`] sets two assessments side by side: what improved and
//! what got worse, for continual improvement.
//!
//! The crate is pure: no clock (the day of the assessment is [`Settings::today`]), no I/O,
//! no environment, no threads, no logging. Same inputs, same outputs.
//!
//! # Example
//! ```
//! use itsm_dimensions::chrono::NaiveDate;
//! use itsm_dimensions::{
//!     Contract, Dependencies, Dependency, Dimension, Organisation, OrganisationSpec, Person,
//!     RuleId, Service, ServiceRole, Settings, Supplier, assess,
//! };
//!
//! let mut spec = OrganisationSpec::new();
//! spec.people.push(Person::new("ana", "Ana").with_skills(&["postgres"]));
//! spec.suppliers.push(Supplier::new("cloudco"));
//! let mut hosting = Contract::new("hosting", "cloudco");
//! hosting.end = NaiveDate::from_ymd_opt(2026, 4, 30);
//! spec.contracts.push(hosting);
//! let mut payroll = Service::new("payroll", "Payroll");
//! payroll.owner = Some("ana".into());
//! payroll.roles.push(ServiceRole::new("dba", &["ana"]));
//! payroll.suppliers.push("cloudco".into());
//! spec.services.push(payroll);
//! let org = Organisation::new(spec)?;
//!
//! let deps = Dependencies::new(vec![Dependency::new("payroll", &["cloudco"])])?;
//! let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(); // the host's clock
//! let report = assess(&org, &deps, &Settings::new(today))?;
//! let payroll = &report.services[0];
//! let people = payroll.dimension(Dimension::OrganizationsAndPeople).unwrap();
//! let rules: Vec<RuleId> = people.findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, [RuleId::RoleSinglePerson, RuleId::SkillSingleHolder]);
//! let suppliers = payroll.dimension(Dimension::PartnersAndSuppliers).unwrap();
//! assert_eq!(suppliers.findings[0].message,
//!     "the last contract with supplier `cloudco` ends on 2026-04-30, in 59 days (notice: P90D)");
//! assert_eq!(payroll.concentration[0].supplier, "cloudco");
//! assert_eq!((people.score, suppliers.score, payroll.score), (93, 90, 95));
//! # Ok::<(), itsm_dimensions::Error>(())
//! ```
//!
//! # Features
//! - `serde` (default): JSON for the organisation (checked when loaded), dependencies,
//!   settings, assessments and comparisons.
//! - `schemars`: JSON Schemas for them (pinned in `docs/schema/`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod assess;
mod compare;
mod dependencies;
mod error;
mod model;
mod organisation;
mod rules;

pub use assess::{
    Assessment, Concentration, Coverage, DimensionFinding, DimensionReport, ServiceAssessment,
    assess, assess_service,
};
pub use compare::{Comparison, ScoreChange, ServiceComparison, compare};
pub use dependencies::{Dependencies, Dependency};
pub use error::{Error, ModelProblem, RecordKind};
pub use model::{
    ConfigurationItem, Contract, DataAsset, Day, OrganisationSpec, Person, Practice, Raci, Service,
    ServiceRole, Supplier, SupportHours, Targets, Team, ValueStream, ValueStreamStep,
};
pub use organisation::Organisation;
pub use rules::{Dimension, DimensionWeights, Penalties, RuleId, Settings, Severity};

/// The date and time crate of this API, re-exported.
pub use chrono;

// The crate's README example is compiled and run as a doctest, so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
