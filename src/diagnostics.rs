//! The diagnostics panel: the worker's stage timings, the engine's, the indexes and the caches.

use leptos::prelude::*;

use model::format::{count, duration_ms, percent};
use model::view::DiagnosticsView;

#[component]
pub fn Diagnostics(d: DiagnosticsView) -> impl IntoView {
    let timing_rows = |ts: Vec<model::view::Timing>| {
        ts.into_iter().map(|t| view! { <tr><td>{t.stage}</td><td class="num">{duration_ms(t.ms)}</td></tr> }).collect_view()
    };
    view! {
        <summary>"Diagnostics " <small class="muted">{format!("SQLite {} · this request {}", d.sqlite_version, duration_ms(d.request_ms))}</small></summary>
            <div class="diag-grid">
                <div>
                    <h3>"Stages (worker)"</h3>
                    <table><tbody>{timing_rows(d.stages)}</tbody></table>
                    <h3>"Engine (full report)"</h3>
                    <table><tbody>{timing_rows(d.engine)}</tbody></table>
                </div>
                <div>
                    <h3>"Indexes"</h3>
                    <table>
                        <thead><tr><th scope="col">"Index"</th><th scope="col">"Status"</th><th scope="col" class="num">"Time"</th></tr></thead>
                        <tbody>{d.indexes.into_iter().map(|i| view! {
                            <tr><td class="mono">{i.name}</td><td>{if i.created { "created" } else { "already there" }}</td><td class="num">{duration_ms(i.ms)}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    <h3>"Caches"</h3>
                    <table>
                        <thead><tr><th scope="col">"Cache"</th><th scope="col" class="num">"Hits"</th><th scope="col" class="num">"Misses"</th><th scope="col" class="num">"Hit rate"</th></tr></thead>
                        <tbody>{d.caches.into_iter().map(|c| {
                            let rate = c.hit_rate().map_or("—".to_string(), percent);
                            view! { <tr><td>{c.name}</td><td class="num">{count(c.hits)}</td><td class="num">{count(c.misses)}</td><td class="num">{rate}</td></tr> }
                        }).collect_view()}</tbody>
                    </table>
                    <p class="muted">{format!("SQLite {}", d.sqlite_version)}</p>
                </div>
            </div>
    }
}
