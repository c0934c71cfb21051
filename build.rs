//! Embeds the default theme and the interface strings in the binary, so that `senda build`
//! works on a folder that has only `site.toml` and `content/`.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    // Read at run time: `env!` would freeze the folder the build script was first compiled
    // in, and a copied target/ (another worktree) would embed that folder's files.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")?;
    let root = Path::new(&manifest_dir);
    let mut out = String::new();
    for (name, dir) in [("THEME", "themes/default"), ("I18N", "i18n")] {
        println!("cargo:rerun-if-changed={dir}");
        writeln!(out, "pub(crate) static {name}: &[(&str, &[u8])] = &[")?;
        let base = root.join(dir);
        for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
            let entry = entry?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&base)?;
            println!("cargo:rerun-if-changed={}", entry.path().display());
            writeln!(
                out,
                "    ({:?}, include_bytes!({:?})),",
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().display().to_string()
            )?;
        }
        writeln!(out, "];")?;
    }
    let dest = Path::new(&std::env::var("OUT_DIR")?).join("embedded.rs");
    std::fs::write(dest, out)?;
    Ok(())
}
