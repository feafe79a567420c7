//! The portfolio and its users' scripts, generated from a seed.

use super::*;

/// One command of the workload: the day (from the first), the contract, the actor.
#[derive(Clone)]
pub(super) struct Op {
    pub(super) day: i64,
    pub(super) contract: u32,
    pub(super) actor: u8,
    pub(super) command: Command,
}

const MODELS: [Model; 9] = [
    Model::Lease,
    Model::Maintenance,
    Model::Warranty,
    Model::Service,
    Model::SoftwareLicense,
    Model::Subscription,
    Model::PurchaseAgreement,
    Model::Nda,
    Model::Other,
];

const INTERVALS: [Interval; 6] = [
    Interval::Daily,
    Interval::Weekly,
    Interval::Monthly,
    Interval::Quarterly,
    Interval::SemiAnnually,
    Interval::Annually,
];

/// A uniform pick from `items` (`fallback` for an empty slice).
fn pick<T: Copy>(rng: &mut Rng, items: &[T], fallback: T) -> T {
    items
        .get(rng.index(items.len()))
        .copied()
        .unwrap_or(fallback)
}

fn interval(rng: &mut Rng) -> Interval {
    match rng.below(100) {
        0 => Interval::Daily,
        1..10 => Interval::Weekly,
        10..60 => Interval::Monthly,
        60..80 => Interval::Quarterly,
        80..90 => Interval::SemiAnnually,
        _ => Interval::Annually,
    }
}

fn rate(rng: &mut Rng, max: u32) -> Rate {
    // Whole percents half the time, hundredths of a percent otherwise (8.25 %).
    if rng.percent(50) {
        Rate(100 * rng.between_u32(0, max / 100))
    } else {
        Rate(rng.between_u32(0, max))
    }
}

fn asset(rng: &mut Rng, id: String) -> CoveredAsset {
    let cost = if rng.percent(3) {
        0
    } else {
        rng.log_uniform(100, 5_000_000)
    };
    let residual = cost * i64::try_from(rng.below(101)).unwrap_or(0) / 100;
    CoveredAsset::new(id, cost, residual)
}

/// A card of `name` from `start` (an offset) to at most `end`, over some of `assets` or
/// `users`.
fn card(
    rng: &mut Rng,
    base: NaiveDate,
    name: String,
    start: i64,
    end: Option<i64>,
    assets: &[String],
    users: &[UserId],
) -> RateCardSpec {
    let cost = if rng.percent(3) {
        -rng.between(1, 50_000)
    } else {
        rng.between(100, 200_000)
    };
    let mut card = RateCardSpec::new(name, shift(base, start), interval(rng), cost);
    if rng.percent(40) {
        let mut until = start + rng.between(0, 400);
        if let Some(end) = end {
            until = until.min(end);
        }
        card = card.until(shift(base, until.max(start)));
    }
    if rng.percent(60) {
        card = card.taxed(rate(rng, 2_000));
    }
    let roll = rng.below(100);
    if !assets.is_empty() && roll < 45 {
        let how = match roll % 3 {
            0 => Distribute::PerAsset,
            1 => Distribute::AssetCost,
            _ => Distribute::AssetResidual,
        };
        let mut some: Vec<String> = assets.iter().filter(|_| rng.percent(70)).cloned().collect();
        if some.is_empty() {
            some.extend(assets.first().cloned());
        }
        card = card.over_assets(how, some);
    } else if !users.is_empty() && roll < 60 {
        let mut some: Vec<UserId> = users.iter().copied().filter(|_| rng.percent(70)).collect();
        if some.is_empty() {
            some.extend(users.first().copied());
        }
        card = card.over_users(some);
    }
    if rng.percent(50) {
        card.summary = Some(pick(
            rng,
            &[Summary::Grow, Summary::Run, Summary::Transform],
            Summary::Run,
        ));
    }
    card
}

