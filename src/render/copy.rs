//! The whole guide as one self-contained file per language, to save on a phone and pass on in
//! a chat: the style sheet inlined and allowed by its hash, links inside the guide as in-page
//! anchors and every other link absolute, small pictures inlined, the rest described.
//!
//! A file opened from a phone's downloads folder has no site around it: a root-relative link
//! or picture would point into the phone's own storage. So every reference in the copy is one
//! of three kinds: `#anchor` (a place in the file), `data:` (a picture in the file), or an
//! absolute `https:` address that the reader may choose to open when online (the site's own
//! pages, the facts' sources). Its `Content-Security-Policy` lets it load nothing but its own
//! `<style>` and, when it has any, its inlined pictures.

use sha2::{Digest, Sha256};

use super::Ctx;
use super::context::*;
use super::generated::Guide;
use super::templates::{BODY_MARKER, base_context, render_skeleton};
use crate::config::Config;
use crate::html::escape;
use crate::i18n::Strings;

/// A picture whose file is at most this heavy is inlined in the copy; a heavier one is left
/// out and its description kept, so that the copy stays small enough to pass on.
const INLINE_MAX: usize = 8_000;

/// A copy heavier than this is not written: it could not be sent over a phone's prepaid
/// data, and gathering it would hold a large guide in memory.
pub(crate) const MAX_BYTES: usize = 1_000_000;

/// Stands for the copy's policy in the template's output until its style is known. It holds
/// a space, so that the minifier keeps it quoted like the policy that replaces it.
const CSP_MARKER: &str = "senda-csp 3b7d21";

/// The copy of one language as its chapters come in.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    /// The chapters so far, as the copy writes them.
    body: String,
    /// A picture was inlined: the policy must allow `data:` pictures.
    pictures: bool,
    /// The chapters went over [`MAX_BYTES`]: no copy, and no more chapters kept.
    over: bool,
}

/// One language's copy, written: where it goes and its bytes.
#[derive(Debug)]
pub(crate) struct Saved {
    /// Language code.
    pub(crate) lang: String,
    /// Output path (`en/whole-guide/seeking-asylum.html`).
    pub(crate) path: String,
    /// The file.
    pub(crate) bytes: Vec<u8>,
}

impl Gathered {
    /// Appends a chapter of the one-page guide, unless the copy is too heavy to write already.
    pub(crate) fn push(&mut self, chapter: &Chapter) {
        if !self.over {
            self.body.push_str(&chapter.html);
            self.pictures |= chapter.pictures;
            if self.body.len() > MAX_BYTES {
                self.over = true;
                self.body = String::new();
            }
        }
    }
}

/// A chapter as the copy writes it.
#[derive(Debug, Default)]
pub(crate) struct Chapter {
    pub(crate) html: String,
    pictures: bool,
}

/// Output path of the copy of `lang`: in the one-page guide's folder, named after the site's
/// title in that language, so that it reads well in a downloads folder.
pub(crate) fn path(config: &Config, strings: &Strings, lang: &str) -> String {
    let title = config
        .language(lang)
        .map_or_else(String::new, |l| l.title.clone());
    let mut name = crate::markdown::slugify(&deunicode::deunicode(&title));
    if name.len() > 48 {
        let cut = name[..48].rfind('-').unwrap_or(48);
        name.truncate(cut);
    }
    format!(
        "{}{name}.html",
        super::generated_url(config, strings, lang, "slug-guide")
    )
}

/// Chapter `html` of the one-page guide as the copy writes it: links and pictures that would
/// need the site turned into what the file can hold (see the module's documentation).
pub(crate) fn chapter(ctx: &Ctx<'_>, html: &str) -> Chapter {
    let mut out = Chapter {
        html: String::with_capacity(html.len() + 64),
        pictures: false,
    };
    for token in html5gum::Tokenizer::new(html).flatten() {
        if let html5gum::Token::StartTag(tag) = &token {
            let name = String::from_utf8_lossy(&tag.name).into_owned();
            let attr = |key: &str| {
                tag.attributes
                    .get(key.as_bytes())
                    .map(|v| String::from_utf8_lossy(v).into_owned())
            };
            match name.as_str() {
                // `<picture>` keeps its `<img>`; its other formats are other files.
                "source" => continue,
                "img" => {
                    let alt = attr("alt").unwrap_or_default();
                    match attr("src").and_then(|src| inline(ctx, &src)) {
                        Some(data) => {
                            out.pictures = true;
                            out.html
                                .push_str(&format!("<img src=\"{data}\" alt=\"{}\"", escape(&alt)));
                            for key in ["width", "height", "title"] {
                                if let Some(value) = attr(key) {
                                    out.html.push_str(&format!(" {key}=\"{}\"", escape(&value)));
                                }
                            }
                            out.html.push('>');
                        }
                        None if alt.is_empty() => {}
                        None => out
                            .html
                            .push_str(&format!("<span class=\"tap\">{}</span>", escape(&alt))),
                    }
                    continue;
                }
                _ => {}
            }
        }
        crate::html::write_token(&mut out.html, &token, |key, value| match key {
            "href" => Some(absolute(ctx, value)),
            // Media of any other kind (raw HTML that the sanitiser let through) would load a
            // file: the copy has none.
            "src" | "srcset" | "poster" => None,
            _ => Some(value.to_string()),
        });
    }
    out
}

