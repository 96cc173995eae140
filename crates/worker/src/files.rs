//! Reading a `File` inside the worker.

use wasm_bindgen::JsValue;

/// Largest file the browser copy can hold. A tab's WebAssembly memory stops at 4 GiB and the
/// engine's copy plus its indexes need about 2.6x the file (measured: 2,543 MiB for a 1.0 GB
/// file, 570 MiB for 230 MB, BENCHMARKS.md), so 1.25 GiB (about 3.3 GiB with the indexes) is
/// refused early (`EngineError::TooLarge`, checked by the session) rather than failing halfway.
pub const MAX_FILE_BYTES: u64 = 5 << 28;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the browser could not read the file: {0}")]
    Browser(String),
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
    /// The last slice read from the file (outside wasm memory) and its offset: the browser
    /// reads [`SLICE_BYTES`] at a time, fewer and larger reads than the caller's buffer.
    slice: Option<(f64, js_sys::Uint8Array)>,
    /// Bytes per `FileReaderSync` read.
    slice_bytes: f64,
}

/// Bytes per `FileReaderSync` read (a JS buffer, not wasm memory).
const SLICE_BYTES: f64 = 32.0 * 1024.0 * 1024.0;

thread_local! {
    /// Milliseconds spent reading the `File` since [`FileChunks::open`] (for the stage timings).
    static READ_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Time spent in the browser's `File` reads of the last streaming load.
pub fn read_ms() -> f64 {
    READ_MS.with(|c| c.get())
}

fn clock_ms() -> f64 {
    use wasm_bindgen::JsCast;
    js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

impl FileChunks {
    pub fn open(file: &web_sys::File) -> Result<FileChunks, ReadError> {
        let size = file.size();
        let reader = web_sys::FileReaderSync::new().map_err(js_error)?;
        READ_MS.with(|c| c.set(0.0));
        Ok(FileChunks { file: file.clone(), reader, at: 0.0, size, slice: None, slice_bytes: SLICE_BYTES })
    }

    /// Smaller browser reads, for a reader that reports progress between them (a log).
    pub fn with_slice_bytes(mut self, bytes: f64) -> FileChunks {
        self.slice_bytes = bytes;
        self
    }

    pub fn size(&self) -> u64 {
        self.size as u64
    }
}

impl std::io::Read for FileChunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at >= self.size || buf.is_empty() {
            return Ok(0);
        }
        let fresh = match &self.slice {
            Some((from, array)) => self.at < *from || self.at >= *from + array.length() as f64,
            None => true,
        };
        if fresh {
            let t = clock_ms();
            let io = |e: ReadError| std::io::Error::other(e.to_string());
            let end = (self.at + self.slice_bytes).min(self.size);
            let blob = self.file.slice_with_f64_and_f64(self.at, end).map_err(|e| io(js_error(e)))?;
            let buffer = self.reader.read_as_array_buffer(&blob).map_err(|e| io(js_error(e)))?;
            self.slice = Some((self.at, js_sys::Uint8Array::new(&buffer)));
            READ_MS.with(|c| c.set(c.get() + clock_ms() - t));
        }
        let (from, array) = self.slice.as_ref().expect("a slice was just read");
        let start = (self.at - from) as u32;
        let got = (array.length() - start).min(buf.len() as u32);
        if got == 0 {
            return Ok(0);
        }
        array.subarray(start, start + got).copy_to(&mut buf[..got as usize]);
        self.at += got as f64;
        Ok(got as usize)
    }
}
