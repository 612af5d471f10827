//! Organisation fixtures written straight to a test server's database: a small tree of units
//! and people holding chosen roles.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use uuid::Uuid;
use xodim_domain::{Locale, LoginName, PersonName, Pinfl, Role, UnitId, UnitPath};
use xodim_server::admin::accounts::insert_account;
use xodim_server::admin::employees::{NewEmployee, insert};
use xodim_server::auth::password;
use xodim_server::db::entities::{account, org_unit, organization, position, role_grant};

use crate::TestApp;

/// The password of every fixture account.
pub const PASSWORD: &str = "correct horse battery staple";

/// An organisation whose root unit has two sibling units, A and B.
pub struct Tree {
    pub org: Uuid,
    pub root: Uuid,
    pub unit_a: Uuid,
    pub unit_b: Uuid,
}

/// A fixture employee with an account.
pub struct Person {
    pub login: String,
    pub account: Uuid,
    pub employee: Uuid,
    pub position: Uuid,
    pub unit: Uuid,
    pub pinfl: String,
}

static SERIAL: AtomicU64 = AtomicU64::new(1);

fn serial() -> u64 {
    SERIAL.fetch_add(1, Ordering::Relaxed)
}

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash_blocking(PASSWORD).unwrap())
        .clone()
}

/// A valid PINFL of a man born on 1 January 1990, unique within the test process.
pub fn new_pinfl() -> String {
    format!("3010190{:07}", serial())
}

impl TestApp {
    async fn unit(
        &self,
        org: Uuid,
        parent: Option<&org_unit::Model>,
        code: &str,
    ) -> org_unit::Model {
        let id = Uuid::now_v7();
        let path = match parent {
            Some(parent) => UnitPath::parse(&parent.path)
                .unwrap()
                .child(UnitId::from_uuid(id)),
            None => UnitPath::root(UnitId::from_uuid(id)),
        };
        org_unit::ActiveModel {
            id: Set(id),
            org_id: Set(org),
            parent_id: Set(parent.map(|p| p.id)),
            path: Set(path.as_str().to_owned()),
            code: Set(format!("{code}-{}", serial())),
            name_uz_latn: Set(format!("{code} boʻlimi")),
            name_uz_cyrl: Set(None),
            name_ru: Set(Some(format!("Отдел {code}"))),
            name_en: Set(Some(format!("{code} department"))),
            head_position_id: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&self.state.db)
        .await
        .unwrap()
    }

    /// Creates an organisation with a root unit and two units under it.
    pub async fn tree(&self) -> Tree {
        let org = Uuid::now_v7();
        organization::ActiveModel {
            id: Set(org),
            name_uz_latn: Set("Sinov vazirligi".into()),
            name_uz_cyrl: Set(Some("Синов вазирлиги".into())),
            name_ru: Set(Some("Министерство испытаний".into())),
            name_en: Set(Some("Ministry of Testing".into())),
            kind: Set("ministry".into()),
            level: Set("republic".into()),
            region_code: Set(Some("1726".into())),
            parent_id: Set(None),
            root_unit_id: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&self.state.db)
        .await
        .unwrap();
        let root = self.unit(org, None, "ROOT").await;
        let unit_a = self.unit(org, Some(&root), "A").await;
        let unit_b = self.unit(org, Some(&root), "B").await;
        organization::Entity::update(organization::ActiveModel {
            id: Set(org),
            root_unit_id: Set(Some(root.id)),
            ..Default::default()
        })
        .exec(&self.state.db)
        .await
        .unwrap();
        Tree {
            org,
            root: root.id,
            unit_a: unit_a.id,
            unit_b: unit_b.id,
        }
    }

    /// A vacant post in a unit.
    pub async fn post(&self, unit: Uuid) -> position::Model {
        position::ActiveModel {
            id: Set(Uuid::now_v7()),
            unit_id: Set(unit),
            code: Set(format!("POST-{}", serial())),
            title_uz_latn: Set("Bosh mutaxassis".into()),
            title_uz_cyrl: Set(Some("Бош мутахассис".into())),
            title_ru: Set(Some("Главный специалист".into())),
            title_en: Set(Some("Chief specialist".into())),
            category: Set("other".into()),
            civil_service: Set(true),
            created_at: Set(Utc::now()),
        }
        .insert(&self.state.db)
        .await
        .unwrap()
    }

    /// An employee on a new post in `unit`, with an account (password [`PASSWORD`]) and grants.
    pub async fn person(&self, unit: Uuid, login: &str, grants: &[(Role, Uuid)]) -> Person {
        let post = self.post(unit).await;
        let org = org_unit::Entity::find_by_id(unit)
            .one(&self.state.db)
            .await
            .unwrap()
            .unwrap()
            .org_id;
        let pinfl = new_pinfl();
        let new = NewEmployee {
            pinfl: Pinfl::parse(&pinfl).unwrap(),
            latn: PersonName::latin("Testov", "Ali", Some("Valiyevich")).unwrap(),
            cyrl: PersonName::cyrillic("Тестов", "Али", Some("Валиевич")).unwrap(),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            tabel_no: format!("{}", serial()),
            hire_date: NaiveDate::from_ymd_opt(2015, 9, 1).unwrap(),
        };
        let employee = insert(&self.state.db, &new, &post, org).await.unwrap();
        let login_name = LoginName::parse(login).unwrap();
        let account = insert_account(&self.state.db, employee.id, &login_name, Locale::UzLatn)
            .await
            .unwrap();
        let mut with_password: account::ActiveModel = account.clone().into();
        with_password.password_hash = Set(Some(password_hash()));
        with_password.update(&self.state.db).await.unwrap();
        for (role, grant_unit) in grants {
            role_grant::ActiveModel {
                id: Set(Uuid::now_v7()),
                account_id: Set(account.id),
                role: Set(role.as_str().to_owned()),
                unit_id: Set(*grant_unit),
                include_descendants: Set(true),
                granted_by: Set(None),
                created_at: Set(Utc::now()),
            }
            .insert(&self.state.db)
            .await
            .unwrap();
        }
        Person {
            login: login.to_owned(),
            account: account.id,
            employee: employee.id,
            position: post.id,
            unit,
            pinfl,
        }
    }

