//! The [`Analyzer`]: one loaded file (its in-memory connection), the caches of 12.7, a clock, and
//! the requests the CLI and the app make — the whole report, or one node+period, one latency
//! window, one histogram — each with timings for diagnostics.

use rusqlite::Connection;

use super::cache::{Clock, Served, TtlCache, EARNINGS_CURRENT_TTL_MS, LATENCY_TTL_MS, SATELLITES_TTL_MS};
use super::error::{EngineError, Result};
use super::estimate::{forecast, month_end_estimate, payout, satellite_report, traffic_figures};
use super::indexes::{self, IndexReport, INDEXES};
use super::latency::{self, HistogramBucket, LatencyStats};
use super::node_age::{self, NodeAge, HELD_SCHEDULE};
use super::recent::{RecentRows, RECENT_TABLE};
use super::report::*;
use super::satellites::{self, satellite_key, satellite_name, SatelliteId, KNOWN_SATELLITES};
use super::schema::{self, SchemaInfo};
use super::single_pass::{self, SinglePass};
use super::storage::{self, NodeStorage, PRICE_STORAGE_PER_TB_MONTH};
use super::time::{iso, Micros, Period, MICROS_PER_HOUR};
use super::traffic::{self, NodeTraffic, OPERATOR_SHARE, PRICE_AUDIT_PER_TB, PRICE_EGRESS_PER_TB, PRICE_REPAIR_PER_TB};
use super::{checks, coverage, db};

/// What a report covers; `now` is always given by the caller (see [`Analyzer::default_now`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    pub now: Micros,
    /// Latency windows in hours.
    pub hours: Vec<i64>,
    /// Histogram bucket sizes in milliseconds.
    pub buckets: Vec<i64>,
    /// Periods asked for beyond the default ones.
    pub extra_periods: Vec<Period>,
}

impl ReportOptions {
    /// The defaults of 12.4: windows of 1 and 24 hours, buckets of 100 and 250 ms.
    pub fn new(now: Micros) -> ReportOptions {
        ReportOptions { now, hours: vec![1, 24], buckets: vec![100, 250], extra_periods: Vec::new() }
    }
}

/// (now, the file's nodes, the view's node) of a cached trend view.
type TrendViewKey = (Micros, Vec<String>, Option<String>);

/// Warnings of one request: deduplicated, in the order found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Warnings(pub Vec<String>);

impl Warnings {
    pub fn push(&mut self, w: impl Into<String>) {
        let w = w.into();
        if !self.0.contains(&w) {
            self.0.push(w);
        }
    }
    pub fn extend<'a>(&mut self, ws: impl IntoIterator<Item = &'a String>) {
        for w in ws {
            self.push(w.clone());
        }
    }
}

/// A request's answer with its warnings and its time in milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed<T> {
    pub value: T,
    pub warnings: Vec<String>,
    pub ms: f64,
}

/// A latency result as cached: the value and the warnings it came with.
#[derive(Debug, Clone)]
struct WithWarnings<T> {
    value: T,
    warnings: Vec<String>,
}

#[derive(Default)]
struct Caches {
    satellites: TtlCache<String, Vec<SatelliteId>>,
    traffic: TtlCache<(String, Period), NodeTraffic>,
    storage: TtlCache<(String, Period), NodeStorage>,
    latency_stats: TtlCache<(String, i64), WithWarnings<LatencyStats>>,
    latency_histograms: TtlCache<(String, i64, i64), WithWarnings<Vec<HistogramBucket>>>,
    success: TtlCache<(String, i64), SuccessCounts>,
}

/// (successes, attempts) per category get, put, audit, all ([`latency::success_counts`]).
pub type SuccessCounts = [(i64, i64); 4];

/// One loaded monitor database and everything computed from it.
pub struct Analyzer {
    conn: Connection,
    clock: Box<dyn Clock>,
    schema: SchemaInfo,
    caches: Caches,
    now: Option<Micros>,
    setup_ms: OrderedMap<f64>,
    indexes: Vec<IndexReport>,
    odd_rows: Option<Vec<String>>,
    /// The single pass's aggregates (SPEC 8), when [`Analyzer::single_pass`] ran and succeeded.
    fast: Option<SinglePass>,
    /// The newest rows kept after the single pass for the latency panel ([`crate::recent`]).
    recent: Option<RecentRows>,
    /// `main.events` declares no COLLATE and its rowid is the table's
    /// ([`single_pass::plain_rowid_and_text`]).
    plain: bool,
    /// The trends section (TRENDS.md 8) of the last now, shared by the report and the dashboard.
    trends: crate::trends::TrendsCache,
    /// The dashboard's trend panels per (now, nodes, view), with their warnings: a click on a
    /// latency window must not compute them again.
    trend_views: std::collections::HashMap<TrendViewKey, (model::trends_view::TrendsView, Vec<String>)>,
}

