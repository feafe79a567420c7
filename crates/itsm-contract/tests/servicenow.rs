//! Conformance with ServiceNow Contract Management's documentation: one test per documented
//! rule, each naming its page (ServiceNow product documentation, IT Asset Management >
//! Contract Management, australia release).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{Desk, approver, day, finance, manager, names, spec, system};
use itsm_contract::{
    Command, ContractId, ContractSpec, CoveredAsset, DateChange, Distribute, Error, Event,
    Interval, Model, Rate, RateCardSpec, Renewal, Review, Status, Substate, UserId,
};

fn lines_of(events: &[Event]) -> Vec<Vec<i64>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Charged { lines, .. } => Some(lines.iter().map(|l| l.amount).collect()),
            _ => None,
        })
        .collect()
}

// Create a contract.

/// *Create a contract*: "Contract number: Number assigned to the contract by the vendor
/// (required)".
#[test]
fn the_contract_number_is_required() {
    let mut desk = Desk::new();
    let spec = ContractSpec::new(" ", Model::Lease, None, None);
    let e = desk.err(
        day(1, 1),
        &manager(),
        Command::create(ContractId::from_u128(1), spec),
    );
    assert_eq!(e, Error::EmptyNumber);
}

/// *Create a contract*: Vendor, Start date and End date are "required when Purchase
/// Agreement or NDA is selected from Contract model".
#[test]
fn purchase_agreements_and_ndas_need_a_vendor_and_dates() {
    for model in [Model::PurchaseAgreement, Model::Nda] {
        let mut desk = Desk::new();
        let id = ContractId::from_u128(1);
        let bare = ContractSpec::new("PA-1", model, Some(day(1, 1)), Some(day(12, 31)));
        let e = desk.err(day(1, 1), &manager(), Command::create(id, bare.clone()));
        assert_eq!(
            e,
            Error::MissingForModel {
                model,
                field: "vendor"
            }
        );
        let mut no_end = bare.clone().vendor("Acme");
        no_end.end = None;
        let e = desk.err(day(1, 1), &manager(), Command::create(id, no_end));
        assert_eq!(
            e,
            Error::MissingForModel {
                model,
                field: "end date"
            }
        );
        let mut no_start = bare.clone().vendor("Acme");
        no_start.start = None;
        let e = desk.err(day(1, 1), &manager(), Command::create(id, no_start));
        assert_eq!(
            e,
            Error::MissingForModel {
                model,
                field: "start date"
            }
        );
        desk.ok(
            day(1, 1),
            &manager(),
            Command::create(id, bare.vendor("Acme")),
        );
    }
    // Other models need none of them.
    let mut desk = Desk::new();
    let lease = ContractSpec::new("L-1", Model::Lease, None, None);
    desk.ok(
        day(1, 1),
        &manager(),
        Command::create(ContractId::from_u128(1), lease),
    );
}

/// *Create a contract*: "Leave the end date empty to create an open-ended contract."
#[test]
fn an_open_ended_contract_never_expires() {
    let mut open = spec();
    open.end = None;
    let mut desk = Desk::approved(open, day(1, 1));
    assert_eq!(desk.contract().status, Status::Active);
    assert_eq!(desk.deadline(), None);
    assert!(desk.tick(common::ymd(2999, 12, 31)).is_empty());
    assert_eq!(desk.contract().status, Status::Active);
}

/// *Business rules installed with Contract Management*, Verify purchase agreement discount
/// price: "validates that the Discount field does not contain a value less than zero or
/// greater than 99".
#[test]
fn a_purchase_agreements_discount_is_0_to_99() {
    let pa = |discount| {
        let mut s = ContractSpec::new(
            "PA-1",
            Model::PurchaseAgreement,
            Some(day(1, 1)),
            Some(day(12, 31)),
        )
        .vendor("Acme");
        s.discount = Some(discount);
        s
    };
    let mut desk = Desk::new();
    let id = ContractId::from_u128(1);
    let e = desk.err(day(1, 1), &manager(), Command::create(id, pa(100)));
    assert_eq!(e, Error::DiscountOutOfRange { discount: 100 });
    desk.ok(day(1, 1), &manager(), Command::create(id, pa(99)));
    assert_eq!(desk.contract().discount, Some(99));
}

