//! Every error, as a structured value naming the offending record, with its message pinned.
// Tests unwrap results they have just checked and index vectors they have just built.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use itsm_graph::{
    EdgeSpec, Error, Failure, Graph, GraphBuilder, GraphSpec, GroupSpec, MinUp, NamedIn, NodeKind,
    NodeSpec, Propagation, RelationSpec, Scenario, SeverityScale,
};

fn ci(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::ConfigurationItem, "host")
}

/// Nodes `a`, `b`, `c`, relations `depends_on` and `hosts`, and whatever `change` does.
fn build(change: impl FnOnce(&mut GraphSpec)) -> Result<Graph, Error> {
    let mut spec = GraphSpec::new(
        vec![
            RelationSpec::new("depends_on", Propagation::ToFrom),
            RelationSpec::new("hosts", Propagation::FromTo),
        ],
        vec![ci("a"), ci("b"), ci("c")],
        vec![],
        vec![EdgeSpec::new("a", "b", "depends_on")],
    );
    change(&mut spec);
    Graph::from_spec(&spec)
}

/// The error, and its message.
fn refused(change: impl FnOnce(&mut GraphSpec)) -> (Error, String) {
    let err = build(change).map(|_| ()).unwrap_err();
    let text = err.to_string();
    (err, text)
}

#[test]
fn the_base_spec_is_accepted() {
    let graph = build(|_| {}).unwrap();
    assert_eq!(graph.node_count(), 3);
    assert_eq!(graph.arc_count(), 1);
}

#[test]
fn duplicate_ids_name_both_records() {
    assert_eq!(
        refused(|s| s.nodes.push(ci("a"))),
        (
            Error::DuplicateId {
                id: "a".into(),
                first: 0,
                second: 3
            },
            "id `a` is used twice (node or group #0 and #3); ids must be unique".into()
        )
    );
    // A group counts after the nodes.
    assert_eq!(
        refused(|s| s.groups.push(GroupSpec::new("b", &["a"], MinUp::Count(1)))),
        (
            Error::DuplicateId {
                id: "b".into(),
                first: 1,
                second: 3
            },
            "id `b` is used twice (node or group #1 and #3); ids must be unique".into()
        )
    );
    assert_eq!(
        refused(|s| {
            s.groups.push(GroupSpec::new("g", &["a"], MinUp::Count(1)));
            s.groups.push(GroupSpec::new("g", &["b"], MinUp::Count(1)));
        })
        .0,
        Error::DuplicateId {
            id: "g".into(),
            first: 3,
            second: 4
        }
    );
}

#[test]
fn a_duplicate_relation_is_named() {
    assert_eq!(
        refused(|s| s
            .relations
            .push(RelationSpec::new("hosts", Propagation::Both))),
        (
            Error::DuplicateRelation {
                name: "hosts".into()
            },
            "relation `hosts` is declared twice; relation names must be unique".into()
        )
    );
}

#[test]
fn an_edge_naming_an_unknown_node_is_named_with_its_position() {
    assert_eq!(
        refused(|s| s.edges.push(EdgeSpec::new("c", "zz", "depends_on"))),
        (
            Error::UnknownNode {
                id: "zz".into(),
                named_in: NamedIn::Edge {
                    edge: 1,
                    from: "c".into(),
                    to: "zz".into()
                }
            },
            "edge #1 (c -> zz) names unknown node `zz`; name a declared node or group".into()
        )
    );
    assert_eq!(
        refused(|s| s.edges.insert(0, EdgeSpec::new("yy", "zz", "hosts"))),
        (
            Error::UnknownNode {
                id: "yy".into(),
                named_in: NamedIn::Edge {
                    edge: 0,
                    from: "yy".into(),
                    to: "zz".into()
                }
            },
            "edge #0 (yy -> zz) names unknown node `yy`; name a declared node or group".into()
        )
    );
}

