//! The needs survey's campaigns: what the Province's office does with them.
use std::collections::HashMap;

use sea_orm::{DatabaseConnection, TransactionTrait};

use super::AppError;
use crate::domain::DomainError;
use crate::domain::access::{Actor, Operation, Scope};
use chrono::{DateTime, Utc};

use crate::domain::campaign::{
    Campaign, CampaignDraft, CampaignStatus, Need, Response, ResponseStatus, distance_band,
};
use crate::domain::comune::IstatCode;
use crate::domain::notification::campaign_topic;
use crate::domain::notification::{Reminder, campaign_reminder, comune_recipients};

use crate::store::{self, StoreError};

/// Every campaign, newest first. The admin and the referenti.
///
/// # Errors
/// `Forbidden` for other roles.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Campaign>, AppError> {
    actor.authorize(Operation::ReadCampaigns)?;
    Ok(store::campaigns::list(db).await?)
}

/// One campaign. The admin and the referenti.
///
/// # Errors
/// `Forbidden`; `NotFound`.
pub async fn read(db: &DatabaseConnection, actor: &Actor, id: i64) -> Result<Campaign, AppError> {
    actor.authorize(Operation::ReadCampaigns)?;
    Ok(store::campaigns::find(db, id).await?)
}

/// Creates a campaign, its themes checked against the taxonomy.
///
/// # Errors
/// `Forbidden` unless admin; `Invalid` naming every bad field.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    draft: CampaignDraft,
) -> Result<Campaign, AppError> {
    actor.authorize(Operation::ManageCampaigns)?;
    let txn = store::begin_write(db).await?;
    let fields = draft.check(&theme_codes(&txn).await?)?;
    let campaign = store::campaigns::create(&txn, &fields).await?;
    txn.commit().await?;
    Ok(campaign)
}

/// Changes a campaign: `change` turns the stored campaign's draft into the new one, which
/// is checked (422) before `precondition` — the caller's `If-Match` — is asked about the
/// campaign as read (412), then the lifecycle (`draft` → `open` → `closed` → `open`, 409);
/// the write is conditional on the version read, all in one transaction.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid`; `PreconditionFailed`; `Conflict`.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    change: impl FnOnce(CampaignDraft) -> CampaignDraft,
    precondition: impl FnOnce(&Campaign) -> bool,
) -> Result<Campaign, AppError> {
    actor.authorize(Operation::ManageCampaigns)?;
    let txn = store::begin_write(db).await?;
    store::campaigns::lock_for_update(&txn, id).await?;
    let current = store::campaigns::find(&txn, id).await?;
    let draft = change(CampaignDraft::from(&current.fields));
    let fields = draft.check(&theme_codes(&txn).await?)?;
    if !precondition(&current) {
        return Err(StoreError::PreconditionFailed.into());
    }
    if !current.fields.status.can_become(fields.status) {
        return Err(StoreError::Conflict {
            detail: format!(
                "Una rilevazione non passa da «{}» a «{}».",
                current.fields.status.as_str(),
                fields.status.as_str()
            ),
        }
        .into());
    }
    let updated = store::campaigns::replace(&txn, id, &fields, current.updated_at).await?;
    txn.commit().await?;
    Ok(updated)
}

/// A comune's answer to a campaign, as the tracking shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub response: Response,
    pub comune_name: String,
    /// When the last reminder was queued for the comune.
    pub reminded_at: Option<DateTime<Utc>>,
}

