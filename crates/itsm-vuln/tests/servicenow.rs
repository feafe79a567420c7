//! Conformance with ServiceNow Vulnerability Response's documentation: one test per
//! documented rule, naming the page (docs mirror `markdown/security-management/
//! vulnerability-response/`).
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;
use common::*;
use itsm_vuln::chrono::TimeDelta;
use itsm_vuln::{
    CalculatorRule, Closure, Command, Condition, ConfigItemId, Error, Facts, Levels, Policy,
    Progress, Rating, RatingScale, Reason, Recalculation, Score, Severity, Status, TargetRule,
    Weights, assess, severity_calculator,
};

fn two_in_a_task() -> Desk {
    let mut d = Desk::new();
    d.high(at(1, 9), 1);
    d.high(at(1, 9), 2);
    d.group(at(1, 10), 10, &[1, 2]);
    d
}

// vr-rt-vi-states.md: "When a group of vulnerable items are in one remediation task and
// aren't altered at an individual level, they have the same state as their remediation
// task" (Open to Awaiting Implementation moves them all).
#[test]
fn items_follow_their_task() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    d.ok(
        at(2, 10),
        &owner(),
        Command::AwaitImplementation { task: task(10) },
    );
    assert_eq!(d.item(1).status, Status::AwaitingImplementation);
    assert_eq!(d.item(2).status, Status::AwaitingImplementation);
}

// vr-rt-vi-states.md: "When the remediation task is deferred, the VI is likewise deferred."
#[test]
fn a_deferred_task_defers_its_items() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 9),
        &admin(),
        Command::Defer {
            subject: ti(10),
            until: day(30),
            reason: Reason::FixUnavailable,
        },
    );
    assert_eq!(d.item(1).status, Status::Deferred);
    assert_eq!(d.item(1).deferral.unwrap().until, day(30));
    assert_eq!(d.task(10).deferrals, 1);
}

// vr-rt-vi-states.md: a task closed as Canceled or Fixed with Exception leaves the item
// alone: it "takes on the state of any other remediation task that contains it. If the
// vulnerable item is in no other remediation task, it reverts to the Open state."
#[test]
fn a_canceled_task_leaves_its_items() {
    let mut d = two_in_a_task();
    d.group(at(1, 11), 11, &[1]);
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(11) },
    );
    d.ok(
        at(2, 10),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    d.ok(
        at(2, 11),
        &owner(),
        Command::AwaitImplementation { task: task(10) },
    );
    d.ok(
        at(3, 9),
        &admin(),
        Command::CloseTask {
            task: task(10),
            closure: Closure::Canceled,
        },
    );
    assert_eq!(d.task(10).status, Status::Closed);
    assert_eq!(
        d.item(1).status,
        Status::UnderInvestigation,
        "task 11's state"
    );
    assert_eq!(d.item(2).status, Status::Open, "in no other task");
}

