//! The landing view: drop zone, "Choose files", "Choose folder" (Chromium), and the two demos.
//! Once something is loaded it shrinks to one line of the same controls (same test hooks), so
//! another file is one click away. What can be dropped is said here: the monitor's database, the
//! node's database files (several at once, or their folder) and the node's log.

use leptos::prelude::*;
use web_sys::File;

use crate::folder::{can_pick_folder, pick_folder};

#[component]
pub fn Landing(
    compact: Signal<bool>,
    on_files: impl Fn(Vec<File>) + Clone + Send + Sync + 'static,
    on_demo: impl Fn() + 'static,
    on_demo_node: impl Fn() + 'static,
) -> impl IntoView {
    let (folder_error, set_folder_error) = signal(None::<String>);
    let on_input = on_files.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(list) = input.files() {
            on_input((0..list.length()).filter_map(|i| list.get(i)).collect());
        }
        // Let the same file be picked again after an error.
        input.set_value("");
    };
    let on_folder = move |_| {
        let on_files = on_files.clone();
        set_folder_error.set(None);
        leptos::task::spawn_local(async move {
            match pick_folder().await {
                Ok(Some(files)) if files.is_empty() => set_folder_error.set(Some(
                    "That folder holds none of the node's database files (bandwidth.db, heldamount.db, …), nor does its storage subfolder."
                        .into(),
                )),
                Ok(Some(files)) => on_files(files),
                Ok(None) => {}
                Err(e) => set_folder_error.set(Some(format!("The folder could not be read: {e}"))),
            }
        });
    };
    view! {
        <section class="dropzone" class:compact=compact data-testid="dropzone">
            <p class="drop-title">
                {move || if compact.get() { "Drop other files here, or" } else { "Drop your node's files here" }}
            </p>
            <ul class="drop-sub" class:hidden=compact>
                <li>"the node monitor's database, " <code>"storj_stats.db"</code></li>
                <li>"the node's own databases from its storage folder (" <code>"bandwidth.db"</code> ", " <code>"heldamount.db"</code> ", … several at once, or the folder)"</li>
                <li>"the node's log (" <code>"docker logs storagenode > node.log"</code> ", plain or .gz)"</li>
            </ul>
            <div class="actions">
                <label class="button primary">
                    "Choose files"
                    <input
                        type="file"
                        multiple
                        class="visually-hidden"
                        data-testid="file-input"
                        accept=".db,.db-wal,.sqlite,.sqlite3,.log,.txt,.gz,application/vnd.sqlite3,application/x-sqlite3,text/plain,application/gzip"
                        on:change=on_change
                    />
                </label>
                {can_pick_folder().then(|| view! {
                    <button class="button" data-testid="folder-button" on:click=on_folder>"Choose folder"</button>
                })}
                <button class="button" data-testid="demo-button" on:click=move |_| on_demo()>
                    "Try the demo database"
                </button>
                <button class="button" data-testid="demo-node-button" on:click=move |_| on_demo_node()>
                    "Try a demo node"
                </button>
            </div>
            {move || folder_error.get().map(|e| view! { <p class="folder-error" role="alert">{e}</p> })}
            <p class="privacy">"Your files never leave this device: they are analyzed inside your browser, and never changed."</p>
        </section>
    }
}
