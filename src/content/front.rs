//! Front matter: the TOML between `+++` lines at the top of a Markdown file.

use std::path::Path;

use serde::{Deserialize, Serialize};

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

/// Splits `source` into its front matter and the byte offset where the body starts.
pub(super) fn parse(file: &Path, source: &str) -> Result<(FrontMatter, usize), Box<Diagnostic>> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &source[start..];
    let Some(after_open) = rest
        .strip_prefix("+++\n")
        .or_else(|| rest.strip_prefix("+++\r\n"))
    else {
        return Err(Box::new(
            Diagnostic::new(file, 1, "the file does not start with front matter")
                .help("put the page's details between two lines of +++ at the very top:\n  +++\n  title = \"My page\"\n  +++")
                .with_source(source),
        ));
    };
    let toml_start = source.len() - after_open.len();
    let mut offset = toml_start;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let toml = &source[toml_start..offset];
            let body_start = offset + line.len();
            let front: FrontMatter = toml::from_str(toml)
                .map_err(|e| Box::new(Diagnostic::from_toml(file, source, toml_start, &e)))?;
            return Ok((front, body_start));
        }
        offset += line.len();
    }
    Err(Box::new(
        Diagnostic::new(file, 1, "the front matter is not closed")
            .help("add a line with only +++ after the last front-matter line")
            .with_source(source),
    ))
}

/// Line of `key = …` in the front matter of `source`, or 1 if it is not found.
pub fn key_line(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
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
    fn key_line_finds_the_key() {
        assert_eq!(
            key_line("+++\ntitle = \"x\"\nslug = \"a b\"\n+++\n", "slug"),
            3
        );
    }
}
