//! `storj-lens bench LOG [--json]`: the log reader's stages timed on a file: reading the file in
//! slices alone, then reading and parsing (the streaming pass), the report, its JSON; MB/s.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::log_input::{read_full, SLICE};

#[derive(Serialize)]
struct Stage {
    stage: String,
    ms: f64,
    mb_per_s: Option<f64>,
}

#[derive(Serialize)]
struct LogBench {
    file: String,
    bytes: u64,
    lines: u64,
    stages: Vec<Stage>,
}

fn open(path: &Path) -> Result<std::fs::File, String> {
    std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn stage(name: &str, started: Instant, bytes: Option<u64>) -> Stage {
    let secs = started.elapsed().as_secs_f64();
    Stage { stage: name.to_string(), ms: secs * 1000.0, mb_per_s: bytes.filter(|_| secs > 0.0).map(|b| b as f64 / 1e6 / secs) }
}

pub fn run(path: &Path, json: bool) -> Result<(), String> {
    let mut stages = Vec::new();
    let mut buf = vec![0u8; SLICE];
    let io = |e: std::io::Error| format!("cannot read {}: {e}", path.display());

    // the file alone, slice by slice (the page cache warm after this)
    let started = Instant::now();
    let mut file = open(path)?;
    let mut bytes = 0u64;
    loop {
        let n = read_full(&mut file, &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
    }
    stages.push(stage("read the file in 16 MiB slices", started, Some(bytes)));

    // the streaming pass: read + decode + lines + classification + successrate.sh counters
    let started = Instant::now();
    let mut file = open(path)?;
    let mut reader = logs::LogReader::new(&path.display().to_string(), bytes);
    loop {
        let n = read_full(&mut file, &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        reader.push(&buf[..n]).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    stages.push(stage("read + parse (the streaming pass)", started, Some(bytes)));
    let lines = reader.progress().lines;

    let started = Instant::now();
    let report = reader.finish(None).map_err(|e| format!("{}: {e}", path.display()))?;
    stages.push(stage("finish: the report", started, None));

    let started = Instant::now();
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    stages.push(stage(&format!("report JSON ({} bytes)", text.len()), started, None));
    let total: f64 = stages[1..].iter().map(|s| s.ms).sum();
    stages.push(Stage { stage: "TOTAL (read + parse + report + JSON)".into(), ms: total, mb_per_s: Some(bytes as f64 / 1e3 / total) });

    let result = LogBench { file: path.display().to_string(), bytes, lines, stages };
    if json {
        println!("{}", serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?);
    } else {
        println!("{}: {} bytes, {} lines", result.file, result.bytes, result.lines);
        for s in &result.stages {
            let rate = s.mb_per_s.map_or(String::new(), |r| format!("  {r:8.1} MB/s"));
            println!("{:>10.1} ms  {}{rate}", s.ms, s.stage);
        }
    }
    Ok(())
}
