//! TRENDS.md sections 4 and 5: the hourly table (the 6 newest `hour_timestamp` keys) and the
//! 24-hour traffic chart (25 hourly points, hours without a row filled with zeros).

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::num::{int_div, round_to};
use super::{json_value, or_failure, shown, sum_value, view_json, HourlyRow, Table, TrafficRow, TRAFFIC_BIN_SECONDS};
use crate::error::Result;
use crate::time::{iso, parse_timestamp, Micros, MICROS_PER_HOUR, MICROS_PER_SECOND};
use crate::Warnings;
use model::report::Num;

/// Rows of the hourly table.
pub const HOURLY_ROWS: i64 = 6;

/// The view's rows grouped by the `hour_timestamp` string, the 6 greatest keys, newest first
/// (no bound at now).
pub const TABLE_SQL: &str = "SELECT hour_timestamp, SUM(dl_success), SUM(dl_fail), SUM(ul_success), SUM(ul_fail), \
     SUM(audit_success), SUM(audit_fail), SUM(total_download_size), SUM(total_upload_size) \
     FROM hourly_stats WHERE node_name IN (SELECT value FROM json_each(?1)) \
     GROUP BY hour_timestamp ORDER BY hour_timestamp DESC LIMIT ?2";

/// S: the view's rows since the cutoff grouped by `hour_timestamp`, in ascending text order.
pub const TRAFFIC_SQL: &str = "SELECT hour_timestamp, SUM(total_upload_size), SUM(total_download_size), \
     SUM(ul_success), SUM(dl_success), \
     SUM(dl_success + dl_fail + ul_success + ul_fail + audit_success + audit_fail) \
     FROM hourly_stats WHERE hour_timestamp >= ?2 AND node_name IN (SELECT value FROM json_each(?1)) \
     GROUP BY hour_timestamp ORDER BY hour_timestamp ASC";

/// `hourly` of a view.
pub fn table(conn: &Connection, t: Table, nodes: &[String]) -> Result<Vec<HourlyRow>> {
    if !t.usable || nodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(TABLE_SQL)?;
    let mut rows = stmt.query(rusqlite::params![view_json(nodes), HOURLY_ROWS])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let s = |i: usize| r.get_ref(i).map(sum_value);
        let (download, upload) = (s(7)?, s(8)?);
        out.push(HourlyRow {
            hour_timestamp: json_value(r.get_ref(0)?),
            dl_success: s(1)?,
            dl_fail: s(2)?,
            ul_success: s(3)?,
            ul_fail: s(4)?,
            audit_success: s(5)?,
            audit_fail: s(6)?,
            total_download_size: download,
            total_upload_size: upload,
            dl_mbps: mbps(download),
            ul_mbps: mbps(upload),
        })
    }
    Ok(out)
}

/// `(size or 0) * 8 / 3600000000`, unrounded: int ÷ int is the correctly rounded quotient.
pub fn mbps(size: Option<Num>) -> f64 {
    match size {
        None => 0.0,
        Some(Num::Int(i)) => int_div(i128::from(i) * 8, 3_600_000_000),
        Some(Num::Float(f)) => (f * 8.0) / 3_600_000_000.0,
    }
}

/// One group of S.
struct Group {
    key: String,
    /// Unix seconds of the hour the key falls in, as the original computes it.
    bucket: i64,
    ingress_bytes: Num,
    egress_bytes: Num,
    ingress_pieces: Num,
    egress_pieces: Num,
    total_ops: Num,
}

/// `hourly_traffic` of a view: 25 points, or none (with a warning) where the original fails (a
/// key that does not parse, a null sum).
pub fn traffic(conn: &Connection, t: Table, nodes: &[String], now: Micros, w: &mut Warnings) -> Result<Vec<TrafficRow>> {
    if nodes.is_empty() {
        return Ok(Vec::new()); // the original answers a view without nodes with nothing
    }
    let start = now - 24 * MICROS_PER_HOUR;
    let groups = if t.usable {
        match or_failure(groups(conn, nodes, &iso(start)))? {
            Ok(g) => g,
            Err(why) => {
                w.push(format!("hourly_stats: the 24-hour traffic chart is empty, as the original monitor fails on its rows: {why}"));
                return Ok(Vec::new());
            }
        }
    } else {
        Vec::new()
    };
    Ok(series(&groups, start, now))
}

