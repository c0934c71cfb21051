//! `senda translate`: starts a translation beside its source, or records that an existing one
//! matches the current source (`--mark-current`). Front matter is edited as text with
//! `toml_edit`, so the translator's comments and key order stay as they were.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml_edit::DocumentMut;

use super::{check_language, shown, translation_file};
use crate::config::Config;

/// What `senda translate` did.
#[derive(Debug)]
pub struct Done {
    /// The translation's file, relative to the site folder.
    pub file: PathBuf,
    /// What to tell the translator.
    pub message: String,
}

/// A source page named on the command line, checked.
struct Source {
    /// Absolute path.
    path: PathBuf,
    /// Relative to the site folder, for messages.
    shown: String,
    /// Relative to content/, with `/`: `guide/x.md`.
    key: String,
    text: String,
}

/// Creates `NAME.LANG.md` beside the source `path`: its front matter with `draft = true` and
/// `source_hash`, its body ready to translate. Refuses to overwrite an existing file.
pub fn start(config: &Config, path: &Path, to: &str) -> Result<Done> {
    let source = source(config, path, to)?;
    let target = translation_file(config, &source.key, to);
    let target_abs = config.root.join(&target);
    let language = config.language(to).map_or(to, |l| l.name.as_str());
    if target_abs.exists() {
        bail!(
            "{} already exists, so nothing was changed.\n  To check it against the original, run: senda status --lang {to}\n  If it is up to date with {}, run: senda translate {} --to {to} --mark-current",
            shown(&target),
            source.shown,
            source.shown
        );
    }
    let hash = hash(&source)?;
    let (front, body) = split(&source.text)
        .with_context(|| format!("{}: the front matter cannot be read", source.shown))?;
    let mut doc = parse(front, &source.shown)?;
    doc["draft"] = toml_edit::value(true);
    doc["source_hash"] = toml_edit::value(hash);
    let text = assemble(&source.text, &doc, body);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target_abs)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .with_context(|| format!("cannot create `{}`", target_abs.display()))?;
    let message = format!(
        "Created {} ({language}), a copy of {} marked as a draft.\n\
         Next:\n\
         \x20 1. Translate the title, the description and the text. Leave {{{{ fact … }}}}, {{{{ table … }}}} and @/ links as they are: they show the right value and page in every language.\n\
         \x20 2. Preview it with: senda serve   (drafts are shown there, not in senda build)\n\
         \x20 3. When it is ready to publish, delete the line `draft = true`.",
        shown(&target),
        source.shown
    );
    Ok(Done {
        file: target,
        message,
    })
}

/// Records in the existing translation of `path` into `to` that it matches the current
/// source: sets (or adds) `source_hash`, leaving everything else as it is.
pub fn mark_current(config: &Config, path: &Path, to: &str) -> Result<Done> {
    let source = source(config, path, to)?;
    let target = translation_file(config, &source.key, to);
    let target_abs = config.root.join(&target);
    if !target_abs.exists() {
        bail!(
            "{} does not exist yet, so there is nothing to mark.\n  To start it, run: senda translate {} --to {to}",
            shown(&target),
            source.shown
        );
    }
    let hash = hash(&source)?;
    let text = crate::fsx::read_to_string(&target_abs)?;
    let (front, body) = split(&text)
        .with_context(|| format!("{}: the front matter cannot be read", shown(&target)))?;
    let mut doc = parse(front, &shown(&target))?;
    let before = doc
        .get("source_hash")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    doc["source_hash"] = toml_edit::value(hash.as_str());
    let draft = doc.get("draft").and_then(|v| v.as_bool()) == Some(true);
    let new_text = assemble(&text, &doc, body);
    crate::fsx::write(&target_abs, new_text.as_bytes())?;
    let mut message = if before.as_deref() == Some(hash.as_str()) {
        format!(
            "{} was already marked as up to date with {}.",
            shown(&target),
            source.shown
        )
    } else {
        format!(
            "Marked {} as up to date with the current {}: it no longer counts as out of date.",
            shown(&target),
            source.shown
        )
    };
    if draft {
        message.push_str(
            "\nIt is still a draft: when it is ready to publish, delete the line `draft = true`.",
        );
    }
    Ok(Done {
        file: target,
        message,
    })
}

