//! The new-starter scenario runs end to end (the "Checked by" line): the service
//! passes its gates, the bundle's mistakes are all reported at once, the bundle is approved
//! and fulfilled, and the access request is refused for separation of duties, then approved
//! by manager and owner, provisioned, expired by a tick and revoked; and the records'
//! `sla_hook` events, replayed by itsm-sla, give each SLA clock.

use std::process::Command;

#[test]
fn the_new_starter_runs_end_to_end() {
    let output = Command::new(env!("CARGO_BIN_EXE_new-starter"))
        .output()
        .expect("the example runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "new-starter failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "refused: `go_live` refused by gate `ready_for_catalogue`: the service has no owner",
        "went live",
        "line 0, field `ram` (max): 128 is more than 64; line 0, field `accessories` (max_items): 3 chosen; at most 2 allowed; line 0, field `needed_by` (required): a value is required; line 0, field `justification` (required): a value is required",
        "submitted by HR for Ada: laptop, software_install, software_install",
        "item 0: approved (last answer Grace)",
        "item 2: task `licence` skipped: no licence needed",
        "sla hook: request entered fulfilled (closed)",
        "request 0x1001: fulfilled",
        "refused: line 1: `payroll/approver` conflicts with `payroll/clerk`, asked for on line 0 (separation of duties rule `payments_four_eyes`",
        "item 0: approval requested (2 step(s): manager then application_owner)",
        "item 0: approved (last answer Owen (payroll owner))",
        "access granted: payroll/clerk for Ada until 2026-04-02 00:00:00 UTC",
        "tick a day early: (nothing)",
        "item 0: access expired; revocation task `revoke` opened",
        "access revoked: payroll/clerk",
        "access: Some(Revoked)",
        // The sla_hook events as itsm-sla timelines (examples/data/catalogue/sla.json):
        // one technician working the tasks in turn breaches the 4-hour task OLA on most of
        // them; the skipped licence task's clock is canceled.
        "0x1001 request: request-fulfilment met, 480 business minutes of 1440 (33%)",
        "0x1001 task 0/order_hardware: task-completion met, 180 business minutes of 240 (75%)",
        "0x1001 task 0/deliver: task-completion BREACHED, 480 business minutes of 240 (200%)",
        "0x1001 task 2/licence: task-completion canceled, 60 business minutes of 240 (25%)",
        "SLA clocks: 5 met, 6 breached, 1 canceled",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
}
