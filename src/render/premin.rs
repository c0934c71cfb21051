//! Pre-minified templates: every template's source is minified once, when the theme loads, so
//! that the pages rendered from it need no minifying of their own.
//!
//! minify-html does not know Tera, so each Tera construct (`{{ }}`, `{% %}`, `{# #}`, a whole
//! `{% raw %}` block) first becomes a placeholder, a number between two private-use characters.
//! minify-html keeps a placeholder as text, byte for byte: no template holds those characters
//! (checked), they are not ASCII, so no tag name, entity or whitespace rule can take them, and
//! text is never dropped. After minifying, each construct goes back where its placeholder is.
//!
//! Where minify-html would not leave a construct's surroundings alone, the construct is kept
//! out of its reach instead:
//!
//! - minify-html sorts a tag's attributes and keeps them in a hash map, so an `{% if %}` among
//!   them would be moved away from the attribute it guards, and it unquotes values, so a value
//!   rendered later with a space would break the tag. A start tag with any construct among its
//!   attributes therefore keeps its attribute list, as one placeholder (minify-html sees
//!   `<a ⟨7⟩>`), tidied here: static values lose quotes they do not need, and a value that is
//!   one `{{ … }}` is quoted as it is rendered, only if it needs quotes ([`attribute_value`]).
//! - A template that does not begin a document (a child template, a partial) does not know
//!   what will surround its text, so it is minified inside a neutral wrapper element, as inline
//!   content: whitespace is collapsed to one space but never dropped, and a sentinel at its end
//!   keeps its last element's closing tag.
//! - Text that lands where minifying would change its meaning is left as written: a child
//!   template's block whose parent puts it in an attribute, in `<script>`, `<style>`,
//!   `<title>`, `<textarea>`, `<pre>`, `<code>`, `<svg>` or `<math>`; every macro (it can be
//!   called anywhere); every `{% filter %}` section (a filter such as `truncate` sees the text).
//!
//! To minify-html a placeholder is text, so it keeps the spaces and end tags next to one:
//! `</li>\n{% endfor %}</ul>`. Following Tera's flow through `if` and `for` tells which of them
//! every rendered page drops anyway (see [`idle`]); those go before minifying.
//!
//! Then every template is checked: each element is opened and closed in the same branch of
//! `if` and `for`, so that minify-html sees the elements each text is in on every page; each
//! placeholder is still there, once, in order, in the same kind of place (text, attribute
//! list, script, title); minify-html dropped no tag; no entity or `<` was decoded right before
//! a placeholder, where the rendered value could extend it; and whitespace control (`{%-`)
//! trims the same text as before. If any template fails, no template is pre-minified and every
//! page is minified after rendering, as before: slower, never wrong. There is no warning: it
//! is not the site author's mistake.
//!
//! Values printed with `| safe` and the page's body are assumed to be whole elements (as
//! Markdown gives): HTML that closes an element the template opened would change the nesting
//! the template was minified in.

use std::collections::BTreeSet;

/// Starts a placeholder.
const OPEN: char = '\u{E000}';
/// Ends a placeholder.
const CLOSE: char = '\u{E001}';
/// The element around a template that is not a whole document, so that minify-html treats its
/// text as inline content (no trimming, no dropping of whitespace) rather than a document's.
const WRAPPER: &str = "senda-premin";
/// The name [`attribute_value`] is registered under.
pub(crate) const ATTRIBUTE_VALUE: &str = "senda_attribute_value";

/// A Tera filter for an attribute's rendered value (escaped already): the value with the
/// quotes it needs, none if it holds no space, quote, `=`, `<`, `>` or backtick, as
/// minify-html writes it. The template is minified before values are known, so this is the
/// part of minifying that happens as each page is rendered.
pub(crate) fn attribute_value(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    let bare = !text.is_empty()
        && !text.contains(|c: char| c.is_ascii_whitespace() || "\"'=<>`".contains(c));
    Ok(tera::Value::String(if bare {
        text.to_string()
    } else {
        format!("\"{text}\"")
    }))
}

/// Minifies each template `(name, source)` of a theme. `None` when any of them cannot be
/// minified safely; the caller then minifies each page instead.
pub(crate) fn minify_templates(templates: &[(String, String)]) -> Option<Vec<(String, String)>> {
    if templates.iter().any(|(_, src)| src.contains([OPEN, CLOSE])) {
        return None;
    }
    let lexed = templates
        .iter()
        .map(|(_, src)| lex(src))
        .collect::<Option<Vec<_>>>()?;
    let places = templates
        .iter()
        .zip(&lexed)
        .map(|((_, src), constructs)| sensitive_places(src, constructs))
        .collect::<Option<Vec<_>>>()?;
    let verbatim = verbatim_blocks(&lexed, &places)?;
    templates
        .iter()
        .zip(lexed.iter().zip(&places))
        .map(|((name, src), (constructs, sensitive))| {
            let minified = minify_template(src, constructs, sensitive, &verbatim)?;
            Some((name.clone(), minified))
        })
        .collect()
}

/// One Tera construct: its bytes in the source and what it is.
#[derive(Debug)]
struct Construct {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug, PartialEq)]
enum Kind {
    /// `{{ … }}`
    Print,
    /// `{{ super() }}`: the parent template's block.
    Super,
    /// `{# … #}`
    Comment,
    /// `{% raw %}…{% endraw %}`, as one construct.
    Raw,
    /// `{% keyword … %}` and the word after the keyword (a block's name).
    Tag { keyword: String, name: String },
}

impl Construct {
    fn keyword(&self) -> &str {
        match &self.kind {
            Kind::Tag { keyword, .. } => keyword,
            _ => "",
        }
    }

    fn name(&self) -> &str {
        match &self.kind {
            Kind::Tag { name, .. } => name,
            _ => "",
        }
    }

    /// `{{-`, `{%-`, `{#-`: Tera trims the whitespace before.
    fn trims_before(&self, src: &str) -> bool {
        src.as_bytes().get(self.start + 2) == Some(&b'-')
    }

    /// `-}}`, `-%}`, `-#}`: Tera trims the whitespace after.
    fn trims_after(&self, src: &str) -> bool {
        self.end >= 3 && src.as_bytes().get(self.end - 3) == Some(&b'-')
    }
}

/// Finds every construct, as Tera's grammar does: `{{`, `{%` or `{#` starts one; strings
/// (`"…"`, `'…'`, `` `…` ``) inside `{{ }}` and `{% %}` may hold `}}` or `%}`. `None` when a
/// construct is not closed (Tera reports that when it compiles the template).
fn lex(src: &str) -> Option<Vec<Construct>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(at) = find_construct(b, i) {
        let (end, kind) = if b[at + 1] == b'#' {
            (find(b, at + 2, b"#}")? + 2, Kind::Comment)
        } else {
            let close: &[u8] = if b[at + 1] == b'{' { b"}}" } else { b"%}" };
            let end = construct_end(b, at + 2, close)?;
            let inner = src[at + 2..end - 2].trim_matches('-').trim();
            if b[at + 1] == b'{' {
                let kind = if inner == "super()" {
                    Kind::Super
                } else {
                    Kind::Print
                };
                (end, kind)
            } else {
                let keyword = word(inner);
                if keyword == "raw" {
                    (endraw(b, end)?, Kind::Raw)
                } else {
                    let name = word(inner[keyword.len()..].trim_start());
                    let kind = Kind::Tag {
                        keyword: keyword.to_string(),
                        name: name.to_string(),
                    };
                    (end, kind)
                }
            }
        };
        out.push(Construct {
            start: at,
            end,
            kind,
        });
        i = end;
    }
    Some(out)
}

