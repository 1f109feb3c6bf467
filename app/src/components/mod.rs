//! Small pieces of interface shared by the pages: the status bar and labelled form fields.

pub mod field;
pub mod status_bar;
