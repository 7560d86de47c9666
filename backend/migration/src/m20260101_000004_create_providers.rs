use sea_orm_migration::{prelude::*, schema::*};

/// Training providers. The foundation needs only their identity, so that provider staff
/// can be given accounts; the catalogue adds the rest of the profile.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Providers::Table)
                    .col(big_pk_auto(Providers::Id))
                    .col(string_len(Providers::Name, 200))
                    .col(timestamp_with_time_zone(Providers::CreatedAt))
                    .col(timestamp_with_time_zone(Providers::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Providers::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Providers {
    Table,
    Id,
    Name,
    CreatedAt,
    UpdatedAt,
}
