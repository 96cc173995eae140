//! The dashboard: lays out the panels (file card, pickers, summary cards, earnings table and
//! chart, the trends: reputation, storage, hourly, payouts; latency, downloads, diagnostics; one
//! file each) and shows the warnings and the empty state. Every figure comes from [`Analysis`].

use leptos::prelude::*;

use crate::app::AppState;
use crate::charts::EarningsChart;
use crate::controls::{AsOf, Controls};
use crate::diagnostics::Diagnostics;
use crate::downloads::Downloads;
use crate::earnings::EarningsTable;
use crate::file_card::FileCard;
use crate::latency::LatencySection;
use crate::summary_cards::SummaryCards;
use crate::trends::TrendsSection;

#[component]
pub fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let analysis = state.analysis;
    view! {
        <div class="dashboard" aria-busy=move || state.busy.get().to_string()>
            {move || state.file.get().map(|f| view! { <FileCard summary=f><AsOf /></FileCard> })}
            <Controls />
            {move || analysis.with(|a| a.as_ref().map(|a| view! {
                <Warnings warnings=a.warnings.clone() />
                <SummaryCards summary=a.summary.clone() is_current=a.is_current_period all=a.params.node.is_none() />
                {if a.empty {
                    view! { <EmptyState node=a.params.node.clone() period=a.period.clone() /> }.into_any()
                } else {
                    view! {
                        <EarningsTable rows=a.satellites.clone() totals=a.totals.clone() />
                        <section class="card">
                            <h2>"Earnings by satellite"</h2>
                            <EarningsChart rows=a.satellites.clone() />
                        </section>
                    }.into_any()
                }}
            }))}
            <TrendsSection />
            <LatencySection />
            <Downloads />
            // The <details> stays in place (open or closed) while its content follows the analysis.
            <details class="card diagnostics" data-testid="diagnostics">
                {move || analysis.with(|a| a.as_ref().map(|a| view! { <Diagnostics d=a.diagnostics.clone() /> }))}
            </details>
        </div>
    }
}

#[component]
fn Warnings(warnings: Vec<String>) -> impl IntoView {
    (!warnings.is_empty()).then(|| {
        view! {
            <details class="warnings card">
                <summary>{format!("{} warning(s) about odd rows in this file", warnings.len())}</summary>
                <ul>{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </details>
        }
    })
}

#[component]
fn EmptyState(node: Option<String>, period: String) -> impl IntoView {
    let who = node.map_or("any node".to_string(), |n| format!("node {n}"));
    view! {
        <section class="empty card" data-testid="empty">
            <h2>"No events in this month"</h2>
            <p>{format!("The file has no traffic or storage records for {who} in {period}.")}</p>
            <p class="hint">"Pick another month or node above, or drop another file."</p>
        </section>
    }
}
