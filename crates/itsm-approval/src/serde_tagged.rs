//! Commands and events are internally tagged enums (`{"command": "approve", ...}`,
//! `{"type": "approved", ...}`), defined with itsm-core's hidden `__tagged_enum!` so that the
//! objects `Serialize` writes decode without buffering, as in every practice crate.

pub(crate) use itsm_core::__tagged_enum as tagged_enum;
