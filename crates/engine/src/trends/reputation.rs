//! TRENDS.md section 2: each satellite's newest reputation row with its health score and the
//! alerts the original's periodic check raises, and a node's polls of the last 24 hours.

use std::collections::HashSet;

use rusqlite::Connection;
use serde_json::Value;

use super::num::round_to;
use super::{read_rows, view_json, Alert, ReputationRow, Row, Table};
use crate::error::Result;
use crate::time::{iso, Micros, MICROS_PER_HOUR};

/// Audit score below this: `audit_score_critical`.
pub const AUDIT_SCORE_CRITICAL: f64 = 70.0;
/// Audit score below this (and not critical): `audit_score_warning`.
pub const AUDIT_SCORE_WARNING: f64 = 85.0;
/// Suspension score below this: `suspension_risk`.
pub const SUSPENSION_SCORE_CRITICAL: f64 = 60.0;
/// Online score below this: `uptime_warning`.
pub const ONLINE_SCORE_WARNING: f64 = 95.0;

/// For each (node, satellite) of the view, the rows at that pair's newest timestamp over the
/// whole table (no time window: quirk, kept), by node then satellite (ties by rowid).
pub fn latest_sql(t: Table) -> String {
    format!(
        "SELECT r1.* FROM reputation_history r1 \
         INNER JOIN (SELECT node_name, satellite, MAX(timestamp) AS max_timestamp FROM reputation_history \
                     WHERE node_name IN (SELECT value FROM json_each(?1)) GROUP BY node_name, satellite) r2 \
         ON r1.node_name = r2.node_name AND r1.satellite = r2.satellite AND r1.timestamp = r2.max_timestamp \
         ORDER BY r1.node_name, r1.satellite{}",
        t.rowid_order("r1.")
    )
}

/// A node's rows since a cutoff, by timestamp then satellite (ties by rowid).
pub fn history_sql(t: Table) -> String {
    format!(
        "SELECT * FROM reputation_history WHERE node_name = ?1 AND timestamp >= ?2 ORDER BY timestamp ASC, satellite{}",
        t.rowid_order("")
    )
}

/// `reputation` of a view (one node, or the file's nodes).
pub fn latest(conn: &Connection, t: Table, nodes: &[String]) -> Result<Vec<ReputationRow>> {
    if !t.usable || nodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&latest_sql(t))?;
    let rows = read_rows(&mut stmt, [view_json(nodes)])?;
    Ok(with_scores_and_alerts(rows))
}

/// `reputation_history` of a node: its rows with `timestamp >= iso(now − 24 h)`.
pub fn history(conn: &Connection, t: Table, node: &str, now: Micros) -> Result<Vec<Row>> {
    if !t.usable {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(&history_sql(t))?;
    read_rows(&mut stmt, rusqlite::params![node, iso(now - 24 * MICROS_PER_HOUR)])
}

/// A score as the original's Python sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Score {
    Missing,
    Number(f64),
    /// TEXT or BLOB: Python cannot compare or multiply it with a number.
    NotANumber,
}

fn score(row: &Row, column: &str) -> Score {
    match row.get(column) {
        None | Some(Value::Null) => Score::Missing,
        Some(Value::Number(n)) => n.as_f64().map_or(Score::Missing, Score::Number),
        Some(_) => Score::NotANumber,
    }
}

