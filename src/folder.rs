//! Getting the node's files out of a folder without walking it (NODE_DATA.md 1.2): the storage
//! folder's `blobs/` holds millions of files, so only the known names are asked for, with
//! `getFileHandle(name)`, in the folder or its `storage` subfolder. Used by "Choose folder"
//! (`showDirectoryPicker`, Chromium) and by a dropped folder (`getAsFileSystemHandle`).
//!
//! The File System Access API is not in web-sys's stable set, so its few calls go through
//! `js_sys::Reflect`.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::File;

/// Whether this browser can pick a folder (Chromium's `showDirectoryPicker`).
pub fn can_pick_folder() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w, &"showDirectoryPicker".into()).unwrap_or(false))
}

/// "Choose folder": the picked folder's node files; `Ok(None)` when the user cancelled.
pub async fn pick_folder() -> Result<Option<Vec<File>>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let picker: Function = Reflect::get(&window, &"showDirectoryPicker".into()).map_err(text)?.dyn_into().map_err(text)?;
    let options = Object::new();
    let _ = Reflect::set(&options, &"mode".into(), &"read".into());
    let promise: Promise = picker.call1(&window, &options).map_err(text)?.dyn_into().map_err(text)?;
    match JsFuture::from(promise).await {
        Ok(folder) => files_of_folder(&folder).await.map(Some),
        Err(e) if error_name(&e) == "AbortError" => Ok(None),
        Err(e) => Err(text(e)),
    }
}

/// The node's files of a folder handle: those of the folder, else those of its `storage`.
async fn files_of_folder(folder: &JsValue) -> Result<Vec<File>, String> {
    let found = known_files(folder).await?;
    if !found.is_empty() {
        return Ok(found);
    }
    match call(folder, "getDirectoryHandle", &"storage".into()).await {
        Ok(storage) => known_files(&storage).await,
        Err(e) if error_name(&e) == "NotFoundError" || error_name(&e) == "TypeMismatchError" => Ok(Vec::new()),
        Err(e) => Err(text(e)),
    }
}

/// Each known name (and its `-wal`) that the folder holds, as a `File`.
async fn known_files(folder: &JsValue) -> Result<Vec<File>, String> {
    let mut files = Vec::new();
    for name in model::node_report::FILE_NAMES.iter().flat_map(|n| [n.to_string(), format!("{n}-wal")]) {
        let handle = match call(folder, "getFileHandle", &name.as_str().into()).await {
            Ok(h) => h,
            Err(e) if error_name(&e) == "NotFoundError" || error_name(&e) == "TypeMismatchError" => continue,
            Err(e) => return Err(format!("{name}: {}", text(e))),
        };
        let file = call0(&handle, "getFile").await.map_err(|e| format!("{name}: {}", readable(e)))?;
        files.push(file.dyn_into().map_err(text)?);
    }
    Ok(files)
}

/// A drop: the dropped files, and for a dropped folder its node files. Both the `File` and the
/// handle must be asked for during the drop event (the `DataTransfer` empties afterwards); only a
/// handle that turns out to be a folder is searched (asynchronously), every other item is its
/// `File` (a synthetic drop's handle is null).
pub fn dropped_files(dt: &web_sys::DataTransfer, on_files: impl Fn(Vec<File>) + 'static) {
    let items = dt.items();
    let mut dropped: Vec<(Option<File>, Option<Promise>)> = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        let get_handle = Reflect::get(&item, &"getAsFileSystemHandle".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
        let handle = get_handle.and_then(|f| f.call0(&item).ok()).and_then(|p| p.dyn_into::<Promise>().ok());
        dropped.push((item.get_as_file().ok().flatten(), handle));
    }
    if dropped.iter().all(|(_, handle)| handle.is_none()) {
        return on_files(dropped.into_iter().filter_map(|(file, _)| file).collect());
    }
    wasm_bindgen_futures::spawn_local(async move {
        let mut files = Vec::new();
        for (file, handle) in dropped {
            let handle = match handle {
                Some(promise) => JsFuture::from(promise).await.ok().filter(|h| !h.is_null() && !h.is_undefined()),
                None => None,
            };
            let is_folder = handle.as_ref().and_then(|h| Reflect::get(h, &"kind".into()).ok()).and_then(|k| k.as_string());
            match (is_folder.as_deref(), handle) {
                (Some("directory"), Some(folder)) => match files_of_folder(&folder).await {
                    Ok(found) => files.extend(found),
                    Err(e) => web_sys::console::warn_1(&e.into()),
                },
                _ => files.extend(file),
            }
        }
        on_files(files);
    });
}

async fn call(target: &JsValue, method: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    JsFuture::from(f.call1(target, arg)?.dyn_into::<Promise>()?).await
}

async fn call0(target: &JsValue, method: &str) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    JsFuture::from(f.call0(target)?.dyn_into::<Promise>()?).await
}

fn error_name(e: &JsValue) -> String {
    Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default()
}

fn text(e: JsValue) -> String {
    Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// `NotReadableError`: the file changed since it was picked (the node is running).
fn readable(e: JsValue) -> String {
    if error_name(&e) == "NotReadableError" {
        "the file changed while it was read (is the node running?): copy the folder from a stopped node, or each file with `sqlite3 X.db \".backup copy.db\"`".to_string()
    } else {
        text(e)
    }
}
