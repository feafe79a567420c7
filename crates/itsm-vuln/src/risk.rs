//! What a scanner reports about a vulnerable item, and the rules that turn it into a risk
//! score, a risk rating and a remediation target.

use crate::error::Error;

pub(crate) use itsm_core::named_enum as named;

named! {
    /// The vulnerability's normalised severity, as the scanner or the vulnerability library
    /// reports it.
    Severity {
        /// Critical.
        Critical => "critical",
        /// High.
        High => "high",
        /// Medium.
        Medium => "medium",
        /// Low.
        Low => "low",
        /// None (informational).
        None => "none",
        /// Not known (ServiceNow's severity calculator scores it 100).
        Unknown => "unknown",
    }
}

named! {
    /// How critical the affected configuration item is to the business.
    Criticality {
        /// Most critical.
        Critical => "critical",
        /// High.
        High => "high",
        /// Medium.
        Medium => "medium",
        /// Low.
        Low => "low",
        /// None given.
        None => "none",
    }
}

named! {
    /// The risk rating a risk score falls in (ServiceNow's `vr_risk_rating`, 1 to 5).
    Rating {
        /// 1 - Critical.
        Critical => "critical",
        /// 2 - High.
        High => "high",
        /// 3 - Medium.
        Medium => "medium",
        /// 4 - Low.
        Low => "low",
        /// 5 - None.
        None => "none",
    }
}

impl Rating {
    /// How severe, higher is worse (none 0 to critical 4), to tell an increase from a
    /// decrease.
    pub fn rank(self) -> u8 {
        match self {
            Rating::Critical => 4,
            Rating::High => 3,
            Rating::Medium => 2,
            Rating::Low => 1,
            Rating::None => 0,
        }
    }
}

/// What is known about one vulnerability on one configuration item: the inputs of the
/// calculators and of the remediation target rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Facts {
    /// The vulnerability's severity.
    pub severity: Severity,
    /// A known exploit exists (for example, listed in CISA's KEV catalogue).
    pub exploit: bool,
    /// The configuration item's business criticality.
    pub criticality: Criticality,
    /// The configuration item faces the internet.
    pub internet_facing: bool,
    /// The EPSS probability in thousandths (0 to 1000), when known.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub epss: Option<u16>,
}

impl Facts {
    /// Facts with a severity only: no known exploit, criticality none, internal, no EPSS.
    pub const fn new(severity: Severity) -> Self {
        Facts {
            severity,
            exploit: false,
            criticality: Criticality::None,
            internet_facing: false,
            epss: None,
        }
    }

    /// With a known exploit.
    pub const fn exploited(mut self) -> Self {
        self.exploit = true;
        self
    }

    /// With this criticality.
    pub const fn criticality(mut self, criticality: Criticality) -> Self {
        self.criticality = criticality;
        self
    }

    /// Facing the internet.
    pub const fn internet_facing(mut self) -> Self {
        self.internet_facing = true;
        self
    }

    /// With an EPSS probability in thousandths.
    pub const fn epss(mut self, thousandths: u16) -> Self {
        self.epss = Some(thousandths);
        self
    }
}

/// When a calculator rule or a remediation target rule applies. Every field given must
/// match; an empty condition matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Condition {
    /// The severity is one of these (empty: any).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub severity: Vec<Severity>,
    /// The criticality is one of these (empty: any).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub criticality: Vec<Criticality>,
    /// The risk rating is one of these (empty: any; remediation target rules only).
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub rating: Vec<Rating>,
    /// A known exploit exists, or not.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub exploit: Option<bool>,
    /// The item faces the internet, or not.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub internet_facing: Option<bool>,
    /// The EPSS probability is known and at least this many thousandths.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub min_epss: Option<u16>,
}

impl Condition {
    /// Matches everything.
    pub fn any() -> Self {
        Condition::default()
    }

    /// Only these severities.
    pub fn severity(mut self, severity: impl IntoIterator<Item = Severity>) -> Self {
        self.severity = severity.into_iter().collect();
        self
    }

    /// Only these criticalities.
    pub fn criticality(mut self, criticality: impl IntoIterator<Item = Criticality>) -> Self {
        self.criticality = criticality.into_iter().collect();
        self
    }

    /// Only these ratings.
    pub fn rating(mut self, rating: impl IntoIterator<Item = Rating>) -> Self {
        self.rating = rating.into_iter().collect();
        self
    }

