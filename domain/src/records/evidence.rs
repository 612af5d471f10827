//! Evidence attached to a correction request: a photo or a PDF, identified by the SHA-256 of its
//! content so that a retried upload stores it once.

use crate::error::{DomainError, ErrorCode};

/// Most files attached to one request or answer.
pub const MAX_EVIDENCE_FILES: usize = 10;

/// Largest accepted file: 5 MiB, enough for a phone photo of a diploma.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

wire_enum! {
    /// The kinds of file accepted as evidence.
    pub enum EvidenceType ("evidence type") {
        /// A JPEG photo.
        Jpeg = "image/jpeg",
        /// A PNG image.
        Png = "image/png",
        /// A PDF document.
        Pdf = "application/pdf",
    }
}

impl EvidenceType {
    /// Checks a file against its declared type by its size and its first bytes, so a file
    /// cannot pass as a photo by its name alone.
    pub fn check(declared: &str, content: &[u8]) -> Result<Self, DomainError> {
        if content.len() > MAX_EVIDENCE_BYTES {
            return Err(DomainError::new(
                ErrorCode::EvidenceTooLarge,
                format!("{} bytes, at most {MAX_EVIDENCE_BYTES}", content.len()),
            ));
        }
        let declared = declared.split(';').next().unwrap_or_default().trim();
        let kind: Self = declared
            .parse()
            .map_err(|_| DomainError::new(ErrorCode::EvidenceType, declared.to_owned()))?;
        let magic: &[u8] = match kind {
            Self::Jpeg => &[0xFF, 0xD8, 0xFF],
            Self::Png => b"\x89PNG\r\n\x1a\n",
            Self::Pdf => b"%PDF-",
        };
        if !content.starts_with(magic) {
            return Err(DomainError::new(
                ErrorCode::EvidenceType,
                format!("the content is not {declared}"),
            ));
        }
        Ok(kind)
    }
}

/// Whether `hash` looks like a hex SHA-256 (64 lowercase hex digits).
pub fn is_content_hash(hash: &str) -> bool {
    hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_accepted_by_its_first_bytes() {
        assert_eq!(
            EvidenceType::check("application/pdf", b"%PDF-1.7 ..."),
            Ok(EvidenceType::Pdf)
        );
    }

    #[test]
    fn a_text_file_declared_as_a_photo_is_refused() {
        let err = EvidenceType::check("image/jpeg", b"hello").unwrap_err();
        assert_eq!(err.code, ErrorCode::EvidenceType);
    }

    #[test]
    fn a_spreadsheet_is_refused() {
        let err = EvidenceType::check("application/vnd.ms-excel", b"PK..").unwrap_err();
        assert_eq!(err.code, ErrorCode::EvidenceType);
    }

    #[test]
    fn a_file_over_five_megabytes_is_refused() {
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_EVIDENCE_BYTES + 1, 0);
        let err = EvidenceType::check("application/pdf", &big).unwrap_err();
        assert_eq!(err.code, ErrorCode::EvidenceTooLarge);
    }

    #[test]
    fn content_hashes_are_64_lowercase_hex_digits() {
        assert!(is_content_hash(&"ab".repeat(32)));
        assert!(!is_content_hash(&"AB".repeat(32)));
        assert!(!is_content_hash("../etc/passwd"));
    }
}
