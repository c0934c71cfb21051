//! `senda check`: the build's checks (in memory, nothing written), then every internal link
//! and anchor of the generated HTML, then missing, stale and draft translations as warnings.
//!
//! JSON shape (`--format json`):
//! `{"errors": [{"file", "line", "message", "help"}], "warnings": [...], "summary": {"errors",
//! "warnings", "pages", "files", "links_checked", "strict", "passed"}}`. `file` is relative to
//! the site folder (an output path such as `es/fuentes/index.html` for generated pages that
//! have no source file; empty for problems of the whole site); `line` is 1-based, 0 when the
//! whole file is concerned; `help` may be null.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Result;
use html5gum::{DefaultEmitter, Token, Tokenizer};
use serde_json::json;

use super::coverage::coverage;
use crate::config::Config;
use crate::diag::{Diagnostic, Errors, Report};
use crate::render::Site;

/// Everything `senda check` found.
#[derive(Debug, Default)]
pub struct CheckOutput {
    /// Problems that stop a build.
    pub errors: Vec<Diagnostic>,
    /// Problems worth fixing that do not stop a build.
    pub warnings: Vec<Diagnostic>,
    /// Pages built (0 when the build failed).
    pub pages: usize,
    /// Files the build would write.
    pub files: usize,
    /// Internal links and anchors checked in the HTML.
    pub links_checked: usize,
}

/// Runs every check on the site in `root`. Writes nothing.
pub fn check_site(root: &Path) -> Result<CheckOutput> {
    let mut out = CheckOutput::default();
    let config = match Config::load(root) {
        Ok(config) => config,
        Err(e) => {
            out.errors.push(to_diagnostics(&e).remove(0));
            return Ok(out);
        }
    };
    let report = Report::default();
    match crate::build(&config, &crate::BuildOptions::default(), &report) {
        Ok(site) => {
            out.pages = site.pages.values().sum();
            out.files = site.files.len();
            let (errors, checked) = check_links(&config, &site);
            out.errors.extend(errors);
            out.links_checked = checked;
        }
        Err(e) => out.errors.extend(to_diagnostics(&e)),
    }
    out.warnings = report.warnings();
    // When the content does not load, the build's errors already say why.
    if let Ok(coverage) = coverage(&config, None) {
        out.warnings
            .extend(translation_warnings(&config, &coverage));
    }
    Ok(out)
}

/// The diagnostics inside a build error: a list of them, one, or a plain message.
fn to_diagnostics(e: &anyhow::Error) -> Vec<Diagnostic> {
    if let Some(errors) = e.downcast_ref::<Errors>() {
        return errors.0.clone();
    }
    if let Some(d) = e.downcast_ref::<Diagnostic>() {
        return vec![d.clone()];
    }
    vec![Diagnostic::new(Path::new(""), 0, format!("{e:#}"))]
}

fn translation_warnings(config: &Config, coverage: &super::Coverage) -> Vec<Diagnostic> {
    let default = &config.default_language().name;
    let mut out = Vec::new();
    for l in &coverage.languages {
        let (code, name) = (&l.code, &l.name);
        for item in &l.missing {
            let readers = if config.fallback {
                format!("readers of the {name} site see this page in {default}, with a notice")
            } else {
                format!("the {name} site leaves this page out (fallback = false in site.toml)")
            };
            out.push(
                Diagnostic::new(
                    Path::new(&item.source),
                    0,
                    format!("no {name} ({code}) translation yet: {readers}"),
                )
                .help(format!(
                    "to start one, run: senda translate {} --to {code}",
                    item.source
                )),
            );
        }
        for item in &l.stale {
            let (line, text) = key_line(config, &item.translation, "source_hash");
            out.push(
                Diagnostic::new(
                    Path::new(&item.translation),
                    line,
                    format!(
                        "the original {} changed after this translation was made",
                        item.source
                    ),
                )
                .help(format!(
                    "see what changed with: senda status --lang {code}; update the translation, then run: senda translate {} --to {code} --mark-current",
                    item.source
                ))
                .with_source(&text),
            );
        }
        for item in &l.draft {
            let (line, text) = key_line(config, &item.translation, "draft");
            out.push(
                Diagnostic::new(
                    Path::new(&item.translation),
                    line,
                    "this translation is a draft: readers see the original until it is published",
                )
                .help("when it is ready, delete the line `draft = true`")
                .with_source(&text),
            );
        }
    }
    out
}

/// Line of `key = …` in `file` (relative to the site folder), and the file's text.
fn key_line(config: &Config, file: &str, key: &str) -> (usize, String) {
    let text = std::fs::read_to_string(config.root.join(file)).unwrap_or_default();
    (crate::content::key_line(&text, key), text)
}

