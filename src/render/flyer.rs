//! The printable flyer of each language: the guide's title, three lines on what it covers, its
//! address in large print and as a QR code drawn at build time (inline SVG: no script, no
//! picture from elsewhere), for an NGO to put on a wall.

use qrcode::{Color, EcLevel, QrCode};

use super::Ctx;
use super::context::*;
use super::generated::everywhere;
use super::templates::{base_context, render_page};
use crate::diag::Diagnostic;

/// Modules of white around the code, as the QR standard asks, so that a camera finds it on
/// a busy wall.
const QUIET_ZONE: usize = 4;

/// Renders the flyer of `lang` into `out`; problems go to the report.
pub(crate) fn page(ctx: &Ctx<'_>, lang: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let url = ctx.generated_url(lang, "slug-flyer");
    let home = ctx.entry("_index.md", lang);
    let home_url =
        ctx.permalink(&home.map_or_else(|| ctx.config.lang_prefix(lang), |e| e.url.clone()));
    let Some(qr) = qr_svg(
        &home_url,
        &ctx.strings.get(
            lang,
            "flyer-qr-alt",
            &[("address", printed(&home_url).into())],
        ),
    ) else {
        ctx.report.error(
            Diagnostic::new(
                std::path::Path::new("site.toml"),
                0,
                format!("the address {home_url} is too long for the flyer's QR code"),
            )
            .help("use a shorter base_url"),
        );
        return;
    };
    let lines = home
        .and_then(|e| e.page.front.extra.get("flyer"))
        .and_then(|v| v.as_array())
        .map(|lines| {
            lines
                .iter()
                .filter_map(|l| l.as_str())
                .map(str::to_string)
                .take(3)
                .collect::<Vec<_>>()
        })
        .filter(|lines| !lines.is_empty())
        .unwrap_or_else(|| {
            ctx.config
                .language(lang)
                .map(|l| vec![l.description.clone()])
                .unwrap_or_default()
        });
    let page = PageCtx {
        kind: "flyer".into(),
        title: ctx.t(lang, "flyer-title"),
        description: ctx.t(lang, "flyer-description"),
        url: ctx.path(&url),
        permalink: ctx.permalink(&url),
        content_lang: lang.into(),
        flyer: Some(FlyerCtx {
            lines,
            address: printed(&home_url),
            url: home_url,
            qr,
        }),
        ..PageCtx::default()
    };
    let mut context = base_context(ctx, lang, page);
    everywhere(ctx, &mut context, lang, "slug-flyer");
    if let Some(file) = render_page(
        ctx,
        lang,
        "flyer.html",
        &context,
        &url,
        std::path::Path::new("(flyer)"),
    ) {
        out.push(file);
    }
}

/// An address as a reader types it: no `https://`, no `/` at the end.
fn printed(url: &str) -> String {
    let bare = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    bare.strip_suffix('/').unwrap_or(bare).to_string()
}

/// A QR code of `data` as an inline `<svg>` named `label` for screen readers; `None` when
/// `data` is too long for a QR code. Dark modules are drawn as one path of horizontal runs on
/// a white square, so it prints black on white whatever the page's colours.
fn qr_svg(data: &str, label: &str) -> Option<String> {
    // Quartile correction: a printed code still reads with a quarter of it torn or stained.
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::Q).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] != Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            path.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + QUIET_ZONE,
                y + QUIET_ZONE,
                x - start,
                x - start
            ));
        }
    }
    let label = crate::html::escape(label);
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"{px}\" height=\"{px}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><title>{label}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        px = size * 8
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_address_has_no_scheme_and_no_last_slash() {
        assert_eq!(printed("https://example.org/es/"), "example.org/es");
        assert_eq!(printed("http://example.org/"), "example.org");
    }

    #[test]
    fn the_code_has_a_name_and_a_quiet_zone() {
        let svg = qr_svg("https://example.org/es/", "QR: example.org/es").expect("a code");
        assert!(svg.contains("aria-label=\"QR: example.org/es\""), "{svg}");
        assert!(svg.contains("<title>QR: example.org/es</title>"), "{svg}");
        // 23 bytes at quartile correction need version 3: 29 modules, 37 with the margin.
        assert!(svg.contains("viewBox=\"0 0 37 37\""), "{svg}");
        assert!(svg.contains("d=\"M4 4h7v1h-7z"), "{svg}");
    }
}
