//! Review dates at the end of chrono's range (issue 20): publishing, reaffirming or
//! republishing a version whose review date would leave the range is refused at `decide`,
//! naming the interval; never a published article that silently never comes up for review,
//! even when the policy's interval grows after publication.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod commands;

use chrono::{DateTime, Duration, Utc};
use itsm_knowledge::{
    Actor, ArticleId, Command, Content, Context, Error, Policy, Role, State, UserId, decide,
    next_deadline,
};

fn author() -> Actor {
    Actor::new(UserId::from_u128(1), [Role::new("knowledge").unwrap()])
}

fn policy(interval: Option<Duration>) -> Policy {
    let mut policy = Policy::servicenow_instant();
    policy.review_interval = interval;
    policy
}

/// A draft created at `now`, then `Publish` at `now`.
fn publish_at(policy: &Policy, now: DateTime<Utc>) -> Result<State, Error> {
    let actor = author();
    let ctx = Context::new(now, &actor, policy);
    let create = Command::create(
        ArticleId::from_u128(1),
        Content::new("Reset a token", "..."),
    );
    let mut state = State::new();
    state.apply(&decide(&state, &create, &ctx)?);
    let events = decide(&state, &Command::Publish, &ctx)?;
    state.apply(&events);
    Ok(state)
}

#[test]
fn a_review_date_past_the_end_of_time_is_refused_at_publish() {
    let late = DateTime::<Utc>::MAX_UTC - Duration::days(30);
    let year = Duration::days(365);
    let err = publish_at(&policy(Some(year)), late).unwrap_err();
    assert_eq!(
        err,
        Error::DateOverflow {
            from: late,
            interval: year
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the review date ({late} plus the policy's review_interval P365D) is past the \
             latest representable date; give a shorter review_interval or none"
        )
    );
    // Without review dates, or with one that fits, the same instant publishes.
    let state = publish_at(&policy(None), late).unwrap();
    assert_eq!(next_deadline(&state, &policy(None)), None);
    let week = policy(Some(Duration::days(7)));
    let state = publish_at(&week, late).unwrap();
    assert_eq!(next_deadline(&state, &week), Some(late + Duration::days(7)));
}

/// A version published under a short interval, then a policy whose interval takes its
/// review date past the end of time: the next command that leaves it published is refused
/// (the review date would silently be `None`); retiring it is allowed, as is a `tick`.
#[test]
fn a_review_date_pushed_past_the_end_of_time_by_a_grown_interval_is_refused() {
    let late = DateTime::<Utc>::MAX_UTC - Duration::days(30);
    let week = policy(Some(Duration::days(7)));
    let state = publish_at(&week, late).unwrap();
    let grown = policy(Some(Duration::days(365)));
    assert_eq!(next_deadline(&state, &grown), None);
    let reader = Actor::new(UserId::from_u128(2), []);
    let now = late + Duration::days(1);
    let ctx = Context::new(now, &reader, &grown);
    let feedback = Command::Feedback {
        feedback: itsm_knowledge::Feedback::Helpful,
    };
    // Under the week's policy the same feedback is taken.
    assert!(
        !decide(&state, &feedback, &Context::new(now, &reader, &week))
            .unwrap()
            .is_empty()
    );
    let err = decide(&state, &feedback, &ctx).unwrap_err();
    assert_eq!(
        err,
        Error::DateOverflow {
            from: late,
            interval: Duration::days(365)
        }
    );
    assert!(
        err.to_string()
            .starts_with(&format!("the review date ({late} plus"))
    );
    // A tick has no events and is not refused; retiring leaves no review date to check.
    assert_eq!(decide(&state, &Command::Tick, &ctx), Ok(vec![]));
    let actor = author();
    let retire = Command::Retire {
        reason: "superseded".into(),
        replacement: None,
    };
    let events = decide(&state, &retire, &Context::new(now, &actor, &grown)).unwrap();
    assert!(!events.is_empty());
}

/// Random commands a few weeks before the end of chrono's range, each under a policy picked
/// at random (review every week, every year, or never): an accepted step with events never
/// leaves a published, not yet due version without a review date under the policy it was
/// decided under.
mod near_the_end {
    use super::*;
    use crate::commands::commands;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_accepted_step_loses_the_review_date(
            steps in proptest::collection::vec((0usize..21, 0usize..3, 0i64..200), 0..40),
        ) {
            let policies = [
                policy(Some(Duration::days(7))),
                policy(Some(Duration::days(365))),
                policy(None),
            ];
            let (actor, commands) = (author(), commands());
            let mut now = DateTime::<Utc>::MAX_UTC - Duration::days(60);
            let mut state = State::new();
            for (what, which, hours) in steps {
                now = now
                    .checked_add_signed(Duration::hours(hours))
                    .unwrap_or(DateTime::<Utc>::MAX_UTC);
                let policy = &policies[which];
                let events = match decide(&state, &commands[what], &Context::new(now, &actor, policy)) {
                    Ok(events) => events,
                    Err(_) => continue,
                };
                state.apply(&events);
                let open = state
                    .article()
                    .and_then(|a| a.published())
                    .is_some_and(|p| p.review_due().is_none());
                if !events.is_empty() && open && policy.review_interval.is_some() {
                    prop_assert!(
                        next_deadline(&state, policy).is_some(),
                        "{} under {:?} left no review date",
                        commands[what].name(),
                        policy.review_interval
                    );
                }
            }
        }
    }
}
