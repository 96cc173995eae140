//! The Web Worker side: owns the loaded database (an [`Analyzer`]), answers the page's
//! [`Request`]s with [`Response`]s.
//!
//! Everything that touches SQLite runs here so the page never blocks. A load goes through the
//! stages reading → loading → checking → indexing → computing, each announced with
//! `Response::Progress`; then `Loaded` (file name, size, row counts) and `Report` (the dashboard's
//! view-model, built by [`crate::dashboard::analyze`], plus the full JSON report).

mod files;
mod keep;

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::dashboard::{self, Analysis, AnalyzeParams, IndexRow, Timing};
use crate::engine::cache::FnClock;
use crate::engine::report::Diagnostics;
use crate::engine::time::{micros_from_unix_ms, Micros};
use crate::engine::{self, Analyzer};
use crate::protocol::{FileSummary, Request, Response, Stage, TableCount};

/// The loaded database and what the worker remembers about it.
struct Loaded {
    analyzer: Analyzer,
    /// The worker's stage timings of the load.
    stages: Vec<Timing>,
    /// The "now" and diagnostics of the last full report sent to the page.
    report_now: Option<Micros>,
    report_diagnostics: Option<Diagnostics>,
    /// The indexes built after the first report (the report's own list predates them).
    indexes: Option<Vec<IndexRow>>,
}

thread_local! {
    static STATE: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    /// No query of a dropped file runs unbounded: each step (load, indexes, each analysis) gets
    /// [`engine::db::DEFAULT_DEADLINE_MS`]; the page's cancel button restarts the worker anyway.
    static DEADLINE: engine::db::Deadline = engine::db::Deadline::new(engine::db::DEFAULT_DEADLINE_MS, now_ms);
}

/// Entry point, called from `src/bin/worker.rs` when the worker's wasm has loaded.
pub fn start() {
    console_error_panic_hook::set_once();
    let scope = scope();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| handle_message(event));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&Response::Ready);
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(response: &Response) {
    match serde_wasm_bindgen::to_value(response) {
        Ok(value) => {
            let _ = scope().post_message(&value);
        }
        Err(e) => {
            web_sys::console::error_1(&format!("worker: cannot encode response: {e}").into());
            let message = format!("internal error: cannot encode the worker's answer ({e})");
            if let Ok(v) = serde_wasm_bindgen::to_value(&Response::Error { id: response.id(), message }) {
                let _ = scope().post_message(&v);
            }
        }
    }
}

fn progress(id: u64, stage: Stage, done: Option<u64>, total: Option<u64>) {
    post(&Response::Progress { id, stage, done, total });
}

fn now_ms() -> f64 {
    js_sys::global()
        .unchecked_into::<DedicatedWorkerGlobalScope>()
        .performance()
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

fn wall_now() -> Micros {
    micros_from_unix_ms(js_sys::Date::now())
}

thread_local! {
    /// Requests that arrived while the kept-database storage was being installed.
    static WAITING: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
}

fn handle_message(event: MessageEvent) {
    let data = event.data();
    if keep::installing() {
        WAITING.with(|w| w.borrow_mut().push(data));
        return;
    }
    handle_data(data);
}

/// Handles the requests that waited for the storage install, in order.
fn drain_waiting() {
    while !keep::installing() {
        let Some(data) = WAITING.with(|w| {
            let mut w = w.borrow_mut();
            (!w.is_empty()).then(|| w.remove(0))
        }) else {
            break;
        };
        handle_data(data);
    }
}

fn handle_data(data: JsValue) {
    let request = js_sys::Reflect::get(&data, &"request".into())
        .map_err(|_| "missing request".to_string())
        .and_then(|v| serde_wasm_bindgen::from_value::<Request>(v).map_err(|e| e.to_string()));
    let request = match request {
        Ok(r) => r,
        Err(e) => return post(&Response::Error { id: None, message: format!("internal error: bad request ({e})") }),
    };
    let id = request.id();
    let outcome = match request {
        Request::LoadFile { id, name, size, params, keep } => {
            let file = js_sys::Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<web_sys::File>().ok());
            match file {
                Some(file) => load_file(id, &file, name, size, &params, keep),
                None => Err("internal error: no file attached".to_string()),
            }
        }
        Request::LoadDemo { id, params } => load_demo(id, &params),
        Request::Analyze { id, params } => analyze(id, &params),
        Request::Cancel => {
            STATE.with(|s| *s.borrow_mut() = None);
            Ok(())
        }
        Request::KeepStatus { opfs } => {
            keep::status(opfs, |status| {
                post(&status);
                drain_waiting();
            });
            Ok(())
        }
        Request::OpenKept { id, params } => open_kept(id, &params),
        Request::KeepFile { name, size } => {
            let file = js_sys::Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<web_sys::File>().ok());
            match file {
                Some(file) => {
                    post(&keep_file(&file, &name, size));
                    Ok(())
                }
                None => Err("internal error: no file attached".to_string()),
            }
        }
        Request::Forget => {
            post(&keep::forget());
            Ok(())
        }
    };
    if let Err(message) = outcome {
        post(&Response::Error { id, message });
    }
}

