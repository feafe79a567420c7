//! The knowledge-flow scenario runs end to end: the detector's cluster becomes a problem, its
//! known error's workaround is published and offered to the next matching incident, the
//! article is published through an approval with its links, and the problem is resolved.

use std::process::Command;

#[test]
fn the_knowledge_flow_runs_end_to_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_knowledge-flow"))
        .output()
        .expect("the example runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "knowledge-flow failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "cluster: symptom = vpn drops: 4 incidents, detectable at 2026-03-05 07:00",
            "problem: root_cause_analysis, 4 incidents linked, root cause confirmed: true",
            "known error: published, workaround: set the VPN client's keep-alive to 300 s",
            "next incident: workaround offered (Symptom match)",
            "article: published, version 1, links: problem, known error",
            "problem: resolved",
        ],
        "in:\n{text}"
    );
}
