//! `staffing` with quick settings: the built-in model's table pinned line for line (the run
//! is seeded, so the figures are exact), the SVG written where it says; and, with the real
//! UCI log (found through `ITSM_DATA`, see README, Real data; the test says it skipped
//! without it, and `ITSM_REQUIRE_DATA=1` makes that a failure), the estimated rates and the
//! table.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::Command;

fn run(log: Option<PathBuf>, out: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_staffing"));
    command
        .env_remove("ITSM_DATA")
        .args(["--quick", "--out"])
        .arg(out)
        .args(extra);
    if let Some(log) = log {
        command.arg(log);
    }
    let output = command.output().expect("staffing runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn out(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn check_svg(path: &std::path::Path, lines: usize) {
    let svg = std::fs::read_to_string(path).expect("the plot is written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<polyline").count(), lines);
    assert!(svg.contains("SLA attainment"));
}

#[test]
fn staffing_sweeps_the_built_in_model() {
    let svg = out("staffing-built-in.svg");
    let lines = run(None, &svg, &[]);
    let expected = [
        "model: built-in (no log given and ITSM_DATA unset)",
        "arrivals per hour: p1 0.0500, p2 0.1500, p3 2.2000, p4 0.1000 (total 2.5000)",
        "assumed (lognormal work, sigma 0.8): p1 work median 90 min, response PT15M, resolution PT4H; p2 work median 60 min, response PT1H, resolution PT8H; p3 work median 40 min, response PT4H, resolution P1D; p4 work median 30 min, response PT8H, resolution P3D",
        "offered load: 2.40 agents (the desk needs more than this on duty)",
        "runs: 2 weeks after 2 days of warm-up, seeds 1-2, path full (itsm-incident decide/evolve and itsm-sla clocks per ticket), agents around the clock, non-pre-emptive (an agent finishes the ticket in hand)",
        "",
        "agents    util   mean wait    p90 wait   p1 resp   p2 resp   p3 resp   p4 resp  resolution",
        "     1  100.0%     119.1 h     208.6 h     25.0%     57.8%      0.0%      0.0%        7.8%",
        "     2  100.0%      26.5 h      54.1 h     50.0%     86.3%      0.0%      0.0%       42.8%",
        "     3   80.7%    62.9 min       2.8 h     75.0%     98.0%     95.1%     83.3%       99.8%",
        "     4   60.6%     8.0 min    28.0 min     80.6%    100.0%     99.9%    100.0%       99.8%",
        "     5   48.5%     1.7 min     0.9 min    100.0%    100.0%    100.0%    100.0%       99.8%",
        "     6   40.4%     0.3 min     0.0 min    100.0%    100.0%    100.0%    100.0%       99.8%",
        "     7   34.6%     0.0 min     0.0 min    100.0%    100.0%    100.0%    100.0%       99.8%",
        "",
        "fewest agents meeting every response target 90% of the time: 5",
    ];
    assert_eq!(lines[..expected.len()], expected[..]);
    assert_eq!(lines[expected.len()], format!("plot: {}", svg.display()));
    assert_eq!(lines.len(), expected.len() + 1);
    // Four response lines and the resolution line.
    check_svg(&svg, 5);
}

#[test]
fn with_preemption_the_built_in_desk_needs_one_agent_fewer() {
    // The same tickets (the same seeds); an urgent arrival interrupts less urgent work, so
    // priority 1 is answered in time with four agents (80.6% without pre-emption).
    let svg = out("staffing-preemptive.svg");
    let lines = run(None, &svg, &["--preemptive"]);
    assert_eq!(
        lines[4],
        "runs: 2 weeks after 2 days of warm-up, seeds 1-2, path full (itsm-incident decide/evolve and itsm-sla clocks per ticket), agents around the clock, pre-emptive priority (an urgent arrival interrupts less urgent work)"
    );
    assert!(lines.contains(
        &"     4   60.6%     7.5 min    26.1 min    100.0%    100.0%     99.9%    100.0%       99.8%"
            .to_owned()
    ));
    assert!(
        lines
            .contains(&"fewest agents meeting every response target 90% of the time: 4".to_owned())
    );
    check_svg(&svg, 5);
}

#[test]
fn reopens_add_work_to_the_built_in_desk() {
    // 2% of tickets come back a day later for half the work again: the same arrivals (the
    // same seeds), a little more load, utilisation and waiting at each level.
    let svg = out("staffing-reopen.svg");
    let lines = run(None, &svg, &["--reopen"]);
    assert_eq!(
        lines[3],
        "reopens: 2% of each priority (assumed); after an exponential delay of mean P1D (assumed); half the median work again, a new resolution cycle each"
    );
    assert_eq!(
        lines[4],
        "offered load: 2.42 agents (the desk needs more than this on duty)"
    );
    // Without reopens: "     4   60.6%     8.0 min    28.0 min ...".
    assert!(lines.contains(
        &"     4   61.2%     8.6 min    29.0 min     80.6%    100.0%     99.9%    100.0%       99.8%"
            .to_owned()
    ));
    check_svg(&svg, 5);
}

