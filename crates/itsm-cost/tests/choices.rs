//! Our choices where the tools' documentation is silent (docs/cost.md), and every error.
// Amounts are written as units_cents (2_500_00 is 2,500.00).
#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use itsm_cost::{
    Allocate, AllocationUnits, Budget, CostSpec, Costing, Cycles, Distribution, Error, Expense,
    PathRule, Policy, RateCard, Selector, Source, UnitMethod,
};
use itsm_graph::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

fn ci(id: &str, class: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::ConfigurationItem, class)
}

fn service(id: &str) -> NodeSpec {
    NodeSpec::new(id, NodeKind::BusinessService, "service")
}

fn depends() -> RelationSpec {
    RelationSpec::new("depends_on", Propagation::ToFrom)
}

fn run(graph: &GraphSpec, spec: &CostSpec) -> Result<Costing, Error> {
    Costing::new(graph, spec, &Policy::default())
}

fn ok(graph: &GraphSpec, spec: &CostSpec) -> Costing {
    match run(graph, spec) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    }
}

/// Two services on one database.
fn pair() -> GraphSpec {
    GraphSpec::new(
        vec![depends()],
        vec![service("a"), service("b"), ci("db", "database")],
        vec![],
        vec![
            EdgeSpec::new("a", "db", "depends_on"),
            EdgeSpec::new("b", "db", "depends_on"),
        ],
    )
}

fn expense(node: &str, amount: i64) -> CostSpec {
    CostSpec::new(vec![], vec![Expense::new(node, amount, "")], vec![])
}

#[test]
fn a_credit_splits_like_a_cost_with_the_sign_kept() {
    let mut g = pair();
    g.nodes.push(service("c"));
    g.edges.push(EdgeSpec::new("c", "db", "depends_on"));
    let c = ok(&g, &expense("db", -100));
    let got: Vec<i64> = ["a", "b", "c"]
        .iter()
        .map(|s| c.cost(s).unwrap().total)
        .collect();
    assert_eq!(got, [-34, -33, -33]);
}

#[test]
fn the_extra_minor_unit_goes_to_the_first_parent_in_the_graphs_order() {
    // Edges listed b first: the order is the nodes', not the edges'.
    let g = GraphSpec::new(
        vec![depends()],
        vec![service("a"), service("b"), ci("db", "database")],
        vec![],
        vec![
            EdgeSpec::new("b", "db", "depends_on"),
            EdgeSpec::new("a", "db", "depends_on"),
        ],
    );
    let c = ok(&g, &expense("db", 3));
    assert_eq!(
        (c.cost("a").unwrap().total, c.cost("b").unwrap().total),
        (2, 1)
    );
    let passed = c.passed("db").unwrap();
    assert_eq!(passed[0].node, "a");
}

#[test]
fn parallel_edges_are_separate_paths() {
    let g = GraphSpec::new(
        vec![depends(), RelationSpec::new("runs_on", Propagation::ToFrom)],
        vec![service("a"), service("b"), ci("host", "host")],
        vec![],
        vec![
            EdgeSpec::new("a", "host", "depends_on"),
            EdgeSpec::new("a", "host", "runs_on"),
            EdgeSpec::new("b", "host", "depends_on"),
        ],
    );
    let c = ok(&g, &expense("host", 300));
    assert_eq!(c.cost("a").unwrap().inherited, 200);
    assert_eq!(c.cost("b").unwrap().inherited, 100);
    assert_eq!(c.received("a").unwrap().len(), 2);
}

#[test]
fn cost_travels_the_way_failure_does() {
    let g = GraphSpec::new(
        vec![RelationSpec::new("hosts", Propagation::FromTo)],
        vec![ci("vm", "vm"), ci("hypervisor", "host")],
        vec![],
        vec![EdgeSpec::new("hypervisor", "vm", "hosts")],
    );
    let c = ok(&g, &expense("hypervisor", 70));
    assert_eq!(c.cost("vm").unwrap().inherited, 70);
}

#[test]
fn a_relation_both_ways_is_a_cycle_unless_a_rule_narrows_it() {
    let g = GraphSpec::new(
        vec![RelationSpec::new("peer", Propagation::Both)],
        vec![ci("app", "application"), ci("cache", "cache")],
        vec![],
        vec![EdgeSpec::new("app", "cache", "peer")],
    );
    assert!(matches!(
        run(&g, &expense("cache", 5)),
        Err(Error::Cycle { length: 2, .. })
    ));
    let mut spec = expense("cache", 5);
    spec.paths = Some(vec![PathRule::new("cache", "peer")]);
    let c = ok(&g, &spec);
    assert_eq!(c.cost("app").unwrap().total, 5);
}

