//! Host files, written from the site's languages and files so that a new language needs no
//! hand edit: `_headers` and `_redirects` (Cloudflare Pages and Netlify read them from the
//! output folder) and `.nojekyll` (GitHub Pages serves the folder as it is).
//!
//! # What lives where
//!
//! Netlify reads `_headers` and `_redirects` from the published folder as well as
//! `netlify.toml`, so senda does not generate `netlify.toml` rules. The split:
//!
//! - **Generated here**: every header (security headers for every path, cache lifetimes per
//!   file, which depend on the fingerprinted file names) and every 404 rule (one per language
//!   prefix, which depends on the languages). Both hosts read them.
//! - **`netlify.toml`, by hand**: the build command, and the root redirected by the browser's
//!   language (`conditions = {Language = [...]}`). Only Netlify has language conditions;
//!   Cloudflare Pages would skip such lines, so there the root stays the language chooser.
//!   `netlify.toml` also repeats the `/*` security headers, so that a missing `_headers`
//!   never publishes a page without them; Netlify does not concatenate a header that both
//!   files set for one path (the `netlify.toml` value is kept), so the copy is harmless.
//!
//! `tests/publish.rs` parses `netlify.toml` and the generated files and fails when they
//! disagree: the same security headers, a redirect and a 404 rule for every language.
//!
//! # Why the 404 rules look as they do
//!
//! Netlify applies a `404` rule only when no file matches (no `!`), so `/es/* /es/404.html
//! 404` never hides a page. Cloudflare Pages takes no `404` rules (it skips the line) but
//! serves the nearest `404.html` up the folder tree by itself, which is the same result. A
//! catch-all `/* /404.html 404` is written only under a sub-path: at the host's root both
//! hosts serve `/404.html` already, and Netlify reads `_redirects` before `netlify.toml`, so a
//! catch-all there would be matched before the language redirect of `/`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::Ctx;
use crate::config::Config;

/// `Content-Security-Policy` of every page. The pages load one external style sheet and
/// images from their own host, and nothing else: no script (the theme has none; the
/// live-reload script exists only in `serve`, which sends no host headers), no inline style
/// (the theme has no `style` element or attribute and raw HTML in Markdown is sanitised), no
/// fonts, no frames, no forms. So `'none'` by default, `'self'` for styles and images, and
/// no `'unsafe-inline'` anywhere.
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `Permissions-Policy`: every powerful feature off; the guide uses none of them, and a
/// reader's location, camera or microphone must never be reachable from its pages.
pub(crate) const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), interest-cohort=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()";

/// Cache lifetime of a fingerprinted file (`style.3f2a1c9e07.css`): its name changes with its
/// content, so it can be kept for a year.
pub(crate) const CACHE_FINGERPRINTED: &str = "public, max-age=31536000, immutable";

/// Cache lifetime of everything else (pages, sitemap): ten minutes, so a corrected fact
/// reaches readers soon while going back and forth between pages costs no data.
pub(crate) const CACHE_SHORT: &str = "public, max-age=600";

/// Adds `_headers`, `_redirects` and `.nojekyll` to `site`. Call it after every other file
/// is in `site` (content assets are taken from `ctx`): the cache rules list the output.
pub(crate) fn files(
    ctx: &Ctx<'_>,
    written: &BTreeSet<String>,
    aliases: &[super::redirects::Alias],
) -> Vec<(String, Vec<u8>)> {
    let paths: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    let copies: Vec<String> = ctx
        .config
        .languages
        .iter()
        .map(|l| super::copy::path(ctx.config, ctx.strings, &l.code))
        .filter(|path| paths.contains(path.as_str()))
        .collect();
    vec![
        (
            "_headers".into(),
            headers(ctx.config, &paths, &copies).into_bytes(),
        ),
        (
            "_redirects".into(),
            redirects(ctx.config, aliases).into_bytes(),
        ),
        (".nojekyll".into(), Vec::new()),
    ]
}

/// `name.0123456789.css`: a file that `generated::statics` fingerprinted.
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty() && hash.len() == 10 && hash.chars().all(|c| c.is_ascii_hexdigit())
}

/// The `_headers` file: security headers for every path, then one cache rule per top-level
/// folder or file of the output, so that no path gets two `Cache-Control` values (Cloudflare
/// Pages joins the values of every matching rule), then the copies of the guide (`copies`)
/// as downloads.
fn headers(config: &Config, paths: &BTreeSet<&str>, copies: &[String]) -> String {
    let base = &config.base_path;
    let mut out = String::from(
        "# Written by senda from site.toml and the built site: edit those, not this file.\n\
         # Cloudflare Pages and Netlify read it; netlify.toml repeats the /* block.\n",
    );
    let _ = writeln!(out, "{base}*");
    for (name, value) in security_headers() {
        let _ = writeln!(out, "  {name}: {value}");
    }
    let mut short: BTreeSet<String> = BTreeSet::new();
    let mut long: BTreeSet<String> = BTreeSet::new();
    short.insert(base.clone());
    for path in paths {
        if matches!(*path, "_headers" | "_redirects" | ".nojekyll") {
            continue;
        }
        match path.split_once('/') {
            _ if is_fingerprinted(path) => {
                long.insert(format!("{base}{path}"));
            }
            Some((folder, _)) => {
                short.insert(format!("{base}{folder}/*"));
            }
            None => {
                short.insert(format!("{base}{path}"));
            }
        }
    }
    for (rules, value) in [(&short, CACHE_SHORT), (&long, CACHE_FINGERPRINTED)] {
        for rule in rules {
            let _ = write!(out, "\n{rule}\n  Cache-Control: {value}\n");
        }
    }
    // The copy of the guide to pass on is for saving: opened from the phone's storage it
    // shows its own style, which the site's policy above would refuse online.
    for copy in copies {
        let _ = write!(out, "\n{base}{copy}\n  Content-Disposition: attachment\n");
    }
    out
}

