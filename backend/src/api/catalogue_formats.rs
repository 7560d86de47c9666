//! The catalogue in the formats national platforms and search engines read: schema.org
//! `Course` / `CourseInstance` as JSON-LD, and an open-data CSV described by a DCAT-AP_IT
//! record (the Italian profile of the EU data-catalogue vocabulary), with its licence.
//! Public, cached like the rest of the catalogue, no personal data.
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::catalogue::{cached_answer, course_page_url, enrolment_url};
use super::extract::{NoParameters, ValidatedQuery};
use super::spreadsheet::{Cell, CsvDialect, Sheet, csv_bytes_in};
use crate::domain::catalogue::{CatalogueData, CourseEntry, EditionEntry, VenueInfo};
use crate::domain::course::{Modality, ParticipantFee};
use crate::error::ApiError;
use crate::state::{AppState, Publisher};

const JSON_LD: &str = "application/ld+json";
const CSV: &str = "text/csv; charset=utf-8";

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(read_linked_data)
        .service(read_open_data)
        .service(read_dataset);
}

/// Catalogue as schema.org JSON-LD
///
/// The published courses as schema.org `Course`s, each with its editions as
/// `CourseInstance`s (mode, dates, place with address and coordinates, or online,
/// workload, status), the provider as an `Organization` with its partita IVA, the
/// organising body, and an `Offer` free of charge to the comuni's staff. What search
/// engines' course listings and linked-data aggregators read. Public.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    responses(
        (status = 200, description = "A schema.org `ItemList` of `Course`s.", content_type = "application/ld+json", body = Object,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 400, response = super::problems::BadRequest),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/linked-data")]
async fn read_linked_data(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(NoParameters {}): ValidatedQuery<NoParameters>,
) -> Result<HttpResponse, ApiError> {
    let (publisher, public_url) = (state.publisher.clone(), state.public_url.clone());
    cached_answer(&state, &req, JSON_LD, |data| {
        let list = linked_data(data, &publisher, &public_url);
        Ok(serde_json::to_vec(&list).map_err(anyhow::Error::from)?)
    })
    .await
}

/// Catalogue as open data (CSV)
///
/// One row per edition in the catalogue: course, theme, provider and its partita IVA,
/// modality, hours, status, dates, venue with address, comune and coordinates, online
/// marker, seats, enrolment window, course page. UTF-8, comma-separated, a header row;
/// described by `GET /catalogue/dataset` (DCAT-AP_IT) with its licence. Public.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    responses(
        (status = 200, description = "The open-data CSV.", content_type = "text/csv", body = String,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 400, response = super::problems::BadRequest),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/open-data")]
async fn read_open_data(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(NoParameters {}): ValidatedQuery<NoParameters>,
) -> Result<HttpResponse, ApiError> {
    let public_url = state.public_url.clone();
    cached_answer(&state, &req, CSV, |data| {
        csv_bytes_in(CsvDialect::Rfc4180, &[open_data(data, &public_url)])
    })
    .await
}

/// Open-data record (DCAT-AP_IT)
///
/// The DCAT-AP_IT description of the catalogue's open data, as JSON-LD: a
/// `dcatapit:Dataset` with its title, description, identifier, theme (EDUC), publisher and
/// rights holder (the organising body with its IPA code), contact point, modification date,
/// update frequency, language, licence, and its CSV `dcatapit:Distribution`. What the
/// national open-data portal (dati.gov.it) harvests. Public.
#[utoipa::path(
    tag = "catalogue",
    security(()),
    responses(
        (status = 200, description = "The DCAT-AP_IT record.", content_type = "application/ld+json", body = Object,
         headers(("Cache-Control" = String, description = "`public, no-cache`: revalidate with `If-None-Match`."),
                 ("ETag" = String, description = "Strong validator of this answer."))),
        (status = 400, response = super::problems::BadRequest),
        (status = 304, description = "Not modified since the `If-None-Match` ETag."),
    )
)]
#[get("/catalogue/dataset")]
async fn read_dataset(
    state: web::Data<AppState>,
    req: HttpRequest,
    ValidatedQuery(NoParameters {}): ValidatedQuery<NoParameters>,
) -> Result<HttpResponse, ApiError> {
    let (publisher, public_url) = (state.publisher.clone(), state.public_url.clone());
    cached_answer(&state, &req, JSON_LD, |data| {
        let record = dataset(data, &publisher, &public_url);
        Ok(serde_json::to_vec(&record).map_err(anyhow::Error::from)?)
    })
    .await
}

