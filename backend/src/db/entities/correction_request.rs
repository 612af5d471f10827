use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "correction_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub requester_account_id: Uuid,
    pub section: String,
    pub op: String,
    pub record_id: Option<Uuid>,
    pub base_version: Option<i64>,
    pub proposed: Option<String>,
    pub reason: String,
    pub state: String,
    pub reviewer_account_id: Option<Uuid>,
    pub note: Option<String>,
    pub answer: Option<String>,
    pub version: i64,
    pub client_time: Option<DateTimeUtc>,
    pub submitted_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    /// JSON list of the field names a rebase left in conflict.
    pub conflicts: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::employee::Entity",
        from = "Column::EmployeeId",
        to = "super::employee::Column::Id"
    )]
    Employee,
}

impl Related<super::employee::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Employee.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