/// Python's truth value of a flag: NULL, 0, 0.0 and '' are false.
fn truthy(row: &Row, column: &str) -> bool {
    match row.get(column) {
        None | Some(Value::Null) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// round((audit × 0.4 + suspension × 0.3) + online × 0.3, 2); null when a score is not a number
/// (where the original fails).
pub fn health_score(row: &Row) -> Option<f64> {
    match (score(row, "audit_score"), score(row, "suspension_score"), score(row, "online_score")) {
        (Score::Number(a), Score::Number(s), Score::Number(o)) => Some(round_to((a * 0.4 + s * 0.3) + o * 0.3, 2)),
        _ => None,
    }
}

/// Adds `health_score` and `alerts` to the latest rows (grouped by node: the query orders them so).
///
/// The original checks each node's rows in order and raises, per row: `node_disqualified`,
/// `node_suspended` (the flags' truth value), `audit_score_critical` (< 70) or else
/// `audit_score_warning` (< 85), `suspension_risk` (< 60), `uptime_warning` (< 95); null scores
/// raise nothing and the flags do not suppress the score alerts. An alert type already raised
/// for the same node and satellite (rows that tie at the newest timestamp) is not raised again.
/// A score that is not a number stops the node's check where it is met, as the original's
/// comparison fails there (the alerts raised before it stay).
pub fn with_scores_and_alerts(rows: Vec<Row>) -> Vec<ReputationRow> {
    let mut out = Vec::with_capacity(rows.len());
    let mut node: Option<Value> = None;
    let mut raised: HashSet<(String, &'static str)> = HashSet::new();
    let mut stopped = false;
    for row in rows {
        let this_node = row.get("node_name").cloned().unwrap_or(Value::Null);
        if node.as_ref() != Some(&this_node) {
            node = Some(this_node);
            raised.clear();
            stopped = false;
        }
        let mut alerts = Vec::new();
        if !stopped {
            stopped = !check_row(&row, &mut raised, &mut alerts);
        }
        out.push(ReputationRow { health_score: health_score(&row), alerts, row });
    }
    out
}

/// A score threshold: below it, the alert type with its severity.
type Threshold = (f64, &'static str, &'static str);

/// The checks of one row; false when the original's check fails on it (and stops for the node).
fn check_row(row: &Row, raised: &mut HashSet<(String, &'static str)>, alerts: &mut Vec<Alert>) -> bool {
    let mut wanted: Vec<(&'static str, &'static str)> = Vec::new();
    if truthy(row, "is_disqualified") {
        wanted.push(("node_disqualified", "critical"));
    }
    if truthy(row, "is_suspended") {
        wanted.push(("node_suspended", "critical"));
    }
    // (column, [(threshold, alert type, severity)]): the first threshold the score is below.
    let checks: [(&str, &[Threshold]); 3] = [
        (
            "audit_score",
            &[(AUDIT_SCORE_CRITICAL, "audit_score_critical", "critical"), (AUDIT_SCORE_WARNING, "audit_score_warning", "warning")],
        ),
        ("suspension_score", &[(SUSPENSION_SCORE_CRITICAL, "suspension_risk", "critical")]),
        ("online_score", &[(ONLINE_SCORE_WARNING, "uptime_warning", "warning")]),
    ];
    let mut completed = true;
    for (column, thresholds) in checks {
        match score(row, column) {
            Score::Missing => {}
            Score::NotANumber => {
                completed = false;
                break;
            }
            Score::Number(x) => {
                if let Some((_, alert_type, severity)) = thresholds.iter().find(|(limit, _, _)| x < *limit) {
                    wanted.push((alert_type, severity));
                }
            }
        }
    }
    // The cooldown key joins the satellite as text: a non-text satellite fails the first alert.
    for (alert_type, severity) in wanted {
        let Some(Value::String(satellite)) = row.get("satellite") else { return false };
        if raised.insert((satellite.clone(), alert_type)) {
            alerts.push(Alert { alert_type: alert_type.into(), severity: severity.into() });
        }
    }
    completed
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rep(node: &str, sat: &str, audit: Value, suspension: Value, online: Value, dq: Value, susp: Value) -> Row {
        [
            ("node_name", json!(node)),
            ("satellite", json!(sat)),
            ("audit_score", audit),
            ("suspension_score", suspension),
            ("online_score", online),
            ("is_disqualified", dq),
            ("is_suspended", susp),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn types(r: &ReputationRow) -> Vec<&str> {
        r.alerts.iter().map(|a| a.alert_type.as_str()).collect()
    }

    #[test]
    fn health_score_weights_and_rounds() {
        // Fixture node-2 / saltlake: disqualified, audit 68.30043140820942 → 87.16.
        let r = rep("n", "s", json!(68.30043140820942), json!(99.99956313791908), json!(99.46951390118937), json!(1), json!(0));
        assert_eq!(health_score(&r), Some(87.16));
        // Fixture node-1 / ap1 (suspended): 86.69.
        let r = rep("n", "s", json!(99.76506079237872), json!(56.23256339435416), json!(99.71474061179372), json!(0), json!(1));
        assert_eq!(health_score(&r), Some(86.69));
        // Int scores count like floats; a null or text score gives null.
        assert_eq!(health_score(&rep("n", "s", json!(100), json!(100), json!(100), json!(0), json!(0))), Some(100.0));
        assert_eq!(health_score(&rep("n", "s", Value::Null, json!(100), json!(100), json!(0), json!(0))), None);
        assert_eq!(health_score(&rep("n", "s", json!("high"), json!(100), json!(100), json!(0), json!(0))), None);
    }

    #[test]
    fn alerts_come_in_the_original_order_and_flags_do_not_suppress_scores() {
        let rows = vec![
            rep("n", "a", json!(68.3), json!(100.0), json!(99.9), json!(1), json!(0)),
            rep("n", "b", json!(99.0), json!(55.0), json!(90.0), json!(0), json!(1)),
            rep("n", "c", json!(80.0), json!(99.0), json!(99.0), json!(1), json!(1)),
            rep("n", "d", json!(85.0), json!(60.0), json!(95.0), json!(0), json!(0)),
            rep("n", "e", json!(70.0), json!(99.0), json!(99.0), json!(0), json!(0)),
        ];
        let out = with_scores_and_alerts(rows);
        assert_eq!(types(&out[0]), ["node_disqualified", "audit_score_critical"]);
        assert_eq!(types(&out[1]), ["node_suspended", "suspension_risk", "uptime_warning"]);
        assert_eq!(types(&out[2]), ["node_disqualified", "node_suspended", "audit_score_warning"]);
        assert!(types(&out[3]).is_empty(), "the thresholds are strict: {:?}", types(&out[3]));
        assert_eq!(types(&out[4]), ["audit_score_warning"]);
        assert_eq!(out[1].alerts[1].severity, "critical");
        assert_eq!(out[1].alerts[2].severity, "warning");
    }

    #[test]
    fn null_scores_and_false_flags_raise_nothing() {
        let out = with_scores_and_alerts(vec![rep("n", "a", Value::Null, Value::Null, Value::Null, Value::Null, json!(0.0))]);
        assert!(out[0].alerts.is_empty());
        assert_eq!(out[0].health_score, None);
        let out = with_scores_and_alerts(vec![rep("n", "a", Value::Null, Value::Null, Value::Null, json!("yes"), json!(""))]);
        assert_eq!(types(&out[0]), ["node_disqualified"]);
    }

    #[test]
    fn tied_rows_raise_each_alert_type_once_per_node_and_satellite() {
        let rows = vec![
            rep("n1", "a", json!(60.0), json!(100.0), json!(90.0), json!(0), json!(0)),
            rep("n1", "a", json!(60.0), json!(50.0), json!(90.0), json!(1), json!(0)),
            rep("n1", "b", json!(60.0), json!(100.0), json!(100.0), json!(0), json!(0)),
            rep("n2", "a", json!(60.0), json!(100.0), json!(100.0), json!(0), json!(0)),
        ];
        let out = with_scores_and_alerts(rows);
        assert_eq!(types(&out[0]), ["audit_score_critical", "uptime_warning"]);
        // The second row of (n1, a) only gets the types the first did not raise.
        assert_eq!(types(&out[1]), ["node_disqualified", "suspension_risk"]);
        // Another satellite, another node: raised again.
        assert_eq!(types(&out[2]), ["audit_score_critical"]);
        assert_eq!(types(&out[3]), ["audit_score_critical"]);
    }

    #[test]
    fn a_text_score_stops_the_nodes_check_where_it_is_met() {
        let rows = vec![
            rep("n1", "a", json!(99.0), json!(100.0), json!(90.0), json!(1), json!(0)),
            rep("n1", "b", json!("?"), json!(100.0), json!(90.0), json!(1), json!(0)),
            rep("n1", "c", json!(50.0), json!(100.0), json!(90.0), json!(0), json!(0)),
            rep("n2", "c", json!(50.0), json!(100.0), json!(100.0), json!(0), json!(0)),
        ];
        let out = with_scores_and_alerts(rows);
        assert_eq!(types(&out[0]), ["node_disqualified", "uptime_warning"]);
        assert_eq!(types(&out[1]), ["node_disqualified"]);
        assert!(out[2].alerts.is_empty());
        assert_eq!(types(&out[3]), ["audit_score_critical"]);
    }
}
