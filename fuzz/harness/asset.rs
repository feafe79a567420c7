//! The fuzz harness of IT asset management, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/asset_commands.rs` calls [`commands`], and so
//! does the stable test `crates/itsm-asset/tests/fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/asset_commands/`.
//!
//! How the bytes are read (each choice is a byte modulo the number of options; a missing
//! byte reads as 0), for writing seeds by hand:
//! - byte 0, the policy's flags: ServiceNow's preset with restricted `moves` (bit 0), extra
//!   `ci_status` rules (bit 1), stock rules (bit 2), a random `assignable` list (bit 3), a
//!   vendor substate `awaiting_badge` allowed in stock (bit 4), the in-transit reserved row
//!   dropped (bit 5), an invalid value (bits 6 and 7 both);
//! - then, in this order and only when its flag is set: a mask byte of 8 moves (on order to
//!   in stock, in stock to in use, in use to in stock, in stock to in maintenance, in
//!   maintenance to in stock, in stock to retired, in use to missing, retired to in stock);
//!   a mask byte of 8 CI status rules; the number of stock rules (byte mod 3, plus 1), then
//!   2 bytes per rule (x: model in bits 0-1, stockroom in bits 2-3, a vendor source in bit 4,
//!   the name in bits 6-7: `r<i>`, `r<i>`, `r0`, empty; y: threshold in bits 0-2 of 0, 1, 2,
//!   3, 5, 10, 30, `u64::MAX`, order in bits 3-5 of 1, 1, 5, 10, 20, `u64::MAX`, 3, 0); a mask
//!   byte of 8 assignable substates (available, reserved, pending install, defective,
//!   pre-allocated, awaiting badge, pending disposal, on hold); which invalid value (mod 6);
//! - then per step (at most 64): the time step in minutes (the byte minus 8, so a step may
//!   go back), the command (mod 18: the 17 commands in declaration order, then 17 for a
//!   depreciation; a byte of 234 to 251 acts without the `asset` role), and its bytes:
//!   register `i m pl q k` (id in bits 0-3 of `i`, a parent 0-7 in bits 4-6 when bit 7;
//!   class in bits 0-1 of `m`, model in bits 2-3, CI in bits 4-6: none 0-3, own 4-5, shared
//!   6, empty 7; start placement `pl` mod 16, its stockroom in bits 4-7: 0-11 one of three,
//!   12-14 none, 15 empty; quantity `q`; cost `k` mod 8), set_state `a st sub rm` (status
//!   `st` mod 9; substate `sub`: below 128 one the policy allows the record's class with
//!   that status, else from a pool; stockroom `rm` when below 128), receive `a rm`, reserve
//!   `a u`, assign `a u`, return `a rm sub f q`, consume `a f q x` (consumed by `x` bits 0-3
//!   when bit 4, user in bits 5-6, 3 for none), allocate `a n`, mark_for_disposal `a f q`,
//!   cancel_disposal `a sub`, transfer `a rm f q`, advance_transfer `a`, cancel_transfer
//!   `a`, retire `a sub`, set_parent `a p` (detach when `p` is 192 or more),
//!   run_stock_rules (no byte), restock_delivered `r` (r0, r1, r2), and
//!   the depreciation: a byte (bit 0: declining balance, with a percentage) then its numbers
//!   (see [`valuation`]).
//!
//! Ids are 0 to 15 (`a`, `n` and `f` mod 16); stockrooms `rm` mod 8 are north, south, east
//! (twice each), then the empty string; users mod 3; a part `f q` is none when bit 7 of
//! `f`, else `quantity(q)` items into the new record `f` mod 16; substates for return,
//! cancel_disposal and retire are none when the byte is even, else from the pool
//! (`byte >> 1`). Quantities: the byte up to 30, then `u32::MAX`, `u32::MAX - 1`, 2^31,
//! `u32::MAX / 2`, then mostly 1.
//!
//! Nothing may panic. `decide` does not re-check the policy's tables (the crate's choice:
//! hosts run `Policy::check` once), so under an invalid policy every command still runs
//! and every invariant below must hold whatever the tables say; the stock commands check
//! the stock rules and refuse invalid ones with `InvalidPolicy`, and no other command
//! answers `InvalidPolicy`. A command at an instant before the last event is refused with
//! `ClockWentBackwards`, one without the `asset` role with `Denied`; a refused command
//! changes nothing, and `decide` answers the same twice.
//!
//! After each accepted command: every event is stamped with `now`; every record's state
//! and substate is one the policy allows its class (and `Inventory::check` agrees); a
//! record holds at least one item, and more only if consumable or pre-allocated; a record
//! in stock has a stockroom, not the empty string; a child is placed as its parent, without
//! consumer or transfer, and `children` lists exactly the records naming the parent; no two
//! mergeable consumable records (not pending disposal, not being transferred, no parent)
//! are identical in model, cost, CI and placement; `available(model, stockroom)` is the
//! recount of the records in stock and available; every event so far folded with `evolve`
//! from `Inventory::new()` gives the inventory; a register adds its quantity to its class
//! and model's total, any other command keeps every total.
//!
//! Depreciation: `Ok` exactly when the inputs are valid (costs not negative, salvage at most
//! the cost, life and percentage 1 to 100, an end of life chrono can represent), and then
//! salvage <= residual <= cost, depreciated = cost - residual, the end of life `life_years`
//! after the effective date, the cost before the effective date and the salvage value from
//! the end of life on.
//!
//! At the end, the whole log replays to the inventory, and the inventory and the events
//! survive a JSON round trip.

