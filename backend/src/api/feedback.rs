//! Feedback: one questionnaire per completed enrolment, by the person; averages and comments
//! per edition and per provider, for the admin and the provider. Answers are stored without
//! any link to the person, so nobody — not even the admin — can tell who said what.
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::extract::ValidatedJson;
use crate::app;
use crate::auth::AuthUser;
use crate::domain::feedback::{Aggregate, Scores};
use crate::domain::ids::{EditionId, EnrolmentId};
use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(give_feedback)
        .service(read_edition_feedback)
        .service(read_provider_feedback);
}

/// The questionnaire: four scores from 1 (poor) to 5 (excellent) and a comment.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"content": 5, "teacher": 4, "organisation": 4, "usefulness": 5,
    "comment": "Esempi concreti, utili per l'ufficio."}))]
pub struct FeedbackWrite {
    #[schema(format = Int32, minimum = 1, maximum = 5)]
    pub content: i16,
    #[schema(format = Int32, minimum = 1, maximum = 5)]
    pub teacher: i16,
    #[schema(format = Int32, minimum = 1, maximum = 5)]
    pub organisation: i16,
    #[schema(format = Int32, minimum = 1, maximum = 5)]
    pub usefulness: i16,
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: String,
}

/// Answer the questionnaire
///
/// Once per completed enrolment, by the person who attended (409 a second time or before
/// completion). Stored without any link to the person.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Enrolment id.")),
    request_body(content = FeedbackWrite, content_type = "application/json"),
    responses(
        (status = 204, description = "Thank you."),
        (status = 409, response = super::problems::Conflict),
    )
)]
#[post("/enrolments/{id}/feedback")]
async fn give_feedback(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
    ValidatedJson(body): ValidatedJson<FeedbackWrite>,
) -> Result<HttpResponse, ApiError> {
    let scores = Scores {
        content: body.content,
        teacher: body.teacher,
        organisation: body.organisation,
        usefulness: body.usefulness,
    };
    let id = EnrolmentId(id.into_inner());
    app::feedback::give(&state.db, &actor, id, scores, &body.comment).await?;
    Ok(HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

/// Feedback added up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": 18, "released": 15, "content": 4.4, "teacher": 4.6, "organisation": 4.1, "usefulness": 4.3,
    "comments": ["Esempi concreti, utili per l'ufficio."]}))]
pub struct FeedbackSummary {
    /// Questionnaires answered.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub answers: u64,
    /// How many answers the averages and comments cover: whole batches of five only, so
    /// that no single answer can be isolated; before the first five, no results.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000)]
    pub released: u64,
    /// Averages from 1 to 5, absent with no answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub content: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub teacher: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub organisation: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1, maximum = 5)]
    pub usefulness: Option<f64>,
    /// Comments of the released answers, in alphabetical order.
    #[schema(max_items = 1_000_000)]
    pub comments: Vec<String>,
}

impl From<Aggregate> for FeedbackSummary {
    fn from(a: Aggregate) -> Self {
        Self {
            answers: a.answers as u64,
            released: a.released as u64,
            content: a.content,
            teacher: a.teacher,
            organisation: a.organisation,
            usefulness: a.usefulness,
            comments: a.comments,
        }
    }
}

/// `200` with a summary, never cached.
fn summary_response(aggregate: Aggregate) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(FeedbackSummary::from(aggregate))
}

/// Feedback on an edition
///
/// Averages and comments of its questionnaires. The admin and the provider giving it.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Edition id.")),
    responses(
        (status = 200, description = "The summary.", body = FeedbackSummary),
    )
)]
#[get("/editions/{id}/feedback")]
async fn read_edition_feedback(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let edition = EditionId(id.into_inner());
    let aggregate = app::feedback::of_edition(&state.db, &actor, edition).await?;
    Ok(summary_response(aggregate))
}

/// Feedback on a provider
///
/// Averages and comments over every edition the provider gave. The admin and the
/// provider's own staff.
#[utoipa::path(
    tag = "feedback",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Provider id.")),
    responses(
        (status = 200, description = "The summary.", body = FeedbackSummary),
    )
)]
#[get("/providers/{id}/feedback")]
async fn read_provider_feedback(
    state: web::Data<AppState>,
    AuthUser(actor): AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let aggregate = app::feedback::of_provider(&state.db, &actor, id.into_inner()).await?;
    Ok(summary_response(aggregate))
}
