use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    pub actor_account: Option<Uuid>,
    pub on_behalf_of: Option<Uuid>,
    pub device_session: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: Uuid,
    pub before: Option<String>,
    pub after: Option<String>,
    pub intent_id: Option<Uuid>,
    pub client_time: Option<DateTimeUtc>,
    pub server_time: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
