//! The landing view: drop zone, "Choose file", "Try the demo database". Once a file is loaded it
//! shrinks to one line of the same controls (same test hooks), so another file is one click away.

use leptos::prelude::*;
use web_sys::File;

#[component]
pub fn Landing(compact: Signal<bool>, on_file: impl Fn(File) + Clone + 'static, on_demo: impl Fn() + 'static) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            on_file(file);
        }
        // Let the same file be picked again after an error.
        input.set_value("");
    };
    view! {
        <section class="dropzone" class:compact=compact data-testid="dropzone">
            <p class="drop-title">
                {move || if compact.get() { "Drop another database here, or" } else { "Drop your node monitor database here" }}
            </p>
            <p class="drop-sub" class:hidden=compact>"storj_stats.db, or any SQLite file the storj_monitor wrote"</p>
            <div class="actions">
                <label class="button primary">
                    "Choose file"
                    <input
                        type="file"
                        class="visually-hidden"
                        data-testid="file-input"
                        accept=".db,.sqlite,.sqlite3,application/vnd.sqlite3,application/x-sqlite3"
                        on:change=on_change
                    />
                </label>
                <button class="button" data-testid="demo-button" on:click=move |_| on_demo()>
                    "Try the demo database"
                </button>
            </div>
            <p class="privacy">"Your file never leaves this device: it is analyzed inside your browser."</p>
        </section>
    }
}
