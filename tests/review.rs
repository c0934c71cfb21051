//! Translations not yet checked by a native speaker (issue 17): `reviewed = false` for a
//! language in site.toml puts a notice on each of its translated pages, in that language, with
//! a link to the same page in `review_fallback`; `translation_reviewed = true` in a page's
//! front matter removes it; `senda status` lists the pages still waiting.

mod common;

use std::path::Path;

use common::{Build, copy_fixture, senda, write};
use tempfile::TempDir;

/// The Kreyòl notice, from senda's built-in `i18n/ht.ftl`.
const NOTICE: &str = "Tradiksyon sa a poko verifye";

/// The third-language fixture with Kreyòl added, not reviewed, pointing to Spanish: the home
/// page and "apply" translated (unchecked), the guide section translated and checked, "rights"
/// not translated at all.
fn kreyol_site() -> TempDir {
    let dir = copy_fixture("third-language");
    let root = dir.path();
    let config = std::fs::read_to_string(root.join("site.toml")).expect("site.toml");
    write(
        root,
        "site.toml",
        &format!(
            "{config}\n[languages.ht]\nname = \"Kreyòl ayisyen\"\nlocale = \"fr-HT\"\n\
             reviewed = false\nreview_fallback = \"es\"\n"
        ),
    );
    let facts = std::fs::read_to_string(root.join("content/facts/rules.toml")).expect("facts");
    write(
        root,
        "content/facts/rules.toml",
        &facts.replace(
            "llegar\" }",
            "llegar\", ht = \"Kantite jou pou w mande azil apre ou rive\" }",
        ),
    );
    write(
        root,
        "content/_index.ht.md",
        "+++\ntitle = \"Sit pou eseye\"\n+++\nLi [kijan pou w mande azil](@/guide/apply.md).\n",
    );
    write(
        root,
        "content/guide/apply.ht.md",
        "+++\ntitle = \"Kijan pou w mande azil\"\nslug = \"mande-azil\"\nweight = 1\n+++\n\
         Ou gen {{ fact rules.days_to_apply }} jou apre ou rive.\n",
    );
    write(
        root,
        "content/guide/_index.ht.md",
        "+++\ntitle = \"Gid\"\ntranslation_reviewed = true\n+++\nTi atik.\n",
    );
    dir
}

fn status_text(root: &Path) -> String {
    let out = senda(root, &["status", "--lang", "ht"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The part of `senda status` that lists the pages no native speaker has checked (empty if
/// there is none).
fn unchecked_list(text: &str) -> &str {
    text.split("Not yet checked by a native speaker")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_default()
}

/// The paragraph of the page that holds the notice, if any.
fn notice(page: &str) -> Option<&str> {
    let at = page.find(NOTICE)?;
    let end = page[at..].find("</p>").map_or(page.len(), |e| at + e);
    Some(&page[at..end])
}

#[test]
fn unchecked_translations_carry_a_notice_that_links_to_the_spanish_page() {
    let build = Build::run(kreyol_site(), &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);

    let home = build.page("ht/index.html");
    let home_notice = notice(&home).unwrap_or_else(|| panic!("no notice:\n{home}"));
    assert!(home_notice.contains("href=/es/"), "{home_notice}");
    assert!(home_notice.contains("Español"), "{home_notice}");
    let apply = build.page("ht/guide/mande-azil/index.html");
    let apply_notice = notice(&apply).unwrap_or_else(|| panic!("no notice:\n{apply}"));
    assert!(
        apply_notice.contains("href=/es/guia/pedir-asilo/"),
        "the link leads to the same page in Spanish: {apply_notice}"
    );
    assert!(apply_notice.contains("hreflang=es"), "{apply_notice}");

    // A page marked checked, a fallback page (English text) and the originals: no notice.
    for page in [
        "ht/guide/index.html",
        "ht/guide/rights/index.html",
        "en/guide/apply/index.html",
        "es/guia/pedir-asilo/index.html",
    ] {
        let html = build.page(page);
        assert!(notice(&html).is_none(), "{page} has the notice:\n{html}");
        assert!(!html.contains("not yet been checked"), "{page}:\n{html}");
    }
}

#[test]
fn status_lists_unchecked_pages_until_one_is_marked_reviewed() {
    let site = kreyol_site();
    let root = site.path();
    let text = status_text(root);
    assert!(
        text.contains("2 not yet checked by a native speaker"),
        "{text}"
    );
    let listed = unchecked_list(&text);
    assert!(listed.contains("content/_index.ht.md"), "{listed}");
    assert!(listed.contains("content/guide/apply.ht.md"), "{listed}");
    assert!(!listed.contains("content/guide/_index.ht.md"), "{listed}");
    assert!(
        listed.contains("`es`"),
        "names the fallback language: {listed}"
    );

    // A native speaker checks "apply": its notice goes, and status stops listing it.
    let apply = std::fs::read_to_string(root.join("content/guide/apply.ht.md")).expect("read");
    write(
        root,
        "content/guide/apply.ht.md",
        &apply.replace("weight = 1\n", "weight = 1\ntranslation_reviewed = true\n"),
    );
    let text = status_text(root);
    assert!(
        text.contains("1 not yet checked by a native speaker"),
        "{text}"
    );
    let listed = unchecked_list(&text);
    assert!(listed.contains("content/_index.ht.md"), "{text}");
    assert!(!listed.contains("apply.ht.md"), "{text}");

    let json = senda(root, &["status", "--format", "json", "--lang", "ht"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("status JSON");
    let unreviewed: Vec<&str> = json["languages"][0]["unreviewed"]
        .as_array()
        .expect("an `unreviewed` list")
        .iter()
        .filter_map(|i| i["translation"].as_str())
        .collect();
    assert_eq!(unreviewed, ["content/_index.ht.md"]);

    let build = Build::run(site, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let apply = build.page("ht/guide/mande-azil/index.html");
    assert!(
        notice(&apply).is_none(),
        "the notice is still there:\n{apply}"
    );
    assert!(notice(&build.page("ht/index.html")).is_some());
}

#[test]
fn a_review_fallback_that_is_not_a_language_is_refused() {
    let site = kreyol_site();
    let root = site.path();
    let config = std::fs::read_to_string(root.join("site.toml")).expect("site.toml");
    write(
        root,
        "site.toml",
        &config.replace("review_fallback = \"es\"", "review_fallback = \"fr\""),
    );
    let build = Build::run(site, &[]);
    assert_ne!(build.code, Some(0));
    assert!(
        build.stderr.contains("[languages.ht]") && build.stderr.contains("review_fallback"),
        "{}",
        build.stderr
    );
    assert!(!build.out().exists(), "nothing is written");
}

#[test]
fn generated_pages_of_an_unchecked_language_carry_the_notice_too() {
    let build = Build::run(kreyol_site(), &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    for (page, link) in [
        ("ht/sous/index.html", "href=/es/fuentes/"),
        ("ht/tout-gid-la/index.html", "href=/es/guia-completa/"),
        // The copy to pass on has no site around it: its link is a full address.
        (
            "ht/tout-gid-la/third-language-fixture.html",
            "href=https://example.org/es/guia-completa/",
        ),
    ] {
        let html = build.page(page);
        let found = notice(&html).unwrap_or_else(|| panic!("no notice on {page}:\n{html}"));
        assert!(found.contains(link), "{page}: {found}");
    }
    for page in ["es/fuentes/index.html", "es/guia-completa/index.html"] {
        assert!(notice(&build.page(page)).is_none(), "{page} has the notice");
    }
}
