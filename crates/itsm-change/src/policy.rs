//! Everything a vendor configures, as data: change models (types with their path through the
//! phases), risk assessment, close codes, permissions.

use std::borrow::Cow;

use itsm_core::{Lifecycle, Permissions, Role, StateSpec, TransitionSpec};

use crate::error::Error;
use crate::model::{Phase, ReviewOutcome};
use crate::risk::RiskPolicy;

/// One state of a change model under a vendor's name: the built-in phase whose rules it
/// follows, as incidents' vendor states follow a built-in kind.
///
/// ```
/// use itsm_change::{ModelState, Phase};
///
/// let validated = ModelState::new("validated", Phase::Assess);
/// assert_eq!(validated.phase.category(), itsm_change::Category::Open);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ModelState {
    /// The vendor's name (`validated`, `planned`, ...).
    pub name: String,
    /// The built-in phase: `decide`'s rules, SLAs and KPIs see this.
    pub phase: Phase,
}

impl ModelState {
    /// A state named `name` in `phase`.
    pub fn new(name: &str, phase: Phase) -> Self {
        ModelState {
            name: name.to_owned(),
            phase,
        }
    }

    /// The built-in state of a phase, under the phase's own name.
    pub fn builtin(phase: Phase) -> Self {
        ModelState::new(phase.name(), phase)
    }
}

/// The states on a model's path, in order: all of [`ChangeModel::state_list`] but the
/// canceled state.
pub(crate) fn on_path(states: &[ModelState]) -> Vec<&ModelState> {
    states
        .iter()
        .filter(|s| s.phase != Phase::Canceled)
        .collect()
}

/// A change model (type): its path through the phases and who authorises it. ServiceNow's
/// standard, normal and emergency changes are three models.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ChangeModel {
    /// The model's name (`standard`, `normal`, `emergency`, or a vendor's).
    pub name: String,
    /// The phases it goes through, in lifecycle order, from `new` to `closed`; it must
    /// include `implement` and `review` (every change is implemented and reviewed).
    pub path: Vec<Phase>,
    /// Whether a change of this model comes from a pre-approved template (standard changes).
    pub template_required: bool,
    /// The pre-approved templates, when `template_required`.
    pub templates: Vec<String>,
    /// The roles that authorise (and may reject) it by hand in `authorize` (`authorize`
    /// and `reject` commands): the CAB's secretary, or the emergency board's.
    pub authorized_by: Vec<Role>,
    /// The approval that authorises it instead, run inside `authorize`
    /// (`request_approval`, then the approvers' answers): stages, quorums, separation of
    /// duties, as `itsm-approval` defines them. Approved: to the next phase; refused: back to
    /// `new`. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub approval: Option<itsm_approval::Policy>,
    /// The model's states under the vendor's names, in order (absent in JSON: one state per
    /// phase of the path, named after it). Each phase of the path has one state or more, in
    /// path order; several states in one phase are passed one after the other by the phase's
    /// forward command (iTop's `validated` then `assigned` are two states of `assess`,
    /// each left by `complete_assessment`), except `review`, which has one (`close` records
    /// the review). A state of phase `canceled` names the state `cancel` leads to.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub states: Vec<ModelState>,
}

impl ChangeModel {
    /// A model with a path and no template or authoriser; set the others through the fields.
    pub fn new(name: &str, path: Vec<Phase>) -> Self {
        ChangeModel {
            name: name.to_owned(),
            path,
            template_required: false,
            templates: Vec::new(),
            authorized_by: Vec::new(),
            approval: None,
            states: Vec::new(),
        }
    }

    /// The same model with its states under a vendor's names (see [`ChangeModel::states`]).
    ///
    /// ```
    /// use itsm_change::{ChangeModel, ModelState, Models, Phase};
    ///
    /// let path = vec![Phase::New, Phase::Assess, Phase::Scheduled, Phase::Implement, Phase::Review, Phase::Closed];
    /// let states = [
    ///     ModelState::new("new", Phase::New),
    ///     ModelState::new("validated", Phase::Assess),
    ///     ModelState::new("assigned", Phase::Assess),
    ///     ModelState::new("approved", Phase::Scheduled),
    ///     ModelState::new("implemented", Phase::Implement),
    ///     ModelState::new("monitored", Phase::Review),
    ///     ModelState::new("closed", Phase::Closed),
    /// ];
    /// let model = ChangeModel::new("routine", path).with_states(states);
    /// assert_eq!(model.target("validated", "complete_assessment").map(|s| s.name), Some("assigned".into()));
    /// assert!(Models::new(vec![model]).is_ok());
    /// ```
    #[must_use]
    pub fn with_states(mut self, states: impl IntoIterator<Item = ModelState>) -> Self {
        self.states = states.into_iter().collect();
        self
    }

