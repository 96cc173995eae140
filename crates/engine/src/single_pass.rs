//! The single-pass path (SPEC section 8): ONE plain scan of `events` (and of the small
//! `storage_snapshots`) aggregated in Rust, so the first report needs no index.
//!
//! The scan keeps, per (node, satellite, period), the traffic CASE sums of ANALYTICS section 3
//! and the allocation sums of 4.6/12.6, plus each node's all-time satellite list, the node list,
//! the facts of the default now and of the report periods (12.2, 12.3), the first and last month
//! with data per node, and the odd-row warnings of 12.1. Every figure equals the SQL path's:
//!
//! - periods are decided by TEXT comparison against the iso bounds, as SQL does: a row whose first
//!   7 bytes read `YYYY-MM` belongs to that month when `timestamp >= start`, else to the previous
//!   one (`2025-10-01 00:00:00` with a space sorts before `2025-10-01T…`, so it is September's);
//!   other text rows are kept aside and compared with the bounds of each period asked for;
//! - `LIKE '%GET%'` is ASCII case-insensitive, `=` and `!=` are bytewise;
//! - values SQL would treat in ways not reproduced here (a non-text node name, satellite, action
//!   or status, a non-integer size, a sum that overflows) make [`SinglePass::scan`] return `None`:
//!   the caller then uses the SQL path, which handles them.
//!
//! Latency has no single-pass form: the scan gathers [`LatencyFacts`] and notes where the newest
//! rows lie ([`RecentBlocks`]), and [`crate::recent::RecentRows`] copies the newest rows, reading
//! only the table's tail, for the unchanged latency queries.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::checks::{self, OddRows};
use super::error::Result;
use super::node_age::MinValue;
use super::recent::LatencyFacts;
use super::satellites::SatelliteId;
use super::storage::{self, Allocation, NodeStorage};
use super::time::{is_iso_layout, parse_timestamp, Micros, Period};
use super::traffic::{NodeTraffic, TrafficBytes, OPERATOR_SHARE};

/// The scan's statement: every column the earnings need, in table order, then the duration for
/// the latency facts ([`LatencyFacts`]).
pub const SCAN_SQL: &str = "SELECT node_name, satellite_id, timestamp, action, status, size, rowid, duration_ms FROM events";
/// [`SCAN_SQL`] for a table without `duration_ms` (no latency panel).
pub const SCAN_SQL_WITHOUT_DURATION: &str = "SELECT node_name, satellite_id, timestamp, action, status, size, rowid, NULL FROM events";

/// Sums of one (node, satellite, period).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Sums {
    traffic: TrafficBytes,
    /// SUM(size) of the `status = 'success'` rows; `None` when there is no such row.
    success: Option<i64>,
}

/// A text row whose month cannot be read from its first 7 bytes: compared per period asked for.
#[derive(Debug, Clone)]
struct AsideRow {
    node: u32,
    sat: u32,
    timestamp: Vec<u8>,
    flags: u8,
    size: i64,
}

const EGRESS: u8 = 1;
const REPAIR: u8 = 2;
const AUDIT: u8 = 4;
const SUCCESS: u8 = 8;

/// The aggregates of one scan. Node 0 / satellite 0 are NULL.
#[derive(Debug, Clone, Default)]
pub struct SinglePass {
    node_names: Vec<String>,
    sat_names: Vec<SatelliteId>,
    /// (node, satellite, period) → sums (node ≥ 1: rows of a NULL node are never asked for).
    sums: HashMap<(u32, u32, Period), Sums>,
    aside: Vec<AsideRow>,
    /// Satellites seen per node (all time).
    sats_of: HashMap<u32, Vec<u32>>,
    /// Text nodes of events ∪ storage_snapshots, sorted (the report's node list).
    nodes: Vec<String>,
    /// Newest iso-layout timestamp among rows with a text or NULL node (both tables).
    newest_iso: Option<String>,
    /// Smallest text timestamp, and whether a numeric one exists, among the same rows.
    min_text: Option<Vec<u8>>,
    has_numeric: bool,
    /// Per text node: text MIN/MAX of the timestamps in ['1000-01-01', '9999-12-32') (dashboard
    /// months), events and snapshots together.
    month_bounds: HashMap<String, (Vec<u8>, Vec<u8>)>,
    odd_rows: Vec<String>,
    /// Where the newest rows lie, for the latency copy.
    recent: RecentBlocks,
    /// What the latency panel needs besides SQL ([`crate::recent`]).
    pub(crate) latency: LatencyFacts,
    /// Per node id: `MIN(timestamp)` of its events (SQL's order: numbers < text < blob).
    first_event: Vec<Option<SqlVal>>,
    /// Node name → id (the ids of `node_names`).
    ids: HashMap<String, u32>,
    /// Rows scanned and the scan's time.
    pub rows: u64,
}

