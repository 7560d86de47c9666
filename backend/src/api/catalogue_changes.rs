//! The catalogue's change feed: what a mirror applies, in order, to stay equal to the
//! catalogue under any number of writers and replicas. It reads the change log that
//! database triggers keep (numbered in commit order, see `store::catalogue::head`), so a
//! client that polls with the cursor it was given never misses a change and never sees one
//! twice in one pass.
use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::catalogue::{
    CatalogueCourse, CatalogueEdition, RemovalReason, cached_answer_at, catalogue_course,
    catalogue_edition,
};
use super::extract::{ValidatedQuery, query_parameter};
use crate::app;
use crate::domain::catalogue::{CatalogueData, Change, ChangeCursor, ItemKind, Removal};
use crate::error::{ApiError, FieldError};
use crate::state::AppState;

/// Changes in one answer when `limit` is not given.
const DEFAULT_CHANGES: u32 = 100;

/// Where to resume the feed.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeFeedQuery {
    /// The `next_cursor` of the previous answer. Without it the feed starts from the
    /// beginning: every item once, removed ones included (a full pull).
    #[validate(length(max = 100))]
    #[param(max_length = 100, pattern = "^[A-Za-z0-9_-]+$", example = "djE6NDI")]
    pub after: Option<String>,
    /// Most changes in one answer, 1 to 200 (default 100).
    #[validate(range(min = 1, max = 200))]
    #[param(format = Int32, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// What changed: a course or an edition.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangedItemKind {
    Course,
    Edition,
}

/// One item at its latest change: its whole public view now, or why a mirror must delete
/// it. Apply it as an upsert or a delete by `kind` and `id`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "edition", "id": 12, "removed": "cancelled", "cursor": "djE6NDI"
}))]
pub struct CatalogueChange {
    pub kind: ChangedItemKind,
    #[schema(format = Int64, minimum = 1, maximum = 9_007_199_254_740_991i64)]
    pub id: i64,
    /// With `kind` `course`, unless removed: the course as `GET /catalogue/courses` shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub course: Option<CatalogueCourse>,
    /// With `kind` `edition`, unless removed: the edition as `GET /catalogue/editions`
    /// shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub edition: Option<CatalogueEdition>,
    /// Present when the item is not in the catalogue: delete it from a mirror.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub removed: Option<RemovalReason>,
    /// The position of this change: a client that stops halfway resumes after it.
    #[schema(max_length = 100, pattern = "^[A-Za-z0-9_-]+$")]
    pub cursor: String,
}

/// Links of a feed answer: `next` is always there (poll it later when `has_more` is false).
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeFeedLinks {
    #[serde(rename = "self")]
    #[schema(max_length = 4000)]
    pub this: String,
    #[schema(max_length = 4000)]
    pub next: String,
}

/// A page of the change feed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "items": [{"kind": "edition", "id": 12, "removed": "cancelled", "cursor": "djE6NDI"}],
    "next_cursor": "djE6NDI", "has_more": false,
    "links": {"self": "https://cabina.example/api/v1/catalogue/changes?after=djE6NDA",
              "next": "https://cabina.example/api/v1/catalogue/changes?after=djE6NDI"}
}))]
pub struct CatalogueChanges {
    /// Changed items in the order of their latest change, each at most once.
    #[schema(max_items = 200)]
    pub items: Vec<CatalogueChange>,
    /// Send it as `after` next time — also when `items` is empty.
    #[schema(max_length = 100, pattern = "^[A-Za-z0-9_-]+$")]
    pub next_cursor: String,
    /// More changes are already waiting: ask again at once with `next_cursor`.
    pub has_more: bool,
    pub links: ChangeFeedLinks,
}

