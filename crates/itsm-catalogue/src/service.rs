//! Services in the portfolio: a lifecycle stage (strategy to continual improvement) and a
//! portfolio status (pipeline, live catalogue, retired), moved by a small state machine
//! whose stage gates are data ([`Gate`]).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use itsm_core::{Category, GroupId, Lifecycle, ServiceId, StateSpec, TransitionSpec, UserId};

use crate::error::Error;
use crate::machine::{Context, permit};

/// Where a service is in the service lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ServiceStage {
    /// Why the service should exist, for whom.
    Strategy,
    /// Designing it.
    Design,
    /// Building and moving it into operation.
    Transition,
    /// Running it.
    Operation,
    /// Improving it.
    ContinualImprovement,
}

impl ServiceStage {
    /// Every stage, in lifecycle order.
    pub const ALL: [ServiceStage; 5] = [
        ServiceStage::Strategy,
        ServiceStage::Design,
        ServiceStage::Transition,
        ServiceStage::Operation,
        ServiceStage::ContinualImprovement,
    ];

    /// The stage's name, as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            ServiceStage::Strategy => "strategy",
            ServiceStage::Design => "design",
            ServiceStage::Transition => "transition",
            ServiceStage::Operation => "operation",
            ServiceStage::ContinualImprovement => "continual_improvement",
        }
    }
}

impl std::fmt::Display for ServiceStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Which stage may follow which: forward one step, from improvement back to design or
/// operation, and from operation to improvement. The only statement of the stage moves.
pub const STAGE_MOVES: [(ServiceStage, ServiceStage); 6] = [
    (ServiceStage::Strategy, ServiceStage::Design),
    (ServiceStage::Design, ServiceStage::Transition),
    (ServiceStage::Transition, ServiceStage::Operation),
    (ServiceStage::Operation, ServiceStage::ContinualImprovement),
    (ServiceStage::ContinualImprovement, ServiceStage::Design),
    (ServiceStage::ContinualImprovement, ServiceStage::Operation),
];

/// Where a service is in the portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum PortfolioStatus {
    /// Being prepared; not orderable.
    Pipeline,
    /// In the live catalogue.
    Live,
    /// Withdrawn.
    Retired,
}

impl PortfolioStatus {
    /// Every status, in order.
    pub const ALL: [PortfolioStatus; 3] = [
        PortfolioStatus::Pipeline,
        PortfolioStatus::Live,
        PortfolioStatus::Retired,
    ];

    /// The status's name, as in JSON.
    pub const fn name(self) -> &'static str {
        match self {
            PortfolioStatus::Pipeline => "pipeline",
            PortfolioStatus::Live => "live",
            PortfolioStatus::Retired => "retired",
        }
    }
}

impl std::fmt::Display for PortfolioStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The portfolio status moves: `(from, command, to)`. Commands that edit the record
/// (`set_owner`, `set_support_group`, `add_offering`, `remove_offering`, `move_to`) keep the
/// status and are allowed while not retired. The only statement of the status moves.
pub const SERVICE_TRANSITIONS: [(PortfolioStatus, &str, PortfolioStatus); 3] = [
    (PortfolioStatus::Pipeline, "go_live", PortfolioStatus::Live),
    (
        PortfolioStatus::Pipeline,
        "retire",
        PortfolioStatus::Retired,
    ),
    (PortfolioStatus::Live, "retire", PortfolioStatus::Retired),
];

/// The portfolio lifecycle as data (for diagrams and conformance checks).
///
/// # Errors
/// Never for the built-in table; the `Result` is [`Lifecycle::new`]'s.
pub fn service_lifecycle() -> Result<Lifecycle, itsm_core::Error> {
    Lifecycle::new(
        "service",
        vec![
            StateSpec::initial("pipeline", Category::New),
            StateSpec::new("live", Category::Open),
            StateSpec::new("retired", Category::Closed).terminal(),
        ],
        SERVICE_TRANSITIONS
            .iter()
            .map(|(f, c, t)| TransitionSpec::new(f.name(), c, t.name()))
            .collect(),
    )
}

