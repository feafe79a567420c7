//! The fuzz harness of IT cost roll-up, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/cost_rollup.rs` calls [`rollup`], and so does the
//! stable test `crates/itsm-cost/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/cost_rollup/`.
//!
//! Every answer is compared with this harness's own reading of `docs/cost.md` (and of the
//! API's doc comments), written from the rules, not from the crate's code:
//! - ids in graph order (nodes, then groups); a carrying arc per relationship path: child
//!   `to`, parent `from` for a to-from relation, the other way for from-to, both for both,
//!   kept when no rules are given or a rule matches (its child class, parent class and
//!   relation each absent or equal; a group has no class), and one arc from each member to
//!   its group, always;
//! - direct cost: each card's costs on every node it lists or its condition selects (once),
//!   each expense, each distribution's even piece (the first `|a mod k|` selected nodes in
//!   graph order one minor unit more, of the amount's sign); a distribution selecting nobody
//!   is undistributed;
//! - the roll-up by Kahn's algorithm in i128: each node's total split evenly over its arcs
//!   in the parents' graph order; `Err(Cycle)` exactly when some node is never settled (the
//!   named cycle checked arc by arc, from its first node in graph order), `Err(Overflow)`
//!   exactly when a node's direct cost, or a settled node's inherited or total cost, leaves
//!   64 bits (direct costs checked first); under `Cycles::Pool` with a cycle, only what must
//!   hold whatever the pools (no `Err(Cycle)`, the conservation laws below);
//! - allocation by units with the largest remainders (first on ties, the unallocated rest
//!   counting as the last piece), of the total or of what a service keeps;
//! - `Err` for every other documented defect, with the variant and id of a record the model
//!   finds broken in the first stage (ids and relations, paths, edges and groups, rate
//!   cards, distributions, expenses, roll-up, allocation units) that has one;
//! - the money conserved: what was entered is `direct + undistributed`, `direct ==
//!   kept_by_services + stranded`, and a service's allocations and unallocated rest are its
//!   allocated amount, in the model and in the crate's answers alike.
//!
//! How [`decode`] reads the bytes (each choice a byte modulo the number of options; a
//! missing byte reads as 0, so zeros give one configuration item costing nothing), for
//! writing seeds by hand:
//! - byte 0, flags: bit 0 `AllocatedUnits`, bit 1 `Allocate::Kept`, bit 2 relationship
//!   paths given, bit 3 `Cycles::Pool`, bits 4-7 a large shape when 15 (then a byte: kind in bits 6-7, [`SHAPES`],
//!   size in bits 0-5, see [`shape`]);
//! - the graph: 1 + byte % 10 nodes `n0`.., a byte each: kind in bits 0-1 (0-1 configuration
//!   item, 2 business service, 3 technical service), class in bits 2-3 ([`CLASSES`]),
//!   location in bits 4-5 (none, then [`LOCATIONS`]); byte % 4 groups `g0`.., two bytes each:
//!   a member mask over the nodes, then the groups (itself included; none: `n0`); byte % 20 edges, two
//!   bytes each: the source (mod the ids), the target in bits 0-5 and the relation in bits
//!   6-7 ([`RELATIONS`]);
//! - with paths: byte % 4 rules, two bytes each: child class in bits 0-2 and parent class in
//!   bits 3-5 (one of [`CLASSES`] and `mainframe`, none from 5), the relation (byte % 6: one
//!   of [`RELATIONS`], none from 4);
//! - byte % 4 rate cards `card-i`: a selector (two bytes, see [`selector`]) and 1 + byte % 3
//!   costs `cost-j`, an amount byte each ([`amount`]);
//! - byte % 8 expenses: a node byte (mod the nodes), an amount byte, a description byte;
//! - byte % 4 distribution costs `dist-i`: an amount byte and a selector;
//! - byte % 4 allocation unit records: a service byte (mod the services; a node when there
//!   are none; one already given is skipped), the total ([`UNITS`]), a consumer mask over
//!   [`CENTRES`] and a byte per consumer (bit 7: a raw [`UNITS`] value, else the total over
//!   4 to 11, so four fit);
//! - byte % 4 defects, two bytes each (kind mod 14, target; see [`defect`]);
//! - a budget: start (2026-01-01 plus byte days), end, as-of day (bit 7: that many days
//!   before the start, else after it), the planned amount, a cost centre mask.
//!
//! What must hold: nothing panics; an error's text is not empty and under 1000 bytes; every
//! answer is the model's; the graph, spec, policy and budget survive JSON.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Days, NaiveDate};
use itsm_cost::{
    Allocate, AllocationUnits, Budget, CYCLE_SHOWN, CostSpec, Costing, Cycles, Distribution, Error,
    Expense, Line, PathRule, Policy, RateCard, Selector, Share, Source, UnitMethod,
};
use itsm_graph::{
    EdgeSpec, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

/// Node classes (a path rule may also name `mainframe`, which no node has).
pub const CLASSES: [&str; 4] = ["server", "database", "application", "service"];
/// The locations nodes may have (a selector may also name `moon`).
pub const LOCATIONS: [&str; 3] = ["dc-1", "dc-2", "cloud"];
/// The relations, by two bits.
pub const RELATIONS: [(&str, Propagation); 4] = [
    ("depends_on", Propagation::ToFrom),
    ("runs_on", Propagation::ToFrom),
    ("hosts", Propagation::FromTo),
    ("peers", Propagation::Both),
];
/// Everyday amounts (bytes below 240).
pub const SMALL: [i64; 12] = [
    0,
    1,
    -1,
    2,
    3,
    7,
    100,
    1_001,
    -2_501,
    550_000,
    999_999_999,
    -3,
];
/// Amounts at 64 bits' edge (bytes from 240).
pub const HUGE: [i64; 8] = [
    i64::MAX,
    -i64::MAX,
    1 << 62,
    i64::MIN,
    -(1 << 62),
    i64::MAX / 3,
    i64::MAX - 1,
    (1 << 62) + 1,
];
/// Units, by byte.
pub const UNITS: [u64; 12] = [100, 1, 2, 3, 5, 7, 10, 25, 50, 0, 1 << 63, u64::MAX];
/// Cost centres.
pub const CENTRES: [&str; 4] = ["Trading", "Retail", "HR", "IT"];
/// The large shapes.
pub const SHAPES: [&str; 4] = ["chain", "fan_out", "fan_in", "nested_groups"];
/// The id no graph has.
pub const GHOST: &str = "ghost";

/// What one input decodes to.
#[derive(Debug, Clone)]
pub struct Input {
    /// The graph.
    pub graph: GraphSpec,
    /// The costs.
    pub spec: CostSpec,
    /// The policy.
    pub policy: Policy,
    /// A budget over some cost centres.
    pub budget: Budget,
    /// The day its status is asked for.
    pub as_of: NaiveDate,
    /// The large shape added, if any.
    pub shape: Option<&'static str>,
}

/// What one input gave (for the corpus test's coverage check).
pub struct Outcome {
    /// The decoded input.
    pub input: Input,
    /// `Costing::new`'s answer.
    pub costing: Result<Costing, Error>,
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// An amount: everyday ones below 240, 64 bits' edge from there.
pub fn amount(byte: u8) -> i64 {
    let (table, i): (&[i64], usize) = if byte >= 240 {
        (&HUGE, usize::from(byte - 240))
    } else {
        (&SMALL, usize::from(byte))
    };
    table.get(i % table.len()).copied().unwrap_or(0)
}

fn pick_str(options: &[&str], mask: u32) -> Vec<String> {
    options
        .iter()
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, s)| (*s).to_owned())
        .collect()
}

