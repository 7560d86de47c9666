//! Annual plans: from a closed campaign's need lines to a costed, scheduled plan (the pure
//! `planner` crate computes it), edited by the officer, approved, published into the
//! catalogue with a message to every comune.
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};
use tokio::sync::Semaphore;

use super::AppError;
use crate::domain::access::{Actor, Operation, Scope};
use crate::domain::campaign::{Campaign, CampaignStatus, Priority};
use crate::domain::course::Modality;
use crate::domain::plan::{PlanStatus, PlanSummary, StoredPlan};
use crate::domain::{DomainError, PageRequest};
use crate::store::plans::PlanFilter;
use crate::store::{self, StoreError};

/// Plans computed at once on this server: the optimiser keeps a core busy, and a flood of
/// requests must queue rather than starve everything else.
static PLANNER_SLOTS: Semaphore = Semaphore::const_new(1);

/// The longest planning window: two years (a plan is annual; a longer calendar only costs).
const MAX_WINDOW_DAYS: i64 = 731;

/// How long a request waits for the optimiser before it is told to retry.
const PLANNER_WAIT: Duration = Duration::from_secs(20);

/// The parameters a new plan of `campaign_id` starts from: the documented defaults, every
/// theme included.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`.
pub async fn defaults(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
) -> Result<planner::PlanParameters, AppError> {
    actor.authorize(Operation::ManagePlans)?;
    let campaign = store::campaigns::find(db, campaign_id).await?;
    let themes = themes(db).await?;
    Ok(planner::PlanParameters::defaults(
        campaign.fields.year,
        &themes,
    ))
}

/// Computes a draft plan of a closed campaign with `parameters` (the defaults when absent)
/// and stores it with everything it was computed from.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Conflict` unless the campaign is closed;
/// `Invalid` naming every bad parameter (`parameters/...`); `Busy` when the optimiser is
/// taken for too long.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    name: &str,
    parameters: Option<planner::PlanParameters>,
) -> Result<StoredPlan, AppError> {
    actor.authorize(Operation::ManagePlans)?;
    let campaign = store::campaigns::find(db, campaign_id).await?;
    if campaign.fields.status != CampaignStatus::Closed {
        return Err(conflict(
            "La rilevazione non è chiusa: il piano si calcola sulle risposte definitive.",
        ));
    }
    let themes = themes(db).await?;
    let parameters = parameters
        .unwrap_or_else(|| planner::PlanParameters::defaults(campaign.fields.year, &themes));
    parameters.validate().map_err(parameter_errors)?;
    if (parameters.window_end - parameters.window_start).num_days() > MAX_WINDOW_DAYS {
        return Err(DomainError::invalid(
            "parameters/window_end",
            "il periodo del piano dura al massimo due anni",
        )
        .into());
    }
    let input = input_for(db, &campaign, themes, parameters).await?;
    let computed = compute(input.clone()).await?;
    Ok(store::plans::create(db, campaign.id, name, &input, &computed, actor.user_id).await?)
}

/// Plans, newest first. Admins and referenti (who read their comune's part of each).
///
/// # Errors
/// `Forbidden` for providers and employees.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &PlanFilter,
    page: PageRequest,
) -> Result<(Vec<PlanSummary>, u64), AppError> {
    actor.authorize(Operation::ReadPlans)?;
    Ok(store::plans::list(db, filter, page).await?)
}

/// A plan as the caller may read it, with the names of the employees it places.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanView {
    pub stored: StoredPlan,
    /// Names of the named employees the view shows, by id ("—" once erased).
    pub employee_names: HashMap<i64, String>,
    pub comune_names: HashMap<String, String>,
    pub venue_names: HashMap<i64, String>,
    pub theme_names: HashMap<String, String>,
}

/// One plan: whole for the admin; for a referente, the editions where their comune's
/// people go, with only their comune's people, and their own unserved lines.
///
/// # Errors
/// `Forbidden` for providers and employees; `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<PlanView, AppError> {
    actor.authorize(Operation::ReadPlans)?;
    let mut stored = store::plans::find(db, id).await?;
    let comune = match actor.scope() {
        Scope::Comune(own) => {
            narrow_to_comune(&mut stored.plan, own.as_str());
            Some(own)
        }
        _ => None,
    };
    let view = view_of(db, stored).await?;
    if !view.employee_names.is_empty() {
        // A plan names employees: reading it is a read of personal data, and logged.
        let detail = format!(
            "piano {id}: {} dipendenti nominati",
            view.employee_names.len()
        );
        store::employees::log_access(
            db,
            actor.user_id,
            "read",
            None,
            comune.as_ref().map(|c| c.as_str()),
            detail,
        )
        .await?;
    }
    Ok(view)
}

