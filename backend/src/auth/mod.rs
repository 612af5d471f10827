//! Sign-in, token refresh, sign-out and first-password activation under `/api/v1/auth`.

pub mod actor;
pub mod limiter;
pub mod password;
pub mod revocation;
pub mod routes;
pub mod secrets;
pub mod sessions;
pub mod tokens;

pub use actor::Actor;
pub use routes::configure;
