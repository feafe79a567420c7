//! The catalogue as data: items (variables, entitlements, approval steps, a fulfilment plan
//! as a task DAG, access to an application), bundles, separation-of-duties rules, the
//! services' stage gates and permissions. [`CatalogueSpec`] is what a vendor writes;
//! [`Catalogue::new`] checks it, listing every problem.

use std::collections::{BTreeMap, BTreeSet};

use itsm_approval::{Quorum, RefusalRule};
use itsm_core::{GroupId, Permissions, Role, UserId};

use crate::error::Error;
use crate::service::Gate;
use crate::variable::{Value, Variable};

/// Who may order an item: anyone holding one of the roles, in one of the groups, or of one
/// of the organisations. All three empty (the default): everyone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Entitlement {
    /// Roles that may order it.
    pub roles: Vec<Role>,
    /// Groups whose members may order it.
    pub groups: Vec<GroupId>,
    /// Organisations (companies, departments) whose people may order it.
    pub organisations: Vec<String>,
}

impl Entitlement {
    /// Whether `who` may order.
    pub fn allows(&self, who: &crate::Requester) -> bool {
        if self.roles.is_empty() && self.groups.is_empty() && self.organisations.is_empty() {
            return true;
        }
        self.roles.iter().any(|r| who.roles.contains(r))
            || self.groups.iter().any(|g| who.groups.contains(g))
            || who
                .organisation
                .as_ref()
                .is_some_and(|o| self.organisations.contains(o))
    }

    /// Who may order, for messages: `roles `a`; groups ...; organisations ...`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.roles.is_empty() {
            parts.push(format!("roles {}", crate::error::names(&self.roles)));
        }
        if !self.groups.is_empty() {
            parts.push(format!("members of {}", crate::error::names(&self.groups)));
        }
        if !self.organisations.is_empty() {
            parts.push(format!(
                "organisations {}",
                crate::error::names(&self.organisations)
            ));
        }
        parts.join(" or ")
    }
}

/// Who answers in an approval step of an item. In JSON `"manager"`, `"owner"`,
/// `{"person": "<uuid>"}`, `{"role": "it_approver"}`, `{"group": "<uuid>"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum ItemApprover {
    /// The manager of the person the item is for (the order names them).
    Manager,
    /// The application's owner (access items only).
    Owner,
    /// A named person.
    Person(UserId),
    /// Anyone holding the role (one seat).
    Role(Role),
    /// Every member of the group, as the order lists them (one seat each).
    Group(GroupId),
}

/// One approval step of an item; the steps run in order through `itsm-approval`, with its
/// quorum and refusal rules. The person who ordered may not approve (separation of duties).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ApprovalStep {
    /// The step's name (`manager`), unique in the item.
    pub name: String,
    /// Who answers.
    pub approvers: Vec<ItemApprover>,
    /// How many must approve. Absent in JSON: any one.
    #[cfg_attr(feature = "serde", serde(default = "any"))]
    pub quorum: Quorum,
    /// When a rejection refuses the step. Absent in JSON: when the quorum is impossible.
    #[cfg_attr(feature = "serde", serde(default))]
    pub refusal: RefusalRule,
}

#[cfg(feature = "serde")]
fn any() -> Quorum {
    Quorum::Any
}

impl ApprovalStep {
    /// A step with quorum any one.
    pub fn new(name: impl Into<String>, approvers: impl IntoIterator<Item = ItemApprover>) -> Self {
        ApprovalStep {
            name: name.into(),
            approvers: approvers.into_iter().collect(),
            quorum: Quorum::Any,
            refusal: RefusalRule::QuorumImpossible,
        }
    }
}

/// One task of an item's fulfilment plan. Tasks form a DAG through `after`; a task opens
/// when every task it comes after is complete or skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct TaskSpec {
    /// The task's name (`image_laptop`), unique in the item.
    pub name: String,
    /// What to do. Absent in JSON: empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub title: String,
    /// The assignment group, by the host's name for it. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub group: Option<String>,
    /// The tasks that must be done first. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub after: Vec<String>,
}

impl TaskSpec {
    /// A task with no group and no dependencies.
    pub fn new(name: impl Into<String>, title: impl Into<String>) -> Self {
        TaskSpec {
            name: name.into(),
            title: title.into(),
            group: None,
            after: Vec::new(),
        }
    }

