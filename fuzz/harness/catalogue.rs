//! The catalogue fuzz harness: request command sequences on the example catalogue through
//! `decide` and `evolve` with the invariants checked after every step, and catalogues and
//! commands from JSON. Shared by the fuzz targets (`catalogue_commands`, `catalogue_json`),
//! the stable corpus replay and the property test of `crates/itsm-catalogue/tests/`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone, Utc};
use itsm_catalogue::{
    Actor, Catalogue, Command, Context, Event, ITEM_TRANSITIONS, Order, OrderLine,
    REQUEST_TRANSITIONS, RequestId, Requester, Stage, State, TASK_TRANSITIONS, UserId, Value,
    decide, derive_stage, evolve, itsm_approval,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

/// The example catalogue shipped in `examples/data/catalogue/`.
pub fn example() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        serde_json::from_str(include_str!("../../examples/data/catalogue/catalogue.json"))
            .unwrap_or_else(|e| panic!("the example catalogue loads: {e}"))
    })
}

const ADA: UserId = UserId::from_u128(0xADA);
const GRACE: UserId = UserId::from_u128(0x6ACE);
const OWNER: UserId = UserId::from_u128(0xA1);
const USERS: [UserId; 5] = [
    ADA,
    GRACE,
    OWNER,
    UserId::from_u128(0x4E),
    UserId::from_u128(0x7EC),
];
const TASKS: [&str; 10] = [
    "order_hardware",
    "image",
    "asset_tag",
    "deliver",
    "licence",
    "install",
    "provision",
    "revoke",
    "nope",
    "",
];

fn instant(b: &mut Bytes<'_>, base: DateTime<Utc>) -> DateTime<Utc> {
    let hours = i64::from(b.byte()) - 16;
    base.checked_add_signed(Duration::hours(hours * 6))
        .unwrap_or(base)
}

fn value(b: &mut Bytes<'_>) -> Value {
    match b.pick(8) {
        0 => Value::Bool(b.flag()),
        1 => Value::Number(i64::from(b.byte()) - 8),
        2 => Value::Text(b.text(&["13in", "15in", "office", "vpn_client", "ide", "x"])),
        3 => Value::Text(b.text(&["2026-03-09", "2025-12-31", "2026-02-30", "tomorrow"])),
        4 => Value::Text(b.text(&[
            "67e55044-10b1-426f-9247-bb680e5fe0c8",
            "a long enough reason",
            "",
        ])),
        5 => Value::List(
            (0..b.pick(4))
                .map(|_| b.text(&["dock", "headset", "monitor", "tv"]))
                .collect(),
        ),
        6 => Value::Number(i64::from(b.byte()) * 1_000_000_000_000),
        _ => Value::Text(b.text(&["month-end payments", "why"])),
    }
}

fn order(b: &mut Bytes<'_>, now: DateTime<Utc>) -> Order {
    let mut who = Requester::new(ADA);
    if b.flag() {
        who.manager = Some(GRACE);
    }
    if b.flag() {
        who.organisation = Some(b.text(&["finance", "sales"]));
    }
    if b.flag() {
        who.access.insert(itsm_catalogue::AppRole::new(
            "payroll",
            b.text(&["clerk", "approver"]),
        ));
    }
    let lines = (0..1 + b.pick(3))
        .map(|_| {
            let mut line = OrderLine::new(b.text(&[
                "laptop",
                "software_install",
                "payroll_access",
                "payroll_access",
                "unknown",
            ]));
            if b.flag() {
                // Good answers for every item, so that most orders go through.
                for (k, v) in [
                    ("needed_by", Value::Text("2026-03-09".into())),
                    ("software", Value::Text("office".into())),
                    ("business_reason", Value::Text("month-end payments".into())),
                ] {
                    line.answers.insert(k.into(), v);
                }
                let allowed: &[&str] = match line.item.as_str() {
                    "laptop" => &["model", "ram", "accessories", "needed_by", "justification"],
                    "software_install" => &["software", "device", "licence_needed"],
                    _ => &["business_reason"],
                };
                line.answers.retain(|k, _| allowed.contains(&k.as_str()));
            }
            for _ in 0..b.pick(3) {
                let name = b.text(&[
                    "model",
                    "ram",
                    "accessories",
                    "needed_by",
                    "justification",
                    "software",
                    "device",
                    "licence_needed",
                    "business_reason",
                    "other",
                ]);
                line.answers.insert(name, value(b));
            }
            if b.pick(4) != 0 {
                let until = b.flag().then(|| instant(b, now));
                line = line.access(b.text(&["clerk", "approver", "viewer", "root"]), until);
            }
            line
        })
        .collect();
    Order::new(RequestId::from_u128(1), who, lines)
}

