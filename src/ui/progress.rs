//! Progress of the current stage, with a bar where the amount is known.

use leptos::prelude::*;

use crate::protocol::Stage;

#[component]
pub fn ProgressView(stage: Stage, done: Option<u64>, total: Option<u64>) -> impl IntoView {
    let fraction = match (done, total) {
        (Some(d), Some(t)) if t > 0 => Some(d as f64 / t as f64),
        _ => None,
    };
    view! {
        <div class="progress" data-testid="progress" role="status" aria-live="polite">
            <span class="stage">{stage.label()} "…"</span>
            {match fraction {
                Some(f) => view! { <progress max="1" value=f.to_string()></progress> }.into_any(),
                None => view! { <progress></progress> }.into_any(),
            }}
        </div>
    }
}
