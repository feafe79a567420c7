//! The handoff part of the `oncall` harness: `Schedule::handoffs` and
//! `Profiles::handoff_notices` against this harness's own model, written from
//! `docs/oncall.md` ("Handoffs and reminders before them") and the doc comments of
//! `handoff.rs`:
//!
//! - a handoff happens at an instant `t` where the model's `on_call` answers change
//!   (`from` and the instants [`Model::points`] gives): each person in the answer at
//!   `t - 1ns` and not at `t` goes off, each person at `t` and not at `t - 1ns` goes on
//!   (moving between layers or covering is no handoff); off first, in the order they were
//!   listed at `t - 1ns`, then on, in the order listed at `t`; so a change at `from` counts
//!   and a person on call throughout does not. Over the input's window, and over both halves
//!   of a split of it (the halves, one after the other, give the whole); a reversed window is
//!   `ReversedWindow`; `OutOfRange` (or `WindowTooLong`) at chrono's first instant;
//! - reminders over `[from, to)`: for each handoff in `[from, to + the longest before of any
//!   rule)` (in the order above) and each rule of the person's profile of its kind (in the
//!   profile's order) whose method is enabled, a notice at the handoff's instant minus
//!   `before`, if in `[from, to)`; ordered by instant, then handoff, then rule. None without
//!   any rule (and nothing else asked). Over the split too. `TimeOverflow` (or an error of
//!   `handoffs`) when `to` plus the longest `before` is past chrono's end;
//! - a profile whose handoff rule has a `before` below zero or above seven days is refused
//!   with `InvalidDelay`, one naming a method the person lacks with `UnknownMethod` (as a
//!   contact step: `oncall_contact.rs`'s defects include these).
//!
//! Bytes (after the contact rules): a split byte, then, when there are profiles, a byte
//! whose value % 4 is 0 for no handoff rules (so every input that ends before it), else for
//! each profile (2 in 3) one to three rules: kind, `before` (in minutes up to seven days,
//! sometimes just over it or negative), method (rarely one the person lacks).

use super::*;
use itsm_oncall::{
    Handoff, HandoffKind, HandoffNotice, HandoffRule, MAX_CONTACT_DELAY_DAYS, ProfileSpec, Profiles,
};

/// Bytes to a split of the window ([`split`]) and, into `contacts`' profiles, handoff rules.
pub(super) fn decode(b: &mut Bytes<'_>, contacts: Option<&mut contact::Contacts>) -> u8 {
    let split = b.byte();
    let Some(c) = contacts else { return split };
    if b.pick(4) == 0 {
        return split;
    }
    for p in &mut c.specs {
        if b.pick(3) == 0 {
            continue;
        }
        for _ in 0..1 + b.pick(3) {
            let kind = if b.flag() {
                HandoffKind::OffCall
            } else {
                HandoffKind::OnCall
            };
            let before = before(b);
            let method = match p.methods.get(b.pick(p.methods.len())) {
                Some(m) if b.pick(16) != 15 => m.name.clone(),
                _ => "pager".to_owned(),
            };
            p.handoffs.push(HandoffRule::new(kind, before, method));
        }
    }
    split
}

/// A rule's `before`: minutes up to seven days; rarely just over it or below zero.
fn before(b: &mut Bytes<'_>) -> Duration {
    let limit = Duration::days(MAX_CONTACT_DELAY_DAYS);
    let v = i64::from(b.byte());
    let w = i64::from(b.byte());
    match b.pick(8) {
        0 => Duration::zero(),
        1 | 2 => Duration::minutes(v),
        3 => Duration::hours(v % 48),
        4 => Duration::minutes((v * 256 + w) % (limit.num_minutes() + 1)),
        5 => limit,
        6 => Duration::days(1 + v % MAX_CONTACT_DELAY_DAYS),
        _ => match v % 8 {
            0 => limit + Duration::minutes(1 + w % 60),
            1 => -Duration::minutes(1 + w % 60),
            _ => Duration::minutes(v % 60 + 60 * (w % 3)),
        },
    }
}

/// The defects of `p`'s handoff rules per the docs (the contact model adds them).
pub(super) fn defects(p: &ProfileSpec) -> Vec<&'static str> {
    let limit = Duration::days(MAX_CONTACT_DELAY_DAYS);
    let mut out = Vec::new();
    for h in &p.handoffs {
        if !p.methods.iter().any(|m| m.name == h.method) {
            out.push("UnknownMethod");
        }
        if h.before < Duration::zero() || h.before > limit {
            out.push("InvalidDelay");
        }
    }
    out
}

