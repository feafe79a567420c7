//! The rules of one tool, as data.

use itsm_core::{Permissions, Role};

use crate::error::Error;
use crate::model::{AssetClass, Status, Substate};

/// One allowed combination of a state and a substate, and the classes that may take it:
/// a row of ServiceNow's "available substates" table.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StateRule {
    /// The state.
    pub status: Status,
    /// The substate (`None`: the state without one).
    pub substate: Option<Substate>,
    /// The classes that may take it.
    pub classes: Vec<AssetClass>,
}

/// A move from one state to another a policy allows (see [`Policy::moves`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Move {
    /// The state before.
    pub from: Status,
    /// The state after.
    pub to: Status,
}

/// A configuration item status an asset's state and substate set on its linked CI
/// (ServiceNow's asset-CI status mapping, from asset to CI).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CiStatusRule {
    /// The asset's state.
    pub status: Status,
    /// The asset's substate; `None` matches any (a rule naming the substate wins over one
    /// that does not).
    #[cfg_attr(feature = "serde", serde(default))]
    pub substate: Option<Substate>,
    /// The CI's status then ("retired").
    pub ci_status: String,
}

/// Where a stock rule's restock comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum RestockSource {
    /// A transfer order from another stockroom.
    Stockroom(String),
    /// A purchase order to a vendor.
    Vendor(String),
}

/// ServiceNow's stock rule: when the available quantity of a model in a stockroom falls
/// to the threshold, restock `order` items, once until the restock is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StockRule {
    /// The rule's name (unique in the policy).
    pub name: String,
    /// The product model counted.
    pub model: String,
    /// The stockroom counted.
    pub stockroom: String,
    /// A restock is asked for when the available quantity is at most this.
    pub threshold: u64,
    /// How many items to ask for (at least 1).
    pub order: u64,
    /// Where they come from.
    pub source: RestockSource,
}

/// The rules of one tool. Preset: [`Policy::servicenow`]; adjust the public fields, or read
/// a vendor's from JSON, then run [`Policy::check`] once ([`decide`](crate::decide) does not
/// re-check the tables on every call).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Policy {
    /// Every allowed state and substate, with the classes that may take it. A record's
    /// placement is always one of these.
    pub states: Vec<StateRule>,
    /// The state changes [`Command::SetState`](crate::Command::SetState) may make;
    /// `None`: any (ServiceNow lets the asset role edit the state freely; a vendor that
    /// wants, say, retired to be final lists its moves). The workflow commands (receive,
    /// assign, consume, transfer...) make their own documented moves whatever this says.
    #[cfg_attr(feature = "serde", serde(default))]
    pub moves: Option<Vec<Move>>,
    /// The in-stock substates an asset may be assigned from (a reservation for someone
    /// else refuses it all the same).
    pub assignable: Vec<Substate>,
    /// The CI statuses asset states set on their linked CI.
    #[cfg_attr(feature = "serde", serde(default))]
    pub ci_status: Vec<CiStatusRule>,
    /// Stock rules, checked by [`Command::RunStockRules`](crate::Command::RunStockRules).
    #[cfg_attr(feature = "serde", serde(default))]
    pub stock_rules: Vec<StockRule>,
    /// Who may issue each command (by its [`name`](crate::Command::name)); stock rule runs
    /// are the system's and not checked.
    pub permissions: Permissions,
}

