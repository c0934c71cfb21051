//! Broken sites: each must fail with exit code 1, name the file and the line in that file
//! (in `build`'s message and in `senda check --format json`), say what is wrong, never panic,
//! and leave the existing output folder exactly as it was.
//!
//! Each case is `tests/fixtures/invalid/<case>/`, copied over the small valid site in
//! `tests/fixtures/invalid/_base/`.

mod common;

use common::{copy_dir, fixture, senda, snapshot, write};
use tempfile::TempDir;

/// The `_base` site with `case` copied over it.
fn site(case: &str) -> TempDir {
    let dir = common::copy_fixture("invalid/_base");
    if fixture(&format!("invalid/{case}")).exists() {
        copy_dir(&fixture(&format!("invalid/{case}")), dir.path());
    }
    dir
}

/// Builds `dir` over an existing output folder and checks the failure; `location` is
/// `file:line:` (or `file:` for a whole file). Returns stderr.
fn fails(dir: &TempDir, location: &str, words: &[&str]) -> String {
    check_json_names(dir, location);
    write(dir.path(), "public/marker.txt", "the last good build\n");
    write(dir.path(), "public/en/index.html", "<p>old page</p>\n");
    let before = snapshot(&dir.path().join("public"));
    let output = senda(dir.path(), &["build", "--out", "public"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains(&format!("error: {location}")),
        "no `{location}` in:\n{stderr}"
    );
    for word in words {
        assert!(stderr.contains(word), "no `{word}` in:\n{stderr}");
    }
    assert!(
        snapshot(&dir.path().join("public")) == before,
        "the output folder changed"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read the site folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("senda-")),
        "left behind: {names:?}"
    );
    stderr
}

