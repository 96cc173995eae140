//! Databases shaped like a real monitor's (`storj-lens demo OUT --shape monitor`), for the
//! benchmarks: the app must be fast on what users drop, not only on the demo.
//!
//! The demo generator ([`crate::generate`]) is tuned for the page's demo: storage snapshots every
//! 5 minutes, daily reputation, DELETE rows without size. A monitor writes differently, as
//! `tests/fixtures/small.db` and `tests/fixtures/trends.db` show:
//!
//! - **events**: every column filled (piece id, peer address, country and its coordinates, the
//!   error on failures, the duration); DELETE rows carry the piece's size. Actions, outcomes,
//!   errors, the diurnal profile and the node and satellite shares are small.db's counts; sizes
//!   and durations are drawn from small.db's quantiles (log-linear between them, so the heavy
//!   tails and the many full 2,319,872-byte pieces come out as in the file).
//! - **storage_snapshots**: one API poll per node every hour (3,510–3,690 s apart), one outage of
//!   several hours on node-1, and log-derived rows (only `available_bytes`) every few hours.
//! - **reputation_history**: the same hourly poll, one row per satellite with the poll's
//!   timestamp, full-precision scores and cumulative audit counts.
//! - **hourly_stats**: the aggregator's rows per (hour, node) with traffic; about a third of
//!   them with the `…T12:00:00.000Z` layout, the rest `…T12:00:00+00:00` (as in trends.db).
//! - **earnings_estimates**: finalized months before the data, totals only (the other amounts 0,
//!   `node_age_months` 0, `held_percentage` = held / gross with its rounding noise).
//! - **payout_history**: one payout per month and satellite some days into the next month,
//!   seconds apart, a wallet per node, transaction hashes, an occasional note.
//!
//! Rows are written in time order, the per-node series interleaved with the events as a
//! monitor appends them, in one transaction through prepared statements. The same options give
//! the same file.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc};
use rusqlite::{Connection, Statement};

use super::model::{self, SATELLITES};
use super::num::{exp, ln, mix, Rand};
use super::time::{add_months, iso, midnight_us, month_of, period, US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_SEC};
use super::{schema, DemoError};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorShapeOptions {
    /// Rows in `events`, spread over all nodes.
    pub events: u64,
    /// Nodes `node-1` .. `node-K`; node k gets a share proportional to 1 / (1 + 0.3 (k - 1)), as
    /// small.db's three nodes (42 %, 32 %, 25 %).
    pub nodes: u32,
    /// Days of data, ending at `end`.
    pub days: u32,
    pub seed: u64,
    /// The last instant of data.
    pub end: DateTime<Utc>,
    /// Hours between a node's API polls (storage snapshots, reputation). A monitor polls every
    /// hour; thousands of nodes polled hourly would dwarf the events, so the node sweep of
    /// `scripts/bench-browser` polls daily.
    pub series_hours: u32,
}

impl Default for MonitorShapeOptions {
    /// 1,000,000 events, 3 nodes, 35 days up to 2025-10-10T12:00:00Z (small.db's span), hourly
    /// polls, seed 1.
    fn default() -> Self {
        MonitorShapeOptions {
            events: 1_000_000,
            nodes: 3,
            days: 35,
            seed: 1,
            end: Utc.with_ymd_and_hms(2025, 10, 10, 12, 0, 0).single().expect("valid date"),
            series_hours: 1,
        }
    }
}

/// Rows written per table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonitorShapeSummary {
    pub events: u64,
    pub snapshots: u64,
    pub hourly_stats: u64,
    pub reputation: u64,
    pub estimates: u64,
    pub payouts: u64,
    pub nodes: Vec<String>,
}

// ---- small.db's figures ----------------------------------------------------------------------

/// Events per hour of day (UTC) in small.db.
const DIURNAL: [f64; 24] = [
    1085.0, 1068.0, 1035.0, 1014.0, 942.0, 876.0, 783.0, 716.0, 672.0, 625.0, 579.0, 513.0, 608.0, 568.0, 636.0, 668.0, 745.0, 797.0,
    819.0, 953.0, 1007.0, 1034.0, 1129.0, 1128.0,
];

