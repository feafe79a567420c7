//! One test per row of the conformance table in `docs/graph.md` (rule | ServiceNow | iTop |
//! ours), each named after its rule, each scenario taken from the tool's own documentation
//! page named in the test, and the reproductions of issue 21 ("wrong today") among them.
//!
//! Pages: ServiceNow "Alert impact calculation" (Event Management, `c_EMImpactCalculation`:
//! the 20/40/60/100% scale, the redundancy rule lowering a severity by one level, "two or
//! more clusters affected" meaning down, CIs in maintenance excluded and a child in
//! maintenance placing its parent in maintenance) and "Adjust impact rules for a CI"
//! (`t_EMConfigureImpactRule`: cluster members' influence); iTop's "Edition of Impact
//! Analysis rules" (ITSM Designer, `products:designer:impact_analysis`: neighbours with
//! redundancy, a count or a percentage of running members) and its impact analysis
//! (excluded objects, a depth limit).
// Tests unwrap results they have just checked and index vectors they have just built.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_graph::{
    Alarm, EdgeSpec, Error, Failure, Graph, GraphEdit, GraphSpec, GroupSpec, MaintenanceRule,
    MinUp, NamedIn, NodeKind, NodeSpec, Propagation, RelationSpec, Resilience, RootCauseQuery,
    Scenario, SeverityScale,
};

fn bs(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::BusinessService, "service")
}

fn ci(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::ConfigurationItem, "host")
}

fn dep(from: &str, to: &str) -> EdgeSpec {
    EdgeSpec::new(from, to, "depends_on")
}

fn spec(nodes: Vec<NodeSpec>, groups: Vec<GroupSpec>, edges: Vec<EdgeSpec>) -> GraphSpec {
    GraphSpec::new(
        vec![
            RelationSpec::new("depends_on", Propagation::ToFrom),
            RelationSpec::new("hosts", Propagation::FromTo),
        ],
        nodes,
        groups,
        edges,
    )
}

/// Issue 21's farm: `shop -> farm {m1, m2: one must be up} -> lb`.
fn farm_on_lb(m1: &str, m2: &str, scale: SeverityScale) -> Graph {
    let mut s = spec(
        vec![bs("shop"), ci(m1), ci(m2), ci("lb")],
        vec![GroupSpec::new("farm", &[m1, m2], MinUp::Count(1))],
        vec![dep("shop", "farm"), dep("farm", "lb")],
    );
    s.severity = scale;
    Graph::from_spec(&s).unwrap()
}

/// `app -> farm {w1, w2: one must be up}`.
fn app_on_farm(scale: SeverityScale) -> Graph {
    let mut s = spec(
        vec![bs("app"), ci("w1"), ci("w2")],
        vec![GroupSpec::new("farm", &["w1", "w2"], MinUp::Count(1))],
        vec![dep("app", "farm")],
    );
    s.severity = scale;
    Graph::from_spec(&s).unwrap()
}

fn level(graph: &Graph, scenario: &Scenario, id: &str) -> u8 {
    let report = graph.impact(scenario).unwrap();
    graph.severity_in(&report, id).unwrap()
}

fn ids(list: Vec<itsm_graph::Candidate>) -> Vec<String> {
    list.into_iter().map(|c| c.id).collect()
}

// ---------------------------------------------------------------------------------------------
// Propagation and redundancy

/// Both tools: a failure reaches what depends on the failed item, transitively. iTop stops
/// at a depth limit (10 by default); ours follows every path to its end (a fixpoint), so a
/// chain of 15 is reached whole.
#[test]
fn failure_propagates_to_dependents_without_a_depth_limit() {
    let mut nodes = vec![bs("n0")];
    let mut edges = Vec::new();
    for i in 1..15 {
        nodes.push(ci(&format!("n{i}")));
        edges.push(dep(&format!("n{}", i - 1), &format!("n{i}")));
    }
    let graph = Graph::from_spec(&spec(nodes, vec![], edges)).unwrap();
    assert_eq!(level(&graph, &Scenario::outages(&["n14"]), "n0"), 2);
    assert_eq!(level(&graph, &Scenario::outages(&["n14"]), "n4"), 2);
}

