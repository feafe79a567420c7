//! Dropping values nested to any depth without recursion: conditions (`all`, `any`, `not`)
//! built in code may nest a million deep, and the drop glue Rust derives takes one call per
//! level, which overflows the stack (the process aborts). A type implements [`Nested`] and
//! calls [`drop_nested`] from its `Drop`.
//!
//! ```
//! use itsm_core::nested::{Nested, drop_nested};
//!
//! enum Tree {
//!     Leaf,
//!     Node(Vec<Tree>),
//! }
//!
//! impl Nested for Tree {
//!     fn take_nested(&mut self, out: &mut Vec<Self>) {
//!         if let Tree::Node(children) = self {
//!             out.append(children);
//!         }
//!     }
//! }
//!
//! impl Drop for Tree {
//!     fn drop(&mut self) {
//!         drop_nested(self);
//!     }
//! }
//!
//! let mut t = Tree::Leaf;
//! for _ in 0..100_000 {
//!     t = Tree::Node(vec![t, Tree::Leaf]);
//! }
//! drop(t); // no call per level
//! ```

/// A value that holds values of its own type.
pub trait Nested: Sized {
    /// Moves the values nested directly in `self` onto `out`, leaving none in `self`.
    fn take_nested(&mut self, out: &mut Vec<Self>);
}

/// Takes `root`'s nested values apart one at a time, so that dropping each of them (and
/// then `root`) has nothing nested left to recurse into. Call it from `Drop::drop`. It does
/// not allocate for a value that nests nothing.
pub fn drop_nested<T: Nested>(root: &mut T) {
    let mut stack: Vec<T> = Vec::new();
    root.take_nested(&mut stack);
    while let Some(mut value) = stack.pop() {
        value.take_nested(&mut stack);
    }
}
