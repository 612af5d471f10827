//! The organisational structure: kinds and levels of organisations, position
//! categories, SOATO region codes, translated names and unit paths.

mod unit_path;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};
use crate::locale::Locale;

pub use unit_path::UnitPath;

wire_enum! {
    /// The legal kind of a government organisation.
    pub enum OrgKind ("organisation kind") {
        /// A ministry (vazirlik).
        Ministry = "ministry",
        /// An agency (agentlik).
        Agency = "agency",
        /// A state committee (qoʻmita).
        Committee = "committee",
        /// A regional or district administration (hokimiyat).
        Khokimiyat = "khokimiyat",
        /// Any other public body.
        Other = "other",
    }
}

wire_enum! {
    /// The administrative level an organisation operates at.
    pub enum OrgLevel ("organisation level") {
        /// The whole republic.
        Republic = "republic",
        /// A region (viloyat), Tashkent city or Karakalpakstan.
        Regional = "regional",
        /// A district (tuman) or town.
        District = "district",
    }
}

wire_enum! {
    /// The category of a position for business-travel allowances: hotel costs
    /// are reimbursed up to 3×, 2× or 1.5× the base calculation amount (BHM)
    /// per night, per Cabinet of Ministers resolution No. 424 of 2 August 2022.
    pub enum PositionCategory ("position category") {
        /// Heads of organisations and their equivalents: up to 3× BHM.
        SeniorHead = "senior_head",
        /// Deputy heads and central-office staff: up to 2× BHM.
        DeputyOrCentralStaff = "deputy_or_central_staff",
        /// Everyone else: up to 1.5× BHM.
        Other = "other",
    }
}

impl PositionCategory {
    /// The nightly hotel cap in tenths of a BHM (30 = 3×), kept integral so
    /// money arithmetic never touches floating point.
    pub fn hotel_cap_tenths_of_bhm(self) -> u32 {
        match self {
            PositionCategory::SeniorHead => 30,
            PositionCategory::DeputyOrCentralStaff => 20,
            PositionCategory::Other => 15,
        }
    }
}

/// A SOATO code (the state classifier of administrative-territorial objects),
/// 4 to 10 digits, from republic down to district level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

impl RegionCode {
    /// Validates a SOATO code; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<RegionCode, DomainError> {
        let code = s.trim();
        if (4..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(RegionCode(code.to_owned()));
        }
        Err(DomainError::new(
            ErrorCode::InvalidRegionCode,
            format!("region code {code:?} must be a SOATO code of 4 to 10 digits"),
        ))
    }

    /// The digits of the code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RegionCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for RegionCode {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> String {
        code.0
    }
}

/// The longest accepted translated name, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// A name shown to users in their language. The Uzbek Latin text is the
/// official one and always present; the others are optional translations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalizedText {
    /// The official text in Uzbek Latin.
    pub uz_latn: String,
    /// The Uzbek Cyrillic rendering, if provided.
    pub uz_cyrl: Option<String>,
    /// The Russian translation, if provided.
    pub ru: Option<String>,
    /// The English translation, if provided.
    pub en: Option<String>,
}

impl LocalizedText {
    /// Starts a text from its official Uzbek Latin form: trimmed, 1 to 200
    /// characters. Translations can then be set through the public fields.
    pub fn new(uz_latn: impl AsRef<str>) -> Result<LocalizedText, DomainError> {
        let text = uz_latn.as_ref().trim();
        let len = text.chars().count();
        if !(1..=MAX_TEXT_CHARS).contains(&len) {
            return Err(DomainError::new(
                ErrorCode::InvalidField,
                format!(
                    "uz_latn text must be 1 to {MAX_TEXT_CHARS} non-blank characters, got {len}"
                ),
            ));
        }
        Ok(LocalizedText {
            uz_latn: text.to_owned(),
            uz_cyrl: None,
            ru: None,
            en: None,
        })
    }

    /// The text in the requested language, or the official Uzbek Latin text
    /// when that translation is missing or blank.
    pub fn get(&self, locale: Locale) -> &str {
        let translation = match locale {
            Locale::UzLatn => None,
            Locale::UzCyrl => self.uz_cyrl.as_deref(),
            Locale::Ru => self.ru.as_deref(),
            Locale::En => self.en.as_deref(),
        };
        translation
            .filter(|t| !t.trim().is_empty())
            .unwrap_or(&self.uz_latn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde_for_every_org_enum() {
        assert_wire_names_match_serde!(OrgKind);
        assert_wire_names_match_serde!(OrgLevel);
        assert_wire_names_match_serde!(PositionCategory);
    }

    #[test]
    fn an_unknown_org_kind_is_an_invalid_field() {
        let err = "bank".parse::<OrgKind>().unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidField);
        assert!(err.detail.contains("organisation kind"));
    }

    #[test]
    fn hotel_caps_are_three_two_and_one_and_a_half_bhm() {
        assert_eq!(PositionCategory::SeniorHead.hotel_cap_tenths_of_bhm(), 30);
        assert_eq!(
            PositionCategory::DeputyOrCentralStaff.hotel_cap_tenths_of_bhm(),
            20
        );
        assert_eq!(PositionCategory::Other.hotel_cap_tenths_of_bhm(), 15);
    }

    #[test]
    fn a_soato_code_has_four_to_ten_digits() {
        assert_eq!(RegionCode::parse(" 1726 ").unwrap().as_str(), "1726");
        assert!(RegionCode::parse("1726264").is_ok());
        assert!(RegionCode::parse("1726264000").is_ok());
        assert_eq!(
            RegionCode::parse("172").unwrap_err().code,
            ErrorCode::InvalidRegionCode
        );
        assert_eq!(
            RegionCode::parse("17262640001").unwrap_err().code,
            ErrorCode::InvalidRegionCode
        );
        assert_eq!(
            RegionCode::parse("17a6").unwrap_err().code,
            ErrorCode::InvalidRegionCode
        );
    }

    #[test]
    fn a_localized_text_needs_a_non_blank_uzbek_latin_text() {
        assert_eq!(
            LocalizedText::new("  Moliya vazirligi ").unwrap().uz_latn,
            "Moliya vazirligi"
        );
        assert_eq!(
            LocalizedText::new("   ").unwrap_err().code,
            ErrorCode::InvalidField
        );
        assert_eq!(
            LocalizedText::new("a".repeat(201)).unwrap_err().code,
            ErrorCode::InvalidField
        );
        assert!(LocalizedText::new("ў".repeat(200)).is_ok());
    }

    #[test]
    fn a_missing_translation_falls_back_to_uzbek_latin() {
        let mut text = LocalizedText::new("Moliya vazirligi").unwrap();
        text.ru = Some("Министерство финансов".to_owned());
        text.en = Some(" ".to_owned());
        assert_eq!(text.get(Locale::Ru), "Министерство финансов");
        assert_eq!(text.get(Locale::En), "Moliya vazirligi");
        assert_eq!(text.get(Locale::UzCyrl), "Moliya vazirligi");
    }
}
