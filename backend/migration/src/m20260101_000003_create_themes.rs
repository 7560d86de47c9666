use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Themes::Table)
                    .col(string_len(Themes::Code, 40).primary_key())
                    .col(string_len(Themes::Name, 120))
                    .col(string_len(Themes::Description, 1000))
                    .col(boolean(Themes::Priority))
                    .col(boolean(Themes::Mandatory))
                    .col(integer_null(Themes::RefresherMonths))
                    .col(boolean(Themes::ForbidsElearning))
                    .col(integer(Themes::Position))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Themes::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Themes {
    Table,
    Code,
    Name,
    Description,
    Priority,
    Mandatory,
    RefresherMonths,
    ForbidsElearning,
    Position,
}
