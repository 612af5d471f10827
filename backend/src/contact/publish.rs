//! What a change of contact details writes into the change log.

use sea_orm::DbErr;
use xodim_domain::AccountId;
use xodim_domain::contact::ContactRecord;
use xodim_domain::sync::{EntityKind, Scope};

use crate::sync::log::Entry;

/// The contact entity in the account's own scope.
pub fn contact_entry(account: AccountId, record: &ContactRecord) -> Result<Entry, DbErr> {
    Ok(Entry {
        scope: Scope::Own(account),
        kind: EntityKind::Contact,
        id: account.as_uuid(),
        data: Some(serde_json::to_value(record).map_err(|e| DbErr::Custom(e.to_string()))?),
    })
}
