//! Tickets passed on more than once ([`Reassign::then`]): exact timelines on both paths
//! (two passes, a ticket bounced back, the most passes allowed), the shares of each pass,
//! each group's offered load, a three-stage tandem against Erlang C (a Jackson network),
//! the checks of the configuration and JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stderr
)]

mod common;
use common::{assert_erlang, both, constant, exp, minutes, weekdays};

use itsm_sim::chrono::Duration;
use itsm_sim::{
    Config, Engine, Error, GroupSpec, Hop, Interval, MAX_PASSES, Model, Reassign, RunReport,
    simulate,
};

/// A week from a Monday, 2 tickets an hour but on Sundays, an hour's work each, 200
/// agents in the desk and in each of `groups` (nobody waits), every ticket passed on as
/// `reassign` says.
fn roomy(groups: &[&str], resolution: Duration, reassign: Reassign) -> Model {
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(7));
    config.groups = groups
        .iter()
        .map(|g| GroupSpec::new(*g, constant(200)))
        .collect();
    let class = &mut config.classes[0];
    class.arrivals = weekdays(2.0);
    class.service = minutes(60);
    class.resolution = resolution;
    class.reassign = Some(reassign);
    Model::new(config).unwrap()
}

/// A group's busy hours in a week of 200 agents.
fn hours(r: &RunReport, group: usize) -> f64 {
    r.groups[group].utilisation * 200.0 * 168.0
}

#[test]
fn a_ticket_passed_on_twice_is_resolved_after_both_triages_and_the_work() {
    // The desk triages for 30 minutes and passes every ticket to `network`, which triages
    // for 20 and passes it to `database`, which works on it for an hour: resolved at 110
    // minutes. A 110-minute target is reached exactly (breached, by the SLA engine's rule),
    // a 111-minute one met.
    for (target, met) in [(111, true), (110, false)] {
        let reassign = Reassign::new(1.0, "network", minutes(30)).with_hop(Hop::new(
            1.0,
            "database",
            minutes(20),
        ));
        let model = roomy(
            &["network", "database"],
            Duration::minutes(target),
            reassign,
        );
        let r = both(&model, 3);
        let n = r.arrivals;
        assert!(n > 200, "{n}");
        assert_eq!((r.reassigned, r.completed), (2 * n, n));
        let c = &r.classes[0];
        if met {
            assert_eq!((c.resolution.met, c.resolution.breached), (n, 0));
        } else {
            assert_eq!((c.resolution.met, c.resolution.breached), (0, n));
        }
        // The response is the desk's, once per ticket.
        assert_eq!((c.waits.count, c.response.met), (n, n));
        let passed_in: Vec<u64> = r.groups.iter().map(|g| g.reassigned_in).collect();
        assert_eq!(passed_in, [0, n, n]);
        // Each group starts each ticket once, at once.
        for g in &r.groups {
            assert_eq!((g.waits.count, g.waits.max), (n, Duration::zero()), "{g:?}");
        }
        // Half an hour of the desk's time per ticket, a third of an hour of the network's,
        // an hour of the database group's.
        for (group, each) in [(0, 0.5), (1, 1.0 / 3.0), (2, 1.0)] {
            let h = hours(&r, group);
            assert!((h - each * n as f64).abs() < 1e-6, "group {group}: {h}");
        }
    }
}

