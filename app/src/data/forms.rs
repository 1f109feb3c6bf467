//! Turning what a person typed into field values: numbers written with full-width digits or a Chinese comma
//! are read as they are meant; anything else becomes a value the core's checks refuse, naming the field.

/// Normalises full-width digits, signs and separators to ASCII.
fn ascii(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' | '，' | ',' => '.',
            '－' => '-',
            c => c,
        })
        .collect()
}

/// A decimal number; `None` when empty, NaN when not a number (the core refuses NaN as out of range).
pub fn parse_f64(s: &str) -> Option<f64> {
    let s = ascii(s);
    if s.is_empty() {
        return None;
    }
    Some(s.parse::<f64>().unwrap_or(f64::NAN))
}

/// A whole number; `None` when empty, `Some(0)` when not a whole number in range (refused by the core's range
/// checks, which name the field).
pub fn parse_u32(s: &str) -> Option<u32> {
    let s = ascii(s);
    if s.is_empty() {
        return None;
    }
    Some(s.parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_width_and_commas() {
        assert_eq!(parse_f64("７２，５"), Some(72.5));
        assert_eq!(parse_f64(" 60 "), Some(60.0));
        assert_eq!(parse_f64(""), None);
        assert!(parse_f64("abc").unwrap().is_nan());
        assert_eq!(parse_u32("２"), Some(2));
        assert_eq!(parse_u32("-1"), Some(0));
        assert_eq!(parse_u32("99999999999"), Some(0));
    }
}