/// A value in SQLite's sort order (NULL < numbers < text < blob), for "first in index order".
#[derive(Debug, Clone, PartialEq)]
enum SqlVal {
    Null,
    Int(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl SqlVal {
    fn of(v: ValueRef<'_>) -> SqlVal {
        match v {
            ValueRef::Null => SqlVal::Null,
            ValueRef::Integer(i) => SqlVal::Int(i),
            ValueRef::Real(r) => SqlVal::Real(r),
            ValueRef::Text(t) => SqlVal::Text(t.to_vec()),
            ValueRef::Blob(b) => SqlVal::Blob(b.to_vec()),
        }
    }
    fn rank(&self) -> u8 {
        match self {
            SqlVal::Null => 0,
            SqlVal::Int(_) | SqlVal::Real(_) => 1,
            SqlVal::Text(_) => 2,
            SqlVal::Blob(_) => 3,
        }
    }
    fn cmp(&self, o: &SqlVal) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        match (self, o) {
            (SqlVal::Int(a), SqlVal::Int(b)) => a.cmp(b),
            (SqlVal::Int(a), SqlVal::Real(b)) => (*a as f64).partial_cmp(b).unwrap_or(Ordering::Equal),
            (SqlVal::Real(a), SqlVal::Int(b)) => a.partial_cmp(&(*b as f64)).unwrap_or(Ordering::Equal),
            (SqlVal::Real(a), SqlVal::Real(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            (SqlVal::Text(a), SqlVal::Text(b)) | (SqlVal::Blob(a), SqlVal::Blob(b)) => a.cmp(b),
            _ => self.rank().cmp(&o.rank()),
        }
    }
    fn shown(&self) -> String {
        match self {
            SqlVal::Null => "NULL".into(),
            SqlVal::Int(i) => i.to_string(),
            SqlVal::Real(r) => format!("{r:?}"),
            SqlVal::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
            SqlVal::Blob(b) => format!("<blob of {} bytes>", b.len()),
        }
    }
}

/// The key of `idx_events_node_time_status_size` plus the rowid: the order in which
/// [`checks::odd_rows`] meets its rows, so both report the same first example.
type IndexKey = [SqlVal; 5];

fn key_less(a: &IndexKey, b: &IndexKey) -> bool {
    for (x, y) in a.iter().zip(b) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => return true,
            std::cmp::Ordering::Greater => return false,
            std::cmp::Ordering::Equal => {}
        }
    }
    false
}

/// `LIKE '%GET%'`: ASCII case-insensitive substring (UTF-8 continuation bytes never match).
fn like_get(a: &[u8]) -> bool {
    a.windows(3).any(|w| w[0] | 0x20 == b'g' && w[1] | 0x20 == b'e' && w[2] | 0x20 == b't')
}

fn flags_of(action: Option<&[u8]>, status: Option<&[u8]>) -> u8 {
    let mut f = 0;
    if status == Some(b"success".as_slice()) {
        f |= SUCCESS;
        if let Some(a) = action {
            if a == b"GET_AUDIT" {
                f |= AUDIT;
            } else if a == b"GET_REPAIR" {
                f |= REPAIR;
            } else if like_get(a) {
                f |= EGRESS;
            }
        }
    }
    f
}

/// The month of the first 7 bytes, `YYYY-MM`, if they read so.
fn prefix_period(ts: &[u8]) -> Option<Period> {
    if ts.len() < 7 || ts[4] != b'-' || !ts[..4].iter().chain(&ts[5..7]).all(u8::is_ascii_digit) {
        return None;
    }
    let d = |i: usize| (ts[i] - b'0') as i32;
    Period::new(d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3), (d(5) * 10 + d(6)) as u32)
}

