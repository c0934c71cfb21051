//! The guide features (issue 3): facts, tables, sources, glossary links, circumstance and
//! question pages, the one-page guide.

mod common;

use std::collections::BTreeSet;

use common::{Build, attr_values, count, write_site};

fn basic() -> Build {
    Build::fixture("basic", &[])
}

#[test]
fn facts_are_formatted_for_each_language() {
    let b = basic();
    let en = b.main("en/guide/apply/index.html");
    for fragment in [
        "receives\n140,000 claims",
        "changed on January 20, 2025.",
        "About 30–40% of",
        "takes several months.",
    ] {
        assert!(en.contains(fragment), "`{fragment}` missing in {en}");
    }
    let es = b.main("es/guia/pedir-asilo/index.html");
    for fragment in [
        "recibe\n140,000 solicitudes",
        "cambió el 20 de enero de 2025.",
        "cerca del 30–40%",
        "tarda varios meses.",
    ] {
        assert!(es.contains(fragment), "`{fragment}` missing in {es}");
    }
    assert!(!es.contains("{{"), "{es}");
}

#[test]
fn es_es_groups_thousands_with_a_dot() {
    let site = write_site(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.example/\"\ndefault_language = \"es\"\n[languages.es]\nname = \"Español\"\nlocale = \"es-ES\"\n[facts]\nreview_days = 100000\n",
        ),
        (
            "content/_index.md",
            "+++\ntitle = \"Inicio\"\n+++\nHubo {{ fact spain.claims }} solicitudes hasta el {{ fact spain.day }}.\n",
        ),
        (
            "content/facts/spain.toml",
            "[claims]\nvalue = 140000\nas_of = 2025-06-01\nsource = \"S\"\nsource_url = \"https://s.example/\"\n\n[day]\nvalue = 2025-01-20\nas_of = 2025-06-01\nsource = \"S\"\nsource_url = \"https://s.example/\"\n",
        ),
    ]);
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let home = b.main("index.html");
    assert!(
        home.contains("Hubo 140.000 solicitudes hasta el 20 de enero de 2025."),
        "{home}"
    );
}

#[test]
fn a_table_fact_is_an_accessible_table() {
    let b = basic();
    let en = b.main("en/guide/apply/index.html");
    assert!(
        en.contains(
            "<caption id=\"table-compare-side-by-side\">Two countries, side by side</caption>"
        ),
        "{en}"
    );
    assert!(en.contains("<tr><th scope=\"col\">Question</th><th scope=\"col\">United States</th><th scope=\"col\">Mexico</th></tr>"), "{en}");
    assert!(
        en.contains("<tr><th scope=\"row\">Who can apply?</th><td data-label=\"United States\">Almost no one.</td><td data-label=\"Mexico\">Anyone.</td></tr>"),
        "{en}"
    );
    // A labelled region that keyboard users can scroll, also on a page with pasted raw HTML
    // (which is sanitised).
    let region = "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"table-compare-side-by-side\" tabindex=\"0\">";
    assert!(en.contains(region), "{en}");
    let families = b.main("en/situations/families/index.html");
    assert!(families.contains(region), "{families}");
    let es = b.main("es/guia/pedir-asilo/index.html");
    assert!(
        es.contains("<th scope=\"row\">¿Quién puede pedir?</th>"),
        "{es}"
    );
    assert!(es.contains(">Dos países, lado a lado</caption>"), "{es}");
}

#[test]
fn a_page_that_uses_facts_lists_their_sources_at_its_foot() {
    let b = basic();
    let en = b.main("en/guide/apply/index.html");
    let foot = en
        .split("<section class=\"sources\"")
        .nth(1)
        .expect("a sources section");
    for line in [
        "<li>Asylum claims in Mexico: <b>140,000</b>. As of June 1, 2025. <a href=\"https://www.gob.mx/comar\" rel=\"noreferrer\">COMAR</a></li>",
        "<li>Date of the new rule: <b>January 20, 2025</b>. As of February 1, 2025.",
        "<li>Claims approved: <b>30–40%</b>. As of March 1, 2025.",
        "<li>Time to a decision: <b>several months</b>. As of April 1, 2025.",
        "<li>Two countries, side by side. As of April 15, 2025.",
    ] {
        assert!(foot.contains(line), "`{line}` missing in {foot}");
    }
    // Only the facts the page uses.
    assert!(!foot.contains("offices in 2010"), "{foot}");
    let es = b.main("es/guia/pedir-asilo/index.html");
    assert!(
        es.contains(
            "<li>Solicitudes de asilo en México: <b>140,000</b>. Dato de 1 de junio de 2025."
        ),
        "{es}"
    );
    // A page without facts has no such section.
    assert!(
        !b.main("en/guide/untranslated/index.html")
            .contains("class=\"sources\"")
    );
}

