//! `storj-lens demo OUT.db [--events N] [--nodes K] [--days D] [--seed S] [--end RFC3339] [--force]`:
//! writes a realistic monitor database and prints a one-line summary.
//! `storj-lens demo --node DIR [--seed S] [--end RFC3339] [--months M] [--force]`: writes a storage
//! node's folder instead (the eight databases of NODE_DATA.md).
//! `storj-lens demo OUT.db --shape monitor [--events N] [--nodes K] [--days D] [--series-hours H]`:
//! a database shaped like a real monitor's (`demo::monitor_shape`), for the benchmarks.

use std::path::PathBuf;

use ::demo::{generate_to_path, DemoOptions};
use chrono::{DateTime, NaiveDate, Utc};
use engine::cache::monotonic_ms;

#[derive(clap::Args)]
pub struct Args {
    /// The database file to write.
    #[arg(required_unless_present_any = ["log", "node"])]
    pub out: Option<PathBuf>,
    /// Write a realistic storagenode log to this file instead (see --lines).
    #[arg(long, value_name = "OUT.log", conflicts_with_all = ["out", "node"])]
    pub log: Option<PathBuf>,
    /// With --log: number of lines (default 100000).
    #[arg(long, value_name = "N", requires = "log", allow_hyphen_values = true)]
    pub lines: Option<String>,
    /// Write a storage node's folder of databases (the node's own files) into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["out", "events", "nodes", "days"])]
    pub node: Option<PathBuf>,
    /// With --node: months since the node joined (default 7).
    #[arg(long, value_name = "M", requires = "node", allow_hyphen_values = true)]
    pub months: Option<String>,
    /// Number of events (default 20000).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub events: Option<String>,
    /// Number of nodes, node-1..node-K (default 3).
    #[arg(long, value_name = "K", allow_hyphen_values = true)]
    pub nodes: Option<String>,
    /// Days of data ending at --end (default 35).
    #[arg(long, value_name = "D", allow_hyphen_values = true)]
    pub days: Option<String>,
    /// Random seed: the same options and seed give the same file (default 1).
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub seed: Option<String>,
    /// Last instant of data, RFC 3339 or YYYY-MM-DD (default 2025-10-10T12:00:00Z).
    #[arg(long, value_name = "RFC3339", allow_hyphen_values = true)]
    pub end: Option<String>,
    /// Overwrite OUT if it exists.
    #[arg(long)]
    pub force: bool,
    /// The database's shape: `demo` (the app's demo: snapshots every 5 minutes, daily reputation)
    /// or `monitor` (shaped like a real monitor's, as tests/fixtures/small.db: hourly API polls
    /// with log-derived snapshots between them, hourly reputation per satellite, hourly stats,
    /// earnings and payouts, every event column filled, small.db's sizes, durations and shares;
    /// default 1000000 events, up to 100000 nodes).
    #[arg(long, value_enum, default_value = "demo", conflicts_with_all = ["log", "node"])]
    pub shape: Shape,
    /// With --shape monitor: hours between a node's API polls (default 1, as a monitor; many nodes
    /// need longer, e.g. 24).
    #[arg(long, value_name = "H", allow_hyphen_values = true)]
    pub series_hours: Option<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Shape {
    Demo,
    Monitor,
}

fn number<T: std::str::FromStr>(flag: &str, value: &Option<String>, default: T) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    match value {
        None => Ok(default),
        Some(v) => {
            let v = v.trim().replace('_', "");
            v.parse().map_err(|e| format!("invalid --{flag} '{v}': {e}"))
        }
    }
}

fn parse_end(value: &str) -> Result<DateTime<Utc>, String> {
    let v = value.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        if let Some(t) = d.and_hms_opt(0, 0, 0) {
            return Ok(t.and_utc());
        }
    }
    Err(format!("invalid --end '{v}': expected RFC 3339 (e.g. 2025-10-10T12:00:00Z) or YYYY-MM-DD"))
}

