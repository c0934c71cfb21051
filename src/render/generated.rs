//! Pages and files with no source file of their own: the list of sources, the whole guide on
//! one page, 404 pages, the root language chooser, sitemap.xml, robots.txt, static files.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::context::*;
use super::templates::{
    BODY_MARKER, base_context, child_entries, render_page, render_skeleton, source_ctx,
};
use super::{Base, Ctx, Sink};
use crate::config::Config;
use crate::content::Kind;
use crate::theme::Theme;

/// Ids every page's template emits, so `@/page.md#main` is a valid link.
pub(crate) const TEMPLATE_IDS: [&str; 2] = ["main", "top"];

/// Copies the theme's static files; style sheets are minified and fingerprinted
/// (`style.3f2a1c9e.css`) so hosts can cache them for a year, pictures lose their metadata.
pub(crate) fn statics(config: &Config, theme: &Theme, sink: &dyn Sink) -> Result<Statics> {
    let mut statics = Statics::default();
    for (path, file) in theme.statics() {
        let (name, bytes) = if let Some(stem) = path.strip_suffix(".css") {
            let css = String::from_utf8_lossy(&file.bytes).into_owned();
            let css = if config.minify { minify_css(&css) } else { css };
            let hash: String = Sha256::digest(css.as_bytes())
                .iter()
                .take(5)
                .map(|b| format!("{b:02x}"))
                .collect();
            let name = format!("{stem}.{hash}.css");
            if path == "style.css" {
                statics.style_url = format!("{}{name}", config.base_path);
                statics.style_css.clone_from(&css);
            }
            (name, css.into_bytes())
        } else {
            // A theme's picture loses its metadata like the site's own (see `images::strip`).
            let bytes = crate::images::strip::strip(path, file.bytes.clone())
                .map_err(|message| anyhow::anyhow!("the theme's static/{path}: {message}"))?;
            (path.to_string(), bytes)
        };
        statics.paths.push(name.clone());
        sink.put(name, bytes)?;
    }
    Ok(statics)
}

/// What [`statics`] wrote.
#[derive(Debug, Default)]
pub(crate) struct Statics {
    /// URL of `style.css`.
    pub(crate) style_url: String,
    /// `style.css` as written (minified when the site is), for the copy to pass on.
    pub(crate) style_css: String,
    /// Every file written.
    pub(crate) paths: Vec<String>,
}

/// minify-html minifies CSS inside `<style>`: wrap the sheet, minify, unwrap.
fn minify_css(css: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let wrapped = format!("<style>{css}</style>");
    let out = String::from_utf8_lossy(&minify_html::minify(wrapped.as_bytes(), &cfg)).into_owned();
    out.strip_prefix("<style>")
        .and_then(|s| s.strip_suffix("</style>"))
        .map_or_else(|| css.to_string(), str::to_string)
}

/// Every generated page and site file, except the one-page guides (see [`Guide`]).
/// `listed`: the addresses of the taxonomy pages, for the sitemap.
pub(crate) fn pages(ctx: &Ctx<'_>, listed: &[String], sink: &dyn Sink) -> Result<()> {
    for language in &ctx.config.languages {
        let lang = language.code.as_str();
        let mut out = Vec::new();
        sources_page(ctx, lang, &mut out);
        super::flyer::page(ctx, lang, &mut out);
        not_found_page(
            ctx,
            lang,
            &format!("{}404.html", ctx.config.lang_prefix(lang)),
            &mut out,
        );
        for (path, bytes) in out {
            sink.put(path, bytes)?;
        }
    }
    if ctx.config.languages_in_subdirs {
        let mut out = Vec::new();
        chooser(ctx, &mut out);
        not_found_page(
            ctx,
            &ctx.config.default_language().code,
            "404.html",
            &mut out,
        );
        for (path, bytes) in out {
            sink.put(path, bytes)?;
        }
    }
    sink.put("sitemap.xml".into(), sitemap(ctx, listed).into_bytes())?;
    sink.put(
        "robots.txt".into(),
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
            ctx.config.base_url
        )
        .into_bytes(),
    )
}

/// The switcher and hreflang links of a generated page (`slug_key`: its address), in every
/// language that has it.
pub(crate) fn everywhere(ctx: &Ctx<'_>, context: &mut PageContext, lang: &str, slug_key: &str) {
    let default = &ctx.config.default_language().code;
    for l in &ctx.config.languages {
        let Some(url) = ctx.generated_page(&l.code, slug_key) else {
            continue;
        };
        context.translations.push(Alternate {
            code: l.code.clone(),
            name: l.name.clone(),
            url: ctx.path(&url),
            current: l.code == lang,
        });
        context.alternates.push(Alternate {
            code: l.code.clone(),
            name: l.name.clone(),
            url: ctx.permalink(&url),
            current: l.code == lang,
        });
    }
    context.x_default = ctx
        .generated_page(default, slug_key)
        .map(|url| ctx.permalink(&url));
    if context.alternates.len() < 2 {
        context.alternates.clear();
        context.x_default = None;
    }
}

