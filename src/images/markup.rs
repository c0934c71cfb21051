//! The Markdown side of pictures: `![alt](map.png "title")` and raw-HTML `<img>` become the
//! `<picture>` (or tap-to-load link) that uses the processed files; alt text is checked, and
//! the page's picture bytes are weighed against the budget.

use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::{Catalogue, Image, Kind, Settings};
use crate::content::Page;
use crate::diag::Report;

/// Whether a description says "this picture is decorative, on purpose": `![""](line.png)`.
/// Smart punctuation turns the quotes into `“”`, so any pair of double quotes counts.
pub(crate) fn is_decorative(alt: &str) -> bool {
    let alt = alt.trim();
    alt.chars().count() == 2 && alt.chars().all(|c| matches!(c, '"' | '“' | '”' | '„'))
}

/// What a page's pictures need from the rest of the site.
pub(crate) struct PageImages<'a> {
    /// Every processed picture.
    pub catalogue: &'a Catalogue,
    /// Widths, budget, thresholds.
    pub settings: &'a Settings,
    /// Path part of the base URL (`/` or `/repo/`).
    pub base_path: &'a str,
    /// "Show picture (85 KB)", in the page's language, for a size in bytes.
    pub show_picture: &'a (dyn Fn(u64) -> String + Sync),
    /// "Show animation (340 KB)", likewise.
    pub show_animation: &'a (dyn Fn(u64) -> String + Sync),
    /// The default-language page a translation comes from: its descriptions must not be
    /// reused as they are. `None` for a page in the default language and for a fallback.
    pub source: Option<&'a Page>,
    /// Whether a path below the site's root is a file of the output: a picture published
    /// under its own name but not processed (a theme's `static/` picture) is shown as it is.
    pub exists: &'a (dyn Fn(&str) -> bool + Sync),
    /// Whether a missing picture or description is an error or a warning.
    pub checks: crate::config::Checks,
}

/// One picture as the page writes it, and as the one-page guide does when that differs.
#[derive(Debug)]
pub(crate) struct Written {
    /// The page's markup.
    pub page: String,
    /// The guide's markup, when the picture is too heavy to embed there.
    pub chapter: Option<String>,
}

/// The pictures of one page being rendered: what they weigh so far.
pub(crate) struct Pictures<'a> {
    env: &'a PageImages<'a>,
    page: &'a Page,
    report: &'a Report,
    /// Bytes a phone loads for this page's pictures.
    pub bytes: u64,
    warned: bool,
    source_alts: OnceCell<Vec<(String, String)>>,
}

