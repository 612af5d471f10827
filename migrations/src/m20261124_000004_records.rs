//! Personnel records, their version history, correction requests with their evidence, and the
//! synced inbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One item of a personnel file; `data` holds the section's fields as JSON. A deleted item
/// stays as a row with `deleted_at`, so its history and requests keep their target.
fn records() -> TableCreateStatement {
    Table::create()
        .table("records")
        .col(pk_uuid("id"))
        .col(uuid("employee_id"))
        .col(string("section"))
        .col(text("data"))
        .col(big_integer("version"))
        .col(string("source"))
        .col(uuid_null("verified_by"))
        .col(timestamp_with_time_zone_null("verified_at"))
        .col(timestamp_with_time_zone_null("deleted_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .foreign_key(
            ForeignKey::create()
                .from("records", "employee_id")
                .to("employees", "id"),
        )
        .to_owned()
}

/// Every version an item ever had (`data` null for the deletion), so HR can see the version a
/// servant based a request on.
fn record_versions() -> TableCreateStatement {
    Table::create()
        .table("record_versions")
        .col(uuid("record_id"))
        .col(big_integer("version"))
        .col(text_null("data"))
        .col(string("source"))
        .col(uuid_null("changed_by"))
        .col(timestamp_with_time_zone("changed_at"))
        .primary_key(Index::create().col("record_id").col("version"))
        .to_owned()
}

fn correction_requests() -> TableCreateStatement {
    Table::create()
        .table("correction_requests")
        .col(pk_uuid("id"))
        .col(uuid("employee_id"))
        .col(uuid("requester_account_id"))
        .col(string("section"))
        .col(string("op"))
        .col(uuid_null("record_id"))
        .col(big_integer_null("base_version"))
        .col(text_null("proposed"))
        .col(text("reason"))
        .col(string("state"))
        .col(uuid_null("reviewer_account_id"))
        .col(text_null("note"))
        .col(text_null("answer"))
        .col(big_integer("version"))
        .col(timestamp_with_time_zone_null("client_time"))
        .col(timestamp_with_time_zone("submitted_at"))
        .col(timestamp_with_time_zone_null("decided_at"))
        .foreign_key(
            ForeignKey::create()
                .from("correction_requests", "employee_id")
                .to("employees", "id"),
        )
        .to_owned()
}

/// Uploaded files, stored once by the SHA-256 of their content.
fn evidence() -> TableCreateStatement {
    Table::create()
        .table("evidence")
        .col(string("hash").primary_key())
        .col(string("content_type"))
        .col(big_integer("size"))
        .col(blob("content"))
        .col(uuid("uploaded_by"))
        .col(timestamp_with_time_zone("uploaded_at"))
        .to_owned()
}

/// Who uploaded a file: the same content uploaded from two accounts is stored once, and each
/// uploader may attach it.
fn evidence_uploads() -> TableCreateStatement {
    Table::create()
        .table("evidence_uploads")
        .col(string("hash"))
        .col(uuid("account_id"))
        .primary_key(Index::create().col("hash").col("account_id"))
        .to_owned()
}

fn request_evidence() -> TableCreateStatement {
    Table::create()
        .table("request_evidence")
        .col(uuid("request_id"))
        .col(string("hash"))
        .primary_key(Index::create().col("request_id").col("hash"))
        .to_owned()
}

fn inbox() -> TableCreateStatement {
    Table::create()
        .table("inbox")
        .col(pk_uuid("id"))
        .col(uuid("account_id"))
        .col(string("kind"))
        .col(text("data"))
        .col(timestamp_with_time_zone("created_at"))
        .to_owned()
}

fn index(name: &str, table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).to_owned();
    for &col in cols {
        index.col(col);
    }
    index
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            records(),
            record_versions(),
            correction_requests(),
            evidence(),
            evidence_uploads(),
            request_evidence(),
            inbox(),
        ] {
            manager.create_table(table).await?;
        }
        for index in [
            index("idx_records_employee", "records", &["employee_id"]),
            index(
                "idx_requests_employee",
                "correction_requests",
                &["employee_id"],
            ),
            index("idx_requests_state", "correction_requests", &["state"]),
            index("idx_request_evidence_hash", "request_evidence", &["hash"]),
            index("idx_inbox_account", "inbox", &["account_id"]),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }
}
