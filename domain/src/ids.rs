//! Typed identifiers, so that a unit id can never be passed where a person id
//! is expected. New ids are minted by callers (`Uuid::now_v7()`), never here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};

macro_rules! typed_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID, e.g. one read from the database or freshly minted.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// The underlying UUID, for storage and for building paths.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_uuid(s, stringify!($name)).map(Self)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    )+};
}

typed_id! {
    /// A government organisation (ministry, agency, khokimiyat…).
    OrgId,
    /// A structural unit inside an organisation (department, division, sector).
    UnitId,
    /// A staff position (shtat birligi) within a unit.
    PositionId,
    /// A natural person, identified in the real world by a PINFL.
    PersonId,
    /// One employment of a person in an organisation.
    EmployeeId,
    /// A sign-in account of a person.
    AccountId,
    /// A phone or browser registered to an account.
    DeviceId,
    /// A sign-in session (one refresh-token family).
    SessionId,
    /// A role granted to an account over a unit.
    GrantId,
}

fn parse_uuid(s: &str, kind: &str) -> Result<Uuid, DomainError> {
    Uuid::parse_str(s.trim()).map_err(|_| {
        DomainError::new(
            ErrorCode::InvalidId,
            format!("{kind} must be a UUID, e.g. 0190f0e4-7c4b-7d8e-9a1b-2c3d4e5f6a7b"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "0190f0e4-7c4b-7d8e-9a1b-2c3d4e5f6a7b";

    #[test]
    fn an_id_displays_as_a_hyphenated_uuid_and_parses_back() {
        let id: UnitId = TEXT.parse().unwrap();
        assert_eq!(id.to_string(), TEXT);
        assert_eq!(id.as_uuid(), Uuid::parse_str(TEXT).unwrap());
    }

    #[test]
    fn a_malformed_id_is_refused_with_invalid_id() {
        let err = "not-a-uuid".parse::<PersonId>().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidId);
        assert!(err.detail.contains("PersonId"));
    }

    #[test]
    fn an_id_converts_to_and_from_a_uuid() {
        let uuid = Uuid::parse_str(TEXT).unwrap();
        let id = AccountId::from(uuid);
        assert_eq!(Uuid::from(id), uuid);
        assert_eq!(AccountId::from_uuid(uuid), id);
    }
}
