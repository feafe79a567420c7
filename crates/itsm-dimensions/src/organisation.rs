//! The checked organisation: every reference resolved, every problem reported at once.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::error::{Error, ModelProblem, RecordKind};
use crate::model::{OrganisationSpec, Service, SupportHours, Targets, minutes};

/// An organisation whose references all resolve, ready to assess. Build it with
/// [`Organisation::new`]; deserializing one runs the same checks.
///
/// ```
/// use itsm_dimensions::{Organisation, OrganisationSpec, Person, Service};
///
/// let mut spec = OrganisationSpec::new();
/// spec.people.push(Person::new("ana", "Ana"));
/// let mut payroll = Service::new("payroll", "Payroll");
/// payroll.owner = Some("ana".into());
/// spec.services.push(payroll);
/// let org = Organisation::new(spec)?;
/// assert_eq!(org.service("payroll").map(|s| s.name.as_str()), Some("Payroll"));
/// # Ok::<(), itsm_dimensions::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    spec: OrganisationSpec,
    index: Index,
}

/// Positions by id, and what several services ask about the whole organisation, computed
/// once.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Index {
    pub(crate) people: BTreeMap<String, usize>,
    pub(crate) teams: BTreeMap<String, usize>,
    pub(crate) practices: BTreeMap<String, usize>,
    pub(crate) suppliers: BTreeMap<String, usize>,
    pub(crate) contracts: BTreeMap<String, usize>,
    pub(crate) configuration_items: BTreeMap<String, usize>,
    pub(crate) data_assets: BTreeMap<String, usize>,
    pub(crate) services: BTreeMap<String, usize>,
    /// The practices some team carries out.
    pub(crate) carried: BTreeSet<String>,
    /// Per supplier with a contract: how long it is covered (`None`: an open-ended contract).
    pub(crate) covered_until: BTreeMap<String, Option<NaiveDate>>,
}

impl Organisation {
    /// Checks `spec` and indexes it.
    ///
    /// # Errors
    /// [`Error::InvalidOrganisation`] listing every problem found at once, in the order of the
    /// data: ids declared twice, references to undeclared records (dangling), records named
    /// twice in one list, and malformed values (times, availability, targets, empty ids).
    pub fn new(spec: OrganisationSpec) -> Result<Self, Error> {
        let mut check = Check::default();
        let index = check.run(&spec);
        if check.problems.is_empty() {
            Ok(Organisation { spec, index })
        } else {
            Err(Error::InvalidOrganisation {
                problems: check.problems,
            })
        }
    }

    /// The data it was built from.
    pub fn spec(&self) -> &OrganisationSpec {
        &self.spec
    }

    /// Its services, in the order given.
    pub fn services(&self) -> &[Service] {
        &self.spec.services
    }

    /// The service with this id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        let i = *self.index.services.get(id)?;
        self.spec.services.get(i)
    }

    pub(crate) fn index(&self) -> &Index {
        &self.index
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Organisation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.spec.serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Organisation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spec = OrganisationSpec::deserialize(deserializer)?;
        Organisation::new(spec).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Organisation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        OrganisationSpec::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        OrganisationSpec::json_schema(generator)
    }
}

#[derive(Default)]
struct Check {
    problems: Vec<ModelProblem>,
}

fn quoted(id: &str) -> itsm_core::Quoted<'_> {
    itsm_core::Quoted(id)
}

