//! The latency panel without indexes (SPEC 8, issue 14): after the single pass, every latency
//! window, bucket size and view the page offers is answered from what the pass kept, so no click
//! waits for the four indexes (which are no longer built after a single pass).
//!
//! - [`LatencyFacts`], gathered by the scan: per node and day, the rows and the rows with a
//!   positive duration; per node, the successful operations per 50 ms of duration (the whole-file
//!   histogram for every bucket size that is a multiple of 50 ms).
//! - [`RecentRows`]: a TEMP copy `temp.recent_events` of the newest rows of each node (indexed),
//!   kept for the life of the file: the rows of the 24 hours before the file's newest record and,
//!   per node, back to the day where its newest 10,000 timed rows begin (the whole-file
//!   statistics read at most 10,000 rows). The unchanged latency queries run over it whenever it
//!   holds every row they can select ([`RecentRows::covers_window`], [`RecentRows::covers_stats`]),
//!   else over `main.events` (a full scan: correct, slower; e.g. a `?now=` long before the file's
//!   end, or a copy that would be too large).
//!
//! Timestamps compare as text, bytewise, as SQL compares them when the table declares no
//! `COLLATE` (the caller checks; otherwise no copy is kept beyond the 24 hours).

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::latency::{HistogramBucket, HISTOGRAM_BUCKET_LIMIT, HISTOGRAM_MAX_MS, STATS_ROW_LIMIT};
use crate::Result;

/// The kept copy's table.
pub const RECENT_TABLE: &str = "temp.recent_events";
/// Width of a duration bin of [`LatencyFacts`] in milliseconds: every bucket size the page
/// offers (50, 100, 250, 500) is a multiple of it.
pub const BIN_MS: i64 = 50;
const BINS: usize = (HISTOGRAM_MAX_MS / BIN_MS) as usize;
/// The copy stops growing for the whole-file statistics beyond this many rows (memory): the
/// views it then does not cover are read from `main.events`.
pub const COPY_MAX_ROWS: u64 = 400_000;

/// One day (the first 10 bytes of a text timestamp) of one node.
#[derive(Debug, Clone)]
struct Day {
    key: Box<[u8]>,
    rows: u32,
    /// Rows with `duration_ms IS NOT NULL AND duration_ms > 0` (what the statistics select).
    timed: u32,
}

/// What the scan learned about one node.
#[derive(Debug, Clone, Default)]
struct NodeFacts {
    /// Ascending by key.
    days: Vec<Day>,
    /// `status = 'success'` rows with an INTEGER duration in 1..=9,999, per [`BIN_MS`].
    bins: Vec<u32>,
}

impl NodeFacts {
    fn count_day(&mut self, key: &[u8], timed: bool) -> bool {
        let slot = match self.days.last() {
            Some(d) if *d.key == *key => self.days.len() - 1,
            _ => match self.days.binary_search_by(|d| (*d.key).cmp(key)) {
                Ok(i) => i,
                Err(i) => {
                    if !date_shaped(key) {
                        return false;
                    }
                    self.days.insert(i, Day { key: key.into(), rows: 0, timed: 0 });
                    i
                }
            },
        };
        let d = &mut self.days[slot];
        d.rows = d.rows.saturating_add(1);
        d.timed = d.timed.saturating_add(u32::from(timed));
        true
    }
}