fn load_file(id: u64, file: &web_sys::File, name: String, size: u64, params: &AnalyzeParams, keep: bool) -> Result<(), String> {
    STATE.with(|s| *s.borrow_mut() = None); // free the previous database first
    let started = now_ms();
    progress(id, Stage::Reading, Some(0), Some(size));
    // Read in slices straight into SQLite's copy (the file is never held twice in wasm memory).
    let chunks = files::FileChunks::open(file).map_err(|e| e.to_string())?;
    let len = chunks.size();
    let opened = now_ms() - started;
    let first = Timing { stage: "open file".into(), ms: opened };
    // "Keep this database": the same slices also go into the browser's private storage.
    let pool = if keep { keep::pool() } else { None };
    let Some(pool) = pool else { return load_bytes(id, chunks, len, name, size, started, first, params) };
    let mut tee = keep::Tee::new(&pool, chunks, len);
    let kept_name = name.clone();
    let result = load_bytes(id, &mut tee, len, name, size, started, first, params);
    let staged = tee.finish(len);
    match (staged, &result) {
        (Ok(staged), Ok(())) => post(&keep::commit(staged, &kept_name, size)),
        (Ok(staged), Err(_)) => keep::discard(staged),
        (Err(message), Ok(())) => post(&Response::KeepFailed { message }),
        (Err(_), Err(_)) => {}
    }
    result
}

/// Loads the kept database (streamed from the private storage) and analyzes it like a file.
fn open_kept(id: u64, params: &AnalyzeParams) -> Result<(), String> {
    STATE.with(|s| *s.borrow_mut() = None);
    let started = now_ms();
    progress(id, Stage::Reading, None, None);
    let pool = keep::pool().ok_or_else(|| "the browser's private storage is not available".to_string())?;
    let (name, size, _saved_at, reader) = keep::open(&pool)?;
    let len = reader.len();
    let first = Timing { stage: "open kept copy".into(), ms: now_ms() - started };
    load_bytes(id, reader, len, name, size, started, first, params)
}

/// Keeps a file that is already analyzed (the setting was switched on afterwards).
fn keep_file(file: &web_sys::File, name: &str, size: u64) -> Response {
    let Some(pool) = keep::pool() else { return keep::current_status() };
    if STATE.with(|s| s.borrow().is_none()) {
        return keep::current_status(); // the file did not load: nothing worth keeping
    }
    let chunks = match files::FileChunks::open(file) {
        Ok(c) => c,
        Err(e) => return Response::KeepFailed { message: format!("this file could not be kept ({e})") },
    };
    let len = chunks.size();
    match keep::Tee::new(&pool, chunks, len).finish(len) {
        Ok(staged) => keep::commit(staged, name, size),
        Err(message) => Response::KeepFailed { message },
    }
}

fn load_demo(id: u64, params: &AnalyzeParams) -> Result<(), String> {
    STATE.with(|s| *s.borrow_mut() = None);
    let started = now_ms();
    progress(id, Stage::Generating, None, None);
    let bytes = crate::demo::demo_bytes(&crate::demo::DemoOptions::default()).map_err(|e| e.to_string())?;
    let size = bytes.len() as u64;
    let gen_ms = now_ms() - started;
    load_bytes(id, bytes.as_slice(), size, "demo.db".to_string(), size, started, Timing { stage: "generate demo".into(), ms: gen_ms }, params)
}

