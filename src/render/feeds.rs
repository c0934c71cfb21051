//! Feeds, as Zola makes them: an Atom (`atom.xml`) or RSS (`rss.xml`) file of the dated pages,
//! newest first, per language that asks (`feeds`), per section whose `_index.md` says
//! `generate_feeds = true`, and per term of a taxonomy declared with `feed = true`. Links are
//! absolute (from `base_url`); each page is its title, dates, address and summary, so that a
//! feed stays small for readers who pay for their data. Written by hand: every value is
//! escaped with [`xml`].

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use anyhow::Result;

use super::taxonomies::Taxonomy;
use super::templates::list_item;
use super::{Base, Ctx, Entry, Sink};
use crate::content::Kind;

/// One feed to write, in every format of `feed_filenames`.
#[derive(Debug)]
pub(crate) struct Feed {
    /// Its folder below the base path: `` (the site), `es/`, `blog/`, `tags/a/`.
    pub(crate) dir: String,
    /// The language of its pages.
    pub(crate) lang: String,
    /// What the feed follows, after the site's title (a section's or a term's name).
    pub(crate) of: Option<String>,
    /// The page the feed belongs to, below the base path.
    pub(crate) page: String,
    /// Its pages (indexes of the entries), dated, newest first.
    pub(crate) entries: Vec<usize>,
}

/// The feeds the site asks for: per language, per section, per term.
pub(crate) fn plan(base: &Base<'_>, taxonomies: &[Taxonomy<'_>]) -> Vec<Feed> {
    let config = base.config;
    if config.feed_filenames.is_empty() {
        return Vec::new();
    }
    let dated = |i: &usize| {
        let e = &base.entries[*i];
        !e.fallback && e.page.kind == Kind::Page && timestamp(e).is_some()
    };
    let mut feeds = Vec::new();
    for language in config.languages.iter().filter(|l| l.feeds) {
        let dir = config.lang_prefix(&language.code);
        let entries = (0..base.entries.len())
            .filter(|&i| base.entries[i].lang.code == language.code)
            .filter(dated)
            .collect();
        feeds.push(feed(base, dir.clone(), &language.code, None, dir, entries));
    }
    for entry in base
        .entries
        .iter()
        .filter(|e| !e.fallback && e.page.kind == Kind::Section && e.page.front.generate_feeds)
    {
        let lang = entry.lang.code.as_str();
        let entries = base
            .children
            .get(&(entry.key.to_string(), lang.to_string()))
            .map(|c| c.iter().copied().filter(dated).collect())
            .unwrap_or_default();
        let of = Some(entry.page.front.title.clone()).filter(|t| !t.is_empty());
        feeds.push(feed(
            base,
            entry.url.clone(),
            lang,
            of,
            entry.url.clone(),
            entries,
        ));
    }
    for t in taxonomies
        .iter()
        .filter(|t| t.declared.feed && t.declared.render)
    {
        for term in &t.terms {
            let entries = term.entries.iter().copied().filter(dated).collect();
            let of = Some(term.name.clone());
            feeds.push(feed(
                base,
                term.url.clone(),
                &t.lang,
                of,
                term.url.clone(),
                entries,
            ));
        }
    }
    // The home page's `generate_feeds` asks for the language's feed again: one is enough.
    let mut seen = HashSet::new();
    feeds.retain(|f| seen.insert(f.dir.clone()));
    feeds
}

fn feed(
    base: &Base<'_>,
    dir: String,
    lang: &str,
    of: Option<String>,
    page: String,
    mut entries: Vec<usize>,
) -> Feed {
    entries.sort_by(|&a, &b| {
        timestamp(&base.entries[b])
            .cmp(&timestamp(&base.entries[a]))
            .then_with(|| base.entries[a].url.cmp(&base.entries[b].url))
    });
    Feed {
        dir,
        lang: lang.to_string(),
        of,
        page,
        entries,
    }
}

/// Every file the feeds take, below the base path.
pub(crate) fn paths(base: &Base<'_>, feeds: &[Feed]) -> HashSet<String> {
    feeds
        .iter()
        .flat_map(|f| {
            base.config
                .feed_filenames
                .iter()
                .map(move |name| format!("{}{name}", f.dir))
        })
        .collect()
}

/// The address (from the host's root) of the first format of the feed in folder `dir`.
pub(crate) fn first_url(base: &Base<'_>, dir: &str) -> Option<String> {
    let name = base.config.feed_filenames.first()?;
    Some(base.path(&format!("{dir}{name}")))
}

/// The media type of the first format, for `<link rel="alternate" type="…">`.
pub(crate) fn media_type(config: &crate::config::Config) -> &'static str {
    match config.feed_filenames.first().map(String::as_str) {
        Some("rss.xml") => "application/rss+xml",
        _ => "application/atom+xml",
    }
}

/// Writes every feed, in every format, into `sink`.
pub(crate) fn write(ctx: &Ctx<'_>, feeds: &[Feed], sink: &dyn Sink) -> Result<()> {
    // A page is in several feeds (its language's, its section's, its terms'): made once.
    let mut made: HashMap<usize, Item> = HashMap::new();
    for feed in feeds {
        for &i in &feed.entries {
            made.entry(i)
                .or_insert_with(|| Item::new(ctx, &ctx.entries[i]));
        }
        let items: Vec<&Item> = feed.entries.iter().map(|i| &made[i]).collect();
        for name in &ctx.config.feed_filenames {
            let url = ctx.permalink(&format!("{}{name}", feed.dir));
            let text = if name == "rss.xml" {
                rss(ctx, feed, &url, &items)
            } else {
                atom(ctx, feed, &url, &items)
            };
            sink.put(format!("{}{name}", feed.dir), text.into_bytes())?;
        }
    }
    Ok(())
}

