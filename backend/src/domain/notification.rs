//! The e-mails cabina sends, composed as plain text. Delivery is not here: messages go to
//! the outbox in the same transaction as the change that causes them.
use chrono::{DateTime, NaiveDate, Utc};

/// An e-mail waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What the message is about, e.g. `campaign_reminder`.
    pub kind: &'static str,
    /// The thing it concerns, e.g. `campaign/3/comune/008029`.
    pub topic: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A message in the outbox, as queued and as its delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMessage {
    pub id: i64,
    pub kind: String,
    pub topic: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    /// When the sender may try it (again); a claim pushes it forward.
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Not sent yet (never tried, or waiting to retry).
    Pending,
    Sent,
}

/// The outbox topic of a comune's answer to a campaign.
pub fn campaign_topic(campaign_id: i64, comune: &str) -> String {
    format!("campaign/{campaign_id}/comune/{comune}")
}

/// Italian date, as people write it: 31/03/2027.
pub fn italian_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// An instant in Italian local time (CET/CEST), as people write it: "15/03/2027 alle 09:30".
pub fn italian_date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Rome);
    format!(
        "{} alle {}",
        italian_date(local.date_naive()),
        local.format("%H:%M")
    )
}

/// The calendar day in Italy of an instant.
pub fn italian_day(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Rome).date_naive()
}

/// The time of day in Italy, e.g. "09:30".
pub fn italian_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Rome)
        .format("%H:%M")
        .to_string()
}

/// What a reminder is about.
pub struct Reminder<'a> {
    pub campaign_id: i64,
    pub campaign_title: &'a str,
    pub closes_on: NaiveDate,
    pub comune_code: &'a str,
    pub comune_name: &'a str,
    /// Where the referente answers.
    pub answer_url: &'a str,
}

/// A reminder to a comune that has not yet sent its answer.
pub fn campaign_reminder(r: &Reminder<'_>, recipient: &str) -> Message {
    Message {
        kind: "campaign_reminder",
        topic: campaign_topic(r.campaign_id, r.comune_code),
        recipient: recipient.to_owned(),
        subject: format!(
            "Promemoria: {} — risposta del Comune di {}",
            r.campaign_title, r.comune_name
        ),
        body: format!(
            "Gentile referente del Comune di {comune},\n\n\
             la Provincia non ha ancora ricevuto la risposta del Comune alla rilevazione \
             «{title}», che chiude il {closes}.\n\n\
             Bastano pochi minuti: indicare per ogni tema quante persone di quali uffici hanno \
             bisogno di formazione, oppure dichiarare che quest'anno non ci sono fabbisogni.\n\n\
             Rispondere qui: {url}\n\n\
             Grazie,\nServizio formazione della Provincia\n",
            comune = r.comune_name,
            title = r.campaign_title,
            closes = italian_date(r.closes_on),
            url = r.answer_url,
        ),
    }
}

/// Why an enrolment message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolmentNews {
    Confirmed,
    Waitlisted { position: u32 },
    Promoted,
    EditionCancelled,
    StartsSoon,
}

/// What an enrolment message is about.
pub struct EnrolmentNotice<'a> {
    pub enrolment_id: i64,
    pub person: &'a str,
    pub course_title: &'a str,
    pub edition_title: &'a str,
    /// First session or start of availability, already formatted.
    pub starts: &'a str,
}

