//! The article lifecycle's rules, one test each, as given/when/then. Where a rule is
//! ServiceNow's, the test names the page of ServiceNow's Knowledge Management documentation
//! it follows (knowledge workflows, article states, versioning and version numbers, recall,
//! retire, republish, article validity, feedback); the rest are this crate's own rules
//! (the reviewer rule, ticks and the clock, the score, links, errors).

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_knowledge::itsm_approval;
use itsm_knowledge::{
    Actor, ApprovalId, ApprovalRequest, Article, ArticleId, ArticleStatus, Command, Content,
    Context, Error, Event, Feedback, GroupId, KnownErrorId, Link, Policy, ProblemId, Publication,
    PublicationMode, Role, State, UserId, decide, evolve, next_deadline,
};

fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
}

fn actor(user: u128, roles: &[&str]) -> Actor {
    Actor::new(
        UserId::from_u128(user),
        roles.iter().map(|r| Role::new(*r).unwrap()),
    )
}

/// The author: a knowledge contributor.
fn author() -> Actor {
    actor(1, &["knowledge"])
}
/// Another contributor.
fn colleague() -> Actor {
    actor(4, &["knowledge"])
}
fn manager() -> Actor {
    actor(2, &["knowledge_manager"])
}
fn other_manager() -> Actor {
    actor(3, &["knowledge_manager"])
}
fn admin() -> Actor {
    actor(5, &["knowledge_admin"])
}
fn reader(n: u128) -> Actor {
    actor(100 + n, &[])
}

const ID: ArticleId = ArticleId::from_u128(42);

fn create() -> Command {
    Command::create(
        ID,
        Content::new("Reset a VPN token", "Open the portal, then ..."),
    )
}

fn submit_with_approval(round: u128) -> Command {
    Command::Submit {
        approval: Some(ApprovalRequest::new(ApprovalId::from_u128(round))),
    }
}

fn answer(approve: bool) -> Command {
    Command::Approval {
        answer: if approve {
            itsm_approval::Command::Approve { comment: None }
        } else {
            itsm_approval::Command::Reject {
                reason: "the steps skip the MFA reset".into(),
            }
        },
    }
}

fn flag(reason: &str) -> Command {
    Command::Feedback {
        feedback: Feedback::Flagged {
            reason: reason.into(),
        },
    }
}

fn vote(helpful: bool) -> Command {
    Command::Feedback {
        feedback: if helpful {
            Feedback::Helpful
        } else {
            Feedback::NotHelpful
        },
    }
}

/// One step: who sends which command, and when (hours after the start).
type Step = (Command, Actor, i64);

/// Given `steps` (each accepted), the state and every event; or the first refusal.
fn run(policy: &Policy, steps: &[Step]) -> Result<(State, Vec<Event>), (usize, Error)> {
    let mut state = State::new();
    let mut log = Vec::new();
    for (i, (command, who, hours)) in steps.iter().enumerate() {
        let events =
            decide(&state, command, &Context::new(t(*hours), who, policy)).map_err(|e| (i, e))?;
        state.apply(&events);
        log.extend(events);
    }
    // Replaying the log rebuilds the state.
    assert_eq!(log.iter().fold(State::new(), evolve), state);
    Ok((state, log))
}

/// Given `given`, when `when` is sent: its answer.
fn when(
    policy: &Policy,
    given: &[Step],
    (command, who, hours): Step,
) -> (State, Result<Vec<Event>, Error>) {
    let (state, _) = run(policy, given).unwrap();
    let answer = decide(&state, &command, &Context::new(t(hours), &who, policy));
    (state, answer)
}

fn article(state: &State) -> &Article {
    state.article().unwrap()
}

fn status(policy: &Policy, steps: &[Step]) -> ArticleStatus {
    article(&run(policy, steps).unwrap().0).status()
}

/// Created, then published at once (instant publication), as version 1.
fn published_instantly() -> Vec<Step> {
    vec![(create(), author(), 0), (Command::Publish, author(), 1)]
}

/// Under the reviewer rule: created, submitted, approved by a manager: version 1 published.
fn published_after_review() -> Vec<Step> {
    vec![
        (create(), author(), 0),
        (Command::Submit { approval: None }, author(), 1),
        (Command::Approve, manager(), 2),
    ]
}

// ---------------------------------------------------------------------------------------
// ServiceNow's documented rules.

/// "Knowledge - Instant Publish: immediately publishes a draft article without requiring an
/// approval."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/r_KnowledgeWorkflows.html>
#[test]
fn servicenow_instant_publish_publishes_a_draft_at_once() {
    let policy = Policy::servicenow_instant();
    assert_eq!(
        status(&policy, &published_instantly()),
        ArticleStatus::Published
    );
    let (_, refused) = when(
        &policy,
        &[(create(), author(), 0)],
        (Command::Submit { approval: None }, author(), 1),
    );
    assert!(matches!(
        refused,
        Err(Error::NotAllowed {
            command: "submit",
            ..
        })
    ));
}