fn add_sums(s: &mut Sums, flags: u8, size: i64) -> Option<()> {
    if flags & EGRESS != 0 {
        s.traffic.egress = s.traffic.egress.checked_add(size)?;
    } else if flags & REPAIR != 0 {
        s.traffic.repair = s.traffic.repair.checked_add(size)?;
    } else if flags & AUDIT != 0 {
        s.traffic.audit = s.traffic.audit.checked_add(size)?;
    }
    if flags & SUCCESS != 0 {
        s.success = Some(s.success.unwrap_or(0).checked_add(size)?);
    }
    Some(())
}

const MONTHS_LO: &[u8] = b"1000-01-01";
const MONTHS_HI: &[u8] = b"9999-12-32";

/// Interns byte strings to small numbers (0 is NULL).
struct Interner {
    ids: HashMap<Vec<u8>, u32>,
    names: Vec<Option<Vec<u8>>>,
}

impl Interner {
    fn new() -> Interner {
        Interner { ids: HashMap::new(), names: vec![None] }
    }
    fn id(&mut self, v: Option<&[u8]>) -> u32 {
        let Some(b) = v else { return 0 };
        if let Some(&i) = self.ids.get(b) {
            return i;
        }
        let i = self.names.len() as u32;
        self.ids.insert(b.to_vec(), i);
        self.names.push(Some(b.to_vec()));
        i
    }
    fn strings(&self) -> Vec<Option<String>> {
        self.names.iter().map(|n| n.as_ref().map(|b| String::from_utf8_lossy(b).into_owned())).collect()
    }
}

/// Text or NULL, else `Err(())` (the value is one the single pass gives up on).
fn text_or_null<'a>(v: ValueRef<'a>) -> std::result::Result<Option<&'a [u8]>, ()> {
    match v {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => Ok(Some(t)),
        _ => Err(()),
    }
}

fn note_month(bounds: &mut HashMap<String, (Vec<u8>, Vec<u8>)>, node: &str, ts: &[u8]) {
    if ts < MONTHS_LO || ts >= MONTHS_HI {
        return;
    }
    match bounds.get_mut(node) {
        Some((lo, hi)) => {
            if ts < lo.as_slice() {
                *lo = ts.to_vec();
            }
            if ts > hi.as_slice() {
                *hi = ts.to_vec();
            }
        }
        None => {
            bounds.insert(node.to_string(), (ts.to_vec(), ts.to_vec()));
        }
    }
}

