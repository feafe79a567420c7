//! Impact, urgency and priority, and the priority matrix as validated data.
//!
//! A [`PriorityMatrix`] is built from a [`MatrixSpec`] (plain data, what a policy file holds)
//! through one checked constructor, [`PriorityMatrix::new`]; deserializing goes through the
//! same constructor, so a matrix that exists is always complete over its scales, monotone in
//! each axis and explicit about which end of each scale is the most severe.
//!
//! ```
//! use itsm_core::{Impact, PriorityMatrix, Urgency};
//!
//! let matrix = PriorityMatrix::servicenow();
//! let why = matrix.explain(Impact(2), Urgency(3))?;
//! assert_eq!(why.priority.value, 4);
//! assert_eq!(
//!     why.to_string(),
//!     "impact 2 (Medium) and urgency 3 (Low) give priority 4 (Low) by cell (impact 2, urgency 3) of matrix `servicenow`"
//! );
//! # Ok::<(), itsm_core::Error>(())
//! ```

use crate::error::{Axis, Error};

/// How widely a service is affected (a level of the matrix's impact scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Impact(pub u8);

/// How soon the business needs a resolution (a level of the matrix's urgency scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Urgency(pub u8);

/// The priority a matrix gives (a level of the matrix's priority scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Priority(pub u8);

macro_rules! level_display {
    ($($name:ident),*) => {$(
        impl std::fmt::Display for $name {
            /// The level's number (`2`); the matrix's scale gives its label.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }
    )*};
}
level_display!(Impact, Urgency, Priority);

/// Which end of a scale is the most severe.
///
/// ServiceNow and iTop number 1 as the most severe; GLPI numbers 5 as the most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Direction {
    /// The lowest number is the most severe (1 = Critical).
    LowerIsMoreSevere,
    /// The highest number is the most severe (5 = Very high).
    HigherIsMoreSevere,
}

/// One level of a scale: its number and its label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Level {
    /// The number stored on tickets.
    pub value: u8,
    /// What people read, for example `High`.
    pub label: String,
}

impl Level {
    /// A level with a number and a label.
    pub fn new(value: u8, label: impl Into<String>) -> Self {
        Level {
            value,
            label: label.into(),
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.value, self.label)
    }
}

/// An ordered scale of levels with an explicit direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Scale {
    /// Which end is the most severe.
    pub direction: Direction,
    /// The levels, in any order; numbers must be unique.
    pub levels: Vec<Level>,
}

impl Scale {
    /// A scale of levels `1..=labels.len()` with the given labels, in number order. Levels are
    /// `u8`: labels past the 255th are left out.
    pub fn numbered(direction: Direction, labels: &[&str]) -> Self {
        let levels = labels
            .iter()
            .zip(1u8..=u8::MAX)
            .map(|(label, value)| Level::new(value, *label))
            .collect();
        Scale { direction, levels }
    }

    fn values(&self) -> Vec<u8> {
        self.levels.iter().map(|l| l.value).collect()
    }
}

/// How a formula rounds a quotient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Rounding {
    /// Towards minus infinity.
    Floor,
    /// Towards plus infinity.
    Ceil,
    /// To the nearest integer, halves away from zero (GLPI's `round`).
    HalfAwayFromZero,
}

/// One cell of a priority table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Cell {
    /// The impact level.
    pub impact: u8,
    /// The urgency level.
    pub urgency: u8,
    /// The priority this pair gives.
    pub priority: u8,
}

/// How a matrix turns impact and urgency into priority.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Rule {
    /// An explicit cell for every (impact, urgency) pair.
    Table {
        /// The cells, in any order.
        cells: Vec<Cell>,
    },
    /// `priority = rounding((impact + urgency + offset) / divisor)`.
    Formula {
        /// Added to the sum before dividing.
        offset: i16,
        /// The divisor, at least 1.
        divisor: u8,
        /// How the quotient is rounded.
        rounding: Rounding,
    },
}

/// A priority matrix as plain data: what a policy file holds.
///
/// Turn it into a [`PriorityMatrix`] with [`PriorityMatrix::new`], which checks it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct MatrixSpec {
    /// A name that explanations quote, for example `servicenow`.
    pub name: String,
    /// The impact scale.
    pub impact: Scale,
    /// The urgency scale.
    pub urgency: Scale,
    /// The priority scale. It may hold levels the rule never gives (GLPI's manual `Major`).
    pub priority: Scale,
    /// How impact and urgency give priority.
    pub rule: Rule,
}

