//! Agents in several groups (`Config::helps`): a group with no tickets of its own that
//! helps the desk is more desk agents (exactly), help that is never needed changes nothing,
//! two groups that help each other are one pool (Erlang C of the pooled agents), a helper
//! serves its own tickets first, and the checks of the configuration.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod common;
use common::{both, constant, exp, minutes};

use std::collections::BTreeMap;

use itsm_sim::chrono::Duration;
use itsm_sim::{
    Arrivals, ClassSpec, Config, Discipline, Engine, Error, GroupSpec, Hold, Interval, Mmc, Model,
    Reassign, Reopen, RunReport, ServiceTime, simulate,
};

fn helps(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(g, list)| (g.to_string(), list.iter().map(|s| s.to_string()).collect()))
        .collect()
}

#[test]
fn a_group_with_no_tickets_that_helps_the_desk_is_more_desk_agents() {
    // Two classes with holds and reopens at a desk of one, helped by `network`'s two (no
    // class goes to `network`): the same tickets start at the same instants as at a desk
    // of three, so every class figure is the same, on both paths.
    let mut three = Config::mmc(2.0, 1.0, 3, Duration::days(30));
    three.warmup = Duration::days(1);
    let mut urgent = three.classes[0].clone();
    urgent.priority = 2;
    urgent.arrivals = Arrivals::per_hour(0.4);
    urgent.hold = Some(Hold::new(0.3, ServiceTime::exponential(Duration::hours(2))));
    three.classes[0].reopen = Some(Reopen::new(0.2, exp(0.2), exp(3.0)));
    three.classes.push(urgent);
    let mut helped = three.clone();
    helped.staffing = constant(1);
    helped.groups = vec![GroupSpec::new("network", constant(2))];
    helped.helps = helps(&[("network", &["desk"])]);
    let (a, b) = (Model::new(three).unwrap(), Model::new(helped).unwrap());
    for seed in [1, 2, 3] {
        let (x, y) = (both(&a, seed), both(&b, seed));
        assert!(
            x.arrivals > 1000 && x.reopened > 0 && x.waits.waited > 0.1,
            "{x:?}"
        );
        assert_eq!(x.classes, y.classes);
        assert_eq!(x.waits, y.waits);
        assert_eq!(x.backlog, y.backlog);
        assert_eq!(
            (x.arrivals, x.completed, x.reopened, x.queued, x.on_hold),
            (y.arrivals, y.completed, y.reopened, y.queued, y.on_hold)
        );
        assert!((x.utilisation - y.utilisation).abs() < 1e-12);
        // The desk's group figures: its waits are every ticket's; the agents' time is
        // shared between the desk's one and the network's two.
        let (g, w) = (y.groups[0].waits, x.waits);
        assert_eq!(
            (g.count, g.p50, g.p90, g.p99, g.max),
            (w.count, w.p50, w.p90, w.p99, w.max)
        );
        // (summed in another order)
        assert!((g.mean_hours - w.mean_hours).abs() < 1e-12);
        assert_eq!(y.groups[1].waits.count, 0);
        let busy = |r: &RunReport, g: usize, agents: f64| r.groups[g].utilisation * agents;
        let total = busy(&y, 0, 1.0) + busy(&y, 1, 2.0);
        assert!((total - busy(&x, 0, 3.0)).abs() < 1e-9, "{total}");
        // The desk's own agent is the first to be taken, so it is the busier.
        assert!(y.groups[0].utilisation > y.groups[1].utilisation, "{y:?}");
    }
}

#[test]
fn help_that_is_never_needed_changes_nothing() {
    // The desk has room for every ticket (200 agents), so `network`'s agents never take
    // one: the run is the run without help.
    let mut config = Config::mmc(3.0, 1.0, 200, Duration::days(10));
    config.groups = vec![GroupSpec::new("network", constant(2))];
    let mut net = ClassSpec::new(
        4,
        Arrivals::per_hour(1.5),
        exp(1.0),
        Duration::hours(1),
        Duration::hours(8),
    );
    net.group = Some("network".into());
    config.classes.push(net);
    let mut helped = config.clone();
    helped.helps = helps(&[("network", &["desk"])]);
    let (a, b) = (Model::new(config).unwrap(), Model::new(helped).unwrap());
    for seed in [4, 5] {
        assert_eq!(both(&a, seed), both(&b, seed));
    }
}