fn farm() -> GraphSpec {
    GraphSpec::new(
        vec![depends()],
        vec![service("shop"), ci("web-1", "host"), ci("web-2", "host")],
        vec![GroupSpec::new("farm", &["web-1", "web-2"], MinUp::Count(1))],
        vec![EdgeSpec::new("shop", "farm", "depends_on")],
    )
}

#[test]
fn a_group_collects_its_members_costs_and_passes_them_on() {
    let spec = CostSpec::new(
        vec![RateCard::new(
            "hosts",
            Selector::classes(&["host"]),
            &[("support", 10)],
        )],
        vec![],
        vec![],
    );
    let c = ok(&farm(), &spec);
    assert_eq!(c.cost("farm").unwrap().inherited, 20);
    assert_eq!(c.cost("shop").unwrap().total, 20);
    let received = c.received("farm").unwrap();
    assert_eq!(received[0].relation, None);
}

#[test]
fn only_a_rule_without_a_class_carries_a_groups_cost() {
    let mut spec = expense("web-1", 10);
    spec.paths = Some(vec![PathRule {
        child_class: Some("host".into()),
        parent_class: Some("service".into()),
        relation: None,
    }]);
    let c = ok(&farm(), &spec);
    // The membership carries; the group's edge to the shop matches no rule: stranded.
    let h = c.holders();
    assert_eq!(h.len(), 1);
    assert_eq!(
        (h[0].id.as_str(), h[0].service, h[0].amount),
        ("farm", false, 10)
    );
    assert_eq!(c.totals().stranded, 10);
    spec.paths = Some(vec![PathRule {
        relation: Some("depends_on".into()),
        ..PathRule::default()
    }]);
    assert_eq!(ok(&farm(), &spec).cost("shop").unwrap().total, 10);
}

#[test]
fn an_empty_path_list_carries_nothing() {
    let mut spec = expense("db", 10);
    spec.paths = Some(vec![]);
    let c = ok(&pair(), &spec);
    assert_eq!(c.cost("db").unwrap().paths, 0);
    assert_eq!(c.totals().stranded, 10);
}

#[test]
fn classes_and_locations_no_node_has_select_nothing() {
    let spec = CostSpec::new(
        vec![RateCard::new(
            "future",
            Selector::classes(&["mainframe"]),
            &[("x", 5)],
        )],
        vec![],
        vec![Distribution::new(
            "madrid power",
            900,
            Selector::locations(&["madrid"]),
        )],
    );
    let c = ok(&pair(), &spec);
    assert_eq!(c.totals().direct, 0);
    assert_eq!(c.undistributed().len(), 1);
    assert_eq!(c.undistributed()[0].amount, 900);
    assert_eq!(c.totals().undistributed, 900);
}

#[test]
fn lines_list_cards_then_expenses_then_distributions() {
    let spec = CostSpec::new(
        vec![RateCard::new(
            "db",
            Selector::nodes(&["db"]),
            &[("support", 1), ("backup", 2)],
        )],
        vec![
            Expense::new("db", 3, "lease"),
            Expense::new("a", 9, "other"),
        ],
        vec![Distribution::new(
            "power",
            10,
            Selector::nodes(&["a", "db"]),
        )],
    );
    let c = ok(&pair(), &spec);
    let lines = c.lines("db").unwrap();
    let amounts: Vec<i64> = lines.iter().map(|l| l.amount).collect();
    assert_eq!(amounts, [1, 2, 3, 5]);
    assert_eq!(
        lines[2].source,
        Source::Expense {
            description: "lease".into()
        }
    );
    assert_eq!(
        lines[3].source,
        Source::Distribution {
            name: "power".into()
        }
    );
    assert_eq!(c.cost("db").unwrap().direct, 11);
}

#[test]
fn a_distribution_lines_share_follows_the_nodes_rank() {
    let spec = CostSpec::new(
        vec![],
        vec![],
        vec![Distribution::new(
            "power",
            5,
            Selector::nodes(&["db", "a", "b"]),
        )],
    );
    let c = ok(&pair(), &spec);
    // 5 over 3: a (first in the graph) 2, b 2, db 1.
    let share = |id| c.lines(id).unwrap()[0].amount;
    assert_eq!((share("a"), share("b"), share("db")), (2, 2, 1));
}

