//! Zola shortcodes: `{{ name(arg="v") }}` and `{% name(arg="v") %}body{% end %}` in a page's
//! Markdown, rendered with the site's `templates/shortcodes/` before the Markdown is parsed.
//!
//! As in Zola, calls are found in the source text. A Markdown shortcode's output (`NAME.md`)
//! takes the call's place in the text; an HTML shortcode's output (`NAME.html`) waits behind a
//! placeholder that the Markdown adapter swaps for the HTML, so that Markdown (smart
//! punctuation above all) never touches it or the call's arguments. Calls inside code are left
//! as they are; `{{/* … */}}` and `{%/* … */%}` write a call's syntax without running it.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};
use tera::{Tera, Value};

use crate::content::Page;
use crate::i18n::Strings;
use crate::theme::SourceFile;

/// Starts a placeholder in the text given to the Markdown parser; the call's number and
/// [`PLACEHOLDER_END`] follow. A character of the Private Use Area: no Markdown rule touches
/// it, and no author types it.
pub(crate) const PLACEHOLDER: char = '\u{E000}';
/// Ends a placeholder.
pub(crate) const PLACEHOLDER_END: char = '\u{E001}';

/// What a shortcode template writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// `NAME.html`: HTML, put in the page as raw HTML (and sanitised as such).
    Html,
    /// `NAME.md`: Markdown, put in the page's text before it is parsed.
    Markdown,
}

/// The site's shortcode templates, compiled once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shortcodes {
    tera: Tera,
    /// Name -> what the template writes, and its file (for messages).
    known: BTreeMap<String, (Output, PathBuf)>,
    /// `config` in the templates' context.
    config: Value,
}

/// A problem with a call, at byte `at` of the text given to [`expand`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// Byte offset of the call in the text.
    pub at: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
    /// A warning (the page is still built) rather than an error.
    pub warning: bool,
}

/// What the templates see of the page whose calls they render.
#[derive(Debug, Clone)]
pub(crate) struct PageInfo<'a> {
    /// The page's language.
    pub lang: &'a str,
    /// `page` (or `section`) in the context: title, description, extra…
    pub page: Value,
    /// The page is a section (`_index.md`): the context names it `section`.
    pub section: bool,
}

/// A page's Markdown with its shortcodes rendered.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    /// The Markdown to parse.
    pub text: String,
    /// The HTML behind each placeholder, by number.
    pub html: Vec<String>,
    /// Each replacement: (range in `text`, range in the original text).
    replaced: Vec<(Range<usize>, Range<usize>)>,
}

impl Expanded {
    /// Where byte `offset` of [`Expanded::text`] was in the original text: inside a
    /// replacement, the call's start.
    pub(crate) fn original(&self, offset: usize) -> usize {
        let at = self
            .replaced
            .partition_point(|(new, _)| new.start <= offset);
        let Some((new, old)) = at.checked_sub(1).map(|i| &self.replaced[i]) else {
            return offset;
        };
        if offset < new.end {
            old.start
        } else {
            old.end + (offset - new.end)
        }
    }

    /// Calls `piece` with each part of `text`: the author's text between placeholders, and
    /// the HTML of each placeholder.
    pub(crate) fn split<'t>(&self, text: &'t str, mut piece: impl FnMut(Piece<'t, '_>)) {
        let mut rest = text;
        while let Some(start) = rest.find(PLACEHOLDER) {
            let after = &rest[start + PLACEHOLDER.len_utf8()..];
            let Some(end) = after.find(PLACEHOLDER_END) else {
                break;
            };
            let Some(html) = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|n| self.html.get(n))
            else {
                break;
            };
            if start > 0 {
                piece(Piece::Text(&rest[..start]));
            }
            piece(Piece::Html(html));
            rest = &after[end + PLACEHOLDER_END.len_utf8()..];
        }
        if !rest.is_empty() {
            piece(Piece::Text(rest));
        }
    }

    /// The HTML of `text` when it is one placeholder and nothing else.
    pub(crate) fn alone(&self, text: &str) -> Option<&str> {
        let number = text
            .trim()
            .strip_prefix(PLACEHOLDER)?
            .strip_suffix(PLACEHOLDER_END)?;
        self.html
            .get(number.parse::<usize>().ok()?)
            .map(String::as_str)
    }
}