/// Applies an officer's edits to a draft and re-costs it without re-optimising. The edits
/// are checked (422 naming `edits/{i}` or the edition) before `precondition` — the
/// caller's `If-Match` — is asked about the version read (412), and only a draft is
/// edited (409); the write is conditional on the version read.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid`; `PreconditionFailed`; `Conflict`.
pub async fn edit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    edits: &[planner::Edit],
    precondition: impl FnOnce(&StoredPlan) -> bool,
) -> Result<PlanView, AppError> {
    actor.authorize(Operation::ManagePlans)?;
    let txn = store::begin_write(db).await?;
    store::plans::lock(&txn, id).await?;
    let current = store::plans::find(&txn, id).await?;
    let edited = planner::recost(&current.input, &current.plan, edits).map_err(violations)?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    if !current.summary.status.editable() {
        return Err(conflict(
            "Il piano è approvato o pubblicato: riportarlo in bozza per modificarlo.",
        ));
    }
    let updated = store::plans::replace_plan(&txn, id, &edited, current.summary.updated_at).await?;
    txn.commit().await?;
    view_of(db, updated).await
}

/// What the officer changes of a plan itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub name: Option<String>,
    pub status: Option<PlanStatus>,
}

/// What publishing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publication {
    pub courses_created: usize,
    pub editions_created: usize,
    pub messages: usize,
    /// Comuni with people in the plan and no address to tell them (ISTAT codes).
    pub unreachable: Vec<String>,
}

/// Renames a plan or moves it along draft → approved → published (approved may go back
/// to draft). Publishing creates, under the plan's lock, one course per theme and one open
/// edition per planned edition (each recorded, so that publishing again creates nothing
/// twice) and queues one message per comune listing where its people go.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid`; `PreconditionFailed`; `Conflict` for a
/// transition the lifecycle refuses, or a theme no qualified provider teaches.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: PlanChange,
    public_url: &str,
    precondition: impl FnOnce(&StoredPlan) -> bool,
) -> Result<(PlanView, Publication), AppError> {
    actor.authorize(Operation::ManagePlans)?;
    let name = match &change.name {
        Some(name) => Some(crate::domain::text::text("name", name, 1, 120)?),
        None => None,
    };
    let txn = store::begin_catalogue_write(db).await?;
    store::plans::lock(&txn, id).await?;
    let current = store::plans::find(&txn, id).await?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    let from = current.summary.status;
    let to = change.status.unwrap_or(from);
    if !from.can_become(to) {
        return Err(conflict(&format!(
            "Un piano non passa da «{}» a «{}».",
            from.as_str(),
            to.as_str()
        )));
    }
    let mut publication = Publication::default();
    if to == PlanStatus::Published {
        publication = publish(&txn, &current, public_url).await?;
    }
    let name = name.unwrap_or_else(|| current.summary.name.clone());
    let updated =
        store::plans::set_name_and_status(&txn, id, &name, to, current.summary.updated_at).await?;
    txn.commit().await?;
    Ok((view_of(db, updated).await?, publication))
}

/// Two plans of one campaign, side by side.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid` when they belong to different campaigns.
pub async fn compare(
    db: &DatabaseConnection,
    actor: &Actor,
    first: i64,
    second: i64,
) -> Result<(StoredPlan, StoredPlan), AppError> {
    actor.authorize(Operation::ManagePlans)?;
    let a = store::plans::find(db, first).await?;
    let b = store::plans::find(db, second).await?;
    if a.summary.campaign_id != b.summary.campaign_id {
        return Err(
            DomainError::invalid("with", "i piani appartengono a rilevazioni diverse").into(),
        );
    }
    Ok((a, b))
}

/// Runs the optimiser off the async runtime, one plan at a time.
async fn compute(input: planner::PlanInput) -> Result<planner::Plan, AppError> {
    let _slot = tokio::time::timeout(PLANNER_WAIT, PLANNER_SLOTS.acquire())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Busy)?;
    let result = tokio::task::spawn_blocking(move || planner::plan(&input))
        .await
        .map_err(|e| {
            AppError::Store(StoreError::Database(sea_orm::DbErr::Custom(e.to_string())))
        })?;
    result.map_err(parameter_errors)
}

