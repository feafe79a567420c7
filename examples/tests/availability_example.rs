//! `availability` on the bundled month prints the services' outages derived through the
//! graph and their availability against each commitment, with the figures worked out by hand
//! here; on the UCI log it reads the priority-1 incidents as outages, their count checked
//! against the CSV independently of the example. Bad inputs are messages, not panics.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_availability"))
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("the binary runs")
}

fn lines(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "availability failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

fn has(lines: &[String], wanted: &str) {
    assert!(
        lines.iter().any(|l| l.trim_end() == wanted),
        "no line {wanted:?} in:\n{}",
        lines.join("\n")
    );
}

fn has_words(lines: &[String], words: &[&str]) {
    assert!(
        lines.iter().any(|l| {
            let got: Vec<&str> = l.split_whitespace().collect();
            got.starts_with(words)
        }),
        "no line starting with {words:?} in:\n{}",
        lines.join("\n")
    );
}

#[test]
fn the_bundled_month_gives_each_service_its_availability() {
    let out = lines(&run(&[]));
    // 24x7 March: 44,640 minutes; 20 + 15 + 90 down: 99.720%, 0.1% allows 44.64 minutes.
    has(
        &out,
        "availability web-shop: 99.720% (target 99.90%, missed)",
    );
    has_words(
        &out,
        &[
            "web-shop", "24x7", "99.90%", "99.720%", "125m", "3", "247.3h", "41.7m", "no", "10%",
            "-80.4m",
        ],
    );
    // Dublin business hours: 21 weekdays (17 March a holiday) of 10 hours; sendgrid's three
    // hours on 24 March.
    has(
        &out,
        "availability order-fulfilment: 98.571% (target 99.50%, missed)",
    );
    // Degradations count for the support portal: 340 minutes in business hours (the
    // replica's maintenance alone degrades it 14:40-15:00: planned, not counted).
    has(
        &out,
        "availability customer-support-portal: 97.302% (target 99.00%, missed)",
    );
    has_words(
        &out,
        &[
            "customer-support-portal",
            "planned",
            "03-03",
            "14:40",
            "->",
            "03-03",
            "15:00",
            "(20m)",
            "caused",
            "by",
            "pg-replica",
        ],
    );
    // Kafka's two maintenances: each alone degrades messaging, together they take it down
    // for half an hour; all of it planned, not counted.
    has(
        &out,
        "availability messaging: 100.000% (target 99.95%, met)",
    );
    has_words(
        &out,
        &[
            "messaging",
            "planned",
            "03-26",
            "22:00",
            "->",
            "03-26",
            "23:30",
            "(90m)",
        ],
    );
    // The API cluster (at least half of four up) falls while three members are down.
    has_words(
        &out,
        &[
            "web-shop", "outage", "03-10", "10:15", "->", "03-10", "10:30", "(15m)",
        ],
    );
    // The primary fails during the replica's maintenance: unplanned, as the maintenance
    // alone would not have taken the database down.
    has_words(
        &out,
        &[
            "web-shop", "outage", "03-03", "14:20", "->", "03-03", "14:40", "(20m)",
        ],
    );
    // The core switch pair holds: a degradation of the warehouse service only.
    has_words(&out, &["order-fulfilment", "degradation", "03-28", "02:00"]);
    has(
        &out,
        "web-shop: the ongoing outage is left out (it has no end); counted up to 2026-04-01 00:00 instead: 135m down, 99.698%",
    );
    has(&out, "  from 2026-03-16: 90m down, 1 outage(s), 99.107%");
    // The first ISO week is cut to the month: from Sunday 1 March only.
    has(&out, "  from 2026-03-01: 0m down, 0 outage(s), 100.000%");
}

#[test]
fn bad_inputs_are_messages() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("availability-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let month = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/availability/shop-march.json"),
    )
    .unwrap();
    let cases = [
        (
            "not-json.json",
            "not json".to_owned(),
            "is not an availability month",
        ),
        (
            "unknown-calendar.json",
            month.replace(
                "\"calendar\": \"dublin-business-hours\"",
                "\"calendar\": \"nights\"",
            ),
            "names the calendar `nights`, which is not defined",
        ),
        (
            "bad-target.json",
            month.replace("\"target\": 99.5", "\"target\": 150"),
            "150 is not a valid availability target",
        ),
        (
            "backwards.json",
            month.replace(
                "\"begin\": \"2026-03-24T08:00:00Z\", \"end\": \"2026-03-24T11:00:00Z\"",
                "\"begin\": \"2026-03-24T11:00:00Z\", \"end\": \"2026-03-24T08:00:00Z\"",
            ),
            "outage record 7 of sendgrid ends at 2026-03-24 08:00:00 UTC, before it begins",
        ),
        (
            "ends-after-as-of.json",
            month.replace(
                "\"end\": \"2026-03-24T11:00:00Z\"",
                "\"end\": \"2026-04-02T11:00:00Z\"",
            ),
            "outage record 7 of sendgrid ends at 2026-04-02 11:00:00 UTC, after as_of",
        ),
        (
            "unknown-ci.json",
            month.replace("\"ci\": \"sendgrid\"", "\"ci\": \"nosuch\""),
            "nosuch",
        ),
    ];
    for (name, text, wanted) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(&[path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name} was accepted");
        assert!(err.contains(wanted), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
    let out = run(&["--bogus"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown option `--bogus`"));

    // A log with bad rows: each reported, none fatal.
    let log = dir.join("log.csv");
    std::fs::write(
        &log,
        "number,sys_mod_count,priority,category,opened_at,resolved_at\n\
         INC1,0,1 - Critical,Category 1,1/3/2016 09:00,1/3/2016 10:00\n\
         INC2,0,1 - Critical,Category 1,soon,1/3/2016 10:00\n\
         INC3,x,1 - Critical,Category 1,1/3/2016 09:00,1/3/2016 10:00\n\
         INC4,0,1 - Critical,Category 1,2/3/2016 09:00,1/3/2016 10:00\n\
         INC5,0,1 - Critical,Category 2,1/3/2016 09:30,?\n\
         INC6,0,3 - Moderate,Category 2,1/3/2016 09:30,1/3/2016 11:00\n",
    )
    .unwrap();
    let out = lines(&run(&["--uci", log.to_str().unwrap()]));
    has(
        &out,
        "uci: 6 rows, 5 incidents, 4 of priority 1 (final) read as outages of their category from opened to resolved (median 1.0h; 1 never resolved: ongoing, left out), 3 bad rows",
    );
    has(&out, "  bad row: line 3: opened_at `soon` is not a date");
    has(&out, "  bad row: line 4: sys_mod_count `x` is not a count");
    has(
        &out,
        "  bad row: line 5: resolved_at `1/3/2016 10:00` is before opened_at",
    );
}

#[test]
fn the_uci_log_priority_one_incidents_as_outages() {
    let Some(log) = itsm_examples::real_data::locate(
        "the_uci_log_priority_one_incidents_as_outages",
        "uci-incident-event-log/incident_event_log.csv",
    ) else {
        return;
    };
    // The final priority of each incident, from its row with the highest update counter,
    // counted here without the example's code.
    let mut reader = csv::Reader::from_path(&log).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (number, count, priority) = (col("number"), col("sys_mod_count"), col("priority"));
    let mut last: HashMap<String, (u64, String)> = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let c: u64 = record[count].parse().unwrap();
        let entry = last
            .entry(record[number].to_owned())
            .or_insert((c, record[priority].to_owned()));
        if c >= entry.0 {
            *entry = (c, record[priority].to_owned());
        }
    }
    let p1 = last.values().filter(|(_, p)| p.starts_with("1 ")).count();
    let out = lines(&run(&["--uci", log.to_str().unwrap()]));
    let wanted = format!("uci: 141712 rows, 24918 incidents, {p1} of priority 1 (final)");
    assert!(
        out.iter().any(|l| l.starts_with(&wanted)),
        "no line starting with {wanted:?} in:\n{}",
        out.join("\n")
    );
    assert!(out.iter().any(|l| l.starts_with("uci: ")
        && l.contains(" priority-1 records in ")
        && l.contains(" merged into ")));
}
