//! Raw HTML in Markdown: sanitised (no scripts, no event handlers, no foreign resources), with
//! a warning for each resource from another website that it leaves out.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::Event;

use super::{Env, Place};

/// Warns of raw HTML in `events` that loads from another website, and sets `seen` when there
/// is raw HTML at all (the page is then sanitised).
pub(crate) fn check_raw_html<'a, 'e>(
    events: impl Iterator<Item = (Event<'a>, Range<usize>)> + 'e,
    env: &'e Env<'e>,
    place: &'e Place<'e>,
    seen: &'e mut bool,
) -> impl Iterator<Item = (Event<'a>, Range<usize>)> + 'e
where
    'a: 'e,
{
    events.inspect(move |(event, range)| {
        if let Event::Html(html) | Event::InlineHtml(html) = event {
            *seen = true;
            // A tag without `=` has no attribute value to check (`<b>`, `</span>`, `<br>`):
            // most raw HTML, and not worth tokenising.
            if !html.contains('=') {
                return;
            }
            // The sanitiser leaves them out; say so, rather than leave a silent gap.
            for url in foreign_resources(html) {
                env.report.warn(
                    place.diagnostic(range, format!("this HTML loads `{url}` from another website; it is left out of the page"))
                        .help("readers' phones must not contact other websites: save the file beside the page and use its name"),
                );
            }
            for problem in missing_local(env, html) {
                env.checks.links.report(
                    env.report,
                    place.diagnostic(range, problem)
                        .help("put the file beside the page's file, or in static/ for an address from the site's root; names are case-sensitive"),
                );
            }
        }
    })
}

/// `html` sanitised when the page has raw HTML. Markdown without raw HTML cannot produce a
/// script or a foreign resource (links, images and heading attributes are checked by the other
/// adapters), so only pages that contain raw HTML pay for sanitising.
pub(crate) fn sanitise(html: String, raw_html: bool) -> String {
    if raw_html {
        SANITIZER.clean(&html).to_string()
    } else {
        html
    }
}

/// URLs on other hosts that raw HTML would load (images, media, frames, styles): the
/// sanitiser would drop them, but silently, leaving a broken element; better to say so.
fn foreign_resources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        for name in ["src", "srcset", "poster", "data", "background"] {
            if let Some(value) = tag.attributes.get(name.as_bytes()) {
                let value = String::from_utf8_lossy(value).trim().to_string();
                let lower = value.to_ascii_lowercase();
                if lower.starts_with("//")
                    || lower.contains("http://")
                    || lower.contains("https://")
                {
                    found.push(value);
                }
            }
        }
    }
    found
}

/// Links (`href`) and files (`src`) of raw HTML that lead to nothing on this site: what is
/// wrong with each. Pictures (`<img>`) are checked by the pictures adapter.
fn missing_local(env: &Env<'_>, html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        let names: &[&str] = if tag.name.as_slice() == b"img" {
            &["href"]
        } else {
            &["href", "src"]
        };
        for name in names {
            let Some(value) = tag.attributes.get(name.as_bytes()) else {
                continue;
            };
            let value = String::from_utf8_lossy(value).trim().to_string();
            let lower = value.to_ascii_lowercase();
            if value.is_empty()
                || value.starts_with('#')
                || value.starts_with("//")
                || value.starts_with("@/")
                || super::links::scheme(&lower).is_some()
            {
                continue;
            }
            let problem = match value.strip_prefix('/') {
                Some(rooted) => {
                    let below = env.base_path.trim_start_matches('/');
                    let path = rooted.strip_prefix(below).unwrap_or(rooted);
                    let path = path.split(['#', '?']).next().unwrap_or_default();
                    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
                    (!(env.exists)(&decoded))
                        .then(|| format!("link to `{value}`: no page or file has that address"))
                }
                None => super::links::missing_relative(env, &value),
            };
            found.extend(problem);
        }
    }
    found
}

/// Raw HTML in Markdown may format text; it may not run code, load from other hosts or
/// restyle the page.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class", "lang", "dir", "title"])
        .add_tag_attributes("th", ["scope"])
        .add_tag_attributes("td", ["data-label"])
        // senda's own fact tables are a labelled, focusable region (keyboard scrolling).
        .add_tag_attributes("div", ["role", "aria-labelledby", "tabindex"])
        // The markup of processed pictures (crate::images::markup), which replaces a raw
        // <img> before sanitising.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes("source", ["type", "srcset", "sizes"])
        .add_tags([
            "picture",
            "source",
            "section",
            "aside",
            "figure",
            "figcaption",
            "details",
            "summary",
            "mark",
        ])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| {
            let foreign = value.starts_with("//") || value.contains("://");
            if foreign && (attribute == "src" || attribute == "srcset" || element == "img") {
                None
            } else {
                Some(value.into())
            }
        });
    b
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::{Fixture, body_events};

    #[test]
    fn sanitizer_removes_scripts_and_foreign_resources() {
        let html = sanitise(r#"<p onclick="x()">Hi<script>alert(1)</script><img src="https://evil.example/t.png"><a href="javascript:alert(1)">x</a><img src="local.png"></p>"#.to_string(), true);
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
        assert!(html.contains("local.png"), "{html}");
        assert_eq!(sanitise("<b>x".to_string(), false), "<b>x");
    }

    #[test]
    fn raw_html_is_noticed_and_foreign_resources_warned_of_at_their_line() {
        let fixture = Fixture::new("Uno.\n\n<img src=\"https://x.example/a.png\">\n");
        let (env, place) = (fixture.env(None), fixture.place());
        let mut seen = false;
        check_raw_html(body_events(&fixture), &env, &place, &mut seen).for_each(drop);
        assert!(seen);
        assert!(fixture.errors().is_empty());
        let warnings = fixture.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].line, 6);
        let fixture = Fixture::new(
            "<a href=\"plan.pdf\">p</a> <a href=\"/es/guia/b/\">b</a> <a href=\"otro.pdf\">o</a>\n\n<video src=\"/x.mp4\"></video>\n",
        );
        let (env, place) = (fixture.env(None), fixture.place());
        let mut seen = false;
        check_raw_html(body_events(&fixture), &env, &place, &mut seen).for_each(drop);
        let errors: Vec<(usize, String)> = fixture
            .errors()
            .into_iter()
            .map(|e| (e.line, e.message))
            .collect();
        assert_eq!(
            errors,
            [
                (
                    4,
                    "link to `otro.pdf`: no page or file has that address (/es/guia/a/otro.pdf)"
                        .to_string()
                ),
                (
                    6,
                    "link to `/x.mp4`: no page or file has that address".to_string()
                ),
            ]
        );
        let fixture = Fixture::new("Sin *HTML*.\n");
        let (env, place) = (fixture.env(None), fixture.place());
        let mut seen = false;
        check_raw_html(body_events(&fixture), &env, &place, &mut seen).for_each(drop);
        assert!(!seen);
    }
}