/// A selector from two bytes: `a % 4` is the kind (0 classes, 1 locations, 2 listed nodes,
/// 3 all three) and `c` the masks (classes over [`CLASSES`] and `mainframe`, locations over
/// [`LOCATIONS`] and `moon`, nodes over the first eight nodes).
pub fn selector(b: &mut Bytes<'_>, nodes: &[String]) -> Selector {
    let (a, c) = (b.byte(), b.byte());
    let classes = ["server", "database", "application", "service", "mainframe"];
    let locations = ["dc-1", "dc-2", "cloud", "moon"];
    let mut s = Selector::default();
    match a % 4 {
        0 => s.classes = pick_str(&classes, u32::from(c)),
        1 => s.locations = pick_str(&locations, u32::from(c)),
        2 => s.nodes = pick_nodes(nodes, c),
        _ => {
            s.classes = pick_str(&classes, u32::from(c & 7));
            s.locations = pick_str(&locations, u32::from(c >> 3 & 7));
            s.nodes = pick_nodes(nodes, c >> 6);
        }
    }
    s
}

fn pick_nodes(nodes: &[String], mask: u8) -> Vec<String> {
    nodes
        .iter()
        .take(8)
        .enumerate()
        .filter(|(i, _)| mask >> i & 1 == 1)
        .map(|(_, s)| s.clone())
        .collect()
}

fn graph_from(b: &mut Bytes<'_>) -> GraphSpec {
    let relations = RELATIONS
        .iter()
        .map(|(n, p)| RelationSpec::new(n, *p))
        .collect();
    let n = 1 + b.pick(10);
    let mut nodes = Vec::new();
    for i in 0..n {
        let x = b.byte();
        let kind = match x & 3 {
            2 => NodeKind::BusinessService,
            3 => NodeKind::TechnicalService,
            _ => NodeKind::ConfigurationItem,
        };
        let class = CLASSES
            .get(usize::from(x >> 2 & 3))
            .copied()
            .unwrap_or("server");
        let mut node = NodeSpec::new(&format!("n{i}"), kind, class);
        node.location = LOCATIONS
            .get(usize::from(x >> 4 & 3).wrapping_sub(1))
            .map(|s| (*s).to_owned());
        nodes.push(node);
    }
    let g = b.pick(4);
    let mut ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
    ids.extend((0..g).map(|i| format!("g{i}")));
    let mut groups = Vec::new();
    for i in 0..g {
        let mask = u32::from(b.byte()) | u32::from(b.byte()) << 8;
        let mask = if mask & ((1 << ids.len()) - 1) == 0 {
            1
        } else {
            mask
        };
        let members: Vec<&str> = ids
            .iter()
            .enumerate()
            .filter(|(k, _)| mask >> k & 1 == 1)
            .map(|(_, s)| s.as_str())
            .collect();
        groups.push(GroupSpec::new(&format!("g{i}"), &members, MinUp::Count(1)));
    }
    let mut edges = Vec::new();
    for _ in 0..b.pick(20) {
        let from = b.pick(ids.len());
        let t = b.byte();
        let to = usize::from(t & 63) % ids.len();
        let rel = RELATIONS
            .get(usize::from(t >> 6))
            .map_or("depends_on", |r| r.0);
        if let (Some(f), Some(t)) = (ids.get(from), ids.get(to)) {
            edges.push(EdgeSpec::new(f, t, rel));
        }
    }
    GraphSpec::new(relations, nodes, groups, edges)
}

fn class_of(bits: u8) -> Option<String> {
    ["server", "database", "application", "service", "mainframe"]
        .get(usize::from(bits))
        .map(|s| (*s).to_owned())
}

/// Bytes -> an input (see the module's documentation for the layout).
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let flags = b.byte();
    let mut policy = Policy::default();
    if flags & 1 == 1 {
        policy.unit_method = UnitMethod::AllocatedUnits;
    }
    if flags & 2 == 2 {
        policy.allocate = Allocate::Kept;
    }
    if flags & 8 == 8 {
        policy.cycles = Cycles::Pool;
    }
    let shape_byte = if flags >> 4 == 15 {
        Some(b.byte())
    } else {
        None
    };
    let mut graph = graph_from(&mut b);
    let nodes: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    let mut spec = CostSpec::new(vec![], vec![], vec![]);
    if flags & 4 == 4 {
        let mut rules = Vec::new();
        for _ in 0..b.pick(4) {
            let (x, y) = (b.byte(), b.byte());
            rules.push(PathRule {
                child_class: class_of(x & 7),
                parent_class: class_of(x >> 3 & 7),
                relation: RELATIONS.get(usize::from(y % 6)).map(|r| r.0.to_owned()),
            });
        }
        spec.paths = Some(rules);
    }
    for i in 0..b.pick(4) {
        let applies_to = selector(&mut b, &nodes);
        let costs: Vec<(String, i64)> = (0..1 + b.pick(3))
            .map(|j| (format!("cost-{j}"), amount(b.byte())))
            .collect();
        let costs: Vec<(&str, i64)> = costs.iter().map(|(n, a)| (n.as_str(), *a)).collect();
        spec.rate_cards
            .push(RateCard::new(&format!("card-{i}"), applies_to, &costs));
    }
    for _ in 0..b.pick(8) {
        let node = b.choose(&nodes, String::new());
        let a = amount(b.byte());
        let d = b.text(&["", "licence", "support"]);
        spec.expenses.push(Expense::new(&node, a, &d));
    }
    for i in 0..b.pick(4) {
        let a = amount(b.byte());
        let to = selector(&mut b, &nodes);
        spec.distributions
            .push(Distribution::new(&format!("dist-{i}"), a, to));
    }
    let services: Vec<String> = graph
        .nodes
        .iter()
        .filter(|n| is_service(n.kind))
        .map(|n| n.id.clone())
        .collect();
    let pool = if services.is_empty() {
        &nodes
    } else {
        &services
    };
    for _ in 0..b.pick(4) {
        let service = b.choose(pool, String::new());
        let total = b.choose(&UNITS, 1);
        let mask = b.byte();
        let mut consumers = Vec::new();
        for (k, c) in CENTRES.iter().enumerate() {
            if mask >> k & 1 == 1 {
                let u = b.byte();
                let units = if u & 128 == 128 {
                    UNITS
                        .get(usize::from(u) % UNITS.len())
                        .copied()
                        .unwrap_or(0)
                } else {
                    total / (4 + u64::from(u & 7))
                };
                consumers.push((*c, units));
            }
        }
        if spec.units.iter().all(|u| u.service != service) {
            spec.units
                .push(AllocationUnits::new(&service, total, &consumers));
        }
    }
    let mut input = Input {
        graph: GraphSpec::new(vec![], vec![], vec![], vec![]),
        spec,
        policy,
        budget: Budget::new("budget", day(0), day(0), 0, &[]),
        as_of: day(0),
        shape: None,
    };
    for _ in 0..b.pick(4) {
        let (kind, t) = (b.byte(), b.byte());
        defect(&mut graph, &mut input.spec, kind, t);
    }
    let start = day(i64::from(b.byte()));
    let e = b.byte();
    let end = if e & 128 == 128 {
        start - Days::new(1 + u64::from(e & 7))
    } else {
        start + Days::new(u64::from(e))
    };
    let a = b.byte();
    input.as_of = if a & 128 == 128 {
        start - Days::new(1 + u64::from(a & 7))
    } else {
        start + Days::new(u64::from(a))
    };
    let planned = amount(b.byte());
    let mask = b.byte();
    let centres = pick_str(
        &["Trading", "Retail", "HR", "IT", "Nobody"],
        u32::from(mask),
    );
    let centres: Vec<&str> = centres.iter().map(String::as_str).collect();
    input.budget = Budget::new("budget", start, end, planned, &centres);
    if let Some(s) = shape_byte {
        input.shape = shape(&mut graph, &mut input.spec, s);
    }
    input.graph = graph;
    input
}

fn day(n: i64) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    if n >= 0 {
        base + Days::new(n.unsigned_abs())
    } else {
        base - Days::new(n.unsigned_abs())
    }
}

fn is_service(k: NodeKind) -> bool {
    matches!(k, NodeKind::BusinessService | NodeKind::TechnicalService)
}