impl Check {
    fn run(&mut self, spec: &OrganisationSpec) -> Index {
        let mut index = Index {
            people: self.ids(
                RecordKind::Person,
                "people",
                spec.people.iter().map(|p| &p.id),
            ),
            teams: self.ids(RecordKind::Team, "teams", spec.teams.iter().map(|t| &t.id)),
            practices: self.ids(
                RecordKind::Practice,
                "practices",
                spec.practices.iter().map(|p| &p.id),
            ),
            suppliers: self.ids(
                RecordKind::Supplier,
                "suppliers",
                spec.suppliers.iter().map(|s| &s.id),
            ),
            contracts: self.ids(
                RecordKind::Contract,
                "contracts",
                spec.contracts.iter().map(|c| &c.id),
            ),
            configuration_items: self.ids(
                RecordKind::ConfigurationItem,
                "configuration items",
                spec.configuration_items.iter().map(|c| &c.id),
            ),
            data_assets: self.ids(
                RecordKind::DataAsset,
                "data assets",
                spec.data_assets.iter().map(|d| &d.id),
            ),
            services: self.ids(
                RecordKind::Service,
                "services",
                spec.services.iter().map(|s| &s.id),
            ),
            carried: BTreeSet::new(),
            covered_until: BTreeMap::new(),
        };
        for team in &spec.teams {
            let at = || format!("team `{}`, its members", quoted(&team.id));
            self.refs(&index.people, RecordKind::Person, &team.members, at);
            let at = || format!("team `{}`, its practices", quoted(&team.id));
            self.refs(&index.practices, RecordKind::Practice, &team.practices, at);
            index.carried.extend(team.practices.iter().cloned());
        }
        for contract in &spec.contracts {
            let at = || format!("contract `{}`, its supplier", quoted(&contract.id));
            self.one(
                &index.suppliers,
                RecordKind::Supplier,
                Some(&contract.supplier),
                at,
            );
            if let Some(targets) = &contract.targets {
                self.targets(targets, &|| {
                    format!("contract `{}`, its targets", quoted(&contract.id))
                });
            }
            let until = index
                .covered_until
                .entry(contract.supplier.clone())
                .or_insert(contract.end);
            *until = match (*until, contract.end) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
        }
        for ci in &spec.configuration_items {
            let at = || format!("configuration item `{}`, its support team", quoted(&ci.id));
            self.one(&index.teams, RecordKind::Team, ci.support_team.as_ref(), at);
            let at = || format!("configuration item `{}`, its supplier", quoted(&ci.id));
            self.one(
                &index.suppliers,
                RecordKind::Supplier,
                ci.supplier.as_ref(),
                at,
            );
        }
        for asset in &spec.data_assets {
            let at = || format!("data asset `{}`, its steward", quoted(&asset.id));
            self.one(&index.teams, RecordKind::Team, asset.steward.as_ref(), at);
        }
        for service in &spec.services {
            self.service(&index, service);
        }
        index
    }

    fn service(&mut self, index: &Index, s: &Service) {
        let id = quoted(&s.id);
        let at = || format!("service `{id}`, its owner");
        self.one(&index.people, RecordKind::Person, s.owner.as_ref(), at);
        let at = || format!("service `{id}`, its teams");
        self.refs(&index.teams, RecordKind::Team, &s.teams, at);
        let names = s.roles.iter().map(|r| &r.name);
        self.ids(
            RecordKind::Role,
            &format!("service `{id}`, its roles"),
            names,
        );
        for role in &s.roles {
            let at = || format!("service `{id}`, role `{}`", quoted(&role.name));
            self.refs(&index.people, RecordKind::Person, &role.people, at);
        }
        let at = || format!("service `{id}`, its configuration items");
        self.refs(
            &index.configuration_items,
            RecordKind::ConfigurationItem,
            &s.configuration_items,
            at,
        );
        let at = || format!("service `{id}`, its data assets");
        self.refs(
            &index.data_assets,
            RecordKind::DataAsset,
            &s.data_assets,
            at,
        );
        let at = || format!("service `{id}`, its suppliers");
        self.refs(&index.suppliers, RecordKind::Supplier, &s.suppliers, at);
        let at = || format!("service `{id}`, its contracts");
        self.refs(&index.contracts, RecordKind::Contract, &s.contracts, at);
        self.targets(&s.targets, &|| format!("service `{id}`, its targets"));
        let names = s.value_streams.iter().map(|v| &v.name);
        self.ids(
            RecordKind::ValueStream,
            &format!("service `{id}`, its value streams"),
            names,
        );
        for stream in &s.value_streams {
            let stream_at = format!("service `{id}`, value stream `{}`", quoted(&stream.name));
            let names = stream.steps.iter().map(|st| &st.name);
            self.ids(RecordKind::Step, &format!("{stream_at}, its steps"), names);
            for step in &stream.steps {
                let at = || format!("{stream_at}, step `{}`, its practices", quoted(&step.name));
                self.refs(&index.practices, RecordKind::Practice, &step.practices, at);
                let at = || format!("{stream_at}, step `{}`, its teams", quoted(&step.name));
                self.refs(&index.teams, RecordKind::Team, &step.teams, at);
            }
        }
    }

