//! The fuzz harness of IT service continuity, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/continuity_plan.rs` calls [`plan`], and so does
//! the stable test `crates/itsm-continuity/tests/fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/continuity_plan/`.
//!
//! Every answer is compared with this harness's own reading of `docs/continuity.md` (and of
//! the API's doc comments), written from the rules, not from the crate's algorithms:
//! - the graph is rebuilt from its [`GraphSpec`] (ids in graph order, arcs with why they
//!   exist: an edge, a membership and the member's weight), and `Graph::arcs_from` is
//!   compared with it;
//! - the nodes a disruption takes down are those lost and those their failure reaches
//!   (a plain arc from a node down, or a group whose members still up weigh less than it
//!   needs): a least fixpoint; the rest are back at once ("at once if nothing it depends on
//!   was lost");
//! - the cycles of plain waits (among nodes that are neither groups nor lost without an RTA)
//!   are found by Kosaraju's algorithm and recovered side by side: one unit, back when the
//!   last of its nodes is, each after what it waits for outside the cycle;
//! - when each unit is back is a brute-force fixpoint: every unit down starts "never" and is
//!   recomputed from what it waits on (a plain node: all its arcs in; a lost one adds its RTA
//!   after them, or runs beside them; a group: every plain arc in, and the earliest time its
//!   members back weigh enough) in sweeps until nothing changes; for these monotone rules
//!   that is the crate's label-setting answer (a group counts only members back on their own
//!   account), and a unit still "never" is never back;
//! - a node never back waits on a lost node without an RTA when one reaches it through
//!   nodes never back (`NoRecoveryTime`, naming such a node), else on a cycle through a
//!   group (`Circular`, naming a node it waits on that is the first node never back of its
//!   cycle: of the cycle among the nodes never back, or of the graph's cycle holding it);
//! - the critical path is checked step by step (each node one the next waited for, back
//!   when that one's time says, the first one back by its own RTA), and, wherever the model
//!   has only one choice, node by node;
//! - required RTO and RPO are the least objective (ties to the earlier one) among the
//!   objectives of the node and of every node its failure reaches: by a reachability walk
//!   per node on small graphs and by a fixpoint on every graph, the two compared;
//! - `Plan::new`, `recover` and `assess` answer `Err` exactly when the input breaks a rule
//!   the docs state, with a variant the model names for the first broken record.
//!
//! How [`decode`] reads the bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0, so zeros give a one-node plan and ServiceNow's template), for
//! writing seeds by hand:
//! - byte 0, flags: bit 0 the sequencing (`Parallel` when set), bits 1-3 the disruption
//!   (0-2 `Everything`, 3-5 `Nodes`, 6-7 `Locations`), bits 4-7 a large shape when 15;
//!   byte 1 the shape (bits 6-7: a chain, a fan, nested groups, a ring; see [`shape`]) and
//!   its size (bits 0-5);
//! - the graph: 1 + byte % 10 nodes `n0`.., a byte each: the kind in bits 0-1 (0-1
//!   configuration item, 2 business service, 3 technical service), the location in bits 2-3
//!   (none, then [`LOCATIONS`]); then byte % 4 groups `g0`.., each: two bytes of member mask
//!   over the nodes then the groups (an empty mask takes one node), a rule byte (bits 0-1:
//!   count, percentage, count over influences, percentage over influences; bits 2-7 the
//!   value: see [`group`]) and for influences a byte per member ([`INFLUENCES`]); then
//!   byte % 20 edges, two bytes each: the source (mod the ids), and the target in bits 0-5
//!   with the relation in bits 6-7 (0-1 `depends_on`, to-from; 2 `hosts`, from-to; 3
//!   `peers`, both);
//! - the spec: byte % 6 objectives, four bytes each: the node (mod the small graph's nodes
//!   that are not groups), the RTO ([`duration`]), the RPO (none when bit 7 is set), the
//!   MTPD (none, the RTO, or the RTO plus a duration); then byte % 12 capabilities, three
//!   bytes each: the node, the RTA (none from 224), the RPA (none from 128); a node already
//!   given is skipped (defects make duplicates);
//! - the disruption: for `Nodes` byte % 5 ids, a byte each (mod every node that is not a
//!   group, the shape's included); for `Locations` byte % 3 locations among those the graph
//!   has;
//! - then byte % 4 plan defects, two bytes each (kind mod 16, target; see [`defect`]);
//! - the business impact analysis, read from the input's last byte backwards (so that short
//!   inputs reach it too): a byte of flags (bit 0 custom timeframes and tiers instead of
//!   ServiceNow's, bit 1 `AboveHighestTolerable`), for custom ones 1 + byte % 6
//!   timeframes `T0`.. (a byte each, [`TIMEFRAME_LENGTHS`]), byte % 4 tiers and a byte per
//!   timeframe naming its tier (or none); byte % 5 categories ([`CATEGORIES`] in turn), each:
//!   a kind byte (bit 0 RPO; for RPO bit 1 gives it ratings), the ratings' name mask over
//!   [`RATINGS`], a byte for their values (a permutation of 0-7), the tolerable mask, the
//!   allowed timeframes (all when bit 7 is set, else a mask) and the maximum RTO (among the
//!   allowed); byte % 4 RPO bands, a byte each (gap from the previous band in bits 0-1,
//!   width in bits 2-5) and a timeframe byte; then the answers: per RTO category a byte per
//!   rating (none when a multiple of 8, else a timeframe among the allowed), per RPO category
//!   byte % 3 scores ([`SCORES`]); an adjusted RTO and RPO and an MTPD (a byte each: a
//!   timeframe when 3 mod 4); then byte % 3 defects, two bytes each (kind mod 30, target;
//!   see [`bia_defect`]).
//!
//! Ids come from small pools, so objectives, capabilities, edges and memberships collide;
//! edges make self-loops and cycles. A large shape runs on a thread with a 256 kB stack, so
//! recursion that follows the input overflows it, and its size makes a quadratic step show
//! as a timeout.
//!
//! What must hold: nothing panics; an error's text is not empty and under 1000 bytes; every
//! field of every answer is the model's; the spec, policy, disruption, template, answers and
//! every answer survive JSON.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use chrono::Duration;
use itsm_continuity::{
    Answers, Assessment, Capability, Category, CategoryResult, ContinuitySpec, Contributes,
    Disruption, Error, Gap, Gaps, MAX_PATH, Objective, Outcome as Answer, Plan, Policy, Rating,
    RatingRule, Recovery, Required, ScoreBand, Sequencing, Source, Status, Summary, Template, Tier,
    Timeframe, Unknown, assess,
};
use itsm_graph::{
    EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

/// The locations nodes may have.
pub const LOCATIONS: [&str; 3] = ["dc-1", "dc-2", "cloud"];
/// Influences of group members, by byte.
pub const INFLUENCES: [u32; 12] = [0, 1, 1, 2, 3, 5, 30, 34, 70, 90, 100, 1_000];
/// Lengths of custom timeframes, by byte (two of 4 hours, so lengths tie).
pub const TIMEFRAME_LENGTHS: [i64; 12] = [
    0, 3_600, 14_400, 14_400, 28_800, 86_400, 259_200, 604_800, 2_592_000, -1, 1, 7_200,
];
/// The impact categories' names, in turn.
pub const CATEGORIES: [&str; 5] = [
    "Financial",
    "Legal",
    "Reputation",
    "Workforce",
    "Data value",
];
/// Rating names (they sort as written).
pub const RATINGS: [&str; 8] = [
    "01 - Low",
    "02 - Moderate",
    "03 - High",
    "04 - Severe",
    "Critical",
    "Major",
    "Minor",
    "Negligible",
];
/// RPO answer values, by byte.
pub const SCORES: [u32; 12] = [0, 1, 2, 3, 5, 8, 10, 13, 20, 40, 100, u32::MAX];
/// The large shapes (flags bits 4-7, 12 to 15).
pub const SHAPES: [&str; 4] = ["chain", "fan", "nested_groups", "ring"];
/// The statuses' names, in declaration order.
pub const STATUSES: [&str; 6] = [
    "unaffected",
    "met",
    "missed",
    "intolerable",
    "no_recovery_time",
    "circular",
];
/// The disruptions' names.
pub const DISRUPTIONS: [&str; 3] = ["everything", "nodes", "locations"];

/// The id no graph has.
const GHOST: &str = "ghost";

/// A status's name.
pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Unaffected => "unaffected",
        Status::Met => "met",
        Status::Missed => "missed",
        Status::Intolerable => "intolerable",
        Status::NoRecoveryTime => "no_recovery_time",
        Status::Circular => "circular",
    }
}

/// A disruption's name.
pub fn disruption_name(d: &Disruption) -> &'static str {
    match d {
        Disruption::Everything => "everything",
        Disruption::Nodes(_) => "nodes",
        Disruption::Locations(_) => "locations",
        _ => "other",
    }
}

/// What one input decodes to.
#[derive(Debug, Clone)]
pub struct Input {
    /// The graph.
    pub graph: GraphSpec,
    /// Objectives and capabilities.
    pub spec: ContinuitySpec,
    /// What is lost.
    pub disruption: Disruption,
    /// The sequencing.
    pub policy: Policy,
    /// The BIA template.
    pub template: Template,
    /// The BIA's answers.
    pub answers: Answers,
    /// The large shape added, if any.
    pub shape: Option<&'static str>,
}

/// What one input gave (for the corpus test's coverage check).
pub struct Outcome {
    /// The decoded input.
    pub input: Input,
    /// `Plan::new`'s answer (`None` when the graph itself was refused).
    pub plan: Option<Result<(), Error>>,
    /// `recover`'s answer, when the plan was built.
    pub recovery: Option<Result<Recovery, Error>>,
    /// `assess`'s answer.
    pub assessment: Result<Assessment, Error>,
}

// ---------------------------------------------------------------------------------------------
// Durations

/// A duration from a byte: mostly hours and days, some zero, a nanosecond, and some near
/// chrono's limit (sums of two overflow a duration).
pub fn duration(code: u8) -> Duration {
    let h = Duration::hours;
    match code % 32 {
        0 | 1 => Duration::zero(),
        2 => Duration::nanoseconds(1),
        3 => Duration::seconds(1),
        4 => Duration::minutes(1),
        5 => Duration::minutes(5),
        6 => Duration::minutes(15),
        7 => Duration::minutes(30),
        8 | 9 => h(1),
        10 => h(2),
        11 => h(3),
        12 | 13 => h(4),
        14 => h(6),
        15 => h(8),
        16 => h(12),
        17 | 18 => h(24),
        19 => h(36),
        20 => h(48),
        21 => h(72),
        22 => Duration::weeks(1),
        23 => Duration::weeks(2),
        24 => Duration::days(30),
        25 => Duration::days(90),
        26 => Duration::days(365),
        27 => h(1) + Duration::nanoseconds(1),
        28 => Duration::milliseconds(i64::MAX / 3),
        29 => Duration::milliseconds(i64::MAX / 2),
        30 => Duration::MAX - Duration::nanoseconds(1),
        _ => Duration::MAX,
    }
}

/// Nanoseconds of a non-negative duration.
fn ns(d: Duration) -> u128 {
    let secs = u128::try_from(d.num_seconds()).unwrap_or(0);
    let sub = u128::try_from(d.subsec_nanos()).unwrap_or(0);
    secs * 1_000_000_000 + sub
}

/// A duration of `n` nanoseconds, `None` past chrono's limit.
fn dur(n: u128) -> Option<Duration> {
    let secs = i64::try_from(n / 1_000_000_000).ok()?;
    let sub = i64::try_from(n % 1_000_000_000).ok()?;
    Duration::try_seconds(secs)?.checked_add(&Duration::nanoseconds(sub))
}

fn at<T: Copy, const N: usize>(table: &[T; N], i: u8) -> T {
    table[usize::from(i) % N]
}

// ---------------------------------------------------------------------------------------------
// Decoding

const RELATIONS: [(&str, Propagation); 3] = [
    ("depends_on", Propagation::ToFrom),
    ("hosts", Propagation::FromTo),
    ("peers", Propagation::Both),
];

fn relation(bits: u8) -> &'static str {
    match bits & 3 {
        0 | 1 => "depends_on",
        2 => "hosts",
        _ => "peers",
    }
}

