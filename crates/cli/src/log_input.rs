//! `storj-lens analyze LOG`: the node log's report (LOGS.md §4). Owned by the logs work (issue 12).

use std::path::Path;

pub fn analyze(path: &Path, _now: Option<&str>) -> Result<(), String> {
    Err(format!("{}: is not a SQLite database (reading node logs is not built yet)", path.display()))
}
