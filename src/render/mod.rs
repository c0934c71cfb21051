//! Rendering: decides every page to produce (translations and fallbacks), renders Markdown and
//! templates, and returns every output file in memory. Nothing here touches the disk.

mod context;
mod copy;
mod feeds;
mod files;
mod flyer;
mod generated;
mod hosts;
mod premin;
mod redirects;
mod taxonomies;
mod templates;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::config::{Config, Language};
use crate::content::{Content, Kind, Page};
use crate::diag::{Diagnostic, Report};
use crate::facts::{Facts, Formatter};
use crate::i18n::Strings;
use crate::markdown::{self, Rendered, glossary};
use crate::theme::Theme;

pub use context::*;
pub use templates::Templates;

/// The whole site, in memory: output path (relative to the output folder) -> bytes.
#[derive(Debug, Default)]
pub struct Site {
    /// Every file to write.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Pages per language code (fallback pages included).
    pub pages: BTreeMap<String, usize>,
    /// The source file of each content page's output file (`es/guia/x/index.html` ->
    /// `content/guide/x.es.md`; a fallback page names its default-language file), so that
    /// `senda check` can say where a problem found in the HTML comes from.
    pub sources: BTreeMap<String, std::path::PathBuf>,
    /// The page whose pictures weigh most on a phone: (URL path, bytes).
    pub heaviest: Option<(String, u64)>,
}

/// Where rendered files go: memory (`serve`, `check`, tests) or a staging folder (`build`,
/// which then needs no memory for pages already written).
pub trait Sink: Sync {
    /// Stores one output file; `path` is relative to the output folder.
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()>;

    /// Starts a large file that is written piece by piece and stored by [`Sink::close`]. By
    /// default the pieces are gathered in memory and stored with [`Sink::put`].
    fn open(&self, path: String) -> Result<Piecewise> {
        Ok(Piecewise::in_memory(path))
    }

    /// Stores a file begun with [`Sink::open`].
    fn close(&self, file: Piecewise) -> Result<()> {
        match file.finish()? {
            (path, Some(bytes)) => self.put(path, bytes),
            (_, None) => Ok(()),
        }
    }
}

/// A file being written piece by piece: from [`Sink::open`] to [`Sink::close`].
#[derive(Debug)]
pub struct Piecewise {
    path: String,
    to: Pieces,
}

#[derive(Debug)]
enum Pieces {
    Memory(Vec<u8>),
    Disk(std::io::BufWriter<std::fs::File>, std::path::PathBuf),
}

impl Piecewise {
    /// A file gathered in memory.
    pub fn in_memory(path: String) -> Piecewise {
        Piecewise {
            path,
            to: Pieces::Memory(Vec::new()),
        }
    }

    /// A file written straight to `file`, which is `real` on disk (for messages).
    pub fn on_disk(path: String, file: std::fs::File, real: std::path::PathBuf) -> Piecewise {
        Piecewise {
            path,
            to: Pieces::Disk(std::io::BufWriter::new(file), real),
        }
    }

    /// Appends `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        match &mut self.to {
            Pieces::Memory(all) => all.extend_from_slice(bytes),
            Pieces::Disk(out, real) => std::io::Write::write_all(out, bytes)
                .with_context(|| format!("cannot write `{}`", real.display()))?,
        }
        Ok(())
    }

    /// Ends the file: its path, and its bytes when it was gathered in memory.
    pub fn finish(self) -> Result<(String, Option<Vec<u8>>)> {
        match self.to {
            Pieces::Memory(all) => Ok((self.path, Some(all))),
            Pieces::Disk(mut out, real) => {
                std::io::Write::flush(&mut out)
                    .with_context(|| format!("cannot write `{}`", real.display()))?;
                Ok((self.path, None))
            }
        }
    }
}

/// Keeps every output file in memory.
#[derive(Debug, Default)]
pub struct Memory(std::sync::Mutex<BTreeMap<String, Vec<u8>>>);

impl Memory {
    /// The files collected.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Sink for Memory {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path, bytes);
        Ok(())
    }
}

/// Passes files on to another sink and remembers their paths (the host files list them).
struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: std::sync::Mutex<BTreeSet<String>>,
}

impl Sink for Recorder<'_> {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.clone());
        self.inner.put(path, bytes)
    }

    fn open(&self, path: String) -> Result<Piecewise> {
        self.paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(path.clone());
        self.inner.open(path)
    }

    fn close(&self, file: Piecewise) -> Result<()> {
        self.inner.close(file)
    }
}

/// What a render produced, besides the files.
#[derive(Debug, Default)]
pub struct Rendering {
    /// Pages per language code (fallback pages included).
    pub pages: BTreeMap<String, usize>,
    /// The source file of each content page's output file.
    pub sources: BTreeMap<String, std::path::PathBuf>,
    /// The page whose pictures weigh most on a phone: (URL path, bytes).
    pub heaviest: Option<(String, u64)>,
}

/// What changes between a build and `serve`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Markup added to every page by `serve` (the live-reload script); empty in a build.
    pub serve_script: String,
    /// Today, for stale facts and reviews.
    pub today: Option<jiff::civil::Date>,
    /// Render only the pages of this key (`guide/x.md`), in every language, and nothing
    /// else: no generated pages, no site-wide checks. `serve` uses it when only the text of
    /// one page changed; everything else still comes from its last full build.
    pub only: Option<String>,
}

