//! `decide` and `evolve`.

use chrono::NaiveDate;
use itsm_core::{Actor, Role, UserId};

use crate::check;
use crate::command::{Command, Edit, Renewal};
use crate::error::Error;
use crate::event::Event;
use crate::job;
use crate::model::{
    Contract, Coverage, DateChange, History, RateCard, Request, Review, Stage, State, Status,
    Substate,
};
use crate::policy::Policy;
use crate::spec::{MAX_COVERED, MAX_RATE_CARDS};

/// The lowest and highest renewal cost adjustment, in hundredths of a percent.
const PERCENT: (i32, i32) = (-10_000, 100_000);

/// What `decide` needs besides the state and the command: the day, who acts and the
/// policy. Nothing is read from the environment.
///
/// Contracts live by days (they take effect and expire on dates), so the host says which
/// day it is in its own zone.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Context::new`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Context<'a> {
    /// Today, from the host's clock in its zone.
    pub today: NaiveDate,
    /// Who issues the command (for [`Command::Tick`], the host's system account).
    pub actor: &'a Actor,
    /// The vendor's configuration.
    pub policy: &'a Policy,
}

impl<'a> Context<'a> {
    /// The context of one call.
    pub const fn new(today: NaiveDate, actor: &'a Actor, policy: &'a Policy) -> Self {
        Context {
            today,
            actor,
            policy,
        }
    }

    fn require(&self, command: &Command, roles: &[&[Role]]) -> Result<(), Error> {
        if roles
            .iter()
            .flat_map(|r| r.iter())
            .any(|r| self.actor.roles.contains(r))
        {
            return Ok(());
        }
        let listed: Vec<String> = roles
            .iter()
            .flat_map(|r| r.iter())
            .map(|r| format!("`{}`", itsm_core::Quoted(r.as_str())))
            .collect();
        Err(Error::Forbidden {
            command: command.name(),
            roles: if listed.is_empty() {
                "(none: the policy lists no role)".to_owned()
            } else {
                listed.join(", ")
            },
        })
    }

    /// The approver decides; with `approver_only` off, any manager too.
    fn approver(&self, command: &Command, approver: UserId) -> Result<(), Error> {
        if self.actor.user == approver {
            return Ok(());
        }
        if self.policy.approver_only {
            return Err(Error::NotApprover {
                command: command.name(),
                approver,
            });
        }
        self.require(command, &[&self.policy.managers])
    }
}