    /// Every state of the model, in order, ending with the canceled state when `cancel` can
    /// be reached: the vendor's [`states`](ChangeModel::states), or one per phase of the
    /// path under the phase's name.
    pub fn state_list(&self) -> Cow<'_, [ModelState]> {
        let cancelable = self
            .path
            .iter()
            .any(|p| *p != Phase::Review && !p.is_terminal());
        let named_cancel = self.states.iter().any(|s| s.phase == Phase::Canceled);
        if !self.states.is_empty() && (named_cancel || !cancelable) {
            return Cow::Borrowed(&self.states);
        }
        let mut out: Vec<ModelState> = if self.states.is_empty() {
            self.path.iter().map(|p| ModelState::builtin(*p)).collect()
        } else {
            self.states.clone()
        };
        if cancelable && !named_cancel {
            out.push(ModelState::builtin(Phase::Canceled));
        }
        Cow::Owned(out)
    }

    /// The state a change in phase `phase` is in when it enters the phase by a move: the
    /// phase's first state (`None` when the phase is not on the model).
    pub fn first_state(&self, phase: Phase) -> Option<ModelState> {
        self.state_list().iter().find(|s| s.phase == phase).cloned()
    }

    /// The state `command` leads to from the state named `from`, if the model allows it.
    ///
    /// ```
    /// use itsm_change::Policy;
    ///
    /// let policy = Policy::servicenow();
    /// let normal = policy.models.get("normal").unwrap();
    /// assert_eq!(normal.target("assess", "reject").map(|s| s.name), Some("new".into()));
    /// assert_eq!(normal.target("review", "cancel"), None);
    /// ```
    pub fn target(&self, from: &str, command: &str) -> Option<ModelState> {
        let to = self
            .transitions()
            .into_iter()
            .find(|t| t.from == from && t.command == command)?
            .to;
        self.state_list().iter().find(|s| s.name == to).cloned()
    }

    /// The commands the state named `state` accepts, in [`Command::NAMES`](crate::Command)
    /// order: its transitions, and `retype` in a state of the new phase (which a change
    /// whose approval was requested still refuses). The task commands are not listed: they
    /// act on a task, and every state but closed and canceled accepts them.
    pub fn commands_in(&self, state: &str) -> Vec<&'static str> {
        let table = self.transitions();
        let new = self
            .state_list()
            .iter()
            .any(|s| s.name == state && s.phase == Phase::New);
        crate::Command::NAMES
            .into_iter()
            .filter(|c| {
                table.iter().any(|t| t.from == state && t.command == *c) || (*c == "retype" && new)
            })
            .collect()
    }

    /// The command that leaves `phase` forward.
    pub(crate) fn forward_command(phase: Phase) -> Option<&'static str> {
        Some(match phase {
            Phase::New => "submit",
            Phase::Assess => "complete_assessment",
            Phase::Authorize => "authorize",
            Phase::Scheduled => "implement",
            Phase::Implement => "complete",
            Phase::Review => "close",
            Phase::Closed | Phase::Canceled => return None,
        })
    }

    /// The model's transition table, by state name: forward along the states (each left by
    /// its phase's forward command), `reject` back to the first state from assessment and
    /// authorisation, `cancel` from every phase but review and the terminal ones, and the
    /// commands that keep the state (`assess`, `plan`, `put_on_hold`, `resume`).
    pub fn transitions(&self) -> Vec<TransitionSpec> {
        let states = self.state_list();
        let mut out = Vec::new();
        let path = on_path(&states);
        for pair in path.windows(2) {
            if let [from, to] = pair {
                if let Some(command) = ChangeModel::forward_command(from.phase) {
                    out.push(TransitionSpec::new(&from.name, command, &to.name));
                }
            }
        }
        let first = path.first().map_or(Phase::New.name(), |s| s.name.as_str());
        let canceled = states
            .iter()
            .find(|s| s.phase == Phase::Canceled)
            .map_or(Phase::Canceled.name(), |s| s.name.as_str());
        for state in &path {
            let (p, phase) = (state.name.as_str(), state.phase);
            if matches!(phase, Phase::Assess | Phase::Authorize) {
                out.push(TransitionSpec::new(p, "reject", first));
            }
            if !phase.is_terminal() && phase != Phase::Review {
                out.push(TransitionSpec::new(p, "cancel", canceled));
            }
            if matches!(phase, Phase::New | Phase::Assess) {
                out.push(TransitionSpec::new(p, "assess", p));
            }
            if matches!(
                phase,
                Phase::New | Phase::Assess | Phase::Authorize | Phase::Scheduled
            ) {
                out.push(TransitionSpec::new(p, "plan", p));
            }
            if phase == Phase::Authorize && self.approval.is_some() {
                out.push(TransitionSpec::new(p, "request_approval", p));
                out.push(TransitionSpec::new(p, "approval", p));
            }
            if !phase.is_terminal() {
                out.push(TransitionSpec::new(p, "put_on_hold", p));
                out.push(TransitionSpec::new(p, "resume", p));
            }
        }
        out
    }

    /// The model as a generic lifecycle, for diagrams ([`Lifecycle::to_mermaid`]) and
    /// conformance checks of real logs.
    ///
    /// # Errors
    /// [`itsm_core::Error::InvalidLifecycle`] when the path is unsound (see
    /// [`Models::new`]).
    pub fn lifecycle(&self) -> Result<Lifecycle, itsm_core::Error> {
        let states = self
            .state_list()
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let spec = if i == 0 {
                    StateSpec::initial(&s.name, s.phase.category())
                } else {
                    StateSpec::new(&s.name, s.phase.category())
                };
                if s.phase.is_terminal() {
                    spec.terminal()
                } else {
                    spec
                }
            })
            .collect();
        Lifecycle::new(&self.name, states, self.transitions())
    }

    /// The problems of the vendor's states: names, and phases against the path.
    fn state_problems(&self, problems: &mut Vec<String>) {
        let who = &self.name;
        if self.states.is_empty() {
            return;
        }
        let mut names = std::collections::BTreeSet::new();
        for (i, state) in self.states.iter().enumerate() {
            if state.name.is_empty() {
                problems.push(format!("model `{who}`: state {} has no name", i + 1));
            } else if !names.insert(state.name.as_str()) {
                problems.push(format!(
                    "model `{who}`: state `{}` is listed twice",
                    state.name
                ));
            }
            if let Some(other) = Phase::ALL
                .into_iter()
                .find(|p| p.name() == state.name && *p != state.phase)
            {
                problems.push(format!(
                    "model `{who}`: state `{}` is in phase `{}` but carries the name of phase `{other}`",
                    state.name, state.phase
                ));
            }
        }
        let mut phases: Vec<Phase> = Vec::new();
        for state in self.states.iter().filter(|s| s.phase != Phase::Canceled) {
            if phases.last() != Some(&state.phase) {
                phases.push(state.phase);
            } else if matches!(state.phase, Phase::Review | Phase::Closed) {
                problems.push(format!(
                    "model `{who}`: phase `{}` has one state only (`close` records the review and ends the change)",
                    state.phase
                ));
            }
        }
        if phases != self.path {
            let list = |p: &[Phase]| p.iter().map(|p| p.name()).collect::<Vec<_>>().join(", ");
            problems.push(format!(
                "model `{who}`: the states' phases, in order, are {} but the path is {}; each phase of the path needs its states together, in path order",
                list(&phases),
                list(&self.path)
            ));
        }
        if self
            .states
            .iter()
            .filter(|s| s.phase == Phase::Canceled)
            .count()
            > 1
        {
            problems.push(format!(
                "model `{who}`: only one state may be of phase `canceled`"
            ));
        }
        if self
            .states
            .iter()
            .rev()
            .skip_while(|s| s.phase == Phase::Canceled)
            .any(|s| s.phase == Phase::Canceled)
        {
            problems.push(format!(
                "model `{who}`: the `canceled` state comes last (it is off the path)"
            ));
        }
    }

    /// Every problem of the model: its path's shape, then the lifecycle's checks.
    fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let who = &self.name;
        if self.name.is_empty() {
            problems.push("a model needs a name".to_owned());
        }
        if self.path.first() != Some(&Phase::New) {
            problems.push(format!("model `{who}`: the path must start at `new`"));
        }
        if self.path.last() != Some(&Phase::Closed) {
            problems.push(format!("model `{who}`: the path must end at `closed`"));
        }
        if !self.path.windows(2).all(|w| matches!(w, [a, b] if a < b)) {
            problems.push(format!(
                "model `{who}`: the path must follow the lifecycle order new, assess, authorize, scheduled, implement, review, closed, each phase once"
            ));
        }
        if self.path.contains(&Phase::Canceled) {
            problems.push(format!(
                "model `{who}`: `canceled` is not on a path (`cancel` reaches it)"
            ));
        }
        for needed in [Phase::Scheduled, Phase::Implement, Phase::Review] {
            if !self.path.contains(&needed) {
                problems.push(format!(
                    "model `{who}`: the path must include `{needed}` (every change is scheduled, implemented and reviewed)"
                ));
            }
        }
        if self.path.contains(&Phase::Authorize)
            && self.authorized_by.is_empty()
            && self.approval.is_none()
        {
            problems.push(format!(
                "model `{who}`: `authorize` is on the path but neither `authorized_by` names a role nor an `approval` is set"
            ));
        }
        if self.template_required && self.templates.is_empty() {
            problems.push(format!(
                "model `{who}`: a template is required but none is listed"
            ));
        }
        self.state_problems(&mut problems);
        if problems.is_empty() {
            if let Err(e) = self.lifecycle() {
                problems.push(e.to_string());
            }
        }
        problems
    }
}

