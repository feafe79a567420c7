//! `costs` on the shop topology: the lines below were worked out by hand from
//! `examples/data/shop-topology.json`, `examples/data/cost/shop-costs.json` and the rules in
//! docs/cost.md. Bad inputs are messages, not panics.
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
    common::run(env!("CARGO_BIN_EXE_costs"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("costs", out)
}

#[test]
fn the_bundled_costs_show_each_rule() {
    let out = lines(&run(&[]));
    // checkout-api and payments-api depend on each other: refused by default...
    has(
        &out,
        "cycles refused: cost would go round a cycle forever: `checkout-api` -> `payments-api` -> `checkout-api`; leave one of its relationships out of the relationship paths",
    );
    // ... and pooled as the file's policy asks: out by web-shop's and mobile-app's paths.
    has(
        &out,
        "cycles pooled: checkout-api + payments-api: 6,153.81 out by 2 paths",
    );
    // The region's 1,200.00 of data transfer goes a quarter each to three zones and the cloud
    // VPN gateway; its only consumer link (connects_to) is left out of the paths: 36.00 of its
    // own and 300.00 stranded.
    has(&out, "vpn-cloud 336.00 (1 own line(s), the rest inherited)");
    // The warehouse app: its licence 3,000.00, an eighth of Dublin's 2,750.00 (343.75), the
    // WMS host (343.75 + a fifth of the rack power 137.50 + half the core network 601.25),
    // the DC VPN gateway (343.75 + 137.50 + the firewall 1,202.50) and a third of messaging
    // (625.00 of Kafka, the extra cent to email): 6,318.33. Plus DHL and half of email.
    has(
        &out,
        "order-fulfilment 7,372.50 (largest inputs: wms-app 6,318.33, carrier-api 800.00, email 254.17)",
    );
    // Logistics uses all 10 units of order-fulfilment: all of it, both months.
    has(
        &out,
        "Logistics 7,372.50 (order-fulfilment 10 units 7,372.50)",
    );
    // 14,745.00 in 61 of the quarter's 92 days: 14,745.00 x 92 / 61 = 22,238.36.
    has(
        &out,
        "Logistics Q4: planned 30,000.00, actual 14,745.00 (2026-10, 2026-11), remaining 15,255.00, projected 22,238.36 (61 of 92 days)",
    );
    // October: the recurring costs only.
    has(
        &out,
        "month 2026-10: entered 22,796.00; at services 22,460.00; stranded 336.00; allocated 21,125.96; unallocated 1,334.04",
    );
    // November's tasks: two P1 incidents at the flat 150.00; the emergency change's time,
    // Ann's two entries grouped (90 minutes at the network engineers' 90.00), Bob with no
    // labour rate card at the card's default 250.00 for 45 minutes; the P3 incident unpriced.
    has(
        &out,
        "task costs, 2026-11: 4 line(s), 622.50 (no rate card for INC0003)",
    );
    has(
        &out,
        "CHG0001 on lb-1: Change Request (emergency), 135.00: ann 90 min at 90.00 an hour",
    );
    has(
        &out,
        "CHG0001 on lb-1: Change Request (emergency), 187.50: bob 45 min at 250.00 an hour (the default)",
    );
    // They all reach services: November's 24,796.00 (the 2,000.00 CDN burst included) +
    // 622.50 = 25,418.50. What services keep is allocated or left unallocated: 23,584.08 +
    // 1,498.42 = 25,082.50.
    has(
        &out,
        "month 2026-11: entered 25,418.50; at services 25,082.50; stranded 336.00; allocated 23,584.08; unallocated 1,498.42",
    );
    // The support portal: its 3,442.71 and INC0001's 150.00 on Zendesk.
    has(
        &out,
        "customer-support-portal 3,592.71 (largest inputs: zendesk 2,550.00, orders-api 477.08, identity 311.46)",
    );
    has(
        &out,
        "conserved, 2026-11: entered 25,418.50 = at services 25,082.50 + stranded 336.00 + undistributed 0.00: yes",
    );
}

#[test]
fn bad_inputs_are_messages() {
    let out = run(&["/nonexistent/t.json", "/nonexistent/c.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("costs: cannot read /nonexistent/t.json"),
        "{err}"
    );
    let out = run(&["only-one.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: costs"));
}
