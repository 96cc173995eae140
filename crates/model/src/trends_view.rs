//! The trend panels of the dashboard's view-model ([`crate::view::Analysis::trends`]): the
//! report's `"trends"` section (TRENDS.md section 8) for the chosen view, one node or all nodes,
//! as typed rows the page renders as they are, plus the page-side rules of TRENDS.md section 7
//! (score colours, the storage card, hourly success rates).
//!
//! The engine (`engine::trends::view`) builds it from the same figures as the report, so each
//! panel shows exactly what the download holds. Values the monitor stores as numbers arrive as
//! `Option<f64>`/`Option<i64>` (`None`: NULL, or a value of another type); text arrives as
//! `String` (empty for NULL).
//!
//! Empty states: every list may be empty. [`TrendsView::tables`] says whether the file has the
//! panel's table at all, so the page can tell "the monitor did not record this" (table missing)
//! from "nothing recorded yet" (table present, no rows for this view).

use serde::{Deserialize, Serialize};

pub use crate::trends::{Alert, TrendTables};

/// The trend panels for one request's view.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrendsView {
    /// The node of the view, `None` for all nodes together.
    pub node: Option<String>,
    /// Which trend tables the file has (missing table vs no rows).
    pub tables: TrendTables,
    /// Latest scores per satellite (section 2), by node then satellite; table hook
    /// `reputation-table`.
    pub reputation: Vec<ReputationView>,
    /// One node only (empty for all nodes): its polls of the last 24 hours, oldest first, for
    /// the `reputation-chart`.
    pub reputation_history: Vec<ReputationPoint>,
    /// One entry per node with snapshots (zero or one for a node, section 3); hook
    /// `storage-forecast`, summarised by [`StorageCard::of`]. At most [`LISTED_ROWS`]: see
    /// [`TrendsView::storage_totals`].
    pub storage_forecast: Vec<StorageForecastView>,
    /// The storage card's figures over every node of the view, made before a long list is cut.
    pub storage_totals: StorageTotals,
    /// Rows of `reputation` (alerts first) and of `storage_forecast` left out of a long
    /// all-nodes view: the page lists at most [`LISTED_ROWS`] of each; the download has all.
    pub reputation_left_out: usize,
    pub storage_left_out: usize,
    /// The payouts' count and sums over every row, and the rows left out of the list (newest
    /// [`LISTED_ROWS`] kept).
    pub payout_totals: PayoutTotals,
    pub payout_left_out: usize,
    /// One node only (empty for all nodes): its snapshots of the last 7 days, oldest first, for
    /// the `storage-chart` (used, trash and free over time).
    pub storage_history: Vec<StoragePoint>,
    /// The 6 newest hours (section 4), newest first; an hour written under two keys appears twice.
    pub hourly: Vec<HourlyView>,
    /// 25 hourly points, oldest first (section 5), for the `hourly-chart`; empty only when the
    /// original would fail on the file's rows (a warning says why).
    pub hourly_traffic: Vec<TrafficPoint>,
    /// Payouts of the last 360 days, newest first (section 6); hook `payout-history`. The
    /// original monitor never fills this table, so it is usually empty.
    pub payout_history: Vec<PayoutView>,
}

/// One satellite's newest reputation row (a `reputation-table` row).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReputationView {
    pub node_name: String,
    /// The satellite id as stored.
    pub satellite: String,
    /// Its display name (section 7): ap1, us1, eu1, saltlake, else the id's first 12 characters.
    pub satellite_name: String,
    pub timestamp: String,
    /// Scores in percent.
    pub audit_score: Option<f64>,
    pub suspension_score: Option<f64>,
    pub online_score: Option<f64>,
    pub audit_success_count: Option<i64>,
    pub audit_total_count: Option<i64>,
    pub is_disqualified: bool,
    pub is_suspended: bool,
    /// round(audit × 0.4 + suspension × 0.3 + online × 0.3, 2); `None` when a score is missing.
    pub health_score: Option<f64>,
    /// What the original's alert check raises for the row, in its order.
    pub alerts: Vec<Alert>,
}

/// One reputation poll of the node's last 24 hours (a `reputation-chart` point).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReputationPoint {
    pub timestamp: String,
    pub satellite: String,
    pub satellite_name: String,
    pub audit_score: Option<f64>,
    pub suspension_score: Option<f64>,
    pub online_score: Option<f64>,
    pub is_disqualified: bool,
    pub is_suspended: bool,
}

