//! The `contract` harness's model of `decide` for every command but the daily job: the
//! events a command makes, or the error variants a refusal may carry. From the rules of
//! docs/contract.md and the crate's doc comments (see `contract_model.rs` for the readings
//! where the page is silent).

use super::defects::*;
use super::model::*;
use super::*;

/// What the model expects of `cmd` by `actor` on `today`.
pub fn decide(s: &Sim, cmd: &Command, actor: &Actor, today: D, p: &Policy) -> Want {
    let mut e = Set::new();
    policy_errors(p, &mut e);
    if s.last.is_some_and(|last| today < last) {
        e.insert("ClockWentBackwards");
    }
    let Some(m) = s.c.as_ref() else {
        if let Command::Create { id, spec } = cmd {
            if !manager(actor, p) {
                e.insert("Forbidden");
            }
            spec_errors(spec, &mut e);
            return done(e, vec![Ev::Created(*id, spec.clone())]);
        }
        e.insert("NotCreated");
        return Want::Err(e);
    };
    let by_manager = |e: &mut Set| {
        if !manager(actor, p) {
            e.insert("Forbidden");
        }
    };
    let canceled = m.status == Status::Canceled;
    match cmd {
        Command::Create { .. } => {
            e.insert("AlreadyCreated");
            Want::Err(e)
        }
        Command::Tick => {
            if e.is_empty() {
                Want::Tick
            } else {
                Want::Err(e)
            }
        }
        Command::Edit { edit } => {
            by_manager(&mut e);
            let editable = m.status == Status::Draft
                && matches!(m.sub, Substate::AwaitingReview | Substate::Rejected);
            if !editable {
                e.insert("WrongState");
            }
            change_errors(m, edit.start, edit.end, edit.payment_amount, edit, &mut e);
            done(e, vec![Ev::Edited(edit.clone())])
        }
        Command::Submit { approver } => {
            by_manager(&mut e);
            if m.status == Status::Draft
                && matches!(m.sub, Substate::AwaitingReview | Substate::Rejected)
            {
                let who = approver.or(m.approver);
                if who.is_none() {
                    e.insert("NoApprover");
                }
                if m.end.is_some_and(|end| end < today) {
                    e.insert("EndPassed");
                }
                let who = who.unwrap_or(actor.user);
                return done(e, vec![Ev::Submitted(Review::Contract, who)]);
            }
            match &m.req {
                Some(r) if r.stage == Stage::Saved => done(
                    e,
                    vec![Ev::Submitted(r.review, approver.unwrap_or(r.approver))],
                ),
                _ => {
                    e.insert("WrongState");
                    Want::Err(e)
                }
            }
        }
        Command::Approve | Command::Reject { .. } => approve(m, cmd, actor, today, p, e),
        Command::Renew { renewal: r } => {
            by_manager(&mut e);
            if !matches!(m.status, Status::Active | Status::Expired) {
                e.insert("WrongState");
            }
            in_flight(m, &mut e);
            if r.percent.is_some() && r.amount.is_some() {
                e.insert("BothAdjustments");
            }
            if r.percent.is_some_and(|x| !(-10_000..=100_000).contains(&x)) {
                e.insert("PercentOutOfRange");
            }
            if r.amount
                .is_some_and(|a| a.unsigned_abs() > MAX.unsigned_abs())
            {
                e.insert("AmountOutOfRange");
            }
            if r.end < r.start {
                e.insert("EndBeforeStart");
            }
            // After the contract's start (a contract without one: after its creation).
            if r.start <= m.start.unwrap_or(m.created) {
                e.insert("RenewalNotAfterStart");
            }
            let who = r.approver.or(m.approver);
            if who.is_none() {
                e.insert("NoApprover");
            }
            let who = who.unwrap_or(actor.user);
            let mut events = vec![Ev::Requested(
                Review::Renewal,
                who,
                Some(r.start),
                r.end,
                r.percent,
                r.amount,
            )];
            if r.submit {
                events.push(Ev::Submitted(Review::Renewal, who));
            }
            done(e, events)
        }
        Command::Extend {
            end,
            approver,
            submit,
        } => {
            by_manager(&mut e);
            if !matches!(m.status, Status::Active | Status::Expired) {
                e.insert("WrongState");
            }
            in_flight(m, &mut e);
            match m.end {
                None => {
                    e.insert("OpenEnded");
                }
                Some(current) if *end <= current => {
                    e.insert("NotLater");
                }
                _ => {}
            }
            let who = approver.or(m.approver);
            if who.is_none() {
                e.insert("NoApprover");
            }
            let who = who.unwrap_or(actor.user);
            let mut events = vec![Ev::Requested(
                Review::Extension,
                who,
                None,
                *end,
                None,
                None,
            )];
            if *submit {
                events.push(Ev::Submitted(Review::Extension, who));
            }
            done(e, events)
        }
        Command::Adjust {
            start,
            end,
            payment_amount,
        } => {
            by_manager(&mut e);
            if m.status != Status::Active {
                e.insert("WrongState");
            }
            let mut edit = Edit::default();
            edit.start = *start;
            edit.end = *end;
            edit.payment_amount = *payment_amount;
            change_errors(m, *start, *end, *payment_amount, &edit, &mut e);
            if !e.is_empty() {
                return Want::Err(e);
            }
            let adjusted = Ev::Adjusted(
                start.or(m.start),
                end.or(m.end),
                payment_amount.unwrap_or(m.payment),
            );
            // Adjustments run the condition checks whatever they change (the page).
            let mut after = m.clone();
            let mut events = Vec::new();
            push(&mut after, adjusted, today, &mut events);
            condition_checks(&mut after, today, p, &mut events);
            Want::Ok(events)
        }
        Command::Cancel => {
            by_manager(&mut e);
            let ok = m.status == Status::Active || p.cancel_drafts && m.status == Status::Draft;
            if !ok {
                e.insert("WrongState");
            }
            done(e, vec![Ev::Canceled])
        }
        Command::Cover { asset } => {
            by_manager(&mut e);
            if canceled {
                e.insert("WrongState");
            }
            asset_errors(asset, &mut e);
            if m.covered_assets().contains(&asset.id.as_str()) {
                e.insert("AlreadyCovered");
            }
            done(
                e,
                vec![Ev::Covered(asset.id.clone(), asset.cost, asset.residual)],
            )
        }
        Command::Uncover { asset } => {
            by_manager(&mut e);
            if canceled {
                e.insert("WrongState");
            }
            if !m.covered_assets().contains(&asset.as_str()) {
                e.insert("NotCovered");
            }
            done(e, vec![Ev::Uncovered(asset.clone())])
        }
        Command::AddUser { user } => {
            by_manager(&mut e);
            if canceled {
                e.insert("WrongState");
            }
            if m.covered_users().contains(user) {
                e.insert("UserAlreadyCovered");
            }
            done(e, vec![Ev::UserAdded(*user)])
        }
        Command::RemoveUser { user } => {
            by_manager(&mut e);
            if canceled {
                e.insert("WrongState");
            }
            if !m.covered_users().contains(user) {
                e.insert("UserNotCovered");
            }
            done(e, vec![Ev::UserRemoved(*user)])
        }
        Command::AddRateCard { card } => {
            if !finance(actor, p) {
                e.insert("Forbidden");
            }
            if canceled {
                e.insert("WrongState");
            }
            let assets = m.covered_assets();
            let users = m.covered_users();
            card_errors(card, m.start, m.end, &assets, &users, &mut e);
            if m.cards.iter().any(|c| c.spec.name == card.name) {
                e.insert("DuplicateCard");
            }
            if m.cards.len() >= MAX_RATE_CARDS {
                e.insert("TooMany");
            }
            done(e, vec![Ev::RateCardAdded(card.clone())])
        }
        Command::DeactivateRateCard { card } => {
            if !finance(actor, p) {
                e.insert("Forbidden");
            }
            if canceled {
                // The page: rate cards are refused on a canceled contract; its cards are
                // all inactive, so the crate's `CardInactive` (or `UnknownCard`) says so too.
                e.insert("WrongState");
            }
            let position = m.cards.iter().position(|c| &c.spec.name == card);
            match position.and_then(|i| m.cards.get(i)) {
                None => {
                    e.insert("UnknownCard");
                }
                Some(c) if !c.active => {
                    e.insert("CardInactive");
                }
                Some(_) => {}
            }
            let k = position.unwrap_or(0) as u32;
            done(e, vec![Ev::RateCardDeactivated(k)])
        }
        _ => Want::Err(Set::from(["an unknown command"])),
    }
}

