//! Helpers shared by the integration tests: copy a fixture site into a temporary folder, run
//! the `senda` binary on it, read what it wrote.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies every file of `from` into `to`, creating folders as needed.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk the fixture");
        let rel = entry.path().strip_prefix(from).expect("inside the fixture");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// A fresh copy of fixture `name`, so that a test may change it and builds never write into
/// the repository.
pub(crate) fn copy_fixture(name: &str) -> TempDir {
    let dir = TempDir::new().expect("temporary folder");
    copy_dir(&fixture(name), dir.path());
    dir
}

/// A site written inline: (path, text) pairs.
pub(crate) fn write_site(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().expect("temporary folder");
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

/// Writes `text` to `root/path`, creating its folder.
pub(crate) fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folder");
    std::fs::write(path, text).expect("write a file");
}

/// Runs `senda -C root ARGS`.
pub(crate) fn senda(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senda"))
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .expect("run senda")
}

/// A finished `senda build` of a site in a temporary folder, output in `<site>/public`.
pub(crate) struct Build {
    /// The site (kept alive as long as the build is looked at).
    pub(crate) dir: TempDir,
    /// Exit code.
    pub(crate) code: Option<i32>,
    /// What senda printed.
    pub(crate) stdout: String,
    /// Warnings and errors.
    pub(crate) stderr: String,
}

impl Build {
    /// Builds the site in `dir` into `dir/public` with extra `args`.
    pub(crate) fn run(dir: TempDir, args: &[&str]) -> Build {
        let mut all = vec!["build", "--out", "public"];
        all.extend_from_slice(args);
        let output = senda(dir.path(), &all);
        Build {
            dir,
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Builds a copy of fixture `name`; panics (with senda's messages) if the build fails.
    pub(crate) fn fixture(name: &str, args: &[&str]) -> Build {
        let build = Build::run(copy_fixture(name), args);
        assert_eq!(
            build.code,
            Some(0),
            "the build of `{name}` failed:\n{}",
            build.stderr
        );
        build
    }

    /// The output folder.
    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// An output file as text, with Tera's `&#x2F;` written back as `/` so that assertions
    /// can name URLs as they are (both spellings mean the same to a browser).
    pub(crate) fn page(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read output file `{rel}`: {e}"));
        text.replace("&#x2F;", "/")
    }

    /// The `<main>` element of a page: the part that differs between pages.
    pub(crate) fn main(&self, rel: &str) -> String {
        let page = self.page(rel);
        let start = page.find("<main").expect("a <main> element");
        let end = page.find("</main>").expect("a </main> tag");
        page[start..end].to_string()
    }

    /// Every output file, relative to the output folder, with `/` separators.
    pub(crate) fn files(&self) -> BTreeSet<String> {
        snapshot(&self.out()).into_keys().collect()
    }

    /// Every HTML file of the output.
    pub(crate) fn html_files(&self) -> Vec<String> {
        self.files()
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .collect()
    }
}

/// Every file under `dir` with its bytes.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk the output");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .expect("inside the output")
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(
                rel,
                std::fs::read(entry.path()).expect("read an output file"),
            );
        }
    }
    files
}

/// The values of attribute `name` in `html`, in order (`name="…"` only, as senda writes them).
pub(crate) fn attr_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("a closing quote");
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

/// How many times `needle` occurs in `haystack`.
pub(crate) fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}
