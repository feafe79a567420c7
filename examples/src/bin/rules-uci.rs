//! The sample service-desk rule set (`examples/rules/service-desk.json`) run over the UCI
//! ServiceNow log in time order, with the routing its rules choose compared to the log's own
//! `assignment_group`.
//!
//! Run: `cargo run --release -p itsm-examples --bin rules-uci -- PATH/incident_event_log.csv`
//!
//! The log is read by the general importer with its mapping file
//! (`examples/data/uci-mapping.json`). Each incident's rows become views (state, category,
//! priority, impact, urgency, the log's `category` as the classification, `cmdb_ci`,
//! group, assignee, opened and updated instants; the log has no service column, so the
//! service rules and the burst rule per service cannot fire on it). In time order: an
//! incident's creation (at `opened_at`) is evaluated as `created` with the group and
//! assignee left empty, so the routing rules choose a group; every later row is evaluated
//! as `updated` from the previous row, after a tick at each deadline `next_deadline` gives
//! in between.
//!
//! Definitions, printed with the figures:
//! - `rules fired`: firings over the whole log (every rule, every evaluation);
//! - the test half: the later half of the incidents by `opened_at`;
//! - `routing agreement`: on the test half, the group the rules chose at creation equals the
//!   first group the log records for the incident (incidents without one are left out);
//! - `baseline agreement`: on the same incidents, a table learned from the first half (each
//!   category's most frequent first group; the overall most frequent for an unseen
//!   category) chooses the group.

// A host prints.
#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, HashMap};
use std::error::Error;

use chrono::{DateTime, Utc};
use itsm_examples::import::{Item, Target, open};
use itsm_incident::Policy;
use itsm_rules::{Category, Context, Input, Memory, RuleSet, TicketView, evaluate, next_deadline};

const RULES: &str = include_str!("../../rules/service-desk.json");

struct Incident {
    opened: DateTime<Utc>,
    rows: Vec<(DateTime<Utc>, TicketView)>,
    logged_group: Option<String>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: rules-uci PATH/incident_event_log.csv")?;
    let set: RuleSet = serde_json::from_str(RULES)?;
    let policy = Policy::servicenow();
    let mapping = itsm_examples::uci::mapping()?;
    let file = std::fs::File::open(&path).map_err(|e| format!("{path}: {e}"))?;

    // Rows per incident, in the mapping's order, as views.
    let mut incidents: Vec<Incident> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut bad = 0usize;
    for item in open(file, &mapping, &policy)? {
        let row = match item? {
            Item::Row(row) => row,
            Item::Bad(_) => {
                bad += 1;
                continue;
            }
            Item::End { .. } | Item::Ignored => continue,
        };
        let at = row.instant();
        let opened = row.opened_at.map_or(at, |o| o.with_timezone(&Utc));
        let slot = *by_id.entry(row.case.clone()).or_insert_with(|| {
            incidents.push(Incident {
                opened,
                rows: Vec::new(),
                logged_group: None,
            });
            incidents.len() - 1
        });
        let Some(incident) = incidents.get_mut(slot) else {
            continue;
        };
        let mut view = incident
            .rows
            .last()
            .map_or_else(|| TicketView::new("new", Category::New), |(_, v)| v.clone());
        if let Target::State(t) = &*row.target {
            view.state.clone_from(&t.state);
            view.category = policy.workflow.kind_of(&t.state).map(|k| k.category());
        }
        view.priority = row.priority;
        view.impact = row.impact;
        view.urgency = row.urgency;
        view.classification.clone_from(&row.category);
        view.config_item.clone_from(&row.configuration_item);
        view.group.clone_from(&row.group);
        view.assignee.clone_from(&row.person);
        view.opened_at = Some(opened);
        view.updated_at = Some(at);
        if incident.logged_group.is_none() {
            incident.logged_group.clone_from(&row.group);
        }
        incident.rows.push((at.max(opened), view));
    }

    // Every evaluation in time order: (instant, incident, row; row 0 is the creation).
    let mut events: Vec<(DateTime<Utc>, usize, usize)> = Vec::new();
    for (i, inc) in incidents.iter().enumerate() {
        events.push((inc.opened, i, 0));
        for (r, (at, _)) in inc.rows.iter().enumerate().skip(1) {
            events.push((*at, i, r));
        }
    }
    events.sort();

