//! Sites made for Zola (issue 13): `senda import zola`, then a build that puts every page at
//! the address Zola gives it. The fixture `zola` is written in the shape of real multilingual
//! Zola blogs: bundles, dated file names, YAML front matter, `path`, `aliases`, `static/`.

mod common;

use common::{Build, copy_fixture, senda, write};

/// The `zola` fixture, imported and built.
fn imported() -> Build {
    let dir = copy_fixture("zola");
    let import = senda(dir.path(), &["import", "zola"]);
    let said = String::from_utf8_lossy(&import.stdout).into_owned();
    assert!(
        import.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&import.stderr)
    );
    for what in [
        "search index",
        "highlight",
        "Sass",
        "templates/ (blog.html)",
    ] {
        assert!(
            said.contains(what),
            "the import does not mention {what}:\n{said}"
        );
    }
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    build
}

#[test]
fn build_without_site_toml_says_to_import() {
    let dir = copy_fixture("zola");
    let out = senda(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("senda import zola"), "{err}");
}

#[test]
fn import_writes_site_toml_and_keeps_config_and_content() {
    let build = imported();
    let root = build.dir.path();
    let site = std::fs::read_to_string(root.join("site.toml")).expect("site.toml");
    for line in [
        "title = \"Field notes\"",
        "base_url = \"https://example.org\"",
        "minify = true",
        "feeds = true",
        "[languages.es]",
        "title = \"Notas de campo\"",
        "name = \"Español\"",
        "paths = \"on\"",
        "author = \"A. Writer\"",
    ] {
        assert!(site.contains(line), "`{line}` missing:\n{site}");
    }
    assert!(root.join("config.toml").exists());
    let again = senda(root, &["import", "zola"]);
    assert!(
        !again.status.success(),
        "a second import must not overwrite site.toml"
    );
}

#[test]
fn pages_are_at_zola_addresses() {
    let b = imported();
    let files = b.files();
    for page in [
        "index.html",
        "es/index.html",
        "blog/index.html",
        "es/blog/index.html",
        // A bundle, from a dated folder: the date leaves the address.
        "blog/first-post/index.html",
        "blog/trip/index.html",
        "es/blog/trip/index.html",
        // Only a date and time in the name: the whole name, made ASCII.
        "blog/2026-03-15t07-38-27z/index.html",
        // `path`, and a `path` that starts with the language's prefix already.
        "custom/place/index.html",
        "es/lugar/index.html",
        "notes/zebra/index.html",
    ] {
        assert!(files.contains(page), "{page} missing: {files:?}");
    }
    for absent in [
        "blog/unfinished/index.html",
        "blog/hidden/index.html",
        "blog/trip/index/index.html",
    ] {
        assert!(!files.contains(absent), "{absent} must not exist");
    }
}

#[test]
fn dates_in_names_and_front_matter_order_the_section() {
    let b = imported();
    let blog = b.main("blog/index.html");
    let at = |title: &str| {
        blog.find(title)
            .unwrap_or_else(|| panic!("{title} not listed: {blog}"))
    };
    // Newest first: 2026, 2024 (from the folder name), 2023 (a quoted date), 2020.
    assert!(at("A quick note") < at("First post"));
    assert!(at("First post") < at("The trip"));
    assert!(at("The trip") < at("Custom address"));
    assert!(
        !blog.contains("Unfinished") && !blog.contains("Hidden"),
        "{blog}"
    );
    // The summary before <!-- more --> is shown in the list, not the rest.
    assert!(blog.contains("The opening paragraph"), "{blog}");
    assert!(!blog.contains("The rest."), "{blog}");
}

#[test]
fn a_transparent_section_lists_its_pages_in_the_parent_and_gets_a_title() {
    let b = imported();
    let home = b.main("index.html");
    // sort_by = "title" of the transparent section does not order the home page: by weight.
    let zebra = home
        .find("Zebra crossing")
        .expect("zebra listed on the home page");
    let apple = home
        .find("Apple trees")
        .expect("apple listed on the home page");
    assert!(zebra < apple, "{home}");
    let notes = b.page("notes/index.html");
    assert!(
        notes.contains("<h1>Notes</h1>"),
        "a section without title is named after its folder"
    );
}

