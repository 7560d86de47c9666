//! Black-box tests of the HTTP API. Every test spawns the real application on a random
//! port with a database of its own, and runs once on SQLite and once on PostgreSQL.
mod attendance;
mod auth;
mod authorization;
mod campaigns;
mod catalogue;
mod catalogue_calendar;
mod catalogue_feed;
mod catalogue_freshness;
mod comuni;
mod courses;
mod demo;
pub mod employees;
pub mod enrolments;
mod errors;
mod fixtures;
mod health;
mod helpers;
mod hostile;
mod login_burst;
mod migrations;
mod openapi_drift;
pub mod plans;
mod providers;
mod reference;
mod seed;
mod survey;
mod users;