/// *Business rules*, Verify contract's start and end dates: "Validates contract start and
/// end dates and contract renewal start and end dates."
#[test]
fn start_and_end_dates_are_validated_for_contracts_and_renewals() {
    let mut desk = Desk::new();
    let backwards = ContractSpec::new("X-1", Model::Lease, Some(day(6, 1)), Some(day(5, 31)));
    let e = desk.err(
        day(1, 1),
        &manager(),
        Command::create(ContractId::from_u128(1), backwards),
    );
    assert!(
        matches!(e, Error::EndBeforeStart { ref what, .. } if what == "contract"),
        "{e}"
    );
    let mut desk = Desk::approved(spec(), day(1, 1));
    let renewal = Renewal::new(common::ymd(2028, 1, 1), day(12, 31));
    let e = desk.err(day(2, 1), &manager(), Command::Renew { renewal });
    assert!(
        matches!(e, Error::EndBeforeStart { ref what, .. } if what == "renewal"),
        "{e}"
    );
}

// The life cycle.

/// *Send the contract for approval*: "Select a contract in the Draft state and Awaiting
/// Review substate."
#[test]
fn a_new_contract_is_a_draft_awaiting_review() {
    let desk = Desk::created(spec(), day(1, 1));
    assert_eq!(desk.contract().status, Status::Draft);
    assert_eq!(desk.contract().substate, Substate::AwaitingReview);
}

/// *Send the contract for approval*: "Click Submit For Review. An email message is sent to
/// the selected approver and the contract Substate changes to Under Review."
#[test]
fn submitting_sends_the_draft_to_its_approver() {
    let mut desk = Desk::created(spec().approver(UserId::from_u128(77)), day(1, 1));
    let events = desk.ok(
        day(1, 1),
        &manager(),
        Command::Submit {
            approver: Some(approver().user),
        },
    );
    assert!(matches!(
        events[..],
        [Event::Submitted { review: Review::Contract, approver: a, .. }] if a == approver().user
    ));
    assert_eq!(desk.contract().substate, Substate::UnderReview);
    assert_eq!(desk.contract().approver, Some(approver().user));
}

/// *View approval history on contracts*: "After a contract is sent to an approver for
/// review, the approver name cannot be changed. If the approver rejects a contract, the same
/// approver or a different approver can be specified before the contract is sent for
/// approval again."
#[test]
fn the_approver_is_fixed_under_review_and_may_change_after_a_rejection() {
    let mut desk = Desk::created(spec(), day(1, 1));
    desk.ok(day(1, 1), &manager(), Command::Submit { approver: None });
    let other = UserId::from_u128(77);
    let e = desk.err(
        day(1, 2),
        &manager(),
        Command::Submit {
            approver: Some(other),
        },
    );
    assert!(
        matches!(
            e,
            Error::WrongState {
                substate: Substate::UnderReview,
                ..
            }
        ),
        "{e}"
    );
    let edit = itsm_contract::Edit::default().approver(other);
    let e = desk.err(day(1, 2), &manager(), Command::Edit { edit: edit.clone() });
    assert!(matches!(e, Error::WrongState { .. }), "{e}");
    desk.ok(
        day(1, 2),
        &approver(),
        Command::Reject {
            comments: "price".into(),
        },
    );
    desk.ok(day(1, 3), &manager(), Command::Edit { edit });
    desk.ok(day(1, 3), &manager(), Command::Submit { approver: None });
    assert_eq!(desk.contract().approver, Some(other));
}

/// *Approve or reject a contract*: "click Approve. The contract Substate changes to
/// Approved"; "click Reject and enter a rejection reason in the Comments field. The contract
/// Substate changes to Rejected."
#[test]
fn approving_and_rejecting_set_the_substate_and_a_rejection_needs_comments() {
    let mut future = spec();
    future.start = Some(day(3, 1));
    let mut desk = Desk::created(future.clone(), day(1, 1));
    desk.ok(day(1, 1), &manager(), Command::Submit { approver: None });
    let e = desk.err(
        day(1, 2),
        &approver(),
        Command::Reject {
            comments: "  ".into(),
        },
    );
    assert_eq!(e, Error::EmptyComment);
    desk.ok(
        day(1, 2),
        &approver(),
        Command::Reject {
            comments: "wrong vendor".into(),
        },
    );
    assert_eq!(desk.contract().substate, Substate::Rejected);
    let mut desk = Desk::created(future, day(1, 1));
    desk.ok(day(1, 1), &manager(), Command::Submit { approver: None });
    desk.ok(day(1, 2), &approver(), Command::Approve);
    assert_eq!(
        (desk.contract().status, desk.contract().substate),
        (Status::Draft, Substate::Approved)
    );
}

