//! The generator proper: one pass over time, writing events, storage snapshots and hourly
//! stats interleaved in time order, then the small per-node tables.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rusqlite::{Connection, Statement};

use super::model::{self, held_fraction, Action, Status, Tables, SATELLITES};
use super::num::{cumulative, mix, Rand};
use chrono::{Datelike, TimeDelta};

use super::time::{add_months, iso, midnight_us, month_index, month_of, period, US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_SEC};
use super::{schema, DemoError, DemoOptions, DemoSummary};

/// Events per hour of day (UTC) of the original's data: busiest late evening, quietest at noon.
const DIURNAL: [f64; 24] = [
    1085.0, 1068.0, 1035.0, 1014.0, 942.0, 876.0, 783.0, 716.0, 672.0, 625.0, 579.0, 540.0, 560.0, 580.0, 636.0, 668.0, 745.0, 797.0,
    819.0, 953.0, 1007.0, 1034.0, 1129.0, 1128.0,
];

/// Node ages, as months before the last month of data from which earnings history exists.
/// `None`: no history (age comes from the first event). node-1: 6, node-2: none, node-3: 21.
const AGE_PATTERN: [Option<i64>; 8] = [Some(6), None, Some(21), Some(11), Some(3), None, Some(15), Some(8)];

/// Trash lives this long before the node empties it.
const TRASH_LIFETIME: i64 = 7 * US_PER_DAY;
/// Net bytes a node gains per day on average (ingress minus deletes), whatever the sample rate.
const NET_GROWTH_PER_DAY: f64 = 12e9;
const TIB: f64 = 1_099_511_627_776.0;

struct Node {
    name: String,
    satellites: Vec<u32>,
    sat_shares: [f64; 4],
    latency: f64,
    total: i64,
    used0: i64,
    trash0: i64,
    /// Bytes of used space per net byte seen in the events (the events are a sample).
    scale: f64,
    /// API outage: no API snapshots in [start, end).
    outage: Option<(i64, i64)>,
    /// Garbage collection runs: (time, bytes moved from used to trash), with prefix sums.
    gc: Vec<(i64, i64)>,
    age_months: Option<i64>,
    // State while writing.
    net: i64,
    next_api: i64,
    next_log: i64,
    gc_applied: usize,
    gc_applied_bytes: i64,
    gc_trashed_bytes: i64,
    gc_expired: usize,
    gc_expired_bytes: i64,
    hourly: [i64; 8],
    hourly_seen: bool,
}

struct Span {
    start: i64,
    end: i64,
}

pub(super) fn validate(opts: &DemoOptions) -> Result<(), DemoError> {
    let bad = |m: String| Err(DemoError::InvalidOptions(m));
    if opts.nodes == 0 {
        return bad("nodes must be at least 1".into());
    }
    if opts.nodes > 1000 {
        return bad(format!("nodes must be at most 1000 (got {})", opts.nodes));
    }
    if opts.days == 0 {
        return bad("days must be at least 1".into());
    }
    if opts.days > 3660 {
        return bad(format!("days must be at most 3660 (got {})", opts.days));
    }
    if opts.nodes as u64 * opts.days as u64 > 100_000 {
        return bad(format!(
            "nodes x days must be at most 100000 (got {} x {}): storage snapshots are written every 5 minutes per node",
            opts.nodes, opts.days
        ));
    }
    if opts.events > 200_000_000 {
        return bad(format!("events must be at most 200000000 (got {})", opts.events));
    }
    let start = opts.end.checked_sub_signed(TimeDelta::days(opts.days as i64));
    if start.is_none_or(|s| s.year() < 1972) || opts.end.year() >= 9999 {
        return bad(format!("end {} with {} days is outside the years 1972..9998", opts.end.to_rfc3339(), opts.days));
    }
    Ok(())
}

fn round_to(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}

