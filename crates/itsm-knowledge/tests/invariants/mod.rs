//! The invariants of articles, written once: checked after every step by the proptest
//! sequences and the bounded exploration (`tests/sequences.rs`) and by the fuzz harness
//! (`fuzz/harness/knowledge.rs`, which includes this file).
//!
//! Each function returns `Err` naming what broke.
// Each includer uses the part it needs.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use itsm_knowledge::{
    ArticleStatus, Command, Event, Policy, PublicationMode, State, next_deadline, target,
};

/// What any reachable state holds: the working version is the latest version made; the
/// published version and those it superseded are older, in order; a retired article has no
/// working version; votes and their counts agree; attention comes with open flags; under
/// an approval, a version in review has its approval pending; the score is a share.
pub fn check_state(policy: &Policy, state: &State) -> Result<(), String> {
    let Some(article) = state.article() else {
        return Ok(());
    };
    if let Some(working) = article.working() {
        if working.number() != article.latest_version() {
            return Err(format!(
                "working version {} is not the latest {}",
                working.number(),
                article.latest_version()
            ));
        }
    }
    if let Some(published) = article.last_published() {
        if published.number() > article.latest_version() {
            return Err("the published version is newer than the latest".into());
        }
        if article
            .working()
            .is_some_and(|w| w.number() <= published.number())
        {
            return Err("the working version is not newer than the published one".into());
        }
        let mut last = 0;
        for old in article.superseded() {
            if old.number <= last || old.number >= published.number() {
                return Err(format!(
                    "superseded versions out of order: {:?}",
                    article.superseded()
                ));
            }
            last = old.number;
        }
    } else if !article.superseded().is_empty() {
        return Err("superseded versions without a published one".into());
    }
    if article.status() == ArticleStatus::Retired && article.working().is_some() {
        return Err("a retired article has a working version".into());
    }
    if article.working().is_none() && article.last_published().is_none() {
        return Err("neither a working nor a published version".into());
    }
    let helpful = article.votes().values().filter(|v| **v).count();
    let not_helpful = article.votes().len() - helpful;
    let counts = article.usefulness();
    if (counts.helpful as usize, counts.not_helpful as usize) != (helpful, not_helpful) {
        return Err(format!("vote counts {counts:?} differ from the votes"));
    }
    let score = counts.score();
    if !(0.0..=1.0).contains(&score) {
        return Err(format!("score {score} outside 0..=1"));
    }
    if article.needs_attention() && article.flags().is_empty() {
        return Err("attention without open flags".into());
    }
    if policy.publication.mode() == PublicationMode::Approval
        && article.status() == ArticleStatus::InReview
    {
        let pending = article
            .working()
            .and_then(|w| w.approval())
            .is_some_and(|a| {
                matches!(
                    a.outcome(),
                    itsm_knowledge::itsm_approval::Outcome::Pending { .. }
                )
            });
        if !pending {
            return Err("in review under an approval without a pending approval".into());
        }
    }
    Ok(())
}

/// What one accepted step holds, from `before` to `after` through `events`: the events are
/// stamped `now` (an approval's inside); a change of status is a row of the table (an
/// approval's outcome is its `approve` or `reject` row; `tick` changes none); version
/// numbers never go down; the published version stays published until a newer one is
/// published (or the article is retired, which withdraws it, or republished, which brings
/// it back); the last update never goes back; a tick flags review due exactly when the
/// review date has come.
pub fn check_step(
    policy: &Policy,
    before: &State,
    command: &Command,
    now: DateTime<Utc>,
    events: &[Event],
    after: &State,
) -> Result<(), String> {
    check_state(policy, after)?;
    if let Some(event) = events.iter().find(|e| e.at() != now) {
        return Err(format!("{} stamped {} not {now}", event.name(), event.at()));
    }
    if let Command::Tick = command {
        let due = next_deadline(before, policy).filter(|d| now >= *d);
        let fresh = before.article().is_some_and(|a| now >= a.updated_at());
        let expected = usize::from(due.is_some() && fresh);
        if events.len() != expected {
            return Err(format!(
                "tick at {now} with deadline {:?} gave {} events",
                next_deadline(before, policy),
                events.len()
            ));
        }
    }
    let (Some(b), Some(a)) = (before.article(), after.article()) else {
        return Ok(());
    };
    let mode = policy.publication.mode();
    if b.status() != a.status() {
        let name = command.name();
        let rows: &[&str] = match command {
            Command::Approval { .. } => &["approve", "reject"],
            Command::Tick => &[],
            _ => &[name],
        };
        if !rows
            .iter()
            .any(|r| target(mode, b.status(), r) == Some(a.status()))
        {
            return Err(format!(
                "{} --{name}--> {} is not in the table under {mode}",
                b.status(),
                a.status()
            ));
        }
    }
    if a.latest_version() < b.latest_version() {
        return Err("the latest version number went down".into());
    }
    if a.updated_at() < b.updated_at() {
        return Err("the last update went back".into());
    }
    if let Some(old) = b.last_published() {
        let Some(new) = a.last_published() else {
            return Err("the published version vanished".into());
        };
        if new.number() < old.number() {
            return Err("the published version number went down".into());
        }
        if new.number() != old.number()
            && !events
                .iter()
                .any(|e| matches!(e, Event::Published { version, .. } if *version == new.number()))
        {
            return Err("the published version changed without a publication".into());
        }
        if b.published().is_some()
            && a.published().is_none()
            && !events.iter().any(|e| matches!(e, Event::Retired { .. }))
        {
            return Err("the published version was withdrawn without a retirement".into());
        }
    }
    Ok(())
}
