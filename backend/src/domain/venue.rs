//! Venues: the rooms where in-person sessions are held, and the rules of their fields.
use chrono::{DateTime, Utc};

use super::DomainError;
use super::comune::{Coordinates, IstatCode};
use super::text::{optional_text, text};

/// Seats a room may declare, from a meeting room to a theatre.
pub const CAPACITY_RANGE: std::ops::RangeInclusive<i32> = 1..=10_000;

/// What a venue is, as written by the admin and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueFields {
    pub name: String,
    pub address: String,
    pub comune: IstatCode,
    pub capacity: i32,
    pub coordinates: Coordinates,
    pub accessibility_notes: String,
}

/// A stored venue.
#[derive(Debug, Clone, PartialEq)]
pub struct Venue {
    pub id: i64,
    pub fields: VenueFields,
    pub created_at: DateTime<Utc>,
    /// The version stamp: a conditional write compares it.
    pub updated_at: DateTime<Utc>,
}

/// Which venues a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VenueFilter {
    /// A fragment of the name, matched literally and case-folded.
    pub name_contains: Option<String>,
    pub comune: Option<IstatCode>,
}

/// A venue as a client wrote it, before any check: the same shape for a creation and
/// for a stored venue with a merge patch applied.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueDraft {
    pub name: String,
    pub address: String,
    pub comune_istat_code: String,
    pub capacity: i32,
    /// Both or neither; neither means "the comune's point".
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accessibility_notes: String,
}

impl From<&Venue> for VenueDraft {
    fn from(v: &Venue) -> Self {
        Self {
            name: v.fields.name.clone(),
            address: v.fields.address.clone(),
            comune_istat_code: v.fields.comune.as_str().to_owned(),
            capacity: v.fields.capacity,
            latitude: Some(v.fields.coordinates.latitude),
            longitude: Some(v.fields.coordinates.longitude),
            accessibility_notes: v.fields.accessibility_notes.clone(),
        }
    }
}

/// A checked draft whose coordinates may still have to come from its comune.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedVenue {
    pub name: String,
    pub address: String,
    pub comune: IstatCode,
    pub capacity: i32,
    pub coordinates: Option<Coordinates>,
    pub accessibility_notes: String,
}

impl CheckedVenue {
    /// The fields, placing the venue at `comune_point` when it was given no coordinates.
    pub fn located(self, comune_point: Coordinates) -> VenueFields {
        VenueFields {
            coordinates: self.coordinates.unwrap_or(comune_point),
            name: self.name,
            address: self.address,
            comune: self.comune,
            capacity: self.capacity,
            accessibility_notes: self.accessibility_notes,
        }
    }
}

impl VenueDraft {
    /// Every field checked at once.
    ///
    /// # Errors
    /// One `DomainError` per bad field, in field order.
    pub fn check(&self) -> Result<CheckedVenue, Vec<DomainError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String, DomainError>| r.map_err(|e| errors.push(e)).ok();
        let name = keep(text("name", &self.name, 1, 200));
        let address = keep(text("address", &self.address, 1, 300));
        let comune = IstatCode::parse(&self.comune_istat_code)
            .map_err(|e| errors.push(DomainError::invalid("comune_istat_code", e.message)))
            .ok();
        if !CAPACITY_RANGE.contains(&self.capacity) {
            errors.push(DomainError::invalid("capacity", "da 1 a 10000 posti"));
        }
        let notes = optional_text("accessibility_notes", Some(&self.accessibility_notes), 2000)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let coordinates = match (self.latitude, self.longitude) {
            (Some(latitude), Some(longitude))
                if (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude) =>
            {
                Some(Coordinates {
                    latitude,
                    longitude,
                })
            }
            (None, None) => None,
            _ => {
                errors.push(DomainError::invalid(
                    "latitude",
                    "latitudine e longitudine vanno date insieme, in gradi validi",
                ));
                None
            }
        };
        match (name, address, comune) {
            (Some(name), Some(address), Some(comune)) if errors.is_empty() => Ok(CheckedVenue {
                name,
                address,
                comune,
                capacity: self.capacity,
                coordinates,
                accessibility_notes: notes.unwrap_or_default(),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> VenueDraft {
        VenueDraft {
            name: " Sala consiliare ".into(),
            address: "Viale Matteotti 147".into(),
            comune_istat_code: "008031".into(),
            capacity: 60,
            latitude: None,
            longitude: None,
            accessibility_notes: String::new(),
        }
    }

    #[test]
    fn a_venue_without_coordinates_takes_its_comunes_point() {
        let point = Coordinates {
            latitude: 43.88,
            longitude: 8.03,
        };
        let fields = draft().check().unwrap().located(point);
        assert_eq!(fields.name, "Sala consiliare");
        assert_eq!(fields.coordinates, point);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let bad = VenueDraft {
            name: String::new(),
            capacity: 0,
            latitude: Some(43.0),
            ..draft()
        };
        let fields: Vec<String> = bad
            .check()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "capacity", "latitude"]);
    }
}
