//! Sign-in values: login names, what a user may type to sign in, new
//! passwords and the kinds of device a session runs on.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};
use crate::pinfl::Pinfl;

/// A chosen login name: lower-case, 3 to 64 characters of `a-z 0-9 . _ -`,
/// starting with a letter so it can never be mistaken for a PINFL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LoginName(String);

impl LoginName {
    /// Validates a login as typed; it is trimmed and lower-cased first, so
    /// `Aziz.K` and `aziz.k` are the same login.
    pub fn parse(s: &str) -> Result<LoginName, DomainError> {
        let login = s.trim().to_lowercase();
        let len = login.chars().count();
        let fail = |why: String| DomainError::new(ErrorCode::InvalidLogin, format!("login {why}"));
        if !(3..=64).contains(&len) {
            return Err(fail(format!("must be 3 to 64 characters, got {len}")));
        }
        if let Some(bad) = login
            .chars()
            .find(|&c| !matches!(c, 'a'..='z' | '0'..='9' | '.' | '_' | '-'))
        {
            return Err(fail(format!(
                "contains {bad:?}; only a-z, 0-9, '.', '_' and '-' are allowed"
            )));
        }
        if !login.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err(fail("must start with a letter".to_owned()));
        }
        Ok(LoginName(login))
    }

    /// The normalised login.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LoginName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for LoginName {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LoginName::parse(s)
    }
}

impl TryFrom<String> for LoginName {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        LoginName::parse(&s)
    }
}

impl From<LoginName> for String {
    fn from(login: LoginName) -> String {
        login.0
    }
}

/// What a user typed in the sign-in form: either their PINFL or a login name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LoginIdentifier {
    /// Fourteen digits: the person's PINFL.
    Pinfl(Pinfl),
    /// Anything else: a chosen login name.
    Login(LoginName),
}

impl LoginIdentifier {
    /// Tells a PINFL from a login name. Every failure is reported as
    /// `InvalidLogin`, so the sign-in form has a single error to show.
    pub fn parse(s: &str) -> Result<LoginIdentifier, DomainError> {
        let trimmed = s.trim();
        if trimmed.len() == 14 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            return Pinfl::parse(trimmed)
                .map(LoginIdentifier::Pinfl)
                .map_err(|e| DomainError::new(ErrorCode::InvalidLogin, e.detail));
        }
        LoginName::parse(trimmed).map(LoginIdentifier::Login)
    }
}

/// The shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest accepted password, in characters; bounds the hashing cost.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password a user wants to set, checked against the strength rules.
/// Its `Debug` output hides the secret so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks the strength rules: 10 to 256 characters, not one repeated
    /// character, not digits only. The password is kept exactly as typed.
    pub fn parse(s: &str) -> Result<NewPassword, DomainError> {
        let len = s.chars().count();
        let fail =
            |why: String| DomainError::new(ErrorCode::WeakPassword, format!("password {why}"));
        if len < MIN_PASSWORD_CHARS {
            return Err(fail(format!(
                "must have at least {MIN_PASSWORD_CHARS} characters, got {len}"
            )));
        }
        if len > MAX_PASSWORD_CHARS {
            return Err(fail(format!(
                "must have at most {MAX_PASSWORD_CHARS} characters, got {len}"
            )));
        }
        let mut chars = s.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(fail("must not be one character repeated".to_owned()));
        }
        if s.chars().all(|c| c.is_ascii_digit()) {
            return Err(fail("must not consist of digits only".to_owned()));
        }
        Ok(NewPassword(s.to_owned()))
    }

    /// The password itself, to be hashed and then dropped.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// The kind of client a device registration or session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DevicePlatform {
    /// The Android phone app.
    Android,
    /// The iPhone app.
    Ios,
    /// A web browser.
    Web,
    /// Any other client, e.g. a script using the API.
    Other,
}

impl DevicePlatform {
    /// The snake_case wire name, as in serde.
    pub fn as_str(self) -> &'static str {
        match self {
            DevicePlatform::Android => "android",
            DevicePlatform::Ios => "ios",
            DevicePlatform::Web => "web",
            DevicePlatform::Other => "other",
        }
    }
}

