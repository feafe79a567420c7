//! The vocabulary of an assessment: the four dimensions, severities, the rules and the
//! settings (weights, severities and the notice period as data).

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::error::Error;

/// One of ITIL 4's four dimensions of service management.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Dimension {
    /// Organizations and people: structure, roles, skills.
    OrganizationsAndPeople,
    /// Information and technology: configuration items, data, tools.
    InformationAndTechnology,
    /// Partners and suppliers: contracts and what they underpin.
    PartnersAndSuppliers,
    /// Value streams and processes: how work flows to create value.
    ValueStreamsAndProcesses,
}

impl Dimension {
    /// The four, in ITIL's order.
    pub const ALL: [Dimension; 4] = [
        Dimension::OrganizationsAndPeople,
        Dimension::InformationAndTechnology,
        Dimension::PartnersAndSuppliers,
        Dimension::ValueStreamsAndProcesses,
    ];

    /// Its name (`organizations and people`).
    pub fn name(self) -> &'static str {
        match self {
            Dimension::OrganizationsAndPeople => "organizations and people",
            Dimension::InformationAndTechnology => "information and technology",
            Dimension::PartnersAndSuppliers => "partners and suppliers",
            Dimension::ValueStreamsAndProcesses => "value streams and processes",
        }
    }
}

impl std::fmt::Display for Dimension {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How much a finding matters, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// A weakness to plan work for.
    Medium,
    /// A gap that will hurt in the next incident or change.
    High,
    /// The service is not managed in this dimension.
    Critical,
}

impl Severity {
    /// Its name (`high`).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A rule of the assessment: what it looks for is on each variant, why it matters in
/// `docs/dimensions.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RuleId {
    /// The service has no owner.
    NoOwner,
    /// A role is held by nobody.
    RoleUnstaffed,
    /// A role is held by one person only (bus factor 1).
    RoleSinglePerson,
    /// A skill is held by one of the service's people only.
    SkillSingleHolder,
    /// An activity of the RACI chart has no accountable role, or several.
    AccountabilityUnclear,
    /// A configuration item has no support team.
    CiNoSupportTeam,
    /// A data asset has no steward.
    DataAssetNoSteward,
    /// A supplier the service relies on has no contract.
    SupplierNoContract,
    /// Every contract with a supplier the service relies on has ended.
    ContractExpired,
    /// The last contract with a supplier the service relies on ends within the notice
    /// period.
    ContractEnding,
    /// An underpinning contract's targets cannot support the service's own targets.
    UnderpinningShortfall,
    /// The service depends on a supplier with no alternative.
    SupplierConcentration,
    /// The service maps no value stream.
    NoValueStream,
    /// A value stream step has no team.
    StepNoTeam,
    /// A value stream step has no practice.
    StepNoPractice,
    /// A practice used by a value stream is carried out by no team.
    PracticeNotCarriedOut,
}

impl RuleId {
    /// Every rule, grouped by dimension.
    pub const ALL: [RuleId; 16] = [
        RuleId::NoOwner,
        RuleId::RoleUnstaffed,
        RuleId::RoleSinglePerson,
        RuleId::SkillSingleHolder,
        RuleId::AccountabilityUnclear,
        RuleId::CiNoSupportTeam,
        RuleId::DataAssetNoSteward,
        RuleId::SupplierNoContract,
        RuleId::ContractExpired,
        RuleId::ContractEnding,
        RuleId::UnderpinningShortfall,
        RuleId::SupplierConcentration,
        RuleId::NoValueStream,
        RuleId::StepNoTeam,
        RuleId::StepNoPractice,
        RuleId::PracticeNotCarriedOut,
    ];

