//! Pictures for readers on prepaid data: every JPEG, PNG, WebP, GIF and SVG of the site is
//! processed once, before rendering, into a [`Catalogue`] of small, metadata-free files with
//! content-hashed names; the Markdown side ([`markup`]) writes the `<img>` that uses them.
//!
//! The stage is pure apart from its cache: sources in, catalogue and files out. The cache
//! (`.senda-cache/images/` beside `site.toml`) keeps each picture's encoded files under a hash
//! of its bytes and the settings, so that a second build of an unchanged picture decodes and
//! encodes nothing.

pub(crate) mod markup;
mod raster;
pub(crate) mod strip;
mod svg;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Report};

/// Bumped when processing changes, so that cached files from an older senda are not reused.
const CACHE_VERSION: &str = "senda-images-1";

/// How pictures are processed and weighed (`[images]` in `site.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Widths in pixels to produce, narrowest first (never wider than the original).
    pub widths: Vec<u32>,
    /// WebP and JPEG quality, 1–100.
    pub quality: u8,
    /// Bytes of pictures one page may make a phone load before `build` warns.
    pub page_budget: u64,
    /// A picture heavier than this (at the narrowest width) is shown as a link to tap.
    pub tap_to_load: u64,
    /// In the one-page guide, a picture heavier than this is a link, not embedded.
    pub guide_embed: u64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            widths: vec![360, 720],
            quality: 70,
            page_budget: 45_000,
            tap_to_load: 50_000,
            guide_embed: 20_000,
        }
    }
}

/// One picture file of the site, before processing.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Where it is on disk.
    pub path: PathBuf,
    /// The file as the user knows it (`content/guide/map.png`), for messages.
    pub display: PathBuf,
    /// Its path in the output were it copied as it is (`guide/map.png`): pages name it so.
    pub rel: String,
}

/// What kind of picture a [`Image`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// A photo or drawing in pixels.
    Raster,
    /// An animated GIF: a still, and the animation behind a link.
    Animated,
    /// A cleaned SVG drawing.
    Svg,
}

/// One file produced from a picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Path in the output folder (`guide/map.360.3f2a1c9e07.webp`).
    pub path: String,
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Size of the file.
    pub bytes: u64,
}

/// A processed picture: what the markup needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Raster, animated or SVG.
    pub kind: Kind,
    /// WebP files (one SVG for a drawing), narrowest first.
    pub variants: Vec<Variant>,
    /// JPEG or PNG for browsers without WebP, at the narrowest width.
    pub fallback: Option<Variant>,
    /// The cleaned animation of an animated GIF.
    pub animation: Option<Variant>,
}

impl Image {
    /// The file a phone 360 pixels wide loads: the narrowest.
    pub fn phone(&self) -> &Variant {
        &self.variants[0]
    }

    /// The widest file.
    pub fn largest(&self) -> &Variant {
        &self.variants[self.variants.len() - 1]
    }
}

/// Every processed picture, by its path as pages name it (`guide/map.png`).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Source path (relative to the output, as if copied) -> picture.
    pub images: BTreeMap<String, Image>,
}

impl Catalogue {
    /// The picture at `rel` for a page in `lang`: `map.es.png` when it exists (a drawing with
    /// translated words), else `map.png`.
    pub fn get(&self, rel: &str, lang: &str) -> Option<&Image> {
        let translated = rel
            .rsplit_once('.')
            .map(|(stem, ext)| format!("{stem}.{lang}.{ext}"));
        translated
            .and_then(|t| self.images.get(&t))
            .or_else(|| self.images.get(rel))
    }
}

/// The stage's output: the catalogue, and every file to write.
#[derive(Debug, Default)]
pub struct Processed {
    /// What pages may show.
    pub catalogue: Catalogue,
    /// Output path -> bytes.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// Whether senda processes a file of this name (instead of copying it).
pub(crate) fn is_picture(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "gif" | "webp" | "svg")
    )
}

/// The encoded files of one picture, before they get their names: what the cache keeps.
#[derive(Debug)]
pub(crate) struct Encoded {
    pub(crate) kind: Kind,
    /// (width, height, bytes), narrowest first.
    pub(crate) variants: Vec<(u32, u32, Vec<u8>)>,
    pub(crate) fallback: Option<(u32, u32, Vec<u8>)>,
    pub(crate) animation: Option<Vec<u8>>,
}

