//! Glossary links: the first mention of a glossary term in a page's text becomes a link to its entry.
//!
//! [`Matcher::new`] compiles the terms of one language once per build; [`link_terms`] wraps the
//! Markdown events of one page (the test `the_doc_example_links_the_first_mention` shows both).
//!
//! Matching rules, in order of precedence:
//!
//! - Only text outside headings, links, images, code blocks, front matter, HTML blocks and inline
//!   raw HTML elements whose content is not prose (`<a>`, `<code>`, `<pre>`, …). Inline code is a
//!   separate event, so it is never looked at. Emphasis, lists and table cells are fine.
//! - Leftmost-longest: "Migrant Protection Protocols" wins over "Migrant" when both are terms.
//! - Whole words: the characters just before and after the match must not be alphanumeric
//!   (Unicode-aware), so "asilo" is not found in "asilos" or "reasilo". When the longest match at
//!   a position is not a whole word, shorter phrases starting there are tried.
//! - Letter case is ignored, Unicode-aware: "asilo", "Asilo" and "ASILO" match; so does "ÉXITO"
//!   for "éxito". The link text is the text as written.
//! - Accents are *not* ignored: "cómo" is not "como" and "papá" is not "papa". In Spanish an
//!   accent often tells two different words apart, so folding accents would link the wrong word.
//! - First mention only: once a term (by its title or any alias) is linked on a page, later
//!   mentions stay plain text. A mention in a heading or code does not count.
//! - A glossary entry never links to itself.

use std::collections::{BTreeSet, HashMap, VecDeque};

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// One glossary entry, as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// Entry id, e.g. `comar` (the file stem); the page being rendered is compared against it.
    pub id: String,
    /// URL of the entry page in this language.
    pub url: String,
    /// Short definition, shown as the link's `title` attribute; may be empty (then no `title`).
    pub title: String,
    /// The phrases that mention the term: its title and aliases. Whitespace inside a phrase is
    /// normalized to one space, which matches one space or one soft line break in the text.
    pub phrases: Vec<String>,
}

/// The glossary terms of one language, compiled once per site build and shared by every page
/// (it is `Send + Sync`: pages render in parallel).
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    terms: Vec<Term>,
    /// For each automaton pattern, the index of the term in `terms` that owns it.
    owners: Vec<usize>,
    /// Lowercased phrases. Built ASCII-case-insensitive as well, so that ASCII text can be
    /// searched as written, without lowercasing it first.
    automaton: AhoCorasick,
}

