//! What each file says about a month, per satellite id: earnings.py's subqueries, one file at a
//! time (the joins are done in Rust on [`Key`]s). Date math stays in SQLite (§2.3).

use rusqlite::Connection;

use crate::error::NodeError;
use crate::satellites::{Key, SatRow};
use crate::sql::{int, num, rows, text, val};

/// `interval_end_time` of an incomplete storage row.
pub const MARKER: &str = "0001-01-01 00:00:00+00:00";

/// The first value stored for `key` (SQL equality).
pub fn lookup<'a, T>(list: &'a [(Key, T)], key: &Key) -> Option<&'a T> {
    list.iter().find(|(k, _)| k.matches(key)).map(|(_, v)| v)
}

#[derive(Debug, Clone, Default)]
pub struct Bandwidth {
    pub put: i64,
    pub get: i64,
    pub get_audit: i64,
    pub get_repair: i64,
    pub put_repair: i64,
}

/// Sums over the month window, and the ids seen.
pub fn bandwidth(conn: &Connection, name: &str, from: &str, to: &str) -> Result<Vec<(Key, Bandwidth)>, NodeError> {
    rows(
        conn,
        name,
        "SELECT satellite_id, SUM(put_total), SUM(get_total), SUM(get_audit_total), SUM(get_repair_total), SUM(put_repair_total)
         FROM bandwidth_usage WHERE interval_start >= ?1 AND interval_start < ?2 GROUP BY satellite_id",
        [from, to],
        |r| {
            let n = |i| int(val(r, i)).unwrap_or(0);
            (Key::from_value(val(r, 0)), Bandwidth { put: n(1), get: n(2), get_audit: n(3), get_repair: n(4), put_repair: n(5) })
        },
    )
}

#[derive(Debug, Clone, Default)]
pub struct Storage {
    /// trunc(Σ at_rest_total) over the window.
    pub byte_hours: i64,
    /// secs(max edt) − secs(min sdt); none without an sdt.
    pub seconds: Option<i64>,
    /// last_bh × 3600 / (secs(max edt) − secs(max sdt)); none when not computable.
    pub disk_last_report: Option<f64>,
}

/// The month-independent part of §3.3, built once per loaded `storage_usage.db` (a private
/// TEMP table of its in-memory copy): each row with `a` (its `interval_end_time` is not the
/// marker), `sdt` = the edt of the satellite's A row with the greatest timestamp below its own (the
/// previous peer group in timestamp order: what earnings.py's correlated subquery finds, without
/// its quadratic cost), `last_bh` = `at_rest_total` of the satellite's A row with the greatest edt.
pub fn prepare_storage(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.execute_batch(&format!(
        "DROP TABLE IF EXISTS temp.node_storage;
         CREATE TEMP TABLE node_storage AS
         SELECT ts, satellite_id, at_rest_total, edt, a,
                CASE WHEN a AND ts IS NOT NULL AND satellite_id IS NOT NULL THEN
                  LAST_VALUE(edt) OVER (PARTITION BY satellite_id, a, ts IS NULL ORDER BY ts
                                        GROUPS BETWEEN 1 PRECEDING AND 1 PRECEDING) END AS sdt,
                CASE WHEN a THEN
                  LAST_VALUE(at_rest_total) OVER (PARTITION BY satellite_id, a ORDER BY edt
                                                  RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) END AS last_bh
         FROM (SELECT timestamp AS ts, satellite_id, at_rest_total, interval_end_time AS edt,
                      COALESCE(interval_end_time <> '{MARKER}', 0) AS a FROM main.storage_usage);"
    ))
}

/// The storage tallies of the window (§3.3): rows with the marker are left out of A.
pub fn storage(conn: &Connection, name: &str, from: &str, to: &str) -> Result<Vec<(Key, Storage)>, NodeError> {
    let sql = "SELECT satellite_id, SUM(at_rest_total),
                      strftime('%s', max(edt)) - strftime('%s', min(sdt)),
                      max(last_bh) * 3600 / (strftime('%s', max(edt)) - strftime('%s', max(sdt)))
               FROM temp.node_storage WHERE a AND ts >= ?1 AND ts < ?2 GROUP BY satellite_id";
    rows(conn, name, sql, [from, to], |r| {
        let storage = Storage { byte_hours: int(val(r, 1)).unwrap_or(0), seconds: int(val(r, 2)), disk_last_report: num(val(r, 3)) };
        (Key::from_value(val(r, 0)), storage)
    })
}

