//! The `contract` harness's own model of docs/contract.md and the crate's doc comments: a
//! contract as plain data, exact money, the events and how they fold, and the condition
//! checks (`decide` is in `contract_decide.rs`, the daily job in `contract_job.rs`, the
//! checks of data in `contract_defects.rs`). Written from the rules, not from the crate's
//! code.
//!
//! Where the page is silent, the model takes the reading below:
//!
//! - the condition checks (an approval, an extension or renewal approved, an adjustment)
//!   are the job's state changes without its reminders and charges: activation, a renewal
//!   due (unless charges before its start wait for the job; an expiry first when the old
//!   term ended before it, then the contract in effect again), expiry;
//! - an approved extension makes an expired contract active when the contract would not
//!   be expired on today under the policy (the page: "ends after today");
//! - an approved extension sets the end to the extension's, even when an adjustment moved
//!   the end past it while it was under review (noted `QUESTION:`); reminders start over
//!   only when the end moves, an extension's or a renewal's included;
//! - the job's steps in order: activation, a renewal due (after the charges before its
//!   start), the reminder, expiry, then the charges; once the tick's lines are spent, the
//!   rest waits, a renewal and what follows it included;
//! - a canceled contract's substate is none, its request dropped;
//! - a saved extension is replaced by a renewal and a saved renewal by an extension;
//! - blank (whitespace) numbers, vendors, ids, names and comments count as missing.
//!
//! Where the page leaves the error variant open and the crate picks another than the
//! model's first reading, a `QUESTION:` note records it (`contract.rs`).

use super::*;

pub type D = NaiveDate;
/// Error variants a refusal may carry (any of them where several rules are broken).
pub type Set = BTreeSet<&'static str>;

pub const MAX: i64 = MAX_AMOUNT;

