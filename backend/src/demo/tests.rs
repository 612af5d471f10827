//! Seeds a fresh SQLite file and checks the demo data against the domain's own rules.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use xodim_domain::{Gender, LoginName, PersonName, Pinfl, UnitId, UnitPath};

use super::*;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

struct TempDb {
    db: DatabaseConnection,
    path: std::path::PathBuf,
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

async fn seeded() -> (TempDb, Vec<DemoAccount>) {
    let path = std::env::temp_dir().join(format!("xodim_demo_{}.db", Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = crate::db::connect(&url, 2).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    let demo = seed_if_empty(&db, HASH, today()).await.unwrap().unwrap();
    (TempDb { db, path }, demo)
}

#[tokio::test]
async fn seeding_twice_leaves_the_first_data_alone() {
    let (t, demo) = seeded().await;
    let logins: Vec<&str> = demo.iter().map(|d| d.login.as_str()).collect();
    assert_eq!(
        logins,
        [
            "demo-admin",
            "demo-hr",
            "demo-manager",
            "demo-servant",
            "samarqand-hr",
            "auditor"
        ]
    );
    assert!(demo.iter().all(|d| !d.description.is_empty()));
    assert!(seed_if_empty(&t.db, HASH, today()).await.unwrap().is_none());
    let orgs = organization::Entity::find().all(&t.db).await.unwrap();
    let employees = employee::Entity::find().all(&t.db).await.unwrap();
    let accounts = account::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(orgs.len(), 4);
    assert!((45..=60).contains(&employees.len()), "{}", employees.len());
    assert_eq!(accounts.len(), employees.len());
    assert!(
        accounts
            .iter()
            .all(|a| a.password_hash.as_deref() == Some(HASH))
    );
}

#[tokio::test]
async fn every_person_has_a_valid_unique_pinfl_matching_birth_and_gender() {
    let (t, _) = seeded().await;
    let persons = person::Entity::find().all(&t.db).await.unwrap();
    let mut seen = HashSet::new();
    for p in &persons {
        let pinfl = Pinfl::parse(&p.pinfl).unwrap();
        assert_eq!(pinfl.birth_date(), p.birth_date, "{}", p.pinfl);
        assert_eq!(pinfl.gender().as_str(), p.gender, "{}", p.pinfl);
        assert!((1965..=2000).contains(&p.birth_date.year()));
        assert!(seen.insert(p.pinfl.clone()), "duplicate {}", p.pinfl);
        let latin = PersonName::latin(
            &p.last_name_latn,
            &p.first_name_latn,
            p.patronymic_latn.as_deref(),
        );
        let cyrillic = PersonName::cyrillic(
            &p.last_name_cyrl,
            &p.first_name_cyrl,
            p.patronymic_cyrl.as_deref(),
        );
        assert_eq!(latin.unwrap().last, p.last_name_latn);
        assert_eq!(cyrillic.unwrap().patronymic, p.patronymic_cyrl);
        let female = pinfl.gender() == Gender::Female;
        assert_eq!(
            p.last_name_latn.ends_with('a'),
            female,
            "{}",
            p.last_name_latn
        );
        assert_eq!(
            p.last_name_cyrl.ends_with('а'),
            female,
            "{}",
            p.last_name_cyrl
        );
    }
}

#[tokio::test]
async fn hire_dates_fall_in_range_and_after_the_eighteenth_birthday() {
    let (t, _) = seeded().await;
    let persons: HashMap<Uuid, person::Model> = person::Entity::find()
        .all(&t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    for e in employee::Entity::find().all(&t.db).await.unwrap() {
        let born = persons[&e.person_id].birth_date;
        assert!(
            (2005..=2025).contains(&e.hire_date.year()),
            "{}",
            e.hire_date
        );
        assert!(e.hire_date.years_since(born).unwrap() >= 18);
        assert_eq!(e.status, "active");
    }
}

#[tokio::test]
async fn logins_are_valid_unique_and_locales_are_mixed() {
    let (t, _) = seeded().await;
    let accounts = account::Entity::find().all(&t.db).await.unwrap();
    for a in &accounts {
        assert_eq!(LoginName::parse(&a.login).unwrap().as_str(), a.login);
    }
    let count = |tag: &str| accounts.iter().filter(|a| a.locale == tag).count();
    assert_eq!(count("uz-Cyrl"), 1);
    assert!(count("ru") >= 3);
    assert!(count("uz-Latn") > accounts.len() / 2);
}

#[tokio::test]
async fn units_form_one_tree_with_a_head_post_each() {
    let (t, _) = seeded().await;
    let units = org_unit::Entity::find().all(&t.db).await.unwrap();
    let by_id: HashMap<Uuid, &org_unit::Model> = units.iter().map(|u| (u.id, u)).collect();
    let roots: Vec<_> = units.iter().filter(|u| u.parent_id.is_none()).collect();
    assert_eq!(roots.len(), 1);
    for u in &units {
        let expected = match u.parent_id {
            Some(parent) => UnitPath::parse(&by_id[&parent].path).unwrap(),
            None => UnitPath::root(UnitId::from_uuid(u.id)),
        };
        let expected = match u.parent_id {
            Some(_) => expected.child(UnitId::from_uuid(u.id)),
            None => expected,
        };
        assert_eq!(UnitPath::parse(&u.path).unwrap(), expected);
        let head = position::Entity::find_by_id(u.head_position_id.unwrap())
            .one(&t.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(head.unit_id, u.id);
    }
    for org in organization::Entity::find().all(&t.db).await.unwrap() {
        assert_eq!(by_id[&org.root_unit_id.unwrap()].org_id, org.id);
    }
}

async fn grants_of(
    db: &DatabaseConnection,
    login: &str,
) -> (account::Model, Vec<role_grant::Model>) {
    let account = account::Entity::find()
        .filter(account::Column::Login.eq(login))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(account.id))
        .all(db)
        .await
        .unwrap();
    (account, grants)
}

async fn unit_of(
    db: &DatabaseConnection,
    account: &account::Model,
) -> (position::Model, org_unit::Model) {
    let employee = employee::Entity::find_by_id(account.employee_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let post = position::Entity::find_by_id(employee.position_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let unit = org_unit::Entity::find_by_id(post.unit_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    (post, unit)
}

#[tokio::test]
async fn the_demo_manager_heads_a_unit_where_the_demo_servant_works() {
    let (t, _) = seeded().await;
    let (manager, grants) = grants_of(&t.db, "demo-manager").await;
    let (post, unit) = unit_of(&t.db, &manager).await;
    assert_eq!(unit.head_position_id, Some(post.id));
    assert!(
        grants
            .iter()
            .any(|g| g.role == "manager" && g.unit_id == unit.id && g.include_descendants)
    );
    let (servant, servant_grants) = grants_of(&t.db, "demo-servant").await;
    assert_eq!(unit_of(&t.db, &servant).await.1.id, unit.id);
    assert_eq!(servant_grants.len(), 1);
    let posts = position::Entity::find()
        .filter(position::Column::UnitId.eq(unit.id))
        .all(&t.db)
        .await
        .unwrap();
    let ids: Vec<Uuid> = posts
        .iter()
        .map(|p| p.id)
        .filter(|id| *id != post.id)
        .collect();
    let staff = employee::Entity::find()
        .filter(employee::Column::PositionId.is_in(ids))
        .all(&t.db)
        .await
        .unwrap();
    assert!(staff.len() >= 3);
}

#[tokio::test]
async fn administrative_demo_logins_hold_their_grants() {
    let (t, _) = seeded().await;
    let ministry_root = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq("ADL"))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    let samarqand_root = org_unit::Entity::find()
        .filter(org_unit::Column::Code.eq("ADL-SAM"))
        .one(&t.db)
        .await
        .unwrap()
        .unwrap();
    for (login, role, unit) in [
        ("demo-admin", "org_admin", ministry_root.id),
        ("demo-hr", "hr_officer", ministry_root.id),
        ("auditor", "auditor", ministry_root.id),
        ("samarqand-hr", "hr_officer", samarqand_root.id),
    ] {
        let (account, grants) = grants_of(&t.db, login).await;
        let (_, own_unit) = unit_of(&t.db, &account).await;
        assert!(
            grants
                .iter()
                .any(|g| g.role == role && g.unit_id == unit && g.include_descendants),
            "{login}"
        );
        assert!(
            grants
                .iter()
                .any(|g| g.role == "servant" && g.unit_id == own_unit.id && !g.include_descendants),
            "{login}"
        );
    }
}

#[tokio::test]
async fn every_file_has_every_section_and_hr_has_a_request_waiting() {
    use crate::db::entities::{correction_request, record};
    use xodim_domain::records::Section;

    let (t, _) = seeded().await;
    let items = record::Entity::find().all(&t.db).await.unwrap();
    let employees = employee::Entity::find().all(&t.db).await.unwrap();
    for employee in &employees {
        let sections: HashSet<&str> = items
            .iter()
            .filter(|r| r.employee_id == employee.id)
            .map(|r| r.section.as_str())
            .collect();
        assert_eq!(sections.len(), Section::ALL.len(), "{}", employee.tabel_no);
    }
    for item in &items {
        crate::records::items::item_of(item).unwrap();
    }
    let waiting = correction_request::Entity::find().all(&t.db).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].state, "submitted");
    let verified = crate::audit::verify(&t.db).await.unwrap();
    assert!(
        matches!(verified, crate::audit::Verification::Intact { .. }),
        "{verified}"
    );
}
