//! The contact-rule half of the `oncall` harness: decoding contact profiles, step channels
//! and an urgency from the input's tail, the checks of `Profiles::new`, and this harness's
//! own model of each notice's contacts, written from `docs/oncall.md` ("Contact rules") and
//! the doc comments of `contact.rs`, `event.rs`, `error.rs` and `machine.rs`:
//!
//! - a profile is refused when a person has two, its zone is unknown, it has more than 32
//!   methods or 64 rules, a method or rule name is empty or blank or repeated (methods and
//!   rules apart), a rule has no steps or more than 32, names a method the person lacks, has
//!   a delay below zero or above seven days, a repeat with `every` not in (0, 7 days] or
//!   `times` not in 1..=100, an attempt not in 1..=21, or hours the calendar crate refuses;
//!   the error names the person (any defect's variant where several are present); a handoff
//!   rule's defects come from `oncall_handoff.rs`;
//! - a notice to `recipients` at `at` (contact attempt = its number + 1; `next` the next
//!   notice, none after the last notice of the last step of the last pass): someone without
//!   a profile is `NoProfile`; under the step's channels each enabled method of theirs on
//!   one of them, in the profile's order, at `at`, no rule (`NoMethodOn` when none); else
//!   the first enabled rule whose urgency, attempt and hours (the week read in the profile's
//!   zone, UTC by default, with holidays) hold at `at` (`NoRule` when none): each run `r` of
//!   `0..=times` at `at + r x every`, each step `after` that, disabled methods skipped
//!   (`NoEnabledMethod` when the rule has no enabled one), contacts past chrono's range
//!   left out (`OutOfRange`), `TooLate` when every contact planned is at or after `next`;
//!   sorted by due instant, then recipient, then the rule's run, then its step; one
//!   person's reasons are compared in any order (the docs give none);
//! - the escalation model (`oncall_escalation.rs`) sends them as `Contacted` naming the
//!   notice, in order, while escalating (only before the next notice, never at its instant)
//!   and once exhausted; drops them at the next notice or step, an acknowledgement, a
//!   resolution or a cancellation; plans nothing while the context has no profiles (a plan
//!   already made is still sent); `next_deadline` and `State::pending_contacts` are
//!   compared with it.

use super::*;
use itsm_oncall::{
    Channel, Contact, ContactRule, MAX_ATTEMPT, MAX_CONTACT_DELAY_DAYS, MAX_CONTACT_REPEATS,
    MAX_METHODS, MAX_RULE_STEPS, MAX_RULES, Method, Notify, ProfileSpec, Profiles, Repeat,
    Unreachable, Urgency,
};

const CHANNELS: [Channel; 6] = [
    Channel::Push,
    Channel::Sms,
    Channel::Voice,
    Channel::Email,
    Channel::Slack,
    Channel::Teams,
];

const NAMES: [&str; 4] = ["app", "cell", "mail", "chat"];

/// Contact rules decoded from the input's tail.
pub struct Contacts {
    /// Everyone's profiles, as given to `Profiles::new` (defective sometimes).
    pub specs: Vec<ProfileSpec>,
    /// From the command at `.0` on, edited profiles (each method's `enabled` flipped, the
    /// rules in reverse order), or none: a change applies from the next notice, and a plan
    /// already made is still sent.
    pub later: Option<(usize, Option<Vec<ProfileSpec>>)>,
    /// The task's urgency; `None`: the context's default (high).
    pub urgency: Option<Urgency>,
}

fn delay(b: &mut Bytes<'_>) -> Duration {
    let v = i64::from(b.byte());
    match b.pick(8) {
        0..=2 => Duration::zero(),
        3..=5 => Duration::minutes(v % 30),
        6 => Duration::minutes(v),
        _ => match v % 4 {
            0 => Duration::days(MAX_CONTACT_DELAY_DAYS),
            1 => Duration::seconds(v * 97),
            2 => Duration::minutes(v % 90) + Duration::nanoseconds(1),
            _ => Duration::hours(v % 48),
        },
    }
}

