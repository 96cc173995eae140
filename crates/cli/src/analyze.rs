//! `storj-lens analyze PATH… [--now RFC3339] [--hours 1,24] [--buckets 100,250] [--period YYYY-MM ...]
//! [--month YYYY-MM]`: the JSON report on stdout. The input's kind comes from its content (SPEC §6):
//! a node log (`log_input`), the node's own databases or their folder (`node_input`), else a
//! monitor database (here). Files are read, never written: the engine works on copies.

use std::path::{Path, PathBuf};

use engine::cache::{monotonic_ms, StdClock};
use engine::time::{parse_rfc3339, Micros, Period};
use engine::{db, Analyzer, EngineError, ReportOptions};

#[derive(clap::Args)]
pub struct Args {
    /// A monitor database (storj_stats.db), the node's database files or their folder, or a node
    /// log (`-` reads the log from stdin).
    #[arg(required = true, num_args = 1..)]
    pub paths: Vec<PathBuf>,
    /// Node databases only: the month to report (YYYY-MM); default: the month of "now".
    #[arg(long)]
    pub month: Option<String>,
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
    /// Time limit of each step (load, indexes, report) in seconds; 0 means no limit.
    #[arg(long, default_value_t = db::DEFAULT_DEADLINE_MS / 1000.0)]
    pub timeout: f64,
}

pub fn run(args: Args) -> Result<(), String> {
    match crate::input::kind(&args.paths)? {
        crate::input::Kind::Log => crate::log_input::analyze(&args.paths[0], args.now.as_deref()),
        crate::input::Kind::Node => match crate::node_input::analyze(&args.paths, args.month.as_deref(), args.now.as_deref())? {
            crate::node_input::Outcome::Printed => Ok(()),
            crate::node_input::Outcome::Monitor(path) => analyze_monitor(&args, &path),
        },
        crate::input::Kind::Database => analyze_monitor(&args, &args.paths[0]),
    }
}

fn analyze_monitor(args: &Args, path: &Path) -> Result<(), String> {
    let options = options(args, None)?;
    if !(args.timeout >= 0.0 && args.timeout.is_finite()) {
        return Err(format!("--timeout: {} is not a number of seconds", args.timeout));
    }
    // No query of an untrusted file runs unbounded: each step has its own budget.
    let limit_ms = if args.timeout == 0.0 { f64::INFINITY } else { args.timeout * 1000.0 };
    let deadline = db::Deadline::new(limit_ms, monotonic_ms);
    let fail = |e: EngineError| format!("{}: {}", path.display(), deadline.explain(e));
    let bytes = with_wal(path, read(path)?)?;
    let mut analyzer = match Analyzer::open_with_deadline(&bytes, Box::new(StdClock::new()), Some(&deadline)) {
        Ok(a) => a,
        // Told by loading it once (the file is read a single time, also when it is 1 GB): a
        // SQLite file without the monitor's tables may be one of the node's databases.
        Err(e) if e.kind() == model::protocol::ErrorKind::NotMonitor && node::is_node_database(&bytes) => {
            drop(bytes);
            let files = [path.to_path_buf()];
            return crate::node_input::analyze(&files, args.month.as_deref(), args.now.as_deref()).map(drop);
        }
        Err(e) => return Err(fail(e)),
    };
    drop(bytes);
    if args.month.is_some() {
        return Err("--month is for the node's own databases; a monitor database takes --period".to_string());
    }
    // The page's path (SPEC 8): one scan aggregated in Rust answers the report; the indexes only
    // when the file holds values that only the SQL path reproduces.
    deadline.restart();
    if analyzer.single_pass().map_err(fail)? {
        deadline.restart();
        analyzer.build_snapshot_index(8).map_err(fail)?;
        analyzer.build_node_indexes(engine::session::NODE_INDEXES_FROM_NODES).map_err(fail)?;
    } else {
        deadline.restart();
        analyzer.build_indexes().map_err(fail)?;
    }
    deadline.restart();
    let now = match options.now {
        Some(now) => now,
        None => analyzer.default_now().map_err(fail)?.unwrap_or_else(wall_clock_now),
    };
    let report = analyzer.report(&ReportOptions { now, ..options.report }).map_err(fail)?;
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
        Some(s) => {
            Some(parse_rfc3339(s).ok_or_else(|| format!("--now {s:?} is not an RFC 3339 date-time (e.g. 2025-10-10T12:00:00+00:00)"))?)
        }
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

/// Reads the whole file, saying so with its size when it cannot be held in memory (instead of
/// aborting on a failed allocation).
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let mut bytes = Vec::new();
    // SQLite copies the bytes once more: both copies must fit.
    let fits = usize::try_from(size).ok().and_then(|n| n.checked_mul(2));
    if fits.is_none() || bytes.try_reserve_exact(fits.unwrap_or(0) / 2).is_err() {
        return Err(format!(
            "{}: the file is too large to load into memory ({size} bytes, and SQLite needs a second copy)",
            path.display()
        ));
    }
    file.read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

/// A WAL-mode file whose `-wal` file beside it holds commits not yet copied into it, or a file
/// with a hot rollback journal (`-journal`, an interrupted transaction): the copy analyzed is the
/// database as SQLite sees it (commits applied, the interrupted transaction rolled back), made from copies of both in a private temporary
/// directory (the user's files are only read; SQLite's recovery writes to the copies).
fn with_wal(path: &Path, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    if bytes.len() < 100 || &bytes[..16] != db::SQLITE_HEADER {
        return Ok(bytes);
    }
    let suffix = if bytes[18] == 2 { "-wal" } else { "-journal" };
    let mut wal_path = path.as_os_str().to_owned();
    wal_path.push(suffix);
    let wal_len = std::fs::metadata(&wal_path).map(|m| m.len()).unwrap_or(0);
    if wal_len <= 32 {
        return Ok(bytes);
    }
    let fail = |e: &dyn std::fmt::Display| format!("{}: cannot read its {suffix} file: {e}", path.display());
    // A unique private directory (the sidecar must sit beside the copy, under the copy's name
    // plus the suffix), deleted with everything in it when `dir` drops, error or not.
    let dir = tempfile::Builder::new().prefix("storj-lens-wal-").tempdir().map_err(|e| fail(&e))?;
    let copy = dir.path().join("copy.db");
    std::fs::write(&copy, &bytes).map_err(|e| fail(&e))?;
    std::fs::copy(&wal_path, dir.path().join(format!("copy.db{suffix}"))).map_err(|e| fail(&e))?;
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = rusqlite::Connection::open_with_flags(&copy, flags).map_err(|e| fail(&e))?;
    db::harden(&conn).map_err(|e| fail(&e))?;
    let data = conn.serialize(rusqlite::MAIN_DB).map_err(|e| fail(&e))?;
    Ok(data.to_vec())
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
