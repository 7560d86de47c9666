use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub comune_istat_code: String,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub tax_code: Option<String>,
    pub office_area_code: String,
    pub job_profile: String,
    pub safety_roles: String,
    pub risk_class: String,
    pub hire_date: Option<Date>,
    pub active: bool,
    pub erased_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
