//! The `contract` harness's input: what the bytes decode to (a policy, a contract spec and
//! steps) and how each step's day, actor, dates and names are picked when it runs. See
//! `decode`.

use super::defects::*;
use super::*;

/// A day, picked when the command runs, from today, the contract's start or end (today
/// when it has none), the renewal asked in the same command, or chrono's ends.
#[derive(Debug, Clone, Copy)]
pub enum DateSel {
    Today(i32),
    Start(i32),
    End(i32),
    /// From the other date of the same command (a renewal's end from its start).
    Other(i32),
    Min(u8),
    Max(u8),
}

/// How the day moves before a step.
#[derive(Debug, Clone, Copy)]
pub enum DaySel {
    Same,
    Forward(u32),
    /// To the crate's `next_deadline` (or the day before it), if later than today.
    Deadline,
    BeforeDeadline,
    /// To a few days before chrono's last day.
    Far(u8),
    /// A few days back, for this step only (`ClockWentBackwards`).
    Back(u8),
}

#[derive(Debug, Clone)]
pub enum AssetSel {
    Pool(u8, i64, i64),
    Blank,
}

/// A command, resolved against the state when it runs.
#[derive(Debug, Clone)]
pub enum CmdSel {
    Create,
    Tick,
    /// Ticks on the same day until one does nothing (at most 6).
    Ticks,
    /// Submit (by a manager) and approve (by the approver), the same day.
    Flow,
    Submit(Option<UserId>),
    Approve,
    Reject(bool),
    Edit {
        start: Option<DateSel>,
        end: Option<DateSel>,
        payment: Option<i64>,
        approver: Option<UserId>,
        administrator: Option<UserId>,
    },
    Renew {
        approver: Option<UserId>,
        start: DateSel,
        end: DateSel,
        percent: Option<i32>,
        amount: Option<i64>,
        submit: bool,
    },
    Extend(DateSel, Option<UserId>, bool),
    Adjust(Option<DateSel>, Option<DateSel>, Option<i64>),
    Cancel,
    Cover(AssetSel),
    Uncover(u8),
    AddUser(u8),
    RemoveUser(u8),
    AddCard(CardSel),
    Deactivate(u8),
}

/// A rate card, built against the contract when the command runs.
#[derive(Debug, Clone)]
pub struct CardSel {
    pub name: u8,
    pub start: DateSel,
    pub end: Option<DateSel>,
    pub interval: Interval,
    pub base: i64,
    pub tax: Option<Rate>,
    pub distribute: Distribute,
    pub mask: u8,
    pub summary: Option<Summary>,
    pub defect: Option<u8>,
}

#[derive(Debug, Clone)]
pub struct Step {
    /// 0: the actor the command is meant for (the approver, a manager); else one of
    /// `actors()`.
    pub who: usize,
    pub day: DaySel,
    pub cmd: CmdSel,
}

pub struct Input {
    /// Thousands of rate cards: no JSON round trip of the state, a few steps.
    pub heavy: bool,
    pub spec: ContractSpec,
    pub policy: Policy,
    pub steps: Vec<Step>,
    /// The day the contract is created on.
    pub t0: D,
}

/// What a run saw, for the corpus test.
#[derive(Default, Debug)]
pub struct Seen {
    /// The kinds of the events decided.
    pub events: BTreeSet<String>,
    /// The kinds of the errors met.
    pub errors: BTreeSet<String>,
    /// `status:` and `substate:` reached, and paths taken (`budget:`, `split:`, ...).
    pub statuses: BTreeSet<String>,
    /// Commands accepted, by name.
    pub accepted: BTreeSet<String>,
    /// `QUESTION:` readings where the page is silent and the crate took another one.
    pub notes: BTreeSet<String>,
}

