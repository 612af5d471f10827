//! The servant's own contact details, which they may change directly: the smallest feature
//! that travels as an intent.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};
use crate::ids::AccountId;

/// The intent namespace of contact details.
pub const NAMESPACE: &str = "contact";

/// The command type that changes the account's own contact details.
pub const CONTACT_UPDATE: &str = "contact.update";

aggregate_address! {
    /// The aggregate of an account's contact details: `contact:<account id>`.
    pub struct ContactAddress(AccountId) = "contact";
}

/// A servant's contact details with their version, as the `Contact` entity carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRecord {
    /// The details.
    #[serde(flatten)]
    pub details: ContactDetails,
    /// Their version; intents that change them expect it.
    pub version: i64,
}

/// An Uzbek phone number, stored as `+998` and nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts `+998 90 123-45-67`, `998901234567` or the nine national digits.
    pub fn parse(text: &str) -> Result<Phone, DomainError> {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        let allowed = text
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
        let national = match digits.len() {
            12 if digits.starts_with("998") => &digits[3..],
            9 => digits.as_str(),
            _ => "",
        };
        if !allowed || national.is_empty() {
            return Err(DomainError::new(
                ErrorCode::InvalidPhone,
                "phone: expected +998 and 9 digits",
            ));
        }
        Ok(Phone(format!("+998{national}")))
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = DomainError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Phone::parse(&text)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> Self {
        phone.0
    }
}

/// An e-mail address, trimmed and with a lower-case domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Checks the shape `local@domain.tld`; delivery is not checked.
    pub fn parse(text: &str) -> Result<Email, DomainError> {
        let bad = || DomainError::new(ErrorCode::InvalidEmail, "email: expected local@domain");
        let text = text.trim();
        let (local, domain) = text.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || text.len() > 254 || local.contains(char::is_whitespace) || !domain_ok
        {
            return Err(bad());
        }
        Ok(Email(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = DomainError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Email::parse(&text)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// The longest postal address accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 300;

/// How a servant can be reached. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetails {
    /// Mobile or office phone.
    pub phone: Option<Phone>,
    /// E-mail address.
    pub email: Option<Email>,
    /// Postal address of residence.
    pub address: Option<String>,
}

impl ContactDetails {
    /// Validates raw values; blank values mean "none".
    pub fn parse(
        phone: Option<&str>,
        email: Option<&str>,
        address: Option<&str>,
    ) -> Result<Self, DomainError> {
        let address = given(address).map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "));
        if address
            .as_ref()
            .is_some_and(|a| a.chars().count() > MAX_ADDRESS_CHARS)
        {
            return Err(DomainError::new(
                ErrorCode::InvalidField,
                "address: at most 300 characters",
            ));
        }
        Ok(Self {
            phone: given(phone).map(Phone::parse).transpose()?,
            email: given(email).map(Email::parse).transpose()?,
            address,
        })
    }
}

fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// What happens to a change of contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactDecision {
    /// The change applies; the details get this version.
    Apply {
        /// The version after the change.
        new_version: i64,
    },
    /// The details changed since the version the servant saw.
    Conflict,
}

/// Decides a change guarded by the version the servant saw (0 when they saw none).
pub fn decide_contact_update(current_version: i64, seen_version: i64) -> ContactDecision {
    if seen_version == current_version {
        ContactDecision::Apply {
            new_version: current_version + 1,
        }
    } else {
        ContactDecision::Conflict
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_address_names_the_account_and_refuses_another_prefix() {
        let account = AccountId::from_uuid(uuid::Uuid::from_u128(9));
        let text = ContactAddress(account).to_string();
        assert_eq!(text, format!("contact:{account}"));
        assert_eq!(text.parse::<ContactAddress>(), Ok(ContactAddress(account)));
        let other = format!("request:{account}").parse::<ContactAddress>();
        assert_eq!(other.map_err(|e| e.code), Err(ErrorCode::InvalidIntent));
    }

    #[test]
    fn a_phone_is_normalised_to_plus_998() {
        for text in [
            "+998 90 123-45-67",
            "998901234567",
            "90 123 45 67",
            "(90) 1234567",
        ] {
            assert_eq!(
                Phone::parse(text).unwrap().as_str(),
                "+998901234567",
                "{text}"
            );
        }
    }

    #[test]
    fn a_foreign_or_short_phone_is_refused() {
        for text in ["+7 916 123 45 67", "12345", "+998 90 123 45 6x"] {
            assert_eq!(
                Phone::parse(text).unwrap_err().code,
                ErrorCode::InvalidPhone,
                "{text}"
            );
        }
    }

    #[test]
    fn an_email_keeps_its_local_part_and_lowers_its_domain() {
        assert_eq!(
            Email::parse(" Ali.Valiyev@Adliya.UZ ").unwrap().as_str(),
            "Ali.Valiyev@adliya.uz"
        );
        for text in ["no-at-sign", "@adliya.uz", "a@b", "a b@c.uz"] {
            assert_eq!(
                Email::parse(text).unwrap_err().code,
                ErrorCode::InvalidEmail,
                "{text}"
            );
        }
    }

    #[test]
    fn blank_contact_parts_mean_none() {
        let details =
            ContactDetails::parse(Some(" "), None, Some("  Toshkent,   Chilonzor 5 ")).unwrap();
        assert_eq!(details.phone, None);
        assert_eq!(details.address.as_deref(), Some("Toshkent, Chilonzor 5"));
    }

    #[test]
    fn a_change_against_the_current_version_applies_and_a_stale_one_conflicts() {
        assert_eq!(
            decide_contact_update(3, 3),
            ContactDecision::Apply { new_version: 4 }
        );
        assert_eq!(decide_contact_update(3, 2), ContactDecision::Conflict);
    }
}
