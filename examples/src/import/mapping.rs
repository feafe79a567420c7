//! The mapping file: how a log is laid out and what its values mean, as plain data.
//!
//! Deserialized from JSON (schema: `docs/schema/import-mapping.json`) and checked against the
//! log's header and the policy by [`Mapping::compile`](crate::import::Mapping::compile), which
//! reports every mistake at once.

use std::borrow::Cow;
use std::collections::BTreeMap;

use itsm_incident::Channel;
use serde::{Deserialize, Serialize};

/// How a source log is laid out and how its vocabulary translates into ours.
///
/// Only [`case`](Mapping::case), [`time`](Mapping::time) and [`states`](Mapping::states) are
/// required; every other section has a default, and every column in them is optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// A name for the source, for example `uci-incident-event-log`.
    pub source: String,
    /// Free text for the people who maintain the file (JSON has no comments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The policy file to replay under when none is given on the command line: a path
    /// relative to the mapping file's folder. Absent: ServiceNow's preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// How the file is written: delimiter, quote, encoding, header row.
    #[serde(default)]
    pub csv: CsvFormat,
    /// Values that mean "no value" (an empty field always does), for example `?`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Whether spaces and tabs around every value are removed before it is read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trim: bool,
    /// The column holding the case (incident) id, which groups rows into incidents.
    pub case: String,
    /// The column holding when the row happened, and how to read it.
    pub time: TimeColumn,
    /// In which order the rows of a case are replayed, and how cases are laid out.
    #[serde(default)]
    pub order: Order,
    /// What a row shows: the whole record after an update, or one activity.
    #[serde(default)]
    pub rows: RowKind,
    /// The column (or columns) that give the state or the activity, and what each value
    /// means.
    pub states: States,
    /// The columns of the other fields; each is optional.
    #[serde(default)]
    pub fields: Fields,
    /// How impact, urgency and priority are read.
    #[serde(default)]
    pub levels: Levels,
    /// The channel each value of [`Fields::channel`] means; a value not listed is kept as
    /// `{"other": value}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, Channel>,
    /// The resolution code each value of [`Fields::resolution_code`] stands for in the
    /// policy; a value not listed is kept as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub resolution_codes: BTreeMap<String, String>,
    /// The log's own running counters, compared with ours at the end of each case.
    #[serde(default)]
    pub counters: Counters,
}

/// How the file is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct CsvFormat {
    /// The field separator: one ASCII character (`,`, `;`, a tab).
    pub delimiter: char,
    /// The quote character (one ASCII character), or `null` when fields are never quoted.
    pub quote: Option<char>,
    /// How the bytes are decoded into text.
    pub encoding: Encoding,
    /// Whether the first row names the columns. Without a header, columns are named by
    /// their 1-based position: `"1"`, `"2"`, ...
    pub header: bool,
}

impl Default for CsvFormat {
    /// Comma separated, double quotes, UTF-8, with a header row.
    fn default() -> Self {
        CsvFormat {
            delimiter: ',',
            quote: Some('"'),
            encoding: Encoding::Utf8,
            header: true,
        }
    }
}

/// A text encoding the importer decodes by hand.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
pub enum Encoding {
    /// UTF-8 (a byte order mark before the header is skipped).
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// ISO 8859-1: every byte is the code point of the same number.
    #[serde(rename = "latin-1")]
    Latin1,
    /// Windows code page 1252: Latin-1 with printable characters (`€`, `’`, `–`, ...) at
    /// 0x80 to 0x9F; its five unassigned bytes decode to the control characters of the same
    /// number, as web browsers do.
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl Encoding {
    /// The name as the mapping writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// The time column and how its values are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeColumn {
    /// The column.
    pub column: String,
    /// A chrono `strftime` format, for example `%d/%m/%Y %H:%M` or `%Y-%m-%dT%H:%M:%S%:z`.
    /// Numeric fields also accept fewer digits (`%d` reads `1`). The same format reads
    /// [`Fields::opened_at`].
    pub format: String,
    /// The zone the times are written in, required exactly when the format has no offset
    /// (`%z`, `%:z`, `%#z`) and no Unix timestamp (`%s`): an IANA name (`Europe/Rome`,
    /// `UTC`) or a fixed offset (`+02:00`). A time with an offset keeps it; a time without
    /// one is read as the wall clock of the zone, never silently as UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
}

/// The order in which a case's rows are replayed, and the layout the streaming reader
/// relies on to keep only open cases in memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Order {
    /// How the rows of different cases are laid out in the file.
    pub cases: Layout,
    /// The sort keys of a case's rows, most significant first; file order breaks the
    /// remaining ties. With interleaved cases the first key must be `"time"`.
    pub by: Vec<SortKey>,
    /// Interleaved cases only: how much earlier than the latest time above it a row may be
    /// and still be replayed in its place (ISO 8601, `"PT10M"`; absent: zero, the file is
    /// sorted by time). A row earlier than that is reported, not replayed.
    #[serde(
        default,
        with = "itsm_core::duration::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(schema_with = "itsm_core::duration::option::schema")]
    pub window: Option<chrono::Duration>,
}

