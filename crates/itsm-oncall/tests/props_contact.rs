//! Properties of personal contact rules over random policies and profiles, against a model
//! written from the rules in docs/oncall.md ("Contact rules"): every notice's contacts in
//! closed form, cut at the next notice, kept after exhaustion, stopped by an
//! acknowledgement, however the ticks fall.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use itsm_oncall::{
    Channel, Command, ContactRule, Event, Method, Notify, Policy, ProfileSpec, Profiles, Repeat,
    Step, Target, Urgency, UserId,
};
use proptest::prelude::*;

const CHANNELS: [Channel; 6] = [
    Channel::Push,
    Channel::Sms,
    Channel::Voice,
    Channel::Email,
    Channel::Slack,
    Channel::Teams,
];

prop_compose! {
    fn a_rule(i: usize, methods: usize)(
        urgency in proptest::option::of(any::<bool>()),
        attempt in proptest::option::of(1u32..4),
        steps in proptest::collection::vec((0i64..30, 0..methods), 1..4),
        repeat in proptest::option::of((1i64..20, 1u32..4)),
        enabled in proptest::bool::weighted(0.85),
    ) -> ContactRule {
        let mut r = ContactRule::new(
            format!("r{i}"),
            steps.into_iter().map(|(after, m)| Notify::new(Duration::minutes(after), format!("m{m}"))).collect(),
        );
        r.urgency = urgency.map(|high| if high { Urgency::High } else { Urgency::Low });
        r.attempt = attempt;
        r.repeat = repeat.map(|(every, times)| Repeat { every: Duration::minutes(every), times });
        r.enabled = enabled;
        r
    }
}

prop_compose! {
    fn a_profile(user: u128)(
        methods in proptest::collection::vec((0usize..6, proptest::bool::weighted(0.8)), 1..4),
    )(
        rules in (0usize..3).prop_flat_map({
            let n = methods.len();
            move |k| (0..k).map(|i| a_rule(i, n)).collect::<Vec<_>>()
        }),
        methods in Just(methods),
    ) -> ProfileSpec {
        let methods = methods.into_iter().enumerate().map(|(i, (c, enabled))| {
            let mut m = Method::new(format!("m{i}"), CHANNELS[c]);
            m.enabled = enabled;
            m
        }).collect();
        ProfileSpec::new(UserId::from_u128(user), methods, rules)
    }
}

prop_compose! {
    fn a_policy()(
        steps in proptest::collection::vec((1u128..6, 0u32..3, 0i64..20, 0i64..40, proptest::option::of(0usize..6)), 1..4),
        repeat in 0u32..3,
    ) -> Policy {
        let mut p = Policy::new("p", steps.into_iter().map(|(u, reminders, between, wait, forced)| {
            let mut s = Step::servicenow(vec![Target::User(UserId::from_u128(u))], reminders, Duration::minutes(between));
            s.wait = Duration::minutes(wait);
            s.channels = forced.map(|c| vec![CHANNELS[c]]).unwrap_or_default();
            s
        }).collect());
        p.repeat = repeat;
        p
    }
}

fn profiles() -> impl Strategy<Value = Vec<ProfileSpec>> {
    // Users 1 to 4 may have a profile; user 5 never does.
    (1u128..5)
        .map(|u| proptest::option::of(a_profile(u)))
        .collect::<Vec<_>>()
        .prop_map(|v| v.into_iter().flatten().collect())
}

/// A notice: when, the step, the reminder, who.
type Notice = (DateTime<Utc>, usize, u32, UserId);

/// Every notice of `policy` triggered at `t0` and never acknowledged, in closed form.
fn model_notices(policy: &Policy, t0: DateTime<Utc>) -> Vec<Notice> {
    let mut out = Vec::new();
    let mut t = t0;
    for _ in 0..=policy.repeat {
        for (i, step) in policy.steps.iter().enumerate() {
            let Target::User(u) = step.targets[0] else {
                unreachable!()
            };
            for r in 0..=step.reminders {
                out.push((
                    t + step.between_reminders * i32::try_from(r).unwrap(),
                    i,
                    r,
                    u,
                ));
            }
            t = t + step.between_reminders * i32::try_from(step.reminders).unwrap() + step.wait;
        }
    }
    out
}

