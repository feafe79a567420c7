//! Personal contact rules: how each person is reached once a step notifies them.
//!
//! A step's notice says *who* is paged; each person's [`ProfileSpec`] says *how*: by which
//! contact methods, how many minutes after the notice, how often again. The leading tools
//! differ, and each difference is a field:
//!
//! - PagerDuty: a set of notification rules per urgency, each a contact method and a delay
//!   from the assignment ([`ContactRule::urgency`], [`Notify::after`]); a rule whose delay
//!   reaches the escalation timeout is never sent, because the incident has moved on.
//! - Opsgenie: rules with time restrictions, the first that matches applies
//!   ([`ContactRule::hours`]), steps through contact methods, repeated notifications
//!   ([`ContactRule::repeat`]), contact methods enabled or not ([`Method::enabled`]).
//! - ServiceNow On-Call Scheduling: contact preferences per contact attempt (the first
//!   notice is attempt 1, each reminder the next: [`ContactRule::attempt`]), and a roster's
//!   forced communication channel or a shift's override of everyone's preferences
//!   ([`Step::channels`](crate::Step::channels)).
//!
//! Compile the profiles with [`Profiles::new`] and hand them to the escalation through
//! [`Context::with_contacts`](crate::Context::with_contacts); the escalation then plans each
//! notice's contacts ([`Event::ContactsPlanned`](crate::Event::ContactsPlanned)) and sends
//! each as it falls due ([`Event::Contacted`](crate::Event::Contacted)) until the next
//! notice, an acknowledgement or the end.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use itsm_calendar::{Calendar, CalendarSpec, Zone};
use itsm_core::UserId;

use crate::error::Error;
use crate::handoff::{HandoffKind, HandoffRule};
use crate::spec::Restriction;

/// Most contact methods one person may have.
pub const MAX_METHODS: usize = 32;
/// Most contact rules one person may have.
pub const MAX_RULES: usize = 64;
/// Most steps one contact rule may have.
pub const MAX_RULE_STEPS: usize = 32;
/// Most repeats of one contact rule (Opsgenie allows ten).
pub const MAX_CONTACT_REPEATS: u32 = 100;
/// The last contact attempt a rule may name: a step's first notice and its most reminders.
pub const MAX_ATTEMPT: u32 = crate::policy::MAX_REMINDERS + 1;
/// Longest delay of a step and longest time between repeats: seven days.
pub const MAX_CONTACT_DELAY_DAYS: i64 = 7;

/// How urgent the task is: PagerDuty keeps a set of notification rules for each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Urgency {
    /// Needs attention now (the default).
    #[default]
    High,
    /// Can wait.
    Low,
}

impl Urgency {
    /// Its name in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Urgency::High => "high",
            Urgency::Low => "low",
        }
    }
}

/// The kind of a contact method: what the host's sender uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Channel {
    /// A push notification to a mobile app.
    Push,
    /// A text message.
    Sms,
    /// A phone call.
    Voice,
    /// An email.
    Email,
    /// A Slack message.
    Slack,
    /// A Microsoft Teams message.
    Teams,
}

impl Channel {
    /// Its name in messages and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Push => "push",
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Email => "email",
            Channel::Slack => "slack",
            Channel::Teams => "teams",
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One way to reach a person: a phone, an address, an app. The address itself stays with
/// the host; the crate names the method.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Method {
    /// Its name, unique for the person (`"work phone"`); rules name it.
    pub name: String,
    /// What kind of method it is.
    pub channel: Channel,
    /// Whether it is used (Opsgenie: a method must be enabled to receive notifications).
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub enabled: bool,
}

#[cfg(feature = "serde")]
fn yes() -> bool {
    true
}

impl Method {
    /// An enabled method.
    pub fn new(name: impl Into<String>, channel: Channel) -> Self {
        Method {
            name: name.into(),
            channel,
            enabled: true,
        }
    }
}

/// One step of a contact rule: a method, some time after the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Notify {
    /// From the notice (PagerDuty's start delay; zero: at once).
    #[cfg_attr(
        feature = "serde",
        serde(default = "crate::policy::zero", with = "itsm_core::duration")
    )]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub after: Duration,
    /// The method, by name.
    pub method: String,
}

impl Notify {
    /// Contact by `method` `after` the notice.
    pub fn new(after: Duration, method: impl Into<String>) -> Self {
        Notify {
            after,
            method: method.into(),
        }
    }
}

