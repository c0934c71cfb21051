//! The link adapter: checks every link's and image's destination and writes the URL the
//! reader's browser needs (`@/guide/x.md` -> the page in the reader's language).

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Env, Place};

/// A link to another page's `#fragment`, checked once every page is rendered: (target URL,
/// fragment, line).
pub(crate) type FragmentLink = (String, String, usize);

/// Checks links and images in `events`; links with a fragment go to `fragments`. A picture
/// on another website becomes a link to it, with a warning: the reader's phone loads nothing
/// from elsewhere, and the page still builds (a site moved from Zola often has such pictures).
pub(crate) fn check_links<'a, 'e>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)> + 'e,
    env: &'e Env<'e>,
    place: &'e Place<'e>,
    fragments: &'e mut Vec<FragmentLink>,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> + 'e
where
    'a: 'e,
{
    // The picture being turned into a link, and whether its description had any text.
    let mut foreign: Option<(CowStr<'a>, bool)> = None;
    events.flat_map(move |(event, range)| {
        let line = || place.line(&range);
        // At most two events come out of one (a text before the end of a former picture).
        let events: [Option<Event<'a>>; 2] = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => [Some(Event::Start(Tag::Link {
                link_type,
                dest_url: destination(env, place, &dest_url, false, &line, fragments).into(),
                title,
                id,
            })), None],
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if is_foreign(&dest_url) => {
                env.report.warn(
                    place.page.diagnostic(line(), format!("the image `{dest_url}` is on another website; the page shows a link to it instead"))
                        .help("readers' phones must not contact other websites: save the image beside the page and use its file name"),
                );
                foreign = Some((dest_url.clone(), false));
                [Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })), None]
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => [Some(Event::Start(Tag::Image {
                link_type,
                dest_url: destination(env, place, &dest_url, true, &line, fragments).into(),
                title,
                id,
            })), None],
            Event::Text(text) => {
                if let Some((_, seen)) = foreign.as_mut() {
                    *seen |= !text.trim().is_empty();
                }
                [Some(Event::Text(text)), None]
            }
            Event::End(TagEnd::Image) => match foreign.take() {
                // A link needs words: the address, when the picture had no description.
                Some((url, false)) => [Some(Event::Text(url)), Some(Event::End(TagEnd::Link))],
                Some((_, true)) => [Some(Event::End(TagEnd::Link)), None],
                None => [Some(Event::End(TagEnd::Image)), None],
            },
            other => [Some(other), None],
        };
        events
            .into_iter()
            .flatten()
            .map(move |event| (event, range.clone()))
    })
}

/// Whether `dest` is on another website (`https://…`, `//host/…`).
fn is_foreign(dest: &str) -> bool {
    let lower = dest.to_ascii_lowercase();
    lower.starts_with("//") || scheme(&lower).is_some_and(|s| s == "http" || s == "https")
}

/// Checks a link or image destination and returns the URL to write.
fn destination(
    env: &Env<'_>,
    place: &Place<'_>,
    dest: &str,
    image: bool,
    // Counting lines is only worth it for a link that needs a message or a later check.
    line: &dyn Fn() -> usize,
    fragments: &mut Vec<FragmentLink>,
) -> String {
    if let Some(target) = dest.strip_prefix("@/") {
        return at_link(env, place, target, line, fragments).unwrap_or_else(|| dest.to_string());
    }
    if is_foreign(dest) {
        // A picture there is a link by now (see `check_links`).
        return dest.to_string();
    }
    let lower = dest.to_ascii_lowercase();
    let scheme = scheme(&lower);
    if let Some(scheme) = scheme {
        if image || !matches!(scheme, "mailto" | "tel") {
            env.report.error(
                place
                    .page
                    .diagnostic(
                        line(),
                        format!("the link `{dest}` uses `{scheme}:`, which is not allowed"),
                    )
                    .help("links may start with https://, http://, mailto:, tel:, / or @/"),
            );
            return "#".to_string();
        }
        return dest.to_string();
    }
    // A link to a picture leads to the widest file made from it.
    if !image && let Some(url) = env.images.and_then(|i| i.link(place.page, dest)) {
        return url;
    }
    if let Some(path) = dest.strip_prefix('/') {
        let path_only = path.split(['#', '?']).next().unwrap_or_default();
        if !(env.exists)(path_only) {
            env.checks.links.report(
                env.report,
                place
                    .page
                    .diagnostic(
                        line(),
                        format!("link to `{dest}`: no page or file has that address"),
                    )
                    .help("to link to a page, use its file: @/guide/apply-in-mexico.md"),
            );
        }
        return format!("{}{path}", env.base_path);
    }
    // A picture is checked by the pictures adapter: its original is not published.
    if !image && let Some(problem) = missing_relative(env, dest) {
        env.checks.links.report(
            env.report,
            place
                .page
                .diagnostic(line(), problem)
                .help("put the file beside the page's file (in a page folder, beside its index.md), or check the spelling: names are case-sensitive"),
        );
    }
    dest.to_string()
}