/// When a gate applies. In JSON `"go_live"`, `"retire"` or `{"enter": "operation"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum GateOn {
    /// Going live.
    GoLive,
    /// Retiring.
    Retire,
    /// Entering a lifecycle stage.
    Enter(ServiceStage),
}

/// A requirement of a gate. In JSON `"owner"`, `"support_group"`, `{"offerings": 1}`,
/// `{"stage_in": ["transition", "operation"]}`, `{"status": "live"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Requirement {
    /// The service has an owner.
    Owner,
    /// The service has a support group.
    SupportGroup,
    /// The service has at least this many offerings.
    Offerings(usize),
    /// The service is in one of these stages.
    StageIn(Vec<ServiceStage>),
    /// The service has this portfolio status.
    Status(PortfolioStatus),
}

impl Requirement {
    /// Why `service` does not meet it, or `None`.
    fn unmet(&self, service: &Service) -> Option<String> {
        match self {
            Requirement::Owner if service.owner.is_none() => {
                Some("the service has no owner; `set_owner` first".to_owned())
            }
            Requirement::SupportGroup if service.support_group.is_none() => {
                Some("the service has no support group; `set_support_group` first".to_owned())
            }
            Requirement::Offerings(n) if service.offerings.len() < *n => Some(format!(
                "the service has {} offerings; at least {n} needed",
                service.offerings.len()
            )),
            Requirement::StageIn(stages) if !stages.contains(&service.stage) => Some(format!(
                "the service is in stage `{}`; allowed: {}",
                service.stage,
                crate::error::names(stages)
            )),
            Requirement::Status(status) if service.status != *status => Some(format!(
                "the service is `{}`; it must be `{status}`",
                service.status
            )),
            _ => None,
        }
    }
}

/// A stage gate: when it applies and what it requires, all checked, every unmet
/// requirement named in the refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Gate {
    /// The gate's name, unique.
    pub name: String,
    /// When it applies.
    pub on: GateOn,
    /// What it requires.
    pub requires: Vec<Requirement>,
}

impl Gate {
    /// A gate.
    pub fn new(
        name: impl Into<String>,
        on: GateOn,
        requires: impl IntoIterator<Item = Requirement>,
    ) -> Self {
        Gate {
            name: name.into(),
            on,
            requires: requires.into_iter().collect(),
        }
    }

    /// The default gates: going live needs an owner, a support group, an offering and the
    /// transition or operation stage; entering operation needs the live catalogue.
    pub fn defaults() -> Vec<Gate> {
        vec![
            Gate::new(
                "ready_for_catalogue",
                GateOn::GoLive,
                [
                    Requirement::Owner,
                    Requirement::SupportGroup,
                    Requirement::Offerings(1),
                    Requirement::StageIn(vec![ServiceStage::Transition, ServiceStage::Operation]),
                ],
            ),
            Gate::new(
                "operate_live_services",
                GateOn::Enter(ServiceStage::Operation),
                [Requirement::Status(PortfolioStatus::Live)],
            ),
        ]
    }
}

/// A service record, read through getters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Service {
    id: ServiceId,
    name: String,
    stage: ServiceStage,
    status: PortfolioStatus,
    owner: Option<UserId>,
    support_group: Option<GroupId>,
    offerings: BTreeSet<String>,
    updated_at: DateTime<Utc>,
}

impl Service {
    /// Its id.
    pub fn id(&self) -> ServiceId {
        self.id
    }
    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Its lifecycle stage.
    pub fn stage(&self) -> ServiceStage {
        self.stage
    }
    /// Its portfolio status.
    pub fn status(&self) -> PortfolioStatus {
        self.status
    }
    /// Its owner.
    pub fn owner(&self) -> Option<UserId> {
        self.owner
    }
    /// Its support group.
    pub fn support_group(&self) -> Option<GroupId> {
        self.support_group
    }
    /// Its offerings (catalogue item names).
    pub fn offerings(&self) -> &BTreeSet<String> {
        &self.offerings
    }
}

