//! Markdown to HTML: pulldown-cmark events, transformed by adapters (facts and tables, `@/`
//! links, heading anchors, glossary links), raw HTML sanitised.

pub mod glossary;

use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::diag::Report;
use crate::facts::{Facts, Formatter};

/// What a page's Markdown needs from the rest of the site.
pub struct Env<'a> {
    /// The page's language.
    pub lang: &'a str,
    /// Resolves an `@/` key (`guide/x.md`) to the URL of that page in `lang`.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Whether a root-relative path (`/en/x/`, without the base path) is a file of the output.
    pub exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// Path part of the base URL (`/` or `/repo/`).
    pub base_path: &'a str,
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
    /// The site's processed pictures: `None` leaves images as written (tests of links).
    pub images: Option<&'a crate::images::markup::PageImages<'a>>,
}

/// How a page's links and ids change when it is a chapter of the one-page guide, where every
/// page of the site shares one HTML page.
#[derive(Debug)]
pub struct GuideLinks<'a> {
    /// URL path of each page in the guide (`/repo/es/guia/x/`, as links to it are written)
    /// -> its anchor in the guide (`#p-guide-x`); glossary entries included.
    pub anchors: &'a HashMap<String, String>,
    /// The chapter's anchor, without `#`: every id in the chapter starts with it and `--`,
    /// so that two chapters' ids never collide.
    pub prefix: &'a str,
    /// URL path of the page itself (`/repo/es/guia/x/`), against which relative links and
    /// images resolve.
    pub page: &'a str,
}

/// A page's Markdown, rendered.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
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

/// The Markdown extensions senda reads.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders the body of `page`. Problems go to `env.report` with the page's file and line.
pub fn render(page: &Page, env: &Env<'_>) -> Rendered {
    render_text(page, page.body(), page.body_start, env)
}

/// Renders one line of Markdown from a page's front matter (a recommendation, a step, an
/// answer): facts and links work there too. The outer `<p>` is removed.
pub fn render_inline(page: &Page, text: &str, env: &Env<'_>) -> Rendered {
    // Front-matter text has no place in the body: report problems at the key's line.
    let mut r = render_text(page, text, usize::MAX, env);
    let html = r.html.trim();
    let html = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html);
    r.html = html.to_string();
    r
}

