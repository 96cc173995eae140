//! Bytes to lines (LOGS.md §1.2), across slices: a line ends at LF; a run of NUL bytes ends the
//! current line and is dropped; a line over 16 MiB is skipped without being buffered. Only an
//! unfinished line is copied (into a buffer reused for the whole file); every other line is a
//! slice of the input.

use memchr::memchr2;

/// Lines longer than this are skipped as `too_long`.
pub const MAX_LINE: usize = 16 << 20;
/// How much of a too-long line is kept for its example.
const LONG_HEAD: usize = 800;

/// What a line handler receives.
pub trait LineSink {
    /// A line without its LF. `terminated`: it ended at LF (or at a NUL run), not at the end of input.
    fn line(&mut self, line: &[u8], terminated: bool);
    /// A line over [`MAX_LINE`]: its length and first bytes.
    fn too_long(&mut self, len: u64, head: &[u8]);
    /// A run of `len` NUL bytes starts (or continues, `continued`).
    fn nul_run(&mut self, len: u64, continued: bool);
}

#[derive(Debug, Default)]
pub struct Splitter {
    buf: Vec<u8>,
    /// Inside a too-long line: its length so far (the head is in `buf`).
    long: Option<u64>,
    /// The last byte seen was a NUL.
    in_nul: bool,
    /// A NUL run ended the last line: an LF right after it ends nothing more.
    after_nul: bool,
    /// The most bytes held for one unfinished line.
    pub peak_buffer: usize,
}

impl Splitter {
    pub fn feed<S: LineSink>(&mut self, mut data: &[u8], sink: &mut S) {
        while !data.is_empty() {
            if self.in_nul {
                let n = data.iter().position(|&b| b != 0).unwrap_or(data.len());
                if n > 0 {
                    sink.nul_run(n as u64, true);
                    data = &data[n..];
                    continue;
                }
                self.in_nul = false;
            }
            let Some(k) = memchr2(b'\n', 0, data) else {
                self.append(data);
                return;
            };
            let (seg, stop) = (&data[..k], data[k]);
            if stop == b'\n' {
                if !(self.after_nul && k == 0 && self.buf.is_empty() && self.long.is_none()) {
                    self.emit(seg, true, sink);
                }
                self.after_nul = false;
                data = &data[k + 1..];
            } else {
                if !seg.is_empty() || !self.buf.is_empty() || self.long.is_some() {
                    self.emit(seg, true, sink);
                }
                let n = data[k..].iter().position(|&b| b != 0).unwrap_or(data.len() - k);
                sink.nul_run(n as u64, false);
                self.in_nul = k + n == data.len();
                self.after_nul = true;
                data = &data[k + n..];
            }
        }
    }

    /// The end of input: the last line without LF, if any.
    pub fn finish<S: LineSink>(&mut self, sink: &mut S) {
        if !self.buf.is_empty() || self.long.is_some() {
            self.emit(&[], false, sink);
        }
    }

    fn append(&mut self, seg: &[u8]) {
        if seg.is_empty() {
            return;
        }
        self.after_nul = false;
        match &mut self.long {
            Some(len) => *len += seg.len() as u64,
            None if self.buf.len() + seg.len() > MAX_LINE => {
                self.long = Some((self.buf.len() + seg.len()) as u64);
                self.buf.extend_from_slice(&seg[..LONG_HEAD.saturating_sub(self.buf.len()).min(seg.len())]);
                self.buf.truncate(LONG_HEAD);
            }
            None => {
                self.buf.extend_from_slice(seg);
                self.peak_buffer = self.peak_buffer.max(self.buf.len());
            }
        }
    }

    fn emit<S: LineSink>(&mut self, seg: &[u8], terminated: bool, sink: &mut S) {
        if let Some(len) = self.long.take() {
            sink.too_long(len + seg.len() as u64, &self.buf);
        } else if self.buf.is_empty() {
            if seg.len() > MAX_LINE {
                sink.too_long(seg.len() as u64, &seg[..LONG_HEAD]);
            } else {
                sink.line(seg, terminated);
            }
        } else if self.buf.len() + seg.len() > MAX_LINE {
            sink.too_long((self.buf.len() + seg.len()) as u64, &self.buf[..LONG_HEAD.min(self.buf.len())]);
        } else {
            self.buf.extend_from_slice(seg);
            self.peak_buffer = self.peak_buffer.max(self.buf.len());
            sink.line(&self.buf, terminated);
        }
        self.buf.clear();
        if self.buf.capacity() > 1 << 20 {
            // one huge line must not pin its buffer for the rest of the file
            self.buf.shrink_to(64 << 10);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect(Vec<String>);
    impl LineSink for Collect {
        fn line(&mut self, line: &[u8], terminated: bool) {
            self.0.push(format!("{}{}", String::from_utf8_lossy(line), if terminated { "" } else { "<EOF>" }));
        }
        fn too_long(&mut self, len: u64, head: &[u8]) {
            self.0.push(format!("LONG {len} {}", head.len()));
        }
        fn nul_run(&mut self, len: u64, continued: bool) {
            self.0.push(format!("NUL {len}{}", if continued { "+" } else { "" }));
        }
    }

    fn split(chunks: &[&[u8]]) -> Vec<String> {
        let mut s = Splitter::default();
        let mut c = Collect::default();
        for ch in chunks {
            s.feed(ch, &mut c);
        }
        s.finish(&mut c);
        c.0
    }

    #[test]
    fn lf_last_line_and_splits() {
        assert_eq!(split(&[b"a\nb\r\nc"]), ["a", "b\r", "c<EOF>"]);
        assert_eq!(split(&[b"a\n", b"\n"]), ["a", ""]);
        assert_eq!(split(&[b"ab", b"c\nd", b"e\n"]), ["abc", "de"]);
        assert_eq!(split(&[b""]), Vec::<String>::new());
    }

    #[test]
    fn nul_runs_end_lines() {
        assert_eq!(split(&[b"a\n\0\0\0b\n"]), ["a", "NUL 3", "b"]);
        assert_eq!(split(&[b"par", b"tial\0\0", b"\0\0next\n"]), ["partial", "NUL 2", "NUL 2+", "next"]);
        assert_eq!(split(&[b"x\0\0\ny\n"]), ["x", "NUL 2", "y"]);
        assert_eq!(split(&[b"\0\0"]), ["NUL 2"]);
    }

    #[test]
    fn too_long_lines_are_skipped_unbuffered() {
        let big = vec![b'x'; MAX_LINE + 10];
        let mut s = Splitter::default();
        let mut c = Collect::default();
        s.feed(b"first\n", &mut c);
        for part in big.chunks(1 << 20) {
            s.feed(part, &mut c);
        }
        s.feed(b"\nafter\n", &mut c);
        s.finish(&mut c);
        assert_eq!(c.0, ["first".to_string(), format!("LONG {} {LONG_HEAD}", MAX_LINE + 10), "after".to_string()]);
        assert!(s.peak_buffer <= MAX_LINE);
        assert_eq!(split(&[&big, b"\n"]), [format!("LONG {} {LONG_HEAD}", MAX_LINE + 10)]);
    }
}
