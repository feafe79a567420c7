//! Scale and deep input, each on a thread with a 256 kB stack (so that recursion whose depth
//! follows the input fails loudly): a million covered assets charged per asset and by value
//! in one tick, a daily card caught up over a million days, the most rate cards a contract
//! takes, a million users, and commands on a contract that large.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::{approver, day, manager, system, ymd};
use itsm_contract::chrono::NaiveDate;
use itsm_contract::{
    Actor, Command, Context, ContractId, ContractSpec, CoveredAsset, Distribute, Event, Interval,
    MAX_RATE_CARDS, Model, Policy, RateCardSpec, State, Status, UserId, decide, next_deadline,
};

const MILLION: usize = 1_000_000;

fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

fn run(
    state: &mut State,
    policy: &Policy,
    today: NaiveDate,
    actor: &Actor,
    command: Command,
) -> Vec<Event> {
    let events = decide(state, &command, &Context::new(today, actor, policy)).unwrap();
    state.apply(&events);
    events
}

/// Created, submitted and approved on 1 January 2027.
fn active(spec: ContractSpec, policy: &Policy) -> State {
    let mut state = State::new();
    let on = day(1, 1);
    run(
        &mut state,
        policy,
        on,
        &manager(),
        Command::create(ContractId::from_u128(1), spec),
    );
    run(
        &mut state,
        policy,
        on,
        &manager(),
        Command::Submit { approver: None },
    );
    run(&mut state, policy, on, &approver(), Command::Approve);
    assert_eq!(state.contract().unwrap().status, Status::Active);
    state
}

fn many_assets(n: usize) -> ContractSpec {
    let mut spec = ContractSpec::new(
        "BIG",
        Model::Maintenance,
        Some(day(1, 1)),
        Some(day(12, 31)),
    )
    .approver(approver().user);
    spec.assets = (0..n)
        .map(|i| CoveredAsset::new(format!("asset-{i}"), (i % 997) as i64, (i % 13) as i64))
        .collect();
    spec
}

#[test]
fn a_million_assets_are_charged_per_asset_and_by_value_in_one_tick() {
    on_small_stack(|| {
        let policy = Policy::servicenow();
        let mut spec = many_assets(MILLION);
        let ids: Vec<String> = spec.assets.iter().map(|a| a.id.clone()).collect();
        spec = spec
            .rate_card(
                RateCardSpec::new("even", day(1, 1), Interval::Annually, 1_000_003)
                    .over_assets(Distribute::PerAsset, ids.clone()),
            )
            .rate_card(
                RateCardSpec::new("value", day(1, 1), Interval::Annually, 123_456_789)
                    .over_assets(Distribute::AssetCost, ids),
            );
        let mut state = active(spec, &policy);
        // A million lines fill one tick: the second card charges on the next, the same day.
        let mut events = run(&mut state, &policy, day(1, 1), &system(), Command::Tick);
        assert_eq!(events.len(), 1);
        assert_eq!(next_deadline(&state, &policy), Some(day(1, 1)));
        events.extend(run(
            &mut state,
            &policy,
            day(1, 1),
            &system(),
            Command::Tick,
        ));
        let [
            Event::Charged { lines: even, .. },
            Event::Charged { lines: value, .. },
        ] = &events[..]
        else {
            panic!("two charges expected, got {} events", events.len());
        };
        assert_eq!(even.len(), MILLION);
        assert_eq!(even.iter().map(|l| l.amount).sum::<i64>(), 1_000_003);
        assert_eq!((even[0].amount, even[2].amount, even[3].amount), (2, 2, 1));
        assert_eq!(value.iter().map(|l| l.amount).sum::<i64>(), 123_456_789);
        // asset-0 has cost 0: nothing; asset-996 the most.
        assert_eq!(value[0].amount, 0);
        assert!(value[996].amount > value[1].amount);
        let c = state.contract().unwrap();
        assert_eq!(c.lines, 2 * MILLION as u64);
        assert_eq!(c.cost_per_asset(), Some(124)); // 124,456,792 over a million
        // Commands on the large contract stay cheap enough.
        run(
            &mut state,
            &policy,
            day(1, 2),
            &manager(),
            Command::Uncover {
                asset: "asset-999999".into(),
            },
        );
        run(
            &mut state,
            &policy,
            day(1, 2),
            &manager(),
            Command::Cover {
                asset: CoveredAsset::new("new", 1, 1),
            },
        );
        assert_eq!(state.contract().unwrap().covered_assets().count(), MILLION);
    });
}

