//! The assessment: per service, a report per dimension with coverage, findings and a score.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use itsm_core::Quoted;

use crate::dependencies::{Dependencies, Workspace, critical_suppliers};
use crate::error::Error;
use crate::model::{Raci, Service, Targets};
use crate::organisation::Organisation;
use crate::rules::{Dimension, RuleId, Settings, Severity};

/// What a rule found: the rule, its severity, what it is about and a sentence saying what
/// is wrong.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DimensionFinding {
    /// The rule that produced it.
    pub rule: RuleId,
    /// How much it matters.
    pub severity: Severity,
    /// What it is about: an id or a name (a role, a skill, a contract, `stream/step`); the
    /// service's own id for rules about the service as a whole. Together with `rule` it
    /// identifies the finding across assessments.
    pub subject: String,
    /// What is wrong, as a sentence.
    pub message: String,
}

impl std::fmt::Display for DimensionFinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.severity, self.rule, self.message)
    }
}

/// How many of the things a dimension's rules looked at were found without a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Coverage {
    /// Things without a finding.
    pub covered: u64,
    /// Things looked at.
    pub total: u64,
}

impl Coverage {
    /// The covered share in whole percent, rounded down; 100 when nothing was looked at.
    pub fn percent(&self) -> u64 {
        (self.covered.min(self.total) * 100)
            .checked_div(self.total)
            .unwrap_or(100)
    }
}

/// One dimension of one service: coverage, findings (most severe first) and the score.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DimensionReport {
    /// Which dimension.
    pub dimension: Dimension,
    /// What its rules looked at, and how much of it was sound.
    pub coverage: Coverage,
    /// Its findings, most severe first, then by rule and subject.
    pub findings: Vec<DimensionFinding>,
    /// 100 less the findings' penalties, never below 0.
    pub score: u32,
}

/// A supplier on whom the service depends with no alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Concentration {
    /// The supplier's id.
    pub supplier: String,
    /// The nodes of the dependency edges it provides that the service reaches, sorted.
    pub via: Vec<String>,
}

/// One service's assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ServiceAssessment {
    /// The service's id.
    pub service: String,
    /// The four reports, in [`Dimension::ALL`]'s order.
    pub dimensions: Vec<DimensionReport>,
    /// The balanced score: the dimensions' scores averaged with the settings' weights,
    /// rounded to the nearest whole point.
    pub score: u32,
    /// The suppliers on whom it depends with no alternative, by supplier id.
    pub concentration: Vec<Concentration>,
}

impl ServiceAssessment {
    /// The report of `dimension`.
    pub fn dimension(&self, dimension: Dimension) -> Option<&DimensionReport> {
        self.dimensions.iter().find(|d| d.dimension == dimension)
    }

    /// Every finding, dimension by dimension.
    pub fn findings(&self) -> impl Iterator<Item = &DimensionFinding> {
        self.dimensions.iter().flat_map(|d| d.findings.iter())
    }
}

/// Every service's assessment, made on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Assessment {
    /// The day it was made.
    pub today: NaiveDate,
    /// The services, in the organisation's order.
    pub services: Vec<ServiceAssessment>,
}

impl Assessment {
    /// The assessment of the service with this id.
    pub fn service(&self, id: &str) -> Option<&ServiceAssessment> {
        self.services.iter().find(|s| s.service == id)
    }
}