impl<'a> Pictures<'a> {
    /// Starts the pictures of `page`.
    pub(crate) fn new(env: &'a PageImages<'a>, page: &'a Page, report: &'a Report) -> Pictures<'a> {
        Pictures {
            env,
            page,
            report,
            bytes: 0,
            warned: false,
            source_alts: OnceCell::new(),
        }
    }

    /// The markup of a picture `dest` with description `alt` (`None`: no `alt` at all) at
    /// `line`; problems go to the report.
    pub(crate) fn picture(
        &mut self,
        dest: &str,
        alt: Option<&str>,
        title: &str,
        line: usize,
    ) -> Written {
        // `/repo/img/a.png`, written with the site's base path, is `/img/a.png`.
        let dest = match dest.strip_prefix(self.env.base_path) {
            Some(below) if self.env.base_path != "/" => format!("/{below}"),
            _ => dest.to_string(),
        };
        let dest = dest.as_str();
        let rel = resolve(&folder(self.page), dest);
        let Some(image) = self.env.catalogue.get(&rel, &self.page.lang) else {
            if dest.starts_with('/') && super::is_picture(&rel) && (self.env.exists)(&rel) {
                return Written {
                    page: self.as_is(&rel, dest, alt, title, line),
                    chapter: None,
                };
            }
            self.env.checks.links.report(
                self.report,
                self.page
                    .diagnostic(line, format!("there is no picture `{dest}` (looked for content/{rel} and static/{rel})"))
                    .help("put the file beside the page's file, or check the spelling: names are case-sensitive"),
            );
            return Written {
                page: String::new(),
                chapter: None,
            };
        };
        let alt = self.alt(dest, alt, line);
        let settings = self.env.settings;
        let phone = image.phone().bytes;
        let page = if phone > settings.tap_to_load {
            self.tap(image, alt)
        } else {
            self.weigh(phone, line);
            self.embed(image, alt, title)
        };
        let chapter = (phone > settings.guide_embed).then(|| self.tap(image, alt));
        Written { page, chapter }
    }

    /// The picture's description, checked: present (or marked decorative), and translated.
    fn alt<'t>(&self, dest: &str, alt: Option<&'t str>, line: usize) -> &'t str {
        let alt = match alt.map(str::trim) {
            Some(alt) if is_decorative(alt) => "",
            Some(alt) if !alt.is_empty() => alt,
            _ => {
                self.env.checks.alt_text.report(
                    self.report,
                    self.page
                        .diagnostic(line, format!("the picture `{dest}` has no description (alt text)"))
                        .help("write what it shows between the brackets, for readers who cannot see it: ![The COMAR office in Tapachula](comar.jpg). For a purely decorative picture write ![\"\"](line.png)"),
                );
                ""
            }
        };
        self.check_translated(dest, alt, line);
        alt
    }

    /// A picture published under its own name but not processed (a theme's, `rel` below the
    /// site's root): not made smaller, nor weighed. The site's `static/` pictures are
    /// processed like those of `content/`.
    fn as_is(&self, rel: &str, dest: &str, alt: Option<&str>, title: &str, line: usize) -> String {
        let alt = self.alt(dest, alt, line);
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        format!(
            "<img src=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
            escape(&self.url(rel)),
            escape(alt)
        )
    }

    fn weigh(&mut self, bytes: u64, line: usize) {
        self.bytes += bytes;
        let budget = self.env.settings.page_budget;
        if self.bytes > budget && !self.warned {
            self.warned = true;
            self.report.warn(
                self.page
                    .diagnostic(line, format!(
                        "with this picture the page's pictures weigh {} on a phone, over the budget of {}",
                        kilobytes(self.bytes), kilobytes(budget)
                    ))
                    .help("use fewer or smaller pictures (crop them), or raise page_budget_kb under [images] in site.toml"),
            );
        }
    }

    /// A translation that keeps its source's description word for word.
    fn check_translated(&self, dest: &str, alt: &str, line: usize) {
        let Some(source) = self.env.source else {
            return;
        };
        if alt.is_empty() {
            return;
        }
        let alts = self.source_alts.get_or_init(|| alt_texts(source.body()));
        if alts.iter().any(|(d, a)| d == dest && a == alt) {
            self.report.warn(
                self.page
                    .diagnostic(
                        line,
                        format!(
                            "the description of `{dest}` is the one in `{}`, not translated",
                            source.file.display()
                        ),
                    )
                    .help("translate the text between ![ and ] (or the alt=\"…\" of an <img>)"),
            );
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.env.base_path)
    }

    fn embed(&self, image: &Image, alt: &str, title: &str) -> String {
        let largest = image.largest();
        let title = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(title))
        };
        let img = |src: &str| {
            format!(
                "<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"{title} loading=\"lazy\" decoding=\"async\">",
                self.url(src),
                largest.width,
                largest.height,
                escape(alt)
            )
        };
        let Some(fallback) = &image.fallback else {
            return img(&largest.path);
        };
        let srcset: Vec<String> = image
            .variants
            .iter()
            .map(|v| format!("{} {}w", self.url(&v.path), v.width))
            .collect();
        let mut out = format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"(max-width: 42rem) 100vw, 40rem\">{}</picture>",
            srcset.join(", "),
            img(&fallback.path)
        );
        if let (Kind::Animated, Some(animation)) = (image.kind, &image.animation) {
            out.push_str(&format!(
                " <a href=\"{}\">{}</a>",
                self.url(&animation.path),
                escape(&(self.env.show_animation)(animation.bytes))
            ));
        }
        out
    }

    /// The description and a link to the picture, for a reader to load it on purpose.
    fn tap(&self, image: &Image, alt: &str) -> String {
        let phone = image.phone();
        format!(
            "<span class=\"tap\">{}{}<a href=\"{}\">{}</a></span>",
            escape(alt),
            if alt.is_empty() { "" } else { " " },
            self.url(&phone.path),
            escape(&(self.env.show_picture)(phone.bytes))
        )
    }

    /// Raw HTML with its `<img>` tags replaced by their pictures.
    pub(crate) fn raw_html(&mut self, html: &str, line: usize) -> (String, Option<String>) {
        let mut page = String::with_capacity(html.len() * 2);
        let mut chapter = String::new();
        let mut differs = false;
        for token in html5gum::Tokenizer::new(html).flatten() {
            let piece = match token {
                html5gum::Token::StartTag(tag) if &tag.name[..] == b"img" => {
                    let attr = |name: &str| {
                        tag.attributes
                            .get(name.as_bytes())
                            .map(|v| String::from_utf8_lossy(v).into_owned())
                    };
                    let src = attr("src").unwrap_or_default();
                    if src.trim().is_empty() {
                        // Nothing to show (a theme's shortcode may write its pictures in
                        // `srcset` alone, which the raw-HTML check reports when foreign).
                        self.report.warn(
                            self.page
                                .diagnostic(line, "an `<img>` without `src` shows nothing; it is left out")
                                .help("give it the picture's file name: <img src=\"map.png\" alt=\"…\">"),
                        );
                        continue;
                    }
                    if !is_local(&src) {
                        // Another website's picture: reported by the raw-HTML check, then
                        // removed by the sanitiser.
                        continue;
                    }
                    let alt = attr("alt").map(|a| if a.is_empty() { "\"\"".into() } else { a });
                    let title = attr("title").unwrap_or_default();
                    let written = self.picture(&src, alt.as_deref(), &title, line);
                    differs |= written.chapter.is_some();
                    chapter.push_str(written.chapter.as_deref().unwrap_or(&written.page));
                    page.push_str(&written.page);
                    continue;
                }
                token => {
                    let mut piece = String::new();
                    crate::html::write_token(&mut piece, &token, |_, value| Some(value.into()));
                    piece
                }
            };
            page.push_str(&piece);
            chapter.push_str(&piece);
        }
        (page, differs.then_some(chapter))
    }
}

