//! Resolver groups and reassignment: an exact timeline on both paths, a group alone is the
//! desk under another name, independent groups and a tandem of groups against Erlang C
//! (a Jackson network), triage interrupted by pre-emption and resumed without loss, and
//! the checks of the configuration.
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
    Arrivals, ClassSpec, Config, Discipline, Engine, Error, GroupSpec, Hold, Interval, Model,
    Reassign, Reopen, RunReport, ServiceTime, Staffing, simulate,
};

/// No waiting anywhere (200 agents in each group): every ticket is triaged at the desk for
/// 30 minutes, then passed to `network`, which works on it for an hour: resolved 90
/// minutes after its arrival.
fn escalated(resolution: Duration) -> Model {
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(7));
    config.groups = vec![GroupSpec::new("network", constant(200))];
    let class = &mut config.classes[0];
    class.arrivals = weekdays(2.0);
    class.service = minutes(60);
    class.resolution = resolution;
    class.reassign = Some(Reassign::new(1.0, "network", minutes(30)));
    Model::new(config).unwrap()
}

#[test]
fn a_ticket_passed_on_is_resolved_after_the_triage_and_the_work() {
    // Resolved at 90 minutes: a 90-minute target is reached exactly (breached, by the SLA
    // engine's rule), a 91-minute one met.
    for (target, met) in [(91, true), (90, false)] {
        let model = escalated(Duration::minutes(target));
        assert_eq!(model.groups().collect::<Vec<_>>(), ["desk", "network"]);
        let r = both(&model, 4);
        let c = &r.classes[0];
        assert!(r.arrivals > 200, "{}", r.arrivals);
        assert_eq!(r.reassigned, r.arrivals);
        assert_eq!(r.completed, r.arrivals);
        assert_eq!(c.resolution.met + c.resolution.breached, r.arrivals);
        if met {
            assert_eq!(c.resolution.breached, 0, "{target}: {:?}", c.resolution);
        } else {
            assert_eq!(c.resolution.met, 0, "{target}: {:?}", c.resolution);
        }
        // The response is the desk's: one per ticket, no wait.
        assert_eq!(c.waits.count, r.arrivals);
        assert_eq!(c.response.met, r.arrivals);
        let (desk, network) = (&r.groups[0], &r.groups[1]);
        assert_eq!(
            (desk.name.as_str(), network.name.as_str()),
            ("desk", "network")
        );
        assert_eq!((desk.reassigned_in, network.reassigned_in), (0, r.arrivals));
        // Each group starts each ticket once, at once.
        assert_eq!(desk.waits.count, r.arrivals);
        assert_eq!(network.waits.count, r.arrivals);
        assert_eq!(network.waits.max, Duration::zero());
        // Half an hour of the desk's time per ticket, an hour of the network's.
        let ratio = network.utilisation / desk.utilisation;
        assert!((ratio - 2.0).abs() < 1e-9, "{ratio}");
        let desk_hours = desk.utilisation * 200.0 * 168.0;
        assert!(
            (desk_hours - 0.5 * r.arrivals as f64).abs() < 1e-6,
            "{desk_hours}"
        );
    }
}

#[test]
fn a_group_alone_is_the_desk_under_another_name() {
    // Two classes with holds, reopens and pre-emption at a desk of three, against the same
    // classes routed to a group of three while the desk has nobody: the same run.
    let mut desk = Config::mmc(1.5, 1.0, 3, Duration::days(20));
    desk.discipline = Discipline::PreemptiveResume;
    desk.warmup = Duration::days(1);
    let mut urgent = desk.classes[0].clone();
    urgent.priority = 2;
    urgent.arrivals = Arrivals::per_hour(0.5);
    urgent.hold = Some(Hold::new(0.3, ServiceTime::exponential(Duration::hours(2))));
    desk.classes[0].reopen = Some(Reopen::new(
        0.2,
        ServiceTime::exponential(Duration::hours(5)),
        minutes(20),
    ));
    desk.classes.push(urgent);
    let mut group = desk.clone();
    group.staffing = constant(0);
    group.groups = vec![GroupSpec::new("only", constant(3))];
    for class in &mut group.classes {
        class.group = Some("only".into());
    }
    let (a, b) = (Model::new(desk).unwrap(), Model::new(group).unwrap());
    for seed in [1, 2, 3] {
        let (x, y) = (both(&a, seed), both(&b, seed));
        assert!(x.arrivals > 500 && x.reopened > 0, "{}", x.arrivals);
        assert_eq!(x.classes, y.classes);
        assert_eq!(x.waits, y.waits);
        assert_eq!(x.utilisation, y.utilisation);
        assert_eq!(x.backlog, y.backlog);
        assert_eq!(
            (x.arrivals, x.completed, x.reopened, x.queued, x.on_hold),
            (y.arrivals, y.completed, y.reopened, y.queued, y.on_hold)
        );
        assert_eq!(y.groups.len(), 2);
        assert_eq!(y.groups[0].waits.count, 0);
        assert_eq!(y.groups[0].utilisation, 0.0);
        assert_eq!(x.groups[0].waits, y.groups[1].waits);
        // Integrated per event for the desk alone, per change of the group among others:
        // equal but for rounding.
        let (u, v) = (x.groups[0].utilisation, y.groups[1].utilisation);
        assert!((u - v).abs() < 1e-12, "{u} {v}");
        assert_eq!(x.groups[0].utilisation, x.utilisation);
        // The desk's own waits are the classes' together here.
        assert_eq!(x.groups[0].waits, x.waits);
    }
}