#[test]
fn bundle_files_sit_beside_every_version_of_the_page() {
    let b = imported();
    let files = b.files();
    for file in [
        "blog/trip/notes.txt",
        "es/blog/trip/notes.txt",
        "files/guide.pdf",
        "demo/index.html",
    ] {
        assert!(files.contains(file), "{file} missing");
    }
    // A bundle's pictures are not copied as they are (their metadata may say where they
    // were taken): every version of the page shows the resized copies.
    assert!(
        !files.contains("blog/trip/road.jpg"),
        "the original photo was published"
    );
    let trip = b.main("es/blog/trip/index.html");
    let src = trip
        .split("src=\"/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no picture in {trip}"));
    assert!(src.starts_with("blog/trip/road.40."), "{trip}");
    assert!(files.contains(src), "{src} missing");
    assert!(trip.contains("alt=\"Camino\""), "{trip}");
}

#[test]
fn a_dated_bundle_s_files_are_published_at_its_address_only() {
    let b = imported();
    let files = b.files();
    for file in ["blog/first-post/notes.txt", "es/blog/first-post/notes.txt"] {
        assert!(files.contains(file), "{file} missing");
    }
    // The folder's name with its date is not an address of the site, as in Zola.
    assert!(
        !files.contains("blog/2024-05-27-first-post/notes.txt"),
        "{files:?}"
    );
}

#[test]
fn aliases_get_redirect_pages_and_301_lines() {
    let b = imported();
    for file in ["old-trip/index.html", "2023/trip.html"] {
        let page = b.page(file);
        assert!(
            page.contains("http-equiv=\"refresh\" content=\"0; url=/blog/trip/\""),
            "{page}"
        );
        assert!(page.contains("<a href=\"/blog/trip/\">"), "{page}");
        assert!(!page.contains("<script"), "{page}");
    }
    let redirects = b.page("_redirects");
    assert!(
        redirects.contains("/old-trip/ /blog/trip/ 301"),
        "{redirects}"
    );
    let first_404 = redirects.find("404.html 404").unwrap_or(redirects.len());
    assert!(
        redirects.find("301").is_some_and(|at| at < first_404),
        "{redirects}"
    );
    // A section's redirect_to.
    let archive = b.page("archive/index.html");
    assert!(archive.contains("url=/blog/"), "{archive}");
    // The home page links to the Spanish translation by its file, and to an alias.
    let home = b.main("index.html");
    assert!(home.contains("href=\"/es/blog/trip/\""), "{home}");
    assert!(home.contains("href=\"/old-trip/\""), "{home}");
}

#[test]
fn what_senda_does_not_use_is_a_warning_with_file_and_line() {
    let b = imported();
    assert!(
        b.stderr.contains(
            "content/notes/apple.md:4: senda does not know the front-matter key `subtitle`"
        ),
        "{}",
        b.stderr
    );
    assert!(
        b.stderr
            .contains("content/blog/_index.md:4: the theme has no template `blog.html`"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("page_template"), "{}", b.stderr);
    assert!(
        b.stderr.contains("`tags`"),
        "an unknown YAML key: {}",
        b.stderr
    );
    let strict = senda(b.dir.path(), &["check", "--strict"]);
    assert!(!strict.status.success(), "--strict fails on unknown keys");
}

/// Imports the `zola` fixture, then deletes `[checks]` from site.toml, as its comment says to
/// once what `senda check` listed is fixed: a broken link stops the build again.
fn import_strict(dir: &std::path::Path) {
    assert!(senda(dir, &["import", "zola"]).status.success());
    let path = dir.join("site.toml");
    let text = std::fs::read_to_string(&path).expect("site.toml was written");
    let start = text
        .find("\n# senda checks what Zola did not")
        .expect("the [checks] comment");
    let end = text[start..]
        .find("alt_text = \"warn\"\n")
        .map(|at| start + at + "alt_text = \"warn\"\n".len())
        .expect("the [checks] table");
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).expect("site.toml");
}

