//! The typeface of printed documents: DejaVu Sans, regular and bold, built into the binary
//! (`assets/fonts/`, with its licence). The standard PDF fonts only reach Windows-1252, and
//! the names on a certificate come from everywhere (Łukasz, Šćepanović, Αλέξανδρος), so the
//! documents embed a real TrueType font instead.
//!
//! A [`Font`] measures text with its own advance widths, so wrapping and fitting are exact.
//! A [`Subset`] is that font as one document uses it: text is shown as two-byte glyph ids
//! (Identity-H), and at the end only the glyphs used are written into the PDF, as a
//! Type0/CIDFontType2 font with its widths, descriptor and a ToUnicode map, so that the file
//! stays small and its text can still be searched and copied.
use std::collections::BTreeMap;
use std::sync::LazyLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId};

pub static REGULAR: LazyLock<Font> = LazyLock::new(|| {
    Font::new(
        "DejaVuSans",
        include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    )
});
pub static BOLD: LazyLock<Font> = LazyLock::new(|| {
    Font::new(
        "DejaVuSans-Bold",
        include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
    )
});

/// A TrueType font file and its parsed tables.
pub struct Font {
    /// The PostScript name, which the PDF repeats with a subset tag in front.
    name: &'static str,
    data: &'static [u8],
    face: Face<'static>,
}

impl Font {
    fn new(name: &'static str, data: &'static [u8]) -> Self {
        let face = Face::parse(data, 0).expect("the bundled font parses");
        Self { name, data, face }
    }

    /// The glyph of `c`, or `.notdef` (an empty box) where the font has none.
    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    /// Font units to PDF glyph space, which counts thousandths of an em.
    fn to_pdf(&self, units: impl Into<f32>) -> f32 {
        units.into() * 1000.0 / f32::from(self.face.units_per_em())
    }

    fn advance(&self, glyph: GlyphId) -> f32 {
        self.to_pdf(self.face.glyph_hor_advance(glyph).unwrap_or(0))
    }

    /// Whether every character of `text` has a glyph of its own.
    #[cfg(test)]
    fn covers(&self, text: &str) -> bool {
        text.chars().all(|c| self.face.glyph_index(c).is_some())
    }

    /// How wide `text` is, in points, at `size` points: the sum of the advance widths of
    /// its glyphs, which is what a reader draws (no kerning is applied).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c)))
            .sum::<f32>()
            * size
            / 1000.0
    }
}

/// The glyphs of one font that one document uses.
pub struct Subset {
    font: &'static Font,
    /// Old glyph id to new; the new ids, in the order first used, are both the glyph ids
    /// of the subset font and the character codes of the content streams.
    glyphs: GlyphRemapper,
    /// The character each new glyph id was first used for, for the ToUnicode map.
    chars: BTreeMap<u16, char>,
}

/// Identity-H addresses glyphs directly; a ToUnicode map gives the text back.
const SYSTEM_INFO: SystemInfo = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

impl Subset {
    pub fn new(font: &'static Font) -> Self {
        Self {
            font,
            glyphs: GlyphRemapper::new(),
            chars: BTreeMap::new(),
        }
    }

