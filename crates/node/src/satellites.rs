//! Satellite ids, names and the table's order (NODE_DATA.md §2.4, §3.2).

use std::cmp::Ordering;

use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

/// A stored `satellite_id` compared as SQLite compares it (no affinity: BLOB columns): NULL never
/// equals anything, an integral REAL equals its INTEGER, TEXT never equals a BLOB.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl Key {
    pub fn from_value(v: ValueRef<'_>) -> Key {
        match v {
            ValueRef::Null => Key::Null,
            ValueRef::Integer(i) => Key::Int(i),
            ValueRef::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Key::Int(f as i64),
            ValueRef::Real(f) => Key::Real(f),
            ValueRef::Text(t) => Key::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Key::Blob(b.to_vec()),
        }
    }

    /// SQL equality: NULL matches nothing.
    pub fn matches(&self, other: &Key) -> bool {
        !matches!(self, Key::Null) && self == other
    }

    /// The bytes SQLite's `hex()` reads: a BLOB's bytes, the text of anything else.
    fn hex_bytes(&self) -> Vec<u8> {
        match self {
            Key::Null => Vec::new(),
            Key::Int(i) => i.to_string().into_bytes(),
            Key::Real(f) => format!("{f:?}").into_bytes(),
            Key::Text(t) => t.clone().into_bytes(),
            Key::Blob(b) => b.clone(),
        }
    }

    /// Uppercase hex, as SQLite's `hex()`.
    pub fn hex(&self) -> String {
        self.hex_bytes().iter().map(|b| format!("{b:02X}")).collect()
    }

    /// The report's `id`: base58check of a 32-byte id, else the hex (warned by the caller).
    pub fn id(&self) -> String {
        match self {
            Key::Blob(b) if b.len() == 32 => base58check(b),
            _ => self.hex(),
        }
    }

    pub fn is_node_id(&self) -> bool {
        matches!(self, Key::Blob(b) if b.len() == 32)
    }

    fn type_rank(&self) -> u8 {
        match self {
            Key::Null => 0,
            Key::Int(_) | Key::Real(_) => 1,
            Key::Text(_) => 2,
            Key::Blob(_) => 3,
        }
    }

    /// SQLite's order of values (NULL, numbers, text, blobs).
    pub fn sql_cmp(&self, other: &Key) -> Ordering {
        let num = |k: &Key| match k {
            Key::Int(i) => *i as f64,
            Key::Real(f) => *f,
            _ => 0.0,
        };
        match (self, other) {
            (Key::Int(a), Key::Int(b)) => a.cmp(b),
            (Key::Text(a), Key::Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            (Key::Blob(a), Key::Blob(b)) => a.cmp(b),
            _ if self.type_rank() == other.type_rank() && self.type_rank() == 1 => num(self).total_cmp(&num(other)),
            _ => self.type_rank().cmp(&other.type_rank()),
        }
    }
}

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 (Bitcoin alphabet) of bytes, leading zero bytes as `1`.
pub fn base58(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    // Little-endian base-58 digits of the number.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &byte in &bytes[zeros..] {
        let mut carry = byte as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(digits.iter().rev().map(|d| ALPHABET[*d as usize] as char));
    out
}

/// A node id's text form: base58 of version 0, the id, and 4 bytes of its double SHA-256.
pub fn base58check(id: &[u8]) -> String {
    let mut payload = Vec::with_capacity(id.len() + 5);
    payload.push(0u8);
    payload.extend_from_slice(id);
    let check = Sha256::digest(Sha256::digest(&payload));
    payload.extend_from_slice(&check[..4]);
    base58(&payload)
}

/// earnings.py's names of the known satellites without a `satellites` row.
pub fn fallback_name(hex: &str) -> &'static str {
    match hex {
        "A28B4F04E10BAE85D67F4C6CB82BF8D4C0F0F47A8EA72627524DEB6EC0000000" => "us1.storj.io:7777*",
        "AF2C42003EFC826AB4361F73F9D890942146FE0EBE806786F8E7190800000000" => "eu1.storj.io:7777*",
        "84A74C2CD43C5BA76535E1F42F5DF7C287ED68D33522782F4AFABFDB40000000" => "ap1.storj.io:7777*",
        "7B2DE9D72C2E935F1918C058CAAF8ED00F0581639008707317FF1BD000000000" => "saltlake.tardigrade.io:7777*",
        "04489F5245DED48D2A8AC8FB5F5CD1C6A638F7C6E75EFD800EF2D72000000000" => "us2.storj.io:7777*",
        "F474535A19DB00DB4F8071A1BE6C2551F4DED6A6E38F0818C68C68D000000000" => "europe-north-1.tardigrade.io:7777*",
        "004AE89E970E703DF42BA4AB1416A3B30B7E1D8E14AA0E558F7EE26800000000" => "satellite.stefan-benten.de:7777* (shut down)",
        _ => "-UNKNOWN-",
    }
}