fn command(b: &mut Bytes<'_>, now: DateTime<Utc>) -> Command {
    let line = b.pick(4);
    match b.pick(10) {
        0 => order(b, now).into(),
        1 | 2 => Command::Approval {
            line,
            answer: match b.pick(4) {
                0 => itsm_approval::Command::Reject {
                    reason: b.text(&["no", ""]),
                },
                1 => itsm_approval::Command::Delegate {
                    to: b.choose(&USERS, ADA),
                },
                _ => itsm_approval::Command::Approve { comment: None },
            },
        },
        3 => Command::StartTask {
            line,
            task: b.text(&TASKS),
        },
        4 | 5 => Command::CompleteTask {
            line,
            task: b.text(&TASKS),
            notes: String::new(),
        },
        6 => Command::SkipTask {
            line,
            task: b.text(&TASKS),
            reason: b.text(&["not needed", ""]),
        },
        7 => Command::CancelItem {
            line,
            reason: b.text(&["changed mind", ""]),
        },
        8 => Command::Cancel {
            reason: b.text(&["left", ""]),
        },
        _ => Command::Tick,
    }
}

/// Every item, task and request move `before -> after` is in its table, and the request's
/// state is the one derived from its items.
pub fn check_moves(before: &State, after: &State) {
    let Some(new) = after.request() else { return };
    assert_eq!(
        new.stage(),
        derive_stage(new.items().iter().map(|i| i.stage()))
    );
    let old = before.request();
    let old_stage = old.map_or(Stage::Submitted, |r| r.stage());
    if old_stage != new.stage() {
        assert!(
            REQUEST_TRANSITIONS
                .iter()
                .any(|(f, _, t)| *f == old_stage && *t == new.stage()),
            "request {old_stage} -> {} is not in the table",
            new.stage()
        );
    }
    for (line, item) in new.items().iter().enumerate() {
        let was = old
            .and_then(|r| r.items().get(line))
            .map_or(Stage::Submitted, |i| i.stage());
        if was != item.stage() {
            assert!(
                ITEM_TRANSITIONS
                    .iter()
                    .any(|(f, _, t)| *f == was && *t == item.stage()),
                "item {was} -> {} is not in the table",
                item.stage()
            );
        }
        for task in item.tasks() {
            let prior = old
                .and_then(|r| r.items().get(line))
                .and_then(|i| i.task(&task.spec.name))
                .map(|t| t.stage);
            if let Some(prior) = prior {
                if prior != task.stage {
                    assert!(
                        TASK_TRANSITIONS
                            .iter()
                            .any(|(f, _, t)| *f == prior && *t == task.stage),
                        "task {prior} -> {} is not in the table",
                        task.stage
                    );
                }
            }
        }
    }
}

/// Bytes -> a sequence of (actor, time step, command) on the example catalogue; after each
/// step: determinism, every move in its table, the request's state derived from its items,
/// JSON round trips of the events, and the replay of the whole log equal to the state.
pub fn commands(data: &[u8]) {
    let mut b = Bytes::new(data);
    let catalogue = example();
    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut state = State::new();
    let mut log: Vec<Event> = Vec::new();
    while !b.is_empty() {
        let who = Actor::new(b.choose(&USERS, ADA), []);
        now = instant(&mut b, now);
        // Before the request exists only `submit` is worth trying.
        let command = if state.request().is_none() {
            order(&mut b, now).into()
        } else {
            command(&mut b, now)
        };
        let ctx = Context::new(now, &who, catalogue);
        let result = decide(&state, &command, &ctx);
        assert_eq!(
            result,
            decide(&state, &command, &ctx),
            "decide is not deterministic"
        );
        let events = match result {
            Ok(events) => events,
            Err(error) => {
                assert!(!error.to_string().is_empty());
                continue;
            }
        };
        for event in &events {
            let json = serde_json::to_string(event).unwrap_or_default();
            let back: Event = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("event {json} does not read back: {e}"));
            assert_eq!(&back, event);
        }
        let after = events.iter().fold(state.clone(), evolve);
        check_moves(&state, &after);
        if let Some(next) = itsm_catalogue::next_deadline(&after) {
            assert!(after.request().is_some_and(|r| {
                r.items()
                    .iter()
                    .any(|i| i.access().is_some_and(|a| a.until == Some(next)))
            }));
        }
        log.extend(events);
        state = after;
        assert_eq!(
            log.iter().fold(State::new(), evolve),
            state,
            "replaying the log differs from the state"
        );
    }
}

