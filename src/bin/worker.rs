//! Wasm entry point of the Web Worker (built by Trunk with `data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    storj_lens::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