    /// This task, after `tasks`.
    #[must_use]
    pub fn after<S: Into<String>>(mut self, tasks: impl IntoIterator<Item = S>) -> Self {
        self.after.extend(tasks.into_iter().map(Into::into));
        self
    }
}

/// An application role: `payroll/admin`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AppRole {
    /// The application.
    pub application: String,
    /// The role in it.
    pub role: String,
}

impl AppRole {
    /// An application role.
    pub fn new(application: impl Into<String>, role: impl Into<String>) -> Self {
        AppRole {
            application: application.into(),
            role: role.into(),
        }
    }
}

impl std::fmt::Display for AppRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.application, self.role)
    }
}

/// What makes an item an access request: the application, its owner (who approves as
/// [`ItemApprover::Owner`]), the roles it grants, and the task that revokes access when it
/// expires.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct AccessSpec {
    /// The application.
    pub application: String,
    /// Its owner.
    pub owner: UserId,
    /// The roles that may be asked for.
    pub roles: Vec<String>,
    /// The task opened when the access expires (its name must not be one of the plan's).
    pub revoke: TaskSpec,
}

impl AccessSpec {
    /// Access to `application`, owned by `owner`, offering `roles`, revoked by `revoke`.
    pub fn new<S: Into<String>>(
        application: impl Into<String>,
        owner: UserId,
        roles: impl IntoIterator<Item = S>,
        revoke: TaskSpec,
    ) -> Self {
        AccessSpec {
            application: application.into(),
            owner,
            roles: roles.into_iter().map(Into::into).collect(),
            revoke,
        }
    }
}

/// A catalogue item (an offering): what the order form asks, who may order it, and how it is
/// fulfilled.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`ItemSpec::new`] and set fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct ItemSpec {
    /// The item's name (`laptop`), unique in the catalogue.
    pub name: String,
    /// What the catalogue shows. Absent in JSON: empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub title: String,
    /// The service it is an offering of, by name. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub service: Option<String>,
    /// The variables, in form order. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub variables: Vec<Variable>,
    /// Who may order it. Absent in JSON: everyone.
    #[cfg_attr(feature = "serde", serde(default))]
    pub entitlement: Entitlement,
    /// The approval steps before fulfilment, in order. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub approval: Vec<ApprovalStep>,
    /// The fulfilment plan: at least one task, a DAG through `after`.
    pub tasks: Vec<TaskSpec>,
    /// Present for an access request. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub access: Option<AccessSpec>,
}

impl ItemSpec {
    /// An item with one task, no variables, no approval, open to everyone.
    pub fn new(name: impl Into<String>, task: TaskSpec) -> Self {
        ItemSpec {
            name: name.into(),
            title: String::new(),
            service: None,
            variables: Vec::new(),
            entitlement: Entitlement::default(),
            approval: Vec::new(),
            tasks: vec![task],
            access: None,
        }
    }
}

/// One item of a bundle, with answers fixed by the bundle (the order's own answers for the
/// line win).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BundleLine {
    /// The item.
    pub item: String,
    /// Preset answers. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub answers: BTreeMap<String, Value>,
}

impl BundleLine {
    /// A line for `item` without preset answers.
    pub fn new(item: impl Into<String>) -> Self {
        BundleLine {
            item: item.into(),
            answers: BTreeMap::new(),
        }
    }
}

/// Several items ordered together (a new starter's laptop, software and access).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct BundleSpec {
    /// The bundle's name, unique in the catalogue.
    pub name: String,
    /// What the catalogue shows. Absent in JSON: empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub title: String,
    /// Its items, in order (an item may appear more than once).
    pub lines: Vec<BundleLine>,
}

impl BundleSpec {
    /// A bundle of these lines, without a title.
    pub fn new(name: impl Into<String>, lines: impl IntoIterator<Item = BundleLine>) -> Self {
        BundleSpec {
            name: name.into(),
            title: String::new(),
            lines: lines.into_iter().collect(),
        }
    }
}

/// Two application roles one person may not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct SodRule {
    /// The rule's name.
    pub name: String,
    /// The two roles.
    pub roles: [AppRole; 2],
    /// Why they conflict (quoted in the refusal).
    pub reason: String,
}

