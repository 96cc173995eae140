//! The JSON fields of a node line, scanned for the few keys section 2 needs (LOGS.md §1.4).
//!
//! Not a general JSON parser: one pass over the top-level object, keys normalised (lowercase,
//! spaces to `_`) into a stack buffer and matched against the known names, values kept as byte
//! slices of the line. Strings keep their escapes until [`unescape`] is asked for them; invalid
//! UTF-8 inside a string is not an error. A repeated key: the last wins.

use memchr::memchr2;

/// The keys the reader uses; every other key is skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    PieceId,
    SatelliteId,
    Action,
    Size,
    Reason,
    Error,
    Service,
    Version,
    CurrentVersion,
    Count,
    Success,
    NumDeleted,
    BytesDeleted,
    // zap's JSON encoding (`log.encoding: json`): level, time, logger, message
    L,
    T,
    N,
    M,
}

fn key_of(norm: &[u8]) -> Option<Key> {
    Some(match norm {
        b"piece_id" => Key::PieceId,
        b"satellite_id" => Key::SatelliteId,
        b"action" => Key::Action,
        b"size" => Key::Size,
        b"reason" => Key::Reason,
        b"error" => Key::Error,
        b"service" => Key::Service,
        b"version" => Key::Version,
        b"current_version" => Key::CurrentVersion,
        b"count" => Key::Count,
        b"succes" | b"success" => Key::Success,
        b"num_deleted" | b"deleted_pieces" => Key::NumDeleted,
        b"bytes_deleted" | b"bytesdeleted" => Key::BytesDeleted,
        b"l" => Key::L,
        b"t" => Key::T,
        b"n" => Key::N,
        b"m" => Key::M,
        _ => return None,
    })
}

/// A value as it stands in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// A string's content between the quotes, escapes kept; `true` when it has a backslash.
    Str(&'a [u8], bool),
    /// A number, `true`, `false`, `null`, or a nested object/array, as written.
    Raw(&'a [u8]),
}

impl<'a> Value<'a> {
    /// The bytes of a string (escapes kept) or of a raw value.
    pub fn bytes(&self) -> &'a [u8] {
        match *self {
            Value::Str(b, _) | Value::Raw(b) => b,
        }
    }

    /// A non-negative integer, written as a number or as a string of digits.
    pub fn as_u64(&self) -> Option<u64> {
        let b = self.bytes();
        if b.is_empty() || b.len() > 19 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
    }

    /// The text of a string value (lossy UTF-8, escapes resolved) or of a raw value.
    pub fn text(&self) -> String {
        match *self {
            Value::Str(b, true) => unescape(b),
            Value::Str(b, false) | Value::Raw(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }
}

/// The known fields of one object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    pub piece_id: Option<Value<'a>>,
    pub satellite_id: Option<Value<'a>>,
    pub action: Option<Value<'a>>,
    pub size: Option<Value<'a>>,
    pub reason: Option<Value<'a>>,
    pub error: Option<Value<'a>>,
    pub service: Option<Value<'a>>,
    pub version: Option<Value<'a>>,
    pub current_version: Option<Value<'a>>,
    pub count: Option<Value<'a>>,
    pub success: Option<Value<'a>>,
    pub num_deleted: Option<Value<'a>>,
    pub bytes_deleted: Option<Value<'a>>,
    pub l: Option<Value<'a>>,
    pub t: Option<Value<'a>>,
    pub n: Option<Value<'a>>,
    pub m: Option<Value<'a>>,
    /// Some known key was written with an uppercase letter or a space (`"Piece ID"`): the
    /// PascalCase keys of nodes before v1.146.
    pub pascal_case: bool,
}

/// How a scan ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scan {
    /// The object closed.
    Complete,
    /// The bytes ended inside the object (a line cut off).
    Incomplete,
    /// Not a JSON object.
    Invalid,
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\r' | b'\n') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// After an opening quote: the content up to the closing quote, and whether it has escapes.
    fn string(&mut self) -> Result<(&'a [u8], bool), Scan> {
        let start = self.i;
        let mut escaped = false;
        loop {
            let Some(k) = memchr2(b'"', b'\\', &self.b[self.i..]) else {
                return Err(Scan::Incomplete);
            };
            self.i += k;
            if self.b[self.i] == b'"' {
                let s = &self.b[start..self.i];
                self.i += 1;
                return Ok((s, escaped));
            }
            escaped = true;
            self.i += 2;
            if self.i > self.b.len() {
                return Err(Scan::Incomplete);
            }
        }
    }

    /// A nested object or array, skipped with its strings.
    fn nested(&mut self) -> Result<&'a [u8], Scan> {
        let start = self.i;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            self.i += 1;
            match c {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(&self.b[start..self.i]);
                    }
                }
                _ => {}
            }
        }
        Err(Scan::Incomplete)
    }

    fn value(&mut self) -> Result<Value<'a>, Scan> {
        match self.peek() {
            None => Err(Scan::Incomplete),
            Some(b'"') => {
                self.i += 1;
                self.string().map(|(s, e)| Value::Str(s, e))
            }
            Some(b'{' | b'[') => self.nested().map(Value::Raw),
            Some(_) => {
                let start = self.i;
                while self.i < self.b.len() && !matches!(self.b[self.i], b',' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                    self.i += 1;
                }
                if self.i == self.b.len() {
                    return Err(Scan::Incomplete);
                }
                Ok(Value::Raw(&self.b[start..self.i]))
            }
        }
    }
}

