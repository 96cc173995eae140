//! The page's trend panels ([`TrendsView`]) for one view, from the same figures as the report's
//! `"trends"` section: the dashboard slices them from the file's section for the chosen view
//! ([`of_view`]; the analyzer computes the section once per now).

use rusqlite::Connection;
use serde_json::Value;

use model::report::Num;
use model::trends_view::*;

use super::{
    all_trends, node_trends, AllTrends, GrowthWindow, HourlyRow, NodeTrends, ReputationRow, Row, StorageForecast, Tables, TrafficRow,
    Trends,
};
use super::{REASON_DATA_TOO_FLAT, REASON_INSUFFICIENT_TIMESPAN};
use crate::error::Result;
use crate::satellites::KNOWN_SATELLITES;
use crate::time::Micros;
use crate::Warnings;

/// The panels of `node` (one of the file's nodes), or of all nodes together when `node` is
/// `None`, from the file's section.
pub fn of_view(t: &Trends, node: Option<&str>) -> TrendsView {
    match node.and_then(|n| t.nodes.get(n).map(|nt| (n, nt))) {
        Some((n, nt)) => of_node(n, nt, t.tables),
        None => of_all(&t.all, t.tables),
    }
    .cut_long_lists()
}

/// The panels of `node` (one of `nodes`), or of all `nodes` together, computed for that view
/// only (without a cache).
pub fn panels(conn: &Connection, nodes: &[String], node: Option<&str>, now: Micros, w: &mut Warnings) -> Result<TrendsView> {
    let tables = Tables::probe(conn, w)?;
    Ok(match node {
        Some(n) => of_node(n, &node_trends(conn, &tables, n, now, w)?, tables.flags()),
        None => of_all(&all_trends(conn, &tables, nodes, now, w)?, tables.flags()),
    }
    .cut_long_lists())
}

/// One node's panels.
pub fn of_node(node: &str, t: &NodeTrends, tables: TrendTables) -> TrendsView {
    TrendsView {
        node: Some(node.to_string()),
        tables,
        reputation: t.reputation.iter().map(reputation).collect(),
        reputation_history: t.reputation_history.iter().map(reputation_point).collect(),
        storage_forecast: t.storage_forecast.iter().map(forecast).collect(),
        storage_history: thin_storage_history(t.storage_history.iter().map(storage_point).collect()),
        hourly: t.hourly.iter().map(hourly).collect(),
        hourly_traffic: t.hourly_traffic.iter().map(traffic).collect(),
        payout_history: t.payout_history.iter().map(payout).collect(),
        ..TrendsView::default()
    }
}

/// All nodes' panels (no per-node histories).
pub fn of_all(t: &AllTrends, tables: TrendTables) -> TrendsView {
    TrendsView {
        node: None,
        tables,
        reputation: t.reputation.iter().map(reputation).collect(),
        reputation_history: Vec::new(),
        storage_forecast: t.storage_forecast.iter().map(forecast).collect(),
        storage_history: Vec::new(),
        hourly: t.hourly.iter().map(hourly).collect(),
        hourly_traffic: t.hourly_traffic.iter().map(traffic).collect(),
        payout_history: t.payout_history.iter().map(payout).collect(),
        ..TrendsView::default()
    }
}

/// A satellite's display name (TRENDS.md section 7): the known name, else the id's first 12
/// characters.
pub fn satellite_display_name(id: &str) -> String {
    KNOWN_SATELLITES
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| id.chars().take(12).collect())
}

