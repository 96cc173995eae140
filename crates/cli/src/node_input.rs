//! `storj-lens analyze FOLDER_OR_FILES…`: the node databases' report (NODE_DATA.md §4). Owned by the
//! node-database work (issue 11).

use std::path::{Path, PathBuf};

/// Whether a single SQLite file is one of the node's databases rather than a monitor database.
pub fn is_node_database(_path: &Path) -> Result<bool, String> {
    Ok(false)
}

pub fn analyze(paths: &[PathBuf], _month: Option<&str>, _now: Option<&str>) -> Result<(), String> {
    Err(format!("{}: the node's own databases are not read yet", paths[0].display()))
}