use std::collections::{BTreeMap, HashSet};

use itsm_asset::chrono::{Datelike, Days, Duration, Months, NaiveDate, TimeZone, Utc};
use itsm_asset::{
    Actor, AssetClass, AssetId, CiStatusRule, Command, Context, Error, Event, Inventory, Method,
    Move, NewAsset, Part, Placement, Policy, RestockSource, Role, Schedule, StateRule, Status,
    StockRule, Substate, UserId, decide, evolve, value,
};

#[path = "bytes.rs"]
pub mod bytes;
use bytes::Bytes;

/// At most this many steps per input, so each execution stays fast.
const MAX_STEPS: usize = 64;

const MODELS: [&str; 3] = ["laptop", "keyboard", "toner"];
const ROOMS: [&str; 3] = ["north", "south", "east"];
const USERS: [UserId; 3] = [
    UserId::from_u128(1),
    UserId::from_u128(2),
    UserId::from_u128(3),
];
const RULES: [&str; 3] = ["r0", "r1", "r2"];

/// What one accepted or refused command gave (for the corpus test's coverage check).
pub type Outcome = (Command, Result<Vec<Event>, Error>);

fn id(byte: u8) -> AssetId {
    AssetId::from_u128(u128::from(byte % 16))
}

fn room(byte: u8) -> String {
    match byte % 8 {
        7 => String::new(),
        i => ROOMS[usize::from(i) % 3].to_owned(),
    }
}

fn user(byte: u8) -> UserId {
    USERS[usize::from(byte) % 3]
}

/// A quantity: 0 to 30, a few near `u32::MAX`, else mostly 1.
pub fn quantity(byte: u8) -> u32 {
    match byte {
        0..=30 => u32::from(byte),
        31 => u32::MAX,
        32 => u32::MAX - 1,
        33 => 1 << 31,
        34 => u32::MAX / 2,
        _ => [1, 1, 1, 2, 3, 5][usize::from(byte) % 6],
    }
}

fn vendor_substate() -> Substate {
    Substate::new("awaiting_badge")
}

