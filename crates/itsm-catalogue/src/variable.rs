//! An item's variables as data: typed, required or not, with a default, validation rules and
//! a visibility condition; and the validation of an order's answers, returning every field
//! error at once.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::decimal::{Decimal, MAX_DIGITS};
use crate::error::FieldError;

/// An answer as an order gives it. In JSON a plain value: `true`, `16`, `12.5`, `"text"`,
/// `["a", "b"]`. Dates are text (`"2026-03-02"`), references are UUIDs as text. A whole
/// number and a decimal of the same value are equal in conditions (`12` and `12.0`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Value {
    /// A yes or no.
    Bool(bool),
    /// A whole number (quantities, sizes).
    Number(i64),
    /// A number with a fraction (`12.5`), exact; for decimal variables.
    Decimal(Decimal),
    /// Text, a choice, a date (`YYYY-MM-DD`) or a reference (a UUID).
    Text(String),
    /// The options of a multi-choice.
    List(Vec<String>),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Text(t) => write!(f, "\"{}\"", itsm_core::Quoted(t)),
            Value::List(items) => {
                let parts: Vec<String> = items
                    .iter()
                    .map(|t| format!("\"{}\"", itsm_core::Quoted(t)))
                    .collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

/// What a variable holds. In JSON `"text"`, `"number"`, `{"decimal": 2}`, `"date"`,
/// `"boolean"`, `{"choice": ["a", "b"]}`, `{"multi_choice": [...]}`,
/// `{"reference": "cmdb_ci"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum VariableKind {
    /// Free text.
    Text,
    /// One of the options.
    Choice(Vec<String>),
    /// Some of the options, each at most once.
    MultiChoice(Vec<String>),
    /// A whole number.
    Number,
    /// A decimal number with at most this many decimal places (2 for an amount of money):
    /// a whole number or a decimal answers it, one with more places is refused.
    Decimal(u8),
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    Boolean,
    /// A record of the named table (a user, a configuration item), by UUID.
    Reference(String),
}

impl VariableKind {
    fn name(&self) -> &'static str {
        match self {
            VariableKind::Text => "text",
            VariableKind::Choice(_) => "choice",
            VariableKind::MultiChoice(_) => "multi_choice",
            VariableKind::Number => "number",
            VariableKind::Decimal(_) => "decimal",
            VariableKind::Date => "date",
            VariableKind::Boolean => "boolean",
            VariableKind::Reference(_) => "reference",
        }
    }
}

/// The bound of a [`Rule::Min`] or [`Rule::Max`]: a whole number or a decimal. In JSON a
/// plain number (`8`, `0.5`); in Rust `8.into()` or a [`Decimal`]'s `into()`. Compared
/// exactly with numbers and decimals alike (a number variable with `min` 0.5 takes 1 and
/// up).
///
/// ```
/// use itsm_catalogue::{Bound, Decimal};
///
/// let half: Bound = "0.5".parse::<Decimal>()?.into();
/// assert_eq!(half.to_string(), "0.5");
/// assert_eq!(Bound::from(8).to_string(), "8");
/// # Ok::<(), itsm_catalogue::DecimalError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Bound {
    /// A whole number (any `i64`).
    Whole(i64),
    /// A decimal, exact (at most 15 digits).
    Decimal(Decimal),
}

impl From<i64> for Bound {
    fn from(n: i64) -> Self {
        Bound::Whole(n)
    }
}

impl From<Decimal> for Bound {
    fn from(d: Decimal) -> Self {
        Bound::Decimal(d)
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Whole(n) => write!(f, "{n}"),
            Bound::Decimal(d) => write!(f, "{d}"),
        }
    }
}

impl Bound {
    /// How the whole number `v` compares with the bound.
    fn against_whole(self, v: i64) -> std::cmp::Ordering {
        match self {
            Bound::Whole(m) => v.cmp(&m),
            Bound::Decimal(m) => m.cmp_whole(v).reverse(),
        }
    }

