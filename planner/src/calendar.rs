//! Working days: weekends, Italian national public holidays, closed periods, window.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::params::PlanParameters;

/// Easter Sunday (Gregorian calendar), by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher). Valid for every year from 1583.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("valid Easter date")
}

/// Italian national public holidays of `year` (law 260/1949 as amended, including
/// Easter Monday and, from 2026, 4 October — law 151/2025). Easter Sunday is a Sunday
/// anyway. The patron saint's day is local: put it in `closed_periods`.
pub fn italian_holidays(year: i32) -> Vec<NaiveDate> {
    let d = |m, day| NaiveDate::from_ymd_opt(year, m, day).expect("valid date");
    let mut v = vec![
        d(1, 1),                                 // Capodanno
        d(1, 6),                                 // Epifania
        easter_sunday(year),                     // Pasqua
        easter_sunday(year) + Duration::days(1), // Lunedì dell'Angelo
        d(4, 25),                                // Liberazione
        d(5, 1),                                 // Festa dei lavoratori
        d(6, 2),                                 // Festa della Repubblica
        d(8, 15),                                // Ferragosto
        d(11, 1),                                // Ognissanti
        d(12, 8),                                // Immacolata
        d(12, 25),                               // Natale
        d(12, 26),                               // Santo Stefano
    ];
    if year >= 2026 {
        v.push(d(10, 4)); // San Francesco d'Assisi, patrono d'Italia
    }
    v.sort();
    v
}

/// Whether `date` is an Italian national public holiday.
pub fn is_holiday(date: NaiveDate) -> bool {
    italian_holidays(date.year()).contains(&date)
}

/// What a day is, for scheduling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayStatus {
    Available,
    OutsideWindow,
    Weekend,
    Holiday,
    ClosedPeriod,
}

/// Classifies a day against the parameters (window first, then weekend, holiday, closed).
pub fn day_status(params: &PlanParameters, date: NaiveDate) -> DayStatus {
    if date < params.window_start || date > params.window_end {
        DayStatus::OutsideWindow
    } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        DayStatus::Weekend
    } else if is_holiday(date) {
        DayStatus::Holiday
    } else if params
        .closed_periods
        .iter()
        .any(|p| p.start <= date && date <= p.end)
    {
        DayStatus::ClosedPeriod
    } else {
        DayStatus::Available
    }
}

/// Longest calendar span (first to last session day) of an edition, days. Keeps the
/// sessions of an edition together: a course does not straddle a closed period.
pub const MAX_SPAN_DAYS: i64 = 14;

/// The available working days of the window, ascending.
pub fn available_days(params: &PlanParameters) -> Vec<NaiveDate> {
    let mut v = Vec::new();
    let mut d = params.window_start;
    while d <= params.window_end {
        if day_status(params, d) == DayStatus::Available {
            v.push(d);
        }
        d += Duration::days(1);
    }
    v
}

/// The session days of an edition of `days` days starting on `start`: `start` and the
/// next available working days (Mon–Fri, no holiday, no closed period), consecutive in
/// the working calendar, all inside the window and within [`MAX_SPAN_DAYS`].
/// On failure, the status of the offending day.
pub fn session_days(
    params: &PlanParameters,
    start: NaiveDate,
    days: u32,
) -> Result<Vec<NaiveDate>, (NaiveDate, DayStatus)> {
    let s = day_status(params, start);
    if s != DayStatus::Available {
        return Err((start, s));
    }
    let mut v = vec![start];
    let mut d = start;
    while (v.len() as u32) < days {
        d += Duration::days(1);
        if d > params.window_end {
            return Err((d, DayStatus::OutsideWindow));
        }
        if (d - start).num_days() > MAX_SPAN_DAYS {
            return Err((d, DayStatus::ClosedPeriod));
        }
        if day_status(params, d) == DayStatus::Available {
            v.push(d);
        }
    }
    Ok(v)
}

/// ISO (year, week) of a date.
pub fn iso_week(date: NaiveDate) -> (i32, u32) {
    let w = date.iso_week();
    (w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2024), d(2024, 3, 31));
        assert_eq!(easter_sunday(2025), d(2025, 4, 20));
        assert_eq!(easter_sunday(2026), d(2026, 4, 5));
        assert_eq!(easter_sunday(2027), d(2027, 3, 28));
        assert_eq!(easter_sunday(2038), d(2038, 4, 25));
        assert_eq!(easter_sunday(2000), d(2000, 4, 23));
        assert_eq!(easter_sunday(1818), d(1818, 3, 22));
    }

    #[test]
    fn holidays_include_easter_monday_and_san_francesco() {
        assert!(is_holiday(d(2027, 3, 29)));
        assert!(is_holiday(d(2027, 10, 4)));
        assert!(!is_holiday(d(2025, 10, 4)));
        assert!(is_holiday(d(2027, 6, 2)));
        assert!(!is_holiday(d(2027, 6, 3)));
        assert_eq!(italian_holidays(2027).len(), 13);
    }
}
