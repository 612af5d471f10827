//! Database entities: one module a table, in the shape the migrations create.

pub mod account;
pub mod activation_code;
pub mod contact;
pub mod device;
pub mod employee;
pub mod org_unit;
pub mod organization;
pub mod person;
pub mod position;
pub mod refresh_token;
pub mod role_grant;
pub mod session;
pub mod setting;
pub mod sync_intent;
