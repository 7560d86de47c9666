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

pub(crate) fn csv_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, ApiError> {
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    let sections = sheets.len() > 1;
    let mut writer = csv::Writer::from_writer(Vec::new());
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
                Cell::Number(n) => n.to_string(),
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
            "sezione,chiave,persone\nPer tema,privacy,12\nPer area,demografici,3\n"
        );
    }

    #[test]
    fn workbook_is_a_zip_container() {
        let bytes = xlsx_bytes(&sheets()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