/// Sections in the menu of every page, at most. The menu is sent with every page over
/// prepaid data, and a long one is hard to use on a phone; when a site has more top-level
/// sections, the home page lists them all.
pub const MENU_MAX: usize = 7;

/// One page to produce: a file in one language, or its fallback.
#[derive(Debug)]
pub(crate) struct Entry<'a> {
    pub(crate) key: &'a str,
    pub(crate) lang: &'a Language,
    pub(crate) page: &'a Page,
    /// The text is the default language's (no translation yet).
    pub(crate) fallback: bool,
    /// URL path below the base path: `es/guia/x/`, `` for the home page.
    pub(crate) url: String,
    /// Key of the section the page is listed in (`guide/_index.md`); `None` for the home page.
    pub(crate) parent: Option<String>,
}

/// What every stage of the render looks pages up in: the sources, the pages to produce with
/// their addresses, and everything a page's Markdown needs. Built once by [`base`], complete;
/// [`Ctx`] adds what the templates share.
pub(crate) struct Base<'a> {
    pub(crate) config: &'a Config,
    pub(crate) content: &'a Content,
    pub(crate) facts: &'a Facts,
    pub(crate) strings: &'a Strings,
    pub(crate) templates: &'a Templates,
    pub(crate) images: &'a crate::images::Processed,
    pub(crate) report: &'a Report,
    pub(crate) options: &'a RenderOptions,
    pub(crate) formats: BTreeMap<String, Formatter>,
    pub(crate) entries: Vec<Entry<'a>>,
    pub(crate) index: HashMap<(&'a str, &'a str), usize>,
    /// Entries listed in each section, per language: (section key, language) -> indexes.
    pub(crate) children: HashMap<(String, String), Vec<usize>>,
    pub(crate) glossaries: BTreeMap<String, glossary::Matcher>,
    pub(crate) style_url: String,
    /// The style sheet as written, for the copy to pass on.
    pub(crate) style_css: String,
    pub(crate) today: jiff::civil::Date,
    /// Every path of the output that a root-relative link may point to.
    pub(crate) paths: HashSet<String>,
    /// Files copied as they are: (source, output path).
    pub(crate) copies: Vec<(std::path::PathBuf, String)>,
    /// Old addresses of pages.
    pub(crate) aliases: Vec<redirects::Alias>,
    /// Newest `as_of` of every fact and table: how old the site's information is.
    pub(crate) newest_fact: Option<jiff::civil::Date>,
    /// A fact or review older than this is stale (`review_days` before today).
    pub(crate) stale_before: Option<jiff::civil::Date>,
    /// Languages whose one-page guide is written: those whose guide is short enough to be
    /// one page ([`generated::one_page_guides`]).
    pub(crate) one_page: BTreeSet<String>,
}

/// Everything the page renderers share: [`Base`], and the parts of every page's context
/// that are the same for each language. Built once by [`context`], then only read.
pub(crate) struct Ctx<'a> {
    pub(crate) base: Base<'a>,
    /// The menu of each language (top-level sections).
    pub(crate) navs: BTreeMap<String, Vec<Link>>,
    /// The site and language parts of every page's context, per language.
    pub(crate) sites: BTreeMap<String, (SiteCtx, LangCtx)>,
    /// Glossary entries of each language, for the glossary page and the one-page guide.
    pub(crate) glossary_entries: BTreeMap<String, Vec<EntryCtx>>,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = Base<'a>;

    fn deref(&self) -> &Base<'a> {
        &self.base
    }
}

/// What the earlier stages of the pipeline produced: the renderer's input.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The resolved `site.toml`.
    pub config: &'a Config,
    /// Pages and translations.
    pub content: &'a Content,
    /// Facts and tables.
    pub facts: &'a Facts,
    /// Interface strings.
    pub strings: &'a std::sync::Arc<Strings>,
    /// Templates and static files.
    pub theme: &'a Theme,
    /// The theme's templates, compiled.
    pub templates: &'a Templates,
    /// The site's pictures, processed.
    pub images: &'a crate::images::Processed,
}

/// Renders every page and file of the site into `sink`. Each stage returns the next one's
/// input; problems are collected in `report`, and a stage that found an error ends the render.
pub fn render(
    sources: Sources<'_>,
    options: &RenderOptions,
    report: &Report,
    sink: &dyn Sink,
) -> Result<Rendering> {
    let recorder = Recorder {
        inner: sink,
        paths: Default::default(),
    };
    let statics = generated::statics(sources.config, sources.theme, &recorder)?;
    let mut base = base(sources, options, report, statics)?;
    let taxonomies = taxonomies::collect(&base);
    let feeds = feeds::plan(&base, &taxonomies);
    // Links to taxonomy pages and feeds resolve like links to pages.
    let listed = taxonomies::paths(&taxonomies);
    let feed_files = feeds::paths(&base, &feeds);
    base.paths.extend(listed.iter().cloned());
    base.paths.extend(feed_files);
    check_questions(&base);
    report.check()?;
    let ctx = context(base);
    if let Some(only) = &options.only {
        // `serve` re-renders one page's versions; the rest of its last build stands.
        render_only(&ctx, only, &recorder)?;
        report.check()?;
        return Ok(Rendering::default());
    }
    let mut listed: Vec<String> = listed.into_iter().collect();
    listed.sort();
    let (generated, rendered) = rayon::join(
        || {
            generated::pages(&ctx, &listed, &recorder)?;
            taxonomies::pages(&ctx, &taxonomies, &recorder)?;
            feeds::write(&ctx, &feeds, &recorder)
        },
        || pages(&ctx, &recorder),
    );
    generated?;
    let rendered = rendered?;
    check_fragments(&ctx, &rendered);
    warn_unused_terms(&ctx, &rendered);
    warn_stale_facts(&ctx);
    report.check()?;
    for (source, rel) in &ctx.copies {
        recorder.put(rel.clone(), crate::fsx::read(source)?)?;
    }
    let lang = ctx.config.default_language().code.as_str();
    for alias in &ctx.aliases {
        let page = redirects::page(lang, &ctx.path(&alias.to));
        recorder.put(alias.file.clone(), page)?;
    }
    for (path, bytes) in &ctx.images.files {
        recorder.put(path.clone(), bytes.clone())?;
    }
    let written = recorder
        .paths
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    for (path, bytes) in hosts::files(&ctx, &written, &ctx.aliases) {
        recorder.put(path, bytes)?;
    }
    Ok(rendering(&ctx, &rendered))
}

