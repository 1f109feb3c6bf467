//! XLSForm expressions ↔ the core's conditions: `relevant` (a question's "show only if") and
//! `constraint` (a number's range).
//!
//! `relevant`, read: `${q} = 'v'` (a multiple choice: `v` chosen), `${q} != 'v'`, `${q} > n`, `${q} < n`,
//! `${q} >= n` (read as `> n or = n`), `${q} <= n`, `selected(${q}, 'v')`, `${q} != ''` (answered),
//! `${q} = ''` (not answered), `and`, `or`, `not(…)`, parentheses. Values take the referenced question's
//! type: a yes/no's `'yes'`/`'no'` are `true`/`false`, a number's are numbers, a date may be written
//! `date('2026-01-01')`. An `or` of two or more `= 'v'` / `selected()` on one question is the core's `in`.
//! Parentheses are kept: `(a or b) or c` is an `any` inside an `any`, so what [`relevant`] writes reads
//! back as the same condition.
//!
//! `constraint`, read: `. >= a`, `. <= b` joined by `and` (`. > a` and `. < b` too for an integer, as
//! `a + 1` and `b − 1`) → the question's `min` and `max`.

use linli_core::surveys::QuestionKind;
use linli_core::surveys::conditions::{All, Any, Leaf, Not, Op};
use linli_core::surveys::{Condition, Form};
use serde_json::Value;
use std::collections::HashMap;

/// Why an expression was not read: the token it stopped at, or a function it does not support.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprError {
    Unexpected(String),
    End,
    Function(String),
    Value(String),
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ref(String),
    Str(String),
    Num(String),
    Ident(String),
    Dot,
    Op(&'static str),
    Open,
    Close,
    Comma,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ref(r) => format!("${{{r}}}"),
            Tok::Str(s) => format!("'{s}'"),
            Tok::Num(n) | Tok::Ident(n) => n.clone(),
            Tok::Dot => ".".into(),
            Tok::Op(o) => (*o).into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
            Tok::Comma => ",".into(),
        }
    }
}

