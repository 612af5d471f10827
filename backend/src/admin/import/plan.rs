//! Reading and checking an employee CSV before anything is written: every row is parsed, looked
//! up and checked against the file and the database, and every problem is reported at once.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use xodim_domain::{
    Access, DomainError, ErrorCode, Grant, Locale, LoginName, Permission, UnitPath, check_access,
};

use crate::admin::employees::{NameInput, NewEmployee};
use crate::db::entities::{account, employee, org_unit, person, position};
use crate::error::{ApiError, ApiResult};

/// Most rows one file may carry.
pub const MAX_ROWS: usize = 20_000;
const CHUNK: usize = 500;

/// One CSV line as written by HR. Column names are the header the file must have.
#[derive(Debug, Deserialize)]
struct CsvRow {
    pinfl: String,
    last_name_latn: String,
    first_name_latn: String,
    #[serde(default)]
    patronymic_latn: Option<String>,
    last_name_cyrl: String,
    first_name_cyrl: String,
    #[serde(default)]
    patronymic_cyrl: Option<String>,
    birth_date: String,
    tabel_no: String,
    hire_date: String,
    position_code: String,
    #[serde(default)]
    login: Option<String>,
    #[serde(default)]
    locale: Option<String>,
}

/// A row ready to be written.
pub struct PlannedRow {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    pub employee: NewEmployee,
    pub position: position::Model,
    pub org_id: uuid::Uuid,
    pub account: Option<(LoginName, Locale)>,
}

/// A problem with one row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RowError {
    pub line: usize,
    pub code: ErrorCode,
    pub detail: String,
}

impl RowError {
    /// A row refused by a domain rule.
    pub fn of(line: usize, err: DomainError) -> Self {
        Self {
            line,
            code: err.code,
            detail: err.detail,
        }
    }
}

fn row_error(line: usize, err: DomainError) -> RowError {
    RowError::of(line, err)
}

/// The answer for a post that does not exist or lies outside the caller's units.
const UNKNOWN_POST: &str = "position_code: no such post";

/// Refuses a row whose target unit (`unit_path`) no grant with `permission` covers, with the
/// `not_found` (and `unknown` detail) a target that does not exist gets, so a file reveals
/// nothing beyond the caller's units; `None` grants are the operator at the command line, who
/// may import anywhere.
pub fn within_grants(
    line: usize,
    grants: Option<&[Grant]>,
    permission: Permission,
    unit_path: &str,
    unknown: &str,
) -> Result<(), RowError> {
    let Some(grants) = grants else {
        return Ok(());
    };
    let path = UnitPath::parse(unit_path).map_err(|err| RowError::of(line, err))?;
    match check_access(grants, permission, &path) {
        Access::Allowed => Ok(()),
        Access::Forbidden | Access::OutOfScope => Err(RowError {
            line,
            code: ErrorCode::NotFound,
            detail: unknown.to_owned(),
        }),
    }
}

fn optional(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A row that parsed; lookups and duplicates are checked next.
struct ParsedRow {
    line: usize,
    employee: NewEmployee,
    position_code: String,
    account: Option<(LoginName, Locale)>,
}

fn parse_row(line: usize, row: CsvRow, today: NaiveDate) -> Result<ParsedRow, RowError> {
    let latn = NameInput {
        last: row.last_name_latn,
        first: row.first_name_latn,
        patronymic: optional(row.patronymic_latn),
    };
    let cyrl = NameInput {
        last: row.last_name_cyrl,
        first: row.first_name_cyrl,
        patronymic: optional(row.patronymic_cyrl),
    };
    let employee = NewEmployee::parse(
        &row.pinfl,
        &latn,
        &cyrl,
        &row.birth_date,
        &row.tabel_no,
        &row.hire_date,
        today,
    )
    .map_err(|err| row_error(line, err))?;
    let account = match optional(row.login) {
        Some(login) => {
            let login = LoginName::parse(&login).map_err(|err| row_error(line, err))?;
            let locale = match optional(row.locale) {
                Some(tag) => tag.parse::<Locale>().map_err(|err| row_error(line, err))?,
                None => Locale::default(),
            };
            Some((login, locale))
        }
        None => None,
    };
    Ok(ParsedRow {
        line,
        employee,
        position_code: row.position_code.trim().to_ascii_uppercase(),
        account,
    })
}

/// Parses the whole file; a file that is not CSV of the expected header fails as a whole.
fn read(csv_bytes: &[u8], today: NaiveDate) -> ApiResult<Vec<Result<ParsedRow, RowError>>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_bytes);
    let mut rows = Vec::new();
    for (index, record) in reader.deserialize::<CsvRow>().enumerate() {
        let line = index + 2;
        if rows.len() >= MAX_ROWS {
            return Err(ApiError::new(
                ErrorCode::InvalidCsv,
                format!("more than {MAX_ROWS} rows"),
            ));
        }
        let row = record
            .map_err(|err| ApiError::new(ErrorCode::InvalidCsv, format!("line {line}: {err}")))?;
        rows.push(parse_row(line, row, today));
    }
    if rows.is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidCsv, "the file has no rows"));
    }
    Ok(rows)
}