pub fn run(args: Args) -> Result<(), String> {
    if let Some(log) = &args.log {
        let seed = number("seed", &args.seed, 1u64)?;
        return crate::log_demo::run(log, number("lines", &args.lines, 100_000u64)?, seed, args.force);
    }
    if let Some(dir) = &args.node {
        return run_node(&args, dir);
    }
    let Some(out) = args.out.clone() else { return Err("demo: give OUT.db, --log OUT.log or --node DIR".into()) };
    if args.shape == Shape::Monitor {
        return run_monitor_shape(&args, &out);
    }
    if args.series_hours.is_some() {
        return Err("demo: --series-hours needs --shape monitor".into());
    }
    let defaults = DemoOptions::default();
    let opts = DemoOptions {
        events: number("events", &args.events, defaults.events)?,
        nodes: number("nodes", &args.nodes, defaults.nodes)?,
        days: number("days", &args.days, defaults.days)?,
        seed: number("seed", &args.seed, defaults.seed)?,
        end: match &args.end {
            Some(v) => parse_end(v)?,
            None => defaults.end,
        },
    };
    let started = monotonic_ms();
    let summary = generate_to_path(&out, &opts, args.force).map_err(|e| e.to_string())?;
    let secs = (monotonic_ms() - started) / 1000.0;
    let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    let nodes = match summary.nodes.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, .., last] => format!("{first}..{last}"),
    };
    let start = opts.end - chrono::Duration::days(opts.days as i64);
    println!(
        "wrote {}: {} events, {} storage snapshots, {} nodes ({}), {} days {} .. {}, seed {}, {:.1} MB in {:.2} s",
        out.display(),
        summary.events,
        summary.snapshots,
        summary.nodes.len(),
        nodes,
        opts.days,
        start.to_rfc3339(),
        opts.end.to_rfc3339(),
        opts.seed,
        bytes as f64 / 1e6,
        secs
    );
    Ok(())
}

/// `demo OUT --shape monitor`: a database shaped like a real monitor's.
fn run_monitor_shape(args: &Args, out: &std::path::Path) -> Result<(), String> {
    use ::demo::monitor_shape::{generate_to_path, MonitorShapeOptions};
    let defaults = MonitorShapeOptions::default();
    let opts = MonitorShapeOptions {
        events: number("events", &args.events, defaults.events)?,
        nodes: number("nodes", &args.nodes, defaults.nodes)?,
        days: number("days", &args.days, defaults.days)?,
        seed: number("seed", &args.seed, defaults.seed)?,
        end: match &args.end {
            Some(v) => parse_end(v)?,
            None => defaults.end,
        },
        series_hours: number("series-hours", &args.series_hours, defaults.series_hours)?,
    };
    let started = monotonic_ms();
    let s = generate_to_path(out, &opts, args.force).map_err(|e| e.to_string())?;
    let secs = (monotonic_ms() - started) / 1000.0;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let start = opts.end - chrono::Duration::days(opts.days as i64);
    println!(
        "wrote {} (monitor shape): {} events, {} storage snapshots, {} hourly stats, {} reputation rows, {} estimates, {} payouts, {} nodes, {} days {} .. {}, polls every {} h, seed {}, {:.1} MB in {:.2} s",
        out.display(),
        s.events,
        s.snapshots,
        s.hourly_stats,
        s.reputation,
        s.estimates,
        s.payouts,
        s.nodes.len(),
        opts.days,
        start.to_rfc3339(),
        opts.end.to_rfc3339(),
        opts.series_hours,
        opts.seed,
        bytes as f64 / 1e6,
        secs
    );
    Ok(())
}

/// `demo --node DIR`: the eight databases of a storage node's folder.
fn run_node(args: &Args, dir: &std::path::Path) -> Result<(), String> {
    let defaults = ::demo::node::NodeDemoOptions::default();
    let opts = ::demo::node::NodeDemoOptions {
        seed: number("seed", &args.seed, defaults.seed)?,
        end: match &args.end {
            Some(v) => parse_end(v)?,
            None => defaults.end,
        },
        months: number("months", &args.months, defaults.months)?,
        ..defaults
    };
    let written = ::demo::node::write_node_folder(dir, &opts, args.force).map_err(|e| e.to_string())?;
    let bytes: u64 = written.iter().map(|(_, n)| n).sum();
    println!(
        "wrote {}: {} node databases ({:.1} kB), {} months up to {}, seed {}",
        dir.display(),
        written.len(),
        bytes as f64 / 1e3,
        opts.months,
        opts.end.to_rfc3339(),
        opts.seed
    );
    Ok(())
}
