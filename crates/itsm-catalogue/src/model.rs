//! The request side: orders, requests, their items and tasks, the state tables, and the rule
//! that derives a request's state from its items.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use itsm_core::{Category, GroupId, Lifecycle, Role, StateSpec, TransitionSpec, UserId};

use crate::catalogue::{AppRole, TaskSpec};
use crate::variable::Value;

itsm_core::id_type!(
    /// A service request (made by the host).
    RequestId
);

/// Where a request, or one of its items, stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Stage {
    /// Ordered; nothing decided yet.
    Submitted,
    /// Waiting for its approval steps.
    AwaitingApproval,
    /// Its tasks are being worked.
    InFulfilment,
    /// Every task done.
    Fulfilled,
    /// An approval step refused it.
    Rejected,
    /// Withdrawn.
    Canceled,
}

impl Stage {
    /// Every stage, in lifecycle order.
    pub const ALL: [Stage; 6] = [
        Stage::Submitted,
        Stage::AwaitingApproval,
        Stage::InFulfilment,
        Stage::Fulfilled,
        Stage::Rejected,
        Stage::Canceled,
    ];

    /// The stage's name, as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            Stage::Submitted => "submitted",
            Stage::AwaitingApproval => "awaiting_approval",
            Stage::InFulfilment => "in_fulfilment",
            Stage::Fulfilled => "fulfilled",
            Stage::Rejected => "rejected",
            Stage::Canceled => "canceled",
        }
    }

    /// What it means, practice-neutrally (what SLA definitions read).
    pub const fn category(self) -> Category {
        match self {
            Stage::Submitted => Category::New,
            Stage::AwaitingApproval => Category::Pending,
            Stage::InFulfilment => Category::Open,
            Stage::Fulfilled => Category::Closed,
            Stage::Rejected | Stage::Canceled => Category::Canceled,
        }
    }

    /// Whether nothing more happens to it.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Stage::Fulfilled | Stage::Rejected | Stage::Canceled)
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum TaskStage {
    /// Waiting for its item's approval or for the tasks it comes after.
    Pending,
    /// Ready to be worked.
    Open,
    /// Being worked.
    InProgress,
    /// Done.
    Complete,
    /// Not needed (counts as done for the tasks after it).
    Skipped,
    /// Its item was canceled.
    Canceled,
}

impl TaskStage {
    /// Every stage, in lifecycle order.
    pub const ALL: [TaskStage; 6] = [
        TaskStage::Pending,
        TaskStage::Open,
        TaskStage::InProgress,
        TaskStage::Complete,
        TaskStage::Skipped,
        TaskStage::Canceled,
    ];

    /// The stage's name, as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            TaskStage::Pending => "pending",
            TaskStage::Open => "open",
            TaskStage::InProgress => "in_progress",
            TaskStage::Complete => "complete",
            TaskStage::Skipped => "skipped",
            TaskStage::Canceled => "canceled",
        }
    }

    /// What it means, practice-neutrally.
    pub const fn category(self) -> Category {
        match self {
            TaskStage::Pending => Category::Pending,
            TaskStage::Open => Category::New,
            TaskStage::InProgress => Category::Open,
            TaskStage::Complete => Category::Closed,
            TaskStage::Skipped | TaskStage::Canceled => Category::Canceled,
        }
    }

    /// Complete or skipped: the tasks after it may open.
    pub const fn is_done(self) -> bool {
        matches!(self, TaskStage::Complete | TaskStage::Skipped)
    }

    /// Whether nothing more happens to it.
    pub const fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskStage::Complete | TaskStage::Skipped | TaskStage::Canceled
        )
    }
}

impl std::fmt::Display for TaskStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The item table: `(from, trigger, to)`. The triggers are `decide`'s steps (the approval
/// steps requested, fulfilment started, approved, rejected, every task done, canceled). The
/// only statement of the item moves; `docs/catalogue.md`'s diagram is generated from it.
pub const ITEM_TRANSITIONS: [(Stage, &str, Stage); 7] = [
    (
        Stage::Submitted,
        "request_approval",
        Stage::AwaitingApproval,
    ),
    (Stage::Submitted, "start_fulfilment", Stage::InFulfilment),
    (Stage::AwaitingApproval, "approve", Stage::InFulfilment),
    (Stage::AwaitingApproval, "reject", Stage::Rejected),
    (Stage::AwaitingApproval, "cancel", Stage::Canceled),
    (Stage::InFulfilment, "tasks_done", Stage::Fulfilled),
    (Stage::InFulfilment, "cancel", Stage::Canceled),
];