/// Decides what a command does to the contract: the events to store and fold, or why it is
/// refused (nothing changed then).
///
/// # Errors
/// Every refusal is an [`Error`] naming what was wrong and what is allowed: a spec or policy
/// that does not hold, a role the actor lacks, a command the contract's state does not
/// allow, a day before the last command's.
pub fn decide(state: &State, command: &Command, ctx: &Context<'_>) -> Result<Vec<Event>, Error> {
    ctx.policy.check()?;
    if let Some(last) = state.last {
        if ctx.today < last {
            return Err(Error::ClockWentBackwards {
                last,
                today: ctx.today,
            });
        }
    }
    let today = ctx.today;
    let by = ctx.actor.user;
    let Some(contract) = state.contract.as_ref() else {
        let Command::Create { id, spec } = command else {
            return Err(Error::NotCreated);
        };
        ctx.require(command, &[&ctx.policy.managers])?;
        check::spec(spec)?;
        return Ok(vec![Event::Created {
            id: *id,
            spec: spec.clone(),
            on: today,
            by,
        }]);
    };
    let wrong = |allowed: &'static str| Error::WrongState {
        command: command.name(),
        status: contract.status,
        substate: contract.substate,
        allowed,
    };
    let managers: &[Role] = &ctx.policy.managers;
    match command {
        Command::Create { .. } => Err(Error::AlreadyCreated),
        Command::Tick => Ok(job::tick(contract, today, ctx.policy)),
        Command::Edit { edit } => {
            ctx.require(command, &[managers])?;
            if contract.status != Status::Draft
                || !matches!(
                    contract.substate,
                    Substate::AwaitingReview | Substate::Rejected
                )
            {
                return Err(wrong("on a draft awaiting review or rejected"));
            }
            edit_checks(contract, edit)?;
            Ok(vec![Event::Edited {
                edit: edit.clone(),
                on: today,
                by,
            }])
        }
        Command::Submit { approver } => {
            ctx.require(command, &[managers])?;
            submit(contract, *approver, today, by).ok_or_else(|| {
                wrong(
                    "on a draft awaiting review or rejected, or with a renewal or extension saved",
                )
            })?
        }
        Command::Approve | Command::Reject { .. } => {
            let (review, approver) = under_review(contract)
                .ok_or_else(|| wrong("while a draft, a renewal or an extension is under review"))?;
            if let Command::Reject { comments } = command {
                if comments.trim().is_empty() {
                    return Err(Error::EmptyComment);
                }
                ctx.approver(command, approver)?;
                return Ok(vec![Event::Rejected {
                    review,
                    comments: comments.clone(),
                    on: today,
                    by,
                }]);
            }
            ctx.approver(command, approver)?;
            let mut events = vec![Event::Approved {
                review,
                on: today,
                by,
            }];
            if review == Review::Extension {
                if let Some(request) = &contract.request {
                    events.push(Event::Extended {
                        end: request.end,
                        on: today,
                    });
                }
            }
            events.extend(job::follow_ups(contract, &events, today, ctx.policy));
            Ok(events)
        }
        Command::Renew { renewal } => {
            ctx.require(command, &[managers])?;
            if !matches!(contract.status, Status::Active | Status::Expired) {
                return Err(wrong("on an active or expired contract"));
            }
            let request = renewal_request(contract, renewal)?;
            Ok(requested(request, renewal.submit, today, by))
        }
        Command::Extend {
            end,
            approver,
            submit,
        } => {
            ctx.require(command, &[managers])?;
            if !matches!(contract.status, Status::Active | Status::Expired) {
                return Err(wrong("on an active or expired contract"));
            }
            in_flight(contract)?;
            let current = contract.end.ok_or(Error::OpenEnded)?;
            if *end <= current {
                return Err(Error::NotLater { end: *end, current });
            }
            let approver = approver.or(contract.approver).ok_or(Error::NoApprover)?;
            let request = Request {
                review: Review::Extension,
                approver,
                start: None,
                end: *end,
                percent: None,
                amount: None,
                stage: Stage::Saved,
            };
            Ok(requested(request, *submit, today, by))
        }
        Command::Adjust {
            start,
            end,
            payment_amount,
        } => {
            ctx.require(command, &[managers])?;
            if contract.status != Status::Active {
                return Err(wrong("on an active contract"));
            }
            let edit = Edit {
                start: *start,
                end: *end,
                payment_amount: *payment_amount,
                ..Edit::default()
            };
            edit_checks(contract, &edit)?;
            let mut events = vec![Event::Adjusted {
                start: start.or(contract.start),
                end: end.or(contract.end),
                payment_amount: payment_amount.unwrap_or(contract.payment_amount),
                on: today,
                by,
            }];
            let follow_ups = job::follow_ups(contract, &events, today, ctx.policy);
            events.extend(follow_ups);
            Ok(events)
        }
        Command::Cancel => {
            ctx.require(command, &[managers])?;
            let allowed = contract.status == Status::Active
                || (ctx.policy.cancel_drafts && contract.status == Status::Draft);
            if !allowed {
                return Err(wrong(if ctx.policy.cancel_drafts {
                    "on a draft or active contract"
                } else {
                    "on an active contract"
                }));
            }
            Ok(vec![Event::Canceled { on: today, by }])
        }
        Command::Cover { asset } => {
            ctx.require(command, &[managers])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            check::asset(asset)?;
            if contract.covers_asset(&asset.id) {
                return Err(Error::AlreadyCovered {
                    asset: asset.id.clone(),
                });
            }
            check::too_many("covered assets", contract.assets.len() + 1, MAX_COVERED)?;
            Ok(vec![Event::Covered {
                asset: asset.clone(),
                on: today,
                by,
            }])
        }
        Command::Uncover { asset } => {
            ctx.require(command, &[managers])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            if !contract.covers_asset(asset) {
                return Err(Error::NotCovered {
                    asset: asset.clone(),
                });
            }
            Ok(vec![Event::Uncovered {
                asset: asset.clone(),
                on: today,
                by,
            }])
        }
        Command::AddUser { user } => {
            ctx.require(command, &[managers])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            if contract.covers_user(*user) {
                return Err(Error::UserAlreadyCovered { user: *user });
            }
            check::too_many("covered users", contract.users.len() + 1, MAX_COVERED)?;
            Ok(vec![Event::UserAdded {
                user: *user,
                on: today,
                by,
            }])
        }
        Command::RemoveUser { user } => {
            ctx.require(command, &[managers])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            if !contract.covers_user(*user) {
                return Err(Error::UserNotCovered { user: *user });
            }
            Ok(vec![Event::UserRemoved {
                user: *user,
                on: today,
                by,
            }])
        }
        Command::AddRateCard { card } => {
            ctx.require(command, &[managers, &ctx.policy.finance])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            check::card(
                card,
                &check::Bounds {
                    start: contract.start,
                    end: contract.end,
                    asset: &|id| contract.covers_asset(id),
                    user: &|user| contract.covers_user(user),
                },
            )?;
            if contract.rate_card(&card.name).is_some() {
                return Err(Error::DuplicateCard {
                    card: card.name.clone(),
                });
            }
            check::too_many("rate cards", contract.rate_cards.len() + 1, MAX_RATE_CARDS)?;
            Ok(vec![Event::RateCardAdded {
                card: card.clone(),
                on: today,
                by,
            }])
        }
        Command::DeactivateRateCard { card } => {
            ctx.require(command, &[managers, &ctx.policy.finance])?;
            open(contract).ok_or_else(|| wrong("on a draft, active or expired contract"))?;
            let position = contract
                .rate_cards
                .iter()
                .position(|c| &c.spec.name == card)
                .ok_or_else(|| Error::UnknownCard { card: card.clone() })?;
            if !contract.rate_cards.get(position).is_some_and(|c| c.active) {
                return Err(Error::CardInactive { card: card.clone() });
            }
            Ok(vec![Event::RateCardDeactivated {
                card: u32::try_from(position).unwrap_or(u32::MAX),
                on: today,
                by,
            }])
        }
    }
}

