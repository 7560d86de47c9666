//! What answers when no route matched: under `/api`, a problem (405 with `Allow` when the
//! path exists with other methods, 404 otherwise); elsewhere, the SPA's `index.html` so
//! that client-side routes survive a reload.
use std::path::PathBuf;

use actix_router::ResourceDef;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;
use crate::openapi::API_PREFIX;

/// The documented routes, to tell "no such path" from "no such method".
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let mut routes: Vec<(ResourceDef, Vec<Method>)> = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                ];
                let allowed = methods
                    .into_iter()
                    .filter(|(_, present)| *present)
                    .map(|(m, _)| m)
                    .collect();
                (ResourceDef::new(format!("{API_PREFIX}{path}")), allowed)
            })
            .collect();
        routes.push((
            ResourceDef::new(format!("{API_PREFIX}/openapi.json")),
            vec![Method::GET],
        ));
        Self(routes)
    }

    /// The methods a path accepts, if it exists at all.
    fn allowed(&self, path: &str) -> Option<Vec<Method>> {
        let mut found: Option<Vec<Method>> = None;
        for (def, methods) in &self.0 {
            if def.is_match(path) {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(methods.iter().cloned());
            }
        }
        found
    }
}

/// The folder of the built SPA, when there is one.
pub struct Frontend(pub Option<PathBuf>);

/// The application's default service.
pub async fn fallback(req: HttpRequest) -> HttpResponse {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") {
        return api_not_found(&req).error_response();
    }
    let index = req
        .app_data::<web::Data<Frontend>>()
        .and_then(|f| f.0.as_ref().map(|dir| dir.join("index.html")));
    match (index, req.method()) {
        (Some(index), &Method::GET | &Method::HEAD) => {
            match actix_files::NamedFile::open_async(&index).await {
                Ok(file) => file.use_etag(true).into_response(&req),
                Err(_) => ApiError::NotFound.error_response(),
            }
        }
        _ => ApiError::NotFound.error_response(),
    }
}

fn api_not_found(req: &HttpRequest) -> ApiError {
    let table = req.app_data::<web::Data<RouteTable>>();
    match table.and_then(|t| t.allowed(req.path())) {
        Some(methods) if !methods.contains(req.method()) => ApiError::MethodNotAllowed(methods),
        _ => ApiError::NotFound,
    }
}

/// The SPA files service's own fallback (a missing file): same rules as above.
pub async fn files_fallback(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let response = fallback(req.clone()).await;
    Ok(ServiceResponse::new(req, response))
}
