//! Task costs: what closing an incident, a change or any task costs, from task rate cards (a
//! flat rate, or the time worked at each worker's labour rate), as ServiceNow's Cost
//! Management generates them. The lines land on the task's configuration item or service as
//! expenses ([`TaskCosting::expenses`]), so they roll up with every other cost.

use std::collections::BTreeMap;

use chrono::Duration;

use crate::error::Error;
use crate::spec::Expense;

/// A condition on a record's fields: every field named must hold one of its values; no field
/// named, every record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Condition(pub BTreeMap<String, Vec<String>>);

impl Condition {
    /// Every record.
    pub fn any() -> Self {
        Condition::default()
    }

    /// This condition and `field` holding one of `values`.
    ///
    /// ```
    /// use itsm_cost::Condition;
    ///
    /// let p1 = Condition::any().with("priority", &["1"]);
    /// assert_eq!(p1.0["priority"], ["1"]);
    /// ```
    #[must_use]
    pub fn with(mut self, field: &str, values: &[&str]) -> Self {
        self.0.insert(
            field.to_owned(),
            values.iter().map(|v| (*v).to_owned()).collect(),
        );
        self
    }

    /// Whether a record with these fields meets the condition.
    pub fn holds(&self, fields: &BTreeMap<String, String>) -> bool {
        self.0
            .iter()
            .all(|(f, values)| fields.get(f).is_some_and(|v| values.contains(v)))
    }
}

/// How a task rate card prices a task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum TaskRate {
    /// A flat amount per task (ServiceNow's "Task rate").
    Flat(i64),
    /// The time worked on the task, each worker's at their labour rate, or at this default
    /// hourly rate when no labour rate card matches them ("Use time worked", "Default labor
    /// rate").
    TimeWorked {
        /// Minor units per hour.
        default_hourly: i64,
    },
}

/// A task rate card: which tasks it prices and how.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskRateCard {
    /// Its name, unique among task rate cards.
    pub name: String,
    /// Of several cards that apply, the one with the lowest order prices the task (the
    /// first listed on ties).
    #[cfg_attr(feature = "serde", serde(default))]
    pub order: i64,
    /// The kind of task (ServiceNow's table: `incident`, `change_request`).
    pub table: String,
    /// The condition on the task's fields.
    #[cfg_attr(feature = "serde", serde(default))]
    pub condition: Condition,
    /// The price.
    pub rate: TaskRate,
}

impl TaskRateCard {
    /// A card `name` pricing the tasks of `table` that meet `condition` at `rate`, order 0.
    ///
    /// ```
    /// use itsm_cost::{Condition, TaskRate, TaskRateCard};
    ///
    /// let p1 = TaskRateCard::new("Incident P1", "incident", Condition::any().with("priority", &["1"]), TaskRate::Flat(150_00));
    /// assert_eq!(p1.order, 0);
    /// ```
    pub fn new(name: &str, table: &str, condition: Condition, rate: TaskRate) -> Self {
        TaskRateCard {
            name: name.to_owned(),
            order: 0,
            table: table.to_owned(),
            condition,
            rate,
        }
    }
}

/// A labour rate card: the hourly rate of the workers it selects, for one rate type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LabourRateCard {
    /// Its name, unique among labour rate cards.
    pub name: String,
    /// Of several cards that match a worker and rate type, the lowest order wins (the first
    /// listed on ties).
    #[cfg_attr(feature = "serde", serde(default))]
    pub order: i64,
    /// Minor units per hour.
    pub hourly: i64,
    /// The rate type it prices (`Standard`, `Overtime`); `None` prices time entered without
    /// one.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rate_type: Option<String>,
    /// The condition on the worker's fields (department, location, ...).
    #[cfg_attr(feature = "serde", serde(default))]
    pub condition: Condition,
}

impl LabourRateCard {
    /// A card `name` at `hourly` for the workers meeting `condition`, no rate type, order 0.
    ///
    /// ```
    /// use itsm_cost::{Condition, LabourRateCard};
    ///
    /// let dev = LabourRateCard::new("Development", 100_00, Condition::any().with("department", &["Development"]));
    /// assert_eq!(dev.rate_type, None);
    /// ```
    pub fn new(name: &str, hourly: i64, condition: Condition) -> Self {
        LabourRateCard {
            name: name.to_owned(),
            order: 0,
            hourly,
            rate_type: None,
            condition,
        }
    }
}

