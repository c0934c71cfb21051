//! Translation coverage (`senda status`): for each language, which pages and glossary entries
//! are translated, missing, stale (their source changed since) or drafts, and how complete
//! the texts of the fact files are.
//!
//! The JSON shape (`senda status --format json`) is [`Coverage`] serialised as it is; its
//! `version` changes if a field is removed or changes meaning.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{Result, bail};
use serde::Serialize;

use super::{shown, translation_file};
use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::diag::Report;
use crate::facts::{self, Texts, Value};

/// Version of the JSON shape.
const VERSION: u32 = 1;

/// Coverage of every language but the default one.
#[derive(Debug, Serialize)]
pub struct Coverage {
    /// Version of this JSON shape (1).
    pub version: u32,
    /// Code of the language the originals are written in.
    pub default_language: String,
    /// Whether untranslated pages are shown in the default language (`fallback` in site.toml);
    /// when false, they are left out of the other languages' sites.
    pub fallback: bool,
    /// One entry per other language, in site.toml order.
    pub languages: Vec<LanguageCoverage>,
}

/// How far one language is.
#[derive(Debug, Serialize)]
pub struct LanguageCoverage {
    /// Language code (`es`).
    pub code: String,
    /// Its name in itself (`Español`).
    pub name: String,
    /// Share of pages and glossary entries translated and up to date, in whole percent,
    /// rounded down (100 only when nothing is missing, stale or a draft).
    pub percent_translated: u32,
    /// Pages and glossary entries together.
    pub total: Counts,
    /// Pages (glossary entries excluded).
    pub pages: Counts,
    /// Glossary entries (`content/glossary/*.md` but `_index.md`).
    pub glossary: Counts,
    /// Translations that are up to date (or record no version of their source).
    pub translated: Vec<Item>,
    /// Sources with no translation file.
    pub missing: Vec<Item>,
    /// Translations made from an older version of their source.
    pub stale: Vec<Item>,
    /// Translations still marked `draft = true` (not published: readers see the original).
    pub draft: Vec<Item>,
    /// Published translations (up to date or not) that no fluent speaker has checked yet
    /// (`reviewed = false` for the language, or `translation_reviewed = false` in the page):
    /// readers see a notice that links to the page in `review_fallback`.
    pub unreviewed: Vec<Item>,
    /// The language readers of unchecked translations are pointed to.
    pub review_fallback: String,
    /// Texts of the fact files in this language.
    pub facts: FactsCoverage,
    /// Picture descriptions (alt texts) that translations still have in the source language.
    pub untranslated_alt_texts: usize,
}

/// Counts of one group of files. Each source is in exactly one of the four groups.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct Counts {
    /// Sources in the default language (drafts left out).
    pub total: usize,
    /// Translated and up to date.
    pub translated: usize,
    /// No translation file.
    pub missing: usize,
    /// Source changed since the translation was made.
    pub stale: usize,
    /// Translation still a draft.
    pub draft: usize,
}

/// One source and its translation.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The source file (`content/guide/x.md`).
    pub source: String,
    /// The translation's file, whether it exists or not (`content/guide/x.es.md`).
    pub translation: String,
    /// Whether this is a glossary entry.
    pub glossary: bool,
    /// The source version the translation records (`source_hash`), if any. Without it,
    /// senda cannot tell whether the translation is out of date.
    pub source_hash: Option<String>,
    /// The current source's hash.
    pub current_hash: String,
    /// For stale translations: how the source changed since.
    pub change: Option<Change>,
}

/// How a source changed since its translation was made.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    /// Git history has the translated version: the diff from it to the current file.
    Diff {
        /// The newest commit whose version of the source has the recorded hash.
        commit: String,
        /// That commit's date (`YYYY-MM-DD`).
        date: String,
        /// `git diff` of the source since that commit, at most about 20 lines.
        diff: String,
    },
    /// No history: when the source file was last modified (`YYYY-MM-DD`).
    Date {
        /// Modification date of the source file.
        modified: String,
    },
}

