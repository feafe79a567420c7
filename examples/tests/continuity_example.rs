//! `continuity` on the shop topology: each line below was worked out by hand from
//! `examples/data/shop-topology.json`, `examples/data/continuity/shop-plan.json` and the
//! rules in docs/continuity.md. Bad inputs are messages, not panics.
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
    common::run(env!("CARGO_BIN_EXE_continuity"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("continuity", out)
}

#[test]
fn the_bundled_plan_shows_each_rule() {
    let out = lines(&run(&[]));
    // web-shop: Revenue's first intolerable rating (High) at 4 hours is the shortest of the
    // three categories (Regulatory's Moderate at 72 hours, Reputation's High at 8); the
    // highest data-value score, 35, is in the 26..=40 band.
    has(
        &out,
        "web-shop: RTO 4 Hours (Mission Critical), RPO 1 Hour (score 35), MTPD 1 d",
    );
    // order-fulfilment: Regulatory's Moderate at 8 hours; score 45: Immediately.
    has(
        &out,
        "order-fulfilment: RTO 8 Hours (Business Critical), RPO Immediately (score 45), MTPD 3 d",
    );
    // The primary database serves the shop (4 h) through the shop-db group.
    has(
        &out,
        "pg-primary: within 4 h for web-shop (Mission Critical)",
    );
    has(
        &out,
        "recovery time: pg-primary takes 6 h, web-shop needs it within 4 h",
    );
    has(
        &out,
        "data loss: wms-app loses up to 1 h, order-fulfilment accepts 0",
    );
    has(
        &out,
        "no recovery time: zendesk (customer-support-portal needs it within 3 d)",
    );
    // A zone: seven items lost, every redundancy group holds; pg-primary is rebuilt after
    // its VM (1 h + 6 h).
    has(&out, "7 lost, 7 down, 0 never back; all back after 7 h");
    // The data centre: power 4 h, switches 2 h, the WMS host 6 h, the WMS 4 h after its host
    // (12 h) and its VPN gateway (the firewall at 8 h, the gateway 1 h after, its peer in the
    // cloud back with it): 16 h against 8.
    has(
        &out,
        "order-fulfilment: MISSED, back after 16 h (RTO 8 h, late by 8 h)",
    );
    has(
        &out,
        "critical path: pdu-a -> rack-power -> core-sw-1 -> core-network -> wms-host -> wms-app -> order-fulfilment",
    );
    has(&out, "8 lost, 12 down, 0 never back; all back after 16 h");
    // Everything, after dependencies: the region (2 h), a zone (1 h), a database VM (1 h),
    // the replica (2 h: the primary would take 6 more), the catalogue application (1 h):
    // 7 h for the shop, against 4.
    has(
        &out,
        "web-shop: MISSED, back after 7 h (RTO 4 h, late by 3 h)",
    );
    has(
        &out,
        "customer-support-portal: NO RECOVERY TIME, waits on zendesk",
    );
    has(&out, "44 lost, 66 down, 2 never back; all back after 16 h");
    // Side by side: the longest RTA on each path (the region's 2 h; the WMS host's 6 h).
    has(&out, "web-shop: met, back after 2 h (RTO 4 h)");
    has(&out, "order-fulfilment: met, back after 6 h (RTO 8 h)");
}

#[test]
fn json_has_every_scenario() {
    let out = run(&["--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["assessments"].as_array().unwrap().len(), 4);
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 4);
    assert_eq!(v["scenarios"][1][1]["outcomes"][2]["back_after"], "PT16H");
    assert_eq!(v["gaps"]["no_rta"][0]["id"], "zendesk");
}

#[test]
fn bad_inputs_are_messages() {
    let out = run(&["nope.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("give both files"), "{err}");
    let out = run(&["nope.json", "nada.json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("continuity: cannot read nope.json"),
        "{err}"
    );
    // The plan file given as the topology: a message naming the file.
    let out = run(&[
        "examples/data/continuity/shop-plan.json",
        "examples/data/continuity/shop-plan.json",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a graph spec"), "{err}");
}