// vr-rt-vi-states.md: "If the vulnerable item state is Closed/Fixed (updated by a scan or
// import), then when the remediation task changes its state, the vulnerable item remains in
// the Closed/Fixed state."
#[test]
fn an_item_fixed_by_the_scanner_stays_closed() {
    let mut d = two_in_a_task();
    d.fixed(at(2, 9), 1);
    d.ok(
        at(2, 10),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    assert_eq!(
        (d.item(1).status, d.item(1).closure),
        (Status::Closed, Some(Closure::Fixed))
    );
    assert_eq!(d.item(2).status, Status::UnderInvestigation);
}

// vr-detections-rt-vi-states.md: "If all detections are closed for a vulnerable item, that
// vulnerable item is closed ... When all VIs are closed for a remediation task, the
// remediation task is closed"; vr-state-rollup-rolldown.md: the same sub-state as the VITs.
#[test]
fn all_items_fixed_close_the_task_as_fixed() {
    let mut d = two_in_a_task();
    d.fixed(at(2, 9), 1);
    assert_eq!(d.task(10).status, Status::Open);
    d.fixed(at(2, 9), 2);
    assert_eq!(
        (d.task(10).status, d.task(10).closure),
        (Status::Closed, Some(Closure::Fixed))
    );
}

// vr-state-rollup-rolldown.md: "Open → Closed: All associated VITs have different
// sub-states: Closed – <no sub-state>".
#[test]
fn items_closed_differently_close_the_task_without_a_substate() {
    let mut d = two_in_a_task();
    d.fixed(at(2, 9), 1);
    d.ok(
        at(2, 10),
        &owner(),
        Command::MarkFalsePositive {
            subject: it(2),
            information: "not installed".into(),
        },
    );
    d.ok(at(2, 11), &approver(), Command::Approve { subject: it(2) });
    assert_eq!(d.item(2).closure, Some(Closure::FalsePositive));
    assert_eq!(
        (d.task(10).status, d.task(10).closure),
        (Status::Closed, None)
    );
}

// vr-state-rollup-rolldown.md: "some Closed VITs and some Deferred VITs ... same sub-state:
// Deferred – <same sub-state as VITs> (Until date = earliest of all VITs)".
#[test]
fn closed_and_deferred_items_defer_the_task_until_the_earliest() {
    let mut d = Desk::new();
    for n in 1..=3 {
        d.high(at(1, 9), n);
    }
    d.group(at(1, 10), 10, &[1, 2, 3]);
    d.fixed(at(2, 9), 1);
    for (n, until) in [(2, day(40)), (3, day(20))] {
        d.ok(
            at(2, 10),
            &admin(),
            Command::Defer {
                subject: it(n),
                until,
                reason: Reason::RiskAccepted,
            },
        );
    }
    let t = d.task(10);
    assert_eq!(t.status, Status::Deferred);
    assert_eq!(t.deferral.unwrap().until, day(20));
    assert_eq!(t.deferral.unwrap().reason, Some(Reason::RiskAccepted));
}

// vr-state-rollup-rolldown.md: "All associated Deferred VITs have different sub-states:
// Deferred – <no sub-state>"; vr-rt-states.md: "If the VITs differ in reason, then the
// remediation task's reason changes to None."
#[test]
fn items_deferred_for_different_reasons_defer_the_task_without_one() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 10),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(30),
            reason: Reason::RiskAccepted,
        },
    );
    d.ok(
        at(2, 10),
        &admin(),
        Command::Defer {
            subject: it(2),
            until: day(30),
            reason: Reason::FixUnavailable,
        },
    );
    assert_eq!(d.task(10).status, Status::Deferred);
    assert_eq!(d.task(10).deferral.unwrap().reason, None);
}

// vr-state-rollup-rolldown.md: "Open → Under Investigation / Awaiting Implementation / In
// Review: VIT transitions to any non-final or non-actionable state: Remains Open".
#[test]
fn an_item_in_review_leaves_its_task_open() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 9),
        &owner(),
        Command::RequestException {
            subject: it(1),
            until: day(30),
            reason: Reason::FixUnavailable,
            information: String::new(),
        },
    );
    assert_eq!(d.item(1).status, Status::InReview);
    assert_eq!(d.task(10).status, Status::Open);
}

// vr-state-rollup-rolldown.md: "Resolved → Open: If a resolved VIT reopens and the
// previously associated RT was assigned to a user: Resolved → Under Investigation".
#[test]
fn a_reopened_item_takes_its_assigned_resolved_task_to_investigation() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 9),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: "patched".into(),
        },
    );
    d.high(at(9, 9), 1);
    assert_eq!(d.item(1).status, Status::UnderInvestigation);
    assert_eq!(d.task(10).status, Status::UnderInvestigation);
    assert_eq!(d.item(2).status, Status::UnderInvestigation, "rolled down");
}

// vr-state-rollup-rolldown.md: "... unassigned to a user: Resolved → Open".
#[test]
fn a_reopened_item_takes_its_unassigned_resolved_task_to_open() {
    let mut d = two_in_a_task();
    d.ok(
        at(1, 11),
        &owner(),
        Command::Assign {
            task: task(10),
            to: None,
            group: None,
        },
    );
    d.ok(
        at(2, 9),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: "patched".into(),
        },
    );
    d.high(at(9, 9), 1);
    assert_eq!(d.task(10).status, Status::Open);
}