/// Processes every source, in parallel, reusing what `cache` (a folder; `None`: no cache)
/// holds. A picture that cannot be read or an SVG that is refused is an error in `report`
/// naming the file (and the line, for an SVG).
pub(crate) fn process(
    sources: &[Source],
    settings: &Settings,
    cache: Option<&Path>,
    report: &Report,
) -> Processed {
    let done: Vec<(String, Option<(String, Encoded)>)> = sources
        .par_iter()
        .map(|source| {
            (
                source.rel.clone(),
                process_one(source, settings, cache, report),
            )
        })
        .collect();
    let mut out = Processed::default();
    let mut keys = BTreeSet::new();
    for (rel, encoded) in done {
        let Some((key, encoded)) = encoded else {
            continue;
        };
        keys.insert(key);
        let image = name_files(&rel, encoded, &mut out.files);
        out.catalogue.images.insert(rel, image);
    }
    if let Some(cache) = cache {
        prune(cache, &keys);
    }
    out
}

fn process_one(
    source: &Source,
    settings: &Settings,
    cache: Option<&Path>,
    report: &Report,
) -> Option<(String, Encoded)> {
    let svg = source.rel.to_ascii_lowercase().ends_with(".svg");
    let stamp = cache.and_then(|_| stamp(source, svg, settings));
    if let (Some(cache), Some(stamp)) = (cache, &stamp)
        && let Some(hit) = load_stamped(cache, stamp)
    {
        return Some(hit);
    }
    let bytes = match crate::fsx::read(&source.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.error(Diagnostic::new(&source.display, 0, format!("{e:#}")));
            return None;
        }
    };
    let key = cache_key(&bytes, svg, settings);
    if let Some(encoded) = cache.and_then(|c| load_cached(&c.join(&key))) {
        remember_stamp(cache, stamp.as_deref(), &key);
        return Some((key, encoded));
    }
    let encoded = if svg {
        encode_svg(source, &bytes, report)?
    } else {
        match raster::process(&bytes, &settings.widths, settings.quality) {
            Ok(encoded) => encoded,
            Err(message) => {
                report.error(
                    Diagnostic::new(
                        &source.display,
                        0,
                        format!("cannot use this picture: {message}"),
                    )
                    .help("open it in an image editor and save it again as JPEG or PNG"),
                );
                return None;
            }
        }
    };
    if let Some(cache) = cache {
        // A cache that cannot be written only costs the next build time.
        let _ = store_cached(&cache.join(&key), &encoded);
    }
    remember_stamp(cache, stamp.as_deref(), &key);
    Some((key, encoded))
}

fn encode_svg(source: &Source, bytes: &[u8], report: &Report) -> Option<Encoded> {
    let text = String::from_utf8_lossy(bytes);
    match svg::clean(&text) {
        Ok(clean) => Some(Encoded {
            kind: Kind::Svg,
            variants: vec![(clean.width, clean.height, clean.text.into_bytes())],
            fallback: None,
            animation: None,
        }),
        Err((line, message)) => {
            report.error(
                Diagnostic::new(&source.display, line, message)
                    .help("a drawing may hold shapes, text, gradients and its own styles, nothing that runs or loads from elsewhere: remove that part in your editor, or export the drawing as PNG")
                    .with_source(&text),
            );
            None
        }
    }
}

/// Gives every encoded file its output name, `stem.WIDTH.HASH.ext` beside the source
/// (`guide/map.png` -> `guide/map.360.3f2a1c9e07.webp`), and adds it to `files`.
fn name_files(rel: &str, encoded: Encoded, files: &mut BTreeMap<String, Vec<u8>>) -> Image {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    let mut put = |width: u32, height: u32, bytes: Vec<u8>, ext: &str, with_width: bool| {
        let hash = short_hash(&bytes);
        let path = if with_width {
            format!("{stem}.{width}.{hash}.{ext}")
        } else {
            format!("{stem}.{hash}.{ext}")
        };
        let variant = Variant {
            path: path.clone(),
            width,
            height,
            bytes: bytes.len() as u64,
        };
        files.insert(path, bytes);
        variant
    };
    let svg = encoded.kind == Kind::Svg;
    let variants = encoded
        .variants
        .into_iter()
        .map(|(w, h, bytes)| put(w, h, bytes, if svg { "svg" } else { "webp" }, !svg))
        .collect();
    let fallback = encoded.fallback.map(|(w, h, bytes)| {
        let ext = if bytes.starts_with(b"\x89PNG") {
            "png"
        } else {
            "jpg"
        };
        put(w, h, bytes, ext, true)
    });
    let animation = encoded
        .animation
        .map(|bytes| put(0, 0, bytes, "gif", false));
    Image {
        kind: encoded.kind,
        variants,
        fallback,
        animation,
    }
}

