//! Old addresses: a page's `aliases` and a section's `redirect_to`. Each old address gets a
//! tiny page that sends the reader on without script (a meta refresh, allowed by the
//! Content-Security-Policy, and a link for browsers that ignore it), and each alias a 301
//! line in `_redirects` for hosts that read it.

use std::collections::HashMap;

use super::{Base, Entry};
use crate::diag::Report;

/// An old address and where it leads.
#[derive(Debug, Clone)]
pub(crate) struct Alias {
    /// Output path of the redirect page (`old/index.html`, `old.html`).
    pub(crate) file: String,
    /// The old address, below the base path (`old/`, `old.html`).
    pub(crate) from: String,
    /// The page's address, below the base path.
    pub(crate) to: String,
}

/// Every alias of every page; an alias taken twice, or by a page, is an error.
pub(crate) fn aliases(report: &Report, entries: &[Entry<'_>]) -> Vec<Alias> {
    let pages: HashMap<&str, &std::path::Path> = entries
        .iter()
        .map(|e| (e.url.as_str(), e.page.file.as_path()))
        .collect();
    let mut taken: HashMap<String, &std::path::Path> = HashMap::new();
    let mut out = Vec::new();
    for entry in entries.iter().filter(|e| !e.fallback) {
        for (i, alias) in entry.page.front.aliases.iter().enumerate() {
            let from = alias.trim().trim_start_matches('/').to_string();
            // TOML records each item's line; YAML front matter does not, so look for it.
            let line = match entry.page.front.line(&format!("aliases.{i}")) {
                1 => crate::content::front_line(&entry.page.source, alias),
                line => line,
            };
            if from.is_empty() || from.contains(char::is_whitespace) {
                report.error(
                    entry
                        .page
                        .diagnostic(line, format!("the alias `{alias}` is not an address"))
                        .help("aliases are old addresses of the page (aliases = [\"/old/address/\"]); a glossary entry's other names go in term_aliases"),
                );
                continue;
            }
            let file = if from.ends_with(".html") {
                from.clone()
            } else {
                format!("{}/index.html", from.trim_end_matches('/'))
            };
            if from.trim_end_matches('/') == entry.url.trim_end_matches('/') {
                report.warn(
                    entry
                        .page
                        .diagnostic(
                            line,
                            format!("the alias `{alias}` is the page's own address"),
                        )
                        .help("remove it: the page is there already"),
                );
                continue;
            }
            let other = pages
                .get(from.as_str())
                .or_else(|| pages.get(format!("{}/", from.trim_end_matches('/')).as_str()))
                .copied()
                .or_else(|| taken.get(&file).copied());
            if let Some(other) = other {
                report.error(
                    entry
                        .page
                        .diagnostic(
                            line,
                            format!("the alias `{alias}` is taken by `{}`", other.display()),
                        )
                        .help("remove the alias, or the other page's"),
                );
                continue;
            }
            taken.insert(file.clone(), &entry.page.file);
            out.push(Alias {
                file,
                from,
                to: entry.url.clone(),
            });
        }
    }
    out
}

/// The page at an old address: sends the reader to `to` (a root-relative path or a URL).
pub(crate) fn page(lang: &str, to: &str) -> Vec<u8> {
    let to = crate::html::escape(to);
    format!(
        "<!doctype html><html lang=\"{lang}\"><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>{to}</title><meta http-equiv=\"refresh\" content=\"0; url={to}\"><link rel=\"canonical\" href=\"{to}\"><p><a href=\"{to}\">{to}</a></p></html>\n"
    )
    .into_bytes()
}

/// Where a section's `redirect_to` leads: an `@/` page, a URL, or a path below the site;
/// `None` for an `@/` link to no page.
pub(crate) fn target(ctx: &Base<'_>, lang: &str, to: &str) -> Option<String> {
    if let Some(key) = to.strip_prefix("@/") {
        return ctx.url(key.split('#').next().unwrap_or(key), lang);
    }
    if to.contains("://") {
        return Some(to.to_string());
    }
    Some(ctx.path(to.trim_start_matches('/')))
}