#[test]
fn a_ticket_bounced_back_is_worked_by_the_group_it_left() {
    // Misrouted: the desk triages for 30 minutes and passes every ticket to `network`,
    // which looks for 10 minutes and sends it back; the desk then does the hour's work.
    let reassign =
        Reassign::new(1.0, "network", minutes(30)).with_hop(Hop::new(1.0, "desk", minutes(10)));
    let model = roomy(&["network"], Duration::hours(8), reassign);
    let r = both(&model, 5);
    let n = r.arrivals;
    assert_eq!((r.reassigned, r.completed), (2 * n, n));
    assert_eq!(
        (r.groups[0].reassigned_in, r.groups[1].reassigned_in),
        (n, n)
    );
    // The desk's wait is measured each time the ticket comes to it; the response once.
    assert_eq!(
        (r.groups[0].waits.count, r.groups[1].waits.count),
        (2 * n, n)
    );
    assert_eq!(r.classes[0].waits.count, n);
    let (desk, network) = (hours(&r, 0), hours(&r, 1));
    assert!((desk - 1.5 * n as f64).abs() < 1e-6, "{desk}");
    assert!((network - n as f64 / 6.0).abs() < 1e-6, "{network}");
    // The desk is offered its triage and the work, the network group its look.
    let loads = model.group_loads();
    let rate = model.expected_arrivals() / 168.0;
    assert!((loads[0] - rate * 1.5).abs() < 1e-9, "{loads:?}");
    assert!((loads[1] - rate / 6.0).abs() < 1e-9, "{loads:?}");
}

#[test]
fn the_most_passes_allowed_ping_pong_to_the_end() {
    // Passed between the desk and `network` MAX_PASSES times, a minute's triage each time,
    // then worked for an hour by the group it ends with (the desk: an even count).
    let mut reassign = Reassign::new(1.0, "network", minutes(1));
    for pass in 2..=MAX_PASSES {
        let to = if pass % 2 == 0 { "desk" } else { "network" };
        reassign = reassign.with_hop(Hop::new(1.0, to, minutes(1)));
    }
    let passes = MAX_PASSES as u64;
    let target = Duration::minutes(60 + passes as i64 + 1);
    let model = roomy(&["network"], target, reassign);
    let r = both(&model, 7);
    let n = r.arrivals;
    assert_eq!(r.reassigned, passes * n);
    assert_eq!(
        (r.groups[0].reassigned_in, r.groups[1].reassigned_in),
        (passes / 2 * n, passes / 2 * n)
    );
    assert_eq!(r.classes[0].resolution.met, n);
    let desk = hours(&r, 0);
    let expected = (passes / 2) as f64 / 60.0 + 1.0;
    assert!((desk - expected * n as f64).abs() < 1e-6, "{desk}");
}

#[test]
fn each_pass_takes_its_share_of_the_tickets_that_came_through_the_one_before() {
    // Half passed to `network`; of those, 40% passed on to `database`: a fifth of all.
    let reassign =
        Reassign::new(0.5, "network", minutes(5)).with_hop(Hop::new(0.4, "database", minutes(5)));
    let model = roomy(&["network", "database"], Duration::hours(8), reassign);
    let r = both(&model, 9);
    let n = r.arrivals as f64;
    let (network, database) = (r.groups[1].reassigned_in, r.groups[2].reassigned_in);
    assert_eq!(r.reassigned, network + database);
    // Binomial: each share within five standard deviations.
    for (count, p) in [(network, 0.5), (database, 0.2)] {
        let sd = (p * (1.0 - p) / n).sqrt();
        let share = count as f64 / n;
        assert!((share - p).abs() < 5.0 * sd, "{share} vs {p}");
    }
    // Every ticket is worked once, wherever it ends.
    let work: f64 = (0..3).map(|g| hours(&r, g)).sum();
    let triage = (network + database) as f64 * 5.0 / 60.0;
    assert!((work - triage - n).abs() < 1e-6, "{work}");
}

#[test]
fn each_group_is_offered_its_triage_and_its_work() {
    // 3 an hour, 30 minutes' work each; 40% passed to `network` after 12 minutes' triage,
    // of those 25% passed on to `database` after 6 minutes more. The desk: 60% worked and
    // 40% triaged, 3 x (0.6 x 0.5 + 0.4 x 0.2) = 1.14; the network: 30% worked and 10%
    // triaged, 3 x (0.3 x 0.5 + 0.1 x 0.1) = 0.48; the database group: 10% worked, 0.15.
    let mut config = Config::mmc(3.0, 2.0, 4, Duration::days(1));
    config.groups = vec![
        GroupSpec::new("network", constant(2)),
        GroupSpec::new("database", constant(1)),
    ];
    config.classes[0].reassign = Some(
        Reassign::new(0.4, "network", minutes(12)).with_hop(Hop::new(0.25, "database", minutes(6))),
    );
    let model = Model::new(config).unwrap();
    let loads = model.group_loads();
    for (load, expected) in loads.iter().zip([1.14, 0.48, 0.15]) {
        assert!((load - expected).abs() < 1e-9, "{loads:?}");
    }
    assert!((model.offered_load() - 1.77).abs() < 1e-9);
}

