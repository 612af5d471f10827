//! Database entities: one module a table, in the shape the migrations create.

pub mod account;
pub mod activation_code;
pub mod audit_event;
pub mod audit_head;
pub mod contact;
pub mod correction_request;
pub mod device;
pub mod employee;
pub mod evidence;
pub mod evidence_upload;
pub mod inbox;
pub mod notification_preference;
pub mod org_unit;
pub mod organization;
pub mod person;
pub mod position;
pub mod push_outbox;
pub mod push_token;
pub mod record;
pub mod record_version;
pub mod refresh_token;
pub mod request_evidence;
pub mod role_grant;
pub mod session;
pub mod setting;
pub mod sync_intent;
