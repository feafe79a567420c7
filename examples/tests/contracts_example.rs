//! `contracts` on the bundled file: the lines below were worked out by hand from
//! `examples/data/contracts/contracts.json` and the rules in docs/contract.md. Bad inputs
//! are messages, not panics.
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
    common::run(env!("CARGO_BIN_EXE_contracts"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("contracts", out)
}

#[test]
fn the_bundled_contracts_show_each_rule() {
    let out = lines(&run(&[]));
    // Approved on 20 December, before its start: active on 1 January, not before.
    has(&out, "2026-12-20 SAN-MNT-27 contract approved by lena");
    has(&out, "2027-01-01 SAN-MNT-27 active");
    // 1,000.00 a month plus 8.25 % tax, split by the arrays' cost (70 000.00 and 30 000.00).
    has(
        &out,
        "2027-01-01 SAN-MNT-27 charged support for 2027-01-01: 1,082.50 (san-01 757.75, san-02 324.75)",
    );
    // An NDA needs its vendor.
    has(
        &out,
        "2027-01-04 NDA-ACME maria's create refused: a contract of model `nda` needs a vendor; give one",
    );
    // Approved after its start: active and the January rent charged at once (15,000 + 20 %).
    has(
        &out,
        "2027-01-18 DC-LEASE charged rent for 2027-01-01: 18,000.00 (contract 18,000.00)",
    );
    // A seat removed on 12 April: May's charge falls on the remaining one.
    has(
        &out,
        "2027-05-01 M365-SUB charged seats for 2027-05-01: 40.00 (ana 40.00)",
    );
    // Reminders 90, 60, 30 days ahead and on the day, then expiry on the end date.
    has(
        &out,
        "2027-04-01 NDA-ACME reminder to maria: ends 2027-06-30, in 90 days",
    );
    has(
        &out,
        "2027-05-31 NDA-ACME reminder to maria: ends 2027-06-30, in 30 days",
    );
    has(
        &out,
        "2027-06-30 NDA-ACME reminder to maria: ends 2027-06-30, in 0 days",
    );
    has(&out, "2027-06-30 NDA-ACME expired");
    // The lease is canceled: its quarterly rent stops (two quarters charged).
    has(&out, "2027-06-15 DC-LEASE canceled; its rate cards stop");
    // Only the extension's approver approves it.
    has(
        &out,
        "2027-11-03 M365-SUB omar's approve refused: `approve` is for the approver, 00000000-0000-0000-0000-00000000000c",
    );
    has(&out, "2027-11-04 M365-SUB extended to 2028-03-31");
    // The renewal waits for its start: expired on 31 December, renewed and active on 1
    // January with the card's base cost up 3 % (1,030.00 + 8.25 % = 1,114.98, split by the
    // largest remainder: 780.486 and 334.494).
    has(&out, "2027-12-31 SAN-MNT-27 expired");
    has(
        &out,
        "2028-01-01 SAN-MNT-27 renewed 2028-01-01 to 2028-12-31, payment 0.00, card base costs 1,030.00",
    );
    has(&out, "2028-01-01 SAN-MNT-27 active");
    has(
        &out,
        "2028-01-01 SAN-MNT-27 charged support for 2028-01-01: 1,114.98 (san-01 780.49, san-02 334.49)",
    );
    // The reports: twelve months at 1,082.50; three at 1,114.98 more; cost per asset over
    // the three arrays covered since July; the lease's two quarters, its inactive card out
    // of the total; an expired contract projects nothing.
    has(
        &out,
        "SAN-MNT-27 expired substate renewal_approved ends 2027-12-31 lifetime 12,990.00 total 1,082.50 per asset 360.83 projected 0.00/month 0.00/year expiration level -",
    );
    has(
        &out,
        "SAN-MNT-27 active substate none ends 2028-12-31 lifetime 16,334.94 total 1,114.98 per asset 371.66 projected 1,114.98/month 13,379.76/year expiration level -",
    );
    has(
        &out,
        "DC-LEASE canceled substate none ends 2027-09-30 lifetime 36,000.00 total 0.00 per asset - projected 0.00/month 0.00/year expiration level -",
    );
    has(
        &out,
        "M365-SUB expired substate none ends 2028-03-31 lifetime 560.00 total 40.00 per asset - projected 0.00/month 0.00/year expiration level -",
    );
}

#[test]
fn bad_files_are_messages() {
    let dir = std::env::temp_dir().join(format!("contracts-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{"people": {}, "system": "job", "until": "2027-01-01", "steps": []}"#,
    )
    .unwrap();
    let out = run(&[path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("the system account `job` is not among the people")
    );
    let out = run(&["/nonexistent/contracts.json"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/contracts.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}
