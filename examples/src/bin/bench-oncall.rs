//! On-call schedules' speed: `itsm_oncall::Schedule` (`on_call`, `shifts`, `gaps`, `load`)
//! against the plain Python a team would otherwise script (`examples/bench/oncall_schedule.py`,
//! standard library only: `zoneinfo` and `datetime`, the same documented rules), in one run,
//! with the ratios.
//!
//! The schedules are generated deterministically (a seeded xorshift) in Europe/Berlin, so
//! handovers and restrictions cross daylight saving both ways:
//!
//! - the team: six layers (a weekly primary around the clock handing over on Sundays at
//!   02:30, inside the hour Berlin skips in March and twice in the hour it repeats in
//!   October; a daily secondary 07:00-22:00, ended on 1 March 2028 and replaced by a 12-hour
//!   rotation around the clock from then on; business hours on weekdays 09:00-17:00 but
//!   holidays; fortnightly nights 19:00-07:00 from Sunday to Thursday; weekend days
//!   08:00-20:00), the last layer with someone on call winning; 200 time offs (half
//!   with a cover; the others leave gaps where only the primary was on call) and 100
//!   overrides (a quarter of one layer only). Timed: `on_call` at a million random instants
//!   over two years; `shifts` (the final schedule) over one year, also with every layer
//!   combined (`Combine::All`); `gaps` over the year; `load` over the year with a business
//!   calendar (weekdays 09:00-17:00). Checked, not timed: `on_call` every minute for 36 hours
//!   either side of each of the four changes of offset.
//! - at scale: 1,000 layers of 10 members, hourly turns (handovers at four quarter-hours),
//!   four in five layers restricted; `shifts` over March 2027.
//! - contact rules (no peer: no library plans personal notifications; a scale run): one step
//!   paging 10,000 and 100,000 people (1,000 and 10,000 with `--quick`), each with a rule of
//!   two steps run three times, triggered and then ticked once late, so every one of the six
//!   contacts a person gets is planned and sent; with the growth exponent between the two.
//!
//! Both sides print a digest of every answer (on_call: a position-weighted sum of a hash of
//! each answer; shifts: their count, gaps and a hash folded over (from, to, who, layer,
//! why)); the driver compares them and prints `mismatches:` (0 when all agree).
//!
//! Each figure is the median of [`REPS`] runs on each side (one with `--quick`, a smoke run of
//! a few seconds on a smaller workload). The Python peer runs in the benchmarks' virtual
//! environment under the Cargo target folder (made with `python3 -m venv` if missing; no
//! package is installed: `zoneinfo` is in the standard library).
//!
//! Run: `taskset -c 1 cargo run --release -p itsm-examples --bin bench-oncall`
//! (`--no-python` skips the peer, `--quick` for the smoke run).

// A benchmark host must print its figures and read the clock (`Instant::now`); the
// workspace lints forbid both in library code, so this binary opts out.
#![allow(clippy::print_stdout, clippy::disallowed_methods)]

use std::error::Error;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Holiday, Segment, Week};
use itsm_examples::bench::{
    Args, Opt, Rng, clock_in_use, cpus_visible, load_average, median, memory_latency,
    python_script, python_venv, run_lines, target_dir, thread_cpu_ns, time_median, usage,
};
use itsm_oncall::{
    Actor, Channel, Combine, Command, ContactRule, Context, Event, Layer, Load, Method, Notify,
    OnCall, Override, Policy, ProfileSpec, Profiles, Repeat, Restriction, Rotation, Schedule,
    ScheduleSpec, Schedules, Shift, Span, State, Step, Target, TimeOff, Turn, UserId, Via, decide,
};
use serde_json::json;

type Res<T> = Result<T, Box<dyn Error>>;

/// Repetitions of each measurement (odd: the median is one run).
const REPS: usize = 5;
/// The hash's multiplier (both sides fold with it, modulo 2^64).
const P: u64 = 1_000_003;
const ZONE: &str = "Europe/Berlin";

/// What one run measures: full or `--quick`.
struct Sizes {
    reps: usize,
    /// People paged at once in the contact-rules run, smaller then larger.
    contact_people: [u128; 2],
    queries: usize,
    time_off: usize,
    overrides: usize,
    scale_layers: usize,
    /// The shifts window's length in days (a year; a month with `--quick`).
    window_days: i64,
    /// The scale window's length in days.
    scale_days: i64,
}