/// "Knowledge - Approval Publish: requests approval from a manager of the knowledge base.
/// Articles in approval are In Review state before moving to Published state once
/// approved."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/r_KnowledgeWorkflows.html>
#[test]
fn servicenow_approval_publish_goes_through_review_to_published_when_a_manager_approves() {
    let policy = Policy::servicenow();
    let mut steps = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
    ];
    assert_eq!(status(&policy, &steps), ArticleStatus::InReview);
    steps.push((answer(true), manager(), 2));
    let (state, log) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).status(), ArticleStatus::Published);
    let published = article(&state).published().unwrap();
    assert_eq!(
        (published.number(), published.published_by()),
        (1, manager().user)
    );
    // The approval's events are in the article's log.
    assert!(log.iter().any(|e| matches!(
        e,
        Event::Approval {
            event: itsm_approval::Event::StageDecided { .. }
        }
    )));
}

/// "If the manager rejects the request, the workflow is canceled and the article remains in
/// Draft state."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/r_KnowledgeWorkflows.html>
#[test]
fn servicenow_a_managers_rejection_leaves_the_article_in_draft() {
    let policy = Policy::servicenow();
    let steps = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
        (answer(false), manager(), 2),
    ];
    let (state, log) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).status(), ArticleStatus::Draft);
    assert_eq!(article(&state).rejections(), 1);
    let Some(Event::Rejected { reason, .. }) = log.last() else {
        panic!("{log:?}")
    };
    assert!(reason.contains("refused"), "{reason}");
    // A new round starts with a new submission and a new approval id.
    let mut again = steps;
    again.push((submit_with_approval(2), author(), 3));
    again.push((answer(true), other_manager(), 4));
    assert_eq!(status(&policy, &again), ArticleStatus::Published);
}

/// "Approve an article that is being reviewed ... Role required: Owner and knowledge
/// manager": the approval's seat is the knowledge manager role; a contributor cannot answer.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/approve-article-in-review.html>
#[test]
fn servicenow_only_a_knowledge_manager_approves() {
    let policy = Policy::servicenow();
    let given = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
    ];
    let (_, refused) = when(&policy, &given, (answer(true), colleague(), 2));
    assert!(matches!(refused, Err(Error::Approval(_))), "{refused:?}");
    // Nor may the author, a knowledge manager or not: separation of duties.
    let author_manager = actor(1, &["knowledge", "knowledge_manager"]);
    let given = vec![
        (create(), author_manager.clone(), 0),
        (submit_with_approval(1), author_manager.clone(), 1),
    ];
    let (_, refused) = when(&policy, &given, (answer(true), author_manager, 2));
    assert!(matches!(refused, Err(Error::Approval(_))), "{refused:?}");
}

/// "When the state of an article changes to Published, the state of any previous published
/// versions of that article changes to Outdated."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/knowledge-article-states.html>
#[test]
fn servicenow_publishing_a_new_version_supersedes_the_old_one() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    steps.push((Command::Revise, manager(), 2));
    steps.push((
        Command::edit(Content::new("Reset a VPN token", "New portal steps")),
        manager(),
        3,
    ));
    steps.push((Command::Publish, manager(), 4));
    let (state, _) = run(&policy, &steps).unwrap();
    let article = article(&state);
    assert_eq!(article.published().unwrap().number(), 2);
    assert_eq!(
        article.published().unwrap().content().body,
        "New portal steps"
    );
    assert_eq!(article.superseded().len(), 1);
    assert_eq!(article.superseded()[0].number, 1);
    assert_eq!(article.superseded()[0].superseded_at, t(4));
}

/// "Knowledge contributors can create a new version of a knowledge article from an existing
/// published version ... All changes are stored in the new version of the article and the
/// information in the existing article remains the same."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/article-versioning.html>
#[test]
fn servicenow_a_revision_leaves_the_published_version_as_it_is() {
    let policy = Policy::servicenow();
    let mut steps = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
        (answer(true), manager(), 2),
        (Command::Revise, manager(), 3),
        (
            Command::edit(Content::new("Reset a VPN token", "Draft steps")),
            manager(),
            4,
        ),
        (submit_with_approval(2), manager(), 5),
    ];
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert_eq!(a.status(), ArticleStatus::InReview);
    assert_eq!(a.published().unwrap().number(), 1);
    assert_eq!(
        a.published().unwrap().content().body,
        "Open the portal, then ..."
    );
    assert_eq!(a.working().unwrap().number(), 2);
    assert_eq!(a.working().unwrap().content().body, "Draft steps");
    // The reviser is the revision's author: another manager approves it.
    steps.push((answer(true), other_manager(), 6));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(
        article(&state).published().unwrap().content().body,
        "Draft steps"
    );
}