/// A service's state: not defined yet, or defined.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "state", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ServiceState {
    /// Before `define`.
    #[default]
    Undefined,
    /// Defined.
    Defined(Box<Service>),
}

impl ServiceState {
    /// The state before anything happened.
    pub const fn new() -> Self {
        ServiceState::Undefined
    }
    /// The service, once defined.
    pub fn service(&self) -> Option<&Service> {
        match self {
            ServiceState::Undefined => None,
            ServiceState::Defined(s) => Some(s),
        }
    }
    /// Folds events in place, as [`evolve_service`] does one by one.
    pub fn apply<'e>(&mut self, events: impl IntoIterator<Item = &'e ServiceEvent>) {
        for event in events {
            *self = evolve_service(std::mem::take(self), event);
        }
    }
}

/// Something asked of a service. In JSON the `command` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ServiceCommand {
    /// Define it: stage strategy, status pipeline.
    Define {
        /// Its id (made by the host).
        id: ServiceId,
        /// Its name.
        name: String,
    },
    /// Set its owner.
    SetOwner {
        /// The owner.
        owner: UserId,
    },
    /// Set its support group.
    SetSupportGroup {
        /// The group.
        group: GroupId,
    },
    /// Add a catalogue item as an offering.
    AddOffering {
        /// The item's name.
        item: String,
    },
    /// Remove an offering.
    RemoveOffering {
        /// The item's name.
        item: String,
    },
    /// Move to another lifecycle stage ([`STAGE_MOVES`]).
    MoveTo {
        /// The stage.
        stage: ServiceStage,
    },
    /// Into the live catalogue.
    GoLive,
    /// Withdraw it.
    Retire,
}

impl ServiceCommand {
    /// The command's name, as in JSON and permissions.
    pub fn name(&self) -> &'static str {
        match self {
            ServiceCommand::Define { .. } => "define",
            ServiceCommand::SetOwner { .. } => "set_owner",
            ServiceCommand::SetSupportGroup { .. } => "set_support_group",
            ServiceCommand::AddOffering { .. } => "add_offering",
            ServiceCommand::RemoveOffering { .. } => "remove_offering",
            ServiceCommand::MoveTo { .. } => "move_to",
            ServiceCommand::GoLive => "go_live",
            ServiceCommand::Retire => "retire",
        }
    }

    /// The commands that edit the record and keep its status.
    pub const EDITS: [&'static str; 5] = [
        "set_owner",
        "set_support_group",
        "add_offering",
        "remove_offering",
        "move_to",
    ];
}

/// Something that happened to a service. In JSON the `type` field is a stable tag.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ServiceEvent {
    /// Defined.
    Defined {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// Its id.
        id: ServiceId,
        /// Its name.
        name: String,
    },
    /// Owner set.
    OwnerSet {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The owner.
        owner: UserId,
    },
    /// Support group set.
    SupportGroupSet {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The group.
        group: GroupId,
    },
    /// Offering added.
    OfferingAdded {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The item.
        item: String,
    },
    /// Offering removed.
    OfferingRemoved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The item.
        item: String,
    },
    /// Moved to another stage.
    StageMoved {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
        /// The stage.
        to: ServiceStage,
    },
    /// Went live.
    WentLive {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
    /// Retired.
    Retired {
        /// When.
        at: DateTime<Utc>,
        /// Who.
        by: UserId,
    },
}

impl ServiceEvent {
    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            ServiceEvent::Defined { at, .. }
            | ServiceEvent::OwnerSet { at, .. }
            | ServiceEvent::SupportGroupSet { at, .. }
            | ServiceEvent::OfferingAdded { at, .. }
            | ServiceEvent::OfferingRemoved { at, .. }
            | ServiceEvent::StageMoved { at, .. }
            | ServiceEvent::WentLive { at, .. }
            | ServiceEvent::Retired { at, .. } => *at,
        }
    }
}