/// A repeat's interval; sometimes the gap between two of the rule's delays, so that a
/// later run's step falls due with an earlier run's.
fn interval(b: &mut Bytes<'_>, steps: &[Notify]) -> Duration {
    let v = i64::from(b.byte());
    let gaps = steps
        .iter()
        .flat_map(|a| steps.iter().map(|z| (z.after - a.after).abs()));
    let gap = gaps.filter(|g| *g > Duration::zero()).min();
    match b.pick(5) {
        0 => Duration::minutes(1 + v % 30),
        1 => Duration::minutes(5 * (1 + v % 12)),
        2 => Duration::seconds(1 + v),
        3 => Duration::days(1 + v % MAX_CONTACT_DELAY_DAYS),
        _ => gap.unwrap_or(Duration::minutes(1 + v % 30)),
    }
}

fn profile(b: &mut Bytes<'_>, who: UserId, base: NaiveDate) -> ProfileSpec {
    let zone = match b.pick(6) {
        0 => None,
        z => ZONES.get(z - 1).map(|z| (*z).to_owned()),
    };
    let berlin = zone.as_deref() == Some("Europe/Berlin");
    let methods: Vec<Method> = (0..1 + b.pick(4))
        .map(|i| Method {
            name: NAMES.get(i).copied().unwrap_or("app").to_owned(),
            channel: b.choose(&CHANNELS, Channel::Push),
            enabled: b.byte() % 5 != 4,
        })
        .collect();
    let rules = (0..(1 + b.pick(5)) % 5)
        .map(|i| {
            let steps = (0..1 + b.pick(3))
                .map(|_| Notify {
                    after: delay(b),
                    method: b.choose(&methods, Method::new("app", Channel::Push)).name,
                })
                .collect();
            let mut rule = ContactRule::new(format!("r{i}"), steps);
            rule.urgency = b.choose(&[None, None, Some(Urgency::High), Some(Urgency::Low)], None);
            rule.attempt = b.choose(&[None, None, None, Some(1), Some(2), Some(3)], None);
            if b.pick(4) == 3 {
                rule.hours = Some(restriction(b, berlin, base));
            }
            if b.pick(4) == 3 {
                let every = interval(b, &rule.steps);
                let most = if b.pick(16) == 15 { 100 } else { 4 };
                let times = 1 + u32::from(b.byte()) % most;
                rule.repeat = Some(Repeat { every, times });
            }
            rule.enabled = b.byte() % 6 != 5;
            rule
        })
        .collect();
    let mut p = ProfileSpec::new(who, methods, rules);
    p.zone = zone;
    p
}