/// A policy's change models, checked: each model's path sound, names unique.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "Vec<ChangeModel>", into = "Vec<ChangeModel>")
)]
pub struct Models(Vec<ChangeModel>);

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Models {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Models".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<ChangeModel>>::json_schema(generator)
    }
}

impl TryFrom<Vec<ChangeModel>> for Models {
    type Error = Error;

    fn try_from(models: Vec<ChangeModel>) -> Result<Self, Error> {
        Models::new(models)
    }
}

impl From<Models> for Vec<ChangeModel> {
    fn from(models: Models) -> Self {
        models.0
    }
}

impl Models {
    /// Checks models: names unique and not empty; each path starts at `new`, ends at
    /// `closed`, follows the lifecycle order with each phase once, includes `scheduled`,
    /// `implement` and `review`; a vendor's states (names unique, not empty, not a phase's name
    /// in another phase) group by phase in path order, with one state in `review` and
    /// `closed` and one `canceled` state at most, last; `authorize` on a path needs roles in `authorized_by`; a
    /// required template needs templates; and each model's lifecycle passes
    /// [`Lifecycle::new`]'s checks (every phase reachable, every path ends). Every problem is
    /// reported at once.
    ///
    /// # Errors
    /// [`Error::InvalidPolicy`].
    ///
    /// ```
    /// use itsm_change::{ChangeModel, Models, Phase};
    ///
    /// let quick = ChangeModel::new("quick", vec![Phase::New, Phase::Implement, Phase::Closed]);
    /// let err = Models::new(vec![quick]).unwrap_err();
    /// assert!(err.to_string().contains("must include `scheduled`"), "{err}");
    /// ```
    pub fn new(models: Vec<ChangeModel>) -> Result<Self, Error> {
        let mut problems = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        for model in &models {
            if !names.insert(model.name.as_str()) {
                problems.push(format!("model `{}` is listed twice", model.name));
            }
            problems.extend(model.problems());
        }
        if problems.is_empty() {
            Ok(Models(models))
        } else {
            Err(Error::InvalidPolicy { problems })
        }
    }