/// The page whose pictures weigh most on a phone, if any page has pictures.
fn heaviest(ctx: &Ctx<'_>, rendered: &[Rendered]) -> Option<(String, u64)> {
    ctx.entries
        .iter()
        .zip(rendered)
        .filter(|(_, body)| body.image_bytes > 0)
        .max_by_key(|(_, body)| body.image_bytes)
        .map(|(entry, body)| (ctx.path(&entry.url), body.image_bytes))
}

/// The pages to produce and everything their Markdown needs, from the sources.
fn base<'a>(
    sources: Sources<'a>,
    options: &'a RenderOptions,
    report: &'a Report,
    statics: generated::Statics,
) -> Result<Base<'a>> {
    let Sources {
        config,
        content,
        facts,
        strings,
        templates,
        theme: _,
        images,
    } = sources;
    let formats = config
        .languages
        .iter()
        .map(|l| Ok((l.code.clone(), Formatter::new(&l.locale)?)))
        .collect::<Result<BTreeMap<_, _>>>()?;
    let (entries, index) = plan(config, content, report);
    report.check()?;
    let copies = files::copies(content, &entries);
    let aliases = redirects::aliases(report, &entries);
    let today = options
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let mut base = Base {
        config,
        content,
        facts,
        strings,
        templates,
        images,
        report,
        options,
        formats,
        index,
        children: children(&entries),
        glossaries: glossaries(config, &entries, report),
        paths: output_paths(
            config,
            strings,
            &entries,
            &statics.paths,
            &copies,
            &aliases,
            images,
        ),
        copies,
        aliases,
        entries,
        style_url: statics.style_url,
        style_css: statics.style_css,
        today,
        newest_fact: facts
            .facts
            .values()
            .map(|f| f.meta.as_of)
            .chain(facts.tables.values().map(|t| t.meta.as_of))
            .max(),
        stale_before: jiff::Span::new()
            .try_days(config.review_days)
            .and_then(|days| today.checked_sub(days))
            .ok(),
        one_page: BTreeSet::new(),
    };
    base.one_page = generated::one_page_guides(&base);
    for language in &config.languages {
        if !base.one_page.contains(&language.code) {
            base.paths.remove(&generated_url(
                config,
                strings,
                &language.code,
                "slug-guide",
            ));
        }
    }
    Ok(base)
}

/// Entries listed in each section, per language: (section key, language) -> indexes.
fn children(entries: &[Entry<'_>]) -> HashMap<(String, String), Vec<usize>> {
    let mut children: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if let Some(parent) = &entry.parent {
            children
                .entry((parent.clone(), entry.lang.code.clone()))
                .or_default()
                .push(i);
        }
    }
    children
}

