//! Properties over random schedules and escalations, against models written from the
//! rules in docs/oncall.md: who is on call by walking turns one by one with chrono-tz
//! directly, and the notice timeline of a policy computed in closed form.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use common::*;
use itsm_calendar::{Segment, Week};
use itsm_oncall::{
    Combine, Command, Event, Layer, Override, Policy, Restriction, Rotation, Schedule,
    ScheduleSpec, Step, Target, TimeOff, Turn, UserId,
};
use proptest::prelude::*;

#[cfg(feature = "tz")]
const ZONES: [&str; 3] = ["UTC", "+05:30", "Europe/Berlin"];
#[cfg(not(feature = "tz"))]
const ZONES: [&str; 3] = ["UTC", "+05:30", "-03:00"];

fn base() -> DateTime<Utc> {
    utc(2027, 1, 1, 0, 0)
}

prop_compose! {
    fn a_layer(i: usize)(
        members in proptest::collection::vec(1u128..6, 1..4),
        turn in prop_oneof![(1u32..30).prop_map(Turn::Hours), (1u32..4).prop_map(Turn::Days), (1u32..3).prop_map(Turn::Weeks)],
        handover_h in -2_000i64..2_000,
        dates in proptest::option::of((0i64..4_000, 1i64..4_000)),
        restricted in any::<bool>(),
        seg in (0u32..24, 1u32..24),
    ) -> Layer {
        let handover = (base() + Duration::hours(handover_h)).naive_utc();
        let mut l = Layer::new(format!("l{i}"), members.into_iter().map(UserId::from_u128).collect(), Rotation { handover, turn });
        if let Some((s, len)) = dates {
            l.starts = Some(base() + Duration::hours(s));
            l.ends = Some(base() + Duration::hours(s + len));
        }
        if restricted {
            let (a, b) = (seg.0, (seg.0 + seg.1) % 24);
            let s = Segment::parse(&format!("{a:02}:00"), &format!("{b:02}:00")).unwrap();
            l.restriction = Some(Restriction { week: Week::weekdays(&[s]), holidays: Vec::new() });
        }
        l
    }
}

prop_compose! {
    fn a_spec()(
        zone in 0usize..3,
        all in any::<bool>(),
        layers in (1usize..4).prop_flat_map(|n| (0..n).map(a_layer).collect::<Vec<_>>()),
        offs in proptest::collection::vec((1u128..6, 0i64..4_000, 1i64..200, proptest::option::of(1u128..8)), 0..4),
        overrides in proptest::collection::vec((1u128..8, 0i64..4_000, 1i64..200, proptest::option::of(0usize..3)), 0..3),
    ) -> ScheduleSpec {
        let n = layers.len();
        let mut spec = ScheduleSpec::new("s", layers);
        spec.zone = Some(ZONES[zone].to_owned());
        spec.combine = if all { Combine::All } else { Combine::LastLayer };
        for (m, from, len, cover) in offs {
            let cover = cover.filter(|c| *c != m).map(UserId::from_u128);
            spec.time_off.push(TimeOff { member: UserId::from_u128(m), from: base() + Duration::hours(from), to: base() + Duration::hours(from + len), cover });
        }
        for (u, from, len, layer) in overrides {
            spec.overrides.push(Override { user: UserId::from_u128(u), from: base() + Duration::hours(from), to: base() + Duration::hours(from + len), layer: layer.filter(|l| *l < n).map(|l| format!("l{l}")) });
        }
        spec
    }
}

/// The model's zone: chrono-tz, or a fixed offset read as a chrono-tz zone of that offset.
fn model_local_to_utc(zone: &str, local: NaiveDateTime) -> DateTime<Utc> {
    match zone {
        "UTC" => local.and_utc(),
        "+05:30" => local.and_utc() - Duration::minutes(330),
        "-03:00" => local.and_utc() + Duration::hours(3),
        _ => {
            let tz: Tz = zone.parse().unwrap();
            // The first instant whose reading is at least `local`: scan minutes forward
            // from an instant surely before it.
            let mut t = local.and_utc() - Duration::hours(3);
            while t.with_timezone(&tz).naive_local() < local {
                t += Duration::minutes(1);
            }
            // Back to the exact second when the reading jumps past `local`.
            let mut back = t;
            while (back - Duration::seconds(1))
                .with_timezone(&tz)
                .naive_local()
                >= local
            {
                back -= Duration::seconds(1);
            }
            back
        }
    }
}

