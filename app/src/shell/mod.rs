//! The shell: the root component and its route table (`app`), the router, the status bar, the common form
//! components (`field`), the staff's login and settings pages, how the staff app starts (`start`: the login
//! page alone, or the logged-in app's chunk), and the one translation mechanism (`i18n`) with the shell's
//! catalogue (`strings`).
//!
//! Dependencies: the shell uses the data layer; it names the features only at its dispatch points (the route
//! table in `app`, the op-description dispatch in `status_bar`). `i18n` and `strings` are leaves (they import
//! nothing else of the app), which is why the data layer may use them for its messages.

// The staff app only: the resident's entry (feature `vote`) has neither, and no lazy function at all
// (wasm-split exports each one, which would keep every page in the voting entry).
#[cfg(not(feature = "vote"))]
pub mod app;
pub mod chunk;
pub mod field;
pub mod i18n;
#[cfg(not(feature = "vote"))]
pub mod login;
pub mod qr;
pub mod router;
pub mod settings;
#[cfg(not(feature = "vote"))]
pub mod start;
#[cfg(not(feature = "vote"))]
pub mod status_bar;
pub mod strings;