/// A draft, active or expired contract (not canceled).
fn open(contract: &Contract) -> Option<()> {
    (contract.status != Status::Canceled).then_some(())
}

/// What is under review and who approves it.
fn under_review(contract: &Contract) -> Option<(Review, UserId)> {
    if contract.status == Status::Draft && contract.substate == Substate::UnderReview {
        return Some((Review::Contract, contract.approver?));
    }
    match &contract.request {
        Some(r) if r.stage == Stage::UnderReview => Some((r.review, r.approver)),
        _ => None,
    }
}

fn submit(
    contract: &Contract,
    approver: Option<UserId>,
    today: NaiveDate,
    by: UserId,
) -> Option<Result<Vec<Event>, Error>> {
    if contract.status == Status::Draft
        && matches!(
            contract.substate,
            Substate::AwaitingReview | Substate::Rejected
        )
    {
        let Some(approver) = approver.or(contract.approver) else {
            return Some(Err(Error::NoApprover));
        };
        if let Some(end) = contract.end {
            if end < today {
                return Some(Err(Error::EndPassed { end, today }));
            }
        }
        return Some(Ok(vec![Event::Submitted {
            review: Review::Contract,
            approver,
            on: today,
            by,
        }]));
    }
    match &contract.request {
        Some(r) if r.stage == Stage::Saved => Some(Ok(vec![Event::Submitted {
            review: r.review,
            approver: approver.unwrap_or(r.approver),
            on: today,
            by,
        }])),
        _ => None,
    }
}

