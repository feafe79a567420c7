//! `decide`, `evolve` and `next_deadline`.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use itsm_core::{Actor, UserId};

use crate::command::{Command, Feedback};
use crate::error::Error;
use crate::event::Event;
use crate::lifecycle::{PublicationMode, allowed_commands, target};
use crate::model::{
    Article, Content, Flag, PublishedVersion, Retirement, State, Superseded, Working,
};
use crate::policy::{Policy, Publication};

/// What `decide` needs besides the state and the command: the time, who acts, the policy.
/// Nothing is read from the environment.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The current time, from the host's clock.
    pub now: DateTime<Utc>,
    /// Who issues the command.
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(now: DateTime<Utc>, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context { now, actor, policy }
    }
}

/// When the host should next send [`Command::Tick`]: the published version's review date
/// (its publication, or its last `reaffirm` or `republish`, plus the policy's
/// `review_interval`). `None` when nothing is due: nothing published, retired, no (or a
/// non-positive) interval, or the date already found passed and not handled yet.
///
/// ```
/// use itsm_knowledge::{Policy, State, next_deadline};
///
/// assert_eq!(next_deadline(&State::new(), &Policy::servicenow()), None);
/// ```
pub fn next_deadline(state: &State, policy: &Policy) -> Option<DateTime<Utc>> {
    let published = state.article()?.published()?;
    if published.review_due.is_some() {
        return None;
    }
    let interval = policy.review_interval.filter(|d| *d > Duration::zero())?;
    published.review_from.checked_add_signed(interval)
}

/// Decides what a command does to an article: the events, or why it is refused.
///
/// The checks run in a fixed order: `tick` first (it never fails: before the last event or
/// before [`next_deadline`] it returns no events); the clock (any other command earlier
/// than the last event is refused); the table ([`TRANSITIONS`](crate::TRANSITIONS)) under
/// the policy's publication mode; under an approval, `approve` and `reject` are the
/// approval's; the actor's role (or the author's and publisher's rights the policy grants;
/// feedback and approval answers are not role-checked); then the command's own rules
/// (non-empty titles and reasons, something published for feedback and `discard`, the
/// reviewer rule, the approval's own rules). A command that would change nothing (the same
/// content, a vote a reader already gave, a link already there) returns no events.
///
/// # Errors
/// Every variant of [`Error`]; each names what was wrong and what is allowed.
///
/// ```
/// use itsm_knowledge::chrono::{TimeZone, Utc};
/// use itsm_knowledge::{Actor, ArticleId, Command, Content, Context, Policy, Role, State, UserId, decide};
///
/// let policy = Policy::servicenow();
/// let author = Actor::new(UserId::from_u128(1), [Role::new("knowledge")?]);
/// let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
/// let ctx = Context::new(now, &author, &policy);
/// let mut state = State::new();
/// let create = Command::create(ArticleId::from_u128(1), Content::new("Reset a VPN token", "..."));
/// state.apply(&decide(&state, &create, &ctx)?);
/// let err = decide(&state, &Command::Publish, &ctx).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "`publish` is not allowed in state `draft`; allowed there: `submit`, `discard`, `edit`, `feedback`, `link`, `unlink`"
/// );
/// # Ok::<(), itsm_knowledge::Error>(())
/// ```
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let events = decide_unchecked(state, command, ctx)?;
    check_review_date(state, &events, ctx)?;
    Ok(events)
}

/// Refuses events after which the published version's review date cannot be represented
/// (its start plus the policy's `review_interval` leaves chrono's range): the article would
/// never come up for review and nobody would be told. A version published, reaffirmed or
/// republished now counts from now; any other events that leave the article published and
/// not yet due are checked from the version's own start, under the policy given now (which
/// may have grown its interval since). Events that retire the article or flag its review
/// leave no date to check; a command with no events (a `tick` among them) is not refused.
fn check_review_date(state: &State, events: &[Event], ctx: &Context<'_>) -> Result<(), Error> {
    let Some(interval) = ctx.policy.review_interval.filter(|d| *d > Duration::zero()) else {
        return Ok(());
    };
    if events.is_empty() {
        return Ok(());
    }
    // The last event that moves the review date decides where it counts from.
    let from = events.iter().rev().find_map(|e| match e {
        Event::Published { .. } | Event::Republished { .. } | Event::Reaffirmed { .. } => {
            Some(Some(ctx.now))
        }
        Event::Retired { .. } | Event::ReviewDue { .. } => Some(None),
        _ => None,
    });
    let from = match from {
        Some(from) => from,
        None => state
            .article()
            .and_then(|a| a.published())
            .filter(|p| p.review_due().is_none())
            .map(|p| p.review_from()),
    };
    match from {
        Some(from) if from.checked_add_signed(interval).is_none() => {
            Err(Error::DateOverflow { from, interval })
        }
        _ => Ok(()),
    }
}