/// A rule's steps again, `times` more times, each run `every` after the one before
/// (Opsgenie's repeated notifications).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Repeat {
    /// From one run's start to the next.
    #[cfg_attr(feature = "serde", serde(with = "itsm_core::duration"))]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "itsm_core::duration::schema")
    )]
    pub every: Duration,
    /// Runs after the first (1 to [`MAX_CONTACT_REPEATS`]).
    pub times: u32,
}

/// When a rule applies, and what it sends. A person's rules are tried in order; the first
/// enabled one whose conditions all hold at the notice applies (Opsgenie); the others do
/// not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContactRule {
    /// Its name, unique for the person (events name it).
    pub name: String,
    /// Only for tasks of this urgency (PagerDuty); `None`: any.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub urgency: Option<Urgency>,
    /// Only for this contact attempt of a step (ServiceNow: 1 is the first notice, 2 the
    /// first reminder, and so on); `None`: any.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub attempt: Option<u32>,
    /// Only when the notice falls in these hours of the week, in the person's zone
    /// (Opsgenie's time restriction); `None`: around the clock.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub hours: Option<Restriction>,
    /// What is sent, in any order (each at its own delay).
    pub steps: Vec<Notify>,
    /// The steps again; `None`: once.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub repeat: Option<Repeat>,
    /// Whether the rule is tried.
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    pub enabled: bool,
}

impl ContactRule {
    /// An enabled rule for any urgency, attempt and hour, sending `steps` once.
    pub fn new(name: impl Into<String>, steps: Vec<Notify>) -> Self {
        ContactRule {
            name: name.into(),
            urgency: None,
            attempt: None,
            hours: None,
            steps,
            repeat: None,
            enabled: true,
        }
    }
}

/// One person's contact methods and rules, as data.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ProfileSpec {
    /// Whose.
    pub user: UserId,
    /// The zone the rules' hours are read in: an IANA name (with the `tz` feature), `UTC`
    /// or a fixed offset; `None`: UTC.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub zone: Option<String>,
    /// The methods.
    pub methods: Vec<Method>,
    /// The rules, tried in order.
    pub rules: Vec<ContactRule>,
    /// Reminders before going on or off call (PagerDuty's "before I go on-call or
    /// off-call" rules, Opsgenie's schedule start and end): see
    /// [`Profiles::handoff_notices`].
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub handoffs: Vec<HandoffRule>,
}

impl ProfileSpec {
    /// A profile in UTC.
    pub fn new(user: UserId, methods: Vec<Method>, rules: Vec<ContactRule>) -> Self {
        ProfileSpec {
            user,
            zone: None,
            methods,
            rules,
            handoffs: Vec::new(),
        }
    }
}

/// A contact the escalation will make: who, by which method, when.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Contact {
    /// Who.
    pub user: UserId,
    /// The method's name.
    pub method: String,
    /// Its kind.
    pub channel: Channel,
    /// The rule that asked for it; `None` when the step's channels override the person's
    /// rules.
    pub rule: Option<String>,
    /// When it falls due.
    pub due: DateTime<Utc>,
}

/// Why someone notified cannot be contacted for this notice.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "why", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub enum Unreachable {
    /// The profiles have no profile for them.
    NoProfile {
        /// Who.
        user: UserId,
    },
    /// None of their enabled rules applies to this notice (its urgency, attempt or hour).
    NoRule {
        /// Who.
        user: UserId,
    },
    /// The rule that applies uses only disabled methods.
    NoEnabledMethod {
        /// Who.
        user: UserId,
        /// The rule.
        rule: String,
    },
    /// The step forces channels they have no enabled method on (ServiceNow logs the
    /// missing device and makes no attempt).
    NoMethodOn {
        /// Who.
        user: UserId,
        /// The step's channels.
        channels: Vec<Channel>,
    },
    /// Every contact of theirs falls due at or after the next notice, which drops them
    /// (PagerDuty: a rule at or past the escalation timeout is never received). They stay
    /// in the plan: an acknowledgement may stop the escalation first, or the policy may
    /// change.
    TooLate {
        /// Who.
        user: UserId,
        /// The next notice.
        next: DateTime<Utc>,
    },
    /// Some of their contacts would fall due past chrono's range; the others are planned.
    OutOfRange {
        /// Who.
        user: UserId,
        /// The rule.
        rule: String,
    },
}

