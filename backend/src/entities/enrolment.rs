use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub edition_id: i64,
    pub employee_id: i64,
    pub comune_istat_code: String,
    pub status: String,
    pub ticket: i64,
    pub attended_minutes: i32,
    pub async_minutes: i32,
    pub completed_at: Option<DateTimeUtc>,
    pub certificate_number: Option<String>,
    pub feedback_given: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
