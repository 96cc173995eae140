//! The log reader is pure over bytes (ARCHITECTURE.md): no file, network, process, environment or
//! clock, so the same code runs in the browser's worker and natively.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src dir") {
        let p = entry.expect("dir entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_log_reader_does_no_io_and_reads_no_clock() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() >= 10, "{files:?}");
    let banned = ["std::fs", "std::net", "std::process", "std::env", "File::open", "SystemTime", "Instant::now", "std::thread"];
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for b in banned {
            assert!(!code.contains(b), "{} uses {b}", file.display());
        }
    }
}