impl SinglePass {
    /// Scans the file once. `Ok(None)`: a value the single pass does not reproduce was met, use
    /// the SQL path. `check` is called every 65,536 rows; returning true stops the scan with
    /// `Ok(None)` too.
    pub fn scan(conn: &Connection, has_snapshots: bool, has_duration: bool, mut check: impl FnMut() -> bool) -> Result<Option<SinglePass>> {
        let mut st = ScanState::default();
        let mut stmt = conn.prepare(if has_duration { SCAN_SQL } else { SCAN_SQL_WITHOUT_DURATION })?;
        let mut rows = stmt.query([])?;
        // In chunks: V8 tiers a wasm function up only between calls (SPEC 8), so the row loop is
        // a function called once per chunk instead of one call running for the whole scan.
        loop {
            match scan_chunk(&mut st, &mut rows)? {
                Chunk::More => {
                    if check() {
                        return Ok(None);
                    }
                }
                Chunk::Done => break,
                Chunk::Decline => return Ok(None),
            }
        }
        let ScanState {
            nodes,
            sats,
            mut out,
            newest,
            odd_ts,
            odd_neg,
            null_sat_count,
            null_sat_node,
            node_bounds_raw,
            mut blocks,
            latency,
            first_event,
            ..
        } = st;
        out.latency = latency;
        out.first_event = first_event;
        if let Some(b) = blocks.current.take() {
            blocks.done.push(b);
        }
        out.recent = blocks;
        let mut newest = newest;
        drop(rows);
        drop(stmt);

        out.node_names = nodes.strings().into_iter().map(|n| n.unwrap_or_default()).collect();
        out.ids = out.node_names.iter().enumerate().skip(1).map(|(i, n)| (n.clone(), i as u32)).collect();
        out.sat_names = sats.strings();
        for (node, list) in out.sats_of.iter_mut() {
            let _ = node;
            let names = &out.sat_names;
            list.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
        }
        for (node, (lo, hi)) in node_bounds_raw {
            out.month_bounds.insert(out.node_names[node as usize].clone(), (lo, hi));
        }

        // Snapshots: a small table, scanned as is.
        let mut node_set: Vec<String> = out.node_names.iter().skip(1).cloned().collect();
        // Membership by hash: a linear search per snapshot grew with the square of the nodes.
        let mut known: std::collections::HashSet<String> = node_set.iter().cloned().collect();
        if has_snapshots {
            let mut stmt = conn.prepare("SELECT node_name, timestamp FROM storage_snapshots")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let Ok(node) = text_or_null(row.get_ref(0)?) else { return Ok(None) };
                match row.get_ref(1)? {
                    ValueRef::Text(t) => {
                        if out.min_text.as_deref().is_none_or(|m| t < m) {
                            out.min_text = Some(t.to_vec());
                        }
                        if newest.as_deref().is_none_or(|m| t > m) && is_iso_layout(&String::from_utf8_lossy(t)) {
                            newest = Some(t.to_vec());
                        }
                        if let Some(n) = node {
                            note_month(&mut out.month_bounds, &String::from_utf8_lossy(n), t);
                        }
                    }
                    ValueRef::Integer(_) | ValueRef::Real(_) => out.has_numeric = true,
                    _ => {}
                }
                if let Some(n) = node {
                    let n = String::from_utf8_lossy(n);
                    if !known.contains(n.as_ref()) {
                        known.insert(n.clone().into_owned());
                        node_set.push(n.into_owned());
                    }
                }
            }
        }
        node_set.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        out.nodes = node_set;
        out.newest_iso = newest.map(|b| String::from_utf8_lossy(&b).into_owned());

        // The odd-row warnings, worded as checks::odd_rows words them.
        out.odd_rows.extend(odd_ts.warning(checks::odd_timestamps_warning));
        out.odd_rows.extend(odd_neg.warning(checks::negative_sizes_warning));
        if null_sat_count > 0 {
            out.odd_rows.push(format!(
                "events: {null_sat_count} row(s) have a NULL satellite_id (e.g. on node {}); they earn no traffic but count in storage allocation",
                null_sat_node.map_or_else(|| "NULL".into(), |n| String::from_utf8_lossy(&n).into_owned())
            ));
        }
        if has_snapshots {
            let (n, ex): (i64, Option<String>) = conn.query_row(&checks::snapshots_sql(), [], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if let (n, Some(ex)) = (n, ex) {
                out.odd_rows.push(format!("storage_snapshots: {n} row(s) have a timestamp not in the layout of the original (e.g. {ex})"));
            }
        }
        Ok(Some(out))
    }

    fn node_id(&self, node: &str) -> Option<u32> {
        self.ids.get(node).copied()
    }

    /// The ids of the nodes of `view` that have events.
    pub fn node_ids(&self, view: &[String]) -> Vec<u32> {
        view.iter().filter_map(|n| self.node_id(n)).collect()
    }

    /// The node names by id (id 0, the NULL node, is "").
    pub fn node_names(&self) -> &[String] {
        &self.node_names
    }

    /// `SELECT MIN(timestamp) FROM events WHERE node_name = ?` (node age, ANALYTICS 5).
    pub fn first_event(&self, node: &str) -> Option<MinValue> {
        match self.first_event.get(self.node_id(node)? as usize)?.as_ref()? {
            SqlVal::Text(t) => Some(MinValue::Text(String::from_utf8_lossy(t).into_owned())),
            _ => Some(MinValue::Other),
        }
    }