/// For a generated page (`slug_key`: its address) in a language no fluent speaker has checked
/// yet, the same page in the language its readers are pointed to; `absolute`: by full URL
/// (for the copy to pass on, which has no site around it).
pub(crate) fn unreviewed(
    ctx: &Ctx<'_>,
    lang: &str,
    slug_key: &str,
    absolute: bool,
) -> Option<Alternate> {
    let language = ctx.config.language(lang)?;
    let default = &ctx.config.default_language().code;
    if lang == default || language.translation_reviewed(None) {
        return None;
    }
    let to = ctx
        .config
        .language(&language.review_fallback)
        .unwrap_or_else(|| ctx.config.default_language());
    let url = ctx.generated_page(&to.code, slug_key)?;
    Some(Alternate {
        code: to.code.clone(),
        name: to.name.clone(),
        url: if absolute {
            ctx.permalink(&url)
        } else {
            ctx.path(&url)
        },
        current: false,
    })
}

fn sources_page(ctx: &Ctx<'_>, lang: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let url = ctx.generated_url(lang, "slug-sources");
    let mut names: Vec<&String> = ctx
        .facts
        .facts
        .keys()
        .chain(ctx.facts.tables.keys())
        .collect();
    names.sort();
    let page = PageCtx {
        kind: "sources".into(),
        title: ctx.t(lang, "sources-title"),
        description: ctx.t(lang, "sources-description"),
        url: ctx.path(&url),
        permalink: ctx.permalink(&url),
        content_lang: lang.into(),
        sources: names
            .into_iter()
            .filter_map(|n| source_ctx(ctx, lang, n))
            .collect(),
        unreviewed: unreviewed(ctx, lang, "slug-sources", false),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, lang, page);
    everywhere(ctx, &mut context, lang, "slug-sources");
    if let Some((path, bytes)) = render_page(
        ctx,
        lang,
        "sources.html",
        &context,
        &url,
        std::path::Path::new("(sources page)"),
    ) {
        out.push((path, bytes));
    }
}

/// The one-page guide of one language: every article in order, the glossary at the end;
/// links between them point inside the page. Planned before the pages render; each chapter
/// is the page's own Markdown, written a second time with the guide's links and ids
/// ([`crate::markdown::GuideLinks`]) while the page renders, and goes straight into the
/// guide's file: a guide of thousands of pages is never held whole, nor parsed twice.
pub(crate) struct Guide {
    /// Language code.
    pub(crate) lang: String,
    /// Where the guide goes.
    pub(crate) path: String,
    /// The table of contents.
    pub(crate) toc: Vec<ChapterCtx>,
    /// Chapters in order: the entry's index and its anchor (without `#`).
    pub(crate) chapters: Vec<(usize, String)>,
    /// URL path of each page in the guide -> its anchor (`#p-guide-x`), glossary entries too.
    pub(crate) anchors: HashMap<String, String>,
    /// The guide's page, minified, and where its chapters go in it.
    skeleton: Vec<u8>,
    at: usize,
}

impl Guide {
    /// The page before the chapters.
    pub(crate) fn head(&self) -> &[u8] {
        &self.skeleton[..self.at]
    }

    /// The page after the chapters.
    pub(crate) fn tail(&self) -> &[u8] {
        &self.skeleton[self.at + BODY_MARKER.len()..]
    }

    /// Chapter `chapter` of the guide, whose body `html` came from page `entry`. Not
    /// minified: the guide is the page for saving and printing (it has no weight budget),
    /// and its Markdown is written compactly already.
    pub(crate) fn chapter(
        &self,
        ctx: &Ctx<'_>,
        entry: &super::Entry<'_>,
        chapter: usize,
        html: &str,
    ) -> String {
        let id = &self.chapters[chapter].1;
        // An untranslated chapter is in the default language: say so to screen readers.
        let lang_attr = if entry.fallback {
            format!(" lang=\"{}\"", ctx.config.default_language().code)
        } else {
            String::new()
        };
        format!(
            "<section class=\"chapter\" aria-labelledby=\"{id}\"{lang_attr}><h2 id=\"{id}\">{}</h2>{html}</section>",
            crate::html::escape(&entry.page.front.title)
        )
    }
}

/// Text a one-page guide may hold: 2 MB of Markdown, some 300,000 words, a book of a thousand
/// pages. A longer guide as one page would not open on the cheap phones its readers have, and
/// the link to it on every page would cost whoever taps it megabytes of prepaid data.
pub(crate) const GUIDE_MAX_TEXT: usize = 2_000_000;

