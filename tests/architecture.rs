//! The invariants of ARCHITECTURE.md that the code's shape must keep, checked on the sources and
//! manifests (the compiler enforces the rest: the page's crate cannot name the engine).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The `[dependencies]` tables of a manifest (plain and target-specific), as `name` lines.
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = line.ends_with("dependencies]") && !line.contains("dev-dependencies") && !line.starts_with("[workspace");
            continue;
        }
        if in_deps {
            if let Some((name, _)) = line.split_once('=') {
                let name = name.trim().trim_end_matches(".workspace").to_string();
                if !name.is_empty() && !name.starts_with('#') && !name.starts_with('"') {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// The page links no SQLite: its crate depends on `model` and browser crates only, and `model`
/// on nothing that reaches SQLite. (The e2e test `worker.test.mjs` checks the built wasm too.)
#[test]
fn the_page_and_the_model_do_not_depend_on_sqlite() {
    let forbidden = ["engine", "demo", "rusqlite", "sqlite-wasm-rs", "sqlite-wasm-vfs", "storj-lens-engine", "storj-lens-demo"];
    let page = dependency_names(&std::fs::read_to_string(root().join("Cargo.toml")).unwrap());
    assert!(page.contains(&"model".to_string()) && page.contains(&"leptos".to_string()), "{page:?}");
    let model = dependency_names(&std::fs::read_to_string(root().join("crates/model/Cargo.toml")).unwrap());
    assert!(model.contains(&"serde".to_string()), "{model:?}");
    for (who, deps) in [("the page", &page), ("model", &model)] {
        for f in forbidden {
            assert!(!deps.iter().any(|d| d == f), "{who} depends on {f}: {deps:?}");
        }
    }
}

/// The log reader is pure over bytes: it links no SQLite (a log never needs it).
#[test]
fn the_log_reader_does_not_depend_on_sqlite() {
    let logs = dependency_names(&std::fs::read_to_string(root().join("crates/logs/Cargo.toml")).unwrap());
    assert!(logs.contains(&"model".to_string()), "{logs:?}");
    for f in ["engine", "rusqlite", "sqlite-wasm-rs", "storj-lens-engine", "node", "storj-lens-node"] {
        assert!(!logs.iter().any(|d| d == f), "the log reader depends on {f}: {logs:?}");
    }
}

/// The engine does no IO: no files, network, processes, environment or clock of its own (the
/// caller passes bytes, readers, clocks and "now"), so it runs the same natively and in wasm.
#[test]
fn the_engine_does_no_io() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/engine/src"), &mut files);
    // The node databases' crate and the log reader too: bytes in, the same natively and in wasm.
    rust_files(&root().join("crates/node/src"), &mut files);
    rust_files(&root().join("crates/logs/src"), &mut files);
    assert!(files.len() > 20);
    let banned = ["std::fs", "std::net", "std::process", "std::env", "File::open", "SystemTime::now"];
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Test modules may read fixtures.
        let code = text.split("#[cfg(test)]").next().unwrap_or("").split("#[cfg(all(test").next().unwrap_or("");
        for b in banned {
            assert!(!code.contains(b), "{} uses {b}", file.display());
        }
    }
}

/// Nothing in the repository reads the workplace's shared folder (beside the clone): a bare clone
/// passes. The path is assembled so that this file does not name it either.
#[test]
fn no_source_test_or_script_reads_the_shared_folder() {
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests", "fuzz/fuzz_targets"] {
        rust_files(&root().join(dir), &mut files);
    }
    for dir in ["scripts", "tests/e2e", "tests/bench", ".ci"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    for file in files.iter().filter(|f| f.is_file()) {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let shared = ["..", "shared"].join("/");
        assert!(!text.contains(&shared), "{} mentions {shared}", file.display());
    }
}

#[test]
fn the_manifest_reader_sees_every_dependency_table() {
    let manifest = "[workspace.dependencies]\nrusqlite = \"1\"\n[dependencies]\nmodel.workspace = true\n\
                    [target.'cfg(x)'.dependencies]\nengine = { path = \"e\" }\nweb-sys = { features = [\n  \"Blob\",\n] }\n\
                    [dev-dependencies]\ndemo.workspace = true\n";
    assert_eq!(dependency_names(manifest), ["model", "engine", "web-sys"]);
}

/// The page explains the held-back schedule in words; they must say what the one table says.
#[test]
fn the_pages_held_back_text_follows_the_schedule() {
    let tips = std::fs::read_to_string(root().join("src/tips.rs")).unwrap();
    assert!(tips.contains(model::report::HELD_SCHEDULE_TEXT), "src/tips.rs does not say {:?}", model::report::HELD_SCHEDULE_TEXT);
}