/// Ids of storage rows in the window (marker rows too) and how many of them are marker rows.
pub fn storage_ids(conn: &Connection, name: &str, from: &str, to: &str) -> Result<(Vec<Key>, i64), NodeError> {
    let ids =
        rows(conn, name, "SELECT DISTINCT satellite_id FROM storage_usage WHERE timestamp >= ?1 AND timestamp < ?2", [from, to], |r| {
            Key::from_value(val(r, 0))
        })?;
    let markers = rows(
        conn,
        name,
        &format!("SELECT count(*) FROM storage_usage WHERE timestamp >= ?1 AND timestamp < ?2 AND interval_end_time = '{MARKER}'"),
        [from, to],
        |r| int(val(r, 0)).unwrap_or(0),
    )?;
    Ok((ids, markers.first().copied().unwrap_or(0)))
}

/// `piece_space_used` rows other than the trash row, and the trash total (the last such row).
/// Per-satellite totals and the trash total.
pub type Space = (Vec<(Key, i64)>, Option<i64>);

pub fn piece_space(conn: &Connection, name: &str) -> Result<Space, NodeError> {
    let sats = rows(conn, name, "SELECT satellite_id, total FROM piece_space_used WHERE satellite_id <> 'trashtotal'", [], |r| {
        (Key::from_value(val(r, 0)), int(val(r, 1)).unwrap_or(0))
    })?;
    let trash =
        rows(conn, name, "SELECT total FROM piece_space_used WHERE satellite_id = 'trashtotal'", [], |r| int(val(r, 0)).unwrap_or(0))?;
    Ok((sats, trash.last().copied()))
}

/// The `satellites` rows: id, address as text, `CAST(COALESCE(added_at, '9999-12-31') AS date)`.
pub fn satellite_rows(conn: &Connection, name: &str) -> Result<Vec<SatRow>, NodeError> {
    rows(conn, name, "SELECT node_id, CAST(address AS TEXT), CAST(COALESCE(added_at, '9999-12-31') AS date) FROM satellites", [], |r| {
        SatRow { key: Key::from_value(val(r, 0)), address: text(val(r, 1)), year: num(val(r, 2)).unwrap_or(0.0) }
    })
}

#[derive(Debug, Clone, Default)]
pub struct Prices {
    pub disk_tbm: f64,
    pub egress_tb: f64,
    pub repair_tb: f64,
    pub audit_tb: f64,
}

pub fn prices(conn: &Connection, name: &str) -> Result<Vec<(Key, Prices)>, NodeError> {
    rows(
        conn,
        name,
        "SELECT satellite_id, disk_space_price / 100.0, egress_bandwidth_price / 100.0, repair_bandwidth_price / 100.0,
                audit_bandwidth_price / 100.0 FROM pricing",
        [],
        |r| {
            let n = |i| num(val(r, i)).unwrap_or(0.0);
            (Key::from_value(val(r, 0)), Prices { disk_tbm: n(1), egress_tb: n(2), repair_tb: n(3), audit_tb: n(4) })
        },
    )
}

/// A reputation row, with the parts earnings.py computes in SQL.
#[derive(Debug, Clone, Default)]
pub struct Rep {
    /// The status when one of the first rules decides it (`Vetting ` for the vetting rule).
    pub status: Option<String>,
    /// Whether a rule before the GC one held.
    pub decided: bool,
    pub joined: Option<String>,
    pub month_nr: Option<i64>,
    pub vet_count: f64,
    pub vet_hours: f64,
    pub uptime_score: f64,
    pub audit_score: f64,
    pub suspension_score: f64,
    pub raw: RepRaw,
}

/// The columns as stored (the scores panel).
#[derive(Debug, Clone, Default)]
pub struct RepRaw {
    pub audit_success_count: Option<i64>,
    pub audit_total_count: Option<i64>,
    pub audit_reputation_score: Option<f64>,
    pub audit_unknown_reputation_score: Option<f64>,
    pub online_score: Option<f64>,
    pub timestamps: [Option<String>; 7],
}

