//! Tera: templates compiled once, an interface-string function per language, and the context
//! of each content page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Result, anyhow};
use fluent_bundle::FluentValue;
use tera::Tera;

use super::context::*;
use super::{Base, Ctx, Entry};
use crate::config::{Config, Direction};
use crate::content::{Kind, SortBy};
use crate::diag::{Diagnostic, Report};
use crate::i18n::Strings;
use crate::markdown::At;
use crate::markdown::Rendered;
use crate::theme::Theme;

/// The theme's templates, one Tera instance per language (each with its own `t()`).
/// Compiled (and minified) when the sources load, so that `serve` compiles them again only
/// when the theme or the interface strings change.
pub struct Templates {
    by_lang: BTreeMap<String, Tera>,
    /// Where each template came from and its text as written, for messages.
    paths: BTreeMap<String, (std::path::PathBuf, String)>,
    /// The templates were minified when they were loaded (see `premin`), so what they render
    /// is minified already.
    preminified: bool,
    /// Zola shortcodes, for the pages' Markdown.
    pub(crate) shortcodes: crate::markdown::shortcodes::Shortcodes,
}

/// `t(key="…", count=3)`: an interface string in the page's language.
struct Translate {
    strings: Arc<Strings>,
    lang: String,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|v| v.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs key=\"…\""))?;
        let values: Vec<(&str, FluentValue<'_>)> = args
            .iter()
            .filter(|(name, _)| name.as_str() != "key")
            .map(|(name, value)| {
                let v = match value {
                    tera::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
                    tera::Value::String(s) => FluentValue::from(s.as_str()),
                    other => FluentValue::from(other.to_string()),
                };
                (name.as_str(), v)
            })
            .collect();
        Ok(tera::Value::String(
            self.strings.get(&self.lang, key, &values),
        ))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("templates", &self.paths.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Templates {
    /// Compiles the theme's templates. A syntax error names the template file. When the site
    /// is minified, the templates are minified here, once, rather than every page they render
    /// (see `premin`); a theme that cannot be minified safely is compiled as written, and its
    /// pages are minified one by one.
    pub fn load(
        theme: &Theme,
        strings: &Arc<Strings>,
        config: &Config,
        images: &crate::images::Processed,
        report: &Report,
    ) -> Result<Templates> {
        let pictures = images
            .catalogue
            .images
            .iter()
            .map(|(path, image)| {
                (
                    path.clone(),
                    (image.largest().width, image.largest().height),
                )
            })
            .collect();
        let shortcodes = match crate::markdown::shortcodes::Shortcodes::compile(
            &theme.shortcodes,
            shortcode_config(config),
            &config.base_path,
            Some(Arc::clone(strings)),
            pictures,
        ) {
            Ok(set) => set,
            Err(diagnostic) => {
                report.error(diagnostic);
                Default::default()
            }
        };
        let mut tera = Tera::default();
        let mut paths = BTreeMap::new();
        let mut sources = Vec::new();
        for (name, file) in theme.templates() {
            let text = String::from_utf8(file.bytes.clone())
                .map_err(|_| anyhow!("`{}` is not UTF-8 text", file.path.display()))?;
            paths.insert(name.to_string(), (file.path.clone(), text.clone()));
            sources.push((name.to_string(), text));
        }
        let mut preminified = false;
        if config.minify
            && let Some(minified) = super::premin::minify_templates(&sources)
        {
            tera.register_filter(
                super::premin::ATTRIBUTE_VALUE,
                super::premin::attribute_value,
            );
            // Should the minified text not compile, the sources below report the real error.
            preminified = tera.add_raw_templates(minified).is_ok();
            if !preminified {
                tera = Tera::default();
            }
        }
        if !preminified && let Err(e) = tera.add_raw_templates(sources) {
            report.error(
                Diagnostic::new(
                    std::path::Path::new("themes"),
                    0,
                    format!("a template does not compile: {}", chain(&e)),
                )
                .help("fix the template syntax named above ({{ }} for values, {% %} for tags)"),
            );
            return Ok(Templates {
                by_lang: BTreeMap::new(),
                paths,
                preminified: false,
                shortcodes,
            });
        }
        // Tera escapes `/` as `&#x2F;` by default: five bytes for every slash of every URL on a
        // site read over prepaid data. Inside quoted attributes and text, `& < > " '` suffice.
        tera.set_escape_fn(crate::html::escape);
        let mut by_lang = BTreeMap::new();
        for language in &config.languages {
            let mut t = tera.clone();
            t.register_function(
                "t",
                Translate {
                    strings: Arc::clone(strings),
                    lang: language.code.clone(),
                },
            );
            by_lang.insert(language.code.clone(), t);
        }
        Ok(Templates {
            by_lang,
            paths,
            preminified,
            shortcodes,
        })
    }

    /// Whether the theme has template `name`.
    pub fn has(&self, name: &str) -> bool {
        self.paths.contains_key(name)
    }

    /// Template `name`, when the theme has it.
    pub fn name(&self, name: &str) -> Option<&str> {
        self.paths.get_key_value(name).map(|(k, _)| k.as_str())
    }

    /// Renders template `name` for a page in `lang`, as UTF-8 bytes: Tera writes strings only,
    /// and checking every page's bytes again for UTF-8 was 2 % of a large build. An error
    /// names the template it happened in (a parent, when `name` extends one) and, when Tera
    /// names a variable, its line there.
    pub fn render(
        &self,
        lang: &str,
        name: &str,
        context: &PageContext,
    ) -> Result<Vec<u8>, Diagnostic> {
        let failed = |message: String| Diagnostic::new(&self.path(name), 0, message);
        let tera = self
            .by_lang
            .get(lang)
            .ok_or_else(|| failed(format!("no templates for `{lang}`")))?;
        let context = tera::Context::from_serialize(context).map_err(|e| failed(chain(&e)))?;
        let mut html = Vec::new();
        tera.render_to(name, &context, &mut html).map_err(|e| {
            let cause = std::error::Error::source(&e).map_or_else(|| e.to_string(), chain);
            // Tera names the template it rendered, not always the parent the error is in
            // ("(error happened in 'base.html')" only outside blocks): look in the template,
            // then in each template it extends.
            let parents = tera
                .get_template(name)
                .map(|t| t.parents.clone())
                .unwrap_or_default();
            let (at, line) = std::iter::once(name)
                .chain(parents.iter().map(String::as_str))
                .find_map(|t| Some((t, self.line_naming(t, &cause)?)))
                .unwrap_or((name, 0));
            let text = self.paths.get(at).map_or("", |(_, text)| text.as_str());
            Diagnostic::new(&self.path(at), line, cause).with_source(text)
        })?;
        Ok(html)
    }

    /// The file of template `name`, for messages.
    fn path(&self, name: &str) -> std::path::PathBuf {
        self.paths
            .get(name)
            .map_or_else(|| name.into(), |(path, _)| path.clone())
    }

    /// The line of template `name` that uses the variable a Tera message names. Tera 1 keeps
    /// no positions after parsing, so the variable is looked for in the template's text.
    fn line_naming(&self, name: &str, message: &str) -> Option<usize> {
        let (_, rest) = message.split_once("Variable `")?;
        let (variable, _) = rest.split_once('`')?;
        let (_, text) = self.paths.get(name)?;
        Some(text.lines().position(|l| l.contains(variable))? + 1)
    }
}

/// What shortcode templates see as `config`, named as in Zola's `config.toml`.
fn shortcode_config(config: &Config) -> tera::Value {
    let default = config.default_language();
    serde_json::json!({
        "title": default.title,
        "description": default.description,
        "base_url": config.base_url,
        "default_language": default.code,
        "languages": config.languages.iter().map(|l| l.code.as_str()).collect::<Vec<_>>(),
        "extra": {},
    })
}

/// Tera hides the real cause in `source()`: show the whole chain.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// Which template renders a content page.
fn template_name(entry: &Entry<'_>) -> &'static str {
    let page = entry.page;
    match page.kind {
        Kind::Section if entry.key == crate::content::HOME => "home.html",
        Kind::Section if entry.key == crate::content::GLOSSARY => "glossary.html",
        Kind::Section => "section.html",
        Kind::Page if page.front.circumstance.is_some() => "circumstance.html",
        Kind::Page if page.front.question.is_some() => "question.html",
        Kind::Page => "page.html",
    }
}

/// The template a page names (`template`, or its section's `page_template`), when the theme
/// has it; else the page kind's own, with a warning: Zola sites name templates of their own
/// theme, which senda's does not have.
fn chosen_template<'c>(ctx: &'c Ctx<'_>, entry: &Entry<'_>) -> &'c str {
    let own = template_name(entry);
    let page = entry.page;
    let section = || {
        let parent = page.parent_key()?;
        ctx.content.get(&parent, &entry.lang.code).or_else(|| {
            ctx.content
                .get(&parent, &ctx.config.default_language().code)
        })
    };
    let (named, key, file) = match (&page.front.template, page.kind) {
        (Some(name), _) => (name, "template", page),
        (None, Kind::Page) => {
            match section().and_then(|s| Some((s.front.page_template.as_ref()?, s))) {
                Some((name, section)) => (name, "page_template", section),
                None => return own,
            }
        }
        (None, Kind::Section) => return own,
    };
    match ctx.templates.name(named) {
        Some(name) => name,
        None => {
            if !entry.fallback {
                ctx.report.warn(file.diagnostic(crate::content::key_line(&file.source, key), format!("the theme has no template `{named}`; {} uses `{own}`", page.file.display()))
                    .help("name a file of themes/<theme>/templates/, or remove the key to use the page's own template"));
            }
            own
        }
    }
}

/// The page at the address of a section that sends readers elsewhere (`redirect_to`).
fn redirect(ctx: &Ctx<'_>, entry: &Entry<'_>, to: &str) -> Option<(String, Vec<u8>)> {
    let Some(target) = super::redirects::target(ctx, &entry.lang.code, to) else {
        ctx.report.error(
            entry
                .page
                .diagnostic(
                    crate::content::key_line(&entry.page.source, "redirect_to"),
                    format!("redirect_to `{to}`: there is no such page"),
                )
                .help("an @/ link names a file under content/, with .md: @/blog/_index.md"),
        );
        return None;
    };
    Some((
        format!("{}index.html", entry.url),
        super::redirects::page(&entry.lang.code, &target),
    ))
}

/// Renders one content page (on the home page, with `pass_on`); problems go to the report.
pub(crate) fn page(
    ctx: &Ctx<'_>,
    entry: &Entry<'_>,
    body: &mut Rendered,
    pass_on: Option<PassOnCtx>,
) -> Option<(String, Vec<u8>)> {
    if let Some(to) = &entry.page.front.redirect_to {
        return redirect(ctx, entry, to);
    }
    let name = chosen_template(ctx, entry);
    let mut context = page_context(ctx, entry, body);
    context.page.pass_on = pass_on;
    // The page's HTML is spliced into the page and dropped: nothing else needs it afterwards.
    let html = std::mem::take(&mut body.html);
    // Markdown is written compactly; only raw HTML (sanitised, as the translator wrote it)
    // goes through the minifier.
    let html = if ctx.config.minify && body.raw_html {
        String::from_utf8_lossy(&minify(ctx.config, html.into_bytes())).into_owned()
    } else {
        html
    };
    render_with_body(
        ctx,
        &entry.lang.code,
        name,
        &context,
        &entry.url,
        &entry.page.file,
        &html,
    )
}

/// Renders a whole page (a context with no body to splice in) with template `name`: its
/// output path (`<url>index.html`) and its minified bytes.
pub(crate) fn render_page(
    ctx: &Ctx<'_>,
    lang: &str,
    name: &str,
    context: &PageContext,
    url: &str,
    file: &std::path::Path,
) -> Option<(String, Vec<u8>)> {
    render_with_body(ctx, lang, name, context, url, file, "")
}

/// Stands for the page's body in its context while the template is rendered and minified.
/// Plain text, so that the minifier (which drops comments) leaves it in place.
pub(crate) const BODY_MARKER: &str = "senda-body-8c1f0e";

/// Renders `context` with template `name` into `<url>index.html`. The template's output is
/// minified with [`BODY_MARKER`] standing where it prints `page.content`; `body` (HTML,
/// compact already) is spliced in afterwards, so the page's text is never copied into
/// Tera's context. (The one-page guide streams its chapters instead: see
/// `generated::Guide`.)
pub(crate) fn render_with_body(
    ctx: &Ctx<'_>,
    lang: &str,
    name: &str,
    context: &PageContext,
    url: &str,
    file: &std::path::Path,
    body: &str,
) -> Option<(String, Vec<u8>)> {
    let (path, skeleton, at) = render_skeleton(ctx, lang, name, context, url, file)?;
    if at == skeleton.len() {
        return Some((path, skeleton));
    }
    let mut out = Vec::with_capacity(skeleton.len() + body.len());
    out.extend_from_slice(&skeleton[..at]);
    out.extend_from_slice(body.as_bytes());
    out.extend_from_slice(&skeleton[at + BODY_MARKER.len()..]);
    Some((path, out))
}

/// Renders and minifies `context` with template `name`: the output path, the page, and where
/// [`BODY_MARKER`] stands in it (the page's length when the context has no body to splice).
pub(crate) fn render_skeleton(
    ctx: &Ctx<'_>,
    lang: &str,
    name: &str,
    context: &PageContext,
    url: &str,
    file: &std::path::Path,
) -> Option<(String, Vec<u8>, usize)> {
    let path = if url.is_empty() || url.ends_with('/') {
        format!("{url}index.html")
    } else {
        url.to_string()
    };
    let html = match ctx.templates.render(lang, name, context) {
        Ok(html) => html,
        Err(e) => {
            let page = match file.extension() {
                Some(ext) if ext == "md" => format!("{path} (from {})", file.display()),
                _ => path,
            };
            ctx.report.error(e.help(format!(
                "the template failed while rendering {page}; fix the template or the page data it names"
            )));
            return None;
        }
    };
    let skeleton = if ctx.templates.preminified {
        // The templates were minified when they were loaded. A space kept next to a value
        // that rendered nothing (`serve_script` outside `senda serve`) can end the page,
        // where it means nothing.
        let mut html = html;
        while html.last().is_some_and(u8::is_ascii_whitespace) {
            html.pop();
        }
        html
    } else {
        minify(ctx.config, html)
    };
    if context.page.content != BODY_MARKER {
        let end = skeleton.len();
        return Some((path, skeleton, end));
    }
    let marker = BODY_MARKER.as_bytes();
    let Some(at) = memchr::memmem::find(&skeleton, marker) else {
        ctx.report.error(
            Diagnostic::new(
                file,
                0,
                format!("the template `{name}` does not print the page's text"),
            )
            .help("add {{ page.content | safe }} where the text goes"),
        );
        return None;
    };
    Some((path, skeleton, at))
}

/// Minifies a page (and its inline CSS) when the site asks for it.
pub(crate) fn minify(config: &Config, html: Vec<u8>) -> Vec<u8> {
    if !config.minify {
        return html;
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = false;
    minify_html::minify(&html, &cfg)
}

/// The parts of a context every page shares: site, language, menu. `lang` is one of the
/// site's languages, each of which [`Ctx`] has these parts of.
pub(crate) fn base_context(ctx: &Ctx<'_>, lang: &str, page: PageCtx) -> PageContext {
    let (site, lang_ctx) = ctx.sites[lang].clone();
    PageContext {
        site,
        lang: lang_ctx,
        page,
        translations: Vec::new(),
        alternates: Vec::new(),
        x_default: None,
        nav: ctx.navs[lang].clone(),
        breadcrumbs: Vec::new(),
        serve_script: ctx.options.serve_script.clone(),
    }
}

/// The site and language parts of every page's context in `language` (once per build).
pub(crate) fn site_context(
    ctx: &Base<'_>,
    language: &crate::config::Language,
) -> (SiteCtx, LangCtx) {
    let lang = language.code.as_str();
    let decide_url = ctx
        .entry(crate::content::DECIDE, lang)
        .and_then(|e| e.page.front.extra.get("start"))
        .and_then(|v| v.as_str())
        .and_then(|s| s.strip_prefix("@/"))
        .and_then(|k| ctx.url(k, lang));
    let site = SiteCtx {
        title: language.title.clone(),
        description: language.description.clone(),
        base_url: ctx.config.base_url.clone(),
        base_path: ctx.config.base_path.clone(),
        home_url: ctx
            .url(crate::content::HOME, lang)
            .unwrap_or_else(|| ctx.path(&ctx.config.lang_prefix(lang))),
        style_url: ctx.style_url.clone(),
        sources_url: ctx.path(&ctx.generated_url(lang, "slug-sources")),
        guide_url: ctx
            .generated_page(lang, "slug-guide")
            .map(|url| ctx.path(&url))
            .unwrap_or_default(),
        glossary_url: ctx.url(crate::content::GLOSSARY, lang),
        decide_url,
        facts_date: ctx.newest_fact.map(|d| ctx.format(lang).date(d)),
        preview_image: ctx
            .exists(PREVIEW_IMAGE)
            .then(|| ctx.permalink(PREVIEW_IMAGE)),
        feed_url: language
            .feeds
            .then(|| super::feeds::first_url(ctx, &ctx.config.lang_prefix(lang)))
            .flatten(),
        feed_type: super::feeds::media_type(ctx.config).to_string(),
    };
    let lang_ctx = LangCtx {
        code: language.code.clone(),
        name: language.name.clone(),
        locale: language.locale.clone(),
        og_locale: og_locale(language),
        og_alternates: ctx
            .config
            .languages
            .iter()
            .filter(|l| l.code != language.code)
            .map(og_locale)
            .collect(),
        dir: match language.direction {
            Direction::Ltr => "ltr".into(),
            Direction::Rtl => "rtl".into(),
        },
    };
    (site, lang_ctx)
}

/// The theme's link-preview image, below the site's root.
const PREVIEW_IMAGE: &str = "preview.png";

/// The language of the text with the region of its locale, as Open Graph writes it (`es_MX`).
/// The locale alone may name another language: Kreyòl is formatted as `fr-HT`, but a preview
/// of its pages is in `ht_HT`.
fn og_locale(language: &crate::config::Language) -> String {
    let language_part = language.code.split('-').next().unwrap_or(&language.code);
    match language.locale.split_once('-') {
        Some((_, region)) => format!("{language_part}_{}", region.to_ascii_uppercase()),
        None => language_part.to_string(),
    }
}

/// Pages (or subsections) of section `key` in `lang`, by weight then title.
pub(crate) fn children(ctx: &Base<'_>, key: &str, lang: &str, kind: Kind) -> Vec<ListItem> {
    child_entries(ctx, key, lang, kind)
        .into_iter()
        .map(|e| list_item(ctx, e))
        .collect()
}

/// The HTML of `text`, the front-matter value at `path` (`circumstance.steps.0`) of `entry`:
/// a problem in it names the value's own line.
fn front_markdown(ctx: &Base<'_>, entry: &Entry<'_>, path: &str, text: &str) -> String {
    let line = entry.page.value_line(path, text);
    ctx.markdown(entry, Some((text, At::Line(line))), None).html
}

/// How `entry` appears in a list.
pub(crate) fn list_item(ctx: &Base<'_>, entry: &Entry<'_>) -> ListItem {
    const MORE: &str = "<!-- more -->";
    let body = entry.page.body();
    // Every page is listed: a whole-body search, with memchr's vector search.
    let before = memchr::memmem::find(body.as_bytes(), MORE.as_bytes()).map(|at| &body[..at]);
    let summary = match before {
        Some(before) if entry.page.kind == Kind::Page => {
            ctx.markdown(entry, Some((before, At::Byte(entry.page.body_start))), None)
                .html
        }
        _ => String::new(),
    };
    let (date, datetime) = dates(ctx, entry);
    ListItem {
        title: entry.page.front.title.clone(),
        description: entry.page.front.description.clone(),
        url: ctx.path(&entry.url),
        summary,
        date,
        datetime,
    }
}

/// A page's `date`, formatted in its language and as `YYYY-MM-DD`.
fn dates(ctx: &Base<'_>, entry: &Entry<'_>) -> (Option<String>, Option<String>) {
    match entry.page.front.date.as_ref().and_then(to_date) {
        Some(date) => (
            Some(ctx.format(&entry.lang.code).date(date)),
            Some(date.to_string()),
        ),
        None => (None, None),
    }
}

/// The entries listed in section `key` in `lang`, of one kind, by weight then title.
pub(crate) fn child_entries<'c, 'a>(
    ctx: &'c Base<'a>,
    key: &str,
    lang: &str,
    kind: Kind,
) -> Vec<&'c Entry<'a>> {
    let Some(indexes) = ctx.children.get(&(key.to_string(), lang.to_string())) else {
        return Vec::new();
    };
    let mut entries: Vec<&Entry<'_>> = indexes
        .iter()
        .map(|&i| &ctx.entries[i])
        .filter(|e| e.page.kind == kind)
        .collect();
    let sort_by = ctx
        .content
        .get(key, lang)
        .or_else(|| ctx.content.get(key, &ctx.config.default_language().code))
        .map(|section| section.front.sort_by)
        .unwrap_or_default();
    sort(&mut entries, sort_by);
    entries
}

/// Orders a section's entries as its `sort_by` says. Pages without the date a date order
/// needs come last (Zola leaves them out of the list; here every page stays reachable).
fn sort(entries: &mut [&Entry<'_>], sort_by: SortBy) {
    let newest_first = |a: Option<&toml::value::Datetime>, b: Option<&toml::value::Datetime>| {
        let key = |d: Option<&toml::value::Datetime>| d.map(|d| d.to_string());
        match (key(a), key(b)) {
            (Some(a), Some(b)) => b.cmp(&a),
            (a, b) => a.is_none().cmp(&b.is_none()),
        }
    };
    match sort_by {
        SortBy::Weight => entries.sort_by(|a, b| {
            (a.page.front.weight, &a.page.front.title)
                .cmp(&(b.page.front.weight, &b.page.front.title))
        }),
        SortBy::Date => entries
            .sort_by(|a, b| newest_first(a.page.front.date.as_ref(), b.page.front.date.as_ref())),
        SortBy::UpdateDate => entries.sort_by(|a, b| {
            let (a, b) = (&a.page.front, &b.page.front);
            newest_first(
                a.updated.as_ref().or(a.date.as_ref()),
                b.updated.as_ref().or(b.date.as_ref()),
            )
        }),
        SortBy::Title => entries.sort_by_key(|e| e.page.front.title.to_lowercase()),
        SortBy::TitleBytes => entries.sort_by(|a, b| a.page.front.title.cmp(&b.page.front.title)),
        SortBy::None => {}
    }
}

/// A fact or table's source line, for lists of sources.
pub(crate) fn source_ctx(ctx: &Base<'_>, lang: &str, name: &str) -> Option<SourceCtx> {
    let fmt = ctx.format(lang);
    let stale_before = ctx.stale_before;
    let (label, value, note, meta) = if let Some(fact) = ctx.facts.lookup(name) {
        (
            fact.meta.label.get(lang).unwrap_or(name).to_string(),
            fmt.value(&fact.value, lang),
            fact.meta.note.get(lang).unwrap_or_default().to_string(),
            &fact.meta,
        )
    } else {
        let table = ctx.facts.lookup_table(name)?;
        (
            table.caption.get(lang).unwrap_or(name).to_string(),
            String::new(),
            table.meta.note.get(lang).unwrap_or_default().to_string(),
            &table.meta,
        )
    };
    Some(SourceCtx {
        name: name.to_string(),
        label,
        value,
        note,
        as_of: fmt.date(meta.as_of),
        stale: stale_before.is_some_and(|d| meta.as_of < d),
        source: meta.source.clone(),
        source_url: meta.source_url.clone(),
    })
}

/// For a translation no fluent speaker has checked yet, the same page in the language its
/// readers are pointed to (`review_fallback`), or in the default language when that one has
/// no translation of it either. `None` for originals, fallback pages and checked translations.
fn review_link(ctx: &Ctx<'_>, entry: &Entry<'_>) -> Option<Alternate> {
    let default = &ctx.config.default_language().code;
    let language = entry.lang;
    if entry.fallback
        || language.code == *default
        || language.translation_reviewed(entry.page.front.translation_reviewed)
    {
        return None;
    }
    let (to, page) = [&language.review_fallback, default]
        .into_iter()
        .find_map(|code| {
            let e = ctx.entry(entry.key, code).filter(|e| !e.fallback)?;
            Some((ctx.config.language(code)?, e))
        })?;
    Some(Alternate {
        code: to.code.clone(),
        name: to.name.clone(),
        url: ctx.path(&page.url),
        current: false,
    })
}

fn to_date(d: &toml::value::Datetime) -> Option<jiff::civil::Date> {
    let date = d.date?;
    jiff::civil::Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
}

fn page_context(ctx: &Ctx<'_>, entry: &Entry<'_>, body: &mut Rendered) -> PageContext {
    let lang = entry.lang.code.as_str();
    let page = entry.page;
    let front = &page.front;
    let kind = match template_name(entry) {
        "home.html" => "home",
        "glossary.html" => "glossary",
        "section.html" => "section",
        "circumstance.html" => "circumstance",
        "question.html" => "question",
        _ => "page",
    };
    let mut fact_names: Vec<&str> = body.facts.iter().map(String::as_str).collect();
    if let Some(c) = &front.circumstance {
        for f in &c.facts {
            if !fact_names.contains(&f.as_str()) {
                fact_names.push(f);
            }
        }
    }
    let sources: Vec<SourceCtx> = fact_names
        .iter()
        .filter_map(|n| source_ctx(ctx, lang, n))
        .collect();
    let newest_used = fact_names
        .iter()
        .filter_map(|n| {
            ctx.facts
                .lookup(n)
                .map(|f| f.meta.as_of)
                .or_else(|| ctx.facts.lookup_table(n).map(|t| t.meta.as_of))
        })
        .max();
    let reviewed = front
        .reviewed
        .as_ref()
        .and_then(to_date)
        .or(newest_used)
        .or(ctx.newest_fact);
    let stale_before = ctx.stale_before;

    let default = &ctx.config.default_language().code;
    let outdated = !entry.fallback
        && lang != default
        && match (&front.source_hash, ctx.content.get(entry.key, default)) {
            (Some(hash), Some(source)) => *hash != crate::content::source_hash(source),
            _ => false,
        };
    let mut p = PageCtx {
        kind: kind.into(),
        title: front.title.clone(),
        description: front.description.clone(),
        // The body is spliced in after the template is minified (see `render_with_body`).
        content: BODY_MARKER.to_string(),
        url: ctx.path(&entry.url),
        permalink: ctx.permalink(&entry.url),
        reviewed: reviewed.map(|d| ctx.format(lang).date(d)),
        stale: reviewed.zip(stale_before).is_some_and(|(r, s)| r < s),
        fallback: entry.fallback,
        outdated,
        unreviewed: review_link(ctx, entry),
        content_lang: if entry.fallback {
            default.clone()
        } else {
            lang.to_string()
        },
        quick_exit: front.quick_exit,
        draft: front.draft,
        headings: body.headings.clone(),
        sources,
        extra: serde_json::to_value(&front.extra).unwrap_or_default(),
        ..PageCtx::default()
    };
    (p.date, p.datetime) = dates(ctx, entry);
    p.taxonomies = super::taxonomies::page_terms(ctx, entry);
    if page.kind == Kind::Section && front.generate_feeds && !entry.fallback {
        p.feed_url = super::feeds::first_url(ctx, &entry.url);
    }
    add_lists(ctx, entry, kind, &mut p);
    let mut context = base_context(ctx, lang, p);
    add_versions(ctx, entry, &mut context);
    context.breadcrumbs = breadcrumbs(ctx, entry);
    context
}

/// What only some kinds of page show: a section's pages, the circumstances, the glossary's
/// entries, a circumstance's or a question's parts.
fn add_lists(ctx: &Ctx<'_>, entry: &Entry<'_>, kind: &str, p: &mut PageCtx) {
    let lang = entry.lang.code.as_str();
    let page = entry.page;
    let front = &page.front;
    if page.kind == Kind::Section {
        p.pages = children(ctx, entry.key, lang, Kind::Page);
        p.subsections = children(ctx, entry.key, lang, Kind::Section);
    }
    if kind == "home" || entry.key == crate::content::SITUATIONS {
        p.circumstances = ctx
            .entries
            .iter()
            .filter(|e| e.lang.code == lang && e.page.front.circumstance.is_some())
            .map(|e| list_item(ctx, e))
            .collect();
    }
    if kind == "glossary" {
        p.entries = ctx.glossary_entries.get(lang).cloned().unwrap_or_default();
    }
    if let Some(c) = &front.circumstance {
        p.circumstance = Some(circumstance_ctx(ctx, entry, c, &p.sources));
    }
    if let Some(q) = &front.question {
        p.question = Some(QuestionCtx {
            answers: q
                .answers
                .iter()
                .enumerate()
                .map(|(i, a)| Link {
                    title: front_markdown(
                        ctx,
                        entry,
                        &format!("question.answers.{i}.label"),
                        &a.label,
                    ),
                    url: a
                        .next
                        .strip_prefix("@/")
                        .and_then(|k| ctx.url(k, lang))
                        .unwrap_or_default(),
                })
                .collect(),
            step: question_step(ctx, entry),
        });
    }
}

/// The page's versions in every language: the switcher and the `hreflang` alternates.
fn add_versions(ctx: &Ctx<'_>, entry: &Entry<'_>, context: &mut PageContext) {
    let lang = entry.lang.code.as_str();
    let default = &ctx.config.default_language().code;
    // The switcher leads to every language's version, fallbacks included; hreflang names
    // only real translations, by full URL.
    let versions = |real_only: bool, url: &dyn Fn(&str) -> String| -> Vec<Alternate> {
        ctx.config
            .languages
            .iter()
            .filter_map(|l| {
                let e = ctx
                    .entry(entry.key, &l.code)
                    .filter(|e| !(real_only && e.fallback))?;
                Some(Alternate {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    url: url(&e.url),
                    current: l.code == lang,
                })
            })
            .collect()
    };
    context.translations = versions(false, &|u| ctx.path(u));
    if !entry.fallback {
        context.alternates = versions(true, &|u| ctx.permalink(u));
        context.x_default = if entry.key == crate::content::HOME && ctx.config.languages_in_subdirs
        {
            Some(ctx.config.base_url.clone())
        } else {
            ctx.entry(entry.key, default)
                .filter(|e| !e.fallback)
                .map(|e| ctx.permalink(&e.url))
        };
        if context.alternates.len() < 2 {
            context.alternates.clear();
            context.x_default = None;
        }
    }
}

/// From the home page down to the page's section.
fn breadcrumbs(ctx: &Ctx<'_>, entry: &Entry<'_>) -> Vec<Link> {
    let lang = entry.lang.code.as_str();
    let mut crumbs = Vec::new();
    let mut parent = entry.page.parent_key();
    while let Some(key) = parent {
        if let Some(e) = ctx.entry(&key, lang) {
            crumbs.push(Link {
                title: e.page.front.title.clone(),
                url: ctx.path(&e.url),
            });
            parent = e.page.parent_key();
        } else {
            break;
        }
    }
    crumbs.reverse();
    crumbs
}

/// Glossary entries of `lang`, in title order, with their rendered text.
pub(crate) fn glossary_entries(ctx: &Base<'_>, lang: &str) -> Vec<EntryCtx> {
    let mut entries: Vec<EntryCtx> = ctx
        .entries
        .iter()
        .filter_map(|e| {
            let id = crate::content::glossary_id(e.key)?;
            (e.lang.code == lang && e.page.kind == Kind::Page).then_some((e, id))
        })
        .map(|(e, id)| EntryCtx {
            id: id.to_string(),
            title: e.page.front.title.clone(),
            description: e.page.front.description.clone(),
            aliases: e.page.front.term_aliases.clone(),
            content: ctx.markdown(e, None, None).html,
            url: ctx.path(&e.url),
        })
        .collect();
    entries.sort_by_key(|e| e.title.to_lowercase());
    entries
}

fn circumstance_ctx(
    ctx: &Ctx<'_>,
    entry: &Entry<'_>,
    c: &crate::content::Circumstance,
    sources: &[SourceCtx],
) -> CircumstanceCtx {
    let lang = entry.lang.code.as_str();
    let id = entry
        .key
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".md");
    let mut articles: Vec<ListItem> = Vec::new();
    for (i, link) in c.articles.iter().enumerate() {
        let key = link.strip_prefix("@/").unwrap_or(link);
        match ctx.entry(key, lang).or_else(|| ctx.entry(key, &ctx.config.default_language().code)) {
            Some(e) => articles.push(list_item(ctx, e)),
            None => ctx.report.error(entry.page.diagnostic(entry.page.front.line(&format!("circumstance.articles.{i}")), format!("the article `{link}` does not exist"))
                .help("list articles as @/ links to files under content/: \"@/guide/apply-in-mexico.md\"")),
        }
    }
    for e in ctx
        .entries
        .iter()
        .filter(|e| e.lang.code == lang && e.page.front.circumstances.iter().any(|t| t == id))
    {
        let url = ctx.path(&e.url);
        if !articles.iter().any(|a| a.url == url) {
            articles.push(list_item(ctx, e));
        }
    }
    for (i, name) in c.facts.iter().enumerate() {
        if ctx.facts.lookup(name).is_none() && ctx.facts.lookup_table(name).is_none() {
            ctx.report.error(
                entry
                    .page
                    .diagnostic(
                        entry.page.front.line(&format!("circumstance.facts.{i}")),
                        format!("unknown fact `{name}`"),
                    )
                    .help(ctx.facts.unknown_fact_message(name)),
            );
        }
    }
    CircumstanceCtx {
        recommendation: front_markdown(
            ctx,
            entry,
            "circumstance.recommendation",
            &c.recommendation,
        ),
        steps: c
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| front_markdown(ctx, entry, &format!("circumstance.steps.{i}"), s))
            .collect(),
        facts: sources
            .iter()
            .filter(|s| c.facts.contains(&s.name))
            .cloned()
            .collect(),
        articles,
    }
}

/// 1 + the number of questions before this one on the longest path from the start.
fn question_step(ctx: &Ctx<'_>, entry: &Entry<'_>) -> usize {
    let lang = entry.lang.code.as_str();
    let mut depth: HashMap<&str, usize> = HashMap::new();
    let start = ctx
        .entry(crate::content::DECIDE, lang)
        .and_then(|e| e.page.front.extra.get("start"))
        .and_then(|v| v.as_str())
        .and_then(|s| s.strip_prefix("@/"));
    let Some(start) = start else { return 1 };
    let mut queue = vec![(start, 1usize)];
    let mut guard = 0;
    while let Some((key, d)) = queue.pop() {
        guard += 1;
        if guard > 10_000 {
            break;
        }
        if depth.get(key).is_some_and(|&old| old >= d) {
            continue;
        }
        depth.insert(key, d);
        if let Some(q) = ctx
            .entry(key, lang)
            .and_then(|e| e.page.front.question.as_ref())
        {
            for a in &q.answers {
                if let Some(next) = a.next.strip_prefix("@/") {
                    queue.push((next, d + 1));
                }
            }
        }
    }
    depth.get(entry.key).copied().unwrap_or(1)
}

#[cfg(test)]
mod og_tests {
    use super::og_locale;
    use crate::config::{Direction, Language};

    fn language(code: &str, locale: &str) -> Language {
        Language {
            code: code.into(),
            name: code.into(),
            locale: locale.into(),
            direction: Direction::Ltr,
            title: String::new(),
            description: String::new(),
            reviewed: true,
            review_fallback: "en".into(),
            feeds: false,
        }
    }

    #[test]
    fn the_preview_locale_names_the_language_of_the_text() {
        assert_eq!(og_locale(&language("es", "es-MX")), "es_MX");
        // Kreyòl formatted as French in Haiti is still Kreyòl to a messaging app.
        assert_eq!(og_locale(&language("ht", "fr-HT")), "ht_HT");
        assert_eq!(og_locale(&language("pt-br", "pt-br")), "pt_BR");
        assert_eq!(og_locale(&language("fr", "fr")), "fr");
    }
}