fn nth_id(graph: &GraphSpec, t: u8) -> String {
    let n = graph.nodes.len() + graph.groups.len();
    let i = usize::from(t) % n.max(1);
    match graph.nodes.get(i) {
        Some(node) => node.id.clone(),
        None => graph
            .groups
            .get(i - graph.nodes.len())
            .map_or_else(|| GHOST.to_owned(), |g| g.id.clone()),
    }
}

fn a_group(graph: &GraphSpec, t: u8) -> String {
    let n = graph.groups.len();
    graph
        .groups
        .get(usize::from(t) % n.max(1))
        .map_or_else(|| GHOST.to_owned(), |g| g.id.clone())
}

/// Appends defect `kind % 14` aimed by `t`: 0 a duplicate id, 1 a duplicate relation, a node
/// of kind group, an empty group or a member listed twice, 2 an
/// edge of an unknown relation, 3 an edge to an unknown node, 4 an unknown group member, 5 a
/// path rule of an unknown relation, 6 a card listing a group or an unknown node, 7 a card
/// or cost name given twice, 8 a distribution listing a group or an unknown node, a name
/// given twice or an empty selector, 9 an expense for a group or an unknown node, 10 a
/// duplicate unit record or consumer, 11 zero or over-allocated units, units for a group,
/// an unknown node or a configuration item, 12 an expense at 64 bits' edge, 13 a self-loop.
pub fn defect(graph: &mut GraphSpec, spec: &mut CostSpec, kind: u8, t: u8) {
    let id = nth_id(graph, t);
    let target = if t & 128 == 128 {
        a_group(graph, t)
    } else {
        GHOST.to_owned()
    };
    match kind % 14 {
        0 => {
            let mut n = NodeSpec::new(&id, NodeKind::ConfigurationItem, "server");
            n.location = Some("dc-1".into());
            graph.nodes.push(n);
        }
        1 => match t % 4 {
            0 => graph
                .relations
                .push(RelationSpec::new("hosts", Propagation::ToFrom)),
            1 => graph
                .nodes
                .push(NodeSpec::new("n-group", NodeKind::Group, "server")),
            2 => graph
                .groups
                .push(GroupSpec::new("g-empty", &[], MinUp::Count(1))),
            _ => graph
                .groups
                .push(GroupSpec::new("g-twice", &[&id, &id], MinUp::Count(1))),
        },
        2 => graph.edges.push(EdgeSpec::new(&id, &id, GHOST)),
        3 => graph.edges.push(EdgeSpec::new(&id, GHOST, "depends_on")),
        4 => graph
            .groups
            .push(GroupSpec::new("g-bad", &[&id, GHOST], MinUp::Count(1))),
        5 => spec.paths.get_or_insert_with(Vec::new).push(PathRule {
            relation: Some(GHOST.into()),
            ..PathRule::default()
        }),
        6 => spec.rate_cards.push(RateCard::new(
            "card-x",
            Selector::nodes(&[&target]),
            &[("c", 1)],
        )),
        7 => {
            if t & 1 == 1 {
                spec.rate_cards.push(RateCard::new(
                    "card-0",
                    Selector::classes(&["server"]),
                    &[("c", 1)],
                ));
            } else {
                spec.rate_cards.push(RateCard::new(
                    "card-y",
                    Selector::nodes(&[&id]),
                    &[("c", 1), ("c", 2)],
                ));
            }
        }
        8 => spec.distributions.push(match t % 3 {
            0 => Distribution::new("dist-x", 5, Selector::nodes(&[&target])),
            1 => Distribution::new("dist-0", 5, Selector::classes(&["server"])),
            _ => Distribution::new("dist-y", 5, Selector::default()),
        }),
        9 => spec.expenses.push(Expense::new(&target, 9, "bad")),
        10 => match spec.units.first_mut() {
            Some(u) if t & 1 == 1 => {
                let c = u
                    .consumers
                    .first()
                    .map_or_else(|| "Trading".to_owned(), |c| c.cost_centre.clone());
                u.consumers.push(itsm_cost::Consumer {
                    cost_centre: c,
                    units: 0,
                });
            }
            Some(u) => {
                let again = AllocationUnits::new(&u.service.clone(), 10, &[]);
                spec.units.push(again);
            }
            None => spec.units.push(AllocationUnits::new(
                &id,
                10,
                &[("Trading", 1), ("Trading", 2)],
            )),
        },
        11 => spec.units.push(match t % 5 {
            0 => AllocationUnits::new(&id, 0, &[]),
            1 => AllocationUnits::new(&id, 10, &[("Trading", u64::MAX), ("HR", u64::MAX)]),
            2 => AllocationUnits::new(&a_group(graph, t), 10, &[("HR", 1)]),
            3 => AllocationUnits::new(GHOST, 10, &[("HR", 1)]),
            _ => AllocationUnits::new(&id, 3, &[("HR", 1), ("IT", 1)]),
        }),
        12 => {
            let node = graph
                .nodes
                .get(usize::from(t) % graph.nodes.len().max(1))
                .map_or_else(String::new, |n| n.id.clone());
            spec.expenses
                .push(Expense::new(&node, amount(240 | (t >> 1)), "edge"));
        }
        _ => graph.edges.push(EdgeSpec::new(&id, &id, "runs_on")),
    }
}

/// Adds a large shape: `s >> 6` picks one of [`SHAPES`], `s & 63` its size (2 + 63 per
/// step, up to 3,971 nodes):
/// - `chain`: `c0` (a business service) depends on `c1`, ..., the last on `n0`, a cost at
///   each end; an odd size closes it into a ring back to `c0` (a cycle of every link);
/// - `fan_out`: `hub` (a server) carries 1,001 minor units more than a multiple to
///   services `s0`.. depending on it;
/// - `fan_in`: service `top` depends on leaves `l0`.. sharing a distribution cost;
/// - `nested_groups`: `h0` holds `n0`, each `h{i+1}` holds `h{i}`, service `top` depends on
///   the last (an odd size makes `h0` hold the last as well: a cycle).
pub fn shape(graph: &mut GraphSpec, spec: &mut CostSpec, s: u8) -> Option<&'static str> {
    let size = 2 + 63 * usize::from(s & 63);
    let name = SHAPES.get(usize::from(s >> 6)).copied()?;
    let ci = |id: &str| {
        let mut n = NodeSpec::new(id, NodeKind::ConfigurationItem, "server");
        n.location = Some("dc-2".into());
        n
    };
    let first = graph
        .nodes
        .first()
        .map_or_else(|| GHOST.to_owned(), |n| n.id.clone());
    match name {
        "chain" => {
            graph
                .nodes
                .push(NodeSpec::new("c0", NodeKind::BusinessService, "service"));
            for i in 1..size {
                graph.nodes.push(ci(&format!("c{i}")));
            }
            for i in 0..size - 1 {
                graph.edges.push(EdgeSpec::new(
                    &format!("c{i}"),
                    &format!("c{}", i + 1),
                    "depends_on",
                ));
            }
            graph.edges.push(EdgeSpec::new(
                &format!("c{}", size - 1),
                &first,
                "depends_on",
            ));
            if s & 1 == 1 {
                graph
                    .edges
                    .push(EdgeSpec::new(&format!("c{}", size - 1), "c0", "runs_on"));
            }
            spec.expenses
                .push(Expense::new(&format!("c{}", size - 1), 12_345, "bottom"));
            spec.expenses.push(Expense::new("c0", -45, "top"));
        }
        "fan_out" => {
            graph.nodes.push(ci("hub"));
            for i in 0..size {
                let id = format!("s{i}");
                graph
                    .nodes
                    .push(NodeSpec::new(&id, NodeKind::TechnicalService, "service"));
                graph.edges.push(EdgeSpec::new(&id, "hub", "depends_on"));
            }
            let a = i64::try_from(size).unwrap_or(1) * 1_000 + 1_001;
            spec.expenses.push(Expense::new("hub", a, "shared"));
            spec.units.push(AllocationUnits::new(
                "s0",
                100,
                &[("Trading", 30), ("HR", 33)],
            ));
        }
        "fan_in" => {
            graph
                .nodes
                .push(NodeSpec::new("top", NodeKind::BusinessService, "service"));
            for i in 0..size {
                let id = format!("l{i}");
                graph.nodes.push(ci(&id));
                graph.edges.push(EdgeSpec::new("top", &id, "runs_on"));
            }
            spec.distributions.push(Distribution::new(
                "power",
                550_000,
                Selector::locations(&["dc-2"]),
            ));
            spec.units
                .push(AllocationUnits::new("top", 7, &[("Retail", 3), ("IT", 1)]));
        }
        _ => {
            graph
                .groups
                .push(GroupSpec::new("h0", &[&first], MinUp::Count(1)));
            for i in 1..size {
                let inner = format!("h{}", i - 1);
                graph
                    .groups
                    .push(GroupSpec::new(&format!("h{i}"), &[&inner], MinUp::Count(1)));
            }
            if s & 1 == 1 {
                if let Some(h0) = graph.groups.iter_mut().find(|g| g.id == "h0") {
                    h0.members.push(format!("h{}", size - 1));
                }
            }
            graph
                .nodes
                .push(NodeSpec::new("top", NodeKind::BusinessService, "service"));
            graph.edges.push(EdgeSpec::new(
                "top",
                &format!("h{}", size - 1),
                "depends_on",
            ));
            spec.expenses.push(Expense::new(&first, 777, "deep"));
        }
    }
    Some(name)
}