    /// The sums of (node, period) per satellite id, in satellite order (NULL first).
    fn period_sums(&self, node: &str, period: Period) -> BTreeMap<SatelliteId, Sums> {
        let mut out = BTreeMap::new();
        let Some(n) = self.node_id(node) else { return out };
        for &sat in self.sats_of.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(s) = self.sums.get(&(n, sat, period)) {
                out.insert(self.sat_names[sat as usize].clone(), *s);
            }
        }
        if !self.aside.is_empty() {
            let (start, end) = (period.start_iso().into_bytes(), period.end_iso().into_bytes());
            for r in self.aside.iter().filter(|r| r.node == n) {
                if r.timestamp.as_slice() >= start.as_slice() && r.timestamp.as_slice() < end.as_slice() {
                    let s: &mut Sums = out.entry(self.sat_names[r.sat as usize].clone()).or_default();
                    // Overflow here was impossible in the scan's per-month sums only; saturate.
                    let _ = add_sums(s, r.flags, r.size);
                    if r.flags & SUCCESS != 0 && s.success.is_none() {
                        s.success = Some(0);
                    }
                }
            }
        }
        out
    }

    /// Section 3 for (node, period), as [`super::traffic::node_traffic`] returns it.
    pub fn traffic(&self, node: &str, period: Period) -> NodeTraffic {
        let by_satellite = self.period_sums(node, period).into_iter().filter_map(|(sat, s)| sat.map(|id| (id, s.traffic))).collect();
        NodeTraffic { by_satellite, warnings: Vec::new() }
    }

    /// Section 4.6 for (node, period), as [`super::storage::allocation`] returns it.
    pub fn allocation(&self, node: &str, period: Period) -> Allocation {
        let mut out = Allocation::default();
        for (sat, s) in self.period_sums(node, period) {
            if let Some(sum) = s.success {
                out.total = out.total.saturating_add(sum);
                out.by_satellite.push((sat, sum));
            }
        }
        out
    }

    /// The node's all-time satellite list, NULL first then bytewise.
    pub fn satellites(&self, node: &str) -> Vec<SatelliteId> {
        let Some(n) = self.node_id(node) else { return Vec::new() };
        self.sats_of.get(&n).map(|l| l.iter().map(|&s| self.sat_names[s as usize].clone()).collect()).unwrap_or_default()
    }

    /// The report's nodes (events ∪ snapshots, sorted).
    pub fn nodes(&self) -> Vec<String> {
        self.nodes.clone()
    }

    /// The default now of 12.2: the newest timestamp in iso layout.
    pub fn default_now(&self) -> Option<Micros> {
        self.newest_iso.as_deref().and_then(parse_timestamp).and_then(|p| p.instant())
    }

    /// Whether any row of a text or NULL node has a timestamp text-smaller than `bound`.
    pub fn has_rows_before(&self, bound: &str) -> bool {
        self.has_numeric || self.min_text.as_deref().is_some_and(|m| m < bound.as_bytes())
    }

    /// The node's first and last month with data (text MIN/MAX of the timestamps in range).
    pub fn month_range(&self, node: &str) -> Option<(Option<Period>, Option<Period>)> {
        let (lo, hi) = self.month_bounds.get(node)?;
        let month = |b: &[u8]| std::str::from_utf8(b.get(..7)?).ok().and_then(Period::parse);
        Some((month(lo), month(hi)))
    }

    /// A rowid below which no row has `timestamp >= cutoff` (text comparison), if known.
    pub fn recent_rowid_floor(&self, cutoff: &[u8]) -> Option<i64> {
        if self.recent.unusable {
            return None;
        }
        let qualifies = |b: &&RecentBlock| b.has_blob || b.max_text.as_deref().is_some_and(|m| m >= cutoff);
        Some(self.recent.done.iter().filter(qualifies).map(|b| b.min_rowid).min().unwrap_or(i64::MAX))
    }

    /// The odd-row warnings of [`checks::odd_rows`].
    pub fn odd_rows(&self) -> Vec<String> {
        self.odd_rows.clone()
    }
}

/// Rows per call of [`scan_chunk`] (and per block of [`RecentBlocks`]).
const CHUNK_ROWS: u32 = 16_384;

