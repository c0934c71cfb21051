//! The only code that writes the site to disk: into a fresh folder beside the output, swapped
//! in only when every file was written, so a failed build leaves the last good site as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::render::Site;

/// Writes `site` to `out`, replacing what was there. Returns the number of files written.
pub fn write(site: &Site, out: &Path) -> Result<usize> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    crate::fsx::create_dir_all(&parent)?;
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let fresh = parent.join(format!(".{name}.senda-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.senda-old-{}", std::process::id()));
    let result = write_all(site, &fresh);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move the old `{}` aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&fresh, out) {
        // Put the old site back: the reader must never see no site at all.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&fresh);
        return Err(e)
            .with_context(|| format!("cannot move the new site into `{}`", out.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove the old site at `{}`", old.display()))?;
    }
    Ok(site.files.len())
}

fn write_all(site: &Site, dir: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    crate::fsx::create_dir_all(dir)?;
    // Folders first, once each, then the files in parallel.
    let mut folders: Vec<PathBuf> = site
        .files
        .keys()
        .filter_map(|p| Path::new(p).parent().map(|f| dir.join(f)))
        .collect();
    folders.dedup();
    for folder in &folders {
        crate::fsx::create_dir_all(folder)?;
    }
    site.files
        .par_iter()
        .try_for_each(|(path, bytes)| crate::fsx::write(&dir.join(path), bytes))
}
