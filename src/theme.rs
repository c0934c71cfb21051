//! The theme (Tera templates and static files) and the interface-string files: the embedded
//! defaults, overridden file by file by the site's own `themes/<name>/` and `i18n/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use crate::config::Config;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// A file of the theme or of `i18n/`, with where it came from.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Shown in messages: `themes/default/templates/page.html`, or `(embedded)/…`.
    pub path: PathBuf,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// The theme's files, by path relative to the theme folder (`templates/page.html`,
/// `static/style.css`), and the interface strings by file name (`es.ftl`).
#[derive(Debug, Clone)]
pub struct Theme {
    /// Templates and static files.
    pub files: BTreeMap<String, SourceFile>,
    /// `i18n/*.ftl`.
    pub strings: BTreeMap<String, SourceFile>,
    /// Zola shortcode templates by file name (`note.html`), and the macros and partials they
    /// may use (`macros/NAME.html`, `partials/NAME.html`): the site's `templates/` over the theme's, over those of the Zola
    /// theme named in a Zola `config.toml`.
    pub shortcodes: BTreeMap<String, SourceFile>,
}

impl Theme {
    /// Templates: name (`page.html`) and text. Shortcodes are not among them: they are
    /// compiled on their own, with their own context.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| Some((path.strip_prefix("templates/")?, file)))
            .filter(|(name, _)| !name.starts_with("shortcodes/"))
    }

    /// Static files: path relative to `static/` and file.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| Some((path.strip_prefix("static/")?, file)))
    }
}

/// Loads the theme named in `site.toml` and the interface strings.
pub(crate) fn load(config: &Config) -> Result<Theme> {
    let theme_dir = config.root.join("themes").join(&config.theme);
    let mut files = BTreeMap::new();
    if config.theme == "default" {
        for (path, bytes) in embedded::THEME {
            files.insert(
                path.to_string(),
                SourceFile {
                    path: PathBuf::from("(embedded theme)").join(path),
                    bytes: bytes.to_vec(),
                },
            );
        }
    } else if !theme_dir.is_dir() {
        bail!(
            "site.toml: theme `{}` not found: there is no folder `{}` (use theme = \"default\" for the built-in theme)",
            config.theme,
            crate::content::display_path(config, &theme_dir).display()
        );
    }
    overlay(config, &theme_dir, &mut files)?;
    let mut strings = BTreeMap::new();
    for (path, bytes) in embedded::I18N {
        strings.insert(
            path.to_string(),
            SourceFile {
                path: PathBuf::from("(embedded i18n)").join(path),
                bytes: bytes.to_vec(),
            },
        );
    }
    overlay(config, &config.root.join("i18n"), &mut strings)?;
    let mut shortcodes = BTreeMap::new();
    if let Some(zola_theme) = zola_theme(config) {
        let dir = config.root.join("themes").join(zola_theme);
        shortcode_files(config, &dir, &mut shortcodes)?;
    }
    for (path, file) in &files {
        if let Some(name) = path.strip_prefix("templates/shortcodes/") {
            shortcodes.insert(name.to_string(), file.clone());
        } else if let Some(name) = path
            .strip_prefix("templates/")
            .filter(|n| n.starts_with("macros/") || n.starts_with("partials/"))
        {
            shortcodes.insert(name.to_string(), file.clone());
        }
    }
    shortcode_files(config, &config.root, &mut shortcodes)?;
    Ok(Theme {
        files,
        strings,
        shortcodes,
    })
}

/// The shortcodes of `dir/templates/shortcodes/` by file name, and the macros and partials
/// they may import or include (`dir/templates/macros/`, `…/partials/`) as `macros/NAME`.
fn shortcode_files(
    config: &Config,
    dir: &Path,
    shortcodes: &mut BTreeMap<String, SourceFile>,
) -> Result<()> {
    overlay(config, &dir.join("templates/shortcodes"), shortcodes)?;
    for folder in ["macros", "partials"] {
        let mut found = BTreeMap::new();
        overlay(config, &dir.join("templates").join(folder), &mut found)?;
        for (name, file) in found {
            shortcodes.insert(format!("{folder}/{name}"), file);
        }
    }
    Ok(())
}

/// The theme a Zola `config.toml` beside `site.toml` names: a site moved from Zola keeps its
/// Zola theme's shortcodes without using its page templates.
fn zola_theme(config: &Config) -> Option<String> {
    let text = std::fs::read_to_string(config.root.join("config.toml")).ok()?;
    let table: toml::Table = toml::from_str(&text).ok()?;
    let theme = table.get("theme")?.as_str()?;
    (theme != config.theme).then(|| theme.to_string())
}

/// The site's own files win over the embedded ones, file by file.
fn overlay(config: &Config, dir: &Path, files: &mut BTreeMap<String, SourceFile>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for (path, rel) in crate::fsx::site_files(&config.root, dir)? {
        files.insert(
            rel,
            SourceFile {
                path: crate::content::display_path(config, &path),
                bytes: crate::fsx::read(&path)?,
            },
        );
    }
    Ok(())
}
