//! What the node did (LOGS.md §2), line by line, and in the same pass which of successrate.sh's
//! counters each line feeds and why that differs (§3.1, §3.3).

use std::collections::{BTreeMap, HashMap, VecDeque};

use crate::compat::{field, FieldSet, Matcher};
use crate::fields::{scan, Fields, Scan, Value};
use crate::lines::LineSink;
use crate::parse::{parse_node_line, strip_prefix, NodeLine, NotNode, Prefix};
use crate::reasons::ReasonList;
use crate::time::is_foreign_time;

/// Open transfers held at once (§2.3); the oldest is dropped beyond.
pub const MAX_OPEN: usize = 100_000;
/// Race-lost lines waiting for their DEBUG twin.
const MAX_PENDING: usize = 10_000;
/// A twin follows its race-lost line within this many milliseconds.
const TWIN_WINDOW_MS: i64 = 1000;
pub const MAX_SATELLITES: usize = 1000;
pub const MAX_HOURS: usize = 200_000;
const MAX_OTHER_ACTIONS: usize = 64;
const MAX_VERSIONS: usize = 64;
const MAX_OFFSETS: usize = 32;
/// Characters of a skipped line kept as its example.
const EXAMPLE_CHARS: usize = 200;
/// No node line in this much text: not a storagenode log.
pub const SNIFF_TEXT: u64 = 64 << 20;

/// Transfer categories, in report order.
pub const AUDIT: usize = 0;
pub const DOWNLOAD: usize = 1;
pub const UPLOAD: usize = 2;
pub const REPAIR_DOWNLOAD: usize = 3;
pub const REPAIR_UPLOAD: usize = 4;

/// Skipped kinds (§1.6), in report order.
pub const SKIP_KINDS: [&str; 6] = ["blank", "foreign", "unrecognised", "bad_fields", "too_long", "truncated_last_line"];
const BLANK: usize = 0;
const FOREIGN: usize = 1;
const UNRECOGNISED: usize = 2;
const BAD_FIELDS: usize = 3;
const TOO_LONG: usize = 4;
const TRUNCATED: usize = 5;

/// Causes of §3.3, in report order (as `model::log_report::CAUSES`).
pub const SIZE_MISMATCH: usize = 0;
pub const EXIST_IN_ERROR: usize = 1;
pub const FAILED_TO_CLOSE: usize = 2;
pub const RACE_LOST_WITHOUT_ACTION: usize = 3;
pub const DEBUG_TWIN: usize = 4;
pub const DEBUG_DELETED_PIECE: usize = 5;
pub const GC_OR_EXPIRY: usize = 6;
pub const TRUNCATED_LAST_LINE: usize = 7;
pub const OTHER_LINE: usize = 8;

const DEBUG: usize = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    Download = 0,
    Upload = 1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Success,
    Canceled,
    Failed,
}

/// An action: one of the five categories, or an index into `other_actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Cat(usize),
    Other(usize),
}

/// Counts of one transfer category.
#[derive(Debug, Clone, Copy, Default)]
pub struct CatCounts {
    pub success: u64,
    pub canceled: u64,
    pub failed: u64,
    pub failed_critical: u64,
    pub failed_recoverable: u64,
    /// success, canceled, failed
    pub bytes: [u64; 3],
}

/// One satellite's (or the whole log's) counts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub cats: [CatCounts; 5],
    /// success, failed
    pub delete: [u64; 2],
}

#[derive(Debug, Clone, Copy, Default)]
pub struct HourCounts {
    /// [success, canceled, failed] per category
    pub cats: [[u64; 3]; 5],
    pub rejected: u64,
    pub delete: [u64; 2],
}

/// A skipped kind: count and first example (line number, text).
#[derive(Debug, Clone, Default)]
pub struct Skipped {
    pub count: u64,
    pub first: Option<(u64, String)>,
}

#[derive(Debug, Clone, Copy)]
struct Open {
    action: Action,
    sat: Option<u32>,
    seq: u64,
}

/// Open transfers keyed by a hash of (direction, piece ID), oldest dropped beyond [`MAX_OPEN`].
#[derive(Debug, Default)]
struct OpenTransfers {
    map: HashMap<u64, Vec<Open>>,
    order: VecDeque<(u64, u64)>,
    len: usize,
    seq: u64,
    peak: usize,
    dropped: u64,
}

