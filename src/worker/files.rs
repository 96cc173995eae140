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
#[allow(dead_code)] // the worker streams with [`FileChunks`]; kept for whole-file reads
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

/// The file as a sequential reader: each `read` copies one slice of the `File` (read with
/// `FileReaderSync`) into the caller's buffer, so the whole file is never held in wasm memory
/// before SQLite's copy (the streaming load of `engine::db::load_read`).
pub struct FileChunks {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
    at: f64,
    size: f64,
}

impl FileChunks {
    pub fn open(file: &web_sys::File) -> Result<FileChunks, ReadError> {
        let size = file.size();
        if size > MAX_FILE_BYTES {
            return Err(ReadError::TooLarge { size, max: MAX_FILE_BYTES });
        }
        let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
        Ok(FileChunks { file: file.clone(), reader, at: 0.0, size })
    }

    pub fn size(&self) -> u64 {
        self.size as u64
    }
}

impl std::io::Read for FileChunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (buf.len() as f64).min(self.size - self.at);
        if n <= 0.0 {
            return Ok(0);
        }
        let io = |e: ReadError| std::io::Error::other(e.to_string());
        let blob = self.file.slice_with_f64_and_f64(self.at, self.at + n).map_err(|e| io(js_error(e)))?;
        let buffer = self.reader.read_as_array_buffer(&blob).map_err(|e| io(js_error(e)))?;
        let array = js_sys::Uint8Array::new(&buffer);
        let got = array.length() as usize;
        if got == 0 {
            return Ok(0);
        }
        let got = got.min(buf.len());
        array.subarray(0, got as u32).copy_to(&mut buf[..got]);
        self.at += got as f64;
        Ok(got)
    }
}
