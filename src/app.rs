//! The page's root component and its state: a few signals of [`App`]. Every figure comes
//! ready-made from the worker ([`model::view::Analysis`]); the components only render it.

use leptos::prelude::*;
use web_sys::File;

use crate::dashboard::Dashboard;
use crate::error_panel::{ErrorPanel, Problem};
use crate::inputs::{LogPanel, NodePanel, ViewTabs};
use crate::keep::{self, KeepSetting, KeepState, KeptInfo};
use crate::landing::Landing;
use crate::progress::ProgressView;
use crate::worker_client::{WorkerClient, WorkerEvent};
use model::protocol::{FileSummary, LogReport, NodeFile, NodeReport, Request, Response, Stage};
use model::view::{parse_now, Analysis, AnalyzeParams, NowMode};

/// Progress of a running load: stage and amounts; `lines` while a log is read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Working {
    pub stage: Stage,
    pub done: Option<u64>,
    pub total: Option<u64>,
    pub lines: Option<u64>,
    /// When this stage began (`performance.now()`, ms), for the log's MB/s.
    pub since_ms: f64,
}

/// Which of the loaded inputs the page shows (a drop may bring several kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Monitor,
    Node,
    Log,
}

/// The node view as the worker sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeShown {
    pub report: NodeReport,
    pub report_json: String,
    pub note: Option<String>,
}

/// The log view as the worker sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct LogShown {
    pub report: LogReport,
    pub report_json: String,
}

/// The page's state, shared by the components.
#[derive(Clone, Copy)]
pub struct AppState {
    pub working: RwSignal<Option<Working>>,
    pub error: RwSignal<Option<Problem>>,
    pub file: RwSignal<Option<FileSummary>>,
    pub analysis: RwSignal<Option<Analysis>>,
    /// The full report (the CLI's output) for the "now" on screen, once downloaded: the worker
    /// makes it when the download is asked for, not with the dashboard.
    pub report_json: RwSignal<Option<String>>,
    /// The worker is making the full report for the download.
    pub preparing_report: RwSignal<bool>,
    /// An analysis request is running (the figures shown are the previous ones).
    pub busy: RwSignal<bool>,
    /// The screen is at most [`NARROW_QUERY`] wide (phones): the charts draw their narrow form.
    pub narrow: RwSignal<bool>,
    pub params: RwSignal<AnalyzeParams>,
    /// The node's databases: their view, or the files so far while the set is incomplete.
    pub node: RwSignal<Option<NodeShown>>,
    pub node_files: RwSignal<Option<(Vec<NodeFile>, String)>>,
    pub log: RwSignal<Option<LogShown>>,
    /// The view on screen when several kinds are loaded.
    pub view: RwSignal<ViewKind>,
    latest: StoredValue<u64>,
    client: StoredValue<Option<WorkerClient>, LocalStorage>,
    /// "Keep this database on this device" (see `keep.rs`).
    pub keep: KeepState,
    /// The last file the user chose, to keep it when the setting is switched on afterwards.
    last_file: StoredValue<Option<File>, LocalStorage>,
    /// The last load, for "Try again" after the worker stopped.
    last_load: StoredValue<Option<Retry>, LocalStorage>,
}

/// A load that "Try again" repeats.
#[derive(Clone)]
enum Retry {
    Files(Vec<File>),
    Demo,
    DemoNode,
}

impl AppState {
    fn next_id(&self) -> u64 {
        self.latest.update_value(|id| *id += 1);
        self.latest.get_value()
    }

    fn send(&self, request: &Request, file: Option<&File>) {
        self.client.with_value(|c| c.as_ref().map(|c| c.send(request, file)));
    }

    /// Starts a load: cancels a running one (a busy worker reads no message: restart it).
    fn begin_load(&self, stage: Stage) -> u64 {
        // A worker still at work on a load or a request reads no message until it is done.
        if self.working.get_untracked().is_some() || self.busy.get_untracked() {
            self.restart_worker();
        }
        self.keep.opened_from.set(None);
        self.keep.failed.set(None);
        self.last_file.set_value(None);
        self.working.set(Some(Working { stage, done: None, total: None, lines: None, since_ms: now_ms() }));
        self.error.set(None);
        self.file.set(None);
        self.analysis.set(None);
        self.report_json.set(None);
        self.preparing_report.set(false);
        self.node.set(None);
        self.node_files.set(None);
        self.log.set(None);
        self.busy.set(false);
        let mut params = self.params.get_untracked();
        params.node = None;
        params.period = None;
        self.params.set(params);
        self.next_id()
    }

