//! Properties over random contracts, policies and command streams:
//!
//! - a host that runs the job every day and one that runs it only on the days commands come
//!   (catching up) end with the same contract, the same charges and the same status changes
//!   (reminders apart: a late job sends only the latest due);
//! - every charge's lines add up to its card's charge with tax at the time, and the lifetime
//!   cost to every line;
//! - a tick before `next_deadline` does nothing and one on it does something;
//! - refused commands change nothing; `evolve` rebuilds the state; JSON round-trips it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeMap;

use common::{approver, day, manager, system};
use itsm_contract::chrono::{Days, NaiveDate};
use itsm_contract::{
    Actor, Command, Context, ContractId, ContractSpec, CoveredAsset, Distribute, Event, Expiry,
    Interval, Model, Policy, Rate, RateCardSpec, Renewal, State, UserId, decide, evolve,
    next_deadline,
};
use proptest::prelude::*;

const INTERVALS: [Interval; 6] = [
    Interval::Daily,
    Interval::Weekly,
    Interval::Monthly,
    Interval::Quarterly,
    Interval::SemiAnnually,
    Interval::Annually,
];

fn plus(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap()
}

/// A card drawn from numbers, fitted to the contract.
fn card(
    name: String,
    start: NaiveDate,
    end: Option<NaiveDate>,
    (offset, interval, base, tax, how, span): (u64, usize, i64, Option<u32>, u8, Option<u64>),
    assets: &[String],
    users: &[UserId],
) -> RateCardSpec {
    let card_start = plus(start, offset);
    let mut c = RateCardSpec::new(name, card_start, INTERVALS[interval % 6], base);
    c.sales_tax = tax.map(Rate);
    if let Some(span) = span {
        let e = plus(card_start, span);
        c.end = Some(end.map_or(e, |end| e.min(end)));
    }
    match how % 5 {
        0 if !assets.is_empty() => {
            c = c.over_assets(Distribute::PerAsset, assets.iter().cloned());
        }
        1 if !assets.is_empty() => c = c.over_assets(Distribute::AssetCost, assets.iter().cloned()),
        2 if !assets.is_empty() => {
            c = c.over_assets(Distribute::AssetResidual, assets.iter().cloned());
        }
        3 if !users.is_empty() => c = c.over_users(users.iter().copied()),
        _ => {}
    }
    c
}

#[derive(Debug, Clone)]
enum Op {
    Submit,
    Approve,
    Reject,
    Renew(u64, u64, i32, Option<i64>, bool),
    Extend(u64, bool),
    Adjust(i64),
    Cancel,
    Cover(u8, i64, i64),
    Uncover(u8),
    AddUser(u8),
    RemoveUser(u8),
    AddCard(u64, usize, i64, u8),
    Deactivate(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Submit),
        3 => Just(Op::Approve),
        1 => Just(Op::Reject),
        2 => (0u64..40, 30u64..500, -2_000i32..3_000, proptest::option::of(-5_000i64..5_000), any::<bool>())
            .prop_map(|(a, b, p, m, s)| Op::Renew(a, b, p, m, s)),
        1 => (1u64..200, any::<bool>()).prop_map(|(a, s)| Op::Extend(a, s)),
        1 => (-200i64..200).prop_map(Op::Adjust),
        1 => Just(Op::Cancel),
        1 => (0u8..8, 0i64..5_000, 0i64..5_000).prop_map(|(a, b, c)| Op::Cover(a, b, c)),
        1 => (0u8..8).prop_map(Op::Uncover),
        1 => (0u8..5).prop_map(Op::AddUser),
        1 => (0u8..5).prop_map(Op::RemoveUser),
        1 => (0u64..60, 0usize..6, -500i64..50_000, 0u8..5).prop_map(|(a, b, c, d)| Op::AddCard(a, b, c, d)),
        1 => (0u8..4).prop_map(Op::Deactivate),
    ]
}

