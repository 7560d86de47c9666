//! The OpenAPI 3.1 document, generated from the same route wiring the server runs
//! (`api::configure`), so that document and routes cannot diverge.
use actix_web::App;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{OpenApi as OpenApiDoc, RefOr};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::api::{self, problems};
use crate::error::{FieldError, Problem};

/// The path every operation is served under; it lives in the server URL, not the paths.
pub const API_PREFIX: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "cabina API",
        version = "1.0.0",
        description = "API di cabina, la cabina di regia della formazione del personale dei comuni di una Provincia: \
rilevazione dei fabbisogni, piano annuale, catalogo dei corsi, iscrizioni, presenze e attestati.\n\n\
Gli errori sono `application/problem+json` (RFC 9457). Le date seguono RFC 3339 (UTC, `Z`). \
Le collezioni sono oggetti con `items`, `total`, `limit`, `offset` e `links`.\n\n\
**Versioni.** Questa è la versione 1, servita sotto `/api/v1`. Dentro una versione si aggiungono \
soltanto operazioni, campi nelle risposte, parametri facoltativi e valori: un client deve ignorare \
i campi che non conosce. Un cambiamento incompatibile apre `/api/v2`, servita accanto alla v1 per \
almeno dodici mesi. Ciò che sarà tolto è marcato `deprecated` in questo documento e, quando usato, \
risponde con l'intestazione `Deprecation` (RFC 9745) e un `Link` al successore; la data di \
spegnimento, almeno sei mesi dopo, arriva con l'intestazione `Sunset` (RFC 8594).",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
    ),
    components(
        schemas(Problem, FieldError),
        responses(
            problems::BadRequest, problems::Unauthorized, problems::Forbidden,
            problems::NotFound, problems::Conflict, problems::PreconditionFailed,
            problems::PayloadTooLarge, problems::UnsupportedMediaType,
            problems::UnprocessableContent, problems::TooManyRequests,
            problems::InternalError, problems::ServiceUnavailable
        )
    ),
    tags(
        (name = "status", description = "Stato del servizio"),
        (name = "auth", description = "Accesso e identità dell'utente"),
        (name = "users", description = "Utenti e ruoli, gestiti dall'amministratore"),
        (name = "accounts", description = "Inviti ai dipendenti e scelta della password con un collegamento monouso"),
        (name = "comuni", description = "I comuni della Provincia e i loro contatti"),
        (name = "reference", description = "Tassonomie condivise: aree degli uffici e temi formativi"),
        (name = "providers", description = "Enti formatori e loro qualificazione"),
        (name = "venues", description = "Sedi delle sessioni in presenza"),
        (name = "courses", description = "Corsi del catalogo: tema, ente, ore, modalità, destinatari"),
        (name = "editions", description = "Edizioni dei corsi: sessioni, posti, iscrizioni, stato"),
        (name = "edition-change-proposals", description = "Proposte degli enti di cambiare posti, date o annullare un'edizione pubblicata, e decisione della Provincia"),
        (name = "employees", description = "Dipendenti dei comuni: dati personali, import ed export CSV, diritti GDPR"),
        (name = "campaigns", description = "Rilevazione annuale dei fabbisogni formativi: campagne e risposte dei comuni"),
        (name = "needs", description = "Righe di fabbisogno dei comuni: tema × ufficio"),
        (name = "enrolments", description = "Iscrizioni alle edizioni: posti, lista d'attesa, annullamenti"),
        (name = "attendance", description = "Presenze: registri delle sessioni, import dai webinar, fogli firme, ore dei corsi asincroni"),
        (name = "certificates", description = "Attestati di partecipazione e loro verifica pubblica"),
        (name = "feedback", description = "Questionari di gradimento, anonimi, e loro sintesi"),
        (name = "outbox", description = "Posta in uscita: messaggi inviati e in attesa"),
        (name = "plans", description = "Piano annuale: dai fabbisogni dei comuni a edizioni, sedi, date e costi, con limite inferiore dimostrato e risparmio"),
        (name = "catalogue", description = "Catalogo pubblico per Pi.Co. e altre piattaforme: nessun dato personale"),
    ),
    modifiers(&SecurityAddon)
)]
struct ApiDoc;

