//! Pictures: sites written by the test, with pictures generated here (a JPEG carrying GPS
//! EXIF, a photo stored sideways, a huge PNG, an animated GIF, SVGs), built, and the output
//! checked byte by byte.

mod common;

use std::path::Path;

use common::{Build, senda, snapshot, write};
use tempfile::TempDir;

const SITE: &str = "title = \"Pictures\"\nbase_url = \"https://example.org/repo/\"\ndefault_language = \"en\"\nlanguages_in_subdirs = true\n\n[languages.en]\nname = \"English\"\n\n[languages.es]\nname = \"Español\"\n";

/// Marks hidden in the metadata of the generated pictures: none may reach the output.
const GPS_MARK: &[u8] = b"SHELTER-19.4326N-99.1332W";
const GIF_MARK: &[u8] = b"SECRET-GIF-COMMENT";

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}")
}

/// A photo-like picture: smooth gradients with some texture, so WebP has work to do.
fn photo(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let t = ((x * 7 + y * 13) % 31) as u8;
        image::Rgb([(x % 256) as u8 ^ t, (y % 256) as u8, ((x + y) % 256) as u8])
    })
}

fn jpeg(picture: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    picture.write_with_encoder(encoder).expect("encode a JPEG");
    out
}

/// A JPEG with an EXIF block (APP1) holding an orientation, an image description with
/// [`GPS_MARK`] and a GPS position (Mexico City), as a phone writes it.
fn jpeg_with_exif(picture: &image::RgbImage, orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = Vec::new();
        e.extend(tag.to_le_bytes());
        e.extend(kind.to_le_bytes());
        e.extend(count.to_le_bytes());
        e.extend(value.to_le_bytes());
        e
    };
    // IFD0 at 8: 3 entries (2 + 36 + 4 bytes) -> data from 50.
    let description_at = 50u32;
    let gps_at = description_at + GPS_MARK.len() as u32 + 1;
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(entry(0x010e, 2, GPS_MARK.len() as u32 + 1, description_at));
    tiff.extend(entry(0x0112, 3, 1, u32::from(orientation)));
    tiff.extend(entry(0x8825, 4, 1, gps_at));
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(GPS_MARK);
    tiff.push(0);
    // GPS IFD: latitude reference and latitude (three rationals after the IFD).
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0")));
    tiff.extend(entry(0x0002, 5, 3, rationals_at));
    tiff.extend(0u32.to_le_bytes());
    for (n, d) in [(19u32, 1u32), (25, 1), (5736, 100)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let plain = jpeg(picture);
    let mut out = plain[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(
        u16::try_from(app1.len() + 2)
            .expect("a small block")
            .to_be_bytes(),
    );
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn png(picture: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode a PNG");
    out
}

/// An animated GIF of three frames, with a comment block holding [`GIF_MARK`].
fn animated_gif() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [0u8, 0, 0, 255, 255, 255, 200, 30, 30];
        let mut encoder = gif::Encoder::new(&mut out, 16, 16, &palette).expect("a GIF");
        encoder.set_repeat(gif::Repeat::Infinite).expect("loop");
        encoder
            .write_raw_extension(gif::Extension::Comment.into(), &[GIF_MARK])
            .expect("a comment");
        for k in 0..3u8 {
            let mut frame = gif::Frame {
                width: 16,
                height: 16,
                delay: 20,
                ..gif::Frame::default()
            };
            frame.buffer = (0..256u16)
                .map(|i| (i as u8 / 16 + k) % 3)
                .collect::<Vec<u8>>()
                .into();
            encoder.write_frame(&frame).expect("a frame");
        }
    }
    out
}

fn write_bytes(root: &Path, path: &str, bytes: &[u8]) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create a folder");
    std::fs::write(path, bytes).expect("write a picture");
}

/// Contains `needle`?
fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn site(extra_toml: &str) -> TempDir {
    let dir = TempDir::new().expect("temporary folder");
    write(dir.path(), "site.toml", &format!("{SITE}{extra_toml}"));
    write(dir.path(), "content/_index.md", &page("Home", "Welcome.\n"));
    write(
        dir.path(),
        "content/_index.es.md",
        &page("Inicio", "Bienvenida.\n"),
    );
    dir
}