fn plan_nodes(opts: &DemoOptions, span: &Span) -> Vec<Node> {
    let mut r = Rand::new(mix(opts.seed, 1));
    let k = opts.nodes as usize;
    let total_share: f64 = (0..k).map(|i| 1.0 / (1.0 + 0.3 * i as f64)).sum();
    let span_len = span.end - span.start;
    (0..k)
        .map(|i| {
            let share = (1.0 / (1.0 + 0.3 * i as f64)) / total_share;
            let mut sat_shares = [0.0; 4];
            for (s, sat) in SATELLITES.iter().enumerate() {
                sat_shares[s] = sat.2 * r.uniform(0.85, 1.15);
            }
            let sum: f64 = sat_shares.iter().sum();
            sat_shares.iter_mut().for_each(|s| *s /= sum);
            let total = (r.uniform(6.0, 24.0) * 1e12) as i64;
            let used0 = (total as f64 * r.uniform(0.22, 0.68)) as i64;
            // Events per day this node sees, and the net bytes they carry on average.
            let events_per_day = opts.events as f64 * share / opts.days as f64;
            let net_per_event = 0.366 * 800_000.0 - 0.078 * 800_000.0;
            let scale = (NET_GROWTH_PER_DAY * r.uniform(0.6, 1.4) / (events_per_day * net_per_event).max(1.0)).max(1.0);
            // node-1 always has an API outage of several hours; others half the time.
            let outage = if i == 0 || r.chance(0.5) {
                let len = ((r.uniform(3.0, 11.0) * US_PER_HOUR as f64) as i64).min(span_len / 4);
                let at = span.start + (span_len as f64 * r.uniform(0.2, 0.75)) as i64;
                Some((at, at + len))
            } else {
                None
            };
            // GC every 3-5 days; runs before the span leave trash at the start.
            let mut gc = Vec::new();
            let mut t = span.start - TRASH_LIFETIME + (r.unit() * 4.0 * US_PER_DAY as f64) as i64;
            while t <= span.end {
                let bytes = (used0 as f64 * r.uniform(0.0015, 0.006)) as i64;
                gc.push((t, bytes));
                t += (r.uniform(3.0, 5.0) * US_PER_DAY as f64) as i64 + r.range_i64(0, US_PER_SEC - 1);
            }
            let trash0 = (used0 as f64 * r.uniform(0.0005, 0.002)) as i64;
            let next_api = span.start + r.range_i64(0, 300 * US_PER_SEC - 1);
            let next_log = span.start + r.range_i64(0, 3 * US_PER_HOUR);
            Node {
                name: format!("node-{}", i + 1),
                satellites: cumulative(&sat_shares),
                sat_shares,
                latency: r.uniform(0.8, 1.3),
                total,
                used0,
                trash0,
                scale,
                outage,
                gc,
                age_months: AGE_PATTERN[i % AGE_PATTERN.len()],
                net: 0,
                next_api,
                next_log,
                gc_applied: 0,
                gc_applied_bytes: 0,
                gc_trashed_bytes: 0,
                gc_expired: 0,
                gc_expired_bytes: 0,
                hourly: [0; 8],
                hourly_seen: false,
            }
        })
        .collect()
}

/// Number of events in each hour-long bucket of the span: diurnal and day-to-day variation,
/// a slow trend, and exactly `events` in total.
fn bucket_counts(opts: &DemoOptions, span: &Span) -> Vec<u64> {
    let mut r = Rand::new(mix(opts.seed, 2));
    let days = opts.days as usize;
    let nb = days * 24;
    let day_factor: Vec<f64> = (0..days)
        .map(|d| {
            let trend = 1.0 + 0.12 * (d as f64 / days as f64);
            trend * r.uniform(0.85, 1.15)
        })
        .collect();
    let mut cum = Vec::with_capacity(nb);
    let mut acc = 0.0;
    for b in 0..nb {
        let t = span.start + b as i64 * US_PER_HOUR + 30 * US_PER_MIN;
        let hour = (t.rem_euclid(US_PER_DAY) / US_PER_HOUR) as usize;
        let w = DIURNAL[hour] * day_factor[b / 24] * (1.0 + 0.08 * r.normal()).max(0.2);
        acc += w;
        cum.push(acc);
    }
    let n = opts.events as f64;
    let mut prev = 0u64;
    cum.iter()
        .enumerate()
        .map(|(b, c)| {
            let upto = if b + 1 == nb { opts.events } else { ((c / acc) * n).round() as u64 };
            let upto = upto.clamp(prev, opts.events);
            let count = upto - prev;
            prev = upto;
            count
        })
        .collect()
}

struct Writer<'c> {
    start: i64,
    event: Statement<'c>,
    snapshot: Statement<'c>,
    hourly: Statement<'c>,
    piece: [u8; 52],
    events: u64,
    snapshots: u64,
}

