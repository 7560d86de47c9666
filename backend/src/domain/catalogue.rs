//! The public catalogue: which courses and editions the world sees, what a mirror must
//! delete, and the filters integrators use. Pure functions over a snapshot of the data.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::DomainError;
use super::comune::Coordinates;
use super::course::{Course, CourseStatus, Edition, EditionStatus, Modality};

/// A venue as the catalogue shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueInfo {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub comune_istat_code: String,
    pub comune_name: String,
    pub coordinates: Coordinates,
    /// How to reach the room with a disability (step-free access, lift, loop…).
    pub accessibility_notes: String,
}

/// A course with what the catalogue adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseEntry {
    pub course: Course,
    pub deleted: bool,
    pub theme_name: String,
    pub provider_name: String,
    /// The provider's partita IVA, its public identity as a business.
    pub provider_vat_number: Option<String>,
}

/// An edition with its deletion flag and the seats its enrolments hold.
#[derive(Debug, Clone, PartialEq)]
pub struct EditionEntry {
    pub edition: Edition,
    pub deleted: bool,
    /// Enrolments holding a seat (confirmed or completed).
    pub seats_taken: i32,
}

impl EditionEntry {
    /// Seats nobody holds yet; never negative (a capacity lowered under the people
    /// confirmed is refused, but the catalogue does not rely on it).
    pub fn seats_left(&self) -> i32 {
        (self.edition.fields.capacity.seats() - self.seats_taken).max(0)
    }
}

/// Everything the catalogue is built from, read at one moment.
#[derive(Debug, Clone, Default)]
pub struct CatalogueData {
    pub courses: HashMap<i64, CourseEntry>,
    pub editions: Vec<EditionEntry>,
    pub venues: HashMap<i64, VenueInfo>,
    /// Comuni of the Province by ISTAT code, for `near`.
    pub comuni: HashMap<String, Coordinates>,
    /// Names of the office areas by code, for the audiences of courses.
    pub office_areas: HashMap<String, String>,
}

/// Why an item left the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    Deleted,
    Unpublished,
    Cancelled,
}

impl Removal {
    pub fn as_str(self) -> &'static str {
        match self {
            Removal::Deleted => "deleted",
            Removal::Unpublished => "unpublished",
            Removal::Cancelled => "cancelled",
        }
    }
}

impl CatalogueData {
    /// `None` when the course is in the catalogue, else why not.
    pub fn course_removal(&self, entry: &CourseEntry) -> Option<Removal> {
        if entry.deleted {
            Some(Removal::Deleted)
        } else if entry.course.fields.status != CourseStatus::Published {
            Some(Removal::Unpublished)
        } else {
            None
        }
    }

    /// `None` when the edition is in the catalogue, else why not.
    pub fn edition_removal(&self, entry: &EditionEntry) -> Option<Removal> {
        let course = self.courses.get(&entry.edition.course_id);
        if entry.deleted || course.is_none_or(|c| c.deleted) {
            Some(Removal::Deleted)
        } else if course.is_some_and(|c| self.course_removal(c).is_some())
            || !entry.edition.fields.status.is_public()
        {
            Some(Removal::Unpublished)
        } else if entry.edition.fields.status == EditionStatus::Cancelled {
            Some(Removal::Cancelled)
        } else {
            None
        }
    }

    /// Editions a calendar shows: those in the catalogue, and — as cancelled events, so
    /// that a subscribed calendar drops them — those that left it for any reason after
    /// being shown (cancelled, deleted, or their course archived or deleted). Drafts of
    /// either never appear.
    pub fn calendar_editions(&self, course_id: Option<i64>) -> Vec<&EditionEntry> {
        let ever_shown = |e: &EditionEntry| {
            e.edition.fields.status.is_public()
                && self
                    .courses
                    .get(&e.edition.course_id)
                    .is_some_and(|c| c.course.fields.status != CourseStatus::Draft)
        };
        let mut editions: Vec<&EditionEntry> = self
            .editions
            .iter()
            .filter(|e| course_id.is_none_or(|id| e.edition.course_id == id))
            .filter(|e| ever_shown(e))
            .collect();
        editions.sort_by_key(|e| (e.edition.starts_at(), e.edition.id));
        editions
    }