fn in_flight(contract: &Contract) -> Result<(), Error> {
    match &contract.request {
        Some(r) if r.stage != Stage::Saved => Err(Error::RequestInFlight {
            review: r.review,
            stage: r.stage,
        }),
        _ => Ok(()),
    }
}

/// The renewal's request, or why not.
fn renewal_request(contract: &Contract, renewal: &Renewal) -> Result<Request, Error> {
    in_flight(contract)?;
    if renewal.percent.is_some() && renewal.amount.is_some() {
        return Err(Error::BothAdjustments);
    }
    if let Some(percent) = renewal.percent {
        if !(PERCENT.0..=PERCENT.1).contains(&percent) {
            return Err(Error::PercentOutOfRange {
                percent,
                min: PERCENT.0,
                max: PERCENT.1,
            });
        }
    }
    if let Some(amount) = renewal.amount {
        check::amount(|| "renewal's cost adjustment amount".to_owned(), amount)?;
    }
    check::dates(
        || "renewal".to_owned(),
        Some(renewal.start),
        Some(renewal.end),
    )?;
    // A contract without a start date took effect on its approval, after its creation.
    let contract_start = contract.start.unwrap_or(contract.created);
    {
        if renewal.start <= contract_start {
            return Err(Error::RenewalNotAfterStart {
                start: renewal.start,
                contract_start,
            });
        }
    }
    let approver = renewal
        .approver
        .or(contract.approver)
        .ok_or(Error::NoApprover)?;
    Ok(Request {
        review: Review::Renewal,
        approver,
        start: Some(renewal.start),
        end: renewal.end,
        percent: renewal.percent,
        amount: renewal.amount,
        stage: Stage::Saved,
    })
}

fn requested(request: Request, submit: bool, today: NaiveDate, by: UserId) -> Vec<Event> {
    let (review, approver) = (request.review, request.approver);
    let mut events = vec![Event::Requested {
        request,
        on: today,
        by,
    }];
    if submit {
        events.push(Event::Submitted {
            review,
            approver,
            on: today,
            by,
        });
    }
    events
}

/// The checks of an edit or adjustment: something changes, the payment amount is the
/// contract's own, the dates stay in order and around the rate cards.
fn edit_checks(contract: &Contract, edit: &Edit) -> Result<(), Error> {
    let command = if contract.status == Status::Draft {
        "edit"
    } else {
        "adjust"
    };
    if edit == &Edit::default() {
        return Err(Error::NothingToChange { command });
    }
    if let Some(amount) = edit.payment_amount {
        if !contract.rate_cards.is_empty() {
            return Err(Error::PaymentSetByRateCards);
        }
        check::amount(|| "payment amount".to_owned(), amount)?;
    }
    let start = edit.start.or(contract.start);
    let end = edit.end.or(contract.end);
    check::dates(|| "contract".to_owned(), start, end)?;
    // A renewal under way still starts after the contract.
    if let (Some(new_start), Some(request)) = (edit.start, &contract.request) {
        if let Some(renewal_start) = request.start {
            if renewal_start <= new_start {
                return Err(Error::RenewalNotAfterStart {
                    start: renewal_start,
                    contract_start: new_start,
                });
            }
        }
    }
    // An extension under way still moves the end later.
    if let (Some(new_end), Some(request)) = (edit.end, &contract.request) {
        if request.review == Review::Extension && new_end >= request.end {
            return Err(Error::ExtensionUnderWay {
                extension: request.end,
                end: new_end,
            });
        }
    }
    // A draft's rate cards stay within its dates. An active contract's adjusted term bounds
    // its cards' charges instead (dates outside it pass; the earlier end wins).
    if contract.status != Status::Draft || (edit.start.is_none() && edit.end.is_none()) {
        return Ok(());
    }
    for card in &contract.rate_cards {
        check::within(&card.spec, start, end)?;
    }
    Ok(())
}

/// Folds one event into the state. Never fails: events are facts `decide` produced; an
/// event naming a rate card or asset the record does not have changes nothing of it.
pub fn evolve(mut state: State, event: &Event) -> State {
    apply(&mut state, event);
    state
}