async fn positions_by_code(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> ApiResult<HashMap<String, (position::Model, org_unit::Model)>> {
    let mut found = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        let rows = position::Entity::find()
            .filter(position::Column::Code.is_in(chunk.iter().cloned()))
            .find_also_related(org_unit::Entity)
            .all(db)
            .await?;
        for (position, unit) in rows {
            if let Some(unit) = unit {
                found.insert(position.code.clone(), (position, unit));
            }
        }
    }
    Ok(found)
}

/// Values already in the database that rows may not reuse.
struct Taken {
    pinfls: HashSet<String>,
    occupied: HashSet<uuid::Uuid>,
    logins: HashSet<String>,
}

async fn taken(
    db: &impl ConnectionTrait,
    pinfls: &[String],
    positions: &[uuid::Uuid],
    logins: &[String],
) -> ApiResult<Taken> {
    let mut taken = Taken {
        pinfls: HashSet::new(),
        occupied: HashSet::new(),
        logins: HashSet::new(),
    };
    for chunk in pinfls.chunks(CHUNK) {
        let rows = person::Entity::find()
            .filter(person::Column::Pinfl.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        taken.pinfls.extend(rows.into_iter().map(|p| p.pinfl));
    }
    for chunk in positions.chunks(CHUNK) {
        let rows = employee::Entity::find()
            .filter(employee::Column::PositionId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        taken
            .occupied
            .extend(rows.into_iter().map(|e| e.position_id));
    }
    for chunk in logins.chunks(CHUNK) {
        let rows = account::Entity::find()
            .filter(account::Column::Login.is_in(chunk.iter().cloned()))
            .all(db)
            .await?;
        taken.logins.extend(rows.into_iter().map(|a| a.login));
    }
    Ok(taken)
}

/// Plans the import: the rows to write, or every problem found. `grants` is the uploader's
/// roles; `None` means the operator at the command line, who may import anywhere.
pub async fn plan(
    db: &impl ConnectionTrait,
    csv_bytes: &[u8],
    grants: Option<&[Grant]>,
    today: NaiveDate,
) -> ApiResult<Result<Vec<PlannedRow>, Vec<RowError>>> {
    let parsed = read(csv_bytes, today)?;
    let codes: Vec<String> = parsed
        .iter()
        .flatten()
        .map(|r| r.position_code.clone())
        .collect();
    let positions = positions_by_code(db, &codes).await?;
    let pinfls: Vec<String> = parsed
        .iter()
        .flatten()
        .map(|r| r.employee.pinfl.as_str().to_owned())
        .collect();
    let position_ids: Vec<uuid::Uuid> = positions.values().map(|(p, _)| p.id).collect();
    let logins: Vec<String> = parsed
        .iter()
        .flatten()
        .filter_map(|r| r.account.as_ref().map(|(l, _)| l.as_str().to_owned()))
        .collect();
    let taken = taken(db, &pinfls, &position_ids, &logins).await?;
    let mut checker = Checker {
        grants,
        positions: &positions,
        taken,
        seen: Seen::default(),
    };
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for row in parsed {
        match row.and_then(|row| checker.check(row)) {
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

#[derive(Default)]
struct Seen {
    pinfls: HashSet<String>,
    positions: HashSet<uuid::Uuid>,
    logins: HashSet<String>,
}

struct Checker<'a> {
    grants: Option<&'a [Grant]>,
    positions: &'a HashMap<String, (position::Model, org_unit::Model)>,
    taken: Taken,
    seen: Seen,
}

impl Checker<'_> {
    fn check(&mut self, row: ParsedRow) -> Result<PlannedRow, RowError> {
        let ParsedRow {
            line,
            employee,
            position_code,
            account,
        } = row;
        let fail = |code: ErrorCode, detail: &str| RowError {
            line,
            code,
            detail: detail.to_owned(),
        };
        let (position, unit) = self
            .positions
            .get(&position_code)
            .ok_or_else(|| fail(ErrorCode::NotFound, UNKNOWN_POST))?;
        within_grants(
            line,
            self.grants,
            Permission::ManageEmployees,
            &unit.path,
            UNKNOWN_POST,
        )?;
        let pinfl = employee.pinfl.as_str().to_owned();
        if self.taken.pinfls.contains(&pinfl) || !self.seen.pinfls.insert(pinfl) {
            return Err(fail(
                ErrorCode::PinflTaken,
                "pinfl: already in the database or earlier in the file",
            ));
        }
        if self.taken.occupied.contains(&position.id) || !self.seen.positions.insert(position.id) {
            return Err(fail(
                ErrorCode::PositionOccupied,
                "position_code: the post is occupied",
            ));
        }
        if let Some((login, _)) = &account {
            let login = login.as_str().to_owned();
            if self.taken.logins.contains(&login) || !self.seen.logins.insert(login) {
                return Err(fail(ErrorCode::LoginTaken, "login: already taken"));
            }
        }
        Ok(PlannedRow {
            line,
            employee,
            position: position.clone(),
            org_id: unit.org_id,
            account,
        })
    }
}