/// Where the next `{{`, `{%` or `{#` is.
fn find_construct(b: &[u8], from: usize) -> Option<usize> {
    (from..b.len().saturating_sub(1))
        .find(|&i| b[i] == b'{' && matches!(b[i + 1], b'{' | b'%' | b'#'))
}

/// The end of a `{{ }}` or `{% %}` whose text starts at `from`, past its closing `close`.
fn construct_end(b: &[u8], from: usize, close: &[u8]) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => i = b[i + 1..].iter().position(|&c| c == q)? + i + 2,
            _ if b[i..].starts_with(close) => return Some(i + close.len()),
            _ => i += 1,
        }
    }
    None
}

/// The end of the `{% endraw %}` (with any whitespace control) after a `{% raw %}`.
fn endraw(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let at = find(b, i, b"{%")?;
        let mut j = at + 2;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        j = skip_whitespace(b, j);
        if b[j..].starts_with(b"endraw") {
            j = skip_whitespace(b, j + "endraw".len());
            if b.get(j) == Some(&b'-') {
                j += 1;
            }
            if b[j..].starts_with(b"%}") {
                return Some(j + 2);
            }
        }
        i = at + 2;
    }
}

/// The identifier at the start of `s`.
fn word(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// For each construct of a template, whether it sits where minifying would change what text
/// means: in a tag's attribute list, in `<script>`, `<style>`, `<title>` or `<textarea>`, or
/// inside `<pre>`, `<code>`, `<svg>` or `<math>`. `None` when a construct is where minify-html
/// would drop it (in an HTML comment, a tag's name, an end tag) or the template leaves one of
/// those elements open.
fn sensitive_places(src: &str, constructs: &[Construct]) -> Option<Vec<bool>> {
    let mut text = String::with_capacity(src.len());
    let mut last = 0;
    for (i, c) in constructs.iter().enumerate() {
        text.push_str(&src[last..c.start]);
        push_placeholder(&mut text, i);
        last = c.end;
    }
    text.push_str(&src[last..]);
    let scan = scan(&text);
    if scan.bad {
        return None;
    }
    let mut sensitive = vec![false; constructs.len()];
    for mark in &scan.marks {
        sensitive[mark.slot] = mark.sensitive;
    }
    Some(sensitive)
}

/// Names of the blocks that child templates must keep as written: blocks that some template puts
/// in a sensitive place (see [`sensitive_places`]), and blocks inside those. `None` when an
/// `{% include %}` or `{{ super() }}` would bring minified text into such a place.
fn verbatim_blocks(lexed: &[Vec<Construct>], places: &[Vec<bool>]) -> Option<BTreeSet<String>> {
    let mut names = BTreeSet::new();
    for (constructs, sensitive) in lexed.iter().zip(places) {
        for (c, &s) in constructs.iter().zip(sensitive) {
            if s && c.keyword() == "block" {
                names.insert(c.name().to_string());
            }
        }
    }
    loop {
        let before = names.len();
        for constructs in lexed {
            let mut open: Vec<&str> = Vec::new();
            for c in constructs {
                match c.keyword() {
                    "block" => {
                        if open.iter().any(|n| names.contains(*n)) {
                            names.insert(c.name().to_string());
                        }
                        open.push(c.name());
                    }
                    "endblock" => {
                        open.pop();
                    }
                    _ => {}
                }
            }
        }
        if names.len() == before {
            break;
        }
    }
    for (constructs, sensitive) in lexed.iter().zip(places) {
        // Blocks, macros and filter sections around the current construct.
        let mut open: Vec<&Construct> = Vec::new();
        for (c, &s) in constructs.iter().zip(sensitive) {
            let kept = open
                .iter()
                .any(|o| matches!(o.keyword(), "macro" | "filter") || names.contains(o.name()));
            match c.keyword() {
                "block" | "macro" | "filter" => open.push(c),
                "endblock" | "endmacro" | "endfilter" => {
                    open.pop();
                }
                // The included template is minified as inline content.
                "include" if s || kept => return None,
                _ => {}
            }
            // The parent's block was minified where the parent puts it.
            if c.kind == Kind::Super && s {
                return None;
            }
        }
    }
    Some(names)
}

/// What a placeholder stands for.
#[derive(Default)]
struct Slot {
    /// The template text it replaces.
    text: String,
    /// A start tag's whole attribute list: minify-html puts a space before it.
    attributes: bool,
    /// Tera trims the whitespace before it (`{%-`).
    trims_before: bool,
    /// Tera trims the whitespace after it (`-%}`).
    trims_after: bool,
    /// What it renders where it stands.
    role: Role,
    /// A `{{ … }}` value.
    value: bool,
}

/// What a placeholder's construct renders where it stands, for following Tera's flow.
#[derive(Debug, Default, PartialEq)]
enum Role {
    /// Text that cannot be known here: a value, an include, a whole attribute list, a block
    /// kept as written.
    #[default]
    Unknown,
    /// Nothing: a comment, `set`, `import`, `extends`, a macro's definition.
    Nothing,
    /// `if`, `elif`, `else`, `endif`, `for`, `endfor`, `block`, `endblock`: nothing, but they
    /// choose what comes next.
    Flow(String),
}

impl Role {
    fn of(c: &Construct, whole: bool) -> Role {
        match (&c.kind, c.keyword()) {
            (Kind::Comment, _) => Role::Nothing,
            (_, "macro" | "set" | "set_global" | "import" | "extends") => Role::Nothing,
            (_, "block") if whole => Role::Unknown,
            (
                _,
                k @ ("if" | "elif" | "else" | "endif" | "for" | "endfor" | "block" | "endblock"),
            ) => Role::Flow(k.to_string()),
            _ => Role::Unknown,
        }
    }
}

/// Minifies one template (see the module documentation); `None` when it cannot be done safely.
fn minify_template(
    src: &str,
    constructs: &[Construct],
    sensitive: &[bool],
    verbatim: &BTreeSet<String>,
) -> Option<String> {
    let mut slots: Vec<Slot> = Vec::new();
    let mut text = String::with_capacity(src.len() + 64);
    let mut last = 0;
    let mut i = 0;
    while i < constructs.len() {
        let c = &constructs[i];
        let whole = matches!(c.keyword(), "macro" | "filter")
            || (c.keyword() == "block" && verbatim.contains(c.name()) && !sensitive[i]);
        let closing = if whole { partner(constructs, i)? } else { i };
        if whole && !balanced(src, &constructs[i..=closing]) {
            return None;
        }
        if c.kind == Kind::Raw && src[c.start..c.end].contains('<') {
            // HTML in a raw block would be invisible to minify-html.
            return None;
        }
        text.push_str(&src[last..c.start]);
        push_placeholder(&mut text, slots.len());
        last = constructs[closing].end;
        slots.push(Slot {
            text: src[c.start..last].to_string(),
            trims_before: c.trims_before(src),
            trims_after: constructs[closing].trims_after(src),
            role: Role::of(c, whole),
            value: c.kind == Kind::Print,
            ..Slot::default()
        });
        i = closing + 1;
    }
    text.push_str(&src[last..]);

    let document = !constructs.iter().any(|c| c.keyword() == "extends") && starts_document(&text);
    let sentinel = slots.len();
    if !document {
        slots.push(Slot::default());
        text.insert_str(0, &format!("<{WRAPPER}>"));
        push_placeholder(&mut text, sentinel);
        text.push_str(&format!("</{WRAPPER}>"));
    }

    let text = opaque_attributes(&text, &mut slots)?;
    let text = without_idle(&text, &slots, document)?;
    let expected = scan(&text);
    if expected.bad
        || expected.marks.len() != text.matches(OPEN).count()
        || !trim_neighbours_plain(&text, &expected, &slots)
    {
        return None;
    }

    // With every closing tag kept, minify-html's tags must be the template's: it dropped none.
    let kept = String::from_utf8(minify_html::minify(text.as_bytes(), &cfg(true))).ok()?;
    if tags(&scan(&kept), document) != tags(&expected, document) {
        return None;
    }
    let out = String::from_utf8(minify_html::minify(text.as_bytes(), &cfg(false))).ok()?;
    let found = scan(&out);
    if found.bad
        || found.marks.len() != expected.marks.len()
        || out.matches(OPEN).count() != found.marks.len()
    {
        return None;
    }
    for (e, f) in expected.marks.iter().zip(&found.marks) {
        if e.slot != f.slot || e.place != f.place {
            return None;
        }
        if matches!(e.place, Place::Text | Place::Rcdata) {
            let tail = risky_tail(&out[..f.at]);
            if !tail.is_empty() && tail != risky_tail(&text[..e.at]) {
                return None;
            }
            let decoded = out[f.end..]
                .bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'#' || c == b';');
            if text[e.end..].starts_with('&') && decoded {
                return None;
            }
        }
    }
    restore(&out, &found, &slots, (!document).then_some(sentinel))
}

