//! `oncall` on the bundled team: the lines below were worked out by hand from
//! `examples/data/oncall/team.json` and the rules in docs/oncall.md. Bad inputs are messages,
//! not panics.
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
    common::run(env!("CARGO_BIN_EXE_oncall"), args)
}

fn lines(out: &Output) -> Vec<String> {
    common::lines("oncall", out)
}

#[test]
fn the_bundled_team_shows_each_rule() {
    let out = lines(&run(&[]));
    // Nights rotate [cat, dan] weekly from Monday 1 March 09:00: the week of the 22nd is
    // turn 3, Dan's. Dan is away until Wednesday 09:00 without cover: the nights are gaps,
    // the office hours are the days layer's (the last layer wins).
    has(&out, "Mon 22 Mar 18:00 - Tue 23 Mar 09:00 nobody");
    has(&out, "platform: Tue 23 Mar 18:00 - Wed 24 Mar 09:00 (15h)");
    // Days rotate [ann, bob] daily from 1 March: the 25th is turn 24, Ann's; Friday the 26th
    // is a holiday of the days layer, so the nights run from Thursday 18:00 to Saturday.
    has(&out, "Thu 25 Mar 09:00 - Thu 25 Mar 18:00 ann (days)");
    has(&out, "Thu 25 Mar 18:00 - Sat 27 Mar 10:00 dan (nights)");
    // The override (09:00-15:00 UTC) is 10:00-16:00 in Berlin, still on winter time.
    has(&out, "Sat 27 Mar 10:00 - Sat 27 Mar 16:00 eve (override)");
    // Berlin moves its clocks on the 28th: the weekly turn lasts 167 hours, the handover
    // stays at 09:00.
    has(
        &out,
        "platform nights: turn from Mon 22 Mar 09:00 to Mon 29 Mar 09:00 (UTC 22 Mar 08:00 to 29 Mar 07:00, 167h)",
    );
    // Primary [fay, gus, hal] and secondary [hal, gus, fay] meet on Gus every third week.
    has(
        &out,
        "gus is primary and secondary from Mon 11 Jan 08:00 to Mon 18 Jan 08:00 (New York)",
    );
    // Eve's override: six hours on a Saturday, all out of hours.
    has(&out, "eve: 6h on call, 6h out of hours, 1 stretch");
    // Dan away and uncovered: the first step is skipped and the lead paged at once.
    has(&out, "+ 0m step 0: nobody on call, skipped");
    // Nobody answers Ann and Eve twice over: exhausted at 2 x (10 + 15) minutes.
    has(&out, "+ 50m exhausted: nobody answered");
    // ServiceNow's roster settings: two reminders five minutes apart, then the secondary.
    has(&out, "+ 15m notified fay");
    // PagerDuty's acknowledgement timeout: an hour after Eve's acknowledgement.
    has(&out, "+ 80m acknowledgement timed out");
    // Handoff reminders: Ann asks for an email 12 hours before going on call (her Tuesday and
    // Thursday day turns); Eve for the app an hour before and at the end of her override
    // (09:00-15:00 UTC, 10:00-16:00 in Berlin).
    has(
        &out,
        "Mon 22 Mar 21:00 ann by mail: on call at Tue 23 Mar 09:00",
    );
    has(
        &out,
        "Wed 24 Mar 21:00 ann by mail: on call at Thu 25 Mar 09:00",
    );
    has(
        &out,
        "Sat 27 Mar 09:00 eve by app: on call at Sat 27 Mar 10:00",
    );
    has(
        &out,
        "Sat 27 Mar 16:00 eve by app: off call at Sat 27 Mar 16:00",
    );
    // Monday the 29th is Ann's turn, but she is away and Bob covers: no reminder for her.
    assert!(
        !out.iter()
            .any(|l| l.contains("ann by mail: on call at Mon 29 Mar"))
    );
    // Contact rules. Eve is paged at 03:10 Berlin time: her "nights" rule (22:00-07:00 in
    // her zone) calls her mobile at once.
    has(&out, "+ 0m contact eve by mobile (voice, rule nights)");
    // Ann's high-urgency rule: the app at once, a text two minutes later.
    has(&out, "+ 2m contact ann by text (sms, rule paged)");
    // Eve by day: the app, her mobile five minutes later (before the 15-minute step ends).
    has(&out, "+ 15m contact eve by mobile (voice, rule default)");
    // ServiceNow's contact attempts: Hal's second reminder is attempt 3, a text and a call.
    has(&out, "+ 10m contact hal by phone (voice, rule attempt 3)");
    // The secondary roster forces SMS; Fay has only email: logged, not contacted.
    has(
        &out,
        "+ 15m cannot reach fay: no method on the step's channel sms",
    );
    // A low-urgency incident: Eve's low-urgency rule (email) for every notice, the
    // re-notification after the acknowledgement timeout too.
    has(&out, "+ 80m contact eve by mail (email, rule low urgency)");
}

#[test]
fn bad_inputs_are_messages() {
    let out = run(&["/nonexistent/team.json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("oncall: cannot read /nonexistent/team.json"),
        "{err}"
    );
    let out = run(&["a.json", "b.json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: oncall"));
}
