//! Demo data for trying xodim: a Ministry of Justice with two regional departments and a
//! district office, about fifty staff with accounts, and ready-made sign-ins for each kind of
//! user.
//!
//! Everything is derived from fixed tables and list positions, so every fresh database gets the
//! same people, posts and logins; only ids and timestamps differ.

mod people;
mod records;
mod structure;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, TransactionTrait,
};
use uuid::Uuid;
use xodim_domain::{Locale, PositionCategory, Role, UnitId, UnitPath};

use crate::db::entities::{
    account, employee, org_unit, organization, person, position, role_grant,
};
use people::Person;
use structure::{DEMO_LOGINS, DemoLogin, ORGS, OrgSpec, PostSpec, UNITS, UnitSpec};

/// One demo sign-in to print for the person trying xodim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    /// The login to type on the sign-in screen.
    pub login: String,
    /// Who signs in with it: name, post, unit and what the account may do.
    pub description: String,
}

/// Seeds the demo ministry if the database holds no organisation yet; returns None when it
/// already had data.
///
/// Every account gets `password_hash` (a PHC string); `today` bounds the generated hire dates.
/// All rows are written in one transaction, so a failure leaves the database empty.
pub async fn seed_if_empty(
    db: &DatabaseConnection,
    password_hash: &str,
    today: NaiveDate,
) -> Result<Option<Vec<DemoAccount>>, DbErr> {
    let txn = db.begin().await?;
    if organization::Entity::find().one(&txn).await?.is_some() {
        return Ok(None);
    }
    let plan = Builder::new(password_hash, today).build()?;
    let demo = plan.insert(&txn).await?;
    records::seed(&txn, today).await?;
    records::pending_request(&txn).await?;
    txn.commit().await?;
    Ok(Some(demo))
}

/// Every row to write, in an order the foreign keys accept.
#[derive(Default)]
struct Plan {
    orgs: Vec<organization::ActiveModel>,
    units: Vec<org_unit::ActiveModel>,
    posts: Vec<position::ActiveModel>,
    persons: Vec<person::ActiveModel>,
    employees: Vec<employee::ActiveModel>,
    accounts: Vec<account::ActiveModel>,
    grants: Vec<role_grant::ActiveModel>,
    demo: Vec<DemoAccount>,
}

impl Plan {
    async fn insert(self, txn: &DatabaseTransaction) -> Result<Vec<DemoAccount>, DbErr> {
        organization::Entity::insert_many(self.orgs)
            .exec_without_returning(txn)
            .await?;
        org_unit::Entity::insert_many(self.units)
            .exec_without_returning(txn)
            .await?;
        position::Entity::insert_many(self.posts)
            .exec_without_returning(txn)
            .await?;
        person::Entity::insert_many(self.persons)
            .exec_without_returning(txn)
            .await?;
        employee::Entity::insert_many(self.employees)
            .exec_without_returning(txn)
            .await?;
        account::Entity::insert_many(self.accounts)
            .exec_without_returning(txn)
            .await?;
        role_grant::Entity::insert_many(self.grants)
            .exec_without_returning(txn)
            .await?;
        Ok(self.demo)
    }
}

/// A unit already placed in the tree.
struct Placed {
    id: Uuid,
    path: UnitPath,
}

/// A post to be filled, with what its occupant's records need.
struct Seat {
    post_id: Uuid,
    code: String,
    unit_id: Uuid,
    org_id: Uuid,
    unit: &'static UnitSpec,
    post: &'static PostSpec,
    senior: bool,
}

/// The account of a seat's occupant, for demo grants and descriptions.
struct Staffed {
    account_id: Uuid,
    description: String,
}

struct Builder<'a> {
    password_hash: &'a str,
    today: NaiveDate,
    now: DateTime<Utc>,
    org_ids: HashMap<&'static str, Uuid>,
    roots: HashMap<&'static str, Uuid>,
    units: HashMap<&'static str, Placed>,
    seats: Vec<Seat>,
    staffed: HashMap<String, Staffed>,
    plan: Plan,
}

impl<'a> Builder<'a> {
    fn new(password_hash: &'a str, today: NaiveDate) -> Self {
        Builder {
            password_hash,
            today,
            now: Utc::now(),
            org_ids: ORGS.iter().map(|o| (o.key, Uuid::now_v7())).collect(),
            roots: HashMap::new(),
            units: HashMap::new(),
            seats: Vec::new(),
            staffed: HashMap::new(),
            plan: Plan::default(),
        }
    }

