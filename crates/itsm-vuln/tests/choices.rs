//! Our choices where ServiceNow's documentation is silent, and every refusal's message
//! (docs/vulnerability.md, "Our choices").
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;
use common::*;
use itsm_vuln::chrono::TimeDelta;
use itsm_vuln::{
    CalculatorRule, Closure, Command, Condition, ConfigItemId, Error, Facts, Levels, MAX_RULES,
    Policy, Reason, Score, Severity, Status, TargetRule, Weights,
};

#[test]
fn a_second_fixed_report_does_nothing() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    assert_eq!(names(&d.fixed(day(1), 1)), ["closed"]);
    assert!(d.fixed(day(2), 1).is_empty());
    assert_eq!(d.item(1).closed_at, Some(day(1)));
}

#[test]
fn a_detection_must_match_the_item_on_record() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    let e = d.err(
        day(1),
        &scanner(),
        Command::Found {
            item: item(1),
            ci: ConfigItemId::from_u128(9),
            vulnerability: "CVE-1".into(),
            facts: Facts::new(Severity::Low),
            task: None,
        },
    );
    assert!(matches!(e, Error::ItemMismatch { .. }), "{e}");
    assert!(
        e.to_string().contains("report another with a new item id"),
        "{e}"
    );
    let e = d.err(
        day(1),
        &scanner(),
        Command::Found {
            item: item(2),
            ci: ConfigItemId::from_u128(2),
            vulnerability: " ".into(),
            facts: Facts::new(Severity::Low),
            task: None,
        },
    );
    assert_eq!(e, Error::EmptyVulnerability);
}

#[test]
fn a_closed_false_positive_is_seen_but_stays_closed() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(
        day(1),
        &owner(),
        Command::MarkFalsePositive {
            subject: it(1),
            information: String::new(),
        },
    );
    d.ok(day(2), &approver(), Command::Approve { subject: it(1) });
    assert_eq!(names(&d.high(day(3), 1)), ["seen"]);
    assert_eq!(d.item(1).closure, Some(Closure::FalsePositive));
}

#[test]
fn nobody_decides_their_own_request_unless_the_policy_allows() {
    let both = itsm_vuln::Actor::new(
        owner().user,
        ["sn_vul.remediation_owner", "sn_vul.exception_approver"]
            .map(|r| itsm_vuln::Role::new(r).unwrap()),
    );
    let ask = || Command::RequestException {
        subject: it(1),
        until: day(30),
        reason: Reason::RiskAccepted,
        information: String::new(),
    };
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(day(1), &both, ask());
    let e = d.err(day(2), &both, Command::Approve { subject: it(1) });
    assert_eq!(e, Error::OwnRequest);
    let e = d.err(
        day(2),
        &both,
        Command::Reject {
            subject: it(1),
            comments: "no".into(),
        },
    );
    assert_eq!(e, Error::OwnRequest);
    let mut p = Policy::servicenow();
    p.self_approval = true;
    let mut d = Desk::with(p);
    d.high(day(0), 1);
    d.ok(day(1), &both, ask());
    d.ok(day(2), &both, Command::Approve { subject: it(1) });
    assert_eq!(d.item(1).status, Status::Deferred);
}

#[test]
fn a_rejection_needs_comments_and_a_request() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    assert_eq!(
        d.err(day(1), &approver(), Command::Approve { subject: it(1) }),
        Error::NoRequest
    );
    d.ok(
        day(1),
        &owner(),
        Command::MarkFalsePositive {
            subject: it(1),
            information: String::new(),
        },
    );
    assert_eq!(
        d.err(
            day(2),
            &approver(),
            Command::Reject {
                subject: it(1),
                comments: " ".into()
            }
        ),
        Error::EmptyComment
    );
    let e = d.err(
        day(2),
        &owner(),
        Command::RequestException {
            subject: it(1),
            until: day(9),
            reason: Reason::Other,
            information: String::new(),
        },
    );
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

