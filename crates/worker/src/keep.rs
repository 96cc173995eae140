//! "Keep the last database": an opt-in copy of the loaded file in the browser's private storage
//! (the Origin Private File System, through `sqlite-wasm-vfs`'s `sahpool`), so the next visit
//! reopens it without a drop.
//!
//! What is stored: the **original bytes** of the user's file, byte for byte, never the analysed
//! copy. Why not the indexed copy: the original is smaller (the four indexes add to it, and
//! storage quota is the limit that bites), it passes through the worker anyway while the file is
//! read ([`Tee`] writes each slice SQLite's loader reads into the slot as well: no extra copy,
//! whereas saving the indexed copy would need `sqlite3_serialize`, a second full-size buffer),
//! and a reopen then takes exactly the path of a dropped file (hardened in-memory copy, single
//! pass, copy of recent rows), so a kept file can never differ from the same file dropped
//! again.
//! The user's own file is never written: only this copy in OPFS.
//!
//! Layout in the pool: two database slots (`kept-a.db`, `kept-b.db`) and `kept.json` (name,
//! saved_at, size, slot). A new file goes into the free slot while the current one stays; only
//! when its analysis succeeded does `kept.json` point to it and the old slot is removed. A file
//! that fails to load is discarded and the previous kept file survives.
//!
//! The pool is installed once per worker, on the page's first `KeepStatus`; the connection
//! itself never uses the VFS (it is not the default VFS): a reopen exports the bytes and loads
//! them like a dropped file.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use serde::{Deserialize, Serialize};
use std::io::Read;

use sqlite_wasm_rs::vfs::transfer::{DbExport, DbImport, DbTransfer};
use sqlite_wasm_rs::vfs::VfsFilesManager;
use sqlite_wasm_rs::WasmOsCallback;
use sqlite_wasm_vfs::sahpool::{install, OpfsSAHError, OpfsSAHPoolCfgBuilder, OpfsSAHPoolUtil};

use model::format::human_bytes;
use model::protocol::Response;

const META: &str = "kept.json";
const SLOTS: [&str; 2] = ["kept-a.db", "kept-b.db"];
/// An install that takes longer than this (a stuck storage backend) counts as unavailable.
const INSTALL_TIMEOUT_MS: u32 = 5_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    name: String,
    saved_at: f64,
    size: u64,
    slot: usize,
}

enum Pool {
    NotStarted,
    Installing,
    Ready(OpfsSAHPoolUtil),
    Unavailable(String),
}

thread_local! {
    static POOL: RefCell<Pool> = const { RefCell::new(Pool::NotStarted) };
}

/// True while the pool is being installed: the worker queues requests meanwhile.
pub fn installing() -> bool {
    POOL.with(|p| matches!(*p.borrow(), Pool::Installing))
}

/// True once `KeepStatus` was handled (or is being handled).
pub fn started() -> bool {
    POOL.with(|p| !matches!(*p.borrow(), Pool::NotStarted))
}

/// Installs the pool (once; `opfs = false` simulates a browser without OPFS), then calls `done`
/// with the status to post. Requests arriving meanwhile wait in the worker (see [`installing`]).
pub fn status(opfs: bool, done: impl FnOnce(Response) + 'static) {
    if started() && !installing() {
        return done(current_status());
    }
    if installing() {
        // A second KeepStatus during the install: answered when the queue drains.
        return;
    }
    if !opfs {
        set(Pool::Unavailable("storage switched off by the page's ?opfs=off test flag".into()));
        return done(current_status());
    }
    set(Pool::Installing);
    wasm_bindgen_futures::spawn_local(async move {
        let cfg = OpfsSAHPoolCfgBuilder::new().vfs_name("storj-lens-keep").directory(".storj-lens-keep").initial_capacity(4).build();
        let mut last = String::new();
        // A worker that was just restarted may find the previous worker's access handles still
        // held for a moment: retry a few times before giving up.
        let mut outcome = None;
        for attempt in 0..4 {
            if attempt > 0 {
                gloo_timers::future::TimeoutFuture::new(150 * attempt).await;
            }
            match with_timeout(install::<WasmOsCallback>(&cfg, false), INSTALL_TIMEOUT_MS).await {
                Some(Ok(util)) => {
                    outcome = Some(util);
                    break;
                }
                Some(Err(e)) => {
                    last = describe(&e);
                    if matches!(e, OpfsSAHError::NotSupported) {
                        break;
                    }
                }
                None => {
                    last = "the browser's storage did not answer".into();
                    break;
                }
            }
        }
        match outcome {
            Some(util) => {
                set(Pool::Ready(util));
                tidy();
            }
            None => set(Pool::Unavailable(last)),
        }
        done(current_status());
    });
}