fn decide_unchecked(
    state: &State,
    command: &Command,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let article = match state {
        State::Uncreated => return create(command, ctx),
        State::Created(article) => article,
    };
    let (at, by, policy) = (ctx.now, ctx.actor.user, ctx.policy);
    if let Command::Tick = command {
        return Ok(tick(state, article, ctx));
    }
    if at < article.updated_at {
        return Err(Error::ClockWentBackwards {
            last: article.updated_at,
            now: at,
        });
    }
    let mode = policy.publication.mode();
    let status = article.status();
    let name = command.name();
    if target(mode, status, name).is_none() {
        return Err(Error::NotAllowed {
            state: status.name(),
            command: name,
            allowed: allowed_commands(mode, status),
        });
    }
    if mode == PublicationMode::Approval
        && matches!(command, Command::Approve | Command::Reject { .. })
    {
        return Err(Error::DecidedByApproval { command: name });
    }
    if !matches!(command, Command::Feedback { .. } | Command::Approval { .. }) {
        permit(name, article, ctx)?;
    }
    let working = article.working.as_ref();
    // The table lets these commands run only with a working version; a record read from
    // hand-written JSON without one is refused as the table would refuse it.
    let working_number = || {
        working.map(|w| w.number).ok_or(Error::NotAllowed {
            state: status.name(),
            command: name,
            allowed: allowed_commands(mode, status),
        })
    };
    let events = match command {
        Command::Create { .. } => {
            return Err(Error::NotAllowed {
                state: status.name(),
                command: name,
                allowed: allowed_commands(mode, status),
            });
        }
        Command::Tick => Vec::new(),
        Command::Edit { content } => {
            if content.title.is_empty() {
                return Err(Error::MissingField {
                    command: "edit",
                    field: "title",
                });
            }
            let version = working_number()?;
            if working.is_some_and(|w| *w.content == **content) {
                return Ok(Vec::new());
            }
            vec![Event::Edited {
                at,
                by,
                version,
                content: Arc::new(Content::clone(content)),
            }]
        }
        Command::Submit { approval } => {
            let version = working_number()?;
            match (&policy.publication, approval) {
                (Publication::Approval { .. }, None) => return Err(Error::ApprovalRequired),
                (
                    Publication::Approval {
                        policy: approval_policy,
                    },
                    Some(request),
                ) => {
                    let author = working.map_or(by, |w| w.author);
                    let mut approval_request = itsm_approval::Request::new(request.id, author);
                    approval_request.members.clone_from(&request.members);
                    let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
                    let fresh = itsm_approval::State::new();
                    let inner = itsm_approval::decide(
                        &fresh,
                        &itsm_approval::Command::Request(Box::new(approval_request)),
                        &actx,
                    )?;
                    let mut events = vec![Event::Submitted { at, by, version }];
                    events.extend(conclude(fresh, inner, version, at, by));
                    events
                }
                (_, Some(_)) => return Err(Error::NoApprovalPolicy { mode }),
                (_, None) => vec![Event::Submitted { at, by, version }],
            }
        }
        Command::Publish => vec![Event::Published {
            at,
            by,
            version: working_number()?,
        }],
        Command::Recall => {
            let version = working_number()?;
            let mut events = Vec::new();
            // A pending approval is canceled, so its log says why it stopped.
            if let (
                Publication::Approval {
                    policy: approval_policy,
                },
                Some(running),
            ) = (
                &policy.publication,
                working.and_then(|w| w.approval.as_ref()),
            ) {
                if let itsm_approval::Outcome::Pending { .. } = running.outcome() {
                    let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
                    let cancel = itsm_approval::Command::Cancel {
                        reason: "recalled".to_owned(),
                    };
                    if let Ok(inner) = itsm_approval::decide(running, &cancel, &actx) {
                        events.extend(inner.into_iter().map(|event| Event::Approval { event }));
                    }
                }
            }
            events.push(Event::Recalled { at, by, version });
            events
        }
        Command::Approve | Command::Reject { .. } => {
            let version = working_number()?;
            if working.is_some_and(|w| w.contributors.contains(&by)) {
                return Err(Error::OwnVersion {
                    command: name,
                    version,
                    user: by,
                });
            }
            match command {
                Command::Reject { reason } => {
                    if reason.is_empty() {
                        return Err(Error::MissingField {
                            command: "reject",
                            field: "reason",
                        });
                    }
                    vec![Event::Rejected {
                        at,
                        by,
                        version,
                        reason: reason.clone(),
                    }]
                }
                _ => vec![Event::Published { at, by, version }],
            }
        }
        Command::Approval { answer } => {
            let version = working_number()?;
            if let itsm_approval::Command::Request(_) | itsm_approval::Command::Cancel { .. } =
                answer
            {
                return Err(Error::NotAnAnswer {
                    answer: answer.kind(),
                });
            }
            let (
                Publication::Approval {
                    policy: approval_policy,
                },
                Some(running),
            ) = (
                &policy.publication,
                working.and_then(|w| w.approval.as_ref()),
            )
            else {
                return Err(Error::NoApprovalRunning);
            };
            if !matches!(running.outcome(), itsm_approval::Outcome::Pending { .. }) {
                return Err(Error::NoApprovalRunning);
            }
            let actx = itsm_approval::Context::new(at, ctx.actor, approval_policy);
            let inner = itsm_approval::decide(running, answer, &actx)?;
            conclude(running.clone(), inner, version, at, by)
        }
        Command::Revise => {
            let version = article
                .latest
                .checked_add(1)
                .ok_or(Error::TooManyVersions)?;
            vec![Event::Revised { at, by, version }]
        }
        Command::Discard => {
            let version = working_number()?;
            if article.published.is_none() {
                return Err(Error::NothingPublished { command: "discard" });
            }
            vec![Event::Discarded { at, by, version }]
        }
        Command::Retire {
            reason,
            replacement,
        } => {
            if reason.is_empty() {
                return Err(Error::MissingField {
                    command: "retire",
                    field: "reason",
                });
            }
            if *replacement == Some(article.id) {
                return Err(Error::SelfReplacement { id: article.id });
            }
            let Some(published) = &article.published else {
                return Err(Error::NothingPublished { command: "retire" });
            };
            vec![Event::Retired {
                at,
                by,
                version: published.number,
                reason: reason.clone(),
                replacement: *replacement,
            }]
        }
        Command::Republish => {
            let Some(published) = &article.published else {
                return Err(Error::NothingPublished {
                    command: "republish",
                });
            };
            vec![Event::Republished {
                at,
                by,
                version: published.number,
            }]
        }
        Command::Reaffirm => {
            let Some(published) = article.published() else {
                return Err(Error::NothingPublished {
                    command: "reaffirm",
                });
            };
            vec![Event::Reaffirmed {
                at,
                by,
                version: published.number,
            }]
        }
        Command::Feedback { feedback } => return feedback_events(article, feedback, ctx),
        Command::Link { link } => {
            if article.links.contains(link) {
                return Ok(Vec::new());
            }
            vec![Event::Linked {
                at,
                by,
                link: *link,
            }]
        }
        Command::Unlink { link } => {
            if !article.links.contains(link) {
                return Ok(Vec::new());
            }
            vec![Event::Unlinked {
                at,
                by,
                link: *link,
            }]
        }
    };
    Ok(events)
}