/// The adapter of the Markdown chain (`crate::markdown`): a local picture's events, from its
/// start to its end, become one HTML event with its `<picture>`; raw HTML with an `<img>` is
/// written again with its pictures. Without [`Pictures`] (`Env::images` is `None`), events
/// pass as they are.
pub(crate) struct PictureEvents<'e, I> {
    inner: I,
    pictures: Option<Pictures<'e>>,
    line: &'e dyn Fn(&Range<usize>) -> usize,
    /// (page markup, chapter markup) of pictures the one-page guide links instead.
    chapters: &'e mut Vec<(String, String)>,
    /// Bytes of pictures a phone loads for the page, so far.
    bytes: &'e mut u64,
}

impl<'e, I> PictureEvents<'e, I> {
    /// Wraps `inner`; `line` gives the file's line of a range of the text.
    pub(crate) fn new(
        inner: I,
        pictures: Option<Pictures<'e>>,
        line: &'e dyn Fn(&Range<usize>) -> usize,
        chapters: &'e mut Vec<(String, String)>,
        bytes: &'e mut u64,
    ) -> Self {
        PictureEvents {
            inner,
            pictures,
            line,
            chapters,
            bytes,
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for PictureEvents<'_, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (event, range) = self.inner.next()?;
        let Some(pictures) = &mut self.pictures else {
            return Some((event, range));
        };
        let (page, chapter) = match &event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if is_local(dest_url) => {
                let alt = alt_text(&mut self.inner);
                let written = pictures.picture(dest_url, Some(&alt), title, (self.line)(&range));
                (written.page, written.chapter)
            }
            Event::Html(html) | Event::InlineHtml(html) if has_img(html) => {
                pictures.raw_html(html, (self.line)(&range))
            }
            _ => return Some((event, range)),
        };
        *self.bytes = pictures.bytes;
        if let Some(chapter) = chapter {
            self.chapters.push((page.clone(), chapter));
        }
        Some((Event::Html(page.into()), range))
    }
}