fn lex(s: &str) -> Result<Vec<Tok>, ExprError> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        match ch {
            ' ' | '\t' | '\n' | '\r' | '\u{3000}' => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1
            }
            ')' => {
                out.push(Tok::Close);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '$' if c.get(i + 1) == Some(&'{') => {
                let end = c[i + 2..]
                    .iter()
                    .position(|x| *x == '}')
                    .ok_or(ExprError::End)?;
                out.push(Tok::Ref(
                    c[i + 2..i + 2 + end]
                        .iter()
                        .collect::<String>()
                        .trim()
                        .into(),
                ));
                i += end + 3;
            }
            '\'' | '"' | '‘' | '“' => {
                let close = match ch {
                    '‘' => '’',
                    '“' => '”',
                    q => q,
                };
                let end = c[i + 1..]
                    .iter()
                    .position(|x| *x == close)
                    .ok_or(ExprError::End)?;
                out.push(Tok::Str(c[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '=' => {
                out.push(Tok::Op("="));
                i += 1
            }
            '!' | '>' | '<' => {
                let two = c.get(i + 1) == Some(&'=');
                out.push(Tok::Op(match (ch, two) {
                    ('!', true) => "!=",
                    ('>', true) => ">=",
                    ('<', true) => "<=",
                    ('>', false) => ">",
                    ('<', false) => "<",
                    _ => return Err(ExprError::Unexpected("!".into())),
                }));
                i += 1 + two as usize;
            }
            '.' if !c.get(i + 1).is_some_and(|x| x.is_ascii_digit()) => {
                out.push(Tok::Dot);
                i += 1
            }
            d if d.is_ascii_digit() || d == '-' || d == '.' => {
                let start = i;
                i += 1;
                while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                    i += 1;
                }
                out.push(Tok::Num(c[start..i].iter().collect()));
            }
            a if a.is_alphabetic() || a == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || matches!(c[i], '_' | '-' | ':')) {
                    i += 1;
                }
                out.push(Tok::Ident(c[start..i].iter().collect()));
            }
            other => return Err(ExprError::Unexpected(other.to_string())),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: Vec<Tok>,
    at: usize,
    kinds: &'a HashMap<String, QuestionKind>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn next(&mut self) -> Result<Tok, ExprError> {
        let t = self.toks.get(self.at).cloned().ok_or(ExprError::End)?;
        self.at += 1;
        Ok(t)
    }

    fn expect(&mut self, t: Tok) -> Result<(), ExprError> {
        let got = self.next()?;
        if got == t {
            Ok(())
        } else {
            Err(ExprError::Unexpected(got.text()))
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Condition, ExprError> {
        let mut items = vec![self.and()?];
        while self.keyword("or") {
            self.at += 1;
            items.push(self.and()?);
        }
        if items.len() == 1 {
            return Ok(items.pop().expect("one"));
        }
        Ok(as_in(&items).unwrap_or(Condition::Any(Any { any: items })))
    }

    fn and(&mut self) -> Result<Condition, ExprError> {
        let mut items = vec![self.unary()?];
        while self.keyword("and") {
            self.at += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Condition::All(All { all: items })
        })
    }

    fn unary(&mut self) -> Result<Condition, ExprError> {
        match self.next()? {
            Tok::Ident(w) if w.eq_ignore_ascii_case("not") => {
                self.expect(Tok::Open)?;
                let inner = self.or()?;
                self.expect(Tok::Close)?;
                Ok(Condition::Not(Not {
                    not: Box::new(inner),
                }))
            }
            Tok::Ident(w) if w == "selected" => {
                self.expect(Tok::Open)?;
                let q = match self.next()? {
                    Tok::Ref(q) => q,
                    t => return Err(ExprError::Unexpected(t.text())),
                };
                self.expect(Tok::Comma)?;
                let v = self.literal()?;
                self.expect(Tok::Close)?;
                let value = self.typed(&q, v)?;
                Ok(leaf(q, Op::Eq, Some(value)))
            }
            Tok::Ident(w) => Err(ExprError::Function(w)),
            Tok::Open => {
                let inner = self.or()?;
                self.expect(Tok::Close)?;
                Ok(inner)
            }
            Tok::Ref(q) => {
                let op = match self.next()? {
                    Tok::Op(o) => o,
                    t => return Err(ExprError::Unexpected(t.text())),
                };
                let v = self.literal()?;
                if matches!(&v, Lit::Str(s) if s.is_empty()) {
                    let answered = leaf(q, Op::Answered, None);
                    return match op {
                        "!=" => Ok(answered),
                        "=" => Ok(Condition::Not(Not {
                            not: Box::new(answered),
                        })),
                        o => Err(ExprError::Unexpected(o.into())),
                    };
                }
                let value = self.typed(&q, v)?;
                let one = |op| leaf(q.clone(), op, Some(value.clone()));
                Ok(match op {
                    "=" => one(Op::Eq),
                    "!=" => one(Op::Ne),
                    ">" => one(Op::Gt),
                    "<" => one(Op::Lt),
                    ">=" => Condition::Any(Any {
                        any: vec![one(Op::Gt), one(Op::Eq)],
                    }),
                    "<=" => Condition::Any(Any {
                        any: vec![one(Op::Lt), one(Op::Eq)],
                    }),
                    o => return Err(ExprError::Unexpected(o.into())),
                })
            }
            t => Err(ExprError::Unexpected(t.text())),
        }
    }

    fn literal(&mut self) -> Result<Lit, ExprError> {
        match self.next()? {
            Tok::Str(s) => Ok(Lit::Str(s)),
            Tok::Num(n) => Ok(Lit::Num(n)),
            Tok::Ident(w) if w == "date" => {
                self.expect(Tok::Open)?;
                let s = match self.next()? {
                    Tok::Str(s) => s,
                    t => return Err(ExprError::Unexpected(t.text())),
                };
                self.expect(Tok::Close)?;
                Ok(Lit::Str(s))
            }
            Tok::Ident(w) if w == "true" || w == "false" => {
                // true() / false()
                if self.peek() == Some(&Tok::Open) {
                    self.at += 1;
                    self.expect(Tok::Close)?;
                }
                Ok(Lit::Str(if w == "true" { "yes" } else { "no" }.into()))
            }
            t => Err(ExprError::Unexpected(t.text())),
        }
    }

    /// The literal as the referenced question's answers are written (the core compares JSON values).
    fn typed(&self, q: &str, v: Lit) -> Result<Value, ExprError> {
        let text = match &v {
            Lit::Str(s) | Lit::Num(s) => s.clone(),
        };
        let bad = || ExprError::Value(text.clone());
        Ok(match self.kinds.get(q) {
            Some(QuestionKind::Yesno) => match text.to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" => Value::Bool(true),
                "no" | "false" | "0" => Value::Bool(false),
                _ => return Err(bad()),
            },
            Some(QuestionKind::Number) => number(&text).ok_or_else(bad)?,
            Some(_) => Value::String(text),
            // An unknown question: the form check names it; keep numbers as numbers.
            None => match v {
                Lit::Num(n) => number(&n).ok_or_else(bad)?,
                Lit::Str(s) => Value::String(s),
            },
        })
    }
}