impl Unreachable {
    /// Who cannot be contacted.
    pub fn user(&self) -> UserId {
        match self {
            Unreachable::NoProfile { user }
            | Unreachable::NoRule { user }
            | Unreachable::NoEnabledMethod { user, .. }
            | Unreachable::NoMethodOn { user, .. }
            | Unreachable::TooLate { user, .. }
            | Unreachable::OutOfRange { user, .. } => *user,
        }
    }
}

/// A rule as checked: its hours compiled.
#[derive(Debug, Clone)]
struct Rule {
    spec: ContactRule,
    hours: Option<Calendar>,
}

/// A profile as checked.
#[derive(Debug, Clone)]
struct Profile {
    methods: Vec<Method>,
    rules: Vec<Rule>,
    handoffs: Vec<HandoffRule>,
}

/// Everyone's contact profiles, checked and ready for the escalation.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    by_user: HashMap<UserId, Profile>,
}

impl Profiles {
    /// Checks and compiles `specs`: each person once; method and rule names unique and not
    /// empty; every step naming a method the person has; delays and repeats within bounds;
    /// hours the calendar crate accepts in a zone it knows; handoff rules at most
    /// [`MAX_RULES`], each naming a method the person has, `before` from zero to
    /// [`MAX_CONTACT_DELAY_DAYS`] days (their errors name them `handoff reminder N`).
    ///
    /// ```
    /// use itsm_oncall::chrono::Duration;
    /// use itsm_oncall::{Channel, ContactRule, Method, Notify, ProfileSpec, Profiles, UserId};
    ///
    /// let ann = UserId::from_u128(1);
    /// let spec = ProfileSpec::new(
    ///     ann,
    ///     vec![Method::new("app", Channel::Push), Method::new("mobile", Channel::Voice)],
    ///     vec![ContactRule::new("always", vec![
    ///         Notify::new(Duration::zero(), "app"),
    ///         Notify::new(Duration::minutes(3), "mobile"),
    ///     ])],
    /// );
    /// let profiles = Profiles::new(&[spec])?;
    /// assert!(profiles.contains(ann));
    /// # Ok::<(), itsm_oncall::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::DuplicateProfile`], [`Error::UnknownProfileZone`], [`Error::TooManyMethods`],
    /// [`Error::TooManyRules`], [`Error::InvalidName`], [`Error::DuplicateName`],
    /// [`Error::NoRuleSteps`], [`Error::TooManyRuleSteps`], [`Error::UnknownMethod`],
    /// [`Error::InvalidDelay`], [`Error::InvalidRepeat`], [`Error::InvalidAttempt`],
    /// [`Error::InvalidHours`].
    pub fn new(specs: &[ProfileSpec]) -> Result<Self, Error> {
        let mut by_user = HashMap::with_capacity(specs.len());
        for spec in specs {
            let profile = compile(spec)?;
            if by_user.insert(spec.user, profile).is_some() {
                return Err(Error::DuplicateProfile { user: spec.user });
            }
        }
        Ok(Profiles { by_user })
    }

    /// Whether `user` has a profile.
    pub fn contains(&self, user: UserId) -> bool {
        self.by_user.contains_key(&user)
    }

    /// How many profiles there are.
    pub fn len(&self) -> usize {
        self.by_user.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_user.is_empty()
    }

    /// The longest `before` of any handoff rule; `None` without any.
    pub(crate) fn longest_handoff_rule(&self) -> Option<Duration> {
        self.by_user
            .values()
            .flat_map(|p| p.handoffs.iter().map(|h| h.before))
            .max()
    }

    /// `user`'s handoff rules of `kind` whose method is enabled, with their index and method.
    pub(crate) fn handoff_rules(
        &self,
        user: UserId,
        kind: HandoffKind,
    ) -> impl Iterator<Item = (usize, &HandoffRule, &Method)> {
        self.by_user.get(&user).into_iter().flat_map(move |p| {
            p.handoffs
                .iter()
                .enumerate()
                .filter(move |(_, h)| h.kind == kind)
                .filter_map(|(i, h)| {
                    let m = p.methods.iter().find(|m| m.name == h.method)?;
                    m.enabled.then_some((i, h, m))
                })
        })
    }

