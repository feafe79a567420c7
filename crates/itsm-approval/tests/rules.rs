//! The approval rules as given/when/then cases: given these commands were accepted, when this
//! user sends this command, then `decide` answers exactly this (events or error).
//!
//! Conformance tests name the public page that documents the rule they reproduce; where this
//! crate differs on purpose, the test says so. Every `Error` variant of `decide` appears at
//! least once, with its message pinned.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{
    ANA, BEN, BUSINESS, CAB, CAT, DAN, EVE, ID, IMPLEMENTER, OUTSIDER, REQUESTER, TECH, actor,
    approve, by, check, delegate, given, last, open, reject, request, role, t,
};
use itsm_approval::{
    Approver, Command, CommandKind, DecidedBy, Delegation, Error, Event, Exclusion, Handover,
    Holder, Outcome, Party, Plan, Policy, PolicySpec, Quorum, RefusalRule, Rejection, Seat,
    StageExplanation, StageOutcome, StagePlan, StageSpec, State, StatusKind, UserId, decide,
};

/// A one-stage policy over `approvers` with `quorum`, both parties excluded.
fn one_stage(approvers: Vec<Approver>, quorum: Quorum) -> Policy {
    Policy::new(PolicySpec::new(
        "test",
        [StageSpec::new("review", approvers, quorum)],
    ))
    .unwrap()
}

/// A one-stage policy over the CAB group.
fn cab_with(quorum: Quorum, refusal: RefusalRule) -> Policy {
    let mut stage = StageSpec::new("cab", [Approver::Group(CAB)], quorum);
    stage.refusal = refusal;
    Policy::new(PolicySpec::new("cab-test", [stage])).unwrap()
}

/// The CAB: four members and the implementer (who is excluded).
const CAB_MEMBERS: &[UserId] = &[ANA, BEN, CAT, DAN, IMPLEMENTER];

fn cab_request() -> itsm_approval::Request {
    request(&[(CAB, CAB_MEMBERS)])
}

fn person(user: UserId) -> Holder {
    Holder::Person(user)
}

fn seat(user: UserId, via: Approver) -> Seat {
    Seat {
        holder: person(user),
        via,
    }
}

fn parties() -> BTreeSet<Party> {
    Party::ALL.into_iter().collect()
}

fn approved_event(minute: i64, user: UserId, stage: usize, seat: usize) -> Event {
    Event::Approved {
        at: t(minute),
        by: user,
        stage,
        seat,
        comment: None,
    }
}

fn rejected_event(minute: i64, user: UserId, stage: usize, seat: usize, reason: &str) -> Event {
    Event::Rejected {
        at: t(minute),
        by: user,
        stage,
        seat,
        reason: reason.to_owned(),
    }
}

fn explanation_of(state: &State) -> StageExplanation {
    match state.outcome() {
        Outcome::Refused { explanation } => explanation.clone(),
        Outcome::Approved { decisions } => decisions.last().unwrap().clone(),
        other => panic!("not decided: {other:?}"),
    }
}

fn not_allowed(state: StatusKind, command: CommandKind, allowed: &[CommandKind]) -> Error {
    Error::NotAllowed {
        state,
        command,
        allowed: allowed.to_vec(),
    }
}

const PENDING_ALLOWS: &[CommandKind] = &[
    CommandKind::Approve,
    CommandKind::Reject,
    CommandKind::Delegate,
    CommandKind::Cancel,
];

// ---------------------------------------------------------------------------------------
// request

#[test]
fn request_opens_the_first_stage_with_the_eligible_seats_and_the_required_count() {
    let policy = Policy::cab(CAB);
    let group = Approver::Group(CAB);
    let plan = Plan {
        id: ID,
        policy: "cab".into(),
        requester: REQUESTER,
        implementer: Some(IMPLEMENTER),
        delegation: Delegation::Once,
        stages: vec![StagePlan {
            name: "cab".into(),
            quorum: Quorum::Majority,
            // A majority of the 4 eligible members; the implementer is out.
            required: 3,
            refusal: RefusalRule::QuorumImpossible,
            seats: vec![
                seat(ANA, group.clone()),
                seat(BEN, group.clone()),
                seat(CAT, group.clone()),
                seat(DAN, group.clone()),
            ],
            excluded: vec![Exclusion {
                user: IMPLEMENTER,
                via: group,
                party: Party::Implementer,
            }],
            separation_of_duties: parties(),
            required_role: None,
        }],
    };
    let after = check(
        &policy,
        &[],
        &actor(REQUESTER, &[]),
        &cab_request().into(),
        &Ok(vec![Event::Requested {
            at: t(0),
            by: REQUESTER,
            plan: Arc::new(plan),
        }]),
    );
    let Outcome::Pending {
        stage,
        plan,
        progress,
    } = after.outcome()
    else {
        panic!("{after:?}")
    };
    assert_eq!((stage, plan.required, plan.eligible()), (0, 3, 4));
    assert_eq!(progress.tally().unanswered, 4);
    assert_eq!(after.kind(), StatusKind::Pending);
}

#[test]
fn a_group_without_members_in_the_request_is_refused() {
    let err = last(&Policy::cab(CAB), &[open(request(&[(TECH, &[ANA])]))]).unwrap_err();
    assert_eq!(
        err,
        Error::MissingMembers {
            stage: "cab".into(),
            group: CAB
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "stage `cab` names group {CAB}, but the request gives no members for it; list its members (an empty list if it has none)"
        )
    );
}

