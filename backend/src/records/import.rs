//! Bulk import of personnel records from CSV, for a whole organisation at once: every row is
//! checked before anything is written, so a file with a bad row writes nothing; a good file is
//! then written in chunks of [`CHUNK`] rows, each its own transaction.
//!
//! The same service runs behind `POST /api/v1/hr/records/import` and the
//! `xodim-server import-records` command.

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::records::{RecordData, RecordSource, Section};
use xodim_domain::sync::Scope;
use xodim_domain::{DomainError, ErrorCode, Grant, Permission, Pinfl, covering_units};

use super::items::{self, Author};
use crate::admin::import::plan::{RowError, within_grants};
use crate::admin::import::{ProgressEvent, rejection};
use crate::auth::Actor;
use crate::db::entities::{employee, org_unit, person, position};
use crate::error::{ApiError, ApiResult, locale_of};
use crate::state::AppState;
use crate::sync::engine::{Publication, poke};

/// Most rows one file may carry.
pub const MAX_ROWS: usize = 100_000;
/// PINFLs looked up per query, and rows written per transaction.
const CHUNK: usize = 500;

/// Registers the route; it must come before `/records/{id}`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/records/import", web::post().to(import));
}

/// The result of a successful import.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordsImported {
    /// How many items were added.
    pub imported: usize,
    /// Scope heads the import moved, for the caches and live pokes.
    #[serde(skip)]
    #[schema(ignore)]
    pub heads: Vec<(Scope, i64)>,
}

/// Outcome of an import: written, or refused with every bad row.
pub enum Outcome {
    /// Every row was written.
    Imported(RecordsImported),
    /// Nothing was written because of these rows.
    Rejected(Vec<RowError>),
}

/// A row ready to be written.
pub struct PlannedRow {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    /// Whose file the item joins.
    pub employee: Uuid,
    /// The item.
    pub data: RecordData,
}

/// A row that parsed; its employee is looked up next.
struct ParsedRow {
    line: usize,
    pinfl: String,
    data: RecordData,
}

/// Where the columns of the file are.
struct Columns {
    pinfl: usize,
    section: usize,
    fields: Vec<(usize, String)>,
}

/// Where an employee found by PINFL works.
struct Located {
    employee: Uuid,
    unit_path: String,
}

fn invalid_csv(detail: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidCsv, detail)
}

fn row_error(line: usize, err: DomainError) -> RowError {
    RowError::of(line, err)
}

fn columns(header: &csv::StringRecord) -> ApiResult<Columns> {
    // Spreadsheets often save a byte-order mark in front of the first name.
    let names: Vec<String> = header
        .iter()
        .map(|name| {
            name.trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let mut seen = HashSet::new();
    if let Some(twice) = names.iter().find(|name| !seen.insert(name.as_str())) {
        return Err(invalid_csv(format!("the column {twice:?} appears twice")));
    }
    let find = |wanted: &str| {
        names
            .iter()
            .position(|name| name == wanted)
            .ok_or_else(|| invalid_csv(format!("the header has no {wanted} column")))
    };
    let (pinfl, section) = (find("pinfl")?, find("section")?);
    let fields = names
        .into_iter()
        .enumerate()
        .filter(|(index, _)| *index != pinfl && *index != section)
        .collect();
    Ok(Columns {
        pinfl,
        section,
        fields,
    })
}

/// Blank cells are absent fields; any other cell must be a field of the row's section, which
/// `from_text` enforces by refusing names the section does not have.
fn parse_row(
    line: usize,
    columns: &Columns,
    record: &csv::StringRecord,
) -> Result<ParsedRow, RowError> {
    let cell = |index: usize| record.get(index).unwrap_or_default();
    let fail = |err: DomainError| row_error(line, err);
    let pinfl = Pinfl::parse(cell(columns.pinfl)).map_err(fail)?;
    let section: Section = cell(columns.section).parse().map_err(fail)?;
    let pairs = columns
        .fields
        .iter()
        .map(|(index, name)| (name.as_str(), cell(*index)));
    let data = RecordData::from_text(section, pairs).map_err(fail)?;
    Ok(ParsedRow {
        line,
        pinfl: pinfl.as_str().to_owned(),
        data,
    })
}

/// Parses the whole file; a file that is not CSV with `pinfl` and `section` fails as a whole.
fn read(csv_bytes: &[u8]) -> ApiResult<Vec<Result<ParsedRow, RowError>>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_bytes);
    let header = reader
        .headers()
        .map_err(|err| invalid_csv(format!("header: {err}")))?;
    let columns = columns(header)?;
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        if rows.len() >= MAX_ROWS {
            return Err(invalid_csv(format!("more than {MAX_ROWS} rows")));
        }
        let record = record.map_err(|err| invalid_csv(format!("line {line}: {err}")))?;
        // A quoted cell may span lines, so the reader's count is the one people see.
        let line = record
            .position()
            .and_then(|at| usize::try_from(at.line()).ok())
            .unwrap_or(line);
        rows.push(parse_row(line, &columns, &record));
    }
    if rows.is_empty() {
        return Err(invalid_csv("the file has no rows"));
    }
    Ok(rows)
}