    /// Terminates the worker (cancelling its work) and starts a fresh one, which sets up the
    /// kept-database storage again before anything else.
    fn restart_worker(&self) {
        self.client.with_value(|c| c.as_ref().map(WorkerClient::restart));
        self.send(&Request::KeepStatus { opfs: keep::opfs_allowed() }, None);
    }

    /// A drop or a pick of one or more files: the worker tells each file's kind by its content.
    pub fn load_files(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let id = self.begin_load(Stage::Reading);
        // Only a single file can be the monitor database worth keeping on this device.
        let keep = files.len() == 1 && self.keep.wants_keep();
        let names = files.iter().map(File::name).collect();
        let month = query_parameter("month");
        let request = Request::LoadFiles { id, names, params: self.params.get_untracked(), month, keep };
        self.client.with_value(|c| c.as_ref().map(|c| c.send_files(&request, &files)));
        self.last_load.set_value(Some(Retry::Files(files.clone())));
        if let [file] = files.as_slice() {
            self.last_file.set_value(Some(file.clone()));
        }
    }

    /// "Try again" after the worker stopped: the same load once more.
    pub fn retry(&self) {
        match self.last_load.get_value() {
            Some(Retry::Files(files)) => self.load_files(files),
            Some(Retry::Demo) => self.load_demo(),
            Some(Retry::DemoNode) => self.load_demo_node(),
            None => self.error.set(None),
        }
    }

    /// The demo node's storage folder (generated in the worker).
    pub fn load_demo_node(&self) {
        let id = self.begin_load(Stage::Generating);
        self.send(&Request::LoadDemoNode { id }, None);
        self.last_load.set_value(Some(Retry::DemoNode));
    }

    /// The node view for another month.
    pub fn node_month(&self, month: String) {
        let id = self.next_id();
        self.busy.set(true);
        self.send(&Request::NodeMonth { id, month }, None);
    }

    /// Forgets the node's files (the files panel's "Clear").
    pub fn clear_node(&self) {
        self.next_id();
        self.node.set(None);
        self.node_files.set(None);
        self.error.set(None);
        self.send(&Request::ClearNode, None);
        if self.analysis.with_untracked(Option::is_some) {
            self.view.set(ViewKind::Monitor);
        } else if self.log.with_untracked(Option::is_some) {
            self.view.set(ViewKind::Log);
        }
    }

    /// Opens the database kept on this device (at start-up).
    fn open_kept(&self, saved_at: f64) {
        let id = self.begin_load(Stage::Reading);
        self.keep.opened_from.set(Some(saved_at));
        self.send(&Request::OpenKept { id, params: self.params.get_untracked() }, None);
    }

    /// The checkbox: on keeps the file on screen (if one was chosen), off forgets the kept one.
    pub fn set_keep(&self, on: bool) {
        self.keep.enabled.set(on);
        keep::save_setting(on);
        self.keep.failed.set(None);
        if on {
            // Also while the file is still loading: the worker keeps it once it loaded.
            if self.error.with_untracked(Option::is_none) && self.keep.kept.with_untracked(Option::is_none) {
                if let Some(file) = self.last_file.get_value() {
                    self.send(&Request::KeepFile { name: file.name(), size: file.size() as u64 }, Some(&file));
                }
            }
        } else {
            self.forget();
        }
    }

    /// "Forget this file": deletes the kept copy (the analysis on screen stays).
    pub fn forget(&self) {
        self.keep.opened_from.set(None);
        self.keep.kept.set(None);
        self.send(&Request::Forget, None);
    }

    pub fn load_demo(&self) {
        let id = self.begin_load(Stage::Generating);
        self.send(&Request::LoadDemo { id, params: self.params.get_untracked() }, None);
        self.last_load.set_value(Some(Retry::Demo));
    }

    /// Cancels a running load and returns to the landing view.
    pub fn cancel(&self) {
        self.restart_worker();
        self.next_id();
        self.working.set(None);
        self.busy.set(false);
    }

    /// A part of the analysis on screen that changes only when that part changes: a panel that
    /// reads it is drawn again only then (a click on a bucket size redraws the histogram, not
    /// the trend charts).
    pub fn slice<T>(self, part: impl Fn(&Analysis) -> T + Send + Sync + 'static) -> Memo<Option<T>>
    where
        T: PartialEq + Send + Sync + 'static,
    {
        Memo::new(move |_| self.analysis.with(|a| a.as_ref().map(&part)))
    }

    /// Saves the full report: at once when the worker made it for this "now" already, else
    /// when it answers (`Response::ReportJson`).
    pub fn download_report(&self) {
        if let Some(json) = self.report_json.get_untracked() {
            return self.save_report(&json);
        }
        let id = self.next_id();
        self.preparing_report.set(true);
        self.busy.set(true);
        self.send(&Request::ReportJson { id, params: self.params.get_untracked() }, None);
    }

    fn save_report(&self, json: &str) {
        let name = self.analysis.with_untracked(|a| a.as_ref().map(|a| model::view::report_file_name(&a.now_iso)));
        if let Some(name) = name {
            crate::download::save_text(&name, "application/json", json);
        }
    }

    /// Asks for another analysis of the loaded file.
    pub fn reanalyze(&self, change: impl FnOnce(&mut AnalyzeParams)) {
        self.params.update(change);
        let id = self.next_id();
        self.busy.set(true);
        self.send(&Request::Analyze { id, params: self.params.get_untracked() }, None);
    }

    fn on_worker_event(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Response(response) => self.on_response(response),
            WorkerEvent::Stopped(detail) => {
                // Whatever it held is gone: a fresh worker, and the page ready for the next file.
                self.restart_worker();
                self.next_id();
                self.show_problem(Problem::WorkerStopped { detail });
            }
        }
    }

