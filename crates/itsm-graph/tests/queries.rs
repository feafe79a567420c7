//! Every query pinned on small hand-made graphs, where the answer can be worked out by hand.
// Tests unwrap results they have just checked and index vectors they have just built.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_graph::{
    Candidate, EdgeSpec, Error, Failure, Graph, GraphBuilder, GraphSpec, GroupCount, GroupSpec,
    ImpactReport, MinUp, NamedIn, NodeId, NodeKind, NodeSpec, Propagation, RelationSpec,
    Resilience, Scenario, SeverityScale, WhatIf,
};

// ---------------------------------------------------------------------------------------------
// Building specs by hand

fn relations() -> Vec<RelationSpec> {
    vec![
        RelationSpec::new("depends_on", Propagation::ToFrom),
        RelationSpec::new("runs_on", Propagation::ToFrom),
        RelationSpec::new("hosts", Propagation::FromTo),
        RelationSpec::new("link", Propagation::Both),
    ]
}

fn node(id: &str, kind: NodeKind) -> NodeSpec {
    NodeSpec::new(id, kind, "ci")
}

fn bs(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::BusinessService, "service")
}

fn ts(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::TechnicalService, "service")
}

fn ci(id: &str) -> NodeSpec {
    node(id, NodeKind::ConfigurationItem)
}

fn spec(nodes: Vec<NodeSpec>, groups: Vec<GroupSpec>, edges: Vec<EdgeSpec>) -> GraphSpec {
    GraphSpec::new(relations(), nodes, groups, edges)
}

/// The online shop:
///
/// ```text
/// shop --depends_on--> web-farm {web-1, web-2, web-3; 2 must be up}
/// shop --depends_on--> sso --depends_on--> db --runs_on--> san
/// payroll --depends_on--> sso, db
/// reports --depends_on--> db
/// hv --hosts--> web-1, web-2
/// ```
fn shop_spec(farm: MinUp) -> GraphSpec {
    spec(
        vec![
            bs("shop"),
            bs("payroll"),
            bs("reports"),
            ts("sso"),
            ci("web-1"),
            ci("web-2"),
            ci("web-3"),
            ci("db"),
            ci("san"),
            ci("hv"),
        ],
        vec![GroupSpec::new(
            "web-farm",
            &["web-1", "web-2", "web-3"],
            farm,
        )],
        vec![
            EdgeSpec::new("shop", "web-farm", "depends_on"),
            EdgeSpec::new("shop", "sso", "depends_on"),
            EdgeSpec::new("payroll", "sso", "depends_on"),
            EdgeSpec::new("payroll", "db", "depends_on"),
            EdgeSpec::new("sso", "db", "depends_on"),
            EdgeSpec::new("reports", "db", "depends_on"),
            EdgeSpec::new("db", "san", "runs_on"),
            EdgeSpec::new("hv", "web-1", "hosts"),
            EdgeSpec::new("hv", "web-2", "hosts"),
        ],
    )
}

fn shop() -> Graph {
    Graph::from_spec(&shop_spec(MinUp::Count(2))).unwrap()
}

fn affected(impact: &ImpactReport) -> Vec<(&str, u8)> {
    impact
        .affected
        .iter()
        .map(|a| (a.id.as_str(), a.severity))
        .collect()
}

/// A group's counts as plain values: group, failed, members, min_up, held.
type Counts<'a> = (&'a str, u32, u32, u32, bool);

fn counts(groups: &[GroupCount]) -> Vec<Counts<'_>> {
    groups
        .iter()
        .map(|g| (g.group.as_str(), g.failed, g.members, g.min_up, g.held))
        .collect()
}

/// Each explanation as plain values: service, severity, path, group counts.
fn explained(impact: &ImpactReport) -> Vec<(&str, u8, Vec<&str>, Vec<Counts<'_>>)> {
    impact
        .explanations
        .iter()
        .map(|e| {
            let path = e.path.iter().map(String::as_str).collect();
            (e.service.as_str(), e.severity, path, counts(&e.groups))
        })
        .collect()
}

fn unknown(id: &str) -> Error {
    Error::UnknownNode {
        id: id.into(),
        named_in: NamedIn::Query,
    }
}

fn path(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|i| (*i).to_owned()).collect()
}

// ---------------------------------------------------------------------------------------------
// Impact and explanations

