//! What the screens show: records for the apps, read from the store.

use serde_json::Value;
use xodim_domain::sync::{EmployeeCard, UnitRecord};
use xodim_domain::{ErrorCode, Locale};

use crate::context::Context;
use crate::error::Result;
use crate::store::entities;
use crate::store::outbox::{self, IntentState, OutboxRow};

/// The signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionInfo {
    /// The account.
    pub account_id: String,
    /// The server's session on this device.
    pub session_id: String,
}

/// An intent and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QueuedIntent {
    /// Its id.
    pub id: String,
    /// The command, e.g. `contact.update`.
    pub kind: String,
    /// The aggregate it acts on.
    pub aggregate: String,
    /// Its state.
    pub state: IntentState,
    /// Why it was rejected or conflicted (wire code).
    pub code: Option<String>,
    /// The reason in the user's language.
    pub message: Option<String>,
    /// On conflict, the aggregate as the server has it now (JSON).
    pub current: Option<String>,
    /// Sends that got no answer so far.
    pub attempts: u32,
    /// When the user made it (Unix milliseconds).
    pub created_at_ms: i64,
}

/// A member of a team the user manages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EmployeeCardView {
    /// The employee.
    pub employee_id: String,
    /// Full name in the script of the user's language.
    pub full_name: String,
    /// Post title.
    pub post: String,
    /// Their unit.
    pub unit_id: String,
    /// Phone, if given.
    pub phone: Option<String>,
    /// E-mail, if given.
    pub email: Option<String>,
}

/// A unit of the organisation.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnitView {
    /// The unit.
    pub unit_id: String,
    /// Its parent.
    pub parent_id: Option<String>,
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
}

/// Every intent made on this device, oldest first.
pub(crate) fn intents(ctx: &Context) -> Result<Vec<QueuedIntent>> {
    let locale = ctx.locale();
    let rows = ctx.store.read(outbox::all)?;
    Ok(rows.into_iter().map(|row| intent(row, locale)).collect())
}

/// An outbox row for the screen. The server's message is shown as it came; a decision made on
/// the device has none, and the catalogue explains its code in the user's language.
pub(crate) fn intent(row: OutboxRow, locale: Locale) -> QueuedIntent {
    let message = row.message.or_else(|| {
        let code = row.code.as_ref()?;
        let code: ErrorCode = serde_json::from_value(Value::String(code.clone())).ok()?;
        Some(code.message(locale).to_owned())
    });
    QueuedIntent {
        id: row.intent_id.to_string(),
        kind: row.kind,
        aggregate: row.aggregate,
        state: row.state,
        code: row.code,
        message,
        current: row.current.map(|value| value.to_string()),
        attempts: row.attempts,
        created_at_ms: row.client_time.timestamp_millis(),
    }
}

/// The staff of the units the user manages, by name.
pub(crate) fn team(ctx: &Context) -> Result<Vec<EmployeeCardView>> {
    let cyrillic = matches!(ctx.locale(), Locale::UzCyrl | Locale::Ru);
    let mut team: Vec<EmployeeCardView> = ctx
        .store
        .read(|conn| entities::list(conn, "employee_card"))?
        .iter()
        // A card this version cannot read is skipped rather than hiding the whole team.
        .filter_map(|data| serde_json::from_str::<EmployeeCard>(data).ok())
        .map(|card| EmployeeCardView {
            employee_id: card.employee_id.to_string(),
            full_name: if cyrillic {
                card.full_name_cyrl
            } else {
                card.full_name_latn
            },
            post: card.post,
            unit_id: card.unit_id.to_string(),
            phone: card.phone,
            email: card.email,
        })
        .collect();
    team.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    Ok(team)
}

/// The organisation's units, by code.
pub(crate) fn units(ctx: &Context) -> Result<Vec<UnitView>> {
    let mut units: Vec<UnitView> = ctx
        .store
        .read(|conn| entities::list(conn, "unit"))?
        .iter()
        .filter_map(|data| serde_json::from_str::<UnitRecord>(data).ok())
        .map(|unit| UnitView {
            unit_id: unit.unit_id.to_string(),
            parent_id: unit.parent_id.map(|id| id.to_string()),
            code: unit.code,
            name: unit.name,
        })
        .collect();
    units.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(units)
}