/// A checked priority matrix: complete, monotone, with a priority for every pair of levels.
///
/// Lookups are a bounds-checked index into a dense table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "MatrixSpec", into = "MatrixSpec"))]
pub struct PriorityMatrix {
    spec: MatrixSpec,
    /// Indexed by position of the impact level in `spec.impact.levels`, then urgency.
    table: Vec<u8>,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for PriorityMatrix {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PriorityMatrix".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        MatrixSpec::json_schema(generator)
    }
}

impl TryFrom<MatrixSpec> for PriorityMatrix {
    type Error = Error;

    fn try_from(spec: MatrixSpec) -> Result<Self, Error> {
        PriorityMatrix::new(spec)
    }
}

impl From<PriorityMatrix> for MatrixSpec {
    fn from(matrix: PriorityMatrix) -> Self {
        matrix.spec
    }
}

/// Why a matrix gave a priority: the levels, the result and the rule used.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PriorityExplanation {
    /// The matrix's name.
    pub matrix: String,
    /// The impact level with its label.
    pub impact: Level,
    /// The urgency level with its label.
    pub urgency: Level,
    /// The priority level with its label.
    pub priority: Level,
    /// Which rule gave the result.
    pub rule: RuleUsed,
}

crate::__tagged_enum! {
    #[tagged(tag = "kind", rename_all = "snake_case")]
    /// The rule behind a [`PriorityExplanation`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    // `Serialize` and `Deserialize` come from `__tagged_enum!`: an object whose first key is
    // the tag (as `Serialize` writes it) is read without buffering.
    pub enum RuleUsed {
        /// The table cell for this pair.
        Cell,
        /// The formula, with its parameters.
        Formula {
            /// Added to the sum before dividing.
            offset: i16,
            /// The divisor.
            divisor: u8,
            /// How the quotient was rounded.
            rounding: Rounding,
        },
    }
}

impl std::fmt::Display for PriorityExplanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "impact {} and urgency {} give priority {} by ",
            self.impact, self.urgency, self.priority
        )?;
        match self.rule {
            RuleUsed::Cell => write!(
                f,
                "cell (impact {}, urgency {})",
                self.impact.value, self.urgency.value
            )?,
            RuleUsed::Formula {
                offset,
                divisor,
                rounding,
            } => {
                let round = match rounding {
                    Rounding::Floor => "floor",
                    Rounding::Ceil => "ceil",
                    Rounding::HalfAwayFromZero => "round",
                };
                write!(f, "{round}((impact + urgency")?;
                if offset != 0 {
                    // `unsigned_abs`: `abs` overflows on `i16::MIN`, and explanations are public
                    // data that need not come from a valid matrix.
                    let sign = if offset < 0 { '-' } else { '+' };
                    write!(f, " {sign} {}", offset.unsigned_abs())?;
                }
                write!(f, ") / {divisor})")?;
            }
        }
        write!(f, " of matrix `{}`", self.matrix)
    }
}

fn check_scale(axis: Axis, scale: &Scale) -> Result<(), Error> {
    if scale.levels.is_empty() {
        return Err(Error::EmptyScale { axis });
    }
    let mut seen = std::collections::BTreeSet::new();
    for level in &scale.levels {
        if !seen.insert(level.value) {
            return Err(Error::DuplicateLevel {
                axis,
                value: level.value,
            });
        }
    }
    Ok(())
}

fn position(axis: Axis, scale: &Scale, value: u8) -> Result<usize, Error> {
    scale
        .levels
        .iter()
        .position(|l| l.value == value)
        .ok_or_else(|| Error::UnknownLevel {
            axis,
            value,
            allowed: scale.values(),
        })
}

/// Severity rank of a level: higher is more severe, comparable across directions.
fn severity(direction: Direction, value: u8) -> i32 {
    match direction {
        Direction::LowerIsMoreSevere => -i32::from(value),
        Direction::HigherIsMoreSevere => i32::from(value),
    }
}