/// The permission check: a listed role, or the author's or publisher's right the policy
/// grants.
fn permit(name: &'static str, article: &Article, ctx: &Context<'_>) -> Result<(), Error> {
    let policy = ctx.policy;
    let by = ctx.actor.user;
    policy
        .permissions
        .check(name, ctx.actor)
        .or_else(|reason| {
            let author = article.working.as_ref().is_some_and(|w| w.author == by)
                && policy.author_may.contains(name);
            let publisher = name == "retire"
                && policy.publisher_may_retire
                && article
                    .published
                    .as_ref()
                    .is_some_and(|p| p.published_by == by);
            if author || publisher {
                Ok(())
            } else {
                Err(reason)
            }
        })
        .map_err(|reason| Error::Denied {
            command: name,
            reason,
        })
}

/// A reader's feedback: a vote (a reader's same vote again changes nothing) or a flag (a
/// reader's open flag with the same reason changes nothing); a flag that takes the open
/// flags above the threshold adds `attention_needed`.
fn feedback_events(
    article: &Article,
    feedback: &Feedback,
    ctx: &Context<'_>,
) -> Result<Vec<Event>, Error> {
    let (at, by) = (ctx.now, ctx.actor.user);
    let Some(published) = article.published() else {
        return Err(Error::NothingPublished {
            command: "feedback",
        });
    };
    let version = published.number;
    let given = Event::FeedbackGiven {
        at,
        by,
        version,
        feedback: feedback.clone(),
    };
    match feedback {
        Feedback::Helpful | Feedback::NotHelpful => {
            let helpful = matches!(feedback, Feedback::Helpful);
            if article.votes.get(&by) == Some(&helpful) {
                return Ok(Vec::new());
            }
            Ok(vec![given])
        }
        Feedback::Flagged { reason } => {
            if reason.is_empty() {
                return Err(Error::MissingField {
                    command: "feedback",
                    field: "flag reason",
                });
            }
            if article
                .flags
                .get(&by)
                .is_some_and(|f| f.reason == *reason && f.version == version)
            {
                return Ok(Vec::new());
            }
            let open = u32::try_from(article.flags.len())
                .unwrap_or(u32::MAX)
                .saturating_add(u32::from(!article.flags.contains_key(&by)));
            let mut events = vec![given];
            if !article.attention && open > ctx.policy.flag_threshold {
                events.push(Event::AttentionNeeded {
                    at,
                    by,
                    version,
                    open_flags: open,
                });
            }
            Ok(events)
        }
    }
}