const FULL: Sizes = Sizes {
    reps: REPS,
    contact_people: [10_000, 100_000],
    queries: 1_000_000,
    time_off: 200,
    overrides: 100,
    scale_layers: 1_000,
    window_days: 366,
    scale_days: 31,
};

const QUICK: Sizes = Sizes {
    reps: 1,
    contact_people: [1_000, 10_000],
    queries: 20_000,
    time_off: 200,
    overrides: 100,
    scale_layers: 40,
    window_days: 31,
    scale_days: 7,
};

fn local(y: i32, m: u32, d: u32, h: u32, mi: u32) -> Res<NaiveDateTime> {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|date| date.and_hms_opt(h, mi, 0))
        .ok_or_else(|| format!("no local time {y}-{m}-{d} {h}:{mi}").into())
}

fn utc(y: i32, m: u32, d: u32) -> Res<DateTime<Utc>> {
    Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .ok_or_else(|| format!("no instant {y}-{m}-{d}").into())
}

fn seg(a: &str, b: &str) -> Res<Segment> {
    Ok(Segment::parse(a, b)?)
}

fn restriction(week: Week) -> Option<Restriction> {
    Some(Restriction {
        week,
        holidays: Vec::new(),
    })
}

/// A uniform pick from `users`.
fn pick(rng: &mut Rng, users: &[UserId]) -> Res<UserId> {
    Ok(*users.get(rng.index(users.len())).ok_or("nobody to pick")?)
}

/// A random instant in `[from, from + seconds)`, on a whole minute.
fn instant_in(rng: &mut Rng, from: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
    from + Duration::minutes(rng.between(0, seconds / 60 - 1))
}

/// The team's schedule: six layers, time off and overrides over 2027 and 2028.
fn team(rng: &mut Rng, sizes: &Sizes) -> Res<ScheduleSpec> {
    let pool: Vec<UserId> = (0..25)
        .map(|_| UserId::from_u128(rng.uuid_bits()))
        .collect();
    let members = |a: usize, b: usize| pool.get(a..b).map(<[UserId]>::to_vec).unwrap_or_default();
    let ends = utc(2028, 3, 1)?;
    let mut primary = Layer::new(
        "primary",
        members(0, 6),
        Rotation {
            // Sundays at 02:30: inside the hour Berlin skips on 28 March 2027 and 26 March
            // 2028, twice on 31 October 2027 and 29 October 2028.
            handover: local(2027, 1, 3, 2, 30)?,
            turn: Turn::Weeks(1),
        },
    );
    primary.starts = Some(utc(2026, 12, 1)?);
    let mut secondary = Layer::new(
        "secondary",
        members(6, 11),
        Rotation {
            handover: local(2026, 12, 31, 7, 0)?,
            turn: Turn::Days(1),
        },
    );
    secondary.ends = Some(ends);
    secondary.restriction = restriction(Week::every_day(&[seg("07:00", "22:00")?]));
    let mut twelve = Layer::new(
        "secondary-12h",
        members(6, 11),
        Rotation {
            handover: local(2028, 2, 29, 19, 0)?,
            turn: Turn::Hours(12),
        },
    );
    twelve.starts = Some(ends);
    let mut business = Layer::new(
        "business-hours",
        members(11, 15),
        Rotation {
            handover: local(2027, 1, 4, 9, 0)?,
            turn: Turn::Days(1),
        },
    );
    business.restriction = Some(Restriction {
        week: Week::weekdays(&[seg("09:00", "17:00")?]),
        holidays: vec![
            Holiday::yearly(12, 25),
            Holiday::yearly(1, 1),
            Holiday::date(NaiveDate::from_ymd_opt(2027, 5, 13).ok_or("no date")?),
        ],
    });
    let mut nights = Layer::new(
        "nights",
        members(15, 19),
        Rotation {
            handover: local(2027, 1, 3, 19, 0)?,
            turn: Turn::Weeks(2),
        },
    );
    // Sunday to Thursday nights: Friday and Saturday nights are the primary's alone.
    let night = vec![seg("19:00", "07:00")?];
    nights.restriction = restriction(Week {
        sun: night.clone(),
        mon: night.clone(),
        tue: night.clone(),
        wed: night.clone(),
        thu: night,
        ..Week::default()
    });
    let mut weekend = Layer::new(
        "weekend",
        members(19, 25),
        Rotation {
            handover: local(2027, 1, 2, 8, 0)?,
            turn: Turn::Days(1),
        },
    );
    let day = vec![seg("08:00", "20:00")?];
    weekend.restriction = restriction(Week {
        sat: day.clone(),
        sun: day,
        ..Week::default()
    });
    let layers = vec![primary, secondary, twelve, business, nights, weekend];
    let names: Vec<String> = layers.iter().map(|l| l.name.clone()).collect();

    let start = utc(2027, 1, 1)?;
    let span = (utc(2029, 1, 1)? - start).num_seconds();
    let mut time_off = Vec::new();
    for _ in 0..sizes.time_off {
        let member = pick(rng, &pool)?;
        let from = instant_in(rng, start, span);
        let to = from + Duration::minutes(rng.between(4 * 60, 10 * 24 * 60));
        let cover = if rng.below(2) == 0 {
            pool.iter()
                .copied()
                .filter(|u| *u != member)
                .nth(rng.index(pool.len() - 1))
        } else {
            None
        };
        time_off.push(TimeOff {
            member,
            from,
            to,
            cover,
        });
    }
    let outsiders: Vec<UserId> = (0..5).map(|_| UserId::from_u128(rng.uuid_bits())).collect();
    let mut overrides = Vec::new();
    for _ in 0..sizes.overrides {
        let user = if rng.below(4) == 0 {
            pick(rng, &outsiders)?
        } else {
            pick(rng, &pool)?
        };
        let from = instant_in(rng, start, span);
        let to = from + Duration::minutes(rng.between(60, 3 * 24 * 60));
        let layer = (rng.below(4) == 0)
            .then(|| names.get(rng.index(names.len())).cloned())
            .flatten();
        overrides.push(Override {
            user,
            from,
            to,
            layer,
        });
    }
    Ok(ScheduleSpec {
        name: "team".into(),
        zone: Some(ZONE.into()),
        combine: Combine::LastLayer,
        layers,
        time_off,
        overrides,
    })
}