fn gates(ctx: &Context<'_>, on: GateOn, command: &str, service: &Service) -> Result<(), Error> {
    // The service as it would be after the move: gates read the stage it enters.
    for gate in ctx.catalogue.spec().gates.iter().filter(|g| g.on == on) {
        let unmet: Vec<String> = gate
            .requires
            .iter()
            .filter_map(|r| r.unmet(service))
            .collect();
        if !unmet.is_empty() {
            return Err(Error::GateNotMet {
                command: command.to_owned(),
                gate: gate.name.clone(),
                unmet,
            });
        }
    }
    Ok(())
}

/// Decides what a command does to a service: the events, or why it is refused (the
/// status table, the stage moves, then every gate that applies, each listing every unmet
/// requirement).
///
/// # Errors
/// [`Error::NotAllowed`], [`Error::Denied`], [`Error::ClockWentBackwards`],
/// [`Error::StageMove`], [`Error::GateNotMet`], [`Error::Offering`], [`Error::MissingField`].
///
/// ```
/// use itsm_catalogue::chrono::{TimeZone, Utc};
/// use itsm_catalogue::{
///     Actor, Catalogue, CatalogueSpec, Context, ServiceCommand, ServiceId, ServiceState, UserId,
///     decide_service,
/// };
///
/// let catalogue = Catalogue::new(CatalogueSpec::new([]))?;
/// let actor = Actor::new(UserId::from_u128(1), []);
/// let ctx = Context::new(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(), &actor, &catalogue);
/// let mut state = ServiceState::new();
/// let define = ServiceCommand::Define { id: ServiceId::from_u128(1), name: "Email".into() };
/// state.apply(&decide_service(&state, &define, &ctx)?);
/// let err = decide_service(&state, &ServiceCommand::GoLive, &ctx).unwrap_err();
/// assert!(err.to_string().starts_with("`go_live` refused by gate `ready_for_catalogue`: the service has no owner"));
/// # Ok::<(), itsm_catalogue::Error>(())
/// ```
pub fn decide_service(
    state: &ServiceState,
    command: &ServiceCommand,
    ctx: &Context<'_>,
) -> Result<Vec<ServiceEvent>, Error> {
    let (at, by) = (ctx.now, ctx.actor.user);
    let name = command.name();
    permit(ctx, name)?;
    let service = match (state, command) {
        (ServiceState::Undefined, ServiceCommand::Define { id, name }) => {
            if name.trim().is_empty() {
                return Err(Error::MissingField {
                    command: "define",
                    field: "name",
                });
            }
            return Ok(vec![ServiceEvent::Defined {
                at,
                by,
                id: *id,
                name: name.clone(),
            }]);
        }
        (ServiceState::Undefined, _) => {
            return Err(Error::NotAllowed {
                place: "before the service is defined".to_owned(),
                command: name.to_owned(),
                allowed: vec!["define".to_owned()],
            });
        }
        (ServiceState::Defined(service), _) => service,
    };
    if at < service.updated_at {
        return Err(Error::ClockWentBackwards {
            last: service.updated_at,
            now: at,
        });
    }
    let status = service.status;
    let edit = ServiceCommand::EDITS.contains(&name) && status != PortfolioStatus::Retired;
    let moved = SERVICE_TRANSITIONS
        .iter()
        .find(|(f, c, _)| *f == status && *c == name)
        .map(|(_, _, t)| *t);
    if !edit && moved.is_none() {
        let mut allowed: Vec<String> = Vec::new();
        if status != PortfolioStatus::Retired {
            allowed.extend(ServiceCommand::EDITS.iter().map(|s| (*s).to_owned()));
        }
        allowed.extend(
            SERVICE_TRANSITIONS
                .iter()
                .filter(|(f, _, _)| *f == status)
                .map(|(_, c, _)| (*c).to_owned()),
        );
        return Err(Error::NotAllowed {
            place: format!("on a service that is `{status}`"),
            command: name.to_owned(),
            allowed,
        });
    }
    let event = match command {
        ServiceCommand::Define { .. } => unreachable_define(status)?,
        ServiceCommand::SetOwner { owner } => {
            if service.owner == Some(*owner) {
                return Ok(Vec::new());
            }
            ServiceEvent::OwnerSet {
                at,
                by,
                owner: *owner,
            }
        }
        ServiceCommand::SetSupportGroup { group } => {
            if service.support_group == Some(*group) {
                return Ok(Vec::new());
            }
            ServiceEvent::SupportGroupSet {
                at,
                by,
                group: *group,
            }
        }
        ServiceCommand::AddOffering { item } => {
            if ctx.catalogue.item(item).is_none() {
                return Err(Error::Offering {
                    offering: item.clone(),
                    reason: "an item of the catalogue",
                });
            }
            if service.offerings.contains(item) {
                return Ok(Vec::new());
            }
            ServiceEvent::OfferingAdded {
                at,
                by,
                item: item.clone(),
            }
        }
        ServiceCommand::RemoveOffering { item } => {
            if !service.offerings.contains(item) {
                return Err(Error::Offering {
                    offering: item.clone(),
                    reason: "one of the service's offerings",
                });
            }
            ServiceEvent::OfferingRemoved {
                at,
                by,
                item: item.clone(),
            }
        }
        ServiceCommand::MoveTo { stage } => {
            if *stage == service.stage {
                return Ok(Vec::new());
            }
            if !STAGE_MOVES.contains(&(service.stage, *stage)) {
                return Err(Error::StageMove {
                    from: service.stage.name().to_owned(),
                    to: stage.name().to_owned(),
                    allowed: STAGE_MOVES
                        .iter()
                        .filter(|(f, _)| *f == service.stage)
                        .map(|(_, t)| t.name().to_owned())
                        .collect(),
                });
            }
            gates(ctx, GateOn::Enter(*stage), name, service)?;
            ServiceEvent::StageMoved { at, by, to: *stage }
        }
        ServiceCommand::GoLive => {
            gates(ctx, GateOn::GoLive, name, service)?;
            ServiceEvent::WentLive { at, by }
        }
        ServiceCommand::Retire => {
            gates(ctx, GateOn::Retire, name, service)?;
            ServiceEvent::Retired { at, by }
        }
    };
    Ok(vec![event])
}

