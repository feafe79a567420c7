//! Asset management's throughput: `itsm_asset::decide` and `Inventory::apply` over a million
//! asset commands on an estate of 200,000 laptops and 400 consumable records, against the
//! plain Python loop a user would otherwise write (`examples/bench/asset_fold.py`, standard
//! library only, the same rules for the same commands), in one run, with the ratio.
//!
//! The workload is generated deterministically (a seeded xorshift) and aims blindly, as a
//! busy service desk's stream does: laptops assigned, returned, reserved, transferred and
//! advanced through the transfer stages, sent to maintenance and put back; keyboards and
//! other consumables consumed a few at a time by fifty users (so consumed records merge).
//! Commands the rules refuse (a laptop already in use assigned again) are refused by both.
//! Both loops print a summary (accepted, refused, splits, merges, records, items in use and
//! available); the two must agree.
//!
//! Also timed, deep and wide: a parent chain of a million assets moved by its root (every
//! descendant follows), a hundred thousand consumed records of one model with merges
//! looked up among them, the stock rules (ten thousand) over the estate, a million
//! depreciation valuations, and the estate's JSON read back (its records checked).
//!
//! What is measured, each the median of [`REPS`] runs: commands per second on the wall
//! clock and on the thread's CPU (`/proc/thread-self/schedstat`).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-asset` (`--no-python` skips the
//! peer; `--workload-only` stops after the main workload, for a profiler).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::io::Write;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use itsm_asset::{
    Actor, AssetClass, AssetId, Command, Context, Event, Inventory, Method, NewAsset, Part, Policy,
    RestockSource, Role, Schedule, Status, StockRule, Substate, UserId, decide, value,
};
use itsm_examples::bench::{
    Rng, cpus_visible, load_average, median_min_max, python_peer, target_dir, thread_cpu_ns,
};

type Res<T> = Result<T, Box<dyn Error>>;

/// Laptops in the estate.
const LAPTOPS: u64 = 200_000;
/// Consumable models and stockrooms (one record of each model in each room).
const MODELS: u64 = 20;
const ROOMS: u64 = 20;
/// Items in each consumable record at the start.
const STOCK: u32 = 5_000;
/// Commands in the workload.
const COMMANDS: usize = 1_000_000;
/// Users laptops go to, and users who consume.
const USERS: u64 = 100_000;
const CONSUMERS: u64 = 50;
/// Length of the parent chain; consumed records of one model; stock rules; valuations.
const DEEP: u64 = 1_000_000;
const WIDE: u64 = 100_000;
const RULES: u64 = 10_000;
/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;

/// One generated operation: a code and up to four numbers, as the TSV gives it to Python.
#[derive(Clone, Copy)]
struct Op {
    code: char,
    a: u64,
    b: u64,
    c: u64,
    d: u64,
}

fn room(n: u64) -> String {
    format!("room-{n}")
}

fn consumable_id(model: u64, room: u64) -> u64 {
    LAPTOPS + 1 + model * ROOMS + room
}

fn workload(seed: u64) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    (0..COMMANDS)
        .map(|i| {
            let laptop = 1 + rng.next_u64() % LAPTOPS;
            let roll = rng.next_u64() % 100;
            let op = |code, a, b, c, d| Op { code, a, b, c, d };
            match roll {
                0..30 => op('A', laptop, rng.next_u64() % USERS, 0, 0),
                30..50 => op('R', laptop, rng.next_u64() % ROOMS, 0, 0),
                50..75 => {
                    let record = consumable_id(rng.next_u64() % MODELS, rng.next_u64() % ROOMS);
                    let quantity = 1 + rng.next_u64() % 3;
                    let user = rng.next_u64() % CONSUMERS;
                    op('C', record, quantity, user, 10_000_000 + i as u64)
                }
                75..80 => op('V', laptop, rng.next_u64() % USERS, 0, 0),
                80..85 => op('T', laptop, rng.next_u64() % ROOMS, 0, 0),
                85..95 => op('X', laptop, 0, 0, 0),
                95..98 => op('M', laptop, 0, 0, 0),
                _ => op('S', laptop, rng.next_u64() % ROOMS, 0, 0),
            }
        })
        .collect()
}

