//! Who acts: users, groups, roles, and role-based permission checks.
//!
//! Lifecycles receive the acting [`Actor`] in their context and ask a [`Permissions`] table
//! (part of each practice's policy, so it is data a vendor configures) whether one of the
//! actor's roles may perform an action.
//!
//! ```
//! use itsm_core::{Actor, Permissions, Role, UserId};
//!
//! let agent = Role::new("agent")?;
//! let perms = Permissions::new().allow("resolve", [agent.clone()]);
//! let alice = Actor::new(UserId::from_u128(1), [agent]);
//! let bob = Actor::new(UserId::from_u128(2), [Role::new("caller")?]);
//! assert!(perms.check("resolve", &alice).is_ok());
//! assert_eq!(
//!     perms.check("resolve", &bob).unwrap_err().to_string(),
//!     "resolve needs one of the roles agent; the actor has caller"
//! );
//! # Ok::<(), itsm_core::Error>(())
//! ```

#[cfg(feature = "serde")]
use std::collections::BTreeMap;
use std::collections::BTreeSet;

use crate::error::Error;
use crate::ids::UserId;

/// A role name, such as `agent` or `major_incident_manager`. Roles are data: a vendor
/// defines its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(with = "String"))]
pub struct Role(String);

impl Role {
    /// A role with a non-empty name.
    ///
    /// # Errors
    /// [`Error::EmptyRole`] when the name is empty.
    ///
    /// ```
    /// use itsm_core::Role;
    ///
    /// assert_eq!(Role::new("agent")?.as_str(), "agent");
    /// assert_eq!(Role::new(""), Err(itsm_core::Error::EmptyRole));
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn new(name: impl Into<String>) -> Result<Self, Error> {
        let name = name.into();
        if name.is_empty() {
            return Err(Error::EmptyRole);
        }
        Ok(Role(name))
    }

    /// The role's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Role {
    type Error = Error;
    fn try_from(name: String) -> Result<Self, Error> {
        Role::new(name)
    }
}

impl std::str::FromStr for Role {
    type Err = Error;
    /// The same as [`Role::new`].
    fn from_str(name: &str) -> Result<Self, Error> {
        Role::new(name)
    }
}

impl From<Role> for String {
    fn from(role: Role) -> Self {
        role.0
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The user performing a command, with the roles they hold for it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Actor {
    /// Who.
    pub user: UserId,
    /// Their roles.
    pub roles: BTreeSet<Role>,
}

impl Actor {
    /// An actor with roles.
    pub fn new(user: UserId, roles: impl IntoIterator<Item = Role>) -> Self {
        Actor {
            user,
            roles: roles.into_iter().collect(),
        }
    }

    /// Whether the actor holds `role`.
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r.as_str() == role)
    }
}

/// Which roles may perform which actions: an allow-list, so an action nobody is listed for
/// is denied.
#[derive(Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schemars",
    schemars(with = "std::collections::BTreeMap<String, BTreeSet<Role>>")
)]
pub struct Permissions {
    // Sorted by action, one entry per action; each list of roles sorted and without repeats.
    // The same content as a `BTreeMap<String, BTreeSet<Role>>` (its JSON form), held flat
    // because `check` runs before every command: a binary search over a few contiguous
    // entries and a scan of a role or two, instead of walking two trees of strings.
    rules: Vec<(String, Vec<Role>)>,
}

impl std::fmt::Debug for Permissions {
    // As the map it stands for: `Permissions { rules: {"close": {Role("agent")}} }`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Set<'a>(&'a [Role]);
        impl std::fmt::Debug for Set<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_set().entries(self.0).finish()
            }
        }
        struct Map<'a>(&'a [(String, Vec<Role>)]);
        impl std::fmt::Debug for Map<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_map()
                    .entries(self.0.iter().map(|(action, roles)| (action, Set(roles))))
                    .finish()
            }
        }
        f.debug_struct("Permissions")
            .field("rules", &Map(&self.rules))
            .finish()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Permissions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.rules.iter().map(|(action, roles)| (action, roles)))
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Permissions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, BTreeSet<Role>>::deserialize(deserializer)?;
        Ok(Permissions {
            rules: map
                .into_iter()
                .map(|(action, roles)| (action, roles.into_iter().collect()))
                .collect(),
        })
    }
}

impl Permissions {
    /// An empty table: every action is denied.
    pub fn new() -> Self {
        Permissions::default()
    }

    /// The roles allowed to perform `action`, sorted; `None` when it is not listed.
    fn allowed(&self, action: &str) -> Option<&[Role]> {
        // A scan that compares lengths before bytes beats a binary search (a full comparison
        // of strings at each step) on tables of a few dozen actions.
        self.rules
            .iter()
            .find(|(listed, _)| listed.len() == action.len() && listed == action)
            .map(|(_, roles)| roles.as_slice())
    }

    /// Allows `roles` to perform `action` (adding to any roles already allowed).
    #[must_use]
    pub fn allow(mut self, action: &str, roles: impl IntoIterator<Item = Role>) -> Self {
        let at = match self
            .rules
            .binary_search_by(|(listed, _)| listed.as_str().cmp(action))
        {
            Ok(at) => at,
            Err(at) => {
                self.rules.insert(at, (action.to_owned(), Vec::new()));
                at
            }
        };
        if let Some((_, list)) = self.rules.get_mut(at) {
            list.extend(roles);
            list.sort_unstable();
            list.dedup();
        }
        self
    }

    /// The roles allowed to perform `action`.
    pub fn roles_for(&self, action: &str) -> impl Iterator<Item = &Role> {
        self.allowed(action).into_iter().flatten()
    }

    /// The actions listed, in name order.
    pub fn actions(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|(action, _)| action.as_str())
    }

    /// Checks that `actor` holds a role allowed to perform `action`.
    ///
    /// # Errors
    /// [`Error::PermissionDenied`] naming the action, the roles that may, and the roles held.
    /// An action the table does not list is denied with an empty list of allowed roles.
    ///
    /// ```
    /// use itsm_core::{Actor, Permissions, Role, UserId};
    /// use itsm_core::Error;
    ///
    /// let manager = Role::new("manager")?;
    /// let perms = Permissions::new().allow("close", [manager.clone()]);
    /// let alice = Actor::new(UserId::from_u128(1), [manager.clone()]);
    /// perms.check("close", &alice)?;
    /// assert_eq!(
    ///     perms.check("delete", &alice),
    ///     Err(Error::PermissionDenied {
    ///         action: "delete".into(),
    ///         allowed: vec![],
    ///         held: vec![manager],
    ///     })
    /// );
    /// # Ok::<(), itsm_core::Error>(())
    /// ```
    pub fn check(&self, action: &str, actor: &Actor) -> Result<(), Error> {
        let allowed = self.allowed(action);
        if let Some(allowed) = allowed {
            if actor.roles.iter().any(|r| allowed.contains(r)) {
                return Ok(());
            }
        }
        Err(Error::PermissionDenied {
            action: action.to_owned(),
            allowed: allowed.map(<[Role]>::to_vec).unwrap_or_default(),
            held: actor.roles.iter().cloned().collect(),
        })
    }
}