/// A piece of a text event that holds placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'t, 'h> {
    /// Text written by the author.
    Text(&'t str),
    /// A shortcode's HTML.
    Html(&'h str),
}

impl Shortcodes {
    /// Compiles the shortcode templates `files` (by file name: `note.html`, `list.md`); a
    /// syntax error names the file. `config` is what the templates see as `config`;
    /// `pictures`, the size of each picture of `content/` by its path there, is what
    /// `get_image_metadata` tells them.
    pub(crate) fn compile(
        files: &BTreeMap<String, SourceFile>,
        config: Value,
        base_path: &str,
        strings: Option<Arc<Strings>>,
        pictures: BTreeMap<String, (u32, u32)>,
    ) -> Result<Shortcodes, crate::diag::Diagnostic> {
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::html::escape);
        tera.register_filter("markdown", markdown_filter);
        tera.register_function("get_url", GetUrl(base_path.to_string()));
        tera.register_function("get_image_metadata", ImageMetadata(pictures));
        tera.register_function("trans", Trans(strings));
        tera.register_function("get_random", get_random);
        tera.register_function("load_data", load_data);
        // Macros and partials first: a shortcode that imports one is checked when it is added.
        let macros = files
            .iter()
            .filter(|(name, _)| name.contains('/'))
            .map(|(name, file)| {
                (
                    name.clone(),
                    String::from_utf8_lossy(&file.bytes).into_owned(),
                )
            });
        if let Err(e) = tera.add_raw_templates(macros) {
            return Err(crate::diag::Diagnostic::new(
                std::path::Path::new("templates/macros"),
                0,
                format!("a macro of the shortcodes does not compile: {}", chain(e)),
            )
            .help("fix the template syntax named above ({{ }} for values, {% %} for tags)"));
        }
        let mut known = BTreeMap::new();
        for (file_name, file) in files.iter().filter(|(name, _)| !name.contains('/')) {
            let Some((name, output)) = file_name
                .strip_suffix(".html")
                .map(|n| (n, Output::Html))
                .or_else(|| file_name.strip_suffix(".md").map(|n| (n, Output::Markdown)))
            else {
                continue;
            };
            let text = String::from_utf8_lossy(&file.bytes);
            if let Err(e) = tera.add_raw_template(&format!("shortcodes/{file_name}"), &text) {
                return Err(crate::diag::Diagnostic::new(
                    &file.path,
                    0,
                    format!("this shortcode does not compile: {}", chain(e)),
                )
                .help("fix the template syntax named above ({{ }} for values, {% %} for tags)"));
            }
            known.insert(name.to_string(), (output, file.path.clone()));
        }
        Ok(Shortcodes {
            tera,
            known,
            config,
        })
    }

    /// Help for an unknown shortcode `name`: the nearest name, and every name.
    fn unknown_help(&self, name: &str) -> String {
        if self.known.is_empty() {
            return format!(
                "this site has no shortcodes: add templates/shortcodes/{name}.html, or remove the call"
            );
        }
        let all: Vec<&str> = self.known.keys().map(String::as_str).collect();
        match crate::diag::nearest(name, all.iter().copied()) {
            Some(k) => format!(
                "did you mean `{k}`? The shortcodes of this site: {}",
                all.join(", ")
            ),
            None => format!(
                "the shortcodes of this site: {} (add templates/shortcodes/{name}.html for a new one)",
                all.join(", ")
            ),
        }
    }
}

/// The adapter that puts each HTML shortcode's output where its placeholder is: a paragraph
/// that is only a placeholder becomes the HTML block; a placeholder within text, inline HTML;
/// one within raw HTML, part of it.
pub(crate) fn place<'a, R: Clone>(
    events: impl Iterator<Item = (Event<'a>, R)>,
    expanded: &Expanded,
    compact: bool,
) -> impl Iterator<Item = (Event<'a>, R)> {
    let mut events = events.peekable();
    let mut out: Vec<(Event<'a>, R)> = Vec::new();
    while let Some((event, range)) = events.next() {
        match event {
            Event::Start(Tag::Paragraph) => {
                let alone = match events.peek() {
                    Some((Event::Text(t), _)) => expanded.alone(t),
                    _ => None,
                };
                let Some(html) = alone else {
                    out.push((Event::Start(Tag::Paragraph), range));
                    continue;
                };
                let newline = if compact { "" } else { "\n" };
                out.push((Event::Html(format!("{html}{newline}").into()), range));
                events.next();
                events.next_if(|(e, _)| matches!(e, Event::End(pulldown_cmark::TagEnd::Paragraph)));
            }
            Event::Text(t) if t.contains(PLACEHOLDER) => {
                expanded.split(&t, |piece| {
                    let event = match piece {
                        Piece::Text(t) => Event::Text(t.to_string().into()),
                        Piece::Html(h) => Event::InlineHtml(h.to_string().into()),
                    };
                    out.push((event, range.clone()));
                });
            }
            Event::Html(h) | Event::InlineHtml(h) if h.contains(PLACEHOLDER) => {
                let mut joined = String::with_capacity(h.len() * 2);
                expanded.split(&h, |piece| match piece {
                    Piece::Text(t) | Piece::Html(t) => joined.push_str(t),
                });
                out.push((Event::Html(joined.into()), range));
            }
            other => out.push((other, range)),
        }
    }
    out.into_iter()
}

/// Whether `text` may hold a shortcode call (or an escaped one): cheap, so that pages
/// without any pay nothing.
pub(crate) fn may_have_calls(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr_brace(bytes).any(|i| {
        let rest = &text[i + 2..];
        rest.starts_with("/*") || opening(rest).is_some()
    })
}

/// Positions of `{{` and `{%` in `bytes`.
fn memchr_brace(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'{', bytes).filter(|&i| matches!(bytes.get(i + 1), Some(b'{' | b'%')))
}