// ---------------------------------------------------------------------------------------------
// The model

/// A relationship path, or a membership (no relation).
struct Arc {
    child: usize,
    parent: usize,
    relation: Option<String>,
}

/// The graph as the model reads it.
struct Model {
    ids: Vec<String>,
    index: HashMap<String, usize>,
    /// `None` for a group.
    class: Vec<Option<String>>,
    location: Vec<Option<String>>,
    service: Vec<bool>,
    arcs: Vec<Arc>,
    /// Arcs out of each node, by the parent's graph order.
    out: Vec<Vec<usize>>,
    /// Arcs into each node, by the child's graph order.
    into: Vec<Vec<usize>>,
}

impl Model {
    fn is_group(&self, v: usize) -> bool {
        self.class.get(v).is_some_and(Option::is_none)
    }
    fn id(&self, v: usize) -> &str {
        self.ids.get(v).map_or("", String::as_str)
    }
}

fn unknown(list: &'static str, id: &str) -> Error {
    Error::UnknownNode {
        list,
        id: id.to_owned(),
    }
}

fn names_twice<'a>(names: impl Iterator<Item = &'a String>, kind: &'static str) -> Vec<Error> {
    let mut seen = HashSet::new();
    names
        .filter(|n| !seen.insert(n.as_str()))
        .map(|n| Error::DuplicateName {
            kind,
            name: n.clone(),
        })
        .collect()
}

/// The problems of one selector's listed nodes and condition.
fn selector_errors(
    m: &Model,
    s: &Selector,
    kind: &'static str,
    list: &'static str,
    name: &str,
) -> Vec<Error> {
    let mut w = Vec::new();
    if s.nodes.is_empty() && s.classes.is_empty() && s.locations.is_empty() {
        w.push(Error::EmptySelector {
            kind,
            name: name.to_owned(),
        });
    }
    for id in &s.nodes {
        match m.index.get(id) {
            None => w.push(unknown(list, id)),
            Some(&v) if m.is_group(v) => w.push(Error::GroupNamed {
                list,
                id: id.clone(),
            }),
            Some(_) => {}
        }
    }
    w
}

/// The nodes a selector selects, in graph order.
fn selected(m: &Model, s: &Selector) -> Vec<usize> {
    let listed: HashSet<&str> = s.nodes.iter().map(String::as_str).collect();
    let condition = !s.classes.is_empty() || !s.locations.is_empty();
    (0..m.ids.len())
        .filter(|&v| {
            let (Some(Some(class)), Some(loc)) = (m.class.get(v), m.location.get(v)) else {
                return false;
            };
            listed.contains(m.id(v))
                || condition
                    && (s.classes.is_empty() || s.classes.contains(class))
                    && (s.locations.is_empty()
                        || loc.as_ref().is_some_and(|l| s.locations.contains(l)))
        })
        .collect()
}

/// Builds the model, or the problems of the first stage (before the roll-up) that has any.
fn model(g: &GraphSpec, spec: &CostSpec) -> Result<Model, Vec<Error>> {
    // Stage 1: ids and relations.
    let mut w = Vec::new();
    let mut seen = HashSet::new();
    for id in g
        .nodes
        .iter()
        .map(|n| &n.id)
        .chain(g.groups.iter().map(|x| &x.id))
    {
        if !seen.insert(id.as_str()) {
            w.push(Error::DuplicateId { id: id.clone() });
        }
    }
    for n in g.nodes.iter().filter(|n| n.kind == NodeKind::Group) {
        w.push(Error::GroupInNodes { id: n.id.clone() });
    }
    let mut rels: HashMap<&str, Propagation> = HashMap::new();
    for r in &g.relations {
        if rels.insert(r.name.as_str(), r.propagation).is_some() {
            w.push(Error::DuplicateRelation {
                name: r.name.clone(),
            });
        }
    }
    if !w.is_empty() {
        return Err(w);
    }
    // Stage 2: the relationship paths.
    for r in spec.paths.iter().flatten() {
        if let Some(name) = r
            .relation
            .as_ref()
            .filter(|n| !rels.contains_key(n.as_str()))
        {
            w.push(Error::UnknownRelation {
                list: "the relationship paths",
                name: name.clone(),
            });
        }
    }
    if !w.is_empty() {
        return Err(w);
    }
    let mut m = Model {
        ids: Vec::new(),
        index: HashMap::new(),
        class: Vec::new(),
        location: Vec::new(),
        service: Vec::new(),
        arcs: Vec::new(),
        out: Vec::new(),
        into: Vec::new(),
    };
    for n in &g.nodes {
        m.index.insert(n.id.clone(), m.ids.len());
        m.ids.push(n.id.clone());
        m.class.push(Some(n.class.clone()));
        m.location.push(n.location.clone());
        m.service.push(is_service(n.kind));
    }
    for x in &g.groups {
        m.index.insert(x.id.clone(), m.ids.len());
        m.ids.push(x.id.clone());
        m.class.push(None);
        m.location.push(None);
        m.service.push(false);
    }
    // Stage 3: edges and groups.
    for e in &g.edges {
        if !rels.contains_key(e.relation.as_str()) {
            w.push(Error::UnknownRelation {
                list: "the graph's edges",
                name: e.relation.clone(),
            });
        }
        for end in [&e.from, &e.to] {
            if !m.index.contains_key(end) {
                w.push(unknown("the graph's edges", end));
            }
        }
    }
    for x in &g.groups {
        for id in x.members.iter().filter(|id| !m.index.contains_key(*id)) {
            w.push(unknown("the graph's groups", id));
        }
        if x.members.is_empty() {
            w.push(Error::EmptyGroup {
                group: x.id.clone(),
            });
        }
        let mut seen = HashSet::new();
        for id in x.members.iter().filter(|id| !seen.insert(id.as_str())) {
            let (group, member) = (x.id.clone(), id.clone());
            w.push(Error::DuplicateMember { group, member });
        }
    }
    if !w.is_empty() {
        return Err(w);
    }
    // Stage 4: rate cards; 5: distribution costs; 6: expenses.
    w.extend(names_twice(
        spec.rate_cards.iter().map(|c| &c.name),
        "rate card",
    ));
    for c in &spec.rate_cards {
        w.extend(names_twice(
            c.costs.iter().map(|x| &x.name),
            "rate card cost",
        ));
        w.extend(selector_errors(
            &m,
            &c.applies_to,
            "rate card",
            "the rate cards",
            &c.name,
        ));
    }
    if !w.is_empty() {
        return Err(w);
    }
    w.extend(names_twice(
        spec.distributions.iter().map(|d| &d.name),
        "distribution cost",
    ));
    for d in &spec.distributions {
        w.extend(selector_errors(
            &m,
            &d.to,
            "distribution cost",
            "the distribution costs",
            &d.name,
        ));
    }
    if !w.is_empty() {
        return Err(w);
    }
    for e in &spec.expenses {
        match m.index.get(&e.node) {
            None => w.push(unknown("the expenses", &e.node)),
            Some(&v) if m.is_group(v) => w.push(Error::GroupNamed {
                list: "the expenses",
                id: e.node.clone(),
            }),
            Some(_) => {}
        }
    }
    if !w.is_empty() {
        return Err(w);
    }
    // The arcs.
    let carries = |child: usize, parent: usize, rel: &str, m: &Model| match &spec.paths {
        None => true,
        Some(rules) => rules.iter().any(|r| {
            let side = |want: &Option<String>, v: usize| {
                want.as_ref()
                    .is_none_or(|c| m.class.get(v).and_then(Option::as_ref) == Some(c))
            };
            side(&r.child_class, child)
                && side(&r.parent_class, parent)
                && r.relation.as_ref().is_none_or(|x| x == rel)
        }),
    };
    let mut arcs = Vec::new();
    for e in &g.edges {
        let (Some(&f), Some(&t), Some(&p)) = (
            m.index.get(&e.from),
            m.index.get(&e.to),
            rels.get(e.relation.as_str()),
        ) else {
            continue;
        };
        let ways: &[(usize, usize)] = match p {
            Propagation::ToFrom => &[(t, f)],
            Propagation::FromTo => &[(f, t)],
            Propagation::Both => &[(t, f), (f, t)],
        };
        for &(child, parent) in ways {
            if carries(child, parent, &e.relation, &m) {
                arcs.push(Arc {
                    child,
                    parent,
                    relation: Some(e.relation.clone()),
                });
            }
        }
    }
    for x in &g.groups {
        let Some(&grp) = m.index.get(&x.id) else {
            continue;
        };
        for id in &x.members {
            if let Some(&v) = m.index.get(id) {
                arcs.push(Arc {
                    child: v,
                    parent: grp,
                    relation: None,
                });
            }
        }
    }
    let n = m.ids.len();
    m.out = vec![Vec::new(); n];
    m.into = vec![Vec::new(); n];
    for (k, a) in arcs.iter().enumerate() {
        if let Some(o) = m.out.get_mut(a.child) {
            o.push(k);
        }
        if let Some(i) = m.into.get_mut(a.parent) {
            i.push(k);
        }
    }
    for o in &mut m.out {
        o.sort_by_key(|&k| arcs.get(k).map_or(0, |a| a.parent));
    }
    for i in &mut m.into {
        i.sort_by_key(|&k| arcs.get(k).map_or(0, |a| a.child));
    }
    m.arcs = arcs;
    Ok(m)
}