/// Each comune's answer to a campaign (the admin sees every comune, a referente their
/// own), with when each was last reminded.
///
/// # Errors
/// `Forbidden` for other roles; `NotFound`.
pub async fn answers(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
) -> Result<Vec<Answer>, AppError> {
    actor.authorize(Operation::ReadCampaigns)?;
    let campaign = store::campaigns::find(db, campaign_id).await?;
    let scope = actor.scope();
    let comuni: Vec<_> = store::comuni::list(db)
        .await?
        .into_iter()
        .filter(|c| match &scope {
            Scope::Comune(own) => c.istat_code == *own,
            _ => true,
        })
        .collect();
    let codes: Vec<String> = comuni
        .iter()
        .map(|c| c.istat_code.as_str().to_owned())
        .collect();
    let responses = store::campaigns::responses(db, campaign.id, &codes).await?;
    let topics = campaign_topic(campaign.id, "");
    let reminded = store::outbox::last_queued(db, "campaign_reminder", &topics).await?;
    Ok(responses
        .into_iter()
        .zip(comuni)
        .map(|(response, comune)| Answer {
            reminded_at: reminded
                .get(&campaign_topic(campaign.id, comune.istat_code.as_str()))
                .copied(),
            comune_name: comune.name,
            response,
        })
        .collect())
}

/// Submits a comune's answer (its referente or the admin, while the campaign is open) or
/// reopens it as a draft (the admin).
///
/// # Errors
/// `NotFound` for an unknown comune or campaign; `Forbidden`; `Invalid` for any other
/// status; `Conflict` when the campaign is not open or the lines contradict `no_needs`.
pub async fn set_response(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    comune: &IstatCode,
    status: ResponseStatus,
    no_needs: bool,
) -> Result<(), AppError> {
    store::comuni::find(db, comune).await?;
    match status {
        ResponseStatus::Submitted => actor.authorize(Operation::AnswerFor(comune))?,
        ResponseStatus::Draft => actor.authorize(Operation::ManageCampaigns)?,
        ResponseStatus::NotStarted => {
            return Err(DomainError::invalid("status", "valori ammessi: submitted, draft").into());
        }
    }
    Ok(store::campaigns::set_response(db, campaign_id, comune, status, no_needs).await?)
}

/// What a campaign's demand summary is made of: every comune's answer, the need lines,
/// the names for the codes and each comune's distance band from the provincial capital.
#[derive(Debug)]
pub struct SummaryInput {
    pub campaign: Campaign,
    pub responses: Vec<Response>,
    pub needs: Vec<Need>,
    pub labels: Labels,
    /// Distance band (`0-10`, …) of each comune, by ISTAT code.
    pub distance_bands: HashMap<String, &'static str>,
}

/// The material of a campaign's demand summary, the input of the annual plan. Admin only.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`.
pub async fn summary(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
) -> Result<SummaryInput, AppError> {
    actor.authorize(Operation::ManageCampaigns)?;
    let campaign = store::campaigns::find(db, campaign_id).await?;
    let comuni = store::comuni::list(db).await?;
    let codes: Vec<String> = comuni
        .iter()
        .map(|c| c.istat_code.as_str().to_owned())
        .collect();
    let responses = store::campaigns::responses(db, campaign.id, &codes).await?;
    let needs = store::campaigns::needs(db, Some(campaign.id), None).await?;
    let labels = labels(db).await?;
    let distance_bands = comuni
        .iter()
        .map(|c| {
            let km = crate::domain::comune::distance_from_seat(&comuni, c).unwrap_or(0.0);
            (c.istat_code.as_str().to_owned(), distance_band(km))
        })
        .collect();
    Ok(SummaryInput {
        campaign,
        responses,
        needs,
        labels,
        distance_bands,
    })
}

/// The codes of the themes a campaign may offer.
async fn theme_codes(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<String>, AppError> {
    let themes = store::reference::themes(db).await?;
    Ok(themes.into_iter().map(|t| t.code).collect())
}

/// A comune a reminder round wrote to, or could not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemindedComune {
    pub istat_code: String,
    pub name: String,
    /// Messages queued for it, one per address.
    pub messages: u64,
}

/// What a reminder round queued in the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderRound {
    pub messages: u64,
    pub reminded: Vec<RemindedComune>,
    /// Comuni without a referente account or contact address: someone must phone them.
    pub unreachable: Vec<RemindedComune>,
}