    /// Straight-line distance from a comune to the nearest venue of an edition.
    pub fn distance_km(&self, edition: &Edition, from: &Coordinates) -> Option<f64> {
        edition
            .fields
            .sessions
            .iter()
            .filter_map(|s| s.venue_id.and_then(|v| self.venues.get(&v)))
            .map(|v| (from.distance_km(&v.coordinates) * 10.0).round() / 10.0)
            .min_by(|a, b| a.total_cmp(b))
    }
}

/// Filters of the courses feed.
#[derive(Debug, Clone, Default)]
pub struct CourseQuery {
    pub theme_code: Option<String>,
    pub modality: Option<Modality>,
    /// Fragment of the title, case-insensitive.
    pub q: Option<String>,
}

impl CourseQuery {
    /// The courses that match, by id (deleted and unpublished ones included: the feed
    /// turns them into tombstones).
    pub fn select<'a>(&self, data: &'a CatalogueData) -> Vec<&'a CourseEntry> {
        let needle = self.q.as_deref().map(str::to_lowercase);
        let mut courses: Vec<&CourseEntry> = data
            .courses
            .values()
            .filter(|c| {
                let fields = &c.course.fields;
                self.theme_code
                    .as_ref()
                    .is_none_or(|t| &fields.theme_code == t)
                    && self.modality.is_none_or(|m| fields.modality == m)
                    && needle
                        .as_ref()
                        .is_none_or(|n| fields.title.to_lowercase().contains(n))
            })
            .collect();
        courses.sort_by_key(|c| c.course.id);
        courses
    }
}

/// Filters of the editions feed.
#[derive(Debug, Clone, Default)]
pub struct EditionQuery {
    pub course_id: Option<i64>,
    pub theme_code: Option<String>,
    pub delivery: Option<Modality>,
    /// Editions that have not ended before this instant.
    pub from: Option<DateTime<Utc>>,
    /// Editions that start no later than this instant.
    pub to: Option<DateTime<Utc>>,
    /// Fragment of the course title, case-insensitive.
    pub q: Option<String>,
}

impl EditionQuery {
    /// The editions that match: nearest first (then by id) when `origin` is given, else in
    /// order of start (then by id).
    pub fn select<'a>(
        &self,
        data: &'a CatalogueData,
        origin: Option<&Coordinates>,
    ) -> Vec<&'a EditionEntry> {
        let distance = |e: &EditionEntry| origin.and_then(|o| data.distance_km(&e.edition, o));
        let mut editions: Vec<&EditionEntry> = data
            .editions
            .iter()
            .filter(|e| self.matches(data, &e.edition))
            .collect();
        editions.sort_by(|a, b| match origin {
            Some(_) => distance(a)
                .unwrap_or(f64::MAX)
                .total_cmp(&distance(b).unwrap_or(f64::MAX))
                .then(a.edition.id.cmp(&b.edition.id)),
            None => {
                (a.edition.starts_at(), a.edition.id).cmp(&(b.edition.starts_at(), b.edition.id))
            }
        });
        editions
    }

    pub fn matches(&self, data: &CatalogueData, e: &Edition) -> bool {
        let course = data.courses.get(&e.course_id);
        self.course_id.is_none_or(|id| e.course_id == id)
            && self
                .theme_code
                .as_ref()
                .is_none_or(|t| course.is_some_and(|c| &c.course.fields.theme_code == t))
            && self.delivery.is_none_or(|d| e.fields.delivery == d)
            && self
                .from
                .is_none_or(|from| e.ends_at().is_none_or(|end| end >= from))
            && self
                .to
                .is_none_or(|to| e.starts_at().is_none_or(|start| start <= to))
            && self.q.as_ref().is_none_or(|q| {
                course.is_some_and(|c| {
                    c.course
                        .fields
                        .title
                        .to_lowercase()
                        .contains(&q.to_lowercase())
                })
            })
    }
}

