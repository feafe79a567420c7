//! A mapping checked against a log's header and a policy: every mistake at once, each named
//! by its path in the mapping file.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::format::{Fixed, Item, Numeric, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, TimeZone};
use itsm_core::Quoted;
use itsm_incident::{Channel, Policy};

use super::mapping::{
    Action, Encoding, Layout, Level, LevelReading, Mapping, RowKind, SortKey, Target,
};
use super::workflow;

/// One mistake in a mapping, named by its path in the mapping file (for example
/// `states.values["Awaiting X"].reason`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// A column the mapping names is not in the header.
    #[error("{path}: column `{}` is not in the header; the header has: {}", Quoted(.column), quoted_list(.header))]
    UnknownColumn {
        /// Where the mapping names it.
        path: String,
        /// The column name given.
        column: String,
        /// The header's names (for a file without a header: `1`, `2`, ...).
        header: Vec<String>,
    },
    /// A column the mapping names is in the header more than once.
    #[error("{path}: column `{}` is in the header {} times (positions {}); rename one, or map the file without its header", Quoted(.column), .positions.len(), join_positions(.positions))]
    AmbiguousColumn {
        /// Where the mapping names it.
        path: String,
        /// The column name given.
        column: String,
        /// Its 1-based positions.
        positions: Vec<usize>,
    },
    /// The delimiter or quote is not one ASCII character other than a line end.
    #[error("{path}: `{}` cannot separate or quote fields; use one ASCII character other than a line end (`,`, `;`, a tab, `\"`)", .character.escape_default())]
    InvalidCharacter {
        /// `csv.delimiter` or `csv.quote`.
        path: String,
        /// The character given.
        character: char,
    },
    /// The delimiter and the quote are the same character.
    #[error("{path}: the delimiter and the quote are both `{}`; they must differ", .character.escape_default())]
    DelimiterIsQuote {
        /// `csv.quote`.
        path: String,
        /// The character.
        character: char,
    },
    /// The timestamp format is not a valid chrono format.
    #[error("{path}: `{}` is not a valid chrono format: {reason}", Quoted(.format))]
    InvalidTimeFormat {
        /// `time.format`.
        path: String,
        /// The format.
        format: String,
        /// What chrono said.
        reason: String,
    },
    /// The format has no offset and the mapping names no zone: times would be read as UTC
    /// without anyone saying so.
    #[error(
        "{path}: the format `{}` has no offset (%z, %:z, %#z) or Unix time (%s), so name the zone its times are in: an IANA name such as `Europe/Rome`, `UTC`, or an offset such as `+02:00`",
        Quoted(.format)
    )]
    ZoneRequired {
        /// `time.zone`.
        path: String,
        /// The format.
        format: String,
    },
    /// The format carries an offset, so a zone would never be used.
    #[error(
        "{path}: the format carries an offset (or Unix time), so zone `{}` would never be used; remove it",
        Quoted(.zone)
    )]
    ZoneUnused {
        /// `time.zone`.
        path: String,
        /// The zone given.
        zone: String,
    },
    /// The zone is neither an IANA name nor an offset.
    #[error(
        "{path}: `{}` is not an IANA time zone (`Europe/Rome`, `UTC`) or an offset (`+02:00`)",
        Quoted(.zone)
    )]
    UnknownZone {
        /// `time.zone`.
        path: String,
        /// The zone given.
        zone: String,
    },
    /// Interleaved cases are merged by time, so time must be the first sort key.
    #[error(
        "{path}: interleaved cases are replayed in time order, so the first key must be \"time\""
    )]
    TimeFirstRequired {
        /// `order.by`.
        path: String,
    },
    /// A window with contiguous cases would never be used.
    #[error(
        "{path}: a window applies to interleaved cases only; remove it or set `order.cases` to \"interleaved\""
    )]
    WindowUnused {
        /// `order.window`.
        path: String,
    },
    /// The window is negative.
    #[error("{path}: the window must not be negative")]
    NegativeWindow {
        /// `order.window`.
        path: String,
    },
    /// No column gives the state or activity.
    #[error("{path}: name at least one column that gives the state or the activity")]
    NoStateColumns {
        /// `states.columns`.
        path: String,
    },
    /// No value is mapped.
    #[error("{path}: map at least one value")]
    NoValues {
        /// `states.values`.
        path: String,
    },
    /// A target names a state the policy's workflow does not have.
    #[error("{path}: `{}` is not a state of workflow `{}`; it has: {}", Quoted(.state), Quoted(.workflow), quoted_list(.known))]
    UnknownState {
        /// Where.
        path: String,
        /// The name given.
        state: String,
        /// The workflow's name.
        workflow: String,
        /// Its states.
        known: Vec<String>,
    },
    /// A state of kind on hold without a hold reason.
    #[error("{path}: state `{}` is on hold, so give a hold reason (`\"reason\": \"awaiting_caller\"`); the policy allows: {}", Quoted(.state), quoted_list(.allowed))]
    MissingHoldReason {
        /// Where.
        path: String,
        /// The state.
        state: String,
        /// The policy's reasons.
        allowed: Vec<String>,
    },
    /// A hold reason on a state that is not on hold.
    #[error(
        "{path}: state `{}` is not on hold (its kind is `{kind}`), so it takes no hold reason",
        Quoted(.state)
    )]
    UnexpectedHoldReason {
        /// Where.
        path: String,
        /// The state.
        state: String,
        /// Its kind.
        kind: String,
    },
    /// A hold reason the policy does not list.
    #[error("{path}: hold reason `{}` is not in the policy; it allows: {}", Quoted(.reason), quoted_list(.allowed))]
    UnknownHoldReason {
        /// Where.
        path: String,
        /// The reason given.
        reason: String,
        /// The policy's reasons.
        allowed: Vec<String>,
    },
    /// An action the policy's workflow accepts in no state.
    #[error("{path}: workflow `{}` accepts `{command}` in no state{}", Quoted(.workflow), if *.command == "unassign" { " (its `unassign` option is off)" } else { "" })]
    ActionNotInWorkflow {
        /// Where.
        path: String,
        /// The command the action sends.
        command: String,
        /// The workflow's name.
        workflow: String,
    },
    /// An action whose arguments come from columns the mapping does not name.
    #[error("{path}: `{action}` reads {needs}, and the mapping names none of them")]
    ActionWithoutColumns {
        /// Where.
        path: String,
        /// The action.
        action: String,
        /// The fields it reads.
        needs: String,
    },
    /// A level the policy's matrix has no row or column for.
    #[error("{path}: {level} is not on the matrix's {scale} scale")]
    LevelOffScale {
        /// Where.
        path: String,
        /// The level.
        level: u8,
        /// `impact` or `urgency`.
        scale: &'static str,
    },
    /// Impact or urgency with neither a column nor a default: a report needs both.
    #[error("{path}: the incident's report needs this level: name a column or give a default")]
    MissingLevel {
        /// `levels.impact` or `levels.urgency`.
        path: String,
    },
    /// Labels for a level that is not read by label.
    #[error("{path}: labels are read only with `\"by\": \"label\"`")]
    LabelsUnused {
        /// `levels.<name>.labels`.
        path: String,
    },
    /// A level read by label without labels.
    #[error("{path}: `\"by\": \"label\"` needs labels (`{{\"High\": 1, \"Low\": 3}}`)")]
    NoLabels {
        /// `levels.<name>.labels`.
        path: String,
    },
    /// A level read from no column and with no default.
    #[error("{path}: a level needs a column or a default")]
    EmptyLevel {
        /// `levels.<name>`.
        path: String,
    },
    /// A default for the priority, which is compared with the matrix, never assumed.
    #[error(
        "{path}: the log's priority is compared with the policy's matrix, never assumed; remove the default"
    )]
    PriorityDefault {
        /// `levels.priority.default`.
        path: String,
    },
}

