use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_comuni::Comuni;
use crate::m20260101_000004_create_providers::Providers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(string_len(Users::Email, 254))
                    .col(string_len(Users::FullName, 200))
                    .col(string_len(Users::PasswordHash, 200))
                    .col(string_len(Users::Role, 20))
                    .col(string_len_null(Users::ComuneIstatCode, 6))
                    .col(big_integer_null(Users::ProviderId))
                    .col(boolean(Users::Active))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_comune")
                            .from(Users::Table, Users::ComuneIstatCode)
                            .to(Comuni::Table, Comuni::IstatCode)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_provider")
                            .from(Users::Table, Users::ProviderId)
                            .to(Providers::Table, Providers::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("uq_users_email", Users::Email),
            ("ix_users_comune", Users::ComuneIstatCode),
            ("ix_users_provider", Users::ProviderId),
        ] {
            let mut index = Index::create();
            index.name(name).table(Users::Table).col(col);
            if name.starts_with("uq_") {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Users::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Users {
    Table,
    Id,
    Email,
    FullName,
    PasswordHash,
    Role,
    ComuneIstatCode,
    ProviderId,
    Active,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}