#[test]
fn a_daily_card_catches_up_over_a_million_days_in_bounded_ticks() {
    on_small_stack(|| {
        let policy = Policy::servicenow();
        let mut spec = ContractSpec::new("LONG", Model::Lease, Some(day(1, 1)), None)
            .approver(approver().user);
        spec = spec.rate_card(RateCardSpec::new("daily", day(1, 1), Interval::Daily, 7));
        let mut state = active(spec, &policy);
        let far = day(1, 1)
            .checked_add_days(itsm_contract::chrono::Days::new(MILLION as u64 + 499_999))
            .unwrap();
        let mut ticks = 0;
        let mut charged = 0usize;
        while next_deadline(&state, &policy).is_some_and(|d| d <= far) {
            charged += run(&mut state, &policy, far, &system(), Command::Tick).len();
            ticks += 1;
        }
        assert_eq!(charged, MILLION + 500_000);
        assert_eq!(ticks, 2, "a million lines per tick");
        assert_eq!(
            state.contract().unwrap().lifetime_cost,
            7 * (MILLION as i64 + 500_000)
        );
        assert_eq!(next_deadline(&state, &policy), far.succ_opt());
    });
}

#[test]
fn the_most_rate_cards_charge_in_one_tick_and_renew_together() {
    on_small_stack(|| {
        let policy = Policy::servicenow();
        let mut spec =
            ContractSpec::new("CARDS", Model::Service, Some(day(1, 1)), Some(day(12, 31)))
                .approver(approver().user);
        for i in 0..MAX_RATE_CARDS {
            spec = spec.rate_card(RateCardSpec::new(
                format!("card-{i}"),
                day(1, 1),
                Interval::Monthly,
                100,
            ));
        }
        let mut state = active(spec, &policy);
        let events = run(&mut state, &policy, day(12, 31), &system(), Command::Tick);
        assert_eq!(
            events.iter().filter(|e| e.name() == "charged").count(),
            12 * MAX_RATE_CARDS
        );
        let renewal =
            itsm_contract::Renewal::new(ymd(2028, 1, 1), ymd(2028, 12, 31)).percent(1_000);
        run(
            &mut state,
            &policy,
            ymd(2028, 1, 1),
            &manager(),
            Command::Renew { renewal },
        );
        let events = run(
            &mut state,
            &policy,
            ymd(2028, 1, 1),
            &approver(),
            Command::Approve,
        );
        assert!(events.iter().any(|e| matches!(e, Event::Renewed { base_costs, .. } if base_costs.len() == MAX_RATE_CARDS && base_costs.iter().all(|&c| c == 110))));
        assert_eq!(
            state.contract().unwrap().projected().annual,
            12 * 110 * MAX_RATE_CARDS as i64
        );
    });
}

#[test]
fn a_million_users_are_charged_per_user() {
    on_small_stack(|| {
        let policy = Policy::servicenow();
        let mut spec = ContractSpec::new(
            "SEATS",
            Model::Subscription,
            Some(day(1, 1)),
            Some(day(12, 31)),
        )
        .approver(approver().user);
        spec.users = (0..MILLION as u128)
            .map(|i| UserId::from_u128(1_000 + i))
            .collect();
        let users = spec.users.clone();
        spec = spec.rate_card(
            RateCardSpec::new("seats", day(1, 1), Interval::Annually, 5_000_000).over_users(users),
        );
        let mut state = active(spec, &policy);
        let events = run(&mut state, &policy, day(1, 1), &system(), Command::Tick);
        let [Event::Charged { lines, .. }] = &events[..] else {
            panic!("one charge")
        };
        assert_eq!(lines.len(), MILLION);
        assert!(lines.iter().all(|l| l.amount == 5));
    });
}