/// "You cannot check out a published article unless there is already a checked out
/// version. If a version has been checked out, the Checkout button does not appear": one
/// revision at a time.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/create-new-article-version.html>
#[test]
fn servicenow_one_checked_out_version_at_a_time() {
    let policy = Policy::servicenow_instant();
    let mut given = published_instantly();
    given.push((Command::Revise, manager(), 2));
    let (_, refused) = when(&policy, &given, (Command::Revise, other_manager(), 3));
    assert!(matches!(
        refused,
        Err(Error::NotAllowed {
            state: "draft",
            command: "revise",
            ..
        })
    ));
}

/// "A major revision, such as publishing an article, increments the version to the next
/// whole number": versions here are ServiceNow's whole numbers (1.0, 2.0, ...); a revision
/// drafts the next one, and a discarded revision's number is not used again.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/knowledge-article-version-numbers.html>
#[test]
fn servicenow_version_numbers_are_whole_and_only_grow() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    steps.push((Command::Revise, manager(), 2));
    steps.push((Command::Discard, manager(), 3));
    steps.push((Command::Revise, manager(), 4));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).working().unwrap().number(), 3);
    assert_eq!(article(&state).latest_version(), 3);
    steps.push((Command::Publish, manager(), 5));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).published().unwrap().number(), 3);
}

/// "Recall an article that is being reviewed to make additional changes ... only the author
/// of the article, knowledge administrators, or system administrators can recall the
/// article"; the state returns to Draft.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/recall-article-in-review.html>
#[test]
fn servicenow_the_author_or_a_knowledge_admin_recalls_a_version_in_review() {
    let policy = Policy::servicenow();
    let given = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
    ];
    let (_, by_author) = when(&policy, &given, (Command::Recall, author(), 2));
    let events = by_author.unwrap();
    // The pending approval is canceled first, so its log says why it stopped.
    assert!(matches!(
        events[..],
        [
            Event::Approval {
                event: itsm_approval::Event::Canceled { .. }
            },
            Event::Recalled { version: 1, .. }
        ]
    ));
    let (_, by_admin) = when(&policy, &given, (Command::Recall, admin(), 2));
    assert!(by_admin.is_ok());
    let (_, by_colleague) = when(&policy, &given, (Command::Recall, colleague(), 2));
    assert!(matches!(
        by_colleague,
        Err(Error::Denied {
            command: "recall",
            ..
        })
    ));
    let mut recalled = given;
    recalled.push((Command::Recall, author(), 2));
    assert_eq!(status(&policy, &recalled), ArticleStatus::Draft);
}

/// "Only an author (who checks out an article for revision), knowledge base owner, and
/// user with knowledge_admin role can edit an article in the draft state."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/article-versioning.html>
#[test]
fn servicenow_only_the_author_an_owner_or_a_knowledge_admin_edits_a_draft() {
    let policy = Policy::servicenow_instant();
    let edit = || Command::edit(Content::new("Reset a VPN token", "Better steps"));
    let given = vec![(create(), author(), 0)];
    for (who, allowed) in [
        (author(), true),
        (admin(), true),
        (manager(), true),
        (colleague(), false),
    ] {
        let (_, answer) = when(&policy, &given, (edit(), who.clone(), 1));
        assert_eq!(answer.is_ok(), allowed, "{who:?}: {answer:?}");
    }
}

/// "You can only retire an article, which has no checked out version"; "Role required:
/// knowledge administrator, knowledge manager, and latest publisher of the versioned
/// knowledge article".
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/retire-versioned-article.html>
#[test]
fn servicenow_retire_needs_no_checked_out_version_and_a_manager_or_the_latest_publisher() {
    let policy = Policy::servicenow_instant();
    let retire = || Command::Retire {
        reason: "the VPN is replaced".into(),
        replacement: None,
    };
    let mut revising = published_instantly();
    revising.push((Command::Revise, manager(), 2));
    let (_, refused) = when(&policy, &revising, (retire(), manager(), 3));
    assert!(matches!(
        refused,
        Err(Error::NotAllowed {
            command: "retire",
            ..
        })
    ));
    // The author published version 1 (instant publication): the latest publisher retires.
    let published = published_instantly();
    assert!(when(&policy, &published, (retire(), author(), 2)).1.is_ok());
    assert!(
        when(&policy, &published, (retire(), manager(), 2))
            .1
            .is_ok()
    );
    assert!(matches!(
        when(&policy, &published, (retire(), colleague(), 2)).1,
        Err(Error::Denied { .. })
    ));
}

/// "Retired knowledge articles cannot be searched for by external users"; a replacement
/// article may be given, to which readers are redirected.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/c_RetiredKnowledgeArticles.html>
#[test]
fn servicenow_a_retired_article_is_no_longer_read_and_may_name_its_replacement() {
    let policy = Policy::servicenow_instant();
    let replacement = ArticleId::from_u128(43);
    let mut steps = published_instantly();
    steps.push((
        Command::Retire {
            reason: "merged into KB43".into(),
            replacement: Some(replacement),
        },
        manager(),
        2,
    ));
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert_eq!(a.status(), ArticleStatus::Retired);
    assert!(a.published().is_none());
    assert_eq!(a.last_published().unwrap().number(), 1);
    assert_eq!(a.retirement().unwrap().replacement, Some(replacement));
    // Nothing is read, so no feedback.
    let (_, refused) = when(&policy, &steps, (vote(true), reader(1), 3));
    assert!(matches!(refused, Err(Error::NotAllowed { .. })));
}