/// A substate from a pool of 16 (none, ServiceNow's, a vendor's).
fn pooled(byte: u8) -> Option<Substate> {
    Some(match byte % 16 {
        0 => return None,
        1 => Substate::AVAILABLE,
        2 => Substate::RESERVED,
        3 => Substate::DEFECTIVE,
        4 => Substate::PENDING_INSTALL,
        5 => Substate::PENDING_DISPOSAL,
        6 => Substate::PENDING_TRANSFER,
        7 => Substate::PRE_ALLOCATED,
        8 => Substate::SOLD,
        9 => Substate::DISPOSED,
        10 => Substate::LOST,
        11 => Substate::STOLEN,
        12 => Substate::PENDING_DONATION,
        13 => Substate::ON_HOLD,
        14 => vendor_substate(),
        _ => Substate::PENDING_RESALE,
    })
}

fn optional_substate(byte: u8) -> Option<Substate> {
    if byte & 1 == 0 {
        None
    } else {
        pooled(byte >> 1)
    }
}

fn part(f: u8, q: u8) -> Part {
    Part {
        quantity: quantity(q),
        new_asset: id(f),
    }
}

fn optional_part(f: u8, q: u8) -> Option<Part> {
    (f & 0x80 == 0).then(|| part(f, q))
}

/// Where a registered record starts (16 choices; a few the preset refuses).
fn start(byte: u8) -> (Status, Option<Substate>) {
    use Status::{
        Build, Consumed, InMaintenance, InStock, InTransit, InUse, Missing, OnOrder, Retired,
    };
    match byte % 16 {
        0 => (OnOrder, None),
        1..=3 => (InStock, Some(Substate::AVAILABLE)),
        4 => (InStock, Some(Substate::RESERVED)),
        5 => (InStock, Some(Substate::PRE_ALLOCATED)),
        6 => (InStock, Some(Substate::PENDING_DISPOSAL)),
        7 => (InStock, Some(Substate::DEFECTIVE)),
        8 => (InUse, None),
        9 => (Consumed, None),
        10 => (Retired, Some(Substate::SOLD)),
        11 => (Build, None),
        12 => (InTransit, Some(Substate::PRE_ALLOCATED)),
        13 => (InStock, None),
        14 => (Missing, Some(Substate::LOST)),
        _ => (InMaintenance, None),
    }
}

