//! On-call schedules and escalations for two teams: who is on call across a week with a
//! daylight-saving change, the reminders people asked for before going on or off call, the
//! gaps and conflicts a rota manager must fix, the quarter's load
//! out of office hours, and four incidents paged through escalation policies, each person
//! reached by their own contact rules (by urgency, hours, contact attempt; a forced channel).
//!
//! ```text
//! cargo run -p itsm-examples --bin oncall [-- TEAM.json]
//! ```
//!
//! The bundled file is `examples/data/oncall/team.json`: people, a platform schedule in
//! Berlin (a weekly 24x7 layer under a daily office-hours layer, time off, an override) and a
//! database schedule in New York (ServiceNow-style primary and secondary rosters), two
//! escalation policies, the office calendar, the contact profiles and the incidents with their
//! urgency and who answers when.

#![allow(clippy::print_stdout, clippy::print_stderr)] // a demo prints; that is its job

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Duration, TimeZone, Utc};
use chrono_tz::Tz;
use itsm_calendar::{Calendar, CalendarSpec};
use itsm_oncall::{
    Actor, Command, Context, Event, HandoffKind, OnCall, Policy, ProfileSpec, Profiles, Schedule,
    ScheduleSpec, Schedules, State, Unreachable, Urgency, UserId, Via, decide, next_deadline,
};
use serde::Deserialize;

const DEFAULT_TEAM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/oncall/team.json");

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// Who answers, and when after the trigger.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    by: String,
    #[serde(with = "itsm_core::duration")]
    after: Duration,
}

/// An incident paged through a policy.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Incident {
    number: String,
    title: String,
    policy: String,
    at: DateTime<Utc>,
    #[serde(default)]
    urgency: Urgency,
    acknowledge: Option<Answer>,
    resolve: Option<Answer>,
}

/// The team file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Team {
    people: BTreeMap<String, UserId>,
    schedules: Vec<ScheduleSpec>,
    policies: Vec<Policy>,
    office: CalendarSpec,
    incidents: Vec<Incident>,
    #[serde(default)]
    profiles: Vec<ProfileSpec>,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oncall: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Names people and instants.
struct Show {
    names: BTreeMap<UserId, String>,
}

impl Show {
    fn name(&self, u: UserId) -> String {
        self.names.get(&u).cloned().unwrap_or_else(|| u.to_string())
    }

    fn who(&self, on_call: &[OnCall], schedule: &Schedule) -> String {
        if on_call.is_empty() {
            return "nobody".into();
        }
        let each: Vec<String> = on_call
            .iter()
            .map(|e| {
                let layer = e
                    .layer
                    .and_then(|l| schedule.layer_names().nth(l))
                    .unwrap_or("override");
                match e.via {
                    Via::Cover { member } => {
                        format!(
                            "{} ({layer}, covering {})",
                            self.name(e.user),
                            self.name(member)
                        )
                    }
                    Via::Override { .. } if e.layer.is_none() => {
                        format!("{} (override)", self.name(e.user))
                    }
                    _ => format!("{} ({layer})", self.name(e.user)),
                }
            })
            .collect();
        each.join(", ")
    }
}

/// `t` on the wall clock of `zone`: `Tue 23 Mar 03:10`.
fn wall(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).format("%a %d %b %H:%M").to_string()
}

/// An instant on the hour, in UTC.
fn utc(y: i32, m: u32, d: u32, h: u32) -> Res<DateTime<Utc>> {
    Ok(Utc
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .ok_or("not a date")?)
}

/// A duration as `15h` or `2h30m`.
fn hours(d: Duration) -> String {
    let m = d.num_minutes();
    if m % 60 == 0 {
        format!("{}h", m / 60)
    } else {
        format!("{}h{:02}m", m / 60, m % 60)
    }
}

