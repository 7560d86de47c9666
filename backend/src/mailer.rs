//! Delivers the outbox over SMTP (`CABINA_SMTP_URL`). Without it nothing is sent and the
//! admin reads the messages in the outbox; with it, due messages go out as soon as they
//! are queued, and failures are retried with a growing delay.
use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

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

    async fn send(&self, message: &QueuedMessage) -> anyhow::Result<()> {
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(message.recipient.parse()?)
            .subject(&message.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())?;
        self.transport.send(email).await?;
        Ok(())
    }

    /// Sends what is due until nothing is, then waits to be woken (or for the poll).
    pub async fn run(self, db: DatabaseConnection, wake: Arc<Notify>) {
        loop {
            loop {
                match self.deliver_due(&db).await {
                    Ok(0) => break,
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
            }
        }
    }

    /// One round: claims due messages and sends them. Returns how many were claimed.
    async fn deliver_due(&self, db: &DatabaseConnection) -> Result<usize, store::StoreError> {
        let due = store::outbox::claim_due(db, BATCH).await?;
        for message in &due {
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