enum Chunk {
    More,
    Done,
    Decline,
}

/// The scan's running state, between chunks.
struct ScanState {
    nodes: Interner,
    sats: Interner,
    out: SinglePass,
    seen: HashMap<(u32, u32), ()>,
    bounds_cache: Option<(Period, Vec<u8>)>,
    newest: Option<Vec<u8>>,
    /// Odd rows, each with the example first in index order (as [`checks::odd_rows`] meets them).
    odd_ts: OddRows<IndexKey>,
    odd_neg: OddRows<IndexKey>,
    null_sat_count: i64,
    null_sat_node: Option<Vec<u8>>,
    node_bounds_raw: HashMap<u32, (Vec<u8>, Vec<u8>)>,
    blocks: RecentBlocks,
    latency: LatencyFacts,
    first_event: Vec<Option<SqlVal>>,
}

impl Default for ScanState {
    fn default() -> Self {
        ScanState {
            nodes: Interner::new(),
            sats: Interner::new(),
            out: SinglePass::default(),
            seen: HashMap::new(),
            bounds_cache: None,
            newest: None,
            odd_ts: OddRows::default(),
            odd_neg: OddRows::default(),
            null_sat_count: 0,
            null_sat_node: None,
            node_bounds_raw: HashMap::new(),
            blocks: RecentBlocks::default(),
            latency: LatencyFacts::default(),
            first_event: Vec::new(),
        }
    }
}

/// Per block of `CHUNK_ROWS` (16,384) scanned rows: the smallest rowid and the largest text timestamp
/// (or a blob, larger than any text). For a text cutoff, the blocks whose largest timestamp is
/// below it hold no row with `timestamp >= cutoff` (numbers and NULL never compare so), so the
/// smallest rowid of the other blocks bounds the rows of any window from below: the latency copy
/// ([`crate::recent::RecentRows`]) reads only the table's tail instead of scanning it again.
#[derive(Debug, Clone, Default)]
pub struct RecentBlocks {
    done: Vec<RecentBlock>,
    current: Option<RecentBlock>,
    /// A rowid that is not an integer (a column named `rowid` shadows it): no bound.
    unusable: bool,
}

#[derive(Debug, Clone)]
struct RecentBlock {
    min_rowid: i64,
    max_text: Option<Vec<u8>>,
    has_blob: bool,
}

fn note_recent(blocks: &mut RecentBlocks, rowid: ValueRef<'_>, ts: ValueRef<'_>) {
    let Some(b) = blocks.current.as_mut() else { return };
    match rowid {
        ValueRef::Integer(r) => b.min_rowid = b.min_rowid.min(r),
        _ => blocks.unusable = true,
    }
    match ts {
        ValueRef::Text(t) => match b.max_text.as_mut() {
            Some(m) if t > m.as_slice() => {
                m.clear();
                m.extend_from_slice(t);
            }
            Some(_) => {}
            None => b.max_text = Some(t.to_vec()),
        },
        ValueRef::Blob(_) => b.has_blob = true,
        _ => {}
    }
}

