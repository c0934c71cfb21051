//! `senda check`'s link checker: every internal link and anchor of the generated HTML leads
//! to a page, a file or an id of the site.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::render::Site;

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
pub(crate) fn check(config: &Config, site: &Site) -> (Vec<Diagnostic>, usize) {
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
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
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