fn divide(numerator: i32, divisor: i32, rounding: Rounding) -> i32 {
    // divisor >= 1 is checked by the caller.
    let q = numerator.div_euclid(divisor);
    let r = numerator.rem_euclid(divisor);
    match rounding {
        Rounding::Floor => q,
        Rounding::Ceil => {
            if r == 0 {
                q
            } else {
                q + 1
            }
        }
        Rounding::HalfAwayFromZero => {
            // Twice the remainder against the divisor decides; halves go away from zero.
            if 2 * r > divisor || (2 * r == divisor && numerator >= 0) {
                q + 1
            } else {
                q
            }
        }
    }
}

impl PriorityMatrix {
    /// Checks a spec and compiles it.
    ///
    /// # Errors
    /// - [`Error::EmptyScale`], [`Error::DuplicateLevel`]: a scale is empty or repeats a level;
    /// - [`Error::UnknownLevel`]: a cell names a level that is not on its scale;
    /// - [`Error::MissingCell`], [`Error::DuplicateCell`]: the table does not give every pair once;
    /// - [`Error::ZeroDivisor`], [`Error::FormulaOutOfScale`]: the formula cannot be evaluated
    ///   or gives a value off the priority scale;
    /// - [`Error::NotMonotone`]: a more severe impact or urgency gives a less severe priority.
    ///   The error names the cell.
    ///
    /// ```
    /// use itsm_core::{Cell, Direction, MatrixSpec, PriorityMatrix, Rule, Scale};
    ///
    /// let scale = Scale::numbered(Direction::LowerIsMoreSevere, &["High", "Low"]);
    /// let spec = MatrixSpec {
    ///     name: "tiny".into(),
    ///     impact: scale.clone(),
    ///     urgency: scale.clone(),
    ///     priority: scale,
    ///     rule: Rule::Table { cells: vec![Cell { impact: 1, urgency: 1, priority: 1 }] },
    /// };
    /// let err = PriorityMatrix::new(spec).unwrap_err();
    /// assert_eq!(err, itsm_core::Error::MissingCell { impact: 1, urgency: 2 });
    /// ```
    pub fn new(spec: MatrixSpec) -> Result<Self, Error> {
        check_scale(Axis::Impact, &spec.impact)?;
        check_scale(Axis::Urgency, &spec.urgency)?;
        check_scale(Axis::Priority, &spec.priority)?;
        let rows = spec.impact.levels.len();
        let cols = spec.urgency.levels.len();
        let mut table: Vec<Option<u8>> = vec![None; rows * cols];
        match &spec.rule {
            Rule::Table { cells } => {
                for cell in cells {
                    let i = position(Axis::Impact, &spec.impact, cell.impact)?;
                    let u = position(Axis::Urgency, &spec.urgency, cell.urgency)?;
                    position(Axis::Priority, &spec.priority, cell.priority)?;
                    let slot = table.get_mut(i * cols + u).ok_or(Error::MissingCell {
                        impact: cell.impact,
                        urgency: cell.urgency,
                    })?;
                    if slot.is_some() {
                        return Err(Error::DuplicateCell {
                            impact: cell.impact,
                            urgency: cell.urgency,
                        });
                    }
                    *slot = Some(cell.priority);
                }
            }
            Rule::Formula {
                offset,
                divisor,
                rounding,
            } => {
                if *divisor == 0 {
                    return Err(Error::ZeroDivisor);
                }
                for (i, impact) in spec.impact.levels.iter().enumerate() {
                    for (u, urgency) in spec.urgency.levels.iter().enumerate() {
                        let sum =
                            i32::from(impact.value) + i32::from(urgency.value) + i32::from(*offset);
                        let computed = divide(sum, i32::from(*divisor), *rounding);
                        let value = u8::try_from(computed)
                            .ok()
                            .filter(|v| spec.priority.levels.iter().any(|l| l.value == *v))
                            .ok_or_else(|| Error::FormulaOutOfScale {
                                impact: impact.value,
                                urgency: urgency.value,
                                computed,
                                allowed: spec.priority.values(),
                            })?;
                        if let Some(slot) = table.get_mut(i * cols + u) {
                            *slot = Some(value);
                        }
                    }
                }
            }
        }
        let mut dense = Vec::with_capacity(rows * cols);
        for (i, impact) in spec.impact.levels.iter().enumerate() {
            for (u, urgency) in spec.urgency.levels.iter().enumerate() {
                match table.get(i * cols + u).copied().flatten() {
                    Some(p) => dense.push(p),
                    None => {
                        return Err(Error::MissingCell {
                            impact: impact.value,
                            urgency: urgency.value,
                        });
                    }
                }
            }
        }
        let matrix = PriorityMatrix { spec, table: dense };
        matrix.check_monotone()?;
        Ok(matrix)
    }