/// ISO 8601 duration of whole minutes, as schema.org wants workloads.
fn duration(minutes: i32) -> String {
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

fn place(venue: &VenueInfo) -> Value {
    let mut place = json!({
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.comune_name,
            "addressCountry": "IT"
        },
        "geo": {"@type": "GeoCoordinates", "latitude": venue.coordinates.latitude,
                "longitude": venue.coordinates.longitude},
    });
    if !venue.accessibility_notes.trim().is_empty() {
        place["description"] = json!(venue.accessibility_notes);
    }
    place
}

fn organisation(publisher: &Publisher) -> Value {
    json!({"@type": "GovernmentOrganization", "name": publisher.name,
           "identifier": {"@type": "PropertyValue", "propertyID": "IPA", "value": publisher.ipa_code}})
}

/// What taking the course costs the participant: free for most of the Province's courses.
fn offer(fee: ParticipantFee, url: &str) -> Value {
    let category = if fee.is_free() { "Free" } else { "Paid" };
    json!({"@type": "Offer", "category": category, "price": fee.euros(), "priceCurrency": "EUR", "url": url})
}

fn course_instance(
    data: &CatalogueData,
    entry: &EditionEntry,
    course: &CourseEntry,
    public_url: &str,
) -> Value {
    let edition = &entry.edition;
    let mode = match edition.fields.delivery {
        Modality::InPerson => "Onsite",
        Modality::LiveWebinar => "Online",
        Modality::AsyncWebinar => "Online",
        Modality::Blended => "Blended",
    };
    let venue = edition
        .fields
        .sessions
        .iter()
        .find_map(|s| s.venue_id.and_then(|v| data.venues.get(&v)));
    let location = match venue {
        Some(venue) => place(venue),
        None => json!({"@type": "VirtualLocation", "name": "Online"}),
    };
    let status = match data.edition_removal(entry) {
        None => "https://schema.org/EventScheduled",
        Some(_) => "https://schema.org/EventCancelled",
    };
    let mut instance = json!({
        "@type": "CourseInstance",
        "name": edition.fields.title,
        "courseMode": mode,
        "location": location,
        "eventStatus": status,
        "maximumAttendeeCapacity": edition.fields.capacity.seats(),
        "remainingAttendeeCapacity": entry.seats_left(),
        "courseWorkload": duration(course.course.fields.duration.minutes()),
        "inLanguage": course.course.fields.language.as_str(),
        "url": enrolment_url(public_url, edition.id),
    });
    if let Some(start) = edition.starts_at() {
        instance["startDate"] = json!(start.to_rfc3339());
    }
    if let Some(end) = edition.ends_at() {
        instance["endDate"] = json!(end.to_rfc3339());
    }
    instance
}

fn linked_data(data: &CatalogueData, publisher: &Publisher, public_url: &str) -> Value {
    let mut courses: Vec<&CourseEntry> = data
        .courses
        .values()
        .filter(|c| data.course_removal(c).is_none())
        .collect();
    courses.sort_by_key(|c| c.course.id);
    let items: Vec<Value> = courses
        .iter()
        .enumerate()
        .map(|(index, course)| {
            let fields = &course.course.fields;
            let instances: Vec<Value> = data
                .editions
                .iter()
                .filter(|e| e.edition.course_id == course.course.id)
                .filter(|e| data.edition_removal(e).is_none())
                .map(|e| course_instance(data, e, course, public_url))
                .collect();
            let mut provider = json!({"@type": "Organization", "name": course.provider_name});
            if let Some(vat) = &course.provider_vat_number {
                provider["vatID"] = json!(format!("IT{vat}"));
            }
            let mut item = json!({
                "@type": "Course",
                "@id": course_page_url(public_url, course.course.id),
                "url": course_page_url(public_url, course.course.id),
                "courseCode": course.course.id.to_string(),
                "name": fields.title,
                "description": fields.description,
                "teaches": fields.objectives,
                "about": course.theme_name,
                "provider": provider,
                "sourceOrganization": organisation(publisher),
                "inLanguage": fields.language.as_str(),
                "timeRequired": duration(fields.duration.minutes()),
                "audience": {"@type": "Audience",
                             "audienceType": "Personale dei comuni",
                             "name": audience(data, &fields.target_office_areas)},
                "offers": offer(fields.participant_fee, &course_page_url(public_url, course.course.id)),
                "hasCourseInstance": instances,
                "dateModified": course.course.updated_at.to_rfc3339(),
            });
            if fields.issues_certificate {
                item["educationalCredentialAwarded"] = json!("Attestato di partecipazione");
            }
            json!({"@type": "ListItem", "position": index + 1, "item": item})
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": format!("Catalogo della formazione – {}", publisher.name),
        "numberOfItems": items.len(),
        "itemListElement": items,
    })
}

