//! `alerts` on the bundled morning of signals: the events each rule makes, the counts worked
//! out by hand from the stream, and the burst's root cause through the graph. Bad inputs are
//! messages, not panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

use common::has;

fn run(args: &[&str]) -> Output {
    common::run(env!("CARGO_BIN_EXE_alerts"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("alerts", out)
}

#[test]
fn the_bundled_morning_shows_each_rule() {
    let out = lines(&run(&[]));
    // The keep-alive repeats twice, then escalates.
    has(&out, "09:05 repeated nagios|Disk|db-vm-1|/var|");
    has(
        &out,
        "09:15 updated nagios|Disk|db-vm-1|/var| major: 92% full",
    );
    // web-1 reopens four times within the hour, then flaps; its last clear does not close
    // it; an hour of quiet later it closes (the last signal was a clear).
    has(
        &out,
        "10:16 flapping started nagios|HTTP|web-1|| after 4 reopenings",
    );
    has(&out, "10:18 updated nagios|HTTP|web-1|| clear: 200 OK");
    has(&out, "11:18 flapping ended nagios|HTTP|web-1|| now closed");
    // Critical for five minutes: an incident each.
    has(&out, "11:05 incident requested nagios|Ping|lb-2|| critical");
    // Past the active interval (an hour): new alerts; a clear with nothing to close.
    has(
        &out,
        "12:10 opened nagios|Replication|pg-primary|| minor: lag 55 s",
    );
    has(
        &out,
        "12:30 ignored nagios|Ping|kafka-2||: a clear with nothing to close",
    );
    // 31 signals: db-vm-1 1, pg-primary 2, web-1 1, the zone's six, api-2 again: 11 alerts.
    has(
        &out,
        "alerts: 31 signals -> 11 alerts (2 repeats, 4 reopenings, 1 flapping, 1 ignored), 6 incidents requested",
    );
    // The zone, not the region: the region would have taken down monitored nodes in
    // eu-west-1a that stayed silent.
    has(
        &out,
        "root cause 1: eu-west-1b explains 6 of 6 alarms, 0 monitored nodes it would take down stayed silent, 4 other business services hit",
    );
    has(
        &out,
        "primary alert: the failure of eu-west-1b (6 of 6 alarms explained); 6 incidents requested for the burst's alerts, where one would do",
    );
}

#[test]
fn bad_inputs_are_messages() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("alerts-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let stream = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/alerts/shop-signals.json"),
    )
    .unwrap();
    let cases = [
        (
            "not-json.json",
            "[1, 2".to_owned(),
            "is not a signal stream",
        ),
        (
            "preset.json",
            stream.replace("\"preset\": \"servicenow\"", "\"preset\": \"nagios\""),
            "unknown policy preset `nagios`; use servicenow or alerta",
        ),
        (
            "order.json",
            stream.replacen("\"at\": \"09:05\"", "\"at\": \"08:05\"", 1),
            "signal 1 at 08:05:00 comes before the one before it",
        ),
        (
            "severity.json",
            stream.replacen("\"severity\": \"warning\"", "\"severity\": \"fatal\"", 1),
            "unknown variant `fatal`",
        ),
        (
            "node.json",
            stream.replacen("\"node\": \"db-vm-1\"", "\"node\": \"nosuch\"", 1),
            "nosuch",
        ),
    ];
    for (name, text, wanted) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(&[path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        if name == "node.json" {
            // A node the topology does not know: its alerts work; correlation names it.
            assert!(out.status.success(), "{err}");
            continue;
        }
        assert!(!out.status.success(), "{name} was accepted");
        assert!(err.contains(wanted), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}
