//! Screens, by area.

pub mod account;
pub mod admin;
pub mod change_password;
pub mod not_found;
pub mod register;
pub mod reset;
pub mod security_info;
pub mod signin;
