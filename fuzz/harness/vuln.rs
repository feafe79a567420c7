//! The fuzz harness of vulnerability response (`itsm_vuln`), as a plain function of bytes.
//!
//! The libFuzzer target `fuzz/fuzz_targets/vuln.rs` calls [`vuln`], and so does the stable
//! test `crates/itsm-vuln/tests/fuzz_corpus.rs`, which replays every saved input of
//! `fuzz/corpus/vuln/`.
//!
//! Bytes decode (`vuln_decode.rs`) into a policy (recalculation method, self approval,
//! closing retired items or not, the weighted or the severity calculator, longest exception
//! and stale days) and up to 48 steps over four items on two configuration items and four
//! tasks (and one id of each that never exists), by scanners, owners, an administrator,
//! approvers, an owner who is also an approver and a user without roles, at times that move
//! forward by minutes, hours or days, to `next_deadline` or a second before it, near
//! chrono's last instant, or back for one step.
//!
//! After every step: no panic; `decide` deterministic; a refusal leaves the board as it
//! was; every event stamped with now; `evolve` over the events equals `Board::apply`; the
//! board survives JSON, and the board read back from JSON (its tallies rebuilt) folds the
//! same events to the same board; every item's state is the roll-down of its own and its
//! tasks' states, every task's the roll-up of its items' (`vuln_checks.rs`, the harness's
//! own model); tasks and items list each other; a tick before `next_deadline` does nothing
//! and one at or after it something (`next_deadline` leaves out deferrals waiting on an
//! extension: they end when the approver decides).

use std::collections::BTreeSet;

use itsm_vuln::chrono::{DateTime, TimeDelta, Utc};
use itsm_vuln::{
    Actor, Board, Closure, Command, Condition, ConfigItemId, Context, Criticality, Event, Facts,
    GroupBy, GroupId, Item, ItemId, Policy, Reason, Recalculation, Role, Severity, Status, Subject,
    Task, TaskId, TaskRule, UserId, decide, evolve, next_deadline, severity_calculator,
};

#[path = "bytes.rs"]
mod bytes;
use bytes::Bytes;

#[path = "vuln_decode.rs"]
mod decode;
pub use decode::*;

#[path = "vuln_checks.rs"]
pub mod checks;

pub type T = DateTime<Utc>;

pub const SCANNER: UserId = UserId::from_u128(1);
pub const OWNER: UserId = UserId::from_u128(2);
pub const OWNER2: UserId = UserId::from_u128(3);
pub const ADMIN: UserId = UserId::from_u128(4);
pub const APPROVER: UserId = UserId::from_u128(5);
pub const APPROVER2: UserId = UserId::from_u128(6);
/// A remediation owner who is also an exception approver (`OwnRequest`).
pub const OWNER_APPROVER: UserId = UserId::from_u128(7);
/// A role of no use here (`itil`).
pub const NOBODY: UserId = UserId::from_u128(8);
/// The host's system account, for the schedule.
pub const SYSTEM: UserId = UserId::from_u128(9);
pub const GROUP: GroupId = GroupId::from_u128(50);

/// Each user as an actor, with the roles of the default policy.
pub fn actor_of(user: UserId) -> Actor {
    let names: &[&str] = match user {
        SCANNER => &["sn_vul.integration"],
        OWNER | OWNER2 => &["sn_vul.remediation_owner"],
        ADMIN => &["sn_vul.vulnerability_admin"],
        APPROVER | APPROVER2 => &["sn_vul.exception_approver"],
        OWNER_APPROVER => &["sn_vul.remediation_owner", "sn_vul.exception_approver"],
        NOBODY => &["itil"],
        _ => &[],
    };
    Actor::new(user, names.iter().filter_map(|n| Role::new(*n).ok()))
}

/// The actors a step names by number (0: the one the command is meant for).
pub const WHO: [UserId; 8] = [
    OWNER,
    OWNER2,
    ADMIN,
    APPROVER2,
    OWNER_APPROVER,
    NOBODY,
    SCANNER,
    OWNER_APPROVER,
];

