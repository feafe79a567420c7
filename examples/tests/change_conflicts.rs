//! The change-conflicts binary on the bundled synthetic change log, output checked line by
//! line; the mapping's JSON Schema pinned in `docs/schema/`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_change-conflicts"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// 44 changes on 73 rows. Refused: CHG00004 (ends at 01:00 on 29 March, a London time the
/// clocks skip), CHG00007 (no end), CHG00013 (start `NULL`), CHG00019 (ends before it
/// starts), CHG00023 (400 days), CHG00029 (starts at 01:30 on 29 March, skipped), CHG00031
/// (31 February): 9 of their rows. CHG00036 runs four weeks and overlaps most of March;
/// CHG00041 and CHG00042 touch on db-01 and do not conflict, CHG00043 overlaps both.
#[test]
fn the_synthetic_change_log_reports_its_conflicts() {
    let mapping = data("change-mapping.json");
    let log = data("change-log.csv");
    assert_eq!(
        run(&["--mapping", &mapping, "--check", &log]),
        "source: synthetic-change-log
rows: 73
changes: 44
rows without a valid window: 9
planned times that do not read: 4
changes refused: 7
changes scheduled: 37
rows whose window differs from their change's first row: 0
pairs on a shared item: 27
pairs on a shared related key: 48
mismatches: 0
"
    );
}

#[test]
fn touching_changes_do_not_conflict_and_overlapping_ones_do() {
    use itsm_examples::change_import::{ChangeMapping, change_id, load};
    use itsm_schedule::{Limits, Pair, Schedule};

    let mapping: ChangeMapping =
        serde_json::from_slice(&std::fs::read(data("change-mapping.json")).unwrap()).unwrap();
    let log = load(&std::fs::read(data("change-log.csv")).unwrap(), &mapping).unwrap();
    let (schedule, _) = Schedule::build(log.changes, &Limits::new());
    let pairs = schedule.scan();
    let pair = |a, b| Pair::new(change_id(a), change_id(b)).unwrap();
    assert!(!pairs.contains(&pair("CHG00041", "CHG00042")));
    assert!(pairs.contains(&pair("CHG00041", "CHG00043")));
    assert!(pairs.contains(&pair("CHG00042", "CHG00043")));
    // CHG00044 shares no item with CHG00043's db-01 but its météo-01: both a pair on an
    // item and, through the météo service, on a key.
    assert!(pairs.contains(&pair("CHG00043", "CHG00044")));
}

#[test]
fn a_mapping_naming_a_missing_column_is_refused() {
    let dir = std::env::temp_dir().join("itsm-change-conflicts-test");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("mapping.json");
    let text = std::fs::read_to_string(data("change-mapping.json"))
        .unwrap()
        .replace("\"cmdb_ci\"", "\"ci\"");
    std::fs::write(&bad, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_change-conflicts"))
        .args([
            "--mapping",
            &bad.display().to_string(),
            &data("change-log.csv"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the mapping names column `ci` (item), which the header does not have"),
        "{err}"
    );
}

#[test]
fn the_mapping_schema_is_pinned() {
    itsm_testkit::pin_schema::<itsm_examples::change_import::ChangeMapping>(
        "schedule-change-mapping.json",
        "UPDATE_SCHEMAS=1 cargo test -p itsm-examples --test change_conflicts",
    );
}
