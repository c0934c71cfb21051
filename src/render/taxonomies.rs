//! Taxonomies, as Zola makes them: the terms of every page's `[taxonomies]`, gathered per
//! language into a list page per taxonomy (`/tags/`, `/es/tags/`) and a page per term
//! (`/tags/a/`). A term's address is its slug (`[slugify] taxonomies`); terms with one slug
//! are one term, as in Zola.

use std::collections::{HashMap, HashSet};

use anyhow::Result;

use super::context::*;
use super::templates::{base_context, list_item, render_page};
use super::{Base, Ctx, Entry, Sink};
use crate::config::{Config, SlugMode};
use crate::content::Kind;

/// One taxonomy in one language, with its terms.
#[derive(Debug)]
pub(crate) struct Taxonomy<'c> {
    /// How `site.toml` declares it.
    pub(crate) declared: &'c crate::config::Taxonomy,
    /// The language of its pages.
    pub(crate) lang: String,
    /// Address of its list page, below the base path: `tags/`, `es/tags/`.
    pub(crate) url: String,
    /// Its terms, by slug.
    pub(crate) terms: Vec<Term>,
}

/// One term of a taxonomy and the pages that name it.
#[derive(Debug)]
pub(crate) struct Term {
    /// As the first page that names it writes it.
    pub(crate) name: String,
    /// Address of its page, below the base path: `tags/a/`.
    pub(crate) url: String,
    /// The pages (indexes of the entries), newest first; undated pages last.
    pub(crate) entries: Vec<usize>,
}

/// `name` (a taxonomy's or a term's) as an address segment. senda's own `check` mode makes
/// it ASCII as Zola's `on` does: terms are words readers type, not addresses an editor chose.
pub(crate) fn slug(config: &Config, name: &str) -> String {
    match config.slugify.taxonomies {
        SlugMode::Check => SlugMode::On.apply(name),
        mode => mode.apply(name),
    }
}

/// The taxonomy `name` as declared for `lang`, if it is.
pub(crate) fn declared<'c>(
    config: &'c Config,
    lang: &str,
    name: &str,
) -> Option<&'c crate::config::Taxonomy> {
    config
        .taxonomies
        .iter()
        .find(|t| t.name == name && t.is_for(lang))
}

/// Every taxonomy of every language with the terms its pages name. A page naming a taxonomy
/// its language does not declare is a warning; a term that is not text is an error; a
/// taxonomy page at the address of a content page is an error.
pub(crate) fn collect<'c>(base: &Base<'c>) -> Vec<Taxonomy<'c>> {
    let config = base.config;
    let mut out: Vec<Taxonomy<'c>> = Vec::new();
    let mut at: HashMap<(&str, &str), usize> = HashMap::new();
    // Each term's place in its taxonomy, by address: (taxonomy, term URL) -> index.
    let mut terms_at: HashMap<(usize, String), usize> = HashMap::new();
    for language in &config.languages {
        for declared in config
            .taxonomies
            .iter()
            .filter(|t| t.is_for(&language.code))
        {
            if at.contains_key(&(language.code.as_str(), declared.name.as_str())) {
                continue;
            }
            at.insert((&language.code, &declared.name), out.len());
            out.push(Taxonomy {
                declared,
                lang: language.code.clone(),
                url: format!(
                    "{}{}/",
                    config.lang_prefix(&language.code),
                    slug(config, &declared.name)
                ),
                terms: Vec::new(),
            });
        }
    }
    for (i, entry) in base.entries.iter().enumerate() {
        if entry.fallback || entry.page.kind != Kind::Page {
            continue;
        }
        for (name, terms) in &entry.page.front.taxonomies {
            let line = entry.page.front.line(&format!("taxonomies.{name}"));
            let Some(&t) = at.get(&(entry.lang.code.as_str(), name.as_str())) else {
                base.report.warn(
                    entry
                        .page
                        .diagnostic(line, format!("the taxonomy `{name}` is not declared for this page's language, so no page lists this one under it"))
                        .help(format!("declare it in site.toml: taxonomies = [{{ name = \"{name}\", lang = \"{}\" }}]", entry.lang.code)),
                );
                continue;
            };
            let Some(terms) = terms_of(terms) else {
                base.report.error(
                    entry
                        .page
                        .diagnostic(
                            line,
                            format!("`{name}` in [taxonomies] is not a list of words"),
                        )
                        .help(format!("write {name} = [\"first\", \"second\"]")),
                );
                continue;
            };
            for term in terms {
                add_term(config, &mut out[t], &mut terms_at, (t, term), i);
            }
        }
    }
    for taxonomy in &mut out {
        taxonomy
            .terms
            .sort_by(|a, b| (&a.url, &a.name).cmp(&(&b.url, &b.name)));
        for term in &mut taxonomy.terms {
            term.entries
                .sort_by(|&a, &b| newest_first(&base.entries[a], &base.entries[b]));
        }
    }
    check_addresses(base, &out);
    out
}

