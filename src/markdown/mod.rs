//! Markdown to HTML: pulldown-cmark's events through a chain of adapters (text merging,
//! raw-HTML checks, directives, heading ids, link checks, glossary links), then written as the
//! page and, for a chapter of the one-page guide, as the chapter. See [`events`] for the chain.

mod alerts;
mod directives;
pub(crate) mod glossary;
mod guide;
mod headings;
mod links;
mod raw_html;
pub(crate) mod shortcodes;
mod write;

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, TextMergeWithOffset};

use crate::content::Page;
use crate::diag::{Diagnostic, Report};
use crate::facts::{Facts, Formatter};

pub(crate) use guide::GuideLinks;
pub(crate) use headings::slugify;

/// What a page's Markdown needs from the rest of the site.
pub(crate) struct Env<'a> {
    /// The page's language.
    pub lang: &'a str,
    /// Resolves an `@/` key (`guide/x.md`) to the URL of that page in `lang`.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether a root-relative path (`/en/x/`, without the base path) is a file of the output.
    pub exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// Path part of the base URL (`/` or `/repo/`).
    pub base_path: &'a str,
    /// The page's own address below the base path (`es/guia/x/`): relative links start
    /// there.
    pub url: &'a str,
    /// Every fact of the site.
    pub facts: &'a Facts,
    /// Formats facts for `lang`.
    pub format: &'a Formatter,
    /// Glossary terms of `lang`.
    pub glossary: Option<&'a glossary::Matcher>,
    /// The glossary entry being rendered, if the page is one: it must not link to itself.
    pub this_entry: Option<&'a str>,
    /// Where problems go.
    pub report: &'a Report,
    /// Also write the page as a chapter of the one-page guide, with these links.
    pub guide: Option<&'a GuideLinks<'a>>,
    /// Write the HTML without line breaks between blocks (a minified site), or as
    /// pulldown-cmark does, one block a line (easier to read and diff).
    pub compact: bool,
    /// The site's Zola shortcodes; `None` where shortcodes have no place.
    pub shortcodes: Option<&'a shortcodes::Shortcodes>,
    /// Interface strings, for the labels of alerts (`> [!NOTE]`).
    pub strings: Option<&'a crate::i18n::Strings>,
    /// How heading text becomes an id: senda's own [`slugify`], or as Zola makes it.
    pub anchors: crate::config::SlugMode,
    /// The site's processed pictures: `None` leaves images as written (tests of links).
    pub images: Option<&'a crate::images::markup::PageImages<'a>>,
    /// Whether a link that leads nowhere is an error or a warning.
    pub checks: crate::config::Checks,
}

/// A page's Markdown, rendered.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rendered {
    /// The HTML.
    pub html: String,
    /// Names of the facts and tables the page shows.
    pub facts: BTreeSet<String>,
    /// Ids of the glossary entries it links to.
    pub terms: BTreeSet<String>,
    /// Ids of its headings, in order, with their text (for anchors and tables of contents).
    pub headings: Vec<Heading>,
    /// Links to other pages with a `#fragment`, checked once every page is rendered:
    /// (target URL, fragment, line).
    pub fragment_links: Vec<(String, String, usize)>,
    /// The page contains raw HTML (sanitised): the only HTML here not written compactly.
    pub raw_html: bool,
    /// The page as a chapter of the one-page guide, when [`Env::guide`] asked for it.
    pub guide_html: Option<String>,
    /// Bytes of pictures a phone loads for the page.
    pub image_bytes: u64,
}

/// A heading of a page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    /// Level: 2 for `##`.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain text.
    pub title: String,
}

/// Where a snippet of Markdown rendered on its own starts in its page's file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At {
    /// At this byte of the file: a part of the body (a summary).
    Byte(usize),
    /// In the front-matter value on this line (a step, an answer), from the TOML spans.
    Line(usize),
}

/// Where a piece of Markdown is in its page's file, so that a problem names the file's line.
pub(crate) struct Place<'a> {
    page: &'a Page,
    text: &'a str,
    /// Where `text` starts in the file.
    at: At,
    /// The page's text before its shortcodes were rendered, when it had any: `text` is then
    /// [`shortcodes::Expanded::text`], whose offsets map back to the file through it.
    expanded: Option<&'a shortcodes::Expanded>,
}