pub(crate) fn apply(state: &mut State, event: &Event) {
    let on = event.on();
    state.last = Some(state.last.map_or(on, |last| last.max(on)));
    if let Event::Created { id, spec, on, .. } = event {
        // The spec's assets and users are covered for the whole term, from its start when
        // the contract is created after it.
        let from = spec.start.map_or(*on, |start| start.min(*on));
        state.contract = Some(Contract {
            id: *id,
            number: spec.number.clone(),
            name: spec.name.clone(),
            model: spec.model,
            vendor: spec.vendor.clone(),
            start: spec.start,
            end: spec.end,
            administrator: spec.administrator,
            approver: spec.approver,
            payment_amount: spec.payment_amount,
            payment_schedule: spec.payment_schedule,
            sales_tax: spec.sales_tax,
            discount: spec.discount,
            status: Status::Draft,
            substate: Substate::AwaitingReview,
            request: None,
            assets: spec
                .assets
                .iter()
                .map(|a| Coverage {
                    item: a.clone(),
                    added: from,
                    removed: None,
                })
                .collect(),
            users: spec
                .users
                .iter()
                .map(|&u| Coverage {
                    item: u,
                    added: from,
                    removed: None,
                })
                .collect(),
            rate_cards: spec
                .rate_cards
                .iter()
                .map(|c| RateCard {
                    spec: c.clone(),
                    active: true,
                    processed: 0,
                    last_processed: None,
                })
                .collect(),
            history: Vec::new(),
            reminded: None,
            lifetime_cost: 0,
            lines: 0,
            created: *on,
            lookup: crate::model::Lookup::default(),
        });
        return;
    }
    if let Some(contract) = state.contract.as_mut() {
        apply_contract(contract, event);
    }
}

