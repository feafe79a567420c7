//! `tour` runs its bundled script to the end: every step, the final states, the SLA
//! section; pinned here are the lines of the reopen after closure (refused) and of the
//! follow-up incident that takes its place.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn the_tour_ends_with_a_follow_up_of_the_closed_incident() {
    let output = Command::new(env!("CARGO_BIN_EXE_tour"))
        .output()
        .expect("tour runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for expected in [
        "< rejected: `reopen` is not allowed in state `closed`; allowed there: `tick`",
        "follow_up(vpn): a new incident, category, configuration_item, service, impact, urgency, description, assignment_group, problems, changes copied, then 3 command(s)",
        "< linked (follow_up_of 00000000-0000-0000-0000-000000000101)",
        "vpn: closed, priority 2, reassignments 1, reopens 1, major incident state canceled",
        "vpn-again: in_progress, priority 2, reassignments 0, reopens 0, major incident state none",
    ] {
        assert!(
            lines.contains(&expected),
            "missing line {expected:?} in:\n{text}"
        );
    }
    assert!(lines.contains(&"SLA clocks (itsm-sla), replaying each incident's timeline:"));
    // The tour ends by pointing at the other practices' demos, each a binary that exists.
    let more = lines
        .iter()
        .position(|l| l.starts_with("More of the workspace on bundled data"))
        .expect("the closing section");
    let bins = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin");
    let listed: Vec<&str> = lines[more + 1..]
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(listed.len() >= 10, "{listed:?}");
    for name in listed {
        assert!(
            bins.join(format!("{name}.rs")).exists() || bins.join(name).is_dir(),
            "the tour names `{name}`, which is not an example binary"
        );
    }
}