    /// The model named `name`.
    pub fn get(&self, name: &str) -> Option<&ChangeModel> {
        self.0.iter().find(|m| m.name == name)
    }

    /// Every model, in order.
    pub fn all(&self) -> &[ChangeModel] {
        &self.0
    }
}

/// The close codes allowed for one review outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CloseCodes {
    /// The outcome.
    pub outcome: ReviewOutcome,
    /// Its codes; empty: any non-empty code.
    pub codes: Vec<String>,
}

/// What a planned window with conflicts in the change calendar does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ConflictHandling {
    /// The window is planned and the `planned` event lists the conflicts (ServiceNow shows
    /// them to the change manager).
    #[default]
    Warn,
    /// The window is refused ([`Error::Conflicts`](crate::Error::Conflicts)).
    Block,
}

/// The change policy: everything a vendor configures. [`Policy::servicenow`] follows
/// ServiceNow's documented model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// The change models (checked when loaded).
    pub models: Models,
    /// How risk is assessed.
    pub risk: RiskPolicy,
    /// The close codes per review outcome; an outcome not listed accepts any non-empty code.
    pub close_codes: Vec<CloseCodes>,
    /// Whether implementation may start before the planned window (ServiceNow: no).
    pub implement_before_window: bool,
    /// What a window with conflicts does, when `decide` gets a change calendar.
    #[cfg_attr(feature = "serde", serde(default))]
    pub conflicts: ConflictHandling,
    /// Which roles may run which command (by name, e.g. `submit`); `authorize` and `reject`
    /// in `authorize` need a role of the model's `authorized_by` instead.
    pub permissions: Permissions,
}