/// A link's address as the copy writes it: in-page and absolute addresses as they are, an
/// address on the site as its full URL.
fn absolute(ctx: &Ctx<'_>, href: &str) -> String {
    if href.starts_with('#') {
        return href.to_string();
    }
    if let Some(rest) = href.strip_prefix("//") {
        return format!("https://{rest}");
    }
    if !crate::images::markup::is_local(href) {
        return href.to_string();
    }
    match href.strip_prefix(ctx.config.base_path.as_str()) {
        Some(rest) => ctx.permalink(rest),
        // Root-relative outside the site's folder: on the same host.
        None => {
            let origin = ctx
                .config
                .base_url
                .strip_suffix(ctx.config.base_path.as_str())
                .unwrap_or(&ctx.config.base_url);
            format!("{origin}/{}", href.trim_start_matches('/'))
        }
    }
}

/// A picture of the site as a `data:` URL, when it is small enough to carry in the copy.
fn inline(ctx: &Ctx<'_>, src: &str) -> Option<String> {
    let path = src.strip_prefix(ctx.config.base_path.as_str())?;
    let bytes = ctx.images.files.get(path)?;
    if bytes.len() > INLINE_MAX {
        return None;
    }
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    let mime = match ext.as_str() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        _ => return None,
    };
    Some(format!("data:{mime};base64,{}", base64(bytes)))
}

/// Standard Base64 with padding (RFC 4648), for `data:` URLs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes the copy of `guide`'s language from its chapters, with template `copy.html`;
/// `None` when it is too heavy (a warning) or the template failed (reported).
pub(crate) fn page(ctx: &Ctx<'_>, guide: &Guide, copy: Gathered) -> Option<Saved> {
    let lang = guide.lang.as_str();
    if copy.over {
        ctx.report.warn(
            crate::diag::Diagnostic::new(
                std::path::Path::new("content"),
                0,
                format!(
                    "the whole guide in `{lang}` is over {} KB as one file: senda writes no copy of it to pass on, and its home page does not offer one",
                    MAX_BYTES / 1000
                ),
            )
            .help("nothing to do: the site and the one-page guide are complete; a copy that heavy could not be sent over a phone"),
        );
        return None;
    }
    let online = ctx.generated_url(lang, "slug-guide");
    let mut entries = ctx.glossary_entries.get(lang).cloned().unwrap_or_default();
    for e in &mut entries {
        e.url = format!("#{}", e.id);
    }
    let page = PageCtx {
        kind: "copy".into(),
        title: ctx.t(lang, "guide-title"),
        description: ctx.t(lang, "guide-description"),
        url: ctx.path(&online),
        permalink: ctx.permalink(&online),
        content_lang: lang.into(),
        content: BODY_MARKER.into(),
        chapters: guide.toc.clone(),
        entries,
        unreviewed: super::generated::unreviewed(ctx, lang, "slug-guide", true),
        style: ctx.style_css.clone(),
        csp: CSP_MARKER.into(),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, lang, page);
    context.serve_script = String::new();
    let path = path(ctx.config, ctx.strings, lang);
    let (_, skeleton, at) = render_skeleton(
        ctx,
        lang,
        "copy.html",
        &context,
        &path,
        std::path::Path::new("(copy of the whole guide)"),
    )?;
    let mut html = Vec::with_capacity(skeleton.len() + copy.body.len());
    html.extend_from_slice(&skeleton[..at]);
    html.extend_from_slice(copy.body.as_bytes());
    html.extend_from_slice(&skeleton[at + BODY_MARKER.len()..]);
    let Some(html) = with_policy(&html, copy.pictures) else {
        ctx.report.error(
            crate::diag::Diagnostic::new(
                std::path::Path::new("themes"),
                0,
                "the template `copy.html` must print its Content-Security-Policy ({{ page.csp }}) before one <style> that holds {{ page.style | safe }}",
            )
            .help("keep <meta http-equiv=\"Content-Security-Policy\" content=\"{{ page.csp }}\"> and <style>{{ page.style | safe }}</style> in its <head>"),
        );
        return None;
    };
    Some(Saved {
        lang: lang.to_string(),
        path,
        bytes: html,
    })
}

/// The copy with its policy in place of [`CSP_MARKER`]: nothing by default, its one `<style>`
/// by hash, and `data:` pictures when it has some. `None` when the marker or the style is
/// missing.
fn with_policy(html: &[u8], pictures: bool) -> Option<Vec<u8>> {
    let find = |needle: &[u8], from: usize| {
        html[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|at| at + from)
    };
    let marker = find(CSP_MARKER.as_bytes(), 0)?;
    let open = find(b"<style>", marker)? + b"<style>".len();
    let close = find(b"</style>", open)?;
    let hash = Sha256::digest(&html[open..close]);
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{}'{}; base-uri 'none'; form-action 'none'",
        base64(&hash),
        if pictures { "; img-src data:" } else { "" }
    );
    let mut out = Vec::with_capacity(html.len() + policy.len());
    out.extend_from_slice(&html[..marker]);
    out.extend_from_slice(policy.as_bytes());
    out.extend_from_slice(&html[marker + CSP_MARKER.len()..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_rfc_4648_says() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn the_policy_allows_the_style_by_its_hash() {
        let html = format!("<meta content=\"{CSP_MARKER}\"><style>a{{b:c}}</style>");
        let out = String::from_utf8(with_policy(html.as_bytes(), false).expect("a policy"))
            .expect("text");
        let hash = base64(&Sha256::digest(b"a{b:c}"));
        assert!(out.contains(&format!("style-src 'sha256-{hash}'")), "{out}");
        assert!(!out.contains("img-src"), "{out}");
        assert!(with_policy(b"<style>a</style>", false).is_none());
    }
}