/// Action, rows in small.db, rows by status (success, canceled, failed).
const ACTIONS: [(&str, f64, [f64; 3]); 6] = [
    ("GET", 7565.0, [6631.0, 699.0, 235.0]),
    ("PUT", 7248.0, [6170.0, 877.0, 201.0]),
    ("GET_AUDIT", 764.0, [758.0, 0.0, 6.0]),
    ("GET_REPAIR", 1644.0, [1578.0, 13.0, 53.0]),
    ("PUT_REPAIR", 1203.0, [1156.0, 6.0, 41.0]),
    ("DELETE", 1576.0, [1545.0, 0.0, 31.0]),
];
const STATUSES: [&str; 3] = ["success", "canceled", "failed"];
const GET: usize = 0;

/// Errors of a canceled GET and of a failed GET, with their counts in small.db. Every other
/// canceled row says "context canceled", every other failed row "unexpected EOF".
const GET_CANCELED: [(&str, f64); 2] = [("downloaded size smaller than order limit", 366.0), ("context canceled", 333.0)];
const GET_FAILED: [(&str, f64); 5] = [
    ("write: connection reset by peer", 56.0),
    ("use of closed network connection", 49.0),
    ("pieces error: filestore error: file does not exist", 44.0),
    ("unexpected EOF", 44.0),
    ("context deadline exceeded", 42.0),
];

/// Shares of small.db's failed rows with size 0, of rows without a duration, and with 0 ms.
const FAILED_SIZE_ZERO: f64 = 0.52;
const DURATION_NULL: f64 = 0.031;
const DURATION_ZERO: f64 = 0.010;

/// The cumulative probabilities of the quantile tables below.
const P: [f64; 22] =
    [0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 1.0];

/// Quantiles (at [`P`]) of the sizes above 0, per action in [`ACTIONS`]' order.
#[rustfmt::skip]
const SIZES: [[f64; 22]; 6] = [
    [256., 1416., 2221., 4736., 9403., 14271., 20503., 38449., 68007., 127213., 297519., F, F, F, F, F, F, F, F, F, F, F],
    [256., 1451., 2338., 4511., 8801., 13360., 19052., 36371., 62712., 115706., 273797., F, F, F, F, F, F, F, F, F, F, F],
    [256., 259., 263., 300., 366., 443., 562., 833., 1155., 1649., 2357., 3523., 4894., 5843., 7245., 8636., 9199., 9495., 9896., 9962., 10010., 10095.],
    [331., 1512., 2423., 5243., 9317., 14735., 20918., 42722., 70852., 133386., 325540., F, F, F, F, F, F, F, F, F, F, F],
    [503., 1549., 2460., 4290., 9298., 15246., 20975., 38326., 65026., 114908., 230978., 1356795., F, F, F, F, F, F, F, F, F, F],
    [358., 1344., 2302., 5075., 9099., 13424., 20231., 34763., 59101., 111439., 251661., F, F, F, F, F, F, F, F, F, F, F],
];
/// A full piece (64 MiB segment, 29 data shares): the most common size.
const F: f64 = model::MAX_PIECE as f64;

/// Quantiles (at [`P`]) of the durations above 0 ms, per action; the outcome barely changes
/// them in small.db.
#[rustfmt::skip]
const DURATIONS: [[f64; 22]; 6] = [
    [6., 24., 31., 45., 64., 83., 102., 142., 189., 244., 320., 425., 590., 728., 935., 1507., 2132., 2987., 6892., 13978., 23673., 94476.],
    [15., 38., 53., 80., 112., 146., 177., 249., 327., 430., 552., 728., 1020., 1252., 1669., 2653., 3951., 5397., 12829., 24490., 53335., 382776.],
    [5., 7., 9., 15., 22., 25., 30., 40., 49., 59., 73., 93., 121., 147., 178., 286., 417., 559., 1807., 2705., 3594., 6898.],
    [21., 79., 104., 151., 213., 265., 320., 450., 633., 839., 1133., 1537., 2218., 2719., 3838., 6430., 10043., 17243., 38203., 58095., 89576., 262822.],
    [33., 94., 119., 184., 279., 350., 433., 653., 880., 1162., 1578., 2228., 3242., 4062., 5617., 9372., 13947., 21126., 44870., 102124., 144308., 1017245.],
    [1., 1., 2., 3., 4., 6., 7., 9., 12., 15., 19., 24., 34., 41., 50., 77., 104., 145., 521., 746., 1767., 2785.],
];

