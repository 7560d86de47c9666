//! The needs survey's campaigns: what the Province's office does with them.
use std::collections::HashMap;

use sea_orm::{DatabaseConnection, TransactionTrait};

use super::AppError;
use crate::domain::DomainError;
use crate::domain::access::{Actor, Operation};
use crate::domain::campaign::{CampaignStatus, ResponseStatus};
use crate::domain::notification::{Reminder, campaign_reminder, comune_recipients};
use crate::store::{self, StoreError};

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