impl FromStr for DevicePlatform {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Self::Android, Self::Ios, Self::Web, Self::Other]
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                DomainError::new(
                    ErrorCode::InvalidField,
                    format!("platform {s:?} is not one of android, ios, web, other"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_is_trimmed_and_lower_cased() {
        assert_eq!(
            LoginName::parse("  Aziz.Karimov_1 ").unwrap().as_str(),
            "aziz.karimov_1"
        );
    }

    #[test]
    fn a_login_must_start_with_a_letter() {
        let err = LoginName::parse("1aziz").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidLogin);
        assert!(err.detail.contains("start with a letter"));
    }

    #[test]
    fn a_login_must_be_three_to_sixty_four_characters() {
        assert_eq!(
            LoginName::parse("ab").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
        assert!(LoginName::parse("abc").is_ok());
        assert!(LoginName::parse(&"a".repeat(64)).is_ok());
        assert_eq!(
            LoginName::parse(&"a".repeat(65)).unwrap_err().code,
            ErrorCode::InvalidLogin
        );
    }

    #[test]
    fn a_login_with_spaces_or_non_ascii_letters_is_refused() {
        assert_eq!(
            LoginName::parse("aziz karimov").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
        assert_eq!(
            LoginName::parse("азиз").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
        assert_eq!(
            LoginName::parse("aziz@mail").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
    }

    #[test]
    fn fourteen_digits_sign_in_with_a_pinfl() {
        let id = LoginIdentifier::parse(" 31505850230012 ").unwrap();
        assert!(matches!(id, LoginIdentifier::Pinfl(p) if p.as_str() == "31505850230012"));
    }

    #[test]
    fn anything_else_signs_in_with_a_login_name() {
        let id = LoginIdentifier::parse("Aziz").unwrap();
        assert!(matches!(id, LoginIdentifier::Login(l) if l.as_str() == "aziz"));
    }

    #[test]
    fn a_malformed_pinfl_or_login_is_an_invalid_login() {
        assert_eq!(
            LoginIdentifier::parse("93505850230012").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
        assert_eq!(
            LoginIdentifier::parse("1234").unwrap_err().code,
            ErrorCode::InvalidLogin
        );
    }

    #[test]
    fn a_password_needs_ten_characters_not_bytes() {
        assert_eq!(
            NewPassword::parse("short-pw1").unwrap_err().code,
            ErrorCode::WeakPassword
        );
        assert!(NewPassword::parse("parol-2025").is_ok());
        assert_eq!(
            NewPassword::parse("пароль123").unwrap_err().code,
            ErrorCode::WeakPassword
        );
        assert!(NewPassword::parse("пароль1234").is_ok());
    }

    #[test]
    fn a_password_longer_than_256_characters_is_refused() {
        assert_eq!(
            NewPassword::parse(&"ab".repeat(129)).unwrap_err().code,
            ErrorCode::WeakPassword
        );
        assert!(NewPassword::parse(&"ab".repeat(128)).is_ok());
    }

    #[test]
    fn a_repeated_character_or_digits_only_password_is_weak() {
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa").unwrap_err().code,
            ErrorCode::WeakPassword
        );
        assert_eq!(
            NewPassword::parse("123456789012").unwrap_err().code,
            ErrorCode::WeakPassword
        );
    }

    #[test]
    fn a_password_is_kept_as_typed_and_hidden_from_debug_output() {
        let pw = NewPassword::parse(" my secret pw ").unwrap();
        assert_eq!(pw.expose(), " my secret pw ");
        assert_eq!(format!("{pw:?}"), "NewPassword(***)");
    }

    #[test]
    fn a_weak_password_error_does_not_repeat_the_password() {
        let err = NewPassword::parse("1234567890").unwrap_err();
        assert!(!err.detail.contains("1234567890"));
    }

    #[test]
    fn platforms_round_trip_through_their_names() {
        for p in [
            DevicePlatform::Android,
            DevicePlatform::Ios,
            DevicePlatform::Web,
            DevicePlatform::Other,
        ] {
            assert_eq!(p.as_str().parse::<DevicePlatform>(), Ok(p));
        }
        assert_eq!(
            "windows".parse::<DevicePlatform>().unwrap_err().code,
            ErrorCode::InvalidField
        );
    }
}
