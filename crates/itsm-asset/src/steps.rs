//! The workflow commands' state changes, written once: the table `docs/asset.md` draws.

use crate::model::Status;

/// A state change a workflow command makes (besides [`Command::SetState`](crate::Command::SetState), which makes
/// any the policy allows, and [`Command::Register`](crate::Command::Register), which starts anywhere): the table
/// `docs/asset.md` draws, checked against [`decide`](crate::decide) by the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The command's name.
    pub command: &'static str,
    /// The state before.
    pub from: Status,
    /// The state after.
    pub to: Status,
}

const fn s(command: &'static str, from: Status, to: Status) -> Step {
    Step { command, from, to }
}

use Status::{Consumed, InStock, InTransit, InUse, OnOrder, Retired};

/// Every state change of the workflow commands, written once. [`Command::Retire`](crate::Command::Retire) takes
/// any state but retired to retired (listed once per state).
pub const STEPS: &[Step] = &[
    s("receive", OnOrder, InStock),
    s("reserve", InStock, InStock),
    s("assign", InStock, InUse),
    s("return", InUse, InStock),
    s("return", Consumed, InStock),
    s("consume", InStock, Consumed),
    s("allocate", InStock, InStock),
    s("allocate", InTransit, InTransit),
    s("mark_for_disposal", InStock, InStock),
    s("cancel_disposal", InStock, InStock),
    s("transfer", InStock, InStock),
    s("advance_transfer", InStock, InStock),
    s("advance_transfer", InStock, InTransit),
    s("advance_transfer", InTransit, InStock),
    s("cancel_transfer", InStock, InStock),
    s("retire", OnOrder, Retired),
    s("retire", Status::Build, Retired),
    s("retire", InStock, Retired),
    s("retire", InTransit, Retired),
    s("retire", InUse, Retired),
    s("retire", Consumed, Retired),
    s("retire", Status::InMaintenance, Retired),
    s("retire", Status::Missing, Retired),
];

/// [`STEPS`] as a Mermaid state diagram (what `docs/asset.md` shows), one arrow per pair
/// of states with its commands joined by ` / `; retire is drawn once, from any state.
///
/// ```
/// let diagram = itsm_asset::mermaid();
/// assert!(diagram.starts_with("stateDiagram-v2\n    on_order --> in_stock : receive\n"));
/// ```
pub fn mermaid() -> String {
    let mut arrows: Vec<(Status, Status, Vec<&str>)> = Vec::new();
    for step in STEPS.iter().filter(|s| s.command != "retire") {
        match arrows
            .iter_mut()
            .find(|(f, t, _)| *f == step.from && *t == step.to)
        {
            Some((_, _, commands)) => {
                if !commands.contains(&step.command) {
                    commands.push(step.command);
                }
            }
            None => arrows.push((step.from, step.to, vec![step.command])),
        }
    }
    let mut out = String::from("stateDiagram-v2\n");
    for (from, to, commands) in arrows {
        out.push_str(&format!("    {from} --> {to} : {}\n", commands.join(" / ")));
    }
    out.push_str("    note right of retired : retire, from any state\n");
    out
}
