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
rows without a change number: 0
planned times that do not read: 4
changes refused: 7
changes scheduled: 37
rows whose window differs from their change's first row: 0
pairs on a shared item: 27
pairs on a shared related key: 48
refused: line 10: change `CHG00004`: planned end `29/03/2026 01:00` is a time Europe/London skips (the clocks go forward)
refused: line 13: change `CHG00007`: no planned end
refused: line 22: change `CHG00013`: planned start `NULL`, a missing value
refused: line 31: change `CHG00019`: planned end `05/03/2026 23:00` is not after planned start `06/03/2026 01:00` (and its other row)
refused: line 41: change `CHG00023`: planned window `04/03/2026 03:00` to `08/04/2027 03:00` lasts P399DT23H, longer than the longest allowed, P366D
refused: 2 more (--refusals lists them all)
mismatches: 0
"
    );
    // Every refusal with --refusals.
    let all = run(&["--mapping", &mapping, "--refusals", &log]);
    let refused: Vec<&str> = all.lines().filter(|l| l.starts_with("refused: ")).collect();
    assert_eq!(refused.len(), 7);
    assert_eq!(
        refused[5..],
        [
            "refused: line 49: change `CHG00029`: planned start `29/03/2026 01:30` is a time Europe/London skips (the clocks go forward)",
            "refused: line 52: change `CHG00031`: planned start `31/02/2026 10:00` does not read as `%d/%m/%Y %H:%M` (and its other row)",
        ]
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

/// A file of this test's own, in the folder cargo gives integration tests (nothing is
/// written elsewhere).
fn scratch(name: &str, text: &str) -> String {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("change-conflicts-{name}"));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// The binary's exit status and standard error.
fn fails(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_change-conflicts"))
        .args(args)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_mapping_naming_a_missing_column_is_refused() {
    let text = std::fs::read_to_string(data("change-mapping.json"))
        .unwrap()
        .replace("\"cmdb_ci\"", "\"ci\"");
    let bad = scratch("missing-column.json", &text);
    let err = fails(&["--mapping", &bad, &data("change-log.csv")]);
    assert!(
        err.contains("the mapping names column `ci` (item), which the file does not have; it has `number`, `cmdb_ci`, `start_date`, `end_date`, `assigned_to`, `service`"),
        "{err}"
    );
    // Without a header, columns are numbered from 1.
    let text = std::fs::read_to_string(data("change-mapping.json"))
        .unwrap()
        .replace("\"header\": true", "\"header\": false");
    let numbered = scratch("no-header.json", &text);
    let err = fails(&["--mapping", &numbered, &data("change-log.csv")]);
    assert!(
        err.contains("the mapping names column `number` (change), which the file does not have; it has no header row (csv.header is false): name columns by their position, from 1"),
        "{err}"
    );
    let empty = scratch("empty.csv", "");
    let err = fails(&["--mapping", &data("change-mapping.json"), &empty]);
    assert!(
        err.contains("it has no columns (the file is empty)"),
        "{err}"
    );
}

#[test]
fn mappings_that_cannot_read_a_file_are_refused_before_reading_it() {
    let mapping = std::fs::read_to_string(data("change-mapping.json")).unwrap();
    let log = data("change-log.csv");
    let with = |name: &str, from: &str, to: &str| {
        assert!(mapping.contains(from), "{from}");
        scratch(name, &mapping.replace(from, to))
    };
    let cases = [
        (
            with(
                "delimiter.json",
                "\"delimiter\": \";\"",
                "\"delimiter\": \"é\"",
            ),
            "csv.delimiter: `\\u{e9}` cannot separate or quote fields; use one ASCII character other than a line end (`,`, `;`, a tab, `\"`)",
        ),
        (
            with("quote.json", "\"quote\": \"\\\"\"", "\"quote\": \";\""),
            "csv.quote: the delimiter and the quote are both `;`; they must differ",
        ),
        (
            with("no-zone.json", ", \"zone\": \"Europe/London\"", ""),
            "time.zone: the format `%d/%m/%Y %H:%M` has no offset (%z, %:z, %#z) or Unix time (%s), so name the zone its times are in",
        ),
        (
            with("unused-zone.json", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M %z"),
            "time.zone: the format carries an offset (or Unix time), so zone `Europe/London` would never be used; remove it",
        ),
        (
            with("zone.json", "Europe/London", "Europe/Lond\\u0007n"),
            "time.zone: `Europe/Lond\\u{7}n` is neither an IANA zone name nor an offset such as +02:00",
        ),
        (
            with("format.json", "%d/%m/%Y %H:%M", "%d/%m/%Y %Q"),
            "time.format `%d/%m/%Y %Q` is not a chrono format",
        ),
    ];
    for (bad, want) in cases {
        let err = fails(&["--mapping", &bad, &log]);
        assert!(err.contains(want), "{err}");
    }
}

#[test]
fn bad_rows_are_counted_and_quoted_and_the_rest_load() {
    let mapping = data("change-mapping.json");
    // A row without a number, a number with a control character, a time with an offset the
    // format does not have, and two good changes that overlap on one item.
    let log = scratch(
        "bad-rows.csv",
        "number;cmdb_ci;start_date;end_date;assigned_to;service
;web-01;01/03/2026 10:00;01/03/2026 11:00;;shop
CHG\u{1b}[31m;web-01;01/03/2026 10:00;;;shop
CHG2;web-01;01/03/2026 10:00+01:00;01/03/2026 11:00;;shop
CHG3;web-01;01/03/2026 10:00;01/03/2026 12:00;;shop
CHG4;web-01;01/03/2026 11:00;01/03/2026 13:00;;shop
NULL;web-02;01/03/2026 10:00;01/03/2026 11:00;;shop
",
    );
    assert_eq!(
        run(&["--mapping", &mapping, "--check", &log]),
        "source: synthetic-change-log
rows: 6
changes: 4
rows without a valid window: 2
rows without a change number: 2 (lines 2, 7)
planned times that do not read: 1
changes refused: 2
changes scheduled: 2
rows whose window differs from their change's first row: 0
pairs on a shared item: 1
pairs on a shared related key: 1
refused: line 3: change `CHG\\u{1b}[31m`: no planned end
refused: line 4: change `CHG2`: planned start `01/03/2026 10:00+01:00` does not read as `%d/%m/%Y %H:%M`
mismatches: 0
"
    );
}

#[test]
fn arguments_are_checked_and_missing_files_named() {
    assert!(fails(&["--mapping"]).contains("--mapping needs a file"));
    assert!(fails(&["--bogus\u{7}"]).contains("unknown option `--bogus\\u{7}`"));
    assert!(fails(&["--mapping", "m.json"]).contains("no change log given"));
    assert!(fails(&["a.csv", "b.csv"]).contains("one change log at a time: `b.csv` is a second"));
    let err = fails(&[
        "--mapping",
        &data("no-such-mapping.json"),
        &data("change-log.csv"),
    ]);
    assert!(err.contains("no-such-mapping.json: "), "{err}");
    assert!(run(&["--help"]).starts_with("usage: change-conflicts --mapping"));
}

#[test]
fn the_mapping_schema_is_pinned() {
    itsm_testkit::pin_schema::<itsm_examples::change_import::ChangeMapping>(
        "schedule-change-mapping.json",
        "UPDATE_SCHEMAS=1 cargo test -p itsm-examples --test change_conflicts",
    );
}

#[test]
fn a_log_without_a_header_is_read_by_position_and_offsets_are_kept() {
    use itsm_examples::change_import::{ChangeMapping, change_id, load};
    use itsm_schedule::{Limits, Pair, Schedule};

    let mapping: ChangeMapping = serde_json::from_str(
        r#"{"source": "numbered", "csv": {"delimiter": ",", "header": false},
            "change": "1", "item": "2", "start": "3", "end": "4", "related": "5",
            "time": {"format": "%Y-%m-%dT%H:%M%:z"}}"#,
    )
    .unwrap();
    // The same instant written in two offsets: C1 ends when C2 starts, so they only touch;
    // C3 overlaps C2 on another item of the same service.
    let log = load(
        b"C1,db,2026-03-01T10:00+00:00,2026-03-01T12:00+00:00,pay
C2,db,2026-03-01T13:00+01:00,2026-03-01T14:00+01:00,pay
C3,app,2026-03-01T12:30+00:00,2026-03-01T12:45+00:00,pay
",
        &mapping,
    )
    .unwrap();
    assert_eq!(
        (log.rows, log.changes.len(), log.unreadable_times),
        (3, 3, 0)
    );
    let (schedule, refused) = Schedule::build(log.changes.clone(), &Limits::new());
    assert!(refused.is_empty());
    assert!(schedule.scan().is_empty());
    let keys = |i: &itsm_core::ConfigItemId| -> Vec<String> {
        log.keys
            .get(i)
            .map(|k| k.iter().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        schedule.scan_related(keys),
        [Pair::new(change_id("C2"), change_id("C3")).unwrap()]
    );
}