#[derive(Clone, Debug, PartialEq)]
pub struct MAsset {
    pub id: String,
    pub cost: i64,
    pub residual: i64,
    pub added: D,
    pub removed: Option<D>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MUser {
    pub user: UserId,
    pub added: D,
    pub removed: Option<D>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MCard {
    pub spec: RateCardSpec,
    pub active: bool,
    /// Charge dates processed (charged or passed).
    pub done: u32,
    /// The last date charged.
    pub last: Option<D>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MReq {
    pub review: Review,
    pub approver: UserId,
    pub start: Option<D>,
    pub end: D,
    pub percent: Option<i32>,
    pub amount: Option<i64>,
    pub stage: Stage,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MHist {
    pub change: DateChange,
    pub on: D,
    pub before: (Option<D>, Option<D>),
    pub after: (Option<D>, Option<D>),
}

/// What the model keeps beside the record, never compared.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Extra {
    /// The lifetime cost (the sum of the lines) left `i64` at some point.
    pub lifetime_overflowed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct M {
    pub id: ContractId,
    pub number: String,
    pub name: String,
    pub model: Model,
    pub vendor: Option<String>,
    pub start: Option<D>,
    pub end: Option<D>,
    pub administrator: Option<UserId>,
    pub approver: Option<UserId>,
    pub payment: i64,
    pub schedule: Option<Interval>,
    pub tax: Option<Rate>,
    pub discount: Option<u8>,
    pub status: Status,
    pub sub: Substate,
    pub req: Option<MReq>,
    pub assets: Vec<MAsset>,
    pub users: Vec<MUser>,
    pub cards: Vec<MCard>,
    pub history: Vec<MHist>,
    pub reminded: Option<u32>,
    pub lifetime: i128,
    pub lines: u64,
    pub created: D,
    pub x: Extra,
}

/// The model's record and the last day an event was stamped with.
#[derive(Clone, Debug, Default)]
pub struct Sim {
    pub c: Option<M>,
    pub last: Option<D>,
}

/// A line: asset, user, amount.
pub type L = (Option<String>, Option<UserId>, i64);

/// An event as the model predicts it (its day and actor are checked apart).
#[derive(Clone, Debug, PartialEq)]
pub enum Ev {
    Created(ContractId, Box<ContractSpec>),
    Edited(Edit),
    /// The request as asked (its stage is the next `Submitted`'s business).
    Requested(Review, UserId, Option<D>, D, Option<i32>, Option<i64>),
    Submitted(Review, UserId),
    Approved(Review),
    Rejected(Review, String),
    Activated,
    Renewed(D, D, i64, Vec<i64>),
    Extended(D),
    Adjusted(Option<D>, Option<D>, i64),
    Expired,
    Canceled,
    Reminded(u32, D, Option<UserId>),
    Charged(u32, D, Vec<L>),
    Passed(u32, D),
    Covered(String, i64, i64),
    Uncovered(String),
    UserAdded(UserId),
    UserRemoved(UserId),
    RateCardAdded(Box<RateCardSpec>),
    RateCardDeactivated(u32),
}

/// The crate's event in the model's terms (none for a kind this harness does not know).
pub fn ev_of(e: &Event) -> Option<Ev> {
    Some(match e {
        Event::Created { id, spec, .. } => Ev::Created(*id, spec.clone()),
        Event::Edited { edit, .. } => Ev::Edited(edit.clone()),
        Event::Requested { request: r, .. } => {
            Ev::Requested(r.review, r.approver, r.start, r.end, r.percent, r.amount)
        }
        Event::Submitted {
            review, approver, ..
        } => Ev::Submitted(*review, *approver),
        Event::Approved { review, .. } => Ev::Approved(*review),
        Event::Rejected {
            review, comments, ..
        } => Ev::Rejected(*review, comments.clone()),
        Event::Activated { .. } => Ev::Activated,
        Event::Renewed {
            start,
            end,
            payment_amount,
            base_costs,
            ..
        } => Ev::Renewed(*start, *end, *payment_amount, base_costs.clone()),
        Event::Extended { end, .. } => Ev::Extended(*end),
        Event::Adjusted {
            start,
            end,
            payment_amount,
            ..
        } => Ev::Adjusted(*start, *end, *payment_amount),
        Event::Expired { .. } => Ev::Expired,
        Event::Canceled { .. } => Ev::Canceled,
        Event::Reminded { days, end, to, .. } => Ev::Reminded(*days, *end, *to),
        Event::Charged {
            card, date, lines, ..
        } => Ev::Charged(
            *card,
            *date,
            lines
                .iter()
                .map(|l| (l.asset.clone(), l.user, l.amount))
                .collect(),
        ),
        Event::Passed { card, date, .. } => Ev::Passed(*card, *date),
        Event::Covered { asset, .. } => Ev::Covered(asset.id.clone(), asset.cost, asset.residual),
        Event::Uncovered { asset, .. } => Ev::Uncovered(asset.clone()),
        Event::UserAdded { user, .. } => Ev::UserAdded(*user),
        Event::UserRemoved { user, .. } => Ev::UserRemoved(*user),
        Event::RateCardAdded { card, .. } => Ev::RateCardAdded(card.clone()),
        Event::RateCardDeactivated { card, .. } => Ev::RateCardDeactivated(*card),
        _ => return None,
    })
}

/// What the model expects of a command.
#[derive(Debug)]
pub enum Want {
    Ok(Vec<Ev>),
    Err(Set),
    /// The daily job: checked against the crate's events by `job::tick`.
    Tick,
}

// ---------------------------------------------------------------- money

/// `n / d` rounded half away from zero (`d > 0`).
pub fn half(n: i128, d: i128) -> i128 {
    let (q, r) = (n / d, n % d);
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

/// Within ±MAX_AMOUNT (a renewal's adjusted prices).
pub fn clamp(v: i128) -> i64 {
    v.clamp(-i128::from(MAX), i128::from(MAX)) as i64
}

/// Within `i64`, saturating (sums over rate cards, the lifetime cost).
pub fn saturate(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

pub fn tax(base: i64, rate: Option<Rate>) -> i128 {
    rate.map_or(0, |r| half(i128::from(base) * i128::from(r.0), 10_000))
}

/// A charge with its tax, exact.
pub fn with_tax(base: i64, rate: Option<Rate>) -> i128 {
    i128::from(base) + tax(base, rate)
}

/// `total` over `n` lines: each the floor of the share, the extra minor units to the first.
pub fn even(total: i128, n: usize) -> Vec<i128> {
    let k = n as i128;
    if k == 0 {
        return Vec::new();
    }
    let q = total.div_euclid(k);
    let r = total - q * k;
    (0..k).map(|i| q + i128::from(i < r)).collect()
}

/// `total` by `values`: each line rounded down, the rest one unit each to the largest
/// remainders, the first on a tie; evenly when every value is 0.
pub fn by_value(total: i128, values: &[i64]) -> Vec<i128> {
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    if sum == 0 {
        return even(total, values.len());
    }
    let mut lines: Vec<i128> = Vec::new();
    let mut rems: Vec<(i128, usize)> = Vec::new();
    for (i, &v) in values.iter().enumerate() {
        let p = total * i128::from(v);
        let q = p.div_euclid(sum);
        lines.push(q);
        rems.push((p - q * sum, i));
    }
    let mut left = total - lines.iter().sum::<i128>();
    // Largest remainder first; the first line on a tie.
    rems.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in rems {
        if left <= 0 {
            break;
        }
        if let Some(l) = lines.get_mut(i) {
            *l += 1;
        }
        left -= 1;
    }
    lines
}

/// A renewal's percentage applied: rounded half away from zero, within ±MAX_AMOUNT.
pub fn percent(v: i64, p: i32) -> i64 {
    clamp(i128::from(v) + half(i128::from(v) * i128::from(p), 10_000))
}

// ---------------------------------------------------------------- checks of data

pub fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

pub fn manager(a: &Actor, p: &Policy) -> bool {
    a.roles.iter().any(|r| p.managers.contains(r))
}

pub fn finance(a: &Actor, p: &Policy) -> bool {
    manager(a, p) || a.roles.iter().any(|r| p.finance.contains(r))
}

// ---------------------------------------------------------------- the record's rules

pub fn expired_by(end: D, today: D, p: &Policy) -> bool {
    if p.expiry == Expiry::AfterEndDate {
        today > end
    } else {
        today >= end
    }
}

impl M {
    pub fn from_spec(id: ContractId, s: &ContractSpec, on: D) -> M {
        // The spec's assets and users are covered from the contract's start, from its
        // creation when it starts later or has no start.
        let from = s.start.map_or(on, |start| start.min(on));
        M {
            id,
            number: s.number.clone(),
            name: s.name.clone(),
            model: s.model,
            vendor: s.vendor.clone(),
            start: s.start,
            end: s.end,
            administrator: s.administrator,
            approver: s.approver,
            payment: s.payment_amount,
            schedule: s.payment_schedule,
            tax: s.sales_tax,
            discount: s.discount,
            status: Status::Draft,
            sub: Substate::AwaitingReview,
            req: None,
            assets: s
                .assets
                .iter()
                .map(|a| MAsset {
                    id: a.id.clone(),
                    cost: a.cost,
                    residual: a.residual,
                    added: from,
                    removed: None,
                })
                .collect(),
            users: s
                .users
                .iter()
                .map(|&user| MUser {
                    user,
                    added: from,
                    removed: None,
                })
                .collect(),
            cards: s
                .rate_cards
                .iter()
                .map(|c| MCard {
                    spec: c.clone(),
                    active: true,
                    done: 0,
                    last: None,
                })
                .collect(),
            history: Vec::new(),
            reminded: None,
            lifetime: 0,
            lines: 0,
            created: on,
            x: Extra::default(),
        }
    }

    pub fn covered_assets(&self) -> Vec<&str> {
        self.assets
            .iter()
            .filter(|a| a.removed.is_none())
            .map(|a| a.id.as_str())
            .collect()
    }

    pub fn covered_users(&self) -> Vec<UserId> {
        self.users
            .iter()
            .filter(|u| u.removed.is_none())
            .map(|u| u.user)
            .collect()
    }

    /// The asset as covered on `day`.
    pub fn asset_on(&self, id: &str, day: D) -> Option<&MAsset> {
        self.assets
            .iter()
            .find(|a| a.id == id && a.added <= day && a.removed.is_none_or(|r| day < r))
    }

    pub fn user_on(&self, u: UserId, day: D) -> bool {
        self.users
            .iter()
            .any(|x| x.user == u && x.added <= day && x.removed.is_none_or(|r| day < r))
    }

    fn set_sub(&mut self, s: Substate) {
        self.sub = s;
    }
}

/// Folds one of the model's events into its record.
pub fn apply(m: &mut M, ev: &Ev, on: D) {
    match ev {
        Ev::Created(..) => {}
        Ev::Edited(e) => {
            if let Some(s) = e.start {
                m.start = Some(s);
            }
            if let Some(x) = e.end {
                if m.end != Some(x) {
                    m.reminded = None;
                }
                m.end = Some(x);
            }
            if let Some(a) = e.payment_amount {
                m.payment = a;
            }
            if e.approver.is_some() {
                m.approver = e.approver;
            }
            if e.administrator.is_some() {
                m.administrator = e.administrator;
            }
        }
        Ev::Requested(review, approver, start, end, percent, amount) => {
            m.req = Some(MReq {
                review: *review,
                approver: *approver,
                start: *start,
                end: *end,
                percent: *percent,
                amount: *amount,
                stage: Stage::Saved,
            });
            m.set_sub(Substate::AwaitingReview);
        }
        Ev::Submitted(review, approver) => {
            m.set_sub(Substate::UnderReview);
            if *review == Review::Contract {
                m.approver = Some(*approver);
            } else if let Some(r) = m.req.as_mut() {
                r.approver = *approver;
                r.stage = Stage::UnderReview;
            }
        }
        Ev::Approved(review) => match review {
            Review::Renewal => {
                m.set_sub(Substate::RenewalApproved);
                if let Some(r) = m.req.as_mut() {
                    r.stage = Stage::Approved;
                }
            }
            Review::Extension => m.set_sub(Substate::ExtensionApproved),
            _ => m.set_sub(Substate::Approved),
        },
        Ev::Rejected(review, _) => match review {
            Review::Renewal => {
                m.set_sub(Substate::RenewalRejected);
                m.req = None;
            }
            Review::Extension => {
                m.set_sub(Substate::ExtensionRejected);
                m.req = None;
            }
            _ => m.set_sub(Substate::Rejected),
        },
        Ev::Activated => {
            m.status = Status::Active;
            if m.sub == Substate::Approved {
                m.set_sub(Substate::None);
            }
        }
        Ev::Renewed(start, end, payment, bases) => {
            m.history.push(MHist {
                change: DateChange::Renewed,
                on,
                before: (m.start, m.end),
                after: (Some(*start), Some(*end)),
            });
            // Reminders start over when the end date changes (docs/contract.md).
            if m.end != Some(*end) {
                m.reminded = None;
            }
            m.start = Some(*start);
            m.end = Some(*end);
            m.payment = *payment;
            for (c, &b) in m.cards.iter_mut().zip(bases) {
                c.spec.base_cost = b;
            }
            m.req = None;
            m.set_sub(Substate::None);
        }
        Ev::Extended(end) => {
            m.history.push(MHist {
                change: DateChange::Extended,
                on,
                before: (m.start, m.end),
                after: (m.start, Some(*end)),
            });
            // Reminders start over when the end date changes.
            if m.end != Some(*end) {
                m.reminded = None;
            }
            m.end = Some(*end);
            m.req = None;
        }
        Ev::Adjusted(start, end, payment) => {
            if (*start, *end) != (m.start, m.end) {
                m.history.push(MHist {
                    change: DateChange::Adjusted,
                    on,
                    before: (m.start, m.end),
                    after: (*start, *end),
                });
            }
            if *end != m.end {
                m.reminded = None;
            }
            m.start = *start;
            m.end = *end;
            m.payment = *payment;
        }
        Ev::Expired => {
            m.status = Status::Expired;
            // Expired: a renewal waiting for approval keeps its substate, an approved one
            // not started too; nothing under way: none.
            if !matches!(
                m.sub,
                Substate::AwaitingReview | Substate::UnderReview | Substate::RenewalApproved
            ) {
                m.set_sub(Substate::None);
            }
        }
        Ev::Canceled => {
            m.status = Status::Canceled;
            m.set_sub(Substate::None);
            m.req = None;
            for c in &mut m.cards {
                c.active = false;
            }
        }
        Ev::Reminded(days, ..) => m.reminded = Some(*days),
        Ev::Charged(k, date, lines) => {
            if let Some(c) = m.cards.get_mut(*k as usize) {
                c.done += 1;
                c.last = Some(*date);
            }
            m.lifetime += lines.iter().map(|l| i128::from(l.2)).sum::<i128>();
            if i64::try_from(m.lifetime).is_err() {
                m.x.lifetime_overflowed = true;
            }
            m.lines += lines.len() as u64;
        }
        Ev::Passed(k, _) => {
            if let Some(c) = m.cards.get_mut(*k as usize) {
                c.done += 1;
            }
        }
        Ev::Covered(id, cost, residual) => m.assets.push(MAsset {
            id: id.clone(),
            cost: *cost,
            residual: *residual,
            added: on,
            removed: None,
        }),
        Ev::Uncovered(id) => {
            if let Some(a) = m
                .assets
                .iter_mut()
                .find(|a| &a.id == id && a.removed.is_none())
            {
                a.removed = Some(on);
            }
        }
        Ev::UserAdded(user) => m.users.push(MUser {
            user: *user,
            added: on,
            removed: None,
        }),
        Ev::UserRemoved(user) => {
            if let Some(u) = m
                .users
                .iter_mut()
                .find(|u| u.user == *user && u.removed.is_none())
            {
                u.removed = Some(on);
            }
        }
        Ev::RateCardAdded(c) => m.cards.push(MCard {
            spec: (**c).clone(),
            active: true,
            done: 0,
            last: None,
        }),
        Ev::RateCardDeactivated(k) => {
            if let Some(c) = m.cards.get_mut(*k as usize) {
                c.active = false;
            }
        }
    }
}

/// Applies `ev` to `m` and records it.
pub fn push(m: &mut M, ev: Ev, on: D, out: &mut Vec<Ev>) {
    apply(m, &ev, on);
    out.push(ev);
}

pub fn activation_due(m: &M, today: D) -> bool {
    m.status == Status::Draft && m.sub == Substate::Approved && m.start.is_none_or(|s| s <= today)
}

/// An approved renewal whose start has come, on an active or expired contract.
pub fn renewal_due(m: &M, today: D) -> Option<MReq> {
    let r = m.req.as_ref()?;
    let due = matches!(m.status, Status::Active | Status::Expired)
        && r.review == Review::Renewal
        && r.stage == Stage::Approved
        && r.start.is_some_and(|s| s <= today);
    due.then(|| r.clone())
}

/// The renewal applied: the new term and the adjusted prices.
pub fn renewed(m: &M, r: &MReq) -> Ev {
    let adjust = |v: i64| r.percent.map_or(v, |p| percent(v, p));
    let mut bases: Vec<i64> = m
        .cards
        .iter()
        .map(|c| {
            if c.active {
                adjust(c.spec.base_cost)
            } else {
                c.spec.base_cost
            }
        })
        .collect();
    let mut payment = adjust(m.payment);
    if let Some(a) = r.amount {
        let active: Vec<usize> = (0..m.cards.len())
            .filter(|&i| m.cards.get(i).is_some_and(|c| c.active))
            .collect();
        if active.is_empty() {
            payment = clamp(i128::from(payment) + i128::from(a));
        } else {
            for (i, share) in active.iter().zip(even(i128::from(a), active.len())) {
                if let Some(b) = bases.get_mut(*i) {
                    *b = clamp(i128::from(*b) + share);
                }
            }
        }
    }
    Ev::Renewed(r.start.unwrap_or(m.created), r.end, payment, bases)
}

/// An expired contract whose end moved past today (an extension) is in effect again.
pub fn reactivation_due(m: &M, today: D, p: &Policy) -> bool {
    m.status == Status::Expired && m.end.is_none_or(|e| !expired_by(e, today, p))
}

pub fn expiry_due(m: &M, today: D, p: &Policy) -> bool {
    m.status == Status::Active && m.end.is_some_and(|e| expired_by(e, today, p))
}

/// The day an active contract ending on `end` expires (none past chrono's last day).
pub fn expiry_day(end: D, p: &Policy) -> Option<D> {
    if p.expiry == Expiry::AfterEndDate {
        end.succ_opt()
    } else {
        Some(end)
    }
}

/// The renewal: a contract still active whose expiry came before the renewal's start
/// expires first; then the new term; then an expired contract is in effect again (the
/// expiry rule then runs on the new term, as a daily job would have).
pub fn renew(m: &mut M, r: &MReq, today: D, p: &Policy, out: &mut Vec<Ev>) {
    let start = r.start.unwrap_or(today);
    let ended = m
        .end
        .and_then(|e| expiry_day(e, p))
        .is_some_and(|d| d < start);
    if m.status == Status::Active && ended {
        push(m, Ev::Expired, today, out);
    }
    let ev = renewed(m, r);
    push(m, ev, today, out);
    if m.status == Status::Expired {
        push(m, Ev::Activated, today, out);
    }
}

/// The condition checks after an approval or a change of dates.
pub fn condition_checks(m: &mut M, today: D, p: &Policy, out: &mut Vec<Ev>) {
    if activation_due(m, today) {
        push(m, Ev::Activated, today, out);
    }
    if let Some(r) = renewal_due(m, today) {
        let waiting = r
            .start
            .and_then(|s| s.pred_opt())
            .is_some_and(|before| super::job::pending(m, before));
        if !waiting {
            renew(m, &r, today, p, out);
        }
    }
    if expiry_due(m, today, p) {
        push(m, Ev::Expired, today, out);
    }
}
