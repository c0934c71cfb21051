//! The directives adapter: `{{ fact name }}` in text becomes the fact's value, a paragraph
//! that is only `{{ table name }}` becomes the table.

use std::collections::{BTreeSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Env, Place};

/// A table's HTML on the page, and the same table with the one-page guide's ids.
pub(crate) type Table = (String, String);

/// Replaces directives in a page's events (after adjacent text events are merged, so that a
/// name such as `claims_2023` is never split where pulldown-cmark saw an emphasis mark).
/// Text in code blocks is left alone.
pub(crate) struct Directives<'a, 'e, I> {
    events: I,
    env: &'e Env<'e>,
    place: &'e Place<'e>,
    /// Names of the facts and tables shown.
    shown: &'e mut BTreeSet<String>,
    /// Tables shown, when the page is also a chapter of the one-page guide.
    tables: &'e mut Vec<Table>,
    in_code: bool,
    /// Events read ahead to recognise a table's paragraph.
    ahead: VecDeque<(Event<'a>, Range<usize>)>,
}

impl<'a, 'e, I> Directives<'a, 'e, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    /// Wraps `events`; the facts and tables shown go to `shown`, a chapter's tables to `tables`.
    pub(crate) fn new(
        events: I,
        env: &'e Env<'e>,
        place: &'e Place<'e>,
        shown: &'e mut BTreeSet<String>,
        tables: &'e mut Vec<Table>,
    ) -> Self {
        Directives {
            events,
            env,
            place,
            shown,
            tables,
            in_code: false,
            ahead: VecDeque::new(),
        }
    }

    fn pull(&mut self) -> Option<(Event<'a>, Range<usize>)> {
        self.ahead.pop_front().or_else(|| self.events.next())
    }

    /// The name of the table when the paragraph just opened holds only `{{ table name }}`.
    fn table_paragraph(&mut self) -> Option<(String, Range<usize>)> {
        while self.ahead.len() < 2 {
            let next = self.events.next()?;
            self.ahead.push_back(next);
        }
        let (Event::Text(text), range) = &self.ahead[0] else {
            return None;
        };
        let (kind, name) = directive(text)?;
        if kind != "table" || !matches!(self.ahead[1].0, Event::End(TagEnd::Paragraph)) {
            return None;
        }
        let found = (name.to_string(), range.clone());
        self.ahead.drain(..2);
        Some(found)
    }

    /// The table's HTML, or `None` (reported) when there is no such table.
    fn table(&mut self, name: &str, range: &Range<usize>) -> Option<Event<'a>> {
        let env = self.env;
        let Some(table) = env.facts.lookup_table(name) else {
            env.report.error(
                self.place
                    .diagnostic(range, format!("unknown table `{name}`"))
                    .help(env.facts.unknown_fact_message(name)),
            );
            return None;
        };
        self.shown.insert(name.to_string());
        let html = table.to_html(env.lang, env.format, None);
        if let Some(guide) = env.guide {
            let ids = Some(guide.prefix);
            self.tables
                .push((html.clone(), table.to_html(env.lang, env.format, ids)));
        }
        Some(Event::Html(html.into()))
    }

    /// `text` with every `{{ fact name }}` replaced by the fact's value.
    fn facts(&mut self, text: &str, range: &Range<usize>) -> String {
        let (env, place) = (self.env, self.place);
        replace_facts(text, |name, kind| {
            if kind == "table" {
                env.report.error(place.diagnostic(range, format!("the table `{name}` must stand on a line of its own"))
                    .help("put {{ table NAME }} alone in its own paragraph, with an empty line before and after"));
                return String::new();
            }
            if kind != "fact" {
                env.report.error(
                    place
                        .diagnostic(
                            range,
                            format!("unknown directive `{{{{ {kind} {name} }}}}`"),
                        )
                        .help("write {{ fact NAME }} for a fact or {{ table NAME }} for a table"),
                );
                return String::new();
            }
            match env.facts.lookup(name) {
                Some(fact) => {
                    self.shown.insert(name.to_string());
                    env.format.value(&fact.value, env.lang)
                }
                None => {
                    env.report.error(
                        place
                            .diagnostic(range, format!("unknown fact `{name}`"))
                            .help(env.facts.unknown_fact_message(name)),
                    );
                    String::new()
                }
            }
        })
    }
}

impl<'a, I> Iterator for Directives<'a, '_, I>
where
    I: Iterator<Item = (Event<'a>, Range<usize>)>,
{
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (event, range) = self.pull()?;
            return Some(match event {
                Event::Start(Tag::CodeBlock(_)) => {
                    self.in_code = true;
                    (event, range)
                }
                Event::End(TagEnd::CodeBlock) => {
                    self.in_code = false;
                    (event, range)
                }
                Event::Start(Tag::Paragraph) => match self.table_paragraph() {
                    Some((name, at)) => match self.table(&name, &at) {
                        Some(table) => (table, range),
                        // Reported: the paragraph is left out.
                        None => continue,
                    },
                    None => (event, range),
                },
                Event::Text(text) if !self.in_code && text.contains("{{") => {
                    let replaced = self.facts(&text, &range);
                    (Event::Text(CowStr::from(replaced)), range)
                }
                other => (other, range),
            });
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::{Fixture, body_events};

    #[test]
    fn a_directive_is_one_kind_and_one_name() {
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

    #[test]
    fn facts_are_replaced_outside_code_and_unknown_ones_reported_at_their_line() {
        let fixture = Fixture::new("Uno.\n\nHoy {{ fact a.x }}.\n\n```\n{{ fact a.x }}\n```\n");
        let (env, place) = (fixture.env(None), fixture.place());
        let (mut shown, mut tables) = (BTreeSet::new(), Vec::new());
        let events: Vec<_> =
            Directives::new(body_events(&fixture), &env, &place, &mut shown, &mut tables)
                .map(|(e, _)| e)
                .collect();
        assert!(events.contains(&Event::Text("Hoy .".into())), "{events:?}");
        assert!(
            events.contains(&Event::Text("{{ fact a.x }}\n".into())),
            "{events:?}"
        );
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 6, "{}", errors[0]);
        assert!(errors[0].message.contains("unknown fact `a.x`"));
    }

    #[test]
    fn a_table_must_stand_alone_and_an_unknown_one_drops_its_paragraph() {
        let fixture = Fixture::new("{{ table t.x }}\n\nVea {{ table t.y }}.\n");
        let (env, place) = (fixture.env(None), fixture.place());
        let (mut shown, mut tables) = (BTreeSet::new(), Vec::new());
        let events: Vec<_> =
            Directives::new(body_events(&fixture), &env, &place, &mut shown, &mut tables)
                .map(|(e, _)| e)
                .collect();
        // The unknown table's paragraph is gone; the other paragraph stays, without it.
        assert_eq!(events.len(), 3, "{events:?}");
        let errors = fixture.errors();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].message.contains("unknown table `t.x`"));
        assert!(
            errors[1]
                .message
                .contains("must stand on a line of its own")
        );
    }
}
