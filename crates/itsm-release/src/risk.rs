//! Risk scores of the phase in progress, and the check status of a multi-product release.

use chrono::{DateTime, Utc};

use crate::model::{CheckStatus, State, Status};
use crate::plan::{self, Process};
use crate::policy::Policy;

/// A timeline release's risk level (ServiceNow's bands of its score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RiskLevel {
    /// A score of 0 or 1.
    Low,
    /// A score of 2.
    Medium,
    /// A score of 3 or more.
    High,
}

/// What a risk score was made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Factors {
    /// Nothing to score: the release is not in progress, no phase is, or (stage) the
    /// phase has no tasks and no finished check runs.
    None,
    /// A timeline release's factors.
    #[non_exhaustive]
    Timeline {
        /// Tasks of the current phase.
        tasks: usize,
        /// Of them, not closed after their due date (or the phase's end date when they
        /// have none).
        overdue: usize,
        /// Its overdue score: 0 under 10% overdue, 1 from 10% to 40%, 2 over 40%.
        overdue_score: u32,
        /// Checks of the current phase.
        checks: usize,
        /// Of them, non-compliant.
        failed: usize,
        /// Its failure score, banded as the overdue score.
        failure_score: u32,
        /// Days from the first phase's start date to today (0 to `total_days`).
        elapsed_days: i64,
        /// Days from the first phase's start date to the last phase's end date (at least 1).
        total_days: i64,
    },
    /// A stage release's factors.
    #[non_exhaustive]
    Stage {
        /// Tasks of the current phase.
        tasks: usize,
        /// Of them, closed (complete, incomplete or skipped).
        closed: usize,
        /// Checks of the current phase with a finished run.
        runs: usize,
        /// Of them, non-compliant.
        non_compliant: usize,
        /// Days from today to the readiness target (negative once passed); `None` without
        /// a target.
        days_remaining: Option<i64>,
    },
}

/// A release's risk score for its phase in progress, 0 to 100, with what made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Risk {
    /// The score.
    pub score: u32,
    /// A timeline release's level; `None` for a stage release (no bands documented).
    pub level: Option<RiskLevel>,
    /// What it was made of.
    pub factors: Factors,
}

/// Rounds `n / d` half up (`d > 0`).
fn round(n: u128, d: u128) -> u128 {
    (2 * n + d) / (2 * d)
}

/// 0 under 10%, 1 from 10% to 40%, 2 over 40% (ServiceNow's bands).
fn band(part: usize, whole: usize) -> u32 {
    let (p, w) = (part as u128, whole as u128);
    if w == 0 || 10 * p < w {
        0
    } else if 10 * p <= 4 * w {
        1
    } else {
        2
    }
}

