//! Commands: what someone asks a request to do. `decide` accepts or refuses them.

use crate::model::Order;

/// Something asked of a request. In JSON the `command` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Submit an order: every line checked (entitlement, answers, access roles, separation
    /// of duties), then each item's approval steps requested or its fulfilment started.
    Submit(Box<Order>),
    /// An approver's answer (approve, reject, delegate) passed to an item's running approval.
    Approval {
        /// The order line.
        line: usize,
        /// The approval command (`approve`, `reject`, `delegate`).
        answer: itsm_approval::Command,
    },
    /// Start working an open task.
    StartTask {
        /// The order line.
        line: usize,
        /// The task.
        task: String,
    },
    /// Complete a task: the tasks after it open when all they wait for is done; the item is
    /// fulfilled when every task is done.
    CompleteTask {
        /// The order line.
        line: usize,
        /// The task.
        task: String,
        /// What was done.
        #[cfg_attr(feature = "serde", serde(default))]
        notes: String,
    },
    /// Skip a task that is not needed (counts as done).
    SkipTask {
        /// The order line.
        line: usize,
        /// The task.
        task: String,
        /// Why.
        reason: String,
    },
    /// Cancel one item (its pending approval and open tasks with it).
    CancelItem {
        /// The order line.
        line: usize,
        /// Why.
        reason: String,
    },
    /// Cancel every open item of the request.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Time passed: access past its expiry is expired and its revocation task opened.
    Tick,
}

impl Command {
    /// The command's name, as in JSON and permissions.
    ///
    /// ```
    /// use itsm_catalogue::Command;
    ///
    /// assert_eq!(Command::Tick.name(), "tick");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Command::Submit(_) => "submit",
            Command::Approval { .. } => "approval",
            Command::StartTask { .. } => "start_task",
            Command::CompleteTask { .. } => "complete_task",
            Command::SkipTask { .. } => "skip_task",
            Command::CancelItem { .. } => "cancel_item",
            Command::Cancel { .. } => "cancel",
            Command::Tick => "tick",
        }
    }

    /// Every command name, in declaration order.
    pub const NAMES: [&'static str; 8] = [
        "submit",
        "approval",
        "start_task",
        "complete_task",
        "skip_task",
        "cancel_item",
        "cancel",
        "tick",
    ];
}

impl From<Order> for Command {
    /// [`Command::Submit`].
    fn from(order: Order) -> Self {
        Command::Submit(Box::new(order))
    }
}