#[test]
fn one_web_server_down_degrades_the_shop_through_a_holding_farm() {
    let impact = shop().impact(&Scenario::outages(&["web-1"])).unwrap();
    let full: Vec<(&str, NodeKind, u8, &str)> = impact
        .affected
        .iter()
        .map(|a| (a.id.as_str(), a.kind, a.severity, a.severity_name.as_str()))
        .collect();
    assert_eq!(
        full,
        vec![
            ("shop", NodeKind::BusinessService, 1, "degraded"),
            ("web-1", NodeKind::ConfigurationItem, 2, "outage"),
            ("web-farm", NodeKind::Group, 1, "degraded"),
        ]
    );
    assert_eq!(
        explained(&impact),
        vec![(
            "shop",
            1,
            vec!["web-1", "web-farm", "shop"],
            vec![("web-farm", 1, 3, 2, true)]
        )]
    );
    assert_eq!(
        impact.explanations[0].groups[0].to_string(),
        "group `web-farm`: 2 of 3 members up, needs 2: holds"
    );
    assert_eq!(impact.severity("shop"), Some(1));
    assert_eq!(impact.severity("payroll"), Some(0));
    assert_eq!(impact.severity("web-2"), Some(0));
    // An id the graph does not have is not "unaffected".
    assert_eq!(impact.severity("no-such-node"), None);
    assert_eq!(impact.severity(""), None);
}

#[test]
fn the_hypervisor_takes_two_web_servers_and_the_farm_fails() {
    let impact = shop().impact(&Scenario::outages(&["hv"])).unwrap();
    assert_eq!(
        affected(&impact),
        vec![
            ("shop", 2),
            ("web-1", 2),
            ("web-2", 2),
            ("hv", 2),
            ("web-farm", 2)
        ]
    );
    // web-1 is counted first (the farm holds), web-2 second takes the farm down: the path
    // goes through the member that made the difference.
    assert_eq!(
        explained(&impact),
        vec![(
            "shop",
            2,
            vec!["hv", "web-2", "web-farm", "shop"],
            vec![("web-farm", 2, 3, 2, false)]
        )]
    );
    assert_eq!(
        impact.explanations[0].groups[0].to_string(),
        "group `web-farm`: 1 of 3 members up, needs 2: fails"
    );
}

#[test]
fn explanations_are_by_service_id_with_a_path_from_the_failed_node() {
    let impact = shop().impact(&Scenario::outages(&["san"])).unwrap();
    assert_eq!(
        affected(&impact),
        vec![
            ("shop", 2),
            ("payroll", 2),
            ("reports", 2),
            ("sso", 2),
            ("db", 2),
            ("san", 2)
        ]
    );
    let explained: Vec<(&str, Vec<String>)> = impact
        .explanations
        .iter()
        .map(|e| (e.service.as_str(), e.path.clone()))
        .collect();
    assert_eq!(
        explained,
        vec![
            ("payroll", path(&["san", "db", "payroll"])),
            ("reports", path(&["san", "db", "reports"])),
            ("shop", path(&["san", "db", "sso", "shop"])),
        ]
    );
    assert!(impact.explanations.iter().all(|e| e.groups.is_empty()));
    // Services, business and technical, by id.
    let services: Vec<(String, u8)> = impact.services().into_iter().collect();
    assert_eq!(
        services,
        vec![
            ("payroll".to_owned(), 2),
            ("reports".to_owned(), 2),
            ("shop".to_owned(), 2),
            ("sso".to_owned(), 2)
        ]
    );
}

#[test]
fn a_failed_business_service_explains_itself() {
    let impact = shop().impact(&Scenario::outages(&["reports"])).unwrap();
    assert_eq!(affected(&impact), vec![("reports", 2)]);
    assert_eq!(
        explained(&impact),
        vec![("reports", 2, vec!["reports"], vec![])]
    );
}

#[test]
fn the_worst_of_several_seeds_wins_and_an_empty_scenario_affects_nothing() {
    let graph = shop();
    let scenario = Scenario::new(
        vec![
            Failure::at("db", 1),
            Failure::at("db", 2),
            Failure::at("san", 1),
        ],
        &[],
    );
    let impact = graph.impact(&scenario).unwrap();
    assert_eq!(
        affected(&impact),
        vec![
            ("shop", 2),
            ("payroll", 2),
            ("reports", 2),
            ("sso", 2),
            ("db", 2),
            ("san", 1)
        ]
    );
    // The path starts at the seed that set the level, not at the lesser one upstream.
    assert_eq!(impact.explanations[0].path, path(&["db", "payroll"]));
    let nothing = graph.impact(&Scenario::default()).unwrap();
    assert!(nothing.affected.is_empty());
    assert!(nothing.explanations.is_empty());
}