/// The actor a command is meant for.
fn meant(cmd: &CmdSel) -> UserId {
    match cmd {
        CmdSel::Found { .. } | CmdSel::Fixed(_) | CmdSel::Retired(_) => SCANNER,
        CmdSel::Defer(..) | CmdSel::CloseTask(..) => ADMIN,
        CmdSel::Approve(_) | CmdSel::Reject(..) => APPROVER,
        CmdSel::Tick | CmdSel::Ticks => SYSTEM,
        _ => OWNER,
    }
}

/// The variant's name from its `Debug` text.
pub fn kind_of(debug: &str) -> String {
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("")
        .to_owned()
}

fn json<S: serde::Serialize>(v: &S) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("(no JSON: {e})"))
}

/// How many steps a failure's message shows.
const MAX_TRAIL: usize = 30;

struct Run<'a> {
    input: &'a Input,
    board: Board,
    /// The board as read back from JSON after the last step, folding the same events.
    thawed: Board,
    seen: Seen,
    trail: Vec<String>,
}

impl Run<'_> {
    fn why(&self) -> String {
        let tail: Vec<&String> = self.trail.iter().rev().take(MAX_TRAIL).collect();
        format!(
            "policy {} board {} last steps (newest first) {tail:#?}",
            json(&self.input.policy),
            json(&self.board)
        )
    }

    /// One command decided, checked and folded; the events if accepted.
    fn one(&mut self, cmd: &Command, actor: &Actor, now: T) -> Option<Vec<Event>> {
        let policy = &self.input.policy;
        self.trail
            .push(format!("{} at {now} by {}", json(cmd), actor.user));
        let text = json(cmd);
        let back: Command = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("command {text} does not read back: {e}"));
        assert!(back == *cmd, "command {text} reads back as {back:?}");
        let deadline = next_deadline(&self.board, policy);
        let ctx = Context::new(now, actor, policy);
        let before = self.board.clone();
        let got = decide(&self.board, cmd, &ctx);
        assert!(
            got == decide(&self.board, cmd, &ctx),
            "decide is not deterministic; {}",
            self.why()
        );
        let events = match got {
            Err(e) => {
                assert!(before == self.board, "a refusal changed the board");
                let msg = e.to_string();
                assert!(
                    !msg.is_empty() && msg.len() < 1000,
                    "message of {} bytes: {msg}",
                    msg.len()
                );
                self.seen.errors.insert(kind_of(&format!("{e:?}")));
                return None;
            }
            Ok(events) => events,
        };
        if matches!(cmd, Command::Tick) {
            match deadline {
                Some(d) if d <= now => assert!(
                    !events.is_empty(),
                    "a tick at {now}, at or after next_deadline {d}, did nothing; {}",
                    self.why()
                ),
                _ => assert!(
                    events.is_empty(),
                    "a tick at {now}, before next_deadline {deadline:?}: {events:?}; {}",
                    self.why()
                ),
            }
            if deadline == Some(now) {
                self.seen.statuses.insert("tick:at_deadline".to_owned());
            }
        }
        self.check_events(&events, cmd, actor, now);
        let folded = events.iter().fold(self.board.clone(), evolve);
        self.board.apply(&events);
        assert!(
            folded == self.board,
            "evolve over {events:?} differs from Board::apply; {}",
            self.why()
        );
        self.thawed.apply(&events);
        assert!(
            self.thawed == self.board,
            "the board read back from JSON folds {events:?} to {}; {}",
            json(&self.thawed),
            self.why()
        );
        let text = json(&self.board);
        self.thawed = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("board {text} does not read back: {e}"));
        assert!(
            self.thawed == self.board,
            "board {text} reads back otherwise"
        );
        self.seen.accepted.insert(cmd.name().to_owned());
        self.check_board();
        Some(events)
    }

    fn check_events(&mut self, events: &[Event], cmd: &Command, actor: &Actor, now: T) {
        for e in events {
            let text = json(e);
            let back: Event = serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("event {text} does not read back: {err}"));
            assert!(back == *e, "event {text} reads back as {back:?}");
            let at = match e {
                Event::Created { at, .. }
                | Event::Seen { at, .. }
                | Event::Reopened { at, .. }
                | Event::Closed { at, .. }
                | Event::TaskCreated { at, .. }
                | Event::Split { at, .. }
                | Event::Moved { at, .. }
                | Event::Deferred { at, .. }
                | Event::Approved { at, .. }
                | Event::Rejected { at, .. }
                | Event::TaskClosed { at, .. }
                | Event::DeferralEnded { at, .. }
                | Event::Approaching { at, .. }
                | Event::Missed { at, .. } => Some(*at),
                Event::Requested { request, .. } => Some(request.at),
                _ => None,
            };
            if let Some(at) = at {
                assert!(at == now, "{e:?} not at {now}; {}", self.why());
            }
            if let Event::Approved { by, .. } | Event::Rejected { by, .. } = e {
                assert!(*by == actor.user, "{e:?} not by {}", actor.user);
            }
            if let Event::Closed { closure, .. } | Event::TaskClosed { closure, .. } = e {
                self.seen.statuses.insert(format!("closure:{closure}"));
            }
            self.seen.events.insert(e.name().to_owned());
        }
        if let Command::Found { item, .. } = cmd {
            let was = self.board.item(*item).map(|i| (i.status, i.closure));
            if let (Some(s), [Event::Reopened { .. }]) = (was, events) {
                let mark = match s {
                    (Status::Resolved, _) => "reopened:resolved".to_owned(),
                    (_, Some(c)) => format!("reopened:{c}"),
                    _ => "reopened:other".to_owned(),
                };
                self.seen.statuses.insert(mark);
            }
        }
    }

    /// The invariants of `vuln_checks.rs`; a known difference is noted, a new one fails.
    fn check_board(&mut self) {
        for item in self.board.items.values() {
            self.seen.statuses.insert(format!("item:{}", item.status));
        }
        for task in self.board.tasks.values() {
            self.seen.statuses.insert(format!("task:{}", task.status));
        }
        let fresh = checks::violations(&self.board);
        assert!(fresh.is_empty(), "{fresh:#?}; {}", self.why());
    }
}

