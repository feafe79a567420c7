//! The daily compliance job (activation, renewal, reminders, expiry, charges), what follows
//! a command at once, and when the job is next due.

use std::collections::HashMap;

use chrono::NaiveDate;
use itsm_core::UserId;

use crate::event::{Event, Line};
use crate::machine::apply_contract;
use crate::model::{Contract, Coverage, RateCard, Review, Stage, State, Status, reached};
use crate::money;
use crate::policy::{Expiry, Policy};
use crate::spec::{CoveredAsset, Distribute, RateCardSpec};

/// A copy of the contract's terms without its coverage and history: the job folds its own
/// events into it as it goes, and reads coverage from the contract itself (which the job
/// never changes).
fn terms(c: &Contract) -> Contract {
    Contract {
        id: c.id,
        number: String::new(),
        name: String::new(),
        model: c.model,
        vendor: None,
        start: c.start,
        end: c.end,
        administrator: c.administrator,
        approver: c.approver,
        payment_amount: c.payment_amount,
        payment_schedule: c.payment_schedule,
        sales_tax: c.sales_tax,
        discount: c.discount,
        status: c.status,
        substate: c.substate,
        request: c.request.clone(),
        assets: Vec::new(),
        users: Vec::new(),
        rate_cards: c
            .rate_cards
            .iter()
            .map(|card| {
                let s = &card.spec;
                RateCard {
                    // Field by field: the lists (possibly millions of ids) are left out.
                    spec: RateCardSpec {
                        name: String::new(),
                        start: s.start,
                        end: s.end,
                        interval: s.interval,
                        base_cost: s.base_cost,
                        sales_tax: s.sales_tax,
                        distribute: s.distribute,
                        assets: Vec::new(),
                        users: Vec::new(),
                        summary: s.summary,
                    },
                    active: card.active,
                    processed: card.processed,
                    last_processed: card.last_processed,
                }
            })
            .collect(),
        history: Vec::new(),
        reminded: c.reminded,
        lifetime_cost: c.lifetime_cost,
        lines: c.lines,
        created: c.created,
        lookup: crate::model::Lookup::default(),
    }
}

/// Whether a contract ending on `end` is expired on `today`.
fn expired_by(end: NaiveDate, today: NaiveDate, expiry: Expiry) -> bool {
    match expiry {
        Expiry::OnEndDate => today >= end,
        Expiry::AfterEndDate => today > end,
    }
}

/// The day an active contract ending on `end` expires (none past chrono's last date).
fn expiry_day(end: NaiveDate, expiry: Expiry) -> Option<NaiveDate> {
    match expiry {
        Expiry::OnEndDate => Some(end),
        Expiry::AfterEndDate => end.succ_opt(),
    }
}

/// The last day a card charges: its own end or the contract's, whichever is first.
fn card_end(card: &RateCardSpec, contract_end: Option<NaiveDate>) -> Option<NaiveDate> {
    match (card.end, contract_end) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Where each covered asset and user is in the contract's coverage, built once per run
/// when a card splits over them.
#[derive(Default)]
struct Index<'a> {
    assets: HashMap<&'a str, Vec<&'a Coverage<CoveredAsset>>>,
    users: HashMap<UserId, Vec<&'a Coverage<UserId>>>,
}

impl<'a> Index<'a> {
    fn new(contract: &'a Contract) -> Self {
        let mut index = Index::default();
        for entry in &contract.assets {
            index
                .assets
                .entry(entry.item.id.as_str())
                .or_default()
                .push(entry);
        }
        for entry in &contract.users {
            index.users.entry(entry.item).or_default().push(entry);
        }
        index
    }

    fn asset(&self, id: &str, day: NaiveDate) -> Option<&'a CoveredAsset> {
        self.assets
            .get(id)?
            .iter()
            .find(|e| e.covers(day))
            .map(|e| &e.item)
    }

    fn user(&self, user: UserId, day: NaiveDate) -> bool {
        self.users
            .get(&user)
            .is_some_and(|entries| entries.iter().any(|e| e.covers(day)))
    }
}

