//! The fuzz harnesses of knowledge articles, as plain functions of bytes.
//!
//! The libFuzzer targets `fuzz/fuzz_targets/knowledge_commands.rs` and
//! `knowledge_policy_json.rs` call these functions, and so does the stable test
//! `crates/itsm-knowledge/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/<target>/`. The invariants are the crate tests' own
//! (`crates/itsm-knowledge/tests/invariants/mod.rs`), included here: one copy.
//!
//! A function returns normally when the input is uninteresting or all is well, and panics
//! (through `assert!`) when an invariant breaks.
//!
//! How [`commands`] reads its bytes (each choice is a byte modulo the number of options; a
//! missing byte reads as 0), for writing seeds by hand:
//! - byte 0: the publication (bits 0-1: instant, the reviewer rule, ServiceNow's approval by
//!   the `knowledge_manager` role, a majority of the group BOARD), the latest publisher may
//!   retire unless bit 2, the flag threshold in bits 4-5;
//! - byte 1: the review interval in hours (0: none);
//! - then per step, 4 bytes: the actor (bits 0-2: one of five people; bits 3-5: the roles
//!   `knowledge`, `knowledge_manager`, `knowledge_admin`), the time step in hours (the byte
//!   minus 16, so a step may go back), the command (one of 20), and a detail byte (which
//!   content, an empty reason, which approval answer, whom to delegate to, which link, ...).

use chrono::{DateTime, Duration, Utc};
use itsm_knowledge::itsm_approval;
use itsm_knowledge::{
    Actor, ApprovalId, ApprovalRequest, ArticleId, Command, Content, Context, Event, Feedback,
    GroupId, KnownErrorId, Link, Policy, ProblemId, Publication, Role, State, UserId, decide,
    evolve, lifecycle,
};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

#[path = "../../crates/itsm-knowledge/tests/invariants/mod.rs"]
mod invariants;

/// At most this many commands per input, so each execution stays fast.
const MAX_STEPS: usize = 64;

/// 2026-03-02T09:00:00Z, where every run starts.
fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_772_442_000, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

const ID: ArticleId = ArticleId::from_u128(1);
const BOARD: GroupId = GroupId::from_u128(10);
const PEOPLE: [UserId; 5] = [
    UserId::from_u128(1),
    UserId::from_u128(2),
    UserId::from_u128(3),
    UserId::from_u128(4),
    UserId::from_u128(5),
];

fn people(mask: u8) -> Vec<UserId> {
    PEOPLE
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, u)| *u)
        .collect()
}

/// A policy from two bytes (see the module's docs).
pub fn policy(b: &mut Bytes<'_>) -> Policy {
    let first = b.byte();
    let mut policy = match first & 3 {
        0 => Policy::servicenow_instant(),
        1 => Policy::peer_review(),
        2 => Policy::servicenow(),
        _ => {
            let mut p = Policy::servicenow();
            p.publication = Publication::Approval {
                policy: itsm_approval::Policy::cab(BOARD),
            };
            p
        }
    };
    policy.publisher_may_retire = first & 4 == 0;
    policy.flag_threshold = u32::from((first >> 4) & 3);
    let hours = b.byte();
    policy.review_interval = (hours > 0).then(|| Duration::hours(i64::from(hours)));
    policy
}

fn actor(byte: u8) -> Actor {
    let user = PEOPLE.get(usize::from(byte & 7) % PEOPLE.len()).copied();
    let roles = ["knowledge", "knowledge_manager", "knowledge_admin"]
        .iter()
        .enumerate()
        .filter(|(i, _)| byte & (8 << i) != 0)
        .filter_map(|(_, r)| Role::new(*r).ok());
    Actor::new(user.unwrap_or(UserId::from_u128(1)), roles)
}

fn content(detail: u8) -> Content {
    match detail % 3 {
        0 => Content::new("Reset a VPN token", "Open the portal, then ..."),
        1 => Content::new("Reset a VPN token", "New portal steps"),
        _ => Content::new("", "untitled"),
    }
}

fn reason(detail: u8, text: &str) -> String {
    if detail & 1 == 0 {
        text.to_owned()
    } else {
        String::new()
    }
}

