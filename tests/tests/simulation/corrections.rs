//! Correction requests in the simulation: servants propose changes to their files, the HR
//! officer's phones decide them, HR also edits files online (which makes conflicts), and every
//! phone's view of a decided request is remembered so that a changed decision is caught.

use std::collections::{BTreeMap, HashMap};

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use reqwest::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use tokio::runtime::Handle;
use xodim_core::CoreError;
use xodim_domain::records::{RecordData, RequestState, Section};
use xodim_server::audit::{self, Verification};
use xodim_server::db::entities::{correction_request, record, record_version};
use xodim_tests::records::education;

use crate::world::World;

fn text_fields(institution: &str) -> HashMap<String, String> {
    let fields = education(institution);
    fields
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// A phone proposes a change of one of the items it holds (nothing when it holds none yet), or
/// now and then answers HR's question or withdraws a request it made.
pub fn propose(world: &mut World, d: usize, rng: &mut ChaCha8Rng) -> Result<(), String> {
    if rng.random_range(0..5) == 0 {
        return follow_up(world, d, rng);
    }
    let core = world.devices[d].open();
    let records = core.records();
    if records.is_empty() {
        return Ok(());
    }
    let item = &records[rng.random_range(0..records.len())];
    let institution = format!("Institut {}", rng.random_range(0..1000));
    let queued = core
        .propose_correction(
            "education".into(),
            "edit".into(),
            Some(item.id.clone()),
            text_fields(&institution),
            "The diploma says otherwise".into(),
            Vec::new(),
        )
        .map_err(|err| format!("device {d} could not propose: {err}"))?;
    world.devices[d].created.push(queued.id);
    Ok(())
}

fn follow_up(world: &mut World, d: usize, rng: &mut ChaCha8Rng) -> Result<(), String> {
    let core = world.devices[d].open();
    let open: Vec<_> = core
        .correction_requests()
        .into_iter()
        .filter(|r| !r.pending && (r.state == "needs_info" || r.state == "submitted"))
        .collect();
    if open.is_empty() {
        return Ok(());
    }
    // A servant asked a question answers it far more often than they give up: HR's questions
    // are few next to the requests waiting, so picking among all of them would hardly ever
    // answer one.
    let asked: Vec<_> = open.iter().filter(|r| r.state == "needs_info").collect();
    let queued = if !asked.is_empty() && rng.random_range(0..4) > 0 {
        let request = asked[rng.random_range(0..asked.len())];
        core.answer_request(
            request.id.clone(),
            "Attached the diploma".into(),
            Vec::new(),
        )
    } else {
        core.withdraw_request(open[rng.random_range(0..open.len())].id.clone())
    };
    match queued {
        Ok(intent) => world.devices[d].created.push(intent.id),
        Err(CoreError::Validation { .. }) => {}
        Err(err) => return Err(format!("device {d} could not follow up: {err}")),
    }
    Ok(())
}

/// An HR phone takes a step on one request of its queue.
pub fn review(world: &mut World, d: usize, rng: &mut ChaCha8Rng) -> Result<(), String> {
    let core = world.devices[d].open();
    let queue = core.review_queue();
    if queue.is_empty() {
        return Ok(());
    }
    let id = queue[rng.random_range(0..queue.len())].id.clone();
    let queued = match rng.random_range(0..12) {
        0..5 => core.approve_request(id, None),
        5..7 => core.reject_request(id, "Not confirmed by the diploma".into()),
        7..9 => core.claim_request(id),
        9..11 => core.ask_for_info(id, "Attach the diploma, please".into()),
        _ => core.rebase_request(id),
    };
    match queued {
        Ok(intent) => world.devices[d].created.push(intent.id),
        // The phone's own copy of the state machine may already know the step is impossible.
        Err(CoreError::Validation { .. }) => {}
        Err(err) => return Err(format!("device {d} could not review: {err}")),
    }
    Ok(())
}

/// HR edits one item online, moving it past any request's base.
pub async fn hr_edit(world: &World, rng: &mut ChaCha8Rng) {
    let person = &world.people[rng.random_range(0..world.people.len())];
    let items = record::Entity::find()
        .filter(record::Column::EmployeeId.eq(person.employee))
        .filter(record::Column::DeletedAt.is_null())
        .all(&world.app.state.db)
        .await
        .unwrap();
    let Some(item) = items.first() else { return };
    let response = world
        .app
        .authed(
            Method::PUT,
            &format!("/api/v1/hr/records/{}", item.id),
            &world.hr_token,
        )
        .json(&serde_json::json!({ "version": item.version, "fields": education("HR tuzatdi") }))
        .send()
        .await
        .unwrap();
    assert!(
        [200, 409].contains(&response.status().as_u16()),
        "HR edit answered {}",
        response.status()
    );
}

/// Remembers every decided request a phone shows; a different decision later is a failure.
pub fn observe(world: &mut World, d: usize) -> Result<(), String> {
    let shown = world.devices[d].open().correction_requests();
    for request in shown {
        let Ok(state) = request.state.parse::<RequestState>() else {
            return Err(format!("device {d} shows state {:?}", request.state));
        };
        if !state.is_final() || request.pending {
            continue;
        }
        match world.decided.get(&request.id) {
            Some(first) if *first != request.state => {
                return Err(format!(
                    "request {} was {first}, device {d} now shows {}",
                    request.id, request.state
                ));
            }
            Some(_) => {}
            None => {
                world
                    .decided
                    .insert(request.id.clone(), request.state.clone());
            }
        }
    }
    Ok(())
}

/// After healing: the server agrees with every decision seen; each applied request changed
/// the file exactly once; phones hold exactly the server's files and requests; the audit chain
/// is intact.
pub fn check(world: &mut World, rt: &Handle) -> Result<(), String> {
    let db = &world.app.state.db;
    let requests = rt
        .block_on(correction_request::Entity::find().all(db))
        .map_err(|e| e.to_string())?;
    let states: BTreeMap<String, String> = requests
        .iter()
        .map(|r| (r.id.to_string(), r.state.clone()))
        .collect();
    for (id, seen) in &world.decided {
        if states.get(id) != Some(seen) {
            return Err(format!(
                "request {id} was seen {seen}, the server has {:?}",
                states.get(id)
            ));
        }
    }
    let mut tally: BTreeMap<&str, usize> = BTreeMap::new();
    for request in &requests {
        *tally.entry(request.state.as_str()).or_default() += 1;
    }
    eprintln!("correction requests by state: {tally:?}");
    let applied = tally.get("applied").copied().unwrap_or(0);
    let changes = rt
        .block_on(
            record_version::Entity::find()
                .filter(record_version::Column::Source.eq("self_request"))
                .all(db),
        )
        .map_err(|e| e.to_string())?
        .len();
    if applied != changes {
        return Err(format!(
            "{applied} requests applied, {changes} file changes made by them"
        ));
    }
    for request in requests.iter().filter(|r| r.state == "applied") {
        applied_as_proposed(request, rt, db)?;
    }
    match rt.block_on(audit::verify(db)).map_err(|e| e.to_string())? {
        Verification::Intact { .. } => {}
        broken => return Err(broken.to_string()),
    }
    // The officer's queue never holds requests about their own file.
    let officer = world.people[world.hr].account;
    let undecided: BTreeMap<String, String> = requests
        .iter()
        .filter(|r| r.requester_account_id != officer)
        .filter(|r| r.state.parse::<RequestState>().is_ok_and(|s| !s.is_final()))
        .map(|r| (r.id.to_string(), r.state.clone()))
        .collect();
    for d in 0..world.devices.len() {
        files_match(world, d, rt)?;
        if world.devices[d].owner == world.hr {
            let queue: BTreeMap<String, String> = world.devices[d]
                .open()
                .review_queue()
                .into_iter()
                .map(|r| (r.id, r.state))
                .collect();
            if queue != undecided {
                return Err(format!(
                    "HR device {d} queues {queue:?}, undecided are {undecided:?}"
                ));
            }
        }
    }
    Ok(())
}

/// The item version an applied request produced holds every field it proposed.
fn applied_as_proposed(
    request: &correction_request::Model,
    rt: &Handle,
    db: &sea_orm::DatabaseConnection,
) -> Result<(), String> {
    let (Some(record), Some(proposed)) = (request.record_id, &request.proposed) else {
        return Err(format!("applied request {} names no item", request.id));
    };
    let produced = match request.op.as_str() {
        "add" => 1,
        _ => request.base_version.unwrap_or(0) + 1,
    };
    let version = rt
        .block_on(record_version::Entity::find_by_id((record, produced)).one(db))
        .map_err(|e| e.to_string())?
        .ok_or_else(|| {
            format!(
                "request {} applied, item {record} has no version {produced}",
                request.id
            )
        })?;
    let section = request.section.as_str();
    let wanted = field_texts(section, Some(proposed));
    let written = field_texts(section, version.data.as_ref());
    let differ: Vec<_> = wanted
        .iter()
        .filter(|(name, value)| written.get(*name) != Some(value))
        .collect();
    if version.source != "self_request" || !differ.is_empty() {
        return Err(format!(
            "request {} proposed {wanted:?}; version {produced} of item {record} ({}) holds {written:?}",
            request.id, version.source
        ));
    }
    Ok(())
}

/// The fields of an item's stored data as the phone shows them: text by name, no nulls.
fn field_texts(section: &str, data: Option<&String>) -> BTreeMap<String, String> {
    let Some(data) = data else {
        return BTreeMap::new();
    };
    let section: Section = section.parse().unwrap();
    let value: Value = serde_json::from_str(data).unwrap();
    let Value::Object(fields) = RecordData::parse(section, &value).unwrap().fields_json() else {
        return BTreeMap::new();
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| match value {
            Value::Null => None,
            Value::String(text) => Some((name, text)),
            other => Some((name, other.to_string())),
        })
        .collect()
}

/// An item by section, version and fields.
type Item = (String, i64, BTreeMap<String, String>);
/// A request by state, version, item, proposed fields, note and answer.
type Shown = (
    String,
    i64,
    Option<String>,
    BTreeMap<String, String>,
    Option<String>,
    Option<String>,
);

/// A phone holds its owner's file and requests exactly as the server has them, field by field.
fn files_match(world: &mut World, d: usize, rt: &Handle) -> Result<(), String> {
    let person = &world.people[world.devices[d].owner];
    let db = &world.app.state.db;
    let server: BTreeMap<String, Item> = rt
        .block_on(
            record::Entity::find()
                .filter(record::Column::EmployeeId.eq(person.employee))
                .filter(record::Column::DeletedAt.is_null())
                .all(db),
        )
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| {
            let fields = field_texts(&r.section, Some(&r.data));
            (r.id.to_string(), (r.section, r.version, fields))
        })
        .collect();
    let requests: BTreeMap<String, Shown> = rt
        .block_on(
            correction_request::Entity::find()
                .filter(correction_request::Column::RequesterAccountId.eq(person.account))
                .all(db),
        )
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|r| {
            let proposed = field_texts(&r.section, r.proposed.as_ref());
            let record = r.record_id.map(|id| id.to_string());
            (
                r.id.to_string(),
                (r.state, r.version, record, proposed, r.note, r.answer),
            )
        })
        .collect();
    let core = world.devices[d].open();
    let held: BTreeMap<String, Item> = core
        .records()
        .into_iter()
        .map(|r| (r.id, (r.section, r.version, r.fields.into_iter().collect())))
        .collect();
    if held != server {
        return Err(format!(
            "device {d} holds items {held:?}, the server {server:?}"
        ));
    }
    let shown: BTreeMap<String, Shown> = core
        .correction_requests()
        .into_iter()
        .map(|r| {
            let proposed = r.proposed.unwrap_or_default().into_iter().collect();
            (
                r.id,
                (r.state, r.version, r.record_id, proposed, r.note, r.answer),
            )
        })
        .collect();
    if shown != requests {
        return Err(format!(
            "device {d} shows requests {shown:?}, the server {requests:?}"
        ));
    }
    Ok(())
}
