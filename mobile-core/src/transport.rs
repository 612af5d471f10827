//! HTTP as a trait, so that an app may bring its own stack and tests can inject failures; plus
//! the default implementation over blocking reqwest and the JSON helpers the core uses.

use std::sync::Once;
use std::time::Duration;

use chrono::TimeDelta;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result, ServerError};

/// One HTTP header.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Header {
    /// The header name, e.g. `Authorization`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// A request the core wants sent.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// `GET`, `POST` or `PUT`.
    pub method: String,
    /// The absolute URL, query included.
    pub url: String,
    /// Headers to send.
    pub headers: Vec<Header>,
    /// The body, if any: JSON, or the raw bytes of an evidence file (`PUT`, with its
    /// `Content-Type`).
    pub body: Option<Vec<u8>>,
}

/// The server's answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: Vec<Header>,
    /// The body (may be empty).
    pub body: Vec<u8>,
}

/// A request that got no HTTP answer at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// No connection, a timeout, TLS failure, or the connection dropped mid-answer. The server
    /// may or may not have acted on the request.
    #[error("network failure: {reason}")]
    Network {
        /// What went wrong.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    // An exception of an app-supplied transport is a failed request, not a crash of the core.
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TransportError::Network { reason: err.reason }
    }
}

/// Sends HTTP requests. Every status, 4xx and 5xx included, is a response; only a request that
/// got no answer is an error. Implementations are called from the thread that runs the core.
#[uniffi::export(with_foreign)]
pub trait Transport: Send + Sync {
    /// Sends one request and waits for its answer.
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The default transport: blocking reqwest over rustls with the ring provider.
///
/// Create and use it outside any async runtime (reqwest's blocking client runs its own).
#[derive(Debug)]
pub struct ReqwestTransport {
    client: reqwest::blocking::Client,
}

impl ReqwestTransport {
    /// Builds the client with a 10 s connect and a 30 s overall timeout.
    pub fn new() -> Result<Self, TransportError> {
        static PROVIDER: Once = Once::new();
        // rustls refuses to pick a provider itself when none is compiled in by reqwest; a second
        // installation attempt (by the app or a test) fails harmlessly, hence the ignored result.
        PROVIDER.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(network)?;
        Ok(Self { client })
    }
}

fn network(err: impl std::fmt::Display) -> TransportError {
    TransportError::Network {
        reason: err.to_string(),
    }
}

impl Transport for ReqwestTransport {
    fn execute(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(network)?;
        let mut builder = self.client.request(method, &request.url);
        for header in &request.headers {
            builder = builder.header(&header.name, &header.value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().map_err(network)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some(Header {
                    name: name.as_str().to_owned(),
                    value: value.to_str().ok()?.to_owned(),
                })
            })
            .collect();
        let body = response.bytes().map_err(network)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// Builds a JSON request with the headers every call carries.
pub(crate) fn json_request(
    method: &str,
    url: String,
    body: Option<&impl Serialize>,
    locale: &str,
    bearer: Option<&str>,
) -> Result<HttpRequest> {
    let mut headers = vec![
        header("Accept", "application/json"),
        // The server writes `message` of errors and outcomes in this language.
        header("Accept-Language", locale),
    ];
    if let Some(token) = bearer {
        headers.push(header("Authorization", &format!("Bearer {token}")));
    }
    let body = match body {
        Some(value) => {
            headers.push(header("Content-Type", "application/json"));
            Some(serde_json::to_vec(value)?)
        }
        None => None,
    };
    Ok(HttpRequest {
        method: method.to_owned(),
        url,
        headers,
        body,
    })
}

/// Builds a request that carries raw bytes, such as an evidence file.
pub(crate) fn bytes_request(
    method: &str,
    url: String,
    body: Vec<u8>,
    content_type: &str,
    locale: &str,
    bearer: &str,
) -> HttpRequest {
    HttpRequest {
        method: method.to_owned(),
        url,
        headers: vec![
            header("Accept", "application/json"),
            header("Accept-Language", locale),
            header("Authorization", &format!("Bearer {bearer}")),
            header("Content-Type", content_type),
        ],
        body: Some(body),
    }
}

fn header(name: &str, value: &str) -> Header {
    Header {
        name: name.to_owned(),
        value: value.to_owned(),
    }
}

/// Reads a 2xx body as `T`; any other status becomes [`Error::Server`].
pub(crate) fn read_json<T: DeserializeOwned>(response: &HttpResponse) -> Result<T> {
    if !(200..300).contains(&response.status) {
        return Err(Error::Server(server_error(response)));
    }
    serde_json::from_slice(&response.body)
        .map_err(|err| Error::Corrupt(format!("answer of the server: {err}")))
}

/// The `{code, message}` of an error answer; a body that is not one (a proxy's HTML page)
/// still gives the status and a generic code.
pub(crate) fn server_error(response: &HttpResponse) -> ServerError {
    #[derive(serde::Deserialize)]
    struct Body {
        code: String,
        #[serde(default)]
        message: String,
    }
    let body: Option<Body> = serde_json::from_slice(&response.body).ok();
    let (code, message) = match body {
        Some(body) => (body.code, body.message),
        None if response.status >= 500 => ("unavailable".to_owned(), String::new()),
        None => ("http_error".to_owned(), String::new()),
    };
    let message = if message.is_empty() {
        format!("HTTP {}", response.status)
    } else {
        message
    };
    ServerError {
        status: response.status,
        code,
        message,
        retry_after: retry_after(response),
    }
}

/// The `Retry-After` of an answer in seconds (the HTTP-date form is not used by xodim and is
/// ignored), at most a day.
fn retry_after(response: &HttpResponse) -> Option<TimeDelta> {
    const A_DAY: i64 = 24 * 3600;
    let header = response
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("retry-after"))?;
    let secs: i64 = header.value.trim().parse().ok()?;
    Some(TimeDelta::seconds(secs.clamp(0, A_DAY)))
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved characters).
pub(crate) fn query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_travels_percent_encoded() {
        assert_eq!(query_value("own:a@3,org:b@1"), "own%3Aa%403%2Corg%3Ab%401");
        assert_eq!(query_value(""), "");
    }

    #[test]
    fn an_error_answer_without_json_keeps_its_status() {
        let response = HttpResponse {
            status: 502,
            headers: vec![],
            body: b"<html>bad gateway</html>".to_vec(),
        };
        let err = server_error(&response);
        assert_eq!((err.status, err.code.as_str()), (502, "unavailable"));
        assert!(err.is_transient());
        assert_eq!(err.retry_after, None);
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let response = HttpResponse {
            status: 503,
            headers: vec![header("Retry-After", " 7 ")],
            body: br#"{"code":"unavailable","message":"later"}"#.to_vec(),
        };
        let err = server_error(&response);
        assert_eq!(err.retry_after, Some(TimeDelta::seconds(7)));
        let dated = HttpResponse {
            headers: vec![header("retry-after", "Wed, 21 Oct 2026 07:28:00 GMT")],
            ..response
        };
        assert_eq!(server_error(&dated).retry_after, None);
    }
}