/// A thousand layers of ten members turning every hour, four in five restricted.
fn scale(rng: &mut Rng, layers: usize) -> Res<ScheduleSpec> {
    let weekdays = Week::weekdays(&[seg("09:00", "17:00")?]);
    let nights = Week::every_day(&[seg("19:00", "07:00")?]);
    let all_day = vec![seg("00:00", "24:00")?];
    let weekends = Week {
        sat: all_day.clone(),
        sun: all_day,
        ..Week::default()
    };
    let days = Week::every_day(&[seg("08:00", "20:00")?]);
    let mut out = Vec::with_capacity(layers);
    for i in 0..layers {
        let members = (0..10)
            .map(|_| UserId::from_u128(rng.uuid_bits()))
            .collect();
        let minute = u32::try_from(i % 4).unwrap_or(0) * 15;
        let mut layer = Layer::new(
            format!("layer-{i:04}"),
            members,
            Rotation {
                handover: local(2027, 1, 1, 0, minute)?,
                turn: Turn::Hours(1),
            },
        );
        layer.restriction = match i % 5 {
            0 => None,
            1 => restriction(weekdays.clone()),
            2 => restriction(nights.clone()),
            3 => restriction(weekends.clone()),
            _ => restriction(days.clone()),
        };
        out.push(layer);
    }
    let mut spec = ScheduleSpec::new("scale", out);
    spec.zone = Some(ZONE.into());
    Ok(spec)
}

// ---------------------------------------------------------------------------------------
// Digests (the Python peer computes the same)

fn fold(h: u64, x: u64) -> u64 {
    h.wrapping_mul(P).wrapping_add(x)
}

fn user_lo(u: UserId) -> u64 {
    // The low 64 bits of the UUID.
    u64::try_from(u.0.as_u128() & u128::from(u64::MAX)).unwrap_or(0)
}

fn secs(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp()).unwrap_or(0)
}

fn fold_entry(h: u64, e: &OnCall) -> u64 {
    let layer = e.layer.map_or(0, |l| l as u64 + 1);
    let (kind, extra) = match e.via {
        Via::Rotation => (0, 0),
        Via::Cover { member } => (1, user_lo(member)),
        Via::Override { index } => (2, index as u64),
        _ => (3, 0),
    };
    fold(fold(fold(fold(h, user_lo(e.user)), layer), kind), extra)
}

