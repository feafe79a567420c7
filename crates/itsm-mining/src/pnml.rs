//! Lifecycles as Petri nets, written as PNML (ISO/IEC 15909-2), which pm4py reads with
//! `pm4py.read_pnml` for conformance checking (token-based replay, alignments).
//!
//! # Construction
//! From a [`Lifecycle`]:
//! - one place per state (`p0`, `p1`, ... in the lifecycle's state order, named by the
//!   state), plus a `source` and a `sink` place;
//! - one **silent** transition `source` → each initial state (`start0`, ...) and one silent
//!   transition from each terminal state → `sink` (`end0`, ...), so the net is a workflow
//!   net with one source and one sink place whatever the number of initial and terminal
//!   states; silent transitions are marked the way ProM and pm4py mark them
//!   (`<toolspecific tool="ProM" ... activity="$invisible$"/>`);
//! - the lifecycle's transitions as visible transitions (`t0`, `t1`, ...), each with one
//!   arc from its `from` place and one arc to its `to` place, labelled as [`Labels`] says:
//!   - [`Labels::Commands`]: one transition per distinct (from, command, to) of the table,
//!     labelled by the command. It replays logs of commands (our own event streams).
//!   - [`Labels::States`]: one transition per distinct change of state (from, to), labelled
//!     by the state entered, plus a self-loop on every state labelled by that state. It
//!     replays logs that record the state each update left the record in (ServiceNow's
//!     audit log, the UCI log): an event that names the state it is already in is not a
//!     change, as [`Lifecycle::conformance`] treats repeats.
//!
//! **Initial marking**: one token on `source`. **Final marking**: one token on `sink`,
//! written in the `finalmarkings` element that ProM and pm4py read (an extension: ISO PNML
//! has no final marking). A trace fits when it
//! leads from the initial to the final marking: it starts in an initial state and ends in
//! a terminal one.
//!
//! ```
//! use itsm_core::{Category, Lifecycle, StateSpec, TransitionSpec};
//! use itsm_mining::pnml::{Labels, PetriNet};
//!
//! let lc = Lifecycle::new(
//!     "door",
//!     vec![
//!         StateSpec::initial("open", Category::Open),
//!         StateSpec::new("closed", Category::Closed).terminal(),
//!     ],
//!     vec![TransitionSpec::new("open", "close", "closed")],
//! )?;
//! let net = PetriNet::from_lifecycle(&lc, Labels::Commands);
//! assert_eq!(net.places.len(), 4); // source, open, closed, sink
//! assert_eq!(net.transitions.iter().filter(|t| t.label.is_some()).count(), 1);
//! let pnml = net.to_pnml();
//! assert!(pnml.contains("<transition id=\"t0\"><name><text>close</text></name></transition>"));
//! assert!(pnml.contains("<finalmarkings><marking><place idref=\"sink\"><text>1</text></place></marking></finalmarkings>"));
//! # Ok::<(), itsm_core::Error>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use itsm_core::Lifecycle;

use crate::escape::push_xml_text;

/// How the visible transitions are labelled; see the [module](self) documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Labels {
    /// By the command: for logs of commands.
    Commands,
    /// By the state entered, with a self-loop per state: for logs of observed states.
    States,
}

/// A place.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Place {
    /// The PNML id (`source`, `sink`, `p0`, `p1`, ...).
    pub id: String,
    /// The name: the state's, or `source` / `sink`.
    pub name: String,
}

/// A transition.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Transition {
    /// The PNML id (`t0`, ... visible; `start0`, `end0`, ... silent).
    pub id: String,
    /// The activity it replays; `None` for a silent transition.
    pub label: Option<String>,
    /// The place it takes its token from.
    pub from: String,
    /// The place it puts its token on.
    pub to: String,
}

/// A Petri net made from a lifecycle; see the [module](self) documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PetriNet {
    /// The lifecycle's name.
    pub name: String,
    /// `source`, one place per state in the lifecycle's order, `sink`.
    pub places: Vec<Place>,
    /// The silent start transitions, the visible ones, then the silent end transitions.
    pub transitions: Vec<Transition>,
    /// The place holding the one token of the initial marking.
    pub initial_place: String,
    /// The place holding the one token of the final marking.
    pub final_place: String,
}

