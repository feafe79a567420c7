//! Commands: what someone asks the approval to do. `decide` accepts or rejects them.

use itsm_core::UserId;

use crate::model::Request;
use crate::serde_tagged::tagged_enum;

tagged_enum! {
    #[tagged(tag = "command", rename_all = "snake_case")]
    /// A request to change an approval. The acting user and the time come in the
    /// [`Context`](crate::Context), never in the command.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
    pub enum Command {
        /// Open the approval under the context's policy: the request gives the parties and
        /// the groups' members; the first stage opens.
        Request(Box<Request>),
        /// The acting user approves their seat in the open stage.
        Approve {
            /// A comment, if any. Absent in JSON: none.
            #[cfg_attr(feature = "serde", serde(default))]
            comment: Option<String>,
        },
        /// The acting user rejects their seat in the open stage, with a reason.
        Reject {
            /// Why (required, non-empty).
            reason: String,
        },
        /// The acting user hands their seat in the open stage to another person, where the
        /// policy allows it.
        Delegate {
            /// The delegate.
            to: UserId,
        },
        /// Withdraw the approval before it is decided (the requester withdrawing, or the
        /// practice canceling its record).
        Cancel {
            /// Why.
            reason: String,
        },
    }
}

/// The command names, without data: what the transition table and errors speak of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub enum CommandKind {
    /// [`Command::Request`].
    Request,
    /// [`Command::Approve`].
    Approve,
    /// [`Command::Reject`].
    Reject,
    /// [`Command::Delegate`].
    Delegate,
    /// [`Command::Cancel`].
    Cancel,
}

impl CommandKind {
    /// Every command, in declaration order.
    pub const ALL: [CommandKind; 5] = [
        CommandKind::Request,
        CommandKind::Approve,
        CommandKind::Reject,
        CommandKind::Delegate,
        CommandKind::Cancel,
    ];

    /// The command's name, as in diagrams and JSON.
    pub const fn name(self) -> &'static str {
        match self {
            CommandKind::Request => "request",
            CommandKind::Approve => "approve",
            CommandKind::Reject => "reject",
            CommandKind::Delegate => "delegate",
            CommandKind::Cancel => "cancel",
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
    /// Parses a command's name as [`CommandKind::name`] writes it.
    ///
    /// ```
    /// use itsm_approval::CommandKind;
    ///
    /// assert_eq!("delegate".parse::<CommandKind>()?, CommandKind::Delegate);
    /// assert!("withdraw".parse::<CommandKind>().is_err());
    /// # Ok::<(), itsm_approval::Error>(())
    /// ```
    fn from_str(name: &str) -> Result<Self, crate::Error> {
        CommandKind::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .ok_or_else(|| crate::Error::UnknownCommand {
                name: name.to_owned(),
            })
    }
}

impl From<Request> for Command {
    /// [`Command::Request`], so a host writes `decide(&state, &request.into(), &ctx)`.
    fn from(request: Request) -> Self {
        Command::Request(Box::new(request))
    }
}

impl Command {
    /// The command's name without data.
    ///
    /// ```
    /// use itsm_approval::{Command, CommandKind};
    ///
    /// assert_eq!(Command::Approve { comment: None }.kind(), CommandKind::Approve);
    /// ```
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Request(_) => CommandKind::Request,
            Command::Approve { .. } => CommandKind::Approve,
            Command::Reject { .. } => CommandKind::Reject,
            Command::Delegate { .. } => CommandKind::Delegate,
            Command::Cancel { .. } => CommandKind::Cancel,
        }
    }
}