/// Turn `k`'s start, by the rules.
fn model_turn_start(zone: &str, l: &Layer, k: i64) -> DateTime<Utc> {
    match l.rotation.turn {
        Turn::Hours(h) => {
            model_local_to_utc(zone, l.rotation.handover) + Duration::hours(k * i64::from(h))
        }
        Turn::Days(d) => {
            model_local_to_utc(zone, l.rotation.handover + Duration::days(k * i64::from(d)))
        }
        Turn::Weeks(w) => model_local_to_utc(
            zone,
            l.rotation.handover + Duration::days(7 * k * i64::from(w)),
        ),
        _ => unreachable!(),
    }
}

/// Who a layer has on call at `t`, walking turns one at a time from turn 0.
fn model_layer(
    spec: &ScheduleSpec,
    i: usize,
    t: DateTime<Utc>,
    restricted_open: bool,
) -> Option<UserId> {
    let l = &spec.layers[i];
    let zone = spec.zone.as_deref().unwrap();
    if l.starts.is_some_and(|s| t < s) || l.ends.is_some_and(|e| t >= e) || !restricted_open {
        return None;
    }
    if let Some(o) = spec
        .overrides
        .iter()
        .rev()
        .find(|o| o.layer.as_deref() == Some(l.name.as_str()) && o.from <= t && t < o.to)
    {
        return Some(o.user);
    }
    let mut k = 0i64;
    while model_turn_start(zone, l, k) > t {
        k -= 1;
    }
    while model_turn_start(zone, l, k + 1) <= t {
        k += 1;
    }
    let member = l.members[k.rem_euclid(l.members.len() as i64) as usize];
    // A cover away too hands on to their own cover; a chain back to someone asked is nobody.
    let away = |u: UserId| {
        spec.time_off
            .iter()
            .rev()
            .find(|o| o.member == u && o.from <= t && t < o.to)
    };
    let mut asked = vec![member];
    let mut who = member;
    while let Some(off) = away(who) {
        let next = off.cover?;
        if asked.contains(&next) {
            return None;
        }
        asked.push(next);
        who = next;
    }
    Some(who)
}

fn model_on_call(spec: &ScheduleSpec, t: DateTime<Utc>, open: &[bool]) -> Vec<UserId> {
    if let Some(o) = spec
        .overrides
        .iter()
        .rev()
        .find(|o| o.layer.is_none() && o.from <= t && t < o.to)
    {
        return vec![o.user];
    }
    let per: Vec<UserId> = (0..spec.layers.len())
        .filter_map(|i| model_layer(spec, i, t, open[i]))
        .collect();
    match spec.combine {
        Combine::LastLayer => per.last().copied().into_iter().collect(),
        _ => {
            let mut out = Vec::new();
            for u in per {
                if !out.contains(&u) {
                    out.push(u);
                }
            }
            out
        }
    }
}