/// Bytes -> a sequence of service commands on the example catalogue's default gates; after
/// each step: determinism, status moves in `SERVICE_TRANSITIONS`, stage moves in
/// `STAGE_MOVES`, a live service meets the go-live gate, and replay equal to the state.
pub fn services(data: &[u8]) {
    use itsm_catalogue::{
        GroupId, PortfolioStatus, SERVICE_TRANSITIONS, STAGE_MOVES, ServiceCommand, ServiceEvent,
        ServiceId, ServiceStage, ServiceState, decide_service, evolve_service,
    };
    let mut b = Bytes::new(data);
    let catalogue = example();
    let mut now = Utc
        .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let mut state = ServiceState::new();
    let mut log: Vec<ServiceEvent> = Vec::new();
    while !b.is_empty() {
        let who = Actor::new(b.choose(&USERS, ADA), []);
        now = instant(&mut b, now);
        let command = match b.pick(9) {
            0 => ServiceCommand::Define {
                id: ServiceId::from_u128(1),
                name: b.text(&["workplace", ""]),
            },
            1 => ServiceCommand::SetOwner {
                owner: b.choose(&USERS, ADA),
            },
            2 => ServiceCommand::SetSupportGroup {
                group: GroupId::from_u128(b.pick(3) as u128),
            },
            3 => ServiceCommand::AddOffering {
                item: b.text(&["laptop", "software_install", "tablet"]),
            },
            4 => ServiceCommand::RemoveOffering {
                item: b.text(&["laptop", "tablet"]),
            },
            5 | 6 => ServiceCommand::MoveTo {
                stage: b.choose(&ServiceStage::ALL, ServiceStage::Design),
            },
            7 => ServiceCommand::GoLive,
            _ => ServiceCommand::Retire,
        };
        let ctx = Context::new(now, &who, catalogue);
        let result = decide_service(&state, &command, &ctx);
        assert_eq!(result, decide_service(&state, &command, &ctx));
        let Ok(events) = result else { continue };
        let after = events.iter().fold(state.clone(), evolve_service);
        if let (Some(old), Some(new)) = (state.service(), after.service()) {
            if old.status() != new.status() {
                assert!(
                    SERVICE_TRANSITIONS
                        .iter()
                        .any(|(f, c, t)| *f == old.status()
                            && *c == command.name()
                            && *t == new.status())
                );
            }
            if old.stage() != new.stage() {
                assert!(STAGE_MOVES.contains(&(old.stage(), new.stage())));
            }
            if new.status() == PortfolioStatus::Live && old.status() != PortfolioStatus::Live {
                assert!(new.owner().is_some() && new.support_group().is_some());
                assert!(!new.offerings().is_empty());
            }
        }
        for event in &events {
            let json = serde_json::to_string(event).unwrap_or_default();
            let back: ServiceEvent = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("event {json} does not read back: {e}"));
            assert_eq!(&back, event);
        }
        log.extend(events);
        state = after;
        assert_eq!(log.iter().fold(ServiceState::new(), evolve_service), state);
    }
}

/// Bytes -> the first byte chooses (modulo 4): a catalogue from JSON (0; checked when loaded,
/// and what loads serializes and reads back as itself), an order from JSON (1; decided on
/// the example catalogue), a command from JSON (2; encoded back to the same value), or a
/// sequence of service commands (3, [`services`]).
pub fn json(data: &[u8]) {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if first % 4 == 3 {
        services(rest);
        return;
    }
    match first % 4 {
        0 => {
            if let Ok(catalogue) = serde_json::from_str::<Catalogue>(text) {
                let json = serde_json::to_string(&catalogue).unwrap_or_default();
                let back: Catalogue = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("a loaded catalogue does not read back: {e}"));
                assert_eq!(back, catalogue);
                let empty = BTreeMap::new();
                for item in catalogue.item_names() {
                    let _ = catalogue.validate(&item, &empty);
                }
            }
        }
        1 => {
            if let Ok(order) = serde_json::from_str::<Order>(text) {
                let who = Actor::new(ADA, []);
                let now = Utc
                    .with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
                    .single()
                    .unwrap_or_default();
                let ctx = Context::new(now, &who, example());
                if let Ok(events) = decide(&State::new(), &order.into(), &ctx) {
                    let state = events.iter().fold(State::new(), evolve);
                    check_moves(&State::new(), &state);
                }
            }
        }
        _ => {
            if let Ok(command) = serde_json::from_str::<Command>(text) {
                let json = serde_json::to_string(&command).unwrap_or_default();
                let back: Command = serde_json::from_str(&json)
                    .unwrap_or_else(|e| panic!("command {json} does not read back: {e}"));
                assert_eq!(back, command);
            }
        }
    }
}