/// The parts of every page's context that each language shares: menus, site and language
/// contexts, glossary entries.
fn context(base: Base<'_>) -> Ctx<'_> {
    let navs = per_language(base.config, |l| {
        templates::children(&base, "_index.md", &l.code, Kind::Section)
            .into_iter()
            .take(MENU_MAX)
            .map(|i| Link {
                title: i.title,
                url: i.url,
            })
            .collect()
    });
    let sites = per_language(base.config, |l| templates::site_context(&base, l));
    let glossary_entries =
        per_language(base.config, |l| templates::glossary_entries(&base, &l.code));
    Ctx {
        base,
        navs,
        sites,
        glossary_entries,
    }
}

/// `value` of each language of the site, by language code.
fn per_language<T>(config: &Config, value: impl Fn(&Language) -> T) -> BTreeMap<String, T> {
    config
        .languages
        .iter()
        .map(|l| (l.code.clone(), value(l)))
        .collect()
}

/// Renders the pages of `only` (a key), in every language, into `sink`.
fn render_only(ctx: &Ctx<'_>, only: &str, sink: &dyn Sink) -> Result<()> {
    ctx.entries
        .par_iter()
        .filter(|entry| entry.key == only)
        .try_for_each(|entry| {
            let mut body = ctx.markdown(entry, None, None);
            // The home page's link to the copy of the guide needs the copy's size: it stays
            // out until the full build that follows.
            let pass_on = (entry.key == HOME).then(|| pass_on(ctx, &entry.lang.code, None));
            match templates::page(ctx, entry, &mut body, pass_on) {
                Some((path, bytes)) => sink.put(path, bytes),
                None => Ok(()),
            }
        })
}

/// The site's page counts per language, the source file of each page, its heaviest page.
fn rendering(ctx: &Ctx<'_>, rendered: &[Rendered]) -> Rendering {
    let mut pages = BTreeMap::new();
    let mut sources = BTreeMap::new();
    for entry in &ctx.entries {
        *pages.entry(entry.lang.code.clone()).or_default() += 1;
        sources.insert(format!("{}index.html", entry.url), entry.page.file.clone());
    }
    Rendering {
        pages,
        sources,
        heaviest: heaviest(ctx, rendered),
    }
}

/// Pages rendered together; the one-page guides get their chapters a batch at a time.
const PAGE_BATCH: usize = 512;

/// Renders every content page into `sink`, and the one-page guides from them. Returns what
/// the site-wide checks need of each page, in the order of `ctx.entries`.
///
/// Each page goes from Markdown through its template into the sink in one step, so only the
/// pages in flight are in memory. Pages that are chapters of a one-page guide come first, in
/// the guide's order, in batches rendered in parallel; each batch's chapters go to a thread
/// that appends them to the guides' files while the next batch renders.
fn pages(ctx: &Ctx<'_>, sink: &dyn Sink) -> Result<Vec<Rendered>> {
    let guides: Vec<generated::Guide> = ctx
        .config
        .languages
        .iter()
        .filter_map(|l| generated::guide(ctx, &l.code))
        .collect();
    // (entry, (guide, chapter) when the page is one)
    let mut work: Vec<(usize, Option<(usize, usize)>)> = Vec::with_capacity(ctx.entries.len());
    let mut planned = vec![false; ctx.entries.len()];
    for (g, guide) in guides.iter().enumerate() {
        for (c, &(i, _)) in guide.chapters.iter().enumerate() {
            if !std::mem::replace(&mut planned[i], true) {
                work.push((i, Some((g, c))));
            }
        }
    }
    work.extend(
        (0..ctx.entries.len())
            .filter(|&i| !planned[i])
            .map(|i| (i, None)),
    );

    let mut files = Vec::with_capacity(guides.len());
    for guide in &guides {
        let mut file = sink.open(guide.path.clone())?;
        file.write(guide.head())?;
        files.push(file);
    }
    let mut rendered: Vec<Option<Rendered>> = Vec::new();
    rendered.resize_with(ctx.entries.len(), || None);
    // Bytes of each guide's chapters made for its copy to pass on, by every thread, at once:
    // past the copy's limit, the copy will not be written and no more chapters are made (the
    // writer below, a batch or two behind, would make the threads wait for it to know).
    let made: Vec<AtomicUsize> = guides.iter().map(|_| AtomicUsize::new(0)).collect();
    let made = made.as_slice();
    let copies = std::thread::scope(|scope| -> Result<Vec<copy::Gathered>> {
        // A thread of its own writes each batch's chapters while the next batch renders.
        let (send, receive) =
            std::sync::mpsc::sync_channel::<Vec<(usize, String, Option<copy::Chapter>)>>(1);
        let writer = scope.spawn(move || -> Result<(Vec<Piecewise>, Vec<copy::Gathered>)> {
            let mut copies: Vec<copy::Gathered> =
                files.iter().map(|_| Default::default()).collect();
            for chapters in receive {
                for (g, text, chapter) in chapters {
                    files[g].write(text.as_bytes())?;
                    if let Some(chapter) = chapter {
                        copies[g].push(&chapter);
                    }
                }
            }
            Ok((files, copies))
        });
        for batch in work.chunks(PAGE_BATCH) {
            let bodies = batch
                .par_iter()
                .map(|&(i, chapter)| render_one(ctx, sink, &guides, made, i, chapter))
                .collect::<Result<Vec<(Rendered, Option<copy::Chapter>)>>>()?;
            let mut chapters = Vec::new();
            for (&(i, chapter), (mut body, copied)) in batch.iter().zip(bodies) {
                if let (Some((g, _)), Some(text)) = (chapter, body.guide_html.take()) {
                    chapters.push((g, text, copied));
                }
                rendered[i] = Some(body);
            }
            if send.send(chapters).is_err() {
                break; // the writer failed: its error is below
            }
        }
        drop(send);
        let (files, copies) = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the one-page guide's writer stopped"))??;
        for (guide, mut file) in guides.iter().zip(files) {
            file.write(guide.tail())?;
            sink.close(file)?;
        }
        Ok(copies)
    })?;
    let saved: Vec<copy::Saved> = guides
        .iter()
        .zip(copies)
        .filter_map(|(guide, gathered)| copy::page(ctx, guide, gathered))
        .collect();
    home_pages(ctx, sink, &saved, &mut rendered)?;
    for file in saved {
        sink.put(file.path, file.bytes)?;
    }
    Ok(rendered
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect())
}

/// Renders entry `i` into `sink` (the home pages wait for [`home_pages`]) and, when it is a
/// chapter of a guide, its chapter for the guide and, unless that guide's copy is too heavy
/// already, for the copy to pass on.
fn render_one(
    ctx: &Ctx<'_>,
    sink: &dyn Sink,
    guides: &[generated::Guide],
    made: &[AtomicUsize],
    i: usize,
    chapter: Option<(usize, usize)>,
) -> Result<(Rendered, Option<copy::Chapter>)> {
    let entry = &ctx.entries[i];
    // Only a chapter needs its page's address (for relative links).
    let page = chapter.map(|_| ctx.path(&entry.url));
    let links = chapter
        .zip(page.as_deref())
        .map(|((g, c), page)| markdown::GuideLinks {
            anchors: &guides[g].anchors,
            prefix: &guides[g].chapters[c].1,
            page,
        });
    let mut body = ctx.markdown(entry, None, links.as_ref());
    if entry.key != HOME
        && let Some((path, bytes)) = templates::page(ctx, entry, &mut body, None)
    {
        sink.put(path, bytes)?;
    }
    let mut copied = None;
    if let (Some((g, c)), Some(html)) = (chapter, &body.guide_html) {
        let text = guides[g].chapter(ctx, entry, c, html);
        if made[g].load(Ordering::Relaxed) <= copy::MAX_BYTES {
            let chapter = copy::chapter(ctx, &text);
            made[g].fetch_add(chapter.html.len(), Ordering::Relaxed);
            copied = Some(chapter);
        }
        body.guide_html = Some(text);
    }
    Ok((body, copied))
}

/// What a home page in `lang` offers to pass on: the flyer, and `copy` when there is one.
fn pass_on(ctx: &Ctx<'_>, lang: &str, copy: Option<CopyCtx>) -> PassOnCtx {
    PassOnCtx {
        copy,
        flyer_url: ctx.path(&ctx.generated_url(lang, "slug-flyer")),
    }
}

/// The key of the home page.
const HOME: &str = "_index.md";

/// Renders the home pages, which link to their language's copy of the guide with its size.
fn home_pages(
    ctx: &Ctx<'_>,
    sink: &dyn Sink,
    saved: &[copy::Saved],
    rendered: &mut [Option<Rendered>],
) -> Result<()> {
    for (i, entry) in ctx.entries.iter().enumerate() {
        let Some(body) = rendered[i].as_mut().filter(|_| entry.key == HOME) else {
            continue;
        };
        let lang = entry.lang.code.as_str();
        let copy = saved.iter().find(|s| s.lang == lang).map(|s| CopyCtx {
            url: ctx.path(&s.path),
            file: s.path.rsplit('/').next().unwrap_or(&s.path).to_string(),
            size: crate::images::markup::kilobytes(s.bytes.len() as u64),
        });
        let pass_on = Some(pass_on(ctx, lang, copy));
        if let Some((path, bytes)) = templates::page(ctx, entry, body, pass_on) {
            sink.put(path, bytes)?;
        }
    }
    Ok(())
}

/// Every (page, language) to produce, with its URL; two pages at one URL are an error.
fn plan<'a>(
    config: &'a Config,
    content: &'a Content,
    report: &Report,
) -> (Vec<Entry<'a>>, HashMap<(&'a str, &'a str), usize>) {
    let default = &config.default_language().code;
    let mut entries = Vec::new();
    let mut folders = HashMap::new();
    for (key, langs) in &content.by_key {
        for language in &config.languages {
            let (page, fallback) = match langs.get(&language.code) {
                Some(&i) => (&content.pages[i], false),
                None if config.fallback => match langs.get(default) {
                    Some(&i) => (&content.pages[i], true),
                    None => continue,
                },
                None => continue,
            };
            if !page.front.render {
                continue;
            }
            let url = match &page.front.path {
                Some(path) => own_path(config, path, &language.code),
                None => {
                    let mut url =
                        folder_url(config, content, &page.dir, &language.code, &mut folders);
                    if page.kind == Kind::Page {
                        url.push_str(&page.slug);
                        url.push('/');
                    }
                    url
                }
            };
            entries.push(Entry {
                key,
                lang: language,
                page,
                fallback,
                url,
                parent: listed_in(content, page, default),
            });
        }
    }
    let mut seen: HashMap<&str, &Entry<'_>> = HashMap::new();
    for entry in &entries {
        if let Some(other) = seen.insert(&entry.url, entry) {
            report.error(
                Diagnostic::new(
                    &entry.page.file,
                    crate::content::key_line(&entry.page.source, "slug"),
                    format!(
                        "this page and `{}` both want the address /{}",
                        other.page.file.display(),
                        entry.url
                    ),
                )
                .help("give one of them another `slug` in its front matter"),
            );
        }
    }
    let index = entries
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.key, e.lang.code.as_str()), i))
        .collect();
    (entries, index)
}

