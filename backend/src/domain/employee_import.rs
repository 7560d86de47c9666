//! Reading the employees' CSV that referenti export from their spreadsheets: UTF-8 or
//! Windows-1252, comma or semicolon, Italian or English headers. Every bad row is reported
//! with its line and field; nothing here touches the database.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::DomainError;
use super::comune::IstatCode;
use super::employee::{EmployeeFields, JobProfile, RiskClass, parse_name, parse_safety_roles};
use super::fiscal::TaxCode;
use super::user::Email;

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 20_000;

/// A valid row, with its line in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: usize,
    pub fields: EmployeeFields,
    /// The job title as written, when it was mapped to a contract area (a synonym, an old
    /// category) rather than given as the area itself: the import says what it understood.
    pub mapped_title: Option<String>,
}

/// Why a row (or the whole file, at line 1) cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: String,
    pub message: String,
}

/// Where rows may go: the comune used when the file has no comune column, and whether
/// rows may name another comune (only the admin's may).
#[derive(Debug, Clone)]
pub struct ImportScope {
    pub default_comune: Option<IstatCode>,
    pub only_comune: Option<IstatCode>,
}

/// UTF-8 (with or without BOM) when valid, otherwise Windows-1252, what Excel writes.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    TaxCode,
    GivenName,
    FamilyName,
    Email,
    OfficeArea,
    JobProfile,
    SafetyRoles,
    RiskClass,
    HireDate,
    Active,
    Comune,
}

const HEADERS: &[(Column, &[&str])] = &[
    (
        Column::TaxCode,
        &["codice_fiscale", "codice fiscale", "cf", "tax_code"],
    ),
    (Column::GivenName, &["nome", "given_name"]),
    (Column::FamilyName, &["cognome", "family_name"]),
    (Column::Email, &["email", "e-mail", "posta elettronica"]),
    (Column::OfficeArea, &["area", "ufficio", "office_area"]),
    (Column::JobProfile, &["profilo", "categoria", "job_profile"]),
    (
        Column::SafetyRoles,
        &["ruoli_sicurezza", "ruoli sicurezza", "safety_roles"],
    ),
    (
        Column::RiskClass,
        &["classe_rischio", "rischio", "risk_class"],
    ),
    (
        Column::HireDate,
        &["data_assunzione", "data assunzione", "hire_date"],
    ),
    (Column::Active, &["attivo", "active"]),
    (
        Column::Comune,
        &["comune", "codice_istat", "comune_istat_code"],
    ),
];

const REQUIRED: &[Column] = &[
    Column::TaxCode,
    Column::GivenName,
    Column::FamilyName,
    Column::OfficeArea,
    Column::JobProfile,
];

