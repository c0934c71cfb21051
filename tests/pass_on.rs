//! Reach (issue 17): the whole guide as one self-contained file per language, to save and pass
//! on, and the printable flyer with a QR code of the guide's address.
//!
//! Three tests open the output in headless Chromium (Debian's `chromium` package): the copy
//! shows its style from a `file://` address, the flyer's QR code is read from a picture of it,
//! and the flyer prints on one page. Without Chromium they fail, saying what to install.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Build, copy_fixture, write};
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// Where the English copy of the `basic` fixture goes: named after the site's title.
const COPY_EN: &str = "en/whole-guide/fixture-guide.html";
const COPY_ES: &str = "es/guia-completa/guia-de-prueba.html";

/// The `basic` fixture with two pictures in "apply": a small drawing, which the copy carries
/// inline, and a heavy photo, which it leaves out with its description.
fn site_with_pictures() -> TempDir {
    let dir = copy_fixture("basic");
    let root = dir.path();
    write(
        root,
        "content/guide/steps.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 10\" width=\"300\" height=\"100\"><rect width=\"10\" height=\"10\" fill=\"#0a5c36\"/></svg>\n",
    );
    let noise = image::RgbImage::from_fn(900, 600, |x, y| {
        let n = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)).wrapping_mul(2_654_435_761);
        image::Rgb([(n >> 24) as u8, (n >> 16) as u8, (n >> 8) as u8])
    });
    noise
        .save(root.join("content/guide/border.png"))
        .expect("write a photo");
    for (file, steps, border) in [
        ("content/guide/apply.md", "Three steps", "The border bridge"),
        (
            "content/guide/apply.es.md",
            "Tres pasos",
            "El puente de la frontera",
        ),
    ] {
        let text = std::fs::read_to_string(root.join(file)).expect("the page");
        write(
            root,
            file,
            &format!("{text}\n![{steps}](steps.svg)\n\n![{border}](border.png)\n"),
        );
    }
    dir
}

/// The values of every attribute of every start tag, and the text of `<style>`, of `html`.
fn tags(html: &str) -> (Vec<(String, String, String)>, String) {
    let mut attributes = Vec::new();
    let mut style = String::new();
    let mut in_style = false;
    for token in html5gum::Tokenizer::new(html).flatten() {
        match token {
            html5gum::Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                in_style = name == "style";
                for (key, value) in &tag.attributes {
                    attributes.push((
                        name.clone(),
                        String::from_utf8_lossy(key).into_owned(),
                        String::from_utf8_lossy(value).into_owned(),
                    ));
                }
                if tag.attributes.is_empty() {
                    attributes.push((name, String::new(), String::new()));
                }
            }
            html5gum::Token::String(text) if in_style => {
                style.push_str(&String::from_utf8_lossy(&text));
            }
            html5gum::Token::EndTag(_) => in_style = false,
            _ => {}
        }
    }
    (attributes, style)
}