    /// The contacts a notice at `at` makes to `recipients` (in order), and who cannot be
    /// reached: the step's `channels` if any, else each person's first rule that applies;
    /// `cut`, the next notice (none after the last), names who gets nothing before it.
    /// Sorted by due instant, then by recipient, then by the rule's runs and steps in order.
    pub(crate) fn plan(
        &self,
        recipients: &[UserId],
        channels: &[Channel],
        urgency: Urgency,
        attempt: u32,
        at: DateTime<Utc>,
        cut: Option<DateTime<Utc>>,
    ) -> Result<(Vec<Contact>, Vec<Unreachable>), Error> {
        let mut contacts: Vec<(usize, usize, Contact)> = Vec::new();
        let mut unreachable = Vec::new();
        for (who, &user) in recipients.iter().enumerate() {
            let Some(profile) = self.by_user.get(&user) else {
                unreachable.push(Unreachable::NoProfile { user });
                continue;
            };
            let before = contacts.len();
            if !channels.is_empty() {
                for m in &profile.methods {
                    if m.enabled && channels.contains(&m.channel) {
                        let order = contacts.len();
                        contacts.push((who, order, contact(user, m, None, at)));
                    }
                }
                if contacts.len() == before {
                    unreachable.push(Unreachable::NoMethodOn {
                        user,
                        channels: channels.to_vec(),
                    });
                } else if let Some(next) = cut.filter(|next| *next <= at) {
                    unreachable.push(Unreachable::TooLate { user, next });
                }
                continue;
            }
            let Some(rule) = profile.rule_for(urgency, attempt, at)? else {
                unreachable.push(Unreachable::NoRule { user });
                continue;
            };
            let runs = rule.repeat.map_or(0, |r| r.times);
            let (mut enabled, mut past_the_end) = (false, false);
            for run in 0..=runs {
                let start = match rule.repeat {
                    None => Some(at),
                    Some(r) => r
                        .every
                        .checked_mul(i32::try_from(run).unwrap_or(i32::MAX))
                        .and_then(|o| at.checked_add_signed(o)),
                };
                for step in &rule.steps {
                    let Some(m) = profile.methods.iter().find(|m| m.name == step.method) else {
                        continue;
                    };
                    if !m.enabled {
                        continue;
                    }
                    enabled = true;
                    let Some(due) = start.and_then(|s| s.checked_add_signed(step.after)) else {
                        past_the_end = true;
                        continue;
                    };
                    let order = contacts.len();
                    contacts.push((who, order, contact(user, m, Some(&rule.name), due)));
                }
            }
            if !enabled {
                unreachable.push(Unreachable::NoEnabledMethod {
                    user,
                    rule: rule.name.clone(),
                });
                continue;
            }
            if past_the_end {
                unreachable.push(Unreachable::OutOfRange {
                    user,
                    rule: rule.name.clone(),
                });
            }
            let mine = contacts.get(before..).unwrap_or_default();
            if let Some(next) = cut {
                if !mine.is_empty() && mine.iter().all(|(_, _, c)| c.due >= next) {
                    unreachable.push(Unreachable::TooLate { user, next });
                }
            }
        }
        contacts.sort_by_key(|(who, order, c)| (c.due, *who, *order));
        Ok((
            contacts.into_iter().map(|(_, _, c)| c).collect(),
            unreachable,
        ))
    }
}

fn contact(user: UserId, m: &Method, rule: Option<&str>, due: DateTime<Utc>) -> Contact {
    Contact {
        user,
        method: m.name.clone(),
        channel: m.channel,
        rule: rule.map(str::to_owned),
        due,
    }
}

impl Profile {
    /// The first enabled rule whose conditions hold for a notice at `at`.
    fn rule_for(
        &self,
        urgency: Urgency,
        attempt: u32,
        at: DateTime<Utc>,
    ) -> Result<Option<&ContactRule>, Error> {
        for r in &self.rules {
            let s = &r.spec;
            if !s.enabled
                || s.urgency.is_some_and(|u| u != urgency)
                || s.attempt.is_some_and(|a| a != attempt)
            {
                continue;
            }
            if let Some(cal) = &r.hours {
                let open = cal.is_open(&at).map_err(|e| Error::Calendar(Box::new(e)))?;
                if !open {
                    continue;
                }
            }
            return Ok(Some(s));
        }
        Ok(None)
    }
}