#[test]
fn an_extension_waiting_keeps_the_deferral_from_ending() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(10),
            reason: Reason::Other,
        },
    );
    d.ok(
        day(8),
        &owner(),
        Command::RequestExtension {
            subject: it(1),
            until: day(20),
            reason: Reason::Other,
        },
    );
    let e = d.err(
        day(8),
        &owner(),
        Command::RequestExtension {
            subject: it(1),
            until: day(21),
            reason: Reason::Other,
        },
    );
    assert_eq!(e, Error::RequestPending);
    assert!(d.tick(day(12)).iter().all(|e| e.name() != "deferral_ended"));
    assert_eq!(d.item(1).status, Status::Deferred);
    // Rejected, it ends at the next tick (its date has passed).
    d.ok(
        day(13),
        &approver(),
        Command::Reject {
            subject: it(1),
            comments: "patch it".into(),
        },
    );
    assert_eq!(d.deadline(), Some(day(10)));
    assert_eq!(names(&d.tick(day(13))), ["deferral_ended"]);
    assert_eq!(d.item(1).status, Status::Open);
}

#[test]
fn an_extension_must_move_the_date_later() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(10),
            reason: Reason::Other,
        },
    );
    let e = d.err(
        day(2),
        &owner(),
        Command::RequestExtension {
            subject: it(1),
            until: day(10),
            reason: Reason::Other,
        },
    );
    assert_eq!(
        e,
        Error::NotLater {
            until: day(10),
            current: day(10)
        }
    );
}

#[test]
fn a_task_created_over_closed_items_closes_at_once() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.high(day(0), 2);
    d.fixed(day(1), 1);
    d.fixed(day(1), 2);
    d.group(day(2), 10, &[1, 2]);
    assert_eq!(
        (d.task(10).status, d.task(10).closure),
        (Status::Closed, Some(Closure::Fixed))
    );
    let e = d.err(day(3), &owner(), Command::Reopen { subject: ti(10) });
    assert_eq!(e, Error::AllItemsClosed(task(10)));
}

#[test]
fn a_split_moves_some_items_and_both_tasks_are_worked_out_again() {
    let mut d = Desk::new();
    for n in 1..=3 {
        d.high(day(0), n);
    }
    d.group(day(0), 10, &[1, 2, 3]);
    d.fixed(day(1), 1);
    d.ok(
        day(2),
        &owner(),
        Command::Split {
            task: task(10),
            into: task(11),
            items: vec![item(1)],
        },
    );
    assert_eq!(d.task(11).status, Status::Closed, "only the fixed item");
    assert_eq!(d.task(10).items.len(), 2);
    assert_eq!(d.task(11).assigned_to, d.task(10).assigned_to);
    let split = |items: Vec<_>, into| Command::Split {
        task: task(10),
        into: task(into),
        items,
    };
    assert_eq!(
        d.err(day(3), &owner(), split(vec![item(2), item(3)], 12)),
        Error::SplitTakesAll(task(10))
    );
    assert_eq!(
        d.err(day(3), &owner(), split(vec![item(1)], 12)),
        Error::NotInTask {
            item: item(1),
            task: task(10)
        }
    );
    assert_eq!(
        d.err(day(3), &owner(), split(vec![item(2)], 11)),
        Error::TaskExists(task(11))
    );
    assert_eq!(
        d.err(day(3), &owner(), split(vec![item(2), item(2)], 12)),
        Error::DuplicateItem(item(2))
    );
    assert_eq!(d.err(day(3), &owner(), split(vec![], 12)), Error::NoItems);
}

#[test]
fn only_canceled_or_fixed_with_exception_closes_a_task_by_hand() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    let e = d.err(
        day(1),
        &admin(),
        Command::CloseTask {
            task: task(10),
            closure: Closure::Fixed,
        },
    );
    assert_eq!(e, Error::WrongClosure(Closure::Fixed));
    let e = d.err(
        day(1),
        &owner(),
        Command::CloseTask {
            task: task(10),
            closure: Closure::Canceled,
        },
    );
    assert!(
        matches!(
            e,
            Error::Forbidden {
                command: "close_task",
                ..
            }
        ),
        "{e}"
    );
    d.ok(
        day(1),
        &admin(),
        Command::CloseTask {
            task: task(10),
            closure: Closure::FixedWithException,
        },
    );
    assert_eq!(d.item(1).status, Status::Open);
}

#[test]
fn stale_items_close_on_the_tick() {
    let mut p = Policy::servicenow();
    p.stale_days = Some(30);
    let mut d = Desk::with(p);
    d.high(day(0), 1);
    d.high(day(20), 1);
    assert_eq!(d.deadline(), Some(day(50)).min(d.deadline()));
    let events = d.tick(day(50));
    assert!(names(&events).contains(&"closed"), "{events:?}");
    assert_eq!(d.item(1).closure, Some(Closure::Stale));
}

