//! Progress of a load: the stages, the current one highlighted, a bar where the amount is known.
//! A log has one stage: bytes read of the total, lines so far and the reading speed.

use leptos::prelude::*;

use crate::app::{now_ms, Working};
use model::format::human_bytes;
use model::protocol::Stage;

#[component]
pub fn ProgressView(working: Working, on_cancel: impl Fn() + 'static) -> impl IntoView {
    let Working { stage, done, total, lines, since_ms } = working;
    let fraction = match (done, total) {
        (Some(d), Some(t)) if t > 0 => Some(d as f64 / t as f64),
        _ => None,
    };
    let amount = match (stage, done, total) {
        (Stage::Reading, Some(d), Some(t)) => Some(format!("{} of {}", human_bytes(d), human_bytes(t))),
        _ => None,
    };
    let log_line = lines.map(|lines| {
        let seconds = (now_ms() - since_ms) / 1000.0;
        let speed = match done {
            Some(d) if seconds > 0.05 => format!(", {:.0} MB/s", d as f64 / 1e6 / seconds),
            _ => String::new(),
        };
        format!("{} lines{speed}", model::format::group_thousands(lines))
    });
    view! {
        <div class="progress" data-testid="progress" role="status" aria-live="polite">
            {match log_line {
                Some(_) => None,
                None => Some(view! {
                    <ol class="stages">
                        {Stage::ALL.into_iter().map(|s| {
                            let state = if s.step() < stage.step() { "done" } else if s.step() == stage.step() { "current" } else { "todo" };
                            let label = if s == Stage::Reading && stage == Stage::Generating { Stage::Generating.label() } else { s.label() };
                            view! { <li class=state aria-current=(state == "current").then_some("step")>{label}</li> }
                        }).collect_view()}
                    </ol>
                }),
            }}
            <span class="stage">
                {if lines.is_some() { "Reading the log" } else { stage.label() }} "…" {amount.map(|a| format!(" {a}"))}
                {log_line.map(|l| view! { <span class="log-lines" data-testid="progress-lines">{format!(" — {l}")}</span> })}
            </span>
            {match fraction {
                Some(f) => view! { <progress max="1" value=f.to_string()></progress> }.into_any(),
                None => view! { <progress></progress> }.into_any(),
            }}
            <button class="button small" data-testid="cancel" on:click=move |_| on_cancel()>"Cancel"</button>
        </div>
    }
}