impl OpenTransfers {
    fn open(&mut self, key: u64, action: Action, sat: Option<u32>) {
        self.seq += 1;
        self.map.entry(key).or_default().push(Open { action, sat, seq: self.seq });
        self.order.push_back((key, self.seq));
        self.len += 1;
        while self.len > MAX_OPEN {
            let Some((k, seq)) = self.order.pop_front() else { break };
            if self.remove_where(k, |o| o.seq == seq).is_some() {
                self.dropped += 1;
            }
        }
        self.peak = self.peak.max(self.len);
        if self.order.len() > 4 * MAX_OPEN {
            // closed transfers leave stale entries behind: keep the queue bounded
            let map = &self.map;
            self.order.retain(|(k, seq)| map.get(k).is_some_and(|v| v.iter().any(|o| o.seq == *seq)));
        }
    }

    /// Removes the oldest open transfer under `key` that `pred` accepts.
    fn remove_where(&mut self, key: u64, pred: impl Fn(&Open) -> bool) -> Option<Open> {
        let list = self.map.get_mut(&key)?;
        let i = list.iter().position(pred)?;
        let o = list.remove(i);
        if list.is_empty() {
            self.map.remove(&key);
        }
        self.len -= 1;
        Some(o)
    }
}

/// A race-lost line waiting for its DEBUG twin.
#[derive(Debug, Clone, Copy)]
struct Pending {
    dir: Dir,
    key: u64,
    t_ms: i64,
    /// Not yet attributed: the counters it matched, for its differences once it is.
    unattributed: Option<FieldSet>,
}