    fn build(mut self) -> Result<Plan, DbErr> {
        for unit in UNITS {
            self.add_unit(unit)?;
        }
        for org in ORGS {
            self.add_org(org)?;
        }
        self.add_staff()?;
        for demo in DEMO_LOGINS {
            self.add_demo(demo)?;
        }
        Ok(self.plan)
    }

    fn org_id(&self, key: &str) -> Result<Uuid, DbErr> {
        self.org_ids
            .get(key)
            .copied()
            .ok_or_else(|| DbErr::Custom(format!("demo organisation {key} is not listed")))
    }

    fn unit(&self, code: &str) -> Result<&Placed, DbErr> {
        self.units
            .get(code)
            .ok_or_else(|| DbErr::Custom(format!("demo unit {code} is not listed before use")))
    }

    fn add_org(&mut self, spec: &OrgSpec) -> Result<(), DbErr> {
        let parent_id = spec.parent.map(|key| self.org_id(key)).transpose()?;
        self.plan.orgs.push(organization::ActiveModel {
            id: Set(self.org_id(spec.key)?),
            name_uz_latn: Set(spec.name.uz_latn.into()),
            name_uz_cyrl: Set(Some(spec.name.uz_cyrl.into())),
            name_ru: Set(Some(spec.name.ru.into())),
            name_en: Set(Some(spec.name.en.into())),
            kind: Set(spec.kind.as_str().into()),
            level: Set(spec.level.as_str().into()),
            region_code: Set(Some(spec.region_code.into())),
            parent_id: Set(parent_id),
            root_unit_id: Set(self.roots.get(spec.key).copied()),
            created_at: Set(self.now),
        });
        Ok(())
    }

    fn add_unit(&mut self, spec: &'static UnitSpec) -> Result<(), DbErr> {
        let id = Uuid::now_v7();
        let org_id = self.org_id(spec.org)?;
        let (parent_id, path) = match spec.parent {
            Some(code) => {
                let parent = self.unit(code)?;
                (Some(parent.id), parent.path.child(UnitId::from_uuid(id)))
            }
            None => (None, UnitPath::root(UnitId::from_uuid(id))),
        };
        // An organisation's first listed unit is its root.
        self.roots.entry(spec.org).or_insert(id);
        let post_ids: Vec<Uuid> = spec.posts.iter().map(|_| Uuid::now_v7()).collect();
        self.plan.units.push(org_unit::ActiveModel {
            id: Set(id),
            org_id: Set(org_id),
            parent_id: Set(parent_id),
            path: Set(path.as_str().into()),
            code: Set(spec.code.into()),
            name_uz_latn: Set(spec.name.uz_latn.into()),
            name_uz_cyrl: Set(Some(spec.name.uz_cyrl.into())),
            name_ru: Set(Some(spec.name.ru.into())),
            name_en: Set(Some(spec.name.en.into())),
            head_position_id: Set(post_ids.first().copied()),
            created_at: Set(self.now),
        });
        self.units.insert(spec.code, Placed { id, path });
        for (place, (post, post_id)) in spec.posts.iter().zip(post_ids).enumerate() {
            self.add_post(spec, place, post, post_id, org_id, id);
        }
        Ok(())
    }

    fn add_post(
        &mut self,
        unit: &'static UnitSpec,
        place: usize,
        post: &'static PostSpec,
        post_id: Uuid,
        org_id: Uuid,
        unit_id: Uuid,
    ) {
        let code = format!("{}-{:02}", unit.code, place + 1);
        self.plan.posts.push(position::ActiveModel {
            id: Set(post_id),
            unit_id: Set(unit_id),
            code: Set(code.clone()),
            title_uz_latn: Set(post.title.uz_latn.into()),
            title_uz_cyrl: Set(Some(post.title.uz_cyrl.into())),
            title_ru: Set(Some(post.title.ru.into())),
            title_en: Set(Some(post.title.en.into())),
            category: Set(post.category.as_str().into()),
            civil_service: Set(post.civil_service),
            created_at: Set(self.now),
        });
        if !post.vacant {
            self.seats.push(Seat {
                post_id,
                code,
                unit_id,
                org_id,
                unit,
                post,
                senior: place == 0 || post.deputy || post.category == PositionCategory::SeniorHead,
            });
        }
    }

