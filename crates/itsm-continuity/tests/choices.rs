//! Our choices where ServiceNow's pages are silent (docs/continuity.md), and every error.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use chrono::Duration;
use itsm_continuity::{
    Answers, Capability, Category, ContinuitySpec, Disruption, Error, MAX_PATH, Objective, Plan,
    Policy, Rating, Recovery, ScoreBand, Sequencing, Status, Template, Tier, Timeframe, assess,
};
use itsm_graph::{
    EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
};

fn h(n: i64) -> Duration {
    Duration::hours(n)
}

/// A graph: `shop` on `app` on `db` on `host` (site `north`), `app` also on the web farm
/// (`web-1` north, `web-2` south, one of two needed), `report` on `db`.
fn shop() -> Graph {
    let ci = |id: &str, at: &str| {
        let mut n = NodeSpec::new(id, NodeKind::ConfigurationItem, "host");
        n.location = Some(at.to_owned());
        n
    };
    Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            NodeSpec::new("report", NodeKind::BusinessService, "service"),
            ci("app", "north"),
            ci("db", "north"),
            ci("host", "north"),
            ci("web-1", "north"),
            ci("web-2", "south"),
        ],
        vec![GroupSpec::new("farm", &["web-1", "web-2"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("shop", "app", "depends_on"),
            EdgeSpec::new("app", "db", "depends_on"),
            EdgeSpec::new("app", "farm", "depends_on"),
            EdgeSpec::new("db", "host", "depends_on"),
            EdgeSpec::new("report", "db", "depends_on"),
        ],
    ))
    .unwrap()
}

fn spec() -> ContinuitySpec {
    ContinuitySpec::new(
        vec![
            Objective::new("shop", h(8)).with_mtpd(h(24)),
            Objective::new("report", h(2)),
        ],
        vec![
            Capability::new("app", h(1)),
            Capability::new("db", h(3)),
            Capability::new("host", h(2)),
            Capability::new("web-1", h(1)),
            Capability::new("web-2", h(4)),
        ],
    )
}

fn recover(g: &Graph, s: &ContinuitySpec, d: Disruption, seq: Sequencing) -> Recovery {
    Plan::new(g, s)
        .unwrap()
        .recover(&d, &Policy::default().with_sequencing(seq))
        .unwrap()
}

