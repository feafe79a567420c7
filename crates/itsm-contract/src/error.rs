//! Why a spec, a policy or a command is refused.

use chrono::NaiveDate;
use itsm_core::{Quoted, UserId};

use crate::model::{Review, Stage, Status, Substate};
use crate::spec::{Distribute, Model};

/// Everything this crate refuses. Each variant names what was wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The spec.
    /// The contract has no number.
    #[error("the contract number is empty; give the number the vendor assigned")]
    EmptyNumber,
    /// An asset id or a rate card name is empty.
    #[error("a {what} is empty; give each one")]
    EmptyName {
        /// What ("covered asset's id", "rate card's name").
        what: &'static str,
    },
    /// An end date before its start date.
    #[error("the {what} ends on {end}, before it starts on {start}; end on or after the start")]
    EndBeforeStart {
        /// Whose dates ("contract", "renewal", "rate card `x`").
        what: String,
        /// The start.
        start: NaiveDate,
        /// The end.
        end: NaiveDate,
    },
    /// A purchase agreement or NDA without its vendor or a date.
    #[error("a contract of model `{model}` needs a {field}; give one")]
    MissingForModel {
        /// The model.
        model: Model,
        /// The missing field ("vendor", "start date", "end date").
        field: &'static str,
    },
    /// A discount over 99.
    #[error("the discount is {discount}; a purchase agreement's discount is 0 to 99")]
    DiscountOutOfRange {
        /// The discount.
        discount: u8,
    },
    /// A discount on another model than a purchase agreement.
    #[error("a contract of model `{model}` has a discount; only purchase agreements have one")]
    DiscountNotPurchaseAgreement {
        /// The model.
        model: Model,
    },
    /// An amount beyond the crate's range.
    #[error("the {what} is {amount}; amounts are within ±{max} minor units")]
    AmountOutOfRange {
        /// Which amount.
        what: String,
        /// The amount.
        amount: i64,
        /// The bound.
        max: i64,
    },
    /// An asset's cost or residual cost below zero.
    #[error("asset `{}` has a {what} of {value}; give 0 or more", Quoted(.asset))]
    NegativeValue {
        /// The asset.
        asset: String,
        /// "cost" or "residual cost".
        what: &'static str,
        /// The value.
        value: i64,
    },
    /// A tax rate over 100 %.
    #[error("the {what}'s tax rate is {rate} hundredths of a percent; at most {max} (100 %)")]
    TaxRateOutOfRange {
        /// Whose ("contract", "rate card `x`").
        what: String,
        /// The rate.
        rate: u32,
        /// The bound.
        max: u32,
    },
    /// A renewal's percentage outside -100 % to +1000 %.
    #[error(
        "the renewal's cost adjustment is {percent} hundredths of a percent; give {min} to {max}"
    )]
    PercentOutOfRange {
        /// The percentage.
        percent: i32,
        /// The lowest allowed.
        min: i32,
        /// The highest allowed.
        max: i32,
    },
    /// Two covered assets share an id.
    #[error("asset `{}` is covered twice; cover each asset once", Quoted(.asset))]
    DuplicateAsset {
        /// The asset.
        asset: String,
    },
    /// A user covered twice.
    #[error("user {user} is covered twice; cover each user once")]
    DuplicateUser {
        /// The user.
        user: UserId,
    },
    /// Two rate cards share a name.
    #[error("two rate cards are named `{}`; give each its own name", Quoted(.card))]
    DuplicateCard {
        /// The name.
        card: String,
    },
    /// More assets, users or rate cards than the crate takes.
    #[error("the contract has {count} {what}; at most {max}")]
    TooMany {
        /// What ("covered assets", "covered users", "rate cards").
        what: &'static str,
        /// How many.
        count: usize,
        /// The bound.
        max: usize,
    },
    /// A rate card names an asset the contract does not cover.
    #[error("rate card `{}` names asset `{}`, which the contract does not cover; cover it first or name a covered asset", Quoted(.card), Quoted(.asset))]
    CardAssetNotCovered {
        /// The card.
        card: String,
        /// The asset.
        asset: String,
    },
    /// A rate card names a user the contract does not cover.
    #[error("rate card `{}` names user {user}, whom the contract does not cover; add the user first or name a covered user", Quoted(.card))]
    CardUserNotCovered {
        /// The card.
        card: String,
        /// The user.
        user: UserId,
    },
    /// A rate card starting before the contract.
    #[error("rate card `{}` starts on {start}, before the contract's start on {contract_start}; start on or after it", Quoted(.card))]
    CardBeforeContract {
        /// The card.
        card: String,
        /// Its start.
        start: NaiveDate,
        /// The contract's start.
        contract_start: NaiveDate,
    },
    /// A rate card starting or ending after the contract's end.
    #[error("rate card `{}` runs to {end}, after the contract's end on {contract_end}; keep it within the contract, or give no end", Quoted(.card))]
    CardAfterContract {
        /// The card.
        card: String,
        /// Its end (or its start, when that is after the contract's end).
        end: NaiveDate,
        /// The contract's end.
        contract_end: NaiveDate,
    },
    /// A rate card split over assets or users it does not list.
    #[error("rate card `{}` distributes {distribute} but lists no {whom}; list them, or allocate the cost to the contract", Quoted(.card))]
    NothingToDistribute {
        /// The card.
        card: String,
        /// How it distributes.
        distribute: Distribute,
        /// "assets" or "users".
        whom: &'static str,
    },
    /// A rate card lists assets or users its distribution does not read.
    #[error("rate card `{}` lists {whom} but distributes {distribute}, which does not read them; drop them or distribute over them", Quoted(.card))]
    UnusedCoverage {
        /// The card.
        card: String,
        /// How it distributes.
        distribute: Distribute,
        /// "assets" or "users".
        whom: &'static str,
    },

    // The policy.
    /// A reminder too far ahead.
    #[error("a reminder is set {days} days before the end date; at most {max}")]
    ReminderTooFar {
        /// The days.
        days: u32,
        /// The bound.
        max: u32,
    },
    /// A reminder listed twice.
    #[error("the reminder {days} days before the end date is listed twice; list each once")]
    DuplicateReminder {
        /// The days.
        days: u32,
    },
    /// No expense line per tick allowed.
    #[error("the policy allows 0 expense lines per tick; allow at least 1")]
    NoLinesPerTick,

    // Commands.
    /// A command other than `create` before the contract exists.
    #[error("there is no contract yet; create it first")]
    NotCreated,
    /// `create` on an existing contract.
    #[error("the contract already exists; create a new record for another contract")]
    AlreadyCreated,
    /// A command from an earlier day than the last one.
    #[error(
        "the command is dated {today}, before the last command on {last}; commands come in order of their days"
    )]
    ClockWentBackwards {
        /// The last day.
        last: NaiveDate,
        /// The command's day.
        today: NaiveDate,
    },
    /// The actor holds none of the roles the command needs.
    #[error("`{command}` needs one of the roles {roles}")]
    Forbidden {
        /// The command.
        command: &'static str,
        /// The roles allowed.
        roles: String,
    },
    /// Someone else than the approver decides.
    #[error("`{command}` is for the approver, {approver}")]
    NotApprover {
        /// The command.
        command: &'static str,
        /// The approver.
        approver: UserId,
    },
    /// A command the contract's state does not allow.
    #[error(
        "`{command}` is not allowed on a {status} contract with substate {substate}; it is allowed {allowed}"
    )]
    WrongState {
        /// The command.
        command: &'static str,
        /// The status.
        status: Status,
        /// The substate.
        substate: Substate,
        /// Where it is allowed.
        allowed: &'static str,
    },
    /// Submitted without an approver.
    #[error("there is no approver; name one (a user with the contract manager role)")]
    NoApprover,
    /// A draft submitted after its end date.
    #[error(
        "the contract ended on {end}, before today ({today}); change the end date before submitting it"
    )]
    EndPassed {
        /// The end date.
        end: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// A rejection without comments.
    #[error("a rejection needs comments saying why; give them")]
    EmptyComment,
    /// A renewal with both a percentage and an amount.
    #[error(
        "the renewal gives both a cost adjustment percentage and an amount; give one or the other"
    )]
    BothAdjustments,
    /// A renewal not starting after the contract's start.
    #[error(
        "the renewal starts on {start}, not after the contract's start on {contract_start}; start the renewed term later"
    )]
    RenewalNotAfterStart {
        /// The renewal's start.
        start: NaiveDate,
        /// The contract's start.
        contract_start: NaiveDate,
    },
    /// An extension not moving the end later.
    #[error(
        "the extension ends on {end}, not after the current end on {current}; give a later end date"
    )]
    NotLater {
        /// The asked end.
        end: NaiveDate,
        /// The current end.
        current: NaiveDate,
    },
    /// An adjustment moving the end to or past the end an extension under way asks for.
    #[error(
        "an extension to {extension} is under way; adjust the end to a date before it (not {end}), or let the approver decide the extension first"
    )]
    ExtensionUnderWay {
        /// The end the extension asks for.
        extension: NaiveDate,
        /// The end the adjustment asked for.
        end: NaiveDate,
    },
    /// An open-ended contract extended.
    #[error("the contract is open-ended; there is no end date to extend")]
    OpenEnded,
    /// A renewal or extension asked while another is under review or approved.
    #[error("a {review} is already {stage}; wait for it, or have it rejected, before asking again")]
    RequestInFlight {
        /// What is under way.
        review: Review,
        /// Where it stands.
        stage: Stage,
    },
    /// The payment amount changed on a contract with rate cards.
    #[error(
        "the contract has rate cards, which set its payment amount; change their base costs instead"
    )]
    PaymentSetByRateCards,
    /// An edit or adjustment that changes nothing.
    #[error("`{command}` changes nothing; give at least one new value")]
    NothingToChange {
        /// The command.
        command: &'static str,
    },
    /// A rate card name the contract does not have.
    #[error("the contract has no rate card named `{}`", Quoted(.card))]
    UnknownCard {
        /// The name.
        card: String,
    },
    /// A rate card already inactive.
    #[error("rate card `{}` is already inactive", Quoted(.card))]
    CardInactive {
        /// The name.
        card: String,
    },
    /// An asset covered already.
    #[error("asset `{}` is already covered", Quoted(.asset))]
    AlreadyCovered {
        /// The asset.
        asset: String,
    },
    /// An asset not covered.
    #[error("asset `{}` is not covered by the contract", Quoted(.asset))]
    NotCovered {
        /// The asset.
        asset: String,
    },
    /// A user covered already.
    #[error("user {user} is already covered")]
    UserAlreadyCovered {
        /// The user.
        user: UserId,
    },
    /// A user not covered.
    #[error("user {user} is not covered by the contract")]
    UserNotCovered {
        /// The user.
        user: UserId,
    },
}
