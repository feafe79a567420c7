//! The escalation half of the `oncall` harness: its own model of the doc comments of
//! `decide` (due notices first, reminders, waits, repeats, nobody on call, acknowledgements
//! and their timeouts, each notice's contacts planned by `oncall_contact.rs` and sent as
//! they fall due) and the checks of every event and of the state.

use super::*;
use contact::canon;
use itsm_oncall::{Contact, Urgency};

fn duration(b: &mut Bytes<'_>, most: u8) -> Duration {
    match b.pick(32) {
        31 => Duration::MAX,
        30 => -Duration::minutes(1),
        29 => Duration::nanoseconds(1),
        _ => Duration::minutes(i64::from(b.byte() % most)),
    }
}

/// Bytes to an escalation policy over `spec`'s layers (defects sometimes).
pub(super) fn policy(b: &mut Bytes<'_>, spec: &ScheduleSpec) -> Policy {
    let n = spec.layers.len();
    let steps = match b.pick(32) {
        31 => 0,
        30 => 51,
        _ => 1 + b.pick(4),
    };
    let mut out = Vec::new();
    for _ in 0..steps {
        let mut targets = Vec::new();
        for _ in 0..(1 + b.pick(3)) * usize::from(b.pick(32) != 31) {
            targets.push(match b.pick(8) {
                0 | 1 => Target::User(user(b.pick(6))),
                2 | 3 => Target::Schedule("ops".to_owned()),
                4 if b.pick(4) == 0 => Target::Schedule("other".to_owned()),
                7 if b.pick(4) == 0 => Target::Roster {
                    schedule: "ops".into(),
                    layer: "nope".into(),
                    next: 0,
                },
                _ => Target::Roster {
                    schedule: "ops".into(),
                    layer: format!("L{}", b.pick(n)),
                    next: u32::from(b.byte() % 4),
                },
            });
        }
        let reminders = if b.pick(32) == 31 {
            21
        } else {
            u32::from(b.byte() % 4)
        };
        let between_reminders = duration(b, 30);
        let wait = duration(b, 60);
        out.push(Step {
            targets,
            reminders,
            between_reminders,
            wait,
            channels: Vec::new(),
        });
    }
    let mut p = Policy::new("page", out);
    p.repeat = if b.pick(32) == 31 {
        21
    } else {
        u32::from(b.byte() % 3)
    };
    if b.flag() {
        p.nobody = Nobody::Wait;
    }
    if b.flag() {
        p.acknowledgers = Acknowledgers::Notified;
    }
    p.ack_timeout = match b.pick(16) {
        15 => Some(Duration::zero()),
        14 => Some(-Duration::minutes(5)),
        13 => Some(Duration::MAX),
        8..=12 => Some(Duration::minutes(1 + i64::from(b.byte() % 120))),
        _ => None,
    };
    p
}

#[derive(Clone, Debug, Default)]
struct Esc {
    status: Option<Status>,
    step: usize,
    round: u32,
    reminder: u32,
    recipients: Vec<UserId>,
    notified: BTreeSet<UserId>,
    due: Option<T>,
    ack_by: Option<UserId>,
    last: Option<T>,
    notices: u64,
    /// The last notice's contacts, how many were sent, and that notice (step, pass, number).
    plan: Vec<Contact>,
    sent: usize,
    notice: (usize, u32, u32),
}

impl Esc {
    fn drop_plan(&mut self) {
        self.plan.clear();
        self.sent = 0;
    }
    /// The next contact, when it is sent before anything else: while escalating only
    /// before the next notice (at its instant the notice drops it), once exhausted always.
    fn next_contact(&self) -> Option<&Contact> {
        let c = self.plan.get(self.sent)?;
        match self.status {
            Some(Status::Escalating) => self.due.is_none_or(|n| c.due < n).then_some(c),
            Some(Status::Exhausted) => Some(c),
            _ => None,
        }
    }
    /// What `next_deadline` says per its doc comment.
    fn deadline(&self) -> Option<T> {
        let contact = self.plan.get(self.sent).map(|c| c.due);
        match self.status {
            Some(Status::Escalating) => [self.due, contact].into_iter().flatten().min(),
            Some(Status::Acknowledged) => self.due,
            Some(Status::Exhausted) => contact,
            _ => None,
        }
    }
}

