//! Work in progress: this crate is being written (see the open issue 22).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
