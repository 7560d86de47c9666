//! Printable documents: certificates of attendance (*attestati*) and signature sheets.
//! Plain PDF drawn with pdf-writer in DejaVu Sans, embedded and subset ([`font`]), so that
//! a name prints in full whatever its alphabet and the text can still be extracted.
mod font;

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, TextStr};

use font::{BOLD, Font, REGULAR, Subset, deflate};

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const LINE_SPACING: f32 = 1.35;
/// Below this size a table cell wraps its text instead of shrinking it further.
const MIN_CELL_SIZE: f32 = 6.0;

/// A document being drawn: its pages and the glyphs each face has used so far.
struct Document {
    pages: Vec<Content>,
    regular: Subset,
    bold: Subset,
}

impl Document {
    const REGULAR: Name<'static> = Name(b"F1");
    const BOLD: Name<'static> = Name(b"F2");

    fn new() -> Self {
        Self {
            pages: Vec::new(),
            regular: Subset::new(&REGULAR),
            bold: Subset::new(&BOLD),
        }
    }

    /// Starts a page; drawing goes on it until the next.
    fn page(&mut self) {
        self.pages.push(Content::new());
    }

    fn font(bold: bool) -> &'static Font {
        if bold { &BOLD } else { &REGULAR }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let (name, subset) = if bold {
            (Self::BOLD, &mut self.bold)
        } else {
            (Self::REGULAR, &mut self.regular)
        };
        let glyphs = subset.encode(text);
        self.pages
            .last_mut()
            .expect("a page was started")
            .begin_text()
            .set_font(name, size)
            .next_line(x, y)
            .show(pdf_writer::Str(&glyphs))
            .end_text();
    }

    /// Writes `text` wrapped to `width` points; returns the y of the line below it.
    fn paragraph(
        &mut self,
        x: f32,
        mut y: f32,
        width: f32,
        size: f32,
        bold: bool,
        text: &str,
    ) -> f32 {
        for line in wrap(Self::font(bold), size, width, text) {
            self.text(x, y, size, bold, &line);
            y -= size * LINE_SPACING;
        }
        y
    }

    /// Writes `text` on one line of a table cell `width` points wide, smaller than `size`
    /// if it must be, and wrapped only when even [`MIN_CELL_SIZE`] is too large.
    fn cell(&mut self, x: f32, y: f32, width: f32, size: f32, bold: bool, text: &str) {
        let natural = Self::font(bold).width(text, size);
        let size = if natural > width {
            (size * width / natural).max(MIN_CELL_SIZE)
        } else {
            size
        };
        let lines = wrap(Self::font(bold), size, width, text);
        // A wrapped cell grows upwards from the baseline, so it stays above its rule.
        let mut y = y + (lines.len() - 1) as f32 * size * 1.1;
        for line in lines {
            self.text(x, y, size, bold, &line);
            y -= size * 1.1;
        }
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32) {
        self.pages
            .last_mut()
            .expect("a page was started")
            .set_line_width(0.5)
            .move_to(x1, y)
            .line_to(x2, y)
            .stroke();
    }

    /// The finished file, with a title, and with each face subset to the glyphs drawn.
    fn finish(self, title: &str) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let mut next = Ref::new(1);
        let (catalog, tree, info) = (next.bump(), next.bump(), next.bump());
        let (regular, bold) = (next.bump(), next.bump());
        let page_ids: Vec<(Ref, Ref)> = self
            .pages
            .iter()
            .map(|_| (next.bump(), next.bump()))
            .collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree)
            .kids(page_ids.iter().map(|(page, _)| *page))
            .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("cabina"));
        for (content, (id, content_id)) in self.pages.into_iter().zip(page_ids) {
            let mut page = pdf.page(id);
            page.media_box(Rect::new(0.0, 0.0, A4.0, A4.1));
            page.parent(tree);
            page.contents(content_id);
            page.resources()
                .fonts()
                .pair(Self::REGULAR, regular)
                .pair(Self::BOLD, bold);
            page.finish();
            pdf.stream(content_id, &deflate(&content.finish()))
                .filter(Filter::FlateDecode);
        }
        self.regular.write(&mut pdf, regular, &mut next);
        self.bold.write(&mut pdf, bold, &mut next);
        pdf.finish()
    }
}