/// The request-time check: a stage whose eligible seats are all parties is an error at
/// `decide`, with who was excluded and by which rule.
#[test]
fn a_stage_left_without_eligible_seats_by_the_parties_is_undecidable() {
    let err = last(
        &Policy::cab(CAB),
        &[open(request(&[(CAB, &[REQUESTER, IMPLEMENTER])]))],
    )
    .unwrap_err();
    let group = Approver::Group(CAB);
    assert_eq!(
        err,
        Error::Undecidable {
            stage: "cab".into(),
            required: 1,
            eligible: 0,
            excluded: vec![
                Exclusion {
                    user: REQUESTER,
                    via: group.clone(),
                    party: Party::Requester
                },
                Exclusion {
                    user: IMPLEMENTER,
                    via: group,
                    party: Party::Implementer
                },
            ],
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "stage `cab` cannot be decided for this request: its quorum needs 1 approval and it has 0 eligible seats \
             (excluded: {REQUESTER} (group {CAB}), as the requester (separation of duties); \
             {IMPLEMENTER} (group {CAB}), as the implementer (separation of duties)); \
             change the approvers or the parties"
        )
    );
}

#[test]
fn n_of_m_above_the_eligible_seats_is_undecidable() {
    let policy = cab_with(Quorum::Count(3), RefusalRule::QuorumImpossible);
    let err = last(&policy, &[open(request(&[(CAB, &[ANA, BEN, REQUESTER])]))]).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Undecidable {
                required: 3,
                eligible: 2,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn an_empty_group_is_undecidable() {
    let err = last(&Policy::cab(CAB), &[open(request(&[(CAB, &[])]))]).unwrap_err();
    assert!(
        matches!(&err, Error::Undecidable { eligible: 0, .. }),
        "{err:?}"
    );
}

#[test]
fn a_second_request_is_not_allowed() {
    check(
        &Policy::cab(CAB),
        &[open(cab_request())],
        &actor(REQUESTER, &[]),
        &cab_request().into(),
        &Err(not_allowed(
            StatusKind::Pending,
            CommandKind::Request,
            PENDING_ALLOWS,
        )),
    );
}

#[test]
fn nothing_but_a_request_is_accepted_before_one() {
    for command in [approve(), reject("no"), delegate(BEN), cancel("x")] {
        let err = check(
            &Policy::cab(CAB),
            &[],
            &actor(ANA, &[]),
            &command,
            &Err(not_allowed(
                StatusKind::Unrequested,
                command.kind(),
                &[CommandKind::Request],
            )),
        );
        assert_eq!(err, State::new());
    }
    let err = last(&Policy::cab(CAB), &[by(ANA, approve())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`approve` is not allowed in state `unrequested`; allowed there: `request`"
    );
}

/// ServiceNow, "Approval - Group workflow activity" (Classic Workflow): the activity creates
/// an approval record for each member of the group.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-activities/r_ApprovalGroup.html>
#[test]
fn servicenow_each_group_member_gets_a_seat_of_their_own() {
    let (state, _) = given(
        &cab_with(Quorum::All, RefusalRule::QuorumImpossible),
        &[open(request(&[(CAB, &[CAT, ANA, BEN])]))],
    );
    let plan = &state.approval().unwrap().plan().stages[0];
    let holders: Vec<&Holder> = plan.seats.iter().map(|s| &s.holder).collect();
    // Seated by id, whatever order the host listed them in.
    assert_eq!(holders, [&person(ANA), &person(BEN), &person(CAT)]);
    assert_eq!(plan.required, 3);
}

/// ServiceNow, "Set up a gating approval via an approval rule": approval rules never create
/// duplicate approvers; a person two rules ask for gets one approval.
/// <https://docs.servicenow.com/bundle/vancouver-servicenow-platform/page/administer/service-administration/task/t_SetUpAGatingApprViaApprovalRule.html>
#[test]
fn servicenow_a_person_named_twice_gets_one_seat() {
    let policy = one_stage(
        vec![
            Approver::Person(BEN),
            Approver::Group(CAB),
            Approver::Group(TECH),
        ],
        Quorum::All,
    );
    let (state, _) = given(
        &policy,
        &[open(request(&[(CAB, &[ANA, BEN]), (TECH, &[BEN, CAT])]))],
    );
    let plan = &state.approval().unwrap().plan().stages[0];
    assert_eq!(
        plan.seats,
        [
            seat(BEN, Approver::Person(BEN)),
            seat(ANA, Approver::Group(CAB)),
            seat(CAT, Approver::Group(TECH)),
        ]
    );
    // "All" means all three people, not four approval records.
    assert_eq!(plan.required, 3);
}

#[test]
fn a_party_approver_seats_the_person_in_that_part() {
    let mut stage = StageSpec::new(
        "acceptance",
        [Approver::Party(Party::Implementer)],
        Quorum::Any,
    );
    stage.separation_of_duties = [Party::Requester].into_iter().collect();
    let policy = Policy::new(PolicySpec::new("acceptance", [stage])).unwrap();
    let after = check(
        &policy,
        &[open(request(&[]))],
        &actor(IMPLEMENTER, &[]),
        &approve(),
        &Ok(vec![
            approved_event(1, IMPLEMENTER, 0, 0),
            Event::StageDecided {
                at: t(1),
                by: IMPLEMENTER,
                explanation: Box::new(StageExplanation {
                    stage: 0,
                    name: "acceptance".into(),
                    outcome: StageOutcome::Approved,
                    decided_by: DecidedBy::QuorumMet,
                    quorum: Quorum::Any,
                    required: 1,
                    eligible: 1,
                    approvals: vec![IMPLEMENTER],
                    rejections: vec![],
                    unanswered: vec![],
                    excluded: vec![],
                    delegations: vec![],
                }),
            },
        ]),
    );
    assert_eq!(after.kind(), StatusKind::Approved);
}

#[test]
fn a_party_absent_from_the_request_gives_no_seat() {
    let policy = one_stage(
        vec![Approver::Person(ANA), Approver::Party(Party::Implementer)],
        Quorum::All,
    );
    let mut spec = policy.spec().clone();
    spec.stages[0].separation_of_duties = BTreeSet::new();
    let policy = Policy::new(spec).unwrap();
    let no_implementer = itsm_approval::Request::new(ID, REQUESTER);
    let (state, _) = given(&policy, &[open(no_implementer)]);
    assert_eq!(state.approval().unwrap().plan().stages[0].eligible(), 1);
}

// ---------------------------------------------------------------------------------------
// quorums: ServiceNow's approval rules

/// ServiceNow, "Ask for Approval action" (Workflow Studio), approval rule "Anyone approves":
/// any one of the listed users may approve.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-studio/ask-approval-flow-designer.html>
#[test]
fn servicenow_anyone_approves_the_first_approval_decides() {
    let after = check(
        &Policy::cab_any(CAB),
        &[open(cab_request())],
        &actor(CAT, &[]),
        &Command::Approve {
            comment: Some("fine".into()),
        },
        &Ok(vec![
            Event::Approved {
                at: t(1),
                by: CAT,
                stage: 0,
                seat: 2,
                comment: Some("fine".into()),
            },
            Event::StageDecided {
                at: t(1),
                by: CAT,
                explanation: Box::new(StageExplanation {
                    stage: 0,
                    name: "cab".into(),
                    outcome: StageOutcome::Approved,
                    decided_by: DecidedBy::QuorumMet,
                    quorum: Quorum::Any,
                    required: 1,
                    eligible: 4,
                    approvals: vec![CAT],
                    rejections: vec![],
                    unanswered: vec![person(ANA), person(BEN), person(DAN)],
                    excluded: vec![Exclusion {
                        user: IMPLEMENTER,
                        via: Approver::Group(CAB),
                        party: Party::Implementer,
                    }],
                    delegations: vec![],
                }),
            },
        ]),
    );
    assert_eq!(after.kind(), StatusKind::Approved);
    assert!(explanation_of(&after).early());
}

/// ServiceNow, "Ask for Approval action", approval rule "All users approve": every listed user
/// must approve. One rejection makes that impossible, so the stage is refused at once.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-studio/ask-approval-flow-designer.html>
#[test]
fn servicenow_all_users_approve_waits_for_everyone_and_a_rejection_refuses() {
    let policy = cab_with(Quorum::All, RefusalRule::QuorumImpossible);
    let scene = [
        open(cab_request()),
        by(ANA, approve()),
        by(BEN, approve()),
        by(CAT, approve()),
    ];
    let pending = given(&policy, &scene).0;
    assert_eq!(pending.kind(), StatusKind::Pending);
    let approved = check(
        &policy,
        &scene,
        &actor(DAN, &[]),
        &approve(),
        &last(&policy, &[&scene[..], &[by(DAN, approve())]].concat()),
    );
    assert_eq!(approved.kind(), StatusKind::Approved);
    assert!(!explanation_of(&approved).early());

    let refused = given(
        &policy,
        &[
            open(cab_request()),
            by(ANA, approve()),
            by(BEN, reject("no backout plan")),
        ],
    )
    .0;
    let why = explanation_of(&refused);
    assert_eq!(
        (why.outcome, why.decided_by),
        (StageOutcome::Refused, DecidedBy::QuorumImpossible)
    );
    assert_eq!(why.unanswered, [person(CAT), person(DAN)]);
}

/// ServiceNow, "Ask for Approval action", approval rule "% of users approve": a share of the
/// users must approve. 60% of 4 eligible seats is 2.4, so 3 approvals.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-studio/ask-approval-flow-designer.html>
#[test]
fn servicenow_percent_of_users_approve_rounds_up() {
    let policy = cab_with(Quorum::Percent(60), RefusalRule::QuorumImpossible);
    let two = given(
        &policy,
        &[open(cab_request()), by(ANA, approve()), by(BEN, approve())],
    )
    .0;
    assert_eq!(two.kind(), StatusKind::Pending);
    let three = given(
        &policy,
        &[
            open(cab_request()),
            by(ANA, approve()),
            by(BEN, approve()),
            by(DAN, approve()),
        ],
    )
    .0;
    assert_eq!(three.kind(), StatusKind::Approved);
    assert_eq!(explanation_of(&three).required, 3);
}

/// ServiceNow, "Ask for Approval action", approval rule "# of users approve": a given number
/// of users must approve.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-studio/ask-approval-flow-designer.html>
#[test]
fn servicenow_number_of_users_approve() {
    let policy = cab_with(Quorum::Count(2), RefusalRule::QuorumImpossible);
    let after = check(
        &policy,
        &[open(cab_request()), by(DAN, approve())],
        &actor(ANA, &[]),
        &approve(),
        &last(
            &policy,
            &[open(cab_request()), by(DAN, approve()), by(ANA, approve())],
        ),
    );
    let why = explanation_of(&after);
    assert_eq!(why.approvals, [ANA, DAN]); // in seat order
    assert_eq!((why.required, why.eligible), (2, 4));
}

#[test]
fn a_majority_is_more_than_half_of_the_eligible_seats() {
    let policy = Policy::cab(CAB);
    // 4 eligible: 2 is a tie, not a majority.
    let tie = given(
        &policy,
        &[open(cab_request()), by(ANA, approve()), by(BEN, approve())],
    )
    .0;
    assert_eq!(tie.kind(), StatusKind::Pending);
    // ...and 2 rejections leave at most 2 possible: refused.
    let refused = given(
        &policy,
        &[
            open(cab_request()),
            by(ANA, reject("risk")),
            by(BEN, reject("timing")),
        ],
    )
    .0;
    let why = explanation_of(&refused);
    assert_eq!(why.decided_by, DecidedBy::QuorumImpossible);
    assert_eq!(
        why.rejections,
        [
            Rejection {
                by: ANA,
                reason: "risk".into()
            },
            Rejection {
                by: BEN,
                reason: "timing".into()
            }
        ]
    );
}

// ---------------------------------------------------------------------------------------
// early decision and refusal rules

/// ServiceNow, "Approval - User workflow activity", "When anyone rejects" set to "Wait for
/// other responses before deciding": a rejection does not end the approval while others may
/// still approve, and with "Anyone to approve" one approval approves despite earlier
/// rejections. This crate's default refusal rule.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-activities/r_ApprovalUser.html>
#[test]
fn servicenow_wait_for_other_responses_an_approval_after_rejections_still_approves() {
    let policy = Policy::cab_any(CAB);
    let scene = [
        open(cab_request()),
        by(ANA, reject("no")),
        by(BEN, reject("no")),
        by(CAT, reject("no")),
    ];
    assert_eq!(given(&policy, &scene).0.kind(), StatusKind::Pending);
    let after = check(
        &policy,
        &scene,
        &actor(DAN, &[]),
        &approve(),
        &last(&policy, &[&scene[..], &[by(DAN, approve())]].concat()),
    );
    assert_eq!(after.kind(), StatusKind::Approved);
    // Had the fourth rejected too, nobody would be left to approve.
    let all_rejected = given(&policy, &[&scene[..], &[by(DAN, reject("no"))]].concat()).0;
    assert_eq!(all_rejected.kind(), StatusKind::Refused);
}

/// ServiceNow, "Approval - User workflow activity", "When anyone rejects" set to "Reject the
/// approval": the first rejection rejects at once. Also the system property
/// `glide.pg.any_rejection_rejects` (one rejection rejects an "Any of" step,
/// <https://sysproperties.do/glide.pg.any_rejection_rejects>).
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-activities/r_ApprovalUser.html>
#[test]
fn servicenow_reject_the_approval_a_single_rejection_refuses() {
    let policy = cab_with(Quorum::Majority, RefusalRule::FirstRejection);
    let after = check(
        &policy,
        &[open(cab_request()), by(ANA, approve())],
        &actor(BEN, &[]),
        &reject("conflicts with the freeze"),
        &Ok(vec![
            rejected_event(2, BEN, 0, 1, "conflicts with the freeze"),
            Event::StageDecided {
                at: t(2),
                by: BEN,
                explanation: Box::new(StageExplanation {
                    stage: 0,
                    name: "cab".into(),
                    outcome: StageOutcome::Refused,
                    decided_by: DecidedBy::FirstRejection,
                    quorum: Quorum::Majority,
                    required: 3,
                    eligible: 4,
                    approvals: vec![ANA],
                    rejections: vec![Rejection {
                        by: BEN,
                        reason: "conflicts with the freeze".into(),
                    }],
                    unanswered: vec![person(CAT), person(DAN)],
                    excluded: vec![Exclusion {
                        user: IMPLEMENTER,
                        via: Approver::Group(CAB),
                        party: Party::Implementer,
                    }],
                    delegations: vec![],
                }),
            },
        ]),
    );
    assert_eq!(after.kind(), StatusKind::Refused);
}

/// ServiceNow, "Approval - User workflow activity", "Wait for" set to "First response from
/// anyone": the first approval or rejection decides. The emergency board preset decides this
/// way.
/// <https://www.servicenow.com/docs/r/build-workflows/workflow-activities/r_ApprovalUser.html>
#[test]
fn servicenow_first_response_from_anyone_decides_the_emergency_board() {
    let policy = Policy::ecab(CAB);
    let approved = given(&policy, &[open(cab_request()), by(DAN, approve())]).0;
    assert_eq!(approved.kind(), StatusKind::Approved);
    let refused = given(
        &policy,
        &[open(cab_request()), by(DAN, reject("too risky"))],
    )
    .0;
    let why = explanation_of(&refused);
    assert_eq!(why.decided_by, DecidedBy::FirstRejection);
    assert_eq!(why.unanswered.len(), 3);
}

/// GLPI's refusal rule (DOMAIN.md, Approvals; fixed after a bug that left requests pending
/// forever): a validation is refused once refusals% + required% > 100%. For a percentage
/// quorum it is exactly "fewer seats left than required", over every size up to 12.
#[test]
fn glpi_refused_once_refusals_plus_required_percent_exceed_100() {
    for eligible in 1..=12u32 {
        for percent in 1..=100u8 {
            let required = Quorum::Percent(percent).required(eligible);
            for refusals in 0..=eligible {
                let glpi = 100 * refusals + u32::from(percent) * eligible > 100 * eligible;
                let ours = eligible - refusals < required;
                assert_eq!(
                    glpi, ours,
                    "{refusals} refusals of {eligible} at {percent}% (required {required})"
                );
            }
        }
    }
    // And through `decide`: 2 refusals of 4 at 60% (required 3) refuse.
    let policy = cab_with(Quorum::Percent(60), RefusalRule::QuorumImpossible);
    let refused = given(
        &policy,
        &[
            open(cab_request()),
            by(ANA, reject("a")),
            by(BEN, reject("b")),
        ],
    )
    .0;
    assert_eq!(refused.kind(), StatusKind::Refused);
}

// ---------------------------------------------------------------------------------------
// stages

fn two_stages() -> Policy {
    Policy::technical_then_business(TECH, BUSINESS)
}

fn two_stage_request() -> itsm_approval::Request {
    request(&[(TECH, &[ANA, BEN]), (BUSINESS, &[BEN, CAT, DAN])])
}

#[test]
fn an_approved_stage_opens_the_next_and_the_last_decides_the_approval() {
    let policy = two_stages();
    let after_technical = given(&policy, &[open(two_stage_request()), by(ANA, approve())]).0;
    let Outcome::Pending { stage, plan, .. } = after_technical.outcome() else {
        panic!()
    };
    assert_eq!(
        (stage, plan.name.as_str(), plan.required),
        (1, "business", 2)
    );
    // BEN sits on both boards: the business stage waits for his own answer there.
    let after = given(
        &policy,
        &[
            open(two_stage_request()),
            by(ANA, approve()),
            by(BEN, approve()),
            by(CAT, approve()),
        ],
    )
    .0;
    let Outcome::Approved { decisions } = after.outcome() else {
        panic!("{after:?}")
    };
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0].approvals, [ANA]);
    assert_eq!(decisions[1].approvals, [BEN, CAT]);
}

#[test]
fn a_refused_stage_refuses_the_approval_and_later_stages_never_open() {
    let policy = two_stages();
    let scene = [
        open(two_stage_request()),
        by(ANA, reject("untested")),
        by(BEN, reject("untested")),
    ];
    let (state, _) = given(&policy, &scene);
    let Outcome::Refused { explanation } = state.outcome() else {
        panic!()
    };
    assert_eq!(explanation.name, "technical");
    assert!(
        state.approval().unwrap().stages()[1]
            .seats()
            .iter()
            .all(|s| s.answer().is_none())
    );
    check(
        &policy,
        &scene,
        &actor(CAT, &[]),
        &approve(),
        &Err(not_allowed(StatusKind::Refused, CommandKind::Approve, &[])),
    );
}

#[test]
fn a_decided_approval_accepts_nothing() {
    let policy = Policy::ecab(CAB);
    let scene = [open(cab_request()), by(ANA, approve())];
    let err = last(
        &policy,
        &[&scene[..], &[by(REQUESTER, cancel("late"))]].concat(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`cancel` is not allowed in state `approved`; allowed there: nothing"
    );
}

// ---------------------------------------------------------------------------------------
// separation of duties and the required role

/// DOMAIN.md, Approvals: "Separation of duties: a requester or implementer does not approve
/// their own change."
#[test]
fn a_party_excluded_by_separation_of_duties_may_not_answer() {
    let members: &[UserId] = &[ANA, BEN, REQUESTER];
    let err = check(
        &Policy::cab(CAB),
        &[open(request(&[(CAB, members)]))],
        &actor(REQUESTER, &[]),
        &approve(),
        &Err(Error::SeparationOfDuties {
            stage: "cab".into(),
            user: REQUESTER,
            party: Party::Requester,
        }),
    );
    assert_eq!(err.kind(), StatusKind::Pending);
    let message = last(
        &Policy::cab(CAB),
        &[open(request(&[(CAB, members)])), by(REQUESTER, approve())],
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        message,
        format!(
            "{REQUESTER} may not answer in stage `cab`: they are the requester of this request (separation of duties)"
        )
    );
}

#[test]
fn a_party_may_not_fill_a_role_seat_either() {
    let policy = one_stage(vec![Approver::Role(role("change_manager"))], Quorum::Any);
    let err = last(
        &policy,
        &[
            open(request(&[])),
            (actor(IMPLEMENTER, &["change_manager"]), approve()),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::SeparationOfDuties {
            stage: "review".into(),
            user: IMPLEMENTER,
            party: Party::Implementer
        }
    );
}

#[test]
fn without_separation_of_duties_a_requester_may_approve_their_own_request() {
    let mut spec = Policy::cab(CAB).spec().clone();
    spec.stages[0].separation_of_duties = BTreeSet::new();
    let policy = Policy::new(spec).unwrap();
    let after = given(
        &policy,
        &[
            open(request(&[(CAB, &[REQUESTER])])),
            by(REQUESTER, approve()),
        ],
    )
    .0;
    assert_eq!(after.kind(), StatusKind::Approved);
}

#[test]
fn an_approver_without_the_required_role_is_refused() {
    let mut spec = Policy::cab_any(CAB).spec().clone();
    spec.stages[0].required_role = Some(role("cab_member"));
    let policy = Policy::new(spec).unwrap();
    let scene = [open(cab_request())];
    let err = check(
        &policy,
        &scene,
        &actor(ANA, &["itil"]),
        &approve(),
        &Err(Error::MissingRole {
            stage: "cab".into(),
            user: ANA,
            role: role("cab_member"),
            held: vec![role("itil")],
        }),
    );
    assert_eq!(err.kind(), StatusKind::Pending);
    assert_eq!(
        last(&policy, &[open(cab_request()), by(ANA, approve())])
            .unwrap_err()
            .to_string(),
        format!("stage `cab` requires approvers to hold role `cab_member`; {ANA} has no role")
    );
    let after = given(
        &policy,
        &[
            open(cab_request()),
            (actor(ANA, &["cab_member"]), approve()),
        ],
    )
    .0;
    assert_eq!(after.kind(), StatusKind::Approved);
}

// ---------------------------------------------------------------------------------------
// role seats

#[test]
fn a_role_seat_is_answered_by_the_first_holder_and_only_once() {
    let policy = one_stage(
        vec![
            Approver::Role(role("change_manager")),
            Approver::Person(ANA),
        ],
        Quorum::All,
    );
    let scene = [
        open(request(&[])),
        (actor(EVE, &["change_manager"]), approve()),
    ];
    let state = given(&policy, &scene).0;
    let seats = state.approval().unwrap().stages()[0].seats();
    assert_eq!(seats[0].answer().unwrap().by, EVE);
    // A second change manager finds no seat left for the role.
    let err = last(
        &policy,
        &[&scene[..], &[(actor(DAN, &["change_manager"]), approve())]].concat(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::NotAnApprover {
            stage: "review".into(),
            user: DAN,
            waiting: vec![person(ANA)]
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{DAN} is not an approver of stage `review`; its seats waiting for an answer: {ANA}"
        )
    );
}

#[test]
fn a_person_with_a_seat_and_the_role_answers_their_own_seat() {
    let policy = one_stage(
        vec![
            Approver::Role(role("change_manager")),
            Approver::Person(ANA),
        ],
        Quorum::All,
    );
    let events = last(
        &policy,
        &[
            open(request(&[])),
            (actor(ANA, &["change_manager"]), approve()),
        ],
    )
    .unwrap();
    assert_eq!(events, [approved_event(1, ANA, 0, 1)]);
}

#[test]
fn someone_on_no_list_is_not_an_approver() {
    let err = last(
        &Policy::cab(CAB),
        &[open(cab_request()), by(OUTSIDER, approve())],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::NotAnApprover {
            stage: "cab".into(),
            user: OUTSIDER,
            waiting: vec![person(ANA), person(BEN), person(CAT), person(DAN)],
        }
    );
}

// ---------------------------------------------------------------------------------------
// answers

#[test]
fn an_answer_is_final() {
    let policy = Policy::cab(CAB);
    for second in [approve(), reject("changed my mind")] {
        let err = last(
            &policy,
            &[open(cab_request()), by(ANA, approve()), by(ANA, second)],
        )
        .unwrap_err();
        assert_eq!(
            err,
            Error::AlreadyAnswered {
                stage: "cab".into(),
                user: ANA
            }
        );
        assert_eq!(
            err.to_string(),
            format!("{ANA} has already answered in stage `cab`; an answer cannot be changed")
        );
    }
}

#[test]
fn a_rejection_needs_a_reason() {
    let err = last(
        &Policy::cab(CAB),
        &[open(cab_request()), by(ANA, reject("  "))],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::MissingField {
            command: CommandKind::Reject,
            field: "reason"
        }
    );
    assert_eq!(err.to_string(), "`reject` needs a non-empty reason");
}

#[test]
fn an_answer_that_does_not_decide_keeps_the_stage_open() {
    let events = last(
        &Policy::cab(CAB),
        &[open(cab_request()), by(ANA, reject("risk"))],
    )
    .unwrap();
    assert_eq!(events, [rejected_event(1, ANA, 0, 0, "risk")]);
}

#[test]
fn the_clock_may_not_go_backwards() {
    let policy = Policy::cab(CAB);
    let (state, _) = given(&policy, &[open(cab_request()), by(ANA, approve())]);
    let ben = actor(BEN, &[]);
    let earlier = t(0);
    let err = decide(
        &state,
        &approve(),
        &itsm_approval::Context::new(earlier, &ben, &policy),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::ClockWentBackwards {
            last: t(1),
            now: earlier
        }
    );
    assert_eq!(
        err.to_string(),
        "the clock went backwards: now is 2026-03-02 09:00:00 UTC but the approval was last updated at 2026-03-02 09:01:00 UTC; time must not decrease"
    );
}

// ---------------------------------------------------------------------------------------
// delegation

/// ServiceNow, "Delegates in ServiceNow" (community article): a delegate receives and acts on
/// the approvals of the user who delegated. The delegate answers the seat; the approver who
/// delegated no longer does.
/// <https://www.servicenow.com/community/itsm-articles/delegates-in-servicenow/ta-p/2600517>
#[test]
fn servicenow_a_delegate_answers_the_delegated_seat() {
    let policy = Policy::cab(CAB);
    let scene = [open(cab_request()), by(ANA, delegate(EVE))];
    let state = check(
        &policy,
        &scene[..1],
        &actor(ANA, &[]),
        &delegate(EVE),
        &Ok(vec![Event::Delegated {
            at: t(1),
            by: ANA,
            stage: 0,
            seat: 0,
            to: EVE,
        }]),
    );
    assert_eq!(
        state.approval().unwrap().stages()[0].seats()[0].holder(),
        &person(EVE)
    );
    let err = last(&policy, &[&scene[..], &[by(ANA, approve())]].concat()).unwrap_err();
    assert_eq!(
        err,
        Error::SeatDelegated {
            stage: "cab".into(),
            user: ANA,
            holder: EVE
        }
    );
    assert_eq!(
        err.to_string(),
        format!("{ANA} delegated their seat in stage `cab`; {EVE} answers it now")
    );
    let after = given(
        &policy,
        &[
            &scene[..],
            &[by(EVE, approve()), by(BEN, approve()), by(CAT, approve())],
        ]
        .concat(),
    )
    .0;
    let why = explanation_of(&after);
    assert_eq!(why.approvals, [EVE, BEN, CAT]);
    assert_eq!(why.delegations, [Handover { from: ANA, to: EVE }]);
}

#[test]
fn delegation_forbidden_by_the_policy() {
    let mut spec = Policy::cab(CAB).spec().clone();
    spec.delegation = Delegation::Forbidden;
    let policy = Policy::new(spec).unwrap();
    let err = last(&policy, &[open(cab_request()), by(ANA, delegate(EVE))]).unwrap_err();
    assert_eq!(
        err,
        Error::DelegationForbidden {
            policy: "cab".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "policy `cab` does not allow delegation; answer the seat yourself"
    );
}

#[test]
fn a_delegate_may_not_pass_the_seat_on_when_the_policy_allows_one_delegation() {
    let err = last(
        &Policy::cab(CAB),
        &[
            open(cab_request()),
            by(ANA, delegate(EVE)),
            by(EVE, delegate(OUTSIDER)),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::RedelegationForbidden {
            stage: "cab".into(),
            user: EVE,
            from: ANA
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{EVE} holds this seat of stage `cab` as the delegate of {ANA}; the policy allows one delegation, so answer it yourself"
        )
    );
}

fn redelegating() -> Policy {
    let mut spec = Policy::cab(CAB).spec().clone();
    spec.delegation = Delegation::Redelegate;
    Policy::new(spec).unwrap()
}

#[test]
fn redelegation_follows_a_chain_and_refuses_a_cycle() {
    let policy = redelegating();
    let scene = [
        open(cab_request()),
        by(ANA, delegate(EVE)),
        by(EVE, delegate(OUTSIDER)),
    ];
    let state = given(&policy, &scene).0;
    let seat = &state.approval().unwrap().stages()[0].seats()[0];
    assert_eq!(seat.delegates(), [EVE, OUTSIDER]);
    let err = last(
        &policy,
        &[&scene[..], &[by(OUTSIDER, delegate(ANA))]].concat(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::DelegationCycle {
            stage: "cab".into(),
            chain: vec![ANA, EVE, OUTSIDER, ANA]
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "delegating would form a cycle: {ANA} -> {EVE} -> {OUTSIDER} -> {ANA}; delegate to someone outside the chain"
        )
    );
    // Delegating to oneself is the shortest cycle.
    let err = last(&policy, &[open(cab_request()), by(ANA, delegate(ANA))]).unwrap_err();
    assert!(matches!(err, Error::DelegationCycle { .. }), "{err:?}");
    // The end of the chain answers, and the explanation shows every handover.
    let after = given(
        &policy,
        &[
            &scene[..],
            &[
                by(OUTSIDER, approve()),
                by(BEN, approve()),
                by(CAT, approve()),
            ],
        ]
        .concat(),
    )
    .0;
    assert_eq!(
        explanation_of(&after).delegations,
        [
            Handover { from: ANA, to: EVE },
            Handover {
                from: EVE,
                to: OUTSIDER
            }
        ]
    );
}

#[test]
fn a_seat_cannot_be_delegated_to_an_excluded_party() {
    let err = last(
        &Policy::cab(CAB),
        &[open(cab_request()), by(ANA, delegate(REQUESTER))],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::DelegateExcluded {
            stage: "cab".into(),
            to: REQUESTER,
            party: Party::Requester
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "{REQUESTER} cannot be delegated a seat in stage `cab`: they are the requester of this request (separation of duties)"
        )
    );
}

#[test]
fn a_seat_cannot_be_delegated_to_someone_seated_in_the_stage() {
    let err = last(
        &Policy::cab(CAB),
        &[open(cab_request()), by(ANA, delegate(BEN))],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::DelegateAlreadySeated {
            stage: "cab".into(),
            to: BEN
        }
    );
    assert_eq!(
        err.to_string(),
        format!("{BEN} already has a seat in stage `cab`; a person holds one seat per stage")
    );
}

#[test]
fn a_role_seat_cannot_be_delegated() {
    let policy = one_stage(vec![Approver::Role(role("change_manager"))], Quorum::Any);
    let err = last(
        &policy,
        &[
            open(request(&[])),
            (actor(EVE, &["change_manager"]), delegate(DAN)),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::RoleSeatNotDelegable {
            stage: "review".into(),
            role: role("change_manager")
        }
    );
    assert_eq!(
        err.to_string(),
        "the seat of role `change_manager` in stage `review` cannot be delegated; anyone holding the role may answer it"
    );
}

#[test]
fn an_answered_seat_cannot_be_delegated() {
    let err = last(
        &Policy::cab(CAB),
        &[
            open(cab_request()),
            by(ANA, approve()),
            by(ANA, delegate(EVE)),
        ],
    )
    .unwrap_err();
    assert!(matches!(err, Error::AlreadyAnswered { .. }), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// cancel

fn cancel(reason: &str) -> itsm_approval::Command {
    itsm_approval::Command::Cancel {
        reason: reason.to_owned(),
    }
}

#[test]
fn a_pending_approval_can_be_canceled_and_then_accepts_nothing() {
    let policy = Policy::cab(CAB);
    let after = check(
        &policy,
        &[open(cab_request()), by(ANA, approve())],
        &actor(REQUESTER, &[]),
        &cancel("change withdrawn"),
        &Ok(vec![Event::Canceled {
            at: t(2),
            by: REQUESTER,
            reason: "change withdrawn".into(),
        }]),
    );
    assert_eq!(
        after.outcome(),
        Outcome::Canceled {
            by: REQUESTER,
            reason: "change withdrawn"
        }
    );
    let err = last(
        &policy,
        &[
            open(cab_request()),
            by(REQUESTER, cancel("withdrawn")),
            by(BEN, approve()),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        not_allowed(StatusKind::Canceled, CommandKind::Approve, &[])
    );
}

// ---------------------------------------------------------------------------------------
// explanations

#[test]
fn an_explanation_reads_as_one_paragraph() {
    let members: &[UserId] = &[ANA, BEN, CAT, DAN, REQUESTER];
    let approved = given(
        &Policy::cab(CAB),
        &[
            open(request(&[(CAB, members)])),
            by(ANA, delegate(EVE)),
            by(EVE, approve()),
            by(BEN, approve()),
            by(CAT, approve()),
        ],
    )
    .0;
    assert_eq!(
        explanation_of(&approved).to_string(),
        format!(
            "stage 1 `cab` approved: 3 approvals of 4 eligible seats, a majority needs 3 \
             (approved by {EVE}, {BEN}, {CAT}); decided early, 1 seat had not answered ({DAN}); \
             delegated: {ANA} to {EVE}; \
             excluded: {REQUESTER} (group {CAB}), as the requester (separation of duties)"
        )
    );
    let refused = given(
        &Policy::cab(CAB),
        &[
            open(request(&[(CAB, members)])),
            by(ANA, approve()),
            by(BEN, reject("no backout plan")),
            by(CAT, reject("in the freeze")),
        ],
    )
    .0;
    assert_eq!(
        explanation_of(&refused).to_string(),
        format!(
            "stage 1 `cab` refused: 2 rejections of 4 eligible seats, so at most 2 approvals remain possible \
             and a majority needs 3 (approved by {ANA}) (rejected by {BEN}: \"no backout plan\", \
             {CAT}: \"in the freeze\"); decided early, 1 seat had not answered ({DAN}); \
             excluded: {REQUESTER} (group {CAB}), as the requester (separation of duties)"
        )
    );
    let first = given(
        &Policy::ecab(CAB),
        &[
            open(request(&[(CAB, &[ANA])])),
            by(ANA, reject("not an emergency")),
        ],
    )
    .0;
    assert_eq!(
        explanation_of(&first).to_string(),
        format!(
            "stage 1 `ecab` refused: a rejection refuses the stage (first rejection), 0 approvals of 1 eligible seat so far \
             (rejected by {ANA}: \"not an emergency\")"
        )
    );
}

#[test]
fn the_outcome_names_the_open_stage_while_pending() {
    let policy = two_stages();
    assert_eq!(State::new().outcome(), Outcome::Unrequested);
    let state = given(&policy, &[open(two_stage_request())]).0;
    let Outcome::Pending {
        stage,
        plan,
        progress,
    } = state.outcome()
    else {
        panic!()
    };
    assert_eq!((stage, plan.name.as_str()), (0, "technical"));
    assert_eq!(progress.seats().len(), 2);
}

/// ServiceNow, "Using Change Approval Policies" (community blog): the normal change policy
/// asks the members of the CAB approval group in Authorize (for moderate and high risk), and
/// the emergency change policy asks the same group's members. The presets seat each member.
/// <https://www.servicenow.com/community/in-other-news/using-change-approval-policies/ba-p/2286835>
#[test]
fn servicenow_the_cab_presets_ask_each_member_of_the_cab_group() {
    for policy in [Policy::cab(CAB), Policy::cab_any(CAB), Policy::ecab(CAB)] {
        let (state, _) = given(&policy, &[open(cab_request())]);
        let plan = &state.approval().unwrap().plan().stages[0];
        let holders: Vec<&Holder> = plan.seats.iter().map(|s| &s.holder).collect();
        assert_eq!(
            holders,
            [&person(ANA), &person(BEN), &person(CAT), &person(DAN)],
            "{}",
            policy.name()
        );
        assert!(plan.seats.iter().all(|s| s.via == Approver::Group(CAB)));
    }
}
