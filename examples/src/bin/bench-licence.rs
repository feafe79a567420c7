//! Licence reconciliation's speed: `itsm_licence::reconcile` on an estate of a million
//! installs and a hundred thousand subscriptions, against the plain Python reconciliation a
//! user would otherwise write (`examples/bench/licence_reconcile.py`, standard library only,
//! the same rules), in one run, with the ratio.
//!
//! The estate is generated deterministically (a seeded xorshift): 200,000 devices (a fifth
//! servers with processors and cores), 100,000 users, 100 product families of four versions
//! (each version's rights downgrade to the earlier ones) under every metric (per device, per
//! user with two installs a right, per core with a minimum of four a processor, per
//! processor up to sixteen cores, user and device CALs, named users and devices), ten
//! subscription products, 420 entitlements (some unlimited) with about 14,000 allocations.
//! Both sides print a summary (installs, subscriptions, unlicensed of each, rights used,
//! rights allocated not in use); the two must agree.
//!
//! Also timed, deep and wide: a model whose rights downgrade to 100,000 earlier models, each
//! installed once; one device with 200,000 installs of 200,000 models, each with its own
//! entitlement; 100,000 entitlements of one right on one model for 200,000 devices; one user
//! with a million installs; the estate's snapshot read from JSON and its position written.
//!
//! What is measured, each the median of [`REPS`] runs: records (installs and subscriptions)
//! per second on the wall clock, and the thread's CPU time (`/proc/thread-self/schedstat`).
//!
//! Run: `cargo run --release -p itsm-examples --bin bench-licence` (`--no-python` skips the
//! peer). The peer needs only `python3`; nothing is installed.

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::io::Write;

use chrono::NaiveDate;
use itsm_examples::bench::{Rng, cpus_visible, load_average, python_peer, target_dir, time_median};
use itsm_licence::{
    Device, Entitlement, Install, Metric, Policy, Position, Rights, Snapshot, SoftwareModel,
    Subscription, reconcile,
};

type Res<T> = Result<T, Box<dyn Error>>;

const DEVICES: u64 = 200_000;
const USERS: u64 = 100_000;
const FAMILIES: u64 = 100;
const VERSIONS: u64 = 4;
const SUB_MODELS: u64 = 10;
const INSTALLS: u64 = 1_000_000;
const SUBSCRIPTIONS: u64 = 100_000;
/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;

fn model(n: u64) -> String {
    format!("m{n:05}")
}
fn device(n: u64) -> String {
    format!("d{n:06}")
}
fn user(n: u64) -> String {
    format!("u{n:06}")
}

/// A family's metric, and its code for the Python peer (with the attributes a, b).
fn family_metric(f: u64) -> (Metric, u8, u32, u32) {
    match f % 8 {
        0 => (Metric::PER_DEVICE, 0, 0, 0),
        1 => (
            Metric::PerUser {
                max_installs_per_right: Some(2),
            },
            1,
            2,
            0,
        ),
        2 => (
            Metric::PerCore {
                min_cores_per_processor: 4,
                min_cores_per_server: 0,
            },
            4,
            4,
            0,
        ),
        3 => (
            Metric::PerProcessor {
                max_cores_per_processor: Some(16),
            },
            5,
            16,
            0,
        ),
        4 => (Metric::UserCal, 7, 0, 0),
        5 => (Metric::DeviceCal, 6, 0, 0),
        6 => (
            Metric::PerNamedUser {
                max_installs_per_right: None,
            },
            3,
            0,
            0,
        ),
        _ => (
            Metric::PerNamedDevice {
                max_installs_per_right: None,
            },
            2,
            0,
            0,
        ),
    }
}

fn is_server(d: u64) -> bool {
    d % 5 == 0
}