    /// The string to show `text` with this font: the big-endian two-byte glyph id of each
    /// character, which are then kept in the subset.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(2 * text.len());
        for c in text.chars() {
            let glyph = self.font.glyph(c);
            let id = self.glyphs.remap(glyph.0);
            if glyph.0 != 0 {
                self.chars.entry(id).or_insert(c);
            }
            bytes.extend(id.to_be_bytes());
        }
        bytes
    }

    /// The ToUnicode CMap: which character each glyph id stands for.
    fn to_unicode(&self) -> Vec<u8> {
        let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
        for (&id, &c) in &self.chars {
            cmap.pair(id, c);
        }
        cmap.finish().to_vec()
    }

    /// A tag of six capitals in front of the name marks a subset (PDF 32000 9.6.4); it is
    /// derived from the glyphs kept, so the same text gives the same file.
    fn tag(&self) -> String {
        let mut hash = Sha256::new();
        for glyph in self.glyphs.remapped_gids() {
            hash.update(glyph.to_be_bytes());
        }
        hash.finalize()[..6]
            .iter()
            .map(|b| char::from(b'A' + b % 26))
            .collect()
    }

    /// Writes the font at `id` (the Type0 font that pages name), and its parts at ids
    /// taken from `next`.
    pub fn write(&self, pdf: &mut Pdf, id: Ref, next: &mut Ref) {
        let (cid_id, descriptor_id, cmap_id, file_id) =
            (next.bump(), next.bump(), next.bump(), next.bump());
        let font = self.font;
        let face = &font.face;
        let name = format!("{}+{}", self.tag(), font.name);
        let name = Name(name.as_bytes());

        pdf.type0_font(id)
            .base_font(name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid_id)
            .to_unicode(cmap_id);

        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(name)
            .system_info(SYSTEM_INFO)
            .font_descriptor(descriptor_id)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let widths: Vec<f32> = self
            .glyphs
            .remapped_gids()
            .map(|old| font.advance(GlyphId(old)))
            .collect();
        cid.widths().consecutive(0, widths);
        cid.finish();

        let bbox = face.global_bounding_box();
        let ascent = font.to_pdf(face.ascender());
        // Symbolic: the font has glyphs outside the standard Latin set.
        let mut flags = FontFlags::SYMBOLIC;
        flags.set(FontFlags::FIXED_PITCH, face.is_monospaced());
        pdf.font_descriptor(descriptor_id)
            .name(name)
            .flags(flags)
            .bbox(Rect::new(
                font.to_pdf(bbox.x_min),
                font.to_pdf(bbox.y_min),
                font.to_pdf(bbox.x_max),
                font.to_pdf(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(ascent)
            .descent(font.to_pdf(face.descender()))
            .cap_height(face.capital_height().map_or(ascent, |h| font.to_pdf(h)))
            // No table holds the stem width; this estimate from the weight is typst's.
            .stem_v(10.0 + 0.244 * (f32::from(face.weight().to_number()) - 50.0))
            .font_file2(file_id);

        pdf.stream(cmap_id, &deflate(&self.to_unicode()))
            .filter(Filter::FlateDecode);

        let subset =
            subsetter::subset(font.data, 0, &self.glyphs).expect("the bundled font can be subset");
        let compressed = deflate(&subset);
        pdf.stream(file_id, &compressed)
            .filter(Filter::FlateDecode)
            .pair(
                Name(b"Length1"),
                i32::try_from(subset.len()).unwrap_or(i32::MAX),
            );
    }
}

/// Zlib, as a FlateDecode stream wants it.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_cover_latin_extended_greek_and_cyrillic() {
        let letters: String = ('\u{00C0}'..='\u{024F}')
            .chain('\u{0391}'..='\u{03A9}')
            .chain('\u{03B1}'..='\u{03C9}')
            .chain('\u{0400}'..='\u{045F}')
            .filter(|c| !matches!(c, '\u{00D7}' | '\u{00F7}' | '\u{03A2}'))
            .collect();
        assert!(REGULAR.covers(&letters) && BOLD.covers(&letters));
        assert!(!REGULAR.covers("日本"));
    }

    #[test]
    fn widths_come_from_the_font() {
        // DejaVu Sans: 'i' is 569 units of 2048 wide, 'M' 1767.
        let size = 10.0;
        assert!((REGULAR.width("i", size) - 569.0 / 2048.0 * size).abs() < 0.01);
        assert!((REGULAR.width("M", size) - 1767.0 / 2048.0 * size).abs() < 0.01);
        assert!(BOLD.width("Łukasz Ōno", size) > REGULAR.width("Łukasz Ōno", size));
        assert_eq!(REGULAR.width("", size), 0.0);
    }

    #[test]
    fn a_subset_numbers_glyphs_as_used_and_maps_them_back_to_text() {
        let mut subset = Subset::new(&REGULAR);
        // .notdef is always glyph 0, so the first character is 1 and a repeat reuses it.
        assert_eq!(subset.encode("ŁŌŁ"), [0, 1, 0, 2, 0, 1]);
        assert_eq!(subset.encode("日"), [0, 0], "a missing glyph shows .notdef");
        let cmap = String::from_utf8(subset.to_unicode()).unwrap();
        assert!(cmap.contains("<0001> <0141>") && cmap.contains("<0002> <014C>"));
        assert!(
            cmap.contains("2 beginbfchar"),
            ".notdef stands for no text: {cmap}"
        );
        assert_eq!(subset.tag().len(), 6);
        assert!(subset.tag().chars().all(|c| c.is_ascii_uppercase()));
    }
}