/// The first ten hex digits of the SHA-256 of `bytes`, as `style.HASH.css` has.
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cache_key(bytes: &[u8], svg: bool, settings: &Settings) -> String {
    let mut hasher = Sha256::new();
    hasher.update(CACHE_VERSION);
    if !svg {
        hasher.update(format!("{:?} {}", settings.widths, settings.quality));
    }
    hasher.update(bytes);
    hex(&hasher.finalize())
}

/// The folder of the cache that maps a stamp (see [`stamp`]) to an entry's key.
const STAMPS: &str = ".stamps";

/// What identifies a source's bytes without reading them: its path, length and modification
/// time (to the nanosecond), with the settings. A warm build then neither reads nor hashes an
/// unchanged picture: 200 phone photos are 165 MB, which cost more than the rest of a
/// 2,000-page build. An edit changes the modification time, so it is never missed; a stamp
/// that names no entry falls back to reading the bytes.
fn stamp(source: &Source, svg: bool, settings: &Settings) -> Option<String> {
    let meta = std::fs::metadata(&source.path).ok()?;
    let modified = meta.modified().ok()?;
    let since = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut hasher = Sha256::new();
    hasher.update(CACHE_VERSION);
    hasher.update(format!(
        "{:?} {} {svg} {} {} {}",
        settings.widths,
        settings.quality,
        source.path.display(),
        meta.len(),
        since.as_nanos()
    ));
    Some(hex(&hasher.finalize()))
}

/// The entry a stamp names, when both are still there.
fn load_stamped(cache: &Path, stamp: &str) -> Option<(String, Encoded)> {
    let key = std::fs::read_to_string(cache.join(STAMPS).join(stamp)).ok()?;
    let key = key.trim();
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let encoded = load_cached(&cache.join(key))?;
    Some((key.to_string(), encoded))
}

/// Notes which entry a stamp stands for. A stamp that cannot be written only costs the next
/// build a read of the picture.
fn remember_stamp(cache: Option<&Path>, stamp: Option<&str>, key: &str) {
    if let (Some(cache), Some(stamp)) = (cache, stamp) {
        let dir = cache.join(STAMPS);
        let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(stamp), key));
    }
}

