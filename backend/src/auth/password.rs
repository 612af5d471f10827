//! Password hashing with Argon2id, run off the async executor because it is slow on purpose.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::ApiError;

/// Each hash takes 19 MiB and a core for a while; running more at once than there are cores
/// only adds memory, so the rest wait their turn here.
fn hashing_turns() -> &'static Semaphore {
    static TURNS: OnceLock<Semaphore> = OnceLock::new();
    TURNS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Semaphore::new(cores)
    })
}

/// Hashes a new password into a PHC string.
pub async fn hash(password: String) -> Result<String, ApiError> {
    let _turn = hashing_turns()
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(ApiError::internal)?
}

/// Hashes on the current thread; for the CLI and seeding.
pub fn hash_blocking(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| ApiError::internal(anyhow::anyhow!("hashing: {err}")))
}

/// Checks a password against a stored hash. Without a hash (unknown or not yet activated
/// account) a dummy hash is checked, so the answer takes as long either way.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    let _turn = hashing_turns()
        .acquire()
        .await
        .map_err(ApiError::internal)?;
    tokio::task::spawn_blocking(move || {
        let dummy = dummy_hash();
        let (phc, real) = match stored.as_deref() {
            Some(phc) => (phc, true),
            None => (dummy, false),
        };
        let parsed = PasswordHash::new(phc)
            .map_err(|err| ApiError::internal(anyhow::anyhow!("stored hash: {err}")))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
    .map_err(ApiError::internal)?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a password of anyone").unwrap_or_default())
}