/// Why a growth rate is what it is (section 3).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrowthStatus {
    /// The slope is positive: a rate, and days until full when space is left.
    Growing,
    /// The slope is zero or negative: the rate is 0 ("shrinking or steady").
    Shrinking,
    /// The points vary by less than 0.1 % (`data_too_flat`): the rate is 0.
    Flat,
    /// The points span less than an hour (`insufficient_timespan`).
    ShortTimespan,
    /// Fewer than two points in the window (or all at one instant).
    #[default]
    NotEnoughData,
    /// Fewer than two snapshots with `used_bytes` in 30 days: only log-derived rows, no node API
    /// data (`growth_rates` is `{}`).
    NoApiData,
}

/// One growth window of a forecast entry (`1d`, `7d` or `30d`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GrowthWindowView {
    /// `1d`, `7d` or `30d`.
    pub window: String,
    pub days: i64,
    pub status: GrowthStatus,
    pub growth_rate_bytes_per_day: Option<i64>,
    pub growth_rate_gb_per_day: Option<f64>,
    pub days_until_full: Option<f64>,
    pub data_points: i64,
}

/// A node's newest snapshot with its growth forecast (a `storage-forecast` entry).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageForecastView {
    pub node_name: String,
    /// The newest snapshot's time.
    pub timestamp: String,
    pub total_bytes: Option<i64>,
    pub used_bytes: Option<i64>,
    /// The allocation left; negative when usage exceeds the allocation.
    pub available_bytes: Option<i64>,
    pub trash_bytes: Option<i64>,
    pub used_percent: Option<f64>,
    pub trash_percent: Option<f64>,
    pub available_percent: Option<f64>,
    /// The `7d` window's figures (the original's primary forecast) and why.
    pub status: GrowthStatus,
    pub growth_rate_bytes_per_day: Option<i64>,
    pub growth_rate_gb_per_day: Option<f64>,
    pub days_until_full: Option<f64>,
    pub forecast_data_points: i64,
    /// `1d`, `7d`, `30d` in that order; empty with [`GrowthStatus::NoApiData`].
    pub windows: Vec<GrowthWindowView>,
}

impl StorageForecastView {
    /// The window of `key` (`1d`, `7d`, `30d`), if computed.
    pub fn window(&self, key: &str) -> Option<&GrowthWindowView> {
        self.windows.iter().find(|w| w.window == key)
    }
}

/// One snapshot of the node's last 7 days (a `storage-chart` point).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoragePoint {
    pub timestamp: String,
    pub total_bytes: Option<i64>,
    pub used_bytes: Option<i64>,
    pub available_bytes: Option<i64>,
    pub trash_bytes: Option<i64>,
    pub used_percent: Option<f64>,
    pub trash_percent: Option<f64>,
    pub available_percent: Option<f64>,
    /// False for rows derived from log lines (only `available_bytes` is set).
    pub from_api: bool,
}

/// One row of the hourly table (section 4). Sums that are NULL show as 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HourlyView {
    /// The hour's key as stored (`…T08:00:00+00:00` or `…T08:00:00.000Z`).
    pub hour_timestamp: String,
    pub dl_success: i64,
    pub dl_fail: i64,
    pub ul_success: i64,
    pub ul_fail: i64,
    pub audit_success: i64,
    pub audit_fail: i64,
    pub total_download_size: i64,
    pub total_upload_size: i64,
    pub dl_mbps: f64,
    pub ul_mbps: f64,
    /// Section 7: successes / (successes + failures) × 100, 100 when both are 0.
    pub dl_success_rate: f64,
    pub ul_success_rate: f64,
    pub audit_success_rate: f64,
}

/// One hour of the 24-hour chart (section 5).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrafficPoint {
    /// The hour's key as stored, or iso(hour) for an hour without a row.
    pub timestamp: String,
    pub ingress_mbps: f64,
    pub egress_mbps: f64,
    pub ingress_bytes: i64,
    pub egress_bytes: i64,
    pub ingress_pieces: i64,
    pub egress_pieces: i64,
    /// Operations per second over the hour, 2 decimals.
    pub concurrency: f64,
    pub total_ops: i64,
}