/// The expense lines of one charge of `card` on `day` (`total`: its charge with tax at
/// the time): they add up to `total`. A card split over assets or users none of which is
/// covered that day charges the contract.
fn lines(card: &RateCardSpec, total: i64, day: NaiveDate, index: Option<&Index<'_>>) -> Vec<Line> {
    let on_contract = || {
        vec![Line {
            asset: None,
            user: None,
            amount: total,
        }]
    };
    let Some(index) = index else {
        return on_contract();
    };
    match card.distribute {
        Distribute::Contract => on_contract(),
        Distribute::PerUser => {
            let users: Vec<UserId> = card
                .users
                .iter()
                .copied()
                .filter(|&u| index.user(u, day))
                .collect();
            if users.is_empty() {
                return on_contract();
            }
            let amounts = money::split_even(total, users.len());
            users
                .into_iter()
                .zip(amounts)
                .map(|(user, amount)| Line {
                    asset: None,
                    user: Some(user),
                    amount,
                })
                .collect()
        }
        _ => {
            let assets: Vec<&CoveredAsset> = card
                .assets
                .iter()
                .filter_map(|id| index.asset(id, day))
                .collect();
            if assets.is_empty() {
                return on_contract();
            }
            let amounts = match card.distribute {
                Distribute::AssetCost => {
                    money::split_by(total, &assets.iter().map(|a| a.cost).collect::<Vec<_>>())
                }
                Distribute::AssetResidual => money::split_by(
                    total,
                    &assets.iter().map(|a| a.residual).collect::<Vec<_>>(),
                ),
                _ => money::split_even(total, assets.len()),
            };
            assets
                .into_iter()
                .zip(amounts)
                .map(|(asset, amount)| Line {
                    asset: Some(asset.id.clone()),
                    user: None,
                    amount,
                })
                .collect()
        }
    }
}

/// A run of the job over a contract's terms: the events so far, folded as they come.
struct Run<'a> {
    contract: &'a Contract,
    terms: Contract,
    events: Vec<Event>,
    today: NaiveDate,
    policy: &'a Policy,
    budget: u64,
    index: Option<Index<'a>>,
}

impl<'a> Run<'a> {
    fn new(contract: &'a Contract, today: NaiveDate, policy: &'a Policy) -> Self {
        Run {
            contract,
            terms: terms(contract),
            events: Vec::new(),
            today,
            policy,
            budget: u64::from(policy.max_lines_per_tick),
            index: None,
        }
    }

    fn push(&mut self, event: Event) {
        apply_contract(&mut self.terms, &event);
        self.events.push(event);
    }

    /// An approved draft on its start date (or with none) takes effect.
    fn activate(&mut self) {
        let t = &self.terms;
        if t.status == Status::Draft
            && t.substate == crate::model::Substate::Approved
            && t.start.is_none_or(|s| s <= self.today)
        {
            self.push(Event::Activated { on: self.today });
        }
    }

    /// An expired contract whose end moved past today is in effect again.
    fn reactivate(&mut self) {
        let t = &self.terms;
        if t.status == Status::Expired
            && t.end
                .is_none_or(|end| !expired_by(end, self.today, self.policy.expiry))
        {
            self.push(Event::Activated { on: self.today });
        }
    }