/// The intervals of each group's mean wait over `reps` replications.
fn group_waits(model: &Model, reps: u64) -> Vec<Interval> {
    let runs: Vec<RunReport> = (1..=reps)
        .map(|seed| simulate(model, seed, Engine::Fast).unwrap())
        .collect();
    (0..model.groups().count())
        .map(|g| {
            let means: Vec<f64> = runs.iter().map(|r| r.groups[g].waits.mean_hours).collect();
            Interval::of(&means).unwrap()
        })
        .collect()
}

#[test]
fn two_groups_serving_their_own_classes_are_two_erlang_c_queues() {
    // Priority 2 to `apps` (2 an hour, an hour each, 3 agents), priority 3 to the desk
    // (3 an hour, 20 minutes each, 2 agents): neither delays the other, so each group's
    // wait is its own M/M/c's, also under pre-emptive priority (which only acts within a
    // group).
    for discipline in [Discipline::NonPreemptive, Discipline::PreemptiveResume] {
        let mut config = Config::mmc(3.0, 3.0, 2, Duration::hours(200 + 3000));
        config.warmup = Duration::hours(200);
        config.sample_every = Duration::hours(3000);
        config.discipline = discipline;
        config.groups = vec![GroupSpec::new("apps", constant(3))];
        let mut apps = ClassSpec::new(
            2,
            Arrivals::per_hour(2.0),
            exp(1.0),
            Duration::hours(1),
            Duration::hours(8),
        );
        apps.group = Some("apps".into());
        config.classes.push(apps);
        let model = Model::new(config).unwrap();
        let waits = group_waits(&model, 10);
        assert_erlang("desk", &waits[0], 3.0, 3.0, 2);
        assert_erlang("apps", &waits[1], 2.0, 1.0, 3);
    }
}

#[test]
fn a_tandem_of_groups_is_a_jackson_network() {
    // Every ticket triaged at the desk (exponential, 15 minutes, one agent), then worked by
    // the second line (exponential, an hour, three agents), at 2 an hour: by Burke's
    // theorem the desk's departures are Poisson, so each group waits as its own M/M/c.
    let mut config = Config::mmc(2.0, 1.0, 1, Duration::hours(200 + 3000));
    config.warmup = Duration::hours(200);
    config.sample_every = Duration::hours(3000);
    config.groups = vec![GroupSpec::new("second line", constant(3))];
    config.classes[0].reassign = Some(Reassign::new(1.0, "second line", exp(4.0)));
    let model = Model::new(config).unwrap();
    // The offered load counts the triage: 2 x (1 + 0.25).
    assert!(
        (model.offered_load() - 2.5).abs() < 1e-6,
        "{}",
        model.offered_load()
    );
    // The desk's: all the triage; the second line's: all the work.
    let loads = model.group_loads();
    assert!(
        (loads[0] - 0.5).abs() < 1e-6 && (loads[1] - 2.0).abs() < 1e-6,
        "{loads:?}"
    );
    let waits = group_waits(&model, 10);
    assert_erlang("desk", &waits[0], 2.0, 4.0, 1);
    assert_erlang("second line", &waits[1], 2.0, 1.0, 3);
}

