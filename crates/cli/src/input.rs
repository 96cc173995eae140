//! Which kind of input the paths are, told by content (SPEC §6, LOGS §1.1, NODE_DATA §4.1), never by
//! the file name: a folder or several files are the node's databases; one file is a monitor
//! database when it has the `events` table, the node's database when it has one of the node's
//! tables, and a log when it is not SQLite at all (text, gzip; the log reader names other formats).

use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One SQLite file: the monitor's database, or one of the node's (told once it is loaded).
    Database,
    /// A folder or several files: the node's databases.
    Node,
    Log,
}

pub fn kind(paths: &[PathBuf]) -> Result<Kind, String> {
    let [path] = paths else { return Ok(Kind::Node) };
    if path.as_os_str() == "-" {
        return Ok(Kind::Log);
    }
    if path.is_dir() {
        return Ok(Kind::Node);
    }
    let mut head = [0u8; 16];
    let n = read_head(path, &mut head)?;
    // a damaged SQLite header ("SQLite format" cut short) is still a database to the user
    if !head[..n].starts_with(b"SQLite format") {
        return Ok(Kind::Log);
    }
    Ok(Kind::Database)
}

/// Reads up to `head.len()` bytes from the start of the file; an empty file gives 0.
fn read_head(path: &Path, head: &mut [u8]) -> Result<usize, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        }
    }
    Ok(filled)
}
