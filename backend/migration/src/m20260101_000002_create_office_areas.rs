use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OfficeAreas::Table)
                    .col(string_len(OfficeAreas::Code, 40).primary_key())
                    .col(string_len(OfficeAreas::Name, 120))
                    .col(string_len(OfficeAreas::Description, 500))
                    .col(integer(OfficeAreas::Position))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OfficeAreas::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum OfficeAreas {
    Table,
    Code,
    Name,
    Description,
    Position,
}