/// The model's handoffs in `[from, to)`; `None` where it does not answer.
fn handoffs(model: &Model<'_>, from: T, to: T) -> Option<Vec<Handoff>> {
    let pts = model.points(from, to)?;
    if pts.len() > 3_000 {
        return None;
    }
    let users = |t: T| -> Vec<UserId> { model.on_call(t).into_iter().map(|e| e.user).collect() };
    let mut out = Vec::new();
    for at in pts {
        let was = users(at.checked_sub_signed(Duration::nanoseconds(1))?);
        let now = users(at);
        let off = was.iter().filter(|u| !now.contains(u));
        out.extend(off.map(|&user| Handoff {
            at,
            user,
            kind: HandoffKind::OffCall,
        }));
        let on = now.iter().filter(|u| !was.contains(u));
        out.extend(on.map(|&user| Handoff {
            at,
            user,
            kind: HandoffKind::OnCall,
        }));
    }
    Some(out)
}

/// The model's reminders in `[from, to)` from `hs` (every handoff from `from` to `to` plus
/// the longest `before` at least, in order); and whether a disabled method left one out.
fn notices(specs: &[ProfileSpec], hs: &[Handoff], from: T, to: T) -> (Vec<HandoffNotice>, bool) {
    let mut keyed: Vec<(T, usize, usize, HandoffNotice)> = Vec::new();
    let mut disabled = false;
    for (i, h) in hs.iter().enumerate() {
        let Some(p) = specs.iter().find(|p| p.user == h.user) else {
            continue;
        };
        for (j, r) in p.handoffs.iter().enumerate() {
            let at = h.at.checked_sub_signed(r.before);
            let Some(at) = at.filter(|at| r.kind == h.kind && from <= *at && *at < to) else {
                continue;
            };
            let Some(m) = p.methods.iter().find(|m| m.name == r.method) else {
                continue;
            };
            if !m.enabled {
                disabled = true;
                continue;
            }
            let n = HandoffNotice {
                at,
                user: h.user,
                method: m.name.clone(),
                channel: m.channel,
                handoff: *h,
            };
            keyed.push((at, i, j, n));
        }
    }
    keyed.sort_by_key(|k| (k.0, k.1, k.2));
    (keyed.into_iter().map(|k| k.3).collect(), disabled)
}

/// Where the window `[from, to)` is split: its middle, the instant of one of the model's
/// handoffs (`hs`), `from` or `to`.
fn split(v: u8, from: T, to: T, hs: &[Handoff]) -> T {
    let middle = from + (to - from) / 2;
    match v % 4 {
        0 => middle,
        1 => hs
            .get(usize::from(v / 4) % hs.len().max(1))
            .map_or(middle, |h| h.at),
        2 => from,
        _ => to,
    }
}