/// `YYYY-MM-DD`: a day key that SQL compares as text even against a NUMERIC column (a key that
/// looked like a number would be converted before the comparison).
fn date_shaped(k: &[u8]) -> bool {
    k.len() == 10 && k.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// Per node (by the single pass's node id), the facts of [`RecentRows`] and the whole-file
/// histogram. `days_odd` / `bins_odd`: a value they do not model was met (a BLOB timestamp, a
/// TEXT or BLOB duration, a timestamp not shaped `YYYY-MM-DD…`; a REAL duration for the bins):
/// those answers then come from SQL.
#[derive(Debug, Clone, Default)]
pub struct LatencyFacts {
    nodes: Vec<NodeFacts>,
    days_odd: bool,
    bins_odd: bool,
    /// The smallest text timestamp of a binned row: a window starting after it needs SQL.
    bins_min_ts: Option<Vec<u8>>,
}

impl LatencyFacts {
    /// One event row of node `node` (≥ 1: rows of a NULL node are never selected by a view).
    pub fn note(&mut self, node: u32, ts: ValueRef<'_>, status: Option<&[u8]>, duration: ValueRef<'_>) {
        let t = match ts {
            ValueRef::Text(t) => t,
            // A BLOB sorts after every text cutoff: a window always selects it.
            ValueRef::Blob(_) => {
                self.days_odd = true;
                self.bins_odd = true;
                return;
            }
            _ => return, // NULL and numbers are never `>= 'text'`
        };
        let timed = match duration {
            ValueRef::Null => false,
            ValueRef::Integer(d) => d > 0,
            ValueRef::Real(r) => r > 0.0,
            // `> 0` on TEXT depends on the column's affinity: not modelled.
            _ => {
                self.days_odd = true;
                true
            }
        };
        let i = node as usize;
        if self.nodes.len() <= i {
            self.nodes.resize_with(i + 1, NodeFacts::default);
        }
        let f = &mut self.nodes[i];
        if !f.count_day(&t[..t.len().min(10)], timed) {
            self.days_odd = true;
        }
        if status == Some(b"success".as_slice()) {
            match duration {
                ValueRef::Integer(d) if d > 0 && d < HISTOGRAM_MAX_MS => {
                    if f.bins.is_empty() {
                        f.bins = vec![0; BINS];
                    }
                    f.bins[(d / BIN_MS) as usize] += 1;
                    if self.bins_min_ts.as_deref().is_none_or(|m| t < m) {
                        self.bins_min_ts = Some(t.to_vec());
                    }
                }
                // The SQL histogram counts it with a warning and an example: left to SQL.
                ValueRef::Real(r) if r > 0.0 && r < HISTOGRAM_MAX_MS as f64 => self.bins_odd = true,
                _ => {}
            }
        }
    }

    fn node(&self, id: u32) -> Option<&NodeFacts> {
        self.nodes.get(id as usize)
    }

    /// The section 9 histogram of the nodes `ids` over every row with `timestamp >= cutoff`,
    /// when the bins answer it exactly (`bucket_ms` a multiple of [`BIN_MS`], nothing odd met,
    /// the cutoff before every binned row).
    pub fn histogram(&self, ids: &[u32], cutoff: &[u8], bucket_ms: i64) -> Option<Vec<HistogramBucket>> {
        if self.bins_odd || bucket_ms <= 0 || bucket_ms % BIN_MS != 0 || self.bins_min_ts.as_deref().is_some_and(|m| m < cutoff) {
            return None;
        }
        let mut by_start: BTreeMap<i64, i64> = BTreeMap::new();
        for f in ids.iter().filter_map(|&id| self.node(id)) {
            for (k, &n) in f.bins.iter().enumerate().filter(|(_, n)| **n > 0) {
                // A bin [50k, 50k + 49] lies inside one bucket: (d / b) * b is the same for all its d.
                let start = (k as i64 * BIN_MS / bucket_ms) * bucket_ms;
                *by_start.entry(start).or_default() += i64::from(n);
            }
        }
        Some(
            by_start
                .into_iter()
                .take(HISTOGRAM_BUCKET_LIMIT as usize)
                .map(|(start, count)| {
                    let end = start + bucket_ms;
                    HistogramBucket { bucket_start_ms: start, bucket_end_ms: end, count, label: format!("{start}-{end}ms") }
                })
                .collect(),
        )
    }

    /// The day where the newest [`STATS_ROW_LIMIT`] timed rows of the nodes `ids` begin, if
    /// they have that many: every row the statistics can select lies on or after it.
    fn stats_day(&self, ids: &[u32]) -> Option<Vec<u8>> {
        let mut timed: BTreeMap<&[u8], u64> = BTreeMap::new();
        for f in ids.iter().filter_map(|&id| self.node(id)) {
            for d in &f.days {
                *timed.entry(&d.key).or_default() += u64::from(d.timed);
            }
        }
        let mut seen = 0;
        for (key, n) in timed.iter().rev() {
            seen += n;
            if seen >= STATS_ROW_LIMIT as u64 {
                return Some(key.to_vec());
            }
        }
        None
    }

    /// The copy's cutoff for node `id`: the 24-hour `base`, or earlier, back to where its
    /// newest 10,000 timed rows begin (all its rows when it has fewer); with the rows it adds.
    fn node_cutoff(&self, id: u32, base: Option<&[u8]>) -> (Cut, u64) {
        let Some(f) = self.node(id).filter(|f| !f.days.is_empty() && !self.days_odd) else {
            return (Cut::from(base), 0);
        };
        let oldest = &f.days[0].key;
        let own = self.stats_day(&[id]).unwrap_or_else(|| oldest.to_vec());
        let cutoff = match base {
            Some(b) if b < own.as_slice() => b.to_vec(),
            _ => own,
        };
        let rows = f.days.iter().filter(|d| *d.key >= cutoff[..cutoff.len().min(10)]).map(|d| u64::from(d.rows)).sum();
        // Every text row of the node is on or after its oldest day.
        let whole = cutoff.as_slice() <= &oldest[..];
        (Cut { from: Some(cutoff), whole }, rows)
    }
}

/// Which rows of a node the copy holds: those with `timestamp >= from` (`None`: none), and
/// with `whole` every row a text cutoff can select.
#[derive(Debug, Clone, Default, PartialEq)]
struct Cut {
    from: Option<Vec<u8>>,
    whole: bool,
}

impl From<Option<&[u8]>> for Cut {
    fn from(from: Option<&[u8]>) -> Cut {
        Cut { from: from.map(<[u8]>::to_vec), whole: false }
    }
}

/// The kept copy and, per node name, which of its rows it holds.
#[derive(Debug, Clone, Default)]
pub struct RecentRows {
    cutoffs: HashMap<String, Cut>,
    /// The copy reaches back past the 24 hours where a node's statistics need it.
    extended: bool,
    pub rows: i64,
}

impl RecentRows {
    /// Plans and creates the copy for the nodes `names` (by id: `names[id]`, id 0 is NULL);
    /// `base` = iso(file's newest record − 24 h); `plain`: timestamps compare bytewise and the
    /// rowid is the table's (else only the 24 hours, read by a full scan).
    pub fn create(
        conn: &Connection,
        facts: &LatencyFacts,
        names: &[String],
        base: Option<&[u8]>,
        floor_of: impl Fn(&[u8]) -> Option<i64>,
        plain: bool,
    ) -> Result<RecentRows> {
        let mut cutoffs: Vec<(u32, Cut)> = Vec::new();
        let mut rows = 0;
        for id in 1..names.len() as u32 {
            let (c, n) = if plain { facts.node_cutoff(id, base) } else { (Cut::from(base), 0) };
            rows += n;
            cutoffs.push((id, c));
        }
        let extended = plain && !facts.days_odd && rows <= COPY_MAX_ROWS;
        if !extended {
            cutoffs.iter_mut().for_each(|(_, c)| *c = Cut::from(base));
        }
        let cutoffs: HashMap<String, Cut> = cutoffs.into_iter().map(|(id, c)| (names[id as usize].clone(), c)).collect();
        let lowest = cutoffs.values().filter_map(|c| c.from.clone()).min();
        let floor = lowest.as_deref().and_then(&floor_of).filter(|_| plain);
        let copied = copy_rows(conn, &cutoffs, floor, plain)?;
        Ok(RecentRows { cutoffs, extended, rows: copied })
    }

    /// True when the copy holds every row of `view` with `timestamp >= cutoff` (a node without
    /// event rows has none to hold).
    pub fn covers_window(&self, view: &[String], cutoff: &str) -> bool {
        view.iter().all(|n| match self.cutoffs.get(n) {
            None => true,
            Some(Cut { whole: true, .. }) => true,
            Some(Cut { from: Some(c), .. }) => c.as_slice() <= cutoff.as_bytes(),
            Some(Cut { from: None, .. }) => false,
        })
    }

    /// True when the statistics of `view` since `cutoff` (its newest 10,000 timed rows) read
    /// the same rows from the copy as from `main.events`.
    pub fn covers_stats(&self, facts: &LatencyFacts, ids: &[u32], view: &[String], cutoff: &str) -> bool {
        if self.covers_window(view, cutoff) {
            return true;
        }
        self.extended && facts.stats_day(ids).is_some_and(|day| self.covers_window(view, &String::from_utf8_lossy(&day)))
    }
}

/// `CREATE TEMP TABLE recent_events` with `main.events`' columns, filled with each node's rows
/// from its cutoff on (in rowid order, rowids kept when `plain`), then indexed by node and time
/// with every column the latency queries and the success rates read, so that they never touch
/// the table's rows (a third of the time of a click). Returns the rows copied.
fn copy_rows(conn: &Connection, cutoffs: &HashMap<String, Cut>, floor: Option<i64>, plain: bool) -> Result<i64> {
    let ddl: String = conn.query_row("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = 'events'", [], |r| r.get(0))?;
    // `CREATE TABLE [IF NOT EXISTS] <name> (…) [WITHOUT ROWID]` → the same columns in temp.
    let cols = &ddl[ddl.find('(').unwrap_or(0)..];
    conn.execute_batch("DROP TABLE IF EXISTS temp.recent_events; DROP TABLE IF EXISTS temp.recent_cutoffs;")?;
    conn.execute_batch(&format!("CREATE TEMP TABLE recent_events {cols}"))?;
    conn.execute_batch("CREATE TEMP TABLE recent_cutoffs (node TEXT PRIMARY KEY, cutoff TEXT NOT NULL)")?;
    {
        let mut add = conn.prepare("INSERT INTO temp.recent_cutoffs VALUES (?1, ?2)")?;
        for (node, cut) in cutoffs {
            if let Some(c) = &cut.from {
                add.execute(rusqlite::params![node, String::from_utf8_lossy(c)])?;
            }
        }
    }
    // Columns named so that the rowid is kept too (warnings name rows by it).
    let (into, select) = if plain {
        let names: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('events', 'main')")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?;
        let list = names.iter().map(|n| format!("\"{}\"", n.replace('"', "\"\""))).collect::<Vec<_>>().join(", ");
        (format!("(rowid, {list})"), format!("rowid, {list}"))
    } else {
        (String::new(), "*".to_string())
    };
    let filter = "timestamp >= (SELECT cutoff FROM temp.recent_cutoffs WHERE node = node_name)";
    let copied = match floor {
        Some(floor) => conn.execute(
            &format!(
                "INSERT INTO temp.recent_events {into} SELECT {select} FROM main.events WHERE rowid >= ?1 AND {filter} ORDER BY rowid"
            ),
            [floor],
        )?,
        None => conn.execute(
            &format!("INSERT INTO temp.recent_events {into} SELECT {select} FROM main.events WHERE {filter} ORDER BY rowid"),
            [],
        )?,
    };
    conn.execute_batch(
        "DROP TABLE temp.recent_cutoffs;
         CREATE INDEX temp.recent_events_node_time ON recent_events (node_name, timestamp, status, duration_ms, action);",
    )?;
    Ok(copied as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_keys_must_be_dates() {
        assert!(date_shaped(b"2025-10-10"));
        assert!(!date_shaped(b"2025-10-1"));
        assert!(!date_shaped(b"1234567890"));
        assert!(!date_shaped(b"2025/10/10"));
    }

    #[test]
    fn bins_make_every_bucket_of_50_ms_multiples() {
        let mut f = LatencyFacts::default();
        for d in [1, 49, 50, 99, 120, 260, 9_999, 10_000, 0] {
            f.note(1, ValueRef::Text(b"2025-10-10T00:00:00+00:00"), Some(b"success"), ValueRef::Integer(d));
        }
        f.note(1, ValueRef::Text(b"2025-10-10T00:00:00+00:00"), Some(b"failed"), ValueRef::Integer(70));
        let h = f.histogram(&[1], b"2025-01-01", 100).unwrap();
        let got: Vec<(i64, i64)> = h.iter().map(|b| (b.bucket_start_ms, b.count)).collect();
        assert_eq!(got, [(0, 4), (100, 1), (200, 1), (9_900, 1)]);
        assert_eq!(f.histogram(&[1], b"2025-01-01", 250).unwrap()[0].count, 5);
        assert_eq!(f.histogram(&[1], b"2025-01-01", 250).unwrap()[0].label, "0-250ms");
        // Not a multiple of 50, or a window starting after a binned row: left to SQL.
        assert!(f.histogram(&[1], b"2025-01-01", 75).is_none());
        assert!(f.histogram(&[1], b"2025-10-11", 100).is_none());
        f.note(1, ValueRef::Text(b"2025-10-10T00:00:00+00:00"), Some(b"success"), ValueRef::Real(5.5));
        assert!(f.histogram(&[1], b"2025-01-01", 100).is_none());
    }

    #[test]
    fn the_stats_day_is_where_the_newest_10000_timed_rows_begin() {
        let mut f = LatencyFacts::default();
        for (day, n) in [("2025-10-08", 4_000), ("2025-10-09", 5_000), ("2025-10-10", 3_000)] {
            for _ in 0..n {
                f.note(1, ValueRef::Text(format!("{day}T01:00:00+00:00").as_bytes()), None, ValueRef::Integer(5));
            }
        }
        f.note(1, ValueRef::Text(b"2025-10-10T02:00:00+00:00"), None, ValueRef::Null);
        assert_eq!(f.stats_day(&[1]).as_deref(), Some(b"2025-10-08".as_slice()));
        assert_eq!(f.stats_day(&[2]), None);
        let (cut, rows) = f.node_cutoff(1, Some(b"2025-10-09T02:00:00+00:00"));
        assert_eq!(cut, Cut { from: Some(b"2025-10-08".to_vec()), whole: true });
        assert_eq!(rows, 12_001);
        // A node with fewer timed rows: all its rows, whatever the window.
        f.note(2, ValueRef::Text(b"2025-06-01T00:00:00+00:00"), None, ValueRef::Integer(5));
        let (cut, rows) = f.node_cutoff(2, Some(b"2025-10-09T02:00:00+00:00"));
        assert_eq!((cut.from.as_deref(), cut.whole, rows), (Some(b"2025-06-01".as_slice()), true, 1));
    }
}
