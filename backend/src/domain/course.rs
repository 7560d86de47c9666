//! Courses and their editions: the rules of the catalogue.
use chrono::{DateTime, NaiveDate, Utc};

use super::provider::Provider;
use super::text::{optional_text, text};
use super::{DomainError, kept};

/// How a course or edition is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Modality {
    InPerson,
    LiveWebinar,
    AsyncWebinar,
    /// Some editions in person, some online.
    Blended,
}

impl Modality {
    pub const ALL: [Modality; 4] = [
        Modality::InPerson,
        Modality::LiveWebinar,
        Modality::AsyncWebinar,
        Modality::Blended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Modality::InPerson => "in_person",
            Modality::LiveWebinar => "live_webinar",
            Modality::AsyncWebinar => "async_webinar",
            Modality::Blended => "blended",
        }
    }

    /// # Errors
    /// `DomainError` on `modality` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| DomainError::invalid("modality", "modalità sconosciuta"))
    }

    /// Whether it is followed wholly online (a webinar, live or recorded): no room to reach.
    pub fn is_online(self) -> bool {
        matches!(self, Modality::LiveWebinar | Modality::AsyncWebinar)
    }

    /// Whether an edition delivered this way can belong to a course of `course` modality.
    pub fn fits_course(self, course: Modality) -> bool {
        course == Modality::Blended || self == course
    }
}

/// What a participant pays for a course, in euro cents. Most training the Province offers
/// its comuni is free to the employee; a provider's paid course says what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParticipantFee(i32);

impl ParticipantFee {
    /// The highest fee a course may ask (10,000 euro), in cents.
    const MAX_CENTS: i32 = 1_000_000;

    /// The fee of `euros`, a whole number of cents from 0 to 10,000 euro.
    ///
    /// # Errors
    /// `DomainError` on `participant_fee_eur` otherwise.
    pub fn from_euros(euros: f64) -> Result<Self, DomainError> {
        let cents = (euros * 100.0).round();
        let whole_cents = (euros * 100.0 - cents).abs() < 1e-6;
        if !euros.is_finite()
            || !whole_cents
            || !(0.0..=f64::from(Self::MAX_CENTS)).contains(&cents)
        {
            return Err(DomainError::invalid(
                "participant_fee_eur",
                "un importo in euro da 0 a 10000, al centesimo",
            ));
        }
        // In range, checked above.
        #[allow(clippy::cast_possible_truncation)]
        Ok(Self(cents as i32))
    }

    /// A fee as stored; a value out of range (written by hand in the database) counts as 0.
    pub fn from_cents(cents: i32) -> Self {
        Self(cents.clamp(0, Self::MAX_CENTS))
    }

    pub fn cents(self) -> i32 {
        self.0
    }

    pub fn euros(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    pub fn is_free(self) -> bool {
        self.0 == 0
    }
}

/// The language a course is taught in, as an ISO 639-1 code: Italian, or one of the
/// languages the Province's staff are trained in (the neighbouring countries' and English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Italian,
    English,
    French,
    German,
    Spanish,
}

impl Language {
    pub const ALL: [Language; 5] = [
        Language::Italian,
        Language::English,
        Language::French,
        Language::German,
        Language::Spanish,
    ];

    /// The ISO 639-1 code.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Italian => "it",
            Language::English => "en",
            Language::French => "fr",
            Language::German => "de",
            Language::Spanish => "es",
        }
    }

    /// # Errors
    /// `DomainError` on `language` for a code not listed.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| DomainError::invalid("language", "lingua non prevista"))
    }
}

/// A course's place in its life: drafted, offered, retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CourseStatus {
    Draft,
    Published,
    Archived,
}

impl CourseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CourseStatus::Draft => "draft",
            CourseStatus::Published => "published",
            CourseStatus::Archived => "archived",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        [
            CourseStatus::Draft,
            CourseStatus::Published,
            CourseStatus::Archived,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| DomainError::invalid("status", "stato sconosciuto"))
    }

    /// draft → published → archived, and an archived course may be published again.
    pub fn can_become(self, next: CourseStatus) -> bool {
        use CourseStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Published) | (Published, Archived) | (Archived, Published)
            )
    }
}