impl Default for Order {
    /// Contiguous cases, rows by time then file order.
    fn default() -> Self {
        Order {
            cases: Layout::Contiguous,
            by: vec![SortKey::Time],
            window: None,
        }
    }
}

/// How the rows of different cases are laid out.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Each case's rows come together in one block, in any order within it (a case's block
    /// is sorted and replayed when the next case begins). Memory: one case's rows.
    #[default]
    Contiguous,
    /// Cases are mixed and the file is sorted by time, up to [`Order::window`]. Memory: the
    /// rows within the window and one record per case that has not reached a final state.
    Interleaved,
}

/// One sort key of a case's rows.
///
/// In JSON `"time"`, `{"integer": "sys_mod_count"}` (values compared as unsigned integers)
/// or `{"text": "column"}` (compared as text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The row's time, as an instant (offsets and zones applied).
    Time,
    /// A column of unsigned integers.
    Integer(String),
    /// A column compared as text.
    Text(String),
}

/// What a row shows.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// Each row is the whole record after an update (an audit history): the replay brings
    /// assignment and levels to the row's values on every row (a missing value means "not
    /// recorded", never "cleared").
    #[default]
    Snapshots,
    /// Each row is one activity: the fields are read only as the arguments of the row's
    /// target (the group and person of an `assign`, the levels of a `reprioritize`).
    Activities,
}

/// The state or activity columns and the meaning of each value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct States {
    /// One column (`["incident_state"]`), or several whose values combine
    /// (`["Status", "Sub Status"]`).
    pub columns: Vec<String>,
    /// What joins the values of several columns into one key of [`values`](States::values);
    /// missing values are left out, so `Open` with an empty sub status is `Open`.
    #[serde(default = "default_separator")]
    pub separator: String,
    /// What each value (or combined value) means. A value not listed is reported as
    /// unmapped, with its line.
    pub values: BTreeMap<String, Target>,
}

fn default_separator() -> String {
    " / ".to_owned()
}

/// What a value of the state or activity columns means.
///
/// In JSON:
/// - `{"state": "on_hold", "reason": "awaiting_caller"}`: the incident is in this state
///   after the row (a state of the policy's workflow, by name; `reason` is the hold reason,
///   required exactly for states of kind `on_hold`); `code` gives a resolution code for
///   `resolve` or `close` when the row has none; `then` lists actions run after reaching the
///   state (`"then": ["assign"]`);
/// - `{"action": "assign"}`: the row does something that keeps the state (see [`Action`]);
/// - `"ignore"`: the row is left out and counted;
/// - `"bad_data"`: the row is reported as bad data, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(into = "TargetForm")]
pub enum Target {
    /// The state after the row.
    State(StateTarget),
    /// An action that keeps the state.
    Action(Action),
    /// Leave the row out.
    Ignore,
    /// Report the row as bad data.
    BadData,
}

/// A state of the policy's workflow that a value maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateTarget {
    /// The state's name in the policy's workflow (`in_progress`, or a vendor's `assigned`).
    pub state: String,
    /// The hold reason's code, for a state of kind `on_hold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The resolution code to use when the row's resolution code column is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Actions run once the state is reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub then: Vec<Action>,
}

/// Something a row does that keeps the state (or, for `reopen` and `caller_responded`,
/// leads where the policy's workflow says).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Assign to the row's group and person ([`Fields::group`], [`Fields::person`]).
    Assign,
    /// The same command as `assign`, for values that name a reassignment.
    Reassign,
    /// Return to the queue: clear group and person.
    Unassign,
    /// Change impact and urgency to the row's.
    Reprioritize,
    /// A comment or note: no command, counted.
    Comment,
    /// Reopen (where the workflow allows it from the current state).
    Reopen,
    /// The caller answered: clears a hold that the caller's answer clears.
    CallerResponded,
}

impl Action {
    /// The action's name as the mapping writes it.
    pub const fn name(self) -> &'static str {
        match self {
            Action::Assign => "assign",
            Action::Reassign => "reassign",
            Action::Unassign => "unassign",
            Action::Reprioritize => "reprioritize",
            Action::Comment => "comment",
            Action::Reopen => "reopen",
            Action::CallerResponded => "caller_responded",
        }
    }
}

