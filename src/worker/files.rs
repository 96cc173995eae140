//! Reading a `File` inside the worker.

use wasm_bindgen::JsValue;

/// Largest file the browser copy can hold: wasm32 memory tops out at 4 GiB and the file is
/// briefly held twice (JS buffer and SQLite's copy), so refuse early with a clear message.
pub const MAX_FILE_BYTES: f64 = 1.5 * 1024.0 * 1024.0 * 1024.0;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file is too large for the browser ({size:.0} bytes; at most {max:.0} bytes can be analyzed here — use the storj-lens command line for larger files)")]
    TooLarge { size: f64, max: f64 },
    #[error("the browser could not read the file: {0}")]
    Browser(String),
}

/// Reads the whole file synchronously (allowed in workers; faster than the async reader).
pub fn read_file(file: &web_sys::File) -> Result<Vec<u8>, ReadError> {
    let size = file.size();
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { size, max: MAX_FILE_BYTES });
    }
    let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
    let buffer = reader.read_as_array_buffer(file).map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn js_error(e: JsValue) -> ReadError {
    ReadError::Browser(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}