/// The office areas a course is for, by name ("Tutti gli uffici" when none is named).
fn audience(data: &CatalogueData, codes: &[String]) -> String {
    if codes.is_empty() {
        return "Tutti gli uffici".to_owned();
    }
    codes
        .iter()
        .map(|code| data.office_areas.get(code).unwrap_or(code).as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of the open-data CSV (snake_case, Italian, as the open-data guidelines ask).
const COLUMNS: [&str; 28] = [
    "id_edizione",
    "id_corso",
    "titolo_corso",
    "titolo_edizione",
    "tema",
    "ente_formatore",
    "partita_iva_ente",
    "modalita",
    "online",
    "ore",
    "stato",
    "inizio",
    "fine",
    "sede",
    "indirizzo",
    "comune",
    "codice_istat_comune",
    "latitudine",
    "longitudine",
    "posti",
    "posti_disponibili",
    "costo_partecipante_eur",
    "lingua",
    "iscrizioni_dal",
    "iscrizioni_al",
    "pagina_corso",
    "pagina_iscrizione",
    "ultima_modifica",
];

fn open_data(data: &CatalogueData, public_url: &str) -> Sheet {
    let time =
        |at: Option<DateTime<Utc>>| Cell::from(at.map(|a| a.to_rfc3339()).unwrap_or_default());
    let mut editions: Vec<&EditionEntry> = data
        .editions
        .iter()
        .filter(|e| data.edition_removal(e).is_none())
        .collect();
    editions.sort_by_key(|e| (e.edition.starts_at(), e.edition.id));
    let rows = editions
        .into_iter()
        .filter_map(|entry| {
            let edition = &entry.edition;
            let course = data.courses.get(&edition.course_id)?;
            let fields = &course.course.fields;
            let venue = edition
                .fields
                .sessions
                .iter()
                .find_map(|s| s.venue_id.and_then(|v| data.venues.get(&v)));
            let text = |f: fn(&VenueInfo) -> String| Cell::from(venue.map(f).unwrap_or_default());
            let coordinate = |f: fn(&VenueInfo) -> f64| match venue {
                Some(v) => Cell::Number(f(v)),
                None => Cell::from(""),
            };
            let online = edition.fields.delivery.is_online();
            Some(vec![
                Cell::from(edition.id),
                Cell::from(course.course.id),
                Cell::from(fields.title.clone()),
                Cell::from(edition.fields.title.clone()),
                Cell::from(course.theme_name.clone()),
                Cell::from(course.provider_name.clone()),
                Cell::from(course.provider_vat_number.clone().unwrap_or_default()),
                Cell::from(edition.fields.delivery.as_str()),
                Cell::from(if online { "si" } else { "no" }),
                Cell::Number(fields.duration.hours()),
                Cell::from(edition.fields.status.as_str()),
                time(edition.starts_at()),
                time(edition.ends_at()),
                text(|v| v.name.clone()),
                text(|v| v.address.clone()),
                text(|v| v.comune_name.clone()),
                text(|v| v.comune_istat_code.clone()),
                coordinate(|v| v.coordinates.latitude),
                coordinate(|v| v.coordinates.longitude),
                Cell::from(i64::from(edition.fields.capacity.seats())),
                Cell::from(i64::from(entry.seats_left())),
                Cell::Number(fields.participant_fee.euros()),
                Cell::from(fields.language.as_str()),
                time(Some(edition.fields.enrolment_opens_at)),
                time(Some(edition.fields.enrolment_closes_at)),
                Cell::from(course_page_url(public_url, course.course.id)),
                Cell::from(enrolment_url(public_url, edition.id)),
                time(Some(edition.updated_at.max(course.course.updated_at))),
            ])
        })
        .collect();
    Sheet {
        name: "edizioni",
        headers: COLUMNS.to_vec(),
        rows,
    }
}

fn dataset(data: &CatalogueData, publisher: &Publisher, public_url: &str) -> Value {
    let modified = data
        .editions
        .iter()
        .map(|e| e.edition.updated_at)
        .chain(data.courses.values().map(|c| c.course.updated_at))
        .max()
        .map_or_else(|| "1970-01-01".to_owned(), |at| at.date_naive().to_string());
    let agent = json!({
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "foaf:name": publisher.name,
        "dct:identifier": publisher.ipa_code,
    });
    let identifier = format!("{}:cabina-catalogo-formazione", publisher.ipa_code);
    let dataset_id = format!("{public_url}/api/v1/catalogue/dataset#dataset");
    let title = format!(
        "Catalogo della formazione del personale dei comuni – {}",
        publisher.name
    );
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@graph": [
          {
            "@id": format!("{public_url}/api/v1/catalogue/dataset"),
            "@type": ["dcat:Catalog", "dcatapit:Catalog"],
            "dct:title": {"@language": "it", "@value": format!("Dati aperti della formazione – {}", publisher.name)},
            "dct:description": {"@language": "it", "@value": "I dati aperti del catalogo della formazione del personale dei comuni, pubblicati da cabina."},
            "dct:publisher": agent,
            "dct:modified": {"@type": "xsd:date", "@value": modified},
            "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
            "foaf:homepage": {"@id": format!("{public_url}/catalogo")},
            "dcat:themeTaxonomy": {"@id": "http://publications.europa.eu/resource/authority/data-theme"},
            "dcat:dataset": {"@id": dataset_id}
          },
          {
        "@id": dataset_id,
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": identifier,
        "dct:title": {"@language": "it", "@value": title},
        "dct:description": {"@language": "it", "@value": "Edizioni dei corsi di formazione offerti al personale dei comuni: corso, tema, ente formatore, modalità, ore, date, sede, posti e periodo di iscrizione. Aggiornato a ogni modifica del catalogo."},
        "dcat:theme": {"@id": "http://publications.europa.eu/resource/authority/data-theme/EDUC"},
        "dct:publisher": agent,
        "dct:rightsHolder": agent,
        "dct:modified": {"@type": "xsd:date", "@value": modified},
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/CONT"},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ITA"},
        "dcat:keyword": ["formazione", "pubblica amministrazione", "comuni", "corsi"],
        "dcat:landingPage": {"@id": format!("{public_url}/catalogo")},
        "dcat:contactPoint": {
            "@type": ["vcard:Organization", "dcatapit:Organization"],
            "vcard:fn": publisher.contact_name,
            "vcard:hasEmail": {"@id": format!("mailto:{}", publisher.contact_email)}
        },
        "dcat:distribution": {
            "@type": ["dcat:Distribution", "dcatapit:Distribution"],
            "dct:title": "Edizioni del catalogo (CSV)",
            "dct:format": {"@id": "http://publications.europa.eu/resource/authority/file-type/CSV"},
            "dct:description": {"@language": "it", "@value": "Una riga per edizione del catalogo, in UTF-8 separato da virgole; un testo che inizia con = + - @ è preceduto da un apostrofo, perché un foglio di calcolo non lo esegua come formula."},
            "dcat:mediaType": {"@id": "http://www.iana.org/assignments/media-types/text/csv"},
            "dcat:accessURL": {"@id": format!("{public_url}/api/v1/catalogue/open-data")},
            "dcat:downloadURL": {"@id": format!("{public_url}/api/v1/catalogue/open-data")},
            "dct:license": {"@id": publisher.licence, "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"],
                            "dct:type": {"@id": "http://purl.org/adms/licencetype/Attribution"}}
        }
          }
        ]
    })
}
