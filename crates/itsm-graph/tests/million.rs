//! Every query on a long chain, and on the sample shop with such a chain below its
//! database, each run on a thread with a 256 kB stack: a query whose recursion followed the
//! chain would overflow it and abort the test binary (loudly), and a query that grew
//! quadratically would not finish in the time of `cargo test`.
//!
//! The chain is `c0 <- c1 <- ... <- c{N-1}` (`c{i}` depends on `c{i+1}`: a failure travels
//! up to `c0`, a business service); every (N/10)th node is a technical service. N is
//! 100,000 by default, so that the debug test run stays within seconds (a million nodes
//! take about 25 s there, most of it building the graphs); `ITSM_GRAPH_MILLION=1` runs a
//! million (CI does, in release: `ITSM_GRAPH_MILLION=1 cargo test --release -p itsm-graph
//! --test million`). Root causes search the 100 nearest nodes: each candidate is a
//! traversal of its own, and that bound is the caller's.
#![cfg(feature = "serde")]
// Test code: a failed unwrap is a failed test, with its message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::sync::OnceLock;

use itsm_graph::{
    Alarm, EdgeSpec, Graph, GraphBuilder, GraphEdit, GraphSpec, MaintenanceRule, NodeKind,
    NodeSpec, Propagation, RelationSpec, Resilience, RootCauseQuery, Scenario, SeverityScale,
    WhatIf,
};

/// The chain's length (see the file's documentation).
#[allow(
    clippy::disallowed_methods,
    reason = "a developer switch for the full-size run, read by the test only"
)]
fn n() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| {
        if std::env::var_os("ITSM_GRAPH_MILLION").is_some_and(|v| v == "1") {
            1_000_000
        } else {
            100_000
        }
    })
}
const STACK: usize = 256 * 1024;

/// Runs `f` on a thread with a 256 kB stack and returns what it returns (a panic there is
/// this test's panic; a stack overflow aborts the binary).
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .unwrap()
        .join()
    {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

fn kind_of(i: usize) -> NodeKind {
    match i {
        0 => NodeKind::BusinessService,
        i if i % (n() / 10) == 0 => NodeKind::TechnicalService,
        _ => NodeKind::ConfigurationItem,
    }
}

/// The chain, built once for every test of this file (on a small stack too: the builder
/// does not recurse either).
fn chain() -> &'static Graph {
    static CHAIN: OnceLock<Graph> = OnceLock::new();
    CHAIN.get_or_init(|| {
        small_stack(|| {
            let n = n();
            let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
            b.reserve(n, n);
            let dep = b
                .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
                .unwrap();
            let mut spec = NodeSpec::new("", NodeKind::ConfigurationItem, "host");
            for i in 0..n {
                spec.id = format!("c{i}");
                spec.kind = kind_of(i);
                b.node(&spec).unwrap();
            }
            for i in 0..n - 1 {
                let (a, z) = (b.node_at(i).unwrap(), b.node_at(i + 1).unwrap());
                b.edge(a, z, dep).unwrap();
            }
            b.build().unwrap()
        })
    })
}

fn shop_spec() -> GraphSpec {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/shop-topology.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The sample shop with a chain of [`n`] configuration items below `pg-primary`
/// (`pg-primary` depends on `chain-0`, which depends on `chain-1`, ...).
fn shop_with_chain() -> &'static (Graph, Graph) {
    static SHOP: OnceLock<(Graph, Graph)> = OnceLock::new();
    SHOP.get_or_init(|| {
        small_stack(|| {
            let n = n();
            let plain = shop_spec();
            let mut spec = plain.clone();
            spec.nodes.reserve(n);
            spec.edges.reserve(n);
            for i in 0..n {
                spec.nodes.push(NodeSpec::new(
                    &format!("chain-{i}"),
                    NodeKind::ConfigurationItem,
                    "vm",
                ));
            }
            spec.edges
                .push(EdgeSpec::new("pg-primary", "chain-0", "depends_on"));
            for i in 0..n - 1 {
                spec.edges.push(EdgeSpec::new(
                    &format!("chain-{i}"),
                    &format!("chain-{}", i + 1),
                    "depends_on",
                ));
            }
            (
                Graph::from_spec(&plain).unwrap(),
                Graph::from_spec(&spec).unwrap(),
            )
        })
    })
}

fn last() -> String {
    format!("c{}", n() - 1)
}

// ---------------------------------------------------------------------------------------------
// The chain

#[test]
fn cycles_of_a_million_long_chain() {
    small_stack(|| assert!(chain().cycles().is_empty()));
}

#[test]
fn impact_and_explanation_of_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        let n = n();
        let report = g.impact(&Scenario::outages(&[&last()])).unwrap();
        assert_eq!(report.affected.len(), n);
        assert!(report.affected.iter().all(|a| a.severity == 2));
        assert_eq!(report.explanations.len(), 1);
        let path = &report.explanations[0].path;
        assert_eq!(path.len(), n);
        assert_eq!(
            (path[0].as_str(), path[n - 1].as_str()),
            (last().as_str(), "c0")
        );
    });
}

