//! Bulk rows written straight to a server's database: organisations, units, posts, persons and
//! employees, with their change-log rows written in the same transaction by the server's own
//! `sync::log::record`, as an import would.

use anyhow::{Context, Result};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, TransactionTrait,
};
use uuid::Uuid;
use xodim_domain::sync::{EmployeeCard, EntityKind, Scope};
use xodim_domain::{Pinfl, UnitId, UnitPath};
use xodim_server::db::entities::{employee, org_unit, organization, person, position};
use xodim_server::org::publish;
use xodim_server::sync::log::{self, Entry};

/// Rows per INSERT statement (11 columns at most: well under both databases' parameter limits).
const ROWS_PER_STATEMENT: usize = 1000;
/// Employees of a filler organisation.
pub const PER_ORG: usize = 10_000;
/// Employees of a filler unit.
pub const PER_UNIT: usize = 50;

const LAST: [(&str, &str); 8] = [
    ("Karimov", "Каримов"),
    ("Aliyev", "Алиев"),
    ("Rahimov", "Рахимов"),
    ("Yusupov", "Юсупов"),
    ("Toshmatov", "Тошматов"),
    ("Saidov", "Саидов"),
    ("Nazarov", "Назаров"),
    ("Qodirov", "Кодиров"),
];
const FIRST: [(&str, &str); 8] = [
    ("Aziz", "Азиз"),
    ("Dilshod", "Дилшод"),
    ("Jasur", "Жасур"),
    ("Nodira", "Нодира"),
    ("Gulnora", "Гулнора"),
    ("Sardor", "Сардор"),
    ("Malika", "Малика"),
    ("Bekzod", "Бекзод"),
];
const TITLES: [&str; 4] = [
    "Bosh mutaxassis",
    "Yetakchi mutaxassis",
    "Boʻlim boshligʻi oʻrinbosari",
    "Inspektor",
];

/// Rows of one batch, built in memory and written by [`Batch::write`].
#[derive(Default)]
pub struct Batch {
    units: Vec<org_unit::ActiveModel>,
    posts: Vec<position::ActiveModel>,
    persons: Vec<person::ActiveModel>,
    employees: Vec<employee::ActiveModel>,
    /// Change-log entries (unit catalogue and employee cards) written with the rows.
    pub entries: Vec<Entry>,
}

/// Builds rows with codes and PINFLs unique within one database.
pub struct Builder {
    serial: u64,
    tag: String,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    pub fn new() -> Self {
        Self {
            serial: 0,
            tag: Uuid::new_v4().simple().to_string()[..6].to_owned(),
        }
    }

