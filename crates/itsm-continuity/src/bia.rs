//! Business impact analysis: RTO, RPO and recovery tier from the answers to a template's
//! impact categories, as ServiceNow's Business Continuity Management computes them.

use std::collections::{HashMap, HashSet};

use chrono::Duration;

use crate::Error;
use crate::spec::Objective;

/// A recovery timeframe: a name and the disruption length it stands for (ServiceNow's
/// "Starts at"): `Immediately` at 0, `4 Hours` at four hours.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Timeframe {
    /// The name answers and tiers use.
    pub name: String,
    /// The length of disruption it stands for (zero or more).
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub starts_at: Duration,
}

impl Timeframe {
    /// A timeframe.
    pub fn new(name: &str, starts_at: Duration) -> Timeframe {
        Timeframe {
            name: name.to_owned(),
            starts_at,
        }
    }
}

/// A recovery tier (Mission Critical, Business Critical, ...): the timeframes it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Tier {
    /// Its name.
    pub name: String,
    /// The timeframes whose RTO puts a BIA in this tier (each in at most one tier).
    pub timeframes: Vec<String>,
}

impl Tier {
    /// A tier over these timeframes.
    pub fn new(name: &str, timeframes: &[&str]) -> Tier {
        Tier {
            name: name.to_owned(),
            timeframes: timeframes.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

/// What an impact category's answers feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Contributes {
    /// The recovery time objective: each rating is given the disruption duration at which
    /// the impact reaches it.
    Rto,
    /// The recovery point objective: questions answered with a value, the highest the
    /// category's score.
    Rpo,
}

/// An impact rating of a category (Low, Moderate, High), and whether the business tolerates
/// that impact.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Rating {
    /// Its name (`01 - Low`); ServiceNow sorts ratings by name.
    pub name: String,
    /// Its value (Low 1, Moderate 2, High 3), unique in the category.
    pub value: u32,
    /// Whether the business tolerates this impact.
    pub tolerable: bool,
}

impl Rating {
    /// A rating.
    pub fn new(name: &str, value: u32, tolerable: bool) -> Rating {
        Rating {
            name: name.to_owned(),
            value,
            tolerable,
        }
    }
}

/// An impact category (revenue, legal, reputation, workforce, data value, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Category {
    /// Its name.
    pub name: String,
    /// What its answers feed.
    pub contributes: Contributes,
    /// Its ratings (an RTO category needs at least one).
    #[cfg_attr(feature = "serde", serde(default))]
    pub ratings: Vec<Rating>,
    /// The timeframes an answer may give (RTO); empty: any of the template's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub timeframes: Vec<String>,
    /// The tolerable downtime when every rating is tolerable (RTO; required there).
    #[cfg_attr(feature = "serde", serde(default))]
    pub maximum_rto: Option<String>,
}

impl Category {
    /// An RTO category with these ratings and maximum RTO.
    pub fn rto(name: &str, ratings: Vec<Rating>, maximum_rto: &str) -> Category {
        Category {
            name: name.to_owned(),
            contributes: Contributes::Rto,
            ratings,
            timeframes: Vec::new(),
            maximum_rto: Some(maximum_rto.to_owned()),
        }
    }

    /// An RPO category.
    pub fn rpo(name: &str) -> Category {
        Category {
            name: name.to_owned(),
            contributes: Contributes::Rpo,
            ratings: Vec::new(),
            timeframes: Vec::new(),
            maximum_rto: None,
        }
    }

    /// With only these timeframes allowed in answers.
    #[must_use]
    pub fn with_timeframes(mut self, timeframes: &[&str]) -> Category {
        self.timeframes = timeframes.iter().map(|t| (*t).to_owned()).collect();
        self
    }
}

/// A band of RPO scores mapped to a timeframe (ServiceNow's score timeframe mapping).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScoreBand {
    /// The lowest score in the band (inclusive).
    pub lower: u32,
    /// The highest score in the band (inclusive).
    pub upper: u32,
    /// The RPO a score in the band gives.
    pub timeframe: String,
}

