//! The Web Worker: glue between the page's messages and the engine's [`Session`].
//!
//! It reads the dropped `File` in slices ([`files::FileChunks`]), feeds them to the session and
//! posts every [`Response`] the session emits. The pipeline itself (stages, deadlines, the single
//! pass and the data it keeps for every click, the report on demand) is `engine::session`, tested
//! natively. Browser specifics stay here: `FileReaderSync`, the kept copy in OPFS ([`keep`]), and
//! the figures `scripts/bench-browser` reads.
//!
//! Built by Trunk with `data-type="worker"`; natively `main` is empty.

#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod keep;
#[cfg(target_arch = "wasm32")]
mod log_load;
#[cfg(target_arch = "wasm32")]
mod node_load;

#[cfg(target_arch = "wasm32")]
fn main() {
    glue::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}

#[cfg(target_arch = "wasm32")]
mod glue {
    use std::cell::RefCell;

    use engine::db::DEFAULT_DEADLINE_MS;
    use engine::session::error_response;
    use engine::time::{micros_from_unix_ms, Micros};
    use engine::{EngineError, Session, Source};
    use model::protocol::{ErrorKind, Request, Response};
    use model::view::{AnalyzeParams, Timing};
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    use crate::{files, keep, log_load, node_load};

    thread_local! {
        /// The one session of this worker. No step of a dropped file runs unbounded: each gets
        /// [`DEFAULT_DEADLINE_MS`]; the page's Cancel terminates the worker anyway.
        static SESSION: RefCell<Session> = RefCell::new(
            Session::new(now_ms, wall_now, DEFAULT_DEADLINE_MS).with_max_file_bytes(files::MAX_FILE_BYTES),
        );
        /// The page's fixed "now" (`?now=`) of the last load, for the node view's later months.
        static NODE_NOW: RefCell<Option<String>> = const { RefCell::new(None) };
        /// Requests that arrived while the kept-database storage was being installed.
        static WAITING: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
    }

    /// Entry point, when the worker's wasm has loaded.
    pub fn start() {
        console_error_panic_hook::set_once();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| handle_message(event));
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(Response::Ready);
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(response: Response) {
        if let Response::Report { analysis, .. } = &response {
            expose_for_benchmarks(&analysis.diagnostics.stages, analysis.diagnostics.request_ms);
        }
        match serde_wasm_bindgen::to_value(&response) {
            Ok(value) => {
                let _ = scope().post_message(&value);
            }
            Err(e) => {
                web_sys::console::error_1(&format!("worker: cannot encode response: {e}").into());
                let message = format!("cannot encode the worker's answer ({e})");
                let error = Response::Error { id: response.id(), kind: ErrorKind::Internal, message };
                if let Ok(v) = serde_wasm_bindgen::to_value(&error) {
                    let _ = scope().post_message(&v);
                }
            }
        }
    }

    fn now_ms() -> f64 {
        scope().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
    }

