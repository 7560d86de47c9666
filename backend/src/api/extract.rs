//! Request extractors that parse and validate in one step, so a handler only ever sees
//! well-formed input. Every failure is an [`ApiError`] naming the field at fault:
//! 415 wrong media type, 413 too large, 400 not JSON, 422 valid JSON that breaks a rule.
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::pagination::PageQuery;
use crate::domain::PageRequest;
use crate::error::{ApiError, FieldError};

/// Largest CSV accepted by an import (a few tens of thousands of rows).
const CSV_LIMIT: usize = 10 * 1024 * 1024;

/// An optional query parameter read into a domain type; a bad value is a 400 naming the
/// parameter.
///
/// # Errors
/// `ApiError::InvalidParameters` with the parse error's message.
pub fn query_parameter<T>(
    name: &str,
    value: Option<String>,
    parse: impl FnOnce(&str) -> Result<T, crate::domain::DomainError>,
) -> Result<Option<T>, ApiError> {
    value
        .as_deref()
        .map(parse)
        .transpose()
        .map_err(|e| ApiError::InvalidParameters(vec![FieldError::parameter(name, e.message)]))
}

/// A JSON body (`application/json`), deserialized and validated.
pub struct ValidatedJson<T>(pub T);

/// A JSON merge patch body (`application/merge-patch+json`, RFC 7396), deserialized and
/// validated. Use `Option<Option<T>>` fields with `serde_with`-free `double_option` to tell
/// "absent" from "null".
pub struct MergePatch<T>(pub T);

/// Query parameters, deserialized and validated; errors name the parameter.
pub struct ValidatedQuery<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidatedJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload, "application/json");
        Box::pin(async move { parse_body(&body.await?).map(ValidatedJson) })
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for MergePatch<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload, "application/merge-patch+json");
        Box::pin(async move { parse_body(&body.await?).map(MergePatch) })
    }
}

impl<T: DeserializeOwned + Validate> FromRequest for ValidatedQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ValidatedQuery))
    }
}

/// The query of an operation that takes none: any parameter is a 400 naming it, so that
/// arbitrary query strings cannot each become a distinct answer to render and cache.
#[derive(Debug, serde::Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct NoParameters {}

/// A list's own filters `F` and the page asked for, from one query string: `limit` and
/// `offset` are read by the shared [`PageQuery`], every other parameter by `F` (which
/// refuses names it does not know). A 400 names every bad parameter of either.
pub struct Paged<F>(pub F, pub PageRequest);

impl<F: DeserializeOwned + Validate> FromRequest for Paged<F> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_paged(req.query_string()))
    }
}

fn parse_paged<F: DeserializeOwned + Validate>(query: &str) -> Result<Paged<F>, ApiError> {
    let (page, filters): (Vec<_>, Vec<_>) = form_urlencoded_parse(query)
        .partition(|(name, _)| PageQuery::NAMES.contains(&name.as_ref()));
    let encode = |pairs: Vec<(std::borrow::Cow<'_, str>, std::borrow::Cow<'_, str>)>| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    match (
        parse_query::<F>(&encode(filters)),
        parse_query::<PageQuery>(&encode(page)),
    ) {
        (Ok(filters), Ok(page)) => Ok(Paged(filters, page.into())),
        (Err(ApiError::InvalidParameters(mut first)), Err(ApiError::InvalidParameters(more))) => {
            first.extend(more);
            Err(ApiError::InvalidParameters(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// Checks the media type, then reads the body within the configured size limit.
fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    media_type: &'static str,
) -> LocalBoxFuture<'static, Result<Bytes, ApiError>> {
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if declared.as_deref() != Some(media_type) {
        return Box::pin(std::future::ready(Err(ApiError::UnsupportedMediaType(
            media_type,
        ))));
    }
    let bytes = Bytes::from_request(req, payload);
    Box::pin(async move {
        let bytes = bytes
            .await
            .map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => ApiError::PayloadTooLarge,
                _ if e.as_response_error().status_code() == 413 => ApiError::PayloadTooLarge,
                _ => ApiError::BadRequest("Impossibile leggere il corpo della richiesta.".into()),
            })?;
        if bytes.is_empty() {
            return Err(ApiError::BadRequest(
                "Il corpo della richiesta è obbligatorio.".into(),
            ));
        }
        Ok(bytes)
    })
}

/// JSON syntax errors are 400; JSON of the wrong shape or breaking a rule is 422.
const NUL_REFUSED: &str = "il testo contiene un carattere nullo (U+0000), non ammesso";

/// Whether a JSON text escapes a NUL character (`\u0000`).
fn contains_nul_escape(bytes: &[u8]) -> bool {
    bytes.windows(6).any(|w| w == b"\\u0000")
}

/// The JSON pointers of the strings (values or keys) that contain a NUL character.
fn strings_with_nul(value: &serde_json::Value, at: &mut String, found: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::String(text) if text.contains('\0') => found.push(at.clone()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                strings_with_nul(item, at, found);
                at.truncate(len);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let len = at.len();
                at.push('/');
                at.push_str(&key.replace('\0', "").replace('~', "~0").replace('/', "~1"));
                if key.contains('\0') {
                    found.push(at.clone());
                } else {
                    strings_with_nul(item, at, found);
                }
                at.truncate(len);
            }
        }
        _ => {}
    }
}