    /// Its name in data and reports (`role_single_person`).
    pub fn name(self) -> &'static str {
        match self {
            RuleId::NoOwner => "no_owner",
            RuleId::RoleUnstaffed => "role_unstaffed",
            RuleId::RoleSinglePerson => "role_single_person",
            RuleId::SkillSingleHolder => "skill_single_holder",
            RuleId::AccountabilityUnclear => "accountability_unclear",
            RuleId::CiNoSupportTeam => "ci_no_support_team",
            RuleId::DataAssetNoSteward => "data_asset_no_steward",
            RuleId::SupplierNoContract => "supplier_no_contract",
            RuleId::ContractExpired => "contract_expired",
            RuleId::ContractEnding => "contract_ending",
            RuleId::UnderpinningShortfall => "underpinning_shortfall",
            RuleId::SupplierConcentration => "supplier_concentration",
            RuleId::NoValueStream => "no_value_stream",
            RuleId::StepNoTeam => "step_no_team",
            RuleId::StepNoPractice => "step_no_practice",
            RuleId::PracticeNotCarriedOut => "practice_not_carried_out",
        }
    }

    /// The dimension whose report holds its findings.
    pub fn dimension(self) -> Dimension {
        match self {
            RuleId::NoOwner
            | RuleId::RoleUnstaffed
            | RuleId::RoleSinglePerson
            | RuleId::SkillSingleHolder
            | RuleId::AccountabilityUnclear => Dimension::OrganizationsAndPeople,
            RuleId::CiNoSupportTeam | RuleId::DataAssetNoSteward => {
                Dimension::InformationAndTechnology
            }
            RuleId::SupplierNoContract
            | RuleId::ContractExpired
            | RuleId::ContractEnding
            | RuleId::UnderpinningShortfall
            | RuleId::SupplierConcentration => Dimension::PartnersAndSuppliers,
            RuleId::NoValueStream
            | RuleId::StepNoTeam
            | RuleId::StepNoPractice
            | RuleId::PracticeNotCarriedOut => Dimension::ValueStreamsAndProcesses,
        }
    }

    /// Its severity unless the settings say otherwise.
    pub fn default_severity(self) -> Severity {
        match self {
            RuleId::NoOwner | RuleId::ContractExpired => Severity::Critical,
            RuleId::RoleUnstaffed
            | RuleId::CiNoSupportTeam
            | RuleId::SupplierNoContract
            | RuleId::UnderpinningShortfall
            | RuleId::StepNoTeam
            | RuleId::PracticeNotCarriedOut => Severity::High,
            RuleId::RoleSinglePerson
            | RuleId::AccountabilityUnclear
            | RuleId::ContractEnding
            | RuleId::SupplierConcentration
            | RuleId::NoValueStream
            | RuleId::StepNoPractice => Severity::Medium,
            RuleId::SkillSingleHolder | RuleId::DataAssetNoSteward => Severity::Low,
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Points a finding of each severity takes off its dimension's score (out of 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Penalties {
    /// A low finding (default 2).
    pub low: u32,
    /// A medium finding (default 5).
    pub medium: u32,
    /// A high finding (default 15).
    pub high: u32,
    /// A critical finding (default 40).
    pub critical: u32,
}

impl Default for Penalties {
    fn default() -> Self {
        Penalties {
            low: 2,
            medium: 5,
            high: 15,
            critical: 40,
        }
    }
}

impl Penalties {
    /// The points for `severity`.
    pub fn of(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Low => self.low,
            Severity::Medium => self.medium,
            Severity::High => self.high,
            Severity::Critical => self.critical,
        }
    }
}

/// How much each dimension counts in a service's balanced score (default 1 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DimensionWeights {
    /// Organizations and people.
    pub organizations_and_people: u32,
    /// Information and technology.
    pub information_and_technology: u32,
    /// Partners and suppliers.
    pub partners_and_suppliers: u32,
    /// Value streams and processes.
    pub value_streams_and_processes: u32,
}

impl Default for DimensionWeights {
    fn default() -> Self {
        DimensionWeights {
            organizations_and_people: 1,
            information_and_technology: 1,
            partners_and_suppliers: 1,
            value_streams_and_processes: 1,
        }
    }
}

impl DimensionWeights {
    /// The weight of `dimension`.
    pub fn of(&self, dimension: Dimension) -> u32 {
        match dimension {
            Dimension::OrganizationsAndPeople => self.organizations_and_people,
            Dimension::InformationAndTechnology => self.information_and_technology,
            Dimension::PartnersAndSuppliers => self.partners_and_suppliers,
            Dimension::ValueStreamsAndProcesses => self.value_streams_and_processes,
        }
    }
}

/// What an assessment needs besides the organisation: the day it is made (the crate reads
/// no clock), how far ahead a contract's end is a finding, the weights of the scores and any
/// rule whose severity differs from its default.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Settings {
    /// The day of the assessment.
    pub today: NaiveDate,
    /// A contract ending within this period from `today` is a finding (ISO 8601, default
    /// `"P90D"`).
    #[cfg_attr(
        feature = "serde",
        serde(default = "default_notice", with = "itsm_core::duration")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub notice: Duration,
    /// Points per severity.
    #[cfg_attr(feature = "serde", serde(default))]
    pub penalties: Penalties,
    /// Weights of the dimensions in the balanced score.
    #[cfg_attr(feature = "serde", serde(default))]
    pub weights: DimensionWeights,
    /// Rules whose findings take another severity than their default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub severities: BTreeMap<RuleId, Severity>,
}

fn default_notice() -> Duration {
    Duration::days(90)
}

impl Settings {
    /// An assessment made on `today` with a 90-day notice period, the default penalties,
    /// equal weights and every rule at its default severity.
    pub fn new(today: NaiveDate) -> Self {
        Settings {
            today,
            notice: default_notice(),
            penalties: Penalties::default(),
            weights: DimensionWeights::default(),
            severities: BTreeMap::new(),
        }
    }

    /// The severity of `rule`'s findings under these settings.
    pub fn severity(&self, rule: RuleId) -> Severity {
        self.severities
            .get(&rule)
            .copied()
            .unwrap_or_else(|| rule.default_severity())
    }

    /// The last day within the notice period.
    ///
    /// # Errors
    /// [`Error::InvalidNotice`] for a negative period, [`Error::DateOverflow`] when the day
    /// is past chrono's range, and [`Error::ZeroWeights`] when every weight is zero (the
    /// settings are checked here, once per assessment).
    pub fn horizon(&self) -> Result<NaiveDate, Error> {
        if self.notice < Duration::zero() {
            return Err(Error::InvalidNotice {
                notice: self.notice,
            });
        }
        if Dimension::ALL.iter().all(|d| self.weights.of(*d) == 0) {
            return Err(Error::ZeroWeights);
        }
        self.today
            .checked_add_signed(self.notice)
            .ok_or(Error::DateOverflow {
                today: self.today,
                notice: self.notice,
            })
    }
}