impl Analyzer {
    /// Loads bytes into a private in-memory database and validates it.
    pub fn open(bytes: &[u8], clock: Box<dyn Clock>) -> Result<Analyzer> {
        Analyzer::open_with_deadline(bytes, clock, None)
    }

    /// [`Analyzer::open`] with a [`db::Deadline`] already guarding validation (quick_check) and
    /// every later request; the caller restarts it per request and maps errors with
    /// [`db::Deadline::explain`].
    pub fn open_with_deadline(bytes: &[u8], clock: Box<dyn Clock>, deadline: Option<&db::Deadline>) -> Result<Analyzer> {
        Analyzer::open_read(bytes, bytes.len() as u64, clock, deadline)
    }

    /// [`Analyzer::open_with_deadline`] for a file of `len` bytes read from `reader`
    /// ([`db::load_read`]: the bytes go straight into SQLite's private copy).
    pub fn open_read(reader: impl std::io::Read, len: u64, clock: Box<dyn Clock>, deadline: Option<&db::Deadline>) -> Result<Analyzer> {
        let started = clock.now_ms();
        let mut conn = db::load_read(reader, len)?;
        if let Some(d) = deadline.cloned() {
            let _ = conn.progress_handler(10_000, Some(move || d.check()));
        }
        let load_ms = clock.now_ms() - started;
        let mut a = Analyzer::with_connection(conn, clock)?;
        a.setup_ms.shift_insert(0, "load".into(), load_ms);
        Ok(a)
    }

    /// Validates an already opened connection (hardened by the caller).
    pub fn with_connection(conn: Connection, clock: Box<dyn Clock>) -> Result<Analyzer> {
        let started = clock.now_ms();
        let schema = schema::validate(&conn)?;
        let mut setup_ms = OrderedMap::new();
        setup_ms.insert("validate".into(), clock.now_ms() - started);
        Ok(Analyzer {
            conn,
            clock,
            schema,
            caches: Caches::default(),
            now: None,
            setup_ms,
            indexes: Vec::new(),
            odd_rows: None,
            fast: None,
            recent: None,
            plain: false,
            trends: Default::default(),
            trend_views: Default::default(),
        })
    }

    /// Loads another file: every cache is emptied. On error the current file stays loaded.
    pub fn load(&mut self, bytes: &[u8]) -> Result<()> {
        let started = self.clock.now_ms();
        let conn = db::load_bytes(bytes)?;
        let load_ms = self.clock.now_ms() - started;
        let validated = self.clock.now_ms();
        let schema = schema::validate(&conn)?;
        let validate_ms = self.clock.now_ms() - validated;
        self.conn = conn;
        self.schema = schema;
        self.caches = Caches::default();
        self.trends = Default::default();
        self.trend_views.clear();
        self.now = None;
        self.setup_ms = OrderedMap::from_iter([("load".into(), load_ms), ("validate".into(), validate_ms)]);
        self.indexes.clear();
        self.odd_rows = None;
        self.fast = None;
        self.recent = None;
        Ok(())
    }

    /// Installs a check SQLite calls every ~10,000 virtual-machine steps of any statement; when
    /// it returns true the statement stops and the request fails with
    /// [`EngineError::Interrupted`] (SPEC section 7: a query that runs too long can be stopped).
    pub fn set_interrupt_check(&mut self, check: impl FnMut() -> bool + Send + 'static) {
        // Errors only if the connection is gone; nothing to interrupt then.
        let _ = self.conn.progress_handler(10_000, Some(check));
    }

    pub fn clear_interrupt_check(&mut self) {
        let _ = self.conn.progress_handler(0, None::<fn() -> bool>);
    }

    /// Empties every cache and resets its counters (benchmarks measure cold requests this way).
    pub fn clear_caches(&mut self) {
        self.caches = Caches::default();
        self.trends = Default::default();
        self.trend_views.clear();
    }