pub(crate) fn parse_body<T: DeserializeOwned + Validate>(bytes: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so that a truncated document is 400 even where its start has the
    // wrong shape.
    if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        return Err(ApiError::BadRequest(format!(
            "Il corpo non è JSON valido (riga {}, colonna {}).",
            e.line(),
            e.column()
        )));
    }
    // No text may hold a NUL character: PostgreSQL cannot store one, and no name, title
    // or note needs it. Refused here, once for every resource, naming each field. In valid
    // JSON a NUL can only be the escape `\u0000`, so only such bodies are looked into.
    if contains_nul_escape(bytes) {
        let mut with_nul = Vec::new();
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(document) => strings_with_nul(&document, &mut String::from("#"), &mut with_nul),
            Err(_) => with_nul.push("#".to_owned()),
        }
        if !with_nul.is_empty() {
            return Err(ApiError::Validation(
                with_nul
                    .into_iter()
                    .map(|pointer| FieldError::body(pointer, NUL_REFUSED))
                    .collect(),
            ));
        }
    }
    // serde would read a struct from a JSON array, field by field: refuse anything but objects.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::Validation(vec![FieldError::body(
            "#",
            "il corpo deve essere un oggetto JSON",
        )]));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(e) if e.inner().is_data() => {
            let pointer = json_pointer(&e.path().to_string(), &e.inner().to_string());
            return Err(ApiError::Validation(vec![FieldError::body(
                pointer,
                describe(e.inner()),
            )]));
        }
        Err(e) => {
            return Err(ApiError::BadRequest(format!(
                "Il corpo non è JSON valido (riga {}, colonna {}).",
                e.inner().line(),
                e.inner().column()
            )));
        }
    };
    deserializer
        .end()
        .map_err(|_| ApiError::BadRequest("Il corpo contiene dati dopo il JSON.".into()))?;
    value
        .validate()
        .map_err(|e| ApiError::Validation(body_errors(&e)))?;
    Ok(value)
}

fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let with_nul: Vec<FieldError> = form_urlencoded_parse(query)
        .filter(|(name, value)| name.contains('\0') || value.contains('\0'))
        .map(|(name, _)| FieldError::parameter(name.replace('\0', ""), NUL_REFUSED))
        .collect();
    if !with_nul.is_empty() {
        return Err(ApiError::InvalidParameters(with_nul));
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
    let value: T = serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let name = e.path().to_string();
        let name = if name == "." {
            missing_field(&e.inner().to_string()).unwrap_or_default()
        } else {
            name
        };
        ApiError::InvalidParameters(vec![FieldError::parameter(name, "valore non valido")])
    })?;
    value.validate().map_err(|e| {
        let mut errors = Vec::new();
        collect(&e, "", &mut errors);
        ApiError::InvalidParameters(
            errors
                .into_iter()
                .map(|(path, detail)| FieldError::parameter(path, detail))
                .collect(),
        )
    })?;
    Ok(value)
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// Every validation failure as a JSON pointer, sorted so answers are stable.
pub(crate) fn body_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut found = Vec::new();
    collect(errors, "", &mut found);
    found
        .into_iter()
        .map(|(path, detail)| FieldError::body(format!("#/{path}"), detail))
        .collect()
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<(String, String)>) {
    let mut fields: Vec<_> = errors.errors().iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    for (field, kind) in fields {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}/{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let detail = error
                        .message
                        .as_deref()
                        .map_or_else(|| default_message(&error.code), str::to_owned);
                    out.push((path.clone(), detail));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}/{index}"), out);
                }
            }
        }
    }
}