/// Renders the shortcodes of `page`'s body; problems go to the report at their line in the
/// file. The HTML of each call is sanitised as raw HTML is.
pub(crate) fn expand_page(page: &Page, set: &Shortcodes, env: &super::Env<'_>) -> Expanded {
    let front = &page.front;
    let info = PageInfo {
        lang: env.lang,
        page: serde_json::json!({
            "title": front.title,
            "description": front.description,
            "lang": page.lang,
            "slug": page.slug,
            "relative_path": page.key,
            "colocated_path": colocated_path(page),
            "extra": front.extra,
        }),
        section: page.kind == crate::content::Kind::Section,
    };
    let (mut expanded, problems) = expand(page.body(), set, &info);
    for problem in problems {
        let diagnostic = page
            .diagnostic(page.body_line(problem.at), problem.message)
            .help(problem.help);
        if problem.warning {
            env.report.warn(diagnostic);
        } else {
            env.report.error(diagnostic);
        }
    }
    for html in &mut expanded.html {
        *html = super::raw_html::sanitise(std::mem::take(html), true);
    }
    expanded
}

/// Zola's `page.colocated_path`: the folder of a page bundle (`blog/post/index.md` ->
/// `blog/post/`), against which its files resolve; `None` for a page that is one file.
fn colocated_path(page: &Page) -> Option<String> {
    let stem = page.file.file_stem()?.to_str()?;
    if stem != "index" && !stem.starts_with("index.") {
        return None;
    }
    let dir = page.file.parent()?.strip_prefix("content").ok()?;
    let dir = dir.to_string_lossy().replace('\\', "/");
    Some(if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    })
}

/// Renders every call in `text` (a page's Markdown) with `set`. Problems are returned with
/// their offset in `text`; a call that fails leaves nothing on the page.
pub(crate) fn expand(
    text: &str,
    set: &Shortcodes,
    page: &PageInfo<'_>,
) -> (Expanded, Vec<Problem>) {
    RANDOM_CALLS.with(|calls| calls.set(0));
    expand_calls(text, set, page)
}

/// [`expand`], for the page or for the body of a call.
fn expand_calls(text: &str, set: &Shortcodes, page: &PageInfo<'_>) -> (Expanded, Vec<Problem>) {
    let code = code_ranges(text);
    let mut out = Expanded {
        text: String::with_capacity(text.len()),
        ..Expanded::default()
    };
    let mut problems = Vec::new();
    let mut nth: HashMap<String, usize> = HashMap::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = next_call(text, search, &code) {
        let (range, replacement) = match found {
            Found::Escaped { range, inner } => (range, format!("{{{inner}}}")),
            Found::Call(call) => {
                let range = call.range.clone();
                let n = nth.entry(call.name.to_string()).or_insert(0);
                *n += 1;
                let body = call
                    .body
                    .clone()
                    .map(|body| expand_body(text, body, set, page, &mut problems));
                let replacement = match render_call(set, page, &call, body.as_deref(), *n) {
                    Ok((Output::Markdown, md)) => md,
                    Ok((Output::Html, html)) => {
                        let mut html = html;
                        links_for_foreign_embeds(&mut html, &call, &mut problems);
                        out.html.push(html);
                        format!("{PLACEHOLDER}{}{PLACEHOLDER_END}", out.html.len() - 1)
                    }
                    Err(problem) => {
                        problems.push(problem);
                        String::new()
                    }
                };
                (range, replacement)
            }
            Found::Broken(problem, resume) => {
                problems.push(problem);
                search = resume;
                continue;
            }
        };
        out.text.push_str(&text[copied..range.start]);
        let start = out.text.len();
        out.text.push_str(&replacement);
        out.replaced
            .push((start..out.text.len(), range.start..range.end));
        copied = range.end;
        search = range.end;
    }
    out.text.push_str(&text[copied..]);
    (out, problems)
}