/// An edition's place in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionStatus {
    Draft,
    /// Taking enrolments.
    Open,
    /// No more enrolments; the edition runs.
    Closed,
    Completed,
    Cancelled,
}

impl EditionStatus {
    pub const ALL: [EditionStatus; 5] = [
        EditionStatus::Draft,
        EditionStatus::Open,
        EditionStatus::Closed,
        EditionStatus::Completed,
        EditionStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditionStatus::Draft => "draft",
            EditionStatus::Open => "open",
            EditionStatus::Closed => "closed",
            EditionStatus::Completed => "completed",
            EditionStatus::Cancelled => "cancelled",
        }
    }

    /// # Errors
    /// `DomainError` on `status` for an unknown name.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|e| e.as_str() == s)
            .ok_or_else(|| DomainError::invalid("status", "stato sconosciuto"))
    }

    /// draft → open → closed → completed; closed may reopen; anything not yet completed
    /// may be cancelled. Completed and cancelled are final.
    pub fn can_become(self, next: EditionStatus) -> bool {
        use EditionStatus::*;
        self == next
            || matches!(
                (self, next),
                (Draft, Open)
                    | (Open, Closed)
                    | (Closed, Open)
                    | (Closed, Completed)
                    | (Draft | Open | Closed, Cancelled)
            )
    }

    /// Whether the public catalogue shows an edition in this state.
    pub fn is_public(self) -> bool {
        self != EditionStatus::Draft
    }
}

/// Training hours, kept as whole minutes (a quarter of an hour is the finest unit used).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Duration(i32);

impl Duration {
    /// # Errors
    /// `DomainError` on `hours` unless 0.25 to 500 hours in quarter-hour steps.
    pub fn from_hours(hours: f64) -> Result<Self, DomainError> {
        let minutes = hours * 60.0;
        let valid =
            hours.is_finite() && (0.25..=500.0).contains(&hours) && (minutes / 15.0).fract() == 0.0;
        if valid {
            Ok(Self(minutes as i32))
        } else {
            Err(DomainError::invalid(
                "hours",
                "da 0,25 a 500 ore, a multipli di un quarto d'ora",
            ))
        }
    }

    pub fn from_minutes(minutes: i32) -> Self {
        Self(minutes)
    }

    pub fn minutes(self) -> i32 {
        self.0
    }

    pub fn hours(self) -> f64 {
        f64::from(self.0) / 60.0
    }
}

/// The seats of an edition: 1 to 10000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Capacity(i32);

impl Capacity {
    /// # Errors
    /// `DomainError` on `capacity` outside 1 to 10000.
    pub fn new(seats: i32) -> Result<Self, DomainError> {
        if (1..=10_000).contains(&seats) {
            Ok(Self(seats))
        } else {
            Err(DomainError::invalid("capacity", "da 1 a 10000 posti"))
        }
    }

    /// `seats` brought within 1 to 10000, for a size computed rather than written (a
    /// plan's edition).
    pub fn clamped(seats: u32) -> Self {
        Self(i32::try_from(seats).unwrap_or(i32::MAX).clamp(1, 10_000))
    }

    pub fn seats(self) -> i32 {
        self.0
    }
}

/// The most confirmed seats of an edition one comune may hold, so that a large comune
/// cannot take them all: 1 to the edition's seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComuneQuota(i32);

impl ComuneQuota {
    /// A quota of `seats` for an edition of `capacity` seats (as written: a capacity that
    /// breaks its own rule is reported on its own field).
    ///
    /// # Errors
    /// `DomainError` on `comune_quota` outside 1 to the edition's seats.
    pub fn new(seats: i32, capacity: i32) -> Result<Self, DomainError> {
        if (1..=capacity.max(1)).contains(&seats) {
            Ok(Self(seats))
        } else {
            Err(DomainError::invalid(
                "comune_quota",
                "da 1 al numero dei posti dell'edizione",
            ))
        }
    }