/// iTop: a redundant group given as a percentage needs N x pct / 100 members up, rounded
/// up; ServiceNow's OS cluster member rule: 60% influence on three hosts, so two must be
/// affected to take the cluster down. Ours: `MinUp::Percent`, rounded up; the farm fails
/// only when more than `members - min_up` members are down.
#[test]
fn redundancy_k_of_n_by_count_or_percentage() {
    let s = spec(
        vec![bs("app"), ci("h1"), ci("h2"), ci("h3")],
        vec![GroupSpec::new(
            "cluster",
            &["h1", "h2", "h3"],
            MinUp::Percent(50),
        )],
        vec![dep("app", "cluster")],
    );
    let graph = Graph::from_spec(&s).unwrap();
    // 50% of 3 is 1.5: two must be up, so one down holds and two down fail.
    assert_eq!(
        graph.group_rule(graph.node("cluster").unwrap()),
        Some((3, 2))
    );
    assert_eq!(level(&graph, &Scenario::outages(&["h1"]), "app"), 1);
    assert_eq!(level(&graph, &Scenario::outages(&["h1", "h2"]), "app"), 2);
}

/// ServiceNow's redundancy rule, issue 21's reproduction: "a redundant path lowers the
/// severity by one level". On the 20/40/60/100% scale, w1 at 60% in a farm that needs one
/// of two gives the app 40% (it gave 60%); w1 down gives 60%. iTop reports a redundant
/// group that holds as not impacted; ours: the scale's `redundancy_lowers` (1 in
/// `SeverityScale::servicenow`) capped at `group_holding` (the default scale: degraded).
#[test]
fn a_holding_group_lowers_its_members_level_by_one() {
    let graph = app_on_farm(SeverityScale::servicenow());
    let report = graph
        .impact(&Scenario::new(vec![Failure::at("w1", 3)], &[]))
        .unwrap();
    assert_eq!(graph.severity_in(&report, "app").unwrap(), 2);
    assert_eq!(report.affected[0].severity_name, "impaired (40%)");
    assert_eq!(level(&graph, &Scenario::outages(&["w1"]), "app"), 3);
    assert_eq!(level(&graph, &Scenario::outages(&["w1", "w2"]), "app"), 4);
    // Without the rule (lowering 0), the member's level passes as it is.
    let mut plain = SeverityScale::servicenow();
    plain.redundancy_lowers = 0;
    let graph = app_on_farm(plain);
    let scenario = Scenario::new(vec![Failure::at("w1", 3)], &[]);
    assert_eq!(level(&graph, &scenario, "app"), 3);
}

/// ServiceNow: "if the items in two or more clusters are affected, the impact is 100%
/// down". iTop has no such rule. Ours: `SeverityScale::clusters_down` (2 in the ServiceNow
/// preset): a node depending directly on that many affected groups is down, in impact and
/// in single points of failure alike.
#[test]
fn two_affected_clusters_make_the_service_down() {
    let s = |scale: SeverityScale| {
        let mut s = spec(
            vec![
                bs("app"),
                ci("a1"),
                ci("a2"),
                ci("b1"),
                ci("b2"),
                ci("rack"),
            ],
            vec![
                GroupSpec::new("web", &["a1", "a2"], MinUp::Count(1)),
                GroupSpec::new("db", &["b1", "b2"], MinUp::Count(1)),
            ],
            vec![
                dep("app", "web"),
                dep("app", "db"),
                EdgeSpec::new("rack", "a1", "hosts"),
                EdgeSpec::new("rack", "b1", "hosts"),
            ],
        );
        s.severity = scale;
        Graph::from_spec(&s).unwrap()
    };
    let servicenow = s(SeverityScale::servicenow());
    // One cluster affected: 60%; two: down.
    assert_eq!(level(&servicenow, &Scenario::outages(&["a1"]), "app"), 3);
    assert_eq!(
        level(&servicenow, &Scenario::outages(&["a1", "b1"]), "app"),
        4
    );
    let report = servicenow
        .impact(&Scenario::outages(&["a1", "b1"]))
        .unwrap();
    assert_eq!(report.explanations[0].path.last().unwrap(), "app");
    // The rack hosts a member of each: a single point of failure under the rule only.
    assert_eq!(
        servicenow.single_points_of_failure("app").unwrap(),
        ["rack"]
    );
    assert_eq!(
        servicenow.resilience("app", 3, 1_000).unwrap(),
        Resilience::MinimumSet {
            size: 1,
            example: vec!["rack".into()]
        }
    );
    let mut without = SeverityScale::servicenow();
    without.clusters_down = None;
    let without = s(without);
    assert_eq!(level(&without, &Scenario::outages(&["a1", "b1"]), "app"), 3);
    assert!(without.single_points_of_failure("app").unwrap().is_empty());
}

