//! The Web Worker side: owns the SQLite connection, answers the page's [`Request`]s.
//!
//! Everything that touches SQLite runs here so the page never blocks.

mod files;

use std::cell::RefCell;

use rusqlite::Connection;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::engine::{self, EngineError};
use crate::protocol::{FileSummary, Request, Response, Stage, TableCount};

/// The worker's state: the loaded database, if any.
#[derive(Default)]
struct WorkerState {
    conn: Option<Connection>,
}

thread_local! {
    static STATE: RefCell<WorkerState> = RefCell::new(WorkerState::default());
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
        Err(e) => web_sys::console::error_1(&format!("worker: cannot encode response: {e}").into()),
    }
}

fn progress(stage: Stage, done: Option<u64>, total: Option<u64>) {
    post(&Response::Progress { stage, done, total });
}

fn now_ms() -> f64 {
    scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

fn handle_message(event: MessageEvent) {
    let data = event.data();
    let request = js_sys::Reflect::get(&data, &"request".into())
        .map_err(|_| "missing request".to_string())
        .and_then(|v| serde_wasm_bindgen::from_value::<Request>(v).map_err(|e| e.to_string()));
    let request = match request {
        Ok(r) => r,
        Err(e) => return post(&Response::Error { message: format!("internal error: bad request ({e})") }),
    };
    let outcome = match request {
        Request::LoadFile { name, size } => {
            let file = js_sys::Reflect::get(&data, &"file".into()).ok().and_then(|f| f.dyn_into::<web_sys::File>().ok());
            match file {
                Some(file) => load_file(&file, name, size),
                None => Err("internal error: no file attached".to_string()),
            }
        }
        Request::LoadDemo => load_demo(),
    };
    match outcome {
        Ok(response) => post(&response),
        Err(message) => post(&Response::Error { message }),
    }
}

fn load_file(file: &web_sys::File, name: String, size: u64) -> Result<Response, String> {
    STATE.with(|s| s.borrow_mut().conn = None); // free the previous database first
    let started = now_ms();
    progress(Stage::Reading, Some(0), Some(size));
    let bytes = files::read_file(file).map_err(|e| e.to_string())?;
    progress(Stage::Reading, Some(size), Some(size));
    load_bytes(&bytes, name, size, started)
}

fn load_demo() -> Result<Response, String> {
    STATE.with(|s| s.borrow_mut().conn = None);
    let started = now_ms();
    progress(Stage::Generating, None, None);
    let bytes = crate::demo::demo_bytes(&crate::demo::DemoOptions::default()).map_err(|e| e.to_string())?;
    let size = bytes.len() as u64;
    load_bytes(&bytes, "demo.db".to_string(), size, started)
}

fn load_bytes(bytes: &[u8], name: String, size: u64, started: f64) -> Result<Response, String> {
    progress(Stage::Loading, None, None);
    let conn = engine::db::load_bytes(bytes).map_err(|e: EngineError| e.to_string())?;
    progress(Stage::Checking, None, None);
    let tables = engine::db::table_counts(&conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(name, rows)| TableCount { name, rows })
        .collect();
    STATE.with(|s| s.borrow_mut().conn = Some(conn));
    Ok(Response::Loaded(FileSummary { name, size, tables, load_ms: now_ms() - started }))
}