    pub fn seats(self) -> i32 {
        self.0
    }
}

/// One meeting of an edition: in person at a venue, or live online.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionPlan {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue_id: Option<i64>,
}

/// What an edition must satisfy, whatever changed in it; each failure names its field.
#[derive(Clone)]
pub struct EditionRules<'a> {
    pub course_modality: Modality,
    pub theme_forbids_elearning: bool,
    pub delivery: Modality,
    pub capacity: i32,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub access_url: Option<&'a str>,
    pub sessions: &'a [SessionPlan],
    /// Capacity of each venue the sessions use, by id (`None`: no such venue).
    pub venue_capacity: &'a dyn Fn(i64) -> Option<i32>,
}

impl EditionRules<'_> {
    /// Every rule the edition breaks (empty when it is valid).
    pub fn violations(&self) -> Vec<DomainError> {
        let mut errors = Vec::new();
        let mut fail =
            |field: &str, message: &str| errors.push(DomainError::invalid(field, message));
        if self.delivery == Modality::Blended {
            fail(
                "delivery",
                "un'edizione è in presenza, webinar dal vivo o webinar asincrono",
            );
        } else if !self.delivery.fits_course(self.course_modality) {
            fail(
                "delivery",
                "la modalità dell'edizione non è quella del corso",
            );
        }
        if self.delivery == Modality::AsyncWebinar && self.theme_forbids_elearning {
            fail(
                "delivery",
                "per questo tema la legge richiede la formazione in presenza: niente e-learning asincrono",
            );
        }
        if let Err(e) = Capacity::new(self.capacity) {
            fail(&e.field, &e.message);
        }
        if self.enrolment_opens_at >= self.enrolment_closes_at {
            fail(
                "enrolment_closes_at",
                "la chiusura delle iscrizioni deve seguire l'apertura",
            );
        }
        match self.delivery {
            Modality::AsyncWebinar => self.check_async(&mut fail),
            _ => self.check_sessions(&mut fail),
        }
        errors
    }

    fn check_async(&self, fail: &mut impl FnMut(&str, &str)) {
        match (self.available_from, self.available_until) {
            (Some(from), Some(until)) if from < until => {}
            (Some(_), Some(_)) => fail(
                "available_until",
                "la fine della disponibilità deve seguire l'inizio",
            ),
            (None, _) => fail("available_from", "obbligatorio per un webinar asincrono"),
            (_, None) => fail("available_until", "obbligatorio per un webinar asincrono"),
        }
        if self.access_url.is_none() {
            fail("access_url", "obbligatorio per un webinar asincrono");
        }
        if !self.sessions.is_empty() {
            fail("sessions", "un webinar asincrono non ha sessioni");
        }
    }

    fn check_sessions(&self, fail: &mut impl FnMut(&str, &str)) {
        if self.sessions.is_empty() {
            fail("sessions", "almeno una sessione");
        }
        if self.delivery == Modality::LiveWebinar && self.access_url.is_none() {
            fail("access_url", "obbligatorio per un webinar dal vivo");
        }
        for (i, session) in self.sessions.iter().enumerate() {
            if session.starts_at >= session.ends_at {
                fail(
                    &format!("sessions/{i}/ends_at"),
                    "la fine deve seguire l'inizio",
                );
            } else if session.ends_at - session.starts_at > chrono::Duration::hours(24) {
                // A session is one meeting: hours of attendance are counted per session, and
                // no one attends more than a day at a time.
                fail(
                    &format!("sessions/{i}/ends_at"),
                    "una sessione dura al massimo 24 ore: dividerla in più sessioni",
                );
            }
            match (self.delivery, session.venue_id) {
                (Modality::InPerson, None) => fail(
                    &format!("sessions/{i}/venue_id"),
                    "obbligatoria in presenza",
                ),
                (Modality::InPerson, Some(venue)) => match (self.venue_capacity)(venue) {
                    None => fail(&format!("sessions/{i}/venue_id"), "sede inesistente"),
                    Some(room) if room < self.capacity => {
                        fail("capacity", "supera la capienza di una sede delle sessioni")
                    }
                    Some(_) => {}
                },
                (_, Some(_)) => fail(
                    &format!("sessions/{i}/venue_id"),
                    "solo le sessioni in presenza hanno una sede",
                ),
                _ => {}
            }
        }
    }
}