/// "Republish a retired article ... Role required: admin or knowledge admin ... The article
/// is instantly published as the previous last published version."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/republish-retired-article.html>
#[test]
fn servicenow_a_knowledge_admin_republishes_the_last_published_version() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    steps.push((
        Command::Retire {
            reason: "seasonal".into(),
            replacement: None,
        },
        manager(),
        2,
    ));
    let (_, refused) = when(&policy, &steps, (Command::Republish, manager(), 3));
    assert!(matches!(
        refused,
        Err(Error::Denied {
            command: "republish",
            ..
        })
    ));
    steps.push((Command::Republish, admin(), 3));
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert_eq!(a.status(), ArticleStatus::Published);
    assert_eq!(a.published().unwrap().number(), 1);
    assert!(a.retirement().is_none());
}

/// "The Valid to date starts from the date the article was created until the number of
/// days specified in the Article Validity field. If the Article Validity field is blank,
/// the default date ... is set to January 1, 2100": the preset (blank validity) is never
/// due; a knowledge base with a validity is due that long after publication.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/article-validity.html>
#[test]
fn servicenow_article_validity_sets_the_review_date() {
    let blank = Policy::servicenow_instant();
    let (state, _) = run(&blank, &published_instantly()).unwrap();
    assert_eq!(next_deadline(&state, &blank), None);
    let mut policy = Policy::servicenow_instant();
    policy.review_interval = Some(Duration::days(365));
    let (state, _) = run(&policy, &published_instantly()).unwrap();
    assert_eq!(
        next_deadline(&state, &policy),
        Some(t(1) + Duration::days(365))
    );
}

/// Feedback on article versions: "Checking out an article or setting a previous version to
/// the current version resets the flagged value to false."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/article-versioning-feedback.html>
#[test]
fn servicenow_checking_out_a_version_resets_its_flags() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    steps.push((flag("the portal moved"), reader(1), 2));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).flags().len(), 1);
    assert!(article(&state).needs_attention());
    steps.push((Command::Revise, manager(), 3));
    let (state, _) = run(&policy, &steps).unwrap();
    assert!(article(&state).flags().is_empty());
    assert!(!article(&state).needs_attention());
    assert_eq!(article(&state).flags_total(), 1);
}

/// Feedback on article versions: "The helpfulness percentage of a previous version of an
/// article is also considered for a new version."
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/article-versioning-feedback.html>
#[test]
fn servicenow_helpfulness_carries_over_to_a_new_version() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    steps.push((vote(true), reader(1), 2));
    steps.push((vote(false), reader(2), 2));
    steps.push((Command::Revise, manager(), 3));
    steps.push((Command::Publish, manager(), 4));
    steps.push((vote(true), reader(3), 5));
    let (state, log) = run(&policy, &steps).unwrap();
    let usefulness = article(&state).usefulness();
    assert_eq!((usefulness.helpful, usefulness.not_helpful), (2, 1));
    // Each vote names the version read.
    let versions: Vec<u32> = log
        .iter()
        .filter_map(|e| match e {
            Event::FeedbackGiven { version, .. } => Some(*version),
            _ => None,
        })
        .collect();
    assert_eq!(versions, [1, 1, 2]);
}

/// "You can submit feedback for knowledge articles in these ways: flag an article as
/// incorrect or inappropriate ... mark an article as helpful or not helpful"; a flag carries
/// the reader's suggested change.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/r_KnowledgeFeedback.html>
#[test]
fn servicenow_feedback_is_a_vote_or_a_flag_with_a_reason() {
    let policy = Policy::servicenow_instant();
    let given = published_instantly();
    let (_, empty) = when(&policy, &given, (flag(""), reader(1), 2));
    assert_eq!(
        empty.unwrap_err(),
        Error::MissingField {
            command: "feedback",
            field: "flag reason"
        }
    );
    let (_, given_vote) = when(&policy, &given, (vote(false), reader(1), 2));
    assert!(matches!(
        given_vote.unwrap()[..],
        [Event::FeedbackGiven {
            feedback: Feedback::NotHelpful,
            version: 1,
            ..
        }]
    ));
}

/// Actionable feedback: a feedback task is created when "Knowledge article was flagged"
/// (internal feedback): the preset's threshold is 0, so the first flag calls for attention.
/// <https://www.servicenow.com/docs/r/servicenow-platform/knowledge-management/respond-feedback-workspace.html>
#[test]
fn servicenow_a_flag_calls_for_attention() {
    let policy = Policy::servicenow_instant();
    assert_eq!(policy.flag_threshold, 0);
    let (_, answer) = when(
        &policy,
        &published_instantly(),
        (flag("step 3 is wrong"), reader(1), 2),
    );
    assert!(matches!(
        answer.unwrap()[..],
        [
            Event::FeedbackGiven { .. },
            Event::AttentionNeeded { open_flags: 1, .. }
        ]
    ));
}

