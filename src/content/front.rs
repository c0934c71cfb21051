//! Front matter: TOML between `+++` lines or YAML between `---` lines at the top of a
//! Markdown file, with Zola's keys and senda's own.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};
use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;

/// A date as Zola takes it: a TOML date or datetime, or a string holding one
/// (`"2023-03-23"`, `"2023-03-23T10:00:00+02:00"`; YAML has only strings).
pub(super) type Date = toml::value::Datetime;

/// How a section orders its pages (Zola's `sort_by`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// By `weight`, then title (senda's order when a section does not say).
    #[default]
    Weight,
    /// Newest first.
    Date,
    /// Most recently updated first.
    UpdateDate,
    /// Alphabetically.
    Title,
    /// Alphabetically, bytewise.
    TitleBytes,
    /// By file name, as found.
    None,
}

/// What a page's front matter may say. A key senda does not know is a warning (Zola sites
/// carry keys of their own themes), never an error.
#[derive(Debug, Clone, Deserialize)]
pub struct FrontMatter {
    /// Page title.
    #[serde(default)]
    pub title: String,
    /// One sentence, shown in lists and in `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// Publication date (else the date a file or folder name starts with).
    #[serde(default, deserialize_with = "date")]
    pub date: Option<Date>,
    /// Date of the last significant change.
    #[serde(default, deserialize_with = "date")]
    pub updated: Option<Date>,
    /// When an editor last checked the page against its sources.
    #[serde(default, deserialize_with = "date")]
    pub reviewed: Option<Date>,
    /// Order in lists: lower first, then by title.
    #[serde(default)]
    pub weight: i64,
    /// The page's own URL segment.
    pub slug: Option<String>,
    /// The page's whole address below the site (Zola's `path`), instead of folder and slug.
    pub path: Option<String>,
    /// Drafts are built only by `serve`.
    #[serde(default)]
    pub draft: bool,
    /// Template to render the page with, instead of the default one.
    pub template: Option<String>,
    /// In a section: the template of its pages.
    pub page_template: Option<String>,
    /// In a section: the order of its pages.
    #[serde(default)]
    pub sort_by: SortBy,
    /// In a section: its pages are listed in the parent section instead.
    #[serde(default)]
    pub transparent: bool,
    /// `false`: the page is read (and its pages listed) but gets no address of its own.
    #[serde(default = "yes")]
    pub render: bool,
    /// In a section: the address it sends readers to instead of showing a list.
    pub redirect_to: Option<String>,
    /// Old addresses of the page: each gets a redirect to it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Ids of the circumstances this article matters to.
    #[serde(default)]
    pub circumstances: Vec<String>,
    /// Show the quick-exit link (pages about trafficking and violence).
    #[serde(default)]
    pub quick_exit: bool,
    /// For translations: hash of the source text the translation was made from.
    pub source_hash: Option<String>,
    /// For translations: whether a fluent speaker has checked this one. Unset, the language's
    /// `reviewed` in site.toml decides.
    pub translation_reviewed: Option<bool>,
    /// Glossary entries: other names of the term in this language.
    #[serde(default)]
    pub term_aliases: Vec<String>,
    /// Makes the page a circumstance page.
    pub circumstance: Option<Circumstance>,
    /// Makes the page a decision question.
    pub question: Option<Question>,
    /// Anything else, passed to templates as `page.extra`.
    #[serde(default)]
    pub extra: toml::Table,
    /// Taxonomy terms: `tags = ["a", "b"]`, by taxonomy name.
    #[serde(default)]
    pub taxonomies: toml::Table,
    /// In a section: a feed of its pages, beside the section's page (Zola's).
    #[serde(default)]
    pub generate_feeds: bool,
    /// The line in the file of each value written, by its path (`title`, `aliases.0`,
    /// `question.answers.1.next`): from the TOML parser's spans, so that two equal values
    /// each have their own line.
    #[serde(skip)]
    pub lines: BTreeMap<String, usize>,
    // Zola keys whose effect senda has without them (every page of a section is listed on
    // one page; headings always have anchors; there is no search index).
    #[serde(default, rename = "paginate_by")]
    _paginate_by: Option<toml::Value>,
    #[serde(default, rename = "paginate_path")]
    _paginate_path: Option<toml::Value>,
    #[serde(default, rename = "paginate_reversed")]
    _paginate_reversed: Option<toml::Value>,
    #[serde(default, rename = "insert_anchor_links")]
    _insert_anchor_links: Option<toml::Value>,
    #[serde(default, rename = "in_search_index")]
    _in_search_index: Option<toml::Value>,
    #[serde(default, rename = "authors")]
    _authors: Option<toml::Value>,
}

