//! The fuzz harness of on-call schedules and escalations (`itsm_oncall`), as a plain function
//! of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/oncall.rs` calls [`oncall`], and so does the
//! stable test `crates/itsm-oncall/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/oncall/`.
//!
//! Every answer is compared with this harness's own model of the crate's doc comments,
//! written from the rules, not from the code:
//! - a zone's wall clock is read with `Zone::local` (UTC and offsets by hand); "the first
//!   instant whose reading is at or after" a local time is found by trying each offset the
//!   zone has within a day of it, and in a gap by bisecting for the jump;
//! - turn k of a layer starts at `first(handover) + k x hours` (`Hours`), or at
//!   `first(handover + k x days)` (`Days`, `Weeks`); the turn holding `t` is the last one
//!   starting at or before it (brute force around an estimate); its member is
//!   `members[k mod len]`;
//! - a layer answers only inside `[starts, ends)` and while its restriction is open (a
//!   segment of the local day, not a holiday, holds the wall-clock time, or an overnight
//!   segment of the day before does); then a per-layer override (last listed, `next` 0),
//!   else the member, replaced by the cover of the last listed time off holding `t`, a
//!   cover away handing on to their own (nobody without a cover or on a loop);
//! - a schedule-wide override (last listed) is all `on_call` answers; else the last layer
//!   with someone (`LastLayer`) or everyone in layer order, each user once (`All`);
//! - the final schedule: the model's answers at `from` and at every instant its own rules
//!   can change (turn starts, restriction edges, dates, time off and overrides), equal
//!   neighbours merged; gaps, conflicts (per person and maximal stretch, in order) and load
//!   (time, runs of consecutive shifts) from it;
//! - escalations: the model keeps status, step, pass, reminder, recipients, the notified
//!   set and the due instant, and produces the events the rules of `decide` describe (what
//!   fell due first, each at its instant; then the command), compared event by event;
//! - contact rules (`oncall_contact.rs`): each notice's contacts planned from the docs'
//!   rules (the step's channels, else the first enabled rule whose urgency, attempt and hours
//!   hold; its steps, repeated, disabled methods skipped; sorted by due instant, recipient,
//!   step), sent in order until the next notice (not at its instant), an acknowledgement or
//!   the end, and still after exhaustion; `next_deadline` and the pending contacts likewise;
//! - handoffs (`oncall_handoff.rs`): who goes off and on at each instant the model's
//!   `on_call` changes (compared with 1ns before), over the window and a split of it, and
//!   the reminders due before them from the profiles' handoff rules;
//! - invalid specs, policies, profiles and commands: `Err` with one of the variants the model finds
//!   (any of them where several defects are present), never `Ok`.
//!
//! Bytes: see [`decode`] (every choice a byte modulo its options; zeros give a valid
//! one-layer UTC schedule of hourly turns and a one-step policy).

use std::collections::{BTreeMap, BTreeSet};

