//! `senda import zola`: writes `site.toml` from a Zola site's `config.toml`, and says what
//! senda cannot carry over. Nothing else is written; `config.toml` and `content/` stay as
//! they are.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};
use toml::{Table, Value};
use toml_edit::{DocumentMut, Item, value};

/// What an import wrote and what it could not carry.
#[derive(Debug)]
pub struct Imported {
    /// The text of `site.toml`.
    pub site_toml: String,
    /// One line per thing not carried over, with what to do.
    pub not_carried: Vec<String>,
}

/// Reads `DIR/config.toml` and writes `DIR/site.toml`; returns what was not carried.
pub fn zola(dir: &Path) -> Result<Imported> {
    let config = dir.join("config.toml");
    let site = dir.join("site.toml");
    if site.exists() {
        bail!(
            "`{}` exists already: senda reads that one. Move it away to import config.toml again",
            site.display()
        );
    }
    let text = crate::fsx::read_to_string(&config)
        .with_context(|| format!("there is no Zola site in `{}`", dir.display()))?;
    let table: Table = toml::from_str(&text)
        .map_err(|e| crate::diag::Diagnostic::from_toml(Path::new("config.toml"), &text, 0, &e))?;
    let mut imported = convert(&table)?;
    imported.not_carried.extend(folders(dir, &table));
    crate::fsx::write(&site, imported.site_toml.as_bytes())?;
    Ok(imported)
}

/// Above `[checks]` in an imported site.toml: why those are warnings, and until when.
const CHECKS_COMMENT: &str = "\n# senda checks what Zola did not: links and #anchors that lead nowhere, pictures without a\n# description. Here they are warnings, so the site builds as it did with Zola. Fix what\n# `senda check` lists, then delete this table, so that a new broken link stops the build.\n";

/// Zola's `config.toml`, as a table, to the text of `site.toml`.
pub fn convert(zola: &Table) -> Result<Imported> {
    let mut not_carried = Vec::new();
    let mut doc = DocumentMut::new();
    let text = |key: &str| zola.get(key).and_then(Value::as_str).unwrap_or_default();
    let title = text("title");
    let base_url = text("base_url");
    if base_url.is_empty() {
        bail!("config.toml has no `base_url`: Zola needs one too; add base_url = \"https://…/\"");
    }
    let default = match text("default_language") {
        "" => "en",
        code => code,
    };
    doc["title"] = value(if title.is_empty() { "Untitled" } else { title });
    if !text("description").is_empty() {
        doc["description"] = value(text("description"));
    }
    doc["base_url"] = value(if base_url.contains("://") {
        base_url.to_string()
    } else {
        format!("https://{base_url}")
    });
    doc["default_language"] = value(default);
    doc["theme"] = value("default");
    doc["minify"] = value(zola.get("minify_html").and_then(Value::as_bool) == Some(true));
    // Zola's top-level taxonomies and feeds are the default language's.
    let taxonomies = zola.get("taxonomies").and_then(Value::as_array);
    let mut all_taxonomies: Vec<Value> = taxonomies
        .map(|t| taxonomy_list(t, Some(default)))
        .unwrap_or_default();
    let languages = languages(zola, default, &mut all_taxonomies, &mut not_carried);
    if paginated_taxonomy(zola) {
        not_carried.push("paginate_by of a taxonomy: each term's pages are listed on one page, as a section's are; nothing to do".to_string());
    }
    if !all_taxonomies.is_empty() {
        doc["taxonomies"] = toml_edit::value(array_of(&all_taxonomies)?);
    }
    if let Some(names) = zola.get("feed_filenames").and_then(Value::as_array) {
        let names: Vec<&str> = names.iter().filter_map(Value::as_str).collect();
        let (known, other): (Vec<&str>, Vec<&str>) = names
            .iter()
            .partition(|n| crate::config::FEED_FILENAMES.contains(n));
        if !known.is_empty() {
            doc["feed_filenames"] = value(toml_edit::Array::from_iter(known));
        }
        if !other.is_empty() {
            not_carried.push(format!("feed_filenames {}: senda writes only atom.xml (Atom) and rss.xml (RSS), not feeds from Zola templates", other.join(", ")));
        }
    }
    let mut langs = toml_edit::Table::new();
    langs.set_implicit(true);
    for (code, table) in languages {
        langs.insert(&code, Item::Table(table));
    }
    doc["languages"] = Item::Table(langs);
    let slugify = zola.get("slugify").and_then(Value::as_table);
    let mut slug = toml_edit::Table::new();
    for key in ["paths", "taxonomies", "anchors"] {
        let mode = slugify
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or("on");
        slug[key] = value(mode);
    }
    doc["slugify"] = Item::Table(slug);
    // Zola checks only @/ links; senda checks every link and picture. A site that Zola built
    // may hold broken ones: listed, not fatal, until the author has fixed them.
    let mut checks = toml_edit::Table::new();
    checks["links"] = value("warn");
    checks["alt_text"] = value("warn");
    checks.decor_mut().set_prefix(CHECKS_COMMENT);
    doc["checks"] = Item::Table(checks);
    if let Some(extra) = zola.get("extra").and_then(Value::as_table)
        && !extra.is_empty()
    {
        let extra: DocumentMut = toml::to_string(&Table::from_iter([(
            "extra".to_string(),
            Value::Table(extra.clone()),
        )]))?
        .parse()?;
        for (key, item) in extra.iter() {
            doc[key] = item.clone();
        }
    }
    not_carried.extend(settings(zola));
    let mut site_toml = String::from(
        "# Written by `senda import zola` from config.toml, which senda does not read.\n",
    );
    site_toml.push_str(&doc.to_string());
    Ok(Imported {
        site_toml,
        not_carried,
    })
}

