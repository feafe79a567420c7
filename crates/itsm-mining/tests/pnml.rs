//! Lifecycles as Petri nets: the construction, a pinned PNML document, hostile names, and
//! the property that replaying a trace on the net (the token game, as token-based replay
//! plays it) fits exactly when the lifecycle accepts it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use common::{HOSTILE, assert_well_formed, xml_kept};
use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
use itsm_mining::pnml::{Labels, PetriNet, to_pnml};
use proptest::prelude::*;

fn ticket() -> Lifecycle {
    Lifecycle::new(
        "ticket",
        vec![
            StateSpec::initial("new", Category::New),
            StateSpec::new("in_progress", Category::Open),
            StateSpec::new("resolved", Category::Resolved),
            StateSpec::new("closed", Category::Closed).terminal(),
            StateSpec::new("canceled", Category::Canceled).terminal(),
        ],
        vec![
            TransitionSpec::new("new", "start", "in_progress"),
            TransitionSpec::new("new", "cancel", "canceled"),
            TransitionSpec::new("in_progress", "assign", "in_progress"),
            TransitionSpec::new("in_progress", "resolve", "resolved"),
            TransitionSpec::new("in_progress", "fix", "resolved"),
            TransitionSpec::new("resolved", "reopen", "in_progress"),
            TransitionSpec::new("resolved", "close", "closed"),
            TransitionSpec::new("resolved", "close", "closed"),
        ],
    )
    .unwrap()
}

#[test]
fn command_labels_give_one_transition_per_distinct_table_entry() {
    let net = PetriNet::from_lifecycle(&ticket(), Labels::Commands);
    assert_eq!(
        net.to_markdown(),
        "| transition | label | from | to |\n|---|---|---|---|\n\
         | start0 | τ | source | new |\n\
         | t0 | start | new | in_progress |\n\
         | t1 | cancel | new | canceled |\n\
         | t2 | assign | in_progress | in_progress |\n\
         | t3 | resolve | in_progress | resolved |\n\
         | t4 | fix | in_progress | resolved |\n\
         | t5 | reopen | resolved | in_progress |\n\
         | t6 | close | resolved | closed |\n\
         | end3 | τ | closed | sink |\n\
         | end4 | τ | canceled | sink |\n"
    );
}

#[test]
fn state_labels_give_a_self_loop_per_state_and_one_transition_per_change() {
    let net = PetriNet::from_lifecycle(&ticket(), Labels::States);
    assert_eq!(
        net.to_markdown(),
        "| transition | label | from | to |\n|---|---|---|---|\n\
         | start0 | τ | source | new |\n\
         | t0 | new | new | new |\n\
         | t1 | in_progress | in_progress | in_progress |\n\
         | t2 | resolved | resolved | resolved |\n\
         | t3 | closed | closed | closed |\n\
         | t4 | canceled | canceled | canceled |\n\
         | t5 | in_progress | new | in_progress |\n\
         | t6 | canceled | new | canceled |\n\
         | t7 | resolved | in_progress | resolved |\n\
         | t8 | in_progress | resolved | in_progress |\n\
         | t9 | closed | resolved | closed |\n\
         | end3 | τ | closed | sink |\n\
         | end4 | τ | canceled | sink |\n"
    );
}

#[test]
fn the_pnml_document_is_pinned() {
    let lc = Lifecycle::new(
        "door",
        vec![
            StateSpec::initial("open", Category::Open),
            StateSpec::new("shut", Category::Closed).terminal(),
        ],
        vec![TransitionSpec::new("open", "close", "shut")],
    )
    .unwrap();
    assert_eq!(
        to_pnml(&lc, Labels::Commands),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<pnml xmlns="http://www.pnml.org/version-2009/grammar/pnml">
<net id="net" type="http://www.pnml.org/version-2009/grammar/ptnet"><name><text>door</text></name>
<page id="page">
<place id="source"><name><text>source</text></name><initialMarking><text>1</text></initialMarking></place>
<place id="p0"><name><text>open</text></name></place>
<place id="p1"><name><text>shut</text></name></place>
<place id="sink"><name><text>sink</text></name></place>
<transition id="start0"><name><text>start0</text></name><toolspecific tool="ProM" version="6.4" activity="$invisible$" localNodeID="start0"/></transition>
<transition id="t0"><name><text>close</text></name></transition>
<transition id="end1"><name><text>end1</text></name><toolspecific tool="ProM" version="6.4" activity="$invisible$" localNodeID="end1"/></transition>
<arc id="start0-in" source="source" target="start0"/>
<arc id="start0-out" source="start0" target="p0"/>
<arc id="t0-in" source="p0" target="t0"/>
<arc id="t0-out" source="t0" target="p1"/>
<arc id="end1-in" source="p1" target="end1"/>
<arc id="end1-out" source="end1" target="sink"/>
</page>
<finalmarkings><marking><place idref="sink"><text>1</text></place></marking></finalmarkings>
</net>
</pnml>
"#
    );
}

#[test]
fn hostile_names_are_escaped_in_pnml() {
    for s in HOSTILE {
        let lc = Lifecycle::new(
            s,
            vec![
                StateSpec::initial(s, Category::New),
                StateSpec::new(&format!("{s}!"), Category::Closed).terminal(),
            ],
            vec![TransitionSpec::new(s, s, &format!("{s}!"))],
        )
        .unwrap();
        for labels in [Labels::Commands, Labels::States] {
            let pnml = to_pnml(&lc, labels);
            assert_well_formed(&pnml);
            let texts: Vec<String> = pnml
                .split("<text>")
                .skip(1)
                .map(|t| common::xml_unescape(t.split("</text>").next().unwrap()))
                .collect();
            assert!(texts.contains(&xml_kept(s)), "{s:?} not found in {texts:?}");
        }
    }
}

