//! The node-database report (NODE_DATA.md §4.2, format `storj-node-report/1`): what the node's own
//! SQLite files say about a month, with earnings.py's figures (§3) and the satellites' paystubs
//! (§3.9). Fields are declared in output order; `None` is a line earnings.py does not print.
//!
//! Money in USD, sizes in bytes, unrounded (the page and the checker apply the printed precision).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub const NODE_REPORT_FORMAT: &str = "storj-node-report/1";

/// The node's database files, in NODE_DATA §1.1's order; each may come with `name-wal`.
pub const FILE_NAMES: [&str; 8] = [
    "satellites.db",
    "bandwidth.db",
    "storage_usage.db",
    "piece_spaced_used.db",
    "reputation.db",
    "heldamount.db",
    "pricing.db",
    "garbage_collection_filewalker_progress.db",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    pub format: String,
    /// UTC `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`.
    pub now: String,
    /// `given`, `newest-record` or `clock`.
    pub now_source: String,
    /// `YYYY-MM`.
    pub month: String,
    /// `past` or `current`.
    pub mode: String,
    /// Months with data, newest first.
    pub months: Vec<String>,
    pub files: Vec<NodeFile>,
    pub warnings: Vec<String>,
    pub notes: Vec<Note>,
    pub satellites: Vec<Satellite>,
    pub totals: Option<Totals>,
    pub disk: Option<Disk>,
    pub estimate: Option<Estimate>,
    pub payout: Option<Payout>,
    pub payout_history: Vec<PayoutHistoryRow>,
    pub payments: Vec<Payment>,
    pub held_history: Vec<HeldHistoryRow>,
    pub scores: Scores,
    pub series: Series,
    pub diagnostics: Diagnostics,
}

/// One of the node's files (§1.1's names in order, then others by name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeFile {
    pub name: String,
    /// The file stem of the role (`bandwidth`, `pricing`, …); `monitor` or `other` for the rest.
    pub role: String,
    pub required: bool,
    /// `loaded`, `missing`, `ignored` or `unpaired`.
    pub status: String,
    pub bytes: Option<u64>,
    /// `wal` or `rollback` (header bytes 18/19), null when not loaded.
    pub journal: Option<String>,
    pub wal: Option<WalInfo>,
    /// `MAX(version)` of the file's `versions` table (informative).
    pub schema_version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WalInfo {
    pub name: String,
    pub bytes: u64,
    /// Valid frames read (up to the first bad one).
    pub frames: u64,
    /// Frames applied (up to the last commit frame).
    pub applied_frames: u64,
    /// Committed transactions applied.
    pub transactions: u64,
    /// Whether the WAL header was valid (else the file was ignored).
    pub valid: bool,
}

/// `first-days`, or `deviation` with its percent (§3.8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<f64>,
}

/// One satellite's block of earnings.py's table (§3.3–3.6, §4.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Satellite {
    /// base58check of the 32-byte id (or `id_hex` for an odd id).
    pub id: String,
    pub id_hex: String,
    pub name: String,
    /// Current month only: `OK`, a vetting text, a warning…; `""` without a reputation row.
    pub status: Option<String>,
    pub price_disk_tbm: f64,
    pub price_egress_tb: f64,
    pub price_repair_tb: f64,
    pub price_audit_tb: f64,
    pub held_percent: i64,
    pub paid_percent: i64,
    pub joined: Option<String>,
    pub month_nr: Option<i64>,
    pub usage: Usage,
    pub storage: f64,
    pub egress: f64,
    pub repair: f64,
    pub audit: f64,
    pub repair_audit: f64,
    pub total: f64,
    pub held: f64,
    pub payout: f64,
    pub surge: Option<SatelliteSurge>,
    pub held_total: f64,
    pub held_returned: Option<f64>,
    pub held_total_after_return: Option<f64>,
    pub payout_after_return: Option<f64>,
    pub difference: Option<f64>,
    pub paid: Option<f64>,
    pub paid_previous_months: Option<f64>,
    pub paid_total: Option<f64>,
    pub paid_total_zksync_bonus: Option<f64>,
    pub payout_postponed: Option<f64>,
    pub payout_notes: Option<String>,
    pub transaction: Option<Transaction>,
    /// Current month only.
    pub reputation: Option<Reputation>,
    /// The satellite's paystub for the month (§3.9).
    pub paystub: Option<Paystub>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub put: i64,
    pub get: i64,
    pub get_audit: i64,
    pub get_repair: i64,
    pub put_repair: i64,
    pub bandwidth: i64,
    pub byte_hours: i64,
    /// byte_hours / 720 (bytes; "TB·month" as earnings.py prints it).
    pub tbm: f64,
    /// Current month only: `piece_space_used.total`.
    pub disk: Option<f64>,
    pub disk_last_report: Option<f64>,
    pub disk_average_so_far: Option<f64>,
    pub seconds_bh_included: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SatelliteSurge {
    pub percent: f64,
    pub storage: f64,
    pub egress: f64,
    pub repair_audit: f64,
    pub total: f64,
    pub held: f64,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    pub amount: f64,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reputation {
    pub disq_percent: f64,
    pub susp_percent: f64,
    pub down_percent: f64,
}

/// A satellite's paystub for a month, in USD and bytes, with the rates actually paid (§3.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paystub {
    pub period: String,
    pub created_at: Option<String>,
    pub codes: Option<String>,
    pub usage: PaystubUsage,
    pub comp: PaystubComp,
    pub surge_percent: f64,
    pub held: f64,
    pub owed: f64,
    pub disposed: f64,
    pub paid: f64,
    pub distributed: f64,
    pub rates: PaystubRates,
}

