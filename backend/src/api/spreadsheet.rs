//! Tables offered as downloads next to JSON: `Accept: text/csv` gives one CSV file,
//! `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` an Excel
//! workbook with one worksheet per table.
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::domain::text::spreadsheet_safe;
use crate::error::ApiError;

/// The media type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The downloads a table can be had as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tabular {
    Csv,
    Xlsx,
}

/// The download the client asked for in `Accept`, if any (JSON otherwise).
pub fn requested(req: &HttpRequest) -> Option<Tabular> {
    let accept = req.headers().get(header::ACCEPT)?.to_str().ok()?;
    if accept.contains(XLSX) {
        Some(Tabular::Xlsx)
    } else if accept.contains("text/csv") {
        Some(Tabular::Csv)
    } else {
        None
    }
}

/// A spreadsheet value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        // Counts of people and lines: far below 2^53, exact as f64.
        Cell::Number(n as f64)
    }
}

/// One table: a worksheet, or a section of the CSV file.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Worksheet name (at most 31 characters, as Excel wants).
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The tables as a download named `stem`.csv or `stem`.xlsx. With several tables, the CSV
/// file gets a first column `sezione` naming the table of each row.
///
/// # Errors
/// Only if the writer fails, which is a bug: 500.
pub fn download(format: Tabular, stem: &str, sheets: &[Sheet]) -> Result<HttpResponse, ApiError> {
    let (body, content_type, extension) = match format {
        Tabular::Csv => (csv_bytes(sheets)?, "text/csv; charset=utf-8", "csv"),
        Tabular::Xlsx => (
            xlsx_bytes(sheets).map_err(|e| ApiError::Internal(e.into()))?,
            XLSX,
            "xlsx",
        ),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{extension}\""),
        ))
        .body(body))
}

/// The byte order mark that tells Excel the file is UTF-8 (without it, Italian Excel reads
/// "Zoë" as "ZoÃ«").
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV writer in the dialect Italian Excel opens with a double click: UTF-8 with a byte
/// order mark, semicolons (the comma is the decimal separator there), CRLF line ends.
/// Numbers go through [`italian_number`]. The import reads this dialect back.
pub fn excel_csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(UTF8_BOM.to_vec())
}

/// A number as Italian Excel reads it: a decimal comma, no thousands separator.
pub fn italian_number(n: f64) -> String {
    n.to_string().replace('.', ",")
}

/// Who reads a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvDialect {
    /// People, in Italian Excel: see [`excel_csv_writer`].
    ItalianExcel,
    /// Programs (open data): RFC 4180 with commas and a decimal point, no byte order mark.
    Rfc4180,
}

/// The office downloads: people open them in Excel.
pub(crate) fn csv_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, ApiError> {
    csv_bytes_in(CsvDialect::ItalianExcel, sheets)
}

pub(crate) fn csv_bytes_in(dialect: CsvDialect, sheets: &[Sheet]) -> Result<Vec<u8>, ApiError> {
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    let sections = sheets.len() > 1;
    let mut writer = match dialect {
        CsvDialect::ItalianExcel => excel_csv_writer(),
        CsvDialect::Rfc4180 => csv::Writer::from_writer(Vec::new()),
    };
    let number = |n: f64| match dialect {
        CsvDialect::ItalianExcel => italian_number(n),
        CsvDialect::Rfc4180 => n.to_string(),
    };
    let mut header: Vec<&str> = Vec::new();
    if sections {
        header.push("sezione");
    }
    header.extend(
        sheets
            .first()
            .map(|s| s.headers.clone())
            .unwrap_or_default(),
    );
    writer.write_record(&header).map_err(fail)?;
    for sheet in sheets {
        for row in &sheet.rows {
            let mut record: Vec<String> = Vec::with_capacity(row.len() + 1);
            if sections {
                record.push(sheet.name.to_owned());
            }
            record.extend(row.iter().map(|cell| match cell {
                Cell::Text(s) => spreadsheet_safe(s).into_owned(),
                Cell::Number(n) => number(*n),
            }));
            writer.write_record(&record).map_err(fail)?;
        }
    }
    writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

fn xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        for (col, title) in (0u16..).zip(&sheet.headers) {
            worksheet.write_string_with_format(0, col, *title, &bold)?;
        }
        for (row, cells) in (1u32..).zip(&sheet.rows) {
            for (col, cell) in (0u16..).zip(cells) {
                match cell {
                    Cell::Text(s) => worksheet.write_string(row, col, s)?,
                    Cell::Number(n) => worksheet.write_number(row, col, *n)?,
                };
            }
        }
        worksheet.set_freeze_panes(1, 0)?;
        worksheet.autofit();
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheets() -> Vec<Sheet> {
        vec![
            Sheet {
                name: "Per tema",
                headers: vec!["chiave", "persone"],
                rows: vec![vec!["privacy".into(), 12i64.into()]],
            },
            Sheet {
                name: "Per area",
                headers: vec!["chiave", "persone"],
                rows: vec![vec!["demografici".into(), 3i64.into()]],
            },
        ]
    }

    #[test]
    fn csv_of_several_tables_names_the_section_of_each_row() {
        let text = String::from_utf8(csv_bytes(&sheets()).unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}sezione;chiave;persone\r\nPer tema;privacy;12\r\nPer area;demografici;3\r\n"
        );
    }

    #[test]
    fn csv_numbers_carry_the_decimal_comma_italian_excel_reads() {
        let sheet = Sheet {
            name: "Ore",
            headers: vec!["chiave", "ore"],
            rows: vec![vec!["privacy".into(), Cell::Number(3.5)]],
        };
        let text = String::from_utf8(csv_bytes(&[sheet]).unwrap()).unwrap();
        assert!(text.ends_with("privacy;3,5\r\n"), "{text}");
    }

    #[test]
    fn workbook_is_a_zip_container() {
        let bytes = xlsx_bytes(&sheets()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
