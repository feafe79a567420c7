//! The organisation as data: people, teams, practices, suppliers, contracts, configuration
//! items, data assets and services, each naming the others by id. [`Organisation`] checks
//! the references when it is built.
//!
//! [`Organisation`]: crate::Organisation

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

/// The whole organisation, as a vendor or an assessor writes it: the records every service
/// draws on, and the services. Load it through [`Organisation::new`](crate::Organisation::new)
/// (or deserialize an [`Organisation`](crate::Organisation)), which checks every reference.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrganisationSpec {
    /// People, with their skills.
    #[cfg_attr(feature = "serde", serde(default))]
    pub people: Vec<Person>,
    /// Teams: their members and the practices they carry out.
    #[cfg_attr(feature = "serde", serde(default))]
    pub teams: Vec<Team>,
    /// The practices (incident management, change enablement, ...).
    #[cfg_attr(feature = "serde", serde(default))]
    pub practices: Vec<Practice>,
    /// Partners and suppliers.
    #[cfg_attr(feature = "serde", serde(default))]
    pub suppliers: Vec<Supplier>,
    /// Contracts with suppliers, underpinning or not.
    #[cfg_attr(feature = "serde", serde(default))]
    pub contracts: Vec<Contract>,
    /// Configuration items, with the team that supports each.
    #[cfg_attr(feature = "serde", serde(default))]
    pub configuration_items: Vec<ConfigurationItem>,
    /// Data assets, with the team that stewards each.
    #[cfg_attr(feature = "serde", serde(default))]
    pub data_assets: Vec<DataAsset>,
    /// The services, each seen through the four dimensions.
    #[cfg_attr(feature = "serde", serde(default))]
    pub services: Vec<Service>,
}

impl OrganisationSpec {
    /// An empty organisation; fill it through the public fields.
    ///
    /// ```
    /// use itsm_dimensions::{OrganisationSpec, Person};
    ///
    /// let mut spec = OrganisationSpec::new();
    /// spec.people.push(Person::new("ana", "Ana").with_skills(&["postgres"]));
    /// assert_eq!(spec.people.len(), 1);
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

/// A person and the skills they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Person {
    /// A stable id, unique among people.
    pub id: String,
    /// The name people know them by.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// Skills, an open set of names (`postgres`, `network`, `sap-basis`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub skills: Vec<String>,
}

impl Person {
    /// A person with no skills.
    pub fn new(id: &str, name: &str) -> Self {
        Person {
            id: id.to_owned(),
            name: name.to_owned(),
            skills: Vec::new(),
        }
    }

    /// The same person holding `skills` (replacing any given before).
    pub fn with_skills(mut self, skills: &[&str]) -> Self {
        self.skills = strings(skills);
        self
    }
}

/// A team: who is in it and which practices it carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Team {
    /// A stable id, unique among teams.
    pub id: String,
    /// Its name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// Its members, by person id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: Vec<String>,
    /// The practices it carries out, by practice id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub practices: Vec<String>,
}

impl Team {
    /// A team with members (person ids) and practices (practice ids).
    pub fn new(id: &str, members: &[&str], practices: &[&str]) -> Self {
        Team {
            id: id.to_owned(),
            name: id.to_owned(),
            members: strings(members),
            practices: strings(practices),
        }
    }
}

/// A practice of the organisation (ITIL 4 names 34; any set is allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Practice {
    /// A stable id, unique among practices (`incident-management`).
    pub id: String,
    /// Its name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
}

impl Practice {
    /// A practice named by its id.
    pub fn new(id: &str) -> Self {
        Practice {
            id: id.to_owned(),
            name: id.to_owned(),
        }
    }
}

/// A partner or supplier.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Supplier {
    /// A stable id, unique among suppliers. A dependency edge naming this id stands for the
    /// supplier itself (a supplier's own suppliers form a chain).
    pub id: String,
    /// Its name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
}

impl Supplier {
    /// A supplier named by its id.
    pub fn new(id: &str) -> Self {
        Supplier {
            id: id.to_owned(),
            name: id.to_owned(),
        }
    }
}

/// A contract with a supplier. With `targets` it is an underpinning contract: what the
/// supplier promises, which a service's own targets rely on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Contract {
    /// A stable id, unique among contracts.
    pub id: String,
    /// The supplier, by id.
    pub supplier: String,
    /// The terms, as text (a reference to the signed document, a summary).
    #[cfg_attr(feature = "serde", serde(default))]
    pub terms: String,
    /// The last day the contract is in force; none for an open-ended contract.
    #[cfg_attr(feature = "serde", serde(default))]
    pub end: Option<NaiveDate>,
    /// What the supplier promises, when the contract underpins services.
    #[cfg_attr(feature = "serde", serde(default))]
    pub targets: Option<Targets>,
}