    /// The time of a setup stage ("load", "validate", "single pass", "indexes"), if it ran.
    pub fn setup_ms(&self, stage: &str) -> Option<f64> {
        self.setup_ms.get(stage).copied()
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub fn schema(&self) -> &SchemaInfo {
        &self.schema
    }

    pub fn now_ms(&self) -> f64 {
        self.clock.now_ms()
    }

    // ----- single pass (SPEC 8) ------------------------------------------------------------

    /// One plain scan of the events aggregated in Rust; afterwards nodes, satellite lists,
    /// traffic, allocation, the default now, the periods and the odd-row warnings are answered
    /// from its aggregates (no index needed, no SQL over events). Returns false (and changes
    /// nothing) when the file holds values only the SQL path reproduces.
    pub fn single_pass(&mut self) -> Result<bool> {
        let started = self.clock.now_ms();
        let fast = SinglePass::scan(&self.conn, self.schema.has_snapshots, self.schema.has_duration, || false)?;
        self.setup_ms.insert("single pass".into(), self.clock.now_ms() - started);
        let Some(fast) = fast else { return Ok(false) };
        self.odd_rows = Some(fast.odd_rows());
        self.plain = single_pass::plain_rowid_and_text(&self.conn);
        if self.schema.has_duration {
            let started = self.clock.now_ms();
            let base = fast.default_now().map(|now| iso(now - 24 * MICROS_PER_HOUR));
            let floor = |c: &[u8]| fast.recent_rowid_floor(c);
            let recent =
                RecentRows::create(&self.conn, &fast.latency, fast.node_names(), base.as_deref().map(str::as_bytes), floor, self.plain)?;
            self.recent = Some(recent);
            self.setup_ms.insert("recent rows".into(), self.clock.now_ms() - started);
        }
        self.fast = Some(fast);
        Ok(true)
    }

    /// Rows in the kept copy of recent rows (0 without one).
    pub fn recent_rows(&self) -> i64 {
        self.recent.as_ref().map_or(0, |r| r.rows)
    }

    /// The table the latency queries of `view` since `cutoff` read: the kept copy when it holds
    /// every row they can select (`stats`: the newest 10,000 timed rows are enough), else
    /// `main.events`.
    pub fn latency_source(&self, view: &[String], cutoff: &str, stats: bool) -> &'static str {
        latency_source(self.recent.as_ref(), self.fast.as_ref(), view, cutoff, stats)
    }

    /// The single pass's aggregates, if any.
    pub fn single_pass_data(&self) -> Option<&SinglePass> {
        self.fast.as_ref()
    }

    // ----- indexes -------------------------------------------------------------------------

    /// Creates index `i` of [`INDEXES`] (skipped when its table is absent).
    pub fn build_index(&mut self, i: usize) -> Result<IndexReport> {
        let has_table = INDEXES[i].1 != "storage_snapshots" || self.schema.has_snapshots;
        let clock = &self.clock;
        let report = indexes::create_index(&self.conn, i, has_table, &|| clock.now_ms())?;
        self.indexes.retain(|r| r.name != report.name);
        self.indexes.push(report.clone());
        Ok(report)
    }

    /// The storage_snapshots index alone, before the first report, for files with at least
    /// `from_nodes` nodes: storage earnings, node ages and the trends read the snapshots node by
    /// node, and without it each node scans the whole table (20 nodes, 206,000 snapshots:
    /// earnings 3.1 s without, 0.27 s with, for 0.55 s of index). The page asks for it always (a
    /// click on another month reads each node's snapshots again: 9 ms → 0.5 ms for 3 nodes
    /// natively); the CLI from 8 nodes, because with few nodes one report's scans cost less than
    /// the index plus the copy SQLite makes to grow its deserialized database (1M-event demo,
    /// 3 nodes: peak RSS 455 → 678 MB; the browser's memory VFS grows page by page instead).
    pub fn build_snapshot_index(&mut self, from_nodes: usize) -> Result<()> {
        let many_nodes = self.fast.as_ref().is_some_and(|f| f.nodes().len() >= from_nodes);
        match INDEXES.iter().position(|(_, table, _)| *table == "storage_snapshots") {
            Some(i) if self.schema.has_snapshots && many_nodes => self.build_index(i).map(drop),
            _ => Ok(()),
        }
    }