/// Months of earnings history before the data, per node in turn (`None`: a node without any,
/// as small.db's node-2; node-1 has 5, node-3 20).
const HISTORY_MONTHS: [Option<i64>; 8] = [Some(5), None, Some(20), Some(11), Some(3), None, Some(15), Some(8)];

/// `held_percentage` as the fixtures hold it: 0, a fifth or a third (before rounding noise).
const HELD: [(f64, f64); 3] = [(0.0, 0.48), (0.2, 0.27), (1.0 / 3.0, 0.25)];

const PAYOUT_NOTES: [(Option<&str>, f64); 3] =
    [(None, 0.91), (Some("zkSync Era"), 0.06), (Some("below the minimum payout, carried over"), 0.03)];

// ---- drawing ---------------------------------------------------------------------------------

/// Cumulative weights, for [`pick`].
fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .into_iter()
        .map(|w| {
            acc += w;
            acc
        })
        .collect()
}

/// An index drawn with the weights behind `cum` (binary search: thousands of nodes are fine).
fn pick(r: &mut Rand, cum: &[f64]) -> usize {
    let x = r.unit() * cum.last().copied().unwrap_or(1.0);
    cum.partition_point(|&c| c <= x).min(cum.len() - 1)
}

/// A value of the distribution with quantiles `q` at [`P`]: log-linear between two quantiles,
/// exact where they are equal (the full pieces).
fn from_quantiles(r: &mut Rand, q: &[f64; 22]) -> f64 {
    let u = r.unit();
    let k = P.partition_point(|&p| p <= u).clamp(1, P.len() - 1);
    let (a, b) = (q[k - 1], q[k]);
    if a == b {
        return a;
    }
    let f = (u - P[k - 1]) / (P[k] - P[k - 1]);
    exp(ln(a) + f * (ln(b) - ln(a)))
}

fn round_to(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}

fn hex(r: &mut Rand, digits: usize) -> String {
    let mut s = String::with_capacity(digits + 2);
    s.push_str("0x");
    while s.len() < digits + 2 {
        s.push_str(&format!("{:016x}", r.u64()));
    }
    s.truncate(digits + 2);
    s
}

// ---- the nodes -------------------------------------------------------------------------------

/// What a node polls next.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Poll {
    /// The API: a storage snapshot and the reputation of each satellite.
    Api,
    /// A storage line of the node's log: only the free space.
    Log,
}

struct Node {
    name: String,
    /// Cumulative satellite shares of its events.
    satellites: Vec<f64>,
    /// Its durations relative to small.db's (disk, uplink).
    latency: f64,
    total: i64,
    used0: i64,
    /// Net growth of used space per microsecond.
    growth: f64,
    trash: i64,
    /// No API answers in [start, end).
    outage: Option<(i64, i64)>,
    audit: [f64; 4],
    online: [f64; 4],
    audits: [(i64, i64); 4],
    /// Audits per poll and satellite.
    audit_rate: [f64; 4],
    history: Option<i64>,
    /// dl ok, dl fail, ul ok, ul fail, audit ok, audit fail, bytes down, bytes up of this hour.
    hourly: [i64; 8],
    hourly_seen: bool,
}

struct Span {
    start: i64,
    end: i64,
}

pub(crate) fn validate(o: &MonitorShapeOptions) -> Result<(), DemoError> {
    let bad = |m: String| Err(DemoError::InvalidOptions(m));
    if o.nodes == 0 || o.nodes > 100_000 {
        return bad(format!("nodes must be 1..100000 (got {})", o.nodes));
    }
    if o.days == 0 || o.days > 3660 {
        return bad(format!("days must be 1..3660 (got {})", o.days));
    }
    if o.series_hours == 0 || o.series_hours > 24 * 366 {
        return bad(format!("series hours must be 1..8784 (got {})", o.series_hours));
    }
    if o.events > 200_000_000 {
        return bad(format!("events must be at most 200000000 (got {})", o.events));
    }
    // Snapshots plus four reputation rows per poll.
    let polls = o.nodes as u64 * o.days as u64 * 24 / o.series_hours as u64;
    if polls * 5 > 50_000_000 {
        return bad(format!(
            "{} nodes polled every {} h for {} days make {} million rows of snapshots and reputation (at most 50): poll less often",
            o.nodes,
            o.series_hours,
            o.days,
            polls * 5 / 1_000_000
        ));
    }
    let start = o.end.checked_sub_signed(TimeDelta::days(o.days as i64));
    if start.is_none_or(|s| s.year() < 1972) || o.end.year() >= 9999 {
        return bad(format!("end {} with {} days is outside the years 1972..9998", o.end.to_rfc3339(), o.days));
    }
    Ok(())
}