fn default_message(code: &str) -> String {
    match code {
        "length" => "lunghezza non ammessa",
        "range" => "valore fuori dall'intervallo ammesso",
        "email" => "indirizzo e-mail non valido",
        "required" => "campo obbligatorio",
        _ => "valore non valido",
    }
    .into()
}

/// Turns serde's path (`a.b[0]`) into a JSON pointer; for a missing or unknown field the
/// path names the parent, so the field is taken from the message.
fn json_pointer(path: &str, message: &str) -> String {
    let mut segments: Vec<String> = if path == "." {
        Vec::new()
    } else {
        path.replace('[', ".")
            .replace(']', "")
            .split('.')
            .map(str::to_owned)
            .collect()
    };
    // A missing field is reported at its parent; an unknown one is already in the path.
    if let Some(field) = missing_field(message) {
        segments.push(field);
    }
    let escaped: Vec<String> = segments
        .iter()
        .map(|s| s.replace('~', "~0").replace('/', "~1"))
        .collect();
    format!("#/{}", escaped.join("/"))
}

fn missing_field(message: &str) -> Option<String> {
    backticked(message.strip_prefix("missing field ")?)
}

fn backticked(s: &str) -> Option<String> {
    let rest = s.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_owned())
}

/// Serde's message, translated for the common cases.
fn describe(e: &serde_json::Error) -> String {
    let message = e.to_string();
    if message.starts_with("missing field") {
        "campo obbligatorio".into()
    } else if message.starts_with("unknown field") {
        "campo non previsto".into()
    } else if message.starts_with("invalid type") {
        // Said in Italian for a person, never serde's own words ("expected i32").
        expected_kind(&message).into()
    } else {
        "valore non valido".into()
    }
}

/// What a value of the wrong type should have been, from serde's "invalid type: …,
/// expected …".
fn expected_kind(message: &str) -> &'static str {
    let expected = message
        .split(" at line")
        .next()
        .and_then(|m| m.split("expected ").nth(1))
        .unwrap_or_default();
    let integer = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "integer",
    ];
    if integer.iter().any(|t| expected.contains(t)) {
        "deve essere un numero intero"
    } else if expected.contains("f32") || expected.contains("f64") {
        "deve essere un numero"
    } else if expected.contains("bool") {
        "deve essere vero o falso"
    } else if expected.contains("string") || expected.contains("str") {
        "deve essere un testo"
    } else if expected.contains("sequence") {
        "deve essere un elenco"
    } else {
        "tipo di valore non valido"
    }
}