impl Matcher {
    /// Compiles the terms of one language.
    ///
    /// Fails if two entries have the same id, if a phrase is empty, or if two entries claim the
    /// same phrase (ignoring letter case): the message names both ids and the phrase.
    pub(crate) fn new(terms: Vec<Term>) -> Result<Matcher, String> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut claimed: HashMap<String, usize> = HashMap::new();
        let mut patterns = Vec::new();
        let mut owners = Vec::new();
        for (index, term) in terms.iter().enumerate() {
            if ids.insert(&term.id, index).is_some() {
                return Err(format!("two glossary entries have the id `{}`", term.id));
            }
            for phrase in &term.phrases {
                let key = normalize(phrase);
                if key.is_empty() {
                    return Err(format!(
                        "glossary entry `{}` has an empty title or alias",
                        term.id
                    ));
                }
                match claimed.get(&key) {
                    // The same phrase twice in one entry (say, title "COMAR", alias "Comar").
                    Some(&owner) if owner == index => continue,
                    Some(&owner) => {
                        return Err(format!(
                            "glossary entries `{}` and `{}` both use the phrase \"{}\" \
                             (letter case is ignored) as title or alias; keep it in one of them",
                            terms[owner].id,
                            term.id,
                            phrase.trim()
                        ));
                    }
                    None => {}
                }
                claimed.insert(key.clone(), index);
                patterns.push(key);
                owners.push(index);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            // Anchored searches find a shorter phrase when the longest one is not a whole word.
            .start_kind(StartKind::Both)
            // A glossary has tens of terms: a DFA is small and searches fastest, and every
            // text of every page is searched with it.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|error| format!("cannot compile the glossary terms: {error}"))?;
        Ok(Matcher {
            terms,
            owners,
            automaton,
        })
    }
}

/// Trims, collapses whitespace runs to one space and lowercases a phrase.
///
/// Lowercases char by char, exactly as the text is lowercased in [`lowercase_with_map`] (so
/// `str::to_lowercase`'s special case for a word-final Greek sigma does not apply to either).
fn normalize(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len());
    for word in phrase.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Wraps a page's events so that the first mention of each term links to its entry.
///
/// `this_entry` is the id of the glossary entry being rendered, if the page is one: it does not
/// link to itself. Adjacent text events (and the soft line breaks between them) are merged
/// internally, so the caller need not use `TextMergeStream`; events that contain no term are
/// passed through unchanged.
pub(crate) fn link_terms<'a, I>(
    events: I,
    matcher: &'a Matcher,
    this_entry: Option<&str>,
) -> GlossaryLinker<'a, I>
where
    I: Iterator<Item = Event<'a>>,
{
    let mut done = vec![false; matcher.terms.len()];
    if let Some(index) = this_entry.and_then(|id| matcher.terms.iter().position(|t| t.id == id)) {
        done[index] = true;
    }
    GlossaryLinker {
        remaining: done.iter().filter(|&&d| !d).count(),
        done,
        events,
        matcher,
        linked: BTreeSet::new(),
        blocked: 0,
        raw_html: 0,
        out: VecDeque::new(),
        run: Vec::new(),
        text: String::new(),
        lower: String::new(),
        map: Vec::new(),
        found: Vec::new(),
    }
}

/// The event adapter returned by [`link_terms`].
#[derive(Debug)]
pub(crate) struct GlossaryLinker<'a, I> {
    events: I,
    matcher: &'a Matcher,
    /// Per term: already linked on this page, or the page itself.
    done: Vec<bool>,
    /// Terms not yet `done`; at zero the adapter only passes events through.
    remaining: usize,
    linked: BTreeSet<&'a str>,
    /// Depth of open elements whose text is never linked (headings, links, code blocks, …).
    blocked: usize,
    /// Depth of open inline raw HTML elements such as `<a>` or `<code>`.
    raw_html: usize,
    /// Events ready to be returned.
    out: VecDeque<Event<'a>>,
    // Scratch buffers, reused for every run so that a page allocates them once.
    /// A run of adjacent `Text` and `SoftBreak` events, each with its offset in `text`.
    run: Vec<(usize, Event<'a>)>,
    /// The run's text; a soft break counts as one space.
    text: String,
    /// `text` lowercased, when it is not ASCII.
    lower: String,
    /// For each byte of `lower`, the offset in `text` of the char it comes from; plus `text.len()`.
    map: Vec<usize>,
    /// Mentions to link in the current run: start and end in `text`, term index.
    found: Vec<(usize, usize, usize)>,
}

