// Starts the storj-lens worker: Trunk builds it as a no-modules script plus its wasm.
// Relative URLs resolve against this script's own URL, so sub-path hosting works.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