/// The `pos`-th of `k` even pieces of `a`.
fn piece(a: i128, k: usize, pos: usize) -> i128 {
    let k = i128::try_from(k.max(1)).unwrap_or(1);
    let (q, r) = (a / k, a % k);
    if i128::try_from(pos).unwrap_or(i128::MAX) < r.abs() {
        q + a.signum()
    } else {
        q
    }
}

fn fits(x: i128) -> bool {
    i64::try_from(x).is_ok()
}

/// Costs as the model computes them.
struct Costs {
    direct: Vec<i128>,
    inherited: Vec<i128>,
    /// The amount of each arc.
    amount: Vec<i128>,
    /// Each distribution's selected nodes.
    dist: Vec<Vec<usize>>,
    /// Each card's selected nodes.
    cards: Vec<Vec<usize>>,
    settled: Vec<bool>,
    /// Nodes whose direct cost does not fit in 64 bits.
    direct_over: Vec<usize>,
    /// Settled nodes whose inherited or total cost does not.
    over: Vec<usize>,
}

fn roll_up(m: &Model, spec: &CostSpec) -> Costs {
    let n = m.ids.len();
    let mut c = Costs {
        direct: vec![0; n],
        inherited: vec![0; n],
        amount: vec![0; m.arcs.len()],
        dist: Vec::new(),
        cards: Vec::new(),
        settled: vec![false; n],
        direct_over: Vec::new(),
        over: Vec::new(),
    };
    for card in &spec.rate_cards {
        let sel = selected(m, &card.applies_to);
        for &v in &sel {
            for cost in &card.costs {
                if let Some(d) = c.direct.get_mut(v) {
                    *d += i128::from(cost.amount);
                }
            }
        }
        c.cards.push(sel);
    }
    for e in &spec.expenses {
        if let Some(d) = m.index.get(&e.node).and_then(|&v| c.direct.get_mut(v)) {
            *d += i128::from(e.amount);
        }
    }
    for d in &spec.distributions {
        let sel = selected(m, &d.to);
        for (pos, &v) in sel.iter().enumerate() {
            if let Some(x) = c.direct.get_mut(v) {
                *x += piece(i128::from(d.amount), sel.len(), pos);
            }
        }
        c.dist.push(sel);
    }
    c.direct_over = (0..n)
        .filter(|&v| c.direct.get(v).is_some_and(|&d| !fits(d)))
        .collect();
    let mut waiting: Vec<usize> = m.into.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..n).filter(|&v| waiting.get(v) == Some(&0)).collect();
    while let Some(v) = ready.pop() {
        let (direct, inherited) = (
            c.direct.get(v).copied().unwrap_or(0),
            c.inherited.get(v).copied().unwrap_or(0),
        );
        let total = direct + inherited;
        if !fits(direct) || !fits(inherited) || !fits(total) {
            c.over.push(v);
        }
        if let Some(s) = c.settled.get_mut(v) {
            *s = true;
        }
        let out = m.out.get(v).map_or(&[][..], Vec::as_slice);
        for (pos, &k) in out.iter().enumerate() {
            let share = if fits(total) {
                piece(total, out.len(), pos)
            } else {
                0
            };
            let Some(a) = m.arcs.get(k) else { continue };
            if let Some(x) = c.amount.get_mut(k) {
                *x = share;
            }
            if let Some(x) = c.inherited.get_mut(a.parent) {
                *x = x.saturating_add(share);
            }
            if let Some(wt) = waiting.get_mut(a.parent) {
                *wt -= 1;
                if *wt == 0 {
                    ready.push(a.parent);
                }
            }
        }
    }
    c
}

/// The allocation unit records' problems.
fn unit_errors(m: &Model, spec: &CostSpec) -> Vec<Error> {
    let mut w = Vec::new();
    let mut seen = HashSet::new();
    for u in &spec.units {
        let id = u.service.clone();
        match m.index.get(&u.service) {
            None => w.push(unknown("the allocation units", &id)),
            Some(&v) if m.is_group(v) => w.push(Error::GroupNamed {
                list: "the allocation units",
                id: id.clone(),
            }),
            Some(_) => {}
        }
        if !seen.insert(u.service.as_str()) {
            w.push(Error::DuplicateUnits { id: id.clone() });
        }
        let mut centres = HashSet::new();
        for c in &u.consumers {
            if !centres.insert(c.cost_centre.as_str()) {
                w.push(Error::DuplicateConsumer {
                    service: id.clone(),
                    cost_centre: c.cost_centre.clone(),
                });
            }
        }
        if u.total == 0 {
            w.push(Error::ZeroUnits { id: id.clone() });
        }
        let allocated: u128 = u.consumers.iter().map(|c| u128::from(c.units)).sum();
        if allocated > u128::from(u.total) {
            w.push(Error::OverAllocated {
                id,
                total: u.total,
                allocated,
            });
        }
    }
    w
}