#[test]
fn an_undeclared_relation_lists_the_declared_ones() {
    assert_eq!(
        refused(|s| s.edges.push(EdgeSpec::new("b", "c", "uses"))),
        (
            Error::UnknownRelation {
                relation: "uses".into(),
                named_in: NamedIn::Edge {
                    edge: 1,
                    from: "b".into(),
                    to: "c".into()
                },
                declared: vec!["depends_on".into(), "hosts".into()]
            },
            "edge #1 (b -> c) uses undeclared relation `uses`; declared: depends_on, hosts".into()
        )
    );
}

#[test]
fn group_members_must_exist_once_each() {
    assert_eq!(
        refused(|s| s
            .groups
            .push(GroupSpec::new("farm", &["a", "w9"], MinUp::Count(1)))),
        (
            Error::UnknownNode {
                id: "w9".into(),
                named_in: NamedIn::Group {
                    group: "farm".into()
                }
            },
            "group `farm` names unknown node `w9`; name a declared node or group".into()
        )
    );
    // A member listed twice would shrink the group its percentage is taken of.
    assert_eq!(
        refused(|s| s
            .groups
            .push(GroupSpec::new("farm", &["a", "b", "a"], MinUp::Percent(67)))),
        (
            Error::DuplicateMember {
                group: "farm".into(),
                member: "a".into()
            },
            "group `farm` lists member `a` twice; list each member once".into()
        )
    );
}

#[test]
fn an_empty_group_is_refused_even_with_edges_into_it() {
    assert_eq!(
        refused(|s| s.groups.push(GroupSpec::new("farm", &[], MinUp::Count(0)))),
        (
            Error::EmptyGroup {
                group: "farm".into()
            },
            "group `farm` has no members; a group needs at least one".into()
        )
    );
    // An edge that makes the group depend on `c` does not make `c` a member.
    assert_eq!(
        refused(|s| {
            s.groups.push(GroupSpec::new("farm", &[], MinUp::Count(0)));
            s.edges.push(EdgeSpec::new("farm", "c", "depends_on"));
            s.edges.push(EdgeSpec::new("c", "farm", "hosts"));
        })
        .0,
        Error::EmptyGroup {
            group: "farm".into()
        }
    );
}

#[test]
fn a_group_cannot_need_more_members_than_it_has() {
    assert_eq!(
        refused(|s| s
            .groups
            .push(GroupSpec::new("farm", &["a", "b"], MinUp::Count(3)))),
        (
            Error::GroupThreshold {
                group: "farm".into(),
                min_up: 3,
                members: 2
            },
            "group `farm` needs 3 members up but has only 2".into()
        )
    );
    // Over 100%: 150% of 2, rounded up.
    assert_eq!(
        refused(|s| s
            .groups
            .push(GroupSpec::new("farm", &["a", "b"], MinUp::Percent(150)))),
        (
            Error::GroupThreshold {
                group: "farm".into(),
                min_up: 3,
                members: 2
            },
            "group `farm` needs 3 members up but has only 2".into()
        )
    );
    // Just over 100% of a small group (rounded down, it was accepted as 100%).
    assert_eq!(
        refused(|s| s
            .groups
            .push(GroupSpec::new("farm", &["a"], MinUp::Percent(101))))
        .0,
        Error::GroupThreshold {
            group: "farm".into(),
            min_up: 2,
            members: 1
        }
    );
    assert_eq!(
        refused(|s| s.groups.push(GroupSpec::new(
            "farm",
            &["a", "b", "c"],
            MinUp::Percent(255)
        )))
        .0,
        Error::GroupThreshold {
            group: "farm".into(),
            min_up: 8,
            members: 3
        }
    );
    // Edges into the group are not members to count.
    assert_eq!(
        refused(|s| {
            s.groups
                .push(GroupSpec::new("farm", &["a"], MinUp::Count(2)));
            s.edges.push(EdgeSpec::new("farm", "b", "depends_on"));
        })
        .0,
        Error::GroupThreshold {
            group: "farm".into(),
            min_up: 2,
            members: 1
        }
    );
    // The limits themselves are fine.
    for min_up in [
        MinUp::Count(3),
        MinUp::Percent(100),
        MinUp::Count(0),
        MinUp::Percent(0),
    ] {
        let graph = build(|s| {
            s.groups
                .push(GroupSpec::new("farm", &["a", "b", "c"], min_up))
        })
        .unwrap();
        let farm = graph.node("farm").unwrap();
        let need = match min_up {
            MinUp::Count(3) | MinUp::Percent(100) => 1,
            _ => 4,
        };
        assert_eq!(graph.group_rule(farm), Some((3, need)), "{min_up:?}");
    }
}