impl Policy {
    /// ServiceNow's Asset Management: the documented table of states and their substates
    /// ("Set asset states and substates"): on order, in maintenance and build without a
    /// substate (build for bundles and other non-hardware assets only), in use with an
    /// optional one (not for consumables), consumed for consumables only, in stock and in
    /// transit with one of theirs (pre-allocated not for consumables, which "cannot be
    /// pre-allocated"), retired with an optional one, missing lost or stolen. Any state
    /// may be set by hand; assets are assigned from available, reserved or pending
    /// install; retiring sets the linked CI's status to retired; the `asset` role issues
    /// every command.
    pub fn servicenow() -> Self {
        use AssetClass::{Bundle, Consumable, Hardware, Other};
        let all = || AssetClass::ALL.to_vec();
        let items = || vec![Hardware, Bundle, Other];
        let mut states = Vec::new();
        let mut row = |status, substate: Option<Substate>, classes: Vec<AssetClass>| {
            states.push(StateRule {
                status,
                substate,
                classes,
            });
        };
        row(Status::OnOrder, None, all());
        row(Status::Build, None, vec![Bundle, Other]);
        for s in [
            Substate::AVAILABLE,
            Substate::RESERVED,
            Substate::DEFECTIVE,
            Substate::PENDING_REPAIR,
            Substate::PENDING_INSTALL,
            Substate::PENDING_DISPOSAL,
            Substate::PENDING_TRANSFER,
            Substate::PRE_ALLOCATED,
            Substate::ON_HOLD,
            Substate::LEGAL_HOLD,
            Substate::QUARANTINE,
            Substate::PENDING_FULFILLMENT,
            Substate::PENDING_CERTIFICATE,
            Substate::PENDING_RETURN,
            Substate::TEST,
            Substate::END_OF_SUPPORT,
            Substate::PENDING_RETIREMENT,
            Substate::PENDING_RESALE,
            Substate::PENDING_EVALUATION,
        ] {
            let classes = if s == Substate::PRE_ALLOCATED {
                items()
            } else {
                all()
            };
            row(Status::InStock, Some(s), classes);
        }
        for s in [
            Substate::AVAILABLE,
            Substate::RESERVED,
            Substate::DEFECTIVE,
            Substate::PENDING_INSTALL,
            Substate::PENDING_DISPOSAL,
            Substate::PENDING_DONATION,
            Substate::PRE_ALLOCATED,
            Substate::PENDING_RESALE,
        ] {
            let classes = if s == Substate::PRE_ALLOCATED {
                items()
            } else {
                all()
            };
            row(Status::InTransit, Some(s), classes);
        }
        for s in [
            None,
            Some(Substate::PENDING_FULFILLMENT),
            Some(Substate::END_OF_SUPPORT),
            Some(Substate::PENDING_RETIREMENT),
        ] {
            row(Status::InUse, s, items());
        }
        row(Status::Consumed, None, vec![Consumable]);
        row(Status::InMaintenance, None, all());
        for s in [
            None,
            Some(Substate::DISPOSED),
            Some(Substate::PENDING_DISPOSAL),
            Some(Substate::SOLD),
            Some(Substate::DONATED),
            Some(Substate::VENDOR_CREDIT),
            Some(Substate::LEASE_RETURN),
            Some(Substate::OBSOLETE),
            Some(Substate::RMA),
            Some(Substate::BUY_OUT),
            Some(Substate::PENDING_RESALE),
        ] {
            row(Status::Retired, s, all());
        }
        for s in [Substate::LOST, Substate::STOLEN] {
            row(Status::Missing, Some(s), all());
        }
        let roles: Vec<Role> = Role::new("asset").ok().into_iter().collect();
        let permissions = crate::Command::NAMES
            .iter()
            .filter(|name| **name != "run_stock_rules")
            .fold(Permissions::new(), |p, name| p.allow(name, roles.clone()));
        Policy {
            states,
            moves: None,
            assignable: vec![
                Substate::AVAILABLE,
                Substate::RESERVED,
                Substate::PENDING_INSTALL,
            ],
            ci_status: vec![CiStatusRule {
                status: Status::Retired,
                substate: None,
                ci_status: "retired".into(),
            }],
            stock_rules: Vec::new(),
            permissions,
        }
    }

    /// Whether a class may take this state and substate.
    pub fn allows(&self, class: AssetClass, status: Status, substate: Option<&Substate>) -> bool {
        self.states.iter().any(|r| {
            r.status == status && r.substate.as_ref() == substate && r.classes.contains(&class)
        })
    }

    /// The substates a class may take with a state (`None` in the list: no substate).
    pub fn substates(&self, class: AssetClass, status: Status) -> Vec<Option<Substate>> {
        self.states
            .iter()
            .filter(|r| r.status == status && r.classes.contains(&class))
            .map(|r| r.substate.clone())
            .collect()
    }

