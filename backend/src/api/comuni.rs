//! The comuni of the Province: public reference data, and contacts that the Province
//! keeps (shown to signed-in users only).
use actix_web::{HttpRequest, HttpResponse, get, patch, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::{MergePatch, Paged, double_option, query_parameter};
use super::http_cache::{IfMatch, etag_of, if_match, json_with_etag, precondition_holds, updated};
use super::pagination::{Page, PageQuery};
use crate::app;
use crate::auth::{AuthUser, MaybeAuthUser};
use crate::domain::access::{Actor, Operation};
use crate::domain::comune::{
    Comune, ComuneEntry, ComuneQuery, ComuneSort, ContactsPatch, IstatCode, SortOrder,
};
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_comuni)
        .service(read_comune)
        .service(update_comune);
}

/// A comune. `contacts` appears only for signed-in users.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "istat_code": "008031", "name": "Imperia", "province_sigla": "IM", "region_name": "Liguria",
    "cadastral_code": "E290", "postal_code": "18100", "is_provincial_capital": true,
    "population": 43167, "population_date": "2024-01-10", "latitude": 43.8897, "longitude": 8.0394,
    "distance_km": 0.0, "updated_at": "2026-11-01T08:00:00Z",
    "contacts": {"referente_email": "formazione@comune.imperia.it", "pec": "protocollo@pec.comune.imperia.it", "phone": "+39 0183 7011"}
}))]
pub struct ComuneResponse {
    /// ISTAT code, the natural key.
    #[schema(pattern = "^[0-9]{6}$", min_length = 6, max_length = 6)]
    pub istat_code: String,
    #[schema(max_length = 120)]
    pub name: String,
    #[schema(max_length = 2)]
    pub province_sigla: String,
    #[schema(max_length = 60)]
    pub region_name: String,
    /// Codice catastale (Belfiore).
    #[schema(max_length = 4)]
    pub cadastral_code: String,
    /// CAP, absent for the few large cities that have several.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, pattern = "^[0-9]{5}$", max_length = 5)]
    pub postal_code: Option<String>,
    pub is_provincial_capital: bool,
    /// Residents recorded in ANPR at `population_date`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Int32, minimum = 0, maximum = 5_000_000)]
    pub population: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub population_date: Option<NaiveDate>,
    /// WGS84 latitude in decimal degrees.
    #[schema(format = Double, minimum = -90.0, maximum = 90.0)]
    pub latitude: f64,
    /// WGS84 longitude in decimal degrees.
    #[schema(format = Double, minimum = -180.0, maximum = 180.0)]
    pub longitude: f64,
    /// Straight-line distance from the provincial capital, in kilometres.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Double, minimum = 0.0, maximum = 2000.0)]
    pub distance_km: Option<f64>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contacts: Option<ContactsResponse>,
}

/// How to reach a comune about training.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactsResponse {
    /// E-mail of the comune's training contact person.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Email, max_length = 254)]
    pub referente_email: Option<String>,
    /// Certified e-mail (PEC) of the comune.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = Email, max_length = 254)]
    pub pec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 30)]
    pub phone: Option<String>,
    /// The Unione di Comuni the comune belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 200)]
    pub unione: Option<String>,
}

impl ComuneResponse {
    /// The representation `actor` may see: contacts only for signed-in users allowed to.
    fn new(c: &Comune, distance_km: Option<f64>, actor: Option<&Actor>) -> Self {
        let show_contacts = actor.is_some_and(|a| {
            a.authorize(Operation::ReadComuneContacts(&c.istat_code))
                .is_ok()
        });
        Self {
            istat_code: c.istat_code.as_str().to_owned(),
            name: c.name.clone(),
            province_sigla: c.province_sigla.clone(),
            region_name: c.region_name.clone(),
            cadastral_code: c.cadastral_code.clone(),
            postal_code: c.postal_code.clone(),
            is_provincial_capital: c.is_provincial_capital,
            population: c.population,
            population_date: c.population_date,
            latitude: c.coordinates.latitude,
            longitude: c.coordinates.longitude,
            distance_km,
            updated_at: c.updated_at,
            contacts: show_contacts.then(|| ContactsResponse {
                referente_email: c.contacts.referente_email.clone(),
                pec: c.contacts.pec.clone(),
                phone: c.contacts.phone.clone(),
                unione: c.contacts.unione.clone(),
            }),
        }
    }

    /// The representation of a listed comune that `actor` may see.
    fn of_entry(entry: &ComuneEntry, actor: Option<&Actor>) -> Self {
        Self::new(&entry.comune, entry.distance_km, actor)
    }
}

/// Cache policy: anonymous answers are public reference data; signed-in ones carry contacts.
fn cache_control(actor: Option<&Actor>) -> &'static str {
    if actor.is_some() {
        "private, no-cache"
    } else {
        "public, no-cache"
    }
}

/// Filters of `GET /comuni`.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComuneListQuery {
    /// Fragment of the name, case-insensitive.
    #[validate(length(max = 100))]
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// `name` (default), `istat_code`, `population` or `distance_km`; prefix `-` for descending.
    #[param(max_length = 20, example = "-population")]
    pub sort: Option<String>,
}

