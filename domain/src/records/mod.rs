//! Personnel records: the sections of a servant's file, their validated contents, and the
//! correction requests through which a servant asks HR to change them.
//!
//! Contents are parsed once at the edge ([`RecordData`] cannot hold an invalid value), so the
//! phone checks a proposal with the same rules the server applies.

mod evidence;
mod fields;
pub mod intents;
mod labels;
mod merge;
mod request;
mod text;

pub use evidence::{EvidenceType, MAX_EVIDENCE_BYTES, MAX_EVIDENCE_FILES, is_content_hash};
pub use fields::{
    Certificate, EducationLevel, EducationRecord, KnowledgeTest, Relation, Relative, TestKind,
    WorkHistoryEntry,
};
pub use intents::{
    CORRECTION_ANSWER, CORRECTION_APPROVE, CORRECTION_ASK, CORRECTION_CLAIM, CORRECTION_REBASE,
    CORRECTION_REJECT, CORRECTION_SUBMIT, CORRECTION_WITHDRAW, Party, RequestAddress, step_of,
};
pub use merge::{Rebased, conflicting_fields, rebase};
pub use request::{
    CorrectionOp, CorrectionRequest, InboxItem, RequestState, Step, Transition, Who, decide,
};
pub use text::{Note, Text, Year};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};

wire_enum! {
    /// A section of the personnel file.
    pub enum Section ("section") {
        /// Schools, colleges and universities.
        Education = "education",
        /// Training certificates.
        Certificate = "certificate",
        /// Posts held, here and elsewhere.
        WorkHistory = "work_history",
        /// Results of knowledge tests (competition, attestation, periodic).
        KnowledgeTest = "knowledge_test",
        /// Close relatives, as the civil-service questionnaire asks for them.
        Relative = "relative",
    }
}

wire_enum! {
    /// Where the current version of a record came from.
    pub enum RecordSource ("source") {
        /// Entered by an HR officer.
        Hr = "hr",
        /// A servant's correction request, approved by HR.
        SelfRequest = "self_request",
        /// Imported from another system (a bulk import, test.argos.uz).
        Integration = "integration",
    }
}

/// The contents of a record of one section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "section", content = "fields", rename_all = "snake_case")]
pub enum Fields {
    /// An education record.
    Education(EducationRecord),
    /// A training certificate.
    Certificate(Certificate),
    /// A work-history entry.
    WorkHistory(WorkHistoryEntry),
    /// A knowledge-test result.
    KnowledgeTest(KnowledgeTest),
    /// A relative.
    Relative(Relative),
}

/// Valid record contents: each field parsed, and the rules between fields hold (a start before
/// its end, a score within its maximum). Travels as `{"section": …, "fields": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Fields", into = "Fields")]
pub struct RecordData(Fields);

impl TryFrom<Fields> for RecordData {
    type Error = DomainError;

    fn try_from(fields: Fields) -> Result<Self, DomainError> {
        match &fields {
            Fields::Education(f) => f.check(),
            Fields::Certificate(f) => f.check(),
            Fields::WorkHistory(f) => f.check(),
            Fields::KnowledgeTest(f) => f.check(),
            Fields::Relative(f) => f.check(),
        }?;
        Ok(Self(fields))
    }
}

impl From<RecordData> for Fields {
    fn from(data: RecordData) -> Self {
        data.0
    }
}

impl RecordData {
    /// Parses the fields of `section` given as JSON. A refusal names the field at fault
    /// ([`DomainError::field`]): `invalid_date` for a day that does not exist, `missing_field`,
    /// `invalid_field` for the rest.
    pub fn parse(section: Section, fields: &Value) -> Result<Self, DomainError> {
        let fields = match section {
            Section::Education => Fields::Education(field_by_field(section, fields)?),
            Section::Certificate => Fields::Certificate(field_by_field(section, fields)?),
            Section::WorkHistory => Fields::WorkHistory(field_by_field(section, fields)?),
            Section::KnowledgeTest => Fields::KnowledgeTest(field_by_field(section, fields)?),
            Section::Relative => Fields::Relative(field_by_field(section, fields)?),
        };
        Self::try_from(fields)
    }

