use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000005_create_users::Users;
use crate::m20260201_000001_create_catalogue::{Courses, Editions};
use crate::m20260401_000001_create_campaigns::Campaigns;

/// Annual plans computed from a closed campaign, and what their publication put in the
/// catalogue (so that publishing twice creates nothing twice).
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Plans::Table)
                    .col(big_pk_auto(Plans::Id))
                    .col(big_integer(Plans::CampaignId))
                    .col(string_len(Plans::Name, 120))
                    .col(string_len(Plans::Status, 20))
                    // The planner's input (parameters included) and its answer, as JSON: a
                    // plan can be reproduced from what it stores.
                    .col(text(Plans::Input))
                    .col(text(Plans::Plan))
                    // Headline figures, for lists without reading the JSON.
                    .col(big_integer(Plans::TotalCents))
                    .col(big_integer(Plans::LowerBoundCents))
                    .col(big_integer(Plans::StandaloneCents))
                    .col(big_integer(Plans::PeopleRequested))
                    .col(big_integer(Plans::PeopleServed))
                    .col(integer(Plans::Editions))
                    .col(big_integer_null(Plans::CreatedBy))
                    .col(timestamp_with_time_zone(Plans::CreatedAt))
                    .col(timestamp_with_time_zone(Plans::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Plans::ApprovedAt))
                    .col(timestamp_with_time_zone_null(Plans::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plans_campaign")
                            .from(Plans::Table, Plans::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plans_created_by")
                            .from(Plans::Table, Plans::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_plans_campaign")
                    .table(Plans::Table)
                    .col(Plans::CampaignId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PlanPublications::Table)
                    .col(big_pk_auto(PlanPublications::Id))
                    .col(big_integer(PlanPublications::PlanId))
                    // `course/{theme}` for a course, the planned edition's key for an edition.
                    .col(string_len(PlanPublications::ItemKey, 200))
                    .col(big_integer(PlanPublications::CourseId))
                    .col(big_integer_null(PlanPublications::EditionId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_publications_plan")
                            .from(PlanPublications::Table, PlanPublications::PlanId)
                            .to(Plans::Table, Plans::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_publications_course")
                            .from(PlanPublications::Table, PlanPublications::CourseId)
                            .to(Courses::Table, Courses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_plan_publications_edition")
                            .from(PlanPublications::Table, PlanPublications::EditionId)
                            .to(Editions::Table, Editions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_plan_publications_item")
                    .table(PlanPublications::Table)
                    .col(PlanPublications::PlanId)
                    .col(PlanPublications::ItemKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PlanPublications::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Plans::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Plans {
    Table,
    Id,
    CampaignId,
    Name,
    Status,
    Input,
    Plan,
    TotalCents,
    LowerBoundCents,
    StandaloneCents,
    PeopleRequested,
    PeopleServed,
    Editions,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    ApprovedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
pub enum PlanPublications {
    Table,
    Id,
    PlanId,
    ItemKey,
    CourseId,
    EditionId,
}