/// The contacts of one notice, as the docs state them: the step's channels, or the first
/// enabled rule for the urgency and the attempt; enabled methods only; sorted by due.
fn model_contacts(
    policy: &Policy,
    specs: &[ProfileSpec],
    urgency: Urgency,
    n: &Notice,
) -> Vec<(DateTime<Utc>, UserId, String)> {
    let (at, step, reminder, user) = *n;
    let Some(p) = specs.iter().find(|p| p.user == user) else {
        return Vec::new();
    };
    let channels = &policy.steps[step].channels;
    let mut out = Vec::new();
    if !channels.is_empty() {
        for m in &p.methods {
            if m.enabled && channels.contains(&m.channel) {
                out.push((at, user, m.name.clone()));
            }
        }
        return out;
    }
    let Some(rule) = p.rules.iter().find(|r| {
        r.enabled
            && r.urgency.is_none_or(|u| u == urgency)
            && r.attempt.is_none_or(|a| a == reminder + 1)
    }) else {
        return Vec::new();
    };
    let runs = rule.repeat.map_or(0, |r| r.times);
    for k in 0..=runs {
        let start = rule
            .repeat
            .map_or(at, |r| at + r.every * i32::try_from(k).unwrap());
        for s in &rule.steps {
            let m = p.methods.iter().find(|m| m.name == s.method).unwrap();
            if m.enabled {
                out.push((start + s.after, user, m.name.clone()));
            }
        }
    }
    out.sort_by_key(|c| c.0);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn contacts_follow_the_rules_however_the_ticks_fall(
        policy in a_policy(),
        specs in profiles(),
        low in any::<bool>(),
        ack in proptest::option::of((0i64..300, 1u128..6)),
        ticks in proptest::collection::vec(0i64..400, 0..12),
    ) {
        let urgency = if low { Urgency::Low } else { Urgency::High };
        let t0 = utc(2027, 1, 5, 0, 0);
        let mut run = Run::new(policy.clone(), itsm_oncall::Schedules::new())
            .with_contacts(Profiles::new(&specs).unwrap());
        run.urgency = urgency;
        run.at(t0, SYSTEM, Command::Trigger);
        let mut ticks = ticks;
        ticks.sort_unstable();
        let ack_at = ack.map(|(m, _)| plus(t0, m));
        let mut acked = false;
        for m in ticks {
            let now = plus(t0, m);
            if let (Some(a), Some((_, by))) = (ack_at, ack) {
                if !acked && a <= now {
                    run.at(a, UserId::from_u128(by), Command::Acknowledge);
                    acked = true;
                }
            }
            run.tick(now);
            if let Some(d) = itsm_oncall::next_deadline(&run.state) {
                prop_assert!(d > now);
            }
        }
        if let (Some(a), Some((_, by)), false) = (ack_at, ack, acked) {
            if run.state.last_at().is_none_or(|l| l <= a) {
                run.at(a, UserId::from_u128(by), Command::Acknowledge);
            }
        }
        run.tick(plus(t0, 100_000));

        // The model: each notice's contacts, before the next notice (a tie goes to the
        // notice); the last notice's all (exhausted, the last recipient still holds it);
        // nothing after an acknowledgement (what fell due at its instant counts first).
        let ack_at = run.events.iter().find_map(|e| match e {
            Event::Acknowledged { at, .. } => Some(*at),
            _ => None,
        });
        let notices: Vec<_> = model_notices(&policy, t0)
            .into_iter()
            .filter(|n| ack_at.is_none_or(|a| n.0 <= a))
            .collect();
        let mut expected = Vec::new();
        for (i, n) in notices.iter().enumerate() {
            let next = notices.get(i + 1).map(|m| m.0);
            for c in model_contacts(&policy, &specs, urgency, n) {
                if next.is_none_or(|t| c.0 < t) && ack_at.is_none_or(|a| c.0 <= a) {
                    expected.push(c);
                }
            }
        }
        prop_assert_eq!(run.contacted(), expected);
        prop_assert!(run.state.pending_contacts().is_empty());
        let at: Vec<_> = run.events.iter().map(Event::at).collect();
        prop_assert!(at.windows(2).all(|w| w[0] <= w[1]));
        let mut folded = itsm_oncall::State::new();
        for e in &run.events {
            folded = itsm_oncall::evolve(folded, e);
        }
        prop_assert_eq!(folded, run.state);
    }
}