    /// Parses fields given as text, as a form or a CSV row holds them: blank values are absent,
    /// numbers and yes/no fields are read from their text.
    pub fn from_text<'a>(
        section: Section,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, DomainError> {
        let mut map = Map::new();
        for (name, text) in pairs {
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            map.insert(name.to_owned(), typed(name, text)?);
        }
        Self::parse(section, &Value::Object(map))
    }

    /// The section the contents belong to.
    pub fn section(&self) -> Section {
        match self.0 {
            Fields::Education(_) => Section::Education,
            Fields::Certificate(_) => Section::Certificate,
            Fields::WorkHistory(_) => Section::WorkHistory,
            Fields::KnowledgeTest(_) => Section::KnowledgeTest,
            Fields::Relative(_) => Section::Relative,
        }
    }

    /// The contents.
    pub fn fields(&self) -> &Fields {
        &self.0
    }

    /// The fields alone, as a JSON object.
    pub fn fields_json(&self) -> Value {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut map)) => map.remove("fields").unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
}

/// Fields whose values are calendar days (`YYYY-MM-DD`).
const DATES: &[&str] = &[
    "issued_at",
    "expires_at",
    "start",
    "end",
    "taken_at",
    "valid_until",
    "birth_date",
];

/// Reads one section's fields, keeping the path of the value that failed.
fn field_by_field<T: DeserializeOwned>(section: Section, fields: &Value) -> Result<T, DomainError> {
    serde_path_to_error::deserialize(fields).map_err(|err| {
        let path = err.path().to_string();
        refusal(section, &path, &err.into_inner().to_string())
    })
}

/// The refusal of a field that did not read: its code and its name.
fn refusal(section: Section, path: &str, message: &str) -> DomainError {
    let quoted = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let (code, field) = if let Some(name) = quoted("missing field `") {
        (ErrorCode::MissingField, Some(name))
    } else if let Some(name) = quoted("unknown field `") {
        (ErrorCode::InvalidField, Some(name))
    } else {
        let field = path
            .split('.')
            .next()
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        // A value type of this crate refused it: its own code is in the message.
        let code = ErrorCode::ALL
            .iter()
            .copied()
            .find(|code| message.starts_with(&format!("{code:?}: ")))
            .or_else(|| {
                let date = field.as_deref().is_some_and(|name| DATES.contains(&name));
                date.then_some(ErrorCode::InvalidDate)
            })
            .unwrap_or(ErrorCode::InvalidField);
        (code, field)
    };
    let err = DomainError::new(code, format!("{section}: {message}"));
    match field {
        Some(field) => err.with_field(field),
        None => err,
    }
}

/// Fields whose text is a whole number.
const NUMBERS: &[&str] = &[
    "start_year",
    "end_year",
    "hours",
    "score",
    "max_score",
    "birth_year",
    "deceased_year",
];
/// Fields whose text is yes or no.
const FLAGS: &[&str] = &["honours", "is_internal", "passed", "deceased"];

fn typed(name: &str, text: &str) -> Result<Value, DomainError> {
    let bad = |what: &str| {
        DomainError::new(
            ErrorCode::InvalidField,
            format!("{name}: {text:?} is not {what}"),
        )
        .with_field(name)
    };
    if NUMBERS.contains(&name) {
        return text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("a whole number"));
    }
    if FLAGS.contains(&name) {
        return match text.to_lowercase().as_str() {
            "true" | "yes" | "1" | "ha" | "да" | "ҳа" => Ok(Value::Bool(true)),
            "false" | "no" | "0" | "yoʻq" | "yo'q" | "нет" | "йўқ" => Ok(Value::Bool(false)),
            _ => Err(bad("yes or no")),
        };
    }
    Ok(Value::String(text.to_owned()))
}

/// One item of a personnel file as the phone and the HR screens receive it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordItem {
    /// The item.
    pub id: Uuid,
    /// Whose file it belongs to.
    pub employee_id: Uuid,
    /// Its version; a correction request names the version it was based on.
    pub version: i64,
    /// Where this version came from.
    pub source: RecordSource,
    /// The account that verified this version, if anyone did.
    pub verified_by: Option<Uuid>,
    /// When it was verified.
    pub verified_at: Option<DateTime<Utc>>,
    /// The section and its fields.
    #[serde(flatten)]
    pub data: RecordData,
}

#[cfg(test)]
mod tests;