    /// Indexes by node on the monitor's other tables (earnings_estimates for node ages;
    /// reputation_history, hourly_stats, payout_history for the trends) for files with at least
    /// `from_nodes` nodes: each node's rows are read, and without them every node scans each
    /// table, which grows with the square of the nodes (500 nodes, 1.7M reputation rows: over
    /// 60 s natively; 5,000 nodes with daily polls: 37 s).
    /// Only where the table has the columns; skipped when the file holds an object of that name.
    pub fn build_node_indexes(&mut self, from_nodes: usize) -> Result<()> {
        if self.fast.as_ref().is_none_or(|f| f.nodes().len() < from_nodes) {
            return Ok(());
        }
        for (name, table, columns) in indexes::NODE_INDEXES {
            let has = schema::columns(&self.conn, table)?;
            if !columns.iter().all(|c| has.iter().any(|h| h == c)) {
                continue;
            }
            let clock = &self.clock;
            if let Some(report) = indexes::create_named(&self.conn, name, table, columns, &|| clock.now_ms())? {
                self.indexes.push(report);
            }
        }
        Ok(())
    }

    /// ANALYZE, so the planner knows the new indexes; returns its time.
    pub fn analyze_tables(&mut self) -> Result<f64> {
        let started = self.clock.now_ms();
        indexes::analyze(&self.conn)?;
        let ms = self.clock.now_ms() - started;
        self.setup_ms.insert("analyze".into(), ms);
        Ok(ms)
    }

    /// The four indexes, then ANALYZE.
    pub fn build_indexes(&mut self) -> Result<Vec<IndexReport>> {
        for i in 0..INDEXES.len() {
            self.build_index(i)?;
        }
        let total: f64 = self.indexes.iter().map(|r| r.ms).sum();
        self.setup_ms.insert("indexes".into(), total);
        self.analyze_tables()?;
        Ok(self.indexes.clone())
    }

    /// The indexes built so far, in order (the snapshots' alone after a single pass).
    pub fn built_indexes(&self) -> &[IndexReport] {
        &self.indexes
    }

    /// True once every index exists (so the odd-row checks can use them).
    pub fn is_indexed(&self) -> bool {
        INDEXES.iter().all(|(name, table, _)| {
            (*table == "storage_snapshots" && !self.schema.has_snapshots) || indexes::index_exists(&self.conn, name).unwrap_or(false)
        })
    }

    // ----- now and coverage ----------------------------------------------------------------

    /// Sets "now"; a different value empties the storage and latency caches (12.7).
    pub fn set_now(&mut self, now: Micros) {
        if self.now != Some(now) {
            self.caches.storage.clear();
            self.caches.latency_stats.clear();
            self.caches.latency_histograms.clear();
            self.caches.success.clear();
            self.now = Some(now);
        }
    }

    /// The newest timestamp in iso layout (12.2), or `None` for a file without rows.
    pub fn default_now(&self) -> Result<Option<Micros>> {
        if let Some(f) = &self.fast {
            return Ok(f.default_now());
        }
        let nodes = satellites::nodes(&self.conn, self.schema.has_snapshots, &mut Vec::new())?;
        coverage::newest_timestamp(&self.conn, &nodes, self.schema.has_snapshots)
    }

    pub fn nodes(&self, w: &mut Warnings) -> Result<Vec<String>> {
        if let Some(f) = &self.fast {
            return Ok(f.nodes());
        }
        let mut found = Vec::new();
        let nodes = satellites::nodes(&self.conn, self.schema.has_snapshots, &mut found)?;
        w.extend(&found);
        Ok(nodes)
    }

    /// The month of now, then the previous one when the file has rows before now's month (12.3),
    /// then the extra periods asked for.
    pub fn report_periods(&self, now: Micros, nodes: &[String], extra: &[Period]) -> Result<Vec<Period>> {
        let current = Period::of(now);
        let mut out = vec![current];
        let before = match &self.fast {
            Some(f) => f.has_rows_before(&current.start_iso()),
            None => coverage::has_rows_before(&self.conn, nodes, self.schema.has_snapshots, &current.start_iso())?,
        };
        if before {
            out.push(current.previous());
        }
        for p in extra {
            if !out.contains(p) {
                out.push(*p);
            }
        }
        Ok(out)
    }

