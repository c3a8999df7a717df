//! Building blocks shared by the pages.

pub mod alert;
pub mod auth_gate;
pub mod field;
pub mod language_switch;
pub mod listing;
pub mod loading;
pub mod page_heading;
pub mod settings_form;
