//! `storj-lens analyze DB [--now RFC3339] [--hours 1,24] [--buckets 100,250] [--period YYYY-MM ...]`:
//! the JSON report on stdout. The file is read, never written: the engine works on a copy.

use std::path::{Path, PathBuf};

use storj_lens::engine::cache::StdClock;
use storj_lens::engine::time::{parse_rfc3339, Micros, Period};
use storj_lens::engine::{Analyzer, ReportOptions};

#[derive(clap::Args)]
pub struct Args {
    /// The monitor database (usually storj_stats.db).
    pub db: PathBuf,
    /// "As of" instant (RFC 3339); default: the newest timestamp in the file.
    #[arg(long)]
    pub now: Option<String>,
    /// Latency windows in hours, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,24")]
    pub hours: Vec<i64>,
    /// Histogram bucket sizes in milliseconds, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "100,250")]
    pub buckets: Vec<i64>,
    /// Extra periods (YYYY-MM) to include beyond the default ones.
    #[arg(long = "period", num_args = 1..)]
    pub periods: Vec<String>,
}

pub fn run(args: Args) -> Result<(), String> {
    let options = options(&args, None)?;
    let mut analyzer = open(&args.db)?;
    analyzer.build_indexes().map_err(|e| e.to_string())?;
    let now = match options.now {
        Some(now) => now,
        None => resolve_now(&analyzer)?,
    };
    let report = analyzer.report(&ReportOptions { now, ..options.report }).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}

/// Parsed command-line options; `now` is `None` when the file decides it.
pub struct Options {
    pub now: Option<Micros>,
    pub report: ReportOptions,
}

/// Checks the arguments before the file is touched.
pub fn options(args: &Args, default_now: Option<Micros>) -> Result<Options, String> {
    let now = match &args.now {
        Some(s) => Some(parse_rfc3339(s).ok_or_else(|| format!("--now {s:?} is not an RFC 3339 date-time (e.g. 2025-10-10T12:00:00+00:00)"))?),
        None => default_now,
    };
    if let Some(h) = args.hours.iter().find(|h| **h <= 0 || **h > 24 * 366 * 100) {
        return Err(format!("--hours: {h} is not a positive number of hours"));
    }
    if let Some(b) = args.buckets.iter().find(|b| **b <= 0 || **b > 1_000_000_000) {
        return Err(format!("--buckets: {b} is not a positive number of milliseconds"));
    }
    let extra_periods = args
        .periods
        .iter()
        .map(|p| Period::parse(p).ok_or_else(|| format!("--period {p:?} is not a month like 2025-10")))
        .collect::<Result<Vec<_>, _>>()?;
    let report = ReportOptions { now: 0, hours: args.hours.clone(), buckets: args.buckets.clone(), extra_periods };
    Ok(Options { now, report })
}

/// Reads the file and loads it into the engine (header, load, validation).
pub fn open(path: &Path) -> Result<Analyzer, String> {
    let bytes = read(path)?;
    Analyzer::open(&bytes, Box::new(StdClock::new())).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The newest timestamp in the file, or the wall clock for a file without rows (12.2).
pub fn resolve_now(analyzer: &Analyzer) -> Result<Micros, String> {
    match analyzer.default_now().map_err(|e| e.to_string())? {
        Some(now) => Ok(now),
        None => Ok(wall_clock_now()),
    }
}

pub fn wall_clock_now() -> Micros {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}
