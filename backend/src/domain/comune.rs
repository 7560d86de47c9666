//! Comuni: the municipalities of the Province, keyed by their ISTAT code.
use std::fmt;

use super::DomainError;
use super::email::Email;

/// ISTAT municipality code: exactly six ASCII digits (e.g. `008031`, Imperia).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IstatCode(String);

impl IstatCode {
    /// # Errors
    /// `DomainError` on `istat_code` unless the text is six digits.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::invalid(
                "istat_code",
                "il codice ISTAT è composto da 6 cifre",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IstatCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A point on the WGS84 ellipsoid, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub latitude: f64,
    pub longitude: f64,
}

impl Coordinates {
    /// Great-circle distance in kilometres (haversine on a 6371 km sphere): plenty for
    /// comparing travel between comuni a few tens of kilometres apart.
    pub fn distance_km(&self, other: &Coordinates) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0;
        let (lat1, lat2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.longitude - self.longitude).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Contacts of a comune that the Province keeps up to date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComuneContacts {
    pub referente_email: Option<String>,
    pub pec: Option<String>,
    pub phone: Option<String>,
    pub unione: Option<String>,
}

/// A comune as the rest of the application sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Comune {
    pub istat_code: IstatCode,
    pub name: String,
    pub province_sigla: String,
    pub region_name: String,
    pub cadastral_code: String,
    pub postal_code: Option<String>,
    pub is_provincial_capital: bool,
    pub population: Option<i32>,
    pub population_date: Option<chrono::NaiveDate>,
    pub coordinates: Coordinates,
    pub contacts: ComuneContacts,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A change to a comune's contacts with JSON merge-patch semantics: the outer `None`
/// leaves a field alone, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactsPatch {
    pub referente_email: Option<Option<String>>,
    pub pec: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub unione: Option<Option<String>>,
}

impl ContactsPatch {
    /// The contacts after the patch is applied.
    pub fn apply(&self, current: &ComuneContacts) -> ComuneContacts {
        let pick = |patch: &Option<Option<String>>, old: &Option<String>| match patch {
            Some(new) => new.clone(),
            None => old.clone(),
        };
        ComuneContacts {
            referente_email: pick(&self.referente_email, &current.referente_email),
            pec: pick(&self.pec, &current.pec),
            phone: pick(&self.phone, &current.phone),
            unione: pick(&self.unione, &current.unione),
        }
    }

    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The patch as sent, trimmed and checked: e-mail addresses normalised, a phone of 3
    /// to 30 digits and signs, an Unione of 1 to 200 characters. Clearing a field takes
    /// `null`, so blank text stays and fails its check.
    ///
    /// # Errors
    /// Every bad field.
    pub fn check(self) -> Result<Self, Vec<DomainError>> {
        let mut errors = Vec::new();
        let mut email = |field: &str, value: Option<Option<String>>| {
            trimmed(value).map(|v| {
                v.and_then(|text| match Email::parse(field, &text) {
                    Ok(e) => Some(e.as_str().to_owned()),
                    Err(e) => {
                        errors.push(e);
                        None
                    }
                })
            })
        };
        let referente_email = email("referente_email", self.referente_email);
        let pec = email("pec", self.pec);
        let phone = trimmed(self.phone);
        if let Some(Some(p)) = &phone {
            let valid = (3..=30).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_digit() || " +()./-".contains(c));
            if !valid {
                errors.push(DomainError::invalid(
                    "phone",
                    "numero di telefono non valido",
                ));
            }
        }
        let unione = trimmed(self.unione);
        if unione.as_ref().is_some_and(|u| {
            u.as_ref()
                .is_some_and(|u| u.is_empty() || u.chars().count() > 200)
        }) {
            errors.push(DomainError::invalid(
                "unione",
                "da 1 a 200 caratteri (null per cancellare)",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            referente_email,
            pec,
            phone,
            unione,
        })
    }
}

/// Trims a patched text field, leaving absent and `null` alone.
fn trimmed(value: Option<Option<String>>) -> Option<Option<String>> {
    value.map(|v| v.map(|s| s.trim().to_owned()))
}

/// Sort orders the comuni list accepts (`sort` parameter; `-` means descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComuneSort {
    Name,
    IstatCode,
    Population,
    DistanceFromSeat,
}

/// A sort key with its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder<K> {
    pub key: K,
    pub descending: bool,
}

impl SortOrder<ComuneSort> {
    /// # Errors
    /// `DomainError` on `sort` for a key that is not one of the listed ones.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let (descending, key) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let key = match key {
            "name" => ComuneSort::Name,
            "istat_code" => ComuneSort::IstatCode,
            "population" => ComuneSort::Population,
            "distance_km" => ComuneSort::DistanceFromSeat,
            _ => {
                return Err(DomainError::invalid(
                    "sort",
                    "ordinamento ammesso: name, istat_code, population, distance_km (prefisso - per decrescente)",
                ));
            }
        };
        Ok(Self { key, descending })
    }
}

/// What the comuni list was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct ComuneQuery {
    /// Case-insensitive fragment of the name.
    pub q: Option<String>,
    pub sort: SortOrder<ComuneSort>,
    pub limit: usize,
    pub offset: usize,
}

/// A comune with its distance from the Province's seat (the provincial capital), the
/// figure that decides how far its staff travel to central venues.
#[derive(Debug, Clone, PartialEq)]
pub struct ComuneEntry {
    pub comune: Comune,
    pub distance_km: Option<f64>,
}

