//! The original monitor's tables, with its exact `CREATE TABLE` statements (as stored in
//! `sqlite_master` of a monitor database). No secondary indexes: the analyzer makes its own.

pub const CREATE_TABLES: &[&str] = &[
    "CREATE TABLE events (id INTEGER PRIMARY KEY, timestamp DATETIME, action TEXT, status TEXT, size INTEGER, piece_id TEXT, satellite_id TEXT, remote_ip TEXT, country TEXT, latitude REAL, longitude REAL, error_reason TEXT, node_name TEXT, duration_ms INTEGER)",
    "CREATE TABLE hourly_stats (hour_timestamp TEXT, node_name TEXT, dl_success INTEGER DEFAULT 0, dl_fail INTEGER DEFAULT 0, ul_success INTEGER DEFAULT 0, ul_fail INTEGER DEFAULT 0, audit_success INTEGER DEFAULT 0, audit_fail INTEGER DEFAULT 0, total_download_size INTEGER DEFAULT 0, total_upload_size INTEGER DEFAULT 0, PRIMARY KEY (hour_timestamp, node_name))",
    "CREATE TABLE app_persistent_state (key TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE storage_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, node_name TEXT NOT NULL, total_bytes INTEGER, used_bytes INTEGER, available_bytes INTEGER, trash_bytes INTEGER, used_percent REAL, trash_percent REAL, available_percent REAL)",
    "CREATE TABLE reputation_history (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, node_name TEXT NOT NULL, satellite TEXT NOT NULL, audit_score REAL, suspension_score REAL, online_score REAL, audit_success_count INTEGER, audit_total_count INTEGER, is_disqualified INTEGER DEFAULT 0, is_suspended INTEGER DEFAULT 0)",
    "CREATE TABLE earnings_estimates (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, node_name TEXT NOT NULL, satellite TEXT NOT NULL, period TEXT NOT NULL, egress_bytes INTEGER, egress_earnings_gross REAL, egress_earnings_net REAL, storage_bytes_hour INTEGER, storage_earnings_gross REAL, storage_earnings_net REAL, repair_bytes INTEGER, repair_earnings_gross REAL, repair_earnings_net REAL, audit_bytes INTEGER, audit_earnings_gross REAL, audit_earnings_net REAL, total_earnings_gross REAL, total_earnings_net REAL, held_amount REAL, node_age_months INTEGER, held_percentage REAL, is_finalized INTEGER DEFAULT 0)",
    "CREATE TABLE payout_history (id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, node_name TEXT NOT NULL, satellite TEXT NOT NULL, period TEXT NOT NULL, actual_payout REAL NOT NULL, estimated_payout REAL, variance REAL, variance_percent REAL, payout_address TEXT, transaction_hash TEXT, notes TEXT)",
];

pub const INSERT_EVENT: &str = "INSERT INTO events (timestamp, action, status, size, piece_id, satellite_id, remote_ip, country, latitude, longitude, error_reason, node_name, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

pub const INSERT_SNAPSHOT: &str = "INSERT INTO storage_snapshots (timestamp, node_name, total_bytes, used_bytes, available_bytes, trash_bytes, used_percent, trash_percent, available_percent) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

pub const INSERT_HOURLY: &str = "INSERT INTO hourly_stats (hour_timestamp, node_name, dl_success, dl_fail, ul_success, ul_fail, audit_success, audit_fail, total_download_size, total_upload_size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

pub const INSERT_REPUTATION: &str = "INSERT INTO reputation_history (timestamp, node_name, satellite, audit_score, suspension_score, online_score, audit_success_count, audit_total_count, is_disqualified, is_suspended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

pub const INSERT_ESTIMATE: &str = "INSERT INTO earnings_estimates (timestamp, node_name, satellite, period, egress_bytes, egress_earnings_gross, egress_earnings_net, storage_bytes_hour, storage_earnings_gross, storage_earnings_net, repair_bytes, repair_earnings_gross, repair_earnings_net, audit_bytes, audit_earnings_gross, audit_earnings_net, total_earnings_gross, total_earnings_net, held_amount, node_age_months, held_percentage, is_finalized) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

pub const INSERT_PAYOUT: &str = "INSERT INTO payout_history (timestamp, node_name, satellite, period, actual_payout, estimated_payout, variance, variance_percent, payout_address, transaction_hash, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
