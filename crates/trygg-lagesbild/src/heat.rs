//! The heat surface as a PNG with transparency, to lay over a map between its bounds.

use crate::model::HeatSurface;

/// Draws the surface, one pixel per grid cell, north up: transparent where there are
/// no pins, then yellow through orange to dark red at the highest density.
///
/// # Errors
/// [`png::EncodingError`] if the image cannot be encoded.
pub fn png(surface: &HeatSurface) -> Result<Vec<u8>, png::EncodingError> {
    let max = surface.values.iter().copied().fold(0.0_f64, f64::max);
    let mut pixels = Vec::with_capacity(surface.columns * surface.rows * 4);
    for row in (0..surface.rows).rev() {
        for column in 0..surface.columns {
            let value = surface
                .values
                .get(row * surface.columns + column)
                .copied()
                .unwrap_or(0.0);
            let t = if max > 0.0 { value / max } else { 0.0 };
            pixels.extend_from_slice(&colour(t));
        }
    }
    let mut out = Vec::new();
    {
        let width = u32::try_from(surface.columns).unwrap_or(u32::MAX);
        let height = u32::try_from(surface.rows).unwrap_or(u32::MAX);
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}

/// Yellow → orange → dark red, more opaque as it gets hotter; nothing below 2 %.
fn colour(t: f64) -> [u8; 4] {
    if t < 0.02 {
        return [0, 0, 0, 0];
    }
    let t = t.clamp(0.0, 1.0);
    let (r, g, b) = if t < 0.5 {
        let s = t / 0.5;
        (255.0, 230.0 - 100.0 * s, 80.0 - 60.0 * s)
    } else {
        let s = (t - 0.5) / 0.5;
        (255.0 - 90.0 * s, 130.0 - 110.0 * s, 20.0)
    };
    [r as u8, g as u8, b as u8, (90.0 + 140.0 * t) as u8]
}
