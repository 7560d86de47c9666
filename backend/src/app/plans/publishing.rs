//! What publishing a plan writes: the catalogue's courses and editions, and the comuni's
//! messages. Pure mappings, except the reads the messages need.
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use sea_orm::ConnectionTrait;

use super::AppError;
use crate::domain::course::{
    Capacity, CourseFields, CourseStatus, Duration, EditionFields, EditionStatus, Language,
    Modality, ParticipantFee, SessionPlan,
};
use crate::domain::notification::{Message, PlannedForComune, comune_recipients, plan_published};
use crate::domain::plan::StoredPlan;
use crate::store;

/// Sessions start at nine in the morning, Italian time.
const SESSION_START: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).expect("valid time");

/// Enrolments close this many days before the first session.
const ENROLMENT_CLOSES_DAYS_BEFORE: i64 = 3;

/// The course of a theme: taught by `provider_id`, in person, by webinar, or both as the
/// plan's editions of the theme are.
pub(super) fn course_fields(
    stored: &StoredPlan,
    edition: &planner::PlannedEdition,
    provider_id: i64,
    year: &str,
) -> CourseFields {
    let theme = &edition.theme_code;
    let theme_name = stored
        .input
        .themes
        .iter()
        .find(|t| &t.code == theme)
        .map_or(theme.as_str(), |t| t.name.as_str());
    let modalities: BTreeSet<planner::Modality> = stored
        .plan
        .editions
        .iter()
        .filter(|e| &e.theme_code == theme)
        .map(|e| e.modality)
        .collect();
    let modality = match (
        modalities.contains(&planner::Modality::InPerson),
        modalities.contains(&planner::Modality::Webinar),
    ) {
        (true, true) => Modality::Blended,
        (false, true) => Modality::LiveWebinar,
        _ => Modality::InPerson,
    };
    let areas: BTreeSet<String> = stored
        .input
        .needs
        .iter()
        .filter(|n| &n.theme_code == theme)
        .map(|n| n.office_area.clone())
        .collect();
    CourseFields {
        title: format!("{theme_name} – piano {year}"),
        description: format!(
            "Corso del piano annuale «{}» della Provincia, aperto al personale dei comuni che ne hanno segnalato il fabbisogno.",
            stored.summary.name
        ),
        objectives: String::new(),
        theme_code: theme.clone(),
        provider_id,
        duration: Duration::from_minutes(theme_minutes(stored, theme)),
        modality,
        target_office_areas: areas.into_iter().collect(),
        min_attendance_percent: 75,
        issues_certificate: true,
        status: CourseStatus::Published,
        // The Province pays the plan's provider: nothing falls on the participant.
        participant_fee: ParticipantFee::default(),
        language: Language::Italian,
    }
}

/// One catalogue edition of a planned edition. In person it opens for enrolment at once;
/// a webinar stays a draft until the provider adds its link (the catalogue's rules want
/// one before it opens).
pub(super) fn edition_fields(
    stored: &StoredPlan,
    edition: &planner::PlannedEdition,
    index: usize,
) -> EditionFields {
    let params = &stored.plan.parameters;
    let minutes = theme_minutes(stored, &edition.theme_code);
    let per_day = (params.hours_per_day * 60.0).round() as i32;
    let sessions: Vec<SessionPlan> = edition
        .dates
        .iter()
        .enumerate()
        .map(|(day, date)| {
            let done = per_day * i32::try_from(day).unwrap_or(0);
            let length = (minutes - done).clamp(15, per_day.max(15));
            let starts_at = rome(*date, SESSION_START);
            SessionPlan {
                starts_at,
                ends_at: starts_at + chrono::Duration::minutes(i64::from(length)),
                venue_id: edition.venue_id,
            }
        })
        .collect();
    let now = store::now();
    let first = sessions.first().map_or(now, |s| s.starts_at);
    let closes = (first - chrono::Duration::days(ENROLMENT_CLOSES_DAYS_BEFORE))
        .max(now + chrono::Duration::hours(1));
    let (delivery, status, place) = match edition.modality {
        planner::Modality::InPerson => (
            Modality::InPerson,
            EditionStatus::Open,
            edition
                .venue_id
                .and_then(|id| stored.input.venues.iter().find(|v| v.id == id))
                .map_or_else(String::new, |v| v.name.clone()),
        ),
        planner::Modality::Webinar => (
            Modality::LiveWebinar,
            EditionStatus::Draft,
            "webinar".to_owned(),
        ),
    };
    let room = edition
        .venue_id
        .and_then(|id| stored.input.venues.iter().find(|v| v.id == id))
        .map_or(u32::MAX, |v| v.capacity);
    let theme_max =
        params
            .theme(&edition.theme_code)
            .map_or(edition.size, |t| match edition.modality {
                planner::Modality::InPerson => t.max_participants,
                planner::Modality::Webinar => t.webinar_max_participants,
            });
    let capacity = theme_max.max(edition.size).min(room).max(1);
    EditionFields {
        title: format!("Edizione {} – {place}", index + 1),
        delivery,
        capacity: Capacity::clamped(capacity),
        enrolment_opens_at: now,
        enrolment_closes_at: closes,
        available_from: None,
        available_until: None,
        access_url: None,
        self_enrolment: false,
        comune_quota: None,
        status,
        sessions,
    }
}

