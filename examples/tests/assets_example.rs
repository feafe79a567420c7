//! `assets` on the bundled quarter: the refusals, the stock rule, the CI updates, the
//! inventory worked out by hand from the log, and the depreciation. Bad inputs are
//! messages, not panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Output;

mod common;

use common::has;

fn run(args: &[&str]) -> Output {
    common::run(env!("CARGO_BIN_EXE_assets"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("assets", out)
}

#[test]
fn the_bundled_quarter_shows_each_rule() {
    let out = lines(&run(&[]));
    // Three mistakes in the log, refused with why.
    has(
        &out,
        "refused 2026-01-08 11:10 assign laptop-04: asset laptop-04 is reserved for user dan; assign it to them, or make it available (set_state) and reserve it again",
    );
    has(
        &out,
        "refused 2026-03-11 09:00 cancel_transfer laptop-08: the transfer of asset laptop-08 is at stage in_transit; it can be canceled only before it ships",
    );
    // Splits: kb-ana, kb-training, kb-restock, laptop-10, laptop-11, toner-old, toner-used;
    // merges: the restocked keyboards made available join Dublin's, March's consumption
    // joins fay's January record.
    has(
        &out,
        "commands: 54 accepted, 3 refused; 7 records split, 2 merged",
    );
    // 14 - 1 - 5 = 8 at the threshold of 10; delivered; 8 + 4 - 4 = 8 again in March.
    has(
        &out,
        "2026-01-15 restock requested: keyboards-dublin (8 available, 10 ordered)",
    );
    has(
        &out,
        "2026-03-31 restock requested: keyboards-dublin (8 available, 10 ordered)",
    );
    has(&out, "2026-02-23 ci lt-06: absent");
    has(&out, "2026-03-03 ci lt-07: retired");
    // The docking station followed its laptop to the user and back.
    has(
        &out,
        "dock-01 WD19 dock x1 in_stock/pending_evaluation @Dublin (child of laptop-01)",
    );
    has(&out, "kb-training USB keyboard x9 consumed @Dublin for fay");
    has(
        &out,
        "batch-10 Latitude 5520 x2 in_stock/pre_allocated @Dublin",
    );
    has(&out, "available in Dublin: 3 Latitude 5520, 8 USB keyboard");
    // 9,000.00 less 10% salvage over four years from 2023-01-02: (3 + 88/365) / 4 of 8,100.00
    // lost by 2026-03-31.
    has(
        &out,
        "server-01 in use since 2023-01-02: cost 9000.00, residual 2436.78, end of life 2027-01-02",
    );
}

#[test]
fn bad_logs_are_messages() {
    let dir = std::env::temp_dir().join(format!("itsm-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("{}", "is not an asset log"),
        (
            r#"{"notes": [], "policy": {"preset": "glpi"}, "depreciation": {"on": "2026-01-01", "method": "straight_line", "life_years": 4, "salvage_percent": 0}, "log": []}"#,
            "unknown policy preset `glpi`",
        ),
        (
            r#"{"notes": [], "policy": {"preset": "servicenow"}, "depreciation": {"on": "2026-01-01", "method": "straight_line", "life_years": 4, "salvage_percent": 0}, "log": [{"command": "run_stock_rules"}]}"#,
            "entry 1: no `at`",
        ),
        (
            r#"{"notes": [], "policy": {"preset": "servicenow"}, "depreciation": {"on": "2026-01-01", "method": "straight_line", "life_years": 4, "salvage_percent": 0}, "log": [{"at": "2026-01-01T00:00:00Z", "command": "fly"}]}"#,
            "entry 1: not a command: unknown variant `fly`",
        ),
    ];
    for (i, (text, wanted)) in cases.iter().enumerate() {
        let path = dir.join(format!("log-{i}.json"));
        std::fs::write(&path, text).unwrap();
        let out = run(&[path.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(wanted), "{wanted:?} not in {err}");
    }
    let out = run(&["/nonexistent/log.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/log.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}
