//! The server-upgrade scenario runs end to end: every step accepted, the CAB's explanation
//! names the excluded implementer, the window avoids the conflicting change, and the change
//! closes.

use std::process::Command;

#[test]
fn the_server_upgrade_runs_end_to_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_server-upgrade"))
        .output()
        .expect("the example runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "server-upgrade failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "risk assessed: risk high: rule `database servers` gives high (the highest wins)",
        "configuration item pg-primary, related to db-vm-1, is already scheduled in change CHG41",
        "planned: 2026-03-08 02:00:00 UTC to 2026-03-08 04:00:00 UTC",
        "excluded: implementer (group CAB), as the implementer (separation of duties)",
        "task added: upgrade the kernel on db-vm-1",
        "closed: successful (successful), kernel upgraded; no incident in the window",
        "change CHG42: closed",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
}
