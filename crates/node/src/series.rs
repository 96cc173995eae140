//! The month's daily series (NODE_DATA.md §3.9) and the months with data (§3.1).

use model::node_report as m;
use rusqlite::Connection;

use crate::error::NodeError;
use crate::instant::Month;
use crate::satellites::{Key, Sat};
use crate::sql::{int, num, rows, text_only, val};

fn place(sats: &[Sat], key: &Key) -> usize {
    sats.iter().position(|s| s.key.matches(key)).unwrap_or(usize::MAX)
}

/// Bytes per UTC day (`date(interval_start)`) and satellite, by date then table order.
pub fn bandwidth(conn: &Connection, name: &str, from: &str, to: &str, sats: &[Sat]) -> Result<Vec<m::SeriesBandwidth>, NodeError> {
    let mut out = rows(
        conn,
        name,
        "SELECT date(interval_start), satellite_id, SUM(put_total), SUM(get_total), SUM(get_audit_total), SUM(get_repair_total),
                SUM(put_repair_total)
         FROM bandwidth_usage WHERE interval_start >= ?1 AND interval_start < ?2 AND date(interval_start) IS NOT NULL
         GROUP BY 1, 2",
        [from, to],
        |r| {
            let key = Key::from_value(val(r, 1));
            let n = |i| int(val(r, i)).unwrap_or(0);
            let row = m::SeriesBandwidth {
                date: text_only(val(r, 0)).unwrap_or_default(),
                satellite: key.id(),
                put: n(2),
                get: n(3),
                get_audit: n(4),
                get_repair: n(5),
                put_repair: n(6),
            };
            (place(sats, &key), row)
        },
    )?;
    out.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// Each tally of the month: byte-hours, the hours since the previous tally, the average bytes.
pub fn storage(conn: &Connection, name: &str, from: &str, to: &str, sats: &[Sat]) -> Result<Vec<m::SeriesStorage>, NodeError> {
    let sql = "SELECT date(ts), satellite_id, at_rest_total,
                      CASE WHEN a THEN (CAST(strftime('%s', edt) AS INTEGER) - CAST(strftime('%s', sdt) AS INTEGER)) / 3600.0 END
               FROM temp.node_storage WHERE ts >= ?1 AND ts < ?2 AND date(ts) IS NOT NULL";
    let mut out = rows(conn, name, sql, [from, to], |r| {
        let key = Key::from_value(val(r, 1));
        let byte_hours = num(val(r, 2)).unwrap_or(0.0);
        let hours = num(val(r, 3));
        let row = m::SeriesStorage {
            date: text_only(val(r, 0)).unwrap_or_default(),
            satellite: key.id(),
            byte_hours,
            hours,
            average_bytes: hours.filter(|h| *h != 0.0).map(|h| byte_hours / h),
        };
        (place(sats, &key), row)
    })?;
    out.sort_by(|a, b| a.1.date.cmp(&b.1.date).then(a.0.cmp(&b.0)));
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// The month's dates, up to `last_day` when given (the current month).
pub fn days(month: Month, last_day: Option<u32>) -> Vec<String> {
    let n = month.days() as u32;
    (1..=last_day.unwrap_or(n).min(n)).map(|d| format!("{}-{d:02}", month.text())).collect()
}

/// Distinct `substr(x, 1, 7)` of one column, as months.
pub fn months_of(conn: &Connection, name: &str, table: &str, column: &str) -> Result<Vec<String>, NodeError> {
    rows(conn, name, &format!("SELECT DISTINCT substr({column}, 1, 7) FROM {table}"), [], |r| text_only(val(r, 0)))
        .map(|v| v.into_iter().flatten().filter(|m| Month::parse(m).is_some()).collect())
}

/// The TEXT values of one column (for the newest record).
pub fn texts_of(conn: &Connection, name: &str, sql: &str) -> Result<Vec<String>, NodeError> {
    rows(conn, name, sql, [], |r| text_only(val(r, 0))).map(|v| v.into_iter().flatten().collect())
}