    // ----- earnings ------------------------------------------------------------------------

    /// The node's all-time satellite list, cached with stale-if-error (an interruption is not
    /// a failure to hide: it is returned).
    pub fn satellites(&mut self, node: &str, w: &mut Warnings) -> Result<Vec<SatelliteId>> {
        let now_ms = self.clock.now_ms();
        let (conn, fast) = (&self.conn, &self.fast);
        let mut found = Vec::new();
        let served = self.caches.satellites.get_or_refresh(&node.to_string(), now_ms, Some(SATELLITES_TTL_MS), || match fast {
            Some(f) => Ok(f.satellites(node)),
            None => satellites::satellite_list(conn, node, &mut found),
        });
        w.extend(&found);
        Ok(match served {
            Served::Hit(list) | Served::Fresh(list) => list,
            Served::Stale(_, e @ EngineError::Interrupted { .. }) | Served::Failed(e @ EngineError::Interrupted { .. }) => return Err(e),
            Served::Stale(list, e) => {
                w.push(format!("events: the satellite list of node {node} could not be refreshed ({e}); the last good list is shown"));
                list
            }
            Served::Failed(e) => {
                w.push(format!("events: the satellite list of node {node} could not be read ({e}); no satellites are shown"));
                Vec::new()
            }
        })
    }

    /// The node's age and held-back fraction as of now.
    pub fn node_age(&self, node: &str, now: Micros) -> Result<NodeAge> {
        let first_event = self.fast.as_ref().filter(|_| self.plain).map(|f| f.first_event(node));
        node_age::node_age(&self.conn, node, now, self.schema.has_estimates, self.schema.has_snapshots, first_event)
    }

    fn ttl_for(&self, period: Period) -> Option<f64> {
        if self.now.is_none_or(|now| period.end() > now) {
            Some(EARNINGS_CURRENT_TTL_MS)
        } else {
            None // a closed period cannot change within one loaded file
        }
    }

    /// One node's traffic for a period (cached).
    pub fn traffic(&mut self, node: &str, period: Period, w: &mut Warnings) -> Result<NodeTraffic> {
        let (now_ms, ttl, conn, fast) = (self.clock.now_ms(), self.ttl_for(period), &self.conn, &self.fast);
        let t = self.caches.traffic.get_or_try(&(node.to_string(), period), now_ms, ttl, || match fast {
            Some(f) => Ok(f.traffic(node, period)),
            None => traffic::node_traffic(conn, node, period),
        })?;
        w.extend(&t.warnings);
        Ok(t)
    }

    /// One node's storage totals and allocation for a period (cached).
    pub fn storage(&mut self, node: &str, period: Period, now: Micros, w: &mut Warnings) -> Result<NodeStorage> {
        self.set_now(now);
        let (now_ms, ttl, conn, has, fast) = (self.clock.now_ms(), self.ttl_for(period), &self.conn, self.schema.has_snapshots, &self.fast);
        let s = self.caches.storage.get_or_try(&(node.to_string(), period), now_ms, ttl, || match fast {
            Some(f) => single_pass::node_storage(conn, node, period, now, has, f.allocation(node, period)),
            None => storage::node_storage(conn, node, period, now, has),
        })?;
        w.extend(&s.warnings);
        Ok(s)
    }

    /// One node's figures for one period: per-satellite entries, forecast, payout, month-end.
    /// Returns the satellite list it used too.
    pub fn node_period(
        &mut self,
        node: &str,
        period: Period,
        age: &NodeAge,
        now: Micros,
        w: &mut Warnings,
    ) -> Result<(Vec<SatelliteId>, PeriodReport)> {
        self.set_now(now);
        let sats = self.satellites(node, w)?;
        let traffic = self.traffic(node, period, w)?;
        let storage = self.storage(node, period, now, w)?;
        let is_current = period == Period::of(now);
        let mut entries = OrderedMap::new();
        for sat in &sats {
            let t = traffic_figures(traffic.bytes_of(sat));
            let s = storage.for_satellite(sat, sats.len());
            entries.insert(satellite_key(sat), satellite_report(satellite_name(sat), t, s, age, is_current));
        }
        let report = PeriodReport {
            is_current_period: is_current,
            forecast: forecast(entries.values(), period, now),
            payout: payout(entries.values()),
            month_end_estimate: month_end_estimate(entries.values(), period, now),
            satellites: entries,
        };
        Ok((sats, report))
    }