/// One answer of `on_call`: its length, then each entry.
fn answer_hash(answer: &[OnCall]) -> u64 {
    answer.iter().fold(answer.len() as u64, fold_entry)
}

/// A final schedule's digest: shifts, gaps, gap seconds, the hash.
fn shifts_digest(shifts: &[Shift]) -> String {
    let mut h = 0u64;
    let (mut gaps, mut gap_secs) = (0u64, 0i64);
    for s in shifts {
        h = fold(
            fold(fold(h, secs(s.from)), secs(s.to)),
            s.on_call.len() as u64,
        );
        h = s.on_call.iter().fold(h, fold_entry);
        if s.on_call.is_empty() {
            gaps += 1;
            gap_secs += (s.to - s.from).num_seconds();
        }
    }
    format!(
        "shifts {}, gaps {gaps}, gap seconds {gap_secs}, hash {h}",
        shifts.len()
    )
}

/// Gaps' digest: how many, how long, a hash of their ends.
fn gaps_digest(gaps: &[Span]) -> String {
    let h = gaps
        .iter()
        .fold(0u64, |h, (a, b)| fold(fold(h, secs(*a)), secs(*b)));
    let total: i64 = gaps.iter().map(|(a, b)| (*b - *a).num_seconds()).sum();
    format!("gaps {}, seconds {total}, hash {h}", gaps.len())
}

fn load_digest(loads: &[Load]) -> String {
    let mut h = 0u64;
    let (mut on, mut out) = (0i64, 0i64);
    for l in loads {
        let (a, b) = (l.on_call.num_seconds(), l.outside_hours.num_seconds());
        on += a;
        out += b;
        h = fold(
            fold(
                fold(fold(h, user_lo(l.user)), u64::try_from(a).unwrap_or(0)),
                u64::try_from(b).unwrap_or(0),
            ),
            u64::from(l.shifts),
        );
    }
    format!(
        "people {}, on call seconds {on}, outside hours seconds {out}, hash {h}",
        loads.len()
    )
}

// ---------------------------------------------------------------------------------------
// The peer's input

/// Writes the peer's input: `input.json` (schedules, calendar, windows, the instants checked
/// around the changes of offset) and `queries.bin` (the query instants, little-endian i64).
fn write_input(dir: &Path, input: &serde_json::Value, queries: &[i64]) -> Res<std::path::PathBuf> {
    std::fs::create_dir_all(dir)?;
    let mut q = std::io::BufWriter::new(std::fs::File::create(dir.join("queries.bin"))?);
    for t in queries {
        q.write_all(&t.to_le_bytes())?;
    }
    q.flush()?;
    let path = dir.join("input.json");
    std::fs::write(&path, serde_json::to_string(input)?)?;
    Ok(path)
}

/// A figure of ours and the peer's, and the digest both printed.
struct Figure {
    key: &'static str,
    ours: f64,
    /// On the thread's CPU; 0 where the clock's granularity (a scheduler tick) is too coarse.
    cpu: f64,
    digest: String,
}

/// `n` people, each with a push and a voice method and one rule (the app at once, a call
/// two minutes later, run three times five minutes apart), and a step paging them all.
fn contact_setup(n: u128) -> Res<(Profiles, Policy)> {
    let mut rule = ContactRule::new(
        "paged",
        vec![
            Notify::new(Duration::zero(), "app"),
            Notify::new(Duration::minutes(2), "phone"),
        ],
    );
    rule.repeat = Some(Repeat {
        every: Duration::minutes(5),
        times: 2,
    });
    let people: Vec<UserId> = (1..=n).map(UserId::from_u128).collect();
    let specs: Vec<ProfileSpec> = people
        .iter()
        .map(|u| {
            ProfileSpec::new(
                *u,
                vec![
                    Method::new("app", Channel::Push),
                    Method::new("phone", Channel::Voice),
                ],
                vec![rule.clone()],
            )
        })
        .collect();
    let policy = Policy::new(
        "all hands",
        vec![Step::after(
            people.into_iter().map(Target::User).collect(),
            Duration::minutes(30),
        )],
    );
    Ok((Profiles::new(&specs)?, policy))
}