/// Everything the planner reads, from the database: comuni, venues, need lines, themes
/// and the rooms already taken in the planning window.
async fn input_for(
    db: &impl ConnectionTrait,
    campaign: &Campaign,
    themes: Vec<planner::ThemeInfo>,
    parameters: planner::PlanParameters,
) -> Result<planner::PlanInput, AppError> {
    let comuni = store::comuni::list(db)
        .await?
        .into_iter()
        .map(|c| planner::ComunePoint {
            code: c.istat_code.as_str().to_owned(),
            name: c.name,
            lat: c.coordinates.latitude,
            lon: c.coordinates.longitude,
        })
        .collect();
    let (venues, _) = store::venues::list(
        db,
        &Default::default(),
        PageRequest {
            limit: u64::MAX >> 1,
            offset: 0,
        },
    )
    .await?;
    let venues = venues
        .into_iter()
        .map(|v| planner::VenueOption {
            id: v.id,
            name: v.fields.name,
            comune_code: v.fields.comune.as_str().to_owned(),
            lat: v.fields.coordinates.latitude,
            lon: v.fields.coordinates.longitude,
            capacity: u32::try_from(v.fields.capacity).unwrap_or(0),
        })
        .collect();
    let needs = store::campaigns::needs(db, Some(campaign.id), None)
        .await?
        .into_iter()
        .map(|n| planner::NeedLine {
            id: n.id,
            comune_code: n.comune,
            theme_code: n.fields.theme_code,
            office_area: n.fields.office_area,
            headcount: u32::try_from(n.fields.headcount).unwrap_or(0),
            priority: match n.fields.priority {
                Priority::Alta => planner::Priority::Alta,
                Priority::Media => planner::Priority::Media,
                Priority::Bassa => planner::Priority::Bassa,
            },
            preferred_modality: match n.fields.preferred_modality {
                Modality::InPerson => planner::PreferredModality::InPerson,
                Modality::LiveWebinar | Modality::AsyncWebinar => {
                    planner::PreferredModality::Webinar
                }
                Modality::Blended => planner::PreferredModality::Any,
            },
            employee_ids: n.fields.employee_ids,
        })
        .collect();
    let existing_bookings =
        store::plans::room_bookings(db, parameters.window_start, parameters.window_end).await?;
    Ok(planner::PlanInput {
        comuni,
        venues,
        needs,
        themes,
        parameters,
        existing_bookings,
    })
}

async fn themes(db: &impl ConnectionTrait) -> Result<Vec<planner::ThemeInfo>, AppError> {
    Ok(store::reference::themes(db)
        .await?
        .into_iter()
        .map(|t| planner::ThemeInfo {
            code: t.code,
            name: t.name,
            presence_only: t.forbids_elearning,
            mandatory: t.mandatory,
        })
        .collect())
}

/// Keeps of a plan only what concerns one comune: its people in each edition, its
/// unserved lines, its own figures (the overall ones stay: they name nobody).
fn narrow_to_comune(plan: &mut planner::Plan, comune: &str) {
    for edition in &mut plan.editions {
        edition.assignments.retain(|a| a.comune_code == comune);
    }
    plan.editions.retain(|e| !e.assignments.is_empty());
    plan.unserved.retain(|u| u.comune_code == comune);
    plan.figures.per_comune.retain(|c| c.comune_code == comune);
}

async fn view_of(db: &impl ConnectionTrait, stored: StoredPlan) -> Result<PlanView, AppError> {
    let ids: Vec<i64> = stored
        .plan
        .editions
        .iter()
        .flat_map(|e| &e.assignments)
        .flat_map(|a| &a.lines)
        .flat_map(|l| l.employee_ids.iter().copied())
        .chain(
            stored
                .plan
                .unserved
                .iter()
                .flat_map(|u| u.employee_ids.iter().copied()),
        )
        .collect();
    let employee_names = store::employees::names_of(db, ids).await?;
    let comune_names = stored
        .input
        .comuni
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let venue_names = stored
        .input
        .venues
        .iter()
        .map(|v| (v.id, v.name.clone()))
        .collect();
    let theme_names = stored
        .input
        .themes
        .iter()
        .map(|t| (t.code.clone(), t.name.clone()))
        .collect();
    Ok(PlanView {
        stored,
        employee_names,
        comune_names,
        venue_names,
        theme_names,
    })
}

