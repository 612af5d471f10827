//! Organisations, their unit tree, staff posts, persons and employees.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The four-language name columns every named organisational object carries.
fn localized(table: &mut TableCreateStatement, prefix: &str) {
    table
        .col(string(format!("{prefix}_uz_latn")))
        .col(string_null(format!("{prefix}_uz_cyrl")))
        .col(string_null(format!("{prefix}_ru")))
        .col(string_null(format!("{prefix}_en")));
}

fn organizations() -> TableCreateStatement {
    let mut t = Table::create().table("organizations").to_owned();
    t.col(pk_uuid("id"));
    localized(&mut t, "name");
    t.col(string("kind"))
        .col(string("level"))
        .col(string_null("region_code"))
        .col(uuid_null("parent_id"))
        .col(uuid_null("root_unit_id"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(
            ForeignKey::create()
                .from("organizations", "parent_id")
                .to("organizations", "id"),
        );
    t
}

fn org_units() -> TableCreateStatement {
    let mut t = Table::create().table("org_units").to_owned();
    t.col(pk_uuid("id"))
        .col(uuid("org_id"))
        .col(uuid_null("parent_id"))
        .col(string_uniq("path"))
        .col(string_uniq("code"));
    localized(&mut t, "name");
    // The head post is not a foreign key: posts belong to units, so the two would reference each
    // other; the server keeps the head inside the unit.
    t.col(uuid_null("head_position_id"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(
            ForeignKey::create()
                .from("org_units", "org_id")
                .to("organizations", "id"),
        )
        .foreign_key(
            ForeignKey::create()
                .from("org_units", "parent_id")
                .to("org_units", "id"),
        );
    t
}

fn positions() -> TableCreateStatement {
    let mut t = Table::create().table("positions").to_owned();
    t.col(pk_uuid("id"))
        .col(uuid("unit_id"))
        .col(string_uniq("code"));
    localized(&mut t, "title");
    t.col(string("category"))
        .col(boolean("civil_service"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(
            ForeignKey::create()
                .from("positions", "unit_id")
                .to("org_units", "id"),
        );
    t
}

fn persons() -> TableCreateStatement {
    Table::create()
        .table("persons")
        .col(pk_uuid("id"))
        .col(char_len_uniq("pinfl", 14))
        .col(string("last_name_latn"))
        .col(string("first_name_latn"))
        .col(string_null("patronymic_latn"))
        .col(string("last_name_cyrl"))
        .col(string("first_name_cyrl"))
        .col(string_null("patronymic_cyrl"))
        .col(date("birth_date"))
        .col(string("gender"))
        .col(timestamp_with_time_zone("created_at"))
        .to_owned()
}

fn employees() -> TableCreateStatement {
    Table::create()
        .table("employees")
        .col(pk_uuid("id"))
        .col(uuid_uniq("person_id"))
        .col(uuid("org_id"))
        .col(uuid_uniq("position_id"))
        .col(string("tabel_no"))
        .col(date("hire_date"))
        .col(string("status"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(
            ForeignKey::create()
                .from("employees", "person_id")
                .to("persons", "id"),
        )
        .foreign_key(
            ForeignKey::create()
                .from("employees", "org_id")
                .to("organizations", "id"),
        )
        .foreign_key(
            ForeignKey::create()
                .from("employees", "position_id")
                .to("positions", "id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            organizations(),
            org_units(),
            positions(),
            persons(),
            employees(),
        ] {
            manager.create_table(table).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_org_units_parent")
                    .table("org_units")
                    .col("parent_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_positions_unit")
                    .table("positions")
                    .col("unit_id")
                    .to_owned(),
            )
            .await
    }
}