fn plan_nodes(o: &MonitorShapeOptions, span: &Span) -> Vec<Node> {
    let mut r = Rand::new(mix(o.seed, 101));
    let len = span.end - span.start;
    let polls_per_day = 24.0 / o.series_hours as f64;
    (0..o.nodes as usize)
        .map(|i| {
            let shares: Vec<f64> = SATELLITES.iter().map(|s| s.2 * r.uniform(0.85, 1.15)).collect();
            let total = (r.uniform(4.0, 24.0) * 1e12) as i64;
            let used0 = (total as f64 * r.uniform(0.25, 0.7)) as i64;
            // small.db: node-1's API is silent for ~10 h once; other nodes now and then.
            let outage = (i == 0 || r.chance(0.3)).then(|| {
                let at = span.start + (len as f64 * r.uniform(0.2, 0.8)) as i64;
                (at, at + ((r.uniform(4.0, 10.0) * US_PER_HOUR as f64) as i64).min(len / 4))
            });
            let history = HISTORY_MONTHS[i % HISTORY_MONTHS.len()];
            let age_days = 30.0 * (history.unwrap_or(1) + 1) as f64;
            let mut audits = [(0, 0); 4];
            let mut audit_rate = [0.0; 4];
            for s in 0..4 {
                // Audits so far: about 9 an hour on the largest satellite of a grown node.
                let per_day = 220.0 * SATELLITES[s].2 * r.uniform(0.6, 1.4);
                let ok = (per_day * age_days) as i64;
                audits[s] = (ok, ok + (ok as f64 * r.uniform(0.0002, 0.002)) as i64);
                audit_rate[s] = per_day / polls_per_day;
            }
            Node {
                name: format!("node-{}", i + 1),
                satellites: cumulative(shares),
                latency: r.uniform(0.85, 1.2),
                total,
                used0,
                growth: r.uniform(4e9, 20e9) / US_PER_DAY as f64,
                trash: (used0 as f64 * r.uniform(0.002, 0.02)) as i64,
                outage,
                audit: [0; 4].map(|_| 100.0 - r.uniform(0.1, 0.5)),
                online: [0; 4].map(|_| 100.0 - r.uniform(0.0, 0.5)),
                audits,
                audit_rate,
                history,
                hourly: [0; 8],
                hourly_seen: false,
            }
        })
        .collect()
}

/// Events in each hour of the span: small.db's diurnal profile, ±5 % from day to day, exactly
/// `events` in all.
fn hour_counts(o: &MonitorShapeOptions, span: &Span) -> Vec<u64> {
    let mut r = Rand::new(mix(o.seed, 102));
    let hours = (o.days as usize) * 24;
    let mut day = 1.0;
    let weights: Vec<f64> = (0..hours)
        .map(|h| {
            if h % 24 == 0 {
                day = r.uniform(0.95, 1.05);
            }
            let t = span.start + h as i64 * US_PER_HOUR + 30 * US_PER_MIN;
            DIURNAL[(t.rem_euclid(US_PER_DAY) / US_PER_HOUR) as usize] * day * r.uniform(0.93, 1.07)
        })
        .collect();
    let cum = cumulative(weights.iter().copied());
    let total = cum.last().copied().unwrap_or(1.0);
    let mut prev = 0u64;
    cum.iter()
        .enumerate()
        .map(|(h, c)| {
            let upto = if h + 1 == hours { o.events } else { ((c / total) * o.events as f64).round() as u64 };
            let upto = upto.clamp(prev, o.events);
            let n = upto - prev;
            prev = upto;
            n
        })
        .collect()
}

// ---- writing ---------------------------------------------------------------------------------

struct Writer<'c> {
    r: Rand,
    start: i64,
    series_hours: i64,
    event: Statement<'c>,
    snapshot: Statement<'c>,
    hourly: Statement<'c>,
    reputation: Statement<'c>,
    piece: [u8; 52],
    summary: MonitorShapeSummary,
}