/// Greedy word wrap to `width` points at `size`, measured with `font`. A word wider than
/// a whole line (a long URL) is broken between characters rather than left to overflow.
fn wrap(font: &Font, size: f32, width: f32, text: &str) -> Vec<String> {
    let fits = |s: &str| font.width(s, size) <= width;
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            line.push(c);
            if !fits(&line) && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// What a certificate states.
pub struct Certificate<'a> {
    pub number: &'a str,
    pub issuer: &'a str,
    pub person: &'a str,
    pub tax_code: &'a str,
    pub course_title: &'a str,
    pub theme: &'a str,
    pub provider: &'a str,
    pub edition_title: &'a str,
    /// "dal 15/03/2027 al 22/03/2027".
    pub dates: &'a str,
    /// "7,5".
    pub hours: &'a str,
    pub course_hours: &'a str,
    pub issued_on: &'a str,
    pub verify_url: &'a str,
}

/// The *attestato di partecipazione* of a completed enrolment. Everything that comes from
/// the database is wrapped to the page, however long.
pub fn certificate_pdf(c: &Certificate<'_>) -> Vec<u8> {
    let mut doc = Document::new();
    doc.page();
    let width = A4.0 - 2.0 * MARGIN;
    let mut y = A4.1 - MARGIN - 10.0;
    doc.paragraph(MARGIN, y, width, 11.0, false, c.issuer);
    y -= 60.0;
    doc.text(MARGIN, y, 24.0, true, "ATTESTATO DI PARTECIPAZIONE");
    y -= 20.0;
    doc.text(MARGIN, y, 10.0, false, &format!("N. {}", c.number));
    y -= 50.0;
    doc.text(MARGIN, y, 12.0, false, "Si attesta che");
    y -= 28.0;
    y = doc.paragraph(MARGIN, y, width, 18.0, true, c.person);
    // The tax code sits close under the (last line of the) name.
    y += 18.0 * LINE_SPACING - 18.0;
    doc.text(
        MARGIN,
        y,
        11.0,
        false,
        &format!("codice fiscale {}", c.tax_code),
    );
    y -= 32.0;
    doc.text(MARGIN, y, 12.0, false, "ha partecipato al corso");
    y -= 24.0;
    y = doc.paragraph(MARGIN, y, width, 15.0, true, c.course_title);
    y -= 10.0;
    for (label, value) in [
        ("Tema", c.theme),
        ("Ente formatore", c.provider),
        ("Edizione", c.edition_title),
        ("Date", c.dates),
        ("Durata del corso", &format!("{} ore", c.course_hours)),
        ("Ore di frequenza", &format!("{} ore", c.hours)),
    ] {
        doc.text(MARGIN, y, 11.0, true, label);
        y = doc.paragraph(MARGIN + 120.0, y, width - 120.0, 11.0, false, value);
        y -= 4.0;
    }
    y -= 30.0;
    doc.text(
        MARGIN,
        y,
        11.0,
        false,
        &format!("Rilasciato il {}", c.issued_on),
    );
    doc.rule(MARGIN, MARGIN + 40.0, A4.0 - MARGIN);
    doc.paragraph(
        MARGIN,
        MARGIN + 24.0,
        width,
        9.0,
        false,
        &format!("Verifica dell'autenticità: {}", c.verify_url),
    );
    doc.finish(&format!("Attestato {}", c.number))
}

/// What a signature sheet lists.
pub struct SignatureSheet<'a> {
    pub course_title: &'a str,
    pub edition_title: &'a str,
    /// "15/03/2027, 09:30–12:30, Sala della Provincia".
    pub session: &'a str,
    /// Name and comune of each person expected.
    pub people: &'a [(String, String)],
}

const ROWS_PER_PAGE: usize = 22;

