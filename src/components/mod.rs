//! Building blocks shared by the pages.

pub mod alert;
pub mod auth_gate;
pub mod brand;
pub mod code_entry;
pub mod countdown;
pub mod dialog;
pub mod field;
pub mod form;
pub mod language_switch;
pub mod lines_field;
pub mod listing;
pub mod loading;
pub mod new_password;
pub mod page_heading;
pub mod passkey_button;
pub mod puzzle;
pub mod qr;
pub mod settings_form;
pub mod strength_meter;
pub mod user_frame;
