//! Feeds arbitrary bytes to the node log reader, whole and split at an arbitrary point (the
//! first two bytes choose it). Any panic is a finding; the report of the split input must equal
//! the unsplit one (diagnostics apart), and an error must be the same error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn read(parts: &[&[u8]]) -> Result<model::log_report::LogReport, logs::LogError> {
    let mut r = logs::LogReader::new("fuzz.log", parts.iter().map(|p| p.len() as u64).sum());
    for p in parts {
        r.push(p)?;
    }
    r.finish(None).map(|mut rep| {
        rep.diagnostics = Default::default();
        rep
    })
}

fuzz_target!(|data: &[u8]| {
    let (at, body) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    let at = if body.is_empty() { 0 } else { at % (body.len() + 1) };
    let whole = read(&[body]);
    let split = read(&[&body[..at], &body[at..]]);
    assert_eq!(whole, split, "split at {at}");
    if let Ok(r) = &whole {
        // the report always serializes
        let _ = serde_json::to_string(r).unwrap_or_default();
    }
});
