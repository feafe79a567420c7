//! Policies are checked when built or loaded, with every problem listed at once, so that
//! every stage can be decided; the presets pass the same checks.

#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{ANA, BEN, CAB, TECH, role};
use itsm_approval::{
    Approver, Delegation, Error, GroupId, Party, Policy, PolicyProblem, PolicySpec, Quorum,
    RefusalRule, StageSpec,
};

fn problems(spec: PolicySpec) -> Vec<PolicyProblem> {
    match Policy::new(spec) {
        Err(Error::InvalidPolicy { problems, .. }) => problems,
        other => panic!("expected an invalid policy, got {other:?}"),
    }
}

fn stage(name: &str, approvers: Vec<Approver>, quorum: Quorum) -> StageSpec {
    StageSpec::new(name, approvers, quorum)
}

#[test]
fn every_problem_is_listed_at_once_in_a_stable_order() {
    let spec = PolicySpec::new(
        " ",
        [
            stage("", vec![Approver::Person(ANA)], Quorum::Any),
            stage("a", vec![], Quorum::Count(0)),
            stage(
                "a",
                vec![Approver::Person(ANA), Approver::Person(ANA)],
                Quorum::Percent(0),
            ),
            stage("b", vec![Approver::Person(ANA)], Quorum::Percent(101)),
            stage(
                "c",
                vec![Approver::Person(ANA), Approver::Person(BEN)],
                Quorum::Count(3),
            ),
            stage(
                "d",
                vec![
                    Approver::Party(Party::Requester),
                    Approver::Party(Party::Implementer),
                ],
                Quorum::Any,
            ),
        ],
    );
    assert_eq!(
        problems(spec.clone()),
        [
            PolicyProblem::EmptyPolicyName,
            PolicyProblem::EmptyStageName { index: 0 },
            PolicyProblem::NoApprovers { stage: "a".into() },
            PolicyProblem::ZeroCount { stage: "a".into() },
            PolicyProblem::DuplicateStage { stage: "a".into() },
            PolicyProblem::DuplicateApprover {
                stage: "a".into(),
                approver: Approver::Person(ANA)
            },
            PolicyProblem::PercentOutOfRange {
                stage: "a".into(),
                percent: 0
            },
            PolicyProblem::PercentOutOfRange {
                stage: "b".into(),
                percent: 101
            },
            PolicyProblem::CountAboveApprovers {
                stage: "c".into(),
                count: 3,
                approvers: 2
            },
            PolicyProblem::AllExcluded { stage: "d".into() },
        ]
    );
    let message = Policy::new(spec).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "approval policy ` ` is invalid: the policy has no name; give one; \
             stage 1 has no name; give each stage a unique name; \
             stage `a` has no approvers; list at least one person, role, group or party; \
             stage `a` asks for 0 approvals; N of M needs N from 1 to the number of approvers; \
             stage `a` is listed twice; stage names must be unique; \
             stage `a` lists person {ANA} twice; list each approver once; \
             stage `a` asks for 0% of its approvers; a percentage is 1 to 100; \
             stage `b` asks for 101% of its approvers; a percentage is 1 to 100; \
             stage `c` asks for 3 approvals of 2 approvers; N of M needs N from 1 to 2; \
             every approver of stage `d` is a party its separation of duties excludes, so it could never be decided; \
             add other approvers or allow the party"
        )
    );
}

#[test]
fn a_policy_without_stages_is_refused() {
    let spec = PolicySpec::new("empty", []);
    assert_eq!(problems(spec.clone()), [PolicyProblem::NoStages]);
    assert_eq!(
        Policy::new(spec).unwrap_err().to_string(),
        "approval policy `empty` is invalid: the policy has no stages; give at least one"
    );
}

/// ServiceNow's "Approval - User" activity approves by itself when no user is selected
/// (<https://www.servicenow.com/docs/r/build-workflows/workflow-activities/r_ApprovalUser.html>);
/// here a stage without approvers is a policy error instead: an approval nobody can give is
/// a configuration mistake, not a consent.
#[test]
fn a_stage_without_approvers_is_refused_not_approved() {
    assert_eq!(
        problems(PolicySpec::new("p", [stage("s", vec![], Quorum::Any)])),
        [PolicyProblem::NoApprovers { stage: "s".into() }]
    );
}