fn command(op: &Op, state: &State, n: usize) -> (Command, Actor) {
    let c = state.contract().unwrap();
    let end = c.end.unwrap_or(day(12, 31));
    let asset = |i: u8| format!("a{i}");
    let user = |i: u8| UserId::from_u128(100 + u128::from(i));
    let m = manager();
    match op {
        Op::Submit => (Command::Submit { approver: None }, m),
        Op::Approve => (Command::Approve, approver()),
        Op::Reject => (
            Command::Reject {
                comments: "no".into(),
            },
            approver(),
        ),
        Op::Renew(gap, span, percent, amount, submit) => {
            let start = plus(end, *gap);
            let mut r = Renewal::new(start, plus(start, *span));
            if let Some(a) = amount {
                r = r.amount(*a);
            } else {
                r = r.percent(*percent);
            }
            if !submit {
                r = r.saved();
            }
            (Command::Renew { renewal: r }, m)
        }
        Op::Extend(days, submit) => (
            Command::Extend {
                end: plus(end, *days),
                approver: None,
                submit: *submit,
            },
            m,
        ),
        Op::Adjust(days) => {
            let new_end = if *days >= 0 {
                plus(end, days.unsigned_abs())
            } else {
                end.checked_sub_days(Days::new(days.unsigned_abs()))
                    .unwrap()
            };
            (
                Command::Adjust {
                    start: None,
                    end: Some(new_end),
                    payment_amount: None,
                },
                m,
            )
        }
        Op::Cancel => (Command::Cancel, m),
        Op::Cover(i, cost, residual) => (
            Command::Cover {
                asset: CoveredAsset::new(asset(*i), *cost, *residual),
            },
            m,
        ),
        Op::Uncover(i) => (Command::Uncover { asset: asset(*i) }, m),
        Op::AddUser(i) => (Command::AddUser { user: user(*i) }, m),
        Op::RemoveUser(i) => (Command::RemoveUser { user: user(*i) }, m),
        Op::AddCard(offset, interval, base, how) => {
            let assets: Vec<String> = c.covered_assets().map(|a| a.id.clone()).collect();
            let users: Vec<UserId> = c.covered_users().collect();
            let start = c.start.unwrap_or(day(1, 1));
            let spec = card(
                format!("added{n}"),
                start,
                c.end,
                (*offset, *interval, *base, None, *how, None),
                &assets,
                &users,
            );
            (
                Command::AddRateCard {
                    card: Box::new(spec),
                },
                m,
            )
        }
        Op::Deactivate(i) => (
            Command::DeactivateRateCard {
                card: c
                    .rate_cards
                    .get(usize::from(*i))
                    .map_or("none".into(), |k| k.spec.name.clone()),
            },
            m,
        ),
    }
}

type Draw = (
    u64,
    Option<u64>,
    i64,
    Option<u32>,
    u8,
    u8,
    Vec<(u64, usize, i64, Option<u32>, u8, Option<u64>)>,
);

fn spec_from((offset, span, payment, tax, n_assets, n_users, cards): &Draw) -> ContractSpec {
    let start = plus(day(1, 1), *offset);
    let end = span.map(|s| plus(start, s));
    let mut spec = ContractSpec::new("C-1", Model::Maintenance, Some(start), end)
        .approver(approver().user)
        .payment(*payment);
    spec.sales_tax = tax.map(Rate);
    let assets: Vec<String> = (0..*n_assets).map(|i| format!("a{i}")).collect();
    for (i, a) in assets.iter().enumerate() {
        let i = i as i64;
        spec = spec.asset(CoveredAsset::new(
            a.clone(),
            (i * 1_700) % 5_000,
            (i * 900) % 3_000,
        ));
    }
    let users: Vec<UserId> = (0..*n_users)
        .map(|i| UserId::from_u128(100 + u128::from(i)))
        .collect();
    for &u in &users {
        spec = spec.user(u);
    }
    for (i, draw) in cards.iter().enumerate() {
        spec = spec.rate_card(card(format!("card{i}"), start, end, *draw, &assets, &users));
    }
    spec
}

fn draw() -> impl Strategy<Value = Draw> {
    (
        0u64..60,
        proptest::option::weighted(0.9, 20u64..700),
        0i64..100_000,
        proptest::option::of(0u32..3_000),
        0u8..5,
        0u8..4,
        proptest::collection::vec(
            (
                0u64..40,
                0usize..6,
                -1_000i64..100_000,
                proptest::option::of(0u32..3_000),
                0u8..5,
                proptest::option::of(0u64..400),
            ),
            0..3,
        ),
    )
}

/// A host: the state and every event in order.
struct Host {
    state: State,
    events: Vec<Event>,
}

impl Host {
    fn run(&mut self, today: NaiveDate, actor: &Actor, command: &Command, policy: &Policy) -> bool {
        let before = self.state.clone();
        match decide(&self.state, command, &Context::new(today, actor, policy)) {
            Ok(events) => {
                for event in &events {
                    check_charge(&self.state, event);
                    self.state = evolve(std::mem::take(&mut self.state), event);
                }
                self.events.extend(events);
                true
            }
            Err(_) => {
                assert_eq!(self.state, before, "a refused command changed the state");
                false
            }
        }
    }

    fn tick(&mut self, today: NaiveDate, policy: &Policy) -> usize {
        let n = self.events.len();
        self.run(today, &system(), &Command::Tick, policy);
        self.events.len() - n
    }
}

