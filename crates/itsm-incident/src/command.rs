//! Commands: what someone asks the incident to do. `decide` accepts or rejects them.

use itsm_core::GroupId;
use itsm_core::UserId;
use itsm_core::{Impact, Urgency};

use crate::model::{EscalationKind, HoldReason, Link, Report, Snapshot};

/// A request to change an incident. The acting user and the time come in the
/// [`Context`](crate::Context), never in the command.
#[derive(Debug, Clone, PartialEq, Eq)]
// `Deserialize` is hand-written (in `de` below) with the same format: the derived one for an
// internally tagged enum buffers every object before it looks at the variant.
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "command", rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum Command {
    /// Record a new incident; its priority comes from the policy's matrix.
    Report(Box<Report>),
    /// Bring in an incident from another tool, in whatever state it is.
    Import(Box<Snapshot>),
    /// Assign (or reassign) to a group and optionally a person.
    Assign {
        /// The group.
        group: GroupId,
        /// The person, if any.
        person: Option<UserId>,
    },
    /// Start working on a new incident.
    StartWork,
    /// Put on hold (or change the hold reason).
    PutOnHold {
        /// Why.
        reason: HoldReason,
        /// A comment; required for some reasons (awaiting caller, by default).
        comment: Option<String>,
    },
    /// The caller answered: clears a hold that the caller's response clears; otherwise a
    /// harmless no-op.
    CallerResponded {
        /// What they said, if recorded.
        comment: Option<String>,
    },
    /// Take an incident off hold.
    Resume,
    /// Change impact or urgency; the priority is recomputed.
    Reprioritize {
        /// The new impact.
        impact: Impact,
        /// The new urgency.
        urgency: Urgency,
    },
    /// Escalate to a higher level.
    Escalate {
        /// Functional or hierarchical.
        kind: EscalationKind,
        /// The level to reach (above the current one).
        level: u8,
    },
    /// Declare a major incident.
    DeclareMajor {
        /// Why.
        reason: String,
    },
    /// Stand a major incident down.
    StandDownMajor {
        /// Why.
        reason: String,
    },
    /// Link to a problem, a change, a parent or a child.
    Link {
        /// The link.
        link: Link,
    },
    /// Resolve, with a code and notes.
    Resolve {
        /// The resolution code.
        code: String,
        /// The resolution notes.
        notes: String,
    },
    /// Reopen a resolved incident.
    Reopen {
        /// Why.
        reason: String,
    },
    /// Close a resolved incident (the caller accepts, or an agent closes it).
    Close,
    /// Cancel before resolution.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Let time pass: auto-close when the deadline from [`next_deadline`](crate::next_deadline)
    /// is reached, nothing before.
    Tick,
}

/// The command names, without data: what transition tables, permissions and errors speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum CommandKind {
    /// [`Command::Report`].
    Report,
    /// [`Command::Import`].
    Import,
    /// [`Command::Assign`].
    Assign,
    /// [`Command::StartWork`].
    StartWork,
    /// [`Command::PutOnHold`].
    PutOnHold,
    /// [`Command::CallerResponded`].
    CallerResponded,
    /// [`Command::Resume`].
    Resume,
    /// [`Command::Reprioritize`].
    Reprioritize,
    /// [`Command::Escalate`].
    Escalate,
    /// [`Command::DeclareMajor`].
    DeclareMajor,
    /// [`Command::StandDownMajor`].
    StandDownMajor,
    /// [`Command::Link`].
    Link,
    /// [`Command::Resolve`].
    Resolve,
    /// [`Command::Reopen`].
    Reopen,
    /// [`Command::Close`].
    Close,
    /// [`Command::Cancel`].
    Cancel,
    /// [`Command::Tick`].
    Tick,
}

