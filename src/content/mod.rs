//! Loads `content/`: pages with their translations, fact files and other assets.

pub(crate) mod front;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Report};

pub use crate::diag::key_line;
pub use front::{Answer, Circumstance, FrontMatter, Question};

/// The home page's key: the content folder's `_index.md`.
pub const HOME: &str = "_index.md";
/// The folder of glossary entries; its `_index.md` is the glossary page.
pub const GLOSSARY_DIR: &str = "glossary/";
/// The glossary page's key.
pub const GLOSSARY: &str = "glossary/_index.md";
/// The decision guide's first question.
pub const DECIDE: &str = "decide/_index.md";
/// The section that lists the circumstance pages.
pub const SITUATIONS: &str = "situations/_index.md";

/// The glossary id of page `key` (`glossary/asylum.md` -> `asylum`); `None` for pages outside
/// the glossary and for the glossary page itself.
pub fn glossary_id(key: &str) -> Option<&str> {
    let id = key.strip_prefix(GLOSSARY_DIR)?.strip_suffix(".md")?;
    (id != "_index" && !id.ends_with("/_index")).then_some(id)
}

/// Whether a source file is a section (`_index.md`) or an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `_index.md`: the home page (at the root) or a section.
    Section,
    /// Any other Markdown file.
    Page,
}

/// One Markdown file in one language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path of the default-language file, relative to `content/`, with `/` separators:
    /// `guide/apply.md`, `guide/_index.md`, `_index.md`. `@/` links name pages by it.
    pub key: String,
    /// Language code of this file.
    pub lang: String,
    /// The file, relative to the site folder, for messages (`content/guide/apply.es.md`).
    pub file: PathBuf,
    /// Section or article.
    pub kind: Kind,
    /// Folder of the page relative to `content/` (`guide`; `` for the root).
    pub dir: String,
    /// The page's own URL segment: its `slug`, else the file or folder name.
    pub slug: String,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// The whole file.
    pub source: String,
    /// Byte offset of the Markdown body in `source`.
    pub body_start: usize,
}

impl Page {
    /// The Markdown after the front matter.
    pub fn body(&self) -> &str {
        &self.source[self.body_start..]
    }

    /// 1-based line in the file of byte `offset` of the body.
    pub fn body_line(&self, offset: usize) -> usize {
        crate::diag::line_of(&self.source, self.body_start + offset)
    }

    /// A problem at `line` of this page's file.
    pub fn diagnostic(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file, line, message).with_source(&self.source)
    }

    /// The section this page belongs to (`guide/_index.md`), or the home page for top-level
    /// files; `None` for the home page itself.
    pub fn parent_key(&self) -> Option<String> {
        match (self.kind, self.dir.as_str()) {
            (Kind::Section, "") => None,
            (Kind::Section, dir) => Some(match dir.rsplit_once('/') {
                Some((parent, _)) => format!("{parent}/_index.md"),
                None => "_index.md".to_string(),
            }),
            (Kind::Page, "") => Some("_index.md".to_string()),
            (Kind::Page, dir) => Some(format!("{dir}/_index.md")),
        }
    }
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Every page in every language, sorted by key then language.
    pub pages: Vec<Page>,
    /// For each key, the index in `pages` of each language's file.
    pub by_key: BTreeMap<String, BTreeMap<String, usize>>,
    /// Fact files: path for messages and text.
    pub fact_files: Vec<(PathBuf, String)>,
    /// Other files (images, PDFs), copied as they are: (source path, path relative to content/).
    pub assets: Vec<(PathBuf, String)>,
}

impl Content {
    /// The page `key` in `lang`, if that file exists.
    pub fn get(&self, key: &str, lang: &str) -> Option<&Page> {
        self.by_key.get(key)?.get(lang).map(|&i| &self.pages[i])
    }
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Keep pages marked `draft = true` (serve shows them; build does not).
    pub drafts: bool,
}

/// Reads and parses every file under `content/`. Problems in single files are recorded in
/// `report`; the build stops after this stage if there were any.
pub fn load(config: &Config, options: LoadOptions, report: &Report) -> Result<Content> {
    let dir = &config.content_dir;
    let mut markdown = Vec::new();
    let mut content = Content::default();
    if !dir.is_dir() {
        anyhow::bail!(
            "this site has no `content` folder: create it and put the pages in it (senda init DIR makes a site to start from)"
        );
    }
    for (path, rel) in crate::fsx::site_files(&config.root, dir)? {
        match path.extension().and_then(|e| e.to_str()) {
            Some("md") => markdown.push((path, rel)),
            Some("toml") => {
                let text = crate::fsx::read_to_string(&path)?;
                content.fact_files.push((display_path(config, &path), text));
            }
            _ => content.assets.push((path, rel)),
        }
    }

    let parsed: Vec<Option<Page>> = markdown
        .par_iter()
        .map(|(path, rel)| read_page(config, path, rel, report))
        .collect();
    let mut pages: Vec<Page> = parsed.into_iter().flatten().collect();
    warn_orphans(config, &pages, report);
    pages.retain(|p| options.drafts || !p.front.draft);
    let order = |lang: &str| config.languages.iter().position(|l| l.code == lang);
    pages.sort_by(|a, b| (&a.key, order(&a.lang)).cmp(&(&b.key, order(&b.lang))));
    inherit_slugs(config, &mut pages);
    for (i, page) in pages.iter().enumerate() {
        content
            .by_key
            .entry(page.key.clone())
            .or_default()
            .insert(page.lang.clone(), i);
    }
    content.pages = pages;
    Ok(content)
}

