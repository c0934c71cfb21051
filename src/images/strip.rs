//! Pictures published under their own name (`static/` and the theme: templates and style
//! sheets name them) lose the blocks that can say where, when and by whom they were made.
//! The pixels are not touched: JPEG, PNG and WebP are taken apart into their blocks and put
//! back without the metadata ones; a GIF is written again frame by frame.

use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::{CHUNK_XMP, WebP};
use img_parts::{Bytes, ImageEXIF, ImageICC};

/// PNG blocks a browser uses to draw the picture; every other block (text, EXIF, time, ICC
/// profile) is left out.
const PNG_KEPT: [&[u8; 4]; 13] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD",
    b"acTL", b"fcTL", b"fdAT",
];

/// `bytes` of the picture `name` without its metadata. An SVG is cleaned elsewhere; any other
/// kind of file comes back as it is.
pub(crate) fn strip(name: &str, bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let lower = name.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map_or("", |(_, ext)| ext);
    match extension {
        "jpg" | "jpeg" => jpeg(bytes),
        "png" => png(bytes),
        "webp" => webp(bytes),
        "gif" => super::raster::clean_gif(&bytes),
        _ => Ok(bytes),
    }
}

/// Keeps APP0 (JFIF) and APP14 (Adobe: how to read the colours); drops the other APP blocks
/// (EXIF and GPS, XMP, ICC, IPTC, maker notes) and comments.
fn jpeg(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut jpeg = Jpeg::from_bytes(Bytes::from(bytes)).map_err(|e| e.to_string())?;
    jpeg.segments_mut().retain(|segment| {
        let marker = segment.marker();
        let app = (markers::APP0..=markers::APP15).contains(&marker);
        marker != markers::COM && (!app || marker == markers::APP0 || marker == markers::APP14)
    });
    Ok(jpeg.encoder().bytes().to_vec())
}

fn png(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut png = Png::from_bytes(Bytes::from(bytes)).map_err(|e| e.to_string())?;
    png.chunks_mut()
        .retain(|chunk| PNG_KEPT.contains(&&chunk.kind()));
    Ok(png.encoder().bytes().to_vec())
}

fn webp(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut webp = WebP::from_bytes(Bytes::from(bytes)).map_err(|e| e.to_string())?;
    webp.remove_chunks_by_id(CHUNK_XMP);
    // These two also clear the header's flags for what was removed.
    webp.set_icc_profile(None);
    webp.set_exif(None);
    Ok(webp.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_text() -> Vec<u8> {
        let mut out = Vec::new();
        let picture = image::RgbImage::from_pixel(3, 2, image::Rgb([200, 80, 0]));
        picture
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("encode");
        let mut png = Png::from_bytes(Bytes::from(out)).expect("parse");
        let text = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"GPS\0near home"));
        png.chunks_mut().insert(1, text);
        png.encoder().bytes().to_vec()
    }

    #[test]
    fn a_png_loses_its_text_and_keeps_its_pixels() {
        let before = png_with_text();
        assert!(before.windows(9).any(|w| w == b"near home"));
        let after = strip("logo.PNG", before.clone()).expect("strip");
        assert!(!after.windows(9).any(|w| w == b"near home"));
        let (a, b) = (
            image::load_from_memory(&before).expect("before"),
            image::load_from_memory(&after).expect("after"),
        );
        assert_eq!(a.to_rgb8(), b.to_rgb8());
    }

    #[test]
    fn a_jpeg_loses_exif_and_comments_and_keeps_jfif() {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([10, 120, 200]))
            .write_to(
                &mut std::io::Cursor::new(&mut out),
                image::ImageFormat::Jpeg,
            )
            .expect("encode");
        let mut jpeg = Jpeg::from_bytes(Bytes::from(out)).expect("parse");
        jpeg.set_exif(Some(Bytes::from_static(b"MM\0*GPS near home")));
        let comment = img_parts::jpeg::JpegSegment::new_with_contents(
            markers::COM,
            Bytes::from_static(b"taken by Ana"),
        );
        jpeg.segments_mut().insert(1, comment);
        let before = jpeg.encoder().bytes().to_vec();
        let after = strip("photo.jpg", before.clone()).expect("strip");
        for secret in [&b"near home"[..], b"taken by Ana"] {
            assert!(before.windows(secret.len()).any(|w| w == secret));
            assert!(!after.windows(secret.len()).any(|w| w == secret));
        }
        let decoded = image::load_from_memory(&after).expect("still a JPEG");
        assert_eq!((decoded.width(), decoded.height()), (8, 8));
    }

    #[test]
    fn other_files_come_back_as_they_are() {
        assert_eq!(strip("notes.txt", b"hi".to_vec()), Ok(b"hi".to_vec()));
        assert!(strip("broken.png", b"not a png".to_vec()).is_err());
    }
}