// vr-rt-state-for-multi-grp-vi.md: an item in two tasks takes the state of higher
// precedence: UI over Open, then AI over UI, then Deferred over AI.
#[test]
fn an_item_in_two_tasks_takes_the_higher_precedence() {
    let mut d = Desk::new();
    d.high(at(1, 9), 1);
    d.high(at(1, 9), 2);
    d.group(at(1, 10), 10, &[1]);
    d.group(at(1, 10), 11, &[1, 2]);
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    assert_eq!(d.item(1).status, Status::UnderInvestigation);
    d.ok(
        at(2, 10),
        &owner(),
        Command::StartInvestigation { task: task(11) },
    );
    d.ok(
        at(2, 11),
        &owner(),
        Command::AwaitImplementation { task: task(11) },
    );
    assert_eq!(d.item(1).status, Status::AwaitingImplementation);
    d.ok(
        at(3, 9),
        &admin(),
        Command::Defer {
            subject: ti(10),
            until: day(30),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.item(1).status, Status::Deferred);
}

// vr-rt-state-for-multi-grp-vi.md: "When RT 2 is Closed/Fixed or Closed/Cancelled, and RT 1
// is Under Investigation, the VI changes from Awaiting Implementation ... to Under
// Investigation".
#[test]
fn a_canceled_task_no_longer_counts_for_an_item_in_two() {
    let mut d = Desk::new();
    d.high(at(1, 9), 1);
    d.group(at(1, 10), 10, &[1]);
    d.group(at(1, 10), 11, &[1]);
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(11) },
    );
    d.ok(
        at(2, 10),
        &owner(),
        Command::AwaitImplementation { task: task(11) },
    );
    d.ok(
        at(3, 9),
        &admin(),
        Command::CloseTask {
            task: task(11),
            closure: Closure::Canceled,
        },
    );
    assert_eq!(d.item(1).status, Status::UnderInvestigation);
}

// vr-rt-state-for-multi-grp-vi.md: "When a VI state is set individually, its state is
// considered when evaluating precedence, as with any other remediation task": deferred on
// the item, it stays deferred when a task moves to Awaiting Implementation.
#[test]
fn a_state_set_on_the_item_counts_like_a_task() {
    let mut d = Desk::new();
    d.high(at(1, 9), 1);
    d.high(at(1, 9), 2);
    d.group(at(1, 10), 10, &[1, 2]);
    d.ok(
        at(2, 9),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(30),
            reason: Reason::Other,
        },
    );
    d.ok(
        at(2, 10),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    d.ok(
        at(2, 11),
        &owner(),
        Command::AwaitImplementation { task: task(10) },
    );
    assert_eq!(d.item(1).status, Status::Deferred);
    assert_eq!(d.item(2).status, Status::AwaitingImplementation);
}

// vr-rt-state-for-multi-grp-vi.md: "when two remediation tasks with common vulnerable
// items are deferred, the state is deferred until the latest date is reached".
#[test]
fn two_deferred_tasks_defer_the_item_until_the_later_date() {
    let mut d = Desk::new();
    d.high(at(1, 9), 1);
    d.high(at(1, 9), 2);
    d.group(at(1, 10), 10, &[1, 2]);
    d.group(at(1, 10), 11, &[1]);
    d.ok(
        at(2, 9),
        &admin(),
        Command::Defer {
            subject: ti(11),
            until: day(60),
            reason: Reason::Other,
        },
    );
    d.ok(
        at(2, 9),
        &admin(),
        Command::Defer {
            subject: ti(10),
            until: day(40),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.item(1).deferral.unwrap().until, day(60));
    // Task 10's deferral ends; the item stays deferred until task 11's.
    d.tick(day(40));
    assert_eq!(d.item(1).status, Status::Deferred);
    assert_eq!(d.item(2).status, Status::Open);
    d.tick(day(60));
    assert_eq!(d.item(1).status, Status::Open);
}

// vr-detections-rt-vi-states.md: "Closed VIs with a substate of fixed or stale are reopened
// if a new detection is created"; (DetectionBase) "Fixed, Stale, or CI Decommissioned".
#[test]
fn a_new_detection_reopens_fixed_stale_and_decommissioned_items() {
    let mut p = Policy::servicenow();
    p.stale_days = Some(30);
    let mut d = Desk::with(p);
    d.high(at(1, 9), 1);
    d.high(at(1, 9), 2);
    d.high(at(1, 9), 3);
    d.fixed(at(2, 9), 1);
    d.ok(
        at(2, 9),
        &scanner(),
        Command::Retired {
            ci: ConfigItemId::from_u128(2),
        },
    );
    d.tick(at(31, 9));
    assert_eq!(d.item(3).closure, Some(Closure::Stale));
    for n in 1..=3 {
        assert_eq!(names(&d.high(at(31, 10), n)), ["reopened"]);
        assert_eq!(d.item(n).status, Status::Open);
        assert_eq!(d.item(n).reopened, 1);
    }
}

// vr-rt-states.md: "When a VIT is reopened ... The VIT state changes to Open. The original
// remediation task state doesn't update."
#[test]
fn a_reopened_item_leaves_its_closed_task_closed() {
    let mut d = two_in_a_task();
    d.fixed(at(2, 9), 1);
    d.fixed(at(2, 9), 2);
    assert_eq!(d.task(10).status, Status::Closed);
    d.high(at(9, 9), 1);
    assert_eq!(d.item(1).status, Status::Open);
    assert_eq!(d.task(10).status, Status::Closed);
    assert!(d.item(1).tasks.is_empty(), "to be grouped again");
}

// vr-rt-states.md: the Open state offers Start Investigation ("Assign this remediation
// task to a person or group to start investigating"); Awaiting Implementation comes from
// Under Investigation.
#[test]
fn investigation_needs_an_assignee_and_implementation_an_investigation() {
    let mut d = two_in_a_task();
    let e = d.err(
        at(2, 9),
        &owner(),
        Command::AwaitImplementation { task: task(10) },
    );
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Open,
                ..
            }
        ),
        "{e}"
    );
    d.ok(
        at(2, 9),
        &owner(),
        Command::Assign {
            task: task(10),
            to: None,
            group: None,
        },
    );
    let e = d.err(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    assert_eq!(e, Error::Unassigned(task(10)));
}