impl PetriNet {
    /// The net of `lifecycle`, its visible transitions labelled as `labels` says.
    pub fn from_lifecycle(lifecycle: &Lifecycle, labels: Labels) -> Self {
        let states = lifecycle.states();
        let mut places = vec![Place {
            id: "source".to_owned(),
            name: "source".to_owned(),
        }];
        for (i, s) in states.iter().enumerate() {
            places.push(Place {
                id: format!("p{i}"),
                name: s.name.clone(),
            });
        }
        places.push(Place {
            id: "sink".to_owned(),
            name: "sink".to_owned(),
        });
        // A lifecycle's state names are unique (it is checked), so the first match is it.
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, s) in states.iter().enumerate() {
            index.entry(s.name.as_str()).or_insert(i);
        }
        let place_of = |name: &str| index.get(name).map(|i| format!("p{i}"));
        let mut transitions = Vec::new();
        for (i, _) in states.iter().enumerate().filter(|(_, s)| s.initial) {
            transitions.push(Transition {
                id: format!("start{i}"),
                label: None,
                from: "source".to_owned(),
                to: format!("p{i}"),
            });
        }
        // In first-seen order, each once (the set beside the list makes it a lookup).
        let mut visible: Vec<(String, String, String)> = Vec::new();
        let mut seen: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut add = |key: (String, String, String)| {
            if !seen.contains(&key) {
                seen.insert(key.clone());
                visible.push(key);
            }
        };
        match labels {
            Labels::Commands => {
                for t in lifecycle.transitions() {
                    add((t.from.clone(), t.command.clone(), t.to.clone()));
                }
            }
            Labels::States => {
                for s in states {
                    add((s.name.clone(), s.name.clone(), s.name.clone()));
                }
                for t in lifecycle.transitions().iter().filter(|t| t.from != t.to) {
                    add((t.from.clone(), t.to.clone(), t.to.clone()));
                }
            }
        }
        // Visible transitions are numbered t0, t1, ... in order.
        let mut n = 0usize;
        for (from, label, to) in visible {
            if let (Some(from), Some(to)) = (place_of(&from), place_of(&to)) {
                n += 1;
                let n = n - 1;
                transitions.push(Transition {
                    id: format!("t{n}"),
                    label: Some(label),
                    from,
                    to,
                });
            }
        }
        for (i, _) in states.iter().enumerate().filter(|(_, s)| s.terminal) {
            transitions.push(Transition {
                id: format!("end{i}"),
                label: None,
                from: format!("p{i}"),
                to: "sink".to_owned(),
            });
        }
        PetriNet {
            name: lifecycle.name().to_owned(),
            places,
            transitions,
            initial_place: "source".to_owned(),
            final_place: "sink".to_owned(),
        }
    }

    /// The net as a PNML document (place/transition net, PNML 2009 grammar), with its
    /// initial marking on the places and its final marking in `finalmarkings`.
    pub fn to_pnml(&self) -> String {
        let mut out = String::with_capacity(512 + 200 * self.transitions.len());
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.push_str("<pnml xmlns=\"http://www.pnml.org/version-2009/grammar/pnml\">\n");
        out.push_str(
            "<net id=\"net\" type=\"http://www.pnml.org/version-2009/grammar/ptnet\"><name><text>",
        );
        push_xml_text(&mut out, &self.name);
        out.push_str("</text></name>\n<page id=\"page\">\n");
        for p in &self.places {
            out.push_str("<place id=\"");
            push_xml_text(&mut out, &p.id);
            out.push_str("\"><name><text>");
            push_xml_text(&mut out, &p.name);
            out.push_str("</text></name>");
            if p.id == self.initial_place {
                out.push_str("<initialMarking><text>1</text></initialMarking>");
            }
            out.push_str("</place>\n");
        }
        for t in &self.transitions {
            out.push_str("<transition id=\"");
            push_xml_text(&mut out, &t.id);
            out.push_str("\"><name><text>");
            match &t.label {
                Some(label) => {
                    push_xml_text(&mut out, label);
                    out.push_str("</text></name>");
                }
                None => {
                    push_xml_text(&mut out, &t.id);
                    out.push_str("</text></name><toolspecific tool=\"ProM\" version=\"6.4\" activity=\"$invisible$\" localNodeID=\"");
                    push_xml_text(&mut out, &t.id);
                    out.push_str("\"/>");
                }
            }
            out.push_str("</transition>\n");
        }
        for t in &self.transitions {
            for (kind, source, target) in [("in", &t.from, &t.id), ("out", &t.id, &t.to)] {
                out.push_str("<arc id=\"");
                push_xml_text(&mut out, &format!("{}-{kind}", t.id));
                out.push_str("\" source=\"");
                push_xml_text(&mut out, source);
                out.push_str("\" target=\"");
                push_xml_text(&mut out, target);
                out.push_str("\"/>\n");
            }
        }
        out.push_str("</page>\n<finalmarkings><marking><place idref=\"");
        push_xml_text(&mut out, &self.final_place);
        out.push_str("\"><text>1</text></place></marking></finalmarkings>\n</net>\n</pnml>\n");
        out
    }

    /// The net as a Markdown table, one row per transition: id, label (`τ` for silent),
    /// from place, to place (by name). For documentation pages.
    pub fn to_markdown(&self) -> String {
        let name = |id: &str| {
            self.places
                .iter()
                .find(|p| p.id == id)
                .map_or(id.to_owned(), |p| p.name.clone())
        };
        let mut out = String::from("| transition | label | from | to |\n|---|---|---|---|\n");
        for t in &self.transitions {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                t.id,
                t.label.as_deref().unwrap_or("τ"),
                name(&t.from),
                name(&t.to)
            ));
        }
        out
    }
}

/// The PNML of `lifecycle`'s net: [`PetriNet::from_lifecycle`] then [`PetriNet::to_pnml`].
pub fn to_pnml(lifecycle: &Lifecycle, labels: Labels) -> String {
    PetriNet::from_lifecycle(lifecycle, labels).to_pnml()
}