fn nested() -> GraphSpec {
    GraphSpec::new(
        vec![depends()],
        vec![service("portal"), service("auth"), ci("db", "database")],
        vec![],
        vec![
            EdgeSpec::new("portal", "auth", "depends_on"),
            EdgeSpec::new("auth", "db", "depends_on"),
        ],
    )
}

#[test]
fn allocating_totals_counts_a_nested_service_twice_and_kept_does_not() {
    let mut spec = expense("db", 1_000);
    spec.units = vec![
        AllocationUnits::new("portal", 1, &[("sales", 1)]),
        AllocationUnits::new("auth", 1, &[("it", 1)]),
    ];
    let c = ok(&nested(), &spec);
    assert_eq!(c.totals().allocated, 2_000);
    let mut policy = Policy::default();
    policy.allocate = Allocate::Kept;
    let c = Costing::new(&nested(), &spec, &policy).unwrap();
    assert_eq!(c.totals().allocated, 1_000);
    assert_eq!(c.allocations()[1].amount, 0);
}

#[test]
fn no_consumer_leaves_everything_unallocated() {
    let mut spec = expense("a", 700);
    spec.units = vec![AllocationUnits::new("a", 10, &[])];
    for method in [UnitMethod::AllUnits, UnitMethod::AllocatedUnits] {
        let mut policy = Policy::default();
        policy.unit_method = method;
        let c = Costing::new(&pair(), &spec, &policy).unwrap();
        assert!(c.allocations().is_empty());
        assert_eq!(
            (c.unallocated()[0].units, c.unallocated()[0].amount),
            (10, 700)
        );
    }
}

#[test]
fn units_split_by_largest_remainder() {
    // 100 over units 1, 1, 1 of 3: 33.33 each, the cent left to the first.
    let mut spec = expense("a", 100);
    spec.units = vec![AllocationUnits::new(
        "a",
        3,
        &[("x", 1), ("y", 1), ("z", 1)],
    )];
    let c = ok(&pair(), &spec);
    let got: Vec<i64> = c.allocations().iter().map(|a| a.amount).collect();
    assert_eq!(got, [34, 33, 33]);
    assert_eq!(
        (c.unallocated()[0].units, c.unallocated()[0].amount),
        (0, 0)
    );
    // 10 over 2 of 3 units and 1 unused: 6.67 -> 7, unallocated 3.33 -> 3.
    spec.units = vec![AllocationUnits::new("a", 3, &[("x", 2)])];
    let c = ok(&pair(), &spec);
    spec.expenses[0].amount = 10;
    let c2 = ok(&pair(), &spec);
    assert_eq!(c.allocations()[0].amount, 67);
    assert_eq!(c2.allocations()[0].amount, 7);
    assert_eq!(c2.unallocated()[0].amount, 3);
}

#[test]
fn cost_centres_add_up_across_services() {
    let mut spec = CostSpec::new(
        vec![],
        vec![Expense::new("a", 10, ""), Expense::new("b", 20, "")],
        vec![],
    );
    spec.units = vec![
        AllocationUnits::new("a", 1, &[("sales", 1)]),
        AllocationUnits::new("b", 2, &[("sales", 1), ("hr", 1)]),
    ];
    let c = ok(&pair(), &spec);
    let centres: Vec<(String, i128)> = c
        .cost_centres()
        .into_iter()
        .map(|c| (c.name, c.amount))
        .collect();
    assert_eq!(centres, [("hr".to_owned(), 10), ("sales".to_owned(), 20)]);
    assert_eq!(c.allocated_to(&["sales".into(), "nobody".into()]), 20);
}

#[test]
fn totals_conserve_the_money_entered() {
    let spec = CostSpec::new(
        vec![RateCard::new(
            "dbs",
            Selector::classes(&["database"]),
            &[("s", 101)],
        )],
        vec![Expense::new("a", -7, "credit")],
        vec![
            Distribution::new("p", 10, Selector::nodes(&["a", "b", "db"])),
            Distribution::new("none", 4, Selector::classes(&["nothing"])),
        ],
    );
    let c = ok(&pair(), &spec);
    let t = c.totals();
    assert_eq!(t.direct + t.undistributed, 101 - 7 + 10 + 4);
    assert_eq!(t.direct, t.kept_by_services + t.stranded);
    assert_eq!(t.stranded, 0);
}