/// What one HTML file holds for the link check.
#[derive(Default)]
struct Html {
    ids: HashSet<String>,
    /// URLs, each with whether it is a `<link>` element's (canonical, hreflang alternates).
    links: Vec<(String, bool)>,
}

/// Tokenises `html` and collects its ids and the URLs it links to or loads.
fn scan(html: &str) -> Html {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut out = Html::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
        let attr = |a: &str| {
            tag.attributes
                .get(a.as_bytes())
                .map(|v| String::from_utf8_lossy(&v.value).into_owned())
        };
        if let Some(id) = attr("id") {
            out.ids.insert(id);
        }
        if name == "a"
            && let Some(anchor) = attr("name")
        {
            out.ids.insert(anchor);
        }
        let url_attr = match name.as_str() {
            "a" | "area" | "link" => "href",
            "img" | "script" | "source" | "iframe" | "audio" | "video" | "track" | "embed" => "src",
            _ => continue,
        };
        if let Some(url) = attr(url_attr) {
            out.links.push((url, name == "link"));
        }
    }
    out
}

/// Checks every link of every HTML file of `site` that points inside the site: the target file
/// exists, and its `#fragment` is an id on the target page. Returns the problems and the
/// number of links checked.
fn check_links(config: &Config, site: &Site) -> (Vec<Diagnostic>, usize) {
    let pages: BTreeMap<&str, Html> = site
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), scan(&String::from_utf8_lossy(bytes))))
        .collect();
    let mut sources: HashMap<PathBuf, String> = HashMap::new();
    let mut seen = HashSet::new();
    let mut errors = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        for (href, is_link_tag) in &html.links {
            let Some(link) = resolve(config, page, href, *is_link_tag) else {
                continue;
            };
            checked += 1;
            let problem = match &link.path {
                Err(()) => Some((
                    format!("the link `{href}` points outside this site's address ({})", config.base_path),
                    "links inside the site start with the base path of base_url; write page links as @/section/page.md".to_string(),
                    None,
                )),
                Ok(target) => match target_file(site, target) {
                    None => Some((
                        format!("the link `{href}` leads to no page or file of the site"),
                        "link to a page by its file: @/guide/apply-in-mexico.md; to a file by its path under content/".to_string(),
                        None,
                    )),
                    Some(file) => link.fragment.as_ref().and_then(|fragment| {
                        let ids = &pages.get(file.as_str())?.ids;
                        (!ids.contains(fragment)).then(|| {
                            let where_ = if file == *page {
                                "on this page".to_string()
                            } else {
                                format!("on /{}", file.trim_end_matches("index.html"))
                            };
                            (
                                format!("the anchor `#{fragment}` does not exist {where_}"),
                                "link to a heading's id: the heading text in lowercase with hyphens (## Who can apply? -> #who-can-apply)".to_string(),
                                Some(fragment.clone()),
                            )
                        })
                    }),
                },
            };
            let Some((message, help, fragment)) = problem else {
                continue;
            };
            let (file, line, text) = match site.sources.get(*page) {
                Some(source) => {
                    let text = sources
                        .entry(source.clone())
                        .or_insert_with(|| {
                            std::fs::read_to_string(config.root.join(source)).unwrap_or_default()
                        })
                        .clone();
                    let needle = fragment.map_or_else(|| href.clone(), |f| format!("#{f}"));
                    let line = text
                        .find(&needle)
                        .map_or(0, |offset| crate::diag::line_of(&text, offset));
                    (source.clone(), line, text)
                }
                None => (PathBuf::from(*page), 0, String::new()),
            };
            let help = match (line, site.sources.contains_key(*page)) {
                (0, true) => format!(
                    "{help} (the link is not in the page's text: it may come from the theme's templates)"
                ),
                (_, false) => format!(
                    "{help} (senda generates this page from the site's pages and the theme's templates: the link comes from one of them)"
                ),
                _ => help,
            };
            if !seen.insert((file.clone(), line, message.clone())) {
                continue;
            }
            errors.push(
                Diagnostic::new(&file, line, message)
                    .help(help)
                    .with_source(&text),
            );
        }
    }
    (errors, checked)
}

/// An internal link: the output path it names (relative to the output folder; `Err` when it
/// is below the host's root but outside the site's base path) and its decoded fragment.
struct Link {
    path: Result<String, ()>,
    fragment: Option<String>,
}

