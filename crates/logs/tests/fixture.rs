//! The worked example (LOGS.md §4.7): the fixture log's report equals its truth and
//! successrate.sh's golden output, by the rules of `logs::compare`, however it is sliced.

use std::path::PathBuf;

use logs::LogReader;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logs").join(name)
}

fn load_json(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture JSON");
    serde_json::from_str(&text).expect("valid JSON")
}

fn report_in_slices(bytes: &[u8], slice: usize) -> model::log_report::LogReport {
    let mut r = LogReader::new("fixture.log", bytes.len() as u64);
    for part in bytes.chunks(slice.max(1)) {
        r.push(part).expect("a log");
    }
    r.finish(None).expect("a report")
}

#[test]
fn fixture_report_equals_truth_and_successrate() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let report = report_in_slices(&bytes, 8 << 20);
    let json = serde_json::to_value(&report).expect("serializable");
    let (bad, checks) = logs::compare::compare(&load_json("fixture.expected.json"), &load_json("fixture.truth.json"), &json);
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
    assert!(checks > 400, "only {checks} checks");
}

#[test]
fn successrate_figures_are_exact_not_just_within_tolerance() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let report = report_in_slices(&bytes, 1 << 20);
    let golden = load_json("fixture.expected.json");
    let ours = serde_json::to_value(&report.successrate_compat.categories).expect("serializable");
    assert_eq!(ours, golden["categories"], "the emulated double rounding prints what successrate.sh printed");
}

#[test]
fn any_slicing_gives_the_same_report() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let whole = report_in_slices(&bytes, bytes.len());
    for slice in [1usize, 7, 4096, 61_077, 100_003] {
        let mut r = report_in_slices(&bytes, slice);
        r.diagnostics = whole.diagnostics.clone();
        assert_eq!(r, whole, "slices of {slice} bytes");
    }
}

#[test]
fn report_keys_are_in_specified_order() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let text = serde_json::to_string(&report_in_slices(&bytes, 1 << 20)).expect("serializable");
    let order = [
        "\"format\"",
        "\"input\"",
        "\"now\"",
        "\"lines\"",
        "\"time_range\"",
        "\"key_styles\"",
        "\"versions\"",
        "\"summary\"",
        "\"categories\"",
        "\"other_actions\"",
        "\"satellites\"",
        "\"unattributed\"",
        "\"hourly\"",
        "\"failure_reasons\"",
        "\"started\"",
        "\"removals\"",
        "\"successrate_compat\"",
        "\"diagnostics\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "top-level keys out of order: {positions:?}");
    assert!(text.starts_with("{\"format\":\"storj-log-report/1\""));
}

