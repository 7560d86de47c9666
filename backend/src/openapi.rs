//! The OpenAPI 3.1 document, generated from the same route wiring the server runs
//! (`api::configure`), so that document and routes cannot diverge.
use actix_web::App;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{
    ContentBuilder, ObjectBuilder, OpenApi as OpenApiDoc, RefOr, Response, ResponseBuilder, Type,
};
use utoipa::{Modify, OpenApi, ToResponse};
use utoipa_actix_web::AppExt;

use crate::api;
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
Le collezioni sono oggetti con `items`, `total`, `limit`, `offset` e `links`.",
        license(name = "EUPL-1.2", identifier = "EUPL-1.2"),
        contact(name = "Ufficio formazione della Provincia", email = "formazione@cabina.invalid"),
    ),
    components(
        schemas(Problem, FieldError),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed,
            PayloadTooLarge, UnsupportedMediaType, UnprocessableContent, TooManyRequests,
            InternalError, ServiceUnavailable
        )
    ),
    tags(
        (name = "status", description = "Stato del servizio"),
        (name = "auth", description = "Accesso e identità dell'utente"),
        (name = "users", description = "Utenti e ruoli, gestiti dall'amministratore"),
        (name = "comuni", description = "I comuni della Provincia e i loro contatti"),
        (name = "reference", description = "Tassonomie condivise: aree degli uffici e temi formativi"),
        (name = "providers", description = "Enti formatori e loro qualificazione"),
        (name = "venues", description = "Sedi delle sessioni in presenza"),
        (name = "courses", description = "Corsi del catalogo: tema, ente, ore, modalità, destinatari"),
        (name = "editions", description = "Edizioni dei corsi: sessioni, posti, iscrizioni, stato"),
        (name = "employees", description = "Dipendenti dei comuni: dati personali, import ed export CSV, diritti GDPR"),
        (name = "campaigns", description = "Rilevazione annuale dei fabbisogni formativi: campagne e risposte dei comuni"),
        (name = "needs", description = "Righe di fabbisogno dei comuni: tema × ufficio"),
        (name = "enrolments", description = "Iscrizioni alle edizioni: posti, lista d'attesa, annullamenti"),
        (name = "attendance", description = "Presenze: registri delle sessioni, import dai webinar, fogli firme, ore dei corsi asincroni"),
        (name = "certificates", description = "Attestati di partecipazione e loro verifica pubblica"),
        (name = "feedback", description = "Questionari di gradimento, anonimi, e loro sintesi"),
        (name = "outbox", description = "Posta in uscita: messaggi inviati e in attesa"),
        (name = "catalogue", description = "Catalogo pubblico per Pi.Co. e altre piattaforme: nessun dato personale"),
    ),
    modifiers(&SecurityAddon)
)]
struct ApiDoc;

/// Stable identifier of this API in catalogues (PDND); never change it.
const API_ID: &str = "c4b1a0e2-9d7f-4c6a-8e3b-2f5d1a7c9e40";

/// The document with `servers` (and links in `info`) for `public_url`.
pub fn openapi(public_url: &str) -> OpenApiDoc {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope(API_PREFIX).configure(api::configure))
        .split_for_parts();
    unprefix_paths(&mut doc);
    describe_common_responses(&mut doc);
    describe_deployment(&mut doc, public_url.trim_end_matches('/'));
    doc
}

/// What every operation may answer, whatever its handler: 429 from the rate limiter, 500
/// for a defect; and the rate-limit headers on every 2xx and 4xx answer.
fn describe_common_responses(doc: &mut OpenApiDoc) {
    for item in doc.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            for (status, name) in [("429", "TooManyRequests"), ("500", "InternalError")] {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::Ref(utoipa::openapi::Ref::from_response_name(name)));
            }
            for (status, response) in responses.iter_mut() {
                if let (true, RefOr::T(response)) =
                    (status.starts_with('2') || status.starts_with('4'), response)
                {
                    add_rate_limit_headers(response);
                }
            }
        }
    }
}

