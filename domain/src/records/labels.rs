//! Names of sections and request states and the inbox lines about requests, as catalogue
//! texts, so that the phone shows them offline in the user's language.

use super::{RequestState, Section};
use crate::l10n::{self, Message};
use crate::locale::Locale;

impl Section {
    /// The section's name as a catalogue text, `section-<wire name>` in the `.ftl` files.
    pub fn label_text(self) -> Message {
        Message::new(format!("section-{}", self.as_str()))
    }

    /// The section's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        l10n::plain(locale, self.label_text().id()).unwrap_or(self.as_str())
    }
}

impl RequestState {
    /// The state's name as a catalogue text, `request-state-<wire name>` in the `.ftl` files.
    pub fn label_text(self) -> Message {
        Message::new(format!("request-state-{}", self.as_str()))
    }

    /// The state's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        l10n::plain(locale, self.label_text().id()).unwrap_or(self.as_str())
    }

    /// The inbox line telling the servant their request about `section` reached this state,
    /// as a catalogue text.
    pub fn notice_text(self, section: Section) -> Message {
        Message::new("correction-notice")
            .with("section", section.label_text())
            .with("state", self.label_text())
    }

    /// The inbox line telling the servant their request about `section` reached this state.
    pub fn notice(self, section: Section, locale: Locale) -> String {
        self.notice_text(section).render(locale)
    }
}