fn join_positions(list: &[usize]) -> String {
    list.iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every mistake of a mapping, in the order of the mapping file's sections.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the mapping has {} mistake(s):\n{}", .0.len(), list(.0))]
pub struct MappingErrors(pub Vec<MappingError>);

fn list(errors: &[MappingError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The JSON path of a key of a map, as the mapping file would write it:
/// `states.values["Awaiting X"]`. The key comes from the log or the mapping, so it is
/// escaped as JSON writes it and then quoted with [`Quoted`]: a path stays one short line
/// whatever the key (the value itself is kept whole in the error's fields).
pub(crate) fn key_path(map: &str, key: &str) -> String {
    let json = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
    format!("{map}[{}]", Quoted(&json))
}

/// How many names a message lists before it says how many more there are.
const LISTED: usize = 32;

/// Names from a mapping, a log's header or a policy, as a message lists them: each quoted
/// with [`Quoted`], at most [`LISTED`] of them, then how many more.
pub(crate) fn quoted_list(names: &[String]) -> String {
    let mut listed: Vec<String> = names
        .iter()
        .take(LISTED)
        .map(|n| Quoted(n).to_string())
        .collect();
    if names.len() > LISTED {
        listed.push(format!("… ({} more)", names.len() - LISTED));
    }
    listed.join(", ")
}

/// A column of the log: its name (for messages) and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Col {
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) index: usize,
}

/// The zone a format without an offset is read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

/// Why a time does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeProblem {
    /// It does not match the format.
    Format(String),
    /// The wall-clock time does not exist in the zone (skipped by daylight saving).
    Skipped(String),
}