    /// An approved renewal on its start date renews the contract, after the charges
    /// before that date (at the old prices). Returns false when charges are left for the
    /// next run (the renewal waits for them), or when `charge` is false and some are due.
    fn renew(&mut self, charge: bool) -> bool {
        let Some(request) = self.terms.request.as_ref() else {
            return true;
        };
        let (Some(start), true, true) = (
            request.start,
            request.review == Review::Renewal,
            request.stage == Stage::Approved,
        ) else {
            return true;
        };
        if !matches!(self.terms.status, Status::Active | Status::Expired) || start > self.today {
            return true;
        }
        let (end, percent, amount) = (request.end, request.percent, request.amount);
        if let Some(before) = start.pred_opt() {
            if charge {
                if !self.charge(before) {
                    return false;
                }
            } else if self.charges_due(before) {
                return false;
            }
        }
        // Expired on a day before the renewal took over (as a daily job would have seen).
        if self.terms.status == Status::Active
            && self
                .terms
                .end
                .and_then(|end| expiry_day(end, self.policy.expiry))
                .is_some_and(|day| day < start)
        {
            self.push(Event::Expired { on: self.today });
        }
        let adjust = |value: i64| match percent {
            Some(p) => money::adjust_percent(value, p),
            None => value,
        };
        let active: Vec<usize> = (0..self.terms.rate_cards.len())
            .filter(|&i| self.terms.rate_cards.get(i).is_some_and(|c| c.active))
            .collect();
        let mut base_costs: Vec<i64> = self
            .terms
            .rate_cards
            .iter()
            .map(|c| {
                if c.active {
                    adjust(c.spec.base_cost)
                } else {
                    c.spec.base_cost
                }
            })
            .collect();
        let mut payment_amount = adjust(self.terms.payment_amount);
        if let Some(amount) = amount {
            if active.is_empty() {
                payment_amount = money::clamp(i128::from(payment_amount) + i128::from(amount));
            } else {
                for (&i, share) in active.iter().zip(money::split_even(amount, active.len())) {
                    if let Some(cost) = base_costs.get_mut(i) {
                        *cost = money::clamp(i128::from(*cost) + i128::from(share));
                    }
                }
            }
        }
        self.push(Event::Renewed {
            start,
            end,
            payment_amount,
            base_costs,
            on: self.today,
        });
        // The renewed term has started: in effect again (the expiry rule then runs on it,
        // as it would have on a daily job).
        if self.terms.status == Status::Expired {
            self.push(Event::Activated { on: self.today });
        }
        true
    }

    /// The administrator reminded of the end date: the latest reminder due, once.
    fn remind(&mut self) {
        let t = &self.terms;
        let Some(end) = t.end else { return };
        if t.status != Status::Active || self.today > end {
            return;
        }
        let due = self
            .policy
            .reminders
            .iter()
            .copied()
            .filter(|&days| reached(end, days, self.today))
            .min();
        if let Some(days) = due {
            if t.reminded.is_none_or(|sent| days < sent) {
                let to = t.administrator;
                self.push(Event::Reminded {
                    days,
                    end,
                    to,
                    on: self.today,
                });
            }
        }
    }

    /// An active contract past its end date expires.
    fn expire(&mut self) {
        let t = &self.terms;
        if t.status == Status::Active
            && t.end
                .is_some_and(|end| expired_by(end, self.today, self.policy.expiry))
        {
            self.push(Event::Expired { on: self.today });
        }
    }

    /// Whether any charge date up to `up_to` is waiting.
    fn charges_due(&self, up_to: NaiveDate) -> bool {
        matches!(self.terms.status, Status::Active | Status::Expired)
            && self.terms.rate_cards.iter().any(|card| {
                card.active
                    && card.next_process().is_some_and(|next| {
                        next <= up_to
                            && card_end(&card.spec, self.terms.end).is_none_or(|e| next <= e)
                    })
            })
    }

