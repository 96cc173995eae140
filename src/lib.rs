pub mod dashboard;
pub mod demo;
pub mod engine;
pub mod format;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
