//! senda: a static site generator for multilingual, low-bandwidth guides.
//!
//! The pipeline reads top to bottom in [`build`]: each stage returns the next one's input.

pub mod cli;
pub mod config;
pub(crate) mod content;
pub mod diag;
pub mod facts;
pub(crate) mod fsx;
pub(crate) mod github;
pub(crate) mod html;
pub(crate) mod i18n;
pub(crate) mod images;
pub mod import;
pub mod init;
mod links;
pub(crate) mod markdown;
pub(crate) mod output;
pub mod render;
pub mod serve;
pub(crate) mod theme;
pub mod translate;

use std::sync::Arc;

use anyhow::Result;

use crate::config::Config;
use crate::diag::Report;
use crate::render::{RenderOptions, Site};

/// What changes between `build`, `check` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts (serve does, build does not).
    pub drafts: bool,
    /// Passed to the renderer.
    pub render: RenderOptions,
}

/// Builds the whole site in memory. Each stage's output is the next stage's input. Problems
/// are collected in `report`; any error fails the build after the stage that found it.
pub fn build(config: &Config, options: &BuildOptions, report: &Report) -> Result<Site> {
    let files = render::Memory::default();
    let rendering = build_into(config, options, report, &files)?;
    Ok(Site {
        files: files.into_files(),
        pages: rendering.pages,
        sources: rendering.sources,
        heaviest: rendering.heaviest,
    })
}

/// Builds the site into `out`: pages are written as they are rendered into a fresh folder that
/// replaces `out` only when the whole build succeeded. Returns the site's page counts and the
/// number of files written.
pub fn build_to(
    config: &Config,
    options: &BuildOptions,
    report: &Report,
    out: &std::path::Path,
) -> Result<(Site, usize)> {
    let loaded = load(config, options, report)?;
    for warning in content::untranslated(config, &loaded.content) {
        report.warn(warning);
    }
    let staging = output::Staging::new(out)?;
    let rendering = render::render(loaded.sources(), &options.render, report, &staging)?;
    let written = staging.commit()?;
    let site = Site {
        files: Default::default(),
        pages: rendering.pages,
        sources: rendering.sources,
        heaviest: rendering.heaviest,
    };
    Ok((site, written))
}

fn build_into(
    config: &Config,
    options: &BuildOptions,
    report: &Report,
    sink: &dyn render::Sink,
) -> Result<render::Rendering> {
    let loaded = load(config, options, report)?;
    render::render(loaded.sources(), &options.render, report, sink)
}

/// Every source of a site, read and parsed: the input of the render stage. `serve` keeps the
/// last good one, so that an edit to one page's text re-renders that page alone.
#[derive(Debug)]
pub struct Loaded {
    /// The resolved `site.toml`.
    pub config: Config,
    /// Pages and translations.
    pub content: content::Content,
    /// Facts and tables.
    pub facts: facts::Facts,
    /// Templates and static files.
    pub theme: theme::Theme,
    /// Interface strings.
    pub strings: Arc<i18n::Strings>,
    /// The theme's templates, compiled with the strings.
    pub templates: render::Templates,
    /// The site's pictures, processed.
    pub images: images::Processed,
}

impl Loaded {
    /// The render stage's view of these sources.
    pub fn sources(&self) -> render::Sources<'_> {
        render::Sources {
            config: &self.config,
            content: &self.content,
            facts: &self.facts,
            strings: &self.strings,
            theme: &self.theme,
            templates: &self.templates,
            images: &self.images,
        }
    }
}

/// Reads and parses every source: content, facts, theme, interface strings; compiles the
/// templates.
pub fn load(config: &Config, options: &BuildOptions, report: &Report) -> Result<Loaded> {
    let mut content = content::load(
        config,
        content::LoadOptions {
            drafts: options.drafts,
        },
        report,
    )?;
    // Pictures are processed, never copied as they are: a photo's metadata may hold where
    // it was taken. Those of `static/` come first, so that a page's own picture wins.
    let (statics, other_statics) = images::sources(&config.root, &content.statics);
    let (pictures, others) = images::sources(&config.root, &content.assets);
    content.statics = other_statics;
    content.assets = others;
    let cache = images::cache_dir(&config.root);
    let all: Vec<images::Source> = statics.iter().chain(&pictures).cloned().collect();
    let mut images = images::process(&all, &config.images, Some(&cache), report);
    let originals = images::originals(&statics, &images, report);
    images.files.extend(originals);
    let languages: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let facts = facts::load(&content.fact_files, &languages, report);
    report.check()?;
    let theme = theme::load(config)?;
    let strings = Arc::new(i18n::load(config, &theme.strings, report)?);
    let templates = render::Templates::load(&theme, &strings, config, &images, report)?;
    report.check()?;
    Ok(Loaded {
        config: config.clone(),
        content,
        facts,
        theme,
        strings,
        templates,
        images,
    })
}

/// The closing line of a build: pages per language, files written, time, warnings.
pub fn summary(
    site: &Site,
    written: usize,
    out: &std::path::Path,
    took: std::time::Duration,
    warnings: usize,
) -> String {
    let pages: Vec<String> = site
        .pages
        .iter()
        .map(|(lang, n)| format!("{lang} {n}"))
        .collect();
    let heaviest = site
        .heaviest
        .as_ref()
        .map_or(String::new(), |(url, bytes)| {
            format!(
                "; heaviest page {url}: {} of pictures",
                images::markup::kilobytes(*bytes)
            )
        });
    format!(
        "Built {} pages ({}), {written} files in {}, {:.2} s{}{heaviest}",
        site.pages.values().sum::<usize>(),
        pages.join(", "),
        out.display(),
        took.as_secs_f64(),
        match warnings {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        }
    )
}