fn role(name: &str) -> Role {
    match Role::new(name) {
        Ok(role) => role,
        Err(_) => unreachable!("role names in presets are not empty"), // invariant: constant non-empty names
    }
}

impl Default for Policy {
    /// [`Policy::servicenow`].
    fn default() -> Self {
        Policy::servicenow()
    }
}

impl Policy {
    /// ServiceNow's documented change model: three models (standard from a pre-approved
    /// template, skipping assessment and authorisation; normal through assessment and CAB
    /// authorisation; emergency skipping assessment, authorised by the emergency CAB), the
    /// default risk lookup, close codes successful, successful with issues and
    /// unsuccessful, no implementation before the window.
    ///
    /// Roles: `requester` (raises, submits, requests the approval, cancels),
    /// `change_manager` (all but the boards' decisions), `implementer` (implements, completes), `cab` and `ecab` (the
    /// boards).
    pub fn servicenow() -> Self {
        let mut standard = ChangeModel::new(
            "standard",
            vec![
                Phase::New,
                Phase::Scheduled,
                Phase::Implement,
                Phase::Review,
                Phase::Closed,
            ],
        );
        standard.template_required = true;
        standard.templates = vec!["os_patch".to_owned(), "service_restart".to_owned()];
        let mut normal = ChangeModel::new(
            "normal",
            vec![
                Phase::New,
                Phase::Assess,
                Phase::Authorize,
                Phase::Scheduled,
                Phase::Implement,
                Phase::Review,
                Phase::Closed,
            ],
        );
        normal.authorized_by = vec![role("cab")];
        let mut emergency = ChangeModel::new(
            "emergency",
            vec![
                Phase::New,
                Phase::Authorize,
                Phase::Scheduled,
                Phase::Implement,
                Phase::Review,
                Phase::Closed,
            ],
        );
        emergency.authorized_by = vec![role("ecab")];
        let models = match Models::new(vec![standard, normal, emergency]) {
            Ok(models) => models,
            Err(e) => unreachable!("the ServiceNow models are sound: {e}"), // invariant: tested constant models
        };
        let (requester, manager, implementer) = (
            role("requester"),
            role("change_manager"),
            role("implementer"),
        );
        let permissions = Permissions::new()
            .allow("raise", [requester.clone(), manager.clone()])
            .allow("retype", [requester.clone(), manager.clone()])
            .allow("submit", [requester.clone(), manager.clone()])
            .allow("assess", [manager.clone()])
            .allow("complete_assessment", [manager.clone()])
            .allow("reject", [manager.clone()])
            .allow("request_approval", [requester.clone(), manager.clone()])
            .allow(
                "plan",
                [requester.clone(), manager.clone(), implementer.clone()],
            )
            .allow("implement", [implementer.clone(), manager.clone()])
            .allow("complete", [implementer.clone(), manager.clone()])
            .allow("close", [manager.clone()])
            .allow("put_on_hold", [manager.clone()])
            .allow("resume", [manager.clone()])
            .allow("cancel", [requester.clone(), manager.clone()])
            .allow(
                "add_task",
                [requester, manager.clone(), implementer.clone()],
            )
            .allow("start_task", [implementer.clone(), manager.clone()])
            .allow("close_task", [implementer.clone(), manager.clone()])
            .allow("cancel_task", [manager.clone()])
            .allow("hold_task", [implementer.clone(), manager.clone()])
            .allow("resume_task", [implementer, manager]);
        let codes = |outcome, codes: &[&str]| CloseCodes {
            outcome,
            codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        };
        Policy {
            models,
            risk: RiskPolicy::default(),
            close_codes: vec![
                codes(ReviewOutcome::Successful, &["successful"]),
                codes(
                    ReviewOutcome::SuccessfulWithIssues,
                    &["successful_with_issues"],
                ),
                codes(ReviewOutcome::Failed, &["unsuccessful"]),
                codes(ReviewOutcome::BackedOut, &["unsuccessful"]),
            ],
            implement_before_window: false,
            conflicts: ConflictHandling::Warn,
            permissions,
        }
    }

    /// The close codes allowed for an outcome (empty: any non-empty code).
    pub fn close_codes_for(&self, outcome: ReviewOutcome) -> &[String] {
        self.close_codes
            .iter()
            .find(|c| c.outcome == outcome)
            .map_or(&[], |c| &c.codes)
    }
}