use itsm_oncall::chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Utc};
use itsm_oncall::itsm_calendar::{Holiday, Segment, Week, Zone};
use itsm_oncall::{
    Acknowledgers, Actor, Combine, Command, Context, Error, Event, Layer, Nobody, OnCall, Override,
    Policy, Restriction, Rotation, Schedule, ScheduleSpec, Schedules, Shift, State, Status, Step,
    Target, TimeOff, Turn, UserId, Via, decide, evolve, next_deadline,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

type T = DateTime<Utc>;

/// The zones a spec may name (the last two are refused).
pub const ZONES: [&str; 7] = [
    "UTC",
    "+02:00",
    "-05:30",
    "+05:45",
    "Europe/Berlin",
    "Mars/Olympus",
    "+24:00",
];

/// What the input decoded to.
pub struct Input {
    pub spec: ScheduleSpec,
    pub policy: Policy,
    pub base: T,
    pub instants: Vec<T>,
    pub window: (T, T),
    pub commands: Vec<(UserId, T, Command)>,
    /// Contact profiles, step channels and an urgency (`None` for most inputs: without
    /// profiles the events are exactly as before).
    pub contacts: Option<contact::Contacts>,
    /// Where the window is split for the handoff checks ([`handoff::decode`]).
    pub handoff_split: u8,
}

/// What a run saw, for the corpus test.
pub struct Outcome {
    pub input: Input,
    pub schedule: Result<(), String>,
    /// The kinds of the events decided, in order.
    pub events: Vec<String>,
    /// The kinds of the errors met, in order.
    pub errors: Vec<String>,
    /// Why planned contacts could not reach someone (`Unreachable`'s variants), in order.
    pub unreachable: Vec<String>,
    /// What the handoff checks reached (`Handoff::on_call`, `HandoffRule::InvalidDelay`...).
    pub handoffs: Vec<String>,
}

fn user(i: usize) -> UserId {
    UserId::from_u128(1 + (i % 6) as u128)
}

fn kind(e: &Error) -> String {
    kind_of(&format!("{e:?}"))
}

fn offset(b: &mut Bytes<'_>) -> Duration {
    let hi = i64::from(b.byte() as i8);
    let lo = i64::from(b.byte());
    match b.pick(8) {
        0 => Duration::hours(hi),
        1 => Duration::seconds(hi * 256 + lo),
        2 => Duration::minutes(hi * 60 + lo % 60) + Duration::nanoseconds(lo * 3_900_000),
        3 => Duration::minutes(hi * 256 + lo) - Duration::nanoseconds(1 + lo),
        _ => Duration::minutes((hi * 256 + lo) % (30 * 1440)),
    }
}

fn restriction(b: &mut Bytes<'_>, berlin: bool, base: NaiveDate) -> Restriction {
    let seg = |a: &str, z: &str| Segment::parse(a, z).ok().into_iter().collect::<Vec<_>>();
    let pick = b.byte();
    let pick = if pick >= 240 {
        5 + pick % 3
    } else {
        [0, 1, 2, 3, 4, 8][usize::from(pick) % 6]
    };
    let week = match pick {
        0 => Week::weekdays(&seg("09:00", "17:00")),
        1 => Week::every_day(&seg("19:00", "07:00")),
        2 => Week {
            mon: seg("00:00", "24:00"),
            sat: [seg("08:00", "12:00"), seg("13:00", "18:30")].concat(),
            ..Week::default()
        },
        3 if !berlin => Week::every_day(&seg("02:30", "03:30")),
        4 => Week {
            fri: seg("22:00", "06:00"),
            sun: seg("10:00", "10:30"),
            ..Week::default()
        },
        5 => Week::default(),
        6 => Week {
            mon: [seg("08:00", "12:00"), seg("11:00", "13:00")].concat(),
            ..Week::default()
        },
        7 => Week::every_day(&seg("12:00", "12:00")),
        _ => Week::every_day(&seg("06:15", "18:45")),
    };
    let mut holidays = Vec::new();
    match b.pick(4) {
        1 => holidays.push(Holiday::date(
            base + Duration::days(i64::from(b.byte() % 16)),
        )),
        2 => holidays.push(Holiday::yearly(base.month(), base.day())),
        _ => {}
    }
    Restriction { week, holidays }
}

const BASES: [(i32, u32, u32); 5] = [
    (2027, 3, 26),
    (2027, 10, 29),
    (2026, 6, 15),
    (2028, 2, 27),
    (2026, 12, 31),
];

/// Bytes to a schedule spec, a policy, query instants, a window and commands.
///
/// Byte 0: base date ([`BASES`]), byte 1: zone (>= 250 an unknown one, else none or one of
/// the first five [`ZONES`] by byte % 6), byte 2: combine, then 1 + byte % 4 layers, time
/// off, overrides, a defect byte (>= 208: one of 12 defects), the policy, instants, the
/// window, commands, then the contact rules ([`contact::decode`]: none when the input ends
/// before them), then the window's split and the handoff rules ([`handoff::decode`]).
pub fn decode(data: &[u8]) -> Input {
    let mut b = Bytes::new(data);
    let (y, m, d) = BASES[usize::from(b.byte()) % BASES.len()];
    let base_date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let base = base_date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let zb = b.byte();
    let zone = if zb >= 250 {
        Some(ZONES[5 + usize::from(zb & 1)].to_owned())
    } else {
        [None, Some(0), Some(1), Some(2), Some(3), Some(4)][usize::from(zb) % 6]
            .map(|i: usize| ZONES[i].to_owned())
    };
    let berlin = zone.as_deref() == Some("Europe/Berlin");
    let mut spec = ScheduleSpec::new("ops", Vec::new());
    spec.zone = zone;
    if b.flag() {
        spec.combine = Combine::All;
    }
    for i in 0..1 + b.pick(4) {
        let members = (0..1 + b.pick(4)).map(|_| user(b.pick(6))).collect();
        let turn = match b.pick(8) {
            0..=2 => Turn::Hours(1 + u32::from(b.byte() % 48)),
            3 | 4 => Turn::Days(1 + u32::from(b.byte() % 3)),
            5 => Turn::Weeks(1 + u32::from(b.byte() % 2)),
            6 => Turn::Hours(1 + u32::from(b.byte())),
            _ => Turn::Days(1 + u32::from(b.byte() % 9)),
        };
        let mut handover = base.naive_utc() + offset(&mut b);
        if berlin && b.pick(4) == 0 {
            // In the skipped hour (28 March 2027) or the repeated one (31 October 2027).
            let (mo, da) = if b.flag() { (3, 28) } else { (10, 31) };
            let day = NaiveDate::from_ymd_opt(2027, mo, da).unwrap_or_default();
            handover = day.and_hms_opt(2, 30, 0).unwrap_or_default();
        }
        let mut layer = Layer::new(format!("L{i}"), members, Rotation { handover, turn });
        let flags = b.byte();
        if flags & 1 != 0 {
            layer.starts = Some(base + offset(&mut b));
        }
        if flags & 2 != 0 {
            layer.ends =
                Some(layer.starts.unwrap_or(base) + Duration::hours(1 + i64::from(b.byte())));
        }
        if flags & 4 != 0 {
            layer.restriction = Some(restriction(&mut b, berlin, base_date));
        }
        spec.layers.push(layer);
    }
    for _ in 0..b.pick(4) {
        let from = base + offset(&mut b);
        let to = from + Duration::minutes(1 + i64::from(b.byte()) * 30);
        let member = user(b.pick(6));
        let cover = if b.pick(3) == 0 {
            None
        } else {
            Some(user(b.pick(6)))
        };
        let cover = if cover == Some(member) { None } else { cover };
        spec.time_off.push(TimeOff {
            member,
            from,
            to,
            cover,
        });
    }
    for _ in 0..b.pick(4) {
        let from = base + offset(&mut b);
        let to = from + Duration::minutes(1 + i64::from(b.byte()) * 30);
        let n = spec.layers.len();
        let layer = match b.pick(3) {
            0 => Some(format!("L{}", b.pick(n))),
            _ => None,
        };
        spec.overrides.push(Override {
            user: user(b.pick(6)),
            from,
            to,
            layer,
        });
    }
    let defect = b.byte();
    if defect >= 208 {
        inject(&mut spec, defect % 12, &mut b);
    }
    let mut policy = escalation::policy(&mut b, &spec);
    let instants = (0..8).map(|_| base + offset(&mut b)).collect();
    let from = base + offset(&mut b);
    let to = match b.pick(8) {
        0 => from - Duration::seconds(1),
        1 => from,
        2 => from + Duration::days(14) + Duration::minutes(i64::from(b.byte())),
        _ => from + Duration::minutes(1 + i64::from(b.byte()) * i64::from(b.byte())),
    };
    let mut now = base + offset(&mut b);
    let mut commands = Vec::new();
    for _ in 0..b.pick(17) {
        let step = match b.pick(8) {
            0 if b.pick(16) == 15 => {
                DateTime::<Utc>::MAX_UTC - now - Duration::minutes(i64::from(b.byte()))
            }
            0 => Duration::zero(),
            1 => -Duration::minutes(1 + i64::from(b.byte() % 30)),
            2 => Duration::hours(i64::from(b.byte())),
            _ => Duration::minutes(i64::from(b.byte() % 90)),
        };
        now = now.checked_add_signed(step).unwrap_or(now);
        let who = if b.pick(3) == 0 {
            UserId::from_u128(0)
        } else {
            user(b.pick(6))
        };
        let command = match b.pick(9) {
            0 | 1 => Command::Trigger,
            2 | 3 => Command::Tick,
            4 | 5 => Command::Acknowledge,
            6 => Command::Escalate { step: b.pick(6) },
            7 => Command::Resolve,
            _ => Command::Cancel {
                reason: "moved".to_owned(),
            },
        };
        commands.push((who, now, command));
    }
    let mut contacts = contact::decode(&mut b, &mut policy, base_date, &mut commands);
    let handoff_split = handoff::decode(&mut b, contacts.as_mut());
    Input {
        spec,
        policy,
        base,
        instants,
        window: (from, to),
        commands,
        contacts,
        handoff_split,
    }
}

fn inject(spec: &mut ScheduleSpec, k: u8, b: &mut Bytes<'_>) {
    let n = spec.layers.len();
    let i = b.pick(n);
    let extreme = if b.flag() {
        NaiveDateTime::MAX
    } else {
        NaiveDateTime::MIN
    };
    let turns = [
        Turn::Hours(0),
        Turn::Days(0),
        Turn::Weeks(0),
        Turn::Days(36_601),
        Turn::Weeks(5_229),
        Turn::Hours(878_401),
        Turn::Hours(u32::MAX),
        Turn::Weeks(u32::MAX),
    ];
    let big = [Turn::Hours(878_400), Turn::Weeks(5_228), Turn::Days(36_600)];
    let pick = b.pick(8);
    let t = spec.time_off.len();
    let o = spec.overrides.len();
    let layer = spec.layers.get_mut(i);
    match (k, layer) {
        (0, _) => spec.layers.clear(),
        (1, Some(l)) => l.name = "L0".to_owned(),
        (2, Some(l)) => l.members.clear(),
        (3, Some(l)) => l.rotation.turn = turns[pick % turns.len()],
        (4, Some(l)) => {
            let s = l.starts.unwrap_or_default();
            l.starts = Some(s);
            l.ends = Some(s - Duration::seconds(i64::from(b.byte() % 2)));
        }
        (5, Some(l)) => {
            let mut r = l.restriction.take().unwrap_or(Restriction {
                week: Week::default(),
                holidays: Vec::new(),
            });
            r.week = Week::default();
            l.restriction = Some(r);
        }
        (6, _) => match spec.time_off.get_mut(pick % t.max(1)) {
            Some(off) => off.to = off.from,
            None => spec.overrides.iter_mut().for_each(|o| o.to = o.from),
        },
        (7, _) => spec
            .time_off
            .iter_mut()
            .for_each(|o| o.cover = Some(o.member)),
        (8, _) if o > 0 => spec
            .overrides
            .iter_mut()
            .for_each(|o| o.layer = Some("nope".into())),
        (9, _) => spec.zone = Some(ZONES[5 + pick % 2].to_owned()),
        (10, Some(l)) => l.rotation.handover = extreme,
        (_, Some(l)) => l.rotation.turn = big[pick % big.len()],
        _ => {}
    }
}

// ---------------------------------------------------------------- the schedule model

#[derive(Clone, Copy)]
enum Mz {
    Fixed(i64),
    Tz(Zone),
}

impl Mz {
    fn of(text: Option<&str>) -> Option<Mz> {
        match text {
            None | Some("UTC") => Some(Mz::Fixed(0)),
            Some("+02:00") => Some(Mz::Fixed(7_200)),
            Some("-05:30") => Some(Mz::Fixed(-19_800)),
            Some("+05:45") => Some(Mz::Fixed(20_700)),
            Some("Europe/Berlin") => Zone::parse("Europe/Berlin").map(Mz::Tz),
            _ => None,
        }
    }
    fn reading(self, t: T) -> Option<NaiveDateTime> {
        match self {
            Mz::Fixed(o) => t.naive_utc().checked_add_signed(Duration::seconds(o)),
            Mz::Tz(z) => z.local(t),
        }
    }
    fn offset(self, t: T) -> Option<Duration> {
        Some(self.reading(t)? - t.naive_utc())
    }
    /// The first instant whose wall-clock reading is `x` or later.
    fn first(self, x: NaiveDateTime) -> Option<T> {
        if let Mz::Fixed(o) = self {
            return Some(x.checked_sub_signed(Duration::seconds(o))?.and_utc());
        }
        let lo = x.checked_sub_signed(Duration::days(1))?.and_utc();
        let hi = x.checked_add_signed(Duration::days(1))?.and_utc();
        let (a, z) = (self.offset(lo)?, self.offset(hi)?);
        let mut offs = [a, z];
        offs.sort_by(|p, q| q.cmp(p));
        for o in offs {
            let c = x.checked_sub_signed(o)?.and_utc();
            if self.offset(c) == Some(o) {
                return Some(c);
            }
        }
        let (mut l, mut h) = (lo.timestamp(), hi.timestamp());
        while h - l > 1 {
            let mid = l + (h - l) / 2;
            if self.offset(DateTime::from_timestamp(mid, 0)?)? == a {
                l = mid;
            } else {
                h = mid;
            }
        }
        DateTime::from_timestamp(h, 0)
    }
}

struct Model<'a> {
    spec: &'a ScheduleSpec,
    zone: Mz,
}

