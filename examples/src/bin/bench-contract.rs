//! Contract management's throughput: a portfolio of 100,000 contracts driven day by day
//! through two simulated years by `itsm_contract::decide`, `State::apply` and
//! `next_deadline`, against the plain Python a user would otherwise write
//! (`examples/bench/contract_run.py`, standard library only, the same rules of
//! `docs/contract.md` for the same commands: there is no Python library for contract
//! lifecycles), in one run, with the ratio.
//!
//! The portfolio is generated deterministically (a seeded xorshift): every model, start dates
//! from eight months before the contract is created to three months after (one in twenty
//! none), end dates three weeks to two and a half years after (one in ten open-ended), 0 to
//! 20 covered assets with costs and residual costs, users on two contracts in five, 0 to 3
//! rate cards of every interval (mostly monthly, one in a hundred daily) charging the
//! contract, evenly per asset, by the assets' cost or residual cost, or per user, with taxes
//! in hundredths of a percent (a few cards are credits), one spec in two hundred invalid.
//! Each contract gets the script its users would follow, blind to how the rules answer:
//! created, sometimes edited, submitted, approved (or rejected, edited, resubmitted and
//! approved; a few approved first by the wrong approver; a few left under review), then
//! renewals with percentage or amount adjustments (saved or submitted, approved or
//! rejected, some chained), extensions, adjustments, cancellations, assets and users covered
//! and uncovered, rate cards added and deactivated, and some stale approvals. Commands the
//! rules refuse are refused by both sides.
//!
//! The host runs the days in order: each day the users' commands of that day, then the
//! daily job (`Command::Tick`) for every contract whose `next_deadline` has come, kept in a
//! `BTreeMap` of due days (a contract is ticked again at once while its deadline is today,
//! as `max_lines_per_tick` asks; the policy allows 500 lines a tick, so that catch-ups take
//! several). Both sides print a summary (ticks, ticks without events, ticks due today that
//! did nothing, commands accepted and refused, events by type, expense lines, charges of a
//! card split over assets or users that went to the contract, total lifetime cost, total
//! cost, tax cost, payment amount shown, cost per asset and projections summed, contracts per
//! expiration level and per final status); the two must agree (`mismatches: 0`). The Rust side also prints its refusals by
//! command and error (an adjustment of the end date or the payment amount alone is counted
//! apart).
//!
//! Also timed at scale, each a median of several runs at 100,000 and 1,000,000 (10,000 and
//! 100,000 with `--quick`), with the growth exponent between them (log of the time ratio over
//! log of the size ratio; 1.0 is linear, 0 constant):
//! - `tick_by_value`: one tick charging a monthly card split by value over N covered assets
//!   (N expense lines), and `apply_by_value`, its events folded;
//! - `tick_daily_span`: one tick charging a daily card over N days (N charges; the policy's
//!   `max_lines_per_tick` is N), `apply_daily_span`, and `catch_up`: the same span with at
//!   most 10,000 lines a tick, the host ticking again while `next_deadline` is today;
//! - `tick_to_contract`: one tick charging a card to the contract (one line) on a contract
//!   covering N assets;
//! - `create`: a contract covering N assets created (checked and folded);
//! - the queries on a contract covering N assets: `cost_per_asset`, `projected`,
//!   `total_cost`, `covered_assets`, `assets_on`, `next_deadline`, `expiration_level`;
//! - single commands on a contract already covering N assets (or N users): `cover`,
//!   `uncover` (the last asset), `apply_uncovered`, `add_user`, `add_rate_card` (a card over
//!   all N assets);
//! - deep: `renew` and `next_deadline` on a contract renewed N/10 times (its history).
//!
//! A single pass over the coverage (`covered_assets`) is the yardstick: between these sizes
//! it grows faster than 1 (the smaller size fits in the last-level cache, the larger does
//! not), so a case is called slower than linear only when it grows clearly faster than the
//! yardstick; the single commands and one-line ticks whose time grows with N are listed
//! apart (a host covering N assets one command at a time does O(N²) work).
//!
//! What is measured: the whole simulation in milliseconds on the wall clock and on the
//! thread's CPU (`/proc/thread-self/schedstat`), the median of [`Sizes::reps`] runs (the
//! peer: [`Sizes::py_reps`]). The peer runs in the benchmarks' virtual environment under
//! the Cargo target folder (made with `python3 -m venv` if missing; no package installed).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-contract` (about five minutes;
//! `--quick` for a smoke run of ten seconds, `--no-python` skips the peer, `--scale-only`
//! runs only the runs at scale, `--workload-only` stops after the main workload).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use itsm_contract::chrono::{Datelike, Days, NaiveDate};
use itsm_contract::{
    Actor, Command, Context, ContractId, ContractSpec, CoveredAsset, Distribute, Edit, Event,
    Interval, Model, Policy, Rate, RateCardSpec, Renewal, Role, State, Status, Summary, UserId,
    decide, next_deadline,
};
use itsm_examples::bench::{
    Args, Opt, Rng, clock_in_use, cpus_visible, load_average, median_min_max, memory_latency,
    peak_mb, python_script, python_venv, run_lines, target_dir, thread_cpu_ns, usage,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// What one run measures: full or `--quick`.
struct Sizes {
    /// Contracts in the portfolio.
    contracts: u64,
    /// Days simulated.
    days: u32,
    /// Runs of the simulation (odd: the median is one run), and the peer's.
    reps: usize,
    py_reps: usize,
    /// The sizes of the scale runs (the growth is between them), and their runs.
    scale: [u64; 2],
    scale_reps: usize,
}

const FULL: Sizes = Sizes {
    contracts: 100_000,
    days: 730,
    reps: 5,
    py_reps: 3,
    scale: [100_000, 1_000_000],
    scale_reps: 5,
};

const QUICK: Sizes = Sizes {
    contracts: 5_000,
    days: 365,
    reps: 1,
    py_reps: 1,
    scale: [10_000, 100_000],
    scale_reps: 3,
};

/// The most expense lines one tick generates in the portfolio (small enough that the
/// catch-up of a backdated contract with a daily card over many assets takes several).
const LINES_PER_TICK: u32 = 500;
/// The lines a tick of the `catch_up` scale run generates.
const CATCH_UP_LINES: u32 = 10_000;
/// The simulation's first day.
const BASE: (i32, u32, u32) = (2026, 1, 1);

// The actors: a contract manager, a finance user, the host's system account for the job,
// and twenty approvers (each a contract manager too).
const MANAGER: u8 = 0;
const FINANCE: u8 = 1;
const SYSTEM: u8 = 2;
const APPROVERS: u64 = 20;

fn approver_actor(i: u64) -> u8 {
    u8::try_from(3 + i % APPROVERS).unwrap_or(3)
}

fn approver_user(i: u64) -> UserId {
    UserId::from_u128(100 + u128::from(i % APPROVERS))
}

fn actors() -> Res<Vec<Actor>> {
    let manager = Role::new("contract_manager")?;
    let mut out = vec![
        Actor::new(UserId::from_u128(1), [manager.clone()]),
        Actor::new(UserId::from_u128(2), [Role::new("financial_mgmt_user")?]),
        Actor::new(UserId::from_u128(3), []),
    ];
    for i in 0..APPROVERS {
        out.push(Actor::new(approver_user(i), [manager.clone()]));
    }
    Ok(out)
}

fn base() -> Res<NaiveDate> {
    NaiveDate::from_ymd_opt(BASE.0, BASE.1, BASE.2).ok_or_else(|| "no base date".into())
}

/// `base` moved by `days` (either sign).
fn shift(base: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        base.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        base.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(base)
}

// ---------------------------------------------------------------------------------------
// The workload: the portfolio and its users' commands.

/// One command of the workload: the day (from the first), the contract, the actor.
#[derive(Clone)]
struct Op {
    day: i64,
    contract: u32,
    actor: u8,
    command: Command,
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

fn workload(seed: u64, sizes: &Sizes, base: NaiveDate) -> Vec<Op> {
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

/// Every event type, in the order the summaries list them.
const EVENTS: [&str; 21] = [
    "created",
    "edited",
    "requested",
    "submitted",
    "approved",
    "rejected",
    "activated",
    "renewed",
    "extended",
    "adjusted",
    "expired",
    "canceled",
    "reminded",
    "charged",
    "passed",
    "covered",
    "uncovered",
    "user_added",
    "user_removed",
    "rate_card_added",
    "rate_card_deactivated",
];

fn event_index(e: &Event) -> usize {
    match e {
        Event::Created { .. } => 0,
        Event::Edited { .. } => 1,
        Event::Requested { .. } => 2,
        Event::Submitted { .. } => 3,
        Event::Approved { .. } => 4,
        Event::Rejected { .. } => 5,
        Event::Activated { .. } => 6,
        Event::Renewed { .. } => 7,
        Event::Extended { .. } => 8,
        Event::Adjusted { .. } => 9,
        Event::Expired { .. } => 10,
        Event::Canceled { .. } => 11,
        Event::Reminded { .. } => 12,
        Event::Charged { .. } => 13,
        Event::Passed { .. } => 14,
        Event::Covered { .. } => 15,
        Event::Uncovered { .. } => 16,
        Event::UserAdded { .. } => 17,
        Event::UserRemoved { .. } => 18,
        Event::RateCardAdded { .. } => 19,
        Event::RateCardDeactivated { .. } => 20,
        _ => EVENTS.len(),
    }
}

#[derive(Default, Clone, Debug)]
struct Tally {
    ticks: u64,
    idle: u64,
    stuck: u64,
    accepted: u64,
    refused: u64,
    by_type: [u64; EVENTS.len() + 1],
    /// Charges of a card split over assets or users that went to the contract (none of them
    /// covered on the charge date).
    fallbacks: u64,
    /// The refused commands (their command's name) and why, for the breakdown.
    refusals: Vec<(&'static str, itsm_contract::Error)>,
}

impl Tally {
    /// Counts `events` by type (before they are folded into `state`).
    fn count(&mut self, state: &State, events: &[Event]) {
        for e in events {
            if let Some(n) = self.by_type.get_mut(event_index(e)) {
                *n += 1;
            }
            if let Event::Charged { card, lines, .. } = e {
                let split = state
                    .contract()
                    .and_then(|c| c.rate_cards.get(*card as usize))
                    .is_some_and(|c| c.spec.distribute != Distribute::Contract);
                if split
                    && matches!(&lines[..], [line] if line.asset.is_none() && line.user.is_none())
                {
                    self.fallbacks += 1;
                }
            }
        }
    }
}

/// The due days: each contract's next tick, kept once (a stale entry is skipped).
struct Due {
    at: Vec<Option<NaiveDate>>,
    days: BTreeMap<NaiveDate, Vec<u32>>,
}

impl Due {
    fn new(n: usize) -> Self {
        Due {
            at: vec![None; n],
            days: BTreeMap::new(),
        }
    }

    fn set(&mut self, k: u32, day: Option<NaiveDate>) {
        let Some(slot) = self.at.get_mut(k as usize) else {
            return;
        };
        if *slot != day {
            *slot = day;
            if let Some(day) = day {
                self.days.entry(day).or_default().push(k);
            }
        }
    }
}

/// The daily job for contract `k` on `today`, again while its deadline is today.
fn tick(
    state: &mut State,
    k: u32,
    today: NaiveDate,
    ctx: &Context<'_>,
    due: &mut Due,
    tally: &mut Tally,
) -> Res<()> {
    loop {
        tally.ticks += 1;
        let events = decide(state, &Command::Tick, ctx)?;
        tally.count(state, &events);
        state.apply(&events);
        match next_deadline(state, ctx.policy) {
            Some(next) if next <= today => {
                if events.is_empty() {
                    // Due today and nothing to do: a deadline the job does not honour.
                    tally.stuck += 1;
                    due.set(k, today.succ_opt());
                    return Ok(());
                }
            }
            next => {
                if events.is_empty() {
                    tally.idle += 1;
                }
                due.set(k, next);
                return Ok(());
            }
        }
    }
}

/// The days in order: the users' commands, then the job for the contracts due.
fn simulate(
    ops: &[Op],
    contracts: usize,
    days: u32,
    base: NaiveDate,
    actors: &[Actor],
    policy: &Policy,
) -> Res<(Tally, Vec<State>)> {
    let mut states = vec![State::new(); contracts];
    let mut due = Due::new(contracts);
    let mut tally = Tally::default();
    let system = actors.get(usize::from(SYSTEM)).ok_or("no system actor")?;
    let mut next = 0;
    for d in 0..days {
        let today = shift(base, i64::from(d));
        while let Some(op) = ops.get(next).filter(|o| o.day == i64::from(d)) {
            next += 1;
            let actor = actors.get(usize::from(op.actor)).ok_or("no actor")?;
            let state = states
                .get_mut(op.contract as usize)
                .ok_or("no such contract")?;
            match decide(state, &op.command, &Context::new(today, actor, policy)) {
                Ok(events) => {
                    tally.accepted += 1;
                    tally.count(state, &events);
                    state.apply(&events);
                    let next = next_deadline(state, policy).map(|n| n.max(today));
                    due.set(op.contract, next);
                }
                Err(e) => {
                    tally.refused += 1;
                    let name = match &op.command {
                        // The start unchanged: refused only for what the start already was.
                        Command::Adjust { start: None, .. } => "adjust(end/payment only)",
                        c => c.name(),
                    };
                    tally.refusals.push((name, e));
                }
            }
        }
        let ctx = Context::new(today, system, policy);
        while let Some(entry) = due.days.first_entry() {
            if *entry.key() > today {
                break;
            }
            let (day, list) = entry.remove_entry();
            for k in list {
                if due.at.get(k as usize).copied().flatten() != Some(day) {
                    continue;
                }
                if let Some(slot) = due.at.get_mut(k as usize) {
                    *slot = None;
                }
                let state = states.get_mut(k as usize).ok_or("no such contract")?;
                tick(state, k, today, &ctx, &mut due, &mut tally)?;
            }
        }
    }
    Ok((tally, states))
}

/// The refusals by command and error variant, the most frequent first.
fn refusals(t: &Tally) -> String {
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for (command, e) in &t.refusals {
        let debug = format!("{e:?}");
        let variant = debug
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("")
            .to_owned();
        *by.entry(format!("{command} {variant}")).or_default() += 1;
    }
    let mut list: Vec<(String, usize)> = by.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    list.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe(t: &Tally, states: &[State], last_day: NaiveDate, policy: &Policy) -> String {
    let mut by_status = [0u64; 4];
    let mut levels: BTreeMap<u32, u64> = policy.reminders.iter().map(|&d| (d, 0)).collect();
    let (mut lines, mut lifetime, mut total, mut taxes, mut shown) =
        (0u64, 0i128, 0i128, 0i128, 0i128);
    let (mut annual, mut monthly, mut per_asset) = (0i128, 0i128, 0i128);
    for c in states.iter().filter_map(State::contract) {
        let k = match c.status {
            Status::Draft => 0,
            Status::Active => 1,
            Status::Expired => 2,
            _ => 3,
        };
        if let Some(n) = by_status.get_mut(k) {
            *n += 1;
        }
        lines += c.lines;
        lifetime += i128::from(c.lifetime_cost);
        total += i128::from(c.total_cost());
        taxes += i128::from(c.tax_cost());
        shown += i128::from(c.shown_payment_amount());
        let p = c.projected();
        annual += i128::from(p.annual);
        monthly += i128::from(p.monthly);
        per_asset += i128::from(c.cost_per_asset().unwrap_or(0));
        if let Some(level) = c.expiration_level(last_day, &policy.reminders) {
            *levels.entry(level).or_default() += 1;
        }
    }
    let mut out = format!(
        "ticks {} idle_ticks {} stuck_ticks {} accepted {} refused {} events {}",
        t.ticks,
        t.idle,
        t.stuck,
        t.accepted,
        t.refused,
        t.by_type.iter().sum::<u64>()
    );
    for (name, n) in EVENTS.iter().zip(&t.by_type) {
        out.push_str(&format!(" {name} {n}"));
    }
    out.push_str(&format!(
        " lines {lines} fallback_charges {} lifetime_cost {lifetime} total_cost {total} \
         tax_cost {taxes} payment_shown {shown} projected_annual {annual} \
         projected_monthly {monthly} cost_per_asset {per_asset}",
        t.fallbacks
    ));
    for (level, n) in levels.iter().rev() {
        out.push_str(&format!(" level_{level} {n}"));
    }
    let [d, a, e, c] = by_status;
    out.push_str(&format!(" draft {d} active {a} expired {e} canceled {c}"));
    out
}

// ---------------------------------------------------------------------------------------
// The peer.

/// The workload as the peer reads it: a header (the first day, the days, the policy and the
/// actors in the crate's JSON), then one line per command: its day, contract and actor, a
/// tab each, and the command in the crate's JSON.
fn write_input(
    dir: &Path,
    ops: &[Op],
    sizes: &Sizes,
    base: NaiveDate,
    actors: &[Actor],
    policy: &Policy,
) -> Res<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("workload.tsv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let header = serde_json::json!({
        "start": base,
        "days": sizes.days,
        "contracts": sizes.contracts,
        "policy": policy,
        "actors": actors,
    });
    writeln!(out, "{header}")?;
    for op in ops {
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            op.day,
            op.contract,
            op.actor,
            serde_json::to_string(&op.command)?
        )?;
    }
    out.flush()?;
    Ok(path)
}

/// `key value` pairs of a summary.
fn pairs(summary: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = summary.split_whitespace().collect();
    words
        .chunks(2)
        .map(|w| {
            (
                w.first().copied().unwrap_or("").to_owned(),
                w.get(1).copied().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// Runs the peer; prints its lines, the mismatches and the ratio.
fn peer(path: &Path, reps: usize, ours: &str, rust_ms: f64, rust_cpu_ms: f64) -> Res<()> {
    let python = match python_venv() {
        Ok(p) => p,
        Err(why) => {
            println!("python peer: skipped ({why})");
            return Ok(());
        }
    };
    let mut cmd = python_script(&python, "contract_run.py");
    cmd.arg(path).arg(reps.to_string());
    let (mut theirs, mut theirs_cpu, mut summary) = (0.0, 0.0, None);
    let ran = run_lines(cmd, |l| {
        println!("{l}");
        if let Some(rest) = l.strip_prefix("python run ms: ") {
            theirs = rest
                .split_whitespace()
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0.0);
            theirs_cpu = rest
                .split_once("on CPU ")
                .and_then(|(_, c)| c.trim_end_matches(')').trim().parse().ok())
                .unwrap_or(0.0);
        }
        if let Some(s) = l.strip_prefix("python summary: ") {
            summary = Some(s.to_owned());
        }
        Ok(())
    });
    match (ran, summary) {
        (Err(e), _) => println!("python peer: failed ({e})"),
        (Ok(()), None) => println!("mismatches: 1 (the peer printed no summary)"),
        (Ok(()), Some(s)) => {
            let (a, b) = (pairs(ours), pairs(&s));
            let differ: Vec<String> = a
                .iter()
                .zip(&b)
                .filter(|(x, y)| x != y)
                .map(|((k, x), (k2, y))| format!("{k} {x} / python {k2} {y}"))
                .collect();
            if differ.is_empty() && a.len() == b.len() {
                println!("mismatches: 0");
            } else {
                println!(
                    "mismatches: {} ({})",
                    differ.len().max(1),
                    differ.join(", ")
                );
            }
            let ratio = |p: f64, r: f64| if r > 0.0 { p / r } else { 0.0 };
            println!(
                "ratio (python/rust): {:.1} (python {theirs:.0} ms / itsm-contract {rust_ms:.0} ms, medians; on CPU {:.1})",
                ratio(theirs, rust_ms),
                ratio(theirs_cpu, rust_cpu_ms)
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Scale.

/// `reps` runs of `run` on a fresh `prepare()` (not timed; dropped after the clock stops):
/// the median wall-clock and CPU milliseconds and the last run's answer.
fn timed<S, T>(
    reps: usize,
    mut prepare: impl FnMut() -> Res<S>,
    mut run: impl FnMut(&mut S) -> Res<T>,
) -> Res<(f64, f64, T)> {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..reps {
        let mut s = prepare()?;
        let cpu0 = thread_cpu_ns();
        let clock = Instant::now();
        let out = run(&mut s)?;
        walls.push(clock.elapsed().as_secs_f64() * 1e3);
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            cpus.push(b.saturating_sub(a) as f64 / 1e6);
        }
        drop(s);
        last = Some(out);
    }
    let med = |v: Vec<f64>| median_min_max(v).map_or(0.0, |m| m.0);
    Ok((med(walls), med(cpus), last.ok_or("no run")?))
}

/// The time of one call of a quick query, in milliseconds: calls repeated until a round
/// takes 20 ms, the median of `reps` rounds (no CPU figure: a round is too short for the
/// scheduler's clock).
fn per_call<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, f64, T) {
    let mut calls = 1u32;
    loop {
        let clock = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(f());
        }
        if clock.elapsed().as_secs_f64() >= 0.02 || calls >= 1 << 24 {
            break;
        }
        calls *= 2;
    }
    let mut times = Vec::new();
    for _ in 0..reps {
        let clock = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(f());
        }
        times.push(clock.elapsed().as_secs_f64() * 1e3 / f64::from(calls));
    }
    let ms = median_min_max(times).map_or(0.0, |m| m.0);
    (ms, 0.0, f())
}

/// Prints a case's line at each size and its growth; returns the growth.
fn grow(
    name: &str,
    what: &str,
    sizes: [u64; 2],
    mut case: impl FnMut(u64) -> Res<(f64, f64, String)>,
) -> Res<f64> {
    let mut times = Vec::new();
    for n in sizes {
        let (ms, cpu, detail) = case(n)?;
        let cpu = if cpu > 0.0 {
            format!("CPU {cpu:.3} ms; ")
        } else {
            String::new()
        };
        let shown = if ms < 0.01 {
            format!("{:.0} ns", ms * 1e6)
        } else if ms < 1.0 {
            format!("{:.1} us", ms * 1e3)
        } else {
            format!("{ms:.1} ms")
        };
        println!("scale {name} n={n}: {shown} ({cpu}{what}; {detail})");
        times.push(ms);
    }
    let growth = match times[..] {
        [a, b] if a > 0.0 && b > 0.0 => (b / a).ln() / (sizes[1] as f64 / sizes[0] as f64).ln(),
        _ => f64::NAN,
    };
    println!("growth {name}: {growth:.2}");
    Ok(growth)
}

/// A manager who is also the approver, and the system account.
struct Scale {
    who: Actor,
    system: Actor,
    policy: Policy,
}

impl Scale {
    fn run(&self, state: &mut State, today: NaiveDate, c: &Command) -> Res<Vec<Event>> {
        let actor = if matches!(c, Command::Tick) {
            &self.system
        } else {
            &self.who
        };
        let events = decide(state, c, &Context::new(today, actor, &self.policy))?;
        state.apply(&events);
        Ok(events)
    }

    /// `spec` created, submitted and approved on `today`.
    fn approved(&self, spec: ContractSpec, today: NaiveDate) -> Res<State> {
        let mut state = State::new();
        let spec = spec.approver(self.who.user);
        self.run(
            &mut state,
            today,
            &Command::create(ContractId::from_u128(1), spec),
        )?;
        self.run(&mut state, today, &Command::Submit { approver: None })?;
        self.run(&mut state, today, &Command::Approve)?;
        Ok(state)
    }
}

fn asset_ids(n: u64) -> Vec<String> {
    (0..n).map(|i| format!("asset-{i}")).collect()
}

/// A contract from `start` covering `n` assets with varied costs.
fn covering(n: u64, start: NaiveDate) -> ContractSpec {
    let mut spec = ContractSpec::new("BIG-1", Model::Maintenance, Some(start), None);
    spec.assets = asset_ids(n)
        .into_iter()
        .zip(0i64..)
        .map(|(id, i)| CoveredAsset::new(id, 1_000 + (i * 7_919) % 100_000, (i * 104_729) % 50_000))
        .collect();
    spec
}

#[allow(clippy::too_many_lines)] // one case after the other
fn scale_runs(sizes: &Sizes, who: &Actor) -> Res<Vec<(String, f64)>> {
    let reps = sizes.scale_reps;
    let s = Scale {
        who: who.clone(),
        system: Actor::new(UserId::from_u128(3), []),
        policy: Policy::servicenow(),
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("no date")?;
    let before = NaiveDate::from_ymd_opt(2025, 12, 1).ok_or("no date")?;
    let mut growths = Vec::new();

    // One tick splitting a monthly card by value over N assets.
    let mut by_value: BTreeMap<u64, (State, Vec<Event>)> = BTreeMap::new();
    let g = grow(
        "tick_by_value",
        "decide(Tick): a monthly card split by asset cost over N covered assets, N lines",
        sizes.scale,
        |n| {
            let card = RateCardSpec::new("support", start, Interval::Monthly, 123_456_789)
                .taxed(Rate(825))
                .over_assets(Distribute::AssetCost, asset_ids(n));
            let state = s.approved(covering(n, start).rate_card(card), before)?;
            let ctx_policy = &s.policy;
            let (ms, cpu, events) = timed(
                reps,
                || Ok(()),
                |_| {
                    Ok(decide(
                        &state,
                        &Command::Tick,
                        &Context::new(start, &s.system, ctx_policy),
                    )?)
                },
            )?;
            let (lines, sum) = events
                .iter()
                .find_map(|e| match e {
                    Event::Charged { lines, .. } => {
                        Some((lines.len(), lines.iter().map(|l| l.amount).sum::<i64>()))
                    }
                    _ => None,
                })
                .unwrap_or_default();
            let want = state
                .contract()
                .and_then(|c| c.rate_cards.first())
                .map_or(0, |c| c.spec.total_cost());
            if sum != want {
                return Err(format!("the lines add up to {sum}, not {want}").into());
            }
            by_value.insert(n, (state, events));
            Ok((ms, cpu, format!("{lines} lines adding up to {sum}")))
        },
    )?;
    growths.push(("tick_by_value".to_owned(), g));
    let g = grow(
        "apply_by_value",
        "State::apply of that tick's events (the clone before is not timed)",
        sizes.scale,
        |n| {
            let (state, events) = by_value.get(&n).ok_or("no state")?;
            let (ms, cpu, cost) = timed(
                reps,
                || Ok(state.clone()),
                |st| {
                    st.apply(events);
                    Ok(st.contract().map_or(0, |c| c.lifetime_cost))
                },
            )?;
            Ok((ms, cpu, format!("lifetime cost {cost}")))
        },
    )?;
    growths.push(("apply_by_value".to_owned(), g));

    // The queries on a contract covering N assets (after that tick).
    let queries: [(&str, &str); 7] = [
        (
            "cost_per_asset",
            "Contract::cost_per_asset over N covered assets",
        ),
        (
            "projected",
            "Contract::projected (reads the rate cards only)",
        ),
        ("total_cost", "Contract::total_cost"),
        ("covered_assets", "Contract::covered_assets().count()"),
        ("assets_on", "Contract::assets_on(day).count()"),
        ("next_deadline", "next_deadline"),
        ("expiration_level", "Contract::expiration_level"),
    ];
    let mut charged: BTreeMap<u64, State> = BTreeMap::new();
    for (n, (state, events)) in &by_value {
        let mut st = state.clone();
        st.apply(events);
        charged.insert(*n, st);
    }
    by_value.clear();
    for (name, what) in queries {
        let g = grow(name, what, sizes.scale, |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let c = st.contract().ok_or("no contract")?;
            let reminders = &s.policy.reminders;
            let (ms, cpu, answer) = match name {
                "cost_per_asset" => per_call(reps, || c.cost_per_asset().unwrap_or(0)),
                "projected" => per_call(reps, || c.projected().annual),
                "total_cost" => per_call(reps, || c.total_cost()),
                "covered_assets" => per_call(reps, || c.covered_assets().count() as i64),
                "assets_on" => per_call(reps, || c.assets_on(start).count() as i64),
                "next_deadline" => per_call(reps, || {
                    next_deadline(st, &s.policy).map_or(0, |d| i64::from(d.ordinal()))
                }),
                _ => per_call(reps, || {
                    i64::from(c.expiration_level(start, reminders).unwrap_or(0))
                }),
            };
            Ok((ms, cpu, format!("answer {answer}")))
        })?;
        growths.push((name.to_owned(), g));
    }

    // Single commands on a contract already covering N assets.
    let g = grow(
        "cover",
        "decide(Cover) of one more asset on a contract covering N",
        sizes.scale,
        |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let cover = Command::Cover {
                asset: CoveredAsset::new("new-asset", 1, 1),
            };
            let ctx = Context::new(start, &s.who, &s.policy);
            let (ms, cpu, ok) = per_call(reps, || decide(st, &cover, &ctx).is_ok());
            Ok((ms, cpu, format!("accepted {ok}")))
        },
    )?;
    growths.push(("cover".to_owned(), g));
    let g = grow(
        "uncover",
        "decide(Uncover) of the last covered asset of N",
        sizes.scale,
        |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let uncover = Command::Uncover {
                asset: format!("asset-{}", n - 1),
            };
            let ctx = Context::new(start, &s.who, &s.policy);
            let (ms, cpu, ok) = per_call(reps, || decide(st, &uncover, &ctx).is_ok());
            Ok((ms, cpu, format!("accepted {ok}")))
        },
    )?;
    growths.push(("uncover".to_owned(), g));
    let g = grow(
        "apply_uncovered",
        "State::apply of Uncovered (the last asset of N; the clone before, its coverage lookup \
         built, is not timed)",
        sizes.scale,
        |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let last = format!("asset-{}", n - 1);
            let mut probe = st.clone();
            let events = s.run(
                &mut probe,
                start,
                &Command::Uncover {
                    asset: last.clone(),
                },
            )?;
            // Counted outside the clock: a pass over the coverage is not the fold's work.
            let left = probe.contract().map_or(0, |c| c.covered_assets().count());
            drop(probe);
            let (ms, cpu, gone) = timed(
                reps,
                || {
                    let x = st.clone();
                    // The lookup a host's first command builds (the fold keeps it after).
                    std::hint::black_box(x.contract().is_some_and(|c| c.covers_asset(&last)));
                    Ok(x)
                },
                |x| {
                    x.apply(&events);
                    Ok(x.contract().is_some_and(|c| !c.covers_asset(&last)))
                },
            )?;
            if !gone {
                return Err(format!("{last} is still covered after the fold").into());
            }
            Ok((ms, cpu, format!("{left} still covered")))
        },
    )?;
    growths.push(("apply_uncovered".to_owned(), g));
    let g = grow(
        "add_rate_card",
        "decide(AddRateCard) of a card over all N covered assets",
        sizes.scale,
        |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let add = Command::AddRateCard {
                card: Box::new(
                    RateCardSpec::new("more", start, Interval::Quarterly, 5_000)
                        .over_assets(Distribute::PerAsset, asset_ids(n)),
                ),
            };
            let ctx = Context::new(start, &s.who, &s.policy);
            let (ms, cpu, ok) = timed(reps, || Ok(()), |_| Ok(decide(st, &add, &ctx).is_ok()))?;
            Ok((ms, cpu, format!("accepted {ok}")))
        },
    )?;
    growths.push(("add_rate_card".to_owned(), g));
    // The same contract with a card to the contract: one line a month.
    let g = grow(
        "tick_to_contract",
        "decide(Tick): a monthly card charged to the contract (one line), N covered assets",
        sizes.scale,
        |n| {
            let st = charged.get(&n).ok_or("no state")?;
            let mut st = st.clone();
            s.run(
                &mut st,
                start,
                &Command::AddRateCard {
                    card: Box::new(RateCardSpec::new(
                        "flat",
                        shift(start, 1),
                        Interval::Monthly,
                        10_000,
                    )),
                },
            )?;
            let day = shift(start, 1);
            let ctx = Context::new(day, &s.system, &s.policy);
            let (ms, cpu, events) =
                timed(reps, || Ok(()), |_| Ok(decide(&st, &Command::Tick, &ctx)?))?;
            Ok((ms, cpu, format!("{} events", events.len())))
        },
    )?;
    growths.push(("tick_to_contract".to_owned(), g));
    drop(charged);

    let g = grow(
        "create",
        "decide(Create) and apply of a contract covering N assets",
        sizes.scale,
        |n| {
            let create = Command::create(ContractId::from_u128(1), covering(n, start));
            let ctx = Context::new(start, &s.who, &s.policy);
            let (ms, cpu, count) = timed(
                reps,
                || Ok(State::new()),
                |st| {
                    let events = decide(st, &create, &ctx)?;
                    st.apply(&events);
                    Ok(st.contract().map_or(0, |c| c.assets.len()))
                },
            )?;
            Ok((ms, cpu, format!("{count} assets")))
        },
    )?;
    growths.push(("create".to_owned(), g));

    let g = grow(
        "add_user",
        "decide(AddUser) of one more user on a contract covering N users",
        sizes.scale,
        |n| {
            let mut spec = ContractSpec::new("USERS-1", Model::Subscription, Some(start), None);
            spec.users = (0..n)
                .map(|i| UserId::from_u128(10_000 + u128::from(i)))
                .collect();
            let st = s.approved(spec, start)?;
            let add = Command::AddUser {
                user: UserId::from_u128(5),
            };
            let ctx = Context::new(start, &s.who, &s.policy);
            let (ms, cpu, ok) = per_call(reps, || decide(&st, &add, &ctx).is_ok());
            Ok((ms, cpu, format!("accepted {ok}")))
        },
    )?;
    growths.push(("add_user".to_owned(), g));

    // A daily card charged over N days in one tick.
    let old = NaiveDate::from_ymd_opt(1900, 1, 1).ok_or("no date")?;
    let mut spans: BTreeMap<u64, (State, Vec<Event>, NaiveDate)> = BTreeMap::new();
    let g = grow(
        "tick_daily_span",
        "decide(Tick): a daily card charged over N days in one tick (max_lines_per_tick N)",
        sizes.scale,
        |n| {
            let mut policy = Policy::servicenow();
            policy.max_lines_per_tick = u32::try_from(n).unwrap_or(u32::MAX);
            let card = RateCardSpec::new("daily", old, Interval::Daily, 1_000).taxed(Rate(1_950));
            let today = shift(old, i64::try_from(n).unwrap_or(0) - 1);
            let spec = ContractSpec::new("LONG-1", Model::Service, Some(old), None).rate_card(card);
            let state = s.approved(spec, today)?;
            let ctx = Context::new(today, &s.system, &policy);
            let (ms, cpu, events) = timed(
                reps,
                || Ok(()),
                |_| Ok(decide(&state, &Command::Tick, &ctx)?),
            )?;
            let charges = events
                .iter()
                .filter(|e| matches!(e, Event::Charged { .. }))
                .count();
            spans.insert(n, (state, events, today));
            Ok((ms, cpu, format!("{charges} charges, through {today}")))
        },
    )?;
    growths.push(("tick_daily_span".to_owned(), g));
    let g = grow(
        "apply_daily_span",
        "State::apply of that tick's events (the clone before is not timed)",
        sizes.scale,
        |n| {
            let (state, events, today) = spans.get(&n).ok_or("no state")?;
            let (ms, cpu, cost) = timed(
                reps,
                || Ok(state.clone()),
                |st| {
                    st.apply(events);
                    Ok(st.contract().map_or(0, |c| c.lifetime_cost))
                },
            )?;
            let mut after = state.clone();
            after.apply(events);
            let next = next_deadline(&after, &s.policy);
            Ok((
                ms,
                cpu,
                format!(
                    "lifetime cost {cost}; next deadline {} (after {today})",
                    next.map_or("none".to_owned(), |d| d.to_string())
                ),
            ))
        },
    )?;
    growths.push(("apply_daily_span".to_owned(), g));
    let g = grow(
        "catch_up",
        "the same span with max_lines_per_tick 10,000: ticked again while due today, decide and apply",
        sizes.scale,
        |n| {
            let (state, _, today) = spans.get(&n).ok_or("no state")?;
            let mut policy = Policy::servicenow();
            policy.max_lines_per_tick = CATCH_UP_LINES;
            let ctx = Context::new(*today, &s.system, &policy);
            let (ms, cpu, (ticks, lines)) = timed(
                reps,
                || Ok(state.clone()),
                |st| {
                    let mut ticks = 0;
                    loop {
                        ticks += 1;
                        let events = decide(st, &Command::Tick, &ctx)?;
                        st.apply(&events);
                        if events.is_empty()
                            || next_deadline(st, &policy).is_none_or(|d| d > *today)
                        {
                            break;
                        }
                    }
                    Ok((ticks, st.contract().map_or(0, |c| c.lines)))
                },
            )?;
            Ok((ms, cpu, format!("{ticks} ticks, {lines} lines")))
        },
    )?;
    growths.push(("catch_up".to_owned(), g));
    drop(spans);

    // Deep: a contract renewed N/10 times, then one more renewal asked and its deadline.
    let mut renewed: BTreeMap<u64, (State, NaiveDate)> = BTreeMap::new();
    for n in sizes.scale {
        let terms = n / 10;
        let mut st = s.approved(
            ContractSpec::new("DEEP-1", Model::Lease, Some(old), Some(shift(old, 9))),
            old,
        )?;
        let mut day = old;
        for i in 0..terms {
            let from = shift(old, 10 * i64::try_from(i + 1).unwrap_or(0));
            let renewal = Renewal::new(from, shift(from, 9)).percent(1);
            s.run(&mut st, day, &Command::Renew { renewal })?;
            s.run(&mut st, day, &Command::Approve)?;
            day = from;
            s.run(&mut st, day, &Command::Tick)?;
        }
        renewed.insert(n, (st, day));
    }
    for name in ["renew", "renewed_next_deadline"] {
        let g = grow(
            name,
            if name == "renew" {
                "decide(Renew) on a contract with N/10 renewals in its history"
            } else {
                "next_deadline on that contract"
            },
            sizes.scale,
            |n| {
                let (st, day) = renewed.get(&n).ok_or("no state")?;
                let history = st.contract().map_or(0, |c| c.history.len());
                let from = shift(*day, 100);
                let renew = Command::Renew {
                    renewal: Renewal::new(from, shift(from, 9)),
                };
                let ctx = Context::new(*day, &s.who, &s.policy);
                let (ms, cpu, ok) = if name == "renew" {
                    let (ms, cpu, ok) = per_call(reps, || decide(st, &renew, &ctx).is_ok());
                    (ms, cpu, ok.to_string())
                } else {
                    let (ms, cpu, d) = per_call(reps, || next_deadline(st, &s.policy));
                    (ms, cpu, d.map_or("none".to_owned(), |d| d.to_string()))
                };
                Ok((ms, cpu, format!("history {history}; answer {ok}")))
            },
        )?;
        growths.push((name.to_owned(), g));
    }
    Ok(growths)
}

fn main() -> Res<()> {
    let allowed = [
        Opt::flag(
            "--quick",
            "a smoke run (5,000 contracts over a year, scale runs at 10,000 and 100,000)",
        ),
        Opt::flag("--no-python", "skip the Python peer"),
        Opt::flag(
            "--workload-only",
            "stop after the main workload (and its peer), for a profiler",
        ),
        Opt::flag("--scale-only", "only the runs at scale"),
    ];
    let args = Args::from_env(&allowed)?;
    if args.help() {
        println!("{}", usage("bench-contract", &allowed));
        return Ok(());
    }
    let quick = args.flag("--quick");
    let sizes = if quick { &QUICK } else { &FULL };
    println!(
        "bench-contract: single thread; {} CPUs visible (1 when pinned with taskset); load average at start {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());
    if !quick {
        println!("memory: {}", memory_latency());
    }
    let actors = actors()?;
    let manager = actors
        .get(usize::from(MANAGER))
        .ok_or("no manager")?
        .clone();
    let scale_flag = args.flag("--scale-only");

    if !scale_flag {
        let base = base()?;
        let mut policy = Policy::servicenow();
        policy.max_lines_per_tick = LINES_PER_TICK;
        let clock = Instant::now();
        let ops = workload(0xC0_47AC7, sizes, base);
        let mut mix: BTreeMap<&str, usize> = BTreeMap::new();
        for op in &ops {
            *mix.entry(op.command.name()).or_default() += 1;
        }
        let mix: Vec<String> = mix.iter().map(|(c, n)| format!("{c} {n}")).collect();
        println!(
            "workload: {} contracts over {} days from {base}, {} users' commands generated in {:.1} s ({}); max_lines_per_tick {LINES_PER_TICK}",
            sizes.contracts,
            sizes.days,
            ops.len(),
            clock.elapsed().as_secs_f64(),
            mix.join(", ")
        );
        let contracts = usize::try_from(sizes.contracts)?;
        let last_day = shift(base, i64::from(sizes.days) - 1);
        let (mut walls, mut cpus) = (Vec::new(), Vec::new());
        let mut line = String::new();
        let mut why = String::new();
        for _ in 0..sizes.reps {
            let cpu0 = thread_cpu_ns();
            let clock = Instant::now();
            let (tally, states) = simulate(&ops, contracts, sizes.days, base, &actors, &policy)?;
            walls.push(clock.elapsed().as_secs_f64() * 1e3);
            if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
                cpus.push(b.saturating_sub(a) as f64 / 1e6);
            }
            let this = describe(&tally, &states, last_day, &policy);
            why = refusals(&tally);
            drop(states);
            if !line.is_empty() && line != this {
                return Err(format!("two runs disagree: {line} / {this}").into());
            }
            line = this;
        }
        let (median, min, max) = median_min_max(walls).unwrap_or_default();
        let cpu = median_min_max(cpus).map_or(0.0, |m| m.0);
        println!("summary: {line}");
        println!("refusals (command, error): {why}");
        println!(
            "itsm-contract run ms: {median:.0} (median of {}, min {min:.0}, max {max:.0}; on CPU {cpu:.0})",
            sizes.reps
        );
        if !args.flag("--no-python") {
            let path = write_input(
                &target_dir().join("bench-contract"),
                &ops,
                sizes,
                base,
                &actors,
                &policy,
            )?;
            peer(&path, sizes.py_reps, &line, median, cpu)?;
        }
        if args.flag("--workload-only") {
            return Ok(());
        }
    }

    let growths = scale_runs(sizes, &manager)?;
    // A single pass over the coverage is the yardstick: between these sizes its growth is
    // over 1 (the smaller fits in the last-level cache, the larger does not), so a case
    // growing no faster does linear work.
    let yardstick = growths
        .iter()
        .find(|(n, _)| n == "covered_assets")
        .map_or(1.0, |(_, g)| *g);
    println!(
        "yardstick: covered_assets (one pass over the coverage) grows {yardstick:.2} between these sizes; up to it, the work is linear (the larger size leaves the caches)"
    );
    let bound = (yardstick + 0.15).max(1.25);
    let list = |keep: &dyn Fn(&str, f64) -> bool| {
        let picked: Vec<String> = growths
            .iter()
            .filter(|(n, g)| keep(n, *g))
            .map(|(n, g)| format!("{n} {g:.2}"))
            .collect();
        if picked.is_empty() {
            "none".to_owned()
        } else {
            picked.join(", ")
        }
    };
    println!(
        "slower than linear (growth over {bound:.2}): {}",
        list(&|_, g| g > bound)
    );
    println!(
        "O(N) per single command or one-line tick (growth over 0.5): {}",
        list(&|n, g| {
            g > 0.5
                && matches!(
                    n,
                    "cover" | "uncover" | "apply_uncovered" | "add_user" | "tick_to_contract"
                )
        })
    );
    if let Some(mb) = peak_mb() {
        println!("peak resident: {mb:.0} MB");
    }
    Ok(())
}