/// One command from its choice byte and its detail byte.
pub fn command(choice: u8, detail: u8) -> Command {
    match choice % 20 {
        0 => Command::create(ID, content(detail)),
        1 => Command::edit(content(detail)),
        2 => Command::Submit { approval: None },
        3 => Command::Submit {
            approval: Some(
                ApprovalRequest::new(ApprovalId::from_u128(u128::from(detail & 3)))
                    .with_members(BOARD, people(detail >> 2)),
            ),
        },
        4 => Command::Publish,
        5 => Command::Recall,
        6 => Command::Approve,
        7 => Command::Reject {
            reason: reason(detail, "too vague"),
        },
        8 => Command::Approval {
            answer: itsm_approval::Command::Approve { comment: None },
        },
        9 => Command::Approval {
            answer: itsm_approval::Command::Reject {
                reason: reason(detail, "wrong steps"),
            },
        },
        10 => Command::Approval {
            answer: itsm_approval::Command::Delegate {
                to: PEOPLE
                    .get(usize::from(detail) % PEOPLE.len())
                    .copied()
                    .unwrap_or(UserId::from_u128(1)),
            },
        },
        11 => Command::Approval {
            answer: if detail & 1 == 0 {
                itsm_approval::Command::Cancel {
                    reason: "no".into(),
                }
            } else {
                itsm_approval::Command::Request(Box::new(itsm_approval::Request::new(
                    ApprovalId::from_u128(9),
                    UserId::from_u128(1),
                )))
            },
        },
        12 => Command::Revise,
        13 => Command::Discard,
        14 => Command::Retire {
            reason: reason(detail, "replaced"),
            replacement: match (detail >> 1) % 3 {
                0 => None,
                1 => Some(ID),
                _ => Some(ArticleId::from_u128(2)),
            },
        },
        15 => Command::Republish,
        16 => Command::Reaffirm,
        17 => Command::Feedback {
            feedback: match detail % 4 {
                0 => Feedback::Helpful,
                1 => Feedback::NotHelpful,
                2 => Feedback::Flagged {
                    reason: "wrong port".into(),
                },
                _ => Feedback::Flagged {
                    reason: reason(detail >> 2, "typo"),
                },
            },
        },
        18 => {
            let link = if detail & 2 == 0 {
                Link::Problem(ProblemId::from_u128(5))
            } else {
                Link::KnownError(KnownErrorId::from_u128(6))
            };
            if detail & 1 == 0 {
                Command::Link { link }
            } else {
                Command::Unlink { link }
            }
        }
        _ => Command::Tick,
    }
}

fn round_trip<T>(value: &T, what: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).ok();
    let back: Option<T> = json.and_then(|j| serde_json::from_str(&j).ok());
    assert_eq!(back.as_ref(), Some(value), "{what} JSON round trip");
}

/// Bytes -> a policy, then up to [`MAX_STEPS`] (actor, time step, command) steps; after each:
/// `decide` is deterministic; an accepted step keeps every invariant of
/// `invariants::check_step`; events, commands and states survive a JSON round trip;
/// replaying the whole log reproduces the state.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let policy = policy(&mut b);
    let mut now = t0();
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    for _ in 0..MAX_STEPS {
        if b.is_empty() {
            break;
        }
        let who = actor(b.byte());
        let step = i64::from(b.byte()) - 16;
        now = now.checked_add_signed(Duration::hours(step)).unwrap_or(now);
        let command = command(b.byte(), b.byte());
        round_trip(&command, "command");
        let ctx = Context::new(now, &who, &policy);
        let result = decide(&state, &command, &ctx);
        assert_eq!(
            result,
            decide(&state, &command, &ctx),
            "decide is not deterministic"
        );
        let Ok(events) = result else { continue };
        let after = events.iter().fold(state.clone(), evolve);
        let kept = invariants::check_step(&policy, &state, &command, now, &events, &after);
        assert!(
            kept.is_ok(),
            "{} broke an invariant: {kept:?}",
            command.name()
        );
        for event in &events {
            round_trip(event, "event");
        }
        round_trip(&after, "state");
        log.extend(events);
        state = after;
        assert_eq!(
            log.iter().fold(State::new(), evolve),
            state,
            "replay differs"
        );
    }
}

/// Bytes -> a policy from JSON; one that loads round trips, has a sound lifecycle, and runs
/// a fixed scenario exactly as its round-tripped copy does.
pub fn policy_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = serde_json::from_str::<Policy>(text) else {
        return;
    };
    let _ = lifecycle(policy.publication.mode()).to_mermaid();
    let json = serde_json::to_string(&policy).ok();
    let back: Option<Policy> = json.and_then(|j| serde_json::from_str(&j).ok());
    assert_eq!(back.as_ref(), Some(&policy), "policy JSON round trip");
    let Some(back) = back else { return };
    // A fixed scenario, then the input's bytes as more steps, under both copies:
    // create, submit, publish, submit with an approval, approve, an approval's approval, a
    // reader's flag, revise, a tick 200 hours later, reaffirm.
    let scenario: Vec<u8> = [
        8u8, 0, 0, 0, 8, 1, 2, 0, 8, 1, 4, 0, 8, 1, 3, 24, 17, 1, 6, 0, 17, 1, 8, 0, 4, 1, 17, 2,
        17, 1, 12, 0, 17, 200, 19, 0, 17, 1, 16, 0,
    ]
    .into_iter()
    .chain(data.iter().copied().take(64))
    .collect();
    let run = |policy: &Policy| {
        let mut b = Bytes::new(&scenario);
        let mut now = t0();
        let mut state = State::new();
        let mut answers = Vec::new();
        while !b.is_empty() {
            let who = actor(b.byte());
            now = now
                .checked_add_signed(Duration::hours(i64::from(b.byte())))
                .unwrap_or(now);
            let command = command(b.byte(), b.byte());
            let answer = decide(&state, &command, &Context::new(now, &who, policy));
            if let Ok(events) = &answer {
                state.apply(events);
                let kept = invariants::check_state(policy, &state);
                assert!(
                    kept.is_ok(),
                    "{} broke an invariant: {kept:?}",
                    command.name()
                );
            }
            answers.push(answer);
        }
        (state, answers)
    };
    assert_eq!(
        run(&policy),
        run(&back),
        "a policy and its JSON copy disagree"
    );
}
