//! Typed template contexts: everything a template can use, documented field by field.
//! `docs/themes.md` lists them for theme authors.

use serde::Serialize;

/// The context of every template.
#[derive(Debug, Serialize)]
pub struct PageContext {
    /// The site, in the page's language.
    pub site: SiteCtx,
    /// The page's language.
    pub lang: LangCtx,
    /// The page itself.
    pub page: PageCtx,
    /// Every language's version of this page, for the language switcher (the current one
    /// included, marked `current`). Untranslated pages lead to their fallback.
    pub translations: Vec<Alternate>,
    /// `hreflang` alternates: only real translations, the current page included.
    pub alternates: Vec<Alternate>,
    /// `x-default` alternate: the default language's page, or the root chooser for home pages.
    pub x_default: Option<String>,
    /// Top-level sections, for the menu.
    pub nav: Vec<Link>,
    /// From the home page down to the page's section.
    pub breadcrumbs: Vec<Link>,
    /// Script only `senda serve` adds (live reload); empty in a build.
    pub serve_script: String,
}

/// The site, in one language.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    /// Title in this language.
    pub title: String,
    /// Description in this language.
    pub description: String,
    /// Public URL of the site, ending in `/`.
    pub base_url: String,
    /// Path of the site on its host, `/` or `/repo/`.
    pub base_path: String,
    /// URL of the home page in this language.
    pub home_url: String,
    /// URL of the style sheet (fingerprinted).
    pub style_url: String,
    /// URL of the list of sources in this language.
    pub sources_url: String,
    /// URL of the whole guide on one page in this language.
    pub guide_url: String,
    /// URL of the glossary in this language, if there is one.
    pub glossary_url: Option<String>,
    /// URL of the first decision question in this language, if there is one.
    pub decide_url: Option<String>,
    /// Newest `as_of` of every fact, formatted: how old the site's information is.
    pub facts_date: Option<String>,
    /// Full URL of the link-preview image (the theme's `static/preview.png`), if the theme
    /// has one: messaging apps show it with a forwarded link.
    pub preview_image: Option<String>,
    /// URL of the feed of this language's pages, if the site writes one.
    pub feed_url: Option<String>,
    /// Media type of the feeds (`application/atom+xml`, `application/rss+xml`).
    pub feed_type: String,
}

/// A language.
#[derive(Debug, Clone, Serialize)]
pub struct LangCtx {
    /// `es`.
    pub code: String,
    /// `Español`.
    pub name: String,
    /// `es-MX`.
    pub locale: String,
    /// The locale as Open Graph spells it: `es_MX`.
    pub og_locale: String,
    /// `og_locale` of every other language of the site, for `og:locale:alternate`.
    pub og_alternates: Vec<String>,
    /// `ltr` or `rtl`.
    pub dir: String,
}

/// A link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// URL (a path from the host's root: `/es/guia/`).
    pub url: String,
}

/// The same page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// Language code (`hreflang`).
    pub code: String,
    /// Language name in that language.
    pub name: String,
    /// URL: a path for the switcher, a full URL for `hreflang`.
    pub url: String,
    /// Whether this is the page being rendered.
    pub current: bool,
}

/// The page being rendered.
#[derive(Debug, Default, Serialize)]
pub struct PageCtx {
    /// `home`, `section`, `page`, `glossary`, `circumstance`, `question`, `sources`, `guide`,
    /// `not-found`, `chooser`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// The body, rendered to HTML.
    pub content: String,
    /// URL path (`/es/guia/x/`).
    pub url: String,
    /// Full URL (canonical).
    pub permalink: String,
    /// When the page was last reviewed, formatted (front matter `reviewed`, else the newest
    /// `as_of` of the facts it shows, else of the site's facts).
    pub reviewed: Option<String>,
    /// Whether `reviewed` is older than the review window.
    pub stale: bool,
    /// The text is the default language's: this page is not translated yet.
    pub fallback: bool,
    /// The translation was made from an older version of its source.
    pub outdated: bool,
    /// A translation no fluent speaker has checked yet: the same page in the language its
    /// readers may read instead (`review_fallback`).
    pub unreviewed: Option<Alternate>,
    /// Language code of the text (differs from the page's language on fallback pages).
    pub content_lang: String,
    /// Show the quick-exit link.
    pub quick_exit: bool,
    /// Draft (only `serve` shows drafts).
    pub draft: bool,
    /// Headings of the body.
    pub headings: Vec<crate::markdown::Heading>,
    /// Facts and tables the page shows, with their sources.
    pub sources: Vec<SourceCtx>,
    /// Pages of a section, in order.
    pub pages: Vec<ListItem>,
    /// Subsections of a section, in order.
    pub subsections: Vec<ListItem>,
    /// Circumstance data, on circumstance pages.
    pub circumstance: Option<CircumstanceCtx>,
    /// Question data, on question pages.
    pub question: Option<QuestionCtx>,
    /// Glossary entries, on the glossary page and in the one-page guide.
    pub entries: Vec<EntryCtx>,
    /// Chapters of the one-page guide.
    pub chapters: Vec<ChapterCtx>,
    /// Every circumstance page of the language (home page and circumstance section).
    pub circumstances: Vec<ListItem>,
    /// Every language of the site, on the root language chooser.
    pub languages: Vec<LanguageChoice>,
    /// Front matter `[extra]`.
    pub extra: serde_json::Value,
    /// On the home page: the copy of the whole guide to save, and the flyer to print.
    pub pass_on: Option<PassOnCtx>,
    /// On the flyer: what it prints.
    pub flyer: Option<FlyerCtx>,
    /// In the copy to pass on: the site's style sheet, to print in its `<style>`.
    pub style: String,
    /// In the copy to pass on: its `Content-Security-Policy`, for a `<meta http-equiv>`.
    pub csp: String,
    /// Publication date (front matter `date`), formatted.
    pub date: Option<String>,
    /// The same date as `YYYY-MM-DD`, for `<time datetime>`.
    pub datetime: Option<String>,
    /// The terms the page names, by taxonomy (`[taxonomies]` in its front matter).
    pub taxonomies: Vec<TermsCtx>,
    /// Terms of a taxonomy, on its list page (`taxonomy`).
    pub terms: Vec<TermCtx>,
    /// URL of the feed of this page's list: a section's, a term's.
    pub feed_url: Option<String>,
}