    /// How the decimal `v` compares with the bound.
    fn against_decimal(self, v: &Decimal) -> std::cmp::Ordering {
        match self {
            Bound::Whole(m) => v.cmp_whole(m),
            Bound::Decimal(m) => v.cmp(&m),
        }
    }
}

/// A validation rule on a variable's value. In JSON an object with one key:
/// `{"max_length": 200}`, `{"min": 8}`, `{"min": 0.5}`, `{"not_before": "2026-01-01"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Rule {
    /// Text: at least this many characters.
    MinLength(usize),
    /// Text: at most this many characters.
    MaxLength(usize),
    /// Number or decimal: at least this (whole or decimal).
    Min(Bound),
    /// Number or decimal: at most this (whole or decimal).
    Max(Bound),
    /// Multi-choice: at least this many options.
    MinItems(usize),
    /// Multi-choice: at most this many options.
    MaxItems(usize),
    /// Date: not before this day.
    NotBefore(NaiveDate),
    /// Date: not after this day.
    NotAfter(NaiveDate),
}

impl Rule {
    /// The rule's name, as in JSON and [`FieldError::rule`].
    pub fn name(&self) -> &'static str {
        match self {
            Rule::MinLength(_) => "min_length",
            Rule::MaxLength(_) => "max_length",
            Rule::Min(_) => "min",
            Rule::Max(_) => "max",
            Rule::MinItems(_) => "min_items",
            Rule::MaxItems(_) => "max_items",
            Rule::NotBefore(_) => "not_before",
            Rule::NotAfter(_) => "not_after",
        }
    }

    /// The kind of variable the rule applies to.
    fn fits(&self, kind: &VariableKind) -> bool {
        matches!(
            (self, kind),
            (Rule::MinLength(_) | Rule::MaxLength(_), VariableKind::Text)
                | (
                    Rule::Min(_) | Rule::Max(_),
                    VariableKind::Number | VariableKind::Decimal(_)
                )
                | (
                    Rule::MinItems(_) | Rule::MaxItems(_),
                    VariableKind::MultiChoice(_)
                )
                | (Rule::NotBefore(_) | Rule::NotAfter(_), VariableKind::Date)
        )
    }

    /// Why `value` breaks the rule, or `None`.
    fn broken_by(&self, value: &Typed) -> Option<String> {
        match (self, value) {
            (Rule::MinLength(n), Typed::Text(t)) if t.chars().count() < *n => Some(format!(
                "{} characters; at least {n} allowed",
                t.chars().count()
            )),
            (Rule::MaxLength(n), Typed::Text(t)) if t.chars().count() > *n => Some(format!(
                "{} characters; at most {n} allowed",
                t.chars().count()
            )),
            (Rule::Min(m), Typed::Number(v)) if m.against_whole(*v).is_lt() => {
                Some(format!("{v} is less than {m}"))
            }
            (Rule::Max(m), Typed::Number(v)) if m.against_whole(*v).is_gt() => {
                Some(format!("{v} is more than {m}"))
            }
            (Rule::Min(m), Typed::Decimal(v)) if m.against_decimal(v).is_lt() => {
                Some(format!("{v} is less than {m}"))
            }
            (Rule::Max(m), Typed::Decimal(v)) if m.against_decimal(v).is_gt() => {
                Some(format!("{v} is more than {m}"))
            }
            (Rule::MinItems(n), Typed::List(l)) if l.len() < *n => {
                Some(format!("{} chosen; at least {n} allowed", l.len()))
            }
            (Rule::MaxItems(n), Typed::List(l)) if l.len() > *n => {
                Some(format!("{} chosen; at most {n} allowed", l.len()))
            }
            (Rule::NotBefore(d), Typed::Date(v)) if v < d => Some(format!("{v} is before {d}")),
            (Rule::NotAfter(d), Typed::Date(v)) if v > d => Some(format!("{v} is after {d}")),
            _ => None,
        }
    }
}

