//! Adding a language is a content change only: a test copies a two-language fixture site, adds
//! French to `site.toml`, a partial `i18n/fr.ftl` and two French pages, and builds it with the
//! same binary. The interface is French where strings exist and English where not; pages with
//! no French file are fallback pages under `/fr/`.

use std::path::{Path, PathBuf};
use std::process::Command;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/third-language");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn write(path: PathBuf, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create dir");
    }
    std::fs::write(path, text).expect("write");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `hreflang` codes of a page's `<link rel=alternate>` elements.
fn hreflangs(html: &str) -> Vec<String> {
    html.split("<link")
        .skip(1)
        .filter_map(|l| l.split_once('>').map(|(tag, _)| tag))
        .filter(|tag| tag.contains("rel=alternate") || tag.contains("rel=\"alternate\""))
        .filter_map(|tag| {
            let value = tag.split("hreflang=").nth(1)?;
            let value = value.trim_start_matches('"');
            Some(
                value
                    .split(|c: char| c == '"' || c.is_whitespace())
                    .next()?
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn a_third_language_is_a_content_change_only() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    copy_dir(Path::new(FIXTURE), &site);

    // 1. site.toml: the language.
    let mut config = read(&site.join("site.toml"));
    config.push_str("\n[languages.fr]\nname = \"Français\"\nlocale = \"fr-FR\"\n");
    write(site.join("site.toml"), &config);
    // 2. Fact files: every per-language text gets its French text.
    let facts = read(&site.join("content/facts/rules.toml")).replace(
        "es = \"Días para pedir asilo después de llegar\" }",
        "es = \"Días para pedir asilo después de llegar\", fr = \"Jours pour demander l’asile après l’arrivée\" }",
    );
    write(site.join("content/facts/rules.toml"), &facts);
    // 3. Interface strings: a few keys; the others fall back to English, with warnings.
    write(
        site.join("i18n/fr.ftl"),
        "skip-to-content = Aller au contenu\n\
         languages = Langues\n\
         fallback-notice = Cette page n’est pas encore traduite. La voici dans sa langue d’origine.\n",
    );
    // 4. Two French pages; the guide section and "rights" stay untranslated.
    write(
        site.join("content/_index.fr.md"),
        "+++\ntitle = \"Site d’essai\"\ndescription = \"Page d’accueil.\"\n+++\n\
         Lisez [comment demander l’asile](@/guide/apply.md).\n",
    );
    write(
        site.join("content/guide/apply.fr.md"),
        "+++\ntitle = \"Comment demander l’asile\"\ndescription = \"Les étapes.\"\n\
         slug = \"demander-asile\"\nweight = 1\n+++\n\
         Vous avez {{ fact rules.days_to_apply }} jours après votre arrivée.\n",
    );

    let out = Command::new(env!("CARGO_BIN_EXE_senda"))
        .args(["-C", site.to_str().expect("UTF-8"), "build"])
        .output()
        .expect("senda runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "build failed:\n{stderr}");
    // Missing French strings are warnings that name the key and the file.
    assert!(
        stderr.contains("i18n/fr.ftl") && stderr.contains("key `menu` is missing"),
        "{stderr}"
    );

    let public = site.join("public");
    // The French pages, under /fr/, with French interface strings where they exist.
    let home = read(&public.join("fr/index.html"));
    assert!(home.contains("lang=fr"), "{home}");
    assert!(home.contains("Aller au contenu"), "{home}");
    assert!(home.contains("aria-label=Langues"), "{home}");
    // menu is missing in fr.ftl: English.
    assert!(home.contains("aria-label=Menu"), "{home}");
    let apply = read(&public.join("fr/guide/demander-asile/index.html"));
    assert!(apply.contains("Vous avez 30 jours"), "{apply}");
    assert!(
        !apply.contains("class=notice"),
        "a real translation has no notice:\n{apply}"
    );

    // An untranslated page: a fallback page under /fr/, English text, French notice.
    let rights = read(&public.join("fr/guide/rights/index.html"));
    assert!(rights.contains("lang=fr"), "{rights}");
    assert!(
        rights.contains("Cette page n’est pas encore traduite"),
        "{rights}"
    );
    assert!(rights.contains("<div lang=en>"), "{rights}");
    assert!(rights.contains("You may work while you wait."), "{rights}");
    assert!(public.join("fr/guide/index.html").is_file());

    // hreflang lists French only where a French translation really exists.
    let mut with_fr = hreflangs(&read(&public.join("en/guide/apply/index.html")));
    with_fr.sort();
    assert_eq!(with_fr, ["en", "es", "fr", "x-default"]);
    let mut es_apply = hreflangs(&read(&public.join("es/guia/pedir-asilo/index.html")));
    es_apply.sort();
    assert_eq!(es_apply, ["en", "es", "fr", "x-default"]);
    for page in [
        "en/guide/rights/index.html",
        "es/guia/derechos/index.html",
        "fr/guide/rights/index.html",
        "en/guide/index.html",
    ] {
        let langs = hreflangs(&read(&public.join(page)));
        // A fallback page (noindex) may list none at all; the others list en and es.
        assert!(
            page.starts_with("fr/") || langs.len() >= 2,
            "{page}: {langs:?}"
        );
        assert!(!langs.iter().any(|l| l == "fr"), "{page}: {langs:?}");
    }

    // Spanish is untouched.
    let es = read(&public.join("es/guia/pedir-asilo/index.html"));
    assert!(es.contains("Tiene 30 días"), "{es}");
}
