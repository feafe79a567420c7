//! Signals, message keys, alerts and the board that holds them.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// std's SipHash with its fixed keys: deterministic, unlike `RandomState`.
pub(crate) type FixedHasher = BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

use chrono::{DateTime, Utc};

itsm_core::id_type!(
    /// An alert. The host makes it (with `Uuid::new_v4`, or `Uuid::new_v5` from a foreign
    /// key) and passes it in [`Command::Ingest`](crate::Command::Ingest), used only when the
    /// signal opens a new alert.
    AlertId
);

/// How serious a signal says the issue is (ServiceNow's severities). Ordered from
/// [`Clear`](Severity::Clear) up to [`Critical`](Severity::Critical).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Severity {
    /// The issue no longer needs action: a signal of this severity closes its alert.
    Clear,
    /// No severity: the resource is still functional (ServiceNow's OK, Alerta's
    /// informational).
    Info,
    /// Attention is required, though the resource still works.
    Warning,
    /// Partial, non-critical loss of function or performance.
    Minor,
    /// Major function severely impaired, or performance degraded.
    Major,
    /// The resource does not work, or critical problems are imminent.
    Critical,
}

impl Severity {
    /// Its rank, from 0 (clear) to 5 (critical).
    pub(crate) fn rank(self) -> usize {
        self as usize
    }

    /// The severity's name as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Clear => "clear",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a monitoring tool sends: ServiceNow calls it an event, Alerta an alert; here it is a
/// signal, as "event" names the facts [`decide`](crate::decide) returns.
///
/// ```
/// use itsm_alert::{Severity, Signal};
///
/// let cpu = Signal::new("nagios", "web-1", Severity::Major)
///     .with_kind("CPU")
///     .with_metric("cpu_usage");
/// assert_eq!(cpu.message_key().as_str(), "nagios|CPU|web-1||cpu_usage");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Signal {
    /// The monitoring tool that sent it (`SolarWinds`, `SCOM`, `nagios`).
    pub source: String,
    /// The host name, address or other node it is about.
    #[cfg_attr(feature = "serde", serde(default))]
    pub node: String,
    /// The kind of metric or check (ServiceNow's `type`: `Disk`, `CPU`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub kind: String,
    /// The node's resource it is about (`Disk C`, `CPU-1`, a process).
    #[cfg_attr(feature = "serde", serde(default))]
    pub resource: String,
    /// The metric measured (`cpu_usage`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub metric: String,
    /// The tool's own key for the issue; when empty, the key is made from the fields above
    /// ([`Signal::message_key`]).
    #[cfg_attr(feature = "serde", serde(default))]
    pub message_key: String,
    /// How serious.
    pub severity: Severity,
    /// What the tool says.
    #[cfg_attr(feature = "serde", serde(default))]
    pub description: String,
    /// The configuration item it is bound to, if the host knows it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ci: Option<String>,
}

impl Signal {
    /// A signal from `source` about `node` at `severity`, the other fields empty.
    pub fn new(source: impl Into<String>, node: impl Into<String>, severity: Severity) -> Self {
        Signal {
            source: source.into(),
            node: node.into(),
            kind: String::new(),
            resource: String::new(),
            metric: String::new(),
            message_key: String::new(),
            severity,
            description: String::new(),
            ci: None,
        }
    }

    /// With the kind of check (`type`).
    pub fn with_kind(mut self, kind: impl Into<String>) -> Self {
        self.kind = kind.into();
        self
    }

    /// With the resource.
    pub fn with_resource(mut self, resource: impl Into<String>) -> Self {
        self.resource = resource.into();
        self
    }

    /// With the metric's name.
    pub fn with_metric(mut self, metric: impl Into<String>) -> Self {
        self.metric = metric.into();
        self
    }

    /// With the tool's own message key.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.message_key = key.into();
        self
    }

    /// With a description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Bound to a configuration item.
    pub fn with_ci(mut self, ci: impl Into<String>) -> Self {
        self.ci = Some(ci.into());
        self
    }

    /// The key that says which alert the signal belongs to. ServiceNow's rule: the tool's
    /// message key when it gives one, else source, type (kind), node, resource and metric
    /// name, in that order. Here they are joined with `|`, and a `|` or `\` inside a field
    /// is escaped with `\`, so two different field lists never make one key.
    pub fn message_key(&self) -> MessageKey {
        if !self.message_key.is_empty() {
            return MessageKey(self.message_key.clone());
        }
        let mut key = String::new();
        for (i, field) in [
            &self.source,
            &self.kind,
            &self.node,
            &self.resource,
            &self.metric,
        ]
        .into_iter()
        .enumerate()
        {
            if i > 0 {
                key.push('|');
            }
            for c in field.chars() {
                if c == '|' || c == '\\' {
                    key.push('\\');
                }
                key.push(c);
            }
        }
        MessageKey(key)
    }
}

/// Which alert a signal belongs to ([`Signal::message_key`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MessageKey(pub String);

