//! Push notifications as the domain sees them: the kinds a user can hear about, how urgent
//! each is, the fixed alert texts, and when quiet hours let a normal alert go.
//!
//! A notification carries ids only (kind, scope, entity); the alert shown on the phone is a
//! fixed text per kind, free of personal data, so that a lock screen never shows a name.

mod quiet;

pub use quiet::{QuietHours, TimeOfDay, TimeZone, release_at};

use crate::error::{DomainError, ErrorCode};
use crate::l10n::Message;

wire_enum! {
    /// What a notification tells its user about. Later features add their own kinds.
    pub enum NotificationKind ("notification kind") {
        /// To the servant: HR approved or rejected their correction request, or asked a
        /// question about it (whatever created an inbox entry for them).
        CorrectionDecided = "correction_decided",
        /// To the HR officers whose grant covers the servant's unit: a correction request was
        /// submitted or answered and waits for them.
        CorrectionWaiting = "correction_waiting",
    }
}

wire_enum! {
    /// How soon a notification must reach its user.
    pub enum Priority ("notification priority") {
        /// Held through the user's quiet hours.
        Normal = "normal",
        /// Sent at once, quiet hours or not (a deadline today).
        Urgent = "urgent",
    }
}

impl NotificationKind {
    /// How urgent a notification of this kind is.
    pub fn priority(self) -> Priority {
        match self {
            Self::CorrectionDecided | Self::CorrectionWaiting => Priority::Normal,
        }
    }

    /// The title of the visible alert: a fixed text with no arguments.
    pub fn alert_title(self) -> Message {
        Message::new(format!("notify-{}-title", self.as_str()))
    }

    /// The body of the visible alert: a fixed text with no arguments.
    pub fn alert_body(self) -> Message {
        Message::new(format!("notify-{}-body", self.as_str()))
    }
}

wire_enum! {
    /// The push service a device token belongs to.
    pub enum PushPlatform ("push platform") {
        /// Firebase Cloud Messaging on Android.
        Android = "android",
        /// FCM relaying to APNs on an iPhone.
        Ios = "ios",
    }
}

/// A device's registration token as the push service issued it: opaque, non-empty, at most
/// [`PushToken::MAX_LEN`] characters, no spaces or control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PushToken(String);

impl PushToken {
    /// The longest token accepted.
    pub const MAX_LEN: usize = 4096;

    /// Checks a token as the phone sent it.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let bad = |detail: &str| DomainError::new(ErrorCode::InvalidField, detail.to_owned());
        if raw.is_empty() {
            return Err(bad("token: must not be empty"));
        }
        if raw.chars().count() > Self::MAX_LEN {
            return Err(bad("token: longer than 4096 characters"));
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("token: contains spaces or control characters"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The token as stored and sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a user chose about their notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// Hours in which normal alerts wait; `None` lets them go at any hour.
    pub quiet_hours: Option<QuietHours>,
    /// The zone the quiet hours are read in.
    pub time_zone: TimeZone,
    /// Kinds the user turned off: no alert is sent, the inbox entry still syncs.
    pub disabled: Vec<NotificationKind>,
}

impl Default for Preferences {
    /// Quiet from 22:00 to 07:00 in Tashkent, every kind on.
    fn default() -> Self {
        Self {
            quiet_hours: Some(QuietHours::default()),
            time_zone: TimeZone::default(),
            disabled: Vec::new(),
        }
    }
}

impl Preferences {
    /// Whether the user hears about this kind.
    pub fn enabled(&self, kind: NotificationKind) -> bool {
        !self.disabled.contains(&kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Locale;

    #[test]
    fn wire_names_are_what_serde_reads() {
        assert_wire_names_match_serde!(NotificationKind);
        assert_wire_names_match_serde!(Priority);
        assert_wire_names_match_serde!(PushPlatform);
    }

    #[test]
    fn every_kind_has_an_alert_text_in_every_language() {
        for &kind in NotificationKind::ALL {
            for locale in Locale::ALL {
                for message in [kind.alert_title(), kind.alert_body()] {
                    let text = message.render(locale);
                    assert_ne!(
                        text,
                        message.id(),
                        "{} lacks {}",
                        locale.tag(),
                        message.id()
                    );
                    assert!(!text.is_empty());
                }
            }
        }
    }

    #[test]
    fn a_push_token_is_non_empty_short_and_without_spaces() {
        assert!(PushToken::parse("fcm:APA91b-token_1").is_ok());
        assert!(PushToken::parse(&"a".repeat(4096)).is_ok());
        for bad in [
            String::new(),
            "a".repeat(4097),
            "two words".into(),
            "line\n".into(),
        ] {
            assert_eq!(
                PushToken::parse(&bad).map_err(|e| e.code),
                Err(ErrorCode::InvalidField)
            );
        }
    }

    #[test]
    fn by_default_every_kind_is_on_and_quiet_hours_are_the_night_in_tashkent() {
        let prefs = Preferences::default();
        assert!(NotificationKind::ALL.iter().all(|&k| prefs.enabled(k)));
        let quiet = prefs
            .quiet_hours
            .map(|q| (q.start.to_string(), q.end.to_string()));
        assert_eq!(quiet, Some(("22:00".into(), "07:00".into())));
        assert_eq!(prefs.time_zone.as_str(), "Asia/Tashkent");
    }
}
