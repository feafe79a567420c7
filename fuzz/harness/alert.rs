//! The fuzz harness of event management, as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/alert_commands.rs` calls [`commands`], and so
//! does the stable test `crates/itsm-alert/tests/fuzz_corpus.rs`, which replays every saved
//! input of `fuzz/corpus/alert_commands/`.
//!
//! How the bytes are read (each choice is a byte modulo the number of options; a missing
//! byte reads as 0), for writing seeds by hand:
//! - byte 0: the preset (bit 0: Alerta, else ServiceNow), flapping off (bit 1), an incident
//!   rule at major after 10 minutes (bit 2), the acknowledgement undone by escalation (bit 3);
//! - byte 1: the active interval in minutes (0: always reopen), byte 2: the repeat window in
//!   minutes, byte 3: the flap frequency (modulo 5, plus 1), byte 4: the stale time in
//!   minutes (0: never);
//! - then per step, 3 bytes: the time step in minutes (the byte minus 8, so a step may go
//!   back), the command (signal, acknowledge, close, reopen, tick), and a detail byte (for
//!   a signal: node in bits 0-1, severity in bits 2-4, description in bit 5, an empty
//!   source and node in bit 6; for an operator command: which alert).
//!
//! Nothing may panic; a refused command leaves the board as it was; a key has at most one
//! active alert, its latest; folding every event from scratch gives the same board;
//! `next_deadline` is never before the last event, a tick before it does nothing and one at
//! it does something.

use chrono::{Duration, TimeZone, Utc};
use itsm_alert::{
    Acknowledgement, Actor, AlertId, Command, Context, IncidentRule, Policy, Role, Severity,
    Signal, State, UserId, decide, evolve, next_deadline,
};

/// Bytes to a stream of commands against one board: never a panic, every invariant holds.
pub fn commands(data: &[u8]) {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0);
    let mut policy = if byte(0) & 1 == 1 {
        Policy::alerta()
    } else {
        Policy::servicenow()
    };
    if byte(0) & 2 != 0 {
        policy.flapping = None;
    }
    if byte(0) & 4 != 0 {
        policy.incident = Some(IncidentRule {
            min_severity: Severity::Major,
            after: Duration::minutes(10),
        });
    }
    if byte(0) & 8 != 0 {
        policy.acknowledgement = Acknowledgement::UndoneByEscalation;
    }
    policy.active_interval = match byte(1) {
        0 => None,
        m => Some(Duration::minutes(i64::from(m))),
    };
    policy.repeat_window = Duration::minutes(i64::from(byte(2)));
    if let Some(f) = policy.flapping.as_mut() {
        f.frequency = u32::from(byte(3) % 5) + 1;
    }
    policy.close_stale_after = match byte(4) {
        0 => None,
        m => Some(Duration::minutes(i64::from(m))),
    };
    let Ok(role) = Role::new("evt_mgmt_operator") else {
        return;
    };
    let operator = Actor::new(
        UserId::from_u128(1),
        [role, Role::new("user").unwrap_or_else(|_| unreachable!())],
    );
    let system = Actor::new(UserId::from_u128(0), []);
    let Some(start) = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single() else {
        return;
    };
    let mut now = start;
    let mut state = State::new();
    let mut events = Vec::new();
    let mut next_id = 1u128;
    for step in data.get(5..).unwrap_or_default().chunks(3) {
        let b = |i: usize| step.get(i).copied().unwrap_or(0);
        now += Duration::minutes(i64::from(b(0)) - 8);
        let ids: Vec<AlertId> = state.alerts().map(|a| a.id()).collect();
        let pick = ids
            .get(usize::from(b(2)) % ids.len().max(1))
            .copied()
            .unwrap_or(AlertId::from_u128(u128::MAX));
        let (command, actor) = match b(1) % 5 {
            0 => {
                let severity = [
                    Severity::Clear,
                    Severity::Info,
                    Severity::Warning,
                    Severity::Minor,
                    Severity::Major,
                    Severity::Critical,
                ][usize::from((b(2) >> 2) & 7) % 6];
                let (source, node) = if b(2) & 64 != 0 {
                    (String::new(), String::new())
                } else {
                    ("mon".to_owned(), format!("n{}", b(2) & 3))
                };
                let signal = Signal::new(source, node, severity)
                    .with_description(if b(2) & 32 != 0 { "b" } else { "a" });
                next_id += 1;
                (
                    Command::ingest(signal, AlertId::from_u128(next_id)),
                    &system,
                )
            }
            1 => (Command::Acknowledge { alert: pick }, &operator),
            2 => (Command::Close { alert: pick }, &operator),
            3 => (Command::Reopen { alert: pick }, &operator),
            _ => (Command::Tick, &system),
        };
        let ctx = Context::new(now, actor, &policy);
        match decide(&state, &command, &ctx) {
            Err(_) => {}
            Ok(new) => {
                state.apply(&new);
                events.extend(new);
            }
        }
        let mut keys = std::collections::BTreeSet::new();
        for a in state.active() {
            assert!(
                keys.insert(a.key().clone()),
                "two active alerts for {}",
                a.key()
            );
            assert_eq!(state.latest(a.key()).map(|l| l.id()), Some(a.id()));
        }
        if let (Some(due), Some(last)) = (next_deadline(&state, &policy), state.last_at()) {
            assert!(
                due >= last,
                "a deadline before the last event: {due} < {last}"
            );
            if due > last {
                let early = Context::new(due - Duration::nanoseconds(1), &system, &policy);
                assert!(decide(&state, &Command::Tick, &early).is_ok_and(|e| e.is_empty()));
            }
            // A tick at the deadline always does something (a host ticking there moves on).
            let at = Context::new(due, &system, &policy);
            assert!(decide(&state, &Command::Tick, &at).is_ok_and(|e| !e.is_empty()));
        }
    }
    let replayed = events.iter().fold(State::new(), evolve);
    assert_eq!(replayed, state);
}