/// The same log as the operator may hand it over: CRLF, `docker logs -t`, `docker compose logs`,
/// gzip, UTF-16 (PowerShell's `>`), JSON-encoded: what the node did stays the same.
#[test]
fn the_fixture_in_every_wrapping_gives_the_same_figures() {
    use std::io::Write;
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let plain = report_in_slices(&bytes, 1 << 20);
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let join = |f: &dyn Fn(&[u8]) -> Vec<u8>, end: &[u8]| lines.iter().flat_map(|l| [f(l), end.to_vec()].concat()).collect::<Vec<u8>>();
    let crlf = join(&|l| l.to_vec(), b"\r\n");
    let docker_t = join(&|l| [&b"2026-02-15T06:00:00.123456789Z "[..], l].concat(), b"\n");
    let compose = join(&|l| [&b"storagenode  | "[..], l].concat(), b"\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).expect("gzip");
    let gz = gz.finish().expect("gzip");
    let text = String::from_utf8_lossy(&bytes);
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    for (name, input, prefix) in [
        ("crlf", crlf, "none"),
        ("docker -t", docker_t, "timestamps"),
        ("compose", compose, "compose"),
        ("gzip", gz, "none"),
        ("utf-16", utf16, "none"),
    ] {
        let r = report_in_slices(&input, 300_007);
        assert_eq!(r.input.docker_prefix, prefix, "{name}");
        assert_eq!(r.categories, plain.categories, "{name}");
        assert_eq!(r.satellites, plain.satellites, "{name}");
        assert_eq!(r.hourly, plain.hourly, "{name}");
        assert_eq!(r.failure_reasons, plain.failure_reasons, "{name}");
        assert_eq!(
            (r.lines.read, r.lines.node, r.lines.by_level.clone()),
            (plain.lines.read, plain.lines.node, plain.lines.by_level.clone()),
            "{name}"
        );
        assert_eq!(r.successrate_compat.corrected, plain.successrate_compat.corrected, "{name}");
        if name == "utf-16" {
            assert_eq!(r.input.encoding, "utf-16le");
            assert_eq!(r.successrate_compat.categories.download.successful, 0, "grep finds nothing in UTF-16");
        } else {
            assert_eq!(r.successrate_compat.categories, plain.successrate_compat.categories, "{name}");
            assert_eq!(r.successrate_compat.differences, plain.successrate_compat.differences, "{name}");
        }
    }
}

/// The fixture as zap's JSON encoding (`log.encoding: json`) writes it: the same figures.
#[test]
fn the_fixture_json_encoded_gives_the_same_figures() {
    let bytes = std::fs::read(fixture("fixture.log")).expect("fixture log");
    let plain = report_in_slices(&bytes, 1 << 20);
    let quote = |b: &[u8]| serde_json::to_string(&String::from_utf8_lossy(b)).expect("string");
    let mut out = Vec::new();
    for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let cols: Vec<&[u8]> = line.split(|&b| b == b'\t').collect();
        let fields = cols.last().filter(|c| c.first() == Some(&b'{'));
        match (cols.len(), fields) {
            (n, Some(f)) if n >= 4 => {
                let (logger, msg) = if n == 4 { (None, cols[2]) } else { (Some(cols[2]), cols[n - 2]) };
                let mut obj = format!("{{\"L\":{},\"T\":{}", quote(cols[1]), quote(cols[0])).into_bytes();
                if let Some(l) = logger {
                    obj.extend(format!(",\"N\":{}", quote(l)).bytes());
                }
                obj.extend(format!(",\"M\":{}", quote(msg)).bytes());
                let inner = &f[1..f.len() - 1];
                if !inner.iter().all(u8::is_ascii_whitespace) {
                    obj.push(b',');
                    obj.extend_from_slice(inner);
                }
                obj.push(b'}');
                out.extend(obj);
            }
            _ => out.extend_from_slice(line),
        }
        out.push(b'\n');
    }
    assert!(out.starts_with(b"{\"L\":\"INFO\",\"T\":\"2026-02-15T07:00:00.100+0100\""), "{}", String::from_utf8_lossy(&out[..80]));
    let r = report_in_slices(&out, 1 << 20);
    assert_eq!(r.categories, plain.categories);
    assert_eq!(r.satellites, plain.satellites);
    assert_eq!(r.hourly, plain.hourly);
    assert_eq!((r.lines.read, r.lines.node, r.lines.not_understood), (plain.lines.read, plain.lines.node, plain.lines.not_understood));
    assert_eq!(r.unattributed, plain.unattributed);
    assert_eq!(r.removals, plain.removals);
}

/// Inputs the fuzzer found (fuzz/fuzz_targets/log_reader.rs): split anywhere, each gives what it
/// gives whole.
#[test]
fn fuzz_regressions_give_the_same_answer_split_anywhere() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let read = |parts: &[&[u8]]| {
        let mut r = LogReader::new("fuzz.log", 0);
        for p in parts {
            r.push(p)?;
        }
        r.finish(None).map(|mut rep| {
            rep.diagnostics = Default::default();
            rep.input.bytes = 0;
            rep
        })
    };
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        let body = &bytes[2.min(bytes.len())..];
        let whole = read(&[body]);
        for at in 0..=body.len() {
            assert_eq!(read(&[&body[..at], &body[at..]]), whole, "split at {at}");
        }
        n += 1;
    }
    assert!(n >= 1);
}