/// After dependencies: host 2, db 5, app 6 (the farm back at 1 by web-1), shop at 6.
#[test]
fn after_dependencies_adds_each_rta_to_the_slowest_dependency() {
    let r = recover(
        &shop(),
        &spec(),
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let shop = r.outcome("shop").unwrap();
    assert_eq!(shop.back_after, Some(h(6)));
    assert_eq!(shop.status, Status::Met);
    assert_eq!(shop.critical_path, ["host", "db", "app", "shop"]);
    let report = r.outcome("report").unwrap();
    assert_eq!(
        (report.status, report.late_by),
        (Status::Missed, Some(h(3)))
    );
    assert_eq!(r.summary.lost, 5);
    assert_eq!(r.summary.down, 8); // five items, the farm and both services
    assert_eq!(r.summary.all_back_after, Some(h(6)));
    assert_eq!((r.summary.met, r.summary.missed), (1, 1));
}

/// Side by side: every lost node's recovery starts at once; db at max(3, 2) = 3, app at
/// max(1, 3) = 3, its own hour hidden; the path stops at the node whose own RTA is last.
#[test]
fn parallel_takes_the_later_of_own_rta_and_dependencies() {
    let r = recover(
        &shop(),
        &spec(),
        Disruption::Everything,
        Sequencing::Parallel,
    );
    let shop = r.outcome("shop").unwrap();
    assert_eq!(shop.back_after, Some(h(3)));
    assert_eq!(shop.critical_path, ["db", "app", "shop"]);
}

/// A site lost: only its configuration items; the farm holds on web-2 in the south.
#[test]
fn a_location_loses_its_configuration_items_and_redundancy_holds() {
    let g = shop();
    let r = recover(
        &g,
        &spec(),
        Disruption::Locations(vec!["south".into()]),
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.summary.lost, 1);
    assert_eq!(r.outcome("shop").unwrap().status, Status::Unaffected);
    assert_eq!(r.summary.down, 1); // web-2 only: the farm never went down
    // The north lost: the farm comes back with web-1 (1 h) before web-2 would matter.
    let r = recover(
        &g,
        &spec(),
        Disruption::Locations(vec!["north".into()]),
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.summary.lost, 4);
    assert_eq!(r.outcome("shop").unwrap().back_after, Some(h(6)));
}

/// The group is back with its earliest member, whichever it is: web-1 slow, web-2 fast.
#[test]
fn a_group_is_back_with_the_earliest_members_that_make_it_hold() {
    let g = shop();
    let mut s = spec();
    s.capabilities[3] = Capability::new("web-1", h(20));
    s.capabilities[2] = Capability::new("host", h(0));
    s.capabilities[1] = Capability::new("db", h(0));
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let shop = r.outcome("shop").unwrap();
    assert_eq!(shop.back_after, Some(h(5))); // web-2 at 4, app 1 after
    assert_eq!(shop.critical_path, ["web-2", "farm", "app", "shop"]);
}

/// Everything loses configuration items only; a named service needs an RTA of its own.
#[test]
fn a_service_is_lost_only_when_named_and_then_needs_an_rta() {
    let g = shop();
    let r = recover(
        &g,
        &spec(),
        Disruption::Nodes(vec!["report".into()]),
        Sequencing::AfterDependencies,
    );
    let report = r.outcome("report").unwrap();
    assert_eq!(report.status, Status::NoRecoveryTime);
    assert_eq!(report.waits_on.as_deref(), Some("report"));
    assert_eq!(report.back_after, None);
    assert_eq!(r.summary.never_back, 1);
    assert_eq!(r.outcome("shop").unwrap().status, Status::Unaffected);
}

/// A lost item without an RTA: everything waiting on it is never back, naming it; the
/// gaps list it with the requirement it must meet.
#[test]
fn a_missing_rta_blocks_what_waits_on_it_and_is_a_gap() {
    let g = shop();
    let mut s = spec();
    s.capabilities.remove(2); // host
    let plan = Plan::new(&g, &s).unwrap();
    let r = plan
        .recover(&Disruption::Everything, &Policy::default())
        .unwrap();
    for id in ["shop", "report"] {
        let o = r.outcome(id).unwrap();
        assert_eq!(
            (o.status, o.waits_on.as_deref()),
            (Status::NoRecoveryTime, Some("host"))
        );
    }
    let gaps = plan.gaps();
    assert_eq!(gaps.no_rta.len(), 1);
    assert_eq!(gaps.no_rta[0].id, "host");
    assert_eq!(gaps.no_rta[0].required.value, h(2)); // the report's
}

/// MTPD: back after it is intolerable, not just missed.
#[test]
fn past_the_mtpd_is_intolerable() {
    let g = shop();
    let mut s = spec();
    s.capabilities[1] = Capability::new("db", h(30));
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let shop = r.outcome("shop").unwrap();
    assert_eq!(shop.status, Status::Intolerable);
    assert_eq!(shop.late_by, Some(h(25)));
    assert_eq!(r.summary.intolerable, 1);
}

/// Nodes waiting on each other in a cycle are recovered side by side, each after what it
/// waits for outside the cycle, and are back together; a lost node without an RTA on the way
/// blocks them; a cycle through a group that no member breaks is never back.
#[test]
fn a_cycle_is_recovered_side_by_side() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "service"),
            NodeSpec::new("a", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("b", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("c", NodeKind::ConfigurationItem, "x"),
        ],
        vec![],
        vec![
            EdgeSpec::new("svc", "a", "depends_on"),
            EdgeSpec::new("a", "b", "depends_on"),
            EdgeSpec::new("b", "a", "depends_on"),
            EdgeSpec::new("b", "c", "depends_on"),
        ],
    ))
    .unwrap();
    let caps = |c: Option<Duration>| {
        let mut v = vec![Capability::new("a", h(1)), Capability::new("b", h(2))];
        if let Some(c) = c {
            v.push(Capability::new("c", c));
        }
        ContinuitySpec::new(vec![Objective::new("svc", h(4))], v)
    };
    // a at 1 h (nothing outside), b at c + 2 = 3 h: the cycle is back at 3 h.
    let r = recover(
        &g,
        &caps(Some(h(1))),
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!((o.status, o.back_after), (Status::Met, Some(h(3))));
    assert_eq!(o.critical_path, ["c", "b", "a", "svc"]);
    let r = recover(
        &g,
        &caps(None),
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!(
        (o.status, o.waits_on.as_deref()),
        (Status::NoRecoveryTime, Some("c"))
    );
    // Nothing lost on the cycle: a and b are back with c.
    let r = recover(
        &g,
        &caps(Some(h(1))),
        Disruption::Nodes(vec!["c".into()]),
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!((o.status, o.back_after), (Status::Met, Some(h(1))));
    assert_eq!(o.critical_path, ["c", "b", "a", "svc"]);
    // Side by side: at the latest RTA.
    let r = recover(
        &g,
        &caps(Some(h(1))),
        Disruption::Everything,
        Sequencing::Parallel,
    );
    assert_eq!(r.outcome("svc").unwrap().back_after, Some(h(2)));
}

/// A cycle through a redundancy group whose only member needs the group: never back, named
/// by the cycle's first node.
#[test]
fn a_cycle_through_a_group_no_member_breaks_is_never_back() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "service"),
            NodeSpec::new("dns-1", NodeKind::ConfigurationItem, "x"),
        ],
        vec![GroupSpec::new("dns", &["dns-1"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("svc", "dns", "depends_on"),
            EdgeSpec::new("dns-1", "dns", "depends_on"),
        ],
    ))
    .unwrap();
    let s = ContinuitySpec::new(
        vec![Objective::new("svc", h(4))],
        vec![Capability::new("dns-1", h(1))],
    );
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!(
        (o.status, o.waits_on.as_deref()),
        (Status::Circular, Some("dns-1"))
    );
    assert_eq!(r.summary.circular, 1);
    assert_eq!(r.summary.never_back, 3);
}

