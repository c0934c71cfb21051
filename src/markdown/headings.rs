//! The heading adapter: every heading gets a unique id (written by the author, or made from its
//! text), and only `id` and `class` survive from its `{…}` attributes.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::Heading;
use crate::config::SlugMode;

/// Gives headings their ids and records them, in order, in `headings`. A heading's events are
/// held back until its end, since its id comes from its whole text.
///
/// Other attributes (`## Title {onclick=…}`) are dropped: Markdown without raw HTML is not
/// sanitised, so an attribute kept here would reach the page as written.
pub(crate) struct HeadingIds<'a, 'e, I> {
    events: I,
    headings: &'e mut Vec<Heading>,
    /// How a heading's text becomes its id.
    mode: SlugMode,
    /// How many times each id has been used on the page.
    seen: HashMap<String, usize>,
    /// A finished heading's events, to return.
    ready: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, 'e, I> HeadingIds<'a, 'e, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    /// Wraps `events`; headings found go to `headings`.
    pub(crate) fn new(events: I, headings: &'e mut Vec<Heading>, mode: SlugMode) -> Self {
        HeadingIds {
            events,
            headings,
            mode,
            seen: HashMap::new(),
            ready: VecDeque::new(),
        }
    }

    /// Reads a heading through its end into `ready`, with its id.
    fn heading(&mut self, start: Tag<'a>, range: Range<usize>) {
        let Tag::Heading {
            level, id, classes, ..
        } = start
        else {
            return;
        };
        let mut title = String::new();
        let mut inner = Vec::new();
        for (event, at) in self.events.by_ref() {
            match &event {
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                Event::End(TagEnd::Heading(_)) => {
                    inner.push((event, at));
                    break;
                }
                _ => {}
            }
            inner.push((event, at));
        }
        let id = match id {
            // Written by the author: kept, and taken, so that a later heading with the same
            // text gets another id.
            Some(id) => {
                *self.seen.entry(id.to_string()).or_insert(0) += 1;
                id.to_string()
            }
            None => unique_id(&mut self.seen, &anchor(&title, self.mode)),
        };
        let start = Tag::Heading {
            level,
            id: Some(CowStr::from(id.clone())),
            classes,
            attrs: Vec::new(),
        };
        self.headings.push(Heading {
            level: level as u8,
            id,
            title,
        });
        self.ready.push_back((Event::Start(start), range));
        self.ready.extend(inner);
    }
}

impl<'a, I> Iterator for HeadingIds<'a, '_, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(ready) = self.ready.pop_front() {
            return Some(ready);
        }
        match self.events.next()? {
            (Event::Start(tag @ Tag::Heading { .. }), range) => {
                self.heading(tag, range);
                self.ready.pop_front()
            }
            other => Some(other),
        }
    }
}

/// A heading's id: senda's [`slugify`], or Zola's, so that `#anchor` links written for a Zola
/// site keep working.
fn anchor(title: &str, mode: SlugMode) -> String {
    match mode {
        SlugMode::Check => slugify(title),
        SlugMode::On => match mode.apply(title) {
            slug if slug.is_empty() => "section".to_string(),
            slug => slug,
        },
        // Zola's anchors: spaces are not allowed in an id; everything else is.
        SlugMode::Safe | SlugMode::Off => title.replace(|c: char| c.is_ascii_whitespace(), "_"),
    }
}

/// An anchor id from a heading's text: lowercase letters and digits joined by hyphens.
/// Letters with accents are kept (`¿Quién puede?` -> `quién-puede`): ids may be any Unicode.
pub(crate) fn slugify(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Parser, TextMergeWithOffset};

    #[test]
    fn zola_anchors() {
        let title = "¿Quién puede pedir asilo? (2024)";
        assert_eq!(
            anchor(title, SlugMode::Check),
            "quién-puede-pedir-asilo-2024"
        );
        assert_eq!(anchor(title, SlugMode::On), "quien-puede-pedir-asilo-2024");
        assert_eq!(anchor("日本", SlugMode::On), "ri-ben");
        assert_eq!(anchor("Test (hey) ", SlugMode::Safe), "Test_(hey)_");
        assert_eq!(anchor("a b", SlugMode::Off), "a_b");
    }

    /// The headings of `markdown`, and its events after the adapter.
    fn run(markdown: &str) -> (Vec<Heading>, Vec<Event<'_>>) {
        let mut headings = Vec::new();
        let parser = Parser::new_ext(markdown, crate::markdown::options()).into_offset_iter();
        let events = HeadingIds::new(
            TextMergeWithOffset::new(parser),
            &mut headings,
            SlugMode::Check,
        )
        .map(|(e, _)| e)
        .collect();
        (headings, events)
    }

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
    fn ids_come_from_the_whole_text_and_never_repeat() {
        let (headings, _) =
            run("## Plazos `y` *fechas*\n\n## Plazos {#plazos-y-fechas}\n\n## Otro\n");
        let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        // The author's id is kept even when the text of an earlier heading took it.
        assert_eq!(ids, ["plazos-y-fechas", "plazos-y-fechas", "otro"]);
        assert_eq!(headings[0].title, "Plazos y fechas");
        assert_eq!(headings[0].level, 2);
        let (headings, _) = run("# A\n\n# A\n\n# A\n");
        let ids: Vec<&str> = headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2"]);
    }

    #[test]
    fn only_id_and_class_survive_from_heading_attributes() {
        let (_, events) = run("## Read this {onclick=alert(1) .note style=x #here}\n");
        let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &events[0]
        else {
            panic!("{events:?}")
        };
        assert_eq!(id.as_deref(), Some("here"));
        assert_eq!(classes, &[CowStr::from("note")]);
        assert!(attrs.is_empty(), "{attrs:?}");
    }
}