impl Default for FrontMatter {
    fn default() -> Self {
        FrontMatter {
            title: String::new(),
            description: String::new(),
            date: None,
            updated: None,
            reviewed: None,
            weight: 0,
            slug: None,
            path: None,
            draft: false,
            template: None,
            page_template: None,
            sort_by: SortBy::default(),
            transparent: false,
            render: true,
            redirect_to: None,
            aliases: Vec::new(),
            circumstances: Vec::new(),
            quick_exit: false,
            source_hash: None,
            translation_reviewed: None,
            term_aliases: Vec::new(),
            circumstance: None,
            question: None,
            extra: toml::Table::new(),
            taxonomies: toml::Table::new(),
            generate_feeds: false,
            lines: BTreeMap::new(),
            _paginate_by: None,
            _paginate_path: None,
            _paginate_reversed: None,
            _insert_anchor_links: None,
            _in_search_index: None,
            _authors: None,
        }
    }
}

/// Every key of [`FrontMatter`], for the nearest-key hint.
const KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "reviewed",
    "weight",
    "slug",
    "path",
    "draft",
    "template",
    "page_template",
    "sort_by",
    "transparent",
    "render",
    "redirect_to",
    "aliases",
    "circumstances",
    "quick_exit",
    "source_hash",
    "translation_reviewed",
    "term_aliases",
    "circumstance",
    "question",
    "extra",
    "taxonomies",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "insert_anchor_links",
    "in_search_index",
    "generate_feeds",
    "authors",
];

fn yes() -> bool {
    true
}