/// The text without what minifying each rendered page would drop but minify-html cannot drop
/// from the template, because constructs stand next to it (see [`idle`]). `None` if the text
/// does not scan, or if its elements are not [`fixed`].
fn without_idle(text: &str, slots: &[Slot], document: bool) -> Option<String> {
    let scan = scan(text);
    let flow = Flow::new(&scan.items, slots)?;
    if scan.bad || !fixed(&scan, &flow) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in idle(&scan, &flow, document) {
        out.push_str(&text[last..start]);
        last = end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// Whether each element is opened and closed in the same branch of Tera's flow (or, with no
/// end tag in this template, opened outside every branch), so that the elements minify-html
/// sees around a piece of text are the ones around it on every page. In
/// `{% if wrap %}<div>{% endif %}<b>a</b> <b>b</b>{% if wrap %}</div>{% endif %}`, minify-html
/// would drop the space as it does between tags in a `<div>`, but without `wrap` the space is
/// between words.
fn fixed(scan: &Scan, flow: &Flow<'_>) -> bool {
    scan.items
        .iter()
        .enumerate()
        .all(|(i, item)| match &item.kind {
            Piece::Start { leaf: true, .. } => true,
            Piece::Start { end: Some(e), .. } => flow.region[i] == flow.region[*e],
            Piece::Start { end: None, .. } | Piece::End { start: None, .. } => flow.region[i] == 0,
            _ => true,
        })
}

/// Byte ranges of a template's text that minifying the rendered page would drop:
///
/// - whitespace in an element whose whitespace minify-html drops between tags (`<ul>`,
///   `<head>`, `<div>`...), when whatever Tera can render on both sides of it is a tag. To
///   minify-html, `</li>\n{% endfor %}` is text; Tera renders `</li>\n<li>` or `</li>\n</ul>`.
/// - an end tag that HTML lets go (`</li>`, `</p>`, `</tr>`...) when whatever Tera can render
///   after it allows that: `<li>` or `</ul>` after `</li>`.
///
/// "Whatever Tera can render" follows `if`/`elif`/`else` and `for` loops both ways; any other
/// construct (a value, a block, an include) could render anything, so it keeps what is next to
/// it. The element must be opened and closed in this template.
fn idle(scan: &Scan, flow: &Flow<'_>, document: bool) -> Vec<(usize, usize)> {
    use minify_html_common::spec::tag::ns::Namespace;
    use minify_html_common::spec::tag::omission::{can_omit_as_before, can_omit_as_last_node};
    use minify_html_common::spec::tag::whitespace::get_whitespace_minification_for_tag;

    let items = &scan.items;
    let name = |i: usize| match &items[i].kind {
        Piece::Start { name, .. } | Piece::End { name, .. } => name.as_str(),
        _ => "",
    };
    // Opened and closed here (in one branch: see `fixed`), so its content is rendered
    // between its own tags.
    let whole = |p: usize| matches!(items[p].kind, Piece::Start { end: Some(_), .. });
    let drops_spaces = |parent: Option<usize>| match parent {
        None => document,
        Some(p) => {
            whole(p)
                && get_whitespace_minification_for_tag(Namespace::Html, name(p).as_bytes(), false)
                    .destroy_whole
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.sensitive {
            continue;
        }
        match &item.kind {
            Piece::Space
                if drops_spaces(item.parent)
                    && flow.tags_around(i, true, true).is_some()
                    && flow.tags_around(i, false, true).is_some() =>
            {
                out.push((item.start, item.end));
            }
            Piece::End {
                name: element,
                start: Some(_),
            } => {
                let Some(parent) = item.parent.filter(|&p| whole(p)) else {
                    continue;
                };
                let Some(next) = flow.tags_around(i, true, drops_spaces(Some(parent))) else {
                    continue;
                };
                let element = element.as_bytes();
                let omissible = !next.is_empty()
                    && next.iter().all(|&n| match (n, n.map(|n| &items[n].kind)) {
                        (Some(_), Some(Piece::Start { name, .. })) => {
                            can_omit_as_before(element, name.as_bytes())
                        }
                        (Some(n), Some(Piece::End { .. })) => {
                            matches!(items[parent].kind, Piece::Start { end: Some(e), .. } if e == n)
                                && can_omit_as_last_node(name(parent).as_bytes(), element)
                        }
                        _ => false,
                    });
                if omissible {
                    out.push((item.start, item.end));
                }
            }
            _ => {}
        }
    }
    out
}

/// Where Tera's rendering can go from each item of a template: the items in order, with the
/// jumps of `if` and `for`.
struct Flow<'s> {
    items: &'s [Item],
    slots: &'s [Slot],
    /// For each node, the nodes that can be rendered next. Nodes: each item, then the end of
    /// the text, then for each item that is an `elif`, its test (reached from the test before
    /// it, not from the end of the branch before it).
    next: Vec<Vec<usize>>,
    prev: Vec<Vec<usize>>,
    /// For each item, the branch it is in: items in the same branch are rendered together.
    region: Vec<usize>,
}

impl<'s> Flow<'s> {
    /// `None` when the flow constructs are not nested as Tera nests them.
    fn new(items: &'s [Item], slots: &'s [Slot]) -> Option<Flow<'s>> {
        let n = items.len();
        let keyword = |i: usize| match &items[i].kind {
            Piece::Slot(s) => match slots.get(*s).map(|s| &s.role) {
                Some(Role::Flow(k)) => k.as_str(),
                _ => "",
            },
            _ => "",
        };
        // Each `if`, `for` and `block` with its other constructs, in order.
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of = vec![usize::MAX; n];
        let mut open: Vec<Vec<usize>> = Vec::new();
        let mut regions = vec![0];
        let mut count = 0;
        let mut region = Vec::with_capacity(n);
        for i in 0..n {
            match keyword(i) {
                "if" | "for" | "block" => {
                    open.push(vec![i]);
                    count += 1;
                    regions.push(count);
                }
                k @ ("elif" | "else") => {
                    let group = open.last_mut()?;
                    let head = keyword(group[0]);
                    let fits = match head {
                        "if" => !group.iter().any(|&m| keyword(m) == "else"),
                        "for" => k == "else" && group.len() == 1,
                        _ => false,
                    };
                    if !fits {
                        return None;
                    }
                    group.push(i);
                    count += 1;
                    *regions.last_mut()? = count;
                }
                k @ ("endif" | "endfor" | "endblock") => {
                    let mut group = open.pop()?;
                    if k[3..] != *keyword(group[0]) {
                        return None;
                    }
                    group.push(i);
                    for &m in &group {
                        group_of[m] = groups.len();
                    }
                    groups.push(group);
                    regions.pop();
                }
                _ => {}
            }
            region.push(*regions.last()?);
        }
        if !open.is_empty() {
            return None;
        }
        let mut next = vec![Vec::new(); 2 * n + 1];
        // Where a failed test goes: the next `elif`'s test, the `else` branch, or past `endif`.
        let test = |m: usize| match keyword(m) {
            "elif" => n + 1 + m,
            "else" => m + 1,
            _ => m,
        };
        for i in 0..n {
            let group = groups.get(group_of[i]).map_or(&[][..], Vec::as_slice);
            let last = group.last().copied().unwrap_or(i);
            let for_else = group.len() == 3;
            next[i] = match keyword(i) {
                "if" => vec![i + 1, test(group[1])],
                "elif" => {
                    let at = group.iter().position(|&m| m == i).unwrap_or(0);
                    next[n + 1 + i] = vec![i + 1, test(group[at + 1])];
                    vec![last]
                }
                "else" if keyword(group[0]) == "if" => vec![last],
                "for" if for_else => vec![i + 1, group[1] + 1],
                "for" => vec![i + 1, last + 1],
                // The end of an iteration: the next one, or out of the loop.
                "else" => vec![group[0] + 1, last + 1],
                "endfor" if !for_else => vec![group[0] + 1, i + 1],
                _ => vec![i + 1],
            };
        }
        let mut prev = vec![Vec::new(); next.len()];
        for (from, to) in next.iter().enumerate() {
            for &t in to {
                prev[t].push(from);
            }
        }
        Some(Flow {
            items,
            slots,
            next,
            prev,
            region,
        })
    }

    /// The tags Tera can render right after (or before) item `from`, past whitespace
    /// (`through_spaces`) and constructs that render nothing; `None` marks the start or end of
    /// the text. `None` overall when it can render text there.
    fn tags_around(
        &self,
        from: usize,
        forward: bool,
        through_spaces: bool,
    ) -> Option<Vec<Option<usize>>> {
        let n = self.items.len();
        let edges = |v: usize| {
            if forward {
                &self.next[v]
            } else {
                &self.prev[v]
            }
        };
        let mut seen = vec![false; self.next.len()];
        let mut todo = edges(from).clone();
        let mut found = Vec::new();
        if todo.is_empty() {
            found.push(None);
        }
        while let Some(v) = todo.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            if v == n {
                found.push(None);
                continue;
            }
            let passes = v > n
                || match &self.items[v].kind {
                    Piece::Start { .. } | Piece::End { .. } | Piece::Other => {
                        found.push(Some(v));
                        continue;
                    }
                    Piece::Text => false,
                    Piece::Space => through_spaces,
                    Piece::Slot(s) => match self.slots.get(*s).map(|s| &s.role) {
                        Some(Role::Nothing) => true,
                        Some(Role::Flow(k)) => !matches!(k.as_str(), "block" | "endblock"),
                        _ => false,
                    },
                };
            if !passes {
                return None;
            }
            if edges(v).is_empty() {
                found.push(None);
            }
            todo.extend(edges(v));
        }
        Some(found)
    }
}