impl<'a, I> GlossaryLinker<'a, I> {
    /// Ids of the entries linked so far (all of them once the events are exhausted).
    pub(crate) fn linked(&self) -> &BTreeSet<&'a str> {
        &self.linked
    }

    /// Updates the context (are we inside a heading, a link, raw HTML…?) for an event.
    fn track(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(tag) if is_blocking(tag) => self.blocked += 1,
            Event::End(end) => {
                if is_blocking_end(*end) {
                    self.blocked = self.blocked.saturating_sub(1);
                }
                // Unbalanced inline HTML must not switch linking off for the rest of the page.
                if matches!(
                    end,
                    TagEnd::Paragraph
                        | TagEnd::Heading(_)
                        | TagEnd::Item
                        | TagEnd::TableCell
                        | TagEnd::DefinitionListTitle
                        | TagEnd::DefinitionListDefinition
                ) {
                    self.raw_html = 0;
                }
            }
            Event::InlineHtml(html) => match raw_html_tag(html) {
                Some(true) => self.raw_html += 1,
                Some(false) => self.raw_html = self.raw_html.saturating_sub(1),
                None => {}
            },
            _ => {}
        }
    }

    /// Appends a `Text` or `SoftBreak` event to the current run.
    fn push_piece(&mut self, event: Event<'a>) {
        self.run.push((self.text.len(), event));
        match &self.run[self.run.len() - 1].1 {
            Event::Text(text) => self.text.push_str(text),
            _ => self.text.push(' '),
        }
    }

    /// Finds the mentions to link in the current run and queues its events, with links added.
    fn link_run(&mut self) {
        let Self {
            matcher,
            done,
            remaining,
            linked,
            out,
            run,
            text,
            lower,
            map,
            found,
            ..
        } = self;
        let matcher: &'a Matcher = matcher;
        found.clear();
        // Searched as written unless a char would change when lowercased (most Spanish text
        // has only lowercase accented letters, which the ASCII-case-insensitive automaton
        // already matches): lowercasing with an offset map was a tenth of a large build.
        let ascii = lowercase_already(text);
        if !ascii {
            lowercase_with_map(text, lower, map);
        }
        let haystack: &str = if ascii { text } else { lower };
        // Offsets in `haystack` to offsets in `text`; `None` in the middle of the lowercase
        // expansion of one char (e.g. "İ" becomes "i̇", two chars).
        let to_text = |offset: usize| {
            if ascii || offset == 0 || map[offset] != map[offset - 1] {
                Some(if ascii { offset } else { map[offset] })
            } else {
                None
            }
        };
        let automaton = &matcher.automaton;
        let mut position = 0;
        while *remaining > 0 && position < haystack.len() {
            let Some(first) = automaton.find(Input::new(haystack).range(position..)) else {
                break;
            };
            // The longest phrase at this position that is a whole word.
            let mut candidate = Some(first);
            let mut mention = None;
            while let Some(m) = candidate {
                if let (Some(start), Some(end)) = (to_text(m.start()), to_text(m.end()))
                    && is_whole_word(text, start, end)
                {
                    mention = Some((m, start, end));
                    break;
                }
                candidate = automaton.find(
                    Input::new(haystack)
                        .range(m.start()..m.end() - 1)
                        .anchored(Anchored::Yes),
                );
            }
            let Some((m, start, end)) = mention else {
                position = next_char(haystack, first.start());
                continue;
            };
            let term = matcher.owners[m.pattern().as_usize()];
            if !done[term] {
                done[term] = true;
                *remaining -= 1;
                linked.insert(&matcher.terms[term].id);
                found.push((start, end, term));
            }
            // A later mention of a linked term is consumed too: "Migrant Protection Protocols"
            // must not become a link to "Migrant".
            position = m.end();
        }

        if found.is_empty() {
            out.extend(run.drain(..).map(|(_, event)| event));
            return;
        }
        let mut cursor = 0;
        for &(start, end, term) in found.iter() {
            let term = &matcher.terms[term];
            push_range(run, cursor, start, out);
            out.push_back(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url: CowStr::Borrowed(&term.url),
                title: CowStr::Borrowed(&term.title),
                id: CowStr::Borrowed(""),
            }));
            push_range(run, start, end, out);
            out.push_back(Event::End(TagEnd::Link));
            cursor = end;
        }
        push_range(run, cursor, text.len(), out);
        run.clear();
    }
}

impl<'a, I> Iterator for GlossaryLinker<'a, I>
where
    I: Iterator<Item = Event<'a>>,
{
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.out.pop_front() {
            return Some(event);
        }
        let event = self.events.next()?;
        if self.remaining == 0 {
            return Some(event);
        }
        self.track(&event);
        if !matches!(event, Event::Text(_)) || self.blocked > 0 || self.raw_html > 0 {
            return Some(event);
        }
        self.run.clear();
        self.text.clear();
        self.push_piece(event);
        let mut after = None;
        while let Some(event) = self.events.next() {
            if let Event::Text(_) | Event::SoftBreak = event {
                self.push_piece(event);
            } else {
                self.track(&event);
                after = Some(event);
                break;
            }
        }
        self.link_run();
        self.out.extend(after);
        self.out.pop_front()
    }
}