/// Bytes (after the commands) to contact rules: a byte whose value % 4 is 0 (so every input
/// that ends before it) means none; then the urgency, each step's channels (1 in 4), a
/// profile for each of users 0 to 6 (3 in 4), up to three defect bytes (each >= 200: one of
/// 14 defects or limits), a change of the profiles from some command on (1 in 4), and rarely commands
/// moved to some 500 days before chrono's end (every target then a user).
pub(super) fn decode(
    b: &mut Bytes<'_>,
    policy: &mut Policy,
    base: NaiveDate,
    commands: &mut [(UserId, T, Command)],
) -> Option<Contacts> {
    if b.pick(4) == 0 {
        return None;
    }
    let urgency = b.choose(&[None, Some(Urgency::High), Some(Urgency::Low)], None);
    for step in &mut policy.steps {
        if b.pick(4) == 3 {
            step.channels = (0..1 + b.pick(3))
                .map(|_| b.choose(&CHANNELS, Channel::Push))
                .collect();
        }
    }
    let mut specs = Vec::new();
    for u in 0..7 {
        if b.pick(4) != 0 {
            specs.push(profile(b, UserId::from_u128(u), base));
        }
    }
    // Up to three defects, each while its byte is 200 or more.
    for _ in 0..3 {
        let defect = b.byte();
        if defect < 200 {
            break;
        }
        inject(&mut specs, defect % 14, b);
    }
    let later = (b.pick(4) == 3).then(|| {
        let mut edited = specs.clone();
        for p in &mut edited {
            p.methods.iter_mut().for_each(|m| m.enabled = !m.enabled);
            p.rules.reverse();
        }
        (b.pick(17), b.flag().then_some(edited))
    });
    if b.pick(16) == 15 {
        // Users only (the schedule model does not go near chrono's end).
        for (i, t) in policy
            .steps
            .iter_mut()
            .flat_map(|s| s.targets.iter_mut())
            .enumerate()
        {
            *t = Target::User(user(i));
        }
        let first = commands.first().map(|c| c.1).unwrap_or_default();
        let to = DateTime::<Utc>::MAX_UTC - Duration::days(450 + i64::from(b.byte()));
        let moved: Option<Vec<T>> = commands
            .iter()
            .map(|c| c.1.checked_add_signed(to - first))
            .collect();
        if let Some(moved) = moved {
            commands.iter_mut().zip(moved).for_each(|(c, t)| c.1 = t);
        }
    }
    Some(Contacts {
        specs,
        later,
        urgency,
    })
}