pub const AMOUNTS: [i64; 16] = [
    50_000,
    100,
    1,
    0,
    333,
    100_000,
    -7,
    -999,
    7_000_000,
    10_001,
    3,
    99_999,
    -5_000,
    1_234_567,
    MAX_AMOUNT,
    -MAX_AMOUNT,
];
const RATES: [Option<u32>; 8] = [
    None,
    Some(825),
    Some(2_000),
    Some(10_000),
    Some(1),
    Some(5_000),
    Some(9_999),
    None,
];
const VALUES: [i64; 8] = [0, 7_000, 3_000, 1, 2, 12_345, 0, MAX_AMOUNT];
pub const ASSETS: [&str; 4] = ["srv-1", "srv-2", "lap-3", "rtr-4"];
pub const CARDS: [&str; 5] = ["support", "licences", "hosting", "spares", "cloud"];
const INTERVALS: [Interval; 6] = [
    Interval::Daily,
    Interval::Weekly,
    Interval::Monthly,
    Interval::Quarterly,
    Interval::SemiAnnually,
    Interval::Annually,
];
const DISTRIBUTE: [Distribute; 5] = [
    Distribute::Contract,
    Distribute::PerAsset,
    Distribute::AssetCost,
    Distribute::AssetResidual,
    Distribute::PerUser,
];
const MODELS: [Model; 9] = [
    Model::Maintenance,
    Model::Lease,
    Model::Warranty,
    Model::Service,
    Model::SoftwareLicense,
    Model::Subscription,
    Model::PurchaseAgreement,
    Model::Nda,
    Model::Other,
];

fn rate(b: &mut Bytes<'_>) -> Option<Rate> {
    RATES[b.pick(8)].map(Rate)
}

fn amount(b: &mut Bytes<'_>) -> i64 {
    // The extremes rarely.
    let i = b.pick(32);
    AMOUNTS[if i < 14 {
        i
    } else if i < 30 {
        i % 8
    } else {
        i - 16
    }]
}

fn days(b: &mut Bytes<'_>) -> i32 {
    match b.pick(8) {
        0 => 0,
        1 => 1,
        2 => 30,
        3 => 365,
        4 => i32::from(b.byte()),
        5 => 2 * i32::from(b.byte()),
        6 => 7,
        _ => 90,
    }
}

pub fn date_sel(b: &mut Bytes<'_>) -> DateSel {
    match b.pick(16) {
        0..=3 => DateSel::Today(days(b) - days(b)),
        4..=6 => DateSel::Start(days(b)),
        7..=9 => DateSel::End(days(b) - days(b) / 4),
        10..=12 => DateSel::Other(days(b)),
        13 => DateSel::Start(-days(b)),
        14 => DateSel::Max(b.byte() % 40),
        _ => DateSel::Min(b.byte() % 40),
    }
}

/// A user to name as approver or administrator (or a covered user): the approver, another,
/// one without roles, or a manager.
pub fn user_sel(b: &mut Bytes<'_>) -> UserId {
    [APPROVER, APPROVER, APPROVER2, PLAIN, MANAGER, NOBODY][b.pick(6)]
}

pub fn card_sel(b: &mut Bytes<'_>, i: u8) -> CardSel {
    let start = match b.pick(8) {
        0..=3 => DateSel::Start(0),
        4 => DateSel::Start(days(b)),
        5 => DateSel::Today(-days(b)),
        6 => DateSel::Today(days(b)),
        _ => DateSel::Start(i32::from(b.byte() % 31)),
    };
    let end = match b.pick(6) {
        0..=2 => None,
        3 => Some(DateSel::End(0)),
        4 => Some(DateSel::Other(days(b))),
        _ => Some(DateSel::End(-days(b))),
    };
    let defect = b.byte();
    CardSel {
        name: i,
        start,
        end,
        interval: INTERVALS[b.pick(6)],
        base: amount(b),
        tax: rate(b),
        distribute: DISTRIBUTE[b.pick(5)],
        mask: b.byte(),
        summary: [
            None,
            Some(Summary::Run),
            Some(Summary::Grow),
            Some(Summary::Transform),
        ][b.pick(4)],
        defect: (defect >= 224).then_some(defect % 14),
    }
}

