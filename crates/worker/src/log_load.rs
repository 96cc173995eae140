//! A node log, streamed (LOGS.md §5–6): slices of the `File` go through one reusable buffer into
//! the engine's [`logs::LogReader`], so wasm memory stays bounded whatever the file's size. The
//! page hears the bytes read at least every 250 ms; its Cancel terminates this worker.

use std::io::Read;

use model::protocol::{ErrorKind, Response};

use crate::files::FileChunks;

/// Bytes handed to the reader per step, and per browser read of the `File`: small enough that a
/// read plus its parsing (about 80 MB/s in the browser) stays well under the 250 ms between
/// progress messages (32 MiB reads of 8 MiB steps left gaps of 312-528 ms).
const BUFFER_BYTES: usize = 2 << 20;
const SLICE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;
/// Progress at most this often (the page asks for at least every 250 ms).
const PROGRESS_EVERY_MS: f64 = 150.0;

/// Streams `chunks` through the log reader and posts the report (or why there is none).
/// `now` is the page's fixed "now" (`?now=`), RFC 3339.
pub fn load(id: u64, name: &str, chunks: FileChunks, now: Option<String>, clock: fn() -> f64, post: &mut dyn FnMut(Response)) {
    let mut chunks = chunks.with_slice_bytes(SLICE_BYTES);
    let total = chunks.size();
    let started = clock();
    let mut reader = logs::LogReader::new(name, total);
    let mut buffer = vec![0u8; BUFFER_BYTES];
    let mut last_progress = clock();
    // The first bytes, to say what a file that is not a log looks like (a PNG, a PDF, …).
    let mut head = Vec::new();
    post(Response::LogProgress { id, read: 0, total, lines: 0 });
    loop {
        let n = match chunks.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return post(failure(id, ErrorKind::ReadFailed, e.to_string())),
        };
        if head.is_empty() {
            head.extend_from_slice(&buffer[..n.min(512)]);
        }
        if let Err(e) = reader.push(&buffer[..n]) {
            return post(not_read(id, &e, &head));
        }
        if clock() - last_progress >= PROGRESS_EVERY_MS {
            last_progress = clock();
            let p = reader.progress();
            post(Response::LogProgress { id, read: p.bytes, total, lines: p.lines });
        }
    }
    drop(buffer);
    let result = reader.finish(now.as_deref());
    let elapsed_ms = clock() - started;
    expose_for_benchmarks(total, elapsed_ms);
    match result {
        Ok(mut report) => {
            // As the CLI does: the time of the whole reading, for the diagnostics panel.
            report.diagnostics.elapsed_ms = Some(elapsed_ms);
            report.diagnostics.mb_per_s = (elapsed_ms > 0.0).then(|| total as f64 / 1e6 / (elapsed_ms / 1000.0));
            post_report(id, report, post);
        }
        Err(e) => post(not_read(id, &e, &head)),
    }
}

fn post_report(id: u64, report: model::log_report::LogReport, post: &mut dyn FnMut(Response)) {
    match serde_json::to_string_pretty(&report) {
        Ok(report_json) => post(Response::LogReport { id, report: Box::new(report), report_json }),
        Err(e) => post(failure(id, ErrorKind::Internal, format!("cannot write the report ({e})"))),
    }
}

/// Why the file gave no report; for a file that is not a log, also what it looks like.
fn not_read(id: u64, e: &logs::LogError, head: &[u8]) -> Response {
    let message = match e {
        logs::LogError::NotALog { .. } => format!("{e} ({})", engine::db::describe_content(head)),
        _ => e.to_string(),
    };
    failure(id, log_error_kind(e), message)
}

fn failure(id: u64, kind: ErrorKind, message: String) -> Response {
    Response::Error { id: Some(id), kind, message }
}

/// The page's wording for each way a log cannot be read.
fn log_error_kind(e: &logs::LogError) -> ErrorKind {
    use logs::LogError::*;
    match e {
        Compressed { .. } => ErrorKind::Packed,
        Empty => ErrorKind::EmptyFile,
        NotALog { .. } | Database => ErrorKind::NotLog,
        BadNow(_) => ErrorKind::Internal,
    }
}

/// For `scripts/bench-browser` (read with Playwright's `worker.evaluate`): the log's bytes, the
/// time from the first slice to the report, and the wasm memory (it never shrinks: the peak), as
/// `self.__storjLensLogBench`. Invisible to the page.
fn expose_for_benchmarks(bytes: u64, ms: f64) {
    use wasm_bindgen::JsCast;
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"bytes".into(), &(bytes as f64).into());
    let _ = js_sys::Reflect::set(&o, &"ms".into(), &ms.into());
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    let size = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    let _ = js_sys::Reflect::set(&o, &"wasm_memory_bytes".into(), &f64::from(size).into());
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__storjLensLogBench".into(), &o);
}
