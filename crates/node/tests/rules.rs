//! Each rule of NODE_DATA.md §2–3 on tiny hand-made node databases (demo::node::NodeDbs): the
//! expected values follow from the formulas and the rows written here.

use demo::node::{id_bytes, NodeDbs, SATELLITES};
use model::node_report::{NodeReport, Satellite};
use node::{NodeError, NodeSet};
use rusqlite::params;

const US1: usize = 0;
const EU1: usize = 1;
const AP1: usize = 2;

fn id(i: usize) -> Vec<u8> {
    id_bytes(SATELLITES[i].0)
}

/// Databases with the three satellites' rows and prices: what every case starts from.
fn base() -> NodeDbs {
    let dbs = NodeDbs::new().expect("dbs");
    for i in [US1, EU1, AP1] {
        dbs.conn("satellites.db")
            .execute("INSERT INTO satellites VALUES (?1, '2019-02-14 08:00:00+00:00', 1, ?2)", params![id(i), SATELLITES[i].1])
            .expect("satellite");
        dbs.conn("pricing.db").execute("INSERT INTO pricing VALUES (?1, 200, 1000, 1000, 150)", params![id(i)]).expect("price");
    }
    dbs.conn("piece_spaced_used.db").execute("INSERT INTO piece_space_used VALUES (5000, 5000, 'trashtotal')", []).expect("trash");
    dbs
}

fn set(dbs: &mut NodeDbs) -> NodeSet {
    let mut set = NodeSet::new();
    for (name, bytes) in dbs.files(true).expect("files") {
        set.add(&name, bytes).expect("add");
    }
    set
}

fn report(dbs: &mut NodeDbs, month: &str, now: &str) -> NodeReport {
    set(dbs).report(Some(month), Some(now), 0).expect("report")
}

fn sat<'a>(r: &'a NodeReport, name: &str) -> &'a Satellite {
    r.satellites
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("{name} not listed in {:?}", r.satellites.iter().map(|s| &s.name).collect::<Vec<_>>()))
}

fn bandwidth(dbs: &NodeDbs, at: &str, i: usize, get: i64) {
    dbs.conn("bandwidth.db")
        .execute("INSERT INTO bandwidth_usage VALUES (?1, ?2, 10, ?3, 0, 0, 0, 0)", params![at, id(i), get])
        .expect("bandwidth");
}

fn tally(dbs: &NodeDbs, ts: &str, i: usize, bh: f64, end: &str) {
    dbs.conn("storage_usage.db").execute("INSERT INTO storage_usage VALUES (?1, ?2, ?3, ?4)", params![ts, id(i), bh, end]).expect("tally");
}

fn reputation(dbs: &NodeDbs, i: usize, joined: &str, vetted: Option<&str>, audits: i64, scores: (f64, f64, f64)) {
    dbs.conn("reputation.db")
        .execute(
            "INSERT INTO reputation VALUES (?1, ?2, ?2, 1, 0, ?3, 1, 0, ?4, ?5, NULL, NULL, '2025-04-14 00:00:00+00:00', NULL, NULL, NULL, ?6, ?7)",
            params![id(i), audits, scores.0, scores.1, scores.2, joined, vetted],
        )
        .expect("reputation");
}

#[allow(clippy::too_many_arguments)]
fn paystub(dbs: &NodeDbs, period: &str, i: usize, codes: &str, surge: i64, held: i64, disposed: i64, paid: i64, distributed: i64) {
    dbs.conn("heldamount.db")
        .execute(
            "INSERT INTO paystubs VALUES (?1, ?2, '2025-04-05 00:00:00+00:00', ?3, 7.2e14, 1e12, 0, 0, 0, 0, 1500000, 2000000, 0, 0, 0, 0, ?4, ?5, 0, ?6, ?7, ?8)",
            params![period, id(i), codes, surge, held, disposed, paid, distributed],
        )
        .expect("paystub");
}