/// The employees with these PINFLs and their units, asked for a chunk at a time.
async fn locate(
    db: &impl ConnectionTrait,
    pinfls: &[String],
) -> ApiResult<HashMap<String, Located>> {
    let mut found = HashMap::new();
    for chunk in pinfls.chunks(CHUNK) {
        let persons = person::Entity::find()
            .filter(person::Column::Pinfl.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        let pinfl_of: HashMap<Uuid, String> =
            persons.into_iter().map(|p| (p.id, p.pinfl)).collect();
        let employees = employee::Entity::find()
            .filter(employee::Column::PersonId.is_in(pinfl_of.keys().copied()))
            .all(db)
            .await?;
        let posts = position::Entity::find()
            .filter(position::Column::Id.is_in(employees.iter().map(|e| e.position_id)))
            .find_also_related(org_unit::Entity)
            .all(db)
            .await?;
        let path_of: HashMap<Uuid, String> = posts
            .into_iter()
            .filter_map(|(post, unit)| unit.map(|unit| (post.id, unit.path)))
            .collect();
        for employee in employees {
            let pinfl = pinfl_of.get(&employee.person_id);
            if let (Some(pinfl), Some(path)) = (pinfl, path_of.get(&employee.position_id)) {
                let located = Located {
                    employee: employee.id,
                    unit_path: path.clone(),
                };
                found.insert(pinfl.clone(), located);
            }
        }
    }
    Ok(found)
}

/// The answer for a PINFL of nobody, or of someone outside the caller's units.
const UNKNOWN_PINFL: &str = "pinfl: no employee has this PINFL";

/// The row's employee, if it exists and lies within `grants` (`None`: the operator at the
/// command line, who may import anywhere).
fn check(
    row: ParsedRow,
    found: &HashMap<String, Located>,
    grants: Option<&[Grant]>,
) -> Result<PlannedRow, RowError> {
    let fail = |code: ErrorCode, detail: &str| RowError {
        line: row.line,
        code,
        detail: detail.to_owned(),
    };
    let located = found
        .get(&row.pinfl)
        .ok_or_else(|| fail(ErrorCode::NotFound, UNKNOWN_PINFL))?;
    within_grants(
        row.line,
        grants,
        Permission::ManageRecords,
        &located.unit_path,
        UNKNOWN_PINFL,
    )?;
    Ok(PlannedRow {
        line: row.line,
        employee: located.employee,
        data: row.data,
    })
}

/// Plans the import: the rows to write, or every problem found.
pub async fn plan(
    db: &impl ConnectionTrait,
    csv_bytes: &[u8],
    grants: Option<&[Grant]>,
) -> ApiResult<Result<Vec<PlannedRow>, Vec<RowError>>> {
    let parsed = read(csv_bytes)?;
    let pinfls: HashSet<&str> = parsed.iter().flatten().map(|r| r.pinfl.as_str()).collect();
    let pinfls: Vec<String> = pinfls.into_iter().map(str::to_owned).collect();
    let found = locate(db, &pinfls).await?;
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for row in parsed {
        match row.and_then(|row| check(row, &found, grants)) {
            Ok(row) => planned.push(row),
            Err(err) => errors.push(err),
        }
    }
    Ok(if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    })
}