#[test]
fn impact_is_the_same_when_asked_twice_and_blast_radius_is_a_lone_outage() {
    let graph = shop();
    let once = graph.impact(&Scenario::outages(&["db"])).unwrap();
    assert_eq!(graph.impact(&Scenario::outages(&["db"])).unwrap(), once);
    let blast = graph.blast_radius("db").unwrap();
    assert_eq!(blast, once);
    assert_eq!(
        affected(&blast),
        vec![
            ("shop", 2),
            ("payroll", 2),
            ("reports", 2),
            ("sso", 2),
            ("db", 2)
        ]
    );
    let paths: Vec<Vec<String>> = blast.explanations.iter().map(|e| e.path.clone()).collect();
    assert_eq!(
        paths,
        vec![
            path(&["db", "payroll"]),
            path(&["db", "reports"]),
            path(&["db", "sso", "shop"])
        ]
    );
    assert_eq!(
        graph.blast_radius("web-3").map(|i| affected(&i).len()),
        Ok(3)
    );
    assert_eq!(graph.blast_radius("nope"), Err(unknown("nope")));
}

// ---------------------------------------------------------------------------------------------
// Severity scales

/// `app` depends on a farm of two (one must be up) and on a cache directly.
fn two_server_spec(severity: SeverityScale) -> GraphSpec {
    let mut s = spec(
        vec![bs("app"), ci("w1"), ci("w2"), ci("cache")],
        vec![GroupSpec::new("farm", &["w1", "w2"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("app", "farm", "depends_on"),
            EdgeSpec::new("app", "cache", "depends_on"),
        ],
    );
    s.severity = severity;
    s
}

fn app_level(graph: &Graph, failed: Vec<Failure>) -> (u8, String) {
    let impact = graph.impact(&Scenario::new(failed, &[])).unwrap();
    let app = impact.affected.iter().find(|a| a.id == "app");
    app.map_or((0, String::new()), |a| {
        (a.severity, a.severity_name.clone())
    })
}

#[test]
fn servicenow_levels_a_redundant_path_lowers_the_severity_by_one() {
    let graph = Graph::from_spec(&two_server_spec(SeverityScale::servicenow())).unwrap();
    assert_eq!(graph.outage(), 4);
    assert_eq!(graph.severity_scale(), &SeverityScale::servicenow());
    let outage = Failure::outage;
    // One member down (100%): the farm holds at 60%.
    assert_eq!(
        app_level(&graph, vec![outage("w1")]),
        (3, "affected (60%)".to_owned())
    );
    // A member impaired at 40%: the farm reports one level lower (ServiceNow's redundancy
    // rule), 20%.
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 2)]),
        (1, "impaired (20%)".to_owned())
    );
    // A member at 20%: there is no lower level, the farm stays at 20%.
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 1)]),
        (1, "impaired (20%)".to_owned())
    );
    // Both impaired, none down: the worst member's level, one level lower.
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 1), Failure::at("w2", 3)]),
        (2, "impaired (40%)".to_owned())
    );
    // One down and one impaired: one failure is not enough to take the farm down.
    assert_eq!(
        app_level(&graph, vec![outage("w1"), Failure::at("w2", 1)]),
        (3, "affected (60%)".to_owned())
    );
    // Both down.
    assert_eq!(
        app_level(&graph, vec![outage("w1"), outage("w2")]),
        (4, "down (100%)".to_owned())
    );
    // A dependency without redundancy passes its level on as it is.
    assert_eq!(
        app_level(&graph, vec![Failure::at("cache", 1)]),
        (1, "impaired (20%)".to_owned())
    );
    assert_eq!(
        app_level(&graph, vec![outage("cache")]),
        (4, "down (100%)".to_owned())
    );
}

#[test]
fn group_holding_is_the_level_a_group_that_lost_members_reports() {
    let scale = SeverityScale::new(&["minor", "major", "critical"], 1);
    let graph = Graph::from_spec(&two_server_spec(scale)).unwrap();
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 3)]),
        (1, "minor".into())
    );
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 3), Failure::at("w2", 3)]),
        (3, "critical".into())
    );
    // A one-level scale: every failure is an outage, and a holding group too.
    let single = SeverityScale::new(&["down"], 1);
    let graph = Graph::from_spec(&two_server_spec(single)).unwrap();
    assert_eq!(
        app_level(&graph, vec![Failure::at("w1", 1)]),
        (1, "down".into())
    );
}

// ---------------------------------------------------------------------------------------------
// Maintenance masks

fn in_maintenance(failed: &[&str], maintenance: &[&str]) -> Scenario {
    let failed = failed.iter().map(|id| Failure::outage(id)).collect();
    Scenario::new(failed, maintenance)
}

#[test]
fn a_seed_in_maintenance_is_ignored() {
    let impact = shop().impact(&in_maintenance(&["db"], &["db"])).unwrap();
    assert!(impact.affected.is_empty(), "{impact:?}");
    // Another seed still counts.
    let impact = shop()
        .impact(&in_maintenance(&["db", "web-3"], &["db"]))
        .unwrap();
    assert_eq!(
        affected(&impact),
        vec![("shop", 1), ("web-3", 2), ("web-farm", 1)]
    );
}