/// The estate, and per entitlement its Python metric code and attributes.
fn estate() -> (Snapshot, Vec<(u8, u32, u32)>) {
    let mut rng = Rng::new(0x11C3_2026);
    let mut s = Snapshot::new(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default());
    for f in 0..FAMILIES {
        for v in 1..VERSIONS {
            let mut m = SoftwareModel::new(model(f * VERSIONS + v));
            m.downgrades_to = (0..v).rev().map(|w| model(f * VERSIONS + w)).collect();
            s.models.push(m);
        }
    }
    s.devices = (0..DEVICES)
        .map(|d| {
            let dev = Device::new(device(d));
            if is_server(d) {
                let p = 1 + u32::try_from(rng.below(4)).unwrap_or(0);
                let c = 2 + u32::try_from(rng.below(31)).unwrap_or(0);
                dev.with_hardware(p, c)
            } else {
                dev
            }
        })
        .collect();
    for i in 0..INSTALLS {
        let f = rng.below(FAMILIES);
        let v = rng.below(VERSIONS);
        let (metric, ..) = family_metric(f);
        let d = if metric.licensee() == itsm_licence::Licensee::Device && f % 8 < 4 && f % 8 >= 2 {
            rng.below(DEVICES / 5) * 5
        } else {
            rng.below(DEVICES)
        };
        let mut install = Install::new(format!("i{i:07}"), model(f * VERSIONS + v), device(d));
        if !is_server(d) && rng.below(10) > 0 {
            install.user = Some(user(d % USERS));
        }
        s.installs.push(install);
    }
    for i in 0..SUBSCRIPTIONS {
        let m = FAMILIES * VERSIONS + rng.below(SUB_MODELS);
        s.subscriptions.push(Subscription::new(
            format!("s{i:06}"),
            model(m),
            user(rng.below(USERS)),
        ));
    }
    let mut codes = Vec::new();
    let mut n = 0u64;
    for f in 0..FAMILIES {
        let (metric, code, a, b) = family_metric(f);
        for _ in 0..4 {
            let v = rng.below(VERSIONS);
            let per = match f % 8 {
                2 => 40,
                3 => 4,
                _ => 1,
            };
            let rights = if rng.below(50) == 0 {
                Rights::Unlimited
            } else {
                Rights::Count((300 + rng.below(1_700)) * per)
            };
            let mut e =
                Entitlement::new(format!("E{n:04}"), model(f * VERSIONS + v), metric, rights)
                    .costing(1_000 + rng.below(99_000));
            let allocations = if metric.is_named() { 150 } else { 20 };
            let mut left = match rights {
                Rights::Count(r) => r,
                Rights::Unlimited => u64::MAX,
            };
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..allocations {
                let to = match metric.licensee() {
                    itsm_licence::Licensee::Device => device(rng.below(DEVICES)),
                    itsm_licence::Licensee::User => user(rng.below(USERS)),
                };
                let q = per;
                if q <= left && seen.insert(to.clone()) {
                    left -= q;
                    e = e.allocate(to, q);
                }
            }
            s.entitlements.push(e);
            codes.push((code, a, b));
            n += 1;
        }
    }
    for m in 0..SUB_MODELS {
        for _ in 0..2 {
            let mut e = Entitlement::new(
                format!("E{n:04}"),
                model(FAMILIES * VERSIONS + m),
                Metric::UserSubscription,
                Rights::Count(4_000),
            )
            .costing(5_000 + rng.below(5_000));
            let mut seen = std::collections::BTreeSet::new();
            for _ in 0..500 {
                let to = user(rng.below(USERS));
                if seen.insert(to.clone()) {
                    e = e.allocate(to, 1);
                }
            }
            s.entitlements.push(e);
            codes.push((8, 0, 0));
            n += 1;
        }
    }
    (s, codes)
}

/// The summary both sides print.
fn summary(p: &Position) -> String {
    let (mut i, mut s, mut ui, mut us, mut used, mut unused) = (0, 0, 0, 0, 0, 0);
    for m in &p.models {
        i += m.installs;
        s += m.subscriptions;
        ui += m.unlicensed_installs;
        us += m.unlicensed_subscriptions;
        for r in &m.metrics {
            used += r.rights_used;
            unused += r.allocated_not_in_use;
        }
    }
    format!(
        "installs {i}, subscriptions {s}, unlicensed installs {ui}, unlicensed subscriptions {us}, rights used {used}, allocated not in use {unused}"
    )
}

