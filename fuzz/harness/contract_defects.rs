//! The `contract` harness's broken rules of data: how the decoder breaks one documented rule
//! of a spec or a rate card, and how the model finds every rule a spec, a rate card, a
//! covered asset or a policy breaks (the error variants a refusal may carry).

use super::decode::add_days;
use super::model::*;
use super::*;

// ---------------------------------------------------------------- the decoder's defects

/// Breaks one documented rule of a rate card.
pub fn break_card(c: &mut RateCardSpec, k: u8, start: Option<D>, end: Option<D>) {
    match k {
        0 => c.name = " ".into(),
        1 => c.end = Some(add_days(c.start, -1)),
        2 => c.start = add_days(start.unwrap_or(c.start), -1),
        3 => c.end = Some(add_days(end.unwrap_or(c.start), 1)),
        4 => c.base_cost = MAX_AMOUNT + 1,
        5 => c.sales_tax = Some(Rate(10_001)),
        6 => {
            c.distribute = Distribute::PerAsset;
            c.assets.clear();
            c.users.clear();
        }
        7 => c.users.push(COVERED[3]),
        8 => {
            c.distribute = Distribute::AssetCost;
            c.users.clear();
            c.assets = vec!["ghost".into()];
        }
        9 => {
            c.distribute = Distribute::PerUser;
            c.assets.clear();
            c.users = vec![COVERED[3]];
        }
        10 => {
            c.distribute = Distribute::PerUser;
            c.assets.clear();
            c.users.clear();
        }
        11 => {
            let first = c.assets.first().cloned().unwrap_or_else(|| "srv-1".into());
            c.assets.push(first);
        }
        12 => {
            let first = c.users.first().copied().unwrap_or(COVERED[0]);
            c.users.push(first);
        }
        _ => c.assets.push("srv-2".into()),
    }
}

/// Breaks one documented rule of the spec.
pub fn inject(s: &mut ContractSpec, k: u8, t0: D) {
    match k {
        0 => s.number = String::new(),
        1 => s.number = " ".into(),
        2 => {
            s.start = Some(t0);
            s.end = Some(add_days(t0, -1));
        }
        3 => {
            s.model = Model::PurchaseAgreement;
            s.vendor = None;
        }
        4 => {
            s.model = Model::Nda;
            s.start = None;
        }
        5 => {
            s.model = Model::PurchaseAgreement;
            s.end = None;
        }
        6 => {
            s.model = Model::PurchaseAgreement;
            s.discount = Some(100);
        }
        7 => {
            s.model = Model::Warranty;
            s.discount = Some(5);
        }
        8 => s.payment_amount = -MAX_AMOUNT - 1,
        9 => s.sales_tax = Some(Rate(10_001)),
        10 => s.assets.push(CoveredAsset::new("", 1, 1)),
        11 => s.assets.extend([
            CoveredAsset::new("dup", 1, 1),
            CoveredAsset::new("dup", 2, 2),
        ]),
        12 => s.assets.push(CoveredAsset::new("neg", -1, 0)),
        13 => s.assets.push(CoveredAsset::new("big", 0, MAX_AMOUNT + 1)),
        14 => s.users.extend([COVERED[3], COVERED[3]]),
        15 => {
            let first = s.rate_cards.first().cloned();
            s.rate_cards.extend(first.or_else(|| {
                Some(RateCardSpec::new(
                    "x",
                    s.start.unwrap_or(t0),
                    Interval::Monthly,
                    1,
                ))
            }));
            if s.rate_cards.len() == 1 {
                s.rate_cards.push(RateCardSpec::new(
                    "x",
                    s.start.unwrap_or(t0),
                    Interval::Monthly,
                    1,
                ));
            }
        }
        k => {
            let mut c = s.rate_cards.pop().unwrap_or_else(|| {
                RateCardSpec::new("extra", s.start.unwrap_or(t0), Interval::Monthly, 100)
            });
            break_card(&mut c, k - 16, s.start, s.end);
            s.rate_cards.push(c);
        }
    }
}

// ---------------------------------------------------------------- the model's checks

pub fn policy_errors(p: &Policy, e: &mut Set) {
    let mut seen = BTreeSet::new();
    for &d in &p.reminders {
        if d > MAX_REMINDER_DAYS {
            e.insert("ReminderTooFar");
        }
        if !seen.insert(d) {
            e.insert("DuplicateReminder");
        }
    }
    if p.max_lines_per_tick == 0 {
        e.insert("NoLinesPerTick");
    }
}