fn set(pool: Pool) {
    POOL.with(|p| *p.borrow_mut() = pool);
}

fn with_pool<T>(f: impl FnOnce(&OpfsSAHPoolUtil) -> T) -> Option<T> {
    POOL.with(|p| match &*p.borrow() {
        Pool::Ready(util) => Some(f(util)),
        _ => None,
    })
}

async fn with_timeout<T>(future: impl Future<Output = T>, ms: u32) -> Option<T> {
    let mut future = Box::pin(future);
    let mut timer = gloo_timers::future::TimeoutFuture::new(ms);
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(v) = future.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        if Pin::new(&mut timer).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

fn describe(e: &OpfsSAHError) -> String {
    match e {
        OpfsSAHError::NotSupported => "this browser offers no private file storage here (private window, or not a secure context)".into(),
        e if is_quota(e) => "the browser's storage is full".into(),
        e => {
            let text = e.to_string();
            if text.contains("NoModificationAllowed") || text.contains("InvalidState") {
                "another tab of storj-lens is using the storage".into()
            } else {
                text
            }
        }
    }
}

fn is_quota(e: &OpfsSAHError) -> bool {
    // Over the quota Chromium's `FileSystemSyncAccessHandle.write` does not always throw
    // `QuotaExceededError`: it may report a short (even nonsensical) count instead.
    if matches!(e, OpfsSAHError::ShortIo { operation: "write file", .. }) {
        return true;
    }
    if let OpfsSAHError::Cleanup { error, .. } = e {
        return is_quota(error);
    }
    let text = e.to_string();
    text.contains("QuotaExceeded") || text.contains("SQLITE_FULL") || text.contains("disk is full")
}

fn read_meta(util: &OpfsSAHPoolUtil) -> Option<Meta> {
    if !util.contains(META).ok()? {
        return None;
    }
    let bytes = util.export_db(META).ok()?;
    let meta: Meta = serde_json::from_slice(&bytes).ok()?;
    (meta.slot < SLOTS.len() && util.contains(SLOTS[meta.slot]).ok()?).then_some(meta)
}

/// Removes slots that `kept.json` does not point to (a load that was cancelled half-way).
fn tidy() {
    with_pool(|util| {
        let current = read_meta(util).map(|m| m.slot);
        if current.is_none() {
            let _ = util.remove(META);
        }
        for (i, slot) in SLOTS.iter().enumerate() {
            if Some(i) != current {
                let _ = util.remove(slot);
            }
        }
    });
}

/// `Kept`, `NoneKept` or `KeepUnavailable`.
pub fn current_status() -> Response {
    POOL.with(|p| match &*p.borrow() {
        Pool::Ready(util) => match read_meta(util) {
            Some(Meta { name, saved_at, size, .. }) => Response::Kept { name, saved_at, size },
            None => Response::NoneKept,
        },
        Pool::Unavailable(reason) => Response::KeepUnavailable { reason: reason.clone() },
        Pool::NotStarted | Pool::Installing => Response::KeepUnavailable { reason: "the storage is not ready".into() },
    })
}

/// A copy written into the free slot, not yet the kept file (see [`commit`]).
pub struct Staged(usize);

/// The pool's handle, for a [`Tee`] or a [`KeptReader`] (cheap: a reference count).
pub fn pool() -> Option<OpfsSAHPoolUtil> {
    with_pool(OpfsSAHPoolUtil::clone)
}

type Import<'a> = DbImport<<OpfsSAHPoolUtil as DbTransfer>::Target<'a>>;

/// A reader that copies every slice SQLite's loader reads from the file into the free slot of
/// the pool: the file is read once and never held whole in memory for keeping it.
pub struct Tee<'a, R> {
    inner: R,
    import: Option<Import<'a>>,
    slot: usize,
    len: u64,
    error: Option<String>,
}

