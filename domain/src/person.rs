//! Personal data of a civil servant: gender, full name and birth date rules.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};

/// Gender as recorded in the passport and encoded in the PINFL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Male (odd first PINFL digit).
    Male,
    /// Female (even first PINFL digit).
    Female,
}

impl Gender {
    /// The stored and wire spelling: `male` or `female`.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
}

/// The longest accepted name part, in characters.
const MAX_PART: usize = 60;
/// The oʻ/gʻ letter mark (U+02BB, turned comma).
const OKINA: char = 'ʻ';
/// The tutuq belgisi, the glottal-stop mark (U+02BC, modifier apostrophe).
const TUTUQ: char = 'ʼ';
const APOSTROPHES: [char; 6] = ['\'', '`', '‘', '’', OKINA, TUTUQ];

/// A person's name in the Uzbek style: familiya, ism and, usually, otasining
/// ismi. Built only through [`PersonName::latin`] or [`PersonName::cyrillic`],
/// which enforce one script and normalise spacing and apostrophes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName {
    /// Surname (familiya).
    pub last: String,
    /// Given name (ism).
    pub first: String,
    /// Patronymic (otasining ismi), absent for some foreign-born persons.
    pub patronymic: Option<String>,
}

#[derive(Clone, Copy)]
enum Script {
    Latin,
    Cyrillic,
}

impl PersonName {
    /// Builds a name written in the Uzbek Latin alphabet. Apostrophe variants
    /// after o/g become ʻ (oʻ, gʻ); elsewhere they become the tutuq belgisi ʼ.
    pub fn latin(last: &str, first: &str, patronymic: Option<&str>) -> Result<Self, DomainError> {
        Self::build(Script::Latin, last, first, patronymic)
    }

    /// Builds a name written in Cyrillic (Uzbek letters ў, қ, ғ, ҳ included).
    pub fn cyrillic(
        last: &str,
        first: &str,
        patronymic: Option<&str>,
    ) -> Result<Self, DomainError> {
        Self::build(Script::Cyrillic, last, first, patronymic)
    }

    /// The name as printed in documents: "Last First Patronymic".
    pub fn full(&self) -> String {
        let mut parts = vec![self.last.as_str(), self.first.as_str()];
        parts.extend(self.patronymic.as_deref());
        parts.join(" ")
    }

    fn build(
        script: Script,
        last: &str,
        first: &str,
        patronymic: Option<&str>,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            last: name_part(script, "last name", last)?,
            first: name_part(script, "first name", first)?,
            patronymic: patronymic
                .filter(|p| !p.trim().is_empty())
                .map(|p| name_part(script, "patronymic", p))
                .transpose()?,
        })
    }
}