/// How a time column is read.
#[derive(Debug, Clone)]
pub(crate) struct TimeReader {
    pub(crate) format: String,
    items: Vec<Item<'static>>,
    zone: Option<Zone>,
}

impl TimeReader {
    /// Reads a time, keeping its offset: the written one, or the zone's at that instant.
    /// An ambiguous wall-clock time (the hour repeated when daylight saving ends) is read as
    /// the earlier of the two instants.
    pub(crate) fn read(&self, value: &str) -> Result<DateTime<FixedOffset>, TimeProblem> {
        let mut parsed = Parsed::new();
        chrono::format::parse(&mut parsed, value, self.items.iter())
            .map_err(|e| TimeProblem::Format(e.to_string()))?;
        let Some(zone) = self.zone else {
            return parsed
                .to_datetime()
                .map_err(|e| TimeProblem::Format(e.to_string()));
        };
        let naive: NaiveDateTime = parsed
            .to_naive_datetime_with_offset(0)
            .map_err(|e| TimeProblem::Format(e.to_string()))?;
        let local = match zone {
            Zone::Fixed(offset) => offset.from_local_datetime(&naive).map(|t| t.fixed_offset()),
            Zone::Named(tz) => tz.from_local_datetime(&naive).map(|t| t.fixed_offset()),
        };
        match local {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t),
            LocalResult::None => Err(TimeProblem::Skipped(match zone {
                Zone::Fixed(offset) => offset.to_string(),
                Zone::Named(tz) => tz.name().to_owned(),
            })),
        }
    }
}

/// How a level column is read.
#[derive(Debug, Clone)]
pub(crate) struct LevelReader {
    pub(crate) path: String,
    pub(crate) column: Option<Col>,
    pub(crate) by: LevelReading,
    pub(crate) labels: HashMap<String, u8>,
    pub(crate) default: Option<u8>,
}

/// A compiled sort key.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    Time,
    Integer(Col),
    Text(Col),
}

/// A mapping checked against a header and a policy, with every column's position found:
/// what the row reader uses. Built by [`Mapping::compile`].
#[derive(Debug, Clone)]
pub struct Compiled {
    pub(crate) source: String,
    pub(crate) encoding: Encoding,
    pub(crate) missing: Vec<String>,
    pub(crate) trim: bool,
    pub(crate) case: Col,
    pub(crate) time: Col,
    pub(crate) time_reader: TimeReader,
    pub(crate) keys: Vec<Key>,
    pub(crate) layout: Layout,
    pub(crate) window: chrono::Duration,
    pub(crate) rows: RowKind,
    pub(crate) state_columns: Vec<Col>,
    pub(crate) separator: String,
    pub(crate) values: HashMap<String, Arc<Target>>,
    pub(crate) actor: Option<Col>,
    pub(crate) opened_at: Option<Col>,
    pub(crate) caller: Option<Col>,
    pub(crate) channel: Option<Col>,
    pub(crate) category: Option<Col>,
    pub(crate) configuration_item: Option<Col>,
    pub(crate) group: Option<Col>,
    pub(crate) person: Option<Col>,
    pub(crate) resolution_code: Option<Col>,
    pub(crate) impact: Option<LevelReader>,
    pub(crate) urgency: Option<LevelReader>,
    pub(crate) priority: Option<LevelReader>,
    pub(crate) channels: HashMap<String, Channel>,
    pub(crate) resolution_codes: HashMap<String, String>,
    pub(crate) reopens: Option<Col>,
    pub(crate) reassignments: Option<Col>,
}

