//! `senda init`: the new guide builds cleanly in two and three languages, and init never
//! writes into a folder that has something in it.

use std::path::Path;
use std::process::{Command, Output};

fn senda(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_senda"))
        .args(args)
        .output()
        .expect("the senda binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether the page's `<html>` element says `lang` (quoted or not: pages are minified).
fn html_lang(html: &str, lang: &str) -> bool {
    let tag = html
        .split_once("<html")
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or("", |(tag, _)| tag);
    tag.split_whitespace()
        .any(|attr| attr == format!("lang={lang}") || attr == format!("lang=\"{lang}\""))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `senda init DIR --languages LANGS` then `senda -C DIR build`; returns both outputs.
fn init_and_build(dir: &Path, languages: &str) -> (Output, Output) {
    let d = dir.to_str().expect("temp path is UTF-8");
    let init = senda(&["init", d, "--languages", languages]);
    assert!(
        init.status.success(),
        "init failed:\n{}{}",
        text(&init.stdout),
        text(&init.stderr)
    );
    let build = senda(&["-C", d, "build"]);
    assert!(
        build.status.success(),
        "build of the new guide failed:\n{}{}",
        text(&build.stdout),
        text(&build.stderr)
    );
    assert!(
        !text(&build.stderr).contains("error"),
        "build reported errors:\n{}",
        text(&build.stderr)
    );
    (init, build)
}

/// Every page of the new guide exists in `lang`, with `lang` set on the page.
fn assert_pages(public: &Path, lang: &str, article: &str) {
    for page in ["index.html", &format!("{article}/index.html")] {
        let path = public.join(lang).join(page);
        let html = read(&path);
        assert!(
            html_lang(&html, lang),
            "{} has no lang=\"{lang}\"",
            path.display()
        );
    }
}

#[test]
fn two_languages_build_cleanly() {
    let tmp = tempfile::tempdir().expect("temp dir");
    // An empty existing folder is fine.
    let dir = tmp.path();
    let (init, build) = init_and_build(dir, "en,es");
    let out = text(&init.stdout);
    assert!(out.contains("senda serve"), "no next steps:\n{out}");
    assert!(
        !text(&init.stderr).contains("warning"),
        "en and es need no warning:\n{}",
        text(&init.stderr)
    );
    assert!(
        !text(&build.stderr).contains("warning"),
        "the new guide builds without warnings:\n{}",
        text(&build.stderr)
    );
    let site = read(&dir.join("site.toml"));
    assert!(
        site.contains("base_url = \"https://example.org/\""),
        "{site}"
    );
    assert!(site.contains("[facts]\nreview_days = 180"), "{site}");
    assert!(!dir.join("i18n").exists(), "en and es strings are built in");
    let public = dir.join("public");
    assert_pages(&public, "en", "guide/first-days");
    assert_pages(&public, "es", "guia/primeros-dias");
    for page in [
        "en/glossary/asylum/index.html",
        "en/situations/new-arrivals/index.html",
        "es/glosario/asilo/index.html",
        "es/situaciones/recien-llegados/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
    // The fact is used, formatted, with its source at the foot.
    let article = read(&public.join("es/guia/primeros-dias/index.html"));
    assert!(article.contains("Tiene 30 días"), "{article}");
    assert!(!article.contains("{{"), "{article}");
    // The flyer prints the home page's three lines; the home page offers the flyer and the
    // copy of the guide to save; every page has a link preview in its language.
    let flyer = read(&public.join("es/volante/index.html"));
    assert!(
        flyer.contains("<li>Qué hacer en sus primeros días.")
            && flyer.contains("<svg class=\"qr\""),
        "{flyer}"
    );
    let home = read(&public.join("es/index.html"));
    assert!(
        home.contains("href=/es/volante/") && home.contains("Guardar toda la guía,"),
        "{home}"
    );
    assert!(
        home.contains("<meta property=og:locale content=es_MX>"),
        "{home}"
    );
}

#[test]
fn three_languages_build_cleanly_and_french_strings_are_marked() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("guide");
    let (init, _) = init_and_build(&dir, "en,es,fr");
    let warnings = text(&init.stderr);
    assert!(
        warnings.contains("warning:") && warnings.contains("i18n/fr.ftl"),
        "no warning about French interface strings:\n{warnings}"
    );
    let ftl = read(&dir.join("i18n/fr.ftl"));
    assert!(ftl.starts_with("### TRANSLATE THIS FILE"), "{ftl}");
    assert!(ftl.contains("skip-to-content = "), "{ftl}");
    assert!(!dir.join("i18n/es.ftl").exists());
    let public = dir.join("public");
    assert_pages(&public, "en", "guide/first-days");
    assert_pages(&public, "es", "guia/primeros-dias");
    assert_pages(&public, "fr", "guide/premiers-jours");
    let article = read(&public.join("fr/guide/premiers-jours/index.html"));
    assert!(article.contains("Vous avez 30 jours"), "{article}");
}

#[test]
fn a_language_without_example_text_gets_drafts_and_fallback_pages() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("guide");
    let (init, _) = init_and_build(&dir, "es,ht");
    let warnings = text(&init.stderr);
    // senda has Kreyòl interface strings built in: nothing to copy or translate.
    assert!(!warnings.contains("i18n/ht.ftl"), "{warnings}");
    assert!(!dir.join("i18n/ht.ftl").exists());
    assert!(warnings.contains("draft = true"), "{warnings}");
    let page = read(&dir.join("content/guide/first-days.ht.md"));
    assert!(page.contains("draft = true"), "{page}");
    assert!(
        page.contains("Cámbielo"),
        "ht starts from the Spanish text:\n{page}"
    );
    let site = read(&dir.join("site.toml"));
    assert!(site.contains("name = \"Kreyòl ayisyen\""), "{site}");
    // Drafts are not built: Haitian readers get the Spanish page with the notice.
    let home = read(&dir.join("public/ht/index.html"));
    assert!(html_lang(&home, "ht"), "{home}");
    assert!(home.contains("<div lang=es>"), "{home}");
    assert!(home.contains("Ale nan tèks la"), "Kreyòl menus:\n{home}");
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mine = tmp.path().join("notes.txt");
    std::fs::write(&mine, "my notes").expect("write");
    let out = senda(&[
        "init",
        tmp.path().to_str().expect("UTF-8"),
        "--languages",
        "en,es",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("is not empty"), "{err}");
    assert_eq!(read(&mine), "my notes");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["notes.txt"], "init wrote something");
}

#[test]
fn refuses_bad_language_lists() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("guide");
    let d = dir.to_str().expect("UTF-8");
    for (langs, says) in [("en,en", "twice"), ("english", "not a language code")] {
        let out = senda(&["init", d, "--languages", langs]);
        assert_eq!(out.status.code(), Some(1), "{langs}");
        assert!(text(&out.stderr).contains(says), "{}", text(&out.stderr));
        assert!(!dir.exists(), "nothing is written on a bad language list");
    }
}
