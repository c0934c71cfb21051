//! `site.toml`: read into a raw serde struct, then resolved once into a [`Config`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diagnostic, Report};

/// What `site.toml` says, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: Spanned<String>,
    default_language: Spanned<String>,
    #[serde(default)]
    languages_in_subdirs: bool,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "yes")]
    minify: bool,
    #[serde(default = "yes")]
    fallback: bool,
    languages: BTreeMap<Spanned<String>, RawLanguage>,
    #[serde(default)]
    facts: RawFacts,
    #[serde(default)]
    slugify: Slugify,
    #[serde(default)]
    taxonomies: Vec<Taxonomy>,
    #[serde(default)]
    feeds: bool,
    feed_filenames: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    extra: toml::Table,
    #[serde(default)]
    images: RawImages,
    #[serde(default)]
    checks: Checks,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    name: String,
    locale: Option<String>,
    #[serde(default)]
    direction: Direction,
    title: Option<String>,
    description: Option<String>,
    #[serde(default = "yes")]
    reviewed: bool,
    review_fallback: Option<String>,
    feeds: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacts {
    review_days: Option<Spanned<i64>>,
}

/// The longest review window `site.toml` may set: the most days a date span can hold (about
/// 20,000 years). A window longer than the calendar simply makes nothing stale.
const MAX_REVIEW_DAYS: i64 = 7_304_484;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImages {
    widths: Option<Vec<u32>>,
    quality: Option<u8>,
    page_budget_kb: Option<u64>,
    tap_to_load_kb: Option<u64>,
    guide_embed_kb: Option<u64>,
}

fn default_theme() -> String {
    "default".into()
}

fn yes() -> bool {
    true
}

fn is_yes(value: &bool) -> bool {
    *value
}

/// How a problem in the content that the site's readers would meet is reported: an error stops
/// the build (the default), a warning is listed and the site is built anyway. `senda check
/// --strict` fails on either. `senda import zola` writes `"warn"` for what Zola did not check,
/// so that a site moved from Zola builds as it did, with each problem listed to fix.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Error,
    Warn,
}

impl Level {
    /// Sends `diagnostic` to `report` as an error or as a warning.
    pub fn report(self, report: &Report, diagnostic: Diagnostic) {
        match self {
            Level::Error => report.error(diagnostic),
            Level::Warn => report.warn(diagnostic),
        }
    }
}

/// `[checks]` in site.toml: how each kind of content problem is reported.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checks {
    /// Links, anchors and pictures that lead to nothing in the site.
    #[serde(default)]
    pub links: Level,
    /// Pictures without a description.
    #[serde(default)]
    pub alt_text: Level,
}

/// How names become addresses or anchors (Zola's `[slugify]`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SlugMode {
    /// senda's own: names are kept as written, and a character that does not belong in an
    /// address is an error (the bundled guide: its translators choose every address).
    #[default]
    Check,
    /// Zola's default: ASCII lowercase letters, digits and hyphens (`Ñandú ó` -> `nandu-o`).
    On,
    /// Only the characters that break a path or a file name are removed.
    Safe,
    /// Kept as written.
    Off,
}

impl SlugMode {
    /// `name` as an address segment in this mode.
    pub fn apply(self, name: &str) -> String {
        match self {
            SlugMode::Check | SlugMode::Off => name.to_string(),
            SlugMode::On => ascii_slug(name),
            SlugMode::Safe => name
                .trim_end_matches([' ', '.'])
                .chars()
                .filter(|c| !"<>:/|?*\"\\#".contains(*c))
                .collect(),
        }
    }
}

/// Lowercase ASCII letters and digits, everything else one hyphen, as Zola's `on`.
fn ascii_slug(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in deunicode::deunicode(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.truncate(slug.trim_end_matches('-').len());
    slug
}

/// `[slugify]` in `site.toml`.
#[derive(Debug, Default, Clone, Copy, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Slugify {
    /// File, folder and `slug` names in addresses.
    #[serde(default)]
    pub paths: SlugMode,
    /// Heading anchors.
    #[serde(default)]
    pub anchors: SlugMode,
    /// Taxonomy names and terms in addresses (`check`, senda's default, makes them ASCII as
    /// `on` does: terms are words readers type, not names an editor chose for an address).
    #[serde(default)]
    pub taxonomies: SlugMode,
}