/// 64-bit FNV-1a of (direction, piece ID): the open-transfer key.
fn piece_key(dir: Dir, piece: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (dir as u64);
    for &b in piece {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// Where a line goes in successrate.sh's account: the field it stands for and its cause.
#[derive(Debug, Clone, Copy)]
struct Disposition {
    stands: Option<usize>,
    cause: usize,
}

impl Disposition {
    fn none(cause: usize) -> Self {
        Disposition { stands: None, cause }
    }
}

/// The whole state of the pass.
pub struct Analyzer {
    matcher: Matcher,
    /// UTF-16 input: successrate.sh's grep finds none of its needles.
    pub utf16: bool,
    pub line_no: u64,
    pub by_level: [u64; 7],
    pub invalid_utf8: u64,
    pub skipped: [Skipped; 6],
    pub nul_runs: u64,
    pub nul_bytes: u64,
    pub nul_first_line: Option<u64>,
    pub crlf_lines: u64,
    pub longest_line: u64,
    pub prefix: Option<Prefix>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub offsets: Vec<String>,
    pub key_styles: [u64; 2],
    /// (version, first ms, last ms)
    pub versions: Vec<(String, i64, i64)>,
    pub overall: Counts,
    pub rejected: u64,
    pub sat_ids: Vec<Vec<u8>>,
    sat_index: HashMap<Vec<u8>, u32>,
    pub sats: Vec<Counts>,
    pub satellites_dropped: u64,
    pub other_actions: Vec<(String, [u64; 3])>,
    pub unattributed: [u64; 2],
    pub hours: BTreeMap<i64, HourCounts>,
    pub hours_dropped: u64,
    /// [category][failed, canceled]
    pub reasons: [[ReasonList; 2]; 5],
    pub started: [u64; 2],
    pub removals: model::log_report::Removals,
    pub compat: [u64; 18],
    /// [field][cause]: lines successrate.sh counts in excess (+) or misses (-)
    pub diffs: [[i64; 9]; 18],
    pub debug_upload_failures: u64,
    pub lines_with_reason: u64,
    open: OpenTransfers,
    pending: VecDeque<Pending>,
    pub text_bytes: u64,
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer {
            matcher: Matcher::new(),
            utf16: false,
            line_no: 0,
            by_level: [0; 7],
            invalid_utf8: 0,
            skipped: Default::default(),
            nul_runs: 0,
            nul_bytes: 0,
            nul_first_line: None,
            crlf_lines: 0,
            longest_line: 0,
            prefix: None,
            first_ms: None,
            last_ms: None,
            offsets: Vec::new(),
            key_styles: [0; 2],
            versions: Vec::new(),
            overall: Counts::default(),
            rejected: 0,
            sat_ids: Vec::new(),
            sat_index: HashMap::new(),
            sats: Vec::new(),
            satellites_dropped: 0,
            other_actions: Vec::new(),
            unattributed: [0; 2],
            hours: BTreeMap::new(),
            hours_dropped: 0,
            reasons: Default::default(),
            started: [0; 2],
            removals: Default::default(),
            compat: [0; 18],
            diffs: [[0; 9]; 18],
            debug_upload_failures: 0,
            lines_with_reason: 0,
            open: OpenTransfers::default(),
            pending: VecDeque::new(),
            text_bytes: 0,
        }
    }

    /// Lines that were node lines (every level).
    pub fn node_lines(&self) -> u64 {
        self.by_level.iter().sum()
    }

    pub fn open_peak(&self) -> (usize, u64) {
        (self.open.peak, self.open.dropped)
    }

    /// The end of input: race-lost lines still waiting for a twin stay unattributed.
    pub fn finish(&mut self) {
        while let Some(p) = self.pending.pop_front() {
            self.settle(p);
        }
    }

    fn skip(&mut self, kind: usize, text: &[u8]) {
        let s = &mut self.skipped[kind];
        s.count += 1;
        if s.first.is_none() {
            let lossy = String::from_utf8_lossy(&text[..text.len().min(EXAMPLE_CHARS * 4)]);
            s.first = Some((self.line_no, lossy.chars().take(EXAMPLE_CHARS).collect()));
        }
    }

    /// Adds a line's account: +1 for each counter matched but not stood for, -1 the reverse.
    fn account(&mut self, matched: FieldSet, d: Disposition) {
        let stands: FieldSet = d.stands.map_or(0, |f| 1 << f);
        let mut extra = matched & !stands;
        while extra != 0 {
            let f = extra.trailing_zeros() as usize;
            self.diffs[f][d.cause] += 1;
            extra &= extra - 1;
        }
        let missing = stands & !matched;
        if missing != 0 {
            self.diffs[missing.trailing_zeros() as usize][d.cause] -= 1;
        }
    }

    fn process(&mut self, raw: &[u8], terminated: bool) {
        self.line_no += 1;
        self.longest_line = self.longest_line.max(raw.len() as u64);
        let matched = if self.utf16 { 0 } else { self.matcher.fields(raw) };
        let mut bits = matched;
        while bits != 0 {
            self.compat[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        if std::str::from_utf8(raw).is_err() {
            self.invalid_utf8 += 1;
        }
        let mut line = raw;
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
            self.crlf_lines += 1;
        }
        if let Some(d) = self.classify(line, raw, terminated, matched) {
            self.account(matched, d);
        }
    }

    /// The line's disposition, or None when it is settled later (an unattributed race-lost line).
    fn classify(&mut self, line: &[u8], raw: &[u8], terminated: bool, matched: FieldSet) -> Option<Disposition> {
        let parsed = match parse_node_line(line) {
            Ok(n) => Ok(n),
            Err(first) => {
                let (rest, prefix) = strip_prefix(line);
                if prefix == Prefix::None {
                    Err((first, line))
                } else {
                    self.prefix.get_or_insert(prefix);
                    parse_node_line(rest).map_err(|e| (e, rest))
                }
            }
        };
        let node = match parsed {
            Ok(n) => n,
            Err((why, rest)) => {
                let kind = if rest.iter().all(|&c| c == b' ' || c == b'\t') {
                    BLANK
                } else if !terminated && why == NotNode::Cut {
                    TRUNCATED
                } else if is_foreign_time(rest) {
                    FOREIGN
                } else {
                    UNRECOGNISED
                };
                self.skip(kind, raw);
                return Some(Disposition::none(if kind == TRUNCATED { TRUNCATED_LAST_LINE } else { OTHER_LINE }));
            }
        };
        if !terminated {
            // the node writes a fields object on every line: a last line without LF that lacks
            // it, or whose object does not close, was cut off
            let cut = match (node.fields, &node.scanned) {
                (_, Some((_, s))) => *s == Scan::Incomplete,
                (Some(f), None) => scan(f).1 == Scan::Incomplete,
                (None, None) => true,
            };
            if cut {
                self.skip(TRUNCATED, raw);
                return Some(Disposition::none(TRUNCATED_LAST_LINE));
            }
        }
        self.node_line(node, raw, matched)
    }

    fn see_time(&mut self, node: &NodeLine<'_>) {
        let t = node.stamp.utc_ms;
        self.first_ms = Some(self.first_ms.map_or(t, |f| f.min(t)));
        self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));
        let off = node.stamp.offset;
        if self.offsets.len() < MAX_OFFSETS && !self.offsets.iter().any(|o| o.as_bytes() == off) {
            self.offsets.push(String::from_utf8_lossy(off).into_owned());
        }
    }

    fn node_line(&mut self, node: NodeLine<'_>, raw: &[u8], matched: FieldSet) -> Option<Disposition> {
        let logger = node.logger;
        let msg = node.message;
        let d = if logger == b"piecestore" {
            match self.piecestore(&node, matched) {
                Ok(d) => d,
                Err(()) => {
                    self.skip(BAD_FIELDS, raw);
                    return Some(Disposition::none(OTHER_LINE));
                }
            }
        } else {
            self.other_logger(&node);
            Some(Disposition::none(if logger == b"pieces" && msg == b"deleted piece" {
                DEBUG_DELETED_PIECE
            } else if is_gc_logger(logger) {
                GC_OR_EXPIRY
            } else {
                OTHER_LINE
            }))
        };
        self.by_level[node.level] += 1;
        self.see_time(&node);
        d
    }

    fn fields<'a>(node: &NodeLine<'a>) -> Option<Fields<'a>> {
        if let Some((f, s)) = &node.scanned {
            return (*s == Scan::Complete).then(|| f.clone());
        }
        let (f, s) = scan(node.fields?);
        (s == Scan::Complete).then_some(f)
    }

    /// A piecestore line; Err when an outcome line lacks the fields it needs.
    fn piecestore(&mut self, node: &NodeLine<'_>, matched: FieldSet) -> Result<Option<Disposition>, ()> {
        let msg = node.message;
        let outcome = match msg {
            b"downloaded" => Some((Dir::Download, Status::Success, false)),
            b"download canceled" => Some((Dir::Download, Status::Canceled, false)),
            b"download canceled (race lost or node shutdown)" => Some((Dir::Download, Status::Canceled, true)),
            b"download failed" => Some((Dir::Download, Status::Failed, false)),
            b"uploaded" => Some((Dir::Upload, Status::Success, false)),
            b"upload canceled" => Some((Dir::Upload, Status::Canceled, false)),
            b"upload canceled (race lost or node shutdown)" => Some((Dir::Upload, Status::Canceled, true)),
            b"upload failed" => Some((Dir::Upload, Status::Failed, false)),
            _ => None,
        };
        if let Some((dir, status, race)) = outcome {
            let f = Self::fields(node).ok_or(())?;
            return self.outcome(node, &f, dir, status, race, matched);
        }
        let t = node.stamp.utc_ms;
        match msg {
            b"download started" | b"upload started" => {
                let dir = if msg[1] == b'o' { Dir::Download } else { Dir::Upload };
                self.started[dir as usize] += 1;
                if let Some(f) = Self::fields(node) {
                    if let (Some(p), Some(a)) = (f.piece_id, f.action) {
                        let action = self.action(a.bytes());
                        let sat = f.satellite_id.and_then(|s| self.satellite(s.bytes()));
                        if let Some(action) = action {
                            self.open.open(piece_key(dir, p.bytes()), action, sat);
                        }
                    }
                }
                Ok(Some(Disposition::none(OTHER_LINE)))
            }
            b"deleted" | b"delete failed" => {
                let i = usize::from(msg == b"delete failed");
                self.overall.delete[i] += 1;
                if let Some(s) = Self::fields(node).and_then(|f| f.satellite_id).and_then(|s| self.satellite(s.bytes())) {
                    self.sats[s as usize].delete[i] += 1;
                }
                if let Some(h) = self.hour(t) {
                    h.delete[i] += 1;
                }
                Ok(Some(Disposition { stands: Some(if i == 0 { field::DELETE_SUCCESS } else { field::DELETE_FAILED }), cause: OTHER_LINE }))
            }
            _ if msg.starts_with(b"upload rejected") => {
                self.rejected += 1;
                if let Some(h) = self.hour(t) {
                    h.rejected += 1;
                }
                Ok(Some(Disposition { stands: Some(field::UPLOAD_REJECTED), cause: OTHER_LINE }))
            }
            b"failed to close piece reader" => Ok(Some(Disposition::none(FAILED_TO_CLOSE))),
            _ => Ok(Some(Disposition::none(OTHER_LINE))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn outcome(
        &mut self,
        node: &NodeLine<'_>,
        f: &Fields<'_>,
        dir: Dir,
        status: Status,
        race: bool,
        matched: FieldSet,
    ) -> Result<Option<Disposition>, ()> {
        let piece = f.piece_id.ok_or(())?;
        let key = piece_key(dir, piece.bytes());
        let t = node.stamp.utc_ms;
        let twin_shaped = node.level == DEBUG && !race && (status == if dir == Dir::Download { Status::Canceled } else { Status::Failed });
        if twin_shaped {
            if let Some(p) = self.take_twin_of(dir, key, t) {
                if p.unattributed.is_some() {
                    // the twin names the race-lost line's action and satellite
                    if let (Some(a), Some(s)) = (f.action, f.satellite_id) {
                        let action = self.action(a.bytes());
                        let sat = self.satellite(s.bytes());
                        self.unattributed[dir as usize] -= 1;
                        self.attribute(p, action, sat);
                    } else {
                        self.settle(p);
                    }
                }
                return Ok(Some(Disposition::none(DEBUG_TWIN)));
            }
        }
        self.key_styles[usize::from(!f.pascal_case)] += 1;
        if f.reason.is_some() {
            self.lines_with_reason += 1;
        }
        if race && f.action.is_none() {
            let open = self.open.remove_where(key, |_| true);
            let pending = Pending { dir, key, t_ms: t, unattributed: Some(matched) };
            match open {
                Some(o) => {
                    let stands = self.record(Some(o.action), Status::Canceled, o.sat, t, 0, None, RACE_LOST);
                    self.push_pending(Pending { unattributed: None, ..pending });
                    return Ok(Some(Disposition { stands, cause: RACE_LOST_WITHOUT_ACTION }));
                }
                None => {
                    self.unattributed[dir as usize] += 1;
                    self.push_pending(pending);
                    return Ok(None);
                }
            }
        }
        let (Some(a), Some(s)) = (f.action, f.satellite_id) else { return Err(()) };
        let action = self.action(a.bytes());
        let sat = self.satellite(s.bytes());
        if let Some(action) = action {
            self.open.remove_where(key, |o| o.action == action && o.sat == sat);
        }
        if race {
            self.push_pending(Pending { dir, key, t_ms: t, unattributed: None });
        }
        if dir == Dir::Upload && status == Status::Failed && node.level == DEBUG {
            self.debug_upload_failures += 1;
        }
        let bytes = f.size.and_then(|v| v.as_u64()).unwrap_or(0);
        let (reason_text, cause) = match status {
            Status::Success => (None, OTHER_LINE),
            Status::Canceled => {
                let r = f.reason.map(|v| v.text());
                let mismatch = r.as_deref().is_some_and(|r| r.contains("downloaded size"));
                (
                    Some(r.unwrap_or_else(|| (if race { RACE_LOST } else { NO_REASON }).to_string())),
                    if mismatch { SIZE_MISMATCH } else { OTHER_LINE },
                )
            }
            Status::Failed => {
                let audit = action == Some(Action::Cat(AUDIT));
                (Some(f.error.map(|v| v.text()).unwrap_or_else(|| NO_ERROR.to_string())), if audit { EXIST_IN_ERROR } else { OTHER_LINE })
            }
        };
        let stands = self.record(action, status, sat, t, bytes, reason_text.as_deref(), "");
        Ok(Some(Disposition { stands, cause }))
    }

    /// Counts an outcome; returns the successrate.sh counter it stands for. `reason` is the
    /// cancel reason or failure error; `default_reason` stands in when it is None.
    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        action: Option<Action>,
        status: Status,
        sat: Option<u32>,
        t_ms: i64,
        bytes: u64,
        reason: Option<&str>,
        default_reason: &str,
    ) -> Option<usize> {
        let c = match action? {
            Action::Cat(c) => c,
            Action::Other(i) => {
                self.other_actions[i].1[status as usize] += 1;
                return None;
            }
        };
        let critical = status == Status::Failed && c == AUDIT && reason.is_some_and(|r| r.contains("file does not exist"));
        let add = |k: &mut CatCounts| {
            match status {
                Status::Success => k.success += 1,
                Status::Canceled => k.canceled += 1,
                Status::Failed => {
                    k.failed += 1;
                    if c == AUDIT {
                        if critical {
                            k.failed_critical += 1;
                        } else {
                            k.failed_recoverable += 1;
                        }
                    }
                }
            }
            k.bytes[status as usize] += bytes;
        };
        add(&mut self.overall.cats[c]);
        if let Some(s) = sat {
            add(&mut self.sats[s as usize].cats[c]);
        }
        if let Some(h) = self.hour(t_ms) {
            h.cats[c][status as usize] += 1;
        }
        if status != Status::Success {
            let text = reason.unwrap_or(default_reason);
            self.reasons[c][usize::from(status == Status::Canceled)].add(text, 1);
        }
        Some(match (c, status) {
            (AUDIT, Status::Success) => field::AUDIT_SUCCESS,
            (AUDIT, Status::Canceled) => return None,
            (AUDIT, Status::Failed) if critical => field::AUDIT_CRITICAL,
            (AUDIT, Status::Failed) => field::AUDIT_RECOVERABLE,
            (c, s) => {
                let base = [0, field::DOWNLOAD, field::UPLOAD, field::REPAIR_DOWNLOAD, field::REPAIR_UPLOAD][c];
                base + match s {
                    Status::Failed => 0,
                    Status::Canceled => 1,
                    Status::Success => 2,
                }
            }
        })
    }

    /// A twin's race-lost line: the oldest waiting one of the same direction and piece, at most 1 s before.
    fn take_twin_of(&mut self, dir: Dir, key: u64, t: i64) -> Option<Pending> {
        self.expire_pending(t);
        let i = self.pending.iter().position(|p| p.dir == dir && p.key == key && (0..=TWIN_WINDOW_MS).contains(&(t - p.t_ms)))?;
        self.pending.remove(i)
    }

    fn push_pending(&mut self, p: Pending) {
        self.expire_pending(p.t_ms);
        if self.pending.len() >= MAX_PENDING {
            if let Some(old) = self.pending.pop_front() {
                self.settle(old);
            }
        }
        self.pending.push_back(p);
    }

    /// Race-lost lines too old to get a twin are settled.
    fn expire_pending(&mut self, now: i64) {
        while let Some(p) = self.pending.front() {
            if now - p.t_ms <= TWIN_WINDOW_MS {
                break;
            }
            if let Some(p) = self.pending.pop_front() {
                self.settle(p);
            }
        }
    }

    /// A race-lost line that got no attribution: it stands for nothing.
    fn settle(&mut self, p: Pending) {
        if let Some(matched) = p.unattributed {
            self.account(matched, Disposition::none(RACE_LOST_WITHOUT_ACTION));
        }
    }

    /// A race-lost line attributed by its twin: counted now, at its own time, without bytes.
    fn attribute(&mut self, p: Pending, action: Option<Action>, sat: Option<u32>) {
        let stands = self.record(action, Status::Canceled, sat, p.t_ms, 0, None, RACE_LOST);
        if let Some(matched) = p.unattributed {
            self.account(matched, Disposition { stands, cause: RACE_LOST_WITHOUT_ACTION });
        }
    }

    fn action(&mut self, a: &[u8]) -> Option<Action> {
        Some(match a {
            b"GET_AUDIT" => Action::Cat(AUDIT),
            b"GET" => Action::Cat(DOWNLOAD),
            b"PUT" => Action::Cat(UPLOAD),
            b"GET_REPAIR" => Action::Cat(REPAIR_DOWNLOAD),
            b"PUT_REPAIR" => Action::Cat(REPAIR_UPLOAD),
            _ => {
                let name = String::from_utf8_lossy(a);
                if let Some(i) = self.other_actions.iter().position(|(n, _)| *n == name) {
                    return Some(Action::Other(i));
                }
                if self.other_actions.len() >= MAX_OTHER_ACTIONS {
                    return None;
                }
                self.other_actions.push((name.into_owned(), [0; 3]));
                Action::Other(self.other_actions.len() - 1)
            }
        })
    }

    fn satellite(&mut self, id: &[u8]) -> Option<u32> {
        if let Some(&i) = self.sat_index.get(id) {
            return Some(i);
        }
        if self.sat_ids.len() >= MAX_SATELLITES {
            self.satellites_dropped += 1;
            return None;
        }
        let i = self.sat_ids.len() as u32;
        self.sat_ids.push(id.to_vec());
        self.sat_index.insert(id.to_vec(), i);
        self.sats.push(Counts::default());
        Some(i)
    }

    fn hour(&mut self, t_ms: i64) -> Option<&mut HourCounts> {
        let h = t_ms.div_euclid(3_600_000);
        if self.hours.len() >= MAX_HOURS && !self.hours.contains_key(&h) {
            self.hours_dropped += 1;
            return None;
        }
        Some(self.hours.entry(h).or_default())
    }

    /// Lines of other loggers: removals and versions.
    fn other_logger(&mut self, node: &NodeLine<'_>) {
        let (logger, msg) = (node.logger, node.message);
        let sum = |v: Option<Value<'_>>| v.and_then(|v| v.as_u64()).unwrap_or(0);
        let r = &mut self.removals;
        match (logger, msg) {
            (b"collector", b"deleted expired piece") => r.expired_piece_lines += 1,
            (b"collector", b"expired pieces collection completed") => {
                r.expired_collection_runs += 1;
                r.expired_collection_pieces += sum(Self::fields(node).and_then(|f| f.count));
            }
            (b"collector", b"Expired files deleted") => {
                r.expired_files_lines += 1;
                r.expired_files_pieces += sum(Self::fields(node).and_then(|f| f.success));
            }
            (b"collector", m) if m.starts_with(b"unable to delete piece") && (node.level == 2 || node.level == 3) => r.expire_failures += 1,
            (b"retain", m) if m.starts_with(b"Moved pieces to trash during retain") => {
                r.retain_runs += 1;
                r.retain_pieces_trashed += sum(Self::fields(node).and_then(|f| f.num_deleted));
            }
            (_, b"trash-filewalker completed") => {
                r.trash_emptied_runs += 1;
                r.trash_bytes_deleted += sum(Self::fields(node).and_then(|f| f.bytes_deleted));
            }
            (_, b"Current binary version") => {
                if let Some(f) = Self::fields(node) {
                    if f.service.is_some_and(|s| s.bytes() == b"storagenode") {
                        self.version_seen(f.version, node.stamp.utc_ms);
                    }
                }
            }
            (_, m) if m.starts_with(b"Running on allowed version") => {
                let v = Self::fields(node).and_then(|f| f.version);
                self.version_seen(v, node.stamp.utc_ms);
            }
            (_, m) if memchr::memmem::find(m, b"version not allowed").is_some() || memchr::memmem::find(m, b"outdated").is_some() => {
                let v = Self::fields(node).and_then(|f| f.current_version);
                self.version_seen(v, node.stamp.utc_ms);
            }
            _ => {}
        }
    }

    fn version_seen(&mut self, v: Option<Value<'_>>, t: i64) {
        let Some(v) = v else { return };
        let text = v.text();
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let name = if text.starts_with('v') { text.to_string() } else { format!("v{text}") };
        if let Some(e) = self.versions.iter_mut().find(|e| e.0 == name) {
            e.1 = e.1.min(t);
            e.2 = e.2.max(t);
        } else if self.versions.len() < MAX_VERSIONS {
            self.versions.push((name, t, t));
        }
    }
}

const RACE_LOST: &str = "race lost or node shutdown";
const NO_REASON: &str = "(no reason logged)";
const NO_ERROR: &str = "(no error logged)";

fn is_gc_logger(l: &[u8]) -> bool {
    l == b"collector" || l == b"retain" || l == b"pieces:trash" || l.starts_with(b"lazyfilewalker")
}

impl LineSink for Analyzer {
    fn line(&mut self, line: &[u8], terminated: bool) {
        self.process(line, terminated);
    }

    fn too_long(&mut self, len: u64, head: &[u8]) {
        self.line_no += 1;
        self.longest_line = self.longest_line.max(len);
        self.skip(TOO_LONG, head);
        // successrate.sh would scan it; only its head is seen here
        let matched = if self.utf16 { 0 } else { self.matcher.fields(head) };
        let mut bits = matched;
        while bits != 0 {
            self.compat[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        self.account(matched, Disposition::none(OTHER_LINE));
    }

    fn nul_run(&mut self, len: u64, continued: bool) {
        self.nul_bytes += len;
        if !continued {
            self.nul_runs += 1;
            self.nul_first_line.get_or_insert(self.line_no + 1);
        }
    }
}
