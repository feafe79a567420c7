//! The byte reader every fuzz harness decodes its input with: one copy, included by each
//! harness (`#[path = "bytes.rs"] mod bytes;`), and so by the fuzz targets and the stable
//! corpus replays alike.
// Each harness uses the part of the reader it needs.
#![allow(dead_code)]

/// Hands out the input's bytes; zeros once it runs dry, so every input decodes to something.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// Whether every byte has been handed out.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or 0 once the input runs dry.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    /// One of `n` choices (`n` of 0 counts as 1).
    pub fn pick(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }

    /// A yes or no.
    pub fn flag(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// One of `options`, or `fallback` when there are none.
    pub fn choose<T: Clone>(&mut self, options: &[T], fallback: T) -> T {
        let i = self.pick(options.len());
        options.get(i).cloned().unwrap_or(fallback)
    }

    /// One of `options` as an owned string (empty when there are none).
    pub fn text(&mut self, options: &[&str]) -> String {
        self.choose(options, "").to_owned()
    }

    /// The bytes not handed out yet, all at once.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}