#[test]
fn an_imported_site_builds_with_its_broken_links_and_missing_descriptions_listed() {
    let dir = copy_fixture("zola");
    assert!(senda(dir.path(), &["import", "zola"]).status.success());
    write(
        dir.path(),
        "content/blog/trip/index.md",
        "+++\ntitle = \"The trip\"\n+++\nSee [the list](nope.txt) and [the part](@/blog/trip/index.md#nowhere).\n\n![](/img/logo.png)\n",
    );
    let root = dir.path().to_path_buf();
    let strict = senda(&root, &["check", "--strict"]);
    assert_eq!(
        strict.status.code(),
        Some(1),
        "check --strict fails on warnings"
    );
    let b = Build::run(dir, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    for said in [
        "warning: content/blog/trip/index.md:4: link to `nope.txt`: no page or file has that address",
        "warning: content/blog/trip/index.md:4: the anchor `#nowhere` does not exist",
        "warning: content/blog/trip/index.md:6: the picture `/img/logo.png` has no description",
    ] {
        assert!(b.stderr.contains(said), "{said}: {}", b.stderr);
    }
}

#[test]
fn a_link_to_a_missing_bundle_file_or_static_file_fails_the_build() {
    let dir = copy_fixture("zola");
    import_strict(dir.path());
    write(
        dir.path(),
        "content/blog/trip/index.md",
        "+++\ntitle = \"The trip\"\n+++\nSee [the file](/files/nope.pdf).\n",
    );
    let b = Build::run(dir, &[]);
    assert_eq!(b.code, Some(1), "{}", b.stderr);
    assert!(
        b.stderr
            .contains("content/blog/trip/index.md:4: link to `/files/nope.pdf`"),
        "{}",
        b.stderr
    );
}

#[test]
fn taxonomies_get_a_list_page_and_a_page_per_term_in_each_language() {
    let b = imported();
    let files = b.files();
    for page in [
        "tags/index.html",
        "tags/travel/index.html",
        "tags/road-trips/index.html",
        // `Dawn & dusk`, from YAML front matter, slugified as Zola does.
        "tags/dawn-dusk/index.html",
        "es/tags/index.html",
        "es/tags/viaje/index.html",
    ] {
        assert!(files.contains(page), "{page} missing: {files:?}");
    }
    for absent in ["es/tags/travel/index.html", "es/categories/index.html"] {
        assert!(!files.contains(absent), "{absent} must not exist");
    }
    // Both languages have `tags`: each list page names the other as its translation.
    assert!(
        b.page("es/tags/index.html")
            .contains("hreflang=en href=https://example.org/tags/"),
        "{}",
        b.page("es/tags/index.html")
    );
    let list = b.main("tags/index.html");
    for link in [
        "href=/tags/travel/",
        "href=/tags/road-trips/",
        "href=/tags/dawn-dusk/",
    ] {
        assert!(list.contains(link), "{link} missing: {list}");
    }
    // `Travel` and `travel` are one term; its page lists both pages, newest first, dated.
    let term = b.main("tags/travel/index.html");
    assert!(term.contains("<h1>Tags: Travel</h1>"), "{term}");
    let trip = term.find("href=/blog/trip/").expect("the trip is listed");
    let custom = term
        .find("href=/custom/place/")
        .expect("the custom page is listed");
    assert!(trip < custom, "newest first: {term}");
    assert!(term.contains("<time datetime=2020-01-01>"), "{term}");
    // A page links to its terms; its translation to its own.
    let page = b.main("blog/trip/index.html");
    assert!(
        page.contains("href=/tags/travel/>Travel</a>")
            && page.contains("href=/tags/road-trips/>Road trips</a>"),
        "{page}"
    );
    assert!(
        b.main("es/blog/trip/index.html")
            .contains("href=/es/tags/viaje/>Viaje</a>")
    );
    // A page shown untranslated in Spanish links to its English terms.
    assert!(
        b.main("es/blog/2026-03-15t07-38-27z/index.html")
            .contains("href=/tags/dawn-dusk/>Dawn &amp; dusk</a>"),
        "{}",
        b.main("es/blog/2026-03-15t07-38-27z/index.html")
    );
    // Spanish declares no `categories`: a warning with file and line, no page.
    assert!(
        b.stderr
            .contains("content/blog/trip/index.es.md:6: the taxonomy `categories` is not declared"),
        "{}",
        b.stderr
    );
    assert!(
        !b.stderr.contains("does not build taxonomy"),
        "{}",
        b.stderr
    );
}

/// The feed at `rel` in the build's output, parsed.
fn feed(b: &Build, rel: &str) -> String {
    let text = std::fs::read_to_string(b.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel} is not XML: {e}\n{text}"));
    text
}

/// The `(link, published)` of each entry of an Atom feed, in order.
fn atom_entries(text: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(text).expect("XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> roxmltree::Node<'a, 'i> {
        node.children()
            .find(|c| c.tag_name().name() == name)
            .unwrap_or_else(|| panic!("<{name}> missing"))
    }
    let id = child(root, "id").text().unwrap_or_default().to_string();
    assert!(id.starts_with("https://example.org/"), "{id}");
    child(root, "updated");
    root.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|entry| {
            let link = child(entry, "link").attribute("href").unwrap_or_default();
            let published = child(entry, "published").text().unwrap_or_default();
            let updated = child(entry, "updated").text().unwrap_or_default();
            for date in [published, updated] {
                assert!(
                    date.parse::<jiff::Timestamp>().is_ok(),
                    "not an RFC 3339 date: {date}"
                );
            }
            (link.to_string(), published.to_string())
        })
        .collect()
}

