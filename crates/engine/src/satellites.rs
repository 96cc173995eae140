//! Nodes, each node's all-time satellite list, and satellite names (ANALYTICS section 2).

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::error::Result;

/// A satellite id as stored: `None` is a NULL `satellite_id`, a member of the list like any other.
pub type SatelliteId = Option<String>;

/// The four production satellites, in the report's `config.satellite_names` order.
pub const KNOWN_SATELLITES: &[(&str, &str)] = &[
    ("121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6", "ap1"),
    ("12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S", "us1"),
    ("12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs", "eu1"),
    ("1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE", "saltlake"),
];

/// A satellite's display name: the known name, else its first 8 characters; NULL is `""`.
pub fn satellite_name(id: &SatelliteId) -> String {
    match id {
        None => String::new(),
        Some(id) => KNOWN_SATELLITES
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, name)| name.to_string())
            .unwrap_or_else(|| id.chars().take(8).collect()),
    }
}

/// The JSON object key of a satellite: its id, or `"null"` for NULL.
pub fn satellite_key(id: &SatelliteId) -> String {
    id.clone().unwrap_or_else(|| "null".to_string())
}

/// Text of a value read from the file; other storage classes are reported by the caller.
pub fn text_of(v: ValueRef<'_>) -> std::result::Result<Option<String>, String> {
    match v {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => Ok(Some(String::from_utf8_lossy(t).into_owned())),
        ValueRef::Integer(i) => Err(i.to_string()),
        ValueRef::Real(r) => Err(r.to_string()),
        ValueRef::Blob(b) => Err(format!("<blob of {} bytes>", b.len())),
    }
}

/// The nodes of a file, sorted; non-text node names are skipped with a warning.
pub fn nodes(conn: &Connection, has_snapshots: bool, warnings: &mut Vec<String>) -> Result<Vec<String>> {
    let sql = if has_snapshots { NODES_SQL } else { NODES_EVENTS_ONLY_SQL };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        match text_of(row.get_ref(0)?) {
            Ok(Some(name)) => out.push(name),
            Ok(None) => {}
            Err(shown) => warnings.push(format!("events/storage_snapshots: a non-text node_name ({shown}) is ignored")),
        }
    }
    Ok(out)
}

/// `SELECT DISTINCT satellite_id FROM events WHERE node_name = ? ORDER BY satellite_id` (all time).
pub fn satellite_list(conn: &Connection, node: &str, warnings: &mut Vec<String>) -> Result<Vec<SatelliteId>> {
    let mut stmt = conn.prepare_cached(SATELLITES_SQL)?;
    let mut rows = stmt.query([node])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        match text_of(row.get_ref(0)?) {
            Ok(id) => out.push(id),
            Err(shown) => warnings.push(format!("events: node {node} has a non-text satellite_id ({shown}); it is ignored")),
        }
    }
    Ok(out)
}

pub const NODES_SQL: &str = "SELECT DISTINCT node_name FROM events WHERE node_name IS NOT NULL \
    UNION SELECT DISTINCT node_name FROM storage_snapshots ORDER BY 1";
pub const NODES_EVENTS_ONLY_SQL: &str = "SELECT DISTINCT node_name FROM events WHERE node_name IS NOT NULL ORDER BY 1";

pub const SATELLITES_SQL: &str = "SELECT DISTINCT satellite_id FROM events WHERE node_name = ?1 ORDER BY satellite_id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(satellite_name(&Some(KNOWN_SATELLITES[3].0.to_string())), "saltlake");
        assert_eq!(satellite_name(&Some("ünïcødé-satellite".to_string())), "ünïcødé-");
        assert_eq!(satellite_name(&None), "");
        assert_eq!(satellite_key(&None), "null");
    }
}
