//! The manuals' examples work as written: every example marked `<!-- file: PATH -->` is
//! written into a new site and built, every other ```toml block parses, and every ```sh line
//! that starts with `senda ` is a valid command line.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser as _;

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs");

/// A fenced block: its language, its text, and the file it belongs in (from the marker line
/// just above it), if any.
struct Block {
    lang: String,
    text: String,
    file: Option<String>,
    line: usize,
}

fn blocks(doc: &str) -> Vec<Block> {
    let text = std::fs::read_to_string(Path::new(DOCS).join(doc)).expect("read the manual");
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    let mut marker: Option<String> = None;
    while let Some((n, line)) = lines.next() {
        if let Some(rest) = line.strip_prefix("<!-- file: ") {
            marker = Some(rest.trim_end_matches("-->").trim().to_string());
            continue;
        }
        if let Some(lang) = line.strip_prefix("```") {
            let mut body = String::new();
            for (_, l) in lines.by_ref() {
                if l.starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            out.push(Block {
                lang: lang.trim().to_string(),
                text: body,
                file: marker.take(),
                line: n + 1,
            });
            continue;
        }
        if !line.trim().is_empty() {
            marker = None;
        }
    }
    out
}

fn write_blocks(site: &Path, doc: &str) -> usize {
    let mut n = 0;
    for block in blocks(doc) {
        if let Some(file) = &block.file {
            let path: PathBuf = site.join(file);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(&path, &block.text).expect("write");
            n += 1;
        }
    }
    n
}

fn build(site: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_senda"))
        .args(["-C", site.to_str().expect("UTF-8"), "build", "--drafts"])
        .output()
        .expect("senda runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "the manual's site does not build:\n{stderr}"
    );
    stderr
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn editors_examples_build_as_a_site() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let n = write_blocks(tmp.path(), "editors.md");
    assert!(n >= 15, "only {n} examples marked in editors.md");
    let warnings = build(tmp.path());
    // The facts are dated 2025: the review window reports them, which the manual explains.
    assert!(!warnings.contains("error"), "{warnings}");
    let public = tmp.path().join("public");
    let article = read(&public.join("en/guide/apply-in-mexico/index.html"));
    assert!(article.contains("30 days"), "{article}");
    assert!(article.contains("30–40%"), "{article}");
    assert!(
        public
            .join("es/guide/pedir-asilo-en-mexico/index.html")
            .is_file()
    );
    assert!(public.join("en/guide/new-rules/index.html").is_file());
    assert!(public.join("en/situations/families/index.html").is_file());
    assert!(public.join("en/decide/children/index.html").is_file());
}

#[test]
fn theme_examples_override_the_embedded_theme() {
    let tmp = tempfile::tempdir().expect("temp dir");
    write_blocks(tmp.path(), "editors.md");
    let n = write_blocks(tmp.path(), "themes.md");
    assert!(n >= 2, "only {n} examples marked in themes.md");
    build(tmp.path());
    let article = read(
        &tmp.path()
            .join("public/en/guide/apply-in-mexico/index.html"),
    );
    assert!(
        article.contains("class=reading-time>One section"),
        "{article}"
    );
}

#[test]
fn language_examples_add_french_to_a_site() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/third-language");
    copy_dir(&fixture, tmp.path());
    let n = write_blocks(tmp.path(), "languages.md");
    assert!(n >= 4, "only {n} examples marked in languages.md");
    build(tmp.path());
    let page = read(&tmp.path().join("public/fr/guide/demander-asile/index.html"));
    assert!(page.contains("lang=fr"), "{page}");
    assert!(
        tmp.path()
            .join("public/fr/guide/rights/index.html")
            .is_file()
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

const MANUALS: &[&str] = &[
    "editors.md",
    "translators.md",
    "traductores.md",
    "themes.md",
    "languages.md",
    "formats.md",
    "zola.md",
];

#[test]
fn every_toml_example_parses() {
    let mut checked = 0;
    for doc in MANUALS {
        for block in blocks(doc).iter().filter(|b| b.lang == "toml") {
            // A page's front matter is shown with its `+++` lines and the text after them.
            let text = match block.text.strip_prefix("+++\n") {
                Some(rest) => rest.split("+++\n").next().unwrap_or_default(),
                None => block.text.as_str(),
            };
            if let Err(e) = text.parse::<toml::Table>() {
                panic!("{doc}:{}: not valid TOML: {e}", block.line);
            }
            checked += 1;
        }
    }
    // The manuals held 14 when this was written; fewer means the block reader missed some.
    assert!(
        checked >= 14,
        "only {checked} TOML examples found in the manuals"
    );
}

#[test]
fn every_senda_command_line_is_valid() {
    let mut seen = 0;
    for doc in MANUALS {
        for block in blocks(doc).iter().filter(|b| b.lang == "sh") {
            for line in block.text.lines() {
                let line = line.split(" #").next().unwrap_or_default().trim();
                let Some(command) = line
                    .split("&& ")
                    .map(str::trim)
                    .find(|part| part.starts_with("senda "))
                else {
                    continue;
                };
                let words: Vec<&str> = command.split_whitespace().collect();
                if let Err(e) = senda::cli::Cli::try_parse_from(&words) {
                    panic!(
                        "{doc}:{}: `{command}` is not a valid command:\n{e}",
                        block.line
                    );
                }
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "only {seen} command lines found in the manuals");
}
