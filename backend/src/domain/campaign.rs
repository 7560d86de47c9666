//! The yearly needs survey (rilevazione dei fabbisogni formativi): campaigns, each comune's
//! answer, and its need lines.
use chrono::NaiveDate;

use super::DomainError;
use super::course::Modality;
use super::text::{optional_text, text};

/// A campaign's place in its life: `draft` → `open` → `closed`, and a closed campaign may
/// be opened again (say, to extend the deadline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignStatus {
    Draft,
    Open,
    Closed,
}

impl CampaignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Open => "open",
            CampaignStatus::Closed => "closed",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [
            CampaignStatus::Draft,
            CampaignStatus::Open,
            CampaignStatus::Closed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| DomainError::invalid("status", "valori ammessi: draft, open, closed"))
    }

    pub fn can_become(self, next: CampaignStatus) -> bool {
        use CampaignStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Open) | (Open, Closed) | (Closed, Open)
            )
    }
}

/// How urgent a need is for the comune.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Alta,
    Media,
    Bassa,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Alta => "alta",
            Priority::Media => "media",
            Priority::Bassa => "bassa",
        }
    }

    /// # Errors
    /// `DomainError` on `priority` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [Priority::Alta, Priority::Media, Priority::Bassa]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| DomainError::invalid("priority", "valori ammessi: alta, media, bassa"))
    }
}

/// Where a comune stands in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseStatus {
    NotStarted,
    Draft,
    Submitted,
}

impl ResponseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseStatus::NotStarted => "not_started",
            ResponseStatus::Draft => "draft",
            ResponseStatus::Submitted => "submitted",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [
            ResponseStatus::NotStarted,
            ResponseStatus::Draft,
            ResponseStatus::Submitted,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| {
            DomainError::invalid("status", "valori ammessi: not_started, draft, submitted")
        })
    }
}

/// A campaign's writable fields.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignFields {
    pub year: i32,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub instructions: String,
    /// Codes of the themes offered.
    pub themes: Vec<String>,
    pub status: CampaignStatus,
}

impl CampaignFields {
    /// Rules across fields; each failure names its field.
    pub fn violations(&self) -> Vec<DomainError> {
        let mut errors = Vec::new();
        if !(2000..=2100).contains(&self.year) {
            errors.push(DomainError::invalid("year", "anno tra il 2000 e il 2100"));
        }
        if self.opens_on >= self.closes_on {
            errors.push(DomainError::invalid(
                "closes_on",
                "la chiusura deve seguire l'apertura",
            ));
        }
        if self.themes.is_empty() {
            errors.push(DomainError::invalid("themes", "almeno un tema"));
        }
        errors
    }
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    pub id: i64,
    pub fields: CampaignFields,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// One line of a comune's answer: how many people of an office need a theme.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedFields {
    pub theme_code: String,
    pub office_area: String,
    pub headcount: i32,
    pub priority: Priority,
    pub preferred_modality: Modality,
    pub notes: String,
    /// The employees the referente chose to name, at most `headcount`, ascending.
    pub employee_ids: Vec<i64>,
}

/// A campaign as the admin would have it, before its rules are checked: a new campaign's
/// values, or a stored one's with a patch applied.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignDraft {
    pub year: i32,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub instructions: String,
    pub themes: Vec<String>,
    pub status: CampaignStatus,
}

impl From<&CampaignFields> for CampaignDraft {
    fn from(f: &CampaignFields) -> Self {
        Self {
            year: f.year,
            title: f.title.clone(),
            opens_on: f.opens_on,
            closes_on: f.closes_on,
            instructions: f.instructions.clone(),
            themes: f.themes.clone(),
            status: f.status,
        }
    }
}

