//! Exact numbers for decisions: a small rational type, so "10% of 420 households" is exactly 42 and no
//! pass mark is ever decided by a float (RULES E7).
//!
//! An [`Exact`] is `num / den` in lowest terms (`den > 0`), read from a decimal string (`"0.1"`,
//! `"1000"`, `"-2.5"`, `"1.5e-3"`) or a fraction (`"2/3"`), and written back as a decimal when it has a
//! finite one (`"0.1"`), otherwise as the fraction (`"2/3"`). Magnitudes are kept well inside `i128`:
//! [`Exact::parse`] refuses more than 12 integer digits or 6 decimal places (a numerator below 10^18, a
//! denominator at most 10^12), so every product and comparison the standards engine makes is exact and
//! none overflows.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// An exact rational number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Exact {
    num: i128,
    den: i128,
}

/// Most digits before the decimal point [`Exact::parse`] accepts.
const MAX_INT_DIGITS: i64 = 12;
/// Most digits after it.
const MAX_FRAC_DIGITS: i64 = 6;

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl Exact {
    pub const ZERO: Exact = Exact { num: 0, den: 1 };
    pub const ONE: Exact = Exact { num: 1, den: 1 };

    /// `num / den`, reduced. `None` when `den` is 0.
    pub fn ratio(num: i128, den: i128) -> Option<Exact> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den);
        let s = if den < 0 { -1 } else { 1 };
        Some(Exact {
            num: s * num / g,
            den: s * den / g,
        })
    }

    pub fn int(n: i64) -> Exact {
        Exact {
            num: n as i128,
            den: 1,
        }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// Reads a decimal (`"0.1"`, `"1,000"` is refused: no separators), with an optional exponent
    /// (`"1.5e-3"`, as JSON numbers print), or a fraction `"a/b"` of two integers.
    pub fn parse(s: &str) -> Result<Exact, String> {
        let s = s.trim();
        if let Some((a, b)) = s.split_once('/') {
            let a = Exact::parse(a)?;
            let b = Exact::parse(b)?;
            if !a.is_integer() || !b.is_integer() {
                return Err(format!("{s}: a fraction is two integers"));
            }
            return Exact::ratio(a.num, b.num).ok_or_else(|| format!("{s}: division by zero"));
        }
        let (mantissa, exp) = match s.find(['e', 'E']) {
            Some(i) => (
                &s[..i],
                s[i + 1..]
                    .parse::<i64>()
                    .ok()
                    .filter(|e| e.abs() <= 1000)
                    .ok_or_else(|| format!("{s}: not a number"))?,
            ),
            None => (s, 0),
        };
        let (neg, digits) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("{s}: not a number"));
        }
        // Trailing zeros after the point change nothing: 1.0000000 is 1.
        let frac = frac.trim_end_matches('0');
        // Shift the exponent into the digits: 1.5e-3 = 15 × 10^(−1−3).
        let all: String = format!("{int}{frac}");
        let all = all.trim_start_matches('0');
        let scale = frac.len() as i64 - exp;
        let int_digits = all.len() as i64 - scale;
        if all.len() > 40 || int_digits > MAX_INT_DIGITS || scale > MAX_FRAC_DIGITS {
            return Err(format!(
                "{s}: at most {MAX_INT_DIGITS} digits before the point and {MAX_FRAC_DIGITS} after"
            ));
        }
        let mut num: i128 = if all.is_empty() {
            0
        } else {
            all.parse().map_err(|_| format!("{s}: not a number"))?
        };
        let mut den: i128 = 1;
        if scale >= 0 {
            den = 10i128.pow(scale as u32);
        } else {
            num *= 10i128.pow((-scale) as u32);
        }
        if neg {
            num = -num;
        }
        Ok(Exact::ratio(num, den).expect("den > 0"))
    }

    /// A JSON number or a numeric string, exactly as written (`0.1` is one tenth, not the nearest
    /// double: JSON numbers are read from their shortest decimal form).
    pub fn from_json(v: &serde_json::Value) -> Option<Result<Exact, String>> {
        match v {
            serde_json::Value::Number(n) => Some(Exact::parse(&n.to_string())),
            serde_json::Value::String(s) => Some(Exact::parse(s)),
            _ => None,
        }
    }

    pub fn times(self, o: Exact) -> Exact {
        Exact::ratio(self.num * o.num, self.den * o.den).expect("den > 0")
    }

    pub fn plus(self, o: Exact) -> Exact {
        Exact::ratio(self.num * o.den + o.num * self.den, self.den * o.den).expect("den > 0")
    }

    pub fn minus(self, o: Exact) -> Exact {
        Exact::ratio(self.num * o.den - o.num * self.den, self.den * o.den).expect("den > 0")
    }

    /// `self / o`; `None` for a division by zero.
    pub fn checked_div(self, o: Exact) -> Option<Exact> {
        Exact::ratio(self.num * o.den, self.den * o.num)
    }

    pub fn abs(self) -> Exact {
        Exact {
            num: self.num.abs(),
            den: self.den,
        }
    }

    /// The least integer ≥ self.
    pub fn ceil(self) -> Exact {
        Exact::ratio(
            self.num.div_euclid(self.den) + (self.num.rem_euclid(self.den) != 0) as i128,
            1,
        )
        .expect("den 1")
    }

    /// The greatest integer ≤ self.
    pub fn floor(self) -> Exact {
        Exact::ratio(self.num.div_euclid(self.den), 1).expect("den 1")
    }

    /// For display only (a share's value as a number); decisions never use it.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// As a JSON number: an integer when it is one, otherwise the nearest double (display only).
    pub fn to_json_number(self) -> serde_json::Value {
        if let (true, Ok(i)) = (self.is_integer(), i64::try_from(self.num)) {
            return serde_json::Value::from(i);
        }
        serde_json::Value::from(self.to_f64())
    }
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Exact {
    /// The finite decimal when there is one (`0.1`, `42`, `-2.5`), otherwise `a/b` (`2/3`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.den;
        let (mut twos, mut fives) = (0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        if d != 1 || places > 30 {
            return write!(f, "{}/{}", self.num, self.den);
        }
        let scaled = self.num * (10i128.pow(places) / self.den);
        if places == 0 {
            return write!(f, "{scaled}");
        }
        let sign = if scaled < 0 { "-" } else { "" };
        let a = scaled.abs();
        let p = 10i128.pow(places);
        let frac = format!("{:0width$}", a % p, width = places as usize);
        write!(f, "{sign}{}.{}", a / p, frac.trim_end_matches('0'))
    }
}