impl ScoreBand {
    /// Scores `lower..=upper` give `timeframe`.
    pub fn new(lower: u32, upper: u32, timeframe: &str) -> ScoreBand {
        ScoreBand {
            lower,
            upper,
            timeframe: timeframe.to_owned(),
        }
    }
}

/// Which rating of an RTO category sets its tolerable downtime; ServiceNow's pages give two
/// readings, which agree when the ratings' names sort in the order of their values and
/// every tolerable rating is below every intolerable one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RatingRule {
    /// The first rating, sorted by name, that is not tolerable ("the first alphanumerically
    /// sorted impact rating that has the Tolerable field set to false"). The default.
    #[default]
    FirstIntolerableByName,
    /// The rating of the least value above the highest tolerable value ("the Impact rating
    /// with a value higher than the highest tolerable value").
    AboveHighestTolerable,
}

/// A business impact analysis template: timeframes, tiers, impact categories and the RPO
/// score bands. Checked by [`Template::check`] (and by [`assess`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Template {
    /// The recovery timeframes.
    pub timeframes: Vec<Timeframe>,
    /// The recovery tiers.
    #[cfg_attr(feature = "serde", serde(default))]
    pub tiers: Vec<Tier>,
    /// The impact categories.
    #[cfg_attr(feature = "serde", serde(default))]
    pub categories: Vec<Category>,
    /// The RPO score bands.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rpo_bands: Vec<ScoreBand>,
    /// Which rating sets an RTO category's tolerable downtime.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rating_rule: RatingRule,
}

impl Template {
    /// ServiceNow's documented timeframes (Immediately, 1 Hour, 4 Hours, 8 Hours, 24 Hours,
    /// 72 Hours, 1 Week, 2 Weeks, 1 Month as 30 days) and its example tiers (Mission
    /// Critical to 4 hours, Business Critical to 24, Essential to a week, Non-Essential to a
    /// month), without categories.
    pub fn servicenow() -> Template {
        let t = |name: &str, d: Duration| Timeframe::new(name, d);
        Template {
            timeframes: vec![
                t("Immediately", Duration::zero()),
                t("1 Hour", Duration::hours(1)),
                t("4 Hours", Duration::hours(4)),
                t("8 Hours", Duration::hours(8)),
                t("24 Hours", Duration::hours(24)),
                t("72 Hours", Duration::hours(72)),
                t("1 Week", Duration::weeks(1)),
                t("2 Weeks", Duration::weeks(2)),
                t("1 Month", Duration::days(30)),
            ],
            tiers: vec![
                Tier::new("Mission Critical", &["Immediately", "1 Hour", "4 Hours"]),
                Tier::new("Business Critical", &["8 Hours", "24 Hours"]),
                Tier::new("Essential", &["72 Hours", "1 Week"]),
                Tier::new("Non-Essential", &["2 Weeks", "1 Month"]),
            ],
            categories: Vec::new(),
            rpo_bands: Vec::new(),
            rating_rule: RatingRule::default(),
        }
    }

    /// With another category.
    #[must_use]
    pub fn with_category(mut self, category: Category) -> Template {
        self.categories.push(category);
        self
    }

    /// With another RPO score band.
    #[must_use]
    pub fn with_band(mut self, band: ScoreBand) -> Template {
        self.rpo_bands.push(band);
        self
    }

    /// With another rating rule.
    #[must_use]
    pub fn with_rating_rule(mut self, rule: RatingRule) -> Template {
        self.rating_rule = rule;
        self
    }

    /// The timeframe called `name`.
    pub fn timeframe(&self, name: &str) -> Option<&Timeframe> {
        self.timeframes.iter().find(|t| t.name == name)
    }

    /// The tier listing timeframe `name`.
    pub fn tier_of(&self, name: &str) -> Option<&Tier> {
        self.tiers
            .iter()
            .find(|t| t.timeframes.iter().any(|f| f == name))
    }

