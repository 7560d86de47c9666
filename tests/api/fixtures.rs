//! Typed fixtures: one builder per resource, so that a test's setup reads as a sentence
//! (`app.course(&admin, provider).theme("privacy").published().create()`) and hands back
//! typed ids instead of JSON. The request bodies stay at hand (`body()`, `send()`) for the
//! tests that are about the body itself.
use std::fmt;
use std::ops::Index;

use chrono::{Duration, Utc};
use reqwest::Response;
use serde_json::{Value, json};

use crate::helpers::{IMPERIA, TestApp, tax_code};

/// The password of every account the fixtures create.
pub const USER_PASSWORD: &str = "password-di-prova-utente";

macro_rules! resource_id {
    ($(#[$doc:meta])* $name:ident, $collection:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl $name {
            /// The resource's own path, `/collection/{id}`.
            pub fn path(self) -> String {
                format!(concat!("/", $collection, "/{}"), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<$name> for Value {
            fn from(id: $name) -> Value {
                Value::from(id.0)
            }
        }

        impl PartialEq<$name> for Value {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

resource_id!(
    /// A training provider.
    ProviderId,
    "providers"
);
resource_id!(
    /// A room courses take place in.
    VenueId,
    "venues"
);
resource_id!(
    /// A course of the catalogue.
    CourseId,
    "courses"
);
resource_id!(
    /// An edition of a course.
    EditionId,
    "editions"
);
resource_id!(
    /// One session of an edition.
    SessionId,
    "sessions"
);
resource_id!(
    /// An employee of a comune.
    EmployeeId,
    "employees"
);
resource_id!(
    /// A person's seat (or place in the waitlist) in an edition.
    EnrolmentId,
    "enrolments"
);
resource_id!(
    /// A needs survey.
    CampaignId,
    "campaigns"
);
resource_id!(
    /// A line of a comune's answer to a campaign.
    NeedId,
    "needs"
);
resource_id!(
    /// A user account.
    UserId,
    "users"
);

/// What a POST created: its typed id, and the body the server answered with (indexable
/// like the JSON it is: `created["status"]`).
#[derive(Debug, Clone)]
pub struct Created<I> {
    pub id: I,
    pub body: Value,
}

impl<I> Index<&str> for Created<I> {
    type Output = Value;

    fn index(&self, field: &str) -> &Value {
        &self.body[field]
    }
}

/// A resource about to be created: a valid body with sensible defaults, changed by the
/// resource's own setters (or `set` for any field), then `create`d (asserting 201) or
/// `send`-ed as is (for tests about refusals).
pub struct Draft<'a, I> {
    app: &'a TestApp,
    token: &'a str,
    path: String,
    body: Value,
    id: fn(i64) -> I,
}

impl<I> Draft<'_, I> {
    pub fn set(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.body[field] = value.into();
        self
    }

    pub fn body(&self) -> Value {
        self.body.clone()
    }

    pub async fn send(self) -> Response {
        self.app
            .post_json(&self.path, Some(self.token), &self.body)
            .await
    }

    pub async fn create(self) -> Created<I> {
        let body = self.app.create(self.token, &self.path, &self.body).await;
        let id = (self.id)(body["id"].as_i64().expect("a created resource has an id"));
        Created { id, body }
    }
}

// ---- Bodies, for the tests about them ----

pub fn course_body(provider: ProviderId, theme: &str, modality: &str) -> Value {
    json!({"title": format!("Corso di {theme}"), "description": "Descrizione", "objectives": "Obiettivi",
           "theme_code": theme, "provider_id": provider.0, "hours": 6.0, "modality": modality,
           "target_office_areas": ["affari_generali", "demografici"], "min_attendance_percent": 80})
}

/// An open in-person edition in March 2027, with two sessions of three hours.
pub fn in_person_edition(venue: VenueId, capacity: i64) -> Value {
    json!({"title": "Edizione di Imperia", "delivery": "in_person", "capacity": capacity,
           "enrolment_opens_at": "2027-02-01T08:00:00Z", "enrolment_closes_at": "2027-03-10T18:00:00Z",
           "status": "open", "self_enrolment": true,
           "sessions": [{"starts_at": "2027-03-15T08:30:00Z", "ends_at": "2027-03-15T11:30:00Z", "venue_id": venue.0},
                        {"starts_at": "2027-03-22T08:30:00Z", "ends_at": "2027-03-22T11:30:00Z", "venue_id": venue.0}]})
}

/// An in-person edition taking enrolments now, with two sessions of three hours next month.
pub fn open_edition_body(venue: VenueId, capacity: i64) -> Value {
    let now = Utc::now();
    let at = |days: i64, hour: u32| {
        (now + Duration::days(days))
            .date_naive()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
            .to_rfc3339()
    };
    json!({"title": "Edizione di prova", "delivery": "in_person", "capacity": capacity,
        "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::days(20)).to_rfc3339(),
        "status": "open", "self_enrolment": true,
        "sessions": [{"starts_at": at(30, 8), "ends_at": at(30, 11), "venue_id": venue.0},
                     {"starts_at": at(37, 8), "ends_at": at(37, 11), "venue_id": venue.0}]})
}

/// An asynchronous webinar taking enrolments now, available from three weeks on.
pub fn webinar_body() -> Value {
    let now = Utc::now();
    json!({"title": "Online", "delivery": "async_webinar", "capacity": 500, "status": "open",
        "enrolment_opens_at": (now - Duration::days(1)).to_rfc3339(), "enrolment_closes_at": (now + Duration::days(20)).to_rfc3339(),
        "available_from": (now + Duration::days(21)).to_rfc3339(), "available_until": (now + Duration::days(60)).to_rfc3339(),
        "access_url": "https://webinar.example/privacy"})
}

pub fn employee_body(tax_code: &str) -> Value {
    json!({"given_name": "Maria", "family_name": "Rossi", "email": "m.rossi@comune.imperia.it", "tax_code": tax_code,
           "office_area": "tributi", "job_profile": "istruttore", "safety_roles": ["preposto"], "hire_date": "2010-02-01"})
}

pub fn campaign_body() -> Value {
    json!({"year": 2027, "title": "Fabbisogni 2027", "opens_on": "2027-01-15", "closes_on": "2027-02-28",
           "instructions": "Indicare per ogni ufficio le persone da formare.", "themes": ["privacy", "anticorruzione_trasparenza"]})
}

pub fn need_body(campaign: CampaignId, theme: &str, area: &str) -> Value {
    json!({"campaign_id": campaign.0, "theme_code": theme, "office_area": area, "headcount": 3, "priority": "alta"})
}

// ---- Resource-specific setters ----

impl Draft<'_, VenueId> {
    pub fn named(self, name: &str) -> Self {
        self.set("name", name)
    }
    pub fn in_comune(self, istat_code: &str) -> Self {
        self.set("comune_istat_code", istat_code)
    }
    pub fn capacity(self, seats: i64) -> Self {
        self.set("capacity", seats)
    }
}

impl Draft<'_, CourseId> {
    pub fn theme(self, theme: &str) -> Self {
        self.set("title", format!("Corso di {theme}"))
            .set("theme_code", theme)
    }
    pub fn modality(self, modality: &str) -> Self {
        self.set("modality", modality)
    }
    pub fn published(self) -> Self {
        self.set("status", "published")
    }
}

impl Draft<'_, EditionId> {
    pub fn capacity(self, seats: i64) -> Self {
        self.set("capacity", seats)
    }
    pub fn comune_quota(self, seats: i64) -> Self {
        self.set("comune_quota", seats)
    }
}

impl Draft<'_, EmployeeId> {
    pub fn tax_code(self, tax_code: &str) -> Self {
        self.set("tax_code", tax_code)
    }
    pub fn in_comune(self, istat_code: &str) -> Self {
        self.set("comune_istat_code", istat_code)
    }
    pub fn named(self, given_name: &str, family_name: &str) -> Self {
        self.set("given_name", given_name)
            .set("family_name", family_name)
    }
    pub fn email(self, email: &str) -> Self {
        self.set("email", email)
    }
}

