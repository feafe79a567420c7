//! Review dates at the end of chrono's range (issue 20): publishing, reaffirming or
//! republishing a version whose review date would leave the range is refused at `decide`,
//! naming the interval; never a published article that silently never comes up for review.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

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
            now: late,
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
