//! The pull cursor: a position in the change log of each scope the device holds.
//!
//! Clients store it as an opaque string and send it back; only the server reads it.

use std::collections::BTreeMap;

use crate::error::{DomainError, ErrorCode};
use crate::sync::scope::Scope;

/// Per-scope positions: every change of a scope with a version above its position is unseen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    positions: BTreeMap<Scope, i64>,
}

impl Cursor {
    /// The position in a scope; 0 means nothing of it was received yet.
    pub fn position(&self, scope: &Scope) -> i64 {
        self.positions.get(scope).copied().unwrap_or(0)
    }

    /// Moves a scope's position.
    pub fn set(&mut self, scope: Scope, version: i64) {
        self.positions.insert(scope, version);
    }

    /// Forgets a scope (it was lost, or must be synced again from the start).
    pub fn remove(&mut self, scope: &Scope) {
        self.positions.remove(scope);
    }

    /// The scopes the cursor has positions for.
    pub fn scopes(&self) -> impl Iterator<Item = &Scope> {
        self.positions.keys()
    }

    /// Whether every position of `other` is at or below this cursor's (the effects visible at
    /// `other` have been received).
    pub fn covers(&self, other: &Cursor) -> bool {
        other
            .positions
            .iter()
            .all(|(scope, version)| self.position(scope) >= *version)
    }

    /// The text form: `scope@version` joined by `,` in scope order. Empty for a first sync.
    pub fn encode(&self) -> String {
        self.positions
            .iter()
            .map(|(scope, version)| format!("{scope}@{version}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the text form; anything malformed is `invalid_cursor`.
    pub fn decode(text: &str) -> Result<Cursor, DomainError> {
        let mut cursor = Cursor::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || {
                DomainError::new(
                    ErrorCode::InvalidCursor,
                    format!("bad cursor part {part:?}"),
                )
            };
            let (scope, version) = part.rsplit_once('@').ok_or_else(bad)?;
            let version: i64 = version.parse().map_err(|_| bad())?;
            if version < 0 {
                return Err(bad());
            }
            cursor.set(scope.parse()?, version);
        }
        Ok(cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AccountId, UnitId};
    use uuid::Uuid;

    #[test]
    fn a_cursor_survives_its_text_form() {
        let mut cursor = Cursor::default();
        cursor.set(Scope::Own(AccountId::from_uuid(Uuid::now_v7())), 12);
        cursor.set(Scope::Unit(UnitId::from_uuid(Uuid::now_v7())), 3);
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
    }

    #[test]
    fn an_empty_cursor_is_a_first_sync() {
        assert_eq!(Cursor::decode("").unwrap(), Cursor::default());
    }

    #[test]
    fn a_garbled_cursor_is_refused() {
        for text in [
            "own:x@1",
            "unit:00000000-0000-0000-0000-000000000000",
            "org:00000000-0000-0000-0000-000000000000@-1",
        ] {
            assert_eq!(
                Cursor::decode(text).unwrap_err().code,
                ErrorCode::InvalidCursor,
                "{text}"
            );
        }
    }

    #[test]
    fn a_cursor_covers_positions_it_has_reached() {
        let scope = Scope::Own(AccountId::from_uuid(Uuid::now_v7()));
        let (mut seen, mut needed) = (Cursor::default(), Cursor::default());
        needed.set(scope, 5);
        seen.set(scope, 4);
        assert!(!seen.covers(&needed));
        seen.set(scope, 5);
        assert!(seen.covers(&needed));
    }
}