/// One defect (or a limit reached exactly) in one profile.
fn inject(specs: &mut Vec<ProfileSpec>, k: u8, b: &mut Bytes<'_>) {
    let app = || Notify::new(Duration::zero(), "app");
    if specs.is_empty() {
        let rule = ContactRule::new("r0", vec![app()]);
        let m = Method::new("app", Channel::Push);
        specs.push(ProfileSpec::new(user(0), vec![m], vec![rule]));
    }
    let i = b.pick(specs.len());
    let v = b.byte();
    let exact = v & 1 == 1;
    if k == 0 {
        if let Some(p) = specs.get(i) {
            let mut twin = p.clone();
            twin.rules.reverse();
            specs.push(twin);
        }
        return;
    }
    let Some(p) = specs.get_mut(i) else { return };
    if p.rules.is_empty() {
        let first = p.methods.first().map_or("app".into(), |m| m.name.clone());
        p.rules.push(ContactRule::new(
            "r9",
            vec![Notify::new(Duration::zero(), first)],
        ));
    }
    let n = p.methods.len();
    let r = p.rules.len();
    let limit = Duration::days(MAX_CONTACT_DELAY_DAYS);
    match k {
        1 => p.zone = ZONES.get(5 + usize::from(v % 2)).map(|z| (*z).to_owned()),
        2 => {
            let to = MAX_METHODS + usize::from(!exact);
            p.methods
                .extend((n..to).map(|m| Method::new(format!("m{m}"), Channel::Sms)));
        }
        3 => {
            let to = MAX_RULES + usize::from(!exact);
            let steps = p.rules.first().map(|r| r.steps.clone()).unwrap_or_default();
            let more = (r..to).map(|x| ContactRule::new(format!("x{x}"), steps.clone()));
            p.rules.extend(more.collect::<Vec<_>>());
        }
        // Empty, or blank ("an empty or blank name", says the error).
        4 => {
            let blank = if v & 2 == 2 { " " } else { "" };
            if exact {
                p.rules.iter_mut().for_each(|r| r.name = blank.into());
            } else {
                p.methods.iter_mut().for_each(|m| m.name = blank.into());
            }
        }
        5 if exact => {
            let name = p.rules.first().map(|r| r.name.clone()).unwrap_or_default();
            let steps = p.rules.first().map(|r| r.steps.clone()).unwrap_or_default();
            p.rules.push(ContactRule::new(name, steps));
        }
        5 => {
            let name = p
                .methods
                .first()
                .map(|m| m.name.clone())
                .unwrap_or_default();
            p.methods.push(Method::new(name, Channel::Teams));
        }
        _ => {
            let Some(rule) = p.rules.get_mut(usize::from(v >> 1) % r) else {
                return;
            };
            match k {
                6 => rule.steps.clear(),
                7 => {
                    let to = MAX_RULE_STEPS + usize::from(!exact);
                    let step = rule.steps.first().cloned();
                    let more = (rule.steps.len()..to).filter_map(|_| step.clone());
                    rule.steps.extend(more.collect::<Vec<_>>());
                }
                8 if exact => rule.steps.iter_mut().for_each(|s| s.method = "nope".into()),
                // A rule's name is not a method's.
                8 => {
                    let name = rule.name.clone();
                    rule.steps
                        .iter_mut()
                        .for_each(|s| s.method.clone_from(&name));
                }
                9 => {
                    let after = [
                        -Duration::nanoseconds(1),
                        limit + Duration::nanoseconds(1),
                        limit,
                        Duration::MAX,
                        Duration::MIN,
                        Duration::zero(),
                    ];
                    let after = after.get(usize::from(v / 2) % after.len()).copied();
                    let after = after.unwrap_or_default();
                    rule.steps.iter_mut().for_each(|s| s.after = after);
                }
                10 => {
                    let options = [
                        (Duration::zero(), 1),
                        (-Duration::minutes(1), 1),
                        (limit + Duration::nanoseconds(1), 1),
                        (Duration::minutes(5), 0),
                        (Duration::minutes(5), MAX_CONTACT_REPEATS + 1),
                        (limit, MAX_CONTACT_REPEATS),
                        (Duration::nanoseconds(1), MAX_CONTACT_REPEATS),
                    ];
                    let pick = options.get(usize::from(v / 2) % options.len()).copied();
                    let (every, times) = pick.unwrap_or_default();
                    rule.repeat = Some(Repeat { every, times });
                }
                11 => rule.attempt = Some([0, 21, 22, u32::MAX][usize::from(v / 2) % 4]),
                12 => {
                    let mut h = rule.hours.take().unwrap_or(Restriction {
                        week: Week::default(),
                        holidays: Vec::new(),
                    });
                    h.week = Week::default();
                    rule.hours = Some(h);
                }
                // A rule named as a method, its steps repeated every seven days 100 times.
                _ => {
                    rule.name = "app".into();
                    rule.repeat = Some(Repeat {
                        every: limit,
                        times: MAX_CONTACT_REPEATS,
                    });
                }
            }
        }
    }
}

/// The defects of `specs` per the docs, each with the person it names.
fn defects(specs: &[ProfileSpec]) -> BTreeSet<(&'static str, UserId)> {
    let limit = Duration::days(MAX_CONTACT_DELAY_DAYS);
    let mut out = BTreeSet::new();
    for (i, p) in specs.iter().enumerate() {
        let mut add = |bad: bool, what: &'static str| {
            if bad {
                out.insert((what, p.user));
            }
        };
        add(
            specs.iter().take(i).any(|q| q.user == p.user),
            "DuplicateProfile",
        );
        let zone_ok = p.zone.as_deref().is_none_or(|z| Mz::of(Some(z)).is_some());
        add(!zone_ok, "UnknownProfileZone");
        add(p.methods.len() > 32, "TooManyMethods");
        add(p.rules.len() > 64, "TooManyRules");
        let methods: Vec<&str> = p.methods.iter().map(|m| m.name.as_str()).collect();
        let rules: Vec<&str> = p.rules.iter().map(|r| r.name.as_str()).collect();
        for names in [&methods, &rules] {
            add(names.iter().any(|n| n.trim().is_empty()), "InvalidName");
            let twice = names.iter().enumerate();
            let twice = twice
                .into_iter()
                .any(|(k, n)| names.iter().take(k).any(|m| m == n));
            add(twice, "DuplicateName");
        }
        for d in super::handoff::defects(p) {
            add(true, d);
        }
        for r in &p.rules {
            add(r.steps.is_empty(), "NoRuleSteps");
            add(r.steps.len() > 32, "TooManyRuleSteps");
            for s in &r.steps {
                add(!methods.contains(&s.method.as_str()), "UnknownMethod");
                add(
                    s.after < Duration::zero() || s.after > limit,
                    "InvalidDelay",
                );
            }
            if let Some(rep) = r.repeat {
                let every_ok = Duration::zero() < rep.every && rep.every <= limit;
                let times_ok = (1..=100).contains(&rep.times);
                add(!every_ok || !times_ok, "InvalidRepeat");
            }
            add(
                r.attempt.is_some_and(|a| a == 0 || a > 21),
                "InvalidAttempt",
            );
            let hours = r.hours.as_ref();
            add(
                hours.is_some_and(|h| bad_restriction(h) || !zone_ok),
                "InvalidHours",
            );
        }
    }
    out
}