    fn wall_now() -> Micros {
        micros_from_unix_ms(js_sys::Date::now())
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

    fn attached_file(data: &JsValue) -> Option<web_sys::File> {
        js_sys::Reflect::get(data, &"file".into()).ok().and_then(|f| f.dyn_into::<web_sys::File>().ok())
    }

    /// The `files` array of a `LoadFiles` envelope.
    fn attached_files(data: &JsValue) -> Option<Vec<web_sys::File>> {
        let list = js_sys::Reflect::get(data, &"files".into()).ok()?.dyn_into::<js_sys::Array>().ok()?;
        list.iter().map(|f| f.dyn_into::<web_sys::File>().ok()).collect()
    }

    fn internal(id: Option<u64>, message: &str) {
        post(Response::Error { id, kind: ErrorKind::Internal, message: message.to_string() });
    }

    fn handle_data(data: JsValue) {
        let request = js_sys::Reflect::get(&data, &"request".into())
            .map_err(|_| "missing request".to_string())
            .and_then(|v| serde_wasm_bindgen::from_value::<Request>(v).map_err(|e| e.to_string()));
        let request = match request {
            Ok(r) => r,
            Err(e) => return internal(None, &format!("bad request ({e})")),
        };
        match request {
            Request::LoadFiles { id, names, params, month, keep } => match attached_files(&data) {
                Some(files) if files.len() == names.len() => load_files(id, &files, &params, month.as_deref(), keep),
                _ => internal(Some(id), "the files of the request are missing"),
            },
            Request::ClearNode => node_load::clear(),
            Request::NodeMonth { id, month } => {
                let now = NODE_NOW.with(|n| n.borrow().clone());
                node_load::answer(id, Some(&month), now.as_deref(), None, wall_now(), &mut post);
            }
            Request::LoadDemoNode { id } => load_demo_node(id),
            Request::LoadDemo { id, params } => SESSION.with(|s| s.borrow_mut().load_demo(id, &params, &mut post)),
            Request::Analyze { id, params } => SESSION.with(|s| s.borrow_mut().analyze(id, &params, &mut post)),
            Request::ReportJson { id, params } => SESSION.with(|s| s.borrow_mut().report_json(id, &params, &mut post)),
            Request::KeepStatus { opfs } => keep::status(opfs, |status| {
                post(status);
                drain_waiting();
            }),
            Request::OpenKept { id, params } => open_kept(id, &params),
            Request::KeepFile { name, size } => match attached_file(&data) {
                Some(file) => post(keep_file(&file, &name, size)),
                None => internal(None, "no file attached to the request"),
            },
            Request::Forget => post(keep::forget()),
        }
    }

    /// What the first bytes of a file say it is (LOGS.md 1.1): a SQLite database (or its `-wal`,
    /// or nothing at all), else a log (the log reader names packed formats and refuses what is not a log).
    fn is_database(file: &web_sys::File) -> Result<bool, String> {
        let mut head = [0u8; 16];
        let mut chunks = files::FileChunks::open(file).map_err(|e| e.to_string())?;
        let n = std::io::Read::read(&mut chunks, &mut head).map_err(|e| e.to_string())?;
        // An empty file goes to the database path, whose message says "0 bytes".
        Ok(n == 0 || &head[..n] == engine::db::SQLITE_HEADER.as_slice() || file.name().ends_with("-wal"))
    }

    /// `?now=` as the node and log readers take it (RFC 3339), `None` for "the file's newest".
    fn now_text(params: &AnalyzeParams) -> Option<String> {
        match params.now {
            model::view::NowMode::At(micros) => Some(engine::time::iso(micros)),
            model::view::NowMode::Current => Some(engine::time::iso(wall_now())),
            model::view::NowMode::File => None,
        }
    }

    /// One drop or pick: each file goes where its content says (monitor database, the node's
    /// databases, log), and each kind gets its own answer.
    fn load_files(id: u64, list: &[web_sys::File], params: &AnalyzeParams, month: Option<&str>, keep: bool) {
        let now = now_text(params);
        NODE_NOW.with(|n| *n.borrow_mut() = now.clone());
        let mut databases = Vec::new();
        let mut logs = Vec::new();
        for file in list {
            match is_database(file) {
                Ok(true) => databases.push(file.clone()),
                Ok(false) => logs.push(file.clone()),
                Err(detail) => return post(error_response(Some(id), &EngineError::ReadFailed { detail })),
            }
        }
        if !databases.is_empty() && !load_databases(id, &databases, params, month, now.as_deref(), keep) {
            return;
        }
        // One log view at a time: the first log dropped (LOGS.md 5).
        if let Some(log) = logs.first() {
            match files::FileChunks::open(log) {
                Ok(chunks) => log_load::load(id, &log.name(), chunks, now, now_ms, &mut post),
                Err(e) => post(error_response(Some(id), &EngineError::ReadFailed { detail: e.to_string() })),
            }
        }
    }

    /// The databases of a drop. A single one is most often the monitor's (streamed into SQLite,
    /// maybe gigabytes); when it lacks the monitor's `events` table it is read again as one of the
    /// node's databases (it joins those dropped before). Several go to the node's set, and a
    /// monitor database among them is used only when the node's set is incomplete (NODE_DATA
    /// 4.1). False when an error was posted.
    fn load_databases(
        id: u64,
        databases: &[web_sys::File],
        params: &AnalyzeParams,
        month: Option<&str>,
        now: Option<&str>,
        keep: bool,
    ) -> bool {
        let mut monitor = None;
        if let [only] = databases {
            if !only.name().ends_with("-wal") {
                let mut not_monitor = None;
                let mut out = |r: Response| match r {
                    Response::Error { kind: ErrorKind::NotMonitor, .. } => not_monitor = Some(r),
                    r => post(r),
                };
                load_file(id, only, only.name(), only.size() as u64, params, keep, &mut out);
                let Some(error) = not_monitor else { return true };
                // Read once more, as one of the node's databases (they are small).
                let bytes = match read_whole(id, only) {
                    Ok(b) if node::is_node_database(&b) => b,
                    Ok(_) => {
                        post(error);
                        return false;
                    }
                    Err(e) => {
                        post(e);
                        return false;
                    }
                };
                if let Err((kind, message)) = node_load::add(&only.name(), bytes) {
                    post(Response::Error { id: Some(id), kind, message });
                    return false;
                }
                node_load::answer(id, month, now, None, wall_now(), &mut post);
                return true;
            }
        }
        for file in databases {
            // The node's databases that hold figures are small: a large file not named like one is
            // taken for the monitor's, streamed later rather than held whole here (1 GB exists).
            if file.size() > NODE_FILE_MAX_BYTES && !model::node_report::FILE_NAMES.contains(&file.name().as_str()) {
                monitor = Some(file.clone());
                continue;
            }
            let bytes = match read_whole(id, file) {
                Ok(b) => b,
                Err(e) => {
                    post(e);
                    return false;
                }
            };
            if node::is_monitor_database(&bytes) {
                monitor = Some(file.clone());
                continue;
            }
            if let Err((kind, message)) = node_load::add(&file.name(), bytes) {
                post(Response::Error { id: Some(id), kind, message });
                return false;
            }
        }
        match monitor {
            Some(m) if !node_load::is_complete() => {
                let note = format!("{} is a monitor database: it was analyzed, as the node's databases are incomplete", m.name());
                web_sys::console::info_1(&note.into());
                load_file(id, &m, m.name(), m.size() as u64, params, false, &mut post);
                true
            }
            Some(m) => {
                let note = format!("{} (a monitor database) was not used: the node's own databases are complete", m.name());
                node_load::answer(id, month, now, Some(note), wall_now(), &mut post);
                true
            }
            None => {
                node_load::answer(id, month, now, None, wall_now(), &mut post);
                true
            }
        }
    }

    /// Above this size a file dropped with others is taken for the monitor's database unread.
    const NODE_FILE_MAX_BYTES: f64 = 256.0 * 1024.0 * 1024.0;

    /// A whole file in memory (the node's databases), or the error answer naming it.
    fn read_whole(id: u64, file: &web_sys::File) -> Result<Vec<u8>, Response> {
        files::FileChunks::open(file)
            .map_err(|e| e.to_string())
            .and_then(node_load::read_all)
            .map_err(|detail| error_response(Some(id), &EngineError::ReadFailed { detail: format!("{}: {detail}", file.name()) }))
    }

    /// The demo node: the generator's storage folder, in memory, as if its files were dropped.
    fn load_demo_node(id: u64) {
        node_load::clear();
        post(Response::Progress { id, stage: model::protocol::Stage::Generating, done: None, total: None });
        let files = match demo::node::generate_node(&demo::node::NodeDemoOptions::default()) {
            Ok(f) => f,
            Err(e) => return internal(Some(id), &format!("the demo node: {e}")),
        };
        for (name, bytes) in files {
            if let Err((kind, message)) = node_load::add(&name, bytes) {
                return post(Response::Error { id: Some(id), kind, message });
            }
        }
        node_load::answer(id, None, None, None, wall_now(), &mut post);
    }

    fn load_file(
        id: u64,
        file: &web_sys::File,
        name: String,
        size: u64,
        params: &AnalyzeParams,
        keep: bool,
        post: &mut dyn FnMut(Response),
    ) {
        SESSION.with(|s| s.borrow_mut().clear()); // free the previous database first
        let started = now_ms();
        post(Response::Progress { id, stage: model::protocol::Stage::Reading, done: Some(0), total: Some(size) });
        if let Err(e) = SESSION.with(|s| s.borrow().check_size(size)) {
            return post(error_response(Some(id), &e));
        }
        let chunks = match files::FileChunks::open(file) {
            Ok(c) => c,
            Err(e) => return post(error_response(Some(id), &EngineError::ReadFailed { detail: e.to_string() })),
        };
        let len = chunks.size();
        let opened = Timing { stage: "open file".into(), ms: now_ms() - started };
        // "Keep this database": the same slices also go into the browser's private storage.
        let pool = if keep { keep::pool() } else { None };
        let Some(pool) = pool else {
            let source = Source { name, len, reader: chunks, opened, read_ms: files::read_ms };
            return SESSION.with(|s| s.borrow_mut().load(id, source, params, post));
        };
        let mut tee = keep::Tee::new(&pool, chunks, len);
        let source = Source { name: name.clone(), len, reader: &mut tee, opened, read_ms: files::read_ms };
        let loaded = SESSION.with(|s| {
            let mut s = s.borrow_mut();
            s.load(id, source, params, post);
            s.is_loaded()
        });
        match (tee.finish(len), loaded) {
            (Ok(staged), true) => post(keep::commit(staged, &name, size)),
            (Ok(staged), false) => keep::discard(staged),
            (Err(message), true) => post(Response::KeepFailed { message }),
            (Err(_), false) => {}
        }
    }

    /// Loads the kept database (streamed from the private storage) and analyzes it like a file.
    fn open_kept(id: u64, params: &AnalyzeParams) {
        SESSION.with(|s| s.borrow_mut().clear());
        let started = now_ms();
        post(Response::Progress { id, stage: model::protocol::Stage::Reading, done: None, total: None });
        let Some(pool) = keep::pool() else {
            return post(error_response(
                Some(id),
                &EngineError::ReadFailed { detail: "the browser's private storage is not available".into() },
            ));
        };
        let (name, _size, _saved_at, reader) = match keep::open(&pool) {
            Ok(kept) => kept,
            Err(detail) => return post(error_response(Some(id), &EngineError::ReadFailed { detail })),
        };
        let len = reader.len();
        let opened = Timing { stage: "open kept copy".into(), ms: now_ms() - started };
        let source = Source { name, len, reader, opened, read_ms: || 0.0 };
        SESSION.with(|s| s.borrow_mut().load(id, source, params, &mut post));
    }

    /// Keeps a file that is already analyzed (the setting was switched on afterwards).
    fn keep_file(file: &web_sys::File, name: &str, size: u64) -> Response {
        let Some(pool) = keep::pool() else { return keep::current_status() };
        if !SESSION.with(|s| s.borrow().is_loaded()) {
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
}