fn groups(conn: &Connection, nodes: &[String], cutoff: &str) -> Result<std::result::Result<Vec<Group>, String>> {
    let mut stmt = conn.prepare_cached(TRAFFIC_SQL)?;
    let mut rows = stmt.query(rusqlite::params![view_json(nodes), cutoff])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let key = r.get_ref(0)?;
        let parsed = match key {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|s| parse_timestamp(s).map(|p| (s.to_string(), p))),
            _ => None,
        };
        let Some((key_text, parsed)) = parsed else {
            return Ok(Err(format!("the hour {} does not parse as a time", shown(key))));
        };
        // A key without an offset is read as UTC (the original reads it in the machine's zone).
        let at = parsed.instant().unwrap_or_else(|| parsed.local.and_utc().timestamp_micros());
        let mut sums = [Num::Int(0); 5];
        for (i, slot) in sums.iter_mut().enumerate() {
            match sum_value(r.get_ref(i + 1)?) {
                Some(v) => *slot = v,
                None => return Ok(Err(format!("a sum of the hour {key_text} is NULL"))),
            }
        }
        let [ingress_bytes, egress_bytes, ingress_pieces, egress_pieces, total_ops] = sums;
        out.push(Group { key: key_text, bucket: bucket_of(at), ingress_bytes, egress_bytes, ingress_pieces, egress_pieces, total_ops });
    }
    Ok(Ok(out))
}

/// `int(t.timestamp() / 3600) * 3600`: the hour of an instant as the original computes it
/// (float seconds, truncated toward zero).
pub fn bucket_of(t: Micros) -> i64 {
    let seconds = t as f64 / 1e6;
    (seconds / TRAFFIC_BIN_SECONDS as f64).trunc() as i64 * TRAFFIC_BIN_SECONDS
}

/// The 25 points from the hour of `start` to the hour of `now`: a group's point where its key
/// falls in the hour (the last one in key order when two keys share it), else zeros.
fn series(groups: &[Group], start: Micros, now: Micros) -> Vec<TrafficRow> {
    let by_hour: HashMap<i64, &Group> = groups.iter().map(|g| (g.bucket, g)).collect();
    let (first, last) = (bucket_of(start), bucket_of(now));
    let mut out = Vec::with_capacity(25);
    let mut hour = first;
    while hour <= last {
        out.push(match by_hour.get(&hour) {
            Some(g) => point(g),
            None => TrafficRow::zero(iso(hour * MICROS_PER_SECOND)),
        });
        hour += TRAFFIC_BIN_SECONDS;
    }
    out
}

