//! Bulk import of employees from CSV: every row is checked first and a file with a bad row
//! writes nothing (the report names every bad row); a good file is written in chunks.
//!
//! The same service runs behind `POST /api/v1/admin/employees/import` and the
//! `xodim-server import-employees` command.

pub mod plan;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Utc;
use std::collections::BTreeMap;

use sea_orm::DatabaseConnection;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use xodim_domain::{ErrorCode, Grant, Locale};

use crate::admin::accounts::{insert_account, new_activation_code};
use crate::admin::employees::insert;
use crate::auth::Actor;
use crate::error::{ApiError, ApiResult, locale_of};
use crate::org::publish;
use crate::state::AppState;
use crate::sync::engine::poke;
use plan::{PlannedRow, RowError};
use xodim_domain::sync::Scope;

/// A created account and its first-password code, to hand to the employee.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedAccount {
    pub line: usize,
    pub login: String,
    pub activation_code: String,
}

/// The result of a successful import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    pub accounts: Vec<ImportedAccount>,
    /// Scope heads the import moved, for the caches and live pokes.
    #[serde(skip)]
    #[schema(ignore)]
    pub heads: Vec<(Scope, i64)>,
}

/// Outcome of an import: written, or refused with every bad row.
pub enum Outcome {
    Imported(ImportReport),
    Rejected(Vec<RowError>),
}

/// Rows written per transaction.
const CHUNK: usize = 500;

/// Checks the file and, if every row is good, writes the rows a chunk at a time, each chunk
/// committed on its own so that other writers (sign-ins above all) get their turn between
/// chunks; `gate` is the server's write turn where the database has a single writer.
/// `progress` is told the number of rows planned, then called after each row written.
pub async fn run(
    db: &DatabaseConnection,
    csv_bytes: &[u8],
    grants: Option<&[Grant]>,
    code_ttl_hours: u32,
    gate: Option<&tokio::sync::Mutex<()>>,
    progress: &dyn Fn(ProgressEvent),
) -> ApiResult<Outcome> {
    let planned = match plan::plan(db, csv_bytes, grants, Utc::now().date_naive()).await? {
        Ok(planned) => planned,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    progress(ProgressEvent::Planned(planned.len()));
    let mut accounts = Vec::new();
    let mut heads = BTreeMap::new();
    for (done, chunk) in planned.chunks(CHUNK).enumerate() {
        let written = write_chunk(db, chunk, code_ttl_hours, gate, progress).await;
        match written {
            Ok((created, moved)) => {
                accounts.extend(created);
                // Later chunks only raise a scope's head, so the last value seen is the newest.
                heads.extend(moved);
            }
            Err(err) => {
                tracing::error!(
                    written = done * CHUNK,
                    planned = planned.len(),
                    "employee import stopped part way"
                );
                return Err(err);
            }
        }
    }
    Ok(Outcome::Imported(ImportReport {
        heads: heads.into_iter().collect(),
        imported: planned.len(),
        accounts,
    }))
}

type Written = (Vec<ImportedAccount>, Vec<(Scope, i64)>);

async fn write_chunk(
    db: &DatabaseConnection,
    chunk: &[PlannedRow],
    code_ttl_hours: u32,
    gate: Option<&tokio::sync::Mutex<()>>,
    progress: &dyn Fn(ProgressEvent),
) -> ApiResult<Written> {
    let _turn = match gate {
        Some(gate) => Some(gate.lock().await),
        None => None,
    };
    let txn = crate::db::begin_write(db).await?;
    let mut accounts = Vec::new();
    let mut hired = Vec::with_capacity(chunk.len());
    for row in chunk {
        let (employee, account) = write_row(&txn, row, code_ttl_hours).await?;
        hired.push(employee);
        accounts.extend(account);
        progress(ProgressEvent::Written);
    }
    let written = publish::cards(&txn, &hired).await?.write(&txn).await?;
    Ok((accounts, written.commit(txn).await?))
}

/// What the import reports while it runs.
#[derive(Debug, Clone, Copy)]
pub enum ProgressEvent {
    /// The file is valid; this many rows will be written.
    Planned(usize),
    /// One more row is written.
    Written,
}

async fn write_row(
    txn: &sea_orm::DatabaseTransaction,
    row: &PlannedRow,
    code_ttl_hours: u32,
) -> ApiResult<(uuid::Uuid, Option<ImportedAccount>)> {
    let employee = insert(txn, &row.employee, &row.position, row.org_id).await?;
    let Some((login, locale)) = &row.account else {
        return Ok((employee.id, None));
    };
    let account = insert_account(txn, employee.id, login, *locale).await?;
    let code = new_activation_code(txn, account.id, None, code_ttl_hours).await?;
    Ok((
        employee.id,
        Some(ImportedAccount {
            line: row.line,
            login: account.login,
            activation_code: code.code,
        }),
    ))
}

/// Row errors as the API reports them, messages in the caller's language.
pub fn rejection(errors: &[RowError], locale: Locale) -> ApiError {
    let rows: Vec<_> = errors
        .iter()
        .map(|e| json!({ "line": e.line, "code": e.code.as_str(), "message": e.code.message(locale), "detail": e.detail }))
        .collect();
    ApiError::new(
        ErrorCode::ImportRejected,
        format!("{} rows have errors; nothing was imported", errors.len()),
    )
    .with_details(json!({ "rows": rows }))
}

#[utoipa::path(post, path = "/api/v1/admin/employees/import", tag = "admin",
    request_body(content = String, content_type = "text/csv",
        description = "Header: pinfl,last_name_latn,first_name_latn,patronymic_latn,last_name_cyrl,first_name_cyrl,patronymic_cyrl,birth_date,tabel_no,hire_date,position_code,login,locale"),
    responses((status = 201, body = ImportReport),
              (status = 422, description = "import_rejected, with details.rows")),
    security(("bearer" = [])))]
pub(crate) async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let grants = actor.grants(&state).await?;
    if xodim_domain::covering_units(&grants, xodim_domain::Permission::ManageEmployees).is_empty() {
        return Err(crate::auth::actor::forbidden());
    }
    let ttl = state.settings.activation_code_ttl_hours;
    let gate = state.sqlite_writes.as_ref();
    match run(&state.db, &body, Some(&grants), ttl, gate, &|_| {}).await? {
        Outcome::Imported(report) => {
            poke(&state, &report.heads).await?;
            Ok(HttpResponse::Created().json(report))
        }
        Outcome::Rejected(errors) => Err(rejection(&errors, locale_of(&req))),
    }
}
