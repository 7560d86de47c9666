//! Collections: an object wrapping the items, the total, and links to the neighbouring
//! pages, as the interoperability guidelines ask (never a bare array).
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::PageRequest;

/// Largest page a client may ask for.
pub const MAX_LIMIT: u32 = 200;
/// Page size when `limit` is not given.
pub const DEFAULT_LIMIT: u32 = 20;

/// The page a list is asked for: the query parameters every list shares, read by
/// [`Paged`](super::extract::Paged) next to the list's own filters.
#[derive(Debug, Deserialize, Validate, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1 to 200 (default 20).
    #[validate(range(min = 1, max = 200))]
    #[param(format = Int32, minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// Items to skip.
    #[validate(range(max = 1_000_000_000))]
    #[param(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub offset: Option<u64>,
}

impl PageQuery {
    /// The names of its parameters, told apart from a list's filters.
    pub const NAMES: [&str; 2] = ["limit", "offset"];
}

impl From<PageQuery> for PageRequest {
    fn from(query: PageQuery) -> Self {
        requested(query.limit, query.offset)
    }
}

/// One page of a collection.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Page<T: ToSchema> {
    /// The items of this page.
    #[schema(max_items = 200)]
    pub items: Vec<T>,
    /// How many items match, over all pages.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub total: u64,
    /// The page size used.
    #[schema(format = Int32, minimum = 1, maximum = 200)]
    pub limit: u32,
    /// How many matching items precede this page.
    #[schema(format = Int64, minimum = 0, maximum = 1_000_000_000)]
    pub offset: u64,
    pub links: PageLinks,
}

/// Absolute links to this page and its neighbours.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageLinks {
    /// This page.
    #[serde(rename = "self")]
    #[schema(max_length = 4000)]
    pub this: String,
    /// The next page, absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 4000)]
    pub next: Option<String>,
    /// The previous page, absent on the first one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, max_length = 4000)]
    pub prev: Option<String>,
}

impl<T: ToSchema> Page<T> {
    /// Wraps `items` with links built from the request's own URL, keeping its filters.
    pub fn new(
        items: Vec<T>,
        total: u64,
        limit: u32,
        offset: u64,
        public_url: &str,
        req: &HttpRequest,
    ) -> Self {
        let links = PageLinks::new(total, limit, offset, public_url, req);
        Self {
            items,
            total,
            limit,
            offset,
            links,
        }
    }
}

impl PageLinks {
    /// Links to this page and its neighbours, from the request's own URL and filters.
    pub fn new(total: u64, limit: u32, offset: u64, public_url: &str, req: &HttpRequest) -> Self {
        let link = |offset: u64| page_url(public_url, req, limit, offset);
        let next = (offset + u64::from(limit) < total).then(|| link(offset + u64::from(limit)));
        let prev = (offset > 0).then(|| link(offset.saturating_sub(u64::from(limit))));
        Self {
            this: link(offset),
            next,
            prev,
        }
    }
}

fn page_url(public_url: &str, req: &HttpRequest, limit: u32, offset: u64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "limit" && key != "offset" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("limit", &limit.to_string());
    query.append_pair("offset", &offset.to_string());
    format!("{public_url}{}?{}", req.path(), query.finish())
}

/// `limit` as given, or the default.
pub fn limit_or_default(limit: Option<u32>) -> u32 {
    limit.unwrap_or(DEFAULT_LIMIT)
}

/// The page a client asked for: `limit` (default 20; the query's validation caps it at
/// 200) and `offset` (default 0).
pub fn requested(limit: Option<u32>, offset: Option<u64>) -> PageRequest {
    PageRequest {
        limit: limit_or_default(limit).into(),
        offset: offset.unwrap_or(0),
    }
}

/// `200` with one page of `items` and its links, never cached: lists hold personal or
/// changing data. Every authenticated list answers through here.
pub fn page_response<T: ToSchema + Serialize>(
    items: Vec<T>,
    total: u64,
    page: PageRequest,
    public_url: &str,
    req: &HttpRequest,
) -> HttpResponse {
    let limit = u32::try_from(page.limit).unwrap_or(MAX_LIMIT);
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Page::new(items, total, limit, page.offset, public_url, req))
}