/// The body of a call (`range` of `text`), with the calls it holds rendered in place: their
/// HTML goes into the body as raw HTML, for the template's `markdown` filter to keep.
fn expand_body(
    text: &str,
    range: Range<usize>,
    set: &Shortcodes,
    page: &PageInfo<'_>,
    problems: &mut Vec<Problem>,
) -> String {
    let body = &text[range.clone()];
    if !may_have_calls(body) {
        return body.to_string();
    }
    let (inner, found) = expand_calls(body, set, page);
    problems.extend(found.into_iter().map(|p| Problem {
        at: range.start + p.at,
        ..p
    }));
    let mut out = String::with_capacity(inner.text.len());
    inner.split(&inner.text, |piece| match piece {
        Piece::Text(t) | Piece::Html(t) => out.push_str(t),
    });
    out
}

/// Byte ranges of code blocks and code spans: shortcodes there are shown, not run.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => ranges.push(range),
            _ => {}
        }
    }
    ranges
}

/// A call found in the text.
#[derive(Debug)]
struct Call<'t> {
    name: &'t str,
    args: tera::Map<String, Value>,
    /// Where the body is in the text.
    body: Option<Range<usize>>,
    /// The whole call, body and `{% end %}` included.
    range: Range<usize>,
}

#[derive(Debug)]
enum Found<'t> {
    Call(Call<'t>),
    /// `{{/* x() */}}`: written as `{{ x() }}`.
    Escaped {
        range: Range<usize>,
        inner: String,
    },
    /// A call that cannot be read; the search goes on at the offset given.
    Broken(Problem, usize),
}

/// The next call at or after `from`, outside code.
fn next_call<'t>(text: &'t str, from: usize, code: &[Range<usize>]) -> Option<Found<'t>> {
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    for i in memchr_brace(&text.as_bytes()[from..]).map(|i| i + from) {
        let rest = &text[i + 2..];
        let percent = text.as_bytes()[i + 1] == b'%';
        if let Some(inner) = rest.strip_prefix("/*") {
            let close = if percent { "*/%}" } else { "*/}}" };
            if let Some(end) = inner.find(close) {
                let (open, shut) = if percent { ("%", "%") } else { ("{", "}") };
                return Some(Found::Escaped {
                    range: i..i + 4 + end + 4,
                    inner: format!("{open}{}{shut}", &inner[..end]),
                });
            }
            continue;
        }
        if in_code(i) {
            continue;
        }
        if percent && is_end(rest).is_some() {
            return Some(Found::Broken(
                Problem {
                    at: i,
                    message: "`{% end %}` closes no shortcode".into(),
                    help: "remove it, or open the shortcode before it: {% name() %}…{% end %}"
                        .into(),
                    warning: false,
                },
                i + 2,
            ));
        }
        let Some(name) = opening(rest) else {
            continue;
        };
        return Some(read_call(text, i, name, percent, code));
    }
    None
}

/// The name of a call starting right after `{{` or `{%`: spaces, a name, spaces, `(`.
fn opening(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    let starts_well = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (starts_well && rest[len..].trim_start().starts_with('(')).then_some(name)
}

/// The length of `{% end %}` when `rest` (after `{%`) is one.
fn is_end(rest: &str) -> Option<usize> {
    let trimmed = rest.trim_start();
    let after = trimmed.strip_prefix("end")?.trim_start();
    after.strip_prefix("%}").map(|tail| rest.len() - tail.len())
}

