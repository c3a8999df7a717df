//! Rekey's single-page app: the user flows and the admin centre, in Leptos (client-side
//! rendering), built to WASM by Trunk as three bundles (`rekey-web`, `rekey-reset`,
//! `rekey-admin`) that share everything here; see [`rekey_core::spa`] for why and how routes are
//! split between them.

pub mod api;
pub mod app;
pub mod branding;
pub mod components;
pub mod embed;
pub mod i18n;
pub mod json;
pub mod pages;
pub mod passkey;
pub mod runtime_config;
pub mod session;
