use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Certificate numbers issued before this change were `IM-2027-000042`: a serial anyone
/// could count through on the public check. Each gets the ten random hex digits new
/// numbers carry (`IM-2027-000042-0A1B2C3D4E`), drawn by the database's own strong
/// generator; certificates printed before must be downloaded again to be verifiable.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let random_hex = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 10))"
            }
            _ => "upper(hex(randomblob(5)))",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE enrolments SET certificate_number = certificate_number || '-' || {random_hex} \
                 WHERE certificate_number IS NOT NULL AND length(certificate_number) < 20"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to the bare serial: everything before the last dash.
        let strip = match manager.get_database_backend() {
            DbBackend::Postgres => "regexp_replace(certificate_number, '-[0-9A-F]{10}$', '')",
            _ => "substr(certificate_number, 1, length(certificate_number) - 11)",
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE enrolments SET certificate_number = {strip} \
                 WHERE certificate_number IS NOT NULL AND length(certificate_number) >= 20"
            ))
            .await?;
        Ok(())
    }
}