impl Serialize for Exact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Exact {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Exact, D::Error> {
        let s = String::deserialize(d)?;
        Exact::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Exact;

    fn x(s: &str) -> Exact {
        Exact::parse(s).unwrap()
    }

    #[test]
    fn parse_and_print() {
        for (s, back) in [
            ("0.1", "0.1"),
            ("10", "10"),
            ("1000.00", "1000"),
            ("-2.5", "-2.5"),
            ("1.5e-3", "0.0015"),
            ("2/3", "2/3"),
            ("4/6", "2/3"),
            ("0.0015", "0.0015"),
            ("1e2", "100"),
            ("1.0000000", "1"),
            ("1/549755813888", "1/549755813888"),
            (".5", "0.5"),
        ] {
            assert_eq!(x(s).to_string(), back, "{s}");
        }
        for bad in [
            "",
            "1,000",
            "abc",
            "1/0",
            "1.5/2",
            "1234567890123456",
            "0.1234567890123",
            "--1",
        ] {
            assert!(Exact::parse(bad).is_err(), "{bad}");
        }
    }

    /// 10% of 420 households is exactly 42; 10% of 425 is 42.5, so 43 are needed (ceil) and at most 42
    /// are allowed under a "≤ 10%" (floor).
    #[test]
    fn exact_shares() {
        let t = x("0.1");
        assert_eq!(t.times(Exact::int(420)), Exact::int(42));
        assert_eq!(t.times(Exact::int(425)).ceil(), Exact::int(43));
        assert_eq!(t.times(Exact::int(425)).floor(), Exact::int(42));
        assert_eq!(x("2/3").times(Exact::int(300)), Exact::int(200));
        assert_eq!(x("2/3").times(Exact::int(301)).ceil(), Exact::int(201));
        assert!(x("0.1") < x("0.100001"));
        assert_eq!(x("-0.5").ceil(), Exact::ZERO);
        assert_eq!(x("-0.5").floor(), Exact::int(-1));
        assert_eq!(
            Exact::from_json(&serde_json::json!(0.09)).unwrap().unwrap(),
            x("9/100")
        );
    }
}
