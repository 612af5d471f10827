//! Demo personnel files: every section for every employee, derived from their birth and hire
//! dates so that each run produces the same files.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::records::{RecordData, RecordSource, Section};

use super::people::{FEMALE_NAMES, MALE_NAMES};
use crate::db::entities::{employee, person};
use crate::records::items::{self, Author};
use crate::sync::engine::Publication;

const UNIVERSITIES: &[&str] = &[
    "Toshkent davlat iqtisodiyot universiteti",
    "Oʻzbekiston Milliy universiteti",
    "Toshkent davlat yuridik universiteti",
    "Samarqand davlat universiteti",
    "Toshkent moliya instituti",
];
const SPECIALTIES: &[&str] = &[
    "Iqtisodiyot",
    "Huquqshunoslik",
    "Moliya",
    "Davlat boshqaruvi",
];
const EMPLOYERS: &[&str] = &[
    "Xalq banki",
    "Toshkent shahar hokimligi",
    "Soliq qoʻmitasi",
    "Oʻzbekiston temir yoʻllari",
];
/// The names a servant's parents go by in the file.
pub(super) struct Parents {
    /// "Karimov Bahodir": the family name in its male form and the name the servant's
    /// patronymic is made from.
    pub father: String,
    /// "Karimova Dilnoza": a woman's name.
    pub mother: String,
}

/// Patronymic endings, Uzbek style (with a space) and Russian style (attached).
const PATRONYMIC_ENDINGS: &[&str] = &[" oʻgʻli", " qizi", "ovich", "ovna"];

/// The father's first name, read back from the servant's patronymic ("Bahodirovich",
/// "Bahodir qizi" → "Bahodir").
pub(super) fn father_of(patronymic: &str) -> Option<&str> {
    let patronymic = patronymic.trim();
    PATRONYMIC_ENDINGS
        .iter()
        .find_map(|ending| patronymic.strip_suffix(ending))
        .filter(|name| !name.is_empty())
}

/// The parents of the `index`-th person: the father named as the patronymic says, the mother
/// given a woman's name, both with the family name in the form of their gender.
pub(super) fn parents(index: usize, person: &person::Model) -> Parents {
    let family = match person.gender.as_str() {
        "female" => person
            .last_name_latn
            .strip_suffix('a')
            .unwrap_or(&person.last_name_latn),
        _ => person.last_name_latn.as_str(),
    };
    let fallback = MALE_NAMES[index % MALE_NAMES.len()].0;
    let father = person
        .patronymic_latn
        .as_deref()
        .and_then(father_of)
        .unwrap_or(fallback);
    let mother = FEMALE_NAMES[(index * 3 + 1) % FEMALE_NAMES.len()].0;
    Parents {
        father: format!("{family} {father}"),
        mother: format!("{family}a {mother}"),
    }
}

