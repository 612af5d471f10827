//! The error catalogue: stable wire codes, their user-facing messages, and the
//! error value every fallible domain function returns.

use serde::{Deserialize, Serialize};

use crate::l10n::{self, Message};
use crate::locale::Locale;

/// A stable, machine-readable reason for a failure. Clients branch on the
/// snake_case wire code, so variants may be added but never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request body could not be parsed as JSON.
    InvalidJson,
    /// A field is present but its value is not acceptable.
    InvalidField,
    /// A required field is absent.
    MissingField,
    /// The request body exceeds the size limit.
    BodyTooLarge,
    /// The request body has a content type the endpoint does not accept.
    UnsupportedMediaType,
    /// A PINFL is malformed or describes an impossible person.
    InvalidPinfl,
    /// The birth date encoded in a PINFL differs from the stated one.
    PinflBirthDateMismatch,
    /// An identifier is not a UUID.
    InvalidId,
    /// A date is malformed or outside the accepted range.
    InvalidDate,
    /// A personal name has a wrong length or characters of another script.
    InvalidName,
    /// A login name or login identifier is malformed.
    InvalidLogin,
    /// A language tag is not one of the supported locales.
    InvalidLocale,
    /// The paging parameters (limit, cursor) are malformed.
    InvalidPaging,
    /// A SOATO region code is malformed.
    InvalidRegionCode,
    /// An uploaded CSV file cannot be read.
    InvalidCsv,
    /// A bulk import was refused as a whole because some rows are invalid.
    ImportRejected,
    /// A new password does not meet the strength rules.
    WeakPassword,
    /// The addressed object does not exist (or is invisible to the caller).
    NotFound,
    /// No endpoint exists at the requested path.
    RouteNotFound,
    /// The endpoint exists but not for this HTTP method.
    MethodNotAllowed,
    /// The request carries no credentials.
    Unauthenticated,
    /// The access token is malformed or its signature is wrong.
    TokenInvalid,
    /// The access token is past its expiry time.
    TokenExpired,
    /// The session behind the access token has been ended.
    TokenRevoked,
    /// The login or password is wrong; deliberately does not say which.
    InvalidCredentials,
    /// The account exists but has been disabled by an administrator.
    AccountDisabled,
    /// The account exists but its owner has not activated it yet.
    AccountNotActivated,
    /// The one-time activation code is wrong or expired.
    ActivationCodeInvalid,
    /// The refresh token is unknown, expired or belongs to an ended session.
    RefreshTokenInvalid,
    /// An already used refresh token was presented again: a sign of theft,
    /// so the whole session family is ended.
    RefreshTokenReused,
    /// Too many requests or attempts in a short time.
    RateLimited,
    /// None of the caller's roles permits the action.
    Forbidden,
    /// A role permits the action, but not over the target's unit.
    OutOfScope,
    /// The login name belongs to another account.
    LoginTaken,
    /// A person with this PINFL already exists.
    PinflTaken,
    /// Another position in the unit already has this code.
    PositionCodeTaken,
    /// Another unit in the organisation already has this code.
    UnitCodeTaken,
    /// The position already has an employee assigned.
    PositionOccupied,
    /// The unit still has child units, so it cannot be removed.
    UnitHasChildren,
    /// A unit move would place the unit under itself, creating a cycle.
    CannotMoveUnitIntoItself,
    /// A phone number is not a valid Uzbek number.
    InvalidPhone,
    /// An e-mail address is malformed.
    InvalidEmail,
    /// A sync cursor could not be read; the client should start that sync again.
    InvalidCursor,
    /// An intent names a type the server does not know.
    UnknownIntent,
    /// An intent's arguments or expectation are malformed.
    InvalidIntent,
    /// Too many intents in one batch.
    TooManyIntents,
    /// The object changed since the version the client saw.
    VersionConflict,
    /// The same intent id was reused for a different intent.
    IntentIdReused,
    /// A correction request was already decided; a later decision cannot change it.
    RequestDecided,
    /// The step is not possible in the request's current state.
    RequestState,
    /// Another HR officer is reviewing the request.
    RequestClaimed,
    /// Nobody reviews a request about their own file.
    OwnRequest,
    /// An evidence file is larger than allowed.
    EvidenceTooLarge,
    /// An evidence file is not a photo or a PDF.
    EvidenceType,
    /// A request names an evidence file that was not uploaded.
    EvidenceMissing,
    /// An uploaded file does not match the content hash it was sent under.
    EvidenceHashMismatch,
    /// An unexpected server fault; details go to the log, never to the client.
    Internal,
    /// A dependency (database, cache) is temporarily unreachable.
    Unavailable,
    /// One intent is larger than the server accepts in a request, even alone.
    IntentTooLarge,
    /// An administrator tried to disable their own account.
    OwnAccount,
    /// The change would leave the organisation without an active org admin.
    LastOrgAdmin,
    /// The request's URL (path and query) is longer than the server reads.
    UrlTooLong,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and for publishing the catalogue.
    pub const ALL: &'static [ErrorCode] = &[
        Self::InvalidJson,
        Self::InvalidField,
        Self::MissingField,
        Self::BodyTooLarge,
        Self::UnsupportedMediaType,
        Self::InvalidPinfl,
        Self::PinflBirthDateMismatch,
        Self::InvalidId,
        Self::InvalidDate,
        Self::InvalidName,
        Self::InvalidLogin,
        Self::InvalidLocale,
        Self::InvalidPaging,
        Self::InvalidRegionCode,
        Self::InvalidCsv,
        Self::ImportRejected,
        Self::WeakPassword,
        Self::NotFound,
        Self::RouteNotFound,
        Self::MethodNotAllowed,
        Self::Unauthenticated,
        Self::TokenInvalid,
        Self::TokenExpired,
        Self::TokenRevoked,
        Self::InvalidCredentials,
        Self::AccountDisabled,
        Self::AccountNotActivated,
        Self::ActivationCodeInvalid,
        Self::RefreshTokenInvalid,
        Self::RefreshTokenReused,
        Self::RateLimited,
        Self::Forbidden,
        Self::OutOfScope,
        Self::LoginTaken,
        Self::PinflTaken,
        Self::PositionCodeTaken,
        Self::UnitCodeTaken,
        Self::PositionOccupied,
        Self::UnitHasChildren,
        Self::CannotMoveUnitIntoItself,
        Self::InvalidPhone,
        Self::InvalidEmail,
        Self::InvalidCursor,
        Self::UnknownIntent,
        Self::InvalidIntent,
        Self::TooManyIntents,
        Self::VersionConflict,
        Self::IntentIdReused,
        Self::RequestDecided,
        Self::RequestState,
        Self::RequestClaimed,
        Self::OwnRequest,
        Self::EvidenceTooLarge,
        Self::EvidenceType,
        Self::EvidenceMissing,
        Self::EvidenceHashMismatch,
        Self::Internal,
        Self::Unavailable,
        Self::IntentTooLarge,
        Self::OwnAccount,
        Self::LastOrgAdmin,
        Self::UrlTooLong,
    ];

    /// The snake_case wire code, identical to the serde serialisation.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidField => "invalid_field",
            Self::MissingField => "missing_field",
            Self::BodyTooLarge => "body_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::InvalidPinfl => "invalid_pinfl",
            Self::PinflBirthDateMismatch => "pinfl_birth_date_mismatch",
            Self::InvalidId => "invalid_id",
            Self::InvalidDate => "invalid_date",
            Self::InvalidName => "invalid_name",
            Self::InvalidLogin => "invalid_login",
            Self::InvalidLocale => "invalid_locale",
            Self::InvalidPaging => "invalid_paging",
            Self::InvalidRegionCode => "invalid_region_code",
            Self::InvalidCsv => "invalid_csv",
            Self::ImportRejected => "import_rejected",
            Self::WeakPassword => "weak_password",
            Self::NotFound => "not_found",
            Self::RouteNotFound => "route_not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Unauthenticated => "unauthenticated",
            Self::TokenInvalid => "token_invalid",
            Self::TokenExpired => "token_expired",
            Self::TokenRevoked => "token_revoked",
            Self::InvalidCredentials => "invalid_credentials",
            Self::AccountDisabled => "account_disabled",
            Self::AccountNotActivated => "account_not_activated",
            Self::ActivationCodeInvalid => "activation_code_invalid",
            Self::RefreshTokenInvalid => "refresh_token_invalid",
            Self::RefreshTokenReused => "refresh_token_reused",
            Self::RateLimited => "rate_limited",
            Self::Forbidden => "forbidden",
            Self::OutOfScope => "out_of_scope",
            Self::LoginTaken => "login_taken",
            Self::PinflTaken => "pinfl_taken",
            Self::PositionCodeTaken => "position_code_taken",
            Self::UnitCodeTaken => "unit_code_taken",
            Self::PositionOccupied => "position_occupied",
            Self::UnitHasChildren => "unit_has_children",
            Self::CannotMoveUnitIntoItself => "cannot_move_unit_into_itself",
            Self::Internal => "internal",
            Self::InvalidPhone => "invalid_phone",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidCursor => "invalid_cursor",
            Self::UnknownIntent => "unknown_intent",
            Self::InvalidIntent => "invalid_intent",
            Self::TooManyIntents => "too_many_intents",
            Self::VersionConflict => "version_conflict",
            Self::RequestDecided => "request_decided",
            Self::RequestState => "request_state",
            Self::RequestClaimed => "request_claimed",
            Self::OwnRequest => "own_request",
            Self::EvidenceTooLarge => "evidence_too_large",
            Self::EvidenceType => "evidence_type",
            Self::EvidenceMissing => "evidence_missing",
            Self::EvidenceHashMismatch => "evidence_hash_mismatch",
            Self::IntentIdReused => "intent_id_reused",
            Self::Unavailable => "unavailable",
            Self::IntentTooLarge => "intent_too_large",
            Self::OwnAccount => "own_account",
            Self::LastOrgAdmin => "last_org_admin",
            Self::UrlTooLong => "url_too_long",
        }
    }

    /// The catalogue text explaining this code, `error-<wire code>` in the `.ftl` files.
    pub fn text(self) -> Message {
        Message::new(format!("error-{}", self.as_str()))
    }

    /// A short sentence explaining the failure to the user in their language (in English if
    /// that language lacks it, the wire code if English does too).
    pub fn message(self, locale: Locale) -> &'static str {
        l10n::plain(locale, self.text().id()).unwrap_or(self.as_str())
    }
}

