use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000005_create_users::Users;

/// Single-use links that let a person set their password: an invitation (an employee's
/// first access) or a reset ("password dimenticata"). Only the SHA-256 of the secret is
/// kept, so a copy of the database opens no account.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountTokens::Table)
                    .col(big_pk_auto(AccountTokens::Id))
                    .col(big_integer(AccountTokens::UserId))
                    .col(string_len(AccountTokens::Purpose, 20))
                    .col(string_len_uniq(AccountTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(AccountTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountTokens::UsedAt))
                    .col(timestamp_with_time_zone(AccountTokens::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_tokens_user")
                            .from(AccountTokens::Table, AccountTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_account_tokens_user")
                    .table(AccountTokens::Table)
                    .col(AccountTokens::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountTokens::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum AccountTokens {
    Table,
    Id,
    UserId,
    Purpose,
    TokenHash,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}