fn id(n: u64) -> AssetId {
    AssetId::from_u128(u128::from(n))
}

fn user(n: u64) -> UserId {
    UserId::from_u128(u128::from(n) + 1)
}

fn command(op: &Op) -> Command {
    match op.code {
        'A' => Command::Assign {
            asset: id(op.a),
            user: user(op.b),
        },
        'R' => Command::Return {
            asset: id(op.a),
            stockroom: room(op.b),
            substate: None,
            part: None,
        },
        'C' => Command::Consume {
            asset: id(op.a),
            part: Part {
                quantity: u32::try_from(op.b).unwrap_or(1),
                new_asset: id(op.d),
            },
            consumed_by: None,
            user: Some(user(op.c)),
        },
        'V' => Command::Reserve {
            asset: id(op.a),
            user: user(op.b),
        },
        'T' => Command::Transfer {
            asset: id(op.a),
            to: room(op.b),
            part: None,
        },
        'X' => Command::AdvanceTransfer { asset: id(op.a) },
        'M' => Command::SetState {
            asset: id(op.a),
            status: Status::InMaintenance,
            substate: None,
            stockroom: None,
        },
        _ => Command::SetState {
            asset: id(op.a),
            status: Status::InStock,
            substate: Some(Substate::AVAILABLE),
            stockroom: Some(room(op.b)),
        },
    }
}

fn estate() -> Vec<Command> {
    let mut out = Vec::new();
    for n in 1..=LAPTOPS {
        out.push(Command::Register {
            asset: NewAsset::new(id(n), AssetClass::Hardware, "Latitude 5520")
                .in_stock(room(n % ROOMS), Substate::AVAILABLE)
                .cost(120_000),
        });
    }
    for model in 0..MODELS {
        for r in 0..ROOMS {
            out.push(Command::Register {
                asset: NewAsset::new(
                    id(consumable_id(model, r)),
                    AssetClass::Consumable,
                    format!("model-{model}"),
                )
                .in_stock(room(r), Substate::AVAILABLE)
                .quantity(STOCK)
                .cost(2_500),
            });
        }
    }
    out
}

#[derive(Default, PartialEq, Eq, Debug, Clone)]
struct Summary {
    accepted: u64,
    refused: u64,
    split: u64,
    merged: u64,
}

