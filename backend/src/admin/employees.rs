//! Employees: a person on a staff post. Created one by one here or in bulk by the CSV import.

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, TransactionTrait,
};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::{
    DomainError, ErrorCode, Permission, PersonName, Pinfl, parse_date, validate_birth_date,
};

use super::ListQuery;
use crate::auth::Actor;
use crate::db::entities::{employee, person, position};
use crate::db::is_unique_violation;
use crate::error::{ApiError, ApiResult};
use crate::org::publish;
use crate::org::queries;
use crate::org::views::{EmployeeView, PageView};
use crate::state::AppState;
use crate::sync::engine::{Publication, commit_and_poke};

/// Registers the employee routes (the import registers itself here too, to share the prefix).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/employees", web::get().to(list))
        .route("/employees", web::post().to(create))
        .route("/employees/import", web::post().to(super::import::import))
        .route("/employees/{id}", web::get().to(get))
        .route("/employees/{id}/transfer", web::post().to(transfer));
}

/// A name as sent: last, first and optional patronymic.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NameInput {
    pub last: String,
    pub first: String,
    pub patronymic: Option<String>,
}

/// A new employee and the person behind them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateEmployee {
    /// 14-digit personal number.
    pub pinfl: String,
    pub name_latn: NameInput,
    pub name_cyrl: NameInput,
    /// `YYYY-MM-DD`; must agree with the PINFL.
    pub birth_date: String,
    /// Personnel (timesheet) number.
    pub tabel_no: String,
    /// `YYYY-MM-DD`.
    pub hire_date: String,
    /// A vacant post.
    pub position_id: Uuid,
}

/// A validated new employee, ready to insert.
#[derive(Debug, Clone)]
pub struct NewEmployee {
    pub pinfl: Pinfl,
    pub latn: PersonName,
    pub cyrl: PersonName,
    pub birth_date: NaiveDate,
    pub tabel_no: String,
    pub hire_date: NaiveDate,
}

impl NewEmployee {
    /// Parses every field; the first problem is returned.
    pub fn parse(
        pinfl: &str,
        latn: &NameInput,
        cyrl: &NameInput,
        birth_date: &str,
        tabel_no: &str,
        hire_date: &str,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let pinfl = Pinfl::parse(pinfl)?;
        let birth_date = parse_date(birth_date)?;
        validate_birth_date(birth_date, today)?;
        pinfl.check_birth_date(birth_date)?;
        let hire_date = parse_date(hire_date)?;
        if hire_date <= birth_date || hire_date > today + chrono::Days::new(366) {
            return Err(DomainError::new(
                ErrorCode::InvalidDate,
                "hire_date: not a plausible hiring date",
            ));
        }
        let tabel_no = tabel_no.trim().to_owned();
        if tabel_no.is_empty()
            || tabel_no.len() > 20
            || !tabel_no
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(DomainError::new(
                ErrorCode::InvalidField,
                "tabel_no: 1 to 20 letters, digits or '-'",
            ));
        }
        Ok(Self {
            latn: PersonName::latin(&latn.last, &latn.first, latn.patronymic.as_deref())?,
            cyrl: PersonName::cyrillic(&cyrl.last, &cyrl.first, cyrl.patronymic.as_deref())?,
            pinfl,
            birth_date,
            tabel_no,
            hire_date,
        })
    }
}

/// Inserts the person and the employee on a post, which must be vacant.
pub async fn insert(
    db: &impl ConnectionTrait,
    new: &NewEmployee,
    position: &position::Model,
    org_id: Uuid,
) -> ApiResult<employee::Model> {
    if queries::occupant(db, position.id).await?.is_some() {
        return Err(ApiError::new(
            ErrorCode::PositionOccupied,
            "the post is already occupied",
        ));
    }
    let now = Utc::now();
    let person_id = Uuid::now_v7();
    person::ActiveModel {
        id: Set(person_id),
        pinfl: Set(new.pinfl.as_str().to_owned()),
        last_name_latn: Set(new.latn.last.clone()),
        first_name_latn: Set(new.latn.first.clone()),
        patronymic_latn: Set(new.latn.patronymic.clone()),
        last_name_cyrl: Set(new.cyrl.last.clone()),
        first_name_cyrl: Set(new.cyrl.first.clone()),
        patronymic_cyrl: Set(new.cyrl.patronymic.clone()),
        birth_date: Set(new.birth_date),
        gender: Set(new.pinfl.gender().as_str().to_owned()),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|err| {
        taken(
            err,
            ErrorCode::PinflTaken,
            "a person with this PINFL exists",
        )
    })?;
    employee::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        org_id: Set(org_id),
        position_id: Set(position.id),
        tabel_no: Set(new.tabel_no.clone()),
        hire_date: Set(new.hire_date),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|err| {
        taken(
            err,
            ErrorCode::PositionOccupied,
            "the post is already occupied",
        )
    })
}

