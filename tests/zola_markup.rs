//! Markup written for Zola (issue 13): shortcodes from the site's and the Zola theme's
//! `templates/shortcodes/`, GitHub-style alerts, and heading ids as Zola's `[slugify]` makes
//! them.

mod common;

use common::{Build, count};

fn site() -> Build {
    Build::fixture("zola-markup", &[])
}

#[test]
fn shortcodes_render_and_none_is_left_as_text() {
    let b = site();
    let post = b.main("blog/post/index.html");
    for expected in [
        // From the Zola theme named in config.toml.
        r#"A post <span class="badge">new</span> with “quotes” around."#,
        // Arguments keep their straight quotes; `nth`, `lang` and `page` are in the context;
        // the picture a shortcode writes is processed like any other (<picture>, WebP).
        r#"<source type="image/webp" srcset="/img/map.8."#,
        r#"width="8" height="6" alt="A &quot;map&quot;" loading="lazy""#,
        "It's the 'map' (1, en, Moved from Zola)",
        // A body shortcode: the body is Markdown for the template.
        "<strong>this</strong> paper.",
        // A Markdown shortcode's output is Markdown.
        "<li>Ask for asylum</li>",
    ] {
        assert!(post.contains(expected), "`{expected}` missing in {post}");
    }
    // The shortcode's figure is a block, not inside a paragraph.
    assert!(!post.contains("<p><figure>"), "{post}");
    // Inside code, the call is shown; the escaped one is shown without its escape.
    assert!(
        post.contains(r#"<code>{{ figure(src="x") }}</code>"#),
        "{post}"
    );
    assert!(
        post.contains("{{ youtube(id=\"x\") }}\n{{ figure(src=\"y\") }}\n</code>"),
        "{post}"
    );
    for page in b.html_files() {
        let text = b.page(&page);
        let without_code = text
            .split("<code>")
            .map(|part| part.split_once("</code>").map_or(part, |(_, after)| after))
            .collect::<String>();
        assert!(!without_code.contains("{{"), "{page}: {text}");
        assert!(!without_code.contains("{%"), "{page}: {text}");
    }
}

#[test]
fn shortcode_html_is_sanitised_and_embeds_become_links() {
    let b = site();
    let post = b.main("blog/post/index.html");
    assert!(
        post.contains(r#"<aside class="note note-warning">"#),
        "{post}"
    );
    assert!(!post.contains("<script"), "{post}");
    assert!(!post.contains("<iframe"), "{post}");
    assert!(
        post.contains(r#"<a href="https://www.youtube-nocookie.com/embed/abc123" rel="noopener noreferrer">How to ask</a>"#),
        "{post}"
    );
    assert!(
        b.stderr
            .contains("content/blog/post.md:14: the shortcode `youtube` embeds"),
        "{}",
        b.stderr
    );
}

#[test]
fn alerts_are_notes_labelled_in_the_page_language() {
    let b = site();
    let en = b.main("blog/post/index.html");
    assert!(
        en.contains("<div class=\"alert alert-warning\" role=\"note\">\n<p class=\"alert-title\">Warning</p>\n<p>Do not sign what you cannot read.</p>\n</div>"),
        "{en}"
    );
    assert!(en.contains(r#"<p class="alert-title">Tip</p>"#), "{en}");
    assert!(
        en.contains("<blockquote>\n<p>An ordinary quote.</p>"),
        "{en}"
    );
    assert!(!en.contains("[!"), "{en}");
    let es = b.main("es/blog/post/index.html");
    assert!(es.contains(r#"<p class="alert-title">Nota</p>"#), "{es}");
    assert!(
        es.contains(r#"<p class="alert-title">Precaución</p>"#),
        "{es}"
    );
    let css = b
        .files()
        .into_iter()
        .find(|f| f.starts_with("style.") && f.ends_with(".css"))
        .expect("a style sheet");
    assert!(b.page(&css).contains(".alert-warning"));
}

#[test]
fn heading_ids_are_zolas_so_its_anchor_links_keep_working() {
    let b = site();
    let en = b.main("blog/post/index.html");
    assert_eq!(count(&en, r#"<h2 id="who-can-ask">"#), 1, "{en}");
    assert_eq!(count(&en, r#"<h2 id="who-can-ask-1">"#), 1, "{en}");
    let es = b.main("es/blog/post/index.html");
    assert!(es.contains(r#"<h2 id="quien-puede-pedir-asilo">"#), "{es}");
    assert!(es.contains(r##"href="#quien-puede-pedir-asilo""##), "{es}");
}
