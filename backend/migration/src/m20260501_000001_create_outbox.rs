use sea_orm_migration::{prelude::*, schema::*};

/// Outgoing e-mail. Every message is written here in the same transaction as the change
/// that causes it, and a sender delivers it later: nothing is lost when SMTP is down or
/// not configured.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutboxMessages::Table)
                    .col(big_pk_auto(OutboxMessages::Id))
                    .col(string_len(OutboxMessages::Kind, 40))
                    .col(string_len(OutboxMessages::Topic, 200))
                    .col(string_len(OutboxMessages::Recipient, 254))
                    .col(string_len(OutboxMessages::Subject, 300))
                    .col(text(OutboxMessages::Body))
                    .col(integer(OutboxMessages::Attempts))
                    .col(text_null(OutboxMessages::LastError))
                    .col(timestamp_with_time_zone(OutboxMessages::CreatedAt))
                    .col(timestamp_with_time_zone(OutboxMessages::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboxMessages::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_messages_due")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::SentAt)
                    .col(OutboxMessages::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_messages_topic")
                    .table(OutboxMessages::Table)
                    .col(OutboxMessages::Topic)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutboxMessages::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum OutboxMessages {
    Table,
    Id,
    /// What the message is about, e.g. `campaign_reminder`.
    Kind,
    /// The thing it concerns, e.g. `campaign/3/comune/008029`, to find reminders already sent.
    Topic,
    Recipient,
    Subject,
    Body,
    Attempts,
    LastError,
    CreatedAt,
    NextAttemptAt,
    SentAt,
}