/// The columns of the optional fields (each a column name, or absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Who made the update (the acting user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// When the incident was opened (read with [`TimeColumn::format`]); the report is
    /// dated then when it is earlier than the first row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<String>,
    /// Who reported the incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// How it was reported (see [`Mapping::channels`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// The category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The configuration item concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration_item: Option<String>,
    /// The assignment group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The assigned person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// The resolution (close) code (see [`Mapping::resolution_codes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution_code: Option<String>,
}

/// How the levels are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// The impact: needed to report an incident, so a column or a default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Level>,
    /// The urgency: needed to report an incident, so a column or a default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Level>,
    /// The priority the source computed: compared with the policy's matrix, never used to
    /// drive the replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Level>,
}

/// One level: its column, how a value is read, and a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The column, if the log has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// How a value is read.
    #[serde(default)]
    pub by: LevelReading,
    /// With `"by": "label"`: the level of each label (`{"High": 1, "Medium": 2}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, u8>,
    /// The level when there is no column or the value is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<u8>,
}

/// How a level's value is read.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LevelReading {
    /// The value is a number: `2`.
    #[default]
    Number,
    /// The number the value starts with; the rest is a label: `2 - Medium` is 2.
    LeadingNumber,
    /// The value is a label listed in [`Level::labels`].
    Label,
}

/// The log's own running counters (columns), compared with ours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Counters {
    /// The log's running count of reopenings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopens: Option<String>,
    /// The log's running count of reassignments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reassignments: Option<String>,
}

// ---- Target's JSON forms -------------------------------------------------------------------

/// The two words a target may be.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Word {
    /// Leave the row out.
    Ignore,
    /// Report the row as bad data.
    BadData,
}

/// `{"action": ...}`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ActionForm {
    /// The action.
    action: Action,
}

/// What a value of the state or activity columns means: `"ignore"`, `"bad_data"`,
/// `{"state": ...}` (the state after the row) or `{"action": ...}` (an action that keeps the
/// state).
// The JSON forms, for serializing and the schema; reading goes through `Target`'s own
// `Deserialize`, which says which form was meant when one is wrong.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
enum TargetForm {
    /// `"ignore"` or `"bad_data"`.
    Word(Word),
    /// `{"state": ...}`.
    State(StateTarget),
    /// `{"action": ...}`.
    Action(ActionForm),
}

impl From<Target> for TargetForm {
    fn from(target: Target) -> Self {
        match target {
            Target::State(state) => TargetForm::State(state),
            Target::Action(action) => TargetForm::Action(ActionForm { action }),
            Target::Ignore => TargetForm::Word(Word::Ignore),
            Target::BadData => TargetForm::Word(Word::BadData),
        }
    }
}

impl schemars::JsonSchema for Target {
    fn schema_name() -> Cow<'static, str> {
        "Target".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TargetForm::json_schema(generator)
    }
}

/// Every key an object target may have; which combinations are valid is checked after.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetObject {
    state: Option<String>,
    reason: Option<String>,
    code: Option<String>,
    #[serde(default)]
    then: Vec<Action>,
    action: Option<Action>,
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TargetVisitor)
    }
}

struct TargetVisitor;

impl<'de> serde::de::Visitor<'de> for TargetVisitor {
    type Value = Target;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(r#""ignore", "bad_data", {"state": ...} or {"action": ...}"#)
    }

    fn visit_str<E: serde::de::Error>(self, word: &str) -> Result<Target, E> {
        match word {
            "ignore" => Ok(Target::Ignore),
            "bad_data" => Ok(Target::BadData),
            other => Err(E::custom(format!(
                "unknown target `{other}`: a target is \"ignore\", \"bad_data\", {{\"state\": ...}} or {{\"action\": ...}}"
            ))),
        }
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Target, M::Error> {
        use serde::de::Error as _;
        let object = TargetObject::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        match (object.state, object.action) {
            (Some(state), None) => Ok(Target::State(StateTarget {
                state,
                reason: object.reason,
                code: object.code,
                then: object.then,
            })),
            (None, Some(action)) => {
                if object.reason.is_some() || object.code.is_some() || !object.then.is_empty() {
                    Err(M::Error::custom(
                        "an action target takes only `action`; `reason`, `code` and `then` go with `state`",
                    ))
                } else {
                    Ok(Target::Action(action))
                }
            }
            (Some(_), Some(_)) => Err(M::Error::custom(
                "a target has `state` or `action`, not both (a state's `then` lists actions to run after it)",
            )),
            (None, None) => Err(M::Error::custom(
                "a target object needs `state` or `action`",
            )),
        }
    }
}