/// A message to an enrolled person.
pub fn enrolment_message(n: &EnrolmentNotice<'_>, news: EnrolmentNews, recipient: &str) -> Message {
    let course = format!("«{}» ({})", n.course_title, n.edition_title);
    let (kind, subject, text) = match news {
        EnrolmentNews::Confirmed => (
            "enrolment_confirmed",
            format!("Iscrizione confermata: {}", n.course_title),
            format!(
                "la sua iscrizione al corso {course} è confermata. Inizio: {}.",
                n.starts
            ),
        ),
        EnrolmentNews::Waitlisted { position } => (
            "enrolment_waitlisted",
            format!("In lista d'attesa: {}", n.course_title),
            format!(
                "i posti del corso {course} sono esauriti: lei è in lista d'attesa, al posto {position}. \
                 Se si libera un posto sarà iscritto nell'ordine di arrivo e ne riceverà notizia."
            ),
        ),
        EnrolmentNews::Promoted => (
            "enrolment_promoted",
            format!("Si è liberato un posto: {}", n.course_title),
            format!(
                "si è liberato un posto nel corso {course}: la sua iscrizione dalla lista d'attesa è ora confermata. Inizio: {}.",
                n.starts
            ),
        ),
        EnrolmentNews::EditionCancelled => (
            "edition_cancelled",
            format!("Edizione annullata: {}", n.course_title),
            format!(
                "l'edizione del corso {course} è stata annullata. La sua iscrizione non è più valida."
            ),
        ),
        EnrolmentNews::StartsSoon => (
            "edition_reminder",
            format!("Promemoria: {} inizia a breve", n.course_title),
            format!("le ricordiamo che il corso {course} inizia {}.", n.starts),
        ),
    };
    Message {
        kind,
        topic: format!("enrolment/{}", n.enrolment_id),
        recipient: recipient.to_owned(),
        subject,
        body: format!(
            "Gentile {},\n\n{text}\n\nServizio formazione della Provincia\n",
            n.person
        ),
    }
}

/// Who receives a comune's messages: its referenti's accounts and the comune's referente
/// contact, each address once.
pub fn comune_recipients(referenti: &[String], contact: Option<&str>) -> Vec<String> {
    let mut recipients: Vec<String> = Vec::new();
    for address in referenti.iter().map(String::as_str).chain(contact) {
        let address = address.trim();
        if !address.is_empty() && !recipients.iter().any(|r| r.eq_ignore_ascii_case(address)) {
            recipients.push(address.to_owned());
        }
    }
    recipients
}

/// When to try again after `attempts` failed deliveries: 1, 2, 4 … minutes, at most 6 hours.
pub fn retry_delay(attempts: i32) -> chrono::Duration {
    let minutes = 1i64 << attempts.clamp(0, 9);
    chrono::Duration::minutes(minutes.min(360))
}

/// One edition of a published plan, as a comune's message lists it.
pub struct PlannedForComune<'a> {
    pub theme_name: &'a str,
    /// "in presenza a Sala consiliare della Provincia" or "webinar dal vivo".
    pub where_: String,
    pub dates: &'a [NaiveDate],
    pub headcount: u32,
    /// The named people of the comune in this edition.
    pub people: Vec<String>,
}

