//! `crisis` on the bundled file: the lines below were worked out by hand from
//! `examples/data/crisis/crisis.json` and the rules in docs/crisis.md. Bad inputs are
//! messages, not panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::Output;

mod common;

use common::has;

fn run(args: &[&str]) -> Output {
    common::run(env!("CARGO_BIN_EXE_crisis"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("crisis", out)
}

#[test]
fn the_bundled_crisis_shows_each_rule() {
    let out = lines(&run(&[]));
    // The primary plan, its related plan beside it, the plan its task 2 refers to below it.
    has(
        &out,
        "activated plan #0 \"DC-A failover\" (primary, level 1), plan #1 \"customer communications\" (related, level 2), plan #2 \"database recovery\" (child, level 2)",
    );
    // Planned from the start at 08:05 (durations along the dependencies): the database plan
    // 08:15-09:05 inside task 2; the replica promoted 08:15-08:45; the smoke test after task 2
    // (09:05) and task 3 (08:25), 09:05-09:35; the write-up left out of the plan's end.
    has(&out, "plan #0 \"DC-A failover\" ends 09:35");
    has(&out, "plan #2 \"database recovery\" ends 09:05");
    has(
        &out,
        "asset pg-primary back 08:45 (0h40), within its RTO of 1h00",
    );
    has(
        &out,
        "asset web-shop back 09:35 (1h30), within its RTO of 2h00",
    );
    // Task 1 done: tasks 2 and 3 run; task 3 is automated; task 2 opens its referred plan.
    has(&out, "#0/3 \"switch DNS to DC-B\" automation requested");
    has(&out, "#2/1 \"promote the replica\" triggered");
    // The flow fails: its backup is told; the member cannot re-trigger it, the coordinator can.
    has(&out, "#0/3 \"switch DNS to DC-B\" failed: backup bob told");
    has(
        &out,
        "refused: `retrigger` needs one of the roles `sn_bcm.planner`, `sn_bcm.program_manager`; the actor has none of them",
    );
    has(
        &out,
        "#0/3 \"switch DNS to DC-B\" re-triggered as a manual task",
    );
    // Communications: 08:10-08:40 and 08:45-09:00: 45 minutes of effort over 50.
    has(
        &out,
        "plan #1 \"customer communications\" closed complete: effort 0h45, time taken 0h50",
    );
    // The forecast at 09:10: the replica's promotion (started 08:30, 30 minutes) is overdue,
    // so it ends now, past the database's hour; verification 09:10-09:30 ends the database
    // plan and task 2; the smoke test 09:30-10:00 brings the shop back within its two hours.
    has(
        &out,
        "forecast: asset pg-primary back 09:10 (1h05), PAST its RTO of 1h00",
    );
    has(
        &out,
        "forecast: asset web-shop back 10:00 (1h55), within its RTO of 2h00",
    );
    // The switch done at 09:05 (partial level): the shop is partially recovered.
    has(&out, "asset web-shop: partially recovered, RTO 2h00");
    // The referred plan closes incomplete with its last task, closing task 2 as it did;
    // task 4 (after 2 and 3) runs.
    has(&out, "plan #2 \"database recovery\" closed incomplete");
    has(&out, "#0/2 \"fail the database over\" closed incomplete");
    has(&out, "#0/4 \"smoke-test the shop\" triggered");
    // Submitted with plan 0 open: refused with ServiceNow's message.
    has(
        &out,
        "refused: all activated plans must be closed before submitting the event for an approval; plan 0 is not",
    );
    // An ad-hoc task in a running plan is open at once, with the next Task ID.
    has(&out, "#0/6 \"call the insurer\" triggered");
    // Only a program manager skips; the skip closes the plan, incomplete (task 2 was).
    has(
        &out,
        "refused: `skip` needs one of the roles `sn_bcm.program_manager`; the actor has none of them",
    );
    has(&out, "plan #0 \"DC-A failover\" closed incomplete");
    has(&out, "event closed complete");
    // Failover: 10 + 30 + 40 minutes (task 5 left out of time, task 2 never worked on, the
    // ad-hoc task skipped); 08:10 to task 4's end at 10:45.
    has(
        &out,
        "plan #0 \"DC-A failover\" closed incomplete: effort 1h20, time taken 2h35",
    );
    // From the start at 08:05: the replica promoted at 09:30, the smoke test done at 10:45.
    has(
        &out,
        "asset pg-primary: recovered after 1h25, MISSED its RTO of 1h00",
    );
    has(
        &out,
        "asset web-shop: recovered after 2h40, MISSED its RTO of 2h00",
    );
    has(
        &out,
        "asset payments: recovered after 2h40, within its RTO of 4h00",
    );
}

#[test]
fn bad_files_are_messages() {
    let dir = std::env::temp_dir().join(format!("crisis-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(&path, "{\"people\": {}, \"steps\": [{\"at\": \"2027-05-03T08:00:00Z\", \"by\": \"zed\", \"command\": {\"command\": \"start\"}}]}").unwrap();
    let out = run(&[path.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("step 0: unknown person `zed`"));
    let out = run(&["/nonexistent/crisis.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/crisis.json"));
    std::fs::remove_dir_all(&dir).unwrap();
}
