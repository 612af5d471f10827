//! Attaching evidence: a photo or PDF is checked as the server checks it, stored on the device
//! under its content hash, and uploaded by the sync before the intent that names it.

use rusqlite::Connection;
use serde_json::Value;
use sha2::{Digest, Sha256};
use xodim_domain::records::{EvidenceType, is_content_hash};
use xodim_domain::{DomainError, ErrorCode};

use crate::context::Context;
use crate::error::Result;
use crate::store::evidence;

/// The most files one request or answer may name; the server refuses more.
pub(crate) const MAX_FILES: usize = xodim_domain::records::MAX_EVIDENCE_FILES;

/// Checks and stores a file; returns its content hash, the name requests use for it.
pub(crate) fn attach(ctx: &Context, content: &[u8], content_type: &str) -> Result<String> {
    let kind = EvidenceType::check(content_type, content)?;
    let hash = content_hash(content);
    ctx.store
        .write(|tx| evidence::insert(tx, &hash, kind.as_str(), content, ctx.clock.now()))?;
    Ok(hash)
}

/// The SHA-256 of `content`, lowercase hex, as the server's upload path names it.
pub(crate) fn content_hash(content: &[u8]) -> String {
    Sha256::digest(content)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Checks a list of evidence hashes by itself: how many, and that each is a content hash.
pub(crate) fn check_list(hashes: &[String]) -> Result<(), DomainError> {
    if hashes.len() > MAX_FILES {
        return Err(DomainError::new(
            ErrorCode::InvalidField,
            format!("at most {MAX_FILES} files"),
        ));
    }
    match hashes.iter().find(|hash| !is_content_hash(hash)) {
        Some(bad) => Err(DomainError::new(
            ErrorCode::InvalidField,
            format!("{bad:?} is not a content hash"),
        )),
        None => Ok(()),
    }
}

/// The content hashes an intent names in its `evidence` argument.
pub(crate) fn named_in(args: &Value) -> Vec<String> {
    args.get("evidence")
        .and_then(Value::as_array)
        .map(|hashes| {
            hashes
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Every named file must have been attached on this device, so that the sync can upload it
/// before the intent; otherwise the server would refuse the intent with `evidence_missing`.
pub(crate) fn require_attached(conn: &Connection, hashes: &[String]) -> Result<()> {
    for hash in hashes {
        if evidence::uploaded(conn, hash)?.is_none() {
            return Err(DomainError::new(ErrorCode::EvidenceMissing, hash.clone()).into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_is_lowercase_hex_sha256() {
        assert_eq!(
            content_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_content_hash(&content_hash(b"%PDF-1.4")));
    }

    #[test]
    fn more_files_than_the_server_takes_are_refused() {
        let many = vec![content_hash(b"x"); MAX_FILES + 1];
        assert_eq!(check_list(&many).unwrap_err().code, ErrorCode::InvalidField);
        assert!(check_list(&many[..MAX_FILES]).is_ok());
    }
}