fn render_text(page: &Page, text: &str, offset: usize, env: &Env<'_>) -> Rendered {
    let line_of = |range: &Range<usize>| {
        if offset == usize::MAX {
            crate::content::front_line(&page.source, text)
        } else {
            crate::diag::line_of(&page.source, offset + range.start)
        }
    };
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut has_raw_html = false;
    let mut in_code_block = false;
    let mut heading_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut pending_text: Option<(CowStr<'_>, Range<usize>)> = None;
    // Fact tables of the page: their HTML, and the same table with the guide's ids.
    let mut tables: Vec<(String, String)> = Vec::new();
    let mut pictures = env
        .images
        .map(|images| crate::images::markup::Pictures::new(images, page, env.report));

    let parser = Parser::new_ext(text, options()).into_offset_iter();
    // Adjacent text events are merged first: a fact name such as `claims_2023` can be split
    // where pulldown-cmark saw a possible emphasis delimiter.
    let mut merged: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(text.len() / 16);
    for (event, range) in parser {
        match event {
            // A lone text stays borrowed from the source; only a second one allocates.
            Event::Text(t) => match pending_text.take() {
                Some((buf, r)) => {
                    let mut joined = buf.into_string();
                    joined.push_str(&t);
                    pending_text = Some((joined.into(), r.start..range.end));
                }
                None => pending_text = Some((t, range)),
            },
            other => {
                if let Some((buf, r)) = pending_text.take() {
                    merged.push((Event::Text(buf), r));
                }
                merged.push((other, range));
            }
        }
    }
    if let Some((buf, r)) = pending_text.take() {
        merged.push((Event::Text(buf), r));
    }

    let mut i = 0;
    while i < merged.len() {
        // Taken, not cloned: each event is looked at once (the table check below only peeks
        // at the ones after it).
        let (event, range) = std::mem::replace(&mut merged[i], (Event::SoftBreak, 0..0));
        i += 1;
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                events.push(event);
            }
            // A table on a line of its own: `{{ table name }}` alone in a paragraph.
            Event::Start(Tag::Paragraph)
                if matches!(merged.get(i), Some((Event::Text(t), _)) if directive(t).is_some_and(|(kind, _)| kind == "table"))
                    && matches!(merged.get(i + 1), Some((Event::End(TagEnd::Paragraph), _))) =>
            {
                let (Event::Text(t), r) = &merged[i] else {
                    unreachable!()
                };
                let (_, name) = directive(t).unwrap_or_default();
                match env.facts.lookup_table(name) {
                    Some(table) => {
                        out.facts.insert(name.to_string());
                        let html = table.to_html(env.lang, env.format, None);
                        if let Some(guide) = env.guide {
                            let ids = Some(guide.prefix);
                            tables.push((html.clone(), table.to_html(env.lang, env.format, ids)));
                        }
                        events.push(Event::Html(html.into()));
                    }
                    None => env.report.error(
                        page.diagnostic(line_of(r), format!("unknown table `{name}`"))
                            .help(env.facts.unknown_fact_message(name)),
                    ),
                }
                i += 2;
            }
            Event::Text(t) if !in_code_block && t.contains("{{") => {
                let replaced = replace_facts(&t, |name, kind| {
                    if kind == "table" {
                        env.report.error(page.diagnostic(line_of(&range), format!("the table `{name}` must stand on a line of its own"))
                            .help("put {{ table NAME }} alone in its own paragraph, with an empty line before and after"));
                        return String::new();
                    }
                    if kind != "fact" {
                        env.report.error(
                            page.diagnostic(
                                line_of(&range),
                                format!("unknown directive `{{{{ {kind} {name} }}}}`"),
                            )
                            .help(
                                "write {{ fact NAME }} for a fact or {{ table NAME }} for a table",
                            ),
                        );
                        return String::new();
                    }
                    match env.facts.lookup(name) {
                        Some(fact) => {
                            out.facts.insert(name.to_string());
                            env.format.value(&fact.value, env.lang)
                        }
                        None => {
                            env.report.error(
                                page.diagnostic(line_of(&range), format!("unknown fact `{name}`"))
                                    .help(env.facts.unknown_fact_message(name)),
                            );
                            String::new()
                        }
                    }
                });
                push_text(&mut events, &mut heading, replaced.into());
            }
            Event::Text(t) => push_text(&mut events, &mut heading, t),
            Event::Code(ref t) => {
                if let Some(h) = &mut heading {
                    h.texts.push(t.clone());
                }
                events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(OpenHeading {
                    start: events.len(),
                    id,
                    texts: Vec::new(),
                    attrs,
                });
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(OpenHeading {
                    start,
                    id,
                    texts,
                    attrs,
                }) = heading.take()
                {
                    let title: String = texts.concat();
                    let id = match id {
                        // Written by the author: kept, and taken, so that a later heading
                        // with the same text gets another id.
                        Some(id) => {
                            *heading_ids.entry(id.to_string()).or_insert(0) += 1;
                            id.to_string()
                        }
                        None => unique_id(&mut heading_ids, &slugify(&title)),
                    };
                    if let Event::Start(Tag::Heading { classes, .. }) = &events[start] {
                        events[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(id.clone().into()),
                            classes: classes.clone(),
                            attrs,
                        });
                    }
                    out.headings.push(Heading {
                        level: level as u8,
                        id,
                        title,
                    });
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = check_link(page, env, &dest_url, false, &|| line_of(&range), &mut out);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                ref dest_url,
                ref title,
                ..
            }) if pictures.is_some() && crate::images::markup::is_local(dest_url) => {
                let (alt, end) = crate::images::markup::alt_of(&merged, i);
                i = end;
                if let Some(pictures) = &mut pictures {
                    let written = pictures.picture(dest_url, Some(&alt), title, line_of(&range));
                    if let Some(chapter) = written.chapter {
                        tables.push((written.page.clone(), chapter));
                    }
                    events.push(Event::Html(written.page.into()));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = check_link(page, env, &dest_url, true, &|| line_of(&range), &mut out);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.into(),
                    title,
                    id,
                }));
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                has_raw_html = true;
                let foreign = foreign_resources(html);
                for url in &foreign {
                    env.report.error(
                        page.diagnostic(line_of(&range), format!("this HTML loads `{url}` from another website"))
                            .help("readers' phones must not contact other websites: save the file in content/ beside the page and use its name"),
                    );
                }
                match &mut pictures {
                    Some(pictures)
                        if foreign.is_empty() && crate::images::markup::has_img(html) =>
                    {
                        let (html, chapter) = pictures.raw_html(html, line_of(&range));
                        if let Some(chapter) = chapter {
                            tables.push((html.clone(), chapter));
                        }
                        events.push(Event::Html(html.into()));
                    }
                    _ => events.push(event),
                }
            }
            other => events.push(other),
        }
    }

    out.image_bytes = pictures.map_or(0, |p| p.bytes);
    let events: Vec<Event<'_>> = match env.glossary {
        Some(matcher) => {
            let mut linker = glossary::link_terms(events.into_iter(), matcher, env.this_entry);
            let linked = (&mut linker).collect();
            out.terms = linker.linked().iter().map(|s| s.to_string()).collect();
            linked
        }
        None => events,
    };
    // Markdown without raw HTML cannot produce a script or a foreign resource (links and
    // images were checked above), so only pages that contain raw HTML pay for sanitising.
    let clean = |html: String| {
        if has_raw_html {
            SANITIZER.clean(&html).to_string()
        } else {
            html
        }
    };
    let Some(guide) = env.guide else {
        out.html = clean(write_html(
            events.into_iter(),
            text.len(),
            env.compact,
            None,
        ));
        out.raw_html = has_raw_html;
        return out;
    };
    // The guide's chapter differs from the page only in the events `rewrite` changes. When
    // each of those writes the same HTML on its own as in the page (a heading's or a link's
    // start tag, a table), the chapter is the page's HTML with those pieces swapped;
    // otherwise (images, footnotes, which pulldown-cmark writes with what follows them) the
    // chapter is written in full.
    let changed: Vec<(usize, Event<'_>)> = events
        .iter()
        .enumerate()
        .filter_map(|(k, e)| guide.rewrite(e, &tables).map(|r| (k, r)))
        .collect();
    let alone = |e: &Event<'_>| {
        matches!(
            e,
            Event::Start(Tag::Heading { .. } | Tag::Link { .. }) | Event::Html(_)
        )
    };
    let (html, chapter) = if changed.iter().all(|(_, e)| alone(e)) {
        let mut marks = Vec::with_capacity(events.len() + 1);
        let html = write_html(
            events.into_iter(),
            text.len(),
            env.compact,
            Some(&mut marks),
        );
        let mut chapter = String::with_capacity(html.len() + changed.len() * 16);
        let mut copied = 0;
        for (k, event) in changed {
            chapter.push_str(&html[copied..marks[k]]);
            chapter.push_str(&write_html(std::iter::once(event), 64, env.compact, None));
            copied = marks[k + 1];
        }
        chapter.push_str(&html[copied..]);
        (html, chapter)
    } else {
        let mut changed = changed.into_iter().peekable();
        let chapter =
            events
                .iter()
                .enumerate()
                .map(|(k, e)| match changed.next_if(|(at, _)| *at == k) {
                    Some((_, changed)) => changed,
                    None => e.clone(),
                });
        let chapter = write_html(chapter, text.len(), env.compact, None);
        (
            write_html(events.into_iter(), text.len(), env.compact, None),
            chapter,
        )
    };
    out.html = clean(html);
    out.guide_html = Some(clean(chapter));
    out.raw_html = has_raw_html;
    out
}