/// The words of a `[taxonomies]` value: a list of text (a single word is taken too).
fn terms_of(value: &toml::Value) -> Option<Vec<&str>> {
    match value {
        toml::Value::String(one) => Some(vec![one.as_str()]),
        toml::Value::Array(list) => list.iter().map(toml::Value::as_str).collect(),
        _ => None,
    }
}

/// Adds page `entry` to the term `name` of taxonomy `t`, making the term if it is new;
/// `terms_at` finds a term by its address.
fn add_term(
    config: &Config,
    taxonomy: &mut Taxonomy<'_>,
    terms_at: &mut HashMap<(usize, String), usize>,
    (t, name): (usize, &str),
    entry: usize,
) {
    let name = name.trim();
    let term_slug = slug(config, name);
    if term_slug.is_empty() {
        return;
    }
    let url = format!("{}{term_slug}/", taxonomy.url);
    let found = terms_at.get(&(t, url.clone())).copied();
    match found.map(|i| &mut taxonomy.terms[i]) {
        Some(term) => {
            // Spellings of one term: the first in byte order names it, as in Zola.
            if name < term.name.as_str() {
                term.name = name.to_string();
            }
            if term.entries.last() != Some(&entry) {
                term.entries.push(entry);
            }
        }
        None => {
            terms_at.insert((t, url.clone()), taxonomy.terms.len());
            taxonomy.terms.push(Term {
                name: name.to_string(),
                url,
                entries: vec![entry],
            });
        }
    }
}

/// Dated pages first, newest first; then the others in their order.
pub(crate) fn newest_first(a: &Entry<'_>, b: &Entry<'_>) -> std::cmp::Ordering {
    match (super::feeds::timestamp(a), super::feeds::timestamp(b)) {
        (Some(a), Some(b)) => b.cmp(&a),
        (a, b) => a.is_none().cmp(&b.is_none()),
    }
}

/// A taxonomy's page where a content page is would replace one of them: an error.
fn check_addresses(base: &Base<'_>, taxonomies: &[Taxonomy<'_>]) {
    let pages: HashMap<&str, &std::path::Path> = base
        .entries
        .iter()
        .map(|e| (e.url.as_str(), e.page.file.as_path()))
        .collect();
    for taxonomy in taxonomies.iter().filter(|t| t.declared.render) {
        let urls = std::iter::once(&taxonomy.url).chain(taxonomy.terms.iter().map(|t| &t.url));
        for url in urls {
            if let Some(file) = pages.get(url.as_str()) {
                base.report.error(
                    crate::diag::Diagnostic::new(
                        file,
                        0,
                        format!(
                            "this page's address /{url} is also the page of the taxonomy `{}`",
                            taxonomy.declared.name
                        ),
                    )
                    .help("give the page another address (`path` or `slug`), or rename the taxonomy in site.toml"),
                );
            }
        }
    }
}

/// Every address the taxonomies' pages take, below the base path.
pub(crate) fn paths(taxonomies: &[Taxonomy<'_>]) -> HashSet<String> {
    taxonomies
        .iter()
        .filter(|t| t.declared.render)
        .flat_map(|t| std::iter::once(t.url.clone()).chain(t.terms.iter().map(|t| t.url.clone())))
        .collect()
}

/// The terms a page names, by taxonomy, linked to their pages: what the page shows under its
/// text. Taxonomies its language does not declare, or does not render, are left out.
pub(crate) fn page_terms(ctx: &Base<'_>, entry: &Entry<'_>) -> Vec<TermsCtx> {
    let config = ctx.config;
    // A fallback page's terms are the default language's, as its text is.
    let lang = if entry.fallback {
        config.default_language().code.as_str()
    } else {
        entry.lang.code.as_str()
    };
    let mut out = Vec::new();
    for (name, value) in &entry.page.front.taxonomies {
        let Some(declared) = declared(config, lang, name).filter(|t| t.render) else {
            continue;
        };
        let url = format!(
            "{}{}/",
            config.lang_prefix(lang),
            slug(config, &declared.name)
        );
        let terms: Vec<Link> = terms_of(value)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| !slug(config, t.trim()).is_empty())
            .map(|t| Link {
                title: t.trim().to_string(),
                url: ctx.path(&format!("{url}{}/", slug(config, t.trim()))),
            })
            .collect();
        if !terms.is_empty() {
            out.push(TermsCtx {
                name: title_of(name),
                url: ctx.path(&url),
                terms,
            });
        }
    }
    out
}