#[test]
fn blast_radius_of_a_million_long_chain() {
    small_stack(|| {
        let half = n() / 2;
        let radius = chain().blast_radius(&format!("c{half}")).unwrap();
        assert_eq!(radius.affected.len(), half + 1);
        assert_eq!(radius.explanations[0].path.len(), half + 1);
        assert_eq!(radius.services().len(), 6, "c0 and five technical services");
    });
}

#[test]
fn workspace_runs_on_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        let mut ws = g.workspace();
        let bottom = g.node(&last()).unwrap();
        let view = ws.run(&[(bottom, 1)], &[]).unwrap();
        assert_eq!(view.count(), n());
        let top = g.node("c0").unwrap();
        assert_eq!(view.severity(top), 1);
        assert_eq!(view.via(top), Some(g.node("c1").unwrap()));
    });
}

#[test]
fn root_causes_on_a_million_long_chain() {
    small_stack(|| {
        let causes = chain().root_causes(&["c0"], 5, 100).unwrap();
        let ids: Vec<&str> = causes.iter().map(|c| c.id.as_str()).collect();
        // Every candidate explains c0 and nothing else: by id (c1 .. c100 searched).
        assert_eq!(ids, ["c0", "c1", "c10", "c100", "c11"]);
        assert_eq!(
            chain().root_causes(&["c0"], usize::MAX, 100).unwrap().len(),
            101
        );
        assert!(causes.iter().all(|c| c.also_affects == 0));
        // From the bottom: nothing upstream, the alarm explains itself.
        let causes = chain().root_causes(&[&last()], 5, 100).unwrap();
        assert_eq!(causes.len(), 1);
        assert_eq!(causes[0].also_affects, 1);
    });
}

#[test]
fn single_points_of_failure_of_a_million_long_chain() {
    small_stack(|| {
        let n = n();
        let spofs = chain().single_points_of_failure("c0").unwrap();
        assert_eq!(spofs.len(), n - 1);
        // By id: c1 first, the last node (n is a power of ten: nines) last.
        assert!(spofs.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            (spofs[0].as_str(), spofs[n - 2].as_str()),
            ("c1", last().as_str())
        );
        assert!(
            chain()
                .single_points_of_failure(&last())
                .unwrap()
                .is_empty()
        );
    });
}

#[test]
fn resilience_of_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        assert_eq!(
            g.resilience("c0", 3, 50_000).unwrap(),
            Resilience::MinimumSet {
                size: 1,
                example: vec!["c1".into()]
            }
        );
        assert_eq!(
            g.resilience(&last(), 3, 50_000).unwrap(),
            Resilience::Unbreakable
        );
    });
}

#[test]
fn what_if_on_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        let diff = g
            .what_if(
                &Scenario::outages(&[&last()]),
                &Scenario::outages(&[&format!("c{}", n() / 2)]),
            )
            .unwrap();
        let only: Vec<&str> = diff.only_first.iter().map(|(id, _)| id.as_str()).collect();
        let tenth = n() / 10;
        let below: Vec<String> = (6..10).map(|k| format!("c{}", k * tenth)).collect();
        assert_eq!(only, below, "technical services below the middle");
        assert!(diff.only_second.is_empty() && diff.changed.is_empty());
        assert_eq!(
            g.what_if(&Scenario::default(), &Scenario::default()),
            Ok(WhatIf::default())
        );
    });
}

// ---------------------------------------------------------------------------------------------
// The shop with a million-long chain below its database: every answer of the sample shop
// stands, and the chain adds what it should.

#[test]
fn the_shop_with_a_chain_below_its_database_answers_as_the_shop() {
    small_stack(|| {
        let (plain, g) = shop_with_chain();
        assert_eq!(g.node_count(), plain.node_count() + n());
        let named = |g: &Graph| -> Vec<Vec<String>> {
            g.cycles()
                .iter()
                .map(|c| c.iter().map(|n| g.id(*n).to_owned()).collect())
                .collect()
        };
        assert_eq!(named(g), named(plain));
        let incident = Scenario::outages(&["pg-primary", "payment-provider"]);
        assert_eq!(g.impact(&incident), plain.impact(&incident));
        for service in ["web-shop", "mobile-app", "order-fulfilment", "wms-host"] {
            assert_eq!(
                g.single_points_of_failure(service),
                plain.single_points_of_failure(service),
                "{service}"
            );
            assert_eq!(
                g.resilience(service, 3, 50_000),
                plain.resilience(service, 3, 50_000),
                "{service}"
            );
        }
        let a = Scenario::outages(&["pg-primary", "api-1", "api-2", "payment-provider"]);
        let b = Scenario::outages(&["core-sw-1", "fw-1", "kafka-1"]);
        assert_eq!(g.what_if(&a, &b), plain.what_if(&a, &b));
        let alarms = ["customer-support-portal", "order-fulfilment"];
        let top = |g: &Graph| -> Vec<(String, usize, usize)> {
            g.root_causes(&alarms, 3, 200)
                .unwrap()
                .into_iter()
                .map(|c| (c.id, c.explains.len(), c.also_affects))
                .collect()
        };
        assert_eq!(top(g), top(plain));
    });
}

