//! The JSON format of graph specs, pinned.
//!
//! The JSON Schema of [`GraphSpec`] is generated with schemars (draft 2020-12) and compared with
//! the committed copy in `docs/schema/graph-spec.json`, so any change to the format shows up as
//! a diff in review. After an intended change, regenerate it with
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p itsm-graph --all-features --test json
//! ```
//!
//! and commit it. The tests below also check round trips, defaults, and the names on the wire.
#![cfg(feature = "serde")]
// Tests unwrap results they have just checked and index JSON values they have just built.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_graph::{
    EdgeSpec, Graph, GraphSpec, GroupSpec, ImpactReport, MinUp, NodeKind, NodeSpec, Propagation,
    RelationSpec, Resilience, Scenario, SeverityScale,
};
use serde_json::json;

#[cfg(feature = "schemars")]
mod pinned {
    use itsm_graph::GraphSpec;

    #[test]
    fn the_graph_spec_schema_is_pinned() {
        itsm_testkit::pin_schema::<GraphSpec>(
            "graph-spec.json",
            "UPDATE_SCHEMAS=1 cargo test -p itsm-graph --all-features --test json",
        );
    }

    #[test]
    fn the_schema_is_draft_2020_12_and_names_the_wire_values() {
        let schema: serde_json::Value =
            serde_json::from_str(&itsm_testkit::schema_text::<GraphSpec>()).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["title"], "GraphSpec");
        assert_eq!(
            schema["required"],
            serde_json::json!(["relations", "nodes", "edges"])
        );
        assert_eq!(schema["additionalProperties"], false);
        let text = itsm_testkit::schema_text::<GraphSpec>();
        for name in [
            "\"to_from\"",
            "\"from_to\"",
            "\"both\"",
            "\"business_service\"",
            "\"technical_service\"",
            "\"configuration_item\"",
            "\"count\"",
            "\"percent\"",
            "\"group_holding\"",
        ] {
            assert!(text.contains(name), "{name} is missing from the schema");
        }
    }
}

/// A spec with every field set.
fn full() -> GraphSpec {
    let mut shop = NodeSpec::new("shop", NodeKind::BusinessService, "service");
    shop.tier = 1;
    shop.owner = Some("e-commerce".into());
    let mut web_1 = NodeSpec::new("web-1", NodeKind::ConfigurationItem, "vm");
    web_1.tier = 2;
    web_1.owner = Some("platform".into());
    web_1.supplier = Some("acme cloud".into());
    web_1.location = Some("eu-west-1a".into());
    let mut spec = GraphSpec::new(
        vec![
            RelationSpec::new("depends_on", Propagation::ToFrom),
            RelationSpec::new("hosts", Propagation::FromTo),
            RelationSpec::new("connects_to", Propagation::Both),
        ],
        vec![
            shop,
            web_1,
            NodeSpec::new("web-2", NodeKind::ConfigurationItem, "vm"),
            NodeSpec::new("auth", NodeKind::TechnicalService, "service"),
        ],
        vec![
            GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1)),
            GroupSpec::new("all", &["web-farm", "auth"], MinUp::Percent(50)),
        ],
        vec![
            EdgeSpec::new("shop", "all", "depends_on"),
            EdgeSpec::new("web-1", "web-2", "connects_to"),
        ],
    );
    spec.severity = SeverityScale::servicenow();
    spec
}

#[test]
fn a_graph_spec_round_trips() {
    let spec = full();
    let text = serde_json::to_string(&spec).unwrap();
    assert_eq!(serde_json::from_str::<GraphSpec>(&text).unwrap(), spec);
    let pretty = serde_json::to_string_pretty(&spec).unwrap();
    assert_eq!(serde_json::from_str::<GraphSpec>(&pretty).unwrap(), spec);
    // And the graph it compiles to gives back the same node records.
    let graph = Graph::from_spec(&spec).unwrap();
    for n in &spec.nodes {
        assert_eq!(graph.spec(graph.node(&n.id).unwrap()).as_ref(), Some(n));
    }
}

#[test]
fn the_wire_names_are_snake_case() {
    let value = serde_json::to_value(full()).unwrap();
    assert_eq!(
        value["relations"],
        json!([
            { "name": "depends_on", "propagation": "to_from" },
            { "name": "hosts", "propagation": "from_to" },
            { "name": "connects_to", "propagation": "both" }
        ])
    );
    assert_eq!(
        value["nodes"][1],
        json!({
            "id": "web-1", "kind": "configuration_item", "class": "vm", "tier": 2,
            "owner": "platform", "supplier": "acme cloud", "location": "eu-west-1a"
        })
    );
    assert_eq!(value["nodes"][3]["kind"], "technical_service");
    assert_eq!(value["groups"][0]["min_up"], json!({ "count": 1 }));
    assert_eq!(value["groups"][1]["min_up"], json!({ "percent": 50 }));
    assert_eq!(
        value["edges"][0],
        json!({ "from": "shop", "to": "all", "relation": "depends_on" })
    );
    assert_eq!(
        value["severity"],
        json!({
            "levels": ["impaired (20%)", "impaired (40%)", "affected (60%)", "down (100%)"],
            "group_holding": 3,
            "redundancy_lowers": 1,
            "clusters_down": 2
        })
    );
}