#[test]
fn each_group_is_offered_the_work_it_does() {
    // 3 an hour, 30 minutes each, half of them back for 15 minutes more (37.5 minutes a
    // ticket on average); 40% passed on after 12 minutes' triage. The desk: 60% of the work
    // and 40% of the triage, 3 x (0.6 x 0.625 + 0.4 x 0.2) = 1.365; the network:
    // 3 x 0.4 x 0.625 = 0.75.
    let mut config = Config::mmc(3.0, 2.0, 4, Duration::days(1));
    config.groups = vec![GroupSpec::new("network", constant(2))];
    let class = &mut config.classes[0];
    class.reopen = Some(Reopen::new(0.5, minutes(60), minutes(15)));
    class.reassign = Some(Reassign::new(0.4, "network", minutes(12)));
    let model = Model::new(config).unwrap();
    let loads = model.group_loads();
    assert!((loads[0] - 1.365).abs() < 1e-9, "{loads:?}");
    assert!((loads[1] - 0.75).abs() < 1e-9, "{loads:?}");
    assert!((model.offered_load() - 2.115).abs() < 1e-9);
}

#[test]
fn triage_interrupted_by_an_urgent_ticket_resumes_where_it_stopped() {
    // One desk agent triages everything (15 minutes) under pre-emptive priority, two
    // classes; the second line has room for all. However often the urgent class interrupts
    // a triage, the desk's busy time is exactly 15 minutes a ticket (none lost, none done
    // twice), and the second line's an hour a ticket.
    let mut config = Config::mmc(0.6, 1.0, 1, Duration::days(7));
    config.discipline = Discipline::PreemptiveResume;
    config.groups = vec![GroupSpec::new("second line", constant(50))];
    config.classes[0].arrivals = weekdays(0.6);
    config.classes[0].service = minutes(60);
    config.classes[0].reassign = Some(Reassign::new(1.0, "second line", minutes(15)));
    let mut urgent = config.classes[0].clone();
    urgent.priority = 1;
    config.classes.push(urgent);
    let model = Model::new(config).unwrap();
    for seed in [1, 2, 3, 4] {
        let r = both(&model, seed);
        assert_eq!((r.reassigned, r.completed), (r.arrivals, r.arrivals));
        let desk_hours = r.groups[0].utilisation * 168.0;
        assert!(
            (desk_hours - 0.25 * r.arrivals as f64).abs() < 1e-6,
            "seed {seed}: {desk_hours} hours for {} tickets",
            r.arrivals
        );
        let second = r.groups[1].utilisation * 50.0 * 168.0;
        assert!((second - r.arrivals as f64).abs() < 1e-6, "{second}");
    }
}

#[test]
fn a_share_is_passed_on_and_holds_and_reopens_follow_the_ticket() {
    // 30% passed on; the second line holds and reopens some of what it resolves: those
    // come back to it, not to the desk (the desk's queue never sees them).
    let mut config = Config::mmc(3.0, 2.0, 4, Duration::days(30));
    config.groups = vec![GroupSpec::new("second line", constant(3))];
    let class = &mut config.classes[0];
    class.reassign = Some(Reassign::new(0.3, "second line", minutes(5)));
    class.hold = Some(Hold::new(0.5, ServiceTime::exponential(Duration::hours(1))));
    class.reopen = Some(Reopen::new(0.5, minutes(90), minutes(10)));
    let model = Model::new(config).unwrap();
    let r = both(&model, 11);
    let share = r.reassigned as f64 / r.arrivals as f64;
    // Binomial: 0.3 within five standard deviations.
    let sd = (0.3 * 0.7 / r.arrivals as f64).sqrt();
    assert!((share - 0.3).abs() < 5.0 * sd, "{share}");
    assert_eq!(r.groups[1].reassigned_in, r.reassigned);
    // The second line's first starts are exactly the tickets passed to it (a hold or
    // reopen there is a resumption, not a new wait), less those still waiting for it.
    assert!(r.groups[1].waits.count <= r.reassigned);
    assert!(r.groups[1].waits.count + 20 >= r.reassigned);
    assert!(r.reopened > 0 && r.on_hold + r.completed > 0);
}