/// The edges of the quorum checks: a count up to the named approvers and a percentage up
/// to 100 are valid; one past is refused, with only that problem (a stage without
/// approvers is refused for that alone, not also for its count).
#[test]
fn quorums_at_their_limits_are_valid_and_one_past_is_refused() {
    let people = || vec![Approver::Person(ANA), Approver::Person(BEN)];
    for quorum in [Quorum::Count(1), Quorum::Count(2), Quorum::Percent(100)] {
        let spec = PolicySpec::new("p", [stage("s", people(), quorum)]);
        assert!(Policy::new(spec).is_ok(), "{quorum}");
    }
    assert_eq!(
        problems(PolicySpec::new(
            "p",
            [stage("s", people(), Quorum::Count(3))]
        )),
        [PolicyProblem::CountAboveApprovers {
            stage: "s".into(),
            count: 3,
            approvers: 2,
        }]
    );
    assert_eq!(
        problems(PolicySpec::new(
            "p",
            [stage("s", people(), Quorum::Percent(101))]
        )),
        [PolicyProblem::PercentOutOfRange {
            stage: "s".into(),
            percent: 101,
        }]
    );
    assert_eq!(
        problems(PolicySpec::new("p", [stage("s", vec![], Quorum::Count(2))])),
        [PolicyProblem::NoApprovers { stage: "s".into() }]
    );
}

#[test]
fn n_of_m_with_a_group_is_checked_when_the_request_gives_the_members() {
    // M is unknown before the request: 5 of (one person and a group) is accepted here.
    let spec = PolicySpec::new(
        "p",
        [stage(
            "s",
            vec![Approver::Person(ANA), Approver::Group(CAB)],
            Quorum::Count(5),
        )],
    );
    assert!(Policy::new(spec).is_ok());
}

#[test]
fn the_same_role_or_group_twice_is_a_duplicate() {
    let spec = PolicySpec::new(
        "p",
        [stage(
            "s",
            vec![
                Approver::Role(role("cab")),
                Approver::Group(TECH),
                Approver::Role(role("cab")),
                Approver::Group(TECH),
            ],
            Quorum::Any,
        )],
    );
    assert_eq!(
        problems(spec),
        [
            PolicyProblem::DuplicateApprover {
                stage: "s".into(),
                approver: Approver::Role(role("cab"))
            },
            PolicyProblem::DuplicateApprover {
                stage: "s".into(),
                approver: Approver::Group(TECH)
            },
        ]
    );
}

#[test]
fn parties_are_statically_excluded_only_by_their_own_stage_rule() {
    let mut allowed = stage("s", vec![Approver::Party(Party::Requester)], Quorum::Any);
    allowed.separation_of_duties = [Party::Implementer].into_iter().collect();
    assert!(Policy::new(PolicySpec::new("p", [allowed])).is_ok());
    // One party excluded, another approver left: decidable (the request tells).
    let mixed = stage(
        "s",
        vec![Approver::Party(Party::Requester), Approver::Person(ANA)],
        Quorum::Any,
    );
    assert!(Policy::new(PolicySpec::new("p", [mixed])).is_ok());
}

#[test]
fn the_presets_pass_the_checks() {
    let (a, b) = (GroupId::from_u128(1), GroupId::from_u128(2));
    for preset in [
        Policy::cab(a),
        Policy::cab_any(a),
        Policy::ecab(a),
        Policy::technical_then_business(a, b),
    ] {
        assert_eq!(Policy::new(preset.spec().clone()), Ok(preset.clone()));
        for stage in preset.stages() {
            let both: BTreeSet<Party> = Party::ALL.into_iter().collect();
            assert_eq!(stage.separation_of_duties, both, "{}", preset.name());
        }
        assert_eq!(preset.delegation(), Delegation::Once);
    }
    let ecab = Policy::ecab(a);
    assert_eq!(
        (ecab.stages()[0].quorum, ecab.stages()[0].refusal),
        (Quorum::Any, RefusalRule::FirstRejection)
    );
    let two = Policy::technical_then_business(a, b);
    let quorums: Vec<Quorum> = two.stages().iter().map(|s| s.quorum).collect();
    assert_eq!(quorums, [Quorum::Any, Quorum::Majority]);
}

