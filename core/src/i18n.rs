//! The one message-catalogue mechanism: each feature declares its words with [`catalogue!`], a Chinese and
//! an English text per key, and the app, the server's errors and exports, and the core's explanations
//! all draw from those catalogues.
//!
//! Texts may hold numbered holes `{0}`, `{1}`, … that [`fill`] replaces, so a sentence keeps its word
//! order in each language.

use crate::error::Lang;
use crate::rules::Fraction;

/// Declares a catalogue: `catalogue! { pub enum Words { Key => ("中文", "English"), … } }` makes the enum,
/// `ALL`, `text(lang)`, `zh()`, `en()` and `both()` ("中文 (English)", for bilingual export labels).
#[macro_export]
macro_rules! catalogue {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $($(#[$km:meta])* $key:ident => ($zh:expr, $en:expr $(,)?)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$km])* $key),* }

        impl $name {
            /// Every key, for the test that each has both languages.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The Simplified Chinese and the English text.
            pub const fn texts(self) -> (&'static str, &'static str) {
                match self { $($name::$key => ($zh, $en)),* }
            }

            pub fn text(self, lang: $crate::Lang) -> &'static str {
                let (zh, en) = self.texts();
                match lang {
                    $crate::Lang::Zh => zh,
                    $crate::Lang::En => en,
                }
            }

            pub fn zh(self) -> &'static str {
                self.text($crate::Lang::Zh)
            }

            pub fn en(self) -> &'static str {
                self.text($crate::Lang::En)
            }

            /// "中文 (English)": the label of a bilingual export column.
            pub fn both(self) -> String {
                format!("{} ({})", self.zh(), self.en())
            }
        }
    };
}

/// Replaces the holes `{0}`, `{1}`, … of a catalogue text with `args`.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

