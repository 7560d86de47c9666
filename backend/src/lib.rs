//! cabina: the training control room of a Province for its comuni.
//!
//! Layers, from the outside in: `api` (HTTP) → `store` (SQL) → `domain` (rules). See
//! ARCHITECTURE.md.
pub mod api;
pub mod app;
pub mod auth;
pub mod catalogue_cache;
pub mod client_address;
pub mod configuration;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod entities;
pub mod error;
pub mod fallback;
pub mod mailer;
pub mod metrics;
pub mod openapi;
pub mod public_web;
pub mod rate_limit;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
