//! The organisation model as the API shows it, what it publishes to phones, and the lookups
//! every feature shares.

pub mod publish;
pub mod queries;
pub mod views;