/// Wraps an approval's events and, when they decide it, adds the article's own: published
/// (approved) or rejected back to draft (refused), quoting the explanation.
fn conclude(
    mut approval: itsm_approval::State,
    inner: Vec<itsm_approval::Event>,
    version: u32,
    at: DateTime<Utc>,
    by: UserId,
) -> Vec<Event> {
    approval.apply(&inner);
    let mut out: Vec<Event> = inner
        .into_iter()
        .map(|event| Event::Approval { event })
        .collect();
    match approval.outcome() {
        itsm_approval::Outcome::Approved { .. } => out.push(Event::Published { at, by, version }),
        itsm_approval::Outcome::Refused { explanation } => out.push(Event::Rejected {
            at,
            by,
            version,
            reason: explanation.to_string(),
        }),
        _ => {}
    }
    out
}

fn create(command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    let Command::Create { id, content } = command else {
        if let Command::Tick = command {
            return Ok(Vec::new());
        }
        return Err(Error::NotAllowed {
            state: "uncreated",
            command: command.name(),
            allowed: vec!["create"],
        });
    };
    ctx.policy
        .permissions
        .check("create", ctx.actor)
        .map_err(|reason| Error::Denied {
            command: "create",
            reason,
        })?;
    if content.title.is_empty() {
        return Err(Error::MissingField {
            command: "create",
            field: "title",
        });
    }
    Ok(vec![Event::Created {
        at: ctx.now,
        by: ctx.actor.user,
        id: *id,
        content: Arc::new(Content::clone(content)),
    }])
}

/// `tick`: the host's timer. Earlier than the article's last event (two hosts' clocks
/// drift) or before the review date it does nothing.
fn tick(state: &State, article: &Article, ctx: &Context<'_>) -> Vec<Event> {
    let at = ctx.now;
    match (next_deadline(state, ctx.policy), article.published()) {
        (Some(due), Some(published)) if at >= due && at >= article.updated_at => {
            vec![Event::ReviewDue {
                at,
                by: ctx.actor.user,
                version: published.number,
                due,
            }]
        }
        _ => Vec::new(),
    }
}

/// Folds one event into the state. Total: it never fails and checks no rules (`decide`
/// did), so replaying stored events always rebuilds the same state. An event that cannot
/// apply (anything but `created` before the article exists, `created` after it, a
/// publication without a working version, ...) leaves the state as it is, apart from the
/// time of the last update.
pub fn evolve(state: State, event: &Event) -> State {
    match state {
        State::Uncreated => match event {
            Event::Created {
                at,
                by,
                id,
                content,
            } => State::Created(Box::new(Article {
                id: *id,
                working: Some(Working {
                    number: 1,
                    content: Arc::clone(content),
                    author: *by,
                    contributors: BTreeSet::from([*by]),
                    started_at: *at,
                    in_review: false,
                    approval: None,
                }),
                published: None,
                superseded: Vec::new(),
                retired: None,
                latest: 1,
                rejections: 0,
                links: BTreeSet::new(),
                votes: Default::default(),
                usefulness: Default::default(),
                flags: Default::default(),
                flags_total: 0,
                attention: false,
                created_at: *at,
                updated_at: *at,
            })),
            _ => State::Uncreated,
        },
        State::Created(mut article) => {
            apply(&mut article, event);
            State::Created(article)
        }
    }
}