/// Up to [`CHUNK_ROWS`] rows of the scan.
#[inline(never)]
fn scan_chunk(st: &mut ScanState, rows: &mut rusqlite::Rows<'_>) -> Result<Chunk> {
    if let Some(b) = st.blocks.current.take() {
        st.blocks.done.push(b);
    }
    st.blocks.current = Some(RecentBlock { min_rowid: i64::MAX, max_text: None, has_blob: false });
    for _ in 0..CHUNK_ROWS {
        let Some(row) = rows.next()? else { return Ok(Chunk::Done) };
        st.out.rows += 1;
        note_recent(&mut st.blocks, row.get_ref(6)?, row.get_ref(2)?);
        let Ok(node_v) = text_or_null(row.get_ref(0)?) else { return Ok(Chunk::Decline) };
        let Ok(sat_v) = text_or_null(row.get_ref(1)?) else { return Ok(Chunk::Decline) };
        let ts = row.get_ref(2)?;
        let Ok(action) = text_or_null(row.get_ref(3)?) else { return Ok(Chunk::Decline) };
        let Ok(status) = text_or_null(row.get_ref(4)?) else { return Ok(Chunk::Decline) };
        let size_v = row.get_ref(5)?;
        let size = match size_v {
            ValueRef::Integer(i) => Some(i),
            ValueRef::Null => None,
            _ => return Ok(Chunk::Decline),
        };
        let node = st.nodes.id(node_v);
        let sat = st.sats.id(sat_v);
        if st.seen.insert((node, sat), ()).is_none() {
            st.out.sats_of.entry(node).or_default().push(sat);
        }
        if sat == 0 {
            st.null_sat_count += 1;
            if let Some(n) = node_v {
                if st.null_sat_node.as_deref().is_none_or(|m| n < m) {
                    st.null_sat_node = Some(n.to_vec());
                }
            }
        }
        // Odd-row warnings (12.1): rare, so the index key is built only for them.
        // checks::events_sql returns rows failing the GLOB shapes or with a negative size;
        // of those, the ones not in iso layout count.
        let glob_ok = matches!(ts, ValueRef::Text(t) if glob_iso(t));
        let neg = size.is_some_and(|s| s < 0);
        let ts_odd = !glob_ok || (neg && !matches!(ts, ValueRef::Text(t) if is_iso_layout(&String::from_utf8_lossy(t))));
        let key = || -> rusqlite::Result<IndexKey> {
            Ok([SqlVal::of(row.get_ref(0)?), SqlVal::of(ts), SqlVal::of(row.get_ref(4)?), SqlVal::of(size_v), SqlVal::of(row.get_ref(6)?)])
        };
        if ts_odd {
            st.odd_ts.note_by(key()?, key_less, || SqlVal::of(ts).shown());
        }
        if let Some(s) = size.filter(|s| *s < 0) {
            st.odd_neg.note_by(key()?, key_less, || s.to_string());
        }
        // Coverage facts (rows of text or NULL nodes).
        match ts {
            ValueRef::Text(t) => {
                if st.out.min_text.as_deref().is_none_or(|m| t < m) {
                    st.out.min_text = Some(t.to_vec());
                }
                if st.newest.as_deref().is_none_or(|m| t > m) && is_iso_layout(&String::from_utf8_lossy(t)) {
                    st.newest = Some(t.to_vec());
                }
                if node != 0 && t >= MONTHS_LO && t < MONTHS_HI {
                    match st.node_bounds_raw.get_mut(&node) {
                        Some((lo, hi)) => {
                            if t < lo.as_slice() {
                                *lo = t.to_vec();
                            }
                            if t > hi.as_slice() {
                                *hi = t.to_vec();
                            }
                        }
                        None => {
                            st.node_bounds_raw.insert(node, (t.to_vec(), t.to_vec()));
                        }
                    }
                }
            }
            ValueRef::Integer(_) | ValueRef::Real(_) => st.out.has_numeric = true,
            _ => {}
        }
        if node == 0 {
            continue; // `node_name = ?` never matches NULL
        }
        st.latency.note(node, ts, status, row.get_ref(7)?);
        note_first(&mut st.first_event, node, ts);
        let ValueRef::Text(t) = ts else { continue }; // numbers < text bounds, blobs > them
        let flags = flags_of(action, status);
        let Some(p) = prefix_period(t) else {
            st.out.aside.push(AsideRow { node, sat, timestamp: t.to_vec(), flags, size: size.unwrap_or(0) });
            continue;
        };
        if st.bounds_cache.as_ref().is_none_or(|(q, _)| *q != p) {
            st.bounds_cache = None;
        }
        let (_, start) = st.bounds_cache.get_or_insert_with(|| (p, p.start_iso().into_bytes()));
        let period = if t >= start.as_slice() { p } else { p.previous() };
        let s = st.out.sums.entry((node, sat, period)).or_default();
        if add_sums(s, flags, size.unwrap_or(0)).is_none() {
            return Ok(Chunk::Decline); // an overflowing SUM: the SQL path reports it as the original does
        }
        if flags & SUCCESS != 0 && size.is_none() && s.success.is_none() {
            s.success = Some(0);
        }
    }
    Ok(Chunk::More)
}