/// Writes the planned rows a chunk at a time, each chunk committed on its own so that other
/// writers (a sign-in, a phone's push) get their turn between chunks; `gate` is the server's
/// write turn where the database has a single writer. Returns the scope heads the rows moved.
pub async fn write(
    db: &DatabaseConnection,
    rows: &[PlannedRow],
    author: &Author,
    gate: Option<&tokio::sync::Mutex<()>>,
    progress: &dyn Fn(ProgressEvent),
) -> ApiResult<Vec<(Scope, i64)>> {
    let mut heads = BTreeMap::new();
    for (done, chunk) in rows.chunks(CHUNK).enumerate() {
        let written = write_chunk(db, chunk, author, gate, progress).await;
        match written {
            // Later chunks only raise a scope's head, so the last value seen is the newest.
            Ok(moved) => heads.extend(moved),
            Err(err) => {
                tracing::error!(
                    written = done * CHUNK,
                    planned = rows.len(),
                    "records import stopped part way"
                );
                return Err(err);
            }
        }
    }
    Ok(heads.into_iter().collect())
}

async fn write_chunk(
    db: &DatabaseConnection,
    chunk: &[PlannedRow],
    author: &Author,
    gate: Option<&tokio::sync::Mutex<()>>,
    progress: &dyn Fn(ProgressEvent),
) -> ApiResult<Vec<(Scope, i64)>> {
    let _turn = match gate {
        Some(gate) => Some(gate.lock().await),
        None => None,
    };
    let txn = crate::db::begin_write(db).await?;
    let mut entries = Vec::new();
    for row in chunk {
        let id = Uuid::now_v7();
        let source = RecordSource::Integration;
        let (_, logged) = items::create(&txn, row.employee, id, &row.data, source, author).await?;
        entries.extend(logged);
        progress(ProgressEvent::Written);
    }
    let written = Publication::from(entries).write(&txn).await?;
    Ok(written.commit(txn).await?)
}

/// Checks the file and, if every row is good, writes all rows (see [`write`]). `gate`
/// serialises each chunk with other writers where the database needs it; `progress` is told
/// the number of rows planned, then called after each row written.
pub async fn run(
    db: &DatabaseConnection,
    csv_bytes: &[u8],
    grants: Option<&[Grant]>,
    author: &Author,
    gate: Option<&tokio::sync::Mutex<()>>,
    progress: &dyn Fn(ProgressEvent),
) -> ApiResult<Outcome> {
    let planned = match plan(db, csv_bytes, grants).await? {
        Ok(planned) => planned,
        Err(errors) => return Ok(Outcome::Rejected(errors)),
    };
    progress(ProgressEvent::Planned(planned.len()));
    let heads = write(db, &planned, author, gate, progress).await?;
    Ok(Outcome::Imported(RecordsImported {
        imported: planned.len(),
        heads,
    }))
}

#[utoipa::path(post, path = "/api/v1/hr/records/import", tag = "records",
    request_body(content = String, content_type = "text/csv",
        description = "Header: pinfl,section, then the columns of the section fields used (see docs/api.md)"),
    responses((status = 201, body = RecordsImported),
              (status = 422, description = "import_rejected, with details.rows")),
    security(("bearer" = [])))]
pub(crate) async fn import(
    req: HttpRequest,
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Bytes,
) -> ApiResult<HttpResponse> {
    let grants = actor.grants(&state).await?;
    if covering_units(&grants, Permission::ManageRecords).is_empty() {
        return Err(crate::auth::actor::forbidden());
    }
    let author = Author {
        account: Some(actor.account.as_uuid()),
        session: Some(actor.session.as_uuid()),
        ..Author::default()
    };
    let gate = state.sqlite_writes.as_ref();
    match run(&state.db, &body, Some(&grants), &author, gate, &|_| {}).await? {
        Outcome::Imported(report) => {
            poke(&state, &report.heads).await?;
            Ok(HttpResponse::Created().json(report))
        }
        Outcome::Rejected(errors) => Err(rejection(&errors, locale_of(&req))),
    }
}