    /// Replaces whatever the page showed with `problem`.
    fn show_problem(&self, problem: Problem) {
        self.error.set(Some(problem));
        self.working.set(None);
        self.busy.set(false);
        self.analysis.set(None);
        self.report_json.set(None);
        self.preparing_report.set(false);
        self.file.set(None);
    }

    fn on_response(&self, response: Response) {
        if let Some(id) = response.id() {
            if id != self.latest.get_value() {
                return; // an answer to a superseded request
            }
        }
        match response {
            Response::Ready => {}
            Response::Progress { stage, done, total, .. } => {
                if let Some(w) = self.working.get_untracked() {
                    let since_ms = if w.stage == stage { w.since_ms } else { now_ms() };
                    self.working.set(Some(Working { stage, done, total, lines: None, since_ms }));
                }
            }
            Response::Loaded { summary, .. } => self.file.set(Some(summary)),
            Response::Report { analysis, .. } => {
                // The report made for the download holds for the same "now" only.
                if self.analysis.with_untracked(|a| a.as_ref().map(|a| a.now_iso != analysis.now_iso).unwrap_or(true)) {
                    self.report_json.set(None);
                    self.preparing_report.set(false);
                }
                self.preparing_report.set(false);
                if self.analysis.with_untracked(Option::is_none) {
                    self.view.set(ViewKind::Monitor);
                }
                self.analysis.set(Some(*analysis));
                self.working.set(None);
                self.busy.set(false);
            }
            Response::ReportJson { json, .. } => {
                self.preparing_report.set(false);
                self.busy.set(false);
                self.save_report(&json);
                self.report_json.set(Some(json));
            }
            Response::LogProgress { read, total, lines, .. } => {
                let since_ms = match self.working.get_untracked() {
                    Some(w) if w.stage == Stage::Reading && w.lines.is_some() => w.since_ms,
                    _ => now_ms(),
                };
                self.working.set(Some(Working {
                    stage: Stage::Reading,
                    done: Some(read),
                    total: Some(total),
                    lines: Some(lines),
                    since_ms,
                }));
            }
            Response::LogReport { report, report_json, .. } => {
                self.log.set(Some(LogShown { report: *report, report_json }));
                self.view.set(ViewKind::Log);
                self.working.set(None);
                self.busy.set(false);
            }
            Response::NodeReport { report, report_json, note, .. } => {
                self.node.set(Some(NodeShown { report: *report, report_json, note }));
                self.node_files.set(None);
                self.error.set(None);
                self.view.set(ViewKind::Node);
                self.working.set(None);
                self.busy.set(false);
            }
            Response::NodeFiles { files, message, .. } => {
                self.node.set(None);
                self.node_files.set(Some((files, message)));
                self.view.set(ViewKind::Node);
                self.working.set(None);
                self.busy.set(false);
            }
            Response::Kept { name, saved_at, size } => {
                self.keep.available.set(Some(Ok(())));
                self.keep.kept.set(Some(KeptInfo { name, saved_at, size }));
                // The first answer of the page's life opens the kept file, unless the user was
                // quicker and chose a file already.
                if !self.keep.started.get_value() {
                    self.keep.started.set_value(true);
                    if self.latest.get_value() == 0 {
                        if !self.keep.enabled.get_untracked() {
                            self.keep.enabled.set(true);
                            keep::save_setting(true);
                        }
                        self.open_kept(saved_at);
                    }
                }
            }
            Response::NoneKept => {
                self.keep.started.set_value(true);
                self.keep.available.set(Some(Ok(())));
                self.keep.kept.set(None);
            }
            Response::KeepUnavailable { reason } => {
                self.keep.started.set_value(true);
                self.keep.available.set(Some(Err(reason)));
            }
            Response::KeepFailed { message } => self.keep.failed.set(Some(message)),
            Response::Error { kind, message, .. } => self.show_problem(Problem::Failed { kind, message }),
        }
    }
}