/// Catalogue change feed
///
/// What changed in the public catalogue after a cursor, for a mirror to apply in order:
/// each course or edition whose public view changed appears once, at its latest change,
/// with its whole current view — or, in `removed`, why a mirror must delete it
/// (`deleted`, `unpublished`, `cancelled`).
///
/// **First pull**: call without `after`, follow `links.next` while `has_more` is true:
/// you get every item that ever was in the catalogue once (removed ones as deletions).
/// **Then poll** with the last `next_cursor` (every minute is fine; answers carry a
/// strong `ETag` for `If-None-Match`). Changes are numbered in commit order by the
/// database, so a change committed by any writer on any replica is never skipped,
/// however the writes interleave with your pages. Deletions are kept for ever (items are
/// never purged), so a mirror may stay offline as long as it likes. A cursor is opaque:
/// store it as given. A cursor ahead of the catalogue (kept from another database, or
/// from before the database was restored from a backup) is refused with a 400 naming
/// `after`: start again with a full pull. Unlike `updated_since`, this does not depend on
/// clocks.
/// No authentication, no personal data.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    params(ChangeFeedQuery),
    responses(
        (status = 200, description = "Changes after the cursor.", body = CatalogueChanges,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/changes")]
async fn list_catalogue_changes(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(query): ValidatedQuery<ChangeFeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let after = query_parameter("after", query.after, ChangeCursor::parse)?.unwrap_or_default();
    let limit = query.limit.unwrap_or(DEFAULT_CHANGES);
    // The generation first, then the changes up to it: the snapshot rendered is at least
    // that new, so no item is shown older than the change it is listed at.
    let generation = app::catalogue::generation(&state.db).await?;
    if after.0 > generation {
        // Numbers the catalogue never reached: a cursor from another database, or from
        // before a restore. Trusting it would skip every change up to that number.
        return Err(ApiError::InvalidParameters(vec![FieldError::parameter(
            "after",
            "cursore oltre l'ultima modifica del catalogo (database ripristinato?): \
             ricominciare con una lettura completa, senza after",
        )]));
    }
    let changes =
        app::catalogue::changes(&state.db, after, generation, u64::from(limit) + 1).await?;
    let feed_url = format!("{}/api/v1/catalogue/changes", state.public_url);
    cached_answer_at(&state, &req, generation, "application/json", |data| {
        let page = feed_page(
            data,
            &changes,
            after,
            limit as usize,
            (&state.public_url, &feed_url),
            &req,
        );
        Ok(serde_json::to_vec(&page).map_err(anyhow::Error::from)?)
    })
    .await
}

fn feed_page(
    data: &CatalogueData,
    changes: &[Change],
    after: ChangeCursor,
    limit: usize,
    (public_url, feed_url): (&str, &str),
    req: &HttpRequest,
) -> CatalogueChanges {
    let editions: HashMap<i64, _> = data.editions.iter().map(|e| (e.edition.id, e)).collect();
    let items: Vec<CatalogueChange> = changes
        .iter()
        .take(limit)
        .map(|change| {
            let mut item = CatalogueChange {
                kind: match change.kind {
                    ItemKind::Course => ChangedItemKind::Course,
                    ItemKind::Edition => ChangedItemKind::Edition,
                },
                id: change.id,
                course: None,
                edition: None,
                removed: None,
                cursor: ChangeCursor(change.seq).encode(),
            };
            let removal = match change.kind {
                ItemKind::Course => match data.courses.get(&change.id) {
                    None => Some(Removal::Deleted),
                    Some(entry) => {
                        let removal = data.course_removal(entry);
                        if removal.is_none() {
                            item.course = Some(catalogue_course(entry, public_url));
                        }
                        removal
                    }
                },
                ItemKind::Edition => match editions.get(&change.id) {
                    None => Some(Removal::Deleted),
                    Some(entry) => {
                        let removal = data.edition_removal(entry);
                        if removal.is_none() {
                            item.edition = Some(catalogue_edition(data, entry, None, public_url));
                        }
                        removal
                    }
                },
            };
            item.removed = removal.map(Into::into);
            item
        })
        .collect();
    let next = changes[..changes.len().min(limit)]
        .last()
        .map_or(after, |c| ChangeCursor(c.seq));
    let this = match req.query_string() {
        "" => feed_url.to_owned(),
        query => format!("{feed_url}?{query}"),
    };
    let mut next_url = format!("{feed_url}?after={}", next.encode());
    if let Some(limit) = req
        .query_string()
        .split('&')
        .find(|p| p.starts_with("limit="))
    {
        next_url = format!("{next_url}&{limit}");
    }
    CatalogueChanges {
        items,
        next_cursor: next.encode(),
        has_more: changes.len() > limit,
        links: ChangeFeedLinks {
            this,
            next: next_url,
        },
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_catalogue_changes);
}