/// `[languages.es]` (Zola 0.15 and later) or `languages = [{ code = "es" }]` (before), with
/// the default language first.
fn languages(
    zola: &Table,
    default: &str,
    taxonomies: &mut Vec<Value>,
    not_carried: &mut Vec<String>,
) -> Vec<(String, toml_edit::Table)> {
    let mut found: Vec<(String, Table)> = vec![(default.to_string(), Table::new())];
    match zola.get("languages") {
        Some(Value::Table(table)) => {
            for (code, lang) in table {
                if let Some(lang) = lang.as_table() {
                    found.push((code.clone(), lang.clone()));
                }
            }
        }
        Some(Value::Array(list)) => {
            for lang in list.iter().filter_map(Value::as_table) {
                if let Some(code) = lang.get("code").and_then(Value::as_str) {
                    found.push((code.to_string(), lang.clone()));
                }
            }
        }
        _ => {}
    }
    let mut out: Vec<(String, toml_edit::Table)> = Vec::new();
    for (code, lang) in found {
        if out.iter().any(|(c, _)| *c == code) {
            continue;
        }
        if !crate::config::is_language_code(&code) {
            not_carried.push(format!(
                "language `{code}`: senda names languages in lowercase (`pt-br`); rename its files' suffixes and add it to site.toml"
            ));
            continue;
        }
        let (name, rtl) = language_name(&code);
        let mut table = toml_edit::Table::new();
        table["name"] = value(name);
        if rtl {
            table["direction"] = value("rtl");
        }
        for key in ["title", "description"] {
            if let Some(text) = lang.get(key).and_then(Value::as_str) {
                table[key] = value(text);
            }
        }
        let feeds_of = if code == default { zola } else { &lang };
        if wants_feeds(feeds_of) {
            table["feeds"] = value(true);
        }
        if code != default && lang.contains_key("feed_filenames") {
            not_carried.push(format!(
                "[languages.{code}] feed_filenames: every language's feeds have the names of the top-level feed_filenames"
            ));
        }
        if let Some(list) = lang.get("taxonomies").and_then(Value::as_array) {
            taxonomies.extend(taxonomy_list(list, Some(&code)));
        }
        if lang.contains_key("translations") {
            not_carried.push(format!(
                "[languages.{code}.translations]: the interface strings of Zola templates are not used; senda's own are in i18n/{code}.ftl (write that file to change them)"
            ));
        }
        out.push((code, table));
    }
    out
}

/// Whether a taxonomy, at the top or in a language, is paginated.
fn paginated_taxonomy(zola: &Table) -> bool {
    let lists = std::iter::once(zola.get("taxonomies")).chain(
        zola.get("languages")
            .and_then(Value::as_table)
            .into_iter()
            .flat_map(|l| l.values().map(|lang| lang.get("taxonomies"))),
    );
    lists
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_table)
        .any(|t| t.contains_key("paginate_by"))
}

/// Whether a Zola table (the top level, or a language) asks for feeds: `generate_feeds`
/// (0.19), `generate_feed` (0.16), `generate_rss` or a language's `feed`/`rss` (before).
fn wants_feeds(table: &Table) -> bool {
    [
        "generate_feeds",
        "generate_feed",
        "generate_rss",
        "feed",
        "rss",
    ]
    .iter()
    .any(|k| table.get(*k).and_then(Value::as_bool) == Some(true))
}

