use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260101_000001_create_comuni::Comuni;
use crate::m20260201_000001_create_catalogue::{Editions, Sessions};
use crate::m20260301_000001_create_employees::Employees;

/// Enrolments with their status history, attendance per session, and anonymous feedback.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Editions::Table)
                    .add_column(integer_null(EditionSeats::ComuneQuota))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enrolments::Table)
                    .col(big_pk_auto(Enrolments::Id))
                    .col(big_integer(Enrolments::EditionId))
                    .col(big_integer(Enrolments::EmployeeId))
                    .col(string_len(Enrolments::ComuneIstatCode, 6))
                    .col(string_len(Enrolments::Status, 20))
                    .col(big_integer(Enrolments::Ticket))
                    .col(integer(Enrolments::AttendedMinutes))
                    .col(integer(Enrolments::AsyncMinutes))
                    .col(timestamp_with_time_zone_null(Enrolments::CompletedAt))
                    .col(string_len_null(Enrolments::CertificateNumber, 40))
                    .col(boolean(Enrolments::FeedbackGiven))
                    .col(timestamp_with_time_zone(Enrolments::CreatedAt))
                    .col(timestamp_with_time_zone(Enrolments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolments_edition")
                            .from(Enrolments::Table, Enrolments::EditionId)
                            .to(Editions::Table, Editions::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolments_employee")
                            .from(Enrolments::Table, Enrolments::EmployeeId)
                            .to(Employees::Table, Employees::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolments_comune")
                            .from(Enrolments::Table, Enrolments::ComuneIstatCode)
                            .to(Comuni::Table, Comuni::IstatCode),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_enrolments_edition_employee")
                    .table(Enrolments::Table)
                    .col(Enrolments::EditionId)
                    .col(Enrolments::EmployeeId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_enrolments_certificate")
                    .table(Enrolments::Table)
                    .col(Enrolments::CertificateNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrolments_edition_status_ticket")
                    .table(Enrolments::Table)
                    .col(Enrolments::EditionId)
                    .col(Enrolments::Status)
                    .col(Enrolments::Ticket)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrolments_employee")
                    .table(Enrolments::Table)
                    .col(Enrolments::EmployeeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EnrolmentEvents::Table)
                    .col(big_pk_auto(EnrolmentEvents::Id))
                    .col(big_integer(EnrolmentEvents::EnrolmentId))
                    .col(string_len(EnrolmentEvents::Status, 20))
                    .col(big_integer_null(EnrolmentEvents::ActorUserId))
                    .col(string_len(EnrolmentEvents::Reason, 200))
                    .col(timestamp_with_time_zone(EnrolmentEvents::At))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolment_events_enrolment")
                            .from(EnrolmentEvents::Table, EnrolmentEvents::EnrolmentId)
                            .to(Enrolments::Table, Enrolments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_enrolment_events_enrolment")
                    .table(EnrolmentEvents::Table)
                    .col(EnrolmentEvents::EnrolmentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(big_integer(Attendance::SessionId))
                    .col(big_integer(Attendance::EnrolmentId))
                    .col(boolean(Attendance::Present))
                    .col(integer(Attendance::Minutes))
                    .col(big_integer(Attendance::RecordedBy))
                    .col(timestamp_with_time_zone(Attendance::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(Attendance::SessionId)
                            .col(Attendance::EnrolmentId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_session")
                            .from(Attendance::Table, Attendance::SessionId)
                            .to(Sessions::Table, Sessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attendance_enrolment")
                            .from(Attendance::Table, Attendance::EnrolmentId)
                            .to(Enrolments::Table, Enrolments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Feedback carries no link to the person or the enrolment: anonymous by construction.
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(big_pk_auto(Feedback::Id))
                    .col(big_integer(Feedback::EditionId))
                    .col(small_integer(Feedback::Content))
                    .col(small_integer(Feedback::Teacher))
                    .col(small_integer(Feedback::Organisation))
                    .col(small_integer(Feedback::Usefulness))
                    .col(text(Feedback::Comment))
                    .col(date(Feedback::GivenOn))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_edition")
                            .from(Feedback::Table, Feedback::EditionId)
                            .to(Editions::Table, Editions::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Feedback::Table.into_iden(),
            Attendance::Table.into_iden(),
            EnrolmentEvents::Table.into_iden(),
            Enrolments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Editions::Table)
                    .drop_column(EditionSeats::ComuneQuota)
                    .to_owned(),
            )
            .await
    }
}

/// The per-comune quota added to editions.
#[derive(DeriveIden)]
pub enum EditionSeats {
    ComuneQuota,
}

#[derive(DeriveIden)]
pub enum Enrolments {
    Table,
    Id,
    EditionId,
    EmployeeId,
    ComuneIstatCode,
    Status,
    /// Arrival order within the edition.
    Ticket,
    AttendedMinutes,
    /// Minutes credited for asynchronous webinars.
    AsyncMinutes,
    CompletedAt,
    CertificateNumber,
    FeedbackGiven,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum EnrolmentEvents {
    Table,
    Id,
    EnrolmentId,
    Status,
    ActorUserId,
    Reason,
    At,
}

#[derive(DeriveIden)]
pub enum Attendance {
    Table,
    SessionId,
    EnrolmentId,
    Present,
    Minutes,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
pub enum Feedback {
    Table,
    Id,
    EditionId,
    Content,
    Teacher,
    Organisation,
    Usefulness,
    Comment,
    GivenOn,
}