/// Assesses every service of `org`, its dependency edges in `deps` (give
/// [`Dependencies::none`] to skip supplier concentration).
///
/// ```
/// use itsm_dimensions::chrono::NaiveDate;
/// use itsm_dimensions::{Dependencies, Organisation, OrganisationSpec, RuleId, Service, Settings, assess};
///
/// let mut spec = OrganisationSpec::new();
/// spec.services.push(Service::new("payroll", "Payroll"));
/// let org = Organisation::new(spec)?;
/// let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let report = assess(&org, &Dependencies::none(), &Settings::new(today))?;
/// let rules: Vec<RuleId> = report.services[0].findings().map(|f| f.rule).collect();
/// assert_eq!(rules, [RuleId::NoOwner, RuleId::NoValueStream]);
/// # Ok::<(), itsm_dimensions::Error>(())
/// ```
///
/// # Errors
/// The settings' errors ([`Settings::horizon`]): a negative notice period, a horizon past
/// chrono's range, or every weight zero.
pub fn assess(
    org: &Organisation,
    deps: &Dependencies,
    settings: &Settings,
) -> Result<Assessment, Error> {
    let mut assessor = Assessor::new(org, deps, settings)?;
    let services = org.services().iter().map(|s| assessor.service(s)).collect();
    Ok(Assessment {
        today: settings.today,
        services,
    })
}

/// Assesses one service of `org` (see [`assess`]).
///
/// # Errors
/// [`Error::UnknownService`] when `org` has no service `id`; the settings' errors.
pub fn assess_service(
    org: &Organisation,
    id: &str,
    deps: &Dependencies,
    settings: &Settings,
) -> Result<ServiceAssessment, Error> {
    let service = org
        .service(id)
        .ok_or_else(|| Error::UnknownService { id: id.to_owned() })?;
    Ok(Assessor::new(org, deps, settings)?.service(service))
}

struct Assessor<'a> {
    org: &'a Organisation,
    deps: &'a Dependencies,
    settings: &'a Settings,
    horizon: NaiveDate,
    /// Per dependency node: the suppliers (positions in the organisation) that provide it.
    node_suppliers: Vec<Vec<u32>>,
    workspace: Workspace,
}

impl<'a> Assessor<'a> {
    fn new(
        org: &'a Organisation,
        deps: &'a Dependencies,
        settings: &'a Settings,
    ) -> Result<Self, Error> {
        let horizon = settings.horizon()?;
        let index = org.index();
        let spec = org.spec();
        let node_suppliers = deps
            .graph
            .names
            .iter()
            .map(|name| {
                let mut found = Vec::new();
                let ci = index
                    .configuration_items
                    .get(name)
                    .and_then(|&i| spec.configuration_items.get(i))
                    .and_then(|ci| ci.supplier.as_ref())
                    .and_then(|s| index.suppliers.get(s));
                found.extend(ci.map(|&i| i as u32));
                if let Some(&i) = index.suppliers.get(name) {
                    found.push(i as u32);
                }
                found.sort_unstable();
                found.dedup();
                found
            })
            .collect();
        Ok(Assessor {
            org,
            deps,
            settings,
            horizon,
            node_suppliers,
            workspace: Workspace::default(),
        })
    }

    fn service(&mut self, service: &Service) -> ServiceAssessment {
        let mut reports: BTreeMap<Dimension, Draft> = Dimension::ALL
            .iter()
            .map(|d| (*d, Draft::default()))
            .collect();
        let mut out = Out {
            reports: &mut reports,
            settings: self.settings,
        };
        self.people(service, &mut out);
        self.technology(service, &mut out);
        let concentration = self.suppliers(service, &mut out);
        self.value_streams(service, &mut out);
        let dimensions: Vec<DimensionReport> = reports
            .into_iter()
            .map(|(dimension, draft)| draft.finish(dimension, self.settings))
            .collect();
        let (mut sum, mut weights) = (0u64, 0u64);
        for d in &dimensions {
            let w = u64::from(self.settings.weights.of(d.dimension));
            sum += w * u64::from(d.score);
            weights += w;
        }
        // `horizon` refused all-zero weights, so `weights` is at least 1.
        let score = ((sum + weights / 2) / weights.max(1)).min(100) as u32;
        ServiceAssessment {
            service: service.id.clone(),
            dimensions,
            score,
            concentration,
        }
    }