/// Triggers the policy and ticks once 29 minutes later; how many contacts were sent.
fn contacts_run(profiles: &Profiles, policy: &Policy) -> Res<usize> {
    let system = Actor::new(UserId::from_u128(0), []);
    let schedules = Schedules::new();
    let t0 = utc(2027, 1, 5)?;
    let mut state = State::new();
    let mut sent = 0;
    for (at, command) in [
        (t0, Command::Trigger),
        (t0 + Duration::minutes(29), Command::Tick),
    ] {
        let ctx = Context::new(at, &system, policy, &schedules).with_contacts(profiles);
        let events = decide(&state, &command, &ctx)?;
        sent += events
            .iter()
            .filter(|e| matches!(e, Event::Contacted { .. }))
            .count();
        state.apply(&events);
    }
    Ok(sent)
}

fn main() -> Res<()> {
    let allowed = [
        Opt::flag(
            "--quick",
            "a smoke run of a few seconds (smaller workload, one run each)",
        ),
        Opt::flag("--no-python", "skip the Python peer"),
    ];
    let args = Args::from_env(&allowed)?;
    if args.help() {
        println!("{}", usage("bench-oncall", &allowed));
        return Ok(());
    }
    let quick = args.flag("--quick");
    let sizes = if quick { &QUICK } else { &FULL };
    println!(
        "bench-oncall: single thread; {} CPUs visible (1 when pinned with taskset); load average {}",
        cpus_visible(),
        load_average()
    );
    println!("clock: {}", clock_in_use());
    if !quick {
        println!("memory: {}", memory_latency());
    }

    let mut rng = Rng::new(0xCA11_2026);
    let team_spec = team(&mut rng, sizes)?;
    let mut all_spec = team_spec.clone();
    all_spec.combine = Combine::All;
    let scale_spec = scale(&mut rng, sizes.scale_layers)?;
    let team = Schedule::new(&team_spec)?;
    let all = Schedule::new(&all_spec)?;
    let big = Schedule::new(&scale_spec)?;
    let mut business_spec = CalendarSpec::new("office", Week::weekdays(&[seg("09:00", "17:00")?]));
    business_spec.zone = Some(ZONE.into());
    let business = Calendar::new(&business_spec)?;

    let q_from = utc(2027, 1, 1)?;
    let q_span = (utc(2029, 1, 1)? - q_from).num_seconds();
    let queries: Vec<i64> = (0..sizes.queries)
        .map(|_| q_from.timestamp() + rng.between(0, q_span - 1))
        .collect();
    let instants: Vec<DateTime<Utc>> = queries
        .iter()
        .map(|&s| DateTime::from_timestamp(s, 0).ok_or("instant out of range"))
        .collect::<Result<_, _>>()?;
    let w_from = utc(2027, 6, 1)?;
    let w_to = w_from + Duration::days(sizes.window_days);
    let s_from = utc(2027, 3, 1)?;
    let s_to = s_from + Duration::days(sizes.scale_days);
    println!(
        "team: {} layers in {ZONE}, {} time offs, {} overrides; on_call at {} instants over 2027-2028; shifts and load over {} days from {}",
        team_spec.layers.len(),
        team_spec.time_off.len(),
        team_spec.overrides.len(),
        sizes.queries,
        sizes.window_days,
        w_from.date_naive()
    );
    println!(
        "scale: {} layers of 10 members, hourly turns, 4 in 5 restricted; shifts over {} days from {}",
        scale_spec.layers.len(),
        sizes.scale_days,
        s_from.date_naive()
    );

    // Every minute for 36 hours either side of Berlin's changes of offset (01:00 UTC).
    let mut dst: Vec<i64> = Vec::new();
    for (y, m, d) in [(2027, 3, 28), (2027, 10, 31), (2028, 3, 26), (2028, 10, 29)] {
        let change = utc(y, m, d)?.timestamp() + 3_600;
        dst.extend((-36 * 60..36 * 60).map(|k| change + 60 * k));
    }
    let mut dst_sum = 0u64;
    for (i, &s) in dst.iter().enumerate() {
        let t = DateTime::from_timestamp(s, 0).ok_or("instant out of range")?;
        dst_sum = dst_sum.wrapping_add((i as u64 + 1).wrapping_mul(answer_hash(&team.on_call(t)?)));
    }
    let dst_digest = format!("answers {}, sum {dst_sum}", dst.len());
    println!("itsm-oncall on_call around the changes of offset (not timed): {dst_digest}");
    // on_call at every instant, a hash of each answer weighted by its position.
    let mut on_call_ns = Vec::new();
    let mut on_call_cpu = Vec::new();
    let mut on_call_digest = String::new();
    for _ in 0..sizes.reps {
        let cpu0 = thread_cpu_ns();
        let clock = Instant::now();
        let (mut sum, mut empty) = (0u64, 0u64);
        for (i, &t) in instants.iter().enumerate() {
            let answer = team.on_call(t)?;
            if answer.is_empty() {
                empty += 1;
            }
            sum = sum.wrapping_add((i as u64 + 1).wrapping_mul(answer_hash(&answer)));
        }
        let n = instants.len().max(1) as f64;
        on_call_ns.push(clock.elapsed().as_secs_f64() * 1e9 / n);
        if let (Some(a), Some(b)) = (cpu0, thread_cpu_ns()) {
            on_call_cpu.push(b.saturating_sub(a) as f64 / n);
        }
        on_call_digest = format!("answers {}, empty {empty}, sum {sum}", instants.len());
    }
    let on_call_ns = median(on_call_ns).unwrap_or(0.0);
    let on_call_cpu = median(on_call_cpu).unwrap_or(0.0);
    println!(
        "itsm-oncall on_call: {on_call_ns:.0} ns per query (CPU {on_call_cpu:.0} ns); {on_call_digest}"
    );

    let (shifts_ms, _, shifts) = time_median(sizes.reps, || Ok(team.shifts(w_from, w_to)?))?;
    let shifts_digest_text = shifts_digest(&shifts);
    println!("itsm-oncall shifts: {shifts_ms:.2} ms; {shifts_digest_text}");
    let (gaps_ms, _, gaps) = time_median(sizes.reps, || Ok(team.gaps(w_from, w_to)?))?;
    let gaps_digest = gaps_digest(&gaps);
    println!("itsm-oncall gaps: {gaps_ms:.2} ms; {gaps_digest}");
    let (all_ms, _, all_shifts) = time_median(sizes.reps, || Ok(all.shifts(w_from, w_to)?))?;
    let all_digest = shifts_digest(&all_shifts);
    println!("itsm-oncall shifts, every layer combined: {all_ms:.2} ms; {all_digest}");
    let (load_ms, _, loads) = time_median(sizes.reps, || {
        Ok(team.load(w_from, w_to, Some(&business))?)
    })?;
    let load_digest_text = load_digest(&loads);
    println!("itsm-oncall load: {load_ms:.2} ms; {load_digest_text}");
    let (scale_ms, scale_cpu, scale_shifts) =
        time_median(sizes.reps, || Ok(big.shifts(s_from, s_to)?))?;
    let scale_digest = shifts_digest(&scale_shifts);
    println!("itsm-oncall scale shifts: {scale_ms:.1} ms (CPU {scale_cpu:.1} ms); {scale_digest}");
    let mut contact_ms = Vec::new();
    for n in sizes.contact_people {
        let (profiles, policy) = contact_setup(n)?;
        let (ms, cpu, sent) = time_median(sizes.reps, || contacts_run(&profiles, &policy))?;
        println!(
            "itsm-oncall contacts: {n} people paged at once, trigger and a late tick: {ms:.1} ms (CPU {cpu:.1} ms); {sent} contacts sent"
        );
        contact_ms.push((n, ms));
    }
    if let [(n1, t1), (n2, t2)] = contact_ms[..] {
        let growth = (t2 / t1).ln() / ((n2 as f64) / (n1 as f64)).ln();
        println!("growth contacts: {growth:.2}");
    }

    if args.flag("--no-python") {
        return Ok(());
    }
    let figures = [
        Figure {
            key: "on_call",
            ours: on_call_ns,
            cpu: on_call_cpu,
            digest: on_call_digest,
        },
        Figure {
            key: "dst",
            ours: 0.0,
            cpu: 0.0,
            digest: dst_digest,
        },
        Figure {
            key: "shifts",
            ours: shifts_ms,
            cpu: 0.0,
            digest: shifts_digest_text,
        },
        Figure {
            key: "gaps",
            ours: gaps_ms,
            cpu: 0.0,
            digest: gaps_digest,
        },
        Figure {
            key: "shifts_all",
            ours: all_ms,
            cpu: 0.0,
            digest: all_digest,
        },
        Figure {
            key: "load",
            ours: load_ms,
            cpu: 0.0,
            digest: load_digest_text,
        },
        Figure {
            key: "scale",
            ours: scale_ms,
            cpu: scale_cpu,
            digest: scale_digest,
        },
    ];
    let input = json!({
        "team": team_spec,
        "team_all": all_spec,
        "scale": scale_spec,
        "business": business_spec,
        "queries": "queries.bin",
        "dst": dst,
        "windows": {
            "year": [w_from.timestamp(), w_to.timestamp()],
            "scale": [s_from.timestamp(), s_to.timestamp()],
        },
    });
    let input = write_input(&target_dir().join("bench-oncall"), &input, &queries)?;
    let python = match python_venv() {
        Ok(p) => p,
        Err(why) => {
            println!("python peer: skipped ({why})");
            return Ok(());
        }
    };
    let mut cmd = python_script(&python, "oncall_schedule.py");
    cmd.arg(&input).arg(sizes.reps.to_string());
    // (key, python figure, python CPU figure, python digest)
    let mut theirs: Vec<(String, f64, f64, String)> = Vec::new();
    run_lines(cmd, |line| {
        println!("{line}");
        // python <key>: <figure> <unit> (CPU <figure> <unit>); <digest>
        if let Some((key, rest)) = line
            .strip_prefix("python ")
            .and_then(|rest| rest.split_once(": "))
        {
            if let Some((figure, digest)) = rest.split_once("; ") {
                let number = |text: Option<&str>| {
                    text.and_then(|t| t.split_whitespace().next())
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                let cpu = number(figure.split_once("(CPU ").map(|(_, c)| c));
                theirs.push((key.to_owned(), number(Some(figure)), cpu, digest.to_owned()));
            }
        }
        Ok(())
    })?;
    let mut mismatches = 0;
    for f in &figures {
        match theirs.iter().find(|(k, ..)| k == f.key) {
            Some((.., d)) if *d == f.digest => {}
            Some((.., d)) => {
                mismatches += 1;
                println!("MISMATCH {}: ours {} / python {d}", f.key, f.digest);
            }
            None => {
                mismatches += 1;
                println!("MISMATCH {}: python printed no figure", f.key);
            }
        }
    }
    println!("mismatches: {mismatches}");
    let py = |key: &str| {
        theirs
            .iter()
            .find(|(k, ..)| k == key)
            .map_or((0.0, 0.0), |(_, v, c, _)| (*v, *c))
    };
    let ratio = |ours: f64, theirs: f64| if ours > 0.0 { theirs / ours } else { 0.0 };
    let (year, month) = if quick {
        ("one month (quick)", "one week (quick)")
    } else {
        ("one year", "one month")
    };
    let lines = [
        ("on_call", "on_call".to_owned(), "ns per query", 0),
        ("shifts", format!("shifts {year}"), "ms", 2),
        ("gaps", format!("gaps {year}"), "ms", 2),
        ("shifts_all", format!("shifts {year}, every layer"), "ms", 2),
        ("load", format!("load {year}"), "ms", 2),
        (
            "scale",
            format!("shifts {} layers, {month}", sizes.scale_layers),
            "ms",
            1,
        ),
    ];
    for (key, label, unit, digits) in lines {
        let (ours, cpu) = figures
            .iter()
            .find(|f| f.key == key)
            .map_or((0.0, 0.0), |f| (f.ours, f.cpu));
        let (theirs, theirs_cpu) = py(key);
        let on_cpu = if cpu > 0.0 && theirs_cpu > 0.0 {
            format!(
                "; on CPU {cpu:.digits$} against {theirs_cpu:.digits$}, ratio {:.1}",
                ratio(cpu, theirs_cpu)
            )
        } else {
            String::new()
        };
        println!(
            "{label}: {ours:.digits$} {unit} (python {theirs:.digits$} {unit}, ratio {:.1}{on_cpu})",
            ratio(ours, theirs)
        );
    }
    if mismatches > 0 {
        return Err(format!("{mismatches} mismatches with the Python peer").into());
    }
    Ok(())
}