impl GuideLinks<'_> {
    /// The event as the guide's chapter writes it, when it differs from the page's: ids
    /// prefixed, links to pages of the guide turned into links to their chapters, relative
    /// URLs resolved against the page's own.
    fn rewrite<'e>(&self, event: &Event<'e>, tables: &[(String, String)]) -> Option<Event<'e>> {
        let prefixed = |id: &str| CowStr::from(format!("{}--{id}", self.prefix));
        let changed = match event {
            Event::Start(Tag::Heading {
                level,
                id: Some(id),
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: *level,
                id: Some(prefixed(id)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type: *link_type,
                dest_url: self.url(dest_url, true)?,
                title: title.clone(),
                id: id.clone(),
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: self.url(dest_url, false)?,
                title: title.clone(),
                id: id.clone(),
            }),
            Event::FootnoteReference(name) => Event::FootnoteReference(prefixed(name)),
            Event::Start(Tag::FootnoteDefinition(name)) => {
                Event::Start(Tag::FootnoteDefinition(prefixed(name)))
            }
            Event::Html(html) => {
                let (_, chapter) = tables.iter().find(|(page, _)| **page == **html)?;
                Event::Html(chapter.clone().into())
            }
            _ => return None,
        };
        Some(changed)
    }

    /// A link's destination inside the guide, when it differs from the page's; `page_link`:
    /// it may point to a chapter.
    fn url<'e>(&self, dest: &str, page_link: bool) -> Option<CowStr<'e>> {
        if let Some(fragment) = dest.strip_prefix('#') {
            return Some(format!("#{}--{fragment}", self.prefix).into());
        }
        let (path, fragment) = match dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (dest, None),
        };
        if page_link && let Some(anchor) = self.anchors.get(path) {
            return Some(match fragment {
                Some(fragment) => format!("{anchor}--{fragment}").into(),
                None => anchor.clone().into(),
            });
        }
        if !dest.is_empty() && !dest.starts_with('/') && scheme(dest).is_none() {
            return Some(format!("{}{dest}", self.page).into());
        }
        None
    }
}

