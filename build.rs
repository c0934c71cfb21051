//! Embeds the default theme and the interface strings in the binary, so that `senda build`
//! works on a folder that has only `site.toml` and `content/`; and records the commit the
//! binary is built from, for `senda --version`.

use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

fn main() -> Result<(), Box<dyn Error>> {
    // Read at run time: `env!` would freeze the folder the build script was first compiled
    // in, and a copied target/ (another worktree) would embed that folder's files.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")?;
    let root = Path::new(&manifest_dir);
    println!("cargo:rustc-env=SENDA_COMMIT={}", commit(root));
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

/// The commit this source comes from: in a crate package (crates.io, `cargo install`), the one
/// `cargo package` wrote into `.cargo_vcs_info.json`; in a git checkout, `HEAD`; else `unknown`.
fn commit(root: &Path) -> String {
    let vcs_info = root.join(".cargo_vcs_info.json");
    if let Ok(text) = std::fs::read_to_string(&vcs_info) {
        println!("cargo:rerun-if-changed={}", vcs_info.display());
        // {"git": {"sha1": "<40 hex digits>", ...}, ...}: the first 40-digit hex run is it.
        return text
            .split('"')
            .find(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .map_or_else(|| "unknown".to_string(), |sha| sha[..12].to_string());
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let Some(sha) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".to_string();
    };
    // Build again when HEAD moves: HEAD itself, the branch it names, and packed refs.
    let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in watched {
        if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", &name])
            && Path::new(&path).exists()
        {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    sha
}