/// *Approve or reject a contract*: "A contract with the state set to Draft and a start date
/// set in the future is kept in Draft until the start date is reached. If the contract has a
/// Substate of Approved, the system changes the State to Active and removes the Substate
/// value."
#[test]
fn an_approved_draft_waits_for_its_start_date() {
    let mut future = spec();
    future.start = Some(day(3, 1));
    let mut desk = Desk::approved(future, day(1, 10));
    assert_eq!(desk.contract().status, Status::Draft);
    assert_eq!(desk.deadline(), Some(day(3, 1)));
    assert!(desk.tick(day(2, 28)).is_empty());
    assert_eq!(names(&desk.tick(day(3, 1))), ["activated"]);
    assert_eq!(
        (desk.contract().status, desk.contract().substate),
        (Status::Active, Substate::None)
    );
}

/// *Approve or reject a contract*: "When a contract with a State of Draft and a Start Date
/// set to a date in the past is approved, the contract State is automatically set to Active
/// and Substate is left blank."
#[test]
fn approved_after_its_start_date_it_is_active_at_once() {
    let mut desk = Desk::created(spec(), day(1, 1));
    desk.ok(day(2, 1), &manager(), Command::Submit { approver: None });
    let events = desk.ok(day(2, 3), &approver(), Command::Approve);
    assert_eq!(names(&events), ["approved", "activated"]);
    assert_eq!(
        (desk.contract().status, desk.contract().substate),
        (Status::Active, Substate::None)
    );
}

/// *Contract life cycle*: the Contract Compliance Checks job "Changes the contract state to
/// Active if the contract is approved and reaches the specified start date" and "Changes
/// the contract state to Expired if the contract state is Active and reaches the end date."
#[test]
fn the_daily_job_activates_and_expires() {
    let mut short = spec();
    short.start = Some(day(2, 1));
    short.end = Some(day(2, 28));
    let mut desk = Desk::approved(short, day(1, 1));
    let events = desk.run_until(day(3, 31));
    let status: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, Event::Activated { .. } | Event::Expired { .. }))
        .map(|e| (e.name(), e.on()))
        .collect();
    assert_eq!(status, [("activated", day(2, 1)), ("expired", day(2, 28))]);
    assert_eq!(desk.contract().status, Status::Expired);
}

/// *Business rules*, Manage contract lifecycle: "Runs the condition checks to evaluate if
/// dates need to be changed when a contract is approved, or an extension or renewal is
/// approved, or the start or end dates have changed."
#[test]
fn condition_checks_run_when_the_dates_change() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    let events = desk.ok(
        day(5, 1),
        &manager(),
        Command::Adjust {
            start: None,
            end: Some(day(4, 30)),
            payment_amount: None,
        },
    );
    assert_eq!(names(&events), ["adjusted", "expired"]);
}

/// *Contract life cycle*, Expired: "Expired contracts with an active renewal workflow that
/// are waiting for approval have a substate of Awaiting Review. Expired contracts with an
/// active renewal workflow where the renewal was approved, but the renewal date hasn't yet
/// passed, have a substate of Renewal Approved. Expired contracts with no active renewal or
/// extension pending workflow have an empty substate."
#[test]
fn an_expired_contract_keeps_its_renewals_substate() {
    let renewal = Renewal::new(common::ymd(2028, 2, 1), common::ymd(2028, 12, 31)).saved();
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(day(12, 1), &manager(), Command::Renew { renewal });
    desk.tick(day(12, 31));
    assert_eq!(
        (desk.contract().status, desk.contract().substate),
        (Status::Expired, Substate::AwaitingReview)
    );
    desk.ok(
        common::ymd(2028, 1, 5),
        &manager(),
        Command::Submit { approver: None },
    );
    desk.ok(common::ymd(2028, 1, 6), &approver(), Command::Approve);
    assert_eq!(
        (desk.contract().status, desk.contract().substate),
        (Status::Expired, Substate::RenewalApproved)
    );
    let plain = Desk::approved(spec(), day(1, 1));
    let mut plain = plain;
    plain.tick(day(12, 31));
    assert_eq!(
        (plain.contract().status, plain.contract().substate),
        (Status::Expired, Substate::None)
    );
}

// Renewal and extension.