// ---------------------------------------------------------------------------------------
// This crate's own rules.

/// The reviewer rule: nobody who wrote the version (its author or an editor) approves or
/// rejects it; another reviewer does.
#[test]
fn the_reviewer_rule_keeps_writers_from_approving_their_own_version() {
    let policy = Policy::peer_review();
    let given = vec![
        (create(), actor(2, &["knowledge_manager"]), 0),
        (
            Command::edit(Content::new("Reset a VPN token", "Edited by another")),
            other_manager(),
            1,
        ),
        (Command::Submit { approval: None }, manager(), 2),
    ];
    for who in [manager(), other_manager()] {
        let (_, refused) = when(&policy, &given, (Command::Approve, who.clone(), 3));
        assert_eq!(
            refused.unwrap_err(),
            Error::OwnVersion {
                command: "approve",
                version: 1,
                user: who.user
            }
        );
    }
    let (_, approved) = when(&policy, &given, (Command::Approve, admin(), 3));
    assert!(matches!(
        approved.unwrap()[..],
        [Event::Published { version: 1, .. }]
    ));
    // A contributor without the reviewer's role may not approve either.
    let (_, denied) = when(&policy, &given, (Command::Approve, colleague(), 3));
    assert!(matches!(denied, Err(Error::Denied { .. })));
}

/// Under the reviewer rule the first version is published by its reviewer; a revision goes
/// through review again, by someone who did not write it, while version 1 stays published.
#[test]
fn the_reviewer_rule_publishes_each_version_after_review() {
    let policy = Policy::peer_review();
    let mut steps = published_after_review();
    let (state, _) = run(&policy, &steps).unwrap();
    let published = article(&state).published().unwrap();
    assert_eq!(article(&state).status(), ArticleStatus::Published);
    assert_eq!(
        (
            published.number(),
            published.published_by(),
            published.published_at()
        ),
        (1, manager().user, t(2))
    );
    steps.push((Command::Revise, other_manager(), 3));
    steps.push((
        Command::edit(Content::new("Reset a VPN token", "Revised steps")),
        other_manager(),
        4,
    ));
    steps.push((Command::Submit { approval: None }, other_manager(), 5));
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert_eq!(a.status(), ArticleStatus::InReview);
    assert_eq!(
        a.published().unwrap().content().body,
        "Open the portal, then ..."
    );
    let (_, own) = when(&policy, &steps, (Command::Approve, other_manager(), 6));
    assert!(matches!(own, Err(Error::OwnVersion { version: 2, .. })));
    steps.push((Command::Approve, manager(), 6));
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert_eq!(a.published().unwrap().number(), 2);
    assert_eq!(a.published().unwrap().content().body, "Revised steps");
    assert_eq!(a.superseded()[0].number, 1);
}

#[test]
fn a_rejection_needs_a_reason_and_sends_the_version_back_to_draft() {
    let policy = Policy::peer_review();
    let mut given = vec![
        (create(), author(), 0),
        (Command::Submit { approval: None }, author(), 1),
    ];
    let (_, refused) = when(
        &policy,
        &given,
        (
            Command::Reject {
                reason: String::new(),
            },
            manager(),
            2,
        ),
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::MissingField {
            command: "reject",
            field: "reason"
        }
    );
    given.push((
        Command::Reject {
            reason: "too vague".into(),
        },
        manager(),
        2,
    ));
    assert_eq!(status(&policy, &given), ArticleStatus::Draft);
}

/// Under an approval, `approve` and `reject` are the approval's outcome, never sent by hand;
/// `submit` must start the approval, and only under an approval.
#[test]
fn an_approval_decides_and_submit_must_match_the_policy() {
    let approval = Policy::servicenow();
    let in_review = vec![
        (create(), author(), 0),
        (submit_with_approval(1), author(), 1),
    ];
    let (_, refused) = when(&approval, &in_review, (Command::Approve, manager(), 2));
    assert_eq!(
        refused.unwrap_err(),
        Error::DecidedByApproval { command: "approve" }
    );
    let draft = vec![(create(), author(), 0)];
    let (_, refused) = when(
        &approval,
        &draft,
        (Command::Submit { approval: None }, author(), 1),
    );
    assert_eq!(refused.unwrap_err(), Error::ApprovalRequired);
    let (_, refused) = when(
        &Policy::peer_review(),
        &draft,
        (submit_with_approval(1), author(), 1),
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::NoApprovalPolicy {
            mode: PublicationMode::Review
        }
    );
    // An approval is started by `submit` and withdrawn by `recall`, not by answers.
    let request = itsm_approval::Request::new(ApprovalId::from_u128(9), author().user);
    for (answer, kind) in [
        (
            itsm_approval::Command::Request(Box::new(request)),
            itsm_approval::CommandKind::Request,
        ),
        (
            itsm_approval::Command::Cancel {
                reason: "no".into(),
            },
            itsm_approval::CommandKind::Cancel,
        ),
    ] {
        let (_, refused) = when(
            &approval,
            &in_review,
            (Command::Approval { answer }, manager(), 2),
        );
        assert_eq!(refused.unwrap_err(), Error::NotAnAnswer { answer: kind });
    }
}