/// The text of a picture's events up to its end, which is taken too: its description.
fn alt_text<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) -> String {
    let mut alt = String::new();
    let mut depth = 1;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => alt.push_str(&t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

impl PageImages<'_> {
    /// Where a link (not an image) to a picture leads, `[the map](map.png)`: the widest file
    /// made from it, as the original is not published. `None` when `dest` is no picture.
    pub(crate) fn link(&self, page: &Page, dest: &str) -> Option<String> {
        let image = self
            .catalogue
            .get(&resolve(&folder(page), dest), &page.lang)?;
        Some(format!("{}{}", self.base_path, image.largest().path))
    }
}

/// Whether raw HTML holds an `<img>` that senda must replace.
pub(crate) fn has_img(html: &str) -> bool {
    html.to_ascii_lowercase().contains("<img")
}

/// Whether a picture's address is one of the site's files (not another website's, not a
/// `data:` URL): those are left to the link checks.
pub(crate) fn is_local(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    !lower.starts_with("//")
        && !lower
            .split_once(':')
            .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The folder of a page's file below `content/` (`guide`, or `guide/post` for a bundle).
fn folder(page: &Page) -> String {
    let file = page.file.to_string_lossy().replace('\\', "/");
    let inside = file.strip_prefix("content/").unwrap_or(&file);
    inside
        .rsplit_once('/')
        .map_or(String::new(), |(dir, _)| dir.to_string())
}

/// The picture's path relative to the output: `/img/a.png` from the site's root, anything
/// else from the page's folder, `..` and `.` resolved, `%20` decoded.
fn resolve(folder: &str, dest: &str) -> String {
    let dest = dest.split(['?', '#']).next().unwrap_or_default();
    let dest = percent_encoding::percent_decode_str(dest).decode_utf8_lossy();
    let (mut parts, rest): (Vec<&str>, &str) = match dest.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (folder.split('/').filter(|s| !s.is_empty()).collect(), &dest),
    };
    for part in rest.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

/// Every picture of a Markdown text with its description: (address, alt) pairs, for
/// Markdown images and raw-HTML `<img>` alike.
pub(crate) fn alt_texts(markdown: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new_ext(markdown, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                open = Some((dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => out.extend(open.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = &mut open {
                    alt.push_str(&t);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) if has_img(&html) => {
                for token in html5gum::Tokenizer::new(&*html).flatten() {
                    if let html5gum::Token::StartTag(tag) = token
                        && &tag.name[..] == b"img"
                    {
                        let get = |n: &str| {
                            tag.attributes
                                .get(n.as_bytes())
                                .map(|v| String::from_utf8_lossy(v).into_owned())
                                .unwrap_or_default()
                        };
                        out.push((get("src"), get("alt")));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// How many descriptions of `translation` are still word for word its source's.
pub(crate) fn untranslated_alts(source: &str, translation: &str) -> usize {
    if !(translation.contains("![") || has_img(translation)) {
        return 0;
    }
    let source: BTreeSet<(String, String)> = alt_texts(source).into_iter().collect();
    alt_texts(translation)
        .into_iter()
        .filter(|(_, alt)| !alt.trim().is_empty() && !is_decorative(alt))
        .filter(|k| source.contains(k))
        .count()
}

/// `85 KB`: bytes in thousands, rounded up, as readers count data.
pub(crate) fn kilobytes(bytes: u64) -> String {
    format!("{} KB", bytes.div_ceil(1000))
}

fn escape(text: &str) -> String {
    crate::html::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_resolve_from_the_page_folder_or_the_root() {
        assert_eq!(resolve("guide", "map.png"), "guide/map.png");
        assert_eq!(
            resolve("guide/post", "./a%20b.png?x#y"),
            "guide/post/a b.png"
        );
        assert_eq!(resolve("guide/post", "../map.png"), "guide/map.png");
        assert_eq!(resolve("guide", "/img/map.png"), "img/map.png");
        assert_eq!(resolve("", "map.png"), "map.png");
        assert!(is_local("map.png") && is_local("/a/b.png"));
        assert!(
            !is_local("https://e.org/x.png")
                && !is_local("//e.org/x.png")
                && !is_local("data:image/png,x")
        );
    }

    #[test]
    fn descriptions_are_found_in_markdown_and_html() {
        let text = "![A map](map.png \"t\")\n\n<img src=\"b.jpg\" alt=\"A card\">\n\n![*Big* `x`](c.gif)\n";
        assert_eq!(
            alt_texts(text),
            vec![
                ("map.png".into(), "A map".into()),
                ("b.jpg".into(), "A card".into()),
                ("c.gif".into(), "Big x".into()),
            ]
        );
        assert_eq!(
            untranslated_alts(
                text,
                "![Un mapa](map.png)\n\n<img src=\"b.jpg\" alt=\"A card\">"
            ),
            1
        );
        assert_eq!(kilobytes(85_001), "86 KB");
    }
}