    /// Only with (or without) a known exploit.
    pub fn exploit(mut self, exploit: bool) -> Self {
        self.exploit = Some(exploit);
        self
    }

    /// Only internet-facing (or internal) items.
    pub fn internet_facing(mut self, facing: bool) -> Self {
        self.internet_facing = Some(facing);
        self
    }

    /// Only with an EPSS probability of at least this many thousandths.
    pub fn min_epss(mut self, thousandths: u16) -> Self {
        self.min_epss = Some(thousandths);
        self
    }

    /// Whether the facts (and the rating, for target rules) match.
    pub fn matches(&self, facts: &Facts, rating: Rating) -> bool {
        (self.severity.is_empty() || self.severity.contains(&facts.severity))
            && (self.criticality.is_empty() || self.criticality.contains(&facts.criticality))
            && (self.rating.is_empty() || self.rating.contains(&rating))
            && self.exploit.is_none_or(|e| e == facts.exploit)
            && self
                .internet_facing
                .is_none_or(|f| f == facts.internet_facing)
            && self
                .min_epss
                .is_none_or(|m| facts.epss.is_some_and(|e| e >= m))
    }
}

/// Points (0 to 100) per level of one factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Levels {
    /// Critical.
    pub critical: u8,
    /// High.
    pub high: u8,
    /// Medium.
    pub medium: u8,
    /// Low.
    pub low: u8,
    /// None.
    pub none: u8,
}

impl Levels {
    /// Points per level, critical first.
    pub const fn new(critical: u8, high: u8, medium: u8, low: u8, none: u8) -> Self {
        Levels {
            critical,
            high,
            medium,
            low,
            none,
        }
    }

    fn all(&self) -> [u8; 5] {
        [self.critical, self.high, self.medium, self.low, self.none]
    }
}

/// A weighted risk rule (ServiceNow's *Risk Rule*): each factor's points (0 to 100) times
/// its weight (percent); the weights add up to at most 100, so the score stays within 0 to
/// 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Weights {
    /// Weight of the severity, percent.
    pub severity: u8,
    /// Points per severity (unknown counts as critical).
    pub severity_points: Levels,
    /// Weight of the criticality, percent.
    pub criticality: u8,
    /// Points per criticality.
    pub criticality_points: Levels,
    /// Weight of a known exploit, percent (100 points with one, 0 without).
    pub exploit: u8,
    /// Weight of internet exposure, percent (100 points when facing the internet).
    pub exposure: u8,
    /// Weight of the EPSS probability, percent (its thousandths divided by 10 as points;
    /// none known scores 0).
    pub epss: u8,
}

impl Weights {
    /// A rule weighing the severity only; add other factors with the builders.
    pub const fn new(severity: u8, severity_points: Levels) -> Self {
        Weights {
            severity,
            severity_points,
            criticality: 0,
            criticality_points: Levels::new(0, 0, 0, 0, 0),
            exploit: 0,
            exposure: 0,
            epss: 0,
        }
    }

    /// Weighs the criticality too.
    pub const fn criticality(mut self, weight: u8, points: Levels) -> Self {
        self.criticality = weight;
        self.criticality_points = points;
        self
    }

    /// Weighs a known exploit too.
    pub const fn exploit(mut self, weight: u8) -> Self {
        self.exploit = weight;
        self
    }

    /// Weighs internet exposure too.
    pub const fn exposure(mut self, weight: u8) -> Self {
        self.exposure = weight;
        self
    }

    /// Weighs the EPSS probability too.
    pub const fn epss(mut self, weight: u8) -> Self {
        self.epss = weight;
        self
    }

    /// The score of these facts: the sum of points times weight over 100, rounded half up.
    pub fn score(&self, facts: &Facts) -> u8 {
        let severity = match facts.severity {
            Severity::Critical | Severity::Unknown => self.severity_points.critical,
            Severity::High => self.severity_points.high,
            Severity::Medium => self.severity_points.medium,
            Severity::Low => self.severity_points.low,
            Severity::None => self.severity_points.none,
        };
        let criticality = match facts.criticality {
            Criticality::Critical => self.criticality_points.critical,
            Criticality::High => self.criticality_points.high,
            Criticality::Medium => self.criticality_points.medium,
            Criticality::Low => self.criticality_points.low,
            Criticality::None => self.criticality_points.none,
        };
        let exploit = if facts.exploit { 100 } else { 0 };
        let exposure = if facts.internet_facing { 100 } else { 0 };
        let epss = u32::from(facts.epss.unwrap_or(0).min(1000)) / 10;
        let sum = u32::from(severity) * u32::from(self.severity)
            + u32::from(criticality) * u32::from(self.criticality)
            + exploit * u32::from(self.exploit)
            + exposure * u32::from(self.exposure)
            + epss * u32::from(self.epss);
        u8::try_from(((sum + 50) / 100).min(100)).unwrap_or(100)
    }

