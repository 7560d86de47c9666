//! Printable documents: certificates of attendance (*attestati*) and signature sheets.
//! Plain PDF with the standard Helvetica fonts (WinAnsi encoding, which covers Italian), so
//! no font files ship with the binary and any reader can extract the text.
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const A4: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// One page being drawn.
struct Page {
    content: Content,
}

impl Page {
    fn new() -> Self {
        Self {
            content: Content::new(),
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let bytes = win_ansi(text);
        self.content
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    /// Writes `text` wrapped to `width` points; returns the y below it.
    fn paragraph(
        &mut self,
        x: f32,
        mut y: f32,
        width: f32,
        size: f32,
        bold: bool,
        text: &str,
    ) -> f32 {
        for line in wrap(text, (width / (size * 0.5)) as usize) {
            self.text(x, y, size, bold, &line);
            y -= size * 1.35;
        }
        y
    }

    fn rule(&mut self, x1: f32, y: f32, x2: f32) {
        self.content
            .set_line_width(0.5)
            .move_to(x1, y)
            .line_to(x2, y)
            .stroke();
    }
}

/// Windows-1252 bytes; characters it lacks become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            let mut buf = [0u8; 4];
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
            if unmappable || bytes.len() != 1 {
                b'?'
            } else {
                bytes[0]
            }
        })
        .collect()
}

/// Greedy word wrap at about `max` characters per line.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max.max(10) {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Assembles pages into a document with a title.
fn document(title: &str, pages: Vec<Page>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("cabina"));
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (page, id) in pages.into_iter().zip(&page_ids) {
        let content_id = Ref::new(id.get() + 1);
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, A4.0, A4.1));
        p.parent(tree);
        p.contents(content_id);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        fonts.pair(REGULAR, regular);
        fonts.pair(BOLD, bold);
        fonts.finish();
        resources.finish();
        p.finish();
        pdf.stream(content_id, &page.content.finish());
    }
    pdf.finish()
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

/// The *attestato di partecipazione* of a completed enrolment.
pub fn certificate_pdf(c: &Certificate<'_>) -> Vec<u8> {
    let mut page = Page::new();
    let width = A4.0 - 2.0 * MARGIN;
    let mut y = A4.1 - MARGIN - 10.0;
    page.text(MARGIN, y, 11.0, false, c.issuer);
    y -= 60.0;
    page.text(MARGIN, y, 24.0, true, "ATTESTATO DI PARTECIPAZIONE");
    y -= 20.0;
    page.text(MARGIN, y, 10.0, false, &format!("N. {}", c.number));
    y -= 50.0;
    page.text(MARGIN, y, 12.0, false, "Si attesta che");
    y -= 28.0;
    page.text(MARGIN, y, 18.0, true, c.person);
    y -= 18.0;
    page.text(
        MARGIN,
        y,
        11.0,
        false,
        &format!("codice fiscale {}", c.tax_code),
    );
    y -= 32.0;
    page.text(MARGIN, y, 12.0, false, "ha partecipato al corso");
    y -= 24.0;
    y = page.paragraph(MARGIN, y, width, 15.0, true, c.course_title);
    y -= 10.0;
    for (label, value) in [
        ("Tema", c.theme),
        ("Ente formatore", c.provider),
        ("Edizione", c.edition_title),
        ("Date", c.dates),
        ("Durata del corso", &format!("{} ore", c.course_hours)),
        ("Ore di frequenza", &format!("{} ore", c.hours)),
    ] {
        page.text(MARGIN, y, 11.0, true, label);
        y = page.paragraph(MARGIN + 120.0, y, width - 120.0, 11.0, false, value);
        y -= 4.0;
    }
    y -= 30.0;
    page.text(
        MARGIN,
        y,
        11.0,
        false,
        &format!("Rilasciato il {}", c.issued_on),
    );
    page.rule(MARGIN, MARGIN + 40.0, A4.0 - MARGIN);
    page.text(
        MARGIN,
        MARGIN + 24.0,
        9.0,
        false,
        &format!("Verifica dell'autenticità: {}", c.verify_url),
    );
    document(&format!("Attestato {}", c.number), vec![page])
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
    let pages = chunks
        .into_iter()
        .enumerate()
        .map(|(n, people)| {
            let mut page = Page::new();
            let width = A4.0 - 2.0 * MARGIN;
            let mut y = A4.1 - MARGIN;
            page.text(MARGIN, y, 16.0, true, "Foglio firme");
            y -= 22.0;
            y = page.paragraph(MARGIN, y, width, 12.0, true, s.course_title);
            page.text(
                MARGIN,
                y,
                10.0,
                false,
                &format!("{} — {}", s.edition_title, s.session),
            );
            y -= 28.0;
            page.text(MARGIN, y, 10.0, true, "N.");
            page.text(MARGIN + 28.0, y, 10.0, true, "Cognome e nome");
            page.text(MARGIN + 230.0, y, 10.0, true, "Comune");
            page.text(MARGIN + 360.0, y, 10.0, true, "Firma");
            y -= 8.0;
            page.rule(MARGIN, y, A4.0 - MARGIN);
            for (i, (name, comune)) in people.iter().enumerate() {
                y -= 24.0;
                let number = n * ROWS_PER_PAGE + i + 1;
                page.text(MARGIN, y + 6.0, 10.0, false, &number.to_string());
                page.text(MARGIN + 28.0, y + 6.0, 10.0, false, name);
                page.text(MARGIN + 230.0, y + 6.0, 10.0, false, comune);
                page.rule(MARGIN, y, A4.0 - MARGIN);
            }
            page.text(
                A4.0 - MARGIN - 60.0,
                MARGIN - 20.0,
                9.0,
                false,
                &format!("pagina {} di {total}", n + 1),
            );
            page
        })
        .collect();
    document(&format!("Foglio firme — {}", s.course_title), pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_letters_are_encoded_and_others_replaced() {
        assert_eq!(win_ansi("Città è"), b"Citt\xe0 \xe8");
        assert_eq!(win_ansi("日"), b"?");
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(
            wrap("uno due tre quattro cinque", 10),
            vec!["uno due", "tre", "quattro", "cinque"]
        );
        assert_eq!(wrap("", 10), vec![""]);
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
