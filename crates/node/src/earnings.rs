//! earnings.py's figures per satellite (NODE_DATA.md §3.3–3.6), in its order of operations.

use model::node_report as m;

use crate::inputs::{Bandwidth, Pay, Prices, Rep, Storage, Stub};
use crate::satellites::Sat;

pub const EPS: f64 = 0.000001;
const TB: f64 = 1e12;
/// Storj's hours per month (earnings.py: "720 instead of calculation").
pub const HOURS_MONTH: f64 = 720.0;
pub const ZKSYNC_BONUS: f64 = 1.03;

/// Everything earnings.py knows about one satellite for the month.
pub struct SatInput<'a> {
    pub sat: &'a Sat,
    pub bw: Bandwidth,
    pub storage: Option<Storage>,
    pub disk: i64,
    pub prices: Prices,
    pub rep: Option<&'a Rep>,
    pub gc: Option<&'a (bool, Option<String>)>,
    pub stub: Option<&'a Stub>,
    pub before: [f64; 3],
    pub pay: Option<&'a Pay>,
}

/// A satellite's figures, kept unrounded for the sums of §3.7.
pub struct SatFigures {
    pub report: m::Satellite,
    pub disk: i64,
    pub disk_last_report: f64,
    pub disk_average_so_far: Option<f64>,
    pub surge: f64,
    pub storage_s: f64,
    pub egress_s: f64,
    pub repair_s: f64,
    pub audit_s: f64,
    pub total_s: f64,
    pub held_s: f64,
    pub payout_s: f64,
    pub held_before: f64,
    pub disposed_before: f64,
    pub postponed_before: f64,
    pub ps_disposed: f64,
    pub ps_paid: f64,
    pub ps_dist: f64,
    pub postponed: f64,
    pub prev: f64,
    pub paid_incl_bonus: f64,
}

/// Held percentage by month number: 1–3 → 75, 4–6 → 50, 7–9 → 25, else 0.
pub fn held_percent(month_nr: i64) -> i64 {
    match month_nr {
        1..=3 => 75,
        4..=6 => 50,
        7..=9 => 25,
        _ => 0,
    }
}

/// The payout notes of a paystub's codes (D, X, S, T in this order).
pub fn payout_notes(codes: [bool; 4]) -> Option<String> {
    const NOTES: [&str; 4] = ["Disqualified", "Graceful Exit", "Sanctioned Country", "Tax form 1099 missing"];
    let notes: Vec<&str> = NOTES.iter().zip(codes).filter(|(_, on)| *on).map(|(n, _)| *n).collect();
    (!notes.is_empty()).then(|| notes.join(", "))
}

/// The vetting percentage: exponential and linear audit parts, capped by the time part (§3.8).
pub fn vetting_percent(audits: f64, hours: f64) -> i64 {
    let by_audits = (40.0 * (audits + 1.0).ln() / 101f64.ln() + 60.0 * (audits / 100.0)).round_ties_even();
    let by_time = 100.0 * hours / 504.0;
    let p = if by_time < by_audits { by_time } else { by_audits };
    p.trunc() as i64
}

/// The status text (§3.8), `""` without a reputation row.
pub fn status(rep: Option<&Rep>, gc: Option<&(bool, Option<String>)>) -> String {
    let Some(rep) = rep else { return String::new() };
    if rep.decided {
        return match rep.status.as_deref() {
            Some("Vetting ") => {
                let a = rep.vet_count;
                if a >= 100.0 && rep.vet_hours >= 504.0 {
                    format!("Vetting result pending > {}/100 Audits", a.trunc() as i64)
                } else {
                    format!("{}% Vetted > {}/100 Audits", vetting_percent(a, rep.vet_hours), a.trunc() as i64)
                }
            }
            Some(s) => s.to_string(),
            None => String::new(),
        };
    }
    match gc {
        Some((true, text)) => text.clone().unwrap_or_default(),
        _ => "OK".to_string(),
    }
}

