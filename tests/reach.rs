//! Reach (issue 17): link previews for messaging apps.

mod common;

use common::Build;

/// The `content` of every `<meta>` whose `property` (or `name`) is `key`, in order.
fn meta(html: &str, key: &str) -> Vec<String> {
    let mut values = Vec::new();
    for attr in ["property", "name"] {
        let needle = format!("<meta {attr}=\"{key}\" content=\"");
        let mut rest = html;
        while let Some(at) = rest.find(&needle) {
            rest = &rest[at + needle.len()..];
            let end = rest.find('"').expect("a closing quote");
            values.push(rest[..end].to_string());
        }
    }
    values
}

/// The one value of `key`.
fn one(html: &str, key: &str) -> String {
    let values = meta(html, key);
    assert_eq!(values.len(), 1, "one `{key}` expected in {html}");
    values[0].clone()
}

#[test]
fn a_page_has_link_previews_in_its_own_language() {
    let b = Build::fixture("basic", &[]);
    let en = b.page("en/guide/apply/index.html");
    assert_eq!(one(&en, "og:title"), "Apply in Mexico");
    assert_eq!(
        one(&en, "og:description"),
        "How to ask for asylum in Mexico."
    );
    assert_eq!(one(&en, "og:site_name"), "Fixture guide");
    assert_eq!(one(&en, "og:type"), "article");
    assert_eq!(one(&en, "og:locale"), "en_US");
    assert_eq!(meta(&en, "og:locale:alternate"), ["es_MX"]);
    assert_eq!(one(&en, "og:url"), "https://guide.example/en/guide/apply/");
    assert_eq!(one(&en, "og:image"), "https://guide.example/preview.png");
    assert!(
        one(&en, "og:image:alt").starts_with("An orange path"),
        "{en}"
    );
    assert_eq!(one(&en, "twitter:card"), "summary");

    let es = b.page("es/guia/pedir-asilo/index.html");
    assert_eq!(one(&es, "og:title"), "Pedir asilo en México");
    assert_eq!(one(&es, "og:description"), "Cómo pedir asilo en México.");
    assert_eq!(one(&es, "og:site_name"), "Guía de prueba");
    assert_eq!(one(&es, "og:locale"), "es_MX");
    assert_eq!(meta(&es, "og:locale:alternate"), ["en_US"]);
    assert_eq!(
        one(&es, "og:url"),
        "https://guide.example/es/guia/pedir-asilo/"
    );
    assert!(one(&es, "og:image:alt").starts_with("Un camino"), "{es}");
    // The image is in the output, so the preview does not point at nothing.
    assert!(b.files().contains("preview.png"));
}

#[test]
fn a_home_page_is_a_website_described_by_the_site() {
    let b = Build::fixture("basic", &[]);
    let home = b.page("es/index.html");
    assert_eq!(one(&home, "og:type"), "website");
    assert_eq!(one(&home, "og:url"), "https://guide.example/es/");
    assert!(!one(&home, "og:description").is_empty());
}

#[test]
fn base_url_changes_every_preview_address() {
    let b = Build::fixture("basic", &["--base-url", "https://ngo.example/guide/"]);
    let en = b.page("en/guide/apply/index.html");
    assert_eq!(
        one(&en, "og:url"),
        "https://ngo.example/guide/en/guide/apply/"
    );
    assert_eq!(
        one(&en, "og:image"),
        "https://ngo.example/guide/preview.png"
    );
}
