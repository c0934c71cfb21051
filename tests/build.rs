//! The core build (issue 2): the `basic` fixture site in, its HTML and site files checked.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Build, attr_values, copy_fixture, count, snapshot, write, write_site};

const BASE: &str = "https://guide.example/";

fn basic() -> Build {
    Build::fixture("basic", &[])
}

#[test]
fn every_page_has_its_language_and_direction() {
    let b = basic();
    assert!(
        b.page("es/guia/pedir-asilo/index.html")
            .contains("<html lang=\"es\" dir=\"ltr\">")
    );
    assert!(
        b.page("en/guide/apply/index.html")
            .contains("<html lang=\"en\" dir=\"ltr\">")
    );
    assert!(
        b.page("es/404.html")
            .contains("<html lang=\"es\" dir=\"ltr\">")
    );
    for file in b.html_files() {
        let lang = if file.starts_with("es/") { "es" } else { "en" };
        assert!(
            b.page(&file)
                .contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")),
            "{file} does not say lang=\"{lang}\""
        );
    }
}

#[test]
fn translated_pages_link_each_other_with_hreflang_and_x_default() {
    let b = basic();
    let en = b.page("en/guide/apply/index.html");
    let es = b.page("es/guia/pedir-asilo/index.html");
    for page in [&en, &es] {
        assert!(page.contains(r#"<link rel="alternate" hreflang="en" href="https://guide.example/en/guide/apply/">"#), "{page}");
        assert!(page.contains(r#"<link rel="alternate" hreflang="es" href="https://guide.example/es/guia/pedir-asilo/">"#), "{page}");
        assert!(page.contains(r#"<link rel="alternate" hreflang="x-default" href="https://guide.example/en/guide/apply/">"#), "{page}");
    }
    assert!(en.contains(r#"<link rel="canonical" href="https://guide.example/en/guide/apply/">"#));
    assert!(
        es.contains(r#"<link rel="canonical" href="https://guide.example/es/guia/pedir-asilo/">"#)
    );
}

/// Each `hreflang` alternate of every page is a page of the output that names the first page
/// back, and each page's canonical URL is its own address.
#[test]
fn hreflang_links_are_reciprocal_on_every_page() {
    let b = basic();
    let file_of = |url: &str| {
        let path = url
            .strip_prefix(BASE)
            .unwrap_or_else(|| panic!("{url} is not on the site"));
        format!("{path}index.html")
    };
    let mut checked = 0;
    for file in b.html_files() {
        let page = b.page(&file);
        let Some(canonical) = page
            .split("<link rel=\"canonical\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        else {
            continue;
        };
        assert_eq!(file_of(canonical), file, "canonical of {file}");
        for line in page
            .lines()
            .filter(|l| l.starts_with("<link rel=\"alternate\" hreflang="))
        {
            let code = line
                .split("hreflang=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default();
            let url = attr_values(line, "href").remove(0);
            let other = b.page(&file_of(&url));
            if code == "x-default" {
                continue;
            }
            assert!(
                other.contains(&format!(
                    "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{url}\">"
                )),
                "{url} does not name itself as `{code}`"
            );
            let lang = if file.starts_with("es/") { "es" } else { "en" };
            assert!(
                file == "index.html"
                    || other.contains(&format!("hreflang=\"{lang}\" href=\"{canonical}\"")),
                "{url} does not link back to {canonical}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} alternates checked");
}

#[test]
fn language_switcher_goes_to_the_same_page() {
    let b = basic();
    let es = b.page("es/guia/pedir-asilo/index.html");
    assert!(
        es.contains(r#"<li><a href="/en/guide/apply/" hreflang="en" lang="en">English</a></li>"#),
        "{es}"
    );
    assert!(es.contains(r#"<span aria-current="page" lang="es">Español</span>"#));
    let en = b.page("en/guide/apply/index.html");
    assert!(
        en.contains(
            r#"<li><a href="/es/guia/pedir-asilo/" hreflang="es" lang="es">Español</a></li>"#
        ),
        "{en}"
    );
    // Sections too, with their own Spanish slug.
    assert!(
        b.page("es/guia/index.html")
            .contains(r#"<a href="/en/guide/" hreflang="en""#)
    );
    assert!(
        b.page("en/guide/index.html")
            .contains(r#"<a href="/es/guia/" hreflang="es""#)
    );
    // A Spanish article without its own slug lives under the Spanish section slug.
    assert!(
        b.page("en/guide/rights/index.html")
            .contains(r#"<a href="/es/guia/rights/" hreflang="es""#)
    );
}

#[test]
fn untranslated_page_falls_back_to_the_default_language_with_a_notice() {
    let b = basic();
    let es = b.page("es/guia/untranslated/index.html");
    assert!(es.contains("<html lang=\"es\""));
    assert!(es.contains("Esta página todavía no está traducida"), "{es}");
    assert!(
        es.contains("<div lang=\"en\">\n<h1>Only in English</h1>"),
        "{es}"
    );
    assert!(es.contains(r#"<meta name="robots" content="noindex">"#));
    // No hreflang at all: the page has no translation, and the fallback is not one.
    assert!(!es.contains("hreflang=\"es\" href=\"https://"), "{es}");
    assert!(!es.contains("rel=\"alternate\""), "{es}");
    // Its links go to Spanish pages where they exist.
    assert!(
        es.contains(r#"<a href="/es/guia/rights/">your rights</a>"#),
        "{es}"
    );
    // The switcher still leads to the original.
    assert!(es.contains(r#"<a href="/en/guide/untranslated/" hreflang="en""#));

    let en = b.page("en/guide/untranslated/index.html");
    assert!(!en.contains("not translated yet"), "{en}");
    assert!(!en.contains("rel=\"alternate\""), "{en}");
    assert!(!en.contains("noindex"));
    assert!(!b.page("sitemap.xml").contains("es/guia/untranslated/"));
}

#[test]
fn at_links_resolve_in_the_page_language() {
    let b = basic();
    let en = b.main("en/guide/apply/index.html");
    for href in [
        r#"href="/en/guide/rights/""#,
        r#"href="/en/guide/rights/#at-the-border""#,
        r#"href="/en/guide/untranslated/""#,
        // A plain root-relative link, checked and kept.
        r#"href="/en/guide/""#,
    ] {
        assert!(en.contains(href), "{href} missing in {en}");
    }
    let es = b.main("es/guia/pedir-asilo/index.html");
    for href in [
        r#"href="/es/guia/rights/""#,
        r#"href="/es/guia/rights/#en-la-frontera""#,
        r#"href="/es/guia/untranslated/""#,
    ] {
        assert!(es.contains(href), "{href} missing in {es}");
    }
    assert!(
        b.main("es/guia/rights/index.html")
            .contains(r#"href="/es/guia/pedir-asilo/#plazos""#)
    );
    assert!(
        b.main("en/guide/rights/index.html")
            .contains(r#"href="/en/guide/apply/#deadlines""#)
    );
    assert!(
        b.main("es/index.html")
            .contains(r#"<a href="/es/guia/">la guía</a>"#)
    );
}

/// Every root-relative link and image of every page leads to a file of the output, and every
/// `#fragment` to an id of its target page.
#[test]
fn every_internal_link_and_anchor_exists() {
    let b = basic();
    let files = b.files();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in b.html_files() {
        ids.insert(
            file.clone(),
            attr_values(&b.page(&file), "id").into_iter().collect(),
        );
    }
    let mut checked = 0;
    for file in b.html_files() {
        let page = b.page(&file);
        for url in attr_values(&page, "href")
            .into_iter()
            .chain(attr_values(&page, "src"))
        {
            let (path, fragment) = match url.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (url.clone(), None),
            };
            let target = if path.is_empty() {
                file.clone()
            } else if let Some(p) = path.strip_prefix('/') {
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p.to_string()
                }
            } else {
                continue;
            };
            assert!(
                files.contains(&target),
                "{file}: link to {url}: no {target}"
            );
            if let Some(fragment) = fragment {
                assert!(
                    ids.get(&target).is_some_and(|s| s.contains(&fragment)),
                    "{file}: link to {url}: no id `{fragment}` in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} links checked");
}

#[test]
fn root_page_lets_the_reader_choose_a_language() {
    let b = basic();
    let root = b.page("index.html");
    assert!(
        root.contains(r#"<a class="button" href="/en/" hreflang="en">English</a>"#),
        "{root}"
    );
    assert!(
        root.contains(r#"<a class="button" href="/es/" hreflang="es">Español</a>"#),
        "{root}"
    );
    assert!(root.contains(r#"<span lang="es">Guía de prueba</span>"#));
    assert!(root.contains("Una guía pequeña para las pruebas."));
    assert!(
        root.contains(
            r#"<link rel="alternate" hreflang="x-default" href="https://guide.example/">"#
        )
    );
    // The home pages name the chooser as their x-default.
    assert!(
        b.page("es/index.html")
            .contains(r#"hreflang="x-default" href="https://guide.example/">"#)
    );
}

#[test]
fn sitemap_lists_every_page_with_its_alternates() {
    let b = basic();
    let sitemap = b.page("sitemap.xml");
    assert!(sitemap.starts_with("<?xml"));
    assert!(sitemap.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    let entry = "  <url>\n    <loc>https://guide.example/es/guia/pedir-asilo/</loc>\n    <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://guide.example/en/guide/apply/\"/>\n    <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"https://guide.example/es/guia/pedir-asilo/\"/>\n  </url>";
    assert!(sitemap.contains(entry), "{sitemap}");
    for url in [
        "en/sources/",
        "es/fuentes/",
        "en/whole-guide/",
        "es/guia-completa/",
        "en/flyer/",
        "es/volante/",
        "en/guide/untranslated/",
    ] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{url}</loc>")),
            "{url} missing"
        );
    }
    // 14 pages in English, 13 real translations, the sources, the whole guide and the flyer
    // in each.
    assert_eq!(count(&sitemap, "<loc>"), 14 + 13 + 6, "{sitemap}");
}

#[test]
fn robots_txt_names_the_sitemap() {
    let b = basic();
    assert_eq!(
        b.page("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://guide.example/sitemap.xml\n"
    );
}

#[test]
fn not_found_page_per_language() {
    let b = basic();
    let en = b.page("en/404.html");
    assert!(en.contains("<h1>Page not found</h1>"), "{en}");
    let es = b.page("es/404.html");
    assert!(es.contains("<h1>No encontramos esta página</h1>"), "{es}");
    assert!(
        es.contains(r#"<a href="/es/" lang="es" hreflang="es">Español</a>"#),
        "{es}"
    );
    // The host's own 404 at the root, in the default language.
    assert!(b.page("404.html").contains("<h1>Page not found</h1>"));
}

#[test]
fn summary_line_counts_pages_files_and_time() {
    let b = basic();
    let line = b.stdout.lines().last().expect("a summary line");
    let files = b.files().len();
    assert!(
        line.starts_with("Built 28 pages (en 14, es 14), "),
        "{line}"
    );
    assert!(
        line.contains(&format!(", {files} files in ")),
        "{line} (there are {files} files)"
    );
    // Three from the fixture, one for its untranslated page (issue 15).
    assert!(line.contains(" s, 4 warnings"), "{line}");
    let seconds: f64 = line
        .rsplit(", ")
        .nth(1)
        .and_then(|s| s.strip_suffix(" s"))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no time in {line}"));
    assert!(seconds < 30.0, "{line}");
}

#[test]
fn raw_html_is_sanitised() {
    let b = basic();
    for (file, bytes) in snapshot(&b.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<script"), "{file} has a script");
        assert!(!text.contains("onclick"), "{file} has an event handler");
        assert!(
            !text.contains("evil.example"),
            "{file} loads from another host"
        );
        assert!(!text.contains("steal()"), "{file}");
    }
    // The harmless part of the pasted HTML stays. (A resource from another host is an
    // error with file and line: tests/invalid.rs, raw_html_image_from_another_host.)
    assert!(
        b.main("en/guide/apply/index.html")
            .contains("<p>Pasted text</p>")
    );
}

#[test]
fn two_builds_write_the_same_bytes() {
    let first = basic();
    let second = basic();
    let (a, b) = (snapshot(&first.out()), snapshot(&second.out()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (file, bytes) in &a {
        assert!(bytes == &b[file], "{file} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let b = basic();
    let before = snapshot(&b.out());
    write(
        b.dir.path(),
        "content/guide/rights.md",
        "+++\ntitle = \"Your rights\"\n+++\nSee [nothing](@/guide/nope.md).\n",
    );
    let output = common::senda(b.dir.path(), &["build", "--out", "public"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/guide/rights.md:4"), "{stderr}");
    assert!(snapshot(&b.out()) == before, "the output folder changed");
    let leftovers: Vec<_> = std::fs::read_dir(b.dir.path())
        .expect("read the site folder")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("senda-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_url_works_under_a_base_path() {
    let b = Build::fixture("basic", &["--base-url", "https://user.github.io/repo/"]);
    let mut checked = 0;
    for file in b.html_files() {
        let page = b.page(&file);
        for url in attr_values(&page, "href")
            .into_iter()
            .chain(attr_values(&page, "src"))
        {
            if url.starts_with('/') {
                assert!(url.starts_with("/repo/"), "{file}: {url}");
                checked += 1;
            } else if url.contains("github.io") {
                assert!(
                    url.starts_with("https://user.github.io/repo/"),
                    "{file}: {url}"
                );
            }
        }
    }
    assert!(checked > 300, "only {checked} URLs checked");
    // Links written in Markdown too, not only the template's.
    let apply = b.main("en/guide/apply/index.html");
    assert!(
        apply.contains(r#"href="/repo/en/guide/rights/#at-the-border""#),
        "{apply}"
    );
    assert!(apply.contains(r#"href="/repo/en/guide/""#), "{apply}");
    assert!(
        apply.contains(r#"href="/repo/en/glossary/asylum/""#),
        "{apply}"
    );
    let sitemap = b.page("sitemap.xml");
    assert!(!sitemap.contains("guide.example"));
    assert_eq!(
        count(&sitemap, "<loc>https://user.github.io/repo/"),
        count(&sitemap, "<loc>")
    );
    assert!(
        b.page("robots.txt")
            .contains("Sitemap: https://user.github.io/repo/sitemap.xml")
    );
}

#[test]
fn minified_output_is_small_and_keeps_the_content() {
    let plain = basic();
    let dir = copy_fixture("basic");
    let site = std::fs::read_to_string(dir.path().join("site.toml")).expect("site.toml");
    assert!(site.contains("minify = false"));
    write(
        dir.path(),
        "site.toml",
        &site.replace("minify = false", "minify = true"),
    );
    let b = Build::run(dir, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert_eq!(b.html_files(), plain.html_files());
    let page = b.page("es/guia/pedir-asilo/index.html");
    let unminified = plain.page("es/guia/pedir-asilo/index.html");
    // 92%, not less: the head's link-preview tags are text the minifier must keep.
    assert!(
        page.len() * 100 < unminified.len() * 92,
        "{} vs {} bytes",
        page.len(),
        unminified.len()
    );
    assert!(!page.contains("\n\n"), "{page}");
    for fragment in [
        "140,000",
        "20 de enero de 2025",
        "Dos países, lado a lado",
        "Pedir asilo en México",
        "Última revisión: 1 de mayo de 2025.",
    ] {
        assert!(page.contains(fragment), "{fragment} missing in {page}");
    }
    assert!(page.contains("lang=es"), "{page}");
    let css_of = |b: &Build| {
        let name = b
            .files()
            .into_iter()
            .find(|f| f.ends_with(".css"))
            .expect("a style sheet");
        b.page(&name)
    };
    let (css, plain_css) = (css_of(&b), css_of(&plain));
    assert!(!css.contains("\n  "), "{css}");
    assert!(
        css.len() < plain_css.len(),
        "the style sheet is not minified"
    );
}

#[test]
fn a_theme_that_cannot_be_preminified_is_minified_page_by_page() {
    let minified = |page_template: Option<&str>| {
        let dir = copy_fixture("basic");
        let site = std::fs::read_to_string(dir.path().join("site.toml")).expect("site.toml");
        write(
            dir.path(),
            "site.toml",
            &site.replace("minify = false", "minify = true"),
        );
        if let Some(text) = page_template {
            write(dir.path(), "themes/default/templates/page.html", text);
        }
        let b = Build::run(dir, &[]);
        assert_eq!(b.code, Some(0), "{}", b.stderr);
        b.page("en/guide/apply/index.html")
    };
    // minify-html sorts attributes; templates minified once keep their own order.
    let preminified = minified(None);
    assert!(
        preminified.starts_with("<!doctype html><html lang=en dir=ltr>"),
        "{preminified}"
    );
    // A construct in an end tag would be dropped by minify-html: no template is pre-minified.
    let page = minified(Some(
        "{% extends \"base.html\" %}\n{% block content %}<h{{ 1 }}>{{ page.title }}</h{{ 1 }}>\n\
         {{ page.content | safe }}{% endblock content %}\n",
    ));
    assert!(
        page.starts_with("<!doctype html><html dir=ltr lang=en>"),
        "{page}"
    );
    assert!(page.contains("<h1>Apply in Mexico</h1>"), "{page}");
    assert!(!page.contains('\n'), "{page}");
}

#[test]
fn the_menu_shows_at_most_seven_sections_and_the_home_page_lists_them_all() {
    let mut files = vec![(
        "site.toml".to_string(),
        "title = \"T\"\nbase_url = \"https://e.example/\"\ndefault_language = \"en\"\nminify = false\n[languages.en]\nname = \"English\"\n".to_string(),
    )];
    files.push((
        "content/_index.md".into(),
        "+++\ntitle = \"Home\"\n+++\nHello.\n".into(),
    ));
    for i in 1..=9 {
        files.push((
            format!("content/s{i}/_index.md"),
            format!("+++\ntitle = \"Section {i}\"\nweight = {i}\n+++\n"),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let b = Build::run(write_site(&borrowed), &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let page = b.page("s1/index.html");
    let menu = &page[page.find("class=\"menu\"").expect("a menu")..];
    let menu = &menu[..menu.find("</nav>").expect("menu end")];
    assert_eq!(count(menu, "<li>"), 7, "{menu}");
    assert!(
        menu.contains("Section 7") && !menu.contains("Section 8"),
        "{menu}"
    );
    let home = b.page("index.html");
    for i in 1..=9 {
        assert!(
            home.contains(&format!("<a href=\"/s{i}/\">Section {i}</a>")),
            "{home}"
        );
    }
}
