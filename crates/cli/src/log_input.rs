//! `storj-lens analyze LOG`: the node log's report (LOGS.md §4). The file (or stdin for `-`) is
//! streamed in slices through `logs::LogReader`: memory stays bounded whatever the log's size.

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use model::log_report::LogReport;

/// Bytes read from the file per slice (the worker uses 8-32 MiB too).
pub const SLICE: usize = 16 << 20;

/// Reads a log (or `-`, stdin) to its report, timing the whole reading into `diagnostics`.
pub fn report(path: &Path, now: Option<&str>) -> Result<LogReport, String> {
    let started = Instant::now();
    let stdin = path.as_os_str() == "-";
    let (mut input, name, total): (Box<dyn Read>, String, u64) = if stdin {
        (Box::new(std::io::stdin().lock()), "-".to_string(), 0)
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        (Box::new(file), name, total)
    };
    let shown = if stdin { "stdin".to_string() } else { path.display().to_string() };
    let fail = |e: logs::LogError| format!("{shown}: {e}");
    let mut reader = logs::LogReader::new(&name, total);
    let mut buf = vec![0u8; SLICE];
    loop {
        let n = read_full(&mut input, &mut buf).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if n == 0 {
            break;
        }
        reader.push(&buf[..n]).map_err(fail)?;
    }
    let bytes = reader.progress().bytes;
    let mut report = reader.finish(now).map_err(fail)?;
    let secs = started.elapsed().as_secs_f64();
    report.diagnostics.elapsed_ms = Some(secs * 1000.0);
    report.diagnostics.mb_per_s = (secs > 0.0).then(|| bytes as f64 / 1e6 / secs);
    Ok(report)
}

/// Fills `buf` as far as the input allows (a pipe gives short reads); 0 at the end.
pub fn read_full(input: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

pub fn analyze(path: &Path, now: Option<&str>) -> Result<(), String> {
    let report = report(path, now)?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    println!("{json}");
    Ok(())
}