/// Deserializes a field present in a merge patch as `Some(value)`, so that `null` becomes
/// `Some(None)` (clear it) and an absent field stays `None` (leave it alone).
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// The uploaded CSV: `text/csv` (or Excel's `application/vnd.ms-excel`), within the limit.
///
/// A function, not an extractor, so that a handler authorizes the caller before reading
/// megabytes of a body it would refuse.
pub async fn csv_body(
    req: &HttpRequest,
    mut body: actix_web::web::Payload,
) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt;
    let media_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if !matches!(
        media_type.as_deref(),
        Some("text/csv" | "application/vnd.ms-excel")
    ) {
        return Err(ApiError::UnsupportedMediaType("text/csv"));
    }
    let mut bytes = actix_web::web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk =
            chunk.map_err(|_| ApiError::BadRequest("Impossibile leggere il file.".into()))?;
        if bytes.len() + chunk.len() > CSV_LIMIT {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(ApiError::BadRequest("Il file è vuoto.".into()));
    }
    Ok(bytes.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_type_is_described_in_italian_without_serdes_words() {
        let e = serde_json::from_str::<i32>("2.5").unwrap_err();
        assert_eq!(describe(&e), "deve essere un numero intero");
        let e = serde_json::from_str::<bool>("\"sì\"").unwrap_err();
        assert_eq!(describe(&e), "deve essere vero o falso");
        let e = serde_json::from_str::<String>("3").unwrap_err();
        assert_eq!(describe(&e), "deve essere un testo");
    }
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[validate(length(min = 1, max = 5))]
        name: String,
        #[validate(range(min = 1, max = 10))]
        hours: u32,
    }

    #[derive(Debug, Deserialize, Validate)]
    #[serde(deny_unknown_fields)]
    struct Filters {
        #[validate(length(max = 3))]
        q: Option<String>,
    }

    fn parameters_at_fault(error: ApiError) -> Vec<String> {
        match error {
            ApiError::InvalidParameters(errors) => {
                errors.into_iter().filter_map(|e| e.parameter).collect()
            }
            other => panic!("expected a 400 naming parameters, got {other:?}"),
        }
    }

    #[test]
    fn a_list_reads_its_filters_and_the_shared_page_from_one_query() {
        let Paged(filters, page) = parse_paged::<Filters>("q=ab&offset=40&limit=10").unwrap();
        assert_eq!(filters.q.as_deref(), Some("ab"));
        assert_eq!((page.limit, page.offset), (10, 40));
        let Paged(filters, page) = parse_paged::<Filters>("").unwrap();
        assert_eq!(filters.q, None);
        assert_eq!((page.limit, page.offset), (20, 0));
    }

    #[test]
    fn a_list_names_every_bad_parameter_and_refuses_unknown_ones() {
        let error = parse_paged::<Filters>("q=toolong&limit=0").err().unwrap();
        assert_eq!(parameters_at_fault(error), ["q", "limit"]);
        let error = parse_paged::<Filters>("limit=5&colour=red").err().unwrap();
        assert_eq!(parameters_at_fault(error), ["colour"]);
        let error = parse_paged::<Filters>("offset=-1").err().unwrap();
        assert_eq!(parameters_at_fault(error), ["offset"]);
    }

    fn pointers(e: ApiError) -> Vec<String> {
        match e {
            ApiError::Validation(list) => list.into_iter().filter_map(|f| f.pointer).collect(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn rule_violations_list_every_field() {
        let e = parse_body::<Body>(br#"{"name":"","hours":0}"#).unwrap_err();
        assert_eq!(pointers(e), ["#/hours", "#/name"]);
    }

    #[test]
    fn shape_errors_name_the_field() {
        assert_eq!(
            pointers(parse_body::<Body>(br#"{"name":"a"}"#).unwrap_err()),
            ["#/hours"]
        );
        assert_eq!(
            pointers(parse_body::<Body>(br#"{"name":"a","hours":"x"}"#).unwrap_err()),
            ["#/hours"]
        );
        assert_eq!(
            pointers(parse_body::<Body>(br#"{"name":"a","hours":1,"x":1}"#).unwrap_err()),
            ["#/x"]
        );
    }

    #[test]
    fn bodies_must_be_objects() {
        for body in [&b"[\"a\", 1]"[..], b"null", b"\"a\"", b"  [1]"] {
            assert_eq!(
                pointers(parse_body::<Body>(body).unwrap_err()),
                ["#"],
                "{body:?}"
            );
        }
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        for body in [
            &b"{"[..],
            b"nope",
            b"{\"name\":\"a\",\"hours\":1} trailing",
            b"\xff\xfe",
        ] {
            assert!(
                matches!(parse_body::<Body>(body), Err(ApiError::BadRequest(_))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(json_pointer("a[2].b/c", "x"), "#/a/2/b~1c");
        assert_eq!(json_pointer(".", "missing field `e~mail`"), "#/e~0mail");
        assert_eq!(
            json_pointer("extra", "unknown field `extra`, expected one of"),
            "#/extra"
        );
    }

    mod fuzz {
        use super::*;
        use actix_web::ResponseError;
        use proptest::prelude::*;

        /// Whatever arrives, parsing ends in a value or a 400/422 problem that renders.
        fn check(bytes: &[u8]) {
            if let Err(e) = parse_body::<Body>(bytes) {
                let status = e.status_code().as_u16();
                assert!(status == 400 || status == 422, "{status}");
                let problem = e.problem();
                assert_eq!(problem.status, status);
                assert!(serde_json::to_vec(&problem).is_ok());
                assert!(
                    problem
                        .errors
                        .iter()
                        .all(|f| f.pointer.as_deref().is_some_and(|p| p.starts_with('#')))
                );
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
                check(&bytes);
            }

            #[test]
            fn arbitrary_field_values_never_panic(name in ".{0,300}", hours in any::<i64>(), extra in "[a-z~/]{0,12}") {
                let body = serde_json::json!({"name": name, "hours": hours, extra: null});
                check(body.to_string().as_bytes());
            }

            #[test]
            fn json_shaped_noise_never_panics(text in r#"[\[\]{}":,0-9a-z\\ .eE+-]{0,200}"#) {
                check(text.as_bytes());
            }
        }
    }
}