// vr-rt-states.md: Resolve is offered in Open and Awaiting Implementation; "The remediation
// owner can only mark a vulnerable item or remediation task as resolved. Based on the
// confirmation from the scanner, this resolved item ... can be marked as Closed or
// reopened."
#[test]
fn the_owner_resolves_and_the_scanner_confirms() {
    let mut d = two_in_a_task();
    d.ok(
        at(2, 9),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    let e = d.err(
        at(2, 9),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: String::new(),
        },
    );
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::UnderInvestigation,
                ..
            }
        ),
        "{e}"
    );
    d.ok(
        at(2, 10),
        &owner(),
        Command::AwaitImplementation { task: task(10) },
    );
    d.ok(
        at(3, 9),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: "KB500 installed".into(),
        },
    );
    assert_eq!(d.task(10).notes.as_deref(), Some("KB500 installed"));
    assert_eq!(d.item(1).status, Status::Resolved);
    d.fixed(at(4, 9), 1);
    d.fixed(at(4, 9), 2);
    assert_eq!(d.task(10).status, Status::Closed);
}

// vuln-calculators-rules.md: "the condition for each calculator rule is evaluated in
// order, and the first matching calculator rule is used".
#[test]
fn the_first_matching_calculator_rule_scores() {
    let rules = vec![
        CalculatorRule::new(
            "internet",
            Condition::any().internet_facing(true),
            Score::Fixed(95),
        ),
        CalculatorRule::new(
            "high",
            Condition::any().severity([Severity::High]),
            Score::Fixed(70),
        ),
        CalculatorRule::new("rest", Condition::any(), Score::Fixed(10)),
    ];
    let scale = RatingScale::servicenow();
    let facing = Facts::new(Severity::High).internet_facing();
    assert_eq!(assess(&rules, &scale, &facing).score, 95);
    assert_eq!(
        assess(&rules, &scale, &facing).rule.as_deref(),
        Some("internet")
    );
    assert_eq!(
        assess(&rules, &scale, &Facts::new(Severity::High)).score,
        70
    );
    assert_eq!(assess(&rules, &scale, &Facts::new(Severity::Low)).score, 10);
}

// vuln-calculators-rules.md: the Vulnerability Severity calculator assigns each severity a
// value; "Unknown Severity is automatically assigned a risk score of 100".
#[test]
fn unknown_severity_scores_100() {
    let rules = severity_calculator();
    let risk = assess(
        &rules,
        &RatingScale::servicenow(),
        &Facts::new(Severity::Unknown),
    );
    assert_eq!((risk.score, risk.rating), (100, Rating::Critical));
}

// vuln-calculators-rules.md, Vulnerability Risk Score Weights: 1 (critical) 90-100, 2 (high)
// 70-89, 3 (medium) 40-69, 4 (low) 1-39, 5 (none) 0.
#[test]
fn the_rating_follows_the_risk_score_weights() {
    let s = RatingScale::servicenow();
    for (score, rating) in [
        (100, Rating::Critical),
        (90, Rating::Critical),
        (89, Rating::High),
        (70, Rating::High),
        (69, Rating::Medium),
        (40, Rating::Medium),
        (39, Rating::Low),
        (1, Rating::Low),
        (0, Rating::None),
    ] {
        assert_eq!(s.rate(score), rating, "{score}");
    }
}

// vuln-calculators-rules.md: "If the severity weightage is 50 for the risk rule, and ...
// Critical 100, High 50, Medium 20, None 0": a critical contributes 50, a high 25.
#[test]
fn a_risk_rule_weighs_its_factors() {
    let w = Weights::new(50, Levels::new(100, 50, 20, 0, 0));
    assert_eq!(w.score(&Facts::new(Severity::Critical)), 50);
    assert_eq!(w.score(&Facts::new(Severity::High)), 25);
    assert_eq!(w.score(&Facts::new(Severity::Medium)), 10);
    assert_eq!(w.score(&Facts::new(Severity::None)), 0);
}