    fn total(&self) -> u32 {
        [
            self.severity,
            self.criticality,
            self.exploit,
            self.exposure,
            self.epss,
        ]
        .iter()
        .map(|&w| u32::from(w))
        .sum()
    }
}

/// How a calculator rule scores the facts it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "snake_case", deny_unknown_fields)
)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Score {
    /// A fixed score, 0 to 100 (ServiceNow's *Vulnerability Severity* calculator rules).
    Fixed(u8),
    /// A weighted sum of factors (ServiceNow's *Risk Rule*).
    Weighted(Weights),
}

/// One calculator rule: the first rule, in order, whose condition matches scores the item.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CalculatorRule {
    /// Its name (quoted in the item's risk, so a reader sees why).
    pub name: String,
    /// When it applies.
    #[cfg_attr(feature = "serde", serde(default))]
    pub when: Condition,
    /// The score it gives.
    pub score: Score,
}

impl CalculatorRule {
    /// A rule.
    pub fn new(name: impl Into<String>, when: Condition, score: Score) -> Self {
        CalculatorRule {
            name: name.into(),
            when,
            score,
        }
    }
}

/// The bounds of the risk ratings: a score at or above a bound has that rating (checked
/// descending; below `low` is none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct RatingScale {
    /// The lowest critical score (ServiceNow: 90).
    pub critical: u8,
    /// The lowest high score (70).
    pub high: u8,
    /// The lowest medium score (40).
    pub medium: u8,
    /// The lowest low score (1).
    pub low: u8,
}

impl RatingScale {
    /// ServiceNow's risk score weights: critical 90-100, high 70-89, medium 40-69, low 1-39,
    /// none 0.
    pub const fn servicenow() -> Self {
        RatingScale {
            critical: 90,
            high: 70,
            medium: 40,
            low: 1,
        }
    }

    /// The rating of a score.
    pub fn rate(&self, score: u8) -> Rating {
        if score >= self.critical {
            Rating::Critical
        } else if score >= self.high {
            Rating::High
        } else if score >= self.medium {
            Rating::Medium
        } else if score >= self.low {
            Rating::Low
        } else {
            Rating::None
        }
    }
}

impl Default for RatingScale {
    fn default() -> Self {
        RatingScale::servicenow()
    }
}

/// A vulnerable item's risk: its score, its rating and the calculator rule that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Risk {
    /// 0 to 100.
    pub score: u8,
    /// The rating of the score.
    pub rating: Rating,
    /// The rule that scored it (none: no rule matched, the score is 0).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub rule: Option<String>,
}

/// Scores facts: the first calculator rule whose condition matches (ServiceNow: "the
/// condition for each calculator rule is evaluated in order, and the first matching
/// calculator rule is used"); no rule matching scores 0.
pub fn assess(rules: &[CalculatorRule], scale: &RatingScale, facts: &Facts) -> Risk {
    let hit = rules
        .iter()
        .find(|r| r.when.rating.is_empty() && r.when.matches(facts, Rating::None));
    let score = match hit.map(|r| &r.score) {
        Some(Score::Fixed(s)) => (*s).min(100),
        Some(Score::Weighted(w)) => w.score(facts),
        None => 0,
    };
    Risk {
        score,
        rating: scale.rate(score),
        rule: hit.map(|r| r.name.clone()),
    }
}

/// ServiceNow's *Vulnerability Severity* calculator: a fixed score per severity (critical
/// 100, high 75, medium 50, low 25, none 0; unknown 100).
pub fn severity_calculator() -> Vec<CalculatorRule> {
    [
        (Severity::Critical, 100),
        (Severity::High, 75),
        (Severity::Medium, 50),
        (Severity::Low, 25),
        (Severity::None, 0),
        (Severity::Unknown, 100),
    ]
    .into_iter()
    .map(|(s, points)| {
        CalculatorRule::new(
            format!("severity {s}"),
            Condition::any().severity([s]),
            Score::Fixed(points),
        )
    })
    .collect()
}