/// Whether the text from the first to the last of `constructs` closes every element it opens
/// and no other: a macro or block kept as written must not change which elements the text
/// around it, minified, is in.
fn balanced(src: &str, constructs: &[Construct]) -> bool {
    let (Some(first), Some(last)) = (constructs.first(), constructs.last()) else {
        return true;
    };
    let mut text = String::with_capacity(last.end - first.start);
    let mut from = first.start;
    for c in constructs {
        text.push_str(&src[from..c.start]);
        push_placeholder(&mut text, 0);
        from = c.end;
    }
    let scan = scan(&text);
    !scan.bad
        && scan.items.iter().all(|item| {
            !matches!(
                item.kind,
                Piece::Start {
                    end: None,
                    leaf: false,
                    ..
                } | Piece::End { start: None, .. }
            )
        })
}

/// The construct that closes the `{% block %}`, `{% macro %}` or `{% filter %}` at `open`.
fn partner(constructs: &[Construct], open: usize) -> Option<usize> {
    let keyword = constructs[open].keyword();
    let end = format!("end{keyword}");
    let mut depth = 0;
    for (i, c) in constructs.iter().enumerate().skip(open + 1) {
        if c.keyword() == keyword {
            depth += 1;
        } else if c.keyword() == end {
            if depth == 0 {
                return Some(i);
            }
            depth -= 1;
        }
    }
    None
}

/// Whether the template is a whole document: after whitespace and constructs, it starts with
/// `<!DOCTYPE` or `<html`. Its outermost level is then the page's, where minify-html may trim.
fn starts_document(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    loop {
        i = skip_whitespace(b, i);
        match placeholder_at(b, i) {
            Some((_, len)) => i += len,
            None => break,
        }
    }
    let rest = &b[i..];
    starts_with_ignore_case(rest, b"<!doctype")
        || (starts_with_ignore_case(rest, b"<html")
            && rest.get(5).is_none_or(|&c| !is_tag_name_char(c)))
}