/// Checks one profile and compiles its rules' hours.
fn compile(spec: &ProfileSpec) -> Result<Profile, Error> {
    let user = spec.user;
    if let Some(text) = &spec.zone {
        if Zone::parse(text).is_none() {
            return Err(Error::UnknownProfileZone {
                user,
                zone: text.clone(),
                allowed: Zone::ALLOWED,
            });
        }
    }
    if spec.methods.len() > MAX_METHODS {
        return Err(Error::TooManyMethods {
            user,
            methods: spec.methods.len(),
            max: MAX_METHODS,
        });
    }
    if spec.rules.len() > MAX_RULES {
        return Err(Error::TooManyRules {
            user,
            rules: spec.rules.len(),
            max: MAX_RULES,
        });
    }
    unique(user, "method", spec.methods.iter().map(|m| m.name.as_str()))?;
    unique(user, "rule", spec.rules.iter().map(|r| r.name.as_str()))?;
    let limit = Duration::days(MAX_CONTACT_DELAY_DAYS);
    let mut rules = Vec::with_capacity(spec.rules.len());
    for r in &spec.rules {
        let rule = || r.name.clone();
        if r.steps.is_empty() {
            return Err(Error::NoRuleSteps { user, rule: rule() });
        }
        if r.steps.len() > MAX_RULE_STEPS {
            return Err(Error::TooManyRuleSteps {
                user,
                rule: rule(),
                steps: r.steps.len(),
                max: MAX_RULE_STEPS,
            });
        }
        for s in &r.steps {
            if !spec.methods.iter().any(|m| m.name == s.method) {
                return Err(Error::UnknownMethod {
                    user,
                    rule: rule(),
                    method: s.method.clone(),
                    known: spec.methods.iter().map(|m| m.name.clone()).collect(),
                });
            }
            if s.after < Duration::zero() || s.after > limit {
                return Err(Error::InvalidDelay {
                    user,
                    rule: rule(),
                    given: s.after,
                    max_days: MAX_CONTACT_DELAY_DAYS,
                });
            }
        }
        if let Some(rep) = r.repeat {
            if rep.every <= Duration::zero()
                || rep.every > limit
                || rep.times == 0
                || rep.times > MAX_CONTACT_REPEATS
            {
                return Err(Error::InvalidRepeat {
                    user,
                    rule: rule(),
                    max_times: MAX_CONTACT_REPEATS,
                    max_days: MAX_CONTACT_DELAY_DAYS,
                });
            }
        }
        if r.attempt.is_some_and(|a| a == 0 || a > MAX_ATTEMPT) {
            return Err(Error::InvalidAttempt { user, rule: rule() });
        }
        let hours = match &r.hours {
            None => None,
            Some(h) => {
                let mut cal = CalendarSpec::new(format!("{user}/{}", r.name), h.week.clone());
                cal.zone.clone_from(&spec.zone);
                cal.holidays.clone_from(&h.holidays);
                Some(Calendar::new(&cal).map_err(|source| Error::InvalidHours {
                    user,
                    rule: rule(),
                    source: Box::new(source),
                })?)
            }
        };
        rules.push(Rule {
            spec: r.clone(),
            hours,
        });
    }
    if spec.handoffs.len() > MAX_RULES {
        return Err(Error::TooManyRules {
            user,
            rules: spec.handoffs.len(),
            max: MAX_RULES,
        });
    }
    for (i, h) in spec.handoffs.iter().enumerate() {
        let rule = format!("handoff reminder {}", i + 1);
        if !spec.methods.iter().any(|m| m.name == h.method) {
            return Err(Error::UnknownMethod {
                user,
                rule,
                method: h.method.clone(),
                known: spec.methods.iter().map(|m| m.name.clone()).collect(),
            });
        }
        if h.before < Duration::zero() || h.before > limit {
            return Err(Error::InvalidDelay {
                user,
                rule,
                given: h.before,
                max_days: MAX_CONTACT_DELAY_DAYS,
            });
        }
    }
    Ok(Profile {
        methods: spec.methods.clone(),
        rules,
        handoffs: spec.handoffs.clone(),
    })
}

/// Refuses an empty or repeated name.
fn unique<'a>(
    user: UserId,
    what: &'static str,
    names: impl Iterator<Item = &'a str>,
) -> Result<(), Error> {
    let mut seen = HashSet::new();
    for n in names {
        if n.trim().is_empty() {
            return Err(Error::InvalidName { user, what });
        }
        if !seen.insert(n) {
            return Err(Error::DuplicateName {
                user,
                what,
                name: n.to_owned(),
            });
        }
    }
    Ok(())
}