impl Writer<'_> {
    /// The next API poll after one at `t`: an hour (times `series_hours`) give or take 90 s,
    /// past the node's outage.
    fn next_api(&mut self, n: &Node, t: i64) -> i64 {
        let next = t + self.series_hours * US_PER_HOUR + self.r.range_i64(-90 * US_PER_SEC, 90 * US_PER_SEC);
        match n.outage {
            Some((from, to)) if next >= from && next < to => to + self.r.range_i64(0, US_PER_HOUR),
            _ => next,
        }
    }

    /// The next storage line of the log: 15 min to 46 h later, usually 4-8 h (small.db).
    fn next_log(&mut self, t: i64) -> i64 {
        let hours = self.r.lognormal(5.5, 0.7).clamp(0.25, 46.0) * self.series_hours as f64;
        t + (hours * US_PER_HOUR as f64) as i64 + self.r.range_i64(0, US_PER_SEC - 1)
    }

    /// Writes every poll due at or before `until`, in time order across nodes.
    fn polls_until(
        &mut self,
        nodes: &mut [Node],
        due: &mut BinaryHeap<Reverse<(i64, u32, Poll)>>,
        until: i64,
        end: i64,
    ) -> rusqlite::Result<()> {
        while let Some(&Reverse((t, i, poll))) = due.peek() {
            if t > until {
                break;
            }
            due.pop();
            let next = match poll {
                Poll::Api => {
                    self.api_poll(&mut nodes[i as usize], t)?;
                    self.next_api(&nodes[i as usize], t)
                }
                Poll::Log => {
                    self.log_line(&nodes[i as usize], t)?;
                    self.next_log(t)
                }
            };
            if next <= end {
                due.push(Reverse((next, i, poll)));
            }
        }
        Ok(())
    }

    fn used(&self, n: &Node, t: i64) -> i64 {
        (n.used0 + (n.growth * (t - self.start) as f64) as i64).clamp(0, n.total)
    }

    /// A storage snapshot and the reputation of each satellite, with the poll's timestamp.
    fn api_poll(&mut self, n: &mut Node, t: i64) -> rusqlite::Result<()> {
        let ts = iso(t);
        let used = self.used(n, t);
        // Trash: garbage collection adds to it, the 7-day expiry takes from it.
        n.trash = (n.trash as f64 * self.r.uniform(0.97, 1.03)).clamp(0.0, n.used0 as f64 * 0.05) as i64;
        let available = n.total - used;
        let pct = |x: i64| round_to(x as f64 / n.total as f64 * 100.0, 100.0);
        let snapshot = (ts.as_str(), n.name.as_str(), n.total, used, available, n.trash, pct(used), pct(n.trash), pct(available));
        self.snapshot.execute(snapshot)?;
        self.summary.snapshots += 1;
        for (s, sat) in SATELLITES.iter().enumerate() {
            let audits = (n.audit_rate[s] * self.r.uniform(0.5, 1.5)).round() as i64;
            let failed = self.r.chance(0.001 * audits as f64) as i64;
            n.audits[s].0 += audits - failed;
            n.audits[s].1 += audits;
            n.audit[s] = (n.audit[s] + self.r.uniform(-0.004, 0.004)).clamp(97.0, 100.0);
            n.online[s] = (n.online[s] + self.r.uniform(-0.005, 0.005)).clamp(98.5, 100.0);
            let (ok, total) = n.audits[s];
            self.reputation.execute((ts.as_str(), n.name.as_str(), sat.0, n.audit[s], 100.0f64, n.online[s], ok, total, 0i64, 0i64))?;
            self.summary.reputation += 1;
        }
        Ok(())
    }

    /// A storage line of the node's log: the free space only.
    fn log_line(&mut self, n: &Node, t: i64) -> rusqlite::Result<()> {
        let available = n.total - self.used(n, t) + self.r.range_i64(-500_000_000, 500_000_000);
        let none = None::<i64>;
        let nonef = None::<f64>;
        self.snapshot.execute((iso(t).as_str(), n.name.as_str(), none, none, available, none, nonef, nonef, nonef))?;
        self.summary.snapshots += 1;
        Ok(())
    }

    /// The aggregator's rows for `hour` (hours since the epoch), one per node with traffic.
    fn flush_hourly(&mut self, nodes: &mut [Node], hour: i64) -> rusqlite::Result<()> {
        let plain = iso(hour * US_PER_HOUR);
        let zulu = format!("{}.000Z", &plain[..19]);
        for n in nodes.iter_mut().filter(|n| n.hourly_seen) {
            let ts = if self.r.chance(0.31) { zulu.as_str() } else { plain.as_str() };
            let h = n.hourly;
            self.hourly.execute((ts, n.name.as_str(), h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]))?;
            self.summary.hourly_stats += 1;
            n.hourly = [0; 8];
            n.hourly_seen = false;
        }
        Ok(())
    }
}