/// Each replication's mean wait over every ticket.
fn overall_waits(model: &Model, reps: u64) -> Interval {
    let means: Vec<f64> = (1..=reps)
        .map(|seed| {
            simulate(model, seed, Engine::Fast)
                .unwrap()
                .waits
                .mean_hours
        })
        .collect();
    Interval::of(&means).unwrap()
}

#[test]
fn two_groups_that_help_each_other_are_one_pool() {
    // Priority 3 at the desk (2 agents) and priority 4 at `apps` (2 agents), 1.6 an hour
    // each, exponential hours: every agent can take any ticket and none idles while one
    // waits, so the number of tickets in the system is that of M/M/4 at 3.2 an hour, and
    // the mean wait over all tickets is its Erlang C. Apart, each group is an M/M/2 at 1.6
    // an hour, which waits longer.
    let mut config = Config::mmc(1.6, 1.0, 2, Duration::hours(200 + 4000));
    config.warmup = Duration::hours(200);
    config.sample_every = Duration::hours(4000);
    config.groups = vec![GroupSpec::new("apps", constant(2))];
    let mut apps = ClassSpec::new(
        4,
        Arrivals::per_hour(1.6),
        exp(1.0),
        Duration::hours(1),
        Duration::hours(8),
    );
    apps.group = Some("apps".into());
    config.classes.push(apps);
    let apart = overall_waits(&Model::new(config.clone()).unwrap(), 10);
    config.helps = helps(&[("desk", &["apps"]), ("apps", &["desk"])]);
    let pooled = overall_waits(&Model::new(config).unwrap(), 10);
    let theory = Mmc::new(3.2, 1.0, 4).unwrap().mean_wait;
    let separate = Mmc::new(1.6, 1.0, 2).unwrap().mean_wait;
    eprintln!(
        "pooled: Erlang C M/M/4 {theory:.4}, simulated {:.4} ± {:.4}; apart: M/M/2 {separate:.4}, simulated {:.4} ± {:.4}",
        pooled.mean, pooled.half_width, apart.mean, apart.half_width
    );
    assert!(pooled.contains(theory), "{pooled:?} vs {theory}");
    assert!(pooled.half_width < 0.15 * theory, "{pooled:?}");
    assert!(apart.contains(separate), "{apart:?} vs {separate}");
    assert!(pooled.mean + pooled.half_width < apart.mean - apart.half_width);
}

#[test]
fn one_way_help_shortens_the_helped_groups_waits_only() {
    // `network` helps the desk, not the other way: the desk's tickets wait less than
    // apart, `network`'s own no less (its agents serve their own first, but a ticket of
    // theirs can find them all busy with the desk's work).
    let mut config = Config::mmc(1.8, 1.0, 2, Duration::hours(100 + 3000));
    config.warmup = Duration::hours(100);
    config.groups = vec![GroupSpec::new("network", constant(2))];
    let mut net = ClassSpec::new(
        4,
        Arrivals::per_hour(0.8),
        exp(1.0),
        Duration::hours(1),
        Duration::hours(8),
    );
    net.group = Some("network".into());
    config.classes.push(net);
    let apart = Model::new(config.clone()).unwrap();
    config.helps = helps(&[("network", &["desk"])]);
    let helped = Model::new(config).unwrap();
    let (mut desk, mut network) = (0.0, 0.0);
    for seed in 1..=5 {
        let (a, h) = (both(&apart, seed), both(&helped, seed));
        desk += h.groups[0].waits.mean_hours - a.groups[0].waits.mean_hours;
        network += h.groups[1].waits.mean_hours - a.groups[1].waits.mean_hours;
        // The same tickets: help moves work, not tickets.
        assert_eq!(a.arrivals, h.arrivals);
    }
    assert!(desk < 0.0, "the desk waits {desk} hours more in total");
    assert!(
        network >= 0.0,
        "network waits {network} hours less in total"
    );
}

