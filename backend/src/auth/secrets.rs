//! Random secrets handed to clients (refresh tokens, activation codes) and the digests stored
//! in their place, so that a copy of the database does not let anyone sign in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Letters and digits that cannot be mistaken for one another when read aloud or typed.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|err| ApiError::internal(anyhow::anyhow!("{err}")))?;
    Ok(bytes)
}

/// A 256-bit token in URL-safe base64.
pub fn new_token() -> Result<String, ApiError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// A ten-character one-time code for a person to type.
pub fn new_code() -> Result<String, ApiError> {
    let bytes = random_bytes::<10>()?;
    let len = CODE_ALPHABET.len();
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % len]))
        .collect())
}

/// The stored form of a token.
pub fn digest(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The stored form of a code: people type codes in either case.
pub fn digest_code(code: &str) -> String {
    digest(&code.trim().to_ascii_uppercase())
}