/// One event's outcome fields.
struct Drawn {
    action: usize,
    status: usize,
    size: i64,
    error: Option<&'static str>,
    duration: Option<i64>,
}

struct Tables {
    actions: Vec<f64>,
    statuses: Vec<Vec<f64>>,
    get_canceled: Vec<f64>,
    get_failed: Vec<f64>,
}

impl Tables {
    fn new() -> Self {
        Tables {
            actions: cumulative(ACTIONS.iter().map(|a| a.1)),
            statuses: ACTIONS.iter().map(|a| cumulative(a.2)).collect(),
            get_canceled: cumulative(GET_CANCELED.iter().map(|e| e.1)),
            get_failed: cumulative(GET_FAILED.iter().map(|e| e.1)),
        }
    }

    fn draw(&self, r: &mut Rand, latency: f64) -> Drawn {
        let action = pick(r, &self.actions);
        let status = pick(r, &self.statuses[action]);
        let error = match (status, action) {
            (0, _) => None,
            (1, GET) => Some(GET_CANCELED[pick(r, &self.get_canceled)].0),
            (1, _) => Some("context canceled"),
            (_, GET) => Some(GET_FAILED[pick(r, &self.get_failed)].0),
            _ => Some("unexpected EOF"),
        };
        let size = if status == 2 && r.chance(FAILED_SIZE_ZERO) { 0 } else { from_quantiles(r, &SIZES[action]).round() as i64 };
        let u = r.unit();
        let duration = if u < DURATION_NULL {
            None
        } else if u < DURATION_NULL + DURATION_ZERO {
            Some(0)
        } else {
            Some(((from_quantiles(r, &DURATIONS[action]) * latency).round() as i64).max(1))
        };
        Drawn { action, status, size, error, duration }
    }
}

/// Counts an event into its node's hour, as the monitor's aggregator does.
fn count_hourly(n: &mut Node, d: &Drawn) {
    let ok = d.status == 0;
    let h = &mut n.hourly;
    n.hourly_seen = true;
    match ACTIONS[d.action].0 {
        "GET_AUDIT" => h[4 + !ok as usize] += 1,
        "GET" | "GET_REPAIR" => {
            h[!ok as usize] += 1;
            if ok {
                h[6] += d.size;
            }
        }
        "PUT" | "PUT_REPAIR" => {
            h[2 + !ok as usize] += 1;
            if ok {
                h[7] += d.size;
            }
        }
        _ => {}
    }
}