/// Resolves `href` found in output file `page`; `None` for links to other sites, `mailto:`…
/// Full URLs under `base_url` count as internal only in `<link>` elements (`own_url`), which
/// senda writes itself: in text, such a URL may name something else hosted beside the site.
fn resolve(config: &Config, page: &str, href: &str, own_url: bool) -> Option<Link> {
    let href = href.trim();
    let absolute;
    let href = match href
        .strip_prefix(config.base_url.as_str())
        .filter(|_| own_url)
    {
        Some(rest) => {
            absolute = format!("{}{rest}", config.base_path);
            absolute.as_str()
        }
        None => href,
    };
    if href.is_empty() || href.starts_with("//") || has_scheme(href) {
        return None;
    }
    let (before, fragment) = match href.split_once('#') {
        Some((before, fragment)) => (before, Some(decode(fragment))),
        None => (href, None),
    };
    let before = decode(before.split('?').next().unwrap_or_default());
    let fragment = fragment.filter(|f| !f.is_empty());
    let path = if before.is_empty() {
        Ok(page.to_string())
    } else if let Some(abs) = before.strip_prefix('/') {
        match format!("/{abs}").strip_prefix(config.base_path.as_str()) {
            Some(rel) => Ok(normalize(rel)),
            None => Err(()),
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        Ok(normalize(&format!("{dir}/{before}")))
    };
    Some(Link { path, fragment })
}

/// `a/./b/../c/` -> `a/c/` (a trailing `/` is kept: it names a folder's index.html).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    out
}

/// The file of the site a path names: itself, or the `index.html` of the folder it names.
fn target_file(site: &Site, path: &str) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let index = format!("{path}index.html");
        return site.files.contains_key(&index).then_some(index);
    }
    if site.files.contains_key(path) {
        return Some(path.to_string());
    }
    let index = format!("{path}/index.html");
    site.files.contains_key(&index).then_some(index)
}

fn has_scheme(href: &str) -> bool {
    let end = href.find([':', '/', '?', '#']);
    end.is_some_and(|i| {
        href.as_bytes()[i] == b':'
            && i > 0
            && href[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Percent-decoding (`%C3%A9` -> `é`); invalid sequences are kept as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl CheckOutput {
    /// Whether `check` fails: errors, or with `strict` warnings too.
    pub fn failed(&self, strict: bool) -> bool {
        !self.errors.is_empty() || (strict && !self.warnings.is_empty())
    }

    /// The report for people: each problem with file, line, message and what to do.
    pub fn to_text(&self, strict: bool) -> String {
        let mut out = String::new();
        for (label, list) in [("error", &self.errors), ("warning", &self.warnings)] {
            for d in list {
                if d.file.as_os_str().is_empty() {
                    let _ = writeln!(out, "{label}: {}", d.message);
                } else {
                    let _ = writeln!(out, "{label}: {d}");
                }
            }
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "Checked {}, {}: {}, {}{}. Nothing was written.",
            plural(self.pages, "page"),
            plural(self.links_checked, "internal link"),
            plural(self.errors.len(), "error"),
            plural(self.warnings.len(), "warning"),
            if strict && !self.warnings.is_empty() {
                " (--strict: warnings count as errors)"
            } else {
                ""
            }
        );
        out
    }

    /// The report for programs (see the module's documentation for the shape).
    pub fn to_json(&self, strict: bool) -> serde_json::Value {
        let list = |ds: &[Diagnostic]| {
            ds.iter()
                .map(|d| {
                    json!({
                        "file": d.file.to_string_lossy().replace('\\', "/"),
                        "line": d.line,
                        "message": d.message,
                        "help": d.help,
                    })
                })
                .collect::<Vec<_>>()
        };
        json!({
            "errors": list(&self.errors),
            "warnings": list(&self.warnings),
            "summary": {
                "errors": self.errors.len(),
                "warnings": self.warnings.len(),
                "pages": self.pages,
                "files": self.files,
                "links_checked": self.links_checked,
                "strict": strict,
                "passed": !self.failed(strict),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_and_decode() {
        assert_eq!(normalize("es/guia/../x/./y/"), "es/x/y/");
        assert_eq!(decode("qui%C3%A9n-puede"), "quién-puede");
        assert_eq!(decode("100%"), "100%");
        assert!(has_scheme("mailto:a@b.org"));
        assert!(!has_scheme("/en/a:b/"));
    }

    #[test]
    fn scan_finds_ids_and_links() {
        let html = scan(
            "<h2 id=\"who\">Who</h2><a href=\"#who\">x</a><style>a<b{}</style><img src=\"/i.png\">",
        );
        assert!(html.ids.contains("who"));
        assert_eq!(
            html.links,
            [("#who".to_string(), false), ("/i.png".to_string(), false)]
        );
    }
}