/// Token-based replay of a trace on a net whose transitions each take one token and give
/// one (our nets are state machines): silent transitions fire only to start and to end.
fn fits(net: &PetriNet, trace: &[String]) -> bool {
    let mut at = net.initial_place.clone();
    for label in trace {
        let mut from = vec![at.clone()];
        if at == net.initial_place {
            from = net
                .transitions
                .iter()
                .filter(|t| t.label.is_none() && t.from == at)
                .map(|t| t.to.clone())
                .collect();
        }
        let Some(t) = net
            .transitions
            .iter()
            .find(|t| t.label.as_deref() == Some(label.as_str()) && from.contains(&t.from))
        else {
            return false;
        };
        at = t.to.clone();
    }
    net.transitions
        .iter()
        .any(|t| t.label.is_none() && t.from == at && t.to == net.final_place)
}

/// A random valid lifecycle over up to 6 states.
fn lifecycles() -> impl Strategy<Value = Lifecycle> {
    (
        2usize..6,
        proptest::collection::vec((0usize..6, 0usize..4, 0usize..6), 1..16),
        0u8..64,
        1u8..64,
    )
        .prop_filter_map("valid lifecycle", |(n, edges, initial, terminal)| {
            let states = (0..n)
                .map(|i| {
                    let mut s = StateSpec::new(&format!("s{i}"), Category::Open);
                    s.initial = i == 0 || initial & (1 << i) != 0;
                    s.terminal = terminal & (1 << i) != 0;
                    s
                })
                .collect();
            let transitions = edges
                .into_iter()
                .map(|(a, c, b)| {
                    TransitionSpec::new(
                        &format!("s{}", a % n),
                        &format!("c{c}"),
                        &format!("s{}", b % n),
                    )
                })
                .collect();
            Lifecycle::new("random", states, transitions).ok()
        })
}

proptest! {
    #[test]
    fn a_state_trace_fits_the_net_exactly_when_the_lifecycle_accepts_it(
        lc in lifecycles(),
        picks in proptest::collection::vec(0usize..6, 1..10),
    ) {
        let net = PetriNet::from_lifecycle(&lc, Labels::States);
        let names: Vec<String> = lc.states().iter().map(|s| s.name.clone()).collect();
        let trace: Vec<String> = picks.iter().map(|i| names[i % names.len()].clone()).collect();
        let report = lc.conformance(&trace);
        let first = &trace[0];
        // The silent start puts the token on an initial state; the first event may name it,
        // or a state one change away from it.
        let starts = lc.states().iter().any(|s| s.initial && (&s.name == first
            || !lc.commands_between(&s.name, first).is_empty()));
        let ends = lc.state(trace.last().unwrap()).is_some_and(|s| s.terminal);
        prop_assert_eq!(fits(&net, &trace), report.rejected == 0 && starts && ends);
    }

    #[test]
    fn a_command_walk_of_the_lifecycle_fits_the_command_net(
        lc in lifecycles(),
        picks in proptest::collection::vec(0usize..16, 0..12),
    ) {
        let net = PetriNet::from_lifecycle(&lc, Labels::Commands);
        // A walk from the first initial state, then on to a terminal state by the shortest way.
        let mut state = lc.states().iter().find(|s| s.initial).unwrap().name.clone();
        let mut trace = Vec::new();
        for p in picks {
            let out: Vec<_> = lc.transitions().iter().filter(|t| t.from == state).collect();
            if out.is_empty() { break; }
            let t = out[p % out.len()];
            trace.push(t.command.clone());
            state = t.to.clone();
        }
        // Breadth-first to a terminal state (one exists: the lifecycle is checked).
        let mut paths = vec![(state.clone(), Vec::<String>::new())];
        let mut seen = vec![state];
        let tail = loop {
            let (s, path) = paths.remove(0);
            if lc.state(&s).unwrap().terminal { break path; }
            for t in lc.transitions().iter().filter(|t| t.from == s) {
                if !seen.contains(&t.to) {
                    seen.push(t.to.clone());
                    let mut p = path.clone();
                    p.push(t.command.clone());
                    paths.push((t.to.clone(), p));
                }
            }
        };
        trace.extend(tail);
        // A command net replays the walk: the silent start reaches the walk's first state,
        // then each step finds its (from, command) transition.
        let first = lc.states().iter().position(|s| s.initial).unwrap();
        let mut at = format!("p{first}");
        prop_assert!(net.transitions.iter().any(|t| t.label.is_none()
            && t.from == net.initial_place && t.to == at));
        let mut ok = true;
        for command in &trace {
            let found = net.transitions.iter()
                .find(|t| t.label.as_deref() == Some(command.as_str()) && t.from == at);
            match found { Some(t) => at = t.to.clone(), None => { ok = false; break; } }
        }
        prop_assert!(ok);
        prop_assert!(net.transitions.iter().any(|t| t.label.is_none() && t.from == at && t.to == net.final_place));
        prop_assert_eq!(net.places.len(), lc.states().len() + 2);
        assert_well_formed(&net.to_pnml());
    }
}
