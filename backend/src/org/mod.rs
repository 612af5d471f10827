//! The organisation model as the API shows it, and the lookups every feature shares.

pub mod queries;
pub mod views;
