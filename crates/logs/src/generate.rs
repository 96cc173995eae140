//! A realistic storagenode log for benchmarks and tests: the node upgrading through the four
//! eras of LOGS.md §1.5 (ms timestamps and PascalCase keys, race-lost lines with only the piece
//! ID and their DEBUG twins, `reason` fields, snake_case keys), at debug level, with the usual
//! company of monitor, collector, retain and orders lines. Deterministic: the same options give
//! the same bytes. Produced slice by slice, so a 5 GB log needs no 5 GB of memory.

const SATELLITES: [&str; 4] = [
    "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S",
    "12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs",
    "121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6",
    "1wFTAgs9DP5RSnCqKV1eLf6N9wtk4EAtmN5DpSxcs8EjT69tGE",
];
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub lines: u64,
    pub seed: u64,
    /// UTC seconds of the first line.
    pub start: i64,
    /// Seconds between lines on average (the log's span is about `lines * step`).
    pub step_ms: i64,
}

impl Default for GenOptions {
    fn default() -> Self {
        // 2026-02-01T00:00:00Z, a line every 250 ms
        GenOptions { lines: 100_000, seed: 1, start: 1_769_904_000, step_ms: 250 }
    }
}

/// The generator: call [`LogGenerator::fill`] until it returns false.
pub struct LogGenerator {
    o: GenOptions,
    rng: u64,
    written: u64,
    t_ms: i64,
    /// A race-lost line's twin to write next (v1.95 era).
    twin: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    V178,
    V195,
    V137,
    V148,
}