impl Place<'_> {
    /// The line in the file of `range` (byte offsets in the text).
    fn line(&self, range: &Range<usize>) -> usize {
        match self.at {
            At::Byte(offset) => {
                let start = self
                    .expanded
                    .map_or(range.start, |e| e.original(range.start));
                crate::diag::line_of(&self.page.source, offset + start)
            }
            At::Line(line) => {
                // A multi-line string starts on the line after its opening quotes.
                let opens = self
                    .page
                    .source
                    .lines()
                    .nth(line.saturating_sub(1))
                    .is_some_and(|l| {
                        let l = l.trim_end();
                        l.ends_with("'''") || l.ends_with("\"\"\"")
                    });
                let before = self.text.get(..range.start).unwrap_or_default();
                line + usize::from(opens) + crate::diag::line_of(before, before.len()) - 1
            }
        }
    }

    /// A problem at `range`.
    fn diagnostic(&self, range: &Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.page.diagnostic(self.line(range), message)
    }
}

/// The Markdown extensions senda reads.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        // GitHub's alerts: `> [!NOTE]` and the like.
        | Options::ENABLE_GFM
}

/// Renders the body of `page`. Problems go to `env.report` with the page's file and line.
pub(crate) fn render(page: &Page, env: &Env<'_>) -> Rendered {
    // Shortcodes run on the source text, before it is parsed (as in Zola).
    let expanded = env
        .shortcodes
        .filter(|_| shortcodes::may_have_calls(page.body()))
        .map(|set| shortcodes::expand_page(page, set, env));
    let place = Place {
        page,
        text: expanded.as_ref().map_or(page.body(), |e| e.text.as_str()),
        at: At::Byte(page.body_start),
        expanded: expanded.as_ref(),
    };
    render_text(&place, env)
}

/// Renders a snippet of Markdown found `at` a place of the page's file (a recommendation, a
/// step, an answer in the front matter; a summary in the body): facts and links work there
/// too. The outer `<p>` is removed.
pub(crate) fn render_inline(page: &Page, text: &str, at: At, env: &Env<'_>) -> Rendered {
    let place = Place {
        page,
        text,
        at,
        expanded: None,
    };
    let mut r = render_text(&place, env);
    let html = r.html.trim();
    let html = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html);
    r.html = html.to_string();
    r
}

fn render_text(place: &Place<'_>, env: &Env<'_>) -> Rendered {
    let mut out = Rendered::default();
    let mut tables = Vec::new();
    let events = events(place, env, &mut out, &mut tables);
    let size = place.text.len();
    let (html, chapter) = match env.guide {
        Some(guide) => {
            let (page, chapter) =
                guide::page_and_chapter(events, guide, &tables, size, env.compact);
            (page, Some(chapter))
        }
        None => (
            write::write_html(events.into_iter(), size, env.compact, None),
            None,
        ),
    };
    out.html = raw_html::sanitise(html, out.raw_html);
    out.guide_html = chapter.map(|c| raw_html::sanitise(c, out.raw_html));
    out
}

