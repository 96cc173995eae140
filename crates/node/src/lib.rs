//! storj-lens over the node's own databases (NODE_DATA.md): the storage folder's SQLite files in,
//! earnings.py's figures for any month plus the satellites' paystubs out. Bytes in, no IO: the
//! worker and the CLI read the files; [`NodeSet`] keeps one hardened in-memory copy per file (a
//! `-wal` applied in Rust, §1.3) so that another month answers without reloading.

mod additions;
pub mod compare;
mod earnings;
mod error;
mod files;
mod inputs;
mod instant;
mod report;
mod satellites;
mod series;
mod sql;
mod summary;
pub mod wal;

use model::node_report::{NodeFile, NodeReport, WalInfo};

pub use error::NodeError;
pub use files::{Role, FILE_NAMES};
pub use instant::{format_now, parse_instant};
pub use satellites::{base58check, Key};

/// What [`NodeSet::add`] did with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A node database, now filling `role` (replacing an earlier file of that role).
    Node { name: String, role: &'static str, replaced: bool },
    /// A `-wal`, applied to its database when that is loaded (else kept until it comes).
    Wal { name: String, applied_to: Option<String> },
    /// A storj-lens monitor database (table `events`): not one of the node's files.
    Monitor { name: String },
    /// Any other file: not needed.
    Ignored { name: String },
}

struct Slot {
    raw: Vec<u8>,
    loaded: files::Loaded,
}

