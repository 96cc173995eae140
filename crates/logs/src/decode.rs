//! Raw file bytes to UTF-8 text (LOGS.md §1.1): gzip inflated while streaming (multi-member,
//! as `zcat`; a damaged stream ends the input with a warning), a UTF-8 BOM skipped, UTF-16
//! (PowerShell 5's `>`) transcoded. Output goes to a closure slice by slice.

use std::io::Write;

use flate2::write::MultiGzDecoder;

/// Input fed to the inflater at once: bounds its output (gzip expands at most ~1032x).
const GZ_STEP: usize = 16 << 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// Text bytes, before the encoding is known (up to 3 bytes held), then as decoded.
#[derive(Debug)]
pub struct TextDecoder {
    head: Vec<u8>,
    pub encoding: Option<Encoding>,
    /// An odd byte of UTF-16 carried to the next slice, and a high surrogate waiting for its pair.
    odd: Option<u8>,
    high: Option<u16>,
    out: Vec<u8>,
}

impl TextDecoder {
    pub fn new() -> Self {
        TextDecoder { head: Vec::new(), encoding: None, odd: None, high: None, out: Vec::new() }
    }

    pub fn push(&mut self, data: &[u8], emit: &mut dyn FnMut(&[u8], bool)) {
        match self.encoding {
            Some(Encoding::Utf8) => emit(data, false),
            Some(_) => self.utf16(data, emit),
            None => {
                self.head.extend_from_slice(data);
                if self.head.len() >= 3 {
                    self.decide(emit);
                }
            }
        }
    }

    pub fn finish(&mut self, emit: &mut dyn FnMut(&[u8], bool)) {
        if self.encoding.is_none() {
            self.decide(emit);
        }
        if self.odd.take().is_some() || self.high.take().is_some() {
            emit("\u{FFFD}".as_bytes(), true);
        }
    }

    fn decide(&mut self, emit: &mut dyn FnMut(&[u8], bool)) {
        let head = std::mem::take(&mut self.head);
        let (encoding, skip) = match head.as_slice() {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
            _ => (Encoding::Utf8, 0),
        };
        self.encoding = Some(encoding);
        self.push(&head[skip..], emit);
    }

    fn utf16(&mut self, mut data: &[u8], emit: &mut dyn FnMut(&[u8], bool)) {
        let be = self.encoding == Some(Encoding::Utf16Be);
        self.out.clear();
        if let Some(first) = self.odd.take() {
            match data.split_first() {
                Some((&second, rest)) => {
                    self.unit(if be { [first, second] } else { [second, first] });
                    data = rest;
                }
                None => self.odd = Some(first),
            }
        }
        let mut pairs = data.chunks_exact(2);
        for p in &mut pairs {
            self.unit(if be { [p[0], p[1]] } else { [p[1], p[0]] });
        }
        if let [last] = pairs.remainder() {
            self.odd = Some(*last);
        }
        let out = std::mem::take(&mut self.out);
        emit(&out, true);
        self.out = out;
    }

