use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "edition_change_proposals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub edition_id: i64,
    pub proposed_by: Option<i64>,
    pub reason: String,
    pub capacity: Option<i32>,
    /// The proposed sessions as JSON (`[{"starts_at", "ends_at", "venue_id"}]`).
    pub sessions: Option<String>,
    pub available_from: Option<DateTimeUtc>,
    pub available_until: Option<DateTimeUtc>,
    pub cancel: bool,
    pub status: String,
    pub decided_by: Option<i64>,
    pub decision_note: String,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