/// *Renew a contract*: "When a contract is renewed, a new contract isn't created. Instead,
/// the same contract is updated with renewal information"; "The changes to the start date
/// and end date of a contract is captured in the Contract History tab."
#[test]
fn a_renewal_updates_the_same_contract_and_keeps_its_history() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    let renewal = Renewal::new(common::ymd(2028, 1, 1), common::ymd(2028, 12, 31));
    desk.ok(day(11, 1), &manager(), Command::Renew { renewal });
    desk.ok(day(11, 2), &approver(), Command::Approve);
    desk.run_until(common::ymd(2028, 1, 1));
    let c = desk.contract();
    assert_eq!((c.id, c.status), (ContractId::from_u128(1), Status::Active));
    assert_eq!(
        (c.start, c.end),
        (
            Some(common::ymd(2028, 1, 1)),
            Some(common::ymd(2028, 12, 31))
        )
    );
    let h = c.history.last().unwrap();
    assert_eq!(h.change, DateChange::Renewed);
    assert_eq!(
        (h.start_before, h.end_before),
        (Some(day(1, 1)), Some(day(12, 31)))
    );
}

/// *Renew a contract*: "You can renew a contract that meets the following conditions. State
/// is Active or Expired; Substate is None or Rejected."
#[test]
fn only_active_or_expired_contracts_without_a_renewal_under_way_are_renewed() {
    let renewal = || Renewal::new(common::ymd(2028, 1, 1), common::ymd(2028, 12, 31));
    let mut draft = Desk::created(spec(), day(1, 1));
    let e = draft.err(day(1, 2), &manager(), Command::Renew { renewal: renewal() });
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Draft,
                ..
            }
        ),
        "{e}"
    );
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(day(6, 1), &manager(), Command::Renew { renewal: renewal() });
    let e = desk.err(day(6, 2), &manager(), Command::Renew { renewal: renewal() });
    assert_eq!(
        e,
        Error::RequestInFlight {
            review: Review::Renewal,
            stage: itsm_contract::Stage::UnderReview
        }
    );
    desk.ok(
        day(6, 3),
        &approver(),
        Command::Reject {
            comments: "too dear".into(),
        },
    );
    assert_eq!(desk.contract().substate, Substate::RenewalRejected);
    desk.ok(day(6, 4), &manager(), Command::Renew { renewal: renewal() });
    desk.tick(day(12, 31));
    assert_eq!(desk.contract().status, Status::Expired);
    let mut expired = Desk::approved(spec(), day(1, 1));
    expired.tick(day(12, 31));
    expired.ok(
        common::ymd(2028, 1, 3),
        &manager(),
        Command::Renew { renewal: renewal() },
    );
}

/// *Renew a contract*: "A Cost adjustment amount or Cost adjustment percentage can be
/// specified, but not both."
#[test]
fn a_renewal_adjusts_by_a_percentage_or_an_amount_not_both() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    let both = Renewal::new(common::ymd(2028, 1, 1), common::ymd(2028, 12, 31))
        .percent(300)
        .amount(100);
    let e = desk.err(day(6, 1), &manager(), Command::Renew { renewal: both });
    assert_eq!(e, Error::BothAdjustments);
}

/// *Renew a contract*, step 5: "To save all entered data and change the substate to Under
/// Review, click Submit for Review"; "To save all entered data and change the substate to
/// Awaiting Review, click Save. The Renew button is available to submit the renewed
/// contract for review later."
#[test]
fn a_renewal_is_submitted_at_once_or_saved_for_later() {
    let dates = (common::ymd(2028, 1, 1), common::ymd(2028, 12, 31));
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(
        day(6, 1),
        &manager(),
        Command::Renew {
            renewal: Renewal::new(dates.0, dates.1),
        },
    );
    assert_eq!(desk.contract().substate, Substate::UnderReview);
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(
        day(6, 1),
        &manager(),
        Command::Renew {
            renewal: Renewal::new(dates.0, dates.1).saved(),
        },
    );
    assert_eq!(desk.contract().substate, Substate::AwaitingReview);
    let e = desk.err(day(6, 2), &approver(), Command::Approve);
    assert!(matches!(e, Error::WrongState { .. }), "{e}");
    desk.ok(day(6, 2), &manager(), Command::Submit { approver: None });
    assert_eq!(desk.contract().substate, Substate::UnderReview);
}