/// List comuni
///
/// The comuni of the Province, with population, coordinates and distance from the
/// provincial capital. Public; signed-in users also see contacts.
#[utoipa::path(
    tag = "comuni",
    security((), ("bearer" = [])),
    params(ComuneListQuery, PageQuery),
    responses(
        (status = 200, description = "A page of comuni.", body = Page<ComuneResponse>,
         headers(("Cache-Control" = String, description = "`public, no-cache` for anonymous callers, `private, no-cache` with a token: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Version of this page."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/comuni")]
async fn list_comuni(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(actor): MaybeAuthUser,
    Paged(query, page): Paged<ComuneListQuery>,
) -> Result<HttpResponse, ApiError> {
    let sort = query_parameter("sort", query.sort, SortOrder::<ComuneSort>::parse)?;
    let selection = ComuneQuery {
        q: query
            .q
            .filter(|q| !q.trim().is_empty())
            .map(|q| q.trim().to_owned()),
        sort: sort.unwrap_or(SortOrder {
            key: ComuneSort::Name,
            descending: false,
        }),
        limit: usize::try_from(page.limit).unwrap_or(usize::MAX),
        offset: usize::try_from(page.offset).unwrap_or(usize::MAX),
    };
    let (entries, total) = app::comuni::list(&state.db, &selection).await?;
    let items = entries
        .iter()
        .map(|e| ComuneResponse::of_entry(e, actor.as_ref()))
        .collect();
    let limit = u32::try_from(page.limit).unwrap_or(u32::MAX);
    let page = Page::new(
        items,
        total as u64,
        limit,
        page.offset,
        &state.public_url,
        &req,
    );
    Ok(json_with_etag(&req, &page, cache_control(actor.as_ref())))
}

/// Get a comune
///
/// One comune by ISTAT code, with its `ETag`. Public; signed-in users also see contacts.
#[utoipa::path(
    tag = "comuni",
    security((), ("bearer" = [])),
    params(("istat_code" = String, Path, description = "ISTAT code (6 digits).", pattern = "^[0-9]{6}$", min_length = 6, max_length = 6, example = "008031")),
    responses(
        (status = 200, description = "The comune.", body = ComuneResponse,
         headers(("Cache-Control" = String, description = "`public, no-cache` for anonymous callers, `private, no-cache` with a token: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Version of the comune, for `If-None-Match` and `If-Match`."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/comuni/{istat_code}")]
async fn read_comune(
    state: web::Data<AppState>,
    req: HttpRequest,
    MaybeAuthUser(actor): MaybeAuthUser,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = IstatCode::parse(&code).map_err(|_| ApiError::NotFound)?;
    let entry = app::comuni::read(&state.db, &code).await?;
    let response = ComuneResponse::of_entry(&entry, actor.as_ref());
    Ok(json_with_etag(
        &req,
        &response,
        cache_control(actor.as_ref()),
    ))
}

/// A merge patch of a comune's contacts; `null` clears a field.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"pec": "protocollo@pec.comune.imperia.it", "phone": null}))]
pub struct ComunePatch {
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub referente_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub pec: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 30, pattern = "^[+0-9 ()./-]{3,30}$")]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub unione: Option<Option<String>>,
}

impl From<ComunePatch> for ContactsPatch {
    fn from(p: ComunePatch) -> Self {
        Self {
            referente_email: p.referente_email,
            pec: p.pec,
            phone: p.phone,
            unione: p.unione,
        }
    }
}

/// Update a comune's contacts
///
/// Changes the referente e-mail, PEC, phone or Unione di Comuni with a JSON merge patch
/// (`null` clears a field). The admin may change any comune, a referente only their own.
/// Send the `ETag` in `If-Match` to avoid overwriting someone else's change.
#[utoipa::path(
    tag = "comuni",
    security(("bearer" = [])),
    params(
        ("istat_code" = String, Path, description = "ISTAT code (6 digits).", pattern = "^[0-9]{6}$", min_length = 6, max_length = 6, example = "008031"),
        IfMatch,
    ),
    request_body(content = ComunePatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = ComuneResponse,
         headers(("ETag" = String, description = "The new version."))),
    )
)]
#[patch("/comuni/{istat_code}")]
async fn update_comune(
    state: web::Data<AppState>,
    req: HttpRequest,
    AuthUser(actor): AuthUser,
    code: web::Path<String>,
    MergePatch(body): MergePatch<ComunePatch>,
) -> Result<HttpResponse, ApiError> {
    let code = IstatCode::parse(&code).map_err(|_| ApiError::NotFound)?;
    let expected = if_match(&req)?;
    let holds = |current: &ComuneEntry| {
        let view = ComuneResponse::of_entry(current, Some(&actor));
        precondition_holds(expected.as_ref(), &etag_of(&view))
    };
    let entry = app::comuni::update_contacts(&state.db, &actor, &code, body.into(), holds)
        .await
        .map_err(in_body_order)?;
    Ok(updated(&ComuneResponse::of_entry(&entry, Some(&actor))))
}

/// The contacts' bad fields in the order of the body (referente e-mail, PEC, phone,
/// Unione), as this resource has always listed them, rather than sorted by pointer.
fn in_body_order(e: app::AppError) -> ApiError {
    match e {
        app::AppError::Invalid(errors) => ApiError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError::body(format!("#/{}", e.field), e.message))
                .collect(),
        ),
        other => other.into(),
    }
}