/// Replaces each attribute list that holds a placeholder with one placeholder standing for the
/// whole list, spaces tidied. `None` if the text does not scan.
fn opaque_attributes(text: &str, slots: &mut Vec<Slot>) -> Option<String> {
    let scan = scan(text);
    if scan.bad {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for &(start, end) in &scan.attribute_lists {
        out.push_str(&text[last..start]);
        let list = tidy_attributes(&text[start..end], text[end..].starts_with('>'), slots);
        let mut restored = String::with_capacity(list.len() + 64);
        let mut from = 0;
        for (slot, at, len) in placeholders(&list) {
            restored.push_str(&list[from..at]);
            restored.push_str(&slots.get(slot)?.text);
            from = at + len;
        }
        restored.push_str(&list[from..]);
        out.push(' ');
        push_placeholder(&mut out, slots.len());
        slots.push(Slot {
            text: restored,
            attributes: true,
            ..Slot::default()
        });
        last = end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// An attribute list with one space between attributes and none around `=`, and values quoted
/// only as much as minify-html would quote them, when a space or the tag's end (`closes`: a `>`
/// right after the list) follows the value: a value that holds no construct loses quotes it
/// does not need; a value that is one `{{ … }}` goes through [`attribute_value`], which quotes
/// it when rendered, if it needs it. Other values keep their quotes.
fn tidy_attributes(list: &str, closes: bool, slots: &[Slot]) -> String {
    let b = list.as_bytes();
    let mut out = String::with_capacity(list.len());
    let mut j = 0;
    while j < b.len() {
        let start = j;
        while j < b.len() && (is_whitespace(b[j]) || b[j] == b'/') {
            j += 1;
        }
        if j > start {
            let separator = &list[start..j];
            if separator.contains('/') {
                out.push_str(separator);
            } else {
                out.push(' ');
            }
        }
        if j >= b.len() {
            break;
        }
        let start = j;
        j += 1;
        while j < b.len() && !(is_whitespace(b[j]) || matches!(b[j], b'/' | b'=' | b'>')) {
            j += 1;
        }
        out.push_str(&list[start..j]);
        let k = skip_whitespace(b, j);
        if b.get(k) != Some(&b'=') {
            continue;
        }
        out.push('=');
        j = skip_whitespace(b, k + 1);
        let start = j;
        if let Some(&q @ (b'"' | b'\'')) = b.get(j) {
            let Some(len) = b[j + 1..].iter().position(|&c| c == q) else {
                out.push_str(&list[start..]);
                break;
            };
            let value = &list[j + 1..j + 1 + len];
            j += len + 2;
            let followed = separated(list, j, closes, slots);
            let plain = !value.is_empty()
                && !value.contains(|c: char| {
                    c.is_ascii_whitespace() || "\"'=<>`&".contains(c) || c == OPEN
                });
            if plain && followed {
                out.push_str(value);
                continue;
            }
            let one_value = placeholder_at(value.as_bytes(), 0).is_some_and(|(slot, len)| {
                len == value.len() && slots.get(slot).is_some_and(|s| s.value)
            });
            if one_value && followed {
                out.push_str(&format!(
                    "{{% filter {ATTRIBUTE_VALUE} %}}{value}{{% endfilter %}}"
                ));
                continue;
            }
        } else {
            while j < b.len() && !(is_whitespace(b[j]) || b[j] == b'>') {
                j += 1;
            }
        }
        out.push_str(&list[start..j]);
    }
    out
}

/// Whether what Tera renders from byte `at` of an attribute list on is sure to start with a
/// space, or to be the end of the tag (when `closes`), so that a value before it needs no
/// quotes to end. Follows `if`, `elif`, `else` and `endif`; any other construct could render
/// anything.
fn separated(list: &str, at: usize, closes: bool, slots: &[Slot]) -> bool {
    let b = list.as_bytes();
    let Some(&c) = b.get(at) else {
        return closes;
    };
    if is_whitespace(c) {
        return true;
    }
    let Some((slot, len)) = placeholder_at(b, at) else {
        return false;
    };
    let after = at + len;
    let Some((starts, end, otherwise)) = (match slots.get(slot).map(|s| &s.role) {
        Some(Role::Nothing) => return separated(list, after, closes, slots),
        Some(Role::Flow(k)) => match k.as_str() {
            "endif" => return separated(list, after, closes, slots),
            "if" => branches(list, after, slots),
            // The end of a branch: Tera goes on after `endif`.
            "elif" | "else" => {
                return branches(list, after, slots)
                    .is_some_and(|(_, end, _)| separated(list, end, closes, slots));
            }
            _ => return false,
        },
        _ => return false,
    }) else {
        return false;
    };
    starts.iter().all(|&s| separated(list, s, closes, slots))
        && (otherwise || separated(list, end, closes, slots))
}

/// The `elif`s, `else` and `endif` of the `if` whose body starts at byte `from` of `text`:
/// where each branch starts, where `endif` ends, and whether there is an `else`.
fn branches(text: &str, from: usize, slots: &[Slot]) -> Option<(Vec<usize>, usize, bool)> {
    let mut starts = vec![from];
    let mut otherwise = false;
    let mut depth = 0;
    for (slot, at, len) in placeholders(&text[from..]) {
        let keyword = match slots.get(slot).map(|s| &s.role) {
            Some(Role::Flow(k)) => k.as_str(),
            _ => continue,
        };
        match (keyword, depth) {
            ("if", _) => depth += 1,
            ("endif", 0) => return Some((starts, from + at + len, otherwise)),
            ("endif", _) => depth -= 1,
            ("elif" | "else", 0) => {
                otherwise |= keyword == "else";
                starts.push(from + at + len);
            }
            _ => {}
        }
    }
    None
}

/// The same settings as `templates::minify`, except that CSS is not minified: Tera code in a
/// `<style>` is not CSS. `keep_closing_tags` is for checking that no tag was dropped.
fn cfg(keep_closing_tags: bool) -> minify_html::Cfg {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = keep_closing_tags;
    cfg
}

/// A scan's tags without the wrapper's.
fn tags(scan: &Scan, document: bool) -> Vec<&str> {
    let wrapper_end = format!("/{WRAPPER}");
    scan.tags
        .iter()
        .map(String::as_str)
        .filter(|t| document || (*t != WRAPPER && *t != wrapper_end))
        .collect()
}

/// Text right before a placeholder that its rendered value could complete into something else:
/// an `&` (with letters, digits or `#`), which the value could make an entity, or a `<`, which
/// it could make a tag.
fn risky_tail(before: &str) -> &str {
    let b = before.as_bytes();
    let mut k = b.len();
    while k > 0 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'#') {
        k -= 1;
    }
    if k > 0 && b[k - 1] == b'&' {
        return &before[k - 1..];
    }
    let mut k = b.len();
    while k > 0 && is_tag_name_char(b[k - 1]) {
        k -= 1;
    }
    if k > 0 && matches!(b[k - 1], b'/' | b'!' | b'?') {
        k -= 1;
    }
    if k > 0 && b[k - 1] == b'<' {
        return &before[k - 1..];
    }
    ""
}

/// Whether the text next to every whitespace-trimming construct (`{%-`, `-%}`) is free of
/// entities: minifying turns `&#32;` into a space, which Tera would then trim away.
fn trim_neighbours_plain(text: &str, scan: &Scan, slots: &[Slot]) -> bool {
    let b = text.as_bytes();
    scan.marks.iter().all(|m| {
        let Some(slot) = slots.get(m.slot) else {
            return false;
        };
        let before = !slot.trims_before || {
            let start = b[..m.at]
                .iter()
                .rposition(|&c| c == b'>' || c == b'<')
                .unwrap_or(0);
            !text[start..m.at].contains('&')
        };
        let after = !slot.trims_after || {
            let end = b[m.end..]
                .iter()
                .position(|&c| c == b'<' || c == b'>')
                .map_or(b.len(), |p| m.end + p);
            !text[m.end..end].contains('&')
        };
        before && after
    })
}

/// The template again: the minified text with every construct back in its placeholder's place,
/// without the wrapper and the sentinel (slot `sentinel`).
fn restore(out: &str, scan: &Scan, slots: &[Slot], sentinel: Option<usize>) -> Option<String> {
    let (mut from, end) = match sentinel {
        Some(s) => {
            let prefix = format!("<{WRAPPER}>");
            let last = scan.marks.last()?;
            let rest = &out[last.end..];
            if !out.starts_with(&prefix)
                || last.slot != s
                || !(rest.is_empty() || rest == format!("</{WRAPPER}>"))
            {
                return None;
            }
            (prefix.len(), last.at)
        }
        None => (0, out.len()),
    };
    let mut result = String::with_capacity(out.len() + 1024);
    for mark in scan.marks.iter().filter(|m| m.at < end) {
        let slot = slots.get(mark.slot)?;
        result.push_str(&out[from..mark.at]);
        if slot.attributes && result.pop() != Some(' ') {
            return None;
        }
        result.push_str(&slot.text);
        from = mark.end;
    }
    result.push_str(&out[from..end]);
    Some(result)
}

fn push_placeholder(text: &mut String, slot: usize) {
    text.push(OPEN);
    text.push_str(&slot.to_string());
    text.push(CLOSE);
}

/// The placeholder at byte `i`: its slot and length.
fn placeholder_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let open = OPEN.len_utf8();
    let mut open_buf = [0; 4];
    if !b[i.min(b.len())..].starts_with(OPEN.encode_utf8(&mut open_buf).as_bytes()) {
        return None;
    }
    let digits = b[i + open..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let mut close_buf = [0; 4];
    let close = CLOSE.encode_utf8(&mut close_buf).as_bytes();
    if digits == 0 || !b[i + open + digits..].starts_with(close) {
        return None;
    }
    let slot = std::str::from_utf8(&b[i + open..i + open + digits])
        .ok()?
        .parse()
        .ok()?;
    Some((slot, open + digits + close.len()))
}

/// Every placeholder in `text`: slot, byte offset, length.
fn placeholders(text: &str) -> Vec<(usize, usize, usize)> {
    let b = text.as_bytes();
    text.match_indices(OPEN)
        .filter_map(|(at, _)| placeholder_at(b, at).map(|(slot, len)| (slot, at, len)))
        .collect()
}

/// The kind of place a placeholder is in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    /// Text between tags.
    Text,
    /// A start tag's attribute list.
    Attributes,
    /// The content of `<script>` or `<style>`, which minify-html leaves alone.
    Raw,
    /// The text of `<title>` or `<textarea>`: entities are decoded, tags are not.
    Rcdata,
}

/// A placeholder found by [`scan`].
#[derive(Debug)]
struct Mark {
    slot: usize,
    at: usize,
    end: usize,
    place: Place,
    /// In an attribute list, `<script>`, `<style>`, `<title>`, `<textarea>`, `<pre>`,
    /// `<code>`, `<svg>` or `<math>`.
    sensitive: bool,
}

/// A piece of a template's text, in order: what [`idle`] follows Tera's flow through.
#[derive(Debug)]
struct Item {
    kind: Piece,
    start: usize,
    end: usize,
    /// The start tag of the element the item is in, as this template's own tags nest.
    parent: Option<usize>,
    /// In an element of [`Mark::sensitive`].
    sensitive: bool,
}

#[derive(Debug, PartialEq)]
enum Piece {
    /// A start tag, and its end tag if this template has one. A `leaf` has no content: a
    /// void element (`<br>`) or a self-closed one in SVG or MathML.
    Start {
        name: String,
        end: Option<usize>,
        leaf: bool,
    },
    /// An end tag, and its start tag if this template has one.
    End { name: String, start: Option<usize> },
    /// A comment, doctype or processing instruction: minify-html drops or keeps it whole.
    Other,
    /// Whitespace between tags and placeholders.
    Space,
    /// Other text, and the content of `<script>`, `<style>`, `<title>` and `<textarea>`.
    Text,
    /// A placeholder in text.
    Slot(usize),
}

/// What [`scan`] finds in a template's text or minify-html's output.
#[derive(Debug, Default)]
struct Scan {
    /// Start and end tags, in order, lowercase: `a`, `/a`.
    tags: Vec<String>,
    marks: Vec<Mark>,
    items: Vec<Item>,
    /// Attribute lists that hold a placeholder: from just after the tag's name to the `/` or
    /// `>` that ends the tag.
    attribute_lists: Vec<(usize, usize)>,
    /// A placeholder where minify-html would drop it (comment, doctype, end tag), or an element
    /// of [`Mark::sensitive`] left open or closed without being opened.
    bad: bool,
    /// The start tags of the elements open at this point.
    open: Vec<usize>,
    /// How deep in each of [`SENSITIVE`].
    depth: [usize; SENSITIVE.len()],
}

/// Elements whose whole content is sensitive (see [`Mark::sensitive`]).
const SENSITIVE: [&str; 4] = ["pre", "code", "svg", "math"];

/// Reads HTML the way minify-html 0.18 parses it (the same rules for tags, attributes,
/// comments, raw text), and notes where each placeholder is.
fn scan(text: &str) -> Scan {
    let b = text.as_bytes();
    let mut s = Scan::default();
    let mut i = 0;
    while i < b.len() {
        if let Some((slot, len)) = placeholder_at(b, i) {
            let sensitive = s.in_sensitive();
            s.mark(slot, i, len, Place::Text, sensitive);
            s.item(Piece::Slot(slot), i, i + len);
            i += len;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<") && rest.len() > 1 && is_tag_name_char(rest[1]) {
            i = s.start_tag(text, i);
            continue;
        }
        let end = if rest.starts_with(b"<!--") {
            find(b, i + 4, b"-->").map_or(b.len(), |p| p + 3)
        } else if rest.starts_with(b"<?") {
            find(b, i + 2, b"?>").map_or(b.len(), |p| p + 2)
        } else if rest.starts_with(b"<!") {
            find(b, i + 2, b">").map_or(b.len(), |p| p + 1)
        } else if rest.starts_with(b"</") {
            s.end_tag(text, i)
        } else {
            i = s.text(text, i);
            continue;
        };
        if !rest.starts_with(b"</") {
            s.item(Piece::Other, i, end);
        }
        // A construct in a comment, doctype or end tag would be dropped with it.
        if text[i..end].contains(OPEN) {
            s.bad = true;
        }
        i = end;
    }
    if s.depth.iter().any(|&d| d > 0) {
        s.bad = true;
    }
    s
}

impl Scan {
    fn in_sensitive(&self) -> bool {
        self.depth.iter().any(|&d| d > 0)
    }

    /// Reads text from `i` up to the next tag or placeholder, as spaces and text.
    fn text(&mut self, text: &str, i: usize) -> usize {
        let b = text.as_bytes();
        let mut end = i + 1;
        while end < b.len()
            && placeholder_at(b, end).is_none()
            && !(b[end] == b'<'
                && b.get(end + 1)
                    .is_some_and(|&c| is_tag_name_char(c) || matches!(c, b'!' | b'?' | b'/')))
        {
            end += 1;
        }
        let lead = skip_whitespace(b, i).min(end);
        if lead == end {
            self.item(Piece::Space, i, end);
            return end;
        }
        let trail = (lead..end)
            .rev()
            .find(|&k| !is_whitespace(b[k]))
            .map_or(end, |k| k + 1);
        if lead > i {
            self.item(Piece::Space, i, lead);
        }
        self.item(Piece::Text, lead, trail);
        if end > trail {
            self.item(Piece::Space, trail, end);
        }
        end
    }

    /// Reads the end tag at `i`; returns its end.
    fn end_tag(&mut self, text: &str, i: usize) -> usize {
        let b = text.as_bytes();
        let name_end = i + 2 + tag_name_len(b, i + 2);
        let name = text[i + 2..name_end].to_ascii_lowercase();
        if let Some(k) = SENSITIVE.iter().position(|&n| n == name) {
            if self.depth[k] == 0 {
                self.bad = true;
            } else {
                self.depth[k] -= 1;
            }
        }
        let end = if name.is_empty() {
            // minify-html drops `</` up to the next `>`.
            find(b, i, b">").map_or(b.len(), |p| p + 1)
        } else {
            attributes(b, name_end).0
        };
        let opened = self.open.iter().rposition(
            |&o| matches!(&self.items[o].kind, Piece::Start { name: n, .. } if *n == name),
        );
        let start = opened.map(|at| self.open[at]);
        if let Some(at) = opened {
            self.open.truncate(at);
        }
        let index = self.items.len();
        if let Some(Piece::Start { end, .. }) = start.map(|o| &mut self.items[o].kind) {
            *end = Some(index);
        }
        self.item(
            Piece::End {
                name: name.clone(),
                start,
            },
            i,
            end,
        );
        self.tags.push(format!("/{name}"));
        end
    }

    /// Reads the start tag at `i` and, for `<script>`, `<style>`, `<title>` and `<textarea>`,
    /// its text. Returns where to go on.
    fn start_tag(&mut self, text: &str, i: usize) -> usize {
        let b = text.as_bytes();
        let name_end = i + 1 + tag_name_len(b, i + 1);
        // A construct right after the name (`<div{% if x %} lang="x"{% endif %}>`) starts the
        // attribute list, kept whole. One that continues the name (`<h{{ n }}>`) is refused at
        // the end tag (`</h{{ n }}>`), which minify-html would drop.
        let name = text[i + 1..name_end].to_ascii_lowercase();
        let (end, list_end, self_closing) = attributes(b, name_end);
        let mut held = false;
        for (slot, at, len) in placeholders(&text[name_end..list_end]) {
            self.mark(slot, name_end + at, len, Place::Attributes, true);
            held = true;
        }
        if held {
            self.attribute_lists.push((name_end, list_end));
        }
        let place = match name.as_str() {
            "script" | "style" => Some(Place::Raw),
            "title" | "textarea" => Some(Place::Rcdata),
            _ => None,
        };
        let foreign = self.depth[2] + self.depth[3] > 0 || matches!(name.as_str(), "svg" | "math");
        let childless = minify_html_common::spec::tag::void::VOID_TAGS.contains(name.as_bytes())
            || (self_closing && foreign);
        if let Some(k) = SENSITIVE.iter().position(|&n| n == name)
            && !childless
        {
            self.depth[k] += 1;
        }
        let close = format!("</{name}");
        self.item(
            Piece::Start {
                name: name.clone(),
                end: None,
                leaf: childless,
            },
            i,
            end,
        );
        if !childless {
            self.open.push(self.items.len() - 1);
        }
        self.tags.push(name);
        let Some(place) = place else {
            return end;
        };
        let Some(at) = find_ignore_case(b, end, close.as_bytes()) else {
            // Left open, it would swallow whatever follows the template.
            self.bad = true;
            return b.len();
        };
        let mut from = end;
        for (slot, p, len) in placeholders(&text[end..at]) {
            self.mark(slot, end + p, len, place, true);
            if end + p > from {
                self.item(Piece::Text, from, end + p);
            }
            self.item(Piece::Slot(slot), end + p, end + p + len);
            from = end + p + len;
        }
        if at > from {
            self.item(Piece::Text, from, at);
        }
        at
    }

    fn item(&mut self, kind: Piece, start: usize, end: usize) {
        let sensitive = self.in_sensitive()
            || self.open.last().is_some_and(|&o| {
                matches!(&self.items[o].kind, Piece::Start { name, .. }
                    if matches!(name.as_str(), "script" | "style" | "title" | "textarea"))
            });
        self.items.push(Item {
            kind,
            start,
            end,
            parent: self.open.last().copied(),
            sensitive,
        });
    }

    fn mark(&mut self, slot: usize, at: usize, len: usize, place: Place, sensitive: bool) {
        self.marks.push(Mark {
            slot,
            at,
            end: at + len,
            place,
            sensitive,
        });
    }
}

/// Reads a tag's attributes from `from` (just after its name) as minify-html does: the end of
/// the tag (past `>`), the end of the attribute list (before the `/` and spaces that precede
/// `>`), and whether it ends with `/>`.
fn attributes(b: &[u8], from: usize) -> (usize, usize, bool) {
    let mut j = from;
    loop {
        let run = j;
        let mut last = None;
        while j < b.len() && (is_whitespace(b[j]) || b[j] == b'/') {
            last = Some(b[j]);
            j += 1;
        }
        if j >= b.len() {
            return (b.len(), run, last == Some(b'/'));
        }
        if b[j] == b'>' {
            return (j + 1, run, last == Some(b'/'));
        }
        j += 1;
        while j < b.len() && !(is_whitespace(b[j]) || matches!(b[j], b'/' | b'=' | b'>')) {
            j += 1;
        }
        let k = skip_whitespace(b, j);
        if b.get(k) == Some(&b'=') {
            j = skip_whitespace(b, k + 1);
            if let Some(&q @ (b'"' | b'\'')) = b.get(j) {
                j = b[j + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |p| j + p + 2);
            } else {
                while j < b.len() && !(is_whitespace(b[j]) || b[j] == b'>') {
                    j += 1;
                }
            }
        }
    }
}

fn tag_name_len(b: &[u8], from: usize) -> usize {
    b[from.min(b.len())..]
        .iter()
        .take_while(|&&c| is_tag_name_char(c))
        .count()
}

/// minify-html's tag name characters.
fn is_tag_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b':' || c == b'-'
}