/// Normalises a key into `out` (lowercase, spaces to `_`); None when longer than the buffer.
fn normalise<'o>(key: &[u8], out: &'o mut [u8; 24]) -> Option<(&'o [u8], bool)> {
    if key.len() > out.len() {
        return None;
    }
    let mut styled = false;
    for (o, &c) in out.iter_mut().zip(key) {
        *o = match c {
            b'A'..=b'Z' => {
                styled = true;
                c + 32
            }
            b' ' => {
                styled = true;
                b'_'
            }
            _ => c,
        };
    }
    Some((&out[..key.len()], styled))
}

/// Scans the object at the start of `b` (leading spaces allowed); trailing bytes after it are ignored.
pub fn scan(b: &[u8]) -> (Fields<'_>, Scan) {
    let mut f = Fields::default();
    let mut c = Cursor { b, i: 0 };
    c.ws();
    if c.peek() != Some(b'{') {
        return (f, Scan::Invalid);
    }
    c.i += 1;
    let mut buf = [0u8; 24];
    loop {
        c.ws();
        match c.peek() {
            None => return (f, Scan::Incomplete),
            Some(b'}') => return (f, Scan::Complete),
            Some(b'"') => c.i += 1,
            Some(_) => return (f, Scan::Invalid),
        }
        let (key, key_escaped) = match c.string() {
            Ok(k) => k,
            Err(e) => return (f, e),
        };
        c.ws();
        match c.peek() {
            None => return (f, Scan::Incomplete),
            Some(b':') => c.i += 1,
            Some(_) => return (f, Scan::Invalid),
        }
        c.ws();
        let value = match c.value() {
            Ok(v) => v,
            Err(e) => return (f, e),
        };
        if !key_escaped {
            if let Some((norm, styled)) = normalise(key, &mut buf) {
                if let Some(k) = key_of(norm) {
                    f.pascal_case |= styled && !matches!(k, Key::L | Key::T | Key::N | Key::M);
                    *slot(&mut f, k) = Some(value);
                }
            }
        }
        c.ws();
        match c.peek() {
            None => return (f, Scan::Incomplete),
            Some(b',') => c.i += 1,
            Some(b'}') => return (f, Scan::Complete),
            Some(_) => return (f, Scan::Invalid),
        }
    }
}