/// The home page's links to the whole guide as one file and to the flyer.
#[derive(Debug, Clone, Serialize)]
pub struct PassOnCtx {
    /// The self-contained copy of the whole guide; none when it would be too heavy.
    pub copy: Option<CopyCtx>,
    /// URL of the printable flyer.
    pub flyer_url: String,
}

/// The self-contained copy of the whole guide in one language.
#[derive(Debug, Clone, Serialize)]
pub struct CopyCtx {
    /// Its URL.
    pub url: String,
    /// Its file name, for the `download` attribute.
    pub file: String,
    /// Its size, formatted (`48 KB`).
    pub size: String,
}

/// The flyer of one language.
#[derive(Debug, Clone, Serialize)]
pub struct FlyerCtx {
    /// Up to three lines on what the guide covers (the home page's `extra.flyer`, else the
    /// language's description).
    pub lines: Vec<String>,
    /// The home page's address, as printed (`example.org/es/`).
    pub address: String,
    /// Its full URL, which the QR code holds.
    pub url: String,
    /// The QR code, an inline `<svg>` with its text alternative.
    pub qr: String,
}

/// The terms a page names in one taxonomy.
#[derive(Debug, Clone, Serialize)]
pub struct TermsCtx {
    /// The taxonomy's name, as a title (`Tags`).
    pub name: String,
    /// URL of the taxonomy's list page.
    pub url: String,
    /// Each term, linked to its page.
    pub terms: Vec<Link>,
}

/// A term on its taxonomy's list page.
#[derive(Debug, Clone, Serialize)]
pub struct TermCtx {
    /// The term, as written.
    pub name: String,
    /// URL of its page.
    pub url: String,
    /// How many pages name it.
    pub count: usize,
}

/// One language on the root chooser, described in that language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageChoice {
    /// `es`.
    pub code: String,
    /// `Español`.
    pub name: String,
    /// The site's title in that language.
    pub title: String,
    /// The site's description in that language.
    pub description: String,
    /// URL of that language's home page.
    pub url: String,
}

/// A page in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ListItem {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// URL.
    pub url: String,
    /// HTML of the text before `<!-- more -->`, for pages that mark one (Zola's summary).
    pub summary: String,
    /// Publication date, formatted.
    pub date: Option<String>,
    /// The same date as `YYYY-MM-DD`.
    pub datetime: Option<String>,
}

/// A fact or table and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct SourceCtx {
    /// Name (`mexico.claims_2023`), usable as an anchor.
    pub name: String,
    /// What the value is, in this language.
    pub label: String,
    /// The value, formatted (empty for tables).
    pub value: String,
    /// Note on the value.
    pub note: String,
    /// Date the source gave it, formatted.
    pub as_of: String,
    /// Whether `as_of` is older than the review window.
    pub stale: bool,
    /// Who says so.
    pub source: String,
    /// Where to check.
    pub source_url: String,
}

/// A circumstance page's data.
#[derive(Debug, Clone, Serialize)]
pub struct CircumstanceCtx {
    /// The recommendation (HTML).
    pub recommendation: String,
    /// Steps, in order (HTML each).
    pub steps: Vec<String>,
    /// Facts that matter here.
    pub facts: Vec<SourceCtx>,
    /// Articles to read: the ones listed, then the ones that tag this circumstance.
    pub articles: Vec<ListItem>,
}

/// A question page's data.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionCtx {
    /// Answers, each a link to the next page.
    pub answers: Vec<Link>,
    /// Position of this question in the longest path from the first one (1-based).
    pub step: usize,
}

/// A glossary entry.
#[derive(Debug, Clone, Serialize)]
pub struct EntryCtx {
    /// Anchor id.
    pub id: String,
    /// The term.
    pub title: String,
    /// Short definition.
    pub description: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// The entry page's body (HTML).
    pub content: String,
    /// The entry page's URL.
    pub url: String,
}

/// A chapter (one page) of the one-page guide.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterCtx {
    /// Anchor id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Depth in the guide: 2 for the home page and sections, 3 for their pages (for an
    /// indented table of contents). The chapters themselves are in `page.content`.
    pub level: u8,
}