fn done(e: Set, events: Vec<Ev>) -> Want {
    if e.is_empty() {
        Want::Ok(events)
    } else {
        Want::Err(e)
    }
}

/// A renewal or extension under review or approved blocks another (a saved one is
/// replaced).
fn in_flight(m: &M, e: &mut Set) {
    if m.req.as_ref().is_some_and(|r| r.stage != Stage::Saved) {
        e.insert("RequestInFlight");
    }
}

/// The checks of an edit or an adjustment: something given, the payment amount the
/// contract's own (not with rate cards), dates in order and around the rate cards.
fn change_errors(
    m: &M,
    start: Option<D>,
    end: Option<D>,
    payment: Option<i64>,
    edit: &Edit,
    e: &mut Set,
) {
    let nothing = edit.start.is_none()
        && edit.end.is_none()
        && edit.payment_amount.is_none()
        && edit.approver.is_none()
        && edit.administrator.is_none();
    if nothing {
        e.insert("NothingToChange");
    }
    if let Some(a) = payment {
        if !m.cards.is_empty() {
            e.insert("PaymentSetByRateCards");
        }
        if a.unsigned_abs() > MAX.unsigned_abs() {
            e.insert("AmountOutOfRange");
        }
    }
    // An adjustment cannot move the start to or past a renewal under way.
    let renewal = m.req.as_ref().and_then(|r| r.start);
    if let (Some(s), Some(r)) = (start, renewal) {
        if s >= r {
            e.insert("RenewalNotAfterStart");
        }
    }
    // Nor the end to or past an extension under way.
    if let (Some(x), Some(r)) = (end, m.req.as_ref()) {
        if r.review == Review::Extension && x >= r.end {
            e.insert("ExtensionUnderWay");
        }
    }
    let start = start.or(m.start);
    let end = end.or(m.end);
    if let (Some(s), Some(x)) = (start, end) {
        if x < s {
            e.insert("EndBeforeStart");
        }
    }
    // A draft's dates are edited only within its cards; an active contract's adjusted
    // dates bound its cards' charges instead.
    if m.status != Status::Draft {
        return;
    }
    for c in &m.cards {
        if start.is_some_and(|s| c.spec.start < s) {
            e.insert("CardBeforeContract");
        }
        if let (Some(ce), Some(x)) = (c.spec.end, end) {
            if ce > x {
                e.insert("CardAfterContract");
            }
        }
        if end.is_some_and(|x| c.spec.start > x) {
            e.insert("CardAfterContract");
        }
    }
}