impl Compiled {
    /// The mapping's source name.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The ordering rule in words, for reports: how cases are laid out and the sort keys.
    pub fn ordering(&self) -> String {
        let mut keys: Vec<String> = self
            .keys
            .iter()
            .map(|k| match k {
                Key::Time => "time".to_owned(),
                Key::Integer(c) => format!("`{}` (integer)", Quoted(&c.name)),
                Key::Text(c) => format!("`{}` (text)", Quoted(&c.name)),
            })
            .collect();
        keys.push("file order".to_owned());
        let within = keys.join(", then ");
        match self.layout {
            Layout::Contiguous => {
                format!("cases contiguous (a case's rows in one block); within a case by {within}")
            }
            Layout::Interleaved => format!(
                "cases interleaved, file sorted by time within a window of {}; within a case by {within}",
                itsm_core::duration::format(self.window)
            ),
        }
    }

    /// Whether the mapping names a column for the log's reopen counter.
    pub fn has_reopen_counter(&self) -> bool {
        self.reopens.is_some()
    }

    /// Whether the mapping names a column for the log's reassignment counter.
    pub fn has_reassignment_counter(&self) -> bool {
        self.reassignments.is_some()
    }

    /// Whether the mapping names a priority column.
    pub fn has_priority(&self) -> bool {
        self.priority.as_ref().is_some_and(|p| p.column.is_some())
    }

    /// The column names of the counters, for the report's definitions.
    pub(crate) fn counter_columns(&self) -> (Option<&str>, Option<&str>) {
        (
            self.reopens.as_ref().map(|c| c.name.as_str()),
            self.reassignments.as_ref().map(|c| c.name.as_str()),
        )
    }
}

/// Collects mistakes while the compiled mapping is built.
struct Checker<'a> {
    /// `None`: the header could not be read (the delimiter or quote is wrong), so columns
    /// are not looked up.
    header: Option<&'a [String]>,
    errors: Vec<MappingError>,
}