/// Reads the call opening at `start` (`{{` or `{%`) whose name is `name`.
fn read_call<'t>(
    text: &'t str,
    start: usize,
    name: &'t str,
    body: bool,
    code: &[Range<usize>],
) -> Found<'t> {
    let broken = |message: String, help: &str| {
        Found::Broken(
            Problem {
                at: start,
                message,
                help: help.to_string(),
                warning: false,
            },
            start + 2,
        )
    };
    let open = text[start..]
        .find('(')
        .map_or(text.len(), |p| start + p + 1);
    let mut args = Args {
        text,
        at: open,
        args: tera::Map::new(),
    };
    if let Err(what) = args.read() {
        return broken(
            format!("the shortcode `{name}` has arguments that cannot be read: {what}"),
            "write arguments as name=\"text\", name=3, name=true or name=[1, 2], separated by commas",
        );
    }
    let close = if body { "%}" } else { "}}" };
    let after = args.at;
    if !text[after..].trim_start().starts_with(close) {
        return broken(
            format!("the shortcode `{name}` is not closed with `{close}` after its arguments"),
            if body {
                "write {% name(arg=\"value\") %}, then the body, then {% end %}"
            } else {
                "write {{ name(arg=\"value\") }}"
            },
        );
    }
    let end_of_open = after + (text[after..].len() - text[after..].trim_start().len()) + 2;
    if !body {
        return Found::Call(Call {
            name,
            args: args.args,
            body: None,
            range: start..end_of_open,
        });
    }
    let in_code = |i: usize| code.iter().any(|r| r.contains(&i));
    let end = memchr_brace(&text.as_bytes()[end_of_open..])
        .map(|i| i + end_of_open)
        .filter(|&i| text.as_bytes()[i + 1] == b'%' && !in_code(i))
        .find_map(|i| is_end(&text[i + 2..]).map(|len| (i, i + 2 + len)));
    match end {
        Some((body_end, call_end)) => Found::Call(Call {
            name,
            args: args.args,
            body: Some(end_of_open..body_end),
            range: start..call_end,
        }),
        None => broken(
            format!("the shortcode `{name}` is opened here but never closed with `{{% end %}}`"),
            "add {% end %} on a line after the shortcode's body",
        ),
    }
}

/// Zola's argument syntax: `name = value` pairs separated by commas, where a value is a
/// string in `"`, `'` or `` ` `` (no escapes), a number, `true`/`false`, or a list of those.
struct Args<'t> {
    text: &'t str,
    /// Where reading goes on.
    at: usize,
    args: tera::Map<String, Value>,
}

impl<'t> Args<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    /// Reads up to and including `)`.
    fn read(&mut self) -> Result<(), String> {
        loop {
            self.skip_space();
            if let Some(rest) = self.rest().strip_prefix(')') {
                self.at = self.text.len() - rest.len();
                return Ok(());
            }
            let rest = self.rest();
            let len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if len == 0 {
                return Err(format!("expected a name at `{}`", excerpt(rest)));
            }
            let key = rest[..len].to_string();
            self.at += len;
            self.skip_space();
            let Some(rest) = self.rest().strip_prefix('=') else {
                return Err(format!("expected `=` after `{key}`"));
            };
            self.at = self.text.len() - rest.len();
            let value = self.value(true)?;
            self.args.insert(key, value);
            self.skip_space();
            // Zola reads `a="x" b=1` (a comma forgotten) as two arguments: so does senda.
            if let Some(rest) = self.rest().strip_prefix(',') {
                self.at = self.text.len() - rest.len();
            } else if !self
                .rest()
                .starts_with(|c: char| c == ')' || c.is_ascii_alphabetic())
            {
                return Err(format!("expected `,` or `)` at `{}`", excerpt(self.rest())));
            }
        }
    }

    /// A value; `list`: a list is allowed here (lists do not nest).
    fn value(&mut self, list: bool) -> Result<Value, String> {
        self.skip_space();
        let rest = self.rest();
        let first = rest.chars().next().unwrap_or(' ');
        if let Some(quote) = ['"', '\'', '`'].into_iter().find(|&q| q == first) {
            // A quote of the same kind inside is written `\"`.
            let inner = &rest[1..];
            let mut escaped = false;
            let Some(end) = inner.char_indices().find_map(|(i, c)| {
                let closes = c == quote && !escaped;
                escaped = c == '\\' && !escaped;
                closes.then_some(i)
            }) else {
                return Err(format!(
                    "the text `{}` has no closing {quote}",
                    excerpt(rest)
                ));
            };
            self.at += 1 + end + 1;
            let text = inner[..end].replace(&format!("\\{quote}"), &quote.to_string());
            return Ok(Value::String(text));
        }
        if first == '[' && list {
            self.at += 1;
            let mut items = Vec::new();
            loop {
                self.skip_space();
                if let Some(rest) = self.rest().strip_prefix(']') {
                    self.at = self.text.len() - rest.len();
                    return Ok(Value::Array(items));
                }
                items.push(self.value(false)?);
                self.skip_space();
                if let Some(rest) = self.rest().strip_prefix(',') {
                    self.at = self.text.len() - rest.len();
                } else if !self.rest().starts_with(']') {
                    return Err(format!(
                        "expected `,` or `]` in the list at `{}`",
                        excerpt(self.rest())
                    ));
                }
            }
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => number(word).ok_or_else(|| {
                format!(
                    "`{}` is not a value: put text in \"quotes\"",
                    excerpt(if word.is_empty() { rest } else { word })
                )
            })?,
        };
        self.at += len;
        Ok(value)
    }
}

