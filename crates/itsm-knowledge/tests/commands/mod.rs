//! Every kind of command, shared by the sequence tests and the date-limit tests.

#![allow(dead_code)]

use itsm_knowledge::itsm_approval;
use itsm_knowledge::{
    ApprovalId, ApprovalRequest, ArticleId, Command, Content, Feedback, GroupId, Link, ProblemId,
    UserId,
};

/// Every kind of command, each with a typical argument (and one refused variant or two).
pub fn commands() -> Vec<Command> {
    let link = Link::Problem(ProblemId::from_u128(5));
    vec![
        Command::create(ArticleId::from_u128(1), Content::new("VPN", "Steps")),
        Command::edit(Content::new("VPN", "New steps")),
        Command::Submit { approval: None },
        Command::Submit {
            approval: Some(
                ApprovalRequest::new(ApprovalId::from_u128(7))
                    .with_members(BOARD, [2, 3, 4].map(UserId::from_u128)),
            ),
        },
        Command::Publish,
        Command::Recall,
        Command::Approve,
        Command::Reject {
            reason: "vague".into(),
        },
        Command::Approval {
            answer: itsm_approval::Command::Approve { comment: None },
        },
        Command::Approval {
            answer: itsm_approval::Command::Reject {
                reason: "wrong".into(),
            },
        },
        Command::Approval {
            answer: itsm_approval::Command::Delegate {
                to: UserId::from_u128(3),
            },
        },
        Command::Revise,
        Command::Discard,
        Command::Retire {
            reason: "replaced".into(),
            replacement: None,
        },
        Command::Republish,
        Command::Reaffirm,
        Command::Feedback {
            feedback: Feedback::Helpful,
        },
        Command::Feedback {
            feedback: Feedback::Flagged {
                reason: "typo".into(),
            },
        },
        Command::Link { link },
        Command::Unlink { link },
        Command::Tick,
    ]
}

/// The group that approves under [`policies`]' last policy.
pub const BOARD: GroupId = GroupId::from_u128(10);