/// Who answers for this API and how catalogues (PDND) know it; from the configuration
/// (`CABINA_API_CONTACT_NAME`, `CABINA_API_CONTACT_EMAIL`, `CABINA_API_ID`).
#[derive(Debug, Clone)]
pub struct DocumentIdentity {
    pub contact_name: String,
    pub contact_email: String,
    /// Stable identifier of this API in catalogues; an installation never changes it.
    pub api_id: String,
}

impl Default for DocumentIdentity {
    fn default() -> Self {
        Self {
            contact_name: "Ufficio formazione della Provincia".into(),
            contact_email: "formazione@cabina.invalid".into(),
            api_id: "c4b1a0e2-9d7f-4c6a-8e3b-2f5d1a7c9e40".into(),
        }
    }
}

/// Query parameters kept for existing clients but superseded: marked `deprecated` in the
/// document, and answered with a `Deprecation` header (see `api::catalogue`).
const DEPRECATED_PARAMETERS: &[&str] = &["updated_since"];

/// The document with `servers` (and links in `info`) for `public_url`, as committed.
pub fn openapi(public_url: &str) -> OpenApiDoc {
    openapi_for(public_url, &DocumentIdentity::default())
}

/// The document of an installation: its address and its identity.
pub fn openapi_for(public_url: &str, identity: &DocumentIdentity) -> OpenApiDoc {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope(API_PREFIX).configure(api::configure))
        .split_for_parts();
    unprefix_paths(&mut doc);
    derive_standard_responses(&mut doc);
    derive_conventions(&mut doc);
    reference_page_items(&mut doc);
    describe_deployment(&mut doc, public_url.trim_end_matches('/'), identity);
    doc
}

/// Operations a signed-in caller of any role may call: a token is needed (401) but no role
/// is ever refused (no 403): what they see is narrowed to their scope instead.
const OPEN_TO_EVERY_ROLE: &[&str] = &["read_current_user", "list_enrolments"];

/// Adds to every operation the standard problem responses its shape implies, so that
/// handlers declare only what their shape cannot tell (a 409, a 404 on a referenced
/// resource):
/// - a bearer token accepted → 401; required → 403 too (unless open to every role);
/// - a request body → 400 (malformed), 413, 415, 422; query parameters → 400;
/// - a path parameter → 404; an `If-Match` header → 412;
/// - always: 429 from the rate limiter, 500 for a defect, 503 when the database is away.
///
/// Then the rate-limit headers go on every 2xx and 4xx answer. (Responses are keyed by
/// status in a sorted map, so the order of declaration does not show in the document.)
fn derive_standard_responses(doc: &mut OpenApiDoc) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let implied = standard_responses_of(operation);
            let responses = &mut operation.responses.responses;
            for (status, name) in implied {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(utoipa::openapi::Ref::from_response_name(name)));
            }
            for (status, response) in responses.iter_mut() {
                if let (true, RefOr::T(response)) =
                    (status.starts_with('2') || status.starts_with('4'), response)
                {
                    api::problems::add_rate_limit_headers(response);
                }
            }
        }
    }
}

/// The conventions every operation follows, declared here once instead of on each handler:
/// - an operation open to anyone declares `security: []`;
/// - a superseded query parameter is marked `deprecated`;
/// - a numeric path parameter is a database id, from 1 to 2^53 − 1 (the largest integer a
///   JavaScript client reads exactly);
/// - an operation that may answer 304 declares the `If-None-Match` header that asks for it,
///   so that a generated client can send it per request;
/// - a success that does not say how it may be cached carries `Cache-Control: no-store`,
///   as the server's default policy for `/api/` sets it (`startup::default_cache_control`).
fn derive_conventions(doc: &mut OpenApiDoc) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            declare_public(operation);
            declare_revalidation(operation);
            for parameter in operation.parameters.iter_mut().flatten() {
                if let RefOr::T(parameter) = parameter {
                    mark_deprecated(parameter);
                    bound_database_id(parameter);
                }
            }
            for (status, response) in &mut operation.responses.responses {
                if let (true, RefOr::T(response)) = (status.starts_with('2'), response) {
                    response
                        .headers
                        .entry("Cache-Control".to_owned())
                        .or_insert_with(|| {
                            HeaderBuilder::new()
                                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                                .description(Some("`no-store`."))
                                .build()
                                .into()
                        });
                }
            }
        }
    }
}