struct EscModel<'a> {
    policy: &'a Policy,
    schedule: Option<&'a Model<'a>>,
    /// With contact profiles, each notice's planner.
    contacts: Option<contact::Planner<'a>>,
}

type Fail = &'static str;

impl EscModel<'_> {
    fn defects(&self, layers: &[String]) -> BTreeSet<&'static str> {
        let p = self.policy;
        let mut out = BTreeSet::new();
        flag(&mut out, p.steps.is_empty(), "NoSteps");
        flag(&mut out, p.steps.len() > 50, "TooManySteps");
        flag(&mut out, p.repeat > 20, "TooManyRepeats");
        flag(
            &mut out,
            p.ack_timeout.is_some_and(|d| d <= Duration::zero()),
            "InvalidAckTimeout",
        );
        for s in &p.steps {
            flag(&mut out, s.targets.is_empty(), "NoTargets");
            flag(&mut out, s.reminders > 20, "TooManyReminders");
            flag(
                &mut out,
                s.between_reminders < Duration::zero() || s.wait < Duration::zero(),
                "NegativeDuration",
            );
            for t in &s.targets {
                match t {
                    Target::Schedule(n) | Target::Roster { schedule: n, .. }
                        if n != "ops" || self.schedule.is_none() =>
                    {
                        out.insert("UnknownSchedule");
                    }
                    Target::Roster { layer, .. } if !layers.contains(layer) => {
                        out.insert("UnknownRoster");
                    }
                    _ => {}
                }
            }
        }
        out
    }
    fn recipients(&self, step: &Step, at: T) -> Vec<UserId> {
        let mut out: Vec<UserId> = Vec::new();
        for t in &step.targets {
            let found: Vec<UserId> = match (t, self.schedule) {
                (Target::User(u), _) => vec![*u],
                (Target::Schedule(_), Some(m)) => m.on_call(at).iter().map(|e| e.user).collect(),
                (Target::Roster { layer, next, .. }, Some(m)) => {
                    let i = m
                        .spec
                        .layers
                        .iter()
                        .position(|l| &l.name == layer)
                        .unwrap_or(usize::MAX);
                    m.layer_on_call(i, at, *next)
                        .map(|e| e.user)
                        .into_iter()
                        .collect()
                }
                _ => Vec::new(),
            };
            for u in found {
                if !out.contains(&u) {
                    out.push(u);
                }
            }
        }
        out
    }
    fn add(at: T, d: Duration) -> Result<T, Fail> {
        at.checked_add_signed(d).ok_or("TimeOverflow")
    }
    fn start(
        &self,
        s: &mut Esc,
        i: usize,
        round: u32,
        at: T,
        first: Option<UserId>,
        out: &mut Vec<Event>,
    ) -> Result<(), Fail> {
        let step = self.policy.steps.get(i).ok_or("UnknownStep")?;
        // After an acknowledgement timed out, the one who acknowledged first.
        let mut recipients: Vec<UserId> = first.into_iter().collect();
        for u in self.recipients(step, at) {
            if !recipients.contains(&u) {
                recipients.push(u);
            }
        }
        s.step = i;
        s.round = round;
        s.reminder = 0;
        s.recipients.clone_from(&recipients);
        if recipients.is_empty() {
            let next = match self.policy.nobody {
                Nobody::Wait => {
                    let r = i32::try_from(step.reminders).map_err(|_| "TimeOverflow")?;
                    let all = step
                        .between_reminders
                        .checked_mul(r)
                        .ok_or("TimeOverflow")?;
                    Self::add(Self::add(at, all)?, step.wait)?
                }
                _ => at,
            };
            s.due = Some(next);
            s.drop_plan();
            out.push(Event::NobodyOnCall {
                step: i,
                round,
                at,
                next,
            });
        } else {
            let gap = if step.reminders > 0 {
                step.between_reminders
            } else {
                step.wait
            };
            let next = Self::add(at, gap)?;
            s.notified.extend(recipients.iter().copied());
            s.notices += 1;
            s.due = Some(next);
            out.push(Event::Notified {
                step: i,
                round,
                reminder: 0,
                recipients,
                at,
                next,
            });
            self.contacts(s, step, at, out)?;
        }
        s.last = Some(at);
        Ok(())
    }
    /// The contacts of the notice just sent (`s.reminder` its number), when the context has
    /// profiles; the notice drops the contacts of the one before.
    fn contacts(&self, s: &mut Esc, step: &Step, at: T, out: &mut Vec<Event>) -> Result<(), Fail> {
        s.drop_plan();
        let Some(planner) = &self.contacts else {
            return Ok(());
        };
        let attempt = s.reminder + 1;
        // After the last notice of the last step of the last pass the escalation is
        // exhausted, which drops nothing.
        let last = s.reminder >= step.reminders
            && s.step + 1 >= self.policy.steps.len()
            && s.round >= self.policy.repeat;
        let cut = s.due.filter(|_| !last);
        let (contacts, unreachable) = planner.plan(&s.recipients, &step.channels, attempt, at, cut);
        s.plan.clone_from(&contacts);
        s.notice = (s.step, s.round, s.reminder);
        out.push(Event::ContactsPlanned {
            step: s.step,
            round: s.round,
            reminder: s.reminder,
            contacts,
            unreachable,
            at,
        });
        Ok(())
    }
    /// What falls due by `now`, in order.
    fn run_due(&self, s: &mut Esc, now: T, out: &mut Vec<Event>) -> Result<(), Fail> {
        let mut notices = 0;
        loop {
            if let Some(c) = s.next_contact().filter(|c| c.due <= now) {
                let (step, round, reminder) = s.notice;
                out.push(Event::Contacted {
                    step,
                    round,
                    reminder,
                    user: c.user,
                    method: c.method.clone(),
                    channel: c.channel,
                    rule: c.rule.clone(),
                    at: c.due,
                });
                s.last = Some(c.due);
                s.sent += 1;
                continue;
            }
            notices += 1;
            if notices > 100_000 {
                return Err("runaway");
            }
            let Some(due) = s.due.filter(|d| *d <= now) else {
                return Ok(());
            };
            s.last = Some(due);
            match s.status {
                Some(Status::Acknowledged) => {
                    out.push(Event::AcknowledgementExpired { at: due });
                    s.status = Some(Status::Escalating);
                    let first = s.ack_by.take();
                    self.start(s, s.step, s.round, due, first, out)?;
                }
                Some(Status::Escalating) => {
                    let step = self.policy.steps.get(s.step).ok_or("UnknownStep")?;
                    if !s.recipients.is_empty() && s.reminder < step.reminders {
                        s.reminder += 1;
                        let gap = if s.reminder < step.reminders {
                            step.between_reminders
                        } else {
                            step.wait
                        };
                        let next = Self::add(due, gap)?;
                        s.notices += 1;
                        s.due = Some(next);
                        out.push(Event::Notified {
                            step: s.step,
                            round: s.round,
                            reminder: s.reminder,
                            recipients: s.recipients.clone(),
                            at: due,
                            next,
                        });
                        self.contacts(s, step, due, out)?;
                    } else if s.step + 1 < self.policy.steps.len() || s.round < self.policy.repeat {
                        let (i, r) = if s.step + 1 < self.policy.steps.len() {
                            (s.step + 1, s.round)
                        } else {
                            (0, s.round + 1)
                        };
                        out.push(Event::Escalated {
                            step: i,
                            round: r,
                            by: None,
                            at: due,
                        });
                        self.start(s, i, r, due, None, out)?;
                    } else {
                        out.push(Event::Exhausted { at: due });
                        s.status = Some(Status::Exhausted);
                        s.due = None;
                    }
                }
                _ => s.due = None,
            }
        }
    }
    fn decide(
        &self,
        s0: &Esc,
        cmd: &Command,
        now: T,
        by: UserId,
    ) -> Result<(Vec<Event>, Esc), Fail> {
        let mut s = s0.clone();
        let mut out = Vec::new();
        if matches!(cmd, Command::Tick) && s.last.is_some_and(|l| now < l) {
            return Ok((out, s));
        }
        if s.last.is_some_and(|l| now < l) {
            return Err("ClockWentBackwards");
        }
        self.run_due(&mut s, now, &mut out)?;
        let st = s.status;
        let live = matches!(
            st,
            Some(Status::Escalating | Status::Acknowledged | Status::Exhausted)
        );
        match cmd {
            Command::Tick => return Ok((out, s)),
            Command::Trigger if st.is_none() => {
                out.push(Event::Triggered { at: now });
                s.status = Some(Status::Escalating);
                self.start(&mut s, 0, 0, now, None, &mut out)?;
            }
            Command::Acknowledge if st == Some(Status::Acknowledged) => return Ok((out, s)),
            Command::Acknowledge if matches!(st, Some(Status::Escalating | Status::Exhausted)) => {
                if self.policy.acknowledgers == Acknowledgers::Notified && !s.notified.contains(&by)
                {
                    return Err("NotNotified");
                }
                let until = match self.policy.ack_timeout {
                    Some(d) => Some(Self::add(now, d)?),
                    None => None,
                };
                out.push(Event::Acknowledged { by, at: now, until });
                s.drop_plan();
                s.status = Some(Status::Acknowledged);
                s.ack_by = Some(by);
                s.due = until;
                s.last = Some(now);
                return Ok((out, s));
            }
            Command::Escalate { step } if live => {
                if *step >= self.policy.steps.len() {
                    return Err("UnknownStep");
                }
                out.push(Event::Escalated {
                    step: *step,
                    round: s.round,
                    by: Some(by),
                    at: now,
                });
                s.status = Some(Status::Escalating);
                s.ack_by = None;
                let round = s.round;
                self.start(&mut s, *step, round, now, None, &mut out)?;
            }
            Command::Resolve | Command::Cancel { .. } if live => {
                out.push(match cmd {
                    Command::Resolve => Event::Resolved { by, at: now },
                    _ => Event::Canceled {
                        by,
                        reason: "moved".to_owned(),
                        at: now,
                    },
                });
                s.status = Some(if matches!(cmd, Command::Resolve) {
                    Status::Resolved
                } else {
                    Status::Canceled
                });
                s.due = None;
                s.drop_plan();
                s.last = Some(now);
                return Ok((out, s));
            }
            _ => return Err("NotAllowed"),
        }
        self.run_due(&mut s, now, &mut out)?;
        Ok((out, s))
    }
}

