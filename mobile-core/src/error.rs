//! Errors: the internal [`Error`] every layer returns, and the one [`CoreError`] the apps see.
//!
//! Internal errors become a `CoreError` in exactly one place ([`Error::into_core`]), which is
//! also where a user-facing reason is put into the user's language.

use chrono::TimeDelta;
use xodim_domain::{DomainError, ErrorCode, Locale};

use crate::transport::TransportError;

/// The error of every exported call: one variant per thing an app may do about it.
///
/// `code` is the stable wire code (`invalid_phone`, `refresh_token_reused`, …) for apps that
/// branch on it; `reason` is a sentence for the user, in the core's locale where one exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CoreError {
    /// The server could not be reached or is temporarily unable to answer: try again later.
    #[error("network: {reason}")]
    Network {
        /// What went wrong.
        reason: String,
    },
    /// Not signed in, the credentials are wrong, or the session ended: show the sign-in screen.
    #[error("unauthorized ({code}): {reason}")]
    Unauthorized {
        /// The wire code, e.g. `invalid_credentials`.
        code: String,
        /// The reason in the user's language.
        reason: String,
    },
    /// The input breaks a rule: show the reason next to the form.
    #[error("invalid ({code}): {reason}")]
    Validation {
        /// The wire code, e.g. `invalid_phone`.
        code: String,
        /// The reason in the user's language.
        reason: String,
        /// The form field at fault (wire name, e.g. `end_year`), when one is: mark it.
        field_name: Option<String>,
    },
    /// The data changed on the server since the user saw it.
    #[error("conflict: {reason}")]
    Conflict {
        /// The reason in the user's language.
        reason: String,
    },
    /// A fault of the core or the device (storage, unreadable data): report it.
    #[error("internal: {reason}")]
    Internal {
        /// What went wrong, for a bug report.
        reason: String,
    },
}

/// An error answer of the server: `{code, message, detail}` with its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServerError {
    /// The HTTP status.
    pub status: u16,
    /// The wire code.
    pub code: String,
    /// The reason in the language the request asked for.
    pub message: String,
    /// How long the server asked the client to wait before trying again (`Retry-After`).
    pub retry_after: Option<TimeDelta>,
}

impl ServerError {
    /// Whether the same request may succeed later without any change (overload, outage).
    pub fn is_transient(&self) -> bool {
        transient_status(self.status)
    }
}

fn transient_status(status: u16) -> bool {
    matches!(status, 408 | 429) || status >= 500
}

/// What goes wrong inside the core.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// SQLite failed.
    #[error("storage: {0}")]
    Sql(#[from] rusqlite::Error),
    /// JSON could not be read or written.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The request did not get an answer.
    #[error("network: {0}")]
    Network(String),
    /// The server answered with an error.
    #[error("server answered {}: {} ({})", .0.status, .0.code, .0.message)]
    Server(ServerError),
    /// There is no session on this device.
    #[error("not signed in")]
    SignedOut,
    /// A domain rule refused the input.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Something stored or received cannot be understood.
    #[error("unreadable data: {0}")]
    Corrupt(String),
    /// The core was put together wrong: a fault of the build, never of the user.
    #[error("composition: {0}")]
    Composition(String),
}

impl From<TransportError> for Error {
    fn from(err: TransportError) -> Self {
        match err {
            TransportError::Network { reason } => Error::Network(reason),
        }
    }
}

impl Error {
    /// How long the server asked to wait before the same request goes again, if it did.
    pub fn retry_after(&self) -> Option<TimeDelta> {
        match self {
            Error::Server(server) if server.is_transient() => server.retry_after,
            _ => None,
        }
    }
}

/// The internal result type.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The single mapping to what apps see; `locale` picks the language of local reasons.
    pub fn into_core(self, locale: Locale) -> CoreError {
        match self {
            Error::Network(reason) => CoreError::Network { reason },
            Error::Server(server) => server_to_core(server),
            Error::SignedOut => CoreError::Unauthorized {
                code: ErrorCode::Unauthenticated.as_str().to_owned(),
                reason: ErrorCode::Unauthenticated.message(locale).to_owned(),
            },
            Error::Domain(err) => CoreError::Validation {
                code: err.code.as_str().to_owned(),
                reason: err.code.message(locale).to_owned(),
                field_name: err.field,
            },
            err @ (Error::Sql(_) | Error::Json(_) | Error::Corrupt(_) | Error::Composition(_)) => {
                CoreError::Internal {
                    reason: err.to_string(),
                }
            }
        }
    }
}

fn server_to_core(server: ServerError) -> CoreError {
    let ServerError {
        status,
        code,
        message,
        ..
    } = server;
    match status {
        401 | 403 => CoreError::Unauthorized {
            code,
            reason: message,
        },
        409 => CoreError::Conflict { reason: message },
        _ if transient_status(status) => CoreError::Network { reason: message },
        _ => CoreError::Validation {
            code,
            reason: message,
            field_name: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, code: &str) -> Error {
        Error::Server(ServerError {
            status,
            code: code.to_owned(),
            message: "m".to_owned(),
            retry_after: None,
        })
    }

    #[test]
    fn server_answers_map_by_what_the_app_can_do() {
        let map = |e: Error| e.into_core(Locale::En);
        assert!(
            matches!(map(server(401, "invalid_credentials")), CoreError::Unauthorized { code, .. } if code == "invalid_credentials")
        );
        assert!(matches!(
            map(server(429, "rate_limited")),
            CoreError::Network { .. }
        ));
        assert!(matches!(
            map(server(503, "unavailable")),
            CoreError::Network { .. }
        ));
        assert!(matches!(
            map(server(409, "version_conflict")),
            CoreError::Conflict { .. }
        ));
        assert!(
            matches!(map(server(400, "invalid_field")), CoreError::Validation { code, .. } if code == "invalid_field")
        );
    }

    #[test]
    fn a_local_rule_is_explained_in_the_users_language() {
        let err = Error::Domain(DomainError::new(ErrorCode::InvalidPhone, "phone"));
        let CoreError::Validation { code, reason, .. } = err.into_core(Locale::Ru) else {
            panic!("not a validation error");
        };
        assert_eq!(code, "invalid_phone");
        assert_eq!(reason, ErrorCode::InvalidPhone.message(Locale::Ru));
    }

    #[test]
    fn a_refusal_of_one_field_names_it_for_the_form() {
        let err = DomainError::new(ErrorCode::InvalidDate, "issued_at").with_field("issued_at");
        let core = Error::Domain(err).into_core(Locale::En);
        assert!(
            matches!(&core, CoreError::Validation { code, field_name: Some(field), .. }
                if code == "invalid_date" && field == "issued_at"),
            "{core:?}"
        );
    }
}