/// A group's `min_up` and influences from its rule byte `r` (bits 0-1 the kind, bits 2-7 the
/// value `v`): a count `v % (members + 1)`, a percentage (0, 1, 34, 50, 67, 100 by `v % 6`),
/// or the same over influences (a byte each from [`INFLUENCES`]), the count then `v / 63` of
/// the total.
pub fn group(b: &mut Bytes<'_>, id: &str, members: Vec<String>, r: u8) -> GroupSpec {
    let v = u64::from(r >> 2);
    let weighted = r & 2 != 0;
    let influence: Vec<u32> = if weighted {
        members.iter().map(|_| at(&INFLUENCES, b.byte())).collect()
    } else {
        Vec::new()
    };
    let total: u64 = if weighted {
        influence.iter().map(|w| u64::from(*w)).sum()
    } else {
        members.len() as u64
    };
    let min_up = if r & 1 == 0 {
        let k = if weighted {
            total * v / 63
        } else {
            v % (total + 1)
        };
        MinUp::Count(u32::try_from(k).unwrap_or(0))
    } else {
        MinUp::Percent(at(&[0, 1, 34, 50, 67, 100], r >> 2))
    };
    let mut g = GroupSpec::new(id, &[], min_up);
    g.members = members;
    g.influence = influence;
    g
}

fn graph_from(b: &mut Bytes<'_>) -> GraphSpec {
    let relations = RELATIONS
        .iter()
        .map(|(name, p)| RelationSpec::new(name, *p))
        .collect();
    let n = 1 + b.pick(10);
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let x = b.byte();
        let kind = match x & 3 {
            0 | 1 => NodeKind::ConfigurationItem,
            2 => NodeKind::BusinessService,
            _ => NodeKind::TechnicalService,
        };
        let mut node = NodeSpec::new(&format!("n{i}"), kind, "thing");
        node.location = match (x >> 2) & 3 {
            0 => None,
            l => Some(at(&LOCATIONS, l - 1).to_owned()),
        };
        nodes.push(node);
    }
    let g = b.pick(4);
    let all: Vec<String> = nodes
        .iter()
        .map(|x| x.id.clone())
        .chain((0..g).map(|i| format!("g{i}")))
        .collect();
    let mut groups = Vec::with_capacity(g);
    for i in 0..g {
        let mask = u16::from(b.byte()) | (u16::from(b.byte()) << 8);
        let mut members: Vec<String> = all
            .iter()
            .take(16)
            .enumerate()
            .filter(|(j, _)| mask & (1 << j) != 0)
            .map(|(_, id)| id.clone())
            .collect();
        if members.is_empty() {
            members.push(format!("n{}", i % n));
        }
        let r = b.byte();
        groups.push(group(b, &format!("g{i}"), members, r));
    }
    let e = b.pick(20);
    let mut edges = Vec::with_capacity(e);
    for _ in 0..e {
        let (x, y) = (b.byte(), b.byte());
        let from = all
            .get(usize::from(x) % all.len())
            .cloned()
            .unwrap_or_default();
        let to = all
            .get(usize::from(y & 63) % all.len())
            .cloned()
            .unwrap_or_default();
        edges.push(EdgeSpec::new(&from, &to, relation(y >> 6)));
    }
    GraphSpec::new(relations, nodes, groups, edges)
}

fn spec_from(b: &mut Bytes<'_>, nodes: &[String]) -> ContinuitySpec {
    let mut spec = ContinuitySpec::default();
    for _ in 0..b.pick(6) {
        let (x, r, p, m) = (b.byte(), b.byte(), b.byte(), b.byte());
        let id = nodes
            .get(usize::from(x) % nodes.len().max(1))
            .cloned()
            .unwrap_or_default();
        let rto = duration(r);
        let mut o = Objective::new(&id, rto);
        if p & 128 == 0 {
            o.rpo = Some(duration(p));
        }
        o.mtpd = match m % 4 {
            0 => None,
            1 => Some(rto),
            _ => Some(rto.checked_add(&duration(m >> 2)).unwrap_or(Duration::MAX)),
        };
        if !spec.objectives.iter().any(|q| q.id == id) {
            spec.objectives.push(o);
        }
    }
    for _ in 0..b.pick(12) {
        let (x, t, p) = (b.byte(), b.byte(), b.byte());
        let id = nodes
            .get(usize::from(x) % nodes.len().max(1))
            .cloned()
            .unwrap_or_default();
        let mut c = Capability::new(&id, duration(t));
        if t >= 224 {
            c.rta = None;
        }
        if p < 128 {
            c.rpa = Some(duration(p));
        }
        if !spec.capabilities.iter().any(|q| q.id == id) {
            spec.capabilities.push(c);
        }
    }
    spec
}

/// Decodes the whole input (see the module's docs).
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let (flags, size) = (b.byte(), b.byte());
    let mut graph = graph_from(&mut b);
    let small: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    let mut spec = spec_from(&mut b, &small);
    let shape = (flags >> 4 == 15).then(|| {
        let name = SHAPES
            .get(usize::from(size >> 6))
            .copied()
            .unwrap_or("chain");
        self::shape(&mut graph, &mut spec, name, size & 63);
        name
    });
    let every: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    let disruption = match (flags >> 1) & 7 {
        0..=2 => Disruption::Everything,
        3..=5 => Disruption::Nodes(
            (0..b.pick(5))
                .map(|_| {
                    let x = b.byte();
                    every
                        .get(usize::from(x) % every.len())
                        .cloned()
                        .unwrap_or_default()
                })
                .collect(),
        ),
        _ => {
            let held: Vec<&str> = LOCATIONS
                .iter()
                .copied()
                .filter(|l| {
                    graph
                        .nodes
                        .iter()
                        .any(|n| n.location.as_deref() == Some(*l))
                })
                .collect();
            Disruption::Locations(
                (0..b.pick(3))
                    .map(|_| b.choose(&held, "dc-1").to_owned())
                    .collect(),
            )
        }
    };
    let mut input = Input {
        graph,
        spec,
        disruption,
        policy: Policy::default().with_sequencing(if flags & 1 == 1 {
            Sequencing::Parallel
        } else {
            Sequencing::AfterDependencies
        }),
        template: Template::default(),
        answers: Answers::default(),
        shape,
    };
    for _ in 0..b.pick(4) {
        let (kind, t) = (b.byte(), b.byte());
        defect(&mut input, kind, t);
    }
    // The analysis reads the input from its end, so that short inputs reach it too.
    let reversed: Vec<u8> = data.iter().rev().copied().collect();
    let mut b = Bytes::new(&reversed);
    let (template, answers) = bia_from(&mut b);
    input.template = template;
    input.answers = answers;
    for _ in 0..b.pick(3) {
        let (kind, t) = (b.byte(), b.byte());
        bia_defect(&mut input.template, &mut input.answers, kind, t);
    }
    input
}

/// A long id with control characters and quotes, in no graph.
fn hostile() -> String {
    let mut s = String::from("\u{1b}[31m\"'\n\t`\u{0}");
    s.push_str(&"x".repeat(5_000));
    s
}

fn nth<T>(list: &mut [T], t: u8) -> Option<&mut T> {
    let n = list.len();
    if n == 0 {
        return None;
    }
    list.get_mut(usize::from(t) % n)
}

/// A plan defect (kind mod 16) at record `t`: 0 an objective on an unknown id, 1 on a
/// group, 2 a capability on an unknown id, 3 on a group, 4 an objective given twice, 5 a
/// capability given twice, 6-10 a negative RTO, RPO, MTPD, RTA, RPA, 11 an MTPD shorter than
/// the RTO, 12 `Duration::MIN` as an RTA, 13 the disruption names an unknown node or
/// location (a hostile one when `t` is odd), 14 the disruption names a group, 15 an empty
/// disruption list (valid).
pub fn defect(input: &mut Input, kind: u8, t: u8) {
    let spec = &mut input.spec;
    let group = input
        .graph
        .groups
        .first()
        .map_or(GHOST, |g| g.id.as_str())
        .to_owned();
    let minus = |d: Duration| -(d.max(Duration::nanoseconds(1)).min(Duration::MAX));
    let pos = |len: usize| usize::from(t) % (len + 1);
    match kind % 16 {
        0 | 1 => {
            let id = if kind % 16 == 0 {
                GHOST.to_owned()
            } else {
                group
            };
            let p = pos(spec.objectives.len());
            spec.objectives
                .insert(p, Objective::new(&id, Duration::hours(1)));
        }
        2 | 3 => {
            let id = if kind % 16 == 2 {
                GHOST.to_owned()
            } else {
                group
            };
            let p = pos(spec.capabilities.len());
            spec.capabilities
                .insert(p, Capability::new(&id, Duration::hours(1)));
        }
        4 => {
            if let Some(o) = nth(&mut spec.objectives, t).cloned() {
                spec.objectives.push(o);
            }
        }
        5 => {
            if let Some(c) = nth(&mut spec.capabilities, t).cloned() {
                let p = pos(spec.capabilities.len());
                spec.capabilities.insert(p, c);
            }
        }
        6 => {
            if let Some(o) = nth(&mut spec.objectives, t) {
                o.rto = minus(o.rto);
            }
        }
        7 => {
            if let Some(o) = nth(&mut spec.objectives, t) {
                o.rpo = Some(minus(o.rpo.unwrap_or_default()));
            }
        }
        8 => {
            if let Some(o) = nth(&mut spec.objectives, t) {
                o.mtpd = Some(minus(o.mtpd.unwrap_or_default()));
            }
        }
        9 => {
            if let Some(c) = nth(&mut spec.capabilities, t) {
                c.rta = Some(minus(c.rta.unwrap_or_default()));
            }
        }
        10 => {
            if let Some(c) = nth(&mut spec.capabilities, t) {
                c.rpa = Some(minus(c.rpa.unwrap_or_default()));
            }
        }
        11 => {
            if let Some(o) = nth(&mut spec.objectives, t) {
                if o.rto <= Duration::zero() {
                    o.rto = Duration::hours(1);
                }
                o.mtpd = Some(o.rto - Duration::nanoseconds(1));
            }
        }
        12 => {
            if let Some(c) = nth(&mut spec.capabilities, t) {
                c.rta = Some(Duration::MIN);
            }
        }
        13 | 14 => {
            let bad = if kind % 16 == 14 {
                group
            } else if t % 2 == 1 {
                hostile()
            } else {
                GHOST.to_owned()
            };
            match &mut input.disruption {
                Disruption::Locations(places) => {
                    let p = pos(places.len());
                    places.insert(
                        p,
                        if kind % 16 == 14 {
                            "dc-9".to_owned()
                        } else {
                            bad
                        },
                    );
                }
                Disruption::Nodes(ids) => {
                    let p = pos(ids.len());
                    ids.insert(p, bad);
                }
                _ => input.disruption = Disruption::Nodes(vec![bad]),
            }
        }
        _ => match &mut input.disruption {
            Disruption::Locations(places) => places.clear(),
            Disruption::Nodes(ids) => ids.clear(),
            _ => {}
        },
    }
}