/// A default weighted risk rule in the shape of ServiceNow's *Default Risk Rule*: severity
/// 50 % (critical 100, high 50, medium 20, low 10, none 0: the page's example), criticality
/// 20 %, a known exploit 15 %, internet exposure 10 %, EPSS 5 %. The weights are ours: the
/// documentation gives the shape, not the base system's numbers.
pub fn default_risk_rule() -> CalculatorRule {
    CalculatorRule::new(
        "default risk rule",
        Condition::any(),
        Score::Weighted(
            Weights::new(50, Levels::new(100, 50, 20, 10, 0))
                .criticality(20, Levels::new(100, 75, 50, 25, 0))
                .exploit(15)
                .exposure(10)
                .epss(5),
        ),
    )
}

/// How a remediation target date is recalculated when an item's risk rating changes
/// (ServiceNow's *Recalculation method*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Recalculation {
    /// Keep the existing date ("Default calculation").
    #[default]
    Keep,
    /// The change's time plus the new rule's days ("Recalculate from risk change date").
    FromChange,
    /// The earlier of the existing date and the recalculated one ("... and always set to
    /// earliest target date").
    Earliest,
    /// The earlier of the two when the rating rises; the recalculated one when it falls
    /// ("... set to earliest target date only when risk rating increases").
    EarliestWhenRising,
}

/// A remediation target rule: items matching it are due this many days (24-hour
/// increments) after they were last opened, with a reminder some days before.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TargetRule {
    /// Its name.
    pub name: String,
    /// Which items it applies to (the rating included).
    #[cfg_attr(feature = "serde", serde(default))]
    pub when: Condition,
    /// Days from the item's last opening to its remediation target.
    pub days: u32,
    /// Days before the target the item is reported as approaching it (none: never).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub remind_days: Option<u32>,
}

impl TargetRule {
    /// A rule without a reminder.
    pub fn new(name: impl Into<String>, when: Condition, days: u32) -> Self {
        TargetRule {
            name: name.into(),
            when,
            days,
            remind_days: None,
        }
    }

    /// Reported as approaching this many days before the target.
    pub fn remind(mut self, days: u32) -> Self {
        self.remind_days = Some(days);
        self
    }
}

/// The longest target or reminder a rule may give (100 years).
pub const MAX_TARGET_DAYS: u32 = 36_525;

/// The most calculator or target rules a policy may hold.
pub const MAX_RULES: usize = 10_000;

pub(crate) fn check_rules(
    calculators: &[CalculatorRule],
    scale: &RatingScale,
    targets: &[TargetRule],
) -> Result<(), Error> {
    for (what, n) in [
        ("calculator rules", calculators.len()),
        ("target rules", targets.len()),
    ] {
        if n > MAX_RULES {
            return Err(Error::TooMany {
                what,
                count: n,
                max: MAX_RULES,
            });
        }
    }
    for rule in calculators {
        if rule.name.trim().is_empty() {
            return Err(Error::EmptyRuleName);
        }
        if !rule.when.rating.is_empty() {
            return Err(Error::RatingInCalculator {
                rule: rule.name.clone(),
            });
        }
        match &rule.score {
            Score::Fixed(s) if *s > 100 => {
                return Err(Error::PointsOutOfRange {
                    rule: rule.name.clone(),
                    points: *s,
                });
            }
            Score::Weighted(w) => {
                if w.total() > 100 {
                    return Err(Error::WeightsOver100 {
                        rule: rule.name.clone(),
                        total: w.total(),
                    });
                }
                let points = w.severity_points.all().into_iter();
                if let Some(p) = points.chain(w.criticality_points.all()).find(|&p| p > 100) {
                    return Err(Error::PointsOutOfRange {
                        rule: rule.name.clone(),
                        points: p,
                    });
                }
            }
            Score::Fixed(_) => {}
        }
    }
    let bounds = [scale.critical, scale.high, scale.medium, scale.low];
    let descending = bounds.windows(2).all(|w| matches!(w, [a, b] if a > b));
    if !descending || scale.critical > 100 || scale.low == 0 {
        return Err(Error::BadScale {
            critical: scale.critical,
            high: scale.high,
            medium: scale.medium,
            low: scale.low,
        });
    }
    for rule in targets {
        if rule.name.trim().is_empty() {
            return Err(Error::EmptyRuleName);
        }
        let remind = rule.remind_days.unwrap_or(0);
        if rule.days > MAX_TARGET_DAYS || remind > rule.days {
            return Err(Error::BadTargetDays {
                rule: rule.name.clone(),
                days: rule.days,
                remind,
            });
        }
    }
    Ok(())
}