/// Zola's taxonomy tables, as senda declares them (`rss` was `feed` before Zola 0.16).
fn taxonomy_list(list: &[Value], lang: Option<&str>) -> Vec<Value> {
    list.iter()
        .filter_map(Value::as_table)
        .filter_map(|t| {
            let name = t.get("name")?.as_str()?;
            let mut out = Table::new();
            out.insert("name".into(), Value::String(name.into()));
            let lang = t.get("lang").and_then(Value::as_str).or(lang);
            if let Some(lang) = lang {
                out.insert("lang".into(), Value::String(lang.into()));
            }
            let feed = ["feed", "rss"]
                .iter()
                .any(|k| t.get(*k).and_then(Value::as_bool) == Some(true));
            if feed {
                out.insert("feed".into(), Value::Boolean(true));
            }
            if t.get("render").and_then(Value::as_bool) == Some(false) {
                out.insert("render".into(), Value::Boolean(false));
            }
            Some(Value::Table(out))
        })
        .collect()
}

/// Taxonomy tables as an inline array (`[{ name = "tags" }]`).
fn array_of(values: &[Value]) -> Result<toml_edit::Array> {
    let mut array = toml_edit::Array::new();
    for table in values.iter().filter_map(Value::as_table) {
        let mut inline = toml_edit::InlineTable::new();
        for (key, v) in table {
            let v: toml_edit::Value = match v {
                Value::String(s) => s.as_str().into(),
                Value::Boolean(b) => (*b).into(),
                other => bail!("unexpected taxonomy setting `{key} = {other}`"),
            };
            inline.insert(key, v);
        }
        array.push(inline);
    }
    Ok(array)
}

/// The language's name in itself, and whether it is written right to left.
fn language_name(code: &str) -> (String, bool) {
    let base = code.split('-').next().unwrap_or(code);
    let (name, rtl) = match base {
        "en" => ("English", false),
        "es" => ("Español", false),
        "ca" => ("Català", false),
        "fr" => ("Français", false),
        "pt" => ("Português", false),
        "de" => ("Deutsch", false),
        "it" => ("Italiano", false),
        "nl" => ("Nederlands", false),
        "ht" => ("Kreyòl ayisyen", false),
        "ru" => ("Русский", false),
        "uk" => ("Українська", false),
        "zh" => ("中文", false),
        "ja" => ("日本語", false),
        "ko" => ("한국어", false),
        "ar" => ("العربية", true),
        "fa" => ("فارسی", true),
        "he" => ("עברית", true),
        "ur" => ("اردو", true),
        _ => return (code.to_string(), false),
    };
    (name.to_string(), rtl)
}

/// Settings of `config.toml` senda does not carry, each with what to do.
fn settings(zola: &Table) -> Vec<String> {
    let mut out = Vec::new();
    let markdown = zola.get("markdown").and_then(Value::as_table);
    let is_on = |table: Option<&Table>, key: &str| {
        table.and_then(|t| t.get(key)).and_then(Value::as_bool) == Some(true)
    };
    // Before Zola 0.22, highlighting was `highlight_code` and `highlight_theme` (in
    // [markdown], or at the top before 0.14); since, a [markdown.highlighting] table.
    let highlighting = is_on(Some(zola), "highlight_code")
        || is_on(markdown, "highlight_code")
        || markdown.is_some_and(|m| m.contains_key("highlighting"));
    if highlighting {
        out.push("code highlighting ([markdown] highlight_code / highlight_theme, or [markdown.highlighting]): code blocks are shown in one colour, which needs no extra CSS on readers' phones; nothing to do".to_string());
    }
    if is_on(Some(zola), "build_search_index") || zola.contains_key("search") {
        out.push("search index (build_search_index, [search]): senda builds none, as searching would need script; readers find pages through the menu, the section lists and the one-page guide".to_string());
    }
    if is_on(Some(zola), "compile_sass") {
        out.push("Sass (compile_sass, sass/): senda's theme has its own small style sheet; to change the look, put your CSS in themes/default/static/style.css".to_string());
    }
    if let Some(theme) = zola.get("theme").and_then(Value::as_str) {
        out.push(format!("theme = \"{theme}\": Zola page templates are not used; pages use senda's default theme (site.toml: theme = \"default\"). The theme's templates/shortcodes/ stay where they are for shortcodes"));
    }
    if zola.contains_key("translations") {
        out.push("[translations]: the interface strings of Zola templates are not used; senda's own are in i18n/<code>.ftl".to_string());
    }
    for (key, what) in [
        (
            "link_checker",
            "senda build checks every internal link, and files beside pages; external links are not fetched",
        ),
        (
            "taxonomy_root",
            "taxonomy pages are at /tags/ (and /es/tags/), not below another folder",
        ),
        ("feed_limit", "every dated page is in its feeds"),
        (
            "ignored_content",
            "move those files out of content/ (senda copies every file there)",
        ),
    ] {
        if zola.contains_key(key) {
            out.push(format!("{key}: {what}"));
        }
    }
    if let Some(markdown) = markdown {
        for key in [
            "external_links_target_blank",
            "external_links_no_follow",
            "external_links_no_referrer",
            "external_links_class",
            "render_emoji",
            "bottom_footnotes",
            "insert_anchor_links",
            "lazy_async_image",
        ] {
            if markdown.contains_key(key) {
                out.push(format!("[markdown] {key}: senda writes links, footnotes and images its own way (no referrer is ever sent); nothing to do"));
            }
        }
    }
    out
}