#[test]
fn every_error_names_its_record() {
    let g = pair();
    let mut dup = pair();
    dup.nodes.push(ci("db", "x"));
    assert_eq!(
        run(&dup, &CostSpec::default()).unwrap_err(),
        Error::DuplicateId { id: "db".into() }
    );
    let mut rel = pair();
    rel.relations.push(depends());
    assert!(matches!(
        run(&rel, &CostSpec::default()),
        Err(Error::DuplicateRelation { .. })
    ));
    let mut edge = pair();
    edge.edges.push(EdgeSpec::new("a", "nope", "depends_on"));
    assert_eq!(
        run(&edge, &CostSpec::default()).unwrap_err().to_string(),
        "the graph's edges name node `nope`, which the graph does not have; use one of its node ids"
    );
    let mut edge = pair();
    edge.edges.push(EdgeSpec::new("a", "db", "uses"));
    assert!(matches!(
        run(&edge, &CostSpec::default()),
        Err(Error::UnknownRelation {
            list: "the graph's edges",
            ..
        })
    ));
    let mut spec = CostSpec::default();
    spec.paths = Some(vec![PathRule::new("database", "uses")]);
    assert!(matches!(
        run(&g, &spec),
        Err(Error::UnknownRelation {
            list: "the relationship paths",
            ..
        })
    ));
    let mut group = farm();
    group.groups[0].members.push("web-9".into());
    assert!(matches!(
        run(&group, &CostSpec::default()),
        Err(Error::UnknownNode {
            list: "the graph's groups",
            ..
        })
    ));

    let card = |name: &str, sel: Selector| RateCard::new(name, sel, &[("x", 1)]);
    let spec = CostSpec::new(vec![card("c", Selector::nodes(&["zz"]))], vec![], vec![]);
    assert!(matches!(
        run(&g, &spec),
        Err(Error::UnknownNode {
            list: "the rate cards",
            ..
        })
    ));
    let spec = CostSpec::new(vec![card("c", Selector::nodes(&["farm"]))], vec![], vec![]);
    assert!(matches!(
        run(&farm(), &spec),
        Err(Error::GroupNamed {
            list: "the rate cards",
            ..
        })
    ));
    let spec = CostSpec::new(vec![card("c", Selector::default())], vec![], vec![]);
    assert_eq!(
        run(&g, &spec).unwrap_err().to_string(),
        "rate card `c` selects nothing: it has no condition (classes, locations) and lists no nodes; give it one or the other"
    );
    let spec = CostSpec::new(
        vec![
            card("c", Selector::nodes(&["a"])),
            card("c", Selector::nodes(&["b"])),
        ],
        vec![],
        vec![],
    );
    assert!(matches!(
        run(&g, &spec),
        Err(Error::DuplicateName {
            kind: "rate card",
            ..
        })
    ));
    let spec = CostSpec::new(
        vec![RateCard::new(
            "c",
            Selector::nodes(&["a"]),
            &[("x", 1), ("x", 2)],
        )],
        vec![],
        vec![],
    );
    assert!(matches!(
        run(&g, &spec),
        Err(Error::DuplicateName {
            kind: "rate card cost",
            ..
        })
    ));
    let d = |name: &str| Distribution::new(name, 1, Selector::nodes(&["a"]));
    let spec = CostSpec::new(vec![], vec![], vec![d("p"), d("p")]);
    assert!(matches!(
        run(&g, &spec),
        Err(Error::DuplicateName {
            kind: "distribution cost",
            ..
        })
    ));
    let spec = CostSpec::new(
        vec![],
        vec![],
        vec![Distribution::new("p", 1, Selector::default())],
    );
    assert!(matches!(
        run(&g, &spec),
        Err(Error::EmptySelector {
            kind: "distribution cost",
            ..
        })
    ));
    assert!(matches!(
        run(&g, &expense("zz", 1)),
        Err(Error::UnknownNode {
            list: "the expenses",
            ..
        })
    ));
    assert!(matches!(
        run(&farm(), &expense("farm", 1)),
        Err(Error::GroupNamed {
            list: "the expenses",
            ..
        })
    ));

    let units = |u: Vec<AllocationUnits>| {
        let mut s = CostSpec::default();
        s.units = u;
        s
    };
    let spec = units(vec![AllocationUnits::new("zz", 1, &[])]);
    assert!(matches!(
        run(&g, &spec),
        Err(Error::UnknownNode {
            list: "the allocation units",
            ..
        })
    ));
    let spec = units(vec![
        AllocationUnits::new("a", 1, &[]),
        AllocationUnits::new("a", 1, &[]),
    ]);
    assert_eq!(
        run(&g, &spec).unwrap_err(),
        Error::DuplicateUnits { id: "a".into() }
    );
    let spec = units(vec![AllocationUnits::new("a", 0, &[])]);
    assert_eq!(
        run(&g, &spec).unwrap_err().to_string(),
        "service `a` provides 0 units; its total units must be 1 or more"
    );
    let spec = units(vec![AllocationUnits::new("a", 5, &[("x", 1), ("x", 2)])]);
    assert!(matches!(
        run(&g, &spec),
        Err(Error::DuplicateConsumer { .. })
    ));
    let spec = units(vec![AllocationUnits::new(
        "a",
        5,
        &[("x", u64::MAX), ("y", 2)],
    )]);
    assert_eq!(
        run(&g, &spec).unwrap_err(),
        Error::OverAllocated {
            id: "a".into(),
            total: 5,
            allocated: u128::from(u64::MAX) + 2
        }
    );
    let c = ok(&g, &CostSpec::default());
    assert!(matches!(
        c.cost("zz"),
        Err(Error::UnknownNode {
            list: "queries",
            ..
        })
    ));
    assert!(c.lines("zz").is_err() && c.received("zz").is_err() && c.passed("zz").is_err());
}