fn unreachable_define(status: PortfolioStatus) -> Result<ServiceEvent, Error> {
    Err(Error::NotAllowed {
        place: format!("on a service that is `{status}`"),
        command: "define".to_owned(),
        allowed: Vec::new(),
    })
}

/// Folds one event into a service's state. Total: it never fails and checks no rules.
pub fn evolve_service(state: ServiceState, event: &ServiceEvent) -> ServiceState {
    match (state, event) {
        (ServiceState::Undefined, ServiceEvent::Defined { at, id, name, .. }) => {
            ServiceState::Defined(Box::new(Service {
                id: *id,
                name: name.clone(),
                stage: ServiceStage::Strategy,
                status: PortfolioStatus::Pipeline,
                owner: None,
                support_group: None,
                offerings: BTreeSet::new(),
                updated_at: *at,
            }))
        }
        (ServiceState::Undefined, _) => ServiceState::Undefined,
        (ServiceState::Defined(mut s), event) => {
            match event {
                ServiceEvent::Defined { .. } => return ServiceState::Defined(s),
                ServiceEvent::OwnerSet { owner, .. } => s.owner = Some(*owner),
                ServiceEvent::SupportGroupSet { group, .. } => s.support_group = Some(*group),
                ServiceEvent::OfferingAdded { item, .. } => {
                    s.offerings.insert(item.clone());
                }
                ServiceEvent::OfferingRemoved { item, .. } => {
                    s.offerings.remove(item);
                }
                ServiceEvent::StageMoved { to, .. } => s.stage = *to,
                ServiceEvent::WentLive { .. } => s.status = PortfolioStatus::Live,
                ServiceEvent::Retired { .. } => s.status = PortfolioStatus::Retired,
            }
            s.updated_at = s.updated_at.max(event.at());
            ServiceState::Defined(s)
        }
    }
}
