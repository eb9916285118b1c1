//! Everything the command prints goes through here, so that text from the
//! database or a file (a survey's title, an area's name, a comment, an
//! address) cannot carry a terminal's control sequences: `\x1b[2J` in an area
//! name must not clear the screen of the person listing the areas, nor an
//! OSC sequence retitle their window or plant a link.
//!
//! [`say!`] prints a line of text for people, always cleaned. [`stdout`] is
//! where data (CSV, JSON, Markdown) goes: as it is into a pipe or a file, and
//! cleaned when standard output is a terminal. `println!` is refused by the
//! workspace's lints everywhere in this crate, so nothing can bypass this.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

/// Prints a line to standard output with [`clean`], like `println!`. A closed
/// standard output (`trygg … | head`) is not an error worth stopping for.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::terminal::line(&format!($($arg)*))
    };
}
pub(crate) use say;

/// Whether `c` may reach a terminal as it is: line feed and tab may; every
/// other C0 or C1 control character (ESC, CSI, BEL, a lone CR, DEL) may not,
/// nor the bidirectional overrides and isolates that make text read in
/// another order than it is stored.
fn harmless(c: char) -> bool {
    matches!(c, '\n' | '\t')
        || !(c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

/// `text` with each character a terminal would act on written out as an
/// escape, e.g. ESC as `\u{1b}`, so it is seen rather than obeyed. A carriage
/// return right before a line feed stays: it ends a line of a CSV file.
pub fn clean(text: &str) -> Cow<'_, str> {
    if text.chars().all(harmless) && !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut cleaned = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_end = c == '\r' && chars.peek() == Some(&'\n');
        if harmless(c) || line_end {
            cleaned.push(c);
        } else {
            let _ = write!(cleaned, "\\u{{{:x}}}", u32::from(c));
        }
    }
    Cow::Owned(cleaned)
}

/// Prints one line of text, cleaned; what [`say!`] calls.
pub fn line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", clean(text));
}

/// Standard output for data: as it is when it goes to a pipe or a file (an
/// export is byte for byte what was stored), through [`Clean`] when a person
/// is looking at it in a terminal.
pub(crate) fn stdout() -> Box<dyn Write> {
    let out = std::io::stdout();
    if out.is_terminal() {
        Box::new(Clean::new(out.lock()))
    } else {
        Box::new(out.lock())
    }
}

/// A writer that passes text through [`clean`]. It keeps what it is given
/// until a flush (or its end), so a character split between two writes is
/// cleaned whole.
pub struct Clean<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Clean<W> {
    /// Cleans what is written before it reaches `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            pending: Vec::new(),
        }
    }
}

impl<W: Write> Write for Clean<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.pending);
        self.inner.write_all(clean(&text).as_bytes())?;
        self.pending.clear();
        self.inner.flush()
    }
}

impl<W: Write> Drop for Clean<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_writes_out_escapes_and_other_controls_and_keeps_lines_and_tabs() {
        let cases = [
            ("\u{1b}[2JBro", "\\u{1b}[2JBro"),
            ("title\u{1b}]0;pwned\u{7}", "title\\u{1b}]0;pwned\\u{7}"),
            ("x\u{9b}2J", "x\\u{9b}2J"),
            ("over\rwrite", "over\\u{d}write"),
            ("nul\u{0}", "nul\\u{0}"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            ("a\tb\nc\r\n", "a\tb\nc\r\n"),
            ("Kungsängen", "Kungsängen"),
        ];
        for (raw, shown) in cases {
            assert_eq!(clean(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn a_cleaning_writer_cleans_a_character_split_between_writes() {
        let mut sink = Vec::new();
        {
            let mut out = Clean::new(&mut sink);
            // U+009B (CSI) is 0xC2 0x9B in UTF-8.
            out.write_all(b"a\xc2").unwrap_or_default();
            out.write_all(b"\x9b2J\x1b[0m\r\n").unwrap_or_default();
        }
        assert_eq!(String::from_utf8_lossy(&sink), "a\\u{9b}2J\\u{1b}[0m\r\n");
    }
}
