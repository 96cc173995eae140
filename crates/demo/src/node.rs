//! A realistic storage node folder (NODE_DATA.md §1.1): the eight SQLite files of a current
//! node (migration 62 layouts), deterministic from a seed. `storj-lens demo --node DIR` writes
//! it; [`NodeDbs`] is also the tests' builder of hand-made node databases.
//!
//! The node joined a few months before `end`: several satellites (one still vetting), daily
//! bandwidth and storage tallies in the go-sqlite3 timestamp shape, paystubs with held amounts
//! by month number, small payouts postponed and paid later with `eth:` and `zksync:` receipts,
//! the trash row, a GC run in progress, and headers in WAL mode like a stopped node's copy.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rusqlite::{params, Connection};

use crate::DemoError;

/// The eight files, in NODE_DATA.md §1.1's order, with their tables as a current node creates them.
pub const SCHEMAS: [(&str, &str); 8] = [
    (
        "satellites.db",
        "CREATE TABLE satellites ( node_id BLOB NOT NULL, added_at TIMESTAMP NOT NULL, status INTEGER NOT NULL, address TEXT, PRIMARY KEY (node_id) );
         CREATE TABLE satellite_exit_progress ( satellite_id BLOB NOT NULL, initiated_at TIMESTAMP, finished_at TIMESTAMP,
           starting_disk_usage INTEGER NOT NULL, bytes_deleted INTEGER NOT NULL, completion_receipt BLOB,
           FOREIGN KEY (satellite_id) REFERENCES satellites (node_id) );",
    ),
    (
        "bandwidth.db",
        "CREATE TABLE bandwidth_usage ( interval_start TIMESTAMP NOT NULL, satellite_id BLOB NOT NULL, put_total BIGINT DEFAULT 0,
           get_total BIGINT DEFAULT 0, get_audit_total BIGINT DEFAULT 0, get_repair_total BIGINT DEFAULT 0,
           put_repair_total BIGINT DEFAULT 0, delete_total BIGINT DEFAULT 0, PRIMARY KEY (interval_start, satellite_id) );",
    ),
    (
        "storage_usage.db",
        "CREATE TABLE storage_usage ( timestamp TIMESTAMP NOT NULL, satellite_id BLOB NOT NULL, at_rest_total REAL NOT NULL,
           interval_end_time TIMESTAMP NOT NULL, PRIMARY KEY (timestamp, satellite_id) );",
    ),
    (
        "piece_spaced_used.db",
        "CREATE TABLE piece_space_used ( total INTEGER NOT NULL DEFAULT 0, content_size INTEGER NOT NULL, satellite_id BLOB );
         CREATE UNIQUE INDEX idx_piece_space_used_satellite_id ON piece_space_used(satellite_id);",
    ),
    (
        "reputation.db",
        "CREATE TABLE reputation ( satellite_id BLOB NOT NULL, audit_success_count INTEGER NOT NULL, audit_total_count INTEGER NOT NULL,
           audit_reputation_alpha REAL NOT NULL, audit_reputation_beta REAL NOT NULL, audit_reputation_score REAL NOT NULL,
           audit_unknown_reputation_alpha REAL NOT NULL, audit_unknown_reputation_beta REAL NOT NULL,
           audit_unknown_reputation_score REAL NOT NULL, online_score REAL NOT NULL, audit_history BLOB, disqualified_at TIMESTAMP,
           updated_at TIMESTAMP NOT NULL, suspended_at TIMESTAMP, offline_suspended_at TIMESTAMP, offline_under_review_at TIMESTAMP,
           joined_at TIMESTAMP NOT NULL, vetted_at TIMESTAMP, PRIMARY KEY (satellite_id) );",
    ),
    (
        "heldamount.db",
        "CREATE TABLE paystubs ( period text NOT NULL, satellite_id bytea NOT NULL, created_at timestamp NOT NULL, codes text NOT NULL,
           usage_at_rest double precision NOT NULL, usage_get bigint NOT NULL, usage_put bigint NOT NULL, usage_get_repair bigint NOT NULL,
           usage_put_repair bigint NOT NULL, usage_get_audit bigint NOT NULL, comp_at_rest bigint NOT NULL, comp_get bigint NOT NULL,
           comp_put bigint NOT NULL, comp_get_repair bigint NOT NULL, comp_put_repair bigint NOT NULL, comp_get_audit bigint NOT NULL,
           surge_percent bigint NOT NULL, held bigint NOT NULL, owed bigint NOT NULL, disposed bigint NOT NULL, paid bigint NOT NULL,
           distributed bigint NOT NULL, PRIMARY KEY ( period, satellite_id ) );
         CREATE TABLE payments ( id bigserial NOT NULL, created_at timestamp NOT NULL, satellite_id bytea NOT NULL, period text,
           amount bigint NOT NULL, receipt text, notes text, PRIMARY KEY ( id ) );",
    ),
    (
        "pricing.db",
        "CREATE TABLE pricing ( satellite_id BLOB NOT NULL, egress_bandwidth_price bigint NOT NULL, repair_bandwidth_price bigint NOT NULL,
           audit_bandwidth_price bigint NOT NULL, disk_space_price bigint NOT NULL, PRIMARY KEY ( satellite_id ) );",
    ),
    (
        "garbage_collection_filewalker_progress.db",
        "CREATE TABLE progress ( satellite_id BLOB NOT NULL, bloomfilter_created_before TIMESTAMP NOT NULL, last_checked_prefix TEXT NOT NULL,
           PRIMARY KEY (satellite_id) );",
    ),
];

