//! The scale cases: single commands and queries on a board of N items, at two sizes, with
//! the growth exponent between them (log of the time ratio over log of the size ratio; 1.0
//! is linear, 0 constant).
//!
//! The board: N items found (one vulnerability each on N/5 configuration items, five a
//! configuration item), all in one assigned remediation task, item 1 deferred by an
//! administrator until the next day.

use super::*;

/// The time of one call, in milliseconds: calls repeated until a round takes 20 ms, the
/// median of `reps` rounds. `f` may change the board (each call on a new item): at most
/// `cap` calls a round (all rounds together stay under `(reps + 3) * cap` calls).
fn per_call<T>(reps: usize, cap: u32, mut f: impl FnMut() -> Res<T>) -> Res<(f64, T)> {
    let mut calls = 1u32;
    loop {
        let clock = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(f()?);
        }
        if clock.elapsed().as_secs_f64() >= 0.02 || calls >= 1 << 20 || calls * 2 > cap {
            break;
        }
        calls *= 2;
    }
    let mut times = Vec::new();
    for _ in 0..reps {
        let clock = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(f()?);
        }
        times.push(clock.elapsed().as_secs_f64() * 1e3 / f64::from(calls));
    }
    let ms = median_min_max(times).map_or(0.0, |m| m.0);
    Ok((ms, f()?))
}

/// `reps` runs of `run` on a fresh `prepare()` (not timed): the median milliseconds and
/// the last answer.
fn timed<S, T>(
    reps: usize,
    mut prepare: impl FnMut() -> Res<S>,
    mut run: impl FnMut(&mut S) -> Res<T>,
) -> Res<(f64, T)> {
    let mut walls = Vec::new();
    let mut last = None;
    for _ in 0..reps {
        let mut s = prepare()?;
        let clock = Instant::now();
        let out = run(&mut s)?;
        walls.push(clock.elapsed().as_secs_f64() * 1e3);
        drop(s);
        last = Some(out);
    }
    let ms = median_min_max(walls).map_or(0.0, |m| m.0);
    Ok((ms, last.ok_or("no run")?))
}

/// No cap on the calls: the case changes nothing the next call depends on.
const FREE: u32 = u32::MAX;

/// The cap on calls a round for cases that add to the board or use up an item a call, on a
/// board of `n`: all rounds together touch some 7 % of it at most.
fn cap(n: u64) -> u32 {
    u32::try_from((n / 100).max(64)).unwrap_or(u32::MAX)
}

fn shown(ms: f64) -> String {
    if ms < 0.01 {
        format!("{:.0} ns", ms * 1e6)
    } else if ms < 1.0 {
        format!("{:.1} us", ms * 1e3)
    } else {
        format!("{ms:.1} ms")
    }
}

struct Scale<'a> {
    scanner: &'a Actor,
    owner: &'a Actor,
    admin: &'a Actor,
    system: &'a Actor,
    policy: &'a Policy,
    t0: DateTime<Utc>,
}

impl Scale<'_> {
    fn run(&self, board: &mut Board, at: DateTime<Utc>, who: &Actor, c: &Command) -> Res<usize> {
        let events = decide(board, c, &Context::new(at, who, self.policy))?;
        board.apply(&events);
        Ok(events.len())
    }

    fn found(&self, item: u128, week: i64) -> Command {
        Command::Found {
            item: ItemId::from_u128(item),
            ci: ConfigItemId::from_u128(item / 5 + 1),
            vulnerability: format!("CVE-2027-{:05}", item % 1000),
            facts: Facts::new(if item % 3 == 0 {
                Severity::Critical
            } else {
                Severity::Medium
            })
            .criticality(Criticality::High)
            .epss(u16::try_from((item as i64 + week) % 1000).unwrap_or(0)),
            task: None,
        }
    }

    /// The board of N items described above.
    fn board(&self, n: u64) -> Res<Board> {
        let mut b = Board::new();
        let n = u128::from(n);
        for i in 1..=n {
            self.run(&mut b, self.t0, self.scanner, &self.found(i, 0))?;
        }
        self.run(
            &mut b,
            self.t0,
            self.owner,
            &Command::CreateTask {
                task: TaskId::from_u128(1),
                items: (1..=n).map(ItemId::from_u128).collect(),
                assigned_to: Some(self.owner.user),
                group: None,
            },
        )?;
        self.run(
            &mut b,
            self.t0,
            self.admin,
            &Command::Defer {
                subject: Subject::Item(ItemId::from_u128(1)),
                until: self.t0 + chrono_days(1),
                reason: Reason::AwaitingMaintenanceWindow,
            },
        )?;
        Ok(b)
    }
}

