//! The one translation mechanism: [`strings!`] declares a catalogue, an enum of keys each with its Simplified
//! Chinese (the default) and English text, read with `Key::text(lang)`. Each feature keeps its own catalogue
//! (`shell::strings`, `roster::strings`, `renovation::strings`); rule errors are not here (they come from
//! `RuleError::message(lang)` in the core).
//!
//! A leaf module: it imports nothing of the app, so every layer may use it.

pub use linli_core::Lang;

/// Declares a catalogue: the core's one mechanism (`linli_core::catalogue!`): `pub enum Name { Key =>
/// ("中文", "English"), … }` becomes a `Copy` enum with `text(lang)`, `texts()`, `both()` and `ALL`.
pub(crate) use linli_core::catalogue as strings;

/// A time of day (local time) for the status bar, or the date and time when it is not today.
pub fn format_time(ms: u64, now_ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let hm = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    if now_ms.saturating_sub(ms) < 20 * 3600 * 1000 {
        hm
    } else {
        format!(
            "{}-{:02}-{:02} {hm}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    strings! {
        enum Sample {
            Good => ("好", "Good"),
            Same => ("同", "同"),
            Empty => ("", "Empty"),
        }
    }

    #[test]
    fn the_mechanism_reads_both_languages() {
        assert_eq!(Sample::Good.text(Lang::Zh), "好");
        assert_eq!(Sample::Good.text(Lang::En), "Good");
        assert_eq!(Sample::ALL.len(), 3);
    }

    #[test]
    fn the_check_finds_faults() {
        let faults = linli_core::catalogue_problems!(Sample);
        assert_eq!(faults.len(), 3, "{faults:?}");
    }
}
