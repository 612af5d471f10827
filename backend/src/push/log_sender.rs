//! The sender of a server without FCM credentials: it records what would have been sent, so
//! that a development machine or a demo shows the outbox working.

use async_trait::async_trait;

use super::{PushMessage, PushSender, SendOutcome};

/// Logs each message instead of sending it, and reports it sent. The line holds the message
/// id, its kind, its collapse key and the token's last characters: enough to follow one
/// delivery, never a whole token (it addresses a device) nor the payload's other values.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogSender;

/// How many characters of a token the log shows.
const TOKEN_TAIL: usize = 6;

#[async_trait]
impl PushSender for LogSender {
    fn name(&self) -> &'static str {
        "log"
    }

    async fn send(&self, message: &PushMessage) -> SendOutcome {
        tracing::info!(
            message_id = %message.id,
            kind = message.data.get("kind").map(String::as_str).unwrap_or(""),
            collapse_key = %message.collapse_key,
            token_tail = token_tail(&message.token),
            alert = message.alert.is_some(),
            urgent = message.urgent,
            "push message not sent: no FCM credentials"
        );
        SendOutcome::Sent
    }
}

/// The last few characters of a token, prefixed with an ellipsis.
fn token_tail(token: &str) -> String {
    let count = token.chars().count();
    let tail: String = token
        .chars()
        .skip(count.saturating_sub(TOKEN_TAIL))
        .collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_end_of_a_token_is_shown() {
        assert_eq!(token_tail("abcdefghij"), "…efghij");
        assert_eq!(token_tail("abc"), "…abc");
    }
}