    let mut memory = Memory::default();
    let mut fired: BTreeMap<String, usize> =
        set.rules().iter().map(|r| (r.id.clone(), 0)).collect();
    let mut chosen: Vec<Option<String>> = vec![None; incidents.len()];
    let mut last: Vec<DateTime<Utc>> = incidents.iter().map(|i| i.opened).collect();
    let (mut evaluations, mut notifications, mut loops, mut errors) =
        (0usize, 0usize, 0usize, 0usize);
    for (at, i, r) in events {
        let (Some(inc), Some(since)) = (incidents.get(i), last.get(i).copied()) else {
            continue;
        };
        let mut inputs = Vec::new();
        if r == 0 {
            let Some((_, first)) = inc.rows.first() else {
                continue;
            };
            let mut view = first.clone();
            view.group = None;
            view.assignee = None;
            inputs.push((at, Input::Created(view)));
        } else {
            let (Some((_, before)), Some((_, after))) = (inc.rows.get(r - 1), inc.rows.get(r))
            else {
                continue;
            };
            // Ticks at each deadline before this row, on the record as the log last showed it.
            let mut from = since;
            while let Ok(Some(d)) = next_deadline(&set, before, from, &Context::new(from)) {
                if d > at {
                    break;
                }
                inputs.push((
                    d,
                    Input::Tick {
                        view: before.clone(),
                        since: from,
                    },
                ));
                from = d;
            }
            inputs.push((
                at,
                Input::Updated {
                    before: before.clone(),
                    after: after.clone(),
                },
            ));
        }
        for (now, input) in inputs {
            evaluations += 1;
            match evaluate(&set, &input, &Context::new(now), &memory) {
                Ok(out) => {
                    for f in &out.firings {
                        *fired.entry(f.rule.clone()).or_default() += 1;
                    }
                    notifications += out.notifications.len();
                    if r == 0 {
                        if let Some(slot) = chosen.get_mut(i) {
                            slot.clone_from(&out.view.group);
                        }
                    }
                    memory = out.memory;
                }
                Err(itsm_rules::Error::LoopBound { .. }) => loops += 1,
                Err(_) => errors += 1,
            }
            if let Some(l) = last.get_mut(i) {
                *l = now;
            }
        }
    }

    // The halves by opening time; the learned table from the first.
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by_key(|i| incidents.get(*i).map(|inc| inc.opened));
    let (train, test) = order.split_at(order.len() / 2);
    let mut table: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    let mut overall: HashMap<&str, usize> = HashMap::new();
    for inc in train.iter().filter_map(|i| incidents.get(*i)) {
        let (Some(g), Some((_, v))) = (&inc.logged_group, inc.rows.first()) else {
            continue;
        };
        let c = v.classification.as_deref().unwrap_or("");
        *table.entry(c).or_default().entry(g).or_default() += 1;
        *overall.entry(g).or_default() += 1;
    }
    let most = |m: &HashMap<&str, usize>| -> Option<String> {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(g, _)| (*g).to_owned())
    };
    let fallback = most(&overall);
    let (mut compared, mut rules_agree, mut base_agree) = (0usize, 0usize, 0usize);
    for i in test {
        let Some(inc) = incidents.get(*i) else {
            continue;
        };
        let Some(logged) = &inc.logged_group else {
            continue;
        };
        compared += 1;
        if chosen.get(*i).and_then(Option::as_ref) == Some(logged) {
            rules_agree += 1;
        }
        let c = inc
            .rows
            .first()
            .and_then(|(_, v)| v.classification.as_deref())
            .unwrap_or("");
        let guess = table.get(c).and_then(most).or_else(|| fallback.clone());
        if guess.as_ref() == Some(logged) {
            base_agree += 1;
        }
    }
    let pct = |n: usize| {
        if compared == 0 {
            0.0
        } else {
            n as f64 * 100.0 / compared as f64
        }
    };

    println!("rules-uci: examples/rules/service-desk.json over {path}");
    println!(
        "incidents: {}, rows: {}, bad rows: {bad}, evaluations: {evaluations}, notifications: {notifications}, loop-bound errors: {loops}, other errors: {errors}",
        incidents.len(),
        incidents.iter().map(|i| i.rows.len()).sum::<usize>()
    );
    println!(
        "the log has no service column: the service routes and the per-service burst rule cannot fire on it"
    );
    println!("| rule | fired |");
    println!("|---|---|");
    for (rule, n) in &fired {
        println!("| {rule} | {n} |");
    }
    println!(
        "test half: {} incidents opened from {}, {compared} with a logged group",
        test.len(),
        test.first()
            .and_then(|i| incidents.get(*i))
            .map_or_else(String::new, |i| i.opened.to_rfc3339())
    );
    println!("rules fired: {}", fired.values().sum::<usize>());
    println!("routing agreement: {:.2}%", pct(rules_agree));
    println!("baseline agreement: {:.2}%", pct(base_agree));
    Ok(())
}
