//! Wasm entry point of the page (built by Trunk with `data-type="main"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    storj_lens::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