/// The policy the header bytes choose (see the module's docs).
pub fn policy(b: &mut Bytes<'_>) -> Policy {
    let flags = b.byte();
    let mut policy = Policy::servicenow();
    if flags & 1 != 0 {
        let mask = b.byte();
        let candidates = [
            (Status::OnOrder, Status::InStock),
            (Status::InStock, Status::InUse),
            (Status::InUse, Status::InStock),
            (Status::InStock, Status::InMaintenance),
            (Status::InMaintenance, Status::InStock),
            (Status::InStock, Status::Retired),
            (Status::InUse, Status::Missing),
            (Status::Retired, Status::InStock),
        ];
        policy.moves = Some(
            candidates
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, (from, to))| Move {
                    from: *from,
                    to: *to,
                })
                .collect(),
        );
    }
    if flags & 2 != 0 {
        let mask = b.byte();
        let rules = [
            (Status::InUse, None, "installed"),
            (
                Status::InStock,
                Some(Substate::DEFECTIVE),
                "non_operational",
            ),
            (Status::InStock, None, "in_stock"),
            (Status::Missing, None, "absent"),
            (Status::Retired, Some(Substate::SOLD), "sold"),
            (Status::InMaintenance, None, "in_maintenance"),
            (Status::Consumed, None, "consumed"),
            (Status::Retired, None, "disposed"),
        ];
        for (i, (status, substate, ci_status)) in rules.into_iter().enumerate() {
            if mask & (1 << i) != 0 {
                policy.ci_status.push(CiStatusRule {
                    status,
                    substate,
                    ci_status: ci_status.to_owned(),
                });
            }
        }
    }
    if flags & 4 != 0 {
        let n = 1 + b.pick(3);
        for i in 0..n {
            let (x, y) = (b.byte(), b.byte());
            let name = match x >> 6 {
                0 | 1 => format!("r{i}"),
                2 => "r0".to_owned(),
                _ => String::new(),
            };
            let stockroom = ROOMS[usize::from((x >> 2) & 3) % 3].to_owned();
            let source = if x & 16 != 0 {
                RestockSource::Vendor("acme".to_owned())
            } else {
                RestockSource::Stockroom(ROOMS[(usize::from((x >> 2) & 3) + 1) % 3].to_owned())
            };
            policy.stock_rules.push(StockRule {
                name,
                model: MODELS[usize::from(x & 3) % 3].to_owned(),
                stockroom,
                threshold: [0, 1, 2, 3, 5, 10, 30, u64::MAX][usize::from(y & 7)],
                order: [1, 1, 5, 10, 20, u64::MAX, 3, 0][usize::from((y >> 3) & 7)],
                source,
            });
        }
    }
    if flags & 8 != 0 {
        let mask = b.byte();
        let pool = [
            Substate::AVAILABLE,
            Substate::RESERVED,
            Substate::PENDING_INSTALL,
            Substate::DEFECTIVE,
            Substate::PRE_ALLOCATED,
            vendor_substate(),
            Substate::PENDING_DISPOSAL,
            Substate::ON_HOLD,
        ];
        policy.assignable = pool
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, s)| s)
            .collect();
    }
    if flags & 16 != 0 {
        policy.states.push(StateRule {
            status: Status::InStock,
            substate: Some(vendor_substate()),
            classes: AssetClass::ALL.to_vec(),
        });
    }
    if flags & 32 != 0 {
        policy
            .states
            .retain(|r| !(r.status == Status::InTransit && r.substate == Some(Substate::RESERVED)));
    }
    if flags & 0xC0 == 0xC0 {
        match b.pick(6) {
            0 => policy.states.push(StateRule {
                status: Status::Build,
                substate: None,
                classes: Vec::new(),
            }),
            1 => {
                let first = policy.states.first().cloned();
                policy.states.extend(first);
            }
            2 => policy.states.push(StateRule {
                status: Status::InStock,
                substate: Some(Substate::new("")),
                classes: vec![AssetClass::Hardware],
            }),
            3 => policy.ci_status.push(CiStatusRule {
                status: Status::InUse,
                substate: None,
                ci_status: String::new(),
            }),
            4 => policy.ci_status.push(CiStatusRule {
                status: Status::InUse,
                substate: Some(Substate::new("")),
                ci_status: "installed".to_owned(),
            }),
            _ => policy.assignable.push(Substate::SOLD),
        }
    }
    policy
}