fn taken(err: sea_orm::DbErr, code: ErrorCode, detail: &str) -> ApiError {
    if is_unique_violation(&err) {
        ApiError::new(code, detail)
    } else {
        err.into()
    }
}

#[utoipa::path(get, path = "/api/v1/admin/employees", tag = "admin", params(ListQuery),
    responses((status = 200, body = PageView<EmployeeView>)), security(("bearer" = [])))]
pub(crate) async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewEmployees).await?;
    let page = query.page()?;
    let mut select = employee::Entity::find()
        .join(JoinType::InnerJoin, employee::Relation::Position.def())
        .join(JoinType::InnerJoin, position::Relation::OrgUnit.def());
    if let Some(unit) = query.unit {
        let unit = scope.unit(&state.db, unit).await?;
        select = select.filter(position::Column::UnitId.eq(unit.id));
    } else {
        select = select.filter(scope.condition());
    }
    if let Some(after) = page.after {
        select = select.filter(employee::Column::Id.gt(after));
    }
    let rows = select
        .find_also_related(person::Entity)
        .order_by_asc(employee::Column::Id)
        .limit(u64::from(page.limit) + 1)
        .all(&state.db)
        .await?;
    let posts: HashMap<Uuid, position::Model> = position::Entity::find()
        .filter(position::Column::Id.is_in(rows.iter().map(|(e, _)| e.position_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let joined: Vec<_> = rows
        .into_iter()
        .filter_map(|(e, p)| Some((posts.get(&e.position_id)?, p?, e)))
        .collect();
    Ok(HttpResponse::Ok().json(PageView::from_rows(
        joined,
        page.limit,
        |(_, _, e)| e.id,
        |(post, person, e)| EmployeeView::new(e, person, post),
    )))
}

#[utoipa::path(post, path = "/api/v1/admin/employees", tag = "admin", request_body = CreateEmployee,
    responses((status = 201, body = EmployeeView)), security(("bearer" = [])))]
pub(crate) async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: web::Json<CreateEmployee>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageEmployees).await?;
    let (position, unit) = scope.position(&state.db, body.position_id).await?;
    let today = Utc::now().date_naive();
    let b = &body;
    let new = NewEmployee::parse(
        &b.pinfl,
        &b.name_latn,
        &b.name_cyrl,
        &b.birth_date,
        &b.tabel_no,
        &b.hire_date,
        today,
    )?;

    let txn = state.db.begin().await?;
    let employee = insert(&txn, &new, &position, unit.org_id).await?;
    let cards = publish::cards(&txn, &[employee.id]).await?;
    commit_and_poke(&state, txn, cards).await?;
    let record = queries::employee_record(&state.db, employee.id).await?;
    Ok(HttpResponse::Created().json(EmployeeView::new(
        &record.employee,
        &record.person,
        &record.position,
    )))
}

#[utoipa::path(get, path = "/api/v1/admin/employees/{id}", tag = "admin",
    responses((status = 200, body = EmployeeView)), security(("bearer" = [])))]
pub(crate) async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ViewEmployees).await?;
    let record = scope.employee(&state.db, *id).await?;
    Ok(HttpResponse::Ok().json(EmployeeView::new(
        &record.employee,
        &record.person,
        &record.position,
    )))
}

/// Moving an employee to another vacant post.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Transfer {
    pub position_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/admin/employees/{id}/transfer", tag = "admin", request_body = Transfer,
    responses((status = 200, body = EmployeeView)), security(("bearer" = [])))]
pub(crate) async fn transfer(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Json<Transfer>,
) -> ApiResult<HttpResponse> {
    let scope = actor.scope(&state, Permission::ManageEmployees).await?;
    let record = scope.employee(&state.db, *id).await?;
    let (target, target_unit) = scope.position(&state.db, body.position_id).await?;
    if queries::occupant(&state.db, target.id)
        .await?
        .is_some_and(|o| o.id != record.employee.id)
    {
        return Err(ApiError::new(
            ErrorCode::PositionOccupied,
            "the post is already occupied",
        ));
    }
    let (employee_id, old_unit) = (record.employee.id, record.unit.id);
    let mut model: employee::ActiveModel = record.employee.into();
    model.position_id = Set(target.id);
    model.org_id = Set(target_unit.org_id);
    model.updated_at = Set(Utc::now());
    let txn = state.db.begin().await?;
    model.update(&txn).await.map_err(|err| {
        taken(
            err,
            ErrorCode::PositionOccupied,
            "the post is already occupied",
        )
    })?;
    let mut entries = vec![publish::card_removal(old_unit, employee_id)];
    entries.extend(publish::card_entry(&txn, employee_id).await?);
    entries.extend(crate::records::publish::requests_moved(&txn, employee_id, old_unit).await?);
    let moved = Publication::from(entries).with_membership_changed();
    commit_and_poke(&state, txn, moved).await?;
    let record = queries::employee_record(&state.db, *id).await?;
    Ok(HttpResponse::Ok().json(EmployeeView::new(
        &record.employee,
        &record.person,
        &record.position,
    )))
}