    fn people(&self, s: &Service, out: &mut Out<'_>) {
        let spec = self.org.spec();
        let index = self.org.index();
        let d = Dimension::OrganizationsAndPeople;
        let flagged = s.owner.is_none();
        out.item(d, flagged);
        if flagged {
            out.finding(
                RuleId::NoOwner,
                &s.id,
                "the service has no owner; name the person accountable for it".into(),
            );
        }
        for role in &s.roles {
            let name = Quoted(&role.name);
            match role.people.as_slice() {
                [] => {
                    out.item(d, true);
                    out.finding(
                        RuleId::RoleUnstaffed,
                        &role.name,
                        format!("role `{name}` is held by nobody"),
                    );
                }
                [one] => {
                    out.item(d, true);
                    out.finding(
                        RuleId::RoleSinglePerson,
                        &role.name,
                        format!(
                            "role `{name}` is held by `{}` alone (bus factor 1)",
                            Quoted(one)
                        ),
                    );
                }
                _ => out.item(d, false),
            }
        }
        // The service's people: its owner, its teams' members and its roles' holders.
        let mut people: BTreeSet<&str> = BTreeSet::new();
        people.extend(s.owner.as_deref());
        for team in &s.teams {
            let found = index.teams.get(team).and_then(|&i| spec.teams.get(i));
            people.extend(
                found
                    .iter()
                    .flat_map(|t| t.members.iter().map(String::as_str)),
            );
        }
        for role in &s.roles {
            people.extend(role.people.iter().map(String::as_str));
        }
        let mut skills: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for person in &people {
            let Some(p) = index.people.get(*person).and_then(|&i| spec.people.get(i)) else {
                continue;
            };
            for skill in &p.skills {
                let holders = skills.entry(skill.as_str()).or_default();
                if holders.last() != Some(person) {
                    holders.push(person);
                }
            }
        }
        for (skill, holders) in &skills {
            let single = holders.len() == 1;
            out.item(d, single);
            if let (true, Some(holder)) = (single, holders.first()) {
                out.finding(
                    RuleId::SkillSingleHolder,
                    skill,
                    format!(
                        "skill `{}` is held by `{}` alone among the service's people",
                        Quoted(skill),
                        Quoted(holder)
                    ),
                );
            }
        }
        let mut activities: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for role in &s.roles {
            for (activity, raci) in &role.raci {
                let accountable = activities.entry(activity.as_str()).or_default();
                if *raci == Raci::Accountable {
                    accountable.push(role.name.as_str());
                }
            }
        }
        for (activity, accountable) in &activities {
            let message = match accountable.as_slice() {
                [_] => None,
                [] => Some(format!(
                    "activity `{}` has no accountable role; give exactly one role `accountable`",
                    Quoted(activity)
                )),
                many => Some(format!(
                    "activity `{}` has {} accountable roles ({}); give exactly one",
                    Quoted(activity),
                    many.len(),
                    quoted_list(many)
                )),
            };
            out.item(d, message.is_some());
            if let Some(message) = message {
                out.finding(RuleId::AccountabilityUnclear, activity, message);
            }
        }
    }

    fn technology(&self, s: &Service, out: &mut Out<'_>) {
        let spec = self.org.spec();
        let index = self.org.index();
        let d = Dimension::InformationAndTechnology;
        for id in &s.configuration_items {
            let ci = index
                .configuration_items
                .get(id)
                .and_then(|&i| spec.configuration_items.get(i));
            let flagged = ci.is_none_or(|ci| ci.support_team.is_none());
            out.item(d, flagged);
            if flagged {
                out.finding(
                    RuleId::CiNoSupportTeam,
                    id,
                    format!(
                        "configuration item `{}` has no support team; nobody fixes it when it fails",
                        Quoted(id)
                    ),
                );
            }
        }
        for id in &s.data_assets {
            let asset = index
                .data_assets
                .get(id)
                .and_then(|&i| spec.data_assets.get(i));
            let flagged = asset.is_none_or(|a| a.steward.is_none());
            out.item(d, flagged);
            if flagged {
                out.finding(
                    RuleId::DataAssetNoSteward,
                    id,
                    format!("data asset `{}` has no steward", Quoted(id)),
                );
            }
        }
    }