#[test]
fn overflow_is_an_error_not_a_wrap() {
    let spec = CostSpec::new(
        vec![],
        vec![Expense::new("db", i64::MAX, ""), Expense::new("db", 1, "")],
        vec![],
    );
    assert_eq!(
        run(&pair(), &spec).unwrap_err(),
        Error::Overflow { id: "db".into() }
    );
    // Two children at the maximum reach one parent: the parent overflows.
    let g = GraphSpec::new(
        vec![depends()],
        vec![service("s"), ci("x", "h"), ci("y", "h")],
        vec![],
        vec![
            EdgeSpec::new("s", "x", "depends_on"),
            EdgeSpec::new("s", "y", "depends_on"),
        ],
    );
    let spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("x", i64::MAX, ""),
            Expense::new("y", i64::MAX, ""),
        ],
        vec![],
    );
    assert_eq!(
        run(&g, &spec).unwrap_err(),
        Error::Overflow { id: "s".into() }
    );
    // A card's costs past 64 bits are refused only where they land, and the order of the
    // lines does not matter: MAX + 1 - 1 fits.
    let card = |costs: &[(&str, i64)]| {
        CostSpec::new(
            vec![RateCard::new("big", Selector::nodes(&["x"]), costs)],
            vec![Expense::new("x", -1, "")],
            vec![],
        )
    };
    let c = run(&g, &card(&[("a", i64::MAX), ("b", 1)])).unwrap();
    assert_eq!(c.cost("x").unwrap().direct, i64::MAX);
    let spec = CostSpec::new(
        vec![RateCard::new(
            "idle",
            Selector::classes(&["none"]),
            &[("a", i64::MAX), ("b", 1)],
        )],
        vec![],
        vec![],
    );
    assert!(run(&g, &spec).is_ok());
    // A child at MAX and one at MIN + 1 under one parent, in either order: the parent fits.
    for (x, y) in [(i64::MAX, i64::MIN + 1), (i64::MIN + 1, i64::MAX)] {
        let spec = CostSpec::new(
            vec![],
            vec![Expense::new("x", x, ""), Expense::new("y", y, "")],
            vec![],
        );
        assert_eq!(run(&g, &spec).unwrap().cost("s").unwrap().total, 0);
    }
    // A cycle is reported before an overflow on it.
    let mut cyclic = g.clone();
    cyclic.edges.push(EdgeSpec::new("x", "s", "depends_on"));
    let spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("x", i64::MAX, ""),
            Expense::new("y", i64::MAX, ""),
        ],
        vec![],
    );
    assert!(matches!(run(&cyclic, &spec), Err(Error::Cycle { .. })));
    // The extremes themselves split exactly.
    let spec = CostSpec::new(vec![], vec![Expense::new("db", i64::MIN, "")], vec![]);
    let c = ok(&pair(), &spec);
    assert_eq!(
        c.cost("a").unwrap().total + c.cost("b").unwrap().total,
        i64::MIN
    );
}