/// Texts of the fact files in one language.
#[derive(Debug, Serialize)]
pub struct FactsCoverage {
    /// Always true when the site builds: a fact file with a text missing in a language is an
    /// error of the build.
    pub complete: bool,
    /// Per fact file.
    pub files: Vec<FactFile>,
}

/// Texts of one fact file.
#[derive(Debug, Serialize)]
pub struct FactFile {
    /// The fact file (`content/facts/mexico.toml`).
    pub file: String,
    /// Texts in the file (labels, notes, text values, table captions, headings and cells).
    pub texts: usize,
    /// Of those, how many have this language's version.
    pub translated: usize,
}

/// Reads the site and computes the coverage of every language but the default one (or only
/// of `only`).
pub fn coverage(config: &Config, only: Option<&str>) -> Result<Coverage> {
    let report = Report::default();
    let content = content::load(config, LoadOptions { drafts: true }, &report)?;
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let facts = facts::load(&content.fact_files, &codes, &report);
    if let Err(errors) = report.check() {
        let list: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        bail!(
            "{}\nsenda cannot count translations until these files can be read: fix the problems above",
            list.join("\n")
        );
    }
    let default = config.default_language().code.clone();
    let languages = config
        .languages
        .iter()
        .skip(1)
        .filter(|language| only.is_none_or(|code| code == language.code))
        .map(|language| language_coverage(config, &content, &facts, language, &default))
        .collect();
    Ok(Coverage {
        version: VERSION,
        default_language: default,
        fallback: config.fallback,
        languages,
    })
}

/// One language's coverage: every page and glossary entry of the default language, and
/// what this language has of it.
fn language_coverage(
    config: &Config,
    content: &content::Content,
    facts: &facts::Facts,
    language: &crate::config::Language,
    default: &str,
) -> LanguageCoverage {
    let lang = language.code.as_str();
    let mut cov = LanguageCoverage {
        code: language.code.clone(),
        name: language.name.clone(),
        percent_translated: 0,
        total: Counts::default(),
        pages: Counts::default(),
        glossary: Counts::default(),
        translated: Vec::new(),
        missing: Vec::new(),
        stale: Vec::new(),
        draft: Vec::new(),
        unreviewed: Vec::new(),
        review_fallback: language.review_fallback.clone(),
        facts: fact_coverage(facts, lang),
        untranslated_alt_texts: 0,
    };
    for (key, langs) in &content.by_key {
        let Some(source) = langs.get(default).map(|&i| &content.pages[i]) else {
            continue;
        };
        if !source.front.draft {
            let translation = langs.get(lang).map(|&i| &content.pages[i]);
            count_page(config, &mut cov, language, key, source, translation);
        }
    }
    cov.total = Counts {
        total: cov.pages.total + cov.glossary.total,
        translated: cov.pages.translated + cov.glossary.translated,
        missing: cov.pages.missing + cov.glossary.missing,
        stale: cov.pages.stale + cov.glossary.stale,
        draft: cov.pages.draft + cov.glossary.draft,
    };
    cov.percent_translated = match cov.total.total {
        0 => 100,
        n => u32::try_from(cov.total.translated * 100 / n).unwrap_or(100),
    };
    cov
}

