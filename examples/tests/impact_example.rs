//! The sample online shop (`examples/data/shop-topology.json`) and the facts the `impact`
//! example prints about it, pinned: an edit to the topology or to itsm-graph that changes an
//! answer shows here first.
// clippy.toml allows `unwrap` inside `#[test]` functions only; the helpers here are test code too.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use itsm_graph::{Failure, Graph, GraphSpec, NodeKind, Resilience, Scenario, SeverityScale};

const TOPOLOGY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/shop-topology.json");
const DOWN: u8 = 4;
const AFFECTED: u8 = 3;

fn spec() -> GraphSpec {
    serde_json::from_str(&std::fs::read_to_string(TOPOLOGY).unwrap()).unwrap()
}

fn shop() -> Graph {
    Graph::from_spec(&spec()).unwrap()
}

fn business(graph: &Graph, scenario: &Scenario) -> BTreeMap<String, u8> {
    let impact = graph.impact(scenario).unwrap();
    [
        "web-shop",
        "mobile-app",
        "order-fulfilment",
        "customer-support-portal",
    ]
    .into_iter()
    .map(|s| (s.to_owned(), impact.severity(s).unwrap()))
    .collect()
}

fn levels(pairs: &[(&str, u8)]) -> BTreeMap<String, u8> {
    pairs.iter().map(|(s, l)| ((*s).to_owned(), *l)).collect()
}

#[test]
fn the_topology_has_its_size_scale_and_cycles() {
    let spec = spec();
    let graph = Graph::from_spec(&spec).unwrap();
    assert_eq!(
        (spec.nodes.len(), spec.groups.len(), graph.node_count()),
        (57, 9, 66)
    );
    // ServiceNow's four levels and holding level; the file does not turn on the preset's
    // redundancy and cluster rules (`redundancy_lowers`, `clusters_down`: opt-in fields).
    let servicenow = SeverityScale::servicenow();
    assert_eq!(spec.severity.levels, servicenow.levels);
    assert_eq!(spec.severity.group_holding, servicenow.group_holding);
    assert_eq!(
        (spec.severity.redundancy_lowers, spec.severity.clusters_down),
        (0, None)
    );
    let cycles: Vec<Vec<&str>> = graph
        .cycles()
        .iter()
        .map(|c| {
            let mut ids: Vec<&str> = c.iter().map(|n| graph.id(*n)).collect();
            ids.sort_unstable();
            ids
        })
        .collect();
    assert_eq!(
        cycles,
        vec![
            vec!["checkout-api", "payments-api"],
            vec!["vpn-cloud", "vpn-dc"]
        ]
    );
}

#[test]
fn every_record_is_owned_and_every_node_serves_a_business_service() {
    let spec = spec();
    let graph = Graph::from_spec(&spec).unwrap();
    for n in &spec.nodes {
        assert!(n.owner.is_some(), "{} has no owner", n.id);
        assert!((1..=3).contains(&n.tier), "{} has tier {}", n.id, n.tier);
        let radius = graph.blast_radius(&n.id).unwrap();
        assert!(
            radius
                .affected
                .iter()
                .any(|a| a.kind == NodeKind::BusinessService),
            "{} supports no business service",
            n.id
        );
    }
}

#[test]
fn the_db_primary_alone_degrades_the_shop_thanks_to_the_replica() {
    let graph = shop();
    let scenario = Scenario::outages(&["pg-primary"]);
    assert_eq!(
        business(&graph, &scenario),
        levels(&[
            ("web-shop", AFFECTED),
            ("mobile-app", AFFECTED),
            ("order-fulfilment", 0),
            ("customer-support-portal", AFFECTED),
        ])
    );
    let impact = graph.impact(&scenario).unwrap();
    let web = impact
        .explanations
        .iter()
        .find(|e| e.service == "web-shop")
        .unwrap();
    assert_eq!(web.path.first().map(String::as_str), Some("pg-primary"));
    let counts: Vec<(&str, u32, u32, u32, bool)> = web
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.failed, g.members, g.min_up, g.held))
        .collect();
    assert_eq!(counts, [("shop-db", 1, 2, 1, true)]);
    assert_eq!(
        web.groups[0].to_string(),
        "group `shop-db`: 1 of 2 members up, needs 1: holds"
    );
}