#[test]
fn the_sources_page_lists_every_fact_with_its_date() {
    let b = basic();
    let en = b.main("en/sources/index.html");
    let es = b.main("es/fuentes/index.html");
    for name in [
        "compare.side_by_side",
        "mexico.approval",
        "mexico.claims",
        "mexico.old_rule",
        "mexico.rule_date",
        "mexico.wait",
    ] {
        assert!(
            en.contains(&format!("<li id=\"{name}\">")),
            "{name} missing in {en}"
        );
        assert!(
            es.contains(&format!("<li id=\"{name}\">")),
            "{name} missing in {es}"
        );
    }
    assert!(en.contains("<b>Asylum claims in Mexico</b>: 140,000<br>\nAs of June 1, 2025 · <a href=\"https://www.gob.mx/comar\""), "{en}");
    assert!(
        en.contains("As of January 1, 2010 · needs checking ·"),
        "{en}"
    );
    assert!(es.contains("<b>Fecha de la nueva regla</b>: 20 de enero de 2025<br>\nDato de 1 de febrero de 2025 ·"), "{es}");
    assert!(es.contains("<h1>Fuentes y fechas</h1>"));
}

#[test]
fn a_stale_fact_is_warned_about_with_its_file_and_line() {
    let b = basic();
    let warning = b
        .stderr
        .lines()
        .find(|l| l.contains("mexico.old_rule"))
        .unwrap_or_else(|| panic!("no warning about the old fact:\n{}", b.stderr));
    assert!(
        warning.starts_with("warning: content/facts/mexico.toml:32: "),
        "{warning}"
    );
    assert!(warning.contains("2010-01-01"), "{warning}");
    // Fresh facts are not reported.
    assert!(!b.stderr.contains("mexico.claims"), "{}", b.stderr);
    assert_eq!(count(&b.stderr, "has not been checked"), 1, "{}", b.stderr);
}

#[test]
fn every_page_says_when_it_was_last_reviewed() {
    let b = basic();
    // Front matter `reviewed` wins over the newer facts the page uses.
    assert!(
        b.page("en/guide/apply/index.html")
            .contains("<p>Last reviewed: May 1, 2025.</p>")
    );
    assert!(
        b.page("es/guia/pedir-asilo/index.html")
            .contains("<p>Última revisión: 1 de mayo de 2025.</p>")
    );
    // Otherwise the newest fact the page uses: here an old one, so the page says so.
    let rights = b.page("en/guide/rights/index.html");
    assert!(
        rights.contains(
            "<p class=\"stale\">Last reviewed: January 1, 2010. That was a long time ago."
        ),
        "{rights}"
    );
    // A circumstance page: the newest of its facts.
    assert!(
        b.page("en/situations/families/index.html")
            .contains("Last reviewed: June 1, 2025.")
    );
}

/// The glossary links of the text of a page (not of its menus).
fn term_links(main: &str, url: &str) -> usize {
    count(main, &format!("<a href=\"{url}\" title="))
}

#[test]
fn glossary_links_the_first_mention_only_and_the_longest_match() {
    let b = basic();
    let en = b.main("en/guide/apply/index.html");
    // "asylum claim" (an alias) wins over "asylum", and the later "Asylum" is not linked.
    assert!(en.contains("make an <a href=\"/en/glossary/asylum/\" title=\"Protection a country gives to someone who fled danger.\" rel=\"noopener noreferrer\">asylum claim</a> in Mexico. Asylum is protection."), "{en}");
    assert_eq!(term_links(&en, "/en/glossary/asylum/"), 1, "{en}");
    assert_eq!(term_links(&en, "/en/glossary/comar/"), 1, "{en}");
    let es = b.main("es/guia/pedir-asilo/index.html");
    assert!(es.contains(">solicitud de asilo</a> en México."), "{es}");
    assert_eq!(term_links(&es, "/es/glosario/asilo/"), 1, "{es}");
}

