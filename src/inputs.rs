//! The node and log views beside the monitor's dashboard: the tabs when a drop brought several
//! kinds, and each view's frame (the note on what was used, the download). The panels themselves
//! are `node_view` and `log_view`.

use leptos::prelude::*;

use crate::app::{AppState, ViewKind};
use crate::download::save_text;
use crate::log_view::LogView;
use crate::node_view::{NodeFilesPanel, NodeView};

/// One tab per loaded kind, shown when there are two or more.
#[component]
pub fn ViewTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tabs = move || {
        let mut tabs = Vec::new();
        if state.analysis.with(Option::is_some) {
            tabs.push((ViewKind::Monitor, "Monitor database"));
        }
        if state.node.with(Option::is_some) || state.node_files.with(Option::is_some) {
            tabs.push((ViewKind::Node, "Node databases"));
        }
        if state.log.with(Option::is_some) {
            tabs.push((ViewKind::Log, "Node log"));
        }
        tabs
    };
    move || {
        let tabs = tabs();
        (tabs.len() > 1).then(|| {
            view! {
                <nav class="view-tabs" role="tablist" aria-label="What to show" data-testid="view-tabs">
                    {tabs.into_iter().map(|(kind, label)| view! {
                        <button
                            role="tab"
                            class="tab"
                            data-view=format!("{kind:?}").to_lowercase()
                            aria-selected=move || (state.view.get() == kind).to_string()
                            on:click=move |_| state.view.set(kind)
                        >{label}</button>
                    }).collect_view()}
                </nav>
            }
        })
    }
}

#[component]
pub fn NodePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_month = Callback::new(move |month: String| state.node_month(month));
    move || {
        if let Some((files, message)) = state.node_files.get() {
            return view! {
                <div class="error" role="alert" data-testid="error" data-kind="NodeFileMissing">
                    <strong>"A node database is missing. "</strong>{message}
                    <p class="hint">"Drop the missing files too (they are added to these), or choose the node's storage folder."</p>
                </div>
                <NodeFilesPanel files=files />
                <ClearNode />
            }
            .into_any();
        }
        state
            .node
            .get()
            .map(|shown| {
                let json = shown.report_json.clone();
                let name = format!("storj-lens-node-{}.json", shown.report.month);
                view! {
                    {shown.note.map(|n| view! { <p class="card note" data-testid="input-note">{n}</p> })}
                    <NodeView report=shown.report on_month=on_month />
                    <div class="downloads card">
                        <button class="button" data-testid="download-json" on:click=move |_| save_text(&name, "application/json", &json)>
                            "Download report (JSON)"
                        </button>
                        <ClearNode />
                    </div>
                }
            })
            .into_any()
    }
}

/// Forgets the node's files so far.
#[component]
fn ClearNode() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! { <button class="button" data-testid="node-clear" on:click=move |_| state.clear_node()>"Clear the node's files"</button> }
}

#[component]
pub fn LogPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.log.get().map(|shown| {
            let json = shown.report_json.clone();
            view! {
                <LogView report=shown.report />
                <div class="downloads card">
                    <button class="button" data-testid="download-json" on:click=move |_| save_text("storj-lens-log.json", "application/json", &json)>
                        "Download report (JSON)"
                    </button>
                </div>
            }
        })
    }
}