/// Everything about a course that can be written.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseFields {
    pub title: String,
    pub description: String,
    pub objectives: String,
    pub theme_code: String,
    pub provider_id: i64,
    pub duration: Duration,
    pub modality: Modality,
    pub target_office_areas: Vec<String>,
    /// Share of the hours an employee must attend to complete the course.
    pub min_attendance_percent: i32,
    pub issues_certificate: bool,
    pub status: CourseStatus,
    pub participant_fee: ParticipantFee,
    pub language: Language,
}

/// A course as a client wrote it, before the rules: what `check` turns into
/// [`CourseFields`].
#[derive(Debug, Clone, PartialEq)]
pub struct CourseDraft {
    pub title: String,
    pub description: String,
    pub objectives: String,
    pub theme_code: String,
    pub provider_id: i64,
    /// Training hours, in quarter-hour steps.
    pub hours: f64,
    pub modality: Modality,
    pub target_office_areas: Vec<String>,
    pub min_attendance_percent: i32,
    pub issues_certificate: bool,
    pub status: CourseStatus,
    /// What a participant pays, in euro.
    pub participant_fee_eur: f64,
    pub language: Language,
}

/// What the rules of a course need to know from the database, read by the use case.
#[derive(Debug, Clone, Copy)]
pub struct CourseContext<'a> {
    /// Whether the course's theme requires presence; `None` for an unknown theme.
    pub theme_forbids_elearning: Option<bool>,
    /// The course's provider; `None` when there is no such provider.
    pub provider: Option<&'a Provider>,
    pub today: NaiveDate,
}

impl From<&CourseFields> for CourseDraft {
    fn from(f: &CourseFields) -> Self {
        Self {
            title: f.title.clone(),
            description: f.description.clone(),
            objectives: f.objectives.clone(),
            theme_code: f.theme_code.clone(),
            provider_id: f.provider_id,
            hours: f.duration.hours(),
            modality: f.modality,
            target_office_areas: f.target_office_areas.clone(),
            min_attendance_percent: f.min_attendance_percent,
            issues_certificate: f.issues_certificate,
            status: f.status,
            participant_fee_eur: f.participant_fee.euros(),
            language: f.language,
        }
    }
}

impl CourseDraft {
    /// The course's fields, or every rule it breaks: texts, hours, attendance share, a
    /// known theme that allows the modality, a provider qualified for the theme (and, to
    /// publish, qualified today).
    ///
    /// # Errors
    /// Every field at fault.
    pub fn check(&self, context: CourseContext<'_>) -> Result<CourseFields, Vec<DomainError>> {
        let mut errors = Vec::new();
        let title = kept(&mut errors, text("title", &self.title, 1, 200));
        let description = kept(
            &mut errors,
            optional_text("description", Some(&self.description), 10_000),
        );
        let objectives = kept(
            &mut errors,
            optional_text("objectives", Some(&self.objectives), 10_000),
        );
        let duration = kept(&mut errors, Duration::from_hours(self.hours));
        let participant_fee = kept(
            &mut errors,
            ParticipantFee::from_euros(self.participant_fee_eur),
        );
        errors.extend(self.reference_violations(context));
        match (title, duration, participant_fee) {
            (Some(title), Some(duration), Some(participant_fee)) if errors.is_empty() => {
                Ok(CourseFields {
                    title,
                    description: description.flatten().unwrap_or_default(),
                    objectives: objectives.flatten().unwrap_or_default(),
                    theme_code: self.theme_code.clone(),
                    provider_id: self.provider_id,
                    duration,
                    modality: self.modality,
                    target_office_areas: sorted_unique(&self.target_office_areas),
                    min_attendance_percent: self.min_attendance_percent,
                    issues_certificate: self.issues_certificate,
                    status: self.status,
                    participant_fee,
                    language: self.language,
                })
            }
            _ => Err(errors),
        }
    }