fn name_part(script: Script, part: &str, raw: &str) -> Result<String, DomainError> {
    let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = normalise_apostrophes(script, &collapsed);
    let len = text.chars().count();
    let fail = |why: String| DomainError::new(ErrorCode::InvalidName, format!("{part} {why}"));
    if !(1..=MAX_PART).contains(&len) {
        return Err(fail(format!(
            "must be 1 to {MAX_PART} characters, got {len}"
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|&c| !is_letter(script, c) && !is_separator(c))
    {
        return Err(fail(format!(
            "contains {bad:?}, which is not allowed in this script"
        )));
    }
    if !text.chars().next().is_some_and(|c| is_letter(script, c)) {
        return Err(fail("must start with a letter".to_owned()));
    }
    Ok(text)
}

fn normalise_apostrophes(script: Script, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = ' ';
    for c in text.chars() {
        let mapped = match (APOSTROPHES.contains(&c), script) {
            (false, _) => c,
            (true, Script::Latin) if matches!(previous, 'o' | 'O' | 'g' | 'G') => OKINA,
            (true, _) => TUTUQ,
        };
        out.push(mapped);
        previous = c;
    }
    out
}

fn is_letter(script: Script, c: char) -> bool {
    match script {
        Script::Latin => c.is_ascii_alphabetic(),
        Script::Cyrillic => matches!(
            c,
            'А'..='я' | 'Ё' | 'ё' | 'Ў' | 'ў' | 'Қ' | 'қ' | 'Ғ' | 'ғ' | 'Ҳ' | 'ҳ'
        ),
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | OKINA | TUTUQ)
}

/// Parses a calendar date in ISO 8601 form `YYYY-MM-DD`, the only date form
/// the API accepts.
pub fn parse_date(s: &str) -> Result<NaiveDate, DomainError> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = shaped
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten();
    date.ok_or_else(|| {
        DomainError::new(
            ErrorCode::InvalidDate,
            format!("{s:?} is not a real date in the form YYYY-MM-DD"),
        )
    })
}

/// The youngest age at which a person may enter the civil service records.
pub const MIN_AGE: u32 = 16;
/// The oldest plausible age; anything beyond is a typing error.
pub const MAX_AGE: u32 = 100;

/// Checks that a birth date gives an age, as of `today`, between
/// [`MIN_AGE`] and [`MAX_AGE`] full years inclusive.
pub fn validate_birth_date(date: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    match today.years_since(date) {
        Some(age) if (MIN_AGE..=MAX_AGE).contains(&age) => Ok(()),
        Some(age) => Err(DomainError::new(
            ErrorCode::InvalidDate,
            format!("birth date {date} gives age {age}; it must be {MIN_AGE} to {MAX_AGE}"),
        )),
        None => Err(DomainError::new(
            ErrorCode::InvalidDate,
            format!("birth date {date} is in the future"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_latin_name_is_trimmed_and_its_inner_spaces_collapsed() {
        let name = PersonName::latin("  Karimov ", "Aziz   Bek", Some(" Rustamovich ")).unwrap();
        assert_eq!(name.full(), "Karimov Aziz Bek Rustamovich");
    }

    #[test]
    fn apostrophes_after_o_and_g_become_the_okina() {
        let name = PersonName::latin("To'xtayev", "G`ulom", Some("O’ktamovich")).unwrap();
        assert_eq!(name.last, "Toʻxtayev");
        assert_eq!(name.first, "Gʻulom");
        assert_eq!(name.patronymic.as_deref(), Some("Oʻktamovich"));
    }

    #[test]
    fn apostrophes_elsewhere_become_the_tutuq_belgisi() {
        let name = PersonName::latin("Ma'rupov", "Sa‘dulla", None).unwrap();
        assert_eq!(name.last, "Maʼrupov");
        assert_eq!(name.first, "Saʼdulla");
    }

    #[test]
    fn a_name_without_patronymic_prints_two_parts() {
        let name = PersonName::latin("Smith", "John", Some("  ")).unwrap();
        assert_eq!(name.patronymic, None);
        assert_eq!(name.full(), "Smith John");
    }

    #[test]
    fn a_cyrillic_name_may_use_uzbek_letters() {
        let name = PersonName::cyrillic("Тўхтаев", "Ғулом", Some("Ҳамидович")).unwrap();
        assert_eq!(name.full(), "Тўхтаев Ғулом Ҳамидович");
    }

    #[test]
    fn a_cyrillic_letter_in_a_latin_name_is_refused() {
        let err = PersonName::latin("Karimоv", "Aziz", None).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidName);
        assert!(err.detail.starts_with("last name"));
    }

    #[test]
    fn a_latin_letter_in_a_cyrillic_name_is_refused() {
        let err = PersonName::cyrillic("Каримов", "Aзиз", None).unwrap_err();
        assert!(err.detail.starts_with("first name"));
    }

    #[test]
    fn digits_and_empty_parts_are_refused() {
        assert_eq!(
            PersonName::latin("Karimov2", "Aziz", None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidName
        );
        assert_eq!(
            PersonName::latin("Karimov", "   ", None).unwrap_err().code,
            ErrorCode::InvalidName
        );
        assert_eq!(
            PersonName::latin("-Karimov", "Aziz", None)
                .unwrap_err()
                .code,
            ErrorCode::InvalidName
        );
    }

    #[test]
    fn a_part_longer_than_sixty_characters_is_refused() {
        let long = "A".repeat(61);
        let err = PersonName::latin("Karimov", "Aziz", Some(&long)).unwrap_err();
        assert!(err.detail.starts_with("patronymic"));
        assert!(PersonName::latin(&"A".repeat(60), "Aziz", None).is_ok());
    }

    #[test]
    fn an_iso_date_is_parsed() {
        assert_eq!(parse_date("1985-05-15"), Ok(date(1985, 5, 15)));
    }

    #[test]
    fn other_date_forms_and_impossible_dates_are_refused() {
        for bad in [
            "15.05.1985",
            "1985-5-15",
            "1985-02-30",
            "",
            "1985-05-15T00:00",
        ] {
            assert_eq!(
                parse_date(bad).unwrap_err().code,
                ErrorCode::InvalidDate,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_birth_date_must_give_an_age_of_sixteen_to_one_hundred() {
        let today = date(2025, 6, 1);
        assert!(validate_birth_date(date(2009, 6, 1), today).is_ok());
        assert_eq!(
            validate_birth_date(date(2009, 6, 2), today)
                .unwrap_err()
                .code,
            ErrorCode::InvalidDate
        );
        assert!(validate_birth_date(date(1925, 6, 1), today).is_ok());
        assert_eq!(
            validate_birth_date(date(1924, 5, 31), today)
                .unwrap_err()
                .code,
            ErrorCode::InvalidDate
        );
        assert_eq!(
            validate_birth_date(date(2026, 1, 1), today)
                .unwrap_err()
                .code,
            ErrorCode::InvalidDate
        );
    }
}