/// What is wrong with a link relative to the page (`notes.txt`, `../other/`), if it leads
/// to no page or file of the site; `None` when it does, or is only a `#fragment`.
pub(crate) fn missing_relative(env: &Env<'_>, dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    if path.is_empty() {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    match relative_path(env.url, &decoded) {
        Some(target) if (env.exists)(&target) => None,
        Some(target) => Some(format!(
            "link to `{dest}`: no page or file has that address (/{target})"
        )),
        None => Some(format!("link to `{dest}`: it leads above the site's root")),
    }
}

/// `dest` read from the folder `from` (`blog/trip/` + `../x/` -> `blog/x/`); `None` when it
/// climbs above the root.
fn relative_path(from: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let mut folder = dest.is_empty();
    for segment in dest.split('/') {
        folder = matches!(segment, "" | "." | "..");
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    let mut out = parts.join("/");
    if folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The URL of `@/target` (`guide/x.md#part`), or `None` (reported) when there is no such page.
fn at_link(
    env: &Env<'_>,
    place: &Place<'_>,
    target: &str,
    line: &dyn Fn() -> usize,
    fragments: &mut Vec<FragmentLink>,
) -> Option<String> {
    let (key, fragment) = match target.split_once('#') {
        Some((key, fragment)) => (key, Some(fragment)),
        None => (target, None),
    };
    let Some(url) = (env.resolve)(key) else {
        env.checks.links.report(
            env.report,
            place
                .page
                .diagnostic(line(), format!("link to `@/{key}`: there is no such page"))
                .help(
                    "an @/ link names a file under content/, with .md: @/guide/apply-in-mexico.md",
                ),
        );
        return None;
    };
    Some(match fragment {
        Some(fragment) => {
            fragments.push((url.clone(), fragment.to_string(), line()));
            format!("{url}#{fragment}")
        }
        None => url,
    })
}

/// The scheme of a URL (`https`, `mailto`), if it has one.
pub(crate) fn scheme(url: &str) -> Option<&str> {
    url.split_once(':').map(|(s, _)| s).filter(|s| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::{Fixture, body_events};

    /// The destinations `body` links to after the adapter, and the fragments to check.
    fn run(fixture: &Fixture) -> (Vec<String>, Vec<FragmentLink>) {
        let (env, place) = (fixture.env(None), fixture.place());
        let mut fragments = Vec::new();
        let dests = check_links(body_events(fixture), &env, &place, &mut fragments)
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                    Some(dest_url.to_string())
                }
                _ => None,
            })
            .collect();
        (dests, fragments)
    }

    #[test]
    fn at_links_resolve_and_their_fragments_wait_for_every_page() {
        let fixture = Fixture::new("[b](@/guide/b.md) y\n[p](@/guide/b.md#plazos).\n");
        let (dests, fragments) = run(&fixture);
        assert_eq!(dests, ["/repo/es/guia/b/", "/repo/es/guia/b/#plazos"]);
        assert_eq!(
            fragments,
            [("/repo/es/guia/b/".to_string(), "plazos".to_string(), 5)]
        );
        assert!(fixture.errors().is_empty());
    }

    #[test]
    fn foreign_images_become_links_and_unsafe_schemes_are_refused() {
        let fixture =
            Fixture::new("![a](https://x.example/a.png) [j](javascript:x) [m](mailto:a@b.c)\n");
        let (env, place) = (fixture.env(None), fixture.place());
        let mut fragments = Vec::new();
        let events: Vec<Event<'_>> =
            check_links(body_events(&fixture), &env, &place, &mut fragments)
                .map(|(e, _)| e)
                .collect();
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Start(Tag::Image { .. }))),
            "{events:?}"
        );
        let dests: Vec<String> = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(dests, ["https://x.example/a.png", "#", "mailto:a@b.c"]);
        assert_eq!(fixture.errors().len(), 1, "javascript:");
        let warnings = fixture.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].message.contains("on another website"));
    }

    #[test]
    fn relative_links_are_read_from_the_page_folder() {
        let fixture = Fixture::new(
            "[p](plan.pdf) [b](../b/#x) [no](nada.pdf) [up](../../../../x) [f](#top)\n",
        );
        let (dests, _) = run(&fixture);
        assert_eq!(
            dests,
            ["plan.pdf", "../b/#x", "nada.pdf", "../../../../x", "#top"]
        );
        let mut errors: Vec<String> = fixture.errors().into_iter().map(|e| e.message).collect();
        errors.sort();
        assert_eq!(
            errors,
            [
                "link to `../../../../x`: it leads above the site's root",
                "link to `nada.pdf`: no page or file has that address (/es/guia/a/nada.pdf)",
            ]
        );
        assert_eq!(
            relative_path("blog/trip/", "../x/.."),
            Some("blog/".to_string())
        );
        assert_eq!(relative_path("", "a b.pdf"), Some("a b.pdf".to_string()));
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("mailto:a"), Some("mailto"));
        assert_eq!(scheme("a b:c"), None);
        assert_eq!(scheme("foto.png"), None);
    }
}