    fn next(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    /// A unit under `parent` (or a root); its catalogue entry goes into the batch.
    pub fn unit(
        &mut self,
        batch: &mut Batch,
        org: Uuid,
        parent: Option<&org_unit::Model>,
    ) -> Result<org_unit::Model> {
        let (id, n) = (Uuid::now_v7(), self.next());
        let path = match parent {
            Some(p) => UnitPath::parse(&p.path)?.child(UnitId::from_uuid(id)),
            None => UnitPath::root(UnitId::from_uuid(id)),
        };
        let unit = org_unit::Model {
            id,
            org_id: org,
            parent_id: parent.map(|p| p.id),
            path: path.as_str().to_owned(),
            code: format!("BU-{}-{n}", self.tag),
            name_uz_latn: format!("{n}-boʻlim"),
            name_uz_cyrl: None,
            name_ru: Some(format!("Отдел {n}")),
            name_en: None,
            head_position_id: None,
            created_at: Utc::now(),
        };
        batch.entries.push(publish::unit_entry(&unit)?);
        batch.units.push(unit.clone().into_active_model());
        Ok(unit)
    }

    /// `count` employees on new posts of `unit`; their cards go into the batch.
    pub fn staff(&mut self, batch: &mut Batch, org: Uuid, unit: Uuid, count: usize) -> Result<()> {
        for _ in 0..count {
            let n = self.next();
            let (post, person, employee) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
            let title = TITLES[(n % 4) as usize];
            batch
                .posts
                .push(post_row(post, unit, &format!("BP-{}-{n}", self.tag), title));
            let (last, first) = (LAST[(n % 8) as usize], FIRST[(n / 8 % 8) as usize]);
            batch.persons.push(person_row(person, n, last, first)?);
            batch
                .employees
                .push(employee_row(employee, person, org, post, n));
            let card = EmployeeCard {
                employee_id: employee,
                full_name_latn: format!("{} {} Anvarovich", last.0, first.0),
                full_name_cyrl: format!("{} {} Анварович", last.1, first.1),
                post: title.to_owned(),
                unit_id: unit,
                phone: None,
                email: None,
            };
            batch.entries.push(Entry {
                scope: Scope::Unit(UnitId::from_uuid(unit)),
                kind: EntityKind::EmployeeCard,
                id: employee,
                data: Some(serde_json::to_value(&card)?),
            });
        }
        Ok(())
    }
}

fn post_row(id: Uuid, unit: Uuid, code: &str, title: &str) -> position::ActiveModel {
    position::Model {
        id,
        unit_id: unit,
        code: code.to_owned(),
        title_uz_latn: title.to_owned(),
        title_uz_cyrl: None,
        title_ru: None,
        title_en: None,
        category: "other".into(),
        civil_service: true,
        created_at: Utc::now(),
    }
    .into_active_model()
}

/// A person with a valid PINFL of a woman born in the 1900s; the last seven digits are the
/// serial, so PINFLs never repeat (the test fixtures use men's PINFLs).
fn person_row(
    id: Uuid,
    n: u64,
    last: (&str, &str),
    first: (&str, &str),
) -> Result<person::ActiveModel> {
    let (day, month, year) = (n % 28 + 1, n / 28 % 12 + 1, 60 + n % 40);
    let pinfl = Pinfl::parse(&format!(
        "4{day:02}{month:02}{year:02}{:07}",
        n % 10_000_000
    ))?;
    Ok(person::Model {
        id,
        pinfl: pinfl.as_str().to_owned(),
        last_name_latn: last.0.to_owned(),
        first_name_latn: first.0.to_owned(),
        patronymic_latn: Some("Anvarovich".into()),
        last_name_cyrl: last.1.to_owned(),
        first_name_cyrl: first.1.to_owned(),
        patronymic_cyrl: Some("Анварович".into()),
        birth_date: pinfl.birth_date(),
        gender: pinfl.gender().as_str().to_owned(),
        created_at: Utc::now(),
    }
    .into_active_model())
}

fn employee_row(id: Uuid, person: Uuid, org: Uuid, post: Uuid, n: u64) -> employee::ActiveModel {
    employee::Model {
        id,
        person_id: person,
        org_id: org,
        position_id: post,
        tabel_no: format!("T{n}"),
        hire_date: NaiveDate::from_ymd_opt(2015, 9, 1).unwrap_or_default(),
        status: "active".into(),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
    .into_active_model()
}

async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>) -> Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        <A::Entity as EntityTrait>::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

impl Batch {
    /// Writes the rows and their change-log entries in one transaction.
    pub async fn write(self, db: &DatabaseConnection) -> Result<Vec<(Scope, i64)>> {
        let txn = db.begin().await?;
        insert_all(&txn, self.units).await.context("units")?;
        insert_all(&txn, self.posts).await.context("posts")?;
        insert_all(&txn, self.persons).await.context("persons")?;
        insert_all(&txn, self.employees)
            .await
            .context("employees")?;
        let heads = log::record(&txn, self.entries, Utc::now()).await?;
        txn.commit().await?;
        Ok(heads)
    }
}

/// An organisation row (its root unit is named afterwards, by [`name_root`]).
pub async fn organisation(db: &impl ConnectionTrait, n: usize) -> Result<Uuid> {
    let id = Uuid::now_v7();
    organization::ActiveModel {
        id: Set(id),
        name_uz_latn: Set(format!("{n}-sinov qoʻmitasi")),
        name_uz_cyrl: Set(None),
        name_ru: Set(Some(format!("Комитет {n}"))),
        name_en: Set(None),
        kind: Set("committee".into()),
        level: Set("republic".into()),
        region_code: Set(None),
        parent_id: Set(None),
        root_unit_id: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Names the root unit of an organisation.
pub async fn name_root(db: &impl ConnectionTrait, org: Uuid, root: Uuid) -> Result<()> {
    organization::Entity::update(organization::ActiveModel {
        id: Set(org),
        root_unit_id: Set(Some(root)),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(())
}

/// Fills the database with `count` employees in organisations of [`PER_ORG`], units of
/// [`PER_UNIT`], one transaction per organisation.
pub async fn filler(db: &DatabaseConnection, builder: &mut Builder, count: usize) -> Result<()> {
    let mut left = count;
    let mut n = 0;
    while left > 0 {
        let size = left.min(PER_ORG);
        n += 1;
        let org = organisation(db, n).await?;
        let mut batch = Batch::default();
        let root = builder.unit(&mut batch, org, None)?;
        let mut placed = 0;
        while placed < size {
            let unit = builder.unit(&mut batch, org, Some(&root))?;
            let here = (size - placed).min(PER_UNIT);
            builder.staff(&mut batch, org, unit.id, here)?;
            placed += here;
        }
        batch.write(db).await?;
        name_root(db, org, root.id).await?;
        left -= size;
    }
    Ok(())
}
