//! The UCI log (any log the importer reads with a mapping) as an object-centric event log:
//! one event per usable row, incidents, configuration items and assignment groups as
//! objects.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use itsm_examples::import::{self, Item, Mapping, Target};
use itsm_incident::Policy;
use itsm_mining::{Event, EventLog, Object, ObjectType};

/// What the rows say about one incident.
struct Incident {
    /// The order it first appeared in.
    order: usize,
    category: Option<String>,
    cis: BTreeSet<String>,
    groups: BTreeSet<String>,
}

/// What the conversion read.
pub struct Converted {
    /// The log.
    pub log: EventLog,
    /// Rows left out as bad data or unreadable.
    pub bad_rows: usize,
    /// Rows the mapping ignores.
    pub ignored_rows: usize,
}

/// The id of a configuration item's object (prefixed, so that it cannot meet an incident's).
fn ci_id(name: &str) -> String {
    format!("ci:{name}")
}

/// The id of an assignment group's object.
fn group_id(name: &str) -> String {
    format!("group:{name}")
}

/// Reads the log. Each row becomes an event whose activity is the workflow state the row
/// shows (an action row shows the state before it), related to its incident (`incident`),
/// its configuration item (`affects`) and its assignment group (`assigned_to`) when the row
/// has them. Each incident is related to every configuration item and group its rows name,
/// with the same qualifiers.
///
/// # Errors
/// When the log does not open with the mapping or cannot be read on, or the objects and
/// events do not make a valid log.
pub fn convert(
    reader: impl std::io::Read,
    mapping: &Mapping,
    policy: &Policy,
) -> Result<Converted, Box<dyn std::error::Error>> {
    let rows = import::open(reader, mapping, policy)?;
    let mut events = Vec::new();
    let mut incidents: BTreeMap<String, Incident> = BTreeMap::new();
    let mut cis: BTreeSet<String> = BTreeSet::new();
    let mut groups: BTreeSet<String> = BTreeSet::new();
    let mut last_state: HashMap<String, String> = HashMap::new();
    let (mut bad_rows, mut ignored_rows) = (0, 0);
    for item in rows {
        let row = match item? {
            Item::Row(row) => row,
            Item::Bad(_) => {
                bad_rows += 1;
                continue;
            }
            Item::Ignored => {
                ignored_rows += 1;
                continue;
            }
            Item::End { .. } => continue,
        };
        let (state, reason) = match &*row.target {
            Target::State(t) => (t.state.clone(), t.reason.clone()),
            _ => match last_state.get(&row.case) {
                Some(state) => (state.clone(), None),
                None => (policy.workflow.initial().to_owned(), None),
            },
        };
        last_state.insert(row.case.clone(), state.clone());
        let n = incidents.len();
        let entry = incidents
            .entry(row.case.clone())
            .or_insert_with(|| Incident {
                order: n,
                category: row.category.clone(),
                cis: BTreeSet::new(),
                groups: BTreeSet::new(),
            });
        let mut event = Event::new(&format!("row-{}", row.line), &state, row.instant())
            .related(&row.case, "incident")
            .with("source_state", row.value.as_str());
        if let Some(reason) = reason {
            event = event.with("hold_reason", reason);
        }
        if let Some(p) = row.priority {
            event = event.with("priority", i64::from(p));
        }
        if let Some(actor) = &row.actor {
            event = event.with("updated_by", actor.as_str());
        }
        if let Some(ci) = &row.configuration_item {
            event = event.related(&ci_id(ci), "affects");
            entry.cis.insert(ci.clone());
            cis.insert(ci.clone());
        }
        if let Some(group) = &row.group {
            event = event.related(&group_id(group), "assigned_to");
            entry.groups.insert(group.clone());
            groups.insert(group.clone());
        }
        events.push(event);
    }
    let mut ordered: Vec<_> = incidents.into_iter().collect();
    ordered.sort_by_key(|(_, incident)| incident.order);
    let mut objects: Vec<Object> = Vec::with_capacity(ordered.len() + cis.len() + groups.len());
    for ci in &cis {
        objects
            .push(Object::new(&ci_id(ci), ObjectType::ConfigurationItem).with("name", ci.as_str()));
    }
    for group in &groups {
        objects.push(Object::new(&group_id(group), ObjectType::Group).with("name", group.as_str()));
    }
    for (id, incident) in ordered {
        let mut object = Object::new(&id, ObjectType::Incident);
        if let Some(category) = incident.category {
            object = object.with("category", category);
        }
        for ci in incident.cis {
            object = object.related(&ci_id(&ci), "affects");
        }
        for group in incident.groups {
            object = object.related(&group_id(&group), "assigned_to");
        }
        objects.push(object);
    }
    Ok(Converted {
        log: EventLog::new(objects, events)?,
        bad_rows,
        ignored_rows,
    })
}