fn text(row: &Row, column: &str) -> String {
    match row.get(column) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn float(row: &Row, column: &str) -> Option<f64> {
    row.get(column).and_then(Value::as_f64)
}

fn int(row: &Row, column: &str) -> Option<i64> {
    match row.get(column) {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

fn flag(row: &Row, column: &str) -> bool {
    match row.get(column) {
        None | Some(Value::Null) => false,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

fn num_i64(n: Option<Num>) -> i64 {
    match n {
        Some(Num::Int(i)) => i,
        Some(Num::Float(f)) => f as i64,
        None => 0,
    }
}

fn reputation(r: &ReputationRow) -> ReputationView {
    let row = &r.row;
    let satellite = text(row, "satellite");
    ReputationView {
        node_name: text(row, "node_name"),
        satellite_name: satellite_display_name(&satellite),
        satellite,
        timestamp: text(row, "timestamp"),
        audit_score: float(row, "audit_score"),
        suspension_score: float(row, "suspension_score"),
        online_score: float(row, "online_score"),
        audit_success_count: int(row, "audit_success_count"),
        audit_total_count: int(row, "audit_total_count"),
        is_disqualified: flag(row, "is_disqualified"),
        is_suspended: flag(row, "is_suspended"),
        health_score: r.health_score,
        alerts: r.alerts.clone(),
    }
}

fn reputation_point(row: &Row) -> ReputationPoint {
    let satellite = text(row, "satellite");
    ReputationPoint {
        timestamp: text(row, "timestamp"),
        satellite_name: satellite_display_name(&satellite),
        satellite,
        audit_score: float(row, "audit_score"),
        suspension_score: float(row, "suspension_score"),
        online_score: float(row, "online_score"),
        is_disqualified: flag(row, "is_disqualified"),
        is_suspended: flag(row, "is_suspended"),
    }
}

/// Why a window's rate is what it is.
pub fn growth_status(w: &GrowthWindow) -> GrowthStatus {
    match (w.reason.as_deref(), w.growth_rate_bytes_per_day) {
        (Some(REASON_INSUFFICIENT_TIMESPAN), _) => GrowthStatus::ShortTimespan,
        (Some(REASON_DATA_TOO_FLAT), _) => GrowthStatus::Flat,
        (_, None) => GrowthStatus::NotEnoughData,
        (_, Some(r)) if r.as_f64() > 0.0 => GrowthStatus::Growing,
        (_, Some(_)) => GrowthStatus::Shrinking,
    }
}

fn window_view(key: &str, w: &GrowthWindow) -> GrowthWindowView {
    GrowthWindowView {
        window: key.to_string(),
        days: model::trends::GROWTH_WINDOWS.iter().find(|(k, _)| *k == key).map_or(0, |(_, d)| *d),
        status: growth_status(w),
        growth_rate_bytes_per_day: w.growth_rate_bytes_per_day.map(|n| num_i64(Some(n))),
        growth_rate_gb_per_day: w.growth_rate_gb_per_day.map(Num::as_f64),
        days_until_full: w.days_until_full,
        data_points: w.data_points,
    }
}

fn forecast(e: &StorageForecast) -> StorageForecastView {
    let row = &e.row;
    let windows: Vec<GrowthWindowView> = e.growth_rates.iter().map(|(k, w)| window_view(k, w)).collect();
    let status = if e.growth_rates.is_empty() {
        GrowthStatus::NoApiData
    } else {
        e.growth_rates.get("7d").map_or(GrowthStatus::NotEnoughData, growth_status)
    };
    StorageForecastView {
        node_name: text(row, "node_name"),
        timestamp: text(row, "timestamp"),
        total_bytes: int(row, "total_bytes"),
        used_bytes: int(row, "used_bytes"),
        available_bytes: int(row, "available_bytes"),
        trash_bytes: int(row, "trash_bytes"),
        used_percent: float(row, "used_percent"),
        trash_percent: float(row, "trash_percent"),
        available_percent: float(row, "available_percent"),
        status,
        growth_rate_bytes_per_day: e.growth_rate_bytes_per_day.map(|n| num_i64(Some(n))),
        growth_rate_gb_per_day: e.growth_rate_gb_per_day.map(Num::as_f64),
        days_until_full: e.days_until_full,
        forecast_data_points: e.forecast_data_points,
        windows,
    }
}

/// The 7-day storage chart gets at most about this many points: a week of 10-minute snapshots
/// is 1,000 points per node (500 KB per message, drawn again on each node picked) for a chart
/// a few hundred pixels wide. The report's `storage_history` keeps every row.
pub const MAX_CHART_POINTS: usize = 400;

/// At most [`MAX_CHART_POINTS`] time bins, each keeping its first snapshot of each kind (API
/// or log-derived): the chart keeps its shape, its gaps (empty bins) and its log-row markers.
/// Points whose time does not parse are all kept.
fn thin_storage_history(points: Vec<StoragePoint>) -> Vec<StoragePoint> {
    if points.len() <= MAX_CHART_POINTS {
        return points;
    }
    let at = |p: &StoragePoint| crate::time::parse_timestamp(&p.timestamp).and_then(|t| t.instant());
    let times: Vec<Option<Micros>> = points.iter().map(at).collect();
    let (Some(first), Some(last)) = (times.iter().flatten().min().copied(), times.iter().flatten().max().copied()) else {
        return points;
    };
    let width = ((last - first) / MAX_CHART_POINTS as i64).max(1);
    let mut seen = std::collections::HashSet::new();
    points
        .into_iter()
        .zip(times)
        .filter(|(p, t)| match t {
            Some(t) => seen.insert(((t - first) / width, p.from_api)),
            None => true,
        })
        .map(|(p, _)| p)
        .collect()
}

fn storage_point(row: &Row) -> StoragePoint {
    StoragePoint {
        timestamp: text(row, "timestamp"),
        total_bytes: int(row, "total_bytes"),
        used_bytes: int(row, "used_bytes"),
        available_bytes: int(row, "available_bytes"),
        trash_bytes: int(row, "trash_bytes"),
        used_percent: float(row, "used_percent"),
        trash_percent: float(row, "trash_percent"),
        available_percent: float(row, "available_percent"),
        from_api: !matches!(row.get("used_bytes"), None | Some(Value::Null)),
    }
}

fn hourly(h: &HourlyRow) -> HourlyView {
    let n = num_i64;
    let key = match &h.hour_timestamp {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    HourlyView {
        hour_timestamp: key,
        dl_success: n(h.dl_success),
        dl_fail: n(h.dl_fail),
        ul_success: n(h.ul_success),
        ul_fail: n(h.ul_fail),
        audit_success: n(h.audit_success),
        audit_fail: n(h.audit_fail),
        total_download_size: n(h.total_download_size),
        total_upload_size: n(h.total_upload_size),
        dl_mbps: h.dl_mbps,
        ul_mbps: h.ul_mbps,
        dl_success_rate: success_rate(n(h.dl_success), n(h.dl_fail)),
        ul_success_rate: success_rate(n(h.ul_success), n(h.ul_fail)),
        audit_success_rate: success_rate(n(h.audit_success), n(h.audit_fail)),
    }
}

fn traffic(t: &TrafficRow) -> TrafficPoint {
    TrafficPoint {
        timestamp: t.timestamp.clone(),
        ingress_mbps: t.ingress_mbps.as_f64(),
        egress_mbps: t.egress_mbps.as_f64(),
        ingress_bytes: num_i64(Some(t.ingress_bytes)),
        egress_bytes: num_i64(Some(t.egress_bytes)),
        ingress_pieces: num_i64(Some(t.ingress_pieces)),
        egress_pieces: num_i64(Some(t.egress_pieces)),
        concurrency: t.concurrency.as_f64(),
        total_ops: num_i64(Some(t.total_ops)),
    }
}

fn payout(row: &Row) -> PayoutView {
    let satellite = text(row, "satellite");
    PayoutView {
        timestamp: text(row, "timestamp"),
        node_name: text(row, "node_name"),
        satellite_name: satellite_display_name(&satellite),
        satellite,
        period: text(row, "period"),
        actual_payout: float(row, "actual_payout"),
        estimated_payout: float(row, "estimated_payout"),
        variance: float(row, "variance"),
        variance_percent: float(row, "variance_percent"),
        payout_address: text(row, "payout_address"),
        transaction_hash: text(row, "transaction_hash"),
        notes: text(row, "notes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        assert_eq!(satellite_display_name("1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE"), "saltlake");
        assert_eq!(satellite_display_name("12rfG3sh9nKwqhUqz8QU8NzfQNBjWE9vfZhYmXNDxLTsvUmxyhr"), "12rfG3sh9nKw");
        assert_eq!(satellite_display_name(""), "");
    }

    #[test]
    fn growth_statuses() {
        let w = |rate: Option<Num>, reason: Option<&str>| GrowthWindow {
            growth_rate_bytes_per_day: rate,
            reason: reason.map(String::from),
            ..GrowthWindow::default()
        };
        assert_eq!(growth_status(&w(None, Some("insufficient_timespan"))), GrowthStatus::ShortTimespan);
        assert_eq!(growth_status(&w(Some(Num::Int(0)), Some("data_too_flat"))), GrowthStatus::Flat);
        assert_eq!(growth_status(&w(None, None)), GrowthStatus::NotEnoughData);
        assert_eq!(growth_status(&w(Some(Num::Int(5)), None)), GrowthStatus::Growing);
        assert_eq!(growth_status(&w(Some(Num::Int(0)), None)), GrowthStatus::Shrinking);
    }

    #[test]
    fn a_long_storage_history_is_thinned_keeping_gaps_and_log_rows() {
        let point = |minute: i64, from_api: bool| StoragePoint {
            timestamp: crate::time::iso(1_760_000_000_000_000 + minute * 60_000_000),
            used_bytes: from_api.then_some(minute),
            from_api,
            ..StoragePoint::default()
        };
        // A week every 5 minutes, a 6-hour gap in the middle, a log-derived row every 2 hours.
        let points: Vec<StoragePoint> =
            (0..7 * 24 * 12).map(|i| i * 5).filter(|m| !(5_000..5_360).contains(m)).map(|m| point(m, m % 120 != 0)).collect();
        let logs = points.iter().filter(|p| !p.from_api).count();
        let thin = thin_storage_history(points.clone());
        assert!(thin.len() <= 2 * MAX_CHART_POINTS && thin.len() < points.len() / 3, "{}", thin.len());
        assert_eq!(thin.iter().filter(|p| !p.from_api).count(), logs, "every log row is kept (one per bin at most)");
        assert_eq!(thin.first(), points.first());
        let inside = |p: &&StoragePoint| p.used_bytes.is_some_and(|m| (5_000..5_360).contains(&m));
        assert_eq!(thin.iter().filter(inside).count(), 0, "the gap stays a gap");
        // A short history is left as it is.
        assert_eq!(thin_storage_history(points[..300].to_vec()), points[..300].to_vec());
    }
}