/// Counts one source page (`key`) and its translation, if any, into `cov`.
fn count_page(
    config: &Config,
    cov: &mut LanguageCoverage,
    language: &crate::config::Language,
    key: &str,
    source: &content::Page,
    translation: Option<&content::Page>,
) {
    let lang = language.code.as_str();
    let glossary = content::glossary_id(key).is_some();
    let current = content::source_hash(source);
    let mut item = Item {
        source: shown(&source.file),
        translation: shown(&translation_file(config, key, lang)),
        glossary,
        source_hash: translation.and_then(|t| t.front.source_hash.clone()),
        current_hash: current.clone(),
        change: None,
    };
    if let Some(t) = translation {
        cov.untranslated_alt_texts +=
            crate::images::markup::untranslated_alts(source.body(), t.body());
    }
    if translation.is_some_and(|t| {
        !t.front.draft && !language.translation_reviewed(t.front.translation_reviewed)
    }) {
        cov.unreviewed.push(item.clone());
    }
    let counts = if glossary {
        &mut cov.glossary
    } else {
        &mut cov.pages
    };
    counts.total += 1;
    match translation {
        None => {
            counts.missing += 1;
            cov.missing.push(item);
        }
        Some(t) if t.front.draft => {
            counts.draft += 1;
            cov.draft.push(item);
        }
        Some(t) if t.front.source_hash.as_ref().is_some_and(|h| *h != current) => {
            counts.stale += 1;
            let recorded = t.front.source_hash.as_deref().unwrap_or_default();
            item.change = Some(super::history::change(config, &source.file, recorded));
            cov.stale.push(item);
        }
        Some(_) => {
            counts.translated += 1;
            cov.translated.push(item);
        }
    }
}

fn fact_coverage(facts: &facts::Facts, lang: &str) -> FactsCoverage {
    let mut files: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut count = |file: &std::path::Path, texts: &[&Texts]| {
        let entry = files.entry(shown(file)).or_default();
        for t in texts.iter().filter(|t| !t.is_empty()) {
            entry.0 += 1;
            if t.get(lang).is_some() {
                entry.1 += 1;
            }
        }
    };
    for fact in facts.facts.values() {
        let mut texts = vec![&fact.meta.label, &fact.meta.note];
        if let Value::Text(t) = &fact.value {
            texts.push(t);
        }
        count(&fact.meta.file, &texts);
    }
    for table in facts.tables.values() {
        let mut texts = vec![
            &table.meta.label,
            &table.meta.note,
            &table.caption,
            &table.corner,
        ];
        texts.extend(&table.columns);
        for row in &table.rows {
            texts.push(&row.label);
            texts.extend(&row.cells);
        }
        count(&table.meta.file, &texts);
    }
    let files: Vec<FactFile> = files
        .into_iter()
        .map(|(file, (texts, translated))| FactFile {
            file,
            texts,
            translated,
        })
        .collect();
    FactsCoverage {
        complete: files.iter().all(|f| f.texts == f.translated),
        files,
    }
}

impl Coverage {
    /// The report for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.languages.is_empty() {
            out.push_str("This site has only one language: there is nothing to translate.\n");
        }
        for (i, l) in self.languages.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            l.write_text(self.fallback, &mut out);
        }
        out
    }
}

impl LanguageCoverage {
    fn write_text(&self, fallback: bool, out: &mut String) {
        let code = &self.code;
        let _ = writeln!(
            out,
            "{} ({code}): {}% translated ({} of {} up to date){}",
            self.name,
            self.percent_translated,
            self.total.translated,
            self.total.total,
            match self.unreviewed.len() {
                0 => String::new(),
                n => format!("; {n} not yet checked by a native speaker"),
            }
        );
        for (what, c) in [("pages", &self.pages), ("glossary entries", &self.glossary)] {
            let _ = writeln!(
                out,
                "  {what}: {} translated, {} missing, {} out of date, {} drafts (of {})",
                c.translated, c.missing, c.stale, c.draft, c.total
            );
        }
        if self.untranslated_alt_texts > 0 {
            let _ = writeln!(
                out,
                "  picture descriptions: {} still in the original language (translate the text in ![…])",
                self.untranslated_alt_texts
            );
        }
        if !self.missing.is_empty() {
            let readers = if fallback {
                "readers of this language see the original, with a notice"
            } else {
                "left out of this language's site (fallback = false)"
            };
            let _ = writeln!(out, "\n  Missing ({}): {readers}.", self.missing.len());
            for item in &self.missing {
                let _ = writeln!(
                    out,
                    "    {}   to start: senda translate {} --to {code}",
                    item.translation, item.source
                );
            }
        }
        self.write_stale(out);
        if !self.draft.is_empty() {
            let _ = writeln!(
                out,
                "\n  Drafts ({}): not published yet; delete `draft = true` when ready.",
                self.draft.len()
            );
            for item in &self.draft {
                let _ = writeln!(out, "    {}", item.translation);
            }
        }
        self.write_unreviewed(out);
        self.write_translated(out);
        let texts: usize = self.facts.files.iter().map(|f| f.texts).sum();
        let done: usize = self.facts.files.iter().map(|f| f.translated).sum();
        let _ = writeln!(
            out,
            "\n  Fact files: {done} of {texts} texts in {code}{}",
            if self.facts.complete {
                " (complete: a fact file with a text missing in a language stops the build)"
            } else {
                ""
            }
        );
        for f in &self.facts.files {
            let _ = writeln!(out, "    {}: {} of {}", f.file, f.translated, f.texts);
        }
    }

