use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Comuni::Table)
                    .col(string_len(Comuni::IstatCode, 6).primary_key())
                    .col(string_len(Comuni::Name, 120))
                    .col(string_len(Comuni::ProvinceCode, 3))
                    .col(string_len(Comuni::ProvinceSigla, 2))
                    .col(string_len(Comuni::RegionName, 60))
                    .col(string_len(Comuni::CadastralCode, 4))
                    .col(string_len_null(Comuni::PostalCode, 5))
                    .col(boolean(Comuni::IsProvincialCapital))
                    .col(integer_null(Comuni::Population))
                    .col(date_null(Comuni::PopulationDate))
                    .col(double(Comuni::Latitude))
                    .col(double(Comuni::Longitude))
                    .col(string_len_null(Comuni::ReferenteEmail, 254))
                    .col(string_len_null(Comuni::Pec, 254))
                    .col(string_len_null(Comuni::Phone, 30))
                    .col(string_len_null(Comuni::Unione, 200))
                    .col(timestamp_with_time_zone(Comuni::CreatedAt))
                    .col(timestamp_with_time_zone(Comuni::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_comuni_cadastral_code")
                    .table(Comuni::Table)
                    .col(Comuni::CadastralCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_comuni_province_sigla")
                    .table(Comuni::Table)
                    .col(Comuni::ProvinceSigla)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Comuni::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Comuni {
    Table,
    IstatCode,
    Name,
    ProvinceCode,
    ProvinceSigla,
    RegionName,
    CadastralCode,
    PostalCode,
    IsProvincialCapital,
    Population,
    PopulationDate,
    Latitude,
    Longitude,
    ReferenteEmail,
    Pec,
    Phone,
    Unione,
    CreatedAt,
    UpdatedAt,
}