#[test]
fn glossary_ignores_letter_case_but_not_word_boundaries() {
    let b = basic();
    let term = "title=\"Protección que da un país a quien huyó de un peligro.\"";
    // "ASILO" on the home page, "Asilo" on the rights page, "asilo" on a circumstance page.
    let home = b.main("es/index.html");
    assert!(
        home.contains(&format!("<a href=\"/es/glosario/asilo/\" {term}>ASILO</a>")),
        "{home}"
    );
    let rights = b.main("es/guia/rights/index.html");
    assert!(rights.contains(&format!("<a href=\"/es/glosario/asilo/\" {term}>Asilo</a> es protección. Después, asilo otra vez.")), "{rights}");
    let families = b.main("es/situaciones/familias/index.html");
    assert!(
        families.contains(&format!(
            "pedir <a href=\"/es/glosario/asilo/\" {term}>asilo</a> juntas"
        )),
        "{families}"
    );
    // Front-matter snippets (recommendation, steps, answers) never get glossary links: an
    // answer is itself a link, and one snippet cannot know the page's first mention.
    assert!(
        families.contains("<p>Pida asilo en México con <strong>todos</strong>"),
        "{families}"
    );
    // Not inside a longer word, a heading, code or a link.
    assert!(rights.contains("<p>Los asilos de otros países"), "{rights}");
    assert!(
        rights.contains("<h2 id=\"asilo-en-la-frontera\">Asilo en la frontera</h2>"),
        "{rights}"
    );
    assert!(rights.contains("<code>asilo</code>"), "{rights}");
    assert!(
        rights.contains("<a href=\"/es/guia/pedir-asilo/\">Asilo enlazado</a>"),
        "{rights}"
    );
    assert_eq!(term_links(&rights, "/es/glosario/asilo/"), 1, "{rights}");
    // Code in English too.
    let en = b.main("en/guide/rights/index.html");
    assert!(en.contains("<code>asylum</code> in code"), "{en}");
    assert_eq!(term_links(&en, "/en/glossary/asylum/"), 0, "{en}");
}

#[test]
fn a_glossary_entry_never_links_to_itself() {
    let b = basic();
    let es = b.main("es/glosario/asilo/index.html");
    assert!(
        es.contains("<p>El asilo es la protección de otro país.</p>"),
        "{es}"
    );
    assert!(!es.contains("/es/glosario/asilo/"), "{es}");
    let en = b.main("en/glossary/asylum/index.html");
    assert!(!en.contains("/en/glossary/asylum/"), "{en}");
    // Other terms on an entry's page are linked.
    let comar = b.main("en/glossary/comar/index.html");
    assert_eq!(term_links(&comar, "/en/glossary/asylum/"), 1, "{comar}");
}

#[test]
fn the_glossary_page_lists_every_entry_with_an_anchor() {
    let b = basic();
    let en = b.main("en/glossary/index.html");
    for (id, title) in [
        ("asylum", "asylum"),
        ("comar", "COMAR"),
        ("refoulement", "refoulement"),
    ] {
        assert!(
            en.contains(&format!(
                "<dt id=\"{id}\"><a href=\"/en/glossary/{id}/\">{title}</a></dt>"
            )),
            "{id} missing in {en}"
        );
    }
    let es = b.main("es/glosario/index.html");
    assert!(
        es.contains("<dt id=\"asylum\"><a href=\"/es/glosario/asilo/\">asilo</a></dt>"),
        "{es}"
    );
    assert!(es.contains("También se dice: solicitud de asilo."), "{es}");
    assert!(es.contains("<dt id=\"refoulement\"><a href=\"/es/glosario/refoulement/\">devolución forzada</a></dt>"), "{es}");
}