    /// Translations whose original changed since, with what changed.
    fn write_stale(&self, out: &mut String) {
        if self.stale.is_empty() {
            return;
        }
        let code = &self.code;
        let _ = writeln!(
            out,
            "\n  Out of date ({}): the original changed after the translation was made.",
            self.stale.len()
        );
        for item in &self.stale {
            let _ = writeln!(
                out,
                "    {}   (original: {})",
                item.translation, item.source
            );
            match &item.change {
                Some(Change::Diff { commit, date, diff }) => {
                    let _ = writeln!(
                        out,
                        "      changes to the original since it was translated (commit {}, {date}):",
                        &commit[..commit.len().min(10)]
                    );
                    for line in diff.lines() {
                        let _ = writeln!(out, "        {line}");
                    }
                }
                Some(Change::Date { modified }) if !modified.is_empty() => {
                    let _ = writeln!(
                        out,
                        "      the original was last changed on {modified} (no git history of the translated version)"
                    );
                }
                _ => {}
            }
            let _ = writeln!(
                out,
                "      when the translation matches it again: senda translate {} --to {code} --mark-current",
                item.source
            );
        }
    }

    /// Up-to-date translations, and whether they record their source version.
    fn write_translated(&self, out: &mut String) {
        if self.translated.is_empty() {
            return;
        }
        let code = &self.code;
        let _ = writeln!(out, "\n  Translated ({}):", self.translated.len());
        let unstamped = self
            .translated
            .iter()
            .filter(|i| i.source_hash.is_none())
            .count();
        let all_unstamped = unstamped == self.translated.len();
        for item in &self.translated {
            let mark = if item.source_hash.is_none() && !all_unstamped {
                "   (no source_hash)"
            } else {
                ""
            };
            let _ = writeln!(out, "    {}{mark}", item.translation);
        }
        if unstamped > 0 {
            let which = if all_unstamped {
                "None of these records"
            } else {
                "Those marked (no source_hash) do not record"
            };
            let _ = writeln!(
                out,
                "  {which} the version of the original it was made from (source_hash), so senda cannot tell whether it is out of date.\n  After checking one against its original, run: senda translate ORIGINAL --to {code} --mark-current"
            );
        }
    }

    fn write_unreviewed(&self, out: &mut String) {
        if self.unreviewed.is_empty() {
            return;
        }
        let _ = writeln!(
            out,
            "\n  Not yet checked by a native speaker ({}): readers see a notice that links to the page in `{}`.\n  Once a fluent speaker has checked one, add `translation_reviewed = true` to its front matter\n  (or set `reviewed = true` under [languages.{}] in site.toml when they all are).",
            self.unreviewed.len(),
            self.review_fallback,
            self.code
        );
        for item in &self.unreviewed {
            let _ = writeln!(out, "    {}", item.translation);
        }
    }
}