/// `approve` and `reject`: what is under review, by whom.
fn approve(m: &M, cmd: &Command, actor: &Actor, today: D, p: &Policy, mut e: Set) -> Want {
    let under = if m.status == Status::Draft && m.sub == Substate::UnderReview {
        m.approver.map(|a| (Review::Contract, a))
    } else {
        m.req
            .as_ref()
            .filter(|r| r.stage == Stage::UnderReview)
            .map(|r| (r.review, r.approver))
    };
    let Some((review, approver)) = under else {
        e.insert("WrongState");
        if let Command::Reject { comments } = cmd {
            if blank(comments) {
                e.insert("EmptyComment");
            }
        }
        return Want::Err(e);
    };
    // Who decides: the approver named, and (approver_only off) any manager too.
    if actor.user != approver && (p.approver_only || !manager(actor, p)) {
        e.insert(if p.approver_only {
            "NotApprover"
        } else {
            "Forbidden"
        });
    }
    let events = if let Command::Reject { comments } = cmd {
        if blank(comments) {
            e.insert("EmptyComment");
        }
        vec![Ev::Rejected(review, comments.clone())]
    } else {
        let mut after = m.clone();
        let mut events = Vec::new();
        push(&mut after, Ev::Approved(review), today, &mut events);
        if review == Review::Extension {
            if let Some(r) = m.req.clone() {
                push(&mut after, Ev::Extended(r.end), today, &mut events);
                if reactivation_due(&after, today, p) {
                    push(&mut after, Ev::Activated, today, &mut events);
                }
            }
        }
        condition_checks(&mut after, today, p, &mut events);
        events
    };
    if !e.is_empty() {
        return Want::Err(e);
    }
    Want::Ok(events)
}