    fn add_staff(&mut self) -> Result<(), DbErr> {
        let seats = std::mem::take(&mut self.seats);
        let senior: Vec<bool> = seats.iter().map(|s| s.senior).collect();
        let people = people::generate(&senior, self.today)?;
        // Fixed demo logins are reserved first, so no generated login can take one.
        let mut taken: HashSet<String> = DEMO_LOGINS.iter().map(|d| d.login.into()).collect();
        for (index, (seat, person)) in seats.iter().zip(people).enumerate() {
            let demo = DEMO_LOGINS.iter().find(|d| d.post == seat.code);
            let login = match demo {
                Some(d) => d.login.to_owned(),
                None => people::unique_login(person.login_base(), &mut taken),
            };
            self.add_employee(index, seat, &person, login, demo.is_some());
        }
        Ok(())
    }

    fn add_employee(
        &mut self,
        index: usize,
        seat: &Seat,
        person: &Person,
        login: String,
        demo: bool,
    ) {
        let person_id = Uuid::now_v7();
        let employee_id = Uuid::now_v7();
        let account_id = Uuid::now_v7();
        self.plan
            .persons
            .push(person_model(person_id, person, self.now));
        self.plan.employees.push(employee::ActiveModel {
            id: Set(employee_id),
            person_id: Set(person_id),
            org_id: Set(seat.org_id),
            position_id: Set(seat.post_id),
            tabel_no: Set(format!("{:05}", 101 + index)),
            hire_date: Set(person.hire_date),
            status: Set("active".into()),
            created_at: Set(self.now),
            updated_at: Set(self.now),
        });
        let locale = locale_for(index, demo);
        self.plan
            .accounts
            .push(self.account_model(account_id, employee_id, login, locale));
        self.grant(account_id, Role::Servant, seat.unit_id, false);
        let description = format!(
            "{}, {} in the {}",
            person.short_name(),
            seat.post.title.en,
            seat.unit.name.en
        );
        let staffed = Staffed {
            account_id,
            description,
        };
        self.staffed.insert(seat.code.clone(), staffed);
    }

    fn account_model(
        &self,
        id: Uuid,
        employee_id: Uuid,
        login: String,
        locale: Locale,
    ) -> account::ActiveModel {
        account::ActiveModel {
            id: Set(id),
            employee_id: Set(employee_id),
            login: Set(login),
            password_hash: Set(Some(self.password_hash.to_owned())),
            locale: Set(locale.tag().into()),
            disabled_at: Set(None),
            last_login_at: Set(None),
            created_at: Set(self.now),
        }
    }

    fn add_demo(&mut self, demo: &DemoLogin) -> Result<(), DbErr> {
        let staffed = self.staffed.get(demo.post).ok_or_else(|| {
            DbErr::Custom(format!("demo post {} is vacant or not listed", demo.post))
        })?;
        let (account_id, who) = (staffed.account_id, staffed.description.clone());
        if let Some((role, unit_code)) = demo.grant {
            let unit_id = self.unit(unit_code)?.id;
            self.grant(account_id, role, unit_id, true);
        }
        self.plan.demo.push(DemoAccount {
            login: demo.login.into(),
            description: format!("{who}: {}", demo.what),
        });
        Ok(())
    }

    fn grant(&mut self, account_id: Uuid, role: Role, unit_id: Uuid, include_descendants: bool) {
        self.plan.grants.push(role_grant::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(account_id),
            role: Set(role.as_str().into()),
            unit_id: Set(unit_id),
            include_descendants: Set(include_descendants),
            granted_by: Set(None),
            created_at: Set(self.now),
        });
    }
}

fn person_model(id: Uuid, p: &Person, now: DateTime<Utc>) -> person::ActiveModel {
    person::ActiveModel {
        id: Set(id),
        pinfl: Set(p.pinfl.clone()),
        last_name_latn: Set(p.last_latn.clone()),
        first_name_latn: Set(p.first_latn.into()),
        patronymic_latn: Set(Some(p.patronymic_latn.clone())),
        last_name_cyrl: Set(p.last_cyrl.clone()),
        first_name_cyrl: Set(p.first_cyrl.into()),
        patronymic_cyrl: Set(Some(p.patronymic_cyrl.clone())),
        birth_date: Set(p.birth_date),
        gender: Set(p.gender.as_str().into()),
        created_at: Set(now),
    }
}

/// Mostly Uzbek Latin, every sixth person Russian and one Uzbek Cyrillic reader; the demo
/// sign-ins start in the state-language default.
fn locale_for(index: usize, demo: bool) -> Locale {
    match index {
        _ if demo => Locale::UzLatn,
        11 => Locale::UzCyrl,
        i if i % 6 == 4 => Locale::Ru,
        _ => Locale::UzLatn,
    }
}

#[cfg(test)]
mod tests;