/// The site of most tests: a guide page with a GPS-tagged photo, a sideways photo, a huge
/// PNG, an animated GIF and a drawing; a bundle with its own photo.
fn picture_site() -> TempDir {
    let dir = site("");
    let root = dir.path();
    write_bytes(
        root,
        "content/guide/office.jpg",
        &jpeg_with_exif(&photo(800, 600), 1),
    );
    write_bytes(
        root,
        "content/guide/sideways.jpg",
        &jpeg_with_exif(&photo(80, 40), 6),
    );
    write_bytes(root, "content/guide/huge.png", &png(&photo(3000, 2000)));
    write_bytes(root, "content/guide/moving.gif", &animated_gif());
    write(
        root,
        "content/guide/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\"><!-- by Ana --><text x=\"1\" y=\"20\">US</text></svg>\n",
    );
    write(
        root,
        "content/guide/map.es.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 100\"><text x=\"1\" y=\"20\">EE. UU.</text></svg>\n",
    );
    write(
        root,
        "content/guide/a.md",
        &page(
            "A",
            "![The COMAR office](office.jpg \"Front door\")\n\n![A card](sideways.jpg)\n\n![A big plan](huge.png)\n\n![A moving arrow](moving.gif)\n\n![Two routes](map.svg)\n\n![\"\"](map.svg)\n",
        ),
    );
    write(
        root,
        "content/guide/a.es.md",
        &page(
            "A",
            "![La oficina de la COMAR](office.jpg)\n\n<img src=\"map.svg\" alt=\"Dos rutas\">\n",
        ),
    );
    write_bytes(root, "content/blog/post/photo.jpg", &jpeg(&photo(500, 300)));
    write(
        root,
        "content/blog/post/index.md",
        &page("Post", "![A bundled photo](photo.jpg)\n"),
    );
    dir
}