    // ----- latency -------------------------------------------------------------------------

    /// Section 8 for a view (any order of names) and a window of `hours` (cached).
    pub fn latency_stats(&mut self, view: &[String], hours: i64, now: Micros, w: &mut Warnings) -> Result<LatencyStats> {
        self.latency_available()?;
        self.set_now(now);
        let (key, names) = view_key(view);
        let cutoff = iso(now - hours * MICROS_PER_HOUR);
        // Which table, only on a cache miss (for all of many nodes it merges their day counts).
        let (now_ms, conn, recent, fast) = (self.clock.now_ms(), &self.conn, self.recent.as_ref(), self.fast.as_ref());
        let got = self.caches.latency_stats.get_or_try(&(key, hours), now_ms, Some(LATENCY_TTL_MS), || {
            let table = latency_source(recent, fast, &names, &cutoff, true);
            latency::latency_stats(conn, table, &names, &cutoff).map(|o| WithWarnings { value: o.value, warnings: o.warnings })
        })?;
        w.extend(&got.warnings);
        Ok(got.value)
    }

    /// Section 9 for a view, a window and a bucket size (cached).
    pub fn latency_histogram(
        &mut self,
        view: &[String],
        hours: i64,
        bucket_ms: i64,
        now: Micros,
        w: &mut Warnings,
    ) -> Result<Vec<HistogramBucket>> {
        self.latency_available()?;
        self.set_now(now);
        let (key, names) = view_key(view);
        let cutoff = iso(now - hours * MICROS_PER_HOUR);
        let (now_ms, conn, recent, fast, plain) = (self.clock.now_ms(), &self.conn, self.recent.as_ref(), self.fast.as_ref(), self.plain);
        let got = self.caches.latency_histograms.get_or_try(&(key, hours, bucket_ms), now_ms, Some(LATENCY_TTL_MS), || {
            let table = latency_source(recent, fast, &names, &cutoff, false);
            // A window the copy does not hold (the whole file) from the single pass's bins, if
            // they can: only where SQL compares the timestamps and statuses bytewise, as the bins do.
            let binned = match fast {
                Some(f) if table != RECENT_TABLE && plain => f.latency.histogram(&f.node_ids(&names), cutoff.as_bytes(), bucket_ms),
                _ => None,
            };
            match binned {
                Some(value) => Ok(WithWarnings { value, warnings: Vec::new() }),
                None => latency::latency_histogram(conn, table, &names, &cutoff, bucket_ms)
                    .map(|o| WithWarnings { value: o.value, warnings: o.warnings }),
            }
        })?;
        w.extend(&got.warnings);
        Ok(got.value)
    }

    /// The success rates' counts of a view over the last `hours` (cached), from the copy of
    /// recent rows when it holds the window, else from `main.events` (a scan without indexes,
    /// as the window's statistics then need too).
    pub fn success_counts(&mut self, view: &[String], hours: i64, now: Micros) -> Result<SuccessCounts> {
        self.set_now(now);
        let (key, names) = view_key(view);
        let cutoff = iso(now - hours * MICROS_PER_HOUR);
        let (now_ms, conn, recent, fast) = (self.clock.now_ms(), &self.conn, self.recent.as_ref(), self.fast.as_ref());
        self.caches.success.get_or_try(&(key, hours), now_ms, Some(LATENCY_TTL_MS), || {
            latency::success_counts(conn, latency_source(recent, fast, &names, &cutoff, false), &names, &cutoff)
        })
    }

    fn latency_available(&self) -> Result<()> {
        if self.schema.has_duration {
            Ok(())
        } else {
            Err(EngineError::Unavailable { what: "latency statistics (the events table has no `duration_ms` column)".into() })
        }
    }

    /// Runs `f` and returns its value with the warnings it found and its time.
    pub fn timed<T>(&mut self, f: impl FnOnce(&mut Analyzer, &mut Warnings) -> Result<T>) -> Result<Timed<T>> {
        let started = self.clock.now_ms();
        let mut w = Warnings::default();
        let value = f(self, &mut w)?;
        Ok(Timed { value, warnings: w.0, ms: self.clock.now_ms() - started })
    }

