use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "editions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub course_id: i64,
    pub title: String,
    pub delivery: String,
    pub capacity: i32,
    pub enrolment_opens_at: DateTimeUtc,
    pub enrolment_closes_at: DateTimeUtc,
    pub available_from: Option<DateTimeUtc>,
    pub available_until: Option<DateTimeUtc>,
    pub access_url: Option<String>,
    pub self_enrolment: bool,
    /// Most confirmed seats one comune may hold (`None`: no limit).
    pub comune_quota: Option<i32>,
    pub status: String,
    /// iCalendar SEQUENCE: bumped on every change.
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
