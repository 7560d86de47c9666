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

/// Text as a spreadsheet cell may hold it without running it: a value that starts like a
/// formula (`=`, `+`, `-`, `@`, tab or carriage return) gets a leading apostrophe, as
/// OWASP recommends against CSV injection. Numbers are written as numbers elsewhere and
/// never pass here.
pub fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_plain_text_is_left_alone() {
        for formula in ["=1+1", "+39 0183", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(formula).starts_with('\''), "{formula:?}");
        }
        assert_eq!(spreadsheet_safe("Rossi"), "Rossi");
        assert_eq!(spreadsheet_safe("D'Amico"), "D'Amico");
    }
}