fn turn_days(t: Turn) -> Option<i64> {
    match t {
        Turn::Days(d) => Some(i64::from(d)),
        Turn::Weeks(w) => Some(i64::from(w) * 7),
        _ => None,
    }
}

fn on_day(holidays: &[Holiday], d: NaiveDate) -> bool {
    holidays.iter().any(|h| match h {
        Holiday::Date { date, .. } => *date == d,
        Holiday::Yearly { month, day, .. } => d.month() == *month && d.day() == *day,
        _ => false,
    })
}

impl Model<'_> {
    fn start(&self, l: &Layer, k: i64) -> Option<T> {
        match turn_days(l.rotation.turn) {
            None => {
                let Turn::Hours(h) = l.rotation.turn else {
                    return None;
                };
                let origin = self.zone.first(l.rotation.handover)?;
                let secs = k.checked_mul(i64::from(h) * 3_600)?;
                origin.checked_add_signed(Duration::try_seconds(secs)?)
            }
            Some(days) => {
                let local = l
                    .rotation
                    .handover
                    .checked_add_signed(Duration::try_days(k.checked_mul(days)?)?)?;
                self.zone.first(local)
            }
        }
    }
    /// The turn holding `t`: the last starting at or before it.
    fn turn_at(&self, l: &Layer, t: T) -> Option<i64> {
        let days = match l.rotation.turn {
            Turn::Hours(h) => {
                // Elapsed time from the first handover instant.
                let since = (t - self.zone.first(l.rotation.handover)?).num_nanoseconds()?;
                let len = i64::from(h) * 3_600_000_000_000;
                return Some(since.div_euclid(len));
            }
            t => turn_days(t)?,
        };
        // Within a few turns of the wall clock's estimate; brute force around it.
        let since = (self.zone.reading(t)? - l.rotation.handover).num_nanoseconds()?;
        let k0 = since.div_euclid(days * 86_400_000_000_000);
        if self.start(l, k0 - 3)? > t {
            return None;
        }
        let k = (k0 - 3..=k0 + 3)
            .filter(|k| self.start(l, *k).is_some_and(|s| s <= t))
            .max()?;
        (self.start(l, k + 1)? > t).then_some(k)
    }
    fn open(&self, r: &Restriction, t: T) -> Option<bool> {
        let local = self.zone.reading(t)?;
        let d = local.date();
        let tod = i64::from(local.num_seconds_from_midnight()) * 1_000_000_000
            + i64::from(local.nanosecond());
        let sec = |s: u32| i64::from(s) * 1_000_000_000;
        let mut open = false;
        if !on_day(&r.holidays, d) {
            for s in r.week.day(d.weekday()) {
                let (a, z) = (s.start.seconds(), s.end.seconds());
                let end = if z < a { 86_400 } else { z };
                open |= sec(a) <= tod && tod < sec(end);
            }
        }
        let y = d.pred_opt()?;
        if !on_day(&r.holidays, y) {
            for s in r.week.day(y.weekday()) {
                open |= s.end < s.start && tod < sec(s.end.seconds());
            }
        }
        Some(open)
    }
    fn layer_on_call(&self, i: usize, t: T, next: u32) -> Option<OnCall> {
        let l = self.spec.layers.get(i)?;
        if l.starts.is_some_and(|s| t < s) || l.ends.is_some_and(|e| t >= e) {
            return None;
        }
        if let Some(r) = &l.restriction {
            if !self.open(r, t)? {
                return None;
            }
        }
        if next == 0 {
            let name = Some(l.name.clone());
            let hit = self.spec.overrides.iter().enumerate().rev();
            if let Some((index, o)) = hit
                .into_iter()
                .find(|(_, o)| o.layer == name && o.from <= t && t < o.to)
            {
                return Some(oc(o.user, Some(i), Via::Override { index }));
            }
        }
        let k = self.turn_at(l, t)? + i64::from(next);
        let len = i64::try_from(l.members.len()).ok()?;
        let member = *l.members.get(usize::try_from(k.rem_euclid(len)).ok()?)?;
        // The last listed time off of `u` holding `t`.
        let away = |u: UserId| {
            let offs = self.spec.time_off.iter().rev();
            offs.into_iter()
                .find(|o| o.member == u && o.from <= t && t < o.to)
        };
        let Some(mut off) = away(member) else {
            return Some(oc(member, Some(i), Via::Rotation));
        };
        // A cover away hands on to their own cover; no cover, or a loop, is nobody.
        let mut asked = vec![member];
        loop {
            let c = off.cover.filter(|c| !asked.contains(c))?;
            match away(c) {
                None => {
                    return Some(oc(c, Some(i), Via::Cover { member }));
                }
                Some(o) => {
                    asked.push(c);
                    off = o;
                }
            }
        }
    }
    fn layers_at(&self, t: T) -> Vec<OnCall> {
        (0..self.spec.layers.len())
            .filter_map(|i| self.layer_on_call(i, t, 0))
            .collect()
    }
    fn on_call(&self, t: T) -> Vec<OnCall> {
        let wide = self.spec.overrides.iter().enumerate().rev();
        if let Some((index, o)) = wide
            .into_iter()
            .find(|(_, o)| o.layer.is_none() && o.from <= t && t < o.to)
        {
            return vec![oc(o.user, None, Via::Override { index })];
        }
        let all = self.layers_at(t);
        match self.spec.combine {
            Combine::LastLayer => all.into_iter().last().into_iter().collect(),
            _ => {
                let mut out: Vec<OnCall> = Vec::new();
                for e in all {
                    if !out.iter().any(|o| o.user == e.user) {
                        out.push(e);
                    }
                }
                out
            }
        }
    }
    /// `from` and every instant in `(from, to)` at which the model's answers may change.
    fn points(&self, from: T, to: T) -> Option<Vec<T>> {
        if from == to {
            return Some(Vec::new());
        }
        let mut out = vec![from];
        let mut push = |t: T| {
            if from < t && t < to {
                out.push(t);
            }
        };
        for l in &self.spec.layers {
            l.starts.into_iter().chain(l.ends).for_each(&mut push);
            let mut k = self.turn_at(l, from)?;
            loop {
                k += 1;
                let s = self.start(l, k)?;
                if s >= to {
                    break;
                }
                push(s);
            }
            if let Some(r) = &l.restriction {
                let first = self.zone.reading(from)?.date().pred_opt()?;
                let last = self.zone.reading(to)?.date().succ_opt()?;
                for d in first.iter_days().take_while(|d| *d <= last) {
                    let midnight = d.and_hms_opt(0, 0, 0)?;
                    for s in r.week.day(d.weekday()) {
                        let a = midnight + Duration::seconds(i64::from(s.start.seconds()));
                        let mut z = midnight + Duration::seconds(i64::from(s.end.seconds()));
                        if s.end < s.start {
                            z += Duration::days(1);
                        }
                        push(self.zone.first(a)?);
                        push(self.zone.first(z)?);
                    }
                }
            }
        }
        for o in &self.spec.time_off {
            push(o.from);
            push(o.to);
        }
        for o in &self.spec.overrides {
            push(o.from);
            push(o.to);
        }
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
    fn stretches(&self, pts: &[T], to: T, f: impl Fn(T) -> Vec<OnCall>) -> Vec<Shift> {
        let mut out: Vec<Shift> = Vec::new();
        for (i, &p) in pts.iter().enumerate() {
            let end = pts.get(i + 1).copied().unwrap_or(to);
            let on_call = f(p);
            match out.last_mut() {
                Some(last) if last.on_call == on_call => last.to = end,
                _ => out.push(Shift {
                    from: p,
                    to: end,
                    on_call,
                }),
            }
        }
        out
    }
    /// The spec's defects: the error variants `Schedule::new` may answer with.
    fn defects(&self, zone_ok: bool) -> BTreeSet<&'static str> {
        let s = self.spec;
        let mut out = BTreeSet::new();
        flag(&mut out, !zone_ok, "UnknownZone");
        flag(&mut out, s.layers.is_empty(), "NoLayers");
        for (i, l) in s.layers.iter().enumerate() {
            flag(
                &mut out,
                s.layers.iter().take(i).any(|m| m.name == l.name),
                "DuplicateLayer",
            );
            flag(&mut out, l.members.is_empty(), "NoMembers");
            let days = match l.rotation.turn {
                Turn::Hours(h) => u64::from(h).div_ceil(24),
                t => u64::try_from(turn_days(t).unwrap_or(0)).unwrap_or(0),
            };
            flag(&mut out, days == 0 || days > 36_600, "InvalidTurn");
            if let (Some(a), Some(z)) = (l.starts, l.ends) {
                flag(&mut out, z <= a, "LayerEndsBeforeStart");
            }
            if let Some(r) = &l.restriction {
                flag(&mut out, bad_restriction(r), "InvalidRestriction");
            }
            let h = l.rotation.handover;
            flag(&mut out, h.year().abs() > 200_000, "OutOfRange");
        }
        for o in &s.time_off {
            flag(&mut out, o.to <= o.from, "EmptyPeriod");
            flag(&mut out, o.cover == Some(o.member), "CoverIsMember");
        }
        for o in &s.overrides {
            flag(&mut out, o.to <= o.from, "EmptyPeriod");
            if o.layer
                .as_ref()
                .is_some_and(|n| !s.layers.iter().any(|l| &l.name == n))
            {
                out.insert("UnknownLayer");
            }
        }
        out
    }
}

