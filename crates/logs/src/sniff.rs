//! What a file is, from its first bytes (LOGS.md §1.1): never from its name.

/// The kind of a file, told by its magic bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    Sqlite,
    Gzip,
    Text,
    /// An archive format the reader does not inflate.
    Refused {
        format: &'static str,
    },
    Empty,
}

const REFUSED: [(&[u8], &str); 4] = [(b"PK\x03\x04", "zip"), (b"\xFD7zXZ\x00", "xz"), (b"BZh", "bzip2"), (b"\x28\xB5\x2F\xFD", "zstd")];

/// Tells the kind of a file from its head (8 bytes are enough).
pub fn sniff(head: &[u8]) -> Sniff {
    if head.is_empty() {
        return Sniff::Empty;
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Sniff::Sqlite;
    }
    if head.starts_with(&[0x1F, 0x8B]) {
        return Sniff::Gzip;
    }
    match REFUSED.iter().find(|(magic, _)| head.starts_with(magic)) {
        Some((_, format)) => Sniff::Refused { format },
        None => Sniff::Text,
    }
}

/// The bytes [`sniff`] needs to decide.
pub const SNIFF_BYTES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        assert_eq!(sniff(b""), Sniff::Empty);
        assert_eq!(sniff(b"SQLite format 3\0\x10\x00"), Sniff::Sqlite);
        assert_eq!(sniff(&[0x1F, 0x8B, 8, 0]), Sniff::Gzip);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniff::Refused { format: "zip" });
        assert_eq!(sniff(b"\xFD7zXZ\x00\x00"), Sniff::Refused { format: "xz" });
        assert_eq!(sniff(b"BZh91AY"), Sniff::Refused { format: "bzip2" });
        assert_eq!(sniff(&[0x28, 0xB5, 0x2F, 0xFD, 0]), Sniff::Refused { format: "zstd" });
        assert_eq!(sniff(b"2026-02-15T07:00:00.100+0100\tINFO"), Sniff::Text);
        assert_eq!(sniff(b"\x89PNG\r\n"), Sniff::Text);
    }
}