impl SodRule {
    /// A rule that `a` and `b` may not be held together, because of `reason`.
    pub fn new(name: impl Into<String>, a: AppRole, b: AppRole, reason: impl Into<String>) -> Self {
        SodRule {
            name: name.into(),
            roles: [a, b],
            reason: reason.into(),
        }
    }
}

/// A catalogue as a vendor writes it. [`Catalogue::new`] checks it.
///
/// It may gain fields (`#[non_exhaustive]`): build it with [`CatalogueSpec::new`] and set
/// fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "Catalogue"))]
#[non_exhaustive]
pub struct CatalogueSpec {
    /// The items.
    pub items: Vec<ItemSpec>,
    /// The bundles. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub bundles: Vec<BundleSpec>,
    /// Application roles one person may not hold together. Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub separation_of_duties: Vec<SodRule>,
    /// The services' stage gates. Absent in JSON: [`Gate::defaults`].
    #[cfg_attr(feature = "serde", serde(default = "Gate::defaults"))]
    pub gates: Vec<Gate>,
    /// Who may send which command, by command name; `None`: no check (the host checks).
    /// Absent in JSON: none.
    #[cfg_attr(feature = "serde", serde(default))]
    pub permissions: Option<Permissions>,
}

impl CatalogueSpec {
    /// A catalogue of these items with the default gates, no bundles, no separation of
    /// duties and no permission checks.
    pub fn new(items: impl IntoIterator<Item = ItemSpec>) -> Self {
        CatalogueSpec {
            items: items.into_iter().collect(),
            bundles: Vec::new(),
            separation_of_duties: Vec::new(),
            gates: Gate::defaults(),
            permissions: None,
        }
    }
}

/// A checked catalogue: what [`Context`](crate::Context) carries.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "CatalogueSpec", into = "CatalogueSpec")
)]
pub struct Catalogue {
    spec: CatalogueSpec,
    /// Each item's position in the spec, by name (names are unique once checked): an
    /// order's lines find their items by lookup, not by a scan of the catalogue.
    items: BTreeMap<String, usize>,
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Catalogue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        CatalogueSpec::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        CatalogueSpec::json_schema(generator)
    }
}

impl TryFrom<CatalogueSpec> for Catalogue {
    type Error = Error;
    fn try_from(spec: CatalogueSpec) -> Result<Self, Error> {
        Catalogue::new(spec)
    }
}

impl From<Catalogue> for CatalogueSpec {
    fn from(catalogue: Catalogue) -> Self {
        catalogue.spec
    }
}

impl Catalogue {
    /// Checks a catalogue: unique names; variables sound (options, rules that fit, valid
    /// defaults, conditions over earlier variables); each item's tasks a DAG (a cycle is
    /// named, `a -> b -> a`); approval steps valid for `itsm-approval`; access items with
    /// roles and an owner-only `owner` approver; bundles naming items and valid answers;
    /// separation-of-duties rules naming offered roles; gates sound.
    ///
    /// # Errors
    /// [`Error::InvalidCatalogue`] with every problem found.
    ///
    /// ```
    /// use itsm_catalogue::{Catalogue, CatalogueSpec, ItemSpec, TaskSpec};
    ///
    /// let mut item = ItemSpec::new("laptop", TaskSpec::new("order", "Order it").after(["ship"]));
    /// item.tasks.push(TaskSpec::new("ship", "Ship it").after(["order"]));
    /// let err = Catalogue::new(CatalogueSpec::new([item])).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the catalogue is invalid: item `laptop`: its tasks form a cycle: order -> ship -> order"
    /// );
    /// ```
    pub fn new(spec: CatalogueSpec) -> Result<Self, Error> {
        let problems = check(&spec);
        if problems.is_empty() {
            let items = spec
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| (item.name.clone(), i))
                .collect();
            Ok(Catalogue { spec, items })
        } else {
            Err(Error::InvalidCatalogue { problems })
        }
    }

    /// The spec it was built from.
    pub fn spec(&self) -> &CatalogueSpec {
        &self.spec
    }

    /// The item named `name`.
    pub fn item(&self, name: &str) -> Option<&ItemSpec> {
        self.items.get(name).and_then(|i| self.spec.items.get(*i))
    }

    /// The bundle named `name`.
    pub fn bundle(&self, name: &str) -> Option<&BundleSpec> {
        self.spec.bundles.iter().find(|b| b.name == name)
    }

    /// The item names, in catalogue order.
    pub fn item_names(&self) -> Vec<String> {
        self.spec.items.iter().map(|i| i.name.clone()).collect()
    }

    /// The order lines of a bundle: its items with its preset answers; `answers` (by line,
    /// in the bundle's order) add to or override them.
    ///
    /// # Errors
    /// [`Error::UnknownBundle`] naming the bundles there are.
    pub fn bundle_lines(
        &self,
        name: &str,
        mut answers: BTreeMap<usize, BTreeMap<String, Value>>,
    ) -> Result<Vec<crate::OrderLine>, Error> {
        let bundle = self.bundle(name).ok_or_else(|| Error::UnknownBundle {
            bundle: name.to_owned(),
            allowed: self.spec.bundles.iter().map(|b| b.name.clone()).collect(),
        })?;
        Ok(bundle
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let mut order = crate::OrderLine::new(line.item.clone());
                order.answers.clone_from(&line.answers);
                order.answers.extend(answers.remove(&i).unwrap_or_default());
                order
            })
            .collect())
    }

    /// Validates answers for `item` without ordering: every field error at once.
    ///
    /// # Errors
    /// [`Error::UnknownItem`], or [`Error::InvalidOrder`] with every field error (line 0).
    pub fn validate(
        &self,
        item: &str,
        answers: &BTreeMap<String, Value>,
    ) -> Result<BTreeMap<String, Value>, Error> {
        let spec = self.item(item).ok_or_else(|| Error::UnknownItem {
            line: 0,
            item: item.to_owned(),
            allowed: self.item_names(),
        })?;
        crate::variable::validate(0, &spec.variables, answers)
            .map_err(|errors| Error::InvalidOrder { errors })
    }
}