/// `senda check --format json` fails and lists an error at `location` (`file:line:`, or
/// `file:` for line 0).
fn check_json_names(dir: &TempDir, location: &str) {
    let (file, line) = match location.trim_end_matches(':').rsplit_once(':') {
        Some((file, line)) => (file, line.parse().expect("a line number")),
        None => (location.trim_end_matches(':'), 0),
    };
    let output = senda(dir.path(), &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let found = json["errors"]
        .as_array()
        .expect("a list")
        .iter()
        .any(|e| e["file"] == serde_json::json!(file) && e["line"] == serde_json::json!(line));
    assert!(found, "no error at {file}:{line} in:\n{stdout}");
}

fn case(name: &str, location: &str, words: &[&str]) -> String {
    fails(&site(name), location, words)
}

#[test]
fn the_base_site_builds() {
    // Otherwise every case below could fail for the wrong reason.
    let dir = site("_base");
    let output = senda(dir.path(), &["build", "--out", "public"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bad_toml_in_front_matter_names_the_line_in_the_file() {
    // Line 4 of the file, line 3 of the front-matter block.
    let stderr = case("front_matter_toml", "content/page.md:4:", &["string"]);
    assert!(
        stderr.contains("4 | description = \"never closed"),
        "{stderr}"
    );
}

#[test]
fn unknown_front_matter_key() {
    // Zola sites carry their themes' keys: a warning with the nearest key, never fatal in a
    // build; `check --strict` fails on it.
    let stderr = warns("unknown_front_matter_key");
    assert!(
        stderr.contains(
            "warning: content/page.md:3: senda does not know the front-matter key `titel`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`title`"), "{stderr}");
}

/// Builds `case` (it must succeed) and checks that `check --strict` fails; returns the
/// build's warnings.
fn warns(case: &str) -> String {
    let dir = site(case);
    let output = senda(dir.path(), &["build", "--out", "public"]);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let strict = senda(dir.path(), &["check", "--strict"]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "check --strict must fail on the warning"
    );
    stderr
}

#[test]
fn unknown_key_in_site_toml() {
    case(
        "site_toml_unknown_key",
        "site.toml:4:",
        &[
            "unknown field `langauges_in_subdirs`",
            "`languages_in_subdirs`",
        ],
    );
}

#[test]
fn unknown_language_suffix() {
    // The whole file name is the problem: no line to point at.
    case(
        "unknown_language_suffix",
        "content/page.fr.md:",
        &["unknown language suffix `.fr`", "(en, es)"],
    );
}

#[test]
fn two_pages_with_one_address() {
    case(
        "duplicate_url",
        "content/second.md:4:",
        &["content/first.md", "/en/same/", "slug"],
    );
}

#[test]
fn missing_template() {
    // A template the theme lacks (a Zola theme's): a warning, the page's own template used.
    let stderr = warns("missing_template");
    assert!(
        stderr.contains("warning: content/page.md:3: the theme has no template `nope.html`; content/page.md uses `page.html`"),
        "{stderr}"
    );
}

#[test]
fn template_error_names_the_template() {
    // Tera gives no line; the variable it names is found in the site's template override.
    case(
        "template_error",
        "themes/default/templates/page.html:3:",
        &[
            "`page.subtitle` not found",
            "from content/page.md",
            "3 | {{ page.subtitle }}",
        ],
    );
}

#[test]
fn link_to_nothing() {
    case(
        "link_to_nothing",
        "content/page.md:6:",
        &["link to `@/nope.md`: there is no such page"],
    );
}

#[test]
fn file_that_is_not_utf8() {
    let dir = site("_base");
    std::fs::write(
        dir.path().join("content/page.md"),
        b"+++\ntitle = \"A page\"\n+++\nCaf\xe9 con leche.\n",
    )
    .expect("write a Latin-1 file");
    fails(&dir, "content/page.md:4:", &["not UTF-8"]);
}

#[test]
fn unknown_fact_suggests_the_closest_name() {
    case(
        "unknown_fact",
        "content/page.md:6:",
        &["unknown fact `f.claim`", "did you mean `f.claims`?"],
    );
}

#[test]
fn unknown_table() {
    case(
        "unknown_table",
        "content/page.md:6:",
        &["unknown table `f.comparison`"],
    );
}

#[test]
fn unknown_shortcode() {
    case(
        "unknown_shortcode",
        "content/page.md:6:",
        &["unknown shortcode `figur`", "did you mean `figure`", "note"],
    );
}

#[test]
fn shortcode_bad_arguments() {
    case(
        "shortcode_bad_arguments",
        "content/page.md:7:",
        &[
            "the shortcode `figure` has arguments that cannot be read",
            "a.png",
        ],
    );
}

#[test]
fn shortcode_left_open() {
    case(
        "shortcode_left_open",
        "content/page.md:6:",
        &[
            "the shortcode `note` is opened here but never closed",
            "{% end %}",
        ],
    );
}

#[test]
fn question_cycle() {
    case(
        "question_cycle",
        "content/decide/one.md:4:",
        &["decide/one.md -> decide/two.md -> decide/one.md"],
    );
}

#[test]
fn answer_leading_nowhere() {
    // Both answers lead to the same missing page: each is reported at its own line.
    let stderr = case(
        "answer_to_nowhere",
        "content/decide/one.md:5:",
        &["`@/situations/nowhere.md`: there is no such page"],
    );
    assert!(stderr.contains("content/decide/one.md:6: "), "{stderr}");
}

#[test]
fn steps_report_their_own_lines() {
    // Two equal steps, each at its own line (from the TOML spans, not a search for the text),
    // and a multi-line string's second line after its opening quotes.
    let stderr = case(
        "step_unknown_fact",
        "content/situations/x.md:6:",
        &["unknown fact `f.nope`"],
    );
    for line in [
        "content/situations/x.md:7: unknown fact `f.nope`",
        "content/situations/x.md:10: unknown fact `f.gone`",
    ] {
        assert!(stderr.contains(line), "{line}: {stderr}");
    }
}

#[test]
fn javascript_link() {
    case(
        "javascript_link",
        "content/page.md:6:",
        &["`javascript:`, which is not allowed"],
    );
}

#[test]
fn fact_without_a_date() {
    // The fact's table header is on line 3.
    case(
        "fact_missing_as_of",
        "content/facts/g.toml:3:",
        &["fact `g.offices` has no `as_of`", "as_of = "],
    );
}

#[test]
fn fact_with_a_date_in_quotes() {
    case(
        "fact_bad_date",
        "content/facts/g.toml:5:",
        &[
            "fact `g.offices`: `as_of` is not a date",
            "as_of = 2025-06-01",
        ],
    );
}

#[test]
fn fact_of_an_unknown_kind() {
    case(
        "fact_unknown_kind",
        "content/facts/g.toml:4:",
        &["fact `g.offices` has an unknown `kind`", "kind = \"table\""],
    );
}

#[test]
fn interface_string_line_without_a_key() {
    // The broken entry is line 5; the parser stops on line 6.
    case(
        "ftl_bad_line",
        "i18n/es.ftl:5:",
        &["not valid Fluent", "5 | esta línea no tiene clave"],
    );
}

#[test]
fn interface_string_with_a_broken_unicode_escape() {
    // fluent-syntax panics on this input; senda reports it instead.
    case(
        "ftl_unicode_escape",
        "i18n/es.ftl:4:",
        &["not valid Fluent", "\\u is followed by 4 hex digits"],
    );
}

#[test]
fn generated_page_slug_that_leaves_the_site() {
    case(
        "ftl_slug",
        "i18n/es.ftl:4:",
        &["the slug `../../../x`", "`slug-guide`"],
    );
}

#[test]
fn default_language_that_is_not_a_language() {
    case(
        "default_language_unknown",
        "site.toml:3:",
        &[
            "`default_language = \"fr\"` is not one of the languages",
            "en, es",
        ],
    );
}

#[test]
fn base_url_that_is_not_a_url() {
    case(
        "base_url_not_url",
        "site.toml:2:",
        &["`broken.example` is not a full URL"],
    );
}

#[test]
fn review_days_beyond_the_calendar() {
    // jiff panicked on this once.
    case(
        "review_days_too_large",
        "site.toml:14:",
        &["`review_days = 7304485` is out of range"],
    );
}

#[test]
fn template_error_in_base_reached_through_the_404_page() {
    case(
        "template_error_in_base",
        "themes/default/templates/base.html:5:",
        &["`page.home_link` not found", "404.html"],
    );
}

#[test]
fn an_alias_that_is_not_an_address_is_named_at_its_own_line() {
    // Not at line 3, whose description holds the same words; each copy at its own line.
    let stderr = case(
        "alias_not_an_address",
        "content/page.md:5:",
        &["the alias `old name` is not an address", "term_aliases"],
    );
    assert!(stderr.contains("content/page.md:6:"), "{stderr}");
}

/// Builds `case`, which only warns, and returns (warnings, the page `content/page.md` built).
fn warns_with_page(case: &str) -> (String, String) {
    let dir = site(case);
    let stderr = warns(case);
    let output = senda(dir.path(), &["build", "--out", "public"]);
    assert!(output.status.success());
    let page = std::fs::read_to_string(dir.path().join("public/en/page/index.html"))
        .expect("the page is built");
    (stderr, page)
}

#[test]
fn an_image_from_another_website_becomes_a_link_with_a_warning() {
    let (stderr, page) = warns_with_page("foreign_image");
    assert!(
        stderr.contains("content/page.md:6: the image `https://evil.example/x.png` is on another website; the page shows a link to it instead"),
        "{stderr}"
    );
    assert!(
        page.contains("<a href=\"https://evil.example/x.png\">A tracker</a>")
            || page.contains("<a href=https://evil.example/x.png>A tracker</a>"),
        "{page}"
    );
    assert!(!page.contains("<img"), "{page}");
}

#[test]
fn html_that_loads_from_another_website_is_left_out_with_a_warning() {
    let (stderr, page) = warns_with_page("foreign_html_image");
    assert!(
        stderr.contains("content/page.md:6: this HTML loads `https://tracker.example/pixel.gif` from another website; it is left out of the page"),
        "{stderr}"
    );
    assert!(!page.contains("tracker.example"), "{page}");
    assert!(page.contains("Look"), "{page}");
}