impl Draft<'_, CampaignId> {
    pub fn year(self, year: i64) -> Self {
        self.set("year", year)
    }
    /// Created open (the admin may skip the draft).
    pub fn open(self) -> Self {
        self.set("status", "open")
    }
}

impl Draft<'_, NeedId> {
    pub fn theme(self, theme: &str) -> Self {
        self.set("theme_code", theme)
    }
    pub fn office_area(self, area: &str) -> Self {
        self.set("office_area", area)
    }
    pub fn headcount(self, people: i64) -> Self {
        self.set("headcount", people)
    }
    pub fn in_comune(self, istat_code: &str) -> Self {
        self.set("comune_istat_code", istat_code)
    }
}

impl Draft<'_, UserId> {
    pub fn in_comune(self, istat_code: &str) -> Self {
        self.set("comune_istat_code", istat_code)
    }
    pub fn of_provider(self, provider: ProviderId) -> Self {
        self.set("provider_id", provider)
    }
    pub fn full_name(self, name: &str) -> Self {
        self.set("full_name", name)
    }
}

/// The ground most catalogue tests stand on: the admin's token, a qualified provider
/// (themes: privacy, sicurezza_preposti, digitalizzazione, primo_soccorso) and a 30-seat
/// room in Imperia.
pub struct Catalogue {
    pub admin: String,
    pub provider: ProviderId,
    pub venue: VenueId,
}