fn write(conn: &Connection, o: &MonitorShapeOptions) -> Result<MonitorShapeSummary, DemoError> {
    let end = o.end.timestamp_micros();
    let span = Span { start: end - o.days as i64 * US_PER_DAY, end };
    let mut nodes = plan_nodes(o, &span);
    let counts = hour_counts(o, &span);
    let tables = Tables::new();
    let mut r = Rand::new(mix(o.seed, 103));
    // Peers recur: small.db has one address per five events.
    let peers = model::peers(&mut r, &model::Tables::new(), (o.events / 5).clamp(64, 200_000) as usize);
    let node_cum = cumulative((0..nodes.len()).map(|i| 1.0 / (1.0 + 0.3 * i as f64)));

    for sql in schema::CREATE_TABLES {
        conn.execute(sql, [])?;
    }
    let mut w = Writer {
        r: Rand::new(mix(o.seed, 104)),
        start: span.start,
        series_hours: o.series_hours as i64,
        event: conn.prepare(schema::INSERT_EVENT)?,
        snapshot: conn.prepare(schema::INSERT_SNAPSHOT)?,
        hourly: conn.prepare(schema::INSERT_HOURLY)?,
        reputation: conn.prepare(schema::INSERT_REPUTATION)?,
        piece: [0; 52],
        summary: MonitorShapeSummary { nodes: nodes.iter().map(|n| n.name.clone()).collect(), ..Default::default() },
    };
    // The first polls of the nodes are spread over the first interval.
    let mut due = BinaryHeap::new();
    let first = o.series_hours as i64 * US_PER_HOUR;
    for i in 0..nodes.len() as u32 {
        let api = span.start + w.r.range_i64(0, first - 1);
        let log = span.start + w.r.range_i64(0, 6 * first - 1);
        due.push(Reverse((api, i, Poll::Api)));
        due.push(Reverse((log, i, Poll::Log)));
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
            w.polls_until(&mut nodes, &mut due, t, span.end)?;
            let this_hour = t.div_euclid(US_PER_HOUR);
            if this_hour != hour {
                if hour != i64::MIN {
                    w.flush_hourly(&mut nodes, hour)?;
                }
                hour = this_hour;
            }
            let n = &mut nodes[pick(&mut r, &node_cum)];
            let sat = SATELLITES[pick(&mut r, &n.satellites)].0;
            let d = tables.draw(&mut r, n.latency);
            count_hourly(n, &d);
            let peer = &peers[r.below(peers.len() as u64) as usize];
            let (country, geo, _) = model::COUNTRIES[peer.country];
            let ts = iso(t);
            let piece = model::piece_id(&mut r, &mut w.piece);
            w.event.execute((
                ts.as_str(),
                ACTIONS[d.action].0,
                STATUSES[d.status],
                d.size,
                piece,
                sat,
                peer.ip.as_str(),
                country,
                geo.map(|g| g.0),
                geo.map(|g| g.1),
                d.error,
                n.name.as_str(),
                d.duration,
            ))?;
            w.summary.events += 1;
        }
    }
    w.polls_until(&mut nodes, &mut due, span.end, span.end)?;
    if hour != i64::MIN {
        w.flush_hourly(&mut nodes, hour)?;
    }
    let mut summary = std::mem::take(&mut w.summary);
    drop(w);
    let (estimates, payouts) = write_earnings(conn, o, &span, &nodes)?;
    summary.estimates = estimates;
    summary.payouts = payouts;
    Ok(summary)
}

/// Finalized estimates for the months before the data, and their payouts.
fn write_earnings(conn: &Connection, o: &MonitorShapeOptions, span: &Span, nodes: &[Node]) -> rusqlite::Result<(u64, u64)> {
    let mut r = Rand::new(mix(o.seed, 105));
    let mut est = conn.prepare(schema::INSERT_ESTIMATE)?;
    let mut pay = conn.prepare(schema::INSERT_PAYOUT)?;
    let held_cum = cumulative(HELD.iter().map(|h| h.1));
    let notes_cum = cumulative(PAYOUT_NOTES.iter().map(|n| n.1));
    let start_month = month_of(span.start);
    let (mut estimates, mut payouts) = (0, 0);
    for (i, n) in nodes.iter().enumerate() {
        let Some(months) = n.history else { continue };
        let wallet = hex(&mut r, 40);
        for k in (1..=months).rev() {
            let month = add_months(start_month, -k);
            let next = midnight_us(add_months(month, 1));
            let written = iso((next + 14 * US_PER_DAY + (i % 3) as i64 * US_PER_HOUR).min(span.end));
            let p = period(month);
            let mut paid_at = next + r.range_i64(7 * US_PER_DAY, 14 * US_PER_DAY - 1);
            for sat in SATELLITES.iter() {
                let gross = round_to(r.lognormal(1.2 * sat.2 / 0.25, 0.6), 1e6);
                let share = HELD[pick(&mut r, &held_cum)].0;
                let held = round_to(gross * share, 1e6);
                let net = round_to(gross - held, 1e6);
                let held_pct = if held > 0.0 { held / gross } else { 0.0 };
                let z = (0i64, 0.0f64);
                est.execute(rusqlite::params![
                    written, n.name, sat.0, p, z.0, z.1, z.1, z.0, z.1, z.1, z.0, z.1, z.1, z.0, z.1, z.1, gross, net, held, 0i64,
                    held_pct, 1i64
                ])?;
                estimates += 1;
                if paid_at <= span.end {
                    let actual = round_to(net * (1.0 + 0.03 * r.normal()), 1e6);
                    let variance = round_to(actual - net, 1e6);
                    let variance_pct = if net > 0.0 { round_to(variance / net * 100.0, 1e4) } else { 0.0 };
                    let note = PAYOUT_NOTES[pick(&mut r, &notes_cum)].0;
                    pay.execute(rusqlite::params![
                        iso(paid_at),
                        n.name,
                        sat.0,
                        p,
                        actual,
                        net,
                        variance,
                        variance_pct,
                        wallet,
                        hex(&mut r, 64),
                        note
                    ])?;
                    payouts += 1;
                }
                // The satellites pay one after another, seconds apart.
                paid_at += r.range_i64(1_200_000, 2_700_000);
            }
        }
    }
    Ok((estimates, payouts))
}

