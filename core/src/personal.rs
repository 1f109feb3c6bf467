//! Personal numbers (个人信息): checks of phone and resident ID numbers, and their masked forms for lists
//! and exports (138****1234, 4101**********1234), so a full number is shown only where it is needed.
//!
//! Used by the roster's persons and by volunteers; pure functions of the text.

use crate::error::{ErrorCode, RuleError};

/// Weights of the 17 digits of a resident ID number (GB 11643-1999), and the check character for each
/// remainder of their weighted sum modulo 11.
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The ID number as stored: trimmed, a final lower-case `x` written `X`.
pub fn normalize_id_number(s: &str) -> String {
    s.trim().to_uppercase()
}

/// A mainland resident ID number (居民身份证号码): empty, or 18 characters — 17 digits, the 8 of them
/// from the 7th a real birth date (YYYYMMDD), and the check character of GB 11643 (a digit or X).
/// `field` names the field in the error.
pub fn check_id_number(s: &str, field: &str) -> Result<(), RuleError> {
    let s = normalize_id_number(s);
    if s.is_empty() {
        return Ok(());
    }
    let bad = || RuleError::field(ErrorCode::InvalidIdNumber, field);
    let chars: Vec<char> = s.chars().collect();
    if chars.len() != 18 || !chars[..17].iter().all(char::is_ascii_digit) {
        return Err(bad());
    }
    let birth = format!("{}-{}-{}", &s[6..10], &s[10..12], &s[12..14]);
    if crate::date::Date::parse(&birth).is_err() {
        return Err(bad());
    }
    let sum: u32 = chars[..17]
        .iter()
        .zip(ID_WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    if ID_CHECK[(sum % 11) as usize] != chars[17] {
        return Err(bad());
    }
    Ok(())
}

/// A phone number: empty, or digits with an optional leading `+` and spaces or dashes between them,
/// 7 to 15 digits; a mainland mobile (11 digits) starts with 1.
pub fn check_phone(s: &str, field: &str) -> Result<(), RuleError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(());
    }
    let bad = || RuleError::field(ErrorCode::InvalidPhone, field);
    let body = t.strip_prefix('+').unwrap_or(t);
    if !body
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Err(bad());
    }
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    if !(7..=15).contains(&digits.len()) {
        return Err(bad());
    }
    if !t.starts_with('+')
        && digits.len() == 11
        && !digits.starts_with('1')
        && !digits.starts_with('0')
    {
        return Err(bad());
    }
    Ok(())
}

/// Keeps `head` characters at the start and `tail` at the end and stars the rest; a number too short
/// to keep both with at least one star is starred whole but for its last `tail.min(len/2)` characters.
fn mask(s: &str, head: usize, tail: usize) -> String {
    let c: Vec<char> = s
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .collect();
    let n = c.len();
    if n == 0 {
        return String::new();
    }
    let (head, tail) = if n > head + tail {
        (head, tail)
    } else {
        (0, tail.min(n / 2))
    };
    c.iter()
        .enumerate()
        .map(|(i, ch)| if i < head || i >= n - tail { *ch } else { '*' })
        .collect()
}

/// A phone number for lists and exports: the first 3 and the last 4 digits, `138****1234`.
pub fn mask_phone(s: &str) -> String {
    mask(s, 3, 4)
}

/// An ID number for lists and exports: the first 4 (the region) and the last 4 characters,
/// `4101**********1234`.
pub fn mask_id_number(s: &str) -> String {
    mask(&normalize_id_number(s), 4, 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn id_numbers_are_checked_with_their_check_digit() {
        // 11010519491231002X: the standard's example (check character X).
        assert!(check_id_number("11010519491231002X", "id_number").is_ok());
        assert!(check_id_number("11010519491231002x", "id_number").is_ok());
        assert!(check_id_number("", "id_number").is_ok());
        assert!(check_id_number("  ", "id_number").is_ok());
        // 4·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+8·6+0·3+0·7+1·9+0·10+1·5+1·8+2·4+3·2 = 157,
        // 157 mod 11 = 3 → check character '9'.
        assert!(check_id_number("410105198001011239", "id_number").is_ok());
        let e = check_id_number("410105198001011234", "body.id_number").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidIdNumber);
        assert_eq!(e.field.as_deref(), Some("body.id_number"));
        assert_eq!(
            e.message(Lang::Zh),
            "身份证号码不是有效的18位居民身份证号码（出生日期或校验位不对），不填也可以"
        );
        assert_eq!(
            e.message(Lang::En),
            "The id number is not a valid 18-character resident ID number (its birth date or check digit is wrong); it may be left empty"
        );
        for bad in [
            "41010519800101123",                    // 17 characters
            "4101051980010112399",                  // 19
            "41010519801301123X",                   // month 13
            "4101051980010112A9",                   // a letter among the digits
            "４１０１０５１９８００１０１１２３９", // full-width digits
        ] {
            assert!(check_id_number(bad, "id_number").is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_checked() {
        for ok in [
            "13812341234",
            "138 1234 1234",
            "0371-6512 3456",
            "+86 138 1234 1234",
            "",
        ] {
            assert!(check_phone(ok, "phone").is_ok(), "{ok}");
        }
        for bad in ["12345", "2381234123x", "23812341234", "phone"] {
            let e = check_phone(bad, "body.phone").unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidPhone, "{bad}");
            assert_eq!(e.message(Lang::Zh), "电话不是有效的电话号码");
            assert_eq!(e.message(Lang::En), "The phone is not a valid phone number");
        }
    }

    #[test]
    fn masking_examples() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("138-1234-1234"), "138****1234");
        assert_eq!(mask_id_number("410105198001011234"), "4101**********1234");
        assert_eq!(mask_id_number("11010519491231002x"), "1101**********002X");
        assert_eq!(mask_phone("65123456"), "651*3456");
        assert_eq!(mask_phone("1234"), "**34");
        assert_eq!(mask_phone(""), "");
    }
}