    /// Whether [`Command::SetState`](crate::Command::SetState) may move from one state to
    /// another (staying is always allowed).
    pub fn may_move(&self, from: Status, to: Status) -> bool {
        from == to
            || self
                .moves
                .as_ref()
                .is_none_or(|moves| moves.contains(&Move { from, to }))
    }

    /// The CI status a state and substate set on the linked CI: the first rule naming
    /// the substate, else the first rule for the state that names none.
    pub fn ci_status_of(&self, status: Status, substate: Option<&Substate>) -> Option<&str> {
        let exact = self.ci_status.iter().find(|r| {
            r.status == status && r.substate.is_some() && r.substate.as_ref() == substate
        });
        exact
            .or_else(|| {
                self.ci_status
                    .iter()
                    .find(|r| r.status == status && r.substate.is_none())
            })
            .map(|r| r.ci_status.as_str())
    }

    /// Checks the values: every substate and name non-empty, no state rule without a
    /// class or listed twice, assignable substates allowed in stock, stock rules with
    /// unique names and an order of at least 1. [`Error::InvalidPolicy`] names the first
    /// bad field.
    pub fn check(&self) -> Result<(), Error> {
        let bad =
            |field: &'static str, allowed: &'static str| Error::InvalidPolicy { field, allowed };
        // `decide` runs this on every call: pairwise scans without allocation (a states
        // table has tens of rows, and most pairs differ in their state).
        for r in &self.states {
            if r.substate.as_ref().is_some_and(|s| s.as_str().is_empty()) {
                return Err(bad("states.substate", "a non-empty name, or none"));
            }
            if r.classes.is_empty() {
                return Err(bad("states.classes", "at least one class per row"));
            }
        }
        for (i, r) in self.states.iter().enumerate() {
            let twice = self.states.iter().take(i).any(|o| {
                o.status == r.status
                    && o.substate == r.substate
                    && o.classes.iter().any(|c| r.classes.contains(c))
            });
            if twice {
                return Err(bad(
                    "states",
                    "each state and substate at most once per class",
                ));
            }
        }
        for s in &self.assignable {
            if !self
                .states
                .iter()
                .any(|r| r.status == Status::InStock && r.substate.as_ref() == Some(s))
            {
                return Err(bad(
                    "assignable",
                    "substates the states table allows with in_stock",
                ));
            }
        }
        for r in &self.ci_status {
            if r.ci_status.is_empty() || r.substate.as_ref().is_some_and(|s| s.as_str().is_empty())
            {
                return Err(bad("ci_status", "non-empty CI statuses and substates"));
            }
        }
        self.check_stock_rules()
    }

    /// The stock rules' part of [`Policy::check`]: what the stock commands rely on, so
    /// [`decide`](crate::decide) runs it for them (a run costs as much anyway).
    pub(crate) fn check_stock_rules(&self) -> Result<(), Error> {
        let bad =
            |field: &'static str, allowed: &'static str| Error::InvalidPolicy { field, allowed };
        for r in &self.stock_rules {
            if r.name.is_empty() || r.model.is_empty() || r.stockroom.is_empty() {
                return Err(bad(
                    "stock_rules",
                    "a non-empty name, model and stockroom per rule",
                ));
            }
            if r.order == 0 {
                return Err(bad("stock_rules.order", "at least 1"));
            }
        }
        if has_duplicates(self.stock_rules.iter().map(|r| r.name.as_str())) {
            return Err(bad("stock_rules.name", "names used once"));
        }
        Ok(())
    }
}

/// Whether any item comes twice: pairwise while the list is short (no allocation, what a
/// policy of tens of rows wants on every call), through a set beyond.
fn has_duplicates<T: Ord + Clone>(items: impl Iterator<Item = T> + Clone) -> bool {
    const SHORT: usize = 128;
    if items.clone().nth(SHORT).is_none() {
        let mut rest = items;
        while let Some(item) = rest.next() {
            if rest.clone().any(|other| other == item) {
                return true;
            }
        }
        return false;
    }
    let mut seen = std::collections::BTreeSet::new();
    items.into_iter().any(|item| !seen.insert(item))
}