impl Contract {
    /// An open-ended contract with `supplier`, without targets.
    pub fn new(id: &str, supplier: &str) -> Self {
        Contract {
            id: id.to_owned(),
            supplier: supplier.to_owned(),
            terms: String::new(),
            end: None,
            targets: None,
        }
    }
}

/// Service level targets: a service's own (its SLA) or a supplier's promise (an
/// underpinning contract). Each is optional; only targets given on both sides are compared.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Targets {
    /// Availability in percent of the support hours, from 0 to 100 (`99.9`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub availability: Option<f64>,
    /// The longest time to respond, as an ISO 8601 duration (`"PT30M"`).
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub response: Option<Duration>,
    /// The longest time to resolve, as an ISO 8601 duration (`"PT8H"`).
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "itsm_core::duration::option")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub resolution: Option<Duration>,
    /// When support is given.
    #[cfg_attr(feature = "serde", serde(default))]
    pub hours: Option<SupportHours>,
}

impl Targets {
    /// No targets; set them through the fields.
    pub fn new() -> Self {
        Self::default()
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[allow(missing_docs)] // the names say it
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    /// Every day, Monday first.
    pub const ALL: [Day; 7] = [
        Day::Mon,
        Day::Tue,
        Day::Wed,
        Day::Thu,
        Day::Fri,
        Day::Sat,
        Day::Sun,
    ];

    /// Its name in data (`mon`).
    pub fn name(self) -> &'static str {
        match self {
            Day::Mon => "mon",
            Day::Tue => "tue",
            Day::Wed => "wed",
            Day::Thu => "thu",
            Day::Fri => "fri",
            Day::Sat => "sat",
            Day::Sun => "sun",
        }
    }
}

/// Support hours: the same daily window on the days given, in the service's own time zone.
/// `"00:00"` to `"24:00"` on every day is round the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SupportHours {
    /// The days with support.
    pub days: Vec<Day>,
    /// Opening time, `"HH:MM"`.
    pub open: String,
    /// Closing time, `"HH:MM"`, later than `open`; `"24:00"` is midnight at the day's end.
    pub close: String,
}

impl SupportHours {
    /// Round the clock, every day.
    pub fn always() -> Self {
        SupportHours {
            days: Day::ALL.to_vec(),
            open: "00:00".into(),
            close: "24:00".into(),
        }
    }

    /// `open` to `close` (`"HH:MM"`) on Monday to Friday.
    pub fn weekdays(open: &str, close: &str) -> Self {
        SupportHours {
            days: Day::ALL[..5].to_vec(),
            open: open.to_owned(),
            close: close.to_owned(),
        }
    }

    /// Whether these hours cover all of `other`: every day of `other`, from its opening to
    /// its closing time. `None` when a time is not `"HH:MM"` (a checked organisation never
    /// holds such hours).
    pub fn covers(&self, other: &SupportHours) -> Option<bool> {
        let (open, close) = (minutes(&self.open)?, minutes(&self.close)?);
        let (o_open, o_close) = (minutes(&other.open)?, minutes(&other.close)?);
        let days = other.days.iter().all(|d| self.days.contains(d));
        Some(days && open <= o_open && close >= o_close)
    }
}

impl std::fmt::Display for SupportHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let days: Vec<&str> = self.days.iter().map(|d| d.name()).collect();
        write!(f, "{} {}-{}", days.join(","), self.open, self.close)
    }
}

/// Minutes since midnight of `"HH:MM"` (hours 00 to 24, `24:00` only at the day's end).
pub(crate) fn minutes(text: &str) -> Option<u16> {
    let bytes = text.as_bytes();
    let [h1, h2, b':', m1, m2] = bytes else {
        return None;
    };
    let digit = |b: &u8| b.is_ascii_digit().then(|| u16::from(*b - b'0'));
    let (hours, mins) = (digit(h1)? * 10 + digit(h2)?, digit(m1)? * 10 + digit(m2)?);
    if mins >= 60 || hours > 24 || (hours == 24 && mins > 0) {
        return None;
    }
    Some(hours * 60 + mins)
}

/// A configuration item, by the id the CMDB gives it, and who supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ConfigurationItem {
    /// A stable id, unique among configuration items (the graph's node id, when there is one).
    pub id: String,
    /// Its class, an open set (`host`, `database`, `saas`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub class: String,
    /// The team that supports it, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub support_team: Option<String>,
    /// The supplier that provides it, by id, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub supplier: Option<String>,
}

impl ConfigurationItem {
    /// An item of `class` supported by `support_team` (or nobody), from no supplier.
    pub fn new(id: &str, class: &str, support_team: Option<&str>) -> Self {
        ConfigurationItem {
            id: id.to_owned(),
            class: class.to_owned(),
            support_team: support_team.map(str::to_owned),
            supplier: None,
        }
    }
}