#[test]
fn commands_come_in_time_order() {
    let mut d = Desk::new();
    d.high(day(5), 1);
    let e = d.err(day(4), &scanner(), Command::Fixed { item: item(1) });
    assert_eq!(
        e,
        Error::ClockWentBackwards {
            now: day(4),
            last: day(5)
        }
    );
}

#[test]
fn unknown_ids_are_named() {
    let mut d = Desk::new();
    assert_eq!(
        d.err(day(0), &scanner(), Command::Fixed { item: item(9) }),
        Error::UnknownItem(item(9))
    );
    assert_eq!(
        d.err(
            day(0),
            &owner(),
            Command::StartInvestigation { task: task(9) }
        ),
        Error::UnknownTask(task(9))
    );
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    let e = d.err(
        day(0),
        &owner(),
        Command::CreateTask {
            task: task(10),
            items: vec![item(1)],
            assigned_to: None,
            group: None,
        },
    );
    assert_eq!(e, Error::TaskExists(task(10)));
    let e = d.err(
        day(0),
        &owner(),
        Command::CreateTask {
            task: task(11),
            items: vec![item(2)],
            assigned_to: None,
            group: None,
        },
    );
    assert_eq!(e, Error::UnknownItem(item(2)));
}

#[test]
fn a_retirement_does_nothing_when_the_policy_keeps_items_open() {
    let mut p = Policy::servicenow();
    p.close_retired = false;
    let mut d = Desk::with(p);
    d.high(day(0), 1);
    assert!(
        d.ok(
            day(1),
            &scanner(),
            Command::Retired {
                ci: ConfigItemId::from_u128(1)
            }
        )
        .is_empty()
    );
    assert_eq!(d.item(1).status, Status::Open);
}

#[test]
fn a_reopened_deferred_task_whose_items_are_all_deferred_defers_again() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(30),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.task(10).status, Status::Deferred);
    d.ok(day(2), &owner(), Command::Reopen { subject: ti(10) });
    assert_eq!(
        d.task(10).status,
        Status::Deferred,
        "its only item is deferred"
    );
}

#[test]
fn the_policy_is_checked() {
    let check = |f: &dyn Fn(&mut Policy)| {
        let mut p = Policy::servicenow();
        f(&mut p);
        p.check().unwrap_err()
    };
    let e = check(&|p| {
        p.calculators = vec![CalculatorRule::new(" ", Condition::any(), Score::Fixed(1))]
    });
    assert_eq!(e, Error::EmptyRuleName);
    let e = check(&|p| {
        p.calculators = vec![CalculatorRule::new(
            "r",
            Condition::any().rating([itsm_vuln::Rating::High]),
            Score::Fixed(1),
        )]
    });
    assert!(matches!(e, Error::RatingInCalculator { .. }), "{e}");
    let e = check(&|p| {
        p.calculators = vec![CalculatorRule::new(
            "r",
            Condition::any(),
            Score::Fixed(101),
        )]
    });
    assert!(
        matches!(e, Error::PointsOutOfRange { points: 101, .. }),
        "{e}"
    );
    let e = check(&|p| {
        p.calculators = vec![CalculatorRule::new(
            "r",
            Condition::any(),
            Score::Weighted(Weights::new(50, Levels::new(120, 0, 0, 0, 0))),
        )]
    });
    assert!(
        matches!(e, Error::PointsOutOfRange { points: 120, .. }),
        "{e}"
    );
    let e = check(&|p| {
        p.calculators = vec![CalculatorRule::new(
            "r",
            Condition::any(),
            Score::Weighted(Weights::new(60, Levels::new(100, 0, 0, 0, 0)).epss(41)),
        )]
    });
    assert!(matches!(e, Error::WeightsOver100 { total: 101, .. }), "{e}");
    let e = check(&|p| p.scale.high = 90);
    assert!(matches!(e, Error::BadScale { .. }), "{e}");
    let e = check(&|p| p.targets = vec![TargetRule::new("t", Condition::any(), 10).remind(11)]);
    assert!(
        matches!(
            e,
            Error::BadTargetDays {
                days: 10,
                remind: 11,
                ..
            }
        ),
        "{e}"
    );
    let e = check(&|p| p.targets = vec![TargetRule::new("t", Condition::any(), 1); MAX_RULES + 1]);
    assert!(
        matches!(
            e,
            Error::TooMany {
                what: "target rules",
                ..
            }
        ),
        "{e}"
    );
    Policy::servicenow().check().unwrap();
}