/// The headers every response gets, in the order they are written.
pub(crate) fn security_headers() -> [(&'static str, &'static str); 4] {
    [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
    ]
}

/// The `_redirects` file: a 301 from each page's old addresses (first: the first rule that
/// matches wins), then each language's 404 page for its prefix, longest prefix first.
fn redirects(config: &Config, aliases: &[super::redirects::Alias]) -> String {
    let base = &config.base_path;
    let mut out = String::from(
        "# Written by senda from site.toml: edit that, not this file.\n\
         # Netlify serves each language's 404 page for its prefix. Cloudflare Pages skips\n\
         # 404 rules and finds the nearest 404.html by itself. The root redirect by the\n\
         # browser's language is in netlify.toml (Netlify only).\n",
    );
    for alias in aliases {
        let _ = writeln!(out, "{base}{} {base}{} 301", alias.from, alias.to);
    }
    for language in &config.languages {
        let prefix = config.lang_prefix(&language.code);
        if !prefix.is_empty() {
            let _ = writeln!(out, "{base}{prefix}* {base}{prefix}404.html 404");
        }
    }
    if base != "/" {
        let _ = writeln!(out, "{base}* {base}404.html 404");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_recognised() {
        assert!(is_fingerprinted("style.7b04e1d43f.css"));
        assert!(is_fingerprinted("print/print.0123456789.css"));
        assert!(!is_fingerprinted("style.css"));
        assert!(!is_fingerprinted("sitemap.xml"));
        assert!(!is_fingerprinted(".0123456789.css"));
    }

    fn config(subdirs: bool, base_url: &str) -> Config {
        let text = format!(
            "title = \"t\"\nbase_url = \"{base_url}\"\ndefault_language = \"en\"\nlanguages_in_subdirs = {subdirs}\n[languages.en]\nname = \"English\"\n[languages.es]\nname = \"Español\"\n[languages.ht]\nname = \"Kreyòl\"\n"
        );
        Config::parse(std::path::Path::new("."), &text).expect("a valid site.toml")
    }

    #[test]
    fn every_language_gets_a_404_rule_under_the_base_path() {
        let text = redirects(&config(true, "https://user.github.io/repo/"), &[]);
        for code in ["en", "es", "ht"] {
            assert!(
                text.contains(&format!("/repo/{code}/* /repo/{code}/404.html 404\n")),
                "{text}"
            );
        }
        assert!(text.ends_with("/repo/* /repo/404.html 404\n"), "{text}");
    }

    #[test]
    fn no_catch_all_at_the_host_root() {
        let text = redirects(&config(false, "https://example.org/"), &[]);
        assert!(text.contains("/es/* /es/404.html 404\n"), "{text}");
        assert!(!text.contains("/* /404.html"), "{text}");
        assert!(!text.contains("/en/"), "{text}");
    }

    #[test]
    fn cache_rules_do_not_overlap() {
        let paths: BTreeSet<&str> = [
            "index.html",
            "404.html",
            "style.7b04e1d43f.css",
            "en/index.html",
            "en/guide/index.html",
            "es/index.html",
            "sitemap.xml",
            "_redirects",
        ]
        .into_iter()
        .collect();
        let copy = "en/whole-guide/t.html".to_string();
        let text = headers(
            &config(true, "https://user.github.io/repo/"),
            &paths,
            std::slice::from_ref(&copy),
        );
        assert!(
            text.ends_with("\n/repo/en/whole-guide/t.html\n  Content-Disposition: attachment\n")
        );
        assert!(text.starts_with("# "), "{text}");
        assert!(text.contains("\n/repo/*\n  Content-Security-Policy: default-src 'none';"));
        assert!(text.contains(
            "\n/repo/style.7b04e1d43f.css\n  Cache-Control: public, max-age=31536000, immutable\n"
        ));
        for rule in ["/repo/", "/repo/en/*", "/repo/es/*", "/repo/sitemap.xml"] {
            assert!(
                text.contains(&format!("\n{rule}\n  Cache-Control: {CACHE_SHORT}\n")),
                "{rule}: {text}"
            );
        }
        assert!(!text.contains("_redirects"), "{text}");
        assert_eq!(text.matches("Cache-Control").count(), 7, "{text}");
    }
}