fn amount(v: i64, e: &mut Set) {
    if v.unsigned_abs() > MAX.unsigned_abs() {
        e.insert("AmountOutOfRange");
    }
}

fn rate(r: Option<Rate>, e: &mut Set) {
    if r.is_some_and(|r| r.0 > 10_000) {
        e.insert("TaxRateOutOfRange");
    }
}

pub fn asset_errors(a: &CoveredAsset, e: &mut Set) {
    if blank(&a.id) {
        e.insert("EmptyName");
    }
    for v in [a.cost, a.residual] {
        if v < 0 {
            e.insert("NegativeValue");
        }
        amount(v, e);
    }
}

/// A rate card against the contract's term and what it covers now.
pub fn card_errors(
    c: &RateCardSpec,
    start: Option<D>,
    end: Option<D>,
    assets: &[&str],
    users: &[UserId],
    e: &mut Set,
) {
    if blank(&c.name) {
        e.insert("EmptyName");
    }
    if c.end.is_some_and(|x| x < c.start) {
        e.insert("EndBeforeStart");
    }
    if start.is_some_and(|s| c.start < s) {
        e.insert("CardBeforeContract");
    }
    if let (Some(x), Some(ce)) = (c.end, end) {
        if x > ce {
            e.insert("CardAfterContract");
        }
    }
    // A card may not start after the contract's end.
    if end.is_some_and(|ce| c.start > ce) {
        e.insert("CardAfterContract");
    }
    amount(c.base_cost, e);
    rate(c.sales_tax, e);
    let (wants_assets, wants_users) = match c.distribute {
        Distribute::PerAsset | Distribute::AssetCost | Distribute::AssetResidual => (true, false),
        Distribute::PerUser => (false, true),
        _ => (false, false),
    };
    if wants_assets && c.assets.is_empty() || wants_users && c.users.is_empty() {
        e.insert("NothingToDistribute");
    }
    if !wants_assets && !c.assets.is_empty() || !wants_users && !c.users.is_empty() {
        e.insert("UnusedCoverage");
    }
    let mut seen = BTreeSet::new();
    for a in &c.assets {
        if !assets.contains(&a.as_str()) {
            e.insert("CardAssetNotCovered");
        }
        if !seen.insert(a.as_str()) {
            e.insert("DuplicateAsset");
        }
    }
    let mut seen = BTreeSet::new();
    for u in &c.users {
        if !users.contains(u) {
            e.insert("CardUserNotCovered");
        }
        if !seen.insert(*u) {
            e.insert("DuplicateUser");
        }
    }
}

pub fn spec_errors(s: &ContractSpec, e: &mut Set) {
    if blank(&s.number) {
        e.insert("EmptyNumber");
    }
    if let (Some(a), Some(b)) = (s.start, s.end) {
        if b < a {
            e.insert("EndBeforeStart");
        }
    }
    if matches!(s.model, Model::PurchaseAgreement | Model::Nda)
        && (s.vendor.as_deref().is_none_or(blank) || s.start.is_none() || s.end.is_none())
    {
        e.insert("MissingForModel");
    }
    if let Some(d) = s.discount {
        if s.model != Model::PurchaseAgreement {
            e.insert("DiscountNotPurchaseAgreement");
        }
        if d > 99 {
            e.insert("DiscountOutOfRange");
        }
    }
    amount(s.payment_amount, e);
    rate(s.sales_tax, e);
    if s.assets.len() > MAX_COVERED || s.users.len() > MAX_COVERED {
        e.insert("TooMany");
    }
    if s.rate_cards.len() > MAX_RATE_CARDS {
        e.insert("TooMany");
    }
    let mut ids = BTreeSet::new();
    for a in &s.assets {
        asset_errors(a, e);
        if !ids.insert(a.id.as_str()) {
            e.insert("DuplicateAsset");
        }
    }
    let mut users = BTreeSet::new();
    for u in &s.users {
        if !users.insert(*u) {
            e.insert("DuplicateUser");
        }
    }
    let ids: Vec<&str> = ids.into_iter().collect();
    let users: Vec<UserId> = users.into_iter().collect();
    let mut names = BTreeSet::new();
    for c in &s.rate_cards {
        card_errors(c, s.start, s.end, &ids, &users, e);
        if !names.insert(c.name.as_str()) {
            e.insert("DuplicateCard");
        }
    }
}
