//! The scale cases: each query and single command at two sizes, with its growth exponent.

use super::*;

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
pub(super) fn scale_runs(sizes: &Sizes, who: &Actor) -> Res<Vec<(String, f64)>> {
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