/// Folders of a Zola site that senda reads differently.
fn folders(dir: &Path, zola: &Table) -> Vec<String> {
    let mut out = Vec::new();
    let templates = dir.join("templates");
    if templates.is_dir() {
        let mut pages = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&templates) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if name.ends_with(".html") {
                    pages.push(name);
                }
            }
        }
        pages.sort();
        if !pages.is_empty() {
            let mut line = String::from("Zola page templates in templates/ (");
            let _ = write!(line, "{}", pages.join(", "));
            line.push_str("): not used; pages that name one in `template` get a warning and senda's own template. To change the look, copy senda's templates into themes/default/templates/ and edit them");
            out.push(line);
        }
    }
    if dir.join("sass").is_dir() && zola.get("compile_sass").and_then(Value::as_bool) != Some(true)
    {
        out.push("sass/: not compiled; senda's theme has its own style sheet".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(text: &str) -> Imported {
        convert(&toml::from_str(text).expect("TOML")).expect("imported")
    }

    #[test]
    fn languages_as_tables_with_titles() {
        let out = import(
            "base_url = \"https://osc.example\"\ntitle = \"~/osc\"\ndefault_language = \"en\"\nminify_html = false\ntaxonomies = [{name = \"tags\", feed = true}]\n[languages.es]\ntitle = \"~/osc es\"\ndescription = \"Hola\"\ntaxonomies = [{name = \"tags\", paginate_by = 5}]\n[languages.ca]\n[extra]\nmenu = [{name = \"blog\", url = \"blog\"}]\n",
        );
        let config = crate::config::Config::parse(Path::new("."), &out.site_toml)
            .unwrap_or_else(|e| panic!("{e:#}\n{}", out.site_toml));
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["en", "ca", "es"]);
        assert_eq!(config.languages[2].title, "~/osc es");
        assert_eq!(config.languages[2].name, "Español");
        assert_eq!(config.languages[1].title, "~/osc");
        assert!(!config.minify);
        assert_eq!(config.slugify.paths, crate::config::SlugMode::On);
        assert_eq!(config.taxonomies.len(), 2);
        // Zola's top-level taxonomies are the default language's.
        assert_eq!(config.taxonomies[0].lang.as_deref(), Some("en"));
        assert_eq!(config.taxonomies[1].lang.as_deref(), Some("es"));
        assert!(config.taxonomies[0].feed && !config.taxonomies[1].feed);
        assert!(config.languages.iter().all(|l| !l.feeds));
        assert!(
            out.not_carried
                .join("\n")
                .contains("paginate_by of a taxonomy")
        );
        assert!(config.extra.contains_key("menu"), "{}", out.site_toml);
        // What Zola did not check is a warning in an imported site, with the reason above it.
        let warn = crate::config::Level::Warn;
        assert_eq!((config.checks.links, config.checks.alt_text), (warn, warn));
        assert!(
            out.site_toml.contains("# senda checks what Zola did not"),
            "{}",
            out.site_toml
        );
    }

    #[test]
    fn old_language_lists_and_both_markdown_spellings() {
        let old = import(
            "base_url = \"https://e.org\"\nhighlight_code = true\nbuild_search_index = true\nlanguages = [{code = \"es\", rss = true}]\n[slugify]\npaths = \"safe\"\n",
        );
        let config = crate::config::Config::parse(Path::new("."), &old.site_toml)
            .unwrap_or_else(|e| panic!("{e:#}\n{}", old.site_toml));
        assert_eq!(config.languages.len(), 2);
        assert_eq!(config.slugify.paths, crate::config::SlugMode::Safe);
        // `rss = true` on a language asks for that language's feeds only.
        assert!(!config.languages[0].feeds && config.languages[1].feeds);
        assert_eq!(config.feed_filenames, ["atom.xml"]);
        let said = old.not_carried.join("\n");
        assert!(
            said.contains("highlight") && said.contains("search index"),
            "{said}"
        );
        let new = import(
            "base_url = \"https://e.org\"\n[markdown.highlighting]\ntheme = \"kanagawa-wave\"\n",
        );
        assert!(new.not_carried.join("\n").contains("highlight"));
        let pre = import(
            "base_url = \"https://e.org\"\n[markdown]\nhighlight_code = true\nhighlight_theme = \"css\"\n",
        );
        assert!(pre.not_carried.join("\n").contains("highlight"));
    }
}
