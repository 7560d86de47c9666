//! `cabina demo`: fills an empty database with a realistic, clearly fictitious year, so a
//! newcomer sees a working system and benchmarks have data. Deterministic for a seed (dates
//! are relative to today), and idempotent: a database that already holds providers,
//! employees or campaigns is left alone. Everything goes through the store, under the same
//! rules as the API.
use anyhow::Context;
use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::app;
use crate::domain::access::Actor;
use crate::domain::attendance::{Mark, Session};
use crate::domain::campaign::{
    Campaign, CampaignDraft, CampaignFields, CampaignStatus, NeedDraft, NeedFields, Priority,
    ResponseStatus,
};
use crate::domain::comune::{Comune, ComuneContacts, IstatCode};
use crate::domain::course::{
    Capacity, ComuneQuota, CourseFields, CourseStatus, Duration as Hours, EditionFields,
    EditionStatus, Language, Modality, ParticipantFee, SessionPlan,
};
use crate::domain::employee::{EmployeeFields, JobProfile, RiskClass};
use crate::domain::employee_import::ImportRow;
use crate::domain::enrolment::EnrolmentFilter;
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::fiscal::{TaxCode, VatNumber, complete_tax_code, complete_vat_number};
use crate::domain::ids::{EditionId, EmployeeId};
use crate::domain::provider::{ProviderProfile, Qualification};
use crate::domain::user::{Affiliation, Email, NewUser, Role};
use crate::domain::venue::VenueFields;
use crate::entities::{campaign, employee, provider};
use crate::store;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-cabina-2027";

/// What the demo created, or why it did nothing.
#[derive(Debug, Default)]
pub struct DemoReport {
    pub skipped: Option<&'static str>,
    pub providers: usize,
    pub courses: usize,
    pub editions: usize,
    pub employees: usize,
    pub comuni_answering: usize,
    pub enrolments: usize,
    pub certificates: usize,
    pub feedback: usize,
    /// The approved plan of the closed campaign: its editions and people served.
    pub plan_editions: usize,
    pub plan_people: i64,
}

const GIVEN: &[&str] = &[
    "Maria",
    "Giulia",
    "Francesca",
    "Chiara",
    "Sara",
    "Paola",
    "Laura",
    "Elena",
    "Marta",
    "Silvia",
    "Marco",
    "Luca",
    "Andrea",
    "Giovanni",
    "Paolo",
    "Stefano",
    "Davide",
    "Matteo",
    "Roberto",
    "Alessandro",
    "Simone",
    "Federica",
    "Valentina",
    "Fabio",
    "Enrico",
];
const FAMILY: &[&str] = &[
    "Rossi",
    "Ferrari",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "Costa",
    "Giordano",
    "Mancini",
    "Lombardi",
    "Barbieri",
    "Moretti",
    "Fontana",
    "Rinaldi",
    "Caruso",
    "Ferraro",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Oliveri",
    "Ardoino",
    "Lanteri",
    "Biancheri",
];
const AREAS: &[&str] = &[
    "affari_generali",
    "finanziaria",
    "tributi",
    "tecnica_lavori_pubblici",
    "urbanistica_edilizia",
    "polizia_locale",
    "demografici",
    "sociali",
    "personale",
    "suap_attivita_produttive",
    "informatica",
];