fn step(b: &mut Bytes<'_>, big_budget: bool) -> Step {
    let day = match b.pick(16) {
        0..=5 => DaySel::Same,
        6..=8 => DaySel::Forward(1 + u32::from(b.byte() % 7)),
        9 | 10 => DaySel::Forward(u32::from(b.byte() % 31)),
        11 | 12 => DaySel::Forward(u32::from(b.byte()) * 400 / 255),
        13 => DaySel::Deadline,
        14 => DaySel::BeforeDeadline,
        _ => match b.byte() {
            x if x < 24 && !big_budget => DaySel::Far(x),
            x if x < 96 => DaySel::Back(1 + x % 30),
            x => DaySel::Forward(u32::from(x)),
        },
    };
    let who = match b.pick(16) {
        0..=9 => 0,
        k => k - 9,
    };
    let opt_user = |b: &mut Bytes<'_>| {
        if b.flag() { Some(user_sel(b)) } else { None }
    };
    let cmd = match b.pick(44) {
        0..=7 => CmdSel::Tick,
        8..=10 => CmdSel::Ticks,
        11..=13 => CmdSel::Flow,
        14 => CmdSel::Submit(opt_user(b)),
        15 => CmdSel::Approve,
        16 => CmdSel::Reject(b.pick(6) != 0),
        17 | 18 => {
            let opt_date = |b: &mut Bytes<'_>| if b.flag() { Some(date_sel(b)) } else { None };
            CmdSel::Edit {
                start: opt_date(b),
                end: opt_date(b),
                payment: if b.pick(4) == 0 {
                    Some(amount(b))
                } else {
                    None
                },
                approver: if b.pick(3) == 0 {
                    Some(user_sel(b))
                } else {
                    None
                },
                administrator: if b.pick(4) == 0 {
                    Some(user_sel(b))
                } else {
                    None
                },
            }
        }
        19..=22 => {
            let start = match b.pick(8) {
                0..=3 => DateSel::End(1),
                4 => DateSel::End(days(b)),
                5 => DateSel::Start(days(b)),
                6 => DateSel::Today(days(b) - days(b)),
                _ => DateSel::Start(0),
            };
            let end = match b.pick(8) {
                0..=3 => DateSel::Other(365),
                4 => DateSel::Other(days(b)),
                5 => DateSel::End(0),
                6 => DateSel::Other(-1 - days(b)),
                _ => date_sel(b),
            };
            let percent = match b.pick(10) {
                0..=5 => None,
                6 => Some(300),
                7 => Some([-10_000, 100_000, 5_000, -333][b.pick(4)]),
                8 => Some([100_001, -10_001][b.pick(2)]),
                _ => Some(-2_500),
            };
            let amount = match b.pick(8) {
                0..=5 => None,
                6 => Some(amount(b)),
                _ => Some([1, -1, 1_000, MAX_AMOUNT + 1][b.pick(4)]),
            };
            CmdSel::Renew {
                approver: if b.pick(4) == 0 {
                    Some(user_sel(b))
                } else {
                    None
                },
                start,
                end,
                percent,
                amount,
                submit: b.pick(4) != 0,
            }
        }
        23 | 24 => {
            let end = match b.pick(6) {
                0..=3 => DateSel::End(1 + days(b)),
                4 => DateSel::End(-days(b)),
                _ => date_sel(b),
            };
            CmdSel::Extend(end, opt_user(b), b.pick(4) != 0)
        }
        25 | 26 => {
            let opt_date = |b: &mut Bytes<'_>| if b.flag() { Some(date_sel(b)) } else { None };
            CmdSel::Adjust(
                opt_date(b),
                opt_date(b),
                if b.pick(3) == 0 {
                    Some(amount(b))
                } else {
                    None
                },
            )
        }
        27 => CmdSel::Cancel,
        28 | 29 => {
            if b.pick(16) == 0 {
                CmdSel::Cover(AssetSel::Blank)
            } else {
                let (i, cost, residual) = (b.byte(), b.byte(), b.byte());
                let value = |x: u8| match x {
                    250 => -1,
                    251 => MAX_AMOUNT + 1,
                    x => VALUES[usize::from(x % 8)],
                };
                CmdSel::Cover(AssetSel::Pool(i, value(cost), value(residual)))
            }
        }
        30 => CmdSel::Uncover(b.byte()),
        31 => CmdSel::AddUser(b.byte()),
        32 => CmdSel::RemoveUser(b.byte()),
        33 | 34 => {
            let i = b.byte();
            CmdSel::AddCard(card_sel(b, i))
        }
        35 => CmdSel::Deactivate(b.byte()),
        36 => CmdSel::Create,
        37..=40 => CmdSel::Tick,
        _ => CmdSel::Flow,
    };
    Step { who, day, cmd }
}

fn policy(b: &mut Bytes<'_>, invalid: bool) -> (Policy, bool) {
    let mut p = Policy::servicenow();
    let f = b.byte();
    p.approver_only = f & 1 == 0 || f & 2 == 0;
    if f & 4 != 0 {
        p.expiry = Expiry::AfterEndDate;
    }
    p.cancel_drafts = f & 8 != 0;
    p.reminders = match (f >> 4) % 8 {
        0..=2 => vec![90, 60, 30, 0],
        3 => Vec::new(),
        4 => vec![0],
        5 => vec![30, 7],
        6 => vec![60, 90, 1],
        _ => vec![MAX_REMINDER_DAYS, 0],
    };
    let lines = [1, 2, 3, 4, 5, 1, 2, 3, 8, 64, 1_000, 1_000_000];
    p.max_lines_per_tick = lines[b.pick(lines.len())];
    if invalid {
        match b.pick(3) {
            0 => p.reminders = vec![30, 30],
            1 => p.reminders.push(MAX_REMINDER_DAYS + 1),
            _ => p.max_lines_per_tick = 0,
        }
    }
    let big = p.max_lines_per_tick > 1_000;
    (p, big)
}