#[test]
fn pictures_are_resized_stripped_and_described() {
    let build = Build::run(picture_site(), &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let files = snapshot(&build.out());
    for (path, bytes) in &files {
        assert!(!holds(bytes, GPS_MARK), "{path} holds the GPS block");
        assert!(!holds(bytes, GIF_MARK), "{path} holds the GIF comment");
        assert!(!holds(bytes, b"Exif"), "{path} holds EXIF");
        assert!(
            !holds(bytes, b"by Ana"),
            "{path} holds the drawing's comment"
        );
    }
    // No original is published as it is.
    for original in [
        "guide/office.jpg",
        "guide/huge.png",
        "guide/moving.gif",
        "guide/map.svg",
    ] {
        assert!(!files.contains_key(original), "{original} was copied");
    }
    let main = build.main("en/guide/a/index.html");
    // The GPS photo: two widths, a JPEG fallback, sizes, no layout shift, lazy.
    let office = main.split("<picture>").nth(1).expect("a <picture>");
    for expected in [
        "<source type=\"image/webp\" srcset=\"/repo/guide/office.360.",
        ".webp 360w, /repo/guide/office.720.",
        ".webp 720w\" sizes=\"",
        "<img src=\"/repo/guide/office.360.",
        ".jpg\" width=\"720\" height=\"540\" alt=\"The COMAR office\" title=\"Front door\" loading=\"lazy\" decoding=\"async\">",
    ] {
        assert!(
            office.contains(expected),
            "`{expected}` missing in {office}"
        );
    }
    // Stored sideways (EXIF orientation 6): turned upright, 40 wide and 80 high, never upscaled.
    assert!(
        main.contains("width=\"40\" height=\"80\" alt=\"A card\""),
        "{main}"
    );
    // The huge PNG: no wider than 720, much smaller than the original.
    assert!(
        main.contains("width=\"720\" height=\"480\" alt=\"A big plan\""),
        "{main}"
    );
    let huge_in = std::fs::metadata(build.dir.path().join("content/guide/huge.png"))
        .expect("the PNG")
        .len();
    let huge_out: usize = files
        .iter()
        .filter(|(p, _)| p.starts_with("guide/huge."))
        .map(|(_, b)| b.len())
        .sum();
    assert!(
        (huge_out as u64) * 10 < huge_in,
        "{huge_out} bytes out for {huge_in} in"
    );
    // The animated GIF: a still, and the animation (cleaned) behind a link.
    assert!(main.contains("alt=\"A moving arrow\""), "{main}");
    let gif = files
        .keys()
        .find(|p| p.starts_with("guide/moving.") && p.ends_with(".gif"))
        .expect("the animation");
    assert!(
        main.contains(&format!("<a href=\"/repo/{gif}\">Show animation (")),
        "{main}"
    );
    assert!(files[gif].starts_with(b"GIF89a"));
    // The drawing: one file, its size from the viewBox; a decorative copy has alt="".
    assert!(
        main.contains("width=\"200\" height=\"100\" alt=\"Two routes\""),
        "{main}"
    );
    assert!(main.contains("alt=\"\""), "{main}");
    // Spanish: its own drawing (map.es.svg), from raw HTML too.
    // The page has raw HTML, so the minifier drops the quotes it can: compare without them.
    let es = build.main("es/guide/a/index.html").replace('"', "");
    let map_es = files
        .keys()
        .find(|p| p.starts_with("guide/map.es."))
        .expect("the Spanish drawing");
    assert!(es.contains(&format!("src=/repo/{map_es}")), "{es}");
    assert!(
        es.contains("alt=Dos rutas") && es.contains("loading=lazy"),
        "{es}"
    );
    assert!(String::from_utf8_lossy(&files[map_es]).contains("EE. UU."));
    // A bundle's photo, referenced relatively, on the bundle's own page
    // (`blog/post/index.md` is `/blog/post/`, as in Zola): never upscaled (500 wide).
    let post = build.main("en/blog/post/index.html");
    assert!(
        post.contains("srcset=\"/repo/blog/post/photo.360."),
        "{post}"
    );
    assert!(post.contains(".webp 500w\""), "{post}");
    // Content-hashed names are cached for a year.
    let headers = build.page("_headers");
    assert!(headers.contains("/repo/guide/office.720."), "{headers}");
    assert!(
        build.stdout.contains("heaviest page /repo/"),
        "{}",
        build.stdout
    );
}

#[test]
fn the_same_pictures_give_the_same_bytes_and_a_second_build_reuses_the_cache() {
    let dir = picture_site();
    let first = Build::run(dir, &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = snapshot(&first.out());
    let cache = first.dir.path().join(".senda-cache/images");
    // Without a cache, the same bytes again.
    std::fs::remove_dir_all(&cache).expect("remove the cache");
    let second = Build::run(first.dir, &[]);
    assert_eq!(
        snapshot(&second.out()),
        before,
        "a build from scratch differs"
    );
    // A second build takes the cached files instead of encoding again: a cache entry
    // changed by hand shows in the output.
    let entry = std::fs::read_dir(&cache)
        .expect("the cache")
        .filter_map(Result::ok)
        .find(|e| {
            std::fs::read_to_string(e.path().join("meta.json")).is_ok_and(|m| m.contains("Svg"))
        })
        .expect("a cached drawing");
    std::fs::write(entry.path().join("v0"), "<svg>from the cache</svg>").expect("write");
    let third = Build::run(second.dir, &[]);
    let out = snapshot(&third.out());
    assert!(
        out.values().any(|b| holds(b, b"from the cache")),
        "the cache was not used"
    );
}

#[test]
fn a_picture_without_description_is_an_error_at_its_line() {
    let dir = site("");
    write_bytes(dir.path(), "content/a.jpg", &jpeg(&photo(40, 30)));
    write(
        dir.path(),
        "content/p.md",
        &page("P", "Text.\n\n![](a.jpg)\n\n<img src=\"a.jpg\">\n"),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("error: content/p.md:6: the picture `a.jpg` has no description"),
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .contains("content/p.md:8: the picture `a.jpg` has no description"),
        "{}",
        build.stderr
    );
    assert!(!build.out().exists(), "nothing is written");
}

#[test]
fn a_drawing_with_a_script_is_refused_at_its_line() {
    let dir = site("");
    write(
        dir.path(),
        "content/bad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<rect width=\"5\" height=\"5\"/>\n<script>alert(1)</script>\n</svg>\n",
    );
    write(
        dir.path(),
        "content/p.md",
        &page("P", "![A box](bad.svg)\n"),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("error: content/bad.svg:3: this drawing contains a <script>"),
        "{}",
        build.stderr
    );
}

#[test]
fn a_translation_must_describe_pictures_in_its_own_language() {
    let dir = site("");
    write_bytes(dir.path(), "content/a.jpg", &jpeg(&photo(40, 30)));
    write(
        dir.path(),
        "content/p.md",
        &page("P", "![The office](a.jpg)\n"),
    );
    write(
        dir.path(),
        "content/p.es.md",
        &page("P", "Texto.\n\n![The office](a.jpg)\n"),
    );
    let root = dir.path().to_path_buf();
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build.stderr.contains(
            "warning: content/p.es.md:6: the description of `a.jpg` is the one in `content/p.md`"
        ),
        "{}",
        build.stderr
    );
    let status = senda(&root, &["status"]);
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(
        text.contains("picture descriptions: 1 still in the original language"),
        "{text}"
    );
}

#[test]
fn a_page_over_its_budget_is_a_warning_and_heavy_pictures_wait_for_a_tap() {
    let dir = site("\n[images]\npage_budget_kb = 1\ntap_to_load_kb = 1000\n");
    write_bytes(dir.path(), "content/a.jpg", &jpeg(&photo(800, 600)));
    write(
        dir.path(),
        "content/p.md",
        &page("P", "One.\n\n![A](a.jpg)\n\n![B](a.jpg)\n"),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("warning: content/p.md:6: with this picture the page's pictures weigh"),
        "{}",
        build.stderr
    );
    assert_eq!(
        common::count(&build.stderr, "over the budget"),
        1,
        "{}",
        build.stderr
    );

    let dir = site("\n[images]\ntap_to_load_kb = 1\n");
    write_bytes(dir.path(), "content/a.jpg", &jpeg(&photo(800, 600)));
    write(
        dir.path(),
        "content/p.md",
        &page("P", "![The office](a.jpg)\n"),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let main = build.main("en/p/index.html");
    assert!(!main.contains("<img"), "{main}");
    assert!(
        main.contains("<span class=\"tap\">The office <a href=\"/repo/a.360."),
        "{main}"
    );
    assert!(main.contains("\">Show picture ("), "{main}");
}

#[test]
fn an_edited_picture_is_processed_again_even_with_a_warm_cache() {
    let dir = site("");
    write_bytes(dir.path(), "content/a.png", &png(&photo(40, 30)));
    write(
        dir.path(),
        "content/p.md",
        &page("P", "![A gradient](a.png)\n"),
    );
    let first = Build::run(dir, &[]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let names = |build: &Build| -> Vec<String> {
        snapshot(&build.out())
            .into_keys()
            .filter(|k| k.contains("a.") && k.ends_with(".webp"))
            .collect()
    };
    let before = names(&first);
    assert!(!before.is_empty(), "no WebP for a.png");
    // Another picture under the same name, as an editor saves it: its size in pixels
    // changes, so its variants must be named and sized anew, not taken from the cache.
    write_bytes(first.dir.path(), "content/a.png", &png(&photo(30, 20)));
    let second = Build::run(first.dir, &[]);
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    let after = names(&second);
    assert_ne!(before, after, "the edited picture was taken from the cache");
    let page =
        String::from_utf8(snapshot(&second.out())["en/p/index.html"].clone()).expect("UTF-8");
    assert!(page.contains("width=\"30\" height=\"20\""), "{page}");
}

/// A Zola-shaped site: pictures in `static/` named from Markdown by their address, and from
/// a template or style sheet by their own name.
#[test]
fn pictures_in_static_are_processed_and_published_without_metadata() {
    let dir = site("");
    let root = dir.path();
    write_bytes(
        root,
        "static/img/road.jpg",
        &jpeg_with_exif(&photo(900, 600), 1),
    );
    write_bytes(root, "static/img/dots.gif", &animated_gif());
    write_bytes(root, "static/files/notes.txt", GPS_MARK);
    write(
        root,
        "content/guide/_index.md",
        &page("Guide", "![The road north](/img/road.jpg)\n"),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let files = snapshot(&build.out());
    // Markdown gets the resized copies.
    let guide = build.main("en/guide/index.html");
    assert!(guide.contains("srcset=\"/repo/img/road.360."), "{guide}");
    assert!(guide.contains("alt=\"The road north\""), "{guide}");
    // The original name still works, as the same picture without its EXIF block.
    let original = &files["img/road.jpg"];
    assert!(
        !holds(original, GPS_MARK),
        "static/ published the GPS block"
    );
    let decoded = image::load_from_memory(original).expect("still a JPEG");
    assert_eq!((decoded.width(), decoded.height()), (900, 600));
    assert!(!holds(&files["img/dots.gif"], GIF_MARK));
    assert_eq!(
        image::load_from_memory(&files["img/dots.gif"])
            .expect("still a GIF")
            .width(),
        16
    );
    // Files that are not pictures are the author's to publish, as they are.
    assert!(holds(&files["files/notes.txt"], GPS_MARK));
}

#[test]
fn a_missing_picture_says_where_senda_looked() {
    let dir = site("");
    write(
        dir.path(),
        "content/guide/_index.md",
        &page("Guide", "![A map](/img/map.png)\n"),
    );
    let build = Build::run(dir, &[]);
    assert_ne!(build.code, Some(0));
    assert!(
        build
            .stderr
            .contains("looked for content/img/map.png and static/img/map.png"),
        "{}",
        build.stderr
    );
}

#[test]
fn an_img_without_src_is_left_out_with_a_warning() {
    let dir = site("");
    write(
        dir.path(),
        "content/guide/_index.md",
        &page(
            "Guide",
            "Before.\n\n<p>A <img srcset=\"https://x.example/a.webp 2x\" alt=\"A map\"> b</p>\n",
        ),
    );
    let build = Build::run(dir, &[]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build
            .stderr
            .contains("content/guide/_index.md:6: an `<img>` without `src` shows nothing"),
        "{}",
        build.stderr
    );
    assert!(
        build.stderr.contains("from another website"),
        "{}",
        build.stderr
    );
    let guide = build.main("en/guide/index.html");
    assert!(
        !guide.contains("<img") && !guide.contains("x.example"),
        "{guide}"
    );
}
