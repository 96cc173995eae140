//! What a storage node's traffic looks like: satellites, actions, outcomes, piece sizes,
//! durations, peers. Proportions follow the original monitor's data (see `fixtures/small.db`).

use super::num::Rand;

/// The four production satellites (ANALYTICS.md section 2) and their share of a node's traffic.
pub const SATELLITES: [(&str, &str, f64); 4] = [
    ("12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S", "us1", 0.46),
    ("12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs", "eu1", 0.30),
    ("121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6", "ap1", 0.14),
    ("1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE", "saltlake", 0.10),
];

/// Storj's held-back schedule: one table for the workspace, in the model crate.
pub use ::model::report::held_fraction;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
    Get,
    Put,
    GetAudit,
    GetRepair,
    PutRepair,
    Delete,
}

impl Action {
    pub const ALL: [Action; 6] = [Action::Get, Action::Put, Action::GetAudit, Action::GetRepair, Action::PutRepair, Action::Delete];
    /// Share of all events.
    pub const WEIGHTS: [f64; 6] = [0.378, 0.362, 0.038, 0.082, 0.060, 0.080];

    pub fn name(self) -> &'static str {
        match self {
            Action::Get => "GET",
            Action::Put => "PUT",
            Action::GetAudit => "GET_AUDIT",
            Action::GetRepair => "GET_REPAIR",
            Action::PutRepair => "PUT_REPAIR",
            Action::Delete => "DELETE",
        }
    }

    /// (success, canceled, failed) probabilities.
    fn outcome_weights(self) -> [f64; 3] {
        match self {
            Action::Get => [0.877, 0.092, 0.031],
            Action::Put => [0.851, 0.121, 0.028],
            Action::GetAudit => [0.992, 0.0, 0.008],
            Action::GetRepair => [0.960, 0.008, 0.032],
            Action::PutRepair => [0.961, 0.005, 0.034],
            Action::Delete => [0.980, 0.0, 0.020],
        }
    }

    /// Median duration in ms and log-space spread of the body of the distribution.
    fn duration_body(self) -> (f64, f64) {
        match self {
            Action::Get => (265.0, 1.05),
            Action::Put => (470.0, 1.05),
            Action::GetAudit => (92.0, 0.95),
            Action::GetRepair => (520.0, 1.15),
            Action::PutRepair => (760.0, 1.15),
            Action::Delete => (23.0, 1.0),
        }
    }

    /// Probability that a transfer lands in the heavy tail (slow peer, congested link).
    fn tail_chance(self) -> f64 {
        match self {
            Action::Get => 0.016,
            Action::Put => 0.020,
            Action::GetAudit => 0.004,
            Action::GetRepair => 0.040,
            Action::PutRepair => 0.045,
            Action::Delete => 0.001,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Success,
    Canceled,
    Failed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Success => "success",
            Status::Canceled => "canceled",
            Status::Failed => "failed",
        }
    }
}

/// Latitude and longitude (the monitor's GeoIP answers country centroids); `None`: unknown.
pub type Geo = Option<(f64, f64)>;

/// Country, location, share of peers.
pub const COUNTRIES: [(&str, Geo, f64); 10] = [
    ("United States", Some((37.751, -97.822)), 0.253),
    ("Germany", Some((51.2993, 9.491)), 0.218),
    ("Unknown", None, 0.091),
    ("France", Some((48.8582, 2.3387)), 0.090),
    ("Netherlands", Some((52.3824, 4.8995)), 0.076),
    ("United Kingdom", Some((51.4964, -0.1224)), 0.062),
    ("Japan", Some((35.69, 139.69)), 0.060),
    ("Singapore", Some((1.2868, 103.8503)), 0.051),
    ("Poland", Some((52.2394, 21.0362)), 0.050),
    ("Canada", Some((43.6319, -79.3716)), 0.049),
];

/// The largest piece of a 64 MiB segment with 29 data shares: the most common size on the wire.
pub const MAX_PIECE: i64 = 2_319_872;

/// Precomputed cumulative tables for fast picking.
pub struct Tables {
    pub actions: Vec<u32>,
    pub outcomes: [Vec<u32>; 6],
    pub countries: Vec<u32>,
    pub get_cancel_reasons: Vec<u32>,
    pub get_fail_reasons: Vec<u32>,
}

pub const GET_CANCEL_REASONS: [&str; 2] = ["context canceled", "downloaded size smaller than order limit"];
pub const GET_FAIL_REASONS: [&str; 5] = [
    "write: connection reset by peer",
    "use of closed network connection",
    "unexpected EOF",
    "pieces error: filestore error: file does not exist",
    "context deadline exceeded",
];
const FILE_MISSING: usize = 3;

impl Tables {
    pub fn new() -> Self {
        use super::num::cumulative;
        let outcomes = Action::ALL.map(|a| cumulative(&a.outcome_weights()));
        Tables {
            actions: cumulative(&Action::WEIGHTS),
            outcomes,
            countries: cumulative(&COUNTRIES.map(|c| c.2)),
            get_cancel_reasons: cumulative(&[0.48, 0.52]),
            get_fail_reasons: cumulative(&[0.24, 0.21, 0.19, 0.19, 0.17]),
        }
    }
}