#[test]
fn a_long_cycle_is_named_in_part() {
    let n = 20;
    let mut nodes = vec![];
    let mut edges = vec![];
    for i in 0..n {
        nodes.push(ci(&format!("n{i:02}"), "h"));
        edges.push(EdgeSpec::new(
            &format!("n{i:02}"),
            &format!("n{:02}", (i + 1) % n),
            "depends_on",
        ));
    }
    let g = GraphSpec::new(vec![depends()], nodes, vec![], edges);
    let err = run(&g, &CostSpec::default()).unwrap_err();
    // n00 depends on n01, so n01's cost goes to n00; n19 depends on n00, so n00's goes to n19.
    let Error::Cycle { nodes, length } = &err else {
        panic!("{err}")
    };
    assert_eq!(*length, 20);
    assert_eq!(nodes.len(), itsm_cost::CYCLE_SHOWN);
    assert_eq!(&nodes[..3], ["n00", "n19", "n18"]);
    assert_eq!(
        err.to_string(),
        "cost would go round a cycle forever: `n00` -> `n19` -> `n18` -> `n17` -> `n16` -> `n15` \
         -> `n14` -> `n13` -> ... (20 nodes in all) -> `n00`; leave one of its relationships out \
         of the relationship paths"
    );
    // A cycle of exactly as many nodes as are shown is shown whole.
    let nodes: Vec<NodeSpec> = (0..8).map(|i| ci(&format!("m{i}"), "h")).collect();
    let edges: Vec<EdgeSpec> = (0..8)
        .map(|i| EdgeSpec::new(&format!("m{i}"), &format!("m{}", (i + 1) % 8), "depends_on"))
        .collect();
    let g = GraphSpec::new(vec![depends()], nodes, vec![], edges);
    let text = run(&g, &CostSpec::default()).unwrap_err().to_string();
    assert!(!text.contains("..."), "{text}");
    assert!(text.contains("`m1` -> `m0`; leave"), "{text}");
}

#[test]
fn budgets_project_and_refuse_bad_dates() {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let b = Budget::new("b", d(1, 1), d(1, 3), 100, &["x"]);
    // 1 of 3 days, 5 spent: 15; after the end, the actual.
    assert_eq!(b.status(5, d(1, 1)).unwrap().projected, 15);
    assert_eq!(b.status(5, d(2, 1)).unwrap().projected, 5);
    // 2 of 3 days, 1 spent: 1.5 -> 2; -1 -> -2 (halves away from zero).
    assert_eq!(b.status(1, d(1, 2)).unwrap().projected, 2);
    assert_eq!(b.status(-1, d(1, 2)).unwrap().projected, -2);
    assert_eq!(b.status(200, d(1, 3)).unwrap().remaining, -100);
    assert_eq!(
        b.status(0, d(1, 1) - chrono::Duration::days(1))
            .unwrap_err()
            .to_string(),
        "budget `b` starts on 2026-01-01, after 2025-12-31; project it on its first day or later"
    );
    // A one-day budget: its day is the whole period.
    let day = Budget::new("day", d(3, 1), d(3, 1), 10, &["x"]);
    let s = day.status(7, d(3, 1)).unwrap();
    assert_eq!((s.projected, s.elapsed_days, s.period_days), (7, 1, 1));
    let bad = Budget::new("bad", d(2, 1), d(1, 1), 0, &[]);
    assert!(matches!(
        bad.status(0, d(3, 1)),
        Err(Error::BudgetEndsBeforeStart { .. })
    ));
    // chrono's limits: any 64-bit actual projects; past 2^100 or so, an error, not a
    // saturated answer.
    let wide = Budget::new("wide", NaiveDate::MIN, NaiveDate::MAX, 0, &[]);
    let s = wide.status(i128::from(i64::MAX), NaiveDate::MIN).unwrap();
    assert_eq!(
        s.projected,
        i128::from(i64::MAX) * i128::from(s.period_days)
    );
    assert_eq!(
        wide.status(i128::MAX, NaiveDate::MIN).unwrap_err(),
        Error::BudgetOverflow {
            name: "wide".into()
        }
    );
    assert!(matches!(
        b.status(i128::MIN, d(1, 3)),
        Err(Error::BudgetOverflow { .. })
    ));
}

fn pooled() -> Policy {
    let mut p = Policy::default();
    p.cycles = Cycles::Pool;
    p
}

/// The shop's checkout and payments APIs depend on each other; two services use checkout.
fn mutual() -> GraphSpec {
    let tech = |id| NodeSpec::new(id, NodeKind::TechnicalService, "service");
    GraphSpec::new(
        vec![depends()],
        vec![
            service("web-shop"),
            service("mobile-app"),
            tech("checkout-api"),
            tech("payments-api"),
            ci("psp", "payment_gateway"),
        ],
        vec![],
        vec![
            EdgeSpec::new("web-shop", "checkout-api", "depends_on"),
            EdgeSpec::new("mobile-app", "checkout-api", "depends_on"),
            EdgeSpec::new("checkout-api", "payments-api", "depends_on"),
            EdgeSpec::new("payments-api", "checkout-api", "depends_on"),
            EdgeSpec::new("payments-api", "psp", "depends_on"),
        ],
    )
}