/// One service's allocation: each consumer's amount, then the unallocated rest, by units with
/// the largest remainders.
fn allocate(a: i128, units: &[u64], total: u64, method: UnitMethod) -> (Vec<i128>, i128) {
    let sum: u128 = units.iter().map(|&u| u128::from(u)).sum();
    let denom = match method {
        UnitMethod::AllUnits => u128::from(total),
        _ => sum,
    };
    if units.is_empty() || denom == 0 {
        return (vec![0; units.len()], a);
    }
    let mag = a.unsigned_abs();
    let mut weights: Vec<u128> = units.iter().map(|&u| u128::from(u)).collect();
    weights.push(denom.saturating_sub(sum));
    let mut pieces: Vec<(u128, u128)> = weights
        .iter()
        .map(|&w| (mag * w / denom, mag * w % denom))
        .collect();
    let given: u128 = pieces.iter().map(|p| p.0).sum();
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(pieces.get(i).map_or(0, |p| p.1)), i));
    for &i in order
        .iter()
        .take(usize::try_from(mag - given).unwrap_or(usize::MAX))
    {
        if let Some(p) = pieces.get_mut(i) {
            p.0 += 1;
        }
    }
    let mut signed: Vec<i128> = pieces
        .iter()
        .map(|p| a.signum() * i128::try_from(p.0).unwrap_or(0))
        .collect();
    let rest = signed.pop().unwrap_or(0);
    (signed, rest)
}

// ---------------------------------------------------------------------------------------------
// Checks

/// `r`'s value; a failed check (naming `what`) otherwise.
#[allow(
    clippy::panic,
    reason = "a failed check is the harness's panic, as its asserts are"
)]
fn must<T, E: std::fmt::Debug>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

fn round_trip<T>(value: &T, what: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = must(serde_json::to_string(value), what);
    let back: T = must(serde_json::from_str(&text), what);
    assert!(back == *value, "{what}'s JSON round trip changed it");
}

fn short_text(e: &Error) {
    let text = e.to_string();
    assert!(!text.is_empty(), "an error with no text: {e:?}");
    assert!(
        text.len() < 1_000,
        "an error of {} bytes: {}",
        text.len(),
        text.get(..300).unwrap_or("")
    );
}

/// A cycle the crate named: its nodes in the order cost travels, each a carrying arc from
/// the one before, the least (in graph order) first, none settled by the model.
fn check_cycle(m: &Model, c: &Costs, nodes: &[String], length: usize) {
    let unsettled = c.settled.iter().filter(|s| !**s).count();
    assert!(
        unsettled > 0,
        "Err(Cycle {nodes:?}) but the model settles every node: no cycle"
    );
    assert!(
        length >= 1 && length <= unsettled,
        "a cycle of {length} nodes among {unsettled} unsettled"
    );
    assert_eq!(
        nodes.len(),
        length.min(CYCLE_SHOWN),
        "a cycle of {length} shows {nodes:?}"
    );
    let idx: Vec<usize> = nodes
        .iter()
        .map(|id| *m.index.get(id).unwrap_or(&usize::MAX))
        .collect();
    let distinct: HashSet<&usize> = idx.iter().collect();
    assert_eq!(
        distinct.len(),
        idx.len(),
        "the cycle {nodes:?} repeats a node"
    );
    let arc = |x: usize, y: usize| {
        m.out.get(x).is_some_and(|o| {
            o.iter()
                .any(|&k| m.arcs.get(k).is_some_and(|a| a.parent == y))
        })
    };
    for pair in idx.windows(2) {
        if let [x, y] = pair {
            assert!(
                arc(*x, *y),
                "the cycle {nodes:?}: no path carries {} to {}",
                m.id(*x),
                m.id(*y)
            );
        }
    }
    if length <= CYCLE_SHOWN {
        if let (Some(&first), Some(&last)) = (idx.first(), idx.last()) {
            assert!(arc(last, first), "the cycle {nodes:?} does not close");
            assert!(
                idx.iter().all(|&v| v >= first),
                "the cycle {nodes:?} does not start at its least node"
            );
        }
    }
}

type ShareM = (usize, Option<String>, i128);

/// `got` holds `want`'s shares, node by node in graph order; amounts by position when
/// `positional` (an even split's pieces), and within parallel paths as a multiset.
fn same_shares(m: &Model, got: &[Share], want: &[ShareM], positional: bool, what: &str) {
    let got_nodes: Vec<&str> = got.iter().map(|s| s.node.as_str()).collect();
    let want_nodes: Vec<&str> = want.iter().map(|s| m.id(s.0)).collect();
    assert_eq!(got_nodes, want_nodes, "{what}: the nodes");
    if positional {
        let ga: Vec<i128> = got.iter().map(|s| i128::from(s.amount)).collect();
        let wa: Vec<i128> = want.iter().map(|s| s.2).collect();
        assert_eq!(ga, wa, "{what}: the amounts");
    }
    let mut g: Vec<(&str, Option<&String>, i128)> = got
        .iter()
        .map(|s| (s.node.as_str(), s.relation.as_ref(), i128::from(s.amount)))
        .collect();
    let mut w: Vec<(&str, Option<&String>, i128)> = want
        .iter()
        .map(|s| (m.id(s.0), s.1.as_ref(), s.2))
        .collect();
    let (mut gr, mut wr): (Vec<_>, Vec<_>) = (
        g.iter().map(|x| (x.0, x.1)).collect(),
        w.iter().map(|x| (x.0, x.1)).collect(),
    );
    gr.sort();
    wr.sort();
    assert_eq!(gr, wr, "{what}: the relations");
    g.sort_by_key(|x| (x.0, x.2));
    w.sort_by_key(|x| (x.0, x.2));
    let ga: Vec<_> = g.iter().map(|x| (x.0, x.2)).collect();
    let wa: Vec<_> = w.iter().map(|x| (x.0, x.2)).collect();
    assert_eq!(ga, wa, "{what}: the amounts per node");
}

fn lines_of(m: &Model, c: &Costs, spec: &CostSpec, v: usize) -> Vec<(Source, i128)> {
    let mut want = Vec::new();
    for (card, sel) in spec.rate_cards.iter().zip(&c.cards) {
        if sel.contains(&v) {
            for cost in &card.costs {
                want.push((
                    Source::RateCard {
                        card: card.name.clone(),
                        cost: cost.name.clone(),
                    },
                    i128::from(cost.amount),
                ));
            }
        }
    }
    for e in spec.expenses.iter().filter(|e| e.node == m.id(v)) {
        want.push((
            Source::Expense {
                description: e.description.clone(),
            },
            i128::from(e.amount),
        ));
    }
    for (d, sel) in spec.distributions.iter().zip(&c.dist) {
        if let Some(pos) = sel.iter().position(|&x| x == v) {
            want.push((
                Source::Distribution {
                    name: d.name.clone(),
                },
                piece(i128::from(d.amount), sel.len(), pos),
            ));
        }
    }
    want
}