fn point(g: &Group) -> TrafficRow {
    let per_second = |bytes: Num| {
        let bits = match bytes {
            Num::Int(i) => (i128::from(i) * 8) as f64,
            Num::Float(f) => f * 8.0,
        };
        Num::Float(round_to(bits / (TRAFFIC_BIN_SECONDS as f64 * 1e6), 2))
    };
    let concurrency = match g.total_ops {
        Num::Int(i) => int_div(i128::from(i), i128::from(TRAFFIC_BIN_SECONDS)),
        Num::Float(f) => f / TRAFFIC_BIN_SECONDS as f64,
    };
    TrafficRow {
        timestamp: g.key.clone(),
        ingress_mbps: per_second(g.ingress_bytes),
        egress_mbps: per_second(g.egress_bytes),
        ingress_bytes: g.ingress_bytes,
        egress_bytes: g.egress_bytes,
        ingress_pieces: g.ingress_pieces,
        egress_pieces: g.egress_pieces,
        concurrency: Num::Float(round_to(concurrency, 2)),
        total_ops: g.total_ops,
        bin_duration_seconds: TRAFFIC_BIN_SECONDS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_rfc3339;

    fn at(s: &str) -> Micros {
        parse_rfc3339(s).unwrap()
    }

    fn group(key: &str, ops: i64) -> Group {
        let p = parse_timestamp(key).unwrap();
        Group {
            key: key.into(),
            bucket: bucket_of(p.instant().unwrap()),
            ingress_bytes: Num::Int(450_000),
            egress_bytes: Num::Int(0),
            ingress_pieces: Num::Int(1),
            egress_pieces: Num::Int(0),
            total_ops: Num::Int(ops),
        }
    }

    #[test]
    fn twenty_five_hours_the_first_zero_unless_now_is_on_the_hour() {
        let now = at("2025-10-10T11:59:29.435851Z");
        let start = now - 24 * MICROS_PER_HOUR;
        // The key of the first hour is below the cutoff, so S never holds it.
        let s = series(&[group("2025-10-09T12:00:00+00:00", 7)], start, now);
        assert_eq!(s.len(), 25);
        assert_eq!(s[0].timestamp, "2025-10-09T11:00:00+00:00");
        assert_eq!(s[0], TrafficRow::zero("2025-10-09T11:00:00+00:00".into()));
        assert_eq!(s[1].timestamp, "2025-10-09T12:00:00+00:00");
        assert_eq!(s[1].total_ops, Num::Int(7));
        assert_eq!(s[24].timestamp, "2025-10-10T11:00:00+00:00");
        // On the hour: from start's hour to now's hour, still 25.
        let now = at("2025-10-10T12:00:00Z");
        let s = series(&[], now - 24 * MICROS_PER_HOUR, now);
        assert_eq!(s.len(), 25);
        assert_eq!(s[0].timestamp, "2025-10-09T12:00:00+00:00");
        assert_eq!(s[24].timestamp, "2025-10-10T12:00:00+00:00");
    }

    #[test]
    fn an_hour_under_two_keys_shows_the_last_one() {
        let now = at("2025-10-10T12:00:00Z");
        let groups = [group("2025-10-10T08:00:00+00:00", 3), group("2025-10-10T08:00:00.000Z", 5), group("2025-10-11T08:00:00+00:00", 9)];
        let s = series(&groups, now - 24 * MICROS_PER_HOUR, now);
        let eight = s.iter().find(|r| r.timestamp.starts_with("2025-10-10T08")).unwrap();
        assert_eq!(eight.timestamp, "2025-10-10T08:00:00.000Z");
        assert_eq!(eight.total_ops, Num::Int(5));
        // A key after now is dropped.
        assert!(s.iter().all(|r| r.total_ops != Num::Int(9)));
        assert_eq!(s.len(), 25);
    }

    #[test]
    fn a_recorded_hour_has_float_rates() {
        let p = point(&group("2025-10-10T08:00:00+00:00", 18));
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"timestamp":"2025-10-10T08:00:00+00:00","ingress_mbps":0.0,"egress_mbps":0.0,"ingress_bytes":450000,"egress_bytes":0,"ingress_pieces":1,"egress_pieces":0,"concurrency":0.01,"total_ops":18,"bin_duration_seconds":3600}"#
        );
    }

    #[test]
    fn hourly_mbps_are_unrounded() {
        assert_eq!(mbps(Some(Num::Int(2319872))), 0.005155271111111111);
        assert_eq!(mbps(Some(Num::Int(304983))), 0.00067774);
        assert_eq!(mbps(None), 0.0);
        assert_eq!(mbps(Some(Num::Float(450.0))), 450.0 * 8.0 / 3.6e9);
    }

    #[test]
    fn buckets_truncate_to_the_hour() {
        assert_eq!(bucket_of(at("2025-10-10T08:59:59.999999Z")), at("2025-10-10T08:00:00Z") / MICROS_PER_SECOND);
        assert_eq!(bucket_of(at("2025-10-10T08:00:00Z")), at("2025-10-10T08:00:00Z") / MICROS_PER_SECOND);
        assert_eq!(bucket_of(at("2025-10-10T10:30:00+02:00")), at("2025-10-10T08:00:00Z") / MICROS_PER_SECOND);
    }
}