/// The address a page's `path` names, below its language's prefix (Zola's rule: a path that
/// starts with the prefix already keeps it).
fn own_path(config: &Config, path: &str, lang: &str) -> String {
    let path = path.trim().trim_start_matches('/');
    let prefix = config.lang_prefix(lang);
    let mut url = if path.starts_with(&prefix) || format!("{path}/") == prefix {
        path.to_string()
    } else {
        format!("{prefix}{path}")
    };
    if !url.is_empty() && !url.ends_with('/') && !url.ends_with(".html") {
        url.push('/');
    }
    url
}

/// The section whose list shows `page`: its own, or the nearest above a `transparent` one.
fn listed_in(content: &Content, page: &Page, default: &str) -> Option<String> {
    let mut parent = page.parent_key()?;
    while let Some(section) = content
        .get(&parent, &page.lang)
        .or_else(|| content.get(&parent, default))
        .filter(|s| s.front.transparent)
    {
        match section.parent_key() {
            Some(up) => parent = up,
            None => break,
        }
    }
    Some(parent)
}

/// URL of folder `dir` (`guide/mexico`) in `lang`: the language prefix, then each section's
/// slug in that language (its folder name when it has no `_index.md`). Every page of a folder
/// needs it: `folders` remembers each one.
fn folder_url<'a>(
    config: &Config,
    content: &Content,
    dir: &'a str,
    lang: &'a str,
    folders: &mut HashMap<(&'a str, &'a str), String>,
) -> String {
    if let Some(url) = folders.get(&(dir, lang)) {
        return url.clone();
    }
    let url = if dir.is_empty() {
        config.lang_prefix(lang)
    } else {
        let (parent, part) = dir.rsplit_once('/').unwrap_or(("", dir));
        let mut url = folder_url(config, content, parent, lang, folders);
        let index = format!("{dir}/_index.md");
        let section = content
            .get(&index, lang)
            .or_else(|| content.get(&index, &config.default_language().code));
        match section {
            Some(section) => url.push_str(&section.slug),
            None => url.push_str(&config.slugify.paths.apply(part)),
        }
        url.push('/');
        url
    };
    folders.insert((dir, lang), url.clone());
    url
}