impl<'a, R: Read> Tee<'a, R> {
    /// Starts a copy of `len` bytes into the free slot. On error the reader still works (the
    /// analysis goes on) and [`Tee::finish`] reports why the file was not kept.
    pub fn new(util: &'a OpfsSAHPoolUtil, inner: R, len: u64) -> Tee<'a, R> {
        let current = read_meta(util).map(|m| m.slot);
        let slot = if current == Some(0) { 1 } else { 0 };
        let _ = util.remove(SLOTS[slot]);
        match util.begin_import_unchecked(SLOTS[slot], len) {
            Ok(import) => Tee { inner, import: Some(import), slot, len, error: None },
            Err(e) => Tee { inner, import: None, slot, len, error: Some(keep_error(&e, len)) },
        }
    }

    /// Copies what the loader did not read (it may stop at the header's page count), then
    /// completes the copy: `Ok` is a staged copy to [`commit`] once the analysis succeeded.
    pub fn finish(mut self, len: u64) -> Result<Staged, String> {
        if self.import.is_some() {
            let mut buf = vec![0u8; 1 << 20];
            loop {
                match self.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => {
                        self.error.get_or_insert_with(|| format!("this file could not be kept ({e})"));
                        break;
                    }
                }
            }
        }
        if let Some(error) = self.error.take() {
            drop(self.import.take()); // aborts the copy
            return Err(error);
        }
        match self.import.take() {
            Some(import) => import.finish().map(|()| Staged(self.slot)).map_err(|e| keep_error(&e, len)),
            None => Err("this file could not be kept".into()),
        }
    }
}

impl<R: Read> Read for Tee<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(import) = self.import.as_mut() {
            if let Err(e) = import.write(&buf[..n]) {
                self.error = Some(keep_error(&e, self.len));
                self.import = None; // dropping it aborts the copy; the analysis goes on
            }
        }
        Ok(n)
    }
}

fn keep_error(e: &OpfsSAHError, len: u64) -> String {
    if is_quota(e) {
        format!("this file ({}) is larger than the space this browser gives storj-lens: it is analyzed, but not kept", human_bytes(len))
    } else {
        format!("this file could not be kept ({}); it is analyzed in memory only", describe(e))
    }
}

/// Makes the staged copy the kept file (after its analysis succeeded) and removes the old one.
pub fn commit(staged: Staged, name: &str, size: u64) -> Response {
    let result = with_pool(|util| -> Result<(), String> {
        let meta = Meta { name: name.to_string(), saved_at: js_sys::Date::now(), size, slot: staged.0 };
        let json = serde_json::to_vec(&meta).map_err(|e| e.to_string())?;
        let _ = util.remove(META);
        util.import_db_unchecked(META, &json).map_err(|e| describe(&e))?;
        let _ = util.remove(SLOTS[1 - staged.0]);
        Ok(())
    });
    match result {
        Some(Ok(())) => current_status(),
        Some(Err(e)) => {
            discard(staged);
            Response::KeepFailed { message: format!("this file could not be kept ({e}); it is analyzed in memory only") }
        }
        None => current_status(),
    }
}

/// Drops a staged copy (its file did not load).
pub fn discard(staged: Staged) {
    with_pool(|util| {
        if read_meta(util).map(|m| m.slot) != Some(staged.0) {
            let _ = util.remove(SLOTS[staged.0]);
        }
    });
}

/// The kept file: its name, size, saved_at and a reader of its bytes (streamed from OPFS into
/// SQLite's copy like a dropped file, never held whole).
pub struct KeptReader<'a> {
    export: DbExport<<OpfsSAHPoolUtil as DbTransfer>::Source<'a>>,
}

impl KeptReader<'_> {
    pub fn len(&self) -> u64 {
        self.export.size()
    }
}

impl Read for KeptReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.export.read(buf).map_err(|e| std::io::Error::other(format!("the kept database cannot be read: {}", describe(&e))))
    }
}

pub fn open(util: &OpfsSAHPoolUtil) -> Result<(String, u64, f64, KeptReader<'_>), String> {
    let meta = read_meta(util).ok_or_else(|| "no database is kept on this device".to_string())?;
    let export = util.begin_export(SLOTS[meta.slot]).map_err(|e| format!("the kept database cannot be read: {}", describe(&e)))?;
    Ok((meta.name, meta.size, meta.saved_at, KeptReader { export }))
}

/// Deletes the kept file; answers the new status.
pub fn forget() -> Response {
    with_pool(|util| {
        let _ = util.remove(META);
        for slot in SLOTS {
            let _ = util.remove(slot);
        }
    });
    current_status()
}
