//! `storj-lens demo --log OUT.log [--lines N] [--seed S] [--force]`: a realistic storagenode log
//! (`logs::generate`) for benchmarks, written slice by slice.

use std::io::Write;
use std::path::Path;

use logs::generate::{GenOptions, LogGenerator};

pub fn run(out: &Path, lines: u64, seed: u64, force: bool) -> Result<(), String> {
    if out.exists() && !force {
        return Err(format!("{} exists (use --force to overwrite)", out.display()));
    }
    let file = std::fs::File::create(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut g = LogGenerator::new(GenOptions { lines, seed, ..Default::default() });
    let mut buf = Vec::with_capacity(5 << 20);
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let more = g.fill(&mut buf, 4 << 20);
        w.write_all(&buf).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        bytes += buf.len() as u64;
        if !more {
            break;
        }
    }
    w.flush().map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wrote {}: {lines} lines, {bytes} bytes", out.display());
    Ok(())
}