fn add_rate_limit_headers(response: &mut Response) {
    for (name, description) in [
        (
            "X-RateLimit-Limit",
            "Richieste consentite per finestra (un minuto) a questo indirizzo.",
        ),
        (
            "X-RateLimit-Remaining",
            "Richieste ancora disponibili nella finestra corrente.",
        ),
        (
            "X-RateLimit-Reset",
            "Secondi all'inizio della prossima finestra.",
        ),
    ] {
        let header = HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Int32,
                    )))
                    .minimum(Some(0))
                    .maximum(Some(1_000_000_000)),
            ))
            .description(Some(description))
            .build();
        response.headers.insert(name.to_owned(), RefOr::T(header));
    }
}

/// The document as committed in `openapi/openapi.json` (pretty JSON, final newline).
pub fn openapi_json(public_url: &str) -> String {
    let mut value =
        serde_json::to_value(openapi(public_url)).expect("the OpenAPI document serializes");
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

fn describe_deployment(doc: &mut OpenApiDoc, public_url: &str) {
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
    doc.info.extensions = Some(
        ExtensionsBuilder::new()
            .add(
                "x-summary",
                "Formazione del personale dei comuni: fabbisogni, catalogo, iscrizioni, attestati",
            )
            .add("x-api-id", API_ID)
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

/// A problem+json response with optional extra headers (and the rate-limit headers for
/// a client error).
fn problem_response(
    description: &str,
    client_error: bool,
    headers: &[(&str, &str)],
) -> RefOr<Response> {
    let mut builder = ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
            .build(),
    );
    for (name, header_description) in headers {
        let header = HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(200)),
            ))
            .description(Some(*header_description))
            .build();
        builder = builder.header(*name, header);
    }
    let mut response = builder.build();
    if client_error {
        add_rate_limit_headers(&mut response);
    }
    response.into()
}

/// Declares the reusable error responses, each a `ToResponse` type that paths refer to.
macro_rules! problem_responses {
    ($($name:ident ($client_error:literal) => $description:literal $(, ($header:literal, $header_description:literal))*;)*) => {$(
        #[doc = $description]
        pub struct $name;
        impl<'s> ToResponse<'s> for $name {
            fn response() -> (&'s str, RefOr<Response>) {
                (stringify!($name), problem_response($description, $client_error, &[$(($header, $header_description)),*]))
            }
        }
    )*};
}

problem_responses! {
    BadRequest (true) => "Richiesta malformata: corpo non JSON o parametri non validi (elencati in `errors`).";
    Unauthorized (true) => "Autenticazione mancante o non valida.",
        ("WWW-Authenticate", "Lo schema richiesto: `Bearer realm=\"cabina\"`.");
    Forbidden (true) => "L'utente non ha il permesso per questa operazione o questi dati.";
    NotFound (true) => "La risorsa non esiste.";
    Conflict (true) => "La richiesta è in conflitto con lo stato attuale della risorsa.";
    PreconditionFailed (true) => "L'ETag in `If-Match` non corrisponde più: rileggere la risorsa e riprovare.";
    PayloadTooLarge (true) => "Il corpo della richiesta supera il limite consentito.";
    UnsupportedMediaType (true) => "Content-Type non supportato.";
    UnprocessableContent (true) => "JSON valido che viola le regole: ogni campo errato è elencato in `errors` con il suo JSON pointer.";
    TooManyRequests (true) => "Troppe richieste o troppi tentativi di accesso falliti.",
        ("Retry-After", "Secondi da attendere prima di riprovare.");
    InternalError (false) => "Errore interno; la causa è registrata nei log del server, mai nella risposta.";
    ServiceUnavailable (false) => "Il database non risponde; riprovare più tardi.",
        ("Retry-After", "Secondi da attendere prima di riprovare.");
}