pub fn add_days(d: D, k: i64) -> D {
    if k >= 0 {
        d.checked_add_days(Days::new(k as u64)).unwrap_or(D::MAX)
    } else {
        d.checked_sub_days(Days::new(k.unsigned_abs()))
            .unwrap_or(D::MIN)
    }
}

/// The spec: a valid contract mostly, one broken rule sometimes (`defect`).
fn spec(b: &mut Bytes<'_>, t0: D, extreme: bool) -> ContractSpec {
    let model = MODELS[b.pick(9)];
    let k = i64::from(b.byte());
    let mut start = match b.pick(8) {
        0 | 1 => None,
        2 => Some(t0),
        3 => Some(add_days(t0, -k % 90)),
        4 => Some(add_days(t0, k)),
        5 => Some(add_days(t0, -400 - k)),
        6 => Some(add_days(t0, 3 * k)),
        _ if extreme => Some(add_days(D::MIN, k % 40)),
        _ => Some(add_days(t0, -k)),
    };
    let from = start.unwrap_or(t0);
    let span = [0, 1, 29, 30, 59, 90, 91, 180, 364, 365, 400, 730][b.pick(12)];
    let mut end = match b.pick(8) {
        0 => None,
        1..=5 => Some(add_days(from, span)),
        6 => Some(add_days(t0, i64::from(b.byte()))),
        _ if extreme => Some(add_days(D::MAX, -i64::from(b.byte() % 40))),
        _ => Some(add_days(from, 365)),
    };
    if matches!(model, Model::PurchaseAgreement | Model::Nda) {
        start = start.or(Some(t0));
        end = end.or(Some(add_days(from, 365)));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            end = Some(s);
        }
    }
    let mut s = ContractSpec::new(
        ["MNT-7", "SUB-2026-114", "LEASE 9"][b.pick(3)],
        model,
        start,
        end,
    );
    s.name = ["", "Dell support", "Office 365"][b.pick(3)].to_owned();
    s.vendor = [Some("Acme"), Some("Initech"), None][b.pick(3)].map(str::to_owned);
    if matches!(model, Model::PurchaseAgreement | Model::Nda) && s.vendor.is_none() {
        s.vendor = Some("Acme".into());
    }
    s.administrator = [None, Some(ADMINISTRATOR), Some(MANAGER)][b.pick(3)];
    s.approver = [
        Some(APPROVER),
        Some(APPROVER),
        Some(APPROVER),
        None,
        Some(PLAIN),
    ][b.pick(5)];
    s.payment_amount = amount(b);
    s.payment_schedule = [None, Some(Interval::Monthly), Some(Interval::Annually)][b.pick(3)];
    s.sales_tax = rate(b);
    if model == Model::PurchaseAgreement {
        s.discount = [None, Some(0), Some(15), Some(99)][b.pick(4)];
    }
    let mask = b.byte();
    for (i, id) in ASSETS.iter().enumerate() {
        if mask & (1 << i) != 0 {
            let zero = mask & 0x80 != 0;
            let (c, r) = if zero {
                (0, 0)
            } else {
                (VALUES[b.pick(8)], VALUES[b.pick(8)])
            };
            s.assets.push(CoveredAsset::new(*id, c, r));
        }
    }
    for (i, u) in COVERED.iter().enumerate() {
        if mask & (0x10 << i) != 0 && i < 3 {
            s.users.push(*u);
        }
    }
    for i in 0..[0, 1, 1, 1, 2, 2, 3, 0][b.pick(8)] {
        let sel = card_sel(b, i);
        let card = build_card(&sel, &s.rate_cards.len(), start, end, t0, &covered_of(&s));
        s.rate_cards.push(card);
    }
    let defect = b.byte();
    if defect >= 212 {
        inject(&mut s, defect % 28, t0);
    }
    s
}