/// *Business rules*, Manage contract lifecycle: "Renews the contract, updating its start
/// date, end date, and base cost (if cost adjustments must be applied) when a contract
/// renewal has been approved and the renewal has reached its start date."
#[test]
fn an_approved_renewal_applies_on_its_start_date_with_the_adjusted_cost() {
    let card = RateCardSpec::new("support", day(1, 1), Interval::Annually, 100_000);
    let mut desk = Desk::approved(spec().payment(100_000).rate_card(card), day(1, 1));
    let renewal = Renewal::new(common::ymd(2028, 1, 1), common::ymd(2028, 12, 31)).percent(300);
    desk.ok(day(11, 1), &manager(), Command::Renew { renewal });
    desk.ok(day(11, 2), &approver(), Command::Approve);
    assert_eq!(desk.contract().substate, Substate::RenewalApproved);
    assert_eq!(desk.contract().end, Some(day(12, 31)));
    let events = desk.run_until(common::ymd(2028, 1, 1));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Renewed { base_costs, .. } if base_costs == &[103_000]))
    );
    assert_eq!(desk.contract().rate_cards[0].spec.base_cost, 103_000);
    // The 2027 charge at the old price, the 2028 one at the new.
    assert_eq!(lines_of(&desk.events), [vec![100_000], vec![103_000]]);
}

/// *Business rules*, Manage contract lifecycle: "Updates the end date of a contract when a
/// contract extension has been approved."
#[test]
fn an_approved_extension_moves_the_end_date_at_once() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(
        day(10, 1),
        &manager(),
        Command::Extend {
            end: common::ymd(2028, 3, 31),
            approver: None,
            submit: true,
        },
    );
    let events = desk.ok(day(10, 2), &approver(), Command::Approve);
    assert_eq!(names(&events), ["approved", "extended"]);
    assert_eq!(desk.contract().end, Some(common::ymd(2028, 3, 31)));
    assert_eq!(desk.contract().substate, Substate::ExtensionApproved);
}

/// *Adjust a contract*: "If the end date of a contract changes, the end date of any
/// associated assets changes to match the new end date." Coverage has no end of its own:
/// the covered asset is charged for in the longer term.
#[test]
fn covered_assets_follow_the_end_date() {
    let card = RateCardSpec::new("care", day(12, 1), Interval::Monthly, 1_000)
        .over_assets(Distribute::PerAsset, ["srv-1"]);
    let contract = spec()
        .asset(CoveredAsset::new("srv-1", 0, 0))
        .rate_card(card);
    let mut desk = Desk::approved(contract, day(1, 1));
    desk.ok(
        day(11, 1),
        &manager(),
        Command::Adjust {
            start: None,
            end: Some(common::ymd(2028, 1, 31)),
            payment_amount: None,
        },
    );
    desk.run_until(common::ymd(2028, 2, 28));
    let on_asset: Vec<_> = desk
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Charged { date, lines, .. } => Some((*date, lines[0].asset.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        on_asset,
        [
            (day(12, 1), Some("srv-1".into())),
            (common::ymd(2028, 1, 1), Some("srv-1".into()))
        ]
    );
}

// Adjustment and cancellation.

/// *Adjust a contract*: "To adjust a contract, the State should be Active."
#[test]
fn only_an_active_contract_is_adjusted() {
    let mut desk = Desk::created(spec(), day(1, 1));
    let adjust = Command::Adjust {
        start: None,
        end: Some(day(11, 30)),
        payment_amount: None,
    };
    let e = desk.err(day(1, 2), &manager(), adjust.clone());
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Draft,
                ..
            }
        ),
        "{e}"
    );
    let mut desk = Desk::approved(spec(), day(1, 1));
    desk.ok(day(1, 2), &manager(), adjust);
    assert_eq!(desk.contract().end, Some(day(11, 30)));
    assert_eq!(desk.contract().history[0].change, DateChange::Adjusted);
}

/// *Adjust a contract*: Contract Payment Amount "If the contract has one or more rate
/// cards, this field shows the total of all rate card base costs"; *Create a contract*: "If
/// a contract has one or more associated rate cards, the fields on the Contract form can't
/// be edited."
#[test]
fn with_rate_cards_the_payment_amount_is_their_base_costs() {
    let contract = spec()
        .payment(5)
        .rate_card(RateCardSpec::new("a", day(1, 1), Interval::Monthly, 1_000))
        .rate_card(RateCardSpec::new(
            "b",
            day(1, 1),
            Interval::Quarterly,
            2_500,
        ));
    let mut desk = Desk::approved(contract, day(1, 1));
    assert_eq!(desk.contract().shown_payment_amount(), 3_500);
    let e = desk.err(
        day(2, 1),
        &manager(),
        Command::Adjust {
            start: None,
            end: None,
            payment_amount: Some(9),
        },
    );
    assert_eq!(e, Error::PaymentSetByRateCards);
}