/// Time a worker entered on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TimeWorked {
    /// The worker's id.
    pub user: String,
    /// How long (ISO 8601 in JSON), zero or more.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub time: Duration,
    /// The rate type entered (`Standard`, `Overtime`), if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rate_type: Option<String>,
}

/// A closed task to price.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Task {
    /// Its id (`INC0010001`).
    pub id: String,
    /// Its kind (`incident`, `change_request`).
    pub table: String,
    /// The fields the cards' conditions read (`priority`, `type`, `category`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub fields: BTreeMap<String, String>,
    /// The configuration item or service its cost lands on, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub node: Option<String>,
    /// The time worked on it.
    #[cfg_attr(feature = "serde", serde(default))]
    pub worked: Vec<TimeWorked>,
}

impl Task {
    /// A task `id` of kind `table` on `node`, no fields and no time worked.
    ///
    /// ```
    /// use itsm_cost::Task;
    ///
    /// let t = Task::new("INC1", "incident", Some("db")).field("priority", "1");
    /// assert_eq!(t.fields["priority"], "1");
    /// ```
    pub fn new(id: &str, table: &str, node: Option<&str>) -> Self {
        Task {
            id: id.to_owned(),
            table: table.to_owned(),
            fields: BTreeMap::new(),
            node: node.map(str::to_owned),
            worked: Vec::new(),
        }
    }

    /// The task with `field` set to `value`.
    #[must_use]
    pub fn field(mut self, field: &str, value: &str) -> Self {
        self.fields.insert(field.to_owned(), value.to_owned());
        self
    }

    /// The task with `time` worked by `user` at `rate_type`.
    #[must_use]
    pub fn worked(mut self, user: &str, time: Duration, rate_type: Option<&str>) -> Self {
        self.worked.push(TimeWorked {
            user: user.to_owned(),
            time,
            rate_type: rate_type.map(str::to_owned),
        });
        self
    }
}

/// A worker, with the fields labour rate cards' conditions read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Worker {
    /// The worker's id, unique among workers.
    pub id: String,
    /// Department, location, ...
    #[cfg_attr(feature = "serde", serde(default))]
    pub fields: BTreeMap<String, String>,
}

impl Worker {
    /// A worker `id` with one field.
    ///
    /// ```
    /// use itsm_cost::Worker;
    ///
    /// assert_eq!(Worker::new("ann", "department", "Development").fields["department"], "Development");
    /// ```
    pub fn new(id: &str, field: &str, value: &str) -> Self {
        Worker {
            id: id.to_owned(),
            fields: BTreeMap::from([(field.to_owned(), value.to_owned())]),
        }
    }
}

/// How time worked becomes lines: ServiceNow's pages differ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum TimeLines {
    /// One line per worker and rate type, their time added up ("Process task rate cards":
    /// entries "grouped by user").
    #[default]
    PerWorker,
    /// One line per time worked entry ("Cost sources": "Generate an expense line for each
    /// time worked entry"); each rounded on its own.
    PerEntry,
}

/// The rate cards and workers tasks are priced with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskRates {
    /// Task rate cards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub task_cards: Vec<TaskRateCard>,
    /// Labour rate cards.
    #[cfg_attr(feature = "serde", serde(default))]
    pub labour_cards: Vec<LabourRateCard>,
    /// The workers (one not listed matches no labour rate card).
    #[cfg_attr(feature = "serde", serde(default))]
    pub workers: Vec<Worker>,
    /// One line per worker (the default) or per entry.
    #[cfg_attr(feature = "serde", serde(default))]
    pub time_lines: TimeLines,
}

impl TaskRates {
    /// These task and labour rate cards and workers.
    pub fn new(
        task_cards: Vec<TaskRateCard>,
        labour_cards: Vec<LabourRateCard>,
        workers: Vec<Worker>,
    ) -> Self {
        TaskRates {
            task_cards,
            labour_cards,
            workers,
            time_lines: TimeLines::PerWorker,
        }
    }
}