/// A cycle broken by redundancy is no cycle for recovery: the group holds on its other
/// member.
#[test]
fn redundancy_breaks_a_cycle() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "service"),
            NodeSpec::new("dns-1", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("dns-2", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("auth", NodeKind::ConfigurationItem, "x"),
        ],
        vec![GroupSpec::new("dns", &["dns-1", "dns-2"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("svc", "auth", "depends_on"),
            EdgeSpec::new("auth", "dns", "depends_on"),
            EdgeSpec::new("dns-1", "auth", "depends_on"), // dns-1 needs auth: a cycle
        ],
    ))
    .unwrap();
    let s = ContinuitySpec::new(
        vec![Objective::new("svc", h(4))],
        vec![
            Capability::new("dns-1", h(1)),
            Capability::new("dns-2", h(2)),
            Capability::new("auth", h(1)),
        ],
    );
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!(o.back_after, Some(h(3)));
    assert_eq!(o.critical_path, ["dns-2", "dns", "auth", "svc"]);
}

/// The critical path keeps the last [`MAX_PATH`] nodes and counts the rest.
#[test]
fn the_critical_path_is_capped() {
    let n = MAX_PATH + 10;
    let ids: Vec<String> = (0..n).map(|i| format!("n{i}")).collect();
    let mut nodes = vec![NodeSpec::new("svc", NodeKind::BusinessService, "service")];
    nodes.extend(
        ids.iter()
            .map(|i| NodeSpec::new(i, NodeKind::ConfigurationItem, "x")),
    );
    let mut edges = vec![EdgeSpec::new("svc", "n0", "depends_on")];
    edges.extend((1..n).map(|i| EdgeSpec::new(&ids[i - 1], &ids[i], "depends_on")));
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        nodes,
        vec![],
        edges,
    ))
    .unwrap();
    let caps = ids.iter().map(|i| Capability::new(i, h(1))).collect();
    let s = ContinuitySpec::new(vec![Objective::new("svc", h(1))], caps);
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("svc").unwrap();
    assert_eq!(o.back_after, Some(h(n as i64)));
    assert_eq!(o.critical_path.len(), MAX_PATH);
    assert_eq!(o.critical_path.last().map(String::as_str), Some("svc"));
    assert_eq!(o.path_omitted, (n + 1 - MAX_PATH) as u64);
    assert_eq!(o.critical_path[0], format!("n{}", MAX_PATH - 2));
}