impl LogGenerator {
    pub fn new(o: GenOptions) -> Self {
        let rng = o.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let t_ms = o.start * 1000;
        LogGenerator { o, rng, written: 0, t_ms, twin: None }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn piece(&mut self) -> String {
        (0..52).map(|_| BASE32[self.below(32) as usize] as char).collect()
    }

    /// Appends lines to `out` until it holds about `target` bytes; false once every line is written.
    pub fn fill(&mut self, out: &mut Vec<u8>, target: usize) -> bool {
        while out.len() < target {
            if self.written >= self.o.lines {
                return false;
            }
            let line = self.line();
            out.extend_from_slice(line.as_bytes());
            self.written += 1;
        }
        self.written < self.o.lines
    }

    fn era(&self) -> Era {
        match self.written * 4 / self.o.lines.max(1) {
            0 => Era::V178,
            1 => Era::V195,
            2 => Era::V137,
            _ => Era::V148,
        }
    }

    fn time(&self, era: Era) -> String {
        // the node writes local time (CET) on Windows
        let local = self.t_ms + 3_600_000;
        let secs = local.div_euclid(1000);
        let (y, m, d) = crate::time::civil_from_days(secs.div_euclid(86_400));
        let r = secs.rem_euclid(86_400);
        let hms = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", r / 3600, r / 60 % 60, r % 60);
        match era {
            Era::V178 => format!("{hms}.{:03}+0100", local.rem_euclid(1000)),
            _ => format!("{hms}+01:00"),
        }
    }

    fn fields(&mut self, era: Era, piece: &str, action: &str, size: u64, extra: &str) -> String {
        let sat = SATELLITES[self.below(4) as usize];
        let addr = format!("79.127.{}.{}:{}", self.below(256), self.below(256), 1024 + self.below(60_000));
        if era == Era::V148 {
            format!("{{\"process\": \"storagenode\", \"piece_id\": \"{piece}\", \"satellite_id\": \"{sat}\", \"action\": \"{action}\", \"size\": {size}, \"remote_address\": \"{addr}\"{extra}}}")
        } else {
            format!("{{\"Process\": \"storagenode\", \"Piece ID\": \"{piece}\", \"Satellite ID\": \"{sat}\", \"Action\": \"{action}\", \"Size\": {size}, \"Remote Address\": \"{addr}\"{extra}}}")
        }
    }

    fn line(&mut self) -> String {
        self.t_ms += self.below(2 * self.o.step_ms.max(1) as u64) as i64;
        let era = self.era();
        let time = self.time(era);
        if let Some(twin) = self.twin.take() {
            return format!("{time}\tDEBUG\tpiecestore\t{twin}\n");
        }
        let roll = self.below(1000);
        let piece = self.piece();
        let size = 256 + self.below(2_319_104);
        let started_level = if matches!(era, Era::V178 | Era::V195) { "INFO" } else { "DEBUG" };
        let (action, down) = match self.below(100) {
            0..=1 => ("GET_AUDIT", true),
            2..=41 => ("GET", true),
            42..=49 => ("GET_REPAIR", true),
            50..=93 => ("PUT", false),
            _ => ("PUT_REPAIR", false),
        };
        let dir = if down { "download" } else { "upload" };
        match roll {
            0..=369 => {
                let extra = if down { format!(", \"Offset\": {}", self.below(2) * self.below(size)) } else { format!(", \"Available Space\": {}", 8_000_000_000_000 + self.below(1_000_000_000_000)) };
                let f = self.fields(era, &piece, action, size, &extra);
                format!("{time}\t{started_level}\tpiecestore\t{dir} started\t{f}\n")
            }
            370..=739 => {
                let msg = if down { "downloaded" } else { "uploaded" };
                let extra = if down { format!(", \"Offset\": {}", self.below(2) * self.below(size)) } else { String::new() };
                let f = self.fields(era, &piece, action, size, &extra);
                format!("{time}\tINFO\tpiecestore\t{msg}\t{f}\n")
            }
            740..=789 => {
                let reason = match (era, down, self.below(3)) {
                    (Era::V178 | Era::V195, _, _) => String::new(),
                    (_, true, 0) => format!(", \"reason\": \"downloaded size ({} bytes) does not match received message size ({size} bytes)\"", size / 2),
                    _ => ", \"reason\": \"context canceled\"".to_string(),
                };
                let f = self.fields(era, &piece, action, size, &reason);
                format!("{time}\tINFO\tpiecestore\t{dir} canceled\t{f}\n")
            }
            790..=799 if era == Era::V195 => {
                let twin_msg = if down { "download canceled" } else { "upload failed" };
                self.twin = Some(format!("{twin_msg}\t{}", self.fields(era, &piece, action, size, ", \"error\": \"context canceled\"")));
                format!("{time}\tINFO\tpiecestore\t{dir} canceled (race lost or node shutdown)\t{{\"process\": \"storagenode\", \"Piece ID\": \"{piece}\"}}\n")
            }
            790..=809 => {
                let err = match self.below(4) {
                    0 if action == "GET_AUDIT" => "file does not exist".to_string(),
                    0 => format!("write tcp 192.168.1.20:28967->79.127.{}.{}:{}: wsasend: An existing connection was forcibly closed by the remote host.", self.below(256), self.below(256), 1024 + self.below(60_000)),
                    1 => "manager closed: read tcp 192.168.1.20:28967->34.94.136.208:27148: read: connection reset by peer".to_string(),
                    2 => "context deadline exceeded".to_string(),
                    _ => "unexpected EOF".to_string(),
                };
                let level = if !down && era != Era::V178 && self.below(2) == 0 { "DEBUG" } else { "ERROR" };
                let f = self.fields(era, &piece, action, size, &format!(", \"error\": \"{err}\""));
                format!("{time}\t{level}\tpiecestore\t{dir} failed\t{f}\n")
            }
            810..=819 => format!("{time}\tERROR\tpiecestore\tupload rejected, too many requests\t{{\"Process\": \"storagenode\", \"live requests\": 65, \"requestLimit\": 64}}\n"),
            820..=839 if era == Era::V178 => {
                let sat = SATELLITES[self.below(4) as usize];
                format!("{time}\tINFO\tpiecestore\tdeleted\t{{\"Process\": \"storagenode\", \"Satellite ID\": \"{sat}\", \"Piece ID\": \"{piece}\"}}\n")
            }
            820..=839 => {
                let sat = SATELLITES[self.below(4) as usize];
                format!("{time}\tDEBUG\tpieces\tdeleted piece\t{{\"Process\": \"storagenode\", \"Satellite ID\": \"{sat}\", \"disk space freed in bytes\": {size}}}\n")
            }
            840..=849 => format!("{time}\tINFO\tcollector\tdeleted expired piece\t{{\"Process\": \"storagenode\", \"Piece ID\": \"{piece}\"}}\n"),
            850..=859 => {
                let sat = SATELLITES[self.below(4) as usize];
                format!("{time}\tINFO\torders.{sat}\tsending\t{{\"Process\": \"storagenode\", \"count\": {}}}\n", self.below(500))
            }
            860..=899 => format!(
                "{time}\tINFO\tpiecestore\tdownload started\t{{\"Process\": \"storagenode\", \"Piece ID\": \"{piece}\", \"Satellite ID\": \"{}\", \"Action\": \"GET\", \"Offset\": 0, \"Size\": {size}, \"Remote Address\": \"[2a01:4f8:bb2:2295::{:x}]:{}\"}}\n",
                SATELLITES[self.below(4) as usize],
                self.below(65_536),
                1024 + self.below(60_000)
            ),
            _ => format!("{time}\tDEBUG\tpiecestore:monitor\treadability check done\t{{\"Process\": \"storagenode\", \"Duration\": \"{}.{:03}µs\"}}\n", self.below(900), self.below(1000)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_logs_are_deterministic_and_readable() {
        let gen = |seed| {
            let mut g = LogGenerator::new(GenOptions { lines: 4000, seed, ..Default::default() });
            let mut out = Vec::new();
            loop {
                let target = out.len() + (1 << 16);
                if !g.fill(&mut out, target) {
                    break;
                }
            }
            out
        };
        let a = gen(7);
        assert_eq!(a, gen(7));
        assert_ne!(a, gen(8));
        assert_eq!(a.iter().filter(|&&b| b == b'\n').count(), 4000);
        let mut r = crate::LogReader::new("gen.log", a.len() as u64);
        r.push(&a).unwrap();
        let rep = r.finish(None).unwrap();
        assert_eq!((rep.lines.read, rep.lines.not_understood), (4000, 0));
        assert!(rep.categories.download.success > 100 && rep.categories.upload.canceled > 10);
        assert!(rep.key_styles.snake_case > 0 && rep.key_styles.pascal_case > 0);
        assert!(rep.successrate_compat.differences.iter().any(|d| d.causes.iter().any(|c| c.cause == "debug_twin")));
        assert_eq!(rep.unattributed.download_canceled + rep.unattributed.upload_canceled, 0, "every race-lost line has its twin");
    }
}
