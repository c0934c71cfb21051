//! Photos and drawings in pixels: decode, turn upright, resize for phones, re-encode as WebP
//! with a JPEG or PNG fallback. Nothing of the original file but its pixels survives, so no
//! metadata (EXIF, GPS, XMP, ICC, comments) can reach a reader.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::{Encoded, Kind};

/// The most pixels senda decodes: a 50-megapixel photo. Above it a picture is refused rather
/// than risk the memory of a small machine (a crafted file can claim any size).
const MAX_PIXELS: u64 = 50_000_000;

/// Decodes `bytes` (JPEG, PNG, WebP or GIF) and encodes one WebP per width in `widths` that
/// is narrower than the picture (never larger than the original), plus the original width
/// when it lies below the largest of `widths`; then a fallback at the smallest width. An
/// animated GIF keeps its first frame as the still, and a cleaned copy of the animation.
pub(crate) fn process(bytes: &[u8], widths: &[u32], quality: u8) -> Result<Encoded, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let Some(format) = reader.format() else {
        return Err("this is not a JPEG, PNG, WebP or GIF picture".into());
    };
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "the picture is {w} × {h} pixels, more than senda reads (50 megapixels)"
        ));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    picture.apply_orientation(orientation);
    let alpha = has_transparency(&picture);
    let picture = if alpha {
        DynamicImage::ImageRgba8(picture.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(picture.into_rgb8())
    };
    let animation = if format == ImageFormat::Gif {
        clean_animation(bytes)?
    } else {
        None
    };
    let mut variants = Vec::new();
    let mut current = picture;
    for width in targets(current.width(), widths).into_iter().rev() {
        if width != current.width() {
            let height = scaled_height(current.width(), current.height(), width);
            current = current.resize_exact(width, height, FilterType::CatmullRom);
        }
        variants.push((width, current.height(), webp(&current, quality)?));
    }
    variants.reverse();
    let fallback = fallback(&current, alpha, quality)?;
    Ok(Encoded {
        kind: if animation.is_some() {
            Kind::Animated
        } else {
            Kind::Raster
        },
        variants,
        fallback: Some(fallback),
        animation,
    })
}

/// The widths to produce for a picture `original` pixels wide: every configured width below
/// it, and the original itself when it is narrower than the largest (never upscaled).
fn targets(original: u32, widths: &[u32]) -> Vec<u32> {
    let largest = widths.iter().copied().max().unwrap_or(original);
    let mut out: Vec<u32> = widths.iter().copied().filter(|&w| w < original).collect();
    out.push(original.min(largest));
    out.sort_unstable();
    out.dedup();
    out
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let scaled = (u64::from(height) * u64::from(to) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(scaled.max(1)).unwrap_or(u32::MAX)
}

fn has_transparency(picture: &DynamicImage) -> bool {
    picture.color().has_alpha() && picture.to_rgba8().pixels().any(|p| p.0[3] < 255)
}

fn webp(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let encoder = match picture {
        DynamicImage::ImageRgba8(rgba) => {
            webp::Encoder::from_rgba(rgba.as_raw(), picture.width(), picture.height())
        }
        DynamicImage::ImageRgb8(rgb) => {
            webp::Encoder::from_rgb(rgb.as_raw(), picture.width(), picture.height())
        }
        _ => return Err("unexpected pixel layout".into()),
    };
    let memory = encoder
        .encode_simple(false, f32::from(quality))
        .map_err(|e| format!("cannot encode WebP: {e:?}"))?;
    Ok(memory.to_vec())
}

/// JPEG for a picture without transparency, PNG for one with: what a browser without WebP
/// (Safari before 14, on iPhones that cannot update past iOS 13) shows.
fn fallback(
    picture: &DynamicImage,
    alpha: bool,
    quality: u8,
) -> Result<(u32, u32, Vec<u8>), String> {
    let mut out = Vec::new();
    if alpha {
        picture
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|e| e.to_string())?;
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
        picture
            .write_with_encoder(encoder)
            .map_err(|e| e.to_string())?;
    }
    Ok((picture.width(), picture.height(), out))
}

/// An animated GIF written again frame by frame (see [`clean_gif`]); `None` for a GIF of
/// one frame.
fn clean_animation(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let gif = read_gif(bytes)?;
    if gif.frames.len() < 2 {
        return Ok(None);
    }
    write_gif(&gif).map(Some)
}

/// A GIF written again frame by frame, as it was (same palette indices, no new
/// quantisation), but with only the blocks a browser needs: comments, XMP and every other
/// application block are left behind.
pub(crate) fn clean_gif(bytes: &[u8]) -> Result<Vec<u8>, String> {
    write_gif(&read_gif(bytes)?)
}

struct Gif {
    width: u16,
    height: u16,
    palette: Vec<u8>,
    frames: Vec<gif::Frame<'static>>,
}

fn read_gif(bytes: &[u8]) -> Result<Gif, String> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(bytes).map_err(|e| e.to_string())?;
    let palette = decoder.global_palette().unwrap_or_default().to_vec();
    let (width, height) = (decoder.width(), decoder.height());
    let mut frames = Vec::new();
    while let Some(frame) = decoder.read_next_frame().map_err(|e| e.to_string())? {
        frames.push(frame.clone());
    }
    Ok(Gif {
        width,
        height,
        palette,
        frames,
    })
}

fn write_gif(gif: &Gif) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, gif.width, gif.height, &gif.palette)
            .map_err(|e| e.to_string())?;
        if gif.frames.len() > 1 {
            encoder
                .set_repeat(gif::Repeat::Infinite)
                .map_err(|e| e.to_string())?;
        }
        for frame in &gif.frames {
            encoder.write_frame(frame).map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_exceed_the_original() {
        assert_eq!(targets(4000, &[360, 720]), vec![360, 720]);
        assert_eq!(targets(500, &[360, 720]), vec![360, 500]);
        assert_eq!(targets(200, &[360, 720]), vec![200]);
        assert_eq!(targets(720, &[360, 720]), vec![360, 720]);
        assert_eq!(scaled_height(4000, 3000, 360), 270);
    }
}
