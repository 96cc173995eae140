//! Assembles the report for one month (NODE_DATA.md §3, §4.2) from the loaded files.

use chrono::{DateTime, Datelike, NaiveDateTime};
use model::node_report as m;

use crate::additions::{self, Namer};
use crate::earnings::{self, SatInput};
use crate::error::NodeError;
use crate::files::Role;
use crate::inputs::{self, lookup};
use crate::instant::{format_now, parse_instant, sql_datetime, Month};
use crate::satellites::{self, push_distinct, Key};
use crate::series;
use crate::NodeSet;

/// A loaded file's connection and name.
fn file(set: &NodeSet, role: Role) -> Option<(&rusqlite::Connection, &str)> {
    set.loaded(role).map(|l| (&l.conn, l.name.as_str()))
}

/// A required file's connection and name (checked by the caller).
fn required(set: &NodeSet, role: Role) -> Result<(&rusqlite::Connection, &str), NodeError> {
    file(set, role).ok_or(NodeError::MissingFile { name: role.file_name(), holds: role.holds() })
}

/// The greatest instant among the records §3.1 names (unparseable values skipped).
fn newest_record(set: &NodeSet) -> Result<Option<NaiveDateTime>, NodeError> {
    let sources: [(Role, String); 5] = [
        (Role::Bandwidth, "SELECT DISTINCT interval_start FROM bandwidth_usage".into()),
        (
            Role::StorageUsage,
            format!("SELECT DISTINCT interval_end_time FROM storage_usage WHERE interval_end_time <> '{}'", inputs::MARKER),
        ),
        (Role::Reputation, "SELECT updated_at FROM reputation".into()),
        (Role::HeldAmount, "SELECT created_at FROM paystubs".into()),
        (Role::HeldAmount, "SELECT created_at FROM payments".into()),
    ];
    let mut newest: Option<NaiveDateTime> = None;
    for (role, sql) in sources {
        let (conn, name) = required(set, role)?;
        for t in series::texts_of(conn, name, &sql)?.iter().filter_map(|t| parse_instant(t)) {
            newest = Some(newest.map_or(t, |n| n.max(t)));
        }
    }
    Ok(newest)
}