#[test]
fn the_payment_provider_alone_takes_checkout_and_both_shops_down() {
    let graph = shop();
    let scenario = Scenario::outages(&["payment-provider"]);
    let impact = graph.impact(&scenario).unwrap();
    assert_eq!(impact.severity("checkout-api"), Some(DOWN));
    assert_eq!(
        business(&graph, &scenario),
        levels(&[
            ("web-shop", DOWN),
            ("mobile-app", DOWN),
            ("order-fulfilment", 0),
            ("customer-support-portal", 0),
        ])
    );
    let web = impact
        .explanations
        .iter()
        .find(|e| e.service == "web-shop")
        .unwrap();
    assert_eq!(
        web.path,
        [
            "payment-provider",
            "payments-api",
            "checkout-api",
            "web-shop"
        ]
    );
    assert!(web.groups.is_empty());
}

#[test]
fn a_maintenance_mask_leaves_the_planned_outage_out() {
    let graph = shop();
    let both = Scenario::outages(&["pg-primary", "payment-provider"]);
    assert_eq!(
        graph.impact(&both).unwrap().severity("web-shop"),
        Some(DOWN)
    );
    let mut masked = both;
    masked.maintenance = vec!["payment-provider".into()];
    assert_eq!(
        graph.impact(&masked).unwrap(),
        graph.impact(&Scenario::outages(&["pg-primary"])).unwrap()
    );
}

#[test]
fn support_and_fulfilment_alarming_together_point_at_email() {
    let graph = shop();
    let candidates = graph
        .root_causes(&["customer-support-portal", "order-fulfilment"], 5, 200)
        .unwrap();
    let top: Vec<(&str, usize, usize)> = candidates
        .iter()
        .take(3)
        .map(|c| (c.id.as_str(), c.explains.len(), c.also_affects))
        .collect();
    assert_eq!(
        top,
        [("email", 2, 0), ("sendgrid", 2, 0), ("eu-west-1", 2, 2)]
    );
}

#[test]
fn a_core_switch_alone_only_degrades_fulfilment() {
    let graph = shop();
    let radius = graph.blast_radius("core-sw-1").unwrap();
    assert_eq!(radius.services(), levels(&[("order-fulfilment", AFFECTED)]));
    assert_eq!(
        radius.explanations[0].groups[0].to_string(),
        "group `core-network`: 1 of 2 members up, needs 1: holds"
    );
    // The VPN's far end is affected too: connects_to propagates both ways.
    assert_eq!(radius.severity("vpn-cloud"), Some(AFFECTED));
}

#[test]
fn the_web_shop_has_exactly_these_single_points_of_failure() {
    let graph = shop();
    assert_eq!(
        graph.single_points_of_failure("web-shop").unwrap(),
        [
            "api-gateway",
            "catalogue-api",
            "catalogue-app",
            "cdn",
            "checkout-api",
            "checkout-app",
            "dns",
            "eu-west-1",
            "gateway-app",
            "identity",
            "identity-app",
            "messaging",
            "orders-api",
            "orders-app",
            "payment-provider",
            "payments-api",
            "payments-app",
            "storefront",
        ]
    );
    // Redundancy holds for each zone: losing one leaves the shop up, degraded.
    for zone in ["eu-west-1a", "eu-west-1b", "eu-west-1c"] {
        let radius = graph.blast_radius(zone).unwrap();
        assert_eq!(radius.severity("web-shop"), Some(AFFECTED), "{zone}");
    }
}

#[test]
fn resilience_of_the_shop_and_of_the_warehouse_server() {
    let graph = shop();
    assert_eq!(
        graph.resilience("web-shop", 3, 50_000).unwrap(),
        Resilience::MinimumSet {
            size: 1,
            example: vec!["api-gateway".into()]
        }
    );
    assert_eq!(
        graph.resilience("wms-host", 3, 50_000).unwrap(),
        Resilience::MinimumSet {
            size: 2,
            example: vec!["core-sw-1".into(), "core-sw-2".into()]
        }
    );
}