/// A charge's lines add up to its card's charge with tax, on covered assets or users only.
fn check_charge(state: &State, event: &Event) {
    let Event::Charged {
        card, date, lines, ..
    } = event
    else {
        return;
    };
    let c = state.contract().unwrap();
    let k = &c.rate_cards[*card as usize];
    let sum: i64 = lines.iter().map(|l| l.amount).sum();
    assert_eq!(
        sum,
        k.spec.total_cost(),
        "charge of {} on {date}",
        k.spec.name
    );
    for line in lines {
        if let Some(asset) = &line.asset {
            assert!(
                c.assets
                    .iter()
                    .any(|e| &e.item.id == asset && e.covers(*date)),
                "{asset} not covered on {date}"
            );
        }
        if let Some(user) = line.user {
            assert!(c.users.iter().any(|e| e.item == user && e.covers(*date)));
        }
    }
}

type Charge = (u32, NaiveDate, Vec<(Option<String>, Option<UserId>, i64)>);

fn charges(events: &[Event]) -> Vec<Charge> {
    let mut out: Vec<Charge> = events
        .iter()
        .filter_map(|e| match e {
            Event::Charged {
                card, date, lines, ..
            } => Some((
                *card,
                *date,
                lines
                    .iter()
                    .map(|l| (l.asset.clone(), l.user, l.amount))
                    .collect(),
            )),
            Event::Passed { card, date, .. } => Some((*card, *date, Vec::new())),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

fn status_changes(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .map(Event::name)
        .filter(|n| {
            matches!(
                *n,
                "activated" | "expired" | "renewed" | "extended" | "canceled"
            )
        })
        .collect()
}

proptest! {
    // 256 cases by default; `PROPTEST_CASES` sets another number.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn a_daily_job_and_a_late_one_agree(
        draw in draw(),
        stream in proptest::collection::vec((0u64..60, op()), 0..25),
        after_end in any::<bool>(),
        cancel_drafts in any::<bool>(),
    ) {
        let mut policy = Policy::servicenow();
        if after_end {
            policy.expiry = Expiry::AfterEndDate;
        }
        policy.cancel_drafts = cancel_drafts;
        let spec = spec_from(&draw);
        let create = Command::create(ContractId::from_u128(1), spec);
        let first = day(1, 1);
        let mut daily = Host { state: State::new(), events: Vec::new() };
        let mut late = Host { state: State::new(), events: Vec::new() };
        prop_assume!(daily.run(first, &manager(), &create, &policy));
        late.run(first, &manager(), &create, &policy);
        let mut today = first;
        for (n, (gap, op)) in stream.iter().enumerate() {
            let next = plus(today, *gap);
            // The daily host runs the job every day up to `next`, and on `next` before the
            // command (as the late host does).
            let mut d = plus(today, 1);
            while d < next {
                daily.tick(d, &policy);
                d = plus(d, 1);
            }
            daily.tick(next, &policy);
            // The late host only on `next`: nothing when nothing was due.
            let due = next_deadline(&late.state, &policy);
            let made = late.tick(next, &policy);
            prop_assert_eq!(made > 0, due.is_some_and(|d| d <= next), "deadline {:?}, tick on {}", due, next);
            today = next;
            let (command, actor) = command(op, &daily.state, n);
            let a = daily.run(today, &actor, &command, &policy);
            let b = late.run(today, &actor, &command, &policy);
            prop_assert_eq!(a, b, "one host accepted {:?}", command);
        }
        // Both catch up on the same final day.
        let last = plus(today, 400);
        let mut d = plus(today, 1);
        while d <= last {
            daily.tick(d, &policy);
            d = plus(d, 1);
        }
        late.tick(last, &policy);

        let mut a = daily.state.contract().unwrap().clone();
        let mut b = late.state.contract().unwrap().clone();
        a.reminded = None;
        b.reminded = None;
        // History records the day of the change, which the late job sees later.
        for h in a.history.iter_mut().chain(b.history.iter_mut()) {
            h.on = first;
        }
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(charges(&daily.events), charges(&late.events));
        prop_assert_eq!(status_changes(&daily.events), status_changes(&late.events));

        for host in [&daily, &late] {
            let c = host.state.contract().unwrap();
            let lines: i64 = host.events.iter().map(|e| match e {
                Event::Charged { lines, .. } => lines.iter().map(|l| l.amount).sum(),
                _ => 0,
            }).sum();
            prop_assert_eq!(c.lifetime_cost, lines);
            let rebuilt = host.events.iter().fold(State::new(), evolve);
            prop_assert_eq!(&rebuilt, &host.state);
            #[cfg(feature = "serde")]
            {
                let json = serde_json::to_string(&host.state).unwrap();
                let back: State = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &host.state);
                let json = serde_json::to_string(&host.events).unwrap();
                let back: Vec<Event> = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, &host.events);
            }
        }
        let _: BTreeMap<u8, u8> = BTreeMap::new();
    }
}