    /// The rules on the attendance share, the theme and the provider.
    fn reference_violations(&self, context: CourseContext<'_>) -> Vec<DomainError> {
        let mut errors = Vec::new();
        if !(1..=100).contains(&self.min_attendance_percent) {
            errors.push(DomainError::invalid("min_attendance_percent", "da 1 a 100"));
        }
        match context.theme_forbids_elearning {
            None => errors.push(DomainError::invalid("theme_code", "tema sconosciuto")),
            Some(true) if self.modality == Modality::AsyncWebinar => {
                errors.push(DomainError::invalid(
                    "modality",
                    "per questo tema la legge richiede la presenza: niente e-learning asincrono",
                ));
            }
            Some(_) => {}
        }
        let Some(provider) = context.provider else {
            errors.push(DomainError::invalid(
                "provider_id",
                "ente formatore inesistente",
            ));
            return errors;
        };
        if !provider.profile.themes.contains(&self.theme_code) {
            errors.push(DomainError::invalid(
                "theme_code",
                "l'ente formatore non è qualificato per questo tema",
            ));
        }
        if self.status == CourseStatus::Published && !provider.is_qualified_on(context.today) {
            errors.push(DomainError::invalid(
                "status",
                "si pubblicano solo corsi di enti qualificati (e non scaduti)",
            ));
        }
        errors
    }
}