pub fn figures(input: SatInput<'_>, month: &str, current: bool) -> SatFigures {
    let SatInput { sat, bw, storage, disk, prices, rep, gc, stub, before, pay } = input;
    // Saturating: a hostile file's sums can each be near i64::MAX.
    let bandwidth = [bw.get, bw.get_audit, bw.get_repair, bw.put_repair].iter().fold(bw.put, |a, b| a.saturating_add(*b));
    let byte_hours = storage.as_ref().map(|s| s.byte_hours).unwrap_or(0);
    let seconds = storage.as_ref().and_then(|s| s.seconds).unwrap_or(2_592_000);
    let disk_last_report = storage.as_ref().and_then(|s| s.disk_last_report).unwrap_or(0.0);
    let disk_average_so_far = (seconds != 0).then(|| (byte_hours as f64 * 3600.0) / seconds as f64);
    let disk = if current { disk } else { 0 };

    let egress = (prices.egress_tb / TB) * bw.get as f64;
    let audit = (prices.audit_tb / TB) * bw.get_audit as f64;
    let repair = (prices.repair_tb / TB) * bw.get_repair as f64;
    let storage_usd = (prices.disk_tbm / TB) * (byte_hours as f64 / HOURS_MONTH);
    let surge = stub.map(|s| s.surge).unwrap_or(100.0);
    let egress_s = (egress * surge) / 100.0;
    let audit_s = (audit * surge) / 100.0;
    let repair_s = (repair * surge) / 100.0;
    let storage_s = (storage_usd * surge) / 100.0;
    let total = egress + audit + repair + storage_usd;
    let total_s = ((egress + audit + repair + storage_usd) * surge) / 100.0;

    let month_nr = rep.and_then(|r| r.month_nr);
    let held_pct = held_percent(month_nr.unwrap_or(0));
    let held_frac = match held_pct {
        75 => 0.75,
        50 => 0.5,
        25 => 0.25,
        _ => 0.0,
    };
    let payout = (1.0 - held_frac) * total;
    let payout_s = (payout * surge) / 100.0;
    let held = held_frac * total;
    let held_s = (held * surge) / 100.0;

    let [held_before, disposed_before, postponed_before] = before;
    let (ps_disposed, ps_paid, ps_dist, postponed, prev) =
        stub.map(|s| (s.disposed, s.paid, s.distributed, s.postponed, s.prev)).unwrap_or_default();
    let url = pay.and_then(|p| p.earnings_url.clone());
    let bonus = url.as_deref().is_some_and(|u| u.contains("https://zkscan.io/"));
    let paid_incl_bonus = if bonus { ps_dist * ZKSYNC_BONUS } else { ps_dist };
    let returned = ps_disposed > EPS;

    let report = m::Satellite {
        id: sat.id.clone(),
        id_hex: sat.id_hex.clone(),
        name: sat.name.clone(),
        status: current.then(|| status(rep, gc)),
        price_disk_tbm: prices.disk_tbm,
        price_egress_tb: prices.egress_tb,
        price_repair_tb: prices.repair_tb,
        price_audit_tb: prices.audit_tb,
        held_percent: held_pct,
        paid_percent: 100 - held_pct,
        joined: rep.and_then(|r| r.joined.clone()),
        month_nr: rep.and_then(|r| r.joined.as_ref()).and(month_nr),
        usage: m::Usage {
            put: bw.put,
            get: bw.get,
            get_audit: bw.get_audit,
            get_repair: bw.get_repair,
            put_repair: bw.put_repair,
            bandwidth,
            byte_hours,
            tbm: byte_hours as f64 / HOURS_MONTH,
            disk: current.then_some(disk as f64),
            disk_last_report: current.then_some(disk_last_report),
            disk_average_so_far: if current { disk_average_so_far } else { None },
            seconds_bh_included: seconds,
        },
        storage: storage_usd,
        egress,
        repair,
        audit,
        repair_audit: repair + audit,
        total,
        held,
        payout,
        surge: (surge > 100.000001).then_some(m::SatelliteSurge {
            percent: surge,
            storage: storage_s,
            egress: egress_s,
            repair_audit: repair_s + audit_s,
            total: total_s,
            held: held_s,
            payout: payout_s,
        }),
        held_total: held_before - disposed_before,
        held_returned: returned.then_some(ps_disposed),
        held_total_after_return: returned.then_some(held_before - (disposed_before + ps_disposed)),
        payout_after_return: returned.then_some(payout_s + ps_disposed),
        difference: (ps_paid > EPS).then_some(ps_paid - (payout_s + ps_disposed)),
        paid: (ps_dist > EPS).then_some(ps_dist - prev),
        paid_previous_months: (prev > EPS).then_some(prev),
        paid_total: (prev > EPS).then_some(ps_dist),
        paid_total_zksync_bonus: (paid_incl_bonus > ps_dist && month >= "2021-10").then_some(paid_incl_bonus),
        payout_postponed: (postponed > EPS).then_some(postponed),
        payout_notes: stub.and_then(|s| payout_notes(s.codes)),
        transaction: url.map(|url| m::Transaction { amount: pay.map(|p| p.amount).unwrap_or(0.0), url }),
        reputation: current.then_some(match rep {
            Some(r) => {
                m::Reputation { disq_percent: r.audit_score, susp_percent: r.suspension_score, down_percent: 100.0 - r.uptime_score }
            }
            None => m::Reputation { disq_percent: 0.0, susp_percent: 0.0, down_percent: 100.0 },
        }),
        paystub: stub.map(|s| crate::additions::paystub(&s.row)),
    };
    SatFigures {
        report,
        disk,
        disk_last_report,
        disk_average_so_far,
        surge,
        storage_s,
        egress_s,
        repair_s,
        audit_s,
        total_s,
        held_s,
        payout_s,
        held_before,
        disposed_before,
        postponed_before,
        ps_disposed,
        ps_paid,
        ps_dist,
        postponed,
        prev,
        paid_incl_bonus,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_by_month_number() {
        let got: Vec<i64> = (0..=11).map(held_percent).collect();
        assert_eq!(got, vec![0, 75, 75, 75, 50, 50, 50, 25, 25, 25, 0, 0]);
        assert_eq!(held_percent(600), 0);
        assert_eq!(held_percent(-3), 0);
    }

    #[test]
    fn vetting_percent_rounds_half_even_and_caps_by_time() {
        // 66 audits: 40·ln 67/ln 101 + 39.6 = 76.17… → 76.
        assert_eq!(vetting_percent(66.0, 3000.0), 76);
        // Time-capped: 100·100/504 = 19.84… → 19.
        assert_eq!(vetting_percent(66.0, 100.0), 19);
        assert_eq!(vetting_percent(0.0, 1000.0), 0);
        assert_eq!(vetting_percent(100.0, 1000.0), 100);
        // Hostile counts never panic.
        let _ = vetting_percent(-5.0, f64::NAN);
    }

    #[test]
    fn notes_in_order() {
        assert_eq!(payout_notes([true, false, true, true]).as_deref(), Some("Disqualified, Sanctioned Country, Tax form 1099 missing"));
        assert_eq!(payout_notes([false; 4]), None);
    }
}
