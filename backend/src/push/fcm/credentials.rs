//! The service account FCM trusts: read once at start-up from its JSON file.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;

use super::FcmConfigError;

/// Google's token endpoint, used when neither the file nor the settings name one.
const DEFAULT_TOKEN_URI: &str = "https://oauth2.googleapis.com/token";

/// `rsaEncryption` (1.2.840.113549.1.1.1) as it appears, DER-encoded, in a PKCS#8 key.
const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

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
/// `RSA PRIVATE KEY` (PKCS#1). The JWT library's own PEM reader is a feature that pulls in a
/// second ASN.1 stack; unwrapping PKCS#8 takes three DER elements.
fn rsa_key_from_pem(pem: &str) -> Result<EncodingKey, FcmConfigError> {
    let invalid = || FcmConfigError::Malformed("private_key is not an RSA private key".into());
    let mut lines = pem.lines().map(str::trim).filter(|l| !l.is_empty());
    let label = lines
        .next()
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .ok_or_else(invalid)?;
    let body: String = lines.take_while(|l| !l.starts_with("-----END ")).collect();
    let der = STANDARD.decode(body).map_err(|_| invalid())?;
    let pkcs1 = match label {
        "PRIVATE KEY" => pkcs8_rsa_key(&der).ok_or_else(invalid)?.to_vec(),
        "RSA PRIVATE KEY" => der,
        _ => return Err(invalid()),
    };
    let key = EncodingKey::from_rsa_der(&pkcs1);
    // A key that cannot sign would otherwise surface only at the first message.
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &serde_json::json!({}), &key)
        .map_err(|_| invalid())?;
    Ok(key)
}

/// The PKCS#1 key inside a PKCS#8 `PrivateKeyInfo`: `SEQUENCE { INTEGER version, SEQUENCE {
/// OID rsaEncryption, … }, OCTET STRING key }`.
fn pkcs8_rsa_key(der: &[u8]) -> Option<&[u8]> {
    let (0x30, info, _) = der_element(der)? else {
        return None;
    };
    let (0x02, _version, rest) = der_element(info)? else {
        return None;
    };
    let (0x30, algorithm, rest) = der_element(rest)? else {
        return None;
    };
    let (0x06, oid, _) = der_element(algorithm)? else {
        return None;
    };
    if oid != RSA_ENCRYPTION_OID {
        return None;
    }
    match der_element(rest)? {
        (0x04, key, _) => Some(key),
        _ => None,
    }
}

/// One DER element: its tag, its content and what follows it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, rest) = rest.split_at(count);
        let len = bytes.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
        (len, rest)
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((tag, content, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_der_element_with_a_long_length_is_read_whole() {
        let mut input = vec![0x04, 0x81, 0x80];
        input.extend(std::iter::repeat_n(7u8, 0x80));
        input.push(0xff);
        let (tag, content, rest) = der_element(&input).unwrap();
        assert_eq!((tag, content.len(), rest), (0x04, 0x80, &[0xff][..]));
    }

    #[test]
    fn a_truncated_der_element_is_refused() {
        assert!(der_element(&[0x04, 0x05, 1, 2]).is_none());
        assert!(der_element(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }

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
