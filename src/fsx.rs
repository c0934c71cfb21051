//! Thin wrappers around `std::fs` that name the path in every error.

use std::path::Path;

use anyhow::{Context, Result};

/// Reads a UTF-8 text file.
pub(crate) fn read_to_string(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        let line = crate::diag::line_of(e.as_bytes(), e.utf8_error().valid_up_to());
        anyhow::anyhow!(
            "`{}` is not UTF-8 text (line {line}): save it as UTF-8 in your editor",
            path.display()
        )
    })
}

/// Reads a file's bytes.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Writes a file, creating nothing else.
pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Creates a folder and its parents.
pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder `{}`", path.display()))
}

/// Every file under `dir` whose path has no hidden part (`.git`, `.draft.md`), sorted, with its
/// path relative to `dir` (`/` separators, the link's name when it is a symbolic link).
///
/// Symbolic links are followed when they lead inside `site` and refused otherwise, with an
/// error naming the link: a link out of the site (`content/x.md -> ~/.ssh/id_rsa`) would
/// publish that file, and a pull request can add one. Refused rather than skipped with a
/// warning, because a warning scrolls by in CI while the file it hides is a page or an image
/// someone expects on the site; the error stops the deploy and says what to do.
pub(crate) fn site_files(site: &Path, dir: &Path) -> Result<Vec<(std::path::PathBuf, String)>> {
    let given = site;
    let site = site
        .canonicalize()
        .with_context(|| format!("cannot read the folder `{}`", site.display()))?;
    let shown = |path: &Path| {
        let rel = path
            .strip_prefix(given)
            .or_else(|_| path.strip_prefix(&site));
        rel.unwrap_or(path).display().to_string()
    };
    let mut files = Vec::new();
    let walk = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let path = e.path().map(&shown).unwrap_or_else(|| shown(dir));
            match e.loop_ancestor() {
                Some(_) => anyhow::anyhow!(
                    "`{path}` is a symbolic link to a folder that contains it: remove the link"
                ),
                None => anyhow::anyhow!("cannot read `{path}`: {e}"),
            }
        })?;
        if entry.path_is_symlink() || entry.depth() == 0 {
            let target = entry
                .path()
                .canonicalize()
                .with_context(|| format!("cannot read `{}`", shown(entry.path())))?;
            if !target.starts_with(&site) {
                anyhow::bail!(
                    "`{}` is a symbolic link to `{}`, outside the site folder: senda publishes only files inside the site; copy the file into the site or remove the link",
                    shown(entry.path()),
                    target.display()
                );
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .context("walked outside the folder")?
            .to_string_lossy()
            .replace('\\', "/");
        files.push((entry.into_path(), rel));
    }
    Ok(files)
}
