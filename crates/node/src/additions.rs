//! What earnings.py does not print (NODE_DATA.md §3.9): paystubs with the rates actually paid,
//! payout and held history, payments with their receipts, scores with vetting, daily series.

use model::node_report as m;

use crate::earnings::{vetting_percent, SatFigures, HOURS_MONTH};
use crate::inputs::{Pay, Rep, StubRow};
use crate::satellites::{Key, Sat};

const TB: f64 = 1e12;

/// `usd / (bytes / scale)`, null on zero usage.
fn rate(usd: f64, bytes: f64) -> Option<f64> {
    (bytes != 0.0).then(|| usd / bytes)
}

fn rates(usage: &m::PaystubUsage, comp: &m::PaystubComp) -> m::PaystubRates {
    m::PaystubRates {
        disk_tbm: rate(comp.storage, (usage.byte_hours / HOURS_MONTH) / TB),
        egress_tb: rate(comp.egress, usage.get / TB),
        repair_tb: rate(comp.repair, usage.get_repair / TB),
        audit_tb: rate(comp.audit, usage.get_audit / TB),
    }
}

pub fn paystub(row: &StubRow) -> m::Paystub {
    let [at_rest, get, put, get_repair, put_repair, get_audit] = row.usage;
    let usage = m::PaystubUsage { byte_hours: at_rest, get, put, get_repair, put_repair, get_audit };
    let [storage, egress, cput, repair, cput_repair, audit] = row.comp;
    let comp = m::PaystubComp { storage, egress, put: cput, repair, put_repair: cput_repair, audit };
    m::Paystub {
        period: row.period.clone(),
        created_at: row.created_at.clone(),
        codes: row.codes.clone(),
        rates: rates(&usage, &comp),
        usage,
        comp,
        surge_percent: row.surge_percent,
        held: row.held,
        owed: row.owed,
        disposed: row.disposed,
        paid: row.paid,
        distributed: row.distributed,
    }
}

/// `totals.paystub`: the listed satellites' paystubs summed; null when none has one.
pub fn paystub_sum(figs: &[SatFigures]) -> Option<m::PaystubSum> {
    let stubs: Vec<&m::Paystub> = figs.iter().filter_map(|f| f.report.paystub.as_ref()).collect();
    if stubs.is_empty() {
        return None;
    }
    let s = |f: fn(&m::Paystub) -> f64| stubs.iter().fold(0.0, |acc, p| acc + f(p));
    let usage = m::PaystubUsage {
        byte_hours: s(|p| p.usage.byte_hours),
        get: s(|p| p.usage.get),
        put: s(|p| p.usage.put),
        get_repair: s(|p| p.usage.get_repair),
        put_repair: s(|p| p.usage.put_repair),
        get_audit: s(|p| p.usage.get_audit),
    };
    let comp = m::PaystubComp {
        storage: s(|p| p.comp.storage),
        egress: s(|p| p.comp.egress),
        put: s(|p| p.comp.put),
        repair: s(|p| p.comp.repair),
        put_repair: s(|p| p.comp.put_repair),
        audit: s(|p| p.comp.audit),
    };
    Some(m::PaystubSum {
        rates: rates(&usage, &comp),
        usage,
        comp,
        held: s(|p| p.held),
        owed: s(|p| p.owed),
        disposed: s(|p| p.disposed),
        paid: s(|p| p.paid),
        distributed: s(|p| p.distributed),
    })
}

/// Names any satellite id (listed or not) like the table does.
pub struct Namer<'a> {
    pub rows: &'a [crate::satellites::SatRow],
}

impl Namer<'_> {
    pub fn name(&self, key: &Key) -> String {
        match self.rows.iter().find(|r| r.key.matches(key)).and_then(|r| r.address.clone()) {
            Some(address) => address,
            None => crate::satellites::fallback_name(&key.hex()).to_string(),
        }
    }
}

/// Every paystub with the satellite's running held and postponed totals; by period, then name.
pub fn payout_history(stubs: &[(Key, StubRow)], namer: &Namer<'_>) -> Vec<m::PayoutHistoryRow> {
    let mut running: Vec<(Key, f64, f64)> = Vec::new();
    let mut rows: Vec<m::PayoutHistoryRow> = Vec::with_capacity(stubs.len());
    let mut ordered: Vec<&(Key, StubRow)> = stubs.iter().collect();
    ordered.sort_by(|a, b| a.1.period.cmp(&b.1.period));
    for (key, stub) in ordered {
        let at = match running.iter().position(|(k, _, _)| k == key) {
            Some(at) => at,
            None => {
                running.push((key.clone(), 0.0, 0.0));
                running.len() - 1
            }
        };
        running[at].1 += stub.held - stub.disposed;
        running[at].2 += stub.paid - stub.distributed;
        rows.push(m::PayoutHistoryRow {
            period: stub.period.clone(),
            satellite: key.id(),
            name: namer.name(key),
            surge_percent: stub.surge_percent,
            held: stub.held,
            disposed: stub.disposed,
            paid: stub.paid,
            distributed: stub.distributed,
            held_total: running[at].1,
            postponed_total: running[at].2,
        });
    }
    rows.sort_by(|a, b| a.period.cmp(&b.period).then_with(|| a.name.as_bytes().cmp(b.name.as_bytes())));
    rows
}