#[allow(clippy::too_many_arguments)]
fn load_bytes(
    id: u64,
    bytes: impl std::io::Read,
    len: u64,
    name: String,
    size: u64,
    started: f64,
    first: Timing,
    params: &AnalyzeParams,
) -> Result<(), String> {
    let mut stages = vec![first];
    let mut mark = now_ms();
    let mut lap = |stages: &mut Vec<Timing>, stage: &str| {
        let t = now_ms();
        stages.push(Timing { stage: stage.into(), ms: t - mark });
        mark = t;
    };
    progress(id, Stage::Loading, None, None);
    let deadline = DEADLINE.with(|d| {
        d.restart();
        d.clone()
    });
    let mut analyzer = Analyzer::open_read(bytes, len, Box::new(FnClock(now_ms)), Some(&deadline))
        .map_err(|e| deadline.explain(e).to_string())?;
    lap(&mut stages, "read + load + validate");
    for (stage, ms) in [
        ("– of which reading the File", files::read_ms()),
        ("– of which validate (schema + quick_check)", analyzer.setup_ms("validate").unwrap_or(0.0)),
    ] {
        stages.push(Timing { stage: stage.into(), ms });
    }
    progress(id, Stage::Checking, None, None);
    let tables: Vec<TableCount> = engine::db::table_counts(analyzer.connection())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(name, rows)| TableCount { name, rows })
        .collect();
    lap(&mut stages, "count rows");
    let summary = FileSummary { name, size, tables, load_ms: now_ms() - started };
    post(&Response::Loaded { id, summary });
    // SPEC 8: the first report from one scan aggregated in Rust, the indexes afterwards. When the
    // file holds values only the SQL path reproduces, the indexes come first.
    progress(id, Stage::Computing, None, None);
    let fast = analyzer.single_pass().map_err(|e| e.to_string())?;
    lap(&mut stages, if fast { "single pass" } else { "single pass (not usable)" });
    if !fast {
        progress(id, Stage::Indexing, Some(0), Some(1));
        analyzer.build_indexes().map_err(|e| e.to_string())?;
        progress(id, Stage::Indexing, Some(1), Some(1));
        lap(&mut stages, "indexes + ANALYZE");
    }
    STATE.with(|s| {
        *s.borrow_mut() = Some(Loaded { analyzer, stages, report_now: None, report_diagnostics: None, indexes: None })
    });
    analyze(id, params)?;
    if fast {
        // The dashboard is on screen; later requests wait in the queue until this is done.
        progress(id, Stage::Indexing, Some(0), Some(1));
        STATE.with(|s| -> Result<(), String> {
            let mut state = s.borrow_mut();
            let Some(loaded) = state.as_mut() else { return Ok(()) };
            let t = now_ms();
            let built = loaded.analyzer.build_indexes().map_err(|e| e.to_string())?;
            loaded.stages.push(Timing { stage: "indexes + ANALYZE (background)".into(), ms: now_ms() - t });
            loaded.indexes = Some(built.into_iter().map(|i| IndexRow { name: i.name, created: i.created, ms: i.ms }).collect());
            Ok(())
        })?;
        progress(id, Stage::Indexing, Some(1), Some(1));
        // Once more with the indexes: success rates and the index list join the page.
        analyze(id, params)?;
    }
    Ok(())
}

fn analyze(id: u64, params: &AnalyzeParams) -> Result<(), String> {
    DEADLINE.with(|d| d.restart());
    progress(id, Stage::Computing, None, None);
    let started = now_ms();
    let answer = STATE.with(|s| -> Result<(Analysis, Option<String>), String> {
        let mut state = s.borrow_mut();
        let loaded = state.as_mut().ok_or_else(|| "no database is loaded: choose a file first".to_string())?;
        let wall = wall_now();
        let (now, _) = dashboard::resolve_now(&loaded.analyzer, params.now, wall).map_err(|e| e.to_string())?;
        // The full report (the download) first, as the CLI computes it, whenever now changed.
        let mut report_json = None;
        if loaded.report_now != Some(now) {
            let t = now_ms();
            let (json, diagnostics) = dashboard::report_json(&mut loaded.analyzer, now).map_err(|e| e.to_string())?;
            loaded.stages.retain(|t| t.stage != "full report");
            loaded.stages.push(Timing { stage: "full report".into(), ms: now_ms() - t });
            loaded.report_now = Some(now);
            loaded.report_diagnostics = Some(diagnostics);
            report_json = Some(json);
        }
        // Resolve now once: the report and the dashboard use the same instant.
        let fixed = AnalyzeParams { now: dashboard::NowMode::At(now), ..params.clone() };
        let mut analysis =
            dashboard::analyze(&mut loaded.analyzer, &fixed, wall, loaded.report_diagnostics.as_ref()).map_err(|e| e.to_string())?;
        if let Some(indexes) = &loaded.indexes {
            analysis.diagnostics.indexes = indexes.clone();
        }
        analysis.diagnostics.stages = loaded.stages.clone();
        analysis.diagnostics.sqlite_version = rusqlite::version().to_string();
        analysis.diagnostics.request_ms = now_ms() - started;
        expose_for_benchmarks(&analysis.diagnostics.stages, analysis.diagnostics.request_ms);
        Ok((analysis, report_json))
    });
    let (mut analysis, report_json) = answer?;
    analysis.params.now = params.now;
    post(&Response::Report { id, analysis: Box::new(analysis), report_json });
    Ok(())
}

/// For `scripts/bench-browser` (read with Playwright's `worker.evaluate`): the load's stage
/// timings, the last request's time and the wasm memory size (it never shrinks, so it is the
/// peak so far), as `self.__storjLensBench`. Invisible to the page.
fn expose_for_benchmarks(stages: &[Timing], request_ms: f64) {
    let o = js_sys::Object::new();
    let list = js_sys::Array::new();
    for t in stages {
        let e = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&e, &"stage".into(), &t.stage.as_str().into());
        let _ = js_sys::Reflect::set(&e, &"ms".into(), &t.ms.into());
        list.push(&e);
    }
    let _ = js_sys::Reflect::set(&o, &"stages".into(), &list);
    let _ = js_sys::Reflect::set(&o, &"request_ms".into(), &request_ms.into());
    let memory = wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>();
    let bytes = memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    let _ = js_sys::Reflect::set(&o, &"wasm_memory_bytes".into(), &f64::from(bytes).into());
    let _ = js_sys::Reflect::set(&js_sys::global(), &"__storjLensBench".into(), &o);
}