#[test]
fn a_node_in_maintenance_blocks_propagation_through_it() {
    let graph = shop();
    let impact = graph.impact(&in_maintenance(&["san"], &["db"])).unwrap();
    assert_eq!(affected(&impact), vec![("san", 2)]);
    // Only what depends on sso only through sso is spared: payroll and reports still see db.
    let impact = graph.impact(&in_maintenance(&["san"], &["sso"])).unwrap();
    assert_eq!(
        affected(&impact),
        vec![("payroll", 2), ("reports", 2), ("db", 2), ("san", 2)]
    );
    assert_eq!(
        impact
            .explanations
            .iter()
            .map(|e| e.service.as_str())
            .collect::<Vec<_>>(),
        vec!["payroll", "reports"]
    );
}

#[test]
fn a_member_in_maintenance_counts_as_up_and_a_group_in_maintenance_blocks() {
    let graph = shop();
    let impact = graph.impact(&in_maintenance(&["hv"], &["web-2"])).unwrap();
    assert_eq!(
        affected(&impact),
        vec![("shop", 1), ("web-1", 2), ("hv", 2), ("web-farm", 1)]
    );
    assert_eq!(
        counts(&impact.explanations[0].groups),
        vec![("web-farm", 1, 3, 2, true)]
    );
    let impact = graph
        .impact(&in_maintenance(&["hv"], &["web-farm"]))
        .unwrap();
    assert_eq!(
        affected(&impact),
        vec![("web-1", 2), ("web-2", 2), ("hv", 2)]
    );
}

// ---------------------------------------------------------------------------------------------
// Root causes

#[test]
fn root_causes_rank_by_explained_then_fewest_other_services_then_id() {
    let graph = shop();
    let ranked = graph.root_causes(&["shop", "payroll"], 100, 100).unwrap();
    let plain = |candidates: &[Candidate]| -> Vec<(String, Vec<String>, usize)> {
        candidates
            .iter()
            .map(|c| (c.id.clone(), c.explains.clone(), c.also_affects))
            .collect()
    };
    let candidate = |id: &str, explains: &[&str], also_affects: usize| {
        (id.to_owned(), path(explains), also_affects)
    };
    assert_eq!(
        plain(&ranked),
        vec![
            // sso explains both and nothing else; db and san also take reports down.
            candidate("sso", &["payroll", "shop"], 0),
            candidate("db", &["payroll", "shop"], 1),
            candidate("san", &["payroll", "shop"], 1),
            // One each, by id. A web server's outage only degrades the shop (its farm
            // holds): it does not explain the shop's (outage) alarm.
            candidate("hv", &["shop"], 0),
            candidate("payroll", &["payroll"], 0),
            candidate("shop", &["shop"], 0),
        ]
    );
    assert_eq!(
        graph.root_causes(&["shop", "payroll"], 3, 100).unwrap(),
        ranked[..3].to_vec()
    );
    // The alarms' order and repeats change nothing.
    assert_eq!(
        graph
            .root_causes(&["payroll", "shop", "payroll"], 100, 100)
            .unwrap(),
        ranked
    );
    assert!(graph.root_causes(&["shop"], 0, 100).unwrap().is_empty());
}