impl Checker<'_> {
    fn column(&mut self, path: &str, name: &str) -> Option<Col> {
        let Some(header) = self.header else {
            return Some(Col {
                path: path.to_owned(),
                name: name.to_owned(),
                index: 0,
            });
        };
        let found: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| *h == name)
            .map(|(i, _)| i)
            .collect();
        match found.as_slice() {
            [index] => Some(Col {
                path: path.to_owned(),
                name: name.to_owned(),
                index: *index,
            }),
            [] => {
                self.errors.push(MappingError::UnknownColumn {
                    path: path.to_owned(),
                    column: name.to_owned(),
                    header: header.to_vec(),
                });
                None
            }
            _ => {
                self.errors.push(MappingError::AmbiguousColumn {
                    path: path.to_owned(),
                    column: name.to_owned(),
                    positions: found.iter().map(|i| i + 1).collect(),
                });
                None
            }
        }
    }

    fn optional(&mut self, path: &str, name: Option<&String>) -> Option<Col> {
        name.and_then(|n| self.column(path, n))
    }

    fn character(&mut self, path: &str, c: char) -> bool {
        let ok = c.is_ascii() && c != '\n' && c != '\r';
        if !ok {
            self.errors.push(MappingError::InvalidCharacter {
                path: path.to_owned(),
                character: c,
            });
        }
        ok
    }

    fn time(&mut self, mapping: &Mapping) -> Option<TimeReader> {
        let format = &mapping.time.format;
        let items = match StrftimeItems::new(format).parse_to_owned() {
            Ok(items) => items,
            Err(e) => {
                self.errors.push(MappingError::InvalidTimeFormat {
                    path: "time.format".to_owned(),
                    format: format.clone(),
                    reason: e.to_string(),
                });
                return None;
            }
        };
        let has_offset = format.contains("%#z")
            || items.iter().any(|item| {
                matches!(
                    item,
                    Item::Fixed(
                        Fixed::TimezoneOffset
                            | Fixed::TimezoneOffsetColon
                            | Fixed::TimezoneOffsetDoubleColon
                            | Fixed::TimezoneOffsetTripleColon
                            | Fixed::TimezoneOffsetColonZ
                            | Fixed::TimezoneOffsetZ
                            | Fixed::RFC2822
                            | Fixed::RFC3339
                    ) | Item::Numeric(Numeric::Timestamp, _)
                )
            });
        let zone = match (&mapping.time.zone, has_offset) {
            (None, true) => None,
            (None, false) => {
                self.errors.push(MappingError::ZoneRequired {
                    path: "time.zone".to_owned(),
                    format: format.clone(),
                });
                return None;
            }
            (Some(zone), true) => {
                self.errors.push(MappingError::ZoneUnused {
                    path: "time.zone".to_owned(),
                    zone: zone.clone(),
                });
                return None;
            }
            (Some(zone), false) => match parse_zone(zone) {
                Some(z) => Some(z),
                None => {
                    self.errors.push(MappingError::UnknownZone {
                        path: "time.zone".to_owned(),
                        zone: zone.clone(),
                    });
                    return None;
                }
            },
        };
        Some(TimeReader {
            format: format.clone(),
            items,
            zone,
        })
    }

    fn level(&mut self, path: &str, level: &Level, policy: &Policy) -> LevelReader {
        let column = self.optional(&format!("{path}.column"), level.column.as_ref());
        match level.by {
            LevelReading::Label if level.labels.is_empty() => {
                self.errors.push(MappingError::NoLabels {
                    path: format!("{path}.labels"),
                });
            }
            LevelReading::Number | LevelReading::LeadingNumber if !level.labels.is_empty() => {
                self.errors.push(MappingError::LabelsUnused {
                    path: format!("{path}.labels"),
                });
            }
            _ => {}
        }
        if path == "levels.priority" && level.default.is_some() {
            self.errors.push(MappingError::PriorityDefault {
                path: format!("{path}.default"),
            });
        }
        if level.column.is_none() && level.default.is_none() {
            self.errors.push(MappingError::EmptyLevel {
                path: path.to_owned(),
            });
        }
        // Impact and urgency drive the matrix: their levels must be on its scales.
        let scale = match path {
            "levels.impact" => Some("impact"),
            "levels.urgency" => Some("urgency"),
            _ => None,
        };
        if let Some(scale) = scale {
            let on_scale = |l: u8| match scale {
                "impact" => policy.matrix.has_impact(itsm_core::Impact(l)),
                _ => policy.matrix.has_urgency(itsm_core::Urgency(l)),
            };
            for (label, &l) in &level.labels {
                if !on_scale(l) {
                    self.errors.push(MappingError::LevelOffScale {
                        path: key_path(&format!("{path}.labels"), label),
                        level: l,
                        scale,
                    });
                }
            }
            if let Some(l) = level.default.filter(|l| !on_scale(*l)) {
                self.errors.push(MappingError::LevelOffScale {
                    path: format!("{path}.default"),
                    level: l,
                    scale,
                });
            }
        }
        LevelReader {
            path: path.to_owned(),
            column,
            by: level.by,
            labels: level.labels.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            default: level.default,
        }
    }

    fn target(&mut self, path: &str, target: &Target, mapping: &Mapping, policy: &Policy) {
        let actions: &[Action] = match target {
            Target::State(state) => {
                let state_path = format!("{path}.state");
                match workflow::kind_of(policy, &state.state) {
                    None => self.errors.push(MappingError::UnknownState {
                        path: state_path,
                        state: state.state.clone(),
                        workflow: workflow::name(policy).to_owned(),
                        known: workflow::state_names(policy),
                    }),
                    Some(kind) => {
                        let on_hold = kind == itsm_incident::StatusKind::OnHold;
                        match (&state.reason, on_hold) {
                            (None, true) => self.errors.push(MappingError::MissingHoldReason {
                                path: format!("{path}.reason"),
                                state: state.state.clone(),
                                allowed: workflow::hold_reasons(policy),
                            }),
                            (Some(_), false) => {
                                self.errors.push(MappingError::UnexpectedHoldReason {
                                    path: format!("{path}.reason"),
                                    state: state.state.clone(),
                                    kind: kind.name().to_owned(),
                                });
                            }
                            (Some(reason), true) if !workflow::has_hold_reason(policy, reason) => {
                                self.errors.push(MappingError::UnknownHoldReason {
                                    path: format!("{path}.reason"),
                                    reason: reason.clone(),
                                    allowed: workflow::hold_reasons(policy),
                                });
                            }
                            _ => {}
                        }
                    }
                }
                &state.then
            }
            Target::Action(action) => std::slice::from_ref(action),
            Target::Ignore | Target::BadData => &[],
        };
        for (i, action) in actions.iter().enumerate() {
            let action_path = match target {
                Target::State(_) => format!("{path}.then[{i}]"),
                _ => format!("{path}.action"),
            };
            if let Some(command) = workflow::action_command_name(*action) {
                if !workflow::accepts_anywhere(policy, command) {
                    self.errors.push(MappingError::ActionNotInWorkflow {
                        path: action_path.clone(),
                        command: command.to_owned(),
                        workflow: workflow::name(policy).to_owned(),
                    });
                }
            }
            let (has, needs) = match action {
                Action::Assign | Action::Reassign => (
                    mapping.fields.group.is_some() || mapping.fields.person.is_some(),
                    "fields.group or fields.person",
                ),
                Action::Reprioritize => (
                    [&mapping.levels.impact, &mapping.levels.urgency]
                        .iter()
                        .any(|l| l.as_ref().is_some_and(|l| l.column.is_some())),
                    "a column of levels.impact or levels.urgency",
                ),
                _ => (true, ""),
            };
            if !has {
                self.errors.push(MappingError::ActionWithoutColumns {
                    path: action_path,
                    action: action.name().to_owned(),
                    needs: needs.to_owned(),
                });
            }
        }
    }
}

