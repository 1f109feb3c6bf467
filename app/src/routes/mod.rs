//! One page per file: log in, the compounds of the community, one compound's roster, settings.

pub mod compound;
pub mod compounds;
pub mod login;
pub mod settings;
