//! A servant's contact details are personal data: every applied change is in the audit trail,
//! with who made it, from which device, and the details before and after.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;
use xodim_domain::sync::{IntentOutcome, IntentStatus};
use xodim_server::audit::{self, Verification};
use xodim_server::db::entities::audit_event;
use xodim_tests::TestApp;
use xodim_tests::fixtures::PASSWORD;
use xodim_tests::intents::contact_update;

/// A change of the servant's phone seen at version `seen`; its intent id and outcome.
async fn change(
    app: &TestApp,
    token: &str,
    account: Uuid,
    seen: i64,
    phone: &str,
) -> (Uuid, IntentOutcome) {
    let intent = contact_update(account, seen, phone);
    let id = intent.id;
    (id, app.send_intents(token, &[intent]).await.remove(0))
}

fn parsed(text: &Option<String>) -> Value {
    text.as_deref()
        .map(|t| serde_json::from_str(t).unwrap())
        .unwrap_or(Value::Null)
}

#[tokio::test]
async fn every_applied_contact_change_is_an_audit_event_with_before_and_after() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let person = app.person(tree.unit_a, "ca.servant", &[]).await;
    let token = app.token("ca.servant", PASSWORD).await;

    let (first, outcome) = change(&app, &token, person.account, 0, "+998901112233").await;
    assert_eq!(outcome.status, IntentStatus::Applied);
    let (second, outcome) = change(&app, &token, person.account, 1, "+998907778899").await;
    assert_eq!(outcome.status, IntentStatus::Applied);
    let (_, stale) = change(&app, &token, person.account, 1, "+998900000000").await;
    assert_eq!(
        stale.status,
        IntentStatus::Conflict,
        "a conflict changes nothing"
    );

    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("contact.update"))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 2);
    let shape: Vec<_> = events
        .iter()
        .map(|e| (e.entity.as_str(), e.entity_id, e.actor_account, e.intent_id))
        .collect();
    assert_eq!(
        shape,
        [
            ("contact", person.account, Some(person.account), Some(first)),
            (
                "contact",
                person.account,
                Some(person.account),
                Some(second)
            ),
        ]
    );
    assert!(events.iter().all(|e| e.device_session.is_some()));
    assert_eq!(
        parsed(&events[0].before),
        Value::Null,
        "nothing before the first"
    );
    assert_eq!(parsed(&events[0].after)["phone"], "+998901112233");
    assert_eq!(
        (
            parsed(&events[1].before)["phone"].clone(),
            parsed(&events[1].after)["phone"].clone()
        ),
        (json!("+998901112233"), json!("+998907778899"))
    );
    assert_eq!(parsed(&events[1].after)["version"], 2);
    assert!(matches!(
        audit::verify(&app.state.db).await.unwrap(),
        Verification::Intact { events: 2, .. }
    ));
}
