//! Lifecycles as data: the checked constructor, conformance of observed sequences, the
//! Mermaid diagram and bounded exploration.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::Error;
use itsm_core::{
    Category, Conformance, Lifecycle, LifecycleProblem, StateSpec, Step, TransitionSpec, Verdict,
    explore,
};

/// The commands of [`incident`], in the order `explore` indexes them.
const ALPHABET: [&str; 9] = [
    "start",
    "hold",
    "resume",
    "caller_update",
    "resolve",
    "close",
    "reopen",
    "cancel",
    "assign",
];

/// A ServiceNow-like incident lifecycle. The table is deliberately not in state order, holds
/// a self-loop (`assign`), an edge with two commands (`resume`, `caller_update`) and one
/// transition listed twice.
fn incident() -> Lifecycle {
    Lifecycle::new(
        "incident",
        vec![
            StateSpec::initial("new", Category::New),
            StateSpec::new("in_progress", Category::Open),
            StateSpec::new("on_hold", Category::Pending),
            StateSpec::new("resolved", Category::Resolved),
            StateSpec::new("closed", Category::Closed).terminal(),
            StateSpec::new("canceled", Category::Canceled).terminal(),
        ],
        vec![
            TransitionSpec::new("resolved", "reopen", "in_progress"),
            TransitionSpec::new("new", "start", "in_progress"),
            TransitionSpec::new("new", "hold", "on_hold"),
            TransitionSpec::new("new", "resolve", "resolved"),
            TransitionSpec::new("new", "cancel", "canceled"),
            TransitionSpec::new("in_progress", "assign", "in_progress"),
            TransitionSpec::new("in_progress", "hold", "on_hold"),
            TransitionSpec::new("in_progress", "resolve", "resolved"),
            TransitionSpec::new("in_progress", "cancel", "canceled"),
            TransitionSpec::new("on_hold", "resume", "in_progress"),
            TransitionSpec::new("on_hold", "caller_update", "in_progress"),
            TransitionSpec::new("on_hold", "resume", "in_progress"),
            TransitionSpec::new("on_hold", "resolve", "resolved"),
            TransitionSpec::new("resolved", "close", "closed"),
        ],
    )
    .unwrap()
}

fn accepted(commands: &[&str]) -> Verdict {
    Verdict::Accepted(commands.iter().map(|c| (*c).to_owned()).collect())
}

fn step(index: usize, from: &str, to: &str, verdict: Verdict) -> Step {
    Step {
        index,
        from: from.into(),
        to: to.into(),
        verdict,
    }
}

fn problems(result: Result<Lifecycle, Error>) -> Vec<LifecycleProblem> {
    match result {
        Err(Error::InvalidLifecycle {
            lifecycle,
            problems,
        }) => {
            assert_eq!(lifecycle, "x");
            problems
        }
        other => panic!("expected an invalid lifecycle, got {other:?}"),
    }
}

#[test]
fn a_state_listed_twice_is_refused() {
    let found = problems(Lifecycle::new(
        "x",
        vec![
            StateSpec::initial("a", Category::New),
            StateSpec::new("b", Category::Closed).terminal(),
            StateSpec::new("a", Category::Closed),
        ],
        vec![TransitionSpec::new("a", "go", "b")],
    ));
    assert_eq!(
        found,
        [LifecycleProblem::DuplicateState { state: "a".into() }]
    );
}

#[test]
fn a_transition_to_or_from_an_unknown_state_is_refused() {
    let states = || {
        vec![
            StateSpec::initial("a", Category::New),
            StateSpec::new("b", Category::Closed).terminal(),
        ]
    };
    assert_eq!(
        problems(Lifecycle::new(
            "x",
            states(),
            vec![
                TransitionSpec::new("a", "go", "c"),
                TransitionSpec::new("a", "end", "b")
            ]
        )),
        [LifecycleProblem::UnknownState {
            command: "go".into(),
            state: "c".into()
        }]
    );
    assert_eq!(
        problems(Lifecycle::new(
            "x",
            states(),
            vec![
                TransitionSpec::new("a", "go", "b"),
                TransitionSpec::new("z", "back", "a"),
            ]
        )),
        [LifecycleProblem::UnknownState {
            command: "back".into(),
            state: "z".into()
        }]
    );
}

