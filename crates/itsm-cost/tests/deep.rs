//! Deep and wide inputs on a 256 kB stack: a million-node chain, a million-node cycle, a
//! million-member group and a node on a million paths. A recursion whose depth follows the
//! input would overflow here and fail loudly.
// Amounts are written as units_cents (2_500_00 is 2,500.00).
#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use itsm_cost::{CostSpec, Costing, Distribution, Error, Expense, Policy, RateCard, Selector};
use itsm_graph::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

use itsm_testkit::on_small_stack;

const N: usize = 1_000_000;

fn ci(i: usize) -> NodeSpec {
    NodeSpec::new(&format!("c{i}"), NodeKind::ConfigurationItem, "host")
}

fn chain(cycle: bool) -> GraphSpec {
    let mut nodes = vec![NodeSpec::new("top", NodeKind::BusinessService, "service")];
    nodes.extend((0..N).map(ci));
    let mut edges = vec![EdgeSpec::new("top", "c0", "depends_on")];
    edges.extend(
        (1..N).map(|i| EdgeSpec::new(&format!("c{}", i - 1), &format!("c{i}"), "depends_on")),
    );
    if cycle {
        edges.push(EdgeSpec::new(&format!("c{}", N - 1), "c0", "depends_on"));
    }
    GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        nodes,
        vec![],
        edges,
    )
}

#[test]
fn a_million_long_chain_rolls_up_to_the_top() {
    on_small_stack(|| {
        let g = chain(false);
        let spec = CostSpec::new(
            vec![RateCard::new(
                "hosts",
                Selector::classes(&["host"]),
                &[("support", 3)],
            )],
            vec![Expense::new(&format!("c{}", N - 1), 7, "")],
            vec![Distribution::new(
                "power",
                1_000_001,
                Selector::locations(&["nowhere"]),
            )],
        );
        let c = Costing::new(&g, &spec, &Policy::default()).unwrap();
        assert_eq!(c.cost("top").unwrap().total, 3 * N as i64 + 7);
        assert_eq!(c.cost("c0").unwrap().inherited, 3 * (N as i64 - 1) + 7);
        assert_eq!(c.holders().len(), 1);
        assert_eq!(c.totals().undistributed, 1_000_001);
        assert_eq!(c.lines(&format!("c{}", N - 1)).unwrap().len(), 2);
    });
}

#[test]
fn a_million_long_cycle_is_named() {
    on_small_stack(|| {
        let err = Costing::new(&chain(true), &CostSpec::default(), &Policy::default()).unwrap_err();
        let Error::Cycle { nodes, length } = err else {
            panic!("{err}")
        };
        assert_eq!(length, N);
        assert_eq!(nodes[0], "c0");
    });
}

#[test]
fn a_million_member_group_and_a_million_paths() {
    on_small_stack(|| {
        let mut nodes = vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            NodeSpec::new("dns", NodeKind::ConfigurationItem, "dns"),
        ];
        nodes.extend((0..N).map(ci));
        let members: Vec<String> = (0..N).map(|i| format!("c{i}")).collect();
        let refs: Vec<&str> = members.iter().map(String::as_str).collect();
        let group = GroupSpec::new("farm", &refs, MinUp::Count(1));
        // Every host depends on dns: dns's cost is split a million ways.
        let mut edges = vec![EdgeSpec::new("shop", "farm", "depends_on")];
        edges.extend((0..N).map(|i| EdgeSpec::new(&format!("c{i}"), "dns", "depends_on")));
        let g = GraphSpec::new(
            vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
            nodes,
            vec![group],
            edges,
        );
        let spec = CostSpec::new(
            vec![],
            vec![Expense::new("dns", 1_500_000, "")],
            vec![Distribution::new(
                "power",
                2_000_001,
                Selector::classes(&["host"]),
            )],
        );
        let c = Costing::new(&g, &spec, &Policy::default()).unwrap();
        assert_eq!(c.cost("shop").unwrap().total, 3_500_001);
        assert_eq!(c.cost("c0").unwrap().inherited, 2);
        assert_eq!(c.cost(&format!("c{}", N - 1)).unwrap().inherited, 1);
        assert_eq!(c.passed("dns").unwrap().len(), N);
        assert_eq!(c.received("farm").unwrap().len(), N);
        // The last host's share of power: its rank is counted over the graph.
        let last = c.lines(&format!("c{}", N - 1)).unwrap();
        assert_eq!(last[0].amount, 2);
    });
}