fn sorted_unique(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// Filters of the courses list.
#[derive(Debug, Clone, Default)]
pub struct CourseFilter {
    /// Only this provider's courses (provider staff always get this).
    pub provider_id: Option<i64>,
    pub theme: Option<String>,
    pub status: Option<CourseStatus>,
    pub q: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

/// Filters of the editions list.
#[derive(Debug, Clone, Default)]
pub struct EditionFilter {
    pub course_id: Option<i64>,
    /// Only editions of this provider's courses.
    pub provider_id: Option<i64>,
    pub status: Option<EditionStatus>,
    pub limit: u64,
    pub offset: u64,
}

/// A stored course.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: i64,
    pub fields: CourseFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Everything about an edition that can be written.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionFields {
    pub title: String,
    pub delivery: Modality,
    pub capacity: Capacity,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub access_url: Option<String>,
    /// Employees may enrol themselves.
    pub self_enrolment: bool,
    /// Most confirmed seats one comune may hold.
    pub comune_quota: Option<ComuneQuota>,
    pub status: EditionStatus,
    pub sessions: Vec<SessionPlan>,
}

/// An edition as a client wrote it, before the rules: what `check` turns into
/// [`EditionFields`].
#[derive(Debug, Clone, PartialEq)]
pub struct EditionDraft {
    pub title: String,
    pub delivery: Modality,
    pub capacity: i32,
    pub enrolment_opens_at: DateTime<Utc>,
    pub enrolment_closes_at: DateTime<Utc>,
    pub available_from: Option<DateTime<Utc>>,
    pub available_until: Option<DateTime<Utc>>,
    pub access_url: Option<String>,
    pub self_enrolment: bool,
    pub comune_quota: Option<i32>,
    pub status: EditionStatus,
    pub sessions: Vec<SessionPlan>,
}

/// What the rules of an edition need to know from the database, read by the use case.
#[derive(Clone, Copy)]
pub struct EditionContext<'a> {
    pub course_modality: Modality,
    pub theme_forbids_elearning: bool,
    /// Capacity of each venue the sessions use, by id (`None`: no such venue).
    pub venue_capacity: &'a dyn Fn(i64) -> Option<i32>,
}

impl From<&EditionFields> for EditionDraft {
    fn from(f: &EditionFields) -> Self {
        Self {
            title: f.title.clone(),
            delivery: f.delivery,
            capacity: f.capacity.seats(),
            enrolment_opens_at: f.enrolment_opens_at,
            enrolment_closes_at: f.enrolment_closes_at,
            available_from: f.available_from,
            available_until: f.available_until,
            access_url: f.access_url.clone(),
            self_enrolment: f.self_enrolment,
            comune_quota: f.comune_quota.map(ComuneQuota::seats),
            status: f.status,
            sessions: f.sessions.clone(),
        }
    }
}

impl EditionDraft {
    /// The edition's fields, or every rule it breaks: the title, the link, the rules of
    /// its delivery ([`EditionRules`]) and the comune quota.
    ///
    /// # Errors
    /// Every field at fault.
    pub fn check(&self, context: EditionContext<'_>) -> Result<EditionFields, Vec<DomainError>> {
        let mut errors = Vec::new();
        let title = kept(&mut errors, text("title", &self.title, 1, 200));
        let access_url = self
            .access_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        if access_url.is_some_and(|u| {
            u.len() > 500 || !(u.starts_with("https://") || u.starts_with("http://"))
        }) {
            errors.push(DomainError::invalid(
                "access_url",
                "un indirizzo http(s) di al massimo 500 caratteri",
            ));
        }
        errors.extend(self.rules(context, access_url).violations());
        let quota = self
            .comune_quota
            .map(|q| ComuneQuota::new(q, self.capacity))
            .transpose();
        let quota = kept(&mut errors, quota);
        // A bad capacity is already among the rules' violations.
        let capacity = Capacity::new(self.capacity).ok();
        match (title, capacity, quota) {
            (Some(title), Some(capacity), Some(comune_quota)) if errors.is_empty() => {
                Ok(EditionFields {
                    title,
                    delivery: self.delivery,
                    capacity,
                    enrolment_opens_at: self.enrolment_opens_at,
                    enrolment_closes_at: self.enrolment_closes_at,
                    available_from: self.available_from,
                    available_until: self.available_until,
                    access_url: access_url.map(str::to_owned),
                    self_enrolment: self.self_enrolment,
                    comune_quota,
                    status: self.status,
                    sessions: self.sessions.clone(),
                })
            }
            _ => Err(errors),
        }
    }

    fn rules<'a>(
        &'a self,
        context: EditionContext<'a>,
        access_url: Option<&'a str>,
    ) -> EditionRules<'a> {
        EditionRules {
            course_modality: context.course_modality,
            theme_forbids_elearning: context.theme_forbids_elearning,
            delivery: self.delivery,
            capacity: self.capacity,
            enrolment_opens_at: self.enrolment_opens_at,
            enrolment_closes_at: self.enrolment_closes_at,
            available_from: self.available_from,
            available_until: self.available_until,
            access_url,
            sessions: &self.sessions,
            venue_capacity: context.venue_capacity,
        }
    }
}