/// The default target rules over ServiceNow's severity calculator (a high severity scores
/// 75: high risk, 30 days, reminded 7 days before).
fn by_severity() -> Desk {
    let mut p = Policy::servicenow();
    p.calculators = severity_calculator();
    Desk::with(p)
}

fn ttr(rules: Vec<TargetRule>, recalculation: Recalculation) -> Desk {
    let mut p = Policy::servicenow();
    p.targets = rules;
    p.recalculation = recalculation;
    p.calculators = severity_calculator();
    Desk::with(p)
}

// time-to-remediate-rules.md: "Remediation Target = Target from (date) + Target (days)",
// days "measured as 24-hour increments" from the Last Opened date.
#[test]
fn the_target_is_the_last_opening_plus_the_rules_days() {
    let mut d = ttr(
        vec![TargetRule::new(
            "high",
            Condition::any().rating([Rating::High]),
            30,
        )],
        Recalculation::Keep,
    );
    d.high(at(1, 10), 1);
    let t = d.item(1).target.clone().unwrap();
    assert_eq!(
        (t.rule.as_str(), t.due),
        ("high", at(1, 10) + TimeDelta::hours(30 * 24))
    );
}

// time-to-remediate-rules.md: "When multiple remediation target rules are applied to the
// same vulnerable item, the most restrictive rule is applied."
#[test]
fn the_most_restrictive_rule_applies() {
    let rules = vec![
        TargetRule::new("15 days", Condition::any(), 15),
        TargetRule::new("10 days", Condition::any().severity([Severity::High]), 10),
    ];
    let mut d = ttr(rules, Recalculation::Keep);
    d.high(at(1, 10), 1);
    assert_eq!(d.item(1).target.clone().unwrap().rule, "10 days");
}

fn rating_change(
    method: Recalculation,
    from: Severity,
    to: Severity,
) -> (
    itsm_vuln::chrono::DateTime<itsm_vuln::chrono::Utc>,
    itsm_vuln::chrono::DateTime<itsm_vuln::chrono::Utc>,
) {
    let rules = vec![
        TargetRule::new("critical", Condition::any().rating([Rating::Critical]), 10),
        TargetRule::new("high", Condition::any().rating([Rating::High]), 30),
        TargetRule::new("medium", Condition::any().rating([Rating::Medium]), 60),
    ];
    let mut d = ttr(rules, method);
    d.found(day(0), 1, Facts::new(from));
    let before = d.item(1).target.clone().unwrap().due;
    d.found(day(25), 1, Facts::new(to));
    (before, d.item(1).target.clone().unwrap().due)
}

// time-to-remediate-rules.md, Recalculation of remediation target date: "Default
// calculation: Retains the existing RT date."
#[test]
fn the_default_recalculation_keeps_the_date() {
    let (before, after) = rating_change(Recalculation::Keep, Severity::High, Severity::Critical);
    assert_eq!(after, before);
}

// "Recalculate from risk change date: Updates the Remediation Target date to: Field change
// time + Target (days) based on the new risk rating."
#[test]
fn recalculating_from_the_change_uses_the_new_rules_days() {
    let (_, after) = rating_change(
        Recalculation::FromChange,
        Severity::High,
        Severity::Critical,
    );
    assert_eq!(after, day(35));
}

// "... and always set to earliest target date: Compares the existing RT date with Field
// change time + Target (days) and applies the earlier date."
#[test]
fn recalculating_to_the_earliest_keeps_the_earlier() {
    let (before, after) =
        rating_change(Recalculation::Earliest, Severity::High, Severity::Critical);
    assert_eq!((before, after), (day(30), day(30)), "day 25 + 10 is later");
    let (_, after) = rating_change(
        Recalculation::Earliest,
        Severity::Medium,
        Severity::Critical,
    );
    assert_eq!(after, day(35), "day 25 + 10 beats day 60");
}

// "... set to earliest target date only when risk rating increases: If the risk increases:
// Compares ... and applies the earliest date. If the risk decreases: Applies Field change
// time + Target (days) without comparison."
#[test]
fn recalculating_when_rising_compares_and_when_falling_replaces() {
    let (_, rising) = rating_change(
        Recalculation::EarliestWhenRising,
        Severity::High,
        Severity::Critical,
    );
    assert_eq!(rising, day(30));
    let (_, falling) = rating_change(
        Recalculation::EarliestWhenRising,
        Severity::High,
        Severity::Medium,
    );
    assert_eq!(falling, day(85));
}