fn apply(article: &mut Article, event: &Event) {
    match event {
        Event::Created { .. } => return,
        Event::Edited { by, content, .. } => {
            if let Some(working) = &mut article.working {
                working.content = Arc::clone(content);
                working.contributors.insert(*by);
            }
        }
        Event::Submitted { .. } => {
            if let Some(working) = &mut article.working {
                working.in_review = true;
                working.approval = None;
            }
        }
        Event::Recalled { .. } => {
            if let Some(working) = &mut article.working {
                working.in_review = false;
            }
        }
        Event::Rejected { .. } => {
            if let Some(working) = &mut article.working {
                working.in_review = false;
            }
            article.rejections = article.rejections.saturating_add(1);
        }
        Event::Published { at, by, .. } => {
            if let Some(working) = article.working.take() {
                if let Some(old) = article.published.take() {
                    article.superseded.push(Superseded {
                        number: old.number,
                        published_at: old.published_at,
                        superseded_at: *at,
                    });
                }
                article.published = Some(PublishedVersion {
                    number: working.number,
                    content: working.content,
                    author: working.author,
                    published_at: *at,
                    published_by: *by,
                    review_from: *at,
                    review_due: None,
                });
            }
        }
        Event::Revised { at, by, version } => {
            if let Some(published) = &article.published {
                article.working = Some(Working {
                    number: *version,
                    content: Arc::clone(&published.content),
                    author: *by,
                    contributors: BTreeSet::from([*by]),
                    started_at: *at,
                    in_review: false,
                    approval: None,
                });
                article.latest = article.latest.max(*version);
                // ServiceNow: checking an article out resets its flags.
                article.flags.clear();
                article.attention = false;
            }
        }
        Event::Discarded { .. } => {
            if article.published.is_some() {
                article.working = None;
            }
        }
        Event::Retired {
            at,
            by,
            reason,
            replacement,
            ..
        } => {
            article.retired = Some(Retirement {
                at: *at,
                by: *by,
                reason: reason.clone(),
                replacement: *replacement,
            });
        }
        Event::Republished { at, .. } => {
            article.retired = None;
            if let Some(published) = &mut article.published {
                published.review_from = *at;
                published.review_due = None;
            }
        }
        Event::Reaffirmed { at, .. } => {
            if let Some(published) = &mut article.published {
                published.review_from = *at;
                published.review_due = None;
            }
            article.flags.clear();
            article.attention = false;
        }
        Event::ReviewDue { due, .. } => {
            if let Some(published) = &mut article.published {
                published.review_due = Some(*due);
            }
        }
        Event::FeedbackGiven {
            at,
            by,
            version,
            feedback,
        } => match feedback {
            Feedback::Helpful | Feedback::NotHelpful => {
                let helpful = matches!(feedback, Feedback::Helpful);
                let counts = &mut article.usefulness;
                match article.votes.insert(*by, helpful) {
                    Some(true) => counts.helpful = counts.helpful.saturating_sub(1),
                    Some(false) => counts.not_helpful = counts.not_helpful.saturating_sub(1),
                    None => {}
                }
                if helpful {
                    counts.helpful = counts.helpful.saturating_add(1);
                } else {
                    counts.not_helpful = counts.not_helpful.saturating_add(1);
                }
            }
            Feedback::Flagged { reason } => {
                let flag = Flag {
                    at: *at,
                    version: *version,
                    reason: reason.clone(),
                };
                if article.flags.insert(*by, flag).is_none() {
                    article.flags_total = article.flags_total.saturating_add(1);
                }
            }
        },
        Event::AttentionNeeded { .. } => article.attention = true,
        Event::Linked { link, .. } => {
            article.links.insert(*link);
        }
        Event::Unlinked { link, .. } => {
            article.links.remove(link);
        }
        Event::Approval { event } => {
            if let Some(working) = &mut article.working {
                // A request starts a new round from nothing.
                let running = match event {
                    itsm_approval::Event::Requested { .. } => itsm_approval::State::new(),
                    _ => working.approval.take().unwrap_or_default(),
                };
                working.approval = Some(itsm_approval::evolve(running, event));
            }
        }
    }
    article.updated_at = event.at();
}