impl CommandKind {
    /// Every command, in declaration order.
    pub const ALL: [CommandKind; 17] = [
        CommandKind::Report,
        CommandKind::Import,
        CommandKind::Assign,
        CommandKind::StartWork,
        CommandKind::PutOnHold,
        CommandKind::CallerResponded,
        CommandKind::Resume,
        CommandKind::Reprioritize,
        CommandKind::Escalate,
        CommandKind::DeclareMajor,
        CommandKind::StandDownMajor,
        CommandKind::Link,
        CommandKind::Resolve,
        CommandKind::Reopen,
        CommandKind::Close,
        CommandKind::Cancel,
        CommandKind::Tick,
    ];

    /// The command's name, as in permissions, diagrams and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            CommandKind::Report => "report",
            CommandKind::Import => "import",
            CommandKind::Assign => "assign",
            CommandKind::StartWork => "start_work",
            CommandKind::PutOnHold => "put_on_hold",
            CommandKind::CallerResponded => "caller_responded",
            CommandKind::Resume => "resume",
            CommandKind::Reprioritize => "reprioritize",
            CommandKind::Escalate => "escalate",
            CommandKind::DeclareMajor => "declare_major",
            CommandKind::StandDownMajor => "stand_down_major",
            CommandKind::Link => "link",
            CommandKind::Resolve => "resolve",
            CommandKind::Reopen => "reopen",
            CommandKind::Close => "close",
            CommandKind::Cancel => "cancel",
            CommandKind::Tick => "tick",
        }
    }
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for CommandKind {
    type Err = crate::Error;
    /// Parses a command's name as [`CommandKind::name`] writes it (`start_work`).
    fn from_str(name: &str) -> Result<Self, crate::Error> {
        CommandKind::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| crate::Error::UnknownCommand {
                name: name.to_owned(),
            })
    }
}

impl From<crate::model::Report> for Command {
    /// [`Command::Report`], so a host writes `decide(&state, &report.into(), &ctx)`.
    fn from(report: crate::model::Report) -> Self {
        Command::Report(Box::new(report))
    }
}

impl Command {
    /// The command's name without data.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Report(_) => CommandKind::Report,
            Command::Import(_) => CommandKind::Import,
            Command::Assign { .. } => CommandKind::Assign,
            Command::StartWork => CommandKind::StartWork,
            Command::PutOnHold { .. } => CommandKind::PutOnHold,
            Command::CallerResponded { .. } => CommandKind::CallerResponded,
            Command::Resume => CommandKind::Resume,
            Command::Reprioritize { .. } => CommandKind::Reprioritize,
            Command::Escalate { .. } => CommandKind::Escalate,
            Command::DeclareMajor { .. } => CommandKind::DeclareMajor,
            Command::StandDownMajor { .. } => CommandKind::StandDownMajor,
            Command::Link { .. } => CommandKind::Link,
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Reopen { .. } => CommandKind::Reopen,
            Command::Close => CommandKind::Close,
            Command::Cancel { .. } => CommandKind::Cancel,
            Command::Tick => CommandKind::Tick,
        }
    }
}

/// `Deserialize` for [`Command`], accepting exactly what the derived internally tagged one
/// accepted. When the first key of the object is the tag (`"command"`, as `Serialize` writes
/// it), the variant's fields are read straight from the same map, with no buffering;
/// otherwise the first key is replayed into `CommandRepr`, a private mirror of `Command`
/// with the original derive, which buffers as before.
#[cfg(feature = "serde")]
mod de {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::value::{
        BorrowedBytesDeserializer, BorrowedStrDeserializer, BytesDeserializer,
        MapAccessDeserializer, SeqAccessDeserializer, StrDeserializer, StringDeserializer,
        U64Deserializer,
    };
    use serde::de::{
        DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
    };

    use itsm_core::GroupId;
    use itsm_core::UserId;
    use itsm_core::{Impact, Urgency};

    use super::{Command, CommandKind};
    use crate::model::{EscalationKind, HoldReason, Link, Report, Snapshot};

    const TAG: &str = "command";
    const EXPECTING: &str = "internally tagged enum Command";
    const VARIANTS: &[&str] = &[
        "report",
        "import",
        "assign",
        "start_work",
        "put_on_hold",
        "caller_responded",
        "resume",
        "reprioritize",
        "escalate",
        "declare_major",
        "stand_down_major",
        "link",
        "resolve",
        "reopen",
        "close",
        "cancel",
        "tick",
    ];