/// One message per address of each comune with people in the plan, and the comuni that
/// have no address to write to (no referente account, no referente contact): the office
/// must phone them.
pub(super) async fn comune_messages(
    db: &impl ConnectionTrait,
    stored: &StoredPlan,
    public_url: &str,
) -> Result<(Vec<Message>, Vec<String>), AppError> {
    let comuni = store::comuni::list(db).await?;
    let referenti = store::users::referenti_emails(db).await?;
    let ids = stored
        .plan
        .editions
        .iter()
        .flat_map(|e| &e.assignments)
        .flat_map(|a| &a.lines)
        .flat_map(|l| l.employee_ids.iter().copied());
    let names = store::employees::names_of(db, ids).await?;
    let mut by_comune: BTreeMap<&str, Vec<PlannedForComune<'_>>> = BTreeMap::new();
    for edition in &stored.plan.editions {
        let theme_name = stored
            .input
            .themes
            .iter()
            .find(|t| t.code == edition.theme_code)
            .map_or(edition.theme_code.as_str(), |t| t.name.as_str());
        let where_ = match edition.venue_id {
            Some(id) => format!(
                "in presenza a {}",
                stored
                    .input
                    .venues
                    .iter()
                    .find(|v| v.id == id)
                    .map_or("una sede da definire", |v| v.name.as_str())
            ),
            None => "webinar dal vivo".to_owned(),
        };
        for assignment in &edition.assignments {
            let people = assignment
                .lines
                .iter()
                .flat_map(|l| &l.employee_ids)
                .map(|id| names.get(id).cloned().unwrap_or_else(|| "—".to_owned()))
                .collect();
            by_comune
                .entry(assignment.comune_code.as_str())
                .or_default()
                .push(PlannedForComune {
                    theme_name,
                    where_: where_.clone(),
                    dates: &edition.dates,
                    headcount: assignment.headcount,
                    people,
                });
        }
    }
    let plan_url = format!("{public_url}/piani/{}", stored.summary.id);
    let mut messages = Vec::new();
    let mut unreachable = Vec::new();
    for comune in &comuni {
        let code = comune.istat_code.as_str();
        let Some(editions) = by_comune.get(code) else {
            continue;
        };
        let recipients = comune_recipients(
            referenti.get(code).map_or(&[][..], Vec::as_slice),
            comune.contacts.referente_email.as_deref(),
        );
        if recipients.is_empty() {
            unreachable.push(code.to_owned());
        }
        messages.extend(recipients.iter().map(|r| {
            plan_published(
                stored.summary.id,
                &stored.summary.name,
                code,
                &comune.name,
                editions,
                &plan_url,
                r,
            )
        }));
    }
    Ok((messages, unreachable))
}

fn theme_minutes(stored: &StoredPlan, theme: &str) -> i32 {
    stored
        .plan
        .parameters
        .theme(theme)
        .map_or(480, |t| (t.hours * 60.0).round() as i32)
}

/// A day and a time in Italy, as an instant.
fn rome(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    chrono_tz::Europe::Rome
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map_or_else(|| date.and_time(time).and_utc(), |t| t.with_timezone(&Utc))
}
