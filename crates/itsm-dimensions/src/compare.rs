//! Two assessments side by side, for continual improvement: what improved, what got worse.

use std::collections::{BTreeMap, BTreeSet};

use crate::assess::{Assessment, DimensionFinding, ServiceAssessment};
use crate::rules::{Dimension, RuleId};

/// A dimension's score before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ScoreChange {
    /// The dimension.
    pub dimension: Dimension,
    /// Its score in the first assessment.
    pub before: u32,
    /// Its score in the second.
    pub after: u32,
}

/// One service in both assessments: scores and findings that came and went. A finding is
/// the same in both when its rule and subject are (its wording and severity may differ).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ServiceComparison {
    /// The service's id.
    pub service: String,
    /// The balanced score before.
    pub before: u32,
    /// The balanced score after.
    pub after: u32,
    /// Each dimension's scores, in [`Dimension::ALL`]'s order.
    pub dimensions: Vec<ScoreChange>,
    /// Findings of the first assessment gone from the second (what improved).
    pub resolved: Vec<DimensionFinding>,
    /// Findings of the second assessment not in the first (what got worse).
    pub new: Vec<DimensionFinding>,
}

impl ServiceComparison {
    /// Whether nothing changed: the same scores, no finding resolved and none new.
    pub fn is_unchanged(&self) -> bool {
        self.before == self.after
            && self.dimensions.iter().all(|d| d.before == d.after)
            && self.resolved.is_empty()
            && self.new.is_empty()
    }

    /// The dimensions whose score went up.
    pub fn improved(&self) -> impl Iterator<Item = &ScoreChange> {
        self.dimensions.iter().filter(|d| d.after > d.before)
    }

    /// The dimensions whose score went down.
    pub fn worsened(&self) -> impl Iterator<Item = &ScoreChange> {
        self.dimensions.iter().filter(|d| d.after < d.before)
    }
}

/// Two assessments compared: services in both, and services in only one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Comparison {
    /// Services in both, in the second assessment's order.
    pub services: Vec<ServiceComparison>,
    /// Services only in the second assessment.
    pub added: Vec<String>,
    /// Services only in the first assessment.
    pub removed: Vec<String>,
}

impl Comparison {
    /// Whether nothing changed at all.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.services.iter().all(ServiceComparison::is_unchanged)
    }

    /// The comparison of the service with this id.
    pub fn service(&self, id: &str) -> Option<&ServiceComparison> {
        self.services.iter().find(|s| s.service == id)
    }
}

/// Compares `before` with `after`: per service in both, each dimension's score and the
/// findings resolved and new; the services added and removed. A service listed twice in an
/// assessment counts once (its first listing). The cost is linear in the findings, times a
/// logarithm.
///
/// ```
/// use itsm_dimensions::chrono::NaiveDate;
/// use itsm_dimensions::{
///     Dependencies, Organisation, OrganisationSpec, Person, RuleId, Service, Settings, assess,
///     compare,
/// };
///
/// let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let mut spec = OrganisationSpec::new();
/// spec.people.push(Person::new("ana", "Ana"));
/// spec.services.push(Service::new("payroll", "Payroll"));
/// let settings = Settings::new(today);
/// let before = assess(&Organisation::new(spec.clone())?, &Dependencies::none(), &settings)?;
/// spec.services[0].owner = Some("ana".into());
/// let after = assess(&Organisation::new(spec)?, &Dependencies::none(), &settings)?;
///
/// let diff = compare(&before, &after);
/// let payroll = diff.service("payroll").unwrap();
/// assert_eq!(payroll.resolved[0].rule, RuleId::NoOwner);
/// assert!(payroll.new.is_empty() && payroll.after > payroll.before);
/// assert!(compare(&after, &after).is_unchanged());
/// # Ok::<(), itsm_dimensions::Error>(())
/// ```
pub fn compare(before: &Assessment, after: &Assessment) -> Comparison {
    let mut first: BTreeMap<&str, &ServiceAssessment> = BTreeMap::new();
    for s in &before.services {
        first.entry(s.service.as_str()).or_insert(s);
    }
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut services = Vec::new();
    let mut added = Vec::new();
    for s in &after.services {
        if !seen.insert(s.service.as_str()) {
            continue;
        }
        match first.get(s.service.as_str()) {
            Some(b) => services.push(service(b, s)),
            None => added.push(s.service.clone()),
        }
    }
    let removed = before
        .services
        .iter()
        .map(|s| s.service.as_str())
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .filter(|id| !seen.contains(id))
        .map(str::to_owned)
        .collect();
    Comparison {
        services,
        added,
        removed,
    }
}

fn service(before: &ServiceAssessment, after: &ServiceAssessment) -> ServiceComparison {
    let score = |s: &ServiceAssessment, d: Dimension| s.dimension(d).map_or(0, |r| r.score);
    let dimensions = Dimension::ALL
        .iter()
        .map(|&d| ScoreChange {
            dimension: d,
            before: score(before, d),
            after: score(after, d),
        })
        .collect();
    fn keys(s: &ServiceAssessment) -> BTreeSet<(RuleId, &str)> {
        s.findings().map(|f| (f.rule, f.subject.as_str())).collect()
    }
    let (had, has) = (keys(before), keys(after));
    let mut resolved: Vec<DimensionFinding> = before
        .findings()
        .filter(|f| !has.contains(&(f.rule, f.subject.as_str())))
        .cloned()
        .collect();
    let mut new: Vec<DimensionFinding> = after
        .findings()
        .filter(|f| !had.contains(&(f.rule, f.subject.as_str())))
        .cloned()
        .collect();
    resolved.dedup();
    new.dedup();
    ServiceComparison {
        service: after.service.clone(),
        before: before.score,
        after: after.score,
        dimensions,
        resolved,
        new,
    }
}