/// One payout record (a `payout-history` row, `data-period` = [`PayoutView::period`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PayoutView {
    pub timestamp: String,
    pub node_name: String,
    pub satellite: String,
    pub satellite_name: String,
    /// `YYYY-MM`.
    pub period: String,
    pub actual_payout: Option<f64>,
    pub estimated_payout: Option<f64>,
    pub variance: Option<f64>,
    pub variance_percent: Option<f64>,
    pub payout_address: String,
    pub transaction_hash: String,
    pub notes: String,
}

// ----- page-side rules (TRENDS.md section 7) ------------------------------------------------

/// How a reputation score is coloured and worded (never by colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreLevel {
    /// ≥ 95.
    Good,
    /// ≥ 85.
    Fair,
    /// Below 85.
    Poor,
    /// 0 or missing: shown as "N/A".
    NotAvailable,
}

impl ScoreLevel {
    pub fn of(score: Option<f64>) -> ScoreLevel {
        match score {
            None => ScoreLevel::NotAvailable,
            Some(s) if s == 0.0 || s.is_nan() => ScoreLevel::NotAvailable,
            Some(s) if s >= 95.0 => ScoreLevel::Good,
            Some(s) if s >= 85.0 => ScoreLevel::Fair,
            Some(_) => ScoreLevel::Poor,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScoreLevel::Good => "good",
            ScoreLevel::Fair => "fair",
            ScoreLevel::Poor => "poor",
            ScoreLevel::NotAvailable => "N/A",
        }
    }
}

/// A score with 2 decimals, "N/A" for 0 or missing (section 7).
pub fn score_text(score: Option<f64>) -> String {
    match ScoreLevel::of(score) {
        ScoreLevel::NotAvailable => "N/A".into(),
        _ => format!("{:.2}", score.unwrap_or(0.0)),
    }
}

/// successes / (successes + failures) × 100, 100 when both are 0 (section 7).
pub fn success_rate(successes: i64, failures: i64) -> f64 {
    let n = successes as f64 + failures as f64;
    if n == 0.0 {
        100.0
    } else {
        successes as f64 / n * 100.0
    }
}

/// The storage card's time windows (section 7); 3 and 14 days use the `7d` rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageWindow {
    Day1,
    Day3,
    Day7,
    Day14,
    Day30,
}

impl StorageWindow {
    pub const ALL: [StorageWindow; 5] =
        [StorageWindow::Day1, StorageWindow::Day3, StorageWindow::Day7, StorageWindow::Day14, StorageWindow::Day30];

    /// The `growth_rates` key whose figures the window shows.
    pub fn rates_key(self) -> &'static str {
        match self {
            StorageWindow::Day1 => "1d",
            StorageWindow::Day3 | StorageWindow::Day7 | StorageWindow::Day14 => "7d",
            StorageWindow::Day30 => "30d",
        }
    }

    pub fn days(self) -> i64 {
        match self {
            StorageWindow::Day1 => 1,
            StorageWindow::Day3 => 3,
            StorageWindow::Day7 => 7,
            StorageWindow::Day14 => 14,
            StorageWindow::Day30 => 30,
        }
    }
}

/// "Full in" on the storage card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FullIn {
    /// floor(Σavailable / growth) days, at most 365.
    Days(i64),
    /// Above 365 days.
    MoreThanAYear,
    /// Nothing grows, or no space is left (Σavailable ≤ 0).
    NotAvailable,
}

impl FullIn {
    /// "~N days", ">365 days" or "N/A".
    pub fn label(self) -> String {
        match self {
            FullIn::Days(n) => format!("~{n} days"),
            FullIn::MoreThanAYear => ">365 days".into(),
            FullIn::NotAvailable => "N/A".into(),
        }
    }
}

/// Rows the all-nodes tables list at most (thousands of nodes are neither read nor cheap to send
/// and draw).
pub const LISTED_ROWS: usize = 100;

/// The payout history's count and sums over all its rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PayoutTotals {
    pub count: usize,
    pub actual: f64,
    pub estimated: f64,
}

/// The storage figures of a view over all its forecast entries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorageTotals {
    /// The card for each of [`StorageWindow::ALL`], in that order.
    pub cards: Vec<StorageCard>,
    /// Sums in bytes, as floats: over thousands of nodes they pass 2^53, which a message to the
    /// page cannot carry as an integer (only shown, rounded).
    pub used_bytes: f64,
    pub available_bytes: f64,
    pub nodes: usize,
}