#[test]
fn the_chain_below_the_database_fails_like_the_database() {
    small_stack(|| {
        let (plain, g) = shop_with_chain();
        let n = n();
        let bottom = format!("chain-{}", n - 1);
        let radius = g.blast_radius(&bottom).unwrap();
        assert_eq!(
            radius.services(),
            plain.blast_radius("pg-primary").unwrap().services()
        );
        assert_eq!(
            radius.affected.len(),
            n + plain.blast_radius("pg-primary").unwrap().affected.len()
        );
        let web = radius
            .explanations
            .iter()
            .find(|e| e.service == "web-shop")
            .unwrap();
        assert_eq!(web.path.first(), Some(&bottom));
        assert!(web.path.len() > n);
        // The chain's nodes are single points of failure of the database, not of the shop
        // (the replica holds), and the database survives any one failure but one of its
        // own chain.
        let spofs = g.single_points_of_failure("pg-primary").unwrap();
        assert_eq!(
            spofs.len(),
            n + plain.single_points_of_failure("pg-primary").unwrap().len()
        );
        assert_eq!(
            g.resilience("shop-db", 3, 50_000).unwrap(),
            plain.resilience("shop-db", 3, 50_000).unwrap()
        );
    });
}

// ---------------------------------------------------------------------------------------------
// Issue 21's queries on the chain: maintenance rules, root causes and single points of
// failure during maintenance, what-if over graph edits.

#[test]
fn maintenance_rules_on_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        let n = n();
        let middle = format!("c{}", n / 2);
        // Excluded: the failure stops at the node in maintenance.
        let scenario = Scenario::new(vec![itsm_graph::Failure::outage(&last())], &[&middle]);
        let report = g.impact(&scenario).unwrap();
        assert_eq!(report.affected.len(), n - n / 2 - 1);
        assert_eq!(g.severity_in(&report, "c0"), Ok(0));
        // HidesParents: the node in maintenance hides everything above it (one walk).
        let mut hidden = Scenario::new(vec![itsm_graph::Failure::outage("c1")], &[&last()]);
        hidden.maintenance_rule = MaintenanceRule::HidesParents;
        assert!(g.impact(&hidden).unwrap().affected.is_empty());
    });
}

#[test]
fn root_causes_and_single_points_during_maintenance_on_a_million_long_chain() {
    small_stack(|| {
        let g = chain();
        let n = n();
        let middle = format!("c{}", n / 2);
        let mut q = RootCauseQuery::new(vec![Alarm::outage("c0")], 5, 100);
        q.maintenance = vec![last()];
        q.maintenance_rule = MaintenanceRule::HidesParents;
        assert!(g.root_causes_for(&q).unwrap().is_empty());
        q.maintenance = vec!["c50".into()];
        q.maintenance_rule = MaintenanceRule::Excluded;
        // c1 .. c49 and c0 itself explain the alarm; c50 is in maintenance, c51 .. cut off.
        assert_eq!(g.root_causes_for(&q).unwrap().len(), 5);
        q.limit = usize::MAX;
        assert_eq!(g.root_causes_for(&q).unwrap().len(), 50);
        let spofs = g
            .single_points_of_failure_during("c0", &[&middle], MaintenanceRule::LostCapacity)
            .unwrap();
        assert_eq!(spofs.len(), n / 2 - 1);
    });
}

#[test]
fn what_if_over_edits_of_a_million_long_chain() {
    small_stack(|| {
        let n = n();
        let mut spec = GraphSpec::new(
            vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
            (0..n)
                .map(|i| NodeSpec::new(&format!("c{i}"), kind_of(i), "host"))
                .collect(),
            vec![],
            (0..n - 1)
                .map(|i| EdgeSpec::new(&format!("c{i}"), &format!("c{}", i + 1), "depends_on"))
                .collect(),
        );
        spec.severity = SeverityScale::outage_degraded();
        let cut = EdgeSpec::new(
            &format!("c{}", n / 2),
            &format!("c{}", n / 2 + 1),
            "depends_on",
        );
        let diff = spec
            .what_if_edited(
                &[GraphEdit::RemoveEdge(cut)],
                &Scenario::outages(&[&last()]),
            )
            .unwrap();
        let lost: Vec<&str> = diff.only_first.iter().map(|(id, _)| id.as_str()).collect();
        let tenth = n / 10;
        let above: Vec<String> = (0..6).map(|k| format!("c{}", k * tenth)).collect();
        assert_eq!(lost, above, "the services at or above the cut");
        assert!(diff.only_second.is_empty() && diff.changed.is_empty());
    });
}
