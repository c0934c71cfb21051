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
}

impl Theme {
    /// Templates: name (`page.html`) and text.
    pub fn templates(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| Some((path.strip_prefix("templates/")?, file)))
    }

    /// Static files: path relative to `static/` and file.
    pub fn statics(&self) -> impl Iterator<Item = (&str, &SourceFile)> {
        self.files
            .iter()
            .filter_map(|(path, file)| Some((path.strip_prefix("static/")?, file)))
    }
}

/// Loads the theme named in `site.toml` and the interface strings.
pub fn load(config: &Config) -> Result<Theme> {
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
    Ok(Theme { files, strings })
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