/// Parses a whole file. `areas` are the office areas as (code, name). Rows with a tax code
/// seen earlier in the file are errors.
pub fn parse(
    bytes: &[u8],
    scope: &ImportScope,
    areas: &[(String, String)],
) -> (Vec<ImportRow>, Vec<RowError>) {
    // One kind of line break, so that record positions map to the lines people see.
    let text = decode(bytes).replace("\r\n", "\n").replace('\r', "\n");
    // A NUL character is never data (and PostgreSQL cannot store it): its line is refused.
    let nul_lines: Vec<RowError> = text
        .split('\n')
        .enumerate()
        .filter(|(_, line)| line.contains('\0'))
        .map(|(index, _)| RowError {
            line: index + 1,
            field: "riga".into(),
            message: "la riga contiene un carattere nullo (U+0000)".into(),
        })
        .collect();
    if !nul_lines.is_empty() {
        return (Vec::new(), nul_lines);
    }
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let fail = |line, field: &str, message: &str| RowError {
        line,
        field: field.into(),
        message: message.into(),
    };
    let columns = match reader.headers() {
        Ok(headers) => match map_headers(headers) {
            Ok(columns) => columns,
            Err(missing) => {
                return (
                    Vec::new(),
                    vec![fail(1, missing, "colonna obbligatoria mancante")],
                );
            }
        },
        Err(_) => {
            return (
                Vec::new(),
                vec![fail(1, "file", "intestazione illeggibile")],
            );
        }
    };
    let (mut rows, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    // Line numbers as a spreadsheet shows them: newlines before the record's first byte.
    // (The reader's position may point at the break before the record, or at skipped empty
    // lines: step over those first.)
    let (mut counted_to, mut newlines) = (0, 0);
    let bytes = text.as_bytes();
    let mut line_at = |mut byte: usize| {
        while byte < bytes.len() && bytes[byte] == b'\n' {
            byte += 1;
        }
        let byte = byte.min(bytes.len());
        if byte > counted_to {
            newlines += bytes[counted_to..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            counted_to = byte;
        }
        newlines + 1
    };
    let mut previous_line = 1;
    for (index, record) in reader.records().enumerate() {
        let position = match &record {
            Ok(r) => r.position().cloned(),
            Err(e) => e.position().cloned(),
        };
        let counted = position.map_or(index + 2, |p| {
            line_at(usize::try_from(p.byte()).unwrap_or(usize::MAX))
        });
        // Records follow the header and each other, whatever the reader says of positions.
        let line = counted.max(previous_line + 1);
        previous_line = line;
        if index >= MAX_ROWS {
            errors.push(fail(
                line,
                "file",
                &format!("al massimo {MAX_ROWS} righe per file"),
            ));
            break;
        }
        let Ok(record) = record else {
            errors.push(fail(line, "file", "riga illeggibile"));
            continue;
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |column: Column| {
            columns
                .get(&column)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        match parse_row(cell, scope, areas) {
            Ok(fields) if !seen.insert(fields.tax_code.clone()) => {
                errors.push(fail(
                    line,
                    "tax_code",
                    "codice fiscale già presente in una riga precedente",
                ));
            }
            Ok(fields) => {
                let title = cell(Column::JobProfile);
                let mapped_title = JobProfile::from_title(title)
                    .is_ok_and(|(_, mapped)| mapped)
                    .then(|| title.to_owned());
                rows.push(ImportRow {
                    line,
                    fields,
                    mapped_title,
                });
            }
            Err(row_errors) => {
                errors.extend(row_errors.into_iter().map(|e| RowError {
                    line,
                    field: e.field,
                    message: e.message,
                }));
            }
        }
    }
    (rows, errors)
}

fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

fn map_headers(headers: &csv::StringRecord) -> Result<HashMap<Column, usize>, &'static str> {
    let mut columns = HashMap::new();
    for (index, header) in headers.iter().enumerate() {
        let header = header.trim().to_lowercase();
        if let Some((column, _)) = HEADERS
            .iter()
            .find(|(_, names)| names.contains(&header.as_str()))
        {
            columns.entry(*column).or_insert(index);
        }
    }
    for required in REQUIRED {
        if !columns.contains_key(required) {
            let (_, names) = HEADERS
                .iter()
                .find(|(c, _)| c == required)
                .expect("every column has names");
            return Err(names[0]);
        }
    }
    Ok(columns)
}

fn parse_row<'r>(
    cell: impl Fn(Column) -> &'r str,
    scope: &ImportScope,
    areas: &[(String, String)],
) -> Result<EmployeeFields, Vec<DomainError>> {
    let mut errors = Vec::new();
    macro_rules! check {
        ($result:expr) => {
            $result.map_err(|e| errors.push(e)).ok()
        };
    }
    let tax_code = check!(TaxCode::parse("tax_code", cell(Column::TaxCode)));
    let given_name = check!(parse_name("given_name", cell(Column::GivenName)));
    let family_name = check!(parse_name("family_name", cell(Column::FamilyName)));
    let email = check!(
        optional(cell(Column::Email))
            .map(|e| Email::parse("email", e))
            .transpose()
    );
    let office_area = check!(office_area(cell(Column::OfficeArea), areas));
    let job_profile = check!(JobProfile::from_title(cell(Column::JobProfile)).map(|(p, _)| p));
    let safety_roles = check!(parse_safety_roles(cell(Column::SafetyRoles)));
    let risk_class =
        check!(optional(cell(Column::RiskClass)).map_or(Ok(RiskClass::Basso), RiskClass::parse));
    let hire_date = check!(optional(cell(Column::HireDate)).map(parse_date).transpose());
    let active = check!(optional(cell(Column::Active)).map_or(Ok(true), parse_bool));
    let comune = check!(comune(cell(Column::Comune), scope));
    match (
        tax_code,
        given_name,
        family_name,
        email,
        office_area,
        job_profile,
        safety_roles,
        risk_class,
        hire_date,
        active,
        comune,
    ) {
        (
            Some(tax_code),
            Some(given_name),
            Some(family_name),
            Some(email),
            Some(office_area),
            Some(job_profile),
            Some(safety_roles),
            Some(risk_class),
            Some(hire_date),
            Some(active),
            Some(comune),
        ) if errors.is_empty() => Ok(EmployeeFields {
            comune,
            given_name,
            family_name,
            email,
            tax_code,
            office_area,
            job_profile,
            safety_roles,
            risk_class,
            hire_date,
            active,
        }),
        _ => Err(errors),
    }
}

fn optional(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// An office area by code or by name.
fn office_area(s: &str, areas: &[(String, String)]) -> Result<String, DomainError> {
    let wanted = s.to_lowercase();
    areas
        .iter()
        .find(|(code, name)| *code == wanted || name.to_lowercase() == wanted)
        .map(|(code, _)| code.clone())
        .ok_or_else(|| {
            DomainError::invalid("office_area", "area sconosciuta (vedi l'elenco delle aree)")
        })
}

/// `dd/mm/yyyy` as spreadsheets write dates, or ISO `yyyy-mm-dd`.
fn parse_date(s: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .map_err(|_| DomainError::invalid("hire_date", "data non valida (gg/mm/aaaa)"))
}

fn parse_bool(s: &str) -> Result<bool, DomainError> {
    match s.to_lowercase().as_str() {
        "sì" | "si" | "s" | "true" | "1" | "x" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(DomainError::invalid("active", "sì o no")),
    }
}

fn comune(s: &str, scope: &ImportScope) -> Result<IstatCode, DomainError> {
    let code = match optional(s) {
        Some(s) => {
            IstatCode::parse(s).map_err(|e| DomainError::invalid("comune_istat_code", e.message))?
        }
        None => scope.default_comune.clone().ok_or_else(|| {
            DomainError::invalid("comune_istat_code", "indicare il codice ISTAT del comune")
        })?,
    };
    match &scope.only_comune {
        Some(own) if *own != code => Err(DomainError::invalid(
            "comune_istat_code",
            "dipendente di un altro comune",
        )),
        _ => Ok(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Vec<(String, String)> {
        vec![
            ("tributi".into(), "Tributi".into()),
            ("demografici".into(), "Servizi demografici".into()),
        ]
    }

    fn scope() -> ImportScope {
        let imperia = IstatCode::parse("008031").unwrap();
        ImportScope {
            default_comune: Some(imperia.clone()),
            only_comune: Some(imperia),
        }
    }

    #[test]
    fn a_spreadsheet_export_in_windows_1252_with_semicolons_reads() {
        let text = "Codice fiscale;Nome;Cognome;Area;Profilo;Data assunzione;Attivo\r\n\
                    RSSMRA85T10A562S;Niccol\u{f2};Rossi;Tributi;Istruttori;01/02/2010;s\u{ec}\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let (rows, errors) = parse(&bytes, &scope(), &areas());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 1);
        let row = &rows[0].fields;
        assert_eq!(row.given_name, "Niccolò");
        assert_eq!(row.office_area, "tributi");
        assert_eq!(row.hire_date, NaiveDate::from_ymd_opt(2010, 2, 1));
        assert!(row.active);
        assert_eq!(row.comune.as_str(), "008031");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_and_field() {
        let text = "tax_code,given_name,family_name,office_area,job_profile,comune_istat_code\n\
                    RSSMRA85T10A562S,Mario,Rossi,tributi,istruttore,008031\n\
                    RSSMRA85T10A562T,Anna,Bianchi,tributi,istruttore,008031\n\
                    RSSMRA85T10A562S,Mario,Rossi,tributi,istruttore,008031\n\
                    BLTMHL77S04E889G,,Verdi,nessuna,capo,008055\n";
        let (rows, errors) = parse(text.as_bytes(), &scope(), &areas());
        assert_eq!(rows.len(), 1);
        let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
            [
                (3, "tax_code"),
                (4, "tax_code"),
                (5, "given_name"),
                (5, "office_area"),
                (5, "job_profile"),
                (5, "comune_istat_code")
            ]
        );
    }

    #[test]
    fn a_missing_required_column_rejects_the_file() {
        let (rows, errors) = parse(b"nome,cognome\nMario,Rossi\n", &scope(), &areas());
        assert!(rows.is_empty());
        assert_eq!(
            errors,
            [RowError {
                line: 1,
                field: "codice_fiscale".into(),
                message: "colonna obbligatoria mancante".into()
            }]
        );
    }

    #[test]
    fn line_numbers_follow_the_file_even_across_quoted_line_breaks() {
        let text = "cf,nome,cognome,area,profilo\r\nX,\"Ma\r\nria\",Rossi,tributi,istruttore\r\n\r\nRSSMRA85T10A562T,Anna,Bianchi,tributi,istruttore\r\n";
        let (_, errors) = parse(text.as_bytes(), &scope(), &areas());
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 5]);
    }

    #[test]
    fn utf8_with_bom_reads() {
        let text = "\u{feff}cf,nome,cognome,area,profilo\nRSSMRA85T10A562S,Zoë,Rossi,demografici,operatore\n";
        let (rows, errors) = parse(text.as_bytes(), &scope(), &areas());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows[0].fields.given_name, "Zoë");
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        /// Whatever the file, reading it ends in rows and errors, never a panic; errors point
        /// at lines of the file and name a field.
        fn check(bytes: &[u8]) {
            let (rows, errors) = parse(bytes, &scope(), &areas());
            let text = decode(bytes).replace("\r\n", "\n").replace('\r', "\n");
            let lines = text.matches('\n').count() + 1;
            for e in &errors {
                assert!(e.line >= 1 && e.line <= lines + 1, "{e:?} of {lines}");
                assert!(!e.field.is_empty() && !e.message.is_empty());
            }
            assert!(
                rows.iter().all(|r| r.line >= 2),
                "{:?}",
                rows.iter().map(|r| r.line).collect::<Vec<_>>()
            );
        }

        /// Files that once looked likely to trip a reader: kept as a fixed corpus.
        const CORPUS: &[&[u8]] = &[
            b"",
            b"\xEF\xBB\xBF",
            b"cf,nome,cognome,area,profilo",
            b"cf;nome;cognome;area;profilo\n;;;;\n\n",
            b"cf,nome,cognome,area,profilo\n\"RSSMRA85T10A562S,Mario\",Rossi\n",
            b"cf,nome,cognome,area,profilo\nRSSMRA85T10A562S,Mario,Rossi,tributi,istruttore,extra,cells\n",
            b"cf,nome,cognome,area,profilo\r\nRSSMRA85T10A562S,\xff\xfe,Rossi,tributi,istruttore\r\n",
            b"\"unterminated,nome\n",
            b"cf,cf,cf,nome,cognome,area,profilo\n1,2,3,4,5,6,7\n",
        ];

        #[test]
        fn the_corpus_reads_without_panicking() {
            for file in CORPUS {
                check(file);
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(1000))]

            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
                check(&bytes);
            }

            #[test]
            fn arbitrary_cells_under_a_valid_header_never_panic(
                cells in proptest::collection::vec("[^\n]{0,40}", 0..40),
                delimiter in prop::sample::select(vec![',', ';']),
            ) {
                let header = ["codice_fiscale", "nome", "cognome", "area", "profilo", "data_assunzione", "attivo", "comune"];
                let mut file = header.join(&delimiter.to_string());
                for row in cells.chunks(header.len()) {
                    file.push('\n');
                    file.push_str(&row.join(&delimiter.to_string()));
                }
                check(file.as_bytes());
            }
        }
    }
}
