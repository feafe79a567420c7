//! Risk assessment: a questionnaire with weighted answers, risk rules evaluated first-match,
//! engines combined highest-wins, and a default impact x likelihood lookup; every result
//! explained.

use itsm_core::{ConfigItemId, Impact, ServiceId};

use crate::error::Error;

/// How risky a change is, from lowest to highest (ServiceNow's four levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum RiskLevel {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
    /// Very high.
    VeryHigh,
}

impl RiskLevel {
    /// The level's name, as in JSON (`very_high`).
    pub const fn name(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Moderate => "moderate",
            RiskLevel::High => "high",
            RiskLevel::VeryHigh => "very_high",
        }
    }
}

impl std::fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One possible answer to a question, with its weight.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AnswerOption {
    /// The answer's id (`yes`, `no`, `more_than_10`).
    pub id: String,
    /// Points added to the score when chosen.
    pub weight: u32,
}

/// A question of the risk questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Question {
    /// The question's id.
    pub id: String,
    /// What is asked.
    pub text: String,
    /// The answers allowed.
    pub answers: Vec<AnswerOption>,
}

/// A questionnaire: questions, and the score from which each level starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Questionnaire {
    /// The questions; every one must be answered.
    pub questions: Vec<Question>,
    /// `(minimum score, level)`, in increasing score order; below the first minimum the risk
    /// is low.
    pub thresholds: Vec<(u32, RiskLevel)>,
}

/// A condition of a risk rule, over the facts of a change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum RiskCondition {
    /// Always true.
    Always,
    /// The change's model is this one.
    Model(String),
    /// The change touches at least this many configuration items.
    ItemsAtLeast(usize),
    /// The change touches this configuration item.
    Item(ConfigItemId),
    /// The change may affect one of these services.
    ServiceIn(Vec<ServiceId>),
    /// The impact (from the host's topology) is at least this severe.
    ImpactAtLeast(Impact),
    /// The planned window is outside the items' maintenance windows (a fact the host gives).
    OutsideMaintenance,
    /// Every condition holds.
    All(Vec<RiskCondition>),
    /// At least one condition holds.
    Any(Vec<RiskCondition>),
    /// The condition does not hold.
    Not(Box<RiskCondition>),
}

/// Dropping a condition takes its nested conditions apart one at a time, so a condition
/// nested a million deep (built in code and refused when loaded) is dropped without one
/// call per level on the stack.
impl Drop for RiskCondition {
    fn drop(&mut self) {
        itsm_core::nested::drop_nested(self);
    }
}

impl itsm_core::nested::Nested for RiskCondition {
    fn take_nested(&mut self, out: &mut Vec<Self>) {
        match self {
            RiskCondition::All(list) | RiskCondition::Any(list) => out.append(list),
            RiskCondition::Not(inner) => out.push(std::mem::replace(
                &mut **inner,
                RiskCondition::All(Vec::new()),
            )),
            _ => {}
        }
    }
}

/// A risk rule: when the condition holds, the risk is this level.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskRule {
    /// The rule's name, quoted in explanations.
    pub name: String,
    /// When it applies.
    pub when: RiskCondition,
    /// The risk it gives.
    pub risk: RiskLevel,
}

/// How risk is assessed: any of the three engines, combined highest-wins, with the impact x
/// likelihood lookup as the default when no other engine answers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskPolicy {
    /// The questionnaire, if the policy uses one.
    pub questionnaire: Option<Questionnaire>,
    /// Risk rules, evaluated in order; the first that holds answers (ServiceNow's risk
    /// conditions).
    pub rules: Vec<RiskRule>,
    /// The default lookup: `lookup[impact - 1][likelihood - 1]`, impact 1 (most severe) to 3
    /// and likelihood 1 (most likely) to 3, as ServiceNow numbers them.
    pub lookup: [[RiskLevel; 3]; 3],
}

impl Default for RiskPolicy {
    /// No questionnaire, no rules, and the usual 3x3 lookup: very high when both are 1, low
    /// when both are 3.
    fn default() -> Self {
        use RiskLevel::{High, Low, Moderate, VeryHigh};
        RiskPolicy {
            questionnaire: None,
            rules: Vec::new(),
            lookup: [
                [VeryHigh, High, Moderate],
                [High, Moderate, Low],
                [Moderate, Low, Low],
            ],
        }
    }
}