/// One expense line of a task.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskLine {
    /// The task.
    pub task: String,
    /// The task rate card that priced it.
    pub card: String,
    /// For time worked: the worker, their rate type, the time (all their entries of that
    /// rate type added up), the hourly rate and the labour rate card that set it (`None`: the
    /// task rate card's default).
    pub labour: Option<Labour>,
    /// The amount.
    pub amount: i64,
    /// Where it lands, the task's node.
    pub node: Option<String>,
}

/// How a time-worked line was priced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Labour {
    /// The worker.
    pub user: String,
    /// The rate type.
    pub rate_type: Option<String>,
    /// The time, in seconds.
    pub seconds: i64,
    /// Minor units per hour.
    pub hourly: i64,
    /// The labour rate card (`None`: the default rate).
    pub card: Option<String>,
}

/// The lines of a set of closed tasks, and the tasks no card priced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TaskCosting {
    /// Every line, tasks in the order given, a task's workers in order of first entry.
    pub lines: Vec<TaskLine>,
    /// The tasks no task rate card applies to.
    pub unpriced: Vec<String>,
}

impl TaskCosting {
    /// The lines that land on a node, as expenses for a [`CostSpec`](crate::CostSpec) (one
    /// per line, described `task card` or `task card user`).
    pub fn expenses(&self) -> Vec<Expense> {
        self.lines
            .iter()
            .filter_map(|l| {
                let node = l.node.as_deref()?;
                let description = match &l.labour {
                    None => format!("{} {}", l.task, l.card),
                    Some(lab) => format!("{} {} {}", l.task, l.card, lab.user),
                };
                Some(Expense::new(node, l.amount, &description))
            })
            .collect()
    }

    /// All the lines' amounts, added up.
    pub fn total(&self) -> i128 {
        self.lines.iter().map(|l| i128::from(l.amount)).sum()
    }
}

/// `hourly` minor units an hour for `seconds`, to the nearest minor unit (halves away from
/// zero); `None` past 64 bits.
fn labour_amount(hourly: i64, seconds: i64) -> Option<i64> {
    let product = i128::from(hourly) * i128::from(seconds);
    let half = 1800;
    let rounded = if product >= 0 {
        (product + half) / 3600
    } else {
        (product - half) / 3600
    };
    i64::try_from(rounded).ok()
}

/// The first of `items` in `(order, position)` order that `fits`.
fn lowest<T>(items: &[T], order: impl Fn(&T) -> i64, fits: impl Fn(&T) -> bool) -> Option<&T> {
    items
        .iter()
        .enumerate()
        .filter(|(_, t)| fits(t))
        .min_by_key(|(k, t)| (order(t), *k))
        .map(|(_, t)| t)
}