/// Every query of an accepted costing against the model.
fn check_costing(m: &Model, c: &Costs, input: &Input, got: &Costing) {
    let spec = &input.spec;
    let n = m.ids.len();
    assert_eq!(got.node_count(), n, "node_count");
    let total =
        |v: usize| c.direct.get(v).copied().unwrap_or(0) + c.inherited.get(v).copied().unwrap_or(0);
    let paths = |v: usize| m.out.get(v).map_or(0, Vec::len);
    let sample: Vec<usize> = if n <= 300 {
        (0..n).collect()
    } else {
        (0..40).chain(n - 40..n).collect()
    };
    for v in 0..n {
        let id = m.id(v);
        let nc = must(got.cost(id), "cost of a node");
        let (t, k) = (total(v), paths(v));
        let (d, i) = (
            c.direct.get(v).copied().unwrap_or(0),
            c.inherited.get(v).copied().unwrap_or(0),
        );
        let want = (
            d,
            i,
            t,
            if k > 0 { t } else { 0 },
            if k > 0 { 0 } else { t },
            k,
            false,
        );
        let have = (
            i128::from(nc.direct),
            i128::from(nc.inherited),
            i128::from(nc.total),
            i128::from(nc.passed_on),
            i128::from(nc.kept),
            nc.paths,
            nc.pooled,
        );
        assert_eq!(
            have, want,
            "cost({id}): (direct, inherited, total, passed_on, kept, paths, pooled)"
        );
    }
    let mut all_passed = Vec::new();
    let mut all_received = Vec::new();
    for &v in &sample {
        let id = m.id(v);
        let passed = must(got.passed(id), "passed");
        let want: Vec<ShareM> = m
            .out
            .get(v)
            .into_iter()
            .flatten()
            .filter_map(|&k| {
                m.arcs.get(k).map(|a| {
                    (
                        a.parent,
                        a.relation.clone(),
                        c.amount.get(k).copied().unwrap_or(0),
                    )
                })
            })
            .collect();
        same_shares(m, &passed, &want, true, &format!("passed({id})"));
        let sum: i128 = passed.iter().map(|s| i128::from(s.amount)).sum();
        assert_eq!(
            sum,
            if paths(v) > 0 { total(v) } else { 0 },
            "passed({id}) does not add up to what it passed on"
        );
        let received = must(got.received(id), "received");
        let want: Vec<ShareM> = m
            .into
            .get(v)
            .into_iter()
            .flatten()
            .filter_map(|&k| {
                m.arcs.get(k).map(|a| {
                    (
                        a.child,
                        a.relation.clone(),
                        c.amount.get(k).copied().unwrap_or(0),
                    )
                })
            })
            .collect();
        same_shares(m, &received, &want, false, &format!("received({id})"));
        let sum: i128 = received.iter().map(|s| i128::from(s.amount)).sum();
        assert_eq!(
            sum,
            c.inherited.get(v).copied().unwrap_or(0),
            "received({id}) does not add up to its inherited cost"
        );
        if n <= 300 {
            all_passed.extend(
                passed
                    .into_iter()
                    .map(|s| (id.to_owned(), s.node, s.relation, s.amount)),
            );
            all_received.extend(
                received
                    .into_iter()
                    .map(|s| (s.node, id.to_owned(), s.relation, s.amount)),
            );
        }
        let lines = must(got.lines(id), "lines");
        let have: Vec<(Source, i128)> = lines
            .iter()
            .map(|l: &Line| (l.source.clone(), i128::from(l.amount)))
            .collect();
        assert_eq!(have, lines_of(m, c, spec, v), "lines({id})");
    }
    all_passed.sort();
    all_received.sort();
    assert!(
        all_passed == all_received,
        "the shares passed are not the shares received"
    );

    // Holders, undistributed, totals.
    let holders: Vec<(String, bool, i128)> = (0..n)
        .filter(|&v| paths(v) == 0 && total(v) != 0)
        .map(|v| {
            (
                m.id(v).to_owned(),
                m.service.get(v).copied().unwrap_or(false),
                total(v),
            )
        })
        .collect();
    let have: Vec<(String, bool, i128)> = got
        .holders()
        .into_iter()
        .map(|h| (h.id, h.service, i128::from(h.amount)))
        .collect();
    assert_eq!(have, holders, "holders");
    let undistributed: Vec<(String, i64)> = spec
        .distributions
        .iter()
        .zip(&c.dist)
        .filter(|(_, sel)| sel.is_empty())
        .map(|(d, _)| (d.name.clone(), d.amount))
        .collect();
    let have: Vec<(String, i64)> = got
        .undistributed()
        .iter()
        .map(|u| (u.name.clone(), u.amount))
        .collect();
    assert_eq!(have, undistributed, "undistributed");

    // Allocations.
    let mut allocations = Vec::new();
    let mut rests = Vec::new();
    for u in &spec.units {
        let s = m.index.get(&u.service).copied().unwrap_or(0);
        let a = match input.policy.allocate {
            Allocate::Kept if paths(s) > 0 => 0,
            _ => total(s),
        };
        let units: Vec<u64> = u.consumers.iter().map(|c| c.units).collect();
        let (pieces, rest) = allocate(a, &units, u.total, input.policy.unit_method);
        assert_eq!(
            pieces.iter().sum::<i128>() + rest,
            a,
            "model: the allocation of {} does not add up",
            u.service
        );
        for (con, p) in u.consumers.iter().zip(pieces) {
            allocations.push((u.service.clone(), con.cost_centre.clone(), con.units, p));
        }
        let unused = u.total.saturating_sub(units.iter().sum());
        rests.push((u.service.clone(), unused, rest));
    }
    let have: Vec<(String, String, u64, i128)> = got
        .allocations()
        .iter()
        .map(|a| {
            (
                a.service.clone(),
                a.cost_centre.clone(),
                a.units,
                i128::from(a.amount),
            )
        })
        .collect();
    assert_eq!(
        have, allocations,
        "allocations (service, cost centre, units, amount)"
    );
    // One unallocated record per service with units, in the spec's order, zeros included.
    let have: Vec<(&String, i128)> = got
        .unallocated()
        .iter()
        .map(|x| (&x.service, i128::from(x.amount)))
        .collect();
    let want: Vec<(&String, i128)> = rests.iter().map(|r| (&r.0, r.2)).collect();
    assert_eq!(have, want, "unallocated (service, amount)");
    if input.policy.unit_method == UnitMethod::AllUnits {
        let have: Vec<u64> = got.unallocated().iter().map(|x| x.units).collect();
        let want: Vec<u64> = rests.iter().map(|r| r.1).collect();
        assert_eq!(have, want, "unallocated units");
    }
    let mut centres: BTreeMap<&str, i128> = BTreeMap::new();
    for a in &allocations {
        *centres.entry(a.1.as_str()).or_default() += a.3;
    }
    let have: Vec<(String, i128)> = got
        .cost_centres()
        .into_iter()
        .map(|x| (x.name, x.amount))
        .collect();
    let want: Vec<(String, i128)> = centres.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
    assert_eq!(have, want, "cost_centres");

    // Totals and conservation.
    let t = got.totals();
    let direct: i128 = c.direct.iter().sum();
    let undist: i128 = undistributed.iter().map(|x| i128::from(x.1)).sum();
    let kept: i128 = holders.iter().filter(|h| h.1).map(|h| h.2).sum();
    let stranded: i128 = holders.iter().filter(|h| !h.1).map(|h| h.2).sum();
    let allocated: i128 = allocations.iter().map(|a| a.3).sum();
    let unallocated: i128 = rests.iter().map(|r| r.2).sum();
    let have = (
        t.direct,
        t.undistributed,
        t.kept_by_services,
        t.stranded,
        t.allocated,
        t.unallocated,
    );
    assert_eq!(
        have,
        (direct, undist, kept, stranded, allocated, unallocated),
        "totals (direct, undistributed, kept, stranded, allocated, unallocated)"
    );
    assert_eq!(
        direct,
        kept + stranded,
        "model: direct is not kept + stranded"
    );
    let mut entered: i128 = spec.expenses.iter().map(|e| i128::from(e.amount)).sum();
    entered += spec
        .distributions
        .iter()
        .map(|d| i128::from(d.amount))
        .sum::<i128>();
    for (card, sel) in spec.rate_cards.iter().zip(&c.cards) {
        let per: i128 = card.costs.iter().map(|x| i128::from(x.amount)).sum();
        entered += per * i128::try_from(sel.len()).unwrap_or(0);
    }
    assert_eq!(
        entered,
        t.direct + t.undistributed,
        "the money entered is not direct + undistributed"
    );

    // The budget.
    let b = &input.budget;
    let actual: i128 = allocations
        .iter()
        .filter(|a| b.cost_centres.contains(&a.1))
        .map(|a| a.3)
        .sum();
    assert_eq!(
        got.allocated_to(&b.cost_centres),
        actual,
        "allocated_to({:?})",
        b.cost_centres
    );
    let status = b.status(actual, input.as_of);
    if b.end < b.start || input.as_of < b.start {
        let e = must(
            status.err().ok_or("accepted"),
            "a budget ending before it starts, or asked before it",
        );
        short_text(&e);
        let ends = Error::BudgetEndsBeforeStart {
            name: b.name.clone(),
            start: b.start,
            end: b.end,
        };
        let before = Error::BeforeBudget {
            name: b.name.clone(),
            start: b.start,
            as_of: input.as_of,
        };
        assert!(
            (b.end < b.start && e == ends) || (input.as_of < b.start && e == before),
            "status refused with {e:?}"
        );
    } else {
        let s = must(status, "status");
        let period = i128::from((b.end - b.start).num_days() + 1);
        let elapsed = i128::from((input.as_of.min(b.end) - b.start).num_days() + 1);
        let scaled = actual * period;
        let q = (scaled.abs() + elapsed / 2) / elapsed * scaled.signum();
        let have = (
            s.planned,
            s.actual,
            s.remaining,
            s.projected,
            i128::from(s.elapsed_days),
            i128::from(s.period_days),
        );
        assert_eq!(
            have,
            (
                b.planned,
                actual,
                i128::from(b.planned) - actual,
                q,
                elapsed,
                period
            ),
            "budget status"
        );
    }

    // Queries about nobody.
    // docs: `UnknownNode::list` names queries `queries`.
    let ghost = unknown("queries", GHOST);
    assert_eq!(got.cost(GHOST).err(), Some(ghost.clone()), "cost(ghost)");
    assert_eq!(
        got.passed(GHOST).err(),
        Some(ghost.clone()),
        "passed(ghost)"
    );
    assert_eq!(
        got.received(GHOST).err(),
        Some(ghost.clone()),
        "received(ghost)"
    );
    assert_eq!(got.lines(GHOST).err(), Some(ghost), "lines(ghost)");
}

