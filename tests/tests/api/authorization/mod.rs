//! Who may call which route on which target, tied to the routes the server really serves.

mod cast;
mod coverage;
mod hr_routes;
mod leaks;
mod matrix;
mod revoked;
mod routes;
