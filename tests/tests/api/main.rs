//! Specifications of the xodim API, each against a real server with a database of its own.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod auth;
mod authorization;
mod demo;
mod devices;
mod errors;
mod import;
mod operations;
mod sync;
mod tokens;
