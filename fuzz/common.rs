//! What the targets share: a small two-language site in a temporary folder, built in memory
//! with some of its files replaced by the fuzzer's input, and the checks on its HTML. Only
//! public entry points (`senda::build`), so that the targets outlive changes inside senda.

use std::path::Path;
use std::sync::OnceLock;

use html5gum::{Token, Tokenizer};

/// The site the targets start from: every adapter has something to work on (facts, a table,
/// a glossary term, links between pages, a translation, shortcodes in HTML and in Markdown,
/// one of them embedding a video from another website, one carrying a script that must go).
const SITE: [(&str, &str); 14] = [
    (
        "site.toml",
        "title = \"Fuzz\"\nbase_url = \"https://example.org/\"\ndefault_language = \"en\"\n\n[languages.en]\nname = \"English\"\nlocale = \"en-US\"\n\n[languages.es]\nname = \"Español\"\nlocale = \"es-MX\"\n",
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"Home\"\n+++\nSee [the page](@/guide/page.md).\n",
    ),
    (
        "content/_index.es.md",
        "+++\ntitle = \"Inicio\"\n+++\nVea [la página](@/guide/page.md).\n",
    ),
    (
        "content/guide/_index.md",
        "+++\ntitle = \"Guide\"\n+++\nThe guide.\n",
    ),
    (
        "content/guide/_index.es.md",
        "+++\ntitle = \"Guía\"\n+++\nLa guía.\n",
    ),
    (
        "content/guide/page.md",
        "+++\ntitle = \"Page\"\n+++\nAsylum: {{ fact f.n }}.\n\n## Part {#part}\n\n{{ table f.t }}\n\n[Home](@/_index.md#x)\n",
    ),
    (
        "content/guide/page.es.md",
        "+++\ntitle = \"Página\"\n+++\nAsilo: {{ fact f.n }}.\n",
    ),
    (
        "content/facts/f.toml",
        "[n]\nvalue = 12\nas_of = 2025-06-01\nsource = \"S\"\nsource_url = \"https://example.org/s\"\nlabel = { en = \"N\", es = \"N\" }\n\n[t]\nkind = \"table\"\nas_of = 2025-04-15\nsource = \"S\"\nsource_url = \"https://example.org/s\"\ncaption = { en = \"C\", es = \"C\" }\ncorner = { en = \"Q\", es = \"P\" }\ncolumns = [ { en = \"A\", es = \"A\" } ]\n\n[[t.rows]]\nlabel = { en = \"R\", es = \"R\" }\ncells = [ { en = \"x\", es = \"x\" } ]\n",
    ),
    (
        "content/glossary/_index.md",
        "+++\ntitle = \"Glossary\"\n+++\nWords.\n",
    ),
    (
        "content/glossary/term.md",
        "+++\ntitle = \"asylum\"\nterm_aliases = [\"asylum claim\"]\n+++\nProtection.\n",
    ),
    (
        "templates/shortcodes/note.html",
        "<aside class=\"note note-{{ kind | default(value=\"info\") }}\">{{ body | markdown | safe }}<script>alert(1)</script></aside>",
    ),
    (
        "templates/shortcodes/video.html",
        "<iframe title=\"{{ title | default(value='') }}\" src=\"https://video.example/embed/{{ id }}\"></iframe>",
    ),
    (
        "templates/shortcodes/badge.html",
        "<span class=\"badge\" title=\"{{ text }}\">{{ text | safe }}</span>",
    ),
    (
        "templates/shortcodes/steps.md",
        "{% for step in list %}{{ loop.index }}. {{ step }}\n{% endfor %}",
    ),
];

fn site() -> &'static Path {
    static SITE_DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE_DIR
        .get_or_init(|| {
            let dir = tempfile::TempDir::new().expect("temporary folder");
            for (path, text) in SITE {
                put(dir.path(), path, text.as_bytes());
            }
            dir
        })
        .path()
}

fn put(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
    std::fs::write(path, bytes).expect("write a file");
}

/// Builds the site with `files` replaced (or added), then puts the site back as it was.
/// `None` when senda refused the input (an error is a fine answer; a panic is not).
pub fn build_with(files: &[(&str, &[u8])]) -> Option<senda::render::Site> {
    let root = site();
    for (path, bytes) in files {
        put(root, path, bytes);
    }
    let built = senda::config::Config::load(root).ok().and_then(|config| {
        let report = senda::diag::Report::default();
        senda::build(&config, &senda::BuildOptions::default(), &report).ok()
    });
    for (path, _) in files {
        match SITE.iter().find(|(p, _)| p == path) {
            Some((_, text)) => put(root, path, text.as_bytes()),
            None => {
                let _ = std::fs::remove_file(root.join(path));
            }
        }
    }
    built
}