/// The sheet people sign at a session, one row each, with a blank signature column.
pub fn signature_sheet_pdf(s: &SignatureSheet<'_>) -> Vec<u8> {
    let chunks: Vec<&[(String, String)]> = if s.people.is_empty() {
        vec![&[]]
    } else {
        s.people.chunks(ROWS_PER_PAGE).collect()
    };
    let total = chunks.len();
    let mut doc = Document::new();
    let width = A4.0 - 2.0 * MARGIN;
    for (n, people) in chunks.into_iter().enumerate() {
        doc.page();
        let mut y = A4.1 - MARGIN;
        doc.text(MARGIN, y, 16.0, true, "Foglio firme");
        y -= 22.0;
        y = doc.paragraph(MARGIN, y, width, 12.0, true, s.course_title);
        y = doc.paragraph(
            MARGIN,
            y,
            width,
            10.0,
            false,
            &format!("{} — {}", s.edition_title, s.session),
        );
        y -= 14.0;
        // Columns: number, name, comune, signature; each cell keeps to its own.
        let columns = [(0.0, 28.0), (28.0, 230.0), (230.0, 360.0), (360.0, width)];
        for ((from, _), heading) in columns
            .iter()
            .zip(["N.", "Cognome e nome", "Comune", "Firma"])
        {
            doc.text(MARGIN + from, y, 10.0, true, heading);
        }
        y -= 8.0;
        doc.rule(MARGIN, y, A4.0 - MARGIN);
        for (i, (name, comune)) in people.iter().enumerate() {
            y -= 24.0;
            let number = (n * ROWS_PER_PAGE + i + 1).to_string();
            for ((from, to), text) in columns.iter().zip([&number, name, comune]) {
                doc.cell(MARGIN + from, y + 6.0, to - from - 6.0, 10.0, false, text);
            }
            doc.rule(MARGIN, y, A4.0 - MARGIN);
        }
        doc.text(
            A4.0 - MARGIN - 60.0,
            MARGIN - 20.0,
            9.0,
            false,
            &format!("pagina {} di {total}", n + 1),
        );
    }
    doc.finish(&format!("Foglio firme — {}", s.course_title))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certificate(person: &str, course_title: &str) -> Vec<u8> {
        certificate_pdf(&Certificate {
            number: "IM-2027-000901-5F3A9C0B7E",
            issuer: "Provincia di Imperia",
            person,
            tax_code: "NOOLKS80A01Z127X",
            course_title,
            theme: "Privacy",
            provider: "Formazione Ligure",
            edition_title: "Primavera",
            dates: "dal 15/03/2027 al 22/03/2027",
            hours: "7,5",
            course_hours: "8",
            issued_on: "23/03/2027",
            verify_url: "https://cabina.example/api/v1/certificates/IM-2027-000901-5F3A9C0B7E",
        })
    }

    #[test]
    fn wrapping_measures_with_the_font_and_keeps_words_whole() {
        let text = "Corso di aggiornamento sulla protezione dei dati personali";
        let lines = wrap(&REGULAR, 11.0, 150.0, text);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert!(lines.iter().all(|l| REGULAR.width(l, 11.0) <= 150.0));
        // Narrow letters fit more to a line than wide ones.
        assert_eq!(wrap(&REGULAR, 10.0, 60.0, "iiii iiii iiii").len(), 1);
        assert_eq!(wrap(&REGULAR, 10.0, 60.0, "MMMM MMMM MMMM").len(), 3);
        assert_eq!(wrap(&REGULAR, 10.0, 60.0, ""), vec![""]);
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_not_left_to_overflow() {
        let url = "https://cabina.example/api/v1/certificates/IM-2027-000901-5F3A9C0B7E";
        let lines = wrap(&REGULAR, 9.0, 120.0, url);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
        assert!(lines.iter().all(|l| REGULAR.width(l, 9.0) <= 120.0));
    }

    #[test]
    fn a_certificate_embeds_a_subset_of_a_unicode_font() {
        let pdf = certificate(
            "Łukasz Ōno Šćepanović Αλέξανδρος Дмитрий",
            "Corso di privacy",
        );
        let raw = String::from_utf8_lossy(&pdf);
        for entry in [
            "/Subtype /Type0",
            "/Encoding /Identity-H",
            "/Subtype /CIDFontType2",
            "/ToUnicode",
            "/FontFile2",
            "/W [",
            "+DejaVuSans-Bold",
        ] {
            assert!(raw.contains(entry), "{entry} missing");
        }
        assert!(!raw.contains("Helvetica"));
        // The two faces are 1.4 MB; the glyphs of one page are a few kilobytes.
        assert!(pdf.len() < 40_000, "{} bytes", pdf.len());
    }

    #[test]
    fn a_long_sheet_takes_several_pages() {
        let people: Vec<(String, String)> = (0..50)
            .map(|i| (format!("Persona {i}"), "Imperia".to_owned()))
            .collect();
        let pdf = signature_sheet_pdf(&SignatureSheet {
            course_title: "Privacy",
            edition_title: "Imperia",
            session: "15/03/2027",
            people: &people,
        });
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 3"));
    }
}
