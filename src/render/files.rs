//! Files copied as they are: the site's `static/` folder at the output's root, the files of
//! `content/` at their place, and a page bundle's files beside every version of its page.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Entry;
use crate::content::Content;

/// Every file to copy: (source, output path relative to the output folder).
pub(crate) fn copies(content: &Content, entries: &[Entry<'_>]) -> Vec<(PathBuf, String)> {
    // A bundle (`blog/post/index.md`) is published at its page's address in each language
    // (`es/blog/post/`, or wherever a date in its name, `slug` or `path` put it): its files go
    // beside it there, so that the relative links written for Zola resolve, and only there
    // when the address is not its folder (as Zola does: `2024-05-27-post/` is not published).
    let mut out: Vec<(PathBuf, String)> = content.statics.clone();
    let mut bundles: BTreeMap<&str, bool> = BTreeMap::new();
    for entry in entries {
        let Some(folder) = entry.key.strip_suffix("index.md") else {
            continue;
        };
        if folder.is_empty() || !entry.key.ends_with("/index.md") {
            continue;
        }
        // Whether some version lives at the folder's own name (`blog/post/`, `es/blog/post/`).
        *bundles.entry(folder).or_default() |= entry.url.ends_with(folder);
        if entry.url == folder {
            continue;
        }
        for (source, rel) in &content.assets {
            if let Some(inside) = rel.strip_prefix(folder) {
                out.push((source.clone(), format!("{}{inside}", entry.url)));
            }
        }
    }
    let moved: Vec<&str> = bundles
        .into_iter()
        .filter_map(|(folder, at_own_name)| (!at_own_name).then_some(folder))
        .collect();
    out.extend(
        content
            .assets
            .iter()
            .filter(|(_, rel)| !moved.iter().any(|folder| rel.starts_with(*folder)))
            .cloned(),
    );
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup_by(|a, b| a.1 == b.1);
    out
}