    /// Every charge date up to `up_to` of the active cards of an active or expired
    /// contract, within the budget. Returns whether all were charged.
    fn charge(&mut self, up_to: NaiveDate) -> bool {
        if !matches!(self.terms.status, Status::Active | Status::Expired) {
            return true;
        }
        for i in 0..self.terms.rate_cards.len() {
            while let Some(card) = self.terms.rate_cards.get(i) {
                if !card.active {
                    break;
                }
                let Some(date) = card.next_process() else {
                    break;
                };
                if date > up_to || card_end(&card.spec, self.terms.end).is_some_and(|e| date > e) {
                    break;
                }
                if self.budget == 0 {
                    return false;
                }
                let position = u32::try_from(i).unwrap_or(u32::MAX);
                if self.terms.start.is_some_and(|s| date < s) {
                    self.budget -= 1;
                    self.push(Event::Passed {
                        card: position,
                        date,
                        on: self.today,
                    });
                    continue;
                }
                let total = card.spec.total_cost();
                // The card's lists are the contract's (the terms' copy leaves them out).
                let Some(spec) = self.contract.rate_cards.get(i).map(|c| &c.spec) else {
                    break;
                };
                let index = if spec.distribute == Distribute::Contract {
                    None
                } else {
                    Some(&*self.index.get_or_insert_with(|| Index::new(self.contract)))
                };
                let lines = lines(spec, total, date, index);
                self.budget = self.budget.saturating_sub((lines.len() as u64).max(1));
                self.push(Event::Charged {
                    card: position,
                    date,
                    lines,
                    on: self.today,
                });
            }
        }
        true
    }
}

/// The daily job's events on `today`.
pub(crate) fn tick(contract: &Contract, today: NaiveDate, policy: &Policy) -> Vec<Event> {
    let mut run = Run::new(contract, today, policy);
    run.activate();
    if !run.renew(true) {
        return run.events;
    }
    run.reactivate();
    run.remind();
    run.expire();
    run.charge(today);
    run.events
}

/// What follows a command's `events` at once (the condition checks ServiceNow runs when a
/// contract is approved, an extension or renewal approved, or the dates change):
/// activation, a renewal due (unless charges before it are waiting for the job), a
/// reactivation, expiry. Reminders and charges wait for the job.
pub(crate) fn follow_ups(
    contract: &Contract,
    events: &[Event],
    today: NaiveDate,
    policy: &Policy,
) -> Vec<Event> {
    let mut run = Run::new(contract, today, policy);
    for event in events {
        apply_contract(&mut run.terms, event);
    }
    run.activate();
    run.renew(false);
    run.reactivate();
    run.expire();
    run.events
}

/// The day the job next has something to do for this contract ([`Command::Tick`] then):
/// activation on the start date, a renewal on its start date, a reminder, expiry, a charge.
/// A day on or before today means at once; none: nothing is ever due (a canceled contract,
/// a draft not approved, an open-ended contract without rate cards).
///
/// [`Command::Tick`]: crate::Command::Tick
pub fn next_deadline(state: &State, policy: &Policy) -> Option<NaiveDate> {
    let c = state.contract.as_ref()?;
    let mut due: Option<NaiveDate> = None;
    let mut consider = |day: Option<NaiveDate>| {
        if let Some(day) = day {
            due = Some(due.map_or(day, |d| d.min(day)));
        }
    };
    match c.status {
        Status::Draft if c.substate == crate::model::Substate::Approved => {
            consider(Some(c.start.unwrap_or(c.created)));
        }
        Status::Active | Status::Expired => {
            if let Some(r) = &c.request {
                if r.review == Review::Renewal && r.stage == Stage::Approved {
                    consider(r.start);
                }
            }
            if let Some(end) = c.end {
                if c.status == Status::Active {
                    consider(expiry_day(end, policy.expiry));
                    for &days in &policy.reminders {
                        if c.reminded.is_none_or(|sent| days < sent) {
                            consider(Some(
                                end.checked_sub_days(chrono::Days::new(u64::from(days)))
                                    .unwrap_or(NaiveDate::MIN),
                            ));
                        }
                    }
                }
            }
            for card in c.rate_cards.iter().filter(|card| card.active) {
                if let Some(next) = card.next_process() {
                    if card_end(&card.spec, c.end).is_none_or(|e| next <= e) {
                        consider(Some(next));
                    }
                }
            }
        }
        _ => {}
    }
    due
}