/// Distance of `comune` from the provincial capital among `all`, rounded to 0.1 km.
pub fn distance_from_seat(all: &[Comune], comune: &Comune) -> Option<f64> {
    let seat = all.iter().find(|c| c.is_provincial_capital)?;
    Some((seat.coordinates.distance_km(&comune.coordinates) * 10.0).round() / 10.0)
}

/// Filters, sorts and pages the comuni of a Province; returns the page and the number of
/// matches. Ties keep ISTAT order, so pages are stable.
pub fn select(all: &[Comune], query: &ComuneQuery) -> (Vec<ComuneEntry>, usize) {
    let needle = query.q.as_deref().map(str::to_lowercase);
    let mut matches: Vec<ComuneEntry> = all
        .iter()
        .filter(|c| {
            needle
                .as_deref()
                .is_none_or(|n| c.name.to_lowercase().contains(n))
        })
        .map(|c| ComuneEntry {
            comune: c.clone(),
            distance_km: distance_from_seat(all, c),
        })
        .collect();
    matches.sort_by(|a, b| {
        let ordering = match query.sort.key {
            ComuneSort::Name => a.comune.name.cmp(&b.comune.name),
            ComuneSort::IstatCode => a.comune.istat_code.cmp(&b.comune.istat_code),
            ComuneSort::Population => a.comune.population.cmp(&b.comune.population),
            ComuneSort::DistanceFromSeat => a
                .distance_km
                .partial_cmp(&b.distance_km)
                .unwrap_or(std::cmp::Ordering::Equal),
        };
        let ordering = if query.sort.descending {
            ordering.reverse()
        } else {
            ordering
        };
        ordering.then_with(|| a.comune.istat_code.cmp(&b.comune.istat_code))
    });
    let total = matches.len();
    let page = matches
        .into_iter()
        .skip(query.offset)
        .take(query.limit)
        .collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istat_code_accepts_six_digits_and_trims() {
        assert_eq!(IstatCode::parse(" 008031 ").unwrap().as_str(), "008031");
    }

    #[test]
    fn istat_code_rejects_anything_else() {
        for bad in ["", "8031", "0080311", "00803a", "٠٠٨٠٣١"] {
            assert_eq!(
                IstatCode::parse(bad).unwrap_err().field,
                "istat_code",
                "{bad}"
            );
        }
    }

    #[test]
    fn distance_between_imperia_and_sanremo_is_about_20_km() {
        let imperia = Coordinates {
            latitude: 43.8897,
            longitude: 8.0394,
        };
        let sanremo = Coordinates {
            latitude: 43.8175,
            longitude: 7.775,
        };
        let d = imperia.distance_km(&sanremo);
        assert!((20.0..24.0).contains(&d), "{d}");
        assert_eq!(imperia.distance_km(&imperia), 0.0);
    }

    #[test]
    fn contacts_patch_keeps_clears_and_sets() {
        let current = ComuneContacts {
            referente_email: Some("a@b.it".into()),
            pec: Some("p@pec.it".into()),
            phone: None,
            unione: None,
        };
        let patch = ContactsPatch {
            pec: Some(None),
            phone: Some(Some("0183 1".into())),
            ..Default::default()
        };
        let next = patch.apply(&current);
        assert_eq!(next.referente_email.as_deref(), Some("a@b.it"));
        assert_eq!(next.pec, None);
        assert_eq!(next.phone.as_deref(), Some("0183 1"));
    }

    #[test]
    fn sort_parses_direction_and_rejects_unknown_keys() {
        let s = SortOrder::<ComuneSort>::parse("-population").unwrap();
        assert_eq!((s.key, s.descending), (ComuneSort::Population, true));
        assert!(SortOrder::<ComuneSort>::parse("name; drop").is_err());
    }

    fn comune(code: &str, name: &str, population: i32, lat: f64, capital: bool) -> Comune {
        Comune {
            istat_code: IstatCode::parse(code).unwrap(),
            name: name.into(),
            province_sigla: "IM".into(),
            region_name: "Liguria".into(),
            cadastral_code: "X000".into(),
            postal_code: None,
            is_provincial_capital: capital,
            population: Some(population),
            population_date: None,
            coordinates: Coordinates {
                latitude: lat,
                longitude: 8.0,
            },
            contacts: ComuneContacts::default(),
            updated_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn query(q: Option<&str>, sort: &str, limit: usize, offset: usize) -> ComuneQuery {
        ComuneQuery {
            q: q.map(Into::into),
            sort: SortOrder::parse(sort).unwrap(),
            limit,
            offset,
        }
    }

    #[test]
    fn select_filters_sorts_and_pages() {
        let all = vec![
            comune("008031", "Imperia", 43000, 43.88, true),
            comune("008001", "Airole", 359, 43.87, false),
            comune("008002", "Apricale", 611, 43.98, false),
            comune("008003", "Aquila d'Arroscia", 138, 44.08, false),
        ];
        let (page, total) = select(&all, &query(Some("RI"), "-population", 2, 0));
        assert_eq!(total, 2, "matching ignores case");
        let names: Vec<_> = page.iter().map(|e| e.comune.name.as_str()).collect();
        assert_eq!(names, ["Imperia", "Apricale"]);
        let (page, _) = select(&all, &query(None, "distance_km", 10, 1));
        let names: Vec<_> = page.iter().map(|e| e.comune.name.as_str()).collect();
        assert_eq!(names, ["Airole", "Apricale", "Aquila d'Arroscia"]);
        assert_eq!(page[0].distance_km, Some(1.1));
    }
}
