//! The demo's relatives read like real files: a father named as the servant's patronymic says,
//! parents whose names agree with their gender.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use uuid::Uuid;

use super::super::people::{FEMALE_NAMES, MALE_NAMES};
use super::*;
use crate::db::entities::record;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

fn relative(items: &[record::Model], employee: Uuid, relation: &str) -> (String, String) {
    let found = items
        .iter()
        .filter(|r| r.employee_id == employee)
        .map(|r| serde_json::from_str::<Value>(&r.data).unwrap())
        .find(|fields| fields["relation"] == relation)
        .unwrap();
    let full = fields_name(&found);
    let (family, first) = full.split_once(' ').unwrap();
    (family.to_owned(), first.to_owned())
}

fn fields_name(fields: &Value) -> String {
    fields["full_name"].as_str().unwrap().to_owned()
}

#[test]
fn the_fathers_name_is_read_back_from_either_style_of_patronymic() {
    assert_eq!(father_of("Bahodirovich"), Some("Bahodir"));
    assert_eq!(father_of("Abdurahmonovna"), Some("Abdurahmon"));
    assert_eq!(father_of("Rustam oʻgʻli"), Some("Rustam"));
    assert_eq!(father_of("Ulugʻbek qizi"), Some("Ulugʻbek"));
    assert_eq!(father_of("ovich"), None);
}

#[tokio::test]
async fn fathers_match_the_patronymic_and_parents_names_agree_with_their_gender() {
    let path = std::env::temp_dir().join(format!("xodim_demo_{}.db", Uuid::new_v4().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = crate::db::connect(&url, 2).await.unwrap();
    crate::db::migrate(&db).await.unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    crate::demo::seed_if_empty(&db, HASH, today)
        .await
        .unwrap()
        .unwrap();
    let items = record::Entity::find()
        .filter(record::Column::Section.eq("relative"))
        .all(&db)
        .await
        .unwrap();
    let staff = employee::Entity::find()
        .find_also_related(person::Entity)
        .all(&db)
        .await
        .unwrap();
    let is_in = |names: &[(&str, &str)], name: &str| names.iter().any(|n| n.0 == name);
    let mut checked = 0;
    for (employee, person) in &staff {
        let person = person.as_ref().unwrap();
        let (father_family, father) = relative(&items, employee.id, "father");
        let (mother_family, mother) = relative(&items, employee.id, "mother");
        let patronymic = person.patronymic_latn.as_deref().unwrap();
        assert_eq!(father_of(patronymic), Some(father.as_str()), "{patronymic}");
        assert!(!is_in(FEMALE_NAMES, &father), "a father named {father}");
        assert!(is_in(FEMALE_NAMES, &mother), "a mother named {mother}");
        assert!(!is_in(MALE_NAMES, &mother), "a mother named {mother}");
        assert!(father_family.ends_with('v'), "{father_family}");
        assert_eq!(mother_family, format!("{father_family}a"));
        assert!(person.last_name_latn.starts_with(&father_family));
        checked += 1;
    }
    assert!(checked > 40, "{checked}");
    drop(db);
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.clone().into_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