#[test]
fn a_pool_costs_services_that_depend_on_each_other_as_one() {
    let spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("checkout-api", 100, ""),
            Expense::new("payments-api", 200, ""),
            Expense::new("psp", 1_001, "fees"),
        ],
        vec![],
    );
    // Refused by default, naming the cycle.
    assert_eq!(
        run(&mutual(), &spec).unwrap_err(),
        Error::Cycle {
            nodes: vec!["checkout-api".into(), "payments-api".into()],
            length: 2
        }
    );
    assert_eq!(
        run(&mutual(), &spec).unwrap_err().to_string(),
        "cost would go round a cycle forever: `checkout-api` -> `payments-api` -> `checkout-api`; \
         leave one of its relationships out of the relationship paths"
    );
    let c = Costing::new(&mutual(), &spec, &pooled()).unwrap();
    // The pool: 100 + 200 of its own and 1,001 from the provider, out by its two exits.
    assert_eq!(c.pools().len(), 1);
    let pool = &c.pools()[0];
    assert_eq!(pool.members, ["checkout-api", "payments-api"]);
    assert_eq!((pool.amount, pool.exits), (1_301, 2));
    assert_eq!(c.cost("web-shop").unwrap().total, 651);
    assert_eq!(c.cost("mobile-app").unwrap().total, 650);
    // Members: their own cost and what came from outside; nothing travels inside.
    let payments = c.cost("payments-api").unwrap();
    assert_eq!(
        (payments.total, payments.passed_on, payments.kept),
        (1_201, 0, 0)
    );
    assert!(payments.pooled);
    let checkout = c.cost("checkout-api").unwrap();
    assert_eq!((checkout.total, checkout.passed_on), (100, 1_301));
    assert!(
        c.passed("payments-api")
            .unwrap()
            .iter()
            .all(|s| s.amount == 0)
    );
    assert_eq!(c.totals().kept_by_services, 1_301);
}

#[test]
fn a_pool_with_no_way_out_keeps_its_members_costs() {
    let mut g = mutual();
    g.edges
        .retain(|e| !e.from.ends_with("shop") && e.from != "mobile-app");
    let spec = CostSpec::new(
        vec![],
        vec![
            Expense::new("checkout-api", 100, ""),
            Expense::new("psp", 50, ""),
        ],
        vec![],
    );
    let c = Costing::new(&g, &spec, &pooled()).unwrap();
    assert_eq!(c.pools()[0].exits, 0);
    let holders: Vec<(String, i64)> = c.holders().into_iter().map(|h| (h.id, h.amount)).collect();
    assert_eq!(
        holders,
        [
            ("checkout-api".to_owned(), 100),
            ("payments-api".to_owned(), 50)
        ]
    );
}

#[test]
fn a_node_on_a_path_to_itself_is_a_pool_of_one() {
    let mut g = pair();
    g.edges.push(EdgeSpec::new("db", "db", "depends_on"));
    assert!(matches!(
        run(&g, &expense("db", 9)),
        Err(Error::Cycle { length: 1, .. })
    ));
    let c = Costing::new(&g, &expense("db", 9), &pooled()).unwrap();
    assert_eq!(c.pools()[0].members, ["db"]);
    // Its exits are its two services; the path to itself carries nothing.
    assert_eq!(c.pools()[0].exits, 2);
    assert_eq!(c.cost("a").unwrap().total, 5);
    assert_eq!(c.cost("db").unwrap().paths, 3);
}

#[test]
fn the_graph_is_checked_where_costing_reads_it() {
    let mut g = pair();
    g.nodes.push(NodeSpec::new("x", NodeKind::Group, "c"));
    assert_eq!(
        run(&g, &CostSpec::default()).unwrap_err(),
        Error::GroupInNodes { id: "x".into() }
    );
    let mut g = farm();
    g.groups[0].members.clear();
    assert_eq!(
        run(&g, &CostSpec::default()).unwrap_err().to_string(),
        "group `farm` has no members; a group needs at least one"
    );
    let mut g = farm();
    g.groups[0].members.push("web-1".into());
    assert_eq!(
        run(&g, &CostSpec::default()).unwrap_err(),
        Error::DuplicateMember {
            group: "farm".into(),
            member: "web-1".into()
        }
    );
}

mod tasks {
    use chrono::Duration;
    use itsm_cost::{
        Condition, Error, LabourRateCard, Task, TaskRate, TaskRateCard, TaskRates, Worker,
        cost_tasks,
    };