    // ----- the whole report ----------------------------------------------------------------

    pub fn cache_counts(&self) -> OrderedMap<CacheCounts> {
        let c = &self.caches;
        OrderedMap::from_iter([
            ("satellites".into(), c.satellites.counts),
            ("traffic".into(), c.traffic.counts),
            ("storage".into(), c.storage.counts),
            ("latency_stats".into(), c.latency_stats.counts),
            ("latency_histograms".into(), c.latency_histograms.counts),
        ])
    }

    /// Warnings about odd rows over the whole file, computed once (needs the indexes).
    fn odd_row_warnings(&mut self) -> Result<Vec<String>> {
        if self.odd_rows.is_none() && self.is_indexed() {
            self.odd_rows = Some(checks::odd_rows(&self.conn, self.schema.has_snapshots)?);
        }
        Ok(self.odd_rows.clone().unwrap_or_default())
    }

    /// The full report of ANALYTICS section 10.
    pub fn report(&mut self, opts: &ReportOptions) -> Result<Report> {
        let started = self.clock.now_ms();
        let now = opts.now;
        self.set_now(now);
        let mut w = Warnings::default();
        w.extend(&self.schema.warnings.clone());
        w.extend(&self.odd_row_warnings()?);
        let nodes = self.nodes(&mut w)?;
        let periods = self.report_periods(now, &nodes, &opts.extra_periods)?;

        let earnings_started = self.clock.now_ms();
        let mut node_reports = OrderedMap::new();
        for node in &nodes {
            node_reports.insert(node.clone(), self.node_report(node, &periods, now, &mut w)?);
        }
        let earnings_ms = self.clock.now_ms() - earnings_started;

        let latency_started = self.clock.now_ms();
        let latency = if self.schema.has_duration { self.latency_report(&nodes, opts, &mut w)? } else { LatencyReport::default() };
        let latency_ms = self.clock.now_ms() - latency_started;
        let trends_started = self.clock.now_ms();
        let trends = self.trends(&nodes, now, &mut w)?.clone();
        let trends_ms = self.clock.now_ms() - trends_started;
        let report_ms = self.clock.now_ms() - started;
        let mut diagnostics = self.diagnostics(earnings_ms, latency_ms, report_ms);
        diagnostics.timings_ms.shift_insert(diagnostics.timings_ms.len() - 1, "trends".into(), trends_ms);

        Ok(Report {
            format: REPORT_FORMAT.into(),
            now: iso(now),
            current_period: Period::of(now).key(),
            periods: periods.iter().map(Period::key).collect(),
            config: config(),
            nodes: node_reports,
            latency,
            trends,
            diagnostics,
            warnings: w.0,
        })
    }

    /// The trends section (TRENDS.md 8) of `nodes` as of `now`, computed once per now.
    pub fn trends(&mut self, nodes: &[String], now: Micros, w: &mut Warnings) -> Result<&crate::trends::Trends> {
        self.trends.get(&self.conn, nodes, now, w)
    }

    /// The trend panels of one view (`node`, or all `nodes` together): sliced from the whole
    /// section when the report computed it for this now, else computed for that view alone (the
    /// dashboard does not compute every node's panels: 5,000 nodes, 2.8 s natively).
    pub fn trends_view(
        &mut self,
        nodes: &[String],
        node: Option<&str>,
        now: Micros,
        w: &mut Warnings,
    ) -> Result<model::trends_view::TrendsView> {
        let key = (now, nodes.to_vec(), node.map(str::to_string));
        if let Some((view, found)) = self.trend_views.get(&key) {
            w.extend(found);
            return Ok(view.clone());
        }
        let mut found = Warnings::default();
        let view = match self.trends.peek(nodes, now, &mut found) {
            Some(t) => crate::trends::view::of_view(t, node),
            None => crate::trends::view::panels(&self.conn, nodes, node, now, &mut found)?,
        };
        w.extend(&found.0);
        // The views of one now only: another now starts afresh.
        self.trend_views.retain(|(at, _, _), _| *at == now);
        self.trend_views.insert(key, (view.clone(), found.0));
        Ok(view)
    }

