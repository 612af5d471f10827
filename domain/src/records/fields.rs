//! The fields of each section and the rules between them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::text::{Text, Year};
use crate::error::{DomainError, ErrorCode};

wire_enum! {
    /// The level of an education, as the civil-service questionnaire lists them.
    pub enum EducationLevel ("education level") {
        /// General secondary school.
        GeneralSecondary = "general_secondary",
        /// Vocational college or lyceum.
        Vocational = "vocational",
        /// Higher education not completed.
        IncompleteHigher = "incomplete_higher",
        /// Bachelor's degree.
        Bachelor = "bachelor",
        /// Master's degree.
        Master = "master",
        /// Doctor of philosophy (PhD).
        Phd = "phd",
        /// Doctor of science (DSc).
        Dsc = "dsc",
    }
}

wire_enum! {
    /// Why a knowledge test was taken.
    pub enum TestKind ("test kind") {
        /// The entry competition for a post.
        Competition = "competition",
        /// A regular attestation.
        Attestation = "attestation",
        /// A periodic knowledge check.
        Periodic = "periodic",
    }
}

wire_enum! {
    /// How a relative is related to the servant.
    pub enum Relation ("relation") {
        /// Father.
        Father = "father",
        /// Mother.
        Mother = "mother",
        /// Husband or wife.
        Spouse = "spouse",
        /// Son or daughter.
        Child = "child",
        /// Brother.
        Brother = "brother",
        /// Sister.
        Sister = "sister",
        /// The spouse's father.
        SpouseFather = "spouse_father",
        /// The spouse's mother.
        SpouseMother = "spouse_mother",
    }
}

fn refuse(code: ErrorCode, field: &str, detail: &str) -> Result<(), DomainError> {
    Err(DomainError::new(code, format!("{field}: {detail}")).with_field(field))
}

/// `end` (the field named `field`) must not lie before `start`.
fn ordered<T: PartialOrd>(
    start: Option<T>,
    end: Option<T>,
    field: &str,
    what: &str,
) -> Result<(), DomainError> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => refuse(ErrorCode::InvalidDate, field, what),
        _ => Ok(()),
    }
}

/// A school, college or university attended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EducationRecord {
    /// The institution.
    pub institution: Text,
    /// Its country, when not Uzbekistan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Text>,
    /// The level reached.
    pub level: EducationLevel,
    /// The specialty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialty: Option<Text>,
    /// The diploma's series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diploma_series: Option<Text>,
    /// The diploma's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diploma_no: Option<Text>,
    /// The year studies began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_year: Option<Year>,
    /// The year of graduation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_year: Option<Year>,
    /// Graduated with honours.
    #[serde(default)]
    pub honours: bool,
}

impl EducationRecord {
    pub(super) fn check(&self) -> Result<(), DomainError> {
        ordered(
            self.start_year,
            self.end_year,
            "end_year",
            "graduation before the start of studies",
        )
    }
}

/// A certificate of a training course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// Who ran the course.
    pub provider: Text,
    /// The course.
    pub course_title: Text,
    /// Its length in academic hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<u32>,
    /// When the certificate was issued.
    pub issued_at: NaiveDate,
    /// The certificate's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_no: Option<Text>,
    /// When it stops being valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<NaiveDate>,
}

impl Certificate {
    pub(super) fn check(&self) -> Result<(), DomainError> {
        if self.hours.is_some_and(|h| h == 0 || h > 10_000) {
            return refuse(ErrorCode::InvalidField, "hours", "must be 1 to 10000");
        }
        ordered(
            Some(self.issued_at),
            self.expires_at,
            "expires_at",
            "expires before it was issued",
        )
    }
}

/// A post held, in the civil service or elsewhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkHistoryEntry {
    /// The employer.
    pub employer: Text,
    /// The post's title.
    pub position_title: Text,
    /// First day.
    pub start: NaiveDate,
    /// Last day; none while the post is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// Within this organisation.
    #[serde(default)]
    pub is_internal: bool,
    /// The order that appointed or moved the servant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_ref: Option<Text>,
}

impl WorkHistoryEntry {
    pub(super) fn check(&self) -> Result<(), DomainError> {
        ordered(Some(self.start), self.end, "end", "ends before it starts")
    }
}

/// The result of a knowledge test.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnowledgeTest {
    /// Why it was taken.
    pub kind: TestKind,
    /// When.
    pub taken_at: NaiveDate,
    /// Points scored.
    pub score: u32,
    /// Points possible.
    pub max_score: u32,
    /// Whether it was passed.
    pub passed: bool,
    /// Until when the result counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
}

impl KnowledgeTest {
    pub(super) fn check(&self) -> Result<(), DomainError> {
        if self.max_score == 0 || self.score > self.max_score {
            return refuse(
                ErrorCode::InvalidField,
                "score",
                "the score must be within 0..max_score",
            );
        }
        ordered(
            Some(self.taken_at),
            self.valid_until,
            "valid_until",
            "valid until a day before the test",
        )
    }
}

/// A close relative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relative {
    /// How they are related.
    pub relation: Relation,
    /// Their full name.
    pub full_name: Text,
    /// Their birth date, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    /// Their birth year, when only that is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<Year>,
    /// Where they were born.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthplace: Option<Text>,
    /// Where they work and their post.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workplace_and_post: Option<Text>,
    /// Where they live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residence: Option<Text>,
    /// The year they died, if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deceased_year: Option<Year>,
}

impl Relative {
    pub(super) fn check(&self) -> Result<(), DomainError> {
        let born = match (self.birth_date, self.birth_year) {
            (None, None) => {
                return refuse(
                    ErrorCode::MissingField,
                    "birth_date",
                    "birth_date or birth_year is required",
                );
            }
            (Some(date), Some(year)) if date.year() != year.get() => {
                return refuse(
                    ErrorCode::InvalidDate,
                    "birth_year",
                    "birth_date and birth_year disagree",
                );
            }
            (Some(date), _) => date.year(),
            (None, Some(year)) => year.get(),
        };
        ordered(
            Some(born),
            self.deceased_year.map(Year::get),
            "deceased_year",
            "died before being born",
        )
    }
}