pub(super) fn check_escalation(
    input: &Input,
    schedule: Option<(Schedule, bool)>,
    errors: &mut Vec<String>,
    unreachable: &mut Vec<String>,
) -> Vec<String> {
    let zone = Mz::of(input.spec.zone.as_deref()).unwrap_or(Mz::Fixed(0));
    let model = Model {
        spec: &input.spec,
        zone,
    };
    let mut exact = schedule.as_ref().is_none_or(|(_, exact)| *exact);
    let schedules: Schedules = schedule.map(|(s, _)| s).into_iter().collect();
    let ops = schedules.get("ops").map(|_| &model);
    let mut esc = EscModel {
        policy: &input.policy,
        schedule: ops,
        contacts: None,
    };
    let compiled = contact::Compiled::new(input, errors);
    let layers: Vec<String> = input.spec.layers.iter().map(|l| l.name.clone()).collect();
    let defects = esc.defects(&layers);
    let cmds = input
        .commands
        .iter()
        .map(|(u, t, c)| format!("{u} {t:?} {}", json(c)));
    let ctx = format!(
        "spec {} policy {} commands {:?}",
        json(&input.spec),
        json(&input.policy),
        cmds.collect::<Vec<_>>()
    );
    let documented = [
        "NotAllowed",
        "ClockWentBackwards",
        "NotNotified",
        "UnknownStep",
        "TimeOverflow",
    ];
    let (mut state, mut ms, mut seen) = (State::new(), Esc::default(), Vec::new());
    for (k, (who, now, cmd)) in input.commands.iter().enumerate() {
        // Near chrono's end, only the documented errors (the model does not go there).
        exact &= *now < DateTime::<Utc>::MAX_UTC - Duration::days(400);
        let actor = Actor::new(*who, []);
        let mut c = Context::new(*now, &actor, &input.policy, &schedules);
        same(c.urgency, Urgency::High, "the default urgency", "");
        esc.contacts = None;
        if let Some((profiles, planner, urgency)) = compiled.at(k) {
            c = c.with_contacts(profiles);
            if let Some(u) = urgency {
                c = c.with_urgency(u);
            }
            esc.contacts = Some(planner);
        }
        let got = decide(&state, cmd, &c);
        assert!(
            got == decide(&state, cmd, &c),
            "decide is not deterministic"
        );
        let what = format!("{cmd:?} at {now:?} by {who}");
        let want = (exact && defects.is_empty()).then(|| esc.decide(&ms, cmd, *now, *who));
        let want = want.filter(|_| exact);
        let events = match got {
            Err(e) => {
                let k = kind(&e);
                assert!(!e.to_string().is_empty() && e.to_string().len() < 1000);
                let fine = if defects.is_empty() {
                    documented.contains(&k.as_str()) || k == "OutOfRange" && !exact
                } else {
                    defects.contains(k.as_str())
                };
                assert!(
                    fine,
                    "{what} refused with {e:?} (policy defects {defects:?}); {ctx}"
                );
                if let Some(want) = want {
                    same(Err(k.as_str()), want.map(|w| w.0), &what, &ctx);
                }
                errors.push(k);
                continue;
            }
            Ok(events) => events,
        };
        same(
            &defects,
            &BTreeSet::new(),
            "decide accepted under a policy with defects",
            &ctx,
        );
        if let Some(want) = want {
            let (want, next) =
                want.unwrap_or_else(|f| panic!("{what}: model refuses ({f}); {ctx}"));
            same(canon(&events), canon(&want), &what, &ctx);
            ms = next;
        }
        // (4) each event at or after the one before, none after now; evolve folds as apply.
        let mut last = state.last_at();
        for e in &events {
            let ordered = last.is_none_or(|l| l <= e.at()) && e.at() <= *now;
            assert!(ordered, "event {e:?} after {last:?} (now {now:?}); {ctx}");
            last = Some(e.at());
        }
        let folded = events.iter().fold(state.clone(), evolve);
        state.apply(&events);
        assert!(folded == state, "apply and evolve disagree");
        let back: Option<Vec<Event>> = serde_json::from_str(&json(&events)).ok();
        same(back.as_ref(), Some(&events), "events JSON round trip", &ctx);
        let back: Option<State> = serde_json::from_str(&json(&state)).ok();
        same(back.as_ref(), Some(&state), "state JSON round trip", &ctx);
        let deadline = next_deadline(&state);
        let after_last = deadline.is_none_or(|d| state.last_at().is_some_and(|l| d >= l));
        assert!(
            after_last,
            "deadline {deadline:?} before the last event; {ctx}"
        );
        if matches!(cmd, Command::Tick) && state.last_at().is_some_and(|l| l <= *now) {
            assert!(
                deadline.is_none_or(|d| d > *now),
                "after a tick, {deadline:?}; {ctx}"
            );
        }
        if exact {
            let st = ms.status.unwrap_or(Status::Idle);
            let d = ms.deadline();
            let pending = ms.plan.get(ms.sent..).unwrap_or_default();
            same(state.pending_contacts(), pending, "pending contacts", &ctx);
            let got = (
                state.status(),
                deadline,
                state.step(),
                state.round(),
                state.last_at(),
            );
            same(
                got,
                (st, d, ms.step, ms.round, ms.last),
                "status, deadline, step, round",
                &ctx,
            );
            let notified: Vec<_> = ms.notified.iter().copied().collect();
            same(state.notified(), notified.as_slice(), "notified", &ctx);
            same(state.notices(), ms.notices, "notices", &ctx);
            if st == Status::Escalating {
                same(
                    state.recipients(),
                    ms.recipients.as_slice(),
                    "recipients",
                    &ctx,
                );
            }
            if !matches!(st, Status::Canceled) {
                same(state.acknowledged_by(), ms.ack_by, "acknowledged_by", &ctx);
            }
        }
        seen.extend(events.iter().map(|e| kind_of(&format!("{e:?}"))));
        for e in &events {
            if let Event::ContactsPlanned { unreachable: u, .. } = e {
                unreachable.extend(u.iter().map(|u| kind_of(&format!("{u:?}"))));
            }
        }
    }
    seen
}