/// The person a profile error names.
fn named(e: &Error) -> Option<UserId> {
    let limit = MAX_CONTACT_DELAY_DAYS;
    match e {
        Error::TooManyMethods { user, max, .. } => (*max == MAX_METHODS).then_some(*user),
        Error::TooManyRules { user, max, .. } => (*max == MAX_RULES).then_some(*user),
        Error::TooManyRuleSteps { user, max, .. } => (*max == MAX_RULE_STEPS).then_some(*user),
        Error::InvalidDelay {
            user,
            given,
            max_days,
            ..
        } => {
            let bad = *given < Duration::zero() || *given > Duration::days(limit);
            (*max_days == limit && bad).then_some(*user)
        }
        Error::InvalidRepeat {
            user,
            max_times,
            max_days,
            ..
        } => (*max_times == MAX_CONTACT_REPEATS && *max_days == limit).then_some(*user),
        Error::DuplicateProfile { user }
        | Error::UnknownProfileZone { user, .. }
        | Error::InvalidName { user, .. }
        | Error::DuplicateName { user, .. }
        | Error::NoRuleSteps { user, .. }
        | Error::UnknownMethod { user, .. }
        | Error::InvalidAttempt { user, .. }
        | Error::InvalidHours { user, .. } => Some(*user),
        _ => None,
    }
}

/// `Profiles::new(specs)` against the model's defects: the profiles when valid. When they
/// are refused, each profile alone too (so each defect's error is seen).
fn compile(specs: &[ProfileSpec], errors: &mut Vec<String>) -> Option<Profiles> {
    let all = check(specs, errors);
    if all.is_none() && specs.len() > 1 {
        for p in specs {
            check(std::slice::from_ref(p), errors);
        }
    }
    all
}