/// Queues one reminder per address of every comune (or of the `wanted` ones) that has not
/// submitted its answer to an open campaign. The campaign's state is read and the messages
/// written in one transaction, so a campaign closed meanwhile reminds nobody.
///
/// # Errors
/// `Forbidden` unless admin; `NotFound`; `Invalid` naming each unknown comune
/// (`istat_codes/{i}`); `Conflict` unless the campaign is open.
pub async fn send_reminders(
    db: &DatabaseConnection,
    actor: &Actor,
    campaign_id: i64,
    wanted: Option<&[String]>,
    public_url: &str,
) -> Result<ReminderRound, AppError> {
    actor.authorize(Operation::ManageCampaigns)?;
    let txn = db.begin().await?;
    store::campaigns::lock(&txn, campaign_id).await?;
    let campaign = store::campaigns::find(&txn, campaign_id).await?;
    let comuni = store::comuni::list(&txn).await?;
    if let Some(codes) = wanted {
        let unknown: Vec<DomainError> = codes
            .iter()
            .enumerate()
            .filter(|(_, code)| !comuni.iter().any(|c| c.istat_code.as_str() == *code))
            .map(|(at, _)| {
                DomainError::invalid(
                    &format!("istat_codes/{at}"),
                    "comune inesistente in questa Provincia",
                )
            })
            .collect();
        if !unknown.is_empty() {
            return Err(AppError::Invalid(unknown));
        }
    }
    if campaign.fields.status != CampaignStatus::Open {
        return Err(StoreError::Conflict {
            detail: "La rilevazione non è aperta: non c'è nulla da sollecitare.".into(),
        }
        .into());
    }
    let codes: Vec<String> = comuni
        .iter()
        .map(|c| c.istat_code.as_str().to_owned())
        .collect();
    let answers = store::campaigns::responses(&txn, campaign.id, &codes).await?;
    let referenti = store::users::referenti_emails(&txn).await?;
    let answer_url = format!("{public_url}/campagne/{}", campaign.id);
    let mut messages = Vec::new();
    let mut round = ReminderRound::default();
    for (comune, answer) in comuni.iter().zip(&answers) {
        let code = comune.istat_code.as_str();
        let asked = wanted.is_none_or(|w| w.iter().any(|c| c == code));
        if !asked || answer.status == ResponseStatus::Submitted {
            continue;
        }
        let recipients = comune_recipients(
            referenti.get(code).map_or(&[][..], Vec::as_slice),
            comune.contacts.referente_email.as_deref(),
        );
        let reminder = Reminder {
            campaign_id: campaign.id,
            campaign_title: &campaign.fields.title,
            closes_on: campaign.fields.closes_on,
            comune_code: code,
            comune_name: &comune.name,
            answer_url: &answer_url,
        };
        messages.extend(recipients.iter().map(|r| campaign_reminder(&reminder, r)));
        let entry = RemindedComune {
            istat_code: code.to_owned(),
            name: comune.name.clone(),
            messages: recipients.len() as u64,
        };
        if recipients.is_empty() {
            round.unreachable.push(entry);
        } else {
            round.reminded.push(entry);
        }
    }
    store::outbox::enqueue(&txn, &messages).await?;
    txn.commit().await?;
    round.messages = messages.len() as u64;
    Ok(round)
}

/// Readable names of themes, office areas and comuni, by code, for spreadsheets.
#[derive(Debug, Clone)]
pub struct Labels {
    pub themes: HashMap<String, String>,
    pub areas: HashMap<String, String>,
    pub comuni: HashMap<String, String>,
}

/// The names a spreadsheet shows next to the codes. Reference data: no caller is needed.
///
/// # Errors
/// Database errors only.
pub async fn labels(db: &DatabaseConnection) -> Result<Labels, AppError> {
    let themes = store::reference::themes(db).await?;
    let areas = store::reference::office_areas(db).await?;
    let comuni = store::comuni::list(db).await?;
    Ok(Labels {
        themes: themes.into_iter().map(|t| (t.code, t.name)).collect(),
        areas: areas.into_iter().map(|a| (a.code, a.name)).collect(),
        comuni: comuni
            .into_iter()
            .map(|c| (c.istat_code.as_str().to_owned(), c.name))
            .collect(),
    })
}