#[test]
fn a_bad_severity_scale_is_refused() {
    let scale = |levels: usize, group_holding: u8| {
        let names: Vec<String> = (1..=levels).map(|l| format!("level {l}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        SeverityScale::new(&names, group_holding)
    };
    let cases = [
        (
            scale(0, 1),
            Error::EmptySeverityScale,
            "the severity scale has no levels; give 1 to 250 levels, least severe first",
        ),
        (
            scale(2, 0),
            Error::UnknownHoldingLevel { level: 0, max: 2 },
            "groups hold at severity 0, outside the scale 1..=2; give a level of the scale",
        ),
        (
            scale(2, 3),
            Error::UnknownHoldingLevel { level: 3, max: 2 },
            "groups hold at severity 3, outside the scale 1..=2; give a level of the scale",
        ),
        (
            scale(251, 1),
            Error::TooManySeverityLevels {
                count: 251,
                max: 250,
            },
            "the severity scale has 251 levels; at most 250 are allowed",
        ),
        // An empty scale is reported as empty, whatever its holding level.
        (
            scale(0, 0),
            Error::EmptySeverityScale,
            "the severity scale has no levels; give 1 to 250 levels, least severe first",
        ),
    ];
    for (severity, error, message) in cases {
        assert_eq!(
            refused(|s| s.severity = severity.clone()),
            (error, message.to_owned())
        );
    }
    // The edges of the range are accepted.
    assert_eq!(build(|s| s.severity = scale(1, 1)).unwrap().outage(), 1);
    assert_eq!(
        build(|s| s.severity = scale(250, 250)).unwrap().outage(),
        250
    );
}

#[test]
fn the_builder_refuses_what_from_spec_refuses() {
    let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    b.relation(RelationSpec::new("depends_on", Propagation::ToFrom))
        .unwrap();
    assert_eq!(
        b.relation(RelationSpec::new("depends_on", Propagation::Both)),
        Err(Error::DuplicateRelation {
            name: "depends_on".into()
        })
    );
    b.node(&ci("a")).unwrap();
    b.group("g", MinUp::Count(1)).unwrap();
    assert_eq!(b.check_ids(), Ok(()));
    // Ids are checked in bulk: the repeat is found by `check_ids` (or `build`), and `find`
    // keeps answering with the first record.
    let again = b.group("a", MinUp::Count(1)).unwrap();
    let duplicate = Err(Error::DuplicateId {
        id: "a".into(),
        first: 0,
        second: 2,
    });
    assert_eq!(b.find("a").map(|n| n.index()), Some(0));
    assert_ne!(b.find("a"), Some(again));
    assert_eq!(b.check_ids(), duplicate);
    assert_eq!(
        b.clone().build().map(|g| g.node_count()).map(|_| ()),
        duplicate
    );
    let mut c = GraphBuilder::new(SeverityScale::outage_degraded());
    c.node(&ci("a")).unwrap();
    c.group("g", MinUp::Count(1)).unwrap();
    assert_eq!(
        c.build().map(|g| g.node_count()),
        Err(Error::EmptyGroup { group: "g".into() })
    );
}

/// What a spec cannot express, a builder refuses too: ids it did not make, a membership in a
/// node that is not a group, a node of kind `group`.
#[test]
fn the_builder_refuses_ids_it_did_not_make() {
    let mut big = GraphBuilder::new(SeverityScale::outage_degraded());
    let far = (0..5)
        .map(|i| big.node(&ci(&format!("x{i}"))))
        .last()
        .unwrap()
        .unwrap();
    let mut other_relations = GraphBuilder::new(SeverityScale::outage_degraded());
    other_relations
        .relation(RelationSpec::new("a", Propagation::ToFrom))
        .unwrap();
    let foreign_relation = other_relations
        .relation(RelationSpec::new("b", Propagation::ToFrom))
        .unwrap();

    let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
    let dep = b
        .relation(RelationSpec::new("depends_on", Propagation::ToFrom))
        .unwrap();
    let a = b.node(&ci("a")).unwrap();
    let g = b.group("g", MinUp::Count(1)).unwrap();
    let unknown = Error::UnknownNode {
        id: "#4".into(),
        named_in: NamedIn::Builder,
    };
    assert_eq!(
        unknown.to_string(),
        "a builder call names unknown node `#4`; name a declared node or group"
    );
    assert_eq!(b.edge(a, far, dep), Err(unknown.clone()));
    assert_eq!(b.edge(far, a, dep), Err(unknown.clone()));
    assert_eq!(b.member(g, far), Err(unknown.clone()));
    assert_eq!(b.member(far, a), Err(unknown));
    let relation = Error::UnknownRelation {
        relation: "#1".into(),
        named_in: NamedIn::Builder,
        declared: vec!["depends_on".into()],
    };
    assert_eq!(b.edge(a, g, foreign_relation), Err(relation.clone()));
    assert_eq!(
        relation.to_string(),
        "a builder call uses undeclared relation `#1`; declared: depends_on"
    );
    // A node is not a group, even when its id says so.
    let not_a_group = Error::UnknownGroup {
        id: "a".into(),
        member: "g".into(),
    };
    assert_eq!(b.member(a, g), Err(not_a_group.clone()));
    assert_eq!(
        not_a_group.to_string(),
        "`g` cannot be a member of `a`: it is not a redundancy group; members join groups made with `GraphBuilder::group`"
    );
    let kind = Error::InvalidNodeKind { id: "pool".into() };
    assert_eq!(
        b.node(&NodeSpec::new("pool", NodeKind::Group, "cluster")),
        Err(kind.clone())
    );
    assert_eq!(
        kind.to_string(),
        "node `pool` has kind `group`; redundancy groups are declared among the groups, with their members"
    );
    // Nothing refused was recorded: the graph has its one membership and no edge.
    b.member(g, a).unwrap();
    let graph = b.build().unwrap();
    assert_eq!((graph.node_count(), graph.arc_count()), (2, 1));
    assert_eq!(graph.node_at(0), Some(a));
    assert_eq!(a.to_string(), "#0");
}

#[test]
fn a_node_of_kind_group_in_a_spec_is_refused() {
    assert_eq!(
        refused(|s| s
            .nodes
            .push(NodeSpec::new("pool", NodeKind::Group, "cluster")))
        .0,
        Error::InvalidNodeKind { id: "pool".into() }
    );
}

/// Thousands of ids, indexed in bulk, with repeats: the earliest repeat is reported, as
/// checking them one by one would.
#[test]
fn bulk_id_checks_report_the_earliest_repeat() {
    for repeat_at in [5_000usize, 9_999, 12_345] {
        let mut b = GraphBuilder::new(SeverityScale::outage_degraded());
        for i in 0..20_000usize {
            // Ids 0..20000, except that two later ones repeat earlier ones.
            let id = if i == repeat_at {
                format!("n{}", i / 3)
            } else if i == 15_000 {
                "n7".to_owned()
            } else {
                format!("n{i}")
            };
            b.node(&ci(&id)).unwrap();
        }
        assert_eq!(
            b.check_ids(),
            Err(Error::DuplicateId {
                id: format!("n{}", repeat_at / 3),
                first: repeat_at / 3,
                second: repeat_at,
            })
        );
        assert_eq!(b.find("n19999").map(|n| n.index()), Some(19_999));
        assert_eq!(b.find("n20000"), None);
    }
}

#[test]
fn queries_name_an_unknown_node() {
    let graph = build(|_| {}).unwrap();
    let unknown = Error::UnknownNode {
        id: "zz".into(),
        named_in: NamedIn::Query,
    };
    assert_eq!(
        unknown.to_string(),
        "a query names unknown node `zz`; name a declared node or group"
    );
    assert_eq!(graph.node("zz"), Err(unknown.clone()));
    assert_eq!(
        graph.impact(&Scenario::outages(&["a", "zz"])),
        Err(unknown.clone())
    );
    let masked = Scenario::new(vec![Failure::outage("a")], &["zz"]);
    assert_eq!(graph.impact(&masked), Err(unknown.clone()));
    assert_eq!(graph.blast_radius("zz"), Err(unknown.clone()));
    assert_eq!(graph.root_causes(&["zz"], 5, 5), Err(unknown.clone()));
    assert_eq!(graph.single_points_of_failure("zz"), Err(unknown.clone()));
    assert_eq!(graph.resilience("zz", 2, 10), Err(unknown.clone()));
    assert_eq!(
        graph.what_if(&Scenario::outages(&["zz"]), &Scenario::default()),
        Err(unknown)
    );
}

#[test]
fn a_severity_outside_the_scale_is_refused() {
    let graph = build(|_| {}).unwrap();
    let at = |level: u8| Scenario::new(vec![Failure::at("b", level)], &[]);
    let zero = Error::UnknownSeverity { level: 0, max: 2 };
    assert_eq!(zero.to_string(), "severity 0 is outside the scale 1..=2");
    assert_eq!(graph.impact(&at(0)), Err(zero.clone()));
    let above = Error::UnknownSeverity { level: 3, max: 2 };
    assert_eq!(above.to_string(), "severity 3 is outside the scale 1..=2");
    assert_eq!(graph.impact(&at(3)), Err(above.clone()));
    assert_eq!(graph.what_if(&at(1), &at(3)), Err(above));
    // Even for a node in maintenance: the scenario is wrong, whatever is masked.
    let mut masked = at(0);
    masked.maintenance = vec!["b".into()];
    assert_eq!(graph.impact(&masked), Err(zero));
    assert_eq!(graph.impact(&at(2)).map(|i| i.severity("a")), Ok(Some(2)));
    // On a workspace too.
    let mut ws = graph.workspace();
    let b = graph.node("b").unwrap();
    assert_eq!(
        ws.run(&[(b, 0)], &[]).map(|v| v.count()),
        Err(Error::UnknownSeverity { level: 0, max: 2 })
    );
}
#[test]
fn the_too_large_message_names_the_limit() {
    // Not reachable in a test (it needs 2^32 nodes); its message is pinned all the same.
    let err = Error::TooLarge {
        what: "nodes",
        count: 5_000_000_000,
        max: 4_294_967_295,
    };
    assert_eq!(
        err.to_string(),
        "the graph has 5000000000 nodes; at most 4294967295 are supported"
    );
}

/// Influences adding up to `u32::MAX` or more are refused (they overflowed the group's
/// count and its threshold: a panic in debug builds, a group down with nothing failed in
/// release, before).
#[test]
fn influences_past_what_a_group_counts_are_refused() {
    let spec = GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "service"),
            NodeSpec::new("a", NodeKind::ConfigurationItem, "host"),
            NodeSpec::new("b", NodeKind::ConfigurationItem, "host"),
        ],
        vec![{
            let mut g = GroupSpec::with_influence("big", &[("a", u32::MAX - 1), ("b", 1)], 1);
            g.min_up = MinUp::Count(0);
            g
        }],
        vec![EdgeSpec::new("svc", "big", "depends_on")],
    );
    let e = Graph::from_spec(&spec).unwrap_err();
    assert_eq!(
        e,
        Error::InfluenceTooLarge {
            group: "big".into()
        }
    );
    assert!(e.to_string().contains("use smaller influences"), "{e}");
    // One less is fine.
    let mut ok = spec.clone();
    ok.groups[0].influence = vec![u32::MAX - 2, 1];
    let g = Graph::from_spec(&ok).unwrap();
    assert_eq!(
        g.group_rule(g.node("big").unwrap()),
        Some((u32::MAX - 1, u32::MAX))
    );
}