/// A page of a list (`Page_VenueResponse`, `CataloguePage_CatalogueCourse`) names its
/// items' schema by reference instead of repeating it (utoipa inlines a generic's type
/// argument), so that a generated client has one type per object.
fn reference_page_items(doc: &mut OpenApiDoc) {
    use utoipa::openapi::schema::ArrayItems;
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    let names: Vec<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in &mut components.schemas {
        let Some((_, item)) = name.split_once('_') else {
            continue;
        };
        if !names.iter().any(|n| n == item) {
            continue;
        }
        if let RefOr::T(Schema::Object(page)) = schema
            && let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items")
        {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(
                utoipa::openapi::Ref::from_schema_name(item),
            )));
        }
    }
}

/// An operation anyone may call says so with `security: []` (no requirement at all), so
/// that a generated client never attaches a token and a checker never wonders.
fn declare_public(operation: &mut Operation) {
    let anonymous = |r: &SecurityRequirement| {
        serde_json::to_value(r).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
    };
    if operation
        .security
        .as_ref()
        .is_none_or(|requirements| requirements.iter().all(anonymous))
    {
        operation.security = Some(Vec::new());
    }
}

/// An operation with a 304 answer takes `If-None-Match`: the ETag of the copy the client
/// holds (or several, comma-separated).
fn declare_revalidation(operation: &mut Operation) {
    use utoipa::openapi::path::ParameterBuilder;
    if !operation.responses.responses.contains_key("304") {
        return;
    }
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let declared = parameters.iter().any(|p| {
        matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Header && p.name == "If-None-Match")
    });
    if !declared {
        parameters.push(RefOr::T(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .description(Some(
                    "ETags of the copies the client holds: 304 when the answer would be one of them.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ));
    }
}

/// The largest integer a JavaScript client reads exactly: ids never go beyond it.
const MAX_SAFE_ID: i64 = 9_007_199_254_740_991;

fn mark_deprecated(parameter: &mut Parameter) {
    if DEPRECATED_PARAMETERS.contains(&parameter.name.as_str()) {
        parameter.deprecated = Some(utoipa::openapi::Deprecated::True);
    }
}

fn bound_database_id(parameter: &mut Parameter) {
    if parameter.parameter_in != ParameterIn::Path {
        return;
    }
    if let Some(RefOr::T(Schema::Object(object))) = &mut parameter.schema
        && object.schema_type == SchemaType::Type(Type::Integer)
        && object.minimum.is_none()
    {
        object.minimum = Some(1.into());
        object.maximum = Some(MAX_SAFE_ID.into());
    }
}

/// The standard responses (status, component name) an operation's shape implies.
fn standard_responses_of(operation: &Operation) -> Vec<(&'static str, &'static str)> {
    let requirements = operation.security.as_deref().unwrap_or_default();
    let bearer =
        |r: &SecurityRequirement| serde_json::to_value(r).is_ok_and(|v| v.get("bearer").is_some());
    let accepts_token = requirements.iter().any(bearer);
    let requires_token = !requirements.is_empty() && requirements.iter().all(bearer);
    let parameters: Vec<&Parameter> = operation
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
        .collect();
    let has = |location: ParameterIn| parameters.iter().any(|p| p.parameter_in == location);
    let has_body = operation.request_body.is_some();
    let open_to_every_role = operation
        .operation_id
        .as_deref()
        .is_some_and(|id| OPEN_TO_EVERY_ROLE.contains(&id));

    let mut implied = Vec::new();
    if has_body || has(ParameterIn::Query) {
        implied.push(("400", "BadRequest"));
    }
    if accepts_token {
        implied.push(("401", "Unauthorized"));
    }
    if requires_token && !open_to_every_role {
        implied.push(("403", "Forbidden"));
    }
    if has(ParameterIn::Path) {
        implied.push(("404", "NotFound"));
    }
    if parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Header && p.name == "If-Match")
    {
        implied.push(("412", "PreconditionFailed"));
    }
    if has_body {
        implied.extend([
            ("413", "PayloadTooLarge"),
            ("415", "UnsupportedMediaType"),
            ("422", "UnprocessableContent"),
        ]);
    }
    implied.extend([
        ("429", "TooManyRequests"),
        ("500", "InternalError"),
        ("503", "ServiceUnavailable"),
    ]);
    implied
}

/// The document as committed in `openapi/openapi.json` (pretty JSON, final newline).
pub fn openapi_json(public_url: &str) -> String {
    openapi_json_for(public_url, &DocumentIdentity::default())
}

/// An installation's document, as `openapi_json` renders it.
pub fn openapi_json_for(public_url: &str, identity: &DocumentIdentity) -> String {
    let mut value = serde_json::to_value(openapi_for(public_url, identity))
        .expect("the OpenAPI document serializes");
    sort_extensions(&mut value);
    let mut json = serde_json::to_string_pretty(&value).expect("JSON values serialize");
    json.push('\n');
    json
}

/// utoipa keeps `x-` extensions in a hash map, whose order changes from run to run; put
/// them last and sorted, so that the document is byte-for-byte reproducible.
fn sort_extensions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let keys: Vec<String> = map
                .keys()
                .filter(|k| k.starts_with("x-"))
                .cloned()
                .collect();
            let mut extensions: Vec<(String, serde_json::Value)> = keys
                .into_iter()
                .filter_map(|k| map.remove(&k).map(|v| (k, v)))
                .collect();
            extensions.sort_by(|a, b| a.0.cmp(&b.0));
            map.extend(extensions);
            map.values_mut().for_each(sort_extensions);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(sort_extensions),
        _ => {}
    }
}