#[test]
fn a_tandem_of_three_groups_is_a_jackson_network() {
    // Every ticket triaged at the desk (15 minutes, one agent), then by `network` (20
    // minutes, one agent), then worked by `database` (an hour, three agents), at 2 an hour,
    // all exponential: by Burke's theorem each stage's departures are Poisson, so each
    // group waits as its own M/M/c.
    let mut config = Config::mmc(2.0, 1.0, 1, Duration::hours(200 + 3000));
    config.warmup = Duration::hours(200);
    config.sample_every = Duration::hours(3000);
    config.groups = vec![
        GroupSpec::new("network", constant(1)),
        GroupSpec::new("database", constant(3)),
    ];
    config.classes[0].reassign =
        Some(Reassign::new(1.0, "network", exp(4.0)).with_hop(Hop::new(1.0, "database", exp(3.0))));
    let model = Model::new(config).unwrap();
    let loads = model.group_loads();
    for (load, expected) in loads.iter().zip([0.5, 2.0 / 3.0, 2.0]) {
        assert!((load - expected).abs() < 1e-6, "{loads:?}");
    }
    let runs: Vec<RunReport> = (1..=10)
        .map(|seed| simulate(&model, seed, Engine::Fast).unwrap())
        .collect();
    let wait = |g: usize| {
        let means: Vec<f64> = runs.iter().map(|r| r.groups[g].waits.mean_hours).collect();
        Interval::of(&means).unwrap()
    };
    assert_erlang("desk", &wait(0), 2.0, 4.0, 1);
    assert_erlang("network", &wait(1), 2.0, 3.0, 1);
    assert_erlang("database", &wait(2), 2.0, 1.0, 3);
}

fn refused(reassign: Reassign) -> Error {
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.groups = vec![
        GroupSpec::new("network", constant(2)),
        GroupSpec::new("database", constant(1)),
    ];
    config.classes[0].reassign = Some(reassign);
    Model::new(config).unwrap_err()
}

fn reason(e: Error) -> String {
    match e {
        Error::BadReassign {
            priority: 3,
            reason,
        } => reason,
        other => panic!("{other:?}"),
    }
}

#[test]
fn further_passes_are_checked_with_one_error_per_cause() {
    let first = || Reassign::new(0.5, "network", minutes(5));
    // Back to the group the ticket is with.
    let e = reason(refused(first().with_hop(Hop::new(
        0.5,
        "network",
        minutes(5),
    ))));
    assert_eq!(
        e,
        "pass 2 (`then`) passes tickets to `network`, the group they are with after pass 1; name another group"
    );
    let twice = first()
        .with_hop(Hop::new(0.5, "database", minutes(5)))
        .with_hop(Hop::new(0.5, "database", minutes(5)));
    assert!(reason(refused(twice)).starts_with("pass 3 (`then`) passes tickets to `database`"));
    // A share out of range, a triage that cannot be used, a group nobody configured.
    let e = reason(refused(first().with_hop(Hop::new(
        1.5,
        "database",
        minutes(5),
    ))));
    assert_eq!(
        e,
        "pass 2 (`then`): the probability 1.5 must be a number from 0 to 1"
    );
    let e = reason(refused(first().with_hop(Hop::new(
        0.5,
        "database",
        minutes(-5),
    ))));
    assert!(e.starts_with("its pass 2's triage: "), "{e}");
    assert!(matches!(
        refused(first().with_hop(Hop::new(0.5, "dba", minutes(5)))),
        Error::UnknownGroup { group, .. } if group == "dba"
    ));
    // One pass too many.
    let mut long = first();
    for pass in 2..=MAX_PASSES + 1 {
        let to = if pass % 2 == 0 { "desk" } else { "network" };
        long = long.with_hop(Hop::new(0.5, to, minutes(5)));
    }
    assert_eq!(
        reason(refused(long.clone())),
        format!(
            "it passes a ticket on {} times (its `then` lists {}); at most {MAX_PASSES} passes are allowed",
            MAX_PASSES + 1,
            MAX_PASSES
        )
    );
    // Counted before any name is looked up: an unknown group in a list too long is the
    // length's error.
    long.then[2].to = "dba".into();
    assert!(reason(refused(long)).starts_with("it passes a ticket on 17 times"));
}