    /// Positions by id of one kind's records; empty and repeated ids are problems.
    fn ids<'a>(
        &mut self,
        kind: RecordKind,
        named_in: &str,
        ids: impl Iterator<Item = &'a String>,
    ) -> BTreeMap<String, usize> {
        let mut index = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty() {
                self.problems.push(ModelProblem::InvalidValue {
                    named_in: format!("{named_in}, #{i}"),
                    reason: format!("the {kind} has an empty id; give it a non-empty one"),
                });
            } else if index.contains_key(id) {
                self.problems.push(ModelProblem::DuplicateId {
                    kind,
                    id: id.clone(),
                    named_in: named_in.to_owned(),
                });
            } else {
                index.insert(id.clone(), i);
            }
        }
        index
    }

    /// A list of references: each must be declared, and named once.
    fn refs(
        &mut self,
        index: &BTreeMap<String, usize>,
        kind: RecordKind,
        ids: &[String],
        named_in: impl Fn() -> String,
    ) {
        let mut seen = BTreeSet::new();
        for id in ids {
            if !index.contains_key(id) {
                self.problems.push(ModelProblem::UnknownReference {
                    kind,
                    id: id.clone(),
                    named_in: named_in(),
                });
            } else if !seen.insert(id.as_str()) {
                self.problems.push(ModelProblem::DuplicateReference {
                    kind,
                    id: id.clone(),
                    named_in: named_in(),
                });
            }
        }
    }

    fn one(
        &mut self,
        index: &BTreeMap<String, usize>,
        kind: RecordKind,
        id: Option<&String>,
        named_in: impl Fn() -> String,
    ) {
        if let Some(id) = id {
            self.refs(index, kind, std::slice::from_ref(id), named_in);
        }
    }

    fn targets(&mut self, t: &Targets, named_in: &dyn Fn() -> String) {
        let mut bad = |reason: String| {
            self.problems.push(ModelProblem::InvalidValue {
                named_in: named_in(),
                reason,
            });
        };
        if let Some(a) = t.availability {
            if !(0.0..=100.0).contains(&a) {
                bad(format!(
                    "availability {a} is outside 0 to 100; give a percentage"
                ));
            }
        }
        for (what, value) in [("response", t.response), ("resolution", t.resolution)] {
            if let Some(d) = value.filter(|d| *d <= chrono::Duration::zero()) {
                bad(format!(
                    "the {what} target {} is not positive; give a duration above zero",
                    itsm_core::duration::format(d)
                ));
            }
        }
        if let Some(hours) = &t.hours {
            if let Some(reason) = hours_problem(hours) {
                bad(reason);
            }
        }
    }
}

fn hours_problem(h: &SupportHours) -> Option<String> {
    for time in [&h.open, &h.close] {
        if minutes(time).is_none() {
            return Some(format!(
                "support hours time `{}` is not HH:MM; give a time from 00:00 to 24:00",
                quoted(time)
            ));
        }
    }
    if minutes(&h.close) <= minutes(&h.open) {
        return Some(format!(
            "support hours close at {} before they open at {}; close after opening",
            h.close, h.open
        ));
    }
    if h.days.is_empty() {
        return Some("support hours have no day; give at least one".into());
    }
    let mut seen = BTreeSet::new();
    for day in &h.days {
        if !seen.insert(*day) {
            return Some(format!(
                "support hours list day `{}` twice; list each once",
                day.name()
            ));
        }
    }
    None
}