/// One contract's spec and its users' script, appended to `ops`.
#[allow(clippy::too_many_lines)] // one script, read top to bottom
fn contract_script(rng: &mut Rng, k: u64, days: i64, base: NaiveDate, ops: &mut Vec<Op>) {
    let contract = u32::try_from(k).unwrap_or(u32::MAX);
    let mut push = |day: i64, actor: u8, command: Command| {
        ops.push(Op {
            day,
            contract,
            actor,
            command,
        });
    };
    let at = |day: i64| shift(base, day);
    let created = rng.between(0, days * 6 / 10);
    let model = pick(rng, &MODELS, Model::Other);
    let needs = model.needs_vendor_and_dates();
    let start = if !needs && rng.percent(5) {
        None
    } else {
        Some(created + rng.between(-240, 90))
    };
    let anchor = start.unwrap_or(created);
    let end = if !needs && rng.percent(10) {
        None
    } else {
        Some(anchor + rng.between(20, 900))
    };
    let mut spec = ContractSpec::new(format!("CN-{k:06}"), model, start.map(at), end.map(at));
    if needs || rng.percent(60) {
        spec = spec.vendor(format!("vendor-{}", rng.below(400)));
    }
    if model == Model::PurchaseAgreement && rng.percent(50) {
        spec.discount = u8::try_from(rng.below(100)).ok();
    }
    if rng.percent(80) {
        spec = spec.administrator(UserId::from_u128(200 + u128::from(rng.below(50))));
    }
    let who = rng.below(APPROVERS);
    if rng.percent(96) {
        spec = spec.approver(approver_user(who));
    }
    spec = spec.payment(rng.between(0, 5_000_000));
    if rng.percent(50) {
        spec.payment_schedule = Some(pick(rng, &INTERVALS, Interval::Monthly));
    }
    if rng.percent(70) {
        spec.sales_tax = Some(rate(rng, 2_500));
    }
    let mut asset_ids = Vec::new();
    for j in 0..rng.below(21) {
        let id = format!("c{k}-a{j}");
        asset_ids.push(id.clone());
        spec = spec.asset(asset(rng, id));
    }
    let mut users = Vec::new();
    if rng.percent(40) {
        for j in 0..=rng.below(5) {
            let user = UserId::from_u128(1_000_000 + u128::from(k) * 8 + u128::from(j));
            users.push(user);
            spec = spec.user(user);
        }
    }
    let mut cards = Vec::new();
    for i in 0..rng.below(4) {
        let mut from = anchor + rng.between(0, 60);
        if let Some(end) = end {
            from = from.min(end);
        }
        let c = card(
            rng,
            base,
            format!("card-{i}"),
            from,
            end,
            &asset_ids,
            &users,
        );
        cards.push(c.name.clone());
        spec = spec.rate_card(c);
    }
    // One spec in two hundred breaks a rule.
    if rng.below(200) == 0 {
        match rng.below(4) {
            0 => {
                spec.discount = Some(if model == Model::PurchaseAgreement {
                    150
                } else {
                    10
                })
            }
            1 => spec.number = " ".to_owned(),
            2 => {
                if let Some(a) = spec.assets.first_mut() {
                    a.cost = -1;
                } else {
                    spec.sales_tax = Some(Rate(10_001));
                }
            }
            _ => {
                if let (Some(s), Some(_)) = (start, end) {
                    spec.end = Some(at(s - 1));
                } else {
                    spec.number = String::new();
                }
            }
        }
    }
    let no_approver = spec.approver.is_none();
    push(
        created,
        MANAGER,
        Command::create(ContractId::from_u128(u128::from(k) + 1), spec),
    );
    let approver = approver_actor(who);
    let edit_end = |e: &mut Edit| match end {
        Some(end) => e.end = Some(at(end + 30)),
        None => e.administrator = Some(UserId::from_u128(250)),
    };
    if rng.percent(8) {
        let mut edit = Edit::default();
        match rng.below(3) {
            0 => edit.payment_amount = Some(rng.between(0, 5_000_000)),
            1 => edit_end(&mut edit),
            _ => edit.approver = Some(approver_user(who)),
        }
        push(created, MANAGER, Command::Edit { edit });
    }
    let mut t = created + rng.between(0, 3);
    let named = (no_approver && rng.percent(70)).then(|| approver_user(who));
    push(t, MANAGER, Command::Submit { approver: named });
    t += rng.between(1, 10);
    let reject = |why: &str| Command::Reject {
        comments: why.to_owned(),
    };
    let approved = match rng.below(100) {
        0..8 => {
            push(t, approver, reject("the price is too high"));
            let mut edit = Edit::default();
            edit_end(&mut edit);
            push(t + 1, MANAGER, Command::Edit { edit });
            push(t + 2, MANAGER, Command::Submit { approver: None });
            let a = t + 3 + rng.between(0, 4);
            push(a, approver, Command::Approve);
            Some(a)
        }
        8..11 => {
            push(t, approver_actor(who + 1), Command::Approve);
            push(t + 1, approver, Command::Approve);
            Some(t + 1)
        }
        11..14 => None,
        _ => {
            push(t, approver, Command::Approve);
            Some(t)
        }
    };
    let Some(a) = approved else {
        if rng.percent(30) {
            // A stale screen: a renewal asked of a draft.
            let (s, e) = (t + 400, t + 800);
            push(
                t + 5,
                MANAGER,
                Command::Renew {
                    renewal: Renewal::new(at(s), at(e)),
                },
            );
        }
        return;
    };

    // Renewals.
    if let Some(e) = end {
        if rng.percent(30) {
            let r = (a + 1).max(e - rng.between(0, 100));
            let rs = if rng.percent(90) {
                e + 1
            } else {
                e + rng.between(2, 40)
            };
            let re = rs + rng.between(180, 730);
            let mut renewal = Renewal::new(at(rs), at(re));
            match rng.below(100) {
                0..45 => {
                    renewal =
                        renewal.percent(i32::try_from(rng.between(-1_000, 1_500)).unwrap_or(0));
                }
                45..80 => renewal = renewal.amount(rng.between(-20_000, 100_000)),
                80 => renewal = renewal.percent(300).amount(1_000),
                _ => {}
            }
            let saved = rng.percent(20);
            if saved {
                renewal = renewal.saved();
            }
            push(r, MANAGER, Command::Renew { renewal });
            let mut s = r;
            if saved {
                s = r + rng.between(1, 3);
                push(s, MANAGER, Command::Submit { approver: None });
            }
            let d = s + rng.between(0, 15);
            if rng.percent(90) {
                push(d, approver, Command::Approve);
                if rng.percent(30) {
                    let r2 = (d + 1).max(re - rng.between(0, 60));
                    let again = Renewal::new(at(re + 1), at(re + 365)).percent(300);
                    push(r2, MANAGER, Command::Renew { renewal: again });
                    push(r2 + rng.between(0, 9), approver, Command::Approve);
                }
            } else {
                push(d, approver, reject("renegotiate"));
            }
        }
    }
    // Extensions.
    if let Some(e) = end {
        if rng.percent(12) {
            let x = (a + 1).max(e - rng.between(-40, 60));
            let new_end = e + rng.between(1, 200);
            let submit = rng.percent(85);
            push(
                x,
                MANAGER,
                Command::Extend {
                    end: at(new_end),
                    approver: None,
                    submit,
                },
            );
            let mut s = x;
            if !submit {
                s = x + rng.between(1, 3);
                push(s, MANAGER, Command::Submit { approver: None });
            }
            let decision = if rng.percent(90) {
                Command::Approve
            } else {
                reject("not needed")
            };
            push(s + rng.between(0, 9), approver, decision);
        }
    }
    // Adjustments.
    if rng.percent(6) {
        let day = a + rng.between(1, 200);
        let (mut new_start, mut new_end, mut payment) = (None, None, None);
        match rng.below(3) {
            0 => match end {
                Some(e) => new_end = Some(at(e + rng.between(-60, 120))),
                None => new_start = Some(at(anchor + rng.between(1, 30))),
            },
            1 => payment = Some(rng.between(0, 5_000_000)),
            _ => new_start = Some(at(anchor + rng.between(1, 30))),
        }
        push(
            day,
            MANAGER,
            Command::Adjust {
                start: new_start,
                end: new_end,
                payment_amount: payment,
            },
        );
    }
    // Cancellations.
    if rng.percent(5) {
        push(a + rng.between(0, 400), MANAGER, Command::Cancel);
    }
    // Coverage.
    let mut extra = Vec::new();
    if rng.percent(12) {
        for j in 0..rng.between(1, 3) {
            let id = format!("c{k}-x{j}");
            extra.push(id.clone());
            let covered = asset(rng, id);
            push(
                a + rng.between(0, 300),
                MANAGER,
                Command::Cover { asset: covered },
            );
        }
    }
    if rng.percent(10) {
        let pool: Vec<&String> = asset_ids.iter().chain(&extra).collect();
        if let Some(id) = pool.get(rng.index(pool.len())) {
            push(
                a + rng.between(0, 300),
                MANAGER,
                Command::Uncover {
                    asset: (*id).clone(),
                },
            );
        }
    }
    if rng.percent(4) {
        let user = UserId::from_u128(1_000_000 + u128::from(k) * 8 + 7);
        users.push(user);
        push(a + rng.between(0, 300), MANAGER, Command::AddUser { user });
    }
    if rng.percent(3) {
        if let Some(&user) = users.get(rng.index(users.len())) {
            push(
                a + rng.between(0, 300),
                MANAGER,
                Command::RemoveUser { user },
            );
        }
    }
    // Rate cards added and deactivated.
    if rng.percent(8) {
        let day = a + rng.between(0, 200);
        let from = day + rng.between(0, 30);
        let c = card(
            rng,
            base,
            "extra-0".to_owned(),
            from,
            end,
            &asset_ids,
            &users,
        );
        cards.push(c.name.clone());
        let by = if rng.percent(50) { FINANCE } else { MANAGER };
        push(day, by, Command::AddRateCard { card: Box::new(c) });
    }
    if rng.percent(5) {
        if let Some(name) = cards.get(rng.index(cards.len())) {
            push(
                a + rng.between(0, 300),
                FINANCE,
                Command::DeactivateRateCard { card: name.clone() },
            );
        }
    }
    // A stale approval.
    if rng.percent(3) {
        push(a + rng.between(0, 400), approver, Command::Approve);
    }
}

pub(super) fn workload(seed: u64, sizes: &Sizes, base: NaiveDate) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    let days = i64::from(sizes.days);
    let mut ops = Vec::new();
    for k in 0..sizes.contracts {
        contract_script(&mut rng, k, days, base, &mut ops);
    }
    ops.retain(|o| (0..days).contains(&o.day));
    // Stable: a contract's commands of one day stay in their script's order.
    ops.sort_by_key(|o| o.day);
    ops
}

// ---------------------------------------------------------------------------------------
// The host.
