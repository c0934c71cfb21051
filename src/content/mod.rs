//! Loads `content/`: pages with their translations, fact files and other assets.

pub(crate) mod front;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostic, Report};

pub(crate) use front::{Circumstance, FrontMatter, SortBy, key_line};

/// The home page's key: the content folder's `_index.md`.
pub(crate) const HOME: &str = "_index.md";
/// The folder of glossary entries; its `_index.md` is the glossary page.
pub(crate) const GLOSSARY_DIR: &str = "glossary/";
/// The glossary page's key.
pub(crate) const GLOSSARY: &str = "glossary/_index.md";
/// The decision guide's first question.
pub(crate) const DECIDE: &str = "decide/_index.md";
/// The section that lists the circumstance pages.
pub(crate) const SITUATIONS: &str = "situations/_index.md";

/// The glossary id of page `key` (`glossary/asylum.md` -> `asylum`); `None` for pages outside
/// the glossary and for the glossary page itself.
pub(crate) fn glossary_id(key: &str) -> Option<&str> {
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

    /// The line of the front-matter value at `path` (`circumstance.steps.0`), from the TOML
    /// spans; where front matter has none (YAML), the first line that holds `text`.
    pub(crate) fn value_line(&self, path: &str, text: &str) -> usize {
        match self.front.lines.get(path) {
            Some(&line) => line,
            None => front_line(&self.source, text),
        }
    }

    /// The section this page belongs to (`guide/_index.md`), or the home page for top-level
    /// files; `None` for the home page itself.
    pub fn parent_key(&self) -> Option<String> {
        match (self.kind, self.dir.as_str()) {
            (Kind::Section, "") => None,
            (Kind::Section, dir) => Some(match dir.rsplit_once('/') {
                Some((parent, _)) => format!("{parent}/_index.md"),
                None => HOME.to_string(),
            }),
            (Kind::Page, "") => Some(HOME.to_string()),
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
    /// The site's `static/` folder, copied to the output's root: (source path, path relative
    /// to static/).
    pub statics: Vec<(PathBuf, String)>,
}

impl Content {
    /// The page `key` in `lang`, if that file exists.
    pub fn get(&self, key: &str, lang: &str) -> Option<&Page> {
        self.by_key.get(key)?.get(lang).map(|&i| &self.pages[i])
    }
}

/// Options that change what is loaded.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LoadOptions {
    /// Keep pages marked `draft = true` (serve shows them; build does not).
    pub drafts: bool,
}

/// Reads and parses every file under `content/`. Problems in single files are recorded in
/// `report`; the build stops after this stage if there were any.
pub(crate) fn load(config: &Config, options: LoadOptions, report: &Report) -> Result<Content> {
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

    content.statics = files_under(config, &config.root.join("static"))?;
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

/// Every file under `dir` (none when it does not exist), with its path relative to `dir`;
/// hidden files left out, and symbolic links out of the site refused (see
/// [`crate::fsx::site_files`]).
fn files_under(config: &Config, dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    crate::fsx::site_files(&config.root, dir)
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
pub(crate) fn untranslated(config: &Config, content: &Content) -> Vec<Diagnostic> {
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
pub(crate) fn display_path(config: &Config, path: &Path) -> PathBuf {
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
    let front::Parsed {
        front,
        body_start,
        unknown,
    } = match front::parse(&file, &source) {
        Ok(parsed) => parsed,
        Err(diagnostic) => {
            report.error(*diagnostic);
            return None;
        }
    };
    for warning in unknown {
        report.warn(warning);
    }
    let (dir, kind, name) = place(&key);
    let mut front = front;
    let (date, rest) = date_prefix(name);
    if front.date.is_none() {
        front.date = date;
    }
    let mode = config.slugify.paths;
    let slug = mode.apply(front.slug.as_deref().or(rest).unwrap_or(name));
    if mode == crate::config::SlugMode::Check
        && let Some(problem) = slug_problem(&slug)
    {
        report.error(
            Diagnostic::new(&file, key_line(&source, "slug"), problem)
                .help("use lowercase letters, digits and hyphens: slug = \"pedir-asilo\"")
                .with_source(&source),
        );
    }
    if front.title.trim().is_empty() && kind == Kind::Section {
        front.title = match config.language(&lang) {
            Some(language) if dir.is_empty() => language.title.clone(),
            _ => humanize(name),
        };
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

/// Where the file of `key` stands: the folder of its section (`guide`), its kind, and its
/// own name (`apply`; a section's folder name; a bundle's folder name for
/// `blog/post/index.md`, a page with its files beside it).
fn place(key: &str) -> (String, Kind, &str) {
    let (dir, file) = key.rsplit_once('/').unwrap_or(("", key));
    let last = |dir: &'_ str| -> (String, String) {
        match dir.rsplit_once('/') {
            Some((parent, name)) => (parent.to_string(), name.to_string()),
            None => (String::new(), dir.to_string()),
        }
    };
    match file {
        "_index.md" => {
            let name = dir.rsplit('/').next().unwrap_or_default();
            (dir.to_string(), Kind::Section, name)
        }
        "index.md" if !dir.is_empty() => {
            let (parent, _) = last(dir);
            let name = dir.rsplit('/').next().unwrap_or_default();
            (parent, Kind::Page, name)
        }
        _ => (dir.to_string(), Kind::Page, file.trim_end_matches(".md")),
    }
}

/// A date at the start of a file or folder name, as Zola reads it, and the rest of the name
/// after a `-` or `_` (`2022-05-27-title` -> 2022-05-27, `title`; `2026-03-15T07:38:27Z` ->
/// that instant, nothing).
fn date_prefix(name: &str) -> (Option<front::Date>, Option<&str>) {
    let bytes = name.as_bytes();
    let looks_dated = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !looks_dated {
        return (None, None);
    }
    // The longest prefix that is a date or a date and time, then a separator or the end.
    for end in (10..=name.len().min(35)).rev() {
        if !name.is_char_boundary(end) {
            continue;
        }
        let rest = &name[end..];
        let (separated, rest) = match rest.strip_prefix(['-', '_']) {
            Some(after) => (true, after.trim_start()),
            None => (rest.is_empty(), rest),
        };
        if !separated {
            continue;
        }
        if let Some(date) = front::parse_date(&name[..end]) {
            return (Some(date), (!rest.is_empty()).then_some(rest));
        }
    }
    (None, None)
}

/// A title made from a folder name, for a section that has none: `web-development` ->
/// `Web development`.
fn humanize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
/// found as written (escaped characters). Markdown written in front matter (a
/// circumstance's recommendation and steps) and list items (aliases) need it; other values
/// have their line in [`FrontMatter::line`]. A value written in quotes is looked for quoted first, so
/// `aliases = ["a b"]` is found on its own line, not inside a description that holds "a b".
pub(crate) fn front_line(source: &str, text: &str) -> usize {
    [format!("\"{text}\""), format!("'{text}'"), text.to_string()]
        .iter()
        .find_map(|written| source.find(written.as_str()))
        .map_or(1, |offset| crate::diag::line_of(source, offset))
}

/// The version of a source page a translation was made from: a short hash of its title,
/// description and body (line endings normalised, so an editor's platform does not matter).
pub(crate) fn source_hash(page: &Page) -> String {
    hash_parts(&page.front.title, &page.front.description, page.body())
}

/// [`source_hash`] of one version of a source file's whole text (an older version from git
/// history, say); `None` when that version's front matter does not parse.
pub(crate) fn source_hash_of(file: &Path, text: &str) -> Option<String> {
    let front::Parsed {
        front, body_start, ..
    } = front::parse(file, text).ok()?;
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
    fn a_quoted_value_is_found_on_its_own_line() {
        let source = "+++\ndescription = \"one who asks for asylum\"\naliases = [\"asks for asylum\"]\n+++\n";
        assert_eq!(front_line(source, "asks for asylum"), 3);
        assert_eq!(front_line(source, "one who"), 2);
        assert_eq!(front_line(source, "nowhere"), 1);
    }

    #[test]
    fn bundles_and_dated_names() {
        assert_eq!(
            place("blog/post/index.md"),
            ("blog".into(), Kind::Page, "post")
        );
        assert_eq!(place("index.md"), ("".into(), Kind::Page, "index"));
        assert_eq!(
            place("blog/_index.md"),
            ("blog".into(), Kind::Section, "blog")
        );
        let (date, rest) = date_prefix("2022-05-27-dunbar-number");
        assert_eq!(date.map(|d| d.to_string()), Some("2022-05-27".into()));
        assert_eq!(rest, Some("dunbar-number"));
        let (date, rest) = date_prefix("2026-03-15T07:38:27Z");
        assert_eq!(
            date.map(|d| d.to_string()),
            Some("2026-03-15T07:38:27Z".into())
        );
        assert_eq!(rest, None);
        assert_eq!(date_prefix("2022-13-45-x").0, None);
        assert_eq!(date_prefix("20220527-x").0, None);
        assert_eq!(humanize("web-development"), "Web development");
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