fn payment(dbs: &NodeDbs, id_: i64, period: &str, i: usize, amount: i64, receipt: &str) {
    dbs.conn("heldamount.db")
        .execute(
            "INSERT INTO payments VALUES (?1, '2025-04-06 00:00:00+00:00', ?2, ?3, ?4, ?5, NULL)",
            params![id_, id(i), period, amount, receipt],
        )
        .expect("payment");
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn month_window_compares_stored_text() {
    let mut dbs = base();
    // +02:00: its local date (March 1st) decides, though it is February 28 in UTC.
    bandwidth(&dbs, "2025-03-01 01:00:00+02:00", US1, 1000);
    bandwidth(&dbs, "2025-02-28T23:00:00Z", US1, 20);
    bandwidth(&dbs, "2025-03-31 23:59:59.999999+00:00", US1, 300);
    bandwidth(&dbs, "2025-04-01 00:00:00", US1, 4000);
    // A number never falls in a window.
    dbs.conn("bandwidth.db")
        .execute("INSERT INTO bandwidth_usage VALUES (1741000000, ?1, 0, 50000, 0, 0, 0, 0)", params![id(US1)])
        .expect("int");
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    assert_eq!(sat(&r, "us1.storj.io:7777").usage.get, 1300);
    assert_eq!(sat(&r, "us1.storj.io:7777").usage.put, 20);
    let r = report(&mut dbs, "2025-02", "2025-04-14T00:00:00Z");
    assert_eq!(sat(&r, "us1.storj.io:7777").usage.get, 20);
    assert_eq!(r.totals.as_ref().map(|t| t.download.bandwidth), Some(20));
}

#[test]
fn egress_repair_audit_dollars_and_averaged_prices() {
    let mut dbs = base();
    dbs.conn("bandwidth.db")
        .execute(
            "INSERT INTO bandwidth_usage VALUES ('2025-03-02 00:00:00+00:00', ?1, 1, 3000000000000, 7, 500000000000, 9, 0)",
            params![id(US1)],
        )
        .expect("bw");
    dbs.conn("pricing.db")
        .execute("UPDATE pricing SET egress_bandwidth_price = 400 WHERE satellite_id = ?1", params![id(EU1)])
        .expect("price");
    bandwidth(&dbs, "2025-03-02 00:00:00+00:00", EU1, 1_000_000_000_000);
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    assert!(close(us1.egress, (2.0 / 1e12) * 3e12));
    assert!(close(us1.repair, (10.0 / 1e12) * 5e11));
    assert!(close(us1.audit, (10.0 / 1e12) * 7.0));
    assert_eq!(us1.usage.bandwidth, 1 + 3_000_000_000_000 + 7 + 500_000_000_000 + 9);
    let t = r.totals.as_ref().expect("totals");
    // Byte-weighted: ($6 + $4) / 4 TB.
    assert!(close(t.download.price_tb, 10.0 / 4.0), "{}", t.download.price_tb);
    // No storage bytes: the plain mean of the satellites' disk prices.
    assert!(close(t.disk_usage_month.as_ref().expect("disk line").price_tbm, 1.5));
}

#[test]
fn storage_tallies_marker_rows_and_disk_figures() {
    let mut dbs = base();
    // February's last tally gives March's first sdt; a marker row counts for nothing but lists.
    tally(&dbs, "2025-02-28 00:00:00+00:00", US1, 1e15, "2025-02-28 23:00:00+00:00");
    tally(&dbs, "2025-03-01 00:00:00+00:00", US1, 2.4e13, "2025-03-01 23:00:00+00:00");
    tally(&dbs, "2025-03-02 00:00:00+00:00", US1, 3.0e13, "2025-03-03 05:00:00+00:00");
    tally(&dbs, "2025-03-03 00:00:00+00:00", US1, 9e20, "0001-01-01 00:00:00+00:00");
    tally(&dbs, "2025-03-01 00:00:00+00:00", AP1, 5.0, "0001-01-01 00:00:00+00:00");
    dbs.conn("piece_spaced_used.db").execute("INSERT INTO piece_space_used VALUES (1234567, 1, ?1)", params![id(US1)]).expect("psu");
    let r = report(&mut dbs, "2025-03", "2025-03-10T12:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    assert_eq!(us1.usage.byte_hours, 54_000_000_000_000);
    // secs(max edt) − secs(min sdt): 2025-03-03 05:00 − 2025-02-28 23:00 = 54 h.
    assert_eq!(us1.usage.seconds_bh_included, 54 * 3600);
    // last_bh × 3600 / (secs(max edt) − secs(max sdt)): 3e13 over the 30 h of the last tally.
    assert!(close(us1.usage.disk_last_report.expect("current"), 3.0e13 / 30.0));
    assert!(close(us1.usage.disk_average_so_far.expect("current"), 54e12 * 3600.0 / (54.0 * 3600.0)));
    assert_eq!(us1.usage.disk, Some(1234567.0));
    assert!(close(us1.storage, (1.5 / 1e12) * (54e12 / 720.0)));
    // ap1 has only a marker row: listed, nothing counted, a full month assumed.
    let ap1 = sat(&r, "ap1.storj.io:7777");
    assert_eq!((ap1.usage.byte_hours, ap1.usage.seconds_bh_included), (0, 2_592_000));
    assert_eq!(ap1.usage.disk_last_report, Some(0.0));
    assert!(r.warnings.iter().any(|w| w.contains("incomplete storage tallies")), "{:?}", r.warnings);
    let disk = r.disk.as_ref().expect("disk");
    assert_eq!(disk.trash, 5000.0);
    assert_eq!(disk.blobs, 1234567.0);
    assert_eq!(disk.current_total, 1234567.0 + 5000.0);
    assert!(close(disk.uncollected_garbage, 1234567.0 - 1e12));
    // Series: a storage row per tally of the month, marker rows without hours.
    assert_eq!(r.series.storage.len(), 4);
    let hours: Vec<Option<f64>> = r.series.storage.iter().filter(|s| s.satellite == us1.id).map(|s| s.hours).collect();
    assert_eq!(hours, vec![Some(24.0), Some(30.0), None]);
    // Past mode: no disk lines.
    let past = report(&mut dbs, "2025-03", "2025-04-10T00:00:00Z");
    assert!(past.disk.is_none() && past.estimate.is_none());
    assert_eq!(sat(&past, "us1.storj.io:7777").usage.disk, None);
}

#[test]
fn satellite_list_and_order() {
    let mut dbs = base();
    dbs.conn("satellites.db")
        .execute("UPDATE satellites SET added_at = '2020-05-01 00:00:00' WHERE node_id = ?1", params![id(AP1)])
        .expect("year");
    // saltlake has no satellites row: its fallback name, year 9999; an unknown id: -UNKNOWN-.
    let unknown = vec![7u8; 32];
    bandwidth(&dbs, "2025-03-02 00:00:00+00:00", AP1, 1);
    bandwidth(&dbs, "2025-03-02 00:00:00+00:00", 3, 1);
    dbs.conn("bandwidth.db")
        .execute("INSERT INTO bandwidth_usage VALUES ('2025-03-03', ?1, 0, 1, 0, 0, 0, 0)", params![unknown])
        .expect("bw");
    // A leftover piece_space_used row lists eu1 in every month; us1 appears through storage.
    dbs.conn("piece_spaced_used.db").execute("INSERT INTO piece_space_used VALUES (1, 1, ?1)", params![id(EU1)]).expect("psu");
    tally(&dbs, "2025-03-05 00:00:00+00:00", US1, 1.0, "2025-03-05 23:00:00+00:00");
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    let names: Vec<&str> = r.satellites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["eu1.storj.io:7777", "us1.storj.io:7777", "ap1.storj.io:7777", "-UNKNOWN-", "saltlake.tardigrade.io:7777*"]);
    assert_eq!(r.satellites[1].id, "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S");
    assert_eq!(r.satellites[1].id_hex, SATELLITES[US1].0);
    let older = report(&mut dbs, "2025-01", "2025-04-14T00:00:00Z");
    assert_eq!(older.satellites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["eu1.storj.io:7777"]);
}

#[test]
fn an_empty_month_has_no_satellites_and_no_totals() {
    let mut dbs = base();
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    assert!(r.satellites.is_empty());
    assert!(r.totals.is_none() && r.disk.is_none() && r.estimate.is_none() && r.payout.is_none());
    let json = serde_json::to_value(&r).expect("json");
    assert!(json["totals"].is_null());
}

#[test]
fn held_percent_by_month_number_and_joined_on_the_31st() {
    let mut dbs = base();
    for i in [US1, EU1, AP1] {
        bandwidth(&dbs, "2025-04-02 00:00:00+00:00", i, 1_000_000_000_000);
    }
    // Joined January 31st: calendar months make April month 4 (50 %); the satellite says 3.
    reputation(&dbs, US1, "2025-01-31 22:00:00+00:00", Some("2025-02-20 00:00:00"), 500, (1.0, 1.0, 1.0));
    reputation(&dbs, EU1, "2024-07-15 00:00:00", Some("2024-08-20 00:00:00"), 500, (1.0, 1.0, 1.0));
    reputation(&dbs, AP1, "1970-01-01 00:00:00+00:00", Some("2024-08-20 00:00:00"), 500, (1.0, 1.0, 1.0));
    let r = report(&mut dbs, "2025-04", "2025-04-14T00:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    assert_eq!((us1.joined.as_deref(), us1.month_nr, us1.held_percent, us1.paid_percent), (Some("2025-01-31"), Some(4), 50, 50));
    assert!(close(us1.held, 0.5 * us1.total) && close(us1.payout, 0.5 * us1.total));
    let eu1 = sat(&r, "eu1.storj.io:7777");
    assert_eq!((eu1.month_nr, eu1.held_percent), (Some(10), 0));
    let ap1 = sat(&r, "ap1.storj.io:7777");
    assert_eq!((ap1.month_nr, ap1.held_percent), (Some(664), 0));
    assert!(r.warnings.iter().any(|w| w.contains("placeholder")), "{:?}", r.warnings);
    for (month, nr, pct) in
        [("2025-01", 1, 75), ("2025-03", 3, 75), ("2025-06", 6, 50), ("2025-07", 7, 25), ("2025-09", 9, 25), ("2025-10", 10, 0)]
    {
        bandwidth(&dbs, &format!("{month}-02 00:00:00+00:00"), US1, 1);
        let r = report(&mut dbs, month, "2025-12-01T00:00:00Z");
        let us1 = sat(&r, "us1.storj.io:7777");
        assert_eq!((us1.month_nr, us1.held_percent), (Some(nr), pct), "{month}");
    }
}

#[test]
fn status_rules_in_order() {
    let mut dbs = base();
    for i in [US1, EU1, AP1] {
        bandwidth(&dbs, "2025-04-02 00:00:00+00:00", i, 1);
    }
    let now = "2025-04-14T09:30:00Z";
    // us1: suspended (after a disqualification check that does not hold); eu1: vetting, time-capped; ap1: no row.
    reputation(&dbs, US1, "2024-01-01 00:00:00", Some("2024-02-01 00:00:00"), 500, (0.5, 1.0, 1.0));
    dbs.conn("reputation.db")
        .execute("UPDATE reputation SET suspended_at = '2025-04-01 10:20:30.123+02:00' WHERE satellite_id = ?1", params![id(US1)])
        .expect("s");
    reputation(&dbs, EU1, "2025-04-10 09:30:00+00:00", None, 66, (1.0, 1.0, 0.995));
    let r = report(&mut dbs, "2025-04", now);
    assert_eq!(sat(&r, "us1.storj.io:7777").status.as_deref(), Some("Suspended Audits @ 2025-04-01 08:20:30"));
    // 96 h since joining: 100 × 96 / 504 = 19.04… → 19 %.
    assert_eq!(sat(&r, "eu1.storj.io:7777").status.as_deref(), Some("19% Vetted > 66/100 Audits"));
    let ap1 = sat(&r, "ap1.storj.io:7777");
    assert_eq!(ap1.status.as_deref(), Some(""));
    let rep = ap1.reputation.as_ref().expect("reputation");
    assert_eq!((rep.disq_percent, rep.susp_percent, rep.down_percent), (0.0, 0.0, 100.0));
    let eu1 = sat(&r, "eu1.storj.io:7777").reputation.as_ref().expect("reputation");
    assert!(close(eu1.down_percent, 100.0 - 100.0 * 0.995));
    let us1 = sat(&r, "us1.storj.io:7777").reputation.as_ref().expect("reputation");
    assert!(close(us1.disq_percent, ((1.0 - 0.5) * 100.0) / (1.0 - 0.96)));
    // Scores: the vetting progress of eu1.
    let score = r.scores.satellites.iter().find(|s| s.name == "eu1.storj.io:7777").expect("score");
    let vetting = score.vetting.as_ref().expect("vetting");
    assert_eq!((vetting.audits, vetting.percent), (66, 19));
    assert!(close(vetting.hours, 96.0));

    // Then: pending, audits failing, downtime, GC, OK.
    let mut dbs = base();
    for i in [US1, EU1, AP1] {
        bandwidth(&dbs, "2025-04-02 00:00:00+00:00", i, 1);
    }
    reputation(&dbs, US1, "2024-01-01 00:00:00", None, 120, (1.0, 1.0, 1.0));
    reputation(&dbs, EU1, "2024-01-01 00:00:00", Some("2024-02-01"), 120, (1.0, 0.997, 1.0));
    reputation(&dbs, AP1, "2024-01-01 00:00:00", Some("2024-02-01"), 120, (1.0, 1.0, 0.979));
    let r = report(&mut dbs, "2025-04", now);
    assert_eq!(sat(&r, "us1.storj.io:7777").status.as_deref(), Some("Vetting result pending > 120/100 Audits"));
    assert_eq!(sat(&r, "eu1.storj.io:7777").status.as_deref(), Some("WARN: Audits failing"));
    assert_eq!(sat(&r, "ap1.storj.io:7777").status.as_deref(), Some("WARN: Downtime high"));
    dbs.conn("reputation.db")
        .execute("UPDATE reputation SET vetted_at = '2024-02-01', audit_unknown_reputation_score = 1, online_score = 1", [])
        .expect("u");
    dbs.conn("garbage_collection_filewalker_progress.db")
        .execute("INSERT INTO progress VALUES (?1, '2025-04-11 03:00:00+00:00', 'n6')", params![id(US1)])
        .expect("gc");
    let r = report(&mut dbs, "2025-04", now);
    assert_eq!(sat(&r, "us1.storj.io:7777").status.as_deref(), Some("GC @ Folder:n6 Date:2025-04-11"));
    assert_eq!(sat(&r, "eu1.storj.io:7777").status.as_deref(), Some("OK"));
    // Past months print no status and no reputation.
    let past = report(&mut dbs, "2025-03", now);
    assert!(past.satellites.is_empty() || past.satellites.iter().all(|s| s.status.is_none() && s.reputation.is_none()));
}

#[test]
fn paystub_lines_postponed_previous_surge_returned_notes() {
    let mut dbs = base();
    for i in [US1, EU1, AP1] {
        bandwidth(&dbs, "2025-03-02 00:00:00+00:00", i, 1_000_000_000_000);
        reputation(&dbs, i, "2024-01-01 00:00:00", Some("2024-02-01"), 500, (1.0, 1.0, 1.0));
    }
    // Earlier months: held 3, returned 1; us1 postponed 0.5 in February.
    paystub(&dbs, "2025-01", US1, "", 0, 3_000_000, 1_000_000, 700_000, 700_000);
    paystub(&dbs, "2025-02", US1, "", 0, 0, 0, 500_000, 0);
    // March: us1 paid 2.0, distributed 2.5 (0.5 of February), surge 150 %, 0.25 returned, codes D and T.
    paystub(&dbs, "2025-03", US1, "DT", 150, 0, 250_000, 2_000_000, 2_500_000);
    // eu1 postponed: paid 0.3, nothing distributed. ap1: none.
    paystub(&dbs, "2025-03", EU1, "", 0, 0, 0, 300_000, 0);
    payment(&dbs, 2, "2025-03", US1, 2_500_000, "zksync:0xabc");
    payment(&dbs, 1, "2025-03", EU1, 1, "polygon:0xdef");
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    let surge = us1.surge.as_ref().expect("surge line");
    assert_eq!(surge.percent, 150.0);
    assert!(close(surge.total, us1.total * 150.0 / 100.0));
    assert!(close(surge.payout, us1.payout * 150.0 / 100.0));
    assert!(close(us1.held_total, 3.0 - 1.0));
    assert_eq!(us1.held_returned, Some(0.25));
    assert!(close(us1.held_total_after_return.expect("after return"), 3.0 - (1.0 + 0.25)));
    assert!(close(us1.payout_after_return.expect("after return"), surge.payout + 0.25));
    assert!(close(us1.difference.expect("difference"), 2.0 - (surge.payout + 0.25)));
    assert!(close(us1.paid.expect("paid"), 2.5 - 0.5));
    assert_eq!((us1.paid_previous_months, us1.paid_total), (Some(0.5), Some(2.5)));
    assert!(close(us1.paid_total_zksync_bonus.expect("bonus"), 2.5 * 1.03));
    assert_eq!(us1.payout_postponed, None);
    assert_eq!(us1.payout_notes.as_deref(), Some("Disqualified, Tax form 1099 missing"));
    let tx = us1.transaction.as_ref().expect("transaction");
    assert_eq!((tx.amount, tx.url.as_str()), (2.5, "https://zkscan.io/explorer/transactions/0xabc"));
    let eu1 = sat(&r, "eu1.storj.io:7777");
    assert_eq!(eu1.payout_postponed, Some(0.3));
    assert_eq!((eu1.paid, eu1.transaction.as_ref()), (None, None), "polygon receipts get no line");
    let ap1 = sat(&r, "ap1.storj.io:7777");
    assert!(ap1.surge.is_none() && ap1.difference.is_none() && ap1.paystub.is_none());

    // Totals: mean surge (150 + 100 + 100) / 3 > 100: surged; the percent is Σtotal~ / Σtotal.
    let t = r.totals.as_ref().expect("totals");
    let sum_total: f64 = r.satellites.iter().map(|s| s.total).sum();
    let table_surge = t.table.surge.as_ref().expect("table surge");
    let pct = table_surge.percent.expect("percent");
    assert!(pct > 100.0 && pct < 150.0);
    assert!(close(t.total_surge.as_ref().expect("past mode").payout * 100.0 / sum_total, pct));
    assert_eq!(t.table.held_returned, Some(0.25));
    let p = r.payout.as_ref().expect("payout");
    assert!(close(p.total_payout_this_month.expect("postponed and paid"), 2.3));
    assert!(close(p.paid_out_this_month.expect("paid out"), 2.5 - 0.5));
    assert_eq!(p.postponed_this_month, Some(0.3));
    assert_eq!(p.paid_previous_months, Some(0.5));
    assert!(close(p.paid_total_zksync_bonus.expect("bonus"), 2.5 * 1.03));
    // Postponed before: us1 (0.7 − 0.7) + (0.5 − 0) = 0.5, minus this month's 0.5 of previous months.
    assert_eq!(p.postponed_payout_previous_months, None);
    // Payments list every receipt with its kind and explorer address.
    let kinds: Vec<(&str, Option<&str>)> = r.payments.iter().map(|p| (p.kind.as_str(), p.url.as_deref())).collect();
    assert_eq!(
        kinds,
        vec![("polygon", Some("https://polygonscan.com/tx/0xdef")), ("zksync", Some("https://zkscan.io/explorer/transactions/0xabc"))]
    );
    // The bonus needs October 2021 or later.
    let mut old = base();
    bandwidth(&old, "2021-09-02 00:00:00+00:00", US1, 1);
    paystub(&old, "2021-09", US1, "", 0, 0, 0, 2_000_000, 2_000_000);
    payment(&old, 1, "2021-09", US1, 2_000_000, "zksync:0x1");
    let r = report(&mut old, "2021-09", "2025-04-14T00:00:00Z");
    assert_eq!(sat(&r, "us1.storj.io:7777").paid_total_zksync_bonus, None);
    // The surge line of the TOTAL block is past mode only.
    let mut cur = base();
    bandwidth(&cur, "2025-04-02 00:00:00+00:00", US1, 1_000_000_000);
    paystub(&cur, "2025-04", US1, "", 200, 0, 0, 0, 0);
    let r = report(&mut cur, "2025-04", "2025-04-14T00:00:00Z");
    let t = r.totals.as_ref().expect("totals");
    assert!(t.total_surge.is_none() && t.table.surge.is_some());
}

#[test]
fn postponed_payout_of_previous_months() {
    let mut dbs = base();
    bandwidth(&dbs, "2025-03-02 00:00:00+00:00", US1, 1);
    paystub(&dbs, "2025-01", US1, "", 0, 0, 0, 400_000, 0);
    paystub(&dbs, "2025-02", US1, "", 0, 0, 0, 300_000, 0);
    paystub(&dbs, "2025-03", US1, "", 0, 0, 0, 200_000, 0);
    let r = report(&mut dbs, "2025-03", "2025-04-14T00:00:00Z");
    let p = r.payout.as_ref().expect("payout");
    assert!(close(p.postponed_payout_previous_months.expect("line"), 0.7));
    assert!(close(p.postponed_payout_total.expect("line"), 0.7 + 0.2));
    assert_eq!(r.held_history.len(), 3);
    let history: Vec<f64> = r.payout_history.iter().map(|h| h.postponed_total).collect();
    assert!(close(history[2], 0.9));
}

#[test]
fn current_month_estimate_and_notes() {
    let mut dbs = base();
    bandwidth(&dbs, "2025-04-02 00:00:00+00:00", US1, 1_000_000_000_000);
    // Average so far 1e12 bytes (24 h of 1e12); last report 2e12: deviation 100 %.
    tally(&dbs, "2025-03-31 00:00:00+00:00", US1, 0.0, "2025-04-01 00:00:00+00:00");
    tally(&dbs, "2025-04-01 00:00:00+00:00", US1, 2.4e13, "2025-04-02 00:00:00+00:00");
    tally(&dbs, "2025-04-02 00:00:00+00:00", US1, 4.8e13, "2025-04-03 00:00:00+00:00");
    let r = report(&mut dbs, "2025-04", "2025-04-16T00:00:00Z");
    let disk = r.disk.as_ref().expect("disk");
    assert!(close(disk.average_so_far, 7.2e13 * 3600.0 / (48.0 * 3600.0)));
    assert!(close(disk.last_report, 4.8e13 / 24.0));
    assert_eq!(r.notes.len(), 1);
    assert_eq!(r.notes[0].kind, "deviation");
    assert!(close(r.notes[0].percent.expect("percent"), 100.0 * (2e12 - 1.5e12) / 1.5e12));
    let e = r.estimate.as_ref().expect("estimate");
    assert_eq!(e.hours_this_month, 720);
    assert!(close(e.month_passed, 15.0 / 30.0));
    let us1 = sat(&r, "us1.storj.io:7777");
    assert!(close(e.table.egress, us1.egress / 0.5));
    assert!(close(e.table.storage, (1.5 / 1e12) * 1.5e12 * (720.0 / 720.0)));
    assert!(close(e.byte_months, 1.5e12));
    // The first two days of a month: the first-days note instead.
    let r = report(&mut dbs, "2025-04", "2025-04-02T10:00:00Z");
    assert_eq!(r.notes.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(), vec!["first-days"]);
    // At the month's first instant there is nothing to extrapolate.
    let r = report(&mut dbs, "2025-04", "2025-04-01T00:00:00Z");
    assert!(r.estimate.is_none());
}

#[test]
fn missing_pricing_and_trash_rows_are_warned() {
    let mut dbs = base();
    bandwidth(&dbs, "2025-04-02 00:00:00+00:00", US1, 1_000_000_000_000);
    dbs.conn("pricing.db").execute("DELETE FROM pricing", []).expect("delete");
    dbs.conn("piece_spaced_used.db").execute("DELETE FROM piece_space_used", []).expect("delete");
    let r = report(&mut dbs, "2025-04", "2025-04-14T00:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    assert_eq!((us1.egress, us1.price_egress_tb), (0.0, 0.0));
    assert_eq!(r.disk.as_ref().map(|d| d.trash), Some(0.0));
    assert!(r.warnings.iter().any(|w| w.contains("pricing.db has no prices for us1.storj.io:7777")), "{:?}", r.warnings);
    assert!(r.warnings.iter().any(|w| w.contains("no trash row")), "{:?}", r.warnings);
}

#[test]
fn storage_not_available_before_september_2019() {
    let mut dbs = base();
    bandwidth(&dbs, "2019-08-02 00:00:00+00:00", US1, 1);
    let r = report(&mut dbs, "2019-08", "2025-04-14T00:00:00Z");
    let t = r.totals.as_ref().expect("totals");
    assert!(t.storage_not_available && t.disk_usage_month.is_none() && t.total.tbm.is_none());
}

#[test]
fn month_and_now_arguments() {
    let mut dbs = base();
    bandwidth(&dbs, "2025-04-02 10:00:00+00:00", US1, 1);
    let set = set(&mut dbs);
    assert!(matches!(set.report(Some("2025-05"), Some("2025-04-14T00:00:00Z"), 0), Err(NodeError::FutureMonth { .. })));
    assert!(matches!(set.report(Some("2025-4"), None, 0), Err(NodeError::BadMonth { .. })));
    assert!(matches!(set.report(None, Some("yesterday"), 0), Err(NodeError::BadNow { .. })));
    let r = set.report(None, Some("2025-04-14T11:30:00.5+02:00"), 0).expect("report");
    assert_eq!((r.now.as_str(), r.now_source.as_str()), ("2025-04-14T09:30:00.500000Z", "given"));
    // No record at all: the clock.
    let mut empty = base();
    let r = self::set(&mut empty).report(None, None, 1_700_000_000_000_000).expect("report");
    assert_eq!((r.now.as_str(), r.now_source.as_str(), r.month.as_str()), ("2023-11-14T22:13:20Z", "clock", "2023-11"));
}

#[test]
fn files_roles_by_tables_and_missing_ones() {
    let mut dbs = base();
    let mut set = NodeSet::new();
    // A renamed copy still fills its role; a second pricing file replaces the first.
    let pricing = dbs.bytes("pricing.db", false).expect("bytes");
    assert_eq!(
        set.add("prices-copy.db", pricing.clone()).expect("add"),
        node::Added::Node { name: "prices-copy.db".into(), role: "pricing", replaced: false }
    );
    assert_eq!(
        set.add("pricing.db", pricing).expect("add"),
        node::Added::Node { name: "pricing.db".into(), role: "pricing", replaced: true }
    );
    let err = set.report(None, None, 0).expect_err("incomplete");
    assert_eq!(err.to_string(), "satellites.db is missing: it holds the satellites' names and addresses, used to name and order them");
    assert_eq!(set.missing_required().len(), 6);
    let files = set.files();
    assert_eq!(files[6].name, "pricing.db");
    assert_eq!(files[6].journal.as_deref(), Some("rollback"));
    assert_eq!(files[0].status, "missing");
    // A file without any of the node's tables is listed as not needed.
    let other = {
        let mut conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE orders (x)").expect("t");
        conn.serialize(rusqlite::MAIN_DB).expect("bytes").to_vec()
    };
    assert_eq!(set.add("orders.db", other).expect("add"), node::Added::Ignored { name: "orders.db".into() });
    assert!(set.files().iter().any(|f| f.name == "orders.db" && f.status == "ignored"));
    // Only pricing missing: its message says what it holds.
    let mut full = NodeSet::new();
    for (name, bytes) in dbs.files(true).expect("files") {
        if name != "pricing.db" {
            full.add(&name, bytes).expect("add");
        }
    }
    let err = full.report(None, None, 0).expect_err("pricing missing");
    assert_eq!(err.to_string(), "pricing.db is missing: it holds the satellites' current prices, used by every $ figure");
}

#[test]
fn old_layouts_and_missing_columns_are_rejected() {
    let old_bandwidth = {
        let mut conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE TABLE bandwidth_usage (satellite_id BLOB, action INTEGER, amount BIGINT, created_at TIMESTAMP);
             CREATE TABLE bandwidth_usage_rollups (interval_start TIMESTAMP, satellite_id BLOB, action INTEGER, amount BIGINT);",
        )
        .expect("schema");
        conn.serialize(rusqlite::MAIN_DB).expect("bytes").to_vec()
    };
    let err = NodeSet::new().add("bandwidth.db", old_bandwidth).expect_err("old");
    assert_eq!(err.to_string(), "bandwidth.db is from a node older than v1.104; run the node once on a current version and copy it again");
    let old_storage = {
        let mut conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch("CREATE TABLE storage_usage (satellite_id BLOB, at_rest_total REAL, timestamp TIMESTAMP)").expect("schema");
        conn.serialize(rusqlite::MAIN_DB).expect("bytes").to_vec()
    };
    let err = NodeSet::new().add("storage_usage.db", old_storage).expect_err("old");
    assert!(err.to_string().contains("older than v1.62"), "{err}");
    let no_column = {
        let mut conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch(
            "CREATE TABLE pricing (satellite_id BLOB, egress_bandwidth_price, repair_bandwidth_price, audit_bandwidth_price)",
        )
        .expect("schema");
        conn.serialize(rusqlite::MAIN_DB).expect("bytes").to_vec()
    };
    let err = NodeSet::new().add("pricing.db", no_column).expect_err("column");
    assert_eq!(err.to_string(), "pricing.db: table pricing has no column disk_space_price (a node older than v1.104, or a damaged copy)");
    let no_payments = {
        let mut conn = rusqlite::Connection::open_in_memory().expect("db");
        conn.execute_batch(demo::node::SCHEMAS[5].1.split("CREATE TABLE payments").next().unwrap_or("")).expect("schema");
        conn.serialize(rusqlite::MAIN_DB).expect("bytes").to_vec()
    };
    let err = NodeSet::new().add("heldamount.db", no_payments).expect_err("table");
    assert!(err.to_string().starts_with("heldamount.db has no table payments"), "{err}");
}

#[test]
fn not_sqlite_and_damaged_files_name_themselves() {
    let err = NodeSet::new().add("reputation.db", b"hello, this is text".to_vec()).expect_err("text");
    assert!(err.to_string().starts_with("reputation.db is not a SQLite database"), "{err}");
    let err = NodeSet::new().add("reputation.db", Vec::new()).expect_err("empty");
    assert!(err.to_string().contains("empty"), "{err}");
    let mut dbs = base();
    let mut bytes = dbs.bytes("satellites.db", true).expect("bytes");
    bytes.truncate(bytes.len() - 1000);
    let err = NodeSet::new().add("satellites.db", bytes).expect_err("cut");
    assert!(err.to_string().starts_with("satellites.db is damaged") && err.to_string().contains(".backup"), "{err}");
}

#[test]
fn the_previous_tally_skips_marker_rows_and_other_satellites() {
    let mut dbs = base();
    tally(&dbs, "2025-03-01 00:00:00+00:00", US1, 1.0, "2025-03-01 20:00:00+00:00");
    tally(&dbs, "2025-03-01 12:00:00+00:00", EU1, 1.0, "2025-03-01 22:00:00+00:00");
    tally(&dbs, "2025-03-02 00:00:00+00:00", US1, 2.0, "0001-01-01 00:00:00+00:00");
    tally(&dbs, "2025-03-03 00:00:00+00:00", US1, 4.0, "2025-03-03 20:00:00+00:00");
    let r = report(&mut dbs, "2025-03", "2025-03-20T00:00:00Z");
    let us1 = sat(&r, "us1.storj.io:7777");
    // The March 3rd tally follows March 1st's (20:00 → 20:00, 48 h); the first has no sdt.
    assert_eq!(us1.usage.byte_hours, 5);
    assert_eq!(us1.usage.seconds_bh_included, 48 * 3600);
    assert!(close(us1.usage.disk_last_report.expect("current"), 4.0 * 3600.0 / (48.0 * 3600.0)));
    let hours: Vec<Option<f64>> = r.series.storage.iter().filter(|s| s.satellite == us1.id).map(|s| s.hours).collect();
    assert_eq!(hours, vec![None, None, Some(48.0)]);
}

#[test]
fn sqlite_side_files_and_large_unneeded_files_are_never_loaded() {
    let mut set = NodeSet::new();
    for name in ["bandwidth.db-shm", "orders.db", "piece_expiration.db", "x.db-journal"] {
        assert_eq!(set.add(name, b"not even SQLite".to_vec()).expect("ignored"), node::Added::Ignored { name: name.into() });
    }
    assert_eq!(set.files().iter().filter(|f| f.status == "ignored").count(), 4);
    assert!(node::needed("pricing.db") && node::needed("heldamount.db-wal"));
    assert!(!node::needed("orders.db") && !node::needed("bandwidth.db-shm") && !node::needed("piece_expiration.db"));
}
