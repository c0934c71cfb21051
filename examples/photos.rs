//! Writes generated photo-like JPEGs for the image benchmark (`bench/images.sh`): smooth
//! shapes, light and texture, so that they compress like photos and not like flat colours.
//!
//! `cargo run --release --example photos -- DIR COUNT [WIDTH HEIGHT]`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (args.first(), args.get(1)) else {
        return Err("usage: photos DIR COUNT [WIDTH HEIGHT]".into());
    };
    let count: u32 = count.parse()?;
    let width: u32 = args.get(2).map_or(Ok(2000), |w| w.parse())?;
    let height: u32 = args.get(3).map_or(Ok(1500), |h| h.parse())?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    for n in 0..count {
        let path = dir.join(format!("photo-{n:03}.jpg"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88);
        photo(n, width, height).write_with_encoder(encoder)?;
    }
    Ok(())
}

/// Photo `n`: a few soft waves of colour with their own phases, and grain.
fn photo(n: u32, width: u32, height: u32) -> image::RgbImage {
    let mut seed = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let phases: Vec<f32> = (0..9).map(|_| (random() % 628) as f32 / 100.0).collect();
    image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let grain = (random() % 24) as f32 - 12.0;
        let channel = |c: usize| {
            let wave = (fx * (3.0 + c as f32) + phases[c]).sin()
                + (fy * (2.0 + c as f32) + phases[c + 3]).cos()
                + ((fx + fy) * 9.0 + phases[c + 6]).sin() * 0.3;
            (128.0 + wave * 50.0 + grain).clamp(0.0, 255.0) as u8
        };
        image::Rgb([channel(0), channel(1), channel(2)])
    })
}