#[test]
fn a_target_past_the_dates_chrono_holds_is_refused_not_lost() {
    let mut p = Policy::servicenow();
    p.calculators = itsm_vuln::severity_calculator();
    let mut d = Desk::with(p);
    let far = itsm_vuln::chrono::DateTime::<itsm_vuln::chrono::Utc>::MAX_UTC - TimeDelta::days(1);
    let e = d
        .run(
            far,
            &scanner(),
            Command::Found {
                item: item(1),
                ci: ConfigItemId::from_u128(1),
                vulnerability: "CVE-1".into(),
                facts: Facts::new(Severity::High),
                task: None,
            },
        )
        .unwrap_err();
    assert_eq!(
        e,
        Error::OutOfRange {
            what: "a remediation target"
        }
    );
}

#[test]
fn a_roll_up_never_defers_to_a_time_already_past() {
    // The item's deferral is held by an extension waiting for the approver; its task's
    // rolled-up deferral ends and must not come back at once (a host ticking on deadlines
    // would tick for ever).
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(10),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.task(10).deferral.unwrap().until, day(10));
    d.ok(
        day(8),
        &owner(),
        Command::RequestExtension {
            subject: it(1),
            until: day(20),
            reason: Reason::Other,
        },
    );
    assert_eq!(names(&d.tick(day(12))), ["deferral_ended"]);
    assert_eq!(d.task(10).status, Status::Open);
    assert_eq!(d.item(1).status, Status::Deferred);
    assert!(
        d.deadline().is_none_or(|n| n > day(12)),
        "{:?}",
        d.deadline()
    );
    assert!(d.tick(day(12)).is_empty());
}

#[test]
fn a_closed_task_is_not_split() {
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.high(day(0), 2);
    d.group(day(0), 10, &[1, 2]);
    d.ok(
        day(1),
        &admin(),
        Command::CloseTask {
            task: task(10),
            closure: Closure::Canceled,
        },
    );
    let e = d.err(
        day(2),
        &owner(),
        Command::Split {
            task: task(10),
            into: task(11),
            items: vec![item(1)],
        },
    );
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Closed,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn a_task_with_a_request_waiting_is_not_split() {
    // The new task would copy "in review" without the request it waits for (the fuzz
    // helper's finding: nothing could approve, reject or work it).
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.high(day(0), 2);
    d.group(day(0), 10, &[1, 2]);
    d.ok(
        day(1),
        &owner(),
        Command::RequestException {
            subject: ti(10),
            until: day(10),
            reason: Reason::Other,
            information: String::new(),
        },
    );
    let e = d.err(
        day(2),
        &owner(),
        Command::Split {
            task: task(10),
            into: task(11),
            items: vec![item(2)],
        },
    );
    assert_eq!(e, Error::RequestPending);
}

#[test]
fn a_task_rolled_up_to_deferred_drops_its_exception_request_and_ends_on_its_date() {
    // The fuzz helper's finding: a waiting exception held the rolled-up deferral past its
    // date for ever.
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    d.ok(
        day(1),
        &owner(),
        Command::RequestException {
            subject: ti(10),
            until: day(30),
            reason: Reason::Other,
            information: String::new(),
        },
    );
    d.group(day(1), 11, &[1]);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: ti(11),
            until: day(3),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.task(10).status, Status::Deferred);
    assert!(
        d.task(10).request.is_none(),
        "moot once rolled up to deferred"
    );
    assert_eq!(d.deadline(), Some(day(3)));
    let events = d.tick(day(3));
    assert_eq!(names(&events), ["deferral_ended", "deferral_ended"]);
    assert_eq!(
        (d.task(10).status, d.task(11).status, d.item(1).status),
        (Status::Open, Status::Open, Status::Open)
    );
}

