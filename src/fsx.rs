//! Thin wrappers around `std::fs` that name the path in every error.

use std::path::Path;

use anyhow::{Context, Result};

/// Reads a UTF-8 text file.
pub fn read_to_string(path: &Path) -> Result<String> {
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
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))
}

/// Writes a file, creating nothing else.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path)
        .with_context(|| format!("cannot create folder `{}`", path.display()))
}