/// A change-board-like approval: a majority of a group the host resolves; the author, a
/// member, is excluded by the approval's separation of duties.
#[test]
fn a_group_approval_publishes_when_its_quorum_is_met() {
    let board = GroupId::from_u128(7);
    let mut policy = Policy::servicenow();
    policy.publication = Publication::Approval {
        policy: itsm_approval::Policy::cab(board),
    };
    let members = [
        author().user,
        manager().user,
        other_manager().user,
        admin().user,
    ];
    let submit = Command::Submit {
        approval: Some(ApprovalRequest::new(ApprovalId::from_u128(1)).with_members(board, members)),
    };
    let steps = vec![
        (create(), author(), 0),
        (submit, author(), 1),
        (answer(true), manager(), 2),
    ];
    // Two of the three eligible members are needed.
    assert_eq!(status(&policy, &steps), ArticleStatus::InReview);
    let mut steps = steps;
    steps.push((answer(true), admin(), 3));
    assert_eq!(status(&policy, &steps), ArticleStatus::Published);
}

/// `tick` flags the published version due for review at or after its date, once; before
/// it, or earlier than the last event, it does nothing; every other command earlier than
/// the last event is refused.
#[test]
fn a_tick_flags_review_due_at_or_after_the_date_and_never_early() {
    let mut policy = Policy::servicenow_instant();
    policy.review_interval = Some(Duration::days(30));
    let given = published_instantly();
    let due = t(1) + Duration::days(30);
    let hours_to_due = 1 + 30 * 24;
    let (_, early) = when(&policy, &given, (Command::Tick, admin(), hours_to_due - 1));
    assert_eq!(early.unwrap(), []);
    let (_, on_time) = when(&policy, &given, (Command::Tick, admin(), hours_to_due));
    assert_eq!(
        on_time.unwrap(),
        [Event::ReviewDue {
            at: due,
            by: admin().user,
            version: 1,
            due
        }]
    );
    let mut flagged = given.clone();
    flagged.push((Command::Tick, admin(), hours_to_due + 5));
    let (state, _) = run(&policy, &flagged).unwrap();
    assert!(article(&state).review_due());
    assert_eq!(next_deadline(&state, &policy), None);
    let (_, again) = when(
        &policy,
        &flagged,
        (Command::Tick, admin(), hours_to_due + 9),
    );
    assert_eq!(again.unwrap(), []);
    // Clocks drift: a tick earlier than the last event is a no-op, any other command an error.
    let (_, drifted) = when(
        &policy,
        &flagged,
        (Command::Tick, admin(), hours_to_due + 4),
    );
    assert_eq!(drifted.unwrap(), []);
    let (_, backwards) = when(
        &policy,
        &flagged,
        (Command::Reaffirm, manager(), hours_to_due + 4),
    );
    assert_eq!(
        backwards.unwrap_err(),
        Error::ClockWentBackwards {
            last: t(hours_to_due + 5),
            now: t(hours_to_due + 4)
        }
    );
    // Before the article exists a tick does nothing either.
    let idle = decide(
        &State::new(),
        &Command::Tick,
        &Context::new(t(0), &admin(), &policy),
    );
    assert_eq!(idle.unwrap(), []);
}

/// `reaffirm` restarts the review clock and closes the flags; a newer version published
/// restarts it from its publication.
#[test]
fn reaffirming_or_publishing_a_new_version_restarts_the_review_clock() {
    let mut policy = Policy::servicenow_instant();
    policy.review_interval = Some(Duration::days(30));
    let mut steps = published_instantly();
    steps.push((flag("outdated"), reader(1), 2));
    steps.push((Command::Tick, admin(), 1 + 30 * 24));
    steps.push((Command::Reaffirm, manager(), 1 + 31 * 24));
    let (state, _) = run(&policy, &steps).unwrap();
    let a = article(&state);
    assert!(!a.review_due() && !a.needs_attention() && a.flags().is_empty());
    assert_eq!(
        next_deadline(&state, &policy),
        Some(t(1 + 31 * 24) + Duration::days(30))
    );
    steps.push((Command::Revise, manager(), 1 + 32 * 24));
    steps.push((Command::Publish, manager(), 1 + 33 * 24));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(
        next_deadline(&state, &policy),
        Some(t(1 + 33 * 24) + Duration::days(30))
    );
}

