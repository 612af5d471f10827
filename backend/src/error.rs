//! The one error type of the HTTP boundary and its single translation into a response.
//!
//! Handlers return `ApiError`; actix's own rejections (bad JSON, oversized bodies, unknown routes)
//! are mapped to the same codes. The body is `{ "code", "message", "details"? }` with the message in
//! the caller's language, chosen in [`localize`]. A server error keeps its cause for the log and
//! shows the client only an opaque message and the request id.

use std::fmt;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError};
use serde_json::{Value, json};
use tracing_actix_web::RequestId;
use xodim_domain::{DomainError, ErrorCode, Locale};

/// A failed request: a stable code, a developer detail and optional structured details.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    detail: String,
    details: Option<Value>,
    retry_after_secs: Option<u64>,
    allow: Option<String>,
    source: Option<anyhow::Error>,
}

/// The most characters of `detail` an answer carries; the input a detail quotes is cut there.
pub const MAX_DETAIL_CHARS: usize = 200;

/// The longest URL (path and query) the server reads; longer ones get `414 url_too_long`.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Result of a handler or a service function behind one.
pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// A client error with a developer-facing explanation (never a secret).
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            details: None,
            retry_after_secs: None,
            allow: None,
            source: None,
        }
    }

    /// A server fault: the cause is logged, the client sees only `internal`.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut err = Self::new(ErrorCode::Internal, "internal error");
        err.source = Some(cause.into());
        err
    }

    /// The named object does not exist.
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} not found"))
    }

    /// Adds structured details (field names, per-row errors).
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Tells the client when to try again.
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    /// A method the route does not answer, with the methods it does.
    pub fn method_not_allowed(allow: String) -> Self {
        let mut err = Self::new(
            ErrorCode::MethodNotAllowed,
            format!("this route answers {allow}"),
        );
        err.allow = Some(allow);
        err
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Some(source) => write!(f, "{}: {} ({source:#})", self.code.as_str(), self.detail),
            None => write!(f, "{}: {}", self.code.as_str(), self.detail),
        }
    }
}

impl std::error::Error for ApiError {}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let field = err.field.map(|field| json!({ "field": field }));
        Self {
            details: field,
            ..Self::new(err.code, err.detail)
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::db::is_unavailable(&err) {
            let mut api = Self::new(ErrorCode::Unavailable, "database unavailable").retry_after(1);
            api.source = Some(err.into());
            return api;
        }
        Self::internal(err)
    }
}

/// The HTTP status of each code: the only place the two meet.
pub fn status_of(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        NotFound | RouteNotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        Unauthenticated
        | TokenInvalid
        | TokenExpired
        | TokenRevoked
        | InvalidCredentials
        | AccountNotActivated
        | ActivationCodeInvalid
        | RefreshTokenInvalid
        | RefreshTokenReused => StatusCode::UNAUTHORIZED,
        AccountDisabled | Forbidden | OutOfScope | OwnRequest => StatusCode::FORBIDDEN,
        RequestDecided | RequestState | RequestClaimed => StatusCode::CONFLICT,
        EvidenceTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        EvidenceType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        RateLimited => StatusCode::TOO_MANY_REQUESTS,
        LoginTaken | PinflTaken | PositionCodeTaken | UnitCodeTaken | PositionOccupied
        | UnitHasChildren => StatusCode::CONFLICT,
        ImportRejected => StatusCode::UNPROCESSABLE_ENTITY,
        VersionConflict | IntentIdReused => StatusCode::CONFLICT,
        OwnAccount | LastOrgAdmin => StatusCode::CONFLICT,
        TooManyIntents | IntentTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        UrlTooLong => StatusCode::URI_TOO_LONG,
        // Listed one by one, with no fallback, so that a new code is given its status here
        // rather than quietly answering 400.
        InvalidJson
        | InvalidField
        | MissingField
        | InvalidPinfl
        | PinflBirthDateMismatch
        | InvalidId
        | InvalidDate
        | InvalidName
        | InvalidLogin
        | InvalidLocale
        | InvalidPaging
        | InvalidRegionCode
        | InvalidCsv
        | WeakPassword
        | CannotMoveUnitIntoItself
        | InvalidPhone
        | InvalidEmail
        | InvalidCursor
        | UnknownIntent
        | InvalidIntent
        | EvidenceMissing
        | EvidenceHashMismatch => StatusCode::BAD_REQUEST,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_of(self.code)
    }

    fn error_response(&self) -> HttpResponse {
        render(self, Locale::default(), None)
    }
}