/// `date_from` = the month's `YYYY-MM-01`; `now_sql` = now as `YYYY-MM-DD HH:MM:SS`.
pub fn reputation(conn: &Connection, name: &str, date_from: &str, now_sql: &str) -> Result<Vec<(Key, Rep)>, NodeError> {
    rows(
        conn,
        name,
        "SELECT satellite_id,
           CASE WHEN disqualified_at IS NOT NULL THEN 'Disqualified @ ' || datetime(disqualified_at)
                WHEN suspended_at IS NOT NULL THEN 'Suspended Audits @ ' || datetime(suspended_at)
                WHEN offline_suspended_at IS NOT NULL THEN 'Suspended Downt. @ ' || datetime(offline_suspended_at)
                WHEN offline_under_review_at IS NOT NULL THEN 'Downtime Review @ ' || datetime(offline_under_review_at)
                WHEN vetted_at IS NULL THEN 'Vetting '
                WHEN audit_reputation_score < 0.998 OR audit_unknown_reputation_score < 0.998 THEN 'WARN: Audits failing'
                WHEN online_score < 0.98 THEN 'WARN: Downtime high' END,
           CASE WHEN disqualified_at IS NOT NULL OR suspended_at IS NOT NULL OR offline_suspended_at IS NOT NULL
                  OR offline_under_review_at IS NOT NULL OR vetted_at IS NULL
                  OR audit_reputation_score < 0.998 OR audit_unknown_reputation_score < 0.998
                  OR online_score < 0.98 THEN 1 ELSE 0 END,
           date(joined_at),
           1 + strftime('%m', date(?1)) - strftime('%m', date(joined_at))
             + (strftime('%Y', date(?1)) - strftime('%Y', date(joined_at))) * 12,
           COALESCE(audit_success_count, 0),
           COALESCE((strftime('%s', ?2) - strftime('%s', joined_at)) / 3600.0, 0),
           COALESCE(100.0 * online_score, 0),
           COALESCE(((1 - audit_reputation_score) * 100.0) / (1.0 - 0.96), 0),
           COALESCE(((1 - audit_unknown_reputation_score) * 100.0) / (1.0 - 0.6), 0),
           audit_success_count, audit_total_count, audit_reputation_score, audit_unknown_reputation_score, online_score,
           disqualified_at, suspended_at, offline_suspended_at, offline_under_review_at, updated_at, joined_at, vetted_at
         FROM reputation",
        [date_from, now_sql],
        |r| {
            let n = |i| num(val(r, i)).unwrap_or(0.0);
            let t = |i| text(val(r, i));
            let raw = RepRaw {
                audit_success_count: int(val(r, 10)),
                audit_total_count: int(val(r, 11)),
                audit_reputation_score: num(val(r, 12)),
                audit_unknown_reputation_score: num(val(r, 13)),
                online_score: num(val(r, 14)),
                timestamps: [t(15), t(16), t(17), t(18), t(19), t(20), t(21)],
            };
            let rep = Rep {
                status: text(val(r, 1)),
                decided: int(val(r, 2)) == Some(1),
                joined: text(val(r, 3)),
                month_nr: int(val(r, 4)),
                vet_count: n(5),
                vet_hours: n(6),
                uptime_score: n(7),
                audit_score: n(8),
                suspension_score: n(9),
                raw,
            };
            (Key::from_value(val(r, 0)), rep)
        },
    )
}

/// GC progress: whether a prefix is set, and the status text (NULL when a part is NULL).
/// A GC row: a prefix is set, and the status text.
pub type Gc = (bool, Option<String>);

pub fn gc(conn: &Connection, name: &str) -> Result<Vec<(Key, Gc)>, NodeError> {
    rows(
        conn,
        name,
        "SELECT satellite_id, last_checked_prefix IS NOT NULL,
                'GC @ Folder:' || last_checked_prefix || ' Date:' || date(bloomfilter_created_before) FROM progress",
        [],
        |r| (Key::from_value(val(r, 0)), (int(val(r, 1)) == Some(1), text(val(r, 2)))),
    )
}

/// The month's paystub lines (§3.6) and the raw row (§3.9).
#[derive(Debug, Clone, Default)]
pub struct Stub {
    pub codes: [bool; 4],
    pub surge: f64,
    pub disposed: f64,
    pub paid: f64,
    pub distributed: f64,
    pub postponed: f64,
    pub prev: f64,
    pub row: StubRow,
}

/// A paystub as stored, money in USD.
#[derive(Debug, Clone, Default)]
pub struct StubRow {
    pub period: String,
    pub created_at: Option<String>,
    pub codes: Option<String>,
    /// usage at_rest, get, put, get_repair, put_repair, get_audit.
    pub usage: [f64; 6],
    /// comp at_rest, get, put, get_repair, put_repair, get_audit (USD).
    pub comp: [f64; 6],
    pub surge_percent: f64,
    pub held: f64,
    pub owed: f64,
    pub disposed: f64,
    pub paid: f64,
    pub distributed: f64,
}

const STUB_COLUMNS: &str = "period, created_at, codes, usage_at_rest, usage_get, usage_put, usage_get_repair, usage_put_repair,
    usage_get_audit, comp_at_rest / 1000000.0, comp_get / 1000000.0, comp_put / 1000000.0, comp_get_repair / 1000000.0,
    comp_put_repair / 1000000.0, comp_get_audit / 1000000.0, surge_percent, held / 1000000.0, owed / 1000000.0,
    disposed / 1000000.0, paid / 1000000.0, distributed / 1000000.0";

