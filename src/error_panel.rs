//! The error panel: what went wrong, in the page's words for its kind, the engine's details, and
//! what to do next. A stopped worker gets a "Try again" button (the page restarted it already).

use leptos::prelude::*;
use model::protocol::ErrorKind;

/// Why the page shows no figures.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The worker answered the request with an error.
    Failed { kind: ErrorKind, message: String },
    /// The worker died (a trap, out of memory) or garbled a message; `detail` is the browser's.
    WorkerStopped { detail: String },
}

/// The engine's one-line message as a sentence of its own (it starts in lower case).
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[component]
pub fn ErrorPanel(problem: Problem, on_retry: Callback<()>) -> impl IntoView {
    match problem {
        Problem::Failed { kind, message } => view! {
            <div class="error" role="alert" data-testid="error" data-kind=format!("{kind:?}")>
                <strong>{kind.title()}". "</strong>
                {sentence(&message)}
                <p class="hint">{kind.advice()}" Or choose or drop another file to try again."</p>
            </div>
        }
        .into_any(),
        Problem::WorkerStopped { detail } => view! {
            <div class="error" role="alert" data-testid="error" data-kind="WorkerStopped">
                <strong>"The analysis stopped unexpectedly. "</strong>
                "The part of the page that reads files stopped (" {detail} "). It was restarted; nothing was lost on your disk."
                <p class="hint">
                    <button type="button" class="button" data-testid="retry" on:click=move |_| on_retry.run(())>"Try again"</button>
                    " or choose or drop another file."
                </p>
            </div>
        }
        .into_any(),
    }
}