#[test]
fn a_second_line_takes_the_work_the_desk_passes_on() {
    // 40% of the tickets passed on after ten minutes' triage: the desk's load falls from
    // 2.40 to 1.67 agents, so four desk agents answer every priority in time (five
    // without a second line), while the second line, staffed for 80%, works the rest.
    let svg = out("staffing-second-line.svg");
    let lines = run(None, &svg, &["--second-line"]);
    assert_eq!(
        lines[3],
        "second line: 40% of each priority (assumed) passed on after a triage of median 10 min (assumed), the whole work done there"
    );
    assert_eq!(
        lines[4],
        "offered load: 2.63 agents, of which the desk 1.67 and the second line 0.96 (staffed with 2)"
    );
    assert_eq!(
        lines[7],
        "agents    util   mean wait    p90 wait   p1 resp   p2 resp   p3 resp   p4 resp  resolution  2nd util    2nd wait"
    );
    assert!(lines.contains(
        &"     3   57.2%     9.5 min    33.1 min     88.9%    100.0%    100.0%    100.0%       99.8%     46.7%    15.6 min"
            .to_owned()
    ));
    assert!(
        lines
            .contains(&"fewest agents meeting every response target 90% of the time: 4".to_owned())
    );
    // Told how many: a second line of one is busier and keeps tickets waiting longer.
    let lines = run(None, &svg, &["--second-line-agents", "1"]);
    assert!(lines[4].ends_with("(staffed with 1)"), "{}", lines[4]);
    let row = lines.iter().find(|l| l.starts_with("     3 ")).unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    let util: f64 = cells[cells.len() - 3]
        .trim_end_matches('%')
        .parse()
        .unwrap();
    assert!(util > 80.0, "{row}");
    check_svg(&svg, 5);
}

#[test]
fn tickets_sent_back_from_the_second_line_load_the_desk() {
    // 15% of the tickets passed on come back after the second line's look: the desk is
    // offered more (1.81 agents against 1.67) and the second line less (0.85 against 0.96).
    let svg = out("staffing-bounce-back.svg");
    let lines = run(None, &svg, &["--bounce-back"]);
    assert_eq!(
        lines[3],
        "second line: 40% of each priority (assumed) passed on after a triage of median 10 min (assumed), the work done there unless sent back"
    );
    assert_eq!(
        lines[4],
        "sent back: 15% of those passed on (assumed) back to the desk after a look of median 10 min in the second line (assumed), the work then done at the desk"
    );
    assert_eq!(
        lines[5],
        "offered load: 2.66 agents, of which the desk 1.81 and the second line 0.85 (staffed with 2)"
    );
    assert!(lines.contains(
        &"     3   62.3%    13.8 min    49.8 min     86.1%    100.0%    100.0%    100.0%       99.8%     40.8%     9.4 min"
            .to_owned()
    ));
    assert!(
        lines
            .contains(&"fewest agents meeting every response target 90% of the time: 4".to_owned())
    );
    check_svg(&svg, 5);
}

