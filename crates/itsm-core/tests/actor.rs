//! Roles, actors and the permission table: an allow-list.
// A test crate: its helpers (not only its `#[test]` functions, which clippy's
// `allow-*-in-tests` settings already cover) may unwrap, index and panic.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use itsm_core::Error;
use itsm_core::{Actor, Permissions, Role, UserId};

fn role(name: &str) -> Role {
    Role::new(name).unwrap()
}

fn table() -> Permissions {
    Permissions::new()
        .allow("resolve", [role("agent"), role("manager")])
        .allow("close", [role("manager")])
}

#[test]
fn an_actor_holding_an_allowed_role_may_act() {
    let perms = table();
    let agent = Actor::new(UserId::from_u128(1), [role("agent")]);
    assert_eq!(perms.check("resolve", &agent), Ok(()));
    // Any one allowed role among several held is enough.
    let both = Actor::new(UserId::from_u128(2), [role("caller"), role("manager")]);
    assert_eq!(perms.check("resolve", &both), Ok(()));
    assert_eq!(perms.check("close", &both), Ok(()));
}

#[test]
fn an_actor_without_an_allowed_role_is_denied_with_the_roles_named() {
    let perms = table();
    let agent = Actor::new(UserId::from_u128(1), [role("caller"), role("agent")]);
    assert_eq!(
        perms.check("close", &agent),
        Err(Error::PermissionDenied {
            action: "close".into(),
            allowed: vec![role("manager")],
            held: vec![role("agent"), role("caller")],
        })
    );
    let nobody = Actor::new(UserId::from_u128(3), []);
    assert_eq!(
        perms.check("resolve", &nobody),
        Err(Error::PermissionDenied {
            action: "resolve".into(),
            allowed: vec![role("agent"), role("manager")],
            held: vec![],
        })
    );
}

#[test]
fn an_action_nobody_is_listed_for_is_denied() {
    let perms = table();
    let manager = Actor::new(UserId::from_u128(1), [role("manager")]);
    assert_eq!(
        perms.check("delete", &manager),
        Err(Error::PermissionDenied {
            action: "delete".into(),
            allowed: vec![],
            held: vec![role("manager")],
        })
    );
    // Listed with no roles is the same refusal.
    let listed_empty = Permissions::new().allow("delete", []);
    assert_eq!(
        listed_empty.check("delete", &manager),
        perms.check("delete", &manager)
    );
    // An empty table denies everything.
    assert!(Permissions::new().check("resolve", &manager).is_err());
    assert_eq!(Permissions::new(), Permissions::default());
}

#[test]
fn allow_adds_to_the_roles_already_allowed() {
    let perms = Permissions::new()
        .allow("resolve", [role("agent")])
        .allow("resolve", [role("manager"), role("agent")])
        .allow("assign", [role("dispatcher")]);
    let roles: Vec<&str> = perms.roles_for("resolve").map(Role::as_str).collect();
    assert_eq!(roles, ["agent", "manager"]);
    assert_eq!(perms.roles_for("missing").count(), 0);
    let actions: Vec<&str> = perms.actions().collect();
    assert_eq!(actions, ["assign", "resolve"]);
    let agent = Actor::new(UserId::from_u128(1), [role("agent")]);
    assert_eq!(perms.check("resolve", &agent), Ok(()));
    assert!(perms.check("assign", &agent).is_err());
}

#[test]
fn role_names_must_not_be_empty() {
    assert_eq!(Role::new(""), Err(Error::EmptyRole));
    assert_eq!(Role::try_from(String::new()), Err(Error::EmptyRole));
    let r = Role::new("major_incident_manager").unwrap();
    assert_eq!(r.as_str(), "major_incident_manager");
    assert_eq!(r.to_string(), "major_incident_manager");
    assert_eq!(String::from(r), "major_incident_manager");
}

#[test]
fn actors_hold_each_role_once_and_can_be_asked() {
    let a = Actor::new(
        UserId::from_u128(9),
        [role("agent"), role("caller"), role("agent")],
    );
    assert_eq!(a.roles.len(), 2);
    assert!(a.has("agent"));
    assert!(a.has("caller"));
    assert!(!a.has("manager"));
    assert!(!a.has(""));
    assert_eq!(a.user, UserId::from_u128(9));
    assert_eq!(a.user.to_string(), "00000000-0000-0000-0000-000000000009");
}

/// `Permissions` prints as the map it stands for (found by cargo-mutants: its hand-written
/// `Debug` was never checked).
#[test]
fn permissions_debug_reads_as_the_map_of_actions_to_roles() {
    let permissions = Permissions::new()
        .allow(
            "close",
            [Role::new("agent").unwrap(), Role::new("admin").unwrap()],
        )
        .allow("assign", [Role::new("agent").unwrap()]);
    assert_eq!(
        format!("{permissions:?}"),
        r#"Permissions { rules: {"assign": {Role("agent")}, "close": {Role("admin"), Role("agent")}} }"#
    );
    assert_eq!(
        format!("{:?}", Permissions::new()),
        "Permissions { rules: {} }"
    );
}