/// When a variable is shown (and so asked and validated), over the answers of the variables
/// declared before it. In JSON: `{"equals": {"variable": "os", "value": "linux"}}`,
/// `{"is_set": "manager"}`, `{"contains": {"variable": "extras", "option": "dock"}}`,
/// `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Condition {
    /// The variable's value equals `value`.
    Equals {
        /// The variable.
        variable: String,
        /// The value.
        value: Value,
    },
    /// The variable has a value (given or default, and shown).
    IsSet(String),
    /// The multi-choice variable's value contains `option`.
    Contains {
        /// The variable.
        variable: String,
        /// The option.
        option: String,
    },
    /// Every condition holds.
    All(Vec<Condition>),
    /// Some condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

/// Dropping a condition takes its nested conditions apart one at a time, so a condition
/// nested a million deep (built in code and refused when loaded) is dropped without one
/// call per level on the stack.
impl Drop for Condition {
    fn drop(&mut self) {
        itsm_core::nested::drop_nested(self);
    }
}

impl itsm_core::nested::Nested for Condition {
    fn take_nested(&mut self, out: &mut Vec<Self>) {
        match self {
            Condition::All(list) | Condition::Any(list) => out.append(list),
            Condition::Not(inner) => {
                out.push(std::mem::replace(&mut **inner, Condition::All(Vec::new())))
            }
            _ => {}
        }
    }
}

/// The deepest nesting of conditions a catalogue may hold (checked when loaded, so that
/// evaluation's recursion is bounded).
pub const MAX_CONDITION_DEPTH: usize = 16;

impl Condition {
    fn holds(&self, values: &BTreeMap<String, Value>) -> bool {
        match self {
            Condition::Equals { variable, value } => {
                values.get(variable).is_some_and(|v| same(v, value))
            }
            Condition::IsSet(variable) => values.contains_key(variable),
            Condition::Contains { variable, option } => {
                matches!(values.get(variable), Some(Value::List(l)) if l.contains(option))
            }
            Condition::All(all) => all.iter().all(|c| c.holds(values)),
            Condition::Any(any) => any.iter().any(|c| c.holds(values)),
            Condition::Not(c) => !c.holds(values),
        }
    }

    /// Every variable named, and the nesting depth (1 for a leaf), without recursion past
    /// `MAX_CONDITION_DEPTH + 1`.
    pub(crate) fn names(&self) -> (Vec<&str>, usize) {
        let mut out = Vec::new();
        let mut depth = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((c, d)) = stack.pop() {
            depth = depth.max(d);
            match c {
                Condition::Equals { variable, .. }
                | Condition::IsSet(variable)
                | Condition::Contains { variable, .. } => out.push(variable.as_str()),
                Condition::All(list) | Condition::Any(list) => {
                    stack.extend(list.iter().map(|c| (c, d + 1)));
                }
                Condition::Not(c) => stack.push((c, d + 1)),
            }
        }
        (out, depth)
    }
}

/// A variable of a catalogue item: what the order form asks.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`Variable::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Variable {
    /// The name answers use (`ram`), unique in the item.
    pub name: String,
    /// What the form shows. Absent in JSON: empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub label: String,
    /// What it holds.
    pub kind: VariableKind,
    /// Whether a shown variable must have a value (given or default). Absent in JSON: no.
    #[cfg_attr(feature = "serde", serde(default))]
    pub required: bool,
    /// The value when the order gives none. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub default: Option<Value>,
    /// Rules the value must keep, all checked. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rules: Vec<Rule>,
    /// When it is shown, over earlier variables; a hidden variable is neither required nor
    /// validated, and a value given for it is dropped. Absent in JSON: always shown.
    #[cfg_attr(feature = "serde", serde(default))]
    pub visible_when: Option<Condition>,
}

impl Variable {
    /// An optional variable without default, rules or condition.
    pub fn new(name: impl Into<String>, kind: VariableKind) -> Self {
        Variable {
            name: name.into(),
            label: String::new(),
            kind,
            required: false,
            default: None,
            rules: Vec::new(),
            visible_when: None,
        }
    }