#[test]
fn a_second_line_that_also_takes_desk_tickets_saves_a_desk_agent() {
    // The second line's two agents (staffed for 80% of their own load) take desk tickets
    // whenever none of their own wait: three desk agents answer every priority in time
    // instead of four, and the second line is busier, its own tickets waiting longer.
    let svg = out("staffing-shared.svg");
    let lines = run(None, &svg, &["--shared"]);
    assert_eq!(
        lines[4],
        "shared: the second line's agents also take the desk's tickets whenever none of their own wait"
    );
    assert!(lines.contains(
        &"     3   50.4%     1.9 min     3.8 min    100.0%    100.0%    100.0%    100.0%       99.8%     57.1%    18.8 min"
            .to_owned()
    ));
    assert!(
        lines
            .contains(&"fewest agents meeting every response target 90% of the time: 3".to_owned())
    );
    check_svg(&svg, 5);
    // Not with pre-emption, refused by name.
    let output = Command::new(env!("CARGO_BIN_EXE_staffing"))
        .env_remove("ITSM_DATA")
        .args(["--quick", "--shared", "--preemptive"])
        .output()
        .expect("staffing runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("--shared is not simulated with --preemptive"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn staffing_estimates_rates_from_the_uci_log() {
    let Some(log) = itsm_examples::real_data::locate(
        "staffing_estimates_rates_from_the_uci_log",
        "uci-incident-event-log/incident_event_log.csv",
    ) else {
        return;
    };
    let svg = out("staffing-uci.svg");
    let lines = run(Some(log.clone()), &svg, &[]);
    assert_eq!(
        lines[0],
        format!(
            "model: arrival rates from {} (24918 incidents opened 2016-02-29 to 2017-02-16)",
            log.display()
        )
    );
    let expected = [
        "arrivals per hour: p1 0.0218, p2 0.0367, p3 2.7909, p4 0.0873 (total 2.9367)",
        "assumed (lognormal work, sigma 0.8): p1 work median 90 min, response PT15M, resolution PT4H; p2 work median 60 min, response PT1H, resolution PT8H; p3 work median 40 min, response PT4H, resolution P1D; p4 work median 30 min, response PT8H, resolution P3D",
        "offered load: 2.72 agents (the desk needs more than this on duty)",
        "runs: 2 weeks after 2 days of warm-up, seeds 1-2, path full (itsm-incident decide/evolve and itsm-sla clocks per ticket), agents around the clock, non-pre-emptive (an agent finishes the ticket in hand)",
        "",
        "agents    util   mean wait    p90 wait   p1 resp   p2 resp   p3 resp   p4 resp  resolution",
        "     1  100.0%     140.8 h     219.4 h     33.3%     77.4%      0.0%      0.0%        2.3%",
        "     2  100.0%      51.3 h      94.6 h     41.7%     93.5%      0.0%      0.0%       16.7%",
        "     3   91.4%       3.0 h       5.8 h     41.7%     96.8%     82.1%     47.9%       99.1%",
        "     4   69.4%    17.8 min    57.0 min     66.7%    100.0%    100.0%     97.2%      100.0%",
        "     5   55.6%     4.1 min    14.5 min     83.3%    100.0%    100.0%    100.0%      100.0%",
        "     6   46.4%     1.0 min     0.0 min     91.7%    100.0%    100.0%    100.0%      100.0%",
        "     7   39.8%     0.3 min     0.0 min    100.0%    100.0%    100.0%    100.0%      100.0%",
        "",
        "fewest agents meeting every response target 90% of the time: 6",
    ];
    assert_eq!(lines[1..=expected.len()], expected[..]);
    check_svg(&svg, 5);

    // The log's weekly profile: the same mean, peaks of 16 an hour, and 5 agents no longer do.
    let lines = run(Some(log.clone()), &svg, &["--profile"]);
    assert_eq!(
        lines[1],
        "arrivals: by hour of the week (UTC), from 0.16 to 15.96 an hour"
    );
    assert_eq!(
        lines[2],
        "arrivals per hour: p1 0.0217, p2 0.0365, p3 2.7784, p4 0.0869 (total 2.9234)"
    );
    assert!(lines.contains(
        &"     5   52.4%       2.8 h       6.7 h     87.5%    100.0%     73.5%     43.5%       99.9%"
            .to_owned()
    ));
    assert!(lines.contains(
        &"fewest agents meeting every response target 90% of the time: more than 7".to_owned()
    ));

    // The log's reopens (a resolved row followed by an open one; the same 275 incidents as
    // the log's own reopen_count column counts), and their delays as they are.
    let lines = run(Some(log.clone()), &svg, &["--reopen"]);
    assert_eq!(
        lines[3],
        "reopens: p1 0.54% (1 of 185), p2 0.32% (1 of 311), p3 1.15% (272 of 23681), p4 0.13% (1 of 741); after the log's delays (median 6.0 h of 275); half the median work again, a new resolution cycle each"
    );

    // The log's reassignments: incidents whose assignment group changed.
    let lines = run(Some(log.clone()), &svg, &["--second-line"]);
    assert_eq!(
        lines[3],
        "second line: p1 58.9% (109 of 185), p2 56.3% (175 of 311), p3 38.2% (9046 of 23681), p4 33.1% (245 of 741) passed on after a triage of median 10 min (assumed), the whole work done there"
    );
    assert_eq!(
        lines[4],
        "offered load: 2.98 agents, of which the desk 1.92 and the second line 1.05 (staffed with 2)"
    );

    // And those sent back: passed on, then to their first group again (A, B, A).
    let lines = run(Some(log), &svg, &["--bounce-back"]);
    assert_eq!(
        lines[4],
        "sent back: p1 16.5% (18 of 109), p2 12.0% (21 of 175), p3 16.7% (1509 of 9046), p4 14.7% (36 of 245) back to the desk after a look of median 10 min in the second line (assumed), the work then done at the desk"
    );
    assert_eq!(
        lines[5],
        "offered load: 3.02 agents, of which the desk 2.10 and the second line 0.92 (staffed with 2)"
    );
    assert!(
        lines
            .contains(&"fewest agents meeting every response target 90% of the time: 5".to_owned())
    );
}

#[test]
fn a_profile_needs_a_log() {
    let output = Command::new(env!("CARGO_BIN_EXE_staffing"))
        .env_remove("ITSM_DATA")
        .args(["--quick", "--profile"])
        .output()
        .expect("staffing runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--profile needs a log"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn an_agent_count_that_is_not_one_is_refused_by_name() {
    for (args, says) in [
        (
            &["--second-line-agents", "0"][..],
            "--second-line-agents needs a whole number of agents from 1, not `0`",
        ),
        (
            &["--max-agents", "two"][..],
            "--max-agents needs a whole number of agents from 1, not `two`",
        ),
        (
            &["--max-agents"][..],
            "--max-agents needs a number of agents",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_staffing"))
            .env_remove("ITSM_DATA")
            .args(args)
            .output()
            .expect("staffing runs");
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}
