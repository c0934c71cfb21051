//! Snapshot of a whole site: every file `senda build` writes for `tests/fixtures/basic` is
//! compared whole with its copy in `tests/snapshots/basic/`, so that a change anywhere in any
//! page shows up in review as a diff of that file.
//!
//! After a change you mean, write the snapshot again and review the diff with git:
//!
//! ```sh
//! SENDA_UPDATE_SNAPSHOTS=1 cargo test --test snapshots
//! git diff tests/snapshots
//! ```
//!
//! The output depends on the date only through stale facts: the fixture's `review_days =
//! 3650` keeps its 2025 dates fresh until 2035 (its 2010 fact is stale on purpose).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Build, snapshot};

fn expected_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/basic")
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let (expected, actual) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let mut lines = expected.lines().zip(actual.lines()).enumerate();
    match lines.find(|(_, (e, a))| e != a) {
        Some((n, (e, a))) => format!("line {}:\n  expected: {e}\n  actual:   {a}", n + 1),
        None => format!(
            "{} lines expected, {} written",
            expected.lines().count(),
            actual.lines().count()
        ),
    }
}

fn write_snapshot(files: &BTreeMap<String, Vec<u8>>) {
    let dir = expected_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the old snapshot");
    }
    for (path, bytes) in files {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().expect("a folder")).expect("create a folder");
        std::fs::write(target, bytes).expect("write the snapshot");
    }
}

#[test]
fn every_output_file_matches_its_snapshot() {
    let build = Build::fixture("basic", &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let actual = snapshot(&build.out());
    if std::env::var_os("SENDA_UPDATE_SNAPSHOTS").is_some() {
        write_snapshot(&actual);
        return;
    }
    let expected = snapshot(&expected_dir());
    assert!(
        expected.len() > 20,
        "the snapshot holds {} files: write it with SENDA_UPDATE_SNAPSHOTS=1 cargo test --test snapshots",
        expected.len()
    );
    let mut problems = Vec::new();
    for path in expected.keys().filter(|p| !actual.contains_key(*p)) {
        problems.push(format!("{path}: in the snapshot, no longer written"));
    }
    for (path, bytes) in &actual {
        match expected.get(path) {
            None => problems.push(format!("{path}: written, not in the snapshot")),
            Some(want) if want != bytes => {
                problems.push(format!("{path}: {}", first_difference(want, bytes)));
            }
            Some(_) => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{} files differ from tests/snapshots/basic (if the change is meant, run \
         SENDA_UPDATE_SNAPSHOTS=1 cargo test --test snapshots and review git diff):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