/// HTML's (and minify-html's) whitespace.
fn is_whitespace(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn skip_whitespace(b: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < b.len() && is_whitespace(b[j]) {
        j += 1;
    }
    j
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

fn starts_with_ignore_case(b: &[u8], prefix: &[u8]) -> bool {
    b.len() >= prefix.len() && b[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Pre-minifies the templates `(name, source)`.
    fn premin(templates: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        let templates: Vec<(String, String)> = templates
            .iter()
            .map(|(name, src)| (name.to_string(), src.to_string()))
            .collect();
        minify_templates(&templates)
    }

    /// One template, pre-minified.
    fn one(src: &str) -> String {
        premin(&[("t.html", src)])
            .expect("pre-minified")
            .remove(0)
            .1
    }

    /// Renders template `name` as `Templates` does, trailing whitespace trimmed as
    /// `render_skeleton` does.
    fn render(templates: &[(String, String)], name: &str, context: serde_json::Value) -> String {
        let mut tera = tera::Tera::default();
        tera.register_filter(ATTRIBUTE_VALUE, attribute_value);
        tera.add_raw_templates(templates.to_vec())
            .expect("the template compiles");
        tera.set_escape_fn(crate::html::escape);
        let context = tera::Context::from_value(context).expect("a context");
        let html = tera.render(name, &context).expect("the template renders");
        html.trim_end().to_string()
    }

    fn render_one(src: &str, context: serde_json::Value) -> String {
        render(&[("t.html".into(), one(src))], "t.html", context)
    }

    /// What the page would be without pre-minifying: rendered, then minified as a page.
    fn minified_after(src: &str, context: serde_json::Value) -> String {
        let html = render(&[("t.html".into(), src.into())], "t.html", context);
        let mut cfg = minify_html::Cfg::new();
        cfg.minify_css = true;
        cfg.keep_html_and_head_opening_tags = true;
        String::from_utf8(minify_html::minify(html.as_bytes(), &cfg)).expect("UTF-8")
    }

    #[test]
    fn a_value_gets_quotes_when_it_needs_them() {
        let src = "<p><a href=\"{{ url }}\" class=\"link\">{{ text }}</a></p>\n";
        for (url, html) in [
            ("a b", r#"<p><a href="a b" class=link>x</a></p>"#),
            ("/en/guide/", "<p><a href=/en/guide/ class=link>x</a></p>"),
            ("", r#"<p><a href="" class=link>x</a></p>"#),
            ("a\"b", "<p><a href=a&quot;b class=link>x</a></p>"),
        ] {
            assert_eq!(render_one(src, json!({"url": url, "text": "x"})), html);
        }
    }

    #[test]
    fn an_if_among_attributes_stays_with_its_attribute() {
        let src = "<nav><a href=\"{{ url }}\"{% if current %} aria-current=\"page\"{% endif %} \
                   class=\"menu\">{{ title }}</a>\n<div{% if other %} lang=\"{{ lang }}\"{% endif %}>x</div></nav>";
        let context = |current, other| json!({"url": "/a/", "current": current, "title": "A", "other": other, "lang": "es"});
        assert_eq!(
            render_one(src, context(true, true)),
            "<nav><a href=/a/ aria-current=page class=menu>A</a><div lang=es>x</div></nav>"
        );
        assert_eq!(
            render_one(src, context(false, false)),
            "<nav><a href=/a/ class=menu>A</a><div>x</div></nav>"
        );
        // minify-html alone would sort the attributes, moving `class` into the `if`.
        assert!(one(src).contains(r#"{% if current %} aria-current=page{% endif %} class=menu>"#));
    }

    #[test]
    fn a_loop_between_list_items_renders_as_a_minified_list() {
        let src = "<ul>\n{% for i in items %}<li>{{ i }}</li>\n{% endfor %}\n</ul>\n";
        assert!(one(src).starts_with("<ul>{% for i in items %}<li>{{ i }}{% endfor %}</ul>"));
        let context = json!({"items": ["a", "b"]});
        assert_eq!(render_one(src, context.clone()), "<ul><li>a<li>b</ul>");
        assert_eq!(
            render_one(src, context.clone()),
            minified_after(src, context)
        );
        // Text starts the next iteration: the space before it stays.
        let src = "<div>{% for i in items %}{{ i }}<b>!</b>\n{% endfor %}</div>";
        let html = render_one(src, json!({"items": ["a", "b"]}));
        assert!(html.starts_with("<div>a<b>!</b> b<b>!</b>"), "{html}");
    }

    #[test]
    fn an_end_tag_is_dropped_only_when_every_branch_allows_it() {
        let src = "<div><p>a</p>\n{% if x %}<p>b</p>{% endif %}\n</div>";
        assert!(one(src).starts_with("<div><p>a{% if x %}<p>b{% endif %}</div>"));
        // A `<span>` may follow, which would end up inside the `<p>`.
        let src = "<div><p>a</p>{% if x %}<div>b</div>{% else %}<span>c</span>{% endif %}</div>";
        assert_eq!(
            render_one(src, json!({"x": false})),
            "<div><p>a</p><span>c</span></div>"
        );
    }

    #[test]
    fn a_theme_with_an_element_opened_in_one_branch_and_closed_in_another_is_not_preminified() {
        // Without `wrap`, the space is between words, not between tags in a `<div>`.
        let src = "<span>{% if wrap %}<div>{% endif %}<b>a</b>\n<b>b</b>{% if wrap %}</div>{% endif %}</span>";
        assert!(premin(&[("t.html", src)]).is_none());
        assert!(premin(&[("t.html", "{% if a %}<p>{% endif %} text")]).is_none());
        // A macro is kept as written: one that opens a `<div>` would put the text after its
        // call in one, which is not where minify-html sees it.
        let src = "{% macro open() %}<div>{% endmacro open %}<span>{{ self::open() }}a</span>";
        assert!(premin(&[("t.html", src)]).is_none());
        let src = "{% macro card() %}<div>\n  x  </div>{% endmacro card %}{{ self::card() }}";
        assert!(premin(&[("t.html", src)]).is_some());
        // Opened in a loop and closed in the same iteration: fine.
        assert!(premin(&[("t.html", "{% for a in b %}<p>{{ a }}</p>{% endfor %}")]).is_some());
    }

    #[test]
    fn a_raw_block_is_kept_as_written() {
        let src = "<p>{% raw %}{{ page.title }}   is   {% endraw %}</p>";
        assert_eq!(
            render_one(src, json!({})),
            "<p>{{ page.title }}   is   </p>"
        );
        // HTML in it would be out of minify-html's sight.
        assert!(premin(&[("t.html", "<div>{% raw %}<p>{% endraw %}</div>")]).is_none());
    }

    #[test]
    fn comments_go_but_a_construct_in_an_html_comment_is_refused() {
        let src = "<div><p>{# a note #}Hello <!-- an HTML comment --> {{ name }}</p></div>";
        let context = json!({"name": "Ana"});
        assert_eq!(render_one(src, context.clone()), "<div><p>Hello  Ana</div>");
        assert_eq!(
            render_one(src, context.clone()),
            minified_after(src, context)
        );
        assert!(premin(&[("t.html", "<p>a<!-- {{ x }} --></p>")]).is_none());
        assert!(premin(&[("t.html", "<!-- {% block x %}{% endblock x %} -->")]).is_none());
    }

    #[test]
    fn whitespace_control_trims_as_before() {
        let src = "<div><p>\n  {{- name -}}  \n</p>\n<p>a {%- if yes %} b{% endif -%} </p></div>";
        let context = json!({"name": "Ana", "yes": true});
        assert_eq!(render_one(src, context.clone()), "<div><p>Ana<p>a b</div>");
        assert_eq!(
            render_one(src, context.clone()),
            minified_after(src, context)
        );
        // Minifying would turn the entity into a space that `{%-` then trims.
        assert!(premin(&[("t.html", "<p>a&#32; {%- if yes %}b{% endif %}</p>")]).is_none());
    }

    #[test]
    fn closing_delimiters_in_strings_do_not_end_a_construct() {
        let src = "<p title=\"{{ \"}}\" ~ x }}\">{% if x == \"%}\" %}yes {{ '}}' }}{% endif %}</p>";
        assert_eq!(
            render_one(src, json!({"x": "%}"})),
            r#"<p title=}}%}>yes }}</p>"#
        );
    }

    #[test]
    fn a_child_block_is_minified_as_inline_content() {
        let base = "<!DOCTYPE html>\n<html>\n<head>\n<title>{% block title %}Site{% endblock title %}</title>\n</head>\n\
                    <body>\n<main>{% block content %}{% endblock content %}</main>\n</body>\n</html>\n";
        let page = "{% extends \"base.html\" %}\n{% block title %}  A  &amp;  B {% endblock title %}\n\
                    {% block content %}<b>bold</b> <i>italic</i>\n<p>  text  </p>{% endblock content %}";
        let templates = premin(&[("base.html", base), ("page.html", page)]).expect("pre-minified");
        // The title block goes into `<title>`, so the child's is kept as written.
        assert!(
            templates[1]
                .1
                .contains("{% block title %}  A  &amp;  B {% endblock title %}")
        );
        assert_eq!(
            render(&templates, "page.html", json!({})),
            "<!doctype html><html><head><title>  A  &amp;  B </title><body>\
             <main><b>bold</b> <i>italic</i> <p>text</p></main>"
        );
    }

    #[test]
    fn pre_script_and_style_keep_their_content() {
        let src = "<div><pre>{{ code }}\n  two  spaces</pre>\n<script>if (a < b) { {{ js | safe }} }</script>\
                   <style>p { color: {{ color }}; }</style></div>";
        let html = render_one(src, json!({"code": "x", "js": "go();", "color": "red"}));
        assert_eq!(
            html,
            "<div><pre>x\n  two  spaces</pre><script>if (a < b) { go(); }</script>\
             <style>p { color: red; }</style></div>"
        );
        // What an include brings into a `<pre>` would be minified as if it were not in one.
        let templates = [
            ("a.html", "<pre>{% include \"b.html\" %}</pre>"),
            ("b.html", "x  y"),
        ];
        assert!(premin(&templates).is_none());
    }

    #[test]
    fn a_theme_with_a_template_that_fails_the_checks_is_not_preminified() {
        let fine = ("fine.html", "<p>{{ x }}</p>");
        for bad in [
            // minify-html would drop the construct in the end tag.
            "<h{{ level }}>x</h{{ level }}>",
            // minify-html would write `&` before the value, which could then make an entity.
            "<p>AT&amp;{{ x }}</p>",
            // A construct left open: Tera reports it.
            "<p>{{ x </p>",
            // The placeholder characters themselves.
            "<p>\u{E000}</p>",
        ] {
            assert!(premin(&[fine, ("bad.html", bad)]).is_none(), "{bad}");
        }
        assert!(premin(&[fine]).is_some());
    }

    #[test]
    fn the_default_theme_is_preminified() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates");
        let mut templates = Vec::new();
        for entry in std::fs::read_dir(dir).expect("the default theme") {
            let path = entry.expect("a template").path();
            let name = path
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned();
            templates.push((name, std::fs::read_to_string(&path).expect("a template")));
        }
        let minified = minify_templates(&templates).expect("every template pre-minified");
        let mut tera = tera::Tera::default();
        tera.register_filter(ATTRIBUTE_VALUE, attribute_value);
        tera.add_raw_templates(minified)
            .expect("the templates compile");
    }
}
