//! `storj-lens bench DB [--json]`: the pipeline stage by stage and the cache hit rates. Path A is
//! the app's: load, validate, the single pass, the first report without any index, then each
//! index and ANALYZE, then re-queries. Path B indexes first and reports over the indexes (the
//! reports of both paths must be identical), then times each analytic cold and warm.

use std::path::PathBuf;

use engine::analyzer::view_key;
use engine::cache::{monotonic_ms, StdClock};
use engine::indexes::INDEXES;
use engine::report::{CacheCounts, OrderedMap};
use engine::time::{iso, Period};
use engine::{Analyzer, ReportOptions, Warnings};
use model::view::{AnalyzeParams, NowMode};
use serde::Serialize;

use crate::analyze::{read, resolve_now};

#[derive(clap::Args)]
pub struct Args {
    /// The monitor database.
    pub db: PathBuf,
    /// Print the results as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Latency windows in hours, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,24")]
    pub hours: Vec<i64>,
    /// Histogram bucket sizes in milliseconds, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,250")]
    pub buckets: Vec<i64>,
}

#[derive(Serialize)]
struct Stage {
    stage: String,
    ms: f64,
}

#[derive(Serialize)]
struct BenchResult {
    file: String,
    bytes: usize,
    now: String,
    stages: Vec<Stage>,
    caches: OrderedMap<CacheRate>,
}

#[derive(Serialize)]
struct CacheRate {
    hits: i64,
    misses: i64,
    hit_rate: f64,
}

/// Times closures and keeps the results in order.
struct Timer(Vec<Stage>);

impl Timer {
    fn run<T>(&mut self, stage: impl Into<String>, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        let started = monotonic_ms();
        let out = f()?;
        self.0.push(Stage { stage: stage.into(), ms: monotonic_ms() - started });
        Ok(out)
    }
}