#[test]
fn root_causes_search_only_the_nearest_upstream_nodes() {
    let graph = shop();
    // Nearest first from the alarms: sso, web-farm (a group, never a candidate), db, ...
    let ids = |search: usize| -> Vec<String> {
        graph
            .root_causes(&["shop", "payroll"], 100, search)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(ids(0), path(&["payroll", "shop"]));
    assert_eq!(ids(1), path(&["sso", "payroll", "shop"]));
    assert_eq!(ids(3), path(&["sso", "db", "payroll", "shop"]));
    assert_eq!(
        graph.root_causes(&["shop", "nope"], 5, 5),
        Err(unknown("nope"))
    );
}

// ---------------------------------------------------------------------------------------------
// Single points of failure

#[test]
fn single_points_of_failure_honour_redundancy() {
    // Two of three must be up: the hypervisor under two web servers is a single point.
    let graph = shop();
    assert_eq!(
        graph.single_points_of_failure("shop").unwrap(),
        path(&["db", "hv", "san", "sso"])
    );
    assert_eq!(
        graph.single_points_of_failure("payroll").unwrap(),
        path(&["db", "san", "sso"])
    );
    assert_eq!(graph.single_points_of_failure("san").unwrap(), path(&[]));
    // One of three: the hypervisor is no longer one.
    let graph = Graph::from_spec(&shop_spec(MinUp::Count(1))).unwrap();
    assert_eq!(
        graph.single_points_of_failure("shop").unwrap(),
        path(&["db", "san", "sso"])
    );
    // All three (no redundancy): every web server is one.
    let graph = Graph::from_spec(&shop_spec(MinUp::Percent(100))).unwrap();
    assert_eq!(
        graph.single_points_of_failure("shop").unwrap(),
        path(&["db", "hv", "san", "sso", "web-1", "web-2", "web-3"])
    );
    assert_eq!(graph.single_points_of_failure("nope"), Err(unknown("nope")));
}

#[test]
fn without_groups_every_upstream_node_is_a_single_point_of_failure() {
    let mut no_groups = shop_spec(MinUp::Count(2));
    no_groups.groups.clear();
    no_groups.edges.retain(|e| e.to != "web-farm");
    for web in ["web-1", "web-2", "web-3"] {
        no_groups
            .edges
            .push(EdgeSpec::new("shop", web, "depends_on"));
    }
    let graph = Graph::from_spec(&no_groups).unwrap();
    assert_eq!(
        graph.single_points_of_failure("shop").unwrap(),
        path(&["db", "hv", "san", "sso", "web-1", "web-2", "web-3"])
    );
}

// ---------------------------------------------------------------------------------------------
// Resilience

/// `app` needs one of `a`, `b`, `c`; `a` and `b` run on `h1`, `c` on `h2`. `spare` depends on
/// a pool that needs nobody up.
fn cluster() -> Graph {
    Graph::from_spec(&spec(
        vec![
            bs("app"),
            ci("a"),
            ci("b"),
            ci("c"),
            ci("h1"),
            ci("h2"),
            bs("spare"),
            ci("x"),
        ],
        vec![
            GroupSpec::new("nodes", &["a", "b", "c"], MinUp::Count(1)),
            GroupSpec::new("pool", &["x"], MinUp::Count(0)),
        ],
        vec![
            EdgeSpec::new("app", "nodes", "depends_on"),
            EdgeSpec::new("a", "h1", "runs_on"),
            EdgeSpec::new("b", "h1", "runs_on"),
            EdgeSpec::new("c", "h2", "runs_on"),
            EdgeSpec::new("spare", "pool", "depends_on"),
        ],
    ))
    .unwrap()
}

#[test]
fn resilience_finds_the_smallest_failure_set() {
    let graph = cluster();
    // No single failure; of the pairs (a, b, c, h1, h2 in that order), c with h1 is the first.
    assert_eq!(
        graph.resilience("app", 5, 1000).unwrap(),
        Resilience::MinimumSet {
            size: 2,
            example: path(&["c", "h1"])
        }
    );
    // A single point of failure is a set of one.
    assert_eq!(
        shop().resilience("shop", 3, 1000).unwrap(),
        Resilience::MinimumSet {
            size: 1,
            example: path(&["sso"])
        }
    );
    // The farm alone: the hypervisor takes two of three.
    assert_eq!(
        shop().resilience("web-farm", 3, 1000).unwrap(),
        Resilience::MinimumSet {
            size: 1,
            example: path(&["hv"])
        }
    );
}

#[test]
fn resilience_is_a_lower_bound_when_the_budget_or_the_size_runs_out() {
    let graph = cluster();
    // Five single evaluations, then eight pairs up to (c, h1).
    assert_eq!(
        graph.resilience("app", 5, 13).unwrap(),
        Resilience::MinimumSet {
            size: 2,
            example: path(&["c", "h1"])
        }
    );
    assert_eq!(
        graph.resilience("app", 5, 12).unwrap(),
        Resilience::AtLeast { checked: 1 }
    );
    assert_eq!(
        graph.resilience("app", 5, 5).unwrap(),
        Resilience::AtLeast { checked: 1 }
    );
    assert_eq!(
        graph.resilience("app", 5, 4).unwrap(),
        Resilience::AtLeast { checked: 0 }
    );
    assert_eq!(
        graph.resilience("app", 5, 0).unwrap(),
        Resilience::AtLeast { checked: 0 }
    );
    assert_eq!(
        graph.resilience("app", 1, 1000).unwrap(),
        Resilience::AtLeast { checked: 1 }
    );
    assert_eq!(
        graph.resilience("app", 0, 1000).unwrap(),
        Resilience::AtLeast { checked: 0 }
    );
}

#[test]
fn resilience_is_unbreakable_when_nothing_can_take_the_service_down() {
    let graph = cluster();
    // Nothing upstream.
    assert_eq!(
        graph.resilience("h1", 5, 1000).unwrap(),
        Resilience::Unbreakable
    );
    // Something upstream, but the pool needs nobody up: the whole pool failing is not enough.
    assert_eq!(
        graph.resilience("spare", 5, 1000).unwrap(),
        Resilience::Unbreakable
    );
    // Searching less than the whole pool is only a bound.
    assert_eq!(
        graph.resilience("spare", 0, 1000).unwrap(),
        Resilience::AtLeast { checked: 0 }
    );
    assert_eq!(graph.resilience("nope", 5, 1000), Err(unknown("nope")));
}

// ---------------------------------------------------------------------------------------------
// What-if

#[test]
fn what_if_lists_services_only_in_one_scenario_or_at_another_level() {
    let graph = shop();
    let diff = graph
        .what_if(
            &Scenario::outages(&["web-1", "reports"]),
            &Scenario::outages(&["hv", "sso"]),
        )
        .unwrap();
    assert_eq!(diff.only_first, [("reports".into(), 2)]);
    assert_eq!(diff.only_second, [("payroll".into(), 2), ("sso".into(), 2)]);
    assert_eq!(diff.changed, [("shop".into(), 1, 2)]);
    // Swapped, the lists swap.
    let back = graph
        .what_if(
            &Scenario::outages(&["hv", "sso"]),
            &Scenario::outages(&["web-1", "reports"]),
        )
        .unwrap();
    assert_eq!(back.only_first, diff.only_second);
    assert_eq!(back.only_second, diff.only_first);
    assert_eq!(back.changed, vec![("shop".into(), 2, 1)]);
    // Configuration items are not services; equal scenarios differ in nothing.
    let same = graph
        .what_if(&Scenario::outages(&["san"]), &Scenario::outages(&["db"]))
        .unwrap();
    assert_eq!(same, WhatIf::default());
    assert_eq!(
        graph.what_if(&Scenario::outages(&["db"]), &Scenario::outages(&["nope"])),
        Err(unknown("nope"))
    );
}

#[test]
fn what_if_compares_a_change_window_with_and_without_maintenance() {
    let graph = shop();
    let diff = graph
        .what_if(
            &Scenario::outages(&["san"]),
            &in_maintenance(&["san"], &["sso"]),
        )
        .unwrap();
    assert_eq!(diff.only_first, [("shop".into(), 2), ("sso".into(), 2)]);
    assert!(diff.only_second.is_empty() && diff.changed.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Cycles

#[test]
fn cycles_report_strongly_connected_components_and_self_loops() {
    let graph = Graph::from_spec(&spec(
        vec![
            ci("a"),
            ci("b"),
            ci("c"),
            ci("d"),
            ci("e"),
            ci("f"),
            bs("g"),
            ci("h"),
        ],
        vec![GroupSpec::new("grp", &["h"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("a", "b", "depends_on"),
            EdgeSpec::new("b", "a", "depends_on"),
            EdgeSpec::new("c", "d", "link"),
            EdgeSpec::new("e", "e", "depends_on"),
            EdgeSpec::new("g", "a", "depends_on"),
            EdgeSpec::new("g", "f", "depends_on"),
            // A group in a cycle: h is a member of grp, and depends on it.
            EdgeSpec::new("h", "grp", "depends_on"),
        ],
    ))
    .unwrap();
    let cycles = graph.cycles();
    let named: Vec<Vec<&str>> = cycles
        .iter()
        .map(|c| c.iter().map(|n| graph.id(*n)).collect())
        .collect();
    assert_eq!(
        named,
        vec![vec!["a", "b"], vec!["c", "d"], vec!["e"], vec!["h", "grp"]]
    );
    assert_eq!(
        cycles[0].iter().map(|n| n.index()).collect::<Vec<_>>(),
        [0, 1]
    );
    // Queries stay correct on them.
    let impact = graph.impact(&Scenario::outages(&["b"])).unwrap();
    assert_eq!(affected(&impact), vec![("a", 2), ("b", 2), ("g", 2)]);
    assert_eq!(impact.explanations[0].path, path(&["b", "a", "g"]));
    let impact = graph.impact(&Scenario::outages(&["h"])).unwrap();
    assert_eq!(affected(&impact), vec![("h", 2), ("grp", 2)]);
    // Without cycles, nothing.
    assert_eq!(shop().cycles(), Vec::<Vec<NodeId>>::new());
}

// ---------------------------------------------------------------------------------------------
// Regressions found by the reference model (`tests/reference.rs`), kept as readable cases

#[test]
fn an_edge_into_a_group_is_an_input_not_a_member() {
    // `farm` depends on `lb`: before the fix, `lb` counted as a third member, so the farm
    // (one of two must be up) held when `lb` failed, and both servers failing left one of
    // "three" up.
    let graph = Graph::from_spec(&spec(
        vec![bs("app"), ci("w1"), ci("w2"), ci("lb")],
        vec![GroupSpec::new("farm", &["w1", "w2"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("app", "farm", "depends_on"),
            EdgeSpec::new("farm", "lb", "depends_on"),
        ],
    ))
    .unwrap();
    assert_eq!(graph.group_rule(graph.node("farm").unwrap()), Some((2, 2)));
    let impact = graph.impact(&Scenario::outages(&["lb"])).unwrap();
    assert_eq!(affected(&impact), vec![("app", 2), ("lb", 2), ("farm", 2)]);
    assert_eq!(impact.explanations[0].path, path(&["lb", "farm", "app"]));
    let impact = graph.impact(&Scenario::outages(&["w1", "w2"])).unwrap();
    assert_eq!(impact.severity("app"), Some(2));
    assert_eq!(
        counts(&impact.explanations[0].groups),
        vec![("farm", 2, 2, 1, false)]
    );
    assert_eq!(
        graph
            .impact(&Scenario::outages(&["w1"]))
            .unwrap()
            .severity("app"),
        Some(1)
    );
    // The load balancer is a single point of failure; neither server is.
    assert_eq!(
        graph.single_points_of_failure("app").unwrap(),
        path(&["lb"])
    );
}

#[test]
fn a_self_member_group_with_a_peer_counts_one_member() {
    // The shrunk case: g0 = {g0}, needing none up, linked both ways with n0. n0 is not a
    // member of g0 (it was counted as one).
    let mut s = spec(
        vec![bs("n0")],
        vec![GroupSpec::new("g0", &["g0"], MinUp::Percent(0))],
        vec![EdgeSpec::new("g0", "n0", "link")],
    );
    s.severity = SeverityScale::new(&["level 1"], 1);
    let graph = Graph::from_spec(&s).unwrap();
    let impact = graph.impact(&Scenario::outages(&["n0"])).unwrap();
    assert_eq!(affected(&impact), vec![("n0", 1), ("g0", 1)]);
    assert_eq!(graph.group_rule(graph.node("g0").unwrap()), Some((1, 2)));
    assert_eq!(graph.node("g0").map(NodeId::index), Ok(1));
}

// ---------------------------------------------------------------------------------------------
// The compiled form

#[test]
fn the_compiled_form_keeps_every_record_and_arc() {
    let mut s = shop_spec(MinUp::Percent(50));
    s.nodes[0].tier = 1;
    s.nodes[0].owner = Some("e-commerce".into());
    s.nodes[7].supplier = Some("acme".into());
    s.nodes[7].location = Some("eu-west-1a".into());
    // A duplicate edge, and the same arc from another relation, merge into one arc.
    s.edges.push(EdgeSpec::new("db", "san", "runs_on"));
    s.edges.push(EdgeSpec::new("san", "db", "hosts"));
    let graph = Graph::from_spec(&s).unwrap();
    assert_eq!(graph.node_count(), 11);
    assert_eq!(graph.arc_count(), 12);
    for (i, n) in s.nodes.iter().enumerate() {
        let id = graph.node_at(i).unwrap();
        assert_eq!(id.index(), i);
        assert_eq!(graph.node(&n.id), Ok(id));
        assert_eq!(graph.id(id), n.id);
        assert_eq!(graph.kind(id), Some(n.kind));
        assert_eq!(graph.spec(id).as_ref(), Some(n));
        assert_eq!(graph.group_rule(id), None);
    }
    let farm = graph.node("web-farm").unwrap();
    assert_eq!(farm.index(), 10);
    assert_eq!(graph.node_at(10), Some(farm));
    assert_eq!(graph.node_at(11), None);
    assert_eq!(graph.nodes().len(), 11);
    assert_eq!(graph.nodes().last(), Some(farm));
    assert_eq!(graph.kind(farm), Some(NodeKind::Group));
    assert_eq!(
        graph.spec(farm),
        Some(NodeSpec::new(
            "web-farm",
            NodeKind::Group,
            "redundancy_group"
        ))
    );
    // 50% of 3 rounded up is 2 up, so 2 failures take it down.
    assert_eq!(graph.group_rule(farm), Some((3, 2)));
    let n = |id: &str| graph.node(id).unwrap();
    // Sorted by node id (the builder's order), whatever the compiled order.
    assert_eq!(
        graph.affects(graph.node("db").unwrap()),
        [n("payroll"), n("reports"), n("sso")]
    );
    assert_eq!(
        graph.affected_by(farm),
        [n("web-1"), n("web-2"), n("web-3")]
    );
    assert_eq!(
        graph.affects(graph.node("hv").unwrap()),
        [n("web-1"), n("web-2")]
    );
    // A node of another, larger graph: nothing, not a panic.
    let nodes = (0..100).map(|i| ci(&format!("x{i}"))).collect();
    let larger = Graph::from_spec(&spec(nodes, vec![], vec![])).unwrap();
    let foreign = larger.node_at(99).unwrap();
    assert_eq!(graph.kind(foreign), None);
    assert_eq!(graph.spec(foreign), None);
    assert_eq!(graph.affects(foreign), []);
    assert_eq!(graph.affected_by(foreign), []);
    assert_eq!(graph.group_rule(foreign), None);
    assert_eq!(graph.id(foreign), "");
}

#[test]
fn ids_that_hash_alike_stay_distinct_and_many_ids_are_all_found() {
    // The id hash pads the last 8-byte word with zeros, so "a" and "a\0" hash alike.
    let graph = Graph::from_spec(&spec(vec![ci("a"), ci("a\0"), ci("")], vec![], vec![])).unwrap();
    let index = |id: &str| graph.node(id).map(NodeId::index);
    assert_eq!(index("a"), Ok(0));
    assert_eq!(index("a\0"), Ok(1));
    assert_eq!(index(""), Ok(2));
    // Enough ids to grow the index several times.
    let nodes: Vec<NodeSpec> = (0..5000).map(|i| ci(&format!("ci-{i}"))).collect();
    let graph = Graph::from_spec(&spec(nodes, vec![], vec![])).unwrap();
    for i in 0..5000 {
        assert_eq!(graph.node(&format!("ci-{i}")).map(NodeId::index), Ok(i));
    }
    assert_eq!(graph.node("ci-5000"), Err(unknown("ci-5000")));
}

#[test]
fn the_builder_and_a_workspace_answer_like_from_spec() {
    let mut b = GraphBuilder::new(SeverityScale::servicenow());
    b.reserve(4, 3);
    let dep = b
        .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
        .unwrap();
    let app = b.node(&bs("app")).unwrap();
    let w1 = b.node(&ci("w1")).unwrap();
    let w2 = b.node(&ci("w2")).unwrap();
    let farm = b.group("farm", MinUp::Count(1)).unwrap();
    b.member(farm, w1).unwrap();
    b.member(farm, w2).unwrap();
    b.edge(app, farm, dep).unwrap();
    assert_eq!(b.find("w2"), Some(w2));
    assert_eq!(b.find("nope"), None);
    let graph = b.build().unwrap();
    let mut ws = graph.workspace();
    let view = ws.run(&[(w1, 4)], &[]).unwrap();
    assert_eq!(view.severity(app), 3);
    assert_eq!(view.severity(farm), 3);
    assert_eq!(view.failed_members(farm), 1);
    assert_eq!(view.via(app), Some(farm));
    assert_eq!(view.via(farm), Some(w1));
    assert_eq!(view.via(w1), Some(w1));
    assert_eq!(view.via(w2), None);
    assert_eq!(view.count(), 3);
    // Discovery order: the seed first.
    assert_eq!(
        view.affected().collect::<Vec<_>>(),
        vec![(w1, 4), (farm, 3), (app, 3)]
    );
    // The next query forgets the previous one.
    let view = ws.run(&[(w2, 1)], &[farm]).unwrap();
    assert_eq!(view.affected().collect::<Vec<_>>(), vec![(w2, 1)]);
    assert_eq!(view.failed_members(farm), 0);
    assert_eq!(view.via(app), None);
    assert_eq!(
        ws.run(&[(w2, 5)], &[]).map(|v| v.count()),
        Err(Error::UnknownSeverity { level: 5, max: 4 })
    );
    let view = ws.run(&[], &[]).unwrap();
    assert_eq!(view.count(), 0);
    assert_eq!(view.severity(w2), 0);
}

#[test]
fn an_empty_graph_answers_every_query() {
    let graph = Graph::from_spec(&GraphSpec::default()).unwrap();
    assert_eq!(graph.node_count(), 0);
    assert_eq!(graph.arc_count(), 0);
    assert_eq!(graph.cycles(), Vec::<Vec<NodeId>>::new());
    let impact = graph.impact(&Scenario::default()).unwrap();
    assert!(impact.affected.is_empty() && impact.explanations.is_empty());
    assert_eq!(
        graph.what_if(&Scenario::default(), &Scenario::default()),
        Ok(WhatIf::default())
    );
    assert_eq!(graph.impact(&Scenario::outages(&["a"])), Err(unknown("a")));
    // A node of another graph is refused by a workspace, naming it; the workspace still
    // answers the next query.
    let other = shop();
    let (seed, masked) = (other.node_at(3).unwrap(), other.node_at(4).unwrap());
    let mut ws = graph.workspace();
    let refused = |node: NodeId| Error::UnknownNode {
        id: node.to_string(),
        named_in: NamedIn::Workspace,
    };
    assert_eq!(
        ws.run(&[(seed, 1)], &[masked]).map(|v| v.count()),
        Err(refused(seed))
    );
    assert_eq!(
        ws.run(&[], &[masked]).map(|v| v.count()),
        Err(refused(masked))
    );
    assert_eq!(
        refused(seed).to_string(),
        "a workspace query names unknown node `#3`; name a declared node or group"
    );
    let view = ws.run(&[], &[]).unwrap();
    assert_eq!(view.count(), 0);
    assert_eq!(view.severity(seed), 0);
    assert_eq!(view.via(seed), None);
}