/// A taxonomy of `site.toml` (`taxonomies = [{ name = "tags" }]`), as Zola declares one.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// `tags`: the front matter's `[taxonomies]` key and the address.
    pub name: String,
    /// Only for this language (every language when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// A feed per term.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub feed: bool,
    /// `false`: pages' terms are read, but no list or term page is made.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub render: bool,
}

impl Taxonomy {
    /// Whether the taxonomy is declared for language `code`.
    pub fn is_for(&self, code: &str) -> bool {
        self.lang.as_deref().is_none_or(|l| l == code)
    }
}

/// The feed formats senda writes, by file name (Zola's built-in feed templates).
pub const FEED_FILENAMES: [&str; 2] = ["atom.xml", "rss.xml"];

/// Writing direction of a language.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    #[default]
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian…).
    Rtl,
}

/// One language of the site.
#[derive(Debug, Clone)]
pub struct Language {
    /// Code used in file suffixes and URLs: `es` in `page.es.md` and `/es/`.
    pub code: String,
    /// Name in the language itself, shown in the language switcher.
    pub name: String,
    /// BCP 47 locale used to format numbers and dates (`es-MX`).
    pub locale: String,
    /// Text direction.
    pub direction: Direction,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// Whether a fluent speaker has checked the translations (`reviewed = false` in site.toml
    /// marks every page of the language, unless a page says `translation_reviewed = true`).
    pub reviewed: bool,
    /// The language whose page an unreviewed translation points to (`review_fallback`), by
    /// default the default language.
    pub review_fallback: String,
    /// Feeds of this language's pages (its `feeds`, else the site's).
    pub feeds: bool,
}

impl Language {
    /// Whether a page of this language counts as checked by a fluent speaker: its own
    /// `translation_reviewed` if it has one, else the language's `reviewed`.
    pub fn translation_reviewed(&self, page: Option<bool>) -> bool {
        page.unwrap_or(self.reviewed)
    }
}

/// The resolved configuration: absolute paths, defaults applied, languages checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Folder holding `site.toml`.
    pub root: PathBuf,
    /// `root/content`.
    pub content_dir: PathBuf,
    /// Public URL of the site, always ending in `/`.
    pub base_url: String,
    /// Path part of `base_url` (`/` or `/repo/`), prefixed to every internal URL.
    pub base_path: String,
    /// Languages, the default one first, the others in code order.
    pub languages: Vec<Language>,
    /// Every language under its own prefix (`/en/`, `/es/`) with a chooser at the root.
    pub languages_in_subdirs: bool,
    /// Theme name: `themes/<theme>/` in the site, else the embedded default theme.
    pub theme: String,
    /// Minify HTML and CSS.
    pub minify: bool,
    /// Show untranslated pages in the default language, with a notice.
    pub fallback: bool,
    /// Facts older than this many days are reported.
    pub review_days: i64,
    /// How names become addresses and anchors.
    pub slugify: Slugify,
    /// Taxonomies declared: a list page per taxonomy and a page per term, per language.
    pub taxonomies: Vec<Taxonomy>,
    /// The file names of every feed (`atom.xml`, `rss.xml`): one feed of each per place.
    pub feed_filenames: Vec<String>,
    /// `[extra]`: anything the site's templates need, as `site.extra`.
    pub extra: toml::Table,
    /// How pictures are processed and weighed.
    pub images: crate::images::Settings,
    /// How broken links and missing descriptions are reported.
    pub checks: Checks,
}