/// Creates what is not yet in the catalogue and tells the comuni, the first time.
async fn publish(
    txn: &sea_orm::DatabaseTransaction,
    current: &StoredPlan,
    public_url: &str,
) -> Result<Publication, AppError> {
    let done = store::plans::publications(txn, current.summary.id).await?;
    let providers = providers_by_theme(txn, &current.plan).await?;
    let mut publication = Publication::default();
    let mut courses: BTreeMap<String, i64> = done
        .iter()
        .filter_map(|(key, (course, _))| {
            key.strip_prefix("course/").map(|t| (t.to_owned(), *course))
        })
        .collect();
    let year = current
        .plan
        .parameters
        .window_start
        .format("%Y")
        .to_string();
    for (index, edition) in current.plan.editions.iter().enumerate() {
        let course_id = match courses.get(&edition.theme_code) {
            Some(id) => *id,
            None => {
                let fields = publishing::course_fields(
                    current,
                    edition,
                    providers[&edition.theme_code],
                    &year,
                );
                let course = store::courses::create_in(txn, &fields).await?;
                let key = format!("course/{}", edition.theme_code);
                store::plans::record_publication(txn, current.summary.id, &key, course.id, None)
                    .await?;
                courses.insert(edition.theme_code.clone(), course.id);
                publication.courses_created += 1;
                course.id
            }
        };
        if done.contains_key(&edition.key) {
            continue;
        }
        let fields = publishing::edition_fields(current, edition, index);
        let created = store::courses::create_edition_in(txn, course_id, &fields).await?;
        store::plans::record_publication(
            txn,
            current.summary.id,
            &edition.key,
            course_id,
            Some(created.id),
        )
        .await?;
        publication.editions_created += 1;
    }
    if current.summary.status != PlanStatus::Published {
        let (messages, unreachable) = publishing::comune_messages(txn, current, public_url).await?;
        publication.messages = messages.len();
        publication.unreachable = unreachable;
        store::outbox::enqueue(txn, &messages).await?;
    }
    Ok(publication)
}

/// The provider that will teach each theme of the plan: the qualified provider of lowest
/// id that offers the theme.
async fn providers_by_theme(
    db: &impl ConnectionTrait,
    plan: &planner::Plan,
) -> Result<HashMap<String, i64>, AppError> {
    let today = store::now().date_naive();
    let (providers, _) = store::providers::list(
        db,
        &store::providers::ProviderFilter {
            limit: 10_000,
            ..Default::default()
        },
    )
    .await?;
    let mut chosen = HashMap::new();
    let mut missing = Vec::new();
    for theme in plan.editions.iter().map(|e| &e.theme_code) {
        if chosen.contains_key(theme) {
            continue;
        }
        match providers
            .iter()
            .filter(|p| p.is_qualified_on(today) && p.profile.themes.contains(theme))
            .map(|p| p.id)
            .min()
        {
            Some(id) => {
                chosen.insert(theme.clone(), id);
            }
            None if !missing.contains(theme) => missing.push(theme.clone()),
            None => {}
        }
    }
    if !missing.is_empty() {
        return Err(conflict(&format!(
            "Nessun ente formatore qualificato per: {}. Qualificarne uno prima di pubblicare.",
            missing.join(", ")
        )));
    }
    Ok(chosen)
}

mod publishing;

fn conflict(detail: &str) -> AppError {
    StoreError::Conflict {
        detail: detail.to_owned(),
    }
    .into()
}

/// The planner's field errors as ours, under `parameters/` (`themes[privacy].hours`
/// becomes `parameters/themes/privacy/hours`).
fn parameter_errors(errors: Vec<planner::FieldError>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .map(|e| DomainError::invalid(&format!("parameters/{}", pointer(&e.field)), e.message))
            .collect(),
    )
}

/// Broken plan rules as field errors: `edits/{i}/…` for an edit, `editions/{key}/…` for an
/// edition, in Italian.
fn violations(violations: Vec<planner::Violation>) -> AppError {
    AppError::Invalid(
        violations
            .into_iter()
            .map(|v| {
                let field = match &v.edition_key {
                    Some(key) if !v.field.starts_with("edits") => {
                        // JSON pointer: a key's own slashes are escaped.
                        format!(
                            "editions/{}/{}",
                            key.replace('~', "~0").replace('/', "~1"),
                            pointer(&v.field)
                        )
                    }
                    _ => pointer(&v.field),
                };
                DomainError::invalid(&field, crate::domain::plan::violation_text(v.kind))
            })
            .collect(),
    )
}

/// `a[b].c` → `a/b/c`.
fn pointer(field: &str) -> String {
    field
        .replace("].", "/")
        .replace('[', "/")
        .replace(']', "")
        .replace('.', "/")
}