/// Problems of a catalogue: keys whose text is empty in a language, whose English text holds Chinese,
/// or whose two texts are one (an untranslated copy). Empty when the catalogue is complete.
pub fn problems(
    name: &str,
    texts: impl IntoIterator<Item = (String, &'static str, &'static str)>,
) -> Vec<String> {
    let han = |s: &str| {
        s.chars().any(|c| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'))
    };
    let mut out = Vec::new();
    for (key, zh, en) in texts {
        if zh.trim().is_empty() {
            out.push(format!("{name}::{key}: no Chinese text"));
        }
        if en.trim().is_empty() {
            out.push(format!("{name}::{key}: no English text"));
        }
        if han(en) {
            out.push(format!("{name}::{key}: Chinese in the English text"));
        }
        if !zh.trim().is_empty() && zh == en && (han(zh) || zh.chars().any(char::is_alphabetic)) {
            out.push(format!("{name}::{key}: the same text in both languages"));
        }
    }
    out
}

/// Checks a catalogue declared with [`catalogue!`] (used by each feature's test).
#[macro_export]
macro_rules! catalogue_problems {
    ($name:ty) => {
        $crate::i18n::problems(
            stringify!($name),
            <$name>::ALL
                .iter()
                .map(|k| (format!("{k:?}"), k.zh(), k.en())),
        )
    };
}

/// A threshold in words: "三分之二" / "two thirds", "过半数" / "more than half", "四分之三" / "three quarters";
/// other fractions as "num/den".
pub fn fraction_words(f: Fraction, lang: Lang) -> String {
    const ZH_DIGITS: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    match lang {
        Lang::Zh => {
            let words = match (f.num, f.den) {
                (1, 2) if f.strict => return "过半数".into(),
                (n, d) if n <= 10 && d <= 10 => {
                    format!("{}分之{}", ZH_DIGITS[d as usize], ZH_DIGITS[n as usize])
                }
                (n, d) => format!("{n}/{d}"),
            };
            if f.strict {
                format!("超过{words}")
            } else {
                words
            }
        }
        Lang::En => {
            let words = match (f.num, f.den) {
                (1, 2) if f.strict => return "more than half".into(),
                (1, 2) => "half".to_string(),
                (2, 3) => "two thirds".to_string(),
                (3, 4) => "three quarters".to_string(),
                (1, 3) => "one third".to_string(),
                (n, d) => format!("{n}/{d}"),
            };
            if f.strict {
                format!("more than {words}")
            } else {
                words
            }
        }
    }
}

/// `x` with `places` decimals (at most 6), rounded half away from zero: `fixed(2.0 / 3.0, 1)` is "0.7".
/// Integer arithmetic, not the float formatter: `{:.1}` brings about 30 KB of Wasm (`Display for f64`
/// and its algorithms) into every module that says a percentage (issue 8).
pub fn fixed(x: f64, places: u32) -> String {
    let places = places.min(6);
    let scale = 10u64.pow(places);
    let n = (x.abs() * scale as f64).round();
    if !n.is_finite() || n >= u64::MAX as f64 {
        return if x.is_nan() {
            "NaN".into()
        } else {
            "∞".into()
        };
    }
    let n = n as u64;
    let sign = if x < 0.0 && n != 0 { "-" } else { "" };
    let (int, frac) = (n / scale, n % scale);
    if places == 0 {
        return format!("{sign}{int}");
    }
    let frac = frac.to_string();
    let pad = "0".repeat(places as usize - frac.len());
    format!("{sign}{int}.{pad}{frac}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fixed_decimals_match_the_formatter() {
        use super::fixed;
        assert_eq!(fixed(2.0 / 3.0 * 100.0, 1), "66.7");
        assert_eq!(fixed(0.5, 0), "1");
        assert_eq!(fixed(1250.5, 2), "1250.50");
        assert_eq!(fixed(0.07, 4), "0.0700");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-3.25, 1), "-3.3");
        assert_eq!(fixed(600000.0, 0), "600000");
        // Agrees with `{:.N}` away from exact ties.
        for i in 0..2000 {
            let x = i as f64 * 0.0137 + 0.00011;
            assert_eq!(fixed(x, 1), format!("{x:.1}"), "{x}");
            assert_eq!(fixed(x, 4), format!("{x:.4}"), "{x}");
        }
    }

    use super::*;

    crate::catalogue! {
        enum Sample {
            Hello => ("你好", "Hello"),
            Count => ("已回收 {0}/{1} 户", "{0} of {1} households answered"),
        }
    }

    #[test]
    fn texts_holes_and_completeness() {
        assert_eq!(Sample::Hello.text(Lang::En), "Hello");
        assert_eq!(Sample::Hello.both(), "你好 (Hello)");
        assert_eq!(fill(Sample::Count.zh(), &["7", "10"]), "已回收 7/10 户");
        assert_eq!(
            fill(Sample::Count.en(), &["7", "10"]),
            "7 of 10 households answered"
        );
        assert!(crate::catalogue_problems!(Sample).is_empty());
        let bad = problems(
            "X",
            [
                ("K".to_string(), "", "Key"),
                ("L".to_string(), "Lift", "Lift"),
                ("M".to_string(), "同", "同"),
            ],
        );
        assert_eq!(
            bad,
            [
                "X::K: no Chinese text",
                "X::L: the same text in both languages",
                "X::M: Chinese in the English text",
                "X::M: the same text in both languages"
            ]
        );
    }

    #[test]
    fn thresholds_in_words() {
        let f = |num, den, strict| Fraction { num, den, strict };
        assert_eq!(fraction_words(f(2, 3, false), Lang::Zh), "三分之二");
        assert_eq!(fraction_words(f(3, 4, false), Lang::Zh), "四分之三");
        assert_eq!(fraction_words(f(1, 2, true), Lang::Zh), "过半数");
        assert_eq!(fraction_words(f(3, 4, false), Lang::En), "three quarters");
        assert_eq!(
            fraction_words(f(2, 3, true), Lang::En),
            "more than two thirds"
        );
        assert_eq!(fraction_words(f(7, 12, false), Lang::Zh), "7/12");
    }
}