    fn suppliers(&mut self, s: &Service, out: &mut Out<'_>) -> Vec<Concentration> {
        let spec = self.org.spec();
        let index = self.org.index();
        let d = Dimension::PartnersAndSuppliers;
        // The suppliers it relies on: its own and its configuration items'.
        let mut relied: BTreeSet<&str> = s.suppliers.iter().map(String::as_str).collect();
        for id in &s.configuration_items {
            let ci = index
                .configuration_items
                .get(id)
                .and_then(|&i| spec.configuration_items.get(i));
            relied.extend(ci.and_then(|ci| ci.supplier.as_deref()));
        }
        for supplier in &relied {
            let q = Quoted(supplier);
            let finding = match index.covered_until.get(*supplier) {
                None => Some((
                    RuleId::SupplierNoContract,
                    format!("supplier `{q}` has no contract; the service relies on it on trust"),
                )),
                Some(None) => None,
                Some(Some(end)) if *end < self.settings.today => Some((
                    RuleId::ContractExpired,
                    format!(
                        "the last contract with supplier `{q}` ended on {end}, {} days ago",
                        (self.settings.today - *end).num_days()
                    ),
                )),
                Some(Some(end)) if *end <= self.horizon => Some((
                    RuleId::ContractEnding,
                    format!(
                        "the last contract with supplier `{q}` ends on {end}, in {} days (notice: {})",
                        (*end - self.settings.today).num_days(),
                        itsm_core::duration::format(self.settings.notice)
                    ),
                )),
                Some(Some(_)) => None,
            };
            out.item(d, finding.is_some());
            if let Some((rule, message)) = finding {
                out.finding(rule, supplier, message);
            }
        }
        for id in &s.contracts {
            let contract = index.contracts.get(id).and_then(|&i| spec.contracts.get(i));
            let shortfalls = contract
                .and_then(|c| c.targets.as_ref())
                .map(|t| shortfalls(&s.targets, t))
                .unwrap_or_default();
            out.item(d, !shortfalls.is_empty());
            if !shortfalls.is_empty() {
                out.finding(
                    RuleId::UnderpinningShortfall,
                    id,
                    format!(
                        "underpinning contract `{}` cannot support the service's targets: {}",
                        Quoted(id),
                        shortfalls.join("; ")
                    ),
                );
            }
        }
        let graph = &self.deps.graph;
        let node_suppliers = &self.node_suppliers;
        let of = |n: u32| node_suppliers.get(n as usize).cloned().unwrap_or_default();
        let critical = critical_suppliers(graph, &s.id, &of, &mut self.workspace);
        let mut concentration = Vec::with_capacity(critical.len());
        for (supplier, nodes) in critical {
            let Some(sup) = spec.suppliers.get(supplier as usize) else {
                continue;
            };
            let mut via: Vec<String> = nodes
                .iter()
                .filter_map(|n| graph.names.get(*n as usize).cloned())
                .collect();
            via.sort_unstable();
            out.item(d, true);
            out.finding(
                RuleId::SupplierConcentration,
                &sup.id,
                format!(
                    "the service depends on supplier `{}` with no alternative (through {})",
                    Quoted(&sup.id),
                    quoted_list(&via)
                ),
            );
            concentration.push(Concentration {
                supplier: sup.id.clone(),
                via,
            });
        }
        concentration.sort_unstable_by(|a, b| a.supplier.cmp(&b.supplier));
        concentration
    }