/// The message telling a comune where its people go in the published annual plan.
pub fn plan_published(
    plan_id: i64,
    plan_name: &str,
    comune_code: &str,
    comune_name: &str,
    editions: &[PlannedForComune<'_>],
    plan_url: &str,
    recipient: &str,
) -> Message {
    let mut lines = Vec::with_capacity(editions.len());
    for e in editions {
        let days: Vec<String> = e.dates.iter().map(|d| italian_date(*d)).collect();
        let mut line = format!(
            "- {}: {}, {} ({} {})",
            e.theme_name,
            e.where_,
            days.join(", "),
            e.headcount,
            if e.headcount == 1 {
                "persona"
            } else {
                "persone"
            }
        );
        if !e.people.is_empty() {
            line.push_str(&format!("; nominati: {}", e.people.join(", ")));
        }
        lines.push(line);
    }
    Message {
        kind: "plan_published",
        topic: format!("plan/{plan_id}/comune/{comune_code}"),
        recipient: recipient.to_owned(),
        subject: format!("Piano della formazione: le edizioni per {comune_name}"),
        body: format!(
            "Gentile referente del Comune di {comune_name},\n\n\
             la Provincia ha pubblicato il piano «{plan_name}». Queste sono le edizioni in cui \
             sono previste le persone del vostro Comune:\n\n{}\n\n\
             Le iscrizioni si fanno in cabina, edizione per edizione; i webinar ricevono il \
             collegamento dall'ente formatore prima dell'apertura.\n\
             Il piano per il vostro Comune: {plan_url}\n",
            lines.join("\n")
        ),
    }
}

/// The outbox topic of messages about one account.
pub fn account_topic(user_id: i64) -> String {
    format!("account/{user_id}")
}

/// An employee's invitation to choose a password and sign in.
pub fn account_invitation(
    user_id: i64,
    recipient: &str,
    full_name: &str,
    comune_name: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Message {
    Message {
        kind: "account_invitation",
        topic: account_topic(user_id),
        recipient: recipient.to_owned(),
        subject: "Formazione del personale: il tuo accesso".into(),
        body: format!(
            "Gentile {full_name},\n\n\
             il Comune di {comune_name} ti ha dato accesso al servizio di formazione della \
             Provincia: potrai vedere i corsi, iscriverti e scaricare i tuoi attestati.\n\n\
             Per scegliere la password e entrare apri questo collegamento (vale fino al \
             {expires} e una volta sola):\n{link}\n\n\
             Il tuo nome utente è questo indirizzo e-mail.\n\
             Se non ti aspettavi questo messaggio, puoi ignorarlo.\n\n\
             Servizio formazione della Provincia\n",
            expires = italian_date_time(expires_at),
        ),
    }
}

/// A link to choose a new password, asked for by the person ("password dimenticata").
pub fn password_reset(
    user_id: i64,
    recipient: &str,
    link: &str,
    expires_at: DateTime<Utc>,
) -> Message {
    Message {
        kind: "password_reset",
        topic: account_topic(user_id),
        recipient: recipient.to_owned(),
        subject: "Formazione del personale: nuova password".into(),
        body: format!(
            "Buongiorno,\n\n\
             è stata chiesta una nuova password per l'accesso al servizio di formazione con \
             questo indirizzo e-mail.\n\n\
             Per sceglierla apri questo collegamento (vale fino al {expires} e una volta \
             sola):\n{link}\n\n\
             Se non l'hai chiesta tu, ignora questo messaggio: la password attuale resta \
             valida.\n\n\
             Servizio formazione della Provincia\n",
            expires = italian_date_time(expires_at),
        ),
    }
}

/// The outbox topic of messages about a proposal to change an edition.
pub fn proposal_topic(proposal_id: i64) -> String {
    format!("edition-change-proposal/{proposal_id}")
}

/// What a proposal asks, in a line per change, for the messages about it.
fn proposal_lines(p: &super::edition_change::ChangeProposal) -> String {
    let c = &p.change;
    let mut lines = Vec::new();
    if let Some(capacity) = c.capacity {
        lines.push(format!("- posti: da {} a {capacity}", p.edition_capacity));
    }
    if let Some(sessions) = &c.sessions {
        let dates: Vec<String> = sessions
            .iter()
            .map(|s| {
                format!(
                    "{} {}–{}",
                    italian_date(italian_day(s.starts_at)),
                    italian_time(s.starts_at),
                    italian_time(s.ends_at)
                )
            })
            .collect();
        lines.push(format!("- sessioni: {}", dates.join("; ")));
    }
    if let Some(from) = c.available_from {
        lines.push(format!("- disponibile dal {}", italian_date_time(from)));
    }
    if let Some(until) = c.available_until {
        lines.push(format!(
            "- disponibile fino al {}",
            italian_date_time(until)
        ));
    }
    if c.cancel {
        lines.push("- annullamento dell'edizione (gli iscritti saranno avvisati)".into());
    }
    lines.join("\n")
}

/// Tells the Province's office that a provider proposes to change an edition.
pub fn proposal_submitted(
    p: &super::edition_change::ChangeProposal,
    recipient: &str,
    link: &str,
) -> Message {
    Message {
        kind: "edition_change_proposed",
        topic: proposal_topic(p.id),
        recipient: recipient.to_owned(),
        subject: format!(
            "Proposta di modifica: {} – {}",
            p.course_title, p.edition_title
        ),
        body: format!(
            "Buongiorno,\n\n\
             {provider} propone di modificare l'edizione «{edition}» del corso «{course}»:\n\
             {lines}\n\n\
             Motivo: {reason}\n\n\
             La modifica vale solo dopo la vostra approvazione:\n{link}\n\n\
             Servizio formazione della Provincia\n",
            provider = p.provider_name,
            edition = p.edition_title,
            course = p.course_title,
            lines = proposal_lines(p),
            reason = p.reason,
        ),
    }
}

/// Tells the provider what the Province decided about its proposal.
pub fn proposal_decided(p: &super::edition_change::ChangeProposal, recipient: &str) -> Message {
    let approved = p.status == super::edition_change::ProposalStatus::Approved;
    let note = if p.decision_note.is_empty() {
        String::new()
    } else {
        format!("Nota della Provincia: {}\n\n", p.decision_note)
    };
    Message {
        kind: "edition_change_decided",
        topic: proposal_topic(p.id),
        recipient: recipient.to_owned(),
        subject: format!(
            "Modifica {}: {} – {}",
            if approved { "approvata" } else { "respinta" },
            p.course_title,
            p.edition_title
        ),
        body: format!(
            "Buongiorno,\n\n\
             la Provincia ha {verb} la modifica proposta per l'edizione «{edition}» del corso \
             «{course}»:\n{lines}\n\n{note}{after}\
             Servizio formazione della Provincia\n",
            verb = if approved { "approvato" } else { "respinto" },
            edition = p.edition_title,
            course = p.course_title,
            lines = proposal_lines(p),
            after = if approved {
                "La modifica è già applicata all'edizione.\n\n"
            } else {
                "L'edizione resta com'era.\n\n"
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_names_the_comune_the_deadline_and_the_link() {
        let m = campaign_reminder(
            &Reminder {
                campaign_id: 3,
                campaign_title: "Rilevazione 2027",
                closes_on: NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
                comune_code: "008029",
                comune_name: "Dolceacqua",
                answer_url: "https://cabina.example/campagne/3",
            },
            "ref@comune.example",
        );
        assert_eq!(m.topic, "campaign/3/comune/008029");
        assert!(m.subject.contains("Dolceacqua"));
        assert!(m.body.contains("31/03/2027"));
        assert!(m.body.contains("https://cabina.example/campagne/3"));
    }

    #[test]
    fn recipients_are_the_referenti_and_the_contact_once_each() {
        let referenti = vec!["a@x.it".to_owned(), "b@x.it".to_owned()];
        assert_eq!(
            comune_recipients(&referenti, Some("A@X.IT")),
            vec!["a@x.it", "b@x.it"]
        );
        assert_eq!(comune_recipients(&[], Some("c@x.it")), vec!["c@x.it"]);
        assert!(comune_recipients(&[], None).is_empty());
    }

    #[test]
    fn times_are_told_in_italian_local_time() {
        let winter = chrono::DateTime::parse_from_rfc3339("2027-03-15T08:30:00Z").unwrap();
        let summer = chrono::DateTime::parse_from_rfc3339("2027-07-15T08:30:00Z").unwrap();
        assert_eq!(italian_date_time(winter.into()), "15/03/2027 alle 09:30");
        assert_eq!(italian_time(summer.into()), "10:30");
    }

    #[test]
    fn retries_back_off_up_to_six_hours() {
        assert_eq!(retry_delay(0), chrono::Duration::minutes(1));
        assert_eq!(retry_delay(3), chrono::Duration::minutes(8));
        assert_eq!(retry_delay(50), chrono::Duration::minutes(360));
    }
}
