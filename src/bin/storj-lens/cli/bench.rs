//! `storj-lens bench DB [--json]`: the pipeline stage by stage (read, load, validate, each index,
//! ANALYZE, the first report, then each analytic cold and warm) and the cache hit rates.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;
use storj_lens::engine::analyzer::view_key;
use storj_lens::engine::cache::StdClock;
use storj_lens::engine::indexes::INDEXES;
use storj_lens::engine::report::{CacheCounts, OrderedMap};
use storj_lens::engine::time::{iso, Period};
use storj_lens::engine::{Analyzer, ReportOptions, Warnings};

use super::analyze::{read, resolve_now};

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
        let started = Instant::now();
        let out = f()?;
        self.0.push(Stage { stage: stage.into(), ms: started.elapsed().as_secs_f64() * 1000.0 });
        Ok(out)
    }
}

pub fn run(args: Args) -> Result<(), String> {
    let mut t = Timer(Vec::new());
    let err = |e: storj_lens::engine::EngineError| e.to_string();
    let bytes = t.run("read", || read(&args.db))?;
    let conn = t.run("load", || storj_lens::engine::db::load_bytes(&bytes).map_err(err))?;
    let mut a = t.run("validate", || Analyzer::with_connection(conn, Box::new(StdClock::new())).map_err(err))?;
    for (i, (name, _, _)) in INDEXES.iter().enumerate() {
        t.run(format!("index {name}"), || a.build_index(i).map_err(err))?;
    }
    t.run("ANALYZE", || a.analyze_tables().map_err(err))?;
    let now = t.run("default now", || resolve_now(&a))?;
    let has_snapshots = a.schema().has_snapshots;
    t.run("odd-row checks", || storj_lens::engine::checks::odd_rows(a.connection(), has_snapshots).map_err(err))?;
    let opts = ReportOptions { now, hours: args.hours.clone(), buckets: args.buckets.clone(), extra_periods: Vec::new() };

    let first = t.run("report (first, cold caches)", || a.report(&opts).map_err(err))?;
    for stage in ["earnings", "latency"] {
        let ms = first.diagnostics.timings_ms.get(stage).copied().unwrap_or(0.0);
        t.0.push(Stage { stage: format!("  of which {stage}"), ms });
    }
    t.run("report (warm caches)", || a.report(&opts).map_err(err))?;
    let report_caches = a.cache_counts();

    // Each analytic on its own, cold (empty caches) then warm.
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
        out.insert(name, CacheRate { hits, misses, hit_rate: hits as f64 / total });
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
    println!("caches (first report, warm report, then the requests above):");
    for (name, c) in r.caches.iter() {
        println!("  {name:<20} {:>5} hits {:>5} misses  {:>5.1} %", c.hits, c.misses, c.hit_rate * 100.0);
    }
    Ok(())
}