fn parse_zone(zone: &str) -> Option<Zone> {
    if let Ok(tz) = zone.parse::<chrono_tz::Tz>() {
        return Some(Zone::Named(tz));
    }
    let mut parsed = Parsed::new();
    let items = StrftimeItems::new("%:z");
    chrono::format::parse(&mut parsed, zone, items).ok()?;
    FixedOffset::east_opt(parsed.offset?).map(Zone::Fixed)
}

impl Mapping {
    /// Checks the mapping against a log's header (for a file without a header: `1`, `2`,
    /// ... up to the first row's width) and the policy the log will replay under, and finds
    /// every column's position.
    ///
    /// # Errors
    /// [`MappingErrors`] listing every mistake found, each with its path in the mapping:
    /// columns not in the header (or in it twice), a bad delimiter, quote, time format or
    /// zone, states and hold reasons the policy does not have, actions the policy's workflow
    /// never accepts or whose columns are not mapped, levels off the matrix's scales, an
    /// ordering that cannot be streamed.
    ///
    /// ```
    /// use itsm_examples::import::Mapping;
    ///
    /// let mapping: Mapping = serde_json::from_str(r#"{
    ///     "source": "demo",
    ///     "case": "id",
    ///     "time": {"column": "at", "format": "%Y-%m-%d %H:%M"},
    ///     "levels": {"impact": {"default": 2}, "urgency": {"default": 2}},
    ///     "states": {"columns": ["status"], "values": {
    ///         "Open": {"state": "in_progress"},
    ///         "Waiting": {"state": "on_hold"}
    ///     }}
    /// }"#)?;
    /// let header = ["id", "at", "state"].map(String::from);
    /// let err = mapping.compile(&header, &itsm_incident::Policy::servicenow()).unwrap_err();
    /// let paths: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
    /// assert!(paths[0].starts_with("time.zone: the format `%Y-%m-%d %H:%M` has no offset"));
    /// assert!(paths[1].starts_with("states.columns[0]: column `status` is not in the header"));
    /// assert!(paths[2].starts_with(r#"states.values["Waiting"].reason: state `on_hold` is on hold"#));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn compile(&self, header: &[String], policy: &Policy) -> Result<Compiled, MappingErrors> {
        self.check(Some(header), policy)
    }

    /// Whether the delimiter and quote can split a file: one ASCII character each, not a
    /// line end, not the same.
    pub(crate) fn splits(&self) -> bool {
        let ok = |c: char| c.is_ascii() && c != '\n' && c != '\r';
        ok(self.csv.delimiter)
            && self
                .csv
                .quote
                .is_none_or(|q| ok(q) && q != self.csv.delimiter)
    }

    /// [`compile`](Mapping::compile), or with `header` `None` every check but the columns'
    /// (for a file whose header cannot be split).
    pub(crate) fn check(
        &self,
        header: Option<&[String]>,
        policy: &Policy,
    ) -> Result<Compiled, MappingErrors> {
        let mut c = Checker {
            header,
            errors: Vec::new(),
        };
        let delimiter_ok = c.character("csv.delimiter", self.csv.delimiter);
        if let Some(quote) = self.csv.quote {
            if c.character("csv.quote", quote) && delimiter_ok && quote == self.csv.delimiter {
                c.errors.push(MappingError::DelimiterIsQuote {
                    path: "csv.quote".to_owned(),
                    character: quote,
                });
            }
        }
        let case = c.column("case", &self.case);
        let time = c.column("time.column", &self.time.column);
        let time_reader = c.time(self);

        let mut keys = Vec::new();
        for (i, key) in self.order.by.iter().enumerate() {
            match key {
                SortKey::Time => keys.push(Key::Time),
                SortKey::Integer(name) => {
                    if let Some(col) = c.column(&format!("order.by[{i}].integer"), name) {
                        keys.push(Key::Integer(col));
                    }
                }
                SortKey::Text(name) => {
                    if let Some(col) = c.column(&format!("order.by[{i}].text"), name) {
                        keys.push(Key::Text(col));
                    }
                }
            }
        }
        match self.order.cases {
            Layout::Interleaved if self.order.by.first() != Some(&SortKey::Time) => {
                c.errors.push(MappingError::TimeFirstRequired {
                    path: "order.by".to_owned(),
                });
            }
            Layout::Contiguous if self.order.window.is_some() => {
                c.errors.push(MappingError::WindowUnused {
                    path: "order.window".to_owned(),
                });
            }
            _ => {}
        }
        let window = self.order.window.unwrap_or_else(chrono::Duration::zero);
        if window < chrono::Duration::zero() {
            c.errors.push(MappingError::NegativeWindow {
                path: "order.window".to_owned(),
            });
        }

        if self.states.columns.is_empty() {
            c.errors.push(MappingError::NoStateColumns {
                path: "states.columns".to_owned(),
            });
        }
        let state_columns: Vec<Col> = self
            .states
            .columns
            .iter()
            .enumerate()
            .filter_map(|(i, name)| c.column(&format!("states.columns[{i}]"), name))
            .collect();
        if self.states.values.is_empty() {
            c.errors.push(MappingError::NoValues {
                path: "states.values".to_owned(),
            });
        }
        for (value, target) in &self.states.values {
            c.target(&key_path("states.values", value), target, self, policy);
        }

        let f = &self.fields;
        let actor = c.optional("fields.actor", f.actor.as_ref());
        let opened_at = c.optional("fields.opened_at", f.opened_at.as_ref());
        let caller = c.optional("fields.caller", f.caller.as_ref());
        let channel = c.optional("fields.channel", f.channel.as_ref());
        let category = c.optional("fields.category", f.category.as_ref());
        let configuration_item =
            c.optional("fields.configuration_item", f.configuration_item.as_ref());
        let group = c.optional("fields.group", f.group.as_ref());
        let person = c.optional("fields.person", f.person.as_ref());
        let resolution_code = c.optional("fields.resolution_code", f.resolution_code.as_ref());

        let mut level = |path: &str, level: Option<&Level>, required: bool| match level {
            Some(level) => Some(c.level(path, level, policy)),
            None => {
                if required {
                    c.errors.push(MappingError::MissingLevel {
                        path: path.to_owned(),
                    });
                }
                None
            }
        };
        let impact = level("levels.impact", self.levels.impact.as_ref(), true);
        let urgency = level("levels.urgency", self.levels.urgency.as_ref(), true);
        let priority = level("levels.priority", self.levels.priority.as_ref(), false);

        let reopens = c.optional("counters.reopens", self.counters.reopens.as_ref());
        let reassignments = c.optional(
            "counters.reassignments",
            self.counters.reassignments.as_ref(),
        );

        match (case, time, time_reader) {
            (Some(case), Some(time), Some(time_reader)) if c.errors.is_empty() => Ok(Compiled {
                source: self.source.clone(),
                encoding: self.csv.encoding,
                missing: self.missing.clone(),
                trim: self.trim,
                case,
                time,
                time_reader,
                keys,
                layout: self.order.cases,
                window,
                rows: self.rows,
                state_columns,
                separator: self.states.separator.clone(),
                values: self
                    .states
                    .values
                    .iter()
                    .map(|(k, v)| (k.clone(), Arc::new(v.clone())))
                    .collect(),
                actor,
                opened_at,
                caller,
                channel,
                category,
                configuration_item,
                group,
                person,
                resolution_code,
                impact,
                urgency,
                priority,
                channels: self
                    .channels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                resolution_codes: self
                    .resolution_codes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                reopens,
                reassignments,
            }),
            _ => Err(MappingErrors(c.errors)),
        }
    }
}
