//! The node's files (NODE_DATA.md §1.1, §2.1): roles told by tables, the columns each role reads,
//! loading untrusted bytes into hardened in-memory copies (the engine's `db` module).

use rusqlite::Connection;

use crate::error::NodeError;
use crate::wal::{self, WalOutcome};

/// One of the eight files earnings.py reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Satellites,
    Bandwidth,
    StorageUsage,
    PieceSpaceUsed,
    Reputation,
    HeldAmount,
    Pricing,
    GcProgress,
}

pub const ROLES: [Role; 8] = [
    Role::Satellites,
    Role::Bandwidth,
    Role::StorageUsage,
    Role::PieceSpaceUsed,
    Role::Reputation,
    Role::HeldAmount,
    Role::Pricing,
    Role::GcProgress,
];

/// The file names the node gives them, in §1.1's order (the CLI and the page's folder picker look
/// for these; the list lives in `model` so that the page has it without this crate).
pub use model::node_report::FILE_NAMES;

impl Role {
    pub fn index(self) -> usize {
        ROLES.iter().position(|r| *r == self).unwrap_or(0)
    }

    pub fn file_name(self) -> &'static str {
        FILE_NAMES[self.index()]
    }

    /// The file stem: the report's `role`.
    pub fn stem(self) -> &'static str {
        self.file_name().trim_end_matches(".db")
    }

    pub fn required(self) -> bool {
        self != Role::GcProgress
    }

    /// What the file holds, for "X is missing: it holds …".
    pub fn holds(self) -> &'static str {
        match self {
            Role::Satellites => "the satellites' names and addresses, used to name and order them",
            Role::Bandwidth => "the bytes per day, used by the egress, repair and audit pay",
            Role::StorageUsage => "the satellites' storage tallies, used by the storage pay",
            Role::PieceSpaceUsed => "the disk used and the trash, and lists the satellites",
            Role::Reputation => "the join dates (held %), scores and vetting",
            Role::HeldAmount => "the paystubs and payments: held, returned, paid, postponed, receipts",
            Role::Pricing => "the satellites' current prices, used by every $ figure",
            Role::GcProgress => "the garbage collection progress shown in the status",
        }
    }

    /// The tables the role is told by, and the columns read from each.
    pub fn tables(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            Role::Satellites => &[("satellites", &["node_id", "added_at", "address"])],
            Role::Bandwidth => &[(
                "bandwidth_usage",
                &["interval_start", "satellite_id", "put_total", "get_total", "get_audit_total", "get_repair_total", "put_repair_total"],
            )],
            Role::StorageUsage => &[("storage_usage", &["timestamp", "satellite_id", "at_rest_total", "interval_end_time"])],
            Role::PieceSpaceUsed => &[("piece_space_used", &["total", "satellite_id"])],
            Role::Reputation => &[(
                "reputation",
                &[
                    "satellite_id",
                    "audit_success_count",
                    "audit_total_count",
                    "audit_reputation_score",
                    "audit_unknown_reputation_score",
                    "online_score",
                    "disqualified_at",
                    "suspended_at",
                    "offline_suspended_at",
                    "offline_under_review_at",
                    "updated_at",
                    "joined_at",
                    "vetted_at",
                ],
            )],
            Role::HeldAmount => &[
                (
                    "paystubs",
                    &[
                        "period",
                        "satellite_id",
                        "created_at",
                        "codes",
                        "usage_at_rest",
                        "usage_get",
                        "usage_put",
                        "usage_get_repair",
                        "usage_put_repair",
                        "usage_get_audit",
                        "comp_at_rest",
                        "comp_get",
                        "comp_put",
                        "comp_get_repair",
                        "comp_put_repair",
                        "comp_get_audit",
                        "surge_percent",
                        "held",
                        "owed",
                        "disposed",
                        "paid",
                        "distributed",
                    ],
                ),
                ("payments", &["id", "created_at", "satellite_id", "period", "amount", "receipt"]),
            ],
            Role::Pricing => &[(
                "pricing",
                &["satellite_id", "egress_bandwidth_price", "repair_bandwidth_price", "audit_bandwidth_price", "disk_space_price"],
            )],
            Role::GcProgress => &[("progress", &["satellite_id", "bloomfilter_created_before", "last_checked_prefix"])],
        }
    }
}

/// What a loaded file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Node(Role),
    /// A storj-lens monitor database (table `events`).
    Monitor,
    /// Anything else: not needed.
    Other,
}

