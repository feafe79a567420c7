//! `licences` on the bundled estate: each line below was worked out by hand from
//! `examples/data/licences/estate-2026-06.json` and the rules in docs/licence.md. Bad inputs
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
    common::run(env!("CARGO_BIN_EXE_licences"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("licences", out)
}

#[test]
fn the_bundled_estate_shows_each_rule() {
    let out = lines(&run(&[]));
    // 13 models; Acrobat, AutoCAD, Diagram Tool, Office 2024 and SQL Standard short.
    has(
        &out,
        "licence position on 2026-06-30 under servicenow: 13 models, 8 compliant, 5 not compliant",
    );
    // 13 Office installs (8 of 2024, 4 of 2021, 1 of 2019 on the kiosk) against 10 per-device
    // rights of Office 2024, which downgrade: 3 short at 260.00.
    has(&out, "Office 2024 NOT compliant 8 3 0 0 780.00 0.00");
    has(
        &out,
        "Office 2024, Per Device: owned 10, used 10, available 0; allocated in use 0, not allocated in use 10, allocated not in use 0; by downgrade: Office 2019 1, Office 2021 4; suggest: create allocations, or remove unallocated installs",
    );
    // SQL Server: srv-db1 (2 x 8 cores) takes its 16 allocated Enterprise cores; srv-db2
    // (1 x 4) takes 4 Standard cores (cheaper than Enterprise's by downgrade); srv-app (2 x 12)
    // needs 24 and neither has them: 24 at Standard's own price 1800.00.
    has(
        &out,
        "SQL Server 2022 Enterprise, Per Core (at least 4 a processor): owned 20, used 16, available 4; allocated in use 16, not allocated in use 0, allocated not in use 0",
    );
    has(
        &out,
        "SQL Server 2022 Standard: Per Core (at least 4 a processor), 24 rights at 1800.00 = 43200.00 (the true-up)",
    );
    // Acrobat renewed with 6 rights for 8 users; the expired subscription counts for nothing
    // and the price is the current one.
    has(
        &out,
        "Acrobat Pro, Per User: owned 6, used 6, available 0; allocated in use 0, not allocated in use 6, allocated not in use 0; inactive: ENT-ACRO-2025; suggest: create allocations, or remove unallocated installs",
    );
    has(
        &out,
        "Acrobat Pro: Per User, 2 rights at 220.00 = 440.00 (the true-up)",
    );
    // AutoCAD per named user allocated to cy, dan and lee; eva has it without an allocation,
    // lee has an allocation without it.
    has(
        &out,
        "AutoCAD 2026, Per Named User: owned 3, used 2, available 1; allocated in use 2, not allocated in use 0, allocated not in use 1; allocations needed 1; suggest: remove unused allocations",
    );
    has(&out, "inst-022 AutoCAD 2026 on lap-05 (eva)");
    // Creative Cloud: ana and fay allocated and subscribed, gus and hal subscribed without an
    // allocation, ivy allocated without a subscription.
    has(
        &out,
        "Creative Cloud, User Subscription: owned 5, used 4, available 1; allocated in use 2, not allocated in use 2, allocated not in use 1; suggest: create allocations, or remove unallocated installs, remove unused allocations",
    );
    // Exchange user CALs: 13 access records by 12 users (ana twice).
    has(&out, "Exchange Server CAL compliant 13 0 0 0 0.00 210.00");
    // Endpoint protection on 17 machines, 15 rights, under an enterprise agreement.
    has(
        &out,
        "Endpoint Protection compliant ELA 17 2 0 0 60.00 0.00",
    );
    // A tool no one bought, priced at the model's licence cost.
    has(
        &out,
        "Diagram Tool 3: Per Device, 1 rights at 99.00 = 99.00 (the true-up)",
    );
    has(&out, "unlicensed installs: 10");
    has(&out, "unlicensed subscriptions: none");
    // 440 + 2100 + 99 + 60 + 780 + 43200; 2100 + 780 + 210 + 27600 + 7200 + 480.
    has(
        &out,
        "total: true-up 46679.00, over-licensed 38370.00, not compliant",
    );
}

#[test]
fn json_output_is_the_position() {
    let out = run(&["--json"]);
    assert!(out.status.success());
    let p: itsm_licence::Position = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(p.true_up_cost(), Some(4_667_900));
    assert_eq!(p.install("inst-019").unwrap().entitlement, None);
}

#[test]
fn bad_inputs_are_messages() {
    let dir = std::env::temp_dir().join(format!("itsm-licences-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let cases = [
        (write("not-json.json", "{"), "not JSON"),
        (
            write(
                "bad-field.json",
                r#"{"as_of": "2026-06-30", "instals": []}"#,
            ),
            "unknown field `instals`",
        ),
        (
            write(
                "unknown-device.json",
                r#"{"as_of": "2026-06-30", "installs": [{"id": "i", "model": "M", "device": "nowhere"}]}"#,
            ),
            "install `i` names device `nowhere`, which is not among the snapshot's devices",
        ),
        (
            write(
                "preset.json",
                r#"{"policy": "flexera", "snapshot": {"as_of": "2026-06-30"}}"#,
            ),
            "unknown policy preset `flexera`",
        ),
    ];
    for (path, wanted) in cases {
        let out = run(&[&path]);
        assert!(!out.status.success(), "{path} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(wanted), "{path}: {err}");
    }
    let out = run(&["a.json", "b.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("at most one file"));
    std::fs::remove_dir_all(&dir).unwrap();
}