// time-to-remediate-rules.md: "Remediation target rules are run on import and rerun if a VI
// is reopened."
#[test]
fn a_reopened_item_gets_a_fresh_target() {
    let mut d = by_severity();
    d.high(day(0), 1);
    d.fixed(day(5), 1);
    d.high(day(20), 1);
    assert_eq!(d.item(1).target.clone().unwrap().due, day(50));
    assert_eq!(d.item(1).opened, day(20));
}

// time-to-remediate-rules.md: the target shows "as long as the vulnerable items aren't in
// Deferred, Resolved, or Closed state"; green before the notification date, orange
// approaching, red past it.
#[test]
fn progress_against_the_target() {
    let mut d = by_severity();
    d.high(day(0), 1); // high risk: 30 days, reminded 7 before
    assert_eq!(d.item(1).progress(day(1)), Progress::OnTrack);
    assert_eq!(d.item(1).progress(day(23)), Progress::ApproachingTarget);
    assert_eq!(d.item(1).progress(day(30)), Progress::TargetMissed);
    assert_eq!(names(&d.tick(day(23))), ["approaching"]);
    assert_eq!(names(&d.tick(day(30))), ["missed"]);
    d.ok(
        day(31),
        &owner(),
        Command::Resolve {
            subject: it(1),
            notes: String::new(),
        },
    );
    assert_eq!(d.item(1).progress(day(31)), Progress::NoTarget);
    d.fixed(day(32), 1);
    assert_eq!(d.item(1).progress(day(32)), Progress::ClosedLate);
}

// defer-vul-item.md: "A scheduled job runs every day checking for deferred vulnerable items
// that have reached their reopen date. On the day the VI's deferral is set to expire, the
// record is reopened."
#[test]
fn a_deferral_ends_on_its_date() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(10),
            reason: Reason::AwaitingMaintenanceWindow,
        },
    );
    assert_eq!(d.deadline(), Some(day(10)));
    assert!(d.tick(day(9)).is_empty());
    assert_eq!(names(&d.tick(day(10))), ["deferral_ended"]);
    assert_eq!(d.item(1).status, Status::Open);
}

// raise-exception-vi.md: "The selected item must be in Open, Under Investigation, or
// Awaiting Implementation state"; "When a request is raised, the vulnerable item changes to
// In-Review status".
#[test]
fn an_exception_is_asked_from_an_actionable_state() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    let ask = || Command::RequestException {
        subject: it(1),
        until: day(30),
        reason: Reason::FixUnavailable,
        information: "no patch".into(),
    };
    d.ok(day(1), &owner(), ask());
    assert_eq!(d.item(1).status, Status::InReview);
    let e = d.err(day(1), &owner(), ask());
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::InReview,
                ..
            }
        ),
        "{e}"
    );
}

// approve-ex-request.md: the exception approver approves (deferred until the date) or
// rejects with comments.
#[test]
fn an_exception_approved_defers_and_rejected_goes_back() {
    let mut d = two_in_a_task();
    d.ok(
        day(1),
        &owner(),
        Command::RequestException {
            subject: ti(10),
            until: day(30),
            reason: Reason::RiskAccepted,
            information: String::new(),
        },
    );
    assert_eq!(d.item(1).status, Status::InReview, "rolled down");
    let e = d.err(day(1), &owner(), Command::Approve { subject: ti(10) });
    assert!(matches!(e, Error::Forbidden { .. }), "{e}");
    d.ok(
        day(2),
        &approver(),
        Command::Reject {
            subject: ti(10),
            comments: "patch it".into(),
        },
    );
    assert_eq!(d.task(10).status, Status::Open);
    d.ok(
        day(3),
        &owner(),
        Command::RequestException {
            subject: ti(10),
            until: day(30),
            reason: Reason::RiskAccepted,
            information: String::new(),
        },
    );
    d.ok(day(4), &approver(), Command::Approve { subject: ti(10) });
    assert_eq!(d.task(10).status, Status::Deferred);
    assert_eq!(d.item(2).deferral.unwrap().until, day(30));
}

// extend-defer-vul-item.md: "The Request Extension button is visible only when the state of
// the vulnerable item is Deferred"; "After the request is approved, the Until, Reason, and
// Deferral notes are updated."
#[test]
fn an_extension_moves_a_deferral_later_once_approved() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    let extend = || Command::RequestExtension {
        subject: it(1),
        until: day(60),
        reason: Reason::FixUnavailable,
    };
    let e = d.err(day(1), &owner(), extend());
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Open,
                ..
            }
        ),
        "{e}"
    );
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(30),
            reason: Reason::AwaitingMaintenanceWindow,
        },
    );
    d.ok(day(20), &owner(), extend());
    assert_eq!(d.item(1).status, Status::Deferred);
    d.ok(day(21), &approver(), Command::Approve { subject: it(1) });
    let deferral = d.item(1).deferral.unwrap();
    assert_eq!(
        (deferral.until, deferral.reason),
        (day(60), Some(Reason::FixUnavailable))
    );
    assert_eq!(d.item(1).deferrals, 2);
}