fn items_for(
    index: usize,
    born: NaiveDate,
    hired: NaiveDate,
    today: NaiveDate,
    parents: &Parents,
) -> Vec<(Section, Value)> {
    let pick = |list: &[&'static str]| list[index % list.len()];
    let graduated = born.year() + 22;
    let taken = today - Duration::days(30 + (index as i64 * 7) % 300);
    let score = 60 + (index * 7) % 40;
    let mut items = vec![
        (
            Section::Education,
            json!({
                "institution": pick(UNIVERSITIES), "level": "bachelor", "specialty": pick(SPECIALTIES),
                "diploma_series": "B", "diploma_no": format!("{:07}", 1_000_000 + index * 7919),
                "start_year": graduated - 4, "end_year": graduated
            }),
        ),
        (
            Section::WorkHistory,
            json!({
                "employer": pick(EMPLOYERS), "position_title": "Mutaxassis",
                "start": (hired - Duration::days(3 * 365)).to_string(), "end": (hired - Duration::days(1)).to_string()
            }),
        ),
        (
            Section::WorkHistory,
            json!({
                "employer": "Vazirlik", "position_title": "Bosh mutaxassis", "start": hired.to_string(),
                "is_internal": true, "order_ref": format!("{}-K", 100 + index)
            }),
        ),
        (
            Section::Certificate,
            json!({
                "provider": "Davlat boshqaruvi akademiyasi", "course_title": "Davlat xizmatida kommunikatsiya",
                "hours": 72, "issued_at": taken.to_string(), "cert_no": format!("DBA-{:05}", index + 1),
                "expires_at": (taken + Duration::days(3 * 365)).to_string()
            }),
        ),
        (
            Section::KnowledgeTest,
            json!({
                "kind": "periodic", "taken_at": taken.to_string(), "score": score, "max_score": 100,
                "passed": score >= 70, "valid_until": (taken + Duration::days(3 * 365)).to_string()
            }),
        ),
        (
            Section::Relative,
            json!({
                "relation": "father", "full_name": parents.father,
                "birth_year": born.year() - 26, "birthplace": "Toshkent shahri", "residence": "Toshkent shahri",
                "workplace_and_post": "Nafaqada"
            }),
        ),
        (
            Section::Relative,
            json!({
                "relation": "mother", "full_name": parents.mother,
                "birth_year": born.year() - 24, "birthplace": "Samarqand viloyati", "residence": "Toshkent shahri"
            }),
        ),
    ];
    if index.is_multiple_of(3) {
        items.push((Section::Education, json!({
            "institution": "Davlat boshqaruvi akademiyasi", "level": "master", "specialty": "Davlat boshqaruvi",
            "start_year": graduated + 2, "end_year": graduated + 4, "honours": index.is_multiple_of(2)
        })));
    }
    items
}

/// Writes the files of every employee and their change-log entries.
pub async fn seed(txn: &impl ConnectionTrait, today: NaiveDate) -> Result<(), DbErr> {
    let staff = employee::Entity::find()
        .find_also_related(person::Entity)
        .all(txn)
        .await?;
    let author = Author::default();
    let mut entries = Vec::new();
    for (index, (employee, person)) in staff.into_iter().enumerate() {
        let Some(person) = person else { continue };
        let parents = parents(index, &person);
        for (section, fields) in items_for(
            index,
            person.birth_date,
            employee.hire_date,
            today,
            &parents,
        ) {
            let data =
                RecordData::parse(section, &fields).map_err(|e| DbErr::Custom(e.to_string()))?;
            let (_, written) = items::create(
                txn,
                employee.id,
                Uuid::now_v7(),
                &data,
                RecordSource::Integration,
                &author,
            )
            .await?;
            entries.extend(written);
        }
    }
    Publication::from(entries).write(txn).await?.into_heads();
    Ok(())
}

/// A correction request of `demo-servant` waiting in the HR inbox, so that the demo shows the
/// review screens at once. It goes through the same code as a request from a phone.
pub async fn pending_request(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    use xodim_domain::records::{CORRECTION_SUBMIT, RequestAddress};
    use xodim_domain::sync::{Expectation, Intent};
    use xodim_domain::{AccountId, SessionId};

    use crate::auth::Actor;
    use crate::db::entities::account;
    use crate::records::requests;

    let Some(servant) = account::Entity::find()
        .filter(account::Column::Login.eq("demo-servant"))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let Some(item) = items::of_employee(txn, servant.employee_id)
        .await?
        .into_iter()
        .find(|r| r.section == Section::WorkHistory.as_str())
    else {
        return Ok(());
    };
    let mut proposed = items::data_of(&item)?.fields_json();
    proposed["position_title"] = json!("Yetakchi mutaxassis");
    let request = Uuid::now_v7();
    let intent = Intent {
        id: Uuid::now_v7(),
        kind: CORRECTION_SUBMIT.into(),
        aggregate: RequestAddress(request).to_string(),
        expectation: Some(Expectation { version: 0 }),
        args: json!({
            "section": "work_history", "op": "edit", "record_id": item.id, "base_version": item.version,
            "proposed": proposed, "reason": "Mehnat daftarchasida lavozim «Yetakchi mutaxassis» deb yozilgan"
        }),
        client_time: Some(Utc::now()),
    };
    // Seeded, so no device session: the nil id says so in the audit trail.
    let actor = Actor {
        account: AccountId::from_uuid(servant.id),
        session: SessionId::from_uuid(Uuid::nil()),
    };
    let decision = requests::submit(txn, &actor, &intent)
        .await
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    decision.into_publication().write(txn).await?.into_heads();
    Ok(())
}

#[cfg(test)]
#[path = "relatives_tests.rs"]
mod tests;