/// *Cancel a contract*: "You can cancel a contract when the State is Active"; then "The
/// contract State changes to Canceled", "Renew and Extend buttons become inactive",
/// "Contract rate cards become inactive."
#[test]
fn only_an_active_contract_is_canceled_and_its_cards_stop() {
    let mut draft = Desk::created(spec(), day(1, 1));
    let e = draft.err(day(1, 2), &manager(), Command::Cancel);
    assert!(
        matches!(
            e,
            Error::WrongState {
                status: Status::Draft,
                ..
            }
        ),
        "{e}"
    );
    let card = RateCardSpec::new("fee", day(1, 1), Interval::Monthly, 1_000);
    let mut desk = Desk::approved(spec().rate_card(card), day(1, 1));
    desk.tick(day(1, 1));
    desk.ok(day(1, 15), &manager(), Command::Cancel);
    assert_eq!(desk.contract().status, Status::Canceled);
    assert!(!desk.contract().rate_cards[0].active);
    assert!(desk.tick(day(6, 1)).is_empty());
    assert_eq!(desk.deadline(), None);
    let renewal = Renewal::new(common::ymd(2028, 1, 1), common::ymd(2028, 12, 31));
    assert!(matches!(
        desk.err(day(6, 1), &manager(), Command::Renew { renewal }),
        Error::WrongState { .. }
    ));
    let extend = Command::Extend {
        end: common::ymd(2028, 1, 31),
        approver: None,
        submit: true,
    };
    assert!(matches!(
        desk.err(day(6, 1), &manager(), extend),
        Error::WrongState { .. }
    ));
}

// Reminders.

/// *Verify contract administrator assignment for notification*: the `contract.expiration`
/// event e-mails the contract administrator "90 days ahead", "60 days ahead", "30 days
/// ahead" of the expiration date and "On the contract expiration date".
#[test]
fn the_administrator_is_reminded_90_60_30_and_0_days_ahead() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    let events = desk.run_until(day(12, 31));
    let reminders: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Reminded { days, to, on, .. } => Some((*days, *to, *on)),
            _ => None,
        })
        .collect();
    let admin = Some(UserId::from_u128(5));
    assert_eq!(
        reminders,
        [
            (90, admin, day(10, 2)),
            (60, admin, day(11, 1)),
            (30, admin, day(12, 1)),
            (0, admin, day(12, 31)),
        ]
    );
    assert_eq!(names(&events).last(), Some(&"expired"));
}

/// *Condition check definitions*: "The daily condition checker sets the appropriate
/// expiration level for active contracts based on the contract End Date."
#[test]
fn the_expiration_level_follows_the_end_date() {
    let desk = Desk::approved(spec(), day(1, 1));
    let c = desk.contract();
    let levels = &desk.policy.reminders;
    assert_eq!(c.expiration_level(day(10, 1), levels), None);
    assert_eq!(c.expiration_level(day(10, 2), levels), Some(90));
    assert_eq!(c.expiration_level(day(11, 15), levels), Some(60));
    assert_eq!(c.expiration_level(day(12, 31), levels), Some(0));
}

// Money.

/// *Business rules*, Calculate totals with tax: "Calculates the Tax cost and Total cost
/// fields for a contract"; *Create a contract*: Effective tax rate "to apply to the total
/// cost".
#[test]
fn tax_cost_and_total_cost_follow_the_effective_tax_rate() {
    let mut taxed = spec().payment(1_000_000);
    taxed.sales_tax = Some(Rate(825));
    let desk = Desk::created(taxed, day(1, 1));
    assert_eq!(desk.contract().tax_cost(), 82_500);
    assert_eq!(desk.contract().total_cost(), 1_082_500);
}

/// *Create a contract*, Total cost: "If a contract has one or more rate cards, this field
/// shows the combined value of all rate cards."
#[test]
fn with_rate_cards_the_total_cost_is_theirs_combined() {
    let contract = spec()
        .payment(1)
        .rate_card(RateCardSpec::new("a", day(1, 1), Interval::Monthly, 1_000).taxed(Rate(1_000)))
        .rate_card(RateCardSpec::new("b", day(1, 1), Interval::Monthly, 2_000));
    let desk = Desk::created(contract, day(1, 1));
    assert_eq!(desk.contract().total_cost(), 1_100 + 2_000);
}

