//! Replays the saved fuzz corpus on stable: the fuzz target `asset_commands` is a thin
//! wrapper around `fuzz/harness/asset.rs`, which this test includes and feeds every input
//! saved in `fuzz/corpus/asset_commands/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/asset.rs"]
mod harness;

#[test]
fn asset_commands_corpus_replays() {
    let n = itsm_testkit::replay_corpus("asset_commands", harness::commands);
    assert!(n >= 6, "the asset_commands corpus has only {n} inputs");
}

/// The hand-written seeds (the files not named `crash-*` or `regression-*`) exercise every
/// command (each accepted at least once), splits, merges, CI statuses, children following
/// their parent and restocks.
#[test]
fn the_seeds_reach_every_workflow() {
    use itsm_asset::{Command, Event};
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/asset_commands");
    let mut seen = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if name.starts_with("crash-") || name.starts_with("regression-") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let mut children = std::collections::BTreeSet::new();
        for (command, answer) in harness::run(&data) {
            let Ok(events) = answer else { continue };
            seen.insert(command.name());
            for event in events {
                seen.insert(match event {
                    Event::Split { .. } => "split",
                    Event::Merged { .. } => "merged",
                    Event::CiStatusSet { .. } => "ci_status_set",
                    Event::RestockRequested { .. } => "restock_requested",
                    Event::Registered { asset } if asset.parent.is_some() => {
                        children.insert(asset.id);
                        "other"
                    }
                    Event::Moved { asset, .. } if children.contains(&asset) => "child_moved",
                    _ => "other",
                });
            }
        }
    }
    let expected = Command::NAMES.iter().copied().chain([
        "split",
        "merged",
        "ci_status_set",
        "restock_requested",
        "child_moved",
    ]);
    for name in expected {
        assert!(seen.contains(name), "no seed reaches {name}");
    }
}
