//! The xodim backend: the HTTP API over the organisation and identity model, with sign-in,
//! role-scoped administration, metrics and an OpenAPI document.

pub mod admin;
pub mod api_contract;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod contact;
pub mod db;
pub mod demo;
pub mod error;
pub mod features;
pub mod health;
pub mod inbox;
pub mod kv;
pub mod me;
pub mod metrics;
pub mod openapi;
pub mod org;
pub mod push;
pub mod records;
pub mod startup;
pub mod state;
pub mod sync;
pub mod telemetry;

pub use config::Settings;
pub use startup::Application;