/// A lost node with a zero RTA is back at once; what waits only on it is unaffected.
#[test]
fn a_zero_rta_is_back_at_once() {
    let g = shop();
    let mut s = spec();
    s.capabilities = vec![
        Capability::new("app", h(0)),
        Capability::new("db", h(0)),
        Capability::new("host", h(0)),
        Capability::new("web-1", h(0)),
        Capability::new("web-2", h(0)),
    ];
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.outcome("shop").unwrap().status, Status::Unaffected);
    assert_eq!(r.summary.down, 5); // the lost items only
    assert_eq!(r.summary.all_back_after, Some(h(0)));
}

/// Every error of a spec and a disruption.
#[test]
fn spec_and_disruption_errors() {
    let g = shop();
    let with = |o: Vec<Objective>, c: Vec<Capability>| {
        Plan::new(&g, &ContinuitySpec::new(o, c)).map(|_| ())
    };
    assert!(matches!(
        with(vec![Objective::new("shpo", h(1))], vec![]),
        Err(Error::UnknownNode {
            list: "the objectives",
            ..
        })
    ));
    assert!(matches!(
        with(
            vec![Objective::new("shop", h(1)), Objective::new("shop", h(2))],
            vec![]
        ),
        Err(Error::DuplicateNode {
            list: "the objectives",
            ..
        })
    ));
    assert!(matches!(
        with(
            vec![],
            vec![Capability::new("db", h(1)), Capability::new("db", h(1))]
        ),
        Err(Error::DuplicateNode {
            list: "the capabilities",
            ..
        })
    ));
    assert!(matches!(
        with(vec![], vec![Capability::new("farm", h(1))]),
        Err(Error::GroupNamed { .. })
    ));
    assert!(matches!(
        with(vec![], vec![Capability::new("db", h(-1))]),
        Err(Error::NegativeDuration { field: "rta", .. })
    ));
    assert!(matches!(
        with(vec![Objective::new("shop", h(1)).with_rpo(h(-1))], vec![]),
        Err(Error::NegativeDuration { field: "rpo", .. })
    ));
    let e = with(vec![Objective::new("shop", h(8)).with_mtpd(h(4))], vec![]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "node `shop`: the MTPD PT4H is shorter than the RTO PT8H; the RTO must be within the MTPD"
    );
    let plan = Plan::new(&g, &spec()).unwrap();
    let p = Policy::default();
    assert!(matches!(
        plan.recover(&Disruption::Locations(vec!["west".into()]), &p),
        Err(Error::UnknownLocation { .. })
    ));
    assert!(matches!(
        plan.recover(&Disruption::Nodes(vec!["farm".into()]), &p),
        Err(Error::GroupNamed {
            list: "the disruption",
            ..
        })
    ));
    assert!(matches!(
        plan.recover(&Disruption::Nodes(vec!["nope".into()]), &p),
        Err(Error::UnknownNode {
            list: "the disruption",
            ..
        })
    ));
    assert!(matches!(
        plan.required_rto("nope"),
        Err(Error::UnknownNode { .. })
    ));
    // A hostile id is quoted capped and escaped.
    let e = with(
        vec![Objective::new(
            &format!("\u{1b}[31m{}", "x".repeat(500)),
            h(1),
        )],
        vec![],
    )
    .unwrap_err()
    .to_string();
    assert!(e.len() < 300 && !e.contains('\u{1b}'), "{e}");
}