// raise-fp-request.md: "The VI or VUL must be in an Open state"; "The request is sent for
// approval and the State of the VI or VUL changes to In Review"; approved, it closes as a
// false positive.
#[test]
fn a_false_positive_is_asked_when_open_and_closes_once_approved() {
    let mut d = two_in_a_task();
    d.ok(
        day(1),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    let e = d.err(
        day(1),
        &owner(),
        Command::MarkFalsePositive {
            subject: ti(10),
            information: String::new(),
        },
    );
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::UnderInvestigation,
                ..
            }
        ),
        "{e}"
    );
    d.high(day(1), 3);
    d.ok(
        day(1),
        &owner(),
        Command::MarkFalsePositive {
            subject: it(3),
            information: String::new(),
        },
    );
    assert_eq!(d.item(3).status, Status::InReview);
    d.ok(day(2), &approver(), Command::Approve { subject: it(3) });
    assert_eq!(
        (d.item(3).status, d.item(3).closure),
        (Status::Closed, Some(Closure::FalsePositive))
    );
}

// configure-exception-management-settings.md: "you can limit the duration for which an
// exception can be requested".
#[test]
fn an_exception_is_limited_to_the_configured_duration() {
    let mut p = Policy::servicenow();
    p.max_exception_days = Some(90);
    let mut d = Desk::with(p);
    d.high(day(0), 1);
    let e = d.err(
        day(0),
        &owner(),
        Command::RequestException {
            subject: it(1),
            until: day(91),
            reason: Reason::RiskAccepted,
            information: String::new(),
        },
    );
    assert!(matches!(e, Error::TooLong { days: 90, .. }), "{e}");
    d.ok(
        day(0),
        &owner(),
        Command::RequestException {
            subject: it(1),
            until: day(90),
            reason: Reason::RiskAccepted,
            information: String::new(),
        },
    );
}

// auto-close-vis.md: VIs of a retired CI close (Closed, CI Decommissioned); "You cannot
// manually reopen VIs whose state is CI decommissioned".
#[test]
fn a_retired_cis_items_close_and_stay_closed_by_hand() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(
        day(1),
        &scanner(),
        Command::Retired {
            ci: ConfigItemId::from_u128(1),
        },
    );
    assert_eq!(d.item(1).closure, Some(Closure::CiDecommissioned));
    let e = d.err(day(2), &owner(), Command::Reopen { subject: it(1) });
    assert_eq!(e, Error::Decommissioned(item(1)));
}

// vr-vi-calcVI-age.md: the age counts from the last opening and shows for active items;
// "Age closed" is how long it was active before it closed, reset when it reopens.
#[test]
fn age_counts_from_the_last_opening() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    assert_eq!(d.item(1).age(day(9)), Some(TimeDelta::days(9)));
    d.fixed(day(9), 1);
    assert_eq!(
        (d.item(1).age(day(12)), d.item(1).age_closed()),
        (None, Some(TimeDelta::days(9)))
    );
    d.high(day(12), 1);
    assert_eq!(
        (d.item(1).age(day(13)), d.item(1).age_closed()),
        (Some(TimeDelta::days(1)), None)
    );
}

// vr-rt-vi-states.md: "you can track the number of times that a vulnerable item ... or a
// remediation task is deferred".
#[test]
fn deferrals_are_counted() {
    let mut d = two_in_a_task();
    for n in 0..3 {
        d.ok(
            day(n * 10 + 1),
            &admin(),
            Command::Defer {
                subject: ti(10),
                until: day(n * 10 + 5),
                reason: Reason::Other,
            },
        );
        d.tick(day(n * 10 + 5));
    }
    assert_eq!(d.task(10).deferrals, 3);
    assert_eq!(d.task(10).status, Status::Open);
}

// vr-rt-states.md: Deferred, Resolved and Closed offer Reopen ("Transition back to an Open
// state").
#[test]
fn reopen_goes_back_to_open() {
    let mut d = two_in_a_task();
    d.ok(
        day(1),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: String::new(),
        },
    );
    d.ok(day(2), &owner(), Command::Reopen { subject: ti(10) });
    assert_eq!(
        (d.task(10).status, d.item(1).status),
        (Status::Open, Status::Open)
    );
    let e = d.err(day(2), &owner(), Command::Reopen { subject: ti(10) });
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Open,
                ..
            }
        ),
        "{e}"
    );
}