/// The task table: `(from, command, to)`; `open` is the step that opens a pending task when
/// its item is in fulfilment and the tasks it comes after are done, `cancel` its item's
/// cancellation. `decide` consults it for `start_task`, `complete_task` and `skip_task`.
pub const TASK_TRANSITIONS: [(TaskStage, &str, TaskStage); 10] = [
    (TaskStage::Pending, "open", TaskStage::Open),
    (TaskStage::Pending, "skip_task", TaskStage::Skipped),
    (TaskStage::Pending, "cancel", TaskStage::Canceled),
    (TaskStage::Open, "start_task", TaskStage::InProgress),
    (TaskStage::Open, "complete_task", TaskStage::Complete),
    (TaskStage::Open, "skip_task", TaskStage::Skipped),
    (TaskStage::Open, "cancel", TaskStage::Canceled),
    (TaskStage::InProgress, "complete_task", TaskStage::Complete),
    (TaskStage::InProgress, "skip_task", TaskStage::Skipped),
    (TaskStage::InProgress, "cancel", TaskStage::Canceled),
];

/// The request's moves, each labelled with the condition of [`REQUEST_RULE`] that holds
/// after it. The request's state is never set: it is derived from its items
/// ([`derive_stage`]), and these are all the changes the rule can make.
pub const REQUEST_TRANSITIONS: [(Stage, &str, Stage); 9] = [
    (
        Stage::Submitted,
        "an item awaits approval",
        Stage::AwaitingApproval,
    ),
    (
        Stage::Submitted,
        "an item is in fulfilment",
        Stage::InFulfilment,
    ),
    (
        Stage::AwaitingApproval,
        "an item is in fulfilment",
        Stage::InFulfilment,
    ),
    (
        Stage::AwaitingApproval,
        "all closed, one rejected",
        Stage::Rejected,
    ),
    (Stage::AwaitingApproval, "all canceled", Stage::Canceled),
    (
        Stage::InFulfilment,
        "an item awaits approval",
        Stage::AwaitingApproval,
    ),
    (
        Stage::InFulfilment,
        "all closed, one fulfilled",
        Stage::Fulfilled,
    ),
    (
        Stage::InFulfilment,
        "all closed, one rejected",
        Stage::Rejected,
    ),
    (Stage::InFulfilment, "all canceled", Stage::Canceled),
];

/// The rule that derives a request's state from its items' states, first match wins:
///
/// | request | when |
/// |---|---|
/// | in fulfilment | an open item is in fulfilment, or an item is open and another fulfilled |
/// | awaiting approval | an item awaits approval |
/// | submitted | an item is submitted |
/// | fulfilled | every item is closed, and one is fulfilled |
/// | rejected | every item is closed, none fulfilled, and one rejected |
/// | canceled | every item is canceled (or there are none) |
pub const REQUEST_RULE: [(Stage, &str); 6] = [
    (
        Stage::InFulfilment,
        "an item is in fulfilment (or one open, one fulfilled)",
    ),
    (Stage::AwaitingApproval, "an item awaits approval"),
    (Stage::Submitted, "an item is submitted"),
    (Stage::Fulfilled, "all closed, one fulfilled"),
    (Stage::Rejected, "all closed, one rejected"),
    (Stage::Canceled, "all canceled"),
];

/// A request's state from its items' states, by [`REQUEST_RULE`].
///
/// ```
/// use itsm_catalogue::{Stage, derive_stage};
///
/// assert_eq!(derive_stage([Stage::Fulfilled, Stage::AwaitingApproval]), Stage::InFulfilment);
/// assert_eq!(derive_stage([Stage::Rejected, Stage::AwaitingApproval]), Stage::AwaitingApproval);
/// assert_eq!(derive_stage([Stage::Fulfilled, Stage::Rejected]), Stage::Fulfilled);
/// assert_eq!(derive_stage([Stage::Canceled, Stage::Rejected]), Stage::Rejected);
/// ```
pub fn derive_stage(items: impl IntoIterator<Item = Stage>) -> Stage {
    let stages: BTreeSet<Stage> = items.into_iter().collect();
    let has = |s| stages.contains(&s);
    let open = stages.iter().any(|s| !s.is_terminal());
    if has(Stage::InFulfilment) || (open && has(Stage::Fulfilled)) {
        Stage::InFulfilment
    } else if has(Stage::AwaitingApproval) {
        Stage::AwaitingApproval
    } else if has(Stage::Submitted) {
        Stage::Submitted
    } else if has(Stage::Fulfilled) {
        Stage::Fulfilled
    } else if has(Stage::Rejected) {
        Stage::Rejected
    } else {
        Stage::Canceled
    }
}