/// Times past what a duration holds are an error, not a wrap.
#[test]
fn an_overflowing_recovery_time_is_an_error() {
    let g = shop();
    let big = Duration::MAX / 2; // host, db and app in a row: one and a half times the most
    let s = ContinuitySpec::new(
        vec![Objective::new("shop", h(1))],
        ["app", "db", "host", "web-1", "web-2"]
            .iter()
            .map(|i| Capability::new(i, big))
            .collect(),
    );
    let e = Plan::new(&g, &s)
        .unwrap()
        .recover(&Disruption::Everything, &Policy::default())
        .unwrap_err();
    assert!(matches!(e, Error::Overflow { .. }), "{e}");
}

/// Every error of a template and of answers.
#[test]
fn template_and_answer_errors() {
    let cat = || {
        Category::rto(
            "Revenue",
            vec![Rating::new("Low", 1, true), Rating::new("High", 2, false)],
            "1 Month",
        )
    };
    let base = || Template::servicenow().with_category(cat());
    let check = |t: Template| t.check().unwrap_err();
    let mut t = base();
    t.timeframes.push(Timeframe::new("1 Hour", h(1)));
    assert!(matches!(
        check(t),
        Error::DuplicateName {
            kind: "timeframe",
            ..
        }
    ));
    let mut t = base();
    t.timeframes.push(Timeframe::new("Yesterday", h(-24)));
    assert!(matches!(check(t), Error::NegativeTimeframe { .. }));
    let mut t = base();
    t.tiers.push(Tier::new("Gold", &["Forever"]));
    assert!(matches!(check(t), Error::UnknownTimeframe { .. }));
    let mut t = base();
    t.tiers.push(Tier::new("Gold", &["1 Hour"]));
    assert!(matches!(check(t), Error::TimeframeInTwoTiers { .. }));
    // Listed twice by one tier: no conflict.
    let mut t = base();
    t.tiers[0].timeframes.push("1 Hour".into());
    assert!(t.check().is_ok());
    let mut t = base();
    t.categories[0].ratings.push(Rating::new("Low", 3, false));
    assert!(matches!(check(t), Error::DuplicateRating { .. }));
    let mut t = base();
    t.categories[0].ratings.clear();
    assert!(matches!(check(t), Error::NoRatings { .. }));
    let mut t = base();
    t.categories[0]
        .ratings
        .push(Rating::new("Severe", 2, false));
    assert!(matches!(
        check(t),
        Error::DuplicateRatingValue { value: 2, .. }
    ));
    let mut t = base();
    t.categories[0].maximum_rto = None;
    assert!(matches!(check(t), Error::NoMaximumRto { .. }));
    let t = Template::servicenow().with_category(cat().with_timeframes(&["4 Hours"]));
    assert!(matches!(check(t), Error::TimeframeNotAllowed { .. }));
    let t = base().with_band(ScoreBand::new(5, 1, "1 Hour"));
    assert!(matches!(
        check(t),
        Error::ReversedBand { lower: 5, upper: 1 }
    ));
    let t = base()
        .with_band(ScoreBand::new(0, 10, "1 Hour"))
        .with_band(ScoreBand::new(10, 20, "4 Hours"));
    assert!(matches!(
        check(t),
        Error::OverlappingBands {
            first: (0, 10),
            second: (10, 20)
        }
    ));

    let t = base()
        .with_category(Category::rpo("Data"))
        .with_band(ScoreBand::new(0, 9, "1 Hour"));
    let a = |answers: Answers| assess(&t, &answers).unwrap_err();
    assert!(matches!(
        a(Answers::default().at("Revnue", "Low", "1 Hour")),
        Error::UnknownCategory { .. }
    ));
    assert!(matches!(
        a(Answers::default().at("Revenue", "Mid", "1 Hour")),
        Error::UnknownRating { .. }
    ));
    assert!(matches!(
        a(Answers::default().at("Revenue", "Low", "Soon")),
        Error::UnknownTimeframe { .. }
    ));
    assert!(matches!(
        a(Answers::default().at("Data", "Low", "1 Hour")),
        Error::WrongContribution { .. }
    ));
    assert!(matches!(
        a(Answers::default().score("Revenue", 1)),
        Error::WrongContribution { .. }
    ));
    assert!(matches!(
        a(Answers::default()
            .at("Revenue", "Low", "1 Hour")
            .at("Revenue", "Low", "4 Hours")),
        Error::DuplicateAnswer { .. }
    ));
    assert!(matches!(
        a(Answers::default().score("Data", 10)),
        Error::NoBand { score: 10 }
    ));
    assert!(matches!(
        a(Answers::default().adjust_rto("Later", "why")),
        Error::UnknownTimeframe { .. }
    ));
    assert!(matches!(
        a(Answers::default().with_mtpd("Later")),
        Error::UnknownTimeframe { .. }
    ));
    let e = a(Answers::default()
        .at("Revenue", "High", "8 Hours")
        .with_mtpd("4 Hours"));
    assert_eq!(
        e.to_string(),
        "the BIA's MTPD `4 Hours` is shorter than its RTO `8 Hours`; the RTO must be within the MTPD"
    );
}