    /// The tier for an RTO that is not one of the timeframes (an element's required RTO):
    /// the tier of least maximum time (its longest timeframe) at least `rto`, ServiceNow's
    /// "nearest recovery tier maximum time" read as the strictest tier that still allows
    /// `rto`; `None` past every tier.
    pub fn tier_for(&self, rto: Duration) -> Option<&Tier> {
        let frames: HashMap<&str, Duration> = self
            .timeframes
            .iter()
            .map(|t| (t.name.as_str(), t.starts_at))
            .collect();
        self.tiers
            .iter()
            .filter_map(|tier| {
                let max = tier
                    .timeframes
                    .iter()
                    .filter_map(|f| frames.get(f.as_str()).copied())
                    .max()?;
                (max >= rto).then_some((max, tier))
            })
            .min_by_key(|(max, _)| *max)
            .map(|(_, tier)| tier)
    }

    /// Checks the template: names unique per kind, every named timeframe defined, no
    /// negative timeframe, each timeframe in at most one tier, every RTO category with
    /// ratings of distinct values and a maximum RTO among its allowed timeframes, RPO bands
    /// not reversed and not overlapping.
    ///
    /// # Errors
    /// The first problem found, kind by kind for names, then record by record (tiers,
    /// categories, bands): [`Error::DuplicateName`],
    /// [`Error::NegativeTimeframe`], [`Error::UnknownTimeframe`], [`Error::TimeframeInTwoTiers`],
    /// [`Error::DuplicateRating`], [`Error::NoRatings`], [`Error::DuplicateRatingValue`], [`Error::NoMaximumRto`],
    /// [`Error::TimeframeNotAllowed`], [`Error::ReversedBand`], [`Error::OverlappingBands`].
    pub fn check(&self) -> Result<(), Error> {
        self.index().map(|_| ())
    }

    /// [`Template::check`], and the lookups [`assess`] needs (each a hash away: a template
    /// of thousands of timeframes, ratings or answers is linear, not quadratic).
    fn index(&self) -> Result<Index<'_>, Error> {
        unique("timeframe", self.timeframes.iter().map(|t| t.name.as_str()))?;
        unique("tier", self.tiers.iter().map(|t| t.name.as_str()))?;
        unique("category", self.categories.iter().map(|c| c.name.as_str()))?;
        if let Some(t) = self
            .timeframes
            .iter()
            .find(|t| t.starts_at < Duration::zero())
        {
            return Err(Error::NegativeTimeframe {
                name: t.name.clone(),
                starts_at: t.starts_at,
            });
        }
        let frames: HashMap<&str, Duration> = self
            .timeframes
            .iter()
            .map(|t| (t.name.as_str(), t.starts_at))
            .collect();
        let known = |used_by: String, name: &str| -> Result<(), Error> {
            if !frames.contains_key(name) {
                return Err(Error::UnknownTimeframe {
                    used_by,
                    name: name.to_owned(),
                });
            }
            Ok(())
        };
        let mut tier_of: HashMap<&str, &str> = HashMap::new();
        for tier in &self.tiers {
            for f in &tier.timeframes {
                known(format!("tier `{}`", tier.name), f)?;
                // A tier listing a timeframe twice is no conflict.
                if let Some(first) = tier_of.insert(f, &tier.name).filter(|t| *t != tier.name) {
                    return Err(Error::TimeframeInTwoTiers {
                        timeframe: f.clone(),
                        first: first.to_owned(),
                        second: tier.name.clone(),
                    });
                }
            }
        }
        let mut categories = HashMap::with_capacity(self.categories.len());
        for c in &self.categories {
            let mut names = HashSet::new();
            if let Some(r) = c.ratings.iter().find(|r| !names.insert(r.name.as_str())) {
                return Err(Error::DuplicateRating {
                    category: c.name.clone(),
                    rating: r.name.clone(),
                });
            }
            for f in &c.timeframes {
                known(format!("category `{}`", c.name), f)?;
            }
            let allowed_set: HashSet<&str> = c.timeframes.iter().map(String::as_str).collect();
            let rto = c.contributes == Contributes::Rto;
            if rto {
                check_rto_category(c, &allowed_set, &known)?;
            }
            categories.insert(c.name.as_str(), (c, names, allowed_set));
        }
        for b in &self.rpo_bands {
            known(
                format!("the RPO band {}..={}", b.lower, b.upper),
                &b.timeframe,
            )?;
            if b.lower > b.upper {
                return Err(Error::ReversedBand {
                    lower: b.lower,
                    upper: b.upper,
                });
            }
        }
        let mut bands: Vec<&ScoreBand> = self.rpo_bands.iter().collect();
        bands.sort_by_key(|b| (b.lower, b.upper));
        for pair in bands.windows(2) {
            match pair {
                [x, y] if y.lower <= x.upper => {
                    return Err(Error::OverlappingBands {
                        first: (x.lower, x.upper),
                        second: (y.lower, y.upper),
                    });
                }
                _ => {}
            }
        }
        Ok(Index {
            frames,
            tier_of,
            categories,
        })
    }
}