/// While a revision is drafted, the published version's review date still counts, and a
/// tick flags it.
#[test]
fn the_published_version_comes_due_while_a_revision_is_drafted() {
    let mut policy = Policy::servicenow_instant();
    policy.review_interval = Some(Duration::days(1));
    let mut steps = published_instantly();
    steps.push((Command::Revise, manager(), 2));
    let (_, answer) = when(&policy, &steps, (Command::Tick, admin(), 25));
    assert!(matches!(
        answer.unwrap()[..],
        [Event::ReviewDue { version: 1, .. }]
    ));
    steps.push((Command::Tick, admin(), 25));
    steps.push((Command::Discard, manager(), 26));
    let (state, _) = run(&policy, &steps).unwrap();
    assert!(article(&state).review_due());
    assert_eq!(article(&state).status(), ArticleStatus::Published);
}

/// Feedback needs a published version; a reader's vote replaces their earlier one, and the
/// same vote again changes nothing.
#[test]
fn one_vote_per_reader_and_only_on_something_published() {
    let policy = Policy::servicenow_instant();
    let (_, refused) = when(
        &policy,
        &[(create(), author(), 0)],
        (vote(true), reader(1), 1),
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::NothingPublished {
            command: "feedback"
        }
    );
    let mut steps = published_instantly();
    steps.push((vote(true), reader(1), 2));
    steps.push((vote(false), reader(1), 3));
    let (state, _) = run(&policy, &steps).unwrap();
    let usefulness = article(&state).usefulness();
    assert_eq!((usefulness.helpful, usefulness.not_helpful), (0, 1));
    let (_, same) = when(&policy, &steps, (vote(false), reader(1), 4));
    assert_eq!(same.unwrap(), []);
}

/// Flags count per reader; attention once the open flags exceed the threshold, once.
#[test]
fn attention_comes_once_when_open_flags_exceed_the_threshold() {
    let mut policy = Policy::servicenow_instant();
    policy.flag_threshold = 2;
    let mut steps = published_instantly();
    steps.push((flag("wrong port"), reader(1), 2));
    steps.push((flag("wrong port, really"), reader(1), 3)); // replaces reader 1's flag
    steps.push((flag("typo"), reader(2), 4));
    let (state, log) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).flags().len(), 2);
    assert_eq!(article(&state).flags_total(), 2);
    assert!(
        !log.iter()
            .any(|e| matches!(e, Event::AttentionNeeded { .. }))
    );
    steps.push((flag("screenshots old"), reader(3), 5));
    steps.push((flag("still wrong"), reader(4), 6));
    let (state, log) = run(&policy, &steps).unwrap();
    let attention: Vec<u32> = log
        .iter()
        .filter_map(|e| match e {
            Event::AttentionNeeded { open_flags, .. } => Some(*open_flags),
            _ => None,
        })
        .collect();
    assert_eq!(attention, [3]);
    assert!(article(&state).needs_attention());
    // The same reader's same flag again changes nothing.
    let (_, same) = when(&policy, &steps, (flag("typo"), reader(2), 7));
    assert_eq!(same.unwrap(), []);
}

/// The score is the Wilson lower bound of the helpful share.
#[test]
fn the_usefulness_score_is_the_wilson_lower_bound() {
    let policy = Policy::servicenow_instant();
    let mut steps = published_instantly();
    for n in 0..9 {
        steps.push((vote(true), reader(n), 2));
    }
    steps.push((vote(false), reader(9), 2));
    let (state, _) = run(&policy, &steps).unwrap();
    let usefulness = article(&state).usefulness();
    assert_eq!(usefulness.share(), Some(0.9));
    assert!(
        (usefulness.score() - 0.595_85).abs() < 1e-5,
        "{}",
        usefulness.score()
    );
}

/// Links to problems and known errors, by id; a link already there, or a removal of one not
/// there, changes nothing.
#[test]
fn links_to_problems_and_known_errors() {
    let policy = Policy::servicenow_instant();
    let problem = Link::Problem(ProblemId::from_u128(5));
    let known = Link::KnownError(KnownErrorId::from_u128(6));
    let mut steps = vec![
        (create(), author(), 0),
        (Command::Link { link: problem }, author(), 1),
        (Command::Link { link: known }, author(), 2),
    ];
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(article(&state).links().len(), 2);
    let (_, again) = when(
        &policy,
        &steps,
        (Command::Link { link: known }, author(), 3),
    );
    assert_eq!(again.unwrap(), []);
    steps.push((Command::Unlink { link: problem }, author(), 3));
    let (state, _) = run(&policy, &steps).unwrap();
    assert_eq!(
        article(&state).links().iter().copied().collect::<Vec<_>>(),
        [known]
    );
    let (_, absent) = when(
        &policy,
        &steps,
        (Command::Unlink { link: problem }, author(), 4),
    );
    assert_eq!(absent.unwrap(), []);
}

/// A revision may be discarded; a first draft may not (nothing would be left).
#[test]
fn only_a_revision_is_discarded() {
    let policy = Policy::servicenow_instant();
    let (_, refused) = when(
        &policy,
        &[(create(), author(), 0)],
        (Command::Discard, author(), 1),
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::NothingPublished { command: "discard" }
    );
}

