//! The one translation mechanism: [`strings!`] declares a catalogue, an enum of keys each with its Simplified
//! Chinese (the default) and English text, read with `Key::text(lang)`. Each feature keeps its own catalogue
//! (`shell::strings`, `roster::strings`, `renovation::strings`); rule errors are not here (they come from
//! `RuleError::message(lang)` in the core).
//!
//! A leaf module: it imports nothing of the app, so every layer may use it.

pub use linli_core::Lang;

/// Declares a catalogue: `pub enum Name { Key => ("中文", "English"), … }` becomes a `Copy` enum with
/// `text(self, lang)`, `texts(self)` (the pair) and `ALL` (every key, for the catalogue tests).
macro_rules! strings {
    ($(#[$m:meta])* $v:vis enum $name:ident { $($(#[$km:meta])* $key:ident => ($zh:expr, $en:expr $(,)?),)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $v enum $name { $($(#[$km])* $key,)* }

        impl $name {
            /// Every key of the catalogue, in the order declared.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$key,)*];

            /// The Simplified Chinese and the English text.
            pub const fn texts(self) -> (&'static str, &'static str) {
                match self { $($name::$key => ($zh, $en),)* }
            }

            /// The text in `lang`.
            pub fn text(self, lang: $crate::shell::i18n::Lang) -> &'static str {
                let (zh, en) = self.texts();
                match lang {
                    $crate::shell::i18n::Lang::Zh => zh,
                    $crate::shell::i18n::Lang::En => en,
                }
            }
        }
    };
}
pub(crate) use strings;

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

/// Whether `c` is a Han character (CJK unified ideographs and their extension A, compatibility ideographs).
#[cfg(test)]
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// The faults of a catalogue: a key with an empty text, or with Chinese text also shown as the English.
#[cfg(test)]
pub fn catalogue_faults<K: std::fmt::Debug + Copy>(
    all: &[K],
    texts: impl Fn(K) -> (&'static str, &'static str),
) -> Vec<String> {
    let mut out = Vec::new();
    for &k in all {
        let (zh, en) = texts(k);
        if zh.trim().is_empty() {
            out.push(format!("{k:?}: no Chinese text"));
        }
        if en.trim().is_empty() {
            out.push(format!("{k:?}: no English text"));
        }
        if zh.chars().any(is_han) && zh == en {
            out.push(format!("{k:?}: the English text is the Chinese one"));
        }
        if en.chars().any(is_han) {
            out.push(format!("{k:?}: Chinese in the English text"));
        }
    }
    out
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
        let faults = catalogue_faults(Sample::ALL, Sample::texts);
        assert_eq!(faults.len(), 3, "{faults:?}");
        assert!(is_han('邻') && !is_han('a') && !is_han('，'));
    }
}