    /// One UTF-16 code unit, big-endian bytes.
    fn unit(&mut self, b: [u8; 2]) {
        let u = u16::from_be_bytes(b);
        let ch = match (self.high.take(), u) {
            (Some(hi), 0xDC00..=0xDFFF) => char::from_u32(0x10000 + ((u32::from(hi) - 0xD800) << 10) + (u32::from(u) - 0xDC00)),
            (prev, _) => {
                if prev.is_some() {
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                if (0xD800..0xDC00).contains(&u) {
                    self.high = Some(u);
                    return;
                }
                char::from_u32(u32::from(u))
            }
        };
        let c = ch.unwrap_or('\u{FFFD}');
        if c.is_ascii() {
            self.out.push(c as u8);
        } else {
            let mut tmp = [0u8; 4];
            self.out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

/// Gzip inflation that writes into a buffer drained after each step.
///
/// The inflater is always given the same steps of the stream (GZ_STEP bytes at fixed offsets,
/// the rest carried between slices): what a damaged stream yields before it breaks then does
/// not depend on how the file was sliced.
pub struct Gunzip {
    dec: MultiGzDecoder<Vec<u8>>,
    /// The start of the next step, carried from the previous slice.
    carry: Vec<u8>,
    /// Compressed bytes accepted before the stream broke.
    pub consumed: u64,
    pub damaged: Option<String>,
}

impl Gunzip {
    pub fn new() -> Self {
        Gunzip { dec: MultiGzDecoder::new(Vec::new()), carry: Vec::with_capacity(GZ_STEP), consumed: 0, damaged: None }
    }

    pub fn push(&mut self, mut data: &[u8], emit: &mut dyn FnMut(&[u8])) {
        if !self.carry.is_empty() {
            let take = (GZ_STEP - self.carry.len()).min(data.len());
            self.carry.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.carry.len() < GZ_STEP {
                return;
            }
            let step = std::mem::take(&mut self.carry);
            self.step(&step, emit);
            self.carry = step;
            self.carry.clear();
        }
        let mut steps = data.chunks_exact(GZ_STEP);
        for step in &mut steps {
            self.step(step, emit);
        }
        self.carry.extend_from_slice(steps.remainder());
    }

    pub fn finish(&mut self, emit: &mut dyn FnMut(&[u8])) {
        let last = std::mem::take(&mut self.carry);
        if !last.is_empty() {
            self.step(&last, emit);
        }
        if self.damaged.is_none() {
            if let Err(e) = self.dec.try_finish() {
                self.damaged = Some(format!("the gzip stream ends early ({e}): the report covers the text before it"));
            }
        }
        self.drain(emit);
    }

    fn step(&mut self, step: &[u8], emit: &mut dyn FnMut(&[u8])) {
        if self.damaged.is_some() {
            return;
        }
        if let Err(e) = self.dec.write_all(step) {
            self.damaged = Some(format!(
                "the gzip stream is damaged after {} compressed bytes ({e}): the report covers the text before it",
                self.consumed
            ));
        } else {
            self.consumed += step.len() as u64;
        }
        self.drain(emit);
    }

    fn drain(&mut self, emit: &mut dyn FnMut(&[u8])) {
        let out = self.dec.get_mut();
        if !out.is_empty() {
            emit(out);
            out.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(chunks: &[&[u8]]) -> (String, Option<Encoding>) {
        let mut d = TextDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c, &mut |b, _| out.extend_from_slice(b));
        }
        d.finish(&mut |b, _| out.extend_from_slice(b));
        (String::from_utf8(out).unwrap(), d.encoding)
    }

    #[test]
    fn boms_and_utf16() {
        assert_eq!(decode(&[b"\xEF\xBB", b"\xBFab"]), ("ab".into(), Some(Encoding::Utf8)));
        assert_eq!(decode(&[b"a"]), ("a".into(), Some(Encoding::Utf8)));
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("é😀x\n".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        for split in 0..le.len() {
            assert_eq!(decode(&[&le[..split], &le[split..]]), ("é😀x\n".into(), Some(Encoding::Utf16Le)), "split {split}");
        }
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("ab".encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        assert_eq!(decode(&[&be]), ("ab".into(), Some(Encoding::Utf16Be)));
        assert_eq!(decode(&[&[0xFF, 0xFE, 0x00, 0xD8, b'a', 0]]).0, "\u{FFFD}a");
        assert_eq!(decode(&[&[0xFF, 0xFE, b'a']]).0, "\u{FFFD}");
    }

    #[test]
    fn gzip_members_and_damage() {
        use flate2::{write::GzEncoder, Compression};
        let gz = |s: &[u8]| {
            let mut e = GzEncoder::new(Vec::new(), Compression::default());
            e.write_all(s).unwrap();
            e.finish().unwrap()
        };
        let mut two = gz(b"one\n");
        two.extend(gz(b"two\n"));
        let mut g = Gunzip::new();
        let mut out = Vec::new();
        for b in two.chunks(3) {
            g.push(b, &mut |x| out.extend_from_slice(x));
        }
        g.finish(&mut |x| out.extend_from_slice(x));
        assert_eq!(out, b"one\ntwo\n");
        assert!(g.damaged.is_none());
        let cut = &two[..two.len() / 2 + 3];
        let mut g = Gunzip::new();
        g.push(cut, &mut |_| {});
        g.finish(&mut |_| {});
        assert!(g.damaged.is_some());
    }
}