/// Held and returned per period over all satellites, with the running held total.
pub fn held_history(stubs: &[(Key, StubRow)]) -> Vec<m::HeldHistoryRow> {
    let mut rows: Vec<m::HeldHistoryRow> = Vec::new();
    let mut ordered: Vec<&StubRow> = stubs.iter().map(|(_, s)| s).collect();
    ordered.sort_by(|a, b| a.period.cmp(&b.period));
    for stub in ordered {
        match rows.last_mut() {
            Some(last) if last.period == stub.period => {
                last.held += stub.held;
                last.disposed += stub.disposed;
            }
            _ => rows.push(m::HeldHistoryRow { period: stub.period.clone(), held: stub.held, disposed: stub.disposed, held_total: 0.0 }),
        }
    }
    let mut total = 0.0;
    for row in &mut rows {
        total += row.held - row.disposed;
        row.held_total = total;
    }
    rows
}

/// A receipt's kind (its prefix) and explorer address (never fetched).
pub fn receipt_kind(receipt: Option<&str>) -> (&'static str, Option<String>) {
    let Some(receipt) = receipt else { return ("other", None) };
    let (prefix, rest) = receipt.split_once(':').unwrap_or(("", receipt));
    match prefix {
        "eth" => ("eth", Some(format!("https://etherscan.io/tx/{rest}"))),
        "zksync" => ("zksync", Some(format!("https://zkscan.io/explorer/transactions/{rest}"))),
        "zksync-era" => ("zksync-era", Some(format!("https://explorer.zksync.io/tx/{rest}"))),
        "zkwithdraw" => ("zkwithdraw", None),
        "polygon" => ("polygon", Some(format!("https://polygonscan.com/tx/{rest}"))),
        _ => ("other", None),
    }
}

/// Every payment, by period, created_at, id (the query's order).
pub fn payments(pays: &[(Key, Pay)], namer: &Namer<'_>) -> Vec<m::Payment> {
    pays.iter()
        .map(|(key, p)| {
            let (kind, url) = receipt_kind(p.receipt.as_deref());
            m::Payment {
                id: p.id,
                created_at: p.created_at.clone(),
                satellite: key.id(),
                name: namer.name(key),
                period: p.period.clone(),
                amount: p.amount,
                receipt: p.receipt.clone(),
                kind: kind.to_string(),
                url,
            }
        })
        .collect()
}

/// A row per reputation row: the listed satellites first in the table's order, then by name.
pub fn scores(reps: &[(Key, Rep)], sats: &[Sat], namer: &Namer<'_>) -> m::Scores {
    let mut rows: Vec<(usize, String, m::ScoreRow)> = reps
        .iter()
        .map(|(key, rep)| {
            let place = sats.iter().position(|s| s.key.matches(key)).unwrap_or(usize::MAX);
            let name = namer.name(key);
            let raw = &rep.raw;
            let [disqualified_at, suspended_at, offline_suspended_at, offline_under_review_at, updated_at, joined_at, vetted_at] =
                raw.timestamps.clone();
            let vetting = vetted_at.is_none().then(|| m::Vetting {
                audits: rep.vet_count.trunc() as i64,
                audits_needed: 100,
                hours: rep.vet_hours,
                hours_needed: 504.0,
                percent: vetting_percent(rep.vet_count, rep.vet_hours),
            });
            let row = m::ScoreRow {
                satellite: key.id(),
                name: name.clone(),
                audit_score: raw.audit_reputation_score,
                suspension_score: raw.audit_unknown_reputation_score,
                online_score: raw.online_score,
                audit_success_count: raw.audit_success_count,
                audit_total_count: raw.audit_total_count,
                disqualified_at,
                suspended_at,
                offline_suspended_at,
                offline_under_review_at,
                updated_at,
                joined_at,
                vetted_at,
                vetting,
            };
            (place, name, row)
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.as_bytes().cmp(b.1.as_bytes())));
    m::Scores { thresholds: m::Thresholds::default(), satellites: rows.into_iter().map(|(_, _, r)| r).collect() }
}