/// A BIA's result becomes the node's objective in a plan.
#[test]
fn an_assessment_becomes_an_objective() {
    let t = Template::servicenow().with_category(Category::rto(
        "Revenue",
        vec![Rating::new("Low", 1, true), Rating::new("High", 2, false)],
        "1 Month",
    ));
    let a = assess(
        &t,
        &Answers::default()
            .at("Revenue", "Low", "1 Hour")
            .at("Revenue", "High", "8 Hours"),
    )
    .unwrap();
    let o = a.objective("shop").unwrap();
    assert_eq!(
        (o.id.as_str(), o.rto, o.rpo, o.mtpd),
        ("shop", h(8), None, None)
    );
    // With an MTPD, the objective carries it.
    let a = assess(
        &t,
        &Answers::default()
            .at("Revenue", "Low", "1 Hour")
            .at("Revenue", "High", "8 Hours")
            .with_mtpd("72 Hours"),
    )
    .unwrap();
    assert_eq!(a.objective("shop").unwrap().mtpd, Some(h(72)));
    assert!(
        assess(&t, &Answers::default())
            .unwrap()
            .objective("shop")
            .is_none()
    );
}

/// Two services that call each other are back together once what they run on is: the
/// shop topology's checkout and payments APIs.
#[test]
fn services_that_call_each_other_are_back_together() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("shop", NodeKind::BusinessService, "service"),
            NodeSpec::new("checkout-api", NodeKind::TechnicalService, "service"),
            NodeSpec::new("payments-api", NodeKind::TechnicalService, "service"),
            NodeSpec::new("checkout-app", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("payments-app", NodeKind::ConfigurationItem, "x"),
        ],
        vec![],
        vec![
            EdgeSpec::new("shop", "checkout-api", "depends_on"),
            EdgeSpec::new("checkout-api", "payments-api", "depends_on"),
            EdgeSpec::new("payments-api", "checkout-api", "depends_on"),
            EdgeSpec::new("checkout-api", "checkout-app", "depends_on"),
            EdgeSpec::new("payments-api", "payments-app", "depends_on"),
        ],
    ))
    .unwrap();
    let s = ContinuitySpec::new(
        vec![Objective::new("shop", h(4))],
        vec![
            Capability::new("checkout-app", h(1)),
            Capability::new("payments-app", h(3)),
        ],
    );
    let r = recover(
        &g,
        &s,
        Disruption::Everything,
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("shop").unwrap();
    assert_eq!((o.status, o.back_after), (Status::Met, Some(h(3))));
    assert_eq!(
        o.critical_path,
        ["payments-app", "payments-api", "checkout-api", "shop"]
    );
    // Named lost with RTAs of their own, the two are recovered side by side: both after 1 h
    // (the apps are not lost).
    let mut s2 = s.clone();
    s2.capabilities.push(Capability::new("checkout-api", h(1)));
    s2.capabilities.push(Capability::new("payments-api", h(1)));
    let r = recover(
        &g,
        &s2,
        Disruption::Nodes(vec!["checkout-api".into(), "payments-api".into()]),
        Sequencing::AfterDependencies,
    );
    let o = r.outcome("shop").unwrap();
    assert_eq!((o.status, o.back_after), (Status::Met, Some(h(1))));
}