/// A checked template's lookups.
struct Index<'a> {
    /// Timeframes by name.
    frames: HashMap<&'a str, Duration>,
    /// The tier of each timeframe in one.
    tier_of: HashMap<&'a str, &'a str>,
    /// Categories by name, with their ratings' names and allowed timeframes.
    categories: HashMap<&'a str, (&'a Category, HashSet<&'a str>, HashSet<&'a str>)>,
}

impl Index<'_> {
    /// Whether category `c` (with allowed set `set`) allows timeframe `name` in `what`.
    fn allowed(c: &Category, set: &HashSet<&str>, what: &str, name: &str) -> Result<(), Error> {
        if set.is_empty() || set.contains(name) {
            return Ok(());
        }
        Err(Error::TimeframeNotAllowed {
            category: c.name.clone(),
            what: what.to_owned(),
            timeframe: name.to_owned(),
            allowed: c.timeframes.clone(),
        })
    }
}

/// Names unique in a list, else [`Error::DuplicateName`].
fn unique<'a>(kind: &'static str, names: impl Iterator<Item = &'a str>) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(Error::DuplicateName {
                kind,
                name: name.to_owned(),
            });
        }
    }
    Ok(())
}

/// The checks of an RTO category: ratings there, of distinct values, and a maximum RTO
/// defined (`known`) and among its allowed timeframes (`allowed_set`).
fn check_rto_category(
    c: &Category,
    allowed_set: &HashSet<&str>,
    known: &impl Fn(String, &str) -> Result<(), Error>,
) -> Result<(), Error> {
    if c.ratings.is_empty() {
        return Err(Error::NoRatings {
            category: c.name.clone(),
        });
    }
    let mut values = HashSet::new();
    if let Some(r) = c.ratings.iter().find(|r| !values.insert(r.value)) {
        return Err(Error::DuplicateRatingValue {
            category: c.name.clone(),
            value: r.value,
        });
    }
    let Some(max) = &c.maximum_rto else {
        return Err(Error::NoMaximumRto {
            category: c.name.clone(),
        });
    };
    known(format!("category `{}`'s maximum RTO", c.name), max)?;
    Index::allowed(c, allowed_set, "its maximum RTO", max)
}

/// An RTO answer: at `timeframe` of disruption the impact in `category` reaches `rating`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct DisruptionAnswer {
    /// The category.
    pub category: String,
    /// The rating.
    pub rating: String,
    /// The disruption duration, a timeframe's name.
    pub timeframe: String,
}

/// An RPO answer: one question of `category` answered with `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ScoreAnswer {
    /// The category.
    pub category: String,
    /// The answer's value.
    pub value: u32,
}

/// An objective set by hand over the calculated one, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Adjusted {
    /// The timeframe.
    pub timeframe: String,
    /// Why.
    pub reason: String,
}

/// A business impact analysis's answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Answers {
    /// RTO answers, at most one per category and rating.
    #[cfg_attr(feature = "serde", serde(default))]
    pub disruption: Vec<DisruptionAnswer>,
    /// RPO answers.
    #[cfg_attr(feature = "serde", serde(default))]
    pub scores: Vec<ScoreAnswer>,
    /// An RTO set by hand.
    #[cfg_attr(feature = "serde", serde(default))]
    pub adjusted_rto: Option<Adjusted>,
    /// An RPO set by hand.
    #[cfg_attr(feature = "serde", serde(default))]
    pub adjusted_rpo: Option<Adjusted>,
    /// The maximum tolerable period of disruption, a timeframe (ServiceNow's BIA field
    /// "Maximum tolerable period of disruption"); at least the RTO.
    #[cfg_attr(feature = "serde", serde(default))]
    pub mtpd: Option<String>,
}