    /// Checks each cell against its neighbours one step more severe on each axis: by
    /// transitivity that covers every pair, in O(cells) instead of O(cells x levels).
    fn check_monotone(&self) -> Result<(), Error> {
        let s = &self.spec;
        let pdir = s.priority.direction;
        let cols = s.urgency.levels.len();
        let by_severity = |scale: &Scale| {
            let mut order: Vec<usize> = (0..scale.levels.len()).collect();
            order.sort_by_key(|i| {
                scale
                    .levels
                    .get(*i)
                    .map_or(0, |l| severity(scale.direction, l.value))
            });
            order
        };
        // For each level, the level one step more severe on its scale, if any.
        let next_more = |scale: &Scale| {
            let order = by_severity(scale);
            let mut next = vec![None; scale.levels.len()];
            for pair in order.windows(2) {
                if let [less, more] = *pair {
                    if let Some(slot) = next.get_mut(less) {
                        *slot = Some(more);
                    }
                }
            }
            next
        };
        let (imp, urg) = (next_more(&s.impact), next_more(&s.urgency));
        let cell = |i: usize, u: usize| self.table.get(i * cols + u).copied().unwrap_or(0);
        let value = |scale: &Scale, i: usize| scale.levels.get(i).map_or(0, |l| l.value);
        for i in 0..s.impact.levels.len() {
            for u in 0..cols {
                let p = cell(i, u);
                let neighbours = [
                    (
                        Axis::Impact,
                        imp.get(i).copied().flatten().map(|m| (m, cell(m, u))),
                    ),
                    (
                        Axis::Urgency,
                        urg.get(u).copied().flatten().map(|m| (m, cell(i, m))),
                    ),
                ];
                for (axis, neighbour) in neighbours {
                    let Some((more, q)) = neighbour else { continue };
                    if severity(pdir, q) < severity(pdir, p) {
                        let more_severe = match axis {
                            Axis::Impact => value(&s.impact, more),
                            _ => value(&s.urgency, more),
                        };
                        return Err(Error::NotMonotone {
                            axis,
                            impact: value(&s.impact, i),
                            urgency: value(&s.urgency, u),
                            priority: p,
                            more_severe,
                            worse_priority: q,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn lookup(&self, impact: u8, urgency: u8) -> Result<u8, Error> {
        let i = position(Axis::Impact, &self.spec.impact, impact)?;
        let u = position(Axis::Urgency, &self.spec.urgency, urgency)?;
        let cols = self.spec.urgency.levels.len();
        self.table
            .get(i * cols + u)
            .copied()
            .ok_or(Error::MissingCell { impact, urgency })
    }

    /// The priority for an impact and an urgency.
    ///
    /// # Errors
    /// [`Error::UnknownLevel`] when a level is not on its scale.
    ///
    /// ```
    /// use itsm_core::{Impact, Priority, PriorityMatrix, Urgency};
    /// let m = PriorityMatrix::servicenow();
    /// assert_eq!(m.priority(Impact(1), Urgency(1))?, Priority(1));
    /// assert_eq!(m.priority(Impact(3), Urgency(3))?, Priority(5));
    /// assert!(m.priority(Impact(4), Urgency(1)).is_err());
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn priority(&self, impact: Impact, urgency: Urgency) -> Result<Priority, Error> {
        self.lookup(impact.0, urgency.0).map(Priority)
    }

    /// The priority with the reason: labels, and the cell or formula that gave it.
    ///
    /// # Errors
    /// [`Error::UnknownLevel`] when a level is not on its scale.
    ///
    /// ```
    /// use itsm_core::{Impact, PriorityMatrix, RuleUsed, Urgency};
    ///
    /// let why = PriorityMatrix::floor_average().explain(Impact(2), Urgency(5))?;
    /// assert_eq!(why.priority.value, 3);
    /// assert!(matches!(why.rule, RuleUsed::Formula { divisor: 2, .. }));
    /// assert_eq!(
    ///     why.to_string(),
    ///     "impact 2 (High) and urgency 5 (Very low) give priority 3 (Medium) by floor((impact + urgency) / 2) of matrix `floor-average`"
    /// );
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn explain(&self, impact: Impact, urgency: Urgency) -> Result<PriorityExplanation, Error> {
        let p = self.lookup(impact.0, urgency.0)?;
        let level = |axis: Axis, scale: &Scale, value: u8| -> Result<Level, Error> {
            let at = position(axis, scale, value)?;
            scale.levels.get(at).cloned().ok_or(Error::UnknownLevel {
                axis,
                value,
                allowed: scale.values(),
            })
        };
        let rule = match self.spec.rule {
            Rule::Table { .. } => RuleUsed::Cell,
            Rule::Formula {
                offset,
                divisor,
                rounding,
            } => RuleUsed::Formula {
                offset,
                divisor,
                rounding,
            },
        };
        Ok(PriorityExplanation {
            matrix: self.spec.name.clone(),
            impact: level(Axis::Impact, &self.spec.impact, impact.0)?,
            urgency: level(Axis::Urgency, &self.spec.urgency, urgency.0)?,
            priority: level(Axis::Priority, &self.spec.priority, p)?,
            rule,
        })
    }

    /// The matrix's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// The spec the matrix was built from.
    pub fn spec(&self) -> &MatrixSpec {
        &self.spec
    }

    /// Whether `impact` is on the impact scale.
    pub fn has_impact(&self, impact: Impact) -> bool {
        self.spec.impact.levels.iter().any(|l| l.value == impact.0)
    }

    /// Whether `urgency` is on the urgency scale.
    pub fn has_urgency(&self, urgency: Urgency) -> bool {
        self.spec
            .urgency
            .levels
            .iter()
            .any(|l| l.value == urgency.0)
    }

    /// ServiceNow's default 3x3 matrix: impact and urgency 1 High, 2 Medium, 3 Low; priority
    /// 1 Critical, 2 High, 3 Moderate, 4 Low, 5 Planning; a cell per pair (equivalently
    /// impact + urgency - 1), so (3, 3) gives 5 Planning.
    pub fn servicenow() -> Self {
        let three = Scale::numbered(Direction::LowerIsMoreSevere, &["High", "Medium", "Low"]);
        let priority = Scale::numbered(
            Direction::LowerIsMoreSevere,
            &["Critical", "High", "Moderate", "Low", "Planning"],
        );
        Self::preset(
            "servicenow",
            three.clone(),
            three,
            priority,
            &[[1, 2, 3], [2, 3, 4], [3, 4, 5]],
        )
    }

    /// iTop's matrix: impact 1 department, 2 service, 3 person; urgency 1 critical to 4 low;
    /// priority 1 critical to 4 low.
    pub fn itop() -> Self {
        let impact = Scale::numbered(
            Direction::LowerIsMoreSevere,
            &["A department", "A service", "A person"],
        );
        let four = Scale::numbered(
            Direction::LowerIsMoreSevere,
            &["Critical", "High", "Medium", "Low"],
        );
        Self::preset(
            "itop",
            impact,
            four.clone(),
            four,
            &[[1, 1, 2, 4], [1, 2, 3, 4], [2, 3, 3, 4]],
        )
    }

    /// GLPI's default 5x5 matrix, where 5 is the most severe on every scale. GLPI keys it by
    /// urgency first; the cells here are the same. Priority 6 (Major) is on the scale but is
    /// set by hand only: no cell gives it.
    pub fn glpi() -> Self {
        let five = Scale::numbered(
            Direction::HigherIsMoreSevere,
            &["Very low", "Low", "Medium", "High", "Very high"],
        );
        let priority = Scale::numbered(
            Direction::HigherIsMoreSevere,
            &["Very low", "Low", "Medium", "High", "Very high", "Major"],
        );
        // GLPI's rows are urgency 1..5, columns impact 1..5.
        let by_urgency: [[u8; 5]; 5] = [
            [1, 1, 2, 2, 2],
            [1, 2, 2, 3, 3],
            [2, 2, 3, 4, 4],
            [2, 3, 4, 4, 5],
            [2, 3, 4, 5, 5],
        ];
        let mut cells = Vec::with_capacity(25);
        for (urgency, row) in (1u8..).zip(by_urgency.iter()) {
            for (impact, priority) in (1u8..).zip(row.iter()) {
                cells.push(Cell {
                    impact,
                    urgency,
                    priority: *priority,
                });
            }
        }
        Self::from_preset(MatrixSpec {
            name: "glpi".into(),
            impact: five.clone(),
            urgency: five,
            priority,
            rule: Rule::Table { cells },
        })
    }

    /// The rule form `priority = floor((impact + urgency) / 2)` on 1..5 scales where 1 is the
    /// most severe, as another real tool computes it.
    pub fn floor_average() -> Self {
        let five = Scale::numbered(
            Direction::LowerIsMoreSevere,
            &["Critical", "High", "Medium", "Low", "Very low"],
        );
        Self::from_preset(MatrixSpec {
            name: "floor-average".into(),
            impact: five.clone(),
            urgency: five.clone(),
            priority: five,
            rule: Rule::Formula {
                offset: 0,
                divisor: 2,
                rounding: Rounding::Floor,
            },
        })
    }

    fn preset<const N: usize>(
        name: &str,
        impact: Scale,
        urgency: Scale,
        priority: Scale,
        rows: &[[u8; N]],
    ) -> Self {
        let mut cells = Vec::new();
        for (impact_value, row) in (1u8..).zip(rows.iter()) {
            for (urgency_value, p) in (1u8..).zip(row.iter()) {
                cells.push(Cell {
                    impact: impact_value,
                    urgency: urgency_value,
                    priority: *p,
                });
            }
        }
        Self::from_preset(MatrixSpec {
            name: name.into(),
            impact,
            urgency,
            priority,
            rule: Rule::Table { cells },
        })
    }

    fn from_preset(spec: MatrixSpec) -> Self {
        match PriorityMatrix::new(spec) {
            Ok(m) => m,
            // invariant: presets are constants checked by the tests in this module.
            Err(e) => unreachable!("preset matrix is invalid: {e}"), // invariant: presets are tested constants
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_match_the_documented_cells() {
        let sn = PriorityMatrix::servicenow();
        for i in 1..=3u8 {
            for u in 1..=3u8 {
                assert_eq!(sn.priority(Impact(i), Urgency(u)).unwrap().0, i + u - 1);
            }
        }
        let itop = PriorityMatrix::itop();
        assert_eq!(itop.priority(Impact(3), Urgency(1)).unwrap(), Priority(2));
        assert_eq!(itop.priority(Impact(1), Urgency(4)).unwrap(), Priority(4));
        let glpi = PriorityMatrix::glpi();
        assert_eq!(glpi.priority(Impact(5), Urgency(5)).unwrap(), Priority(5));
        assert_eq!(glpi.priority(Impact(1), Urgency(4)).unwrap(), Priority(2));
        assert_eq!(glpi.priority(Impact(4), Urgency(3)).unwrap(), Priority(4));
        let fa = PriorityMatrix::floor_average();
        assert_eq!(fa.priority(Impact(1), Urgency(2)).unwrap(), Priority(1));
        assert_eq!(fa.priority(Impact(4), Urgency(5)).unwrap(), Priority(4));
    }

    #[test]
    fn rounding() {
        assert_eq!(divide(7, 2, Rounding::Floor), 3);
        assert_eq!(divide(7, 2, Rounding::Ceil), 4);
        assert_eq!(divide(7, 2, Rounding::HalfAwayFromZero), 4);
        assert_eq!(divide(6, 4, Rounding::HalfAwayFromZero), 2);
        assert_eq!(divide(5, 4, Rounding::HalfAwayFromZero), 1);
        assert_eq!(divide(-3, 2, Rounding::Floor), -2);
        assert_eq!(divide(-3, 2, Rounding::HalfAwayFromZero), -2);
        assert_eq!(divide(-1, 4, Rounding::HalfAwayFromZero), 0);
    }
}
