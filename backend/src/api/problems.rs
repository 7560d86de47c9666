//! The standard problem responses of the API, declared once as reusable OpenAPI
//! components. Most operations never name them: `openapi::derive_standard_responses` adds
//! each one an operation can give from the operation's shape (secured, with a body, with a
//! path parameter, with `If-Match`). A handler names only what its shape cannot tell, such
//! as a 409.
use utoipa::ToResponse;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ContentBuilder, ObjectBuilder, RefOr, Response, ResponseBuilder, Type};

/// The `X-RateLimit-*` headers every 2xx and 4xx answer carries.
pub fn add_rate_limit_headers(response: &mut Response) {
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
    ServiceUnavailable (false) => "Il database non risponde, è occupato o non può registrare (disco pieno, sola lettura): nulla è stato modificato; riprovare più tardi.",
        ("Retry-After", "Secondi da attendere prima di riprovare.");
}