/// The first 16 bytes of a digest, in hex.
fn hex(digest: &[u8]) -> String {
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// What a cache entry's `meta.json` says: the kind and, for each file, its size in pixels.
#[derive(Serialize, Deserialize)]
struct Meta {
    kind: Kind,
    variants: Vec<(u32, u32)>,
    fallback: Option<(u32, u32)>,
    animation: bool,
}

fn load_cached(dir: &Path) -> Option<Encoded> {
    let meta: Meta = serde_json::from_slice(&std::fs::read(dir.join("meta.json")).ok()?).ok()?;
    let read = |name: String| std::fs::read(dir.join(name)).ok();
    let mut variants = Vec::new();
    for (i, (w, h)) in meta.variants.into_iter().enumerate() {
        variants.push((w, h, read(format!("v{i}"))?));
    }
    let fallback = match meta.fallback {
        Some((w, h)) => Some((w, h, read("fallback".into())?)),
        None => None,
    };
    let animation = match meta.animation {
        true => Some(read("animation".into())?),
        false => None,
    };
    Some(Encoded {
        kind: meta.kind,
        variants,
        fallback,
        animation,
    })
}

/// Writes an entry into a folder of its own, then renames it into place: a build stopped
/// halfway leaves no entry that looks complete.
fn store_cached(dir: &Path, encoded: &Encoded) -> anyhow::Result<()> {
    let parent = dir.parent().unwrap_or(dir);
    crate::fsx::create_dir_all(parent)?;
    let temp = tempfile_dir(dir);
    crate::fsx::create_dir_all(&temp)?;
    for (i, (_, _, bytes)) in encoded.variants.iter().enumerate() {
        crate::fsx::write(&temp.join(format!("v{i}")), bytes)?;
    }
    if let Some((_, _, bytes)) = &encoded.fallback {
        crate::fsx::write(&temp.join("fallback"), bytes)?;
    }
    if let Some(bytes) = &encoded.animation {
        crate::fsx::write(&temp.join("animation"), bytes)?;
    }
    let meta = Meta {
        kind: encoded.kind,
        variants: encoded.variants.iter().map(|(w, h, _)| (*w, *h)).collect(),
        fallback: encoded.fallback.as_ref().map(|(w, h, _)| (*w, *h)),
        animation: encoded.animation.is_some(),
    };
    crate::fsx::write(&temp.join("meta.json"), &serde_json::to_vec(&meta)?)?;
    if std::fs::rename(&temp, dir).is_err() {
        // Another thread stored the same picture first.
        let _ = std::fs::remove_dir_all(&temp);
    }
    Ok(())
}

fn tempfile_dir(dir: &Path) -> PathBuf {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    dir.with_file_name(format!(".{name}.{}.{thread}", std::process::id()))
}

/// Removes cache entries no source uses any more, so the cache holds one site's pictures.
fn prune(cache: &Path, keep: &BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !keep.contains(&name) && !name.starts_with('.') {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    // Stamps of entries just removed, or of pictures renamed or edited since.
    let Ok(stamps) = std::fs::read_dir(cache.join(STAMPS)) else {
        return;
    };
    for entry in stamps.flatten() {
        let key = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if !keep.contains(key.trim()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The pictures among a site's files: (path on disk, path relative to the output) pairs, as
/// `content/` assets, `static/` or a theme list them.
pub(crate) fn sources(
    root: &Path,
    files: &[(PathBuf, String)],
) -> (Vec<Source>, Vec<(PathBuf, String)>) {
    let (pictures, others): (Vec<_>, Vec<_>) =
        files.iter().cloned().partition(|(_, rel)| is_picture(rel));
    let pictures = pictures
        .into_iter()
        .map(|(path, rel)| Source {
            display: path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
            path,
            rel,
        })
        .collect();
    (pictures, others)
}

/// The pictures of `static/` under their own names as well, without their metadata: a
/// template or a style sheet may name `/img/logo.png`, which no Markdown picture rewrites.
/// Only pictures `processed` could read are published (the others are errors already); a
/// drawing is published cleaned. Output path -> bytes.
pub(crate) fn originals(
    sources: &[Source],
    processed: &Processed,
    report: &Report,
) -> BTreeMap<String, Vec<u8>> {
    sources
        .par_iter()
        .filter_map(|source| {
            let image = processed.catalogue.images.get(&source.rel)?;
            let bytes = if image.kind == Kind::Svg {
                processed.files.get(&image.largest().path)?.clone()
            } else {
                let read = crate::fsx::read(&source.path)
                    .map_err(|e| format!("{e:#}"))
                    .and_then(|bytes| strip::strip(&source.rel, bytes));
                match read {
                    Ok(bytes) => bytes,
                    Err(message) => {
                        report.error(
                            Diagnostic::new(
                                &source.display,
                                0,
                                format!("cannot publish this picture: {message}"),
                            )
                            .help("open it in an image editor and save it again as JPEG or PNG"),
                        );
                        return None;
                    }
                }
            };
            Some((source.rel.clone(), bytes))
        })
        .collect()
}

/// Where the cache of a site in `root` lives.
pub(crate) fn cache_dir(root: &Path) -> PathBuf {
    root.join(".senda-cache").join("images")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translated_drawing_is_found_before_the_original() {
        let image = Image {
            kind: Kind::Svg,
            variants: vec![],
            fallback: None,
            animation: None,
        };
        let mut catalogue = Catalogue::default();
        catalogue.images.insert("a/map.svg".into(), image.clone());
        let mut es = image;
        es.kind = Kind::Raster;
        catalogue.images.insert("a/map.es.svg".into(), es);
        assert_eq!(
            catalogue.get("a/map.svg", "es").map(|i| i.kind),
            Some(Kind::Raster)
        );
        assert_eq!(
            catalogue.get("a/map.svg", "en").map(|i| i.kind),
            Some(Kind::Svg)
        );
        assert!(catalogue.get("a/nope.svg", "en").is_none());
    }

    #[test]
    fn names_carry_width_and_content_hash() {
        let mut files = BTreeMap::new();
        let image = name_files(
            "guide/map.png",
            Encoded {
                kind: Kind::Raster,
                variants: vec![(360, 200, b"small".to_vec()), (720, 400, b"big".to_vec())],
                fallback: Some((360, 200, b"\xff\xd8jpeg".to_vec())),
                animation: None,
            },
            &mut files,
        );
        assert!(
            image.phone().path.starts_with("guide/map.360."),
            "{:?}",
            image
        );
        assert!(image.largest().path.ends_with(".webp"));
        assert!(
            image
                .fallback
                .as_ref()
                .is_some_and(|f| f.path.ends_with(".jpg"))
        );
        assert_eq!(files.len(), 3);
        assert_eq!(image.phone().bytes, 5);
    }
}
