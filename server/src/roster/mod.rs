//! The roster (H1, 小区/楼/单元/户): what the server itself adds to it. The roster's rules and merge live in
//! the core; staff devices change it through sync. Here: the sample compound of `serve --demo`.

pub mod demo;