/// Prices closed tasks as ServiceNow's "Process Task Rate Cards" rule does: the task rate
/// card of lowest order whose table and condition the task meets prices it; a flat card
/// gives one line of its rate; a time-worked card one line per worker and rate type (or per
/// entry, [`TimeLines`]), the time added up and priced at the labour rate card of lowest
/// order that matches the worker and has the same rate type, else at the card's default
/// hourly rate, rounded to the nearest minor unit (halves away from zero). Time is counted in
/// whole seconds. A task no card applies to
/// is listed in [`TaskCosting::unpriced`].
///
/// ```
/// use chrono::Duration;
/// use itsm_cost::{Condition, LabourRateCard, Task, TaskRate, TaskRateCard, TaskRates, Worker, cost_tasks};
///
/// let rates = TaskRates::new(
///     vec![
///         TaskRateCard::new("Incident P1", "incident", Condition::any().with("priority", &["1"]), TaskRate::Flat(150_00)),
///         TaskRateCard::new("Emergency change", "change_request", Condition::any().with("type", &["emergency"]),
///             TaskRate::TimeWorked { default_hourly: 250_00 }),
///     ],
///     vec![LabourRateCard::new("Development", 100_00, Condition::any().with("department", &["Development"]))],
///     vec![Worker::new("ann", "department", "Development")],
/// );
/// let tasks = [
///     Task::new("INC1", "incident", Some("db")).field("priority", "1"),
///     Task::new("CHG1", "change_request", Some("db")).field("type", "emergency")
///         .worked("ann", Duration::minutes(90), None)
///         .worked("bob", Duration::hours(2), None),
/// ];
/// let costing = cost_tasks(&rates, &tasks)?;
/// let amounts: Vec<i64> = costing.lines.iter().map(|l| l.amount).collect();
/// // $150 flat; Ann 1.5 h at $100; Bob, with no labour rate card, 2 h at the default $250.
/// assert_eq!(amounts, [150_00, 150_00, 500_00]);
/// # Ok::<(), itsm_cost::Error>(())
/// ```
///
/// # Errors
/// [`Error::DuplicateName`] (two task or labour rate cards of one name),
/// [`Error::DuplicateWorker`], [`Error::NegativeTime`], [`Error::TaskOverflow`].
pub fn cost_tasks(rates: &TaskRates, tasks: &[Task]) -> Result<TaskCosting, Error> {
    let mut names = std::collections::HashSet::new();
    for c in &rates.task_cards {
        if !names.insert(c.name.as_str()) {
            return Err(Error::DuplicateName {
                kind: "task rate card",
                name: c.name.clone(),
            });
        }
    }
    names.clear();
    for c in &rates.labour_cards {
        if !names.insert(c.name.as_str()) {
            return Err(Error::DuplicateName {
                kind: "labour rate card",
                name: c.name.clone(),
            });
        }
    }
    let mut workers: std::collections::HashMap<&str, &BTreeMap<String, String>> =
        std::collections::HashMap::with_capacity(rates.workers.len());
    for w in &rates.workers {
        if workers.insert(w.id.as_str(), &w.fields).is_some() {
            return Err(Error::DuplicateWorker { id: w.id.clone() });
        }
    }
    let none = BTreeMap::new();
    let mut out = TaskCosting::default();
    for task in tasks {
        if let Some(entry) = task.worked.iter().find(|e| e.time < Duration::zero()) {
            return Err(Error::NegativeTime {
                task: task.id.clone(),
                user: entry.user.clone(),
            });
        }
        let Some(card) = lowest(
            &rates.task_cards,
            |c| c.order,
            |c| c.table == task.table && c.condition.holds(&task.fields),
        ) else {
            out.unpriced.push(task.id.clone());
            continue;
        };
        let overflow = || Error::TaskOverflow {
            task: task.id.clone(),
        };
        match card.rate {
            TaskRate::Flat(amount) => out.lines.push(TaskLine {
                task: task.id.clone(),
                card: card.name.clone(),
                labour: None,
                amount,
                node: task.node.clone(),
            }),
            TaskRate::TimeWorked { default_hourly } => {
                // Per entry, or grouped by worker and rate type in order of first entry.
                let mut groups: Vec<(&str, Option<&str>, i64)> = Vec::new();
                for e in &task.worked {
                    let key = (e.user.as_str(), e.rate_type.as_deref());
                    let seconds = e.time.num_seconds();
                    let same = match rates.time_lines {
                        TimeLines::PerWorker => groups.iter_mut().find(|g| (g.0, g.1) == key),
                        TimeLines::PerEntry => None,
                    };
                    match same {
                        Some(g) => g.2 = g.2.checked_add(seconds).ok_or_else(overflow)?,
                        None => groups.push((key.0, key.1, seconds)),
                    }
                }
                for (user, rate_type, seconds) in groups {
                    let fields = workers.get(user).copied().unwrap_or(&none);
                    let labour = lowest(
                        &rates.labour_cards,
                        |c| c.order,
                        |c| c.rate_type.as_deref() == rate_type && c.condition.holds(fields),
                    );
                    let hourly = labour.map_or(default_hourly, |c| c.hourly);
                    out.lines.push(TaskLine {
                        task: task.id.clone(),
                        card: card.name.clone(),
                        labour: Some(Labour {
                            user: user.to_owned(),
                            rate_type: rate_type.map(str::to_owned),
                            seconds,
                            hourly,
                            card: labour.map(|c| c.name.clone()),
                        }),
                        amount: labour_amount(hourly, seconds).ok_or_else(overflow)?,
                        node: task.node.clone(),
                    });
                }
            }
        }
    }
    Ok(out)
}
