//! Replays the saved fuzz corpus on stable: the fuzz target `contract` is a thin wrapper
//! around `fuzz/harness/contract.rs`, which this test includes and feeds every input saved in
//! `fuzz/corpus/contract/`.
#![cfg(feature = "serde")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../../../fuzz/harness/contract.rs"]
mod harness;

#[test]
fn contract_corpus_replays() {
    let n = itsm_testkit::replay_corpus("contract", harness::contract);
    assert!(n >= 8, "the contract corpus has only {n} inputs");
}

/// The saved inputs reach every event, every status and substate, every refusal the
/// harness's decoder can make a command meet, and the paths of the job that matter (a
/// tick's budget spent, a renewal waiting for it, splits over what was covered that day).
#[test]
fn the_corpus_reaches_every_event_error_and_status() {
    use std::collections::BTreeSet;
    let dir = itsm_testkit::workspace_root().join("fuzz/corpus/contract");
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let outcome = harness::run(&std::fs::read(entry.unwrap().path()).unwrap());
        seen.extend(outcome.events);
        seen.extend(outcome.errors);
        seen.extend(outcome.statuses);
        seen.extend(outcome.accepted.into_iter().map(|c| format!("command:{c}")));
    }
    let mut missing = Vec::new();
    for kind in [
        // Statuses and substates.
        "status:draft",
        "status:active",
        "status:expired",
        "status:canceled",
        "substate:none",
        "substate:awaiting_review",
        "substate:under_review",
        "substate:approved",
        "substate:rejected",
        "substate:renewal_approved",
        "substate:renewal_rejected",
        "substate:extension_approved",
        "substate:extension_rejected",
        // Paths of the daily job.
        "budget:charges_wait",
        "budget:renewal_waits",
        "renewed:tick",
        "reactivated:renewal",
        "split:contract",
        "split:over_assets_or_users",
        "split:some_uncovered",
        "split:by_value_zeros",
        "day:far",
        // Commands accepted.
        "command:create",
        "command:edit",
        "command:submit",
        "command:approve",
        "command:reject",
        "command:renew",
        "command:extend",
        "command:adjust",
        "command:cancel",
        "command:cover",
        "command:uncover",
        "command:add_user",
        "command:remove_user",
        "command:add_rate_card",
        "command:deactivate_rate_card",
        "command:tick",
        // Events.
        "Created",
        "Edited",
        "Requested",
        "Submitted",
        "Approved",
        "Rejected",
        "Activated",
        "Renewed",
        "Extended",
        "Adjusted",
        "Expired",
        "Canceled",
        "Reminded",
        "Charged",
        "Passed",
        "Covered",
        "Uncovered",
        "UserAdded",
        "UserRemoved",
        "RateCardAdded",
        "RateCardDeactivated",
        // Errors: the spec and a rate card.
        "EmptyNumber",
        "EmptyName",
        "EndBeforeStart",
        "MissingForModel",
        "DiscountOutOfRange",
        "DiscountNotPurchaseAgreement",
        "AmountOutOfRange",
        "NegativeValue",
        "TaxRateOutOfRange",
        "PercentOutOfRange",
        "DuplicateAsset",
        "DuplicateUser",
        "DuplicateCard",
        "TooMany",
        "CardAssetNotCovered",
        "CardUserNotCovered",
        "CardBeforeContract",
        "CardAfterContract",
        "NothingToDistribute",
        "UnusedCoverage",
        // The policy.
        "ReminderTooFar",
        "DuplicateReminder",
        "NoLinesPerTick",
        // Commands.
        "NotCreated",
        "AlreadyCreated",
        "ClockWentBackwards",
        "Forbidden",
        "NotApprover",
        "WrongState",
        "NoApprover",
        "EndPassed",
        "EmptyComment",
        "BothAdjustments",
        "RenewalNotAfterStart",
        "ExtensionUnderWay",
        "NotLater",
        "OpenEnded",
        "RequestInFlight",
        "PaymentSetByRateCards",
        "NothingToChange",
        "UnknownCard",
        "CardInactive",
        "AlreadyCovered",
        "NotCovered",
        "UserAlreadyCovered",
        "UserNotCovered",
    ] {
        if !seen.contains(kind) {
            missing.push(kind);
        }
    }
    assert!(missing.is_empty(), "no saved input reaches {missing:?}");
}