/// ServiceNow ("Adjust impact rules for a CI", Influence Units): the parent at 100%, children
/// at 34%, 34%, 34% and 70%; child 3 and child 4 critical make 104%, so the parent is
/// critical. And ("Alert impact calculation", Application Cluster Member): three members at
/// 30% with the cluster at 90% fail only all together. iTop counts members, not influence.
/// Ours: `GroupSpec::with_influence` (or `GroupSpec::influence` with `min_up` in influence
/// units), in impact, explanations, single points of failure and resilience.
#[test]
fn cluster_members_carry_an_influence() {
    let s = spec(
        vec![bs("app"), ci("c1"), ci("c2"), ci("c3"), ci("c4")],
        vec![GroupSpec::with_influence(
            "cluster",
            &[("c1", 34), ("c2", 34), ("c3", 34), ("c4", 70)],
            100,
        )],
        vec![dep("app", "cluster")],
    );
    let graph = Graph::from_spec(&s).unwrap();
    assert_eq!(
        graph.group_rule(graph.node("cluster").unwrap()),
        Some((172, 100))
    );
    let report = graph.impact(&Scenario::outages(&["c3", "c4"])).unwrap();
    assert_eq!(graph.severity_in(&report, "app").unwrap(), 2);
    assert_eq!(
        report.explanations[0].groups[0].to_string(),
        "group `cluster`: 68 of 172 influence up, needs 73: fails"
    );
    // 68% is not enough; 102% is.
    assert_eq!(level(&graph, &Scenario::outages(&["c1", "c2"]), "app"), 1);
    assert_eq!(
        level(&graph, &Scenario::outages(&["c1", "c2", "c3"]), "app"),
        2
    );
    assert!(graph.single_points_of_failure("app").unwrap().is_empty());
    assert_eq!(
        graph.resilience("app", 3, 1_000).unwrap(),
        Resilience::MinimumSet {
            size: 2,
            example: vec!["c1".into(), "c4".into()]
        }
    );
    // Three members at 30%, the cluster at 90%: two down hold, three fail.
    let s = spec(
        vec![bs("app"), ci("m1"), ci("m2"), ci("m3")],
        vec![GroupSpec::with_influence(
            "cluster",
            &[("m1", 30), ("m2", 30), ("m3", 30)],
            90,
        )],
        vec![dep("app", "cluster")],
    );
    let graph = Graph::from_spec(&s).unwrap();
    assert_eq!(level(&graph, &Scenario::outages(&["m1", "m2"]), "app"), 1);
    assert_eq!(
        level(&graph, &Scenario::outages(&["m1", "m2", "m3"]), "app"),
        2
    );
    // One influence per member, or none.
    let mut bad = GroupSpec::new("cluster", &["m1", "m2", "m3"], MinUp::Count(1));
    bad.influence = vec![30, 30];
    let s = spec(
        vec![bs("app"), ci("m1"), ci("m2"), ci("m3")],
        vec![bad],
        vec![dep("app", "cluster")],
    );
    assert_eq!(
        Graph::from_spec(&s).unwrap_err(),
        Error::InfluenceCount {
            group: "cluster".into(),
            members: 3,
            influences: 2
        }
    );
}

// ---------------------------------------------------------------------------------------------
// Explanations and root causes (ours: neither tool explains or ranks)

/// Issue 21's reproduction: `impact(lb)` puts the shop down through [lb, farm, shop]; the
/// farm's count said "2 of 2 members up, needs 1: holds". A group at the outage level
/// through what it depends on does not hold, and the explanation names that input.
#[test]
fn a_group_failed_through_its_own_dependency_does_not_hold() {
    let graph = farm_on_lb("w1", "w2", SeverityScale::default());
    let report = graph.impact(&Scenario::outages(&["lb"])).unwrap();
    let why = &report.explanations[0];
    assert_eq!(why.path, ["lb", "farm", "shop"]);
    assert!(!why.groups[0].held);
    assert_eq!(why.groups[0].through.as_deref(), Some("lb"));
    assert_eq!(
        why.groups[0].to_string(),
        "group `farm`: 2 of 2 members up, needs 1: fails through `lb`"
    );
    // A member down: the farm holds, and says so.
    let report = graph.impact(&Scenario::outages(&["w1"])).unwrap();
    assert!(report.explanations[0].groups[0].held);
    assert_eq!(report.explanations[0].groups[0].through, None);
}