/// Writes events as HTML, compactly: pulldown-cmark puts a line break after every block,
/// which a minifier would only remove again. Running minify-html over every page's body was
/// a fifth of a large build; writing it compact in the first place costs nothing.
///
/// Line breaks are dropped from everything pulldown-cmark writes except code blocks and raw
/// HTML, which are written as they are. That is safe because outside code blocks CommonMark
/// text holds no line break: the break between two lines of a paragraph is a `SoftBreak`
/// event, written here as the space it means.
///
/// Without `compact`, pulldown-cmark's own layout is kept.
///
/// `marks`, when given, receives where each event's HTML begins, and the end.
fn write_html<'a>(
    events: impl Iterator<Item = Event<'a>>,
    size_hint: usize,
    compact: bool,
    mut marks: Option<&mut Vec<usize>>,
) -> String {
    /// The output; drops line breaks unless `verbatim` is set. Bytes, not `fmt::Write`:
    /// pulldown-cmark's `fmt` writer checks every small piece it writes for UTF-8.
    struct Compact<'s> {
        out: &'s mut Vec<u8>,
        verbatim: &'s Cell<bool>,
        /// The length of `out`, for `marks`.
        written: &'s Cell<usize>,
    }
    impl std::io::Write for Compact<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.verbatim.get() || !bytes.contains(&b'\n') {
                self.out.extend_from_slice(bytes);
            } else {
                for part in bytes.split(|&b| b == b'\n') {
                    self.out.extend_from_slice(part);
                }
            }
            self.written.set(self.out.len());
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut html = Vec::with_capacity(size_hint * 3 / 2);
    let verbatim = Cell::new(!compact);
    let written = Cell::new(0);
    let mut in_code = false;
    // The writer asks for the next event only when it has written the previous one, so the
    // flag set here holds while the event it describes is written, and the length of the
    // output is where the event's HTML begins.
    let events = events.map(|event| {
        if let Some(marks) = marks.as_deref_mut() {
            marks.push(written.get());
        }
        if !compact {
            return event;
        }
        let (event, keep) = match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                (event, false)
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                (event, false)
            }
            Event::Text(_) if in_code => (event, true),
            Event::Html(_) | Event::InlineHtml(_) => (event, true),
            Event::SoftBreak => (Event::Text(CowStr::Borrowed(" ")), false),
            Event::Text(text) if text.contains('\n') => {
                (Event::Text(text.replace('\n', " ").into()), false)
            }
            other => (other, false),
        };
        verbatim.set(keep);
        event
    });
    let writer = Compact {
        out: &mut html,
        verbatim: &verbatim,
        written: &written,
    };
    // Writing into memory cannot fail.
    let _ = pulldown_cmark::html::write_html_io(writer, events);
    if let Some(marks) = marks {
        marks.push(html.len());
    }
    // Every piece was a `str`, and only whole `\n` bytes were dropped: this is UTF-8.
    String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A heading whose events are being collected: its id comes from its whole text.