#[test]
fn an_unused_glossary_entry_is_warned_about() {
    let b = basic();
    assert!(
        b.stderr.contains("warning: content/glossary/refoulement.md: no page mentions the glossary term `refoulement`"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("warning: content/glossary/refoulement.es.md: no page mentions the glossary term `devolución forzada`"), "{}", b.stderr);
    assert!(!b.stderr.contains("glossary term `asylum`"), "{}", b.stderr);
    assert!(!b.stderr.contains("glossary term `COMAR`"), "{}", b.stderr);
}

#[test]
fn a_circumstance_page_lists_recommendation_steps_facts_and_articles() {
    let b = basic();
    let en = b.main("en/situations/families/index.html");
    assert!(en.contains("<h2 id=\"recommendation\">What we suggest</h2><p>Apply in Mexico with <strong>all</strong> your children.</p>"), "{en}");
    assert!(en.contains("<p>Families can stay together.</p>"), "{en}");
    assert!(
        en.contains("<h2 id=\"steps\">What to do</h2>\n<ol><li>Go to a "),
        "{en}"
    );
    assert!(en.contains("<li>Keep your visitor card.</li></ol>"), "{en}");
    assert!(
        en.contains("<li>Asylum claims in Mexico: <b>140,000</b> (As of June 1, 2025)</li>"),
        "{en}"
    );
    assert!(
        en.contains(
            "<li>Date of the new rule: <b>January 20, 2025</b> (As of February 1, 2025)</li>"
        ),
        "{en}"
    );
    // The article it lists, then the one that tags itself with this circumstance.
    assert!(en.contains("<ul class=\"cards\"><li><a href=\"/en/guide/rights/\">Your rights</a></li><li><a href=\"/en/guide/apply/\">Apply in Mexico</a></li></ul>"), "{en}");
    let es = b.main("es/situaciones/familias/index.html");
    assert!(
        es.contains("<h2 id=\"recommendation\">Lo que sugerimos</h2>"),
        "{es}"
    );
    assert!(es.contains("<li>Fecha de la nueva regla: <b>20 de enero de 2025</b> (Dato de 1 de febrero de 2025)</li>"), "{es}");
    assert!(es.contains("<li><a href=\"/es/guia/rights/\">Sus derechos</a></li><li><a href=\"/es/guia/pedir-asilo/\">Pedir asilo en México</a></li>"), "{es}");
    // Listed from the home page and the section.
    assert!(
        b.main("es/index.html")
            .contains("<a href=\"/es/situaciones/familias/\">Familias con niños</a>")
    );
    assert!(
        b.main("en/situations/index.html")
            .contains("<a href=\"/en/situations/families/\">Families with children</a>")
    );
}

#[test]
fn question_pages_answer_with_plain_links() {
    let b = basic();
    let en = b.main("en/decide/where/index.html");
    assert!(
        en.contains("<p class=\"count\">Question 1</p>\n<h1>Are you in Mexico?</h1>"),
        "{en}"
    );
    assert!(en.contains("<ul class=\"answers\"><li><a href=\"/en/decide/children/\">Yes, I am in Mexico</a></li>\n<li><a href=\"/en/situations/families/\">No</a></li>"), "{en}");
    let es = b.main("es/decidir/ninos/index.html");
    assert!(es.contains("<p class=\"count\">Pregunta 2</p>"), "{es}");
    assert!(
        es.contains("<li><a href=\"/es/situaciones/familias/\">Sí</a></li>"),
        "{es}"
    );
    assert!(
        es.contains("<li><a href=\"/es/situaciones/familias/\">No, viajo sola o solo</a></li>"),
        "{es}"
    );
    // The home page starts the questions.
    assert!(
        b.main("es/index.html")
            .contains("<a class=\"button\" href=\"/es/decidir/donde/\">")
    );
    for file in b.html_files() {
        let page = b.page(&file);
        assert!(!page.contains("<script"), "{file} has a script");
        assert!(!page.contains("<form"), "{file} has a form");
    }
}

#[test]
fn the_one_page_guide_holds_every_article_and_the_glossary() {
    let b = basic();
    for (file, titles) in [
        (
            "en/whole-guide/index.html",
            [
                "Apply in Mexico",
                "Your rights",
                "Only in English",
                "Families with children",
                "Glossary",
            ],
        ),
        (
            "es/guia-completa/index.html",
            [
                "Pedir asilo en México",
                "Sus derechos",
                "Only in English",
                "Familias con niños",
                "Glosario",
            ],
        ),
    ] {
        let page = b.main(file);
        for title in titles {
            assert!(
                page.contains(&format!("\">{title}</h2>")),
                "{title} missing in {file}"
            );
        }
        assert!(page.contains("140,000"), "{file}");
        assert!(page.contains("<dt id=\"comar\">COMAR</dt>"), "{file}");
    }
    let en = b.main("en/whole-guide/index.html");
    // Links between pages point inside the page, headings keep their anchor.
    assert!(
        en.contains("<a href=\"#p-guide-rights--at-the-border\""),
        "{en}"
    );
    assert!(
        en.contains("<a href=\"#p-guide-apply--deadlines\">apply</a>"),
        "{en}"
    );
    assert!(
        en.contains("<h2 id=\"p-guide-rights--at-the-border\">At the border</h2>"),
        "{en}"
    );
}

#[test]
fn the_one_page_guide_links_only_inside_itself_and_its_ids_are_unique() {
    let b = basic();
    for file in ["en/whole-guide/index.html", "es/guia-completa/index.html"] {
        let page = b.page(file);
        let ids = attr_values(&page, "id");
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate ids in {file}: {ids:?}");
        let main = b.main(file);
        let mut inside = 0;
        for href in attr_values(&main, "href") {
            if let Some(id) = href.strip_prefix('#') {
                assert!(
                    unique.contains(&id.to_string()),
                    "{file}: #{id} does not exist"
                );
                inside += 1;
            } else {
                // Links to pages of the guide, even root-relative ones, became anchors.
                assert!(
                    href.starts_with("https://") || href == "/en/guide/",
                    "{file}: {href} leaves the page"
                );
            }
        }
        assert!(inside > 15, "{file}: only {inside} links inside the page");
    }
}

#[test]
fn the_one_page_guide_holds_nested_sections_and_top_level_pages() {
    let site = write_site(&[
        (
            "site.toml",
            "title = \"T\"\nbase_url = \"https://e.example/\"\ndefault_language = \"en\"\nminify = false\n[languages.en]\nname = \"English\"\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n"),
        (
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\nTop-level page text.\n",
        ),
        ("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n"),
        (
            "content/guide/first.md",
            "+++\ntitle = \"First\"\n+++\nFirst page text.\n",
        ),
        (
            "content/guide/more/_index.md",
            "+++\ntitle = \"More\"\n+++\n",
        ),
        (
            "content/guide/more/deep.md",
            "+++\ntitle = \"Deep\"\n+++\nNested page text.\n",
        ),
    ]);
    let b = Build::run(site, &[]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    let guide = b.page("whole-guide/index.html");
    let at = |text: &str| {
        guide
            .find(text)
            .unwrap_or_else(|| panic!("no `{text}` in the guide: {guide}"))
    };
    // In the order of the lists: the home page, its pages, then each section depth first.
    assert!(at("Hello.") < at("Top-level page text."));
    assert!(at("Top-level page text.") < at("First page text."));
    assert!(at("First page text.") < at("Nested page text."));
}

#[test]
fn a_root_relative_link_may_name_a_page_with_or_without_its_slash_or_index_html() {
    let page = |body: &str| {
        write_site(&[
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://e.example/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n",
            ),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHello.\n"),
            ("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n"),
            (
                "content/guide/deep/_index.md",
                "+++\ntitle = \"Deep\"\nslug = \"hondo\"\n+++\n",
            ),
            ("content/guide/deep/x.md", "+++\ntitle = \"X\"\n+++\nX.\n"),
            (
                "content/guide/a.md",
                &format!("+++\ntitle = \"A\"\n+++\n{body}\n"),
            ),
        ])
    };
    let good = Build::run(
        page(
            "[1](/guide/hondo/x/) [2](/guide/hondo/x) [3](/guide/hondo/x/index.html) [4](/) [5](/guide)",
        ),
        &[],
    );
    assert_eq!(good.code, Some(0), "{}", good.stderr);
    // The section's slug names its folder in the address of the pages below it.
    assert!(good.page("guide/hondo/x/index.html").contains("X."));
    let bad = Build::run(page("[1](/guide/deep/x/)"), &[]);
    assert_ne!(bad.code, Some(0), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("content/guide/a.md:4"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("/guide/deep/x/"), "{}", bad.stderr);
}