/// `3`, `-2`, `1.5` as a JSON number.
fn number(word: &str) -> Option<Value> {
    let digits = word.strip_prefix('-').unwrap_or(word);
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Ok(n) = word.parse::<i64>() {
        return Some(Value::from(n));
    }
    word.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// The start of `text`, for a message.
fn excerpt(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(24) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line.to_string(),
    }
}

/// Renders one call with its template.
fn render_call(
    set: &Shortcodes,
    page: &PageInfo<'_>,
    call: &Call<'_>,
    body: Option<&str>,
    nth: usize,
) -> Result<(Output, String), Problem> {
    let problem = |message: String, help: String| Problem {
        at: call.range.start,
        message,
        help,
        warning: false,
    };
    let Some((output, path)) = set.known.get(call.name) else {
        return Err(problem(
            format!("unknown shortcode `{}`", call.name),
            set.unknown_help(call.name),
        ));
    };
    let mut context = tera::Context::new();
    for (key, value) in &call.args {
        context.insert(key, value);
    }
    context.insert("nth", &nth);
    context.insert("lang", page.lang);
    context.insert("config", &set.config);
    context.insert(if page.section { "section" } else { "page" }, &page.page);
    if let Some(body) = body {
        context.insert("body", body.trim_matches('\n'));
    }
    let ext = match output {
        Output::Html => "html",
        Output::Markdown => "md",
    };
    let name = format!("shortcodes/{}.{ext}", call.name);
    match set.tera.render(&name, &context) {
        Ok(text) => Ok((*output, text.trim().to_string())),
        Err(e) => Err(problem(
            format!(
                "the shortcode `{}` failed ({}): {}",
                call.name,
                path.display(),
                chain(e)
            ),
            "check the call's arguments against the names the template uses".to_string(),
        )),
    }
}

/// A shortcode that embeds a page or a resource from another website (a video player, a
/// map) would make the reader's phone contact that website. The embed is replaced by a plain
/// link to it, with a warning: the page still builds, and the reader chooses.
fn links_for_foreign_embeds(html: &mut String, call: &Call<'_>, problems: &mut Vec<Problem>) {
    let mut links = String::new();
    for token in html5gum::Tokenizer::new(html.as_str()).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        let Some(url) = ["src", "data"]
            .into_iter()
            .filter_map(|a| tag.attributes.get(a.as_bytes()))
            .map(|v| String::from_utf8_lossy(v).trim().to_string())
            .find(|v| v.starts_with("//") || v.contains("://"))
        else {
            continue;
        };
        let url = if url.starts_with("//") {
            format!("https:{url}")
        } else {
            url
        };
        let title = tag
            .attributes
            .get(b"title".as_slice())
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| url.clone());
        problems.push(Problem {
            at: call.range.start,
            message: format!(
                "the shortcode `{}` embeds `{url}` from another website; the page shows a link to it instead",
                call.name
            ),
            help: "readers' phones must not contact other websites without asking: a link lets them choose".into(),
            warning: true,
        });
        links.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            crate::html::escape(&url),
            crate::html::escape(&title)
        ));
    }
    html.push_str(&links);
}

/// `{{ text | markdown }}` and `{{ text | markdown(inline=true) }}` in a shortcode template.
fn markdown_filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("markdown: the value must be text"))?;
    let mut html = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(text, super::options()));
    if args.get("inline").and_then(Value::as_bool) == Some(true) {
        let trimmed = html.trim();
        if let Some(inner) = trimmed
            .strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .filter(|inner| !inner.contains("<p>"))
        {
            html = inner.to_string();
        }
    }
    Ok(Value::String(html))
}

/// `get_url(path="…")`: a file of the site (`/img/x.png`, `img/x.png`) under the base path;
/// an `@/` page is kept as it is, for the Markdown around it to resolve.
struct GetUrl(String);