/// What the catalogue's change log numbers: a course or an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Course,
    Edition,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Course => "course",
            ItemKind::Edition => "edition",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "course" => Some(ItemKind::Course),
            "edition" => Some(ItemKind::Edition),
            _ => None,
        }
    }
}

/// An item of the catalogue at its latest change: the change log's number for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub kind: ItemKind,
    pub id: i64,
    pub seq: u64,
}

/// A position in the catalogue's change log, as a client holds it: an opaque text
/// (`v1` and the number, base64url), so that its form may change with a new version
/// while old cursors keep working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChangeCursor(pub u64);

impl ChangeCursor {
    const PREFIX: &'static str = "v1:";

    pub fn encode(self) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
            "{}{}",
            Self::PREFIX,
            self.0
        ))
    }

    /// # Errors
    /// `DomainError` on `after` unless the text is a cursor this API gave.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .and_then(|text| text.strip_prefix(Self::PREFIX)?.parse().ok())
            .map(Self)
            // Only the form this API writes: `+42`, `042` or padding would be other texts for
            // the same position, each a new answer to render and cache.
            .filter(|cursor: &Self| cursor.encode() == s)
            .ok_or_else(|| {
                DomainError::invalid(
                    "after",
                    "cursore non valido: usare il valore di next_cursor di una risposta precedente",
                )
            })
    }
}

/// A page of a sync: what changed since a moment, in order of change, split into what is
/// in the catalogue and what a mirror must delete.
pub struct SyncPage<'a, T> {
    pub items: Vec<&'a T>,
    /// Id, time of removal and reason of each item to delete.
    pub removed: Vec<(i64, DateTime<Utc>, Removal)>,
    pub total: usize,
}

/// Pages `entries` (each with its change time and removal) in change order.
pub fn sync_page<'a, T>(
    mut entries: Vec<(&'a T, DateTime<Utc>, i64, Option<Removal>)>,
    since: DateTime<Utc>,
    limit: usize,
    offset: usize,
) -> SyncPage<'a, T> {
    entries.retain(|(_, changed, _, _)| *changed >= since);
    entries.sort_by_key(|(_, changed, id, _)| (*changed, *id));
    let total = entries.len();
    let mut page = SyncPage {
        items: Vec::new(),
        removed: Vec::new(),
        total,
    };
    for (entry, changed, id, removal) in entries.into_iter().skip(offset).take(limit) {
        match removal {
            None => page.items.push(entry),
            Some(reason) => page.removed.push((id, changed, reason)),
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_and_nothing_else() {
        for seq in [0, 1, 42, u64::MAX] {
            let cursor = ChangeCursor(seq);
            assert_eq!(ChangeCursor::parse(&cursor.encode()), Ok(cursor));
        }
        assert!(!ChangeCursor(42).encode().contains("42"), "opaque");
        // "djE6KzQy" is "v1:+42" and "djE6MDQy" is "v1:042": the same position, not as written.
        for bad in [
            "", "42", "djE6", "djI6NDI", "!!!", "djE6LTE", "djE6KzQy", "djE6MDQy", " djE6NDI",
        ] {
            let error = ChangeCursor::parse(bad).unwrap_err();
            assert_eq!(error.field, "after", "{bad}");
        }
    }

    #[test]
    fn a_sync_page_is_ordered_by_change_and_split_by_visibility() {
        let at = |s| Utc.timestamp_opt(s, 0).unwrap();
        let (a, b, c, d) = ("a", "b", "c", "d");
        let entries = vec![
            (&a, at(30), 1, None),
            (&b, at(10), 2, Some(Removal::Deleted)),
            (&c, at(20), 3, None),
            (&d, at(5), 4, None),
        ];
        let page = sync_page(entries, at(10), 2, 0);
        assert_eq!(page.total, 3, "changes at or after the moment");
        assert_eq!(page.removed, [(2, at(10), Removal::Deleted)]);
        assert_eq!(page.items.iter().map(|e| **e).collect::<Vec<_>>(), ["c"]);
    }
}