/// A translation whose original does not exist is built on its own, in no other language, and
/// out of reach of the original's links: usually a renamed or deleted original.
fn warn_orphans(config: &Config, pages: &[Page], report: &Report) {
    let default = &config.default_language().code;
    let originals: std::collections::HashSet<&str> = pages
        .iter()
        .filter(|p| &p.lang == default)
        .map(|p| p.key.as_str())
        .collect();
    for page in pages.iter().filter(|p| !originals.contains(p.key.as_str())) {
        let original = Path::new("content").join(&page.key);
        report.warn(
            Diagnostic::new(
                &page.file,
                0,
                format!(
                    "this translation has no original: `{}` does not exist",
                    original.display()
                ),
            )
            .help(format!(
                "if the original was renamed, rename this file to match it; otherwise add `{}` or delete this file",
                original.display()
            )),
        );
    }
}

/// One warning per language that lacks translations, listing the originals its readers see
/// instead (or that its site leaves out, with `fallback = false`). `build` shows these; `check`
/// has its own warning per file, with the command that starts each translation.
pub fn untranslated(config: &Config, content: &Content) -> Vec<Diagnostic> {
    let default = config.default_language();
    let mut out = Vec::new();
    for language in &config.languages[1..] {
        let missing: Vec<String> = content
            .by_key
            .values()
            .filter(|langs| {
                langs.contains_key(&default.code) && !langs.contains_key(&language.code)
            })
            .filter_map(|langs| {
                Some(
                    content.pages[*langs.get(&default.code)?]
                        .file
                        .display()
                        .to_string(),
                )
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let readers = if config.fallback {
            format!(
                "readers of the {} site see them in {}",
                language.name, default.name
            )
        } else {
            format!(
                "the {} site leaves them out (fallback = false)",
                language.name
            )
        };
        let pages = match missing.len() {
            1 => "1 page has".to_string(),
            n => format!("{n} pages have"),
        };
        out.push(
            Diagnostic::new(
                Path::new("content"),
                0,
                format!(
                    "{pages} no {} ({}) translation, {readers}: {}",
                    language.name,
                    language.code,
                    missing.join(", ")
                ),
            )
            .help(format!(
                "senda status --lang {} lists them; senda translate FILE --to {} starts one",
                language.code, language.code
            )),
        );
    }
    out
}

/// The path shown in messages: relative to the site folder.
pub fn display_path(config: &Config, path: &Path) -> PathBuf {
    path.strip_prefix(&config.root)
        .unwrap_or(path)
        .to_path_buf()
}

fn read_page(config: &Config, path: &Path, rel: &str, report: &Report) -> Option<Page> {
    let file = display_path(config, path);
    let bytes = match crate::fsx::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.error(Diagnostic::new(&file, 0, format!("{e:#}")));
            return None;
        }
    };
    let source = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            // The line of the first byte that is not UTF-8, in the `file:line:` form of
            // every other message.
            let line = crate::diag::line_of(e.as_bytes(), e.utf8_error().valid_up_to());
            report.error(
                Diagnostic::new(&file, line, "this file is not UTF-8 text")
                    .help("save it as UTF-8 in your editor (often: Save As, Encoding: UTF-8)"),
            );
            return None;
        }
    };
    let (key, lang) = match split_language(config, rel) {
        Ok(split) => split,
        Err(message) => {
            report.error(Diagnostic::new(&file, 0, message).help(format!(
                "name translations NAME.CODE.md with a language of site.toml ({})",
                codes(config)
            )));
            return None;
        }
    };
    let (front, body_start) = match front::parse(&file, &source) {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            report.error(*diagnostic);
            return None;
        }
    };
    let (dir, name) = match key.rsplit_once('/') {
        Some((dir, name)) => (dir.to_string(), name),
        None => (String::new(), key.as_str()),
    };
    let kind = if name == "_index.md" {
        Kind::Section
    } else {
        Kind::Page
    };
    let slug = match (&front.slug, kind) {
        (Some(slug), _) => slug.clone(),
        (None, Kind::Section) => dir.rsplit('/').next().unwrap_or_default().to_string(),
        (None, Kind::Page) => name.trim_end_matches(".md").to_string(),
    };
    if let Some(problem) = slug_problem(&slug) {
        report.error(
            Diagnostic::new(&file, key_line(&source, "slug"), problem)
                .help("use lowercase letters, digits and hyphens: slug = \"pedir-asilo\"")
                .with_source(&source),
        );
    }
    Some(Page {
        key,
        lang,
        file,
        kind,
        dir,
        slug,
        front,
        source,
        body_start,
    })
}