impl std::borrow::Borrow<str> for MessageKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl MessageKey {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for MessageKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an alert is in its life (ServiceNow's alert states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum AlertStatus {
    /// Opened by its first signal.
    Open,
    /// Closed, then opened again (by a signal within the active interval, or an operator).
    Reopened,
    /// Going between closed and open too often to be trusted
    /// ([`Flapping`](crate::Flapping)).
    Flapping,
    /// Closed: cleared by its source, by an operator, or as stale.
    Closed,
}

impl AlertStatus {
    /// The status's name as JSON writes it.
    pub fn name(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Reopened => "reopened",
            AlertStatus::Flapping => "flapping",
            AlertStatus::Closed => "closed",
        }
    }

    /// Whether the alert still asks for attention (anything but closed).
    pub fn is_active(self) -> bool {
        self != AlertStatus::Closed
    }
}

impl std::fmt::Display for AlertStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an alert was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum CloseReason {
    /// Its source sent a signal of severity clear.
    Cleared,
    /// An operator closed it.
    Operator,
    /// No signal came for the policy's `close_stale_after` (Alerta's timeout).
    Stale,
}

/// The flapping bookkeeping of an alert (ServiceNow's flapping tab).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FlapWindow {
    /// When the current window of counting began (the flap start window).
    pub start: DateTime<Utc>,
    /// How often the alert went from closed to open within the window.
    pub count: u32,
    /// The window's last reopening, or the last signal while the alert was flapping (the
    /// flap last update time).
    pub last_update: DateTime<Utc>,
}

/// One alert: what the signals of one message key say, and what operators did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Alert {
    pub(crate) id: AlertId,
    pub(crate) key: MessageKey,
    pub(crate) status: AlertStatus,
    pub(crate) severity: Severity,
    pub(crate) acknowledged: bool,
    pub(crate) description: String,
    pub(crate) ci: Option<String>,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) last_signal_at: DateTime<Utc>,
    pub(crate) signals: u64,
    pub(crate) repeats: u64,
    pub(crate) reopens: u32,
    pub(crate) active_since: DateTime<Utc>,
    pub(crate) closed: Option<(DateTime<Utc>, CloseReason)>,
    pub(crate) flap: Option<FlapWindow>,
    pub(crate) incident_requested: bool,
    pub(crate) cleared: bool,
    pub(crate) at_least_since: [Option<DateTime<Utc>>; 6],
}

/// An alert's fields that are plain values: what `decide` works on, copied rather than
/// cloned (the alert's strings stay where they are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Core {
    pub(crate) id: AlertId,
    pub(crate) status: AlertStatus,
    pub(crate) severity: Severity,
    pub(crate) acknowledged: bool,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
    pub(crate) last_signal_at: DateTime<Utc>,
    pub(crate) signals: u64,
    pub(crate) repeats: u64,
    pub(crate) reopens: u32,
    pub(crate) active_since: DateTime<Utc>,
    pub(crate) closed: Option<(DateTime<Utc>, CloseReason)>,
    pub(crate) flap: Option<FlapWindow>,
    pub(crate) incident_requested: bool,
    /// Whether the latest signal was a clear (possible while flapping: the severity keeps
    /// the last one before it).
    pub(crate) cleared: bool,
    /// For each severity, from clear up, since when the alert has been at least that severe
    /// without a break (none while below it, or closed): when an incident falls due.
    pub(crate) at_least_since: [Option<DateTime<Utc>>; 6],
}

impl Core {
    /// A new alert's values before its `opened` event is applied.
    pub(crate) fn new(id: AlertId, at: DateTime<Utc>) -> Self {
        Core {
            id,
            status: AlertStatus::Open,
            severity: Severity::Info,
            acknowledged: false,
            opened_at: at,
            updated_at: at,
            last_signal_at: at,
            signals: 0,
            repeats: 0,
            reopens: 0,
            active_since: at,
            closed: None,
            flap: None,
            incident_requested: false,
            cleared: false,
            at_least_since: [None; 6],
        }
    }

    /// The severity the latest signal said (a clear while flapping included).
    pub(crate) fn last_severity(&self) -> Severity {
        if self.cleared {
            Severity::Clear
        } else {
            self.severity
        }
    }
}

impl Alert {
    /// A new alert before its `opened` event is applied.
    pub(crate) fn new(core: Core, key: MessageKey) -> Self {
        let mut alert = Alert {
            id: core.id,
            key,
            status: core.status,
            severity: core.severity,
            acknowledged: false,
            description: String::new(),
            ci: None,
            opened_at: core.opened_at,
            updated_at: core.updated_at,
            last_signal_at: core.last_signal_at,
            signals: 0,
            repeats: 0,
            reopens: 0,
            active_since: core.active_since,
            closed: None,
            flap: None,
            incident_requested: false,
            cleared: false,
            at_least_since: [None; 6],
        };
        alert.set_core(core);
        alert
    }

