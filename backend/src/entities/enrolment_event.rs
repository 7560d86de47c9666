use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolment_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub enrolment_id: i64,
    pub status: String,
    pub actor_user_id: Option<i64>,
    pub reason: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