impl StorageTotals {
    pub fn of(entries: &[StorageForecastView]) -> StorageTotals {
        StorageTotals {
            cards: StorageWindow::ALL.iter().map(|w| StorageCard::of(entries, *w)).collect(),
            used_bytes: entries.iter().map(|e| e.used_bytes.unwrap_or(0) as f64).sum(),
            available_bytes: entries.iter().map(|e| e.available_bytes.unwrap_or(0) as f64).sum(),
            nodes: entries.len(),
        }
    }

    /// The card of `window`.
    pub fn card(&self, window: StorageWindow) -> Option<StorageCard> {
        StorageWindow::ALL.iter().position(|w| *w == window).and_then(|i| self.cards.get(i).copied())
    }
}

impl TrendsView {
    /// Fills the totals and cuts the long lists to [`LISTED_ROWS`] (reputation rows with alerts
    /// first, each group in the original's order; the newest payouts).
    pub fn cut_long_lists(mut self) -> TrendsView {
        self.storage_totals = StorageTotals::of(&self.storage_forecast);
        self.payout_totals = PayoutTotals {
            count: self.payout_history.len(),
            actual: self.payout_history.iter().filter_map(|p| p.actual_payout).sum(),
            estimated: self.payout_history.iter().filter_map(|p| p.estimated_payout).sum(),
        };
        if self.payout_history.len() > LISTED_ROWS {
            self.payout_left_out = self.payout_history.len() - LISTED_ROWS;
            self.payout_history.truncate(LISTED_ROWS); // newest first: the newest are kept
        }
        if self.storage_forecast.len() > LISTED_ROWS {
            self.storage_left_out = self.storage_forecast.len() - LISTED_ROWS;
            self.storage_forecast.truncate(LISTED_ROWS);
        }
        if self.reputation.len() > LISTED_ROWS {
            let (mut shown, quiet): (Vec<ReputationView>, Vec<ReputationView>) =
                std::mem::take(&mut self.reputation).into_iter().partition(|r| !r.alerts.is_empty());
            let total = shown.len() + quiet.len();
            shown.extend(quiet);
            shown.truncate(LISTED_ROWS);
            self.reputation_left_out = total - shown.len();
            self.reputation = shown;
        }
        self
    }
}

/// The storage card over a view's forecast entries for one window (section 7).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StorageCard {
    /// Σused / (Σused + Σavailable) × 100 (NULL as 0); `None` when both sums are 0.
    pub used_percent: Option<f64>,
    /// Σ of the window's positive growth rates, bytes per day.
    pub growth_bytes_per_day: i64,
    pub full_in: FullIn,
}