/// One command from its kind (0 to 16) and the step's bytes (see the module's docs).
fn command(kind: u8, b: &mut Bytes<'_>, inventory: &Inventory, policy: &Policy) -> Command {
    match kind {
        0 => {
            let (i, m, pl, q, k) = (b.byte(), b.byte(), b.byte(), b.byte(), b.byte());
            let asset = id(i);
            let class = AssetClass::ALL[usize::from(m & 3)];
            let model = MODELS[usize::from((m >> 2) & 3) % 3];
            let mut new = NewAsset::new(asset, class, model)
                .quantity(quantity(q))
                .cost([0, 0, 100, 100, 2_500, 1, i64::MAX, -1][usize::from(k % 8)]);
            match (m >> 4) & 7 {
                0..=3 => {}
                4 | 5 => new = new.ci(format!("ci-{asset}")),
                6 => new = new.ci("ci-shared"),
                _ => new = new.ci(""),
            }
            if i & 0x80 != 0 {
                new = new.parent(id((i >> 4) & 7));
            }
            let (status, substate) = start(pl);
            new.status = status;
            new.substate = substate;
            new.stockroom = match pl >> 4 {
                0..=11 => Some(ROOMS[usize::from(pl >> 4) % 3].to_owned()),
                12..=14 => None,
                _ => Some(String::new()),
            };
            Command::Register { asset: new }
        }
        1 => {
            let (a, st, sub, rm) = (b.byte(), b.byte(), b.byte(), b.byte());
            let status = Status::ALL[usize::from(st) % Status::ALL.len()];
            let substate = match inventory.asset(id(a)) {
                Some(asset) if sub < 128 => {
                    let allowed = policy.substates(asset.class, status);
                    let i = usize::from(sub) % allowed.len().max(1);
                    allowed.get(i).cloned().flatten()
                }
                _ => pooled(sub),
            };
            Command::SetState {
                asset: id(a),
                status,
                substate,
                stockroom: (rm < 128).then(|| room(rm)),
            }
        }
        2 => Command::Receive {
            asset: id(b.byte()),
            stockroom: room(b.byte()),
        },
        3 => Command::Reserve {
            asset: id(b.byte()),
            user: user(b.byte()),
        },
        4 => Command::Assign {
            asset: id(b.byte()),
            user: user(b.byte()),
        },
        5 => {
            let (a, rm, sub, f, q) = (b.byte(), b.byte(), b.byte(), b.byte(), b.byte());
            Command::Return {
                asset: id(a),
                stockroom: room(rm),
                substate: optional_substate(sub),
                part: optional_part(f, q),
            }
        }
        6 => {
            let (a, f, q, x) = (b.byte(), b.byte(), b.byte(), b.byte());
            Command::Consume {
                asset: id(a),
                part: part(f, q),
                consumed_by: (x & 16 != 0).then(|| id(x)),
                user: USERS.get(usize::from((x >> 5) & 3)).copied(),
            }
        }
        7 => Command::Allocate {
            asset: id(b.byte()),
            new_asset: id(b.byte()),
        },
        8 => {
            let (a, f, q) = (b.byte(), b.byte(), b.byte());
            Command::MarkForDisposal {
                asset: id(a),
                part: optional_part(f, q),
            }
        }
        9 => Command::CancelDisposal {
            asset: id(b.byte()),
            substate: optional_substate(b.byte()),
        },
        10 => {
            let (a, rm, f, q) = (b.byte(), b.byte(), b.byte(), b.byte());
            Command::Transfer {
                asset: id(a),
                to: room(rm),
                part: optional_part(f, q),
            }
        }
        11 => Command::AdvanceTransfer {
            asset: id(b.byte()),
        },
        12 => Command::CancelTransfer {
            asset: id(b.byte()),
        },
        13 => Command::Retire {
            asset: id(b.byte()),
            substate: optional_substate(b.byte()),
        },
        14 => {
            let (a, p) = (b.byte(), b.byte());
            Command::SetParent {
                asset: id(a),
                parent: (p < 192).then(|| id(p)),
            }
        }
        15 => Command::RunStockRules,
        _ => Command::RestockDelivered {
            rule: RULES[usize::from(b.byte()) % RULES.len()].to_owned(),
        },
    }
}

fn raw<const N: usize>(b: &mut Bytes<'_>) -> [u8; N] {
    std::array::from_fn(|_| b.byte())
}

/// A `u32`: raw, an edge, or 0 to 100.
fn number(b: &mut Bytes<'_>) -> u32 {
    match b.pick(3) {
        0 => u32::from_le_bytes(raw(b)),
        1 => b.choose(&[0, 1, 2, 4, 5, 99, 100, 101, u32::MAX], 0),
        _ => u32::from(b.byte() % 101),
    }
}

/// An `i64`: raw, small, an edge, or (for a salvage value) a fraction of the cost.
fn amount(b: &mut Bytes<'_>, cost: Option<i64>) -> i64 {
    match b.pick(5) {
        0 => i64::from_le_bytes(raw(b)),
        1 => i64::from(u16::from_le_bytes(raw(b))),
        2 => b.choose(
            &[
                0,
                1,
                99,
                100,
                10_000,
                100_000,
                1_000_000,
                i64::MAX,
                i64::MAX - 1,
                i64::MIN,
                -1,
            ],
            0,
        ),
        3 => i64::from(u32::from_le_bytes(raw(b))),
        _ => {
            let share = i128::from(b.byte());
            cost.map_or(0, |c| {
                i64::try_from(i128::from(c) * share / 255).unwrap_or(0)
            })
        }
    }
}