/// `Profiles::new(specs)` against the model's defects.
fn check(specs: &[ProfileSpec], errors: &mut Vec<String>) -> Option<Profiles> {
    let ctx = format!("profiles {}", json(&specs));
    for p in specs {
        let back: Option<ProfileSpec> = serde_json::from_str(&json(p)).ok();
        same(back.as_ref(), Some(p), "profile JSON round trip", &ctx);
    }
    let limits = (MAX_METHODS, MAX_RULES, MAX_RULE_STEPS, MAX_CONTACT_REPEATS);
    same(limits, (32, 64, 32, 100), "the documented limits", "");
    same(
        MAX_CONTACT_DELAY_DAYS,
        7,
        "the documented longest delay",
        "",
    );
    same(MAX_ATTEMPT, 21, "the documented last attempt", "");
    let defects = defects(specs);
    match Profiles::new(specs) {
        Ok(p) => {
            same(&defects, &BTreeSet::new(), "Profiles::new accepted", &ctx);
            let users: BTreeSet<UserId> = specs.iter().map(|s| s.user).collect();
            same(p.len(), users.len(), "Profiles::len", &ctx);
            same(p.is_empty(), users.is_empty(), "Profiles::is_empty", &ctx);
            for u in (0..8).map(UserId::from_u128) {
                same(
                    p.contains(u),
                    users.contains(&u),
                    "Profiles::contains",
                    &ctx,
                );
            }
            Some(p)
        }
        Err(e) => {
            let k = kind(&e);
            let who = named(&e);
            let text = e.to_string();
            let known = who.is_some_and(|w| defects.iter().any(|(d, u)| *d == k && *u == w));
            assert!(
                known,
                "Profiles::new refused with {e:?}, model {defects:?}; {ctx}"
            );
            let names = who.is_some_and(|w| text.contains(&w.to_string()));
            assert!(names && text.len() < 1000, "{text:?} names nobody; {ctx}");
            if let Error::UnknownMethod { user, known, .. } = &e {
                let p = specs.iter().find(|p| p.user == *user);
                let have = p.map(|p| p.methods.iter().map(|m| m.name.clone()).collect());
                same(Some(known), have.as_ref(), "the known methods", &ctx);
            }
            errors.push(k);
            None
        }
    }
}

/// Plans each notice's contacts, as the docs say.
#[derive(Clone, Copy)]
pub(super) struct Planner<'a> {
    specs: &'a [ProfileSpec],
    urgency: Urgency,
    /// For the wall clock of the profiles' zones ([`Model::open`]).
    layout: &'a ScheduleSpec,
}

impl Planner<'_> {
    /// Notice number `attempt` (from 1) to `recipients` at `at`, under `channels`; `cut`
    /// the next notice (none after the last notice).
    pub(super) fn plan(
        &self,
        recipients: &[UserId],
        channels: &[Channel],
        attempt: u32,
        at: T,
        cut: Option<T>,
    ) -> (Vec<Contact>, Vec<Unreachable>) {
        // (due, recipient, run, step or method, contact)
        let mut keyed: Vec<(T, usize, u32, usize, Contact)> = Vec::new();
        let mut unreachable = Vec::new();
        let make = |user: UserId, m: &Method, rule: Option<&String>, due: T| Contact {
            user,
            method: m.name.clone(),
            channel: m.channel,
            rule: rule.cloned(),
            due,
        };
        for (who, &user) in recipients.iter().enumerate() {
            let Some(p) = self.specs.iter().find(|p| p.user == user) else {
                unreachable.push(Unreachable::NoProfile { user });
                continue;
            };
            let before = keyed.len();
            if !channels.is_empty() {
                for (k, m) in p.methods.iter().enumerate() {
                    if m.enabled && channels.contains(&m.channel) {
                        keyed.push((at, who, 0, k, make(user, m, None, at)));
                    }
                }
                if keyed.len() == before {
                    let channels = channels.to_vec();
                    unreachable.push(Unreachable::NoMethodOn { user, channels });
                } else if let Some(next) = cut.filter(|n| *n <= at) {
                    unreachable.push(Unreachable::TooLate { user, next });
                }
                continue;
            }
            let zone = Mz::of(p.zone.as_deref()).unwrap_or(Mz::Fixed(0));
            let clock = Model {
                spec: self.layout,
                zone,
            };
            let holds = |r: &&ContactRule| {
                r.enabled
                    && r.urgency.is_none_or(|u| u == self.urgency)
                    && r.attempt.is_none_or(|a| a == attempt)
                    && r.hours
                        .as_ref()
                        .is_none_or(|h| clock.open(h, at) == Some(true))
            };
            let Some(rule) = p.rules.iter().find(holds) else {
                unreachable.push(Unreachable::NoRule { user });
                continue;
            };
            let (every, times) = rule
                .repeat
                .map_or((Duration::zero(), 0), |r| (r.every, r.times));
            let (mut enabled, mut past_the_end) = (false, false);
            for run in 0..=times {
                let start = i32::try_from(run)
                    .ok()
                    .and_then(|r| every.checked_mul(r))
                    .and_then(|d| at.checked_add_signed(d));
                for (k, s) in rule.steps.iter().enumerate() {
                    let m = p.methods.iter().find(|m| m.name == s.method);
                    let Some(m) = m.filter(|m| m.enabled) else {
                        continue;
                    };
                    enabled = true;
                    match start.and_then(|t| t.checked_add_signed(s.after)) {
                        Some(due) => {
                            let c = make(user, m, Some(&rule.name), due);
                            keyed.push((due, who, run, k, c));
                        }
                        None => past_the_end = true,
                    }
                }
            }
            let rule = rule.name.clone();
            if !enabled {
                unreachable.push(Unreachable::NoEnabledMethod { user, rule });
                continue;
            }
            if past_the_end {
                unreachable.push(Unreachable::OutOfRange { user, rule });
            }
            // Every contact of theirs at or after the next notice, which drops them.
            let mine = keyed.get(before..).unwrap_or_default();
            let late = |n: &T| !mine.is_empty() && mine.iter().all(|c| c.0 >= *n);
            if let Some(next) = cut.filter(late) {
                unreachable.push(Unreachable::TooLate { user, next });
            }
        }
        // By due instant, then recipient, then the rule's runs and steps.
        keyed.sort_by_key(|(due, who, run, k, _)| (*due, *who, *run, *k));
        (keyed.into_iter().map(|k| k.4).collect(), unreachable)
    }
}