/// Issue 21's reproduction: with members a1 and a2, root causes of an alarm on the shop
/// ranked a1 and a2 with lb (a1 first, on id). A member whose loss the farm absorbs does
/// not explain an outage: the candidates besides the alarmed node are exactly its single
/// points of failure.
#[test]
fn root_causes_honour_redundancy_and_agree_with_single_points_of_failure() {
    let graph = farm_on_lb("a1", "a2", SeverityScale::default());
    let causes = graph.root_causes(&["shop"], 10, 10).unwrap();
    assert_eq!(ids(causes.clone()), ["lb", "shop"]);
    let upstream: Vec<String> = ids(causes).into_iter().filter(|c| c != "shop").collect();
    assert_eq!(upstream, graph.single_points_of_failure("shop").unwrap());
}

/// ServiceNow's alerts carry a severity. Ours: `Alarm::at(id, level)`: a candidate explains
/// an alarm when its outage brings the node to that level or above, so a member of a
/// holding farm explains a degraded shop, not a down one.
#[test]
fn alarms_carry_a_severity() {
    let graph = farm_on_lb("a1", "a2", SeverityScale::default());
    let q = |alarm| RootCauseQuery::new(vec![alarm], 10, 10);
    assert_eq!(
        ids(graph.root_causes_for(&q(Alarm::at("shop", 1))).unwrap()),
        ["a1", "a2", "lb", "shop"]
    );
    assert_eq!(
        ids(graph.root_causes_for(&q(Alarm::outage("shop"))).unwrap()),
        ["lb", "shop"]
    );
    assert_eq!(
        graph.root_causes_for(&q(Alarm::at("shop", 3))),
        Err(Error::UnknownSeverity { level: 3, max: 2 })
    );
}

// ---------------------------------------------------------------------------------------------
// Maintenance

/// iTop's excluded objects count as up for their redundant group. Ours: the default,
/// `MaintenanceRule::Excluded`: w2 in maintenance and w1 down, the farm holds on w2.
#[test]
fn maintenance_excluded_counts_as_up_by_default() {
    let graph = app_on_farm(SeverityScale::default());
    let mut scenario = Scenario::new(vec![Failure::outage("w1")], &["w2"]);
    assert_eq!(scenario.maintenance_rule, MaintenanceRule::Excluded);
    assert_eq!(level(&graph, &scenario, "app"), 1);
    scenario.maintenance_rule = MaintenanceRule::Excluded;
    assert_eq!(level(&graph, &scenario, "w2"), 0);
}

/// Neither tool: a member in maintenance is capacity lost. Ours:
/// `MaintenanceRule::LostCapacity`: w2 in maintenance counts as failed, so w1's failure
/// takes the farm and the app down (the maintenance alone takes nothing down).
#[test]
fn maintenance_lost_capacity_counts_as_down() {
    let graph = app_on_farm(SeverityScale::default());
    let mut scenario = Scenario::new(vec![Failure::outage("w1")], &["w2"]);
    scenario.maintenance_rule = MaintenanceRule::LostCapacity;
    let report = graph.impact(&scenario).unwrap();
    assert_eq!(graph.severity_in(&report, "app").unwrap(), 2);
    assert_eq!(
        report.explanations[0].groups[0].to_string(),
        "group `farm`: 0 of 2 members up, needs 1: fails"
    );
    let mut quiet = Scenario::new(vec![], &["w2"]);
    quiet.maintenance_rule = MaintenanceRule::LostCapacity;
    assert!(graph.impact(&quiet).unwrap().affected.is_empty());
}

/// ServiceNow: "when a child CI is put in maintenance, it also places the parent CI in
/// maintenance", and alerts on CIs in maintenance are excluded from impact calculation.
/// Ours: `MaintenanceRule::HidesParents`: w2 in maintenance hides the farm and the app, so
/// w1's failure affects w1 alone.
#[test]
fn maintenance_hides_parents_as_servicenow_does() {
    let graph = app_on_farm(SeverityScale::default());
    let mut scenario = Scenario::new(vec![Failure::outage("w1")], &["w2"]);
    scenario.maintenance_rule = MaintenanceRule::HidesParents;
    let report = graph.impact(&scenario).unwrap();
    let affected: Vec<&str> = report.affected.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(affected, ["w1"]);
}