/// One transfer's outcome fields.
pub struct Transfer {
    pub action: Action,
    pub status: Status,
    pub size: i64,
    pub error: Option<&'static str>,
    pub duration_ms: Option<i64>,
}

fn piece_size(r: &mut Rand, full_share: f64) -> i64 {
    if r.chance(full_share) {
        MAX_PIECE
    } else {
        (r.lognormal(50_000.0, 1.6) as i64).clamp(256, MAX_PIECE - 1)
    }
}

/// Draws one transfer. `latency` scales the node's durations (its disk and uplink).
pub fn transfer(r: &mut Rand, t: &Tables, latency: f64) -> Transfer {
    let action = Action::ALL[r.pick(&t.actions)];
    let status = [Status::Success, Status::Canceled, Status::Failed][r.pick(&t.outcomes[action as usize])];

    let mut error = match status {
        Status::Success => None,
        Status::Canceled if action == Action::Get => Some(GET_CANCEL_REASONS[r.pick(&t.get_cancel_reasons)]),
        Status::Canceled => Some("context canceled"),
        Status::Failed if action == Action::Get => Some(GET_FAIL_REASONS[r.pick(&t.get_fail_reasons)]),
        Status::Failed => Some("unexpected EOF"),
    };

    let mut size = match action {
        Action::Delete => 0,
        Action::GetAudit => (r.lognormal(1_640.0, 1.05) as i64).clamp(1, 10_240),
        Action::Get | Action::GetRepair => piece_size(r, 0.31),
        Action::Put | Action::PutRepair => piece_size(r, 0.28),
    };
    if status == Status::Failed && (error == Some(GET_FAIL_REASONS[FILE_MISSING]) || r.chance(0.45)) {
        size = 0;
    }
    if action == Action::Delete && status == Status::Failed {
        error = Some("unexpected EOF");
    }

    // Durations: log-normal body scaled by piece size, Pareto tail; a few missing or zero.
    let duration_ms = {
        let missing = if status == Status::Canceled { 0.04 } else { 0.031 };
        let u = r.unit();
        if u < missing {
            None
        } else if u < missing + 0.009 {
            Some(0)
        } else {
            let (median, sigma) = action.duration_body();
            let by_size = 0.6 + 0.8 * (size as f64 / MAX_PIECE as f64);
            let by_status = match status {
                Status::Success => 1.0,
                Status::Canceled => 2.2,
                Status::Failed => 0.8,
            };
            let ms = if r.chance(action.tail_chance()) {
                let ms = r.pareto(3_500.0, 1.05);
                if ms > 1_200_000.0 {
                    r.uniform(600_000.0, 1_200_000.0)
                } else {
                    ms
                }
            } else {
                r.lognormal(median * by_size * by_status * latency, sigma)
            };
            Some((ms as i64).max(1))
        }
    };

    Transfer { action, status, size, error, duration_ms }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A piece id: 32 random bytes in unpadded base32, 52 characters, as in the node's log.
pub fn piece_id<'a>(r: &mut Rand, buf: &'a mut [u8; 52]) -> &'a str {
    let words = [r.u64(), r.u64(), r.u64(), r.u64()];
    // 256 bits -> 51 full 5-bit groups + 1 bit (padded with 4 zero bits).
    let mut acc: u128 = 0;
    let mut nbits = 0u32;
    let mut out = 0;
    for w in words {
        for shift in [32u32, 0] {
            acc = (acc << 32) | ((w >> shift) & 0xffff_ffff) as u128;
            nbits += 32;
            while nbits >= 5 {
                nbits -= 5;
                buf[out] = BASE32[((acc >> nbits) & 31) as usize];
                out += 1;
            }
            acc &= (1u128 << nbits) - 1;
        }
    }
    buf[out] = BASE32[((acc << (5 - nbits)) & 31) as usize];
    std::str::from_utf8(&buf[..]).expect("ascii")
}

/// A peer: its address and where GeoIP puts it.
pub struct Peer {
    pub ip: String,
    pub country: usize,
}

/// A pool of public IPv4 peers with fixed countries (peers recur, as in a real log).
pub fn peers(r: &mut Rand, t: &Tables, n: usize) -> Vec<Peer> {
    (0..n)
        .map(|_| {
            let a = loop {
                let a = 1 + r.below(223) as u32;
                if a != 10 && a != 127 && a != 100 && a != 172 && a != 192 {
                    break a;
                }
            };
            let ip = format!("{}.{}.{}.{}", a, r.below(256), r.below(256), 1 + r.below(254));
            Peer { ip, country: r.pick(&t.countries) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piece_ids_are_base32() {
        let mut r = Rand::new(3);
        let mut buf = [0u8; 52];
        for _ in 0..100 {
            let id = piece_id(&mut r, &mut buf);
            assert_eq!(id.len(), 52);
            assert!(id.bytes().all(|b| BASE32.contains(&b)));
            assert!(id.ends_with('A') || id.ends_with('Q'));
        }
    }
}