#[test]
fn a_ticket_passed_on_can_be_taken_by_a_helper() {
    // Every ticket is passed from the desk to `network`, which has no agent of its own and
    // is served by `apps` (its members are in both): the work is done, by apps' agents.
    let mut config = Config::mmc(1.0, 2.0, 2, Duration::days(5));
    config.groups = vec![
        GroupSpec::new("network", constant(0)),
        GroupSpec::new("apps", constant(2)),
    ];
    config.classes[0].reassign = Some(Reassign::new(1.0, "network", minutes(5)));
    // Without help, a group that tickets reach needs agents.
    assert!(matches!(
        Model::new(config.clone()).unwrap_err(),
        Error::BadGroup { group, .. } if group == "network"
    ));
    config.helps = helps(&[("apps", &["network"])]);
    let r = both(&Model::new(config).unwrap(), 2);
    assert!(r.reassigned > 50 && r.completed + 5 >= r.arrivals, "{r:?}");
    assert_eq!(r.groups[1].reassigned_in, r.reassigned);
    assert_eq!(
        r.groups[1].waits.count,
        r.groups[1].reassigned_in - r.queued
    );
    assert_eq!(r.groups[1].utilisation, 0.0);
    assert!(r.groups[2].utilisation > 0.0);
}

fn refused(helps_: BTreeMap<String, Vec<String>>) -> Error {
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.groups = vec![GroupSpec::new("network", constant(2))];
    config.helps = helps_;
    Model::new(config).unwrap_err()
}

#[test]
fn help_is_checked_with_one_error_per_cause() {
    let reason = |e: Error| match e {
        Error::BadHelp { group, reason } => format!("{group}: {reason}"),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        reason(refused(helps(&[("nobody", &["desk"])]))),
        "nobody: there is no such group; the groups are: `desk`, `network`"
    );
    assert_eq!(
        reason(refused(helps(&[("desk", &["dba"])]))),
        "desk: it names `dba`, which is not a group; the groups are: `desk`, `network`"
    );
    assert_eq!(
        reason(refused(helps(&[("desk", &["desk"])]))),
        "desk: it names itself; list the other groups whose tickets its agents take"
    );
    assert_eq!(
        reason(refused(helps(&[("desk", &["network", "network"])]))),
        "desk: it names `network` twice; name each group once, in order of preference"
    );
    let e = refused(helps(&[("desk", &["dba"])]));
    assert_eq!(
        e.to_string(),
        "the help of group `desk` is refused: it names `dba`, which is not a group; the groups are: `desk`, `network`"
    );
    // Not under pre-emption.
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.groups = vec![GroupSpec::new("network", constant(2))];
    config.helps = helps(&[("network", &["desk"])]);
    config.discipline = Discipline::PreemptiveResume;
    assert!(reason(Model::new(config.clone()).unwrap_err()).contains("pre-emptive"));
    // An empty list is no help, and allowed.
    config.helps = helps(&[("network", &[])]);
    assert!(Model::new(config).is_ok());
    // A group reached only through help needs a helper with agents.
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.groups = vec![
        GroupSpec::new("network", constant(0)),
        GroupSpec::new("apps", constant(0)),
    ];
    config.classes[0].group = Some("network".into());
    config.helps = helps(&[("apps", &["network"])]);
    let e = Model::new(config.clone()).unwrap_err();
    assert!(
        matches!(&e, Error::BadGroup { group, reason } if group == "network" && reason.contains("or in a group that helps it")),
        "{e:?}"
    );
    config.helps = helps(&[("desk", &["network"])]);
    assert!(Model::new(config).is_ok());
}

#[cfg(feature = "serde")]
#[test]
fn help_reads_from_json() {
    let json = r#"{
        "start": "2026-01-05T00:00:00Z",
        "horizon": "P2D",
        "classes": [{
            "priority": 3,
            "arrivals": {"poisson": {"rate": 2.0, "per": "PT1H"}},
            "service": {"exponential": {"mean": "PT30M"}},
            "response": "PT1H",
            "resolution": "PT8H"
        }],
        "staffing": {"constant": {"agents": 1}},
        "groups": [{"name": "network", "staffing": {"constant": {"agents": 2}}}],
        "helps": {"network": ["desk"]}
    }"#;
    let config: Config = serde_json::from_str(json).unwrap();
    assert_eq!(config.helps["network"], ["desk"]);
    let r = simulate(&Model::new(config.clone()).unwrap(), 1, Engine::Fast).unwrap();
    assert!(r.groups[1].utilisation > 0.0, "{r:?}");
    let again: Config = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    assert_eq!(again, config);
    // Without help, no `helps` is written.
    let mut none = config;
    none.helps.clear();
    assert!(!serde_json::to_string(&none).unwrap().contains("helps"));
}