impl Answers {
    /// With an RTO answer.
    #[must_use]
    pub fn at(mut self, category: &str, rating: &str, timeframe: &str) -> Answers {
        self.disruption.push(DisruptionAnswer {
            category: category.to_owned(),
            rating: rating.to_owned(),
            timeframe: timeframe.to_owned(),
        });
        self
    }

    /// With an RPO answer.
    #[must_use]
    pub fn score(mut self, category: &str, value: u32) -> Answers {
        self.scores.push(ScoreAnswer {
            category: category.to_owned(),
            value,
        });
        self
    }

    /// With an RTO set by hand.
    #[must_use]
    pub fn adjust_rto(mut self, timeframe: &str, reason: &str) -> Answers {
        self.adjusted_rto = Some(Adjusted {
            timeframe: timeframe.to_owned(),
            reason: reason.to_owned(),
        });
        self
    }

    /// With a maximum tolerable period of disruption.
    #[must_use]
    pub fn with_mtpd(mut self, timeframe: &str) -> Answers {
        self.mtpd = Some(timeframe.to_owned());
        self
    }

    /// With an RPO set by hand.
    #[must_use]
    pub fn adjust_rpo(mut self, timeframe: &str, reason: &str) -> Answers {
        self.adjusted_rpo = Some(Adjusted {
            timeframe: timeframe.to_owned(),
            reason: reason.to_owned(),
        });
        self
    }
}

/// Where a category's result comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Source {
    /// The disruption duration given for this rating.
    Rating(String),
    /// The category's maximum RTO: every rating is tolerable.
    MaximumRto,
    /// The highest RPO answer.
    Score(u32),
}

/// One category's result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct CategoryResult {
    /// The category.
    pub category: String,
    /// What it feeds.
    pub contributes: Contributes,
    /// Whether every rating has a disruption duration (RTO) or a question is answered (RPO):
    /// ServiceNow's Complete, else Pending.
    pub complete: bool,
    /// RTO: the tolerable downtime, a timeframe's name; `None` while the rating it comes
    /// from has no answer.
    pub tolerable_downtime: Option<String>,
    /// Where the result comes from; `None` while pending.
    pub source: Option<Source>,
}

/// A business impact analysis's result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Assessment {
    /// Each category's result, in the template's order.
    pub categories: Vec<CategoryResult>,
    /// The calculated RTO: the shortest tolerable downtime of the RTO categories; `None`
    /// while one of them has none.
    pub calculated_rto: Option<String>,
    /// The finalized RTO: the adjusted one if set, else the calculated one.
    pub rto: Option<String>,
    /// The finalized RTO's length.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rto_duration: Option<Duration>,
    /// The recovery tier of the finalized RTO.
    pub tier: Option<String>,
    /// The maximum tolerable period of disruption, as answered.
    pub mtpd: Option<String>,
    /// Its length.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub mtpd_duration: Option<Duration>,
    /// The RPO score: the highest category score; `None` without RPO answers.
    pub rpo_score: Option<u32>,
    /// The calculated RPO: the timeframe of the score's band.
    pub calculated_rpo: Option<String>,
    /// The finalized RPO: the adjusted one if set, else the calculated one.
    pub rpo: Option<String>,
    /// The finalized RPO's length.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration::option"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::option::schema")
    )]
    pub rpo_duration: Option<Duration>,
}

impl Assessment {
    /// The objective this analysis sets for node `id` (its finalized RTO, RPO and MTPD),
    /// for a [`ContinuitySpec`](crate::ContinuitySpec); `None` without an RTO.
    pub fn objective(&self, id: &str) -> Option<Objective> {
        let mut o = Objective::new(id, self.rto_duration?);
        o.rpo = self.rpo_duration;
        o.mtpd = self.mtpd_duration;
        Some(o)
    }
}