/// The languages whose one-page guide is written: those whose chapters hold at most
/// [`GUIDE_MAX_TEXT`] of text. Each other language gets a warning; its pages do not link to a
/// one-page guide, and it has no copy to pass on (which is made from the guide's chapters).
/// Decided before the pages render, from the Markdown, since every page links to the guide.
pub(crate) fn one_page_guides(base: &Base<'_>) -> BTreeSet<String> {
    let mut written = BTreeSet::new();
    for language in &base.config.languages {
        let lang = language.code.as_str();
        let mut order = Vec::new();
        guide_order(base, crate::content::HOME, lang, 2, &mut order);
        let text: usize = order
            .iter()
            .filter_map(|&(key, _)| base.entry(key, lang))
            .map(|entry| entry.page.body().len())
            .sum();
        if text <= GUIDE_MAX_TEXT {
            written.insert(lang.to_string());
            continue;
        }
        let mb = |bytes: usize| format!("{:.1}", bytes as f64 / 1e6);
        base.report.warn(
            crate::diag::Diagnostic::new(
                std::path::Path::new("content"),
                0,
                format!(
                    "the guide in `{lang}` has {} MB of text, too much for one page (at most {} MB): senda writes no one-page guide in `{lang}` and no copy of it to pass on, and its pages do not link to them",
                    mb(text),
                    mb(GUIDE_MAX_TEXT)
                ),
            )
            .help("nothing to do: every page of the guide is written; one page that long would not open on a cheap phone, and would cost a reader who taps its link megabytes of data"),
        );
    }
    written
}

/// Plans the one-page guide of `lang`; `None` when the guide is too long for one page (see
/// [`one_page_guides`]) or its template failed (reported).
pub(crate) fn guide(ctx: &Ctx<'_>, lang: &str) -> Option<Guide> {
    if !ctx.one_page.contains(lang) {
        return None;
    }
    let url = ctx.generated_url(lang, "slug-guide");
    // Chapters: the home page, its pages, then each section with its pages and subsections,
    // depth first, in the order of the sections' lists.
    let mut order: Vec<(&str, u8)> = Vec::new();
    guide_order(ctx, crate::content::HOME, lang, 2, &mut order);
    let anchor = |key: &str| {
        format!(
            "p-{}",
            crate::markdown::slugify(key.trim_end_matches(".md").trim_end_matches("/_index"))
        )
    };
    let mut anchors = HashMap::new();
    let mut chapters = Vec::new();
    let mut toc = Vec::new();
    for (key, level) in order {
        let Some(&i) = ctx.index.get(&(key, lang)) else {
            continue;
        };
        let entry = &ctx.entries[i];
        let id = anchor(key);
        anchors.insert(ctx.path(&entry.url), format!("#{id}"));
        toc.push(ChapterCtx {
            id: id.clone(),
            title: entry.page.front.title.clone(),
            level,
        });
        chapters.push((i, id));
    }
    // Glossary entries are at the end, by their ids, after the glossary's own heading.
    for e in ctx
        .entries
        .iter()
        .filter(|e| e.lang.code == lang && e.key.starts_with(crate::content::GLOSSARY_DIR))
    {
        let id = crate::content::glossary_id(e.key).unwrap_or("glossary");
        anchors.insert(ctx.path(&e.url), format!("#{id}"));
    }
    let mut entries = ctx.glossary_entries.get(lang).cloned().unwrap_or_default();
    for e in &mut entries {
        e.url = format!("#{}", e.id);
    }
    let page = PageCtx {
        kind: "guide".into(),
        title: ctx.t(lang, "guide-title"),
        description: ctx.t(lang, "guide-description"),
        url: ctx.path(&url),
        permalink: ctx.permalink(&url),
        content_lang: lang.into(),
        content: BODY_MARKER.into(),
        chapters: toc.clone(),
        entries,
        unreviewed: unreviewed(ctx, lang, "slug-guide", false),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, lang, page);
    everywhere(ctx, &mut context, lang, "slug-guide");
    let (path, skeleton, at) = render_skeleton(
        ctx,
        lang,
        "guide.html",
        &context,
        &url,
        std::path::Path::new("(one-page guide)"),
    )?;
    Some(Guide {
        lang: lang.to_string(),
        path,
        toc,
        chapters,
        anchors,
        skeleton,
        at,
    })
}