/// The sum of the listed satellites' paystubs (`totals.paystub`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaystubSum {
    pub usage: PaystubUsage,
    pub comp: PaystubComp,
    pub held: f64,
    pub owed: f64,
    pub disposed: f64,
    pub paid: f64,
    pub distributed: f64,
    pub rates: PaystubRates,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaystubUsage {
    pub byte_hours: f64,
    pub get: f64,
    pub put: f64,
    pub get_repair: f64,
    pub put_repair: f64,
    pub get_audit: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaystubComp {
    pub storage: f64,
    pub egress: f64,
    pub put: f64,
    pub repair: f64,
    pub put_repair: f64,
    pub audit: f64,
}

/// USD per TB·month / per TB actually paid; null on zero usage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PaystubRates {
    pub disk_tbm: Option<f64>,
    pub egress_tb: Option<f64>,
    pub repair_tb: Option<f64>,
    pub audit_tb: Option<f64>,
}

/// The upper block and the TOTAL row (§3.7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub upload: i64,
    pub upload_repair: i64,
    pub download: BandwidthLine,
    pub download_repair: BandwidthLine,
    pub download_audit: BandwidthLine,
    /// Null before 2019-09 (`storage_not_available`).
    pub disk_usage_month: Option<DiskUsageMonth>,
    pub total: TotalLine,
    /// Past mode only, when surged.
    pub total_surge: Option<TotalSurge>,
    pub storage_not_available: bool,
    pub table: TotalsTable,
    pub paystub: Option<PaystubSum>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandwidthLine {
    pub price_tb: f64,
    pub bandwidth: i64,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiskUsageMonth {
    pub price_tbm: f64,
    pub tbm: f64,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalLine {
    pub tbm: Option<f64>,
    pub bandwidth: i64,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalSurge {
    pub percent: Option<f64>,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsTable {
    pub held_total: f64,
    pub storage: f64,
    pub egress: f64,
    pub repair_audit: f64,
    pub held: f64,
    pub payout: f64,
    pub surge: Option<TableSurge>,
    pub held_returned: Option<f64>,
    pub held_total_after_return: Option<f64>,
    pub payout_after_return: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSurge {
    pub percent: Option<f64>,
    pub storage: f64,
    pub egress: f64,
    pub repair_audit: f64,
    pub held: f64,
    pub payout: f64,
}

/// The current month's disk lines (§3.8), bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disk {
    pub trash: f64,
    pub blobs: f64,
    pub current_total: f64,
    pub last_report: f64,
    pub average_so_far: f64,
    pub uncollected_garbage: f64,
    pub total_unpaid_data: f64,
}

/// The end-of-month estimate (current month only, §3.8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub month_passed: f64,
    pub hours_this_month: i64,
    pub total: EstimateTotal,
    pub table: EstimateTable,
    /// The real TB·month estimate in byte-months (addition).
    pub byte_months: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimateTotal {
    pub tbm: f64,
    pub bandwidth: f64,
    pub payout: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimateTable {
    pub held_total: f64,
    pub storage: f64,
    pub egress: f64,
    pub repair_audit: f64,
    pub held: f64,
    pub payout: f64,
}

/// The payout summary under the TOTAL row (§3.7); each line null unless printed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Payout {
    pub payout_difference: Option<f64>,
    pub total_payout_this_month: Option<f64>,
    pub paid_out_this_month: Option<f64>,
    pub postponed_this_month: Option<f64>,
    pub paid_previous_months: Option<f64>,
    pub paid_total: Option<f64>,
    pub paid_total_zksync_bonus: Option<f64>,
    pub postponed_payout_previous_months: Option<f64>,
    pub postponed_payout_total: Option<f64>,
}

/// One paystub of any month, with the satellite's running totals (§3.9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayoutHistoryRow {
    pub period: String,
    pub satellite: String,
    pub name: String,
    pub surge_percent: f64,
    pub held: f64,
    pub disposed: f64,
    pub paid: f64,
    pub distributed: f64,
    pub held_total: f64,
    pub postponed_total: f64,
}

/// One `payments` row (§3.9); `url` is never fetched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    pub id: i64,
    pub created_at: Option<String>,
    pub satellite: String,
    pub name: String,
    pub period: Option<String>,
    pub amount: f64,
    pub receipt: Option<String>,
    /// `eth`, `zksync`, `zksync-era`, `zkwithdraw`, `polygon` or `other`.
    pub kind: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeldHistoryRow {
    pub period: String,
    pub held: f64,
    pub disposed: f64,
    pub held_total: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub thresholds: Thresholds,
    pub satellites: Vec<ScoreRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub disqualification: f64,
    pub suspension: f64,
    pub online: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { disqualification: 0.96, suspension: 0.6, online: 0.6 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    pub satellite: String,
    pub name: String,
    pub audit_score: Option<f64>,
    pub suspension_score: Option<f64>,
    pub online_score: Option<f64>,
    pub audit_success_count: Option<i64>,
    pub audit_total_count: Option<i64>,
    pub disqualified_at: Option<String>,
    pub suspended_at: Option<String>,
    pub offline_suspended_at: Option<String>,
    pub offline_under_review_at: Option<String>,
    pub updated_at: Option<String>,
    pub joined_at: Option<String>,
    pub vetted_at: Option<String>,
    /// Null once vetted.
    pub vetting: Option<Vetting>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vetting {
    pub audits: i64,
    pub audits_needed: i64,
    pub hours: f64,
    pub hours_needed: f64,
    pub percent: i64,
}

/// The month's daily series (§3.9).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub days: Vec<String>,
    pub bandwidth: Vec<SeriesBandwidth>,
    pub storage: Vec<SeriesStorage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesBandwidth {
    pub date: String,
    pub satellite: String,
    pub put: i64,
    pub get: i64,
    pub get_audit: i64,
    pub get_repair: i64,
    pub put_repair: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesStorage {
    pub date: String,
    pub satellite: String,
    pub byte_hours: f64,
    pub hours: Option<f64>,
    pub average_bytes: Option<f64>,
}

/// Only this differs between the CLI's document and the page's download.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub timings_ms: IndexMap<String, f64>,
}

/// earnings.py's size text: the unit from the digit count of `int(|x|)`, 2 decimals
/// (`-582.08 GB`). The page writes sizes this way too (§4.4).
pub fn format_size(x: f64) -> String {
    const UNITS: [&str; 9] = ["B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    if !x.is_finite() {
        return format!("{x} B");
    }
    let digits = format!("{}", x.abs().trunc() as u128).len();
    let power = ((digits - 1) / 3).min(UNITS.len() - 1);
    format!("{:.2} {}", x / 1000f64.powi(power as i32), UNITS[power])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_earnings_py() {
        assert_eq!(format_size(0.0), "0.00 B");
        assert_eq!(format_size(999.0), "999.00 B");
        assert_eq!(format_size(1000.0), "1.00 KB");
        assert_eq!(format_size(114_190_000_000.0), "114.19 GB");
        assert_eq!(format_size(-582_080_000_000.0), "-582.08 GB");
        // 999.996 GB keeps the GB unit (digit count of the integer part) and rounds up in text.
        assert_eq!(format_size(999_996_000_000.0), "1000.00 GB");
    }
}
