//! "Keep this database on this device for next time": the opt-in setting (off by default,
//! remembered in `localStorage`), what is kept (name, date, size), "Forget this file", and the
//! message when the browser offers no private storage. The copy itself lives in OPFS and is
//! handled by the worker (`src/worker/keep.rs`).

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use model::format::human_bytes;

const SETTING_KEY: &str = "storj-lens.keep";

/// What the worker said about the kept database.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptInfo {
    pub name: String,
    pub saved_at: f64,
    pub size: u64,
}

/// The setting and what the page knows of the private storage.
#[derive(Clone, Copy)]
pub struct KeepState {
    /// The user's setting (off by default).
    pub enabled: RwSignal<bool>,
    /// `None` until the worker answered; `Some(Err(reason))` when the storage is unusable.
    pub available: RwSignal<Option<Result<(), String>>>,
    pub kept: RwSignal<Option<KeptInfo>>,
    /// The file on screen was opened from the kept copy saved at this time.
    pub opened_from: RwSignal<Option<f64>>,
    /// The last file could not be kept (quota…).
    pub failed: RwSignal<Option<String>>,
    /// The first status of the page was handled (only that one opens the kept file).
    pub started: StoredValue<bool>,
}

impl KeepState {
    pub fn new() -> Self {
        KeepState {
            enabled: RwSignal::new(load_setting()),
            available: RwSignal::new(None),
            kept: RwSignal::new(None),
            opened_from: RwSignal::new(None),
            failed: RwSignal::new(None),
            started: StoredValue::new(false),
        }
    }

    /// The page's request to keep the file it sends now.
    pub fn wants_keep(&self) -> bool {
        self.enabled.get_untracked() && matches!(self.available.get_untracked(), Some(Ok(())) | None)
    }
}

/// `?opfs=off` simulates a browser without private storage (tests, or to opt out for a visit).
pub fn opfs_allowed() -> bool {
    crate::app::query_parameter("opfs").as_deref() != Some("off")
}

fn storage() -> Option<JsValue> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &"localStorage".into()).ok().filter(|s| !s.is_null() && !s.is_undefined())
}

fn call(storage: &JsValue, method: &str, args: &[&str]) -> Option<JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(storage, &method.into()).ok()?.dyn_into().ok()?;
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    f.apply(storage, &args).ok()
}

fn load_setting() -> bool {
    storage().and_then(|s| call(&s, "getItem", &[SETTING_KEY])).and_then(|v| v.as_string()).as_deref() == Some("on")
}

pub fn save_setting(on: bool) {
    if let Some(s) = storage() {
        let _ = call(&s, "setItem", &[SETTING_KEY, if on { "on" } else { "off" }]);
    }
}

/// A date in the reader's locale, e.g. "25 Nov 2026, 13:40".
pub fn local_date(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string("default", &options).as_string().unwrap_or_default()
}

#[component]
pub fn KeepSetting(keep: KeepState, on_toggle: Callback<bool>, on_forget: Callback<()>) -> impl IntoView {
    let unavailable = move || keep.available.with(|a| matches!(a, Some(Err(_))));
    view! {
        <section class="keep" data-testid="keep">
            <label class="keep-toggle">
                <input
                    type="checkbox"
                    data-testid="keep-toggle"
                    prop:checked=move || keep.enabled.get()
                    prop:disabled=unavailable
                    on:change=move |ev| on_toggle.run(event_target_checked(&ev))
                />
                " Keep this database on this device for next time"
            </label>
            <p class="keep-note">
                "A copy stays in this browser's private storage, is never uploaded, and opens by itself on your next visit."
            </p>
            {move || keep.available.get().and_then(Result::err).map(|reason| view! {
                <p class="keep-unavailable" data-testid="keep-unavailable" role="status">
                    "This browser cannot keep files here (" {reason} "): files are analyzed in memory only."
                </p>
            })}
            {move || keep.failed.get().map(|message| view! {
                <p class="keep-failed" data-testid="keep-failed" role="status">{message}</p>
            })}
            {move || keep.kept.get().map(|k| {
                let opened = keep.opened_from.get() == Some(k.saved_at);
                view! {
                    <p class="kept" data-testid="kept">
                        {if opened { "Showing " } else { "Kept on this device: " }}
                        <strong data-testid="kept-name">{k.name.clone()}</strong>
                        " (" {human_bytes(k.size)} ")"
                        <span data-testid="kept-from">{format!(", {} {}", if opened { "kept from" } else { "saved" }, local_date(k.saved_at))}</span>
                        " "
                        <button class="button small" data-testid="forget" on:click=move |_| on_forget.run(())>
                            "Forget this file"
                        </button>
                    </p>
                }
            })}
        </section>
    }
}