    fn node_report(&mut self, node: &str, periods: &[Period], now: Micros, w: &mut Warnings) -> Result<NodeReport> {
        let age = self.node_age(node, now)?;
        let mut list = None;
        let mut by_period = OrderedMap::new();
        for &p in periods {
            let (sats, pr) = self.node_period(node, p, &age, now, w)?;
            list.get_or_insert(sats);
            by_period.insert(p.key(), pr);
        }
        Ok(NodeReport {
            satellites: list.unwrap_or_default(),
            node_age_months: age.months,
            held_percentage: age.held_percentage,
            node_start_date: age.start_date,
            periods: by_period,
        })
    }

    /// One view per node, plus all nodes together when there are several (12.4).
    fn latency_report(&mut self, nodes: &[String], opts: &ReportOptions, w: &mut Warnings) -> Result<LatencyReport> {
        let mut views: Vec<Vec<String>> = nodes.iter().map(|n| vec![n.clone()]).collect();
        if nodes.len() > 1 {
            views.push(nodes.to_vec());
        }
        let mut out = LatencyReport::default();
        for view in &views {
            let (key, _) = view_key(view);
            let (mut stats, mut hists) = (OrderedMap::new(), OrderedMap::new());
            for &h in &opts.hours {
                stats.insert(h.to_string(), self.latency_stats(view, h, opts.now, w)?);
                let mut by_bucket = OrderedMap::new();
                for &b in &opts.buckets {
                    by_bucket.insert(b.to_string(), self.latency_histogram(view, h, b, opts.now, w)?);
                }
                hists.insert(h.to_string(), by_bucket);
            }
            out.stats.insert(key.clone(), stats);
            out.histograms.insert(key, hists);
        }
        Ok(out)
    }

    fn diagnostics(&self, earnings_ms: f64, latency_ms: f64, report_ms: f64) -> Diagnostics {
        let mut t = OrderedMap::new();
        for stage in ["load", "validate", "indexes", "analyze"] {
            t.insert(stage.to_string(), self.setup_ms.get(stage).copied().unwrap_or(0.0));
        }
        if let Some(ms) = self.setup_ms.get("single pass") {
            t.insert("single pass".into(), *ms);
        }
        t.insert("earnings".into(), earnings_ms);
        t.insert("latency".into(), latency_ms);
        let setup: f64 = self.setup_ms.values().sum();
        t.insert("total".into(), setup + report_ms);
        Diagnostics {
            timings_ms: t,
            indexes: self.indexes.clone(),
            caches: self.cache_counts(),
            available: Availability {
                storage_snapshots: self.schema.has_snapshots,
                earnings_estimates: self.schema.has_estimates,
                latency: self.schema.has_duration,
            },
        }
    }
}

/// See [`Analyzer::latency_source`] (a function of the two fields, so that the cached requests
/// decide it only on a cache miss).
fn latency_source(recent: Option<&RecentRows>, fast: Option<&SinglePass>, view: &[String], cutoff: &str, stats: bool) -> &'static str {
    let covered = match (recent, fast) {
        (Some(r), Some(f)) if stats => r.covers_stats(&f.latency, &f.node_ids(view), view, cutoff),
        (Some(r), Some(_)) => r.covers_window(view, cutoff),
        _ => false,
    };
    if covered {
        RECENT_TABLE
    } else {
        "main.events"
    }
}

/// A view's key (names sorted bytewise, joined with ",") and its sorted, deduplicated names.
pub fn view_key(view: &[String]) -> (String, Vec<String>) {
    let mut names = view.to_vec();
    names.sort();
    names.dedup();
    (names.join(","), names)
}

/// The constant `config` object of the report.
pub fn config() -> Config {
    Config {
        pricing_egress_per_tb: PRICE_EGRESS_PER_TB,
        pricing_storage_per_tb_month: PRICE_STORAGE_PER_TB_MONTH,
        pricing_repair_per_tb: PRICE_REPAIR_PER_TB,
        pricing_audit_per_tb: PRICE_AUDIT_PER_TB,
        operator_share_egress: OPERATOR_SHARE,
        operator_share_storage: OPERATOR_SHARE,
        operator_share_repair: OPERATOR_SHARE,
        operator_share_audit: OPERATOR_SHARE,
        held_schedule: HELD_SCHEDULE.iter().map(|&(max_age_months, held_fraction)| HeldStep { max_age_months, held_fraction }).collect(),
        satellite_names: KNOWN_SATELLITES.iter().map(|(id, name)| (id.to_string(), name.to_string())).collect(),
    }
}