fn kinds<'a>(what: &str, ks: impl Iterator<Item = &'a HandoffKind>, seen: &mut Vec<String>) {
    for k in ks {
        let k = format!("{what}::{}", k.name());
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
}

/// The handoff checks of a compiled schedule; what they reached goes to `seen`.
pub(super) fn check(input: &Input, schedule: Option<&(Schedule, bool)>, seen: &mut Vec<String>) {
    let Some((s, exact)) = schedule else { return };
    let specs = input.contacts.as_ref().map(|c| c.specs.as_slice());
    let profiles = specs.and_then(|s| Profiles::new(s).ok());
    if let Some(specs) = specs.filter(|_| profiles.is_none()) {
        // Refused for a handoff rule alone.
        let mut plain = specs.to_vec();
        plain.iter_mut().for_each(|p| p.handoffs.clear());
        if let (Ok(_), Err(e)) = (Profiles::new(&plain), Profiles::new(specs)) {
            seen.push(format!("HandoffRule::{}", kind(&e)));
        }
    }
    let specs = specs.unwrap_or_default();
    let longest = specs
        .iter()
        .flat_map(|p| p.handoffs.iter().map(|h| h.before));
    let longest = longest.max().filter(|_| profiles.is_some());
    let ctx = format!("spec {} profiles {}", json(&input.spec), json(&specs));
    // chrono's ends: an answer or a documented error, never a panic.
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    let day = Duration::days(1);
    let first = s.handoffs(min, min + day);
    let fine = matches!(
        first,
        Err(Error::OutOfRange { .. } | Error::WindowTooLong { .. })
    );
    assert!(
        fine,
        "handoffs from chrono's first instant: {first:?}; {ctx}"
    );
    let last = s.handoffs(max - day, max);
    assert!(tolerated(last), "handoffs at chrono's end; {ctx}");
    if let Some(p) = &profiles {
        // `to` plus the longest `before` past chrono's end.
        let got = p.handoff_notices(s, max - day, max);
        match (longest, &got) {
            (None, Ok(n)) => assert!(n.is_empty(), "reminders without rules {n:?}; {ctx}"),
            (Some(l), Ok(_)) if l == Duration::zero() => {}
            (
                Some(_),
                Err(
                    e @ (Error::TimeOverflow { .. }
                    | Error::OutOfRange { .. }
                    | Error::WindowTooLong { .. }),
                ),
            ) => seen.push(format!("HandoffNotice::{}", kind(e))),
            _ => panic!("handoff_notices up to chrono's end: {got:?}; {ctx}"),
        }
        let got = p.handoff_notices(s, min, min + day);
        assert!(tolerated(got), "handoff_notices at chrono's start; {ctx}");
    }
    if !exact {
        return;
    }
    let model = Model {
        spec: &input.spec,
        zone: Mz::of(input.spec.zone.as_deref()).unwrap_or(Mz::Fixed(0)),
    };
    let (from, to) = input.window;
    let got = s.handoffs(from, to);
    if to < from {
        let reversed = matches!(got, Err(Error::ReversedWindow { .. }));
        assert!(reversed, "handoffs over a reversed window: {got:?}; {ctx}");
        if let Some(p) = &profiles {
            let got = p.handoff_notices(s, from, to);
            let fine = matches!(&got, Err(Error::ReversedWindow { .. }))
                || got.as_ref().is_ok_and(Vec::is_empty);
            assert!(
                fine,
                "handoff_notices over a reversed window: {got:?}; {ctx}"
            );
        }
        return;
    }
    let ctx = format!("window {from:?} to {to:?}, {ctx}");
    let Some(want) = handoffs(&model, from, to) else {
        return;
    };
    same(got.as_ref().ok(), Some(&want), "handoffs", &ctx);
    kinds("Handoff", want.iter().map(|h| &h.kind), seen);
    if want.first().is_some_and(|h| h.at == from) {
        seen.push("Handoff::at_from".into());
    }
    if let Some(h) = want.first() {
        let back: Option<Handoff> = serde_json::from_str(&json(h)).ok();
        same(back.as_ref(), Some(h), "handoff JSON round trip", &ctx);
    }
    let mid = split(input.handoff_split, from, to, &want);
    let (a, z) = (s.handoffs(from, mid), s.handoffs(mid, to));
    let (early, late): (Vec<Handoff>, Vec<Handoff>) = want.iter().partition(|h| h.at < mid);
    let what = format!("handoffs split at {mid:?}");
    same(a.ok(), Some(early), &what, &ctx);
    same(z.ok(), Some(late), &what, &ctx);
    let Some(p) = &profiles else { return };
    let Some(longest) = longest else {
        let got = p.handoff_notices(s, from, to);
        same(got.ok(), Some(Vec::new()), "reminders without rules", &ctx);
        return;
    };
    let Some(hs) = to
        .checked_add_signed(longest)
        .and_then(|until| handoffs(&model, from, until))
    else {
        return;
    };
    for (a, z) in [(from, to), (from, mid), (mid, to)] {
        let (want, disabled) = notices(specs, &hs, a, z);
        let got = p.handoff_notices(s, a, z);
        same(
            got.ok(),
            Some(want.clone()),
            &format!("reminders in [{a:?}, {z:?})"),
            &ctx,
        );
        kinds("HandoffNotice", want.iter().map(|n| &n.handoff.kind), seen);
        if disabled {
            seen.push("HandoffRule::disabled".into());
        }
        if let Some(n) = want.first() {
            let back: Option<HandoffNotice> = serde_json::from_str(&json(n)).ok();
            same(back.as_ref(), Some(n), "reminder JSON round trip", &ctx);
        }
    }
}
