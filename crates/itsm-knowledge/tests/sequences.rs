//! Random command sequences under each preset keep the invariants after every step
//! (`invariants::check_step`), and replaying the events rebuilds the state; a bounded
//! exploration of each publication mode takes every row of its table and breaks nothing.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod commands;
mod invariants;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};
use commands::{BOARD, commands};
use itsm_core::explore;
use itsm_knowledge::itsm_approval;
use itsm_knowledge::{
    Actor, ArticleStatus, Command, Context, Event, Policy, Publication, PublicationMode, Role,
    State, UserId, decide, evolve, transitions,
};
use proptest::prelude::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn actor(user: u128, roles: &[&str]) -> Actor {
    Actor::new(
        UserId::from_u128(user),
        roles.iter().map(|r| Role::new(*r).unwrap()),
    )
}

/// Who acts: a contributor, two managers, an administrator, a reader without roles.
fn people() -> [Actor; 5] {
    [
        actor(1, &["knowledge"]),
        actor(2, &["knowledge_manager"]),
        actor(3, &["knowledge_manager"]),
        actor(4, &["knowledge_admin"]),
        actor(5, &[]),
    ]
}

/// The presets, and ServiceNow's with a majority of a group approving instead of the first
/// knowledge manager (so that an answer may leave the approval pending), each with a review
/// interval of two days and a flag threshold of one.
fn policies() -> [Policy; 4] {
    let mut board = Policy::servicenow();
    board.publication = Publication::Approval {
        policy: itsm_approval::Policy::cab(BOARD),
    };
    [
        Policy::servicenow_instant(),
        Policy::peer_review(),
        Policy::servicenow(),
        board,
    ]
    .map(|mut p| {
        p.review_interval = Some(Duration::days(2));
        p.flag_threshold = 1;
        p
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_sequences_keep_the_invariants(
        which in 0usize..4,
        steps in proptest::collection::vec((0usize..5, 0usize..21, 0i64..40), 0..60),
    ) {
        let policy = &policies()[which];
        let (people, commands) = (people(), commands());
        let mut now = t0();
        let mut state = State::new();
        let mut log: Vec<Event> = Vec::new();
        for (who, what, hours) in steps {
            now += Duration::hours(hours);
            let command = &commands[what];
            let Ok(events) = decide(&state, command, &Context::new(now, &people[who], policy))
            else {
                continue;
            };
            let after = events.iter().fold(state.clone(), evolve);
            if let Err(why) = invariants::check_step(policy, &state, command, now, &events, &after) {
                return Err(TestCaseError::fail(format!("{}: {why}", command.name())));
            }
            log.extend(events);
            state = after;
        }
        prop_assert_eq!(log.iter().fold(State::new(), evolve), state);
    }
}

/// The name of the table row an accepted step took (`approval` answers that decide are
/// the `approve` or `reject` row), or `None` for a tick.
fn row(command: &Command, to: ArticleStatus, from: ArticleStatus) -> Option<&'static str> {
    match command {
        Command::Tick => None,
        Command::Approval { .. } if from != to => Some(if to == ArticleStatus::Published {
            "approve"
        } else {
            "reject"
        }),
        _ => Some(command.name()),
    }
}

#[test]
fn exploring_each_mode_takes_every_row_and_breaks_no_invariant() {
    let (people, commands) = (people(), commands());
    // Every command by every person; a tick comes three days later (past the review date).
    let alphabet: Vec<(usize, usize)> = (0..people.len())
        .flat_map(|who| (0..commands.len()).map(move |what| (who, what)))
        .collect();
    let mut taken: BTreeMap<PublicationMode, BTreeSet<_>> = BTreeMap::new();
    for policy in policies() {
        let mode = policy.publication.mode();
        let taken = taken.entry(mode).or_default();
        let report = explore(
            (State::new(), t0()),
            &alphabet,
            6,
            |(s, now)| format!("{s:?}{now}"),
            |(s, now), &(who, what)| {
                let command = &commands[what];
                let now = match command {
                    Command::Tick => *now + Duration::days(3),
                    _ => *now,
                };
                let events = decide(s, command, &Context::new(now, &people[who], &policy))?;
                Ok::<_, itsm_knowledge::Error>((events.iter().fold(s.clone(), evolve), now))
            },
            |(before, _), &(who, what), (after, now)| {
                let command = &commands[what];
                if let (Some(b), Some(a)) = (before.article(), after.article()) {
                    if let Some(name) = row(command, a.status(), b.status()) {
                        taken.insert((b.status(), name, a.status()));
                    }
                }
                let events = decide(before, command, &Context::new(*now, &people[who], &policy))
                    .map_err(|e| format!("accepted once, refused again: {e}"))?;
                invariants::check_step(&policy, before, command, *now, &events, after)
            },
        );
        assert!(
            report.violations.is_empty(),
            "{mode}: {:?}",
            report.violations
        );
        assert!(report.states > 100, "{mode}: only {} states", report.states);
    }
    for mode in PublicationMode::ALL {
        let taken = taken.get(&mode).unwrap();
        for t in transitions(mode) {
            assert!(
                taken.contains(&(t.from, t.command, t.to)),
                "{mode}: {} --{}--> {} never taken",
                t.from,
                t.command,
                t.to,
            );
        }
    }
}