fn stage_specs(initial: &[Stage]) -> Vec<StateSpec> {
    Stage::ALL
        .iter()
        .map(|s| {
            let spec = if initial.contains(s) {
                StateSpec::initial(s.name(), s.category())
            } else {
                StateSpec::new(s.name(), s.category())
            };
            if s.is_terminal() {
                spec.terminal()
            } else {
                spec
            }
        })
        .collect()
}

/// The item lifecycle as data, from [`ITEM_TRANSITIONS`].
///
/// # Errors
/// Never for the built-in table; the `Result` is [`Lifecycle::new`]'s.
pub fn item_lifecycle() -> Result<Lifecycle, itsm_core::Error> {
    Lifecycle::new(
        "request_item",
        stage_specs(&[Stage::Submitted]),
        ITEM_TRANSITIONS
            .iter()
            .map(|(f, c, t)| TransitionSpec::new(f.name(), c, t.name()))
            .collect(),
    )
}

/// The request lifecycle as data, from [`REQUEST_TRANSITIONS`].
///
/// # Errors
/// Never for the built-in table; the `Result` is [`Lifecycle::new`]'s.
pub fn request_lifecycle() -> Result<Lifecycle, itsm_core::Error> {
    Lifecycle::new(
        "request",
        stage_specs(&[Stage::Submitted]),
        REQUEST_TRANSITIONS
            .iter()
            .map(|(f, c, t)| TransitionSpec::new(f.name(), c, t.name()))
            .collect(),
    )
}

/// The task lifecycle as data, from [`TASK_TRANSITIONS`]. A task starts pending, or open
/// when it is a revocation task.
///
/// # Errors
/// Never for the built-in table; the `Result` is [`Lifecycle::new`]'s.
pub fn task_lifecycle() -> Result<Lifecycle, itsm_core::Error> {
    Lifecycle::new(
        "request_task",
        TaskStage::ALL
            .iter()
            .map(|s| {
                let spec = match s {
                    TaskStage::Pending | TaskStage::Open => {
                        StateSpec::initial(s.name(), s.category())
                    }
                    _ => StateSpec::new(s.name(), s.category()),
                };
                if s.is_terminal() {
                    spec.terminal()
                } else {
                    spec
                }
            })
            .collect(),
        TASK_TRANSITIONS
            .iter()
            .map(|(f, c, t)| TransitionSpec::new(f.name(), c, t.name()))
            .collect(),
    )
}

/// The person an order is for, as the host's directory gives them now: what entitlements,
/// approvals and separation of duties read.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Requester::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Requester {
    /// The person.
    pub user: UserId,
    /// Their roles. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub roles: BTreeSet<Role>,
    /// Their groups. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub groups: BTreeSet<GroupId>,
    /// Their organisation. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub organisation: Option<String>,
    /// Their manager. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub manager: Option<UserId>,
    /// The application roles they hold now. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub access: BTreeSet<AppRole>,
}

impl Requester {
    /// A person with no roles, groups, organisation, manager or access.
    pub fn new(user: UserId) -> Self {
        Requester {
            user,
            roles: BTreeSet::new(),
            groups: BTreeSet::new(),
            organisation: None,
            manager: None,
            access: BTreeSet::new(),
        }
    }
}

/// The access an order line asks for: a role of the item's application, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccessAsk {
    /// The role.
    pub role: String,
    /// When it expires. Absent in JSON: never.
    #[cfg_attr(feature = "serde", serde(default))]
    pub until: Option<DateTime<Utc>>,
}

/// One line of an order: an item and the answers to its variables.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`OrderLine::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct OrderLine {
    /// The catalogue item.
    pub item: String,
    /// The answers, by variable name. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub answers: BTreeMap<String, Value>,
    /// For an access item: the role and expiry asked for. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub access: Option<AccessAsk>,
}

impl OrderLine {
    /// A line for `item` without answers.
    pub fn new(item: impl Into<String>) -> Self {
        OrderLine {
            item: item.into(),
            answers: BTreeMap::new(),
            access: None,
        }
    }

    /// This line with an answer.
    #[must_use]
    pub fn answer(mut self, variable: impl Into<String>, value: Value) -> Self {
        self.answers.insert(variable.into(), value);
        self
    }

    /// This line asking for `role`, until `until`.
    #[must_use]
    pub fn access(mut self, role: impl Into<String>, until: Option<DateTime<Utc>>) -> Self {
        self.access = Some(AccessAsk {
            role: role.into(),
            until,
        });
        self
    }
}

/// What `submit` takes: the request's id, whom it is for, its lines, and the members of the
/// groups its approval steps name (from the host's directory, now).
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Order::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Order {
    /// The request's id.
    pub id: RequestId,
    /// Whom it is for.
    pub requested_for: Requester,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// The members of each group the approval steps name. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub members: BTreeMap<GroupId, BTreeSet<UserId>>,
}