/// Attributes that hold URLs a browser follows or loads (other attributes are text: a page's
/// description may well say `javascript:`).
const URL: [&str; 16] = [
    "href",
    "xlink:href",
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "ping",
    "cite",
    "manifest",
    "codebase",
    "longdesc",
    "usemap",
    "lowsrc",
];

/// Attributes through which a page could load something.
const LOADING: [&str; 8] = [
    "src",
    "srcset",
    "poster",
    "data",
    "action",
    "formaction",
    "background",
    "ping",
];

/// Panics when an HTML file of `site` breaks the promise: no `<script>`, no event handler, no
/// `javascript:` URL, nothing loaded from another host.
pub fn assert_safe(site: &senda::render::Site) {
    for (path, bytes) in &site.files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        let mut in_style = false;
        for token in Tokenizer::new(html.as_ref()).flatten() {
            let tag = match token {
                Token::StartTag(tag) => tag,
                Token::EndTag(_) => {
                    in_style = false;
                    continue;
                }
                Token::String(text) if in_style => {
                    let css = String::from_utf8_lossy(&text).to_ascii_lowercase();
                    assert!(
                        !css.contains("@import")
                            && !elsewhere(&css.replace(char::is_whitespace, "")),
                        "{path}: a style sheet loads from another host:\n{html}"
                    );
                    continue;
                }
                _ => continue,
            };
            let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
            assert!(name != "script", "{path}: a <script> element:\n{html}");
            in_style = name == "style";
            let rel = tag
                .attributes
                .get(b"rel".as_slice())
                .map(|v| String::from_utf8_lossy(v).to_ascii_lowercase())
                .unwrap_or_default();
            for (key, value) in &tag.attributes {
                let key = String::from_utf8_lossy(key).to_ascii_lowercase();
                let value = String::from_utf8_lossy(value).to_string();
                assert!(
                    !key.starts_with("on"),
                    "{path}: event handler `{key}`:\n{html}"
                );
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !runs_script(&name, &key, &value),
                    "{path}: script URL in `{key}`:\n{html}"
                );
                let loads = LOADING.contains(&key.as_str())
                    || (name == "link"
                        && key == "href"
                        && !matches!(rel.as_str(), "alternate" | "canonical"))
                    || (matches!(name.as_str(), "base" | "image" | "use" | "feimage")
                        && key.ends_with("href"))
                    || (key == "style" && squeezed.contains("url("))
                    || (name == "meta" && key == "content" && squeezed.contains("url="));
                if loads {
                    assert!(
                        !elsewhere(&squeezed),
                        "{path}: <{name} {key}=\"{value}\"> loads from another host:\n{html}"
                    );
                }
            }
        }
    }
}

/// Whether attribute `key` of element `name` holds a `javascript:` or `vbscript:` URL. Only
/// attributes that hold URLs count (a page's description may well say `javascript:`), and
/// only the scheme: a URL with a space or a control character before its first `:` is a
/// relative path to a browser (WHATWG URL standard), wherever `javascript:` appears after it.
fn runs_script(name: &str, key: &str, value: &str) -> bool {
    let value = value.to_ascii_lowercase();
    let urls: Vec<&str> = if matches!(key, "srcset" | "ping") {
        value.split([',', ' ', '\t', '\n', '\r']).collect()
    } else if key == "style" {
        value.split("url(").skip(1).collect()
    } else if name == "meta" && key == "content" {
        value.split("url=").skip(1).collect()
    } else if URL.contains(&key) {
        vec![value.as_str()]
    } else {
        Vec::new()
    };
    urls.into_iter().any(|url| {
        // Tabs and line breaks are dropped anywhere; spaces, controls and quotes at the start.
        let url: String = url
            .trim_start_matches(|c: char| c <= ' ' || c == '"' || c == '\'')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        url.starts_with("javascript:") || url.starts_with("vbscript:")
    })
}

/// Whether a URL (lowercase, without spaces) may name another host than the site's.
fn elsewhere(url: &str) -> bool {
    let own = ["https://example.org/", "//example.org/"];
    let at = |i: usize| !own.iter().any(|o| url[i..].starts_with(o));
    url.match_indices("//").any(|(i, _)| {
        // `//host` at the start, after a scheme, or in a `url(` or `url=`.
        let before = &url[..i];
        let start = before
            .rfind(['(', '=', ',', '\'', '"'])
            .map_or(0, |j| j + 1);
        let scheme = &before[start..];
        (scheme.is_empty() || scheme.ends_with(':')) && at(start)
    })
}
