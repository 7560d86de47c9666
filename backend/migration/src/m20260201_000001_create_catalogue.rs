use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_comuni::Comuni;
use crate::m20260101_000002_create_office_areas::OfficeAreas;
use crate::m20260101_000003_create_themes::Themes;
use crate::m20260101_000004_create_providers::Providers;

/// The catalogue: the providers' full profile, venues, courses and their editions with
/// sessions. Courses and editions are soft-deleted (`deleted_at`), so that a mirror polling
/// with `updated_since` learns of a deletion as a tombstone.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        extend_providers(manager).await?;
        create_provider_themes(manager).await?;
        create_venues(manager).await?;
        create_courses(manager).await?;
        create_course_office_areas(manager).await?;
        create_editions(manager).await?;
        create_sessions(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Sessions::Table.into_iden(),
            Editions::Table.into_iden(),
            CourseOfficeAreas::Table.into_iden(),
            Courses::Table.into_iden(),
            Venues::Table.into_iden(),
            ProviderThemes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in PROVIDER_COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Providers::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

const PROVIDER_COLUMNS: [ProviderProfile; 9] = [
    ProviderProfile::TaxCode,
    ProviderProfile::VatNumber,
    ProviderProfile::Email,
    ProviderProfile::Pec,
    ProviderProfile::Phone,
    ProviderProfile::Website,
    ProviderProfile::QualificationStatus,
    ProviderProfile::QualifiedUntil,
    ProviderProfile::Notes,
];

/// SQLite adds one column per statement, and a NOT NULL column only with a default.
async fn extend_providers(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let columns = [
        string_len(ProviderProfile::TaxCode, 16)
            .default("")
            .to_owned(),
        string_len_null(ProviderProfile::VatNumber, 11),
        string_len_null(ProviderProfile::Email, 254),
        string_len_null(ProviderProfile::Pec, 254),
        string_len_null(ProviderProfile::Phone, 30),
        string_len_null(ProviderProfile::Website, 300),
        string_len(ProviderProfile::QualificationStatus, 20)
            .default("pending")
            .to_owned(),
        date_null(ProviderProfile::QualifiedUntil),
        text(ProviderProfile::Notes).default("").to_owned(),
    ];
    for mut column in columns {
        manager
            .alter_table(
                Table::alter()
                    .table(Providers::Table)
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_provider_themes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ProviderThemes::Table)
                .col(big_integer(ProviderThemes::ProviderId))
                .col(string_len(ProviderThemes::ThemeCode, 40))
                .primary_key(
                    Index::create()
                        .col(ProviderThemes::ProviderId)
                        .col(ProviderThemes::ThemeCode),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_themes_provider")
                        .from(ProviderThemes::Table, ProviderThemes::ProviderId)
                        .to(Providers::Table, Providers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_provider_themes_theme")
                        .from(ProviderThemes::Table, ProviderThemes::ThemeCode)
                        .to(Themes::Table, Themes::Code),
                )
                .to_owned(),
        )
        .await
}

async fn create_venues(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Venues::Table)
                .col(big_pk_auto(Venues::Id))
                .col(string_len(Venues::Name, 200))
                .col(string_len(Venues::Address, 300))
                .col(string_len(Venues::ComuneIstatCode, 6))
                .col(integer(Venues::Capacity))
                .col(double(Venues::Latitude))
                .col(double(Venues::Longitude))
                .col(text(Venues::AccessibilityNotes))
                .col(timestamp_with_time_zone(Venues::CreatedAt))
                .col(timestamp_with_time_zone(Venues::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_venues_comune")
                        .from(Venues::Table, Venues::ComuneIstatCode)
                        .to(Comuni::Table, Comuni::IstatCode),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ix_venues_comune",
        Venues::Table,
        Venues::ComuneIstatCode,
    )
    .await
}

async fn create_courses(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Courses::Table)
                .col(big_pk_auto(Courses::Id))
                .col(string_len(Courses::Title, 200))
                .col(text(Courses::Description))
                .col(text(Courses::Objectives))
                .col(string_len(Courses::ThemeCode, 40))
                .col(big_integer(Courses::ProviderId))
                .col(integer(Courses::DurationMinutes))
                .col(string_len(Courses::Modality, 20))
                .col(integer(Courses::MinAttendancePercent))
                .col(boolean(Courses::IssuesCertificate))
                .col(string_len(Courses::Status, 20))
                .col(timestamp_with_time_zone(Courses::CreatedAt))
                .col(timestamp_with_time_zone(Courses::UpdatedAt))
                .col(timestamp_with_time_zone_null(Courses::DeletedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_courses_theme")
                        .from(Courses::Table, Courses::ThemeCode)
                        .to(Themes::Table, Themes::Code),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_courses_provider")
                        .from(Courses::Table, Courses::ProviderId)
                        .to(Providers::Table, Providers::Id),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ix_courses_provider",
        Courses::Table,
        Courses::ProviderId,
    )
    .await?;
    index(
        manager,
        "ix_courses_updated_at",
        Courses::Table,
        Courses::UpdatedAt,
    )
    .await
}

async fn create_course_office_areas(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(CourseOfficeAreas::Table)
                .col(big_integer(CourseOfficeAreas::CourseId))
                .col(string_len(CourseOfficeAreas::OfficeAreaCode, 40))
                .primary_key(
                    Index::create()
                        .col(CourseOfficeAreas::CourseId)
                        .col(CourseOfficeAreas::OfficeAreaCode),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_course_office_areas_course")
                        .from(CourseOfficeAreas::Table, CourseOfficeAreas::CourseId)
                        .to(Courses::Table, Courses::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_course_office_areas_area")
                        .from(CourseOfficeAreas::Table, CourseOfficeAreas::OfficeAreaCode)
                        .to(OfficeAreas::Table, OfficeAreas::Code),
                )
                .to_owned(),
        )
        .await
}

async fn create_editions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Editions::Table)
                .col(big_pk_auto(Editions::Id))
                .col(big_integer(Editions::CourseId))
                .col(string_len(Editions::Title, 200))
                .col(string_len(Editions::Delivery, 20))
                .col(integer(Editions::Capacity))
                .col(timestamp_with_time_zone(Editions::EnrolmentOpensAt))
                .col(timestamp_with_time_zone(Editions::EnrolmentClosesAt))
                .col(timestamp_with_time_zone_null(Editions::AvailableFrom))
                .col(timestamp_with_time_zone_null(Editions::AvailableUntil))
                .col(string_len_null(Editions::AccessUrl, 500))
                .col(boolean(Editions::SelfEnrolment))
                .col(string_len(Editions::Status, 20))
                .col(integer(Editions::Sequence))
                .col(timestamp_with_time_zone(Editions::CreatedAt))
                .col(timestamp_with_time_zone(Editions::UpdatedAt))
                .col(timestamp_with_time_zone_null(Editions::DeletedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_editions_course")
                        .from(Editions::Table, Editions::CourseId)
                        .to(Courses::Table, Courses::Id),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ix_editions_course",
        Editions::Table,
        Editions::CourseId,
    )
    .await?;
    index(
        manager,
        "ix_editions_updated_at",
        Editions::Table,
        Editions::UpdatedAt,
    )
    .await
}

async fn create_sessions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Sessions::Table)
                .col(big_pk_auto(Sessions::Id))
                .col(big_integer(Sessions::EditionId))
                .col(timestamp_with_time_zone(Sessions::StartsAt))
                .col(timestamp_with_time_zone(Sessions::EndsAt))
                .col(big_integer_null(Sessions::VenueId))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_sessions_edition")
                        .from(Sessions::Table, Sessions::EditionId)
                        .to(Editions::Table, Editions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_sessions_venue")
                        .from(Sessions::Table, Sessions::VenueId)
                        .to(Venues::Table, Venues::Id),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "ix_sessions_edition",
        Sessions::Table,
        Sessions::EditionId,
    )
    .await?;
    index(
        manager,
        "ix_sessions_venue",
        Sessions::Table,
        Sessions::VenueId,
    )
    .await
}

async fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    column: C,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(name)
                .table(table)
                .col(column)
                .to_owned(),
        )
        .await
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ProviderProfile {
    TaxCode,
    VatNumber,
    Email,
    Pec,
    Phone,
    Website,
    QualificationStatus,
    QualifiedUntil,
    Notes,
}

#[derive(DeriveIden)]
pub enum ProviderThemes {
    Table,
    ProviderId,
    ThemeCode,
}

#[derive(DeriveIden)]
pub enum Venues {
    Table,
    Id,
    Name,
    Address,
    ComuneIstatCode,
    Capacity,
    Latitude,
    Longitude,
    AccessibilityNotes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Courses {
    Table,
    Id,
    Title,
    Description,
    Objectives,
    ThemeCode,
    ProviderId,
    DurationMinutes,
    Modality,
    MinAttendancePercent,
    IssuesCertificate,
    Status,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
pub enum CourseOfficeAreas {
    Table,
    CourseId,
    OfficeAreaCode,
}

#[derive(DeriveIden)]
pub enum Editions {
    Table,
    Id,
    CourseId,
    Title,
    Delivery,
    Capacity,
    EnrolmentOpensAt,
    EnrolmentClosesAt,
    AvailableFrom,
    AvailableUntil,
    AccessUrl,
    SelfEnrolment,
    Status,
    Sequence,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
pub enum Sessions {
    Table,
    Id,
    EditionId,
    StartsAt,
    EndsAt,
    VenueId,
}