#[test]
fn the_network_window_spares_the_shop_but_stops_fulfilment() {
    let graph = shop();
    let a = Scenario::outages(&["pg-primary", "api-1", "api-2", "payment-provider"]);
    let b = Scenario::new(
        ["core-sw-1", "fw-1", "kafka-1"]
            .into_iter()
            .map(Failure::outage)
            .collect(),
        &[],
    );
    let diff = graph.what_if(&a, &b).unwrap();
    assert!(
        diff.only_second
            .contains(&("order-fulfilment".into(), DOWN))
    );
    assert!(diff.changed.contains(&("web-shop".into(), DOWN, AFFECTED)));
    assert!(diff.only_first.iter().all(|(_, s)| *s == AFFECTED));
}

#[test]
fn the_example_runs_and_draws_its_pictures() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("impact-example");
    // The example writes into an existing folder only.
    std::fs::create_dir_all(&out).unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_impact"))
        .arg(TOPOLOGY)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(!stdout.contains("skipped"), "{stdout}");
    let svg_path = out.join("impact.svg").canonicalize().unwrap();
    let dot_path = out.join("impact.dot").canonicalize().unwrap();
    assert!(stdout.contains(&format!("svg: {}", svg_path.display())));
    assert!(stdout.contains(&format!("dot: {}", dot_path.display())));
    let svg = std::fs::read_to_string(svg_path).unwrap();
    assert!(svg.starts_with("<?xml") && svg.ends_with("</svg>\n"));
    assert_eq!(svg.matches("<g><title>").count(), 66, "one box per node");
    let dot = std::fs::read_to_string(dot_path).unwrap();
    assert!(dot.starts_with("digraph impact {") && dot.ends_with("}\n"));
    assert!(dot.contains("\"checkout-api\" -> \"payments-api\" [color=\"#b2182b\", dir=both"));
}

#[test]
fn a_missing_output_folder_is_an_error_and_nothing_is_created() {
    let missing = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("impact-missing-{}", std::process::id()));
    let out = missing.join("deeper");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_impact"))
        .arg(TOPOLOGY)
        .arg(&out)
        .output()
        .unwrap();
    assert!(!run.status.success());
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(
        stderr.contains("as the output folder") && stderr.contains("creates no folders"),
        "{stderr}"
    );
    assert!(!missing.exists(), "{} was created", missing.display());
}

/// The shop with a chain of 20,000 configuration items below `pg-primary` (a million in the
/// issue's release run: `cargo run --release -p itsm-examples --bin impact -- T.json OUT`):
/// every section answers as on the shop, and the picture is drawn around the incident.
#[test]
fn the_example_answers_the_shop_with_a_long_chain_below_its_database() {
    const CHAIN: usize = 20_000;
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("impact-chain");
    std::fs::create_dir_all(&dir).unwrap();
    let mut spec = spec();
    for i in 0..CHAIN {
        spec.nodes.push(itsm_graph::NodeSpec::new(
            &format!("chain-{i}"),
            NodeKind::ConfigurationItem,
            "vm",
        ));
        let (from, to) = if i == 0 {
            ("pg-primary".to_owned(), "chain-0".to_owned())
        } else {
            (format!("chain-{}", i - 1), format!("chain-{i}"))
        };
        spec.edges
            .push(itsm_graph::EdgeSpec::new(&from, &to, "depends_on"));
    }
    let topology = dir.join("topology.json");
    std::fs::write(&topology, serde_json::to_string(&spec).unwrap()).unwrap();
    let run = |topology: &Path| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_impact"))
            .arg(topology)
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        String::from_utf8(run.stdout).unwrap()
    };
    let long = run(&topology);
    assert!(!long.contains("skipped"), "{long}");
    for section in 1..=8 {
        assert!(
            long.contains(&format!("\n== {section}. ")),
            "section {section}: {long}"
        );
    }
    assert!(long.contains("31 of 20066 nodes drawn"), "{long}");
    // Sections 1 to 7 say what they say of the shop alone, but for the node count.
    let sections = |text: &str| -> String {
        let from = text.find("== 1.").unwrap();
        let to = text.find("== 8.").unwrap();
        text[from..to].replace(" of 20066 nodes", " of 66 nodes")
    };
    assert_eq!(sections(&long), sections(&run(Path::new(TOPOLOGY))));
}