fn render(err: &ApiError, locale: Locale, request_id: Option<String>) -> HttpResponse {
    let mut body = json!({ "code": err.code.as_str(), "message": err.code.message(locale) });
    if err.code == ErrorCode::Internal || err.code == ErrorCode::Unavailable {
        body["request_id"] = json!(request_id);
    } else {
        body["detail"] = json!(bounded(&err.detail));
        if let Some(details) = &err.details {
            body["details"] = details.clone();
        }
    }
    let mut response = HttpResponse::build(status_of(err.code));
    if let Some(secs) = err.retry_after_secs {
        response.insert_header((header::RETRY_AFTER, secs.to_string()));
    }
    if let Some(allow) = &err.allow {
        response.insert_header((header::ALLOW, allow.as_str()));
    }
    response
        .insert_header((header::CONTENT_LANGUAGE, locale.tag()))
        .json(body)
}

/// A detail cut to [`MAX_DETAIL_CHARS`], so that no answer echoes unbounded input.
fn bounded(detail: &str) -> String {
    match detail.char_indices().nth(MAX_DETAIL_CHARS) {
        Some((end, _)) => format!("{}…", &detail[..end]),
        None => detail.to_owned(),
    }
}

/// Middleware that refuses a URL longer than [`MAX_URL_BYTES`] before any route sees it.
pub async fn bounded_url(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let length = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if length > MAX_URL_BYTES {
        let detail = format!("the URL has {length} bytes; at most {MAX_URL_BYTES} are read");
        return Err(ApiError::new(ErrorCode::UrlTooLong, detail).into());
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// The caller's language from `Accept-Language`, uz-Latn when absent or unsupported.
pub fn locale_of(req: &HttpRequest) -> Locale {
    let header = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let tags = accept_language::parse(header);
    Locale::negotiate(tags.iter().map(String::as_str))
}

/// Middleware that renders every error response, ours or actix's, in the caller's language and
/// logs server faults with their cause.
pub async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let locale = locale_of(req.request());
    let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    match next.call(req).await {
        Ok(res) => {
            let status = res.status();
            let err = match res.response().error() {
                Some(err) => as_api_error(err, status),
                None if status == StatusCode::NOT_FOUND => {
                    ApiError::new(ErrorCode::RouteNotFound, "no such route")
                }
                None => return Ok(res.map_into_boxed_body()),
            };
            log_fault(&err);
            let response = render(&err, locale, request_id);
            Ok(res.into_response(response))
        }
        Err(cause) => {
            let err = as_api_error(&cause, cause.as_response_error().status_code());
            log_fault(&err);
            let response = render(&err, locale, request_id);
            Err(actix_web::error::InternalError::from_response(err, response).into())
        }
    }
}

fn log_fault(err: &ApiError) {
    if status_of(err.code).is_server_error() {
        tracing::error!(error = %err, "request failed");
    }
}

/// Our own errors keep their code; actix's rejections get the code of their status.
fn as_api_error(err: &actix_web::Error, status: StatusCode) -> ApiError {
    if let Some(api) = err.as_error::<ApiError>() {
        return ApiError {
            code: api.code,
            detail: api.detail.clone(),
            details: api.details.clone(),
            retry_after_secs: api.retry_after_secs,
            allow: api.allow.clone(),
            source: api
                .source
                .as_ref()
                .map(|source| anyhow::anyhow!("{source:#}")),
        };
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::BodyTooLarge,
        StatusCode::NOT_FOUND => ErrorCode::RouteNotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        status if status.is_client_error() => ErrorCode::InvalidField,
        _ => return ApiError::internal(anyhow::anyhow!("{err}")),
    };
    ApiError::new(code, err.to_string())
}

/// Maps a rejected JSON body to our codes: syntax, missing field, wrong type, size, media type.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &err {
        E::Overflow { .. } | E::OverflowKnownLength { .. } => {
            ApiError::new(ErrorCode::BodyTooLarge, err.to_string())
        }
        E::ContentType => {
            ApiError::new(ErrorCode::UnsupportedMediaType, "expected application/json")
        }
        E::Deserialize(inner) if inner.is_data() => {
            let text = inner.to_string();
            let code = if text.starts_with("missing field") {
                ErrorCode::MissingField
            } else {
                ErrorCode::InvalidField
            };
            ApiError::new(code, text)
        }
        _ => ApiError::new(ErrorCode::InvalidJson, err.to_string()),
    };
    api.into()
}

/// Maps a rejected query string to `invalid_field`.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &HttpRequest,
) -> actix_web::Error {
    ApiError::new(ErrorCode::InvalidField, err.to_string()).into()
}

/// Maps a path segment that does not parse (say, a malformed id) to `invalid_id`, unless the
/// path is a literal route (`…/import` read as `…/{id}` by another method): then the method is
/// what is wrong.
pub fn path_error(err: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    if let Some(allow) = crate::openapi::Routes::get().literal(req.path()) {
        return ApiError::method_not_allowed(allow.to_owned()).into();
    }
    ApiError::new(ErrorCode::InvalidId, err.to_string()).into()
}
