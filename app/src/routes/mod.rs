//! One page per file: log in, the compounds of the community, one compound's roster, settings; renovation
//! projects (project, door to door, codes, results and notice) and the resident's vote.

pub mod codes;
pub mod compound;
pub mod compounds;
pub mod door;
pub mod login;
pub mod project;
pub mod results;
pub mod settings;
pub mod vote;
