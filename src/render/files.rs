//! Files copied as they are: the site's `static/` folder at the output's root, the files of
//! `content/` at their place, and a page bundle's files beside every version of its page.

use std::path::PathBuf;

use super::Entry;
use crate::content::Content;

/// Every file to copy: (source, output path relative to the output folder).
pub(crate) fn copies(content: &Content, entries: &[Entry<'_>]) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = content.statics.clone();
    out.extend(content.assets.iter().cloned());
    // A bundle (`blog/post/index.md`) is published at its page's address in each language
    // (`es/blog/post/`, or wherever `slug` or `path` put it): its files go beside it there,
    // so that the relative links written for Zola resolve.
    for entry in entries {
        let Some(folder) = entry.key.strip_suffix("index.md") else {
            continue;
        };
        if folder.is_empty() || !entry.key.ends_with("/index.md") || entry.url == folder {
            continue;
        }
        for (source, rel) in &content.assets {
            if let Some(inside) = rel.strip_prefix(folder) {
                out.push((source.clone(), format!("{}{inside}", entry.url)));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out.dedup_by(|a, b| a.1 == b.1);
    out
}