/// Finds and checks the source page: a Markdown file under content/, in the default language.
fn source(config: &Config, path: &Path, to: &str) -> Result<Source> {
    check_language(config, to)?;
    let default = &config.default_language().code;
    if to == default {
        bail!(
            "`{to}` is the default language: the originals are written in it. Name the language to translate into, e.g. --to {}",
            config
                .languages
                .iter()
                .find(|l| &l.code != default)
                .map_or("es", |l| l.code.as_str())
        );
    }
    // Relative to the site folder (`-C DIR`) first: that is where `content/…` is.
    let candidate = if config.root.join(path).exists() {
        config.root.join(path)
    } else {
        path.to_path_buf()
    };
    let abs = candidate
        .canonicalize()
        .with_context(|| format!("there is no file `{}`", path.display()))?;
    let content = config
        .content_dir
        .canonicalize()
        .with_context(|| format!("there is no folder `{}`", config.content_dir.display()))?;
    let Ok(rel) = abs.strip_prefix(&content) else {
        bail!(
            "`{}` is not under {}: translations are made of the pages in content/",
            path.display(),
            content.display()
        );
    };
    let key = rel.to_string_lossy().replace('\\', "/");
    let Some(stem) = key.strip_suffix(".md") else {
        bail!(
            "`{}` is not a Markdown page (.md): senda translates pages; fact files hold their texts in every language already",
            path.display()
        );
    };
    if let Some((base, suffix)) = stem.rsplit_once('.')
        && config.language(suffix).is_some()
        && !base.ends_with('/')
        && !base.is_empty()
    {
        bail!(
            "`{}` is itself a translation ({suffix}). Name its original instead: senda translate {} --to {to}",
            path.display(),
            shown(&translation_file(config, &format!("{base}.md"), default))
        );
    }
    let text = crate::fsx::read_to_string(&abs)?;
    Ok(Source {
        shown: shown(&crate::content::display_path(
            config,
            &config.content_dir.join(&key),
        )),
        path: abs,
        key,
        text,
    })
}

fn hash(source: &Source) -> Result<String> {
    crate::content::source_hash_of(&source.path, &source.text).with_context(|| {
        format!(
            "{}: its front matter has a mistake; run senda check to see where",
            source.shown
        )
    })
}

fn parse(front: &str, file: &str) -> Result<DocumentMut> {
    front
        .parse::<DocumentMut>()
        .map_err(|e| anyhow::anyhow!("{file}: the front matter is not valid TOML: {e}"))
}

/// Splits a page into the TOML between its `+++` lines and the body after them.
fn split(text: &str) -> Option<(&str, &str)> {
    let parts = crate::content::front::split(text).ok()?;
    Some((&text[parts.toml], &text[parts.body_start..]))
}

/// The page again: `+++`, the edited front matter, `+++`, the body, with the byte-order mark
/// and line endings of `original`.
fn assemble(original: &str, doc: &DocumentMut, body: &str) -> String {
    let bom = if original.starts_with('\u{feff}') {
        "\u{feff}"
    } else {
        ""
    };
    let newline = if original.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut front = doc.to_string();
    if !front.is_empty() && !front.ends_with('\n') {
        front.push_str(newline);
    }
    format!("{bom}+++{newline}{front}+++{newline}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_front_matter_and_body() {
        let (front, body) = split("+++\ntitle = \"A\"\n+++\nHello\n").expect("front matter");
        assert_eq!(front, "title = \"A\"\n");
        assert_eq!(body, "Hello\n");
        assert!(split("no front matter").is_none());
    }

    #[test]
    fn new_keys_go_before_tables_and_comments_stay() {
        let mut doc: DocumentMut = "# a comment\ntitle = \"A\" # why\n\n[extra]\nx = 1\n"
            .parse()
            .expect("toml");
        doc["draft"] = toml_edit::value(true);
        doc["source_hash"] = toml_edit::value("abc");
        let out = doc.to_string();
        assert!(
            out.starts_with("# a comment\ntitle = \"A\" # why\n"),
            "{out}"
        );
        let extra = out.find("[extra]").expect("table kept");
        assert!(out.find("draft = true").expect("draft") < extra, "{out}");
        let back: toml::Table = toml::from_str(&out).expect("valid");
        assert_eq!(back["source_hash"].as_str(), Some("abc"));
        assert!(back["extra"].get("draft").is_none());
    }
}