/// The node's files, loaded. One connection per file, kept for every month's report.
#[derive(Default)]
pub struct NodeSet {
    slots: [Option<Slot>; 8],
    /// `-wal` files by name (`X.db-wal`).
    wals: Vec<(String, Vec<u8>)>,
    /// Files that are not the node's: (name, bytes, role `monitor` or `other`).
    others: Vec<(String, u64, &'static str)>,
    /// The newest record's instant, computed once per set of files.
    newest: std::cell::OnceCell<Option<chrono::NaiveDateTime>>,
}

/// Files of a storage folder that never hold a figure: not even copied into SQLite (§1.1).
/// `piece_expiration.db` and `orders.db` can be gigabytes; `-shm`/`-journal` are SQLite's own.
fn never_loaded(name: &str) -> bool {
    const NAMES: [&str; 2] = ["piece_expiration.db", "orders.db"];
    NAMES.contains(&name) || name.ends_with("-shm") || name.ends_with("-journal")
}

/// Whether the file `name` is worth reading from a storage folder: the eight databases and
/// their `-wal` (the folder picker and the CLI look for exactly these, never walking the folder).
pub fn needed(name: &str) -> bool {
    let db = name.strip_suffix("-wal").unwrap_or(name);
    FILE_NAMES.contains(&db)
}

/// Whether `bytes` are one of the node's databases (told by its tables, §1.1).
pub fn is_node_database(bytes: &[u8]) -> bool {
    matches!(files::load("file", bytes, None), Ok(files::Loaded { kind: files::Kind::Node(_), .. }))
}

/// A file's role by its tables: `Some(role)` for a node database, `None` otherwise (or unreadable).
pub fn role_of(bytes: &[u8]) -> Option<Role> {
    match files::load("file", bytes, None) {
        Ok(files::Loaded { kind: files::Kind::Node(role), .. }) => Some(role),
        _ => None,
    }
}

/// True when `bytes` look like a storj-lens monitor database (table `events`).
pub fn is_monitor_database(bytes: &[u8]) -> bool {
    matches!(files::load("file", bytes, None), Ok(files::Loaded { kind: files::Kind::Monitor, .. }))
}

impl NodeSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one file. Its role comes from its tables; `X.db-wal` pairs with `X.db` by name.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) -> Result<Added, NodeError> {
        self.newest = std::cell::OnceCell::new();
        if let Some(db_name) = name.strip_suffix("-wal") {
            self.wals.retain(|(n, _)| n != name);
            self.wals.push((name.to_string(), bytes));
            let at = self.slots.iter().position(|s| s.as_ref().is_some_and(|s| s.loaded.name == db_name));
            if let Some(at) = at {
                if let Some(slot) = self.slots[at].take() {
                    let reloaded = self.load(db_name, &slot.raw);
                    match reloaded {
                        Ok(loaded) => self.slots[at] = Some(Slot { raw: slot.raw, loaded }),
                        Err(e) => {
                            self.slots[at] = Some(slot);
                            self.wals.retain(|(n, _)| n != name);
                            return Err(e);
                        }
                    }
                }
                return Ok(Added::Wal { name: name.to_string(), applied_to: Some(db_name.to_string()) });
            }
            return Ok(Added::Wal { name: name.to_string(), applied_to: None });
        }
        if never_loaded(name) {
            self.others.retain(|(n, _, _)| n != name);
            self.others.push((name.to_string(), bytes.len() as u64, "other"));
            return Ok(Added::Ignored { name: name.to_string() });
        }
        let loaded = self.load(name, &bytes)?;
        self.others.retain(|(n, _, _)| n != name);
        match loaded.kind {
            files::Kind::Node(role) => {
                let slot = &mut self.slots[role.index()];
                let replaced = slot.is_some();
                *slot = Some(Slot { raw: bytes, loaded });
                Ok(Added::Node { name: name.to_string(), role: role.stem(), replaced })
            }
            files::Kind::Monitor => {
                self.others.push((name.to_string(), bytes.len() as u64, "monitor"));
                Ok(Added::Monitor { name: name.to_string() })
            }
            files::Kind::Other => {
                self.others.push((name.to_string(), bytes.len() as u64, "other"));
                Ok(Added::Ignored { name: name.to_string() })
            }
        }
    }

    fn load(&self, name: &str, bytes: &[u8]) -> Result<files::Loaded, NodeError> {
        let wal_name = format!("{name}-wal");
        let wal = self.wals.iter().find(|(n, _)| *n == wal_name).map(|(n, b)| (n.as_str(), b.as_slice()));
        files::load(name, bytes, wal)
    }

    fn loaded(&self, role: Role) -> Option<&files::Loaded> {
        self.slots[role.index()].as_ref().map(|s| &s.loaded)
    }

    /// The report's `files[]`: §1.1's eight in order (missing ones too), then the others by name.
    pub fn files(&self) -> Vec<NodeFile> {
        let mut out: Vec<NodeFile> = files::ROLES
            .iter()
            .map(|&role| match self.loaded(role) {
                Some(l) => NodeFile {
                    name: l.name.clone(),
                    role: role.stem().to_string(),
                    required: role.required(),
                    status: "loaded".into(),
                    bytes: Some(l.bytes),
                    journal: Some(if l.wal_mode { "wal" } else { "rollback" }.into()),
                    wal: l.wal.as_ref().map(|(name, bytes, o)| WalInfo {
                        name: name.clone(),
                        bytes: *bytes,
                        frames: o.frames,
                        applied_frames: o.applied_frames,
                        transactions: o.transactions,
                        valid: o.valid,
                    }),
                    schema_version: l.schema_version,
                },
                None => NodeFile {
                    name: role.file_name().to_string(),
                    role: role.stem().to_string(),
                    required: role.required(),
                    status: "missing".into(),
                    bytes: None,
                    journal: None,
                    wal: None,
                    schema_version: None,
                },
            })
            .collect();
        let mut rest: Vec<NodeFile> = self
            .others
            .iter()
            .map(|(name, bytes, role)| NodeFile {
                name: name.clone(),
                role: role.to_string(),
                required: false,
                status: "ignored".into(),
                bytes: Some(*bytes),
                journal: None,
                wal: None,
                schema_version: None,
            })
            .collect();
        for (name, bytes) in &self.wals {
            let paired = self.slots.iter().flatten().any(|s| format!("{}-wal", s.loaded.name) == *name);
            if !paired {
                rest.push(NodeFile {
                    name: name.clone(),
                    role: "wal".into(),
                    required: false,
                    status: "unpaired".into(),
                    bytes: Some(bytes.len() as u64),
                    journal: None,
                    wal: None,
                    schema_version: None,
                });
            }
        }
        rest.sort_by(|a, b| a.name.cmp(&b.name));
        out.extend(rest);
        out
    }

    /// The required files not loaded yet, by name.
    pub fn missing_required(&self) -> Vec<&'static str> {
        files::ROLES.iter().filter(|r| r.required() && self.loaded(**r).is_none()).map(|r| r.file_name()).collect()
    }

    /// Whether a monitor database was given among the files.
    pub fn has_monitor(&self) -> bool {
        self.others.iter().any(|(_, _, role)| *role == "monitor")
    }

    /// The report for `month` (default: now's) as of `now` (default: the newest record, else
    /// `clock_now_micros`, µs since 1970 UTC).
    pub fn report(&self, month: Option<&str>, now: Option<&str>, clock_now_micros: i64) -> Result<NodeReport, NodeError> {
        if let Some(role) = files::ROLES.iter().find(|r| r.required() && self.loaded(**r).is_none()) {
            return Err(NodeError::MissingFile { name: role.file_name(), holds: role.holds() });
        }
        report::build(self, month, now, clock_now_micros)
    }
}
