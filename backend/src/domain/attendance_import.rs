//! Attendance reports exported by webinar tools (Zoom, Teams, GoToWebinar, Webex…): one row
//! per connection, with the participant's e-mail and how long they stayed. Rows of the same
//! person add up (people drop and rejoin).
use std::collections::BTreeMap;

use super::employee_import::decode;

/// A bad line of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportError {
    /// Line in the file, the header being where it is.
    pub line: u64,
    pub field: &'static str,
    pub message: String,
}

/// Minutes of presence per e-mail (lower case), and the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceReport {
    pub minutes: BTreeMap<String, i32>,
    /// The line of each e-mail's first row, to report people who are not enrolled.
    pub first_line: BTreeMap<String, u64>,
    pub errors: Vec<ReportError>,
}

const EMAIL_HEADERS: &[&str] = &[
    "email",
    "e-mail",
    "user email",
    "email address",
    "e-mail address",
    "attendee email",
    "participant email",
    "indirizzo e-mail",
    "indirizzo email",
    "posta elettronica",
];

const DURATION_HEADERS: &[&str] = &[
    "duration (minutes)",
    "duration (mins)",
    "durata (minuti)",
    "time in session (minutes)",
    "minutes",
    "minuti",
    "duration",
    "durata",
    "in-meeting duration",
    "durata in riunione",
    "attendance duration",
];

/// Reads a report. The header is the first line naming an e-mail and a duration column
/// (Teams puts a summary above it).
pub fn parse(bytes: &[u8]) -> AttendanceReport {
    let text = decode_report(bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let delimiter = [b'\t', b';', b',']
        .into_iter()
        .max_by_key(|d| text.matches(char::from(*d)).count())
        .unwrap_or(b',');
    let mut report = AttendanceReport::default();
    let mut columns: Option<(usize, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let line_number = index as u64 + 1;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        let Some(Ok(record)) = reader.records().next() else {
            continue;
        };
        let Some((email_at, duration_at)) = columns else {
            columns = header_columns(&record);
            continue;
        };
        let email = record.get(email_at).unwrap_or("").trim().to_lowercase();
        if email.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if !email.contains('@') {
            report.errors.push(ReportError {
                line: line_number,
                field: "email",
                message: "indirizzo e-mail mancante o non valido".into(),
            });
            continue;
        }
        match duration_minutes(record.get(duration_at).unwrap_or("")) {
            Some(minutes) => {
                report
                    .first_line
                    .entry(email.clone())
                    .or_insert(line_number);
                let total = report.minutes.entry(email).or_default();
                *total = total.saturating_add(minutes);
            }
            None => report.errors.push(ReportError {
                line: line_number,
                field: "duration",
                message: "durata non leggibile (minuti, 1h 20m o hh:mm:ss)".into(),
            }),
        }
    }
    if columns.is_none() {
        report.errors.push(ReportError {
            line: 1,
            field: "email",
            message: "nessuna riga di intestazione con e-mail e durata".into(),
        });
    }
    report
}

/// Teams writes UTF-16 with a byte-order mark; the others UTF-8 or Windows-1252.
fn decode_report(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    decode(bytes)
}

fn header_columns(record: &csv::StringRecord) -> Option<(usize, usize)> {
    let names: Vec<String> = record
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let find = |wanted: &[&str]| {
        wanted
            .iter()
            .find_map(|w| names.iter().position(|n| n == w))
    };
    Some((find(EMAIL_HEADERS)?, find(DURATION_HEADERS)?))
}

/// Minutes in a duration as webinar tools write it: `83`, `83,5`, `1h 23m 4s`,
/// `1 h 23 min`, `01:23:04` or `83:04` (mm:ss). Seconds are rounded down.
pub fn duration_minutes(text: &str) -> Option<i32> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    if let Ok(minutes) = text.replace(',', ".").parse::<f64>() {
        return (minutes.is_finite() && (0.0..=100_000.0).contains(&minutes))
            .then_some(minutes as i32);
    }
    if text.contains(':') {
        let parts: Vec<i64> = text
            .split(':')
            .map(|p| p.trim().parse::<i64>().ok())
            .collect::<Option<_>>()?;
        let seconds = match parts.as_slice() {
            [h, m, s] => h * 3600 + m * 60 + s,
            [m, s] => m * 60 + s,
            _ => return None,
        };
        return i32::try_from(seconds / 60).ok();
    }
    // "1h 23m 4s", "1 h 23 min", "2 ore": a number, then the first letter of its unit.
    let mut seconds = 0i64;
    let mut number = String::new();
    let mut seen = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if c.is_alphabetic() && !number.is_empty() {
            let n: i64 = number.parse().ok()?;
            number.clear();
            seconds += match c {
                'h' | 'o' => n * 3600,
                'm' => n * 60,
                's' => n,
                _ => return None,
            };
            seen = true;
        }
    }
    if !number.is_empty() || !seen {
        return None;
    }
    i32::try_from(seconds / 60).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_usual_shape() {
        assert_eq!(duration_minutes("83"), Some(83));
        assert_eq!(duration_minutes("83,5"), Some(83));
        assert_eq!(duration_minutes("1h 23m 4s"), Some(83));
        assert_eq!(duration_minutes("1 h 23 min"), Some(83));
        assert_eq!(duration_minutes("2 ore"), Some(120));
        assert_eq!(duration_minutes("01:23:04"), Some(83));
        assert_eq!(duration_minutes("83:04"), Some(83));
        assert_eq!(duration_minutes("tanto"), None);
        assert_eq!(duration_minutes(""), None);
        assert_eq!(duration_minutes("-5"), None);
    }

    #[test]
    fn a_zoom_report_adds_up_rejoins() {
        let csv = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
                   Maria Rossi,M.Rossi@Comune.it,03/15/2027 09:00,03/15/2027 10:00,60,No\n\
                   Maria Rossi,m.rossi@comune.it,03/15/2027 10:10,03/15/2027 11:30,80,No\n\
                   Ospite,,03/15/2027 09:00,03/15/2027 09:30,30,Yes\n";
        let report = parse(csv.as_bytes());
        assert_eq!(report.minutes.get("m.rossi@comune.it"), Some(&140));
        assert_eq!(report.first_line.get("m.rossi@comune.it"), Some(&2));
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].line, 4);
    }

    #[test]
    fn a_teams_report_in_utf16() {
        let text = "Nome\tDurata\tE-mail\nLuca Neri\t1h 5m\tluca@comune.it\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let report = parse(&bytes);
        assert_eq!(report.minutes.get("luca@comune.it"), Some(&65));
    }

    #[test]
    fn a_teams_report_with_a_summary_above_the_table() {
        let csv = "1. Riepilogo\tx\nTitolo riunione\tPrivacy\n\n\
                   Nome\tOra di ingresso\tOra di uscita\tDurata in riunione\tIndirizzo e-mail\n\
                   Anna Bianchi\t15/03/27, 09:01\t15/03/27, 11:59\t2h 58m 3s\tanna@comune.it\n";
        let report = parse(csv.as_bytes());
        assert_eq!(report.errors, vec![]);
        assert_eq!(report.minutes.get("anna@comune.it"), Some(&178));
    }
}
