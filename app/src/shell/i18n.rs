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

/// The colon after a label: full-width in Chinese, `": "` in English.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "：",
        Lang::En => ": ",
    }
}

/// Says the page's language to the browser (`<html lang>`: fonts, hyphenation, screen readers).
pub fn set_html_lang(lang: Lang) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", if lang == Lang::Zh { "zh-CN" } else { "en" });
    }
}

/// A number of households: 「3 户」, "1 household", "3 households".
pub fn households(n: u64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Zh, _) => format!("{n} 户"),
        (Lang::En, 1) => "1 household".to_string(),
        (Lang::En, _) => format!("{n} households"),
    }
}

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

    #[test]
    fn punctuation_and_plurals_follow_the_language() {
        assert_eq!(format!("已登录{}admin", colon(Lang::Zh)), "已登录：admin");
        assert_eq!(
            format!("Logged in as{}admin", colon(Lang::En)),
            "Logged in as: admin"
        );
        assert_eq!(households(1, Lang::En), "1 household");
        assert_eq!(households(3, Lang::En), "3 households");
        assert_eq!(households(1, Lang::Zh), "1 户");
    }

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