impl Config {
    /// Reads and resolves `site.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join("site.toml");
        if !path.exists() && root.join("config.toml").exists() {
            bail!(
                "`{}` is missing, but there is a Zola `config.toml` here: run `senda import zola` to write site.toml from it (config.toml and content/ stay as they are)",
                path.display()
            );
        }
        let text = crate::fsx::read_to_string(&path).with_context(|| {
            format!(
                "no site here: `{}` is missing (run senda in the folder that holds site.toml, or `senda init DIR` to start one)",
                path.display()
            )
        })?;
        Config::parse(root, &text)
    }

    /// Resolves the text of a `site.toml` found in `root`.
    pub fn parse(root: &Path, text: &str) -> Result<Config> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| Diagnostic::from_toml(Path::new(FILE), text, 0, &e))?;
        resolve(root, raw, text)
    }

    /// The default language (the first one).
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// Finds a language by code.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    /// URL prefix of a language's pages, without the base path: `""` or `"es/"`.
    pub fn lang_prefix(&self, code: &str) -> String {
        if self.languages_in_subdirs || code != self.languages[0].code {
            format!("{code}/")
        } else {
            String::new()
        }
    }

    /// Replaces the base URL (`senda build --base-url`).
    pub fn with_base_url(mut self, url: &str) -> Result<Config> {
        let (base_url, base_path) = split_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(self)
    }
}

/// The file every message of this module names.
const FILE: &str = "site.toml";

/// A problem at byte `span.start` of `site.toml`, whose text is `text`.
fn error(text: &str, span: std::ops::Range<usize>, message: String, help: &str) -> Diagnostic {
    Diagnostic::at(Path::new(FILE), text, span.start, message).help(help)
}

fn resolve(root: &Path, raw: RawConfig, text: &str) -> Result<Config> {
    let RawConfig {
        title,
        description,
        base_url,
        default_language,
        languages_in_subdirs,
        theme,
        minify,
        fallback,
        languages: raw_languages,
        facts,
        slugify,
        taxonomies,
        feeds,
        feed_filenames,
        extra,
        images,
        checks,
    } = raw;
    let feed_filenames = resolve_feed_filenames(text, feed_filenames)?;
    let images = resolve_images(images)?;
    let (base_url, base_path) = split_base_url(base_url.get_ref()).map_err(|e| {
        error(
            text,
            base_url.span(),
            format!("{e:#}"),
            "base_url is the address the site is published at: base_url = \"https://example.org/\"",
        )
    })?;
    if !raw_languages.contains_key(default_language.get_ref().as_str()) {
        let code = default_language.get_ref();
        let known: Vec<&str> = raw_languages.keys().map(|k| k.get_ref().as_str()).collect();
        return Err(error(
            text,
            default_language.span(),
            format!("`default_language = \"{code}\"` is not one of the languages"),
            &format!(
                "add a [languages.{code}] table or pick one of: {}",
                known.join(", ")
            ),
        )
        .into());
    }
    let default_language = default_language.into_inner();
    let review_days = review_days(facts.review_days, text)?;
    let known_codes: Vec<String> = raw_languages.keys().map(|k| k.get_ref().clone()).collect();
    let mut languages = Vec::new();
    for (code, raw) in raw_languages {
        let defaults = LanguageDefaults {
            known_codes: &known_codes,
            default_language: &default_language,
            title: &title,
            description: &description,
            feeds,
        };
        let language = resolve_language(code, raw, &defaults, text)?;
        if language.code == default_language {
            languages.insert(0, language);
        } else {
            languages.push(language);
        }
    }
    if let Some(lang) = taxonomies
        .iter()
        .filter_map(|t| t.lang.as_ref())
        .find(|l| !known_codes.contains(l))
    {
        bail!(
            "site.toml: a taxonomy has `lang = \"{lang}\"`, which is not a language of the site: write one of {}, or leave `lang` out to declare it for every language",
            known_codes.join(", ")
        );
    }
    Ok(Config {
        content_dir: root.join("content"),
        root: root.to_path_buf(),
        base_url,
        base_path,
        languages,
        languages_in_subdirs,
        theme,
        minify,
        fallback,
        review_days,
        slugify,
        taxonomies,
        feed_filenames,
        extra,
        images,
        checks,
    })
}

