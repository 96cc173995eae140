//! One line to its parts (LOGS.md §1.3): `TIME <TAB> LEVEL <TAB> [LOGGER <TAB>] [CALLER <TAB>]
//! MESSAGE [<TAB> {JSON}]`, or zap's JSON encoding, after the docker prefixes.

use memchr::memchr;

use crate::fields::{scan, Fields, Scan, Value};
use crate::time::{parse_stamp, Stamp};

/// The node's levels, in `model::log_report::LEVELS` order.
pub fn level_index(b: &[u8]) -> Option<usize> {
    Some(match b {
        b"DEBUG" => 0,
        b"INFO" => 1,
        b"WARN" => 2,
        b"ERROR" => 3,
        b"FATAL" => 4,
        b"DPANIC" => 5,
        b"PANIC" => 6,
        _ => return None,
    })
}

/// A docker prefix found in front of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefix {
    None,
    /// `docker logs -t`: RFC3339Nano UTC and a space.
    Timestamps,
    /// `docker compose logs`: `name  | `.
    Compose,
}

/// Strips `docker compose logs` and `docker logs -t` prefixes (either or both, compose first).
pub fn strip_prefix(line: &[u8]) -> (&[u8], Prefix) {
    let mut rest = line;
    let mut kind = Prefix::None;
    if let Some(after) = compose_prefix(rest) {
        rest = after;
        kind = Prefix::Compose;
    }
    if let Some(after) = timestamp_prefix(rest) {
        rest = after;
        if kind == Prefix::None {
            kind = Prefix::Timestamps;
        }
    }
    (rest, kind)
}

fn compose_prefix(line: &[u8]) -> Option<&[u8]> {
    let window = &line[..line.len().min(96)];
    let bar = memchr(b'|', window)?;
    let name = &window[..bar];
    let trimmed = name.iter().rposition(|&c| c != b' ').map(|p| &name[..=p])?;
    if !trimmed.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')) {
        return None;
    }
    let after = &line[bar + 1..];
    Some(after.strip_prefix(b" ").unwrap_or(after))
}

fn timestamp_prefix(line: &[u8]) -> Option<&[u8]> {
    if line.len() < 21 || !line[0].is_ascii_digit() {
        return None;
    }
    let end = line.iter().take(40).position(|&c| c == b' ' || c == b'\t')?;
    if line[end] != b' ' || line[end - 1] != b'Z' {
        return None;
    }
    parse_stamp(&line[..end])?;
    Some(&line[end + 1..])
}

/// A node line's parts, slices of the line.
#[derive(Debug, Clone)]
pub struct NodeLine<'a> {
    pub stamp: Stamp<'a>,
    pub level: usize,
    pub logger: &'a [u8],
    pub message: &'a [u8],
    /// The JSON fields column (the whole object for a JSON-encoded line).
    pub fields: Option<&'a [u8]>,
    /// Fields already scanned (JSON-encoded lines are scanned to be recognised at all).
    pub scanned: Option<(Fields<'a>, Scan)>,
}

/// Why a line is not a node line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotNode {
    /// The line stops before its level or fields could be read (a cut-off line).
    Cut,
    Other,
}

/// Parses a line (docker prefix, CR and BOM already removed) as a node line.
pub fn parse_node_line(line: &[u8]) -> Result<NodeLine<'_>, NotNode> {
    if line.first() == Some(&b'{') {
        return parse_json_line(line);
    }
    let Some(tab) = memchr(b'\t', line) else {
        return Err(if could_be_cut_time(line) { NotNode::Cut } else { NotNode::Other });
    };
    let stamp = parse_stamp(&line[..tab]).ok_or(NotNode::Other)?;
    let rest = &line[tab + 1..];
    let (level_b, rest) = match memchr(b'\t', rest) {
        Some(t) => (&rest[..t], &rest[t + 1..]),
        None => (rest, &rest[rest.len()..]),
    };
    let level = level_index(level_b).ok_or(if level_prefix(level_b) { NotNode::Cut } else { NotNode::Other })?;
    // columns before the fields: [logger, [caller,]] message
    let mut cols: [&[u8]; 4] = [&[]; 4];
    let mut n = 0;
    let mut fields = None;
    let mut rest = rest;
    loop {
        if rest.first() == Some(&b'{') {
            fields = Some(rest);
            break;
        }
        match memchr(b'\t', rest) {
            Some(t) => {
                push_col(&mut cols, &mut n, &rest[..t]);
                rest = &rest[t + 1..];
            }
            None => {
                push_col(&mut cols, &mut n, rest);
                break;
            }
        }
    }
    let (logger, message) = match n {
        0 => (&[][..], &[][..]),
        1 => (&[][..], cols[0]),
        _ => (cols[0], cols[n.min(4) - 1]),
    };
    Ok(NodeLine { stamp, level, logger, message, fields, scanned: None })
}

/// Keeps the first column and the latest ones (the message is the last before the fields).
fn push_col<'a>(cols: &mut [&'a [u8]; 4], n: &mut usize, col: &'a [u8]) {
    if *n < 4 {
        cols[*n] = col;
        *n += 1;
    } else {
        cols[3] = col;
    }
}