    /// An employee on a new post in `unit`, without an account.
    pub async fn employee_without_account(&self, unit: Uuid) -> Uuid {
        let post = self.post(unit).await;
        let org = org_unit::Entity::find_by_id(unit)
            .one(&self.state.db)
            .await
            .unwrap()
            .unwrap()
            .org_id;
        let new = NewEmployee {
            pinfl: Pinfl::parse(&new_pinfl()).unwrap(),
            latn: PersonName::latin("Yangiyev", "Sardor", None).unwrap(),
            cyrl: PersonName::cyrillic("Янгиев", "Сардор", None).unwrap(),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(),
            tabel_no: format!("{}", serial()),
            hire_date: NaiveDate::from_ymd_opt(2020, 2, 3).unwrap(),
        };
        insert(&self.state.db, &new, &post, org).await.unwrap().id
    }

    /// The id of a grant of `role` on `unit` to `account`.
    pub async fn grant(&self, account: Uuid, role: Role, unit: Uuid) -> Uuid {
        role_grant::ActiveModel {
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            role: Set(role.as_str().to_owned()),
            unit_id: Set(unit),
            include_descendants: Set(true),
            granted_by: Set(None),
            created_at: Set(Utc::now()),
        }
        .insert(&self.state.db)
        .await
        .unwrap()
        .id
    }

    /// Writes every unit and employee card into the change log, as the demo seed does.
    pub async fn publish_all(&self) {
        let txn = sea_orm::TransactionTrait::begin(&self.state.db)
            .await
            .unwrap();
        xodim_server::org::publish::everything(&txn).await.unwrap();
        txn.commit().await.unwrap();
    }

    /// Moves an employee to a new post in `unit` through the API, as the holder of `token`.
    pub async fn transfer(&self, token: &str, employee: Uuid, unit: Uuid) {
        let post = self.post(unit).await;
        let moved = self
            .authed(
                reqwest::Method::POST,
                &format!("/api/v1/admin/employees/{employee}/transfer"),
                token,
            )
            .json(&serde_json::json!({ "position_id": post.id }))
            .send()
            .await
            .unwrap();
        assert_eq!(moved.status(), 200, "transfer of {employee}");
    }

    /// Makes a post the head post of its unit.
    pub async fn make_head(&self, unit: Uuid, post: Uuid) {
        org_unit::Entity::update(org_unit::ActiveModel {
            id: Set(unit),
            head_position_id: Set(Some(post)),
            ..Default::default()
        })
        .exec(&self.state.db)
        .await
        .unwrap();
    }
}

/// The database the tests run on, chosen by `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestDatabase {
    /// Unset (or empty), or a `sqlite:` URL: a fresh SQLite file per server.
    Sqlite,
    /// A `postgres://` or `postgresql://` URL of a server on which each test creates a database.
    Postgres(String),
}

impl TestDatabase {
    /// Reads `DATABASE_URL`; a URL that names neither SQLite nor PostgreSQL stops the test
    /// rather than running it, silently, on something other than what was asked for.
    pub fn from_env() -> Self {
        Self::parse(std::env::var("DATABASE_URL").ok().as_deref())
            .unwrap_or_else(|reason| panic!("{reason}"))
    }

    /// The choice for a value of `DATABASE_URL`.
    pub fn parse(url: Option<&str>) -> Result<Self, String> {
        match url.map(str::trim) {
            None | Some("") => Ok(Self::Sqlite),
            Some(url) if url.starts_with("sqlite:") => Ok(Self::Sqlite),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(url.to_owned()))
            }
            Some(url) => Err(format!(
                "DATABASE_URL {url:?} names neither SQLite (sqlite:) nor PostgreSQL \
                 (postgres:// or postgresql://); unset it to run on SQLite"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TestDatabase;

    #[test]
    fn a_database_url_that_names_neither_sqlite_nor_postgresql_is_an_error() {
        for url in [
            "mysql://root@localhost/x",
            "postgre://x",
            "127.0.0.1:5432",
            "sqlite",
        ] {
            let refused = TestDatabase::parse(Some(url)).unwrap_err();
            assert!(refused.contains(url), "{refused}");
        }
    }

    #[test]
    fn sqlite_and_postgresql_urls_choose_their_database() {
        assert_eq!(TestDatabase::parse(None), Ok(TestDatabase::Sqlite));
        assert_eq!(TestDatabase::parse(Some("")), Ok(TestDatabase::Sqlite));
        assert_eq!(
            TestDatabase::parse(Some("sqlite://x.db?mode=rwc")),
            Ok(TestDatabase::Sqlite)
        );
        for url in ["postgres://postgres@127.0.0.1/p", "postgresql://u@h:5432/p"] {
            assert_eq!(
                TestDatabase::parse(Some(url)),
                Ok(TestDatabase::Postgres(url.into()))
            );
        }
    }
}