/// *Business rules*, Update contract cost per asset: "Updates the cost per unit value based
/// on the total cost and number of assets associated to the contract."
#[test]
fn the_cost_per_asset_is_the_total_over_the_covered_assets() {
    let contract = spec()
        .payment(1_000)
        .asset(CoveredAsset::new("a", 0, 0))
        .asset(CoveredAsset::new("b", 0, 0))
        .asset(CoveredAsset::new("c", 0, 0));
    let mut desk = Desk::approved(contract, day(1, 1));
    assert_eq!(desk.contract().cost_per_asset(), Some(333));
    desk.ok(
        day(2, 1),
        &manager(),
        Command::Uncover { asset: "c".into() },
    );
    assert_eq!(desk.contract().cost_per_asset(), Some(500));
}

/// *Business rules*, Update contract lifetime cost: "Calculates the lifetime cost of the
/// contract by calculating the sum of the contract expense lines."
#[test]
fn the_lifetime_cost_is_the_sum_of_the_expense_lines() {
    let card = RateCardSpec::new("fee", day(1, 1), Interval::Monthly, 1_000).taxed(Rate(2_000));
    let mut desk = Desk::approved(spec().rate_card(card), day(1, 1));
    desk.run_until(day(12, 31));
    let lines: i64 = lines_of(&desk.events).iter().flatten().sum();
    assert_eq!(lines, 12 * 1_200);
    assert_eq!(desk.contract().lifetime_cost, lines);
}

/// *Business rules*, Calculate projected costs: "Calculates the projected monthly and annual
/// costs for a contract when costs or payment schedule changes."
#[test]
fn projected_costs_are_monthly_and_annual() {
    let contract = spec()
        .rate_card(RateCardSpec::new("m", day(1, 1), Interval::Monthly, 1_000))
        .rate_card(RateCardSpec::new(
            "q",
            day(1, 1),
            Interval::Quarterly,
            3_000,
        ));
    let mut desk = Desk::approved(contract, day(1, 1));
    let p = desk.contract().projected();
    assert_eq!((p.monthly, p.annual), (2_000, 24_000));
    desk.ok(
        day(2, 1),
        &finance(),
        Command::DeactivateRateCard { card: "q".into() },
    );
    assert_eq!(desk.contract().projected().annual, 12_000);
}

/// *Contract Rate Card form*: a card charges its Base cost with its Tax every Interval from
/// its Start date; End date "If no value is entered, the date is automatically set to the
/// end date of the contract"; "No expense lines are generated for costs incurred after the
/// end date."
#[test]
fn a_rate_card_charges_every_interval_until_its_end_or_the_contracts() {
    let quarterly =
        RateCardSpec::new("q", day(1, 15), Interval::Quarterly, 10_000).taxed(Rate(500));
    let ended = RateCardSpec::new("m", day(1, 1), Interval::Monthly, 100).until(day(3, 31));
    let mut desk = Desk::approved(spec().rate_card(quarterly).rate_card(ended), day(1, 1));
    desk.run_until(common::ymd(2028, 6, 30));
    let charges: std::collections::BTreeSet<_> = desk
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Charged {
                card, date, lines, ..
            } => Some((*card, *date, lines[0].amount)),
            _ => None,
        })
        .collect();
    let expected = [
        (0, day(1, 15), 10_500),
        (1, day(1, 1), 100),
        (1, day(2, 1), 100),
        (1, day(3, 1), 100),
        (0, day(4, 15), 10_500),
        (0, day(7, 15), 10_500),
        (0, day(10, 15), 10_500),
    ];
    assert_eq!(charges, expected.into_iter().collect());
}

/// *Contract Rate Card form*, Start date: "the date cannot be before the start date of the
/// contract"; End date: "the date cannot be after the end date of the contract."
#[test]
fn a_rate_card_lies_within_the_contract() {
    let mut desk = Desk::approved(spec(), day(1, 1));
    let early = RateCardSpec::new("early", common::ymd(2026, 12, 1), Interval::Monthly, 1);
    let e = desk.err(
        day(1, 2),
        &finance(),
        Command::AddRateCard {
            card: Box::new(early),
        },
    );
    assert!(matches!(e, Error::CardBeforeContract { .. }), "{e}");
    let late =
        RateCardSpec::new("late", day(1, 1), Interval::Monthly, 1).until(common::ymd(2028, 1, 1));
    let e = desk.err(
        day(1, 2),
        &finance(),
        Command::AddRateCard {
            card: Box::new(late),
        },
    );
    assert!(matches!(e, Error::CardAfterContract { .. }), "{e}");
}

