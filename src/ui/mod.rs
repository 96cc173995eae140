//! The Leptos (CSR) user interface. It never runs SQL: it talks to the worker.

mod landing;
mod progress;
mod summary;
mod worker_client;

use leptos::prelude::*;
use web_sys::File;

use crate::protocol::{FileSummary, Request, Response, Stage};
use landing::Landing;
use progress::ProgressView;
use summary::SummaryView;
use worker_client::WorkerClient;

/// What the page is showing.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    Working { stage: Stage, done: Option<u64>, total: Option<u64> },
    Loaded(FileSummary),
    Failed(String),
}

impl Phase {
    /// The phase after the worker's `response`; `Ready` changes nothing.
    fn after(self, response: Response) -> Phase {
        match response {
            Response::Ready => self,
            Response::Progress { stage, done, total } => Phase::Working { stage, done, total },
            Response::Loaded(summary) => Phase::Loaded(summary),
            Response::Error { message } => Phase::Failed(message),
        }
    }
}

pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    let (phase, set_phase) = signal(Phase::Idle);
    let (dragging, set_dragging) = signal(false);
    let client = StoredValue::new_local(None::<WorkerClient>);
    match WorkerClient::spawn(move |response| set_phase.update(|p| *p = p.clone().after(response))) {
        Ok(c) => client.set_value(Some(c)),
        Err(message) => set_phase.set(Phase::Failed(message)),
    }

    let load_file = move |file: File| {
        set_phase.set(Phase::Working { stage: Stage::Reading, done: None, total: None });
        let request = Request::LoadFile { name: file.name(), size: file.size() as u64 };
        client.with_value(|c| c.as_ref().map(|c| c.send(&request, Some(&file))));
    };
    let load_demo = move || {
        set_phase.set(Phase::Working { stage: Stage::Generating, done: None, total: None });
        client.with_value(|c| c.as_ref().map(|c| c.send(&Request::LoadDemo, None)));
    };

    // The whole window accepts a drop.
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        let file = ev.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0));
        if let Some(file) = file {
            load_file(file);
        }
    };

    view! {
        <div
            class="app"
            class:dragging=dragging
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                set_dragging.set(true);
            }
            on:dragleave=move |_| set_dragging.set(false)
            on:drop=on_drop
        >
            <header class="app-header">
                <h1>"storj-lens"</h1>
                <p class="tagline">"Earnings and latency analytics for your Storj node monitor database"</p>
            </header>
            <main>
                <Landing on_file=load_file on_demo=load_demo />
                {move || match phase.get() {
                    Phase::Idle => ().into_any(),
                    Phase::Working { stage, done, total } => view! { <ProgressView stage done total /> }.into_any(),
                    Phase::Loaded(summary) => view! { <SummaryView summary /> }.into_any(),
                    Phase::Failed(message) => view! {
                        <div class="error" role="alert" data-testid="error">
                            <strong>"This file cannot be analyzed. "</strong>
                            {message}
                            <p class="hint">"Choose or drop another file to try again."</p>
                        </div>
                    }.into_any(),
                }}
            </main>
        </div>
    }
}