impl TestApp {
    /// POSTs `body` to `path`, asserts 201 Created, and returns what the server answered.
    pub async fn create(&self, token: &str, path: &str, body: &Value) -> Value {
        let response = self.post_json(path, Some(token), body).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// GETs `path` and reads the answer as JSON, whatever its status.
    pub async fn read(&self, path: &str, token: Option<&str>) -> Value {
        self.get(path, token).await.json().await.unwrap()
    }

    /// GETs `path` asking for `accept` (a CSV, a PDF, a workbook).
    pub async fn get_as(&self, path: &str, token: &str, accept: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .header("accept", accept)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_csv(
        &self,
        path: &str,
        token: &str,
        csv: impl Into<reqwest::Body>,
    ) -> Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("request sent")
    }

    fn draft<'a, I>(
        &'a self,
        token: &'a str,
        path: impl Into<String>,
        body: Value,
        id: fn(i64) -> I,
    ) -> Draft<'a, I> {
        Draft {
            app: self,
            token,
            path: path.into(),
            body,
            id,
        }
    }

    /// A qualified provider, registered through the API.
    pub async fn provider(&self, name: &str) -> ProviderId {
        ProviderId(self.insert_provider(name).await)
    }

    /// A room: "Sala della Provincia" in Imperia, 30 seats, no coordinates.
    pub fn venue<'a>(&'a self, token: &'a str) -> Draft<'a, VenueId> {
        let body = json!({"name": "Sala della Provincia", "address": "Viale Matteotti 147",
                          "comune_istat_code": IMPERIA, "capacity": 30});
        self.draft(token, "/venues", body, VenueId)
    }

    /// See [`Catalogue`]; checks on the way that a room without coordinates takes its
    /// comune's.
    pub async fn catalogue(&self) -> Catalogue {
        let admin = self.admin_token().await;
        let provider = self.provider("Formazione Ligure").await;
        let venue = self.venue(&admin).create().await;
        assert_eq!(
            venue["latitude"], 43.8865,
            "without coordinates the comune's are used"
        );
        Catalogue {
            admin,
            provider,
            venue: venue.id,
        }
    }

    /// A draft in-person course of privacy, 6 hours, 80 % attendance required.
    pub fn course<'a>(&'a self, token: &'a str, provider: ProviderId) -> Draft<'a, CourseId> {
        let body = course_body(provider, "privacy", "in_person");
        self.draft(token, "/courses", body, CourseId)
    }

    /// An edition of `course` with the given body (see [`in_person_edition`],
    /// [`open_edition_body`], [`webinar_body`]).
    pub fn edition<'a>(
        &'a self,
        token: &'a str,
        course: CourseId,
        body: Value,
    ) -> Draft<'a, EditionId> {
        let path = format!("{}/editions", course.path());
        self.draft(token, path, body, EditionId)
    }

    /// An edition of `capacity` seats taking enrolments now (two three-hour sessions next
    /// month), of a published 6-hour privacy course by a provider and in a room of its own.
    pub async fn open_edition(&self, admin: &str, capacity: i64) -> Created<EditionId> {
        self.open_edition_drafted(admin, |edition| edition.capacity(capacity))
            .await
    }

    /// As [`open_edition`](Self::open_edition), with at most `quota` seats per comune.
    pub async fn open_edition_with_quota(
        &self,
        admin: &str,
        capacity: i64,
        quota: i64,
    ) -> Created<EditionId> {
        self.open_edition_drafted(admin, |edition| {
            edition.capacity(capacity).comune_quota(quota)
        })
        .await
    }

    async fn open_edition_drafted(
        &self,
        admin: &str,
        change: impl FnOnce(Draft<'_, EditionId>) -> Draft<'_, EditionId>,
    ) -> Created<EditionId> {
        let Catalogue {
            provider, venue, ..
        } = self.catalogue().await;
        let course = self.course(admin, provider).published().create().await;
        let edition = self.edition(admin, course.id, open_edition_body(venue, 10));
        change(edition).create().await
    }

    /// The sessions of an edition, in order.
    pub async fn sessions(&self, token: &str, edition: EditionId) -> Vec<Created<SessionId>> {
        let list = self
            .read(&format!("{}/sessions", edition.path()), Some(token))
            .await;
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| Created {
                id: SessionId(s["id"].as_i64().unwrap()),
                body: s.clone(),
            })
            .collect()
    }

    /// Maria Rossi, of the caller's comune unless told, with a made-up tax code unless told.
    pub fn employee<'a>(&'a self, token: &'a str) -> Draft<'a, EmployeeId> {
        self.draft(
            token,
            "/employees",
            employee_body("RSSMRA85T10A562S"),
            EmployeeId,
        )
    }

    /// Sends a CSV to the employee import; `query` is appended as is ("?dry_run=true").
    pub async fn import_employees(
        &self,
        token: &str,
        query: &str,
        csv: impl Into<reqwest::Body>,
    ) -> Response {
        self.post_csv(&format!("/employee-imports{query}"), token, csv)
            .await
    }

    /// Imports `count` employees of `comune`, "Persona Numero {n}" with the e-mail
    /// `p{n}@comune.test` and the tax code [`tax_code`]`(n)` for n from `first`, and
    /// returns their ids in that order.
    pub async fn staff(
        &self,
        admin: &str,
        comune: &str,
        first: u32,
        count: u32,
    ) -> Vec<EmployeeId> {
        let mut csv = String::from("codice_fiscale,nome,cognome,area,profilo,email\n");
        for n in first..first + count {
            csv.push_str(&format!(
                "{},Persona,Numero {n},tributi,istruttore,p{n}@comune.test\n",
                tax_code(n)
            ));
        }
        let response = self
            .import_employees(admin, &format!("?comune_istat_code={comune}"), csv)
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        let mut ids = Vec::new();
        let mut offset = 0;
        loop {
            let page = self
                .read(
                    &format!("/employees?comune_istat_code={comune}&limit=200&offset={offset}"),
                    Some(admin),
                )
                .await;
            let items = page["items"].as_array().unwrap();
            ids.extend(items.iter().map(|e| {
                (
                    e["tax_code"].as_str().unwrap().to_owned(),
                    e["id"].as_i64().unwrap(),
                )
            }));
            offset += items.len();
            if items.is_empty() || offset as u64 >= page["total"].as_u64().unwrap() {
                break;
            }
        }
        (first..first + count)
            .map(|n| {
                let code = tax_code(n);
                EmployeeId(ids.iter().find(|(c, _)| *c == code).unwrap().1)
            })
            .collect()
    }

    /// Asks for a seat for `employee` in `edition`, whatever the answer.
    pub async fn enrol(&self, token: &str, edition: EditionId, employee: EmployeeId) -> Response {
        self.post_json(
            "/enrolments",
            Some(token),
            &json!({"edition_id": edition.0, "employee_id": employee.0}),
        )
        .await
    }

    /// A seat (or a place in the waitlist) for `employee` in `edition`.
    pub async fn enrolment(
        &self,
        token: &str,
        edition: EditionId,
        employee: EmployeeId,
    ) -> Created<EnrolmentId> {
        self.draft(
            token,
            "/enrolments",
            json!({"edition_id": edition.0, "employee_id": employee.0}),
            EnrolmentId,
        )
        .create()
        .await
    }

    pub async fn read_enrolment(&self, token: &str, enrolment: EnrolmentId) -> Value {
        self.read(&enrolment.path(), Some(token)).await
    }

    pub async fn cancel_enrolment(&self, token: &str, enrolment: EnrolmentId) -> Response {
        self.merge_patch(&enrolment.path(), token, &json!({"status": "cancelled"}))
            .await
    }

    /// Every enrolment of an edition the caller may see.
    pub async fn enrolments_of(&self, token: &str, edition: EditionId) -> Vec<Value> {
        let list = self
            .read(&format!("/enrolments?edition_id={edition}"), Some(token))
            .await;
        list["items"].as_array().unwrap().clone()
    }

    pub async fn put_attendance(&self, token: &str, session: SessionId, body: Value) -> Response {
        self.put_json(&format!("{}/attendance", session.path()), token, &body)
            .await
    }

    /// An account of `role` with [`USER_PASSWORD`], created by the admin.
    pub fn user<'a>(&'a self, admin: &'a str, email: &str, role: &str) -> Draft<'a, UserId> {
        let body = json!({"email": email, "full_name": "Persona", "password": USER_PASSWORD, "role": role});
        self.draft(admin, "/users", body, UserId)
    }

    /// Logs in with [`USER_PASSWORD`] and returns the access token.
    pub async fn token_of(&self, email: &str) -> String {
        let response = self.login(email, USER_PASSWORD).await;
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The "Fabbisogni 2027" campaign on privacy and anticorruption, a draft unless told.
    pub fn campaign<'a>(&'a self, admin: &'a str) -> Draft<'a, CampaignId> {
        self.draft(admin, "/campaigns", campaign_body(), CampaignId)
    }

    /// A draft campaign, then opened; returns the opened campaign.
    pub async fn open_campaign(&self, admin: &str) -> Created<CampaignId> {
        let campaign = self.campaign(admin).create().await;
        let opened = self.set_status(admin, &campaign.id.path(), "open").await;
        assert_eq!(opened.status(), 200);
        Created {
            id: campaign.id,
            body: opened.json().await.unwrap(),
        }
    }

    /// A need line: three people of `area` to train in `theme`, high priority.
    pub fn need<'a>(
        &'a self,
        token: &'a str,
        campaign: CampaignId,
        theme: &str,
        area: &str,
    ) -> Draft<'a, NeedId> {
        self.draft(token, "/needs", need_body(campaign, theme, area), NeedId)
    }

    /// A comune's answer to a campaign (submitted, draft, "no needs").
    pub async fn put_response(
        &self,
        token: &str,
        campaign: CampaignId,
        comune: &str,
        body: Value,
    ) -> Response {
        self.put_json(
            &format!("{}/responses/{comune}", campaign.path()),
            token,
            &body,
        )
        .await
    }

    /// A merge patch that must succeed (200 OK); returns the changed resource.
    pub async fn change(&self, token: &str, path: &str, patch: Value) -> Value {
        let response = self.merge_patch(path, token, &patch).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// A merge patch of `{"status": status}` on `path`.
    pub async fn set_status(&self, token: &str, path: &str, status: &str) -> Response {
        self.merge_patch(path, token, &json!({"status": status}))
            .await
    }

    /// The messages of `kind` in the outbox (the first 200).
    pub async fn outbox_of_kind(&self, admin: &str, kind: &str) -> Vec<Value> {
        let outbox = self.read("/outbox?limit=200", Some(admin)).await;
        outbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == kind)
            .cloned()
            .collect()
    }
}