fn slot<'f, 'a>(f: &'f mut Fields<'a>, k: Key) -> &'f mut Option<Value<'a>> {
    match k {
        Key::PieceId => &mut f.piece_id,
        Key::SatelliteId => &mut f.satellite_id,
        Key::Action => &mut f.action,
        Key::Size => &mut f.size,
        Key::Reason => &mut f.reason,
        Key::Error => &mut f.error,
        Key::Service => &mut f.service,
        Key::Version => &mut f.version,
        Key::CurrentVersion => &mut f.current_version,
        Key::Count => &mut f.count,
        Key::Success => &mut f.success,
        Key::NumDeleted => &mut f.num_deleted,
        Key::BytesDeleted => &mut f.bytes_deleted,
        Key::L => &mut f.l,
        Key::T => &mut f.t,
        Key::N => &mut f.n,
        Key::M => &mut f.m,
    }
}

/// A JSON string's content with its escapes resolved; invalid UTF-8 and lone surrogates become U+FFFD.
pub fn unescape(b: &[u8]) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let Some(&e) = b.get(i + 1) else { break };
        i += 2;
        let simple = match e {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        if e != b'u' {
            out.push(e);
            continue;
        }
        let Some(hi) = hex4(b.get(i..i + 4)) else {
            out.extend_from_slice("\u{FFFD}".as_bytes());
            continue;
        };
        i += 4;
        let mut ch = None;
        if (0xD800..0xDC00).contains(&hi) && b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
            if let Some(lo) = hex4(b.get(i + 2..i + 6)).filter(|lo| (0xDC00..0xE000).contains(lo)) {
                ch = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
                i += 6;
            }
        } else {
            ch = char::from_u32(hi);
        }
        let mut tmp = [0u8; 4];
        out.extend_from_slice(ch.unwrap_or('\u{FFFD}').encode_utf8(&mut tmp).as_bytes());
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex4(b: Option<&[u8]>) -> Option<u32> {
    let b = b?;
    let s = std::str::from_utf8(b).ok()?;
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_and_snake_keys_normalise_alike() {
        let (f, s) = scan(br#"{"Process": "storagenode", "Piece ID": "AB", "Satellite ID": "12E", "Action": "GET", "Size": 14592}"#);
        assert_eq!(s, Scan::Complete);
        assert_eq!(f.piece_id, Some(Value::Str(b"AB", false)));
        assert_eq!(f.action.map(|v| v.text()), Some("GET".to_string()));
        assert_eq!(f.size.and_then(|v| v.as_u64()), Some(14592));
        assert!(f.pascal_case);
        let (f, s) = scan(br#"{"process": "storagenode", "piece_id": "AB", "satellite_id": "12E", "action": "PUT", "size": 7}"#);
        assert_eq!(s, Scan::Complete);
        assert_eq!(f.satellite_id.map(|v| v.text()), Some("12E".to_string()));
        assert!(!f.pascal_case);
    }

    #[test]
    fn last_repeated_key_wins_and_nested_values_are_skipped() {
        let (f, s) = scan(br#"{"Action": "GET", "x": {"Action": "no", "a": [1, "}"]}, "action": "PUT"}"#);
        assert_eq!(s, Scan::Complete);
        assert_eq!(f.action.map(|v| v.text()), Some("PUT".to_string()));
    }

    #[test]
    fn escapes_invalid_utf8_and_cut_objects() {
        let (f, s) = scan(b"{\"error\": \"a \\\"b\\\" \\u00e9 \\ud83d\\ude00\", \"Piece ID\": \"X\xff\xfeY\"}");
        assert_eq!(s, Scan::Complete);
        assert_eq!(f.error.map(|v| v.text()), Some("a \"b\" é 😀".to_string()));
        assert_eq!(f.piece_id.map(|v| v.bytes().to_vec()), Some(b"X\xff\xfeY".to_vec()));
        assert_eq!(scan(br#"{"Piece ID": "AB", "Size": 12"#).1, Scan::Incomplete);
        assert_eq!(scan(br#"{"Piece ID": "A"#).1, Scan::Incomplete);
        assert_eq!(scan(br#"{"Piece ID" 1}"#).1, Scan::Invalid);
        assert_eq!(scan(b"not json").1, Scan::Invalid);
        assert_eq!(unescape(br"\ud800x"), "\u{FFFD}x");
    }
}