#[test]
fn a_group_reached_only_by_a_share_of_nought_needs_no_agents() {
    // `database` has nobody: refused when a pass can reach it, accepted when the pass
    // before it takes nobody.
    let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
    config.groups = vec![
        GroupSpec::new("network", constant(2)),
        GroupSpec::new("database", constant(0)),
    ];
    let reassign = |first: f64| {
        Reassign::new(first, "network", minutes(5)).with_hop(Hop::new(0.5, "database", minutes(5)))
    };
    config.classes[0].reassign = Some(reassign(0.5));
    assert!(matches!(
        Model::new(config.clone()).unwrap_err(),
        Error::BadGroup { group, .. } if group == "database"
    ));
    config.classes[0].reassign = Some(reassign(0.0));
    let r = both(&Model::new(config).unwrap(), 1);
    assert_eq!(r.reassigned, 0);
}

#[cfg(feature = "serde")]
#[test]
fn further_passes_read_from_json() {
    let json = r#"{
        "start": "2026-01-05T00:00:00Z",
        "horizon": "P2D",
        "classes": [{
            "priority": 3,
            "arrivals": {"poisson": {"rate": 2.0, "per": "PT1H"}},
            "service": {"exponential": {"mean": "PT30M"}},
            "response": "PT1H",
            "resolution": "PT8H",
            "reassign": {"probability": 0.5, "to": "network",
                "triage": {"exponential": {"mean": "PT10M"}},
                "then": [{"probability": 0.5, "to": "database", "triage": {"deterministic": {"value": "PT5M"}}}]}
        }],
        "staffing": {"constant": {"agents": 3}},
        "groups": [{"name": "network", "staffing": {"constant": {"agents": 2}}},
                   {"name": "database", "staffing": {"constant": {"agents": 1}}}]
    }"#;
    let config: Config = serde_json::from_str(json).unwrap();
    let then = &config.classes[0].reassign.as_ref().unwrap().then;
    assert_eq!(then, &[Hop::new(0.5, "database", minutes(5))]);
    let model = Model::new(config.clone()).unwrap();
    let r = simulate(&model, 1, Engine::Fast).unwrap();
    assert!(r.groups[2].reassigned_in > 0, "{r:?}");
    // And back; without passes after the first, no `then` is written.
    let again: Config = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    assert_eq!(again, config);
    let once = serde_json::to_string(&Reassign::new(0.5, "network", minutes(5))).unwrap();
    assert!(!once.contains("then"), "{once}");
}

#[cfg(feature = "serde")]
#[test]
fn the_fuzz_seed_with_passes_passes_tickets_on_more_than_once() {
    // So that the fuzzer starts from a configuration that reaches the further passes: the
    // priority-3 class goes from the desk to `network`, then to `dba`, then back to the desk.
    let text = include_str!("../../../fuzz/corpus/sim_config/seed-passes.json");
    let config: Config = serde_json::from_str(text).unwrap();
    assert_eq!(config.classes[1].reassign.as_ref().unwrap().then.len(), 2);
    let model = Model::new(config).unwrap();
    let r = both(&model, 0);
    // Only the third pass goes to the desk.
    assert!(r.groups[0].reassigned_in > 0, "{:?}", r.groups);
}