impl Writer<'_> {
    /// Writes every snapshot due at or before `until`, in time order across nodes.
    fn snapshots_until(
        &mut self,
        nodes: &mut [Node],
        heap: &mut BinaryHeap<Reverse<(i64, u32)>>,
        r: &mut Rand,
        until: i64,
        end: i64,
    ) -> rusqlite::Result<()> {
        while let Some(&Reverse((t, i))) = heap.peek() {
            if t > until {
                break;
            }
            heap.pop();
            let n = &mut nodes[i as usize];
            // Used space now: the start, plus net ingress (scaled), minus what GC moved to trash.
            while n.gc_applied < n.gc.len() && n.gc[n.gc_applied].0 <= t {
                let (gt, gb) = n.gc[n.gc_applied];
                n.gc_trashed_bytes += gb;
                if gt >= self.start {
                    // Runs before the span are already part of the starting usage.
                    n.gc_applied_bytes += gb;
                }
                n.gc_applied += 1;
            }
            while n.gc_expired < n.gc.len() && n.gc[n.gc_expired].0 + TRASH_LIFETIME <= t {
                n.gc_expired_bytes += n.gc[n.gc_expired].1;
                n.gc_expired += 1;
            }
            let used = n.used0 + (n.net as f64 * n.scale) as i64 - n.gc_applied_bytes;
            let used = used.clamp(0, n.total);
            let available = n.total - used;
            let ts = iso(t);
            let ts = ts.as_str();
            if t == n.next_api {
                let trash = n.trash0 + n.gc_trashed_bytes - n.gc_expired_bytes;
                let pct = |x: i64| round_to(x as f64 / n.total as f64 * 100.0, 100.0);
                self.snapshot.execute((ts, n.name.as_str(), n.total, used, available, trash, pct(used), pct(trash), pct(available)))?;
                // Every 5 minutes, give or take the poll's own latency.
                let mut next = t + 300 * US_PER_SEC + r.range_i64(-1_500_000, 2_500_000);
                if let Some((os, oe)) = n.outage {
                    if next >= os && next < oe {
                        next = oe + r.range_i64(0, 300 * US_PER_SEC);
                    }
                }
                n.next_api = next;
            } else {
                // A storage line from the node's log: only the free space is known.
                self.snapshot.execute((
                    ts,
                    n.name.as_str(),
                    None::<i64>,
                    None::<i64>,
                    available,
                    None::<i64>,
                    None::<f64>,
                    None::<f64>,
                    None::<f64>,
                ))?;
                n.next_log = t + r.range_i64(US_PER_HOUR, 5 * US_PER_HOUR);
            }
            self.snapshots += 1;
            let next = n.next_api.min(n.next_log);
            if next <= end {
                heap.push(Reverse((next, i)));
            }
        }
        Ok(())
    }

    fn flush_hourly(&mut self, nodes: &mut [Node], hour: i64) -> rusqlite::Result<()> {
        let ts = iso(hour * US_PER_HOUR);
        for n in nodes.iter_mut().filter(|n| n.hourly_seen) {
            let h = n.hourly;
            self.hourly.execute((ts.as_str(), n.name.as_str(), h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]))?;
            n.hourly = [0; 8];
            n.hourly_seen = false;
        }
        Ok(())
    }
}