    fn value_streams(&self, s: &Service, out: &mut Out<'_>) {
        let index = self.org.index();
        let d = Dimension::ValueStreamsAndProcesses;
        if s.value_streams.is_empty() {
            out.item(d, true);
            out.finding(
                RuleId::NoValueStream,
                &s.id,
                "the service maps no value stream; nobody can say how it creates value".into(),
            );
        }
        let mut used: BTreeSet<&str> = BTreeSet::new();
        for stream in &s.value_streams {
            for step in &stream.steps {
                let subject = format!("{}/{}", stream.name, step.name);
                let at = format!(
                    "step `{}` of value stream `{}`",
                    Quoted(&step.name),
                    Quoted(&stream.name)
                );
                let mut flagged = false;
                if step.teams.is_empty() {
                    flagged = true;
                    out.finding(
                        RuleId::StepNoTeam,
                        &subject,
                        format!("{at} has no team to carry it out"),
                    );
                }
                if step.practices.is_empty() {
                    flagged = true;
                    out.finding(
                        RuleId::StepNoPractice,
                        &subject,
                        format!("{at} is mapped to no practice"),
                    );
                }
                out.item(d, flagged);
                used.extend(step.practices.iter().map(String::as_str));
            }
        }
        for practice in used {
            let flagged = !index.carried.contains(practice);
            out.item(d, flagged);
            if flagged {
                out.finding(
                    RuleId::PracticeNotCarriedOut,
                    practice,
                    format!(
                        "practice `{}` is used by a value stream but no team carries it out",
                        Quoted(practice)
                    ),
                );
            }
        }
    }
}

/// Why an underpinning contract's targets cannot support the service's own.
fn shortfalls(service: &Targets, contract: &Targets) -> Vec<String> {
    let mut out = Vec::new();
    if let (Some(need), Some(have)) = (service.availability, contract.availability) {
        if have < need {
            out.push(format!(
                "availability {have}% is below the service's {need}%"
            ));
        }
    }
    for (what, need, have) in [
        ("response", service.response, contract.response),
        ("resolution", service.resolution, contract.resolution),
    ] {
        if let (Some(need), Some(have)) = (need, have) {
            if have > need {
                out.push(format!(
                    "{what} within {} is slower than the service's {}",
                    itsm_core::duration::format(have),
                    itsm_core::duration::format(need)
                ));
            }
        }
    }
    if let (Some(need), Some(have)) = (&service.hours, &contract.hours) {
        if have.covers(need) == Some(false) {
            out.push(format!(
                "support hours {have} do not cover the service's {need}"
            ));
        }
    }
    out
}

fn quoted_list<T: AsRef<str>>(items: &[T]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|i| format!("`{}`", Quoted(i.as_ref())))
        .collect();
    parts.join(", ")
}

#[derive(Default)]
struct Draft {
    coverage: Coverage,
    findings: Vec<DimensionFinding>,
}

impl Draft {
    fn finish(mut self, dimension: Dimension, settings: &Settings) -> DimensionReport {
        self.findings.sort_unstable_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.rule.cmp(&b.rule))
                .then(a.subject.cmp(&b.subject))
        });
        let penalty: u64 = self
            .findings
            .iter()
            .map(|f| u64::from(settings.penalties.of(f.severity)))
            .sum();
        DimensionReport {
            dimension,
            coverage: self.coverage,
            findings: self.findings,
            score: 100u64.saturating_sub(penalty) as u32,
        }
    }
}

struct Out<'r> {
    reports: &'r mut BTreeMap<Dimension, Draft>,
    settings: &'r Settings,
}

impl Out<'_> {
    fn item(&mut self, dimension: Dimension, flagged: bool) {
        if let Some(draft) = self.reports.get_mut(&dimension) {
            draft.coverage.total += 1;
            if !flagged {
                draft.coverage.covered += 1;
            }
        }
    }

    fn finding(&mut self, rule: RuleId, subject: &str, message: String) {
        if let Some(draft) = self.reports.get_mut(&rule.dimension()) {
            draft.findings.push(DimensionFinding {
                rule,
                severity: self.settings.severity(rule),
                subject: subject.to_owned(),
                message,
            });
        }
    }
}