enum Lit {
    Str(String),
    Num(String),
}

/// A number as JSON: an integer stays an integer (so `64` reads back equal to the form's `64`).
fn number(s: &str) -> Option<Value> {
    let s = s.trim();
    if let Ok(i) = s.parse::<i64>() {
        return Some(Value::from(i));
    }
    let f: f64 = s.parse().ok()?;
    serde_json::Number::from_f64(f).map(Value::Number)
}

fn leaf(q: String, op: Op, value: Option<Value>) -> Condition {
    Condition::Leaf(Leaf { q, op, value })
}

/// `a = 'x' or a = 'y'` (two or more, one question) → `a in ['x','y']`.
fn as_in(items: &[Condition]) -> Option<Condition> {
    let mut q0: Option<&str> = None;
    let mut values = Vec::new();
    for c in items {
        let Condition::Leaf(Leaf {
            q,
            op: Op::Eq,
            value: Some(v),
        }) = c
        else {
            return None;
        };
        if v.is_array() || q0.is_some_and(|x| x != q) {
            return None;
        }
        q0 = Some(q);
        values.push(v.clone());
    }
    Some(leaf(q0?.to_string(), Op::In, Some(Value::Array(values))))
}

/// Reads a `relevant` expression; `kinds` are the form's question types by id.
pub fn parse_relevant(
    s: &str,
    kinds: &HashMap<String, QuestionKind>,
) -> Result<Condition, ExprError> {
    let mut p = Parser {
        toks: lex(s)?,
        at: 0,
        kinds,
    };
    let c = p.or()?;
    match p.peek() {
        None => Ok(c),
        Some(t) => Err(ExprError::Unexpected(t.text())),
    }
}

/// Reads a `constraint` into `(min, max)`; `integer` allows `>` and `<`. `None`: not of the supported shape.
pub fn parse_constraint(s: &str, integer: bool) -> Option<(Option<f64>, Option<f64>)> {
    let toks = lex(s).ok()?;
    let (mut min, mut max): (Option<f64>, Option<f64>) = (None, None);
    let mut i = 0;
    loop {
        let (Some(Tok::Dot), Some(Tok::Op(op)), Some(Tok::Num(n))) =
            (toks.get(i), toks.get(i + 1), toks.get(i + 2))
        else {
            return None;
        };
        let n: f64 = n.parse().ok()?;
        match *op {
            ">=" => min = Some(min.map_or(n, |m| m.max(n))),
            "<=" => max = Some(max.map_or(n, |m| m.min(n))),
            ">" if integer && n.fract() == 0.0 => {
                min = Some(min.map_or(n + 1.0, |m| m.max(n + 1.0)))
            }
            "<" if integer && n.fract() == 0.0 => {
                max = Some(max.map_or(n - 1.0, |m| m.min(n - 1.0)))
            }
            _ => return None,
        }
        i += 3;
        match toks.get(i) {
            None => return Some((min, max)),
            Some(Tok::Ident(w)) if w.eq_ignore_ascii_case("and") => i += 1,
            _ => return None,
        }
    }
}

/// A number as XLSForm text: `120`, `72.5`.
pub fn num_text(x: f64) -> String {
    format!("{x}")
}

/// The `constraint` of a number with `min`/`max` (empty when it has neither).
pub fn constraint(min: Option<f64>, max: Option<f64>) -> String {
    let parts: Vec<String> = [
        min.map(|a| format!(". >= {}", num_text(a))),
        max.map(|b| format!(". <= {}", num_text(b))),
    ]
    .into_iter()
    .flatten()
    .collect();
    parts.join(" and ")
}