/// Standard Base64 with padding, as a CSP hash is written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for group in bytes.chunks(3) {
        let mut n = 0u32;
        for (i, b) in group.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        for i in 0..4 {
            out.push(if i <= group.len() {
                char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

#[test]
fn the_copy_of_the_guide_refers_to_nothing_outside_itself() {
    let build = Build::run(site_with_pictures(), &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    for (copy, home) in [(COPY_EN, "en/index.html"), (COPY_ES, "es/index.html")] {
        let html = build.page(copy);
        assert!(html.len() < 100_000, "{copy} is {} bytes", html.len());
        let (attributes, style) = tags(&html);
        let ids: Vec<&str> = attributes
            .iter()
            .filter(|(_, key, _)| key == "id")
            .map(|(_, _, value)| value.as_str())
            .collect();
        for (tag, key, value) in &attributes {
            assert!(
                !matches!(
                    tag.as_str(),
                    "link" | "script" | "iframe" | "object" | "embed" | "base" | "source"
                ),
                "{copy} has a <{tag}>"
            );
            match key.as_str() {
                "src" | "srcset" | "poster" | "data" | "action" => assert!(
                    value.starts_with("data:"),
                    "{copy}: <{tag} {key}=\"{value}\"> loads another file"
                ),
                "href" if value.starts_with('#') => assert!(
                    ids.contains(&&value[1..]),
                    "{copy}: the link {value} leads to no id in the file"
                ),
                // A link the reader may follow when online (a fact's source, the site):
                // a full address, never a path that would lead into the phone's storage.
                "href" => assert!(
                    value.starts_with("https://"),
                    "{copy}: <{tag} href=\"{value}\"> is not in the file nor a full address"
                ),
                "style" => panic!("{copy}: a style attribute, which its policy forbids"),
                _ => {}
            }
        }
        assert!(!style.is_empty(), "{copy} has no style");
        assert!(
            !style.contains("url(") && !style.contains("@import"),
            "the style loads nothing"
        );
        let policy = attributes
            .iter()
            .find(|(tag, key, value)| {
                tag == "meta" && key == "http-equiv" && value == "Content-Security-Policy"
            })
            .and_then(|_| {
                attributes
                    .iter()
                    .find(|(tag, key, value)| {
                        tag == "meta" && key == "content" && value.contains("default-src")
                    })
                    .map(|(_, _, value)| value.clone())
            })
            .unwrap_or_else(|| panic!("{copy} has no Content-Security-Policy"));
        let hash = base64(&Sha256::digest(style.as_bytes()));
        assert_eq!(
            policy,
            format!(
                "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'"
            )
        );

        // The drawing is inside, the photo is described.
        let (steps, border) = if copy == COPY_EN {
            ("Three steps", "The border bridge")
        } else {
            ("Tres pasos", "El puente de la frontera")
        };
        assert!(
            html.contains(&format!("alt=\"{steps}\""))
                && html.contains("src=\"data:image/svg+xml;base64,"),
            "{copy}: the drawing is inlined"
        );
        assert!(
            html.contains(&format!("<span class=\"tap\">{border}")),
            "{copy}: the photo is left out with its description"
        );

        // The home page offers it with its size, as readers count data.
        let size = html.len().div_ceil(1000);
        let file = copy.rsplit('/').next().expect("a file name");
        let label = if copy == COPY_EN {
            format!("Save the whole guide, {size} KB")
        } else {
            format!("Guardar toda la guía, {size} KB")
        };
        let home_html = build.page(home);
        assert!(
            home_html.contains(&format!(
                "<a href=\"/{copy}\" download=\"{file}\">{label}</a>"
            )),
            "{home} links to {copy}:\n{home_html}"
        );
    }
}

/// Debian's Chromium, or a failure that says how to get it.
fn chromium() -> PathBuf {
    for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(path).is_file() {
            return PathBuf::from(path);
        }
    }
    panic!(
        "this test opens the output in headless Chromium, which is not installed: \
         run `apt-get install chromium` (Debian's package) and run the tests again"
    );
}

/// A screenshot of `url`, `width` × `height` pixels, as RGB.
fn screenshot(url: &str, width: u32, height: u32, work: &Path) -> image::RgbImage {
    let png = work.join("shot.png");
    let _ = std::fs::remove_file(&png);
    let output = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--force-device-scale-factor=1",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        png.is_file(),
        "chromium took no screenshot of {url}:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    image::open(&png).expect("a PNG").to_rgb8()
}

/// Pixels of the colour of a notice's background in the default theme (`--note`).
fn note_pixels(shot: &image::RgbImage) -> usize {
    shot.pixels().filter(|p| p.0 == [0xff, 0xf3, 0xc4]).count()
}

#[test]
fn the_copy_opens_from_a_file_with_its_style() {
    let build = Build::fixture("basic", &[]);
    let work = TempDir::new().expect("a folder");
    let copy = build.out().join(COPY_EN);
    // The copy begins with a notice (where it comes from), on the theme's notice colour.
    let styled = screenshot(&format!("file://{}", copy.display()), 400, 400, work.path());
    assert!(
        note_pixels(&styled) > 1000,
        "the copy shows its style when opened from a file"
    );
    // The same file with a wrong hash in its policy: the browser refuses the style, so the
    // style above was let in by the policy, not in spite of it.
    let html = std::fs::read_to_string(&copy).expect("the copy");
    let at = html.find("'sha256-").expect("a hash") + "'sha256-".len();
    let broken = format!("{}AAAA{}", &html[..at], &html[at + 4..]);
    let broken_path = work.path().join("broken.html");
    std::fs::write(&broken_path, broken).expect("write");
    let unstyled = screenshot(
        &format!("file://{}", broken_path.display()),
        400,
        400,
        work.path(),
    );
    assert_eq!(note_pixels(&unstyled), 0, "a wrong hash lets no style in");
}

/// The text of the one QR code in a picture.
fn read_qr(shot: &image::RgbImage) -> String {
    let grey = image::DynamicImage::ImageRgb8(shot.clone()).to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        grey.width() as usize,
        grey.height() as usize,
        |x, y| grey.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    let (_, content) = grids[0].decode().expect("a readable QR code");
    content
}

#[test]
fn the_flyer_qr_code_opens_the_guide_at_its_own_address() {
    let dir = copy_fixture("basic");
    let root = dir.path();
    let config = std::fs::read_to_string(root.join("site.toml")).expect("site.toml");
    write(
        root,
        "site.toml",
        &config.replace(
            "base_url = \"https://guide.example/\"",
            "base_url = \"https://asilo.example.net/guia/\"",
        ),
    );
    let home = std::fs::read_to_string(root.join("content/_index.md")).expect("home");
    write(
        root,
        "content/_index.md",
        &home.replace(
            "description = \"Home of the fixture guide.\"\n",
            "description = \"Home of the fixture guide.\"\n[extra]\nflyer = [\"One\", \"Two\", \"Three\"]\n",
        ),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);

    let en = build.page("en/flyer/index.html");
    assert!(
        en.contains("<li>One</li><li>Two</li><li>Three</li>"),
        "the home page's flyer lines:\n{en}"
    );
    let es = build.page("es/volante/index.html");
    assert!(
        es.contains("<li>Una guía pequeña para las pruebas.</li>"),
        "without flyer lines, the language's description:\n{es}"
    );
    assert!(
        es.contains("<p class=\"flyer-address\">asilo.example.net/guia/es</p>"),
        "the address in large print:\n{es}"
    );
    let start = es.find("<svg class=\"qr\"").expect("an inline QR code");
    let end = es[start..].find("</svg>").expect("its end") + start + "</svg>".len();
    let svg = &es[start..end];
    assert!(
        svg.contains("role=\"img\"")
            && svg.contains("aria-label=\"Código QR que abre asilo.example.net/guia/es\""),
        "the code has a text alternative: {svg}"
    );

    let work = TempDir::new().expect("a folder");
    let file = work.path().join("qr.svg");
    std::fs::write(&file, svg).expect("write the code");
    let shot = screenshot(&format!("file://{}", file.display()), 400, 400, work.path());
    assert_eq!(read_qr(&shot), "https://asilo.example.net/guia/es/");
}

/// Pages of a PDF file, counted by their page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type /Page").count() - text.matches("/Type /Pages").count()
}

#[test]
fn the_flyer_prints_on_one_page_of_a4_and_of_letter() {
    let build = Build::fixture("basic", &[]);
    let work = TempDir::new().expect("a folder");
    let flyer = build.page("en/flyer/index.html");
    // From a file, the site's root is the disk's: point the style sheet at the output folder.
    let flyer = flyer.replace("href=\"/style.", "href=\"../../style.");
    for (paper, extra) in [
        ("Letter", ""),
        (
            "A4",
            "<style>@page flyer { size: A4; margin: 1cm; }</style>",
        ),
    ] {
        let page = build.out().join(format!("en/flyer/{paper}.html"));
        std::fs::write(&page, flyer.replace("</head>", &format!("{extra}</head>")))
            .expect("write the flyer");
        let pdf = work.path().join(format!("{paper}.pdf"));
        let output = Command::new(chromium())
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
            ])
            .arg(format!(
                "--user-data-dir={}",
                work.path().join("profile").display()
            ))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("run chromium");
        let bytes = std::fs::read(&pdf).unwrap_or_else(|_| {
            panic!(
                "chromium printed no PDF:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        assert_eq!(pdf_pages(&bytes), 1, "the flyer fills one {paper} page");
    }
}

#[test]
fn a_guide_too_heavy_to_pass_on_gets_no_copy_and_a_warning() {
    // Some 1.1 MB of Markdown: under the one-page guide's 2 MB, over the copy's 1 MB.
    let build = with_long_page(400);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("the whole guide in `en` is over 1000 KB as one file"),
        "{}",
        build.stderr
    );
    assert!(!build.out().join(COPY_EN).exists());
    assert!(build.out().join("en/whole-guide/index.html").is_file());
    let home = build.page("en/index.html");
    assert!(!home.contains("download="), "{home}");
    assert!(
        home.contains("<a href=\"/en/flyer/\">"),
        "the flyer is still offered: {home}"
    );
}

#[test]
fn a_guide_too_long_for_one_page_gets_no_one_page_guide_and_no_link_to_one() {
    // Some 2.1 MB of Markdown: over the 2 MB a one-page guide may hold.
    let build = with_long_page(800);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    // The Spanish guide has the page too, as a fallback in English.
    for lang in ["en", "es"] {
        assert!(
            build.stderr.contains(&format!(
                "the guide in `{lang}` has 2.1 MB of text, too much for one page (at most 2.0 MB)"
            )),
            "{}",
            build.stderr
        );
    }
    assert!(!build.out().join("en/whole-guide/index.html").exists());
    assert!(!build.out().join("es/guia-completa/index.html").exists());
    assert!(!build.out().join(COPY_EN).exists());
    // Every page is still written, and none links to a guide that is not there.
    for page in [
        "en/guide/long/index.html",
        "en/guide/apply/index.html",
        "es/index.html",
    ] {
        let html = build.page(page);
        assert!(!html.contains("whole-guide"), "{page}: {html}");
        assert!(!html.contains("guia-completa"), "{page}: {html}");
    }
    let sitemap = build.page("sitemap.xml");
    assert!(!sitemap.contains("whole-guide"), "{sitemap}");
    assert!(sitemap.contains("/en/sources/"), "{sitemap}");
}

/// Builds the basic fixture with a page of `paragraphs` paragraphs of 2.6 KB each.
fn with_long_page(paragraphs: usize) -> Build {
    let dir = copy_fixture("basic");
    let paragraph = "Every sentence of this long page is here to make the guide long. ".repeat(40);
    let body = format!("{paragraph}\n\n").repeat(paragraphs);
    write(
        dir.path(),
        "content/guide/long.md",
        &format!("+++\ntitle = \"A very long page\"\n+++\n{body}"),
    );
    Build::run(dir, &[])
}