    /// Every problem of the variable's definition, given the names declared before it.
    pub(crate) fn problems(&self, earlier: &std::collections::BTreeSet<&str>) -> Vec<String> {
        let mut out = Vec::new();
        let name = &self.name;
        if name.trim().is_empty() {
            out.push("a variable has an empty name".to_owned());
        }
        if let VariableKind::Decimal(places) = self.kind {
            if u32::from(places) > MAX_DIGITS {
                out.push(format!(
                    "variable `{name}` allows {places} decimal places; at most {MAX_DIGITS}"
                ));
            }
        }
        if let VariableKind::Choice(options) | VariableKind::MultiChoice(options) = &self.kind {
            if options.is_empty() {
                out.push(format!("variable `{name}` has no options"));
            }
            let mut seen = std::collections::BTreeSet::new();
            for o in options {
                if !seen.insert(o) {
                    out.push(format!("variable `{name}` lists option `{o}` twice"));
                }
            }
        }
        for rule in &self.rules {
            if !rule.fits(&self.kind) {
                out.push(format!(
                    "variable `{name}`: rule `{}` does not apply to a {} variable",
                    rule.name(),
                    self.kind.name()
                ));
            }
        }
        if let Some(default) = &self.default {
            match typed(&self.kind, default) {
                Err(why) => out.push(format!("variable `{name}`: the default {why}")),
                Ok(t) => {
                    for rule in &self.rules {
                        if let Some(why) = rule.broken_by(&t) {
                            out.push(format!(
                                "variable `{name}`: the default breaks rule `{}`: {why}",
                                rule.name()
                            ));
                        }
                    }
                }
            }
        }
        if let Some(condition) = &self.visible_when {
            let (names, depth) = condition.names();
            if depth > MAX_CONDITION_DEPTH {
                out.push(format!(
                    "variable `{name}`: its condition nests {depth} deep; at most {MAX_CONDITION_DEPTH} allowed"
                ));
            }
            for n in names {
                if !earlier.contains(&n) {
                    out.push(format!(
                        "variable `{name}`: its condition names `{n}`, which is not a variable declared before it"
                    ));
                }
            }
        }
        out
    }
}

/// Whether two values are equal, a whole number and a decimal compared by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(n), Value::Decimal(d)) | (Value::Decimal(d), Value::Number(n)) => *d == *n,
        _ => a == b,
    }
}

/// A value checked against its kind.
enum Typed<'a> {
    Text(&'a str),
    Number(i64),
    Decimal(Decimal),
    Date(NaiveDate),
    List(&'a [String]),
    Other,
}

/// The value read as the kind says, or why it cannot be.
fn typed<'a>(kind: &VariableKind, value: &'a Value) -> Result<Typed<'a>, String> {
    let wrong = || format!("{value} is not a {} value", kind.name());
    match (kind, value) {
        (VariableKind::Text, Value::Text(t)) => Ok(Typed::Text(t)),
        (VariableKind::Number, Value::Number(n)) => Ok(Typed::Number(*n)),
        (VariableKind::Number, Value::Decimal(_)) => {
            Err(format!("{value} is not a whole number; a number variable holds whole numbers"))
        }
        (VariableKind::Decimal(_), Value::Number(n)) => Decimal::whole(*n)
            .map(Typed::Decimal)
            .ok_or_else(|| format!("{value} has more than {MAX_DIGITS} digits; a decimal holds at most {MAX_DIGITS}")),
        (VariableKind::Decimal(places), Value::Decimal(d)) => {
            if d.places() > *places {
                Err(format!(
                    "{value} has {} decimal places; at most {places} allowed",
                    d.places()
                ))
            } else {
                Ok(Typed::Decimal(*d))
            }
        }
        (VariableKind::Boolean, Value::Bool(_)) => Ok(Typed::Other),
        (VariableKind::Date, Value::Text(t)) => t
            .parse::<NaiveDate>()
            .map(Typed::Date)
            .map_err(|_| format!("{value} is not a date; write YYYY-MM-DD")),
        (VariableKind::Reference(table), Value::Text(t)) => t
            .parse::<uuid::Uuid>()
            .map(|_| Typed::Other)
            .map_err(|_| format!("{value} is not a reference to `{table}`; write a UUID")),
        (VariableKind::Choice(options), Value::Text(t)) => {
            if options.contains(t) {
                Ok(Typed::Other)
            } else {
                Err(format!(
                    "{value} is not an option; allowed: {}",
                    crate::error::names(options)
                ))
            }
        }
        (VariableKind::MultiChoice(options), Value::List(list)) => {
            let offered: std::collections::BTreeSet<&String> = options.iter().collect();
            if let Some(bad) = list.iter().find(|o| !offered.contains(o)) {
                return Err(format!(
                    "`{}` is not an option; allowed: {}",
                    itsm_core::Quoted(bad),
                    crate::error::names(options)
                ));
            }
            let mut seen = std::collections::BTreeSet::new();
            if let Some(twice) = list.iter().find(|o| !seen.insert(*o)) {
                return Err(format!(
                    "`{}` is chosen twice; each option at most once",
                    itsm_core::Quoted(twice)
                ));
            }
            Ok(Typed::List(list))
        }
        _ => Err(wrong()),
    }
}

