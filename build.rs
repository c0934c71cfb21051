//! Embeds the default theme and the interface strings in the binary, so that `senda build`
//! works on a folder that has only `site.toml` and `content/`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = String::new();
    for (name, dir) in [("THEME", "themes/default"), ("I18N", "i18n")] {
        println!("cargo:rerun-if-changed={dir}");
        writeln!(out, "pub(crate) static {name}: &[(&str, &[u8])] = &[")
            .expect("writing to a String");
        let mut files: Vec<_> = walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .collect();
        files.sort_by(|a, b| a.path().cmp(b.path()));
        for entry in files {
            let rel = entry
                .path()
                .strip_prefix(root.join(dir))
                .expect("walkdir yields paths under its root");
            println!("cargo:rerun-if-changed={}", entry.path().display());
            writeln!(
                out,
                "    ({:?}, include_bytes!({:?})),",
                rel.to_string_lossy().replace('\\', "/"),
                entry.path().display().to_string()
            )
            .expect("writing to a String");
        }
        writeln!(out, "];").expect("writing to a String");
    }
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded.rs");
    std::fs::write(dest, out).expect("writing embedded.rs into OUT_DIR");
}