#[test]
fn omitted_fields_take_their_defaults() {
    let spec: GraphSpec = serde_json::from_value(json!({
        "relations": [{ "name": "depends_on", "propagation": "to_from" }],
        "nodes": [
            { "id": "shop", "kind": "business_service", "class": "service" },
            { "id": "db", "kind": "configuration_item", "class": "database" }
        ],
        "edges": [{ "from": "shop", "to": "db", "relation": "depends_on" }]
    }))
    .unwrap();
    assert_eq!(
        spec.nodes,
        vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            NodeSpec::new("db", NodeKind::ConfigurationItem, "database"),
        ]
    );
    assert_eq!(spec.nodes[0].tier, 0);
    assert_eq!(spec.nodes[0].owner, None);
    assert_eq!(spec.groups, vec![]);
    assert_eq!(spec.severity, SeverityScale::outage_degraded());
    assert_eq!(
        spec.severity,
        SeverityScale::new(&["degraded", "outage"], 1)
    );
    assert_eq!(SeverityScale::default(), SeverityScale::outage_degraded());
    let graph = Graph::from_spec(&spec).unwrap();
    assert_eq!(
        graph
            .impact(&Scenario::outages(&["db"]))
            .unwrap()
            .severity("shop"),
        Some(2)
    );
}

#[test]
fn required_and_unknown_fields_are_checked_on_load() {
    let missing = serde_json::from_value::<GraphSpec>(json!({ "relations": [], "nodes": [] }));
    assert!(
        missing
            .unwrap_err()
            .to_string()
            .contains("missing field `edges`"),
        "edges are required"
    );
    let unknown = serde_json::from_value::<GraphSpec>(json!({
        "relations": [], "edges": [],
        "nodes": [{ "id": "a", "kind": "configuration_item", "class": "host", "colour": "red" }]
    }));
    assert!(
        unknown
            .unwrap_err()
            .to_string()
            .contains("unknown field `colour`")
    );
    let kind = serde_json::from_value::<GraphSpec>(json!({
        "relations": [], "edges": [],
        "nodes": [{ "id": "a", "kind": "group", "class": "host" }]
    }));
    // `group` is a kind the compiled graph reports: a spec with it loads, and compiling it
    // says where groups are declared.
    let kind = kind.unwrap();
    assert_eq!(kind.nodes[0].kind, NodeKind::Group);
    assert_eq!(
        Graph::from_spec(&kind).unwrap_err(),
        itsm_graph::Error::InvalidNodeKind { id: "a".into() }
    );
    let min_up = serde_json::from_value::<GroupSpec>(json!({
        "id": "g", "members": ["a"], "min_up": { "ratio": 1 }
    }));
    assert!(
        min_up
            .unwrap_err()
            .to_string()
            .contains("unknown variant `ratio`")
    );
}

#[test]
fn scenarios_and_results_have_a_stable_form() {
    let scenario: Scenario = serde_json::from_value(json!({
        "failed": [{ "id": "db" }, { "id": "san", "severity": 1 }]
    }))
    .unwrap();
    assert_eq!(scenario.failed[0].severity, None);
    assert_eq!(scenario.failed[1].severity, Some(1));
    assert!(scenario.maintenance.is_empty());
    assert_eq!(
        serde_json::from_value::<Scenario>(json!({})).unwrap(),
        Scenario::default()
    );
    let json = serde_json::to_value(Resilience::MinimumSet {
        size: 2,
        example: vec!["a".into(), "b".into()],
    })
    .unwrap();
    assert_eq!(
        json,
        json!({ "kind": "minimum_set", "size": 2, "example": ["a", "b"] })
    );
    assert_eq!(
        serde_json::to_value(Resilience::AtLeast { checked: 3 }).unwrap(),
        json!({ "kind": "at_least", "checked": 3 })
    );
    assert_eq!(
        serde_json::to_value(Resilience::Unbreakable).unwrap(),
        json!({ "kind": "unbreakable" })
    );
    let graph = Graph::from_spec(&full()).unwrap();
    let impact = graph.impact(&Scenario::outages(&["auth"])).unwrap();
    let value = serde_json::to_value(&impact).unwrap();
    assert_eq!(
        value["affected"][0],
        json!({ "id": "shop", "kind": "business_service", "severity": 3, "severity_name": "affected (60%)" })
    );
    assert_eq!(
        value["explanations"][0]["groups"][0],
        json!({ "group": "all", "failed": 1, "members": 2, "min_up": 1, "held": true })
    );
    // The report's link to its graph's ids is not on the wire: read back, it equals the
    // original and knows only the nodes it lists; the graph still answers for the others.
    assert!(value.get("graph").is_none());
    let back: ImpactReport = serde_json::from_value(value).unwrap();
    assert_eq!(back, impact);
    assert_eq!(
        (back.severity("shop"), impact.severity("shop")),
        (Some(3), Some(3))
    );
    assert_eq!(
        (back.severity("web-1"), impact.severity("web-1")),
        (None, Some(0))
    );
    assert_eq!(graph.severity_in(&back, "web-1"), Ok(0));
    assert!(graph.severity_in(&back, "web-3").is_err());
    assert_eq!(impact.severity("web-3"), None);
}

