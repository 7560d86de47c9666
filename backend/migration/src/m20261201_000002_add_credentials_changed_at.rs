use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000005_create_users::Users;

/// When a user's password last changed: tokens issued before it stop working.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(timestamp_with_time_zone_null(
                        Credentials::CredentialsChangedAt,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Credentials::CredentialsChangedAt)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Credentials {
    CredentialsChangedAt,
}
