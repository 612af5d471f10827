//! Who may call which route on which target, tied to the routes the server really serves.

mod leaks;
mod matrix;
mod routes;