pub(super) fn write(conn: &Connection, opts: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let end = opts.end.timestamp_micros();
    let span = Span { start: end - opts.days as i64 * US_PER_DAY, end };
    let mut nodes = plan_nodes(opts, &span);
    let counts = bucket_counts(opts, &span);
    let tables = Tables::new();
    let mut r = Rand::new(mix(opts.seed, 3));
    let pool = (opts.events / 5).clamp(64, 65_536) as usize;
    let peers = model::peers(&mut r, &tables, pool);
    let node_cum = cumulative(&(0..nodes.len()).map(|i| 1.0 / (1.0 + 0.3 * i as f64)).collect::<Vec<_>>());

    for sql in schema::CREATE_TABLES {
        conn.execute(sql, [])?;
    }

    let mut w = Writer {
        start: span.start,
        event: conn.prepare(schema::INSERT_EVENT)?,
        snapshot: conn.prepare(schema::INSERT_SNAPSHOT)?,
        hourly: conn.prepare(schema::INSERT_HOURLY)?,
        piece: [0; 52],
        events: 0,
        snapshots: 0,
    };

    let mut snap_rand = Rand::new(mix(opts.seed, 4));
    let mut heap = BinaryHeap::new();
    for (i, n) in nodes.iter().enumerate() {
        heap.push(Reverse((n.next_api.min(n.next_log), i as u32)));
    }

    let mut offsets: Vec<i64> = Vec::new();
    let mut hour = i64::MIN;
    for (b, &count) in counts.iter().enumerate() {
        offsets.clear();
        offsets.extend((0..count).map(|_| r.below(US_PER_HOUR as u64) as i64));
        offsets.sort_unstable();
        let base = span.start + b as i64 * US_PER_HOUR;
        for &off in &offsets {
            let t = base + off;
            w.snapshots_until(&mut nodes, &mut heap, &mut snap_rand, t, span.end)?;
            let this_hour = t.div_euclid(US_PER_HOUR);
            if this_hour != hour {
                if hour != i64::MIN {
                    w.flush_hourly(&mut nodes, hour)?;
                }
                hour = this_hour;
            }

            let ni = r.pick(&node_cum);
            let n = &mut nodes[ni];
            let sat = SATELLITES[r.pick(&n.satellites)].0;
            let tr = model::transfer(&mut r, &tables, n.latency);
            let peer = &peers[r.below(peers.len() as u64) as usize];
            let (country, geo, _) = model::COUNTRIES[peer.country];

            // Hourly aggregates, as the original's aggregator computes them.
            let ok = tr.status == Status::Success;
            let h = &mut n.hourly;
            n.hourly_seen = true;
            match tr.action {
                Action::GetAudit => h[4 + !ok as usize] += 1,
                Action::Get | Action::GetRepair => {
                    h[!ok as usize] += 1;
                    if ok {
                        h[6] += tr.size;
                    }
                }
                Action::Put | Action::PutRepair => {
                    h[2 + !ok as usize] += 1;
                    if ok {
                        h[7] += tr.size;
                    }
                }
                Action::Delete => {}
            }
            // Disk usage follows uploads and deletes (a deleted piece has its own size).
            if ok {
                match tr.action {
                    Action::Put | Action::PutRepair => n.net += tr.size,
                    Action::Delete => {
                        n.net -=
                            if r.chance(0.3) { model::MAX_PIECE } else { (r.lognormal(50_000.0, 1.6) as i64).clamp(256, model::MAX_PIECE) }
                    }
                    _ => {}
                }
            }

            let ts = iso(t);
            let piece = model::piece_id(&mut r, &mut w.piece);
            w.event.execute((
                ts.as_str(),
                tr.action.name(),
                tr.status.name(),
                tr.size,
                piece,
                sat,
                peer.ip.as_str(),
                country,
                geo.map(|g| g.0),
                geo.map(|g| g.1),
                tr.error,
                n.name.as_str(),
                tr.duration_ms,
            ))?;
            w.events += 1;
        }
    }
    w.snapshots_until(&mut nodes, &mut heap, &mut snap_rand, span.end, span.end)?;
    if hour != i64::MIN {
        w.flush_hourly(&mut nodes, hour)?;
    }

    let summary = DemoSummary { events: w.events, snapshots: w.snapshots, nodes: nodes.iter().map(|n| n.name.clone()).collect() };
    drop(w);

    write_reputation(conn, opts, &span, &nodes)?;
    write_earnings_history(conn, opts, &span, &nodes)?;
    Ok(summary)
}

/// Reputation per node and satellite as polled from the node's API: daily, then hourly over the
/// last two days (the page's 24-hour chart), scores in percent as the monitor stores them. The
/// last node is flaky: one satellite's online score sinks below 95 % in the last day (an uptime
/// warning on the demo's reputation panel).
fn write_reputation(conn: &Connection, opts: &DemoOptions, span: &Span, nodes: &[Node]) -> rusqlite::Result<()> {
    let mut r = Rand::new(mix(opts.seed, 5));
    let mut stmt = conn.prepare(schema::INSERT_REPUTATION)?;
    let hourly_from = span.end - 2 * US_PER_DAY;
    for (k, n) in nodes.iter().enumerate() {
        let flaky = nodes.len() > 1 && k + 1 == nodes.len();
        let offset = r.range_i64(0, 6 * US_PER_HOUR) + r.range_i64(1, US_PER_SEC - 1);
        let age = n.age_months.unwrap_or(1).max(1);
        let mut counts: Vec<(i64, i64)> = n
            .sat_shares
            .iter()
            .map(|s| {
                let ok = (age as f64 * 30.0 * 60.0 * s * r.uniform(0.7, 1.3)) as i64;
                (ok, ok + r.below(3) as i64)
            })
            .collect();
        let mut online = [1.0f64; 4];
        let mut t = span.start + offset;
        while t <= span.end {
            let ts = iso(t);
            let step = if t >= hourly_from { US_PER_HOUR } else { US_PER_DAY };
            let share_of_day = step as f64 / US_PER_DAY as f64;
            for (s, sat) in SATELLITES.iter().enumerate() {
                let audits = (60.0 * share_of_day * n.sat_shares[s] * r.uniform(0.5, 1.5)) as i64;
                counts[s].0 += audits;
                counts[s].1 += audits + (r.chance(0.02 * share_of_day) as i64);
                let drift = if flaky && s == 0 && t >= span.end - US_PER_DAY { -0.0025 } else { r.uniform(-0.002, 0.0025) * share_of_day };
                online[s] = (online[s] + drift).clamp(0.9, 1.0);
                stmt.execute((
                    ts.as_str(),
                    n.name.as_str(),
                    sat.0,
                    round_to(100.0 * (1.0 - r.uniform(0.0, 0.002)), 1e4),
                    100.0f64,
                    round_to(100.0 * online[s], 1e4),
                    counts[s].0,
                    counts[s].1,
                    0i64,
                    0i64,
                ))?;
            }
            t += step;
        }
    }
    Ok(())
}