#[cfg(feature = "serde")]
#[test]
fn the_fuzz_seed_with_help_has_agents_taking_other_groups_tickets() {
    // So that the fuzzer starts from a configuration that reaches the help code: `dba`
    // helps `network` and the desk, the desk helps `dba`.
    let text = include_str!("../../../fuzz/corpus/sim_config/seed-helps.json");
    let config: Config = serde_json::from_str(text).unwrap();
    assert_eq!(config.helps.len(), 2);
    let with = both(&Model::new(config.clone()).unwrap(), 0);
    let mut without = config;
    without.helps.clear();
    let without = both(&Model::new(without).unwrap(), 0);
    // The same tickets, other agents: some group's busy time moved.
    assert_eq!(with.arrivals, without.arrivals);
    assert_ne!(with.groups, without.groups);
}

#[test]
fn a_group_serves_its_own_tickets_before_a_helper_takes_them() {
    // The desk (1 agent) triages every ticket for 6 minutes and passes it to `network` (1
    // agent), which the desk helps. Network's agent is busy a fifth of the time, so it
    // does most of the work, the desk's agent the rest (freed by the very triage that
    // passed the ticket on, it must not take it while network's agent is free: it did
    // 96% of the work when it did).
    let mut config = Config::mmc(0.2, 1.0, 1, Duration::days(60));
    config.classes[0].service = minutes(60);
    config.classes[0].reassign = Some(Reassign::new(1.0, "network", minutes(6)));
    config.groups = vec![GroupSpec::new("network", constant(1))];
    let without = both(&Model::new(config.clone()).unwrap(), 1);
    config.helps = helps(&[("desk", &["network"])]);
    let with = both(&Model::new(config).unwrap(), 1);
    let (u, v) = (without.groups[1].utilisation, with.groups[1].utilisation);
    assert!(
        v > 0.75 * u,
        "network's own agent did {v} of the work, {u} without help"
    );
    assert!(with.groups[0].utilisation > without.groups[0].utilisation);
}

/// Each group's report by name, so that runs listing the groups in other orders compare.
fn by_name(r: &RunReport) -> BTreeMap<String, itsm_sim::GroupReport> {
    r.groups
        .iter()
        .map(|g| (g.name.clone(), g.clone()))
        .collect()
}

#[test]
fn the_order_groups_are_listed_in_changes_nothing() {
    // `a` helps `b`, tickets come to `a` and are passed to `b`: one helper, so the rules
    // leave nothing to the order of `Config::groups`.
    let run = |order: [&str; 2]| {
        let mut config = Config::mmc(0.5, 1.0, 0, Duration::days(60));
        config.classes[0].group = Some("a".into());
        config.classes[0].reassign = Some(Reassign::new(1.0, "b", exp(3.0)));
        config.groups = order
            .iter()
            .map(|g| GroupSpec::new(*g, constant(1)))
            .collect();
        config.helps = helps(&[("a", &["b"])]);
        by_name(&both(&Model::new(config).unwrap(), 3))
    };
    assert_eq!(run(["a", "b"]), run(["b", "a"]));
    // `h` (the only agent) helps `y` before `x`; tickets come to `h` and are passed to `x`
    // after a triage, and to `y` directly: a freed agent of `h` takes `y`'s tickets first,
    // however the groups are listed.
    let run = |order: [&str; 3]| {
        let mut config = Config::mmc(0.3, 1.0, 0, Duration::days(60));
        config.classes[0].group = Some("h".into());
        config.classes[0].reassign = Some(Reassign::new(1.0, "x", minutes(10)));
        let mut y = ClassSpec::new(
            4,
            Arrivals::per_hour(0.4),
            exp(1.0),
            Duration::hours(1),
            Duration::hours(8),
        );
        y.group = Some("y".into());
        config.classes.push(y);
        config.groups = order
            .iter()
            .map(|g| GroupSpec::new(*g, constant(u32::from(*g == "h"))))
            .collect();
        config.helps = helps(&[("h", &["y", "x"])]);
        by_name(&both(&Model::new(config).unwrap(), 5))
    };
    let a = run(["x", "y", "h"]);
    assert_eq!(a, run(["h", "x", "y"]));
    assert_eq!(a, run(["y", "h", "x"]));
    assert!(a["y"].waits.mean_hours < a["x"].waits.mean_hours, "{a:?}");
}