pub fn build(set: &NodeSet, month: Option<&str>, now: Option<&str>, clock_now_micros: i64) -> Result<m::NodeReport, NodeError> {
    let mut warnings: Vec<String> = Vec::new();
    let (now, now_source) = match now {
        Some(given) => (parse_instant(given).ok_or_else(|| NodeError::BadNow { given: given.to_string() })?, "given"),
        None => {
            let newest = match set.newest.get() {
                Some(n) => *n,
                None => {
                    let n = newest_record(set)?;
                    let _ = set.newest.set(n);
                    n
                }
            };
            match newest {
                Some(t) => (t, "newest-record"),
                None => (DateTime::from_timestamp_micros(clock_now_micros).map(|t| t.naive_utc()).unwrap_or_default(), "clock"),
            }
        }
    };
    let now_month = Month::of(now);
    let month = match month {
        Some(given) => Month::parse(given).ok_or_else(|| NodeError::BadMonth { given: given.to_string() })?,
        None => now_month,
    };
    if month > now_month {
        return Err(NodeError::FutureMonth { month: month.text(), current: now_month.text() });
    }
    let current = month == now_month;
    let month_text = month.text();
    let (from, to) = month.window();

    let (bw_conn, bw_name) = required(set, Role::Bandwidth)?;
    let (su_conn, su_name) = required(set, Role::StorageUsage)?;
    let (psu_conn, psu_name) = required(set, Role::PieceSpaceUsed)?;
    let (sat_conn, sat_name) = required(set, Role::Satellites)?;
    let (rep_conn, rep_name) = required(set, Role::Reputation)?;
    let (held_conn, held_name) = required(set, Role::HeldAmount)?;
    let (price_conn, price_name) = required(set, Role::Pricing)?;

    // The satellite list (§3.2).
    let bandwidth = inputs::bandwidth(bw_conn, bw_name, &from, &to)?;
    let (storage_ids, markers) = inputs::storage_ids(su_conn, su_name, &from, &to)?;
    let (space, trash) = inputs::piece_space(psu_conn, psu_name)?;
    let mut keys: Vec<Key> = Vec::new();
    for key in bandwidth.iter().map(|(k, _)| k.clone()).chain(storage_ids).chain(space.iter().map(|(k, _)| k.clone())) {
        push_distinct(&mut keys, key);
    }
    let sat_rows = inputs::satellite_rows(sat_conn, sat_name)?;
    let sats = satellites::order(keys, &sat_rows);
    for sat in sats.iter().filter(|s| !s.key.is_node_id()) {
        warnings.push(format!("a satellite id is not 32 bytes ({}): it is shown in hex", sat.id_hex));
    }
    if markers > 0 {
        warnings
            .push(format!("{su_name}: {markers} incomplete storage tallies (interval_end_time 0001-01-01) of this month are not counted"));
    }

    let storage = inputs::storage(su_conn, su_name, &from, &to)?;
    let prices = inputs::prices(price_conn, price_name)?;
    let reps = inputs::reputation(rep_conn, rep_name, &from, &sql_datetime(now))?;
    let gc = match file(set, Role::GcProgress) {
        Some((conn, name)) => inputs::gc(conn, name)?,
        None => {
            warnings.push(format!("{} is missing: the status shows no garbage collection progress", Role::GcProgress.file_name()));
            Vec::new()
        }
    };
    let stubs = inputs::month_stubs(held_conn, held_name, &month_text)?;
    let before = inputs::stubs_before(held_conn, held_name, &month_text)?;
    let month_pays = inputs::payments(held_conn, held_name, Some(&month_text))?;

    let mut figs = Vec::with_capacity(sats.len());
    for sat in &sats {
        let price = lookup(&prices, &sat.key).cloned();
        if price.is_none() {
            warnings.push(format!("{price_name} has no prices for {}: its $ figures are 0", sat.name));
        }
        let rep = lookup(&reps, &sat.key);
        if rep.is_some_and(|r| r.joined.as_deref().is_some_and(|j| j.starts_with("1970-"))) {
            warnings.push(format!("{rep_name}: joined_at of {} is a placeholder (1970): no held amount is computed", sat.name));
        }
        let input = SatInput {
            sat,
            bw: lookup(&bandwidth, &sat.key).cloned().unwrap_or_default(),
            storage: lookup(&storage, &sat.key).cloned(),
            disk: lookup(&space, &sat.key).copied().unwrap_or(0),
            prices: price.unwrap_or_default(),
            rep,
            gc: lookup(&gc, &sat.key),
            stub: lookup(&stubs, &sat.key),
            before: lookup(&before, &sat.key).copied().unwrap_or([0.0; 3]),
            pay: lookup(&month_pays, &sat.key),
        };
        figs.push(earnings::figures(input, &month_text, current));
    }

    let (mut totals, mut disk, mut estimate, mut payout, mut notes) = (None, None, None, None, Vec::new());
    if !figs.is_empty() {
        let sums = crate::summary::sums(&figs);
        totals = Some(crate::summary::totals(&figs, &sums, &month_text, !current));
        payout = Some(crate::summary::payout(&figs, &month_text));
        if current {
            if trash.is_none() {
                warnings.push(format!("{psu_name} has no trash row ('trashtotal'): the trash is shown as 0"));
            }
            let d = crate::summary::disk(&figs, trash.unwrap_or(0));
            let start = month.first_day().and_then(|d| d.and_hms_opt(0, 0, 0)).unwrap_or(now);
            let micros = (now - start).num_microseconds().unwrap_or(0);
            let hours = month.days() * 24;
            let month_passed = (micros as f64 / 1e6) / ((hours * 3600) as f64);
            estimate = crate::summary::estimate(&sums, d.average_so_far, month.days(), month_passed);
            notes = crate::summary::notes(now.day(), &d);
            // Before September 2019 earnings.py prints no storage lines (§3.7).
            disk = (month_text.as_str() >= "2019-09").then_some(d);
        }
    }

    // Additions (§3.9).
    let namer = Namer { rows: &sat_rows };
    let all_stubs = inputs::all_stubs(held_conn, held_name)?;
    let all_pays = inputs::payments(held_conn, held_name, None)?;
    let mut months: Vec<String> = Vec::new();
    for m in series::months_of(bw_conn, bw_name, "bandwidth_usage", "interval_start")?
        .into_iter()
        .chain(series::months_of(su_conn, su_name, "storage_usage", "timestamp")?)
        .chain(series::months_of(held_conn, held_name, "paystubs", "period")?)
    {
        if m <= now_month.text() && !months.contains(&m) {
            months.push(m);
        }
    }
    months.sort_by(|a, b| b.cmp(a));
    warnings.dedup();
    let mut unique = Vec::with_capacity(warnings.len());
    for w in warnings {
        if !unique.contains(&w) {
            unique.push(w);
        }
    }
    for file in set.files() {
        if let Some(wal) = file.wal.as_ref().filter(|w| !w.valid || w.frames > w.applied_frames) {
            unique.push(format!(
                "{}: {} of {} frames applied (the rest was not committed or is damaged)",
                wal.name, wal.applied_frames, wal.frames
            ));
        }
        if file.role == "monitor" {
            unique.push(format!("{} is a monitor database: it was not used for this report of the node's databases", file.name));
        }
    }

    Ok(m::NodeReport {
        format: m::NODE_REPORT_FORMAT.to_string(),
        now: format_now(now),
        now_source: now_source.to_string(),
        month: month_text.clone(),
        mode: if current { "current" } else { "past" }.to_string(),
        months,
        files: set.files(),
        warnings: unique,
        notes,
        satellites: figs.iter().map(|f| f.report.clone()).collect(),
        totals,
        disk,
        estimate,
        payout,
        payout_history: additions::payout_history(&all_stubs, &namer),
        payments: additions::payments(&all_pays, &namer),
        held_history: additions::held_history(&all_stubs),
        scores: additions::scores(&reps, &sats, &namer),
        series: m::Series {
            days: series::days(month, current.then(|| now.day())),
            bandwidth: series::bandwidth(bw_conn, bw_name, &from, &to, &sats)?,
            storage: series::storage(su_conn, su_name, &from, &to, &sats)?,
        },
        diagnostics: m::Diagnostics::default(),
    })
}