fn stub_row(r: &rusqlite::Row<'_>, at: usize) -> StubRow {
    let n = |i: usize| num(val(r, at + i)).unwrap_or(0.0);
    StubRow {
        period: text(val(r, at)).unwrap_or_default(),
        created_at: text(val(r, at + 1)),
        codes: text(val(r, at + 2)),
        usage: [n(3), n(4), n(5), n(6), n(7), n(8)],
        comp: [n(9), n(10), n(11), n(12), n(13), n(14)],
        surge_percent: n(15),
        held: n(16),
        owed: n(17),
        disposed: n(18),
        paid: n(19),
        distributed: n(20),
    }
}

pub fn month_stubs(conn: &Connection, name: &str, month: &str) -> Result<Vec<(Key, Stub)>, NodeError> {
    let sql = format!(
        "SELECT satellite_id, INSTR(codes, 'D') > 0, INSTR(codes, 'X') > 0, INSTR(codes, 'S') > 0, INSTR(codes, 'T') > 0,
                CASE WHEN surge_percent = 0 THEN 100 ELSE surge_percent END,
                disposed / 1000000.0, paid / 1000000.0, distributed / 1000000.0,
                CASE WHEN paid / 1000000.0 > distributed / 1000000.0 THEN paid / 1000000.0 - distributed / 1000000.0 ELSE 0 END,
                CASE WHEN distributed / 1000000.0 > paid / 1000000.0 THEN distributed / 1000000.0 - paid / 1000000.0 ELSE 0 END,
                {STUB_COLUMNS}
         FROM paystubs WHERE period = ?1"
    );
    rows(conn, name, &sql, [month], |r| {
        let flag = |i| int(val(r, i)) == Some(1);
        let n = |i| num(val(r, i)).unwrap_or(0.0);
        let stub = Stub {
            codes: [flag(1), flag(2), flag(3), flag(4)],
            surge: num(val(r, 5)).unwrap_or(100.0),
            disposed: n(6),
            paid: n(7),
            distributed: n(8),
            postponed: n(9),
            prev: n(10),
            row: stub_row(r, 11),
        };
        (Key::from_value(val(r, 0)), stub)
    })
}

/// Sums of the paystubs before the month: held, disposed, postponed (paid − distributed), USD.
pub fn stubs_before(conn: &Connection, name: &str, month: &str) -> Result<Vec<(Key, [f64; 3])>, NodeError> {
    rows(
        conn,
        name,
        "SELECT satellite_id, SUM(held) / 1000000.0, SUM(disposed) / 1000000.0, (SUM(paid) - SUM(distributed)) / 1000000.0
         FROM paystubs WHERE period < ?1 GROUP BY satellite_id",
        [month],
        |r| {
            let n = |i| num(val(r, i)).unwrap_or(0.0);
            (Key::from_value(val(r, 0)), [n(1), n(2), n(3)])
        },
    )
}

/// Every paystub, by period (the payout history).
pub fn all_stubs(conn: &Connection, name: &str) -> Result<Vec<(Key, StubRow)>, NodeError> {
    rows(conn, name, &format!("SELECT satellite_id, {STUB_COLUMNS} FROM paystubs ORDER BY period"), [], |r| {
        (Key::from_value(val(r, 0)), stub_row(r, 1))
    })
}

/// A payment row; `url` is earnings.py's (eth and zksync only).
#[derive(Debug, Clone, Default)]
pub struct Pay {
    pub id: i64,
    pub created_at: Option<String>,
    pub period: Option<String>,
    pub amount: f64,
    pub receipt: Option<String>,
    pub earnings_url: Option<String>,
}

/// Payments, by (period, created_at, id): `WHERE period = ?1` when `month` is given.
pub fn payments(conn: &Connection, name: &str, month: Option<&str>) -> Result<Vec<(Key, Pay)>, NodeError> {
    let filter = if month.is_some() { "WHERE period = ?1" } else { "WHERE ?1 IS NULL" };
    let sql = format!(
        "SELECT satellite_id, id, created_at, period, COALESCE(amount / 1000000.0, 0), receipt,
                CASE WHEN SUBSTR(receipt, 1, 4) = 'eth:' THEN 'https://etherscan.io/tx/' || SUBSTR(receipt, 5)
                     WHEN SUBSTR(receipt, 1, 7) = 'zksync:' THEN 'https://zkscan.io/explorer/transactions/' || SUBSTR(receipt, 8) END
         FROM payments {filter} ORDER BY period, created_at, id"
    );
    rows(conn, name, &sql, [month], |r| {
        let pay = Pay {
            id: int(val(r, 1)).unwrap_or(0),
            created_at: text(val(r, 2)),
            period: text(val(r, 3)),
            amount: num(val(r, 4)).unwrap_or(0.0),
            receipt: text(val(r, 5)),
            earnings_url: text(val(r, 6)),
        };
        (Key::from_value(val(r, 0)), pay)
    })
}