/// A data asset (a customer database, a price list) and the team that stewards it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DataAsset {
    /// A stable id, unique among data assets.
    pub id: String,
    /// What it holds.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
    /// The team answerable for its quality and protection, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub steward: Option<String>,
}

impl DataAsset {
    /// A data asset stewarded by `steward` (or nobody).
    pub fn new(id: &str, steward: Option<&str>) -> Self {
        DataAsset {
            id: id.to_owned(),
            description: String::new(),
            steward: steward.map(str::to_owned),
        }
    }
}

/// One letter of a RACI chart: what a role does in an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Raci {
    /// Does the work.
    Responsible,
    /// Answers for the outcome; exactly one role per activity.
    Accountable,
    /// Asked before.
    Consulted,
    /// Told after.
    Informed,
}

/// A role in a service (service owner's deputy, change manager, on-call engineer): who holds
/// it and its RACI per activity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ServiceRole {
    /// Its name, unique within the service.
    pub name: String,
    /// The people who hold it, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub people: Vec<String>,
    /// What the role does in each activity (`"approve change": "accountable"`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub raci: BTreeMap<String, Raci>,
}

impl ServiceRole {
    /// A role held by `people`, with an empty RACI chart.
    pub fn new(name: &str, people: &[&str]) -> Self {
        ServiceRole {
            name: name.to_owned(),
            people: strings(people),
            raci: BTreeMap::new(),
        }
    }

    /// The same role doing `raci` in `activity`.
    pub fn with(mut self, activity: &str, raci: Raci) -> Self {
        self.raci.insert(activity.to_owned(), raci);
        self
    }
}

/// A value stream: the ordered steps by which the service creates value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ValueStream {
    /// Its name, unique within the service.
    pub name: String,
    /// The steps, in order.
    #[cfg_attr(feature = "serde", serde(default))]
    pub steps: Vec<ValueStreamStep>,
}

impl ValueStream {
    /// A value stream of `steps`.
    pub fn new(name: &str, steps: Vec<ValueStreamStep>) -> Self {
        ValueStream {
            name: name.to_owned(),
            steps,
        }
    }
}

/// One step of a value stream and who carries it out: practices and teams by id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ValueStreamStep {
    /// Its name, unique within the value stream.
    pub name: String,
    /// The practices the step uses, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub practices: Vec<String>,
    /// The teams that carry it out, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub teams: Vec<String>,
}

impl ValueStreamStep {
    /// A step using `practices`, carried out by `teams`.
    pub fn new(name: &str, practices: &[&str], teams: &[&str]) -> Self {
        ValueStreamStep {
            name: name.to_owned(),
            practices: strings(practices),
            teams: strings(teams),
        }
    }
}

/// A service seen through the four dimensions.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Service {
    /// A stable id, unique among services (the graph's node id, when there is one).
    pub id: String,
    /// Its name.
    #[cfg_attr(feature = "serde", serde(default))]
    pub name: String,
    /// Organizations and people: the service owner, by person id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub owner: Option<String>,
    /// Organizations and people: the teams that run it, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub teams: Vec<String>,
    /// Organizations and people: its roles, with who holds them and their RACI.
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: Vec<ServiceRole>,
    /// Information and technology: the configuration items it runs on, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub configuration_items: Vec<String>,
    /// Information and technology: the data assets it uses, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub data_assets: Vec<String>,
    /// Information and technology: the tools used to run it (an open set of names).
    #[cfg_attr(feature = "serde", serde(default))]
    pub tools: Vec<String>,
    /// Partners and suppliers: the suppliers it relies on directly, by id (the suppliers of
    /// its configuration items count too).
    #[cfg_attr(feature = "serde", serde(default))]
    pub suppliers: Vec<String>,
    /// Partners and suppliers: its underpinning contracts, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub contracts: Vec<String>,
    /// Its own service level targets (what its SLA promises).
    #[cfg_attr(feature = "serde", serde(default))]
    pub targets: Targets,
    /// Value streams and processes.
    #[cfg_attr(feature = "serde", serde(default))]
    pub value_streams: Vec<ValueStream>,
}

impl Service {
    /// A service with nothing in any dimension yet (no owner: a finding until one is set).
    pub fn new(id: &str, name: &str) -> Self {
        Service {
            id: id.to_owned(),
            name: name.to_owned(),
            owner: None,
            teams: Vec::new(),
            roles: Vec::new(),
            configuration_items: Vec::new(),
            data_assets: Vec::new(),
            tools: Vec::new(),
            suppliers: Vec::new(),
            contracts: Vec::new(),
            targets: Targets::default(),
            value_streams: Vec::new(),
        }
    }
}

pub(crate) fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}