    /// The original derived format, for objects whose first key is not the tag (and
    /// sequences).
    #[derive(Deserialize)]
    #[serde(tag = "command", rename_all = "snake_case", rename = "Command")]
    enum CommandRepr {
        Report(Box<Report>),
        Import(Box<Snapshot>),
        Assign {
            group: GroupId,
            person: Option<UserId>,
        },
        StartWork,
        PutOnHold {
            reason: HoldReason,
            comment: Option<String>,
        },
        CallerResponded {
            comment: Option<String>,
        },
        Resume,
        Reprioritize {
            impact: Impact,
            urgency: Urgency,
        },
        Escalate {
            kind: EscalationKind,
            level: u8,
        },
        DeclareMajor {
            reason: String,
        },
        StandDownMajor {
            reason: String,
        },
        Link {
            link: Link,
        },
        Resolve {
            code: String,
            notes: String,
        },
        Reopen {
            reason: String,
        },
        Close,
        Cancel {
            reason: String,
        },
        Tick,
    }

    impl From<CommandRepr> for Command {
        fn from(repr: CommandRepr) -> Self {
            match repr {
                CommandRepr::Report(report) => Command::Report(report),
                CommandRepr::Import(snapshot) => Command::Import(snapshot),
                CommandRepr::Assign { group, person } => Command::Assign { group, person },
                CommandRepr::StartWork => Command::StartWork,
                CommandRepr::PutOnHold { reason, comment } => {
                    Command::PutOnHold { reason, comment }
                }
                CommandRepr::CallerResponded { comment } => Command::CallerResponded { comment },
                CommandRepr::Resume => Command::Resume,
                CommandRepr::Reprioritize { impact, urgency } => {
                    Command::Reprioritize { impact, urgency }
                }
                CommandRepr::Escalate { kind, level } => Command::Escalate { kind, level },
                CommandRepr::DeclareMajor { reason } => Command::DeclareMajor { reason },
                CommandRepr::StandDownMajor { reason } => Command::StandDownMajor { reason },
                CommandRepr::Link { link } => Command::Link { link },
                CommandRepr::Resolve { code, notes } => Command::Resolve { code, notes },
                CommandRepr::Reopen { reason } => Command::Reopen { reason },
                CommandRepr::Close => Command::Close,
                CommandRepr::Cancel { reason } => Command::Cancel { reason },
                CommandRepr::Tick => Command::Tick,
            }
        }
    }

    // The fields of the struct variants, read after the tag (unknown fields are ignored, as
    // by the derived enum).
    #[derive(Deserialize)]
    struct AssignFields {
        group: GroupId,
        person: Option<UserId>,
    }
    #[derive(Deserialize)]
    struct PutOnHoldFields {
        reason: HoldReason,
        comment: Option<String>,
    }
    #[derive(Deserialize)]
    struct CommentFields {
        comment: Option<String>,
    }
    #[derive(Deserialize)]
    struct ReprioritizeFields {
        impact: Impact,
        urgency: Urgency,
    }
    #[derive(Deserialize)]
    struct EscalateFields {
        kind: EscalationKind,
        level: u8,
    }
    #[derive(Deserialize)]
    struct ReasonFields {
        reason: String,
    }
    #[derive(Deserialize)]
    struct LinkFields {
        link: Link,
    }
    #[derive(Deserialize)]
    struct ResolveFields {
        code: String,
        notes: String,
    }

    /// The tag's value: a variant name (or index, or bytes), as the derived `__Field`.
    struct TagValue(CommandKind);