/// *Create a rate card and assign a user or asset*: "You can only assign the user or asset
/// that is assigned to the contract."
#[test]
fn a_rate_card_charges_only_what_the_contract_covers() {
    let mut desk = Desk::approved(spec().asset(CoveredAsset::new("srv-1", 0, 0)), day(1, 1));
    let card = RateCardSpec::new("care", day(1, 1), Interval::Monthly, 1)
        .over_assets(Distribute::PerAsset, ["srv-2"]);
    let e = desk.err(
        day(1, 2),
        &manager(),
        Command::AddRateCard {
            card: Box::new(card),
        },
    );
    assert!(
        matches!(e, Error::CardAssetNotCovered { ref asset, .. } if asset == "srv-2"),
        "{e}"
    );
    let card = RateCardSpec::new("seats", day(1, 1), Interval::Monthly, 1)
        .over_users([UserId::from_u128(50)]);
    let e = desk.err(
        day(1, 2),
        &manager(),
        Command::AddRateCard {
            card: Box::new(card),
        },
    );
    assert!(matches!(e, Error::CardUserNotCovered { .. }), "{e}");
}

/// *Configure rate card expense generation*: "with a $100 Base cost and two assets, two
/// expense lines for $50 are created"; by Cost "one asset worth $70, and one asset worth $30,
/// two expense lines are created, one for $70 and one for $30"; per user "with a $100 Base
/// cost and two users on the contract, two expense lines for $50"; "Allocate cost to
/// contract".
#[test]
fn the_four_distributions_split_as_documented() {
    let (u1, u2) = (UserId::from_u128(51), UserId::from_u128(52));
    let contract = spec()
        .asset(CoveredAsset::new("a", 7_000, 100))
        .asset(CoveredAsset::new("b", 3_000, 300))
        .user(u1)
        .user(u2)
        .rate_card(
            RateCardSpec::new("even", day(1, 1), Interval::Annually, 10_000)
                .over_assets(Distribute::PerAsset, ["a", "b"]),
        )
        .rate_card(
            RateCardSpec::new("cost", day(1, 1), Interval::Annually, 10_000)
                .over_assets(Distribute::AssetCost, ["a", "b"]),
        )
        .rate_card(
            RateCardSpec::new("users", day(1, 1), Interval::Annually, 10_000).over_users([u1, u2]),
        )
        .rate_card(RateCardSpec::new(
            "whole",
            day(1, 1),
            Interval::Annually,
            10_000,
        ))
        .rate_card(
            RateCardSpec::new("residual", day(1, 1), Interval::Annually, 10_000)
                .over_assets(Distribute::AssetResidual, ["a", "b"]),
        );
    let mut desk = Desk::approved(contract, day(1, 1));
    desk.tick(day(1, 1));
    assert_eq!(
        lines_of(&desk.events),
        [
            vec![5_000, 5_000],
            vec![7_000, 3_000],
            vec![5_000, 5_000],
            vec![10_000],
            vec![2_500, 7_500],
        ]
    );
    let Some(Event::Charged { lines, .. }) = desk
        .events
        .iter()
        .find(|e| matches!(e, Event::Charged { card: 2, .. }))
    else {
        panic!("no per-user charge");
    };
    assert_eq!((lines[0].user, lines[1].user), (Some(u1), Some(u2)));
}

/// *Configure rate card expense generation*: "Expense lines are only generated from
/// contracts with the Active or Expired state"; the job "runs forward and generates
/// additional records from the Next Process time."
#[test]
fn lines_only_for_active_or_expired_contracts_from_the_next_process_date() {
    let card = RateCardSpec::new("fee", day(1, 1), Interval::Monthly, 1_000);
    let mut desk = Desk::created(spec().rate_card(card), day(1, 1));
    assert!(desk.tick(day(3, 15)).is_empty(), "a draft is not charged");
    desk.ok(day(3, 15), &manager(), Command::Submit { approver: None });
    desk.ok(day(3, 15), &approver(), Command::Approve);
    // Active now: the job catches up from the card's next process date.
    let dates: Vec<_> = desk
        .tick(day(3, 16))
        .iter()
        .filter_map(|e| match e {
            Event::Charged { date, .. } => Some(*date),
            _ => None,
        })
        .collect();
    assert_eq!(dates, [day(1, 1), day(2, 1), day(3, 1)]);
    assert_eq!(
        desk.contract().rate_cards[0].next_process(),
        Some(day(4, 1))
    );
    assert_eq!(desk.deadline(), Some(day(4, 1)));
    // Expired contracts keep the lines of their term; nothing after the end.
    desk.run_until(common::ymd(2028, 3, 1));
    assert_eq!(desk.contract().status, Status::Expired);
    assert_eq!(desk.contract().lines, 12);
    let _ = system();
}