/// The chain of adapters every piece of Markdown goes through, in order; what they find goes
/// to `out` (and a guide chapter's tables to `tables`). A new transform is one more adapter in
/// this list: a type that implements `Iterator` over `(Event, Range)`, or a function that maps
/// them.
fn events<'a>(
    place: &'a Place<'a>,
    env: &'a Env<'a>,
    out: &mut Rendered,
    tables: &mut Vec<directives::Table>,
) -> Vec<Event<'a>> {
    let parser = Parser::new_ext(place.text, options()).into_offset_iter();
    // First, so that a fact's name or a glossary term never falls across two text events.
    let merged = TextMergeWithOffset::new(parser);
    // Shortcodes' HTML, sanitised already, is raw HTML of the page: before the raw-HTML check,
    // so that the page is sanitised and minified as one with raw HTML.
    let placed: Box<dyn Iterator<Item = _>> = match place.expanded {
        Some(expanded) => Box::new(shortcodes::place(merged, expanded, env.compact)),
        None => Box::new(merged),
    };
    // Before directives, whose tables are HTML of senda's own, not the author's.
    let checked = raw_html::check_raw_html(placed, env, place, &mut out.raw_html);
    // After the raw-HTML check (which must see the author's <img>), before the links (which
    // would otherwise check a picture's file name as a link).
    let line = |range: &Range<usize>| place.line(range);
    let mut picture_chapters = Vec::new();
    let pictures = crate::images::markup::PictureEvents::new(
        checked,
        env.images
            .map(|images| crate::images::markup::Pictures::new(images, place.page, env.report)),
        &line,
        &mut picture_chapters,
        &mut out.image_bytes,
    );
    // After the raw-HTML check: a note's HTML is senda's own.
    let alerts = alerts::alerts(pictures, env);
    let directives = directives::Directives::new(alerts, env, place, &mut out.facts, tables);
    let headings = headings::HeadingIds::new(directives, &mut out.headings, env.anchors);
    let links = links::check_links(headings, env, place, &mut out.fragment_links);
    let events = links.map(|(event, _)| event);
    let events = match env.glossary {
        Some(matcher) => {
            let mut linker = glossary::link_terms(events, matcher, env.this_entry);
            let linked: Vec<Event<'a>> = (&mut linker).collect();
            out.terms = linker.linked().iter().map(|s| s.to_string()).collect();
            linked
        }
        None => events.collect(),
    };
    // A picture the one-page guide links instead of embedding: the chapter swaps its HTML
    // as it swaps a table's.
    tables.extend(picture_chapters);
    events
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The Spanish page `content/guide/a.es.md`, whose front matter is three lines long, in a
    /// site with base path `/repo/` where `@/guide/b.md` exists and `/es/guia/b/` is a page.
    pub(crate) struct Fixture {
        page: Page,
        facts: Facts,
        format: Formatter,
        report: Report,
    }

    fn resolve(key: &str) -> Option<String> {
        (key == "guide/b.md").then(|| "/repo/es/guia/b/".to_string())
    }

    fn exists(path: &str) -> bool {
        path == "es/guia/b/" || path == "es/guia/a/plan.pdf"
    }

    impl Fixture {
        pub(crate) fn new(body: &str) -> Fixture {
            let source = format!("+++\ntitle = \"A\"\n+++\n{body}");
            Fixture {
                page: Page {
                    key: "guide/a.md".into(),
                    lang: "es".into(),
                    file: std::path::PathBuf::from("content/guide/a.es.md"),
                    kind: crate::content::Kind::Page,
                    dir: "guide".into(),
                    slug: "a".into(),
                    front: crate::content::FrontMatter::default(),
                    body_start: source.len() - body.len(),
                    source,
                },
                facts: Facts::default(),
                format: Formatter::new("es-MX").expect("a locale"),
                report: Report::default(),
            }
        }

        pub(crate) fn env<'a>(&'a self, guide: Option<&'a GuideLinks<'a>>) -> Env<'a> {
            Env {
                lang: "es",
                resolve: &resolve,
                exists: &exists,
                base_path: "/repo/",
                url: "es/guia/a/",
                facts: &self.facts,
                format: &self.format,
                glossary: None,
                this_entry: None,
                report: &self.report,
                guide,
                compact: false,
                shortcodes: None,
                strings: None,
                anchors: crate::config::SlugMode::Check,
                images: None,
                checks: crate::config::Checks::default(),
            }
        }

        pub(crate) fn place(&self) -> Place<'_> {
            Place {
                page: &self.page,
                text: self.page.body(),
                at: At::Byte(self.page.body_start),
                expanded: None,
            }
        }

        /// The problems reported so far.
        pub(crate) fn errors(&self) -> Vec<Diagnostic> {
            self.report.check().map_or_else(|e| e.0, |()| Vec::new())
        }

        /// The warnings reported so far.
        pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
            self.report.warnings()
        }
    }

    /// The fixture's body, parsed, text merged: what the adapters after the merge see.
    pub(crate) fn body_events(
        fixture: &Fixture,
    ) -> impl Iterator<Item = (Event<'_>, Range<usize>)> {
        TextMergeWithOffset::new(Parser::new_ext(fixture.page.body(), options()).into_offset_iter())
    }

    /// Renders `body` as the fixture page. Returns the HTML and the problems found.
    fn render_es(body: &str) -> (String, Vec<crate::diag::Diagnostic>, Rendered) {
        render_es_with(body, None, false)
    }

    fn render_es_with(
        body: &str,
        guide: Option<&GuideLinks<'_>>,
        compact: bool,
    ) -> (String, Vec<crate::diag::Diagnostic>, Rendered) {
        let fixture = Fixture::new(body);
        let env = Env {
            compact,
            ..fixture.env(guide)
        };
        let rendered = render(&fixture.page, &env);
        (rendered.html.clone(), fixture.errors(), rendered)
    }
    #[test]
    fn compact_html_has_no_line_breaks_but_code_and_raw_html_keep_theirs() {
        let body = "Una línea\ny otra.\n\n- a\n- b\n\n```\nx = 1\n\ny = 2\n```\n\n<pre>\n  raw\n</pre>\n\n---\n";
        let (html, errors, rendered) = render_es_with(body, None, true);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(html.starts_with("<p>Una línea y otra.</p><ul><li>a</li><li>b</li></ul><pre><code>x = 1\n\ny = 2\n</code></pre>"), "{html}");
        // Raw HTML is written as it is (then sanitised, which re-serialises it), and the page
        // says so: its body goes through the minifier.
        assert!(html.contains("<pre>  raw\n</pre>\n<hr>"), "{html}");
        assert!(rendered.raw_html);
        // Not compact: pulldown-cmark's own layout, one block a line.
        let (html, _, _) = render_es_with(body, None, false);
        assert!(
            html.starts_with("<p>Una línea\ny otra.</p>\n<ul>\n<li>a</li>"),
            "{html}"
        );
    }

    /// Page `guide/b.md` is the chapter `#p-guide-b` of the one-page guide.
    fn guide_anchors() -> HashMap<String, String> {
        [("/repo/es/guia/b/".to_string(), "#p-guide-b".to_string())].into()
    }

    /// The links of page `guide/a.md` as chapter `p-guide-a` of the one-page guide.
    fn guide_links(anchors: &HashMap<String, String>) -> GuideLinks<'_> {
        GuideLinks {
            anchors,
            prefix: "p-guide-a",
            page: "/repo/es/guia/a/",
        }
    }

    #[test]
    fn a_guide_chapter_links_inside_the_guide_and_prefixes_its_ids() {
        let anchors = guide_anchors();
        let guide = guide_links(&anchors);
        let body = "## Plazos\n\nVea [b](@/guide/b.md), [su parte](@/guide/b.md#fin), \
                    [arriba](#plazos), [fuera](https://example.org/) y ![foto](foto.png).[^1]\n\n\
                    [^1]: Una nota.\n";
        let (page, errors, rendered) = render_es_with(body, Some(&guide), true);
        assert!(errors.is_empty(), "{errors:?}");
        let chapter = rendered.guide_html.expect("a chapter");
        assert!(page.contains(r#"<h2 id="plazos">"#), "{page}");
        assert!(page.contains(r#"href="/repo/es/guia/b/#fin""#), "{page}");
        assert!(page.contains(r#"src="foto.png""#), "{page}");
        for expected in [
            r#"<h2 id="p-guide-a--plazos">"#,
            r##"<a href="#p-guide-b">b</a>"##,
            r##"<a href="#p-guide-b--fin">su parte</a>"##,
            r##"<a href="#p-guide-a--plazos">arriba</a>"##,
            r#"<a href="https://example.org/">fuera</a>"#,
            r#"src="/repo/es/guia/a/foto.png""#,
            r##"href="#p-guide-a--1""##,
            r#"id="p-guide-a--1""#,
        ] {
            assert!(
                chapter.contains(expected),
                "`{expected}` missing in {chapter}"
            );
        }
    }

    #[test]
    fn a_chapter_spliced_from_the_page_is_the_chapter_written_in_full() {
        let anchors = guide_anchors();
        let guide = guide_links(&anchors);
        let body = "Texto *con* [b](@/guide/b.md \"título\") y [fin](@/guide/b.md#fin).\n\n\
                    ## Plazos {#plazos .x}\n\n> Cita con [arriba](#plazos).\n\n\
                    - uno\n- [dos](https://example.org/)\n\n```\ncódigo\n\n```\n\n\
                    | a | b |\n|---|:-:|\n| [c](#plazos) | d |\n\n### Plazos\n\nFin.\n";
        for compact in [true, false] {
            // Without images or footnotes the chapter is spliced from the page's HTML; a
            // relative image at the end makes the whole chapter be written again.
            let (_, _, spliced) = render_es_with(body, Some(&guide), compact);
            let spliced = spliced.guide_html.expect("a chapter");
            let (_, errors, written) =
                render_es_with(&format!("{body}\n![x](x.png)\n"), Some(&guide), compact);
            assert!(errors.is_empty(), "{errors:?}");
            let written = written.guide_html.expect("a chapter");
            assert!(
                written.contains(r#"src="/repo/es/guia/a/x.png""#),
                "{written}"
            );
            assert!(written.starts_with(&spliced), "{spliced}\n---\n{written}");
            assert!(spliced.contains(r#"id="p-guide-a--plazos-1""#), "{spliced}");
        }
    }

    #[test]
    fn at_links_resolve_to_the_page_in_the_reader_language() {
        let (html, errors, rendered) =
            render_es("[b](@/guide/b.md) y [parte](@/guide/b.md#plazos).\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            html.contains(r#"<a href="/repo/es/guia/b/">b</a>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="/repo/es/guia/b/#plazos">parte</a>"#),
            "{html}"
        );
        // The fragment is checked once every page is rendered.
        assert_eq!(
            rendered.fragment_links,
            vec![("/repo/es/guia/b/".to_string(), "plazos".to_string(), 4)]
        );
    }

    #[test]
    fn a_link_to_nothing_is_reported_at_its_line_in_the_file() {
        let (_, errors, _) = render_es("Uno.\n\nDos.\n\nVea [esto](@/guide/nope.md).\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].file,
            std::path::Path::new("content/guide/a.es.md")
        );
        // Line 5 of the body, after three lines of front matter.
        assert_eq!(errors[0].line, 8, "{}", errors[0]);
        assert!(
            errors[0].message.contains("@/guide/nope.md"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn root_relative_links_get_the_base_path_and_must_exist() {
        let (html, errors, _) = render_es("[b](/es/guia/b/) y [no](/es/nada/).\n");
        assert!(
            html.contains(r#"<a href="/repo/es/guia/b/">b</a>"#),
            "{html}"
        );
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("/es/nada/"), "{}", errors[0]);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn external_mail_and_phone_links_pass_other_schemes_do_not() {
        let (html, errors, _) =
            render_es("[w](https://example.org/) [m](mailto:a@example.org) [t](tel:+52155)\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(html.contains(r#"href="https://example.org/""#), "{html}");
        assert!(html.contains(r#"href="mailto:a@example.org""#), "{html}");
        let (html, errors, _) = render_es("x\n\n[a](javascript:alert(1)) [b](data:text/html,x)\n");
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(|e| e.line == 6), "{errors:?}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
    }

    #[test]
    fn an_image_from_another_website_becomes_a_link_to_it() {
        let (html, errors, _) = render_es(
            "![a](foto.png)\n\n![b](//evil.example/x.png) ![](https://e.example/y.png)\n",
        );
        assert!(html.contains(r#"src="foto.png""#), "{html}");
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            html.contains(r#"<a href="//evil.example/x.png">b</a>"#),
            "{html}"
        );
        // No description: the address is the link's text.
        assert!(
            html.contains(r#"<a href="https://e.example/y.png">https://e.example/y.png</a>"#),
            "{html}"
        );
        assert!(
            !html.contains("src=\"//evil") && !html.contains("src=\"https:"),
            "{html}"
        );
    }

    #[test]
    fn heading_attributes_cannot_add_event_handlers_to_a_page_or_its_chapter() {
        let anchors = guide_anchors();
        let guide = guide_links(&anchors);
        let body = "## Read this {onclick=alert(1)}\n\n## Style {style=x .note #s}\n";
        let (page, errors, rendered) = render_es_with(body, Some(&guide), false);
        assert!(errors.is_empty(), "{errors:?}");
        let chapter = rendered.guide_html.expect("a chapter");
        for html in [&page, &chapter] {
            assert!(!html.contains("onclick"), "{html}");
            assert!(!html.contains("style"), "{html}");
        }
        assert!(page.contains(r#"<h2 id="read-this">"#), "{page}");
        assert!(page.contains(r#"<h2 id="s" class="note">"#), "{page}");
        assert!(
            chapter.contains(r#"<h2 id="p-guide-a--s" class="note">"#),
            "{chapter}"
        );
    }
}