/// Each file's last migration step (its `versions` table), as a v1.104+ node has them.
const VERSIONS: [i64; 8] = [53, 57, 54, 45, 59, 52, 48, 60];

/// The eight databases in memory: the tests' builder (insert rows, then take the bytes).
pub struct NodeDbs {
    pub conns: Vec<Connection>,
}

impl NodeDbs {
    /// Empty databases with the current layouts and their `versions` tables.
    pub fn new() -> Result<NodeDbs, DemoError> {
        let mut conns = Vec::with_capacity(8);
        for (i, (_, schema)) in SCHEMAS.iter().enumerate() {
            let conn = Connection::open_in_memory()?;
            conn.execute_batch(schema)?;
            conn.execute_batch("CREATE TABLE versions (version int, commited_at text);")?;
            conn.execute("INSERT INTO versions VALUES (?1, '2024-05-06 00:00:00')", [VERSIONS[i]])?;
            conns.push(conn);
        }
        Ok(NodeDbs { conns })
    }

    /// The connection of the file named `name` (one of [`SCHEMAS`]'s).
    pub fn conn(&self, name: &str) -> &Connection {
        let at = SCHEMAS.iter().position(|(n, _)| *n == name).unwrap_or(0);
        &self.conns[at]
    }

    /// The file `name`'s bytes; `wal_mode` sets header bytes 18/19 to 2 like a WAL-mode node file.
    pub fn bytes(&mut self, name: &str, wal_mode: bool) -> Result<Vec<u8>, DemoError> {
        let at = SCHEMAS.iter().position(|(n, _)| *n == name).unwrap_or(0);
        let data = self.conns[at].serialize(rusqlite::MAIN_DB)?;
        let mut bytes = data.to_vec();
        if wal_mode && bytes.len() >= 20 {
            bytes[18] = 2;
            bytes[19] = 2;
        }
        Ok(bytes)
    }

    /// All eight files, `(name, bytes)` in §1.1's order.
    pub fn files(&mut self, wal_mode: bool) -> Result<Vec<(String, Vec<u8>)>, DemoError> {
        SCHEMAS.iter().map(|(name, _)| Ok((name.to_string(), self.bytes(name, wal_mode)?))).collect()
    }
}

/// The production satellites' raw ids (base58check decoded) and addresses.
pub const SATELLITES: [(&str, &str); 4] = [
    ("A28B4F04E10BAE85D67F4C6CB82BF8D4C0F0F47A8EA72627524DEB6EC0000000", "us1.storj.io:7777"),
    ("AF2C42003EFC826AB4361F73F9D890942146FE0EBE806786F8E7190800000000", "eu1.storj.io:7777"),
    ("84A74C2CD43C5BA76535E1F42F5DF7C287ED68D33522782F4AFABFDB40000000", "ap1.storj.io:7777"),
    ("7B2DE9D72C2E935F1918C058CAAF8ED00F0581639008707317FF1BD000000000", "saltlake.tardigrade.io:7777"),
];

/// A hex id's 32 bytes.
pub fn id_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