impl CampaignDraft {
    /// The campaign's fields when every rule holds: a title of 1 to 200 characters,
    /// instructions of at most 10000, themes among the `known` ones (without repeats), and
    /// the rules across fields.
    ///
    /// # Errors
    /// Every bad field.
    pub fn check(self, known: &[String]) -> Result<CampaignFields, Vec<DomainError>> {
        let mut errors = Vec::new();
        let title = text("title", &self.title, 1, 200).map_err(|e| errors.push(e));
        let instructions = optional_text("instructions", Some(&self.instructions), 10_000)
            .map_err(|e| errors.push(e));
        let mut themes = self.themes;
        themes.sort();
        themes.dedup();
        if themes.iter().any(|t| !known.contains(t)) {
            errors.push(DomainError::invalid("themes", "tema sconosciuto"));
        }
        let fields = CampaignFields {
            year: self.year,
            title: title.unwrap_or_default(),
            opens_on: self.opens_on,
            closes_on: self.closes_on,
            instructions: instructions.ok().flatten().unwrap_or_default(),
            themes,
            status: self.status,
        };
        errors.extend(fields.violations());
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(errors)
        }
    }
}

/// A comune's answer to a campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub comune: String,
    pub status: ResponseStatus,
    pub no_needs: bool,
    pub lines: u64,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A stored need line.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub id: i64,
    pub campaign_id: i64,
    pub comune: String,
    pub fields: NeedFields,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A need line as the client would have it, before its rules are checked: a new line's
/// values, or a stored line's with a patch applied.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedDraft {
    pub theme_code: String,
    pub office_area: String,
    pub headcount: i32,
    pub priority: Priority,
    pub preferred_modality: Modality,
    pub notes: String,
    pub employee_ids: Vec<i64>,
}

impl From<&NeedFields> for NeedDraft {
    fn from(f: &NeedFields) -> Self {
        Self {
            theme_code: f.theme_code.clone(),
            office_area: f.office_area.clone(),
            headcount: f.headcount,
            priority: f.priority,
            preferred_modality: f.preferred_modality,
            notes: f.notes.clone(),
            employee_ids: f.employee_ids.clone(),
        }
    }
}

impl NeedDraft {
    /// The line's fields when every rule holds that needs no database: 1 to 10000
    /// people, notes of at most 2000 characters, valid and not too many named employees.
    /// (The campaign's themes and the comune's employees are the store's to check.)
    ///
    /// # Errors
    /// Every bad field.
    pub fn check(self) -> Result<NeedFields, Vec<DomainError>> {
        let mut errors = Vec::new();
        if !(1..=10_000).contains(&self.headcount) {
            errors.push(DomainError::invalid("headcount", "da 1 a 10000 persone"));
        }
        let notes = optional_text("notes", Some(&self.notes), 2000).map_err(|e| errors.push(e));
        if let Some(at) = self.employee_ids.iter().position(|&id| id < 1) {
            errors.push(DomainError::invalid(
                &format!("employee_ids/{at}"),
                "identificativo non valido",
            ));
        }
        let employee_ids =
            named_employees(self.headcount, &self.employee_ids).map_err(|e| errors.push(e));
        match (notes, employee_ids) {
            (Ok(notes), Ok(employee_ids)) if errors.is_empty() => Ok(NeedFields {
                theme_code: self.theme_code.trim().to_owned(),
                office_area: self.office_area.trim().to_owned(),
                headcount: self.headcount,
                priority: self.priority,
                preferred_modality: self.preferred_modality,
                notes: notes.unwrap_or_default(),
                employee_ids,
            }),
            _ => Err(errors),
        }
    }
}

/// The named employees of a need line, sorted and without repeats; no more than the people
/// the line counts.
///
/// # Errors
/// `employee_ids` when there are more names than people.
pub fn named_employees(headcount: i32, ids: &[i64]) -> Result<Vec<i64>, DomainError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > usize::try_from(headcount).unwrap_or(0) {
        return Err(DomainError::invalid(
            "employee_ids",
            format!("nominati {} dipendenti per {headcount} persone", ids.len()),
        ));
    }
    Ok(ids)
}

/// Why a comune cannot change its need lines now, if it cannot.
pub fn editing_refusal(campaign: CampaignStatus, response: ResponseStatus) -> Option<&'static str> {
    match (campaign, response) {
        (CampaignStatus::Open, ResponseStatus::Submitted) => {
            Some("La risposta è già stata inviata: chiedere alla Provincia di riaprirla.")
        }
        (CampaignStatus::Open, _) => None,
        _ => Some("La rilevazione non è aperta: le risposte non si possono modificare."),
    }
}

