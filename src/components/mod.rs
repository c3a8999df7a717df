//! Building blocks shared by the pages.

pub mod alert;
pub mod field_errors;
pub mod language_switch;
pub mod listing;
pub mod loading;
pub mod page_heading;