struct OpenHeading<'a> {
    /// Index of its start event.
    start: usize,
    /// Id written in the Markdown (`## Title {#id}`).
    id: Option<CowStr<'a>>,
    /// Its text so far.
    texts: Vec<CowStr<'a>>,
    /// Other attributes written in the Markdown.
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
}

/// Text inside a heading is also collected for the heading's id.
fn push_text<'a>(
    events: &mut Vec<Event<'a>>,
    heading: &mut Option<OpenHeading<'a>>,
    text: CowStr<'a>,
) {
    if let Some(h) = heading {
        h.texts.push(text.clone());
    }
    events.push(Event::Text(text));
}

/// `{{ fact name }}` -> (`fact`, `name`), when `text` is exactly one directive.
fn directive(text: &str) -> Option<(&str, &str)> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    let mut words = inner.split_whitespace();
    let kind = words.next()?;
    let name = words.next()?;
    words.next().is_none().then_some((kind, name))
}

/// Replaces every `{{ kind name }}` in `text` by `value(name, kind)`.
fn replace_facts(text: &str, mut value: impl FnMut(&str, &str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + len];
        let mut words = inner.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some(kind), Some(name), None) => out.push_str(&value(name, kind)),
            _ => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Checks a link or image destination and returns the URL to write.
fn check_link(
    page: &Page,
    env: &Env<'_>,
    dest: &str,
    image: bool,
    // Counting lines is only worth it for a link that needs a message or a later check.
    line: &dyn Fn() -> usize,
    out: &mut Rendered,
) -> String {
    if let Some(target) = dest.strip_prefix("@/") {
        let (key, fragment) = match target.split_once('#') {
            Some((key, fragment)) => (key, Some(fragment)),
            None => (target, None),
        };
        let Some(url) = (env.resolve)(key) else {
            env.report.error(
                page.diagnostic(line(), format!("link to `@/{key}`: there is no such page"))
                    .help("an @/ link names a file under content/, with .md: @/guide/apply-in-mexico.md"),
            );
            return dest.to_string();
        };
        return match fragment {
            Some(fragment) => {
                out.fragment_links
                    .push((url.clone(), fragment.to_string(), line()));
                format!("{url}#{fragment}")
            }
            None => url,
        };
    }
    let lower = dest.to_ascii_lowercase();
    let scheme = scheme(&lower);
    if lower.starts_with("//") || scheme.is_some_and(|s| s == "http" || s == "https") {
        if image {
            env.report.error(
                page.diagnostic(line(), format!("the image `{dest}` is on another website"))
                    .help("readers' phones must not contact other websites: save the image in content/ beside the page and link to it by its file name"),
            );
        }
        return dest.to_string();
    }
    if let Some(scheme) = scheme {
        if image || !matches!(scheme, "mailto" | "tel") {
            env.report.error(
                page.diagnostic(
                    line(),
                    format!("the link `{dest}` uses `{scheme}:`, which is not allowed"),
                )
                .help("links may start with https://, http://, mailto:, tel:, / or @/"),
            );
            return "#".to_string();
        }
        return dest.to_string();
    }
    if let Some(path) = dest.strip_prefix('/') {
        let path_only = path.split(['#', '?']).next().unwrap_or_default();
        if !(env.exists)(path_only) {
            env.report.error(
                page.diagnostic(
                    line(),
                    format!("link to `{dest}`: no page or file has that address"),
                )
                .help("to link to a page, use its file: @/guide/apply-in-mexico.md"),
            );
        }
        return format!("{}{path}", env.base_path);
    }
    dest.to_string()
}

/// The scheme of a URL (`https`, `mailto`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
    })
}

/// URLs on other hosts that raw HTML would load (images, media, frames, styles): the
/// sanitiser would drop them, but silently, leaving a broken element; better to say so.
fn foreign_resources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        for name in ["src", "srcset", "poster", "data", "background"] {
            if let Some(value) = tag.attributes.get(name.as_bytes()) {
                let value = String::from_utf8_lossy(value).trim().to_string();
                let lower = value.to_ascii_lowercase();
                if lower.starts_with("//")
                    || lower.contains("http://")
                    || lower.contains("https://")
                {
                    found.push(value);
                }
            }
        }
    }
    found
}