fn covered_of(s: &ContractSpec) -> (Vec<String>, Vec<UserId>) {
    (
        s.assets.iter().map(|a| a.id.clone()).collect(),
        s.users.clone(),
    )
}

/// A date from a selector: `start`/`end` the contract's (today without), `other` the date
/// the command gave first.
pub fn date(sel: DateSel, today: D, start: Option<D>, end: Option<D>, other: D) -> D {
    match sel {
        DateSel::Today(k) => add_days(today, i64::from(k)),
        DateSel::Start(k) => add_days(start.unwrap_or(today), i64::from(k)),
        DateSel::End(k) => add_days(end.unwrap_or(today), i64::from(k)),
        DateSel::Other(k) => add_days(other, i64::from(k)),
        DateSel::Min(k) => add_days(D::MIN, i64::from(k)),
        DateSel::Max(k) => add_days(D::MAX, -i64::from(k)),
    }
}

/// A rate card against the contract's dates and what it covers (its assets and users a
/// subset of those; over assets or users when there are some, else to the contract).
pub fn build_card(
    sel: &CardSel,
    index: &usize,
    start: Option<D>,
    end: Option<D>,
    today: D,
    covered: &(Vec<String>, Vec<UserId>),
) -> RateCardSpec {
    let name = CARDS[(usize::from(sel.name) + index) % CARDS.len()];
    let s = date(sel.start, today, start, end, today);
    let s = match start {
        Some(cs) if s < cs => cs,
        _ => s,
    };
    let mut c = RateCardSpec::new(name, s, sel.interval, sel.base);
    c.end = sel.end.map(|e| date(e, today, start, end, s));
    if let (Some(x), Some(ce)) = (c.end, end) {
        if x > ce {
            c.end = Some(ce);
        }
    }
    if c.end.is_some_and(|x| x < s) {
        c.end = None;
    }
    c.sales_tax = sel.tax;
    c.summary = sel.summary;
    let (assets, users) = covered;
    let pick = |n: usize| {
        (0..n)
            .filter(|i| sel.mask & (1 << i) != 0)
            .collect::<Vec<_>>()
    };
    match sel.distribute {
        Distribute::PerUser if !users.is_empty() => {
            let mut chosen: Vec<UserId> = pick(users.len())
                .iter()
                .filter_map(|&i| users.get(i).copied())
                .collect();
            if chosen.is_empty() {
                chosen.extend(users.first());
            }
            c = c.over_users(chosen);
        }
        Distribute::PerAsset | Distribute::AssetCost | Distribute::AssetResidual
            if !assets.is_empty() =>
        {
            let mut chosen: Vec<String> = pick(assets.len())
                .iter()
                .filter_map(|&i| assets.get(i).cloned())
                .collect();
            if chosen.is_empty() {
                chosen.extend(assets.first().cloned());
            }
            c = c.over_assets(sel.distribute, chosen);
        }
        _ => {}
    }
    if let Some(k) = sel.defect {
        break_card(&mut c, k, start, end);
    }
    c
}

/// Bytes to a policy, a spec and up to 48 steps.
///
/// Byte 0 picks the shape: below 240 a small contract; 240 to 243 ten thousand rate cards
/// and one more (`TooMany`, at create or when one is added); 244 to 246 an invalid policy;
/// 247 and up dates near chrono's ends (a start near its first day, an end near its last).
/// Then the policy byte (bit 0 and 1 both set: any manager approves; bit 2: expiry after
/// the end date; bit 3: drafts may be canceled; bits 4 to 6 the reminders), the lines per
/// tick (1 to 5 mostly, 8, 64, 1,000 or a million), the day of creation, the spec (model,
/// dates, parties, money, covered assets and users, 0 to 3 rate cards, a broken rule when
/// its last byte is 212 or more), whether the first step creates it, and the steps (day,
/// actor, command). Zeros give a maintenance contract created by a manager and ticked.
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let mode = b.byte();
    let (policy, big) = policy(&mut b, (244..=246).contains(&mode));
    let t0 = add_days(
        D::from_ymd_opt(2027, 1, 4).unwrap_or(D::MIN),
        i64::from(b.byte()) * 3,
    );
    let heavy = (240..=243).contains(&mode);
    let extreme = mode >= 247 && !big;
    let mut spec = spec(&mut b, t0, extreme);
    let mut steps = Vec::new();
    if heavy {
        let many = MAX_RATE_CARDS + usize::from(mode == 240);
        let first = spec.start.unwrap_or(t0);
        spec.rate_cards = (0..many)
            .map(|i| RateCardSpec::new(format!("card {i}"), first, Interval::Annually, 1))
            .collect();
    }
    if b.pick(16) != 15 {
        steps.push(Step {
            who: 0,
            day: DaySel::Same,
            cmd: CmdSel::Create,
        });
    }
    let most = if heavy { 6 } else { 48 };
    while !b.is_empty() && steps.len() < most {
        steps.push(step(&mut b, big));
    }
    if steps.len() < 2 {
        steps.push(Step {
            who: 0,
            day: DaySel::Same,
            cmd: CmdSel::Tick,
        });
    }
    Input {
        heavy,
        spec,
        policy,
        steps,
        t0,
    }
}