/// Runs the commands through `decide` and `apply`, a minute apart from `t0`.
fn run(
    inventory: &mut Inventory,
    commands: &[Command],
    policy: &Policy,
    actor: &Actor,
    t0: DateTime<Utc>,
) -> (Summary, f64, Option<f64>) {
    let mut summary = Summary::default();
    let cpu0 = thread_cpu_ns();
    let start = Instant::now();
    for (i, command) in commands.iter().enumerate() {
        let now = t0 + Duration::minutes(i64::try_from(i).unwrap_or(0));
        match decide(inventory, command, &Context::new(now, actor, policy)) {
            Ok(events) => {
                summary.accepted += 1;
                for e in &events {
                    match e {
                        Event::Split { .. } => summary.split += 1,
                        Event::Merged { .. } => summary.merged += 1,
                        _ => {}
                    }
                }
                inventory.apply(&events);
            }
            Err(_) => summary.refused += 1,
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu0
        .zip(thread_cpu_ns())
        .map(|(a, b)| (b.saturating_sub(a)) as f64 / 1e9);
    (summary, wall, cpu)
}

fn describe(summary: &Summary, inventory: &Inventory) -> String {
    let in_use: u64 = inventory
        .assets()
        .filter(|a| a.status() == Status::InUse)
        .map(|a| u64::from(a.quantity))
        .sum();
    let available: u64 = inventory
        .assets()
        .filter(|a| a.status() == Status::InStock && a.substate() == Some(&Substate::AVAILABLE))
        .map(|a| u64::from(a.quantity))
        .sum();
    format!(
        "accepted {} refused {} split {} merged {} records {} in_use {} available {}",
        summary.accepted,
        summary.refused,
        summary.split,
        summary.merged,
        inventory.len(),
        in_use,
        available
    )
}

fn median_ms(mut f: impl FnMut() -> Res<()>) -> Res<f64> {
    let mut ms = Vec::new();
    for _ in 0..REPS {
        let start = Instant::now();
        f()?;
        ms.push(start.elapsed().as_secs_f64() * 1e3);
    }
    Ok(median_min_max(ms).map_or(0.0, |m| m.0))
}

fn main() -> Res<()> {
    let python = !std::env::args().any(|a| a == "--no-python");
    println!(
        "bench-asset: single thread; {} CPUs visible; load average at start {}",
        cpus_visible(),
        load_average()
    );
    let policy = Policy::servicenow();
    let clerk = Actor::new(UserId::from_u128(0), [Role::new("asset")?]);
    let t0 = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .ok_or("no start instant")?;
    let setup = estate();
    let ops = workload(0xa55e7);
    let commands: Vec<Command> = ops.iter().map(command).collect();

    let mut register_rates = Vec::new();
    let mut rates = Vec::new();
    let mut cpu_rates = Vec::new();
    let mut line = String::new();
    let mut last = Inventory::new();
    for _ in 0..REPS {
        let mut inventory = Inventory::new();
        let (s, wall, _) = run(&mut inventory, &setup, &policy, &clerk, t0);
        if s.refused > 0 {
            return Err(format!("the estate's registrations were refused: {s:?}").into());
        }
        register_rates.push(setup.len() as f64 / wall);
        let start = t0 + Duration::days(3650);
        let (s, wall, cpu) = run(&mut inventory, &commands, &policy, &clerk, start);
        rates.push(COMMANDS as f64 / wall);
        if let Some(cpu) = cpu.filter(|c| *c > 0.0) {
            cpu_rates.push(COMMANDS as f64 / cpu);
        }
        line = describe(&s, &inventory);
        last = inventory;
    }
    let (median, min, max) = median_min_max(rates).unwrap_or_default();
    println!(
        "estate: {LAPTOPS} laptops, {} consumable records of {STOCK} items; registered at {:.0} commands/s",
        MODELS * ROOMS,
        median_min_max(register_rates).map_or(0.0, |m| m.0)
    );
    println!("workload: {COMMANDS} commands");
    println!("summary: {line}");
    println!(
        "itsm-asset commands/s: {median:.0} (median of {REPS}, min {min:.0}, max {max:.0}; on CPU {:.0})",
        median_min_max(cpu_rates).map_or(0.0, |m| m.0)
    );

    if std::env::args().any(|a| a == "--workload-only") {
        return Ok(());
    }

    // The estate's JSON, written and read back (every record checked on reading).
    let text = serde_json::to_string(&last)?;
    let read_ms = median_ms(|| {
        let back: Inventory = serde_json::from_str(&text)?;
        std::hint::black_box(back);
        Ok(())
    })?;
    println!(
        "json: {} records, {:.1} MB, read back in {read_ms:.0} ms",
        last.len(),
        text.len() as f64 / 1e6
    );

    // Stock rules over the estate.
    let mut ruled = policy.clone();
    for n in 0..RULES {
        ruled.stock_rules.push(StockRule {
            name: format!("rule-{n}"),
            model: format!("model-{}", n % MODELS),
            stockroom: room(n % ROOMS),
            threshold: 4_990 + n % 20,
            order: 100,
            source: RestockSource::Vendor("acme".into()),
        });
    }
    let mut requested = 0;
    let rules_ms = median_ms(|| {
        let now = t0 + Duration::days(36_500);
        let events = decide(
            &last,
            &Command::RunStockRules,
            &Context::new(now, &clerk, &ruled),
        )?;
        requested = events.len();
        Ok(())
    })?;
    println!("stock rules: {RULES} rules run in {rules_ms:.1} ms ({requested} restocks requested)");

    // Deep: a parent chain of a million assets, moved by its root.
    let mut chain = Inventory::new();
    let mut chain_commands = vec![Command::Register {
        asset: NewAsset::new(id(1), AssetClass::Hardware, "Rack")
            .in_stock("DC1", Substate::AVAILABLE),
    }];
    for n in 2..=DEEP {
        chain_commands.push(Command::Register {
            asset: NewAsset::new(id(n), AssetClass::Hardware, "Blade").parent(id(n - 1)),
        });
    }
    let (s, wall, _) = run(&mut chain, &chain_commands, &policy, &clerk, t0);
    if s.refused > 0 {
        return Err(format!("the chain's registrations were refused: {s:?}").into());
    }
    println!(
        "deep: a parent chain of {DEEP} registered in {:.0} ms",
        wall * 1e3
    );
    let mut moved = 0;
    let deep_ms = median_ms(|| {
        let now = t0 + Duration::days(36_500);
        let events = decide(
            &chain,
            &Command::Assign {
                asset: id(1),
                user: user(1),
            },
            &Context::new(now, &clerk, &policy),
        )?;
        moved = events.len();
        Ok(())
    })?;
    let mut assigned = chain.clone();
    let now = t0 + Duration::days(36_500);
    let events = decide(
        &assigned,
        &Command::Assign {
            asset: id(1),
            user: user(1),
        },
        &Context::new(now, &clerk, &policy),
    )?;
    let apply_ms = median_ms(|| {
        let mut copy = chain.clone();
        copy.apply(&events);
        std::hint::black_box(copy);
        Ok(())
    })?;
    assigned.apply(&events);
    let all_follow = assigned.assets().all(|a| a.status() == Status::InUse);
    println!(
        "deep: the root assigned in {deep_ms:.0} ms ({moved} events; applied in {apply_ms:.0} ms, clone included; every descendant in use: {all_follow})"
    );
    let chain_text = serde_json::to_string(&chain)?;
    let chain_read_ms = median_ms(|| {
        let back: Inventory = serde_json::from_str(&chain_text)?;
        std::hint::black_box(back);
        Ok(())
    })?;
    println!("deep: the chain's JSON read back (parents checked) in {chain_read_ms:.0} ms");

    // Wide: a hundred thousand consumed records of one model, then merges among them.
    let mut wide = Inventory::new();
    let mut wide_commands = vec![Command::Register {
        asset: NewAsset::new(id(1), AssetClass::Consumable, "Toner")
            .in_stock("Dublin", Substate::AVAILABLE)
            .quantity(u32::MAX),
    }];
    for n in 0..2 * WIDE {
        wide_commands.push(Command::Consume {
            asset: id(1),
            part: Part {
                quantity: 1,
                new_asset: id(10 + n),
            },
            consumed_by: None,
            user: Some(user(n % WIDE)),
        });
    }
    let (s, wall, _) = run(&mut wide, &wide_commands, &policy, &clerk, t0);
    println!(
        "wide: {} consumes by {WIDE} users ({} records, {} merged) at {:.0} commands/s",
        2 * WIDE,
        wide.len(),
        s.merged,
        (2 * WIDE) as f64 / wall
    );

    // A million valuations.
    let schedule = Schedule {
        method: Method::DecliningBalance { percent: 40 },
        life_years: 5,
    };
    let effective = NaiveDate::from_ymd_opt(2021, 1, 1).ok_or("no date")?;
    let mut total = 0i64;
    let value_ms = median_ms(|| {
        total = 0;
        for n in 0..DEEP {
            let on = effective + Duration::days(i64::try_from(n % 2_500).unwrap_or(0));
            total = total.wrapping_add(value(&schedule, 120_000, 10_000, effective, on)?.residual);
        }
        Ok(())
    })?;
    println!("value: {DEEP} valuations in {value_ms:.0} ms (total residual {total})");

    if python {
        let dir = target_dir().join("bench-asset");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("workload.tsv");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        writeln!(out, "{LAPTOPS}\t{MODELS}\t{ROOMS}\t{STOCK}")?;
        for op in &ops {
            writeln!(out, "{}\t{}\t{}\t{}\t{}", op.code, op.a, op.b, op.c, op.d)?;
        }
        out.flush()?;
        drop(out);
        python_peer(
            concat!(env!("CARGO_MANIFEST_DIR"), "/bench/asset_fold.py"),
            &path,
            "commands",
            "itsm-asset",
            &line,
            median,
        );
    }
    Ok(())
}
