//! The PINFL (JShShIR): the 14-digit personal identification number of a
//! natural person in Uzbekistan, printed in every passport and ID card.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};
use crate::person::Gender;

/// A structurally valid PINFL.
///
/// Layout: digit 1 encodes century and gender (1/2 → 1800s, 3/4 → 1900s,
/// 5/6 → 2000s; odd is male, even is female), digits 2–7 the birth date as
/// DDMMYY, digits 8–10 the region/district of issue, digits 11–13 a serial
/// number, digit 14 a check digit.
///
/// The check digit is deliberately not verified: its algorithm has not been
/// confirmed from an official source, and refusing a real citizen's number
/// would be worse than accepting a mistyped one that fails to match elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pinfl(String);

const LEN: usize = 14;

impl Pinfl {
    /// Validates a PINFL as typed by a person; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Pinfl, DomainError> {
        let s = s.trim();
        if s.chars().count() != LEN {
            return Err(invalid(format!(
                "must be {LEN} digits, got {} characters",
                s.chars().count()
            )));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("must contain only the digits 0-9"));
        }
        century_and_gender(s.as_bytes()[0])?;
        birth_date_of(s)?;
        Ok(Pinfl(s.to_owned()))
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in digits 1–7.
    pub fn birth_date(&self) -> NaiveDate {
        birth_date_of(&self.0).unwrap_or_default()
    }

    /// The gender encoded in digit 1.
    pub fn gender(&self) -> Gender {
        century_and_gender(self.0.as_bytes()[0]).map_or(Gender::Male, |(_, g)| g)
    }

    /// Confirms that a stated birth date agrees with the one in the PINFL,
    /// catching numbers that belong to someone else.
    pub fn check_birth_date(&self, date: NaiveDate) -> Result<(), DomainError> {
        let encoded = self.birth_date();
        if encoded == date {
            return Ok(());
        }
        Err(DomainError::new(
            ErrorCode::PinflBirthDateMismatch,
            format!("the PINFL encodes birth date {encoded}, but {date} was given"),
        ))
    }
}

fn invalid(detail: impl Into<String>) -> DomainError {
    DomainError::new(ErrorCode::InvalidPinfl, format!("PINFL {}", detail.into()))
}

fn century_and_gender(first: u8) -> Result<(i32, Gender), DomainError> {
    let century = match first {
        b'1' | b'2' => 1800,
        b'3' | b'4' => 1900,
        b'5' | b'6' => 2000,
        _ => {
            let digit = char::from(first);
            return Err(invalid(format!(
                "first digit must be 1-6 (century and gender), got {digit}"
            )));
        }
    };
    let gender = if (first - b'0') % 2 == 1 {
        Gender::Male
    } else {
        Gender::Female
    };
    Ok((century, gender))
}

fn birth_date_of(s: &str) -> Result<NaiveDate, DomainError> {
    let (century, _) = century_and_gender(s.as_bytes()[0])?;
    let number = |range: std::ops::Range<usize>| s.get(range).and_then(|d| d.parse::<u32>().ok());
    let (Some(day), Some(month), Some(year)) = (number(1..3), number(3..5), number(5..7)) else {
        return Err(invalid("must contain only the digits 0-9"));
    };
    let year = century + year as i32;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        invalid(format!(
            "digits 2-7 must be a real birth date DDMMYY, got {day:02}.{month:02}.{year}"
        ))
    })
}

impl fmt::Display for Pinfl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Pinfl {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pinfl::parse(s)
    }
}

impl TryFrom<String> for Pinfl {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Pinfl::parse(&s)
    }
}

impl From<Pinfl> for String {
    fn from(p: Pinfl) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_well_formed_pinfl_reveals_birth_date_and_gender() {
        let p = Pinfl::parse("31505850230012").unwrap();
        assert_eq!(p.birth_date(), date(1985, 5, 15));
        assert_eq!(p.gender(), Gender::Male);
        let p = Pinfl::parse("62902040100033").unwrap();
        assert_eq!(p.birth_date(), date(2004, 2, 29));
        assert_eq!(p.gender(), Gender::Female);
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        assert_eq!(
            Pinfl::parse(" 31505850230012\n").unwrap().as_str(),
            "31505850230012"
        );
    }

    #[test]
    fn a_pinfl_with_thirteen_digits_is_refused() {
        let err = Pinfl::parse("3150585023001").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPinfl);
        assert!(err.detail.contains("14 digits"));
    }

    #[test]
    fn a_pinfl_with_a_letter_is_refused() {
        let err = Pinfl::parse("3150585023001A").unwrap_err();
        assert!(err.detail.contains("digits 0-9"));
    }

    #[test]
    fn a_first_digit_outside_one_to_six_is_refused() {
        for first in ['0', '7', '8', '9'] {
            let err = Pinfl::parse(&format!("{first}1505850230012")).unwrap_err();
            assert!(err.detail.contains("first digit"), "{first}");
        }
    }

    #[test]
    fn an_impossible_birth_date_is_refused() {
        let err = Pinfl::parse("33002850230012").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPinfl);
        assert!(err.detail.contains("birth date"), "{}", err.detail);
        assert_eq!(
            Pinfl::parse("62902050100033").unwrap_err().code,
            ErrorCode::InvalidPinfl,
            "2005 is not a leap year"
        );
    }

    #[test]
    fn the_century_digit_selects_the_century() {
        assert_eq!(
            Pinfl::parse("10101990000000").unwrap().birth_date(),
            date(1899, 1, 1)
        );
        assert_eq!(
            Pinfl::parse("40101990000000").unwrap().birth_date(),
            date(1999, 1, 1)
        );
        assert_eq!(
            Pinfl::parse("50101000000000").unwrap().birth_date(),
            date(2000, 1, 1)
        );
    }

    #[test]
    fn a_matching_birth_date_passes_the_check() {
        let p = Pinfl::parse("31505850230012").unwrap();
        assert!(p.check_birth_date(date(1985, 5, 15)).is_ok());
    }

    #[test]
    fn a_different_birth_date_is_a_mismatch() {
        let p = Pinfl::parse("31505850230012").unwrap();
        let err = p.check_birth_date(date(1985, 5, 16)).unwrap_err();
        assert_eq!(err.code, ErrorCode::PinflBirthDateMismatch);
    }

    #[test]
    fn a_pinfl_converts_to_and_from_a_string() {
        let p: Pinfl = "31505850230012".parse().unwrap();
        assert_eq!(p.to_string(), "31505850230012");
        assert_eq!(String::from(p.clone()), "31505850230012");
        assert_eq!(Pinfl::try_from("31505850230012".to_owned()), Ok(p));
    }
}
