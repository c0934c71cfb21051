//! The only code that writes the site to disk: into a fresh folder beside the output, swapped
//! in only when every file was written, so a failed build leaves the last good site as it was.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};

use crate::render::{Piecewise, Sink};

/// A fresh folder beside the output that receives the new site. [`Staging::commit`] swaps it
/// in; dropping it without a commit (an error anywhere) removes it and leaves the output alone.
#[derive(Debug)]
pub(crate) struct Staging {
    out: PathBuf,
    fresh: PathBuf,
    folders: Mutex<HashSet<PathBuf>>,
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Prepares `.NAME.senda-new-PID` beside `out`, after checking that the old output can be
    /// replaced: a failure after the old output was moved aside would leave it half removed.
    pub(crate) fn new(out: &Path) -> Result<Staging> {
        check_replaceable(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        crate::fsx::create_dir_all(&parent)?;
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let fresh = parent.join(format!(".{name}.senda-new-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&fresh);
        crate::fsx::create_dir_all(&fresh)?;
        Ok(Staging {
            out: out.to_path_buf(),
            fresh,
            folders: Mutex::new(HashSet::new()),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Replaces the output folder with the new site. Returns the number of files written.
    pub(crate) fn commit(mut self) -> Result<usize> {
        let out = &self.out;
        let old = self.fresh.with_file_name(
            self.fresh
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .replace("senda-new", "senda-old"),
        );
        if out.exists() {
            std::fs::rename(out, &old)
                .with_context(|| format!("cannot move the old `{}` aside", out.display()))?;
        }
        if let Err(e) = std::fs::rename(&self.fresh, out) {
            // Put the old site back: readers must never find no site at all.
            let _ = std::fs::rename(&old, out);
            return Err(e)
                .with_context(|| format!("cannot move the new site into `{}`", out.display()));
        }
        self.committed = true;
        if old.exists() {
            remove_dir_all_parallel(&old)
                .with_context(|| format!("cannot remove the old site at `{}`", old.display()))?;
        }
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl Staging {
    /// The path of `path` in the fresh folder, its folder created (once).
    fn prepare(&self, path: &str) -> Result<PathBuf> {
        let file = self.fresh.join(path);
        if let Some(folder) = file.parent() {
            let mut folders = self
                .folders
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if !folders.contains(folder) {
                crate::fsx::create_dir_all(folder)?;
                folders.insert(folder.to_path_buf());
            }
        }
        Ok(file)
    }
}

impl Sink for Staging {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        let file = self.prepare(&path)?;
        crate::fsx::write(&file, &bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn open(&self, path: String) -> Result<Piecewise> {
        let file = self.prepare(&path)?;
        let handle = std::fs::File::create(&file)
            .with_context(|| format!("cannot write `{}`", file.display()))?;
        Ok(Piecewise::on_disk(path, handle, file))
    }

    fn close(&self, file: Piecewise) -> Result<()> {
        file.finish()?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.fresh);
        }
    }
}

/// Fails, saying what to do, when `out` exists and is not a folder, or when the old output
/// cannot be moved aside and removed: a folder that is read-only or marked immutable, at any
/// depth, or a file marked immutable. Checks without writing anything.
fn check_replaceable(out: &Path) -> Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(());
    };
    if !meta.is_dir() {
        anyhow::bail!(
            "the output `{}` is a file, not a folder: senda writes the site into a folder; move the file away or choose another folder with --out",
            out.display()
        );
    }
    for entry in walkdir::WalkDir::new(out) {
        let entry =
            entry.with_context(|| format!("cannot read the old output `{}`", out.display()))?;
        if let Some(why) = unremovable(entry.path(), entry.file_type().is_dir()) {
            anyhow::bail!(
                "cannot replace the output `{}`: `{}` {why}; nothing was changed",
                out.display(),
                entry.path().display()
            );
        }
    }
    Ok(())
}

/// Why `path` could not be removed along with the old output, if it could not.
#[cfg(unix)]
fn unremovable(path: &Path, is_dir: bool) -> Option<&'static str> {
    use rustix::fs::Access;
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags};
        let flags = rustix::fs::statx(
            CWD,
            path,
            AtFlags::SYMLINK_NOFOLLOW,
            StatxFlags::BASIC_STATS,
        )
        .map(|s| s.stx_attributes & s.stx_attributes_mask)
        .unwrap_or(StatxAttributes::empty());
        if flags.intersects(StatxAttributes::IMMUTABLE | StatxAttributes::APPEND) {
            return Some(
                "is marked immutable or append-only (see lsattr; chattr -i -a removes the mark)",
            );
        }
    }
    // A folder's entries can be removed only when it is writable (and searchable).
    if is_dir && rustix::fs::access(path, Access::WRITE_OK | Access::EXEC_OK).is_err() {
        return Some("is read-only (chmod -R u+w makes it writable) or on a read-only disk");
    }
    None
}

#[cfg(not(unix))]
fn unremovable(path: &Path, is_dir: bool) -> Option<&'static str> {
    let readonly = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    (is_dir && readonly).then_some("is read-only")
}

/// Removes a folder, its subfolders in parallel: a large site's old copy is thousands of
/// files, and removing them one by one was a tenth of a build's wall time.
fn remove_dir_all_parallel(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}