/// What the assessment looks at: the facts of one change, gathered by `decide` and the host.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskFacts {
    /// The change's model.
    pub model: String,
    /// The configuration items it touches.
    pub items: Vec<ConfigItemId>,
    /// The services it may affect.
    pub services: Vec<ServiceId>,
    /// The impact, 1 (most severe) to 3, for example from an impact analysis of the items on
    /// the host's service topology.
    pub impact: Impact,
    /// The likelihood of disruption, 1 (most likely) to 3.
    pub likelihood: u8,
    /// Whether the planned window is outside the items' maintenance windows.
    pub outside_maintenance: bool,
    /// The questionnaire's answers: `(question id, answer id)`.
    pub answers: Vec<(String, String)>,
}

/// One engine's answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "engine", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum EngineResult {
    /// The questionnaire's score and the level it reaches.
    Questionnaire {
        /// The total of the chosen answers' weights.
        score: u32,
        /// The level.
        risk: RiskLevel,
    },
    /// The first risk rule that held.
    Rule {
        /// The rule's name.
        name: String,
        /// The level.
        risk: RiskLevel,
    },
    /// The impact x likelihood lookup (used when no other engine answered).
    Lookup {
        /// The impact.
        impact: Impact,
        /// The likelihood.
        likelihood: u8,
        /// The level.
        risk: RiskLevel,
    },
}

impl EngineResult {
    /// The level this engine gave.
    pub fn risk(&self) -> RiskLevel {
        match self {
            EngineResult::Questionnaire { risk, .. }
            | EngineResult::Rule { risk, .. }
            | EngineResult::Lookup { risk, .. } => *risk,
        }
    }
}

impl std::fmt::Display for EngineResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineResult::Questionnaire { score, risk } => {
                write!(f, "questionnaire score {score} gives {risk}")
            }
            EngineResult::Rule { name, risk } => write!(f, "rule `{name}` gives {risk}"),
            EngineResult::Lookup {
                impact,
                likelihood,
                risk,
            } => write!(
                f,
                "impact {} and likelihood {likelihood} give {risk}",
                impact.0
            ),
        }
    }
}

/// A risk assessment: the level and every engine's answer (the level is the highest).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskAssessment {
    /// The combined level.
    pub risk: RiskLevel,
    /// What each engine that answered said, in the order questionnaire, rule, lookup.
    pub engines: Vec<EngineResult>,
}

impl std::fmt::Display for RiskAssessment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "risk {}: ", self.risk)?;
        let parts: Vec<String> = self.engines.iter().map(ToString::to_string).collect();
        write!(f, "{} (the highest wins)", parts.join("; "))
    }
}

fn holds(condition: &RiskCondition, facts: &RiskFacts, depth: usize) -> bool {
    // Conditions come from policy files; a nesting deeper than this is refused at load, so
    // the limit only guards the stack.
    if depth > MAX_DEPTH {
        return false;
    }
    match condition {
        RiskCondition::Always => true,
        RiskCondition::Model(model) => &facts.model == model,
        RiskCondition::ItemsAtLeast(n) => facts.items.len() >= *n,
        RiskCondition::Item(item) => facts.items.contains(item),
        RiskCondition::ServiceIn(services) => facts.services.iter().any(|s| services.contains(s)),
        // Impact 1 is the most severe.
        RiskCondition::ImpactAtLeast(level) => facts.impact.0 <= level.0,
        RiskCondition::OutsideMaintenance => facts.outside_maintenance,
        RiskCondition::All(all) => all.iter().all(|c| holds(c, facts, depth + 1)),
        RiskCondition::Any(any) => any.iter().any(|c| holds(c, facts, depth + 1)),
        RiskCondition::Not(inner) => !holds(inner, facts, depth + 1),
    }
}

/// The deepest nesting of rule conditions a policy may use.
pub(crate) const MAX_DEPTH: usize = 32;

pub(crate) fn depth(condition: &RiskCondition) -> usize {
    // Iterative, so a hostile policy cannot overflow the stack while being checked.
    let mut deepest = 0;
    let mut stack = vec![(condition, 1usize)];
    while let Some((c, d)) = stack.pop() {
        deepest = deepest.max(d);
        if d > MAX_DEPTH {
            continue;
        }
        match c {
            RiskCondition::All(list) | RiskCondition::Any(list) => {
                stack.extend(list.iter().map(|c| (c, d + 1)));
            }
            RiskCondition::Not(inner) => stack.push((inner, d + 1)),
            _ => {}
        }
    }
    deepest
}