/// Elements whose text is never linked.
fn is_blocking(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Heading { .. }
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::MetadataBlock(_)
    )
}

fn is_blocking_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Heading(_)
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::CodeBlock
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
    )
}

/// Inline raw HTML elements whose text is never linked.
const RAW_ELEMENTS: [&str; 8] = [
    "a", "code", "kbd", "pre", "samp", "script", "style", "textarea",
];

/// `Some(true)` for an opening tag of one of [`RAW_ELEMENTS`], `Some(false)` for a closing one.
fn raw_html_tag(html: &str) -> Option<bool> {
    let rest = html.strip_prefix('<')?;
    let (opening, rest) = match rest.strip_prefix('/') {
        Some(rest) => (false, rest),
        None => (true, rest),
    };
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if !RAW_ELEMENTS
        .iter()
        .any(|raw| raw.eq_ignore_ascii_case(name))
    {
        return None;
    }
    if opening && rest.trim_end().ends_with("/>") {
        return None;
    }
    Some(opening)
}

/// Whether `text` is its own lowercase apart from ASCII letters: every other char lowercases
/// to itself alone.
fn lowercase_already(text: &str) -> bool {
    // Only the non-ASCII chars need a look: find where each begins (a byte from 0xC0 up)
    // rather than decoding every char of mostly ASCII text.
    text.is_ascii()
        || text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b >= 0xC0)
            .all(|(at, _)| {
                text[at..].chars().next().is_none_or(|c| {
                    let mut lower = c.to_lowercase();
                    lower.next() == Some(c) && lower.next().is_none()
                })
            })
}

/// Lowercases `text` into `lower` char by char, recording in `map` where each byte came from.
fn lowercase_with_map(text: &str, lower: &mut String, map: &mut Vec<usize>) {
    lower.clear();
    map.clear();
    for (offset, c) in text.char_indices() {
        for l in c.to_lowercase() {
            lower.push(l);
            map.extend(std::iter::repeat_n(offset, l.len_utf8()));
        }
    }
    map.push(text.len());
}

/// Whether `text[start..end]` is not preceded or followed by a letter or digit.
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    !text[..start].chars().next_back().is_some_and(is_word_char)
        && !text[end..].chars().next().is_some_and(is_word_char)
}

/// Letters, digits, and combining diacritical marks (so "papa" is not found in a decomposed
/// "papá", written as "papa" + U+0301).
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The offset of the char after the one at `offset`.
fn next_char(text: &str, offset: usize) -> usize {
    offset + text[offset..].chars().next().map_or(1, char::len_utf8)
}