impl StorageCard {
    pub fn of(entries: &[StorageForecastView], window: StorageWindow) -> StorageCard {
        let used: i128 = entries.iter().map(|e| e.used_bytes.unwrap_or(0) as i128).sum();
        let available: i128 = entries.iter().map(|e| e.available_bytes.unwrap_or(0) as i128).sum();
        let growth: i64 = entries
            .iter()
            .filter_map(|e| e.window(window.rates_key()).and_then(|w| w.growth_rate_bytes_per_day))
            .filter(|r| *r > 0)
            .fold(0i64, |a, r| a.saturating_add(r));
        let denominator = used + available;
        let used_percent = (denominator != 0).then(|| used as f64 / denominator as f64 * 100.0);
        let full_in = if growth <= 0 || available <= 0 {
            FullIn::NotAvailable
        } else {
            // As the original's page: a float quotient, floored.
            let days = (available as f64 / growth as f64).floor();
            if days > 365.0 {
                FullIn::MoreThanAYear
            } else {
                FullIn::Days(days as i64)
            }
        };
        StorageCard { used_percent, growth_bytes_per_day: growth, full_in }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_all_node_lists_are_cut_after_the_totals_alerts_first() {
        let entry = |i: i64| StorageForecastView {
            node_name: format!("n{i}"),
            used_bytes: Some(i),
            available_bytes: Some(10),
            ..Default::default()
        };
        let rep = |i: usize, alert: bool| ReputationView {
            node_name: format!("n{i}"),
            alerts: if alert { vec![Alert { alert_type: "node_suspended".into(), severity: "critical".into() }] } else { Vec::new() },
            ..Default::default()
        };
        let t = TrendsView {
            storage_forecast: (0..250).map(entry).collect(),
            reputation: (0..300).map(|i| rep(i, i == 299)).collect(),
            ..TrendsView::default()
        }
        .cut_long_lists();
        assert_eq!((t.storage_forecast.len(), t.storage_left_out), (LISTED_ROWS, 150));
        assert_eq!(
            (t.storage_totals.nodes, t.storage_totals.used_bytes, t.storage_totals.available_bytes),
            (250, (249 * 250 / 2) as f64, 2500.0)
        );
        assert_eq!(
            t.storage_totals.card(StorageWindow::Day7),
            Some(StorageCard::of(&(0..250).map(entry).collect::<Vec<_>>(), StorageWindow::Day7))
        );
        assert_eq!((t.reputation.len(), t.reputation_left_out), (LISTED_ROWS, 200));
        assert_eq!(t.reputation[0].node_name, "n299", "the row with an alert first");
        assert_eq!(t.reputation[1].node_name, "n0");
        let pay = |i: usize| PayoutView { actual_payout: Some(i as f64), ..Default::default() };
        let t = TrendsView { payout_history: (0..150).map(pay).collect(), ..TrendsView::default() }.cut_long_lists();
        assert_eq!((t.payout_history.len(), t.payout_left_out, t.payout_totals.count), (LISTED_ROWS, 50, 150));
        assert_eq!(t.payout_totals.actual, (0..150).sum::<usize>() as f64);
        // A short view is left whole.
        let short = TrendsView { storage_forecast: vec![entry(1)], ..TrendsView::default() }.cut_long_lists();
        assert_eq!((short.storage_forecast.len(), short.storage_left_out, short.storage_totals.nodes), (1, 0, 1));
    }

    #[test]
    fn score_levels() {
        assert_eq!(ScoreLevel::of(Some(99.7)), ScoreLevel::Good);
        assert_eq!(ScoreLevel::of(Some(95.0)), ScoreLevel::Good);
        assert_eq!(ScoreLevel::of(Some(87.16)), ScoreLevel::Fair);
        assert_eq!(ScoreLevel::of(Some(68.3)), ScoreLevel::Poor);
        assert_eq!(ScoreLevel::of(Some(0.0)), ScoreLevel::NotAvailable);
        assert_eq!(ScoreLevel::of(None), ScoreLevel::NotAvailable);
        assert_eq!(score_text(Some(68.30043140820942)), "68.30");
        assert_eq!(score_text(None), "N/A");
    }

    #[test]
    fn success_rates() {
        assert_eq!(success_rate(0, 0), 100.0);
        assert_eq!(success_rate(3, 1), 75.0);
        assert_eq!(success_rate(0, 2), 0.0);
    }

    fn entry(used: Option<i64>, available: Option<i64>, rate_7d: Option<i64>) -> StorageForecastView {
        StorageForecastView {
            used_bytes: used,
            available_bytes: available,
            windows: vec![GrowthWindowView { window: "7d".into(), days: 7, growth_rate_bytes_per_day: rate_7d, ..Default::default() }],
            ..Default::default()
        }
    }

    #[test]
    fn storage_card_of_the_fixture_node_2() {
        let e = entry(Some(3670810404856), Some(481028060015), Some(38650942923));
        let card = StorageCard::of(std::slice::from_ref(&e), StorageWindow::Day7);
        assert_eq!(card.full_in, FullIn::Days(12));
        assert_eq!(card.full_in.label(), "~12 days");
        assert_eq!(format!("{:.1}", card.used_percent.unwrap()), "88.4");
        // 3 and 14 days use the 7d rates; 1 day has no window here.
        assert_eq!(StorageCard::of(std::slice::from_ref(&e), StorageWindow::Day14).full_in, FullIn::Days(12));
        assert_eq!(StorageCard::of(std::slice::from_ref(&e), StorageWindow::Day1).full_in, FullIn::NotAvailable);
    }

    #[test]
    fn storage_card_sums_positive_rates_and_all_space() {
        let entries = [entry(Some(10), Some(1000), Some(1)), entry(None, Some(-500), Some(0)), entry(Some(10), Some(0), Some(-5))];
        let card = StorageCard::of(&entries, StorageWindow::Day7);
        assert_eq!(card.growth_bytes_per_day, 1);
        assert_eq!(card.full_in, FullIn::MoreThanAYear);
        assert_eq!(StorageCard::of(&[entry(Some(1), Some(-1), Some(5))], StorageWindow::Day7).full_in, FullIn::NotAvailable);
        assert_eq!(StorageCard::of(&[], StorageWindow::Day7).used_percent, None);
    }
}