/// `MIN(timestamp)` per node: the value when it sorts before the node's minimum so far.
fn note_first(first: &mut Vec<Option<SqlVal>>, node: u32, ts: ValueRef<'_>) {
    if matches!(ts, ValueRef::Null) {
        return; // MIN ignores NULL
    }
    let i = node as usize;
    if first.len() <= i {
        first.resize(i + 1, None);
    }
    let smaller = match (&first[i], ts) {
        (None, _) => true,
        // The common case without building a value: text against text.
        (Some(SqlVal::Text(m)), ValueRef::Text(t)) => t < m.as_slice(),
        (Some(m), v) => SqlVal::of(v).cmp(m) == std::cmp::Ordering::Less,
    };
    if smaller {
        first[i] = Some(SqlVal::of(ts));
    }
}

/// `timestamp GLOB '????-??-??T??:??:??+00:00'` or the 32-character shape (`?` is one character).
fn glob_iso(t: &[u8]) -> bool {
    const P25: &str = "????-??-??T??:??:??+00:00";
    const P32: &str = "????-??-??T??:??:??.??????+00:00";
    let Ok(s) = std::str::from_utf8(t) else { return false };
    let matches = |p: &str| s.chars().count() == p.len() && s.chars().zip(p.chars()).all(|(c, q)| q == '?' || c == q);
    matches(P25) || matches(P32)
}

/// Section 4 for (node, period) with the allocation given (the single pass's).
pub fn node_storage(
    conn: &Connection,
    node: &str,
    period: Period,
    now: Micros,
    has_snapshots: bool,
    allocation: Allocation,
) -> Result<NodeStorage> {
    if !has_snapshots {
        return Ok(NodeStorage::default());
    }
    let snaps = match storage::read_snapshots(conn, node, period)? {
        Ok(s) => s,
        Err(why) => return Ok(storage::failed(why)),
    };
    if snaps.is_empty() {
        return Ok(NodeStorage::default());
    }
    let byte_hours = match storage::byte_hours(&snaps, now, period.end()) {
        Some(bh) => bh,
        None => return Ok(storage::failed(format!("storage_snapshots: used_bytes sums overflow for node {node} in {period}"))),
    };
    let gross_total = storage::gross_from_byte_hours(byte_hours, period.days_in_month());
    Ok(NodeStorage { byte_hours, gross_total, net_total: gross_total * OPERATOR_SHARE, has_data: true, allocation, warnings: Vec::new() })
}

/// True when `rowid` is the table's rowid and `timestamp >= ?` compares text bytewise.
pub(crate) fn plain_rowid_and_text(conn: &Connection) -> bool {
    let ddl: String =
        conn.query_row("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = 'events'", [], |r| r.get(0)).unwrap_or_default();
    if ddl.is_empty() || ddl.to_ascii_lowercase().contains("collate") {
        return false;
    }
    conn.query_row("SELECT count(*) FROM pragma_table_info('events', 'main') WHERE lower(name) IN ('rowid', 'oid', '_rowid_')", [], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok_and(|n| n == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_get_is_ascii_case_insensitive() {
        assert!(like_get(b"GET"));
        assert!(like_get(b"get"));
        assert!(like_get(b"TARGET"));
        assert!(like_get(b"Get_Audit"));
        assert!(!like_get(b"PUT"));
        assert!(!like_get(b"GE"));
        assert_eq!(flags_of(Some(b"Get_Audit"), Some(b"success")), EGRESS | SUCCESS);
        assert_eq!(flags_of(Some(b"GET_AUDIT"), Some(b"success")), AUDIT | SUCCESS);
        assert_eq!(flags_of(Some(b"GET"), Some(b"failed")), 0);
        assert_eq!(flags_of(None, Some(b"success")), SUCCESS);
    }

    #[test]
    fn prefix_periods() {
        assert_eq!(prefix_period(b"2025-10-01 00:00:00"), Period::new(2025, 10));
        assert_eq!(prefix_period(b"2025-13-01"), None);
        assert_eq!(prefix_period(b"2025-1"), None);
    }
}