/// One page of a feed.
struct Item {
    title: String,
    link: String,
    published: jiff::Timestamp,
    updated: jiff::Timestamp,
    /// HTML: the text before `<!-- more -->`, else the description.
    summary: String,
}

impl Item {
    fn new(ctx: &Ctx<'_>, entry: &Entry<'_>) -> Item {
        let front = &entry.page.front;
        let published = timestamp(entry).unwrap_or_default();
        let listed = list_item(ctx, entry);
        Item {
            title: front.title.clone(),
            link: ctx.permalink(&entry.url),
            published,
            updated: front
                .updated
                .as_ref()
                .and_then(parse)
                .unwrap_or(published)
                .max(published),
            summary: if listed.summary.is_empty() {
                crate::html::escape(&front.description)
            } else {
                listed.summary
            },
        }
    }
}

fn title(ctx: &Ctx<'_>, feed: &Feed) -> String {
    let site = &ctx.sites[&feed.lang].0.title;
    match &feed.of {
        Some(of) => format!("{site} - {of}"),
        None => site.clone(),
    }
}

fn atom(ctx: &Ctx<'_>, feed: &Feed, url: &str, items: &[&Item]) -> String {
    let site = &ctx.sites[&feed.lang].0;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
        xml(&feed.lang),
        xml(&title(ctx, feed))
    );
    if !site.description.is_empty() {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", xml(&site.description));
    }
    let _ = writeln!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{0}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{1}\"/>\n<id>{0}</id>\n<author><name>{2}</name></author>",
        xml(url),
        xml(&ctx.permalink(&feed.page)),
        xml(&site.title)
    );
    if let Some(newest) = items.iter().map(|i| i.updated).max() {
        let _ = writeln!(out, "<updated>{newest}</updated>");
    }
    for item in items {
        let _ = writeln!(
            out,
            "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n<id>{link}</id>\n<published>{}</published>\n<updated>{}</updated>",
            xml(&item.title),
            item.published,
            item.updated,
            link = xml(&item.link),
        );
        if !item.summary.is_empty() {
            let _ = writeln!(
                out,
                "<summary type=\"html\">{}</summary>",
                xml(&item.summary)
            );
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn rss(ctx: &Ctx<'_>, feed: &Feed, url: &str, items: &[&Item]) -> String {
    let site = &ctx.sites[&feed.lang].0;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss xmlns:atom=\"http://www.w3.org/2005/Atom\" version=\"2.0\">\n<channel>\n<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        xml(&title(ctx, feed)),
        xml(&ctx.permalink(&feed.page)),
        xml(&site.description),
        xml(&feed.lang),
        xml(url)
    );
    if let Some(newest) = items.iter().map(|i| i.updated).max() {
        let _ = writeln!(out, "<lastBuildDate>{}</lastBuildDate>", rfc2822(newest));
    }
    for item in items {
        let _ = writeln!(
            out,
            "<item>\n<title>{}</title>\n<link>{link}</link>\n<guid>{link}</guid>\n<pubDate>{}</pubDate>",
            xml(&item.title),
            rfc2822(item.published),
            link = xml(&item.link),
        );
        if !item.summary.is_empty() {
            let _ = writeln!(out, "<description>{}</description>", xml(&item.summary));
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Text for XML: escaped, without the control characters XML 1.0 forbids.
fn xml(text: &str) -> String {
    let text: std::borrow::Cow<'_, str> = if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        text.chars()
            .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .into()
    } else {
        text.into()
    };
    crate::html::escape(&text)
}

fn rfc2822(at: jiff::Timestamp) -> String {
    jiff::fmt::rfc2822::to_string(&at.to_zoned_datetime(jiff::tz::TimeZone::UTC))
        .unwrap_or_default()
}

/// When a page was published: its `date` (a date alone is midnight UTC, as in Zola).
pub(crate) fn timestamp(entry: &Entry<'_>) -> Option<jiff::Timestamp> {
    entry.page.front.date.as_ref().and_then(parse)
}

fn parse(d: &toml::value::Datetime) -> Option<jiff::Timestamp> {
    rfc3339(d).parse().ok()
}

/// A front-matter date as RFC 3339: a date alone is midnight, no offset is UTC.
pub(crate) fn rfc3339(d: &toml::value::Datetime) -> String {
    let Some(date) = d.date else {
        return String::new();
    };
    let (hour, minute, second) = d
        .time
        .map_or((0, 0, 0), |t| (t.hour, t.minute, t.second.unwrap_or(0)));
    let offset = match d.offset {
        None | Some(toml::value::Offset::Z) => "Z".to_string(),
        Some(toml::value::Offset::Custom { minutes }) => format!(
            "{}{:02}:{:02}",
            if minutes < 0 { '-' } else { '+' },
            minutes.unsigned_abs() / 60,
            minutes.unsigned_abs() % 60
        ),
    };
    format!(
        "{:04}-{:02}-{:02}T{hour:02}:{minute:02}:{second:02}{offset}",
        date.year, date.month, date.day
    )
}
