//! The service account FCM trusts: read once at start-up from its JSON file.

use std::path::Path;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::RsaPrivateKey;
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::DecodePrivateKey;
use serde::Deserialize;

use super::FcmConfigError;

/// Google's token endpoint, used when neither the file nor the settings name one.
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

#[derive(Deserialize)]
struct ServiceAccountFile {
    project_id: String,
    client_email: String,
    private_key: String,
    #[serde(default)]
    token_uri: Option<String>,
}

/// A service account: who signs the assertion, with which key, and for which project.
pub(super) struct ServiceAccount {
    pub(super) project_id: String,
    pub(super) client_email: String,
    pub(super) token_uri: String,
    pub(super) key: EncodingKey,
}

impl ServiceAccount {
    /// Reads the file; `token_uri` (from the settings) wins over the file's own.
    pub(super) fn load(path: &Path, token_uri: Option<&str>) -> Result<Self, FcmConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| FcmConfigError::Read {
            path: path.display().to_string(),
            cause: e.to_string(),
        })?;
        // The parser's message may quote the file, and the file holds the private key.
        let file: ServiceAccountFile = serde_json::from_str(&text)
            .map_err(|e| FcmConfigError::Malformed(format!("line {}", e.line())))?;
        for (field, value) in [
            ("project_id", &file.project_id),
            ("client_email", &file.client_email),
        ] {
            if value.trim().is_empty() {
                return Err(FcmConfigError::Malformed(format!("{field} is empty")));
            }
        }
        let key = rsa_key_from_pem(&file.private_key)?;
        let token_uri = token_uri
            .map(str::to_owned)
            .or(file.token_uri)
            .unwrap_or_else(|| DEFAULT_TOKEN_URI.to_owned());
        Ok(Self {
            project_id: file.project_id,
            client_email: file.client_email,
            token_uri,
            key,
        })
    }
}

/// The RSA private key of a PEM block, `PRIVATE KEY` (PKCS#8, what Google issues) or
/// `RSA PRIVATE KEY` (PKCS#1), read by the RustCrypto `rsa` crate the JWT library signs with.
fn rsa_key_from_pem(pem: &str) -> Result<EncodingKey, FcmConfigError> {
    let invalid = || FcmConfigError::Malformed("private_key is not an RSA private key".into());
    let key = RsaPrivateKey::from_pkcs8_pem(pem)
        .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
        .map_err(|_| invalid())?;
    let pkcs1 = key.to_pkcs1_der().map_err(|_| invalid())?;
    let key = EncodingKey::from_rsa_der(pkcs1.as_bytes());
    // A key that cannot sign would otherwise surface only at the first message.
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &serde_json::json!({}), &key)
        .map_err(|_| invalid())?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_block_that_is_not_a_private_key_is_refused() {
        let pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(matches!(
            rsa_key_from_pem(pem),
            Err(FcmConfigError::Malformed(_))
        ));
        assert!(rsa_key_from_pem("not a key").is_err());
    }
}