fn quote(s: &str) -> String {
    // XPath has no escapes: a value holding ' is written between ".
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

/// A value as XLSForm text for a question of `kind`.
fn value_text(v: &Value, kind: Option<QuestionKind>) -> String {
    match (v, kind) {
        (Value::Bool(b), _) => quote(if *b { "yes" } else { "no" }),
        (Value::Number(n), _) => n.to_string(),
        (Value::String(s), Some(QuestionKind::Date)) => format!("date({})", quote(s)),
        (Value::String(s), _) => quote(s),
        (other, _) => quote(&other.to_string()),
    }
}

/// Writes a condition as a `relevant` expression of `form` (which [`parse_relevant`] reads back as the
/// same condition).
pub fn relevant(c: &Condition, form: &Form) -> String {
    let kind = |q: &str| form.question(q).map(|x| x.kind);
    let nested = |c: &Condition| match c {
        Condition::All(_) | Condition::Any(_) => format!("({})", relevant(c, form)),
        Condition::Leaf(Leaf {
            op: Op::In, value, ..
        }) if value
            .as_ref()
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() > 1) =>
        {
            format!("({})", relevant(c, form))
        }
        _ => relevant(c, form),
    };
    match c {
        Condition::All(a) => a.all.iter().map(nested).collect::<Vec<_>>().join(" and "),
        Condition::Any(a) => a.any.iter().map(nested).collect::<Vec<_>>().join(" or "),
        Condition::Not(n) => format!("not({})", relevant(&n.not, form)),
        Condition::Leaf(l) => {
            let k = kind(&l.q);
            let r = format!("${{{}}}", l.q);
            let v = |v: &Option<Value>| value_text(v.as_ref().unwrap_or(&Value::Null), k);
            let eq = |value: &Value| {
                if k == Some(QuestionKind::Multi) {
                    format!("selected({r}, {})", value_text(value, k))
                } else {
                    format!("{r} = {}", value_text(value, k))
                }
            };
            match l.op {
                Op::Answered => format!("{r} != ''"),
                Op::Eq => eq(l.value.as_ref().unwrap_or(&Value::Null)),
                Op::Ne => format!("{r} != {}", v(&l.value)),
                Op::Gt => format!("{r} > {}", v(&l.value)),
                Op::Lt => format!("{r} < {}", v(&l.value)),
                Op::In => match l.value.as_ref().and_then(Value::as_array) {
                    Some(a) if !a.is_empty() => a.iter().map(eq).collect::<Vec<_>>().join(" or "),
                    // `in` nothing is never true.
                    _ => format!("{r} = {r} and {r} != {r}"),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds() -> HashMap<String, QuestionKind> {
        [
            ("age", QuestionKind::Number),
            ("alone", QuestionKind::Yesno),
            ("needs", QuestionKind::Multi),
            ("job", QuestionKind::Single),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b))
        .collect()
    }

    fn read(s: &str) -> Value {
        serde_json::to_value(parse_relevant(s, &kinds()).unwrap()).unwrap()
    }

    #[test]
    fn relevant_expressions_read_as_conditions() {
        assert_eq!(
            read("${job} = 'seeking'"),
            json!({"q":"job","op":"eq","value":"seeking"})
        );
        assert_eq!(
            read("${alone}='yes'"),
            json!({"q":"alone","op":"eq","value":true})
        );
        assert_eq!(read("${age} > 64"), json!({"q":"age","op":"gt","value":64}));
        assert_eq!(
            read("${age} >= 65"),
            json!({"any":[{"q":"age","op":"gt","value":65},{"q":"age","op":"eq","value":65}]})
        );
        assert_eq!(read("${needs} != ''"), json!({"q":"needs","op":"answered"}));
        assert_eq!(
            read("${needs} = ''"),
            json!({"not":{"q":"needs","op":"answered"}})
        );
        assert_eq!(
            read("selected(${needs}, 'meals') or selected(${needs}, 'medical')"),
            json!({"q":"needs","op":"in","value":["meals","medical"]})
        );
        assert_eq!(
            read("not(${age} < 18) and (${alone} = 'no' or ${job} != 'seeking')"),
            json!({"all":[{"not":{"q":"age","op":"lt","value":18}},
                {"any":[{"q":"alone","op":"eq","value":false},{"q":"job","op":"ne","value":"seeking"}]}]})
        );
        for bad in [
            "${age} >",
            "count(${needs}) > 1",
            "${age} > 1 xor",
            "${alone} = 'maybe'",
            "(${age} > 1",
        ] {
            assert!(parse_relevant(bad, &kinds()).is_err(), "{bad}");
        }
    }

    #[test]
    fn constraints_read_as_ranges() {
        assert_eq!(
            parse_constraint(". >= 0 and . <= 120", true),
            Some((Some(0.0), Some(120.0)))
        );
        assert_eq!(
            parse_constraint(".>1 and .<10", true),
            Some((Some(2.0), Some(9.0)))
        );
        assert_eq!(parse_constraint(". > 1", false), None);
        assert_eq!(parse_constraint(". >= 1.5", false), Some((Some(1.5), None)));
        assert_eq!(parse_constraint("regex(., '[0-9]+')", false), None);
        assert_eq!(
            constraint(Some(1900.0), Some(2100.0)),
            ". >= 1900 and . <= 2100"
        );
    }
}
