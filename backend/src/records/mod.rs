//! Personnel records and correction requests: the HR API, the intents that carry requests, what
//! they publish to phones, and evidence files.

pub mod evidence;
mod feature;
pub mod hr;
pub mod import;
pub mod items;
mod notices;
pub mod publish;
pub mod requests;
pub mod review;

pub use feature::Records;
