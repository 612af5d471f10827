//! Accounts, role grants, devices, sessions (refresh-token families) and one-time activation codes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn accounts() -> TableCreateStatement {
    Table::create()
        .table("accounts")
        .col(pk_uuid("id"))
        .col(uuid_uniq("employee_id"))
        .col(string_uniq("login"))
        .col(string_null("password_hash"))
        .col(string("locale"))
        .col(timestamp_with_time_zone_null("disabled_at"))
        .col(timestamp_with_time_zone_null("last_login_at"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(
            ForeignKey::create()
                .from("accounts", "employee_id")
                .to("employees", "id"),
        )
        .to_owned()
}

fn role_grants() -> TableCreateStatement {
    Table::create()
        .table("role_grants")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(string("role"))
        .col(uuid("unit_id"))
        .col(boolean("include_descendants"))
        .col(uuid_null("granted_by"))
        .col(timestamp_with_time_zone("created_at"))
        .foreign_key(
            ForeignKey::create()
                .from("role_grants", "account_id")
                .to("accounts", "id"),
        )
        .foreign_key(
            ForeignKey::create()
                .from("role_grants", "unit_id")
                .to("org_units", "id"),
        )
        .to_owned()
}

fn activation_codes() -> TableCreateStatement {
    Table::create()
        .table("activation_codes")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(string_uniq("code_hash"))
        .col(uuid_null("issued_by"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("expires_at"))
        .col(timestamp_with_time_zone_null("used_at"))
        .foreign_key(
            ForeignKey::create()
                .from("activation_codes", "account_id")
                .to("accounts", "id"),
        )
        .to_owned()
}

fn devices() -> TableCreateStatement {
    Table::create()
        .table("devices")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(uuid("installation_id"))
        .col(string("platform"))
        .col(string_null("name"))
        .col(string_null("app_version"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("last_seen_at"))
        .foreign_key(
            ForeignKey::create()
                .from("devices", "account_id")
                .to("accounts", "id"),
        )
        .to_owned()
}

fn sessions() -> TableCreateStatement {
    Table::create()
        .table("sessions")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(uuid("device_id"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone_null("revoked_at"))
        .col(string_null("revoke_reason"))
        .foreign_key(
            ForeignKey::create()
                .from("sessions", "account_id")
                .to("accounts", "id"),
        )
        .foreign_key(
            ForeignKey::create()
                .from("sessions", "device_id")
                .to("devices", "id"),
        )
        .to_owned()
}

fn refresh_tokens() -> TableCreateStatement {
    Table::create()
        .table("refresh_tokens")
        .col(pk_uuid("id"))
        .col(uuid("session_id"))
        .col(string_uniq("token_hash"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("expires_at"))
        .col(timestamp_with_time_zone_null("used_at"))
        .foreign_key(
            ForeignKey::create()
                .from("refresh_tokens", "session_id")
                .to("sessions", "id"),
        )
        .to_owned()
}

/// Server-wide values generated once, such as the token signing key when none is configured.
fn settings() -> TableCreateStatement {
    Table::create()
        .table("settings")
        .col(string("key").primary_key())
        .col(text("value"))
        .to_owned()
}

fn index(name: &str, table: &str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create()
        .name(name)
        .table(table.to_owned())
        .to_owned();
    for col in cols {
        index.col(*col);
    }
    if unique {
        index.unique();
    }
    index
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            accounts(),
            role_grants(),
            activation_codes(),
            devices(),
            sessions(),
            refresh_tokens(),
            settings(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let indexes = [
            index(
                "idx_role_grants_unique",
                "role_grants",
                &["account_id", "role", "unit_id"],
                true,
            ),
            index(
                "idx_devices_installation",
                "devices",
                &["account_id", "installation_id"],
                true,
            ),
            index("idx_sessions_account", "sessions", &["account_id"], false),
            index(
                "idx_refresh_tokens_session",
                "refresh_tokens",
                &["session_id"],
                false,
            ),
            index(
                "idx_activation_codes_account",
                "activation_codes",
                &["account_id"],
                false,
            ),
        ];
        for index in indexes {
            manager.create_index(index).await?;
        }
        Ok(())
    }
}