#[test]
fn a_lifecycle_needs_an_initial_and_a_terminal_state() {
    assert_eq!(
        problems(Lifecycle::new(
            "x",
            vec![StateSpec::new("a", Category::New).terminal()],
            vec![]
        )),
        [LifecycleProblem::NoInitialState]
    );
    assert_eq!(
        problems(Lifecycle::new("x", vec![], vec![])),
        [
            LifecycleProblem::NoInitialState,
            LifecycleProblem::NoTerminalState
        ]
    );
    assert_eq!(
        problems(Lifecycle::new(
            "x",
            vec![StateSpec::initial("a", Category::New)],
            vec![]
        )),
        [LifecycleProblem::NoTerminalState]
    );
}

/// Every problem at once: an unreachable state, a dead end (a loop with no way out), an
/// ambiguous command and an unknown state, in the documented order.
#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(Lifecycle::new(
        "x",
        vec![
            StateSpec::initial("new", Category::New),
            StateSpec::new("work", Category::Open),
            StateSpec::new("limbo", Category::Pending),
            StateSpec::new("orphan", Category::Open),
            StateSpec::new("done", Category::Closed).terminal(),
        ],
        vec![
            TransitionSpec::new("new", "start", "work"),
            TransitionSpec::new("work", "finish", "done"),
            TransitionSpec::new("work", "wait", "limbo"),
            TransitionSpec::new("work", "wait", "nowhere"),
            TransitionSpec::new("limbo", "wait", "limbo"),
            TransitionSpec::new("orphan", "finish", "done"),
            // The same transition twice is not ambiguous.
            TransitionSpec::new("new", "start", "work"),
        ],
    ));
    assert_eq!(
        found,
        [
            LifecycleProblem::UnknownState {
                command: "wait".into(),
                state: "nowhere".into()
            },
            LifecycleProblem::AmbiguousCommand {
                state: "work".into(),
                command: "wait".into(),
                targets: vec!["limbo".into(), "nowhere".into()]
            },
            LifecycleProblem::DeadEnd {
                state: "limbo".into()
            },
            LifecycleProblem::Unreachable {
                state: "orphan".into()
            },
        ]
    );
}

#[test]
fn accessors_read_the_table() {
    let lc = incident();
    assert_eq!(lc.name(), "incident");
    assert_eq!(lc.states().len(), 6);
    assert_eq!(lc.transitions().len(), 14);
    let closed = lc.state("closed").unwrap();
    assert!(closed.terminal && !closed.initial);
    assert_eq!(closed.category, Category::Closed);
    assert!(lc.state("limbo").is_none());
    // In table order, without repeats; self-loops included.
    assert_eq!(
        lc.commands_from("in_progress"),
        ["assign", "hold", "resolve", "cancel"]
    );
    assert_eq!(
        lc.commands_from("on_hold"),
        ["resume", "caller_update", "resolve"]
    );
    assert!(lc.commands_from("closed").is_empty());
    assert_eq!(lc.commands_between("new", "resolved"), ["resolve"]);
    assert_eq!(
        lc.commands_between("on_hold", "in_progress"),
        ["resume", "caller_update"]
    );
    assert!(lc.commands_between("closed", "new").is_empty());
}

#[test]
fn conformance_of_a_real_looking_log() {
    let lc = incident();
    let report = lc.conformance([
        "new",
        "new",
        "in_progress",
        "on_hold",
        "on_hold",
        "in_progress",
        "resolved",
        "closed",
        "in_progress",
    ]);
    assert_eq!(
        report,
        Conformance {
            starts_initial: true,
            steps: vec![
                step(2, "new", "in_progress", accepted(&["start"])),
                step(3, "in_progress", "on_hold", accepted(&["hold"])),
                // `resume` is listed twice in the table, named once here.
                step(
                    5,
                    "on_hold",
                    "in_progress",
                    accepted(&["resume", "caller_update"])
                ),
                step(6, "in_progress", "resolved", accepted(&["resolve"])),
                step(7, "resolved", "closed", accepted(&["close"])),
                step(8, "closed", "in_progress", Verdict::NoTransition),
            ],
            accepted: 5,
            rejected: 1,
        }
    );
}

#[test]
fn repeated_states_are_not_steps_even_with_a_self_loop() {
    let report = incident().conformance(["in_progress", "in_progress", "in_progress"]);
    assert!(report.steps.is_empty());
    assert_eq!((report.accepted, report.rejected), (0, 0));
    // Not an initial state.
    assert!(!report.starts_initial);
}

#[test]
fn unknown_states_get_their_own_verdict() {
    let report = incident().conformance(vec![
        String::from("limbo"),
        String::from("new"),
        String::from("purgatory"),
        String::from("purgatory"),
        String::from("resolved"),
    ]);
    assert_eq!(
        report,
        Conformance {
            starts_initial: false,
            steps: vec![
                step(1, "limbo", "new", Verdict::UnknownState("limbo".into())),
                step(
                    2,
                    "new",
                    "purgatory",
                    Verdict::UnknownState("purgatory".into())
                ),
                step(
                    4,
                    "purgatory",
                    "resolved",
                    Verdict::UnknownState("purgatory".into())
                ),
            ],
            accepted: 0,
            rejected: 3,
        }
    );
}

