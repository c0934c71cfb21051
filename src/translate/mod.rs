//! Translators' commands: `senda status` (what is missing or out of date), `senda translate`
//! (start a translation or mark it current) and `senda check` (every check, nothing written).

mod check;
mod coverage;
mod history;
mod start;

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Format;
use crate::config::Config;

pub use check::{CheckOutput, check_site};
pub use coverage::{Change, Counts, Coverage, FactFile, Item, LanguageCoverage, coverage};
pub use start::{Done, mark_current, start};

/// `senda check`: builds in memory, checks every internal link and anchor of the HTML, adds
/// translation warnings; prints what to fix. Exit code 1 on errors (on warnings too with
/// `strict`).
pub fn check(root: &Path, format: Format, strict: bool) -> anyhow::Result<ExitCode> {
    let out = check_site(root)?;
    match format {
        Format::Text => print!("{}", out.to_text(strict)),
        Format::Json => println!("{}", serde_json::to_string_pretty(&out.to_json(strict))?),
        Format::Github => crate::github::print_check(&out, root, strict)?,
    }
    Ok(if out.failed(strict) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `senda status`: translation coverage per language. Always exit code 0 when the site loads.
pub fn status(root: &Path, lang: Option<&str>, format: Format) -> anyhow::Result<ExitCode> {
    let config = Config::load(root)?;
    if let Some(code) = lang {
        check_language(&config, code)?;
        if code == config.default_language().code {
            anyhow::bail!(
                "`{code}` is the default language: the originals are written in it, so there is nothing to translate into it"
            );
        }
    }
    let coverage = coverage(&config, lang)?;
    match format {
        Format::Text => print!("{}", coverage.to_text()),
        Format::Json => println!("{}", serde_json::to_string_pretty(&coverage)?),
        Format::Github => crate::github::print_status(&coverage)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `senda translate PATH --to LANG [--mark-current]`.
pub fn translate(
    root: &Path,
    path: &Path,
    to: &str,
    mark_current: bool,
) -> anyhow::Result<ExitCode> {
    let config = Config::load(root)?;
    let done = if mark_current {
        start::mark_current(&config, path, to)?
    } else {
        start(&config, path, to)?
    };
    println!("{}", done.message);
    Ok(ExitCode::SUCCESS)
}

/// Fails with a plain message when `code` is not a language of `site.toml`.
fn check_language(config: &Config, code: &str) -> anyhow::Result<()> {
    if config.language(code).is_none() {
        anyhow::bail!(
            "`{code}` is not a language of this site; site.toml lists: {}",
            language_list(config)
        );
    }
    Ok(())
}

fn language_list(config: &Config) -> String {
    config
        .languages
        .iter()
        .map(|l| format!("{} ({})", l.code, l.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The file of `key` (`guide/x.md`, relative to content/) in `lang`, relative to the site
/// folder: `content/guide/x.es.md`.
fn translation_file(config: &Config, key: &str, lang: &str) -> std::path::PathBuf {
    let rel = if lang == config.default_language().code {
        key.to_string()
    } else {
        format!("{}.{lang}.md", key.trim_end_matches(".md"))
    };
    crate::content::display_path(config, &config.content_dir.join(rel))
}

/// `content/guide/x.md` with `/` separators, for messages and commands to copy.
fn shown(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