/// One need line, as aggregation sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandLine<'a> {
    pub comune: &'a str,
    pub theme_code: &'a str,
    pub office_area: &'a str,
    pub headcount: i32,
}

/// People and comuni behind one slice of the demand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demand {
    pub headcount: i64,
    pub comuni: usize,
    pub lines: usize,
}

/// Distance bands from the provincial capital, in kilometres: the inland valleys are the
/// far bands.
pub const DISTANCE_BANDS: [(f64, f64, &str); 4] = [
    (0.0, 10.0, "0-10"),
    (10.0, 25.0, "10-25"),
    (25.0, 40.0, "25-40"),
    (40.0, f64::MAX, "40+"),
];

/// The band of a distance.
pub fn distance_band(km: f64) -> &'static str {
    DISTANCE_BANDS
        .iter()
        .find(|(from, to, _)| km >= *from && km < *to)
        .map_or("40+", |(_, _, name)| name)
}

/// Demand grouped by `key`, in key order.
pub fn demand_by<'a, K: Ord + Clone>(
    lines: &[DemandLine<'a>],
    key: impl Fn(&DemandLine<'a>) -> K,
) -> std::collections::BTreeMap<K, Demand> {
    let mut groups: std::collections::BTreeMap<K, (Demand, std::collections::BTreeSet<&'a str>)> =
        Default::default();
    for line in lines {
        let (demand, comuni) = groups.entry(key(line)).or_default();
        demand.headcount += i64::from(line.headcount);
        demand.lines += 1;
        comuni.insert(line.comune);
    }
    groups
        .into_iter()
        .map(|(k, (mut demand, comuni))| {
            demand.comuni = comuni.len();
            (k, demand)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_employees_are_deduplicated_and_bounded_by_headcount() {
        assert_eq!(named_employees(2, &[7, 3, 7]), Ok(vec![3, 7]));
        assert_eq!(named_employees(1, &[]), Ok(vec![]));
        assert_eq!(
            named_employees(1, &[1, 2]).unwrap_err().field,
            "employee_ids"
        );
    }

    #[test]
    fn lines_change_only_while_open_and_not_submitted() {
        assert!(editing_refusal(CampaignStatus::Open, ResponseStatus::Draft).is_none());
        assert!(editing_refusal(CampaignStatus::Open, ResponseStatus::NotStarted).is_none());
        assert!(editing_refusal(CampaignStatus::Open, ResponseStatus::Submitted).is_some());
        assert!(editing_refusal(CampaignStatus::Closed, ResponseStatus::Draft).is_some());
        assert!(editing_refusal(CampaignStatus::Draft, ResponseStatus::NotStarted).is_some());
    }

    #[test]
    fn campaigns_follow_their_lifecycle_and_dates() {
        use CampaignStatus::*;
        assert!(Draft.can_become(Open) && Open.can_become(Closed) && Closed.can_become(Open));
        assert!(!Open.can_become(Draft) && !Closed.can_become(Draft));
        let day = |d| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
        let fields = CampaignFields {
            year: 2027,
            title: "Fabbisogni 2027".into(),
            opens_on: day(10),
            closes_on: day(5),
            instructions: String::new(),
            themes: vec![],
            status: Draft,
        };
        let fields: Vec<String> = fields.violations().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["closes_on", "themes"]);
    }

    #[test]
    fn demand_adds_people_and_counts_comuni_once() {
        let line = |comune, theme, area, headcount| DemandLine {
            comune,
            theme_code: theme,
            office_area: area,
            headcount,
        };
        let lines = [
            line("008031", "privacy", "tributi", 3),
            line("008031", "privacy", "demografici", 2),
            line("008055", "privacy", "tributi", 4),
            line("008055", "antincendio", "tributi", 1),
        ];
        let by_theme = demand_by(&lines, |l| l.theme_code);
        assert_eq!(
            by_theme["privacy"],
            Demand {
                headcount: 9,
                comuni: 2,
                lines: 3
            }
        );
        assert_eq!(
            by_theme["antincendio"],
            Demand {
                headcount: 1,
                comuni: 1,
                lines: 1
            }
        );
        assert_eq!(distance_band(0.0), "0-10");
        assert_eq!(distance_band(24.9), "10-25");
        assert_eq!(distance_band(61.0), "40+");
    }
}