/// Whether the calendar crate refuses `r`'s hours: never open, or (what [`restriction`]
/// makes) overlapping or empty segments.
fn bad_restriction(r: &Restriction) -> bool {
    let w = &r.week;
    let never = [&w.mon, &w.tue, &w.wed, &w.thu, &w.fri, &w.sat, &w.sun]
        .iter()
        .all(|d| d.is_empty());
    let bad = w.mon.len() == 2 && w.tue.is_empty() && w.sat.is_empty()
        || w.mon.iter().any(|s| s.start == s.end);
    never || bad
}

fn oc(user: UserId, layer: Option<usize>, via: Via) -> OnCall {
    OnCall { user, layer, via }
}

fn flag(out: &mut BTreeSet<&'static str>, bad: bool, what: &'static str) {
    if bad {
        out.insert(what);
    }
}

fn json<S: serde::Serialize>(v: &S) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Fails naming what differs, and the input, unless `got` is `want`.
#[track_caller]
fn same<A: PartialEq + std::fmt::Debug>(got: A, want: A, what: &str, ctx: &str) {
    assert!(got == want, "{what}: got {got:?}, model {want:?}; {ctx}");
}

/// `Ok`, or one of the errors a query may give at chrono's ends.
fn tolerated<A>(r: Result<A, Error>) -> bool {
    matches!(
        r,
        Ok(_) | Err(Error::OutOfRange { .. } | Error::WindowTooLong { .. })
    )
}