/// The risk score of the release's phase in progress at `now`, as ServiceNow Digital
/// Product Release computes it, exactly (integer arithmetic, halves rounded up):
///
/// - **Timeline:** `round((overdue score × overdue weight + failure score × failure weight)
///   × elapsed days / total days)`, the weights the policy's `risk_weights` (percent). The
///   scores are 0 to 2, so with weights adding up to 100 the score is 0 to 2; the level is
///   low (0, 1), medium (2) or high (3 and more, as ServiceNow's bands list).
/// - **Stage:** `round(100 × (0.3 × work + 0.4 × checks + 0.1 × progress + 0.2 × time))`
///   with a readiness target, `0.5 × work + 0.4 × checks + 0.1 × progress` without: work
///   is the share of tasks not closed (0 with one task or none), checks the share of
///   finished runs non-compliant, progress `max(0, 1 − closed share / 0.2)` (0 without
///   tasks), time `1 − days remaining / 14`, between 0 and 1 (1 once the date passed).
///
/// The score is 0 for a release not in progress, with no phase in progress, or (stage)
/// whose phase has no tasks and no finished check runs. Cost: one pass over the current
/// phase.
///
/// ```
/// use itsm_release::{Policy, State, risk};
/// use itsm_release::chrono::{TimeZone, Utc};
///
/// let r = risk(&State::new(), Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(), &Policy::servicenow());
/// assert_eq!(r.score, 0);
/// ```
pub fn risk(state: &State, now: DateTime<Utc>, policy: &Policy) -> Risk {
    let none = Risk {
        score: 0,
        level: None,
        factors: Factors::None,
    };
    let Some(r) = state.release() else {
        return none;
    };
    let Some((_, phase)) = r.current().filter(|_| r.status == Status::InProgress) else {
        return none;
    };
    let Ok(zone) = plan::zone_of(&r.name, r.zone.as_deref()) else {
        return none;
    };
    let Some(today) = plan::today(&zone, now) else {
        return none;
    };
    let tasks = phase.tasks.len();
    match r.process {
        Process::Timeline => {
            let overdue = phase
                .tasks
                .iter()
                .filter(|t| !t.status.is_closed())
                .filter(|t| t.due.or(phase.end).is_some_and(|d| today > d))
                .count();
            let checks = phase.checks.len();
            let failed = phase
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::NonCompliant)
                .count();
            let first = r.phases.first().and_then(|p| p.start);
            let last = r.phases.last().and_then(|p| p.end);
            let (elapsed_days, total_days) = match (first, last) {
                (Some(f), Some(l)) => {
                    let total = l.signed_duration_since(f).num_days().max(1);
                    let elapsed = today.signed_duration_since(f).num_days().clamp(0, total);
                    (elapsed, total)
                }
                _ => (0, 1),
            };
            let (o, f) = (band(overdue, tasks), band(failed, checks));
            let w = policy.risk_weights;
            let n = (u128::from(o) * u128::from(w.overdue)
                + u128::from(f) * u128::from(w.check_failure))
                * elapsed_days.unsigned_abs() as u128;
            let d = 100 * total_days.unsigned_abs() as u128;
            let score = u32::try_from(round(n, d).min(100)).unwrap_or(100);
            Risk {
                score,
                level: Some(match score {
                    0 | 1 => RiskLevel::Low,
                    2 => RiskLevel::Medium,
                    _ => RiskLevel::High,
                }),
                factors: Factors::Timeline {
                    tasks,
                    overdue,
                    overdue_score: o,
                    checks,
                    failed,
                    failure_score: f,
                    elapsed_days,
                    total_days,
                },
            }
        }
        Process::Stage => {
            let closed = phase.tasks.iter().filter(|t| t.status.is_closed()).count();
            let runs = phase.checks.iter().filter(|c| c.status.is_result()).count();
            let non_compliant = phase
                .checks
                .iter()
                .filter(|c| c.status == CheckStatus::NonCompliant)
                .count();
            if tasks == 0 && runs == 0 {
                return none;
            }
            let days_remaining = r
                .readiness
                .map(|d| d.signed_duration_since(today).num_days());
            let (t, c, k, nc) = (
                tasks as u128,
                closed as u128,
                runs as u128,
                non_compliant as u128,
            );
            let (t1, k1) = (t.max(1), k.max(1));
            let work_weight: u128 = if days_remaining.is_some() { 30 } else { 50 };
            // Every factor over the common denominator t1 × k1 × 14.
            let work = if t > 1 { (t - c) * k1 * 14 } else { 0 };
            let checks = nc * t1 * 14;
            let progress = if t > 0 {
                t.saturating_sub(5 * c) * k1 * 14
            } else {
                0
            };
            let time = match days_remaining {
                None => 0,
                Some(d) if d < 0 => 14 * t1 * k1,
                Some(d) => (14u128.saturating_sub(d.unsigned_abs() as u128)) * t1 * k1,
            };
            let n = work_weight * work + 40 * checks + 10 * progress + 20 * time;
            let score = round(n, t1 * k1 * 14).min(100);
            Risk {
                score: u32::try_from(score).unwrap_or(100),
                level: None,
                factors: Factors::Stage {
                    tasks,
                    closed,
                    runs,
                    non_compliant,
                    days_remaining,
                },
            }
        }
    }
}

/// The check status of a multi-product release's phase: the primary release's status and
/// each included release's, rolled up as ServiceNow does. The primary not run gives not
/// run; then any non-compliant gives non-compliant; then any running gives running; any
/// not run, not run; any compliant with exception, compliant with exception; else
/// compliant.
///
/// ```
/// use itsm_release::{CheckStatus::*, aggregate};
///
/// assert_eq!(aggregate(NotRun, &[NonCompliant, NonCompliant]), NotRun);
/// assert_eq!(aggregate(NonCompliant, &[Compliant]), NonCompliant);
/// assert_eq!(aggregate(Compliant, &[Compliant, CompliantWithException]), CompliantWithException);
/// ```
pub fn aggregate(primary: CheckStatus, included: &[CheckStatus]) -> CheckStatus {
    if primary == CheckStatus::NotRun {
        return CheckStatus::NotRun;
    }
    rollup(std::iter::once(primary).chain(included.iter().copied()))
}

/// The check status of one phase of one release: its checks rolled up in the same order
/// (non-compliant, running, not run, compliant with exception, compliant; no checks:
/// compliant).
///
/// ```
/// use itsm_release::{CheckStatus::*, phase_check_status};
///
/// assert_eq!(phase_check_status(&[]), Compliant);
/// assert_eq!(phase_check_status(&[Compliant, NotRun]), NotRun);
/// assert_eq!(phase_check_status(&[NotRun, Running]), Running);
/// ```
pub fn phase_check_status(checks: &[CheckStatus]) -> CheckStatus {
    rollup(checks.iter().copied())
}

fn rollup(statuses: impl Iterator<Item = CheckStatus> + Clone) -> CheckStatus {
    for s in [
        CheckStatus::NonCompliant,
        CheckStatus::Running,
        CheckStatus::NotRun,
        CheckStatus::CompliantWithException,
    ] {
        if statuses.clone().any(|x| x == s) {
            return s;
        }
    }
    CheckStatus::Compliant
}
