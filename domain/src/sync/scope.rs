//! Scopes: the sets of data a user may hold on a device.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};
use crate::ids::{AccountId, OrgId, UnitId};

/// A slice of the server's data with its own change log.
///
/// Every account holds its `Own` scope; a manager also holds the `Unit` scope of each unit they
/// manage; everyone holds the `Org` catalogue of their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Scope {
    /// The account's own records, requests and notifications.
    Own(AccountId),
    /// The staff of one unit, as its managers see them.
    Unit(UnitId),
    /// The organisation-wide catalogue (units and their names).
    Org(OrgId),
    /// The correction requests of one unit's staff, as its HR officers review them.
    Hr(UnitId),
}

impl Scope {
    /// The stable text form, `own:<uuid>`, `unit:<uuid>`, `org:<uuid>` or `hr:<uuid>`.
    pub fn key(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Own(id) => write!(f, "own:{id}"),
            Scope::Unit(id) => write!(f, "unit:{id}"),
            Scope::Org(id) => write!(f, "org:{id}"),
            Scope::Hr(id) => write!(f, "hr:{id}"),
        }
    }
}

impl FromStr for Scope {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || DomainError::new(ErrorCode::InvalidCursor, format!("not a scope: {s:?}"));
        let (kind, id) = s.split_once(':').ok_or_else(bad)?;
        let id = Uuid::parse_str(id).map_err(|_| bad())?;
        match kind {
            "own" => Ok(Scope::Own(AccountId::from_uuid(id))),
            "unit" => Ok(Scope::Unit(UnitId::from_uuid(id))),
            "org" => Ok(Scope::Org(OrgId::from_uuid(id))),
            "hr" => Ok(Scope::Hr(UnitId::from_uuid(id))),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for Scope {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Scope> for String {
    fn from(scope: Scope) -> Self {
        scope.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_survives_its_text_form() {
        let scope = Scope::Unit(UnitId::from_uuid(Uuid::now_v7()));
        assert_eq!(scope.key().parse::<Scope>().unwrap(), scope);
    }

    #[test]
    fn an_unknown_scope_kind_is_refused() {
        let err = format!("team:{}", Uuid::nil())
            .parse::<Scope>()
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidCursor);
    }
}
