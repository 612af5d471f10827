//! Keyset paging for list endpoints: a page size and the id after which the
//! page starts, which stays correct while rows are inserted concurrently.

use uuid::Uuid;

use crate::error::{DomainError, ErrorCode};

/// The largest page a client may request.
pub const MAX_LIMIT: u32 = 200;
/// The page size when the client does not ask for one.
pub const DEFAULT_LIMIT: u32 = 50;

/// Which slice of a list to return: at most `limit` rows whose id sorts
/// after `after` (or from the start when `after` is absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    /// Rows per page, 1 to [`MAX_LIMIT`].
    pub limit: u32,
    /// The id of the last row of the previous page.
    pub after: Option<Uuid>,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: DEFAULT_LIMIT,
            after: None,
        }
    }
}

impl Page {
    /// Reads the `limit` and `after` query parameters as received.
    pub fn parse(limit: Option<&str>, after: Option<&str>) -> Result<Page, DomainError> {
        let fail = |detail: String| DomainError::new(ErrorCode::InvalidPaging, detail);
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(raw) => raw
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    fail(format!(
                        "limit {raw:?} must be a whole number from 1 to {MAX_LIMIT}"
                    ))
                })?,
        };
        let after = after
            .map(|raw| {
                Uuid::parse_str(raw.trim()).map_err(|_| {
                    fail(format!(
                        "after {raw:?} must be the UUID of the last row seen"
                    ))
                })
            })
            .transpose()?;
        Ok(Page { limit, after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_parameters_the_first_fifty_rows_are_returned() {
        assert_eq!(
            Page::parse(None, None),
            Ok(Page {
                limit: 50,
                after: None
            })
        );
    }

    #[test]
    fn a_limit_from_one_to_two_hundred_is_accepted() {
        assert_eq!(Page::parse(Some("1"), None).unwrap().limit, 1);
        assert_eq!(Page::parse(Some("200"), None).unwrap().limit, 200);
    }

    #[test]
    fn a_limit_outside_the_range_or_not_a_number_is_refused() {
        for bad in ["0", "201", "-5", "ten", ""] {
            let err = Page::parse(Some(bad), None).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidPaging, "{bad}");
            assert!(err.detail.starts_with("limit"));
        }
    }

    #[test]
    fn the_cursor_must_be_a_uuid() {
        let id = "0190f0e4-7c4b-7d8e-9a1b-2c3d4e5f6a7b";
        assert_eq!(
            Page::parse(None, Some(id)).unwrap().after,
            Some(Uuid::parse_str(id).unwrap())
        );
        let err = Page::parse(None, Some("42")).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidPaging);
        assert!(err.detail.starts_with("after"));
    }
}
