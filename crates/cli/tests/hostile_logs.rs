//! Node logs through the built CLI (LOGS.md §1.1, §4.1): archives refused naming their format,
//! files that are no log, damaged and odd logs that still give a report, the fixture's report
//! accepted by the comparison rules, stdin, `bench` and `demo --log`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_storj-lens"))
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).output().expect("run storj-lens");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/logs").join(name)
}

struct Dir(PathBuf);
impl Drop for Dir {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

fn tempdir(tag: &str) -> Dir {
    let d = std::env::temp_dir().join(format!("storj-lens-logs-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    Dir(d)
}

fn write(dir: &Dir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.0.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

const UPLOADED: &str = "2026-02-15T08:00:00+01:00\tINFO\tpiecestore\tuploaded\t{\"Piece ID\": \"P\", \"Satellite ID\": \"12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S\", \"Action\": \"PUT\", \"Size\": 1024}\n";

fn report_json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout:.300}"))
}

#[test]
fn bad_inputs_give_one_line_naming_the_problem_and_exit_2() {
    let dir = tempdir("bad");
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("node.zip", b"PK\x03\x04\x14\0\0\0\x08\0rest-of-a-zip".to_vec(), &["zip archive", "unpack it first"]),
        ("node.log.xz", b"\xFD7zXZ\0\0\x04\xE6\xD6\xB4\x46\x02\0\x21\x01".to_vec(), &["xz archive", "unpack it first"]),
        ("node.log.bz2", b"BZh91AY&SY\x01\x02\x03\x04\x05\x06".to_vec(), &["bzip2 archive", "unpack it first"]),
        ("node.log.zst", b"\x28\xB5\x2F\xFD\x04\x58\x01\x02\x03\x04\x05\x06\x07\x08".to_vec(), &["zstd archive", "unpack it first"]),
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec(),
            &["not a storagenode log"],
        ),
        ("empty.log", Vec::new(), &["the file is empty (0 bytes)"]),
        ("garbage.log", (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect(), &["not a storagenode log"]),
        ("nuls.log", vec![0u8; 100_000], &["not a storagenode log"]),
        ("spaces.log", b"2025-10-10T12:00:00Z INFO piecestore downloaded {\"Piece ID\": \"X\"}\n".repeat(40), &["not a storagenode log"]),
    ];
    for (name, bytes, parts) in cases {
        let p = write(&dir, name, &bytes);
        let (code, stdout, stderr) = cli(&["analyze", p.to_str().expect("utf-8 path")]);
        let line = stderr.trim_end();
        assert_eq!(code, 2, "{name}: {stderr}");
        assert!(stdout.is_empty(), "{name}: {stdout}");
        assert_eq!(line.lines().count(), 1, "{name}: {stderr}");
        assert!(line.starts_with("storj-lens: ") && line.contains(name), "{name}: {line}");
        for part in parts {
            assert!(line.contains(part), "{name}: {line:?} lacks {part:?}");
        }
    }
}

#[test]
fn odd_logs_still_give_a_report() {
    let dir = tempdir("odd");
    // a line over 16 MiB between two transfers
    let mut huge = UPLOADED.as_bytes().to_vec();
    huge.extend(b"2026-02-15T08:00:01+01:00\tERROR\tlazyfilewalker\tsubprocess exited\t{\"error\": \"");
    huge.extend(std::iter::repeat_n(b'x', 17 << 20));
    huge.extend(b"\"}\n");
    huge.extend(UPLOADED.as_bytes());
    let p = write(&dir, "huge-line.log", &huge);
    let (code, stdout, stderr) = cli(&["analyze", p.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let r = report_json(&stdout);
    assert_eq!(r["lines"]["skipped"]["too_long"]["count"], 1);
    assert_eq!(r["categories"]["upload"]["success"], 2);
    assert!(r["input"]["longest_line_bytes"].as_u64().unwrap_or(0) > 16 << 20);

    // a damaged gzip: what was read, with a warning
    let mut gz = gzip(UPLOADED.repeat(5000).as_bytes());
    let n = gz.len();
    gz[n * 2 / 3..].iter_mut().for_each(|b| *b = b.wrapping_add(77));
    let p = write(&dir, "damaged.log.gz", &gz);
    let (code, stdout, stderr) = cli(&["analyze", p.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let r = report_json(&stdout);
    assert_eq!(r["input"]["compression"], "gzip");
    let ok = r["categories"]["upload"]["success"].as_u64().unwrap_or(0);
    assert!(ok > 0 && ok < 5000, "{ok}");
    assert!(r["diagnostics"]["warnings"][0].as_str().is_some_and(|w| w.contains("gzip")), "{}", r["diagnostics"]);

    // a whole gzip, two members, as zcat reads it
    let mut two = gzip(UPLOADED.as_bytes());
    two.extend(gzip(UPLOADED.as_bytes()));
    let p = write(&dir, "two.log.gz", &two);
    let (code, stdout, _) = cli(&["analyze", p.to_str().expect("path")]);
    assert_eq!((code, report_json(&stdout)["categories"]["upload"]["success"].as_u64()), (0, Some(2)));

    // a log without a single transfer: the empty state, rates null
    let p = write(&dir, "quiet.log", b"2026-02-15T08:00:00Z\tINFO\tConfiguration loaded\t{\"Process\": \"storagenode\"}\n2026-02-15T08:00:01Z\tINFO\ttrust\tScheduling next refresh\t{}\n");
    let (code, stdout, stderr) = cli(&["analyze", p.to_str().expect("path"), "--now", "2026-02-16T08:00:00Z"]);
    assert_eq!(code, 0, "{stderr}");
    let r = report_json(&stdout);
    assert_eq!((r["lines"]["node"].as_u64(), r["categories"]["download"]["total"].as_u64()), (Some(2), Some(0)));
    assert!(r["summary"]["download_success_rate"].is_null());
    assert_eq!(r["now"], "2026-02-16T08:00:00Z");
    assert_eq!(r["successrate_compat"]["categories"]["download"]["success_rate"], 0.0);
    assert!(r["hourly"].as_array().is_some_and(|h| h.is_empty()));
}

#[test]
fn the_fixture_report_passes_the_comparison_and_stdin_gives_the_same() {
    let path = fixture("fixture.log");
    let (code, stdout, stderr) = cli(&["analyze", path.to_str().expect("path")]);
    assert_eq!(code, 0, "{stderr}");
    let report = report_json(&stdout);
    let load = |n: &str| serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(fixture(n)).expect("fixture")).expect("JSON");
    let (bad, checks) = logs::compare::compare(&load("fixture.expected.json"), &load("fixture.truth.json"), &report);
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(checks > 400);

    let mut child =
        bin().args(["analyze", "-"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let bytes = std::fs::read(&path).expect("fixture");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        // a pipe delivers the log in short pieces
        for part in bytes.chunks(4093) {
            stdin.write_all(part).expect("pipe");
        }
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut piped = report_json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(piped["input"]["name"], "-");
    let mut file = report;
    for r in [&mut piped, &mut file] {
        r["diagnostics"] = serde_json::Value::Null;
        r["input"]["name"] = serde_json::Value::Null;
    }
    assert_eq!(piped, file);
}

#[test]
fn bench_and_demo_log() {
    let dir = tempdir("bench");
    let log = dir.0.join("gen.log");
    let (code, stdout, stderr) = cli(&["demo", "--log", log.to_str().expect("path"), "--lines", "20000"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("20000 lines"), "{stdout}");
    let (code, _, stderr) = cli(&["demo", "--log", log.to_str().expect("path"), "--lines", "10"]);
    assert_eq!(code, 2, "refuses to overwrite: {stderr}");
    let (code, stdout, stderr) = cli(&["bench", log.to_str().expect("path"), "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let b = report_json(&stdout);
    assert_eq!(b["lines"], 20000);
    let stages = b["stages"].as_array().expect("stages");
    assert!(stages
        .iter()
        .any(|s| s["stage"].as_str().is_some_and(|n| n.contains("parse")) && s["mb_per_s"].as_f64().is_some_and(|r| r > 0.0)));
    let (code, stdout, _) = cli(&["bench", log.to_str().expect("path")]);
    assert!(code == 0 && stdout.contains("MB/s"), "{stdout}");
}