/// An anchor id from a heading's text: lowercase letters and digits joined by hyphens.
/// Letters with accents are kept (`¿Quién puede?` -> `quién-puede`): ids may be any Unicode.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn unique_id(seen: &mut HashMap<String, usize>, id: &str) -> String {
    let n = seen.entry(id.to_string()).or_insert(0);
    *n += 1;
    if *n == 1 {
        id.to_string()
    } else {
        format!("{id}-{}", *n - 1)
    }
}

/// Raw HTML in Markdown may format text; it may not run code, load from other hosts or
/// restyle the page.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir", "title"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("td", ["data-label"])
        // senda's own fact tables are a labelled, focusable region (keyboard scrolling).
        .add_tag_attributes("div", ["role", "aria-labelledby", "tabindex"])
        // The markup of processed pictures (crate::images::markup), which replaces a raw
        // <img> before sanitising.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tags([
            "picture",
            "source",
            "section",
            "aside",
            "figure",
            "figcaption",
            "details",
            "summary",
            "mark",
        ])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            let foreign = value.starts_with("//") || value.contains("://");
            if foreign && (attribute == "src" || attribute == "srcset" || element == "img") {
                None
            } else {
                Some(value.into())
            }
        });
    b
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("¿Quién puede pedir asilo?"),
            "quién-puede-pedir-asilo"
        );
        assert_eq!(slugify("Step 1: arrive"), "step-1-arrive");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn directives() {
        assert_eq!(directive(" {{ table a.b }} "), Some(("table", "a.b")));
        assert_eq!(directive("{{ table a.b }} and more"), None);
        let s = replace_facts("In {{ fact a.x }} and {{fact b.y}}.", |n, k| {
            format!("[{k}:{n}]")
        });
        assert_eq!(s, "In [fact:a.x] and [fact:b.y].");
        assert_eq!(
            replace_facts("{{ broken", |_, _| String::new()),
            "{{ broken"
        );
    }

    /// Renders `body` as the Spanish page `content/guide/a.es.md`, whose front matter is
    /// three lines long, in a site with base path `/repo/` where `@/guide/b.md` exists and
    /// `/es/guia/b/` is a page. Returns the HTML and the problems found.
    fn render_es(body: &str) -> (String, Vec<crate::diag::Diagnostic>, Rendered) {
        render_es_with(body, None, false)
    }

    fn render_es_with(
        body: &str,
        guide: Option<&GuideLinks<'_>>,
        compact: bool,
    ) -> (String, Vec<crate::diag::Diagnostic>, Rendered) {
        let source = format!("+++\ntitle = \"A\"\n+++\n{body}");
        let page = Page {
            key: "guide/a.md".into(),
            lang: "es".into(),
            file: std::path::PathBuf::from("content/guide/a.es.md"),
            kind: crate::content::Kind::Page,
            dir: "guide".into(),
            slug: "a".into(),
            front: crate::content::FrontMatter::default(),
            body_start: source.len() - body.len(),
            source,
        };
        let resolve = |key: &str| (key == "guide/b.md").then(|| "/repo/es/guia/b/".to_string());
        let exists = |path: &str| path == "es/guia/b/";
        let facts = Facts::default();
        let format = Formatter::new("es-MX").expect("a locale");
        let report = Report::default();
        let env = Env {
            lang: "es",
            resolve: &resolve,
            exists: &exists,
            base_path: "/repo/",
            facts: &facts,
            format: &format,
            glossary: None,
            this_entry: None,
            report: &report,
            guide,
            compact,
            images: None,
        };
        let rendered = render(&page, &env);
        let errors = report.check().map_or_else(|e| e.0, |()| Vec::new());
        (rendered.html.clone(), errors, rendered)
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
    fn images_must_come_from_the_site() {
        let (html, errors, _) = render_es("![a](foto.png)\n\n![b](//evil.example/x.png)\n");
        assert!(html.contains(r#"src="foto.png""#), "{html}");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 6);
    }

    #[test]
    fn sanitizer_removes_scripts_and_foreign_resources() {
        let html = SANITIZER
            .clean(r#"<p onclick="x()">Hi<script>alert(1)</script><img src="https://evil.example/t.png"><a href="javascript:alert(1)">x</a><img src="local.png"></p>"#)
            .to_string();
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("local.png"), "{html}");
    }
}