#[test]
fn task_rules_without_an_id_leave_the_item_ungrouped_and_skip_tasks_not_taking_items() {
    use itsm_vuln::{GroupBy, TaskRule};
    let mut p = Policy::servicenow();
    p.task_rules = vec![TaskRule::new(
        "by cve",
        Condition::any(),
        [GroupBy::Vulnerability],
    )];
    let mut d = Desk::with(p);
    let found = |n: u128, new_task: Option<u128>| Command::Found {
        item: item(n),
        ci: ConfigItemId::from_u128(n),
        vulnerability: "CVE-1".into(),
        facts: Facts::new(Severity::High),
        task: new_task.map(task),
    };
    // No id given: a rule needing a new task leaves the item ungrouped.
    assert_eq!(
        names(&d.ok(day(0), &scanner(), found(1, None))),
        ["created"]
    );
    d.ok(day(0), &scanner(), found(2, Some(10)));
    // A task resolved takes no more items: a new one is made.
    d.ok(
        day(1),
        &owner(),
        Command::Resolve {
            subject: ti(10),
            notes: String::new(),
        },
    );
    assert_eq!(
        names(&d.ok(day(2), &scanner(), found(3, Some(11)))),
        ["created", "task_created"]
    );
    // An id already taken is refused, naming it.
    d.ok(
        day(3),
        &owner(),
        Command::Resolve {
            subject: ti(11),
            notes: String::new(),
        },
    );
    let e = d.err(day(4), &scanner(), found(4, Some(10)));
    assert_eq!(e, Error::TaskExists(task(10)));
}

#[test]
fn a_task_rolled_up_to_deferred_keeps_the_reason_and_date_its_remaining_items_share() {
    // Mutation testing: the tally must count items sharing a reason or a date, not only
    // note that one did.
    let mut d = Desk::new();
    for n in 1..=4 {
        d.high(day(0), n);
    }
    d.group(day(0), 10, &[1, 2, 3, 4]);
    for (n, until) in [(1, day(20)), (2, day(20)), (3, day(30))] {
        d.ok(
            day(1),
            &admin(),
            Command::Defer {
                subject: it(n),
                until,
                reason: Reason::RiskAccepted,
            },
        );
    }
    d.fixed(day(1), 4);
    assert_eq!(d.task(10).deferral.unwrap().until, day(20));
    // One of the two items deferred until day 20 closes: the other still holds that date
    // and the reason all three share.
    d.fixed(day(2), 1);
    let deferral = d.task(10).deferral.unwrap();
    assert_eq!(
        (deferral.until, deferral.reason),
        (day(20), Some(Reason::RiskAccepted))
    );
    d.fixed(day(3), 2);
    assert_eq!(d.task(10).deferral.unwrap().until, day(30));
}

#[test]
fn an_items_own_later_deferral_outlasts_an_earlier_one_of_its_task() {
    // Mutation testing: among deferrals the latest date wins, whatever order they are met.
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.high(day(0), 2);
    d.group(day(0), 10, &[1, 2]);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(60),
            reason: Reason::Other,
        },
    );
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: ti(10),
            until: day(40),
            reason: Reason::Other,
        },
    );
    assert_eq!(d.item(1).deferral.unwrap().until, day(60));
    assert_eq!(d.item(2).deferral.unwrap().until, day(40));
}

#[test]
fn only_a_closed_item_has_a_closing_time() {
    // Mutation testing: moving between open states sets no closing time.
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.group(day(0), 10, &[1]);
    d.ok(
        day(1),
        &owner(),
        Command::StartInvestigation { task: task(10) },
    );
    assert_eq!((d.item(1).closed_at, d.item(1).age_closed()), (None, None));
    d.fixed(day(2), 1);
    assert_eq!(d.item(1).closed_at, Some(day(2)));
}

#[test]
fn a_waiting_extension_survives_its_task_rolling_up_to_a_later_date() {
    // Mutation testing: a task's extension request lives while it is deferred, even when a
    // roll-up moves its date.
    let mut d = Desk::new();
    d.high(day(0), 1);
    d.high(day(0), 2);
    d.group(day(0), 10, &[1, 2]);
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: it(1),
            until: day(50),
            reason: Reason::Other,
        },
    );
    d.ok(
        day(1),
        &admin(),
        Command::Defer {
            subject: ti(10),
            until: day(30),
            reason: Reason::Other,
        },
    );
    d.ok(
        day(2),
        &owner(),
        Command::RequestExtension {
            subject: ti(10),
            until: day(60),
            reason: Reason::FixUnavailable,
        },
    );
    // Item 2 (deferred through the task) is fixed: only item 1 is left deferred, until day 50.
    d.fixed(day(3), 2);
    assert_eq!(d.task(10).deferral.unwrap().until, day(50));
    assert!(d.task(10).request.is_some(), "the extension still waits");
    d.ok(day(4), &approver(), Command::Approve { subject: ti(10) });
    assert_eq!(d.task(10).deferral.unwrap().until, day(60));
}