/// Fills the database if it is empty.
///
/// # Errors
/// Database errors, with context.
pub async fn fill(
    db: &DatabaseConnection,
    province: &str,
    seed: u64,
) -> anyhow::Result<DemoReport> {
    if provider::Entity::find().count(db).await? > 0
        || employee::Entity::find().count(db).await? > 0
        || campaign::Entity::find().count(db).await? > 0
    {
        return Ok(DemoReport {
            skipped: Some("the database already holds providers, employees or campaigns"),
            ..Default::default()
        });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut report = DemoReport::default();
    let comuni = store::comuni::list(db).await?;
    let capital = comuni
        .iter()
        .find(|c| c.is_provincial_capital)
        .or(comuni.first())
        .context("no comuni: seed the reference data first")?
        .clone();
    let actor = demo_users(db, &capital).await.context("demo users")?;
    let providers = demo_providers(db, &mut rng)
        .await
        .context("demo providers")?;
    report.providers = providers.len();
    demo_provider_staff(db, &providers)
        .await
        .context("demo provider staff")?;
    demo_contacts(db, &comuni).await.context("demo contacts")?;
    let venues = demo_venues(db, &comuni).await.context("demo venues")?;
    let people = demo_employees(db, &mut rng, &comuni, &capital, actor)
        .await
        .context("demo employees")?;
    report.employees = people.iter().map(Vec::len).sum();
    report.comuni_answering = demo_campaign(db, &mut rng, &comuni, actor)
        .await
        .context("demo campaign")?;
    let plan = demo_planned_year(db, &mut rng, &comuni, &people, actor)
        .await
        .context("demo plan")?;
    report.plan_editions = plan.stored.plan.editions.len();
    report.plan_people = plan.stored.summary.people_served;
    let demo_employee =
        store::employees::id_by_email(db, &capital.istat_code, "dipendente@imperia.demo.example")
            .await?
            .context("the demo employee")?;
    let everyone: Vec<(i64, IstatCode)> = comuni
        .iter()
        .zip(&people)
        .flat_map(|(c, ids)| ids.iter().map(|&id| (id, c.istat_code.clone())))
        .collect();
    let plans = course_plans();
    for (i, plan) in plans.iter().enumerate() {
        let provider = providers[i % providers.len()];
        let course = store::courses::create(db, &plan.fields(provider)).await?;
        report.courses += 1;
        for past in [true, false] {
            let venue = venues[(i + usize::from(past)) % venues.len()];
            let stats = run_edition(
                db,
                &mut rng,
                &course,
                plan,
                venue,
                past,
                &everyone,
                (demo_employee, actor),
                province,
            )
            .await
            .with_context(|| format!("edition of {}", plan.title))?;
            report.editions += 1;
            report.enrolments += stats.0;
            report.certificates += stats.1;
            report.feedback += stats.2;
        }
    }
    Ok(report)
}

async fn demo_users(db: &DatabaseConnection, capital: &Comune) -> anyhow::Result<i64> {
    let hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let sanremo = IstatCode::parse("008055").unwrap_or_else(|_| capital.istat_code.clone());
    let accounts = [
        (
            "formazione@provincia.demo.example",
            "Ufficio formazione (demo)",
            Role::Admin,
            Affiliation::Province,
        ),
        (
            "referente@imperia.demo.example",
            "Referente di Imperia (demo)",
            Role::Referente,
            Affiliation::Comune(capital.istat_code.clone()),
        ),
        (
            "referente@sanremo.demo.example",
            "Referente di Sanremo (demo)",
            Role::Referente,
            Affiliation::Comune(sanremo),
        ),
        (
            "dipendente@imperia.demo.example",
            "Giulia Demo",
            Role::Employee,
            Affiliation::Comune(capital.istat_code.clone()),
        ),
    ];
    let mut admin = 0;
    for (email, name, role, affiliation) in accounts {
        let user = store::users::create(
            db,
            NewUser {
                email: Email::parse("email", email)?,
                full_name: name.to_owned(),
                role,
                affiliation,
                password_hash: hash.clone(),
            },
        )
        .await?;
        if role == Role::Admin {
            admin = user.id;
        }
    }
    Ok(admin)
}

/// A secretary for each of the first two providers: the first acts alone on its
/// editions, the second proposes changes to the Province (see `demo_providers`).
async fn demo_provider_staff(db: &DatabaseConnection, providers: &[i64]) -> anyhow::Result<()> {
    let hash = crate::auth::password::hash(DEMO_PASSWORD.to_owned()).await?;
    for (i, &provider) in providers.iter().take(2).enumerate() {
        store::users::create(
            db,
            NewUser {
                email: Email::parse("email", &format!("segreteria@ente{}.demo.example", i + 1))?,
                full_name: format!("Segreteria dell'ente {} (demo)", i + 1),
                role: Role::Provider,
                affiliation: Affiliation::Provider(provider),
                password_hash: hash.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

/// A referente's address for five comuni in six, so that reminders reach most of them
/// and the few without one show what the office sees when a comune has none.
async fn demo_contacts(db: &DatabaseConnection, comuni: &[Comune]) -> anyhow::Result<()> {
    for (i, comune) in comuni.iter().enumerate() {
        if i % 6 == 5 {
            continue;
        }
        let slug: String = comune
            .name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let contacts = ComuneContacts {
            referente_email: Some(format!("formazione@{slug}.demo.example")),
            ..comune.contacts.clone()
        };
        store::comuni::write_contacts(db, &comune.istat_code, &contacts, comune.updated_at).await?;
    }
    Ok(())
}

async fn demo_providers(db: &DatabaseConnection, rng: &mut StdRng) -> anyhow::Result<Vec<i64>> {
    let all_themes = [
        "privacy",
        "anticorruzione_trasparenza",
        "digitalizzazione",
        "contratti_pubblici",
        "sicurezza_lavoro_generale",
        "sicurezza_preposti",
        "primo_soccorso",
        "antincendio",
        "viabilita_segnaletica_cantieri",
        "pari_opportunita",
        "gestione_associata",
    ];
    let names = [
        "Accademia Ligure per la PA (demo)",
        "Studio Formazione Riviera (demo)",
        "Centro Sicurezza del Ponente (demo)",
        "Comuni Digitali S.r.l. (demo)",
    ];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let stem: String = (0..10)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect();
        let vat = complete_vat_number(&format!("9{}", &stem[1..]));
        let profile = ProviderProfile {
            name: (*name).to_owned(),
            tax_code: TaxCode::parse("tax_code", &vat)?,
            vat_number: Some(VatNumber::parse("vat_number", &vat)?),
            email: Some(Email::parse(
                "email",
                &format!("segreteria{i}@ente.demo.example"),
            )?),
            pec: None,
            phone: Some(format!("0183 55{i}{i}{i}{i}")),
            website: None,
            themes: all_themes.iter().map(|t| (*t).to_owned()).collect(),
            qualification: Qualification::Qualified,
            qualified_until: Some(store::now().date_naive() + Duration::days(700)),
            notes: "Ente fittizio creato da `cabina demo`.".into(),
            // The first provider is trusted to change its editions alone; the others propose.
            edition_changes_need_approval: i != 0,
        };
        ids.push(store::providers::create(db, &profile).await?.id);
    }
    Ok(ids)
}

async fn demo_venues(db: &DatabaseConnection, comuni: &[Comune]) -> anyhow::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for (code, name, address, capacity) in [
        (
            "008031",
            "Sala consiliare della Provincia (demo)",
            "Viale Matteotti 147",
            60,
        ),
        (
            "008055",
            "Sala corsi di Sanremo (demo)",
            "Corso Cavallotti 59",
            30,
        ),
        (
            "008065",
            "Aula civica di Ventimiglia (demo)",
            "Piazza della Libertà 3",
            25,
        ),
        (
            "008059",
            "Sala polivalente di Taggia (demo)",
            "Via San Francesco 441",
            30,
        ),
        (
            "008042",
            "Sala dell'Unione dei comuni di Pieve di Teco (demo)",
            "Piazza Cavour 1",
            25,
        ),
    ] {
        let Some(comune) = comuni.iter().find(|c| c.istat_code.as_str() == code) else {
            continue;
        };
        // The Province's seat, seeded on a fresh installation, is the capital's room.
        let page = crate::domain::PageRequest {
            limit: 1,
            offset: 0,
        };
        let filter = crate::domain::venue::VenueFilter {
            comune: Some(comune.istat_code.clone()),
            ..Default::default()
        };
        if let Some(seat) = store::venues::list(db, &filter, page).await?.0.first() {
            ids.push(seat.id);
            continue;
        }
        let venue = store::venues::create(
            db,
            &VenueFields {
                name: name.into(),
                address: address.into(),
                comune: comune.istat_code.clone(),
                capacity,
                coordinates: comune.coordinates,
                accessibility_notes: "Accessibile in sedia a rotelle.".into(),
            },
        )
        .await?;
        ids.push(venue.id);
    }
    anyhow::ensure!(
        !ids.is_empty(),
        "the demo venues need the comuni of Imperia"
    );
    Ok(ids)
}

fn slug(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(char::is_ascii_lowercase)
        .collect()
}

/// The staff of every comune, about one person per 70 inhabitants (6 to 400), with an
/// account-matching record for the demo employee. Returns the ids per comune.
async fn demo_employees(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    comuni: &[Comune],
    capital: &Comune,
    actor: i64,
) -> anyhow::Result<Vec<Vec<i64>>> {
    let mut rows = Vec::new();
    let mut n: u32 = 0;
    for comune in comuni {
        let count = (comune.population.unwrap_or(1000) / 70).clamp(6, 400);
        for i in 0..count {
            n += 1;
            let given = *GIVEN.choose(rng).unwrap_or(&"Maria");
            let family = *FAMILY.choose(rng).unwrap_or(&"Rossi");
            let letter = |k: u32| char::from(b'A' + (k % 26) as u8);
            let stem = format!(
                "{}{}{}{}{}{}{:02}{}{:02}{}",
                letter(n / 676),
                letter(n / 26),
                letter(n),
                letter(n / 17),
                letter(n / 7),
                letter(n / 3),
                rng.random_range(60..99),
                ['A', 'B', 'C', 'D', 'E', 'H', 'L', 'M', 'P', 'R', 'S', 'T']
                    .choose(rng)
                    .unwrap_or(&'A'),
                rng.random_range(1..29),
                comune.cadastral_code
            );
            let email = if comune.istat_code == capital.istat_code && i == 0 {
                "dipendente@imperia.demo.example".to_owned()
            } else {
                format!(
                    "{}.{}{n}@{}.demo.example",
                    given.to_lowercase(),
                    family.to_lowercase(),
                    slug(&comune.name)
                )
            };
            rows.push(ImportRow {
                line: rows.len() + 2,
                mapped_title: None,
                fields: EmployeeFields {
                    comune: comune.istat_code.clone(),
                    given_name: if i == 0 && comune.istat_code == capital.istat_code {
                        "Giulia".into()
                    } else {
                        given.into()
                    },
                    family_name: if i == 0 && comune.istat_code == capital.istat_code {
                        "Demo".into()
                    } else {
                        family.into()
                    },
                    email: Some(Email::parse("email", &email)?),
                    tax_code: TaxCode::parse("tax_code", &complete_tax_code(&stem))?,
                    office_area: (*AREAS.choose(rng).unwrap_or(&"tributi")).to_owned(),
                    job_profile: *JobProfile::ALL[..4]
                        .choose(rng)
                        .unwrap_or(&JobProfile::Istruttore),
                    safety_roles: Vec::new(),
                    risk_class: *RiskClass::ALL.choose(rng).unwrap_or(&RiskClass::Basso),
                    hire_date: Some(
                        store::now().date_naive() - Duration::days(rng.random_range(200..9000)),
                    ),
                    active: true,
                },
            });
        }
    }
    let txn = store::begin_write(db).await?;
    store::employees::import(&txn, &rows, actor).await?;
    txn.commit().await?;
    let mut ids = Vec::with_capacity(comuni.len());
    for comune in comuni {
        let (list, _) = store::employees::list(
            db,
            &store::employees::EmployeeFilter {
                comune: Some(comune.istat_code.clone()),
                limit: 10_000,
                ..Default::default()
            },
        )
        .await?;
        ids.push(list.into_iter().map(|e| e.id).collect());
    }
    Ok(ids)
}

/// The admin as the use cases know them: the demo acts under the API's rules.
fn admin_actor(admin: i64) -> Actor {
    Actor {
        user_id: admin,
        role: Role::Admin,
        affiliation: Affiliation::Province,
    }
}

/// A campaign created through the same use case as `POST /campaigns`.
async fn create_campaign(
    db: &DatabaseConnection,
    actor: &Actor,
    fields: CampaignFields,
) -> anyhow::Result<Campaign> {
    app::campaigns::create(db, actor, CampaignDraft::from(&fields))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// A need line written through the same use case as `POST /needs`.
async fn add_need(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    comune: &Comune,
    fields: &NeedFields,
) -> anyhow::Result<()> {
    let draft = NeedDraft::from(fields);
    app::needs::create(
        db,
        actor,
        campaign_id,
        Some(comune.istat_code.as_str()),
        draft,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Next year's needs survey, open, answered by most comuni. Returns how many answered.
async fn demo_campaign(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    comuni: &[Comune],
    admin: i64,
) -> anyhow::Result<usize> {
    let actor = admin_actor(admin);
    let today = store::now().date_naive();
    let themes = [
        "privacy",
        "anticorruzione_trasparenza",
        "digitalizzazione",
        "contratti_pubblici",
        "sicurezza_preposti",
        "primo_soccorso",
    ];
    let campaign = create_campaign(
        db,
        &actor,
        CampaignFields {
            year: today.year() + 1,
            title: format!("Fabbisogni formativi {}", today.year() + 1),
            opens_on: today - Duration::days(20),
            closes_on: today + Duration::days(40),
            instructions:
                "Indicare per ogni tema quante persone di quali uffici hanno bisogno di formazione."
                    .into(),
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            status: CampaignStatus::Open,
        },
    )
    .await?;
    let mut answered = 0;
    for comune in comuni {
        let roll: f64 = rng.random();
        if roll < 0.08 {
            continue; // not started
        }
        if roll < 0.13 {
            app::campaigns::set_response(
                db,
                &actor,
                campaign.id,
                &comune.istat_code,
                ResponseStatus::Submitted,
                true,
            )
            .await?;
            answered += 1;
            continue;
        }
        let lines = rng.random_range(1..=4);
        let mut used = Vec::new();
        for _ in 0..lines {
            let theme = *themes.choose(rng).unwrap_or(&"privacy");
            let area = *AREAS.choose(rng).unwrap_or(&"tributi");
            if used.contains(&(theme, area)) {
                continue;
            }
            used.push((theme, area));
            let fields = NeedFields {
                theme_code: theme.into(),
                office_area: area.into(),
                headcount: rng.random_range(1..=6),
                priority: *[Priority::Alta, Priority::Media, Priority::Bassa]
                    .choose(rng)
                    .unwrap_or(&Priority::Media),
                preferred_modality: *[
                    Modality::InPerson,
                    Modality::LiveWebinar,
                    Modality::AsyncWebinar,
                    Modality::Blended,
                ]
                .choose(rng)
                .unwrap_or(&Modality::Blended),
                notes: String::new(),
                employee_ids: Vec::new(),
            };
            add_need(db, &actor, campaign.id, comune, &fields).await?;
        }
        if roll < 0.85 {
            app::campaigns::set_response(
                db,
                &actor,
                campaign.id,
                &comune.istat_code,
                ResponseStatus::Submitted,
                false,
            )
            .await?;
            answered += 1;
        }
    }
    Ok(answered)
}

/// Themes of this year's survey, already closed and planned.
const PLANNED_THEMES: &[&str] = &[
    "privacy",
    "anticorruzione_trasparenza",
    "digitalizzazione",
    "contratti_pubblici",
    "sicurezza_preposti",
    "primo_soccorso",
    "antincendio",
    "sicurezza_lavoro_aggiornamento",
];

/// This year's survey, closed, with needs in every comune scaled to its staff (some naming
/// people), and its annual plan computed, approved, not yet published: a newcomer sees a
/// plan at once, and can publish it.
async fn demo_planned_year(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    comuni: &[Comune],
    people: &[Vec<i64>],
    admin: i64,
) -> anyhow::Result<crate::app::plans::PlanView> {
    let actor = admin_actor(admin);
    let today = store::now().date_naive();
    let campaign = create_campaign(
        db,
        &actor,
        CampaignFields {
            year: today.year(),
            title: format!("Fabbisogni formativi {}", today.year()),
            opens_on: today - Duration::days(120),
            closes_on: today - Duration::days(60),
            instructions:
                "Indicare per ogni tema quante persone di quali uffici hanno bisogno di formazione."
                    .into(),
            themes: PLANNED_THEMES.iter().map(|t| (*t).to_owned()).collect(),
            status: CampaignStatus::Open,
        },
    )
    .await?;
    for (comune, staff) in comuni.iter().zip(people) {
        let mut named = staff.iter().copied();
        for theme in PLANNED_THEMES {
            if rng.random::<f64>() < 0.35 {
                continue;
            }
            // Roughly one person in five of the staff per theme, at least one.
            let headcount = (staff.len() / 5).clamp(1, 12) as i32;
            let headcount = rng.random_range(1..=headcount);
            let employee_ids: Vec<i64> = if rng.random::<f64>() < 0.3 {
                named.by_ref().take(headcount.min(2) as usize).collect()
            } else {
                Vec::new()
            };
            let fields = NeedFields {
                theme_code: (*theme).into(),
                office_area: (*AREAS.choose(rng).unwrap_or(&"tributi")).into(),
                headcount,
                priority: *[Priority::Alta, Priority::Media, Priority::Bassa]
                    .choose(rng)
                    .unwrap_or(&Priority::Media),
                preferred_modality: *[Modality::InPerson, Modality::LiveWebinar, Modality::Blended]
                    .choose(rng)
                    .unwrap_or(&Modality::Blended),
                notes: String::new(),
                employee_ids,
            };
            add_need(db, &actor, campaign.id, comune, &fields).await?;
        }
        app::campaigns::set_response(
            db,
            &actor,
            campaign.id,
            &comune.istat_code,
            ResponseStatus::Submitted,
            false,
        )
        .await?;
    }
    let close = |mut d: CampaignDraft| {
        d.status = CampaignStatus::Closed;
        d
    };
    app::campaigns::update(db, &actor, campaign.id, close, |_| true)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let name = format!("Piano della formazione {}", today.year() + 1);
    let plan = crate::app::plans::create(db, &actor, campaign.id, &name, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let approve = crate::app::plans::PlanChange {
        name: None,
        status: Some(crate::domain::plan::PlanStatus::Approved),
    };
    let (view, _) = crate::app::plans::update(db, &actor, plan.summary.id, approve, "", |_| true)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(view)
}

struct CoursePlan {
    title: &'static str,
    theme: &'static str,
    hours: f64,
    modality: Modality,
    capacity: i32,
}

impl CoursePlan {
    fn fields(&self, provider: i64) -> CourseFields {
        CourseFields {
            title: self.title.into(),
            description: format!("Corso fittizio di esempio sul tema «{}».", self.title),
            objectives: "Conoscere le regole, applicarle negli uffici comunali, evitare gli errori ricorrenti.".into(),
            theme_code: self.theme.into(),
            provider_id: provider,
            duration: Hours::from_hours(self.hours).unwrap_or_else(|_| Hours::from_hours(4.0).expect("4 hours")),
            modality: self.modality,
            target_office_areas: AREAS.iter().take(5).map(|a| (*a).to_owned()).collect(),
            min_attendance_percent: 80,
            issues_certificate: true,
            status: CourseStatus::Published,
            participant_fee: ParticipantFee::default(),
            language: Language::Italian,
        }
    }
}

fn course_plans() -> Vec<CoursePlan> {
    let plan = |title, theme, hours, modality, capacity| CoursePlan {
        title,
        theme,
        hours,
        modality,
        capacity,
    };
    vec![
        plan(
            "Privacy negli uffici comunali",
            "privacy",
            6.0,
            Modality::InPerson,
            25,
        ),
        plan(
            "Anticorruzione e trasparenza: il PIAO in pratica",
            "anticorruzione_trasparenza",
            4.0,
            Modality::LiveWebinar,
            80,
        ),
        plan(
            "Il nuovo codice dei contratti pubblici",
            "contratti_pubblici",
            8.0,
            Modality::InPerson,
            30,
        ),
        plan(
            "Preposti: formazione particolare aggiuntiva",
            "sicurezza_preposti",
            8.0,
            Modality::InPerson,
            20,
        ),
        plan(
            "Addetti al primo soccorso (gruppo B e C)",
            "primo_soccorso",
            12.0,
            Modality::InPerson,
            20,
        ),
        plan(
            "Servizi digitali: SPID, pagoPA e App IO",
            "digitalizzazione",
            3.0,
            Modality::AsyncWebinar,
            300,
        ),
        plan(
            "Segnaletica e cantieri stradali",
            "viabilita_segnaletica_cantieri",
            8.0,
            Modality::InPerson,
            20,
        ),
        plan(
            "Sicurezza sul lavoro: formazione generale",
            "sicurezza_lavoro_generale",
            4.0,
            Modality::LiveWebinar,
            100,
        ),
    ]
}

fn at(base: DateTime<Utc>, days: i64, hour: u32) -> DateTime<Utc> {
    (base + Duration::days(days))
        .date_naive()
        .and_hms_opt(hour, 0, 0)
        .map_or(base, |t| t.and_utc())
}

fn sessions_for(plan: &CoursePlan, start: DateTime<Utc>, venue: i64) -> Vec<SessionPlan> {
    if plan.modality == Modality::AsyncWebinar {
        return Vec::new();
    }
    let per_session = if plan.hours > 4.0 {
        plan.hours / 2.0
    } else {
        plan.hours
    };
    let count = if plan.hours > 4.0 { 2 } else { 1 };
    (0..count)
        .map(|k| {
            let starts = at(start, 7 * k, 8);
            SessionPlan {
                starts_at: starts,
                ends_at: starts + Duration::minutes((per_session * 60.0) as i64),
                venue_id: (plan.modality == Modality::InPerson).then_some(venue),
            }
        })
        .collect()
}

/// One edition: open for enrolment (with a waitlist), or — `past` — already held, with
/// attendance, certificates and feedback. Returns (enrolments, certificates, feedback).
#[allow(clippy::too_many_arguments)]
async fn run_edition(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    course: &crate::domain::course::Course,
    plan: &CoursePlan,
    venue: i64,
    past: bool,
    everyone: &[(i64, IstatCode)],
    (demo_employee, actor): (i64, i64),
    province: &str,
) -> anyhow::Result<(usize, usize, usize)> {
    let now = store::now();
    let upcoming = at(now, rng.random_range(25..50), 8);
    let mut fields = EditionFields {
        title: if past {
            "Edizione di primavera".into()
        } else {
            "Edizione d'autunno".into()
        },
        delivery: plan.modality,
        capacity: Capacity::new(plan.capacity)?,
        enrolment_opens_at: now - Duration::days(3),
        enrolment_closes_at: now + Duration::days(14),
        available_from: (plan.modality == Modality::AsyncWebinar).then_some(upcoming),
        available_until: (plan.modality == Modality::AsyncWebinar)
            .then(|| upcoming + Duration::days(60)),
        access_url: (plan.modality != Modality::InPerson)
            .then(|| "https://webinar.demo.example/aula".to_owned()),
        self_enrolment: true,
        comune_quota: (plan.capacity <= 30)
            .then(|| ComuneQuota::new(6, plan.capacity))
            .transpose()?,
        status: EditionStatus::Open,
        sessions: sessions_for(plan, upcoming, venue),
    };
    let edition = store::courses::create_edition(db, course.id, &fields).await?;
    // In arrival order, a little more than the seats: a waitlist forms.
    let wanted = (plan.capacity as usize * if past { 1 } else { 6 } / 5).min(everyone.len());
    let mut chosen: Vec<i64> = everyone
        .choose_multiple(rng, wanted)
        .map(|(id, _)| *id)
        .filter(|&id| id != demo_employee)
        .collect();
    // The demo employee has a course behind them and one ahead.
    if past || plan.modality == Modality::InPerson {
        chosen.insert(0, demo_employee);
    }
    for &id in &chosen {
        store::enrolments::enrol(db, EditionId(edition.id), EmployeeId(id), actor).await?;
    }
    if !past {
        return Ok((chosen.len(), 0, 0));
    }
    // Move the edition into the past and run it.
    let held = at(now, -rng.random_range(30..90), 8);
    fields.enrolment_opens_at = held - Duration::days(40);
    fields.enrolment_closes_at = held - Duration::days(5);
    fields.status = EditionStatus::Completed;
    fields.sessions = sessions_for(plan, held, venue);
    if plan.modality == Modality::AsyncWebinar {
        fields.available_from = Some(held);
        fields.available_until = Some(held + Duration::days(30));
    }
    let edition =
        store::courses::replace_edition(db, edition.id, &fields, edition.updated_at).await?;
    let seated = store::enrolments::list(
        db,
        &EnrolmentFilter {
            edition_id: Some(EditionId(edition.id)),
            status: Some(EnrolmentStatus::Confirmed),
            ..Default::default()
        },
    )
    .await?;
    let sessions = store::attendance::sessions(db, EditionId(edition.id)).await?;
    let minutes_of = |s: &Session| (s.ends_at - s.starts_at).num_minutes() as i32;
    if plan.modality == Modality::AsyncWebinar {
        for e in &seated {
            let share: f64 = rng.random_range(0.5..1.0);
            let minutes = (plan.hours * 60.0 * share) as i32;
            store::attendance::credit_async(db, e.id, minutes, actor).await?;
        }
    } else {
        for session in &sessions {
            let marks: Vec<Mark> = seated
                .iter()
                .map(|e| {
                    let roll: f64 = rng.random();
                    let minutes = if roll < 0.85 {
                        minutes_of(session)
                    } else if roll < 0.95 {
                        minutes_of(session) / 2
                    } else {
                        0
                    };
                    Mark {
                        enrolment_id: e.id,
                        present: minutes > 0,
                        minutes,
                    }
                })
                .collect();
            store::attendance::record(db, session, &marks, actor).await?;
        }
    }
    let mut certificates = 0;
    let mut feedback = 0;
    for e in &seated {
        let e = store::enrolments::find(db, e.id).await?;
        if e.status != EnrolmentStatus::Completed {
            continue;
        }
        store::attendance::certificate(db, e.id, province).await?;
        certificates += 1;
        if rng.random_bool(0.6) {
            let score = |rng: &mut StdRng| rng.random_range(3..=5);
            let comments = [
                "",
                "",
                "Molto utile per il lavoro quotidiano.",
                "Docente chiaro e disponibile.",
                "Servirebbero più esempi pratici.",
                "Aula scomoda, contenuti ottimi.",
            ];
            let answers = store::attendance::Answers {
                content: score(rng),
                teacher: score(rng),
                organisation: score(rng),
                usefulness: score(rng),
                comment: (*comments.choose(rng).unwrap_or(&"")).to_owned(),
            };
            store::attendance::give_feedback(db, e.id, &answers).await?;
            feedback += 1;
        }
    }
    Ok((chosen.len(), certificates, feedback))
}
