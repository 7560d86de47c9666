use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000004_create_providers::Providers;
use crate::m20260101_000005_create_users::Users;
use crate::m20260201_000001_create_catalogue::Editions;

/// Who decides a published edition's seats, dates and cancellation: a provider proposes,
/// the Province approves — unless the admin lets that provider act alone
/// (`edition_changes_need_approval` false). The proposal keeps the change it asks for,
/// the reason, and the decision with its author, as the record of who decided what.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Providers::Table)
                    .add_column(boolean(Approval::EditionChangesNeedApproval).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EditionChangeProposals::Table)
                    .col(big_pk_auto(EditionChangeProposals::Id))
                    .col(big_integer(EditionChangeProposals::EditionId))
                    .col(big_integer_null(EditionChangeProposals::ProposedBy))
                    .col(text(EditionChangeProposals::Reason))
                    .col(integer_null(EditionChangeProposals::Capacity))
                    .col(text_null(EditionChangeProposals::Sessions))
                    .col(timestamp_with_time_zone_null(
                        EditionChangeProposals::AvailableFrom,
                    ))
                    .col(timestamp_with_time_zone_null(
                        EditionChangeProposals::AvailableUntil,
                    ))
                    .col(boolean(EditionChangeProposals::Cancel))
                    .col(string_len(EditionChangeProposals::Status, 20))
                    .col(big_integer_null(EditionChangeProposals::DecidedBy))
                    .col(text(EditionChangeProposals::DecisionNote))
                    .col(timestamp_with_time_zone_null(
                        EditionChangeProposals::DecidedAt,
                    ))
                    .col(timestamp_with_time_zone(EditionChangeProposals::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_edition_change_proposals_edition")
                            .from(
                                EditionChangeProposals::Table,
                                EditionChangeProposals::EditionId,
                            )
                            .to(Editions::Table, Editions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_edition_change_proposals_proposer")
                            .from(
                                EditionChangeProposals::Table,
                                EditionChangeProposals::ProposedBy,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_edition_change_proposals_decider")
                            .from(
                                EditionChangeProposals::Table,
                                EditionChangeProposals::DecidedBy,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_edition_change_proposals_edition")
                    .table(EditionChangeProposals::Table)
                    .col(EditionChangeProposals::EditionId)
                    .col(EditionChangeProposals::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(EditionChangeProposals::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Providers::Table)
                    .drop_column(Approval::EditionChangesNeedApproval)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Approval {
    EditionChangesNeedApproval,
}

#[derive(DeriveIden)]
pub enum EditionChangeProposals {
    Table,
    Id,
    EditionId,
    ProposedBy,
    Reason,
    Capacity,
    Sessions,
    AvailableFrom,
    AvailableUntil,
    Cancel,
    Status,
    DecidedBy,
    DecisionNote,
    DecidedAt,
    CreatedAt,
}
