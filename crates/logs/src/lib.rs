//! storj-lens's node log reader (LOGS.md): a storagenode log of any size, streamed in slices,
//! to [`model::log_report::LogReport`] — what the node really did, and what the community script
//! successrate.sh would print for the same file, with the cause of every difference.
//!
//! Pure over bytes (no IO, no clock): the worker feeds `Blob` slices, the CLI a file or stdin.
//! One pass: raw bytes → [`decode`] (gzip, BOM, UTF-16) → [`lines`] (LF, NUL runs, 16 MiB cap) →
//! [`classify`] (node lines, §2 outcomes, §3 successrate.sh counters, one Aho-Corasick scan per
//! line) → [`report`]. Memory stays bounded: one unfinished line, capped maps.
//!
//! ```
//! let mut r = logs::LogReader::new("node.log", 0);
//! r.push(b"2026-02-15T07:00:00Z\tINFO\tpiecestore\tuploaded\t{\"Piece ID\": \"P\", \"Satellite ID\": \"S\", \"Action\": \"PUT\", \"Size\": 5}\n").unwrap();
//! let report = r.finish(None).unwrap();
//! assert_eq!(report.categories.upload.success, 1);
//! ```

mod classify;
pub mod compare;
mod compat;
mod decode;
mod error;
mod fields;
pub mod generate;
mod lines;
mod parse;
mod reasons;
mod report;
mod sniff;
mod time;

pub use compat::{printed_rate, round_printed};
pub use error::LogError;
pub use sniff::{sniff, Sniff, SNIFF_BYTES};

use classify::{Analyzer, SNIFF_TEXT};
use decode::{Encoding, Gunzip, TextDecoder};
use lines::Splitter;

/// How far the reading is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes consumed (compressed bytes for gzip).
    pub bytes: u64,
    /// The file's size as given to [`LogReader::new`].
    pub total_bytes: u64,
    /// Lines read so far.
    pub lines: u64,
}

/// A streaming reader: [`push`](LogReader::push) slices in order, then [`finish`](LogReader::finish).
pub struct LogReader {
    name: String,
    total_bytes: u64,
    /// The first bytes, until they tell the format.
    head: Vec<u8>,
    gzip: Option<Gunzip>,
    decided: bool,
    text: TextDecoder,
    splitter: Splitter,
    an: Analyzer,
    consumed: u64,
    slices: u64,
}

impl LogReader {
    pub fn new(name: &str, total_bytes: u64) -> Self {
        LogReader {
            name: name.to_string(),
            total_bytes,
            head: Vec::new(),
            gzip: None,
            decided: false,
            text: TextDecoder::new(),
            splitter: Splitter::default(),
            an: Analyzer::new(),
            consumed: 0,
            slices: 0,
        }
    }

    /// Feeds the next slice of the raw file.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), LogError> {
        self.consumed += chunk.len() as u64;
        self.slices += 1;
        if !self.decided {
            self.head.extend_from_slice(chunk);
            if self.head.len() < SNIFF_BYTES {
                return Ok(());
            }
            let head = std::mem::take(&mut self.head);
            self.decide(&head)?;
            self.feed(&head);
        } else {
            self.feed(chunk);
        }
        if self.an.text_bytes > SNIFF_TEXT && self.an.node_lines() == 0 {
            return Err(LogError::NotALog { scope: "first 64 MiB" });
        }
        Ok(())
    }

    pub fn progress(&self) -> Progress {
        Progress { bytes: self.consumed, total_bytes: self.total_bytes, lines: self.an.line_no }
    }

    /// The end of input: the report. `now` (RFC 3339) is echoed, default the last line's time.
    pub fn finish(mut self, now: Option<&str>) -> Result<model::log_report::LogReport, LogError> {
        let now = match now {
            None => None,
            Some(s) => {
                let st = time::parse_stamp(s.trim().as_bytes()).ok_or_else(|| LogError::BadNow(s.to_string()))?;
                Some(time::format_utc(st.utc_ms.div_euclid(1000)))
            }
        };
        if !self.decided {
            let head = std::mem::take(&mut self.head);
            if head.is_empty() {
                return Err(LogError::Empty);
            }
            self.decide(&head)?;
            self.feed(&head);
        }
        let LogReader { name, total_bytes, consumed, slices, gzip, text, splitter, an, .. } = &mut self;
        let mut sink = |b: &[u8], utf16: bool| {
            an.utf16 = utf16;
            an.text_bytes += b.len() as u64;
            splitter.feed(b, an);
        };
        if let Some(g) = gzip.as_mut() {
            g.finish(&mut |b| text.push(b, &mut sink));
        }
        text.finish(&mut sink);
        splitter.finish(an);
        an.finish();
        if an.node_lines() == 0 {
            let damaged = gzip.as_ref().is_some_and(|g| g.damaged.is_some());
            return Err(match (*consumed, damaged) {
                (0, _) => LogError::Empty,
                (_, true) => LogError::NotALog { scope: "readable start of the gzip stream (it is damaged)" },
                _ => LogError::NotALog { scope: "file" },
            });
        }
        let encoding = match text.encoding {
            Some(Encoding::Utf16Le) => "utf-16le",
            Some(Encoding::Utf16Be) => "utf-16be",
            _ => "utf-8",
        };
        let warnings = gzip.as_ref().and_then(|g| g.damaged.clone()).into_iter().collect();
        Ok(report::build(
            an,
            report::Context {
                name,
                bytes: (*total_bytes).max(*consumed),
                gzip: gzip.is_some(),
                encoding,
                now,
                slices: *slices,
                peak_line_buffer: splitter.peak_buffer as u64,
                warnings,
            },
        ))
    }

    fn decide(&mut self, head: &[u8]) -> Result<(), LogError> {
        self.decided = true;
        match sniff(head) {
            Sniff::Sqlite => Err(LogError::Database),
            Sniff::Refused { format } => Err(LogError::Compressed { format }),
            Sniff::Gzip => {
                self.gzip = Some(Gunzip::new());
                Ok(())
            }
            Sniff::Text | Sniff::Empty => Ok(()),
        }
    }

    fn feed(&mut self, data: &[u8]) {
        let Self { gzip, text, splitter, an, .. } = self;
        let mut sink = |b: &[u8], utf16: bool| {
            an.utf16 = utf16;
            an.text_bytes += b.len() as u64;
            splitter.feed(b, an);
        };
        match gzip {
            Some(g) => g.push(data, &mut |b| text.push(b, &mut sink)),
            None => text.push(data, &mut sink),
        }
    }
}

#[cfg(test)]
mod tests;
