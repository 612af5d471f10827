use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name_uz_latn: String,
    pub name_uz_cyrl: Option<String>,
    pub name_ru: Option<String>,
    pub name_en: Option<String>,
    pub kind: String,
    pub level: String,
    pub region_code: Option<String>,
    pub parent_id: Option<Uuid>,
    pub root_unit_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