impl RiskPolicy {
    /// Checks the policy: thresholds in increasing score order, questions with answers and
    /// distinct ids, rule conditions at most 32 levels deep.
    ///
    /// # Errors
    /// [`Error::InvalidRiskPolicy`] naming every problem.
    pub fn check(&self) -> Result<(), Error> {
        let mut problems = Vec::new();
        if let Some(q) = &self.questionnaire {
            if !q
                .thresholds
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.0 < b.0))
            {
                problems.push("questionnaire thresholds must increase".to_owned());
            }
            let mut ids = std::collections::BTreeSet::new();
            for question in &q.questions {
                if question.answers.is_empty() {
                    problems.push(format!("question `{}` has no answers", question.id));
                }
                if !ids.insert(question.id.as_str()) {
                    problems.push(format!("question `{}` is listed twice", question.id));
                }
            }
        }
        for rule in &self.rules {
            if depth(&rule.when) > MAX_DEPTH {
                problems.push(format!(
                    "rule `{}` nests conditions deeper than {MAX_DEPTH} levels",
                    rule.name
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::InvalidRiskPolicy { problems })
        }
    }

    /// Assesses a change: the questionnaire (if any) scored, the first rule that holds, and
    /// when neither answers the impact x likelihood lookup; the highest level wins.
    ///
    /// # Errors
    /// [`Error::UnansweredQuestion`], [`Error::UnknownAnswer`] for the questionnaire, and
    /// [`Error::Likelihood`] / [`Error::Impact`] when the lookup's inputs are off its scale.
    ///
    /// ```
    /// use itsm_change::{Impact, RiskCondition, RiskFacts, RiskLevel, RiskPolicy, RiskRule};
    ///
    /// let mut policy = RiskPolicy::default();
    /// policy.rules.push(RiskRule {
    ///     name: "many items".into(),
    ///     when: RiskCondition::ItemsAtLeast(10),
    ///     risk: RiskLevel::High,
    /// });
    /// let facts = RiskFacts {
    ///     model: "normal".into(), items: vec![], services: vec![], impact: Impact(3),
    ///     likelihood: 2, outside_maintenance: false, answers: vec![],
    /// };
    /// let assessment = policy.assess(&facts)?;
    /// assert_eq!(assessment.risk, RiskLevel::Low);
    /// assert_eq!(assessment.to_string(), "risk low: impact 3 and likelihood 2 give low (the highest wins)");
    /// # Ok::<(), itsm_change::Error>(())
    /// ```
    pub fn assess(&self, facts: &RiskFacts) -> Result<RiskAssessment, Error> {
        let mut engines = Vec::new();
        if let Some(q) = &self.questionnaire {
            let mut score: u32 = 0;
            // Each question's answer by id (the first given, as a search in order finds):
            // a lookup per question, not a scan of the answers.
            let mut given: std::collections::BTreeMap<&str, &String> =
                std::collections::BTreeMap::new();
            for (id, answer) in &facts.answers {
                given.entry(id.as_str()).or_insert(answer);
            }
            for question in &q.questions {
                let Some(answer) = given.get(question.id.as_str()).copied() else {
                    return Err(Error::UnansweredQuestion {
                        question: question.id.clone(),
                    });
                };
                let Some(option) = question.answers.iter().find(|a| &a.id == answer) else {
                    return Err(Error::UnknownAnswer {
                        question: question.id.clone(),
                        answer: answer.clone(),
                        allowed: question.answers.iter().map(|a| a.id.clone()).collect(),
                    });
                };
                score = score.saturating_add(option.weight);
            }
            let risk = q
                .thresholds
                .iter()
                .filter(|(min, _)| score >= *min)
                .map(|(_, level)| *level)
                .next_back()
                .unwrap_or(RiskLevel::Low);
            engines.push(EngineResult::Questionnaire { score, risk });
        }
        if let Some(rule) = self.rules.iter().find(|r| holds(&r.when, facts, 1)) {
            engines.push(EngineResult::Rule {
                name: rule.name.clone(),
                risk: rule.risk,
            });
        }
        if engines.is_empty() {
            let impact = facts.impact;
            let row = usize::from(impact.0)
                .checked_sub(1)
                .and_then(|i| self.lookup.get(i))
                .ok_or(Error::Impact { impact })?;
            let risk = usize::from(facts.likelihood)
                .checked_sub(1)
                .and_then(|i| row.get(i))
                .copied()
                .ok_or(Error::Likelihood {
                    likelihood: facts.likelihood,
                })?;
            engines.push(EngineResult::Lookup {
                impact,
                likelihood: facts.likelihood,
                risk,
            });
        }
        let risk = engines
            .iter()
            .map(EngineResult::risk)
            .max()
            .unwrap_or(RiskLevel::Low);
        Ok(RiskAssessment { risk, engines })
    }
}
