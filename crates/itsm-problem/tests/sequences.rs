//! Bounded exploration of ServiceNow's problem lifecycle: every transition of the table is
//! taken, every accepted change of state is in the table, re-analysis counts only grow, and
//! the problem's timeline (what `itsm-metrics` measures) agrees with its state.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeSet;

use chrono::{Duration, TimeZone, Utc};
use itsm_core::{MarkKind, explore};
use itsm_problem::{
    Actor, CauseCategory, Command, Context, Event, Method, Policy, ProblemId, Role, RootCause,
    State, Statement, TRANSITIONS, UserId, decide, evolve, timeline,
};

#[test]
fn exploration_takes_every_transition_and_only_those() {
    let policy = Policy::servicenow();
    let everyone = Actor::new(
        UserId::from_u128(1),
        ["problem_manager", "problem_coordinator", "agent"].map(|r| Role::new(r).unwrap()),
    );
    let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let alphabet = vec![
        Statement::new(ProblemId::from_u128(1), "VPN drops").into(),
        Command::Assess,
        Command::Confirm,
        Command::MarkDuplicate {
            of: ProblemId::from_u128(2),
        },
        Command::Cancel {
            reason: "no".into(),
        },
        Command::RecordRootCause(Box::new(RootCause {
            description: "MTU".into(),
            category: CauseCategory::Network,
            method: Method::FiveWhys { whys: vec![] },
            confirmed: true,
        })),
        Command::StartFix { change: None },
        Command::AcceptRisk {
            reason: "cost".into(),
        },
        Command::Resolve {
            notes: "done".into(),
        },
        Command::Close,
        Command::Reanalyse {
            reason: "again".into(),
        },
    ];
    let mut taken = BTreeSet::new();
    // Each explored state carries its log, for the timeline check (the key leaves it out).
    let report = explore(
        (State::new(), 0i64, Vec::<Event>::new()),
        &alphabet,
        8,
        |(s, _, _)| format!("{s:?}"),
        |(s, n, log), c| {
            let ctx = Context::new(t0 + Duration::hours(*n), &everyone, &policy);
            let events = decide(s, c, &ctx)?;
            let mut log = log.clone();
            log.extend(events.iter().cloned());
            Ok::<_, itsm_problem::Error>((events.iter().fold(s.clone(), evolve), n + 1, log))
        },
        |(before, _, _), command, (after, _, log)| {
            // The converter `itsm-metrics` measures (`timeline`) agrees with the state: its
            // phase at the last event is the problem's category, and it has a known-error
            // mark exactly when a root cause was recorded.
            if let (Some(a), Some(last)) = (after.problem(), log.last()) {
                let t = timeline(log).map_err(|e| e.to_string())?;
                if t.category_at(last.at()) != Some(a.status().category()) {
                    return Err(format!(
                        "timeline in {:?}, problem {}: {:?}",
                        t.category_at(last.at()),
                        a.status(),
                        t.marks()
                    ));
                }
                let known = t.marks().iter().any(|m| m.kind == MarkKind::KnownError);
                let recorded = log
                    .iter()
                    .any(|e| matches!(e, Event::RootCauseRecorded { .. }));
                if known != recorded {
                    return Err(format!("known error mark {known}, root cause {recorded}"));
                }
            }
            if let (Some(b), Some(a)) = (before.problem(), after.problem()) {
                if a.analyses() < b.analyses() {
                    return Err("analyses went down".into());
                }
                if b.status() != a.status() || command.name() != "link" {
                    let expected = TRANSITIONS
                        .iter()
                        .find(|(f, c, _)| *f == b.status() && *c == command.name())
                        .map(|(_, _, to)| *to);
                    if expected != Some(a.status()) {
                        return Err(format!(
                            "{} --{}--> {} not in the table",
                            b.status(),
                            command.name(),
                            a.status()
                        ));
                    }
                    taken.insert((b.status(), command.name().to_owned()));
                }
            }
            Ok(())
        },
    );
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    for (from, command, _) in TRANSITIONS.iter().filter(|(_, c, _)| *c != "link") {
        assert!(
            taken.contains(&(*from, (*command).to_owned())),
            "{from} --{command}--> never taken"
        );
    }
}