/// What the node folder shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeDemoOptions {
    /// Everything random follows from this.
    pub seed: u64,
    /// The instant the copy was taken.
    pub end: DateTime<Utc>,
    /// Months since the node joined (at least 2).
    pub months: u32,
    /// WAL-mode headers (bytes 18/19 = 2), like a stopped node's files.
    pub wal_mode: bool,
}

impl Default for NodeDemoOptions {
    fn default() -> Self {
        NodeDemoOptions {
            seed: 1,
            end: Utc.with_ymd_and_hms(2025, 10, 10, 12, 0, 0).single().unwrap_or_default(),
            months: 7,
            wal_mode: true,
        }
    }
}

/// go-sqlite3's timestamp text: `2025-04-14 08:40:14.548891+00:00`.
fn go_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string()
}

fn month_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

/// Per satellite: share of the node's traffic, and days after the node's start it joined.
const SHARE: [f64; 4] = [0.45, 0.3, 0.15, 0.1];
const JOIN_DELAY_DAYS: [i64; 4] = [0, 0, 2, 75];

/// Generates the eight files of a node folder.
pub fn generate_node(opts: &NodeDemoOptions) -> Result<Vec<(String, Vec<u8>)>, DemoError> {
    if opts.months < 2 || opts.months > 120 {
        return Err(DemoError::InvalidOptions("--months must be between 2 and 120".into()));
    }
    let mut rng = fastrand::Rng::with_seed(crate::num::mix(opts.seed, 11));
    let mut dbs = NodeDbs::new()?;
    let end = opts.end.naive_utc();
    let end_day = end.date();
    // Start on the 2nd of the month `months` months back, at a random time of day.
    let mut start_month = NaiveDate::from_ymd_opt(end_day.year(), end_day.month(), 1).unwrap_or(end_day);
    for _ in 0..opts.months {
        start_month = start_month.pred_opt().and_then(|d| d.with_day(1)).unwrap_or(start_month);
    }
    let start = start_month.and_hms_opt(9, 20 + rng.u32(0..30), rng.u32(0..60)).unwrap_or_default() + Duration::days(1);

    let sats: Vec<(Vec<u8>, &str)> = SATELLITES.iter().map(|(hex, addr)| (id_bytes(hex), *addr)).collect();
    let joined: Vec<NaiveDateTime> =
        JOIN_DELAY_DAYS.iter().map(|d| start + Duration::days(*d) + Duration::seconds(rng.i64(0..3600))).collect();

    // satellites.db, pricing.db
    for (i, (id, addr)) in sats.iter().enumerate() {
        dbs.conn("satellites.db").execute("INSERT INTO satellites VALUES (?1, ?2, 1, ?3)", params![id, go_time(joined[i]), addr])?;
        dbs.conn("pricing.db").execute("INSERT INTO pricing VALUES (?1, 200, 200, 200, 149)", params![id])?;
    }

    // Daily bandwidth and storage tallies; stored bytes grow by about 25 GB a day.
    let mut stored = vec![0f64; sats.len()];
    let mut prev_end: Vec<Option<NaiveDateTime>> = vec![None; sats.len()];
    let mut day = start.date();
    let bw = dbs.conn("bandwidth.db");
    let su = dbs.conn("storage_usage.db");
    while day <= end_day {
        let growth = 1.0 + (day - start.date()).num_days() as f64 / 120.0;
        for (i, (id, _)) in sats.iter().enumerate() {
            let day_start = day.and_hms_opt(0, 0, 0).unwrap_or_default();
            if day_start + Duration::days(1) < joined[i] {
                continue;
            }
            let partial = if day == end_day { (end - day_start).num_seconds() as f64 / 86400.0 } else { 1.0 };
            let noise = |rng: &mut fastrand::Rng| 0.7 + 0.6 * rng.f64();
            let put = (14e9 * SHARE[i] * growth * noise(&mut rng) * partial) as i64;
            let get = (2.5e9 * SHARE[i] * growth * noise(&mut rng) * partial) as i64;
            let get_repair = (0.3e9 * SHARE[i] * noise(&mut rng) * partial) as i64;
            let put_repair = (0.4e9 * SHARE[i] * noise(&mut rng) * partial) as i64;
            let get_audit = ((20 + rng.i64(0..200)) as f64 * 2560.0 * partial) as i64;
            bw.execute(
                "INSERT INTO bandwidth_usage VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
                params![go_time(day_start), id, put, get, get_audit, get_repair, put_repair],
            )?;
            stored[i] += put as f64 * 0.8 - stored[i] * 0.004;
            // The satellite's tally for the day, ending about a day after the previous one; the
            // newest day's tally has not come yet (its row is the incomplete marker).
            if day == end_day {
                su.execute("INSERT INTO storage_usage VALUES (?1, ?2, 0, '0001-01-01 00:00:00+00:00')", params![go_time(day_start), id])?;
                continue;
            }
            let tally_end = day_start + Duration::hours(23) + Duration::seconds(rng.i64(0..7200));
            let hours = match prev_end[i] {
                Some(p) => (tally_end - p).num_seconds() as f64 / 3600.0,
                None => 24.0,
            };
            su.execute(
                "INSERT INTO storage_usage VALUES (?1, ?2, ?3, ?4)",
                params![go_time(day_start), id, stored[i] * hours, go_time(tally_end)],
            )?;
            prev_end[i] = Some(tally_end);
        }
        day = day.succ_opt().unwrap_or(day);
        if day == NaiveDate::MAX {
            break;
        }
    }

    // Disk usage now, the trash row, a GC run in progress for us1.
    let psu = dbs.conn("piece_spaced_used.db");
    for (i, (id, _)) in sats.iter().enumerate() {
        let total = (stored[i] * (1.03 + 0.04 * rng.f64())) as i64;
        psu.execute("INSERT INTO piece_space_used VALUES (?1, ?2, ?3)", params![total, total - total / 100, id])?;
    }
    let trash = (stored.iter().sum::<f64>() * 0.02) as i64;
    psu.execute("INSERT INTO piece_space_used VALUES (?1, ?1, 'trashtotal')", params![trash])?;
    dbs.conn("garbage_collection_filewalker_progress.db").execute(
        "INSERT INTO progress VALUES (?1, ?2, ?3)",
        params![sats[0].0, go_time(end - Duration::days(3)), format!("{}{}", (b'a' + rng.u8(0..26)) as char, rng.u8(0..10))],
    )?;

    // Reputation: saltlake joined last and is still vetting.
    for (i, (id, _)) in sats.iter().enumerate() {
        let audits = if i == 3 { 20 + rng.i64(0..50) } else { 1500 + rng.i64(0..4000) };
        let vetted = (i != 3).then(|| go_time(joined[i] + Duration::days(30 + rng.i64(0..20))));
        let audit_score = 1.0 - 0.00002 * rng.f64();
        let online = 0.985 + 0.014 * rng.f64();
        dbs.conn("reputation.db").execute(
            "INSERT INTO reputation VALUES (?1, ?2, ?2, 20.0, 0.0, ?3, 20.0, 0.0, 1.0, ?4, NULL, NULL, ?5, NULL, NULL, NULL, ?6, ?7)",
            params![id, audits, audit_score, online, go_time(end - Duration::minutes(rng.i64(1..90))), go_time(joined[i]), vetted],
        )?;
    }

    // Paystubs for each closed month, payments of what reached the threshold.
    let held_pct = |nr: i64| match nr {
        1..=3 => 75,
        4..=6 => 50,
        7..=9 => 25,
        _ => 0,
    };
    let held_db = dbs.conn("heldamount.db");
    let mut owed_so_far = vec![0i64; sats.len()];
    let mut payment_id = 1000 + rng.i64(0..1000);
    let mut month = start_month;
    let end_month = NaiveDate::from_ymd_opt(end_day.year(), end_day.month(), 1).unwrap_or(end_day);
    while month < end_month {
        let period = month_text(month);
        let (from, to) = (format!("{period}-01"), format!("{}-01", month_text(next_month(month))));
        let created =
            next_month(month).and_hms_opt(12, 0, 0).unwrap_or_default() + Duration::days(2) + Duration::seconds(rng.i64(0..36000));
        for (i, (id, _)) in sats.iter().enumerate() {
            let (get, get_repair, get_audit, put, put_repair): (i64, i64, i64, i64, i64) = bw.query_row(
                "SELECT COALESCE(SUM(get_total),0), COALESCE(SUM(get_repair_total),0), COALESCE(SUM(get_audit_total),0),
                        COALESCE(SUM(put_total),0), COALESCE(SUM(put_repair_total),0)
                 FROM bandwidth_usage WHERE satellite_id = ?1 AND interval_start >= ?2 AND interval_start < ?3",
                params![id, from, to],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let at_rest: f64 = su.query_row(
                "SELECT COALESCE(SUM(at_rest_total),0) FROM storage_usage WHERE satellite_id = ?1 AND timestamp >= ?2 AND timestamp < ?3",
                params![id, from, to],
                |r| r.get(0),
            )?;
            if get == 0 && at_rest == 0.0 {
                continue;
            }
            // µUSD at the satellites' rates ($1.50/TB·month, $2/TB egress, repair, audit).
            let micros = |usd: f64| (usd * 1e6).round() as i64;
            let comp_at_rest = micros(1.5 * at_rest / 720.0 / 1e12);
            let (comp_get, comp_repair, comp_audit) =
                (micros(2.0 * get as f64 / 1e12), micros(2.0 * get_repair as f64 / 1e12), micros(2.0 * get_audit as f64 / 1e12));
            let owed_total = comp_at_rest + comp_get + comp_repair + comp_audit;
            let joined_month = NaiveDate::from_ymd_opt(joined[i].year(), joined[i].month(), 1).unwrap_or(month);
            let nr = 1 + (month.year() - joined_month.year()) as i64 * 12 + month.month() as i64 - joined_month.month() as i64;
            let held = owed_total * held_pct(nr) / 100;
            let owed = owed_total - held;
            owed_so_far[i] += owed;
            // Payouts below $1 wait for a later month (the threshold), then go out with it.
            let (paid, distributed) = if owed_so_far[i] >= 1_000_000 {
                let d = owed_so_far[i];
                owed_so_far[i] = 0;
                (owed, d)
            } else {
                (owed, 0)
            };
            held_db.execute(
                "INSERT INTO paystubs VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12, 0, ?13, 0, ?14, ?15, 0, ?16, ?17)",
                params![
                    period,
                    id,
                    go_time(created),
                    at_rest,
                    get,
                    put,
                    get_repair,
                    put_repair,
                    get_audit,
                    comp_at_rest,
                    comp_get,
                    comp_repair,
                    comp_audit,
                    held,
                    owed,
                    paid,
                    distributed
                ],
            )?;
            if distributed > 0 {
                payment_id += 1 + rng.i64(0..50_000);
                let hash: String = (0..64).map(|_| char::from_digit(rng.u32(0..16), 16).unwrap_or('0')).collect();
                // us1 and saltlake pay through zkSync, the others on Ethereum.
                let receipt = if i == 0 || i == 3 { format!("zksync:0x{hash}") } else { format!("eth:0x{hash}") };
                held_db.execute(
                    "INSERT INTO payments VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)",
                    params![payment_id, go_time(created + Duration::hours(30)), id, period, distributed, receipt],
                )?;
            }
        }
        month = next_month(month);
    }
    dbs.files(opts.wal_mode)
}

/// Writes the node folder into `dir` (created if missing); refuses to overwrite a file unless
/// `overwrite`. Returns the names written.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_node_folder(dir: &std::path::Path, opts: &NodeDemoOptions, overwrite: bool) -> Result<Vec<(String, u64)>, DemoError> {
    let files = generate_node(opts)?;
    std::fs::create_dir_all(dir).map_err(|e| DemoError::Io(dir.to_path_buf(), e))?;
    if !overwrite {
        if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).exists()) {
            return Err(DemoError::Exists(dir.join(name)));
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let path = dir.join(&name);
        std::fs::write(&path, &bytes).map_err(|e| DemoError::Io(path.clone(), e))?;
        written.push((name, bytes.len() as u64));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes() {
        let opts = NodeDemoOptions { months: 3, ..NodeDemoOptions::default() };
        let a = generate_node(&opts).unwrap();
        let b = generate_node(&opts).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 8);
        assert!(a.iter().all(|(_, bytes)| bytes[18] == 2 && bytes[19] == 2));
        let c = generate_node(&NodeDemoOptions { seed: 2, ..opts }).unwrap();
        assert_ne!(a, c);
    }

    #[test]
    fn rejects_too_few_months() {
        assert!(generate_node(&NodeDemoOptions { months: 1, ..NodeDemoOptions::default() }).is_err());
    }
}