    impl<'de> Deserialize<'de> for TagValue {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_identifier(TagVisitor)
        }
    }

    struct TagVisitor;

    impl Visitor<'_> for TagVisitor {
        type Value = TagValue;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("variant identifier")
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<TagValue, E> {
            usize::try_from(v)
                .ok()
                .and_then(|i| CommandKind::ALL.get(i))
                .map(|kind| TagValue(*kind))
                .ok_or_else(|| {
                    E::invalid_value(Unexpected::Unsigned(v), &"variant index 0 <= i < 17")
                })
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<TagValue, E> {
            CommandKind::ALL
                .iter()
                .find(|kind| kind.name() == v)
                .map(|kind| TagValue(*kind))
                .ok_or_else(|| E::unknown_variant(v, VARIANTS))
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<TagValue, E> {
            CommandKind::ALL
                .iter()
                .find(|kind| kind.name().as_bytes() == v)
                .map(|kind| TagValue(*kind))
                .ok_or_else(|| E::unknown_variant(&String::from_utf8_lossy(v), VARIANTS))
        }
    }

    /// The first key of the object: the tag, or another key kept to be replayed.
    enum FirstKey<'de> {
        Tag,
        Str(&'de str),
        String(String),
        Bytes(&'de [u8]),
        ByteBuf(Vec<u8>),
        U64(u64),
    }

    struct FirstKeySeed;

    impl<'de> DeserializeSeed<'de> for FirstKeySeed {
        type Value = FirstKey<'de>;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for FirstKeySeed {
        type Value = FirstKey<'de>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(FirstKey::U64(v))
        }

        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(if v == TAG {
                FirstKey::Tag
            } else {
                FirstKey::Str(v)
            })
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(if v == TAG {
                FirstKey::Tag
            } else {
                FirstKey::String(v.to_owned())
            })
        }

        fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
            Ok(if v == TAG.as_bytes() {
                FirstKey::Tag
            } else {
                FirstKey::Bytes(v)
            })
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(if v == TAG.as_bytes() {
                FirstKey::Tag
            } else {
                FirstKey::ByteBuf(v.to_vec())
            })
        }
    }

    /// A map whose first key was read already: replays it, then reads on.
    struct Replay<'de, M> {
        first: Option<FirstKey<'de>>,
        map: M,
    }

    impl<'de, M: MapAccess<'de>> MapAccess<'de> for Replay<'de, M> {
        type Error = M::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, M::Error> {
            match self.first.take() {
                None => self.map.next_key_seed(seed),
                Some(FirstKey::Tag) => seed
                    .deserialize(BorrowedStrDeserializer::new(TAG))
                    .map(Some),
                Some(FirstKey::Str(s)) => {
                    seed.deserialize(BorrowedStrDeserializer::new(s)).map(Some)
                }
                Some(FirstKey::String(s)) => seed.deserialize(StringDeserializer::new(s)).map(Some),
                Some(FirstKey::Bytes(b)) => seed
                    .deserialize(BorrowedBytesDeserializer::new(b))
                    .map(Some),
                Some(FirstKey::ByteBuf(b)) => {
                    seed.deserialize(BytesDeserializer::new(&b)).map(Some)
                }
                Some(FirstKey::U64(n)) => seed.deserialize(U64Deserializer::new(n)).map(Some),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, M::Error> {
            self.map.next_value_seed(seed)
        }

        fn size_hint(&self) -> Option<usize> {
            self.map
                .size_hint()
                .map(|n| n.saturating_add(usize::from(self.first.is_some())))
        }
    }

    /// The rest of the map after the tag: a second tag is an error (`duplicate field`), as in
    /// the derived enum; other keys pass through untouched.
    struct AfterTag<M>(M);

    impl<'de, M: MapAccess<'de>> MapAccess<'de> for AfterTag<M> {
        type Error = M::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, M::Error> {
            self.0.next_key_seed(NotTag(seed))
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, M::Error> {
            self.0.next_value_seed(seed)
        }

        fn size_hint(&self) -> Option<usize> {
            self.0.size_hint()
        }
    }

    /// A key seed that refuses the tag and hands any other key on to the inner seed.
    struct NotTag<K>(K);

    impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for NotTag<K> {
        type Value = K::Value;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<K::Value, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }

    impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for NotTag<K> {
        type Value = K::Value;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a field name")
        }

        fn visit_u64<E: Error>(self, v: u64) -> Result<K::Value, E> {
            self.0.deserialize(U64Deserializer::new(v))
        }

        fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<K::Value, E> {
            if v == TAG {
                return Err(E::duplicate_field(TAG));
            }
            self.0.deserialize(BorrowedStrDeserializer::new(v))
        }

        fn visit_str<E: Error>(self, v: &str) -> Result<K::Value, E> {
            if v == TAG {
                return Err(E::duplicate_field(TAG));
            }
            self.0.deserialize(StrDeserializer::new(v))
        }

        fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<K::Value, E> {
            if v == TAG.as_bytes() {
                return Err(E::duplicate_field(TAG));
            }
            self.0.deserialize(BorrowedBytesDeserializer::new(v))
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<K::Value, E> {
            if v == TAG.as_bytes() {
                return Err(E::duplicate_field(TAG));
            }
            self.0.deserialize(BytesDeserializer::new(v))
        }
    }

    /// Reads the rest of the map (after the tag) as the variant `kind`.
    fn variant<'de, M: MapAccess<'de>>(kind: CommandKind, map: M) -> Result<Command, M::Error> {
        let mut rest = AfterTag(map);
        macro_rules! fields {
            ($ty:ty) => {
                <$ty>::deserialize(MapAccessDeserializer::new(rest))?
            };
        }
        Ok(match kind {
            CommandKind::Report => Command::Report(fields!(Box<Report>)),
            CommandKind::Import => Command::Import(fields!(Box<Snapshot>)),
            CommandKind::Assign => {
                let AssignFields { group, person } = fields!(AssignFields);
                Command::Assign { group, person }
            }
            CommandKind::PutOnHold => {
                let PutOnHoldFields { reason, comment } = fields!(PutOnHoldFields);
                Command::PutOnHold { reason, comment }
            }
            CommandKind::CallerResponded => {
                let CommentFields { comment } = fields!(CommentFields);
                Command::CallerResponded { comment }
            }
            CommandKind::Reprioritize => {
                let ReprioritizeFields { impact, urgency } = fields!(ReprioritizeFields);
                Command::Reprioritize { impact, urgency }
            }
            CommandKind::Escalate => {
                let EscalateFields { kind, level } = fields!(EscalateFields);
                Command::Escalate { kind, level }
            }
            CommandKind::DeclareMajor => Command::DeclareMajor {
                reason: fields!(ReasonFields).reason,
            },
            CommandKind::StandDownMajor => Command::StandDownMajor {
                reason: fields!(ReasonFields).reason,
            },
            CommandKind::Link => Command::Link {
                link: fields!(LinkFields).link,
            },
            CommandKind::Resolve => {
                let ResolveFields { code, notes } = fields!(ResolveFields);
                Command::Resolve { code, notes }
            }
            CommandKind::Reopen => Command::Reopen {
                reason: fields!(ReasonFields).reason,
            },
            CommandKind::Cancel => Command::Cancel {
                reason: fields!(ReasonFields).reason,
            },
            CommandKind::StartWork
            | CommandKind::Resume
            | CommandKind::Close
            | CommandKind::Tick => {
                // Unit variants ignore whatever else the object holds.
                while rest.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                match kind {
                    CommandKind::StartWork => Command::StartWork,
                    CommandKind::Resume => Command::Resume,
                    CommandKind::Close => Command::Close,
                    _ => Command::Tick,
                }
            }
        })
    }

    struct CommandVisitor;

    impl<'de> Visitor<'de> for CommandVisitor {
        type Value = Command;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTING)
        }

        fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Command, M::Error> {
            match map.next_key_seed(FirstKeySeed)? {
                Some(FirstKey::Tag) => {
                    let TagValue(kind) = map.next_value()?;
                    variant(kind, map)
                }
                first => {
                    CommandRepr::deserialize(MapAccessDeserializer::new(Replay { first, map }))
                        .map(Command::from)
                }
            }
        }

        fn visit_seq<S: SeqAccess<'de>>(self, seq: S) -> Result<Command, S::Error> {
            CommandRepr::deserialize(SeqAccessDeserializer::new(seq)).map(Command::from)
        }
    }

    impl<'de> Deserialize<'de> for Command {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(CommandVisitor)
        }
    }
}
