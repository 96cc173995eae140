//! The node's own databases (NODE_DATA.md §5): each file is read whole (they are small; the big
//! ones a node keeps, `piece_expiration.db` and `orders.db`, are never among the files asked
//! for) into the engine's [`node::NodeSet`], which keeps them loaded so that another month
//! answers at once. The set grows with each drop until "Clear".

use std::cell::RefCell;
use std::io::Read;

use model::protocol::{ErrorKind, Response};

use crate::files::FileChunks;

thread_local! {
    static NODE_SET: RefCell<node::NodeSet> = RefCell::new(node::NodeSet::new());
}

/// Reads a whole file into memory.
pub fn read_all(mut chunks: FileChunks) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(chunks.size() as usize).map_err(|_| "the file does not fit in this tab's memory".to_string())?;
    chunks.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Adds one file to the set; an error names the file.
pub fn add(name: &str, bytes: Vec<u8>) -> Result<(), (ErrorKind, String)> {
    NODE_SET.with(|s| s.borrow_mut().add(name, bytes)).map(|_| ()).map_err(|e| (node_error_kind(&e), e.to_string()))
}

/// Whether every required file is there.
pub fn is_complete() -> bool {
    NODE_SET.with(|s| s.borrow().missing_required().is_empty())
}

pub fn clear() {
    NODE_SET.with(|s| *s.borrow_mut() = node::NodeSet::new());
}

/// Answers with the node view for `month` (default: the month of "now"), or with the list of
/// files so far and what is missing.
pub fn answer(
    id: u64,
    month: Option<&str>,
    now: Option<&str>,
    note: Option<String>,
    clock_now_micros: i64,
    post: &mut dyn FnMut(Response),
) {
    let outcome = NODE_SET.with(|s| {
        let set = s.borrow();
        set.report(month, now, clock_now_micros).map_err(|e| match e {
            node::NodeError::MissingFile { .. } => Response::NodeFiles { id, files: set.files(), message: e.to_string() },
            e => Response::Error { id: Some(id), kind: node_error_kind(&e), message: e.to_string() },
        })
    });
    match outcome {
        Ok(report) => match serde_json::to_string_pretty(&report) {
            Ok(report_json) => post(Response::NodeReport { id, report: Box::new(report), report_json, note }),
            Err(e) => post(Response::Error { id: Some(id), kind: ErrorKind::Internal, message: format!("cannot write the report ({e})") }),
        },
        Err(response) => post(response),
    }
}

/// The page's wording for each way the node's files cannot be used.
fn node_error_kind(e: &node::NodeError) -> ErrorKind {
    use node::NodeError::*;
    match e {
        MissingFile { .. } => ErrorKind::NodeFileMissing,
        Empty { .. } => ErrorKind::EmptyFile,
        NotSqlite { .. } => ErrorKind::NotSqlite,
        Corrupt { .. } => ErrorKind::Corrupt,
        Unreadable { .. } => ErrorKind::Unreadable,
        OldLayout { .. } | MissingTable { .. } | MissingColumn { .. } | Query { .. } => ErrorKind::NodeFileBad,
        BadMonth { .. } | FutureMonth { .. } | BadNow { .. } => ErrorKind::Internal,
    }
}
