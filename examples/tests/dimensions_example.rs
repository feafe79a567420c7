//! The `dimensions` example on the sample organisation (`examples/data/dimensions/`): it runs,
//! prints each service's assessment, the summary and the comparison, and writes its SVG to
//! the path it prints.
#![allow(clippy::unwrap_used)]

use std::path::Path;

const ORGANISATION: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/dimensions/organisation.json"
);

#[test]
fn the_example_prints_the_assessment_and_draws_the_scores() {
    let svg = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dimensions-example.svg");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_dimensions"))
        .args(["--today", "2026-12-04", ORGANISATION])
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8(run.stdout).unwrap();
    for line in [
        "  4 services, 12 people, 6 teams, 10 practices, 7 suppliers, 5 contracts, 10 configuration items, 5 data assets",
        "  14 dependency edges over 18 nodes; contracts ending within P90D are findings; equal weights",
        "== web-shop (Web shop): balanced score 72 ==",
        "    [high] supplier_no_contract: supplier `dnsly` has no contract; the service relies on it on trust",
        "    [medium] contract_ending: the last contract with supplier `payfast` ends on 2027-01-31, in 58 days (notice: P90D)",
        "    [high] practice_not_carried_out: practice `release-management` is used by a value stream but no team carries it out",
        "  supplier concentration: cardnet (via cardnet); cloudco (via k8s-cluster, shop-db, shop-db-replica); dnsly (via dns-zone); payfast (via payfast, psp-gateway)",
        "    [critical] no_owner: the service has no owner; name the person accountable for it",
        "    [critical] contract_expired: the last contract with supplier `postbox` ended on 2026-11-30, 4 days ago",
        "    [medium] role_single_person: role `wms administrator` is held by `ivo` alone (bus factor 1)",
        "    [medium] accountability_unclear: activity `approve payroll` has 2 accountable roles (`payroll officer`, `finance controller`); give exactly one",
        "  service        O&P   I&T   P&S  VS&P  balanced  findings",
        "  payroll         91    98    95   100        96         5",
        "    improved: no_owner email resolved",
        "    worse: [medium] role_single_person: role `shift lead` is held by `dara` alone (bus factor 1)",
        "  payroll: unchanged (96)",
    ] {
        assert!(
            out.lines().any(|l| l == line),
            "missing line {line:?} in:\n{out}"
        );
    }
    let shown = svg.canonicalize().unwrap();
    assert!(
        out.contains(&format!("  svg: {}", shown.display())),
        "{out}"
    );
    let picture = std::fs::read_to_string(&shown).unwrap();
    assert!(picture.starts_with("<?xml") && picture.ends_with("</svg>\n"));
    assert_eq!(
        picture.matches("<g><title>").count(),
        4,
        "one group per service"
    );
    assert_eq!(
        picture.matches("<rect x=").count(),
        4 * 4 + 4,
        "four bars per service and a legend"
    );
    assert!(picture.contains("<title>Payroll: balanced 96</title>"));
}

#[test]
fn a_bad_date_or_a_missing_file_is_reported() {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_dimensions"))
        .args(["--today", "04/12/2026"])
        .output()
        .unwrap();
    assert!(!run.status.success());
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.starts_with("dimensions: --today \"04/12/2026\" is not a date YYYY-MM-DD"),
        "{err}"
    );
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_dimensions"))
        .args(["--today", "2026-12-04", "no-such-organisation.json"])
        .output()
        .unwrap();
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.starts_with("dimensions: cannot read no-such-organisation.json"),
        "{err}"
    );
}