impl tera::Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("get_url() needs path=\"…\""))?;
        if path.starts_with("@/") || path.contains("://") {
            return Ok(Value::String(path.to_string()));
        }
        Ok(Value::String(format!(
            "{}{}",
            self.0,
            path.trim_start_matches('/')
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `get_image_metadata(path=…, allow_missing=true)`: the `width` and `height` of a picture of
/// `content/` (`blog/post/a.png`, as Zola finds it: themes join a bundle's `colocated_path`
/// and a file name), as senda publishes it. Any other path is missing: `null` with
/// `allow_missing` (the template then takes its other way), else an error that says so.
struct ImageMetadata(BTreeMap<String, (u32, u32)>);

impl tera::Function for ImageMetadata {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args.get("path").and_then(Value::as_str).unwrap_or_default();
        if let Some((width, height)) = self.0.get(path.trim_start_matches('/')) {
            return Ok(serde_json::json!({ "width": width, "height": height }));
        }
        if args.get("allow_missing").and_then(Value::as_bool) == Some(true) {
            return Ok(Value::Null);
        }
        Err(tera::Error::msg(format!(
            "get_image_metadata: `{path}` is not a picture of content/; call it with allow_missing=true for other files"
        )))
    }
}

thread_local! {
    /// Calls of `get_random` on the page being expanded (a page is expanded on one thread).
    static RANDOM_CALLS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// `get_random(start=…, end=…)`: themes use it for ids that must differ within a page. The
/// same site must give the same bytes, so the numbers are a sequence, started again on each
/// page.
fn get_random(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let start = args.get("start").and_then(Value::as_i64).unwrap_or(0);
    let end = args.get("end").and_then(Value::as_i64).unwrap_or(i64::MAX);
    let n = RANDOM_CALLS.with(|calls| {
        calls.set(calls.get() + 1);
        calls.get()
    });
    let span = u64::try_from(end.saturating_sub(start)).unwrap_or(1).max(1);
    Ok(Value::from(start.saturating_add_unsigned(n % span)))
}

/// `load_data(…, required=false)`: senda reads no data files from shortcodes (and nothing from
/// another website), so the data is missing; without `required=false`, an error says so.
fn load_data(args: &HashMap<String, Value>) -> tera::Result<Value> {
    if args.get("required").and_then(Value::as_bool) == Some(false) {
        return Ok(Value::Null);
    }
    Err(tera::Error::msg(
        "senda does not load data in shortcodes: write the data in the page, or call load_data with required=false",
    ))
}

/// `trans(key=…, lang=…)`: an interface string of `i18n/` (Zola's translations live there
/// once a site is moved); without strings, the key.
struct Trans(Option<Arc<Strings>>);

impl tera::Function for Trans {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = args
            .get("key")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("trans() needs key=\"…\""))?;
        let lang = args.get("lang").and_then(Value::as_str).unwrap_or_default();
        Ok(Value::String(match &self.0 {
            Some(strings) => strings.get(lang, key, &[]),
            None => key.to_string(),
        }))
    }
}

/// Tera hides the real cause in `source()`: show the whole chain.
fn chain(e: tera::Error) -> String {
    format!("{:#}", anyhow::Error::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> Shortcodes {
        let files = files
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    SourceFile {
                        path: PathBuf::from("templates/shortcodes").join(name),
                        bytes: text.as_bytes().to_vec(),
                    },
                )
            })
            .collect();
        let config = serde_json::json!({"title": "Site", "extra": {"who": "us"}});
        let pictures = BTreeMap::from([("post/a.png".to_string(), (640, 480))]);
        Shortcodes::compile(&files, config, "/repo/", None, pictures).expect("compiles")
    }

    fn page() -> PageInfo<'static> {
        PageInfo {
            lang: "es",
            page: serde_json::json!({"title": "Página"}),
            section: false,
        }
    }

    #[test]
    fn arguments_are_read_as_zola_reads_them() {
        let s = set(&[(
            "show.md",
            "{{ a }}|{{ n + 1 }}|{{ f }}|{{ flag }}|{{ list | join(sep=\",\") }}|{{ b }}|{{ c }}|{{ d }}",
        )]);
        let text = "x {{ show(a=\"v, (1)\", n=3, f=-1.5, flag=true,\n list=[1, 'b' , 2], b='q\"', c=`z` d='it\\'s') }} y";
        let (out, problems) = expand(text, &s, &page());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out.text, "x v, (1)|4|-1.5|true|1,b,2|q\"|z|it's y");
    }

    #[test]
    fn image_metadata_knows_the_pictures_of_content() {
        let s = set(&[(
            "pic.md",
            "{% set m = get_image_metadata(path=dir ~ name, allow_missing=true) %}{% if m %}{{ m.width }}x{{ m.height }}{% else %}{{ get_url(path=name) }}{% endif %}",
        )]);
        let text =
            "{{ pic(dir=\"post/\", name=\"a.png\") }} {{ pic(dir=\"post/\", name=\"b.png\") }}";
        let (out, problems) = expand(text, &s, &page());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out.text, "640x480 /repo/b.png");
    }

    #[test]
    fn html_output_hides_behind_a_placeholder_and_offsets_map_back() {
        let s = set(&[(
            "note.html",
            "<div class=\"n\">{{ body | markdown | safe }}</div>",
        )]);
        let text = "Uno.\n\n{% note() %}\n*dos*\n{% end %}\n\nTres {{ bad() }}.\n";
        let (out, problems) = expand(text, &s, &page());
        assert_eq!(out.html, ["<div class=\"n\"><p><em>dos</em></p>\n</div>"]);
        assert!(
            out.text.starts_with("Uno.\n\n\u{E000}0\u{E001}\n\nTres ."),
            "{:?}",
            out.text
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at, text.find("{{ bad").expect("there"));
        assert!(problems[0].help.contains("note"), "{problems:?}");
        let tres = out.text.find("Tres").expect("there");
        assert_eq!(out.original(tres), text.find("Tres").expect("there"));
        assert_eq!(out.alone(&out.text[6..6 + 7]), Some(out.html[0].as_str()));
    }

    #[test]
    fn code_facts_and_escapes_are_left_alone() {
        let s = set(&[("x.html", "X")]);
        let text =
            "`{{ x() }}` {{ fact a.b }}\n\n```\n{{ x() }}\n```\n\n{{/* x() */}} {%/* x() */%}";
        let (out, problems) = expand(text, &s, &page());
        assert!(problems.is_empty(), "{problems:?}");
        assert!(out.html.is_empty());
        assert_eq!(
            out.text,
            "`{{ x() }}` {{ fact a.b }}\n\n```\n{{ x() }}\n```\n\n{{ x() }} {% x() %}"
        );
        assert!(!may_have_calls("{{ fact a.b }} {{ table t }} {% raw"));
        assert!(may_have_calls("a {{x()}}"));
    }

    #[test]
    fn broken_calls_say_what_is_wrong() {
        let s = set(&[("note.html", "N")]);
        let cases = [
            ("{{ note(a=unquoted) }}", "cannot be read"),
            ("{{ note(a=\"x\";b=1) }}", "cannot be read"),
            ("{{ note(a=\"x) }}", "no closing"),
            ("{% note() %} never closed", "never closed"),
            ("{{ note() %}", "not closed"),
            ("text {% end %}", "closes no shortcode"),
            ("{{ nota() }}", "did you mean `note`"),
        ];
        for (text, words) in cases {
            let (_, problems) = expand(text, &s, &page());
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            let p = &problems[0];
            assert!(
                p.message.contains(words) || p.help.contains(words),
                "{text}: {p:?}"
            );
        }
    }

    #[test]
    fn calls_inside_a_body_are_rendered_too() {
        let s = set(&[
            ("box.html", "<div>{{ body | markdown | safe }}</div>"),
            ("b.html", "<b>{{ t }}</b>"),
        ]);
        let text = "{% box() %}\nSee {{ b(t=\"this\") }} and {{ nope() }}.\n{% end %}";
        let (out, problems) = expand(text, &s, &page());
        assert_eq!(out.html, ["<div><p>See <b>this</b> and .</p>\n</div>"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].at, text.find("{{ nope").expect("there"));
    }

    #[test]
    fn context_has_nth_lang_page_and_config() {
        let s = set(&[(
            "c.md",
            "{{ nth }}{{ lang }}{{ page.title }}{{ config.extra.who }}",
        )]);
        let (out, _) = expand("{{ c() }} {{ c() }}", &s, &page());
        assert_eq!(out.text, "1esPáginaus 2esPáginaus");
    }

    #[test]
    fn a_foreign_embed_becomes_a_link_and_a_warning() {
        let s = set(&[(
            "youtube.html",
            "<iframe title=\"A video\" src=\"https://www.youtube.com/embed/{{ id }}\"></iframe>",
        )]);
        let (out, problems) = expand("{{ youtube(id=\"abc\") }}", &s, &page());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].warning);
        assert!(
            out.html[0]
                .ends_with("<p><a href=\"https://www.youtube.com/embed/abc\">A video</a></p>"),
            "{}",
            out.html[0]
        );
    }
}