#[test]
fn feeds_per_language_section_and_term_with_absolute_links_and_dates() {
    let b = imported();
    let files = b.files();
    for file in [
        "atom.xml",
        "rss.xml",
        "blog/atom.xml",
        "blog/rss.xml",
        "tags/travel/atom.xml",
        "tags/road-trips/atom.xml",
    ] {
        assert!(files.contains(file), "{file} missing: {files:?}");
    }
    // Spanish asks for no feed, nor do its tags; its blog section does not either.
    for absent in ["es/atom.xml", "es/blog/atom.xml", "es/tags/viaje/atom.xml"] {
        assert!(!files.contains(absent), "{absent} must not exist");
    }
    let term = atom_entries(&feed(&b, "tags/travel/atom.xml"));
    assert_eq!(
        term,
        [
            (
                "https://example.org/blog/trip/".to_string(),
                "2023-03-23T08:00:00Z".to_string()
            ),
            (
                "https://example.org/custom/place/".to_string(),
                "2020-01-01T00:00:00Z".to_string()
            ),
        ]
    );
    let section = atom_entries(&feed(&b, "blog/atom.xml"));
    let links: Vec<&str> = section.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://example.org/blog/2026-03-15t07-38-27z/",
            "https://example.org/blog/first-post/",
            "https://example.org/blog/trip/",
            "https://example.org/custom/place/",
        ]
    );
    // The summary before `<!-- more -->` is the entry's text.
    let text = feed(&b, "blog/atom.xml");
    assert!(
        text.contains("<summary type=\"html\">The opening paragraph, shown in lists."),
        "{text}"
    );
    // A term's name is escaped in the feed's title.
    let dawn = feed(&b, "tags/dawn-dusk/atom.xml");
    assert!(
        dawn.contains("<title>Field notes - Dawn &amp; dusk</title>"),
        "{dawn}"
    );
    let rss = feed(&b, "rss.xml");
    assert!(
        rss.contains("<pubDate>Thu, 23 Mar 2023 08:00:00 +0000</pubDate>"),
        "{rss}"
    );
    // Pages announce the feeds; the link in the Markdown to /atom.xml resolved.
    let home = b.page("index.html");
    assert!(
        home.contains("type=application/atom+xml title=\"Field notes\" href=/atom.xml"),
        "{home}"
    );
    assert!(
        b.page("tags/travel/index.html")
            .contains("href=/tags/travel/atom.xml")
    );
    assert!(b.page("blog/index.html").contains("href=/blog/atom.xml"));
}

