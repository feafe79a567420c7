//! Ids shared by several practices: newtypes over [`Uuid`](uuid::Uuid). The host makes ids (for example
//! with `Uuid::new_v4`, or `Uuid::new_v5` from a foreign key); the crates never do.

/// Declares an id newtype over [`Uuid`](uuid::Uuid) with the derives, `from_u128`,
/// `Display` and `FromStr` every id of the workspace has. The `serde` and `schemars` derives follow the
/// *calling* crate's features of those names, as practice crates have them.
#[doc(hidden)]
#[macro_export]
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        pub struct $name(pub $crate::__private::Uuid);

        impl $name {
            /// An id from a 128-bit number (handy for tests and for mapping foreign ids).
            pub const fn from_u128(value: u128) -> Self {
                $name($crate::__private::Uuid::from_u128(value))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            /// Parses a UUID (hyphenated, simple, braced or `urn:uuid:`), as `Display` writes it.
            fn from_str(text: &str) -> Result<Self, $crate::Error> {
                text.parse::<$crate::__private::Uuid>()
                    .map($name)
                    .map_err(|_| $crate::Error::InvalidId {
                        kind: stringify!($name),
                        text: text.to_owned(),
                    })
            }
        }
    };
}

/// Declares a unit enum whose variants have fixed snake-case names: the derives, `name()` and
/// `Display` every such enum of the workspace has (statuses, kinds, orders). The `serde` and
/// `schemars` derives follow the *calling* crate's features of those names, as with
/// [`id_type!`]. The enum is `#[non_exhaustive]`.
#[doc(hidden)]
#[macro_export]
macro_rules! named_enum {
    ($(#[$doc:meta])* $ty:ident { $($(#[$vdoc:meta])* $variant:ident => $name:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[non_exhaustive]
        pub enum $ty {
            $($(#[$vdoc])* $variant),+
        }

        impl $ty {
            /// Its name in messages, JSON and the state diagrams.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

id_type!(
    /// A person or system account.
    UserId
);
id_type!(
    /// An assignment group (a team).
    GroupId
);
id_type!(
    /// A service (business or technical) as the service catalogue and the CMDB know it.
    ServiceId
);
id_type!(
    /// A configuration item of any class.
    ConfigItemId
);
id_type!(
    /// An incident record (made by the host; the incident practice owns the record).
    IncidentId
);
id_type!(
    /// A problem record (the problem practice owns it; other practices keep only the id).
    ProblemId
);
id_type!(
    /// A change request (the change practice owns it; other practices keep only the id).
    ChangeId
);
id_type!(
    /// A known error record.
    KnownErrorId
);
