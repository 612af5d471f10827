//! Aggregate addresses (`<prefix>:<uuid>`) and intent namespaces (`<namespace>.<verb>`), the
//! two shapes every feature's intents share. Each feature declares its own prefix and namespace.

use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};

/// The namespace of an intent type: `correction` for `correction.approve`, the whole type when
/// it has no dot. The server and the phone route an intent to the feature owning it by this.
pub fn namespace_of(kind: &str) -> &str {
    kind.split_once('.')
        .map_or(kind, |(namespace, _)| namespace)
}

/// Reads the id of an address `<prefix>:<uuid>`; `InvalidIntent` naming the expected shape
/// otherwise.
pub fn parse_address(prefix: &str, text: &str) -> Result<Uuid, DomainError> {
    text.strip_prefix(prefix)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| {
            DomainError::new(
                ErrorCode::InvalidIntent,
                format!("the aggregate must be {prefix}:<uuid>"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_intent_type_is_routed_by_the_part_before_its_first_dot() {
        assert_eq!(namespace_of("correction.approve"), "correction");
        assert_eq!(namespace_of("contact.update"), "contact");
        assert_eq!(namespace_of("stray"), "stray");
    }

    #[test]
    fn an_address_of_another_prefix_or_without_an_id_is_refused_with_the_expected_shape() {
        let id = Uuid::from_u128(7);
        assert_eq!(parse_address("request", &format!("request:{id}")), Ok(id));
        for bad in [
            format!("contact:{id}"),
            format!("request{id}"),
            "request:".to_owned(),
            "request:not-a-uuid".to_owned(),
        ] {
            let err = parse_address("request", &bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidIntent);
            assert!(err.detail.contains("request:<uuid>"), "{}", err.detail);
        }
    }
}
