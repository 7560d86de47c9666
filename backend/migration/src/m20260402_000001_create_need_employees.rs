use sea_orm_migration::{prelude::*, schema::*};

use crate::m20260301_000001_create_employees::Employees;
use crate::m20260401_000001_create_campaigns::Needs;

/// The employees a need line names, when the referente chooses to name them.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NeedEmployees::Table)
                    .col(big_integer(NeedEmployees::NeedId))
                    .col(big_integer(NeedEmployees::EmployeeId))
                    .primary_key(
                        Index::create()
                            .col(NeedEmployees::NeedId)
                            .col(NeedEmployees::EmployeeId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_need_employees_need")
                            .from(NeedEmployees::Table, NeedEmployees::NeedId)
                            .to(Needs::Table, Needs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_need_employees_employee")
                            .from(NeedEmployees::Table, NeedEmployees::EmployeeId)
                            .to(Employees::Table, Employees::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_need_employees_employee")
                    .table(NeedEmployees::Table)
                    .col(NeedEmployees::EmployeeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NeedEmployees::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum NeedEmployees {
    Table,
    NeedId,
    EmployeeId,
}