/// A failed domain rule: the code decides the response and the user message,
/// the detail tells a developer what exactly was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code:?}: {detail}")]
pub struct DomainError {
    /// The stable reason, shown to clients.
    pub code: ErrorCode,
    /// An English explanation for developers (which field, what was wrong);
    /// never contains a secret.
    pub detail: String,
    /// The input field at fault (`end_year`, `birth_date`), when one is, so that a form can
    /// mark it.
    pub field: Option<String>,
}

impl DomainError {
    /// Builds an error from a code and a developer-facing explanation.
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            field: None,
        }
    }

    /// Names the input field at fault.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};

    use super::*;

    #[test]
    fn every_code_has_a_message_in_every_locale() {
        for &code in ErrorCode::ALL {
            for locale in Locale::ALL {
                let message = code.message(locale);
                assert!(!message.trim().is_empty(), "{code:?} {locale}");
                assert_ne!(
                    message,
                    code.as_str(),
                    "{code:?} {locale}: only the fallback"
                );
            }
        }
    }

    #[test]
    fn the_four_translations_of_each_message_differ() {
        for &code in ErrorCode::ALL {
            let texts: HashSet<_> = Locale::ALL.iter().map(|&l| code.message(l)).collect();
            assert_eq!(texts.len(), 4, "{code:?}");
        }
    }

    #[test]
    fn wire_codes_are_unique() {
        let codes: HashSet<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn the_wire_code_is_what_serde_reads_and_writes() {
        for &code in ErrorCode::ALL {
            let de: StrDeserializer<'_, ValueError> = code.as_str().into_deserializer();
            assert_eq!(ErrorCode::deserialize(de), Ok(code));
        }
    }

    #[test]
    fn wire_codes_are_snake_case() {
        for &code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{s}");
        }
    }

    #[test]
    fn the_catalogue_lists_every_variant_once() {
        let unique: HashSet<_> = ErrorCode::ALL.iter().collect();
        assert_eq!(unique.len(), ErrorCode::ALL.len());
        assert_eq!(ErrorCode::ALL.len(), 62);
    }

    #[test]
    fn an_error_displays_its_code_and_detail() {
        let err = DomainError::new(ErrorCode::InvalidField, "name is empty");
        assert_eq!(err.to_string(), "InvalidField: name is empty");
    }
}