/// Median wall and CPU milliseconds of `f` over [`REPS`] runs, and its last answer.
fn time<T>(f: impl FnMut() -> Res<T>) -> Res<(f64, f64, T)> {
    time_median(REPS, f)
}

fn write_tsv(s: &Snapshot, codes: &[(u8, u32, u32)], path: &std::path::Path) -> Res<()> {
    let num = |id: &str| id.get(1..).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for m in &s.models {
        let list: Vec<String> = m.downgrades_to.iter().map(|d| num(d).to_string()).collect();
        writeln!(out, "M\t{}\t{}", num(&m.id), list.join(","))?;
    }
    for d in &s.devices {
        writeln!(
            out,
            "D\t{}\t{}\t{}",
            num(&d.id),
            d.processors.unwrap_or(0),
            d.cores_per_processor.unwrap_or(0)
        )?;
    }
    for i in &s.installs {
        let u = i
            .user
            .as_deref()
            .map_or(-1, |u| i64::try_from(num(u)).unwrap_or(-1));
        writeln!(out, "I\t{}\t{}\t{u}", num(&i.model), num(&i.device))?;
    }
    for x in &s.subscriptions {
        writeln!(out, "S\t{}\t{}", num(&x.model), num(&x.user))?;
    }
    // Entitlements in id order (the Rust order), numbered as the L lines name them.
    for (k, (e, (code, a, b))) in s.entitlements.iter().zip(codes).enumerate() {
        let rights = match e.rights {
            Rights::Count(n) => i64::try_from(n).unwrap_or(i64::MAX),
            Rights::Unlimited => -1,
        };
        writeln!(
            out,
            "E\t{}\t{code}\t{a}\t{b}\t{rights}\t{}",
            num(&e.model),
            e.unit_cost
        )?;
        for al in &e.allocations {
            writeln!(out, "L\t{k}\t{}\t{}", num(&al.to), al.quantity)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn main() -> Res<()> {
    let python = !std::env::args().any(|a| a == "--no-python");
    println!(
        "bench-licence: {} CPUs visible, load {}",
        cpus_visible(),
        load_average()
    );
    let policy = Policy::servicenow();
    let (snapshot, codes) = estate();
    let allocations: usize = snapshot
        .entitlements
        .iter()
        .map(|e| e.allocations.len())
        .sum();
    println!(
        "estate: {} devices, {} installs, {} subscriptions, {} models, {} entitlements, {allocations} allocations",
        snapshot.devices.len(),
        snapshot.installs.len(),
        snapshot.subscriptions.len(),
        snapshot.models.len(),
        snapshot.entitlements.len()
    );
    let records = (INSTALLS + SUBSCRIPTIONS) as f64;
    let (wall, cpu, position) = time(|| Ok(reconcile(&snapshot, &policy)?))?;
    let line = summary(&position);
    let rate = records / (wall / 1e3);
    println!(
        "itsm-licence: reconcile in {wall:.0} ms (thread CPU {cpu:.0} ms), {rate:.0} records/s"
    );
    println!("itsm-licence summary: {line}");

    // Deep: one model's rights downgrade to 100,000 earlier models, each installed once.
    let mut deep = Snapshot::new(snapshot.as_of);
    let mut top = SoftwareModel::new("L");
    top.downgrades_to = (0..100_000).map(|n| format!("L{n:06}")).collect();
    deep.models = vec![top];
    deep.devices = (0..100_000).map(|n| Device::new(device(n))).collect();
    deep.installs = (0..100_000)
        .map(|n| Install::new(format!("i{n:06}"), format!("L{n:06}"), device(n)))
        .collect();
    deep.entitlements = vec![Entitlement::new(
        "E",
        "L",
        Metric::PER_DEVICE,
        Rights::Count(50_000),
    )];
    let (ms, _, p) = time(|| Ok(reconcile(&deep, &policy)?))?;
    let licensed = p
        .installs
        .iter()
        .filter(|c| c.entitlement.is_some())
        .count();
    println!(
        "deep: a 100000-model downgrade list, 100000 installs: {ms:.0} ms ({licensed} licensed)"
    );
    let mut worst = ms;

    // Wide: one device with 200,000 models, each with its own entitlement (half with none).
    let mut wide = Snapshot::new(snapshot.as_of);
    wide.devices = vec![Device::new("big")];
    wide.installs = (0..200_000)
        .map(|n| Install::new(format!("i{n:06}"), format!("M{n:06}"), "big"))
        .collect();
    wide.entitlements = (0..200_000)
        .map(|n| {
            Entitlement::new(
                format!("E{n:06}"),
                format!("M{n:06}"),
                Metric::PER_DEVICE,
                Rights::Count(n % 2),
            )
        })
        .collect();
    let (ms, _, p) = time(|| Ok(reconcile(&wide, &policy)?))?;
    let licensed = p
        .installs
        .iter()
        .filter(|c| c.entitlement.is_some())
        .count();
    println!("wide: one device, 200000 models and entitlements: {ms:.0} ms ({licensed} licensed)");
    worst = worst.max(ms);

    // Wide: 100,000 entitlements of one right on one model, 200,000 devices.
    let mut fan = Snapshot::new(snapshot.as_of);
    fan.devices = (0..200_000).map(|n| Device::new(device(n))).collect();
    fan.installs = (0..200_000)
        .map(|n| Install::new(format!("i{n:06}"), "Office", device(n)))
        .collect();
    fan.entitlements = (0..100_000)
        .map(|n| {
            Entitlement::new(
                format!("E{n:06}"),
                "Office",
                Metric::PER_DEVICE,
                Rights::Count(1),
            )
            .costing(n % 997)
        })
        .collect();
    let (ms, _, p) = time(|| Ok(reconcile(&fan, &policy)?))?;
    println!(
        "wide: 100000 one-right entitlements of one model, 200000 devices: {ms:.0} ms ({} unlicensed)",
        p.models.first().map_or(0, |m| m.unlicensed_installs)
    );
    worst = worst.max(ms);

    // Deep: one user with a million installs, one right for every two.
    let mut heavy = Snapshot::new(snapshot.as_of);
    heavy.devices = (0..1_000).map(|n| Device::new(device(n))).collect();
    heavy.installs = (0..1_000_000)
        .map(|n| Install::new(format!("i{n:07}"), "Tool", device(n % 1_000)).by("ana"))
        .collect();
    heavy.entitlements = vec![Entitlement::new(
        "E",
        "Tool",
        Metric::PerUser {
            max_installs_per_right: Some(2),
        },
        Rights::Count(500_000),
    )];
    let (ms, _, p) = time(|| Ok(reconcile(&heavy, &policy)?))?;
    println!(
        "deep: one user with 1000000 installs: {ms:.0} ms ({} rights used)",
        p.models
            .first()
            .and_then(|m| m.metrics.first())
            .map_or(0, |r| r.rights_used)
    );
    worst = worst.max(ms);

    // The estate through JSON.
    let text = serde_json::to_string(&snapshot)?;
    let (read_ms, _, _) = time(|| Ok(serde_json::from_str::<Snapshot>(&text)?))?;
    let (write_ms, _, out) = time(|| Ok(serde_json::to_string(&position)?))?;
    println!(
        "json: the estate's snapshot ({} MB) read in {read_ms:.0} ms; its position ({} MB) written in {write_ms:.0} ms",
        text.len() / 1_000_000,
        out.len() / 1_000_000
    );
    println!("worst deep or wide ms: {worst:.0}");

    if python {
        let dir = target_dir().join("bench-licence");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("snapshot.tsv");
        write_tsv(&snapshot, &codes, &path)?;
        python_peer(
            concat!(env!("CARGO_MANIFEST_DIR"), "/bench/licence_reconcile.py"),
            &path,
            "records",
            "itsm-licence",
            &line,
            rate,
        );
    }
    Ok(())
}