/// Appends section `key` and everything under it to the guide's chapters, with their depth
/// (2 for the home page and top sections, one more per level, at most 6). The glossary has
/// its own place at the end of the guide.
fn guide_order<'a>(
    ctx: &Base<'a>,
    key: &'a str,
    lang: &str,
    level: u8,
    order: &mut Vec<(&'a str, u8)>,
) {
    order.push((key, level));
    let inner = if key == crate::content::HOME {
        level
    } else {
        (level + 1).min(6)
    };
    for page in child_entries(ctx, key, lang, Kind::Page) {
        order.push((page.key, inner));
    }
    for section in child_entries(ctx, key, lang, Kind::Section) {
        if section.key != crate::content::GLOSSARY {
            guide_order(ctx, section.key, lang, inner, order);
        }
    }
}

fn not_found_page(ctx: &Ctx<'_>, lang: &str, path: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let page = PageCtx {
        kind: "not-found".into(),
        title: ctx.t(lang, "not-found-title"),
        content_lang: lang.into(),
        url: ctx.path(path),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, lang, page);
    context.translations = language_homes(ctx, Some(lang));
    if let Some((file, bytes)) = render_page(
        ctx,
        lang,
        "404.html",
        &context,
        path,
        std::path::Path::new("(404 page)"),
    ) {
        out.push((file, bytes));
    }
}

/// Each language's home, for the language links of pages that are no page's translation
/// (404 pages, the chooser); `current` marks the page's own language.
fn language_homes(ctx: &Ctx<'_>, current: Option<&str>) -> Vec<Alternate> {
    ctx.config
        .languages
        .iter()
        .map(|l| Alternate {
            code: l.code.clone(),
            name: l.name.clone(),
            url: ctx.path(&ctx.config.lang_prefix(&l.code)),
            current: current == Some(l.code.as_str()),
        })
        .collect()
}

/// The root page when every language has its own prefix: the reader picks a language.
fn chooser(ctx: &Ctx<'_>, out: &mut Vec<(String, Vec<u8>)>) {
    let default = ctx.config.default_language().code.clone();
    let page = PageCtx {
        kind: "chooser".into(),
        title: ctx.config.default_language().title.clone(),
        url: ctx.path(""),
        permalink: ctx.config.base_url.clone(),
        content_lang: default.clone(),
        languages: ctx
            .config
            .languages
            .iter()
            .map(|l| LanguageChoice {
                code: l.code.clone(),
                name: l.name.clone(),
                title: l.title.clone(),
                description: l.description.clone(),
                url: ctx
                    .url("_index.md", &l.code)
                    .unwrap_or_else(|| ctx.path(&ctx.config.lang_prefix(&l.code))),
            })
            .collect(),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, &default, page);
    context.translations = language_homes(ctx, None);
    // The chooser is the x-default of the home pages, and lists them as its alternates.
    context.alternates = ctx
        .config
        .languages
        .iter()
        .filter_map(|l| {
            Some(Alternate {
                code: l.code.clone(),
                name: l.name.clone(),
                url: ctx.permalink(&ctx.entry("_index.md", &l.code).filter(|e| !e.fallback)?.url),
                current: false,
            })
        })
        .collect();
    context.x_default = Some(ctx.config.base_url.clone());
    if let Some((file, bytes)) = render_page(
        ctx,
        &default,
        "chooser.html",
        &context,
        "",
        std::path::Path::new("(language chooser)"),
    ) {
        out.push((file, bytes));
    }
}

/// `sitemap.xml` with an `xhtml:link` alternate for every translation; `listed`: more
/// addresses, with no alternates.
fn sitemap(ctx: &Ctx<'_>, listed: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    // Each page's addresses, one per language that has it: (language code, URL path).
    let mut groups: Vec<Vec<(&str, String)>> = Vec::new();
    let mut keys: Vec<&str> = ctx.entries.iter().map(|e| e.key).collect();
    keys.dedup();
    for key in keys {
        groups.push(
            ctx.config
                .languages
                .iter()
                .filter_map(|l| {
                    ctx.entry(key, &l.code)
                        .filter(|e| !e.fallback)
                        .map(|e| (l.code.as_str(), e.url.clone()))
                })
                .collect(),
        );
    }
    for slug in crate::i18n::SLUG_KEYS {
        groups.push(
            ctx.config
                .languages
                .iter()
                .filter_map(|l| Some((l.code.as_str(), ctx.generated_page(&l.code, slug)?)))
                .collect(),
        );
    }
    groups.extend(listed.iter().map(|url| vec![("", url.clone())]));
    for group in groups {
        for (_, url) in &group {
            let _ = writeln!(
                out,
                "  <url>\n    <loc>{}</loc>",
                crate::html::escape(&ctx.permalink(url))
            );
            if group.len() > 1 {
                for (code, alt_url) in &group {
                    let _ = writeln!(
                        out,
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                        crate::html::escape(&ctx.permalink(alt_url))
                    );
                }
            }
            out.push_str("  </url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out
}
