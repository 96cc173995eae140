//! Applying a `-wal` to its database's bytes (NODE_DATA.md §1.3, sqlite.org/fileformat2.html §4):
//! what SQLite reads from the pair, done in Rust because the browser's SQLite has no WAL.

/// What reading a `-wal` found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WalOutcome {
    /// The header was valid (else nothing was applied).
    pub valid: bool,
    /// Frames read up to the first invalid one.
    pub frames: u64,
    /// Frames applied: those up to the last valid commit frame.
    pub applied_frames: u64,
    /// Commit frames applied.
    pub transactions: u64,
    /// Why the file or some of its frames were ignored.
    pub warnings: Vec<String>,
}

const HEADER: usize = 32;
const FRAME_HEADER: usize = 24;

/// The database's page size from its header (bytes 16-17, 1 = 65536); None when not a power of
/// two between 512 and 65536.
pub fn page_size(db: &[u8]) -> Option<usize> {
    if db.len() < 100 {
        return None;
    }
    let size = match u16::from_be_bytes([db[16], db[17]]) {
        1 => 65536,
        n => n as usize,
    };
    (size.is_power_of_two() && size >= 512).then_some(size)
}

/// SQLite's WAL checksum: pairs of 32-bit words in the WAL's byte order, added into (s0, s1).
fn checksum(data: &[u8], big_endian: bool, seed: (u32, u32)) -> (u32, u32) {
    let (mut s0, mut s1) = seed;
    for pair in data.chunks_exact(8) {
        let word =
            |b: &[u8]| if big_endian { u32::from_be_bytes([b[0], b[1], b[2], b[3]]) } else { u32::from_le_bytes([b[0], b[1], b[2], b[3]]) };
        s0 = s0.wrapping_add(word(&pair[..4])).wrapping_add(s1);
        s1 = s1.wrapping_add(word(&pair[4..])).wrapping_add(s0);
    }
    (s0, s1)
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Applies the committed frames of `wal` to `db` in place. `name` names the `-wal` in warnings.
pub fn apply(db: &mut Vec<u8>, wal: &[u8], name: &str) -> WalOutcome {
    let mut out = WalOutcome::default();
    let Some(db_page) = page_size(db) else {
        out.warnings.push(format!("{name} was not applied: its database has no valid page size"));
        return out;
    };
    if wal.len() < HEADER {
        out.warnings.push(format!("{name} was not applied: it is shorter than a WAL header ({} bytes)", wal.len()));
        return out;
    }
    let magic = be32(wal, 0);
    let big_endian = match magic {
        0x377f0682 => false,
        0x377f0683 => true,
        _ => {
            out.warnings.push(format!("{name} was not applied: it is not a SQLite WAL file (bad magic number)"));
            return out;
        }
    };
    let wal_page = be32(wal, 8) as usize;
    let header_sum = checksum(&wal[..24], big_endian, (0, 0));
    if be32(wal, 4) != 3007000 || wal_page != db_page || header_sum != (be32(wal, 24), be32(wal, 28)) {
        out.warnings.push(format!("{name} was not applied: its header is invalid (version, page size or checksum)"));
        return out;
    }
    out.valid = true;
    let salts = (be32(wal, 16), be32(wal, 20));
    let frame_len = FRAME_HEADER + wal_page;
    // First pass: the valid frames and the last commit among them.
    let mut sum = header_sum;
    let mut last_commit: Option<(u64, u32)> = None;
    let mut at = HEADER;
    while at + frame_len <= wal.len() {
        let frame = &wal[at..at + frame_len];
        let page_no = be32(frame, 0);
        if page_no == 0 || (be32(frame, 8), be32(frame, 12)) != salts {
            break;
        }
        sum = checksum(&frame[..8], big_endian, sum);
        sum = checksum(&frame[FRAME_HEADER..], big_endian, sum);
        if sum != (be32(frame, 16), be32(frame, 20)) {
            break;
        }
        out.frames += 1;
        let commit_size = be32(frame, 4);
        if commit_size != 0 {
            last_commit = Some((out.frames, commit_size));
            out.transactions += 1;
        }
        at += frame_len;
    }
    let Some((applied, size_pages)) = last_commit else {
        if out.frames > 0 {
            out.warnings.push(format!("{name}: {} frames of an unfinished transaction were ignored", out.frames));
        }
        return out;
    };
    // A commit can only grow the database by pages it wrote: a larger size is a forged frame
    // (and would make us allocate up to 256 TiB).
    let frame_at = |i: usize| &wal[HEADER + i * frame_len..HEADER + (i + 1) * frame_len];
    if size_pages as usize > db.len() / wal_page + applied as usize {
        out.warnings.push(format!("{name} was not applied: its last commit claims {size_pages} pages, more than were ever written"));
        out.valid = false;
        return out;
    }
    // Second pass: the pages of the committed frames in order, then the commit's database size
    // (pages past it are cut anyway, so they are not written).
    for i in 0..applied as usize {
        let frame = frame_at(i);
        if be32(frame, 0) > size_pages {
            continue;
        }
        let offset = (be32(frame, 0) as usize - 1) * wal_page;
        if db.len() < offset + wal_page {
            db.resize(offset + wal_page, 0);
        }
        db[offset..offset + wal_page].copy_from_slice(&frame[FRAME_HEADER..]);
    }
    db.resize(size_pages as usize * wal_page, 0);
    out.applied_frames = applied;
    if out.frames > applied {
        out.warnings.push(format!("{name}: {} frames of an unfinished transaction were ignored", out.frames - applied));
    }
    let trailing = wal.len() - at;
    if trailing > 0 && at + frame_len <= wal.len() {
        out.warnings.push(format!("{name}: frames after frame {} were ignored (another salt or a bad checksum)", out.frames));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_too_short_or_bad_magic_is_ignored() {
        let mut db = vec![0u8; 4096];
        db[16] = 0x10;
        let out = apply(&mut db, &[1, 2, 3], "x.db-wal");
        assert!(!out.valid);
        assert_eq!(out.warnings.len(), 1);
        let out = apply(&mut db, &[0u8; 64], "x.db-wal");
        assert!(!out.valid);
        assert!(out.warnings[0].contains("bad magic"), "{:?}", out.warnings);
    }

    #[test]
    fn checksum_matches_sqlite_definition() {
        // s0 += x0 + s1; s1 += x1 + s0, little-endian words.
        let data = [1u8, 0, 0, 0, 2, 0, 0, 0];
        assert_eq!(checksum(&data, false, (0, 0)), (1, 3));
        assert_eq!(checksum(&data, true, (0, 0)), (1 << 24, (2 << 24) + (1 << 24)));
    }
}