/// A date anywhere from `NaiveDate::MIN` to `MAX`, near 29 February 2024, or (for the date
/// valued) near the effective date's anniversaries.
fn date(b: &mut Bytes<'_>, effective: Option<NaiveDate>) -> NaiveDate {
    let leap = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or(NaiveDate::MIN);
    let base = effective.unwrap_or(leap);
    match b.pick(6) {
        0 => NaiveDate::MIN,
        1 => NaiveDate::MAX,
        2 => {
            let lo = i64::from(NaiveDate::MIN.num_days_from_ce());
            let hi = i64::from(NaiveDate::MAX.num_days_from_ce());
            let offset = i64::from(u32::from_le_bytes(raw(b))) % (hi - lo + 1);
            i32::try_from(lo + offset)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .unwrap_or(NaiveDate::MIN)
        }
        3 => {
            let days = i64::from(i16::from_le_bytes(raw(b)));
            leap.checked_add_signed(Duration::days(days))
                .unwrap_or(leap)
        }
        4 => base
            .checked_add_days(Days::new(u64::from(u16::from_le_bytes(raw(b)))))
            .unwrap_or(NaiveDate::MAX),
        _ => {
            let x = b.byte();
            let years = Months::new(12 * u32::from(x % 8));
            let anniversary = base.checked_add_months(years).unwrap_or(NaiveDate::MAX);
            match (x >> 3) % 3 {
                0 => anniversary.pred_opt().unwrap_or(anniversary),
                1 => anniversary,
                _ => anniversary.succ_opt().unwrap_or(anniversary),
            }
        }
    }
}

/// A depreciation from the bytes: never a panic; `Ok` exactly when the inputs are valid,
/// and then within the cost and the salvage value.
pub fn valuation(b: &mut Bytes<'_>) {
    let method = if b.flag() {
        Method::DecliningBalance { percent: number(b) }
    } else {
        Method::StraightLine
    };
    let life_years = number(b);
    let cost = amount(b, None);
    let salvage = amount(b, Some(cost));
    let effective = date(b, None);
    let on = date(b, Some(effective));
    let schedule = Schedule { method, life_years };
    let answer = value(&schedule, cost, salvage, effective, on);
    let end = (1..=100)
        .contains(&life_years)
        .then(|| effective.checked_add_months(Months::new(12 * life_years)))
        .flatten();
    let percent_ok = match method {
        Method::DecliningBalance { percent } => (1..=100).contains(&percent),
        Method::StraightLine => true,
    };
    let valid = cost >= 0 && salvage >= 0 && salvage <= cost && percent_ok && end.is_some();
    assert_eq!(
        answer.is_ok(),
        valid,
        "value({schedule:?}, {cost}, {salvage}, {effective}, {on}) = {answer:?}"
    );
    if let Ok(v) = answer {
        let args = format!("value({schedule:?}, {cost}, {salvage}, {effective}, {on}) = {v:?}");
        assert!(salvage <= v.residual && v.residual <= cost, "{args}");
        assert_eq!(v.depreciated, cost - v.residual, "{args}");
        assert_eq!(Some(v.residual_date), end, "{args}");
        if on <= effective {
            assert_eq!(v.residual, cost, "nothing depreciated yet: {args}");
        } else if on >= v.residual_date {
            assert_eq!(v.residual, salvage, "at the end of life: {args}");
        }
    }
}

/// Items per class and model.
fn totals(inventory: &Inventory) -> BTreeMap<(AssetClass, String), u64> {
    let mut totals = BTreeMap::new();
    for a in inventory.assets() {
        *totals.entry((a.class, a.model.clone())).or_insert(0) += u64::from(a.quantity);
    }
    totals
}