pub fn run(args: Args) -> Result<(), String> {
    if crate::input::kind(std::slice::from_ref(&args.db))? == crate::input::Kind::Log {
        return crate::log_bench::run(&args.db, args.json);
    }
    let mut t = Timer(Vec::new());
    let err = |e: engine::EngineError| e.to_string();
    let bytes = t.run("read", || read(&args.db))?;

    // ---- Path A: the single pass (SPEC 8), the report, then clicks: no index is ever built. ----
    let first_started = monotonic_ms();
    let conn = t.run("load", || engine::db::load_bytes(&bytes).map_err(err))?;
    let mut a = t.run("validate", || Analyzer::with_connection(conn, Box::new(StdClock::new())).map_err(err))?;
    let usable = t.run("single pass (scan of events + snapshots)", || a.single_pass().map_err(err))?;
    if !usable {
        t.0.push(Stage { stage: "  single pass declined (odd values): SQL path used".into(), ms: 0.0 });
    }
    let now = t.run("default now", || resolve_now(&a))?;
    let opts = ReportOptions { now, hours: args.hours.clone(), buckets: args.buckets.clone(), extra_periods: Vec::new() };
    let first = t.run("report after single pass (no index)", || a.report(&opts).map_err(err))?;
    for stage in ["earnings", "latency"] {
        let ms = first.diagnostics.timings_ms.get(stage).copied().unwrap_or(0.0);
        t.0.push(Stage { stage: format!("  of which {stage}"), ms });
    }
    let first_ms = monotonic_ms() - first_started;
    t.0.push(Stage { stage: "  of which the copy of recent rows".into(), ms: a.setup_ms("recent rows").unwrap_or(0.0) });
    t.0.push(Stage { stage: "FIRST REPORT VIA SINGLE PASS (load → report)".into(), ms: first_ms });
    t.0.push(Stage { stage: format!("  rows in the copy of recent rows: {}", a.recent_rows()), ms: 0.0 });

    // Clicks after the first report, as the page makes them (the dashboard's requests), each on
    // keys the first report did not compute; still without any index.
    let mut w = Warnings::default();
    let nodes = a.nodes(&mut w).map_err(err)?;
    if let Some(node) = nodes.last() {
        let period = Period::of(now).previous().previous();
        let click = |a: &mut Analyzer, node: Option<&String>, period: Option<Period>, hours: Option<i64>, bucket_ms: i64| {
            let params = AnalyzeParams { node: node.cloned(), period: period.map(|p| p.key()), now: NowMode::At(now), hours, bucket_ms };
            engine::dashboard::analyze(a, &params, now, None).map(drop).map_err(err)
        };
        t.run(format!("click: node {node}"), || click(&mut a, Some(node), None, Some(24), 100))?;
        t.run(format!("click: month {period}"), || click(&mut a, Some(node), Some(period), Some(24), 100))?;
        t.run("click: latency window 1 h", || click(&mut a, Some(node), None, Some(1), 100))?;
        t.run("click: latency window whole file", || click(&mut a, Some(node), None, None, 100))?;
        t.run("click: bucket size 50 ms", || click(&mut a, Some(node), None, None, 50))?;
        t.run("click: all nodes, whole file, 250 ms", || click(&mut a, None, None, None, 250))?;
        t.run("click: all nodes, 24 h, 500 ms", || click(&mut a, None, None, Some(24), 500))?;
    }
    drop(a);

    // ---- Path B: the four indexes first, then the report (the SQL path). ----
    let b_started = monotonic_ms();
    let conn = t.run("B: load", || engine::db::load_bytes(&bytes).map_err(err))?;
    let mut a = t.run("B: validate", || Analyzer::with_connection(conn, Box::new(StdClock::new())).map_err(err))?;
    for (i, (name, _, _)) in INDEXES.iter().enumerate() {
        t.run(format!("B: index {name}"), || a.build_index(i).map_err(err))?;
    }
    t.run("B: ANALYZE", || a.analyze_tables().map_err(err))?;
    let now_b = t.run("B: default now", || resolve_now(&a))?;
    if now_b != now {
        return Err(format!("the two paths disagree on now: {} vs {}", iso(now), iso(now_b)));
    }
    let has_snapshots = a.schema().has_snapshots;
    t.run("B: odd-row checks", || engine::checks::odd_rows(a.connection(), has_snapshots).map_err(err))?;
    let second = t.run("B: report (cold caches)", || a.report(&opts).map_err(err))?;
    for stage in ["earnings", "latency"] {
        let ms = second.diagnostics.timings_ms.get(stage).copied().unwrap_or(0.0);
        t.0.push(Stage { stage: format!("  of which {stage}"), ms });
    }
    t.0.push(Stage { stage: "FIRST REPORT VIA INDEXES (load → report)".into(), ms: monotonic_ms() - b_started });
    let same = {
        let strip = |r: &engine::report::Report| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("diagnostics");
            }
            v
        };
        strip(&first) == strip(&second)
    };
    if !same {
        return Err("the single-pass report differs from the indexed one".into());
    }
    t.run("B: report (warm caches)", || a.report(&opts).map_err(err))?;
    let report_caches = a.cache_counts();

    // Each analytic on its own over the indexes, cold (empty caches) then warm.
    a.clear_caches();
    let mut w = Warnings::default();
    let nodes = t.run("nodes", || a.nodes(&mut w).map_err(err))?;
    let periods = t.run("periods", || a.report_periods(now, &nodes, &[]).map_err(err))?;
    for pass in ["cold", "warm"] {
        t.run(format!("satellite lists ({pass})"), || nodes.iter().try_for_each(|n| a.satellites(n, &mut w).map(drop).map_err(err)))?;
        t.run(format!("traffic, {} node-periods ({pass})", nodes.len() * periods.len()), || {
            each_node_period(&nodes, &periods, |n, p| a.traffic(n, p, &mut w).map(drop).map_err(err))
        })?;
        t.run(format!("storage, {} node-periods ({pass})", nodes.len() * periods.len()), || {
            each_node_period(&nodes, &periods, |n, p| a.storage(n, p, now, &mut w).map(drop).map_err(err))
        })?;
    }
    t.run("node ages", || nodes.iter().try_for_each(|n| a.node_age(n, now).map(drop).map_err(err)))?;
    let mut views: Vec<Vec<String>> = nodes.iter().map(|n| vec![n.clone()]).collect();
    if nodes.len() > 1 {
        views.push(nodes.clone());
    }
    for pass in ["cold", "warm"] {
        for &h in &args.hours {
            for view in &views {
                let key = view_key(view).0;
                t.run(format!("latency stats {key} {h}h ({pass})"), || a.latency_stats(view, h, now, &mut w).map(drop).map_err(err))?;
            }
            for &b in &args.buckets {
                t.run(format!("histograms {h}h {b}ms, {} views ({pass})", views.len()), || {
                    views.iter().try_for_each(|v| a.latency_histogram(v, h, b, now, &mut w).map(drop).map_err(err))
                })?;
            }
        }
    }

    let result = BenchResult {
        file: args.db.display().to_string(),
        bytes: bytes.len(),
        now: iso(now),
        stages: t.0,
        caches: rates(&report_caches, &a.cache_counts()),
    };
    print(&result, args.json)
}

fn each_node_period(nodes: &[String], periods: &[Period], mut f: impl FnMut(&str, Period) -> Result<(), String>) -> Result<(), String> {
    for n in nodes {
        for &p in periods {
            f(n, p)?;
        }
    }
    Ok(())
}

/// Hit rates over the two reports plus the stand-alone requests.
fn rates(report: &OrderedMap<CacheCounts>, later: &OrderedMap<CacheCounts>) -> OrderedMap<CacheRate> {
    let mut out = OrderedMap::new();
    for (name, c) in report.iter() {
        let l = later.get(name).copied().unwrap_or_default();
        let (hits, misses) = (c.hits + l.hits, c.misses + l.misses);
        let total = (hits + misses).max(1) as f64;
        out.insert(name.clone(), CacheRate { hits, misses, hit_rate: hits as f64 / total });
    }
    out
}

fn print(r: &BenchResult, json: bool) -> Result<(), String> {
    if json {
        println!("{}", serde_json::to_string_pretty(r).map_err(|e| e.to_string())?);
        return Ok(());
    }
    println!("{} ({:.1} MB), now {}", r.file, r.bytes as f64 / 1e6, r.now);
    let width = r.stages.iter().map(|s| s.stage.len()).max().unwrap_or(10);
    for s in &r.stages {
        println!("  {:<width$}  {:>10.1} ms", s.stage, s.ms);
    }
    println!("caches of path B (first report, warm report, then the requests above):");
    for (name, c) in r.caches.iter() {
        println!("  {name:<20} {:>5} hits {:>5} misses  {:>5.1} %", c.hits, c.misses, c.hit_rate * 100.0);
    }
    Ok(())
}