#[test]
fn holds_and_reopens_come_back_to_the_group_that_has_the_ticket() {
    // Every ticket passed on after 30 minutes' triage, put on hold once by the network
    // group (an hour), resolved after an hour's work, reopened two hours later and worked
    // an hour more: all of that is the network group's time, none the desk's.
    let mut config = Config::mmc(2.0, 1.0, 200, Duration::days(7));
    config.groups = vec![GroupSpec::new("network", constant(200))];
    let class = &mut config.classes[0];
    class.arrivals = weekdays(2.0);
    class.service = minutes(60);
    class.reassign = Some(Reassign::new(1.0, "network", minutes(30)));
    class.hold = Some(Hold::new(1.0, minutes(60)));
    class.reopen = Some(Reopen::new(1.0, minutes(120), minutes(60)));
    let model = Model::new(config).unwrap();
    let r = both(&model, 8);
    assert_eq!((r.reassigned, r.reopened), (r.arrivals, r.arrivals));
    assert_eq!(r.completed, 2 * r.arrivals);
    let hours = |g: usize| r.groups[g].utilisation * 200.0 * 168.0;
    assert!(
        (hours(0) - 0.5 * r.arrivals as f64).abs() < 1e-6,
        "desk {}",
        hours(0)
    );
    assert!(
        (hours(1) - 2.0 * r.arrivals as f64).abs() < 1e-6,
        "network {}",
        hours(1)
    );
    // The network group's wait is measured once per ticket, when it first takes it.
    assert_eq!(r.groups[1].waits.count, r.arrivals);
}

fn refused(config: Config) -> Error {
    Model::new(config).unwrap_err()
}

#[test]
fn a_group_configuration_is_checked_with_one_error_per_cause() {
    let base = || {
        let mut config = Config::mmc(2.0, 1.0, 3, Duration::days(2));
        config.groups = vec![GroupSpec::new("network", constant(2))];
        config
    };
    // Names: twice, the desk's, empty.
    let mut c = base();
    c.groups.push(GroupSpec::new("network", constant(1)));
    assert_eq!(
        refused(c),
        Error::DuplicateGroup {
            group: "network".into()
        }
    );
    let mut c = base();
    c.groups.push(GroupSpec::new("desk", constant(1)));
    let e = refused(c);
    assert_eq!(
        e,
        Error::DuplicateGroup {
            group: "desk".into()
        }
    );
    assert!(e.to_string().contains("the desk is `desk`"), "{e}");
    let mut c = base();
    c.groups.push(GroupSpec::new(" ", constant(1)));
    assert!(matches!(refused(c), Error::BadGroup { reason, .. } if reason.contains("empty")));
    // Unknown names, as a class's group and as a reassignment's target.
    let mut c = base();
    c.classes[0].group = Some("netwrok".into());
    let e = refused(c);
    assert_eq!(
        e,
        Error::UnknownGroup {
            priority: 3,
            group: "netwrok".into(),
            known: "desk, network".into()
        }
    );
    let mut c = base();
    c.groups.push(GroupSpec::new("apps", constant(1)));
    c.classes[0].reassign = Some(Reassign::new(0.5, "dba", minutes(5)));
    // The groups listed as configured, the desk first.
    assert!(
        matches!(refused(c), Error::UnknownGroup { group, known, .. } if group == "dba" && known == "desk, network, apps")
    );
    // A reassignment: to its own first group, a share out of range, a bad triage.
    let mut c = base();
    c.classes[0].group = Some("network".into());
    c.classes[0].reassign = Some(Reassign::new(0.5, "network", minutes(5)));
    assert!(
        matches!(refused(c), Error::BadReassign { priority: 3, reason } if reason.contains("takes them first"))
    );
    for p in [-0.1, 1.5, f64::NAN] {
        let mut c = base();
        c.classes[0].reassign = Some(Reassign::new(p, "network", minutes(5)));
        assert!(
            matches!(refused(c), Error::BadReassign { reason, .. } if reason.contains("from 0 to 1")),
            "{p}"
        );
    }
    let mut c = base();
    c.classes[0].reassign = Some(Reassign::new(0.5, "network", minutes(-5)));
    assert!(
        matches!(refused(c), Error::BadReassign { reason, .. } if reason.contains("triage")),
        "{:?}",
        refused({
            let mut c = base();
            c.classes[0].reassign = Some(Reassign::new(0.5, "network", minutes(-5)));
            c
        })
    );
    // A group's staffing refused, named by the group; and no agent where tickets go.
    let mut c = base();
    c.groups[0].staffing = Staffing::Hourly { agents: vec![1; 5] };
    assert!(
        matches!(refused(c), Error::BadGroup { group, reason } if group == "network" && reason.contains("24"))
    );
    let mut c = base();
    c.groups[0].staffing = constant(0);
    c.classes[0].reassign = Some(Reassign::new(0.5, "network", minutes(5)));
    assert!(
        matches!(refused(c), Error::BadGroup { group, reason } if group == "network" && reason.contains("no agent"))
    );
    // An idle group with nobody, or a desk with nobody that no ticket reaches, is fine.
    let mut c = base();
    c.groups[0].staffing = constant(0);
    assert!(Model::new(c).is_ok());
    let mut c = base();
    c.staffing = constant(0);
    c.classes[0].group = Some("network".into());
    assert!(Model::new(c).is_ok());
    // But a desk without agents that tickets reach is refused by name, as a group is; and
    // a share of nought reaches nobody.
    let mut c = base();
    c.staffing = constant(0);
    assert!(
        matches!(refused(c), Error::BadGroup { group, reason } if group == "desk" && reason.contains("no agent"))
    );
    let mut c = base();
    c.groups[0].staffing = constant(0);
    c.classes[0].reassign = Some(Reassign::new(0.0, "network", minutes(5)));
    assert!(Model::new(c).is_ok());
    // Limits: the groups' agents add up; at most MAX_GROUPS groups.
    let mut c = base();
    c.staffing = constant(itsm_sim::MAX_AGENTS);
    c.groups.push(GroupSpec::new("apps", constant(5)));
    // Every group's counted, not only up to the one that crosses the limit.
    assert_eq!(
        refused(c),
        Error::TooManyAgents {
            agents: u64::from(itsm_sim::MAX_AGENTS) + 7,
            limit: itsm_sim::MAX_AGENTS
        }
    );
    let mut c = base();
    c.groups = (0..=itsm_sim::MAX_GROUPS)
        .map(|i| GroupSpec::new(format!("g{i}"), constant(1)))
        .collect();
    assert_eq!(
        refused(c),
        Error::TooManyGroups {
            groups: itsm_sim::MAX_GROUPS + 1,
            limit: itsm_sim::MAX_GROUPS
        }
    );
    // The most groups allowed run.
    let mut c = base();
    c.groups = (0..itsm_sim::MAX_GROUPS)
        .map(|i| GroupSpec::new(format!("g{i}"), constant(1)))
        .collect();
    c.classes[0].reassign = Some(Reassign::new(0.5, "g999", minutes(5)));
    let model = Model::new(c).unwrap();
    assert_eq!(model.max_agents(), 3 + itsm_sim::MAX_GROUPS as u32);
    let r = simulate(&model, 1, Engine::Fast).unwrap();
    assert_eq!(r.groups.len(), itsm_sim::MAX_GROUPS + 1);
    assert_eq!(r.groups[1000].reassigned_in, r.reassigned);
}