/// A TOML date, or a string that holds one.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Date(Date),
        Text(String),
    }
    match Option::<Written>::deserialize(d)? {
        None => Ok(None),
        Some(Written::Date(date)) => Ok(Some(date)),
        Some(Written::Text(text)) => parse_date(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{text}` is not a date: write 2024-05-27, or 2024-05-27T10:00:00+02:00"
            ))
        }),
    }
}

/// `2024-05-27`, `2024-05-27 10:00:00`, `2024-05-27T10:00:00Z`… as a TOML date.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    let date: Date = text.trim().parse().ok()?;
    date.date.is_some().then_some(date)
}

/// The data of a circumstance page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Circumstance {
    /// What we recommend, in one or two sentences.
    pub recommendation: String,
    /// Names of the facts that matter here.
    #[serde(default)]
    pub facts: Vec<String>,
    /// What to do, in order.
    #[serde(default)]
    pub steps: Vec<String>,
    /// `@/` links to articles worth reading.
    #[serde(default)]
    pub articles: Vec<String>,
}

/// The data of a decision question page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The possible answers, each leading somewhere.
    pub answers: Vec<Answer>,
}

/// One answer of a question.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The answer as the reader would say it.
    pub label: String,
    /// `@/` link to the next question or to a circumstance page.
    pub next: String,
}

/// The parts of a page's text: where the TOML between the `+++` lines lies, and where the
/// body starts.
pub(crate) struct Parts {
    /// Byte range of the front matter's TOML (without the `+++` lines).
    pub(crate) toml: std::ops::Range<usize>,
    /// Byte offset of the body.
    pub(crate) body_start: usize,
}

/// Finds the front matter of `source` (after a byte-order mark, if any); `Err(true)` when the
/// file does not start with `+++`, `Err(false)` when no `+++` line closes it.
pub(crate) fn split(source: &str) -> Result<Parts, bool> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    let after_open = rest
        .strip_prefix("+++\n")
        .or_else(|| rest.strip_prefix("+++\r\n"))
        .ok_or(true)?;
    let toml_start = source.len() - after_open.len();
    let mut offset = toml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok(Parts {
                toml: toml_start..offset,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(false)
}

/// A file's front matter, read.
#[derive(Debug)]
pub(super) struct Parsed {
    /// What it says.
    pub(super) front: FrontMatter,
    /// Byte offset of the Markdown body in the file.
    pub(super) body_start: usize,
    /// A warning per key senda does not know.
    pub(super) unknown: Vec<Diagnostic>,
}

/// Splits `source` into its front matter (TOML between `+++`, or YAML between `---`) and the
/// byte offset where the body starts.
pub(super) fn parse(file: &Path, source: &str) -> Result<Parsed, Box<Diagnostic>> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    let first = rest.split_inclusive('\n').next().unwrap_or_default();
    let fence = match first.trim_end() {
        fence @ ("+++" | "---") if first.ends_with('\n') => fence,
        _ => {
            return Err(Box::new(
                Diagnostic::new(file, 1, "the file does not start with front matter")
                    .help("put the page's details between two lines of +++ at the very top:\n  +++\n  title = \"My page\"\n  +++")
                    .with_source(source),
            ));
        }
    };
    let block_start = start + first.len();
    let mut offset = block_start;
    for line in source[block_start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            let block = &source[block_start..offset];
            let mut unknown = Vec::new();
            let mut note = |path: serde_ignored::Path<'_>| {
                let key = path.to_string();
                unknown.push(unknown_key(file, source, &key));
            };
            let front = if fence == "+++" {
                toml::Deserializer::parse(block)
                    .and_then(|de| serde_ignored::deserialize(de, &mut note))
                    .map_err(|e| Diagnostic::from_toml(file, source, block_start, &e))
            } else {
                serde_ignored::deserialize(serde_norway::Deserializer::from_str(block), &mut note)
                    .map_err(|e| yaml_error(file, source, block_start, &e))
            };
            let mut front: FrontMatter = front.map_err(Box::new)?;
            if fence == "+++"
                && let Ok(table) = DeTable::parse(block)
            {
                let line = |span: std::ops::Range<usize>| {
                    crate::diag::line_of(source, block_start + span.start)
                };
                record_lines(table.get_ref(), "", &line, &mut front.lines);
            }
            return Ok(Parsed {
                front,
                body_start: offset + line.len(),
                unknown,
            });
        }
        offset += line.len();
    }
    Err(Box::new(
        Diagnostic::new(file, 1, "the front matter is not closed")
            .help(format!(
                "add a line with only {fence} after the last front-matter line"
            ))
            .with_source(source),
    ))
}

/// The warning for a key senda does not know, with the nearest one it does.
fn unknown_key(file: &Path, source: &str, key: &str) -> Diagnostic {
    let top = key.split('.').next().unwrap_or(key);
    let help = match crate::diag::nearest(top, KEYS.iter().copied()) {
        Some(k) => format!("did you mean `{k}`? Keys a theme needs go under [extra]"),
        None => "senda ignores it; keys a theme needs go under [extra]".to_string(),
    };
    Diagnostic::new(
        file,
        key_line(source, top),
        format!("senda does not know the front-matter key `{key}`"),
    )
    .help(help)
    .with_source(source)
}

/// A YAML error at its line in the file.
fn yaml_error(
    file: &Path,
    source: &str,
    block_start: usize,
    err: &serde_norway::Error,
) -> Diagnostic {
    let line = err
        .location()
        .map_or(0, |l| crate::diag::line_of(source, block_start + l.index()));
    Diagnostic::new(file, line, err.to_string())
        .help("each line is key: value; a list is [\"a\", \"b\"]; dates as 2025-01-20")
        .with_source(source)
}

/// Line of `key = …` (or `key: …`, or a `[key]` table) in the front matter of `source`, or 1
/// if it is not found.
pub(crate) fn key_line(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix('[')
                .is_some_and(|rest| rest.trim_start().starts_with(key) && rest.contains(']'))
                || l.strip_prefix(key).is_some_and(|rest| {
                    let rest = rest.trim_start();
                    rest.starts_with('=') || rest.starts_with(':')
                })
        })
        .map_or(1, |i| i + 1)
}

impl FrontMatter {
    /// The line of the value at `path` (see [`FrontMatter::lines`]); 1, the front matter's
    /// first line, for a value not written in the file.
    pub fn line(&self, path: &str) -> usize {
        self.lines.get(path).copied().unwrap_or(1)
    }
}

/// Records the line of every value of `table` (and of the tables and lists in it) in `lines`,
/// by path below `prefix`.
fn record_lines(
    table: &DeTable<'_>,
    prefix: &str,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    lines: &mut BTreeMap<String, usize>,
) {
    for (key, value) in table.iter() {
        let path = format!("{prefix}{}", key.get_ref());
        record_value(value, path, line, lines);
    }
}

fn record_value(
    value: &toml::Spanned<DeValue<'_>>,
    path: String,
    line: &dyn Fn(std::ops::Range<usize>) -> usize,
    lines: &mut BTreeMap<String, usize>,
) {
    match value.get_ref() {
        DeValue::Table(table) => record_lines(table, &format!("{path}."), line, lines),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                record_value(item, format!("{path}.{i}"), line, lines);
            }
        }
        _ => {}
    }
    lines.insert(path, line(value.span()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_starts_after_closing_line() {
        let src = "+++\ntitle = \"A\"\n+++\nHello\n";
        let parsed = parse(Path::new("a.md"), src).unwrap();
        assert_eq!(parsed.front.title, "A");
        assert_eq!(&src[parsed.body_start..], "Hello\n");
    }

    #[test]
    fn an_unknown_key_is_a_warning_at_its_line_with_the_nearest_key() {
        // The unknown key is on line 4 of the file (line 3 of the block).
        let src = "+++\ntitle = \"A\"\nweight = 2\ntitel = \"B\"\n+++\nbody\n";
        let parsed = parse(Path::new("content/a.md"), src).expect("an unknown key is no error");
        assert_eq!(parsed.front.title, "A");
        let [warning] = parsed.unknown.as_slice() else {
            panic!("one warning: {:?}", parsed.unknown);
        };
        assert_eq!(warning.line, 4, "{warning}");
        assert!(warning.message.contains("`titel`"), "{warning}");
        assert!(format!("{warning}").contains("`title`"), "{warning}");
        assert_eq!(warning.snippet.as_deref(), Some("titel = \"B\""));
    }

    #[test]
    fn yaml_front_matter_and_dates_as_text() {
        let src = "---\ntitle: Zola\ndate: 2022-01-22 00:02:09\ntags:\n  - a\n---\nbody\n";
        let parsed = parse(Path::new("a.md"), src).expect("YAML front matter");
        assert_eq!(parsed.front.title, "Zola");
        let date = parsed.front.date.expect("a date");
        assert_eq!(
            date.date.map(|d| (d.year, d.month, d.day)),
            Some((2022, 1, 22))
        );
        assert_eq!(parsed.unknown.len(), 1);
        assert_eq!(parsed.unknown[0].line, 4);
        let src = "+++\ndate = \"2023-03-23T10:00:00+02:00\"\nupdated = 2024-01-02\n+++\n";
        let parsed = parse(Path::new("a.md"), src).expect("dates as text and as TOML");
        assert!(parsed.front.date.is_some() && parsed.front.updated.is_some());
        let err = parse(
            Path::new("a.md"),
            "+++\ntitle = \"A\"\ndate = \"soon\"\n+++\n",
        )
        .expect_err("not a date");
        assert_eq!(err.line, 3, "{err}");
        let err =
            parse(Path::new("a.md"), "---\ntitle: A\nweight: [\n---\n").expect_err("bad YAML");
        assert!(err.line >= 3, "{err}");
    }

    #[test]
    fn syntax_error_line_is_counted_in_the_file() {
        let src = "+++\ntitle = \"A\"\n\ndescription = \"unclosed\n+++\nbody\n";
        let err = parse(Path::new("a.md"), src).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
    }

    #[test]
    fn lines_are_counted_in_the_file_with_crlf_and_a_bom() {
        let src = "\u{feff}+++\r\ntitle = \"A\"\r\n\r\nweight = \"two\"\r\n+++\r\nbody\r\n";
        let err = parse(Path::new("a.md"), src).expect_err("bad front matter");
        assert_eq!(err.line, 4, "{err}");
        let src = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nbody\r\n";
        let parsed = parse(Path::new("a.md"), src).expect("good front matter");
        assert_eq!(parsed.front.title, "A");
        assert_eq!(&src[parsed.body_start..], "body\r\n");
    }

    #[test]
    fn an_error_in_a_nested_table_is_counted_in_the_file() {
        let src = "+++\ntitle = \"A\"\n[circumstance]\nrecommendation = \"R\"\nstpes = []\n+++\n";
        let err = parse(Path::new("a.md"), src).expect_err("bad front matter");
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.contains("stpes"), "{err}");
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        assert_eq!(parse(Path::new("a.md"), "# Title\n").unwrap_err().line, 1);
        let err = parse(Path::new("a.md"), "+++\ntitle = \"A\"\n").unwrap_err();
        assert!(err.message.contains("not closed"));
    }

    #[test]
    fn equal_values_each_have_their_line() {
        let src = "+++\ntitle = \"A\"\n[question]\nanswers = [\n  { label = \"Yes\", next = \"@/a.md\" },\n  { label = \"No\", next = \"@/a.md\" },\n]\n+++\n";
        let front = parse(Path::new("a.md"), src)
            .expect("good front matter")
            .front;
        assert_eq!(front.line("title"), 2);
        assert_eq!(front.line("question.answers.0.next"), 5);
        assert_eq!(front.line("question.answers.1.next"), 6);
        assert_eq!(front.line("term_aliases.0"), 1);
    }
}
