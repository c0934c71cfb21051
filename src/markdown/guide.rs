//! A page as a chapter of the one-page guide: ids prefixed with the chapter's anchor, links to
//! other pages of the guide turned into links to their chapters, relative URLs resolved.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag};

use super::directives::Table;
use super::links::scheme;
use super::write::write_html;

/// How a page's links and ids change when it is a chapter of the one-page guide, where every
/// page of the site shares one HTML page.
#[derive(Debug)]
pub(crate) struct GuideLinks<'a> {
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

/// Writes a page's events twice: as the page, and as its chapter of the one-page guide.
///
/// The chapter differs from the page only in the events [`GuideLinks::rewrite`] changes. When
/// each of those writes the same HTML on its own as in the page (a heading's or a link's start
/// tag, a table), the chapter is the page's HTML with those pieces swapped; otherwise (images,
/// footnotes, which pulldown-cmark writes with what follows them) it is written in full.
pub(crate) fn page_and_chapter(
    events: Vec<Event<'_>>,
    guide: &GuideLinks<'_>,
    tables: &[Table],
    size_hint: usize,
    compact: bool,
) -> (String, String) {
    let changed: Vec<(usize, Event<'_>)> = events
        .iter()
        .enumerate()
        .filter_map(|(k, e)| guide.rewrite(e, tables).map(|r| (k, r)))
        .collect();
    let alone = |e: &Event<'_>| {
        matches!(
            e,
            Event::Start(Tag::Heading { .. } | Tag::Link { .. }) | Event::Html(_)
        )
    };
    if !changed.iter().all(|(_, e)| alone(e)) {
        let mut changed = changed.into_iter().peekable();
        let chapter =
            events
                .iter()
                .enumerate()
                .map(|(k, e)| match changed.next_if(|(at, _)| *at == k) {
                    Some((_, changed)) => changed,
                    None => e.clone(),
                });
        let chapter = write_html(chapter, size_hint, compact, None);
        let page = write_html(events.into_iter(), size_hint, compact, None);
        return (page, chapter);
    }
    let mut marks = Vec::with_capacity(events.len() + 1);
    let page = write_html(events.into_iter(), size_hint, compact, Some(&mut marks));
    let mut chapter = String::with_capacity(page.len() + changed.len() * 16);
    let mut copied = 0;
    for (k, event) in changed {
        let piece = &page[marks[k]..marks[k + 1]];
        let swapped = write_html(std::iter::once(event), 64, compact, None);
        // Written alone, a block starts a line; in the page, pulldown-cmark began it with a
        // line break when it followed other HTML on the same line (a heading opening a list
        // item). Keep that break.
        if piece.starts_with('\n') && !swapped.starts_with('\n') {
            chapter.push_str(&page[copied..=marks[k]]);
        } else {
            chapter.push_str(&page[copied..marks[k]]);
        }
        chapter.push_str(&swapped);
        copied = marks[k + 1];
    }
    chapter.push_str(&page[copied..]);
    (page, chapter)
}

impl GuideLinks<'_> {
    /// The event as the guide's chapter writes it, when it differs from the page's: ids
    /// prefixed, links to pages of the guide turned into links to their chapters, relative
    /// URLs resolved against the page's own.
    fn rewrite<'e>(&self, event: &Event<'e>, tables: &[Table]) -> Option<Event<'e>> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn links(anchors: &HashMap<String, String>) -> GuideLinks<'_> {
        GuideLinks {
            anchors,
            prefix: "p-a",
            page: "/es/a/",
        }
    }

    #[test]
    fn urls_inside_the_guide() {
        let anchors = [("/es/b/".to_string(), "#p-b".to_string())].into();
        let guide = links(&anchors);
        assert_eq!(guide.url("#x", true).as_deref(), Some("#p-a--x"));
        assert_eq!(guide.url("/es/b/", true).as_deref(), Some("#p-b"));
        assert_eq!(guide.url("/es/b/#y", true).as_deref(), Some("#p-b--y"));
        // An image is never a chapter; a relative one resolves against the page.
        assert_eq!(guide.url("/es/b/", false), None);
        assert_eq!(guide.url("x.png", false).as_deref(), Some("/es/a/x.png"));
        assert_eq!(guide.url("https://example.org/", true), None);
    }

    #[test]
    fn a_heading_that_opens_a_list_item_keeps_its_line_break_in_the_chapter() {
        let anchors = HashMap::new();
        let guide = links(&anchors);
        let mut headings = Vec::new();
        let parser = Parser::new_ext("- # Uno\n", crate::markdown::options()).into_offset_iter();
        let events = super::super::headings::HeadingIds::new(
            parser,
            &mut headings,
            crate::config::SlugMode::Check,
        )
        .map(|(e, _)| e)
        .collect();
        let (page, chapter) = page_and_chapter(events, &guide, &[], 16, false);
        assert_eq!(page, "<ul>\n<li>\n<h1 id=\"uno\">Uno</h1>\n</li>\n</ul>\n");
        assert_eq!(chapter, page.replace("\"uno\"", "\"p-a--uno\""));
    }
}