/// The CSS breakpoint of the phone layout (`style/main.css`).
pub const NARROW_QUERY: &str = "(max-width: 600px)";

/// A signal that follows a CSS media query (false where the browser cannot tell).
fn follow_media(query: &str) -> RwSignal<bool> {
    let list = web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
    let signal = RwSignal::new(list.as_ref().is_some_and(|l| l.matches()));
    if let Some(list) = list {
        let watched = list.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || signal.set(watched.matches()));
        list.set_onchange(Some(wasm_bindgen::JsCast::unchecked_ref(on_change.as_ref())));
        on_change.forget(); // the page's lifetime
    }
    signal
}

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// The page's clock (`performance.now()`), in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

/// `?now=` from the page's address, for reproducible figures (tests, comparisons with the CLI).
fn initial_now() -> NowMode {
    query_parameter("now").as_deref().and_then(parse_now).map_or(NowMode::File, NowMode::At)
}

/// A parameter of the page's address, URL-decoded by the browser (`UrlSearchParams`).
pub fn query_parameter(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState {
        working: RwSignal::new(None),
        error: RwSignal::new(None),
        file: RwSignal::new(None),
        analysis: RwSignal::new(None),
        report_json: RwSignal::new(None),
        preparing_report: RwSignal::new(false),
        busy: RwSignal::new(false),
        narrow: follow_media(NARROW_QUERY),
        params: RwSignal::new(AnalyzeParams { now: initial_now(), ..AnalyzeParams::default() }),
        node: RwSignal::new(None),
        node_files: RwSignal::new(None),
        log: RwSignal::new(None),
        view: RwSignal::new(ViewKind::Monitor),
        latest: StoredValue::new(0),
        client: StoredValue::new_local(None),
        keep: KeepState::new(),
        last_file: StoredValue::new_local(None),
        last_load: StoredValue::new_local(None),
    };
    match WorkerClient::spawn(move |event| state.on_worker_event(event)) {
        Ok(c) => state.client.set_value(Some(c)),
        Err(detail) => state.error.set(Some(Problem::WorkerStopped { detail })),
    }
    // First request of the worker: is a database kept from a previous visit? (Opens it if so.)
    state.send(&Request::KeepStatus { opfs: keep::opfs_allowed() }, None);
    provide_context(state);

    let (dragging, set_dragging) = signal(false);
    // The whole window accepts a drop.
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        if let Some(dt) = ev.data_transfer() {
            crate::folder::dropped_files(&dt, move |files| state.load_files(files));
        }
    };
    let has_dashboard = move || state.analysis.with(Option::is_some) && state.view.get() == ViewKind::Monitor;
    let has_node =
        move || (state.node.with(Option::is_some) || state.node_files.with(Option::is_some)) && state.view.get() == ViewKind::Node;
    let has_log = move || state.log.with(Option::is_some) && state.view.get() == ViewKind::Log;
    let has_any = move || state.analysis.with(Option::is_some) || state.node.with(Option::is_some) || state.log.with(Option::is_some);

    view! {
        <div
            class="app"
            class:dragging=dragging
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragleave=move |ev: web_sys::DragEvent| {
                // Only when the pointer leaves the window, not when it crosses a child.
                if ev.related_target().is_none() {
                    set_dragging.set(false);
                }
            }
            on:drop=on_drop
        >
            <div class="drop-overlay" aria-hidden="true">"Drop the files to analyze them"</div>
            <header class="app-header">
                <h1>"storj-lens"</h1>
                <p class="tagline">"Earnings, success rates and latency of your Storj node: monitor database, node databases or node log"</p>
            </header>
            <main>
                <Landing
                    compact=Signal::derive(move || has_any() || state.node_files.with(Option::is_some) || state.working.with(Option::is_some))
                    on_files=move |f| state.load_files(f)
                    on_demo=move || state.load_demo()
                    on_demo_node=move || state.load_demo_node()
                />
                <KeepSetting
                    keep=state.keep
                    on_toggle=Callback::new(move |on| state.set_keep(on))
                    on_forget=Callback::new(move |()| state.forget())
                />
                {move || state.working.get().map(|w| view! { <ProgressView working=w on_cancel=move || state.cancel() /> })}
                {move || state.error.get().map(|problem| view! {
                    <ErrorPanel problem=problem on_retry=Callback::new(move |()| state.retry()) />
                })}
                <ViewTabs />
                <Show when=has_dashboard>
                    <Dashboard />
                </Show>
                <Show when=has_node>
                    <NodePanel />
                </Show>
                <Show when=has_log>
                    <LogPanel />
                </Show>
            </main>
        </div>
    }
}