#[test]
fn an_empty_log_is_empty() {
    let report = incident().conformance(Vec::<&str>::new());
    assert_eq!(
        report,
        Conformance {
            starts_initial: false,
            steps: vec![],
            accepted: 0,
            rejected: 0,
        }
    );
}

#[test]
fn mermaid_diagram_is_exact() {
    let expected = "\
stateDiagram-v2
    [*] --> new
    new --> in_progress : start
    new --> on_hold : hold
    new --> resolved : resolve
    new --> canceled : cancel
    in_progress --> on_hold : hold
    in_progress --> resolved : resolve
    in_progress --> canceled : cancel
    on_hold --> in_progress : resume / caller_update
    on_hold --> resolved : resolve
    resolved --> in_progress : reopen
    resolved --> closed : close
    closed --> [*]
    canceled --> [*]
";
    let lc = incident();
    assert_eq!(lc.to_mermaid(), expected);

    // The table's order does not reach the diagram; the states' order does.
    let mut transitions = lc.transitions().to_vec();
    transitions.reverse();
    let reordered = Lifecycle::new("incident", lc.states().to_vec(), transitions).unwrap();
    assert_eq!(reordered.to_mermaid(), expected);
}

#[test]
fn mermaid_lists_every_initial_state() {
    let lc = Lifecycle::new(
        "two-doors",
        vec![
            StateSpec::initial("front", Category::New),
            StateSpec::initial("back", Category::New),
            StateSpec::new("inside", Category::Closed).terminal(),
        ],
        vec![
            TransitionSpec::new("front", "enter", "inside"),
            TransitionSpec::new("back", "enter", "inside"),
            TransitionSpec::new("inside", "look", "inside"),
        ],
    )
    .unwrap();
    assert_eq!(
        lc.to_mermaid(),
        "stateDiagram-v2\n    [*] --> front\n    [*] --> back\n    front --> inside : enter\n    back --> inside : enter\n    inside --> [*]\n"
    );
}

/// The lifecycle's own table as a state machine: a command leads where the table says.
fn table_step(lc: &Lifecycle) -> impl Fn(&String, &&str) -> Result<String, ()> + '_ {
    move |state, command| {
        lc.transitions()
            .iter()
            .find(|t| t.from == *state && t.command == *command)
            .map(|t| t.to.clone())
            .ok_or(())
    }
}

/// Categories go forward only: catches every reopen-like step.
fn forward_only(lc: &Lifecycle) -> impl FnMut(&String, &&str, &String) -> Result<(), String> + '_ {
    move |before, command, after| {
        let cat = |s: &String| lc.state(s).unwrap().category;
        if cat(after) < cat(before) {
            Err(format!("{command}: {before} -> {after} goes backwards"))
        } else {
            Ok(())
        }
    }
}

#[test]
fn explore_walks_the_whole_machine_and_reports_violations_with_their_path() {
    let lc = incident();
    let report = explore(
        String::from("new"),
        &ALPHABET,
        10,
        String::clone,
        table_step(&lc),
        forward_only(&lc),
    );
    assert_eq!(report.states, 6);
    // `closed` is only reached through `resolved`.
    assert_eq!(report.depth, 2);
    // Every state is expanded once: six states, nine commands.
    assert_eq!(report.tried, 6 * ALPHABET.len());
    // new 4, in_progress 4 (assign included), on_hold 3 (resume once), resolved 2.
    assert_eq!(report.accepted, 13);
    assert_eq!(
        report.violations,
        vec![
            (
                vec![1, 2],
                "resume: on_hold -> in_progress goes backwards".to_owned()
            ),
            (
                vec![1, 3],
                "caller_update: on_hold -> in_progress goes backwards".to_owned()
            ),
            (
                vec![4, 6],
                "reopen: resolved -> in_progress goes backwards".to_owned()
            ),
        ]
    );
    // Each path replays to the violating step.
    for (path, _) in &report.violations {
        let mut state = String::from("new");
        for i in path {
            state = table_step(&lc)(&state, &ALPHABET[*i]).unwrap();
        }
        assert_eq!(state, "in_progress");
    }
}