    pub(crate) fn core(&self) -> Core {
        Core {
            id: self.id,
            status: self.status,
            severity: self.severity,
            acknowledged: self.acknowledged,
            opened_at: self.opened_at,
            updated_at: self.updated_at,
            last_signal_at: self.last_signal_at,
            signals: self.signals,
            repeats: self.repeats,
            reopens: self.reopens,
            active_since: self.active_since,
            closed: self.closed,
            flap: self.flap,
            incident_requested: self.incident_requested,
            cleared: self.cleared,
            at_least_since: self.at_least_since,
        }
    }

    pub(crate) fn set_core(&mut self, c: Core) {
        self.status = c.status;
        self.severity = c.severity;
        self.acknowledged = c.acknowledged;
        self.opened_at = c.opened_at;
        self.updated_at = c.updated_at;
        self.last_signal_at = c.last_signal_at;
        self.signals = c.signals;
        self.repeats = c.repeats;
        self.reopens = c.reopens;
        self.active_since = c.active_since;
        self.closed = c.closed;
        self.flap = c.flap;
        self.incident_requested = c.incident_requested;
        self.cleared = c.cleared;
        self.at_least_since = c.at_least_since;
    }

    /// Its id.
    pub fn id(&self) -> AlertId {
        self.id
    }
    /// Its message key.
    pub fn key(&self) -> &MessageKey {
        &self.key
    }
    /// Its status.
    pub fn status(&self) -> AlertStatus {
        self.status
    }
    /// The severity of its latest signal other than a clear (a clear closes an alert, or is
    /// only recorded while it flaps: [`Alert::cleared`]).
    pub fn severity(&self) -> Severity {
        self.severity
    }
    /// Whether its latest signal was a clear.
    pub fn cleared(&self) -> bool {
        self.cleared
    }
    /// Whether an operator acknowledged it (and no escalation took that back).
    pub fn acknowledged(&self) -> bool {
        self.acknowledged
    }
    /// The latest signal's description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The configuration item of its latest signal that named one.
    pub fn ci(&self) -> Option<&str> {
        self.ci.as_deref()
    }
    /// When its first signal came.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// When anything last changed it (a signal that updated it, an operator, a tick);
    /// the active interval counts from here.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// When its latest signal came (repeats included).
    pub fn last_signal_at(&self) -> DateTime<Utc> {
        self.last_signal_at
    }
    /// How many signals it took (repeats included).
    pub fn signals(&self) -> u64 {
        self.signals
    }
    /// How many of them repeated the alert without changing it.
    pub fn repeats(&self) -> u64 {
        self.repeats
    }
    /// How often it was reopened.
    pub fn reopens(&self) -> u32 {
        self.reopens
    }
    /// Since when it has been active without a break (its opening, or its last reopening).
    pub fn active_since(&self) -> DateTime<Utc> {
        self.active_since
    }
    /// When and why it was closed, while it is closed.
    pub fn closed(&self) -> Option<(DateTime<Utc>, CloseReason)> {
        self.closed
    }
    /// Its flapping bookkeeping, once it has been reopened.
    pub fn flap(&self) -> Option<&FlapWindow> {
        self.flap.as_ref()
    }
    /// Whether an incident was requested for it in its current active stretch.
    pub fn incident_requested(&self) -> bool {
        self.incident_requested
    }
}

/// Every alert a host tracks, and which one each message key points to: the state
/// [`decide`](crate::decide) reads and [`evolve`](crate::evolve) folds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct State {
    /// Every alert, by id (hashed: looked up for every signal and event).
    pub(crate) alerts: HashMap<AlertId, Alert, FixedHasher>,
    /// The latest alert of each key: looked up once per signal, so a hash map, with a fixed
    /// hasher (no random seed: the same events give the same board; its JSON lists the maps
    /// in hash order, the same for the same build).
    pub(crate) latest: HashMap<MessageKey, AlertId, FixedHasher>,
    pub(crate) last_at: Option<DateTime<Utc>>,
}

impl State {
    /// An empty board.
    pub fn new() -> Self {
        State::default()
    }

    /// An alert by id.
    pub fn alert(&self, id: AlertId) -> Option<&Alert> {
        self.alerts.get(&id)
    }

    /// The latest alert of a message key.
    pub fn latest(&self, key: &MessageKey) -> Option<&Alert> {
        self.latest.get(key).and_then(|id| self.alerts.get(id))
    }

    /// Every alert, by id.
    pub fn alerts(&self) -> impl Iterator<Item = &Alert> {
        let mut all: Vec<&Alert> = self.alerts.values().collect();
        all.sort_unstable_by_key(|a| a.id);
        all.into_iter()
    }

    /// The alerts that are not closed, by id.
    pub fn active(&self) -> impl Iterator<Item = &Alert> {
        let mut active: Vec<&Alert> = self
            .alerts
            .values()
            .filter(|a| a.status.is_active())
            .collect();
        active.sort_unstable_by_key(|a| a.id);
        active.into_iter()
    }

    /// When the last event happened.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.last_at
    }

    /// Folds events in, in order ([`evolve`](crate::evolve) one by one).
    pub fn apply(&mut self, events: &[crate::Event]) {
        for event in events {
            crate::machine::apply(self, event);
        }
    }
}