/// Validates one order line's answers against the item's variables, in declaration order:
/// a hidden variable is skipped (and its answer dropped), a missing value takes the default,
/// a required variable without a value, a value of the wrong kind, an option not offered, a
/// broken rule and an answer naming no variable are each one [`FieldError`]. Returns the
/// answers kept (defaults filled in) or every error.
pub(crate) fn validate(
    line: usize,
    variables: &[Variable],
    answers: &BTreeMap<String, Value>,
) -> Result<BTreeMap<String, Value>, Vec<FieldError>> {
    let mut kept = BTreeMap::new();
    let mut errors = Vec::new();
    let declared: std::collections::BTreeSet<&str> =
        variables.iter().map(|v| v.name.as_str()).collect();
    let mut allowed: Option<String> = None;
    for name in answers.keys() {
        if !declared.contains(name.as_str()) {
            let allowed = allowed.get_or_insert_with(|| {
                let names: Vec<&str> = variables.iter().map(|v| v.name.as_str()).collect();
                crate::error::names(&names)
            });
            errors.push(FieldError::new(
                line,
                name.clone(),
                "unknown",
                format!("the item has no such variable; allowed: {allowed}"),
            ));
        }
    }
    for variable in variables {
        let shown = variable
            .visible_when
            .as_ref()
            .is_none_or(|c| c.holds(&kept));
        if !shown {
            continue;
        }
        let Some(value) = answers.get(&variable.name).or(variable.default.as_ref()) else {
            if variable.required {
                errors.push(FieldError::new(
                    line,
                    variable.name.clone(),
                    "required",
                    "a value is required",
                ));
            }
            continue;
        };
        let rule = match &variable.kind {
            VariableKind::Choice(_) | VariableKind::MultiChoice(_) => "choice",
            _ => "type",
        };
        let t = match typed(&variable.kind, value) {
            Ok(t) => t,
            Err(why) => {
                let rule = if matches!(
                    (&variable.kind, value),
                    (VariableKind::Choice(_), Value::Text(_))
                        | (VariableKind::MultiChoice(_), Value::List(_))
                ) {
                    rule
                } else {
                    "type"
                };
                errors.push(FieldError::new(line, variable.name.clone(), rule, why));
                continue;
            }
        };
        let mut ok = true;
        for r in &variable.rules {
            if let Some(why) = r.broken_by(&t) {
                ok = false;
                errors.push(FieldError::new(line, variable.name.clone(), r.name(), why));
            }
        }
        if ok {
            kept.insert(variable.name.clone(), value.clone());
        }
    }
    if errors.is_empty() {
        Ok(kept)
    } else {
        Err(errors)
    }
}