/// A stored edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub id: i64,
    pub course_id: i64,
    pub fields: EditionFields,
    /// Bumped on every change (iCalendar `SEQUENCE`).
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Edition {
    /// When the edition starts: its first session, or the start of availability.
    pub fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.fields
            .sessions
            .iter()
            .map(|s| s.starts_at)
            .min()
            .or(self.fields.available_from)
    }

    /// When it ends: its last session, or the end of availability.
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.fields
            .sessions
            .iter()
            .map(|s| s.ends_at)
            .max()
            .or(self.fields.available_until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, day, hour, 0, 0).unwrap()
    }

    fn rooms(id: i64) -> Option<i32> {
        match id {
            1 => Some(30),
            2 => Some(10),
            _ => None,
        }
    }

    fn in_person<'a>(sessions: &'a [SessionPlan], capacity: i32) -> EditionRules<'a> {
        EditionRules {
            course_modality: Modality::InPerson,
            theme_forbids_elearning: false,
            delivery: Modality::InPerson,
            capacity,
            enrolment_opens_at: at(1, 8),
            enrolment_closes_at: at(10, 8),
            available_from: None,
            available_until: None,
            access_url: None,
            sessions,
            venue_capacity: &rooms,
        }
    }

    fn fields(rules: &EditionRules<'_>) -> Vec<String> {
        rules.violations().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_valid_in_person_edition_breaks_no_rule() {
        let sessions = [SessionPlan {
            starts_at: at(15, 9),
            ends_at: at(15, 13),
            venue_id: Some(1),
        }];
        assert!(fields(&in_person(&sessions, 25)).is_empty());
    }

    #[test]
    fn capacity_cannot_exceed_any_venue() {
        let sessions = [
            SessionPlan {
                starts_at: at(15, 9),
                ends_at: at(15, 13),
                venue_id: Some(1),
            },
            SessionPlan {
                starts_at: at(16, 9),
                ends_at: at(16, 13),
                venue_id: Some(2),
            },
        ];
        assert_eq!(fields(&in_person(&sessions, 25)), ["capacity"]);
    }

    #[test]
    fn a_session_lasts_at_most_a_day() {
        let sessions = [SessionPlan {
            starts_at: at(15, 9),
            ends_at: at(17, 9),
            venue_id: Some(1),
        }];
        assert_eq!(fields(&in_person(&sessions, 5)), ["sessions/0/ends_at"]);
    }

    #[test]
    fn sessions_need_a_known_venue_and_a_positive_length() {
        let sessions = [
            SessionPlan {
                starts_at: at(15, 13),
                ends_at: at(15, 9),
                venue_id: Some(9),
            },
            SessionPlan {
                starts_at: at(16, 9),
                ends_at: at(16, 13),
                venue_id: None,
            },
        ];
        assert_eq!(
            fields(&in_person(&sessions, 5)),
            [
                "sessions/0/ends_at",
                "sessions/0/venue_id",
                "sessions/1/venue_id"
            ]
        );
    }

    #[test]
    fn themes_that_require_presence_forbid_async_editions() {
        let mut rules = in_person(&[], 20);
        rules.course_modality = Modality::Blended;
        rules.delivery = Modality::AsyncWebinar;
        rules.theme_forbids_elearning = true;
        rules.available_from = Some(at(1, 0));
        rules.available_until = Some(at(30, 0));
        rules.access_url = Some("https://formazione.example/webinar");
        assert_eq!(fields(&rules), ["delivery"]);
        rules.theme_forbids_elearning = false;
        assert!(fields(&rules).is_empty());
    }

    #[test]
    fn an_edition_follows_its_course_modality() {
        let mut rules = in_person(&[], 20);
        rules.delivery = Modality::LiveWebinar;
        rules.access_url = Some("https://x.example");
        assert!(fields(&rules).contains(&"delivery".to_owned()));
    }

    #[test]
    fn edition_transitions_follow_the_lifecycle() {
        use EditionStatus::*;
        assert!(Draft.can_become(Open) && Open.can_become(Closed) && Closed.can_become(Completed));
        assert!(Closed.can_become(Open) && Open.can_become(Cancelled));
        assert!(
            !Draft.can_become(Completed)
                && !Completed.can_become(Open)
                && !Cancelled.can_become(Open)
        );
        assert!(!Completed.can_become(Cancelled));
    }

    #[test]
    fn course_transitions_follow_the_lifecycle() {
        use CourseStatus::*;
        assert!(
            Draft.can_become(Published)
                && Published.can_become(Archived)
                && Archived.can_become(Published)
        );
        assert!(!Published.can_become(Draft) && !Draft.can_become(Archived));
    }

    #[test]
    fn a_fee_is_a_whole_number_of_cents_up_to_ten_thousand_euro() {
        assert_eq!(
            ParticipantFee::from_euros(0.0).unwrap(),
            ParticipantFee::default()
        );
        assert_eq!(ParticipantFee::from_euros(0.07).unwrap().cents(), 7);
        assert_eq!(ParticipantFee::from_euros(120.5).unwrap().cents(), 12_050);
        assert_eq!(
            ParticipantFee::from_euros(10_000.0).unwrap().cents(),
            1_000_000
        );
        for wrong in [-0.01, 0.001, 10_000.01, f64::NAN, f64::INFINITY] {
            assert_eq!(
                ParticipantFee::from_euros(wrong).unwrap_err().field,
                "participant_fee_eur",
                "{wrong}"
            );
        }
    }

    #[test]
    fn a_course_draft_needs_a_known_theme_and_a_qualified_provider_to_publish() {
        let draft = CourseDraft {
            title: "Privacy".into(),
            description: String::new(),
            objectives: String::new(),
            theme_code: "privacy".into(),
            provider_id: 3,
            hours: 6.0,
            modality: Modality::AsyncWebinar,
            target_office_areas: vec!["b".into(), "a".into(), "b".into()],
            min_attendance_percent: 80,
            issues_certificate: true,
            status: CourseStatus::Published,
            participant_fee_eur: 0.0,
            language: Language::Italian,
        };
        let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        let fields = |theme, provider| {
            draft
                .check(CourseContext {
                    theme_forbids_elearning: theme,
                    provider,
                    today,
                })
                .map_err(|errors| errors.into_iter().map(|e| e.field).collect::<Vec<_>>())
        };
        assert_eq!(
            fields(None, None).unwrap_err(),
            ["theme_code", "provider_id"]
        );
        assert_eq!(
            fields(Some(true), None).unwrap_err(),
            ["modality", "provider_id"]
        );
    }

    #[test]
    fn capacity_and_quota_are_built_only_within_their_ranges() {
        assert_eq!(Capacity::new(25).unwrap().seats(), 25);
        for bad in [0, -1, 10_001] {
            assert_eq!(Capacity::new(bad).unwrap_err().field, "capacity");
        }
        assert_eq!(Capacity::clamped(0).seats(), 1);
        assert_eq!(Capacity::clamped(50_000).seats(), 10_000);
        assert_eq!(ComuneQuota::new(5, 25).unwrap().seats(), 5);
        assert_eq!(
            ComuneQuota::new(26, 25).unwrap_err().message,
            "da 1 al numero dei posti dell'edizione"
        );
        assert!(ComuneQuota::new(0, 25).is_err());
    }

    #[test]
    fn an_edition_draft_reports_every_bad_field_and_keeps_a_valid_one() {
        let session = SessionPlan {
            starts_at: at(15, 9),
            ends_at: at(15, 13),
            venue_id: Some(1),
        };
        let mut draft = EditionDraft {
            title: " Imperia ".into(),
            delivery: Modality::InPerson,
            capacity: 20,
            enrolment_opens_at: at(1, 8),
            enrolment_closes_at: at(10, 8),
            available_from: None,
            available_until: None,
            access_url: None,
            self_enrolment: true,
            comune_quota: Some(5),
            status: EditionStatus::Open,
            sessions: vec![session],
        };
        let context = EditionContext {
            course_modality: Modality::InPerson,
            theme_forbids_elearning: false,
            venue_capacity: &rooms,
        };
        let fields = draft.check(context).unwrap();
        assert_eq!(
            (fields.title.as_str(), fields.capacity.seats()),
            ("Imperia", 20)
        );
        assert_eq!(fields.comune_quota.map(ComuneQuota::seats), Some(5));
        draft.capacity = 0;
        draft.comune_quota = Some(2);
        draft.title = String::new();
        let errors: Vec<String> = draft
            .check(context)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(errors, ["title", "capacity", "comune_quota"]);
    }

    #[test]
    fn durations_are_quarter_hours() {
        assert_eq!(Duration::from_hours(7.5).unwrap().minutes(), 450);
        assert_eq!(Duration::from_hours(0.25).unwrap().minutes(), 15);
        for bad in [0.0, 0.1, 7.3, 501.0, f64::NAN] {
            assert!(Duration::from_hours(bad).is_err(), "{bad}");
        }
    }
}