/// A listed satellite: its key, its names, and what orders it.
#[derive(Debug, Clone)]
pub struct Sat {
    pub key: Key,
    pub id: String,
    pub id_hex: String,
    pub name: String,
    /// `CAST(COALESCE(added_at, '9999-12-31') AS date)`: the leading year.
    pub order_year: f64,
}

/// A `satellites` row: node id, address (as text), the ordering year.
#[derive(Debug, Clone)]
pub struct SatRow {
    pub key: Key,
    pub address: Option<String>,
    pub year: f64,
}

/// Names the listed keys from the `satellites` rows and puts them in the table's order:
/// year of `added_at` (9999 without a row), name bytewise, raw id.
pub fn order(keys: Vec<Key>, rows: &[SatRow]) -> Vec<Sat> {
    let mut sats: Vec<Sat> = keys
        .into_iter()
        .map(|key| {
            let row = rows.iter().find(|r| r.key.matches(&key));
            let id_hex = key.hex();
            let name = match row.and_then(|r| r.address.clone()) {
                Some(address) => address,
                None => fallback_name(&id_hex).to_string(),
            };
            let order_year = row.map(|r| r.year).unwrap_or(9999.0);
            Sat { id: key.id(), id_hex, name, order_year, key }
        })
        .collect();
    sats.sort_by(|a, b| {
        a.order_year.total_cmp(&b.order_year).then_with(|| a.name.as_bytes().cmp(b.name.as_bytes())).then_with(|| a.key.sql_cmp(&b.key))
    });
    sats
}

/// Adds `key` to `keys` unless an equal one is there (SQL's DISTINCT: NULLs are one value).
pub fn push_distinct(keys: &mut Vec<Key>, key: Key) {
    if !keys.contains(&key) {
        keys.push(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)).collect()
    }

    #[test]
    fn us1_id() {
        let us1 = hex_bytes("A28B4F04E10BAE85D67F4C6CB82BF8D4C0F0F47A8EA72627524DEB6EC0000000");
        assert_eq!(base58check(&us1), "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S");
        assert_eq!(Key::Blob(us1).hex(), "A28B4F04E10BAE85D67F4C6CB82BF8D4C0F0F47A8EA72627524DEB6EC0000000");
    }

    #[test]
    fn base58_leading_zeros() {
        assert_eq!(base58(&[0, 0, 1]), "112");
        assert_eq!(base58(&[]), "");
        assert_eq!(base58(&[0x61]), "2g");
    }

    #[test]
    fn order_by_year_then_name_then_id() {
        let k = |b: u8| Key::Blob(vec![b; 32]);
        let rows = vec![
            SatRow { key: k(1), address: Some("b.example:7777".into()), year: 2020.0 },
            SatRow { key: k(2), address: Some("a.example:7777".into()), year: 2021.0 },
            SatRow { key: k(3), address: Some("a.example:7777".into()), year: 2020.0 },
        ];
        let sats = order(vec![k(4), k(2), k(1), k(3)], &rows);
        let names: Vec<_> = sats.iter().map(|s| (s.name.as_str(), s.order_year)).collect();
        assert_eq!(names, vec![("a.example:7777", 2020.0), ("b.example:7777", 2020.0), ("a.example:7777", 2021.0), ("-UNKNOWN-", 9999.0)]);
    }

    #[test]
    fn null_never_matches_and_reals_equal_ints() {
        assert!(!Key::Null.matches(&Key::Null));
        assert_eq!(Key::from_value(ValueRef::Real(3.0)), Key::Int(3));
        assert_eq!(Key::Int(1).sql_cmp(&Key::Text("a".into())), Ordering::Less);
    }
}
