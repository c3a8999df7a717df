//! Rekey's shared core: the wire types of the JSON API, the stable error codes, the roles and
//! every validation rule. It does no I/O, so the SPA (wasm32) and the API server compile the same
//! rules: what a page checks as you type is exactly what the server enforces.

pub mod audit;
pub mod dto;
pub mod error;
pub mod i18n;
pub mod password;
pub mod pow;
pub mod questions;
pub mod roles;
pub mod security_info;
pub mod settings;
pub mod spa;
pub mod sspr;
pub mod text;
pub mod validation;