/// Computes a business impact analysis's RTO, tier and RPO from `answers` to `template`:
///
/// - an RTO category's tolerable downtime is the disruption duration given for the rating
///   [`Template::rating_rule`] picks (the first intolerable one by name, by default), or its
///   maximum RTO when every rating is tolerable; the calculated RTO is the shortest over the
///   RTO categories (by [`Timeframe::starts_at`], ties to the earlier category);
/// - the finalized RTO is the adjusted one if given, its tier the tier listing it;
/// - an RPO category's score is its highest answer, the RPO score the highest category score,
///   the calculated RPO the timeframe of the band holding it; the adjusted one wins.
///
/// # Errors
/// The template's ([`Template::check`]); for answers: [`Error::UnknownCategory`],
/// [`Error::UnknownRating`], [`Error::WrongContribution`], [`Error::DuplicateAnswer`],
/// [`Error::UnknownTimeframe`], [`Error::TimeframeNotAllowed`]; for the results:
/// [`Error::NoTier`] (ServiceNow: "RTO cannot be calculated when the recovery tier doesn't
/// exist"), [`Error::NoBand`], [`Error::MtpdShorterThanRto`].
pub fn assess(template: &Template, answers: &Answers) -> Result<Assessment, Error> {
    let ix = template.index()?;
    let category = |name: &str| {
        ix.categories
            .get(name)
            .ok_or_else(|| Error::UnknownCategory {
                name: name.to_owned(),
            })
    };
    let mut given: HashMap<(&str, &str), &str> = HashMap::new();
    for a in &answers.disruption {
        let (c, ratings, allowed_set) = category(&a.category)?;
        if c.contributes != Contributes::Rto {
            return Err(Error::WrongContribution {
                category: c.name.clone(),
                expected: "a score (it feeds the RPO)",
            });
        }
        if !ratings.contains(a.rating.as_str()) {
            return Err(Error::UnknownRating {
                category: c.name.clone(),
                rating: a.rating.clone(),
            });
        }
        if !ix.frames.contains_key(a.timeframe.as_str()) {
            return Err(Error::UnknownTimeframe {
                used_by: format!("the answer for `{}` in `{}`", a.rating, c.name),
                name: a.timeframe.clone(),
            });
        }
        Index::allowed(
            c,
            allowed_set,
            &format!("the answer for `{}`", a.rating),
            &a.timeframe,
        )?;
        if given
            .insert((&a.category, &a.rating), &a.timeframe)
            .is_some()
        {
            return Err(Error::DuplicateAnswer {
                category: c.name.clone(),
                rating: a.rating.clone(),
            });
        }
    }
    let mut scores: HashMap<&str, u32> = HashMap::new();
    for a in &answers.scores {
        let (c, ..) = category(&a.category)?;
        if c.contributes != Contributes::Rpo {
            return Err(Error::WrongContribution {
                category: c.name.clone(),
                expected: "disruption durations per rating (it feeds the RTO)",
            });
        }
        let s = scores.entry(&a.category).or_insert(0);
        *s = (*s).max(a.value);
    }
    for adj in [&answers.adjusted_rto, &answers.adjusted_rpo]
        .into_iter()
        .flatten()
    {
        if !ix.frames.contains_key(adj.timeframe.as_str()) {
            return Err(Error::UnknownTimeframe {
                used_by: "an adjusted objective".to_owned(),
                name: adj.timeframe.clone(),
            });
        }
    }
    if let Some(m) = &answers.mtpd {
        if !ix.frames.contains_key(m.as_str()) {
            return Err(Error::UnknownTimeframe {
                used_by: "the MTPD".to_owned(),
                name: m.clone(),
            });
        }
    }
    let mut results = Vec::with_capacity(template.categories.len());
    let mut rto: Option<(Duration, &str)> = None;
    let mut rto_pending = false;
    let mut rpo_score: Option<u32> = None;
    for c in &template.categories {
        match c.contributes {
            Contributes::Rto => {
                let complete = c
                    .ratings
                    .iter()
                    .all(|r| given.contains_key(&(c.name.as_str(), r.name.as_str())));
                let (downtime, source) = match pick(c, template.rating_rule) {
                    Some(r) => (
                        given.get(&(c.name.as_str(), r.name.as_str())).copied(),
                        Source::Rating(r.name.clone()),
                    ),
                    None => (c.maximum_rto.as_deref(), Source::MaximumRto),
                };
                let length = downtime.and_then(|d| ix.frames.get(d).copied());
                match (downtime, length) {
                    (Some(d), Some(l)) => {
                        if rto.is_none_or(|(best, _)| l < best) {
                            rto = Some((l, d));
                        }
                    }
                    _ => rto_pending = true,
                }
                results.push(CategoryResult {
                    category: c.name.clone(),
                    contributes: c.contributes,
                    complete,
                    tolerable_downtime: downtime.map(str::to_owned),
                    source: downtime.map(|_| source),
                });
            }
            Contributes::Rpo => {
                let score = scores.get(c.name.as_str()).copied();
                if let Some(s) = score {
                    rpo_score = Some(rpo_score.map_or(s, |m| m.max(s)));
                }
                results.push(CategoryResult {
                    category: c.name.clone(),
                    contributes: c.contributes,
                    complete: score.is_some(),
                    tolerable_downtime: None,
                    source: score.map(Source::Score),
                });
            }
        }
    }
    let calculated_rto = if rto_pending {
        None
    } else {
        rto.map(|(_, d)| d.to_owned())
    };
    let final_rto = answers
        .adjusted_rto
        .as_ref()
        .map(|a| a.timeframe.clone())
        .or_else(|| calculated_rto.clone());
    let tier = match &final_rto {
        Some(f) => Some(
            ix.tier_of
                .get(f.as_str())
                .map(|t| (*t).to_owned())
                .ok_or_else(|| Error::NoTier {
                    timeframe: f.clone(),
                })?,
        ),
        None => None,
    };
    let calculated_rpo = match rpo_score {
        Some(s) => Some(
            template
                .rpo_bands
                .iter()
                .find(|b| b.lower <= s && s <= b.upper)
                .map(|b| b.timeframe.clone())
                .ok_or(Error::NoBand { score: s })?,
        ),
        None => None,
    };
    let final_rpo = answers
        .adjusted_rpo
        .as_ref()
        .map(|a| a.timeframe.clone())
        .or_else(|| calculated_rpo.clone());
    let length = |f: &Option<String>| f.as_deref().and_then(|f| ix.frames.get(f).copied());
    let rto_duration = length(&final_rto);
    let mtpd_duration = length(&answers.mtpd);
    if let (Some(r), Some(m)) = (rto_duration, mtpd_duration) {
        if m < r {
            return Err(Error::MtpdShorterThanRto {
                rto: final_rto.clone().unwrap_or_default(),
                mtpd: answers.mtpd.clone().unwrap_or_default(),
            });
        }
    }
    Ok(Assessment {
        categories: results,
        rto_duration,
        mtpd: answers.mtpd.clone(),
        mtpd_duration,
        calculated_rto,
        rto: final_rto,
        tier,
        rpo_score,
        rpo_duration: length(&final_rpo),
        calculated_rpo,
        rpo: final_rpo,
    })
}

/// The rating of RTO category `c` whose disruption duration is its tolerable downtime;
/// `None` when every rating is tolerable (its maximum RTO then).
fn pick(c: &Category, rule: RatingRule) -> Option<&Rating> {
    match rule {
        RatingRule::FirstIntolerableByName => c
            .ratings
            .iter()
            .filter(|r| !r.tolerable)
            .min_by(|a, b| a.name.cmp(&b.name)),
        RatingRule::AboveHighestTolerable => {
            let highest = c
                .ratings
                .iter()
                .filter(|r| r.tolerable)
                .map(|r| r.value)
                .max();
            c.ratings
                .iter()
                .filter(|r| highest.is_none_or(|h| r.value > h))
                .min_by_key(|r| r.value)
        }
    }
}
