use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub description: String,
    pub objectives: String,
    pub theme_code: String,
    pub provider_id: i64,
    pub duration_minutes: i32,
    pub modality: String,
    pub min_attendance_percent: i32,
    pub issues_certificate: bool,
    pub status: String,
    /// What a participant pays, in euro cents.
    pub participant_fee_cents: i32,
    /// ISO 639-1 code of the language the course is taught in.
    pub language: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