/// Queues the part of the run between `start` and `end` (offsets in the run's text).
fn push_range<'a>(
    run: &[(usize, Event<'a>)],
    start: usize,
    end: usize,
    out: &mut VecDeque<Event<'a>>,
) {
    if start >= end {
        return;
    }
    for (piece_start, event) in run {
        let piece_start = *piece_start;
        if piece_start >= end {
            break;
        }
        match event {
            Event::Text(text) => {
                let piece_end = piece_start + text.len();
                if piece_end > start {
                    let from = start.max(piece_start) - piece_start;
                    let to = end.min(piece_end) - piece_start;
                    out.push_back(Event::Text(slice(text, from, to)));
                }
            }
            other if piece_start >= start => out.push_back(other.clone()),
            _ => {}
        }
    }
}

/// `text[from..to]`, borrowed from the source when `text` is.
fn slice<'a>(text: &CowStr<'a>, from: usize, to: usize) -> CowStr<'a> {
    match *text {
        CowStr::Borrowed(borrowed) => CowStr::Borrowed(&borrowed[from..to]),
        _ if from == 0 && to == text.len() => text.clone(),
        _ => CowStr::from(text[from..to].to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_doc_example_links_the_first_mention() {
        let matcher = Matcher::new(vec![Term {
            id: "asilo".into(),
            url: "/es/glosario/asilo/".into(),
            title: String::new(),
            phrases: vec!["asilo".into()],
        }])
        .unwrap();
        let events = pulldown_cmark::Parser::new("Pida ASILO. Los asilos no. Asilo otra vez.");
        let mut linker = link_terms(events, &matcher, None);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, &mut linker); // `&mut`: keep the linker
        assert_eq!(
            html,
            "<p>Pida <a href=\"/es/glosario/asilo/\">ASILO</a>. Los asilos no. Asilo otra vez.</p>\n"
        );
        assert!(linker.linked().contains("asilo")); // to warn about unused entries
    }
    use pulldown_cmark::{Options, Parser, html};

    fn term(id: &str, phrases: &[&str]) -> Term {
        Term {
            id: id.to_owned(),
            url: format!("/es/glosario/{id}/"),
            title: String::new(),
            phrases: phrases.iter().map(|&p| p.to_owned()).collect(),
        }
    }

    fn matcher(terms: Vec<Term>) -> Matcher {
        Matcher::new(terms).expect("valid glossary")
    }

    fn spanish() -> Matcher {
        matcher(vec![
            term("asilo", &["asilo"]),
            term("asilo-politico", &["asilo político"]),
            term(
                "comar",
                &["COMAR", "Comisión Mexicana de Ayuda a Refugiados"],
            ),
            term("mpp", &["Migrant Protection Protocols", "MPP"]),
            term("migrant", &["Migrant"]),
            term("exito", &["éxito"]),
            term("como", &["cómo"]),
            term("papa", &["papa"]),
        ])
    }

    fn render_with(source: &str, matcher: &Matcher, this_entry: Option<&str>) -> String {
        let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut out = String::new();
        html::push_html(
            &mut out,
            link_terms(Parser::new_ext(source, options), matcher, this_entry),
        );
        out
    }

    fn render(source: &str) -> String {
        render_with(source, &spanish(), None)
    }

    fn link(id: &str, text: &str) -> String {
        format!(r#"<a href="/es/glosario/{id}/">{text}</a>"#)
    }

    #[test]
    fn accented_lowercase_text_is_searched_as_written() {
        // "Pidió" keeps the text off the pure-ASCII path; "ASILO" must still match.
        assert!(lowercase_already("Pidió ASILO"));
        assert!(!lowercase_already("ÉXITO"));
        assert_eq!(
            render("Pidió ASILO político."),
            format!(
                "<p>Pidió {}.</p>\n",
                link("asilo-politico", "ASILO político")
            )
        );
    }

    #[test]
    fn links_the_first_mention_only() {
        assert_eq!(
            render("El asilo protege. Pide asilo.\n\nOtro párrafo: asilo."),
            format!(
                "<p>El {} protege. Pide asilo.</p>\n<p>Otro párrafo: asilo.</p>\n",
                link("asilo", "asilo")
            )
        );
    }

    #[test]
    fn an_alias_counts_as_a_mention_of_its_term() {
        let html = render("La Comisión Mexicana de Ayuda a Refugiados (COMAR) decide.");
        assert_eq!(
            html,
            format!(
                "<p>La {} (COMAR) decide.</p>\n",
                link("comar", "Comisión Mexicana de Ayuda a Refugiados")
            )
        );
    }

    #[test]
    fn ignores_letter_case_and_keeps_the_text_as_written() {
        for written in ["asilo", "Asilo", "ASILO", "aSiLo"] {
            assert_eq!(
                render(&format!("{written} y más")),
                format!("<p>{} y más</p>\n", link("asilo", written))
            );
        }
        assert_eq!(
            render("La comar decide."),
            format!("<p>La {} decide.</p>\n", link("comar", "comar"))
        );
    }

    #[test]
    fn ignores_letter_case_outside_ascii() {
        for written in ["ÉXITO", "Éxito", "éxito"] {
            assert_eq!(
                render(&format!("Con {written}.")),
                format!("<p>Con {}.</p>\n", link("exito", written))
            );
        }
    }

    #[test]
    fn maps_offsets_back_when_lowercasing_changes_lengths() {
        // "İ" (2 bytes) lowercases to "i̇" (3 bytes); "Ⱥ" (2 bytes) to "ⱥ" (3 bytes).
        assert_eq!(
            render("İİ ȺȺ ASILO ȺȺ COMAR."),
            format!(
                "<p>İİ ȺȺ {} ȺȺ {}.</p>\n",
                link("asilo", "ASILO"),
                link("comar", "COMAR")
            )
        );
    }

    #[test]
    fn accents_are_significant() {
        assert_eq!(
            render("No sé como hacerlo."),
            "<p>No sé como hacerlo.</p>\n"
        );
        assert_eq!(
            render("¿Cómo se pide?"),
            format!("<p>¿{} se pide?</p>\n", link("como", "Cómo"))
        );
        assert_eq!(render("Mi papá llegó."), "<p>Mi papá llegó.</p>\n");
        assert_eq!(render("Exito sin tilde."), "<p>Exito sin tilde.</p>\n");
        // A decomposed accent (combining mark) belongs to the word.
        assert_eq!(
            render("Mi papa\u{301} llegó."),
            "<p>Mi papa\u{301} llegó.</p>\n"
        );
    }

    #[test]
    fn matches_whole_words_only() {
        assert_eq!(
            render("Los asilos y el reasilo, luego asilo."),
            format!(
                "<p>Los asilos y el reasilo, luego {}.</p>\n",
                link("asilo", "asilo")
            )
        );
        // Digits are word characters; a hyphen is not.
        assert_eq!(
            render("asilo2 y asilo-x"),
            format!("<p>asilo2 y {}-x</p>\n", link("asilo", "asilo"))
        );
    }

    #[test]
    fn prefers_the_longest_match() {
        assert_eq!(
            render("The Migrant Protection Protocols. Migrant workers. MPP again."),
            format!(
                "<p>The {}. {} workers. MPP again.</p>\n",
                link("mpp", "Migrant Protection Protocols"),
                link("migrant", "Migrant")
            )
        );
        assert_eq!(
            render("Pidió asilo político y asilo."),
            format!(
                "<p>Pidió {} y {}.</p>\n",
                link("asilo-politico", "asilo político"),
                link("asilo", "asilo")
            )
        );
    }

    #[test]
    fn falls_back_to_a_shorter_term_when_the_longest_is_not_a_whole_word() {
        assert_eq!(
            render("Sin asilo políticos."),
            format!("<p>Sin {} políticos.</p>\n", link("asilo", "asilo"))
        );
    }

    #[test]
    fn a_linked_long_term_does_not_leave_its_shorter_part_to_link() {
        assert_eq!(
            render("MPP. Then Migrant Protection Protocols."),
            format!(
                "<p>{}. Then Migrant Protection Protocols.</p>\n",
                link("mpp", "MPP")
            )
        );
    }

    #[test]
    fn finds_a_term_across_a_soft_line_break() {
        assert_eq!(
            render("Under the Migrant\nProtection Protocols, people wait."),
            format!(
                "<p>Under the {}, people wait.</p>\n",
                link("mpp", "Migrant\nProtection Protocols")
            )
        );
        assert_eq!(
            render("asilo\npolítico"),
            format!("<p>{}</p>\n", link("asilo-politico", "asilo\npolítico"))
        );
    }

    #[test]
    fn finds_a_term_split_across_text_events() {
        // The parser splits text at an unmatched emphasis delimiter and at entities.
        assert_eq!(
            render("El asilo_ y *la* &Eacute;XITO."),
            format!(
                "<p>El {}_ y <em>la</em> {}.</p>\n",
                link("asilo", "asilo"),
                link("exito", "ÉXITO")
            )
        );
        let m = spanish();
        let events = vec![
            Event::Start(Tag::Paragraph),
            Event::Text("Migrant Prot".into()),
            Event::Text(CowStr::Boxed("ection Protocols apply".into())),
            Event::End(TagEnd::Paragraph),
        ];
        let mut out = String::new();
        html::push_html(&mut out, link_terms(events.into_iter(), &m, None));
        assert_eq!(
            out,
            format!(
                "<p>{} apply</p>\n",
                link("mpp", "Migrant Protection Protocols")
            )
        );
    }

    #[test]
    fn links_inside_emphasis_but_not_across_its_boundary() {
        assert_eq!(
            render("*Migrant Protection Protocols* and **asilo**"),
            format!(
                "<p><em>{}</em> and <strong>{}</strong></p>\n",
                link("mpp", "Migrant Protection Protocols"),
                link("asilo", "asilo")
            )
        );
        // The parts on either side of the boundary are matched on their own.
        assert_eq!(
            render("*Migrant Protection* Protocols"),
            format!(
                "<p><em>{} Protection</em> Protocols</p>\n",
                link("migrant", "Migrant")
            )
        );
    }

    #[test]
    fn links_in_lists_and_table_cells() {
        assert_eq!(
            render("- asilo\n- COMAR\n"),
            format!(
                "<ul>\n<li>{}</li>\n<li>{}</li>\n</ul>\n",
                link("asilo", "asilo"),
                link("comar", "COMAR")
            )
        );
        let html = render("| Término |\n|---|\n| COMAR |\n");
        assert!(
            html.contains(&format!("<td>{}</td>", link("comar", "COMAR"))),
            "{html}"
        );
    }

    #[test]
    fn skips_headings_and_the_next_mention_is_linked() {
        assert_eq!(
            render("# El asilo\n\nSobre el asilo."),
            format!(
                "<h1>El asilo</h1>\n<p>Sobre el {}.</p>\n",
                link("asilo", "asilo")
            )
        );
        assert_eq!(render("Título COMAR\n---\n"), "<h2>Título COMAR</h2>\n");
    }

    #[test]
    fn skips_links_and_images() {
        assert_eq!(
            render("[el asilo](/x/) y ![COMAR](/c.png) y asilo"),
            format!(
                "<p><a href=\"/x/\">el asilo</a> y <img src=\"/c.png\" alt=\"COMAR\" /> y {}</p>\n",
                link("asilo", "asilo")
            )
        );
        assert_eq!(
            render("<https://comar.mx/asilo>"),
            "<p><a href=\"https://comar.mx/asilo\">https://comar.mx/asilo</a></p>\n"
        );
    }

    #[test]
    fn skips_code() {
        assert_eq!(
            render("Use `asilo` here.\n\n```\nasilo COMAR\n```\n\n    asilo\n"),
            "<p>Use <code>asilo</code> here.</p>\n<pre><code>asilo COMAR\n</code></pre>\n<pre><code>asilo\n</code></pre>\n"
        );
    }

    #[test]
    fn skips_raw_html() {
        assert_eq!(
            render(
                "<div>\nasilo\n</div>\n\nA <a href=\"/y\">COMAR</a> y <code>asilo</code>; <b>COMAR</b>."
            ),
            format!(
                "<div>\nasilo\n</div>\n<p>A <a href=\"/y\">COMAR</a> y <code>asilo</code>; <b>{}</b>.</p>\n",
                link("comar", "COMAR")
            )
        );
        // Unclosed inline HTML does not switch linking off after its paragraph.
        assert_eq!(
            render("<a href=\"/y\">asilo\n\nasilo"),
            format!(
                "<p><a href=\"/y\">asilo</p>\n<p>{}</p>\n",
                link("asilo", "asilo")
            )
        );
    }

    #[test]
    fn skips_front_matter() {
        assert_eq!(
            render("---\ntitle: asilo\n---\nasilo"),
            format!("<p>{}</p>\n", link("asilo", "asilo"))
        );
    }

    #[test]
    fn an_entry_does_not_link_to_itself() {
        let m = spanish();
        assert_eq!(
            render_with("La COMAR decide el asilo.", &m, Some("comar")),
            format!("<p>La COMAR decide el {}.</p>\n", link("asilo", "asilo"))
        );
        let mut linker = link_terms(Parser::new("COMAR y asilo"), &m, Some("comar"));
        linker.by_ref().for_each(drop);
        assert_eq!(linker.linked(), &BTreeSet::from(["asilo"]));
    }

    #[test]
    fn terms_at_the_start_and_end_of_text() {
        assert_eq!(
            render("COMAR"),
            format!("<p>{}</p>\n", link("comar", "COMAR"))
        );
        assert_eq!(
            render("Asilo ante la COMAR"),
            format!(
                "<p>{} ante la {}</p>\n",
                link("asilo", "Asilo"),
                link("comar", "COMAR")
            )
        );
    }

    #[test]
    fn punctuation_around_terms() {
        assert_eq!(
            render("La comisión (COMAR). «Asilo», éxito!"),
            format!(
                "<p>La comisión ({}). «{}», {}!</p>\n",
                link("comar", "COMAR"),
                link("asilo", "Asilo"),
                link("exito", "éxito")
            )
        );
        assert_eq!(
            render("Vaya a COMAR."),
            format!("<p>Vaya a {}.</p>\n", link("comar", "COMAR"))
        );
    }

    #[test]
    fn escapes_the_url_and_the_definition() {
        let m = matcher(vec![Term {
            id: "asilo".into(),
            url: "/es/glosario/asilo/?a=1&b=\"2\"".into(),
            title: "Protección <legal> & \"asilo\"".into(),
            phrases: vec!["asilo".into()],
        }]);
        assert_eq!(
            render_with("asilo", &m, None),
            "<p><a href=\"/es/glosario/asilo/?a=1&amp;b=%222%22\" \
             title=\"Protección &lt;legal&gt; &amp; &quot;asilo&quot;\">asilo</a></p>\n"
        );
    }

    #[test]
    fn reports_the_linked_entries() {
        let m = spanish();
        let mut linker = link_terms(Parser::new("COMAR, asilo, ASILO, `MPP`."), &m, None);
        let mut html = String::new();
        html::push_html(&mut html, &mut linker);
        assert_eq!(linker.linked(), &BTreeSet::from(["asilo", "comar"]));
    }

    #[test]
    fn rejects_a_phrase_claimed_by_two_entries() {
        let error = Matcher::new(vec![
            term("comar", &["COMAR"]),
            term("comision", &["Comisión", "Comar"]),
        ])
        .expect_err("collision");
        assert!(error.contains("`comar`"), "{error}");
        assert!(error.contains("`comision`"), "{error}");
        assert!(error.contains("\"Comar\""), "{error}");
        // One entry may repeat a phrase in another case; whitespace is normalized.
        assert!(Matcher::new(vec![term("comar", &["COMAR", "Comar"])]).is_ok());
        let error = Matcher::new(vec![
            term("mpp", &["Migrant  Protection Protocols"]),
            term("mpp2", &["migrant protection\tprotocols"]),
        ])
        .expect_err("collision");
        assert!(
            error.contains("`mpp`") && error.contains("`mpp2`"),
            "{error}"
        );
    }

    #[test]
    fn rejects_empty_phrases_and_duplicate_ids() {
        let error = Matcher::new(vec![term("x", &[" "])]).expect_err("empty");
        assert!(error.contains("`x`"), "{error}");
        let error = Matcher::new(vec![term("x", &["a"]), term("x", &["b"])]).expect_err("dup");
        assert!(error.contains("`x`"), "{error}");
    }

    #[test]
    fn an_empty_glossary_passes_events_through() {
        let m = matcher(Vec::new());
        assert_eq!(
            render_with("asilo *x*", &m, None),
            "<p>asilo <em>x</em></p>\n"
        );
    }

    #[test]
    fn matcher_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Matcher>();
    }
}