/// Path keys are unversioned (`/status`); the version lives in the server URL.
fn unprefix_paths(doc: &mut OpenApiDoc) {
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(path, item)| {
            (
                path.strip_prefix(API_PREFIX).unwrap_or(&path).to_owned(),
                item,
            )
        })
        .collect();
}

fn describe_deployment(doc: &mut OpenApiDoc, public_url: &str, identity: &DocumentIdentity) {
    let mut server = ServerBuilder::new()
        .url(format!("{public_url}{API_PREFIX}"))
        .description(Some(if public_url.starts_with("https://") {
            "Questa installazione di cabina"
        } else {
            "Installazione locale di sviluppo (non cifrata)"
        }))
        .build();
    if !public_url.starts_with("https://") {
        server.extensions = Some(ExtensionsBuilder::new().add("x-sandbox", true).build());
    }
    doc.servers = Some(vec![server]);
    doc.info.terms_of_service = Some(format!("{public_url}/termini.html"));
    doc.info.contact = Some(
        utoipa::openapi::info::ContactBuilder::new()
            .name(Some(identity.contact_name.as_str()))
            .email(Some(identity.contact_email.as_str()))
            .build(),
    );
    doc.info.extensions = Some(
        ExtensionsBuilder::new()
            .add(
                "x-summary",
                "Formazione del personale dei comuni: fabbisogni, catalogo, iscrizioni, attestati",
            )
            .add("x-api-id", identity.api_id.as_str())
            .build(),
    );
}

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Token JWT (HS256, RFC 7519) ottenuto da `POST /auth/login`, valido pochi minuti; \
                         emesso e verificato secondo le buone pratiche di RFC 8725 (algoritmo fissato, \
                         `exp`, `iss` e `aud` obbligatori).",
                    ))
                    .build(),
            ),
        );
    }
}