/// Ours (neither tool computes them): single points of failure and root causes during a
/// maintenance window, under each convention.
#[test]
fn maintenance_windows_in_root_causes_and_single_points_of_failure() {
    let graph = farm_on_lb("a1", "a2", SeverityScale::default());
    let spof = |rule| {
        graph
            .single_points_of_failure_during("shop", &["a2"], rule)
            .unwrap()
    };
    assert_eq!(spof(MaintenanceRule::Excluded), ["lb"]);
    assert_eq!(spof(MaintenanceRule::LostCapacity), ["a1", "lb"]);
    assert!(spof(MaintenanceRule::HidesParents).is_empty());
    let causes = |rule| {
        let mut q = RootCauseQuery::new(vec![Alarm::outage("shop")], 10, 10);
        q.maintenance = vec!["a2".into()];
        q.maintenance_rule = rule;
        ids(graph.root_causes_for(&q).unwrap())
    };
    assert_eq!(causes(MaintenanceRule::Excluded), ["lb", "shop"]);
    assert_eq!(causes(MaintenanceRule::LostCapacity), ["a1", "lb", "shop"]);
    // The shop itself is in maintenance: its alarm is left out.
    assert!(causes(MaintenanceRule::HidesParents).is_empty());
    // The load balancer in maintenance is no candidate.
    let mut q = RootCauseQuery::new(vec![Alarm::outage("shop")], 10, 10);
    q.maintenance = vec!["lb".into()];
    assert_eq!(ids(graph.root_causes_for(&q).unwrap()), ["shop"]);
}

// ---------------------------------------------------------------------------------------------
// What-if and unknown ids (ours)

/// Neither tool simulates an edited topology. Ours: `GraphSpec::what_if_edited` with
/// `GraphEdit`s (add or remove a node, a group or an edge), no spec rebuilt by hand.
#[test]
fn what_if_over_graph_edits() {
    let base = spec(
        vec![bs("shop"), ci("a1"), ci("a2"), ci("lb"), ci("lb2")],
        vec![GroupSpec::new("farm", &["a1", "a2"], MinUp::Count(1))],
        vec![dep("shop", "farm"), dep("farm", "lb")],
    );
    // Move the farm to a second load balancer: lb's outage no longer reaches the shop.
    let moved = base
        .what_if_edited(
            &[
                GraphEdit::RemoveEdge(dep("farm", "lb")),
                GraphEdit::AddEdge(dep("farm", "lb2")),
            ],
            &Scenario::outages(&["lb"]),
        )
        .unwrap();
    assert_eq!(moved.only_first, [("shop".to_string(), 2)]);
    assert!(moved.only_second.is_empty() && moved.changed.is_empty());
    // Remove a2: a1's outage now takes the shop down (was degraded).
    let thinner = base
        .what_if_edited(
            &[GraphEdit::RemoveNode("a2".into())],
            &Scenario::outages(&["a1"]),
        )
        .unwrap();
    assert_eq!(thinner.changed, [("shop".to_string(), 1, 2)]);
    // Add a business service on the load balancer.
    let added = base
        .what_if_edited(
            &[
                GraphEdit::AddNode(bs("status")),
                GraphEdit::AddEdge(dep("status", "lb")),
            ],
            &Scenario::outages(&["lb"]),
        )
        .unwrap();
    assert_eq!(added.only_second, [("status".to_string(), 2)]);
    // What is not there is refused, naming the edit.
    assert_eq!(
        base.edited(&[GraphEdit::RemoveEdge(dep("shop", "lb"))]),
        Err(Error::UnknownEdge {
            edit: 0,
            from: "shop".into(),
            to: "lb".into(),
            relation: "depends_on".into()
        })
    );
    assert_eq!(
        base.edited(&[
            GraphEdit::AddNode(ci("x")),
            GraphEdit::RemoveNode("nope".into())
        ]),
        Err(Error::UnknownNode {
            id: "nope".into(),
            named_in: NamedIn::Edit { edit: 1 }
        })
    );
}

/// Ours: the severity of an id the graph does not have is `None` in the report (an error
/// through the graph), not 0.
#[test]
fn an_unknown_id_is_an_error_not_unaffected() {
    let graph = app_on_farm(SeverityScale::default());
    let report = graph.impact(&Scenario::outages(&["w1"])).unwrap();
    assert_eq!(report.severity("app"), Some(1));
    assert_eq!(report.severity("w2"), Some(0));
    assert_eq!(report.severity("ap"), None);
    assert_eq!(graph.severity_in(&report, "app"), Ok(1));
    assert_eq!(graph.severity_in(&report, "w2"), Ok(0));
    assert_eq!(
        graph.severity_in(&report, "ap"),
        Err(Error::UnknownNode {
            id: "ap".into(),
            named_in: NamedIn::Query
        })
    );
}