/// Under `Cycles::Pool` with a cycle the model checks what must hold whatever the pools:
/// no `Err(Cycle)`, each node's total its direct and inherited cost, what it passed its
/// `passed_on`, the holders what the nodes keep, the money conserved, every allocation adding
/// up to what the service has to allocate.
fn check_pools(input: &Input, costing: &Result<Costing, Error>, units: &[Error]) {
    let got = match costing {
        Err(Error::Overflow { .. }) => return,
        Err(e) => {
            assert!(
                units.contains(e),
                "under pools refused with {e:?}; the model expects one of {units:?}"
            );
            return;
        }
        Ok(got) => got,
    };
    assert!(
        units.is_empty(),
        "Costing::new accepted allocation units breaking a rule: {units:?}"
    );
    assert!(!got.pools().is_empty(), "a cycle but no pool");
    let ids: Vec<&String> = input
        .graph
        .nodes
        .iter()
        .map(|n| &n.id)
        .chain(input.graph.groups.iter().map(|g| &g.id))
        .collect();
    let mut kept = HashMap::new();
    let mut direct = 0i128;
    for id in ids {
        let nc = must(got.cost(id), "cost");
        direct += i128::from(nc.direct);
        assert_eq!(
            i128::from(nc.total),
            i128::from(nc.direct) + i128::from(nc.inherited),
            "{id}: total"
        );
        let passed: i128 = must(got.passed(id), "passed")
            .iter()
            .map(|s| i128::from(s.amount))
            .sum();
        assert_eq!(
            passed,
            i128::from(nc.passed_on),
            "{id}: passed_on is not what it passed"
        );
        kept.insert(id.clone(), (nc.kept, nc.total));
    }
    let t = got.totals();
    assert_eq!(t.direct, direct, "totals: direct");
    assert_eq!(
        t.direct,
        t.kept_by_services + t.stranded,
        "under pools direct is not kept + stranded"
    );
    let holders = got.holders();
    let held: i128 = holders.iter().map(|h| i128::from(h.amount)).sum();
    assert_eq!(
        held, t.direct,
        "under pools the holders do not hold the direct cost"
    );
    for h in &holders {
        assert_eq!(
            kept.get(&h.id).map(|k| k.0),
            Some(h.amount),
            "holder {} keeps other than its cost's kept",
            h.id
        );
    }
    for u in &input.spec.units {
        let (k, total) = kept.get(&u.service).copied().unwrap_or((0, 0));
        let a = if input.policy.allocate == Allocate::Kept {
            k
        } else {
            total
        };
        let given: i128 = got
            .allocations()
            .iter()
            .filter(|x| x.service == u.service)
            .map(|x| i128::from(x.amount))
            .sum();
        let rest: i128 = got
            .unallocated()
            .iter()
            .filter(|x| x.service == u.service)
            .map(|x| i128::from(x.amount))
            .sum();
        assert_eq!(
            given + rest,
            i128::from(a),
            "under pools the allocation of {} does not add up",
            u.service
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Running

/// Bytes -> a graph, a cost spec, a policy and a budget; every answer checked against the
/// model. The fuzz target's entry point.
pub fn rollup(data: &[u8]) {
    run(data);
}

/// [`rollup`], returning what it decoded and what the crate answered.
pub fn run(data: &[u8]) -> Outcome {
    let input = decode(data);
    if input.shape.is_some() {
        let copy = input.clone();
        let small = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || check(copy));
        match must(small, "cannot start a thread").join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    } else {
        check(input)
    }
}

fn check(input: Input) -> Outcome {
    if input.shape.is_none() {
        round_trip(&input.graph, "the graph");
        round_trip(&input.spec, "the spec");
    }
    round_trip(&input.policy, "the policy");
    round_trip(&input.budget, "the budget");
    let costing = Costing::new(&input.graph, &input.spec, &input.policy);
    if let Err(e) = &costing {
        short_text(e);
    }
    let m = match model(&input.graph, &input.spec) {
        Err(want) => {
            let e = must(
                costing.as_ref().err().ok_or("accepted"),
                &format!("Costing::new accepted a spec breaking a rule: {want:?}"),
            );
            assert!(
                want.contains(e),
                "Costing::new refused with `{e}` ({e:?}); the model expects one of {want:?}"
            );
            return Outcome { input, costing };
        }
        Ok(m) => m,
    };
    let c = roll_up(&m, &input.spec);
    let cycle = c.settled.iter().any(|s| !*s);
    let pool = input.policy.cycles == Cycles::Pool;
    let units = unit_errors(&m, &input.spec);
    let over = |id: &str, among: &[usize]| among.iter().any(|&v| m.id(v) == id);
    match &costing {
        // The nodes' direct costs are checked before the roll-up.
        _ if !c.direct_over.is_empty() => match &costing {
            Err(Error::Overflow { id }) if over(id, &c.direct_over) => {}
            other => panic!(
                "{other:?}; the model overflows the direct cost of {:?}",
                c.direct_over
            ),
        },
        Err(Error::Cycle { nodes, length }) if !pool => check_cycle(&m, &c, nodes, *length),
        // An overflow settled before the cycle was found may come first.
        Err(Error::Overflow { id }) if cycle && !pool => {
            assert!(
                over(id, &c.over),
                "Err(Overflow `{id}`) where the model has a cycle"
            );
        }
        _ if cycle && !pool => panic!("{costing:?} where the model has a cycle"),
        _ if cycle => check_pools(&input, &costing, &units),
        Err(Error::Overflow { id }) => {
            assert!(
                over(id, &c.over),
                "Err(Overflow `{id}`); the model overflows at {:?}",
                c.over
            );
        }
        _ if !c.over.is_empty() => panic!("{costing:?}; the model overflows at {:?}", c.over),
        Err(e) => assert!(
            units.contains(e),
            "Costing::new refused with `{e}` ({e:?}); the model expects one of {units:?}"
        ),
        Ok(got) => {
            assert!(
                units.is_empty(),
                "Costing::new accepted allocation units breaking a rule: {units:?}"
            );
            assert!(
                got.pools().is_empty(),
                "pools without a cycle: {:?}",
                got.pools()
            );
            check_costing(&m, &c, &input, got);
            if m.ids.len() <= 300 {
                let again = must(
                    Costing::new(&input.graph, &input.spec, &input.policy),
                    "the second build",
                );
                assert!(
                    again.totals() == got.totals() && again.allocations() == got.allocations(),
                    "Costing::new twice"
                );
            }
        }
    }
    Outcome { input, costing }
}