/// What must hold of every inventory the commands reach.
pub fn check(policy: &Policy, inventory: &Inventory) {
    let mut mergeable = HashSet::new();
    let mut available: BTreeMap<(String, String), u64> = BTreeMap::new();
    for a in inventory.assets() {
        let p = &a.placement;
        assert!(
            policy.allows(a.class, p.status, p.substate.as_ref()),
            "asset {} ({}) is {:?} {:?}, which the policy does not allow",
            a.id,
            a.class,
            p.status,
            p.substate
        );
        assert!(a.quantity >= 1, "asset {} holds no item", a.id);
        assert!(
            a.quantity == 1
                || a.class == AssetClass::Consumable
                || p.substate == Some(Substate::PRE_ALLOCATED),
            "asset {} ({}) holds {} items",
            a.id,
            a.class,
            a.quantity
        );
        if p.status == Status::InStock {
            assert!(
                p.stockroom.as_deref().is_some_and(|s| !s.is_empty()),
                "asset {} is in stock in stockroom {:?}",
                a.id,
                p.stockroom
            );
            if p.substate == Some(Substate::AVAILABLE) {
                if let Some(room) = &p.stockroom {
                    *available
                        .entry((a.model.clone(), room.clone()))
                        .or_insert(0) += u64::from(a.quantity);
                }
            }
        }
        if let Some(parent) = a.parent {
            let Some(parent) = inventory.asset(parent) else {
                panic!("asset {} names parent {parent}, not in the inventory", a.id);
            };
            let mut expected: Placement = parent.placement.clone();
            expected.consumed_by = None;
            expected.transfer = None;
            assert_eq!(
                *p, expected,
                "child {} is not placed as its parent {}",
                a.id, parent.id
            );
        }
        let children: Vec<AssetId> = inventory
            .assets()
            .filter(|c| c.parent == Some(a.id))
            .map(|c| c.id)
            .collect();
        assert_eq!(
            inventory.children(a.id).collect::<Vec<_>>(),
            children,
            "the children of {}",
            a.id
        );
        if a.class == AssetClass::Consumable
            && p.substate != Some(Substate::PENDING_DISPOSAL)
            && p.transfer.is_none()
            && a.parent.is_none()
        {
            assert!(
                mergeable.insert((a.model.clone(), a.cost, a.ci.clone(), p.clone())),
                "asset {} is identical to another mergeable record: {:?}",
                a.id,
                a
            );
        }
    }
    let mut keys: Vec<(String, String)> = available.keys().cloned().collect();
    for model in MODELS {
        for room in ROOMS.iter().chain(&[""]) {
            keys.push((model.to_owned(), (*room).to_owned()));
        }
    }
    for (model, room) in keys {
        let recount = available
            .get(&(model.clone(), room.clone()))
            .copied()
            .unwrap_or(0);
        assert_eq!(
            inventory.available(&model, &room),
            recount,
            "available({model:?}, {room:?})"
        );
    }
}

/// Bytes to a policy and a stream of commands: never a panic, every invariant holds.
pub fn commands(data: &[u8]) {
    run(data);
}

