//! Bytes to text: the three encodings, decoded by hand, and the physical line where each
//! record starts (counted here, because the CSV reader's own count is one too low after
//! every CRLF and never moves on bare CR line ends).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::Read;

use super::mapping::Encoding;

/// The characters Windows-1252 puts at 0x80 to 0x9F; its five unassigned bytes (0x81, 0x8D,
/// 0x8F, 0x90, 0x9D) decode to the control characters of the same number, as browsers do.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Why bytes are not text in an encoding (only UTF-8 can fail: every byte is a character in
/// Latin-1 and Windows-1252).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the bytes are not UTF-8 after {valid_up_to} bytes (is the file in latin-1 or windows-1252?)"
)]
pub struct NotText {
    /// How many bytes from the start of the value are valid UTF-8.
    pub valid_up_to: usize,
}

/// Decodes `bytes` in `encoding`, borrowing when nothing needs to change (UTF-8, or ASCII in
/// the single-byte encodings).
///
/// ```
/// use itsm_examples::import::{Encoding, decode};
///
/// assert_eq!(decode(b"Caf\xe9", Encoding::Latin1)?, "Café");
/// assert_eq!(decode(b"\x80 5", Encoding::Windows1252)?, "€ 5");
/// assert!(decode(b"Caf\xe9", Encoding::Utf8).is_err());
/// # Ok::<(), itsm_examples::import::NotText>(())
/// ```
///
/// # Errors
/// [`NotText`] when `encoding` is UTF-8 and the bytes are not.
pub fn decode(bytes: &[u8], encoding: Encoding) -> Result<Cow<'_, str>, NotText> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| NotText {
                valid_up_to: e.valid_up_to(),
            }),
        _ if bytes.is_ascii() => Ok(Cow::Borrowed(
            // ASCII is UTF-8; the conversion cannot fail.
            std::str::from_utf8(bytes).unwrap_or_default(),
        )),
        Encoding::Latin1 => Ok(Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect())),
        Encoding::Windows1252 => Ok(Cow::Owned(
            bytes
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => CP1252_HIGH
                        .get(usize::from(b - 0x80))
                        .copied()
                        .unwrap_or(char::REPLACEMENT_CHARACTER),
                    _ => char::from(b),
                })
                .collect(),
        )),
    }
}

/// A reader that passes bytes through and remembers where the line ends are, so that the
/// line of a record can be told from the byte offset where the CSV reader says it starts.
///
/// A line ends at `\n`, at `\r\n` (once) and at a `\r` not followed by `\n`. Only the line
/// ends after the last record asked about are kept: memory stays within one record and the
/// CSV reader's buffer.
#[derive(Debug)]
pub(crate) struct LineCounter<R> {
    inner: R,
    /// Bytes passed through so far.
    offset: u64,
    /// Line ends before the first kept terminator byte.
    lines_before: u64,
    /// The `\r` and `\n` bytes not yet behind a record start: (offset, byte).
    terminators: VecDeque<(u64, u8)>,
}

impl<R> LineCounter<R> {
    pub(crate) fn new(inner: R) -> Self {
        LineCounter {
            inner,
            offset: 0,
            lines_before: 0,
            terminators: VecDeque::new(),
        }
    }

    /// The 1-based line of the record the CSV reader says starts at byte `start`. The reader
    /// may place the start on line-end bytes before the record (after a CRLF, or on skipped
    /// blank lines): those are stepped over. Calls must come with `start` never decreasing.
    pub(crate) fn line_at(&mut self, start: u64) -> u64 {
        let mut first = start;
        loop {
            while let Some(&(at, byte)) = self.terminators.front() {
                if at >= first {
                    break;
                }
                self.terminators.pop_front();
                let crlf = byte == b'\r'
                    && self
                        .terminators
                        .front()
                        .is_some_and(|&(next, b)| next == at + 1 && b == b'\n');
                if !crlf {
                    self.lines_before += 1;
                }
            }
            match self.terminators.front() {
                Some(&(at, _)) if at == first => first += 1,
                _ => break,
            }
        }
        self.lines_before + 1
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &byte) in buf.iter().take(n).enumerate() {
            if byte == b'\n' || byte == b'\r' {
                self.terminators.push_back((self.offset + i as u64, byte));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}