fn grouped(rules: Vec<itsm_vuln::TaskRule>) -> Desk {
    let mut p = Policy::servicenow();
    p.task_rules = rules;
    Desk::with(p)
}

fn found_into(
    d: &mut Desk,
    now: itsm_vuln::chrono::DateTime<itsm_vuln::chrono::Utc>,
    n: u128,
    cve: &str,
    ci: u128,
    new_task: u128,
) -> Vec<itsm_vuln::Event> {
    d.ok(
        now,
        &scanner(),
        Command::Found {
            item: item(n),
            ci: ConfigItemId::from_u128(ci),
            vulnerability: cve.into(),
            facts: Facts::new(Severity::High),
            task: Some(task(new_task)),
        },
    )
}

// create-vul-group-rules.md: "These rules automatically group vulnerable items as they are
// imported or manually created"; grouped by a field (the vulnerability here): items of the
// same CVE go to one task, another CVE gets its own.
#[test]
fn task_rules_group_found_items_by_their_fields() {
    use itsm_vuln::{GroupBy, TaskRule};
    let mut d = grouped(vec![TaskRule::new(
        "by cve",
        Condition::any(),
        [GroupBy::Vulnerability],
    )]);
    assert_eq!(
        names(&found_into(&mut d, day(0), 1, "CVE-1", 1, 10)),
        ["created", "task_created"]
    );
    assert_eq!(
        names(&found_into(&mut d, day(0), 2, "CVE-1", 2, 11)),
        ["created", "joined"]
    );
    assert_eq!(
        names(&found_into(&mut d, day(0), 3, "CVE-2", 1, 12)),
        ["created", "task_created"]
    );
    assert_eq!(d.task(10).items.len(), 2);
    assert_eq!(d.task(10).rule.as_ref().unwrap().key, ["CVE-1"]);
    assert!(d.board.task(task(11)).is_none(), "the id was not needed");
    assert_eq!(d.task(12).items.len(), 1);
}

// create-vul-group-rules.md: the first rule whose filter condition matches groups the item
// (a rule limited to items with exploits, then one for the rest); its tasks go to the
// rule's assignment group.
#[test]
fn the_first_matching_task_rule_groups_and_assigns() {
    use itsm_vuln::{GroupBy, GroupId, TaskRule};
    let kev = GroupId::from_u128(77);
    let mut d = grouped(vec![
        TaskRule::new("exploited", Condition::any().exploit(true), [GroupBy::Ci]).assign(kev),
        TaskRule::new("rest", Condition::any(), []),
    ]);
    d.ok(
        day(0),
        &scanner(),
        Command::Found {
            item: item(1),
            ci: ConfigItemId::from_u128(1),
            vulnerability: "CVE-1".into(),
            facts: Facts::new(Severity::High).exploited(),
            task: Some(task(10)),
        },
    );
    found_into(&mut d, day(0), 2, "CVE-2", 1, 11);
    assert_eq!(
        (
            d.task(10).group,
            d.task(10).rule.as_ref().unwrap().rule.as_str()
        ),
        (Some(kev), "exploited")
    );
    assert_eq!(d.task(11).rule.as_ref().unwrap().rule, "rest");
}

// create-vul-group-rules.md: "New tasks are created, as needed"; vr-rt-states.md: a reopened
// VIT "is reevaluated and put into a new or existing remediation task that is based on the
// active Remediation Task Rules".
#[test]
fn a_reopened_item_is_grouped_again_into_a_new_task_when_its_old_one_closed() {
    use itsm_vuln::{GroupBy, TaskRule};
    let mut d = grouped(vec![TaskRule::new(
        "by cve",
        Condition::any(),
        [GroupBy::Vulnerability],
    )]);
    found_into(&mut d, day(0), 1, "CVE-1", 1, 10);
    d.fixed(day(1), 1);
    assert_eq!(d.task(10).status, Status::Closed);
    assert_eq!(
        names(&found_into(&mut d, day(2), 1, "CVE-1", 1, 11)),
        ["reopened", "task_created"]
    );
    assert_eq!(
        d.item(1).tasks.iter().copied().collect::<Vec<_>>(),
        [task(11)]
    );
    // Found again while open: already in its rule's task, nothing more.
    assert_eq!(
        names(&found_into(&mut d, day(3), 1, "CVE-1", 1, 12)),
        ["seen"]
    );
}
