use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub pinfl: String,
    pub last_name_latn: String,
    pub first_name_latn: String,
    pub patronymic_latn: Option<String>,
    pub last_name_cyrl: String,
    pub first_name_cyrl: String,
    pub patronymic_cyrl: Option<String>,
    pub birth_date: Date,
    pub gender: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// "Last First Patronymic" in Latin script.
    pub fn full_name_latn(&self) -> String {
        full_name(
            &self.last_name_latn,
            &self.first_name_latn,
            self.patronymic_latn.as_deref(),
        )
    }

    /// "Last First Patronymic" in Cyrillic script.
    pub fn full_name_cyrl(&self) -> String {
        full_name(
            &self.last_name_cyrl,
            &self.first_name_cyrl,
            self.patronymic_cyrl.as_deref(),
        )
    }
}

fn full_name(last: &str, first: &str, patronymic: Option<&str>) -> String {
    [Some(last), Some(first), patronymic]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}