#[test]
fn a_policy_draws_its_stages() {
    let policy = Policy::technical_then_business(GroupId::from_u128(1), GroupId::from_u128(2));
    assert_eq!(
        policy.to_mermaid(),
        "stateDiagram-v2\n    state \"technical: any one\" as s0\n    state \"business: a majority\" as s1\n    \
         [*] --> s0\n    s0 --> s1 : approved\n    s0 --> refused : refused\n    s0 --> canceled : cancel\n    \
         s1 --> approved : approved\n    s1 --> refused : refused\n    s1 --> canceled : cancel\n    \
         approved --> [*]\n    refused --> [*]\n    canceled --> [*]\n"
    );
}

#[test]
fn quorum_required_counts() {
    let cases = [
        (Quorum::Any, 1, 1),
        (Quorum::Any, 7, 1),
        (Quorum::All, 1, 1),
        (Quorum::All, 7, 7),
        (Quorum::Majority, 1, 1),
        (Quorum::Majority, 2, 2),
        (Quorum::Majority, 3, 2),
        (Quorum::Majority, 4, 3),
        (Quorum::Count(3), 7, 3),
        (Quorum::Percent(1), 7, 1),
        (Quorum::Percent(100), 7, 7),
        (Quorum::Percent(50), 7, 4),
        (Quorum::Percent(34), 3, 2),
        (Quorum::Percent(33), 3, 1),
        (Quorum::Percent(100), u32::MAX, u32::MAX),
        (Quorum::Percent(255), u32::MAX, u32::MAX),
    ];
    for (quorum, eligible, required) in cases {
        assert_eq!(
            quorum.required(eligible),
            required,
            "{quorum} of {eligible}"
        );
    }
    let names: Vec<String> = [
        Quorum::Any,
        Quorum::All,
        Quorum::Majority,
        Quorum::Count(2),
        Quorum::Percent(60),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(names, ["any one", "all", "a majority", "2 of M", "60%"]);
}

/// JSON loading goes through the same checks.
#[cfg(feature = "serde")]
mod json {
    use super::*;

    #[test]
    fn a_policy_file_is_checked_when_loaded() {
        let json =
            r#"{"name": "p", "stages": [{"name": "s", "approvers": [], "quorum": {"count": 0}}]}"#;
        let err = serde_json::from_str::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "approval policy `p` is invalid: stage `s` has no approvers; list at least one person, role, group or party; \
                 stage `s` asks for 0 approvals"
            ),
            "{err}"
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"name": "p", "stages": [{"name": "s", "approvers": [{"role": "cab"}], "quorum": "any", "quorom": "all"}]}"#;
        let err = serde_json::from_str::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `quorom`"), "{err}");
    }

    #[test]
    fn absent_fields_take_their_documented_defaults() {
        let json = r#"{"name": "p", "stages": [{"name": "s", "approvers": [{"role": "cab"}], "quorum": "majority"}]}"#;
        let policy: Policy = serde_json::from_str(json).unwrap();
        let stage = &policy.stages()[0];
        assert_eq!(stage.refusal, RefusalRule::QuorumImpossible);
        assert_eq!(
            stage.separation_of_duties,
            Party::ALL.into_iter().collect::<BTreeSet<_>>()
        );
        assert_eq!(stage.required_role, None);
        assert_eq!(policy.delegation(), Delegation::Once);
        // `[]` turns separation of duties off.
        let json = r#"{"name": "p", "delegation": "redelegate", "stages": [{"name": "s", "approvers": [{"party": "requester"}],
            "quorum": {"percent": 60}, "refusal": "first_rejection", "separation_of_duties": [], "required_role": "cab"}]}"#;
        let policy: Policy = serde_json::from_str(json).unwrap();
        let stage = &policy.stages()[0];
        assert!(stage.separation_of_duties.is_empty());
        assert_eq!(stage.quorum, Quorum::Percent(60));
        assert_eq!(stage.required_role, Some(role("cab")));
        assert_eq!(policy.delegation(), Delegation::Redelegate);
    }

    #[test]
    fn presets_round_trip_through_json() {
        let policy = Policy::technical_then_business(GroupId::from_u128(1), GroupId::from_u128(2));
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    }
}