/// `feed_filenames`, `["atom.xml"]` when absent: each must be a format senda writes.
fn resolve_feed_filenames(text: &str, raw: Option<Spanned<Vec<String>>>) -> Result<Vec<String>> {
    let Some(raw) = raw else {
        return Ok(vec![FEED_FILENAMES[0].to_string()]);
    };
    let span = raw.span();
    let names = raw.into_inner();
    if let Some(other) = names.iter().find(|n| !FEED_FILENAMES.contains(&n.as_str())) {
        return Err(error(
            text,
            span,
            format!("senda does not write a feed named `{other}`"),
            "write feed_filenames = [\"atom.xml\"] (Atom), [\"rss.xml\"] (RSS) or both",
        )
        .into());
    }
    Ok(names)
}

/// What a language takes from the site when it does not say.
struct LanguageDefaults<'a> {
    known_codes: &'a [String],
    default_language: &'a str,
    title: &'a str,
    description: &'a str,
    feeds: bool,
}

/// One `[languages.CODE]` table, checked, with the site's values where it is silent.
fn resolve_language(
    code: Spanned<String>,
    raw: RawLanguage,
    defaults: &LanguageDefaults<'_>,
    text: &str,
) -> Result<Language> {
    if !is_language_code(code.get_ref()) {
        return Err(error(
            text,
            code.span(),
            format!("`[languages.{}]` is not a language code", code.get_ref()),
            "a language code is 2 or 3 lowercase letters, optionally followed by a region (`es`, `ht`, `pt-br`)",
        )
        .into());
    }
    let code = code.into_inner();
    let RawLanguage {
        name,
        locale,
        direction,
        title: lang_title,
        description: lang_description,
        reviewed,
        review_fallback,
        feeds: lang_feeds,
    } = raw;
    if let Some(review_fallback) = review_fallback
        .as_ref()
        .filter(|f| !defaults.known_codes.contains(f) || **f == code)
    {
        bail!(
            "site.toml: `[languages.{code}]`: `review_fallback = \"{review_fallback}\"` must name another language of the site: one of {}",
            defaults
                .known_codes
                .iter()
                .filter(|c| **c != code)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(Language {
        review_fallback: review_fallback.unwrap_or_else(|| defaults.default_language.to_string()),
        locale: locale.unwrap_or_else(|| code.clone()),
        title: lang_title.unwrap_or_else(|| defaults.title.to_string()),
        description: lang_description.unwrap_or_else(|| defaults.description.to_string()),
        code,
        name,
        direction,
        reviewed,
        feeds: lang_feeds.unwrap_or(defaults.feeds),
    })
}

/// `[facts] review_days`, 180 when not written.
fn review_days(days: Option<Spanned<i64>>, text: &str) -> Result<i64> {
    match days {
        None => Ok(180),
        Some(days) if (0..=MAX_REVIEW_DAYS).contains(days.get_ref()) => Ok(*days.get_ref()),
        Some(days) => Err(error(
            text,
            days.span(),
            format!("`review_days = {}` is out of range", days.get_ref()),
            &format!("write a number of days from 0 to {MAX_REVIEW_DAYS}: review_days = 180"),
        )
        .into()),
    }
}

fn resolve_images(raw: RawImages) -> Result<crate::images::Settings> {
    let RawImages {
        widths,
        quality,
        page_budget_kb,
        tap_to_load_kb,
        guide_embed_kb,
    } = raw;
    let default = crate::images::Settings::default();
    let mut widths = widths.unwrap_or(default.widths);
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() || widths.iter().any(|&w| !(16..=4096).contains(&w)) {
        bail!(
            "site.toml, [images]: `widths` lists picture widths in pixels, from 16 to 4096: widths = [360, 720]"
        );
    }
    let quality = quality.unwrap_or(default.quality);
    if !(1..=100).contains(&quality) {
        bail!(
            "site.toml, [images]: `quality` goes from 1 (smallest files) to 100 (best pictures); 70 suits phones"
        );
    }
    let kb = |v: Option<u64>, default: u64| v.map_or(default, |kb| kb * 1000);
    Ok(crate::images::Settings {
        widths,
        quality,
        page_budget: kb(page_budget_kb, default.page_budget),
        tap_to_load: kb(tap_to_load_kb, default.tap_to_load),
        guide_embed: kb(guide_embed_kb, default.guide_embed),
    })
}

/// `https://host/repo` -> (`https://host/repo/`, `/repo/`).
fn split_base_url(url: &str) -> Result<(String, String)> {
    let Some((scheme, rest)) = url.split_once("://") else {
        bail!("`{url}` is not a full URL: write it as https://example.org/ (with https://)");
    };
    if scheme != "https" && scheme != "http" {
        bail!("`{url}`: the base URL must start with https:// or http://");
    }
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    };
    let host = rest.split('/').next().unwrap_or_default();
    Ok((format!("{scheme}://{host}{path}"), path))
}

/// `es`, `ht`, `pt-br`: 2 or 3 lowercase letters, optionally a region or script after `-`.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_path_is_kept_and_ends_in_slash() {
        let (url, path) = split_base_url("https://user.github.io/repo").unwrap();
        assert_eq!(url, "https://user.github.io/repo/");
        assert_eq!(path, "/repo/");
        let (url, path) = split_base_url("https://example.org").unwrap();
        assert_eq!(url, "https://example.org/");
        assert_eq!(path, "/");
        assert!(split_base_url("example.org").is_err());
    }

    #[test]
    fn unknown_key_names_the_line() {
        let text = "title = \"t\"\nbase_url = \"https://e.org/\"\ndefault_language = \"en\"\ntitel = 1\n[languages.en]\nname = \"English\"\n";
        let err = Config::parse(Path::new("."), text).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("site.toml:4"), "{msg}");
        assert!(msg.contains("titel"), "{msg}");
    }

    #[test]
    fn slug_modes_as_zola() {
        assert_eq!(
            SlugMode::On.apply("Ñandú ó: 2026-03-15T07:38:27Z"),
            "nandu-o-2026-03-15t07-38-27z"
        );
        assert_eq!(SlugMode::Safe.apply("a: b?.md. "), "a b.md");
        assert_eq!(SlugMode::Off.apply("a: b"), "a: b");
    }

    #[test]
    fn default_language_comes_first() {
        let text = "title = \"t\"\nbase_url = \"https://e.org/\"\ndefault_language = \"es\"\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\nlocale = \"es-MX\"\n";
        let config = Config::parse(Path::new("."), text).unwrap();
        assert_eq!(config.languages[0].code, "es");
        assert_eq!(config.languages[1].locale, "en");
        assert_eq!(config.lang_prefix("es"), "");
        assert_eq!(config.lang_prefix("en"), "en/");
    }

    #[test]
    fn the_longest_review_window_is_the_longest_span() {
        assert!(jiff::Span::new().try_days(MAX_REVIEW_DAYS).is_ok());
        assert!(jiff::Span::new().try_days(MAX_REVIEW_DAYS + 1).is_err());
    }

    #[test]
    fn values_that_cannot_be_resolved_name_their_line() {
        let site = |base_url: &str, default: &str, days: &str| {
            format!(
                "title = \"t\"\nbase_url = \"{base_url}\"\ndefault_language = \"{default}\"\n\
                 [languages.en]\nname = \"English\"\n[facts]\nreview_days = {days}\n"
            )
        };
        for (text, line, words) in [
            (site("e.org", "en", "1"), 2, "not a full URL"),
            (
                site("https://e.org/", "fr", "1"),
                3,
                "`default_language = \"fr\"`",
            ),
            (site("https://e.org/", "en", "7304485"), 7, "out of range"),
        ] {
            let err = Config::parse(Path::new("."), &text).unwrap_err();
            let d = err.downcast_ref::<Diagnostic>().expect("a diagnostic");
            assert_eq!(
                (d.file.as_path(), d.line),
                (Path::new("site.toml"), line),
                "{d}"
            );
            assert!(d.message.contains(words), "{d}");
        }
    }
}