fn parse_json_line(line: &[u8]) -> Result<NodeLine<'_>, NotNode> {
    let (f, scan_end) = scan(line);
    if scan_end == Scan::Invalid {
        return Err(NotNode::Other);
    }
    let (Some(l), Some(t), Some(m)) = (f.l, f.t, f.m) else {
        return Err(if scan_end == Scan::Incomplete { NotNode::Cut } else { NotNode::Other });
    };
    // zap's JSON encoder may write levels in lower case ("info")
    let upper = l.bytes().to_ascii_uppercase();
    let level = level_index(&upper).ok_or(NotNode::Other)?;
    let stamp = match t {
        Value::Str(b, _) => parse_stamp(b),
        Value::Raw(b) => epoch_stamp(b),
    }
    .ok_or(NotNode::Other)?;
    Ok(NodeLine {
        stamp,
        level,
        logger: f.n.map(|n| n.bytes()).unwrap_or_default(),
        message: m.bytes(),
        fields: Some(line),
        scanned: Some((f, scan_end)),
    })
}

/// zap's epoch time encoder: seconds since 1970 as a number (`1771135200.123`), UTC.
fn epoch_stamp(b: &[u8]) -> Option<Stamp<'static>> {
    let s = std::str::from_utf8(b).ok()?;
    let secs: f64 = s.parse().ok()?;
    if !secs.is_finite() || !(0.0..1e11).contains(&secs) {
        return None;
    }
    Some(Stamp { utc_ms: (secs * 1000.0).floor() as i64, offset: b"Z" })
}

fn could_be_cut_time(line: &[u8]) -> bool {
    line.len() < 36 && !line.is_empty() && line.iter().all(|c| c.is_ascii_digit() || b"-T:.+Z".contains(c))
}

fn level_prefix(b: &[u8]) -> bool {
    !b.is_empty() && ["DEBUG", "INFO", "WARN", "ERROR", "FATAL", "DPANIC", "PANIC"].iter().any(|l| l.as_bytes().starts_with(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_each_form() {
        let l = parse_node_line(b"2026-02-15T07:00:00.100+0100\tINFO\tConfiguration loaded\t{\"Process\": \"storagenode\"}").unwrap();
        assert_eq!((l.level, l.logger, l.message), (1, &b""[..], &b"Configuration loaded"[..]));
        assert!(l.fields.is_some());
        let l = parse_node_line(b"2026-02-15T07:00:00+01:00\tDEBUG\tpiecestore\tdownload started\t{\"a\": 1}").unwrap();
        assert_eq!((l.logger, l.message), (&b"piecestore"[..], &b"download started"[..]));
        let l = parse_node_line(b"2026-02-15T07:00:00Z\tINFO\tpiecestore\tpiecestore/endpoint.go:123\tuploaded\t{}").unwrap();
        assert_eq!((l.logger, l.message), (&b"piecestore"[..], &b"uploaded"[..]));
        let l = parse_node_line(b"2026-02-15T07:00:00Z\tFATAL\tUnrecoverable error").unwrap();
        assert_eq!((l.level, l.message, l.fields), (4, &b"Unrecoverable error"[..], None));
        assert_eq!(parse_node_line(b"2026-02-15T07:00:00Z\tNOTICE\tx").unwrap_err(), NotNode::Other);
        assert_eq!(parse_node_line(b"2026-02-15T07:0").unwrap_err(), NotNode::Cut);
        assert_eq!(parse_node_line(b"2026-02-15T07:00:00Z\tWA").unwrap_err(), NotNode::Cut);
        assert_eq!(parse_node_line(b"goroutine 1 [running]:").unwrap_err(), NotNode::Other);
    }

    #[test]
    fn json_encoded_lines() {
        let l = parse_node_line(
            br#"{"L":"INFO","T":"2026-02-15T07:00:00.100+0100","N":"piecestore","M":"uploaded","Piece ID":"X","Action":"PUT"}"#,
        )
        .unwrap();
        assert_eq!((l.level, l.logger, l.message), (1, &b"piecestore"[..], &b"uploaded"[..]));
        assert_eq!(l.stamp.utc_ms % 1000, 100);
        assert!(parse_node_line(br#"{"a": 1}"#).is_err());
        let l = parse_node_line(br#"{"L":"debug","T":1771135200.5,"N":"piecestore","M":"download started"}"#).unwrap();
        assert_eq!((l.level, l.stamp.utc_ms, l.stamp.offset), (0, 1_771_135_200_500, &b"Z"[..]));
    }

    #[test]
    fn docker_prefixes() {
        let (rest, k) = strip_prefix(b"2026-02-15T06:00:00.123456789Z 2026-02-15T07:00:00+01:00\tINFO\tx");
        assert_eq!((rest, k), (&b"2026-02-15T07:00:00+01:00\tINFO\tx"[..], Prefix::Timestamps));
        let (rest, k) = strip_prefix(b"storagenode  | 2026-02-15T07:00:00Z\tINFO\tx");
        assert_eq!((rest, k), (&b"2026-02-15T07:00:00Z\tINFO\tx"[..], Prefix::Compose));
        let (rest, k) = strip_prefix(b"sn-1  | 2026-02-15T06:00:00.1Z 2026-02-15T07:00:00Z\tINFO\tx");
        assert_eq!((rest, k), (&b"2026-02-15T07:00:00Z\tINFO\tx"[..], Prefix::Compose));
        assert_eq!(strip_prefix(b"2026-02-15T07:00:00Z\tINFO\ta | b").1, Prefix::None);
        assert_eq!(strip_prefix(b"2026-05-06 05:59:57,000 INFO").1, Prefix::None);
    }
}