/// What is wrong with `slug` as one segment of a web address, if anything.
pub(crate) fn slug_problem(slug: &str) -> Option<String> {
    let bad = slug
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))?;
    Some(format!(
        "the slug `{slug}` has the character `{bad}`, which does not belong in a web address"
    ))
}

/// `guide/apply.es.md` -> (`guide/apply.md`, `es`); `guide/apply.md` -> (same, default).
fn split_language(config: &Config, rel: &str) -> Result<(String, String), String> {
    let default = &config.default_language().code;
    let stem = rel.trim_end_matches(".md");
    let Some((base, suffix)) = stem.rsplit_once('.') else {
        return Ok((rel.to_string(), default.clone()));
    };
    if base.ends_with('/') || base.is_empty() {
        return Ok((rel.to_string(), default.clone()));
    }
    if config.language(suffix).is_some() {
        if suffix == default {
            return Err(format!(
                "`.{suffix}` names the default language; the default language's file has no suffix"
            ));
        }
        return Ok((format!("{base}.md"), suffix.to_string()));
    }
    let looks_like_language =
        (2..=3).contains(&suffix.len()) && suffix.chars().all(|c| c.is_ascii_lowercase());
    if looks_like_language {
        return Err(format!("unknown language suffix `.{suffix}`"));
    }
    Ok((rel.to_string(), default.clone()))
}

fn codes(config: &Config) -> String {
    config
        .languages
        .iter()
        .map(|l| l.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A translation without its own `slug` takes the one its source sets, so that a source's
/// chosen address carries over until a translator picks another.
fn inherit_slugs(config: &Config, pages: &mut [Page]) {
    let default = &config.default_language().code;
    let mut source_slugs: BTreeMap<String, String> = BTreeMap::new();
    for page in pages.iter() {
        if &page.lang == default
            && let Some(slug) = &page.front.slug
        {
            source_slugs.insert(page.key.clone(), slug.clone());
        }
    }
    for page in pages.iter_mut() {
        if page.front.slug.is_none()
            && let Some(slug) = source_slugs.get(&page.key)
        {
            page.slug = slug.clone();
        }
    }
}

/// Line of `text` (a value written in the front matter) in `source`, or 1 when it cannot be
/// found as written (escaped characters). Only Markdown written in front matter (a
/// circumstance's recommendation and steps) still needs it; other values have their line in
/// [`FrontMatter::line`].
pub fn front_line(source: &str, text: &str) -> usize {
    source
        .find(text)
        .map_or(1, |offset| crate::diag::line_of(source, offset))
}

/// The version of a source page a translation was made from: a short hash of its title,
/// description and body (line endings normalised, so an editor's platform does not matter).
pub fn source_hash(page: &Page) -> String {
    hash_parts(&page.front.title, &page.front.description, page.body())
}

/// [`source_hash`] of one version of a source file's whole text (an older version from git
/// history, say); `None` when that version's front matter does not parse.
pub fn source_hash_of(file: &Path, text: &str) -> Option<String> {
    let (front, body_start) = front::parse(file, text).ok()?;
    Some(hash_parts(
        &front.title,
        &front.description,
        &text[body_start..],
    ))
}

fn hash_parts(title: &str, description: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in [title, description, body] {
        hasher.update(part.replace("\r\n", "\n").trim().as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            Path::new("/site"),
            "title = \"t\"\nbase_url = \"https://e.org/\"\ndefault_language = \"en\"\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n",
        )
        .unwrap()
    }

    #[test]
    fn glossary_ids_come_from_entry_keys() {
        assert_eq!(glossary_id("glossary/asylum.md"), Some("asylum"));
        assert_eq!(glossary_id(GLOSSARY), None);
        assert_eq!(glossary_id("guide/asylum.md"), None);
    }

    #[test]
    fn language_suffix_splits_translations() {
        let c = config();
        assert_eq!(
            split_language(&c, "guide/a.es.md").unwrap(),
            ("guide/a.md".into(), "es".into())
        );
        assert_eq!(
            split_language(&c, "guide/a.md").unwrap(),
            ("guide/a.md".into(), "en".into())
        );
        assert_eq!(
            split_language(&c, "_index.es.md").unwrap(),
            ("_index.md".into(), "es".into())
        );
        assert_eq!(
            split_language(&c, "v1.2.md").unwrap(),
            ("v1.2.md".into(), "en".into())
        );
        assert!(
            split_language(&c, "guide/a.fr.md")
                .unwrap_err()
                .contains("`.fr`")
        );
        assert!(split_language(&c, "guide/a.en.md").is_err());
    }
}
