//! The file card's "as of" line and the pickers: node, month, "now".

use leptos::prelude::*;

use crate::app::AppState;
use model::format::instant;
use model::view::NowMode;

/// "As of ..." and the switch between the file's newest record and the current time.
#[component]
pub fn AsOf() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let mode = match event_target_value(&ev).as_str() {
            "current" => NowMode::Current,
            "file" => NowMode::File,
            _ => return,
        };
        // Another now: show the month of the new now.
        state.reanalyze(|p| {
            p.now = mode;
            p.period = None;
        });
    };
    view! {
        <div class="as-of">
            {move || state.analysis.with(|a| a.as_ref().map(|a| view! {
                <p>"As of " <strong data-testid="as-of" data-now=a.now_iso.clone()>{instant(&a.now_iso)}</strong></p>
            }))}
            <label>
                <span class="label">"“Now” is "</span>
                <select data-testid="now-select" on:change=on_change>
                    {move || {
                        let (mode, file_now) = state.analysis.with(|a| {
                            a.as_ref().map_or((NowMode::File, None), |a| (a.params.now, a.file_now_iso.clone()))
                        });
                        let file_label = match file_now {
                            Some(_) => "the newest record in the file".to_string(),
                            None => "the newest record (none: the clock)".to_string(),
                        };
                        view! {
                            <option value="file" selected=mode == NowMode::File>{file_label}</option>
                            <option value="current" selected=mode == NowMode::Current>"the current time"</option>
                            {matches!(mode, NowMode::At(_)).then(|| view! {
                                <option value="at" selected=true>"fixed by the address (?now=…)"</option>
                            })}
                        }
                    }}
                </select>
            </label>
        </div>
    }
}
/// Node and period pickers.
#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let nodes = state.slice(|a| (a.nodes.clone(), a.params.node.clone()));
    let periods = state.slice(|a| (a.periods.clone(), a.period.clone()));
    let on_node = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.reanalyze(|p| p.node = (!v.is_empty()).then_some(v));
    };
    let on_period = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        state.reanalyze(|p| p.period = Some(v));
    };
    view! {
        <div class="controls card">
            <label>
                <span class="label">"Node"</span>
                <select data-testid="node-select" on:change=on_node>
                    {move || nodes.get().map(|(nodes, current)| {
                        view! {
                            <option value="" selected=current.is_none()>{format!("All nodes ({})", nodes.len())}</option>
                            {nodes.into_iter().map(|n| {
                                let selected = current.as_deref() == Some(n.as_str());
                                view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                            }).collect_view()}
                        }
                    })}
                </select>
            </label>
            <label>
                <span class="label">"Month"</span>
                <select data-testid="period-select" on:change=on_period>
                    {move || periods.get().map(|(periods, current)| {
                        periods.into_iter().map(|p| {
                            let selected = p == current;
                            let label = p.clone();
                            view! { <option value=p selected=selected>{label}</option> }
                        }).collect_view()
                    })}
                </select>
            </label>
            <span class="busy" class:on=move || state.busy.get() role="status" data-testid="busy">
                {move || if state.busy.get() { "Updating…" } else { "" }}
            </span>
        </div>
    }
}