/// The role told by the file's tables (first match in §1.1's order).
pub fn kind_of(tables: &[String]) -> Kind {
    let has = |t: &str| tables.iter().any(|n| n.eq_ignore_ascii_case(t));
    for role in ROLES {
        if has(role.tables()[0].0) {
            return Kind::Node(role);
        }
    }
    if has("events") {
        return Kind::Monitor;
    }
    Kind::Other
}

/// A loaded file: its hardened in-memory copy and what the files panel shows.
pub struct Loaded {
    pub name: String,
    pub kind: Kind,
    pub conn: Connection,
    pub bytes: u64,
    pub wal_mode: bool,
    pub wal: Option<(String, u64, WalOutcome)>,
    pub schema_version: Option<i64>,
}

/// Header bytes 18/19 = 2: the file is in WAL mode.
pub fn is_wal_mode(bytes: &[u8]) -> bool {
    bytes.len() >= 20 && (bytes[18] == 2 || bytes[19] == 2)
}

/// Loads `bytes` (with the committed frames of `wal` applied) into a hardened in-memory copy,
/// checks it (`quick_check`) and tells its kind. The caller's bytes are never changed.
pub fn load(name: &str, bytes: &[u8], wal: Option<(&str, &[u8])>) -> Result<Loaded, NodeError> {
    engine::db::check_header(bytes).map_err(|e| NodeError::load(name, e))?;
    let wal_mode = is_wal_mode(bytes);
    let mut image = bytes.to_vec();
    let wal = wal.map(|(wal_name, wal_bytes)| {
        let outcome = wal::apply(&mut image, wal_bytes, wal_name);
        (wal_name.to_string(), wal_bytes.len() as u64, outcome)
    });
    let conn = engine::db::load_bytes(&image).map_err(|e| NodeError::load(name, e))?;
    drop(image);
    let tables = table_names(&conn).map_err(|e| NodeError::query(name, e))?;
    let kind = kind_of(&tables);
    if let Kind::Node(role) = kind {
        // A torn copy of a running node's file shows here (a monitor database is not checked:
        // it is not read further, and may be large).
        let check: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(|e| NodeError::query(name, e))?;
        if check != "ok" {
            return Err(NodeError::Corrupt {
                name: name.to_string(),
                detail: format!("quick_check: {}", check.lines().map(str::trim).collect::<Vec<_>>().join("; ")),
            });
        }
        check_layout(name, role, &conn, &tables)?;
        if role == Role::StorageUsage {
            crate::inputs::prepare_storage(&conn).map_err(|e| NodeError::query(name, e))?;
        }
    }
    let schema_version = if tables.iter().any(|t| t.eq_ignore_ascii_case("versions")) {
        conn.query_row("SELECT MAX(version) FROM versions", [], |r| r.get::<_, Option<i64>>(0)).ok().flatten()
    } else {
        None
    };
    Ok(Loaded { name: name.to_string(), kind, conn, bytes: bytes.len() as u64, wal_mode, wal, schema_version })
}

fn table_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?.collect();
    names
}

fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = stmt.query_map([table], |r| r.get::<_, String>(0))?.collect();
    names
}

/// Rejects old layouts (by their columns, §2.1) and a missing table or column, naming them.
fn check_layout(name: &str, role: Role, conn: &Connection, tables: &[String]) -> Result<(), NodeError> {
    for &(table, wanted) in role.tables() {
        if !tables.iter().any(|t| t.eq_ignore_ascii_case(table)) {
            return Err(NodeError::MissingTable { name: name.to_string(), table, role: role.file_name(), holds: role.holds() });
        }
        let have = columns(conn, table).map_err(|e| NodeError::query(name, e))?;
        let has = |c: &str| have.iter().any(|h| h.eq_ignore_ascii_case(c));
        if role == Role::Bandwidth && !has("interval_start") && has("action") && has("amount") {
            return Err(NodeError::OldLayout { name: name.to_string(), version: "v1.104" });
        }
        if role == Role::StorageUsage && !has("interval_end_time") {
            return Err(NodeError::OldLayout { name: name.to_string(), version: "v1.62" });
        }
        if let Some(column) = wanted.iter().find(|c| !has(c)) {
            return Err(NodeError::MissingColumn { name: name.to_string(), table, column });
        }
    }
    Ok(())
}