/// The cycle among `tasks`, if any, as names from a task back to itself. Iterative
/// depth-first search in declaration order, so the cycle named is stable.
pub(crate) fn task_cycle(tasks: &[TaskSpec]) -> Option<Vec<String>> {
    let index: BTreeMap<&str, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // 0 unvisited, 1 on the stack, 2 done.
    let mut mark = vec![0u8; tasks.len()];
    for root in 0..tasks.len() {
        if mark.get(root) != Some(&0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(m) = mark.get_mut(root) {
            *m = 1;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let deps = tasks.get(node).map(|t| t.after.as_slice()).unwrap_or(&[]);
            if let Some(dep) = deps.get(*next) {
                *next += 1;
                let Some(&d) = index.get(dep.as_str()) else {
                    continue;
                };
                match mark.get(d) {
                    Some(0) => {
                        if let Some(m) = mark.get_mut(d) {
                            *m = 1;
                        }
                        stack.push((d, 0));
                    }
                    Some(1) => {
                        let from = stack.iter().position(|(n, _)| *n == d).unwrap_or(0);
                        let mut cycle: Vec<String> = stack
                            .get(from..)
                            .unwrap_or(&[])
                            .iter()
                            .filter_map(|(n, _)| tasks.get(*n).map(|t| t.name.clone()))
                            .collect();
                        if let Some(t) = tasks.get(d) {
                            cycle.push(t.name.clone());
                        }
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                if let Some(m) = mark.get_mut(node) {
                    *m = 2;
                }
                stack.pop();
            }
        }
    }
    None
}

fn check(spec: &CatalogueSpec) -> Vec<String> {
    let mut out = Vec::new();
    let mut names = BTreeSet::new();
    let mut offered: BTreeSet<AppRole> = BTreeSet::new();
    for item in &spec.items {
        let name = &item.name;
        if name.trim().is_empty() {
            out.push("an item has an empty name".to_owned());
        }
        if !names.insert(name.as_str()) {
            out.push(format!("item `{name}` is listed twice"));
        }
        let mut declared: BTreeSet<&str> = BTreeSet::new();
        for v in &item.variables {
            if declared.contains(v.name.as_str()) {
                out.push(format!(
                    "item `{name}`: variable `{}` is listed twice",
                    v.name
                ));
            }
            out.extend(
                v.problems(&declared)
                    .into_iter()
                    .map(|p| format!("item `{name}`: {p}")),
            );
            declared.insert(&v.name);
        }
        if item.tasks.is_empty() {
            out.push(format!(
                "item `{name}` has no tasks; a fulfilment plan needs at least one"
            ));
        }
        let mut tasks = BTreeSet::new();
        for t in &item.tasks {
            if t.name.trim().is_empty() {
                out.push(format!("item `{name}`: a task has an empty name"));
            }
            if !tasks.insert(t.name.as_str()) {
                out.push(format!("item `{name}`: task `{}` is listed twice", t.name));
            }
        }
        for t in &item.tasks {
            for dep in &t.after {
                if !tasks.contains(dep.as_str()) {
                    out.push(format!(
                        "item `{name}`: task `{}` comes after `{dep}`, which is not one of its tasks",
                        t.name
                    ));
                }
            }
        }
        if let Some(cycle) = task_cycle(&item.tasks) {
            out.push(format!(
                "item `{name}`: its tasks form a cycle: {}",
                cycle.join(" -> ")
            ));
        }
        if let Some(access) = &item.access {
            if access.roles.is_empty() {
                out.push(format!(
                    "item `{name}`: access to `{}` offers no roles",
                    access.application
                ));
            }
            if tasks.contains(access.revoke.name.as_str()) {
                out.push(format!(
                    "item `{name}`: the revocation task `{}` has the name of a plan task",
                    access.revoke.name
                ));
            }
            if !access.revoke.after.is_empty() {
                out.push(format!(
                    "item `{name}`: the revocation task may not come after other tasks"
                ));
            }
            for role in &access.roles {
                offered.insert(AppRole::new(access.application.clone(), role.clone()));
            }
        }
        let mut steps = BTreeSet::new();
        for step in &item.approval {
            if !steps.insert(step.name.as_str()) {
                out.push(format!(
                    "item `{name}`: approval step `{}` is listed twice",
                    step.name
                ));
            }
            if item.access.is_none() && step.approvers.contains(&ItemApprover::Owner) {
                out.push(format!(
                    "item `{name}`: approval step `{}` names the owner, and only access items have one",
                    step.name
                ));
            }
        }
        if !item.approval.is_empty() {
            let placeholder =
                crate::machine::approval_policy(item, UserId::from_u128(0), UserId::from_u128(0));
            if let Err(e) = itsm_approval::Policy::new(placeholder) {
                out.push(format!("item `{name}`: {e}"));
            }
        }
    }
    // Each item by name (its first listing, as a lookup in order would find), with its
    // variables' names: a bundle's lines are checked by lookups, not scans.
    let mut by_name: BTreeMap<&str, (&ItemSpec, BTreeSet<&str>)> = BTreeMap::new();
    for item in &spec.items {
        by_name.entry(item.name.as_str()).or_insert_with(|| {
            let vars = item.variables.iter().map(|v| v.name.as_str()).collect();
            (item, vars)
        });
    }
    let mut bundles = BTreeSet::new();
    for bundle in &spec.bundles {
        if !bundles.insert(bundle.name.as_str()) {
            out.push(format!("bundle `{}` is listed twice", bundle.name));
        }
        if bundle.lines.is_empty() {
            out.push(format!("bundle `{}` has no items", bundle.name));
        }
        for line in &bundle.lines {
            match by_name.get(line.item.as_str()) {
                None => out.push(format!(
                    "bundle `{}` names item `{}`, which is not in the catalogue",
                    bundle.name, line.item
                )),
                Some((_, vars)) => {
                    for name in line.answers.keys() {
                        if !vars.contains(name.as_str()) {
                            out.push(format!(
                                "bundle `{}`: item `{}` has no variable `{name}`",
                                bundle.name, line.item
                            ));
                        }
                    }
                }
            }
        }
    }
    for rule in &spec.separation_of_duties {
        for role in &rule.roles {
            if !offered.contains(role) {
                out.push(format!(
                    "separation of duties rule `{}` names `{role}`, which no access item offers",
                    rule.name
                ));
            }
        }
        let [a, b] = &rule.roles;
        if a == b {
            out.push(format!(
                "separation of duties rule `{}` names one role twice",
                rule.name
            ));
        }
    }
    let mut gates = BTreeSet::new();
    for gate in &spec.gates {
        if !gates.insert(gate.name.as_str()) {
            out.push(format!("gate `{}` is listed twice", gate.name));
        }
        if gate.requires.is_empty() {
            out.push(format!("gate `{}` requires nothing", gate.name));
        }
    }
    out
}