/// The command a step names, against the state.
pub fn resolve(sel: &CmdSel, state: &State, today: D, input: &Input) -> Command {
    let c = state.contract();
    let (start, end) = c.map_or((None, None), |c| (c.start, c.end));
    let at = |s: DateSel| date(s, today, start, end, today);
    match sel {
        CmdSel::Create | CmdSel::Flow | CmdSel::Tick | CmdSel::Ticks => match sel {
            CmdSel::Create => Command::create(ContractId::from_u128(7), input.spec.clone()),
            _ => Command::Tick,
        },
        CmdSel::Submit(a) => Command::Submit { approver: *a },
        CmdSel::Approve => Command::Approve,
        CmdSel::Reject(said) => Command::Reject {
            comments: if *said { "too expensive" } else { " " }.into(),
        },
        CmdSel::Edit {
            start: s,
            end: e,
            payment,
            approver,
            administrator,
        } => {
            let mut edit = Edit::default();
            edit.start = s.map(at);
            edit.end = e.map(|e| date(e, today, start, end, edit.start.unwrap_or(today)));
            edit.payment_amount = *payment;
            edit.approver = *approver;
            edit.administrator = *administrator;
            Command::Edit { edit }
        }
        CmdSel::Renew {
            approver,
            start: s,
            end: e,
            percent,
            amount,
            submit,
        } => {
            let first = at(*s);
            let mut r = Renewal::new(first, date(*e, today, start, end, first));
            r.approver = *approver;
            r.percent = *percent;
            r.amount = *amount;
            r.submit = *submit;
            Command::Renew { renewal: r }
        }
        CmdSel::Extend(e, approver, submit) => Command::Extend {
            end: at(*e),
            approver: *approver,
            submit: *submit,
        },
        CmdSel::Adjust(s, e, payment) => {
            let first = s.map(at);
            Command::Adjust {
                start: first,
                end: e.map(|e| date(e, today, start, end, first.unwrap_or(today))),
                payment_amount: *payment,
            }
        }
        CmdSel::Cancel => Command::Cancel,
        CmdSel::Cover(AssetSel::Blank) => Command::Cover {
            asset: CoveredAsset::new("  ", 0, 0),
        },
        CmdSel::Cover(AssetSel::Pool(i, cost, residual)) => Command::Cover {
            asset: CoveredAsset::new(ASSETS[usize::from(*i) % 4], *cost, *residual),
        },
        CmdSel::Uncover(i) => Command::Uncover {
            asset: ASSETS[usize::from(*i) % 4].into(),
        },
        CmdSel::AddUser(i) => Command::AddUser {
            user: COVERED[usize::from(*i) % 4],
        },
        CmdSel::RemoveUser(i) => Command::RemoveUser {
            user: COVERED[usize::from(*i) % 4],
        },
        CmdSel::AddCard(sel) => {
            let covered = c.map_or((Vec::new(), Vec::new()), |c| {
                (
                    c.covered_assets().map(|a| a.id.clone()).collect(),
                    c.covered_users().collect(),
                )
            });
            let n = c.map_or(0, |c| c.rate_cards.len());
            let card = build_card(sel, &n, start, end, today, &covered);
            Command::AddRateCard {
                card: Box::new(card),
            }
        }
        CmdSel::Deactivate(i) => {
            let names: Vec<String> = c.map_or(Vec::new(), |c| {
                c.rate_cards.iter().map(|r| r.spec.name.clone()).collect()
            });
            let k = usize::from(*i);
            let name = if k % 4 == 3 || names.is_empty() {
                CARDS[k % CARDS.len()].to_owned()
            } else {
                names.get(k % names.len()).cloned().unwrap_or_default()
            };
            Command::DeactivateRateCard { card: name }
        }
    }
}
