//! The storj-lens page: Leptos (CSR) components, one file per panel. It runs no SQL and computes
//! no figure: it sends typed requests to the worker (`crates/worker`) and renders the
//! view-model it answers with. Its only project dependency is `model`, so its wasm links no
//! SQLite (ARCHITECTURE.md).
//!
//! Everything here is browser code, compiled for wasm32 only; natively `main` is empty so that
//! `cargo test` of the workspace builds.

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod charts;
#[cfg(target_arch = "wasm32")]
mod controls;
#[cfg(target_arch = "wasm32")]
mod dashboard;
#[cfg(target_arch = "wasm32")]
mod diagnostics;
#[cfg(target_arch = "wasm32")]
mod download;
#[cfg(target_arch = "wasm32")]
mod downloads;
#[cfg(target_arch = "wasm32")]
mod earnings;
#[cfg(target_arch = "wasm32")]
mod error_panel;
#[cfg(target_arch = "wasm32")]
mod file_card;
#[cfg(target_arch = "wasm32")]
mod folder;
#[cfg(target_arch = "wasm32")]
mod hourly;
#[cfg(target_arch = "wasm32")]
mod inputs;
#[cfg(target_arch = "wasm32")]
mod keep;
#[cfg(target_arch = "wasm32")]
mod landing;
#[cfg(target_arch = "wasm32")]
mod latency;
#[cfg(target_arch = "wasm32")]
mod log_view;
#[cfg(target_arch = "wasm32")]
mod node_view;
#[cfg(target_arch = "wasm32")]
mod payouts;
#[cfg(target_arch = "wasm32")]
mod progress;
#[cfg(target_arch = "wasm32")]
mod reputation;
#[cfg(target_arch = "wasm32")]
mod storage;
#[cfg(target_arch = "wasm32")]
mod summary_cards;
#[cfg(target_arch = "wasm32")]
mod tips;
#[cfg(target_arch = "wasm32")]
mod trend_charts;
#[cfg(target_arch = "wasm32")]
mod trends;
#[cfg(target_arch = "wasm32")]
mod worker_client;

#[cfg(target_arch = "wasm32")]
fn main() {
    app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
