//! The sums over the listed satellites (NODE_DATA.md §3.7) and the current month's disk lines,
//! estimate and notes (§3.8), in earnings.py's order of operations (Python's `sum`: left to right).

use model::node_report as m;

use crate::earnings::{SatFigures, EPS, HOURS_MONTH};

const TB: f64 = 1e12;

fn sum(figs: &[SatFigures], f: impl Fn(&SatFigures) -> f64) -> f64 {
    figs.iter().fold(0.0, |acc, s| acc + f(s))
}

fn sum_i(figs: &[SatFigures], f: impl Fn(&SatFigures) -> i64) -> i64 {
    figs.iter().fold(0i64, |acc, s| acc.saturating_add(f(s)))
}

/// A byte-weighted average price, or the plain mean of the prices without bytes.
fn average(figs: &[SatFigures], usd: f64, bytes: f64, price: impl Fn(&SatFigures) -> f64) -> f64 {
    if bytes > 0.0 {
        usd / bytes
    } else {
        sum(figs, price) / figs.len() as f64
    }
}

/// The sums the TOTAL rows, the payout block and the estimate share.
pub struct Sums {
    pub get: i64,
    pub get_repair: i64,
    pub get_audit: i64,
    pub byte_hours: i64,
    pub bandwidth: i64,
    pub egress: f64,
    pub repair: f64,
    pub audit: f64,
    pub storage: f64,
    pub total: f64,
    pub held: f64,
    pub payout: f64,
    pub price_tbm: f64,
    pub held_before: f64,
    pub disposed_before: f64,
}

pub fn sums(figs: &[SatFigures]) -> Sums {
    let s = |f: fn(&m::Satellite) -> f64| sum(figs, |x| f(&x.report));
    let get = sum_i(figs, |x| x.report.usage.get);
    let byte_hours = sum_i(figs, |x| x.report.usage.byte_hours);
    let storage = s(|r| r.storage);
    Sums {
        get,
        get_repair: sum_i(figs, |x| x.report.usage.get_repair),
        get_audit: sum_i(figs, |x| x.report.usage.get_audit),
        byte_hours,
        bandwidth: sum_i(figs, |x| x.report.usage.bandwidth),
        egress: s(|r| r.egress),
        repair: s(|r| r.repair),
        audit: s(|r| r.audit),
        storage,
        total: s(|r| r.total),
        held: s(|r| r.held),
        payout: s(|r| r.payout),
        price_tbm: average(figs, storage, (byte_hours as f64 / HOURS_MONTH) / TB, |x| x.report.price_disk_tbm),
        held_before: sum(figs, |x| x.held_before),
        disposed_before: sum(figs, |x| x.disposed_before),
    }
}

fn surged(figs: &[SatFigures]) -> bool {
    !figs.is_empty() && sum(figs, |x| x.surge) / figs.len() as f64 > 100.000001
}

fn surge_percent(figs: &[SatFigures], total: f64) -> Option<f64> {
    let total_s = sum(figs, |x| x.total_s);
    (total != 0.0).then(|| (total_s * 100.0) / total)
}

pub fn totals(figs: &[SatFigures], s: &Sums, month: &str, past: bool) -> m::Totals {
    let storage_not_available = month < "2019-09";
    let line = |price: f64, bytes: i64, usd: f64| m::BandwidthLine { price_tb: price, bandwidth: bytes, payout: usd };
    let tbm = s.byte_hours as f64 / HOURS_MONTH;
    let is_surged = surged(figs);
    let disposed = sum(figs, |x| x.ps_disposed);
    let payout_s = sum(figs, |x| x.payout_s);
    let returned = disposed > EPS;
    m::Totals {
        upload: sum_i(figs, |x| x.report.usage.put),
        upload_repair: sum_i(figs, |x| x.report.usage.put_repair),
        download: line(average(figs, s.egress, s.get as f64 / TB, |x| x.report.price_egress_tb), s.get, s.egress),
        download_repair: line(average(figs, s.repair, s.get_repair as f64 / TB, |x| x.report.price_repair_tb), s.get_repair, s.repair),
        download_audit: line(average(figs, s.audit, s.get_audit as f64 / TB, |x| x.report.price_audit_tb), s.get_audit, s.audit),
        disk_usage_month: (!storage_not_available).then_some(m::DiskUsageMonth { price_tbm: s.price_tbm, tbm, payout: s.storage }),
        total: m::TotalLine { tbm: (!storage_not_available).then_some(tbm), bandwidth: s.bandwidth, payout: s.total },
        total_surge: (past && is_surged).then(|| m::TotalSurge { percent: surge_percent(figs, s.total), payout: sum(figs, |x| x.total_s) }),
        storage_not_available,
        table: m::TotalsTable {
            held_total: s.held_before - s.disposed_before,
            storage: s.storage,
            egress: s.egress,
            repair_audit: s.repair + s.audit,
            held: s.held,
            payout: s.payout,
            surge: is_surged.then(|| m::TableSurge {
                percent: surge_percent(figs, s.total),
                storage: sum(figs, |x| x.storage_s),
                egress: sum(figs, |x| x.egress_s),
                repair_audit: sum(figs, |x| x.repair_s) + sum(figs, |x| x.audit_s),
                held: sum(figs, |x| x.held_s),
                payout: payout_s,
            }),
            held_returned: returned.then_some(disposed),
            held_total_after_return: returned.then_some(s.held_before - (s.disposed_before + disposed)),
            payout_after_return: returned.then_some(payout_s + disposed),
        },
        paystub: crate::additions::paystub_sum(figs),
    }
}

