//! Watches the sources (`content/`, `themes/`, `i18n/`, `static/`, `site.toml`), never the
//! output, and reports changes in bursts: editors write a file in several steps, and one save
//! should cause one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{EventKind, RecursiveMode, Watcher as _};

/// Folders of the site whose every file is a source.
const FOLDERS: [&str; 4] = ["content", "themes", "i18n", "static"];

/// A burst ends after this long without a new event. Short: a save is a few events within a
/// millisecond or two, and the translator is waiting.
const QUIET: Duration = Duration::from_millis(15);

/// A burst never lasts longer than this (a `git checkout` of many files).
const LONGEST: Duration = Duration::from_millis(500);

/// The file watcher and its events.
pub(crate) struct Watcher {
    root: PathBuf,
    inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
}

impl Watcher {
    /// Starts watching the sources of the site in `root`.
    pub(crate) fn new(root: &Path) -> Result<Watcher> {
        let root = root
            .canonicalize()
            .with_context(|| format!("cannot read the folder {}", root.display()))?;
        let (tx, events) = mpsc::channel();
        let mut inner = notify::recommended_watcher(move |event| {
            let _ = tx.send(event);
        })
        .context("cannot watch the site's files")?;
        // The root itself, not recursively: site.toml, and folders created later.
        inner
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch {}", root.display()))?;
        for folder in FOLDERS {
            let path = root.join(folder);
            if path.is_dir() {
                inner
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch {}", path.display()))?;
            }
        }
        Ok(Watcher {
            root,
            inner,
            events,
        })
    }

    /// Waits for the next burst of changes to sources and returns the files concerned; an
    /// empty list when `idle` passed without a change; `None` when watching has stopped.
    pub(crate) fn next_change(&mut self, idle: Option<Duration>) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        while changed.is_empty() {
            let event = match idle {
                Some(idle) => match self.events.recv_timeout(idle) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(Vec::new()),
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
                None => self.events.recv().ok()?,
            };
            self.take(event, &mut changed);
        }
        let started = Instant::now();
        while started.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.take(event, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        changed.sort();
        changed.dedup();
        Some(changed)
    }

    /// Adds the source files `event` concerns to `changed`.
    fn take(&mut self, event: notify::Result<notify::Event>, changed: &mut Vec<PathBuf>) {
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                // Events were lost (e.g. the queue overflowed): rebuild everything to be sure.
                eprintln!("warning: file watching: {e}; rebuilding everything");
                changed.push(self.root.join("site.toml"));
                return;
            }
        };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            let Some(rel) = relevant(&self.root, &path) else {
                continue;
            };
            // A source folder that appeared after the start is watched from now on.
            if rel.components().count() == 1 && FOLDERS.iter().any(|f| rel == Path::new(f)) {
                let _ = self.inner.watch(&path, RecursiveMode::Recursive);
            }
            changed.push(path);
        }
    }
}

/// `path` relative to `root` when it is a source file worth a rebuild.
pub(crate) fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    if !(first == "site.toml" || FOLDERS.contains(&first)) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    if is_editor_temp(name) {
        return None;
    }
    Some(rel.to_path_buf())
}

/// Files editors write beside the real one: Vim's swap files and its `4913` probe, backups
/// (`page.md~`), Emacs's lock and auto-save files (`.#page.md`, `#page.md#`).
pub(crate) fn is_editor_temp(name: &str) -> bool {
    name == "4913"
        || name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".swpx"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_other_folders_are_ignored() {
        let root = Path::new("/site");
        for ignored in [
            "/site/content/.page.md.swp",
            "/site/content/page.md~",
            "/site/content/.#page.md",
            "/site/content/#page.md#",
            "/site/content/4913",
            "/site/public/index.html",
            "/site/.git/index",
            "/site/README.md",
            "/elsewhere/content/x.md",
        ] {
            assert_eq!(relevant(root, Path::new(ignored)), None, "{ignored}");
        }
        for kept in [
            "/site/site.toml",
            "/site/content/guide/page.es.md",
            "/site/content/facts/mexico.toml",
            "/site/themes/default/templates/base.html",
            "/site/i18n/es.ftl",
            "/site/content",
        ] {
            assert!(relevant(root, Path::new(kept)).is_some(), "{kept}");
        }
    }
}
