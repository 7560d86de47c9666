use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_comuni::Comuni;
use crate::m20260101_000002_create_office_areas::OfficeAreas;
use crate::m20260101_000003_create_themes::Themes;

/// The yearly needs survey: campaigns, each comune's answer, and the need lines.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaigns::Table)
                    .col(big_pk_auto(Campaigns::Id))
                    .col(integer(Campaigns::Year))
                    .col(string_len(Campaigns::Title, 200))
                    .col(date(Campaigns::OpensOn))
                    .col(date(Campaigns::ClosesOn))
                    .col(text(Campaigns::Instructions))
                    .col(string_len(Campaigns::Themes, 2000))
                    .col(string_len(Campaigns::Status, 20))
                    .col(timestamp_with_time_zone(Campaigns::CreatedAt))
                    .col(timestamp_with_time_zone(Campaigns::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CampaignResponses::Table)
                    .col(big_integer(CampaignResponses::CampaignId))
                    .col(string_len(CampaignResponses::ComuneIstatCode, 6))
                    .col(string_len(CampaignResponses::Status, 20))
                    .col(boolean(CampaignResponses::NoNeeds))
                    .col(timestamp_with_time_zone_null(
                        CampaignResponses::SubmittedAt,
                    ))
                    .col(timestamp_with_time_zone(CampaignResponses::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(CampaignResponses::CampaignId)
                            .col(CampaignResponses::ComuneIstatCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_responses_campaign")
                            .from(CampaignResponses::Table, CampaignResponses::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_responses_comune")
                            .from(CampaignResponses::Table, CampaignResponses::ComuneIstatCode)
                            .to(Comuni::Table, Comuni::IstatCode),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Needs::Table)
                    .col(big_pk_auto(Needs::Id))
                    .col(big_integer(Needs::CampaignId))
                    .col(string_len(Needs::ComuneIstatCode, 6))
                    .col(string_len(Needs::ThemeCode, 40))
                    .col(string_len(Needs::OfficeAreaCode, 40))
                    .col(integer(Needs::Headcount))
                    .col(string_len(Needs::Priority, 10))
                    .col(string_len(Needs::PreferredModality, 20))
                    .col(text(Needs::Notes))
                    .col(timestamp_with_time_zone(Needs::CreatedAt))
                    .col(timestamp_with_time_zone(Needs::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_needs_campaign")
                            .from(Needs::Table, Needs::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_needs_comune")
                            .from(Needs::Table, Needs::ComuneIstatCode)
                            .to(Comuni::Table, Comuni::IstatCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_needs_theme")
                            .from(Needs::Table, Needs::ThemeCode)
                            .to(Themes::Table, Themes::Code),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_needs_office_area")
                            .from(Needs::Table, Needs::OfficeAreaCode)
                            .to(OfficeAreas::Table, OfficeAreas::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_needs_campaign_comune_theme_area")
                    .table(Needs::Table)
                    .col(Needs::CampaignId)
                    .col(Needs::ComuneIstatCode)
                    .col(Needs::ThemeCode)
                    .col(Needs::OfficeAreaCode)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Needs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CampaignResponses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Campaigns::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Campaigns {
    Table,
    Id,
    Year,
    Title,
    OpensOn,
    ClosesOn,
    Instructions,
    /// Codes of the themes offered, comma-separated.
    Themes,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum CampaignResponses {
    Table,
    CampaignId,
    ComuneIstatCode,
    Status,
    NoNeeds,
    SubmittedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Needs {
    Table,
    Id,
    CampaignId,
    ComuneIstatCode,
    ThemeCode,
    OfficeAreaCode,
    Headcount,
    Priority,
    PreferredModality,
    Notes,
    CreatedAt,
    UpdatedAt,
}
