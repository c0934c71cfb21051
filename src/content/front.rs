//! Front matter: the TOML between `+++` lines at the top of a Markdown file.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::de::{DeTable, DeValue};

use crate::diag::Diagnostic;

/// What a page's front matter may say. Unknown keys are errors, so a typo is caught.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title.
    #[serde(default)]
    pub title: String,
    /// One sentence, shown in lists and in `<meta name="description">`.
    #[serde(default)]
    pub description: String,
    /// Publication date.
    pub date: Option<toml::value::Datetime>,
    /// Date of the last significant change.
    pub updated: Option<toml::value::Datetime>,
    /// When an editor last checked the page against its sources.
    pub reviewed: Option<toml::value::Datetime>,
    /// Order in lists: lower first, then by title.
    #[serde(default)]
    pub weight: i64,
    /// The page's own URL segment.
    pub slug: Option<String>,
    /// Drafts are built only by `serve`.
    #[serde(default)]
    pub draft: bool,
    /// Template to render the page with, instead of the default one.
    pub template: Option<String>,
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
    pub aliases: Vec<String>,
    /// Makes the page a circumstance page.
    pub circumstance: Option<Circumstance>,
    /// Makes the page a decision question.
    pub question: Option<Question>,
    /// Anything else, passed to templates as `page.extra`.
    #[serde(default)]
    pub extra: toml::Table,
    /// The line in the file of each value written, by its path (`title`, `aliases.0`,
    /// `question.answers.1.next`): from the TOML parser's spans, so that two equal values
    /// each have their own line.
    #[serde(skip)]
    pub lines: BTreeMap<String, usize>,
    // Zola keys senda has no use for, accepted so that Zola content moves over unchanged.
    #[serde(default, rename = "sort_by")]
    _sort_by: Option<toml::Value>,
    #[serde(default, rename = "paginate_by")]
    _paginate_by: Option<toml::Value>,
    #[serde(default, rename = "insert_anchor_links")]
    _insert_anchor_links: Option<toml::Value>,
    #[serde(default, rename = "in_search_index")]
    _in_search_index: Option<toml::Value>,
    #[serde(default, rename = "render")]
    _render: Option<toml::Value>,
    #[serde(default, rename = "transparent")]
    _transparent: Option<toml::Value>,
    #[serde(default, rename = "page_template")]
    _page_template: Option<toml::Value>,
    #[serde(default, rename = "taxonomies")]
    _taxonomies: Option<toml::Value>,
    #[serde(default, rename = "authors")]
    _authors: Option<toml::Value>,
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

/// Parses the front matter of `source`; returns it and the byte offset where the body starts.
pub(super) fn parse(file: &Path, source: &str) -> Result<(FrontMatter, usize), Box<Diagnostic>> {
    let parts = match split(source) {
        Ok(parts) => parts,
        Err(true) => {
            return Err(Box::new(
                Diagnostic::new(file, 1, "the file does not start with front matter")
                    .help("put the page's details between two lines of +++ at the very top:\n  +++\n  title = \"My page\"\n  +++")
                    .with_source(source),
            ));
        }
        Err(false) => {
            return Err(Box::new(
                Diagnostic::new(file, 1, "the front matter is not closed")
                    .help("add a line with only +++ after the last front-matter line")
                    .with_source(source),
            ));
        }
    };
    let toml_start = parts.toml.start;
    let toml = &source[parts.toml];
    let mut front: FrontMatter = toml::from_str(toml)
        .map_err(|e| Box::new(Diagnostic::from_toml(file, source, toml_start, &e)))?;
    if let Ok(table) = DeTable::parse(toml) {
        let line =
            |span: std::ops::Range<usize>| crate::diag::line_of(source, toml_start + span.start);
        record_lines(table.get_ref(), "", &line, &mut front.lines);
    }
    Ok((front, parts.body_start))
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
        let (front, start) = parse(Path::new("a.md"), src).unwrap();
        assert_eq!(front.title, "A");
        assert_eq!(&src[start..], "Hello\n");
    }

    #[test]
    fn toml_error_line_is_counted_in_the_file() {
        // The bad key is on line 4 of the file (line 3 of the block).
        let src = "+++\ntitle = \"A\"\nweight = 2\ntitel = \"B\"\n+++\nbody\n";
        let err = parse(Path::new("content/a.md"), src).unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        assert!(err.message.contains("titel"), "{err}");
        assert_eq!(err.snippet.as_deref(), Some("titel = \"B\""));
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
        let (front, start) = parse(Path::new("a.md"), src).expect("good front matter");
        assert_eq!(front.title, "A");
        assert_eq!(&src[start..], "body\r\n");
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
        let (front, _) = parse(Path::new("a.md"), src).expect("good front matter");
        assert_eq!(front.line("title"), 2);
        assert_eq!(front.line("question.answers.0.next"), 5);
        assert_eq!(front.line("question.answers.1.next"), 6);
        assert_eq!(front.line("aliases.0"), 1);
    }
}