impl<'a> Base<'a> {
    /// Whether root-relative `path` (without the base path) is a file of the output: a page
    /// may be named `en/x/`, `en/x` or `en/x/index.html`.
    pub(crate) fn exists(&self, path: &str) -> bool {
        if self.paths.contains(path) {
            return true;
        }
        let folder = path.strip_suffix("index.html").unwrap_or(path);
        let folder = folder.strip_suffix('/').unwrap_or(folder);
        let (page, copied) = match folder {
            "" => (String::new(), "index.html".to_string()),
            _ => (format!("{folder}/"), format!("{folder}/index.html")),
        };
        // A page, or a folder copied from static/ or content/ with its index.html.
        self.paths.contains(&page) || self.paths.contains(&copied)
    }

    /// The entry of `key` in `lang`.
    pub(crate) fn entry(&self, key: &str, lang: &str) -> Option<&Entry<'a>> {
        self.index.get(&(key, lang)).map(|&i| &self.entries[i])
    }

    /// URL path from the host's root (`/repo/es/guia/`) of `key` in `lang`, falling back to
    /// the default language when the page has no version in `lang`.
    pub(crate) fn url(&self, key: &str, lang: &str) -> Option<String> {
        let entry = self
            .entry(key, lang)
            .or_else(|| self.entry(key, &self.config.default_language().code))?;
        Some(self.path(&entry.url))
    }

    /// `es/guia/` -> `/repo/es/guia/`.
    pub(crate) fn path(&self, url: &str) -> String {
        format!("{}{url}", self.config.base_path)
    }

    /// `es/guia/` -> `https://example.org/repo/es/guia/`.
    pub(crate) fn permalink(&self, url: &str) -> String {
        format!("{}{url}", self.config.base_url)
    }

    /// Interface string.
    pub(crate) fn t(&self, lang: &str, key: &str) -> String {
        self.strings.get(lang, key, &[])
    }

    /// The formatter of `lang`.
    pub(crate) fn format(&self, lang: &str) -> &Formatter {
        &self.formats[lang]
    }

    /// URL path (below the base path) of a generated page (`sources`, `guide`) in `lang`:
    /// its slug comes from the interface strings, so it is translated with them.
    pub(crate) fn generated_url(&self, lang: &str, slug_key: &str) -> String {
        generated_url(self.config, self.strings, lang, slug_key)
    }

    /// [`Base::generated_url`] of a generated page this build writes: not of a one-page guide
    /// too long to be one page.
    pub(crate) fn generated_page(&self, lang: &str, slug_key: &str) -> Option<String> {
        (slug_key != "slug-guide" || self.one_page.contains(lang))
            .then(|| self.generated_url(lang, slug_key))
    }

    /// Renders the body of `entry`, or a snippet `text` of it (a front-matter value, a
    /// summary) found at a place of its file, in its language; `guide`: write the body as a
    /// chapter of the one-page guide too.
    pub(crate) fn markdown(
        &self,
        entry: &Entry<'_>,
        text: Option<(&str, markdown::At)>,
        guide: Option<&markdown::GuideLinks<'_>>,
    ) -> Rendered {
        let lang = entry.lang.code.as_str();
        // `@/blog/post.es.md` names that translation, whatever the page's language.
        let resolve = |key: &str| match key
            .strip_suffix(".md")
            .and_then(|stem| stem.rsplit_once('.'))
            .filter(|(_, code)| self.config.language(code).is_some())
        {
            Some((stem, code)) => self.url(&format!("{stem}.md"), code),
            None => self.url(key, lang),
        };
        let exists = |path: &str| self.exists(path);
        let this_entry = crate::content::glossary_id(entry.key);
        let show = |key: &'static str| {
            move |bytes: u64| {
                let size = crate::images::markup::kilobytes(bytes);
                self.strings.get(lang, key, &[("size", size.into())])
            }
        };
        let (show_picture, show_animation) = (show("image-show"), show("animation-show"));
        let default = &self.config.default_language().code;
        let images = crate::images::markup::PageImages {
            catalogue: &self.images.catalogue,
            settings: &self.config.images,
            base_path: &self.config.base_path,
            show_picture: &show_picture,
            show_animation: &show_animation,
            source: (!entry.fallback && lang != default)
                .then(|| self.content.get(entry.key, default))
                .flatten(),
            exists: &exists,
            checks: self.config.checks,
        };
        let env = markdown::Env {
            lang,
            resolve: &resolve,
            exists: &exists,
            base_path: &self.config.base_path,
            url: &entry.url,
            facts: self.facts,
            format: self.format(lang),
            // Front-matter snippets become link texts and list items: no glossary links
            // there, or an answer (itself a link) would hold a link.
            glossary: if entry.fallback || text.is_some() {
                None
            } else {
                self.glossaries.get(lang)
            },
            this_entry,
            report: self.report,
            guide,
            compact: self.config.minify,
            shortcodes: Some(&self.templates.shortcodes),
            strings: Some(self.strings),
            anchors: self.config.slugify.anchors,
            images: Some(&images),
            checks: self.config.checks,
        };
        match text {
            None => markdown::render(entry.page, &env),
            Some((text, at)) => markdown::render_inline(entry.page, text, at, &env),
        }
    }
}