fn chrono_days(d: i64) -> itsm_vuln::chrono::TimeDelta {
    itsm_vuln::chrono::TimeDelta::days(d)
}

type Case<'a> = (
    &'static str,
    &'static str,
    Box<dyn FnMut(&mut Board, u64) -> Res<(f64, String)> + 'a>,
);

#[allow(clippy::too_many_lines)] // one case after the other
pub(super) fn scale_runs(
    sizes: &Sizes,
    actors: &[Actor],
    policy: &Policy,
) -> Res<Vec<(String, f64)>> {
    let get = |k: u8| actors.get(usize::from(k)).ok_or("no actor");
    let s = Scale {
        scanner: get(SCANNER)?,
        owner: get(OWNERS)?,
        admin: get(ADMIN)?,
        system: get(SYSTEM)?,
        policy,
        t0: time(BASE)?,
    };
    let reps = sizes.scale_reps;
    let later = s.t0 + chrono_days(1);
    let mut boards = Vec::new();
    for n in sizes.scale {
        let clock = Instant::now();
        let b = s.board(n)?;
        println!(
            "scale board n={n}: built in {:.1} s ({} items, task 1 of {} items)",
            clock.elapsed().as_secs_f64(),
            b.items.len(),
            b.task(TaskId::from_u128(1)).map_or(0, |t| t.items.len())
        );
        boards.push((n, b));
    }
    let sref = &s;
    let cases: Vec<Case<'_>> = vec![
        (
            "found_new",
            "decide+apply Found of a new item (created)",
            Box::new(move |b: &mut Board, n: u64| {
                let mut next = u128::from(n) + 10;
                let (ms, k) = per_call(reps, cap(n), || {
                    next += 1;
                    sref.run(b, later, sref.scanner, &sref.found(next, 1))
                })?;
                Ok((ms, format!("{k} event")))
            }),
        ),
        (
            "found_again",
            "decide+apply Found of an open item again (seen, its EPSS changing)",
            Box::new(move |b: &mut Board, n: u64| {
                let mut week = 0;
                let item = u128::from(n / 2) | 1;
                let (ms, k) = per_call(reps, FREE, || {
                    week += 1;
                    sref.run(b, later, sref.scanner, &sref.found(item, week))
                })?;
                Ok((ms, format!("{k} event")))
            }),
        ),
        (
            "fixed_big_task",
            "decide+apply Fixed of an item of the task of N items (a new item each call)",
            Box::new(move |b: &mut Board, n: u64| {
                let mut next = 1u128;
                let (ms, k) = per_call(reps, cap(n), || {
                    next += 1;
                    let fixed = Command::Fixed {
                        item: ItemId::from_u128(next),
                    };
                    sref.run(b, later, sref.scanner, &fixed)
                })?;
                let open = b
                    .task(TaskId::from_u128(1))
                    .map_or("none".to_owned(), |t| t.status.to_string());
                Ok((ms, format!("{k} event; {next} fixed, the task {open}")))
            }),
        ),
        (
            "tick",
            "decide(Tick) when one item's deferral has ended",
            Box::new(move |b: &mut Board, _n: u64| {
                let ctx = Context::new(later, sref.system, sref.policy);
                let (ms, k) = per_call(reps, FREE, || Ok(decide(b, &Command::Tick, &ctx)?.len()))?;
                Ok((ms, format!("{k} events")))
            }),
        ),
        (
            "scan",
            "the yardstick: one pass over every item (the latest last_found)",
            Box::new(move |b: &mut Board, _n: u64| {
                let (ms, d) = per_call(reps, FREE, || {
                    Ok(b.items.values().map(|i| i.last_found).max())
                })?;
                Ok((
                    ms,
                    format!("answer {}", d.map_or("none".to_owned(), |d| d.to_string())),
                ))
            }),
        ),
        (
            "next_deadline",
            "next_deadline",
            Box::new(move |b: &mut Board, _n: u64| {
                let (ms, d) = per_call(reps, FREE, || Ok(next_deadline(b, sref.policy)))?;
                Ok((
                    ms,
                    format!("answer {}", d.map_or("none".to_owned(), |d| d.to_string())),
                ))
            }),
        ),
        (
            "retired",
            "decide(Retired) of a configuration item with five items",
            Box::new(move |b: &mut Board, n: u64| {
                let ctx = Context::new(later, sref.scanner, sref.policy);
                let retired = Command::Retired {
                    ci: ConfigItemId::from_u128(u128::from(n / 10) + 2),
                };
                let (ms, k) = per_call(reps, FREE, || Ok(decide(b, &retired, &ctx)?.len()))?;
                Ok((ms, format!("{k} events")))
            }),
        ),
        (
            "assign_big_task",
            "decide+apply Assign of the task of N items",
            Box::new(move |b: &mut Board, _n: u64| {
                let mut who = 0u128;
                let (ms, k) = per_call(reps, FREE, || {
                    who += 1;
                    let assign = Command::Assign {
                        task: TaskId::from_u128(1),
                        to: Some(UserId::from_u128(100 + who % 7)),
                        group: None,
                    };
                    sref.run(b, later, sref.owner, &assign)
                })?;
                Ok((ms, format!("{k} event")))
            }),
        ),
        (
            "split_one",
            "decide+apply Split of one item out of the task of N into a new task",
            Box::new(move |b: &mut Board, n: u64| {
                let mut k = 0u128;
                let (ms, e) = per_call(reps, cap(n), || {
                    k += 1;
                    let split = Command::Split {
                        task: TaskId::from_u128(1),
                        into: TaskId::from_u128(1_000_000 + k),
                        items: vec![ItemId::from_u128(u128::from(n) - k)],
                    };
                    sref.run(b, later, sref.owner, &split)
                })?;
                Ok((ms, format!("{e} event; {k} split off")))
            }),
        ),
        (
            "create_small_task",
            "decide+apply CreateTask of ten items already in the task of N",
            Box::new(move |b: &mut Board, n: u64| {
                let mut k = 0u128;
                let (ms, e) = per_call(reps, cap(n), || {
                    k += 1;
                    let from = (u128::from(n) / 3 + k * 10) % (u128::from(n) - 20) + 1;
                    let create = Command::CreateTask {
                        task: TaskId::from_u128(2_000_000 + k),
                        items: (from..from + 10).map(ItemId::from_u128).collect(),
                        assigned_to: None,
                        group: None,
                    };
                    sref.run(b, later, sref.owner, &create)
                })?;
                Ok((ms, format!("{e} event")))
            }),
        ),
        (
            "investigate_big_task",
            "decide+apply StartInvestigation of the task of N items (rolls down to N; the clone before is not timed)",
            Box::new(move |b: &mut Board, _n: u64| {
                let start = Command::StartInvestigation {
                    task: TaskId::from_u128(1),
                };
                let (ms, k) = timed(
                    reps,
                    || Ok(b.clone()),
                    |x| sref.run(x, later, sref.owner, &start),
                )?;
                Ok((ms, format!("{k} event")))
            }),
        ),
        (
            "resolve_big_task",
            "decide+apply Resolve of the task of N items (rolls down to N; the clone before is not timed)",
            Box::new(move |b: &mut Board, _n: u64| {
                let resolve = Command::Resolve {
                    subject: Subject::Task(TaskId::from_u128(1)),
                    notes: "patched".into(),
                };
                let (ms, k) = timed(
                    reps,
                    || Ok(b.clone()),
                    |x| sref.run(x, later, sref.owner, &resolve),
                )?;
                Ok((ms, format!("{k} event")))
            }),
        ),
    ];
    let mut growths = Vec::new();
    for (name, what, mut case) in cases {
        let mut times = Vec::new();
        for (n, b) in &mut boards {
            let (ms, detail) = case(b, *n)?;
            println!("scale {name} n={n}: {} ({what}; {detail})", shown(ms));
            times.push(ms);
        }
        let ratio = sizes.scale[1] as f64 / sizes.scale[0] as f64;
        let growth = match times[..] {
            [a, b] if a > 0.0 && b > 0.0 => (b / a).ln() / ratio.ln(),
            _ => f64::NAN,
        };
        println!("growth {name}: {growth:.2}");
        growths.push((name.to_owned(), growth));
    }
    Ok(growths)
}