/// A taxonomy's name as a title: `tags` -> `Tags`.
fn title_of(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Every taxonomy's list page and term pages, into `sink`.
pub(crate) fn pages(ctx: &Ctx<'_>, taxonomies: &[Taxonomy<'_>], sink: &dyn Sink) -> Result<()> {
    // The same taxonomy, or term, in each language: for the language switcher.
    let mut versions: HashMap<(&str, &str), Vec<(&str, &str)>> = HashMap::new();
    for t in taxonomies.iter().filter(|t| t.declared.render) {
        versions
            .entry((&t.declared.name, ""))
            .or_default()
            .push((&t.lang, &t.url));
        for term in &t.terms {
            let tail = &term.url[t.url.len()..];
            versions
                .entry((&t.declared.name, tail))
                .or_default()
                .push((&t.lang, &term.url));
        }
    }
    for t in taxonomies.iter().filter(|t| t.declared.render) {
        let file = std::path::Path::new("site.toml");
        let mut list = taxonomy_context(ctx, t, None);
        add_versions(
            ctx,
            &mut list,
            &t.lang,
            &versions[&(t.declared.name.as_str(), "")],
        );
        if let Some((path, bytes)) =
            render_page(ctx, &t.lang, "taxonomy_list.html", &list, &t.url, file)
        {
            sink.put(path, bytes)?;
        }
        for term in &t.terms {
            let mut single = taxonomy_context(ctx, t, Some(term));
            let tail = &term.url[t.url.len()..];
            let same = &versions[&(t.declared.name.as_str(), tail)];
            add_versions(ctx, &mut single, &t.lang, same);
            if let Some((path, bytes)) = render_page(
                ctx,
                &t.lang,
                "taxonomy_single.html",
                &single,
                &term.url,
                file,
            ) {
                sink.put(path, bytes)?;
            }
        }
    }
    Ok(())
}

/// The context of a taxonomy's list page (`term` is `None`) or of one term's page.
fn taxonomy_context(ctx: &Ctx<'_>, t: &Taxonomy<'_>, term: Option<&Term>) -> PageContext {
    let lang = t.lang.as_str();
    let name = title_of(&t.declared.name);
    let mut page = PageCtx {
        content_lang: lang.to_string(),
        ..PageCtx::default()
    };
    match term {
        None => {
            page.kind = "taxonomy".into();
            page.title = name.clone();
            page.url = ctx.path(&t.url);
            page.permalink = ctx.permalink(&t.url);
            page.terms = t
                .terms
                .iter()
                .map(|term| TermCtx {
                    name: term.name.clone(),
                    url: ctx.path(&term.url),
                    count: term.entries.len(),
                })
                .collect();
        }
        Some(term) => {
            page.kind = "term".into();
            page.title = ctx.strings.get(
                lang,
                "term-title",
                &[
                    ("taxonomy", name.clone().into()),
                    ("term", term.name.clone().into()),
                ],
            );
            page.url = ctx.path(&term.url);
            page.permalink = ctx.permalink(&term.url);
            page.pages = term
                .entries
                .iter()
                .map(|&i| list_item(ctx, &ctx.entries[i]))
                .collect();
            if t.declared.feed {
                page.feed_url = super::feeds::first_url(ctx, &term.url);
            }
        }
    }
    let mut context = base_context(ctx, lang, page);
    context.breadcrumbs = vec![Link {
        title: ctx.sites[lang].0.title.clone(),
        url: ctx.sites[lang].0.home_url.clone(),
    }];
    if term.is_some() {
        context.breadcrumbs.push(Link {
            title: name,
            url: ctx.path(&t.url),
        });
    }
    context
}

/// The language switcher and `hreflang` alternates of a taxonomy page: the languages that
/// have the same taxonomy, or term, as `versions` (language, address) says.
fn add_versions(ctx: &Ctx<'_>, context: &mut PageContext, lang: &str, versions: &[(&str, &str)]) {
    for l in &ctx.config.languages {
        let Some((_, url)) = versions.iter().find(|(code, _)| *code == l.code) else {
            continue;
        };
        let version = |url: String| Alternate {
            code: l.code.clone(),
            name: l.name.clone(),
            url,
            current: l.code == lang,
        };
        context.translations.push(version(ctx.path(url)));
        context.alternates.push(version(ctx.permalink(url)));
        if l.code == ctx.config.default_language().code {
            context.x_default = Some(ctx.permalink(url));
        }
    }
    if context.alternates.len() < 2 {
        context.alternates.clear();
        context.x_default = None;
    }
}
