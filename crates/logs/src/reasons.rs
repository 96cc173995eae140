//! Failure and cancel reasons (LOGS.md §2.6): addresses become `ADDR`, other digit runs `N`,
//! whitespace collapsed, 200 characters kept; at most 1,000 distinct texts per list.

use std::collections::HashMap;

/// Distinct texts kept per list; the rest count under [`OTHER`].
pub const MAX_REASONS: usize = 1000;
pub const OTHER: &str = "(other reasons)";
const KEEP_CHARS: usize = 200;

/// Normalises a reason text.
pub fn normalise(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len().min(256));
    let mut i = 0;
    let mut space = false;
    while i < b.len() {
        if let Some(end) = ipv6_end(&b, i).or_else(|| ipv4_end(&b, i)) {
            push(&mut out, &mut space, "ADDR");
            i = end;
        } else if b[i].is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            push(&mut out, &mut space, "N");
        } else if b[i].is_whitespace() {
            space = !out.is_empty();
            i += 1;
        } else {
            let mut tmp = [0u8; 4];
            push(&mut out, &mut space, b[i].encode_utf8(&mut tmp));
            i += 1;
        }
        if out.len() > KEEP_CHARS * 4 {
            break;
        }
    }
    out.chars().take(KEEP_CHARS).collect()
}

fn push(out: &mut String, space: &mut bool, s: &str) {
    if std::mem::take(space) {
        out.push(' ');
    }
    out.push_str(s);
}

/// `[hex:…]` with an optional `:port`; the end index.
fn ipv6_end(b: &[char], i: usize) -> Option<usize> {
    if b[i] != '[' {
        return None;
    }
    let close = (i + 1..b.len().min(i + 48)).find(|&j| b[j] == ']')?;
    let inner = &b[i + 1..close];
    if inner.len() < 2 || !inner.contains(&':') || !inner.iter().all(|c| c.is_ascii_hexdigit() || *c == ':' || *c == '.' || *c == '%') {
        return None;
    }
    Some(port_end(b, close + 1))
}

/// `a.b.c.d` (1-3 digits each, not inside a longer number) with an optional `:port`.
fn ipv4_end(b: &[char], i: usize) -> Option<usize> {
    if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == '.')) {
        return None;
    }
    let mut j = i;
    for part in 0..4 {
        let start = j;
        while j < b.len() && b[j].is_ascii_digit() && j - start < 4 {
            j += 1;
        }
        if j == start || j - start > 3 {
            return None;
        }
        if part < 3 {
            if b.get(j) != Some(&'.') {
                return None;
            }
            j += 1;
        }
    }
    if b.get(j).is_some_and(|c| c.is_ascii_digit()) || (b.get(j) == Some(&'.') && b.get(j + 1).is_some_and(|c| c.is_ascii_digit())) {
        return None;
    }
    Some(port_end(b, j))
}

fn port_end(b: &[char], j: usize) -> usize {
    if b.get(j) == Some(&':') && b.get(j + 1).is_some_and(|c| c.is_ascii_digit()) {
        let mut k = j + 1;
        while k < b.len() && b[k].is_ascii_digit() {
            k += 1;
        }
        k
    } else {
        j
    }
}

/// One list of reasons with its cap.
#[derive(Debug, Default, Clone)]
pub struct ReasonList {
    counts: HashMap<String, u64>,
    pub overflow: u64,
}

impl ReasonList {
    /// Counts a raw reason text (normalised here).
    pub fn add(&mut self, raw: &str, n: u64) {
        let text = normalise(raw);
        self.add_normalised(text, n);
    }

    pub fn add_normalised(&mut self, text: String, n: u64) {
        if let Some(c) = self.counts.get_mut(&text) {
            *c += n;
        } else if self.counts.len() < MAX_REASONS {
            self.counts.insert(text, n);
        } else {
            self.overflow += n;
            *self.counts.entry(OTHER.to_string()).or_insert(0) += n;
        }
    }

    /// By count descending, then text.
    pub fn sorted(&self) -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = self.counts.iter().filter(|(_, &n)| n > 0).map(|(t, &n)| (t.clone(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_digits_and_spaces() {
        assert_eq!(
            normalise("manager closed: read tcp 192.168.1.20:28967->138.202.221.146:20344: wsarecv: An existing connection was forcibly closed by the remote host."),
            "manager closed: read tcp ADDR->ADDR: wsarecv: An existing connection was forcibly closed by the remote host."
        );
        assert_eq!(normalise("write tcp [2a01:4f8:bb2::b23]:30050:  broken\tpipe"), "write tcp ADDR: broken pipe");
        assert_eq!(
            normalise("downloaded size (108288 bytes) does not match received message size (473856 bytes)"),
            "downloaded size (N bytes) does not match received message size (N bytes)"
        );
        assert_eq!(normalise("v1.2.3.4.5 and 1.2.3"), "vN.N.N.N.N and N.N.N");
        assert_eq!(normalise(&"x".repeat(300)).len(), 200);
        assert_eq!(normalise("  lead "), "lead");
    }

    #[test]
    fn capped_lists() {
        let mut l = ReasonList::default();
        for i in 0..MAX_REASONS + 5 {
            l.add_normalised(format!("r{i}"), 1);
        }
        l.add_normalised("r1".to_string(), 2);
        let s = l.sorted();
        assert_eq!(s[0], (OTHER.to_string(), 5));
        assert_eq!(s[1].1, 3);
        assert_eq!(l.overflow, 5);
    }
}