#[test]
fn explore_stops_at_the_depth_bound() {
    let lc = incident();
    let shallow = explore(
        String::from("new"),
        &ALPHABET,
        1,
        String::clone,
        table_step(&lc),
        forward_only(&lc),
    );
    assert_eq!(shallow.states, 5, "closed is two steps away");
    assert_eq!(shallow.depth, 1);
    assert_eq!(shallow.tried, ALPHABET.len());
    assert_eq!(shallow.accepted, 4);
    assert!(shallow.violations.is_empty());

    let none = explore(
        String::from("new"),
        &ALPHABET,
        0,
        String::clone,
        table_step(&lc),
        forward_only(&lc),
    );
    assert_eq!(
        (none.states, none.depth, none.tried, none.accepted),
        (1, 0, 0, 0)
    );
}

#[test]
fn explore_tells_states_apart_by_key_and_checks_steps_into_seen_states() {
    // A counter modulo 4, keyed by the value: +1 and +3 revisit states; the invariant
    // refuses wrapping to 0.
    let report = explore(
        0u8,
        &[1u8, 3],
        8,
        |s| *s,
        |s, c| Ok::<u8, ()>((s + c) % 4),
        |_, _, after| {
            if *after == 0 {
                Err("wrapped".into())
            } else {
                Ok(())
            }
        },
    );
    assert_eq!(report.states, 4);
    // 0 -> 1, 3 (depth 1); 1 -> 2 (depth 2).
    assert_eq!(report.depth, 2);
    assert_eq!(report.tried, 8);
    assert_eq!(report.accepted, 8);
    // Wrapping is reported from 1 (+3), 3 (+1): both lead to the already seen 0.
    assert_eq!(
        report.violations,
        vec![
            (vec![0, 1], "wrapped".into()),
            (vec![1, 0], "wrapped".into())
        ]
    );
}

/// Large tables get the same answers, each problem once and in table order: 5,000
/// transitions to unknown states (one listed twice), one command with 5,000 targets (one
/// listed twice), and 5,000 commands from one state. (Each check used to scan the problems
/// or targets found so far: 20,000 unknown states took a second to check, 40,000 twelve.)
#[test]
fn large_tables_report_each_problem_once_in_table_order() {
    let n = 5_000usize;
    let mut transitions: Vec<TransitionSpec> = (0..n)
        .map(|i| TransitionSpec::new("open", &format!("c{i}"), &format!("u{i}")))
        .collect();
    transitions.push(TransitionSpec::new("open", "c7", "u7"));
    transitions.extend((0..n).map(|i| TransitionSpec::new("open", "go", &format!("u{i}"))));
    transitions.push(TransitionSpec::new("open", "go", "u3"));
    transitions.push(TransitionSpec::new("open", "close", "closed"));
    let states = vec![
        StateSpec::initial("open", Category::Open),
        StateSpec::new("closed", Category::Closed).terminal(),
    ];
    let Err(Error::InvalidLifecycle { problems, .. }) =
        Lifecycle::new("big", states.clone(), transitions.clone())
    else {
        panic!("unknown states are refused")
    };
    let unknown: Vec<(String, String)> = problems
        .iter()
        .filter_map(|p| match p {
            LifecycleProblem::UnknownState { command, state } => {
                Some((command.clone(), state.clone()))
            }
            _ => None,
        })
        .collect();
    let want: Vec<(String, String)> = (0..n)
        .map(|i| (format!("c{i}"), format!("u{i}")))
        .chain((0..n).map(|i| ("go".to_owned(), format!("u{i}"))))
        .collect();
    assert_eq!(unknown, want);
    let ambiguous: Vec<&LifecycleProblem> = problems
        .iter()
        .filter(|p| matches!(p, LifecycleProblem::AmbiguousCommand { .. }))
        .collect();
    assert_eq!(ambiguous.len(), 1);
    let LifecycleProblem::AmbiguousCommand { targets, .. } = ambiguous[0] else {
        unreachable!()
    };
    let want: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    assert_eq!(targets, &want);

    // Known states only: the commands from one state, each once, in table order.
    let mut transitions: Vec<TransitionSpec> = (0..n)
        .map(|i| TransitionSpec::new("open", &format!("c{i}"), "closed"))
        .collect();
    transitions.push(TransitionSpec::new("open", "c9", "closed"));
    let lc = Lifecycle::new("wide", states, transitions).unwrap();
    let want: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    assert_eq!(lc.commands_from("open"), want);
    assert_eq!(lc.commands_between("open", "closed"), want);
    let mermaid = lc.to_mermaid();
    assert_eq!(mermaid.matches(" / c9 / ").count(), 1, "c9 once");
    assert!(
        mermaid.contains("open --> closed : c0 / c1 / "),
        "{}",
        &mermaid[..200]
    );
}