impl Order {
    /// An order.
    pub fn new(id: RequestId, requested_for: Requester, lines: Vec<OrderLine>) -> Self {
        Order {
            id,
            requested_for,
            lines,
            members: BTreeMap::new(),
        }
    }
}

/// Where granted access stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum AccessStatus {
    /// Asked for; not provisioned yet.
    Requested,
    /// Provisioned.
    Active,
    /// Expired; the revocation task is open.
    Expired,
    /// Revoked.
    Revoked,
}

/// The access of an access item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Access {
    /// The application and role.
    pub role: AppRole,
    /// When it expires.
    pub until: Option<DateTime<Utc>>,
    /// Where it stands.
    pub status: AccessStatus,
    /// The task opened at expiry.
    pub revoke: TaskSpec,
}

/// One task of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Task {
    /// Its definition.
    pub spec: TaskSpec,
    /// Where it stands.
    pub stage: TaskStage,
}

/// An item's running approval: the policy its steps resolved to, and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ItemApproval {
    /// The resolved policy.
    pub policy: Arc<itsm_approval::Policy>,
    /// The approval's state.
    pub state: itsm_approval::State,
}

/// One line of a request, read through getters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Item {
    pub(crate) item: String,
    pub(crate) answers: BTreeMap<String, Value>,
    pub(crate) stage: Stage,
    pub(crate) approval: Option<ItemApproval>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) access: Option<Access>,
}

impl Item {
    /// The catalogue item's name.
    pub fn item(&self) -> &str {
        &self.item
    }
    /// The answers kept (defaults filled in, hidden variables dropped).
    pub fn answers(&self) -> &BTreeMap<String, Value> {
        &self.answers
    }
    /// Where it stands.
    pub fn stage(&self) -> Stage {
        self.stage
    }
    /// Its approval, once requested.
    pub fn approval(&self) -> Option<&ItemApproval> {
        self.approval.as_ref()
    }
    /// Its tasks, in plan order (a revocation task last).
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
    /// The task named `name`.
    pub fn task(&self, name: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.spec.name == name)
    }
    /// Its access, for an access item.
    pub fn access(&self) -> Option<&Access> {
        self.access.as_ref()
    }
}

/// A request, read through getters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Request {
    pub(crate) id: RequestId,
    pub(crate) requester: UserId,
    pub(crate) requested_for: UserId,
    pub(crate) items: Vec<Item>,
    pub(crate) opened_at: DateTime<Utc>,
    pub(crate) updated_at: DateTime<Utc>,
}

impl Request {
    /// Its id.
    pub fn id(&self) -> RequestId {
        self.id
    }
    /// Who ordered.
    pub fn requester(&self) -> UserId {
        self.requester
    }
    /// Whom it is for.
    pub fn requested_for(&self) -> UserId {
        self.requested_for
    }
    /// Its items, by line.
    pub fn items(&self) -> &[Item] {
        &self.items
    }
    /// When it was submitted.
    pub fn opened_at(&self) -> DateTime<Utc> {
        self.opened_at
    }
    /// Its last event's time.
    pub fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// Its state, derived from its items ([`derive_stage`]).
    pub fn stage(&self) -> Stage {
        derive_stage(self.items.iter().map(|i| i.stage))
    }
}

/// A request's state: nothing yet, or a submitted request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "state", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum State {
    /// Before `submit`.
    #[default]
    Unsubmitted,
    /// Submitted (in any stage).
    Submitted(Box<Request>),
}

impl State {
    /// The state before anything happened.
    pub const fn new() -> Self {
        State::Unsubmitted
    }

    /// The request, once submitted.
    pub fn request(&self) -> Option<&Request> {
        match self {
            State::Unsubmitted => None,
            State::Submitted(r) => Some(r),
        }
    }

    /// The request's stage, once submitted.
    pub fn stage(&self) -> Option<Stage> {
        self.request().map(Request::stage)
    }

    /// Folds `events` in place, as [`evolve`](crate::evolve) does one by one.
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e crate::Event>) {
        for event in events {
            *self = crate::evolve(std::mem::take(self), event);
        }
    }
}

/// Which record an SLA hook is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "record", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Record {
    /// The request.
    Request,
    /// An item, by line.
    Item {
        /// The line.
        line: usize,
    },
    /// A task of an item.
    Task {
        /// The line.
        line: usize,
        /// The task.
        task: String,
    },
}

impl std::fmt::Display for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Record::Request => f.write_str("request"),
            Record::Item { line } => write!(f, "item {line}"),
            Record::Task { line, task } => write!(f, "task {line}/{task}"),
        }
    }
}