/// `t + d`, or chrono's last instant past it.
pub fn plus(t: T, d: TimeDelta) -> T {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The fuzz target's entry point.
pub fn vuln(data: &[u8]) {
    run(data);
}

/// Decodes `data`, runs every check, and says what it saw.
pub fn run(data: &[u8]) -> Seen {
    let input = decode(data);
    let mut r = Run {
        input: &input,
        board: Board::new(),
        thawed: Board::new(),
        seen: Seen::default(),
        trail: Vec::new(),
    };
    let mut now = input.t0;
    for step in &input.steps {
        let deadline = || next_deadline(&r.board, &input.policy);
        let mut at = now;
        match step.time {
            TimeSel::Same => {}
            TimeSel::Minutes(k) => now = plus(now, TimeDelta::minutes(i64::from(k))),
            TimeSel::Hours(k) => now = plus(now, TimeDelta::hours(i64::from(k))),
            TimeSel::Days(k) => now = plus(now, TimeDelta::days(i64::from(k))),
            TimeSel::Deadline => now = deadline().map_or(now, |d| d.max(now)),
            TimeSel::BeforeDeadline => {
                now = deadline().map_or(now, |d| (d - TimeDelta::seconds(1)).max(now));
            }
            TimeSel::Back(k) => {
                at = now
                    .checked_sub_signed(TimeDelta::hours(i64::from(k)))
                    .unwrap_or(now);
                r.seen.statuses.insert("time:back".to_owned());
            }
            TimeSel::Far(k) => {
                let far = DateTime::<Utc>::MAX_UTC - TimeDelta::days(i64::from(k) * 4);
                now = now.max(far);
            }
        }
        if !matches!(step.time, TimeSel::Back(_)) {
            at = now;
        }
        let who = match step.who {
            0 => meant(&step.cmd),
            k => WHO.get(k).copied().unwrap_or(OWNER),
        };
        let actor = actor_of(who);
        match &step.cmd {
            CmdSel::Ticks => {
                for _ in 0..6 {
                    match r.one(&Command::Tick, &actor, at) {
                        Some(events) if !events.is_empty() => {}
                        _ => break,
                    }
                }
            }
            sel => {
                let cmd = resolve(sel, &r.board, at);
                r.one(&cmd, &actor, at);
            }
        }
    }
    r.seen
}
