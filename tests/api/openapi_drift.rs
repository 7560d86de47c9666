//! The committed OpenAPI document is exactly what the code generates.
use cabina::configuration::DEFAULT_PUBLIC_URL;

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/openapi.json"
    ))
    .unwrap_or_default();
    let generated = cabina::openapi::openapi_json(DEFAULT_PUBLIC_URL);
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date. Regenerate it with:\n\n    make openapi\n\n(that is: cargo run -q -p cabina-backend -- openapi --public-url {DEFAULT_PUBLIC_URL} > openapi/openapi.json)\n"
    );
}

#[test]
fn every_operation_has_an_id_a_description_and_a_declared_tag() {
    let doc = cabina::openapi::openapi(DEFAULT_PUBLIC_URL);
    let json = serde_json::to_value(&doc).unwrap();
    let declared: Vec<&str> = json["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in json["paths"].as_object().unwrap() {
        assert!(!path.starts_with("/api"), "paths are unversioned: {path}");
        assert!(
            path.split('/').all(
                |s| s.starts_with('{') || s.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            ),
            "kebab-case: {path}"
        );
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            let starts_with_a_method = ["get", "post", "put", "patch", "delete", "head"]
                .iter()
                .any(|m| id.to_lowercase().starts_with(m));
            assert!(
                !starts_with_a_method,
                "operationId {id} starts with an HTTP method"
            );
            assert!(
                operation["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path}"
            );
            for tag in operation["tags"].as_array().unwrap() {
                assert!(declared.contains(&tag.as_str().unwrap()), "{method} {path}");
            }
        }
    }
}