/// The schedule checks; the compiled schedule when the spec is valid, and whether the
/// model may answer for it (not with a handover at chrono's ends).
fn check_schedule(input: &Input, errors: &mut Vec<String>) -> Option<(Schedule, bool)> {
    let spec = &input.spec;
    let zone = Mz::of(spec.zone.as_deref());
    let model = Model {
        spec,
        zone: zone.unwrap_or(Mz::Fixed(0)),
    };
    let defects = model.defects(zone.is_some());
    let ctx = format!("spec {}", json(spec));
    let back: Option<ScheduleSpec> = serde_json::from_str(&json(spec)).ok();
    same(back.as_ref(), Some(spec), "spec JSON round trip", &ctx);
    let schedule = match Schedule::new(spec) {
        Ok(s) => s,
        Err(e) => {
            let k = kind(&e);
            let what = format!("Schedule::new refused with {e:?}, model finds {defects:?}");
            assert!(defects.contains(k.as_str()), "{what}; {ctx}");
            assert!(!e.to_string().is_empty() && e.to_string().len() < 1000);
            errors.push(k);
            return None;
        }
    };
    let real: Vec<_> = defects.iter().filter(|d| **d != "OutOfRange").collect();
    same(
        real,
        Vec::new(),
        "Schedule::new accepted a spec with defects",
        &ctx,
    );
    // (5) chrono's ends: an answer or a documented error, never a panic.
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    for at in [min, max, input.base] {
        let w = if at == max {
            (at - Duration::days(1), at)
        } else {
            (at, at + Duration::days(1))
        };
        let fine = tolerated(schedule.on_call(at))
            && tolerated(schedule.layers_at(at))
            && (0..spec.layers.len()).all(|i| tolerated(schedule.turn(i, at)))
            && tolerated(schedule.shifts(w.0, w.1))
            && tolerated(schedule.conflicts(w.0, w.1))
            && tolerated(schedule.load(w.0, w.1, None));
        assert!(fine, "a query at {at:?} failed otherwise; {ctx}");
    }
    assert!(
        tolerated(schedule.shifts(min, max)),
        "shifts over all time; {ctx}"
    );
    if defects.contains("OutOfRange") {
        return Some((schedule, false));
    }
    // (1) instants: on_call, layers_at, each layer's answers and turns.
    let n = spec.layers.len();
    for &t in &input.instants {
        let on = |what: &str| format!("{what}({t:?})");
        same(
            schedule.on_call(t).ok(),
            Some(model.on_call(t)),
            &on("on_call"),
            &ctx,
        );
        same(
            schedule.layers_at(t).ok(),
            Some(model.layers_at(t)),
            &on("layers_at"),
            &ctx,
        );
        for i in 0..=n {
            for next in [0, 1, 3] {
                let got = schedule.layer_on_call(i, t, next).ok();
                let what = on(&format!("layer_on_call {i} {next}"));
                same(got, Some(model.layer_on_call(i, t, next)), &what, &ctx);
            }
            let want = spec.layers.get(i).and_then(|l| {
                let k = model.turn_at(l, t)?;
                Some((model.start(l, k)?, model.start(l, k + 1)?))
            });
            same(
                schedule.turn(i, t).ok(),
                Some(want),
                &on(&format!("turn {i}")),
                &ctx,
            );
        }
    }
    // (2) the final schedule: in order, without gaps, neighbours different, as on_call says.
    let (from, to) = input.window;
    let shifts = match schedule.shifts(from, to) {
        Err(Error::ReversedWindow { .. }) if to < from => return Some((schedule, true)),
        Err(e) => panic!("shifts({from:?}, {to:?}): {e:?}; {ctx}"),
        Ok(s) => s,
    };
    let mut at = from;
    for (i, s) in shifts.iter().enumerate() {
        assert!(
            s.from == at && s.from < s.to,
            "shift {i} {s:?} does not follow {at}"
        );
        at = s.to;
        let prev = i.checked_sub(1).and_then(|p| shifts.get(p));
        assert!(
            prev.is_none_or(|p| p.on_call != s.on_call),
            "shift {i} as the one before"
        );
        for t in [s.from, s.from + (s.to - s.from) / 2] {
            same(
                schedule.on_call(t).ok().as_ref(),
                Some(&s.on_call),
                "on_call in a shift",
                &ctx,
            );
        }
    }
    assert!(at == to, "the shifts end at {at}, not {to}");
    let Some(pts) = model.points(from, to) else {
        return Some((schedule, true));
    };
    if pts.len() > 3_000 {
        return Some((schedule, true));
    }
    let want = model.stretches(&pts, to, |t| model.on_call(t));
    same(&shifts, &want, &format!("shifts({from:?}, {to:?})"), &ctx);
    // (3) gaps, conflicts and load from the model's final schedule.
    let gaps = want
        .iter()
        .filter(|s| s.on_call.is_empty())
        .map(|s| (s.from, s.to));
    same(
        schedule.gaps(from, to).ok(),
        Some(gaps.collect::<Vec<_>>()),
        "gaps",
        &ctx,
    );
    let mut conflicts: Vec<(T, T, UserId, Vec<usize>)> = Vec::new();
    for s in model.stretches(&pts, to, |t| model.layers_at(t)) {
        let mut by: BTreeMap<UserId, Vec<usize>> = BTreeMap::new();
        for e in &s.on_call {
            by.entry(e.user).or_default().extend(e.layer);
        }
        for (u, ls) in by.into_iter().filter(|(_, l)| l.len() > 1) {
            // One conflict while the same person stays in the same layers.
            match conflicts.iter_mut().rev().find(|c| c.2 == u) {
                Some(c) if c.1 == s.from && c.3 == ls => c.1 = s.to,
                _ => conflicts.push((s.from, s.to, u, ls)),
            }
        }
    }
    let got = schedule.conflicts(from, to).ok();
    let got = got.map(|c| {
        c.into_iter()
            .map(|c| (c.from, c.to, c.user, c.layers))
            .collect()
    });
    same(got, Some(conflicts), "conflicts", &ctx);
    let mut load: BTreeMap<UserId, (Duration, Duration, u32)> = BTreeMap::new();
    for (i, s) in want.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| want.get(p));
        for u in s.on_call.iter().map(|e| e.user).collect::<BTreeSet<_>>() {
            let e = load
                .entry(u)
                .or_insert((Duration::zero(), Duration::zero(), 0));
            (e.0, e.1) = (e.0 + (s.to - s.from), e.1 + (s.to - s.from));
            e.2 += u32::from(!prev.is_some_and(|p| p.on_call.iter().any(|e| e.user == u)));
        }
    }
    let got = schedule.load(from, to, None).ok();
    let got = got.map(|l| {
        l.into_iter()
            .map(|l| (l.user, (l.on_call, l.outside_hours, l.shifts)))
    });
    same(
        got.map(|l| l.collect()),
        Some(load.into_iter().collect::<Vec<_>>()),
        "load",
        &ctx,
    );
    Some((schedule, true))
}

#[path = "oncall_escalation.rs"]
mod escalation;

#[path = "oncall_contact.rs"]
mod contact;

#[path = "oncall_handoff.rs"]
mod handoff;
use escalation::check_escalation;

fn kind_of(debug: &str) -> String {
    debug.split([' ', '{', '(']).next().unwrap_or("").to_owned()
}

/// The fuzz target's entry point.
pub fn oncall(data: &[u8]) {
    run(data);
}

/// Decodes `data`, runs every check, and says what it saw.
pub fn run(data: &[u8]) -> Outcome {
    let input = decode(data);
    let mut errors = Vec::new();
    let schedule = check_schedule(&input, &mut errors);
    let compiled = match &schedule {
        Some(_) => Ok(()),
        None => Err(errors.first().cloned().unwrap_or_default()),
    };
    let mut unreachable = Vec::new();
    let mut handoffs = Vec::new();
    handoff::check(&input, schedule.as_ref(), &mut handoffs);
    let events = check_escalation(&input, schedule, &mut errors, &mut unreachable);
    Outcome {
        input,
        schedule: compiled,
        events,
        errors,
        unreachable,
        handoffs,
    }
}
