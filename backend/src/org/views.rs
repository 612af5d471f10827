//! Response shapes of organisational objects.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use xodim_domain::LocalizedText;

use crate::db::entities::{employee, org_unit, organization, person, position};

/// A name in the four languages; only `uz_latn` is always present.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Names {
    /// Uzbek, Latin script (the official script).
    pub uz_latn: String,
    /// Uzbek, Cyrillic script.
    pub uz_cyrl: Option<String>,
    /// Russian.
    pub ru: Option<String>,
    /// English.
    pub en: Option<String>,
}

impl Names {
    fn of(
        uz_latn: &str,
        uz_cyrl: &Option<String>,
        ru: &Option<String>,
        en: &Option<String>,
    ) -> Self {
        Self {
            uz_latn: uz_latn.into(),
            uz_cyrl: uz_cyrl.clone(),
            ru: ru.clone(),
            en: en.clone(),
        }
    }
}

impl From<LocalizedText> for Names {
    fn from(text: LocalizedText) -> Self {
        Self {
            uz_latn: text.uz_latn,
            uz_cyrl: text.uz_cyrl,
            ru: text.ru,
            en: text.en,
        }
    }
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: Names,
    pub kind: String,
    pub level: String,
    pub region_code: Option<String>,
    pub parent_id: Option<Uuid>,
    pub root_unit_id: Option<Uuid>,
}

impl From<&organization::Model> for OrganizationView {
    fn from(m: &organization::Model) -> Self {
        Self {
            id: m.id,
            name: Names::of(&m.name_uz_latn, &m.name_uz_cyrl, &m.name_ru, &m.name_en),
            kind: m.kind.clone(),
            level: m.level.clone(),
            region_code: m.region_code.clone(),
            parent_id: m.parent_id,
            root_unit_id: m.root_unit_id,
        }
    }
}

/// An organisational unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub id: Uuid,
    pub org_id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: Names,
    pub head_position_id: Option<Uuid>,
}

impl From<&org_unit::Model> for UnitView {
    fn from(m: &org_unit::Model) -> Self {
        Self {
            id: m.id,
            org_id: m.org_id,
            parent_id: m.parent_id,
            code: m.code.clone(),
            name: Names::of(&m.name_uz_latn, &m.name_uz_cyrl, &m.name_ru, &m.name_en),
            head_position_id: m.head_position_id,
        }
    }
}

/// A staff post.
#[derive(Debug, Serialize, ToSchema)]
pub struct PositionView {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub code: String,
    pub title: Names,
    pub category: String,
    pub civil_service: bool,
}

impl From<&position::Model> for PositionView {
    fn from(m: &position::Model) -> Self {
        Self {
            id: m.id,
            unit_id: m.unit_id,
            code: m.code.clone(),
            title: Names::of(&m.title_uz_latn, &m.title_uz_cyrl, &m.title_ru, &m.title_en),
            category: m.category.clone(),
            civil_service: m.civil_service,
        }
    }
}

/// A name in one script.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonNameView {
    pub last: String,
    pub first: String,
    pub patronymic: Option<String>,
}

/// A person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub id: Uuid,
    pub pinfl: String,
    pub name_latn: PersonNameView,
    pub name_cyrl: PersonNameView,
    pub birth_date: NaiveDate,
    pub gender: String,
}

impl From<&person::Model> for PersonView {
    fn from(m: &person::Model) -> Self {
        Self {
            id: m.id,
            pinfl: m.pinfl.clone(),
            name_latn: PersonNameView {
                last: m.last_name_latn.clone(),
                first: m.first_name_latn.clone(),
                patronymic: m.patronymic_latn.clone(),
            },
            name_cyrl: PersonNameView {
                last: m.last_name_cyrl.clone(),
                first: m.first_name_cyrl.clone(),
                patronymic: m.patronymic_cyrl.clone(),
            },
            birth_date: m.birth_date,
            gender: m.gender.clone(),
        }
    }
}

/// An employee with the person and post.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployeeView {
    pub id: Uuid,
    pub org_id: Uuid,
    pub tabel_no: String,
    pub hire_date: NaiveDate,
    pub status: String,
    pub person: PersonView,
    pub position: PositionView,
}

impl EmployeeView {
    /// Joins the three rows.
    pub fn new(e: &employee::Model, p: &person::Model, pos: &position::Model) -> Self {
        Self {
            id: e.id,
            org_id: e.org_id,
            tabel_no: e.tabel_no.clone(),
            hire_date: e.hire_date,
            status: e.status.clone(),
            person: p.into(),
            position: pos.into(),
        }
    }
}

/// A page of a list, with the cursor of the next page when there is one.
#[derive(Debug, Serialize, ToSchema)]
pub struct PageView<T> {
    pub items: Vec<T>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_after: Option<Uuid>,
}

impl<T> PageView<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says there is more.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: u32,
        id: impl Fn(&R) -> Uuid,
        view: impl Fn(&R) -> T,
    ) -> Self {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_after = if more { rows.last().map(&id) } else { None };
        Self {
            items: rows.iter().map(view).collect(),
            next_after,
        }
    }
}
