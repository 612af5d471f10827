//! The languages the system speaks: Uzbek in both scripts, Russian, English.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, ErrorCode};

/// A supported user-interface language. Uzbek Latin is the state-language
/// default used whenever the client's preference cannot be honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    /// Uzbek in the official Latin alphabet.
    #[default]
    #[serde(rename = "uz-Latn")]
    UzLatn,
    /// Uzbek in the Cyrillic alphabet, still widely read.
    #[serde(rename = "uz-Cyrl")]
    UzCyrl,
    /// Russian.
    #[serde(rename = "ru")]
    Ru,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Every supported locale, default first.
    pub const ALL: [Locale; 4] = [Locale::UzLatn, Locale::UzCyrl, Locale::Ru, Locale::En];

    /// The canonical BCP-47 tag, as used on the wire and in `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::UzLatn => "uz-Latn",
            Locale::UzCyrl => "uz-Cyrl",
            Locale::Ru => "ru",
            Locale::En => "en",
        }
    }

    /// Maps a BCP-47 tag (any case, any region) to a supported locale.
    /// Plain `uz` means Latin script; the wildcard `*` and unknown languages
    /// or scripts give `None`.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let lower = tag.trim().to_ascii_lowercase();
        let mut subtags = lower.split(['-', '_']);
        let language = subtags.next()?;
        let script = subtags.find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()));
        match (language, script) {
            ("uz", None | Some("latn")) => Some(Locale::UzLatn),
            ("uz", Some("cyrl")) => Some(Locale::UzCyrl),
            ("ru", None | Some("cyrl")) => Some(Locale::Ru),
            ("en", None | Some("latn")) => Some(Locale::En),
            _ => None,
        }
    }

    /// Picks the first supported tag from the client's preferences, in their
    /// order (e.g. from `Accept-Language`, already sorted by weight); any
    /// `;q=` suffix is ignored. Falls back to the default.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Locale {
        preferred
            .into_iter()
            .filter_map(|tag| Locale::from_tag(tag.split(';').next().unwrap_or_default()))
            .next()
            .unwrap_or_default()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::from_tag(s).ok_or_else(|| {
            DomainError::new(
                ErrorCode::InvalidLocale,
                format!("unsupported locale {s:?}; use uz-Latn, uz-Cyrl, ru or en"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_uzbek_means_latin_script() {
        assert_eq!(Locale::from_tag("uz"), Some(Locale::UzLatn));
        assert_eq!(Locale::from_tag("uz-UZ"), Some(Locale::UzLatn));
        assert_eq!(Locale::from_tag("uz-Latn"), Some(Locale::UzLatn));
    }

    #[test]
    fn the_cyrillic_script_subtag_selects_uzbek_cyrillic() {
        assert_eq!(Locale::from_tag("uz-Cyrl"), Some(Locale::UzCyrl));
        assert_eq!(Locale::from_tag("uz-Cyrl-UZ"), Some(Locale::UzCyrl));
        assert_eq!(Locale::from_tag("UZ-CYRL"), Some(Locale::UzCyrl));
    }

    #[test]
    fn russian_and_english_accept_any_region() {
        assert_eq!(Locale::from_tag("ru"), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("ru-RU"), Some(Locale::Ru));
        assert_eq!(Locale::from_tag("en"), Some(Locale::En));
        assert_eq!(Locale::from_tag("en-GB"), Some(Locale::En));
    }

    #[test]
    fn wildcards_and_unknown_languages_are_not_locales() {
        assert_eq!(Locale::from_tag("*"), None);
        assert_eq!(Locale::from_tag("de-DE"), None);
        assert_eq!(Locale::from_tag("uz-Arab"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn negotiation_takes_the_first_supported_preference() {
        assert_eq!(Locale::negotiate(["de", "ru-RU", "en"]), Locale::Ru);
        assert_eq!(Locale::negotiate(["en-US;q=0.9"]), Locale::En);
    }

    #[test]
    fn negotiation_falls_back_to_uzbek_latin() {
        assert_eq!(Locale::negotiate(["fr", "*"]), Locale::UzLatn);
        assert_eq!(Locale::negotiate([]), Locale::UzLatn);
    }

    #[test]
    fn every_tag_parses_back_to_its_locale() {
        for locale in Locale::ALL {
            assert_eq!(locale.to_string().parse::<Locale>(), Ok(locale));
        }
    }

    #[test]
    fn an_unsupported_tag_is_refused_with_invalid_locale() {
        assert_eq!(
            "kk".parse::<Locale>().unwrap_err().code,
            ErrorCode::InvalidLocale
        );
    }
}
