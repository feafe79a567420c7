//! The JSON fuzz harness of the change calendar: whatever reads as one of the crate's JSON
//! types writes back to the same value, and a whole input (changes, limits, checks,
//! proposals, search) answers like the reference model of `schedule.rs`.
//!
//! Included beside `schedule.rs`, which the includer names `harness` (the fuzz target
//! `schedule_json` and `crates/itsm-schedule/tests/fuzz_corpus.rs`).

use itsm_schedule::{Checks, Conflict, Limits, Pair, Proposal, ScheduledChange, Search, Window};

use crate::harness::{Model, compare};

/// A whole run in JSON.
#[derive(Debug, serde::Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct Input {
    changes: Vec<ScheduledChange>,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    checks: Checks,
    #[serde(default)]
    proposals: Vec<Proposal>,
    #[serde(default)]
    search: Search,
}

fn round_trip<T>(data: &[u8])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let text = serde_json::to_string(&value).unwrap_or_default();
        let back: Option<T> = serde_json::from_str(&text).ok();
        assert_eq!(back.as_ref(), Some(&value), "JSON round trip of {text}");
    }
}

/// Bytes -> each JSON type (round trips), and a whole input compared with the reference
/// when its instants lie on the quarter-hour grid and its search is small.
pub fn json(data: &[u8]) {
    round_trip::<Window>(data);
    round_trip::<ScheduledChange>(data);
    round_trip::<Proposal>(data);
    round_trip::<Conflict>(data);
    round_trip::<Pair>(data);
    round_trip::<Limits>(data);
    round_trip::<Checks>(data);
    round_trip::<Search>(data);
    round_trip::<Input>(data);
    let Ok(input) = serde_json::from_slice::<Input>(data) else {
        return;
    };
    // The reference tries every quarter hour of the horizon: keep it small and on the grid.
    let on_grid = |t: chrono::DateTime<chrono::Utc>| {
        (t - crate::harness::base()).num_seconds() % crate::harness::QUARTER == 0
            && t.timestamp_subsec_nanos() == 0
    };
    let mut search = input.search;
    search.count = search.count.min(4);
    let grid_search = search.horizon <= chrono::Duration::days(4)
        && search.step.num_seconds() % crate::harness::QUARTER == 0
        && search.step.subsec_nanos() == 0
        && search.step > chrono::Duration::zero();
    let proposals: Vec<Proposal> = input
        .proposals
        .into_iter()
        .filter(|p| on_grid(p.window.start()) && on_grid(p.window.end()))
        .take(4)
        .collect();
    let model = Model {
        limits: input.limits,
        checks: input.checks,
        changes: input.changes.into_iter().take(64).collect(),
        maintenance: vec![],
        freezes: vec![],
        edges: vec![],
        keys: vec![],
    };
    if grid_search
        && model
            .changes
            .iter()
            .all(|c| c.start.is_none_or(on_grid) && c.end.is_none_or(on_grid))
    {
        compare(&model, &proposals, &search);
    } else {
        compare(&model, &[], &search);
    }
}