/// Whether each layer's restriction is open at `t` (the calendar crate answers; its own
/// tests cover it).
fn open_at(spec: &ScheduleSpec, t: DateTime<Utc>) -> Vec<bool> {
    spec.layers
        .iter()
        .map(|l| match &l.restriction {
            None => true,
            Some(r) => {
                let mut c = itsm_calendar::CalendarSpec::new("r", r.week.clone());
                c.zone.clone_from(&spec.zone);
                itsm_calendar::Calendar::new(&c)
                    .unwrap()
                    .is_open(&t)
                    .unwrap()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn on_call_matches_the_model_and_shifts_partition_the_window(spec in a_spec(), probes in proptest::collection::vec(0i64..4_500 * 60, 8), span in (0i64..3_000, 1i64..1_500)) {
        let s = Schedule::new(&spec).unwrap();
        for p in probes {
            let t = base() + Duration::minutes(p);
            prop_assert_eq!(users(&s.on_call(t).unwrap()), model_on_call(&spec, t, &open_at(&spec, t)), "at {}", t);
        }
        let (from, to) = (base() + Duration::hours(span.0), base() + Duration::hours(span.0 + span.1));
        let shifts = s.shifts(from, to).unwrap();
        prop_assert_eq!(shifts.first().map(|x| x.from), Some(from));
        prop_assert_eq!(shifts.last().map(|x| x.to), Some(to));
        for w in shifts.windows(2) {
            prop_assert_eq!(w[0].to, w[1].from);
            prop_assert_ne!(&w[0].on_call, &w[1].on_call);
        }
        for x in &shifts {
            prop_assert!(x.from < x.to);
            prop_assert_eq!(&x.on_call, &s.on_call(x.from).unwrap());
            let mid = x.from + (x.to - x.from) / 2;
            prop_assert_eq!(&x.on_call, &s.on_call(mid).unwrap());
            let last = x.to - Duration::seconds(1);
            prop_assert_eq!(&x.on_call, &s.on_call(last).unwrap());
        }
        let gaps = s.gaps(from, to).unwrap();
        let empty: Vec<_> = shifts.iter().filter(|x| x.on_call.is_empty()).map(|x| (x.from, x.to)).collect();
        prop_assert_eq!(gaps, empty);
        let total: Duration = s.load(from, to, None).unwrap().iter().map(|l| l.on_call).sum();
        let expected: Duration = shifts.iter().map(|x| (x.to - x.from) * i32::try_from(x.on_call.len()).unwrap()).sum();
        prop_assert_eq!(total, expected);
        for c in s.conflicts(from, to).unwrap() {
            let layers = s.layers_at(c.from).unwrap();
            prop_assert!(layers.iter().filter(|e| e.user == c.user).count() >= 2);
        }
    }
}

proptest! {
    // The model answers slowly (it walks turns one by one): fewer cases, windows of at most
    // a week, the first 60 shifts' boundaries.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each handoff is a change `on_call` shows (the person on call at the instant and not
    /// just before it, or the reverse), every change of the model's people is a handoff,
    /// each person's handoffs alternate, and window after window gives the same list.
    #[test]
    fn handoffs_are_the_changes_of_who_is_on_call(spec in a_spec(), span in (0i64..3_000, 1i64..168), cut in 0.0f64..1.0) {
        use itsm_oncall::HandoffKind;
        let s = Schedule::new(&spec).unwrap();
        let (from, to) = (base() + Duration::hours(span.0), base() + Duration::hours(span.0 + span.1));
        let handoffs = s.handoffs(from, to).unwrap();
        let on = |t: DateTime<Utc>, u: UserId| {
            model_on_call(&spec, t, &open_at(&spec, t)).contains(&u)
        };
        let mut instants: Vec<DateTime<Utc>> = Vec::new();
        for h in handoffs.iter().take(120) {
            prop_assert!(from <= h.at && h.at < to);
            let just_before = h.at - Duration::nanoseconds(1);
            match h.kind {
                HandoffKind::OnCall => prop_assert!(on(h.at, h.user) && !on(just_before, h.user), "{:?}", h),
                HandoffKind::OffCall => prop_assert!(!on(h.at, h.user) && on(just_before, h.user), "{:?}", h),
            }
            instants.push(h.at);
        }
        prop_assert!(instants.windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(handoffs.windows(2).all(|w| w[0].at <= w[1].at));
        // Every shift boundary where the set of people changes has its handoffs.
        for x in s.shifts(from, to).unwrap().into_iter().take(60) {
            let before: Vec<UserId> = model_on_call(&spec, x.from - Duration::nanoseconds(1), &open_at(&spec, x.from - Duration::nanoseconds(1)));
            let now: Vec<UserId> = x.on_call.iter().map(|e| e.user).collect();
            let changed = before.iter().filter(|u| !now.contains(u)).count() + now.iter().filter(|u| !before.contains(u)).count();
            prop_assert_eq!(handoffs.iter().filter(|h| h.at == x.from).count(), changed);
        }
        let mut last: std::collections::HashMap<UserId, HandoffKind> = std::collections::HashMap::new();
        for h in &handoffs {
            if let Some(k) = last.insert(h.user, h.kind) {
                prop_assert_ne!(k, h.kind);
            }
        }
        let mid = from + Duration::seconds(((to - from).num_seconds() as f64 * cut) as i64);
        let mut split = s.handoffs(from, mid).unwrap();
        split.extend(s.handoffs(mid, to).unwrap());
        prop_assert_eq!(split, handoffs);
    }
}

prop_compose! {
    fn a_policy()(
        steps in proptest::collection::vec((1u128..6, 0u32..3, 0i64..20, 0i64..40), 1..4),
        repeat in 0u32..3,
    ) -> Policy {
        let mut p = Policy::new("p", steps.into_iter().map(|(u, reminders, between, wait)| Step {
            targets: vec![Target::User(UserId::from_u128(u))],
            reminders,
            between_reminders: Duration::minutes(between),
            wait: Duration::minutes(wait),
            channels: Vec::new(),
        }).collect());
        p.repeat = repeat;
        p
    }
}

/// A notice: when, the step, the reminder.
type Notice = (DateTime<Utc>, usize, u32);

/// Every notice of `policy` triggered at `t0` and never acknowledged, in closed form, and
/// when it is exhausted.
fn model_timeline(policy: &Policy, t0: DateTime<Utc>) -> (Vec<Notice>, DateTime<Utc>) {
    let mut out = Vec::new();
    let mut t = t0;
    for _ in 0..=policy.repeat {
        for (i, step) in policy.steps.iter().enumerate() {
            for r in 0..=step.reminders {
                out.push((t + step.between_reminders * i32::try_from(r).unwrap(), i, r));
            }
            t = t + step.between_reminders * i32::try_from(step.reminders).unwrap() + step.wait;
        }
    }
    (out, t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn notices_follow_the_policy_however_the_ticks_fall(policy in a_policy(), ticks in proptest::collection::vec(0i64..400, 0..12)) {
        let t0 = utc(2027, 1, 5, 0, 0);
        let mut run = Run::new(policy.clone(), itsm_oncall::Schedules::new());
        run.at(t0, SYSTEM, Command::Trigger);
        let mut ticks = ticks;
        ticks.sort_unstable();
        for m in ticks {
            let now = plus(t0, m);
            run.tick(now);
            if let Some(d) = itsm_oncall::next_deadline(&run.state) {
                prop_assert!(d > now);
            }
        }
        run.tick(plus(t0, 100_000));
        let (expected, end) = model_timeline(&policy, t0);
        let got: Vec<_> = run.notices().into_iter().map(|n| (n.0, n.1, n.2)).collect();
        prop_assert_eq!(got, expected);
        let exhausted_at = match run.events.last() {
            Some(Event::Exhausted { at }) => Some(*at),
            _ => None,
        };
        prop_assert_eq!(exhausted_at, Some(end));
        let at: Vec<_> = run.events.iter().map(Event::at).collect();
        prop_assert!(at.windows(2).all(|w| w[0] <= w[1]));
        let mut folded = itsm_oncall::State::new();
        for e in &run.events {
            folded = itsm_oncall::evolve(folded, e);
        }
        prop_assert_eq!(folded, run.state);
    }

    #[test]
    fn random_commands_never_panic_and_the_fold_is_the_state(policy in a_policy(), ack_timeout in proptest::option::of(1i64..100), commands in proptest::collection::vec((0u8..6, 0i64..60, 1u128..6, 0usize..4), 1..20)) {
        let mut policy = policy;
        policy.ack_timeout = ack_timeout.map(Duration::minutes);
        let mut run = Run::new(policy, itsm_oncall::Schedules::new());
        let mut now = utc(2027, 1, 5, 0, 0);
        for (c, dt, by, step) in commands {
            now = plus(now, dt);
            let command = match c {
                0 => Command::Trigger,
                1 => Command::Tick,
                2 => Command::Acknowledge,
                3 => Command::Escalate { step },
                4 => Command::Resolve,
                _ => Command::Cancel { reason: "r".into() },
            };
            let before = run.state.clone();
            match run.try_at(now, UserId::from_u128(by), command) {
                Ok(events) => {
                    let mut s = before.clone();
                    for e in &events {
                        prop_assert!(e.at() <= now);
                        prop_assert!(before.last_at().is_none_or(|l| e.at() >= l));
                        let from = s.status();
                        s = itsm_oncall::evolve(s, e);
                        if s.status() != from {
                            // Every status change is a row of the table docs/oncall.md draws.
                            prop_assert!(
                                itsm_oncall::TRANSITIONS.iter().any(|t| t.from == from && t.to == s.status()),
                                "{} -> {} not in TRANSITIONS", from, s.status()
                            );
                        }
                    }
                }
                Err(_) => prop_assert_eq!(&run.state, &before),
            }
        }
        let mut folded = itsm_oncall::State::new();
        for e in &run.events {
            folded = itsm_oncall::evolve(folded, e);
        }
        prop_assert_eq!(folded, run.state);
    }
}
