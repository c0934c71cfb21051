//! Translators' workflow (issue 6): fallback pages and notices, `senda status`,
//! `senda translate` and `senda check`, on the fixture site `tests/fixtures/translate/site`
//! copied into a temporary folder.
//!
//! The fixture: English and Spanish; `guide/apply.md` is translated (its `source_hash` is the
//! current one), `guide/extra.md` is not; `facts/old.toml` holds a fact from 2020 (stale).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

fn fixture() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/translate/site"),
        &site,
    );
    (tmp, site)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn senda(site: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senda"))
        .arg("-C")
        .arg(site)
        .args(args)
        .output()
        .expect("run senda")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn build(site: &Path) -> PathBuf {
    let o = senda(site, &["build"]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    site.join("public")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

fn status_json(site: &Path) -> serde_json::Value {
    let o = senda(site, &["status", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("status JSON")
}

const FALLBACK_NOTICE: &str = "Esta página todavía no está traducida";
const OUTDATED_NOTICE: &str = "La versión original de esta página cambió";

#[test]
fn missing_translation_is_a_fallback_page_with_a_notice() {
    let (_tmp, site) = fixture();
    let out = build(&site);
    // The Spanish section's slug is `guia`; the untranslated article keeps its English slug.
    let page = read(&out.join("es/guia/extra/index.html"));
    assert!(page.contains("<html lang=\"es\""), "{page}");
    assert!(page.contains(FALLBACK_NOTICE), "{page}");
    assert!(
        page.contains("<div lang=\"en\">"),
        "content in English: {page}"
    );
    assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!page.contains("hreflang=\"es\" href=\"https"), "{page}");
    // The English original has no other real translation: no hreflang alternates at all.
    let original = read(&out.join("en/guide/extra/index.html"));
    assert!(!original.contains("rel=\"alternate\""), "{original}");
    // A real translation lists both languages, and has no notice.
    let translated = read(&out.join("es/guia/pedir/index.html"));
    assert!(translated.contains("hreflang=\"en\""));
    assert!(translated.contains("hreflang=\"es\""));
    assert!(!translated.contains(FALLBACK_NOTICE));
    assert!(!translated.contains(OUTDATED_NOTICE));
    // The Spanish home page's link to the untranslated page leads to its fallback.
    let home = read(&out.join("es/index.html"));
    assert!(home.contains("href=\"/es/guia/extra/\""), "{home}");
}

#[test]
fn fallback_off_links_to_the_original() {
    let (_tmp, site) = fixture();
    let config = site.join("site.toml");
    fs::write(&config, format!("fallback = false\n{}", read(&config))).expect("write");
    let out = build(&site);
    assert!(!out.join("es/guia/extra").exists());
    let home = read(&out.join("es/index.html"));
    assert!(home.contains("href=\"/en/guide/extra/\""), "{home}");
    let o = senda(&site, &["status"]);
    assert!(stdout(&o).contains("left out of this language's site"));
}

#[test]
fn stale_translation_shows_a_notice_and_status_lists_it() {
    let (_tmp, site) = fixture();
    edit(
        &site.join("content/guide/apply.md"),
        "Go to COMAR.",
        "Go to COMAR today.",
    );
    let out = build(&site);
    let page = read(&out.join("es/guia/pedir/index.html"));
    assert!(page.contains(OUTDATED_NOTICE), "{page}");
    assert!(!page.contains(FALLBACK_NOTICE));

    let text = stdout(&senda(&site, &["status"]));
    assert!(text.contains("Out of date (1)"), "{text}");
    assert!(text.contains("content/guide/apply.es.md"), "{text}");
    // No git history here: the source's modification date is shown.
    assert!(
        text.contains("the original was last changed on 20"),
        "{text}"
    );
    let json = status_json(&site);
    let es = &json["languages"][0];
    assert_eq!(es["pages"]["stale"], 1);
    assert_eq!(es["stale"][0]["source"], "content/guide/apply.md");
    assert_eq!(es["stale"][0]["change"]["kind"], "date");
}

#[test]
fn stale_translation_shows_the_git_diff_of_its_source() {
    let (tmp, site) = fixture();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .arg("-C")
            .arg(tmp.path())
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git");
        assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "first"]);
    edit(
        &site.join("content/guide/apply.md"),
        "Go to COMAR.",
        "Go to COMAR within 30 days.",
    );
    git(&["commit", "-q", "-am", "second"]);

    let text = stdout(&senda(&site, &["status", "--lang", "es"]));
    assert!(text.contains("-Go to COMAR. There were"), "{text}");
    assert!(text.contains("+Go to COMAR within 30 days."), "{text}");
    let json = status_json(&site);
    let change = &json["languages"][0]["stale"][0]["change"];
    assert_eq!(change["kind"], "diff", "{json:#}");
    assert!(
        change["diff"]
            .as_str()
            .is_some_and(|d| d.lines().count() <= 21)
    );
    assert_eq!(change["commit"].as_str().map(str::len), Some(40));
}

#[test]
fn translate_creates_a_draft_and_refuses_to_overwrite() {
    let (_tmp, site) = fixture();
    let o = senda(
        &site,
        &["translate", "content/guide/extra.md", "--to", "es"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("draft = true"), "{}", stdout(&o));
    let file = site.join("content/guide/extra.es.md");
    let text = read(&file);
    let front = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("+++\n"))
        .map(|(front, _)| front)
        .expect("front matter");
    let front: toml::Table = toml::from_str(front).expect("valid TOML");
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert_eq!(front["title"].as_str(), Some("More"));
    assert_eq!(front["weight"].as_integer(), Some(20));
    let hash = front["source_hash"].as_str().expect("source_hash");
    assert_eq!(hash.len(), 12);
    assert!(
        text.ends_with("## Who can apply\n\nAnyone in the country.\n"),
        "{text}"
    );
    // Status counts it as a draft with the current hash.
    let es = &status_json(&site)["languages"][0];
    assert_eq!(es["pages"]["draft"], 1);
    assert_eq!(es["pages"]["missing"], 0);
    assert_eq!(es["draft"][0]["current_hash"].as_str(), Some(hash));

    // Again: refused, file untouched.
    fs::write(&file, "my work").expect("write");
    let o = senda(
        &site,
        &["translate", "content/guide/extra.md", "--to", "es"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(read(&file), "my work");
}

#[test]
fn translate_refuses_what_it_cannot_translate() {
    let (_tmp, site) = fixture();
    for (args, says) in [
        (
            vec!["translate", "content/guide/extra.md", "--to", "fr"],
            "not a language of this site",
        ),
        (
            vec!["translate", "content/guide/extra.md", "--to", "en"],
            "default language",
        ),
        (
            vec!["translate", "content/guide/apply.es.md", "--to", "es"],
            "itself a translation",
        ),
        (vec!["translate", "site.toml", "--to", "es"], "is not under"),
        (
            vec!["translate", "content/guide/nothing.md", "--to", "es"],
            "there is no file",
        ),
    ] {
        let o = senda(&site, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn section_translation_is_named_index_lang() {
    let (_tmp, site) = fixture();
    fs::remove_file(site.join("content/guide/_index.es.md")).expect("rm");
    let o = senda(
        &site,
        &["translate", "content/guide/_index.md", "--to", "es"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("content/guide/_index.es.md").exists());
}

#[test]
fn mark_current_clears_staleness_and_keeps_the_rest() {
    let (_tmp, site) = fixture();
    let source = site.join("content/guide/apply.md");
    edit(&source, "Go to COMAR.", "Go to COMAR today.");
    assert_eq!(status_json(&site)["languages"][0]["pages"]["stale"], 1);
    let translation = site.join("content/guide/apply.es.md");
    let before = read(&translation);

    let o = senda(
        &site,
        &[
            "translate",
            "content/guide/apply.md",
            "--to",
            "es",
            "--mark-current",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
    let es = &status_json(&site)["languages"][0];
    assert_eq!(es["pages"]["stale"], 0);
    assert_eq!(es["percent_translated"], 83);
    let after = read(&translation);
    // Only the hash line changed: comments, order, tables and body are as they were.
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), 1, "{after}");
    assert!(changed[0].1.starts_with("source_hash = \""));
    assert_eq!(before.lines().count(), after.lines().count());
    let page = read(&build(&site).join("es/guia/pedir/index.html"));
    assert!(!page.contains(OUTDATED_NOTICE));
}

#[test]
fn mark_current_on_a_draft_says_to_publish_and_adds_a_missing_hash() {
    let (_tmp, site) = fixture();
    let home = site.join("content/_index.es.md");
    edit(&home, "+++\ntitle", "+++\ndraft = true\ntitle");
    let o = senda(
        &site,
        &[
            "translate",
            "content/_index.md",
            "--to",
            "es",
            "--mark-current",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("delete the line `draft = true`"),
        "{}",
        stdout(&o)
    );
    assert!(read(&home).contains("source_hash = \""));
    let o = senda(
        &site,
        &[
            "translate",
            "content/guide/extra.md",
            "--to",
            "es",
            "--mark-current",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("senda translate content/guide/extra.md --to es"));
}

#[test]
fn status_text_and_json() {
    let (_tmp, site) = fixture();
    let o = senda(&site, &["status"]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.contains("Español (es): 83% translated (5 of 6 up to date)"),
        "{text}"
    );
    assert!(text.contains("pages: 4 translated, 1 missing, 0 out of date, 0 drafts (of 5)"));
    assert!(
        text.contains("glossary entries: 1 translated, 0 missing"),
        "{text}"
    );
    assert!(text.contains("senda translate content/guide/extra.md --to es"));
    assert!(text.contains("content/facts/old.toml: 1 of 1"), "{text}");

    let json = status_json(&site);
    assert_eq!(json["version"], 1);
    assert_eq!(json["default_language"], "en");
    let es = &json["languages"][0];
    assert_eq!(es["code"], "es");
    assert_eq!(es["percent_translated"], 83);
    assert_eq!(es["total"]["total"], 6);
    assert_eq!(es["total"]["translated"], 5);
    assert_eq!(es["pages"]["missing"], 1);
    assert_eq!(es["glossary"]["translated"], 1);
    assert_eq!(es["missing"][0]["source"], "content/guide/extra.md");
    assert_eq!(es["missing"][0]["translation"], "content/guide/extra.es.md");
    assert_eq!(es["facts"]["complete"], true);
    assert_eq!(es["translated"].as_array().map(Vec::len), Some(5));

    let o = senda(&site, &["status", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a language of this site"));
}

#[test]
fn check_passes_with_warnings_and_strict_fails() {
    let (_tmp, site) = fixture();
    let o = senda(&site, &["check"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains("warning: content/facts/old.toml:3: the fact `old.claims`"),
        "{text}"
    );
    assert!(text.contains("warning: content/guide/extra.md: no Español (es) translation yet"));
    assert!(text.contains("run: senda translate content/guide/extra.md --to es"));
    assert!(text.contains("0 errors"), "{text}");

    let o = senda(&site, &["check", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("--strict"));

    let o = senda(&site, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(json["summary"]["errors"], 0);
    assert_eq!(json["summary"]["passed"], true);
    assert!(json["summary"]["links_checked"].as_u64() > Some(50));
    let warnings = json["warnings"].as_array().expect("warnings");
    assert!(
        warnings
            .iter()
            .any(|w| w["file"] == "content/facts/old.toml"
                && w["line"] == 3
                && w["help"].as_str().is_some_and(|h| h.contains("as_of")))
    );
    // Nothing written.
    assert!(!site.join("public").exists());
}

#[test]
fn check_finds_broken_anchors_with_file_and_line() {
    let (_tmp, site) = fixture();
    // A same-page anchor, which the build does not check, on the last line of the file.
    let apply = site.join("content/guide/apply.md");
    let text = format!("{}\nBack to [the start](#nowhere).\n", read(&apply));
    let line = text.lines().count();
    fs::write(&apply, text).expect("write");
    let o = senda(&site, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let errors = json["errors"].as_array().expect("errors");
    let error = errors
        .iter()
        .find(|e| e["file"] == "content/guide/apply.md")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert_eq!(error["line"], line);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("#nowhere"))
    );
    assert!(
        error["help"]
            .as_str()
            .is_some_and(|h| h.contains("heading"))
    );

    let text = stdout(&senda(&site, &["check"]));
    assert!(
        text.contains(&format!(
            "error: content/guide/apply.md:{line}: the anchor `#nowhere`"
        )),
        "{text}"
    );
    assert!(!site.join("public").exists());

    // An anchor on another page, through an @/ link: the build's own check, same shape.
    edit(&apply, "(#nowhere)", "(@/guide/extra.md#nope)");
    let o = senda(&site, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    let error = &json["errors"][0];
    assert_eq!(error["file"], "content/guide/apply.md");
    assert_eq!(error["line"], line);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("#nope"))
    );
}

#[test]
fn check_reports_stale_and_draft_translations() {
    let (_tmp, site) = fixture();
    edit(
        &site.join("content/guide/apply.md"),
        "Go to COMAR.",
        "Go now.",
    );
    edit(
        &site.join("content/_index.es.md"),
        "+++\ntitle",
        "+++\ndraft = true\ntitle",
    );
    let o = senda(&site, &["check"]);
    let text = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(
        text.contains(
            "warning: content/guide/apply.es.md:7: the original content/guide/apply.md changed"
        ),
        "{text}"
    );
    assert!(text.contains("--mark-current"));
    assert!(text.contains("warning: content/_index.es.md:2: this translation is a draft"));
}
