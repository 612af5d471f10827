//! Small validated values used by the record sections.

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};

/// A line of free text: trimmed, not blank, at most 300 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    /// Longest accepted text, in characters.
    pub const MAX: usize = 300;

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn bounded(s: &str, max: usize, what: &str) -> Result<String, DomainError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(DomainError::new(
            ErrorCode::MissingField,
            format!("{what} is blank"),
        ));
    }
    if trimmed.chars().count() > max {
        return Err(DomainError::new(
            ErrorCode::InvalidField,
            format!("{what} is longer than {max} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

impl TryFrom<String> for Text {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, DomainError> {
        bounded(&s, Self::MAX, "a text field").map(Self)
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.0
    }
}

/// A reason or a reviewer's note: trimmed, not blank, at most 2000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

impl Note {
    /// Longest accepted note, in characters.
    pub const MAX: usize = 2000;

    /// Parses a note.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        bounded(s, Self::MAX, "the note").map(Self)
    }

    /// The note.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Note {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, DomainError> {
        Self::parse(&s)
    }
}

impl From<Note> for String {
    fn from(note: Note) -> Self {
        note.0
    }
}

/// A calendar year between 1900 and 2100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Year(i32);

impl Year {
    /// The year.
    pub fn get(self) -> i32 {
        self.0
    }
}

impl TryFrom<i64> for Year {
    type Error = DomainError;

    fn try_from(n: i64) -> Result<Self, DomainError> {
        match i32::try_from(n) {
            Ok(year) if (1900..=2100).contains(&year) => Ok(Self(year)),
            _ => Err(DomainError::new(
                ErrorCode::InvalidDate,
                format!("{n} is not a year between 1900 and 2100"),
            )),
        }
    }
}

impl From<Year> for i64 {
    fn from(year: Year) -> Self {
        i64::from(year.0)
    }
}