#[test]
fn the_example_on_the_graph_page_reads_and_compiles() {
    let page = include_str!("../../../docs/graph.md");
    let block = page
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("docs/graph.md has a json block");
    let spec: GraphSpec = serde_json::from_str(block).unwrap();
    let graph = Graph::from_spec(&spec).unwrap();
    assert_eq!(
        graph.single_points_of_failure("web-shop").unwrap(),
        Vec::<String>::new()
    );
}

/// Issue 21's records: scenarios with a maintenance rule, root-cause queries with alarms,
/// graph edits, influences and the new explanation fields round-trip; what an older
/// version wrote still reads, and the defaults are not written.
#[test]
fn issue_21_records_round_trip_and_older_json_still_reads() {
    use itsm_graph::{Alarm, GraphEdit, MaintenanceRule, RootCauseQuery};

    // A scenario: the rule is written only when it is not the default.
    let mut scenario = Scenario::outages(&["db"]);
    assert_eq!(
        serde_json::to_value(&scenario).unwrap(),
        json!({ "failed": [{ "id": "db", "severity": null }], "maintenance": [] })
    );
    scenario.maintenance_rule = MaintenanceRule::HidesParents;
    let value = serde_json::to_value(&scenario).unwrap();
    assert_eq!(value["maintenance_rule"], "hides_parents");
    assert_eq!(serde_json::from_value::<Scenario>(value).unwrap(), scenario);
    let old: Scenario = serde_json::from_value(json!({ "failed": [{ "id": "db" }] })).unwrap();
    assert_eq!(old.maintenance_rule, MaintenanceRule::Excluded);
    // A root-cause query.
    let q: RootCauseQuery = serde_json::from_value(json!({
        "alarms": [{ "id": "shop", "severity": 1 }, { "id": "payroll" }],
        "maintenance": ["web-2"],
        "maintenance_rule": "lost_capacity",
        "limit": 5,
        "search": 100
    }))
    .unwrap();
    assert_eq!(q.alarms, [Alarm::at("shop", 1), Alarm::outage("payroll")]);
    assert_eq!(q.maintenance_rule, MaintenanceRule::LostCapacity);
    assert_eq!(
        serde_json::from_value::<RootCauseQuery>(serde_json::to_value(&q).unwrap()).unwrap(),
        q
    );
    assert!(
        serde_json::from_value::<RootCauseQuery>(
            json!({ "alarms": [], "limit": 1, "search": 1, "extra": 0 })
        )
        .is_err()
    );
    // Graph edits.
    let edits = vec![
        GraphEdit::RemoveNode("web-2".into()),
        GraphEdit::AddEdge(EdgeSpec::new("shop", "db", "depends_on")),
    ];
    let value = serde_json::to_value(&edits).unwrap();
    assert_eq!(value[0], json!({ "remove_node": "web-2" }));
    assert_eq!(
        serde_json::from_value::<Vec<GraphEdit>>(value).unwrap(),
        edits
    );
    // Influences: written only when given.
    let plain = GroupSpec::new("farm", &["a", "b"], MinUp::Count(1));
    assert!(
        serde_json::to_value(&plain)
            .unwrap()
            .get("influence")
            .is_none()
    );
    let weighted = GroupSpec::with_influence("cluster", &[("a", 30), ("b", 70)], 70);
    let value = serde_json::to_value(&weighted).unwrap();
    assert_eq!(value["influence"], json!([30, 70]));
    assert_eq!(
        serde_json::from_value::<GroupSpec>(value).unwrap(),
        weighted
    );
    // An explanation's new fields are written only when they say something.
    let spec = GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            NodeSpec::new("a", NodeKind::ConfigurationItem, "host"),
            NodeSpec::new("b", NodeKind::ConfigurationItem, "host"),
            NodeSpec::new("lb", NodeKind::ConfigurationItem, "host"),
        ],
        vec![GroupSpec::new("farm", &["a", "b"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("shop", "farm", "depends_on"),
            EdgeSpec::new("farm", "lb", "depends_on"),
        ],
    );
    let graph = Graph::from_spec(&spec).unwrap();
    let report = graph.impact(&Scenario::outages(&["lb"])).unwrap();
    assert_eq!(
        serde_json::to_value(&report.explanations[0].groups[0]).unwrap(),
        json!({ "group": "farm", "failed": 0, "members": 2, "min_up": 1, "held": false, "through": "lb" })
    );
    let report = graph.impact(&Scenario::outages(&["a"])).unwrap();
    assert_eq!(
        serde_json::to_value(&report.explanations[0].groups[0]).unwrap(),
        json!({ "group": "farm", "failed": 1, "members": 2, "min_up": 1, "held": true })
    );
}