/// Adds a large shape sized by `size` (0 to 63; the counts grow with its cube, so that most
/// shapes a mutation makes stay cheap):
/// - `chain`: `chain-svc` (a business service with an objective) depends on `c0`, which
///   depends on `c1`, ... `c(L-1)` (`L` = 64 + size³/64, up to 3970), and `n0` on `c0`;
///   configuration items at `dc-1` and `dc-2` in turn, RTAs of 1 to 5 minutes (zero every
///   eleventh; none for `c(L/2)` when size is 3 mod 8; three of `Duration::MAX / 2` when
///   size is 7 mod 8, so that the sums overflow), listed last to first when size is odd;
/// - `fan`: `fan-svc` depends on each of `f0` .. `f(W-1)` (W as L), and `fan-any` on group
///   `fan`, their redundancy group (half of them must be up; influences when size is odd),
///   `n0` on `fan`; RTAs of 1 to 7 minutes, none every 13th when size is 5 mod 8;
/// - `nested_groups`: `nest-svc` depends on `gn0`, whose members are `x0` and `gn1`, and so
///   on to `gn(D-1)` (D = 16 + size³/256, up to 992) with `x(D-1)` alone; counts of 1 and 2
///   in turn (all 1 when size is odd), `n0` on `gn0`;
/// - `ring`: `ring-svc` depends on `r0`, `r0` on `r1`, ... `r(R-1)` on `r0` (R as L): one
///   cycle recovered side by side; `r(R/2)` without an RTA when size is odd; when size is 2
///   mod 4, `r(R-1)` depends on group `rg` of `r0` alone instead, a cycle through a group.
///
/// Each shape's service has an objective of a day (MTPD a week), and its nodes RTAs.
pub fn shape(graph: &mut GraphSpec, spec: &mut ContinuitySpec, name: &str, size: u8) {
    let size = usize::from(size);
    let big = 64 + size * size * size / 64;
    let ci = |id: &str, k: usize| {
        let mut n = NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
        n.location = LOCATIONS.get(k % 2).map(|l| (*l).to_owned());
        n
    };
    let minutes = |k: usize| Duration::minutes(i64::try_from(k).unwrap_or(0));
    let has_n0 = graph.nodes.iter().any(|n| n.id == "n0");
    let service = |graph: &mut GraphSpec, spec: &mut ContinuitySpec, id: &str| {
        graph
            .nodes
            .push(NodeSpec::new(id, NodeKind::BusinessService, "service"));
        spec.objectives.push(
            Objective::new(id, Duration::hours(24))
                .with_mtpd(Duration::weeks(1))
                .with_rpo(Duration::hours(1)),
        );
    };
    let dep = |from: &str, to: &str| EdgeSpec::new(from, to, "depends_on");
    match name {
        "chain" => {
            service(graph, spec, "chain-svc");
            let mut nodes: Vec<NodeSpec> = (0..big).map(|i| ci(&format!("c{i}"), i)).collect();
            if size % 2 == 1 {
                nodes.reverse();
            }
            graph.nodes.extend(nodes);
            graph.edges.push(dep("chain-svc", "c0"));
            if has_n0 {
                graph.edges.push(dep("n0", "c0"));
            }
            for i in 0..big {
                let id = format!("c{i}");
                if i + 1 < big {
                    graph.edges.push(dep(&id, &format!("c{}", i + 1)));
                }
                let mut c = Capability::new(&id, minutes(1 + i % 5));
                if i % 11 == 0 {
                    c.rta = Some(Duration::zero());
                }
                if size % 8 == 3 && i == big / 2 {
                    c.rta = None;
                }
                if size % 8 == 7 && i % (big / 3) == 1 {
                    c.rta = Some(Duration::MAX / 2);
                }
                spec.capabilities.push(c.with_rpa(minutes(i % 90)));
            }
        }
        "fan" => {
            service(graph, spec, "fan-svc");
            service(graph, spec, "fan-any");
            let leaves: Vec<String> = (0..big).map(|i| format!("f{i}")).collect();
            for (i, id) in leaves.iter().enumerate() {
                graph.nodes.push(ci(id, i));
                graph.edges.push(dep("fan-svc", id));
                let mut c = Capability::new(id, minutes(1 + (i * 5) % 7));
                if size % 8 == 5 && i % 13 == 0 {
                    c.rta = None;
                }
                spec.capabilities.push(c);
            }
            let mut g = GroupSpec::new("fan", &[], MinUp::Percent(50));
            g.members = leaves;
            if size % 2 == 1 {
                g.influence = (0..big)
                    .map(|i| u32::try_from(i % 4).unwrap_or(1))
                    .collect();
            }
            graph.groups.push(g);
            graph.edges.push(dep("fan-any", "fan"));
            if has_n0 {
                graph.edges.push(dep("n0", "fan"));
            }
        }
        "nested_groups" => {
            service(graph, spec, "nest-svc");
            let depth = 16 + size * size * size / 256;
            for i in 0..depth {
                let x = format!("x{i}");
                graph.nodes.push(ci(&x, i));
                spec.capabilities
                    .push(Capability::new(&x, minutes(1 + (i * 3) % 10)));
                let mut members = vec![x];
                if i + 1 < depth {
                    members.push(format!("gn{}", i + 1));
                }
                let k = if size % 2 == 1 || members.len() == 1 {
                    1
                } else {
                    1 + i % 2
                };
                let mut g = GroupSpec::new(&format!("gn{i}"), &[], MinUp::Count(k as u32));
                g.members = members;
                graph.groups.push(g);
            }
            graph.edges.push(dep("nest-svc", "gn0"));
            if has_n0 {
                graph.edges.push(dep("n0", "gn0"));
            }
        }
        _ => {
            service(graph, spec, "ring-svc");
            graph.edges.push(dep("ring-svc", "r0"));
            for i in 0..big {
                let id = format!("r{i}");
                graph.nodes.push(ci(&id, i));
                let next = if i + 1 == big && size % 4 == 2 {
                    "rg".to_owned()
                } else {
                    format!("r{}", (i + 1) % big)
                };
                graph.edges.push(dep(&id, &next));
                let mut c = Capability::new(&id, minutes(1 + i % 3));
                if size % 2 == 1 && i == big / 2 {
                    c.rta = None;
                }
                spec.capabilities.push(c);
            }
            if size % 4 == 2 {
                graph
                    .groups
                    .push(GroupSpec::new("rg", &["r0"], MinUp::Count(1)));
            }
            if has_n0 {
                graph.edges.push(dep("n0", "r0"));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The BIA's decoding

fn bia_from(b: &mut Bytes<'_>) -> (Template, Answers) {
    let flags = b.byte();
    let mut t = Template::servicenow();
    if flags & 1 == 1 {
        t.timeframes = (0..1 + b.pick(6))
            .map(|i| {
                let secs = at(&TIMEFRAME_LENGTHS, b.byte());
                let d = if secs < 0 {
                    Duration::MAX
                } else {
                    Duration::seconds(secs)
                };
                Timeframe::new(&format!("T{i}"), d)
            })
            .collect();
        let tiers = b.pick(4);
        t.tiers = (0..tiers)
            .map(|i| Tier::new(&format!("Tier {}", char::from(b'A' + i as u8)), &[]))
            .collect();
        for f in &t.timeframes {
            let k = b.pick(tiers + 1);
            if let Some(tier) = t.tiers.get_mut(k) {
                tier.timeframes.push(f.name.clone());
            }
        }
    }
    if flags & 2 == 2 {
        t.rating_rule = RatingRule::AboveHighestTolerable;
    }
    let names: Vec<String> = t.timeframes.iter().map(|f| f.name.clone()).collect();
    for name in CATEGORIES.iter().take(b.pick(5)) {
        let kind = b.byte();
        let rpo = kind & 1 == 1;
        let mut c = if rpo {
            Category::rpo(name)
        } else {
            Category::rto(name, vec![], "")
        };
        if !rpo || kind & 2 == 2 {
            let (mask, values, tolerable) = (b.byte(), b.byte(), b.byte());
            let mask = if mask == 0 { 1 << (kind % 8) } else { mask };
            let (a, off) = (u32::from(values & 7) * 2 + 1, u32::from(values >> 3));
            c.ratings = RATINGS
                .iter()
                .enumerate()
                .filter(|(j, _)| mask & (1 << j) != 0)
                .enumerate()
                .map(|(i, (j, r))| {
                    let v = (a * u32::try_from(i).unwrap_or(0) + off) % 8;
                    Rating::new(r, v, tolerable & (1 << j) != 0)
                })
                .collect();
        }
        if !rpo {
            let (allow, max) = (b.byte(), b.byte());
            if allow & 128 == 0 {
                c.timeframes = names
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| allow & (1 << (j % 7)) != 0)
                    .map(|(_, f)| f.clone())
                    .collect();
            }
            let pool = if c.timeframes.is_empty() {
                &names
            } else {
                &c.timeframes
            };
            c.maximum_rto = pool.get(usize::from(max) % pool.len().max(1)).cloned();
        }
        t.categories.push(c);
    }
    let mut lower = 0u32;
    for _ in 0..b.pick(4) {
        let (x, f) = (b.byte(), b.byte());
        let lo = lower.saturating_add(u32::from(x & 3));
        let hi = lo.saturating_add(u32::from((x >> 2) & 15) * 3);
        let tf = names
            .get(usize::from(f) % names.len().max(1))
            .cloned()
            .unwrap_or_default();
        t.rpo_bands.push(ScoreBand::new(lo, hi, &tf));
        lower = hi.saturating_add(1);
    }
    let mut answers = Answers::default();
    for c in &t.categories {
        match c.contributes {
            Contributes::Rto => {
                let pool = if c.timeframes.is_empty() {
                    &names
                } else {
                    &c.timeframes
                };
                for r in &c.ratings {
                    let x = b.byte();
                    if x % 8 != 0 {
                        let f = pool.get(usize::from(x >> 3) % pool.len().max(1));
                        answers = answers.at(&c.name, &r.name, f.map_or("", String::as_str));
                    }
                }
            }
            _ => {
                for _ in 0..b.pick(3) {
                    answers = answers.score(&c.name, at(&SCORES, b.byte()));
                }
            }
        }
    }
    let adjusted = |x: u8| {
        (x % 4 == 3)
            .then(|| names.get(usize::from(x >> 2) % names.len().max(1)).cloned())
            .flatten()
    };
    if let Some(f) = adjusted(b.byte()) {
        answers = answers.adjust_rto(&f, "set by hand");
    }
    if let Some(f) = adjusted(b.byte()) {
        answers = answers.adjust_rpo(&f, "set by hand");
    }
    if let Some(f) = adjusted(b.byte()) {
        answers = answers.with_mtpd(&f);
    }
    (t, answers)
}

/// A BIA defect (kind mod 28) at `t`: 0-2 a duplicate timeframe, tier, category name, 3 a
/// negative timeframe, 4 a tier naming an unknown timeframe, 5 a timeframe in two tiers, 6 a
/// duplicate rating name, 7 an RTO category without ratings, 8 two ratings of one value, 9 no
/// maximum RTO, 10 a maximum RTO outside the allowed timeframes, 11 an unknown allowed
/// timeframe, 12 a reversed band, 13 overlapping bands, 14 a band on an unknown timeframe,
/// 15 an answer for an unknown category, 16 for an unknown rating, 17 a disruption answer to
/// an RPO category, 18 a score answer to an RTO category, 19 an answer given twice, 20 an
/// answer on an unknown timeframe, 21 on a timeframe not allowed, 22 an adjusted objective on
/// an unknown timeframe, 23 no tiers, 24 a score in no band, 25 a tier listing a timeframe
/// twice, 26 a maximum RTO on an unknown timeframe, 27 an RPO category's ratings of one
/// value, 28 an MTPD on an unknown timeframe, 29 the MTPD the first timeframe (shorter than
/// most RTOs).
pub fn bia_defect(t: &mut Template, a: &mut Answers, kind: u8, x: u8) {
    let first_tf = t
        .timeframes
        .first()
        .map(|f| f.name.clone())
        .unwrap_or_default();
    let rto_cat = t
        .categories
        .iter()
        .position(|c| c.contributes == Contributes::Rto);
    let rpo_cat = t
        .categories
        .iter()
        .position(|c| c.contributes == Contributes::Rpo);
    match kind % 30 {
        0 => {
            if let Some(f) = nth(&mut t.timeframes, x).cloned() {
                t.timeframes
                    .push(Timeframe::new(&f.name, Duration::hours(5)));
            }
        }
        1 => {
            if let Some(tier) = nth(&mut t.tiers, x).cloned() {
                t.tiers.push(Tier::new(&tier.name, &[]));
            }
        }
        2 => {
            if let Some(c) = nth(&mut t.categories, x).cloned() {
                t.categories.push(c);
            }
        }
        3 => {
            if let Some(f) = nth(&mut t.timeframes, x) {
                f.starts_at = if x % 2 == 0 {
                    -Duration::nanoseconds(1)
                } else {
                    Duration::MIN
                };
            }
        }
        4 => {
            if let Some(tier) = nth(&mut t.tiers, x) {
                tier.timeframes.push("Never".to_owned());
            }
        }
        5 => {
            if t.tiers.len() >= 2 {
                let f = t.tiers.iter().find_map(|r| r.timeframes.first().cloned());
                if let (Some(f), Some(tier)) = (f, nth(&mut t.tiers, x)) {
                    if !tier.timeframes.contains(&f) {
                        tier.timeframes.push(f);
                    }
                }
            }
        }
        6 => {
            if let Some(c) = nth(&mut t.categories, x) {
                if let Some(r) = c.ratings.first().cloned() {
                    c.ratings.push(Rating::new(&r.name, 99, r.tolerable));
                }
            }
        }
        7 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get_mut(i)) {
                c.ratings.clear();
            }
        }
        8 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get_mut(i)) {
                if let Some(r) = c.ratings.first().cloned() {
                    c.ratings
                        .push(Rating::new("09 - Extra", r.value, x % 2 == 0));
                }
            }
        }
        9 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get_mut(i)) {
                c.maximum_rto = None;
            }
        }
        10 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get_mut(i)) {
                let outside = t
                    .timeframes
                    .iter()
                    .map(|f| f.name.clone())
                    .find(|f| !c.timeframes.contains(f));
                if let Some(f) = outside {
                    if c.timeframes.is_empty() {
                        c.timeframes = t
                            .timeframes
                            .iter()
                            .map(|g| g.name.clone())
                            .filter(|g| *g != f)
                            .collect();
                        if let Some(first) = c.timeframes.first().cloned() {
                            c.maximum_rto = Some(first);
                        }
                    }
                    if !c.timeframes.is_empty() {
                        c.maximum_rto = Some(f);
                    }
                }
            }
        }
        11 => {
            if let Some(c) = nth(&mut t.categories, x) {
                c.timeframes.push("Someday".to_owned());
            }
        }
        12 => {
            let p = usize::from(x) % (t.rpo_bands.len() + 1);
            t.rpo_bands.insert(p, ScoreBand::new(500, 400, &first_tf));
        }
        13 => {
            if let Some(band) = nth(&mut t.rpo_bands, x).cloned() {
                t.rpo_bands.push(ScoreBand::new(
                    band.upper,
                    band.upper.saturating_add(2),
                    &first_tf,
                ));
            }
        }
        14 => t.rpo_bands.push(ScoreBand::new(1_000, 1_001, "Never")),
        15 => {
            *a = a.clone().score("Nothing", 1);
        }
        16 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get(i)) {
                *a = a.clone().at(&c.name, "99 - Unknown", &first_tf);
            }
        }
        17 => {
            if let Some(c) = rpo_cat.and_then(|i| t.categories.get(i)) {
                *a = a.clone().at(&c.name, "01 - Low", &first_tf);
            }
        }
        18 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get(i)) {
                *a = a.clone().score(&c.name, 3);
            }
        }
        19 => {
            if let Some(d) = nth(&mut a.disruption, x).cloned() {
                a.disruption.push(d);
            }
        }
        20 => {
            if let Some(d) = nth(&mut a.disruption, x) {
                d.timeframe = "Someday".to_owned();
            }
        }
        21 => {
            for c in &t.categories {
                let outside = t
                    .timeframes
                    .iter()
                    .find(|f| !c.timeframes.contains(&f.name));
                if let (false, Some(f), Some(r)) =
                    (c.timeframes.is_empty(), outside, c.ratings.first())
                {
                    if c.contributes == Contributes::Rto {
                        a.disruption
                            .retain(|d| !(d.category == c.name && d.rating == r.name));
                        *a = a.clone().at(&c.name, &r.name, &f.name);
                        break;
                    }
                }
            }
        }
        22 => {
            *a = if x % 2 == 0 {
                a.clone().adjust_rto("Someday", "")
            } else {
                a.clone().adjust_rpo("Someday", "")
            };
        }
        23 => t.tiers.clear(),
        24 => {
            if let Some(c) = rpo_cat.and_then(|i| t.categories.get(i)) {
                *a = a.clone().score(&c.name, 999_999);
            }
        }
        25 => {
            if let Some(tier) = nth(&mut t.tiers, x) {
                if let Some(f) = tier.timeframes.first().cloned() {
                    tier.timeframes.push(f);
                }
            }
        }
        26 => {
            if let Some(c) = rto_cat.and_then(|i| t.categories.get_mut(i)) {
                c.maximum_rto = Some("Never".to_owned());
            }
        }
        28 => a.mtpd = Some("Someday".to_owned()),
        29 => a.mtpd = Some(first_tf),
        _ => {
            if let Some(c) = rpo_cat.and_then(|i| t.categories.get_mut(i)) {
                c.ratings = vec![
                    Rating::new("01 - Low", 1, true),
                    Rating::new("02 - High", 1, false),
                ];
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The graph as the model sees it

/// One arc into a node: from where, whether the node waits on it as it is (an edge, or any
/// arc into a node that is not a group), and what a member weighs in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct In {
    from: usize,
    passes: bool,
    weight: Option<u64>,
}

struct Model {
    ids: Vec<String>,
    at: HashMap<String, usize>,
    kinds: Vec<NodeKind>,
    locations: Vec<Option<String>>,
    inputs: Vec<Vec<In>>,
    outputs: Vec<Vec<usize>>,
    /// For a group: the member weight that must be back for it to hold.
    need: Vec<Option<u64>>,
}

impl Model {
    /// `None` when `Graph::from_spec` must refuse the spec (a group needing more than it has).
    fn new(spec: &GraphSpec) -> Option<Model> {
        let mut ids: Vec<String> = spec.nodes.iter().map(|n| n.id.clone()).collect();
        let mut kinds: Vec<NodeKind> = spec.nodes.iter().map(|n| n.kind).collect();
        let mut locations: Vec<Option<String>> =
            spec.nodes.iter().map(|n| n.location.clone()).collect();
        ids.extend(spec.groups.iter().map(|g| g.id.clone()));
        kinds.extend(spec.groups.iter().map(|_| NodeKind::Group));
        locations.extend(spec.groups.iter().map(|_| None));
        let at: HashMap<String, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let mut arcs: BTreeMap<(usize, usize), (bool, Option<u64>)> = BTreeMap::new();
        let mut need = vec![None; ids.len()];
        for (k, g) in spec.groups.iter().enumerate() {
            let gi = spec.nodes.len() + k;
            let mut total = 0u64;
            for (j, m) in g.members.iter().enumerate() {
                let w = if g.influence.is_empty() {
                    1
                } else {
                    u64::from(g.influence.get(j).copied().unwrap_or(1))
                };
                total += w;
                arcs.entry((*at.get(m)?, gi)).or_default().1 = Some(w);
            }
            let k = match g.min_up {
                MinUp::Count(k) => u64::from(k),
                MinUp::Percent(p) => (total * u64::from(p)).div_ceil(100),
            };
            if k > total || (g.influence.is_empty() && g.members.is_empty()) {
                return None;
            }
            if let Some(s) = need.get_mut(gi) {
                *s = Some(k);
            }
        }
        for e in &spec.edges {
            let (from, to) = (*at.get(&e.from)?, *at.get(&e.to)?);
            let p = spec
                .relations
                .iter()
                .find(|r| r.name == e.relation)?
                .propagation;
            let pairs: &[(usize, usize)] = match p {
                Propagation::ToFrom => &[(to, from)],
                Propagation::FromTo => &[(from, to)],
                Propagation::Both => &[(to, from), (from, to)],
            };
            for pair in pairs {
                arcs.entry(*pair).or_default().0 = true;
            }
        }
        let mut inputs = vec![Vec::new(); ids.len()];
        let mut outputs = vec![Vec::new(); ids.len()];
        for (&(u, v), &(edge, weight)) in &arcs {
            let group = need.get(v).copied().flatten().is_some();
            if let Some(list) = inputs.get_mut(v) {
                list.push(In {
                    from: u,
                    passes: edge || !group,
                    weight: if group { weight } else { None },
                });
            }
            if let Some(list) = outputs.get_mut(u) {
                list.push(v);
            }
        }
        Some(Model {
            ids,
            at,
            kinds,
            locations,
            inputs,
            outputs,
            need,
        })
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    fn id(&self, i: usize) -> &str {
        self.ids.get(i).map_or("", String::as_str)
    }

    fn ins(&self, v: usize) -> &[In] {
        self.inputs.get(v).map_or(&[], Vec::as_slice)
    }

    fn outs(&self, v: usize) -> &[usize] {
        self.outputs.get(v).map_or(&[], Vec::as_slice)
    }

    fn is_group(&self, v: usize) -> bool {
        self.need.get(v).copied().flatten().is_some()
    }

    fn item(&self, v: usize) -> bool {
        self.kinds.get(v) == Some(&NodeKind::ConfigurationItem)
    }
}

/// The compiled graph has the model's ids in its order and its arcs, each saying how it
/// passes failure on (`Graph::arcs_from`, which the crate walks).
fn check_graph(graph: &Graph, m: &Model) {
    assert_eq!(graph.node_count(), m.len(), "node count");
    for (i, id) in m.ids.iter().enumerate() {
        let node = must(graph.node(id), "a node of the spec");
        assert_eq!(node.index(), i, "`{id}` is not at its place in graph order");
        assert_eq!(
            graph.location(node),
            m.locations.get(i).and_then(Option::as_deref),
            "the location of `{id}`"
        );
        let mut got: Vec<(usize, bool, Option<u64>)> = graph
            .arcs_from(node)
            .map(|a| (a.to.index(), a.passes, a.counts.map(u64::from)))
            .collect();
        got.sort_unstable();
        let mut want: Vec<(usize, bool, Option<u64>)> = m
            .outs(i)
            .iter()
            .filter_map(|&v| {
                let a = m.ins(v).iter().find(|a| a.from == i)?;
                Some((v, a.passes, a.weight))
            })
            .collect();
        want.sort_unstable();
        assert_eq!(got, want, "the arcs from `{id}`");
    }
}

// ---------------------------------------------------------------------------------------------
// The plan's expected errors

/// An error the model expects, with the fields it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Want {
    UnknownNode(&'static str, String),
    DuplicateNode(&'static str, String),
    GroupNamed(&'static str, String),
    Negative(String, &'static str, Duration),
    MtpdBeforeRto(String, Duration, Duration),
    UnknownLocation(String),
}

fn matches(e: &Error, w: &Want) -> bool {
    match (e, w) {
        (Error::UnknownNode { list, id }, Want::UnknownNode(l, i)) => list == l && id == i,
        (Error::DuplicateNode { list, id }, Want::DuplicateNode(l, i)) => list == l && id == i,
        (Error::GroupNamed { list, id }, Want::GroupNamed(l, i)) => list == l && id == i,
        (Error::NegativeDuration { id, field, value }, Want::Negative(i, f, v)) => {
            id == i && field == f && value == v
        }
        (Error::MtpdBeforeRto { id, rto, mtpd }, Want::MtpdBeforeRto(i, r, m)) => {
            id == i && rto == r && mtpd == m
        }
        (Error::UnknownLocation { location }, Want::UnknownLocation(l)) => location == l,

        _ => false,
    }
}

/// What is wrong with one record naming `id` in `list`, given the ids already named there.
fn naming(m: &Model, list: &'static str, id: &str, seen: &HashSet<String>) -> Vec<Want> {
    match m.at.get(id) {
        None => vec![Want::UnknownNode(list, id.to_owned())],
        Some(&i) if m.is_group(i) => vec![Want::GroupNamed(list, id.to_owned())],
        Some(_) if seen.contains(id) => vec![Want::DuplicateNode(list, id.to_owned())],
        Some(_) => Vec::new(),
    }
}

/// The errors `Plan::new` may answer: those of the first record (objectives, then
/// capabilities) that breaks a rule; empty when none does.
fn spec_errors(m: &Model, spec: &ContinuitySpec) -> Vec<Want> {
    let neg = |id: &str, f: &'static str, d: Option<Duration>| {
        d.filter(|d| *d < Duration::zero())
            .map(|d| Want::Negative(id.to_owned(), f, d))
    };
    let mut seen = HashSet::new();
    for o in &spec.objectives {
        let mut w = naming(m, "the objectives", &o.id, &seen);
        w.extend(neg(&o.id, "rto", Some(o.rto)));
        w.extend(neg(&o.id, "rpo", o.rpo));
        w.extend(neg(&o.id, "mtpd", o.mtpd));
        if let Some(mtpd) = o.mtpd.filter(|x| *x < o.rto) {
            w.push(Want::MtpdBeforeRto(o.id.clone(), o.rto, mtpd));
        }
        if !w.is_empty() {
            return w;
        }
        seen.insert(o.id.clone());
    }
    seen.clear();
    for c in &spec.capabilities {
        let mut w = naming(m, "the capabilities", &c.id, &seen);
        w.extend(neg(&c.id, "rta", c.rta));
        w.extend(neg(&c.id, "rpa", c.rpa));
        if !w.is_empty() {
            return w;
        }
        seen.insert(c.id.clone());
    }
    Vec::new()
}

/// The nodes the disruption takes down, or the errors it may raise (any of its bad names).
fn lost(m: &Model, d: &Disruption) -> Result<Vec<bool>, Vec<Want>> {
    let n = m.len();
    match d {
        Disruption::Everything => Ok((0..n).map(|v| m.item(v)).collect()),
        Disruption::Nodes(ids) => {
            let mut lost = vec![false; n];
            let mut bad = Vec::new();
            for id in ids {
                match m.at.get(id) {
                    None => bad.push(Want::UnknownNode("the disruption", id.clone())),
                    Some(&i) if m.is_group(i) => {
                        bad.push(Want::GroupNamed("the disruption", id.clone()));
                    }
                    Some(&i) => {
                        if let Some(s) = lost.get_mut(i) {
                            *s = true;
                        }
                    }
                }
            }
            if bad.is_empty() { Ok(lost) } else { Err(bad) }
        }
        Disruption::Locations(places) => {
            let bad: Vec<Want> = places
                .iter()
                .filter(|p| !m.locations.iter().any(|l| l.as_ref() == Some(*p)))
                .map(|p| Want::UnknownLocation(p.clone()))
                .collect();
            if !bad.is_empty() {
                return Err(bad);
            }
            Ok((0..n)
                .map(|v| {
                    m.item(v)
                        && m.locations
                            .get(v)
                            .and_then(Option::as_ref)
                            .is_some_and(|l| places.contains(l))
                })
                .collect())
        }
        _ => Err(Vec::new()),
    }
}

// ---------------------------------------------------------------------------------------------
// The model's recovery

/// `None`: never back.
type Time = Option<u128>;

/// When a node has what it waits for from outside its cycle, when its members held it (a
/// group), and when it is back on its own account.
struct Wait {
    outside: Time,
    held: Time,
    own: Time,
}

struct Run<'a> {
    m: &'a Model,
    lost: Vec<bool>,
    /// The nodes the disruption takes down (lost, or reached by the failure of what they
    /// wait on); the rest are back at once.
    down: Vec<bool>,
    rta: Vec<Option<u128>>,
    seq: Sequencing,
    /// Per node, its unit: the nodes recovered side by side with it (a cycle of plain
    /// waits), named by its least node; a node on no such cycle is a unit of its own.
    unit: Vec<usize>,
    /// The units of more than one node (or of a node waiting on itself): their nodes.
    cycles: BTreeMap<usize, Vec<usize>>,
    time: Vec<Time>,
}

/// The nodes a loss of `lost` takes down: the least fixpoint of "lost, or a plain arc in
/// from a node down, or (a group) its members not down weigh less than it needs".
fn down_from(m: &Model, lost: &[bool]) -> Vec<bool> {
    let n = m.len();
    let mut down: Vec<bool> = (0..n)
        .map(|v| lost.get(v).copied().unwrap_or(false))
        .collect();
    for sweep in 0..=2 * n + 4 {
        let mut changed = false;
        for k in 0..n {
            let v = if sweep % 2 == 0 { k } else { n - 1 - k };
            if down.get(v).copied().unwrap_or(true) {
                continue;
            }
            let is = |u: usize| down.get(u).copied().unwrap_or(false);
            let plain = m.ins(v).iter().any(|a| a.passes && is(a.from));
            let short = m.need.get(v).copied().flatten().is_some_and(|need| {
                let up: u64 = m
                    .ins(v)
                    .iter()
                    .filter(|a| !is(a.from))
                    .filter_map(|a| a.weight)
                    .sum();
                up < need
            });
            if plain || short {
                if let Some(d) = down.get_mut(v) {
                    *d = true;
                }
                changed = true;
            }
        }
        if !changed {
            return down;
        }
    }
    panic!("model: the failure propagation did not settle");
}

/// The strongly connected components of the arcs between `eligible` nodes (Kosaraju's two
/// passes, each with its own stack): per node, the least node of its component.
fn components(m: &Model, eligible: &[bool]) -> Vec<usize> {
    let n = m.len();
    let ok = |v: usize| eligible.get(v).copied().unwrap_or(false);
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for s in (0..n).filter(|v| ok(*v)) {
        if seen.get(s).copied().unwrap_or(true) {
            continue;
        }
        if let Some(x) = seen.get_mut(s) {
            *x = true;
        }
        let mut stack = vec![(s, 0usize)];
        while let Some((u, k)) = stack.pop() {
            let next = m
                .outs(u)
                .iter()
                .skip(k)
                .position(|w| ok(*w) && !seen.get(*w).copied().unwrap_or(true));
            match next {
                Some(j) => {
                    let w = m.outs(u).get(k + j).copied().unwrap_or(u);
                    stack.push((u, k + j + 1));
                    if let Some(x) = seen.get_mut(w) {
                        *x = true;
                    }
                    stack.push((w, 0));
                }
                None => order.push(u),
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    for &s in order.iter().rev() {
        if comp.get(s) != Some(&usize::MAX) {
            continue;
        }
        let mut members = vec![s];
        let mut stack = vec![s];
        if let Some(c) = comp.get_mut(s) {
            *c = s;
        }
        while let Some(u) = stack.pop() {
            for a in m.ins(u) {
                if ok(a.from) && comp.get(a.from) == Some(&usize::MAX) {
                    if let Some(c) = comp.get_mut(a.from) {
                        *c = s;
                    }
                    members.push(a.from);
                    stack.push(a.from);
                }
            }
        }
        let least = members.iter().copied().min().unwrap_or(s);
        for v in members {
            if let Some(c) = comp.get_mut(v) {
                *c = least;
            }
        }
    }
    (0..n)
        .map(|v| {
            comp.get(v)
                .copied()
                .filter(|c| *c != usize::MAX)
                .unwrap_or(v)
        })
        .collect()
}

impl<'a> Run<'a> {
    fn new(
        m: &'a Model,
        lost: Vec<bool>,
        down: Vec<bool>,
        rta: Vec<Option<u128>>,
        seq: Sequencing,
    ) -> Run<'a> {
        // Plain waits between nodes that are not groups nor lost without an RTA.
        let eligible: Vec<bool> = (0..m.len())
            .map(|v| {
                let never = lost.get(v).copied().unwrap_or(false)
                    && rta.get(v).copied().flatten().is_none();
                !(m.is_group(v) || never)
            })
            .collect();
        let unit = components(m, &eligible);
        let mut cycles: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (v, u) in unit.iter().enumerate() {
            cycles.entry(*u).or_default().push(v);
        }
        cycles.retain(|u, list| {
            eligible.get(*u).copied().unwrap_or(false) && (list.len() > 1 || m.outs(*u).contains(u))
        });
        Run {
            m,
            lost,
            down,
            rta,
            seq,
            unit,
            cycles,
            time: vec![None; m.len()],
        }
    }

    fn t(&self, v: usize) -> Time {
        self.time.get(v).copied().flatten()
    }

    fn unit_of(&self, v: usize) -> usize {
        self.unit.get(v).copied().unwrap_or(v)
    }

    /// Whether `a` and `b` are recovered side by side (on one cycle of plain waits).
    fn peers(&self, a: usize, b: usize) -> bool {
        let u = self.unit_of(b);
        self.cycles.contains_key(&u) && self.unit_of(a) == u
    }

    /// When everything `v` waits on as it is (its plain arcs) is back, its peers on a cycle
    /// left out.
    fn plain(&self, v: usize) -> Time {
        let mut t = 0;
        for a in self
            .m
            .ins(v)
            .iter()
            .filter(|a| a.passes && !self.peers(a.from, v))
        {
            t = t.max(self.t(a.from)?);
        }
        Some(t)
    }

    /// For a group: the earliest time its members back weigh what it needs.
    fn members(&self, v: usize) -> Time {
        let need = self.m.need.get(v).copied().flatten()?;
        if need == 0 {
            return Some(0);
        }
        let mut back: Vec<(u128, u64)> = self
            .m
            .ins(v)
            .iter()
            .filter_map(|a| Some((self.t(a.from)?, a.weight?)))
            .collect();
        back.sort_unstable();
        let mut sum = 0u64;
        for (t, w) in back {
            sum += w;
            if sum >= need {
                return Some(t);
            }
        }
        None
    }

    /// When `v` has what it waits for (from outside its cycle).
    fn waits(&self, v: usize) -> Time {
        let p = self.plain(v)?;
        if self.m.is_group(v) {
            return Some(p.max(self.members(v)?));
        }
        Some(p)
    }

    fn is_lost(&self, v: usize) -> bool {
        self.lost.get(v).copied().unwrap_or(false)
    }

    fn is_down(&self, v: usize) -> bool {
        self.down.get(v).copied().unwrap_or(false)
    }

    fn rta(&self, v: usize) -> Option<u128> {
        self.rta.get(v).copied().flatten()
    }

    /// `v` back on its own account, given when it has what it waits for.
    fn own(&self, v: usize) -> Time {
        let t = self.waits(v)?;
        if !self.is_lost(v) {
            return Some(t);
        }
        let r = self.rta(v)?;
        Some(match self.seq {
            Sequencing::Parallel => t.max(r),
            _ => t + r,
        })
    }

    /// The rule for unit `u` (a node, or a cycle recovered side by side: back together when
    /// the last of them is).
    fn eval(&self, u: usize) -> Time {
        if !self.is_down(u) {
            return Some(0);
        }
        match self.cycles.get(&u) {
            None => self.own(u),
            Some(list) => {
                let mut t = 0;
                for v in list {
                    t = t.max(self.own(*v)?);
                }
                Some(t)
            }
        }
    }

    /// The greatest fixpoint from "never everywhere": sweeps forward and backward in turn,
    /// each unit recomputed from the current times, until a sweep changes nothing.
    fn settle(&mut self) {
        let n = self.m.len();
        let units: Vec<usize> = (0..n).filter(|v| self.unit_of(*v) == *v).collect();
        for sweep in 0..=2 * n + 4 {
            let mut changed = false;
            for k in 0..units.len() {
                let j = if sweep % 2 == 0 {
                    k
                } else {
                    units.len() - 1 - k
                };
                let u = units.get(j).copied().unwrap_or(0);
                let new = self.eval(u);
                let old = self.t(u);
                if new != old {
                    assert!(
                        old.is_none() || new.is_some_and(|x| Some(x) < old),
                        "model: times only go down from never"
                    );
                    let list = self.cycles.get(&u).cloned().unwrap_or_else(|| vec![u]);
                    for v in list {
                        if let Some(s) = self.time.get_mut(v) {
                            *s = new;
                        }
                    }
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
        panic!("model: the fixpoint did not settle in 2n sweeps");
    }

    /// Whether `a` is one of what `b` waited for that was back last, and that wait set `b`'s
    /// time (the step `a -> b` of a critical path); on a cycle recovered side by side, any
    /// peer `b` waits on.
    fn step(&self, a: usize, b: usize) -> bool {
        if self.peers(a, b) {
            // Back together: the node waits for the whole cycle, so the path may go from
            // the peer whose recovery ends last straight to `b` (or along the cycle's arcs).
            return self.t(a).is_some_and(|t| t > 0) && self.t(a) == self.t(b);
        }
        let Some(arc) = self.m.ins(b).iter().find(|x| x.from == a) else {
            return false;
        };
        self.step_by(arc, b, &self.wait(b))
    }

    /// What `b` waited for: [`Wait`].
    fn wait(&self, b: usize) -> Wait {
        Wait {
            outside: self.waits(b),
            held: self.members(b),
            own: self.own(b),
        }
    }

    /// [`Run::step`] along `arc` into `b`, given when `b` has what it waits for from outside
    /// its cycle (`w`) and, for a group, when its members held it (`held`).
    fn step_by(&self, arc: &In, b: usize, wait: &Wait) -> bool {
        let (w, held) = (wait.outside, wait.held);
        let (Some(ta), Some(tb)) = (self.t(arc.from), self.t(b)) else {
            return false;
        };
        if ta == 0 {
            return false;
        }
        if self.peers(arc.from, b) {
            return ta == tb;
        }
        let Some(w) = w else {
            return false;
        };
        if ta != w {
            return false;
        }
        if self.m.is_group(b) {
            let by_member = arc.weight.is_some_and(|x| x > 0) && held == Some(w);
            if !(arc.passes || by_member) {
                return false;
            }
        }
        if wait.own != Some(tb) {
            return false;
        }
        if !self.is_lost(b) {
            return true;
        }
        match self.seq {
            Sequencing::Parallel => self.rta(b).is_some_and(|r| w >= r),
            _ => true,
        }
    }

    /// Whether `b`'s own recovery sets its time (a critical path may start there).
    fn starts(&self, b: usize) -> bool {
        let (Some(t), Some(w), Some(r)) = (self.t(b), self.waits(b), self.rta(b)) else {
            return false;
        };
        if !self.is_lost(b) || t == 0 || self.own(b) != Some(t) {
            return false;
        }
        match self.seq {
            Sequencing::Parallel => r >= w,
            _ => w == 0,
        }
    }

    /// Nodes never back from which `v` is reached through nodes never back (`v` included).
    fn waits_on_never(&self, v: usize) -> HashSet<usize> {
        let never = |x: usize| self.t(x).is_none() && x < self.m.len();
        let mut seen = HashSet::new();
        if !never(v) {
            return seen;
        }
        seen.insert(v);
        let mut queue = VecDeque::from([v]);
        while let Some(u) = queue.pop_front() {
            for a in self.m.ins(u) {
                if never(a.from) && seen.insert(a.from) {
                    queue.push_back(a.from);
                }
            }
        }
        seen
    }

    /// Nodes never back reached from `v` through nodes never back (`v` excluded unless on a
    /// cycle).
    fn reaches_never(&self, v: usize) -> HashSet<usize> {
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([v]);
        while let Some(u) = queue.pop_front() {
            for &w in self.m.outs(u) {
                if self.t(w).is_none() && seen.insert(w) {
                    queue.push_back(w);
                }
            }
        }
        seen
    }
}

/// Whether the crate's `waits_on` for a `Circular` node is one the doc allows: a node never
/// back that the node waits on (through nodes never back), on a cycle, and the first node
/// never back of its cycle; the cycle read as the nodes never back that wait on each other
/// (the strongly connected component of the nodes never back), or as the graph's cycle
/// (`Graph::cycles`) holding it.
fn circular_ok(run: &Run<'_>, graph: &Graph, upstream: &HashSet<usize>, c: usize) -> bool {
    if !upstream.contains(&c) {
        return false;
    }
    let down = run.reaches_never(c);
    if !down.contains(&c) {
        return false;
    }
    // The never-back component of `c`: what it reaches and what reaches it, among the
    // nodes never back.
    let up = run.waits_on_never(c);
    let first = down.intersection(&up).copied().min();
    if first == Some(c) {
        return true;
    }
    graph.cycles().iter().any(|cycle| {
        cycle.iter().any(|x| x.index() == c)
            && cycle
                .iter()
                .map(|x| x.index())
                .find(|x| run.t(*x).is_none())
                == Some(c)
    })
}

// ---------------------------------------------------------------------------------------------
// Checks of the plan

/// Per node, the least (value, objective index) among the objectives of the nodes its
/// failure reaches (itself included): a fixpoint over the arcs.
fn required_fix(m: &Model, own: &[Option<(u128, usize)>]) -> Vec<Option<(u128, usize)>> {
    let n = m.len();
    let mut req: Vec<Option<(u128, usize)>> = own.to_vec();
    let least = |a: Option<(u128, usize)>, b: Option<(u128, usize)>| match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    };
    for sweep in 0..=2 * n + 4 {
        let mut changed = false;
        for k in 0..n {
            let v = if sweep % 2 == 0 { n - 1 - k } else { k };
            let mut best = own.get(v).copied().flatten();
            for &w in m.outs(v) {
                best = least(best, req.get(w).copied().flatten());
            }
            if let Some(s) = req.get_mut(v) {
                if *s != best {
                    *s = best;
                    changed = true;
                }
            }
        }
        if !changed {
            return req;
        }
    }
    panic!("model: the required objectives did not settle");
}

/// The same by a walk from every node (small graphs).
fn required_walk(m: &Model, own: &[Option<(u128, usize)>]) -> Vec<Option<(u128, usize)>> {
    (0..m.len())
        .map(|s| {
            let mut seen = HashSet::from([s]);
            let mut queue = VecDeque::from([s]);
            let mut best = own.get(s).copied().flatten();
            while let Some(u) = queue.pop_front() {
                for &w in m.outs(u) {
                    if seen.insert(w) {
                        queue.push_back(w);
                        if let Some(x) = own.get(w).copied().flatten() {
                            best = Some(best.map_or(x, |b| b.min(x)));
                        }
                    }
                }
            }
            best
        })
        .collect()
}

/// A requirement: the value and the node whose objective it is.
type Req = (Duration, String);

fn req(r: &Required) -> Req {
    (r.value, r.set_by.clone())
}

fn required_of(
    m: &Model,
    spec: &ContinuitySpec,
    value: impl Fn(&Objective) -> Option<Duration>,
) -> Vec<Option<Req>> {
    let mut own: Vec<Option<(u128, usize)>> = vec![None; m.len()];
    for (k, o) in spec.objectives.iter().enumerate() {
        if let (Some(&i), Some(d)) = (m.at.get(&o.id), value(o)) {
            if let Some(s) = own.get_mut(i) {
                *s = Some((ns(d), k));
            }
        }
    }
    let fix = required_fix(m, &own);
    if m.len() <= 300 {
        assert_eq!(
            fix,
            required_walk(m, &own),
            "model: the two required objectives"
        );
    }
    fix.iter()
        .map(|r| {
            let (_, k) = (*r)?;
            let o = spec.objectives.get(k)?;
            Some((value(o)?, o.id.clone()))
        })
        .collect()
}

fn check_required(
    plan: &Plan<'_>,
    m: &Model,
    spec: &ContinuitySpec,
) -> (Vec<Option<Req>>, Vec<Option<Req>>) {
    let rto = required_of(m, spec, |o| Some(o.rto));
    let rpo = required_of(m, spec, |o| o.rpo);
    for (i, id) in m.ids.iter().enumerate() {
        let got = must(plan.required_rto(id), "required_rto of a node");
        if let Some(r) = &got {
            round_trip(r, "a requirement");
        }
        let got = got.as_ref().map(req);
        assert_eq!(
            got.as_ref(),
            rto.get(i).and_then(Option::as_ref),
            "required RTO of `{id}`"
        );
        let got = must(plan.required_rpo(id), "required_rpo of a node")
            .as_ref()
            .map(req);
        assert_eq!(
            got.as_ref(),
            rpo.get(i).and_then(Option::as_ref),
            "required RPO of `{id}`"
        );
    }
    assert!(
        matches!(plan.required_rto(GHOST), Err(Error::UnknownNode { .. })),
        "required_rto of an unknown id"
    );
    assert!(
        matches!(plan.required_rpo(GHOST), Err(Error::UnknownNode { .. })),
        "required_rpo of an unknown id"
    );
    (rto, rpo)
}

/// A gap: the node, what it achieves, what it must and whose objective that is.
type GapM = (String, Duration, Req);

fn gap_of(g: &Gap) -> GapM {
    (g.id.clone(), g.achieves, req(&g.required))
}

fn unknown_of(u: &Unknown) -> (String, Req) {
    (u.id.clone(), req(&u.required))
}

#[derive(Default)]
struct GapsM {
    rto: Vec<GapM>,
    rpo: Vec<GapM>,
    objective_rto: Vec<GapM>,
    objective_rpo: Vec<GapM>,
    no_rta: Vec<(String, Req)>,
}

fn check_gaps(
    gaps: &Gaps,
    m: &Model,
    spec: &ContinuitySpec,
    rto: &[Option<Req>],
    rpo: &[Option<Req>],
) {
    let cap: HashMap<&str, &Capability> = spec
        .capabilities
        .iter()
        .map(|c| (c.id.as_str(), c))
        .collect();
    let obj: HashMap<&str, &Objective> =
        spec.objectives.iter().map(|o| (o.id.as_str(), o)).collect();
    let mut want = GapsM::default();
    for (i, id) in m.ids.iter().enumerate() {
        let c = cap.get(id.as_str());
        let o = obj.get(id.as_str());
        let gap = |achieves: Duration, r: &Req| (id.clone(), achieves, r.clone());
        if let Some(r) = rto.get(i).and_then(Option::as_ref) {
            match c.and_then(|c| c.rta) {
                Some(a) if a > r.0 => want.rto.push(gap(a, r)),
                None if m.item(i) => want.no_rta.push((id.clone(), r.clone())),
                _ => {}
            }
            if let Some(o) = o.filter(|o| o.rto > r.0) {
                want.objective_rto.push(gap(o.rto, r));
            }
        }
        if let Some(r) = rpo.get(i).and_then(Option::as_ref) {
            if let Some(a) = c.and_then(|c| c.rpa).filter(|a| *a > r.0) {
                want.rpo.push(gap(a, r));
            }
            if let Some(own) = o.and_then(|o| o.rpo).filter(|x| *x > r.0) {
                want.objective_rpo.push(gap(own, r));
            }
        }
    }
    let list = |l: &[Gap]| l.iter().map(gap_of).collect::<Vec<_>>();
    assert_eq!(list(&gaps.rto), want.rto, "the RTO gaps");
    assert_eq!(list(&gaps.rpo), want.rpo, "the RPO gaps");
    assert_eq!(
        list(&gaps.objective_rto),
        want.objective_rto,
        "the objective RTO gaps"
    );
    assert_eq!(
        list(&gaps.objective_rpo),
        want.objective_rpo,
        "the objective RPO gaps"
    );
    let unknown: Vec<(String, Req)> = gaps.no_rta.iter().map(unknown_of).collect();
    assert_eq!(unknown, want.no_rta, "the nodes without an RTA");
}

/// The crate's recovery against the model's.
fn check_recovery(
    graph: &Graph,
    m: &Model,
    spec: &ContinuitySpec,
    policy: &Policy,
    lost: Vec<bool>,
    answer: &Result<Recovery, Error>,
) {
    let mut rta = vec![None; m.len()];
    for c in &spec.capabilities {
        if let (Some(&i), Some(r)) = (m.at.get(&c.id), c.rta) {
            if let Some(s) = rta.get_mut(i) {
                *s = Some(ns(r));
            }
        }
    }
    // Nodes the disruption does not take down are back at once, even on a cycle through a
    // group ("a node never down ... needs no recovery and is back at once").
    let down = down_from(m, &lost);
    let mut run = Run::new(m, lost, down, rta, policy.sequencing);
    run.settle();
    let limit = ns(Duration::MAX);
    let latest = run.time.iter().flatten().copied().max();
    let r = match answer {
        Err(e) => {
            assert!(
                matches!(e, Error::Overflow { .. }) && latest.is_some_and(|t| t > limit),
                "recover refused with `{e}` ({e:?}), yet the model's latest time is {latest:?}"
            );
            if let Error::Overflow { id } = e {
                let i = m.at.get(id).copied();
                assert!(
                    i.and_then(|i| run.t(i)).is_some_and(|t| t > limit),
                    "the overflow names `{id}`, which is back in time"
                );
            }
            return;
        }
        Ok(r) => r,
    };
    assert!(
        latest.is_none_or(|t| t <= limit),
        "recover answered, yet a node is back only after {latest:?} ns, past a duration"
    );
    // The summary.
    let mut s = Summary::default();
    let mut last: Option<u128> = None;
    for v in 0..m.len() {
        let t = run.t(v);
        if run.is_lost(v) {
            s.lost += 1;
        }
        if run.is_lost(v) || t != Some(0) {
            s.down += 1;
            match t {
                None => s.never_back += 1,
                Some(t) => last = Some(last.map_or(t, |l| l.max(t))),
            }
        }
    }
    s.all_back_after = last.and_then(dur);
    let obj: Vec<&Objective> = spec.objectives.iter().collect();
    assert_eq!(r.outcomes.len(), obj.len(), "one outcome per objective");
    for (o, got) in obj.iter().zip(&r.outcomes) {
        let v = m.at.get(&o.id).copied().unwrap_or(usize::MAX);
        let t = run.t(v);
        assert_eq!(got.id, o.id, "outcomes in the spec's order");
        assert_eq!(got.rto, o.rto, "`{}`: the outcome's RTO", o.id);
        assert_eq!(got.back_after, t.and_then(dur), "`{}`: back after", o.id);
        let rto = ns(o.rto);
        let status = match t {
            Some(0) => Status::Unaffected,
            Some(t) if t <= rto => Status::Met,
            Some(t) if o.mtpd.is_some_and(|x| t > ns(x)) => Status::Intolerable,
            Some(_) => Status::Missed,
            None => {
                let upstream = run.waits_on_never(v);
                let nrt: BTreeSet<usize> = upstream
                    .iter()
                    .copied()
                    .filter(|&x| run.is_lost(x) && run.rta(x).is_none())
                    .collect();
                let on = got.waits_on.as_deref().and_then(|w| m.at.get(w).copied());
                if nrt.is_empty() {
                    assert!(
                        on.is_some_and(|c| circular_ok(&run, graph, &upstream, c)),
                        "`{}` waits on a cycle; `{:?}` is not the first node never back of a cycle it waits on (never back upstream: {:?})",
                        o.id,
                        got.waits_on,
                        upstream
                            .iter()
                            .map(|x| m.id(*x))
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .take(20)
                            .collect::<Vec<_>>()
                    );
                    Status::Circular
                } else {
                    assert!(
                        on.is_some_and(|x| nrt.contains(&x)),
                        "`{}` waits on a lost node without an RTA ({:?}), not on `{:?}`",
                        o.id,
                        nrt.iter().map(|x| m.id(*x)).collect::<Vec<_>>(),
                        got.waits_on
                    );
                    Status::NoRecoveryTime
                }
            }
        };
        assert_eq!(
            got.status, status,
            "`{}`: the status (back at {t:?} ns)",
            o.id
        );
        if t.is_some() {
            assert_eq!(
                got.waits_on, None,
                "`{}` is back, yet waits on something",
                o.id
            );
        }
        let late = t.filter(|t| *t > rto).and_then(|t| dur(t - rto));
        assert_eq!(got.late_by, late, "`{}`: late by", o.id);
        match status {
            Status::Unaffected => s.unaffected += 1,
            Status::Met => s.met += 1,
            Status::Missed => s.missed += 1,
            Status::Intolerable => s.intolerable += 1,
            Status::NoRecoveryTime => s.no_recovery_time += 1,
            _ => s.circular += 1,
        }
        check_path(&run, v, got);
    }
    assert_eq!(r.summary, s, "the summary");
    for o in &r.outcomes {
        assert!(r.outcome(&o.id) == Some(o), "outcome(`{}`)", o.id);
    }
    assert!(r.outcome(GHOST).is_none(), "an outcome for an unknown id");
}

/// The critical path: ends at the node, each node one the next waited for and back last,
/// the first back by its own RTA; at most `MAX_PATH` listed; and, as far as the model has
/// one choice at each node, exactly the model's chain.
fn check_path(run: &Run<'_>, v: usize, got: &Answer) {
    let m = run.m;
    let id = m.id(v);
    let t = run.t(v);
    if t.is_none_or(|t| t == 0) {
        assert!(
            got.critical_path.is_empty() && got.path_omitted == 0,
            "`{id}` is back at once or never, yet has a critical path {:?}",
            got.critical_path
        );
        return;
    }
    let path: Vec<usize> = got
        .critical_path
        .iter()
        .map(|x| m.at.get(x).copied().unwrap_or(usize::MAX))
        .collect();
    assert!(
        path.len() <= MAX_PATH,
        "`{id}`: a path of {} nodes",
        path.len()
    );
    assert_eq!(
        path.last(),
        Some(&v),
        "`{id}`'s critical path ends elsewhere: {:?}",
        got.critical_path
    );
    assert!(
        got.path_omitted == 0 || path.len() == MAX_PATH,
        "`{id}`: nodes omitted from a short path"
    );
    let distinct: HashSet<usize> = path.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        path.len(),
        "`{id}`: a node twice on the path {:?}",
        got.critical_path
    );
    for pair in path.windows(2) {
        if let [a, b] = pair {
            assert!(
                run.step(*a, *b),
                "`{id}`: `{}` is not what `{}` waited for last (path {:?})",
                m.id(*a),
                m.id(*b),
                got.critical_path
            );
        }
    }
    if got.path_omitted == 0 {
        let first = path.first().copied().unwrap_or(v);
        assert!(
            run.starts(first),
            "`{id}`: the path starts at `{}`, whose own recovery does not set its time (path {:?})",
            m.id(first),
            got.critical_path
        );
    }
    // Where the model has a single choice at each node, the chain is known.
    let mut mine = vec![v];
    let mut on: HashSet<usize> = HashSet::from([v]);
    let mut done = false;
    let mut b = v;
    loop {
        if run.cycles.contains_key(&run.unit_of(b)) {
            // Any peer may come first: the model has no single choice.
            break;
        }
        let wait = run.wait(b);
        let choices: Vec<usize> = m
            .ins(b)
            .iter()
            .filter(|x| !on.contains(&x.from) && run.step_by(x, b, &wait))
            .map(|x| x.from)
            .collect();
        let start = run.starts(b);
        match (choices.as_slice(), start) {
            ([], true) => {
                done = true;
                break;
            }
            ([a], false) => {
                mine.push(*a);
                on.insert(*a);
                b = *a;
            }
            _ => break,
        }
    }
    let total = path.len() + usize::try_from(got.path_omitted).unwrap_or(usize::MAX);
    if done {
        assert_eq!(total, mine.len(), "`{id}`: the critical path's length");
    }
    for (k, x) in mine.iter().enumerate() {
        if k >= path.len() {
            break;
        }
        let crate_node = path.get(path.len() - 1 - k).copied();
        assert_eq!(
            crate_node,
            Some(*x),
            "`{id}`: node {k} from the end of the critical path should be `{}` (path {:?})",
            m.id(*x),
            got.critical_path
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The BIA's model

#[derive(Debug, Clone, PartialEq, Eq)]
enum BiaWant {
    DuplicateName(&'static str, String),
    NegativeTimeframe(String),
    UnknownTimeframe(String),
    TwoTiers(String),
    /// One tier listing a timeframe twice (no rule says; the crate may refuse it).
    SameTierTwice(String),
    DuplicateRating(String, String),
    NoRatings(String),
    DuplicateRatingValue(String, u32),
    NoMaximumRto(String),
    NotAllowed(String, String),
    ReversedBand(u32, u32),
    OverlappingBands,
    UnknownCategory(String),
    UnknownRating(String, String),
    WrongContribution(String),
    DuplicateAnswer(String, String),
    NoTier(String),
    NoBand(u32),
    MtpdShorterThanRto(String, String),
}

fn bia_matches(e: &Error, w: &BiaWant, t: &Template) -> bool {
    match (e, w) {
        (Error::DuplicateName { kind, name }, BiaWant::DuplicateName(k, n)) => {
            kind == k && name == n
        }
        (Error::NegativeTimeframe { name, .. }, BiaWant::NegativeTimeframe(n)) => name == n,
        (Error::UnknownTimeframe { name, .. }, BiaWant::UnknownTimeframe(n)) => name == n,
        (
            Error::TimeframeInTwoTiers {
                timeframe,
                first,
                second,
            },
            BiaWant::TwoTiers(f),
        ) => {
            let listing = |tier: &str| {
                t.tiers
                    .iter()
                    .any(|x| x.name == tier && x.timeframes.contains(timeframe))
            };
            timeframe == f && first != second && listing(first) && listing(second)
        }
        (
            Error::TimeframeInTwoTiers {
                timeframe,
                first,
                second,
            },
            BiaWant::SameTierTwice(f),
        ) => timeframe == f && first == second,
        (Error::DuplicateRating { category, rating }, BiaWant::DuplicateRating(c, r)) => {
            category == c && rating == r
        }
        (Error::NoRatings { category }, BiaWant::NoRatings(c)) => category == c,
        (Error::DuplicateRatingValue { category, value }, BiaWant::DuplicateRatingValue(c, v)) => {
            category == c && value == v
        }
        (Error::NoMaximumRto { category }, BiaWant::NoMaximumRto(c)) => category == c,
        (
            Error::TimeframeNotAllowed {
                category,
                timeframe,
                ..
            },
            BiaWant::NotAllowed(c, f),
        ) => category == c && timeframe == f,
        (Error::ReversedBand { lower, upper }, BiaWant::ReversedBand(l, u)) => {
            lower == l && upper == u
        }
        (Error::OverlappingBands { first, second }, BiaWant::OverlappingBands) => {
            let is_band =
                |(l, u): (u32, u32)| t.rpo_bands.iter().any(|b| b.lower == l && b.upper == u);
            is_band(*first)
                && is_band(*second)
                && first.0 <= first.1
                && second.0 <= second.1
                && first.0.max(second.0) <= first.1.min(second.1)
        }
        (Error::UnknownCategory { name }, BiaWant::UnknownCategory(n)) => name == n,
        (Error::UnknownRating { category, rating }, BiaWant::UnknownRating(c, r)) => {
            category == c && rating == r
        }
        (Error::WrongContribution { category, .. }, BiaWant::WrongContribution(c)) => category == c,
        (Error::DuplicateAnswer { category, rating }, BiaWant::DuplicateAnswer(c, r)) => {
            category == c && rating == r
        }
        (Error::NoTier { timeframe }, BiaWant::NoTier(f)) => timeframe == f,
        (Error::NoBand { score }, BiaWant::NoBand(s)) => score == s,
        (Error::MtpdShorterThanRto { rto, mtpd }, BiaWant::MtpdShorterThanRto(r, m)) => {
            rto == r && mtpd == m
        }
        _ => false,
    }
}

fn duplicates<'a>(names: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = HashSet::new();
    names.filter(|n| !seen.insert(*n)).cloned().collect()
}

/// The template's broken rules, and the ambiguous cases the crate may refuse or not (a tier
/// listing one timeframe twice; ratings of one value in an RPO category).
fn template_errors(t: &Template) -> (Vec<BiaWant>, Vec<BiaWant>) {
    let mut w = Vec::new();
    let mut maybe = Vec::new();
    for (kind, names) in [
        (
            "timeframe",
            duplicates(t.timeframes.iter().map(|f| &f.name)),
        ),
        ("tier", duplicates(t.tiers.iter().map(|f| &f.name))),
        ("category", duplicates(t.categories.iter().map(|f| &f.name))),
    ] {
        w.extend(names.into_iter().map(|n| BiaWant::DuplicateName(kind, n)));
    }
    for f in t
        .timeframes
        .iter()
        .filter(|f| f.starts_at < Duration::zero())
    {
        w.push(BiaWant::NegativeTimeframe(f.name.clone()));
    }
    let known = |n: &String| t.timeframes.iter().any(|f| f.name == *n);
    let mut unknown = |n: &String| {
        if !known(n) {
            w.push(BiaWant::UnknownTimeframe(n.clone()));
        }
    };
    for tier in &t.tiers {
        tier.timeframes.iter().for_each(&mut unknown);
    }
    for c in &t.categories {
        c.timeframes.iter().for_each(&mut unknown);
        if c.contributes == Contributes::Rto {
            c.maximum_rto.iter().for_each(&mut unknown);
        }
    }
    for band in &t.rpo_bands {
        unknown(&band.timeframe);
    }
    let mut holder: HashMap<&str, usize> = HashMap::new();
    for (k, tier) in t.tiers.iter().enumerate() {
        for f in &tier.timeframes {
            match holder.get(f.as_str()) {
                Some(&j) if j != k => w.push(BiaWant::TwoTiers(f.clone())),
                Some(_) => maybe.push(BiaWant::SameTierTwice(f.clone())),
                None => {
                    holder.insert(f, k);
                }
            }
        }
    }
    for c in &t.categories {
        for r in duplicates(c.ratings.iter().map(|r| &r.name)) {
            w.push(BiaWant::DuplicateRating(c.name.clone(), r));
        }
        let mut values = HashSet::new();
        for r in &c.ratings {
            if !values.insert(r.value) {
                let x = BiaWant::DuplicateRatingValue(c.name.clone(), r.value);
                if c.contributes == Contributes::Rto {
                    w.push(x);
                } else {
                    maybe.push(x);
                }
            }
        }
        if c.contributes != Contributes::Rto {
            continue;
        }
        if c.ratings.is_empty() {
            w.push(BiaWant::NoRatings(c.name.clone()));
        }
        match &c.maximum_rto {
            None => w.push(BiaWant::NoMaximumRto(c.name.clone())),
            Some(f) if !c.timeframes.is_empty() && !c.timeframes.contains(f) => {
                w.push(BiaWant::NotAllowed(c.name.clone(), f.clone()));
            }
            _ => {}
        }
    }
    let good: Vec<&ScoreBand> = t.rpo_bands.iter().filter(|b| b.lower <= b.upper).collect();
    for b in t.rpo_bands.iter().filter(|b| b.lower > b.upper) {
        w.push(BiaWant::ReversedBand(b.lower, b.upper));
    }
    for (i, x) in good.iter().enumerate() {
        for y in good.iter().skip(i + 1) {
            if x.lower.max(y.lower) <= x.upper.min(y.upper) {
                w.push(BiaWant::OverlappingBands);
            }
        }
    }
    (w, maybe)
}

/// The answers' broken rules (for a valid template).
fn answer_errors(t: &Template, a: &Answers) -> Vec<BiaWant> {
    let mut w = Vec::new();
    let known = |n: &String| t.timeframes.iter().any(|f| f.name == *n);
    let mut given = HashSet::new();
    for d in &a.disruption {
        let Some(c) = t.categories.iter().find(|c| c.name == d.category) else {
            w.push(BiaWant::UnknownCategory(d.category.clone()));
            continue;
        };
        if c.contributes != Contributes::Rto {
            w.push(BiaWant::WrongContribution(c.name.clone()));
        }
        if !c.ratings.iter().any(|r| r.name == d.rating) {
            w.push(BiaWant::UnknownRating(c.name.clone(), d.rating.clone()));
        }
        if !known(&d.timeframe) {
            w.push(BiaWant::UnknownTimeframe(d.timeframe.clone()));
        }
        if !c.timeframes.is_empty() && !c.timeframes.contains(&d.timeframe) {
            w.push(BiaWant::NotAllowed(c.name.clone(), d.timeframe.clone()));
        }
        if !given.insert((d.category.clone(), d.rating.clone())) {
            w.push(BiaWant::DuplicateAnswer(c.name.clone(), d.rating.clone()));
        }
    }
    for s in &a.scores {
        match t.categories.iter().find(|c| c.name == s.category) {
            None => w.push(BiaWant::UnknownCategory(s.category.clone())),
            Some(c) if c.contributes != Contributes::Rpo => {
                w.push(BiaWant::WrongContribution(c.name.clone()));
            }
            _ => {}
        }
    }
    for adj in [&a.adjusted_rto, &a.adjusted_rpo].into_iter().flatten() {
        if !known(&adj.timeframe) {
            w.push(BiaWant::UnknownTimeframe(adj.timeframe.clone()));
        }
    }
    if let Some(m) = a.mtpd.as_ref().filter(|m| !known(m)) {
        w.push(BiaWant::UnknownTimeframe(m.clone()));
    }
    w
}

/// A category's result: name, what it feeds, complete, tolerable downtime, source.
type CatM = (String, Contributes, bool, Option<String>, Option<Source>);

fn cat_of(c: &CategoryResult) -> CatM {
    (
        c.category.clone(),
        c.contributes,
        c.complete,
        c.tolerable_downtime.clone(),
        c.source.clone(),
    )
}

/// An assessment as the model computes it.
#[derive(Debug, PartialEq, Eq)]
struct AssessmentM {
    categories: Vec<CatM>,
    calculated_rto: Option<String>,
    rto: Option<String>,
    rto_duration: Option<Duration>,
    tier: Option<String>,
    mtpd: Option<String>,
    mtpd_duration: Option<Duration>,
    rpo_score: Option<u32>,
    calculated_rpo: Option<String>,
    rpo: Option<String>,
    rpo_duration: Option<Duration>,
}

impl AssessmentM {
    fn of(a: &Assessment) -> AssessmentM {
        AssessmentM {
            categories: a.categories.iter().map(cat_of).collect(),
            calculated_rto: a.calculated_rto.clone(),
            rto: a.rto.clone(),
            rto_duration: a.rto_duration,
            tier: a.tier.clone(),
            mtpd: a.mtpd.clone(),
            mtpd_duration: a.mtpd_duration,
            rpo_score: a.rpo_score,
            calculated_rpo: a.calculated_rpo.clone(),
            rpo: a.rpo.clone(),
            rpo_duration: a.rpo_duration,
        }
    }
}

/// The assessment of a valid template and answers, or the result errors it may raise.
fn assessment_of(t: &Template, a: &Answers) -> Result<AssessmentM, Vec<BiaWant>> {
    let length = |name: &str| {
        t.timeframes
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.starts_at)
    };
    let answer = |c: &str, r: &str| {
        a.disruption
            .iter()
            .find(|d| d.category == c && d.rating == r)
            .map(|d| d.timeframe.clone())
    };
    let mut categories = Vec::new();
    let mut best: Option<(Duration, String)> = None;
    let mut pending = false;
    let mut score: Option<u32> = None;
    for c in &t.categories {
        if c.contributes == Contributes::Rto {
            let complete = c.ratings.iter().all(|r| answer(&c.name, &r.name).is_some());
            // The rating whose duration is the tolerable downtime; `None`: all tolerable.
            let rating: Option<&Rating> = match t.rating_rule {
                RatingRule::AboveHighestTolerable => {
                    let high = c
                        .ratings
                        .iter()
                        .filter(|r| r.tolerable)
                        .map(|r| r.value)
                        .max();
                    let mut above: Vec<&Rating> = c
                        .ratings
                        .iter()
                        .filter(|r| high.is_none_or(|h| r.value > h))
                        .collect();
                    above.sort_by_key(|r| r.value);
                    above.first().copied()
                }
                _ => {
                    let mut intolerable: Vec<&Rating> =
                        c.ratings.iter().filter(|r| !r.tolerable).collect();
                    intolerable.sort_by(|x, y| x.name.cmp(&y.name));
                    intolerable.first().copied()
                }
            };
            let (downtime, source) = match rating {
                Some(r) => (answer(&c.name, &r.name), Source::Rating(r.name.clone())),
                None => (c.maximum_rto.clone(), Source::MaximumRto),
            };
            match downtime.as_deref().and_then(length) {
                Some(l) => {
                    if best.as_ref().is_none_or(|(b, _)| l < *b) {
                        best = downtime.clone().map(|d| (l, d));
                    }
                }
                None => pending = true,
            }
            categories.push((
                c.name.clone(),
                Contributes::Rto,
                complete,
                downtime.clone(),
                downtime.as_ref().map(|_| source),
            ));
        } else {
            let s = a
                .scores
                .iter()
                .filter(|s| s.category == c.name)
                .map(|s| s.value)
                .max();
            if let Some(s) = s {
                score = Some(score.map_or(s, |x| x.max(s)));
            }
            categories.push((
                c.name.clone(),
                Contributes::Rpo,
                s.is_some(),
                None,
                s.map(Source::Score),
            ));
        }
    }
    let calculated_rto = if pending { None } else { best.map(|(_, d)| d) };
    let rto = a
        .adjusted_rto
        .as_ref()
        .map(|x| x.timeframe.clone())
        .or_else(|| calculated_rto.clone());
    let mut errors = Vec::new();
    let tier = rto.as_ref().and_then(|f| {
        let tier = t
            .tiers
            .iter()
            .find(|x| x.timeframes.contains(f))
            .map(|x| x.name.clone());
        if tier.is_none() {
            errors.push(BiaWant::NoTier(f.clone()));
        }
        tier
    });
    let calculated_rpo = score.and_then(|s| {
        let band = t.rpo_bands.iter().find(|b| b.lower <= s && s <= b.upper);
        if band.is_none() {
            errors.push(BiaWant::NoBand(s));
        }
        band.map(|b| b.timeframe.clone())
    });
    // The MTPD: at least the finalized RTO.
    let mtpd_duration = a.mtpd.as_deref().and_then(length);
    let rto_duration = rto.as_deref().and_then(length);
    if let (Some(r), Some(m)) = (rto_duration, mtpd_duration) {
        if m < r {
            errors.push(BiaWant::MtpdShorterThanRto(
                rto.clone().unwrap_or_default(),
                a.mtpd.clone().unwrap_or_default(),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let rpo = a
        .adjusted_rpo
        .as_ref()
        .map(|x| x.timeframe.clone())
        .or_else(|| calculated_rpo.clone());
    Ok(AssessmentM {
        categories,
        rto_duration,
        mtpd: a.mtpd.clone(),
        mtpd_duration,
        calculated_rto,
        rto,
        tier,
        rpo_score: score,
        rpo_duration: rpo.as_deref().and_then(length),
        calculated_rpo,
        rpo,
    })
}

fn check_assessment(t: &Template, a: &Answers, got: &Result<Assessment, Error>) {
    let (broken, maybe) = template_errors(t);
    let checked = t.check();
    match (&checked, broken.is_empty()) {
        (Ok(()), true) => {}
        (Err(e), _) if broken.iter().chain(&maybe).any(|w| bia_matches(e, w, t)) => {}
        (c, _) => panic!(
            "Template::check answered {c:?}; the model expects one of {broken:?} (or {maybe:?})"
        ),
    }
    let want: Result<AssessmentM, Vec<BiaWant>> = if let Err(e) = &checked {
        match got {
            Err(g) => assert_eq!(g, e, "assess and Template::check refuse alike"),
            Ok(_) => panic!("assess accepted a template that check refuses ({e})"),
        }
        return;
    } else {
        let bad = answer_errors(t, a);
        if bad.is_empty() {
            assessment_of(t, a)
        } else {
            Err(bad)
        }
    };
    match (got, want) {
        (Ok(g), Ok(w)) => {
            assert_eq!(AssessmentM::of(g), w, "the assessment");
            let objective = g.objective("n0");
            let mut o = w.rto_duration.map(|d| Objective::new("n0", d));
            if let Some(o) = &mut o {
                o.rpo = w.rpo_duration;
                o.mtpd = w.mtpd_duration;
            }
            assert_eq!(objective, o, "the assessment's objective");
        }
        (Err(e), Err(w)) => assert!(
            w.iter().any(|x| bia_matches(e, x, t)),
            "assess refused with `{e}` ({e:?}); the model expects one of {w:?}"
        ),
        (g, w) => panic!("assess answered {g:?}; the model expects {w:?}"),
    }
    // `tier_for`: the strictest tier whose longest timeframe is at least the RTO.
    if checked.is_ok() {
        let mut probes = vec![Duration::zero(), Duration::MAX, -Duration::seconds(1)];
        for f in &t.timeframes {
            probes.push(f.starts_at);
            probes.extend(f.starts_at.checked_add(&Duration::nanoseconds(1)));
            probes.extend(f.starts_at.checked_sub(&Duration::nanoseconds(1)));
        }
        for rto in probes {
            let maxima: Vec<(Duration, &str)> = t
                .tiers
                .iter()
                .filter_map(|x| {
                    let m = x
                        .timeframes
                        .iter()
                        .filter_map(|f| t.timeframe(f))
                        .map(|f| f.starts_at)
                        .max()?;
                    (m >= rto).then_some((m, x.name.as_str()))
                })
                .collect();
            let least = maxima.iter().map(|(m, _)| *m).min();
            let got = t.tier_for(rto).map(|x| x.name.as_str());
            match least {
                None => assert_eq!(got, None, "tier_for({rto}) past every tier"),
                Some(l) => assert!(
                    maxima.iter().any(|(m, n)| *m == l && Some(*n) == got),
                    "tier_for({rto}) is {got:?}; the strictest tiers allowing it end at {l}"
                ),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running

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
    let back: T = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{what} does not read back: {e}\n{}",
            text.get(..2_000).unwrap_or(&text)
        )
    });
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

/// Bytes -> a graph, a continuity spec, a disruption, a policy, a BIA template and answers;
/// every answer checked against the model. The fuzz target's entry point.
pub fn plan(data: &[u8]) {
    run(data);
}

/// [`plan`], returning what it decoded and what the crate answered.
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
    round_trip(&input.spec, "the spec");
    round_trip(&input.policy, "the policy");
    round_trip(&input.disruption, "the disruption");
    round_trip(&input.template, "the template");
    round_trip(&input.answers, "the answers");

    let assessment = assess(&input.template, &input.answers);
    if let Err(e) = &assessment {
        short_text(e);
    }
    check_assessment(&input.template, &input.answers, &assessment);
    if let Ok(a) = &assessment {
        round_trip(a, "the assessment");
    }
    assert_eq!(
        assess(&input.template, &input.answers),
        assessment,
        "assess twice"
    );

    let model = Model::new(&input.graph);
    let graph = Graph::from_spec(&input.graph);
    let (Some(m), Ok(graph)) = (model, graph) else {
        return Outcome {
            input,
            plan: None,
            recovery: None,
            assessment,
        };
    };
    check_graph(&graph, &m);
    let built = Plan::new(&graph, &input.spec);
    let want = spec_errors(&m, &input.spec);
    let plan = match built {
        Err(e) => {
            short_text(&e);
            assert!(
                want.iter().any(|w| matches(&e, w)),
                "Plan::new refused with `{e}` ({e:?}); the model expects one of {want:?}"
            );
            return Outcome {
                input,
                plan: Some(Err(e)),
                recovery: None,
                assessment,
            };
        }
        Ok(p) => p,
    };
    assert!(
        want.is_empty(),
        "Plan::new accepted a spec breaking a rule: {want:?}"
    );
    let (rto, rpo) = check_required(&plan, &m, &input.spec);
    let gaps = plan.gaps();
    check_gaps(&gaps, &m, &input.spec, &rto, &rpo);
    round_trip(&gaps, "the gaps");

    let recovery = plan.recover(&input.disruption, &input.policy);
    match (lost(&m, &input.disruption), &recovery) {
        (Err(want), Err(e)) => {
            short_text(e);
            assert!(
                want.iter().any(|w| matches(e, w)),
                "recover refused with `{e}` ({e:?}); the model expects one of {want:?}"
            );
        }
        (Err(want), Ok(_)) => panic!("recover accepted a disruption the model refuses: {want:?}"),
        (Ok(lost), answer) => {
            if let Err(e) = answer {
                short_text(e);
            }
            check_recovery(&graph, &m, &input.spec, &input.policy, lost, answer);
        }
    }
    if let Ok(r) = &recovery {
        round_trip(r, "the recovery");
    }
    assert_eq!(
        plan.recover(&input.disruption, &input.policy),
        recovery,
        "recover twice"
    );
    Outcome {
        input,
        plan: Some(Ok(())),
        recovery: Some(recovery),
        assessment,
    }
}
