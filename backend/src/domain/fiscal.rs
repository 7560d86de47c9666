//! Italian tax identifiers, checked with their official check characters.
//!
//! Written here rather than taken from a crate: the `codice_fiscale` crate also validates
//! the birthplace against a municipality list frozen at its release, which would reject
//! real codes issued since; only the check character is needed.
use super::DomainError;

/// A *partita IVA*: eleven digits, the last a Luhn-style check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatNumber(String);

impl VatNumber {
    /// # Errors
    /// `DomainError` on `field` unless the text is a well-formed partita IVA.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if is_vat_number(s) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                field,
                "partita IVA non valida (11 cifre con cifra di controllo)",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A *codice fiscale*: sixteen characters for a person, or eleven digits (the partita IVA)
/// for an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaxCode(String);

impl TaxCode {
    /// Upper-cases and trims, then checks the check character.
    ///
    /// # Errors
    /// `DomainError` on `field` unless the text is a well-formed codice fiscale.
    pub fn parse(field: &str, s: &str) -> Result<Self, DomainError> {
        let s = s.trim().to_ascii_uppercase();
        if is_vat_number(&s) || is_personal_tax_code(&s) {
            Ok(Self(s))
        } else {
            Err(DomainError::invalid(field, "codice fiscale non valido"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stored value that predates validation (e.g. an empty placeholder); never use it
    /// for input.
    pub fn unchecked(s: &str) -> Self {
        Self(s.to_owned())
    }
}

/// The tax code completing `stem` (15 characters, upper case) with its check letter. For
/// fictitious data (`cabina demo`), which must still pass validation.
pub fn complete_tax_code(stem: &str) -> String {
    let index = |b: u8| {
        if b.is_ascii_digit() {
            usize::from(b - b'0')
        } else {
            usize::from(b - b'A')
        }
    };
    let sum: u32 = stem
        .bytes()
        .take(15)
        .enumerate()
        .map(|(i, b)| {
            if i % 2 == 0 {
                ODD_VALUES[index(b)]
            } else {
                index(b) as u32
            }
        })
        .sum();
    format!("{stem}{}", char::from(b'A' + (sum % 26) as u8))
}

/// The VAT number completing `stem` (10 digits) with its check digit.
pub fn complete_vat_number(stem: &str) -> String {
    let sum: u32 = stem
        .bytes()
        .take(10)
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    format!("{stem}{}", (10 - sum % 10) % 10)
}

fn is_vat_number(s: &str) -> bool {
    if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) || s.bytes().all(|b| b == b'0') {
        return false;
    }
    let digits: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    (10 - sum % 10) % 10 == digits[10]
}

/// Values of characters in odd positions (1st, 3rd, …), for digits and letters alike.
const ODD_VALUES: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

fn is_personal_tax_code(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() != 16 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let index = |b: u8| {
        if b.is_ascii_digit() {
            usize::from(b - b'0')
        } else {
            usize::from(b - b'A')
        }
    };
    let sum: u32 = bytes[..15]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if i % 2 == 0 {
                ODD_VALUES[index(b)]
            } else {
                index(b) as u32
            }
        })
        .sum();
    bytes[15].is_ascii_uppercase() && u32::from(bytes[15] - b'A') == sum % 26
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_codes_pass_validation() {
        assert!(TaxCode::parse("tax_code", &complete_tax_code("RSSMRA85T10A562")).is_ok());
        assert_eq!(complete_tax_code("RSSMRA85T10A562"), "RSSMRA85T10A562S");
        assert!(VatNumber::parse("vat_number", &complete_vat_number("0074311015")).is_ok());
    }

    #[test]
    fn vat_numbers_need_their_check_digit() {
        for good in ["00743110157", "01234567897", "00488410010"] {
            assert!(VatNumber::parse("vat_number", good).is_ok(), "{good}");
        }
        for bad in [
            "12345678901",
            "00000000000",
            "0074311015",
            "0074311015a",
            "",
        ] {
            assert_eq!(
                VatNumber::parse("vat_number", bad).unwrap_err().field,
                "vat_number",
                "{bad}"
            );
        }
    }

    #[test]
    fn tax_codes_are_personal_or_organisational() {
        assert_eq!(
            TaxCode::parse("tax_code", " rssmra85t10a562s ")
                .unwrap()
                .as_str(),
            "RSSMRA85T10A562S"
        );
        assert!(TaxCode::parse("tax_code", "BLTMHL77S04E889G").is_ok());
        assert!(TaxCode::parse("tax_code", "00743110157").is_ok());
        for bad in [
            "RSSMRA85T10A562T",
            "RSSMRA85T10A562",
            "RSSMRA85T10A56-S",
            "12345678901",
        ] {
            assert!(TaxCode::parse("tax_code", bad).is_err(), "{bad}");
        }
    }
}