/// Writes the monitor-shaped tables into an empty connection (one transaction).
pub fn generate(conn: &mut Connection, opts: &MonitorShapeOptions) -> Result<MonitorShapeSummary, DemoError> {
    validate(opts)?;
    super::fresh_and_fast(conn, |tx| write(tx, opts))
}

/// Native: writes a fresh database file at `path` (see [`crate::generate_to_path`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn generate_to_path(path: &std::path::Path, opts: &MonitorShapeOptions, overwrite: bool) -> Result<MonitorShapeSummary, DemoError> {
    validate(opts)?;
    super::write_file(path, overwrite, |conn| generate(conn, opts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> MonitorShapeOptions {
        MonitorShapeOptions { events: 20_000, ..MonitorShapeOptions::default() }
    }

    fn bytes(o: &MonitorShapeOptions) -> Vec<u8> {
        let mut conn = Connection::open_in_memory().unwrap();
        generate(&mut conn, o).unwrap();
        conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
    }

    #[test]
    fn deterministic() {
        let o = MonitorShapeOptions { events: 3_000, days: 5, ..small() };
        assert_eq!(bytes(&o), bytes(&o));
    }

    #[test]
    fn shaped_like_small_db() {
        let mut conn = Connection::open_in_memory().unwrap();
        let s = generate(&mut conn, &small()).unwrap();
        assert_eq!(s.events, 20_000);
        let q = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, f64>(0)).unwrap();
        // Every table but app_persistent_state has rows.
        for t in ["storage_snapshots", "hourly_stats", "reputation_history", "earnings_estimates", "payout_history"] {
            assert!(q(&format!("SELECT COUNT(*) FROM {t}")) > 0.0, "{t}");
        }
        // Hourly polls: about 840 API snapshots per node in 35 days, plus log lines.
        let api = q("SELECT COUNT(*) FROM storage_snapshots WHERE used_bytes IS NOT NULL AND node_name = 'node-2'");
        assert!((800.0..=842.0).contains(&api), "{api}");
        // Shares as in small.db (within sampling noise).
        let share = |sql: &str| q(&format!("SELECT AVG({sql}) FROM events"));
        assert!((share("action = 'GET'") - 0.378).abs() < 0.015);
        assert!((share("node_name = 'node-1'") - 0.42).abs() < 0.02);
        assert!((share("duration_ms IS NULL") - 0.031).abs() < 0.006);
        assert!((share("size = 2319872") - 0.30).abs() < 0.02);
        assert_eq!(share("status = 'success' AND error_reason IS NOT NULL"), 0.0);
        assert_eq!(share("status != 'success' AND error_reason IS NULL"), 0.0);
        assert_eq!(share("piece_id IS NULL OR remote_ip IS NULL OR country IS NULL"), 0.0);
        assert_eq!(q("SELECT COUNT(*) FROM events WHERE length(timestamp) NOT IN (25, 32)"), 0.0);
        // DELETE rows carry sizes, unlike the demo's.
        assert!(q("SELECT AVG(size) FROM events WHERE action = 'DELETE'") > 100_000.0);
    }

    #[test]
    fn many_nodes_with_daily_polls() {
        let o = MonitorShapeOptions { events: 15_000, nodes: 5_000, series_hours: 24, ..small() };
        let mut conn = Connection::open_in_memory().unwrap();
        let s = generate(&mut conn, &o).unwrap();
        assert_eq!((s.events, s.nodes.len()), (15_000, 5_000));
        assert!(validate(&MonitorShapeOptions { nodes: 100_000, ..small() }).is_err());
    }
}
