//! Schema migrations for cabina, run at start-up by `cabina serve` and `cabina migrate`.
//!
//! One file per change, each with a real `down`. Business keys get named unique
//! constraints so the store can map a violation to a precise domain error.
pub use sea_orm_migration::prelude::*;

mod m20260101_000001_create_comuni;
mod m20260101_000002_create_office_areas;
mod m20260101_000003_create_themes;
mod m20260101_000004_create_providers;
mod m20260101_000005_create_users;
mod m20260201_000001_create_catalogue;
mod m20260301_000001_create_employees;
mod m20260401_000001_create_campaigns;
mod m20260402_000001_create_need_employees;
mod m20260501_000001_create_outbox;
mod m20260601_000001_create_enrolments;
mod m20261201_000001_create_plans;
mod m20261201_000002_add_credentials_changed_at;
mod m20261202_000001_unguessable_certificate_numbers;
mod m20261203_000001_catalogue_changes;
mod m20261204_000001_catalogue_terms_and_seats;
mod m20261205_000001_account_tokens;
mod m20261206_000001_edition_change_proposals;

pub use m20261203_000001_catalogue_changes::CHANGE_LOG_LOCK;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20260101_000001_create_comuni::Migration),
            Box::new(m20260101_000002_create_office_areas::Migration),
            Box::new(m20260101_000003_create_themes::Migration),
            Box::new(m20260101_000004_create_providers::Migration),
            Box::new(m20260101_000005_create_users::Migration),
            Box::new(m20260201_000001_create_catalogue::Migration),
            Box::new(m20260301_000001_create_employees::Migration),
            Box::new(m20260401_000001_create_campaigns::Migration),
            Box::new(m20260402_000001_create_need_employees::Migration),
            Box::new(m20260501_000001_create_outbox::Migration),
            Box::new(m20260601_000001_create_enrolments::Migration),
            Box::new(m20261201_000001_create_plans::Migration),
            Box::new(m20261201_000002_add_credentials_changed_at::Migration),
            Box::new(m20261202_000001_unguessable_certificate_numbers::Migration),
            Box::new(m20261203_000001_catalogue_changes::Migration),
            Box::new(m20261204_000001_catalogue_terms_and_seats::Migration),
            Box::new(m20261205_000001_account_tokens::Migration),
            Box::new(m20261206_000001_edition_change_proposals::Migration),
        ]
    }
}
