//! `storj-lens analyze FOLDER_OR_FILES… [--month YYYY-MM] [--now RFC3339]`: the node databases'
//! report (NODE_DATA.md §4.1). A folder is searched like the page's folder picker (FOLDER, then
//! FOLDER/storage, for the eight names and their `-wal`), never walked; files are told by their
//! tables. The user's files are only read into memory: SQLite never opens their paths.

use std::path::{Path, PathBuf};
use std::time::Instant;

use node::{NodeSet, FILE_NAMES};

/// What the command should do after reading the node's files.
pub enum Outcome {
    /// The report was printed.
    Printed,
    /// A monitor database came with an incomplete node set: report that one instead.
    Monitor(PathBuf),
}

/// The files to read for one path: a folder's eight names (and `-wal`s) in FOLDER or
/// FOLDER/storage; a file, with its `-wal` beside it when there is one.
fn candidates(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if path.is_dir() {
        for name in FILE_NAMES {
            let here = path.join(name);
            let found = if here.is_file() { Some(here) } else { Some(path.join("storage").join(name)).filter(|p| p.is_file()) };
            if let Some(db) = found {
                out.push(db.clone());
                let wal = with_suffix(&db, "-wal");
                if wal.is_file() {
                    out.push(wal);
                }
            }
        }
    } else {
        out.push(path.to_path_buf());
        let wal = with_suffix(path, "-wal");
        if !path.to_string_lossy().ends_with("-wal") && wal.is_file() {
            out.push(wal);
        }
    }
    out
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

pub fn analyze(paths: &[PathBuf], month: Option<&str>, now: Option<&str>) -> Result<Outcome, String> {
    let started = Instant::now();
    let mut set = NodeSet::new();
    let mut monitor: Option<PathBuf> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(format!("{}: no such file or folder", path.display()));
        }
        for file in candidates(path) {
            if !files.contains(&file) {
                files.push(file);
            }
        }
    }
    // Databases first, then the `-wal`s (each applied to its database as it comes).
    files.sort_by_key(|f| f.to_string_lossy().ends_with("-wal"));
    let mut read_ms = 0.0;
    for file in &files {
        let t = Instant::now();
        let bytes = crate::analyze::read(file)?;
        read_ms += t.elapsed().as_secs_f64() * 1000.0;
        match set.add(&file_name(file), bytes) {
            Ok(node::Added::Monitor { .. }) => monitor = Some(file.clone()),
            Ok(_) => {}
            // One stderr line: SQLite's details may span several.
            Err(e) => return Err(format!("{}: {}", file.display(), e.to_string().replace('\n', " "))),
        }
    }
    let missing = set.missing_required();
    if let (Some(monitor), false) = (&monitor, missing.is_empty()) {
        eprintln!(
            "storj-lens: warning: the node's databases are incomplete ({} missing): reporting the monitor database {} instead",
            missing.join(", "),
            monitor.display()
        );
        return Ok(Outcome::Monitor(monitor.clone()));
    }
    if let Some(monitor) = &monitor {
        eprintln!("storj-lens: warning: {} is a monitor database: the node's databases were reported instead", monitor.display());
    }
    let where_ =
        if paths.len() == 1 && paths[0].is_dir() { format!("{} (or its storage folder): ", paths[0].display()) } else { String::new() };
    let load_ms = started.elapsed().as_secs_f64() * 1000.0 - read_ms;
    let t = Instant::now();
    let mut report = set.report(month, now, crate::analyze::wall_clock_now()).map_err(|e| format!("{where_}{e}"))?;
    let report_ms = t.elapsed().as_secs_f64() * 1000.0;
    for (stage, ms) in [("read", read_ms), ("load", load_ms), ("report", report_ms)] {
        report.diagnostics.timings_ms.insert(stage.to_string(), (ms * 1000.0).round() / 1000.0);
    }
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(Outcome::Printed)
}