/// URL path (below the base path) of a generated page (`sources`, `guide`) in `lang`.
fn generated_url(config: &Config, strings: &Strings, lang: &str, slug_key: &str) -> String {
    format!(
        "{}{}/",
        config.lang_prefix(lang),
        strings.get(lang, slug_key, &[])
    )
}

/// The glossary terms of each language, from the real (translated) entries.
fn glossaries(
    config: &Config,
    entries: &[Entry<'_>],
    report: &Report,
) -> BTreeMap<String, glossary::Matcher> {
    let mut out = BTreeMap::new();
    for language in &config.languages {
        let mut claimed: HashMap<String, &str> = HashMap::new();
        let mut terms = Vec::new();
        for (entry, id) in entries.iter().filter_map(|e| {
            let id = crate::content::glossary_id(e.key)?;
            (e.lang.code == language.code && !e.fallback && e.page.kind == Kind::Page)
                .then_some((e, id))
        }) {
            let mut phrases = Vec::new();
            let front = &entry.page.front;
            let aliases = front.term_aliases.iter().enumerate();
            for (path, phrase) in std::iter::once(("title".to_string(), &front.title))
                .chain(aliases.map(|(i, alias)| (format!("term_aliases.{i}"), alias)))
            {
                let folded = phrase.to_lowercase();
                if folded.trim().is_empty() {
                    continue;
                }
                match claimed.get(&folded) {
                    Some(other) if *other != entry.page.file.to_str().unwrap_or_default() => {
                        report.warn(
                            entry.page.diagnostic(front.line(&path), format!(
                                "the glossary term `{phrase}` is also a name of `{other}`; it links to that entry only"
                            ))
                            .help("remove it from one of the two entries' title or aliases"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        claimed.insert(folded, entry.page.file.to_str().unwrap_or_default());
                        phrases.push(phrase.clone());
                    }
                }
            }
            terms.push(glossary::Term {
                id: id.to_string(),
                url: format!("{}{}", config.base_path, entry.url),
                title: entry.page.front.description.clone(),
                phrases,
            });
        }
        match glossary::Matcher::new(terms) {
            Ok(matcher) => {
                out.insert(language.code.clone(), matcher);
            }
            Err(message) => report.error(Diagnostic::new(
                std::path::Path::new("content/glossary"),
                0,
                message,
            )),
        }
    }
    out
}

/// Paths a root-relative link may name: every page and every file, and old addresses.
fn output_paths(
    config: &Config,
    strings: &Strings,
    entries: &[Entry<'_>],
    static_paths: &[String],
    copies: &[(std::path::PathBuf, String)],
    aliases: &[redirects::Alias],
    images: &crate::images::Processed,
) -> HashSet<String> {
    let mut paths = HashSet::new();
    // Pages by their folder (`en/guide/x/`): see [`Base::exists`] for the other spellings.
    for entry in entries {
        paths.insert(entry.url.clone());
    }
    for language in &config.languages {
        for key in crate::i18n::SLUG_KEYS {
            paths.insert(generated_url(config, strings, &language.code, key));
        }
        paths.insert(copy::path(config, strings, &language.code));
    }
    paths.extend(static_paths.iter().cloned());
    paths.extend(copies.iter().map(|(_, rel)| rel.clone()));
    paths.extend(aliases.iter().map(|a| a.from.clone()));
    paths.extend(aliases.iter().map(|a| a.file.clone()));
    paths.extend(images.files.keys().cloned());
    paths
}

/// Questions: every answer leads to a question or a circumstance page; no cycles.
fn check_questions(ctx: &Base<'_>) {
    for entry in ctx.entries.iter().filter(|e| !e.fallback) {
        let Some(question) = &entry.page.front.question else {
            continue;
        };
        let line = crate::content::key_line(&entry.page.source, "answers");
        if question.answers.is_empty() {
            ctx.report.error(
                entry
                    .page
                    .diagnostic(
                        line,
                        "this question has no answers: readers would be stuck here",
                    )
                    .help("add answers = [ { label = \"…\", next = \"@/…\" } ]"),
            );
        }
        for (i, answer) in question.answers.iter().enumerate() {
            let line = entry.page.front.line(&format!("question.answers.{i}.next"));
            let Some(next) = answer.next.strip_prefix("@/") else {
                ctx.report.error(entry.page.diagnostic(line, format!("the answer `{}` leads to `{}`, which is not an @/ link", answer.label, answer.next))
                    .help("write next = \"@/decide/other-question.md\" or \"@/situations/families.md\""));
                continue;
            };
            match ctx
                .entry(next, &entry.lang.code)
                .or_else(|| ctx.entry(next, &ctx.config.default_language().code))
            {
                None => ctx.report.error(
                    entry
                        .page
                        .diagnostic(
                            line,
                            format!(
                                "the answer `{}` leads to `@/{next}`: there is no such page",
                                answer.label
                            ),
                        )
                        .help("an @/ link names a file under content/, with .md"),
                ),
                Some(target)
                    if target.page.front.question.is_none()
                        && target.page.front.circumstance.is_none() =>
                {
                    ctx.report.error(entry.page.diagnostic(line, format!("the answer `{}` leads to `@/{next}`, which is neither a question nor a circumstance page", answer.label))
                        .help("every path through the questions must end on a circumstance page (one with a [circumstance] table)"));
                }
                Some(_) => {}
            }
        }
    }
    // Cycles, per language: depth-first search over question -> question edges.
    for language in &ctx.config.languages {
        let lang = language.code.as_str();
        let mut state: HashMap<&str, u8> = HashMap::new(); // 1 = on the path, 2 = done
        for entry in ctx
            .entries
            .iter()
            .filter(|e| e.lang.code == lang && e.page.front.question.is_some())
        {
            let mut path = Vec::new();
            if let Some(cycle) = find_cycle(ctx, lang, entry.key, &mut state, &mut path) {
                let first = ctx.entry(cycle[0], lang).map_or(&entry.page, |e| &e.page);
                ctx.report.error(first.diagnostic(crate::content::key_line(&first.source, "answers"), format!(
                    "the questions go round in a circle: {}",
                    cycle.join(" -> ")
                ))
                .help("change one answer's `next` so that the path ends on a circumstance page"));
                return;
            }
        }
    }
}

fn find_cycle<'a>(
    ctx: &Base<'a>,
    lang: &str,
    key: &'a str,
    state: &mut HashMap<&'a str, u8>,
    path: &mut Vec<&'a str>,
) -> Option<Vec<&'a str>> {
    match state.get(key) {
        Some(2) => return None,
        Some(_) => {
            let start = path.iter().position(|k| *k == key).unwrap_or(0);
            let mut cycle = path[start..].to_vec();
            cycle.push(key);
            return Some(cycle);
        }
        None => {}
    }
    state.insert(key, 1);
    path.push(key);
    let entry = ctx.entry(key, lang)?;
    if let Some(question) = &entry.page.front.question {
        for answer in &question.answers {
            let Some(next) = answer.next.strip_prefix("@/") else {
                continue;
            };
            let Some(target) = ctx.entry(next, lang) else {
                continue;
            };
            if target.page.front.question.is_some()
                && let Some(cycle) = find_cycle(ctx, lang, target.key, state, path)
            {
                return Some(cycle);
            }
        }
    }
    path.pop();
    state.insert(key, 2);
    None
}

/// `@/page.md#anchor` links: the anchor must exist on the target page.
fn check_fragments(ctx: &Ctx<'_>, rendered: &[Rendered]) {
    let mut ids: HashMap<String, HashSet<&str>> = HashMap::new();
    for (entry, body) in ctx.entries.iter().zip(rendered) {
        let set = ids.entry(ctx.path(&entry.url)).or_default();
        set.extend(body.headings.iter().map(|h| h.id.as_str()));
        set.extend(generated::TEMPLATE_IDS);
        if entry.key == crate::content::GLOSSARY {
            set.extend(ctx.entries.iter().filter_map(|e| {
                let id = crate::content::glossary_id(e.key)?;
                (e.lang.code == entry.lang.code && e.page.kind == Kind::Page).then_some(id)
            }));
        }
    }
    for (entry, body) in ctx.entries.iter().zip(rendered) {
        for (url, fragment, line) in &body.fragment_links {
            if !ids
                .get(url)
                .is_some_and(|set| set.contains(fragment.as_str()))
            {
                ctx.config.checks.links.report(ctx.report, entry.page.diagnostic(*line, format!("the anchor `#{fragment}` does not exist on {url}"))
                    .help("link to a heading's id: the heading text in lowercase with hyphens (## Who can apply? -> #who-can-apply)"));
            }
        }
    }
}

fn warn_unused_terms(ctx: &Ctx<'_>, rendered: &[Rendered]) {
    let mut used: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (entry, body) in ctx.entries.iter().zip(rendered) {
        used.entry(&entry.lang.code)
            .or_default()
            .extend(body.terms.iter().map(String::as_str));
    }
    for (entry, id) in ctx.entries.iter().filter_map(|e| {
        let id = crate::content::glossary_id(e.key)?;
        (!e.fallback && e.page.kind == Kind::Page).then_some((e, id))
    }) {
        if !used
            .get(entry.lang.code.as_str())
            .is_some_and(|s| s.contains(id))
        {
            ctx.report.warn(
                Diagnostic::new(
                    &entry.page.file,
                    0,
                    format!(
                        "no page mentions the glossary term `{}`",
                        entry.page.front.title
                    ),
                )
                .help("use the term (or one of its aliases) in a page, or remove the entry"),
            );
        }
    }
}

fn warn_stale_facts(ctx: &Ctx<'_>) {
    for (name, meta) in crate::facts::stale(ctx.facts, ctx.today, ctx.config.review_days) {
        ctx.report.warn(Diagnostic::new(&meta.file, meta.line, format!(
            "the fact `{name}` is from {} and has not been checked for more than {} days",
            meta.as_of, ctx.config.review_days
        ))
        .help("check the value against its source and update `as_of` (review_days in site.toml sets the window)"));
    }
}