#[cfg(feature = "serde")]
#[test]
fn groups_read_from_json() {
    let json = r#"{
        "start": "2026-01-05T00:00:00Z",
        "horizon": "P2D",
        "classes": [{
            "priority": 3,
            "arrivals": {"poisson": {"rate": 2.0, "per": "PT1H"}},
            "service": {"exponential": {"mean": "PT30M"}},
            "response": "PT1H",
            "resolution": "PT8H",
            "reassign": {"probability": 0.3, "to": "network", "triage": {"exponential": {"mean": "PT10M"}}}
        }],
        "staffing": {"constant": {"agents": 3}},
        "groups": [{"name": "network", "staffing": {"constant": {"agents": 2}}}]
    }"#;
    let config: Config = serde_json::from_str(json).unwrap();
    assert_eq!(config.groups[0].name, "network");
    let model = Model::new(config.clone()).unwrap();
    assert!(simulate(&model, 1, Engine::Fast).unwrap().reassigned > 0);
    // And back.
    let again: Config = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    assert_eq!(again, config);
}

#[cfg(feature = "serde")]
#[test]
fn the_fuzz_seed_with_groups_is_a_model_that_passes_tickets_on() {
    // So that the fuzzer starts from a configuration that reaches the group code.
    let text = include_str!("../../../fuzz/corpus/sim_config/seed-groups.json");
    let config: Config = serde_json::from_str(text).unwrap();
    let model = Model::new(config).unwrap();
    assert_eq!(
        model.groups().collect::<Vec<_>>(),
        ["desk", "network", "dba"]
    );
    let r = both(&model, 0);
    assert!(r.reassigned > 0 && r.groups[2].reassigned_in > 0, "{r:?}");
}
