//! Delivers the outbox over SMTP (`CABINA_SMTP_URL`). Without it nothing is sent and the
//! admin reads the messages in the outbox; with it, due messages go out as soon as they
//! are queued, and failures are retried with a growing delay.
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::DatabaseConnection;
use tokio::sync::{Notify, watch};

use crate::domain::notification::QueuedMessage;
use crate::store;

/// How often the outbox is looked at when nobody wakes the sender.
const POLL: Duration = Duration::from_secs(30);
/// Messages sent per round.
const BATCH: u64 = 50;

/// An SMTP sender bound to a sender address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A sender for `smtp://`, `smtps://` or `smtp://…?tls=required` URLs.
    ///
    /// # Errors
    /// A malformed URL or sender address.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("CABINA_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| anyhow::anyhow!("CABINA_MAIL_FROM {from:?}: {e}"))?;
        Ok(Self { transport, from })
    }

    /// The message as it goes on the wire. Its `Message-ID` is derived from the outbox row,
    /// so a retry after an uncertain delivery carries the same id and the recipient's server
    /// can tell it is the same message; `Date` is added by the builder.
    fn email(&self, message: &QueuedMessage) -> anyhow::Result<lettre::Message> {
        let message_id = format!(
            "<cabina.{}.{}@{}>",
            message.id,
            message.created_at.timestamp(),
            self.from.email.domain()
        );
        Ok(lettre::Message::builder()
            .message_id(Some(message_id))
            .from(self.from.clone())
            .to(message.recipient.parse()?)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())?)
    }

    async fn send(&self, message: &QueuedMessage) -> anyhow::Result<()> {
        self.transport.send(self.email(message)?).await?;
        Ok(())
    }

    /// Sends what is due until nothing is, then waits to be woken (or for the poll), until
    /// `stop` turns true: then it returns between two messages, never during one, so that
    /// no message is sent without being marked sent.
    pub async fn run(
        self,
        db: DatabaseConnection,
        wake: Arc<Notify>,
        mut stop: watch::Receiver<bool>,
    ) {
        while !*stop.borrow() {
            loop {
                match self.deliver_due(&db, &stop).await {
                    Ok(0) => break,
                    Ok(_) if *stop.borrow() => return,
                    Ok(_) => {}
                    Err(e) => {
                        tracing::warn!(error = %e, "outbox: could not read the queue");
                        break;
                    }
                }
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(POLL) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// One round: claims due messages and sends them. Returns how many were claimed.
    async fn deliver_due(
        &self,
        db: &DatabaseConnection,
        stop: &watch::Receiver<bool>,
    ) -> Result<usize, store::StoreError> {
        let due = store::outbox::claim_due(db, BATCH).await?;
        for message in &due {
            if *stop.borrow() {
                // The rest stay claimed for a few minutes, then another replica (or this
                // one, restarted) sends them.
                break;
            }
            match self.send(message).await {
                Ok(()) => store::outbox::mark_sent(db, message.id).await?,
                Err(e) => {
                    // The id, never the address: logs carry no personal data.
                    tracing::warn!(message_id = message.id, error = %e, "outbox: delivery failed");
                    store::outbox::mark_failed(db, message, &e.to_string()).await?;
                }
            }
        }
        Ok(due.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn queued(id: i64) -> QueuedMessage {
        let created = chrono::Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap();
        QueuedMessage {
            id,
            kind: "notice".into(),
            topic: "t".into(),
            recipient: "anna.rossi@comune.example".into(),
            subject: "Iscrizione confermata".into(),
            body: "Gentile Anna, …".into(),
            attempts: 0,
            last_error: None,
            created_at: created,
            next_attempt_at: created,
            sent_at: None,
        }
    }

    fn headers(mailer: &Mailer, message: &QueuedMessage) -> String {
        let wire = String::from_utf8(mailer.email(message).unwrap().formatted()).unwrap();
        wire.split("\r\n\r\n").next().unwrap().to_owned()
    }

    // The SMTP transport wants a Tokio runtime even when it sends nothing.
    #[tokio::test]
    async fn every_message_has_a_date_and_a_message_id_stable_across_retries() {
        let mailer = Mailer::new(
            "smtp://127.0.0.1:2525",
            "Formazione <noreply@provincia.imperia.it>",
        )
        .unwrap();
        let first = headers(&mailer, &queued(42));
        assert!(
            first.contains("\r\nDate: ") || first.starts_with("Date: "),
            "{first}"
        );
        let id_of = |h: &str| {
            h.lines()
                .find_map(|l| l.strip_prefix("Message-ID: "))
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("no Message-ID in {h}"))
        };
        let id = id_of(&first);
        assert_eq!(id, "<cabina.42.1803891600@provincia.imperia.it>");
        assert_eq!(
            id_of(&headers(&mailer, &queued(42))),
            id,
            "a retry keeps its id"
        );
        assert_ne!(id_of(&headers(&mailer, &queued(43))), id);
    }
}