/// A member that needs its own group does not hold the group up while both are down: the
/// group waits for a member back on its own account. A group that held (a member never
/// down) needs no recovery: the review's DNS case.
#[test]
fn a_member_needing_its_own_group_does_not_hold_it_up() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("svc", NodeKind::BusinessService, "service"),
            NodeSpec::new("dns-1", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("dns-2", NodeKind::ConfigurationItem, "x"),
        ],
        vec![GroupSpec::new("dns", &["dns-1", "dns-2"], MinUp::Count(1))],
        vec![
            EdgeSpec::new("svc", "dns", "depends_on"),
            EdgeSpec::new("dns-1", "dns", "depends_on"), // dns-1 resolves through the service
            EdgeSpec::new("dns-2", "dns", "depends_on"), // and so does dns-2
        ],
    ))
    .unwrap();
    let s = ContinuitySpec::new(
        vec![Objective::new("svc", h(4))],
        vec![
            Capability::new("dns-1", h(1)),
            Capability::new("dns-2", h(2)),
        ],
    );
    let both = Disruption::Nodes(vec!["dns-1".into(), "dns-2".into()]);
    let r = recover(&g, &s, both, Sequencing::AfterDependencies);
    let o = r.outcome("svc").unwrap();
    // Each needs the group, which needs one of them back first: a cycle no member breaks.
    assert_eq!(
        (o.status, o.waits_on.as_deref()),
        (Status::Circular, Some("dns-1"))
    );
    // One lost: the other holds the group up; nothing is down but the lost server, which
    // comes back after the group it needs (at once): 2 h.
    let r = recover(
        &g,
        &s,
        Disruption::Nodes(vec!["dns-2".into()]),
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.outcome("svc").unwrap().status, Status::Unaffected);
    assert_eq!(r.summary.down, 1);
    assert_eq!(r.summary.all_back_after, Some(h(2)));
    // Nothing lost: nothing down, nothing never back.
    let r = recover(
        &g,
        &s,
        Disruption::Nodes(vec![]),
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.outcome("svc").unwrap().status, Status::Unaffected);
    assert_eq!((r.summary.down, r.summary.never_back), (0, 0));
}

/// The review's held group: a member that needs its own group, the other member lost; the
/// group held, so what depends on it was never down.
#[test]
fn a_group_that_held_needs_no_recovery() {
    let g = Graph::from_spec(&GraphSpec::new(
        vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
        vec![
            NodeSpec::new("n1", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("n2", NodeKind::ConfigurationItem, "x"),
            NodeSpec::new("n3", NodeKind::ConfigurationItem, "x"),
        ],
        vec![GroupSpec::new("g", &["n2", "n3"], MinUp::Percent(34))],
        vec![
            EdgeSpec::new("n2", "g", "depends_on"),
            EdgeSpec::new("n1", "n2", "depends_on"),
        ],
    ))
    .unwrap();
    let s = ContinuitySpec::new(
        vec![Objective::new("n1", h(8))],
        vec![
            Capability::new("n1", h(5)),
            Capability::new("n3", h(1)),
            Capability::new("n2", h(1)),
        ],
    );
    let r = recover(
        &g,
        &s,
        Disruption::Nodes(vec!["n1".into(), "n3".into()]),
        Sequencing::AfterDependencies,
    );
    assert_eq!(r.outcome("n1").unwrap().back_after, Some(h(5)));
    assert_eq!(r.summary.down, 2);
}