/// The payout block under the TOTAL row (§3.7).
pub fn payout(figs: &[SatFigures], month: &str) -> m::Payout {
    let paid = sum(figs, |x| x.ps_paid);
    let dist = sum(figs, |x| x.ps_dist);
    let postponed = sum(figs, |x| x.postponed);
    let prev = sum(figs, |x| x.prev);
    let disposed = sum(figs, |x| x.ps_disposed);
    let payout_s = sum(figs, |x| x.payout_s);
    let bonus = sum(figs, |x| x.paid_incl_bonus);
    let postponed_before = sum(figs, |x| x.postponed_before);
    let previous = postponed_before - prev;
    m::Payout {
        payout_difference: (paid > EPS).then_some(paid - (payout_s + disposed)),
        total_payout_this_month: (dist > EPS && postponed > EPS).then_some(paid),
        paid_out_this_month: (dist > EPS).then_some(dist - prev),
        postponed_this_month: (postponed > EPS).then_some(postponed),
        paid_previous_months: (prev > EPS).then_some(prev),
        paid_total: (prev > EPS).then_some(dist),
        paid_total_zksync_bonus: (bonus > dist && month >= "2021-10").then_some(bonus),
        postponed_payout_previous_months: (previous > EPS).then_some(previous),
        postponed_payout_total: (previous > EPS && paid - dist > EPS).then_some(postponed_before + postponed - prev),
    }
}

/// The disk lines of the current month (§3.8).
pub fn disk(figs: &[SatFigures], trash: i64) -> m::Disk {
    let blobs = sum_i(figs, |x| x.disk) as f64;
    let trash = trash as f64;
    let last_report = sum(figs, |x| x.disk_last_report);
    m::Disk {
        trash,
        blobs,
        current_total: blobs + trash,
        last_report,
        average_so_far: sum(figs, |x| x.disk_average_so_far.unwrap_or(0.0)),
        uncollected_garbage: blobs - last_report,
        total_unpaid_data: trash + blobs - last_report,
    }
}

/// The end-of-month estimate; none at `month_passed` = 0 (§3.8).
pub fn estimate(s: &Sums, average_so_far: f64, days: i64, month_passed: f64) -> Option<m::Estimate> {
    if month_passed == 0.0 || !month_passed.is_finite() {
        return None;
    }
    let hours = days * 24;
    let est_storage = (s.price_tbm / TB) * average_so_far * (hours as f64 / HOURS_MONTH);
    let est_egress = s.egress / month_passed;
    let est_repair = s.repair / month_passed;
    let est_audit = s.audit / month_passed;
    let est_total = est_storage + est_egress + est_repair + est_audit;
    let (held, payout) = if s.total > 0.0 { (est_total * s.held / s.total, est_total * s.payout / s.total) } else { (0.0, 0.0) };
    Some(m::Estimate {
        month_passed,
        hours_this_month: hours,
        total: m::EstimateTotal { tbm: average_so_far, bandwidth: s.bandwidth as f64 / month_passed, payout: est_total },
        table: m::EstimateTable {
            held_total: s.held_before - s.disposed_before + s.held / month_passed,
            storage: est_storage,
            egress: est_egress,
            repair_audit: est_repair + est_audit,
            held,
            payout,
        },
        byte_months: average_so_far * hours as f64 / HOURS_MONTH,
    })
}

/// At most one note: the first days of the month, or Disk Last Report deviating (§3.8).
pub fn notes(day: u32, disk: &m::Disk) -> Vec<m::Note> {
    if day == 1 || day == 2 {
        return vec![m::Note { kind: "first-days".into(), percent: None }];
    }
    let (last, avg) = (disk.last_report, disk.average_so_far);
    let diff = last - avg;
    if avg > 0.0 && diff.abs() > 100.0 * 1e9 && (diff / avg).abs() > 0.1 {
        return vec![m::Note { kind: "deviation".into(), percent: Some(100.0 * diff / avg) }];
    }
    Vec::new()
}