/// Folds an event into a contract (what `apply` does once the contract exists).
pub(crate) fn apply_contract(c: &mut Contract, event: &Event) {
    match event {
        Event::Created { .. } => {}
        Event::Edited { edit, .. } => {
            if edit.start.is_some() {
                c.start = edit.start;
            }
            if edit.end.is_some() && edit.end != c.end {
                c.end = edit.end;
                c.reminded = None;
            }
            if let Some(amount) = edit.payment_amount {
                c.payment_amount = amount;
            }
            if edit.approver.is_some() {
                c.approver = edit.approver;
            }
            if edit.administrator.is_some() {
                c.administrator = edit.administrator;
            }
        }
        Event::Requested { request, .. } => {
            c.request = Some(request.clone());
            c.substate = Substate::AwaitingReview;
        }
        Event::Submitted {
            review, approver, ..
        } => {
            c.substate = Substate::UnderReview;
            match review {
                Review::Contract => c.approver = Some(*approver),
                _ => {
                    if let Some(r) = c.request.as_mut() {
                        r.approver = *approver;
                        r.stage = Stage::UnderReview;
                    }
                }
            }
        }
        Event::Approved { review, .. } => match review {
            Review::Contract => c.substate = Substate::Approved,
            Review::Renewal => {
                c.substate = Substate::RenewalApproved;
                if let Some(r) = c.request.as_mut() {
                    r.stage = Stage::Approved;
                }
            }
            Review::Extension => c.substate = Substate::ExtensionApproved,
        },
        Event::Rejected { review, .. } => match review {
            Review::Contract => c.substate = Substate::Rejected,
            Review::Renewal => {
                c.substate = Substate::RenewalRejected;
                c.request = None;
            }
            Review::Extension => {
                c.substate = Substate::ExtensionRejected;
                c.request = None;
            }
        },
        Event::Activated { .. } => {
            c.status = Status::Active;
            if c.substate == Substate::Approved {
                c.substate = Substate::None;
            }
        }
        Event::Renewed {
            start,
            end,
            payment_amount,
            base_costs,
            on,
        } => {
            c.history.push(History {
                change: DateChange::Renewed,
                on: *on,
                start_before: c.start,
                end_before: c.end,
                start_after: Some(*start),
                end_after: Some(*end),
            });
            if c.end != Some(*end) {
                c.reminded = None;
            }
            c.start = Some(*start);
            c.end = Some(*end);
            c.payment_amount = *payment_amount;
            for (card, &cost) in c.rate_cards.iter_mut().zip(base_costs) {
                card.spec.base_cost = cost;
            }
            c.request = None;
            c.substate = Substate::None;
        }
        Event::Extended { end, on } => {
            c.history.push(History {
                change: DateChange::Extended,
                on: *on,
                start_before: c.start,
                end_before: c.end,
                start_after: c.start,
                end_after: Some(*end),
            });
            if c.end != Some(*end) {
                c.reminded = None;
            }
            c.end = Some(*end);
            c.request = None;
        }
        Event::Adjusted {
            start,
            end,
            payment_amount,
            on,
            ..
        } => {
            if (*start, *end) != (c.start, c.end) {
                c.history.push(History {
                    change: DateChange::Adjusted,
                    on: *on,
                    start_before: c.start,
                    end_before: c.end,
                    start_after: *start,
                    end_after: *end,
                });
            }
            if *end != c.end {
                c.reminded = None;
            }
            c.start = *start;
            c.end = *end;
            c.payment_amount = *payment_amount;
        }
        Event::Expired { .. } => {
            c.status = Status::Expired;
            // A renewal or extension under way keeps its substate; none else stays.
            if c.request.is_none() {
                c.substate = Substate::None;
            }
        }
        Event::Canceled { .. } => {
            c.status = Status::Canceled;
            c.substate = Substate::None;
            c.request = None;
            for card in &mut c.rate_cards {
                card.active = false;
            }
        }
        Event::Reminded { days, .. } => c.reminded = Some(*days),
        Event::Charged {
            card, date, lines, ..
        } => {
            if let Some(card) = usize::try_from(*card)
                .ok()
                .and_then(|i| c.rate_cards.get_mut(i))
            {
                card.processed = card.processed.saturating_add(1);
                card.last_processed = Some(*date);
            }
            let sum: i128 = lines.iter().map(|l| i128::from(l.amount)).sum();
            c.lifetime_cost = crate::money::saturate(i128::from(c.lifetime_cost) + sum);
            c.lines = c.lines.saturating_add(lines.len() as u64);
        }
        Event::Passed { card, .. } => {
            if let Some(card) = usize::try_from(*card)
                .ok()
                .and_then(|i| c.rate_cards.get_mut(i))
            {
                card.processed = card.processed.saturating_add(1);
            }
        }
        Event::Covered { asset, on, .. } => {
            let position = c.assets.len();
            c.assets.push(Coverage {
                item: asset.clone(),
                added: *on,
                removed: None,
            });
            if let Some(p) = c.lookup.built() {
                p.assets.insert(asset.id.clone(), position);
            }
        }
        Event::Uncovered { asset, on, .. } => {
            if let Some(entry) = c.asset_position(asset).and_then(|i| c.assets.get_mut(i)) {
                entry.removed = Some(*on);
            }
            if let Some(p) = c.lookup.built() {
                p.assets.remove(asset);
            }
        }
        Event::UserAdded { user, on, .. } => {
            let position = c.users.len();
            c.users.push(Coverage {
                item: *user,
                added: *on,
                removed: None,
            });
            if let Some(p) = c.lookup.built() {
                p.users.insert(*user, position);
            }
        }
        Event::UserRemoved { user, on, .. } => {
            if let Some(entry) = c.user_position(*user).and_then(|i| c.users.get_mut(i)) {
                entry.removed = Some(*on);
            }
            if let Some(p) = c.lookup.built() {
                p.users.remove(user);
            }
        }
        Event::RateCardAdded { card, .. } => c.rate_cards.push(RateCard {
            spec: (**card).clone(),
            active: true,
            processed: 0,
            last_processed: None,
        }),
        Event::RateCardDeactivated { card, .. } => {
            if let Some(card) = usize::try_from(*card)
                .ok()
                .and_then(|i| c.rate_cards.get_mut(i))
            {
                card.active = false;
            }
        }
    }
}