#[test]
fn a_link_to_a_term_no_page_names_and_a_term_that_is_not_text_fail_the_build() {
    for (front, said) in [
        (
            "tags = [3]",
            "content/notes/zebra.md:4: `tags` in [taxonomies] is not a list of words",
        ),
        (
            "tags = [\"zebras\"]",
            "content/notes/zebra.md:6: link to `/tags/habits/`",
        ),
    ] {
        let dir = copy_fixture("zola");
        import_strict(dir.path());
        write(
            dir.path(),
            "content/notes/zebra.md",
            &format!(
                "+++\ntitle = \"Zebra\"\n[taxonomies]\n{front}\n+++\nSee [habits](/tags/habits/) and [zebras](/tags/zebras/).\n"
            ),
        );
        let b = Build::run(dir, &[]);
        assert_eq!(b.code, Some(1), "{}", b.stderr);
        assert!(b.stderr.contains(said), "{said}: {}", b.stderr);
        assert!(!b.stderr.contains("`/tags/zebras/`"), "{}", b.stderr);
        assert!(!b.out().exists(), "nothing is written");
    }
}

#[test]
fn relative_links_and_raw_html_links_to_nothing_fail_the_build_with_file_and_line() {
    let dir = copy_fixture("zola");
    import_strict(dir.path());
    write(
        dir.path(),
        "content/blog/trip/index.md",
        "+++\ntitle = \"The trip\"\n+++\nSee [the notes](notes.txt) and [the list](nope.txt).\n\n<a href=\"gone.pdf\">raw</a> <a href=\"/files/missing.pdf\">rooted</a> <a href=\"/files/guide.pdf\">fine</a>\n",
    );
    let b = Build::run(dir, &[]);
    assert_eq!(b.code, Some(1), "{}", b.stderr);
    for said in [
        "content/blog/trip/index.md:4: link to `nope.txt`: no page or file has that address (/blog/trip/nope.txt)",
        "content/blog/trip/index.md:6: link to `gone.pdf`",
        "content/blog/trip/index.md:6: link to `/files/missing.pdf`",
    ] {
        assert!(b.stderr.contains(said), "{said}: {}", b.stderr);
    }
    for fine in ["`notes.txt`", "`/files/guide.pdf`"] {
        assert!(!b.stderr.contains(fine), "{fine}: {}", b.stderr);
    }
}

#[test]
fn a_link_to_a_picture_leads_to_its_widest_file() {
    let b = imported();
    let page = b.main("blog/first-post/index.html");
    let at = page
        .find(">the map, larger</a>")
        .unwrap_or_else(|| panic!("{page}"));
    let href = page[..at]
        .rsplit("href=")
        .next()
        .unwrap_or_default()
        .trim_matches('"');
    assert!(
        // Pictures are published where their folder is (as the page's own pictures are).
        href.starts_with("/blog/2024-05-27-first-post/map.") && href.ends_with(".webp"),
        "{href}"
    );
    assert!(b.files().contains(href.trim_start_matches('/')), "{href}");
}

#[test]
fn a_picture_in_static_is_found_also_written_with_the_base_path() {
    let b = imported();
    let page = b.main("notes/zebra/index.html");
    // Made small like any picture; its own name still serves templates that name it.
    assert!(
        page.contains("srcset=\"/img/logo.1.") && page.contains("alt=\"The site’s logo\""),
        "{page}"
    );
    assert!(b.files().contains("img/logo.png"));
    // Written with the site's base path, as Zola templates and shortcodes write it.
    let dir = copy_fixture("zola");
    assert!(senda(dir.path(), &["import", "zola"]).status.success());
    write(
        dir.path(),
        "content/notes/zebra.md",
        "+++\ntitle = \"Zebra\"\n+++\n![Logo](/repo/img/logo.png)\n",
    );
    let b = Build::run(dir, &["--base-url", "https://example.org/repo/"]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let page = b.page("notes/zebra/index.html");
    assert!(
        page.contains("srcset=\"/repo/img/logo.1.") && page.contains("alt=\"Logo\""),
        "{page}"
    );
}