/// [`commands`], returning each command and what `decide` answered.
pub fn run(data: &[u8]) -> Vec<Outcome> {
    let mut b = Bytes::new(data);
    let policy = policy(&mut b);
    // What the stock commands check of the policy: its stock rules alone.
    let stock_rules_valid = {
        let mut alone = Policy::servicenow();
        alone.stock_rules.clone_from(&policy.stock_rules);
        alone.check().is_ok()
    };
    let clerk = Actor::new(
        UserId::from_u128(7),
        Role::new("asset").ok().into_iter().collect::<Vec<_>>(),
    );
    let nobody = Actor::new(
        UserId::from_u128(8),
        Role::new("itil").ok().into_iter().collect::<Vec<_>>(),
    );
    let Some(mut now) = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single() else {
        return Vec::new();
    };
    let mut inventory = Inventory::new();
    let mut log: Vec<Event> = Vec::new();
    // Every event so far folded with `evolve` from `Inventory::new()`, a step at a time (the
    // same fold as from scratch after each command, without its quadratic cost).
    let mut replayed = Inventory::new();
    let mut outcomes = Vec::new();
    for _ in 0..MAX_STEPS {
        if b.is_empty() {
            break;
        }
        now += Duration::minutes(i64::from(b.byte()) - 8);
        let c = b.byte();
        let kind = c % 18;
        if kind == 17 {
            valuation(&mut b);
            continue;
        }
        let actor = if (234..252).contains(&c) {
            &nobody
        } else {
            &clerk
        };
        let command = command(kind, &mut b, &inventory, &policy);
        let ctx = Context::new(now, actor, &policy);
        let snapshot = inventory.clone();
        let answer = decide(&inventory, &command, &ctx);
        assert_eq!(
            decide(&inventory, &command, &ctx),
            answer,
            "decide answered twice differently"
        );
        let backwards = inventory.last_at().is_some_and(|last| now < last);
        let stock_command = matches!(
            command,
            Command::RunStockRules | Command::RestockDelivered { .. }
        );
        if backwards {
            assert!(
                matches!(answer, Err(Error::ClockWentBackwards { .. })),
                "{command:?} at {now}, before the last event, gave {answer:?}"
            );
        } else if !matches!(command, Command::RunStockRules) && std::ptr::eq(actor, &nobody) {
            assert!(
                matches!(answer, Err(Error::Denied { .. })),
                "{command:?} without the asset role gave {answer:?}"
            );
        } else if stock_command && !stock_rules_valid {
            assert!(
                matches!(answer, Err(Error::InvalidPolicy { .. })),
                "invalid stock rules, yet {command:?} gave {answer:?}"
            );
        } else if matches!(answer, Err(Error::InvalidPolicy { .. })) {
            panic!("{command:?} refused with {answer:?}, but its part of the policy is valid");
        }
        match &answer {
            // `decide` borrows the inventory immutably, so this holds by construction; checked
            // all the same, in case the host's loop (this one) ever applies a refusal.
            Err(_) => assert_eq!(
                inventory, snapshot,
                "a refused command changed the inventory"
            ),
            Ok(events) => {
                let before = totals(&inventory);
                inventory.apply(events);
                for e in events {
                    assert_eq!(e.at(), now, "{e:?} is not stamped with now");
                }
                log.extend(events.iter().cloned());
                check(&policy, &inventory);
                if let Err(e) = inventory.check(&policy) {
                    panic!("Inventory::check refuses what decide built: {e}");
                }
                replayed = events.iter().fold(replayed, evolve);
                assert_eq!(
                    replayed, inventory,
                    "the log does not replay to the inventory"
                );
                let mut expected = before;
                if let Command::Register { asset } = &command {
                    *expected
                        .entry((asset.class, asset.model.clone()))
                        .or_insert(0) += u64::from(asset.quantity);
                }
                assert_eq!(
                    totals(&inventory),
                    expected,
                    "{command:?} changed the items per class and model"
                );
            }
        }
        outcomes.push((command, answer));
    }
    assert_eq!(
        log.iter().fold(Inventory::new(), evolve),
        inventory,
        "the whole log does not replay to the inventory"
    );
    let text = serde_json::to_string(&inventory)
        .unwrap_or_else(|e| panic!("an inventory always serializes: {e}"));
    let back: Inventory = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the inventory does not read back: {e}\n{text}"));
    assert_eq!(back, inventory, "the inventory's JSON round trip");
    let text =
        serde_json::to_string(&log).unwrap_or_else(|e| panic!("events always serialize: {e}"));
    let back: Vec<Event> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the events do not read back: {e}\n{text}"));
    assert_eq!(back, log, "the events' JSON round trip");
    outcomes
}