    fn timed(default_hourly: i64) -> TaskRateCard {
        TaskRateCard::new(
            "timed",
            "incident",
            Condition::any(),
            TaskRate::TimeWorked { default_hourly },
        )
    }

    #[test]
    fn ties_in_order_go_to_the_first_listed_and_unknown_workers_take_the_default() {
        let first = TaskRateCard::new("first", "incident", Condition::any(), TaskRate::Flat(1));
        let second = TaskRateCard::new("second", "incident", Condition::any(), TaskRate::Flat(2));
        let c = cost_tasks(
            &TaskRates::new(vec![first, second], vec![], vec![]),
            &[Task::new("I", "incident", None)],
        )
        .unwrap();
        assert_eq!(c.lines[0].card, "first");
        // A line without a node is no expense.
        assert!(c.expenses().is_empty());
        let lab = LabourRateCard::new("all", 60_00, Condition::any());
        let c = cost_tasks(
            &TaskRates::new(vec![timed(1)], vec![lab], vec![]),
            &[Task::new("I", "incident", Some("n")).worked("zed", Duration::minutes(1), None)],
        )
        .unwrap();
        // An empty condition holds for a worker not listed too (no fields to fail).
        assert_eq!(c.lines[0].amount, 1_00);
        let strict =
            LabourRateCard::new("dev", 60_00, Condition::any().with("department", &["dev"]));
        let c = cost_tasks(
            &TaskRates::new(vec![timed(30_00)], vec![strict], vec![]),
            &[Task::new("I", "incident", Some("n")).worked("zed", Duration::minutes(1), None)],
        )
        .unwrap();
        assert_eq!((c.lines[0].amount, c.total()), (50, 50));
        let e = &c.expenses()[0];
        assert_eq!(e.description, "I timed zed");
    }

    #[test]
    fn zero_time_gives_a_zero_line_and_seconds_round_to_the_nearest_unit() {
        let c = cost_tasks(
            &TaskRates::new(vec![timed(1)], vec![], vec![]),
            &[Task::new("I", "incident", None)
                .worked("a", Duration::zero(), None)
                .worked("b", Duration::minutes(30), None)
                .worked("c", Duration::minutes(29), None)],
        )
        .unwrap();
        let amounts: Vec<i64> = c.lines.iter().map(|l| l.amount).collect();
        // 1 unit an hour: half an hour rounds up, 29 minutes down.
        assert_eq!(amounts, [0, 1, 0]);
    }

    #[test]
    fn bad_task_inputs_are_refused() {
        let flat = |n: &str| TaskRateCard::new(n, "incident", Condition::any(), TaskRate::Flat(1));
        let err = |rates: TaskRates, tasks: &[Task]| cost_tasks(&rates, tasks).unwrap_err();
        assert!(matches!(
            err(
                TaskRates::new(vec![flat("x"), flat("x")], vec![], vec![]),
                &[]
            ),
            Error::DuplicateName {
                kind: "task rate card",
                ..
            }
        ));
        let lab = || LabourRateCard::new("l", 1, Condition::any());
        assert!(matches!(
            err(TaskRates::new(vec![], vec![lab(), lab()], vec![]), &[]),
            Error::DuplicateName {
                kind: "labour rate card",
                ..
            }
        ));
        let w = || Worker::new("ann", "d", "x");
        assert_eq!(
            err(TaskRates::new(vec![], vec![], vec![w(), w()]), &[]),
            Error::DuplicateWorker { id: "ann".into() }
        );
        let neg = Task::new("I", "incident", None).worked("ann", Duration::seconds(-1), None);
        assert_eq!(
            err(TaskRates::new(vec![flat("x")], vec![], vec![]), &[neg]).to_string(),
            "task `I`: `ann` worked a negative time; time worked is zero or more"
        );
        let long = Task::new("I", "incident", None).worked("ann", Duration::hours(2), None);
        assert_eq!(
            err(
                TaskRates::new(vec![timed(i64::MAX)], vec![], vec![]),
                &[long]
            ),
            Error::TaskOverflow { task: "I".into() }
        );
        // Durations hold a thousandth of 64 bits of seconds: a thousand and one of the longest.
        let mut many = Task::new("I", "incident", None);
        for _ in 0..1_001 {
            many = many.worked("ann", Duration::MAX, None);
        }
        assert!(matches!(
            err(TaskRates::new(vec![timed(0)], vec![], vec![]), &[many]),
            Error::TaskOverflow { .. }
        ));
    }
}
