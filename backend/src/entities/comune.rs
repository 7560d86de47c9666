use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "comuni")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
    pub province_sigla: String,
    pub region_name: String,
    pub cadastral_code: String,
    pub postal_code: Option<String>,
    pub is_provincial_capital: bool,
    pub population: Option<i32>,
    pub population_date: Option<Date>,
    #[sea_orm(column_type = "Double")]
    pub latitude: f64,
    #[sea_orm(column_type = "Double")]
    pub longitude: f64,
    pub referente_email: Option<String>,
    pub pec: Option<String>,
    pub phone: Option<String>,
    pub unione: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