/// Earnings history (finalized months) that sets each node's age, and the payouts received.
fn write_earnings_history(conn: &Connection, opts: &DemoOptions, span: &Span, nodes: &[Node]) -> rusqlite::Result<()> {
    let mut r = Rand::new(mix(opts.seed, 6));
    let mut est = conn.prepare(schema::INSERT_ESTIMATE)?;
    let mut pay = conn.prepare(schema::INSERT_PAYOUT)?;
    let end_month = month_of(span.end);
    let start_month = month_of(span.start);
    for (i, n) in nodes.iter().enumerate() {
        let Some(age) = n.age_months else { continue };
        let address: String = format!("0x{:016x}{:016x}{:08x}", r.u64(), r.u64(), r.u64() as u32);
        let first_month = add_months(end_month, -age);
        // Months from the first one up to the month before the events start (at least one).
        let first = month_index(first_month);
        let before_data = month_index(start_month) - 1;
        let last = first.max(before_data.min(month_index(end_month) - 1));
        let hour = (i % 3) as i64 * US_PER_HOUR;
        for k in 0..=last - first {
            let month = add_months(first_month, k);
            let next = add_months(month, 1);
            let next_start = midnight_us(next);
            let ts = iso((next_start + 14 * US_PER_DAY + hour).min(span.end));
            let hours = next.signed_duration_since(month).num_hours() as f64;
            let age_then = k + 1;
            let held_pct = held_fraction(age_then);
            let growth = 0.15 + 0.85 * ((k + 1) as f64 / (last - first + 2) as f64);
            let used = n.used0 as f64 * growth;
            let p = period(month);
            for (s, sat) in SATELLITES.iter().enumerate() {
                let share = n.sat_shares[s];
                let sbh = (used * share * hours * r.uniform(0.95, 1.05)) as i64;
                let storage = ((sbh as f64 / 1_073_741_824.0) / (1024.0 * hours)) * 1.5;
                let egress_b = (used * share * r.uniform(0.02, 0.06)) as i64;
                let repair_b = (used * share * r.uniform(0.002, 0.01)) as i64;
                let audit_b = (5e6 * share * r.uniform(0.5, 1.5)) as i64;
                let money = |b: i64| round_to(b as f64 / TIB * 2.0, 1e6);
                let (egress, repair, audit) = (money(egress_b), money(repair_b), money(audit_b));
                let storage = round_to(storage, 1e6);
                let gross = round_to(egress + repair + audit + storage, 1e6);
                let held = round_to(gross * held_pct, 1e6);
                let net = round_to(gross - held, 1e6);
                est.execute(rusqlite::params![
                    ts, n.name, sat.0, p, egress_b, egress, egress, sbh, storage, storage, repair_b, repair, repair, audit_b, audit, audit,
                    gross, net, held, age_then, held_pct, 1i64
                ])?;
                let paid_at = next_start + 11 * US_PER_DAY + r.range_i64(0, 3 * US_PER_DAY);
                if paid_at <= span.end {
                    let actual = round_to(net * (1.0 + 0.02 * r.normal()), 1e6);
                    let variance = round_to(actual - net, 1e6);
                    let variance_pct = if net > 0.0 { round_to(variance / net * 100.0, 1e4) } else { 0.0 };
                    let tx = format!("0x{:016x}{:016x}{:016x}{:016x}", r.u64(), r.u64(), r.u64(), r.u64());
                    pay.execute(rusqlite::params![
                        iso(paid_at),
                        n.name,
                        sat.0,
                        p,
                        actual,
                        net,
                        variance,
                        variance_pct,
                        address,
                        tx,
                        None::<String>
                    ])?;
                }
            }
        }
    }
    Ok(())
}
