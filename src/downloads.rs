//! The downloads: the full JSON report (the CLI's document) and each table as CSV.

use leptos::prelude::*;

use crate::app::AppState;
use crate::download::save_text;
use model::view::{download_name, earnings_csv, histogram_csv, latency_csv, slow_csv, Analysis, LatencyPanel};

#[component]
pub fn Downloads() -> impl IntoView {
    let state = expect_context::<AppState>();
    let save_csv = move |what: &'static str, make: fn(&Analysis) -> String| {
        state.analysis.with_untracked(|a| {
            if let Some(a) = a {
                save_text(&download_name(what, a, "csv"), "text/csv", &make(a));
            }
        })
    };
    let save_json = move |_| state.download_report();
    let no_latency = move || state.analysis.with(|a| !matches!(a.as_ref().map(|a| &a.latency), Some(LatencyPanel::Ready(_))));
    view! {
        <section class="card downloads">
            <h2>"Downloads"</h2>
            <div class="actions left">
                <button class="button primary" data-testid="download-json" on:click=save_json
                    disabled=move || state.preparing_report.get() || state.analysis.with(Option::is_none)
                    title="The full report, the same JSON as `storj-lens analyze FILE --now …` prints">
                    {move || if state.preparing_report.get() { "Preparing the report…" } else { "Download report (JSON)" }}
                </button>
                <button class="button" data-testid="download-earnings-csv" on:click=move |_| save_csv("earnings", earnings_csv)>
                    "Earnings table (CSV)"
                </button>
                <button class="button" data-testid="download-latency-csv" disabled=no_latency on:click=move |_| save_csv("latency", latency_csv)>
                    "Latency table (CSV)"
                </button>
                <button class="button" data-testid="download-histogram-csv" disabled=no_latency on:click=move |_| save_csv("histogram", histogram_csv)>
                    "Histogram (CSV)"
                </button>
                <button class="button" data-testid="download-slow-csv" disabled=no_latency on:click=move |_| save_csv("slow-operations", slow_csv)>
                    "Slowest operations (CSV)"
                </button>
            </div>
        </section>
    }
}