/// The same content again changes nothing; a title is required.
#[test]
fn edits_need_a_title_and_the_same_content_is_no_change() {
    let policy = Policy::servicenow_instant();
    let given = vec![(create(), author(), 0)];
    let same = Command::edit(Content::new(
        "Reset a VPN token",
        "Open the portal, then ...",
    ));
    assert_eq!(when(&policy, &given, (same, author(), 1)).1.unwrap(), []);
    let untitled = Command::edit(Content::new("", "body"));
    assert_eq!(
        when(&policy, &given, (untitled, author(), 1))
            .1
            .unwrap_err(),
        Error::MissingField {
            command: "edit",
            field: "title"
        }
    );
}

#[test]
fn create_comes_first_needs_a_role_and_a_title() {
    let policy = Policy::servicenow_instant();
    let ctx_reader = reader(1);
    let refused = decide(
        &State::new(),
        &create(),
        &Context::new(t(0), &ctx_reader, &policy),
    );
    assert!(matches!(
        refused,
        Err(Error::Denied {
            command: "create",
            ..
        })
    ));
    let untitled = Command::create(ID, Content::new("", "x"));
    let refused = decide(
        &State::new(),
        &untitled,
        &Context::new(t(0), &author(), &policy),
    );
    assert_eq!(
        refused.unwrap_err(),
        Error::MissingField {
            command: "create",
            field: "title"
        }
    );
    let refused = decide(
        &State::new(),
        &Command::Publish,
        &Context::new(t(0), &author(), &policy),
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "`publish` is not allowed in state `uncreated`; allowed there: `create`"
    );
}

#[test]
fn an_article_does_not_replace_itself() {
    let policy = Policy::servicenow_instant();
    let (_, refused) = when(
        &policy,
        &published_instantly(),
        (
            Command::Retire {
                reason: "dup".into(),
                replacement: Some(ID),
            },
            manager(),
            2,
        ),
    );
    assert_eq!(refused.unwrap_err(), Error::SelfReplacement { id: ID });
}

/// The messages say what was wrong and what is allowed; pinned here.
#[test]
fn error_messages_are_pinned() {
    let user = UserId::from_u128(3);
    let cases = [
        (
            Error::NotAllowed {
                state: "published",
                command: "publish",
                allowed: vec!["revise", "retire"],
            },
            "`publish` is not allowed in state `published`; allowed there: `revise`, `retire`",
        ),
        (
            Error::ClockWentBackwards {
                last: t(2),
                now: t(1),
            },
            "the clock went backwards: now is 2026-03-02 10:00:00 UTC but the article was last updated at 2026-03-02 11:00:00 UTC; time must not decrease (only `tick` may come earlier, and then does nothing)",
        ),
        (
            Error::MissingField {
                command: "retire",
                field: "reason",
            },
            "`retire` needs a non-empty reason",
        ),
        (
            Error::NothingPublished {
                command: "feedback",
            },
            "`feedback` needs a published version and the article has none yet; publish it first",
        ),
        (
            Error::OwnVersion {
                command: "approve",
                version: 2,
                user,
            },
            "user 00000000-0000-0000-0000-000000000003 wrote or edited version 2, so may not `approve` it; another reviewer must (its author may `recall` it)",
        ),
        (
            Error::DecidedByApproval { command: "reject" },
            "the policy publishes through an approval, so `reject` is the approval's outcome; approvers answer with `approval`",
        ),
        (
            Error::ApprovalRequired,
            "the policy publishes through an approval; `submit` needs one: its id and the members of the groups the approval policy names",
        ),
        (
            Error::NoApprovalPolicy {
                mode: PublicationMode::Instant,
            },
            "the policy has no approval (it publishes by `instant`); send `submit` without one",
        ),
        (
            Error::NoApprovalRunning,
            "no approval is running for the version in review; `submit` starts one",
        ),
        (
            Error::NotAnAnswer {
                answer: itsm_approval::CommandKind::Cancel,
            },
            "`cancel` is not an approver's answer; `submit` starts the approval and `recall` withdraws it; approvers send `approve`, `reject` or `delegate`",
        ),
        (
            Error::SelfReplacement { id: ID },
            "article 00000000-0000-0000-0000-00000000002a cannot replace itself; name another article or none",
        ),
        (
            Error::TooManyVersions,
            "the article has used every version number (up to 4294967295); no new version can be made",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
    let denied = decide(
        &run(&Policy::servicenow_instant(), &published_instantly())
            .unwrap()
            .0,
        &Command::Republish,
        &Context::new(t(3), &manager(), &Policy::servicenow_instant()),
    );
    assert_eq!(
        denied.unwrap_err().to_string(),
        "`republish` is not allowed in state `published`; allowed there: `revise`, `retire`, `reaffirm`, `feedback`, `link`, `unlink`"
    );
}
