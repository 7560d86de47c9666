//! Free text as the rules see it: trimmed, counted in characters (not bytes), blank is
//! absent. Every resource with a name, a title or a note checks it here.
use super::DomainError;

/// Trimmed text of `min..=max` characters.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let value = value.trim();
    let chars = value.chars().count();
    if (min..=max).contains(&chars) {
        Ok(value.to_owned())
    } else {
        Err(DomainError::invalid(
            field,
            format!("da {min} a {max} caratteri"),
        ))
    }
}

/// Trimmed text of at most `max` characters; blank is absent.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() <= max => Ok(Some(v.to_owned())),
        Some(_) => Err(DomainError::invalid(
            field,
            format!("al massimo {max} caratteri"),
        )),
    }
}