/// Profiles compiled, and their specs.
type Set<'a> = (Profiles, &'a [ProfileSpec]);

/// The input's profiles compiled (each set checked against the model), and the planner of
/// each command.
pub(super) struct Compiled<'a> {
    first: Option<Profiles>,
    /// From a command on, other profiles or none.
    later: Option<(usize, Option<Set<'a>>)>,
    input: &'a Input,
}

impl<'a> Compiled<'a> {
    pub(super) fn new(input: &'a Input, errors: &mut Vec<String>) -> Self {
        let c = input.contacts.as_ref();
        let first = c.and_then(|c| compile(&c.specs, errors));
        let later = c.and_then(|c| c.later.as_ref()).map(|(k, specs)| {
            let specs = specs.as_deref();
            let p = specs.and_then(|s| compile(s, errors));
            (*k, p.zip(specs))
        });
        Compiled {
            later: later.filter(|_| first.is_some()),
            first,
            input,
        }
    }

    /// The profiles command `k` passes, and the model's planner for them.
    pub(super) fn at(&self, k: usize) -> Option<(&Profiles, Planner<'a>, Option<Urgency>)> {
        let c = self.input.contacts.as_ref()?;
        let (profiles, specs) = match &self.later {
            Some((from, later)) if k >= *from => later.as_ref().map(|(p, s)| (p, *s))?,
            _ => (self.first.as_ref()?, c.specs.as_slice()),
        };
        let planner = Planner {
            specs,
            urgency: c.urgency.unwrap_or(Urgency::High),
            layout: &self.input.spec,
        };
        Some((profiles, planner, c.urgency))
    }
}

/// `events` with each plan's unreachable people in the order they first appear, one
/// person's reasons by kind (the docs give no order among them).
pub(super) fn canon(events: &[Event]) -> Vec<Event> {
    let mut out = events.to_vec();
    for e in &mut out {
        if let Event::ContactsPlanned { unreachable, .. } = e {
            let mut order: Vec<UserId> = Vec::new();
            for u in unreachable.iter() {
                if !order.contains(&u.user()) {
                    order.push(u.user());
                }
            }
            unreachable.sort_by_cached_key(|u| {
                let at = order.iter().position(|o| *o == u.user());
                (at, kind_of(&format!("{u:?}")))
            });
        }
    }
    out
}
