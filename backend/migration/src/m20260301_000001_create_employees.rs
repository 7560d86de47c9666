use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_comuni::Comuni;
use crate::m20260101_000002_create_office_areas::OfficeAreas;

/// Municipal employees (personal data: minimal, scoped to their comune, erasable) and the
/// append-only log of who read or changed personal data.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(big_pk_auto(Employees::Id))
                    .col(string_len(Employees::ComuneIstatCode, 6))
                    .col(string_len(Employees::GivenName, 100))
                    .col(string_len(Employees::FamilyName, 100))
                    .col(string_len_null(Employees::Email, 254))
                    // NULL once the person is erased: the row stays for the statistics.
                    .col(string_len_null(Employees::TaxCode, 16))
                    .col(string_len(Employees::OfficeAreaCode, 40))
                    .col(string_len(Employees::JobProfile, 30))
                    .col(string_len(Employees::SafetyRoles, 200))
                    .col(string_len(Employees::RiskClass, 10))
                    .col(date_null(Employees::HireDate))
                    .col(boolean(Employees::Active))
                    .col(timestamp_with_time_zone_null(Employees::ErasedAt))
                    .col(timestamp_with_time_zone(Employees::CreatedAt))
                    .col(timestamp_with_time_zone(Employees::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_employees_comune")
                            .from(Employees::Table, Employees::ComuneIstatCode)
                            .to(Comuni::Table, Comuni::IstatCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_employees_office_area")
                            .from(Employees::Table, Employees::OfficeAreaCode)
                            .to(OfficeAreas::Table, OfficeAreas::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_employees_tax_code")
                    .table(Employees::Table)
                    .col(Employees::TaxCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_employees_comune")
                    .table(Employees::Table)
                    .col(Employees::ComuneIstatCode)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(big_integer(AuditEvents::ActorUserId))
                    .col(string_len(AuditEvents::Action, 20))
                    .col(string_len(AuditEvents::SubjectType, 30))
                    .col(big_integer_null(AuditEvents::SubjectId))
                    .col(string_len_null(AuditEvents::ComuneIstatCode, 6))
                    .col(string_len(AuditEvents::Detail, 500))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_subject")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::SubjectType)
                    .col(AuditEvents::SubjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEvents::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Employees::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Employees {
    Table,
    Id,
    ComuneIstatCode,
    GivenName,
    FamilyName,
    Email,
    TaxCode,
    OfficeAreaCode,
    JobProfile,
    SafetyRoles,
    RiskClass,
    HireDate,
    Active,
    ErasedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum AuditEvents {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    SubjectType,
    SubjectId,
    ComuneIstatCode,
    Detail,
}