fn run() -> Res<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let path = match args.as_slice() {
        [] => PathBuf::from(DEFAULT_TEAM),
        [p] => p.clone(),
        _ => return Err("usage: oncall [TEAM.json]".into()),
    };
    let team: Team = itsm_examples::read_json(&path, "team file")?;
    let show = Show {
        names: team.people.iter().map(|(n, u)| (*u, n.clone())).collect(),
    };
    let mut schedules = Schedules::new();
    for spec in &team.schedules {
        schedules.insert(Schedule::new(spec)?);
    }
    let zone_of = |name: &str| -> Res<Tz> {
        let spec = team
            .schedules
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("no schedule `{name}`"))?;
        Ok(spec.zone.as_deref().unwrap_or("UTC").parse::<Tz>()?)
    };
    let platform = schedules.get("platform").ok_or("no schedule `platform`")?;
    let database = schedules.get("database").ok_or("no schedule `database`")?;
    let berlin = zone_of("platform")?;

    // The week of 22 March 2027: Berlin moves its clocks on Sunday the 28th.
    let from = utc(2027, 3, 22, 8)?;
    let to = utc(2027, 3, 29, 7)?;
    println!(
        "== The platform team's final schedule, {} to {} (Berlin time)",
        wall(from, berlin),
        wall(to, berlin)
    );
    for shift in platform.shifts(from, to)? {
        println!(
            "{} - {}  {}",
            wall(shift.from, berlin),
            wall(shift.to, berlin),
            show.who(&shift.on_call, platform)
        );
    }
    println!();

    let profiles = Profiles::new(&team.profiles)?;
    println!("== Handoff reminders, the same week (Berlin time)");
    for n in profiles.handoff_notices(platform, from, to)? {
        println!(
            "{} {} by {}: {} at {}",
            wall(n.at, berlin),
            show.name(n.user),
            n.method,
            match n.handoff.kind {
                HandoffKind::OnCall => "on call",
                HandoffKind::OffCall => "off call",
            },
            wall(n.handoff.at, berlin)
        );
    }
    println!();

    println!("== Gaps (nobody on call)");
    for (a, b) in platform.gaps(from, to)? {
        println!(
            "platform: {} - {} ({})",
            wall(a, berlin),
            wall(b, berlin),
            hours(b - a)
        );
    }
    println!();

    println!("== Handovers across daylight saving");
    let nights = platform.layer_index("nights").ok_or("no layer `nights`")?;
    for at in [from, to] {
        if let Some((start, end)) = platform.turn(nights, at)? {
            println!(
                "platform nights: turn from {} to {} (UTC {} to {}, {})",
                wall(start, berlin),
                wall(end, berlin),
                start.format("%d %b %H:%M"),
                end.format("%d %b %H:%M"),
                hours(end - start)
            );
        }
    }
    println!();

    let ny = zone_of("database")?;
    let q_from = utc(2027, 1, 4, 13)?;
    let q_to = utc(2027, 4, 5, 12)?;
    println!("== Conflicts (the database rosters, first quarter)");
    for c in database.conflicts(q_from, q_to)? {
        println!(
            "{} is primary and secondary from {} to {} (New York)",
            show.name(c.user),
            wall(c.from, ny),
            wall(c.to, ny)
        );
    }
    println!();

    let office = Calendar::new(&team.office)?;
    println!("== Platform load, first quarter (hours on call; out of office hours)");
    let q_from_eu = utc(2027, 1, 1, 0)?;
    let q_to_eu = utc(2027, 4, 1, 0)?;
    for load in platform.load(q_from_eu, q_to_eu, Some(&office))? {
        println!(
            "{}: {} on call, {} out of hours, {} stretch{}",
            show.name(load.user),
            hours(load.on_call),
            hours(load.outside_hours),
            load.shifts,
            if load.shifts == 1 { "" } else { "es" }
        );
    }
    println!();

    println!("== Escalations (and contacts by each person's rules)");
    let system = Actor::new(UserId::from_u128(0), []);
    for incident in &team.incidents {
        let policy = team
            .policies
            .iter()
            .find(|p| p.name == incident.policy)
            .ok_or_else(|| format!("{}: no policy `{}`", incident.number, incident.policy))?;
        let zone = match incident.policy.as_str() {
            "database" => ny,
            _ => berlin,
        };
        println!(
            "{} {} at {} ({}, {} urgency)",
            incident.number,
            incident.title,
            wall(incident.at, zone),
            policy.name,
            incident.urgency.name()
        );
        // The host's loop: trigger, tick at each deadline, act on the answers.
        let mut state = State::new();
        let mut actions: Vec<(DateTime<Utc>, UserId, Command)> = Vec::new();
        for (answer, command) in [
            (&incident.acknowledge, Command::Acknowledge),
            (&incident.resolve, Command::Resolve),
        ] {
            if let Some(a) = answer {
                let by = *team
                    .people
                    .get(&a.by)
                    .ok_or_else(|| format!("no person `{}`", a.by))?;
                actions.push((incident.at + a.after, by, command));
            }
        }
        let mut pending = vec![(incident.at, system.user, Command::Trigger)];
        pending.extend(actions);
        for (at, by, command) in pending {
            while let Some(due) = next_deadline(&state).filter(|d| *d <= at) {
                let ctx = Context::new(due, &system, policy, &schedules)
                    .with_contacts(&profiles)
                    .with_urgency(incident.urgency);
                let events = decide(&state, &Command::Tick, &ctx)?;
                print_events(&events, &show, incident.at);
                state.apply(&events);
            }
            let actor = Actor::new(by, []);
            let ctx = Context::new(at, &actor, policy, &schedules)
                .with_contacts(&profiles)
                .with_urgency(incident.urgency);
            let events = decide(&state, &command, &ctx)?;
            print_events(&events, &show, incident.at);
            state.apply(&events);
        }
        println!(
            "  {} after {} notice(s) to {}",
            state.status(),
            state.notices(),
            state
                .notified()
                .iter()
                .map(|u| show.name(*u))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// One line per event, minutes after the trigger (a plan only for whom it cannot reach).
fn print_events(events: &[Event], show: &Show, t0: DateTime<Utc>) {
    for e in events {
        let m = (e.at() - t0).num_minutes();
        let line = match e {
            Event::ContactsPlanned { unreachable, .. } => {
                for u in unreachable {
                    println!("  +{m:>3}m cannot reach {}", why(u, show));
                }
                continue;
            }
            Event::Contacted {
                user,
                method,
                channel,
                rule,
                ..
            } => format!(
                "  contact {} by {method} ({channel}{})",
                show.name(*user),
                rule.as_deref()
                    .map_or_else(|| ", forced".to_owned(), |r| format!(", rule {r}"))
            ),
            Event::Triggered { .. } => "triggered".to_owned(),
            Event::Escalated {
                step, round, by, ..
            } => match by {
                Some(u) => format!("{} escalated to step {step}", show.name(*u)),
                None => format!("step {step} (pass {})", round + 1),
            },
            Event::Notified {
                recipients,
                reminder,
                ..
            } => {
                let to: Vec<String> = recipients.iter().map(|u| show.name(*u)).collect();
                if *reminder == 0 {
                    format!("notified {}", to.join(", "))
                } else {
                    format!("reminder {reminder} to {}", to.join(", "))
                }
            }
            Event::NobodyOnCall { step, .. } => format!("step {step}: nobody on call, skipped"),
            Event::Acknowledged { by, until, .. } => match until {
                Some(u) => format!(
                    "acknowledged by {} (until +{}m)",
                    show.name(*by),
                    (*u - t0).num_minutes()
                ),
                None => format!("acknowledged by {}", show.name(*by)),
            },
            Event::AcknowledgementExpired { .. } => "acknowledgement timed out".to_owned(),
            Event::Exhausted { .. } => "exhausted: nobody answered".to_owned(),
            Event::Resolved { by, .. } => format!("resolved by {}", show.name(*by)),
            Event::Canceled { reason, .. } => format!("canceled: {reason}"),
            _ => format!("{e:?}"),
        };
        println!("  +{m:>3}m {line}");
    }
}

/// Who cannot be reached, and why.
fn why(u: &Unreachable, show: &Show) -> String {
    let who = show.name(u.user());
    match u {
        Unreachable::NoProfile { .. } => format!("{who}: no contact profile"),
        Unreachable::NoRule { .. } => format!("{who}: no rule applies"),
        Unreachable::NoEnabledMethod { rule, .. } => {
            format!("{who}: rule {rule} has no enabled method")
        }
        Unreachable::NoMethodOn { channels, .. } => {
            let c: Vec<&str> = channels.iter().map(|c| c.name()).collect();
            format!("{who}: no method on the step's channel {}", c.join(", "))
        }
        _ => format!("{who}: {u:?}"),
    }
}
