//! Specifications of the xodim API, each against a real server with a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod audit;
mod auth;
mod authorization;
mod contact_audit;
mod contract;
mod correction_devices;
mod corrections;
mod demo;
mod devices;
mod errors;
mod evidence;
mod faults;
mod fcm;
mod field_errors;
mod import;
mod inbox;
mod last_admin;
mod offline_queue;
mod operations;
mod push;
mod rebase;
mod records;
mod records_import;
mod sync;
mod tokens;
mod writes;
